/* route.c - host routes to a device: built with libnl-route-3, sent and read back through nl.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/addr.h>
#include <netlink/route/route.h>
#include <netlink/route/nexthop.h>

#include "link.h"
#include "nl.h"
#include "route.h"
#include "words.h"

static unsigned int host_len(int family)
{
	return family == AF_INET ? 32 : 128;
}

static int set_dst(struct rtnl_route *r, const struct hn_addr *dst)
{
	struct nl_addr *a = nl_addr_build(dst->family, dst->u.bytes,
					  dst->family == AF_INET ? 4 : 16);
	int rc;

	if (!a)
		return -ENOMEM;
	nl_addr_set_prefixlen(a, (int)host_len(dst->family));
	rc = hn_nl_errno(rtnl_route_set_dst(r, a));
	nl_addr_put(a);
	return rc;
}

static int set_oif(struct rtnl_route *r, int ifindex)
{
	struct rtnl_nexthop *nh;

	if (ifindex <= 0)
		return 0;
	nh = rtnl_route_nh_alloc();
	if (!nh)
		return -ENOMEM;
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(r, nh);
	return 0;
}

/**
 * hn_route_build_host_proto - build RTM_NEWROUTE/RTM_DELROUTE for a host route of @protocol
 * @cmd: RTM_NEWROUTE or RTM_DELROUTE
 * @dst: the host (AF_INET or AF_INET6); the prefix is /32 or /128
 * @ifindex: output device; 0 in a delete means "any device"
 * @flags: NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE for a new route
 * @protocol: the new route's RTPROT_*; in a delete, only a route of this
 *	      protocol is removed, RTPROT_UNSPEC matches any
 * @msg: receives the message; free with nlmsg_free()
 *
 * The route is main table, scope link, unicast. A tool that marks its
 * routes with a protocol of its own (uml_net) finds and deletes only those.
 *
 * Return: 0, -EINVAL (bad @cmd or @protocol), -EAFNOSUPPORT, -ENOMEM.
 */
int hn_route_build_host_proto(int cmd, const struct hn_addr *dst, int ifindex, int flags,
			      unsigned int protocol, struct nl_msg **msg)
{
	struct rtnl_route *r;
	int rc;

	if ((cmd != RTM_NEWROUTE && cmd != RTM_DELROUTE) || protocol > 255)
		return -EINVAL;
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	r = rtnl_route_alloc();
	if (!r)
		return -ENOMEM;
	rtnl_route_set_family(r, (uint8_t)dst->family);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_scope(r, RT_SCOPE_LINK);
	rtnl_route_set_type(r, RTN_UNICAST);
	rtnl_route_set_protocol(r, (uint8_t)protocol);
	rc = set_dst(r, dst);
	if (!rc)
		rc = set_oif(r, ifindex);
	if (!rc && cmd == RTM_NEWROUTE)
		rc = hn_nl_errno(rtnl_route_build_add_request(r, flags, msg));
	else if (!rc)
		rc = hn_nl_errno(rtnl_route_build_del_request(r, flags, msg));
	rtnl_route_put(r);
	return rc;
}

/**
 * hn_route_build_host - build RTM_NEWROUTE/RTM_DELROUTE for a host route
 *
 * As hn_route_build_host_proto(), for the route `route add -host` makes:
 * a new route is proto boot; a delete matches any protocol (libnl alone
 * would send RTPROT_STATIC).
 *
 * Return: 0, -EINVAL (bad @cmd), -EAFNOSUPPORT, -ENOMEM.
 */
int hn_route_build_host(int cmd, const struct hn_addr *dst, int ifindex, int flags,
			struct nl_msg **msg)
{
	return hn_route_build_host_proto(cmd, dst, ifindex, flags,
					 cmd == RTM_NEWROUTE ? RTPROT_BOOT : RTPROT_UNSPEC, msg);
}

static unsigned int route_table(const struct rtmsg *rt, struct nlattr **tb)
{
	return tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rt->rtm_table;
}

/* @a, an address of @family (AF_INET or AF_INET6), into @out; -EBADMSG if its length is wrong. */
static int get_addr(struct nlattr *a, int family, struct hn_addr *out)
{
	size_t alen = family == AF_INET ? 4 : 16;

	if ((size_t)nla_len(a) != alen)
		return -EBADMSG;
	out->family = family;
	memcpy(out->u.bytes, nla_data(a), alen);
	return 0;
}

static int read_host_route(const void *hdr, struct nlattr **tb, void *obj)
{
	const struct rtmsg *rt = hdr;
	struct hn_route_host *r = obj;

	if ((rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6) ||
	    rt->rtm_dst_len != host_len(rt->rtm_family) || rt->rtm_type != RTN_UNICAST ||
	    route_table(rt, tb) != RT_TABLE_MAIN || !tb[RTA_DST] || !tb[RTA_OIF])
		return 0;
	memset(r, 0, sizeof(*r));
	if (get_addr(tb[RTA_DST], rt->rtm_family, &r->dst))
		return -EBADMSG;
	r->ifindex = (int)nla_get_u32(tb[RTA_OIF]);
	r->protocol = rt->rtm_protocol;
	hn_link_name(r->ifindex, r->dev);
	return 1;
}

/**
 * hn_route_parse_host - read one RTM_NEWROUTE message as a host route
 * @obj: the struct hn_route_host to fill, when the message is a unicast
 *	 host route of the main table with a single output device (void *:
 *	 an hn_nl_parse_fn, as hn_route_list_host() hands it to hn_nl_list())
 *
 * Return: 1 (filled), 0 (another kind of route), -EBADMSG (malformed).
 */
int hn_route_parse_host(const struct nlmsghdr *nlh, void *obj)
{
	return hn_nl_read(nlh, RTM_NEWROUTE, sizeof(struct rtmsg), RTA_MAX, read_host_route, obj);
}

/* Dump @family's routes (AF_UNSPEC: all), each read by @parse into @obj for @cb. */
static int list(struct hn_ctx *ctx, int family, hn_nl_parse_fn parse, void *obj,
		hn_nl_obj_cb cb, void *arg)
{
	/* The kernel sends only @family's routes. */
	struct rtmsg rt = { .rtm_family = (unsigned char)family };

	return hn_nl_list(ctx, RTM_GETROUTE, &rt, sizeof(rt), parse, obj, cb, arg, "routes");
}

/**
 * hn_route_list_host - call @cb for each host route of the main table
 * @family: AF_INET, AF_INET6 or AF_UNSPEC for both
 * @cb: called with each route as a const struct hn_route_host *; returns
 *	0 to go on, or -errno to stop and make the call fail
 *
 * Return: 0, the first -errno @cb returned, or the kernel's -errno.
 */
int hn_route_list_host(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg)
{
	struct hn_route_host r;

	return list(ctx, family, hn_route_parse_host, &r, cb, arg);
}

struct find {
	const struct hn_addr *dst;
	struct hn_route_host *found;	/* the first route to dst */
};

static int on_find(const void *obj, void *arg)
{
	const struct hn_route_host *r = obj;
	struct find *f = arg;

	if (!f->found->ifindex && r->dst.family == f->dst->family &&
	    !memcmp(r->dst.u.bytes, f->dst->u.bytes, host_len(r->dst.family) / 8))
		*f->found = *r;
	return 0;
}

/**
 * hn_route_get_host - find the main table's host route to exactly @dst
 * @r: filled on success
 *
 * A dump of the routes, not one RTM_GETROUTE: the kernel answers a GET
 * with the route in use, and a policy rule (a VPN's table) or the local
 * table can hide the main table's entry from it. hn_route_get_match() is
 * the single GET, for callers that want the route in use.
 *
 * Return: 0, -ENOENT (no host route to @dst), or the kernel's -errno.
 */
int hn_route_get_host(struct hn_ctx *ctx, const struct hn_addr *dst, struct hn_route_host *r)
{
	struct find f = { .dst = dst, .found = r };
	int rc;

	memset(r, 0, sizeof(*r));
	rc = hn_route_list_host(ctx, dst->family, on_find, &f);
	if (rc)
		return rc;
	return r->ifindex ? 0 : -ENOENT;
}

/**
 * hn_route_send_host - add or delete the host route @h, without looking first
 * @cmd: RTM_NEWROUTE or RTM_DELROUTE
 * @h: the destination, the device (ifindex; 0 in a delete: any), the
 *     protocol (see hn_route_build_host_proto()), and the device's name
 *     for ctx->err ("" for none)
 * @flags: NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE for a new route
 *
 * Return: 0, -EINVAL, -EAFNOSUPPORT, -ENOMEM, or the kernel's -errno
 * (-EEXIST, -ESRCH ...).
 */
int hn_route_send_host(struct hn_ctx *ctx, int cmd, const struct hn_route_host *h, int flags)
{
	char a[INET6_ADDRSTRLEN], what[INET6_ADDRSTRLEN + IFNAMSIZ + 16];
	struct nl_msg *msg;
	int rc = hn_route_build_host_proto(cmd, &h->dst, h->ifindex, flags, h->protocol, &msg);

	snprintf(what, sizeof(what), "route %s%s%s", hn_addr_str(&h->dst, a),
		 h->dev[0] ? " dev " : "", h->dev);
	return hn_nl_request(ctx, rc, msg, what);
}

/* A host route as route(8) makes it, or any protocol's in a delete. */
static int send_route(struct hn_ctx *ctx, int cmd, const struct hn_addr *dst, int ifindex,
		      int flags, const char *dev)
{
	struct hn_route_host h = { .dst = *dst, .ifindex = ifindex,
				   .protocol = cmd == RTM_NEWROUTE ? RTPROT_BOOT : RTPROT_UNSPEC };

	snprintf(h.dev, sizeof(h.dev), "%s", dev);
	return hn_route_send_host(ctx, cmd, &h, flags);
}

/**
 * hn_route_add_host - route @dst straight to @dev (`route add -host @dst dev @dev`)
 * @replace: move an existing host route to @dst from another device
 *
 * Without @replace, a host route to @dst that already exists is refused,
 * on @dev or on another device (ctx->err names the device it uses).
 *
 * Return: 0, -ENODEV (no @dev), -EEXIST (already routed), -EINVAL, or
 * the kernel's -errno.
 */
int hn_route_add_host(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev,
		      bool replace)
{
	char a[INET6_ADDRSTRLEN];
	struct hn_route_host cur;
	int ifindex, rc = hn_link_index(ctx, dev, &ifindex);

	if (rc)
		return rc;
	rc = replace ? -ENOENT : hn_route_get_host(ctx, dst, &cur);
	if (rc == 0 && cur.ifindex != ifindex)
		return hn_ctx_fail(ctx, -EEXIST, "route %s: already routed to %s",
				   hn_addr_str(dst, a), cur.dev[0] ? cur.dev : "another device");
	if (rc == 0)
		return hn_ctx_fail(ctx, -EEXIST, "route %s dev %s", hn_addr_str(dst, a), dev);
	if (rc != -ENOENT)
		return rc;
	return send_route(ctx, RTM_NEWROUTE, dst, ifindex,
			  NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL), dev);
}

/**
 * hn_route_del_host - delete the host route to @dst
 * @dev: its device, or NULL for whichever device it uses
 *
 * Return: 0, -ENODEV (no @dev), -ESRCH (no such route), or the kernel's -errno.
 */
int hn_route_del_host(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev)
{
	char a[INET6_ADDRSTRLEN];
	struct hn_route_host cur;
	int ifindex = 0, rc = dev ? hn_link_index(ctx, dev, &ifindex) : 0;

	if (rc)
		return rc;
	rc = hn_route_get_host(ctx, dst, &cur);
	if (rc == -ENOENT || (!rc && dev && cur.ifindex != ifindex))
		return hn_ctx_fail(ctx, -ESRCH, "route %s%s%s", hn_addr_str(dst, a),
				   dev ? " dev " : "", dev ? dev : "");
	if (rc)
		return rc;
	return send_route(ctx, RTM_DELROUTE, dst, cur.ifindex, 0, cur.dev);
}

/**
 * hn_route_build_get - RTM_GETROUTE for one destination: the route the kernel would use
 * @dst: the host (AF_INET or AF_INET6)
 * @rtm_flags: 0 for the resolved route (device, source), or RTM_F_FIB_MATCH
 *	       for the routing table entry that matched
 * @msg: receives the message; free with nlmsg_free()
 *
 * Return: 0, -EAFNOSUPPORT, -ENOMEM.
 */
int hn_route_build_get(const struct hn_addr *dst, unsigned int rtm_flags, struct nl_msg **msg)
{
	struct rtmsg rt = { .rtm_family = (unsigned char)dst->family,
			    .rtm_dst_len = (unsigned char)host_len(dst->family),
			    .rtm_flags = rtm_flags };

	*msg = NULL;
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (hn_nl_msg_new(RTM_GETROUTE, 0, &rt, sizeof(rt), msg) < 0)
		return -ENOMEM;
	if (nla_put(*msg, RTA_DST, (int)host_len(dst->family) / 8, dst->u.bytes) < 0) {
		nlmsg_free(*msg);
		*msg = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Send a GET that hn_route_build_get() makes: one reply, read by @cb. */
static int get(struct hn_ctx *ctx, const struct hn_addr *dst, unsigned int rtm_flags,
	       hn_nl_msg_cb cb, void *arg)
{
	struct nl_msg *msg;
	int rc = hn_route_build_get(dst, rtm_flags, &msg);

	if (rc)
		return rc;
	rc = hn_nl_talk(ctx, msg, cb, arg);
	nlmsg_free(msg);
	return rc;
}

static int on_lookup(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[RTA_MAX + 1];

	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct rtmsg), tb, RTA_MAX, NULL) < 0)
		return -EBADMSG;
	if (tb[RTA_OIF])
		*(int *)arg = (int)nla_get_u32(tb[RTA_OIF]);
	return 0;
}

/**
 * hn_route_lookup - the device the kernel would send a packet for @dst out of
 * @ifindex: receives it (the loopback device for a local address)
 *
 * Return: 0, -ENETUNREACH/-EHOSTUNREACH (no route), -ENODEV (no device
 * in the answer), or the kernel's -errno.
 */
int hn_route_lookup(struct hn_ctx *ctx, const struct hn_addr *dst, int *ifindex)
{
	char a[INET6_ADDRSTRLEN];
	int rc;

	*ifindex = 0;
	rc = get(ctx, dst, 0, on_lookup, ifindex);
	if (!rc && !*ifindex)
		rc = -ENODEV;
	return rc ? hn_ctx_fail(ctx, rc, "route get %s", hn_addr_str(dst, a)) : 0;
}

static int on_match(struct nl_msg *msg, void *arg)
{
	int rc = hn_route_parse_host(nlmsg_hdr(msg), arg);

	return rc < 0 ? rc : 0;
}

/**
 * hn_route_get_match - the route the kernel would use for @dst, if it is a host route
 * @h: filled when the route that matches (RTM_F_FIB_MATCH) is a unicast
 *     host route to @dst with one device
 *
 * One RTM_GETROUTE, not a dump of every route, so the cost does not grow
 * with the number of routes. It answers for the route in use: a host
 * route of the main table that a policy rule hides is not seen (a dump,
 * hn_route_get_host(), sees it).
 *
 * Return: 0 (found), -ENOENT (no route, unreachable, or the route in use
 * is not a host route), or -errno.
 */
int hn_route_get_match(struct hn_ctx *ctx, const struct hn_addr *dst, struct hn_route_host *h)
{
	char a[INET6_ADDRSTRLEN];
	int rc;

	memset(h, 0, sizeof(*h));
	rc = get(ctx, dst, RTM_F_FIB_MATCH, on_match, h);
	if (rc == -ENETUNREACH || rc == -EHOSTUNREACH || (rc == 0 && !h->ifindex))
		return -ENOENT;
	return rc ? hn_ctx_fail(ctx, rc, "route get %s", hn_addr_str(dst, a)) : 0;
}

/* ---- any single-device route: what moving a port's routes to a bridge needs ---- */

static int read_route(const void *hdr, struct nlattr **tb, void *obj)
{
	const struct rtmsg *rt = hdr;
	struct hn_route *r = obj;

	if ((rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6) || !tb[RTA_OIF] ||
	    tb[RTA_MULTIPATH])
		return 0;
	memset(r, 0, sizeof(*r));
	r->dst.addr.family = rt->rtm_family;
	r->dst.len = rt->rtm_dst_len;
	if (tb[RTA_DST] && get_addr(tb[RTA_DST], rt->rtm_family, &r->dst.addr))
		return -EBADMSG;
	if (tb[RTA_GATEWAY] && get_addr(tb[RTA_GATEWAY], rt->rtm_family, &r->gw))
		return -EBADMSG;
	if (tb[RTA_PREFSRC] && get_addr(tb[RTA_PREFSRC], rt->rtm_family, &r->src))
		return -EBADMSG;
	r->table = route_table(rt, tb);
	r->priority = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	r->protocol = rt->rtm_protocol;
	r->scope = rt->rtm_scope;
	r->type = rt->rtm_type;
	r->oif = (int)nla_get_u32(tb[RTA_OIF]);
	return 1;
}

/**
 * hn_route_parse - read one RTM_NEWROUTE message into @obj
 * @obj: the struct hn_route to fill (void *: an hn_nl_parse_fn, as
 *	 hn_route_list() hands it to hn_nl_list())
 *
 * Return: 1 (filled: an IPv4 or IPv6 route with one output device), 0
 * (another kind: multipath, no device, other family), -EBADMSG.
 */
int hn_route_parse(const struct nlmsghdr *nlh, void *obj)
{
	return hn_nl_read(nlh, RTM_NEWROUTE, sizeof(struct rtmsg), RTA_MAX, read_route, obj);
}

/**
 * hn_route_build - RTM_NEWROUTE/RTM_DELROUTE of exactly @r
 * @flags: NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE for a new route
 * @msg: receives the message; free with nlmsg_free()
 *
 * Return: 0, -EINVAL (bad @cmd or family), -ENOMEM.
 */
int hn_route_build(int cmd, int flags, const struct hn_route *r, struct nl_msg **msg)
{
	int family = r->dst.addr.family;
	size_t alen = family == AF_INET ? 4 : 16;
	struct rtmsg rt = {
		.rtm_family = (unsigned char)family, .rtm_dst_len = (unsigned char)r->dst.len,
		.rtm_table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_UNSPEC,
		.rtm_protocol = r->protocol, .rtm_scope = r->scope, .rtm_type = r->type,
	};

	if ((cmd != RTM_NEWROUTE && cmd != RTM_DELROUTE) ||
	    (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	if (hn_nl_msg_new(cmd, flags, &rt, sizeof(rt), msg) < 0)
		return -ENOMEM;
	if ((r->dst.len && nla_put(*msg, RTA_DST, (int)alen, r->dst.addr.u.bytes) < 0) ||
	    (r->gw.family && nla_put(*msg, RTA_GATEWAY, (int)alen, r->gw.u.bytes) < 0) ||
	    (r->src.family && nla_put(*msg, RTA_PREFSRC, (int)alen, r->src.u.bytes) < 0) ||
	    nla_put_u32(*msg, RTA_TABLE, r->table) < 0 ||
	    nla_put_u32(*msg, RTA_PRIORITY, r->priority) < 0 ||
	    (r->oif > 0 && nla_put_u32(*msg, RTA_OIF, (uint32_t)r->oif) < 0)) {
		nlmsg_free(*msg);
		*msg = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * hn_route_list - call @cb for each route of every table that has one
 * output device
 * @family: AF_INET, AF_INET6 or AF_UNSPEC for both
 * @cb: called with each route as a const struct hn_route *; returns 0 to
 *	go on, or -errno to stop and make the call fail
 *
 * Return: 0, the first -errno @cb returned, or the kernel's -errno.
 */
int hn_route_list(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg)
{
	struct hn_route r;

	return list(ctx, family, hn_route_parse, &r, cb, arg);
}

/**
 * hn_route_text - @r without its device, as one line of words:
 * "DST/LEN [via GW] [src SRC] metric N table N proto N scope N type N"
 *
 * Return: 0, or -ENOSPC when @len is too small.
 */
int hn_route_text(const struct hn_route *r, char *buf, size_t len)
{
	char d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN + 5] = "", s[INET6_ADDRSTRLEN + 5] = "";
	char t[INET6_ADDRSTRLEN];
	int n;

	if (r->gw.family)
		snprintf(g, sizeof(g), " via %s", hn_addr_str(&r->gw, t));
	if (r->src.family)
		snprintf(s, sizeof(s), " src %s", hn_addr_str(&r->src, t));
	n = snprintf(buf, len, "%s/%u%s%s metric %u table %u proto %u scope %u type %u",
		     hn_addr_str(&r->dst.addr, d), r->dst.len, g, s, r->priority, r->table,
		     r->protocol, r->scope, r->type);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

static int byte_of(const char *w, uint8_t *v)
{
	uint32_t x;

	if (hn_parse_u32(w, &x) || x > 255)
		return -EINVAL;
	*v = (uint8_t)x;
	return 0;
}

/**
 * hn_route_from_text - read hn_route_text()'s words back (oif left 0)
 *
 * Return: 0 or -EINVAL.
 */
int hn_route_from_text(const char *s, struct hn_route *r)
{
	char buf[HN_ROUTE_TEXT_MAX], *w[16];
	int n, i = 1, fam;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	n = hn_words_split(buf, w, 16);
	memset(r, 0, sizeof(*r));
	if (n < 1 || hn_parse_prefix(w[0], AF_UNSPEC, true, &r->dst))
		return -EINVAL;
	fam = r->dst.addr.family;
	if (i + 1 < n && !strcmp(w[i], "via") && !hn_parse_addr(w[i + 1], fam, &r->gw))
		i += 2;
	if (i + 1 < n && !strcmp(w[i], "src") && !hn_parse_addr(w[i + 1], fam, &r->src))
		i += 2;
	if (n != i + 10 || strcmp(w[i], "metric") || hn_parse_u32(w[i + 1], &r->priority) ||
	    strcmp(w[i + 2], "table") || hn_parse_u32(w[i + 3], &r->table) ||
	    strcmp(w[i + 4], "proto") || byte_of(w[i + 5], &r->protocol) ||
	    strcmp(w[i + 6], "scope") || byte_of(w[i + 7], &r->scope) ||
	    strcmp(w[i + 8], "type") || byte_of(w[i + 9], &r->type))
		return -EINVAL;
	return 0;
}

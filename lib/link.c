/* link.c - link lookup and changes through libnl-route-3; messages built here, sent by nl.c. */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/object.h>
#include <netlink/route/link.h>

#include "nl.h"
#include "link.h"
#include "parse.h"

static int got_object(struct nl_object *obj, void *arg)
{
	struct rtnl_link **out = arg;

	if (!*out) {
		nl_object_get(obj);
		*out = (struct rtnl_link *)obj;
	}
	return 0;
}

static void on_object(struct nl_object *obj, void *arg)
{
	got_object(obj, arg);
}

static int parse_link(struct nl_msg *msg, void *arg)
{
	return hn_nl_errno(nl_msg_parse(msg, on_object, arg));
}

static void fill_info(struct rtnl_link *l, struct hn_link_info *info)
{
	struct nl_addr *a = rtnl_link_get_addr(l);
	const char *kind = rtnl_link_get_type(l);

	memset(info, 0, sizeof(*info));
	strncpy(info->name, rtnl_link_get_name(l), IFNAMSIZ - 1);
	info->ifindex = rtnl_link_get_ifindex(l);
	info->flags = rtnl_link_get_flags(l);
	info->mtu = rtnl_link_get_mtu(l);
	info->master = rtnl_link_get_master(l);
	info->group = rtnl_link_get_group(l);
	if (a && nl_addr_get_len(a) == 6) {
		memcpy(info->mac, nl_addr_get_binary_addr(a), 6);
		info->has_mac = true;
	}
	if (kind)
		strncpy(info->kind, kind, sizeof(info->kind) - 1);
}

/**
 * hn_link_build_req - build an RTM_GETLINK request: for @name, or a dump
 * (@name NULL) of every link, or of links of @kind only (if not NULL)
 *
 * The request asks the kernel to leave out the IPv6 and VF statistics
 * (RTEXT_FILTER_SKIP_STATS; older kernels ignore it; the link's own
 * counters always come): no tool reads them, and inet6's are the largest
 * part of a link's entry.
 * A kernel older than 4.6 ignores @kind and dumps every link.
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG for a bad name, -ENOMEM.
 */
int hn_link_build_req(const char *name, const char *kind, struct nl_msg **msg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *li;
	int rc = name ? hn_parse_ifname(name, 0, NULL) : 0;

	if (rc)
		return rc;
	*msg = nlmsg_alloc_simple(RTM_GETLINK, name ? 0 : NLM_F_DUMP);
	if (!*msg)
		return -ENOMEM;
	if (nlmsg_append(*msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    (name && nla_put_string(*msg, IFLA_IFNAME, name) < 0) ||
	    nla_put_u32(*msg, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0)
		goto fail;
	if (!name && kind) {
		li = nla_nest_start(*msg, IFLA_LINKINFO);
		if (!li || nla_put_string(*msg, IFLA_INFO_KIND, kind) < 0)
			goto fail;
		nla_nest_end(*msg, li);
	}
	return 0;
fail:
	nlmsg_free(*msg);
	*msg = NULL;
	return -ENOMEM;
}

/**
 * hn_link_build_get - build the RTM_GETLINK request for @name (not a dump)
 *
 * The kernel answers with the link's RTM_NEWLINK, and first applies any
 * carrier change of the link still waiting in its linkwatch queue
 * (rtnl_getlink(), kernel 6.x), so the reply and later requests see the
 * link's real operstate.
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG for a bad name, -ENOMEM.
 */
int hn_link_build_get(const char *name, struct nl_msg **msg)
{
	return name ? hn_link_build_req(name, NULL, msg) : -EINVAL;
}

/**
 * hn_link_talk_get - send the RTM_GETLINK for @name and hand its reply to @cb
 * @cb: called with the link's RTM_NEWLINK message (not called if the
 *	request fails)
 * @arg: passed to @cb
 *
 * For readers that parse the link message themselves (bridge, VXLAN
 * attributes). Says nothing in @ctx->err: the caller names what failed.
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG for a bad name, -ENODEV (no such
 * link), -ENOMEM, or another -errno from the kernel.
 */
int hn_link_talk_get(struct hn_ctx *ctx, const char *name, hn_nl_msg_cb cb, void *arg)
{
	struct nl_msg *msg;
	int rc = hn_link_build_get(name, &msg);

	if (rc)
		return rc;
	rc = hn_nl_talk(ctx, msg, cb, arg);
	nlmsg_free(msg);
	return rc;
}

/**
 * hn_link_get - look up one interface by name
 * @info: filled on success
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG for a bad name, -ENODEV, or -errno.
 */
int hn_link_get(struct hn_ctx *ctx, const char *name, struct hn_link_info *info)
{
	struct rtnl_link *l = NULL;
	int rc = hn_link_talk_get(ctx, name, parse_link, &l);

	if (!rc && !l)
		rc = -ENODEV;
	if (rc)
		return hn_ctx_fail(ctx, rc, "%s", name);
	fill_info(l, info);
	rtnl_link_put(l);
	return 0;
}

/** hn_link_index - the ifindex of @name. Return: 0, -ENODEV, or -errno. */
int hn_link_index(struct hn_ctx *ctx, const char *name, int *ifindex)
{
	struct hn_link_info info;
	int rc = hn_link_get(ctx, name, &info);

	if (!rc)
		*ifindex = info.ifindex;
	return rc;
}

/**
 * hn_link_name - the name of interface @ifindex, for an object read from the
 * kernel that shows its device by name
 * @dev: receives the name, or "" when the index has none (the device is gone)
 */
void hn_link_name(int ifindex, char dev[IFNAMSIZ])
{
	if (!if_indextoname((unsigned int)ifindex, dev))
		dev[0] = '\0';
}

static int apply_change(struct rtnl_link *c, const struct hn_link_change *chg)
{
	struct nl_addr *a;

	if (chg->set & HN_LINK_SET_UP) {
		if (chg->up)
			rtnl_link_set_flags(c, IFF_UP);
		else
			rtnl_link_unset_flags(c, IFF_UP);
	}
	if (chg->set & HN_LINK_SET_MTU)
		rtnl_link_set_mtu(c, chg->mtu);
	if (chg->set & HN_LINK_SET_MASTER)
		rtnl_link_set_master(c, chg->master);
	if (chg->set & HN_LINK_SET_GROUP)
		rtnl_link_set_group(c, chg->group);
	if (chg->set & HN_LINK_SET_MAC) {
		a = nl_addr_build(AF_LLC, chg->mac, 6);
		if (!a)
			return -ENOMEM;
		rtnl_link_set_addr(c, a);
		nl_addr_put(a);
	}
	return 0;
}

/**
 * hn_link_build_change - build the RTM_NEWLINK request that changes @name
 * @chg: the fields to change (chg->set)
 * @msg: receives the message; free with nlmsg_free()
 *
 * The link is named by IFLA_IFNAME, so no lookup is needed first.
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG (bad name), -ENOMEM.
 */
int hn_link_build_change(const char *name, const struct hn_link_change *chg,
			 struct nl_msg **msg)
{
	struct rtnl_link *c;
	int rc = hn_link_alloc_named(name, 0, &c);

	if (rc)
		return rc;
	rc = apply_change(c, chg);
	if (!rc)
		rc = hn_link_build_changes(c, msg);
	rtnl_link_put(c);
	return rc;
}

/** hn_link_change - apply @chg to @name. Return: 0, -ENODEV, or the kernel's -errno. */
int hn_link_change(struct hn_ctx *ctx, const char *name, const struct hn_link_change *chg)
{
	struct nl_msg *msg = NULL;
	int rc = hn_link_build_change(name, chg, &msg);

	return hn_nl_request(ctx, rc, msg, name);
}

/** hn_link_set_up - bring @name up or down. Return: as hn_link_change(). */
int hn_link_set_up(struct hn_ctx *ctx, const char *name, bool up)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_UP, .up = up };

	return hn_link_change(ctx, name, &chg);
}

/** hn_link_set_mtu - set the MTU. Return: as hn_link_change(); -EINVAL out of the device's range. */
int hn_link_set_mtu(struct hn_ctx *ctx, const char *name, unsigned int mtu)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_MTU, .mtu = mtu };

	return hn_link_change(ctx, name, &chg);
}

/** hn_link_set_mac - set the hardware address. Return: as hn_link_change(). */
int hn_link_set_mac(struct hn_ctx *ctx, const char *name, const uint8_t mac[6])
{
	struct hn_link_change chg = { .set = HN_LINK_SET_MAC };

	memcpy(chg.mac, mac, 6);
	return hn_link_change(ctx, name, &chg);
}

/**
 * hn_link_set_master - enslave @name to @master, or free it when @master is NULL
 *
 * Return: 0, -ENODEV (either link missing), or the kernel's -errno.
 */
int hn_link_set_master(struct hn_ctx *ctx, const char *name, const char *master)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_MASTER };
	int rc;

	if (master) {
		rc = hn_link_index(ctx, master, &chg.master);
		if (rc)
			return rc;
	}
	return hn_link_change(ctx, name, &chg);
}

/** hn_link_set_group - set the link group number. Return: as hn_link_change(). */
int hn_link_set_group(struct hn_ctx *ctx, const char *name, uint32_t group)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_GROUP, .group = group };

	return hn_link_change(ctx, name, &chg);
}

/**
 * hn_link_alloc_named - a libnl link object named @name, to build a request from
 * @flags: as hn_parse_ifname() takes them (HN_PARSE_IFNAME_PATTERN: one "%d")
 * @l: receives it; release with rtnl_link_put()
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG (bad name: never truncated), -ENOMEM.
 */
int hn_link_alloc_named(const char *name, unsigned int flags, struct rtnl_link **l)
{
	int rc = hn_parse_ifname(name, flags, NULL);

	if (rc)
		return rc;
	*l = rtnl_link_alloc();
	if (!*l)
		return -ENOMEM;
	rtnl_link_set_name(*l, name);
	return 0;
}

/**
 * hn_link_build_changes - build the request making the changes set in @c
 * @c: a libnl link object that names the link (by name, or by family and
 *     ifindex) and carries the changes; not freed
 * @msg: receives the message; free with nlmsg_free()
 *
 * rtnl_link_build_change_request() takes the link as it is as well; of
 * that, only its family and index reach the message, and they are @c's.
 *
 * Return: 0, -ENOMEM, or another -errno from libnl.
 */
int hn_link_build_changes(struct rtnl_link *c, struct nl_msg **msg)
{
	struct rtnl_link *orig = rtnl_link_alloc();
	int rc;

	if (!orig)
		return -ENOMEM;
	rtnl_link_set_family(orig, rtnl_link_get_family(c));
	rtnl_link_set_ifindex(orig, rtnl_link_get_ifindex(c));
	rc = hn_nl_errno(rtnl_link_build_change_request(orig, c, 0, msg));
	rtnl_link_put(orig);
	return rc;
}

/** hn_link_build_delete - build the RTM_DELLINK request for @name. Return: 0, -EINVAL, -ENOMEM. */
int hn_link_build_delete(const char *name, struct nl_msg **msg)
{
	struct rtnl_link *l;
	int rc = hn_link_alloc_named(name, 0, &l);

	if (rc)
		return rc;
	rc = hn_nl_errno(rtnl_link_build_delete_request(l, msg));
	rtnl_link_put(l);
	return rc;
}

/**
 * hn_link_request_named - build the request about link @name with @build
 * (hn_link_build_delete, hn_bridge_build_add ...) and send it
 *
 * Return: 0, or @build's or the kernel's -errno, said in @ctx with @name.
 */
int hn_link_request_named(struct hn_ctx *ctx, const char *name,
			  int (*build)(const char *name, struct nl_msg **msg))
{
	struct nl_msg *msg = NULL;
	int rc = build(name, &msg);

	return hn_nl_request(ctx, rc, msg, name);
}

/** hn_link_del - delete the interface @name. Return: 0, -ENODEV, -EOPNOTSUPP, or -errno. */
int hn_link_del(struct hn_ctx *ctx, const char *name)
{
	return hn_link_request_named(ctx, name, hn_link_build_delete);
}

/**
 * hn_link_build_alias - build an RTM_NEWLINK setting the alias (IFLA_IFALIAS)
 * of interface @ifindex; "" clears it. Only CAP_NET_ADMIN can change an
 * alias, so it can carry a mark that a tap's fd holder cannot forge.
 *
 * Return: 0, -EINVAL (bad index, alias too long), -ENOMEM.
 */
int hn_link_build_alias(int ifindex, const char *alias, struct nl_msg **msg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	size_t n = strlen(alias);
	struct nl_msg *m;

	if (ifindex <= 0 || n >= HN_LINK_ALIAS_MAX)
		return -EINVAL;
	m = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, IFLA_IFALIAS, (int)n, alias) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	*msg = m;
	return 0;
}

/** hn_link_set_alias - set the alias of @ifindex. Return: 0, or -errno. */
int hn_link_set_alias(struct hn_ctx *ctx, int ifindex, const char *alias)
{
	struct nl_msg *msg = NULL;
	int rc = hn_link_build_alias(ifindex, alias, &msg);

	return hn_nl_request(ctx, rc, msg, "set alias");
}

/**
 * hn_link_alias_parse - the alias in a link message (RTM_NEWLINK)
 * @alias: receives it, "" when there is none
 *
 * Return: 0, -EINVAL (not a link message), -ENAMETOOLONG (never truncated).
 */
int hn_link_alias_parse(const struct nlmsghdr *nlh, char alias[HN_LINK_ALIAS_MAX])
{
	struct nlattr *a;
	int n;

	alias[0] = '\0';
	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EINVAL;
	a = nlmsg_find_attr((struct nlmsghdr *)nlh, sizeof(struct ifinfomsg), IFLA_IFALIAS);
	if (!a)
		return 0;
	n = nla_len(a);
	while (n > 0 && ((const char *)nla_data(a))[n - 1] == '\0')
		n--;
	if (n >= HN_LINK_ALIAS_MAX)
		return -ENAMETOOLONG;
	memcpy(alias, nla_data(a), (size_t)n);
	alias[n] = '\0';
	return 0;
}

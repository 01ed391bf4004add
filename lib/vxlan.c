/* vxlan.c - VXLAN links: the create request built with libnl-route-3's vxlan API, a link's VXLAN data read back. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>

#include "nl.h"
#include "link.h"
#include "vxlan.h"

static size_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

/**
 * hn_vxlan_overhead - bytes a VXLAN adds to each guest frame over @family
 *
 * Return: HN_VXLAN_OVERHEAD4 for AF_INET, HN_VXLAN_OVERHEAD6 otherwise.
 */
unsigned int hn_vxlan_overhead(int family)
{
	return family == AF_INET ? HN_VXLAN_OVERHEAD4 : HN_VXLAN_OVERHEAD6;
}

/* Set an address through one of libnl's vxlan address setters. */
static int set_addr(struct rtnl_link *l, const struct hn_addr *a,
		    int (*set)(struct rtnl_link *, struct nl_addr *))
{
	struct nl_addr *na;
	int rc;

	if (!a->family)
		return 0;
	if (a->family != AF_INET && a->family != AF_INET6)
		return -EAFNOSUPPORT;
	na = nl_addr_build(a->family, a->u.bytes, alen(a->family));
	if (!na)
		return -ENOMEM;
	rc = hn_nl_errno(set(l, na));
	nl_addr_put(na);
	return rc;
}

static int fill(struct rtnl_link *l, const char *name, const struct hn_vxlan *vx)
{
	int rc;

	rtnl_link_set_name(l, name);
	rc = hn_nl_errno(rtnl_link_vxlan_set_id(l, vx->id));
	if (!rc && vx->link)
		rc = hn_nl_errno(rtnl_link_vxlan_set_link(l, (uint32_t)vx->link));
	if (!rc)
		rc = set_addr(l, &vx->local, rtnl_link_vxlan_set_local);
	if (!rc)
		rc = set_addr(l, &vx->group, rtnl_link_vxlan_set_group);
	if (!rc)
		rc = hn_nl_errno(rtnl_link_vxlan_set_port(l, vx->port));
	if (!rc && vx->has_ttl)
		rc = hn_nl_errno(rtnl_link_vxlan_set_ttl(l, vx->ttl));
	if (!rc)
		rc = hn_nl_errno(rtnl_link_vxlan_set_learning(l, vx->learning));
	return rc;
}

/**
 * hn_vxlan_build_add - build the RTM_NEWLINK that creates VXLAN link @name
 * @vx: its parameters; @vx->port in host order, @vx->local and @vx->group
 *	left out when their family is 0
 * @msg: receives the message (NLM_F_CREATE | NLM_F_EXCL); free with nlmsg_free()
 *
 * The name is checked first: libnl would truncate a long one silently.
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG (bad name), -ERANGE (VNI 0 or over
 * 24 bits, port 0), -EAFNOSUPPORT (an address neither IPv4 nor IPv6),
 * -ENOMEM.
 */
int hn_vxlan_build_add(const char *name, const struct hn_vxlan *vx, struct nl_msg **msg)
{
	struct rtnl_link *l;
	int rc = hn_parse_ifname(name, 0, NULL);

	*msg = NULL;
	if (rc)
		return rc;
	if (!vx->id || vx->id > HN_VXLAN_VNI_MAX || !vx->port)
		return -ERANGE;
	l = rtnl_link_vxlan_alloc();
	if (!l)
		return -ENOMEM;
	rc = fill(l, name, vx);
	if (!rc)
		rc = hn_nl_errno(rtnl_link_build_add_request(l, NLM_F_CREATE | NLM_F_EXCL, msg));
	rtnl_link_put(l);
	return rc;
}

static void get_addr(struct nlattr *a4, struct nlattr *a6, struct hn_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (a4 && nla_len(a4) == 4 && nla_get_u32(a4)) {
		out->family = AF_INET;
		memcpy(out->u.bytes, nla_data(a4), 4);
	} else if (a6 && nla_len(a6) == 16) {
		out->family = AF_INET6;
		memcpy(out->u.bytes, nla_data(a6), 16);
		if (IN6_IS_ADDR_UNSPECIFIED(&out->u.v6))
			out->family = 0;
	}
}

/**
 * hn_vxlan_parse - read the VXLAN data of one RTM_NEWLINK message
 *
 * Return: 0 (filled), -ENOENT (not a VXLAN link), -EBADMSG (malformed).
 */
int hn_vxlan_parse(const struct nlmsghdr *nlh, struct hn_vxlan *vx)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *d[IFLA_VXLAN_MAX + 1];

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse((struct nlmsghdr *)nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0)
		return -EBADMSG;
	if (!tb[IFLA_LINKINFO] ||
	    nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0 ||
	    !li[IFLA_INFO_KIND] || strcmp(nla_get_string(li[IFLA_INFO_KIND]), "vxlan"))
		return -ENOENT;
	if (!li[IFLA_INFO_DATA] ||
	    nla_parse_nested(d, IFLA_VXLAN_MAX, li[IFLA_INFO_DATA], NULL) < 0 ||
	    !d[IFLA_VXLAN_ID])
		return -EBADMSG;
	memset(vx, 0, sizeof(*vx));
	vx->id = nla_get_u32(d[IFLA_VXLAN_ID]);
	vx->link = d[IFLA_VXLAN_LINK] ? (int)nla_get_u32(d[IFLA_VXLAN_LINK]) : 0;
	get_addr(d[IFLA_VXLAN_LOCAL], d[IFLA_VXLAN_LOCAL6], &vx->local);
	get_addr(d[IFLA_VXLAN_GROUP], d[IFLA_VXLAN_GROUP6], &vx->group);
	vx->port = d[IFLA_VXLAN_PORT] ? ntohs(nla_get_u16(d[IFLA_VXLAN_PORT])) : 0;
	vx->ttl = d[IFLA_VXLAN_TTL] ? nla_get_u8(d[IFLA_VXLAN_TTL]) : 0;
	vx->has_ttl = vx->ttl != 0;
	vx->learning = d[IFLA_VXLAN_LEARNING] && nla_get_u8(d[IFLA_VXLAN_LEARNING]);
	return 0;
}

struct got {
	struct hn_vxlan *vx;
	int rc;
};

static int on_link(struct nl_msg *msg, void *arg)
{
	struct got *g = arg;

	g->rc = hn_vxlan_parse(nlmsg_hdr(msg), g->vx);
	return 0;
}

/**
 * hn_vxlan_get - the VXLAN parameters of link @name
 *
 * Return: 0, -ENODEV (no such link), -ENOENT (not a VXLAN link), or -errno.
 */
int hn_vxlan_get(struct hn_ctx *ctx, const char *name, struct hn_vxlan *vx)
{
	struct got g = { .vx = vx, .rc = -ENODEV };
	int rc = hn_link_talk_get(ctx, name, on_link, &g);

	if (!rc)
		rc = g.rc;
	return rc ? hn_ctx_fail(ctx, rc, "%s", name) : 0;
}

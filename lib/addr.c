/* addr.c - interface addresses: RTM_NEWADDR built with libnl-route-3, dumps parsed from the raw messages. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/addr.h>
#include <netlink/route/addr.h>

#include "addr.h"
#include "link.h"
#include "nl.h"

/* Build the RTM_NEWADDR (@del false) or RTM_DELADDR request for @p on @ifindex. */
static int build_addr(bool del, int ifindex, const struct hn_prefix *p, struct nl_msg **msg)
{
	size_t alen = p->addr.family == AF_INET ? 4 : 16;
	struct rtnl_addr *a;
	struct nl_addr *local;
	int rc;

	if (ifindex <= 0 || (p->addr.family != AF_INET && p->addr.family != AF_INET6))
		return -EINVAL;
	local = nl_addr_build(p->addr.family, p->addr.u.bytes, alen);
	a = rtnl_addr_alloc();
	if (!local || !a) {
		nl_addr_put(local);
		rtnl_addr_put(a);
		return -ENOMEM;
	}
	nl_addr_set_prefixlen(local, (int)p->len);
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, p->addr.family);
	rc = hn_nl_errno(rtnl_addr_set_local(a, local));
	if (!rc) {
		rtnl_addr_set_prefixlen(a, (int)p->len);
		rc = hn_nl_errno(del ? rtnl_addr_build_delete_request(a, 0, msg) :
				 rtnl_addr_build_add_request(a, NLM_F_EXCL, msg));
	}
	nl_addr_put(local);
	rtnl_addr_put(a);
	return rc;
}

/**
 * hn_addr_build_add - build the RTM_NEWADDR request for @p on @ifindex
 * @p: address and prefix length (IPv4 or IPv6); scope global
 * @msg: receives the message, which the caller frees with nlmsg_free()
 *
 * NLM_F_EXCL is set: an address that is already there is an error.
 *
 * Return: 0, -EINVAL (bad family or index) or -ENOMEM.
 */
int hn_addr_build_add(int ifindex, const struct hn_prefix *p, struct nl_msg **msg)
{
	return build_addr(false, ifindex, p, msg);
}

/**
 * hn_addr_build_del - build the RTM_DELADDR request for @p on @ifindex
 * @msg: receives the message, which the caller frees with nlmsg_free()
 *
 * Return: 0, -EINVAL (bad family or index) or -ENOMEM.
 */
int hn_addr_build_del(int ifindex, const struct hn_prefix *p, struct nl_msg **msg)
{
	return build_addr(true, ifindex, p, msg);
}

/**
 * hn_addr_add - add the address @p to the interface @ifname
 *
 * Return: 0, -ENODEV, -EEXIST (already there), or the kernel's -errno.
 */
int hn_addr_add(struct hn_ctx *ctx, const char *ifname, const struct hn_prefix *p)
{
	char what[IFNAMSIZ + 16];
	struct nl_msg *msg = NULL;
	int ifindex, rc = hn_link_index(ctx, ifname, &ifindex);

	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s: address", ifname);
	rc = hn_addr_build_add(ifindex, p, &msg);
	return hn_nl_request(ctx, rc, msg, what);
}

static int read_addr(const void *hdr, struct nlattr **tb, void *obj)
{
	const struct ifaddrmsg *ifa = hdr;
	struct hn_addr_info *info = obj;
	struct nlattr *a;
	size_t alen;

	memset(info, 0, sizeof(*info));
	alen = ifa->ifa_family == AF_INET ? 4 : ifa->ifa_family == AF_INET6 ? 16 : 0;
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!alen || !a || (size_t)nla_len(a) != alen || ifa->ifa_prefixlen > alen * 8)
		return -EBADMSG;
	info->ifindex = (int)ifa->ifa_index;
	info->scope = ifa->ifa_scope;
	info->local.addr.family = ifa->ifa_family;
	memcpy(info->local.addr.u.bytes, nla_data(a), alen);
	info->local.len = ifa->ifa_prefixlen;
	return 1;
}

/**
 * hn_addr_info_parse - read an RTM_NEWADDR message into @obj
 * @obj: the struct hn_addr_info to fill (void *: an hn_nl_parse_fn, as
 *	 hn_addr_list() hands it to hn_nl_list())
 *
 * Return: 1 (filled), or -EBADMSG for a malformed message or an unknown family.
 */
int hn_addr_info_parse(const struct nlmsghdr *nlh, void *obj)
{
	return hn_nl_read(nlh, RTM_NEWADDR, sizeof(struct ifaddrmsg), IFA_MAX, read_addr, obj);
}

/**
 * hn_addr_list - call @cb for every address of @family on every interface
 * @family: AF_INET, AF_INET6 or AF_UNSPEC
 * @cb: called with each address as a const struct hn_addr_info *; returns
 *	0 to go on, or -errno to stop and make the call fail
 *
 * Return: 0, or the first -errno of the dump or of @cb.
 */
int hn_addr_list(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg)
{
	struct ifaddrmsg ifa = { .ifa_family = (unsigned char)family };
	struct hn_addr_info info;

	return hn_nl_list(ctx, RTM_GETADDR, &ifa, sizeof(ifa), hn_addr_info_parse, &info, cb, arg,
			  "list addresses");
}

/* neigh.c - proxy (pneigh) entries: built with libnl-route-3, sent and read back through nl.c. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/addr.h>
#include <netlink/route/neighbour.h>

#include "link.h"
#include "neigh.h"
#include "nl.h"

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/**
 * hn_neigh_build_proxy - build RTM_NEWNEIGH/RTM_DELNEIGH for a proxy entry
 * @cmd: RTM_NEWNEIGH or RTM_DELNEIGH
 * @dst: the published address, AF_INET (ARP) or AF_INET6 (NDP)
 * @ifindex: the interface the requests arrive on
 * @msg: receives the message; free with nlmsg_free()
 *
 * The device is named by index, never looked up by MAC as `arp -D` does.
 *
 * Return: 0, -EINVAL (bad @cmd or @ifindex), -EAFNOSUPPORT, -ENOMEM.
 */
int hn_neigh_build_proxy(int cmd, const struct hn_addr *dst, int ifindex,
			 struct nl_msg **msg)
{
	struct rtnl_neigh *n;
	struct nl_addr *a;
	int rc;

	if ((cmd != RTM_NEWNEIGH && cmd != RTM_DELNEIGH) || ifindex <= 0)
		return -EINVAL;
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	n = rtnl_neigh_alloc();
	a = nl_addr_build(dst->family, dst->u.bytes, addr_len(dst->family));
	rc = n && a ? 0 : -ENOMEM;
	if (!rc) {
		rtnl_neigh_set_family(n, dst->family);
		rtnl_neigh_set_ifindex(n, ifindex);
		rtnl_neigh_set_flags(n, NTF_PROXY);
		rc = hn_nl_errno(rtnl_neigh_set_dst(n, a));
	}
	if (!rc && cmd == RTM_NEWNEIGH)
		rc = hn_nl_errno(rtnl_neigh_build_add_request(n, NLM_F_CREATE | NLM_F_EXCL, msg));
	else if (!rc)
		rc = hn_nl_errno(rtnl_neigh_build_delete_request(n, 0, msg));
	nl_addr_put(a);
	rtnl_neigh_put(n);
	return rc;
}

/**
 * hn_neigh_parse_proxy - read one RTM_NEWNEIGH message as a proxy entry
 *
 * Return: 1 (filled), 0 (not a proxy entry), -EBADMSG (malformed).
 */
int hn_neigh_parse_proxy(const struct nlmsghdr *nlh, struct hn_neigh_proxy *p)
{
	struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *nd;

	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    nlmsg_parse((struct nlmsghdr *)nlh, sizeof(*nd), tb, NDA_MAX, NULL) < 0)
		return -EBADMSG;
	nd = nlmsg_data(nlh);
	if (!(nd->ndm_flags & NTF_PROXY) || !tb[NDA_DST] ||
	    (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6))
		return 0;
	if ((size_t)nla_len(tb[NDA_DST]) != addr_len(nd->ndm_family))
		return -EBADMSG;
	memset(p, 0, sizeof(*p));
	p->dst.family = nd->ndm_family;
	memcpy(p->dst.u.bytes, nla_data(tb[NDA_DST]), addr_len(nd->ndm_family));
	p->ifindex = nd->ndm_ifindex;
	if (!if_indextoname((unsigned int)p->ifindex, p->dev))
		p->dev[0] = '\0';
	return 1;
}

struct walk {
	hn_neigh_list_cb cb;
	void *arg;
};

static int on_neigh(struct nl_msg *msg, void *arg)
{
	struct walk *w = arg;
	struct hn_neigh_proxy p;
	int rc = hn_neigh_parse_proxy(nlmsg_hdr(msg), &p);

	if (rc <= 0)
		return rc == -EBADMSG ? 0 : rc;
	return w->cb(&p, w->arg);
}

/**
 * hn_neigh_list_proxy - call @cb for each proxy entry
 * @family: AF_INET, AF_INET6 or AF_UNSPEC for both
 *
 * Return: 0, the first -errno @cb returned, or the kernel's -errno.
 */
int hn_neigh_list_proxy(struct hn_ctx *ctx, int family, hn_neigh_list_cb cb, void *arg)
{
	/* ndm_flags == NTF_PROXY asks the kernel for the pneigh table. */
	struct ndmsg nd = { .ndm_family = (uint8_t)family, .ndm_flags = NTF_PROXY };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETNEIGH, NLM_F_DUMP);
	struct walk w = { .cb = cb, .arg = arg };
	int rc = -ENOMEM;

	if (msg && nlmsg_append(msg, &nd, sizeof(nd), NLMSG_ALIGNTO) >= 0)
		rc = hn_nl_talk(ctx, msg, on_neigh, &w);
	nlmsg_free(msg);
	return rc ? hn_ctx_fail(ctx, rc, "proxy entries") : 0;
}

struct find {
	const struct hn_addr *dst;
	int ifindex;
	bool found;
};

static int on_find(const struct hn_neigh_proxy *p, void *arg)
{
	struct find *f = arg;

	if (p->ifindex == f->ifindex && p->dst.family == f->dst->family &&
	    !memcmp(p->dst.u.bytes, f->dst->u.bytes, addr_len(p->dst.family)))
		f->found = true;
	return 0;
}

/**
 * hn_neigh_has_proxy - is @dst published on @ifindex?
 *
 * Return: 1 (yes), 0 (no), or the kernel's -errno.
 */
int hn_neigh_has_proxy(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex)
{
	struct find f = { .dst = dst, .ifindex = ifindex };
	int rc = hn_neigh_list_proxy(ctx, dst->family, on_find, &f);

	return rc ? rc : f.found;
}


static int send_proxy(struct hn_ctx *ctx, int cmd, const struct hn_addr *dst,
		      int ifindex, const char *dev)
{
	char a[INET6_ADDRSTRLEN];
	struct nl_msg *msg;
	int rc = hn_neigh_build_proxy(cmd, dst, ifindex, &msg);

	if (!rc) {
		rc = hn_nl_talk(ctx, msg, NULL, NULL);
		nlmsg_free(msg);
	}
	return rc ? hn_ctx_fail(ctx, rc, "proxy %s dev %s", hn_addr_str(dst, a), dev) : 0;
}

/**
 * hn_neigh_add_proxy - publish @dst on @dev (`arp -Ds @dst @dev pub`)
 *
 * The kernel accepts a second identical entry silently; this call looks
 * first so that a duplicate is reported.
 *
 * Return: 0, -ENODEV (no @dev), -EEXIST (already published there),
 * -EAFNOSUPPORT, or the kernel's -errno.
 */
int hn_neigh_add_proxy(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev)
{
	char a[INET6_ADDRSTRLEN];
	int ifindex, rc = hn_link_index(ctx, dev, &ifindex);

	if (rc)
		return rc;
	rc = hn_neigh_has_proxy(ctx, dst, ifindex);
	if (rc < 0)
		return rc;
	if (rc)
		return hn_ctx_fail(ctx, -EEXIST, "proxy %s dev %s", hn_addr_str(dst, a), dev);
	return send_proxy(ctx, RTM_NEWNEIGH, dst, ifindex, dev);
}

/**
 * hn_neigh_del_proxy - withdraw @dst from @dev
 *
 * Return: 0, -ENODEV (no @dev), -ENOENT (not published there), or the
 * kernel's -errno.
 */
int hn_neigh_del_proxy(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev)
{
	int ifindex, rc = hn_link_index(ctx, dev, &ifindex);

	if (rc)
		return rc;
	return send_proxy(ctx, RTM_DELNEIGH, dst, ifindex, dev);
}

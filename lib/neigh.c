/* neigh.c - proxy (pneigh) entries and single neighbour entries: built here, sent and read back through nl.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
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

static int read_proxy(const void *hdr, struct nlattr **tb, void *obj)
{
	const struct ndmsg *nd = hdr;
	struct hn_neigh_proxy *p = obj;

	if (!(nd->ndm_flags & NTF_PROXY) || !tb[NDA_DST] ||
	    (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6))
		return 0;
	if ((size_t)nla_len(tb[NDA_DST]) != addr_len(nd->ndm_family))
		return -EBADMSG;
	memset(p, 0, sizeof(*p));
	p->dst.family = nd->ndm_family;
	memcpy(p->dst.u.bytes, nla_data(tb[NDA_DST]), addr_len(nd->ndm_family));
	p->ifindex = nd->ndm_ifindex;
	hn_link_name(p->ifindex, p->dev);
	return 1;
}

/**
 * hn_neigh_parse_proxy - read one RTM_NEWNEIGH message as a proxy entry
 * @obj: the struct hn_neigh_proxy to fill (void *: an hn_nl_parse_fn, as
 *	 hn_neigh_list_proxy() hands it to hn_nl_list())
 *
 * Return: 1 (filled), 0 (not a proxy entry), -EBADMSG (malformed).
 */
int hn_neigh_parse_proxy(const struct nlmsghdr *nlh, void *obj)
{
	return hn_nl_read(nlh, RTM_NEWNEIGH, sizeof(struct ndmsg), NDA_MAX, read_proxy, obj);
}

/**
 * hn_neigh_list_proxy - call @cb for each proxy entry
 * @family: AF_INET, AF_INET6 or AF_UNSPEC for both
 * @cb: called with each entry as a const struct hn_neigh_proxy *; returns
 *	0 to go on, or -errno to stop and make the call fail
 *
 * Return: 0, the first -errno @cb returned, or the kernel's -errno.
 */
int hn_neigh_list_proxy(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg)
{
	/* ndm_flags == NTF_PROXY asks the kernel for the pneigh table. */
	struct ndmsg nd = { .ndm_family = (uint8_t)family, .ndm_flags = NTF_PROXY };
	struct hn_neigh_proxy p;

	return hn_nl_list(ctx, RTM_GETNEIGH, &nd, sizeof(nd), hn_neigh_parse_proxy, &p, cb, arg,
			  "proxy entries");
}

/**
 * hn_neigh_build_req - one neighbour request for @dst on @ifindex
 * @type: RTM_GETNEIGH, RTM_NEWNEIGH or RTM_DELNEIGH
 * @flags: NLM_F_* for the header (NLM_F_CREATE | NLM_F_REPLACE for a new entry)
 * @ndm_flags: NTF_PROXY for the proxy table, NTF_USE to have the kernel
 *	       resolve the address now, or 0
 * @dst: the address, AF_INET or AF_INET6
 * @ifindex: the interface; 0 only in a proxy GET (an entry for any device)
 * @msg: receives the message; free with nlmsg_free()
 *
 * Built by hand (an ndmsg and NDA_DST, state NUD_NONE): the kernel's GET
 * takes nothing else, and libnl has no builder for it.
 *
 * Return: 0, -EINVAL (bad @type or @ifindex), -EAFNOSUPPORT, -ENOMEM.
 */
int hn_neigh_build_req(int type, int flags, uint8_t ndm_flags, const struct hn_addr *dst,
		       int ifindex, struct nl_msg **msg)
{
	struct ndmsg nd = { .ndm_family = (uint8_t)dst->family, .ndm_ifindex = ifindex,
			    .ndm_flags = ndm_flags, .ndm_state = NUD_NONE };

	*msg = NULL;
	if ((type != RTM_GETNEIGH && type != RTM_NEWNEIGH && type != RTM_DELNEIGH) ||
	    ifindex < 0 || (ifindex == 0 && !(type == RTM_GETNEIGH && (ndm_flags & NTF_PROXY))))
		return -EINVAL;
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (hn_nl_msg_new(type, flags, &nd, sizeof(nd), msg) < 0)
		return -ENOMEM;
	if (nla_put(*msg, NDA_DST, (int)addr_len(dst->family), dst->u.bytes) < 0) {
		nlmsg_free(*msg);
		*msg = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * hn_neigh_has_proxy - is @dst published on @ifindex?
 *
 * One RTM_GETNEIGH of the proxy table, not a dump: the cost does not grow
 * with the number of entries.
 *
 * Return: 1 (yes), 0 (no), or -errno (the builder's, or the kernel's).
 */
int hn_neigh_has_proxy(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex)
{
	char a[INET6_ADDRSTRLEN];
	struct nl_msg *msg;
	int rc = hn_neigh_build_req(RTM_GETNEIGH, 0, NTF_PROXY, dst, ifindex, &msg);

	if (!rc) {
		rc = hn_nl_talk(ctx, msg, NULL, NULL);
		nlmsg_free(msg);
	}
	if (rc == -ENOENT)
		return 0;
	return rc ? hn_ctx_fail(ctx, rc, "proxy %s", hn_addr_str(dst, a)) : 1;
}

static int on_state(struct nl_msg *msg, void *arg)
{
	const struct ndmsg *nd = nlmsg_data(nlmsg_hdr(msg));

	if (nlmsg_hdr(msg)->nlmsg_type != RTM_NEWNEIGH ||
	    nlmsg_datalen(nlmsg_hdr(msg)) < (int)sizeof(*nd))
		return -EBADMSG;
	*(unsigned int *)arg = nd->ndm_state;
	return 0;
}

/**
 * hn_neigh_get_state - the NUD_* state of the neighbour entry for @dst on @ifindex
 * @state: receives it; 0 (NUD_NONE) when there is no entry or on error
 *
 * One RTM_GETNEIGH, not a dump. ctx->err is not written: a missing entry
 * is an ordinary answer.
 *
 * Return: 0, -ENOENT (no entry), or -errno.
 */
int hn_neigh_get_state(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex,
		       unsigned int *state)
{
	struct nl_msg *msg;
	int rc = hn_neigh_build_req(RTM_GETNEIGH, 0, 0, dst, ifindex, &msg);

	*state = 0;
	if (!rc) {
		rc = hn_nl_talk(ctx, msg, on_state, state);
		nlmsg_free(msg);
	}
	return rc;
}

/* Send what a builder made; on failure ctx->err says "@kind ADDR dev NAME". */
static int request(struct hn_ctx *ctx, int build_rc, struct nl_msg *msg, const char *kind,
		   const struct hn_addr *dst, int ifindex)
{
	char a[INET6_ADDRSTRLEN], dev[IF_NAMESIZE], what[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];

	if (ifindex <= 0 || !if_indextoname((unsigned int)ifindex, dev))
		strcpy(dev, "?");
	snprintf(what, sizeof(what), "%s %s dev %s", kind, hn_addr_str(dst, a), dev);
	return hn_nl_request(ctx, build_rc, msg, what);
}

/**
 * hn_neigh_resolve - have the kernel resolve @dst on @ifindex now (NTF_USE)
 *
 * Creates an entry if there is none and sends the ARP request or neighbour
 * solicitation from the interface's own address; hn_neigh_get_state()
 * then tells whether anyone answered.
 *
 * Return: 0, or -errno.
 */
int hn_neigh_resolve(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex)
{
	struct nl_msg *msg;
	int rc = hn_neigh_build_req(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, NTF_USE, dst,
				    ifindex, &msg);

	return request(ctx, rc, msg, "neighbour", dst, ifindex);
}

/**
 * hn_neigh_del - delete the (non-proxy) neighbour entry for @dst on @ifindex
 *
 * Return: 0, -ENOENT (no entry), or -errno.
 */
int hn_neigh_del(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex)
{
	struct nl_msg *msg;
	int rc = hn_neigh_build_req(RTM_DELNEIGH, 0, 0, dst, ifindex, &msg);

	return request(ctx, rc, msg, "neighbour", dst, ifindex);
}

/**
 * hn_neigh_send_proxy - publish or withdraw @dst on @ifindex, without looking first
 * @cmd: RTM_NEWNEIGH or RTM_DELNEIGH
 *
 * For callers that know the state already (hn_neigh_has_proxy()), and for
 * undoing their own entries. ctx->err names the address and the device.
 *
 * Return: 0, -EINVAL, -EAFNOSUPPORT, -ENOMEM, or the kernel's -errno.
 */
int hn_neigh_send_proxy(struct hn_ctx *ctx, int cmd, const struct hn_addr *dst, int ifindex)
{
	struct nl_msg *msg;
	int rc = hn_neigh_build_proxy(cmd, dst, ifindex, &msg);

	return request(ctx, rc, msg, "proxy", dst, ifindex);
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
	return hn_neigh_send_proxy(ctx, RTM_NEWNEIGH, dst, ifindex);
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
	return hn_neigh_send_proxy(ctx, RTM_DELNEIGH, dst, ifindex);
}

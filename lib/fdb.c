/* fdb.c - remote entries of a VXLAN device's forwarding table: built, sent and dumped over rtnetlink. */
#include <errno.h>
#include <string.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "nl.h"
#include "fdb.h"

static size_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

/**
 * hn_fdb_build - build RTM_NEWNEIGH/RTM_DELNEIGH of one remote of a VXLAN device
 * @cmd: RTM_NEWNEIGH (appended beside the other remotes of the same MAC,
 *	 as `bridge fdb append` does) or RTM_DELNEIGH (that remote only)
 * @f: the device's ifindex, the MAC (all zeros: the flood entry) and the remote
 * @msg: receives the message; free with nlmsg_free()
 *
 * The entry is the device's own (NTF_SELF), permanent and without ARP.
 * libnl's neighbour object refuses an IPv4 destination on an AF_BRIDGE
 * entry, so the message is put together attribute by attribute.
 *
 * Return: 0, -EINVAL (bad @cmd or ifindex), -EAFNOSUPPORT, -ENOMEM.
 */
int hn_fdb_build(int cmd, const struct hn_fdb *f, struct nl_msg **msg)
{
	struct ndmsg nd = {
		.ndm_family = AF_BRIDGE, .ndm_ifindex = f->ifindex, .ndm_flags = NTF_SELF,
		.ndm_state = NUD_NOARP | NUD_PERMANENT,
	};
	int flags = cmd == RTM_NEWNEIGH ? NLM_F_CREATE | NLM_F_APPEND : 0;

	*msg = NULL;
	if ((cmd != RTM_NEWNEIGH && cmd != RTM_DELNEIGH) || f->ifindex <= 0)
		return -EINVAL;
	if (f->dst.family != AF_INET && f->dst.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (hn_nl_msg_new(cmd, flags, &nd, sizeof(nd), msg) < 0)
		return -ENOMEM;
	if (nla_put(*msg, NDA_LLADDR, 6, f->mac) < 0 ||
	    nla_put(*msg, NDA_DST, (int)alen(f->dst.family), f->dst.u.bytes) < 0) {
		nlmsg_free(*msg);
		*msg = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int read_remote(const void *hdr, struct nlattr **tb, void *obj)
{
	const struct ndmsg *nd = hdr;
	struct hn_fdb *f = obj;
	int len;

	if (nd->ndm_family != AF_BRIDGE || !tb[NDA_LLADDR] || !tb[NDA_DST] ||
	    nla_len(tb[NDA_LLADDR]) != 6)
		return 0;
	len = nla_len(tb[NDA_DST]);
	if (len != 4 && len != 16)
		return -EBADMSG;
	memset(f, 0, sizeof(*f));
	f->ifindex = nd->ndm_ifindex;
	memcpy(f->mac, nla_data(tb[NDA_LLADDR]), 6);
	f->dst.family = len == 4 ? AF_INET : AF_INET6;
	memcpy(f->dst.u.bytes, nla_data(tb[NDA_DST]), (size_t)len);
	return 1;
}

/**
 * hn_fdb_parse - read one RTM_NEWNEIGH message as a remote entry
 * @obj: the struct hn_fdb to fill (void *: an hn_nl_parse_fn, as
 *	 hn_fdb_list() hands it to hn_nl_dump())
 *
 * Return: 1 (filled: an AF_BRIDGE entry with a MAC and a remote), 0 (some
 * other neighbour entry), -EBADMSG (malformed).
 */
int hn_fdb_parse(const struct nlmsghdr *nlh, void *obj)
{
	return hn_nl_read(nlh, RTM_NEWNEIGH, sizeof(struct ndmsg), NDA_MAX, read_remote, obj);
}

/**
 * hn_fdb_build_dump - build the RTM_GETNEIGH dump of the bridge family's
 * entries: of device @ifindex only (> 0), or of every device (0)
 *
 * The filter rides in an ifinfomsg header, which the kernel reads as "only
 * this port" (rtnl_fdb_dump()'s legacy, non-strict parsing): a host with
 * thousands of bridge ports sends only the VXLAN's entries, and every
 * entry it sends carries that ifindex (the bridge's entries of the port
 * too, which hn_fdb_parse() skips: they have no remote).
 *
 * Return: 0 or -ENOMEM.
 */
int hn_fdb_build_dump(int ifindex, struct nl_msg **msg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE, .ifi_index = ifindex > 0 ? ifindex : 0 };
	struct ndmsg nd = { .ndm_family = AF_BRIDGE };

	if (ifindex > 0)
		return hn_nl_msg_new(RTM_GETNEIGH, NLM_F_DUMP, &ifi, sizeof(ifi), msg);
	return hn_nl_msg_new(RTM_GETNEIGH, NLM_F_DUMP, &nd, sizeof(nd), msg);
}

/**
 * hn_fdb_list - call @cb for each remote entry of device @ifindex (0: of every device)
 * @cb: called with each entry as a const struct hn_fdb *; returns 0 to go
 *	on, or -errno to stop and make the call fail
 *
 * Return: 0, the first -errno @cb returned, or the kernel's -errno.
 */
int hn_fdb_list(struct hn_ctx *ctx, int ifindex, hn_nl_obj_cb cb, void *arg)
{
	struct nl_msg *msg;
	struct hn_fdb f;
	int rc = hn_fdb_build_dump(ifindex, &msg);

	return hn_nl_dump(ctx, rc, msg, hn_fdb_parse, &f, cb, arg, "forwarding entries");
}

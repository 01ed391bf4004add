/* tun.c - tun/tap devices: the TUNSET* ioctls on a clone fd, and their state read back over rtnetlink. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "nl.h"
#include "tun.h"
#include "link.h"
#include "parse.h"

/**
 * hn_tun_open - open the tun clone device read-write, close-on-exec
 * @clone: path, normally HN_TUN_CLONE
 *
 * Return: the fd, or -errno from open(2) (-ENOENT, -EACCES, -EISDIR ...).
 */
int hn_tun_open(const char *clone)
{
	int fd = open(clone, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * hn_tun_attach - TUNSETIFF: create the device, or attach to an existing one
 * @fd: an fd of the clone device, not yet attached
 * @name: in: name or pattern ("" lets the kernel pick); out: the real name
 * @flags: IFF_TAP or IFF_TUN, plus IFF_NO_PI, IFF_MULTI_QUEUE, IFF_VNET_HDR,
 *	   IFF_TUN_EXCL
 *
 * The name must already fit: it is never truncated.
 *
 * Return: 0, -ENAMETOOLONG, or the kernel's -errno (-EINVAL: not a tap of
 * these flags; -EBUSY: held by another process; -EPERM: not allowed).
 */
int hn_tun_attach(int fd, char name[IFNAMSIZ], unsigned int flags)
{
	struct ifreq ifr;
	size_t n = strnlen(name, IFNAMSIZ);

	if (n >= IFNAMSIZ)
		return -ENAMETOOLONG;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, n);
	ifr.ifr_flags = (short)flags;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return -errno;
	memcpy(name, ifr.ifr_name, IFNAMSIZ);
	name[IFNAMSIZ - 1] = '\0';
	return 0;
}

/** hn_tun_get_flags - TUNGETIFF: the IFF_* flags of the attached device. Return: 0 or -errno. */
int hn_tun_get_flags(int fd, unsigned int *flags)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return -errno;
	*flags = (unsigned short)ifr.ifr_flags;
	return 0;
}

/** hn_tun_set_persist - TUNSETPERSIST: keep the device after the fd closes, or not. Return: 0 or -errno. */
int hn_tun_set_persist(int fd, bool on)
{
	return ioctl(fd, TUNSETPERSIST, (unsigned long)on) < 0 ? -errno : 0;
}

/**
 * hn_tun_set_owner - TUNSETOWNER: the user allowed to attach without CAP_NET_ADMIN
 *
 * Return: 0, -EINVAL for (uid_t)-1 (which the kernel reads as "no owner").
 */
int hn_tun_set_owner(int fd, uid_t uid)
{
	if (uid == (uid_t)-1)
		return -EINVAL;
	return ioctl(fd, TUNSETOWNER, (unsigned long)uid) < 0 ? -errno : 0;
}

/** hn_tun_set_group - TUNSETGROUP: as hn_tun_set_owner() for a group. Return: 0, -EINVAL. */
int hn_tun_set_group(int fd, gid_t gid)
{
	if (gid == (gid_t)-1)
		return -EINVAL;
	return ioctl(fd, TUNSETGROUP, (unsigned long)gid) < 0 ? -errno : 0;
}

static void parse_tun_data(struct nlattr *data, struct hn_tun_info *info)
{
	struct nlattr *tb[IFLA_TUN_MAX + 1];

	if (nla_parse_nested(tb, IFLA_TUN_MAX, data, NULL) < 0)
		return;
	if (tb[IFLA_TUN_TYPE])
		info->tap = (nla_get_u8(tb[IFLA_TUN_TYPE]) & IFF_TAP) != 0;
	info->pi = tb[IFLA_TUN_PI] && nla_get_u8(tb[IFLA_TUN_PI]);
	info->vnet_hdr = tb[IFLA_TUN_VNET_HDR] && nla_get_u8(tb[IFLA_TUN_VNET_HDR]);
	info->multi_queue = tb[IFLA_TUN_MULTI_QUEUE] && nla_get_u8(tb[IFLA_TUN_MULTI_QUEUE]);
	info->persist = tb[IFLA_TUN_PERSIST] && nla_get_u8(tb[IFLA_TUN_PERSIST]);
	if ((info->has_owner = tb[IFLA_TUN_OWNER] != NULL))
		info->owner = nla_get_u32(tb[IFLA_TUN_OWNER]);
	if ((info->has_group = tb[IFLA_TUN_GROUP] != NULL))
		info->group = nla_get_u32(tb[IFLA_TUN_GROUP]);
	if (tb[IFLA_TUN_NUM_QUEUES])
		info->num_queues = nla_get_u32(tb[IFLA_TUN_NUM_QUEUES]);
	if (tb[IFLA_TUN_NUM_DISABLED_QUEUES])
		info->num_disabled_queues = nla_get_u32(tb[IFLA_TUN_NUM_DISABLED_QUEUES]);
}

/**
 * hn_tun_info_parse - read a link message (RTM_NEWLINK) into @info
 * @nlh: the message
 * @info: zeroed and filled; info->is_tun tells whether the link is a tun/tap
 *
 * Return: 0, or -EBADMSG if the message is not a well-formed link message.
 */
int hn_tun_info_parse(const struct nlmsghdr *nlh, struct hn_tun_info *info)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi;

	memset(info, 0, sizeof(*info));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse((struct nlmsghdr *)nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_IFNAME])
		return -EBADMSG;
	ifi = nlmsg_data(nlh);
	info->ifindex = ifi->ifi_index;
	info->ifflags = ifi->ifi_flags;
	nla_strlcpy(info->name, tb[IFLA_IFNAME], sizeof(info->name));
	if (!tb[IFLA_LINKINFO] ||
	    nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0 ||
	    !li[IFLA_INFO_KIND] || nla_strcmp(li[IFLA_INFO_KIND], "tun"))
		return 0;
	info->is_tun = true;
	if (li[IFLA_INFO_DATA])
		parse_tun_data(li[IFLA_INFO_DATA], info);
	return 0;
}

/**
 * hn_tun_build_get - build the RTM_GETLINK request for one link or, with a
 * NULL @name, a dump of the tun/tap links (filtered by kind in the kernel)
 * @msg: receives the message; free with nlmsg_free()
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG for a bad name, -ENOMEM.
 */
int hn_tun_build_get(const char *name, struct nl_msg **msg)
{
	return hn_link_build_req(name, "tun", msg);
}

static int query_one(struct nl_msg *msg, void *arg)
{
	return hn_tun_info_parse(nlmsg_hdr(msg), arg);
}

/**
 * hn_tun_query - the tun/tap state of one interface, by name
 * @info: filled; info->is_tun is false for an interface of another kind
 *
 * Return: 0, -ENODEV when there is no such interface, or -errno.
 */
int hn_tun_query(struct hn_ctx *ctx, const char *name, struct hn_tun_info *info)
{
	struct nl_msg *msg;
	int rc = hn_tun_build_get(name, &msg);

	if (rc)
		return hn_ctx_fail(ctx, rc, "%s", name);
	memset(info, 0, sizeof(*info));
	rc = hn_nl_talk(ctx, msg, query_one, info);
	nlmsg_free(msg);
	if (rc < 0)
		return hn_ctx_fail(ctx, rc, "%s", name);
	return info->name[0] ? 0 : hn_ctx_fail(ctx, -ENODEV, "%s", name);
}

struct list_arg {
	hn_tun_list_cb cb;
	void *arg;
};

static int list_one(struct nl_msg *msg, void *arg)
{
	struct list_arg *la = arg;
	struct hn_tun_info info;
	int rc = hn_tun_info_parse(nlmsg_hdr(msg), &info);

	if (rc < 0 || !info.is_tun)
		return rc;
	return la->cb(&info, la->arg);
}

/**
 * hn_tun_list - call @cb for every tun/tap device, in ifindex order
 * @cb: returns 0 to go on, or -errno to stop and make the call fail
 *
 * Return: 0, or the first -errno of the dump or of @cb.
 */
int hn_tun_list(struct hn_ctx *ctx, hn_tun_list_cb cb, void *arg)
{
	struct list_arg la = { cb, arg };
	struct nl_msg *msg;
	int rc = hn_tun_build_get(NULL, &msg);

	if (rc)
		return rc;
	rc = hn_nl_talk(ctx, msg, list_one, &la);
	nlmsg_free(msg);
	return rc < 0 ? hn_ctx_fail(ctx, rc, "list tun/tap devices") : 0;
}

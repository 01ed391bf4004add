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

/** hn_tun_get_features - TUNGETFEATURES: the IFF_* flags this kernel's tun supports. Return: 0 or -errno. */
int hn_tun_get_features(int fd, unsigned int *features)
{
	unsigned int f = 0;

	if (ioctl(fd, TUNGETFEATURES, &f) < 0)
		return -errno;
	*features = f;
	return 0;
}

static int check_spec(const struct hn_tun_spec *spec, const char *name)
{
	unsigned int kind = spec->flags & (IFF_TUN | IFF_TAP);

	if (kind != IFF_TUN && kind != IFF_TAP)
		return -EINVAL;
	if (spec->has_fd ? spec->fd < 0 : !spec->clone)
		return -EINVAL;
	if ((spec->has_owner && spec->owner == (uid_t)-1) ||
	    (spec->has_group && spec->group == (gid_t)-1))
		return -EINVAL;
	return strnlen(name, IFNAMSIZ) < IFNAMSIZ ? 0 : -ENAMETOOLONG;
}

/* The clone fd (opened here unless given) attached to the device. */
static int open_attach(const struct hn_tun_spec *spec, char name[IFNAMSIZ], int *fd,
		       enum hn_tun_step *step)
{
	if (!spec->has_fd) {
		*step = HN_TUN_STEP_OPEN;
		if ((*fd = hn_tun_open(spec->clone)) < 0)
			return *fd;
	}
	*step = HN_TUN_STEP_ATTACH;
	return hn_tun_attach(*fd, name, spec->flags);
}

/* The steps after the attach, in order; *step names the one that failed. */
static int configure(int fd, const struct hn_tun_spec *spec, enum hn_tun_step *step)
{
	int rc = 0;

	if (spec->has_owner && (rc = hn_tun_set_owner(fd, spec->owner)) < 0)
		*step = HN_TUN_STEP_OWNER;
	else if (spec->has_group && (rc = hn_tun_set_group(fd, spec->group)) < 0)
		*step = HN_TUN_STEP_GROUP;
	else if (spec->persist && (rc = hn_tun_set_persist(fd, true)) < 0)
		*step = HN_TUN_STEP_PERSIST;
	return rc;
}

/**
 * hn_tun_create - make (or attach to) a tun/tap device and set it up, all or nothing
 * @spec: the clone device (or an fd of it), the flags, the owner and group
 *	  to set if any, whether to make it persistent and whether to keep the fd
 * @name: in: the name or a pattern ("" or "tap%d" lets the kernel pick);
 *	  out: the device's real name (written only once the attach succeeded)
 * @step: if not NULL, set to the step that failed (HN_TUN_STEP_*)
 *
 * The steps, in order: open the clone device, TUNSETIFF, TUNSETOWNER,
 * TUNSETGROUP, TUNSETPERSIST. Persistence comes last, so a failure at any
 * step closes the fd and a device this call made goes with it; a device
 * that already existed stays, with the owner or group already set (the
 * kernel cannot unset them). With @spec->has_fd, @spec->fd is used instead
 * of opening @spec->clone and is taken over: closed on any failure, and
 * returned or closed on success like one opened here. Nothing is opened
 * when @spec is refused.
 *
 * Return: the attached fd if @spec->keep_fd, else 0; or -EINVAL for a bad
 * spec (neither or both of IFF_TUN and IFF_TAP, no clone path or a
 * negative fd, an owner or group of -1), -ENAMETOOLONG for a name of
 * IFNAMSIZ bytes or more, or the -errno of the failed step (see
 * hn_tun_open(), hn_tun_attach() and the TUNSET* setters above).
 */
int hn_tun_create(const struct hn_tun_spec *spec, char name[IFNAMSIZ], enum hn_tun_step *step)
{
	enum hn_tun_step failed = HN_TUN_STEP_ARGS;
	int fd = spec->has_fd ? spec->fd : -1, rc = check_spec(spec, name);

	if (rc == 0)
		rc = open_attach(spec, name, &fd, &failed);
	if (rc == 0)
		rc = configure(fd, spec, &failed);
	if (rc < 0 && step)
		*step = failed;
	if (rc == 0 && spec->keep_fd)
		return fd;
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Indexed by enum hn_tun_step: the names the tools print. */
static const char *const step_names[] = {
	[HN_TUN_STEP_ARGS] = "arguments",
	[HN_TUN_STEP_OPEN] = "open",
	[HN_TUN_STEP_ATTACH] = "TUNSETIFF",
	[HN_TUN_STEP_OWNER] = "TUNSETOWNER",
	[HN_TUN_STEP_GROUP] = "TUNSETGROUP",
	[HN_TUN_STEP_PERSIST] = "TUNSETPERSIST",
};

/** hn_tun_step_name - "open", "TUNSETIFF" ... for a step of hn_tun_create(); "?" if out of range. */
const char *hn_tun_step_name(enum hn_tun_step step)
{
	if ((unsigned int)step >= sizeof(step_names) / sizeof(step_names[0]))
		return "?";
	return step_names[step];
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

static int read_link(const void *hdr, struct nlattr **tb, void *obj)
{
	const struct ifinfomsg *ifi = hdr;
	struct hn_tun_info *info = obj;
	struct nlattr *li[IFLA_INFO_MAX + 1];

	if (!tb[IFLA_IFNAME])
		return -EBADMSG;
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
 * hn_tun_info_parse - read a link message (RTM_NEWLINK) into @info
 * @nlh: the message
 * @info: zeroed and filled; info->is_tun tells whether the link is a tun/tap
 *
 * Return: 0, or -EBADMSG if the message is not a well-formed link message.
 */
int hn_tun_info_parse(const struct nlmsghdr *nlh, struct hn_tun_info *info)
{
	memset(info, 0, sizeof(*info));
	return hn_nl_read(nlh, RTM_NEWLINK, sizeof(struct ifinfomsg), IFLA_MAX, read_link, info);
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

/* hn_nl_dump()'s parser for hn_tun_list(): 1 for a tun/tap device, 0 for a link of another kind. */
static int parse_tun(const struct nlmsghdr *nlh, void *obj)
{
	struct hn_tun_info *info = obj;
	int rc = hn_tun_info_parse(nlh, info);

	return rc ? rc : info->is_tun;
}

/**
 * hn_tun_list - call @cb for every tun/tap device, in ifindex order
 * @cb: called with each device as a const struct hn_tun_info *; returns 0
 *	to go on, or -errno to stop and make the call fail
 *
 * Return: 0, or the first -errno of the dump or of @cb.
 */
int hn_tun_list(struct hn_ctx *ctx, hn_nl_obj_cb cb, void *arg)
{
	struct hn_tun_info info;
	struct nl_msg *msg;
	int rc = hn_tun_build_get(NULL, &msg);

	return hn_nl_dump(ctx, rc, msg, parse_tun, &info, cb, arg, "list tun/tap devices");
}

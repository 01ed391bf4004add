/* bridge.c - bridges and bridge ports over rtnetlink: values, create, delete, attributes (bridge_dump.c reads state). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/version.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>

#include "nl.h"
#include "link.h"
#include "parse.h"
#include "bridge.h"
#include "bridge_int.h"

/* ---- value parsers: brctl's sscanf() rules, minus what cannot reach the kernel ---- */

/**
 * hn_bridge_parse_time - seconds, as brctl reads them, into centiseconds
 * @s: a decimal or hex float with optional leading blanks; trailing text
 *     after the number is ignored, as sscanf("%lf") does ("5x" is 5 s)
 * @cs: receives the time in clock_t units (1/100 s)
 *
 * brctl splits the value into whole seconds and microseconds and truncates
 * to centiseconds, so 12.345 gives 1234 and 0.29 gives 28; so do we.
 *
 * Return: 0; -EINVAL when there is no leading number; -ERANGE when it is
 * negative, not finite or does not fit the kernel's u32.
 */
int hn_bridge_parse_time(const char *s, uint32_t *cs)
{
	unsigned long long total;
	double secs;
	long sec, usec;
	char *end;

	errno = 0;
	secs = strtod(s, &end);
	if (end == s)
		return -EINVAL;
	if (!isfinite(secs) || secs < 0 || secs >= (double)UINT32_MAX / 100 + 1)
		return -ERANGE;
	sec = (long)secs;
	usec = (long)(1000000 * (secs - (double)sec));
	total = (1000000ULL * (unsigned long long)sec + (unsigned long long)usec) / 10000;
	if (total > UINT32_MAX)
		return -ERANGE;
	*cs = (uint32_t)total;
	return 0;
}

/**
 * hn_bridge_parse_int - an integer as brctl's sscanf("%i") reads it
 * @s: decimal, 0x hex or leading-0 octal, optional sign and leading blanks;
 *     trailing text is ignored
 * @v: receives the value
 *
 * Return: 0, -EINVAL (no number) or -ERANGE (outside int, where sscanf
 * would silently wrap).
 */
int hn_bridge_parse_int(const char *s, long *v)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(s, &end, 0);
	if (end == s)
		return -EINVAL;
	if (errno == ERANGE || x < INT_MIN || x > INT_MAX)
		return -ERANGE;
	*v = x;
	return 0;
}

/* brctl's spellings of a switch; case-sensitive. */
static const struct { const char *word; bool on; } bool_words[] = {
	{ .word = "on", .on = true },  { .word = "yes", .on = true },  { .word = "1", .on = true },
	{ .word = "off", .on = false }, { .word = "no", .on = false }, { .word = "0", .on = false },
};

/** hn_bridge_parse_bool - exactly on/yes/1 or off/no/0. Return: 0 or -EINVAL. */
int hn_bridge_parse_bool(const char *s, bool *on)
{
	for (size_t i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++) {
		if (!strcmp(s, bool_words[i].word)) {
			*on = bool_words[i].on;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- create and delete ---- */

/**
 * hn_bridge_build_add - build the RTM_NEWLINK request creating bridge @name
 * @name: a valid interface name, or a pattern with one "%d"; never truncated
 * @msg: receives the message; free with nlmsg_free()
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG (bad name), -ENOMEM.
 */
int hn_bridge_build_add(const char *name, struct nl_msg **msg)
{
	struct rtnl_link *l;
	int rc = hn_link_alloc_named(name, HN_PARSE_IFNAME_PATTERN, &l);

	if (rc)
		return rc;
	rc = hn_nl_errno(rtnl_link_set_type(l, "bridge"));
	if (!rc)
		rc = hn_nl_errno(rtnl_link_build_add_request(l, NLM_F_CREATE | NLM_F_EXCL, msg));
	rtnl_link_put(l);
	return rc;
}

/**
 * hn_bridge_add - create a bridge (down, STP off, kernel defaults)
 * @name: as for hn_bridge_build_add()
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG (bad name), -EEXIST (any device of that
 * name), -EPERM, or another -errno from the kernel.
 */
int hn_bridge_add(struct hn_ctx *ctx, const char *name)
{
	return hn_link_request_named(ctx, name, hn_bridge_build_add);
}

/**
 * hn_bridge_del - delete a bridge, with brctl's refusals that netlink lacks
 * @br: the link from a dump, or NULL when the name was not found
 *
 * Netlink would delete an up bridge and any other kind of link too; the
 * ioctl brctl uses refuses both, and so do we.
 *
 * Return: 0; -ENXIO (no such link), -EPERM (not a bridge), -EBUSY (the
 * bridge is up), or the kernel's -errno (-EPERM unprivileged).
 */
int hn_bridge_del(struct hn_ctx *ctx, const struct hn_bridge_link *br)
{
	if (!br)
		return hn_ctx_fail(ctx, -ENXIO, "no such bridge");
	if (!br->is_bridge)
		return hn_ctx_fail(ctx, -EPERM, "%s: not a bridge", br->name);
	if (br->flags & IFF_UP)
		return hn_ctx_fail(ctx, -EBUSY, "%s: bridge is up", br->name);
	return hn_link_del(ctx, br->name);
}

/* ---- bridge attributes: the one place IFLA_BR_* is built by hand ---- */

/*
 * libnl 3.7 (Debian 12) has no bridge-level setters: vlan_filtering came in
 * 3.8, ageing_time in 3.10, stp_state in 3.11, and forward delay, hello
 * time, max age and priority have none even there. So this table builds
 * IFLA_INFO_DATA itself. When libnl >= 3.11 is the floor, the three rows it
 * covers can move to rtnl_link_bridge_set_*(); the rest stay.
 */
#if LIBNL_VER_NUM >= LIBNL_VER(3, 11)
#define HN_BRIDGE_LIBNL_SETTERS 1	/* time to shrink br_attrs[] */
#else
#define HN_BRIDGE_LIBNL_SETTERS 0
#endif

struct br_attr {
	unsigned int flag;		/* HN_BRIDGE_SET_* */
	size_t off;			/* in struct hn_bridge_attrs */
	unsigned int size;		/* 1, 2 or 4 bytes */
};

#define BR_ATTR(f, field) { .flag = (f), .off = offsetof(struct hn_bridge_attrs, field), \
			    .size = sizeof(((struct hn_bridge_attrs *)0)->field) }

static const struct br_attr br_attrs[IFLA_BR_MAX + 1] = {
	[IFLA_BR_FORWARD_DELAY]	= BR_ATTR(HN_BRIDGE_SET_FORWARD_DELAY, forward_delay),
	[IFLA_BR_HELLO_TIME]	= BR_ATTR(HN_BRIDGE_SET_HELLO_TIME, hello_time),
	[IFLA_BR_MAX_AGE]	= BR_ATTR(HN_BRIDGE_SET_MAX_AGE, max_age),
	[IFLA_BR_AGEING_TIME]	= BR_ATTR(HN_BRIDGE_SET_AGEING_TIME, ageing_time),
	[IFLA_BR_STP_STATE]	= BR_ATTR(HN_BRIDGE_SET_STP_STATE, stp_state),
	[IFLA_BR_PRIORITY]	= BR_ATTR(HN_BRIDGE_SET_PRIORITY, priority),
	[IFLA_BR_VLAN_FILTERING] = BR_ATTR(HN_BRIDGE_SET_VLAN_FILTERING, vlan_filtering),
};

static int put_br_data(struct nl_msg *msg, const struct hn_bridge_attrs *a)
{
	struct nlattr *info, *data;

	info = nla_nest_start(msg, IFLA_LINKINFO);
	if (!info || nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0)
		return -EMSGSIZE;
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (!data)
		return -EMSGSIZE;
	for (int i = 0; i <= IFLA_BR_MAX; i++) {
		const struct br_attr *d = &br_attrs[i];

		if (!d->flag || !(a->set & d->flag))
			continue;
		if (nla_put(msg, i, (int)d->size, (const char *)a + d->off) < 0)
			return -EMSGSIZE;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return 0;
}

/**
 * hn_bridge_build_set - build the RTM_NEWLINK request changing bridge attributes
 * @name: the bridge; it is named, so no lookup is needed
 * @a: the attributes to set (a->set); times in centiseconds
 * @msg: receives the message; free with nlmsg_free()
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG (bad name), -ENOMEM, -EMSGSIZE.
 */
int hn_bridge_build_set(const char *name, const struct hn_bridge_attrs *a, struct nl_msg **msg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	int rc = hn_parse_ifname(name, 0, NULL);

	if (rc)
		return rc;
	*msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	if (!*msg)
		return -ENOMEM;
	rc = nlmsg_append(*msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	     nla_put_string(*msg, IFLA_IFNAME, name) < 0 ? -EMSGSIZE : put_br_data(*msg, a);
	if (rc) {
		nlmsg_free(*msg);
		*msg = NULL;
	}
	return rc;
}

/**
 * hn_bridge_set - change attributes of an existing bridge
 * @name: the bridge
 * @a: what to set
 *
 * Return: 0; -ENODEV (no such link; also for names no link can have),
 * -EOPNOTSUPP (the link is not a bridge), -ERANGE (the kernel's limits:
 * hello 1-10 s, max age 6-40 s, forward delay 2-30 s while STP is on),
 * -EPERM, or another -errno.
 */
int hn_bridge_set(struct hn_ctx *ctx, const char *name, const struct hn_bridge_attrs *a)
{
	struct nl_msg *msg = NULL;
	int rc = hn_bridge_build_set(name, a, &msg);

	if (rc == -EINVAL || rc == -ENAMETOOLONG)
		rc = -ENODEV;
	return hn_nl_request(ctx, rc, msg, name);
}

/**
 * hn_bridge_linkinfo - IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA of a link
 * message, or NULL
 * @which: IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA
 * @kind: if not NULL, receives the matching kind ("bridge", ...)
 */
struct nlattr *hn_bridge_linkinfo(const struct nlmsghdr *nlh, int which, char *kind, size_t n)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	int kattr = which == IFLA_INFO_DATA ? IFLA_INFO_KIND : IFLA_INFO_SLAVE_KIND;

	if (nlmsg_parse((struct nlmsghdr *)nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_LINKINFO] || nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0)
		return NULL;
	if (kind && li[kattr])
		nla_strlcpy(kind, li[kattr], n);
	return li[which];
}

/**
 * hn_bridge_attrs_parse - read back what hn_bridge_build_set() put in a message
 * @a: receives the values; a->set says which were present
 *
 * Return: 0, or -EINVAL when the message has no bridge IFLA_INFO_DATA.
 */
int hn_bridge_attrs_parse(const struct nlmsghdr *nlh, struct hn_bridge_attrs *a)
{
	struct nlattr *tb[IFLA_BR_MAX + 1], *data;
	char kind[16] = "";

	memset(a, 0, sizeof(*a));
	data = hn_bridge_linkinfo(nlh, IFLA_INFO_DATA, kind, sizeof(kind));
	if (!data || strcmp(kind, "bridge") || nla_parse_nested(tb, IFLA_BR_MAX, data, NULL) < 0)
		return -EINVAL;
	for (int i = 0; i <= IFLA_BR_MAX; i++) {
		const struct br_attr *d = &br_attrs[i];

		if (!d->flag || !tb[i] || nla_len(tb[i]) < (int)d->size)
			continue;
		memcpy((char *)a + d->off, nla_data(tb[i]), d->size);
		a->set |= d->flag;
	}
	return 0;
}

/* ---- ports: attach, detach, attributes ---- */

/**
 * hn_bridge_port_add - attach @port to bridge @br, with brctl's refusals
 * @br: the bridge's link from a dump
 * @port: the device's link from a dump
 *
 * Netlink moves a port that already has a master; the ioctl refuses, so we
 * check first. Both links must exist (the caller reports which is missing).
 *
 * Return: 0; -EOPNOTSUPP (@br is not a bridge), -ELOOP (@port is a bridge),
 * -EBUSY (@port already has a master), -EXFULL (the bridge has
 * HN_BRIDGE_MAX_PORTS ports), or the kernel's -errno (-EINVAL for lo,
 * -EPERM unprivileged).
 */
int hn_bridge_port_add(struct hn_ctx *ctx, const struct hn_bridge_link *br,
		       const struct hn_bridge_link *port)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_MASTER, .master = br->ifindex };

	if (!br->is_bridge)
		return hn_ctx_fail(ctx, -EOPNOTSUPP, "%s: not a bridge", br->name);
	if (port->is_bridge)
		return hn_ctx_fail(ctx, -ELOOP, "%s: is a bridge", port->name);
	if (port->master)
		return hn_ctx_fail(ctx, -EBUSY, "%s: already has a master", port->name);
	return hn_link_change(ctx, port->name, &chg);
}

/**
 * hn_bridge_port_del - detach @port from bridge @br
 *
 * Netlink "nomaster" succeeds on any link; the ioctl refuses a device that
 * is not a port of that bridge, and so do we.
 *
 * Return: 0; -EOPNOTSUPP (@br is not a bridge), -EINVAL (@port is not a
 * port of @br), or the kernel's -errno.
 */
int hn_bridge_port_del(struct hn_ctx *ctx, const struct hn_bridge_link *br,
		       const struct hn_bridge_link *port)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_MASTER, .master = 0 };

	if (!br->is_bridge)
		return hn_ctx_fail(ctx, -EOPNOTSUPP, "%s: not a bridge", br->name);
	if (!port->is_port || port->master != br->ifindex)
		return hn_ctx_fail(ctx, -EINVAL, "%s: not a port of %s", port->name, br->name);
	return hn_link_change(ctx, port->name, &chg);
}

/* libnl's port setters refuse what it cannot encode (a state past blocking): -EINVAL. */
static int apply_port(struct rtnl_link *c, const struct hn_bridge_port_attrs *a)
{
	int rc = 0;

	if (a->set & HN_BRIDGE_PORT_SET_COST)
		rc = rtnl_link_bridge_set_cost(c, a->cost);
	if (!rc && (a->set & HN_BRIDGE_PORT_SET_PRIORITY))
		rc = rtnl_link_bridge_set_priority(c, a->priority);
	if (!rc && (a->set & HN_BRIDGE_PORT_SET_STATE))
		rc = rtnl_link_bridge_set_port_state(c, a->state);
	if (!rc && (a->set & HN_BRIDGE_PORT_SET_HAIRPIN))
		rc = (a->hairpin ? rtnl_link_bridge_set_flags : rtnl_link_bridge_unset_flags)(
			c, RTNL_BRIDGE_HAIRPIN_MODE);
	return hn_nl_errno(rc);
}

/**
 * hn_bridge_port_build_set - build the AF_BRIDGE RTM_SETLINK request with
 * IFLA_PROTINFO (libnl's rtnl_link_bridge_set_*)
 * @ifindex: the port; the kernel's bridge setlink finds ports by index only
 * @a: what to set (a->set)
 * @msg: receives the message; free with nlmsg_free()
 *
 * Return: 0, -EINVAL (bad ifindex, or a value libnl cannot encode, such as
 * a state past BR_STATE_BLOCKING), -ENOMEM.
 */
int hn_bridge_port_build_set(int ifindex, const struct hn_bridge_port_attrs *a,
			     struct nl_msg **msg)
{
	struct rtnl_link *c;
	int rc;

	if (ifindex <= 0)
		return -EINVAL;
	c = rtnl_link_alloc();
	if (!c)
		return -ENOMEM;
	/* The AF_BRIDGE family (not rtnl_link_bridge_alloc()'s kind) makes it IFLA_PROTINFO. */
	rtnl_link_set_family(c, AF_BRIDGE);
	rtnl_link_set_ifindex(c, ifindex);
	rc = apply_port(c, a);
	if (!rc)
		rc = hn_link_build_changes(c, msg);
	/*
	 * libnl 3.7 picks RTM_SETLINK only when port flags change; an
	 * RTM_NEWLINK carrying just a cost or priority is ignored by the kernel.
	 */
	if (!rc)
		nlmsg_hdr(*msg)->nlmsg_type = RTM_SETLINK;
	rtnl_link_put(c);
	return rc;
}

/**
 * hn_bridge_port_set - change attributes of a bridge port
 * @port: the port's link from a dump
 * @a: what to set
 *
 * Return: 0; -ENOENT when @port is not a bridge port (the errno brctl
 * reports, from the missing brport/ directory); -ERANGE (cost 1-65535,
 * priority 0-63), -EPERM, or another -errno.
 */
int hn_bridge_port_set(struct hn_ctx *ctx, const struct hn_bridge_link *port,
		       const struct hn_bridge_port_attrs *a)
{
	struct nl_msg *msg = NULL;
	int rc;

	if (!port->is_port)
		return hn_ctx_fail(ctx, -ENOENT, "%s: not a bridge port", port->name);
	rc = hn_bridge_port_build_set(port->ifindex, a, &msg);
	return hn_nl_request(ctx, rc, msg, port->name);
}

/**
 * hn_bridge_port_attrs_parse - read back IFLA_PROTINFO of a port request
 * @a: receives the values; a->set says which were present
 *
 * Return: 0, or -EINVAL when the message carries no IFLA_PROTINFO.
 */
int hn_bridge_port_attrs_parse(const struct nlmsghdr *nlh, struct hn_bridge_port_attrs *a)
{
	struct nlattr *tb[IFLA_MAX + 1], *pt[IFLA_BRPORT_MAX + 1];

	memset(a, 0, sizeof(*a));
	if (nlmsg_parse((struct nlmsghdr *)nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_PROTINFO] || nla_parse_nested(pt, IFLA_BRPORT_MAX, tb[IFLA_PROTINFO], NULL) < 0)
		return -EINVAL;
	if (pt[IFLA_BRPORT_COST]) {
		a->set |= HN_BRIDGE_PORT_SET_COST;
		a->cost = nla_get_u32(pt[IFLA_BRPORT_COST]);
	}
	if (pt[IFLA_BRPORT_PRIORITY]) {
		a->set |= HN_BRIDGE_PORT_SET_PRIORITY;
		a->priority = nla_get_u16(pt[IFLA_BRPORT_PRIORITY]);
	}
	if (pt[IFLA_BRPORT_MODE]) {
		a->set |= HN_BRIDGE_PORT_SET_HAIRPIN;
		a->hairpin = nla_get_u8(pt[IFLA_BRPORT_MODE]) != 0;
	}
	if (pt[IFLA_BRPORT_STATE]) {
		a->set |= HN_BRIDGE_PORT_SET_STATE;
		a->state = nla_get_u8(pt[IFLA_BRPORT_STATE]);
	}
	return 0;
}

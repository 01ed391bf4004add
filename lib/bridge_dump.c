/* bridge_dump.c - bridges and ports as they are: one link dump parsed by tables, and the forwarding database. */
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
#include "vec.h"

/* ---- reading state: one link dump, parsed by tables ---- */

struct field {
	size_t off;			/* in struct hn_bridge_state / _port_state */
	unsigned int size;		/* bytes copied; 0 = not read */
};

/* Attribute @attr is read into @member of struct @type. */
#define FIELD(attr, type, member) \
	[attr] = { .off = offsetof(type, member), .size = sizeof(((type *)0)->member) }
#define BR_F(attr, member) FIELD(attr, struct hn_bridge_state, member)
#define PORT_F(attr, member) FIELD(attr, struct hn_bridge_port_state, member)

static const struct field br_fields[IFLA_BR_MAX + 1] = {
	BR_F(IFLA_BR_FORWARD_DELAY, forward_delay),
	BR_F(IFLA_BR_HELLO_TIME, hello_time),
	BR_F(IFLA_BR_MAX_AGE, max_age),
	BR_F(IFLA_BR_AGEING_TIME, ageing_time),
	BR_F(IFLA_BR_STP_STATE, stp_state),
	BR_F(IFLA_BR_PRIORITY, priority),
	BR_F(IFLA_BR_VLAN_FILTERING, vlan_filtering),
	BR_F(IFLA_BR_ROOT_ID, root),
	BR_F(IFLA_BR_BRIDGE_ID, id),
	BR_F(IFLA_BR_ROOT_PORT, root_port),
	BR_F(IFLA_BR_ROOT_PATH_COST, root_path_cost),
	BR_F(IFLA_BR_TOPOLOGY_CHANGE, topology_change),
	BR_F(IFLA_BR_TOPOLOGY_CHANGE_DETECTED, topology_change_detected),
	BR_F(IFLA_BR_HELLO_TIMER, hello_timer),
	BR_F(IFLA_BR_TCN_TIMER, tcn_timer),
	BR_F(IFLA_BR_TOPOLOGY_CHANGE_TIMER, topology_change_timer),
	BR_F(IFLA_BR_GC_TIMER, gc_timer),
};

static const struct field port_fields[IFLA_BRPORT_MAX + 1] = {
	PORT_F(IFLA_BRPORT_STATE, state),
	PORT_F(IFLA_BRPORT_PRIORITY, priority),
	PORT_F(IFLA_BRPORT_COST, cost),
	PORT_F(IFLA_BRPORT_MODE, hairpin),
	PORT_F(IFLA_BRPORT_ROOT_ID, designated_root),
	PORT_F(IFLA_BRPORT_BRIDGE_ID, designated_bridge),
	PORT_F(IFLA_BRPORT_DESIGNATED_PORT, designated_port),
	PORT_F(IFLA_BRPORT_DESIGNATED_COST, designated_cost),
	PORT_F(IFLA_BRPORT_ID, port_id),
	PORT_F(IFLA_BRPORT_NO, port_no),
	PORT_F(IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, topology_change_ack),
	PORT_F(IFLA_BRPORT_CONFIG_PENDING, config_pending),
	PORT_F(IFLA_BRPORT_MESSAGE_AGE_TIMER, message_age_timer),
	PORT_F(IFLA_BRPORT_FORWARD_DELAY_TIMER, forward_delay_timer),
	PORT_F(IFLA_BRPORT_HOLD_TIMER, hold_timer),
};

#define TB_MAX (IFLA_BR_MAX > IFLA_BRPORT_MAX ? IFLA_BR_MAX : IFLA_BRPORT_MAX)

/* Copy each known attribute of @nest into @base as @fields says; wrong sizes are skipped. */
static int read_fields(struct nlattr *nest, const struct field *fields, int max, void *base)
{
	struct nlattr *tb[TB_MAX + 1];

	if (max > TB_MAX || nla_parse_nested(tb, max, nest, NULL) < 0)
		return -EBADMSG;
	for (int i = 0; i <= max; i++) {
		if (fields[i].size && tb[i] && nla_len(tb[i]) == (int)fields[i].size)
			memcpy((char *)base + fields[i].off, nla_data(tb[i]), fields[i].size);
	}
	return 0;
}

/**
 * hn_bridge_link_parse - one RTM_NEWLINK message into @l, with bridge or port state
 *
 * Return: 0, or -EBADMSG for a message that is not a well-formed link.
 */
int hn_bridge_link_parse(const struct nlmsghdr *nlh, struct hn_bridge_link *l)
{
	const struct ifinfomsg *ifi = nlmsg_data(nlh);
	struct nlattr *tb[IFLA_MAX + 1], *data;
	char kind[16] = "";

	memset(l, 0, sizeof(*l));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse((struct nlmsghdr *)nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_IFNAME])
		return -EBADMSG;
	nla_strlcpy(l->name, tb[IFLA_IFNAME], sizeof(l->name));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_MASTER])
		l->master = (int)nla_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, nla_data(tb[IFLA_ADDRESS]), 6);
	data = hn_bridge_linkinfo(nlh, IFLA_INFO_DATA, kind, sizeof(kind));
	if (!strcmp(kind, "bridge") && data) {
		l->is_bridge = true;
		if (read_fields(data, br_fields, IFLA_BR_MAX, &l->br) < 0)
			return -EBADMSG;
	}
	kind[0] = '\0';
	data = hn_bridge_linkinfo(nlh, IFLA_INFO_SLAVE_DATA, kind, sizeof(kind));
	if (!strcmp(kind, "bridge") && data) {
		l->is_port = true;
		if (read_fields(data, port_fields, IFLA_BRPORT_MAX, &l->port) < 0)
			return -EBADMSG;
	}
	return 0;
}

static int add_link(struct nl_msg *msg, void *arg)
{
	struct hn_bridge_dump *d = arg;
	struct hn_bridge_link *v;

	if (nlmsg_hdr(msg)->nlmsg_type != RTM_NEWLINK)
		return 0;
	v = HN_VEC_PUSH(d->links, d->n, d->cap);
	if (!v)
		return -ENOMEM;
	if (hn_bridge_link_parse(nlmsg_hdr(msg), v) < 0) {
		d->n--;
		return -EBADMSG;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct hn_bridge_link *)a)->name,
		      ((const struct hn_bridge_link *)b)->name);
}

/**
 * hn_bridge_dump_get - every link of the namespace with its bridge/port state
 * @d: receives the links, sorted by name in byte order; free with
 *     hn_bridge_dump_free()
 *
 * Works unprivileged, as brctl's sysfs reads do.
 *
 * Return: 0, -ENOMEM, -EBADMSG, or -errno from the socket.
 */
int hn_bridge_dump_get(struct hn_ctx *ctx, struct hn_bridge_dump *d)
{
	struct nl_msg *msg;
	int rc;

	memset(d, 0, sizeof(*d));
	if (hn_link_build_req(NULL, NULL, &msg) < 0)
		return hn_ctx_fail(ctx, -ENOMEM, "link dump");
	rc = hn_nl_talk(ctx, msg, add_link, d);
	nlmsg_free(msg);
	if (rc) {
		hn_bridge_dump_free(d);
		return hn_ctx_fail(ctx, rc, "link dump");
	}
	if (d->n)
		qsort(d->links, d->n, sizeof(*d->links), by_name);
	return 0;
}

/** hn_bridge_dump_free - release a dump's links; safe on a zeroed or freed dump. */
void hn_bridge_dump_free(struct hn_bridge_dump *d)
{
	free(d->links);
	d->links = NULL;
	d->n = 0;
}

/** hn_bridge_dump_find - the link named @name in @d (which the caller owns), or NULL; whole names only. */
struct hn_bridge_link *hn_bridge_dump_find(const struct hn_bridge_dump *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++) {
		if (!strcmp(d->links[i].name, name))
			return &d->links[i];
	}
	return NULL;
}

/** hn_bridge_dump_find_index - the link with ifindex @ifindex, or NULL. */
struct hn_bridge_link *hn_bridge_dump_find_index(const struct hn_bridge_dump *d, int ifindex)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->links[i].ifindex == ifindex)
			return &d->links[i];
	}
	return NULL;
}

/* ---- forwarding database ---- */

struct fdb_walk {
	const struct hn_bridge_dump *d;
	const struct hn_bridge_link *br;
	struct hn_bridge_fdb *v;
	size_t n, cap;
};

/**
 * hn_bridge_fdb_parse - one RTM_NEWNEIGH of an AF_BRIDGE dump, as brctl showmacs sees it
 * @d: a dump holding @br and its ports (for port numbers)
 * @br: the bridge whose entries are kept
 * @e: filled when the entry is kept
 *
 * Keeps what the kernel's brforward file lists: entries the bridge learned
 * or owns on one of its ports. Entries on the bridge device itself, the
 * ports' own "self" entries (multicast lists) and other bridges' are skipped.
 *
 * Return: 1 kept, 0 skipped, -EBADMSG for a malformed message.
 */
int hn_bridge_fdb_parse(const struct nlmsghdr *nlh, const struct hn_bridge_dump *d,
			const struct hn_bridge_link *br, struct hn_bridge_fdb *e)
{
	const struct ndmsg *ndm = nlmsg_data(nlh);
	struct nlattr *tb[NDA_MAX + 1];
	const struct hn_bridge_link *port;

	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    nlmsg_parse((struct nlmsghdr *)nlh, sizeof(*ndm), tb, NDA_MAX, NULL) < 0)
		return -EBADMSG;
	if ((ndm->ndm_flags & NTF_SELF) || !tb[NDA_MASTER] || !tb[NDA_LLADDR] ||
	    nla_get_u32(tb[NDA_MASTER]) != (uint32_t)br->ifindex || nla_len(tb[NDA_LLADDR]) != 6)
		return 0;
	port = hn_bridge_dump_find_index(d, ndm->ndm_ifindex);
	if (!port || !port->is_port || port->master != br->ifindex)
		return 0;
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, nla_data(tb[NDA_LLADDR]), 6);
	e->ifindex = ndm->ndm_ifindex;
	e->port_no = port->port.port_no;
	e->is_local = (ndm->ndm_state & NUD_PERMANENT) != 0;
	if (tb[NDA_VLAN])
		e->vlan = nla_get_u16(tb[NDA_VLAN]);
	if (!e->is_local && tb[NDA_CACHEINFO] &&
	    nla_len(tb[NDA_CACHEINFO]) >= (int)sizeof(struct nda_cacheinfo))
		e->ageing_timer = ((struct nda_cacheinfo *)nla_data(tb[NDA_CACHEINFO]))->ndm_updated;
	return 1;
}

static int add_fdb(struct nl_msg *msg, void *arg)
{
	struct fdb_walk *w = arg;
	struct hn_bridge_fdb e, *v;
	int rc = hn_bridge_fdb_parse(nlmsg_hdr(msg), w->d, w->br, &e);

	if (rc <= 0)
		return rc;
	v = HN_VEC_PUSH(w->v, w->n, w->cap);
	if (!v)
		return -ENOMEM;
	*v = e;
	return 0;
}

static int by_mac(const void *a, const void *b)
{
	return memcmp(((const struct hn_bridge_fdb *)a)->mac, ((const struct hn_bridge_fdb *)b)->mac, 6);
}

/**
 * hn_bridge_fdb_get - the forwarding database of bridge @br, as brctl shows it
 * @d: a dump holding @br and its ports (for port numbers)
 * @fdb: receives the entries sorted by MAC; free() them
 * @n: receives the count
 *
 * Only the entries hn_bridge_fdb_parse() keeps.
 *
 * Return: 0; -EOPNOTSUPP (@br is not a bridge), -ENOMEM, -errno.
 */
int hn_bridge_fdb_get(struct hn_ctx *ctx, const struct hn_bridge_dump *d,
		      const struct hn_bridge_link *br, struct hn_bridge_fdb **fdb, size_t *n)
{
	struct fdb_walk w = { .d = d, .br = br };
	struct ndmsg ndm = { .ndm_family = PF_BRIDGE };
	struct nl_msg *msg;
	int rc;

	if (!br->is_bridge)
		return hn_ctx_fail(ctx, -EOPNOTSUPP, "%s: not a bridge", br->name);
	msg = nlmsg_alloc_simple(RTM_GETNEIGH, NLM_F_DUMP);
	if (!msg)
		return hn_ctx_fail(ctx, -ENOMEM, "%s: fdb dump", br->name);
	rc = nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0 ? -EMSGSIZE
		: hn_nl_talk(ctx, msg, add_fdb, &w);
	nlmsg_free(msg);
	if (rc) {
		free(w.v);
		return hn_ctx_fail(ctx, rc, "%s: fdb dump", br->name);
	}
	if (w.n)
		qsort(w.v, w.n, sizeof(*w.v), by_mac);
	*fdb = w.v;
	*n = w.n;
	return 0;
}

/* exec.c - carry out a plan phase by phase, pipelining netlink requests, journaling each change made. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "log.h"
#include "nl.h"
#include "addr.h"
#include "fdb.h"
#include "sysctl.h"
#include "tun.h"
#include "takeover.h"
#include "undo.h"
#include "exec.h"
#include "nat.h"
#include "show.h"
#include "conf_file.h"

struct exec {
	struct hn_ctx *ctx;
	const struct conf *c;
	struct live l;
	bool loaded;
	struct recs *journal;
	struct {			/* masters looked up by name */
		char name[IFNAMSIZ];
		int ifindex;
	} masters[8];
	size_t nmasters;
};

static void fail(struct exec *e, const struct act *a, int rc)
{
	char buf[512], at[4200];

	hn_log_err("%s: %s: %s%s%s", conf_where(e->c, a->line, at, sizeof(at)),
		   act_text(a, buf, sizeof(buf)),
		   strerror(-rc), e->ctx->ext[0] ? ": " : "", e->ctx->ext);
}

static int journal(struct exec *e, enum rec_kind kind, const struct act *a)
{
	struct rec x;

	memset(&x, 0, sizeof(x));
	x.kind = kind;
	strcpy(x.dev, a->dev);
	x.p = a->p;
	/* A host route or proxy entry is one address: as the state file reads it back. */
	if (kind == REC_ROUTE || kind == REC_NEIGH || kind == REC_FDB || kind == REC_FDBDEL)
		x.p.len = x.p.addr.family == AF_INET ? 32 : 128;
	switch (kind) {
	case REC_SYSCTL: strcpy(x.name, a->name); strcpy(x.val, a->oldval); break;
	case REC_TUN: strcpy(x.name, a->name); x.gid = a->oldgid; x.mode = a->oldmode; break;
	case REC_NAT: strcpy(x.name, a->name); break;
	case REC_LINKSET: x.chg = a->old; break;
	case REC_BRSET: x.br = a->brold; break;
	default: break;
	}
	return recs_add(e->journal, &x);
}

/* ---- what each netlink action sends, and what it leaves in the journal ---- */

static int ifindex_of(struct exec *e, const char *dev, int *ifindex)
{
	const struct live_link *k = live_link(&e->l, dev);

	if (!k)
		return -ENODEV;
	*ifindex = k->ifindex;
	return 0;
}

/*
 * The ifindex of bridge @dev, asked by name (and kept): setting up and
 * enslaving 4000 taps needs the index of a few bridges, not a dump of
 * every link.
 */
static int master_of(struct exec *e, const char *dev, int *ifindex)
{
	size_t n = sizeof(e->masters) / sizeof(e->masters[0]);
	int rc;

	for (size_t i = 0; i < e->nmasters; i++)
		if (!strcmp(e->masters[i].name, dev))
			return *ifindex = e->masters[i].ifindex, 0;
	rc = hn_link_index(e->ctx, dev, ifindex);
	if (!rc && e->nmasters < n) {
		strcpy(e->masters[e->nmasters].name, dev);
		e->masters[e->nmasters++].ifindex = *ifindex;
	}
	return rc;
}

/* The VXLAN link, on the underlay named in a->name. */
static int build_vxlan(struct exec *e, const struct act *a, struct nl_msg **m)
{
	struct hn_vxlan vx = a->vx;
	int rc = master_of(e, a->name, &vx.link);

	return rc ? rc : hn_vxlan_build_add(a->dev, &vx, m);
}

/* A remote of VXLAN @ifindex: the all-zeros entry to the peer. */
static int build_fdb(int cmd, int ifindex, const struct act *a, struct nl_msg **m)
{
	struct hn_fdb f = { .ifindex = ifindex, .dst = a->p.addr };

	return hn_fdb_build(cmd, &f, m);
}

static int build(struct exec *e, const struct act *a, struct nl_msg **m)
{
	struct hn_link_change chg = a->chg;
	int ifindex = 0, rc = 0;

	switch (a->kind) {
	case ACT_BRIDGE_ADD: return hn_bridge_build_add(a->dev, m);
	case ACT_BRIDGE_SET: return hn_bridge_build_set(a->dev, &a->br, m);
	case ACT_VXLAN_ADD: return build_vxlan(e, a, m);
	case ACT_LINK_SET: case ACT_PORT:
		if ((chg.set & HN_LINK_SET_MASTER) && a->master[0])
			rc = master_of(e, a->master, &chg.master);
		return rc ? rc : hn_link_build_change(a->dev, &chg, m);
	default: break;
	}
	rc = ifindex_of(e, a->dev, &ifindex);
	if (rc)
		return rc;
	if (a->kind == ACT_ADDR)
		return hn_addr_build_add(ifindex, &a->p, m);
	if (a->kind == ACT_ROUTE)
		return hn_route_build_host(RTM_NEWROUTE, &a->p.addr, ifindex,
					   NLM_F_CREATE | NLM_F_EXCL, m);
	if (a->kind == ACT_FDB || a->kind == ACT_FDB_DEL)
		return build_fdb(a->kind == ACT_FDB ? RTM_NEWNEIGH : RTM_DELNEIGH, ifindex, a, m);
	return hn_neigh_build_proxy(RTM_NEWNEIGH, &a->p.addr, ifindex, m);
}

static int record(struct exec *e, const struct act *a)
{
	switch (a->kind) {
	case ACT_BRIDGE_ADD: return journal(e, REC_LINK, a);
	case ACT_BRIDGE_SET: return a->create ? 0 : journal(e, REC_BRSET, a);
	case ACT_LINK_SET: return a->create ? 0 : journal(e, REC_LINKSET, a);
	case ACT_PORT: return journal(e, REC_PORT, a);
	case ACT_ADDR: return journal(e, REC_ADDR, a);
	case ACT_ROUTE: return journal(e, REC_ROUTE, a);
	case ACT_NEIGH: return journal(e, REC_NEIGH, a);
	case ACT_VXLAN_ADD: return journal(e, REC_LINK, a);
	case ACT_FDB: return journal(e, REC_FDB, a);
	case ACT_FDB_DEL: return journal(e, REC_FDBDEL, a);
	default: return 0;
	}
}

/* Build every request of a phase, send them pipelined, journal what took effect. */
static int run_netlink(struct exec *e, struct act *v, size_t n)
{
	struct nl_msg **m = calloc(n, sizeof(*m));
	int *rcs = calloc(n, sizeof(*rcs)), rc = 0;
	size_t i, built = 0, bad = n, first = n;

	if (!m || !rcs)
		rc = -ENOMEM;
	for (i = 0; !rc && i < n; i++, built++)
		if ((rc = build(e, &v[i], &m[i])) < 0)
			bad = i;
	if (!rc)
		rc = hn_nl_talk_many(e->ctx, m, n, rcs);
	for (i = 0; bad == n && i < built; i++) {
		if (rcs[i] && first == n)
			first = i;
		else if (!rcs[i] && record(e, &v[i]) < 0)
			rc = -ENOMEM;
	}
	if (first < n)
		bad = first, rc = rcs[first];
	if (bad < n)
		fail(e, &v[bad], rc);
	for (i = 0; i < built; i++)
		nlmsg_free(m[i]);
	free(m);
	free(rcs);
	return rc;
}

/* ---- actions done by system calls, one at a time ---- */

static int tap_create(const char *clone, const struct conf_tap *t, bool exist)
{
	struct hn_tun_spec spec = {
		.clone = clone,
		.flags = IFF_TAP | IFF_NO_PI | (exist ? 0 : IFF_TUN_EXCL) |
			 (t->multi_queue ? IFF_MULTI_QUEUE : 0) | (t->vnet_hdr ? IFF_VNET_HDR : 0),
		.has_owner = t->has_user, .owner = t->user,
		.has_group = t->has_group, .group = t->group,
		.persist = !exist,
	};
	char name[IFNAMSIZ];

	strcpy(name, t->name);
	return hn_tun_create(&spec, name, NULL);
}

/*
 * One interface's forwarding, journaled unless restoring the global value
 * (@oldval) later gives it back by itself.
 */
struct fwd_save {
	struct exec *e;
	int family;
	const char *oldval;
};

static int save_forwarding(const char *name, void *arg)
{
	struct fwd_save *f = arg;
	struct rec x = { .kind = REC_SYSCTL };
	int rc;

	if (!strcmp(name, "all"))
		return 0;
	if (hn_sysctl_conf_name(f->family, name, "forwarding", x.name, sizeof(x.name)))
		return 0;	/* a name longer than a record holds: not an interface */
	rc = hn_sysctl_get(f->e->ctx, x.name, x.val, sizeof(x.val));
	if (rc == -ENOENT || rc == -ENODEV)
		return 0;	/* gone meanwhile */
	if (rc)
		return rc;
	return strcmp(x.val, f->oldval) ? recs_add(f->e->journal, &x) : 0;
}

/*
 * Writing ip_forward (or IPv6's all/forwarding) makes the kernel set every
 * interface's forwarding, and the default, to the same value, now and when
 * down writes the old value back. Each one that differs from the old global
 * value is journaled before the global knob, so that undoing (newest
 * first) restores the global value, then each interface's own.
 */
static int save_each_forwarding(struct exec *e, const struct act *a)
{
	struct fwd_save f = { .e = e, .oldval = a->oldval };

	if (!strcmp(a->name, "net/ipv4/ip_forward"))
		f.family = AF_INET;
	else if (!strcmp(a->name, "net/ipv6/conf/all/forwarding"))
		f.family = AF_INET6;
	else
		return 0;
	return hn_sysctl_conf_each(f.family, save_forwarding, &f);
}

static int do_sysctl(struct exec *e, struct act *a)
{
	int rc = hn_sysctl_get(e->ctx, a->name, a->oldval, sizeof(a->oldval));

	if (!rc && a->kind == ACT_FORWARD)
		rc = save_each_forwarding(e, a);
	if (!rc)
		rc = hn_sysctl_set(e->ctx, a->name, a->newval);
	return rc ? rc : journal(e, REC_SYSCTL, a);
}

static int do_tun(struct exec *e, struct act *a)
{
	if (a->set_gid && chown(a->name, (uid_t)-1, a->gid) < 0)
		return -errno;
	if (journal(e, REC_TUN, a) < 0)
		return -ENOMEM;
	return a->set_mode && chmod(a->name, a->mode) < 0 ? -errno : 0;
}

static int do_takeover(struct exec *e, struct act *a)
{
	int pi, bri, rc = ifindex_of(e, a->dev, &pi);

	if (!rc)
		rc = master_of(e, a->master, &bri);
	return rc ? rc : takeover_run(e->ctx, a->dev, pi, a->master, bri, e->journal);
}

static int do_one(struct exec *e, struct act *a)
{
	int rc;

	switch (a->kind) {
	case ACT_TUN: return do_tun(e, a);
	case ACT_FORWARD: case ACT_PROXY_ARP: return do_sysctl(e, a);
	case ACT_TAP_OWNER: return tap_create(HN_TUN_CLONE, a->tap, true);
	case ACT_TAP_ADD:
		rc = tap_create(e->c->tun.line ? e->c->tun.path : HN_TUN_CLONE, a->tap, false);
		return rc ? rc : journal(e, REC_LINK, a);
	case ACT_TAKEOVER: return do_takeover(e, a);
	default: return -EINVAL;
	}
}

/* Replies are whole link messages: few in flight keep the receive queue short. */
#define SYNC_WINDOW 16

/*
 * Closing the fd that made or opened a tap drops its carrier, and the
 * kernel applies that (operstate down) in its linkwatch work, up to a
 * second later. A tap set up before then keeps operstate "unknown", which
 * the bridge takes for up: the port goes forwarding although nothing reads
 * the tap, and 1000 such ports cost the kernel far more to join and, in
 * down, to leave (bench-hostnet: 650 vs 430 ms to delete 1000). A GETLINK
 * of the tap applies its pending event (as `ip link set`'s name lookup
 * does). Best effort: a failure changes nothing but the timing.
 */
static void sync_taps(struct exec *e, const struct act *v, size_t n)
{
	struct nl_msg *m[SYNC_WINDOW];
	int rcs[SYNC_WINDOW];
	size_t i, k;

	for (i = 0; i < n; i += k) {
		for (k = 0; k < SYNC_WINDOW && i + k < n; k++)
			if (hn_link_build_get(v[i + k].dev, &m[k]) < 0)
				break;
		if (k)
			hn_nl_talk_many(e->ctx, m, k, rcs);
		for (size_t j = 0; j < k; j++)
			nlmsg_free(m[j]);
		if (!k)
			return;
	}
	e->ctx->ext[0] = '\0';
}

static bool is_netlink(enum act_kind k)
{
	return k == ACT_BRIDGE_ADD || k == ACT_BRIDGE_SET || k == ACT_LINK_SET ||
	       k == ACT_PORT || k == ACT_ADDR || k == ACT_ROUTE || k == ACT_NEIGH ||
	       k == ACT_VXLAN_ADD || k == ACT_FDB || k == ACT_FDB_DEL;
}

static int run_phase(struct exec *e, struct act *v, size_t n)
{
	int rc = 0;

	/* Addresses, routes and neighbours name links made by earlier phases. */
	if (v[0].kind >= ACT_ADDR && !e->loaded) {
		rc = live_load_names(e->ctx, &e->l);
		if (rc)
			return hn_log_ctx(e->ctx, rc), rc;
		e->loaded = true;
	}
	if (is_netlink(v[0].kind))
		return run_netlink(e, v, n);
	if (v[0].kind == ACT_NAT)
		return exec_nat(e->ctx, e->c, v, n, e->journal);
	for (size_t i = 0; !rc && i < n; i++) {
		e->ctx->ext[0] = '\0';
		rc = do_one(e, &v[i]);
		if (rc)
			fail(e, &v[i], rc);
	}
	if (!rc && (v[0].kind == ACT_TAP_ADD || v[0].kind == ACT_TAP_OWNER))
		sync_taps(e, v, n);
	return rc;
}

/**
 * exec_plan - carry out @p, phase by phase, in the plan's order
 * @journal: receives a record of each change that took effect, so that
 *	     undo_recs() can take them back if a later step fails
 *
 * Each failure is reported as file:line: change: why.
 *
 * Return: 0, or the -errno of the first failure.
 */
int exec_plan(struct hn_ctx *ctx, const struct conf *c, struct plan *p, struct recs *journal)
{
	struct exec e = { .ctx = ctx, .c = c, .journal = journal };
	size_t i = 0, j;
	int rc = 0;

	while (!rc && i < p->n) {
		for (j = i; j < p->n && p->v[j].kind == p->v[i].kind; j++)
			;
		rc = run_phase(&e, &p->v[i], j - i);
		i = j;
	}
	live_free(&e.l);
	return rc;
}

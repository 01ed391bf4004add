/* plan_vxlan.c - plan a vxlan line on this host: which peer is this host, the MTUs it needs, the link and its remotes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "nl.h"
#include "fdb.h"
#include "plan.h"
#include "vec.h"
#include "plan_vxlan.h"
#include "conf_check.h"

static bool same(const struct hn_addr *a, const struct hn_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->u.bytes, b->u.bytes, a->family == AF_INET ? 4 : 16);
}


/* Does an interface of this host hold @a? */
static bool held(const struct live *l, const struct hn_addr *a)
{
	for (size_t i = 0; i < l->naddrs; i++)
		if (same(&l->addrs[i].local.addr, a))
			return true;
	return false;
}

static int family_of(const struct conf_vxlan *v)
{
	return v->npeers ? v->peers[0].family : v->group.family;
}

/* Which of the peers is this host: exactly one of them, or a conflict. */
static void find_local(struct planner *pl, struct plan_vx *pv)
{
	const struct conf_vxlan *v = pv->v;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int first = -1;

	for (size_t i = 0; i < v->npeers; i++) {
		if (!held(pl->l, &v->peers[i]))
			continue;
		if (first >= 0)
			return plan_conflict(pl, v->line, "%s: this host holds two of the peers' "
					     "addresses, %s and %s; it must hold exactly one (its "
					     "own underlay address)", v->name,
					     hn_addr_str(&v->peers[first], a), hn_addr_str(&v->peers[i], b));
		first = (int)i;
	}
	if (first < 0)
		return plan_conflict(pl, v->line, "%s: this host holds none of the peers' "
				     "addresses; add its underlay address to the peers (every "
				     "host finds itself in the list)", v->name);
	pv->local = first;
}

/**
 * plan_vxlan_prepare - for each vxlan line: this host's peer and the
 * overlay MTU (the underlay's less 50 bytes over IPv4, 70 over IPv6), which
 * the bridges and taps planned next take when their line gives none
 *
 * Return: 0 or -ENOMEM (problems are conflicts, each reported).
 */
int plan_vxlan_prepare(struct planner *pl)
{
	const struct conf *c = pl->c;
	struct plan_vx *pv;

	if (!c->nvxlans)
		return 0;
	pl->p->vx = calloc(c->nvxlans, sizeof(*pl->p->vx));
	if (!pl->p->vx)
		return -ENOMEM;
	pl->p->nvx = c->nvxlans;
	for (size_t i = 0; i < c->nvxlans; i++) {
		const struct conf_vxlan *v = &c->vxlans[i];
		const struct live_link *u = live_link(pl->l, v->dev);
		unsigned int over = hn_vxlan_overhead(family_of(v));

		pv = &pl->p->vx[i];
		pv->v = v;
		pv->local = -1;
		if (!u) {
			plan_conflict(pl, v->line, "%s: dev %s: no such device (the underlay)",
				      v->name, v->dev);
			continue;
		}
		pv->underlay_mtu = u->mtu;
		if (u->mtu < over + 68)
			plan_conflict(pl, v->line, "%s: %s's mtu %u leaves no room for the %u "
				      "bytes of VXLAN over IPv%c", v->name, v->dev, u->mtu, over,
				      over == HN_VXLAN_OVERHEAD4 ? '4' : '6');
		else
			pv->mtu = u->mtu - over;
		if (v->npeers)
			find_local(pl, pv);
	}
	return 0;
}

/** plan_vxlan_mtu - the overlay MTU of the vxlans on @bridge (the smallest), 0 if none. */
unsigned int plan_vxlan_mtu(const struct plan *p, const char *bridge)
{
	unsigned int mtu = 0;

	for (size_t i = 0; i < p->nvx; i++)
		if (p->vx[i].mtu && !strcmp(p->vx[i].v->bridge, bridge) &&
		    (!mtu || p->vx[i].mtu < mtu))
			mtu = p->vx[i].mtu;
	return mtu;
}

/* A device of the bridge whose frames would not fit through the tunnel. */
static void too_big(struct planner *pl, const struct plan_vx *pv, int line, const char *what,
		    unsigned int mtu, const char *fix)
{
	const struct conf_vxlan *v = pv->v;
	unsigned int over = pv->underlay_mtu - pv->mtu;

	plan_conflict(pl, line, "%s: mtu %u does not fit through vxlan %s (%s's mtu %u less %u "
		      "bytes of VXLAN = %u): %s to %u, or raise %s's mtu to %u", what, mtu, v->name,
		      v->dev, pv->underlay_mtu, over, pv->mtu, fix, pv->mtu, v->dev, mtu + over);
}

/* Frames larger than the overlay MTU vanish in the tunnel: refuse before they do. */
static void check_mtus(struct planner *pl, const struct plan_vx *pv)
{
	const struct conf *c = pl->c;
	const char *br = pv->v->bridge;
	const struct conf_bridge *b = conf_find_bridge(c, br);
	const struct live_link *k;
	char what[64];

	if (b && b->mtu > pv->mtu)
		too_big(pl, pv, b->line, b->name, b->mtu, "lower it");
	for (size_t i = 0; i < c->ntaps; i++)
		if (!strcmp(c->taps[i].bridge, br) && c->taps[i].mtu > pv->mtu)
			too_big(pl, pv, c->taps[i].line, c->taps[i].name, c->taps[i].mtu,
				"lower it (and the guest's)");
	for (size_t i = 0; i < c->nports; i++) {
		if (strcmp(c->ports[i].bridge, br) || !(k = live_link(pl->l, c->ports[i].dev)) ||
		    k->mtu <= pv->mtu)
			continue;
		snprintf(what, sizeof(what), "addif %s %s", br, c->ports[i].dev);
		too_big(pl, pv, c->ports[i].line, what, k->mtu,
			"set its mtu (and the guests' behind it)");
	}
}

/* The link the file asks for; vx.link is looked up at apply. */
static void wanted(const struct plan_vx *pv, struct hn_vxlan *vx)
{
	const struct conf_vxlan *v = pv->v;

	memset(vx, 0, sizeof(*vx));
	vx->id = v->vni;
	vx->port = v->port;
	vx->has_ttl = v->has_ttl;
	vx->ttl = v->ttl;
	vx->learning = v->learning;
	if (pv->local >= 0)
		vx->local = v->peers[pv->local];
	vx->group = v->group;
}

/* An existing link of that name must be this VXLAN: a changed one is not edited in place. */
static bool vxlan_fits(struct planner *pl, const struct plan_vx *pv, const struct live_link *k,
		       const struct hn_vxlan *want)
{
	const struct conf_vxlan *v = pv->v;
	const struct live_link *u = live_link(pl->l, v->dev);
	char diff[256] = "", a[INET6_ADDRSTRLEN];
	struct hn_vxlan have;
	size_t n = 0;
	int rc;

	if (strcmp(k->kind, "vxlan"))
		return plan_conflict(pl, v->line, "%s: exists and is not a vxlan (%s)", v->name,
				     k->kind[0] ? k->kind : "no kind"), false;
	if ((rc = hn_vxlan_get(pl->ctx, v->name, &have)) < 0)
		return plan_conflict(pl, v->line, "%s: %s", v->name, strerror(-rc)), false;
#define DIFF(cond, ...) if ((cond) && n < sizeof(diff)) \
	n += (size_t)snprintf(diff + n, sizeof(diff) - n, __VA_ARGS__)
	DIFF(have.id != want->id, ", id %u", have.id);
	DIFF(have.port != want->port, ", port %u", have.port);
	DIFF(!u || have.link != u->ifindex, ", another dev");
	DIFF(!same(&have.local, &want->local), ", local %s",
	     have.local.family ? hn_addr_str(&have.local, a) : "none");
	DIFF(!same(&have.group, &want->group), ", group %s",
	     have.group.family ? hn_addr_str(&have.group, a) : "none");
	DIFF(have.learning != want->learning, ", learning %s", have.learning ? "on" : "off");
	DIFF(want->has_ttl && have.ttl != want->ttl, ", ttl %u", have.ttl);
#undef DIFF
	if (!n)
		return true;
	return plan_conflict(pl, v->line, "%s: exists with other parameters (%s); a vxlan is not "
			     "changed in place: delete it (hostnet down, if an earlier apply made "
			     "it) and apply again", v->name, diff + 2), false;
}

struct remotes {
	struct hn_addr *v;
	size_t n, cap;
};

static int on_fdb(const void *obj, void *arg)
{
	static const uint8_t zero[6];
	const struct hn_fdb *f = obj;
	struct remotes *r = arg;
	struct hn_addr *slot;

	if (memcmp(f->mac, zero, 6))
		return 0;
	slot = HN_VEC_PUSH(r->v, r->n, r->cap);
	if (!slot)
		return -ENOMEM;
	*slot = f->dst;
	return 0;
}

static bool listed(const struct hn_addr *v, size_t n, const struct hn_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (same(&v[i], a))
			return true;
	return false;
}

static int fdb_act(struct planner *pl, enum act_kind kind, const struct conf_vxlan *v,
		   const struct hn_addr *peer)
{
	struct act *a = plan_add_act(pl->p, kind, v->line, v->name);

	if (!a)
		return -ENOMEM;
	a->p.addr = *peer;
	a->p.len = peer->family == AF_INET ? 32 : 128;
	a->create = kind == ACT_FDB;
	return 0;
}

/* One remote per peer but this host; the recorded remotes of peers gone from the line go. */
static int plan_remotes(struct planner *pl, const struct plan_vx *pv, const struct live_link *k)
{
	const struct conf_vxlan *v = pv->v;
	struct remotes have = { 0 };
	int rc = k ? hn_fdb_list(pl->ctx, k->ifindex, on_fdb, &have) : 0;

	if (rc < 0) {
		free(have.v);
		return rc == -ENOMEM ? rc : (plan_conflict(pl, v->line, "%s: forwarding entries: %s",
							    v->name, strerror(-rc)), 0);
	}
	for (size_t i = 0; !rc && i < v->npeers; i++)
		if ((int)i != pv->local && !listed(have.v, have.n, &v->peers[i]))
			rc = fdb_act(pl, ACT_FDB, v, &v->peers[i]);
	for (size_t i = 0; !rc && i < pl->old->n; i++) {
		const struct rec *x = &pl->old->v[i];

		if (x->kind != REC_FDB || strcmp(x->dev, v->name) ||
		    !listed(have.v, have.n, &x->p.addr))
			continue;
		if (!listed(v->peers, v->npeers, &x->p.addr) ||
		    (pv->local >= 0 && same(&v->peers[pv->local], &x->p.addr)))
			rc = fdb_act(pl, ACT_FDB_DEL, v, &x->p.addr);
	}
	free(have.v);
	return rc;
}

/* Is link @name one an earlier apply made? */
static bool recorded(const struct planner *pl, const char *name)
{
	struct rec k = { .kind = REC_LINK };

	snprintf(k.dev, sizeof(k.dev), "%s", name);
	return recs_find(pl->old, &k) != NULL;
}

/*
 * The kernel refuses a second VXLAN of the same VNI and UDP port (and
 * family): say which link holds them before apply meets the EEXIST, and
 * point to prune when an earlier apply made it (a renamed line).
 */
static bool vni_free(struct planner *pl, const struct plan_vx *pv, const struct hn_vxlan *want)
{
	const struct conf_vxlan *v = pv->v;
	int fam = want->local.family ? want->local.family : want->group.family;
	struct hn_vxlan o;

	for (size_t i = 0; i < pl->l->nlinks; i++) {
		const struct live_link *k = &pl->l->links[i];
		int ofam;

		if (strcmp(k->kind, "vxlan") || !strcmp(k->name, v->name) ||
		    hn_vxlan_get(pl->ctx, k->name, &o) < 0)
			continue;
		ofam = o.local.family ? o.local.family : o.group.family;
		if (o.id != want->id || o.port != want->port || (ofam && fam && ofam != fam))
			continue;
		plan_conflict(pl, v->line, "%s: id %u port %u already used by vxlan %s%s", v->name,
			      want->id, want->port, k->name, recorded(pl, k->name) ? " (an earlier "
			      "apply made it and the file no longer has it: run hostnet prune first)"
			      : "");
		return false;
	}
	return true;
}

static int plan_one(struct planner *pl, const struct plan_vx *pv)
{
	const struct conf_vxlan *v = pv->v;
	const struct live_link *k = live_link(pl->l, v->name);
	struct hn_vxlan want;
	struct act *a;

	if (!pv->mtu || (v->npeers && pv->local < 0))
		return 0;			/* already reported */
	if (v->bridge[0])
		check_mtus(pl, pv);
	wanted(pv, &want);
	if (k && !vxlan_fits(pl, pv, k, &want))
		return 0;
	if (!k) {
		if (!vni_free(pl, pv, &want))
			return 0;
		a = plan_add_create(pl->p, ACT_VXLAN_ADD, v->line, v->name);
		if (!a)
			return -ENOMEM;
		a->vx = want;
		strcpy(a->name, v->dev);
	}
	if (plan_link_of(pl, v->line, v->name, pv->mtu, v->bridge[0] ? v->bridge : NULL) < 0)
		return -ENOMEM;
	return plan_remotes(pl, pv, k);
}

/**
 * plan_vxlans - the links and remotes of each vxlan line, and the MTU
 * checks of the bridges they join
 *
 * Return: 0 or -ENOMEM (problems are conflicts, each reported).
 */
int plan_vxlans(struct planner *pl)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < pl->p->nvx; i++)
		rc = plan_one(pl, &pl->p->vx[i]);
	return rc;
}

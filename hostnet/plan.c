/* plan.c - compare the file with live kernel state: the list of creates and modifications, and conflicts. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include "log.h"
#include "nl.h"
#include "sysctl.h"
#include "vec.h"
#include "plan.h"
#include "takeover.h"
#include "nat.h"
#include "plan_vxlan.h"
#include "conf_check.h"
#include "conf_file.h"

/**
 * plan_add_act - append a zeroed action of @kind for config line @line
 * @dev: the device it changes, or NULL
 *
 * Return: the action, or NULL when out of memory.
 */
struct act *plan_add_act(struct plan *p, enum act_kind kind, int line, const char *dev)
{
	struct act *a = hn_vec_push(&p->v, &p->n, &p->cap, sizeof(*p->v), 64);

	if (!a)
		return NULL;
	a->kind = kind;
	a->line = line;
	a->seq = p->n;
	if (dev)
		strcpy(a->dev, dev);
	return a;
}

/**
 * plan_add_create - plan_add_act() for an action that creates its object,
 * which apply then records as its own (down and prune remove it)
 *
 * Return: the action, or NULL when out of memory.
 */
struct act *plan_add_create(struct plan *p, enum act_kind kind, int line, const char *dev)
{
	struct act *a = plan_add_act(p, kind, line, dev);

	if (a)
		a->create = true;
	return a;
}

static void __attribute__((format(printf, 3, 4)))
conflict(struct planner *pl, int line, const char *fmt, ...)
{
	char msg[256], at[4200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hn_log_err("%s: %s", conf_where(pl->c, line, at, sizeof(at)), msg);
	pl->p->nconflicts++;
}

static bool ours(const struct planner *pl, const char *dev)
{
	struct rec k = { .kind = REC_LINK };

	strcpy(k.dev, dev);
	return recs_find(pl->old, &k) != NULL;
}

/* Did an earlier apply add the host route to @a on @dev? */
static bool our_route(const struct planner *pl, const char *dev, const struct hn_addr *a)
{
	struct rec k = { .kind = REC_ROUTE };

	snprintf(k.dev, sizeof(k.dev), "%s", dev);
	k.p.addr = *a;
	k.p.len = a->family == AF_INET ? 32 : 128;
	return recs_find(pl->old, &k) != NULL;
}

/* ---- tun clone device and sysctls ---- */

static int plan_tun(struct planner *pl)
{
	const struct conf_tun_access *t = &pl->c->tun;
	struct stat st;
	struct act *a;

	if (!t->line)
		return 0;
	if (stat(t->path, &st) < 0) {
		conflict(pl, t->line, "tun_access %s: %s", t->path, strerror(errno));
		return 0;
	}
	if ((!t->has_group || st.st_gid == t->group) &&
	    (!t->has_mode || (st.st_mode & 07777) == t->mode))
		return 0;
	a = plan_add_act(pl->p, ACT_TUN, t->line, NULL);
	if (!a)
		return -ENOMEM;
	strcpy(a->name, t->path);
	a->oldgid = st.st_gid;
	a->oldmode = st.st_mode & 07777;
	a->set_gid = t->has_group && st.st_gid != t->group;
	a->set_mode = t->has_mode && (st.st_mode & 07777) != t->mode;
	a->gid = t->has_group ? t->group : st.st_gid;
	a->mode = t->has_mode ? t->mode : st.st_mode & 07777;
	return 0;
}

/** plan_sysctl_name - the name under /proc/sys that a sysctl line sets. Return: 0 or -errno. */
int plan_sysctl_name(const struct conf_sysctl *s, char *buf, size_t len)
{
	if (s->kind == CONF_FORWARD4)
		return snprintf(buf, len, "net/ipv4/ip_forward"), 0;
	if (s->kind == CONF_FORWARD6)
		return snprintf(buf, len, "net/ipv6/conf/all/forwarding"), 0;
	if (s->kind == CONF_PROXY_NDP)
		return hn_sysctl_conf_name(AF_INET6, s->ifname, "proxy_ndp", buf, len);
	return hn_sysctl_conf_name(AF_INET, s->ifname, "proxy_arp", buf, len);
}

static int plan_sysctl(struct planner *pl, const struct conf_sysctl *s)
{
	char name[HN_SYSCTL_MAX + 1], cur[32] = "0";
	const char *want = s->on ? "1" : "0";
	bool later = false;
	struct act *a;
	int rc;

	if (plan_sysctl_name(s, name, sizeof(name)) < 0)
		return conflict(pl, s->line, "bad sysctl name"), 0;
	if (s->ifname[0] && !live_link(pl->l, s->ifname)) {
		if (!conf_find_tap(pl->c, s->ifname) && !conf_find_bridge(pl->c, s->ifname))
			return conflict(pl, s->line, "%s %s: no such interface",
					s->kind == CONF_PROXY_ARP ? "proxyarp" : "proxyndp",
					s->ifname), 0;
		later = true;		/* created by this apply, with the default 0 */
	}
	if (!later && (rc = hn_sysctl_get(pl->ctx, name, cur, sizeof(cur))) < 0)
		return conflict(pl, s->line, "%s: %s", name, strerror(-rc)), 0;
	if (!strcmp(cur, want))
		return 0;
	a = plan_add_act(pl->p, s->ifname[0] ? ACT_PROXY_ARP : ACT_FORWARD, s->line, NULL);
	if (!a)
		return -ENOMEM;
	strcpy(a->name, name);
	strcpy(a->oldval, cur);
	strcpy(a->newval, want);
	a->create = later;
	return 0;
}

/* ---- links ---- */

static const char *master_name(const struct planner *pl, int ifindex)
{
	const struct live_link *m = ifindex ? live_link_index(pl->l, ifindex) : NULL;

	return m ? m->name : "";
}

/* The LINK_SET that brings @k (NULL: about to be created) to up, @mtu, @master, our group. */
static bool addif_of(const struct conf *c, const char *dev)
{
	for (size_t i = 0; i < c->nports; i++)
		if (!strcmp(c->ports[i].dev, dev))
			return true;
	return false;
}

static int plan_link(struct planner *pl, int line, const char *dev, const struct live_link *k,
		     unsigned int mtu, const char *master)
{
	struct hn_link_change chg = { 0 }, old = { 0 };
	bool mine = !k || ours(pl, dev);
	struct act *a;

	if (!k || !(k->flags & IFF_UP))
		chg.set |= HN_LINK_SET_UP, chg.up = true, old.up = false;
	if (mtu && (!k || k->mtu != mtu))
		chg.set |= HN_LINK_SET_MTU, chg.mtu = mtu, old.mtu = k ? k->mtu : 0;
	if (master && (!k || strcmp(master_name(pl, k->master), master)))
		chg.set |= HN_LINK_SET_MASTER, old.master = k ? k->master : 0;
	/* A tap of ours whose line lost its bridge option: taken off the bridge. */
	if (!master && mine && k && k->master && !addif_of(pl->c, dev))
		chg.set |= HN_LINK_SET_MASTER, old.master = k->master;
	if (mine && pl->c->linkgroup && (!k || k->group != pl->c->linkgroup))
		chg.set |= HN_LINK_SET_GROUP, chg.group = pl->c->linkgroup,
		old.group = k ? k->group : 0;
	if (!chg.set)
		return 0;
	a = plan_add_act(pl->p, ACT_LINK_SET, line, dev);
	if (!a)
		return -ENOMEM;
	old.set = chg.set;
	a->chg = chg;
	a->old = old;
	a->create = !k;
	a->ours = mine;
	if (master)
		strcpy(a->master, master);
	if (k)
		strcpy(a->oldmaster, master_name(pl, k->master));
	return 0;
}

static int plan_addrs(struct planner *pl, int line, const char *dev, const struct live_link *k,
		      const struct hn_prefix *v, size_t n)
{
	struct act *a;

	for (size_t i = 0; i < n; i++) {
		if (k && live_has_addr(pl->l, k->ifindex, &v[i]))
			continue;
		a = plan_add_create(pl->p, ACT_ADDR, line, dev);
		if (!a)
			return -ENOMEM;
		a->p = v[i];
	}
	return 0;
}

/* Bridge attributes that differ; @k NULL for a new bridge (all given ones). */
static void br_diff(const struct hn_bridge_attrs *want, const struct live_link *k,
		    struct hn_bridge_attrs *set, struct hn_bridge_attrs *old)
{
	const struct hn_bridge_state *s = k ? &k->br : NULL;

	memset(set, 0, sizeof(*set));
	memset(old, 0, sizeof(*old));
#define BR(flag, f, livef) \
	if ((want->set & (flag)) && (!s || s->livef != want->f)) { \
		set->set |= (flag); set->f = want->f; old->set |= (flag); \
		old->f = s ? (__typeof__(old->f))s->livef : 0; }
	BR(HN_BRIDGE_SET_FORWARD_DELAY, forward_delay, forward_delay)
	BR(HN_BRIDGE_SET_HELLO_TIME, hello_time, hello_time)
	BR(HN_BRIDGE_SET_MAX_AGE, max_age, max_age)
	BR(HN_BRIDGE_SET_AGEING_TIME, ageing_time, ageing_time)
	BR(HN_BRIDGE_SET_STP_STATE, stp_state, stp_state)
	BR(HN_BRIDGE_SET_PRIORITY, priority, priority)
	BR(HN_BRIDGE_SET_VLAN_FILTERING, vlan_filtering, vlan_filtering)
#undef BR
}

static int plan_bridge(struct planner *pl, const struct conf_bridge *b)
{
	const struct live_link *k = live_link(pl->l, b->name);
	struct hn_bridge_attrs set, old;
	struct act *a;

	if (k && !k->is_bridge)
		return conflict(pl, b->line, "%s: exists and is not a bridge (%s)", b->name,
				k->kind[0] ? k->kind : "no kind"), 0;
	if (!k && !plan_add_create(pl->p, ACT_BRIDGE_ADD, b->line, b->name))
		return -ENOMEM;
	br_diff(&b->attrs, k, &set, &old);
	if (set.set) {
		a = plan_add_act(pl->p, ACT_BRIDGE_SET, b->line, b->name);
		if (!a)
			return -ENOMEM;
		a->br = set;
		a->brold = old;
		a->create = !k;
		a->ours = !k || ours(pl, b->name);
	}
	if (plan_link(pl, b->line, b->name, k, b->mtu ? b->mtu : plan_vxlan_mtu(pl->p, b->name),
		      NULL) < 0)
		return -ENOMEM;
	return plan_addrs(pl, b->line, b->name, k, b->addr, b->naddr);
}

/* An existing link of that name must be a tap with the same queue and header flags. */
static bool tap_fits(struct planner *pl, const struct conf_tap *t, const struct live_link *k)
{
	if (!k->tun.is_tun || !k->tun.tap)
		return conflict(pl, t->line, "%s: exists and is not a tap (%s)", t->name,
				k->tun.is_tun ? "tun" : k->kind[0] ? k->kind : "no kind"), false;
	if (k->tun.multi_queue != t->multi_queue || k->tun.vnet_hdr != t->vnet_hdr)
		return conflict(pl, t->line, "%s: exists with multi_queue %s, vnet_hdr %s; "
				"delete it or change the file", t->name,
				k->tun.multi_queue ? "on" : "off", k->tun.vnet_hdr ? "on" : "off"), false;
	return true;
}

static int plan_tap_owner(struct planner *pl, const struct conf_tap *t, const struct live_link *k)
{
	bool u = t->has_user && (!k->tun.has_owner || k->tun.owner != t->user);
	bool g = t->has_group && (!k->tun.has_group || k->tun.group != t->group);
	struct act *a;

	if (!u && !g)
		return 0;
	a = plan_add_act(pl->p, ACT_TAP_OWNER, t->line, t->name);
	if (!a)
		return -ENOMEM;
	a->tap = t;
	a->oldgid = k->tun.has_owner ? k->tun.owner : (uint32_t)-1;
	a->oldmode = k->tun.has_group ? k->tun.group : (uint32_t)-1;
	return 0;
}

static int plan_routes(struct planner *pl, const struct conf_tap *t, const struct live_link *k)
{
	const struct live_link *pub = t->publish[0] ? live_link(pl->l, t->publish) : NULL;
	const struct hn_route_host *r;
	struct act *a;

	if (t->publish[0] && !pub && !conf_find_bridge(pl->c, t->publish) &&
	    !conf_find_tap(pl->c, t->publish))
		return conflict(pl, t->line, "%s: publish on %s: no such interface", t->name,
				t->publish), 0;
	for (size_t i = 0; i < t->nroute; i++) {
		r = live_route(pl->l, &t->route[i]);
		if (r && (!k || r->ifindex != k->ifindex)) {
			conflict(pl, t->line, "%s: route to a guest already goes to %s%s", t->name,
				 r->dev[0] ? r->dev : "another device",
				 our_route(pl, r->dev, &t->route[i]) ? " (an earlier apply made it and "
				 "the file no longer has it: run hostnet prune first)" : "");
			continue;
		}
		if (!r && !(a = plan_add_create(pl->p, ACT_ROUTE, t->line, t->name)))
			return -ENOMEM;
		if (!r)
			a->p.addr = t->route[i];
		if (t->publish[0] && (!pub || !live_has_neigh(pl->l, pub->ifindex, &t->route[i]))) {
			a = plan_add_create(pl->p, ACT_NEIGH, t->line, t->publish);
			if (!a)
				return -ENOMEM;
			a->p.addr = t->route[i];
		}
	}
	return 0;
}

static int plan_tap(struct planner *pl, const struct conf_tap *t)
{
	const struct live_link *k = live_link(pl->l, t->name);
	struct act *a;

	if (k && !tap_fits(pl, t, k))
		return 0;
	if (!k) {
		a = plan_add_create(pl->p, ACT_TAP_ADD, t->line, t->name);
		if (!a)
			return -ENOMEM;
		a->tap = t;
	} else if (plan_tap_owner(pl, t, k) < 0) {
		return -ENOMEM;
	}
	if (plan_link(pl, t->line, t->name, k,
		      t->mtu || !t->bridge[0] ? t->mtu : plan_vxlan_mtu(pl->p, t->bridge),
		      t->bridge[0] ? t->bridge : NULL) < 0 ||
	    plan_addrs(pl, t->line, t->name, k, t->addr, t->naddr) < 0)
		return -ENOMEM;
	return plan_routes(pl, t, k);
}

/*
 * A device about to become a port loses the use of its addresses and
 * routes (the bridge answers for it from then on): with takeover they move
 * to the bridge, without it the port is refused while it holds any.
 */
static int plan_holdings(struct planner *pl, const struct conf_port *pt, int ifindex)
{
	struct holdings h;
	char text[256];
	struct act *a;
	int rc = takeover_holdings(pl->ctx, ifindex, &h);

	if (rc == -ENOMEM)
		return rc;
	if (rc)
		return conflict(pl, pt->line, "addif %s: reading its addresses and routes: %s",
				pt->dev, strerror(-rc)), 0;
	if (!h.naddr && !h.nroute)
		return 0;
	takeover_text(&h, text, sizeof(text));
	if (!pt->takeover)
		return conflict(pl, pt->line, "addif %s: %s holds %s; as a port of %s it would "
				"lose them: add \"takeover\" to move them to %s", pt->dev, pt->dev,
				text, pt->bridge, pt->bridge), 0;
	a = plan_add_act(pl->p, ACT_TAKEOVER, pt->line, pt->dev);
	if (!a)
		return -ENOMEM;
	strcpy(a->master, pt->bridge);
	snprintf(a->name, sizeof(a->name), "%s", text);
	return 0;
}

static int plan_port(struct planner *pl, const struct conf_port *pt)
{
	const struct live_link *k = live_link(pl->l, pt->dev), *m;
	struct act *a;

	if (!k)
		return conflict(pl, pt->line, "addif %s: no such device", pt->dev), 0;
	m = k->master ? live_link_index(pl->l, k->master) : NULL;
	if (m && strcmp(m->name, pt->bridge))
		return conflict(pl, pt->line, "addif %s: already a port of %s", pt->dev,
				m->name), 0;
	if (m)
		return 0;
	a = plan_add_act(pl->p, ACT_PORT, pt->line, pt->dev);
	if (!a)
		return -ENOMEM;
	a->chg.set = a->old.set = HN_LINK_SET_MASTER;
	strcpy(a->master, pt->bridge);
	return plan_holdings(pl, pt, k->ifindex);
}


static int cmp_act(const void *a, const void *b)
{
	const struct act *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/**
 * plan_build - what apply must do to make the host match @c
 * @l: live state; @old: the records of earlier runs (which links are ours)
 * @p: receives the actions in apply's order; p->nconflicts counts the
 *     objects in the way, each already reported as file:line
 *
 * Return: 0 or -ENOMEM.
 */
int plan_build(struct hn_ctx *ctx, const struct conf *c, const struct live *l,
	       const struct recs *old, struct plan *p)
{
	struct planner pl = { ctx, c, l, old, p };
	size_t i;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = plan_tun(&pl);
	for (i = 0; !rc && i < c->nsysctls; i++)
		rc = plan_sysctl(&pl, &c->sysctls[i]);
	if (!rc)
		rc = plan_vxlan_prepare(&pl);
	for (i = 0; !rc && i < c->nbridges; i++)
		rc = plan_bridge(&pl, &c->bridges[i]);
	for (i = 0; !rc && i < c->ntaps; i++)
		rc = plan_tap(&pl, &c->taps[i]);
	for (i = 0; !rc && i < c->nports; i++)
		rc = plan_port(&pl, &c->ports[i]);
	if (!rc)
		rc = plan_vxlans(&pl);
	if (!rc)
		rc = plan_nat(ctx, c, old, p);
	/* By kind; within a kind, in the file's order (seq). */
	if (!rc && p->n)
		qsort(p->v, p->n, sizeof(*p->v), cmp_act);
	return rc;
}

/** plan_free - free the actions; safe twice. */
void plan_free(struct plan *p)
{
	free(p->v);
	free(p->vx);
	memset(p, 0, sizeof(*p));
}

/** plan_conflict - report a live object in the way of line @line (for plan_vxlan.c). */
void plan_conflict(struct planner *pl, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conflict(pl, line, "%s", msg);
}

/**
 * plan_link_of - plan link @dev (live or about to be created) up, with
 * @mtu (0: as it is) and @master (NULL: none asked), as bridges and taps are
 *
 * Return: 0 or -ENOMEM.
 */
int plan_link_of(struct planner *pl, int line, const char *dev, unsigned int mtu,
		 const char *master)
{
	return plan_link(pl, line, dev, live_link(pl->l, dev), mtu, master);
}

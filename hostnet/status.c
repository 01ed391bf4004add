/* status.c - `hostnet status`: each declared object against the live kernel, drift marked; text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "log.h"
#include "out.h"
#include "hostnet.h"
#include "cmds.h"
#include "nat.h"
#include "show.h"
#include "stale.h"
#include "status.h"
#include "warn.h"

/* One declared object: its line, what it is, its name. */
struct decl {
	int line;
	const char *what;
	char name[300];
};

/* Who made a declared link: not hostnet, hostnet, or hostnet but since replaced. */
enum origin { FOREIGN, OURS, REPLACED };

static enum origin origin(const struct recs *old, const struct live *l, const char *what,
			  const char *name)
{
	struct rec k = { .kind = REC_LINK };
	const struct live_link *now;
	const struct rec *x;

	if (!strcmp(what, "nat")) {	/* a NAT line's record holds its words */
		if (strlen(name) >= sizeof(k.name))
			return FOREIGN;
		k.kind = REC_NAT;
		strcpy(k.name, name);
		return recs_find(old, &k) ? OURS : FOREIGN;
	}
	if (strcmp(what, "bridge") && strcmp(what, "tap") && strcmp(what, "vxlan"))
		return FOREIGN;
	strcpy(k.dev, name);
	if (!(x = recs_find(old, &k)))
		return FOREIGN;
	now = live_link(l, name);
	return now && x->ifindex && now->ifindex != x->ifindex ? REPLACED : OURS;
}

static void print_decl(struct hn_out *o, const struct decl *d, const struct plan *p,
		       const struct recs *old, const struct live *l)
{
	enum origin from = origin(old, l, d->what, d->name);
	char buf[512];
	size_t i, n = 0;
	bool missing = false;

	for (i = 0; i < p->n; i++)
		if (p->v[i].line == d->line) {
			n++;
			missing |= p->v[i].kind == ACT_BRIDGE_ADD || p->v[i].kind == ACT_TAP_ADD ||
				   p->v[i].kind == ACT_VXLAN_ADD;
		}
	hn_out_open(o, NULL, '{');
	hn_out_int(o, "line", "%-6lld", d->line);
	hn_out_str(o, "object", "%-11s", d->what);
	hn_out_str(o, "state", "%-8s", from == REPLACED ? "replaced" : !n ? "ok" :
		   missing ? "missing" : "drift");
	hn_out_bool(o, "created_by_hostnet", NULL, from == OURS);
	hn_out_text(o, "%-8s", from == OURS ? "created" : "");
	/* last: a NAT line's name is long, and no column comes after it */
	hn_out_str(o, "name", "%s\n", d->name);
	hn_out_open(o, "changes", '[');
	for (i = 0; i < p->n; i++)
		if (p->v[i].line == d->line) {
			hn_out_str(o, NULL, "        needs: %s\n",
				   act_text(&p->v[i], buf, sizeof(buf)));
		}
	hn_out_close(o, '[');
	hn_out_close(o, '{');
}

static const char *const sysctl_obj[] = {
	[CONF_FORWARD4] = "forwarding", [CONF_FORWARD6] = "forwarding",
	[CONF_PROXY_ARP] = "proxyarp", [CONF_PROXY_NDP] = "proxyndp",
};

/* The planned FDB action of line @line for @peer, or NULL. */
static const struct act *fdb_act(const struct plan *p, int line, const struct hn_addr *peer)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct act *a = &p->v[i];

		if ((a->kind == ACT_FDB || a->kind == ACT_FDB_DEL) && a->line == line &&
		    a->p.addr.family == peer->family &&
		    !memcmp(a->p.addr.u.bytes, peer->u.bytes, peer->family == AF_INET ? 4 : 16))
			return a;
	}
	return NULL;
}

static void peer_row(struct hn_out *o, const struct conf_vxlan *v, const struct hn_addr *peer,
		     const char *state, bool ours, const struct act *a)
{
	char name[IFNAMSIZ + INET6_ADDRSTRLEN + 2], buf[512];

	snprintf(name, sizeof(name), "%s ", v->name);
	inet_ntop(peer->family, peer->u.bytes, name + strlen(name), INET6_ADDRSTRLEN);
	hn_out_open(o, NULL, '{');
	hn_out_int(o, "line", "%-6lld", v->line);
	hn_out_str(o, "object", "%-11s", "vxlan-peer");
	hn_out_str(o, "state", "%-8s", state);
	hn_out_bool(o, "created_by_hostnet", NULL, ours);
	hn_out_text(o, "%-8s", ours ? "created" : "");
	hn_out_str(o, "name", "%s\n", name);
	hn_out_open(o, "changes", '[');
	if (a)
		hn_out_str(o, NULL, "        needs: %s\n", act_text(a, buf, sizeof(buf)));
	hn_out_close(o, '[');
	hn_out_close(o, '{');
}

/*
 * One row per peer of vxlan line @i: "local" (this host), "ok" (its
 * remote entry is there), "missing" (apply adds it); and a row "stale"
 * for each remote an earlier apply made whose peer left the line.
 */
static void each_peer(struct hn_out *o, const struct plan *p, const struct recs *old, size_t i)
{
	const struct plan_vx *pv = i < p->nvx ? &p->vx[i] : NULL;
	const struct conf_vxlan *v = pv ? pv->v : NULL;
	struct rec k = { .kind = REC_FDB };

	if (!v)
		return;
	strcpy(k.dev, v->name);
	for (size_t j = 0; j < v->npeers; j++) {
		const struct act *a = fdb_act(p, v->line, &v->peers[j]);

		k.p.addr = v->peers[j];
		k.p.len = k.p.addr.family == AF_INET ? 32 : 128;
		peer_row(o, v, &v->peers[j], (int)j == pv->local ? "local" : a ? "missing" :
			 pv->local < 0 ? "unknown" : "ok", recs_find(old, &k) != NULL, a);
	}
	for (size_t j = 0; j < p->n; j++)
		if (p->v[j].kind == ACT_FDB_DEL && p->v[j].line == v->line)
			peer_row(o, v, &p->v[j].p.addr, "stale", true, &p->v[j]);
}

static void each_decl(const struct conf *c, struct hn_out *o, const struct plan *p,
		      const struct recs *old, const struct live *l)
{
	struct decl d;
	size_t i;

#define DECL(ln, w, ...) do { d.line = (ln); d.what = (w); \
	snprintf(d.name, sizeof(d.name), __VA_ARGS__); print_decl(o, &d, p, old, l); } while (0)
	if (c->tun.line)
		DECL(c->tun.line, "tun_access", "%s", c->tun.path);
	for (i = 0; i < c->nsysctls; i++)
		DECL(c->sysctls[i].line, sysctl_obj[c->sysctls[i].kind], "%s",
		     c->sysctls[i].ifname[0] ? c->sysctls[i].ifname :
		     c->sysctls[i].kind == CONF_FORWARD4 ? "ipv4" : "ipv6");
	for (i = 0; i < c->nbridges; i++)
		DECL(c->bridges[i].line, "bridge", "%s", c->bridges[i].name);
	for (i = 0; i < c->ntaps; i++)
		DECL(c->taps[i].line, "tap", "%s", c->taps[i].name);
	for (i = 0; i < c->nports; i++)
		DECL(c->ports[i].line, "addif", "%s %s", c->ports[i].bridge, c->ports[i].dev);
	for (i = 0; i < c->nnats; i++) {
		char w[HN_NFTNAT_TEXT_MAX];

		plan_nat_words(&c->nats[i].it, w, sizeof(w));
		DECL(c->nats[i].line, "nat", "%s", w);
	}
	for (i = 0; i < c->nvxlans; i++) {
		DECL(c->vxlans[i].line, "vxlan", "%s", c->vxlans[i].name);
		each_peer(o, p, old, i);
	}
#undef DECL
}

/*
 * What earlier runs created and the file no longer declares: line 0, the
 * record's kind as object, the rest of its line as name, state "stale".
 */
static void each_stale(struct hn_out *o, const struct conf *c, const struct recs *old)
{
	bool *stale = old->n ? calloc(old->n, sizeof(*stale)) : NULL;
	char buf[256], *sp;
	size_t n = 0;

	if (!stale || stale_recs(c, old, stale, &n) < 0)
		n = 0;
	for (size_t i = 0; n && i < old->n; i++) {
		if (!stale[i])
			continue;
		rec_key(&old->v[i], buf, sizeof(buf));
		sp = strchr(buf, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		hn_out_open(o, NULL, '{');
		hn_out_int(o, "line", "%-6lld", 0);
		hn_out_str(o, "object", "%-11s", buf);
		hn_out_str(o, "state", "%-8s", "stale");
		hn_out_bool(o, "created_by_hostnet", NULL, true);
		hn_out_text(o, "%-8s", "created");
		hn_out_str(o, "name", "%s\n", sp + 1);
		hn_out_open(o, "changes", '[');
		hn_out_str(o, NULL, "        needs: %s\n", "prune (not in the file any more)");
		hn_out_close(o, '[');
		hn_out_close(o, '{');
	}
	free(stale);
}

/** cmd_status - declared objects against live state. Return: exit status (0 even with drift). */
int cmd_status(struct run *r)
{
	struct recs old = { 0 };
	struct plan p = { 0 };
	struct live l = { 0 };
	struct hn_out o;
	int rc = make_plan(r, &old, &p), err;

	if ((rc == 0 || p.nconflicts) && old.n && (err = live_load_names(&r->ctx, &l)) < 0)
		hn_log_err("reading the links: %s", strerror(-err));
	if (rc == 0 || p.nconflicts) {
		hn_out_init(&o, stdout, r->json);
		hn_out_text(&o, "%-6s%-11s%-8s%-8s%s\n", "LINE", "OBJECT", "STATE", "ORIGIN", "NAME");
		hn_out_open(&o, NULL, '[');
		each_decl(&r->conf, &o, &p, &old, &l);
		each_stale(&o, &r->conf, &old);
		warn_status(r, &o);
		hn_out_close(&o, '[');
		hn_out_end(&o);
	}
	plan_free(&p);
	recs_free(&old);
	live_free(&l);
	return rc;
}

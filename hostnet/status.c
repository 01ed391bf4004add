/* status.c - `hostnet status`: each declared object against the live kernel, drift marked; text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "out.h"
#include "hostnet.h"
#include "undo.h"

/* One declared object: its line, what it is, its name. */
struct decl {
	int line;
	const char *what;
	char name[300];
};

static bool is_ours(const struct recs *old, const char *what, const char *name)
{
	struct rec k = { .kind = REC_LINK };

	if (strcmp(what, "bridge") && strcmp(what, "tap"))
		return false;
	strcpy(k.dev, name);
	return recs_find(old, &k) != NULL;
}

static void print_decl(struct hn_out *o, const struct decl *d, const struct plan *p,
		       const struct recs *old)
{
	char buf[512];
	size_t i, n = 0;
	bool missing = false;

	for (i = 0; i < p->n; i++)
		if (p->v[i].line == d->line) {
			n++;
			missing |= p->v[i].kind == ACT_BRIDGE_ADD || p->v[i].kind == ACT_TAP_ADD;
		}
	hn_out_open(o, NULL, '{');
	hn_out_int(o, "line", "%-6lld", d->line);
	hn_out_str(o, "object", "%-11s", d->what);
	hn_out_str(o, "name", "%-24s ", d->name);
	hn_out_str(o, "state", "%-8s", !n ? "ok" : missing ? "missing" : "drift");
	hn_out_bool(o, "created_by_hostnet", NULL, is_ours(old, d->what, d->name));
	hn_out_text(o, "%s\n", is_ours(old, d->what, d->name) ? "created" : "");
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

static void each_decl(const struct conf *c, struct hn_out *o, const struct plan *p,
		      const struct recs *old)
{
	struct decl d;
	size_t i;

#define DECL(l, w, ...) do { d.line = (l); d.what = (w); \
	snprintf(d.name, sizeof(d.name), __VA_ARGS__); print_decl(o, &d, p, old); } while (0)
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
		hn_out_str(o, "name", "%-24s ", sp + 1);
		hn_out_str(o, "state", "%-8s", "stale");
		hn_out_bool(o, "created_by_hostnet", NULL, true);
		hn_out_text(o, "created\n");
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
	struct hn_out o;
	int rc = make_plan(r, &old, &p);

	if (rc == 0 || p.nconflicts) {
		hn_out_init(&o, stdout, r->json);
		hn_out_text(&o, "%-6s%-11s%-25s%-8s%s\n", "LINE", "OBJECT", "NAME", "STATE", "ORIGIN");
		hn_out_open(&o, NULL, '[');
		each_decl(&r->conf, &o, &p, &old);
		each_stale(&o, &r->conf, &old);
		hn_out_close(&o, '[');
		hn_out_end(&o);
	}
	plan_free(&p);
	recs_free(&old);
	return rc;
}

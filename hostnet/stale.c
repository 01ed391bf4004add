/* stale.c - records of earlier runs that the file no longer declares: what prune removes, status shows. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "takeover.h"
#include "state.h"
#include "vec.h"
#include "nat.h"
#include "stale.h"

struct keys {
	char **v;
	size_t n, cap;
};

/* The key of the record a declared object leaves in the state file. */
static int want(struct keys *k, enum rec_kind kind, const char *dev, const struct hn_prefix *p,
		const char *name)
{
	char buf[256], **slot;
	struct rec x;

	memset(&x, 0, sizeof(x));
	x.kind = kind;
	snprintf(x.dev, sizeof(x.dev), "%s", dev ? dev : "");
	if (p)
		x.p = *p;
	snprintf(x.name, sizeof(x.name), "%s", name ? name : "");
	slot = HN_VEC_PUSH(k->v, k->n, k->cap);
	if (!slot)
		return -ENOMEM;
	*slot = strdup(rec_key(&x, buf, sizeof(buf)));
	return *slot ? 0 : -ENOMEM;
}

static int tap_keys(struct keys *k, const struct conf_tap *t)
{
	int rc = want(k, REC_LINK, t->name, NULL, NULL);

	for (size_t j = 0; !rc && j < t->naddr; j++)
		rc = want(k, REC_ADDR, t->name, &t->addr[j], NULL);
	for (size_t j = 0; !rc && j < t->nroute; j++) {
		struct hn_prefix p = { .addr = t->route[j] };

		rc = want(k, REC_ROUTE, t->name, &p, NULL);
		if (!rc && t->publish[0])
			rc = want(k, REC_NEIGH, t->publish, &p, NULL);
	}
	return rc;
}

/* The link, and a remote for each peer (this host's own is never recorded). */
static int vxlan_keys(struct keys *k, const struct conf_vxlan *v)
{
	int rc = want(k, REC_LINK, v->name, NULL, NULL);

	for (size_t j = 0; !rc && j < v->npeers; j++) {
		struct hn_prefix p = { .addr = v->peers[j] };

		rc = want(k, REC_FDB, v->name, &p, NULL);
	}
	return rc;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of every record applying @c could leave, sorted. */
static int conf_keys(const struct conf *c, struct keys *k)
{
	char buf[256];
	size_t i, j;
	int rc = c->tun.line ? want(k, REC_TUN, NULL, NULL, c->tun.path) : 0;

	for (i = 0; !rc && i < c->nsysctls; i++)
		rc = plan_sysctl_name(&c->sysctls[i], buf, sizeof(buf)) ? 0
		     : want(k, REC_SYSCTL, NULL, NULL, buf);
	for (i = 0; !rc && i < c->nbridges; i++) {
		rc = want(k, REC_LINK, c->bridges[i].name, NULL, NULL);
		for (j = 0; !rc && j < c->bridges[i].naddr; j++)
			rc = want(k, REC_ADDR, c->bridges[i].name, &c->bridges[i].addr[j], NULL);
	}
	for (i = 0; !rc && i < c->ntaps; i++)
		rc = tap_keys(k, &c->taps[i]);
	for (i = 0; !rc && i < c->nports; i++)
		rc = want(k, REC_PORT, c->ports[i].dev, NULL, NULL);
	for (i = 0; !rc && i < c->nvxlans; i++)
		rc = vxlan_keys(k, &c->vxlans[i]);
	for (i = 0; !rc && i < c->nnats; i++) {
		plan_nat_words(&c->nats[i].it, buf, sizeof(buf));
		rc = want(k, REC_NAT, NULL, NULL, buf);
	}
	if (!rc && k->n)
		qsort(k->v, k->n, sizeof(*k->v), cmp_key);
	return rc;
}

/*
 * An interface's forwarding saved when a "forwarding" line set the global
 * knob (exec.c) belongs to that line while the file still has it.
 */
static bool forwarding_kept(const struct conf *c, const struct rec *x)
{
	static const char *const pre[] = { "net/ipv4/conf/", "net/ipv6/conf/" };
	const char *end;

	if (x->kind != REC_SYSCTL)
		return false;
	for (int f = 0; f < 2; f++) {
		size_t n = strlen(pre[f]);

		end = strrchr(x->name, '/');
		if (strncmp(x->name, pre[f], n) || !end || strcmp(end, "/forwarding"))
			continue;
		for (size_t i = 0; i < c->nsysctls; i++)
			if (c->sysctls[i].kind == (f ? CONF_FORWARD6 : CONF_FORWARD4))
				return true;
	}
	return false;
}

/* A remote of a vxlan the file still declares: apply removes it when its peer left the line. */
static bool apply_removes(const struct conf *c, const struct rec *x)
{
	for (size_t i = 0; x->kind == REC_FDB && i < c->nvxlans; i++)
		if (!strcmp(c->vxlans[i].name, x->dev))
			return true;
	return false;
}

/**
 * stale_recs - mark the records of @old whose object @c no longer declares
 * @stale: one flag per record of @old
 * @n: receives how many are marked
 *
 * natctl's tables (nfttable records) are never stale: down removes them;
 * nor are the remotes of a declared vxlan: apply removes those of peers
 * that left its line.
 *
 * Return: 0 or -ENOMEM.
 */
int stale_recs(const struct conf *c, const struct recs *old, bool *stale, size_t *n)
{
	struct keys k = { 0 };
	char buf[256];
	const char *key = buf;
	int rc = conf_keys(c, &k);

	*n = 0;
	for (size_t i = 0; !rc && i < old->n; i++) {
		rec_key(&old->v[i], buf, sizeof(buf));
		stale[i] = old->v[i].kind != REC_NFTTABLE && !apply_removes(c, &old->v[i]) &&
			   !bsearch(&key, k.v, k.n, sizeof(*k.v), cmp_key) &&
			   !forwarding_kept(c, &old->v[i]) && !takeover_kept(c, old, &old->v[i]);
		*n += stale[i];
	}
	for (size_t i = 0; i < k.n; i++)
		free(k.v[i]);
	free(k.v);
	return rc;
}

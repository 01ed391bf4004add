/* nat.c - the NAT part of plan, apply and down: natctl's nftables tables, changed in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "log.h"
#include "nl.h"
#include "nft.h"
#include "plan.h"
#include "undo.h"

/**
 * plan_nat_words - an item in the config file's words (the state file keeps
 * them so): hn_nftnat_format(), the printer natctl list uses too
 *
 * Return: the length written, as snprintf().
 */
int plan_nat_words(const struct hn_nftnat_item *x, char *buf, size_t len)
{
	return hn_nftnat_format(x, buf, len);
}

/* The item of the same key is also the same translation. */
static bool same_target(const struct hn_nftnat_item *a, const struct hn_nftnat_item *b)
{
	return a->kind == b->kind && !memcmp(&a->to, &b->to, sizeof(a->to)) &&
	       a->to_lo == b->to_lo && a->to_hi == b->to_hi && a->local == b->local;
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct hn_nftnat_item *a = pa, *b = pb;

	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->family != b->family)
		return a->family - b->family;
	if (a->proto != b->proto)
		return (int)a->proto - (int)b->proto;
	return (int)a->port_lo - (int)b->port_lo;
}

/* Exactly this key in the tables? Sorted forwards make a second apply of N forwards cheap. */
static const struct hn_nftnat_item *find_key(const struct hn_nftnat_state *st,
					     const struct hn_nftnat_item *it)
{
	const struct hn_nftnat_item *v = st->items, *hit;
	size_t n = st->n;

	if (it->kind != HN_NFTNAT_DNAT)
		return hn_nftnat_find(st, it, false);
	if (!n)
		return NULL;
	hit = bsearch(it, v, n, sizeof(*v), cmp_key);
	if (!hit)
		return NULL;
	while (hit > v && !cmp_key(hit - 1, it))
		hit--;
	for (; hit < v + n && !cmp_key(hit, it); hit++)
		if (hn_nftnat_same_key(hit, it))
			return hit;
	return NULL;
}

static int plan_item(struct plan *p, const struct conf *c, const struct conf_nat *x,
		     const struct hn_nftnat_state *st, const struct recs *recs)
{
	const struct hn_nftnat_item *old = find_key(st, &x->it);
	char w[HN_NFTNAT_TEXT_MAX];
	struct act *a;

	if (old && same_target(old, &x->it))
		return 0;
	if (!old && x->it.kind == HN_NFTNAT_DNAT)
		old = hn_nftnat_find(st, &x->it, true);
	plan_nat_words(&x->it, w, sizeof(w));
	if (old) {
		struct rec k = { .kind = REC_NAT };

		plan_nat_words(old, k.name, sizeof(k.name));
		hn_log_err("%s:%d: %s: natctl's tables already have \"%s\"%s", c->file, x->line, w,
			   k.name, recs_find(recs, &k) ? " (an earlier apply made it and the file "
			   "no longer has it: run hostnet prune first)" : "");
		p->nconflicts++;
		return 0;
	}
	a = plan_add_act(p, ACT_NAT, x->line, NULL);
	if (!a)
		return -ENOMEM;
	a->nat = x;
	a->create = true;
	strcpy(a->name, w);
	return 0;
}

/**
 * nat_hash - FNV-1a of the NAT items of @c, as the words of each, in order,
 * after @seed (the ruleset's id)
 */
uint64_t nat_hash(const struct conf *c, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ull;
	char w[HN_NFTNAT_TEXT_MAX];

	for (size_t i = 0; i < sizeof(seed); i++)
		h = (h ^ ((seed >> (8 * i)) & 0xff)) * 0x100000001b3ull;
	for (size_t i = 0; i < c->nnats; i++) {
		plan_nat_words(&c->nats[i].it, w, sizeof(w));
		for (const char *s = w; ; s++) {
			h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
			if (!*s)
				break;
		}
	}
	return h;
}

/**
 * plan_nat - the NAT items of @c that natctl's tables lack; a different
 * item with the same key or an overlapping forward is a conflict
 * @old: the state file; its natgen lets the tables go unread
 *
 * nftables moves its ruleset generation on with every committed change.
 * When an earlier run saw every item of the same NAT config in place at
 * generation G (or committed them, moving it to G), in this ruleset (the
 * same namespace and boot: generations start again at 1 in each), and the
 * ruleset is still at G, nothing can be missing or in the way: the tables
 * are not read. Otherwise they are, and p->natgen says at which generation
 * all was found in place (0: not all, or the ruleset changed while read).
 *
 * Return: 0, or -errno reading the tables (ctx->err says so).
 */
int plan_nat(struct hn_ctx *ctx, const struct conf *c, const struct recs *old, struct plan *p)
{
	struct hn_nftnat_state st = { 0 };
	size_t before = p->n, conflicts = p->nconflicts;
	uint32_t g0 = 0, g1 = 0;
	uint64_t id = 0;
	int rc = 0;

	if (!c->nnats)
		return 0;
	/* No generation or no id of the ruleset: read the tables every time. */
	if (hn_nft_ruleset_id(ctx, &id) < 0 || hn_nft_genid(ctx, &g0) < 0)
		g0 = 0;
	p->nathash = g0 ? nat_hash(c, id) : 0;
	if (g0 && g0 == old->natgen && p->nathash == old->nathash) {
		p->natgen = g0;
		return 0;
	}
	rc = hn_nftnat_load(ctx, &st);
	if (!rc && st.n)
		qsort(st.items, st.n, sizeof(*st.items), cmp_key);
	for (size_t i = 0; !rc && i < c->nnats; i++)
		rc = plan_item(p, c, &c->nats[i], &st, old);
	hn_nftnat_state_free(&st);
	if (!rc && g0 && p->n == before && p->nconflicts == conflicts &&
	    !hn_nft_genid(ctx, &g1) && g1 == g0)
		p->natgen = g0;
	return rc;
}

struct nat_err {
	const struct conf *c;
	struct act *v;
	size_t n;
	bool said;			/* the callback reported the failure */
};

static void on_nft_error(int tag, int err, const char *ext, void *arg)
{
	struct nat_err *e = arg;
	const char *why = err == -EEXIST ? "already exists" : strerror(-err);

	if (err == -ERESTART)	/* the ruleset moved on since it was read: tried again */
		return;
	e->said = true;
	if (tag >= 0 && (size_t)tag < e->n)
		hn_log_err("%s:%d: create nat %s: %s%s%s%s", e->c->file, e->v[tag].line,
			   e->v[tag].name, why, *ext ? " (" : "", ext, *ext ? ")" : "");
	else
		hn_log_err("nftables transaction: %s%s%s%s", why, *ext ? " (" : "", ext,
			   *ext ? ")" : "");
}

static int journal_nat(struct recs *j, enum rec_kind kind, const char *name)
{
	struct rec x;

	memset(&x, 0, sizeof(x));
	x.kind = kind;
	snprintf(x.name, sizeof(x.name), "%s", name);
	return recs_add(j, &x);
}

/* Tables first for a family that has none yet: they are then ours to remove. */
static int build_adds(struct hn_nft_batch *b, struct act *v, size_t n, bool present[2],
		      struct recs *journal)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++) {
		int fam = v[i].nat->it.family;

		hn_nft_batch_set_tag(b, (int)i);
		if (!present[fam == AF_INET6]) {
			rc = hn_nftnat_build_tables(b, fam);
			present[fam == AF_INET6] = true;
			if (!rc)
				rc = journal_nat(journal, REC_NFTTABLE, fam == AF_INET6 ? "ip6" : "ip");
		}
		if (!rc)
			rc = hn_nftnat_build_add(b, &v[i].nat->it);
		if (!rc)
			rc = journal_nat(journal, REC_NAT, v[i].name);
	}
	return rc;
}

/*
 * One try: read the generation and the tables, and commit the adds for
 * that generation only; -ERESTART if the ruleset moved on in between.
 */
static int try_nat(struct hn_ctx *ctx, struct act *v, size_t n, struct nat_err *e,
		   struct recs *mine, uint32_t *gen)
{
	struct hn_nftnat_state st = { 0 };
	struct hn_nft_batch b;
	int rc;

	recs_free(mine);
	if (hn_nft_genid(ctx, gen) < 0)
		*gen = 0;		/* no generation: commit unconditionally */
	rc = hn_nftnat_load(ctx, &st);
	if (rc)
		return hn_log_ctx(ctx, rc), e->said = true, rc;
	rc = hn_nft_batch_init(&b);
	if (!rc && *gen)
		rc = hn_nft_batch_set_genid(&b, *gen);
	if (!rc)
		rc = build_adds(&b, v, n, st.present, mine);
	if (!rc)
		rc = hn_nft_batch_commit(ctx, &b, on_nft_error, e);
	hn_nft_batch_fini(&b);
	hn_nftnat_state_free(&st);
	return rc;
}

/**
 * exec_nat - add the planned NAT items in one nftables transaction
 * @journal: receives a record per item (and per table created) once the
 *	     kernel has taken the whole batch, and in natgen the ruleset's
 *	     generation right after it
 *
 * The tables are read again and the batch is made for the generation read:
 * if another program changes the ruleset in between, the kernel refuses
 * the batch and it is made again from a fresh read (up to 5 times).
 *
 * Return: 0 or -errno; on failure the kernel changed nothing.
 */
int exec_nat(struct hn_ctx *ctx, const struct conf *c, struct act *v, size_t n,
	     struct recs *journal)
{
	struct nat_err e = { c, v, n, false };
	struct recs mine = { 0 };
	uint32_t gen = 0;
	int rc = -ERESTART;

	for (int tries = 0; rc == -ERESTART && tries < 5; tries++)
		rc = try_nat(ctx, v, n, &e, &mine, &gen);
	if (rc == -ERESTART)
		hn_log_err("%s: nftables transaction: the ruleset changed under each of 5 tries; "
			   "try again when the other program has finished", c->file);
	else if (rc && !e.said)
		hn_log_err("%s: nftables transaction: %s%s%s", c->file, strerror(-rc),
			   ctx->ext[0] ? ": " : "", ctx->ext);
	for (size_t i = 0; !rc && i < mine.n; i++)
		rc = recs_add(journal, &mine.v[i]);
	if (!rc && gen)
		journal->natgen = hn_nft_genid_next(gen);
	recs_free(&mine);
	return rc;
}

/* The item a REC_NAT record names, read back with the parser that read the config. */
static int rec_item(const struct rec *x, struct hn_nftnat_item *it)
{
	return hn_nftnat_parse_text(x->name, it, NULL, 0) ? -EBADMSG : 0;
}

/* The items @r's REC_NAT records name, oldest first, each parsed once. */
struct rec_nats {
	struct hn_nftnat_item *v;
	size_t n;
};

static int read_rec_nats(const struct recs *r, struct rec_nats *rn)
{
	rn->n = 0;
	rn->v = calloc(r->n + 1, sizeof(*rn->v));
	if (!rn->v)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == REC_NAT && !rec_item(&r->v[i], &rn->v[rn->n]))
			rn->n++;
	return 0;
}

/* Does every item of @family in the tables come from @rn? Then the table is ours to drop. */
static bool table_only_ours(const struct rec_nats *rn, const struct hn_nftnat_state *st,
			    int family)
{
	size_t ours = 0, live = 0;

	for (size_t i = 0; i < st->n; i++)
		live += st->items[i].family == family;
	for (size_t i = 0; i < rn->n; i++)
		if (rn->v[i].family == family && find_key(st, &rn->v[i]))
			ours++;
	return ours == live;
}

static int build_undo_nat(struct hn_nft_batch *b, const struct rec_nats *rn,
			  const struct hn_nftnat_state *st, bool drop[2])
{
	const struct hn_nftnat_item *old, *it;
	int rc = 0;

	for (int f = 0; f < 2; f++)
		if (drop[f])
			rc = rc ? rc : hn_nftnat_build_flush(b, f ? AF_INET6 : AF_INET);
	for (size_t i = rn->n; !rc && i-- > 0;) {
		it = &rn->v[i];
		if (drop[it->family == AF_INET6])
			continue;
		old = find_key(st, it);
		if (old && same_target(old, it))
			rc = hn_nftnat_build_del(b, old);
	}
	return rc;
}

/**
 * undo_nat - remove the NAT items of @r from natctl's tables, and the
 * tables themselves where hostnet created them and nothing else is in them
 *
 * Return: 0, or 1 after reporting a failure.
 */
int undo_nat(struct hn_ctx *ctx, const struct recs *r)
{
	struct hn_nftnat_state st = { 0 };
	struct rec_nats rn = { 0 };
	struct hn_nft_batch b;
	bool drop[2] = { false, false }, any = false;
	int rc;

	for (size_t i = 0; i < r->n; i++)
		any |= r->v[i].kind == REC_NAT || r->v[i].kind == REC_NFTTABLE;
	if (!any)
		return 0;
	rc = read_rec_nats(r, &rn);
	if (!rc)
		rc = hn_nftnat_load(ctx, &st);
	if (!rc && st.n)
		qsort(st.items, st.n, sizeof(*st.items), cmp_key);
	for (size_t i = 0; !rc && i < r->n; i++)
		if (r->v[i].kind == REC_NFTTABLE) {
			int f = !strcmp(r->v[i].name, "ip6");

			drop[f] = st.present[f] && table_only_ours(&rn, &st, f ? AF_INET6 : AF_INET);
		}
	if (!rc)
		rc = hn_nft_batch_init(&b);
	if (!rc) {
		rc = build_undo_nat(&b, &rn, &st, drop);
		if (!rc && b.nobj)
			rc = hn_nft_batch_commit(ctx, &b, NULL, NULL);
		hn_nft_batch_fini(&b);
	}
	hn_nftnat_state_free(&st);
	free(rn.v);
	if (rc)
		hn_log_err("undo nat: %s%s%s", strerror(-rc), ctx->ext[0] ? ": " : "", ctx->ext);
	return rc ? 1 : 0;
}

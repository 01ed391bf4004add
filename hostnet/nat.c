/* nat.c - the NAT part of plan, apply and down: lib's NAT planner and commit (nftnat_plan.c), with hostnet's journal and messages. */
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
#include "nat.h"
#include "conf_file.h"

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

/* "file:line" of config line @line (a static buffer: one per message). */
static const char *where(const struct conf *c, int line)
{
	static char buf[4200];

	return conf_where(c, line, buf, sizeof(buf));
}

static int plan_item(struct plan *p, const struct conf *c, const struct conf_nat *x,
		     const struct hn_nftnat_state *st, const struct recs *recs)
{
	const struct hn_nftnat_item *old;
	char w[HN_NFTNAT_TEXT_MAX];
	struct act *a;

	switch (hn_nftnat_clash(st, &x->it, &old)) {
	case HN_NFTNAT_CLASH_SAME:
		return 0;
	case HN_NFTNAT_CLASH_NONE:
		break;
	default: {
		struct rec k = { .kind = REC_NAT };

		plan_nat_words(&x->it, w, sizeof(w));
		plan_nat_words(old, k.name, sizeof(k.name));
		hn_log_err("%s: %s: natctl's tables already have \"%s\"%s",
			   where(c, x->line), w,
			   k.name, recs_find(recs, &k) ? " (an earlier apply made it and the file "
			   "no longer has it: run hostnet prune first)" : "");
		p->nconflicts++;
		return 0;
	}
	}
	a = plan_add_create(p, ACT_NAT, x->line, NULL);
	if (!a)
		return -ENOMEM;
	a->nat = x;
	plan_nat_words(&x->it, a->name, sizeof(a->name));
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
 * plan_nat - the NAT items of @c that natctl's tables lack; whatever else
 * lib's planner finds in the way (hn_nftnat_clash(): the same key with
 * another target, or an overlap) is a conflict
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
	for (size_t i = 0; !rc && i < c->nnats; i++)
		rc = plan_item(p, c, &c->nats[i], &st, old);
	hn_nftnat_state_free(&st);
	if (!rc && g0 && p->n == before && p->nconflicts == conflicts &&
	    !hn_nft_genid(ctx, &g1) && g1 == g0)
		p->natgen = g0;
	return rc;
}

/* The adds of one apply, and what a round of them journals. */
struct nat_txn {
	const struct conf *c;
	struct act *v;
	size_t n;
	struct recs mine;		/* the records of the last round */
	bool said;			/* the failure was reported */
};

static void on_nft_error(int tag, int err, const char *ext, void *arg)
{
	struct nat_txn *e = arg;
	const char *why = err == -EEXIST ? "already exists" : strerror(-err);

	e->said = true;
	if (tag >= 0 && (size_t)tag < e->n)
		hn_log_err("%s: create nat %s: %s%s%s%s",
			   where(e->c, e->v[tag].line),
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

static int nat_load(struct hn_ctx *ctx, struct hn_nftnat_state *st, void *arg)
{
	struct nat_txn *e = arg;
	int rc = hn_nftnat_load(ctx, st);

	if (rc) {
		hn_log_ctx(ctx, rc);
		e->said = true;
	}
	return rc;
}

/* Each planned item against the tables as read now; tables first for a family that has none. */
static int plan_adds(struct hn_nftnat_state *st, struct hn_nft_batch *b, void *arg)
{
	struct nat_txn *e = arg;
	const struct hn_nftnat_item *old;
	char w[HN_NFTNAT_TEXT_MAX];
	bool made;
	int rc = 0;

	recs_free(&e->mine);
	for (size_t i = 0; !rc && i < e->n; i++) {
		const struct hn_nftnat_item *it = &e->v[i].nat->it;

		hn_nft_batch_set_tag(b, (int)i);
		rc = hn_nftnat_plan_add(st, b, it, &old, &made);
		if (rc == -EEXIST) {
			plan_nat_words(old, w, sizeof(w));
			hn_log_err("%s: create nat %s: natctl's tables now have \"%s\" "
				   "(changed since it was planned)",
				   where(e->c, e->v[i].line), e->v[i].name, w);
			e->said = true;
		}
		if (!rc && made)
			rc = journal_nat(&e->mine, REC_NFTTABLE, it->family == AF_INET6 ? "ip6" : "ip");
		if (!rc)
			rc = journal_nat(&e->mine, REC_NAT, e->v[i].name);
	}
	return rc;
}

/**
 * exec_nat - add the planned NAT items in one nftables transaction
 * @journal: receives a record per item (and per table created) once the
 *	     kernel has taken the whole batch, and in natgen the ruleset's
 *	     generation right after it
 *
 * hn_nftnat_commit() reads the tables again and makes the batch for the
 * generation read: if another program changes the ruleset in between, the
 * kernel refuses the batch and it is made again from a fresh read.
 *
 * Return: 0 or -errno; on failure the kernel changed nothing.
 */
int exec_nat(struct hn_ctx *ctx, const struct conf *c, struct act *v, size_t n,
	     struct recs *journal)
{
	struct nat_txn e = { .c = c, .v = v, .n = n };
	const struct hn_nftnat_txn txn = { nat_load, plan_adds, on_nft_error, &e };
	struct hn_nftnat_state st = { 0 };
	uint32_t gen = 0;
	int rc = hn_nftnat_commit(ctx, &txn, &st, &gen);

	hn_nftnat_state_free(&st);
	if (rc == -ERESTART && !e.said)
		hn_log_err("%s: nftables transaction: the ruleset changed under each of %d tries; "
			   "try again when the other program has finished", c->file, HN_NFTNAT_TRIES);
	else if (rc && !e.said)
		hn_log_err("%s: nftables transaction: %s%s%s", c->file, strerror(-rc),
			   ctx->ext[0] ? ": " : "", ctx->ext);
	for (size_t i = 0; !rc && i < e.mine.n; i++)
		rc = recs_add(journal, &e.mine.v[i]);
	if (!rc && gen)
		journal->natgen = gen;
	recs_free(&e.mine);
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
		if (rn->v[i].family == family && hn_nftnat_find(st, &rn->v[i], false))
			ours++;
	return ours == live;
}

/* What undo_nat() plans: its records, parsed, and the tables it made. */
struct undo_txn {
	const struct recs *r;
	struct rec_nats rn;
};

/* Tables hostnet made and nothing else uses go whole; otherwise each item still as made goes. */
static int plan_undo(struct hn_nftnat_state *st, struct hn_nft_batch *b, void *arg)
{
	struct undo_txn *u = arg;
	const struct hn_nftnat_item *old;
	struct hn_nftnat_item it;
	bool drop[2] = { false, false };
	int rc = 0;

	for (size_t i = 0; i < u->r->n; i++)
		if (u->r->v[i].kind == REC_NFTTABLE) {
			int f = !strcmp(u->r->v[i].name, "ip6");

			drop[f] = st->present[f] && table_only_ours(&u->rn, st, f ? AF_INET6 : AF_INET);
		}
	for (int f = 0; f < 2 && !rc; f++)
		if (drop[f])
			rc = hn_nftnat_build_flush(b, f ? AF_INET6 : AF_INET);
	for (size_t i = u->rn.n; !rc && i-- > 0;) {
		it = u->rn.v[i];
		if (drop[it.family == AF_INET6])
			continue;
		if (hn_nftnat_clash(st, &it, &old) == HN_NFTNAT_CLASH_SAME)
			rc = hn_nftnat_plan_del(st, b, &it);
	}
	return rc;
}

/**
 * undo_nat - remove the NAT items of @r from natctl's tables, and the
 * tables themselves where hostnet created them and nothing else is in them,
 * in one transaction for the generation read (hn_nftnat_commit())
 *
 * Return: how many undos failed (a count, as undo_recs()): 0, or 1 after
 * reporting the failure.
 */
int undo_nat(struct hn_ctx *ctx, const struct recs *r)
{
	struct hn_nftnat_state st = { 0 };
	struct undo_txn u = { .r = r };
	const struct hn_nftnat_txn txn = { NULL, plan_undo, NULL, &u };
	bool any = false;
	int rc;

	for (size_t i = 0; i < r->n; i++)
		any |= r->v[i].kind == REC_NAT || r->v[i].kind == REC_NFTTABLE;
	if (!any)
		return 0;
	rc = read_rec_nats(r, &u.rn);
	if (!rc)
		rc = hn_nftnat_commit(ctx, &txn, &st, NULL);
	hn_nftnat_state_free(&st);
	free(u.rn.v);
	if (rc)
		hn_log_err("undo nat: %s%s%s", strerror(-rc), ctx->ext[0] ? ": " : "", ctx->ext);
	return rc ? 1 : 0;
}

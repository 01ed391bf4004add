/* nftnat_plan.c - changes to natctl's tables planned against what they hold, and committed for the generation read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "nft.h"
#include "nftnat.h"
#include "nl.h"

/* Same key and same translation: the very item. */
static bool same_item(const struct hn_nftnat_item *a, const struct hn_nftnat_item *b)
{
	return a->kind == b->kind && hn_nftnat_same_key(a, b) &&
	       !memcmp(&a->to, &b->to, sizeof(a->to)) && a->to_lo == b->to_lo &&
	       a->to_hi == b->to_hi && a->local == b->local;
}

/**
 * hn_nftnat_clash - what in @st stands in the way of adding @it
 * @old: set to the item in the way, or NULL
 *
 * Return: HN_NFTNAT_CLASH_NONE; _SAME (@it itself is there); _KEY (its
 * key with another translation, or masquerade for snat and back); or
 * _OVERLAP (an item that matches some of the same packets).
 */
enum hn_nftnat_clash hn_nftnat_clash(const struct hn_nftnat_state *st,
				     const struct hn_nftnat_item *it,
				     const struct hn_nftnat_item **old)
{
	*old = hn_nftnat_find(st, it, false);
	if (*old)
		return same_item(*old, it) ? HN_NFTNAT_CLASH_SAME : HN_NFTNAT_CLASH_KEY;
	*old = hn_nftnat_find(st, it, true);
	return *old ? HN_NFTNAT_CLASH_OVERLAP : HN_NFTNAT_CLASH_NONE;
}

/**
 * hn_nftnat_plan_add - add @it to @b unless something of @st is in its way,
 * the tables of its family first if @st has none; @st then holds it
 * @old: on -EEXIST, the item in the way (see hn_nftnat_clash())
 * @made_table: set true when this add creates the family's table
 *
 * Return: 0, -EEXIST, -ENOMEM (@b records its own build failures).
 */
int hn_nftnat_plan_add(struct hn_nftnat_state *st, struct hn_nft_batch *b,
		       const struct hn_nftnat_item *it, const struct hn_nftnat_item **old,
		       bool *made_table)
{
	int rc = 0;

	*made_table = false;
	if (hn_nftnat_clash(st, it, old) != HN_NFTNAT_CLASH_NONE)
		return -EEXIST;
	if (!st->present[it->family == AF_INET6]) {
		rc = hn_nftnat_build_tables(b, it->family);
		*made_table = !rc;
	}
	if (!rc)
		rc = hn_nftnat_build_add(b, it);
	if (!rc)
		rc = hn_nftnat_state_add(st, it);
	return rc;
}

/**
 * hn_nftnat_plan_del - delete from @b the item of @st with @it's kind and
 * key; a forward without dst names no family, and either family may hold it
 * @it: set to the item as stored (its translation and local copy)
 *
 * Return: 0, -ENOENT (no such item), -ENOMEM.
 */
int hn_nftnat_plan_del(struct hn_nftnat_state *st, struct hn_nft_batch *b,
		       struct hn_nftnat_item *it)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	const struct hn_nftnat_item *old = NULL;
	int family = it->family, rc;

	for (size_t i = 0; i < 2 && !old; i++) {
		if (family && family != fams[i])
			continue;
		it->family = fams[i];
		old = hn_nftnat_find(st, it, false);
		if (old && old->kind != it->kind)
			old = NULL;
	}
	if (!old) {
		it->family = family;
		return -ENOENT;
	}
	*it = *old;
	rc = hn_nftnat_build_del(b, it);
	if (!rc)
		hn_nftnat_state_del(st, it);
	return rc;
}

/** hn_nftnat_plan_flush - delete both tables (those @st has) in @b. Return: 0 or -ENOMEM. */
int hn_nftnat_plan_flush(struct hn_nftnat_state *st, struct hn_nft_batch *b)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	int rc = 0;

	for (size_t i = 0; !rc && i < 2; i++)
		if (st->present[i])
			rc = hn_nftnat_build_flush(b, fams[i]);
	st->present[0] = st->present[1] = false;
	st->n = 0;
	st->stale = true;
	memset(st->ports, 0, sizeof(st->ports));
	return rc;
}

/* The caller's error callback, without the -ERESTART a retry answers. */
struct relay {
	hn_nft_err_cb cb;
	void *arg;
};

static void relay_err(int tag, int err, const char *ext, void *arg)
{
	struct relay *r = arg;

	if (err != -ERESTART && r->cb)
		r->cb(tag, err, ext, r->arg);
}

/* A short random pause, so that writers that keep colliding drift apart. */
static void backoff(int tries)
{
	static unsigned int seed;
	struct timespec ts;

	if (!seed) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		seed = (unsigned int)getpid() ^ (unsigned int)ts.tv_nsec;
	}
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(rand_r(&seed) % (1000 << (tries < 6 ? tries : 6))) * 1000L;
	nanosleep(&ts, NULL);
}

/* One try: the generation, then the tables, then the plan and the batch for that generation. */
static int try_commit(struct hn_ctx *ctx, const struct hn_nftnat_txn *t,
		      struct hn_nftnat_state *st, uint32_t *gen)
{
	struct relay r = { t->on_err, t->arg };
	struct hn_nft_batch b;
	int rc;

	hn_nftnat_state_free(st);
	if (hn_nft_genid(ctx, gen) < 0)
		*gen = 0;		/* no generation to ask: commit unconditionally */
	rc = t->load ? t->load(ctx, st, t->arg) : hn_nftnat_load(ctx, st);
	if (rc)
		return rc;
	rc = hn_nft_batch_init(&b);
	if (!rc && *gen)
		rc = hn_nft_batch_set_genid(&b, *gen);
	if (!rc)
		rc = t->plan(st, &b, t->arg);
	if (!rc && b.nobj)
		rc = hn_nft_batch_commit(ctx, &b, relay_err, &r);
	else if (!rc)
		*gen = 0;		/* nothing sent: the generation did not move */
	hn_nft_batch_fini(&b);
	return rc;
}

/**
 * hn_nftnat_commit - read natctl's tables, plan against them and commit,
 * all for the ruleset generation read first
 * @t: load (NULL: hn_nftnat_load()), plan (adds messages to the batch,
 *     by hn_nftnat_plan_*()), on_err (each message the kernel refused, by
 *     the batch tag current when it was added) and their argument
 * @st: zeroed; left as planned by the last try (free with
 *      hn_nftnat_state_free())
 * @genid: the generation after the commit, or 0 (none read, or nothing sent)
 *
 * The kernel refuses a batch made for a generation that is no longer the
 * ruleset's (another program committed in between); the whole round is
 * then made again from a fresh read, so that what was planned against is
 * what the change applies to: of concurrent writers whose items clash,
 * one wins and the others find its item in their way. Up to
 * HN_NFTNAT_TRIES rounds; a plan failure ends at once.
 *
 * Return: 0; the load's or the plan's -errno; the kernel's -errno;
 * -ERESTART when the ruleset changed under every round.
 */
int hn_nftnat_commit(struct hn_ctx *ctx, const struct hn_nftnat_txn *t,
		     struct hn_nftnat_state *st, uint32_t *genid)
{
	uint32_t gen = 0;
	int rc = -ERESTART;

	for (int tries = 0; rc == -ERESTART && tries < HN_NFTNAT_TRIES; tries++) {
		if (tries)
			backoff(tries);
		rc = try_commit(ctx, t, st, &gen);
	}
	if (genid)
		*genid = !rc && gen ? hn_nft_genid_next(gen) : 0;
	return rc;
}

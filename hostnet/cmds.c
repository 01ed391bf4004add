/* cmds.c - plan, apply and down: state file, lock, live state, plan, journal and rollback put together. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "hostnet.h"
#include "undo.h"
#include "cmds.h"
#include "exec.h"
#include "show.h"
#include "stale.h"
#include "warn.h"

/* The records of earlier runs; none yet is fine, a corrupt file is not. */
static int read_state(struct run *r, struct recs *old, bool need)
{
	int line, rc = state_read(r->state_dir, old, &line);

	r->no_state = rc == -ENOENT;
	if (rc == -ENOENT && !need)
		return 0;
	if (rc == -ENOENT)
		hn_log_err("%s/state: no state file: nothing was applied, or it was removed; "
			   "nothing to take down", r->state_dir);
	else if (rc == -EBADMSG && line)
		hn_log_err("%s/state:%d: corrupt state file; refusing to guess what to remove "
			   "(check it, then delete it)", r->state_dir, line);
	else if (rc == -EBADMSG)
		hn_log_err("%s/state: corrupt state file (no header or no end mark); refusing to "
			   "guess what to remove (check it, then delete it)", r->state_dir);
	else if (rc == -EPERM)
		hn_log_err("%s; refusing to use the state (chown root, chmod go-w)", state_unsafe());
	else if (rc)
		hn_log_err("%s/state: %s", r->state_dir, strerror(-rc));
	return rc;
}

static int lock(struct run *r)
{
	int fd = state_lock(r->state_dir, r->wait_ms);

	if (fd == -EWOULDBLOCK && r->wait_ms)
		hn_log_err("%s/lock: another hostnet run still holds the lock after %u s; try "
			   "again when it has finished", r->state_dir, r->wait_ms / 1000);
	else if (fd == -EWOULDBLOCK)
		hn_log_err("%s/lock: another hostnet run holds the lock; try again when it "
			   "has finished, or wait for it with -w SECONDS", r->state_dir);
	else if (fd == -EPERM)
		hn_log_err("%s; refusing to use the state (chown root, chmod go-w)", state_unsafe());
	else if (fd < 0)
		hn_log_err("%s: %s", r->state_dir, strerror(-fd));
	return fd;
}

/* The dumps a plan of @c reads: addresses, routes, proxy entries only if @c has some. */
static unsigned int live_needs(const struct conf *c)
{
	unsigned int what = 0;
	size_t i;

	for (i = 0; i < c->nbridges; i++)
		what |= c->bridges[i].naddr ? LIVE_ADDRS : 0;
	for (i = 0; i < c->ntaps; i++) {
		what |= c->taps[i].naddr ? LIVE_ADDRS : 0;
		what |= c->taps[i].nroute ? LIVE_ROUTES : 0;
		what |= c->taps[i].nroute && c->taps[i].publish[0] ? LIVE_NEIGHS : 0;
	}
	for (i = 0; i < c->nvxlans; i++)
		what |= c->vxlans[i].npeers ? LIVE_ADDRS : 0;	/* which peer is this host */
	return what;
}

/**
 * make_plan - read earlier records and live state, and plan against them
 *
 * Return: EXIT_OK, or EXIT_FAIL (state, kernel or conflicts), said.
 */
int make_plan(struct run *r, struct recs *old, struct plan *p)
{
	struct live l;
	int rc = read_state(r, old, false);

	if (rc)
		return EXIT_FAIL;
	recs_index(old);		/* the plan looks up each link; on -ENOMEM it scans */
	rc = live_load(&r->ctx, &l, live_needs(&r->conf));
	if (!rc)
		rc = plan_build(&r->ctx, &r->conf, &l, old, p);
	live_free(&l);
	if (rc) {
		hn_log_ctx(&r->ctx, rc);
		return EXIT_FAIL;
	}
	if (p->nconflicts) {
		hn_log_err("%s: %zu conflict%s with the host, nothing changed", r->file,
			   p->nconflicts, p->nconflicts == 1 ? "" : "s");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void print_plan(const struct plan *p)
{
	char buf[512];

	if (!p->n)
		printf("nothing to do\n");
	for (size_t i = 0; i < p->n; i++)
		printf("%s\n", act_text(&p->v[i], buf, sizeof(buf)));
}

/* A word on stderr when earlier runs made what the file no longer declares. */
static void stale_hint(const struct run *r, const struct recs *old)
{
	bool *stale = old->n ? calloc(old->n, sizeof(*stale)) : NULL;
	size_t n = 0;

	if (stale && stale_recs(&r->conf, old, stale, &n) == 0 && n)
		hn_log_info(0, "%zu record%s of earlier runs %s not in the file any more: "
			    "'hostnet prune' removes %s ('hostnet status' lists %s)", n,
			    n == 1 ? "" : "s", n == 1 ? "is" : "are", n == 1 ? "it" : "them",
			    n == 1 ? "it" : "them");
	free(stale);
}

/** cmd_plan - print what apply would change. Return: exit status. */
int cmd_plan(struct run *r)
{
	struct recs old = { 0 };
	struct plan p = { 0 };
	int rc = make_plan(r, &old, &p);

	if (!rc)
		print_plan(&p);
	if (!rc)
		stale_hint(r, &old);
	if (!rc)
		warn_plan(r);
	plan_free(&p);
	recs_free(&old);
	return rc;
}

/* Did this run's journal @j remove the VXLAN remote that @x records? */
static bool fdb_removed(const struct rec *x, const struct recs *j)
{
	struct rec k;

	if (x->kind != REC_FDB)
		return false;
	k = *x;
	k.kind = REC_FDBDEL;
	return recs_find(j, &k) != NULL;
}

/*
 * Earlier records, then this run's that are new, each of a link with the
 * ifindex that link has now (@l: the links after this run; NULL when the
 * journal names none); the oldest sysctl value wins.
 */
static int merge(struct recs *out, const struct recs *old, const struct recs *j,
		 uint32_t group, const struct live *l)
{
	size_t *pos = old->n ? calloc(old->n, sizeof(*pos)) : NULL;	/* old i -> out i + 1 */
	const struct live_link *k;
	int rc = old->n && !pos ? -ENOMEM : 0;
	struct rec x;
	size_t i;

	out->linkgroup = group ? group : old->linkgroup;
	for (i = 0; !rc && i < old->n; i++) {
		if (fdb_removed(&old->v[i], j))
			continue;
		rc = recs_add(out, &old->v[i]);
		pos[i] = out->n;
	}
	for (i = 0; !rc && i < j->n; i++) {
		const struct rec *had = j->v[i].kind < REC_LINKSET ? recs_find(old, &j->v[i]) : NULL;

		if (had && pos[had - old->v] && l && rec_has_dev(had) && (k = live_link(l, had->dev)))
			out->v[pos[had - old->v] - 1].ifindex = k->ifindex;	/* made again */
		if (j->v[i].kind >= REC_LINKSET || had)
			continue;
		x = j->v[i];
		if (l && rec_has_dev(&x) && (k = live_link(l, x.dev)))
			x.ifindex = k->ifindex;
		rc = recs_add(out, &x);
	}
	free(pos);
	return rc;
}

/* The links after this run, if the journal has records of links. */
static int links_now(struct run *r, const struct recs *j, struct live *l, bool *have)
{
	*have = false;
	for (size_t i = 0; i < j->n && !*have; i++)
		*have = j->v[i].kind < REC_LINKSET && rec_has_dev(&j->v[i]);
	return *have ? live_load_names(&r->ctx, l) : 0;
}

static int rollback(struct run *r, const struct recs *journal)
{
	int left = undo_recs(&r->ctx, journal, NULL);

	if (left)
		hn_log_err("rollback: %d change%s could not be undone (see above)", left,
			   left == 1 ? "" : "s");
	else
		hn_log_err("rolled back: the host is as it was before this run");
	return EXIT_FAIL;
}

/*
 * The generation at which every NAT item was last seen in place, or
 * committed: the journal's if this run committed some, else the plan's.
 */
static void natgen(struct recs *all, const struct recs *journal, const struct plan *p)
{
	all->natgen = !p->nathash ? 0 : journal->natgen ? journal->natgen : p->natgen;
	all->nathash = all->natgen ? p->nathash : 0;
}

static int commit(struct run *r, const struct recs *old, const struct recs *journal,
		  const struct plan *p, bool fresh)
{
	struct recs all = { 0 };
	struct live l = { 0 };
	bool have;
	int rc = links_now(r, journal, &l, &have);

	if (!rc)
		rc = merge(&all, old, journal, r->conf.linkgroup, have ? &l : NULL);
	live_free(&l);
	natgen(&all, journal, p);
	if (!rc && (journal->n || fresh || all.linkgroup != old->linkgroup ||
		    all.natgen != old->natgen || all.nathash != old->nathash))
		rc = state_write(r->state_dir, &all);
	recs_free(&all);
	if (rc) {
		hn_log_err("%s/state: %s", r->state_dir, strerror(-rc));
		return rollback(r, journal);
	}
	return EXIT_OK;
}

static int prune_locked(struct run *r);

/**
 * cmd_apply - make the host match the file, all or nothing; with --prune,
 * first take back what the file no longer declares. Return: exit status.
 */
int cmd_apply(struct run *r)
{
	struct recs old = { 0 }, journal = { 0 };
	struct plan p = { 0 };
	int fd = lock(r), rc;

	if (fd < 0)
		return EXIT_FAIL;
	/* --prune: the file's earlier state taken back first, under this lock */
	rc = r->prune ? prune_locked(r) : EXIT_OK;
	if (!rc)
		rc = make_plan(r, &old, &p);
	if (!rc && !p.n)
		printf("nothing to do\n");
	if (!rc && p.n) {
		print_plan(&p);
		rc = exec_plan(&r->ctx, &r->conf, &p, &journal) ? rollback(r, &journal) : EXIT_OK;
	}
	if (!rc)
		rc = commit(r, &old, &journal, &p, r->no_state);
	if (!rc && p.n)
		printf("applied %zu change%s\n", p.n, p.n == 1 ? "" : "s");
	plan_free(&p);
	recs_free(&old);
	recs_free(&journal);
	close(fd);
	return rc;
}

/** cmd_down - remove what apply created, restore what it changed. Return: exit status. */
int cmd_down(struct run *r)
{
	struct recs old = { 0 };
	size_t done = 0;
	int fd = lock(r), left;

	if (fd < 0)
		return EXIT_FAIL;
	if (read_state(r, &old, true)) {
		close(fd);
		return EXIT_FAIL;
	}
	left = undo_recs(&r->ctx, &old, &done);
	if (!left)
		state_remove(r->state_dir);
	else
		hn_log_err("%d record%s could not be undone; state file kept", left,
			   left == 1 ? "" : "s");
	if (!left)
		printf("down: took back all %zu record%s (%zu request%s; the others went with "
		       "their links or were gone already)\n", old.n, old.n == 1 ? "" : "s", done,
		       done == 1 ? "" : "s");
	recs_free(&old);
	close(fd);
	return left ? EXIT_FAIL : EXIT_OK;
}

/* @old without the marked records; the NAT generation kept only if no NAT record went. */
static int unmarked(const struct recs *old, const bool *stale, struct recs *keep)
{
	bool nat = false;

	keep->linkgroup = old->linkgroup;
	for (size_t i = 0; i < old->n; i++) {
		nat |= stale[i] && old->v[i].kind == REC_NAT;
		if (!stale[i] && recs_add(keep, &old->v[i]) < 0)
			return -ENOMEM;
	}
	keep->natgen = nat ? 0 : old->natgen;
	keep->nathash = nat ? 0 : old->nathash;
	return 0;
}

/* The marked records of @old, in their order, as a list undo_recs() takes back. */
static int marked(const struct recs *old, const bool *stale, struct recs *out)
{
	char buf[256];

	out->linkgroup = old->linkgroup;
	for (size_t i = 0; i < old->n; i++) {
		if (!stale[i])
			continue;
		if (old->v[i].kind == REC_SYSCTL)
			printf("restore sysctl %s to %s\n", old->v[i].name, old->v[i].val);
		else if (old->v[i].kind == REC_TUN)
			printf("restore tun %s to group %u, mode %04o\n", old->v[i].name,
			       old->v[i].gid, old->v[i].mode);
		else
			printf("remove %s\n", rec_words(&old->v[i], buf, sizeof(buf)));
		if (recs_add(out, &old->v[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* prune with the lock held: by prune, and by apply --prune before it applies. */
static int prune_locked(struct run *r)
{
	struct recs old = { 0 }, gone = { 0 }, keep = { 0 };
	bool *stale = NULL;
	size_t n = 0;
	int err = 0, left = 0;		/* -errno; records not undone */

	if (read_state(r, &old, false))
		return EXIT_FAIL;
	if (old.n && !(stale = calloc(old.n, sizeof(*stale))))
		err = -ENOMEM;
	if (!err && old.n)
		err = stale_recs(&r->conf, &old, stale, &n);
	if (!err && n)
		err = marked(&old, stale, &gone);
	if (!err && n)
		err = unmarked(&old, stale, &keep);
	if (err)
		hn_log_err("prune: %s", strerror(-err));
	if (!err && !n)
		printf("nothing to prune\n");
	if (!err && n)
		left = undo_recs(&r->ctx, &gone, NULL);
	if (!err && n && left)
		hn_log_err("%d record%s could not be undone; state file kept", left,
			   left == 1 ? "" : "s");
	if (!err && n && !left && (err = state_write(r->state_dir, &keep)) < 0)
		hn_log_err("%s/state: %s (what was removed is gone; down will find it so)",
			   r->state_dir, strerror(-err));
	if (!err && n && !left)
		printf("pruned %zu record%s\n", n, n == 1 ? "" : "s");
	free(stale);
	recs_free(&old);
	recs_free(&gone);
	recs_free(&keep);
	return err || left ? EXIT_FAIL : EXIT_OK;
}

/**
 * cmd_prune - remove what earlier runs created and the file no longer
 * declares, as down would; the rest stays. Return: exit status.
 */
int cmd_prune(struct run *r)
{
	int fd = lock(r), rc;

	if (fd < 0)
		return EXIT_FAIL;
	rc = prune_locked(r);
	close(fd);
	return rc;
}

/* journal.c - what natctl's non-nftables commands changed, so that a failed batch can take it back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "natctl.h"
#include "neigh.h"
#include "nl.h"
#include "route.h"
#include "sysctl.h"
#include "vec.h"

/* How to take one change back. */
enum undo_kind {
	UNDO_SYSCTL,		/* write .val back to .name */
	UNDO_ROUTE_DEL,		/* delete the host route to .addr on .dev */
	UNDO_ROUTE_ADD,		/* route .addr to .dev again (moving it back there) */
	UNDO_PUBLISH_DEL,	/* unpublish .addr on .dev */
	UNDO_PUBLISH_ADD,	/* publish .addr on .dev again */
};

struct undo {
	enum undo_kind kind;
	const struct op *op;		/* the command that made the change */
	char name[HN_SYSCTL_MAX];
	char val[32];
	struct hn_addr addr;
	char dev[IFNAMSIZ];
};

static int push(struct journal *j, const struct undo *u)
{
	struct undo *v = HN_VEC_PUSH(j->v, j->n, j->cap);

	if (!v)
		return -ENOMEM;
	*v = *u;
	return 0;
}

/**
 * journal_sysctl - note @name's present value before @op writes it
 *
 * Return: 0, -ENOMEM, or as hn_sysctl_get().
 */
int journal_sysctl(struct run *r, const struct op *op, const char *name)
{
	struct undo u = { .kind = UNDO_SYSCTL, .op = op };
	int rc;

	if (strlen(name) >= sizeof(u.name))
		return -ENAMETOOLONG;
	strcpy(u.name, name);
	rc = hn_sysctl_get(r->ctx, name, u.val, sizeof(u.val));
	return rc ? rc : push(&r->journal, &u);
}

struct fwd_walk {
	struct run *r;
	const struct op *op;
	int family;
	const char *old;		/* the global switch's value before */
};

static int note_if_forwarding(const char *dir, void *arg)
{
	struct fwd_walk *w = arg;
	struct undo u = { .kind = UNDO_SYSCTL, .op = w->op };
	int rc;

	if (!strcmp(dir, "all"))
		return 0;
	if (hn_sysctl_conf_name(w->family, dir, "forwarding", u.name, sizeof(u.name)))
		return 0;	/* not a name an interface can have */
	rc = hn_sysctl_get(w->r->ctx, u.name, u.val, sizeof(u.val));
	if (rc == -ENOENT || rc == -ENODEV)
		return 0;	/* gone meanwhile */
	if (rc)
		return rc;
	return strcmp(u.val, w->old) ? push(&w->r->journal, &u) : 0;
}

/**
 * journal_forwarding - note the global forwarding switch of @family, and
 * each interface's (and the default) where it differs from the global one
 *
 * Writing the global switch makes the kernel set every interface's
 * forwarding to the same value. The interfaces are noted first, so that
 * undoing, newest first, writes the global value back and then each
 * interface's own.
 *
 * Return: 0, -ENOMEM, or as hn_sysctl_get().
 */
int journal_forwarding(struct run *r, const struct op *op, const char *name)
{
	struct fwd_walk w = { r, op, op->family, NULL };
	char old[32];
	int rc = hn_sysctl_get(r->ctx, name, old, sizeof(old));

	w.old = old;
	if (!rc)
		rc = hn_sysctl_conf_each(op->family, note_if_forwarding, &w);
	return rc ? rc : journal_sysctl(r, op, name);
}

/** journal_route - note how to undo @op (route add or del) on @addr; call it after the change. */
int journal_route(struct run *r, const struct op *op, bool added, const char *old_dev)
{
	struct undo u = { .op = op, .addr = op->addr };

	if (old_dev && old_dev[0]) {
		u.kind = UNDO_ROUTE_ADD;	/* it was there: route it there again */
		snprintf(u.dev, sizeof(u.dev), "%s", old_dev);
	} else if (added) {
		u.kind = UNDO_ROUTE_DEL;
		snprintf(u.dev, sizeof(u.dev), "%s", op->dev);
	} else {
		return 0;			/* deleted a route to a nameless device */
	}
	return push(&r->journal, &u);
}

/** journal_publish - note how to undo @op (publish add or del); call it after the change. */
int journal_publish(struct run *r, const struct op *op)
{
	struct undo u = { .kind = op->cmd->del ? UNDO_PUBLISH_ADD : UNDO_PUBLISH_DEL, .op = op,
			  .addr = op->addr };

	snprintf(u.dev, sizeof(u.dev), "%s", op->dev);
	return push(&r->journal, &u);
}

/* An interface that went away takes its conf/<if>/ knobs along: nothing to restore. */
static bool gone(const struct undo *u, int rc)
{
	return (rc == -ENOENT || rc == -ENODEV) && strstr(u->name, "/conf/") &&
	       !strstr(u->name, "/conf/all/") && !strstr(u->name, "/conf/default/");
}

static int undo_one(struct hn_ctx *ctx, const struct undo *u)
{
	int rc;

	switch (u->kind) {
	case UNDO_SYSCTL:
		rc = hn_sysctl_set(ctx, u->name, u->val);
		return gone(u, rc) ? 0 : rc;
	case UNDO_ROUTE_DEL:
		return hn_route_del_host(ctx, &u->addr, u->dev);
	case UNDO_ROUTE_ADD:
		return hn_route_add_host(ctx, &u->addr, u->dev, true);
	case UNDO_PUBLISH_DEL:
		return hn_neigh_del_proxy(ctx, &u->addr, u->dev);
	case UNDO_PUBLISH_ADD:
		return hn_neigh_add_proxy(ctx, &u->addr, u->dev);
	}
	return -EINVAL;
}

/**
 * journal_undo - take back every noted change, newest first
 *
 * Each step that fails is reported with the line of the command that made
 * the change, and the others are still tried. Return: how many failed.
 */
size_t journal_undo(struct run *r)
{
	size_t failed = 0, changes = 0;
	const struct op *last = NULL;

	for (size_t i = r->journal.n; i-- > 0;) {
		const struct undo *u = &r->journal.v[i];
		int rc;

		if (u->op != last)
			changes++;
		last = u->op;
		r->ctx->err[0] = r->ctx->ext[0] = '\0';
		rc = undo_one(r->ctx, u);
		if (rc) {
			failed++;
			hn_log_err("%sundo %s %s: %s: %s", u->op->where, u->op->cmd->obj,
				   u->op->cmd->verb, r->ctx->err[0] ? r->ctx->err : u->name,
				   strerror(-rc));
		}
	}
	if (failed)
		hn_log_err("%zu of the batch's undo steps failed (above): the host is left "
			   "partly changed", failed);
	else if (changes)
		hn_log_err("nothing was changed: the %zu command%s already applied %s undone",
			   changes, changes == 1 ? "" : "s", changes == 1 ? "was" : "were");
	r->journal.n = r->journal.done = 0;
	return failed;
}

/** journal_free - forget every noted change. */
void journal_free(struct journal *j)
{
	free(j->v);
	memset(j, 0, sizeof(*j));
}

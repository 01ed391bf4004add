/* undo.c - take back recorded changes: rollback of a failed apply (the journal) and `down` (the state file). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "log.h"
#include "nl.h"
#include "addr.h"
#include "fdb.h"
#include "sysctl.h"
#include "takeover.h"
#include "undo.h"
#include "nat.h"

struct undo {
	struct hn_ctx *ctx;
	struct live l;
	const struct recs *r;
	const char **links;		/* names of the links to delete, sorted */
	size_t nlinks;
	struct nl_msg **msgs;
	const struct rec **of;		/* the record of each message */
	size_t nmsgs;
	int failed;
	size_t done;
};

/* Errors that mean "already undone": the object is not there any more. */
static bool already(int rc)
{
	return rc == -ENODEV || rc == -ENOENT || rc == -ESRCH || rc == -EADDRNOTAVAIL ||
	       rc == -ENXIO;
}

static void report(struct undo *u, const struct rec *x, int rc)
{
	char buf[256];

	if (!rc || already(rc)) {
		u->done += !rc;
		return;
	}
	hn_log_err("undo %s: %s%s%s", rec_words(x, buf, sizeof(buf)), strerror(-rc),
		   u->ctx->ext[0] ? ": " : "", u->ctx->ext);
	u->failed++;
}

/* RTM_DELLINK of every link in @group: the kernel's "ip link del group N". */
static int build_group_del(uint32_t group, struct nl_msg **msg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };

	*msg = nlmsg_alloc_simple(RTM_DELLINK, 0);
	if (!*msg)
		return -ENOMEM;
	if (nlmsg_append(*msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(*msg, IFLA_GROUP, group) < 0) {
		nlmsg_free(*msg);
		return -ENOMEM;
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is @dev one of the links being deleted? (4000 taps: a sorted index, not a scan.) */
static bool link_gone(const struct undo *u, const char *dev)
{
	return u->nlinks &&
	       bsearch(&dev, u->links, u->nlinks, sizeof(*u->links), cmp_name) != NULL;
}

/*
 * Is live link @k the one record @x was made on? A record that knows its
 * link's ifindex says no for a link deleted and replaced by another under
 * the same name since; older records (ifindex 0) trust the name.
 */
static bool same_link(const struct rec *x, const struct live_link *k)
{
	return !x->ifindex || x->ifindex == k->ifindex;
}

/* The REC_LINK record of live link @k when it is the link we made, else NULL. */
static const struct rec *our_link(const struct undo *u, const struct live_link *k)
{
	const char *name = k->name, *const *hit;
	const struct rec *x;

	if (!u->nlinks)
		return NULL;
	hit = bsearch(&name, u->links, u->nlinks, sizeof(*u->links), cmp_name);
	if (!hit)
		return NULL;
	x = (const struct rec *)(const void *)(*hit - offsetof(struct rec, dev));
	return same_link(x, k) ? x : NULL;
}

/* Say once per record that @x's link is not the one it was made on. */
static void replaced(const struct rec *x, const struct live_link *k)
{
	char buf[256];

	hn_log_err("%s: %s is another link now (ifindex %d, recorded %d): left alone",
		   rec_words(x, buf, sizeof(buf)), x->dev, k->ifindex, x->ifindex);
}

static int index_links(struct undo *u)
{
	u->links = calloc(u->r->n + 1, sizeof(*u->links));
	if (!u->links)
		return -ENOMEM;
	for (size_t i = 0; i < u->r->n; i++)
		if (u->r->v[i].kind == REC_LINK)
			u->links[u->nlinks++] = u->r->v[i].dev;
	if (u->nlinks)
		qsort(u->links, u->nlinks, sizeof(*u->links), cmp_name);
	return 0;
}

/* A VXLAN remote we added goes; one apply removed comes back (rollback). */
static int build_fdb(const struct rec *x, int ifindex, struct nl_msg **msg)
{
	struct hn_fdb f = { .ifindex = ifindex, .dst = x->p.addr };

	return hn_fdb_build(x->kind == REC_FDB ? RTM_DELNEIGH : RTM_NEWNEIGH, &f, msg);
}

/* The message undoing @x, or *msg NULL when there is nothing to send. */
static int build_undo(struct undo *u, const struct rec *x, struct nl_msg **msg)
{
	const struct live_link *k = live_link(&u->l, x->dev);
	struct hn_link_change chg = { .set = HN_LINK_SET_MASTER };

	*msg = NULL;
	if (k && !same_link(x, k)) {
		replaced(x, k);
		return 0;
	}
	if (!k || (x->kind != REC_LINK && x->kind != REC_NEIGH && link_gone(u, x->dev)))
		return 0;
	switch (x->kind) {
	case REC_LINK: return hn_link_build_delete(x->dev, msg);
	case REC_PORT: return hn_link_build_change(x->dev, &chg, msg);
	case REC_LINKSET: return hn_link_build_change(x->dev, &x->chg, msg);
	case REC_BRSET: return hn_bridge_build_set(x->dev, &x->br, msg);
	case REC_ADDR: return hn_addr_build_del(k->ifindex, &x->p, msg);
	case REC_ROUTE: return hn_route_build_host(RTM_DELROUTE, &x->p.addr, k->ifindex, 0, msg);
	case REC_NEIGH: return hn_neigh_build_proxy(RTM_DELNEIGH, &x->p.addr, k->ifindex, msg);
	case REC_MOVEADDR: case REC_MOVEROUTE: return takeover_undo(x, k->ifindex, msg);
	case REC_FDB: case REC_FDBDEL: return build_fdb(x, k->ifindex, msg);
	default: return 0;
	}
}

static void flush(struct undo *u)
{
	int *rcs = calloc(u->nmsgs + 1, sizeof(*rcs));

	if (!rcs) {
		u->failed++;
		return;
	}
	hn_nl_talk_many(u->ctx, u->msgs, u->nmsgs, rcs);
	for (size_t i = 0; i < u->nmsgs; i++) {
		report(u, u->of[i], rcs[i]);
		nlmsg_free(u->msgs[i]);
	}
	free(rcs);
	u->nmsgs = 0;
}

static void queue(struct undo *u, const struct rec *x)
{
	struct nl_msg *m;
	int rc = build_undo(u, x, &m);

	if (rc)
		return report(u, x, rc);
	if (!m)
		return;
	u->msgs[u->nmsgs] = m;
	u->of[u->nmsgs++] = x;
}

/* Is every link of our group one of ours? Then one request deletes them all. */
static bool group_is_ours(struct undo *u)
{
	size_t n = 0;

	if (!u->r->linkgroup)
		return false;
	for (size_t i = 0; i < u->l.nlinks; i++) {
		if (u->l.links[i].group != u->r->linkgroup)
			continue;
		if (!our_link(u, &u->l.links[i]))
			return false;
		n++;
	}
	return n > 0;
}

static void restore_file(struct undo *u, const struct rec *x)
{
	int rc = 0;

	if (x->kind == REC_SYSCTL)
		rc = hn_sysctl_set(u->ctx, x->name, x->val);
	else if (x->kind == REC_TUN && (chown(x->name, (uid_t)-1, x->gid) < 0 ||
					chmod(x->name, x->mode) < 0))
		rc = -errno;
	report(u, x, rc);
}

/**
 * undo_recs - take back every record of @r, newest first
 *
 * Addresses, routes, ports and attributes on links that are deleted anyway
 * are skipped; links go in one group delete when the group holds only
 * ours; the rest go pipelined. Records of objects already gone count as
 * done. Sysctls and the tun device are restored last.
 *
 * Return: the number of records that could not be undone (each reported).
 */
int undo_recs(struct hn_ctx *ctx, const struct recs *r, size_t *done)
{
	struct undo u = { .ctx = ctx, .r = r };
	struct nl_msg *m;
	size_t i;
	int rc = -ENOMEM;

	u.msgs = calloc(r->n + 2, sizeof(*u.msgs));
	u.of = calloc(r->n + 2, sizeof(*u.of));
	/* Only links: the other records need just their link's ifindex. */
	if (u.msgs && u.of && index_links(&u) == 0)
		rc = live_load_names(ctx, &u.l);
	if (rc) {
		hn_log_ctx(ctx, rc);
		free(u.msgs), free(u.of), free(u.links), live_free(&u.l);
		return 1;
	}
	u.failed += undo_nat(ctx, r);
	for (i = r->n; i-- > 0;)
		if (r->v[i].kind != REC_LINK)
			queue(&u, &r->v[i]);
	flush(&u);
	if (group_is_ours(&u) && build_group_del(r->linkgroup, &m) == 0) {
		u.msgs[0] = m;
		u.of[0] = &r->v[0];
		u.nmsgs = 1;
		flush(&u);
		live_load_names(ctx, &u.l);
	}
	for (i = r->n; i-- > 0;)
		if (r->v[i].kind == REC_LINK)
			queue(&u, &r->v[i]);
	flush(&u);
	for (i = r->n; i-- > 0;)
		if (r->v[i].kind == REC_SYSCTL || r->v[i].kind == REC_TUN)
			restore_file(&u, &r->v[i]);
	if (done)
		*done = u.done;
	free(u.msgs);
	free(u.of);
	free(u.links);
	live_free(&u.l);
	return u.failed;
}

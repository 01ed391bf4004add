/* state.c - the state file (one record a line, written by rename), record lists, and the run lock. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "route.h"
#include "state.h"
#include "vec.h"
#include "words.h"

#define STATE_FILE "state"
#define STATE_MAGIC "hostnet-state 1"

static const char *const kind_names[REC_KIND_MAX] = {
	[REC_LINK] = "link", [REC_PORT] = "port", [REC_ADDR] = "addr",
	[REC_ROUTE] = "route", [REC_NEIGH] = "neigh", [REC_SYSCTL] = "sysctl",
	[REC_TUN] = "tun", [REC_NAT] = "nat", [REC_NFTTABLE] = "nfttable",
	[REC_MOVEADDR] = "moveaddr", [REC_MOVEROUTE] = "moveroute",
	[REC_FDB] = "fdb",
	[REC_LINKSET] = NULL, [REC_BRSET] = NULL,	/* never written */
	[REC_FDBDEL] = NULL,
};

/** recs_add - append a copy of @x (dropping the index). Return: 0 or -ENOMEM. */
int recs_add(struct recs *r, const struct rec *x)
{
	struct rec *slot;

	free(r->idx);
	r->idx = NULL;
	slot = HN_VEC_PUSH(r->v, r->n, r->cap);
	if (!slot)
		return -ENOMEM;
	*slot = *x;
	return 0;
}

/* The order of objects (values aside): 0 for two records of the same object. */
static int cmp_rec(const struct rec *a, const struct rec *b)
{
	int d;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((d = strcmp(a->dev, b->dev)) || (d = strcmp(a->name, b->name)))
		return d;
	if (a->p.len != b->p.len)
		return a->p.len < b->p.len ? -1 : 1;
	if (a->p.addr.family != b->p.addr.family)
		return a->p.addr.family < b->p.addr.family ? -1 : 1;
	return memcmp(a->p.addr.u.bytes, b->p.addr.u.bytes, 16);
}

static int cmp_idx(const void *a, const void *b)
{
	return cmp_rec(*(const struct rec *const *)a, *(const struct rec *const *)b);
}

/**
 * recs_index - sort an index of @r, so that recs_find() is a binary search
 *
 * A plan looks up each of N links among N records: a scan made that N^2/2
 * string compares, 8 million for 4000 taps. recs_add() drops the index.
 *
 * Return: 0 or -ENOMEM (recs_find() then scans).
 */
int recs_index(struct recs *r)
{
	free(r->idx);
	r->idx = NULL;
	return hn_vec_index(&r->idx, r->v, r->n, sizeof(*r->v), cmp_idx);
}

/** recs_find - a record of the same object as @x (values aside), or NULL. */
const struct rec *recs_find(const struct recs *r, const struct rec *x)
{
	const struct rec *const *hit;

	if (r->idx) {
		hit = bsearch(&x, r->idx, r->n, sizeof(*r->idx), cmp_idx);
		return hit ? *hit : NULL;
	}
	for (size_t i = 0; i < r->n; i++)
		if (!cmp_rec(&r->v[i], x))
			return &r->v[i];
	return NULL;
}

/** recs_free - free the list; safe twice. */
void recs_free(struct recs *r)
{
	free(r->v);
	free(r->idx);
	memset(r, 0, sizeof(*r));
}

static const char *addr_text(const struct hn_prefix *p, bool len, char *buf, size_t n)
{
	size_t k;

	if (!inet_ntop(p->addr.family, p->addr.u.bytes, buf, (socklen_t)n))
		return strcpy(buf, "?");
	k = strlen(buf);
	if (len)
		snprintf(buf + k, n - k, "/%u", p->len);
	return buf;
}

/** rec_has_dev - whether @x is about a link (its dev and ifindex mean something). */
bool rec_has_dev(const struct rec *x)
{
	return x->kind == REC_LINK || x->kind == REC_PORT || x->kind == REC_ADDR ||
	       x->kind == REC_ROUTE || x->kind == REC_NEIGH || x->kind == REC_MOVEADDR ||
	       x->kind == REC_MOVEROUTE || x->kind == REC_FDB;
}

/**
 * rec_words - a record as people read it: the state file line without the
 * identity of its link. rec_text() adds " @IFINDEX", which undo and status
 * compare with the live link of that name, so that a link deleted and
 * replaced by another under the same name is never taken for ours.
 */
const char *rec_words(const struct rec *x, char *buf, size_t len)
{
	char a[64];

	switch (x->kind) {
	case REC_LINK: case REC_PORT:
		snprintf(buf, len, "%s %s", kind_names[x->kind], x->dev); break;
	case REC_ADDR: case REC_MOVEADDR:
		snprintf(buf, len, "%s %s %s", kind_names[x->kind], x->dev,
			 addr_text(&x->p, true, a, sizeof(a)));
		break;
	case REC_MOVEROUTE: snprintf(buf, len, "moveroute %s %s", x->dev, x->name); break;
	case REC_ROUTE: case REC_NEIGH: case REC_FDB: case REC_FDBDEL:
		snprintf(buf, len, "%s %s %s", x->kind == REC_FDBDEL ? "fdb (removed)" :
			 kind_names[x->kind], x->dev,
			 addr_text(&x->p, false, a, sizeof(a)));
		break;
	case REC_SYSCTL: snprintf(buf, len, "sysctl %s %s", x->name, x->val); break;
	case REC_TUN: snprintf(buf, len, "tun %s %u %04o", x->name, x->gid, x->mode); break;
	case REC_NAT: snprintf(buf, len, "nat %s", x->name); break;
	case REC_NFTTABLE: snprintf(buf, len, "nfttable %s", x->name); break;
	default: snprintf(buf, len, "journal %d %s", (int)x->kind, x->dev); break;
	}
	return buf;
}

/** rec_text - one record as the state file line (no newline). */
const char *rec_text(const struct rec *x, char *buf, size_t len)
{
	size_t k;

	rec_words(x, buf, len);
	k = strlen(buf);
	if (rec_has_dev(x) && x->ifindex > 0 && k < len)
		snprintf(buf + k, len - k, " @%d", x->ifindex);
	return buf;
}

/**
 * rec_key - the object of a record as text, its old values left out: two
 * records of the same object have the same key
 */
const char *rec_key(const struct rec *x, char *buf, size_t len)
{
	if (x->kind == REC_SYSCTL)
		snprintf(buf, len, "sysctl %s", x->name);
	else if (x->kind == REC_TUN)
		snprintf(buf, len, "tun %s", x->name);
	else
		rec_words(x, buf, len);
	return buf;
}

/* "DEV ROUTE-WORDS [@IFINDEX]": the route as hn_route_text() wrote it. */
static int parse_moveroute(struct rec *x, char *args)
{
	char *sp = strchr(args, ' '), *at;
	struct hn_route r;
	uint32_t v;

	if (!sp)
		return -1;
	*sp++ = '\0';
	at = strrchr(sp, ' ');
	if (at && at[1] == '@') {
		if (hn_parse_u32(at + 2, &v) || !v || v > INT32_MAX)
			return -1;
		x->ifindex = (int)v;
		*at = '\0';
	}
	if (hn_parse_ifname(args, 0, NULL) || strlen(sp) >= sizeof(x->name) ||
	    hn_route_from_text(sp, &r))
		return -1;
	strcpy(x->dev, args);
	strcpy(x->name, sp);
	return 0;
}

/* Parse the words after the kind; return 0 or -1. */
static int parse_rec(struct rec *x, char *args)
{
	struct hn_nftnat_item it;
	char *w[4] = { 0 };
	int n = 0;

	if (x->kind == REC_MOVEROUTE)
		return parse_moveroute(x, args);
	if (x->kind == REC_NAT || x->kind == REC_NFTTABLE) {
		if (!*args || strlen(args) >= sizeof(x->name) ||
		    (x->kind == REC_NFTTABLE && strcmp(args, "ip") && strcmp(args, "ip6")))
			return -1;
		strcpy(x->name, args);
		/*
		 * Records read back as lib prints items now: an older run wrote
		 * full-length prefixes as A/32 or A/128. Only those are parsed
		 * (1 us a record, 4 ms of a no-change apply of 4000 forwards).
		 */
		if (x->kind == REC_NAT && (strstr(args, "/32") || strstr(args, "/128")) &&
		    !hn_nftnat_parse_text(args, &it, NULL, 0))
			hn_nftnat_format(&it, x->name, sizeof(x->name));
		return 0;
	}
	n = hn_words_split(args, w, 4);
	if (n < 0)
		return -1;
	/* a link's identity, last: "@IFINDEX" (absent in older state files) */
	if (rec_has_dev(x) && n > 1 && w[n - 1][0] == '@') {
		uint32_t v;

		if (hn_parse_u32(w[n - 1] + 1, &v) || !v || v > INT32_MAX)
			return -1;
		x->ifindex = (int)v;
		w[--n] = NULL;
	}
	switch (x->kind) {
	case REC_LINK: case REC_PORT:
		return n == 1 && !hn_parse_ifname(w[0], 0, NULL) ? strcpy(x->dev, w[0]), 0 : -1;
	case REC_ADDR: case REC_ROUTE: case REC_NEIGH: case REC_MOVEADDR: case REC_FDB:
		if (n != 2 || hn_parse_ifname(w[0], 0, NULL) ||
		    hn_parse_prefix(w[1], AF_UNSPEC, x->kind == REC_ADDR || x->kind == REC_MOVEADDR,
				    &x->p))
			return -1;
		strcpy(x->dev, w[0]);
		return 0;
	case REC_SYSCTL:
		if (n != 2 || strlen(w[0]) >= sizeof(x->name) || strlen(w[1]) >= sizeof(x->val))
			return -1;
		strcpy(x->name, w[0]);
		strcpy(x->val, w[1]);
		return 0;
	case REC_TUN:
		if (n != 3 || w[0][0] != '/' || strlen(w[0]) >= sizeof(x->name) ||
		    hn_parse_u32(w[1], &x->gid) || strspn(w[2], "01234567") != strlen(w[2]))
			return -1;
		strcpy(x->name, w[0]);
		x->mode = (uint32_t)strtoul(w[2], NULL, 8) & 07777;
		return 0;
	default:
		return -1;
	}
}

/* "GENID HASH": a decimal generation (not 0) and 16 hex digits. */
static int parse_natgen(struct recs *r, const char *s)
{
	const char *h = strchr(s, ' ');
	char gen[16];

	if (!h || (size_t)(h - s) >= sizeof(gen) || strlen(h + 1) != 16 ||
	    strspn(h + 1, "0123456789abcdef") != 16)
		return -1;
	memcpy(gen, s, (size_t)(h - s));
	gen[h - s] = '\0';
	if (hn_parse_u32(gen, &r->natgen) || !r->natgen)
		return -1;
	r->nathash = strtoull(h + 1, NULL, 16);
	return 0;
}

static int parse_line(struct recs *r, char *s)
{
	struct rec x;
	char *sp = strchr(s, ' ');
	int k;

	if (!sp)
		return -1;
	*sp = '\0';
	if (!strcmp(s, "linkgroup"))
		return hn_parse_u32(sp + 1, &r->linkgroup) ? -1 : 0;
	if (!strcmp(s, "natgen"))
		return parse_natgen(r, sp + 1);
	memset(&x, 0, sizeof(x));
	for (k = 0; k < REC_KIND_MAX; k++)
		if (kind_names[k] && !strcmp(s, kind_names[k]))
			break;
	if (k == REC_KIND_MAX)
		return -1;
	x.kind = (enum rec_kind)k;
	if (parse_rec(&x, sp + 1) < 0)
		return -1;
	return recs_add(r, &x) < 0 ? -1 : 0;
}

static void state_path(const char *dir, const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

/*
 * The state says what `down` deletes as root: whoever can write it can have
 * root delete any link. So the directory, the state file and the lock must
 * belong to the user running hostnet (root) and be writable by no one else,
 * whatever the umask was; a symbolic link is refused too (as doas treats its
 * config). Why the last check failed, for the tool's message.
 */
static char unsafe_why[4200];

/** state_unsafe - why the last call returned -EPERM (an unsafe path). */
const char *state_unsafe(void)
{
	return unsafe_why;
}

static int unsafe(const char *path, const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		snprintf(unsafe_why, sizeof(unsafe_why), "%s: is a symbolic link", path);
	else if (st->st_uid != geteuid())
		snprintf(unsafe_why, sizeof(unsafe_why), "%s: owned by uid %u, not uid %u (%s)",
			 path, (unsigned int)st->st_uid, (unsigned int)geteuid(),
			 geteuid() ? "the user running hostnet" : "root");
	else if (st->st_mode & (S_IWGRP | S_IWOTH))
		snprintf(unsafe_why, sizeof(unsafe_why), "%s: writable by %s (mode %04o)", path,
			 st->st_mode & S_IWOTH ? "everyone" : "its group",
			 (unsigned int)(st->st_mode & 07777));
	else
		return 0;
	return -EPERM;
}

/* @dir itself: a real directory of ours, closed to others' writes. */
static int dir_safe(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return -errno;
	if (!S_ISLNK(st.st_mode) && !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return unsafe(dir, &st);
}

/* Open @path (no symlink followed), mode 0600 when created, and check it. */
static int open_safe(const char *path, int flags)
{
	struct stat st;
	int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW, 0600), rc;

	if (fd < 0) {
		rc = -errno;
		if (rc == -ELOOP && !lstat(path, &st))
			return unsafe(path, &st);
		return rc;
	}
	if ((flags & O_CREAT) && fchmod(fd, 0600) < 0)	/* whatever the umask left */
		goto fail;
	if (fstat(fd, &st) < 0)
		goto fail;
	if ((rc = unsafe(path, &st)) < 0) {
		close(fd);
		return rc;
	}
	return fd;
fail:
	rc = -errno;
	close(fd);
	return rc;
}

/**
 * state_parse - read a state file's text from @f into @r (state_read's parser)
 * @line: on -EBADMSG, the first bad line (0: missing header or end mark)
 *
 * @f is not closed. Return: 0 or -EBADMSG (corrupt; @r is then empty).
 */
int state_parse(FILE *f, struct recs *r, int *line)
{
	char buf[512];
	bool end = false;
	int n = 0, bad = 0;

	memset(r, 0, sizeof(*r));
	while (!bad && fgets(buf, sizeof(buf), f)) {
		n++;
		if (!strchr(buf, '\n') || end) {
			bad = n;
			break;
		}
		buf[strcspn(buf, "\n")] = '\0';
		if (n == 1)
			bad = strcmp(buf, STATE_MAGIC) ? 1 : 0;
		else if (!strcmp(buf, "end"))
			end = true;
		else if (parse_line(r, buf) < 0)
			bad = n;
	}
	*line = bad;
	if (bad || !end) {
		recs_free(r);
		return -EBADMSG;
	}
	return 0;
}

/**
 * state_read - read the state file of @dir into @r
 * @line: on -EBADMSG, the first bad line (0: missing header or end mark)
 *
 * Return: 0, -ENOENT (no state: nothing applied), -EBADMSG (corrupt),
 * -EPERM (the directory or file is unsafe: state_unsafe() says why), -errno.
 */
int state_read(const char *dir, struct recs *r, int *line)
{
	char path[4096];
	int fd, rc;
	FILE *f;

	state_path(dir, STATE_FILE, path, sizeof(path));
	memset(r, 0, sizeof(*r));
	if ((fd = dir_safe(dir)) < 0 || (fd = open_safe(path, O_RDONLY)) < 0)
		return fd;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -errno;
	}
	rc = state_parse(f, r, line);
	fclose(f);
	return rc;
}

/**
 * state_write - replace the state file of @dir by @r, atomically
 *
 * Written to a temporary file of mode 0600 (whatever the umask), synced,
 * then renamed over the old one, so a crash leaves either the old or the new
 * file, never half of one.
 *
 * Return: 0, -EPERM (unsafe directory: state_unsafe() says why) or -errno.
 */
int state_write(const char *dir, const struct recs *r)
{
	char tmp[4096], path[4096], line[256];
	FILE *f;
	int rc = 0, fd;

	state_path(dir, STATE_FILE ".tmp", tmp, sizeof(tmp));
	state_path(dir, STATE_FILE, path, sizeof(path));
	if ((fd = dir_safe(dir)) < 0)
		return fd;
	unlink(tmp);	/* a leftover of a crash, or a link planted in its place */
	if ((fd = open_safe(tmp, O_WRONLY | O_CREAT | O_EXCL)) < 0)
		return fd;
	f = fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		close(fd);
		unlink(tmp);
		return rc;
	}
	fprintf(f, STATE_MAGIC "\n");
	if (r->linkgroup)
		fprintf(f, "linkgroup %u\n", r->linkgroup);
	if (r->natgen)
		fprintf(f, "natgen %u %016llx\n", r->natgen, (unsigned long long)r->nathash);
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind < REC_LINKSET)
			fprintf(f, "%s\n", rec_text(&r->v[i], line, sizeof(line)));
	fprintf(f, "end\n");
	if (fflush(f) || fsync(fileno(f)))
		rc = -errno;
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

/** state_remove - delete the state file of @dir. Return: 0 or -errno (-ENOENT). */
int state_remove(const char *dir)
{
	char path[4096];

	state_path(dir, STATE_FILE, path, sizeof(path));
	return unlink(path) < 0 ? -errno : 0;
}

/**
 * state_lock - create @dir if needed and take its lock
 * @wait_ms: how long to wait for another run to let go of it (0: not at all)
 *
 * The lock is an flock(2) on @dir/lock, held until the process exits. A
 * held lock is tried again every 10 ms: no signal or timer is involved.
 *
 * @dir is made mode 0700 when missing. @dir and its lock must be ours and
 * not writable by group or others (see unsafe()).
 *
 * Return: the lock's fd, -EWOULDBLOCK (another run holds it), -EPERM (an
 * unsafe directory or lock: state_unsafe() says why), or -errno.
 */
int state_lock(const char *dir, unsigned int wait_ms)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	char path[4096];
	int fd;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if ((fd = dir_safe(dir)) < 0)
		return fd;
	state_path(dir, "lock", path, sizeof(path));
	if ((fd = open_safe(path, O_RDWR | O_CREAT)) < 0)
		return fd;
	for (unsigned int waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited += 10) {
		int e = errno;

		if ((e == EWOULDBLOCK || e == EINTR) && waited < wait_ms) {
			nanosleep(&tick, NULL);
			continue;
		}
		close(fd);
		return -e;
	}
	return fd;
}

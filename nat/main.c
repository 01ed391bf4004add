/* natctl - forwarding, proxy ARP/NDP, host routes and nftables SNAT/DNAT/masquerade for guests. */
/*
 * Return conventions, one per layer:
 * - lib (and journal.c, which calls it): 0 or -errno, never printing;
 *   the caller says what failed (op_fail(), hn_log_ctx());
 * - parsers and the planner (parse.c, parse_words, nat_plan) and the
 *   callbacks lib's commit calls: 0, or -errno after saying why;
 *   batch_line counts a wrong line as 1;
 * - everything that decides how the run ends (read_batch, the runners of
 *   the command table, execute, main): an exit status of natctl.h,
 *   EXIT_OK, EXIT_FAIL or EXIT_USAGE (natctl.8, EXIT STATUS), said already.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "natctl.h"
#include "nft.h"
#include "nl.h"
#include "vec.h"
#include "words.h"

#define MAX_ARGS 16

enum { OPT_VERSION = 256, OPT_BATCH };

static const struct option longopts[] = {
	{ "help",    no_argument,       NULL, 'h' },
	{ "json",    no_argument,       NULL, 'j' },
	{ "batch",   required_argument, NULL, OPT_BATCH },
	{ "version", no_argument,       NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void synopsis(FILE *f)
{
	fprintf(f, "Usage: " PROG " [-j] COMMAND [ARGS]\n"
		   "       " PROG " [-j] --batch FILE|-\n"
		   "Commands:\n");
	for (size_t i = 0; i < natctl_ncmds; i++) {
		const struct cmd *c = &natctl_cmds[i];

		fprintf(f, "  %s%s%s%s%s\n", c->obj, c->verb ? " " : "", c->verb ? c->verb : "",
			c->args[0] ? " " : "", c->args);
	}
}

static void __attribute__((noreturn)) usage(void)
{
	synopsis(stderr);
	fprintf(stderr, "Try '" PROG " --help' or natctl(8).\n");
	exit(EXIT_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	synopsis(stdout);
	printf("Options:\n"
	       "  -j, --json        JSON output for list and show commands\n"
	       "      --batch FILE  run the commands in FILE (- for stdin) in one process,\n"
	       "                    all or nothing: a failure undoes what the batch changed\n"
	       "  -h, --help        this text\n"
	       "      --version     print the version\n"
	       "Exit status: 0 success, 1 the operation failed, 2 usage or syntax error.\n"
	       "See natctl(8).\n");
	exit(EXIT_OK);
}

static const struct cmd *find_cmd(const char *obj, const char *verb, bool *obj_known)
{
	*obj_known = false;
	for (size_t i = 0; i < natctl_ncmds; i++) {
		const struct cmd *c = &natctl_cmds[i];

		if (strcmp(c->obj, obj))
			continue;
		*obj_known = true;
		if (!c->verb || (verb && !strcmp(c->verb, verb)))
			return c;
	}
	return NULL;
}

/*
 * "add" may be left out when the word after the object is what add's
 * arguments begin with (tcp, udp, an address or prefix): then every line
 * natctl list prints, and every NAT line of hostnet.conf, is a command.
 */
static const struct cmd *implied_add(const char *obj, const char *word)
{
	struct hn_prefix p;
	bool known;

	if (!word || (strcmp(word, "tcp") && strcmp(word, "udp") &&
		      hn_parse_prefix(word, AF_UNSPEC, false, &p)))
		return NULL;
	return find_cmd(obj, "add", &known);
}

/* One command's words into @op; 0, or -EINVAL after saying why. */
static int parse_words(struct op *op, int argc, char **argv)
{
	bool known;
	const struct cmd *c = find_cmd(argv[0], argc > 1 ? argv[1] : NULL, &known);
	bool implied = false;
	int skip;

	if (!c && known && (c = implied_add(argv[0], argc > 1 ? argv[1] : NULL)))
		implied = true;
	if (!c) {
		if (known)
			op_err(op, "%s: unknown or missing verb%s%s", argv[0],
			       argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
		else
			op_err(op, "unknown command '%s'", argv[0]);
		return -EINVAL;
	}
	op->cmd = c;
	skip = c->verb && !implied ? 2 : 1;
	argc -= skip;
	if (argc < c->min || argc > c->max) {
		op_err(op, "%s%s%s: usage: %s%s%s %s", c->obj, c->verb ? " " : "",
		       c->verb ? c->verb : "", c->obj, c->verb ? " " : "",
		       c->verb ? c->verb : "", c->args);
		return -EINVAL;
	}
	return c->parse(op, argc, argv + skip);
}

struct ops {
	struct op *v;
	size_t n, cap;
};

static struct op *new_op(struct ops *ops, const char *where)
{
	struct op *op = HN_VEC_PUSH(ops->v, ops->n, ops->cap);

	if (!op) {
		hn_log_err("out of memory");
		exit(EXIT_FAIL);
	}
	op->where = where;
	return op;
}

static char *where_of(const char *file, unsigned long line)
{
	char *w = NULL;

	if (asprintf(&w, "%s:%lu: ", file, line) < 0) {
		hn_log_err("out of memory");
		exit(EXIT_FAIL);
	}
	return w;
}

/*
 * What a batch may be read from: a regular file, a pipe or socket, a
 * terminal, or /dev/null (natctl.8). Anything else - a directory above
 * all, where read(2) fails with EISDIR after fopen succeeded - is a
 * usage error, not an empty batch. Return: EXIT_OK, or the exit status (said).
 */
static int batch_source_ok(FILE *f, const char *name)
{
	struct stat st;
	int fd = fileno(f);

	if (fstat(fd, &st)) {
		hn_log_err("%s: %s", name, strerror(errno));
		return EXIT_FAIL;
	}
	if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	    (S_ISCHR(st.st_mode) && (isatty(fd) || st.st_rdev == makedev(1, 3))))
		return EXIT_OK;
	hn_log_err("%s: %s", name, S_ISDIR(st.st_mode) ? "is a directory, not a batch file" :
		   "not a regular file, pipe or terminal");
	return EXIT_USAGE;
}

/* One batch line of @len bytes into @ops; 0, or 1 when it is wrong (said). */
static int batch_line(struct ops *ops, const char *name, unsigned long lineno,
		      char *line, size_t len)
{
	char *argv[MAX_ARGS];
	struct op *op;
	int argc;

	/* A NUL would end the line early and the rest would be dropped unseen. */
	if (strlen(line) != len) {
		op = new_op(ops, where_of(name, lineno));
		op_err(op, "a NUL byte at column %zu; a batch line is text", strlen(line) + 1);
		return 1;
	}
	argc = hn_words_split(line, argv, MAX_ARGS);
	if (argc == 0)
		return 0;
	op = new_op(ops, where_of(name, lineno));
	if (argc < 0) {
		op_err(op, "too many words");
		return 1;
	}
	return parse_words(op, argc, argv) ? 1 : 0;
}

/*
 * Parse every line first (doas counts parse errors); nothing runs on an
 * error. Return: EXIT_OK, EXIT_USAGE (a bad line, or not a batch file) or
 * EXIT_FAIL (unreadable), said.
 */
static int read_batch(const char *file, struct ops *ops)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	const char *name = f == stdin ? "-" : file;
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int errors = 0, rc;
	ssize_t len;

	if (!f) {
		hn_log_err("%s: %s", file, strerror(errno));
		return EXIT_FAIL;
	}
	rc = batch_source_ok(f, name);
	while (!rc && (len = getline(&line, &cap, f)) >= 0)
		errors += batch_line(ops, name, ++lineno, line, (size_t)len);
	if (!rc && ferror(f)) {
		hn_log_err("%s: read: %s", name, strerror(errno));
		rc = errno == EISDIR ? EXIT_USAGE : EXIT_FAIL;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (rc)
		return rc;
	return errors ? EXIT_USAGE : EXIT_OK;
}

/* One nftables transaction of the batch's commands, and whether its failure was told. */
struct txn {
	struct run *r;
	struct ops *ops;
	bool said;
};

static void on_nft_error(int tag, int err, const char *ext, void *arg)
{
	struct txn *t = arg;
	const struct op *op = tag >= 0 && (size_t)tag < t->ops->n ? &t->ops->v[tag] : NULL;
	const char *why = err == -EEXIST ? "already exists" : strerror(-err);

	t->said = true;
	if (!op)
		hn_log_err("nftables transaction: %s%s%s%s", why, *ext ? " (" : "", ext,
			   *ext ? ")" : "");
	else
		op_err(op, "%s %s: %s%s%s%s", op->cmd->obj, op->cmd->verb ? op->cmd->verb : "",
		       why, *ext ? " (" : "", ext, *ext ? ")" : "");
}

static bool needs_state(const struct ops *ops)
{
	for (size_t i = 0; i < ops->n; i++)
		if (ops->v[i].cmd->run == nat_list)
			return true;
	return false;
}

static bool has_nft(const struct ops *ops)
{
	for (size_t i = 0; i < ops->n; i++)
		if (cmd_is_nft(ops->v[i].cmd))
			return true;
	return false;
}

/*
 * A few adds and deletes look up what could clash with them or the item
 * they delete; list, flush and long batches read everything.
 */
#define FEW_OPS 16

static int load_state(struct hn_ctx *ctx, struct hn_nftnat_state *st, const struct ops *ops)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	struct hn_nftnat_item x;
	size_t nft = 0;
	int rc = 0;

	for (size_t i = 0; i < ops->n; i++) {
		const struct cmd *c = ops->v[i].cmd;

		if (c->run == nat_list || (cmd_is_nft(c) && !c->verb))
			return hn_nftnat_load(ctx, st);
		nft += cmd_is_nft(c);
	}
	if (nft > FEW_OPS)
		return hn_nftnat_load(ctx, st);
	for (size_t i = 0; i < ops->n && !rc; i++) {
		if (!cmd_is_nft(ops->v[i].cmd))
			continue;
		/* A del without an address names no family: either may hold it. */
		for (size_t f = 0; f < 2 && !rc; f++) {
			x = ops->v[i].item;
			if (x.family && x.family != fams[f])
				continue;
			x.family = fams[f];
			rc = hn_nftnat_load_for(ctx, st, &x, ops->v[i].cmd->del);
		}
	}
	return rc;
}

/* A failed load is reported by apply_nft(), from what it left in the context. */
static int txn_load(struct hn_ctx *ctx, struct hn_nftnat_state *st, void *arg)
{
	return load_state(ctx, st, ((struct txn *)arg)->ops);
}

static int txn_plan(struct hn_nftnat_state *st, struct hn_nft_batch *b, void *arg)
{
	struct txn *t = arg;

	for (size_t i = 0; i < t->ops->n; i++) {
		if (!cmd_is_nft(t->ops->v[i].cmd))
			continue;
		hn_nft_batch_set_tag(b, (int)i);
		if (nat_plan(st, &t->ops->v[i], b))
			return t->said = true, -EINVAL;
	}
	return 0;
}

/* The nftables commands, planned and committed for the ruleset generation read (natctl.8). */
static int apply_nft(struct run *r, struct ops *ops)
{
	struct txn t = { r, ops, false };
	const struct hn_nftnat_txn txn = { txn_load, txn_plan, on_nft_error, &t };
	int rc = hn_nftnat_commit(r->ctx, &txn, &r->st, NULL);

	if (rc == -ERESTART && !t.said)
		hn_log_err("nftables transaction: the ruleset changed under each of %d tries; "
			   "try again when the other program has finished", HN_NFTNAT_TRIES);
	else if (rc && !t.said)
		hn_log_ctx(r->ctx, rc);
	return rc ? EXIT_FAIL : EXIT_OK;
}

/*
 * Run the commands that change the host outside nftables, in order, each
 * journaled (natctl.8, --batch). Return: EXIT_OK, or EXIT_FAIL at the first
 * failure (said).
 */
static int apply_changes(struct run *r, struct ops *ops)
{
	for (size_t i = 0; i < ops->n; i++) {
		if (!ops->v[i].cmd->change)
			continue;
		r->ctx->err[0] = r->ctx->ext[0] = '\0';
		if (ops->v[i].cmd->run(r, &ops->v[i])) {
			/* What it noted before failing was not changed. */
			r->journal.n = r->journal.done;
			return EXIT_FAIL;
		}
		r->journal.done = r->journal.n;
	}
	return EXIT_OK;
}

/*
 * A batch is all or nothing: the journaled changes first, then the one
 * nftables transaction; if either fails, the changes made so far are
 * taken back, newest first. The show, list and doctor commands run last,
 * in order, and see the result.
 */
static int execute(struct run *r, struct ops *ops)
{
	int rc = nat_check_devs(r, ops->v, ops->n);

	if (!rc)
		rc = apply_changes(r, ops);
	if (!rc && has_nft(ops)) {
		rc = apply_nft(r, ops);
	} else if (!rc && needs_state(ops)) {
		rc = load_state(r->ctx, &r->st, ops);
		if (rc) {
			hn_log_ctx(r->ctx, rc);
			rc = EXIT_FAIL;
		}
	}
	if (rc) {
		journal_undo(r);
		return rc;
	}
	for (size_t i = 0; !rc && i < ops->n; i++) {
		if (!ops->v[i].cmd->run || ops->v[i].cmd->change)
			continue;
		hn_out_init(&r->out, stdout, r->json);
		rc = ops->v[i].cmd->run(r, &ops->v[i]);
	}
	return rc;
}

static void free_ops(struct ops *ops)
{
	for (size_t i = 0; i < ops->n; i++)
		if (ops->v[i].where[0])
			free((char *)ops->v[i].where);
	free(ops->v);
}

/*
 * The options, up to the command words: their index. --batch FILE sets
 * *batch; --help, --version and usage errors exit here.
 */
static int parse_opts(int argc, char **argv, struct run *r, const char **batch)
{
	int c;

	while ((c = getopt_long(argc, argv, "+hj", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': help();
		case 'j': r->json = true; break;
		case OPT_BATCH: *batch = optarg; break;
		case OPT_VERSION: printf(PROG " (hostnet) %s\n", HN_VERSION); exit(EXIT_OK);
		default: usage();
		}
	}
	if (!*batch && optind < argc && !strcmp(argv[optind], "help") && optind + 1 == argc)
		help();
	if (*batch ? optind != argc : optind == argc)
		usage();
	return optind;
}

int main(int argc, char **argv)
{
	struct ops ops = { 0 };
	struct hn_ctx ctx;
	struct run r = { .ctx = &ctx };
	const char *batch = NULL;
	int first, rc;

	hn_log_setprog(PROG);
	first = parse_opts(argc, argv, &r, &batch);
	if (batch)
		rc = read_batch(batch, &ops);
	else
		rc = parse_words(new_op(&ops, ""), argc - first, argv + first) ? EXIT_USAGE : EXIT_OK;
	if (!rc) {
		hn_ctx_init(&ctx);
		rc = execute(&r, &ops);
		hn_ctx_fini(&ctx);
	}
	hn_nftnat_state_free(&r.st);
	journal_free(&r.journal);
	free_ops(&ops);
	return rc;
}

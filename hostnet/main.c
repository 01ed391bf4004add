/* hostnet - one config file, one-shot host network setup: check, plan, apply, down, status. */
/*
 * Return conventions, one per layer:
 * - lib, and hostnet's building blocks (conf, state, live, plan, exec,
 *   nat, takeover, stale): 0 or -errno; those that print say so in
 *   their comment, the others leave it to the caller;
 * - undo (undo_recs, undo_nat): how many changes could not be taken back,
 *   each reported - a count, never an exit status;
 * - warn: how many findings;
 * - the commands and what decides how the run ends (load_conf, make_plan,
 *   cmd_*, and cmds.c's rollback, commit, prune_locked): an exit status of
 *   hostnet.h, EXIT_OK, EXIT_FAIL or EXIT_USAGE (hostnet.8), said already.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nl.h"
#include "hostnet.h"
#include "check.h"
#include "cmds.h"
#include "status.h"

#define PROG "hostnet"
#define DEFAULT_CONF HN_SYSCONFDIR "/hostnet/hostnet.conf"
#define DEFAULT_STATE "/run/hostnet"

struct cmd {
	const char *name;
	int (*fn)(struct run *r);
	bool conf;			/* reads and checks the config file first */
	const char *help;
};

static const struct cmd cmds[] = {
	{ .name = "check", .fn = cmd_check, .conf = true,
	  .help = "validate the file; change nothing" },
	{ .name = "plan", .fn = cmd_plan, .conf = true,
	  .help = "print what apply would change" },
	{ .name = "apply", .fn = cmd_apply, .conf = true,
	  .help = "make the host match the file (--prune: prune first)" },
	{ .name = "prune", .fn = cmd_prune, .conf = true,
	  .help = "remove what apply created that the file no longer declares" },
	{ .name = "down", .fn = cmd_down, .help = "remove what apply created" },
	{ .name = "status", .fn = cmd_status, .conf = true,
	  .help = "declared vs live, drift marked (-j: JSON)" },
};

static const struct option longopts[] = {
	{ "file",      required_argument, NULL, 'f' },
	{ "state-dir", required_argument, NULL, 's' },
	{ "json",      no_argument,       NULL, 'j' },
	{ "wait",      required_argument, NULL, 'w' },
	{ "verbose",   no_argument,       NULL, 'v' },
	{ "prune",     no_argument,       NULL, 'P' },
	{ "help",      no_argument,       NULL, 'h' },
	{ "version",   no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void print_usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " [-f FILE] [-s STATE_DIR] [-w SECONDS] [-j] [-v] COMMAND\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n  -f, --file FILE       config file (default " DEFAULT_CONF ")\n"
		"  -s, --state-dir DIR   state and lock (default $HOSTNET_STATE_DIR or "
		DEFAULT_STATE ")\n"
		"  -w, --wait SECONDS    wait for another run's lock (default: refuse)\n"
		"  -j, --json            status as JSON\n"
		"      --prune           apply: first prune what the file no longer declares\n"
		"  -v, --verbose         say more\n"
		"\nExit status: 0 success, 1 operation failed, 2 usage or config error. "
		"See hostnet(8).\n");
}

static void __attribute__((noreturn)) usage(void)
{
	print_usage(stderr);
	exit(EXIT_USAGE);
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

/* -w SECONDS: whole seconds, at most an hour. */
static void wait_opt(struct run *r, const char *arg)
{
	unsigned long s;

	if (hn_parse_uint(arg, 3600, &s) < 0)
		hn_log_err("-w \"%s\": expected whole seconds, 0 to 3600", arg), usage();
	r->wait_ms = (unsigned int)s * 1000;
}

static const struct cmd *parse_args(struct run *r, int argc, char **argv)
{
	const struct cmd *c;
	int ch, li = -1;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:s:w:jvhV", longopts, &li)) != -1) {
		if (li >= 0 && strcmp(argv[optind - 1] + 2, longopts[li].name) &&
		    strncmp(argv[optind - 1] + 2, longopts[li].name, strlen(longopts[li].name)))
			hn_log_err("unrecognized option '%s'", argv[optind - 1]), usage();
		li = -1;
		switch (ch) {
		case 'f': r->file = optarg; break;
		case 's': r->state_dir = optarg; break;
		case 'j': r->json = true; break;
		case 'w': wait_opt(r, optarg); break;
		case 'v': hn_log_verbose(hn_log_level() + 1); break;
		case 'P': r->prune = true; break;
		case 'h': print_usage(stdout); exit(EXIT_OK);
		case 'V': printf(PROG " %s\n", HN_VERSION); exit(EXIT_OK);
		case ':': hn_log_err("option requires an argument -- '%c'", optopt); usage();
		default: hn_log_err("unrecognized option '%s'", argv[optind - 1]); usage();
		}
	}
	if (optind != argc - 1)
		hn_log_err(optind == argc ? "no command given" : "one command only"), usage();
	c = find_cmd(argv[optind]);
	if (!c)
		hn_log_err("unknown command \"%s\"", argv[optind]), usage();
	if (r->json && c->fn != cmd_status)
		hn_log_err("-j only applies to status"), usage();
	if (r->prune && c->fn != cmd_apply)
		hn_log_err("--prune only applies to apply"), usage();
	return c;
}

int main(int argc, char **argv)
{
	struct run r = { .file = DEFAULT_CONF };
	const struct cmd *c;
	int rc;

	hn_log_setprog(PROG);
	r.state_dir = getenv("HOSTNET_STATE_DIR");
	if (!r.state_dir || !*r.state_dir)
		r.state_dir = DEFAULT_STATE;
	c = parse_args(&r, argc, argv);
	conf_init(&r.conf, r.file);
	hn_ctx_init(&r.ctx);
	rc = c->conf ? load_conf(&r) : EXIT_OK;
	if (!rc)
		rc = c->fn(&r);
	hn_ctx_fini(&r.ctx);
	conf_free(&r.conf);
	return rc;
}

/* main.c - uml_switch: the switch daemon for UML's daemon transport (options, logging, daemonising). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "sw.h"

#define PROG "uml_switch"

bool sw_use_syslog;

/**
 * sw_log - one log line: "uml_switch: ..." on stderr, or syslog after -daemon
 * @prio: syslog priority
 */
void sw_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (sw_use_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fprintf(stderr, PROG ": ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

/**
 * sw_shown - @str for a log line or status text that hn_log_err() does not
 * print: escaped as every message is (hn_log_escape()), so a crafted
 * argument or path cannot forge or break a line. Returns one of four static
 * buffers in turn (enough for one message).
 */
const char *sw_shown(const char *str)
{
	static char buf[4][4 * 256 + 1];
	static unsigned int k;
	char *o = buf[k++ % 4];

	hn_log_escape(o, sizeof(buf[0]), str);
	return o;
}

struct opt {
	const char *name;
	int (*fn)(struct sw_opts *o, int argc, char **argv);	/* argv[0] is the option; returns args used */
	const char *args;
	const char *help;
};

static int need(int argc, int n, const char *opt)
{
	if (argc > n)
		return 0;
	hn_log_err("%s: missing argument", opt);
	return -1;
}

static int o_unix(struct sw_opts *o, int argc, char **argv)
{
	int n = o->compat_v0 ? 2 : 1;

	if (need(argc, n, argv[0]) < 0)
		return -1;
	o->ctl = argv[1];
	if (o->compat_v0)
		o->data = argv[2];
	return n;
}

static int o_tap(struct sw_opts *o, int argc, char **argv)
{
	const char *why;

	if (need(argc, 1, argv[0]) < 0)
		return -1;
	if (hn_parse_ifname(argv[1], 0, &why) < 0) {
		hn_log_err("-tap: invalid interface name: %s", why);
		return -1;
	}
	o->tap = argv[1];
	return 1;
}

static int o_flag(struct sw_opts *o, int argc, char **argv)
{
	(void)argc;
	if (!strcmp(argv[0], "-hub"))
		o->hub = true;
	else if (!strcmp(argv[0], "-daemon"))
		o->daemon = true;
	else if (!strcmp(argv[0], "-compat-v0"))
		o->compat_v0 = true, o->data = o->data ? o->data : SW_DATA_V0;
	else if (!strcmp(argv[0], "--status"))
		o->status = true;
	else
		o->json = true;
	return 0;
}

static int o_number(struct sw_opts *o, int argc, char **argv)
{
	bool ports = !strcmp(argv[0], "--ports");
	unsigned long v;

	if (need(argc, 1, argv[0]) < 0)
		return -1;
	if (hn_parse_uint(argv[1], ports ? SW_PORTS_MAX : 86400, &v) < 0 || v == 0) {
		hn_log_err("%s: invalid number \"%s\" (1 to %u)", argv[0], argv[1],
			   ports ? SW_PORTS_MAX : 86400);
		return -1;
	}
	if (ports)
		o->ports = (unsigned int)v;
	else
		o->ageing = (unsigned int)v;
	return 1;
}

static int o_help(struct sw_opts *o, int argc, char **argv);
static int o_version(struct sw_opts *o, int argc, char **argv);

static const struct opt opts[] = {
	{ "-unix", o_unix, "CONTROL", "control socket (default " SW_CTL_DEFAULT ")" },
	{ "-hub", o_flag, "", "flood every frame (no learning)" },
	{ "-tap", o_tap, "TAP", "an existing tap this user may open becomes a port" },
	{ "-daemon", o_flag, "", "run in the background, log to syslog" },
	{ "-compat-v0", o_flag, "", "data socket " SW_DATA_V0 "; then -unix CONTROL DATA" },
	{ "--ports", o_number, "N", "attached clients at most (default 64, up to 1024)" },
	{ "--ageing", o_number, "SECONDS", "forget addresses not seen for this long (default 100)" },
	{ "--status", o_flag, "", "print the running switch's ports, addresses and counters" },
	{ "-j", o_flag, "", "with --status: JSON" },
	{ "--json", o_flag, "", "the same as -j" },
	{ "--help", o_help, "", "this text" },
	{ "-h", o_help, "", "this text" },
	{ "--version", o_version, "", "print the version" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [-unix CONTROL] [-hub] [-tap TAP] [-daemon] [--ports N] [--ageing SECONDS]\n"
		   "       " PROG " -compat-v0 [-unix CONTROL DATA] [-hub] [-tap TAP] [-daemon]\n"
		   "       " PROG " --status [-j] [-unix CONTROL]\n");
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		fprintf(f, "  %-11s %-8s %s\n", opts[i].name, opts[i].args, opts[i].help);
}

static int o_help(struct sw_opts *o, int argc, char **argv)
{
	(void)o, (void)argc, (void)argv;
	usage(stdout);
	exit(0);
}

static int o_version(struct sw_opts *o, int argc, char **argv)
{
	(void)o, (void)argc, (void)argv;
	printf(PROG " (hostnet) %s\n", HN_VERSION);
	exit(0);
}

static int parse(struct sw_opts *o, int argc, char **argv)
{
	*o = (struct sw_opts){ .ctl = SW_CTL_DEFAULT, .ports = SW_PORTS_DEFAULT, .ageing = SW_AGEING };
	for (int i = 1; i < argc; i++) {
		size_t k, n = sizeof(opts) / sizeof(opts[0]);
		int used;

		for (k = 0; k < n && strcmp(opts[k].name, argv[i]); k++)
			;
		if (k == n) {
			hn_log_err("unknown option \"%s\"%s", argv[i],
				   argv[i][0] == '-' ? "" : " (options take one dash, as in -unix)");
			return -1;
		}
		used = opts[k].fn(o, argc - i, argv + i);
		if (used < 0)
			return -1;
		i += used;
	}
	return 0;
}

/* Absolute paths (the daemon leaves the working directory), never truncated. */
static int absolute(const char *path, char *out, size_t size, const char *what)
{
	char cwd[PATH_MAX];
	int n;

	if (!*path) {
		hn_log_err("%s: empty path", what);
		return -1;
	}
	if (path[0] == '/')
		n = snprintf(out, size, "%s", path);
	else if (getcwd(cwd, sizeof(cwd)))
		n = snprintf(out, size, "%s/%s", cwd, path);
	else
		return hn_log_err("%s: getcwd: %s", path, strerror(errno)), -1;
	if (n < 0 || (size_t)n >= size) {
		hn_log_err("%s: %s: path too long (at most %zu bytes for a socket)", what, path, size - 1);
		return -1;
	}
	return 0;
}

static int daemonise(void)
{
	int fd;

	switch (fork()) {
	case -1:
		return -errno;
	case 0:
		break;
	default:
		_exit(0);
	}
	setsid();
	if (chdir("/") < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
	close(fd);
	openlog(PROG, LOG_PID, LOG_DAEMON);
	sw_use_syslog = true;
	return 0;
}

int main(int argc, char **argv)
{
	static struct sw s;
	static char data[sizeof(s.ctl_path)];
	int rc;

	hn_log_setprog(PROG);
	if (parse(&s.o, argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	if (absolute(s.o.ctl, s.ctl_path, sizeof(s.ctl_path), "-unix") < 0)
		return 2;
	if (s.o.status)
		return sw_status_query(s.ctl_path, s.o.json);
	if (s.o.data) {
		if (absolute(s.o.data, data, sizeof(data), "-unix DATA") < 0)
			return 2;
		s.o.data = data;
	}
	rc = sw_setup(&s);
	if (rc == 0) {
		sw_log(LOG_INFO, "%s on %s, %u ports%s%s", s.o.hub ? "hub" : "switch", sw_shown(s.ctl_path),
		       s.o.ports, s.o.tap ? ", tap " : "", s.o.tap ? s.o.tap : "");
		if (s.o.daemon && (rc = daemonise()) < 0)
			sw_log(LOG_ERR, "daemon: %s", strerror(-rc));
	}
	if (rc == 0)
		rc = sw_run(&s);
	sw_teardown(&s);
	return rc == 0 ? 0 : 1;
}

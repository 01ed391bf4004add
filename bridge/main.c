/* brctl - bridge-utils' brctl on netlink: same commands, output, messages and exit codes. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "brctl.h"
#include "log.h"
#include "nl.h"
#include "parse.h"

#define PROG "brctl"

struct cmd;
typedef int (*cmd_fn)(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv);

/* How a bridge-attribute command reads its value and says what failed. */
enum val { VAL_TIME, VAL_INT, VAL_BOOL };

struct brattr {
	unsigned int flag;		/* HN_BRIDGE_SET_* or HN_BRIDGE_PORT_SET_* */
	enum val val;
	const char *bad;		/* brctl's parse failure text */
	const char *fail;		/* brctl's "set ... failed" text */
};

struct cmd {
	const char *name;
	int nargs;			/* minimum; extra arguments are ignored */
	cmd_fn fn;
	const char *help;		/* brctl's "<args>\t\tdescription" */
	const struct brattr *attr;	/* attribute commands only */
	bool extra;			/* ours, not brctl's: kept out of the help text */
	bool json;			/* takes -j */
};

static bool json;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * brctl's own messages carry no program name; scripts match them as they
 * are. Control bytes in them (a name given on the command line) are
 * escaped, as in every tool's messages.
 */
static void report(const char *fmt, ...)
{
	char raw[1024], safe[4 * sizeof(raw)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	hn_log_escape(safe, sizeof(safe), raw);
	fprintf(stderr, "%s\n", safe);
}

/* One link dump per command; a failure here is ours, so it gets our prefix. */
static int load(struct hn_ctx *ctx, struct hn_bridge_dump *d)
{
	int rc = hn_bridge_dump_get(ctx, d);

	if (rc)
		hn_log_ctx(ctx, rc);
	return rc;
}

static int cmd_addbr(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	const char *why;
	int rc = hn_parse_ifname(argv[0], HN_PARSE_IFNAME_PATTERN, &why);

	(void)c, (void)argc;
	/* brctl lets the kernel cut long names; we never truncate a name. */
	if (rc == -ENAMETOOLONG) {
		hn_log_err("addbr %s: %s", argv[0], why);
		return 1;
	}
	rc = rc ? rc : hn_bridge_add(ctx, argv[0]);
	if (rc == -EEXIST)
		report("device %s already exists; can't create bridge with the same name", argv[0]);
	else if (rc)
		report("add bridge failed: %s", strerror(-rc));
	return rc ? 1 : 0;
}

static int cmd_delbr(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	struct hn_bridge_dump d;
	int rc;

	(void)c, (void)argc;
	if (load(ctx, &d))
		return 1;
	rc = hn_bridge_del(ctx, hn_bridge_dump_find(&d, argv[0]));
	hn_bridge_dump_free(&d);
	if (rc == -ENXIO)
		report("bridge %s doesn't exist; can't delete it", argv[0]);
	else if (rc == -EBUSY)
		report("bridge %s is still up; can't delete it", argv[0]);
	else if (rc)
		report("can't delete bridge %s: %s", argv[0], strerror(-rc));
	return rc ? 1 : 0;
}

/* brctl resolves the device first, then asks the bridge: the same order of messages. */
static bool find_pair(struct hn_bridge_dump *d, const char *brname, const char *dev,
		      struct hn_bridge_link **br, struct hn_bridge_link **port)
{
	*port = hn_bridge_dump_find(d, dev);
	*br = hn_bridge_dump_find(d, brname);
	if (!*port)
		report("interface %s does not exist!", dev);
	else if (!*br)
		report("bridge %s does not exist!", brname);
	return *port && *br;
}

/* brctl's messages for a failed addif of @dev to @brname. */
static void addif_failed(int rc, const char *brname, const char *dev)
{
	if (rc == -EBUSY)
		report("device %s is already a member of a bridge; can't add it to bridge %s.", dev, brname);
	else if (rc == -ELOOP)
		report("device %s is a bridge device itself; can't add a bridge device to a bridge device.", dev);
	else if (rc == -EXFULL)
		report("can't add %s to bridge %s: %s (a bridge has at most %d ports)",
		       dev, brname, strerror(-rc), HN_BRIDGE_MAX_PORTS);
	else
		report("can't add %s to bridge %s: %s", dev, brname, strerror(-rc));
}

/* brctl's messages for a failed delif of @dev from @brname. */
static void delif_failed(int rc, const char *brname, const char *dev)
{
	if (rc == -EINVAL)
		report("device %s is not a port of %s", dev, brname);
	else
		report("can't delete %s from %s: %s", dev, brname, strerror(-rc));
}

/* Add (@add) or delete @dev as a port of @brname, and note it in @d for the next device. */
static int port_one(struct hn_ctx *ctx, struct hn_bridge_dump *d, bool add, const char *brname,
		    const char *dev)
{
	struct hn_bridge_link *br, *port;
	int rc;

	if (!find_pair(d, brname, dev, &br, &port))
		return 1;
	rc = add ? hn_bridge_port_add(ctx, br, port) : hn_bridge_port_del(ctx, br, port);
	if (rc && add)
		addif_failed(rc, brname, dev);
	else if (rc)
		delif_failed(rc, brname, dev);
	if (rc)
		return 1;
	port->master = add ? br->ifindex : 0;	/* "addif br0 v0 v0" must see the first one */
	port->is_port = add;
	return 0;
}

/* addif and delif: each device in turn, stopping at the first failure as brctl does. */
static int cmd_ports(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	bool add = !strcmp(c->name, "addif");
	struct hn_bridge_dump d;
	int rc = 0;

	if (load(ctx, &d))
		return 1;
	for (int i = 1; i < argc && !rc; i++)
		rc = port_one(ctx, &d, add, argv[0], argv[i]);
	hn_bridge_dump_free(&d);
	return rc;
}

/* Parse @s as @a says into *u32 (times, numbers) or *on. 0 or -errno. */
static int parse_value(const struct brattr *a, const char *s, uint32_t *u32, bool *on)
{
	long v;
	int rc;

	switch (a->val) {
	case VAL_TIME:
		return hn_bridge_parse_time(s, u32);
	case VAL_INT:
		rc = hn_bridge_parse_int(s, &v);
		if (!rc)
			*u32 = (uint32_t)v;	/* brctl passes it on as unsigned long */
		return rc;
	case VAL_BOOL:
		return hn_bridge_parse_bool(s, on);
	}
	return -EINVAL;
}

static void fill_bridge(struct hn_bridge_attrs *a, unsigned int flag, uint32_t v, bool on)
{
	a->set = flag;
	a->forward_delay = a->hello_time = a->max_age = a->ageing_time = v;
	a->priority = (uint16_t)v;	/* the kernel's sysfs store truncates too: 70000 -> 4464 */
	a->stp_state = on;
	a->vlan_filtering = on;
}

/* setageing, setfd, sethello, setmaxage, setbridgeprio, stp, vlanfiltering. */
static int cmd_bridge_attr(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	struct hn_bridge_attrs a = { 0 };
	uint32_t v = 0;
	bool on = false;
	int rc;

	(void)argc;
	if (parse_value(c->attr, argv[1], &v, &on)) {
		report("%s", c->attr->bad);
		return 1;
	}
	fill_bridge(&a, c->attr->flag, v, on);
	rc = hn_bridge_set(ctx, argv[0], &a);
	if (rc == -ERANGE && c->attr->flag == HN_BRIDGE_SET_FORWARD_DELAY)
		report("%s: %s (2-30 s while STP is on)", c->attr->fail, strerror(-rc));
	else if (rc)
		report("%s: %s", c->attr->fail, strerror(-rc));
	return rc ? 1 : 0;
}

/* Find the port brctl would write to; it never checks the port is in <bridge>. */
static int port_set(struct hn_ctx *ctx, struct hn_bridge_dump *d, const char *dev,
		    const struct hn_bridge_port_attrs *a)
{
	struct hn_bridge_link *port = hn_bridge_dump_find(d, dev);

	if (!port)
		return -ENODEV;
	return hn_bridge_port_set(ctx, port, a);
}

/* setpathcost, setportprio. */
static int cmd_port_attr(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	struct hn_bridge_port_attrs a = { .set = c->attr->flag };
	struct hn_bridge_dump d;
	uint32_t v = 0;
	int rc;

	(void)argc;
	if (parse_value(c->attr, argv[2], &v, NULL)) {
		report("%s", c->attr->bad);
		return 1;
	}
	a.cost = v;
	a.priority = (uint16_t)v;
	if (load(ctx, &d))
		return 1;
	/* A u16 would wrap 65536 to 0; brctl's sysfs write gets ERANGE from the kernel. */
	rc = c->attr->flag == HN_BRIDGE_PORT_SET_PRIORITY && v > UINT16_MAX ? -ERANGE
		: port_set(ctx, &d, argv[1], &a);
	hn_bridge_dump_free(&d);
	if (rc)
		report("%s: %s", c->attr->fail, strerror(-rc));
	return rc ? 1 : 0;
}

static int cmd_hairpin(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	struct hn_bridge_port_attrs a = { .set = HN_BRIDGE_PORT_SET_HAIRPIN };
	struct hn_bridge_dump d;
	int rc = 1;

	(void)argc;
	if (parse_value(c->attr, argv[2], NULL, &a.hairpin)) {
		report("%s", c->attr->bad);
		return 1;
	}
	if (load(ctx, &d))
		return 1;
	if (!hn_bridge_dump_find(&d, argv[1]))
		report("interface %s does not exist!", argv[1]);
	else if (!hn_bridge_dump_find(&d, argv[0]))
		report("bridge %s does not exist!", argv[0]);
	else if ((rc = port_set(ctx, &d, argv[1], &a)) != 0)
		report("can't set %s to hairpin on bridge %s: %s", argv[1], argv[0], strerror(-rc));
	hn_bridge_dump_free(&d);
	return rc ? 1 : 0;
}

static int cmd_show(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	(void)c;
	return show_bridges(ctx, json, argc, argv);
}

static int cmd_showmacs(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	(void)c, (void)argc;
	return show_macs(ctx, json, argv[0]);
}

static int cmd_showstp(struct hn_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	(void)c, (void)argc;
	return show_stp(ctx, json, argv[0]);
}

#define TIME_ATTR(f, what) { .flag = (f), .val = VAL_TIME, .bad = "bad " what " value", \
			     .fail = "set " what " failed" }

static const struct brattr a_ageing = TIME_ATTR(HN_BRIDGE_SET_AGEING_TIME, "ageing time");
static const struct brattr a_fd = TIME_ATTR(HN_BRIDGE_SET_FORWARD_DELAY, "forward delay");
static const struct brattr a_hello = TIME_ATTR(HN_BRIDGE_SET_HELLO_TIME, "hello timer");
static const struct brattr a_maxage = TIME_ATTR(HN_BRIDGE_SET_MAX_AGE, "max age");
static const struct brattr a_prio = { .flag = HN_BRIDGE_SET_PRIORITY, .val = VAL_INT,
	.bad = "bad priority", .fail = "set bridge priority failed" };
static const struct brattr a_stp = { .flag = HN_BRIDGE_SET_STP_STATE, .val = VAL_BOOL,
	.bad = "expect on/off for argument", .fail = "set stp status failed" };
static const struct brattr a_vlan = { .flag = HN_BRIDGE_SET_VLAN_FILTERING, .val = VAL_BOOL,
	.bad = "expect on/off for argument", .fail = "set vlan filtering failed" };
static const struct brattr a_cost = { .flag = HN_BRIDGE_PORT_SET_COST, .val = VAL_INT,
	.bad = "bad path cost value", .fail = "set path cost failed" };
static const struct brattr a_portprio = { .flag = HN_BRIDGE_PORT_SET_PRIORITY, .val = VAL_INT,
	.bad = "bad path priority value", .fail = "set port priority failed" };
static const struct brattr a_hairpin = { .flag = HN_BRIDGE_PORT_SET_HAIRPIN, .val = VAL_BOOL,
	.bad = "expect on/off for argument" };

/* An attribute command: of a bridge (BRIDGE VALUE) or of a port (BRIDGE PORT VALUE). */
#define BRIDGE_ATTR(n, a, h) \
	{ .name = (n), .nargs = 2, .fn = cmd_bridge_attr, .attr = (a), .help = (h) }
#define PORT_ATTR(n, a, h) \
	{ .name = (n), .nargs = 3, .fn = cmd_port_attr, .attr = (a), .help = (h) }

/* brctl's table, in its order; the help text is generated from it. */
static const struct cmd cmds[] = {
	{ .name = "addbr", .nargs = 1, .fn = cmd_addbr, .help = "<bridge>\t\tadd bridge" },
	{ .name = "delbr", .nargs = 1, .fn = cmd_delbr, .help = "<bridge>\t\tdelete bridge" },
	{ .name = "addif", .nargs = 2, .fn = cmd_ports,
	  .help = "<bridge> <device>\tadd interface to bridge" },
	{ .name = "delif", .nargs = 2, .fn = cmd_ports,
	  .help = "<bridge> <device>\tdelete interface from bridge" },
	{ .name = "hairpin", .nargs = 3, .fn = cmd_hairpin, .attr = &a_hairpin,
	  .help = "<bridge> <port> {on|off}\tturn hairpin on/off" },
	BRIDGE_ATTR("setageing", &a_ageing, "<bridge> <time>\t\tset ageing time"),
	BRIDGE_ATTR("setbridgeprio", &a_prio, "<bridge> <prio>\t\tset bridge priority"),
	BRIDGE_ATTR("setfd", &a_fd, "<bridge> <time>\t\tset bridge forward delay"),
	BRIDGE_ATTR("sethello", &a_hello, "<bridge> <time>\t\tset hello time"),
	BRIDGE_ATTR("setmaxage", &a_maxage, "<bridge> <time>\t\tset max message age"),
	PORT_ATTR("setpathcost", &a_cost, "<bridge> <port> <cost>\tset path cost"),
	PORT_ATTR("setportprio", &a_portprio, "<bridge> <port> <prio>\tset port priority"),
	{ .name = "show", .nargs = 0, .fn = cmd_show, .json = true,
	  .help = "[ <bridge> ]\t\tshow a list of bridges" },
	{ .name = "showmacs", .nargs = 1, .fn = cmd_showmacs, .json = true,
	  .help = "<bridge>\t\tshow a list of mac addrs" },
	{ .name = "showstp", .nargs = 1, .fn = cmd_showstp, .json = true,
	  .help = "<bridge>\t\tshow bridge stp info" },
	BRIDGE_ATTR("stp", &a_stp, "<bridge> {on|off}\tturn stp on/off"),
	{ .name = "vlanfiltering", .nargs = 2, .fn = cmd_bridge_attr, .attr = &a_vlan, .extra = true,
	  .help = "<bridge> {on|off}\tturn vlan filtering on/off" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* brctl's help text, byte for byte, on stdout; our extra commands are in brctl(8). */
static void help(void)
{
	printf("Usage: brctl [commands]\ncommands:\n");
	for (size_t i = 0; i < NCMDS; i++) {
		if (!cmds[i].extra)
			printf("\t%-10s\t%s\n", cmds[i].name, cmds[i].help);
	}
}

static void __attribute__((noreturn)) die_usage(int status)
{
	help();
	exit(status);
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++) {
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	}
	return NULL;
}

static const struct option longopts[] = {
	{ .name = "help", .has_arg = no_argument, .val = 'h' },
	{ .name = "version", .has_arg = no_argument, .val = 'V' },
	{ .name = "json", .has_arg = no_argument, .val = 'j' },
	{ 0 },
};

/* getopt's messages as brctl prints them, then brctl's "Unknown option" line and help. */
static void bad_option(char **argv)
{
	if (optopt)
		hn_log_err("invalid option -- '%c'", optopt);
	else
		hn_log_err("unrecognized option '%s'", argv[optind - 1]);
	report("Unknown option '?'");
	die_usage(1);
}

/* Options as brctl takes them (GNU permutation: "-1" anywhere is an option). */
static void parse_opts(int argc, char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "Vhj", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			die_usage(0);
		case 'V':
			printf("bridge-utils, 1.7\n");
			exit(0);
		case 'j':
			json = true;
			break;
		default:
			bad_option(argv);
		}
	}
}

/*
 * Options, the command and its argument count, as brctl checks them before
 * acting: -1 with *cp, *argcp and *argvp set to the command and its
 * arguments, or the exit status (said; help and usage exit here).
 */
static int parse_cmdline(int argc, char **argv, const struct cmd **cp, int *argcp, char ***argvp)
{
	const struct cmd *c;

	parse_opts(argc, argv);
	argc -= optind;
	argv += optind;
	if (argc < 1)
		die_usage(1);
	c = find_cmd(argv[0]);
	if (!c) {
		report("never heard of command [%s]", argv[0]);
		die_usage(1);
	}
	if (argc - 1 < c->nargs) {
		printf("Incorrect number of arguments for command\nUsage: " PROG " %s %s\n",
		       c->name, c->help);
		return 1;
	}
	if (json && !c->json) {
		hn_log_err("%s: -j applies only to show, showmacs and showstp", c->name);
		return 1;
	}
	*cp = c;
	*argcp = argc - 1;
	*argvp = argv + 1;
	return -1;
}

/* parse -> find the command -> check its arguments -> run it. */
int main(int argc, char **argv)
{
	const struct cmd *c;
	struct hn_ctx ctx;
	int rc;

	hn_log_setprog(PROG);
	rc = parse_cmdline(argc, argv, &c, &argc, &argv);
	if (rc >= 0)
		return rc;
	hn_ctx_init(&ctx);
	rc = c->fn(&ctx, c, argc, argv);
	hn_ctx_fini(&ctx);
	return rc;
}

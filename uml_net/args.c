/* args.c - uml_net's argv: version, transport and arguments parsed strictly into struct um_req; pure code. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "args.h"
#include "parse.h"

#define PROG		"uml_net"
#define UML_NET_VERSION	4

static const char banner[] =
	"uml_net : bad argument list - if you're running uml_net by\n"
	"hand, don't bother.  uml_net is run automatically by UML when\n"
	"necessary.";

/**
 * um_say - append one line (formatted, "\n" added) to the answer; text that
 * does not fit is cut, and the answer stays NUL-terminated
 */
void um_say(struct um_run *r, const char *fmt, ...)
{
	size_t room = sizeof(r->text) - r->len;
	va_list ap;
	int n;

	if (room <= 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->len, room - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	r->len += (size_t)n < room - 1 ? (size_t)n : room - 2;
	r->text[r->len++] = '\n';
	r->text[r->len] = '\0';
}


#define ANSWER(r, status, ...) (um_say((r), __VA_ARGS__), (status))

/* A dotted quad, four decimal octets, nothing else (inet_pton's strict form). */
static int parse_v4(const char *s, struct in_addr *a)
{
	struct hn_addr x;

	if (hn_parse_addr(s, AF_INET, &x) < 0)
		return -1;
	*a = x.u.v4;
	return 0;
}

static int parse_mask(const char *s, struct in_addr *m, unsigned int *len)
{
	uint32_t h;

	if (parse_v4(s, m) < 0)
		return -1;
	h = ntohl(m->s_addr);
	if (h & (~h >> 1))	/* a one after a zero: not contiguous */
		return -1;
	*len = (unsigned int)__builtin_popcount(h);
	return 0;
}

/* <dev> <addr> <netmask>, exactly. */
static int parse_change(struct um_run *r, enum um_op op, int argc, char **argv, const char *what)
{
	struct um_req *q = &r->req;
	const char *why;

	q->op = op;
	r->wire = WIRE_BLOCK;
	if (argc != 3)
		return ANSWER(r, 2, "uml_net : too %s arguments to %s (expected <dev> <addr> <netmask>)",
			      argc < 3 ? "few" : "many", what);
	if (hn_parse_ifname(argv[0], 0, &why) < 0)
		return ANSWER(r, 2, PROG ": %s: '%s': %s", what, argv[0], why);
	strcpy(q->dev, argv[0]);
	if (parse_v4(argv[1], &q->addr) < 0)
		return ANSWER(r, 2, PROG ": %s: '%s': not a dotted-quad IPv4 address", what, argv[1]);
	if (parse_mask(argv[2], &q->mask, &q->masklen) < 0)
		return ANSWER(r, 2, PROG ": %s: '%s': not a netmask", what, argv[2]);
	return -1;
}

static int parse_add(struct um_run *r, int argc, char **argv)
{
	return parse_change(r, UM_ADD, argc, argv, "add");
}

static int parse_del(struct um_run *r, int argc, char **argv)
{
	return parse_change(r, UM_DEL, argc, argv, "del");
}

/* tuntap up [<gate>]: a missing gate is for bridge mode only (decided later). */
static int parse_up(struct um_run *r, int argc, char **argv)
{
	r->req.op = UM_UP;
	r->wire = WIRE_DGRAM;
	if (argc > 1)
		return ANSWER(r, 0, PROG ": tuntap up: too many arguments (expected <gate>)");
	if (argc == 0)
		return -1;
	if (parse_v4(argv[0], &r->req.gate) < 0)
		return ANSWER(r, 0, PROG ": tuntap up: '%s': not a dotted-quad IPv4 address", argv[0]);
	r->req.has_gate = true;
	return -1;
}

static int parse_tuntap_add(struct um_run *r, int argc, char **argv)
{
	return parse_change(r, UM_ADD, argc, argv, "tuntap change_addr");
}

static int parse_tuntap_del(struct um_run *r, int argc, char **argv)
{
	return parse_change(r, UM_DEL, argc, argv, "tuntap change_addr");
}

struct sub {
	const char *name;
	int (*parse)(struct um_run *r, int argc, char **argv);
};

static const struct sub tuntap_ops[] = {
	{ "up",  parse_up },
	{ "add", parse_tuntap_add },
	{ "del", parse_tuntap_del },
};

static const struct sub *find_sub(const struct sub *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static int parse_tuntap(struct um_run *r, int argc, char **argv)
{
	const struct sub *s;

	r->wire = WIRE_BLOCK;
	if (argc < 1)
		return ANSWER(r, 1, "uml_net : too few arguments to tuntap_v4");
	s = find_sub(tuntap_ops, sizeof(tuntap_ops) / sizeof(tuntap_ops[0]), argv[0]);
	if (!s) {
		r->wire = WIRE_STDERR;
		return ANSWER(r, 1, "Bad tuntap op : '%s'", argv[0]);
	}
	return s->parse(r, argc - 1, argv + 1);
}

/* slip up <gate> | slip down <name>; the name is never trusted (fd 0 is the proof). */
static int parse_slip(struct um_run *r, int argc, char **argv)
{
	r->wire = WIRE_BLOCK;
	if (argc < 2)
		return ANSWER(r, 1, "uml_net : too few arguments to slip_v4");
	if (strcmp(argv[0], "up") && strcmp(argv[0], "down"))
		return ANSWER(r, 1, "slip - Unknown op '%s'", argv[0]);
	if (argc > 2)
		return ANSWER(r, 2, "uml_net : too many arguments to slip_v4");
	if (!strcmp(argv[0], "down")) {
		r->req.op = UM_SLIP_DOWN;
		return -1;
	}
	r->req.op = UM_SLIP_UP;
	if (parse_v4(argv[1], &r->req.gate) < 0)
		return ANSWER(r, 2, PROG ": slip up: '%s': not a dotted-quad IPv4 address", argv[1]);
	r->req.has_gate = true;
	return -1;
}

/* The host driver left Linux with 2.6.x: refuse, changing nothing. */
static int parse_ethertap(struct um_run *r, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	r->req.op = UM_ETHERTAP;
	r->wire = WIRE_ETHERTAP;
	return ANSWER(r, 1, PROG ": ethertap: not supported: the host's ethertap driver no longer "
		      "exists; use eth0=tuntap,,,<gate> instead");
}

static const struct sub transports[] = {
	{ "ethertap", parse_ethertap },
	{ "slip",     parse_slip },
	{ "tuntap",   parse_tuntap },
	{ "add",      parse_add },
	{ "del",      parse_del },
};

#define N_TRANSPORTS (sizeof(transports) / sizeof(transports[0]))

/* "4 add tap0 ..." for logs: printable bytes only, bounded. */
static void describe(struct um_run *r, int argc, char **argv)
{
	size_t n = 0;

	for (int i = 1; i < argc && n + 2 < sizeof(r->req.line); i++) {
		if (i > 1)
			r->req.line[n++] = ' ';
		for (const char *c = argv[i]; *c && n + 1 < sizeof(r->req.line); c++)
			r->req.line[n++] = (*c >= 0x20 && *c < 0x7f) ? *c : '?';
	}
	r->req.line[n] = '\0';
}

/**
 * um_parse_request - parse UML's argv into r->req, before anything is done
 * @r: receives the request, r->wire (how to answer) and, on refusal, the text
 *
 * Only protocol version 4 is served; every argument is checked whole.
 *
 * Return: -1 when the request is valid and should be acted on, otherwise
 * the exit status to answer with (the text is in @r).
 */
int um_parse_request(struct um_run *r, int argc, char **argv)
{
	const struct sub *t;
	unsigned long v;

	describe(r, argc, argv);
	r->wire = WIRE_STDERR;
	if (argc < 3)
		return ANSWER(r, 1, "%s", banner);
	if (hn_parse_uint(argv[1], ULONG_MAX, &v) < 0) {
		if (strchr("0123456789+-", argv[1][0]) && argv[1][0])
			return ANSWER(r, 1, "Version mismatch - requested version %s, uml_net "
				      "supports up to version %d", argv[1], UML_NET_VERSION);
		/* Version 0 form: the transport comes first. */
		if (!find_sub(transports, N_TRANSPORTS, argv[1]))
			return ANSWER(r, 1, "Unknown transport : '%s'", argv[1]);
		return ANSWER(r, 1, "No version #0 handler for '%s'", argv[1]);
	}
	if (v > UML_NET_VERSION)
		return ANSWER(r, 1, "Version mismatch - requested version %lu, uml_net "
			      "supports up to version %d", v, UML_NET_VERSION);
	t = find_sub(transports, N_TRANSPORTS, argv[2]);
	if (!t)
		return ANSWER(r, 1, "Unknown transport : '%s'", argv[2]);
	if (v < UML_NET_VERSION)
		return ANSWER(r, 1, "No version #%lu handler for '%s'", v, argv[2]);
	return t->parse(r, argc - 3, argv + 3);
}

/* "--fd=N": a descriptor number, decimal digits only, nothing after. */
static int parse_fd_arg(const char *s, int *fd)
{
	unsigned long v;

	if (!*s || !strchr("0123456789", *s) || hn_parse_uint(s, INT_MAX, &v) < 0)
		return -1;
	*fd = (int)v;
	return 0;
}

/**
 * um_qemu_fd - the descriptor named by "--fd=N" in a QEMU helper argv, so
 * that main() can keep it open while closing every other one
 *
 * Return: N, or -1 when there is no single well-formed --fd.
 */
int um_qemu_fd(int argc, char **argv)
{
	int fd = -1, n = 0, v;

	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--fd=", 5) && ++n && parse_fd_arg(argv[i] + 5, &v) == 0)
			fd = v;
	return n == 1 ? fd : -1;
}

/**
 * um_parse_qemu - parse qemu-bridge-helper's argv ([--qemu] [--use-vnet]
 * --br=BRIDGE --fd=N, any order, each once) into r->req
 *
 * Errors go to stderr, which QEMU shares with its helper.
 *
 * Return: -1 when the request is valid, otherwise the exit status (1).
 */
int um_parse_qemu(struct um_run *r, int argc, char **argv)
{
	struct um_req *q = &r->req;
	bool br = false;
	const char *why;

	char line[sizeof(q->line)];

	describe(r, argc, argv);	/* audited as "bridge-helper --br=br0 --fd=3" */
	snprintf(line, sizeof(line), "bridge-helper %.*s", (int)sizeof(line) - 15, q->line);
	memcpy(q->line, line, sizeof(line));
	q->op = UM_BRIDGE;
	q->fd = -1;
	r->wire = WIRE_STDERR;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (i == 1 && !strcmp(a, "--qemu"))
			continue;
		if (!strcmp(a, "--use-vnet") && !q->vnet) {
			q->vnet = true;
		} else if (!strncmp(a, "--br=", 5) && !br) {
			if (hn_parse_ifname(a + 5, 0, &why) < 0)
				return ANSWER(r, 1, PROG ": --br: '%s': %s", a + 5, why);
			strcpy(q->dev, a + 5);
			br = true;
		} else if (!strncmp(a, "--fd=", 5) && q->fd < 0) {
			if (parse_fd_arg(a + 5, &q->fd) < 0)
				return ANSWER(r, 1, PROG ": --fd: '%s': not a descriptor number", a + 5);
		} else {
			return ANSWER(r, 1, PROG ": '%s': unknown or repeated argument\n"
				      "usage: hostnet-bridge-helper [--use-vnet] --br=BRIDGE --fd=N", a);
		}
	}
	if (!br || q->fd < 0)
		return ANSWER(r, 1, PROG ": --br=BRIDGE and --fd=N are both required\n"
			      "usage: hostnet-bridge-helper [--use-vnet] --br=BRIDGE --fd=N");
	r->wire = WIRE_QEMU;
	return -1;
}

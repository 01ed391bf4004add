/* test_natctl.c - unit tests for natctl's command table and argument parsers (nat/), no kernel. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
/* The table, the parsers and the journal (nat/cmds.o, nat/parse.o,
 * nat/journal.o, linked in): they fill ops without touching the system. */
#include "log.h"
#include "../../nat/natctl.h"

/* The runners of list.c and doctor.c are not called here. */
int nat_list(struct run *r, struct op *op) { (void)r; (void)op; return 0; }
int publish_list(struct run *r, struct op *op) { (void)r; (void)op; return 0; }
int route_list(struct run *r, struct op *op) { (void)r; (void)op; return 0; }
int nat_doctor(struct run *r, struct op *op) { (void)r; (void)op; return 0; }

static const struct cmd *cmd_of(const char *obj, const char *verb)
{
	for (size_t i = 0; i < natctl_ncmds; i++)
		if (!strcmp(natctl_cmds[i].obj, obj) &&
		    (!natctl_cmds[i].verb ? !verb : verb && !strcmp(natctl_cmds[i].verb, verb)))
			return &natctl_cmds[i];
	return NULL;
}

/* Parse "obj verb args..." (split at blanks) into @op; the parser's return. */
static int parse_line(const char *line, struct op *op)
{
	char buf[256], *argv[16], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && argc < 16; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	memset(op, 0, sizeof(*op));
	op->where = "";
	op->cmd = cmd_of(argv[0], argc > 1 ? argv[1] : NULL);
	if (!op->cmd)
		return -ENOENT;
	return op->cmd->parse(op, argc - 2, argv + 2);
}

static void test_table(void)
{
	size_t dups = 0;

	for (size_t i = 0; i < natctl_ncmds; i++) {
		const struct cmd *a = &natctl_cmds[i];

		ok(a->min <= a->max && a->parse, "row %s %s is complete",
		   a->obj, a->verb ? a->verb : "");
		for (size_t j = i + 1; j < natctl_ncmds; j++)
			dups += !strcmp(a->obj, natctl_cmds[j].obj) && a->verb && natctl_cmds[j].verb &&
				!strcmp(a->verb, natctl_cmds[j].verb);
	}
	is_int(dups, 0, "no two rows share a name");
}

/* What a failed batch takes back: every command that changes the host and nothing else. */
static void test_changes(void)
{
	static const char *const changes[] = {
		"forwarding ipv4", "forwarding ipv6", "proxyarp on", "proxyarp off",
		"proxyndp on", "proxyndp off", "publish add", "publish del", "route add",
		"route del",
	};
	size_t n = 0;

	for (size_t i = 0; i < natctl_ncmds; i++) {
		const struct cmd *a = &natctl_cmds[i];
		char name[64];
		bool listed = false;

		snprintf(name, sizeof(name), "%s %s", a->obj, a->verb ? a->verb : "");
		for (size_t j = 0; j < sizeof(changes) / sizeof(changes[0]); j++)
			listed |= !strcmp(changes[j], name);
		ok(a->change == listed && (!a->change || a->run),
		   "%s is %sjournaled", name, a->change ? "" : "not ");
		n += a->change;
	}
	is_int(n, sizeof(changes) / sizeof(changes[0]), "every change is in the table");
}

static void test_forward(void)
{
	struct op op;
	const struct hn_nftnat_item *it = &op.item;

	is_int(parse_line("forward add tcp 8000-8010 in eth0 dst 203.0.113.5 to 192.168.0.2 local", &op),
	       0, "a full forward parses");
	ok(it->kind == HN_NFTNAT_DNAT && it->family == AF_INET && it->proto == IPPROTO_TCP,
	   "kind, family, protocol");
	ok(it->port_lo == 8000 && it->port_hi == 8010 && it->to_lo == 8000 && it->to_hi == 8010,
	   "ports kept when no port is given");
	is_str(it->iif, "eth0", "in");
	is_int(it->dst.len, 32, "dst is a host prefix");
	ok(it->local, "local");
	is_int(parse_line("forward add udp 53 to 2001:db8::2 port 5353", &op), 0, "v6 udp forward");
	ok(it->family == AF_INET6 && it->to_lo == 5353 && it->to_hi == 5353 && !it->dst.len,
	   "v6, one target port, any destination");
	is_int(parse_line("forward del tcp 80", &op), 0, "del without dst");
	is_int(it->family, 0, "family left to the table lookup");
	is_int(parse_line("forward add tcp 80 to 10.0.0.2 port 81 port 82", &op), -EINVAL, "port twice");
	is_int(parse_line("forward add tcp 80 to", &op), -EINVAL, "to without a value");
	is_int(parse_line("forward del tcp 80 to 10.0.0.2", &op), -EINVAL, "del takes no to");
	is_int(parse_line("forward add tcp 80 to 10.0.0.2 local", &op), -EINVAL, "local without dst");
}

static void test_others(void)
{
	struct op op;

	is_int(parse_line("masquerade add 192.168.0.0/24 out eth0", &op), 0, "masquerade");
	ok(op.item.kind == HN_NFTNAT_MASQ && op.item.src.len == 24, "masquerade item");
	is_int(parse_line("snat add 192.168.0.0/24 out eth0", &op), -EINVAL, "snat needs to");
	is_int(parse_line("snat add 192.168.0.0/24 to 1.2.3.4 out eth0", &op), 0, "keywords in any order");
	is_int(parse_line("route add 10.0.0.77 dev tap0 replace", &op), 0, "route replace");
	ok(op.replace && !strcmp(op.dev, "tap0"), "route fields");
	is_int(parse_line("route del 10.0.0.77 replace", &op), -EINVAL, "del takes no replace");
	is_int(parse_line("publish add 10.0.0.77", &op), -EINVAL, "publish needs dev");
	is_int(parse_line("proxyndp on tap0", &op), 0, "proxyndp on");
	ok(op.family == AF_INET6 && op.on, "proxyndp is IPv6, on");
	is_int(parse_line("forwarding ipv6 off", &op), 0, "forwarding ipv6 off");
	ok(op.family == AF_INET6 && !op.on, "ipv6 off");
	is_int(parse_line("hairpin add 10.0.0.1/8", &op), -EINVAL, "host bits refused");
}

int main(void)
{
	hn_log_setprog("natctl");
	test_table();
	test_changes();
	test_forward();
	test_others();
	return done_testing();
}

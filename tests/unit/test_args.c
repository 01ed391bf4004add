/* test_args.c - unit tests for uml_net/args.c: versions, transports, argument counts, answer formats. */
#include <string.h>
#include <arpa/inet.h>

#include "unit.h"
#include "../../uml_net/args.h"

static struct um_run r;

/* Parse a space-separated command line ("" words as '-'); returns the status. */
static int parse(const char *line)
{
	static char buf[512], prog[] = "uml_net", empty[] = "";
	char *argv[32] = { prog };
	int argc = 1;

	memset(&r, 0, sizeof(r));
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = strcmp(t, "-") ? t : empty;
	return um_parse_request(&r, argc, argv);
}

static const struct {
	const char *line;
	int status, wire;
	const char *text;
} cases[] = {
	{ "", 1, WIRE_STDERR, "uml_net : bad argument list - if you're running uml_net by\n"
	  "hand, don't bother.  uml_net is run automatically by UML when\nnecessary.\n" },
	{ "4", 1, WIRE_STDERR, NULL },
	{ "5 tuntap up 1.2.3.4", 1, WIRE_STDERR,
	  "Version mismatch - requested version 5, uml_net supports up to version 4\n" },
	{ "-1 tuntap", 1, WIRE_STDERR,
	  "Version mismatch - requested version -1, uml_net supports up to version 4\n" },
	{ "04 tuntap up 1.2.3.4", 1, WIRE_STDERR,
	  "Version mismatch - requested version 04, uml_net supports up to version 4\n" },
	{ "99999999999999999999999 tuntap", 1, WIRE_STDERR,
	  "Version mismatch - requested version 99999999999999999999999, uml_net supports up to version 4\n" },
	{ "4 bogus", 1, WIRE_STDERR, "Unknown transport : 'bogus'\n" },
	{ "bogus x", 1, WIRE_STDERR, "Unknown transport : 'bogus'\n" },
	{ "tuntap up 1.2.3.4", 1, WIRE_STDERR, "No version #0 handler for 'tuntap'\n" },
	{ "3 add tap0 1.2.3.4 255.0.0.0", 1, WIRE_STDERR, "No version #3 handler for 'add'\n" },
	{ "4 TUNTAP up", 1, WIRE_STDERR, "Unknown transport : 'TUNTAP'\n" },
	{ "4 tun up", 1, WIRE_STDERR, "Unknown transport : 'tun'\n" },
	{ "4 tuntap", 1, WIRE_BLOCK, "uml_net : too few arguments to tuntap_v4\n" },
	{ "4 tuntap bogus", 1, WIRE_STDERR, "Bad tuntap op : 'bogus'\n" },
	{ "4 tuntap u", 1, WIRE_STDERR, "Bad tuntap op : 'u'\n" },
	{ "4 tuntap up", -1, WIRE_DGRAM, "" },
	{ "4 tuntap up 10.0.0.1", -1, WIRE_DGRAM, "" },
	{ "4 tuntap up 10.0.0.1 x", 0, WIRE_DGRAM,
	  "uml_net: tuntap up: too many arguments (expected <gate>)\n" },
	{ "4 tuntap up 10.0.0.01", 0, WIRE_DGRAM,
	  "uml_net: tuntap up: '10.0.0.01': not a dotted-quad IPv4 address\n" },
	{ "4 tuntap up -", 0, WIRE_DGRAM, "uml_net: tuntap up: '': not a dotted-quad IPv4 address\n" },
	{ "4 add tap0 10.0.0.2 255.255.255.0", -1, WIRE_BLOCK, "" },
	{ "4 del tap0 10.0.0.2 255.255.255.0", -1, WIRE_BLOCK, "" },
	{ "4 tuntap add tap0 10.0.0.2 255.255.255.0", -1, WIRE_BLOCK, "" },
	{ "4 add tap0 10.0.0.2", 2, WIRE_BLOCK,
	  "uml_net : too few arguments to add (expected <dev> <addr> <netmask>)\n" },
	{ "4 del", 2, WIRE_BLOCK, "uml_net : too few arguments to del (expected <dev> <addr> <netmask>)\n" },
	{ "4 tuntap del tap0 1.2.3.4 255.0.0.0 x", 2, WIRE_BLOCK,
	  "uml_net : too many arguments to tuntap change_addr (expected <dev> <addr> <netmask>)\n" },
	{ "4 add tap0 0x0a000001 255.255.255.0", 2, WIRE_BLOCK,
	  "uml_net: add: '0x0a000001': not a dotted-quad IPv4 address\n" },
	{ "4 add tap0 10.0.0.2 255.255.0.255", 2, WIRE_BLOCK, "uml_net: add: '255.255.0.255': not a netmask\n" },
	{ "4 add tap0 10.0.0.2 0.255.255.255", 2, WIRE_BLOCK, "uml_net: add: '0.255.255.255': not a netmask\n" },
	{ "4 add tap/0 10.0.0.2 255.255.255.0", 2, WIRE_BLOCK,
	  "uml_net: add: 'tap/0': '/' and ':' are not allowed in interface names\n" },
	{ "4 add - 10.0.0.2 255.255.255.0", 2, WIRE_BLOCK, "uml_net: add: '': empty interface name\n" },
	{ "4 slip", 1, WIRE_BLOCK, "uml_net : too few arguments to slip_v4\n" },
	{ "4 slip up", 1, WIRE_BLOCK, "uml_net : too few arguments to slip_v4\n" },
	{ "4 slip sideways x", 1, WIRE_BLOCK, "slip - Unknown op 'sideways'\n" },
	{ "4 slip up 10.0.0.1 x", 2, WIRE_BLOCK, "uml_net : too many arguments to slip_v4\n" },
	{ "4 slip up 10.0.0.1", -1, WIRE_BLOCK, "" },
	{ "4 slip down sl0", -1, WIRE_BLOCK, "" },
	{ "4 ethertap", 1, WIRE_ETHERTAP, "uml_net: ethertap: not supported: the host's ethertap driver "
	  "no longer exists; use eth0=tuntap,,,<gate> instead\n" },
	{ "4 ethertap eth0 3 10.9.9.9", 1, WIRE_ETHERTAP, NULL },
};

static void test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		is_int(parse(cases[i].line), cases[i].status, "'%s': status", cases[i].line);
		is_int(r.wire, cases[i].wire, "'%s': answer format", cases[i].line);
		if (cases[i].text)
			is_str(r.text, cases[i].text, "'%s': text", cases[i].line);
		is_int(strlen(r.text), r.len, "'%s': length kept", cases[i].line);
	}
}

static void test_values(void)
{
	char a[INET_ADDRSTRLEN];

	is_int(parse("4 add tap7 192.0.2.5 255.255.255.128"), -1, "add parses");
	is_int(r.req.op, UM_ADD, "op add");
	is_str(r.req.dev, "tap7", "dev");
	is_str(inet_ntop(AF_INET, &r.req.addr, a, sizeof(a)), "192.0.2.5", "addr");
	is_int(r.req.masklen, 25, "mask length");
	is_str(r.req.line, "4 add tap7 192.0.2.5 255.255.255.128", "request line for logs");
	is_int(parse("4 add tap0 0.0.0.0 0.0.0.0"), -1, "mask /0");
	is_int(r.req.masklen, 0, "mask /0 length");
	is_int(parse("4 tuntap up"), -1, "up without gate");
	ok(!r.req.has_gate, "no gate");
	is_int(parse("4 tuntap up 10.0.0.1"), -1, "up with gate");
	ok(r.req.has_gate && r.req.gate.s_addr == htonl(0x0a000001), "gate value");
	is_int(parse("4 slip down whatever"), -1, "slip down");
	is_int(r.req.op, UM_SLIP_DOWN, "slip down op; the name is not used");
	is_int(parse("4 add tap0 1.2.3.4\x01 255.0.0.0"), 2, "control byte refused");
	is_str(r.req.line, "4 add tap0 1.2.3.4? 255.0.0.0", "control byte not logged raw");
}

static void test_say(void)
{
	char big[3000];

	memset(&r, 0, sizeof(r));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	um_say(&r, "%s", big);
	um_say(&r, "more");
	is_int(r.len, UM_TEXT_MAX - 1, "answer text is bounded");
	is_int(r.text[r.len], '\0', "and NUL-terminated");
}

int main(void)
{
	test_cases();
	test_values();
	test_say();
	return done_testing();
}

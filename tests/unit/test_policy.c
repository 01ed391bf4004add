/* test_policy.c - unit tests for uml_net/policy.c: the grammar, its errors, and every decision. */
#include <string.h>
#include <arpa/inet.h>

#include "unit.h"
#include "../../uml_net/policy.h"

static char errs[4096];

static void collect(const char *msg, void *arg)
{
	(void)arg;
	strncat(errs, msg, sizeof(errs) - strlen(errs) - 2);
	strcat(errs, "\n");
}

static int parse(struct policy *p, const char *text)
{
	errs[0] = '\0';
	policy_init(p, "t.conf");
	return policy_parse(p, text, strlen(text), collect, NULL);
}

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static void test_errors(void)
{
	static const struct { const char *text, *err; } cases[] = {
		{ "alow all gate 10.0.0.1\n", "t.conf:1: unknown keyword \"alow\" (allow or deny)\n" },
		{ "\n# c\nallow all gaet 10.0.0.1\n", "t.conf:3: unknown keyword \"gaet\"\n" },
		{ "allow\n", "t.conf:1: allow needs \"all\", \"user NAME\" or \"group NAME\"\n" },
		{ "allow all\n", "t.conf:1: allow needs what it grants (gate, route, publish, bridge, taps or forward)\n" },
		{ "allow everyone gate 1.2.3.4\n", "t.conf:1: unknown subject \"everyone\" (all, user or group)\n" },
		{ "allow user\n", "t.conf:1: user needs a name or number\n" },
		{ "allow user no-such-user-xyz gate 1.2.3.4\n",
		  "t.conf:1: user \"no-such-user-xyz\": not a known name nor a decimal number\n" },
		{ "allow group -1 gate 1.2.3.4\n",
		  "t.conf:1: group \"-1\": not a plain decimal number (and -1 means none)\n" },
		{ "allow all gate\n", "t.conf:1: gate needs an argument\n" },
		{ "allow all gate 192.0.2.077\n",
		  "t.conf:1: \"192.0.2.077\" is not an IPv4 address or prefix (a.b.c.d[/len])\n" },
		{ "allow all gate 0x7f000001\n",
		  "t.conf:1: \"0x7f000001\" is not an IPv4 address or prefix (a.b.c.d[/len])\n" },
		{ "allow all route 10.1\n",
		  "t.conf:1: \"10.1\" is not an IPv4 address or prefix (a.b.c.d[/len])\n" },
		{ "allow all route 10.0.0.1/24\n",
		  "t.conf:1: \"10.0.0.1/24\" has bits set beyond its prefix length\n" },
		{ "allow all route 10.0.0.0/33\n",
		  "t.conf:1: \"10.0.0.0/33\" is not an IPv4 address or prefix (a.b.c.d[/len])\n" },
		{ "allow all route fd00::/8\n",
		  "t.conf:1: \"fd00::/8\" is not an IPv4 address or prefix (a.b.c.d[/len])\n" },
		{ "allow all publish 0123456789abcdef\n",
		  "t.conf:1: \"0123456789abcdef\": interface name longer than 15 bytes\n" },
		{ "allow all bridge a/b\n",
		  "t.conf:1: \"a/b\": '/' and ':' are not allowed in interface names\n" },
		{ "allow all taps 1025\n", "t.conf:1: \"1025\" is not a number of taps (0-1024)\n" },
		{ "allow all taps 01\n", "t.conf:1: \"01\" is not a number of taps (0-1024)\n" },
		{ "deny all taps 1\n", "t.conf:1: \"deny ... taps\" is not a rule; use \"allow ... taps 0\"\n" },
		{ "allow all forward now\n", "t.conf:1: unexpected \"now\" after the rule\n" },
		{ "allow all gate 1.2.3.4 5.6.7.8\n", "t.conf:1: unexpected \"5.6.7.8\" after the rule\n" },
		{ "a b c d e f g h i\n", "t.conf:1: too many words\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;

		is_int(parse(&p, cases[i].text), 1, "error case %zu: one error", i);
		is_str(errs, cases[i].err, "error case %zu: message", i);
		is_int(p.n, 0, "no rule kept");
		policy_free(&p);
	}
}

static void test_file_level(void)
{
	struct policy p;
	char big[POLICY_LINE_MAX + 20];

	is_int(parse(&p, "bogus\nallow all forward\nworse x\n"), 2, "all errors reported");
	is_str(errs, "t.conf:1: unknown keyword \"bogus\" (allow or deny)\n"
		     "t.conf:3: unknown keyword \"worse\" (allow or deny)\n", "both lines named");
	policy_free(&p);

	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	is_int(parse(&p, big), 1, "long line refused");
	is_str(errs, "t.conf:1: line longer than 1024 bytes\n", "long line message");
	policy_free(&p);

	policy_init(&p, "t.conf");
	errs[0] = '\0';
	is_int(policy_parse(&p, "allow all forward\0\n", 19, collect, NULL), 1, "NUL refused");
	is_str(errs, "t.conf:1: NUL byte in line\n", "NUL message");
	policy_free(&p);

	is_int(parse(&p, ""), 0, "empty file");
	is_int(p.n, 0, "empty file has no rules");
	is_int(parse(&p, "  # only a comment\n\t\n\r\n"), 0, "comments and blanks");
	is_int(parse(&p, "allow all forward # trailing comment"), 0, "no final newline, comment");
	is_int(p.n, 1, "one rule");
	is_int(p.rules[0].line, 1, "line number kept");
	policy_free(&p);
	is_int(parse(&p, "allow all forward#x deny"), 0, "'#' inside a word starts the comment");
	is_int(p.n, 1, "one rule, without the words after '#'");
	policy_free(&p);
}

static void test_decisions(void)
{
	static const gid_t groups[] = { 4242 };
	struct policy_caller alice = { 1000, 1000, groups, 1 };
	struct policy_caller bob = { 1001, 1001, NULL, 0 };
	struct policy_caller carol = { 1002, 4242, NULL, 0 };
	struct policy p;
	char why[POLICY_WHY_MAX];

	is_int(parse(&p,
		"allow user 1000 gate 10.0.0.1\n"
		"allow group 4242 route 10.0.0.0/24\n"
		"deny  user 1000 route 10.0.0.128/25\n"
		"allow all publish eth0\n"
		"deny  user 1001 publish eth0\n"
		"allow all taps 2\n"
		"allow user 1000 taps 8\n"
		"allow group 4242 taps 3\n"
		"allow user 1000 forward\n"
		"allow user 1001 forward\n"
		"deny  group 4242 forward\n"
		"deny  user 1003\n"
		"allow all route 192.0.2.0/24\n"), 0, "policy parses");

	ok(policy_gate(&p, &alice, ip("10.0.0.1"), why, sizeof(why)), "alice's gate");
	is_str(why, "gate 10.0.0.1 allowed by t.conf:1", "grant reason names the line");
	ok(!policy_gate(&p, &alice, ip("10.0.0.2"), why, sizeof(why)), "other gate refused");
	is_str(why, "no rule in t.conf allows gate 10.0.0.2", "default deny reason");
	ok(!policy_gate(&p, &bob, ip("10.0.0.1"), why, sizeof(why)), "bob has no gate");

	ok(policy_route(&p, &alice, ip("10.0.0.5"), why, sizeof(why)), "alice by group");
	ok(!policy_route(&p, &alice, ip("10.0.0.200"), why, sizeof(why)), "deny wins over allow");
	is_str(why, "route 10.0.0.200 denied by t.conf:3", "deny reason names the line");
	ok(policy_route(&p, &carol, ip("10.0.0.200"), why, sizeof(why)), "carol by primary group");
	ok(!policy_route(&p, &bob, ip("10.0.0.5"), why, sizeof(why)), "bob not in the group");
	ok(!policy_route(&p, &alice, ip("10.0.1.5"), why, sizeof(why)), "outside the prefix");
	ok(policy_route(&p, &bob, ip("192.0.2.9"), why, sizeof(why)), "all rule");

	ok(policy_publish(&p, &alice, "eth0", why, sizeof(why)), "publish on eth0");
	ok(!policy_publish(&p, &alice, "eth1", why, sizeof(why)), "not on eth1");
	ok(!policy_publish(&p, &bob, "eth0", why, sizeof(why)), "bob denied on eth0");
	ok(!policy_publish(&p, &alice, "eth", why, sizeof(why)), "no prefix match of names");

	is_int(policy_max_taps(&p, &alice), 8, "user rule beats all rule");
	is_int(policy_max_taps(&p, &carol), 3, "group rule beats all rule");
	is_int(policy_max_taps(&p, &bob), 2, "all rule");

	ok(!policy_forward(&p, &alice, why, sizeof(why)), "group deny beats user allow");
	is_str(why, "forward denied by t.conf:11", "forward deny reason");
	ok(!policy_forward(&p, &carol, why, sizeof(why)), "carol's group denied");
	ok(policy_forward(&p, &bob, why, sizeof(why)), "bob may forward");
	is_str(why, "forward allowed by t.conf:10", "forward grant reason");

	struct policy_caller dave = { 1003, 1003, NULL, 0 };

	ok(!policy_route(&p, &dave, ip("192.0.2.9"), why, sizeof(why)), "deny user: everything");
	is_str(why, "route 192.0.2.9 denied by t.conf:12", "bare deny reason");
	is_int(policy_max_taps(&p, &dave), 0, "bare deny: no taps");
	policy_free(&p);
}

static void test_bridge_and_defaults(void)
{
	struct policy_caller alice = { 1000, 1000, NULL, 0 };
	struct policy_caller root = { 0, 0, NULL, 0 };
	struct policy p;
	char br[IFNAMSIZ], why[POLICY_WHY_MAX];

	is_int(parse(&p, "allow all bridge br0\nallow user 1000 bridge br1\ndeny user 1000 bridge br0\n"),
	       0, "bridge policy parses");
	ok(policy_bridge(&p, &alice, br), "alice is in bridge mode");
	is_str(br, "br1", "the first bridge not denied");
	ok(policy_bridge(&p, &root, br), "root in bridge mode via all");
	is_str(br, "br0", "br0");
	is_int(policy_max_taps(&p, &alice), POLICY_TAPS_DEFAULT, "default tap limit");
	policy_free(&p);

	policy_init(&p, "none");
	ok(!policy_gate(&p, &root, ip("10.0.0.1"), why, sizeof(why)), "empty policy denies root too");
	ok(!policy_bridge(&p, &root, br), "no bridge mode");
	ok(!policy_forward(&p, &root, why, sizeof(why)), "no forward");
	policy_free(&p);

	is_int(parse(&p, "allow user root gate 0.0.0.0/0\n"), 0, "user by name, /0");
	ok(policy_gate(&p, &root, ip("203.0.113.7"), why, sizeof(why)), "/0 matches all");
	policy_free(&p);
}

int main(void)
{
	test_errors();
	test_file_level();
	test_decisions();
	test_bridge_and_defaults();
	return done_testing();
}

/* test_parse.c - unit tests for lib/parse.c: every parser, accepted and refused inputs. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "unit.h"
#include "parse.h"

/* The case as printable text for a TAP description (no control characters). */
static const char *show(const char *s)
{
	static char buf[64];
	size_t i;

	for (i = 0; s[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (s[i] < 0x20) ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static void test_ifname(void)
{
	static const struct { const char *s; unsigned int flags; int rc; } cases[] = {
		{ "tap0", 0, 0 },
		{ "a", 0, 0 },
		{ "012345678901234", 0, 0 },			/* 15 bytes: the maximum */
		{ "0123456789012345", 0, -ENAMETOOLONG },	/* 16: never truncated */
		{ "abcdefghijklmnopqrstuvwxyz", 0, -ENAMETOOLONG },
		{ "", 0, -EINVAL },
		{ ".", 0, -EINVAL },
		{ "..", 0, -EINVAL },
		{ "...", 0, 0 },
		{ "a/b", 0, -EINVAL },
		{ "a:b", 0, -EINVAL },
		{ "a b", 0, -EINVAL },
		{ "a\tb", 0, -EINVAL },
		{ "a\nb", 0, -EINVAL },
		{ " ab", 0, -EINVAL },
		{ "tap%d", 0, -EINVAL },
		{ "tap%d", HN_PARSE_IFNAME_PATTERN, 0 },
		{ "my%dx", HN_PARSE_IFNAME_PATTERN, 0 },
		{ "tap%d%d", HN_PARSE_IFNAME_PATTERN, -EINVAL },
		{ "tap%s", HN_PARSE_IFNAME_PATTERN, -EINVAL },
		{ "tap%", HN_PARSE_IFNAME_PATTERN, -EINVAL },
		{ "br-lan.10", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		int rc = hn_parse_ifname(cases[i].s, cases[i].flags, &why);

		is_int(rc, cases[i].rc, "ifname '%s' flags %u", show(cases[i].s), cases[i].flags);
		if (rc)
			ok(why && *why, "ifname '%s' has a reason", show(cases[i].s));
	}
}

static void test_numbers(void)
{
	uint32_t v32 = 7;
	uint16_t v16 = 7;
	unsigned long ul;

	is_int(hn_parse_u32("0", &v32), 0, "u32 0");
	is_int(v32, 0, "u32 0 value");
	is_int(hn_parse_u32("4294967295", &v32), 0, "u32 max");
	is_int(v32, 4294967295u, "u32 max value");
	is_int(hn_parse_u32("4294967296", &v32), -ERANGE, "u32 overflow");
	is_int(hn_parse_u32("99999999999999999999999", &v32), -ERANGE, "u32 huge");
	is_int(hn_parse_u32("", &v32), -EINVAL, "u32 empty");
	is_int(hn_parse_u32("-1", &v32), -EINVAL, "u32 negative");
	is_int(hn_parse_u32("+5", &v32), -EINVAL, "u32 plus sign");
	is_int(hn_parse_u32(" 7", &v32), -EINVAL, "u32 leading blank");
	is_int(hn_parse_u32("7 ", &v32), -EINVAL, "u32 trailing blank");
	is_int(hn_parse_u32("12abc", &v32), -EINVAL, "u32 trailing junk");
	is_int(hn_parse_u32("010", &v32), -EINVAL, "u32 leading zero (octal elsewhere)");
	is_int(hn_parse_u32("0x10", &v32), -EINVAL, "u32 hex");
	is_int(hn_parse_u16("65535", &v16), 0, "u16 max");
	is_int(v16, 65535, "u16 max value");
	is_int(hn_parse_u16("65536", &v16), -ERANGE, "u16 overflow");
	is_int(hn_parse_uint("5", 4, &ul), -ERANGE, "uint above a small max");
	is_int(hn_parse_uint("4", 4, &ul), 0, "uint at a small max");
}

static void test_onoff(void)
{
	bool on = false;

	is_int(hn_parse_onoff("on", &on), 0, "on");
	ok(on, "on is true");
	is_int(hn_parse_onoff("off", &on), 0, "off");
	ok(!on, "off is false");
	is_int(hn_parse_onoff("ON", &on), -EINVAL, "ON refused (exact match)");
	is_int(hn_parse_onoff("o", &on), -EINVAL, "no prefix match");
	is_int(hn_parse_onoff("", &on), -EINVAL, "empty refused");
}

static void test_mac(void)
{
	uint8_t m[6] = { 0 };

	is_int(hn_parse_mac("02:00:5e:10:0A:ff", m), 0, "mac");
	ok(m[0] == 2 && m[3] == 0x10 && m[4] == 0x0a && m[5] == 0xff, "mac bytes");
	is_int(hn_parse_mac("2:0:5e:1:a:f", m), 0, "mac single digits");
	is_int(hn_parse_mac("02:00:5e:10:00", m), -EINVAL, "mac too short");
	is_int(hn_parse_mac("02:00:5e:10:00:01:02", m), -EINVAL, "mac too long");
	is_int(hn_parse_mac("02:00:5e:10:00:001", m), -EINVAL, "mac 3-digit octet");
	is_int(hn_parse_mac("02-00-5e-10-00-01", m), -EINVAL, "mac dashes");
	is_int(hn_parse_mac("", m), -EINVAL, "mac empty");
	is_int(hn_parse_mac("0g:00:5e:10:00:01", m), -EINVAL, "mac non-hex");
}

static void test_ids(void)
{
	uid_t u = 1;
	gid_t g = 1;
	const char *why = NULL;

	is_int(hn_parse_uid("root", &u, &why), 0, "uid by name");
	is_int(u, 0, "root is 0");
	is_int(hn_parse_uid("1000", &u, &why), 0, "uid by number");
	is_int(u, 1000, "uid 1000");
	is_int(hn_parse_uid("4294967294", &u, &why), 0, "uid 2^32-2");
	is_int(u, 4294967294u, "uid 2^32-2 value");
	is_int(hn_parse_uid("4294967295", &u, &why), -ERANGE, "uid -1 as 2^32-1 refused");
	is_int(hn_parse_uid("-1", &u, &why), -EINVAL, "uid -1 refused");
	is_int(hn_parse_uid("99999999999", &u, &why), -ERANGE, "uid overflow refused");
	is_int(hn_parse_uid("", &u, &why), -EINVAL, "empty uid refused");
	is_int(hn_parse_uid("0x3e8", &u, &why), -EINVAL, "hex uid refused");
	is_int(hn_parse_uid("010", &u, &why), -EINVAL, "octal-looking uid refused");
	is_int(hn_parse_uid(" 7", &u, &why), -EINVAL, "blank-led uid refused");
	is_int(hn_parse_uid("7 ", &u, &why), -EINVAL, "blank-trailed uid refused");
	is_int(hn_parse_uid("+5", &u, &why), -EINVAL, "plus uid refused");
	is_int(hn_parse_uid("no-such-user-hn", &u, &why), -EINVAL, "unknown user refused");
	ok(why && *why, "refusal has a reason");
	is_int(hn_parse_gid("root", &g, NULL), 0, "gid by name");
	is_int(g, 0, "group root is 0");
	is_int(hn_parse_gid("65534", &g, NULL), 0, "gid by number");
	is_int(hn_parse_gid("4294967295", &g, NULL), -ERANGE, "gid -1 refused");
	is_int(hn_parse_gid("no-such-group-hn", &g, NULL), -EINVAL, "unknown group refused");
	is_int(hn_parse_uid_num("4001", &u, NULL), 0, "uid_num by number");
	is_int(u, 4001, "uid_num 4001");
	is_int(hn_parse_uid_num("root", &u, NULL), 0, "uid_num still takes names");
	is_int(u, 0, "uid_num root is 0");
	is_int(hn_parse_uid_num("4294967295", &u, NULL), -ERANGE, "uid_num -1 refused");
	is_int(hn_parse_uid_num("99999999999", &u, NULL), -ERANGE, "uid_num overflow refused");
	is_int(hn_parse_uid_num("010", &u, NULL), -EINVAL, "uid_num octal-looking refused");
	is_int(hn_parse_uid_num("-1", &u, NULL), -EINVAL, "uid_num -1 refused");
	is_int(hn_parse_gid_num("65534", &g, NULL), 0, "gid_num by number");
	is_int(g, 65534, "gid_num 65534");
	is_int(hn_parse_gid_num("no-such-group-hn", &g, NULL), -EINVAL, "gid_num unknown name refused");
}

static void test_addr(void)
{
	struct hn_addr a;
	struct hn_prefix p;

	is_int(hn_parse_addr("192.168.0.254", AF_UNSPEC, &a), 0, "v4");
	is_int(a.family, AF_INET, "v4 family");
	ok(a.u.bytes[0] == 192 && a.u.bytes[3] == 254, "v4 bytes");
	is_int(hn_parse_addr("fe80::1", AF_UNSPEC, &a), 0, "v6");
	is_int(a.family, AF_INET6, "v6 family");
	is_int(hn_parse_addr("fe80::1", AF_INET, &a), -EAFNOSUPPORT, "v6 in v4 context");
	is_int(hn_parse_addr("10.0.0.1", AF_INET6, &a), -EAFNOSUPPORT, "v4 in v6 context");
	is_int(hn_parse_addr("10.1", AF_UNSPEC, &a), -EINVAL, "v4 shorthand refused");
	is_int(hn_parse_addr("256.0.0.1", AF_UNSPEC, &a), -EINVAL, "v4 octet > 255");
	is_int(hn_parse_addr("", AF_UNSPEC, &a), -EINVAL, "empty address");
	is_int(hn_parse_prefix("10.0.0.0/24", AF_INET, true, &p), 0, "v4 prefix");
	is_int(p.len, 24, "v4 prefix length");
	ok(hn_prefix_is_network(&p), "10.0.0.0/24 is a network");
	is_int(hn_parse_prefix("10.0.0.1/24", AF_INET, true, &p), 0, "v4 prefix with host bits");
	ok(!hn_prefix_is_network(&p), "10.0.0.1/24 has host bits");
	is_int(hn_parse_prefix("10.0.0.1", AF_INET, false, &p), 0, "bare v4 is a host");
	is_int(p.len, 32, "bare v4 is /32");
	is_int(hn_parse_prefix("10.0.0.1", AF_INET, true, &p), -EINVAL, "bare v4 refused when a length is needed");
	is_int(hn_parse_prefix("10.0.0.0/33", AF_INET, true, &p), -ERANGE, "v4 /33");
	is_int(hn_parse_prefix("10.0.0.0/", AF_INET, true, &p), -EINVAL, "empty length");
	is_int(hn_parse_prefix("10.0.0.0/08", AF_INET, true, &p), -EINVAL, "length with leading zero");
	is_int(hn_parse_prefix("10.0.0.0/8x", AF_INET, true, &p), -EINVAL, "length with junk");
	is_int(hn_parse_prefix("2001:db8::/32", AF_UNSPEC, true, &p), 0, "v6 prefix");
	is_int(p.len, 32, "v6 prefix length");
	is_int(hn_parse_prefix("2001:db8::/129", AF_UNSPEC, true, &p), -ERANGE, "v6 /129");
	is_int(hn_parse_prefix("2001:db8::1", AF_UNSPEC, false, &p), 0, "bare v6");
	is_int(p.len, 128, "bare v6 is /128");
}

int main(void)
{
	test_ifname();
	test_numbers();
	test_onoff();
	test_mac();
	test_ids();
	test_addr();
	{
		struct hn_addr a4, a6, none = { 0 };
		char b[HN_ADDRSTRLEN];

		hn_parse_addr("192.0.2.1", AF_UNSPEC, &a4);
		hn_parse_addr("2001:db8::1", AF_UNSPEC, &a6);
		is_str(hn_addr_str(&a4, b), "192.0.2.1", "hn_addr_str v4");
		is_str(hn_addr_str(&a6, b), "2001:db8::1", "hn_addr_str v6");
		is_str(hn_addr_str(&none, b), "?", "hn_addr_str of no family");
	}
	return done_testing();
}

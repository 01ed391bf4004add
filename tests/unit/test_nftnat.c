/* test_nftnat.c - unit tests for lib/nftnat_words.c (every NAT form parsed, printed, parsed back equal), the state index and the planner. */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "nft.h"
#include "nftnat.h"
#include "unit.h"

/* Each form: as written (natctl's add words or hostnet.conf), and as printed. */
static const struct {
	const char *in, *out;
} forms[] = {
	{ "masquerade 192.168.0.0/24 out eth0", NULL },
	{ "masquerade 192.168.0.7 out eth0", NULL },
	{ "masquerade 192.168.0.7/32 out eth0", "masquerade 192.168.0.7 out eth0" },
	{ "masquerade fd00::/64 out eth0", NULL },
	{ "masquerade 0.0.0.0/0 out eth0", NULL },
	{ "snat 192.168.0.0/24 out eth0 to 198.51.100.1", NULL },
	{ "snat 192.168.0.0/24 to 198.51.100.1 out eth0", "snat 192.168.0.0/24 out eth0 to 198.51.100.1" },
	{ "snat fd00::/64 out eth0 to 2001:db8::1", NULL },
	{ "hairpin 192.168.0.0/24", NULL },
	{ "hairpin 192.168.0.2/32", "hairpin 192.168.0.2" },
	{ "hairpin fd00::2", NULL },
	{ "forward tcp 80 to 192.168.0.2", "forward tcp 80 to 192.168.0.2 port 80" },
	{ "forward tcp 80 to 192.168.0.2 port 80", NULL },
	{ "forward udp 53 to 192.168.0.2 port 5353", NULL },
	{ "forward tcp 8080 in eth0 to 192.168.0.2 port 80", NULL },
	{ "forward tcp 8080 in eth0 dst 203.0.113.5 to 192.168.0.2 port 80 local", NULL },
	{ "forward tcp 8080 local dst 203.0.113.5/32 to 192.168.0.2 port 80 in eth0",
	  "forward tcp 8080 in eth0 dst 203.0.113.5 to 192.168.0.2 port 80 local" },
	{ "forward tcp 8080 dst 203.0.113.0/24 to 192.168.0.2 port 80", NULL },
	{ "forward tcp 8080 dst 203.0.113.0/24 to 192.168.0.2 port 80 local", NULL },
	{ "forward udp 5000-5010 to 192.168.0.3 port 6000", NULL },
	{ "forward udp 5000-5010 to 192.168.0.3", "forward udp 5000-5010 to 192.168.0.3 port 5000-5010" },
	{ "forward udp 5000-5010 in eth0 dst 203.0.113.0/28 to 192.168.0.3 port 5000-5010", NULL },
	{ "forward tcp 22 to fd00::2 port 2222", NULL },
	{ "forward tcp 22 in eth0 dst 2001:db8::1 to fd00::2 port 2222 local", NULL },
	{ "forward tcp 22 dst 2001:db8::/64 to fd00::2 port 22", NULL },
};

/* Bad words, with the message every tool prints after "KIND[ VERB]: ". */
static const struct {
	const char *in, *why;
} bad[] = {
	{ "masquerade 10.0.0.1/24 out eth0", "'10.0.0.1/24': host bits set (give the network address)" },
	{ "masquerade 10.0.0.0/24", "'10.0.0.0/24': needs out IFACE" },
	{ "masquerade 10.0.0.0/24 out", "'out': needs a value" },
	{ "snat 10.0.0.0/24 out eth0", "'10.0.0.0/24': needs to ADDR" },
	{ "snat 10.0.0.0/24 out eth0 to fd00::1", "'fd00::1': wrong address family here" },
	{ "hairpin 10.0.0.0/24 out eth0", "'out': unexpected argument" },
	{ "forward sctp 80 to 10.0.0.2", "'sctp': protocol must be tcp or udp" },
	{ "forward tcp", "'tcp': needs PORT[-PORT]" },
	{ "forward tcp 0 to 10.0.0.2", "'0': port 0 is not allowed (ports are 1-65535)" },
	{ "forward tcp 90-80 to 10.0.0.2", "'90-80': reversed port range" },
	{ "forward tcp 80 in eth0", "'80': needs to ADDR" },
	{ "forward tcp 80 to 10.0.0.2 local", "'80': local needs dst ADDR" },
	{ "forward tcp 80 dst 10.0.0.1/8 to 10.0.0.2", "'10.0.0.1/8': host bits set (give the network address)" },
	{ "forward tcp 80 dst 0.0.0.0/0 to 10.0.0.2",
	  "'0.0.0.0/0': a dst of length 0 is any address: leave dst out" },
	{ "forward tcp 80 dst 2001:db8::1 to 10.0.0.2", "'80': dst and to are of different address families" },
	{ "forward tcp 80-81 to 10.0.0.2 port 90-91",
	  "'80-81': a port range forwards to the same ports or to one port" },
	{ "forward tcp 80 to 10.0.0.2 to 10.0.0.3", "'to': unexpected argument" },
	{ "masquerade", "expected masquerade PREFIX out IFACE" },
	{ "nat 10.0.0.0/24", "not a NAT item" },
};

static void test_forms(void)
{
	struct hn_nftnat_item a, b;
	char why[256], text[HN_NFTNAT_TEXT_MAX], again[HN_NFTNAT_TEXT_MAX];

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const char *want = forms[i].out ? forms[i].out : forms[i].in;

		why[0] = '\0';
		is_int(hn_nftnat_parse_text(forms[i].in, &a, why, sizeof(why)), 0, "%s: parses %s",
		       forms[i].in, why);
		hn_nftnat_format(&a, text, sizeof(text));
		is_str(text, want, "%s: printed", forms[i].in);
		is_int(hn_nftnat_parse_text(text, &b, why, sizeof(why)), 0, "%s: printed text parses",
		       forms[i].in);
		ok(!memcmp(&a, &b, sizeof(a)), "%s: parse, print, parse: the same item", forms[i].in);
		hn_nftnat_format(&b, again, sizeof(again));
		is_str(again, text, "%s: printed again the same", forms[i].in);
	}
}

/* What the kernel holds prints as what was given (a local forward's main element). */
static void test_codec_text(void)
{
	struct hn_nftnat_item a, b;
	struct hn_nftnat_elem e;
	char t1[HN_NFTNAT_TEXT_MAX], t2[HN_NFTNAT_TEXT_MAX];

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		hn_nftnat_parse_text(forms[i].in, &a, NULL, 0);
		a.local = false;
		is_int(hn_nftnat_encode(&a, false, &e), 0, "%s: encodes", forms[i].in);
		is_int(hn_nftnat_decode(a.family, &e, &b), 0, "%s: decodes", forms[i].in);
		hn_nftnat_format(&a, t1, sizeof(t1));
		hn_nftnat_format(&b, t2, sizeof(t2));
		is_str(t2, t1, "%s: the element prints as the item", forms[i].in);
	}
}

static void test_bad(void)
{
	struct hn_nftnat_item a;
	char why[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		is_int(hn_nftnat_parse_text(bad[i].in, &a, why, sizeof(why)), -EINVAL, "%s: refused",
		       bad[i].in);
		is_str(why, bad[i].why, "%s: why", bad[i].in);
	}
}

/* A del names the key only: no translation words, the family may stay open. */
static void test_del(void)
{
	char tcp[] = "tcp", p80[] = "80", in[] = "in", eth0[] = "eth0", kto[] = "to";
	char guest[] = "10.0.0.2", net[] = "10.0.0.0/24", out[] = "out";
	char *fwd[] = { tcp, p80, in, eth0 }, *to[] = { tcp, p80, kto, guest };
	char *snat[] = { net, out, eth0 };
	struct hn_nftnat_item a;
	char why[256];

	is_int(hn_nftnat_parse(HN_NFTNAT_DNAT, true, 4, fwd, &a, why, sizeof(why)), 0, "forward del");
	is_int(a.family, 0, "forward del without dst: family open");
	is_int(hn_nftnat_parse(HN_NFTNAT_DNAT, true, 4, to, &a, why, sizeof(why)), -EINVAL,
	       "forward del refuses to");
	is_int(hn_nftnat_parse(HN_NFTNAT_SNAT, true, 3, snat, &a, why, sizeof(why)), 0,
	       "snat del without to");
	is_int(hn_nftnat_parse(HN_NFTNAT_SNAT, false, 3, snat, &a, why, sizeof(why)), -EINVAL,
	       "snat add needs to");
}

static struct hn_nftnat_item item(const char *text)
{
	struct hn_nftnat_item it;

	hn_nftnat_parse_text(text, &it, NULL, 0);
	return it;
}

/* The index finds each of many items by key, also after deletions and growth. */
static void test_index(void)
{
	struct hn_nftnat_state st = { 0 };
	struct hn_nftnat_item it;
	char text[64];
	size_t found = 0;

	for (int p = 1; p <= 3000; p++) {
		snprintf(text, sizeof(text), "forward tcp %d to 10.0.%d.%d", p, p / 250, p % 250 + 1);
		it = item(text);
		hn_nftnat_state_add(&st, &it);
	}
	for (int p = 1; p <= 3000; p++) {
		snprintf(text, sizeof(text), "forward tcp %d to 10.9.9.9", p);
		it = item(text);
		found += hn_nftnat_find(&st, &it, false) != NULL;
	}
	is_int(found, 3000, "every key found (another target: same key)");
	for (int p = 1; p <= 3000; p += 2) {
		snprintf(text, sizeof(text), "forward tcp %d to 10.9.9.9", p);
		it = item(text);
		hn_nftnat_state_del(&st, &it);
	}
	is_int(st.n, 1500, "half deleted");
	found = 0;
	for (int p = 1; p <= 3000; p++) {
		snprintf(text, sizeof(text), "forward tcp %d to 10.9.9.9", p);
		it = item(text);
		found += (hn_nftnat_find(&st, &it, false) != NULL) == (p % 2 == 0);
	}
	is_int(found, 3000, "found exactly the ones left");
	it = item("forward tcp 2 in eth0 to 10.9.9.9");
	ok(!hn_nftnat_find(&st, &it, false), "another key: not found by key");
	ok(hn_nftnat_find(&st, &it, true) != NULL, "... but found as an overlap");
	it = item("masquerade 10.0.0.0/8 out eth0");
	hn_nftnat_state_add(&st, &it);
	it = item("snat 10.0.0.0/8 out eth0 to 1.2.3.4");
	ok(hn_nftnat_find(&st, &it, false) != NULL, "snat and masquerade share a key");
	hn_nftnat_state_free(&st);
}

/* The planner says what is in the way and never prints; del finds the family. */
static void test_plan(void)
{
	struct hn_nftnat_state st = { 0 };
	const struct hn_nftnat_item *old;
	struct hn_nftnat_item it = item("forward tcp 80 in eth0 to 10.0.0.2"), x;
	struct hn_nft_batch b;
	bool made;

	hn_nft_batch_init(&b);
	is_int(hn_nftnat_plan_add(&st, &b, &it, &old, &made), 0, "add to nothing");
	ok(made, "the table is made first");
	x = item("forward tcp 80 in eth0 to 10.0.0.2");
	is_int(hn_nftnat_clash(&st, &x, &old), HN_NFTNAT_CLASH_SAME, "the same item");
	x = item("forward tcp 80 in eth0 to 10.0.0.3");
	is_int(hn_nftnat_clash(&st, &x, &old), HN_NFTNAT_CLASH_KEY, "same key, other target");
	x = item("forward tcp 70-90 to 10.0.0.3");
	is_int(hn_nftnat_plan_add(&st, &b, &x, &old, &made), -EEXIST, "overlap refused");
	ok(old && old->port_lo == 80, "... naming the forward in the way");
	x = item("forward tcp 81 in eth0 to 10.0.0.3");
	is_int(hn_nftnat_plan_add(&st, &b, &x, &old, &made), 0, "another port");
	ok(!made, "table there already");
	x = item("forward tcp 81 to fd00::2");
	is_int(hn_nftnat_plan_add(&st, &b, &x, &old, &made), 0, "the same port in IPv6");
	ok(made, "the ip6 table is made");
	memset(&x, 0, sizeof(x));
	x.kind = HN_NFTNAT_DNAT;
	x.proto = IPPROTO_TCP;
	x.port_lo = x.port_hi = 81;
	is_int(hn_nftnat_plan_del(&st, &b, &x), 0, "del without family or interface");
	is_int(x.family, AF_INET6, "... finds the IPv6 one (the IPv4 one has in eth0)");
	is_int(hn_nftnat_plan_del(&st, &b, &x), -ENOENT, "gone from the state");
	is_int(st.n, 2, "two left");
	is_int(hn_nftnat_plan_flush(&st, &b), 0, "flush");
	is_int(st.n, 0, "nothing left");
	x = item("forward tcp 80 in eth0 to 10.0.0.2");
	ok(!hn_nftnat_find(&st, &x, true), "nothing found after flush");
	hn_nft_batch_fini(&b);
	hn_nftnat_state_free(&st);
}

int main(void)
{
	test_index();
	test_plan();
	test_forms();
	test_codec_text();
	test_bad();
	test_del();
	return done_testing();
}

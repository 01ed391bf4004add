/* test_nft.c - unit tests for lib/nft.c and lib/nftnat_*.c: batch framing and seq tags, element codec, builders parsed back. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "unit.h"
#include "nft.h"
#include "nftnat.h"

static struct hn_nftnat_item item(enum hn_nftnat_kind kind, const char *src)
{
	struct hn_nftnat_item it = { .kind = kind };

	if (src && hn_parse_prefix(src, AF_UNSPEC, false, &it.src) == 0)
		it.family = it.src.addr.family;
	return it;
}

static struct hn_nftnat_item forward(const char *to, uint8_t proto, uint16_t lo, uint16_t hi,
				     uint16_t tlo, uint16_t thi)
{
	struct hn_nftnat_item it = { .kind = HN_NFTNAT_DNAT, .proto = proto,
		.port_lo = lo, .port_hi = hi, .to_lo = tlo, .to_hi = thi };

	hn_parse_addr(to, AF_UNSPEC, &it.to);
	it.family = it.to.family;
	return it;
}

/* encode -> decode gives the same item back, and the key is what we expect */
static void roundtrip(const struct hn_nftnat_item *it, bool output, const char *set, const char *what)
{
	struct hn_nftnat_elem e;
	struct hn_nftnat_item back;

	is_int(hn_nftnat_encode(it, output, &e), 0, "%s: encodes", what);
	is_str(e.set, set, "%s: set", what);
	is_int(hn_nftnat_decode(it->family, &e, &back), 0, "%s: decodes", what);
	ok(hn_nftnat_same_key(it, &back), "%s: same key back", what);
	ok(!memcmp(&back.to, &it->to, sizeof(it->to)) && back.to_lo == it->to_lo &&
	   back.to_hi == it->to_hi, "%s: same target back", what);
	is_int(back.local, output, "%s: local flag from the set", what);
}

static void test_codec(void)
{
	struct hn_nftnat_item m = item(HN_NFTNAT_MASQ, "192.168.0.0/24"), s, h, f, g, x;
	struct hn_nftnat_elem e;
	static const uint8_t masq_key[20] = { 192, 168, 0, 0, 'e', 't', 'h', '0' };
	static const uint8_t masq_end[20] = { 192, 168, 0, 255, 'e', 't', 'h', '0' };

	strcpy(m.oif, "eth0");
	roundtrip(&m, false, "masq", "masquerade v4");
	hn_nftnat_encode(&m, false, &e);
	is_int(e.key_len, 20, "masq key: 4 + 16 bytes");
	ok(!memcmp(e.key, masq_key, 20) && !memcmp(e.key_end, masq_end, 20), "masq key range bytes");
	is_int(e.data_len, 0, "masq is a plain set");
	s = item(HN_NFTNAT_SNAT, "2001:db8:1::/48");
	strcpy(s.oif, "eth1");
	hn_parse_addr("2001:db8::5", AF_UNSPEC, &s.to);
	roundtrip(&s, false, "snat_to", "snat v6");
	h = item(HN_NFTNAT_HAIRPIN, "10.1.0.0/16");
	roundtrip(&h, false, "hairpin", "hairpin");
	f = forward("192.168.0.2", IPPROTO_TCP, 80, 80, 8080, 8080);
	roundtrip(&f, false, "fwd_any", "forward any interface");
	roundtrip(&f, true, "dnat_local", "forward to any address, output-hook copy");
	hn_nftnat_encode(&f, false, &e);
	is_int(e.key_len, 4 + 4, "fwd key: protocol . port");
	ok(!e.interval, "one port, any address: an exact key");
	strcpy(f.iif, "eth0");
	hn_parse_prefix("203.0.113.5", AF_INET, false, &f.dst);
	roundtrip(&f, false, "fwd_iif_addr", "forward with in and dst");
	hn_nftnat_encode(&f, false, &e);
	is_int(e.key_len, 16 + 4 + 4 + 4, "fwd_iif_addr key length");
	is_int(e.data_len, 8, "fwd_iif_addr data: address . port");
	is_int(ntohs(*(uint16_t *)(e.data + 4)), 8080, "data port in network order");
	e.interval = true;
	is_int(hn_nftnat_decode(AF_INET, &e, &x), -EBADMSG, "an interval element in a hash map is not ours");
	f.iif[0] = 0;
	roundtrip(&f, false, "fwd_addr", "forward with dst only");
	roundtrip(&f, true, "fwd_local_addr", "forward with dst, output-hook copy");
	strcpy(f.iif, "eth0");
	hn_parse_prefix("203.0.113.0/24", AF_INET, false, &f.dst);
	roundtrip(&f, false, "dnat_iif", "a destination prefix needs an interval map");
	hn_nftnat_encode(&f, false, &e);
	ok(e.interval, "dnat_iif elements are intervals");
	e.interval = false;
	is_int(hn_nftnat_decode(AF_INET, &e, &x), -EBADMSG, "an exact element in an interval map is not ours");
	f = forward("192.168.0.2", IPPROTO_TCP, 80, 90, 8080, 8080);
	roundtrip(&f, false, "dnat_any", "a port range to one port");
	g = forward("2001:db8::2", IPPROTO_UDP, 5000, 5010, 5000, 5010);
	roundtrip(&g, false, "dnat_range", "port range kept");
	hn_nftnat_encode(&g, false, &e);
	is_int(e.data_len, 16, "range data: address only");
	is_int(ntohs(*(uint16_t *)(e.key_end + 20)), 5010, "range end port in key_end");
}

static void test_codec_refusals(void)
{
	struct hn_nftnat_item f = forward("192.168.0.2", IPPROTO_TCP, 80, 80, 80, 80), x;
	struct hn_nftnat_elem e;

	x = f;
	x.port_lo = 0;
	is_int(hn_nftnat_encode(&x, false, &e), -EINVAL, "port 0 refused");
	x = f;
	x.port_lo = 90;
	is_int(hn_nftnat_encode(&x, false, &e), -EINVAL, "reversed range refused");
	x = forward("192.168.0.2", IPPROTO_TCP, 80, 90, 100, 110);
	is_int(hn_nftnat_encode(&x, false, &e), -EINVAL, "shifted range refused");
	x = f;
	x.proto = IPPROTO_ICMP;
	is_int(hn_nftnat_encode(&x, false, &e), -EINVAL, "icmp refused");
	x = f;
	hn_parse_prefix("2001:db8::1", AF_UNSPEC, false, &x.dst);
	is_int(hn_nftnat_encode(&x, false, &e), -EAFNOSUPPORT, "v6 dst with a v4 guest refused");
	x = item(HN_NFTNAT_MASQ, "10.0.0.0/8");
	is_int(hn_nftnat_encode(&x, false, &e), -EINVAL, "masquerade without out interface");
	e.set = "nosuchset";
	is_int(hn_nftnat_decode(AF_INET, &e, &x), -ENOENT, "unknown set refused");
}

static void test_keys(void)
{
	struct hn_nftnat_item a = forward("192.168.0.2", IPPROTO_TCP, 80, 90, 80, 90);
	struct hn_nftnat_item b = forward("192.168.0.3", IPPROTO_TCP, 90, 95, 90, 95);
	struct hn_nftnat_item c = forward("192.168.0.3", IPPROTO_UDP, 80, 80, 80, 80);
	struct hn_nftnat_item m = item(HN_NFTNAT_MASQ, "10.0.0.0/24"), s = m;

	ok(hn_nftnat_overlaps(&a, &b), "tcp 80-90 and 90-95 overlap");
	ok(!hn_nftnat_overlaps(&a, &c), "tcp and udp do not");
	strcpy(b.iif, "eth1");
	strcpy(a.iif, "eth0");
	ok(!hn_nftnat_overlaps(&a, &b), "different input interfaces do not");
	s.kind = HN_NFTNAT_SNAT;
	ok(hn_nftnat_same_key(&m, &s), "masquerade and snat of one source share a key");
	strcpy(m.oif, "eth0");
	s = item(HN_NFTNAT_SNAT, "10.0.0.0/8");
	strcpy(s.oif, "eth0");
	ok(!hn_nftnat_same_key(&m, &s) && hn_nftnat_overlaps(&m, &s), "10.0.0.0/8 overlaps 10.0.0.0/24");
	strcpy(s.oif, "eth1");
	ok(!hn_nftnat_overlaps(&m, &s), "not on another output interface");
	s = item(HN_NFTNAT_MASQ, "10.0.1.0/24");
	strcpy(s.oif, "eth0");
	ok(!hn_nftnat_overlaps(&m, &s), "10.0.1.0/24 and 10.0.0.0/24 do not meet");
}

static int count_msgs(const struct hn_nft_batch *b, uint16_t type)
{
	int n = 0, left = (int)b->len;

	for (const struct nlmsghdr *h = (const void *)b->buf; mnl_nlmsg_ok(h, left);
	     h = mnl_nlmsg_next(h, &left))
		n += (h->nlmsg_type & 0xff) == type;
	return n;
}

static const struct nlmsghdr *nth(const struct hn_nft_batch *b, int i)
{
	int left = (int)b->len;
	const struct nlmsghdr *h = (const void *)b->buf;

	while (i-- > 0 && mnl_nlmsg_ok(h, left))
		h = mnl_nlmsg_next(h, &left);
	return h;
}

static void test_tables(void)
{
	struct hn_nft_batch b;
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nftnl_set *s = nftnl_set_alloc();
	const struct nlmsghdr *h;

	is_int(hn_nft_batch_init(&b), 0, "batch init");
	hn_nft_batch_set_tag(&b, 7);
	is_int(hn_nftnat_build_tables(&b, AF_INET), 0, "build ip tables");
	is_int(hn_nft_batch_close(&b), 0, "close");
	h = nth(&b, 0);
	is_int(h->nlmsg_type, NFNL_MSG_BATCH_BEGIN, "first is BATCH_BEGIN");
	is_int(nth(&b, (int)b.ntags - 1)->nlmsg_type, NFNL_MSG_BATCH_END, "last is BATCH_END");
	is_int(count_msgs(&b, NFT_MSG_NEWTABLE), 1, "one table");
	is_int(count_msgs(&b, NFT_MSG_NEWSET), 14, "fourteen sets and maps");
	is_int(count_msgs(&b, NFT_MSG_NEWCHAIN), 3, "three chains");
	is_int(count_msgs(&b, NFT_MSG_NEWRULE), 22, "22 fixed rules: one per protocol for maps with a port");
	is_int(b.nobj, 1 + 14 + 3 + 22, "object count");
	is_int(hn_nft_batch_tag_of(&b, b.seq0), -1, "BATCH_BEGIN has no tag");
	is_int(hn_nft_batch_tag_of(&b, b.seq0 + 1), 7, "the table message has the tag");
	is_int(hn_nft_batch_tag_of(&b, b.seq0 + b.ntags - 1), -1, "BATCH_END has no tag");
	is_int(hn_nft_batch_tag_of(&b, b.seq0 + 10000), -1, "unknown seq");
	for (size_t i = 1; i + 1 < b.ntags; i++)
		if (nth(&b, (int)i)->nlmsg_seq != b.seq0 + i)
			ok(0, "seq of message %zu", i);
	h = nth(&b, 2);		/* the first set: masq */
	ok(nftnl_set_nlmsg_parse(h, s) == 0, "set message parses back");
	is_str(nftnl_set_get_str(s, NFTNL_SET_NAME), "masq", "set name");
	is_int(nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN), 20, "masq key length");
	is_int(nftnl_set_get_u32(s, NFTNL_SET_FLAGS), NFT_SET_INTERVAL | NFT_SET_CONCAT, "masq flags");
	is_int(nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE), (7 << 6) | 41, "ipv4_addr . ifname");
	nftnl_set_free(s);
	s = nftnl_set_alloc();
	h = nth(&b, 5);		/* the fourth set: fwd */
	ok(s && nftnl_set_nlmsg_parse(h, s) == 0, "hash map message parses back");
	is_str(nftnl_set_get_str(s, NFTNL_SET_NAME), "fwd_any", "hash map name");
	is_int(nftnl_set_get_u32(s, NFTNL_SET_FLAGS), NFT_SET_MAP, "a map, no intervals");
	ok(!nftnl_set_is_set(s, NFTNL_SET_DESC_CONCAT), "no interval field lengths");
	is_int(nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN), 8, "inet_proto . inet_service");
	h = nth(&b, 16);	/* the first chain: prerouting */
	ok(nftnl_chain_nlmsg_parse(h, c) == 0, "chain message parses back");
	is_str(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), "prerouting", "chain name");
	is_int(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), NF_INET_PRE_ROUTING, "hook");
	is_int(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO), -100, "dstnat priority");
	is_str(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "nat", "nat chain");
	nftnl_chain_free(c);
	nftnl_set_free(s);
	hn_nft_batch_fini(&b);
}

static int count_expr(struct nftnl_expr *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

/* The nat expression of a forward: address from reg 1, one port from the next 32-bit register. */
static int check_nat(struct nftnl_expr *e, void *arg)
{
	if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "nat"))
		return 0;
	*(int *)arg = 1;
	is_int(nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_TYPE), NFT_NAT_DNAT, "nat type dnat");
	is_int(nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN), NFT_REG_1, "address in reg 1");
	is_int(nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN), NFT_REG32_00 + 1,
	       "IPv4: the port right after the 4-byte address");
	is_int(nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX),
	       nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN), "one port: max reads min's register");
	return 0;
}

static void test_rule_and_elem(void)
{
	struct hn_nft_batch b;
	struct hn_nftnat_item f = forward("192.168.0.2", IPPROTO_TCP, 80, 80, 8080, 8080);
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *el;
	struct hn_nftnat_elem want;
	uint32_t len = 0;
	const void *key;
	int n = 0;

	hn_nft_batch_init(&b);
	hn_nftnat_build_tables(&b, AF_INET);
	hn_nft_batch_set_tag(&b, 3);
	f.local = true;
	is_int(hn_nftnat_build_add(&b, &f), 0, "add a local forward");
	is_int(count_msgs(&b, NFT_MSG_NEWSETELEM), 1, "one element so far (last is pending)");
	hn_nft_batch_close(&b);
	is_int(count_msgs(&b, NFT_MSG_NEWSETELEM), 2, "two elements: prerouting and output maps");
	ok(nftnl_rule_nlmsg_parse(nth(&b, 19), r) == 0, "prerouting rule parses back");
	is_str(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), "prerouting", "rule chain");
	nftnl_expr_foreach(r, count_expr, &n);
	is_int(n, 8, "meta l4proto, cmp tcp, meta iifname, payload daddr, meta l4proto, payload dport, "
	       "lookup, nat");
	n = 0;
	nftnl_expr_foreach(r, check_nat, &n);
	ok(n, "the rule ends in nat");
	ok(nftnl_set_elems_nlmsg_parse(nth(&b, (int)b.ntags - 2), s) == 0, "element parses back");
	is_str(nftnl_set_get_str(s, NFTNL_SET_NAME), "dnat_local", "output-hook map");
	it = nftnl_set_elems_iter_create(s);
	el = it ? nftnl_set_elems_iter_next(it) : NULL;
	hn_nftnat_encode(&f, true, &want);
	key = el ? nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &len) : NULL;
	ok(key && len == want.key_len && !memcmp(key, want.key, len), "element key as encoded");
	is_int(hn_nft_batch_tag_of(&b, nth(&b, (int)b.ntags - 2)->nlmsg_seq), 3, "element tagged 3");
	if (it)
		nftnl_set_elems_iter_destroy(it);
	nftnl_rule_free(r);
	nftnl_set_free(s);
	hn_nft_batch_fini(&b);
}

static void test_empty(void)
{
	struct hn_nft_batch b;

	hn_nft_batch_init(&b);
	is_int(hn_nft_batch_close(&b), -ENODATA, "an empty batch is not sent");
	hn_nft_batch_fini(&b);
}

static int find_genid(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFNL_BATCH_GENID)
		*(uint32_t *)data = ntohl(mnl_attr_get_u32(attr));
	return MNL_CB_OK;
}

/* BATCH_BEGIN carries the generation the batch is made for; only before any object. */
static void test_genid(void)
{
	struct hn_nft_batch b;
	struct nlmsghdr *nlh;
	uint32_t got = 0;
	size_t len;

	hn_nft_batch_init(&b);
	len = b.len;
	is_int(hn_nft_batch_set_genid(&b, 0x01020304), 0, "genid set on a fresh batch");
	nlh = (struct nlmsghdr *)b.buf;
	is_int((int)b.len, (int)(len + 8), "BATCH_BEGIN grew by one u32 attribute");
	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), find_genid, &got);
	ok(got == 0x01020304, "NFNL_BATCH_GENID in network order");
	hn_nft_batch_msg(&b, NFT_MSG_NEWTABLE, NFPROTO_IPV4, NLM_F_CREATE);
	is_int(hn_nft_batch_set_genid(&b, 7), -EBUSY, "not after an object message");
	hn_nft_batch_fini(&b);
	ok(hn_nft_genid_next(41) == 42, "next generation");
	ok(hn_nft_genid_next(UINT32_MAX) == 1, "generation 0 is skipped");
}

int main(void)
{
	test_codec();
	test_codec_refusals();
	test_keys();
	test_tables();
	test_rule_and_elem();
	test_empty();
	test_genid();
	return done_testing();
}

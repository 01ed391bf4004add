/* nftnat.c - natctl's nftables layout: fixed chains and rules, the changing data in sets and maps. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "nft.h"
#include "nftnat.h"
#include "nl.h"

/* Key and data fields, each with its nftables datatype so that `nft list` names them. */
enum field { F_END, F_SADDR, F_DADDR, F_IIF, F_OIF, F_PROTO, F_DPORT, F_TOADDR, F_TOPORT };

enum { TYPE_IPADDR = 7, TYPE_IP6ADDR = 8, TYPE_INET_PROTOCOL = 12,
       TYPE_INET_SERVICE = 13, TYPE_IFNAME = 41, TYPE_BITS = 6 };

/*
 * natctl's sets and maps. A forward of one port to one port whose
 * destination is one address or any address has an exact key and lands in
 * one of the hash maps fwd*: with or without input interface, with or
 * without destination address, and the key-without-interface copy for the
 * output hook (a local forward names its address); the packet is looked up
 * there in constant time however many forwards exist. Every other forward (a port range, a destination
 * prefix) lands in one of the interval maps dnat*: with or without input
 * interface (nft cannot print an "any name" range), to one port or keeping
 * the ports of a range (only the address changes), and the output copies.
 * Overlaps are refused across all of them, so the order of lookups does
 * not matter.
 */
enum setid { S_MASQ, S_SNAT, S_HAIRPIN,
	     S_FWD, S_FWD_ADDR, S_FWD_IIF, S_FWD_IIF_ADDR, S_FWD_LOCAL_ADDR,
	     S_DNAT, S_DNAT_RANGE, S_DNAT_IIF, S_DNAT_IIF_RANGE, S_DNAT_LOCAL, S_DNAT_LOCAL_RANGE,
	     S_MAX };

struct setdef {
	const char *name;
	enum hn_nftnat_kind kind;
	bool output;			/* the output-hook copy (forwards marked local) */
	bool exact;			/* a hash map: no intervals */
	uint8_t key[5];			/* fields, F_END-terminated */
	uint8_t data[3];		/* empty for a plain set */
};

#define KEY_DNAT	{ F_DADDR, F_PROTO, F_DPORT }
#define KEY_DNAT_IIF	{ F_IIF, F_DADDR, F_PROTO, F_DPORT }
#define KEY_PORT	{ F_PROTO, F_DPORT }
#define KEY_PORT_IIF	{ F_IIF, F_PROTO, F_DPORT }
#define TO_PORT		{ F_TOADDR, F_TOPORT }
#define TO_ADDR		{ F_TOADDR }
#define FWD(n, k, out)	{ .name = n, .kind = HN_NFTNAT_DNAT, .output = out, .exact = true, \
			  .key = k, .data = TO_PORT }

static const struct setdef sets[S_MAX] = {
	[S_MASQ] = { .name = "masq", .kind = HN_NFTNAT_MASQ, .key = { F_SADDR, F_OIF } },
	[S_SNAT] = { .name = "snat_to", .kind = HN_NFTNAT_SNAT, .key = { F_SADDR, F_OIF },
		     .data = TO_ADDR },
	[S_HAIRPIN] = { .name = "hairpin", .kind = HN_NFTNAT_HAIRPIN, .key = { F_SADDR, F_SADDR } },
	[S_FWD] = FWD("fwd_any", KEY_PORT, false),
	[S_FWD_ADDR] = FWD("fwd_addr", KEY_DNAT, false),
	[S_FWD_IIF] = FWD("fwd_iif", KEY_PORT_IIF, false),
	[S_FWD_IIF_ADDR] = FWD("fwd_iif_addr", KEY_DNAT_IIF, false),
	[S_FWD_LOCAL_ADDR] = FWD("fwd_local_addr", KEY_DNAT, true),
	[S_DNAT] = { .name = "dnat_any", .kind = HN_NFTNAT_DNAT, .key = KEY_DNAT, .data = TO_PORT },
	[S_DNAT_RANGE] = { .name = "dnat_range", .kind = HN_NFTNAT_DNAT, .key = KEY_DNAT,
			   .data = TO_ADDR },
	[S_DNAT_IIF] = { .name = "dnat_iif", .kind = HN_NFTNAT_DNAT, .key = KEY_DNAT_IIF,
			 .data = TO_PORT },
	[S_DNAT_IIF_RANGE] = { .name = "dnat_iif_range", .kind = HN_NFTNAT_DNAT,
			       .key = KEY_DNAT_IIF, .data = TO_ADDR },
	[S_DNAT_LOCAL] = { .name = "dnat_local", .kind = HN_NFTNAT_DNAT, .output = true,
			   .key = KEY_DNAT, .data = TO_PORT },
	[S_DNAT_LOCAL_RANGE] = { .name = "dnat_local_range", .kind = HN_NFTNAT_DNAT,
				 .output = true, .key = KEY_DNAT, .data = TO_ADDR },
};

static const char *const kind_names[] = {
	[HN_NFTNAT_MASQ] = "masquerade",
	[HN_NFTNAT_SNAT] = "snat",
	[HN_NFTNAT_DNAT] = "forward",
	[HN_NFTNAT_HAIRPIN] = "hairpin",
};

/** hn_nftnat_kind_name - the natctl word for @kind, or "?" when out of range. */
const char *hn_nftnat_kind_name(enum hn_nftnat_kind kind)
{
	if ((unsigned int)kind >= HN_NFTNAT_KIND_MAX)
		return "?";
	return kind_names[kind];
}

static uint32_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static bool is_addr(enum field f)
{
	return f == F_SADDR || f == F_DADDR || f == F_TOADDR;
}

static uint32_t field_len(enum field f, int family)
{
	static const uint32_t len[] = { [F_IIF] = IFNAMSIZ, [F_OIF] = IFNAMSIZ,
		[F_PROTO] = 1, [F_DPORT] = 2, [F_TOPORT] = 2 };

	return is_addr(f) ? alen(family) : len[f];
}

static uint32_t field_type(enum field f, int family)
{
	static const uint32_t type[] = { [F_IIF] = TYPE_IFNAME, [F_OIF] = TYPE_IFNAME,
		[F_PROTO] = TYPE_INET_PROTOCOL, [F_DPORT] = TYPE_INET_SERVICE,
		[F_TOPORT] = TYPE_INET_SERVICE };

	if (is_addr(f))
		return family == AF_INET ? TYPE_IPADDR : TYPE_IP6ADDR;
	return type[f];
}

/* Length in bytes (each field padded to 32 bits) and nftables type of a concatenation. */
static uint32_t concat_len(const uint8_t *fields, int family)
{
	uint32_t n = 0;

	for (; *fields; fields++)
		n += (field_len(*fields, family) + 3) & ~3u;
	return n;
}

static uint32_t concat_type(const uint8_t *fields, int family)
{
	uint32_t t = 0;

	for (; *fields; fields++)
		t = (t << TYPE_BITS) | field_type(*fields, family);
	return t;
}

/* A port range forwarded to the same ports: only the address is rewritten. */
static bool keeps_ports(const struct hn_nftnat_item *it)
{
	return it->to_lo != it->to_hi;
}

/* One port to one port, to one destination address or (not in the output hook) any. */
static bool is_exact(const struct hn_nftnat_item *it, bool output)
{
	return it->port_lo == it->port_hi && it->to_lo == it->to_hi &&
	       ((it->dst.len == 0 && !output) || it->dst.len == alen(it->family) * 8);
}

static const struct setdef *setdef_of(const struct hn_nftnat_item *it, bool output)
{
	static const enum setid of_kind[] = { [HN_NFTNAT_MASQ] = S_MASQ,
		[HN_NFTNAT_SNAT] = S_SNAT, [HN_NFTNAT_HAIRPIN] = S_HAIRPIN };
	enum setid s;

	if ((unsigned int)it->kind >= HN_NFTNAT_KIND_MAX)
		return NULL;
	if (it->kind != HN_NFTNAT_DNAT)
		return &sets[of_kind[it->kind]];
	if (output && is_exact(it, true))
		return &sets[S_FWD_LOCAL_ADDR];
	if (!output && is_exact(it, false)) {	/* each shape followed by its _ADDR twin */
		s = it->iif[0] ? S_FWD_IIF : S_FWD;
		return &sets[s + (it->dst.len ? 1 : 0)];
	}
	s = output ? S_DNAT_LOCAL : it->iif[0] ? S_DNAT_IIF : S_DNAT;
	return &sets[s + (keeps_ports(it) ? 1 : 0)];
}

static const struct setdef *setdef_named(const char *name)
{
	for (size_t i = 0; i < S_MAX; i++)
		if (!strcmp(name, sets[i].name))
			return &sets[i];
	return NULL;
}

/* Writes (or reads) one concatenation: key start in a, key end in b (NULL for data). */
struct cursor {
	uint8_t *a, *b;
	uint32_t off, max;
};

static int put(struct cursor *c, const void *lo, const void *hi, uint32_t len)
{
	uint32_t pad = (len + 3) & ~3u;

	if (c->off + pad > c->max)
		return -EMSGSIZE;
	memcpy(c->a + c->off, lo, len);
	if (c->b)
		memcpy(c->b + c->off, hi, len);
	c->off += pad;
	return 0;
}

static int get(struct cursor *c, void *lo, void *hi, uint32_t len)
{
	uint32_t pad = (len + 3) & ~3u;

	if (c->off + pad > c->max)
		return -EBADMSG;
	memcpy(lo, c->a + c->off, len);
	if (c->b && hi)
		memcpy(hi, c->b + c->off, len);
	c->off += pad;
	return 0;
}

static int put_prefix(struct cursor *c, const struct hn_prefix *p, int family)
{
	uint8_t lo[16], hi[16];
	uint32_t n = alen(family);

	if (p->addr.family != family || p->len > n * 8)
		return -EAFNOSUPPORT;
	for (uint32_t i = 0; i < n; i++) {
		unsigned int bits = p->len > i * 8 ? p->len - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00u >> bits);

		lo[i] = p->addr.u.bytes[i] & mask;
		hi[i] = lo[i] | (uint8_t)~mask;
	}
	return put(c, lo, hi, n);
}

/* The prefix whose range is [lo, hi], or -EBADMSG when the range is no prefix. */
static int get_prefix(struct cursor *c, struct hn_prefix *p, int family)
{
	uint8_t lo[16], hi[16];
	uint32_t n = alen(family), len = 0;
	int rc = get(c, lo, hi, n);

	if (rc)
		return rc;
	while (len < n * 8 && !((lo[len / 8] ^ hi[len / 8]) & (0x80u >> (len % 8))))
		len++;
	for (uint32_t bit = len; bit < n * 8; bit++)
		if ((lo[bit / 8] & (0x80u >> (bit % 8))) || !(hi[bit / 8] & (0x80u >> (bit % 8))))
			return -EBADMSG;
	memset(p, 0, sizeof(*p));
	p->addr.family = family;
	memcpy(p->addr.u.bytes, lo, n);
	p->len = len;
	return 0;
}

static int put_ifname(struct cursor *c, const char *name)
{
	uint8_t n[IFNAMSIZ] = { 0 };

	if (!*name || strlen(name) >= IFNAMSIZ)
		return -EINVAL;
	memcpy(n, name, strlen(name));
	return put(c, n, n, IFNAMSIZ);
}

static int get_ifname(struct cursor *c, char name[IFNAMSIZ])
{
	uint8_t lo[IFNAMSIZ], hi[IFNAMSIZ];
	int rc = get(c, lo, hi, IFNAMSIZ);

	if (rc)
		return rc;
	if ((c->b && memcmp(lo, hi, IFNAMSIZ)) || !lo[0] || lo[IFNAMSIZ - 1])
		return -EBADMSG;
	memcpy(name, lo, IFNAMSIZ);
	return 0;
}

static int put_ports(struct cursor *c, uint16_t lo, uint16_t hi)
{
	uint16_t l = htons(lo), h = htons(hi);

	return put(c, &l, &h, 2);
}

static int get_ports(struct cursor *c, uint16_t *lo, uint16_t *hi)
{
	uint16_t l, h = 0;
	int rc = get(c, &l, &h, 2);

	*lo = ntohs(l);
	*hi = c->b ? ntohs(h) : *lo;
	return rc;
}

static int put_addr(struct cursor *c, const struct hn_addr *a, int family)
{
	if (a->family != family)
		return -EAFNOSUPPORT;
	return put(c, a->u.bytes, a->u.bytes, alen(family));
}

static int get_addr(struct cursor *c, struct hn_addr *a, int family)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	return get(c, a->u.bytes, NULL, alen(family));
}

static bool ports_ok(const struct hn_nftnat_item *it)
{
	uint16_t n = it->port_hi - it->port_lo;

	return it->port_lo && it->port_lo <= it->port_hi && it->to_lo && it->to_lo <= it->to_hi &&
	       (it->to_lo == it->to_hi || (it->to_hi - it->to_lo == n && it->to_lo == it->port_lo));
}

/* One field of @it into the cursor; a destination of length 0 is every address. */
static int put_field(struct cursor *c, enum field f, const struct hn_nftnat_item *it)
{
	struct hn_prefix any = { .addr = { .family = it->family } };

	switch (f) {
	case F_SADDR:	return put_prefix(c, &it->src, it->family);
	case F_DADDR:	return put_prefix(c, it->dst.len ? &it->dst : &any, it->family);
	case F_IIF:	return put_ifname(c, it->iif);
	case F_OIF:	return put_ifname(c, it->oif);
	case F_PROTO:	return put(c, &it->proto, &it->proto, 1);
	case F_DPORT:	return put_ports(c, it->port_lo, it->port_hi);
	case F_TOADDR:	return put_addr(c, &it->to, it->family);
	case F_TOPORT:	return put_ports(c, it->to_lo, it->to_lo);
	default:	return -EINVAL;
	}
}

static int get_field(struct cursor *c, enum field f, struct hn_nftnat_item *it)
{
	switch (f) {
	case F_SADDR:	return get_prefix(c, &it->src, it->family);
	case F_DADDR:	return get_prefix(c, &it->dst, it->family);
	case F_IIF:	return get_ifname(c, it->iif);
	case F_OIF:	return get_ifname(c, it->oif);
	case F_PROTO:	return get(c, &it->proto, NULL, 1);
	case F_DPORT:	return get_ports(c, &it->port_lo, &it->port_hi);
	case F_TOADDR:	return get_addr(c, &it->to, it->family);
	case F_TOPORT:	return get_ports(c, &it->to_lo, &it->to_hi);
	default:	return -EBADMSG;
	}
}

static int check_item(const struct hn_nftnat_item *it)
{
	if (it->family != AF_INET && it->family != AF_INET6)
		return -EINVAL;
	if (it->kind == HN_NFTNAT_DNAT &&
	    ((it->proto != IPPROTO_TCP && it->proto != IPPROTO_UDP) || !ports_ok(it)))
		return -EINVAL;
	return 0;
}

/**
 * hn_nftnat_encode - the set element that stands for @it
 * @output: the element for the output-hook map (DNAT only)
 * @e: receives set name, key range and data; zero-padded as the kernel compares
 *
 * Return: 0, -EINVAL (bad kind, ports, protocol or interface name),
 * -EAFNOSUPPORT (an address of the other family).
 */
int hn_nftnat_encode(const struct hn_nftnat_item *it, bool output, struct hn_nftnat_elem *e)
{
	const struct setdef *sd = setdef_of(it, output);
	struct cursor k = { .a = e->key, .b = e->key_end, .max = HN_NFTNAT_KEY_MAX };
	struct cursor d = { .a = e->data, .max = HN_NFTNAT_DATA_MAX };
	int rc = sd ? check_item(it) : -EINVAL;

	memset(e, 0, sizeof(*e));
	if (rc)
		return rc;
	e->set = sd->name;
	e->interval = !sd->exact;
	if (sd->exact)
		k.b = NULL;
	for (const uint8_t *f = sd->key; !rc && *f; f++)
		rc = put_field(&k, *f, it);
	for (const uint8_t *f = sd->data; !rc && *f; f++)
		rc = put_field(&d, *f, it);
	e->key_len = k.off;
	e->data_len = d.off;
	return rc;
}

/**
 * hn_nftnat_decode - the item a set element of natctl's tables stands for
 * @family: the table's family
 *
 * Return: 0, -ENOENT (not one of our sets), -EBADMSG (an element natctl
 * would not have written).
 */
int hn_nftnat_decode(int family, const struct hn_nftnat_elem *e, struct hn_nftnat_item *it)
{
	/* An exact key reads as intervals of one value each. */
	struct cursor k = { .a = (uint8_t *)e->key, .max = e->key_len,
			    .b = (uint8_t *)(e->interval ? e->key_end : e->key) };
	struct cursor d = { .a = (uint8_t *)e->data, .max = e->data_len };
	const struct setdef *sd = setdef_named(e->set);
	int rc = 0;

	if (!sd)
		return -ENOENT;
	if (e->interval == sd->exact)
		return -EBADMSG;
	memset(it, 0, sizeof(*it));
	it->kind = sd->kind;
	it->family = family;
	it->local = sd->output;
	for (const uint8_t *f = sd->key; !rc && *f; f++)
		rc = get_field(&k, *f, it);
	for (const uint8_t *f = sd->data; !rc && *f; f++)
		rc = get_field(&d, *f, it);
	if (!rc && sd->kind == HN_NFTNAT_DNAT && sd->data[1] == F_END) {
		it->to_lo = it->port_lo;	/* the ports are kept */
		it->to_hi = it->port_hi;
	}
	if (!rc && sd->kind == HN_NFTNAT_DNAT && it->dst.len == 0)
		memset(&it->dst, 0, sizeof(it->dst));
	return rc ? rc : (k.off == e->key_len && d.off == e->data_len ? 0 : -EBADMSG);
}

static bool same_prefix(const struct hn_prefix *a, const struct hn_prefix *b)
{
	return a->len == b->len && !memcmp(a->addr.u.bytes, b->addr.u.bytes, 16);
}

/* Do two prefixes share an address (a /0 shares every one)? */
static bool prefixes_meet(const struct hn_prefix *a, const struct hn_prefix *b)
{
	unsigned int len = a->len < b->len ? a->len : b->len;

	for (unsigned int bit = 0; bit < len; bit++)
		if ((a->addr.u.bytes[bit / 8] ^ b->addr.u.bytes[bit / 8]) & (0x80u >> (bit % 8)))
			return false;
	return true;
}

static bool is_src_kind(enum hn_nftnat_kind k)
{
	return k == HN_NFTNAT_MASQ || k == HN_NFTNAT_SNAT;
}

/**
 * hn_nftnat_same_key - do @a and @b match the same packets (one set element)?
 *
 * Masquerade and SNAT share a key: one source and interface is either
 * masqueraded or SNATed, so they count as the same.
 */
bool hn_nftnat_same_key(const struct hn_nftnat_item *a, const struct hn_nftnat_item *b)
{
	if (a->family != b->family)
		return false;
	if (is_src_kind(a->kind) && is_src_kind(b->kind))
		return same_prefix(&a->src, &b->src) && !strcmp(a->oif, b->oif);
	if (a->kind != b->kind)
		return false;
	if (a->kind == HN_NFTNAT_HAIRPIN)
		return same_prefix(&a->src, &b->src);
	return a->proto == b->proto && a->port_lo == b->port_lo && a->port_hi == b->port_hi &&
	       same_prefix(&a->dst, &b->dst) && !strcmp(a->iif, b->iif);
}

/**
 * hn_nftnat_overlaps - could one packet match both @a and @b?
 *
 * The kernel keeps no two overlapping intervals in one set, and natctl
 * refuses overlaps across its DNAT maps too, so that one packet has one
 * meaning. Forwards: same family and protocol, port ranges that meet,
 * input interfaces equal or one of them any, destinations that meet.
 * Masquerade and SNAT: the same output interface and source prefixes that
 * meet. Hairpin: prefixes that meet.
 */
bool hn_nftnat_overlaps(const struct hn_nftnat_item *a, const struct hn_nftnat_item *b)
{
	if (a->family != b->family)
		return false;
	if (is_src_kind(a->kind) && is_src_kind(b->kind))
		return !strcmp(a->oif, b->oif) && prefixes_meet(&a->src, &b->src);
	if (a->kind != b->kind)
		return false;
	if (a->kind == HN_NFTNAT_HAIRPIN)
		return prefixes_meet(&a->src, &b->src);
	if (a->kind != HN_NFTNAT_DNAT || a->proto != b->proto)
		return false;
	if (a->port_hi < b->port_lo || b->port_hi < a->port_lo)
		return false;
	if (a->iif[0] && b->iif[0] && strcmp(a->iif, b->iif))
		return false;
	return prefixes_meet(&a->dst, &b->dst);
}

/* Could a forward of @st match one of @it's ports? */
static bool ports_taken(const struct hn_nftnat_state *st, const struct hn_nftnat_item *it)
{
	const uint8_t *m = st->ports[it->family == AF_INET6][it->proto == IPPROTO_UDP];

	for (uint32_t p = it->port_lo; p <= it->port_hi; p++)
		if (m[p / 8] & (1u << (p % 8)))
			return true;
	return false;
}

/* FNV-1a over @len bytes, continuing @h. */
static uint64_t mix(uint64_t h, const void *p, size_t len)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ c[i]) * 0x100000001b3ull;
	return h;
}

/* A hash of what hn_nftnat_same_key() compares, and nothing else. */
static uint64_t key_hash(const struct hn_nftnat_item *it)
{
	int cls = is_src_kind(it->kind) ? HN_NFTNAT_MASQ : (int)it->kind;
	uint64_t h = mix(0xcbf29ce484222325ull, &it->family, sizeof(it->family));

	h = mix(h, &cls, sizeof(cls));
	if (it->kind != HN_NFTNAT_DNAT) {
		h = mix(h, it->src.addr.u.bytes, 16);
		h = mix(h, &it->src.len, sizeof(it->src.len));
		return cls == HN_NFTNAT_MASQ ? mix(h, it->oif, strlen(it->oif)) : h;
	}
	h = mix(h, &it->proto, sizeof(it->proto));
	h = mix(h, &it->port_lo, sizeof(it->port_lo));
	h = mix(h, &it->port_hi, sizeof(it->port_hi));
	h = mix(h, it->dst.addr.u.bytes, 16);
	h = mix(h, &it->dst.len, sizeof(it->dst.len));
	return mix(h, it->iif, strlen(it->iif));
}

/* Put item @i into the index (open addressing; a slot holds index + 1, 0 is free). */
static void index_put(struct hn_nftnat_state *st, size_t i)
{
	size_t mask = st->nslot - 1, s = (size_t)key_hash(&st->items[i]) & mask;

	while (st->slot[s])
		s = (s + 1) & mask;
	st->slot[s] = i + 1;
}

/* The index again, at least twice the items' room: after growth or a deletion. */
static int index_build(struct hn_nftnat_state *st)
{
	size_t want = 64;

	while (want < 2 * st->cap)
		want *= 2;
	if (want != st->nslot) {
		size_t *v = calloc(want, sizeof(*v));

		if (!v)
			return -ENOMEM;
		free(st->slot);
		st->slot = v;
		st->nslot = want;
	} else {
		memset(st->slot, 0, want * sizeof(*st->slot));
	}
	for (size_t i = 0; i < st->n; i++)
		index_put(st, i);
	st->stale = false;
	return 0;
}

/* The item of @st with the key of @it, by the index; a linear scan if it cannot be made. */
static struct hn_nftnat_item *find_key(const struct hn_nftnat_state *st,
				       const struct hn_nftnat_item *it)
{
	struct hn_nftnat_state *w = (struct hn_nftnat_state *)st;	/* the index is a cache */
	size_t mask, s;

	if (!st->n)
		return NULL;
	if ((st->stale || !st->nslot) && index_build(w)) {
		for (size_t i = 0; i < st->n; i++)
			if (hn_nftnat_same_key(&st->items[i], it))
				return &w->items[i];
		return NULL;
	}
	mask = st->nslot - 1;
	for (s = (size_t)key_hash(it) & mask; st->slot[s]; s = (s + 1) & mask)
		if (hn_nftnat_same_key(&st->items[st->slot[s] - 1], it))
			return &w->items[st->slot[s] - 1];
	return NULL;
}

/**
 * hn_nftnat_find - an item of @st with the key of @it (or, with @overlap,
 * one that overlaps it)
 *
 * The key is looked up in @st's index, in constant time; an overlap is
 * looked for among the items of @it's kind, and for a forward only when
 * some forward of the same protocol and family matches one of its ports.
 *
 * Return: the item, or NULL.
 */
const struct hn_nftnat_item *hn_nftnat_find(const struct hn_nftnat_state *st,
					    const struct hn_nftnat_item *it, bool overlap)
{
	const struct hn_nftnat_item *hit;

	/* A forward meets only forwards of its ports: most finds of a bulk load end here. */
	if (it->kind == HN_NFTNAT_DNAT && !ports_taken(st, it))
		return NULL;
	hit = find_key(st, it);
	if (hit || !overlap)
		return hit;
	for (size_t i = 0; i < st->n; i++)
		if (hn_nftnat_overlaps(&st->items[i], it))
			return &st->items[i];
	return NULL;
}

/** hn_nftnat_state_add - append a copy of @it, and index it. Return: 0 or -ENOMEM. */
int hn_nftnat_state_add(struct hn_nftnat_state *st, const struct hn_nftnat_item *it)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 32;
		struct hn_nftnat_item *p = realloc(st->items, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		st->items = p;
		st->cap = cap;
		st->stale = true;	/* rebuilt larger at the next lookup */
	}
	st->items[st->n++] = *it;
	if (!st->stale && st->nslot)
		index_put(st, st->n - 1);
	st->present[it->family == AF_INET6] = true;
	if (it->kind == HN_NFTNAT_DNAT) {
		uint8_t *m = st->ports[it->family == AF_INET6][it->proto == IPPROTO_UDP];

		for (uint32_t p = it->port_lo; p <= it->port_hi; p++)
			m[p / 8] |= (uint8_t)(1u << (p % 8));
	}
	return 0;
}

/** hn_nftnat_state_del - drop the item of @it's kind with the key of @it, if there is one. */
void hn_nftnat_state_del(struct hn_nftnat_state *st, const struct hn_nftnat_item *it)
{
	struct hn_nftnat_item *x = find_key(st, it);
	size_t i;

	if (!x || x->kind != it->kind)
		return;
	i = (size_t)(x - st->items);
	memmove(&st->items[i], &st->items[i + 1], (st->n - i - 1) * sizeof(st->items[0]));
	st->n--;
	st->stale = true;	/* positions moved: rebuilt at the next lookup */
}

/** hn_nftnat_state_free - release what hn_nftnat_load() or _state_add() allocated. */
void hn_nftnat_state_free(struct hn_nftnat_state *st)
{
	free(st->items);
	free(st->slot);
	memset(st, 0, sizeof(*st));
}

/* --- rules: expressions in registers, as nft 1.0.6 emits them --- */

#define R32(n) ((uint32_t)NFT_REG32_00 + (n))

static struct nftnl_expr *expr(struct nftnl_rule *r, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (e)
		nftnl_rule_add_expr(r, e);
	return e;
}

static int e_meta(struct nftnl_rule *r, uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *e = expr(r, "meta");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, dreg);
	return 0;
}

static int e_payload(struct nftnl_rule *r, uint32_t base, uint32_t off, uint32_t len,
		     uint32_t dreg)
{
	struct nftnl_expr *e = expr(r, "payload");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	return 0;
}

static int e_lookup(struct nftnl_rule *r, const char *set, uint32_t id, uint32_t dreg)
{
	struct nftnl_expr *e = expr(r, "lookup");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, R32(0));
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, id);
	if (dreg)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, dreg);
	return 0;
}

/* ct status & dnat != 0: the connection was destination-NATed. */
static int e_ct_dnat(struct nftnl_rule *r)
{
	uint32_t mask = IPS_DST_NAT, zero = 0;
	struct nftnl_expr *ct = expr(r, "ct"), *bw = expr(r, "bitwise"), *cmp = expr(r, "cmp");

	if (!ct || !bw || !cmp)
		return -ENOMEM;
	nftnl_expr_set_u32(ct, NFTNL_EXPR_CT_KEY, NFT_CT_STATUS);
	nftnl_expr_set_u32(ct, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_LEN, sizeof(mask));
	nftnl_expr_set(bw, NFTNL_EXPR_BITWISE_MASK, &mask, sizeof(mask));
	nftnl_expr_set(bw, NFTNL_EXPR_BITWISE_XOR, &zero, sizeof(zero));
	nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_OP, NFT_CMP_NEQ);
	nftnl_expr_set(cmp, NFTNL_EXPR_CMP_DATA, &zero, sizeof(zero));
	return 0;
}

static int e_nat(struct nftnl_rule *r, uint32_t type, int family, uint32_t proto_reg)
{
	struct nftnl_expr *e = expr(r, "nat");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, type);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, (uint32_t)family);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
	if (proto_reg) {
		/* One port: min and max read the same register. */
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, proto_reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, proto_reg);
	}
	return 0;
}

/* Load one key field of the packet into register @reg (32-bit units). */
static int load_field(struct nftnl_rule *r, enum field f, int family, uint32_t reg)
{
	uint32_t n = alen(family);

	switch (f) {
	case F_SADDR:
		return e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, family == AF_INET ? 12 : 8, n, reg);
	case F_DADDR:
		return e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, family == AF_INET ? 16 : 24, n, reg);
	case F_IIF:	return e_meta(r, NFT_META_IIFNAME, reg);
	case F_OIF:	return e_meta(r, NFT_META_OIFNAME, reg);
	case F_PROTO:	return e_meta(r, NFT_META_L4PROTO, reg);
	case F_DPORT:	return e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, reg);
	default:	return -EINVAL;
	}
}

/* The set's key, field by field, into R32(0...); the hairpin key is saddr . daddr. */
static int load_key(struct nftnl_rule *r, int family, const struct setdef *sd)
{
	uint32_t reg = R32(0);
	int rc = 0;

	for (const uint8_t *f = sd->key; !rc && *f; f++) {
		enum field x = sd == &sets[S_HAIRPIN] && f != sd->key ? F_DADDR : *f;

		rc = load_field(r, x, family, reg);
		reg += (field_len(x, family) + 3) / 4;
	}
	return rc;
}

/* The set ids of one batch's tables, so rules can name sets created alongside. */
struct ids {
	uint32_t id[S_MAX];
};

enum action { A_DNAT, A_SNAT, A_MASQ, A_HAIRPIN };

/* meta l4proto == @proto */
static int e_l4proto(struct nftnl_rule *r, uint8_t proto)
{
	struct nftnl_expr *cmp;
	int rc = e_meta(r, NFT_META_L4PROTO, NFT_REG_1);

	cmp = rc ? NULL : expr(r, "cmp");
	if (!cmp)
		return -ENOMEM;
	nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(cmp, NFTNL_EXPR_CMP_DATA, &proto, sizeof(proto));
	return 0;
}

static int rule_body(struct nftnl_rule *r, int f, enum setid s, enum action a, uint8_t proto,
		     const struct ids *ids)
{
	const struct setdef *sd = &sets[s];
	bool map = sd->data[0] != F_END;
	int rc = a == A_HAIRPIN ? e_ct_dnat(r) : proto ? e_l4proto(r, proto) : 0;

	rc = rc ? rc : load_key(r, f, sd);
	rc = rc ? rc : e_lookup(r, sd->name, ids->id[s], map ? NFT_REG_1 : 0);
	if (rc)
		return rc;
	if (a == A_DNAT)
		return e_nat(r, NFT_NAT_DNAT, f, sd->data[1] == F_TOPORT ? R32(alen(f) / 4) : 0);
	if (a == A_SNAT)
		return e_nat(r, NFT_NAT_SNAT, f, 0);
	return expr(r, "masq") ? 0 : -ENOMEM;
}

static const struct chaindef {
	const char *name;
	uint32_t hook;
	int32_t prio;
} chains[] = {
	{ .name = "prerouting",  .hook = NF_INET_PRE_ROUTING,  .prio = -100 },
	{ .name = "output",      .hook = NF_INET_LOCAL_OUT,    .prio = -100 },
	{ .name = "postrouting", .hook = NF_INET_POST_ROUTING, .prio = 100 },
};

/* The fixed rules, in chain order; the hairpin rule comes before plain masquerade. */
static const struct ruledef {
	const char *chain;
	enum setid set;
	enum action action;
} rules[] = {
	{ .chain = "prerouting",  .set = S_FWD_IIF_ADDR,     .action = A_DNAT },
	{ .chain = "prerouting",  .set = S_FWD_IIF,          .action = A_DNAT },
	{ .chain = "prerouting",  .set = S_FWD_ADDR,         .action = A_DNAT },
	{ .chain = "prerouting",  .set = S_FWD,              .action = A_DNAT },
	{ .chain = "prerouting",  .set = S_DNAT_IIF,         .action = A_DNAT },
	{ .chain = "prerouting",  .set = S_DNAT_IIF_RANGE,   .action = A_DNAT },
	{ .chain = "prerouting",  .set = S_DNAT,             .action = A_DNAT },
	{ .chain = "prerouting",  .set = S_DNAT_RANGE,       .action = A_DNAT },
	{ .chain = "output",      .set = S_FWD_LOCAL_ADDR,   .action = A_DNAT },
	{ .chain = "output",      .set = S_DNAT_LOCAL,       .action = A_DNAT },
	{ .chain = "output",      .set = S_DNAT_LOCAL_RANGE, .action = A_DNAT },
	{ .chain = "postrouting", .set = S_HAIRPIN,          .action = A_HAIRPIN },
	{ .chain = "postrouting", .set = S_MASQ,             .action = A_MASQ },
	{ .chain = "postrouting", .set = S_SNAT,             .action = A_SNAT },
};

/* --- batch builders --- */

static int add_table(struct hn_nft_batch *b, int family)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, HN_NFTNAT_TABLE);
	/* EXCL: if the table appeared meanwhile, its rules exist already. */
	nlh = hn_nft_batch_msg(b, NFT_MSG_NEWTABLE, (uint16_t)family, NLM_F_CREATE | NLM_F_EXCL);
	if (nlh)
		nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return nlh ? 0 : -ENOMEM;
}

static int add_set(struct hn_nft_batch *b, int family, const struct setdef *sd, uint32_t id)
{
	struct nftnl_set *s = nftnl_set_alloc();
	uint8_t lens[sizeof(sd->key)] = { 0 };
	struct nlmsghdr *nlh;
	uint32_t n = 0, flags = sd->data[0] ? NFT_SET_MAP : 0;

	if (!s)
		return -ENOMEM;
	for (; sd->key[n]; n++)
		lens[n] = (uint8_t)field_len(sd->key[n], family);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, HN_NFTNAT_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, sd->name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, (uint32_t)family);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, concat_type(sd->key, family));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, concat_len(sd->key, family));
	if (!sd->exact) {	/* the field lengths tell pipapo where each range lies */
		nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags | NFT_SET_INTERVAL | NFT_SET_CONCAT);
		nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, lens, n);
	}
	if (sd->data[0]) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, concat_type(sd->data, family));
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, concat_len(sd->data, family));
	}
	nlh = hn_nft_batch_msg(b, NFT_MSG_NEWSET, (uint16_t)family, NLM_F_CREATE);
	if (nlh)
		nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	return nlh ? 0 : -ENOMEM;
}

static int add_chain(struct hn_nft_batch *b, int family, const struct chaindef *cd)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, HN_NFTNAT_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, cd->name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "nat");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, cd->hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, cd->prio);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = hn_nft_batch_msg(b, NFT_MSG_NEWCHAIN, (uint16_t)family, NLM_F_CREATE);
	if (nlh)
		nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return nlh ? 0 : -ENOMEM;
}

static int add_rule(struct hn_nft_batch *b, int family, const struct ruledef *rd,
		    uint8_t proto, const struct ids *ids)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh = NULL;
	int rc;

	if (!r)
		return -ENOMEM;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, HN_NFTNAT_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, rd->chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, (uint32_t)family);
	rc = rule_body(r, family, rd->set, rd->action, proto, ids);
	if (!rc)
		nlh = hn_nft_batch_msg(b, NFT_MSG_NEWRULE, (uint16_t)family,
				       NLM_F_CREATE | NLM_F_APPEND);
	if (nlh)
		nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	return rc ? rc : (nlh ? 0 : -ENOMEM);
}

/*
 * The rule of @rd; a forward that maps the port too has one rule per
 * protocol, which begins with that protocol's match: the kernel needs no
 * such match (the key holds the protocol), but nft reads "th dport" back
 * only after one, and `nft list ruleset > file; nft -f file` must work.
 */
static int add_rules(struct hn_nft_batch *b, int family, const struct ruledef *rd,
		     const struct ids *ids)
{
	int rc;

	if (sets[rd->set].data[1] != F_TOPORT)
		return add_rule(b, family, rd, 0, ids);
	rc = add_rule(b, family, rd, IPPROTO_TCP, ids);
	return rc ? rc : add_rule(b, family, rd, IPPROTO_UDP, ids);
}

/**
 * hn_nftnat_build_tables - append the whole table of @family: table (EXCL),
 * the sets and maps, the three NAT base chains and their fixed rules
 * @family: AF_INET (table ip hostnet) or AF_INET6 (table ip6 hostnet)
 *
 * Add it to a batch only when the table does not exist yet; if it appears
 * in between, the batch fails with -EEXIST and nothing is duplicated.
 *
 * Return: 0, -EAFNOSUPPORT, -ENOMEM.
 */
int hn_nftnat_build_tables(struct hn_nft_batch *b, int family)
{
	struct ids ids;
	int rc;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	rc = add_table(b, family);
	for (size_t k = 0; !rc && k < S_MAX; k++) {
		ids.id[k] = ++b->set_id;
		rc = add_set(b, family, &sets[k], ids.id[k]);
	}
	for (size_t i = 0; !rc && i < sizeof(chains) / sizeof(chains[0]); i++)
		rc = add_chain(b, family, &chains[i]);
	for (size_t i = 0; !rc && i < sizeof(rules) / sizeof(rules[0]); i++)
		rc = add_rules(b, family, &rules[i], &ids);
	return rc;
}

static int elem_msg(struct hn_nft_batch *b, int family, const struct hn_nftnat_elem *e,
		    uint16_t type, uint16_t flags)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();
	struct nlmsghdr *nlh = NULL;

	if (s && el) {
		nftnl_set_set_str(s, NFTNL_SET_TABLE, HN_NFTNAT_TABLE);
		nftnl_set_set_str(s, NFTNL_SET_NAME, e->set);
		nftnl_set_set_u32(s, NFTNL_SET_FAMILY, (uint32_t)family);
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, e->key, e->key_len);
		if (e->interval)
			nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY_END, e->key_end, e->key_len);
		if (e->data_len && type == NFT_MSG_NEWSETELEM)
			nftnl_set_elem_set(el, NFTNL_SET_ELEM_DATA, e->data, e->data_len);
		nftnl_set_elem_add(s, el);
		el = NULL;
		nlh = hn_nft_batch_msg(b, type, (uint16_t)family, flags);
		if (nlh)
			nftnl_set_elems_nlmsg_build_payload(nlh, s);
	}
	if (el)			/* not handed to the set (nftnl_*_free take no NULL) */
		nftnl_set_elem_free(el);
	if (s)
		nftnl_set_free(s);
	return nlh ? 0 : -ENOMEM;
}

static int elem_msgs(struct hn_nft_batch *b, const struct hn_nftnat_item *it,
		     uint16_t type, uint16_t flags)
{
	struct hn_nftnat_elem e;
	int rc = hn_nftnat_encode(it, false, &e);

	rc = rc ? rc : elem_msg(b, it->family, &e, type, flags);
	if (rc || !it->local)
		return rc;
	rc = hn_nftnat_encode(it, true, &e);
	return rc ? rc : elem_msg(b, it->family, &e, type, flags);
}

/**
 * hn_nftnat_build_add - append the element(s) for @it (two for a local forward)
 *
 * NLM_F_EXCL: the kernel refuses an element whose key exists (-EEXIST).
 *
 * Return: 0, or as hn_nftnat_encode(), -ENOMEM.
 */
int hn_nftnat_build_add(struct hn_nft_batch *b, const struct hn_nftnat_item *it)
{
	return elem_msgs(b, it, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL);
}

/**
 * hn_nftnat_build_del - append the deletion of @it's element(s), by key
 *
 * Return: 0, or as hn_nftnat_encode(), -ENOMEM.
 */
int hn_nftnat_build_del(struct hn_nft_batch *b, const struct hn_nftnat_item *it)
{
	return elem_msgs(b, it, NFT_MSG_DELSETELEM, 0);
}

/**
 * hn_nftnat_build_flush - append the deletion of natctl's table of @family
 * (with its chains, rules, sets and elements; nothing else is touched)
 *
 * Return: 0, -EAFNOSUPPORT, -ENOMEM.
 */
int hn_nftnat_build_flush(struct hn_nft_batch *b, int family)
{
	struct nftnl_table *t;
	struct nlmsghdr *nlh;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	t = nftnl_table_alloc();
	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, HN_NFTNAT_TABLE);
	nlh = hn_nft_batch_msg(b, NFT_MSG_DELTABLE, (uint16_t)family, 0);
	if (nlh)
		nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return nlh ? 0 : -ENOMEM;
}

/* --- reading natctl's tables back --- */

static int table_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return MNL_CB_OK;
}

/* 1 if our table of @family exists, 0 if not, or -errno. */
static int table_exists(struct hn_ctx *ctx, int family)
{
	char buf[HN_NFT_BUF];
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	int rc;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, HN_NFTNAT_TABLE);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, (uint16_t)family, 0, 0);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	rc = hn_nft_query(ctx, nlh, table_cb, NULL);
	return rc == -ENOENT ? 0 : (rc ? rc : 1);
}

static int elems_cb(const struct nlmsghdr *nlh, void *arg)
{
	return nftnl_set_elems_nlmsg_parse(nlh, arg) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

static int copy_attr(struct nftnl_set_elem *el, uint16_t attr, uint8_t *to, uint32_t max,
		     uint32_t *len)
{
	uint32_t n = 0;
	const void *p = nftnl_set_elem_is_set(el, attr) ? nftnl_set_elem_get(el, attr, &n) : NULL;

	if (!p || n > max)
		return -EBADMSG;
	memcpy(to, p, n);
	*len = n;
	return 0;
}

/* The forward an output-hook element copies: same match but for the interface, same target. */
static struct hn_nftnat_item *local_twin(struct hn_nftnat_state *st, const struct hn_nftnat_item *l)
{
	for (size_t i = 0; i < st->n; i++) {
		struct hn_nftnat_item *x = &st->items[i];

		if (x->kind == HN_NFTNAT_DNAT && !x->local && x->family == l->family &&
		    x->proto == l->proto && x->port_lo == l->port_lo && x->port_hi == l->port_hi &&
		    !memcmp(&x->dst, &l->dst, sizeof(x->dst)) && !memcmp(&x->to, &l->to, sizeof(x->to)) &&
		    x->to_lo == l->to_lo && x->to_hi == l->to_hi)
			return x;
	}
	return NULL;
}

/* Each element of @s into the state; output-hook elements mark their forward local. */
static int take_elems(struct hn_nftnat_state *st, struct nftnl_set *s, int family,
		      const char *name)
{
	struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
	struct nftnl_set_elem *el;
	struct hn_nftnat_elem e = { .set = name };
	struct hn_nftnat_item item, *seen;
	uint32_t kl = 0, dl = 0;
	int rc = it ? 0 : -ENOMEM;

	while (!rc && it && (el = nftnl_set_elems_iter_next(it))) {
		rc = copy_attr(el, NFTNL_SET_ELEM_KEY, e.key, HN_NFTNAT_KEY_MAX, &e.key_len);
		e.interval = nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_KEY_END);
		if (!rc && e.interval)
			rc = copy_attr(el, NFTNL_SET_ELEM_KEY_END, e.key_end, HN_NFTNAT_KEY_MAX, &kl);
		if (!rc && e.interval && kl != e.key_len)
			rc = -EBADMSG;
		dl = 0;
		if (!rc && nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_DATA))
			rc = copy_attr(el, NFTNL_SET_ELEM_DATA, e.data, HN_NFTNAT_DATA_MAX, &dl);
		e.data_len = dl;
		rc = rc ? rc : hn_nftnat_decode(family, &e, &item);
		if (rc == -EBADMSG) {
			st->bad++;	/* not natctl's writing: left alone, counted */
			rc = 0;
			continue;
		}
		if (rc)
			break;
		seen = item.local ? local_twin(st, &item) : NULL;
		if (seen)
			seen->local = true;
		else
			rc = hn_nftnat_state_add(st, &item);
	}
	nftnl_set_elems_iter_destroy(it);
	return rc;
}

/*
 * The elements of set @name into @st: all of them (@key NULL: a dump), or
 * the one the kernel finds for the key @key (exact in a hash map, the
 * element whose intervals hold it in an interval map).
 */
static int load_set(struct hn_ctx *ctx, struct hn_nftnat_state *st, int family, const char *name,
		    const struct hn_nftnat_elem *key)
{
	char buf[HN_NFT_BUF];
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *el = key ? nftnl_set_elem_alloc() : NULL;
	struct nlmsghdr *nlh;
	int rc;

	if (!s || (key && !el)) {
		if (s)
			nftnl_set_free(s);
		return -ENOMEM;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, HN_NFTNAT_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	if (el) {
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key->key, key->key_len);
		nftnl_set_elem_add(s, el);
	}
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, (uint16_t)family,
				    key ? 0 : NLM_F_DUMP, 0);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	if (el) {		/* the reply is parsed into a set of its own */
		nftnl_set_free(s);
		s = nftnl_set_alloc();
		if (!s)
			return -ENOMEM;
	}
	rc = hn_nft_query(ctx, nlh, elems_cb, s);
	if (!rc)
		rc = take_elems(st, s, family, name);
	else if (rc == -ENOENT)
		rc = 0;		/* no such element; or an older layout: flush works, adds fail */
	nftnl_set_free(s);
	return rc;
}

/* Whether our table of @family exists, asked once per state. */
static int check_table(struct hn_ctx *ctx, struct hn_nftnat_state *st, int family)
{
	int f = family == AF_INET6, rc;

	if (st->known[f])
		return 0;
	rc = table_exists(ctx, family);
	if (rc < 0)
		return rc;
	st->known[f] = true;
	st->present[f] = rc > 0;
	return 0;
}

/* Every element of set @k, once per state. */
static int dump_set(struct hn_ctx *ctx, struct hn_nftnat_state *st, int family, enum setid k)
{
	uint32_t *done = &st->dumped[family == AF_INET6];
	int rc;

	if (*done & (1u << k))
		return 0;
	rc = load_set(ctx, st, family, sets[k].name, NULL);
	if (!rc)
		*done |= 1u << k;
	return rc;
}

static int load_family(struct hn_ctx *ctx, struct hn_nftnat_state *st, int family)
{
	int rc = check_table(ctx, st, family);

	for (size_t k = 0; k < S_MAX && !rc && st->present[family == AF_INET6]; k++)
		rc = dump_set(ctx, st, family, (enum setid)k);
	return rc;
}

static bool has_field(const struct setdef *sd, enum field f)
{
	return memchr(sd->key, f, sizeof(sd->key)) != NULL;
}

/*
 * The key of set @sd that a packet of forward @it to port @port carries,
 * when that is one value: @it names the set's interface (if it has that
 * field) and one destination address (if it has that one); no address
 * stands for any (0.0.0.0/0 in an interval map) when @any is set. Return:
 * true and the key in @e, or false when only a look at every element will do.
 */
static bool point_key(const struct setdef *sd, const struct hn_nftnat_item *it, uint16_t port,
		      bool any, struct hn_nftnat_elem *e)
{
	struct hn_nftnat_item x = *it;
	struct cursor k = { .a = e->key, .max = HN_NFTNAT_KEY_MAX };
	int rc = 0;

	if ((has_field(sd, F_IIF) && !it->iif[0]) ||
	    (has_field(sd, F_DADDR) && it->dst.len != alen(it->family) * 8 &&
	     !(any && !it->dst.len)))
		return false;
	x.port_lo = x.port_hi = port;
	memset(e, 0, sizeof(*e));
	for (const uint8_t *f = sd->key; !rc && *f; f++)
		rc = put_field(&k, *f, &x);
	e->key_len = k.off;
	return rc == 0;
}

/* The sets in which an item that clashes with @it could be. */
static bool may_clash(const struct setdef *sd, const struct hn_nftnat_item *it)
{
	if (sd->output)			/* copies: their forward is in a prerouting map */
		return false;
	if (it->kind == HN_NFTNAT_DNAT)
		return sd->kind == HN_NFTNAT_DNAT;
	return sd->kind == it->kind || (is_src_kind(sd->kind) && is_src_kind(it->kind));
}

/* The sets in which the item with the key of @it, or its output-hook copy, could be. */
static bool may_hold(const struct setdef *sd, const struct hn_nftnat_item *it)
{
	struct hn_nftnat_item x = *it;

	if (it->kind != HN_NFTNAT_DNAT || sd->kind != it->kind)
		return sd->kind == it->kind;
	if (sd->output && !it->dst.len)
		return false;		/* a local forward names its address */
	x.to_lo = x.to_hi = 0;		/* the set of a one-port target ... */
	if (sd == setdef_of(&x, sd->output))
		return true;
	x.to_lo = x.port_lo;		/* ... or of a range keeping its ports */
	x.to_hi = x.port_hi;
	return sd == setdef_of(&x, sd->output);
}

/**
 * hn_nftnat_load_for - read what natctl's tables hold that could clash
 * with adding @it (@del false: the element a packet of @it would hit,
 * looked up by key, in each map where that key is one value; every
 * element of the others), or the item with the key of @it and its
 * output-hook copy (@del true), once per @st
 * @st: zeroed before the first call; free with hn_nftnat_state_free()
 *
 * Then hn_nftnat_find(@st, @it, !@del) answers as after hn_nftnat_load(),
 * and present[] says whether the table of @it's family exists. A forward
 * that names its interface, address and one port is added with point
 * lookups only, and any forward is deleted so, so that their cost does not
 * grow with the number of forwards.
 *
 * Return: 0, or as hn_nftnat_load().
 */
int hn_nftnat_load_for(struct hn_ctx *ctx, struct hn_nftnat_state *st,
		       const struct hn_nftnat_item *it, bool del)
{
	int f = it->family == AF_INET6, rc = check_table(ctx, st, it->family);
	struct hn_nftnat_elem e;

	for (size_t k = 0; k < S_MAX && !rc && st->present[f]; k++) {
		const struct setdef *sd = &sets[k];

		if ((st->dumped[f] & (1u << k)) || !(del ? may_hold(sd, it) : may_clash(sd, it)))
			continue;
		if (sd->output && !hn_nftnat_find(st, it, false))
			continue;	/* a copy is read only to mark the forward found local */
		if (it->kind == HN_NFTNAT_DNAT && (del || it->port_lo == it->port_hi) &&
		    point_key(sd, it, it->port_lo, del, &e))
			rc = load_set(ctx, st, it->family, sd->name, &e);
		else
			rc = dump_set(ctx, st, it->family, (enum setid)k);
	}
	return rc ? hn_ctx_fail(ctx, rc, "nftables table " HN_NFTNAT_TABLE) : 0;
}

/**
 * hn_nftnat_load - read what natctl's tables hold, both families
 * @st: filled; free with hn_nftnat_state_free() (also after a failure)
 *
 * A missing table is no error: present[] says which exist.
 *
 * Return: 0, -EBADMSG (an element natctl would not have written), or
 * the kernel's -errno. A set missing from an existing table reads as empty.
 */
int hn_nftnat_load(struct hn_ctx *ctx, struct hn_nftnat_state *st)
{
	int rc;

	memset(st, 0, sizeof(*st));
	rc = load_family(ctx, st, AF_INET);
	if (!rc)
		rc = load_family(ctx, st, AF_INET6);
	return rc ? hn_ctx_fail(ctx, rc, "nftables table " HN_NFTNAT_TABLE) : 0;
}

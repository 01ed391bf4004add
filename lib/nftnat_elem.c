/* nftnat_elem.c - an item as a set element and back: the bytes of keys, interval ends and map data. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "nft.h"
#include "nftnat_int.h"
#include "nl.h"

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
	uint32_t n = nftnat_alen(family);

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
	uint32_t n = nftnat_alen(family), len = 0;
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
	return put(c, a->u.bytes, a->u.bytes, nftnat_alen(family));
}

static int get_addr(struct cursor *c, struct hn_addr *a, int family)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	return get(c, a->u.bytes, NULL, nftnat_alen(family));
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
	const struct setdef *sd = nftnat_setdef_of(it, output);
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
	const struct setdef *sd = nftnat_setdef_named(e->set);
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
bool nftnat_point_key(const struct setdef *sd, const struct hn_nftnat_item *it, uint16_t port,
		      bool any, struct hn_nftnat_elem *e)
{
	struct hn_nftnat_item x = *it;
	struct cursor k = { .a = e->key, .max = HN_NFTNAT_KEY_MAX };
	int rc = 0;

	if ((has_field(sd, F_IIF) && !it->iif[0]) ||
	    (has_field(sd, F_DADDR) && it->dst.len != nftnat_alen(it->family) * 8 &&
	     !(any && !it->dst.len)))
		return false;
	x.port_lo = x.port_hi = port;
	memset(e, 0, sizeof(*e));
	for (const uint8_t *f = sd->key; !rc && *f; f++)
		rc = put_field(&k, *f, &x);
	e->key_len = k.off;
	return rc == 0;
}

/* nftnat_state.c - the key and overlap rules of items, and the loaded state with its index by key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "nft.h"
#include "nftnat_int.h"
#include "nl.h"
#include "vec.h"

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
	if (nftnat_is_src_kind(a->kind) && nftnat_is_src_kind(b->kind))
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
	if (nftnat_is_src_kind(a->kind) && nftnat_is_src_kind(b->kind))
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

/* One 64-bit word into @h (multiply and fold: cheap, and enough for a table index). */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* An address's 16 bytes and a prefix length. */
static uint64_t mix_prefix(uint64_t h, const struct hn_prefix *p)
{
	uint64_t w[2];

	memcpy(w, p->addr.u.bytes, sizeof(w));
	return mix(mix(mix(h, w[0]), w[1]), p->len);
}

/* An interface name (NUL-padded to IFNAMSIZ in an item). */
static uint64_t mix_name(uint64_t h, const char *name)
{
	uint64_t w[2] = { 0, 0 };

	memcpy(w, name, strnlen(name, IFNAMSIZ));
	return mix(mix(h, w[0]), w[1]);
}

/* A hash of what hn_nftnat_same_key() compares, and nothing else. */
static uint64_t key_hash(const struct hn_nftnat_item *it)
{
	int cls = nftnat_is_src_kind(it->kind) ? HN_NFTNAT_MASQ : (int)it->kind;
	uint64_t h = mix((uint64_t)it->family, (uint64_t)cls);

	if (it->kind != HN_NFTNAT_DNAT) {
		h = mix_prefix(h, &it->src);
		return cls == HN_NFTNAT_MASQ ? mix_name(h, it->oif) : h;
	}
	h = mix(h, (uint64_t)it->proto << 32 | (uint64_t)it->port_lo << 16 | it->port_hi);
	return mix_name(mix_prefix(h, &it->dst), it->iif);
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
	size_t cap = st->cap;
	struct hn_nftnat_item *slot = HN_VEC_PUSH(st->items, st->n, st->cap);

	if (!slot)
		return -ENOMEM;
	if (st->cap != cap)
		st->stale = true;	/* rebuilt larger at the next lookup */
	*slot = *it;
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


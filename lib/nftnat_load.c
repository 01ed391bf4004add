/* nftnat_load.c - natctl's tables read back from the kernel: whole, or only what one change could clash with. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
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
#include "nftnat_int.h"
#include "nl.h"

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
	rc = load_set(ctx, st, family, nftnat_sets[k].name, NULL);
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



/* The sets in which an item that clashes with @it could be. */
static bool may_clash(const struct setdef *sd, const struct hn_nftnat_item *it)
{
	if (sd->output)			/* copies: their forward is in a prerouting map */
		return false;
	if (it->kind == HN_NFTNAT_DNAT)
		return sd->kind == HN_NFTNAT_DNAT;
	return sd->kind == it->kind || (nftnat_is_src_kind(sd->kind) && nftnat_is_src_kind(it->kind));
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
	if (sd == nftnat_setdef_of(&x, sd->output))
		return true;
	x.to_lo = x.port_lo;		/* ... or of a range keeping its ports */
	x.to_hi = x.port_hi;
	return sd == nftnat_setdef_of(&x, sd->output);
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
		const struct setdef *sd = &nftnat_sets[k];

		if ((st->dumped[f] & (1u << k)) || !(del ? may_hold(sd, it) : may_clash(sd, it)))
			continue;
		if (sd->output && !hn_nftnat_find(st, it, false))
			continue;	/* a copy is read only to mark the forward found local */
		if (it->kind == HN_NFTNAT_DNAT && (del || it->port_lo == it->port_hi) &&
		    nftnat_point_key(sd, it, it->port_lo, del, &e))
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


/* nftnat_rules.c - the fixed tables, chains and rules as nf_tables messages, and the element add/del/flush messages. */
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
	uint32_t n = nftnat_alen(family);

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
		enum field x = sd == &nftnat_sets[S_HAIRPIN] && f != sd->key ? F_DADDR : *f;

		rc = load_field(r, x, family, reg);
		reg += (nftnat_field_len(x, family) + 3) / 4;
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
	const struct setdef *sd = &nftnat_sets[s];
	bool map = sd->data[0] != F_END;
	int rc = a == A_HAIRPIN ? e_ct_dnat(r) : proto ? e_l4proto(r, proto) : 0;

	rc = rc ? rc : load_key(r, f, sd);
	rc = rc ? rc : e_lookup(r, sd->name, ids->id[s], map ? NFT_REG_1 : 0);
	if (rc)
		return rc;
	if (a == A_DNAT)
		return e_nat(r, NFT_NAT_DNAT, f, sd->data[1] == F_TOPORT ? R32(nftnat_alen(f) / 4) : 0);
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
		lens[n] = (uint8_t)nftnat_field_len(sd->key[n], family);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, HN_NFTNAT_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, sd->name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, (uint32_t)family);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, nftnat_concat_type(sd->key, family));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, nftnat_concat_len(sd->key, family));
	if (!sd->exact) {	/* the field lengths tell pipapo where each range lies */
		nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags | NFT_SET_INTERVAL | NFT_SET_CONCAT);
		nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, lens, n);
	}
	if (sd->data[0]) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, nftnat_concat_type(sd->data, family));
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, nftnat_concat_len(sd->data, family));
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

	if (nftnat_sets[rd->set].data[1] != F_TOPORT)
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
		rc = add_set(b, family, &nftnat_sets[k], ids.id[k]);
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


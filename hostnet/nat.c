/* nat.c - the NAT part of a plan and of apply: natctl's nftables tables, one transaction. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "plan.h"
#include "undo.h"

static const char *ip(const struct hn_addr *a, char *buf)
{
	return inet_ntop(a->family, a->u.bytes, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

static void ports(char *buf, size_t len, uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		snprintf(buf, len, "%u", lo);
	else
		snprintf(buf, len, "%u-%u", lo, hi);
}

/**
 * plan_nat_words - a NAT item in the config file's words (as the state file keeps it)
 *
 * Return: the length written, as snprintf().
 */
int plan_nat_words(const struct conf_nat *x, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], in[32] = "", dst[64] = "", p1[16], p2[16];

	if (x->kind == CONF_MASQ)
		return snprintf(buf, len, "masquerade %s/%u out %s", ip(&x->src.addr, a),
				x->src.len, x->oif);
	if (x->kind == CONF_SNAT)
		return snprintf(buf, len, "snat %s/%u out %s to %s", ip(&x->src.addr, a),
				x->src.len, x->oif, ip(&x->to, b));
	if (x->iif[0])
		snprintf(in, sizeof(in), "in %s ", x->iif);
	if (x->dst.addr.family)
		snprintf(dst, sizeof(dst), "dst %s/%u ", ip(&x->dst.addr, a), x->dst.len);
	ports(p1, sizeof(p1), x->port_lo, x->port_hi);
	ports(p2, sizeof(p2), x->to_lo, x->to_hi);
	return snprintf(buf, len, "dnat %s%s%s %s to %s port %s", in, dst,
			x->proto == IPPROTO_TCP ? "tcp" : "udp", p1, ip(&x->to, b), p2);
}

/* Not yet: the NAT lines are checked but not applied until lib/nft lands. */
int plan_nat(void *pl)
{
	(void)pl;
	return 0;
}

/* Not yet: nothing to send. */
int exec_nat(struct hn_ctx *ctx, const struct conf *c, struct act *v, size_t n,
	     struct recs *journal)
{
	(void)ctx, (void)c, (void)v, (void)n, (void)journal;
	return 0;
}

/* Not yet: nothing recorded. */
int undo_nat(struct hn_ctx *ctx, const struct recs *r)
{
	(void)ctx, (void)r;
	return 0;
}

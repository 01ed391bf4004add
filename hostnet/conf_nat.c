/* conf_nat.c - the masquerade, snat, forward and hairpin lines: natctl's add commands, without "add". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "conf.h"

static const char *const nat_usage[] = {
	[HN_NFTNAT_MASQ] = "masquerade: expected PREFIX out INTERFACE",
	[HN_NFTNAT_SNAT] = "snat: expected PREFIX out INTERFACE to ADDRESS",
	[HN_NFTNAT_DNAT] = "forward: expected tcp|udp PORT[-PORT] [in INTERFACE] [dst ADDRESS] "
			   "to ADDRESS [port PORT[-PORT]] [local]",
	[HN_NFTNAT_HAIRPIN] = "hairpin: expected PREFIX",
};

static int ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16], *dash;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (hn_parse_u16(buf, lo) < 0 || *lo == 0)
		return -1;
	*hi = *lo;
	if (dash && (hn_parse_u16(dash, hi) < 0 || *hi < *lo))
		return -1;
	return 0;
}

static int src_prefix(struct conf *c, int line, struct hn_nftnat_item *x, const char *s)
{
	if (hn_parse_prefix(s, AF_UNSPEC, false, &x->src) < 0 || !hn_prefix_is_network(&x->src))
		return conf_error(c, line, "%s \"%s\": not a network prefix",
				  hn_nftnat_kind_name(x->kind), s), -1;
	x->family = x->src.addr.family;
	return 0;
}

/* PREFIX out IF [to ADDR]: the masquerade and snat shapes; PREFIX alone: hairpin. */
static int parse_src(struct conf *c, int line, struct hn_nftnat_item *x, int n, char **tok)
{
	int want = x->kind == HN_NFTNAT_SNAT ? 5 : x->kind == HN_NFTNAT_MASQ ? 3 : 1;

	if (n != want || (want > 1 && strcmp(tok[1], "out")) || (want == 5 && strcmp(tok[3], "to")))
		return conf_error(c, line, "%s", nat_usage[x->kind]), -1;
	if (src_prefix(c, line, x, tok[0]) < 0)
		return -1;
	if (want > 1 && hn_parse_ifname(tok[2], 0, NULL) < 0)
		return conf_error(c, line, "%s: out \"%s\": not an interface name",
				  hn_nftnat_kind_name(x->kind), tok[2]), -1;
	if (want > 1)
		strcpy(x->oif, tok[2]);
	if (want == 5 && hn_parse_addr(tok[4], x->family, &x->to) < 0)
		return conf_error(c, line, "snat: to \"%s\": not an address of the prefix's family",
				  tok[4]), -1;
	return 0;
}

/* The optional words of a forward: in IF, dst ADDR, port PORTS, local. */
static int forward_opt(struct conf *c, int line, struct hn_nftnat_item *x, char **tok, int *i,
		       int n)
{
	const char *k = tok[*i], *v = *i + 1 < n ? tok[*i + 1] : NULL;

	if (!strcmp(k, "local") && !x->local)
		return x->local = true, (*i)++, 0;
	if (!v)
		return conf_error(c, line, "%s", nat_usage[HN_NFTNAT_DNAT]), -1;
	*i += 2;
	if (!strcmp(k, "in") && !x->iif[0] && hn_parse_ifname(v, 0, NULL) == 0)
		return strcpy(x->iif, v), 0;
	if (!strcmp(k, "dst") && !x->dst.addr.family &&
	    hn_parse_prefix(v, AF_UNSPEC, false, &x->dst) == 0)
		return 0;
	if (!strcmp(k, "to") && !x->to.family && hn_parse_addr(v, AF_UNSPEC, &x->to) == 0)
		return 0;
	if (!strcmp(k, "port") && !x->to_lo && ports(v, &x->to_lo, &x->to_hi) == 0)
		return 0;
	return conf_error(c, line, "forward: bad or repeated \"%s %s\"", k, v), -1;
}

static int parse_forward(struct conf *c, int line, struct hn_nftnat_item *x, int n, char **tok)
{
	int i = 2;

	if (n < 4 || (strcmp(tok[0], "tcp") && strcmp(tok[0], "udp")))
		return conf_error(c, line, "%s", nat_usage[HN_NFTNAT_DNAT]), -1;
	x->proto = strcmp(tok[0], "tcp") ? IPPROTO_UDP : IPPROTO_TCP;
	if (ports(tok[1], &x->port_lo, &x->port_hi) < 0)
		return conf_error(c, line, "forward: port \"%s\": expected 1..65535 or LOW-HIGH",
				  tok[1]), -1;
	while (i < n)
		if (forward_opt(c, line, x, tok, &i, n) < 0)
			return -1;
	if (!x->to.family)
		return conf_error(c, line, "forward: missing \"to ADDRESS\""), -1;
	x->family = x->to.family;
	if (x->dst.addr.family && x->dst.addr.family != x->family)
		return conf_error(c, line, "forward: dst and to are of different families"), -1;
	if (x->local && !x->dst.addr.family)
		return conf_error(c, line, "forward: local needs dst"), -1;
	if (!x->to_lo)
		x->to_lo = x->port_lo, x->to_hi = x->port_hi;
	if (x->to_lo != x->to_hi && (x->to_lo != x->port_lo || x->to_hi != x->port_hi))
		return conf_error(c, line, "forward: port %u-%u: a range forwards to the same ports or to "
				  "one port", x->to_lo, x->to_hi), -1;
	return 0;
}

/**
 * conf_parse_nat - parse the words after masquerade, snat, forward or hairpin into a new item
 *
 * Return: 0 or -1 (error recorded in @c), -ENOMEM.
 */
int conf_parse_nat(struct conf *c, int line, enum hn_nftnat_kind kind, int n, char **tok)
{
	struct conf_nat *x, *arr;
	int rc;

	if (c->nnats == c->cnats) {
		size_t cap = c->cnats ? c->cnats * 2 : 16;

		arr = realloc(c->nats, cap * sizeof(*arr));
		if (!arr)
			return -ENOMEM;
		c->nats = arr;
		c->cnats = cap;
	}
	x = &c->nats[c->nnats];
	memset(x, 0, sizeof(*x));
	x->line = line;
	x->it.kind = kind;
	rc = kind == HN_NFTNAT_DNAT ? parse_forward(c, line, &x->it, n, tok)
		: parse_src(c, line, &x->it, n, tok);
	if (!rc)
		c->nnats++;
	return rc;
}

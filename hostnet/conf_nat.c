/* conf_nat.c - the masquerade, snat and dnat lines of hostnet.conf, in natctl's words. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "conf.h"

static const char *const nat_usage[] = {
	[CONF_MASQ] = "masquerade: expected SOURCE/PREFIX out INTERFACE",
	[CONF_SNAT] = "snat: expected SOURCE/PREFIX out INTERFACE to ADDRESS",
	[CONF_DNAT] = "dnat: expected [in INTERFACE] [dst ADDRESS] tcp|udp PORT[-PORT] "
		      "to ADDRESS [port PORT[-PORT]]",
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

/* SOURCE out IF [to ADDR]: the masquerade and snat shapes. */
static int parse_src(struct conf *c, int line, struct conf_nat *x, int n, char **tok)
{
	int want = x->kind == CONF_SNAT ? 5 : 3;

	if (n != want || strcmp(tok[1], "out") || (want == 5 && strcmp(tok[3], "to")))
		return conf_error(c, line, "%s", nat_usage[x->kind]), -1;
	if (hn_parse_prefix(tok[0], AF_UNSPEC, false, &x->src) < 0 ||
	    !hn_prefix_is_network(&x->src))
		return conf_error(c, line, "\"%s\": not a network prefix", tok[0]), -1;
	if (hn_parse_ifname(tok[2], 0, NULL) < 0)
		return conf_error(c, line, "\"%s\": not an interface name", tok[2]), -1;
	strcpy(x->oif, tok[2]);
	x->family = x->src.addr.family;
	if (want == 5 && hn_parse_addr(tok[4], x->family, &x->to) < 0)
		return conf_error(c, line, "\"%s\": not an address of the source's family",
				  tok[4]), -1;
	return 0;
}

static int dnat_match(struct conf *c, int line, struct conf_nat *x, char **tok, int *i, int n)
{
	if (*i + 1 < n && !strcmp(tok[*i], "in")) {
		if (hn_parse_ifname(tok[*i + 1], 0, NULL) < 0)
			return conf_error(c, line, "\"%s\": not an interface name", tok[*i + 1]), -1;
		strcpy(x->iif, tok[*i + 1]);
		*i += 2;
	}
	if (*i + 1 < n && !strcmp(tok[*i], "dst")) {
		if (hn_parse_prefix(tok[*i + 1], AF_UNSPEC, false, &x->dst) < 0)
			return conf_error(c, line, "\"%s\": not an address", tok[*i + 1]), -1;
		x->family = x->dst.addr.family;
		*i += 2;
	}
	if (*i + 1 >= n || (strcmp(tok[*i], "tcp") && strcmp(tok[*i], "udp")))
		return conf_error(c, line, "%s", nat_usage[CONF_DNAT]), -1;
	x->proto = strcmp(tok[*i], "tcp") ? IPPROTO_UDP : IPPROTO_TCP;
	if (ports(tok[*i + 1], &x->port_lo, &x->port_hi) < 0)
		return conf_error(c, line, "port \"%s\": expected 1..65535 or LOW-HIGH",
				  tok[*i + 1]), -1;
	*i += 2;
	return 0;
}

static int parse_dnat(struct conf *c, int line, struct conf_nat *x, int n, char **tok)
{
	int i = 0;

	if (dnat_match(c, line, x, tok, &i, n) < 0)
		return -1;
	if (i + 1 >= n || strcmp(tok[i], "to") || (i + 2 != n && i + 4 != n) ||
	    (i + 4 == n && strcmp(tok[i + 2], "port")))
		return conf_error(c, line, "%s", nat_usage[CONF_DNAT]), -1;
	if (hn_parse_addr(tok[i + 1], x->family ? x->family : AF_UNSPEC, &x->to) < 0)
		return conf_error(c, line, "\"%s\": not an address%s", tok[i + 1],
				  x->family ? " of the dst's family" : ""), -1;
	x->family = x->to.family;
	x->to_lo = x->port_lo;
	x->to_hi = x->port_hi;
	if (i + 4 == n && ports(tok[i + 3], &x->to_lo, &x->to_hi) < 0)
		return conf_error(c, line, "port \"%s\": expected 1..65535 or LOW-HIGH",
				  tok[i + 3]), -1;
	if (x->to_hi - x->to_lo != x->port_hi - x->port_lo && x->to_lo != x->to_hi)
		return conf_error(c, line, "port range %u-%u does not match %u-%u",
				  x->to_lo, x->to_hi, x->port_lo, x->port_hi), -1;
	return 0;
}

/**
 * conf_parse_nat - parse the words after masquerade, snat or dnat into a new item
 *
 * Return: 0 or -1 (error recorded in @c), -ENOMEM.
 */
int conf_parse_nat(struct conf *c, int line, enum conf_nat_kind kind, int n, char **tok)
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
	x->kind = kind;
	rc = kind == CONF_DNAT ? parse_dnat(c, line, x, n, tok) : parse_src(c, line, x, n, tok);
	if (!rc)
		c->nnats++;
	return rc;
}

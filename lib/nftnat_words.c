/* nftnat_words.c - the one NAT grammar: words to an item (natctl argv and batch, hostnet.conf, hostnet state) and back. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "nftnat.h"
#include "words.h"

#define MAX_WORDS 16

/* Each kind's arguments after "KIND add" (the line hostnet.conf and list print). */
static const char *const add_usage[] = {
	[HN_NFTNAT_MASQ] = "PREFIX out IFACE",
	[HN_NFTNAT_SNAT] = "PREFIX out IFACE to ADDR",
	[HN_NFTNAT_DNAT] = "tcp|udp PORT[-PORT] [in IFACE] [dst ADDR[/LEN]] to ADDR "
			   "[port PORT[-PORT]] [local]",
	[HN_NFTNAT_HAIRPIN] = "PREFIX",
};

/* The argument being parsed and where to say what is wrong with it. */
struct words {
	enum hn_nftnat_kind kind;
	bool del;
	int argc;
	char *const *argv;
	struct hn_nftnat_item *it;
	char *why;
	size_t len;
};

static int __attribute__((format(printf, 3, 4))) bad(struct words *w, const char *arg,
						     const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->why && arg)
		snprintf(w->why, w->len, "'%s': %s", arg, msg);
	else if (w->why)
		snprintf(w->why, w->len, "%s", msg);
	return -EINVAL;
}

static int get_ifname(struct words *w, const char *s, char dst[IFNAMSIZ])
{
	const char *why;

	if (hn_parse_ifname(s, 0, &why))
		return bad(w, s, "%s", why);
	strcpy(dst, s);
	return 0;
}

static int get_addr(struct words *w, const char *s, int family, struct hn_addr *a)
{
	int rc = hn_parse_addr(s, family, a);

	if (rc)
		return bad(w, s, "%s", rc == -EAFNOSUPPORT ? "wrong address family here"
							   : "not an IP address");
	return 0;
}

/* ADDR/LEN, or a bare ADDR for one host; no host bits. */
static int get_prefix(struct words *w, const char *s, struct hn_prefix *p)
{
	int rc = hn_parse_prefix(s, AF_UNSPEC, false, p);

	if (rc == -ERANGE)
		return bad(w, s, "prefix length too long");
	if (rc)
		return bad(w, s, "not an address or prefix (ADDR/LEN)");
	if (!hn_prefix_is_network(p))
		return bad(w, s, "host bits set (give the network address)");
	return 0;
}

/* dst: a prefix as above, but not /0 (leave dst out for any address). */
static int get_dst(struct words *w, const char *s, struct hn_prefix *p)
{
	if (get_prefix(w, s, p))
		return -EINVAL;
	if (!p->len)
		return bad(w, s, "a dst of length 0 is any address: leave dst out");
	return 0;
}

/* PORT or LOW-HIGH, 1..65535, LOW <= HIGH. */
static int get_ports(struct words *w, const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16];
	const char *dash = strchr(s, '-');
	size_t n = dash ? (size_t)(dash - s) : strlen(s);
	int rc;

	if (n >= sizeof(buf))
		return bad(w, s, "not a port or port range");
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = hn_parse_u16(buf, lo);
	if (!rc)
		rc = dash ? hn_parse_u16(dash + 1, hi) : (*hi = *lo, 0);
	if (rc == -ERANGE)
		return bad(w, s, "ports are 1-65535");
	if (rc)
		return bad(w, s, "not a port or port range (PORT or LOW-HIGH)");
	if (!*lo || !*hi)
		return bad(w, s, "port 0 is not allowed (ports are 1-65535)");
	if (*lo > *hi)
		return bad(w, s, "reversed port range");
	return 0;
}

/* The value after keyword argv[*i]. */
static const char *value(struct words *w, int *i)
{
	if (*i + 1 >= w->argc) {
		bad(w, w->argv[*i], "needs a value");
		return NULL;
	}
	return w->argv[++*i];
}

/* PREFIX [out IFACE] [to ADDR]: masquerade, snat, hairpin. */
static int parse_source(struct words *w)
{
	struct hn_nftnat_item *it = w->it;
	bool out = it->kind != HN_NFTNAT_HAIRPIN, to = it->kind == HN_NFTNAT_SNAT && !w->del;
	const char *k, *v;
	int rc = get_prefix(w, w->argv[0], &it->src);

	it->family = it->src.addr.family;
	for (int i = 1; !rc && i < w->argc; i++) {
		k = w->argv[i];
		if (out && !strcmp(k, "out") && !it->oif[0])
			rc = (v = value(w, &i)) ? get_ifname(w, v, it->oif) : -EINVAL;
		else if (to && !strcmp(k, "to") && !it->to.family)
			rc = (v = value(w, &i)) ? get_addr(w, v, it->family, &it->to) : -EINVAL;
		else
			rc = bad(w, k, "unexpected argument");
	}
	if (!rc && out && !it->oif[0])
		rc = bad(w, w->argv[0], "needs out IFACE");
	if (!rc && to && !it->to.family)
		rc = bad(w, w->argv[0], "needs to ADDR");
	return rc;
}

static int forward_opt(struct words *w, int *i)
{
	struct hn_nftnat_item *it = w->it;
	const char *k = w->argv[*i], *v;
	bool add = !w->del;

	if (add && !strcmp(k, "local") && !it->local)
		return it->local = true, 0;
	if ((!strcmp(k, "in") && !it->iif[0]) || (!strcmp(k, "dst") && !it->dst.len) ||
	    (add && !strcmp(k, "to") && !it->to.family) || (add && !strcmp(k, "port") && !it->to_lo)) {
		v = value(w, i);
		if (!v)
			return -EINVAL;
		if (k[0] == 'i')
			return get_ifname(w, v, it->iif);
		if (k[0] == 'd')
			return get_dst(w, v, &it->dst);
		if (k[0] == 't')
			return get_addr(w, v, AF_UNSPEC, &it->to);
		return get_ports(w, v, &it->to_lo, &it->to_hi);
	}
	return bad(w, k, "unexpected argument");
}

/* What only the whole forward can say; fills the family and the target ports. */
static int forward_check(struct words *w)
{
	struct hn_nftnat_item *it = w->it;
	const char *ports = w->argv[1];
	uint16_t n = it->port_hi - it->port_lo;

	if (!w->del && !it->to.family)
		return bad(w, ports, "needs to ADDR");
	if (it->local && !it->dst.len)
		return bad(w, ports, "local needs dst ADDR");
	if (it->dst.len && it->to.family && it->dst.addr.family != it->to.family)
		return bad(w, ports, "dst and to are of different address families");
	if (!it->to_lo) {
		it->to_lo = it->port_lo;
		it->to_hi = it->port_hi;
	}
	if (it->to_lo != it->to_hi && (it->to_hi - it->to_lo != n || it->to_lo != it->port_lo))
		return bad(w, ports, "a port range forwards to the same ports or to one port");
	it->family = it->to.family ? it->to.family : it->dst.addr.family;
	return 0;
}

/* tcp|udp PORTS [in IFACE] [dst PREFIX] [to ADDR [port PORTS] [local]] */
static int parse_forward(struct words *w)
{
	struct hn_nftnat_item *it = w->it;
	const char *p = w->argv[0];
	int rc = 0;

	if (!strcmp(p, "tcp"))
		it->proto = IPPROTO_TCP;
	else if (!strcmp(p, "udp"))
		it->proto = IPPROTO_UDP;
	else
		return bad(w, p, "protocol must be tcp or udp");
	if (w->argc < 2)
		return bad(w, p, "needs PORT[-PORT]");
	rc = get_ports(w, w->argv[1], &it->port_lo, &it->port_hi);
	for (int i = 2; !rc && i < w->argc; i++)
		rc = forward_opt(w, &i);
	return rc ? rc : forward_check(w);
}

/**
 * hn_nftnat_parse - the item that the words after "KIND add" or "KIND del"
 * describe: the one NAT grammar of natctl(8) and hostnet.conf(5)
 * @kind: masquerade, snat, forward or hairpin
 * @del: the words of a del (no translation: to, port and local are refused;
 *	 a forward del without dst leaves the family 0, to be found)
 * @argc, @argv: the words
 * @it: filled (zeroed first)
 * @why, @len: on failure, "'WORD': why" or "expected ..." (may be NULL)
 *
 * Keywords may come in any order, each once. A dst is an address or a
 * network prefix (no host bits); an address is the prefix of its full
 * length, and is printed back bare.
 *
 * Return: 0, or -EINVAL.
 */
int hn_nftnat_parse(enum hn_nftnat_kind kind, bool del, int argc, char *const argv[],
		    struct hn_nftnat_item *it, char *why, size_t len)
{
	struct words w = { kind, del, argc, argv, it, why, len };

	memset(it, 0, sizeof(*it));
	it->kind = kind;
	if ((unsigned int)kind >= HN_NFTNAT_KIND_MAX)
		return -EINVAL;
	if (argc < 1 || argc > MAX_WORDS)
		return bad(&w, NULL, "expected %s %s", hn_nftnat_kind_name(kind), add_usage[kind]);
	return kind == HN_NFTNAT_DNAT ? parse_forward(&w) : parse_source(&w);
}

/** hn_nftnat_kind_parse - @word as a kind ("masquerade", ...). Return: 0 or -ENOENT. */
int hn_nftnat_kind_parse(const char *word, enum hn_nftnat_kind *kind)
{
	for (int k = 0; k < HN_NFTNAT_KIND_MAX; k++)
		if (!strcmp(word, hn_nftnat_kind_name((enum hn_nftnat_kind)k))) {
			*kind = (enum hn_nftnat_kind)k;
			return 0;
		}
	return -ENOENT;
}

/**
 * hn_nftnat_parse_text - an item from the text hn_nftnat_format() writes
 * ("KIND ARGS", as in hostnet.conf and natctl list), split into words by
 * hn_words_split() as those lines are
 *
 * Return: 0, or -EINVAL (@why says why).
 */
int hn_nftnat_parse_text(const char *text, struct hn_nftnat_item *it, char *why, size_t len)
{
	char buf[HN_NFTNAT_TEXT_MAX], *argv[MAX_WORDS + 2];
	enum hn_nftnat_kind kind;
	int argc;

	memset(it, 0, sizeof(*it));
	if (strlen(text) >= sizeof(buf))
		return why ? snprintf(why, len, "too long") : 0, -EINVAL;
	strcpy(buf, text);
	argc = hn_words_split(buf, argv, MAX_WORDS + 2);
	if (argc <= 0 || hn_nftnat_kind_parse(argv[0], &kind))
		return why ? snprintf(why, len, "not a NAT item") : 0, -EINVAL;
	return hn_nftnat_parse(kind, false, argc - 1, argv + 1, it, why, len);
}


/**
 * hn_nftnat_prefix_text - ADDR/LEN, or ADDR alone when LEN is the address's
 * full length (the one rule for src and dst)
 * @buf: at least HN_NFTNAT_PREFIX_MAX bytes
 */
const char *hn_nftnat_prefix_text(const struct hn_prefix *p, char *buf)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int full = p->addr.family == AF_INET ? 32 : 128;

	if (p->len == full)
		snprintf(buf, HN_NFTNAT_PREFIX_MAX, "%s", hn_addr_str(&p->addr, a));
	else
		snprintf(buf, HN_NFTNAT_PREFIX_MAX, "%s/%u", hn_addr_str(&p->addr, a), p->len);
	return buf;
}

/** hn_nftnat_ports_text - "PORT" or "LOW-HIGH" into @buf (16 bytes). */
const char *hn_nftnat_ports_text(uint16_t lo, uint16_t hi, char buf[16])
{
	if (lo == hi)
		snprintf(buf, 16, "%u", lo);
	else
		snprintf(buf, 16, "%u-%u", lo, hi);
	return buf;
}

static int forward_text(const struct hn_nftnat_item *it, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], pd[HN_NFTNAT_PREFIX_MAX], d[HN_NFTNAT_PREFIX_MAX + 8] = "";
	char in[IFNAMSIZ + 8] = "", p1[16], p2[16];

	if (it->iif[0])
		snprintf(in, sizeof(in), " in %s", it->iif);
	if (it->dst.len)
		snprintf(d, sizeof(d), " dst %s", hn_nftnat_prefix_text(&it->dst, pd));
	return snprintf(buf, len, "forward %s %s%s%s to %s port %s%s",
			it->proto == IPPROTO_TCP ? "tcp" : "udp",
			hn_nftnat_ports_text(it->port_lo, it->port_hi, p1), in, d,
			hn_addr_str(&it->to, a), hn_nftnat_ports_text(it->to_lo, it->to_hi, p2),
			it->local ? " local" : "");
}

/**
 * hn_nftnat_format - @it as "KIND ARGS": a hostnet.conf line, a natctl
 * command ("add" may be left out), what natctl list prints and hostnet's
 * state records hold; hn_nftnat_parse_text() reads it back to an equal item
 * @buf: HN_NFTNAT_TEXT_MAX bytes are always enough
 *
 * Return: the length of the text, as snprintf().
 */
int hn_nftnat_format(const struct hn_nftnat_item *it, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], s[HN_NFTNAT_PREFIX_MAX];

	switch (it->kind) {
	case HN_NFTNAT_MASQ:
		return snprintf(buf, len, "masquerade %s out %s",
				hn_nftnat_prefix_text(&it->src, s), it->oif);
	case HN_NFTNAT_SNAT:
		return snprintf(buf, len, "snat %s out %s to %s", hn_nftnat_prefix_text(&it->src, s),
				it->oif, hn_addr_str(&it->to, a));
	case HN_NFTNAT_HAIRPIN:
		return snprintf(buf, len, "hairpin %s", hn_nftnat_prefix_text(&it->src, s));
	case HN_NFTNAT_DNAT:
		return forward_text(it, buf, len);
	default:
		return snprintf(buf, len, "?");
	}
}

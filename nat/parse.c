/* parse.c - natctl's argument parsers: each fills an op or says "what: why"; nothing is done here. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "log.h"
#include "natctl.h"

/** op_err - "natctl: [FILE:LINE: ]<formatted>" on stderr. */
void op_err(const struct op *op, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hn_log_err("%s%s", op->where ? op->where : "", msg);
}

static int bad(const struct op *op, const char *arg, const char *why)
{
	op_err(op, "%s %s: '%s': %s", op->cmd->obj, op->cmd->verb ? op->cmd->verb : "",
	       arg, why);
	return -EINVAL;
}

static const char *addr_why(int rc)
{
	return rc == -EAFNOSUPPORT ? "wrong address family here" : "not an IP address";
}

static int get_ifname(struct op *op, const char *s, char dst[IFNAMSIZ])
{
	const char *why;

	if (hn_parse_ifname(s, 0, &why))
		return bad(op, s, why);
	strcpy(dst, s);
	return 0;
}

static int get_addr(struct op *op, const char *s, int family, struct hn_addr *a)
{
	int rc = hn_parse_addr(s, family, a);

	return rc ? bad(op, s, addr_why(rc)) : 0;
}

/* A network prefix ADDR/LEN (a bare address is a host); no host bits. */
static int get_prefix(struct op *op, const char *s, struct hn_prefix *p)
{
	int rc = hn_parse_prefix(s, AF_UNSPEC, false, p);

	if (rc == -ERANGE)
		return bad(op, s, "prefix length too long");
	if (rc)
		return bad(op, s, "not an address or prefix (ADDR/LEN)");
	if (!hn_prefix_is_network(p))
		return bad(op, s, "host bits set (give the network address)");
	return 0;
}

/* PORT or LOW-HIGH, 1..65535, LOW <= HIGH. */
static int get_ports(struct op *op, const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16];
	const char *dash = strchr(s, '-');
	size_t n = dash ? (size_t)(dash - s) : strlen(s);
	int rc;

	if (n >= sizeof(buf))
		return bad(op, s, "not a port or port range");
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = hn_parse_u16(buf, lo);
	if (!rc)
		rc = dash ? hn_parse_u16(dash + 1, hi) : (*hi = *lo, 0);
	if (rc == -ERANGE)
		return bad(op, s, "ports are 1-65535");
	if (rc)
		return bad(op, s, "not a port or port range (PORT or LOW-HIGH)");
	if (!*lo || !*hi)
		return bad(op, s, "port 0 is not allowed (ports are 1-65535)");
	if (*lo > *hi)
		return bad(op, s, "reversed port range");
	return 0;
}

static int get_proto(struct op *op, const char *s, uint8_t *proto)
{
	if (!strcmp(s, "tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(s, "udp"))
		*proto = IPPROTO_UDP;
	else
		return bad(op, s, "protocol must be tcp or udp");
	return 0;
}

/* The value after keyword argv[*i]; complains when it is missing. */
static const char *value(struct op *op, int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		bad(op, argv[*i], "needs a value");
		return NULL;
	}
	return argv[++*i];
}

static int unexpected(struct op *op, const char *arg)
{
	return bad(op, arg, "unexpected argument");
}

/* forwarding show | forwarding ipv4|ipv6 on|off */
int parse_none(struct op *op, int argc, char **argv)
{
	(void)op;
	(void)argc;
	(void)argv;
	return 0;
}

int parse_forwarding(struct op *op, int argc, char **argv)
{
	(void)argc;
	op->family = !strcmp(op->cmd->verb, "ipv4") ? AF_INET : AF_INET6;
	if (hn_parse_onoff(argv[0], &op->on))
		return bad(op, argv[0], "give on or off");
	return 0;
}

/* proxyarp|proxyndp on|off|show IFACE */
int parse_proxy(struct op *op, int argc, char **argv)
{
	(void)argc;
	op->family = !strcmp(op->cmd->obj, "proxyarp") ? AF_INET : AF_INET6;
	op->on = !strcmp(op->cmd->verb, "on");
	return get_ifname(op, argv[0], op->dev);
}

/* publish add|del ADDR dev IFACE; route add ADDR dev IFACE [replace]; route del ADDR [dev IFACE] */
int parse_addr_dev(struct op *op, int argc, char **argv)
{
	const char *v;
	int rc = get_addr(op, argv[0], AF_UNSPEC, &op->addr);

	for (int i = 1; !rc && i < argc; i++) {
		if (!strcmp(argv[i], "dev") && !op->dev[0])
			rc = (v = value(op, argc, argv, &i)) ? get_ifname(op, v, op->dev) : -EINVAL;
		else if (!strcmp(argv[i], "replace") && !strcmp(op->cmd->obj, "route") &&
			 !op->cmd->del && !op->replace)
			op->replace = true;
		else
			rc = unexpected(op, argv[i]);
	}
	if (!rc && !op->dev[0] && (strcmp(op->cmd->obj, "route") || !op->cmd->del))
		rc = bad(op, argv[0], "needs dev IFACE");
	op->family = op->addr.family;
	return rc;
}

/* masquerade add|del PREFIX out IFACE; snat add PREFIX out IFACE to ADDR; snat del PREFIX out IFACE */
int parse_source(struct op *op, int argc, char **argv)
{
	struct hn_nftnat_item *it = &op->item;
	bool snat_add = !strcmp(op->cmd->obj, "snat") && !op->cmd->del;
	const char *v;
	int rc = get_prefix(op, argv[0], &it->src);

	it->kind = strcmp(op->cmd->obj, "snat") ? HN_NFTNAT_MASQ : HN_NFTNAT_SNAT;
	it->family = it->src.addr.family;
	for (int i = 1; !rc && i < argc; i++) {
		if (!strcmp(argv[i], "out") && !it->oif[0])
			rc = (v = value(op, argc, argv, &i)) ? get_ifname(op, v, it->oif) : -EINVAL;
		else if (!strcmp(argv[i], "to") && snat_add && !it->to.family)
			rc = (v = value(op, argc, argv, &i)) ? get_addr(op, v, it->family, &it->to) : -EINVAL;
		else
			rc = unexpected(op, argv[i]);
	}
	if (!rc && !it->oif[0])
		rc = bad(op, argv[0], "needs out IFACE");
	if (!rc && snat_add && !it->to.family)
		rc = bad(op, argv[0], "needs to ADDR");
	return rc;
}

/* hairpin add|del PREFIX */
int parse_hairpin(struct op *op, int argc, char **argv)
{
	(void)argc;
	op->item.kind = HN_NFTNAT_HAIRPIN;
	if (get_prefix(op, argv[0], &op->item.src))
		return -EINVAL;
	op->item.family = op->item.src.addr.family;
	return 0;
}

/* dst ADDR: one destination address, kept as a host prefix. */
static int get_dst(struct op *op, const char *s, struct hn_prefix *p)
{
	int rc = get_addr(op, s, AF_UNSPEC, &p->addr);

	p->len = p->addr.family == AF_INET ? 32 : 128;
	return rc;
}

static int forward_opt(struct op *op, int argc, char **argv, int *i)
{
	struct hn_nftnat_item *it = &op->item;
	bool add = !op->cmd->del;
	const char *k = argv[*i], *v;

	if (!strcmp(k, "local") && add && !it->local)
		return it->local = true, 0;
	if ((!strcmp(k, "in") && !it->iif[0]) || (!strcmp(k, "dst") && !it->dst.len) ||
	    (add && !strcmp(k, "to") && !it->to.family) || (add && !strcmp(k, "port") && !it->to_lo)) {
		v = value(op, argc, argv, i);
		if (!v)
			return -EINVAL;
		if (k[0] == 'i')
			return get_ifname(op, v, it->iif);
		if (k[0] == 'd')
			return get_dst(op, v, &it->dst);
		if (k[0] == 't')
			return get_addr(op, v, AF_UNSPEC, &it->to);
		return get_ports(op, v, &it->to_lo, &it->to_hi);
	}
	return unexpected(op, k);
}

static int forward_check(struct op *op, char **argv)
{
	struct hn_nftnat_item *it = &op->item;
	uint16_t n = it->port_hi - it->port_lo;

	if (!op->cmd->del && !it->to.family)
		return bad(op, argv[1], "needs to ADDR");
	if (it->local && !it->dst.len)
		return bad(op, argv[1], "local needs dst ADDR");
	if (it->dst.len && it->to.family && it->dst.addr.family != it->to.family)
		return bad(op, argv[1], "dst and to are of different address families");
	if (!it->to_lo) {
		it->to_lo = it->port_lo;
		it->to_hi = it->port_hi;
	}
	if (it->to_lo != it->to_hi && (it->to_hi - it->to_lo != n || it->to_lo != it->port_lo))
		return bad(op, argv[1], "a port range forwards to the same ports or to one port");
	it->family = it->to.family ? it->to.family : it->dst.addr.family;
	return 0;
}

/*
 * forward add tcp|udp PORTS [in IFACE] [dst ADDR] to ADDR [port PORTS] [local]
 * forward del tcp|udp PORTS [in IFACE] [dst ADDR]
 */
int parse_forward(struct op *op, int argc, char **argv)
{
	struct hn_nftnat_item *it = &op->item;
	int rc;

	it->kind = HN_NFTNAT_DNAT;
	rc = get_proto(op, argv[0], &it->proto);
	if (!rc)
		rc = get_ports(op, argv[1], &it->port_lo, &it->port_hi);
	for (int i = 2; !rc && i < argc; i++)
		rc = forward_opt(op, argc, argv, &i);
	return rc ? rc : forward_check(op, argv);
}

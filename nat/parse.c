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

/*
 * masquerade|snat|forward|hairpin add|del ARGS: lib's NAT grammar
 * (hn_nftnat_parse), the one hostnet.conf lines are read with.
 */
int parse_nat(struct op *op, int argc, char **argv)
{
	enum hn_nftnat_kind kind;
	char why[256];

	if (hn_nftnat_kind_parse(op->cmd->obj, &kind))
		return -EINVAL;
	if (hn_nftnat_parse(kind, op->cmd->del, argc, argv, &op->item, why, sizeof(why))) {
		op_err(op, "%s %s: %s", op->cmd->obj, op->cmd->verb, why);
		return -EINVAL;
	}
	return 0;
}

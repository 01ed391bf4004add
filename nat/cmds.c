/* cmds.c - natctl's command table and the commands that are not nftables: sysctls, routes, proxy entries. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "log.h"
#include "natctl.h"
#include "neigh.h"
#include "nl.h"
#include "route.h"
#include "sysctl.h"

/** op_fail - report a failed library call for @op; Return: EXIT_FAIL. */
int op_fail(const struct op *op, struct hn_ctx *ctx, int rc)
{
	const char *what = ctx->err[0] ? ctx->err : op->cmd->obj;

	if (ctx->ext[0])
		op_err(op, "%s: %s (%s)", what, strerror(-rc), ctx->ext);
	else
		op_err(op, "%s: %s", what, strerror(-rc));
	return EXIT_FAIL;
}

static const char *fam_name(int family)
{
	return family == AF_INET ? "ipv4" : "ipv6";
}

static int show_forwarding(struct run *r, struct op *op)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	bool on;
	int rc;

	hn_out_open(&r->out, NULL, '{');
	for (size_t i = 0; i < 2; i++) {
		rc = hn_sysctl_get_forwarding(r->ctx, fams[i], &on);
		if (rc)
			return op_fail(op, r->ctx, rc);
		hn_out_text(&r->out, "%s ", fam_name(fams[i]));
		hn_out_bool(&r->out, fam_name(fams[i]), "%s\n", on);
	}
	hn_out_close(&r->out, '{');
	hn_out_end(&r->out);
	return EXIT_OK;
}

static int set_forwarding(struct run *r, struct op *op)
{
	const char *name = op->family == AF_INET ? "net/ipv4/ip_forward" :
			   "net/ipv6/conf/all/forwarding";
	int rc = journal_forwarding(r, op, name);

	if (!rc)
		rc = hn_sysctl_set_forwarding(r->ctx, op->family, op->on);

	return rc ? op_fail(op, r->ctx, rc) : EXIT_OK;
}

static int show_proxy(struct run *r, struct op *op)
{
	bool on;
	int rc = hn_sysctl_get_proxy(r->ctx, op->family, op->dev, &on);

	if (rc)
		return op_fail(op, r->ctx, rc);
	hn_out_open(&r->out, NULL, '{');
	hn_out_str(&r->out, "ifname", "%s ", op->dev);
	hn_out_bool(&r->out, op->cmd->obj, "%s\n", on);
	hn_out_close(&r->out, '{');
	hn_out_end(&r->out);
	return EXIT_OK;
}

static int set_proxy(struct run *r, struct op *op)
{
	char name[HN_SYSCTL_MAX];
	bool on;
	int rc = hn_sysctl_get_proxy(r->ctx, op->family, op->dev, &on);

	if (!rc)
		rc = hn_sysctl_conf_name(op->family, op->dev, op->family == AF_INET ?
					 "proxy_arp" : "proxy_ndp", name, sizeof(name));
	if (!rc)
		rc = journal_sysctl(r, op, name);
	if (!rc)
		rc = hn_sysctl_set_proxy(r->ctx, op->family, op->dev, op->on);

	return rc ? op_fail(op, r->ctx, rc) : EXIT_OK;
}

static int publish_add(struct run *r, struct op *op)
{
	int rc = hn_neigh_add_proxy(r->ctx, &op->addr, op->dev);

	if (!rc)
		rc = journal_publish(r, op);

	return rc ? op_fail(op, r->ctx, rc) : EXIT_OK;
}

static int publish_del(struct run *r, struct op *op)
{
	int rc = hn_neigh_del_proxy(r->ctx, &op->addr, op->dev);

	if (!rc)
		rc = journal_publish(r, op);

	return rc ? op_fail(op, r->ctx, rc) : EXIT_OK;
}

/* The device a host route to @op's address uses now ("" for none), for undo. */
static int route_now(struct run *r, const struct op *op, char dev[IFNAMSIZ])
{
	struct hn_route_host cur;
	int rc = hn_route_get_host(r->ctx, &op->addr, &cur);

	dev[0] = '\0';
	if (rc == -ENOENT)
		return 0;
	if (!rc)
		memcpy(dev, cur.dev, IFNAMSIZ);
	return rc;
}

static int route_add(struct run *r, struct op *op)
{
	char old[IFNAMSIZ];
	int rc = op->replace ? route_now(r, op, old) : (old[0] = '\0', 0);

	if (!rc)
		rc = hn_route_add_host(r->ctx, &op->addr, op->dev, op->replace);
	if (!rc)
		rc = journal_route(r, op, true, old);
	if (rc == -EEXIST && strstr(r->ctx->err, "already routed to"))
		op_err(op, "%s: refusing to move it (add replace to move it)", r->ctx->err);
	else if (rc)
		return op_fail(op, r->ctx, rc);
	return rc ? EXIT_FAIL : EXIT_OK;
}

static int route_del(struct run *r, struct op *op)
{
	char old[IFNAMSIZ];
	int rc = route_now(r, op, old);

	if (!rc)
		rc = hn_route_del_host(r->ctx, &op->addr, op->dev[0] ? op->dev : NULL);
	if (!rc)
		rc = journal_route(r, op, false, old);

	return rc ? op_fail(op, r->ctx, rc) : EXIT_OK;
}

/* Sorted for help: object, then verb. Names match exactly, never as prefixes. */
#define CMD(o, v, lo, hi, p, r, d, a) \
	{ .obj = (o), .verb = (v), .min = (lo), .max = (hi), .parse = (p), .run = (r), \
	  .del = (d), .args = (a) }
/* A command that changes the host outside nftables: journaled, run before the transaction. */
#define CHG(o, v, lo, hi, p, r, d, a) \
	{ .obj = (o), .verb = (v), .min = (lo), .max = (hi), .parse = (p), .run = (r), \
	  .del = (d), .change = true, .args = (a) }

const struct cmd natctl_cmds[] = {
	CMD("forwarding", "show", 0, 0, parse_none, show_forwarding, false, ""),
	CHG("forwarding", "ipv4", 1, 1, parse_forwarding, set_forwarding, false, "on|off"),
	CHG("forwarding", "ipv6", 1, 1, parse_forwarding, set_forwarding, false, "on|off"),
	CMD("proxyarp", "show", 1, 1, parse_proxy, show_proxy, false, "IFACE"),
	CHG("proxyarp", "on", 1, 1, parse_proxy, set_proxy, false, "IFACE"),
	CHG("proxyarp", "off", 1, 1, parse_proxy, set_proxy, false, "IFACE"),
	CMD("proxyndp", "show", 1, 1, parse_proxy, show_proxy, false, "IFACE"),
	CHG("proxyndp", "on", 1, 1, parse_proxy, set_proxy, false, "IFACE"),
	CHG("proxyndp", "off", 1, 1, parse_proxy, set_proxy, false, "IFACE"),
	CHG("publish", "add", 3, 3, parse_addr_dev, publish_add, false, "ADDR dev IFACE"),
	CHG("publish", "del", 3, 3, parse_addr_dev, publish_del, true, "ADDR dev IFACE"),
	CMD("publish", "list", 0, 0, parse_none, publish_list, false, ""),
	CHG("route", "add", 3, 4, parse_addr_dev, route_add, false, "ADDR dev IFACE [replace]"),
	CHG("route", "del", 1, 3, parse_addr_dev, route_del, true, "ADDR [dev IFACE]"),
	CMD("route", "list", 0, 0, parse_none, route_list, false, ""),
	CMD("masquerade", "add", 3, 3, parse_nat, NULL, false, "PREFIX out IFACE"),
	CMD("masquerade", "del", 3, 3, parse_nat, NULL, true, "PREFIX out IFACE"),
	CMD("snat", "add", 5, 5, parse_nat, NULL, false, "PREFIX out IFACE to ADDR"),
	CMD("snat", "del", 3, 3, parse_nat, NULL, true, "PREFIX out IFACE"),
	CMD("forward", "add", 4, 11, parse_nat, NULL, false,
	    "tcp|udp PORT[-PORT] [in IFACE] [dst ADDR[/LEN]] to ADDR [port PORT[-PORT]] [local]"),
	CMD("forward", "del", 2, 6, parse_nat, NULL, true,
	    "tcp|udp PORT[-PORT] [in IFACE] [dst ADDR[/LEN]]"),
	CMD("hairpin", "add", 1, 1, parse_nat, NULL, false, "PREFIX"),
	CMD("hairpin", "del", 1, 1, parse_nat, NULL, true, "PREFIX"),
	CMD("list", NULL, 0, 0, parse_none, nat_list, false, ""),
	CMD("flush", NULL, 0, 0, parse_none, NULL, true, ""),
	CMD("doctor", NULL, 0, 0, parse_none, nat_doctor, false, ""),
};
const size_t natctl_ncmds = sizeof(natctl_cmds) / sizeof(natctl_cmds[0]);

/* doctor.c - natctl doctor: read-only look at what stops forwarded traffic, and what to do about it. */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>

#include "natctl.h"
#include "nft.h"
#include "nl.h"
#include "parse.h"
#include "sysctl.h"

struct report {
	struct run *r;
	unsigned int problems;
};

static void __attribute__((format(printf, 4, 5)))
problem(struct report *rep, const char *check, const char *fix, const char *fmt, ...)
{
	struct hn_out *o = &rep->r->out;
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rep->problems++;
	hn_out_open(o, NULL, '{');
	hn_out_str(o, "check", "%s: ", check);
	hn_out_str(o, "problem", "%s\n", what);
	hn_out_str(o, "fix", "  fix: %s\n", fix);
	hn_out_close(o, '{');
}

static int check_forwarding(struct report *rep)
{
	bool on;
	int rc = hn_sysctl_get_forwarding(rep->r->ctx, AF_INET, &on);

	if (!rc && !on)
		problem(rep, "forwarding", "natctl forwarding ipv4 on",
			"IPv4 forwarding is off (net.ipv4.ip_forward=0): nothing is routed to or from guests");
	if (rc || !rep->r->st.present[1])
		return rc;
	rc = hn_sysctl_get_forwarding(rep->r->ctx, AF_INET6, &on);
	if (!rc && !on)
		problem(rep, "forwarding", "natctl forwarding ipv6 on",
			"IPv6 forwarding is off, but natctl has IPv6 rules");
	return rc;
}

/* Effective rp_filter is the larger of conf/all and conf/<if>; 1 is strict. */
static int check_rp_one(struct report *rep, const char *ifname, unsigned long all)
{
	unsigned long v;
	int rc = hn_sysctl_get_conf(rep->r->ctx, AF_INET, ifname, "rp_filter", &v);

	if (rc == -ENODEV)
		return 0;		/* gone meanwhile */
	if (!rc && (v > all ? v : all) == 1)
		problem(rep, "rp_filter", "sysctl -w net.ipv4.conf.all.rp_filter=2 and "
			"net.ipv4.conf.<if>.rp_filter=2 (loose), or route replies back the same way",
			"%s: strict reverse-path filter (rp_filter=1) drops packets that "
			"arrive on an interface the reply would not leave by", ifname);
	return rc;
}

static int check_rp_filter(struct report *rep)
{
	DIR *d = opendir(HN_SYSCTL_ROOT "net/ipv4/conf");
	struct dirent *e;
	unsigned long all;
	int rc = hn_sysctl_get_conf(rep->r->ctx, AF_INET, "all", "rp_filter", &all);

	if (!d)
		return rc ? rc : -errno;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "all") ||
		    !strcmp(e->d_name, "default") || !strcmp(e->d_name, "lo") ||
		    hn_parse_ifname(e->d_name, 0, NULL))
			continue;
		rc = check_rp_one(rep, e->d_name, all);
	}
	closedir(d);
	return rc;
}

static const char *nfproto_name(int family)
{
	return family == NFPROTO_IPV4 ? "ip" : family == NFPROTO_IPV6 ? "ip6" : "inet";
}

static int on_fwd_chain(const struct hn_nft_fwd_chain *c, void *arg)
{
	struct report *rep = arg;
	const char *fix = "allow the guests' traffic in that table (e.g. iifname/oifname "
			  "accept rules, ct state established,related accept); an accept "
			  "in another table cannot override a drop";

	if (c->policy_drop)
		problem(rep, "firewall", fix, "table %s %s chain %s (hook forward, priority %d) "
			"has policy drop", nfproto_name(c->family), c->table, c->chain, c->prio);
	if (c->drop_rules)
		problem(rep, "firewall", fix, "table %s %s chain %s (hook forward, priority %d) "
			"has %u drop or reject rule%s", nfproto_name(c->family), c->table,
			c->chain, c->prio, c->drop_rules, c->drop_rules == 1 ? "" : "s");
	return 0;
}

static int check_firewall(struct report *rep)
{
	return hn_nft_forward_chains(rep->r->ctx, HN_NFTNAT_TABLE, on_fwd_chain, rep);
}

static int check_br_netfilter(struct report *rep)
{
	bool on;
	int rc = hn_sysctl_get_bool(rep->r->ctx, "net/bridge/bridge-nf-call-iptables", &on);

	if (rc == -ENOENT)
		return 0;		/* br_netfilter is not loaded */
	if (!rc && on)
		problem(rep, "br_netfilter", "sysctl -w net.bridge.bridge-nf-call-iptables=0, "
			"or allow bridged guest traffic in the forward chains",
			"br_netfilter is loaded with bridge-nf-call-iptables=1: bridged "
			"IPv4 frames pass the forward hook and its drop rules");
	return rc;
}

static const struct check {
	const char *name;
	int (*run)(struct report *rep);
} checks[] = {
	{ .name = "forwarding",   .run = check_forwarding },
	{ .name = "rp_filter",    .run = check_rp_filter },
	{ .name = "firewall",     .run = check_firewall },
	{ .name = "br_netfilter", .run = check_br_netfilter },
};

/**
 * nat_doctor - report what stops forwarded traffic on this host; changes nothing
 *
 * Return: EXIT_OK when nothing was found, EXIT_FAIL when a problem was
 * reported or a check could not run.
 */
int nat_doctor(struct run *r, struct op *op)
{
	struct report rep = { .r = r };
	int rc, failed = 0;

	hn_out_open(&r->out, NULL, '{');
	hn_out_open(&r->out, "problems", '[');
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		r->ctx->err[0] = '\0';
		rc = checks[i].run(&rep);
		if (rc) {
			op_err(op, "doctor: %s: %s: %s", checks[i].name,
			       r->ctx->err[0] ? r->ctx->err : "check", strerror(-rc));
			failed++;
		}
	}
	hn_out_close(&r->out, '[');
	hn_out_close(&r->out, '{');
	if (!rep.problems && !failed)
		hn_out_text(&r->out, "no problems found\n");
	hn_out_end(&r->out);
	return rep.problems || failed ? EXIT_FAIL : EXIT_OK;
}

/* doctor.c - read-only checks of what stops forwarded traffic (natctl doctor, hostnet plan/status). */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>

#include "doctor.h"
#include "nft.h"
#include "nl.h"
#include "parse.h"
#include "sysctl.h"
#include "vec.h"

/* One run: where findings go, what to look at. */
struct run {
	struct hn_ctx *ctx;
	unsigned int flags;
	const char *own;
	struct hn_doctor_report *rep;
	enum hn_doctor_check check;	/* the check running */
	int nomem;
};

static const char *const check_names[HN_DOCTOR_NCHECKS] = {
	[HN_DOCTOR_FORWARDING]   = "forwarding",
	[HN_DOCTOR_RP_FILTER]    = "rp_filter",
	[HN_DOCTOR_FIREWALL]     = "firewall",
	[HN_DOCTOR_BR_NETFILTER] = "br_netfilter",
};

/** hn_doctor_check_name - the check's name ("forwarding", "firewall", ...); "?" out of range. */
const char *hn_doctor_check_name(enum hn_doctor_check check)
{
	return (unsigned int)check < HN_DOCTOR_NCHECKS ? check_names[check] : "?";
}

static void __attribute__((format(printf, 3, 4)))
found(struct run *r, const char *fix, const char *fmt, ...)
{
	struct hn_doctor_report *rep = r->rep;
	struct hn_doctor_finding *f;
	va_list ap;

	f = HN_VEC_PUSH(rep->v, rep->n, rep->cap);
	if (!f) {
		r->nomem = -ENOMEM;
		return;
	}
	f->check = r->check;
	snprintf(f->fix, sizeof(f->fix), "%s", fix);
	va_start(ap, fmt);
	vsnprintf(f->problem, sizeof(f->problem), fmt, ap);
	va_end(ap);
}

static int check_forwarding(struct run *r)
{
	bool on;
	int rc = 0;

	if (r->flags & HN_DOCTOR_FWD4)
		rc = hn_sysctl_get_forwarding(r->ctx, AF_INET, &on);
	if (!rc && (r->flags & HN_DOCTOR_FWD4) && !on)
		found(r, "natctl forwarding ipv4 on",
		      "IPv4 forwarding is off (net.ipv4.ip_forward=0): nothing is routed to or from guests");
	if (rc || !(r->flags & HN_DOCTOR_FWD6))
		return rc;
	rc = hn_sysctl_get_forwarding(r->ctx, AF_INET6, &on);
	if (!rc && !on)
		found(r, "natctl forwarding ipv6 on", "IPv6 forwarding is off "
		      "(net.ipv6.conf.all.forwarding=0), but there are IPv6 NAT rules");
	return rc;
}

/* Effective rp_filter is the larger of conf/all and conf/<if>; 1 is strict. */
static int check_rp_one(struct run *r, const char *ifname, unsigned long all)
{
	unsigned long v;
	int rc = hn_sysctl_get_conf(r->ctx, AF_INET, ifname, "rp_filter", &v);

	if (rc == -ENODEV)
		return 0;		/* gone meanwhile */
	if (!rc && (v > all ? v : all) == 1)
		found(r, "sysctl -w net.ipv4.conf.all.rp_filter=2 and "
		      "net.ipv4.conf.<if>.rp_filter=2 (loose), or route replies back the same way",
		      "%s: strict reverse-path filter (rp_filter=1) drops packets that "
		      "arrive on an interface the reply would not leave by", ifname);
	return rc;
}

static int check_rp_filter(struct run *r)
{
	DIR *d;
	struct dirent *e;
	unsigned long all;
	int rc;

	if (!(r->flags & HN_DOCTOR_IPV4))
		return 0;
	rc = hn_sysctl_get_conf(r->ctx, AF_INET, "all", "rp_filter", &all);
	d = opendir(HN_SYSCTL_ROOT "net/ipv4/conf");
	if (!d)
		return rc ? rc : hn_ctx_fail(r->ctx, -errno, HN_SYSCTL_ROOT "net/ipv4/conf");
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "all") ||
		    !strcmp(e->d_name, "default") || !strcmp(e->d_name, "lo") ||
		    hn_parse_ifname(e->d_name, 0, NULL))
			continue;
		rc = check_rp_one(r, e->d_name, all);
	}
	closedir(d);
	return rc;
}

static const char *nfproto_name(int family)
{
	return family == NFPROTO_IPV4 ? "ip" : family == NFPROTO_IPV6 ? "ip6" : "inet";
}

/* Does a chain of @family see the traffic of the families asked for? */
static bool family_wanted(const struct run *r, int family)
{
	return family == NFPROTO_INET ? (r->flags & (HN_DOCTOR_IPV4 | HN_DOCTOR_IPV6)) != 0 :
	       family == NFPROTO_IPV4 ? (r->flags & HN_DOCTOR_IPV4) != 0 :
	       family == NFPROTO_IPV6 ? (r->flags & HN_DOCTOR_IPV6) != 0 : false;
}

static int on_fwd_chain(const struct hn_nft_fwd_chain *c, void *arg)
{
	struct run *r = arg;
	const char *fix = "allow the guests' traffic in that table (e.g. iifname/oifname "
			  "accept rules, ct state established,related accept); an accept "
			  "in another table cannot override a drop";

	if (!family_wanted(r, c->family))
		return 0;
	if (c->policy_drop)
		found(r, fix, "table %s %s chain %s (hook forward, priority %d) has policy drop",
		      nfproto_name(c->family), c->table, c->chain, c->prio);
	if (c->drop_rules)
		found(r, fix, "table %s %s chain %s (hook forward, priority %d) has %u drop or "
		      "reject rule%s", nfproto_name(c->family), c->table, c->chain, c->prio,
		      c->drop_rules, c->drop_rules == 1 ? "" : "s");
	return 0;
}

static int check_firewall(struct run *r)
{
	if (!(r->flags & (HN_DOCTOR_IPV4 | HN_DOCTOR_IPV6)))
		return 0;
	return hn_nft_forward_chains(r->ctx, r->own, on_fwd_chain, r);
}

static int check_br_netfilter(struct run *r)
{
	bool on;
	int rc;

	if (!(r->flags & HN_DOCTOR_BRIDGED))
		return 0;
	rc = hn_sysctl_get_bool(r->ctx, "net/bridge/bridge-nf-call-iptables", &on);
	if (rc == -ENOENT)
		return 0;		/* br_netfilter is not loaded */
	if (!rc && on)
		found(r, "sysctl -w net.bridge.bridge-nf-call-iptables=0, "
		      "or allow bridged guest traffic in the forward chains",
		      "br_netfilter is loaded with bridge-nf-call-iptables=1: bridged "
		      "IPv4 frames pass the forward hook and its drop rules");
	return rc;
}

static int (*const checks[HN_DOCTOR_NCHECKS])(struct run *r) = {
	[HN_DOCTOR_FORWARDING]   = check_forwarding,
	[HN_DOCTOR_RP_FILTER]    = check_rp_filter,
	[HN_DOCTOR_FIREWALL]     = check_firewall,
	[HN_DOCTOR_BR_NETFILTER] = check_br_netfilter,
};

/**
 * hn_doctor_run - look, without changing anything, for what would stop
 * forwarded traffic: forwarding off, strict rp_filter, a drop policy or
 * drop rules in another table's forward chain, br_netfilter
 * @flags: HN_DOCTOR_* - which families and checks matter to the caller
 * @own_table: the NAT tables' name; its ip and ip6 tables are not "another table"
 * @rep: zeroed by the caller; receives every finding, and for each check
 *	 that could not run its -errno and ctx->err (the other checks still run)
 *
 * Never prints. Free @rep with hn_doctor_report_free().
 *
 * Return: 0, -ENOMEM, or the -errno of the first check that failed.
 */
int hn_doctor_run(struct hn_ctx *ctx, unsigned int flags, const char *own_table,
		  struct hn_doctor_report *rep)
{
	struct run r = { .ctx = ctx, .flags = flags, .own = own_table, .rep = rep };
	int first = 0;

	for (unsigned int i = 0; i < HN_DOCTOR_NCHECKS; i++) {
		r.check = (enum hn_doctor_check)i;
		ctx->err[0] = '\0';
		rep->rc[i] = checks[i](&r);
		if (rep->rc[i])
			snprintf(rep->err[i], sizeof(rep->err[i]), "%s", ctx->err);
		if (!first)
			first = rep->rc[i];
	}
	return r.nomem ? r.nomem : first;
}

/** hn_doctor_report_free - free the findings of @rep (NULL is fine) and zero it. */
void hn_doctor_report_free(struct hn_doctor_report *rep)
{
	if (!rep)
		return;
	free(rep->v);
	memset(rep, 0, sizeof(*rep));
}

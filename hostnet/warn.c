/* warn.c - plan's and status's warnings: lib's doctor checks for the traffic of the file's NAT lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "doctor.h"
#include "hostnet.h"
#include "log.h"
#include "nftnat.h"
#include "out.h"
#include "warn.h"

/* Does the file turn the forwarding of @kind on? */
static bool sets_on(const struct conf *c, enum conf_sysctl_kind kind)
{
	for (size_t i = 0; i < c->nsysctls; i++)
		if (c->sysctls[i].kind == kind && c->sysctls[i].on)
			return true;
	return false;
}

/*
 * The doctor flags for the file: the families of its NAT lines; the
 * forwarding switch of a family unless @planned and the file turns it on
 * (apply will). br_netfilter concerns bridged frames, not the routed
 * traffic of NAT lines: natctl doctor reports it. 0: nothing to check.
 */
static unsigned int flags_of(const struct conf *c, bool planned)
{
	unsigned int f = 0;

	for (size_t i = 0; i < c->nnats; i++)
		f |= c->nats[i].it.family == AF_INET6 ? HN_DOCTOR_IPV6 : HN_DOCTOR_IPV4;
	if ((f & HN_DOCTOR_IPV4) && !(planned && sets_on(c, CONF_FORWARD4)))
		f |= HN_DOCTOR_FWD4;
	if ((f & HN_DOCTOR_IPV6) && !(planned && sets_on(c, CONF_FORWARD6)))
		f |= HN_DOCTOR_FWD6;
	return f;
}

/* natctl's fix for forwarding is a file line here. */
static const char *fix_of(const struct hn_doctor_finding *f)
{
	if (f->check != HN_DOCTOR_FORWARDING)
		return f->fix;
	return strstr(f->problem, "IPv6") ? "put 'forwarding ipv6 on' in the file" :
	       "put 'forwarding ipv4 on' in the file";
}

/**
 * warn_collect - what would drop the traffic of the file's NAT lines
 * @planned: for plan: the file's own "forwarding ... on" counts as done
 * @rep: zeroed; filled (free with hn_doctor_report_free())
 *
 * A check that cannot run is said on stderr, once, as a warning too.
 *
 * Return: how many findings.
 */
static size_t warn_collect(struct run *r, bool planned, struct hn_doctor_report *rep)
{
	unsigned int flags = flags_of(&r->conf, planned);

	if (!flags)
		return 0;
	if (hn_doctor_run(&r->ctx, flags, HN_NFTNAT_TABLE, rep) == -ENOMEM)
		hn_log_err("warning: checking what would drop forwarded traffic: %s",
			   strerror(ENOMEM));
	for (unsigned int i = 0; i < HN_DOCTOR_NCHECKS; i++)
		if (rep->rc[i])
			hn_log_err("warning: cannot check %s: %s: %s",
				   hn_doctor_check_name((enum hn_doctor_check)i),
				   rep->err[i][0] ? rep->err[i] : "check", strerror(-rep->rc[i]));
	return rep->n;
}

/** warn_plan - plan's warnings, on stderr: "hostnet: warning: CHECK: PROBLEM; fix: FIX". */
void warn_plan(struct run *r)
{
	struct hn_doctor_report rep = { 0 };
	size_t n = warn_collect(r, true, &rep);

	for (size_t i = 0; i < n; i++)
		hn_log_err("warning: %s: %s; fix: %s", hn_doctor_check_name(rep.v[i].check),
			   rep.v[i].problem, fix_of(&rep.v[i]));
	hn_doctor_report_free(&rep);
}

/**
 * warn_status - status's warnings, after the table: a line
 * "warning: CHECK: PROBLEM; fix: FIX" each, or in JSON a row each of the
 * status array, object and state "warning" (hostnet.8)
 */
void warn_status(struct run *r, struct hn_out *o)
{
	struct hn_doctor_report rep = { 0 };
	size_t n = warn_collect(r, false, &rep);

	for (size_t i = 0; i < n; i++) {
		hn_out_open(o, NULL, '{');
		hn_out_int(o, "line", NULL, 0);
		hn_out_str(o, "object", NULL, "warning");
		hn_out_str(o, "state", NULL, "warning");
		hn_out_bool(o, "created_by_hostnet", NULL, false);
		hn_out_str(o, "name", "warning: %s: ", hn_doctor_check_name(rep.v[i].check));
		hn_out_str(o, "problem", "%s; ", rep.v[i].problem);
		hn_out_str(o, "fix", "fix: %s\n", fix_of(&rep.v[i]));
		hn_out_open(o, "changes", '[');
		hn_out_close(o, '[');
		hn_out_close(o, '{');
	}
	hn_doctor_report_free(&rep);
}

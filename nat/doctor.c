/* doctor.c - natctl doctor: print lib's read-only findings of what stops forwarded traffic, and what to do. */
#include <errno.h>
#include <string.h>

#include "doctor.h"
#include "natctl.h"
#include "nl.h"

static void print_finding(struct hn_out *o, const struct hn_doctor_finding *f)
{
	hn_out_open(o, NULL, '{');
	hn_out_str(o, "check", "%s: ", hn_doctor_check_name(f->check));
	hn_out_str(o, "problem", "%s\n", f->problem);
	hn_out_str(o, "fix", "  fix: %s\n", f->fix);
	hn_out_close(o, '{');
}

/**
 * nat_doctor - report what stops forwarded traffic on this host; changes nothing
 *
 * Every check of hn_doctor_run(); IPv6 forwarding only when natctl has
 * IPv6 tables.
 *
 * Return: EXIT_OK when nothing was found, EXIT_FAIL when a problem was
 * reported or a check could not run.
 */
int nat_doctor(struct run *r, struct op *op)
{
	struct hn_doctor_report rep = { 0 };
	unsigned int flags = HN_DOCTOR_FWD4 | HN_DOCTOR_IPV4 | HN_DOCTOR_IPV6 | HN_DOCTOR_BRIDGED;
	int rc, failed = 0;

	if (r->st.present[1])
		flags |= HN_DOCTOR_FWD6;
	rc = hn_doctor_run(r->ctx, flags, HN_NFTNAT_TABLE, &rep);
	hn_out_open(&r->out, NULL, '{');
	hn_out_open(&r->out, "problems", '[');
	for (size_t i = 0; i < rep.n; i++)
		print_finding(&r->out, &rep.v[i]);
	hn_out_close(&r->out, '[');
	hn_out_close(&r->out, '{');
	for (unsigned int i = 0; i < HN_DOCTOR_NCHECKS; i++) {
		if (!rep.rc[i])
			continue;
		op_err(op, "doctor: %s: %s: %s", hn_doctor_check_name((enum hn_doctor_check)i),
		       rep.err[i][0] ? rep.err[i] : "check", strerror(-rep.rc[i]));
		failed++;
	}
	if (rc == -ENOMEM && !failed) {
		op_err(op, "doctor: %s", strerror(ENOMEM));
		failed++;
	}
	if (!rep.n && !failed)
		hn_out_text(&r->out, "no problems found\n");
	hn_out_end(&r->out);
	rc = rep.n || failed ? EXIT_FAIL : EXIT_OK;
	hn_doctor_report_free(&rep);
	return rc;
}

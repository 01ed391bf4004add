/* test_doctor.c - unit tests for lib/doctor.c: check names, and that it only looks where asked (no kernel). */
#include <string.h>

#include "unit.h"
#include "doctor.h"
#include "nl.h"

static void test_names(void)
{
	static const char *const want[] = { "forwarding", "rp_filter", "firewall", "br_netfilter" };

	is_int(HN_DOCTOR_NCHECKS, 4, "four checks");
	for (unsigned int i = 0; i < HN_DOCTOR_NCHECKS; i++)
		is_str(hn_doctor_check_name((enum hn_doctor_check)i), want[i], "check %u's name", i);
	is_str(hn_doctor_check_name(HN_DOCTOR_NCHECKS), "?", "out of range");
	is_str(hn_doctor_check_name((enum hn_doctor_check)-1), "?", "negative");
}

/* With no flags no check looks at anything: no finding, no error, no kernel. */
static void test_nothing_asked(void)
{
	struct hn_doctor_report rep = { 0 };
	struct hn_ctx ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	rc = hn_doctor_run(&ctx, 0, "hostnet", &rep);
	is_int(rc, 0, "no flags: success");
	is_int(rep.n, 0, "no flags: no finding");
	for (unsigned int i = 0; i < HN_DOCTOR_NCHECKS; i++)
		is_int(rep.rc[i], 0, "no flags: check %u did not fail", i);
	hn_doctor_report_free(&rep);
	hn_doctor_report_free(NULL);
	ok(rep.v == NULL && rep.n == 0, "free zeroes the report");
}

int main(void)
{
	test_names();
	test_nothing_asked();
	return done_testing();
}

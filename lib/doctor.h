/* doctor.h - what stops forwarded traffic on this host: read-only checks that return findings. */
#ifndef HN_DOCTOR_H
#define HN_DOCTOR_H

#include <stddef.h>

#include "nl.h"

struct hn_ctx;

/* The checks, in the order hn_doctor_run() makes them. */
enum hn_doctor_check {
	HN_DOCTOR_FORWARDING,		/* the global forwarding switch is off */
	HN_DOCTOR_RP_FILTER,		/* strict IPv4 reverse-path filter on an interface */
	HN_DOCTOR_FIREWALL,		/* another table's forward chain drops */
	HN_DOCTOR_BR_NETFILTER,		/* bridged frames pass the forward hook */
	HN_DOCTOR_NCHECKS
};

/* What hn_doctor_run() looks at. */
#define HN_DOCTOR_FWD4		0x01	/* IPv4 forwarding must be on */
#define HN_DOCTOR_FWD6		0x02	/* IPv6 forwarding must be on */
#define HN_DOCTOR_IPV4		0x04	/* rp_filter; forward chains of ip and inet tables */
#define HN_DOCTOR_IPV6		0x08	/* forward chains of ip6 and inet tables */
#define HN_DOCTOR_BRIDGED	0x10	/* br_netfilter's bridge-nf-call-iptables */

/* One problem found: which check, what it is, what to do about it. */
struct hn_doctor_finding {
	enum hn_doctor_check check;
	char problem[384];
	char fix[256];
};

/* Every finding, and per check 0 or the -errno that kept it from running. */
struct hn_doctor_report {
	struct hn_doctor_finding *v;
	size_t n, cap;
	int rc[HN_DOCTOR_NCHECKS];
	char err[HN_DOCTOR_NCHECKS][HN_ERR_MAX];	/* ctx->err of a failed check */
};

const char *hn_doctor_check_name(enum hn_doctor_check check);
int hn_doctor_run(struct hn_ctx *ctx, unsigned int flags, const char *own_table,
		  struct hn_doctor_report *rep);
void hn_doctor_report_free(struct hn_doctor_report *rep);

#endif

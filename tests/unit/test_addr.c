/* test_addr.c - unit tests for lib/addr.c's builders: RTM_NEWADDR/RTM_DELADDR built, parsed back. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "unit.h"
#include "addr.h"
#include "parse.h"

static void check(bool del, const char *text, int family, unsigned int len, size_t alen)
{
	struct nlattr *tb[IFA_MAX + 1];
	struct hn_prefix p;
	struct nl_msg *m = NULL;
	struct ifaddrmsg *ifa;
	int rc;

	hn_parse_prefix(text, AF_UNSPEC, true, &p);
	rc = del ? hn_addr_build_del(7, &p, &m) : hn_addr_build_add(7, &p, &m);
	is_int(rc, 0, "%s %s builds", del ? "del" : "add", text);
	if (rc)
		return;
	is_int(nlmsg_hdr(m)->nlmsg_type, del ? RTM_DELADDR : RTM_NEWADDR, "%s message type", text);
	ok(del ? !(nlmsg_hdr(m)->nlmsg_flags & NLM_F_CREATE) :
		 (nlmsg_hdr(m)->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) == (NLM_F_CREATE | NLM_F_EXCL),
	   "%s flags (add: create, exclusive)", text);
	ok(nlmsg_parse(nlmsg_hdr(m), sizeof(*ifa), tb, IFA_MAX, NULL) == 0, "%s parses back", text);
	ifa = nlmsg_data(nlmsg_hdr(m));
	ok(ifa->ifa_family == family && ifa->ifa_prefixlen == len && ifa->ifa_index == 7,
	   "%s family, prefix length, index", text);
	ok(tb[IFA_LOCAL] && nla_len(tb[IFA_LOCAL]) == (int)alen &&
	   !memcmp(nla_data(tb[IFA_LOCAL]), p.addr.u.bytes, alen), "%s IFA_LOCAL", text);
	nlmsg_free(m);
}

int main(void)
{
	struct hn_prefix p;
	struct nl_msg *m = NULL;

	check(false, "10.0.0.1/24", AF_INET, 24, 4);
	check(true, "10.0.0.1/24", AF_INET, 24, 4);
	check(false, "2001:db8::1/64", AF_INET6, 64, 16);
	check(true, "2001:db8::1/64", AF_INET6, 64, 16);
	hn_parse_prefix("10.0.0.1/32", AF_INET, true, &p);
	is_int(hn_addr_build_add(0, &p, &m), -EINVAL, "index 0 refused");
	is_int(hn_addr_build_del(-1, &p, &m), -EINVAL, "negative index refused");
	p.addr.family = AF_UNSPEC;
	is_int(hn_addr_build_add(3, &p, &m), -EINVAL, "unknown family refused");
	return done_testing();
}

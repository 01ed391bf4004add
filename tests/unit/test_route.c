/* test_route.c - unit tests for lib/route.c and lib/neigh.c builders: build, parse back, compare; the single GETs. */
#include <errno.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "unit.h"
#include "neigh.h"
#include "route.h"

static struct hn_addr addr(const char *s)
{
	struct hn_addr a;

	if (hn_parse_addr(s, AF_UNSPEC, &a))
		memset(&a, 0, sizeof(a));
	return a;
}

static void test_route_new(const char *s)
{
	struct hn_addr a = addr(s);
	struct hn_route_host r;
	struct nl_msg *msg = NULL;
	struct nlmsghdr *h;
	struct rtmsg *rt;

	is_int(hn_route_build_host(RTM_NEWROUTE, &a, 1, NLM_F_CREATE | NLM_F_EXCL, &msg), 0,
	       "build new route %s", s);
	if (!msg)
		return;
	h = nlmsg_hdr(msg);
	rt = nlmsg_data(h);
	is_int(h->nlmsg_type, RTM_NEWROUTE, "%s: type", s);
	ok((h->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) == (NLM_F_CREATE | NLM_F_EXCL), "%s: flags", s);
	is_int(rt->rtm_protocol, RTPROT_BOOT, "%s: proto boot", s);
	is_int(rt->rtm_scope, RT_SCOPE_LINK, "%s: scope link", s);
	is_int(rt->rtm_table, RT_TABLE_MAIN, "%s: main table", s);
	is_int(hn_route_parse_host(h, &r), 1, "%s: parses back as a host route", s);
	ok(r.dst.family == a.family && !memcmp(r.dst.u.bytes, a.u.bytes, 16), "%s: same dst", s);
	is_int(r.ifindex, 1, "%s: same oif", s);
	is_str(r.dev, "lo", "%s: index 1 is lo", s);
	nlmsg_free(msg);
}

static void test_route_misc(void)
{
	struct hn_addr a = addr("10.0.0.77"), bad = { .family = AF_UNIX };
	struct nl_msg *msg = NULL;
	struct nlattr *tb[RTA_MAX + 1];

	is_int(hn_route_build_host(RTM_DELROUTE, &a, 0, 0, &msg), 0, "build del without a device");
	if (msg) {
		is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_DELROUTE, "del type");
		ok(nlmsg_parse(nlmsg_hdr(msg), sizeof(struct rtmsg), tb, RTA_MAX, NULL) == 0 &&
		   tb[RTA_DST] && !tb[RTA_OIF], "del carries dst, no oif");
		nlmsg_free(msg);
	}
	is_int(hn_route_build_host(RTM_GETROUTE, &a, 1, 0, &msg), -EINVAL, "bad cmd");
	is_int(hn_route_build_host(RTM_NEWROUTE, &bad, 1, 0, &msg), -EAFNOSUPPORT, "bad family");
}

static void test_neigh(const char *s)
{
	struct hn_addr a = addr(s);
	struct hn_neigh_proxy p;
	struct nl_msg *msg = NULL;
	struct ndmsg *nd;

	is_int(hn_neigh_build_proxy(RTM_NEWNEIGH, &a, 1, &msg), 0, "build proxy %s", s);
	if (!msg)
		return;
	nd = nlmsg_data(nlmsg_hdr(msg));
	ok(nd->ndm_flags & NTF_PROXY, "%s: NTF_PROXY", s);
	is_int(nd->ndm_ifindex, 1, "%s: ifindex", s);
	is_int(hn_neigh_parse_proxy(nlmsg_hdr(msg), &p), 1, "%s: parses back", s);
	ok(p.dst.family == a.family && !memcmp(p.dst.u.bytes, a.u.bytes, 16), "%s: same dst", s);
	is_int(p.ifindex, 1, "%s: same ifindex", s);
	nlmsg_free(msg);
	is_int(hn_neigh_build_proxy(RTM_DELNEIGH, &a, 1, &msg), 0, "build proxy del %s", s);
	if (msg) {
		is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_DELNEIGH, "%s: del type", s);
		nlmsg_free(msg);
	}
	is_int(hn_neigh_build_proxy(RTM_NEWNEIGH, &a, 0, &msg), -EINVAL, "%s: ifindex 0 refused", s);
}

/* A host route of a protocol of its own (uml_net's), and a delete of only that protocol's. */
static void test_route_proto(void)
{
	struct hn_addr a = addr("10.0.0.78"), bad = { .family = AF_UNIX };
	struct nl_msg *msg = NULL;
	struct hn_route_host r;

	is_int(hn_route_build_host_proto(RTM_NEWROUTE, &a, 1, NLM_F_CREATE, 200, &msg), 0,
	       "build new route of proto 200");
	if (msg) {
		is_int(((struct rtmsg *)nlmsg_data(nlmsg_hdr(msg)))->rtm_protocol, 200, "proto 200");
		is_int(hn_route_parse_host(nlmsg_hdr(msg), &r), 1, "parses back");
		is_int(r.protocol, 200, "parsed protocol");
		nlmsg_free(msg);
	}
	is_int(hn_route_build_host_proto(RTM_DELROUTE, &a, 1, 0, 200, &msg), 0, "build del of proto 200");
	if (msg) {
		is_int(((struct rtmsg *)nlmsg_data(nlmsg_hdr(msg)))->rtm_protocol, 200,
		       "a delete names the protocol");
		nlmsg_free(msg);
	}
	is_int(hn_route_build_host(RTM_DELROUTE, &a, 1, 0, &msg), 0, "build del of any protocol");
	if (msg) {
		is_int(((struct rtmsg *)nlmsg_data(nlmsg_hdr(msg)))->rtm_protocol, RTPROT_UNSPEC,
		       "route(8)'s delete matches any protocol");
		nlmsg_free(msg);
	}
	is_int(hn_route_build_host_proto(RTM_NEWROUTE, &a, 1, 0, 256, &msg), -EINVAL, "proto 256 refused");
	is_int(hn_route_build_host_proto(RTM_NEWROUTE, &bad, 1, 0, 4, &msg), -EAFNOSUPPORT,
	       "bad family refused");
}

/* The single GET: RTM_GETROUTE for one host, optionally RTM_F_FIB_MATCH. */
static void test_route_get(const char *s, unsigned int flags)
{
	struct hn_addr a = addr(s), bad = { .family = AF_UNIX };
	struct nlattr *tb[RTA_MAX + 1];
	struct nl_msg *msg = NULL;
	struct rtmsg *rt;

	is_int(hn_route_build_get(&a, flags, &msg), 0, "build get %s", s);
	if (!msg)
		return;
	rt = nlmsg_data(nlmsg_hdr(msg));
	is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_GETROUTE, "%s: RTM_GETROUTE", s);
	ok(!(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP), "%s: not a dump", s);
	is_int(rt->rtm_flags, flags, "%s: rtm_flags", s);
	is_int(rt->rtm_dst_len, a.family == AF_INET ? 32 : 128, "%s: host length", s);
	ok(nlmsg_parse(nlmsg_hdr(msg), sizeof(*rt), tb, RTA_MAX, NULL) == 0 && tb[RTA_DST] &&
	   !memcmp(nla_data(tb[RTA_DST]), a.u.bytes, a.family == AF_INET ? 4 : 16),
	   "%s: carries the destination", s);
	nlmsg_free(msg);
	is_int(hn_route_build_get(&bad, flags, &msg), -EAFNOSUPPORT, "get: bad family refused");
	ok(msg == NULL, "no message on failure");
}

/* Single neighbour requests: GET of a proxy or an ordinary entry, NTF_USE, DEL. */
static void test_neigh_req(const char *s)
{
	struct hn_addr a = addr(s), bad = { .family = AF_UNIX };
	struct nlattr *tb[NDA_MAX + 1];
	struct nl_msg *msg = NULL;
	struct ndmsg *nd;

	is_int(hn_neigh_build_req(RTM_GETNEIGH, 0, NTF_PROXY, &a, 3, &msg), 0, "build get proxy %s", s);
	if (!msg)
		return;
	nd = nlmsg_data(nlmsg_hdr(msg));
	is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_GETNEIGH, "%s: RTM_GETNEIGH", s);
	ok(!(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP), "%s: not a dump", s);
	ok(nd->ndm_family == a.family && nd->ndm_ifindex == 3 && nd->ndm_flags == NTF_PROXY &&
	   nd->ndm_state == NUD_NONE && !nd->ndm_type, "%s: header as the kernel's GET wants it", s);
	ok(nlmsg_parse(nlmsg_hdr(msg), sizeof(*nd), tb, NDA_MAX, NULL) == 0 && tb[NDA_DST] &&
	   nla_len(tb[NDA_DST]) == (a.family == AF_INET ? 4 : 16) &&
	   !memcmp(nla_data(tb[NDA_DST]), a.u.bytes, (size_t)nla_len(tb[NDA_DST])),
	   "%s: only the destination", s);
	nlmsg_free(msg);
	is_int(hn_neigh_build_req(RTM_GETNEIGH, 0, NTF_PROXY, &a, 0, &msg), 0,
	       "%s: a proxy GET may name no device", s);
	nlmsg_free(msg);
	is_int(hn_neigh_build_req(RTM_GETNEIGH, 0, 0, &a, 0, &msg), -EINVAL,
	       "%s: an ordinary GET needs a device", s);
	is_int(hn_neigh_build_req(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, NTF_USE, &a, 2, &msg), 0,
	       "%s: build NTF_USE", s);
	if (msg) {
		ok((nlmsg_hdr(msg)->nlmsg_flags & (NLM_F_CREATE | NLM_F_REPLACE)) ==
		   (NLM_F_CREATE | NLM_F_REPLACE), "%s: header flags kept", s);
		is_int(((struct ndmsg *)nlmsg_data(nlmsg_hdr(msg)))->ndm_flags, NTF_USE, "%s: NTF_USE", s);
		nlmsg_free(msg);
	}
	is_int(hn_neigh_build_req(RTM_GETROUTE, 0, 0, &a, 2, &msg), -EINVAL, "%s: bad type", s);
	is_int(hn_neigh_build_req(RTM_DELNEIGH, 0, 0, &a, -1, &msg), -EINVAL, "%s: bad ifindex", s);
	is_int(hn_neigh_build_req(RTM_DELNEIGH, 0, 0, &bad, 2, &msg), -EAFNOSUPPORT, "bad family");
}

/* Any route: text round trip, and build then parse gives it back. */
static void test_route_any(const char *text)
{
	struct hn_route r, back;
	struct nl_msg *msg = NULL;
	char buf[HN_ROUTE_TEXT_MAX];

	is_int(hn_route_from_text(text, &r), 0, "read '%s'", text);
	is_int(hn_route_text(&r, buf, sizeof(buf)), 0, "written");
	is_str(buf, text, "text round trip");
	r.oif = 7;
	is_int(hn_route_build(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &r, &msg), 0, "built");
	is_int(hn_route_parse(nlmsg_hdr(msg), &back), 1, "parsed back");
	hn_route_text(&back, buf, sizeof(buf));
	is_str(buf, text, "same route after build and parse");
	is_int(back.oif, 7, "device kept");
	nlmsg_free(msg);
}

static void test_route_any_bad(void)
{
	static const char *const bad[] = {
		"", "10.0.0.0/8", "10.0.0.0/8 metric 0 table 254 proto 4 scope 0",
		"10.0.0.0/8 metric 0 table 254 proto 256 scope 0 type 1",
		"10.0.0.0/8 via fe80::1 metric 0 table 254 proto 3 scope 0 type 1",
		"10.0.0.0/8 metric 0 table 254 proto 3 scope 0 type 1 extra",
		"10.0.0.1 metric 0 table 254 proto 3 scope 0 type 1",
	};
	struct hn_route r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(hn_route_from_text(bad[i], &r), -EINVAL, "refused '%s'", bad[i]);
}

int main(void)
{
	test_route_any("0.0.0.0/0 via 192.168.1.1 metric 0 table 254 proto 3 scope 0 type 1");
	test_route_any("10.9.0.0/16 via 192.168.1.7 src 192.168.1.200 metric 100 table 254 proto 4 scope 0 type 1");
	test_route_any("::/0 via fe80::1 metric 1024 table 254 proto 3 scope 0 type 1");
	test_route_any("2001:db8:5::/48 metric 256 table 254 proto 4 scope 253 type 1");
	test_route_any_bad();
	test_route_new("10.0.0.77");
	test_route_new("2001:db8::77");
	test_route_misc();
	test_neigh("10.0.0.77");
	test_neigh("2001:db8::77");
	test_route_proto();
	test_route_get("10.0.0.77", RTM_F_FIB_MATCH);
	test_route_get("2001:db8::77", 0);
	test_neigh_req("10.0.0.77");
	test_neigh_req("2001:db8::77");
	return done_testing();
}

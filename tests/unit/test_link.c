/* test_link.c - unit tests for lib/link.c's message builders and lib/nl.c's NLE mapping. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "unit.h"
#include "link.h"
#include "nl.h"

static struct nlattr *tb[IFLA_MAX + 1];

static struct ifinfomsg *parse(struct nl_msg *m)
{
	memset(tb, 0, sizeof(tb));
	if (nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0)
		return NULL;
	return nlmsg_data(nlmsg_hdr(m));
}

static void test_change(void)
{
	struct hn_link_change chg = {
		.set = HN_LINK_SET_UP | HN_LINK_SET_MTU | HN_LINK_SET_MASTER |
		       HN_LINK_SET_GROUP | HN_LINK_SET_MAC,
		.up = true, .mtu = 9000, .master = 42, .group = 3,
		.mac = { 0x02, 0, 0x5e, 1, 2, 3 },
	};
	struct ifinfomsg *ifi;
	struct nl_msg *m = NULL;

	is_int(hn_link_build_change("tap0", &chg, &m), 0, "build change");
	ifi = parse(m);
	ok(ifi != NULL, "change message parses");
	ok(nlmsg_hdr(m)->nlmsg_type == RTM_NEWLINK || nlmsg_hdr(m)->nlmsg_type == RTM_SETLINK,
	   "link change message type");
	ok(tb[IFLA_IFNAME] && !nla_strcmp(tb[IFLA_IFNAME], "tap0"), "named by IFLA_IFNAME");
	ok(ifi && (ifi->ifi_flags & IFF_UP) && (ifi->ifi_change & IFF_UP), "IFF_UP set and in change mask");
	ok(tb[IFLA_MTU] && nla_get_u32(tb[IFLA_MTU]) == 9000, "IFLA_MTU 9000");
	ok(tb[IFLA_MASTER] && nla_get_u32(tb[IFLA_MASTER]) == 42, "IFLA_MASTER 42");
	ok(tb[IFLA_GROUP] && nla_get_u32(tb[IFLA_GROUP]) == 3, "IFLA_GROUP 3");
	ok(tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) == 6 &&
	   !memcmp(nla_data(tb[IFLA_ADDRESS]), chg.mac, 6), "IFLA_ADDRESS");
	nlmsg_free(m);
}

static void test_change_down_only(void)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_UP, .up = false };
	struct ifinfomsg *ifi;
	struct nl_msg *m = NULL;

	is_int(hn_link_build_change("br0", &chg, &m), 0, "build down");
	ifi = parse(m);
	ok(ifi && !(ifi->ifi_flags & IFF_UP) && (ifi->ifi_change & IFF_UP), "IFF_UP cleared, in mask");
	ok(!tb[IFLA_MTU] && !tb[IFLA_MASTER] && !tb[IFLA_ADDRESS], "nothing else changed");
	nlmsg_free(m);
}

static void test_bad_names(void)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_UP, .up = true };
	struct nl_msg *m = NULL;

	is_int(hn_link_build_change("0123456789012345", &chg, &m), -ENAMETOOLONG,
	       "16-byte name refused (libnl would truncate)");
	is_int(hn_link_build_change("a/b", &chg, &m), -EINVAL, "bad name refused");
	is_int(hn_link_build_delete("", &m), -EINVAL, "empty name refused for delete");
}

static void test_delete(void)
{
	struct nl_msg *m = NULL;

	is_int(hn_link_build_delete("tap3", &m), 0, "build delete");
	is_int(nlmsg_hdr(m)->nlmsg_type, RTM_DELLINK, "RTM_DELLINK");
	parse(m);
	ok(tb[IFLA_IFNAME] && !nla_strcmp(tb[IFLA_IFNAME], "tap3"), "delete names the link");
	nlmsg_free(m);
}

static void test_get(void)
{
	struct nl_msg *m = NULL;

	is_int(hn_link_build_get("tap3", &m), 0, "build get");
	is_int(nlmsg_hdr(m)->nlmsg_type, RTM_GETLINK, "RTM_GETLINK");
	ok(!(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP), "one link, not a dump");
	parse(m);
	ok(tb[IFLA_IFNAME] && !nla_strcmp(tb[IFLA_IFNAME], "tap3"), "get names the link");
	nlmsg_free(m);
	is_int(hn_link_build_get("0123456789012345", &m), -ENAMETOOLONG, "get: long name refused");
}

static void test_nle(void)
{
	is_int(hn_nl_errno(0), 0, "NLE_SUCCESS is 0");
	is_int(hn_nl_errno(-NLE_NODEV), -ENODEV, "NLE_NODEV");
	is_int(hn_nl_errno(NLE_PERM), -EPERM, "positive NLE_PERM");
	is_int(hn_nl_errno(-NLE_EXIST), -EEXIST, "NLE_EXIST");
	is_int(hn_nl_errno(-NLE_BUSY), -EBUSY, "NLE_BUSY");
	is_int(hn_nl_errno(-10000), -EIO, "unknown code is -EIO");
}

static void test_ctx(void)
{
	struct hn_ctx ctx;

	hn_ctx_init(&ctx);
	is_int(hn_ctx_fail(&ctx, -ENODEV, "%s: %s", "tap0", "lookup"), -ENODEV, "fail passes rc");
	is_str(ctx.err, "tap0: lookup", "fail writes the what");
	hn_ctx_fini(&ctx);
	hn_ctx_fini(&ctx);
	ok(1, "fini twice is safe");
}

static int never(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 1;
	return 0;
}

/* A bad name is refused before any socket is opened; the reader names it. */
static void test_talk_get(void)
{
	struct hn_link_info info;
	struct hn_ctx ctx;
	int called = 0;

	hn_ctx_init(&ctx);
	is_int(hn_link_talk_get(&ctx, "a b", never, &called), -EINVAL, "talk_get: bad name");
	is_int(hn_link_talk_get(&ctx, "abcdefghijklmnop", never, &called), -ENAMETOOLONG,
	       "talk_get: long name refused, not cut");
	ok(!called && !ctx.rtnl, "talk_get: no callback, no socket");
	is_str(ctx.err, "", "talk_get: says nothing itself");
	is_int(hn_link_get(&ctx, "a b", &info), -EINVAL, "get: bad name");
	is_str(ctx.err, "a b", "get: names the link");
	hn_ctx_fini(&ctx);
}

/* The alias builder and parser round-trip; the mark is never cut. */
static void test_alias(void)
{
	char alias[HN_LINK_ALIAS_MAX], big[HN_LINK_ALIAS_MAX + 1];
	struct nl_msg *msg = NULL;

	ok(hn_link_build_alias(7, "uml_net uid=65534", &msg) == 0, "alias: built");
	is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_NEWLINK, "alias: RTM_NEWLINK");
	is_int(((struct ifinfomsg *)nlmsg_data(nlmsg_hdr(msg)))->ifi_index, 7, "alias: ifindex");
	is_int(hn_link_alias_parse(nlmsg_hdr(msg), alias), 0, "alias: parsed back");
	is_str(alias, "uml_net uid=65534", "alias: same text");
	nlmsg_free(msg);
	ok(hn_link_build_alias(0, "x", &msg) == -EINVAL, "alias: ifindex 0 refused");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(hn_link_build_alias(7, big, &msg) == -EINVAL, "alias: too long refused, not cut");
	ok(hn_link_build_alias(7, "", &msg) == 0, "alias: empty clears");
	is_int(hn_link_alias_parse(nlmsg_hdr(msg), alias), 0, "alias: empty parsed");
	is_str(alias, "", "alias: none");
	nlmsg_free(msg);
}

int main(void)
{
	test_alias();
	test_change();
	test_change_down_only();
	test_bad_names();
	test_delete();
	test_get();
	test_nle();
	test_ctx();
	test_talk_get();
	return done_testing();
}

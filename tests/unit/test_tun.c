/* test_tun.c - unit tests for lib/tun.c: the message parser (build, parse back) and hn_tun_create()'s checks. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "unit.h"
#include "tun.h"

/* A RTM_NEWLINK message as the kernel sends it for a tun/tap device. */
static struct nl_msg *link_msg(const char *name, const char *kind, int owner, int group,
			       unsigned char type, unsigned char mq)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 7, .ifi_flags = IFF_UP };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	struct nlattr *li, *data;

	nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	nla_put_string(msg, IFLA_IFNAME, name);
	if (!kind)
		return msg;
	li = nla_nest_start(msg, IFLA_LINKINFO);
	nla_put_string(msg, IFLA_INFO_KIND, kind);
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (owner >= 0)
		nla_put_u32(msg, IFLA_TUN_OWNER, (uint32_t)owner);
	if (group >= 0)
		nla_put_u32(msg, IFLA_TUN_GROUP, (uint32_t)group);
	nla_put_u8(msg, IFLA_TUN_TYPE, type);
	nla_put_u8(msg, IFLA_TUN_PI, 0);
	nla_put_u8(msg, IFLA_TUN_VNET_HDR, 1);
	nla_put_u8(msg, IFLA_TUN_PERSIST, 1);
	nla_put_u8(msg, IFLA_TUN_MULTI_QUEUE, mq);
	nla_nest_end(msg, data);
	nla_nest_end(msg, li);
	return msg;
}

static void test_parse_tap(void)
{
	struct nl_msg *m = link_msg("tap0", "tun", 1000, -1, IFF_TAP, 0);
	struct hn_tun_info t;

	is_int(hn_tun_info_parse(nlmsg_hdr(m), &t), 0, "tap message parses");
	is_str(t.name, "tap0", "name");
	is_int(t.ifindex, 7, "ifindex");
	ok(t.is_tun && t.tap, "is a tap");
	ok(t.has_owner && t.owner == 1000, "owner 1000");
	ok(!t.has_group, "no group reported means no group");
	ok(!t.pi && t.vnet_hdr && t.persist && !t.multi_queue, "feature flags");
	ok(t.ifflags & IFF_UP, "link flags");
	nlmsg_free(m);
}

static void test_parse_tun_group(void)
{
	struct nl_msg *m = link_msg("tun9", "tun", -1, 65534, IFF_TUN, 1);
	struct hn_tun_info t;

	is_int(hn_tun_info_parse(nlmsg_hdr(m), &t), 0, "tun message parses");
	ok(t.is_tun && !t.tap, "is a tun");
	ok(!t.has_owner, "no owner");
	ok(t.has_group && t.group == 65534, "group 65534");
	ok(t.multi_queue, "multi-queue");
	nlmsg_free(m);
}

static void test_parse_other(void)
{
	struct nl_msg *m = link_msg("br0", "bridge", -1, -1, 0, 0);
	struct nl_msg *plain = link_msg("lo", NULL, -1, -1, 0, 0);
	struct nl_msg *wrong = nlmsg_alloc_simple(RTM_NEWADDR, 0);
	struct hn_tun_info t;

	is_int(hn_tun_info_parse(nlmsg_hdr(m), &t), 0, "bridge message parses");
	ok(!t.is_tun, "a bridge is not a tun");
	is_int(hn_tun_info_parse(nlmsg_hdr(plain), &t), 0, "message without linkinfo parses");
	ok(!t.is_tun && !strcmp(t.name, "lo"), "lo is not a tun");
	is_int(hn_tun_info_parse(nlmsg_hdr(wrong), &t), -EBADMSG, "not a link message");
	nlmsg_free(m);
	nlmsg_free(plain);
	nlmsg_free(wrong);
}

static void test_attach_checks(void)
{
	char name[IFNAMSIZ];

	memset(name, 'a', sizeof(name));	/* no NUL within IFNAMSIZ */
	is_int(hn_tun_attach(-1, name, IFF_TAP), -ENAMETOOLONG, "unterminated name refused, not truncated");
	is_int(hn_tun_set_owner(-1, (uid_t)-1), -EINVAL, "owner -1 refused");
	is_int(hn_tun_set_group(-1, (gid_t)-1), -EINVAL, "group -1 refused");
	is_int(hn_tun_open("/nonexistent/hn-tun"), -ENOENT, "open reports -errno");
}

static bool closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

/* Refusals come before anything is opened: a missing clone path would give -ENOENT. */
static void test_create_args(void)
{
	struct hn_tun_spec spec = { .clone = "/nonexistent/hn-tun", .flags = IFF_TAP };
	enum hn_tun_step step = HN_TUN_STEP_PERSIST;
	char name[IFNAMSIZ] = "tap0";

	spec.flags = IFF_NO_PI;
	is_int(hn_tun_create(&spec, name, &step), -EINVAL, "neither tun nor tap refused");
	is_int(step, HN_TUN_STEP_ARGS, "... at the arguments");
	spec.flags = IFF_TUN | IFF_TAP;
	is_int(hn_tun_create(&spec, name, NULL), -EINVAL, "both tun and tap refused");
	spec.flags = IFF_TAP;
	spec.has_owner = true, spec.owner = (uid_t)-1;
	is_int(hn_tun_create(&spec, name, NULL), -EINVAL, "owner -1 refused before the attach");
	spec.has_owner = false, spec.has_group = true, spec.group = (gid_t)-1;
	is_int(hn_tun_create(&spec, name, NULL), -EINVAL, "group -1 refused before the attach");
	spec.has_group = false, spec.clone = NULL;
	is_int(hn_tun_create(&spec, name, NULL), -EINVAL, "no clone path and no fd refused");
	spec.has_fd = true, spec.fd = -1;
	is_int(hn_tun_create(&spec, name, NULL), -EINVAL, "a negative fd refused");
	spec.has_fd = false, spec.clone = "/nonexistent/hn-tun";
	memset(name, 'a', sizeof(name));
	step = HN_TUN_STEP_PERSIST;
	is_int(hn_tun_create(&spec, name, &step), -ENAMETOOLONG, "unterminated name refused, not truncated");
	is_int(step, HN_TUN_STEP_ARGS, "... before the open");
}

/* Steps that fail without a kernel tun: the open, and TUNSETIFF on a file that is not one. */
static void test_create_steps(void)
{
	struct hn_tun_spec spec = { .clone = "/nonexistent/hn-tun", .flags = IFF_TAP | IFF_NO_PI,
				    .persist = true };
	enum hn_tun_step step = HN_TUN_STEP_ARGS;
	char name[IFNAMSIZ] = "tap%d";
	int fd;

	is_int(hn_tun_create(&spec, name, &step), -ENOENT, "open's -errno");
	is_int(step, HN_TUN_STEP_OPEN, "... at the open");
	spec.clone = "/dev/null";
	is_int(hn_tun_create(&spec, name, &step), -ENOTTY, "TUNSETIFF on /dev/null fails");
	is_int(step, HN_TUN_STEP_ATTACH, "... at the attach");
	is_str(name, "tap%d", "name untouched when the attach fails");
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	spec.has_fd = true, spec.fd = fd, spec.keep_fd = true;
	is_int(hn_tun_create(&spec, name, &step), -ENOTTY, "given fd: TUNSETIFF fails");
	ok(closed(fd), "a given fd is closed on failure");
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	spec.fd = fd, spec.flags = 0;
	is_int(hn_tun_create(&spec, name, &step), -EINVAL, "given fd: bad flags");
	ok(closed(fd), "a given fd is closed when the spec is refused");
	is_int(hn_tun_get_features(-1, &(unsigned int){ 0 }), -EBADF, "features of a bad fd");
}

static void test_step_names(void)
{
	is_str(hn_tun_step_name(HN_TUN_STEP_OPEN), "open", "open");
	is_str(hn_tun_step_name(HN_TUN_STEP_ATTACH), "TUNSETIFF", "attach");
	is_str(hn_tun_step_name(HN_TUN_STEP_OWNER), "TUNSETOWNER", "owner");
	is_str(hn_tun_step_name(HN_TUN_STEP_GROUP), "TUNSETGROUP", "group");
	is_str(hn_tun_step_name(HN_TUN_STEP_PERSIST), "TUNSETPERSIST", "persist");
	is_str(hn_tun_step_name((enum hn_tun_step)99), "?", "out of range");
}

static void test_build_get(void)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	struct nl_msg *m = NULL;

	is_int(hn_tun_build_get("tap0", &m), 0, "build get of one link");
	is_int(nlmsg_hdr(m)->nlmsg_type, RTM_GETLINK, "RTM_GETLINK");
	ok(!(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP), "not a dump");
	ok(nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) == 0 &&
	   tb[IFLA_IFNAME] && !nla_strcmp(tb[IFLA_IFNAME], "tap0"), "names the link");
	nlmsg_free(m);
	is_int(hn_tun_build_get(NULL, &m), 0, "build dump");
	ok((nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP, "is a dump");
	ok(nlmsg_parse(nlmsg_hdr(m), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) == 0 &&
	   tb[IFLA_LINKINFO] && !tb[IFLA_IFNAME], "dump carries a linkinfo filter");
	ok(nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) == 0 &&
	   li[IFLA_INFO_KIND] && !nla_strcmp(li[IFLA_INFO_KIND], "tun"), "filter kind is tun");
	nlmsg_free(m);
	is_int(hn_tun_build_get("0123456789012345", &m), -ENAMETOOLONG, "long name refused");
}

int main(void)
{
	test_build_get();
	test_parse_tap();
	test_parse_tun_group();
	test_parse_other();
	test_attach_checks();
	test_create_args();
	test_create_steps();
	test_step_names();
	return done_testing();
}

/* test_vxlan.c - unit tests for lib/vxlan.c and lib/fdb.c builders: build, parse back, compare. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "unit.h"
#include "fdb.h"
#include "vxlan.h"

static struct hn_addr addr(const char *s)
{
	struct hn_addr a;

	if (!s || hn_parse_addr(s, AF_UNSPEC, &a))
		memset(&a, 0, sizeof(a));
	return a;
}

static bool same(const struct hn_addr *a, const struct hn_addr *b)
{
	return a->family == b->family && !memcmp(a->u.bytes, b->u.bytes, a->family == AF_INET ? 4 : 16);
}

/* The IFLA_VXLAN_* attribute @type of a built RTM_NEWLINK, or NULL. */
static struct nlattr *vx_attr(struct nl_msg *msg, int type)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *d[IFLA_VXLAN_MAX + 1];

	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_LINKINFO] || nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0 ||
	    !li[IFLA_INFO_DATA] || nla_parse_nested(d, IFLA_VXLAN_MAX, li[IFLA_INFO_DATA], NULL) < 0)
		return NULL;
	return d[type];
}

static void test_vxlan_add(const char *local, const char *group)
{
	struct hn_vxlan vx = { .id = 4242, .link = 3, .port = 4789, .learning = false,
			       .has_ttl = true, .ttl = 9 }, back;
	struct nlattr *tb[IFLA_MAX + 1], *a;
	struct nl_msg *msg = NULL;
	struct nlmsghdr *h;

	vx.local = addr(local);
	vx.group = addr(group);
	is_int(hn_vxlan_build_add("vx0", &vx, &msg), 0, "build vxlan local %s group %s", local, group);
	if (!msg)
		return;
	h = nlmsg_hdr(msg);
	is_int(h->nlmsg_type, RTM_NEWLINK, "type RTM_NEWLINK");
	ok((h->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) == (NLM_F_CREATE | NLM_F_EXCL),
	   "create, never replace");
	ok(nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) == 0 && tb[IFLA_IFNAME] &&
	   !strcmp(nla_get_string(tb[IFLA_IFNAME]), "vx0"), "name");
	a = vx_attr(msg, IFLA_VXLAN_PORT);
	/* libnl 3.7 sends it as 4 bytes; the kernel reads the first two, big-endian */
	ok(a && nla_len(a) >= 2 && !memcmp(nla_data(a), "\x12\xb5", 2), "port in network order");
	is_int(hn_vxlan_parse(h, &back), 0, "parse back");
	is_int(back.id, 4242, "id");
	is_int(back.link, 3, "underlay ifindex");
	is_int(back.port, 4789, "port");
	is_int(back.ttl, 9, "ttl");
	ok(!back.learning, "learning off");
	ok(same(&back.local, &vx.local), "local %s", local ? local : "unset");
	ok(same(&back.group, &vx.group), "group %s", group ? group : "unset");
	nlmsg_free(msg);
}

static void test_vxlan_errors(void)
{
	struct hn_vxlan vx = { .id = 1, .port = 4789 };
	struct nl_msg *msg = NULL;

	is_int(hn_vxlan_build_add("a-very-long-name-0", &vx, &msg), -ENAMETOOLONG,
	       "a long name is refused, never truncated");
	ok(!msg, "no message");
	is_int(hn_vxlan_build_add("", &vx, &msg), -EINVAL, "empty name");
	vx.id = 0;
	is_int(hn_vxlan_build_add("vx0", &vx, &msg), -ERANGE, "VNI 0");
	vx.id = HN_VXLAN_VNI_MAX + 1;
	is_int(hn_vxlan_build_add("vx0", &vx, &msg), -ERANGE, "VNI over 24 bits");
	vx.id = 1;
	vx.port = 0;
	is_int(hn_vxlan_build_add("vx0", &vx, &msg), -ERANGE, "port 0");
	vx.port = 1;
	vx.local.family = AF_UNIX;
	is_int(hn_vxlan_build_add("vx0", &vx, &msg), -EAFNOSUPPORT, "local neither IPv4 nor IPv6");
	ok(!msg, "no message");
	is_int(hn_vxlan_overhead(AF_INET), 50, "overhead over IPv4");
	is_int(hn_vxlan_overhead(AF_INET6), 70, "overhead over IPv6");
}

/* A link message of another kind is not read as a VXLAN. */
static void test_vxlan_not(void)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	struct hn_vxlan vx;
	struct nlattr *li;

	nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	li = nla_nest_start(msg, IFLA_LINKINFO);
	nla_put_string(msg, IFLA_INFO_KIND, "bridge");
	nla_nest_end(msg, li);
	is_int(hn_vxlan_parse(nlmsg_hdr(msg), &vx), -ENOENT, "a bridge is not a vxlan");
	nlmsg_hdr(msg)->nlmsg_type = RTM_DELLINK;
	is_int(hn_vxlan_parse(nlmsg_hdr(msg), &vx), -EBADMSG, "not an RTM_NEWLINK");
	nlmsg_free(msg);
}

static void test_fdb(int cmd, const char *dst)
{
	struct hn_fdb f = { .ifindex = 7, .dst = addr(dst) }, back;
	struct nl_msg *msg = NULL;
	struct nlmsghdr *h;
	struct ndmsg *nd;
	static const uint8_t zero[6];

	is_int(hn_fdb_build(cmd, &f, &msg), 0, "build %s fdb dst %s",
	       cmd == RTM_NEWNEIGH ? "new" : "del", dst);
	if (!msg)
		return;
	h = nlmsg_hdr(msg);
	nd = nlmsg_data(h);
	is_int(h->nlmsg_type, cmd, "type");
	if (cmd == RTM_NEWNEIGH)
		ok((h->nlmsg_flags & (NLM_F_CREATE | NLM_F_APPEND | NLM_F_EXCL | NLM_F_REPLACE)) ==
		   (NLM_F_CREATE | NLM_F_APPEND), "appended beside the other remotes");
	is_int(nd->ndm_family, AF_BRIDGE, "AF_BRIDGE");
	is_int(nd->ndm_flags, NTF_SELF, "the device's own entry");
	is_int(nd->ndm_state, NUD_NOARP | NUD_PERMANENT, "permanent");
	h->nlmsg_type = RTM_NEWNEIGH;		/* parse reads entries as dumps send them */
	is_int(hn_fdb_parse(h, &back), 1, "parse back");
	is_int(back.ifindex, 7, "ifindex");
	ok(!memcmp(back.mac, zero, 6), "all-zeros MAC");
	ok(same(&back.dst, &f.dst), "dst %s", dst);
	nlmsg_free(msg);
}

static void test_fdb_errors(void)
{
	struct hn_fdb f = { .ifindex = 7, .dst = addr("10.0.0.1") };
	struct nl_msg *msg = NULL;

	is_int(hn_fdb_build(RTM_GETNEIGH, &f, &msg), -EINVAL, "not a new/del command");
	f.ifindex = 0;
	is_int(hn_fdb_build(RTM_NEWNEIGH, &f, &msg), -EINVAL, "no device");
	f.ifindex = 7;
	f.dst.family = 0;
	is_int(hn_fdb_build(RTM_NEWNEIGH, &f, &msg), -EAFNOSUPPORT, "no remote address");
	ok(!msg, "no message");
}

/* The dump of one device's entries carries its index in an ifinfomsg (the kernel's port filter). */
static void test_fdb_dump(void)
{
	struct nl_msg *msg = NULL;
	struct nlmsghdr *h;

	is_int(hn_fdb_build_dump(9, &msg), 0, "build dump of one device");
	if (msg) {
		h = nlmsg_hdr(msg);
		ok(h->nlmsg_type == RTM_GETNEIGH && (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP,
		   "a RTM_GETNEIGH dump");
		is_int(nlmsg_datalen(h), sizeof(struct ifinfomsg), "ifinfomsg header");
		is_int(((struct ifinfomsg *)nlmsg_data(h))->ifi_index, 9, "the port filter");
		is_int(((struct ifinfomsg *)nlmsg_data(h))->ifi_family, AF_BRIDGE, "AF_BRIDGE");
		nlmsg_free(msg);
	}
	is_int(hn_fdb_build_dump(0, &msg), 0, "build dump of every device");
	if (msg) {
		is_int(nlmsg_datalen(nlmsg_hdr(msg)), sizeof(struct ndmsg), "a bare ndmsg: no filter");
		nlmsg_free(msg);
	}
}

/* A proxy neighbour entry (AF_INET, no MAC) is not a remote. */
static void test_fdb_not(void)
{
	struct ndmsg nd = { .ndm_family = AF_INET, .ndm_ifindex = 2 };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWNEIGH, 0);
	struct hn_fdb f;
	uint32_t a = htonl(0x0a000001);

	nlmsg_append(msg, &nd, sizeof(nd), NLMSG_ALIGNTO);
	nla_put(msg, NDA_DST, 4, &a);
	is_int(hn_fdb_parse(nlmsg_hdr(msg), &f), 0, "an IPv4 neighbour is not a remote");
	nlmsg_free(msg);
}

int main(void)
{
	test_vxlan_add("10.0.0.1", NULL);
	test_vxlan_add("fd00::1", NULL);
	test_vxlan_add(NULL, "239.1.1.1");
	test_vxlan_add(NULL, "ff05::2");
	test_vxlan_errors();
	test_vxlan_not();
	test_fdb(RTM_NEWNEIGH, "10.0.0.2");
	test_fdb(RTM_DELNEIGH, "fd00::3");
	test_fdb_errors();
	test_fdb_not();
	test_fdb_dump();
	return done_testing();
}

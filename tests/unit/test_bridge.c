/* test_bridge.c - unit tests for lib/bridge.c: value parsers, and builders checked by build -> parse back. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "unit.h"
#include "bridge.h"

static void test_parse_time(void)
{
	static const struct { const char *s; int rc; uint32_t cs; } cases[] = {
		{ "120", 0, 12000 },
		{ "0.5", 0, 50 },
		{ "12.345", 0, 1234 },		/* truncated, not rounded */
		{ "0.29", 0, 29 },
		{ "4.35", 0, 434 },		/* brctl's microsecond split: 349999 us */
		{ "1.999", 0, 199 },
		{ "1e2", 0, 10000 },
		{ "0x1.8p1", 0, 300 },		/* sscanf("%lf") takes hex floats */
		{ "5x", 0, 500 },		/* trailing junk ignored, as brctl */
		{ " 7", 0, 700 },
		{ "0", 0, 0 },
		{ "42949672.95", 0, 4294967295u },
		{ "42949673", -ERANGE, 0 },	/* does not fit IFLA_BR_* u32 */
		{ "-1", -ERANGE, 0 },		/* brctl stores 1844674407270 */
		{ "inf", -ERANGE, 0 },
		{ "nan", -ERANGE, 0 },
		{ "abc", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "x5", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cs = 12345;
		int rc = hn_bridge_parse_time(cases[i].s, &cs);

		is_int(rc, cases[i].rc, "time '%s' rc", cases[i].s);
		is_int(cs, rc ? 12345 : cases[i].cs, "time '%s' value", cases[i].s);
	}
}

static void test_parse_int(void)
{
	static const struct { const char *s; int rc; long v; } cases[] = {
		{ "4096", 0, 4096 },
		{ "0x2000", 0, 8192 },
		{ "070000", 0, 28672 },		/* leading 0 is octal, as %i */
		{ "70000", 0, 70000 },
		{ "-1", 0, -1 },
		{ "5x", 0, 5 },
		{ " 10", 0, 10 },
		{ "2147483647", 0, 2147483647 },
		{ "2147483648", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "high", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long v = 7;
		int rc = hn_bridge_parse_int(cases[i].s, &v);

		is_int(rc, cases[i].rc, "int '%s' rc", cases[i].s);
		is_int(v, rc ? 7 : cases[i].v, "int '%s' value", cases[i].s);
	}
}

static void test_parse_bool(void)
{
	static const struct { const char *s; int rc; bool on; } cases[] = {
		{ "on", 0, true }, { "yes", 0, true }, { "1", 0, true },
		{ "off", 0, false }, { "no", 0, false }, { "0", 0, false },
		{ "ON", -EINVAL, false }, { "maybe", -EINVAL, false }, { "", -EINVAL, false },
		{ "onx", -EINVAL, false }, { "true", -EINVAL, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool on = !cases[i].on;
		int rc = hn_bridge_parse_bool(cases[i].s, &on);

		is_int(rc, cases[i].rc, "bool '%s' rc", cases[i].s);
		if (!rc)
			is_int(on, cases[i].on, "bool '%s' value", cases[i].s);
	}
}

/* IFLA_IFNAME and IFLA_INFO_KIND of a link request, for the checks below. */
static void link_names(struct nl_msg *msg, char *name, char *kind)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];

	name[0] = kind[0] = '\0';
	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0)
		return;
	if (tb[IFLA_IFNAME])
		nla_strlcpy(name, tb[IFLA_IFNAME], IFNAMSIZ);
	if (tb[IFLA_LINKINFO] && !nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) &&
	    li[IFLA_INFO_KIND])
		nla_strlcpy(kind, li[IFLA_INFO_KIND], 16);
}

static void test_build_add(void)
{
	struct nl_msg *msg = NULL;
	char name[IFNAMSIZ], kind[16];

	is_int(hn_bridge_build_add("br0", &msg), 0, "add br0 builds");
	if (msg) {
		struct nlmsghdr *h = nlmsg_hdr(msg);

		is_int(h->nlmsg_type, RTM_NEWLINK, "add is RTM_NEWLINK");
		is_int(h->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL,
		       "add has NLM_F_CREATE|NLM_F_EXCL (EEXIST like the ioctl)");
		link_names(msg, name, kind);
		is_str(name, "br0", "add names br0");
		is_str(kind, "bridge", "add kind is bridge");
		nlmsg_free(msg);
	}
	msg = NULL;
	is_int(hn_bridge_build_add("br%d", &msg), 0, "add accepts one %%d");
	nlmsg_free(msg);
	is_int(hn_bridge_build_add("abcdefghijklmnop", &msg), -ENAMETOOLONG, "add never truncates");
	is_int(hn_bridge_build_add("a b", &msg), -EINVAL, "add refuses blanks");
	is_int(hn_bridge_build_add("", &msg), -EINVAL, "add refuses empty");
}

static const struct hn_bridge_attrs all_attrs = {
	.set = HN_BRIDGE_SET_FORWARD_DELAY | HN_BRIDGE_SET_HELLO_TIME | HN_BRIDGE_SET_MAX_AGE |
	       HN_BRIDGE_SET_AGEING_TIME | HN_BRIDGE_SET_STP_STATE | HN_BRIDGE_SET_PRIORITY |
	       HN_BRIDGE_SET_VLAN_FILTERING,
	.forward_delay = 250, .hello_time = 100, .max_age = 600, .ageing_time = 12000,
	.stp_state = 1, .priority = 4464, .vlan_filtering = 1,
};

/* Build, parse back, compare every field; only the fields in a->set may appear. */
static void check_set_roundtrip(const struct hn_bridge_attrs *a, const char *what)
{
	struct hn_bridge_attrs back;
	struct nl_msg *msg = NULL;
	char name[IFNAMSIZ], kind[16];

	is_int(hn_bridge_build_set("br0", a, &msg), 0, "%s: builds", what);
	if (!msg)
		return;
	is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_NEWLINK, "%s: RTM_NEWLINK", what);
	is_int(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_CREATE, 0, "%s: never creates", what);
	link_names(msg, name, kind);
	is_str(name, "br0", "%s: named by IFLA_IFNAME", what);
	is_str(kind, "bridge", "%s: kind bridge", what);
	is_int(hn_bridge_attrs_parse(nlmsg_hdr(msg), &back), 0, "%s: parses back", what);
	is_int(back.set, a->set, "%s: same attributes present", what);
	is_int(back.forward_delay, a->set & HN_BRIDGE_SET_FORWARD_DELAY ? a->forward_delay : 0,
	       "%s: forward delay", what);
	is_int(back.hello_time, a->set & HN_BRIDGE_SET_HELLO_TIME ? a->hello_time : 0, "%s: hello", what);
	is_int(back.max_age, a->set & HN_BRIDGE_SET_MAX_AGE ? a->max_age : 0, "%s: max age", what);
	is_int(back.ageing_time, a->set & HN_BRIDGE_SET_AGEING_TIME ? a->ageing_time : 0,
	       "%s: ageing", what);
	is_int(back.stp_state, a->set & HN_BRIDGE_SET_STP_STATE ? a->stp_state : 0, "%s: stp", what);
	is_int(back.priority, a->set & HN_BRIDGE_SET_PRIORITY ? a->priority : 0, "%s: priority", what);
	is_int(back.vlan_filtering, a->set & HN_BRIDGE_SET_VLAN_FILTERING ? a->vlan_filtering : 0,
	       "%s: vlan filtering", what);
	nlmsg_free(msg);
}

static void test_build_set(void)
{
	struct nl_msg *msg = NULL;

	check_set_roundtrip(&all_attrs, "all bridge attributes");
	for (unsigned int f = 1; f <= HN_BRIDGE_SET_VLAN_FILTERING; f <<= 1) {
		struct hn_bridge_attrs one = all_attrs;
		char what[32];

		one.set = f;
		snprintf(what, sizeof(what), "attribute 0x%02x alone", f);
		check_set_roundtrip(&one, what);
	}
	is_int(hn_bridge_build_set("abcdefghijklmnop", &all_attrs, &msg), -ENAMETOOLONG,
	       "set: long name refused");
	is_int(hn_bridge_build_set("br%d", &all_attrs, &msg), -EINVAL, "set: pattern refused");
}

static void check_port_roundtrip(const struct hn_bridge_port_attrs *a, const char *what)
{
	struct hn_bridge_port_attrs back;
	struct nl_msg *msg = NULL;
	struct ifinfomsg *ifi;

	is_int(hn_bridge_port_build_set(7, a, &msg), 0, "%s: builds", what);
	if (!msg)
		return;
	ifi = nlmsg_data(nlmsg_hdr(msg));
	is_int(nlmsg_hdr(msg)->nlmsg_type, RTM_SETLINK, "%s: RTM_SETLINK (bridge setlink)", what);
	is_int(ifi->ifi_family, AF_BRIDGE, "%s: family AF_BRIDGE", what);
	is_int(ifi->ifi_index, 7, "%s: port by ifindex", what);
	is_int(hn_bridge_port_attrs_parse(nlmsg_hdr(msg), &back), 0, "%s: parses back", what);
	is_int(back.set, a->set, "%s: same attributes present", what);
	is_int(back.cost, a->set & HN_BRIDGE_PORT_SET_COST ? a->cost : 0, "%s: cost", what);
	is_int(back.priority, a->set & HN_BRIDGE_PORT_SET_PRIORITY ? a->priority : 0,
	       "%s: priority", what);
	is_int(back.hairpin, a->set & HN_BRIDGE_PORT_SET_HAIRPIN ? a->hairpin : 0, "%s: hairpin", what);
	is_int(back.state, a->set & HN_BRIDGE_PORT_SET_STATE ? a->state : 0, "%s: state", what);
	nlmsg_free(msg);
}

static void test_build_port(void)
{
	struct hn_bridge_port_attrs cost = { .set = HN_BRIDGE_PORT_SET_COST, .cost = 250 };
	struct hn_bridge_port_attrs prio = { .set = HN_BRIDGE_PORT_SET_PRIORITY, .priority = 10 };
	struct hn_bridge_port_attrs hp_on = { .set = HN_BRIDGE_PORT_SET_HAIRPIN, .hairpin = true };
	struct hn_bridge_port_attrs hp_off = { .set = HN_BRIDGE_PORT_SET_HAIRPIN, .hairpin = false };
	struct hn_bridge_port_attrs state = { .set = HN_BRIDGE_PORT_SET_STATE, .state = 3 };
	struct hn_bridge_port_attrs all = {
		.set = HN_BRIDGE_PORT_SET_COST | HN_BRIDGE_PORT_SET_PRIORITY | HN_BRIDGE_PORT_SET_HAIRPIN,
		.cost = 65535, .priority = 63, .hairpin = true,
	};
	struct nl_msg *msg = NULL;

	check_port_roundtrip(&cost, "port cost");
	check_port_roundtrip(&prio, "port priority");
	check_port_roundtrip(&hp_on, "hairpin on");
	check_port_roundtrip(&hp_off, "hairpin off");
	check_port_roundtrip(&state, "port state");
	check_port_roundtrip(&all, "cost+priority+hairpin");
	is_int(hn_bridge_port_build_set(0, &cost, &msg), -EINVAL, "port: ifindex 0 refused");
	state.state = BR_STATE_BLOCKING + 1;
	msg = NULL;
	is_int(hn_bridge_port_build_set(7, &state, &msg), -EINVAL,
	       "port: a state libnl cannot encode is refused, not left out");
	ok(!msg, "port: no message for a refused state");
}

/* A fake RTM_NEWLINK of a bridge port, as the kernel's dump sends it. */
static struct nl_msg *fake_port(void)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 4, .ifi_flags = IFF_UP };
	uint8_t root[8] = { 0x80, 0x00, 2, 0, 0, 0, 0, 0x0a };
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x0a };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_MULTI);
	struct nlattr *li, *sd;

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		return msg;
	nla_put_string(msg, IFLA_IFNAME, "v0");
	nla_put_u32(msg, IFLA_MASTER, 9);
	nla_put(msg, IFLA_ADDRESS, 6, mac);
	li = nla_nest_start(msg, IFLA_LINKINFO);
	nla_put_string(msg, IFLA_INFO_KIND, "veth");
	nla_put_string(msg, IFLA_INFO_SLAVE_KIND, "bridge");
	sd = nla_nest_start(msg, IFLA_INFO_SLAVE_DATA);
	nla_put_u8(msg, IFLA_BRPORT_STATE, 3);
	nla_put_u16(msg, IFLA_BRPORT_PRIORITY, 10);
	nla_put_u32(msg, IFLA_BRPORT_COST, 250);
	nla_put_u8(msg, IFLA_BRPORT_MODE, 1);
	nla_put(msg, IFLA_BRPORT_ROOT_ID, 8, root);
	nla_put_u16(msg, IFLA_BRPORT_ID, 0x2801);
	nla_put_u16(msg, IFLA_BRPORT_NO, 1);
	nla_put_u64(msg, IFLA_BRPORT_FORWARD_DELAY_TIMER, 1286);
	nla_nest_end(msg, sd);
	nla_nest_end(msg, li);
	return msg;
}

static void test_link_parse(void)
{
	struct nl_msg *msg = fake_port();
	struct hn_bridge_link l;

	is_int(hn_bridge_link_parse(nlmsg_hdr(msg), &l), 0, "fake port parses");
	is_str(l.name, "v0", "port name");
	is_int(l.ifindex, 4, "port ifindex");
	is_int(l.master, 9, "port master");
	ok(l.is_port && !l.is_bridge, "slave kind bridge makes a port, kind veth no bridge");
	is_int(l.port.state, 3, "port state");
	is_int(l.port.priority, 10, "port priority");
	is_int(l.port.cost, 250, "port cost");
	is_int(l.port.hairpin, 1, "port hairpin");
	is_int(l.port.port_id, 0x2801, "port id");
	is_int(l.port.port_no, 1, "port number");
	is_int(l.port.forward_delay_timer, 1286, "u64 timer");
	is_int(l.port.designated_root.prio[0], 0x80, "bridge id priority byte");
	is_int(l.port.designated_root.addr[5], 0x0a, "bridge id address byte");
	is_int(l.mac[5], 0x0a, "link address");
	nlmsg_free(msg);
	msg = nlmsg_alloc_simple(RTM_DELLINK, 0);
	is_int(hn_bridge_link_parse(nlmsg_hdr(msg), &l), -EBADMSG, "not a RTM_NEWLINK: refused");
	nlmsg_free(msg);
}

/* A fake AF_BRIDGE RTM_NEWNEIGH: @mac on @ifindex, master @master (0: none). */
static struct nl_msg *fake_neigh(int ifindex, int master, uint8_t last, uint16_t state,
				 uint8_t flags, uint32_t updated)
{
	struct ndmsg ndm = { .ndm_family = PF_BRIDGE, .ndm_ifindex = ifindex,
			     .ndm_state = state, .ndm_flags = flags };
	struct nda_cacheinfo ci = { .ndm_updated = updated };
	uint8_t mac[6] = { 2, 0, 0, 0, 0, last };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWNEIGH, NLM_F_MULTI);

	if (!msg || nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0)
		return msg;
	nla_put(msg, NDA_LLADDR, 6, mac);
	if (master)
		nla_put_u32(msg, NDA_MASTER, (uint32_t)master);
	nla_put(msg, NDA_CACHEINFO, sizeof(ci), &ci);
	return msg;
}

static int fdb_case(const struct hn_bridge_dump *d, struct nl_msg *msg, struct hn_bridge_fdb *e)
{
	int rc = hn_bridge_fdb_parse(nlmsg_hdr(msg), d, &d->links[0], e);

	nlmsg_free(msg);
	return rc;
}

static void test_fdb_parse(void)
{
	struct hn_bridge_link links[4] = {
		{ .name = "br0", .ifindex = 9, .is_bridge = true },
		{ .name = "v0", .ifindex = 4, .master = 9, .is_port = true, .port.port_no = 0x101 },
		{ .name = "v2", .ifindex = 5, .master = 8, .is_port = true, .port.port_no = 1 },
		{ .name = "lo", .ifindex = 1 },
	};
	struct hn_bridge_dump d = { .links = links, .n = 4 };
	struct hn_bridge_fdb e;

	is_int(fdb_case(&d, fake_neigh(4, 9, 0x0a, NUD_PERMANENT, 0, 0), &e), 1, "local entry on a port: kept");
	ok(e.is_local && e.port_no == 0x101 && e.mac[5] == 0x0a && e.ageing_timer == 0,
	   "local: is_local, full port number, MAC, timer 0");
	is_int(fdb_case(&d, fake_neigh(4, 9, 0x1a, NUD_REACHABLE, 0, 67), &e), 1, "learned entry: kept");
	ok(!e.is_local && e.ageing_timer == 67, "learned: not local, ageing timer from ndm_updated");
	is_int(fdb_case(&d, fake_neigh(4, 9, 0x1b, NUD_NOARP, 0, 5), &e), 1, "static entry: kept");
	ok(!e.is_local, "static: not local, as brforward says");
	is_int(fdb_case(&d, fake_neigh(4, 0, 0x01, NUD_PERMANENT, NTF_SELF, 0), &e), 0,
	       "the port's own self entry (multicast list): skipped");
	is_int(fdb_case(&d, fake_neigh(9, 9, 0x0c, NUD_PERMANENT, 0, 0), &e), 0,
	       "entry on the bridge device itself: skipped");
	is_int(fdb_case(&d, fake_neigh(5, 8, 0x0b, NUD_PERMANENT, 0, 0), &e), 0,
	       "another bridge's entry: skipped");
	is_int(fdb_case(&d, fake_neigh(1, 9, 0x0d, NUD_PERMANENT, 0, 0), &e), 0,
	       "master says br0 but the device is not its port: skipped");
	is_int(fdb_case(&d, nlmsg_alloc_simple(RTM_NEWLINK, 0), &e), -EBADMSG, "not a neighbour: refused");
}

int main(void)
{
	test_parse_time();
	test_parse_int();
	test_parse_bool();
	test_build_add();
	test_build_set();
	test_build_port();
	test_link_parse();
	test_fdb_parse();
	return done_testing();
}

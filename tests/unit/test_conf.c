/* test_conf.c - unit tests for hostnet's config parser and checker: every construct and error. */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "unit.h"
#include "../../hostnet/conf.h"
#include "../../hostnet/conf_check.h"

/* Parse @text as a whole file; return the first error text, or "" when clean. */
static const char *parse(struct conf *c, const char *text)
{
	conf_free(c);
	conf_init(c, "t.conf");
	if (conf_parse_buf(c, text, strlen(text)) < 0)
		return "ENOMEM";
	conf_check(c);
	return c->nerrs ? c->errs[0].msg : "";
}

static int first_line(const struct conf *c)
{
	return c->nerrs ? c->errs[0].line : 0;
}

static void test_constructs(void)
{
	struct conf c = { 0 };

	is_str(parse(&c, "# comment\n\n  \t\nlinkgroup 7 # trailing\n"), "", "comments and blanks");
	is_int(c.linkgroup, 7, "linkgroup");
	is_str(parse(&c, "linkgroup 9#trailing\r\n"), "", "'#' inside a word starts the comment");
	is_int(c.linkgroup, 9, "linkgroup before the comment");
	is_str(parse(&c, "tun_access path /tmp/tun group 0 mode 0660\n"), "", "tun_access");
	ok(c.tun.has_group && c.tun.group == 0 && c.tun.mode == 0660, "tun_access fields");
	is_str(c.tun.path, "/tmp/tun", "tun_access path");
	is_str(parse(&c, "tun_access mode 0600\n"), "", "tun_access mode only");
	is_str(c.tun.path, "/dev/net/tun", "tun_access default path");
	is_str(parse(&c, "bridge br0 address 10.0.0.1/24 mtu 1400 stp off setfd 1.5 sethello 2 "
		     "setmaxage 12 setageing 300 setbridgeprio 100 vlan_filtering on\n"), "",
	       "bridge with every option");
	is_int(c.bridges[0].attrs.forward_delay, 150, "setfd in centiseconds");
	is_int(c.bridges[0].attrs.set, 0x7f, "every bridge attribute marked set");
	is_int(c.bridges[0].mtu, 1400, "bridge mtu");
	ok(c.bridges[0].attrs.stp_state == 0 && c.bridges[0].attrs.vlan_filtering == 1,
	   "stp off, vlan_filtering on");
	is_str(parse(&c, "bridge br0 stp on vlan_filtering off\n"), "", "the switches the other way");
	ok(c.bridges[0].attrs.stp_state == 1 && c.bridges[0].attrs.vlan_filtering == 0 &&
	   c.bridges[0].attrs.set == (HN_BRIDGE_SET_STP_STATE | HN_BRIDGE_SET_VLAN_FILTERING),
	   "stp on, vlan_filtering off, only those two marked set");
	is_str(parse(&c, "tap tap0 user 1000 group 100 multi_queue vnet_hdr mtu 1484 "
		     "address 10.0.0.1/32 address fd00::1/128 route 10.0.0.2 route 10.0.0.3 "
		     "publish eth0\n"), "", "tap with every option");
	ok(c.taps[0].has_user && c.taps[0].user == 1000 && c.taps[0].group == 100, "tap owner");
	ok(c.taps[0].multi_queue && c.taps[0].vnet_hdr, "tap flags");
	is_int(c.taps[0].naddr, 2, "two addresses");
	is_int(c.taps[0].nroute, 2, "two routes");
	is_str(c.taps[0].publish, "eth0", "publish");
	is_str(parse(&c, "bridge br0\naddif br0 eth0 eth1\ntap t0 bridge br0\n"), "", "ports");
	is_int(c.nports, 2, "addif takes a list");
	is_int(c.bridges[0].nports, 3, "ports counted");
	is_str(parse(&c, "forwarding ipv4 on\nforwarding ipv6 off\nproxyarp on tap0\n"
		     "proxyndp off tap0\n"), "", "sysctls");
	is_int(c.nsysctls, 4, "four sysctls");
	is_str(parse(&c, "masquerade 10.0.0.0/24 out eth0\nsnat 10.0.0.0/24 out eth1 to 1.2.3.4\n"
		     "forward tcp 80 in eth0 dst 1.2.3.4 to 10.0.0.2 local\n"
		     "forward udp 5000-5010 to 10.0.0.3 port 6000\n"
		     "forward tcp 22 to fd00::2 port 2222\nhairpin 10.0.0.0/24\n"), "", "nat lines");
	is_int(c.nnats, 6, "six nat items");
	ok(c.nats[2].it.proto == IPPROTO_TCP && c.nats[2].it.to_lo == 80, "forward keeps the port");
	ok(c.nats[2].it.local && c.nats[2].it.dst.len == 32, "forward local with dst");
	ok(c.nats[3].it.to_lo == 6000 && c.nats[3].it.to_hi == 6000, "forward range to one port");
	is_int(c.nats[4].it.family, AF_INET6, "forward IPv6");
	is_int(c.nats[5].it.kind, HN_NFTNAT_HAIRPIN, "hairpin");
	conf_free(&c);
}

static void test_errors(void)
{
	static const struct { const char *text; int line; const char *msg; } cases[] = {
		{ "tpa tap0\n", 1, "unknown keyword \"tpa\"" },
		{ "TAP tap0\n", 1, "unknown keyword \"TAP\"" },
		{ "\ntap tap0 ower 1\n", 2, "tap0: unknown option \"ower\"" },
		{ "tap tap0 own 1\n", 1, "tap0: unknown option \"own\"" },
		{ "tap\n", 1, "tap: missing name" },
		{ "tap tap0 mtu\n", 1, "tap0: \"mtu\" needs a value" },
		{ "tap tap0 mtu 5\n", 1, "tap0: mtu \"5\": expected 68..65535" },
		{ "tap tap0 mtu 1500 mtu 1400\n", 1, "tap0: \"mtu\" given twice" },
		{ "tap 0123456789abcdef\n", 1, "\"0123456789abcdef\": interface name longer than 15 bytes" },
		{ "tap a/b\n", 1, "\"a/b\": '/' and ':' are not allowed in interface names" },
		{ "tap t0 route 10.0.0.300\n", 1, "t0: route \"10.0.0.300\": not an IPv4 or IPv6 address" },
		{ "tap t0 address 10.0.0.1/33\n", 1, "t0: address \"10.0.0.1/33\": not an address or address/prefix" },
		{ "tap t0 user nosuchuser_hn\n", 1, NULL },
		{ "tap t0 publish eth0\n", 1, "t0: publish needs at least one route" },
		{ "bridge br0 stp maybe\n", 1, "br0: stp \"maybe\": expected on or off" },
		{ "bridge br0 setfd 1x\n", 1, "br0: setfd \"1x\": expected seconds (e.g. 2 or 0.5)" },
		{ "bridge br0 setbridgeprio 70000\n", 1, "br0: setbridgeprio \"70000\": expected 0..65535" },
		{ "bridge br0\nbridge br0\n", 2, "br0: already declared at line 1" },
		{ "bridge br0\ntap br0\n", 2, "br0: already declared at line 1" },
		{ "tap t0 bridge br9\n", 1, "t0: bridge br9 is not declared" },
		{ "addif br0 eth0\n", 1, "eth0: bridge br0 is not declared" },
		{ "addif br0\n", 1, "addif: expected BRIDGE DEVICE... [takeover]" },
		{ "addif br0 takeover\n", 1, "takeover: bridge br0 is not declared" },	/* a device */
		{ "bridge br0\nbridge br1\naddif br0 eth0\naddif br1 eth0\n", 4,
		  "eth0: already a bridge port at line 3" },
		{ "bridge br0\ntap t0 bridge br0\naddif br0 t0\n", 3, "t0: already a bridge port at line 2" },
		{ "bridge br0\nbridge br1\naddif br0 br1\n", 3, "br1: a bridge cannot be a port of br0" },
		{ "bridge br0\ntap t0 bridge br0 address 10.0.0.1/24\n", 2,
		  "t0: a bridge port takes no address or route (put the address on br0)" },
		{ "tap t0 address 10.0.0.1/24\ntap t1 route 10.0.0.1\n", 2,
		  "address 10.0.0.1: already used at line 1" },
		{ "bridge b address 10.0.0.1/24\ntap t1 address 10.0.0.1/32\n", 2,
		  "address 10.0.0.1: already used at line 1" },
		{ "forwarding ipv5 on\n", 1, "forwarding: expected ipv4|ipv6 on|off" },
		{ "forwarding ipv4 on\nforwarding ipv4 off\n", 2,
		  "forwarding ipv4: already set at line 1" },
		{ "proxyarp on t0\nproxyarp off t0\n", 2, "proxyarp t0: already set at line 1" },
		{ "proxyarp t0\n", 1, "proxyarp: expected on|off INTERFACE" },
		{ "proxyarp t0 on\n", 1, "\"t0\": expected on or off" },
		{ "linkgroup 0\n", 1, "linkgroup: expected a number 1..4294967295" },
		{ "linkgroup 1\nlinkgroup 2\n", 2, "linkgroup already set at line 1" },
		{ "tun_access group\n", 1, "tun_access: expected [path /PATH] [group GROUP] [mode 0NNN]" },
		{ "tun_access mode 660\n", 1, "tun_access: expected [path /PATH] [group GROUP] [mode 0NNN]" },
		{ "tun_access mode 0660\ntun_access mode 0600\n", 2, "tun_access already set at line 1" },
		{ "masquerade 10.0.0.1/24 out eth0\n", 1, "masquerade: '10.0.0.1/24': host bits set (give the network address)" },
		{ "masquerade 10.0.0.0/24 eth0\n", 1, "masquerade: 'eth0': unexpected argument" },
		{ "masquerade 10.0.0.0/24 out eth0\nmasquerade 10.0.0.0/24 out eth0\n", 2,
		  "masquerade: same source and interface as line 1" },
		{ "masquerade 10.0.0.0/24 out eth0\nsnat 10.0.0.0/24 out eth0 to 1.2.3.4\n", 2,
		  "snat: same source and interface as line 1" },
		{ "snat 10.0.0.0/24 out eth0 to fd00::1\n", 1,
		  "snat: 'fd00::1': wrong address family here" },
		{ "hairpin 10.0.0.0/24 out eth0\n", 1, "hairpin: 'out': unexpected argument" },
		{ "forward tcp 0 to 10.0.0.2\n", 1, "forward: '0': port 0 is not allowed (ports are 1-65535)" },
		{ "forward tcp 65536 to 10.0.0.2\n", 1, "forward: '65536': ports are 1-65535" },
		{ "forward tcp 90-80 to 10.0.0.2\n", 1, "forward: '90-80': reversed port range" },
		{ "forward sctp 80 to 10.0.0.2\n", 1, NULL },
		{ "forward tcp 80 in eth0\n", 1, "forward: '80': needs to ADDR" },
		{ "forward tcp 80 to 10.0.0.2 local\n", 1, "forward: '80': local needs dst ADDR" },
		{ "forward tcp 80 to 10.0.0.2 to 10.0.0.3\n", 1, "forward: 'to': unexpected argument" },
		{ "forward tcp 80-81 to 10.0.0.2 port 90-91\n", 1,
		  "forward: '80-81': a port range forwards to the same ports or to one port" },
		{ "forward tcp 80 dst 1.2.3.4 to fd00::2\n", 1, "forward: '80': dst and to are of different address families" },
		{ "forward tcp 80 to 10.0.0.2\nforward tcp 80 to 10.0.0.3\n", 2,
		  "port 80/tcp: already forwarded at line 1" },
		{ "forward tcp 70-90 to 10.0.0.2\nforward tcp 80 to 10.0.0.3\n", 2,
		  "port 80/tcp: already forwarded at line 1" },
		{ "forward tcp 80 in eth0 to 10.0.0.2\nforward tcp 80 to 10.0.0.3\n", 2,
		  "port 80/tcp: already forwarded at line 1" },
		{ "forward tcp 80 to 10.0.0.2\nforward udp 80 to 10.0.0.3\n"
		  "forward tcp 80 to fd00::4\nforward tcp 81 to 10.0.0.2\n", 0, "" },
		{ "forward tcp 80 in eth0 to 10.0.0.2\nforward tcp 80 in eth1 to 10.0.0.3\n", 0, "" },
	};
	struct conf c = { 0 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = parse(&c, cases[i].text);

		if (cases[i].msg)
			is_str(got, cases[i].msg, "error %zu: %s", i, cases[i].msg[0] ? cases[i].msg : "none");
		else
			ok(c.nerrs > 0, "error %zu refused", i);
		is_int(first_line(&c), cases[i].line, "error %zu at line %d", i, cases[i].line);
	}
	conf_free(&c);
}

static void test_limits(void)
{
	struct conf c = { 0 };
	size_t n = 1100 * 32, len;
	char *buf = malloc(n), *p = buf;
	int i;

	p += sprintf(p, "bridge br0\n");
	for (i = 0; i < 1024; i++)
		p += sprintf(p, "tap t%d bridge br0\n", i);
	len = (size_t)(p - buf);
	parse(&c, "");
	conf_parse_buf(&c, buf, len);
	conf_check(&c);
	is_int(c.nerrs, 1, "1024 ports on one bridge: one error");
	is_str(c.errs[0].msg, "br0: more than 1023 ports", "over 1023 ports");
	is_int(c.errs[0].line, 1, "reported at the bridge");
	conf_free(&c);
	memset(buf, 'x', 5000);
	conf_init(&c, "t");
	conf_parse_buf(&c, buf, 5000);
	is_str(c.errs[0].msg, "line longer than 4096 bytes", "long line refused, not cut");
	conf_free(&c);
	conf_init(&c, "t");
	conf_parse_buf(&c, "tap t0\0\n", 8);
	is_str(c.errs[0].msg, "NUL byte in line", "NUL byte");
	conf_free(&c);
	conf_init(&c, "t");
	for (i = 0; i < 150; i++)
		conf_parse_buf(&c, "x\n", 2);
	is_int(c.nerrs, 150, "every error counted");
	conf_free(&c);
	free(buf);
}

int main(void)
{
	test_constructs();
	test_errors();
	test_limits();
	return done_testing();
}

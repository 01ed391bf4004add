/* test_conf_vxlan.c - unit tests for the vxlan line of hostnet.conf: every option, every error, file:line. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "unit.h"
#include "vxlan.h"
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

static const char *peer(const struct conf_vxlan *v, size_t i, char *buf)
{
	return i < v->npeers && inet_ntop(v->peers[i].family, v->peers[i].u.bytes, buf,
					  INET6_ADDRSTRLEN) ? buf : "?";
}

static void test_constructs(void)
{
	struct conf c = { 0 };
	char b[INET6_ADDRSTRLEN];

	is_str(parse(&c, "bridge br0\nvxlan vx0 id 4242 dev eth0 bridge br0 peers 10.0.0.1 "
		     "10.0.0.2 10.0.0.3\n"), "", "three peers");
	is_int(c.nvxlans, 1, "one vxlan");
	is_int(c.vxlans[0].line, 2, "its line");
	is_int(c.vxlans[0].vni, 4242, "vni");
	is_str(c.vxlans[0].dev, "eth0", "underlay");
	is_str(c.vxlans[0].bridge, "br0", "bridge");
	is_int(c.vxlans[0].port, HN_VXLAN_PORT, "port defaults to 4789, not the kernel's 8472");
	ok(c.vxlans[0].learning && !c.vxlans[0].has_ttl, "learning on, ttl unset by default");
	is_int(c.vxlans[0].npeers, 3, "peers counted");
	is_str(peer(&c.vxlans[0], 2, b), "10.0.0.3", "peers in order");
	is_int(c.bridges[0].nports, 1, "the vxlan is a port of its bridge");
	is_str(parse(&c, "vxlan vx1 peers fd00::1 fd00::2 learning off ttl 8 port 8472 id 16777215 "
		     "dev eth1\n"), "", "options in any order, IPv6 peers");
	ok(!c.vxlans[0].learning && c.vxlans[0].has_ttl && c.vxlans[0].ttl == 8, "learning, ttl");
	is_int(c.vxlans[0].port, 8472, "port");
	is_int(c.vxlans[0].vni, HN_VXLAN_VNI_MAX, "largest VNI");
	is_int(c.vxlans[0].peers[0].family, AF_INET6, "IPv6 peers");
	is_str(parse(&c, "vxlan vx0 id 1 dev eth0 peers 10.0.0.1\n"), "",
	       "one peer: this host only (an EVPN daemon adds the remotes)");
	is_str(parse(&c, "vxlan vx0 id 1 dev eth0 group 239.1.1.1\n"
		     "vxlan vx1 id 1 port 4790 dev eth0 group ff05::1\n"), "",
	       "group mode, IPv4 and IPv6; one VNI on two ports");
	is_int(c.vxlans[1].group.family, AF_INET6, "IPv6 group");
	is_int(c.vxlans[0].npeers, 0, "no peers in group mode");
	conf_free(&c);
}

static void error(const char *text, int line, const char *want)
{
	struct conf c = { 0 };

	is_str(parse(&c, text), want, "refused: %s", want);
	is_int(c.nerrs ? c.errs[0].line : 0, line, "  at line %d", line);
	conf_free(&c);
}

static void test_errors(void)
{
	error("vxlan\n", 1, "vxlan: missing name");
	error("vxlan a/b id 1 dev eth0 peers 10.0.0.1\n", 1, "\"a/b\": '/' and ':' are not allowed in interface names");
	error("\nvxlan vx0 id 0 dev eth0 peers 10.0.0.1\n", 2, "vx0: id \"0\": expected a VNI 1..16777215");
	error("vxlan vx0 id 16777216 dev eth0 peers 10.0.0.1\n", 1,
	      "vx0: id \"16777216\": expected a VNI 1..16777215");
	error("vxlan vx0 id 0x10 dev eth0 peers 10.0.0.1\n", 1,
	      "vx0: id \"0x10\": expected a VNI 1..16777215");
	error("vxlan vx0 dev eth0 peers 10.0.0.1\n", 1, "vx0: id VNI missing");
	error("vxlan vx0 id 5 peers 10.0.0.1\n", 1,
	      "vx0: dev UNDERLAY missing (the interface the tunnel's packets leave by)");
	error("vxlan vx0 id 5 dev eth0\n", 1, "vx0: peers ADDR... or group MCAST missing");
	error("vxlan vx0 id 5 dev eth0 peers\n", 1, "vx0: \"peers\" needs a value");
	error("vxlan vx0 id 5 dev eth0 peers ttl 3\n", 1, "vx0: \"peers\" needs a value");
	error("vxlan vx0 id 5 dev eth0 peers 10.0.0.1 group 239.1.1.1\n", 1,
	      "vx0: peers and group exclude each other");
	error("vxlan vx0 id 5 dev eth0 peers 10.0.0.1 224.0.0.5\n", 1,
	      "vx0: peers: 224.0.0.5: a multicast address (use group MCAST for a multicast underlay)");
	error("vxlan vx0 id 5 dev eth0 peers ff02::1\n", 1,
	      "vx0: peers: ff02::1: a multicast address (use group MCAST for a multicast underlay)");
	error("vxlan vx0 id 5 dev eth0 peers 0.0.0.0\n", 1, "vx0: peers: 0.0.0.0: the unspecified address");
	error("vxlan vx0 id 5 dev eth0 peers 127.0.0.1\n", 1, "vx0: peers: 127.0.0.1: a loopback address");
	error("vxlan vx0 id 5 dev eth0 peers 255.255.255.255\n", 1,
	      "vx0: peers: 255.255.255.255: the broadcast address");
	error("vxlan vx0 id 5 dev eth0 peers fe80::1\n", 1,
	      "vx0: peers: fe80::1: a link-local address (the kernel needs a global one)");
	error("vxlan vx0 id 5 dev eth0 peers 10.0.0.1 10.0.0.2 10.0.0.1\n", 1,
	      "vx0: peers: 10.0.0.1 given twice");
	error("vxlan vx0 id 5 dev eth0 peers fd00::1 fd00:0::1\n", 1, "vx0: peers: fd00:0::1 given twice");
	error("vxlan vx0 id 5 dev eth0 peers 10.0.0.1 fd00::1\n", 1,
	      "vx0: peers: fd00::1: IPv4 and IPv6 peers mixed (one underlay family per vxlan)");
	error("vxlan vx0 id 5 dev eth0 peers 10.0.0.1 host2\n", 1,
	      "vx0: peers: \"host2\": not an IPv4 or IPv6 address");
	error("vxlan vx0 id 5 dev eth0 group 10.0.0.1\n", 1,
	      "vx0: group \"10.0.0.1\": not a multicast address (224.0.0.0/4 or ff00::/8; use peers for unicast)");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1 port 0\n", 1, "vx0: port \"0\": expected 1..65535");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1 port 65536\n", 1, "vx0: port \"65536\": expected 1..65535");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1 ttl 256\n", 1, "vx0: ttl \"256\": expected 1..255");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1 learning yes\n", 1,
	      "vx0: learning \"yes\": expected on or off");
	error("vxlan vx0 id 5 id 6 dev eth0 group 239.1.1.1\n", 1, "vx0: \"id\" given twice");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1 remote 10.0.0.1\n", 1,
	      "vx0: unknown option \"remote\"");
	error("vxlan vx0 id 5 dev vx0 group 239.1.1.1\n", 1, "vx0: cannot be its own underlay");
	error("vxlan vx0 id 5 dev eth0 bridge br0 group 239.1.1.1\n", 1, "vx0: bridge br0 is not declared");
	error("tap vx0\nvxlan vx0 id 5 dev eth0 group 239.1.1.1\n", 2, "vx0: already declared as a tap");
	error("bridge br0\naddif br0 vx0\nvxlan vx0 id 5 dev eth0 group 239.1.1.1\n", 2,
	      "vx0: a declared vxlan; use \"bridge br0\" on its line");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1\nvxlan vx0 id 6 dev eth0 group 239.1.1.1\n", 2,
	      "vx0: already declared at line 1");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1\nvxlan vx1 id 5 dev eth0 peers 10.0.0.1\n", 2,
	      "vx1: id 5 port 4789 already used by vx0 at line 1");
	error("vxlan vx0 id 5 dev eth0 group 239.1.1.1\nvxlan vx1 id 6 dev vx0 peers 10.0.0.1\n", 2,
	      "vx1: a vxlan cannot be the underlay of another");
}

/* Every error of a line is reported, not just the first. */
static void test_all_errors(void)
{
	struct conf c = { 0 };

	parse(&c, "vxlan vx0 id 0 peers 239.1.1.1 10.0.0.1 10.0.0.1 ttl 0\n");
	is_int(c.nerrs, 5, "vni, multicast peer, duplicate, ttl and the missing dev: five errors");
	conf_free(&c);
}

int main(void)
{
	test_constructs();
	test_errors();
	test_all_errors();
	return done_testing();
}

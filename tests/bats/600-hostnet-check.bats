#!/usr/bin/env bats
# 600-hostnet-check.bats - hostnet's command line and `check`: every grammar
# construct accepted, every error reported as file:line with exit 2.

load helpers
load hostnet

setup() {
	CONF=$BATS_TEST_TMPDIR/hostnet.conf
	export CONF
}

chk() {
	run --separate-stderr "$HOSTNET" -f "$CONF" check
}

@test "usage: no command, unknown command, bad option exit 2" {
	run --separate-stderr "$HOSTNET"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: no command given" ]
	run --separate-stderr "$HOSTNET" frobnicate
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = 'hostnet: unknown command "frobnicate"' ]
	run --separate-stderr "$HOSTNET" -Q check
	[ "$status" -eq 2 ]
	run --separate-stderr "$HOSTNET" -j plan
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: -j only applies to status" ]
	run --separate-stderr "$HOSTNET" app
	[ "$status" -eq 2 ]
}

@test "help lists every command and exits 0" {
	run "$HOSTNET" --help
	[ "$status" -eq 0 ]
	for c in check plan apply down status; do
		[[ "$output" == *"  $c "* ]]
	done
}

@test "a missing file is a config error" {
	run --separate-stderr "$HOSTNET" -f "$BATS_TEST_TMPDIR/none.conf" check
	[ "$status" -eq 2 ]
	[ "$stderr" = "hostnet: $BATS_TEST_TMPDIR/none.conf: No such file or directory" ]
}

@test "every construct of the grammar is accepted" {
	conf "# every keyword and option" \
		"linkgroup 4242" \
		"tun_access path /dev/net/tun group 0 mode 0660" \
		"bridge br0 address 192.168.2.1/24 address fd00:2::1/64 mtu 1500 stp off setfd 9 sethello 2 setmaxage 12 setageing 300 setbridgeprio 100 vlan_filtering off" \
		"bridge br1" \
		"addif br1 eth1 eth2   # existing devices" \
		"tap tap0 user 1000 group 100 multi_queue vnet_hdr mtu 1484 bridge br0" \
		"tap tap1 user nobody address 192.168.0.254/32 route 192.168.0.253 route 192.168.0.252 publish eth0" \
		"forwarding ipv4 on" \
		"forwarding ipv6 off" \
		"proxyarp on tap1" \
		"proxyndp on tap1" \
		"masquerade 192.168.2.0/24 out eth0" \
		"snat 192.168.3.0/24 out eth0 to 203.0.113.5" \
		"forward tcp 80 in eth0 dst 203.0.113.5 to 192.168.2.10 local" \
		"forward udp 5000-5010 to 192.168.2.11" \
		"forward tcp 22 to fd00:2::10 port 2222" \
		"hairpin 192.168.2.0/24"
	chk
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$CONF: ok (2 bridges, 2 taps, 2 ports, 4 sysctls, 6 nat rules)" ]
}

@test "every error, each with its file:line, in line order; nothing else" {
	conf "tpa tap0" \
		"tap tap0 ower 1" \
		"tap tap1 mtu 5" \
		"bridge br0 stp maybe" \
		"bridge br0 setfd x" \
		"tap tap2 bridge br9" \
		"tap tap3 address 10.0.0.1/24" \
		"tap tap4 route 10.0.0.1" \
		"forward tcp 80 in eth0 to 192.168.2.10" \
		"forward tcp 79-81 in eth0 to 192.168.2.11" \
		"forwarding ipv4 on" \
		"forwarding ipv4 off" \
		"tap waytoolongname12345" \
		"masquerade 10.0.0.1/24 out eth0" \
		"forward tcp 0 to 10.0.0.2" \
		"tun_access mode 660" \
		"linkgroup 0" \
		"addif br0 eth0" \
		"addif br0 eth0" \
		"tap tap5 publish eth0"
	chk
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	diff -u - <(printf '%s\n' "$stderr") <<EXPECTED
hostnet: $CONF:1: unknown keyword "tpa"
hostnet: $CONF:2: tap0: unknown option "ower"
hostnet: $CONF:3: tap1: mtu "5": expected 68..65535
hostnet: $CONF:4: br0: stp "maybe": expected on or off
hostnet: $CONF:5: br0: setfd "x": expected seconds (e.g. 2 or 0.5)
hostnet: $CONF:5: br0: already declared at line 4
hostnet: $CONF:6: tap2: bridge br9 is not declared
hostnet: $CONF:8: address 10.0.0.1: already used at line 7
hostnet: $CONF:10: port 80/tcp: already forwarded at line 9
hostnet: $CONF:12: forwarding ipv4: already set at line 11
hostnet: $CONF:13: "waytoolongname12345": interface name longer than 15 bytes
hostnet: $CONF:14: masquerade: '10.0.0.1/24': host bits set (give the network address)
hostnet: $CONF:15: forward: '0': port 0 is not allowed (ports are 1-65535)
hostnet: $CONF:16: tun_access: expected [path /PATH] [group GROUP] [mode 0NNN]
hostnet: $CONF:17: linkgroup: expected a number 1..4294967295
hostnet: $CONF:19: eth0: already a bridge port at line 18
hostnet: $CONF:20: tap5: publish needs at least one route
hostnet: $CONF: 17 errors, nothing changed
EXPECTED
}

@test "a bridge over 1023 ports is refused at the bridge's line" {
	{ echo "bridge br0"; for i in $(seq 0 1023); do echo "tap t$i bridge br0"; done; } >"$CONF"
	chk
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:1: br0: more than 1023 ports" ]
}

@test "plan, apply and status refuse a bad file before touching anything" {
	conf "tap tap0" "tap tap0"
	for c in plan apply status; do
		run --separate-stderr "$HOSTNET" -f "$CONF" "$c"
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "hostnet: $CONF:2: tap0: already declared at line 1" ]
	done
}

@test "include: a hostnet.d/ of one file per guest, checked as one file, errors as the included file:line" {
	D=$BATS_TEST_TMPDIR/hostnet.d
	mkdir -p "$D"
	printf '%s\n' "bridge br0 address 10.0.0.1/24" "include hostnet.d/*.conf" "forwarding ipv4 on" >"$CONF"
	printf '%s\n' "# guest a" "tap tapa user 1000 bridge br0" >"$D/a.conf"
	printf '%s\n' "tap tapb user 1000 bridge br0" "tap tapb user 1000" "bogus word" >"$D/b.conf"
	chk
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: $D/b.conf:2: tapb: already declared at line 1" ]
	[ "${stderr_lines[1]}" = "hostnet: $D/b.conf:3: unknown keyword \"bogus\"" ]
	[ "${stderr_lines[2]}" = "hostnet: $CONF: 2 errors, nothing changed" ]
	# the same name in two files: the other file is named
	printf '%s\n' "tap tapa user 1000" >"$D/b.conf"
	chk
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: $D/b.conf:1: tapa: already declared at $D/a.conf:2" ]
	printf '%s\n' "tap tapb user 1000 bridge br0" >"$D/b.conf"
	chk
	[ "$status" -eq 0 ]
	[ "$output" = "$CONF: ok (1 bridges, 2 taps, 0 ports, 1 sysctls, 0 nat rules; 3 files)" ]
	# an empty directory is fine; a missing plain file is not
	rm "$D"/*.conf
	chk
	[ "$status" -eq 0 ]
	printf '%s\n' "include nosuch.conf" >>"$CONF"
	chk
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:4: include nosuch.conf: No such file or directory" ]
}

@test "include: a loop, too deep a nesting and a bad line are errors of the include line" {
	printf '%s\n' "include $BATS_TEST_TMPDIR/loop.conf" >"$CONF"
	printf '%s\n' "tap tapl" "include hostnet.conf" >"$BATS_TEST_TMPDIR/loop.conf"
	chk
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: $BATS_TEST_TMPDIR/loop.conf:2: include $BATS_TEST_TMPDIR/hostnet.conf: read already (an include loop?)" ]
	printf '%s\n' "include" >"$CONF"
	chk
	[ "${stderr_lines[0]}" = "hostnet: $CONF:1: include: expected one file name or pattern" ]
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "include d$((i + 1)).conf" >"$BATS_TEST_TMPDIR/d$i.conf"; done
	echo "tap tapd" >"$BATS_TEST_TMPDIR/d11.conf"
	printf '%s\n' "include d1.conf" >"$CONF"
	chk
	[ "$status" -eq 2 ]
	[[ ${stderr_lines[0]} == "hostnet: $BATS_TEST_TMPDIR/d8.conf:1: include d9.conf: more than 8 levels of include" ]]
}

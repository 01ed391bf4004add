#!/usr/bin/env bats
# 630-hostnet-examples.bats - every examples/*.conf (the seed recipes) applied,
# checked, applied again (no change), and taken down to the state before.

load helpers
load hostnet

setup() {
	hn_setup
	EXAMPLES=$BATS_TEST_DIRNAME/../../examples
	make_tun666
}

teardown() {
	ns_teardown_test
	rm -rf "${TUN666_DIR:-/nonexistent}"
}

# example NAME: the example as this test's config, with the tun clone device
# replaced by a private node (/dev is shared with the host).
example() {
	sed -e "s|^tun_access |tun_access path $TUN666 |" \
		-e 's/group uml-net/group nogroup/' "$EXAMPLES/$1.conf" >"$CONF"
}

round_trip() {
	snapshot >"$BATS_TEST_TMPDIR/before"
	run --separate-stderr hn apply
	[ "$status" -eq 0 ] || { echo "$stderr" >&3; return 1; }
	run hn status -j
	[ "$(jq -r '[.[].state] | unique | join(" ")' <<<"$output")" = ok ]
	run hn apply
	[ "$output" = "nothing to do" ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "seed 001: routed tap with proxy ARP" {
	example seed001-routed-tap
	round_trip
}

@test "seed 001 in effect: route, published entry, proxy_arp and forwarding" {
	example seed001-routed-tap
	hn apply
	[ "$(ip -n "$NS" -j route show 192.168.0.253 | jq -r '.[0].dev')" = tap0 ]
	[ "$(ip -n "$NS" -j neigh show proxy | jq -r '.[0] | "\(.dst) \(.dev)"')" = "192.168.0.253 eth0" ]
	[ "$(in_ns sysctl -n net.ipv4.conf.tap0.proxy_arp net.ipv4.ip_forward | tr '\n' ' ')" = "1 1 " ]
	[ "$(tun_owner tap0)" = 1000 ]
}

@test "seed 002: bridge, SNAT and DNAT of port 80" {
	example seed002-bridge-nat
	round_trip
}

@test "seed 004 (6.3): bridge on the LAN with eth0 as a port, tun access for a group" {
	example seed004-bridge-lan
	round_trip
	[ "$(stat -c '%a' "$TUN666")" = 666 ]
	ip -n "$NS" -j link show dev eth0 | jq -e '.[0].master == null' >/dev/null
}

@test "seed 004 (6.4): routed bridge with masquerade" {
	example seed004-bridge-routed
	round_trip
}

@test "hostnet.service is a oneshot that applies on start, applies --prune on reload, takes down on stop" {
	local unit=$EXAMPLES/hostnet.service
	grep -qx 'Type=oneshot' "$unit"
	grep -qx 'RemainAfterExit=yes' "$unit"
	grep -qx 'ExecStart=@SBINDIR@/hostnet apply' "$unit"
	grep -qx 'ExecReload=@SBINDIR@/hostnet -w 60 apply --prune' "$unit"
	grep -qx 'ExecStop=@SBINDIR@/hostnet down' "$unit"
	if command -v systemd-analyze >/dev/null; then
		# systemd's own check, the man pages aside (not installed here)
		sed "s|@SBINDIR@|$HN_BIN|g; s|@SYSCONFDIR@|/etc|g" "$unit" >"$BATS_TEST_TMPDIR/hostnet.service"
		run systemd-analyze verify "$BATS_TEST_TMPDIR/hostnet.service"
		run -1 grep -v "Command 'man " <<<"$output"
	fi
}

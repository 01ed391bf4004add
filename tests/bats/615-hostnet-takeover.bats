#!/usr/bin/env bats
# 615-hostnet-takeover.bats - seed 004's layout on a host whose eth0 holds its
# LAN address and default route: `addif br0 eth0` alone is refused (it would
# cut the host off its gateway); with `takeover` the address and routes move
# to br0 and back on down, while a TCP session from the LAN to the host's
# address stays up throughout.

load helpers
load hostnet

setup() {
	ns_setup_test
	LAN="$NS-lan"
	ns_new "$LAN"
	ip -n "$NS" link add eth0 type veth peer name lan0 netns "$LAN"
	ip -n "$NS" addr add 192.168.1.200/24 dev eth0
	ip -n "$NS" link set eth0 up
	ip -n "$NS" route add default via 192.168.1.1
	ip -n "$NS" route add 10.9.0.0/16 via 192.168.1.7 metric 50
	ip -n "$LAN" addr add 192.168.1.1/24 dev lan0
	ip -n "$LAN" link set lan0 up
	STATE=$BATS_TEST_TMPDIR/state
	CONF=$BATS_TEST_TMPDIR/hostnet.conf
	export STATE CONF LAN
	holdings >"$BATS_TEST_TMPDIR/before"
}

teardown() {
	[ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null
	ns_del "${LAN:-}"
	ns_teardown_test
}

# The IPv4 addresses and main-table routes of eth0 and br0, as stable text.
holdings() {
	ip -n "$NS" -4 -j addr show | jq -c '[.[] | select(.ifname == "eth0" or .ifname == "br0")
		| {ifname, a: [.addr_info[] | "\(.local)/\(.prefixlen)"]}]'
	ip -n "$NS" -4 -j route show | jq -c '[.[] | {dst, gateway, dev, metric}] | sort_by(.dst)'
}

# session_open: one TCP connection from the LAN to the host's address, to an
# echo server that takes no second connection; session_echo WORD through it.
session_open() {
	ip netns exec "$NS" socat TCP-LISTEN:7000,reuseaddr SYSTEM:cat 3>&- &
	SERVER=$!
	wait_listen "$NS" tcp 7000
	coproc CLIENT { ip netns exec "$LAN" socat - TCP:192.168.1.200:7000 3>&-; }
}

session_echo() {
	local line
	echo "$1" >&"${CLIENT[1]}"
	read -t "$HN_CEIL" -r line <&"${CLIENT[0]}" || { echo "no echo of $1" >&2; return 1; }
	[ "$line" = "$1" ]
}

@test "addif of a port holding the host's address and routes is refused without takeover, nothing changed" {
	conf "bridge br0 stp off" "addif br0 eth0"
	run --separate-stderr hn plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:2: addif eth0: eth0 holds 192.168.1.200/24, route 0.0.0.0/0 via 192.168.1.1, route 10.9.0.0/16 via 192.168.1.7; as a port of br0 it would lose them: add \"takeover\" to move them to br0" ]
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	link_absent br0
	[ "$(holdings)" = "$(cat "$BATS_TEST_TMPDIR/before")" ]
}

@test "takeover moves the address and routes to br0 and back on down; a TCP session lives through both" {
	conf "bridge br0 stp off" "addif br0 eth0 takeover"
	session_open
	session_echo before
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[[ $output == *"move addresses and routes of eth0 to br0: 192.168.1.200/24, route 0.0.0.0/0 via 192.168.1.1, route 10.9.0.0/16 via 192.168.1.7"* ]]
	run -0 hn apply
	[ "$(ip -n "$NS" -j link show dev eth0 | jq -r '.[0].master')" = br0 ]
	[ "$(ip -n "$NS" -4 -j addr show dev br0 | jq -r '[.[0].addr_info[] | "\(.local)/\(.prefixlen)"] | join(" ")')" = 192.168.1.200/24 ]
	[ "$(ip -n "$NS" -4 -j addr show dev eth0 | jq -r '[.[].addr_info[]?] | length')" = 0 ]
	[ "$(ip -n "$NS" -j route show default | jq -r '.[0] | "\(.gateway) \(.dev)"')" = "192.168.1.1 br0" ]
	[ "$(ip -n "$NS" -j route show 10.9.0.0/16 | jq -r '.[0] | "\(.gateway) \(.dev) \(.metric)"')" = "192.168.1.7 br0 50" ]
	session_echo through-br0
	wait_for in_ns ping -c 1 -W 2 192.168.1.1
	run -0 hn apply
	[ "$output" = "nothing to do" ]
	run -0 hn status -j
	[ "$(jq -r '[.[].state] | unique | join(" ")' <<<"$output")" = ok ]
	run -0 hn down
	link_absent br0
	[ "$(holdings)" = "$(cat "$BATS_TEST_TMPDIR/before")" ]
	session_echo after-down
	echo "bye" >&"${CLIENT[1]}"
}

@test "a takeover line taken out of the file: prune gives the port its address and routes back" {
	conf "bridge br0 stp off" "addif br0 eth0 takeover"
	run -0 hn apply
	grep -qE '^moveaddr eth0 192\.168\.1\.200/24 @[0-9]+$' "$STATE/state"
	grep -qE '^moveroute eth0 0\.0\.0\.0/0 via 192\.168\.1\.1 metric 0 table 254 proto [0-9]+ scope 0 type 1 @[0-9]+$' "$STATE/state"
	conf "bridge br0 stp off"
	run -0 hn prune
	[ "$(ip -n "$NS" -j link show dev eth0 | jq -r '.[0].master')" = null ]
	[ "$(ip -n "$NS" -j route show default | jq -r '.[0] | "\(.gateway) \(.dev)"')" = "192.168.1.1 eth0" ]
	hn down
	[ "$(holdings)" = "$(cat "$BATS_TEST_TMPDIR/before")" ]
}

@test "seed 004 (6.3) as shipped, on a host whose eth0 has the address: the session stays, down restores" {
	make_tun666
	sed -e "s|^tun_access |tun_access path $TUN666 |" -e 's/group uml-net/group nogroup/' \
		"$BATS_TEST_DIRNAME/../../examples/seed004-bridge-lan.conf" >"$CONF"
	session_open
	session_echo before
	run -0 hn apply
	[ "$(ip -n "$NS" -j route show default | jq -r '.[0].dev')" = br0 ]
	session_echo applied
	run -0 hn apply
	[ "$output" = "nothing to do" ]
	run -0 hn down
	[ "$(holdings)" = "$(cat "$BATS_TEST_TMPDIR/before")" ]
	session_echo down
	rm -rf "$TUN666_DIR"
}

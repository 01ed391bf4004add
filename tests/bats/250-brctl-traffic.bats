#!/usr/bin/env bats
# 250-brctl-traffic.bats - a bridge made by our brctl forwards: two namespaces
# joined by veths on it ping each other (addresses exist only inside them).

load helpers

setup_file() {
	ns_setup_file
	export NS_A="$NS-a" NS_B="$NS-b"
	ns_new "$NS_A"
	ns_new "$NS_B"
}

teardown_file() {
	[ -n "${NS_A:-}" ] && ns_del "$NS_A"
	[ -n "${NS_B:-}" ] && ns_del "$NS_B"
	ns_teardown_file
}

@test "two namespaces ping each other across a bridge built with brctl" {
	ip -n "$NS" link add pa type veth peer name ea netns "$NS_A"
	ip -n "$NS" link add pb type veth peer name eb netns "$NS_B"
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" stp br0 off
	in_ns "$BRCTL" setfd br0 0
	in_ns "$BRCTL" addif br0 pa pb
	ip -n "$NS" link set pa up
	ip -n "$NS" link set pb up
	ip -n "$NS" link set br0 up
	ip -n "$NS_A" addr add 192.0.2.1/24 dev ea
	ip -n "$NS_B" addr add 192.0.2.2/24 dev eb
	ip -n "$NS_A" link set ea up
	ip -n "$NS_B" link set eb up
	run in_ns_named "$NS_A" ping -c 2 -i 0.2 -W 2 192.0.2.2
	[ "$status" -eq 0 ]
	run in_ns_named "$NS_B" ping -c 1 -W 2 192.0.2.1
	[ "$status" -eq 0 ]
	# The bridge learned both peers, on the ports showmacs names.
	run brctl -j showmacs br0
	[ "$(jq -c '[.[] | select(.is_local == false)] | length' <<<"$output")" = 2 ]
}

@test "after delif the peers are cut off" {
	in_ns "$BRCTL" delif br0 pb
	run in_ns_named "$NS_A" ping -c 1 -W 1 192.0.2.2
	[ "$status" -eq 1 ]
}

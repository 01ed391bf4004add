# hostnet.bash - shared by the 6xx hostnet tests: a config per test, the
# tool run inside the test's namespace with its own state dir, state snapshots.
# shellcheck shell=bash

HOSTNET=${HOSTNET:-$HN_BIN/hostnet}

# A namespace per test with an "uplink" eth0 (a veth whose peer stays here).
hn_setup() {
	ns_setup_test
	ip -n "$NS" link add eth0 type veth peer name eth0-peer
	ip -n "$NS" link set eth0 up
	STATE=$BATS_TEST_TMPDIR/state
	CONF=$BATS_TEST_TMPDIR/hostnet.conf
	export STATE CONF
}

# conf LINE...: write the test's config file, one argument a line.
conf() {
	printf '%s\n' "$@" >"$CONF"
}

# hn ARGS...: hostnet inside $NS, on $CONF, with the test's state dir.
hn() {
	in_ns env HOSTNET_STATE_DIR="$STATE" "$HOSTNET" -f "$CONF" "$@"
}

# snapshot: what hostnet may touch in $NS, as stable text (timers and stats dropped).
snapshot() {
	ip -n "$NS" -j -d link show | jq -c '[.[] | {ifname, up: (.flags | index("UP") != null), mtu, master, group,
		kind: .linkinfo.info_kind, address, tun: .linkinfo.info_data.user,
		br: (if .linkinfo.info_kind == "bridge" then .linkinfo.info_data |
		{forward_delay, hello_time, max_age, stp_state, vlan_filtering} else null end)}]
		| sort_by(.ifname)'
	ip -n "$NS" -j addr show | jq -c '[.[] | {ifname, a: [.addr_info[] |
		select(.scope != "link") | "\(.local)/\(.prefixlen)"]}]'
	ip -n "$NS" -j route show table all | jq -c '[.[] | del(.flags)
		| select((.dst // "") | startswith("fe80") | not)] | sort_by(.dst, .dev, .table)'
	# IPv6 link-local routes come and go with the kernel's DAD, whenever it
	# finishes: hostnet never makes them, so they are left out (table all
	# lists IPv6 routes too).
	ip -n "$NS" -j -6 route show table all | jq -c '[.[] | del(.flags)
		| select((.dst // "") | startswith("fe80") | not)] | sort_by(.dst, .dev, .table)'
	ip -n "$NS" -j neigh show proxy | jq -c 'sort_by(.dst)'
	in_ns sysctl -a 2>/dev/null | grep -E '^net\.ipv(4|6)\.(ip_forward|conf\.[^.]*\.(forwarding|proxy_arp)) ' | sort
	in_ns nft -j list ruleset
}

# same_as FILE: the namespace is exactly as FILE's snapshot.
same_as() {
	local now
	now=$(snapshot)
	if [ "$now" != "$(cat "$1")" ]; then
		diff <(cat "$1") <(printf '%s\n' "$now") | sed 's/^/# /' >&3
		return 1
	fi
}

# link_json NAME: one link of $NS, as ip -d -j shows it.
link_json() {
	ip -n "$NS" -d -j link show dev "$1" | jq -c '.[0]'
}

# prune_then_apply CONFLICT PRUNED APPLIED: the file moved an object; apply
# refuses with the CONFLICT line (it points to prune), prune prints PRUNED,
# then apply prints APPLIED.
prune_then_apply() {
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "$1 (an earlier apply made it and the file no longer has it: run hostnet prune first)" ]
	run hn prune
	[ "$output" = "$2"$'\n''pruned 1 record' ]
	run hn apply
	[ "$output" = "$3"$'\n''applied 1 change' ]
}

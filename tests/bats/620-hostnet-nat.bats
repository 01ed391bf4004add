#!/usr/bin/env bats
# 620-hostnet-nat.bats - the NAT lines through natctl's nftables tables: one
# transaction, idempotent, drift after `nft flush ruleset` repaired, natctl's
# own entries left alone, everything undone on failure and on down.

load helpers
load hostnet

setup() {
	hn_setup
	conf "bridge br0 address 192.168.2.1/24" \
		"tap tap0 bridge br0" \
		"forwarding ipv4 on" \
		"masquerade 192.168.2.0/24 out eth0" \
		"snat 192.168.3.0/24 out eth0 to 203.0.113.5" \
		"forward tcp 80 in eth0 to 192.168.2.10" \
		"forward udp 5000-5010 to 192.168.2.11 port 6000" \
		"forward tcp 8080 dst 203.0.113.5 to 192.168.2.12 port 80 local" \
		"hairpin 192.168.2.0/24" \
		"forward tcp 22 to fd00:2::10 port 2222"
	snapshot >"$BATS_TEST_TMPDIR/before"
}

teardown() {
	ns_teardown_test
}

NAT_LIST='masquerade 192.168.2.0/24 out eth0
snat 192.168.3.0/24 out eth0 to 203.0.113.5
forward udp 5000-5010 to 192.168.2.11 port 6000
forward tcp 8080 dst 203.0.113.5 to 192.168.2.12 port 80 local
forward tcp 80 in eth0 to 192.168.2.10 port 80
forward tcp 22 to fd00:2::10 port 2222
hairpin 192.168.2.0/24'

natctl_items() {
	in_ns "$NATCTL" list | grep -v '^forwarding ' | sort
}

@test "every NAT construct lands in natctl's tables; a second apply changes nothing" {
	run --separate-stderr hn apply
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"create nat forward tcp 22 to fd00:2::10 port 2222"$'\n'"applied 13 changes" ]]
	[ "$(natctl_items)" = "$(sort <<<"$NAT_LIST")" ]
	run hn apply
	[ "$output" = "nothing to do" ]
	# each NAT line is hostnet's, as the state records it
	run -0 hn status -j
	[ "$(jq -r '[.[] | select(.object == "nat") | "\(.state) \(.created_by_hostnet)"] | unique | join(",")' <<<"$output")" = "ok true" ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "a NAT line natctl made before apply is not hostnet's in status" {
	in_ns "$NATCTL" masquerade add 192.168.2.0/24 out eth0 >/dev/null
	run -0 hn apply
	run -0 hn status -j
	[ "$(jq -r '.[] | select(.name == "masquerade 192.168.2.0/24 out eth0") | "\(.state) \(.created_by_hostnet)"' <<<"$output")" = "ok false" ]
	[ "$(jq -r '.[] | select(.name == "hairpin 192.168.2.0/24") | .created_by_hostnet' <<<"$output")" = true ]
	hn down
	[ "$(natctl_items)" = "masquerade 192.168.2.0/24 out eth0" ]
}

@test "after nft flush ruleset, status shows the drift and apply puts back exactly the NAT part" {
	hn apply
	in_ns nft flush ruleset
	run hn status -j
	[ "$(jq -r '[.[] | select(.object == "nat") | .state] | unique | join(" ")' <<<"$output")" = drift ]
	run --separate-stderr hn apply
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 8 ]
	[ "$(natctl_items)" = "$(sort <<<"$NAT_LIST")" ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "natctl's own entries stay, with their table, through apply and down" {
	in_ns "$NATCTL" forward add tcp 443 to 192.168.2.20 >/dev/null
	snapshot >"$BATS_TEST_TMPDIR/before"
	hn apply
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
	[ "$(natctl_items)" = "forward tcp 443 to 192.168.2.20 port 443" ]
}

@test "a forward natctl already has for another guest is a conflict; nothing changes" {
	in_ns "$NATCTL" forward add tcp 80 in eth0 to 192.168.2.99 >/dev/null
	snapshot >"$BATS_TEST_TMPDIR/before"
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:6: forward tcp 80 in eth0 to 192.168.2.10 port 80: natctl's tables already have \"forward tcp 80 in eth0 to 192.168.2.99 port 80\"" ]
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "a failure after the NAT transaction (state not writable) undoes NAT and links too" {
	mkdir -p "$STATE/state.tmp"
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[-1]}" = "hostnet: rolled back: the host is as it was before this run" ]
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "the state keeps the ruleset generation: a no-change apply reads and writes nothing more; any nft change makes the next one look again" {
	hn apply
	grep -Eq '^natgen [1-9][0-9]* [0-9a-f]{16}$' "$STATE/state"
	ino=$(stat -c %i "$STATE/state")
	run hn apply
	[ "$output" = "nothing to do" ]
	# Written by rename: the same inode means the stored generation was the live one.
	[ "$(stat -c %i "$STATE/state")" = "$ino" ]
	# One element deleted behind hostnet's back is found and put back.
	in_ns nft delete element ip hostnet fwd_iif '{ "eth0" . tcp . 80 }'
	run hn apply
	[ "$output" = $'create nat forward tcp 80 in eth0 to 192.168.2.10 port 80\napplied 1 change' ]
	[ "$(natctl_items)" = "$(sort <<<"$NAT_LIST")" ]
	# A change elsewhere in the ruleset: the tables are read, all is in place.
	in_ns nft add table ip other
	ino=$(stat -c %i "$STATE/state")
	run hn apply
	[ "$output" = "nothing to do" ]
	[ "$(stat -c %i "$STATE/state")" != "$ino" ]
	# The config's NAT part changed, the ruleset not: read, and the new forward added.
	conf "$(cat "$CONF")" "forward tcp 81 in eth0 to 192.168.2.10"
	run hn apply
	[ "$output" = $'create nat forward tcp 81 in eth0 to 192.168.2.10 port 81\napplied 1 change' ]
	in_ns nft delete table ip other
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "prune deletes NAT entries out of the file in one transaction, and keeps natctl's table and own entries" {
	hn apply
	in_ns "$NATCTL" forward add tcp 9000 to 192.168.2.99
	conf "bridge br0 address 192.168.2.1/24" "tap tap0 bridge br0" "forwarding ipv4 on" \
		"masquerade 192.168.2.0/24 out eth0" "forward tcp 80 in eth0 to 192.168.2.10"
	run --separate-stderr hn prune
	[ "$status" -eq 0 ]
	[ "$output" = "remove nat snat 192.168.3.0/24 out eth0 to 203.0.113.5
remove nat forward udp 5000-5010 to 192.168.2.11 port 6000
remove nat forward tcp 8080 dst 203.0.113.5 to 192.168.2.12 port 80 local
remove nat hairpin 192.168.2.0/24
remove nat forward tcp 22 to fd00:2::10 port 2222
pruned 5 records" ]
	[ "$(natctl_items)" = "forward tcp 80 in eth0 to 192.168.2.10 port 80
forward tcp 9000 to 192.168.2.99 port 9000
masquerade 192.168.2.0/24 out eth0" ]
	run grep -c '^natgen' "$STATE/state"
	[ "$output" = 0 ]
	run hn apply
	[ "$output" = "nothing to do" ]
	grep -q '^natgen' "$STATE/state"
	in_ns "$NATCTL" forward del tcp 9000
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "a forward whose guest the file changed: apply points to prune; prune, then apply, moves it" {
	hn apply
	sed -i 's/forward tcp 80 in eth0 to 192.168.2.10$/forward tcp 80 in eth0 to 192.168.2.20/' "$CONF"
	prune_then_apply "hostnet: $CONF:6: forward tcp 80 in eth0 to 192.168.2.20 port 80: natctl's tables already have \"forward tcp 80 in eth0 to 192.168.2.10 port 80\"" \
		"remove nat forward tcp 80 in eth0 to 192.168.2.10 port 80" \
		"create nat forward tcp 80 in eth0 to 192.168.2.20 port 80"
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "the generation is only trusted in the namespace (and boot) that recorded it" {
	hn apply
	gen=$(awk '$1 == "natgen" { print $2 }' "$STATE/state")
	# A fresh namespace (generation 1), brought to the same generation, given the first one's state.
	ns2="$NS-b"
	ip netns add "$ns2"
	for ((i = 1; i < gen; i++)); do ip netns exec "$ns2" nft add table ip "pad$i"; done
	run ip netns exec "$ns2" env HOSTNET_STATE_DIR="$STATE" "$HOSTNET" -f "$CONF" plan
	ip netns del "$ns2"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"create nat forward tcp 80 in eth0 to 192.168.2.10 port 80"$'\n'* ]]
}

#!/usr/bin/env bats
# 230-brctl-show.bats - showmacs and showstp byte for byte (as bridge-utils 1.7.1 prints them),
# and the -j/--json forms of show, showmacs and showstp.

load helpers

setup() {
	br_ns_setup
	in_ns "$BRCTL" addbr br0
}

teardown() {
	br_ns_teardown
}

@test "showmacs: header, local entries of the ports sorted by MAC" {
	in_ns "$BRCTL" addif br0 tap0 v0
	run --separate-stderr brctl showmacs br0
	[ "$status" -eq 0 ]
	[ "$output" = $'port no\tmac addr\t\tis local?\tageing timer\n  2\t02:00:00:00:00:0a\tyes\t\t   0.00\n  1\t02:00:00:00:00:0c\tyes\t\t   0.00' ]
	[ "$stderr" = "" ]
}

@test "showmacs: header alone for a bridge without ports" {
	run --separate-stderr brctl showmacs br0
	[ "$status" -eq 0 ]
	[ "$output" = $'port no\tmac addr\t\tis local?\tageing timer' ]
}

@test "showmacs: a learned address is not local and has an ageing timer" {
	in_ns "$BRCTL" addif br0 v0
	ip -n "$NS" link set br0 up
	ip -n "$NS" link set v0 up
	ip -n "$NS" link set v1 up
	ip -n "$NS" addr add 192.0.2.1/24 dev v1
	in_ns ping -c1 -W 0.2 -I v1 192.0.2.2 >/dev/null 2>&1 || true
	run --separate-stderr brctl showmacs br0
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = $'  1\t02:00:00:00:00:0a\tyes\t\t   0.00' ]
	[[ "${lines[2]}" =~ ^'  1'$'\t''02:00:00:00:00:1a'$'\t''no'$'\t\t''   '[0-9]'.'[0-9][0-9]$ ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "showmacs: missing bridge and non-bridge" {
	run --separate-stderr brctl showmacs nobr
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "read of forward table failed: No such device" ]
	run --separate-stderr brctl showmacs lo
	[ "$status" -eq 1 ]
	[ "$stderr" = "read of forward table failed: Operation not supported" ]
}

@test "showstp: a sample checked against bridge-utils, byte for byte" {
	in_ns "$BRCTL" addif br0 v0 v2 tap0
	in_ns "$BRCTL" delif br0 v2
	in_ns "$BRCTL" setfd br0 4
	in_ns "$BRCTL" setpathcost br0 v0 250
	in_ns "$BRCTL" hairpin br0 v0 on
	run --separate-stderr brctl showstp br0
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = $'br0\n bridge id\t\t8000.02000000000a\n designated root\t8000.02000000000a\n root port\t\t   0\t\t\tpath cost\t\t   0\n max age\t\t  20.00\t\t\tbridge max age\t\t  20.00\n hello time\t\t   2.00\t\t\tbridge hello time\t   2.00\n forward delay\t\t   4.00\t\t\tbridge forward delay\t   4.00\n ageing time\t\t 300.00\n hello timer\t\t   0.00\t\t\ttcn timer\t\t   0.00\n topology change timer\t   0.00\t\t\tgc timer\t\t   0.00\n flags\t\t\t\n\n\ntap0 (3)\n port id\t\t8003\t\t\tstate\t\t       disabled\n designated root\t8000.02000000000a\tpath cost\t\t   2\n designated bridge\t8000.02000000000a\tmessage age timer\t   0.00\n designated port\t8003\t\t\tforward delay timer\t   0.00\n designated cost\t   0\t\t\thold timer\t\t   0.00\n flags\t\t\t\n\nv0 (1)\n port id\t\t8001\t\t\tstate\t\t       disabled\n designated root\t8000.02000000000a\tpath cost\t\t 250\n designated bridge\t8000.02000000000a\tmessage age timer\t   0.00\n designated port\t8001\t\t\tforward delay timer\t   0.00\n designated cost\t   0\t\t\thold timer\t\t   0.00\n flags\t\t\t\n hairpin mode\t\t   1' ]
}

@test "showstp: ends with the blank line after the last port (command substitution would hide it)" {
	in_ns "$BRCTL" addif br0 v0
	in_ns "$BRCTL" showstp br0 >"$BATS_TEST_TMPDIR/stp"
	[ "$(tail -c 2 "$BATS_TEST_TMPDIR/stp" | od -An -c | tr -d ' ')" = '\n\n' ]
}

@test "showstp: STP on and ports up: states and the ifupdown hook's regexes still match" {
	in_ns "$BRCTL" addif br0 v0
	in_ns "$BRCTL" stp br0 on
	ip -n "$NS" link set v0 up
	ip -n "$NS" link set v1 up
	ip -n "$NS" link set br0 up
	run brctl showstp br0
	[ "$status" -eq 0 ]
	[[ "$output" =~ $'\n'' port id'$'\t\t''8001'$'\t\t\t''state'$'\t\t''      listening'$'\n' ]] ||
	[[ "$output" =~ $'\n'' port id'$'\t\t''8001'$'\t\t\t''state'$'\t\t''       learning'$'\n' ]]
	# Debian's bridge hook reads both forward delays from one line.
	grep -Eq '^ forward delay[[:space:]]+15\.00[[:space:]]+bridge forward delay[[:space:]]+15\.00$' <<<"$output"
}

@test "showstp: missing bridge and non-bridge" {
	run --separate-stderr brctl showstp nobr
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "bridge nobr does not exist!" ]
	run --separate-stderr brctl showstp lo
	[ "$status" -eq 1 ]
	[ "$stderr" = "device lo is not a bridge!" ]
}

@test "show -j: the same bridges, ports and STP flag as JSON" {
	in_ns "$BRCTL" addbr br1
	in_ns "$BRCTL" addif br0 v2 v0
	in_ns "$BRCTL" stp br1 on
	run --separate-stderr brctl -j show
	[ "$status" -eq 0 ]
	[ "$(jq -c . <<<"$output")" = '[{"bridge":"br0","bridge_id":"8000.02000000000a","stp":false,"vlan_filtering":false,"interfaces":["v0","v2"]},{"bridge":"br1","bridge_id":"8000.000000000000","stp":true,"vlan_filtering":false,"interfaces":[]}]' ]
	run --separate-stderr brctl show --json br1 nobr
	[ "$status" -eq 1 ]
	[ "$stderr" = "bridge nobr does not exist!" ]
	[ "$(jq -c '[.[].bridge]' <<<"$output")" = '["br1"]' ]
}

@test "show -j with no bridges is an empty array" {
	in_ns "$BRCTL" delbr br0
	run --separate-stderr brctl -j show
	[ "$status" -eq 0 ]
	[ "$output" = "[]" ]
}

@test "showmacs -j: entries with full port numbers and centisecond timers" {
	in_ns "$BRCTL" addif br0 tap0 v0
	run --separate-stderr brctl --json showmacs br0
	[ "$status" -eq 0 ]
	[ "$(jq -c . <<<"$output")" = '[{"port_no":2,"mac":"02:00:00:00:00:0a","is_local":true,"ageing_timer":0},{"port_no":1,"mac":"02:00:00:00:00:0c","is_local":true,"ageing_timer":0}]' ]
}

@test "showstp -j: bridge timers in centiseconds, ports with state names" {
	in_ns "$BRCTL" addif br0 v0
	in_ns "$BRCTL" setfd br0 4
	in_ns "$BRCTL" setportprio br0 v0 10
	run --separate-stderr brctl -j showstp br0
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.bridge, .bridge_id, .forward_delay, .max_age, .hello_time, .ageing_time, .stp_state]' <<<"$output")" = '["br0","8000.02000000000a",400,2000,200,30000,0]' ]
	[ "$(jq -c '.ports | map([.port, .port_no, .port_id, .state, .path_cost, .hairpin])' <<<"$output")" = '[["v0",1,10241,"disabled",2,false]]' ]
}

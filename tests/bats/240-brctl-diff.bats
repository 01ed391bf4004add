#!/usr/bin/env bats
# 240-brctl-diff.bats - differential tests: each command sequence runs with the
# reference brctl in one fresh namespace and ours in another; stdout (byte for
# byte), stderr, exit status and the kernel state must match after every step.

load helpers

setup() {
	require_ref_brctl
	br_ns_setup
	ns_ref_setup
	br_fixture "$NS_REF"
}

teardown() {
	ns_ref_teardown
	br_ns_teardown
}

# Run each line of stdin as one brctl command line through diff_run.
diff_script() {
	local line n=0
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		n=$((n + 1))
		# shellcheck disable=SC2086
		diff_run $line || return 1
	done
	[ "$n" -gt 0 ]
}

@test "seed recipe: addbr, stp off, setfd 1, sethello 1, addif tap0 (tap from our tunctl)" {
	diff_script <<-'EOF2'
	addbr br0
	stp br0 off
	setfd br0 1
	sethello br0 1
	addif br0 tap0
	show
	showstp br0
	showmacs br0
	EOF2
	[ "$(master_of tap0)" = br0 ]
	[ "$(sysfs_val br0 bridge/forward_delay)/$(sysfs_val br0 bridge/hello_time)" = 100/100 ]
}

@test "bridges and ports: bridge-utils' behaviour for addbr, addif, delif, show, delbr" {
	diff_script <<-'EOF2'
	show
	addbr br0
	addbr br0
	addbr lo
	addbr br%d
	addbr brA brB
	addif br0 v0
	addif br0 v0
	addif br1 v0
	addif br0 nosuchif
	addif nobr v2
	addif br0 lo
	addif br0 brA
	addif br0 br0
	addif lo v2
	addif br0 v2 tap0 nosuch tap1
	show
	show br0 nobr brA
	show lo
	show nobr
	delif br0 v2
	delif br0 v2
	delif br0 nosuchif
	delif nobr v2
	delif brA v0
	showmacs br0
	showstp br0
	delbr nobr
	delbr lo
	delbr v2
	delbr br0
	delbr brA
	show
	EOF2
}

@test "bridge attributes: units, number syntax, ranges with STP off and on" {
	diff_script <<-'EOF2'
	addbr br0
	addif br0 v0 tap0
	setageing br0 120
	setageing br0 0.5
	setageing br0 12.345
	setageing br0 4.35
	setageing br0 1e2
	setageing br0 5x
	setageing br0 0
	setageing br0 abc
	setageing nobr 10
	setageing lo 10
	setbridgeprio br0 4096
	setbridgeprio br0 0x2000
	setbridgeprio br0 070000
	setbridgeprio br0 70000
	-- setbridgeprio br0 -1
	setbridgeprio br0 high
	setbridgeprio nobr 1
	setfd br0 0
	setfd br0 2.5
	setfd br0 31
	setfd br0 x
	stp br0 on
	setfd br0 4
	stp br0 yes
	stp br0 1
	stp br0 no
	stp br0 0
	stp br0 off
	stp br0 ON
	stp br0 maybe
	stp nobr on
	sethello br0 1
	sethello br0 0.5
	sethello br0 11
	sethello br0 x
	setmaxage br0 6
	setmaxage br0 5
	setmaxage br0 41
	setmaxage br0 x
	show
	showstp br0
	EOF2
}

@test "port attributes: path cost, port priority, hairpin and their error paths" {
	diff_script <<-'EOF2'
	addbr br0
	addif br0 v0 tap0
	setpathcost br0 v0 250
	setpathcost br0 v0 0
	setpathcost br0 v0 65536
	setpathcost br0 v0 x
	setpathcost br0 v3 10
	setpathcost br0 nosuch 10
	setportprio br0 v0 10
	setportprio br0 v0 64
	setportprio br0 v0 x
	setportprio br0 v3 1
	hairpin br0 v0 on
	hairpin br0 v0 maybe
	hairpin br0 nosuch on
	hairpin nobr v0 on
	hairpin br0 v3 on
	showstp br0
	hairpin br0 v0 off
	showstp br0
	setpathcost nobr tap0 7
	showstp br0
	EOF2
}

@test "up bridge: delbr refused; showmacs after traffic lists the same entries" {
	diff_script <<-'EOF2'
	addbr br0
	addif br0 v0 v2
	EOF2
	local ns
	for ns in "$NS" "$NS_REF"; do
		ip -n "$ns" link set br0 up
		ip -n "$ns" link set v0 up
		ip -n "$ns" link set v1 up
		ip -n "$ns" addr add 192.0.2.1/24 dev v1
		in_ns_named "$ns" ping -c1 -W 0.2 -I v1 192.0.2.2 >/dev/null 2>&1 || true
	done
	diff_script <<-'EOF2'
	delbr br0
	show
	showmacs br0
	EOF2
	# The learned address is there (timer masked by diff_run).
	run brctl showmacs br0
	[[ "$output" == *$'	02:00:00:00:00:1a	no		'* ]]
}

@test "usage and option errors match the reference (stdout, stderr, status)" {
	diff_script <<-'EOF2'
	bogus
	-x
	--bogus
	setageing br0 -1
	-V addbr x
	--version
	--help
	addbr
	addif br0
	stp br1
	setpathcost br0 v0
	delbr
	EOF2
	run ! link_exists x
}

# run_both ARGS...: reference and ours; sets ref_status/ref_err and our_status/our_err.
run_both() {
	ref_brctl_in "$NS_REF" "$@" >/dev/null 2>"$BATS_TEST_TMPDIR/ref.err" && ref_status=0 || ref_status=$?
	in_ns "$BRCTL" "$@" >/dev/null 2>"$BATS_TEST_TMPDIR/our.err" && our_status=0 || our_status=$?
	ref_err=$(cat "$BATS_TEST_TMPDIR/ref.err")
	our_err=$(cat "$BATS_TEST_TMPDIR/our.err")
}

@test "deliberate difference: setfd out of range with STP on says the range; same state" {
	diff_script <<-'EOF2'
	addbr br0
	stp br0 on
	EOF2
	run_both setfd br0 1
	[ "$ref_status/$our_status" = 1/1 ]
	[ "$ref_err" = "set forward delay failed: Numerical result out of range" ]
	[ "$our_err" = "$ref_err (2-30 s while STP is on)" ]
	[ "$(bridge_state "$NS")" = "$(bridge_state "$NS_REF")" ]
}

@test "deliberate difference: a long name is refused, not truncated" {
	run_both addbr abcdefghijklmnopqrstuvwxyz
	[ "$ref_status/$our_status" = 0/1 ]
	[ "$our_err" = "brctl: addbr abcdefghijklmnopqrstuvwxyz: interface name longer than 15 bytes" ]
	ip -n "$NS_REF" link show dev abcdefghijklmno >/dev/null
	run ! link_exists abcdefghijklmno
}

@test "deliberate difference: a negative time after -- is refused, not wrapped" {
	diff_run addbr br0
	run_both -- setageing br0 -1
	[ "$ref_status/$our_status" = 0/1 ]
	[ "$our_err" = "bad ageing time value" ]
	[ "$(in_ns_named "$NS_REF" cat /sys/class/net/br0/bridge/ageing_time)" = 1844674407270 ]
	[ "$(sysfs_val br0 bridge/ageing_time)" = 30000 ]
}

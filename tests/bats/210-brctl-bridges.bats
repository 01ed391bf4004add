#!/usr/bin/env bats
# 210-brctl-bridges.bats - addbr, delbr, addif, delif and show: the verified
# cases of bridge-utils 1.7.1 behaviour (docs/brctl.8), one fresh namespace per test.

load helpers

setup() {
	br_ns_setup
}

teardown() {
	br_ns_teardown
}


@test "show with no bridges prints nothing at all, exit 0" {
	expect 0 "" "" show
}

@test "addbr creates a bridge that is down, STP off, kernel defaults" {
	expect 0 "" "" addbr br0
	run ip -n "$NS" -d -j link show dev br0
	[ "$(jq -c '.[0] | [.linkinfo.info_kind, (.flags | index("UP") != null)]' <<<"$output")" = '["bridge",false]' ]
	[ "$(jq -c '.[0].linkinfo.info_data | [.stp_state, .forward_delay, .hello_time, .max_age, .ageing_time, .priority]' <<<"$output")" = '[0,1500,200,2000,30000,32768]' ]
}

@test "addbr of an existing name (bridge or not) is refused, exit 1" {
	in_ns "$BRCTL" addbr br0
	expect 1 "" "device br0 already exists; can't create bridge with the same name" addbr br0
	expect 1 "" "device lo already exists; can't create bridge with the same name" addbr lo
}

@test "addbr with a bad name: add bridge failed: Invalid argument" {
	expect 1 "" "add bridge failed: Invalid argument" addbr 'a b'
	expect 1 "" "add bridge failed: Invalid argument" addbr ''
}

@test "addbr never truncates a long name (brctl creates abcdefghijklmno)" {
	expect 1 "" "brctl: addbr abcdefghijklmnopqrstuvwxyz: interface name longer than 15 bytes" \
		addbr abcdefghijklmnopqrstuvwxyz
	run ! link_exists abcdefghijklmno
	expect 0 "" "" addbr abcdefghijklmno
	link_exists abcdefghijklmno
}

@test "addbr br%d lets the kernel pick the number, prints nothing" {
	expect 0 "" "" addbr 'br%d'
	link_exists br0
}

@test "addbr brA brB creates only brA" {
	expect 0 "" "" addbr brA brB
	link_exists brA
	run ! link_exists brB
}

@test "addif attaches, does not bring the port up; again or to another bridge is refused" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addbr br1
	expect 0 "" "" addif br0 v0
	[ "$(master_of v0)" = br0 ]
	[ "$(ip -n "$NS" -j link show dev v0 | jq -r '.[0].flags | index("UP") != null')" = false ]
	expect 1 "" "device v0 is already a member of a bridge; can't add it to bridge br0." addif br0 v0
	expect 1 "" "device v0 is already a member of a bridge; can't add it to bridge br1." addif br1 v0
	[ "$(master_of v0)" = br0 ]
}

@test "addif error texts: missing device, missing bridge, lo, a bridge, a non-bridge" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addbr brA
	expect 1 "" "interface nosuchif does not exist!" addif br0 nosuchif
	expect 1 "" "bridge nobr does not exist!" addif nobr v2
	expect 1 "" "can't add lo to bridge br0: Invalid argument" addif br0 lo
	expect 1 "" "device brA is a bridge device itself; can't add a bridge device to a bridge device." addif br0 brA
	expect 1 "" "device br0 is a bridge device itself; can't add a bridge device to a bridge device." addif br0 br0
	expect 1 "" "can't add v2 to bridge lo: Operation not supported" addif lo v2
	[ "$(master_of v2)" = "" ]
	[ "$(master_of brA)" = "" ]
}

@test "addif with a list stops at the first failure; earlier devices stay attached" {
	in_ns "$BRCTL" addbr br0
	expect 1 "" "interface nosuch does not exist!" addif br0 v2 tap0 nosuch tap1
	[ "$(master_of v2)" = br0 ]
	[ "$(master_of tap0)" = br0 ]
	[ "$(master_of tap1)" = "" ]
}

@test "addif br0 v0 v0: the second one is already a member" {
	in_ns "$BRCTL" addbr br0
	expect 1 "" "device v0 is already a member of a bridge; can't add it to bridge br0." addif br0 v0 v0
	[ "$(master_of v0)" = br0 ]
}

@test "delif detaches; a non-port, a missing device or bridge is refused" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addbr brA
	in_ns "$BRCTL" addif br0 v0 v2
	expect 0 "" "" delif br0 v2
	[ "$(master_of v2)" = "" ]
	expect 1 "" "device v2 is not a port of br0" delif br0 v2
	expect 1 "" "interface nosuchif does not exist!" delif br0 nosuchif
	expect 1 "" "bridge nobr does not exist!" delif nobr v2
	expect 1 "" "device v0 is not a port of brA" delif brA v0
	[ "$(master_of v0)" = br0 ]
	expect 1 "" "can't delete v0 from lo: Operation not supported" delif lo v0
}

@test "delif with a list detaches each in turn" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addif br0 v0 v2 tap0
	expect 0 "" "" delif br0 v0 tap0
	[ "$(master_of v0)$(master_of tap0)" = "" ]
	[ "$(master_of v2)" = br0 ]
}

@test "delbr: missing, not a bridge, up; a down bridge with ports goes and frees them" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addif br0 v0
	expect 1 "" "bridge nobr doesn't exist; can't delete it" delbr nobr
	expect 1 "" "can't delete bridge lo: Operation not permitted" delbr lo
	expect 1 "" "can't delete bridge v2: Operation not permitted" delbr v2
	link_exists v2
	ip -n "$NS" link set br0 up
	expect 1 "" "bridge br0 is still up; can't delete it" delbr br0
	link_exists br0
	ip -n "$NS" link set br0 down
	expect 0 "" "" delbr br0
	run ! link_exists br0
	[ "$(master_of v0)" = "" ]
}

@test "show: header once, ports in name order on their own lines, byte order of names" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addbr br1
	in_ns "$BRCTL" addbr brA
	in_ns "$BRCTL" addbr abcdefghijklmno
	in_ns "$BRCTL" addbr br10
	in_ns "$BRCTL" addif br0 v2 tap0 v0
	expect 0 $'bridge name\tbridge id\t\tSTP enabled\tinterfaces\nabcdefghijklmno\t\t8000.000000000000\tno\t\t\nbr0\t\t8000.02000000000a\tno\t\ttap0\n\t\t\t\t\t\t\tv0\n\t\t\t\t\t\t\tv2\nbr1\t\t8000.000000000000\tno\t\t\nbr10\t\t8000.000000000000\tno\t\t\nbrA\t\t8000.000000000000\tno\t\t' "" show
}

@test "show with STP on says yes" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addif br0 v0 v2
	in_ns "$BRCTL" stp br0 on
	expect 0 $'bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.02000000000a\tyes\t\tv0\n\t\t\t\t\t\t\tv2' "" show
}

@test "show with names: given order, errors on stderr, exit 1 if any failed" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addbr brA
	expect 1 $'bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.000000000000\tno\t\t\nbrA\t\t8000.000000000000\tno\t\t' \
		"bridge nobr does not exist!" show br0 nobr brA
	expect 0 $'bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbrA\t\t8000.000000000000\tno\t\t\nbr0\t\t8000.000000000000\tno\t\t' \
		"" show brA br0
	expect 1 "" "device lo is not a bridge!" show lo
	expect 1 "" "bridge nobr does not exist!" show nobr
	expect 1 "" "bridge  does not exist!" show ''
}

@test "unprivileged: show, showmacs, showstp work; addbr, delbr, addif, stp, setfd are refused" {
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addbr brA
	run --separate-stderr as_nobody "$BRCTL" show br0
	[ "$status" -eq 0 ]
	[ "$output" = $'bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.000000000000\tno\t\t' ]
	in_ns "$BRCTL" addif br0 v0
	run --separate-stderr as_nobody "$BRCTL" showmacs br0
	[ "$status" -eq 0 ]
	[ "$output" = $'port no\tmac addr\t\tis local?\tageing timer\n  1\t02:00:00:00:00:0a\tyes\t\t   0.00' ]
	run --separate-stderr as_nobody "$BRCTL" showstp br0
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = br0 ]
	[ "${lines[11]}" = "v0 (1)" ]
	run --separate-stderr as_nobody "$BRCTL" addbr brn
	[ "$status" -eq 1 ]
	[ "$stderr" = "add bridge failed: Operation not permitted" ]
	run --separate-stderr as_nobody "$BRCTL" delbr brA
	[ "$status" -eq 1 ]
	[ "$stderr" = "can't delete bridge brA: Operation not permitted" ]
	run --separate-stderr as_nobody "$BRCTL" addif br0 v2
	[ "$status" -eq 1 ]
	[ "$stderr" = "can't add v2 to bridge br0: Operation not permitted" ]
	run --separate-stderr as_nobody "$BRCTL" stp br0 on
	[ "$status" -eq 1 ]
	[ "$stderr" = "set stp status failed: Operation not permitted" ]
	run --separate-stderr as_nobody "$BRCTL" setfd br0 3
	[ "$status" -eq 1 ]
	[ "$stderr" = "set forward delay failed: Operation not permitted" ]
	run ! link_exists brn
	link_exists brA
	[ "$(master_of v2)" = "" ]
}

@test "port 1024: a clear error naming the kernel's 1023-port limit" {
	local i
	for i in $(seq 1 1024); do
		echo "link add d$i type veth peer name e$i"
	done | ip -n "$NS" -batch -
	in_ns "$BRCTL" addbr br0
	# shellcheck disable=SC2046
	expect 0 "" "" addif br0 $(seq -f 'd%g' 1 1023)
	expect 1 "" "can't add d1024 to bridge br0: Exchange full (a bridge has at most 1023 ports)" addif br0 d1024
	[ "$(master_of d1024)" = "" ]
	[ "$(ip -n "$NS" -j link show master br0 | jq length)" = 1023 ]
}

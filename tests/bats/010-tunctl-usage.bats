#!/usr/bin/env bats
# 010-tunctl-usage.bats - tunctl's command line: help, version, usage errors, -l/-j output.

load helpers

setup() {
	ns_setup_test
}

teardown() {
	ns_teardown_test
}

@test "-h and --help print help on stdout and exit 0" {
	run --separate-stderr in_ns "$TUNCTL" -h
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "${lines[0]}" == "Usage: tunctl [-b] [-n|-p] [-u owner] [-g group] [-t name] [-f clone-device]" ]]
	help=$output
	run in_ns "$TUNCTL" --help
	[ "$output" = "$help" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "--version prints the version and creates nothing" {
	run --separate-stderr in_ns "$TUNCTL" --version -t tapv
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^tunctl\ \(hostnet\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	link_absent tapv
}

@test "an unknown option prints getopt's message and the reference usage (row 51)" {
	run --separate-stderr in_ns "$TUNCTL" -x
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "tunctl: invalid option -- 'x'
$(tunctl_usage)" ]
}

@test "a missing argument names the option (rows 47-48)" {
	run --separate-stderr in_ns "$TUNCTL" -d
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: option requires an argument -- 'd'
$(tunctl_usage)" ]
	run --separate-stderr in_ns "$TUNCTL" -u
	[ "$stderr" = "tunctl: option requires an argument -- 'u'
$(tunctl_usage)" ]
}

@test "stray operands are usage errors and change nothing (rows 49-50)" {
	for args in "extra" "-t a extra" "-- -t"; do
		# shellcheck disable=SC2086
		run --separate-stderr in_ns "$TUNCTL" $args
		[ "$status" -eq 1 ]
		[ "$output" = "" ]
	done
	run --separate-stderr in_ns "$TUNCTL" -t a extra
	[ "$stderr" = "tunctl: unexpected argument 'extra'
$(tunctl_usage)" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "a long option that does not exist is a usage error" {
	run --separate-stderr in_ns "$TUNCTL" --nope
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "tunctl: unrecognized option '--nope'" ]
}

@test "long options are matched exactly, never abbreviated" {
	run --separate-stderr in_ns "$TUNCTL" --multi -t tapm
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "tunctl: unrecognized option '--multi'" ]
	run --separate-stderr in_ns "$TUNCTL" --hel
	[ "$status" -eq 1 ]
	link_absent tapm
}

@test "-j without -l is a usage error" {
	run --separate-stderr in_ns "$TUNCTL" -j -t tapj
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "tunctl: -j only applies to -l" ]
	link_absent tapj
}

@test "clone device errors name the path (rows 57-59)" {
	run --separate-stderr in_ns "$TUNCTL" -f /nonexistent
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: /nonexistent: open: No such file or directory" ]
	run --separate-stderr in_ns "$TUNCTL" -f /tmp
	[ "$stderr" = "tunctl: /tmp: open: Is a directory" ]
	run --separate-stderr in_ns "$TUNCTL" -f /dev/null -t tapx
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tapx: TUNSETIFF: Inappropriate ioctl for device (is the -f path a tun clone device?)" ]
}

@test "-l prints a table of tun/tap devices only" {
	in_ns "$TUNCTL" -u nobody -t tapa >/dev/null
	in_ns "$TUNCTL" -g nogroup --vnet-hdr -t tapb >/dev/null
	in_ns "$TUNCTL" -n -t tunc >/dev/null
	in_ns ip link add v0 type veth peer name v1
	in_ns ip link set tapa up
	run --separate-stderr in_ns "$TUNCTL" -l
	[ "$status" -eq 0 ]
	[ "$output" = "NAME            MODE OWNER      GROUP      PERSIST FLAGS
tapa            tap  65534      -          on      up
tapb            tap  -          65534      on      vnet_hdr
tunc            tun  0          -          on      -" ]
}

@test "-l -j gives the same data as JSON" {
	in_ns "$TUNCTL" -u nobody -t tapa >/dev/null
	in_ns "$TUNCTL" -g nogroup --vnet-hdr -t tapb >/dev/null
	run --separate-stderr in_ns "$TUNCTL" -l -j
	[ "$status" -eq 0 ]
	[ "$(jq -c '.[0]' <<<"$output")" = '{"ifname":"tapa","mode":"tap","owner":65534,"group":null,"persist":true,"pi":false,"vnet_hdr":false,"multi_queue":false,"up":false}' ]
	[ "$(jq -c '.[1] | [.owner, .group, .vnet_hdr]' <<<"$output")" = '[null,65534,true]' ]
}

@test "-l with no devices prints the header, -j an empty array" {
	run in_ns "$TUNCTL" -l
	[ "$output" = "NAME            MODE OWNER      GROUP      PERSIST FLAGS" ]
	run in_ns "$TUNCTL" -l -j
	[ "$output" = "[]" ]
}

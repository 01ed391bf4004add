#!/usr/bin/env bats
# 200-brctl-usage.bats - brctl's command line: help, version, options, unknown
# commands, argument counts (as bridge-utils 1.7.1 has them; docs/brctl.8); nothing here changes state.

load helpers

setup_file() {
	ns_setup_file
}

teardown_file() {
	ns_teardown_file
}

HELP_FILE="$BATS_TEST_DIRNAME/fixtures/brctl/help.txt"

# The help text, exactly (tabs included), in $help.
setup() {
	help=$(cat "$HELP_FILE")
}

@test "brctl -h and --help print the help on stdout, exit 0" {
	run --separate-stderr brctl -h
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
	[ "$stderr" = "" ]
	run --separate-stderr brctl --help
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
}

@test "help text is byte-identical to bridge-utils' (tabs and all)" {
	in_ns "$BRCTL" -h >"$BATS_TEST_TMPDIR/help"
	cmp "$BATS_TEST_TMPDIR/help" "$HELP_FILE"
}

@test "brctl with no command prints help on stdout, exit 1" {
	run --separate-stderr brctl
	[ "$status" -eq 1 ]
	[ "$output" = "$help" ]
	[ "$stderr" = "" ]
}

@test "brctl -V and --version print bridge-utils, 1.7 and run nothing" {
	run --separate-stderr brctl --version
	[ "$status" -eq 0 ]
	[ "$output" = "bridge-utils, 1.7" ]
	run --separate-stderr brctl -V addbr x
	[ "$status" -eq 0 ]
	[ "$output" = "bridge-utils, 1.7" ]
	run ! link_exists x
}

@test "unknown command: never heard of command on stderr, help on stdout, exit 1" {
	run --separate-stderr brctl bogus
	[ "$status" -eq 1 ]
	[ "$stderr" = "never heard of command [bogus]" ]
	[ "$output" = "$help" ]
}

@test "command names match exactly: no prefixes, case-sensitive" {
	run --separate-stderr brctl sho
	[ "$status" -eq 1 ]
	[ "$stderr" = "never heard of command [sho]" ]
	run --separate-stderr brctl SHOW
	[ "$status" -eq 1 ]
	[ "$stderr" = "never heard of command [SHOW]" ]
}

@test "bad short option: getopt's message, Unknown option, help, exit 1" {
	run --separate-stderr brctl -x
	[ "$status" -eq 1 ]
	[ "$stderr" = "brctl: invalid option -- 'x'
Unknown option '?'" ]
	[ "$output" = "$help" ]
}

@test "bad long option: unrecognized option, exit 1" {
	run --separate-stderr brctl --bogus
	[ "$status" -eq 1 ]
	[ "$stderr" = "brctl: unrecognized option '--bogus'
Unknown option '?'" ]
	[ "$output" = "$help" ]
}

@test "a negative number is an option (GNU permutation), as in brctl" {
	run --separate-stderr brctl setageing br0 -1
	[ "$status" -eq 1 ]
	[ "$stderr" = "brctl: invalid option -- '1'
Unknown option '?'" ]
	[ "$output" = "$help" ]
}

# Each command's minimum argument count and its usage line (bridge-utils 1.7.1).
@test "too few arguments: Incorrect number of arguments on stdout, exit 1, for every command" {
	local line cmd args n
	while IFS= read -r line; do
		cmd=$(printf '%s' "$line" | cut -f2 | tr -d ' ')
		args=$(printf '%s' "$line" | cut -f3-)
		n=$(printf '%s' "$args" | cut -f1 | grep -o '<' | wc -l)
		[ "$cmd" = show ] && continue
		# Give one argument fewer than the command needs.
		# shellcheck disable=SC2046
		set -- $(seq 2 "$n" | sed 's/^/a/')
		run --separate-stderr in_ns "$BRCTL" "$cmd" "$@"
		[ "$status" -eq 1 ] || { echo "$cmd: status $status"; return 1; }
		[ "$output" = "Incorrect number of arguments for command
Usage: brctl $cmd $args" ] || { echo "$cmd: '$output'"; return 1; }
		[ "$stderr" = "" ]
	done < <(tail -n +3 "$HELP_FILE")
}

@test "usage lines of addbr, addif, stp and setpathcost, as bridge-utils prints them" {
	run --separate-stderr brctl addbr
	[ "$output" = $'Incorrect number of arguments for command\nUsage: brctl addbr <bridge>\t\tadd bridge' ]
	run --separate-stderr brctl addif br0
	[ "$output" = $'Incorrect number of arguments for command\nUsage: brctl addif <bridge> <device>\tadd interface to bridge' ]
	run --separate-stderr brctl stp br1
	[ "$output" = $'Incorrect number of arguments for command\nUsage: brctl stp <bridge> {on|off}\tturn stp on/off' ]
	run --separate-stderr brctl setpathcost br0 v0
	[ "$output" = $'Incorrect number of arguments for command\nUsage: brctl setpathcost <bridge> <port> <cost>\tset path cost' ]
	run --separate-stderr brctl delbr
	[ "$output" = $'Incorrect number of arguments for command\nUsage: brctl delbr <bridge>\t\tdelete bridge' ]
}

@test "extra command vlanfiltering: usage line, kept out of the help text" {
	run --separate-stderr brctl vlanfiltering br0
	[ "$status" -eq 1 ]
	[ "$output" = $'Incorrect number of arguments for command\nUsage: brctl vlanfiltering <bridge> {on|off}\tturn vlan filtering on/off' ]
	run brctl -h
	[[ "$output" != *vlanfiltering* ]]
}

@test "-j with a command that prints no table is refused, nothing done" {
	run --separate-stderr brctl -j addbr brj
	[ "$status" -eq 1 ]
	[ "$stderr" = "brctl: addbr: -j applies only to show, showmacs and showstp" ]
	[ "$output" = "" ]
	run ! link_exists brj
}

@test "the same usage paths as the reference, stdout and stderr byte for byte" {
	require_ref_brctl
	local args
	for args in "" "bogus" "-x" "--bogus" "addbr" "addif br0" "delif br0" "hairpin br0 v0" \
		"setageing br0" "setbridgeprio br0" "setfd br0" "sethello br0" "setmaxage br0" \
		"setpathcost br0 v0" "setportprio br0 v0" "showmacs" "showstp" "stp br0" "-h" "-V"; do
		# shellcheck disable=SC2086
		run --separate-stderr ref_brctl_in "$NS" $args
		local rs=$status ro=$output re=$stderr
		# shellcheck disable=SC2086
		run --separate-stderr in_ns "$BRCTL" $args
		[ "$status" -eq "$rs" ] || { echo "'$args': status $status, ref $rs"; return 1; }
		[ "$output" = "$ro" ] || { echo "'$args': stdout differs"; return 1; }
		[ "$stderr" = "$re" ] || { echo "'$args': stderr '$stderr', ref '$re'"; return 1; }
	done
}

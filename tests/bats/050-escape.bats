#!/usr/bin/env bats
# 050-escape.bats - control bytes in names and config lines reach no
# terminal and split no message: every tool's message escapes them (one line).

load helpers
load hostnet

setup() {
	hn_setup
}

teardown() {
	ns_teardown_test
}

# one_line: the last command wrote exactly one line on stderr, no raw control byte.
one_line() {
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "lines: ${#stderr_lines[@]}: $stderr"; return 1; }
	run -1 grep -qP '[\x00-\x08\x0b-\x1f\x7f]' <<<"$stderr"
}

@test "natctl: a newline and an ESC in an interface name are escaped in its error" {
	run --separate-stderr in_ns "$NATCTL" proxyarp on $'a\nb\e[1m'
	[ "$status" -eq 2 ]
	one_line
	[ "$stderr" = "natctl: proxyarp on: 'a\\x0ab\\x1b[1m': whitespace is not allowed in interface names" ]
	run --separate-stderr in_ns "$NATCTL" proxyarp on $'ab\e[1m'
	[ "$status" -eq 1 ]
	one_line
	[[ $stderr == 'natctl: '*'ab\x1b[1m'* ]]
}

@test "tunctl: a device name with an ESC is shown escaped in 'Set' and in errors" {
	run --separate-stderr in_ns "$TUNCTL" -t $'t\e0'
	[ "$status" -eq 0 ]
	[ "$output" = "Set 't\\x1b0' persistent and owned by uid 0" ]
	run --separate-stderr in_ns "$TUNCTL" -t $'t\e0' -u 1234
	[ "$status" -eq 1 ]
	one_line
	[[ $stderr == 'tunctl: t\x1b0: '* ]]
	run -0 in_ns "$TUNCTL" -d $'t\e0'
	[ "$output" = "Set 't\\x1b0' nonpersistent" ]
}

@test "brctl: a bridge name with control bytes is escaped in bridge-utils' messages" {
	run --separate-stderr in_ns "$HN_BIN/brctl" show $'no\x01br'
	[ "$status" -eq 1 ]
	one_line
	[ "$stderr" = 'bridge no\x01br does not exist!' ]
	run --separate-stderr in_ns "$HN_BIN/brctl" addif $'no\x01br' eth0
	[ "$status" -eq 1 ]
	one_line
}

@test "hostnet: a config line with control bytes is reported on one line" {
	conf $'tap tap\e9 user\x01 0'
	run --separate-stderr hn check
	[ "$status" -eq 2 ]
	for l in "${stderr_lines[@]}"; do
		run -1 grep -qP '[\x00-\x08\x0b-\x1f\x7f]' <<<"$l"
	done
	[[ ${stderr_lines[0]} == *'\x1b'* ]] || [[ ${stderr_lines[0]} == *'\x01'* ]]
}

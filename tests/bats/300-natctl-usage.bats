#!/usr/bin/env bats
# 300-natctl-usage.bats - natctl grammar: help, exact names, bad input gives "natctl: what: why", exit 2, nothing changed.

load helpers

setup_file() {
	ns_setup_file
	ip -n "$NS" link add eth0 type veth peer name tap0
}

teardown_file() {
	ns_teardown_file
}

# Run natctl, expect exit 2, the exact stderr line, no stdout, and an unchanged ruleset.
refused() {
	local want=$1 before after; shift
	before=$(nft_json "$NS")
	run --separate-stderr in_ns "$NATCTL" "$@"
	after=$(nft_json "$NS")
	[ "$status" -eq 2 ] || { echo "status $status: $stderr"; return 1; }
	[ "$stderr" = "$want" ] || { echo "stderr: $stderr"; return 1; }
	[ "$output" = "" ]
	[ "$before" = "$after" ]
}

@test "help lists every command on stdout and exits 0" {
	run --separate-stderr in_ns "$NATCTL" --help
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "${lines[0]}" =~ ^Usage:\ natctl\ \[-j\]\ COMMAND ]]
	[[ "$output" == *$'\n  forward add tcp|udp PORT[-PORT] [in IFACE] [dst ADDR[/LEN]] to ADDR [port PORT[-PORT]] [local]\n'* ]]
	[[ "$output" == *$'\n  doctor\n'* ]]
}

@test "no command is a usage error on stderr, exit 2" {
	run --separate-stderr in_ns "$NATCTL"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[[ "$stderr" =~ ^Usage:\ natctl ]]
}

@test "unknown command and abbreviations are refused" {
	refused "natctl: unknown command 'masq'" masq add 10.0.0.0/24 out eth0
	refused "natctl: forward: unknown or missing verb ad" forward ad tcp 80 to 10.0.0.2
}

@test "wrong argument count prints the command's synopsis" {
	refused "natctl: snat add: usage: snat add PREFIX out IFACE to ADDR" snat add 10.0.0.0/24 out eth0
}

@test "bad prefixes are refused" {
	refused "natctl: masquerade add: '10.0.0.0/33': prefix length too long" masquerade add 10.0.0.0/33 out eth0
	refused "natctl: masquerade add: '10.0.0.1/24': host bits set (give the network address)" masquerade add 10.0.0.1/24 out eth0
	refused "natctl: masquerade add: '10.0.0/24': not an address or prefix (ADDR/LEN)" masquerade add 10.0.0/24 out eth0
}

@test "port 0, ports above 65535 and reversed ranges are refused" {
	refused "natctl: forward add: '0': port 0 is not allowed (ports are 1-65535)" forward add tcp 0 to 10.0.0.2
	refused "natctl: forward add: '65536': ports are 1-65535" forward add tcp 65536 to 10.0.0.2
	refused "natctl: forward add: '90-80': reversed port range" forward add tcp 90-80 to 10.0.0.2
	refused "natctl: forward add: '0': port 0 is not allowed (ports are 1-65535)" forward add udp 80 to 10.0.0.2 port 0
	refused "natctl: forward add: '80-': not a port or port range (PORT or LOW-HIGH)" forward add tcp 80- to 10.0.0.2
}

@test "an IPv6 address in an IPv4 context is refused" {
	refused "natctl: forward add: '80': dst and to are of different address families" forward add tcp 80 dst 2001:db8::1 to 10.0.0.2
	refused "natctl: snat add: '2001:db8::5': wrong address family here" snat add 10.0.0.0/24 out eth0 to 2001:db8::5
}

@test "other forward syntax errors" {
	refused "natctl: forward add: 'icmp': protocol must be tcp or udp" forward add icmp 80 to 10.0.0.2
	refused "natctl: forward add: '80': needs to ADDR" forward add tcp 80 in eth0 dst 10.0.0.1
	refused "natctl: forward add: '8000-8010': a port range forwards to the same ports or to one port" forward add tcp 8000-8010 to 10.0.0.2 port 9000-9010
	refused "natctl: forward add: '80': local needs dst ADDR" forward add tcp 80 to 10.0.0.2 local
	refused "natctl: forward add: 'in': unexpected argument" forward add tcp 80 in eth0 in eth0 to 10.0.0.2
	refused "natctl: forward add: 'a/b': '/' and ':' are not allowed in interface names" forward add tcp 80 in a/b to 10.0.0.2
	refused "natctl: forward add: '0123456789abcdef': interface name longer than 15 bytes" forward add tcp 80 in 0123456789abcdef to 10.0.0.2
}

@test "an unknown interface fails with exit 1 and changes nothing" {
	before=$(nft_json "$NS")
	run --separate-stderr in_ns "$NATCTL" masquerade add 10.0.0.0/24 out eth9
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: eth9: unknown interface" ]
	[ "$(nft_json "$NS")" = "$before" ]
	run --separate-stderr in_ns "$NATCTL" route add 10.0.0.77 dev tap9
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: tap9: unknown interface" ]
}

@test "a batch with one syntax error reports file:line and changes nothing" {
	printf '%s\n' '# forwards' 'masquerade add 10.0.0.0/24 out eth0#uplink' '' \
		'forward add tcp 80 to 10.0.0.2 # web' 'forward add tcp 0 to 10.0.0.3' >"$BATS_TEST_TMPDIR/b"
	before=$(nft_json "$NS")
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 2 ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:5: forward add: '0': port 0 is not allowed (ports are 1-65535)" ]
	[ "$(nft_json "$NS")" = "$before" ]
}

# Issue 14 item 11: a NUL used to end the line early; the rest was dropped
# unseen and what came before it applied.
@test "a NUL byte in a batch line is an error of that line; nothing applies" {
	printf 'forwarding ipv4 on\0 off\nmasquerade add 10.0.0.0/24 out eth0\0 junk\n' \
		>"$BATS_TEST_TMPDIR/b"
	before=$(nft_json "$NS")
	fwd=$(in_ns cat /proc/sys/net/ipv4/ip_forward)
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:1: a NUL byte at column 19; a batch line is text
natctl: $BATS_TEST_TMPDIR/b:2: a NUL byte at column 36; a batch line is text" ]
	[ "$(nft_json "$NS")" = "$before" ]
	[ "$(in_ns cat /proc/sys/net/ipv4/ip_forward)" = "$fwd" ]
	run --separate-stderr bash -c "printf 'route add 10.0.0.9 dev eth0\0x\n' |
		ip netns exec '$NS' '$NATCTL' --batch -"
	[ "$status" -eq 2 ]
	[ "$stderr" = "natctl: -:1: a NUL byte at column 28; a batch line is text" ]
	[ "$(ip -n "$NS" -j route show 10.0.0.9)" = "[]" ]
}

# Issue 14 item 11: fopen(3) opens a directory; reading it failed with
# EISDIR, which ended the batch as if empty: exit 0, nothing done.
@test "a directory or a device as the batch file is a usage error, exit 2" {
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR: is a directory, not a batch file" ]
	run --separate-stderr bash -c "ip netns exec '$NS' '$NATCTL' --batch - <'$BATS_TEST_TMPDIR'"
	[ "$status" -eq 2 ]
	[ "$stderr" = "natctl: -: is a directory, not a batch file" ]
	run --separate-stderr in_ns "$NATCTL" --batch /dev/zero
	[ "$status" -eq 2 ]
	[ "$stderr" = "natctl: /dev/zero: not a regular file, pipe or terminal" ]
	# An empty batch from /dev/null does nothing and succeeds.
	run --separate-stderr in_ns "$NATCTL" --batch /dev/null
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
}

@test "--version" {
	run --separate-stderr in_ns "$NATCTL" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^natctl\ \(hostnet\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "without privileges every kind of change fails with exit 1 and says why" {
	run --separate-stderr as_nobody "$NATCTL" masquerade add 10.0.0.0/24 out eth0
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: nftables table hostnet: Operation not permitted" ]
	run --separate-stderr as_nobody "$NATCTL" forwarding ipv4 on
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: sysctl net/ipv4/ip_forward: Permission denied" ]
	run --separate-stderr as_nobody "$NATCTL" route add 10.0.0.7 dev tap0
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: route 10.0.0.7 dev tap0: Operation not permitted" ]
	[ "$(nft_json "$NS")" = "[]" ]
}

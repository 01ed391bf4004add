#!/usr/bin/env bats
# 400-uml_net-protocol.bats - argv, versions, transports and the three answer
# formats, driven the way UML drives the helper (examples/uml_side.c).
# shellcheck disable=SC2016 # shell snippets in single quotes run later, inside the namespace

load helpers
load uml_net

setup_file() {
	ns_setup_file
	uml_require
	export BATS_TEST_TIMEOUT=600
}

teardown_file() {
	uml_teardown
}

# refused_on_stderr WANT ARGS...: exit 1, WANT on stderr, nothing on fd 1.
refused_on_stderr() {
	local want=$1; shift
	run -1 --separate-stderr in_ns "$UML_NET" "$@"
	[ "$output" = "" ]
	[ "$stderr" = "$want" ]
}

@test "too few arguments: the reference's banner on stderr, exit 1" {
	local banner
	banner=$(printf '%s\n' "uml_net : bad argument list - if you're running uml_net by" \
		"hand, don't bother.  uml_net is run automatically by UML when" "necessary.")
	refused_on_stderr "$banner"
	refused_on_stderr "$banner" 4
}

@test "versions other than 4 are refused as the reference does, on stderr" {
	refused_on_stderr "Version mismatch - requested version 5, uml_net supports up to version 4" 5 tuntap up 1.2.3.4
	refused_on_stderr "Version mismatch - requested version -1, uml_net supports up to version 4" -1 tuntap
	refused_on_stderr "Version mismatch - requested version 0x4, uml_net supports up to version 4" 0x4 tuntap up 1.2.3.4
	refused_on_stderr "No version #1 handler for 'tuntap'" 1 tuntap up 1.2.3.4
	refused_on_stderr "No version #3 handler for 'add'" 3 add tap0 1.2.3.4 255.0.0.0
	refused_on_stderr "No version #0 handler for 'tuntap'" tuntap up 1.2.3.4
}

@test "unknown transport and tuntap op: stderr only (the reference wrote stdout)" {
	refused_on_stderr "Unknown transport : 'bogus'" 4 bogus
	refused_on_stderr "Unknown transport : 'bogus'" bogus x
	refused_on_stderr "Bad tuntap op : 'bogus'" 4 tuntap bogus
}

@test "tuntap with no op: framed block, exit 1" {
	run -0 side stream "$UML_NET" 4 tuntap
	[ "$(field "$output" '[.exit, .bytes, .nul, .extra] | @csv')" = '1,42,true,0' ]
	[ "$(field "$output" .text)" = "uml_net : too few arguments to tuntap_v4" ]
}

@test "add/del argument counts are strict and always framed (the reference crashed)" {
	local args
	for args in "add" "add tap0" "del tap0" "add tap0 10.0.0.2" "tuntap add tap0 10.0.0.91" \
		"add tap0 10.0.0.2 255.255.255.0 extra"; do
		# shellcheck disable=SC2086
		run -0 side stream "$UML_NET" 4 $args
		[ "$(field "$output" '[.exit, .signal, .eof, .nul, .extra] | @csv')" = '2,0,false,true,0' ]
		[[ "$(field "$output" .text)" =~ ^"uml_net : too "(few|many)" arguments to "(add|del|"tuntap change_addr")" (expected <dev> <addr> <netmask>)"$ ]]
	done
}

@test "addresses: dotted quads only; netmasks contiguous; names never truncated" {
	local a
	for a in 192.0.2.077 0xc0000201 10.1 3232235521 1.2.3.4.5 " 1.2.3.4" ""; do
		run -0 side stream "$UML_NET" 4 add tap0 "$a" 255.255.255.0
		[ "$(field "$output" .exit)" = 2 ]
		[ "$(field "$output" .text)" = "uml_net: add: '$a': not a dotted-quad IPv4 address" ]
	done
	run -0 side stream "$UML_NET" 4 del tap0 10.0.0.5 255.0.255.0
	[ "$(field "$output" .text)" = "uml_net: del: '255.0.255.0': not a netmask" ]
	run -0 side stream "$UML_NET" 4 add verylongtapname0 10.0.0.5 255.255.255.0
	[ "$(field "$output" .text)" = "uml_net: add: 'verylongtapname0': interface name longer than 15 bytes" ]
	run -0 side stream "$UML_NET" 4 add 'tap0;id' 10.0.0.5 255.255.255.0
	[ "$(field "$output" '[.exit, .nul] | @csv')" = '1,true' ]
}

@test "tuntap up without a policy file: one datagram, no fd, exit 0, nothing created" {
	local before
	before=$(host_state)
	run -0 side dgram "$UML_NET" 4 tuntap up 10.0.0.1
	[ "$(field "$output" '[.exit, .fd, .timeout, .nul, .extra] | @csv')" = '0,false,false,true,0' ]
	[[ "$(field "$output" .text)" =~ ^"uml_net: 4 tuntap up 10.0.0.1: not permitted: /".*"/hostnet/uml_net.conf: no policy file, so nothing is permitted"$ ]]
	[ "$(host_state)" = "$before" ]
}

@test "tuntap up: bad gate syntax and extra arguments are answered by datagram, exit 0" {
	run -0 side dgram "$UML_NET" 4 tuntap up not.an.ip
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,false' ]
	[ "$(field "$output" .text)" = "uml_net: tuntap up: 'not.an.ip': not a dotted-quad IPv4 address" ]
	run -0 side dgram "$UML_NET" 4 tuntap up 10.0.0.1 extra
	[ "$(field "$output" .text)" = "uml_net: tuntap up: too many arguments (expected <gate>)" ]
}

@test "fd 1 not a UNIX-domain socket: refused on stderr, exit 1, nothing written to it" {
	local f pid want="uml_net: descriptor 1: not a UNIX-domain socket (uml_net is run by UML); nothing done"
	policy "allow user root gate 10.0.0.9"
	f=$(mktemp /tmp/hn-uml-fd1.XXXXXX)
	for req in "tuntap up 10.0.0.9" "add tap0 10.0.0.2 255.255.255.0" "tuntap up 10.0.0.077"; do
		# shellcheck disable=SC2086 # the request is words
		run -1 --separate-stderr in_ns sh -c '"$0" 4 $1 >"$2"' "$UMLT" "$req" "$f"
		[ "$stderr" = "$want" ]
		[ ! -s "$f" ]
		run -1 --separate-stderr in_ns bash -c 'set -o pipefail; "$0" 4 $1 | cat >"$2"' "$UMLT" "$req" "$f"
		[ "$stderr" = "$want" ]
		[ ! -s "$f" ]
	done
	rm -f "$f"
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "ethertap: status byte 0 and a framed refusal; nothing changes" {
	local before
	before=$(host_state)
	for args in "ethertap" "ethertap tap0 3" "ethertap eth0 3 10.9.9.9"; do
		# shellcheck disable=SC2086
		run -0 side ethertap "$UML_NET" 4 $args
		[ "$(field "$output" '[.exit, .status_byte, .nul, .extra] | @csv')" = '1,0,true,0' ]
		[ "$(field "$output" .text)" = "uml_net: ethertap: not supported: the host's ethertap driver no longer exists; use eth0=tuntap,,,<gate> instead" ]
	done
	[ "$(host_state)" = "$before" ]
}

@test "slip: argument errors are framed, exit 1" {
	run -0 side stream "$UML_NET" 4 slip
	[ "$(field "$output" .exit)" = 1 ]
	[ "$(field "$output" .text)" = "uml_net : too few arguments to slip_v4" ]
	run -0 side stream "$UML_NET" 4 slip up
	[ "$(field "$output" .text)" = "uml_net : too few arguments to slip_v4" ]
	run -0 side stream "$UML_NET" 4 slip sideways x
	[ "$(field "$output" '[.exit, .extra] | @csv')" = '1,0' ]
	[ "$(field "$output" .text)" = "slip - Unknown op 'sideways'" ]
}

@test "slip up on a pty: configured where the kernel has SLIP, else a framed error" {
	policy "allow user root gate 10.0.0.60"
	run -0 side slip "$UMLT" 4 slip up 10.0.0.60
	if [ -d /sys/module/slip ]; then
		[ "$(field "$output" .exit)" = 0 ]
		[[ "$(field "$output" .text)" =~ ^"uml_net: sl"[0-9]+": up, gate 10.0.0.60/32" ]]
	else
		[ "$(field "$output" '[.exit, .nul] | @csv')" = '1,true' ]
		[ "$(field "$output" .text)" = "Setting slip line discipline: Invalid argument" ]
	fi
}

@test "slip down trusts only fd 0: not a tty is a framed error" {
	policy "allow user root gate 10.0.0.60"
	run -0 in_ns sh -c '"$0" stream "$1" 4 slip down sl0 </dev/null' "$UML_SIDE" "$UMLT"
	[ "$(field "$output" .exit)" = 1 ]
	[ "$(field "$output" .text)" = "Getting slip line discipline: Inappropriate ioctl for device" ]
}

@test "slip down goes through the policy: refused when it allows the caller nothing, or is missing" {
	policy "allow user root gate 10.0.0.60" "deny user root"
	run -0 in_ns sh -c '"$0" stream "$1" 4 slip down sl0 </dev/null' "$UML_SIDE" "$UMLT"
	[ "$(field "$output" '[.exit, .text] | @csv')" = '1,"uml_net: 4 slip down sl0: not permitted: no slip lines allowed
"' ]
	rm -f "$UMLT_CONF"
	run -0 in_ns sh -c '"$0" stream "$1" 4 slip down sl0 </dev/null' "$UML_SIDE" "$UMLT"
	[ "$(field "$output" '[.exit, .text] | @csv')" = '1,"uml_net: 4 slip down sl0: not permitted: '"$UMLT_CONF"': no policy file, so nothing is permitted
"' ]
}

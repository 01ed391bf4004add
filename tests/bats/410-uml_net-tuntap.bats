#!/usr/bin/env bats
# 410-uml_net-tuntap.bats - `tuntap up`: the tap, its gate, bridge mode, limits
# and every refusal, as root with the test build's policy.
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

setup() {
	in_ns sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'
}

# What the -x hook of uml_side prints about $TAP while UML holds the fd.
HOLD='ip -d -j link show dev "$TAP" | jq -c ".[0] | {operstate, flags, master, info: .linkinfo.info_data}";
	ip -j addr show dev "$TAP" | jq -c "[.[0].addr_info[] | select(.family == \"inet\") | .local + \"/\" + (.prefixlen|tostring)]"'

@test "tuntap up: one datagram with the name, NUL-terminated text and the tap fd" {
	policy "allow user root gate 10.0.0.1"
	run -0 side -x "$HOLD" dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" '[.exit, .fd, .name, .tun_name, .tun_flags, .nul, .extra] | @csv')" = '0,true,"tap0","tap0",4098,true,0' ]
	text=$(field "$output" .text)
	[ "$text" = "$(printf '%s\n' "uml_net: tap0: created for uid 0, gate 10.0.0.1/32" \
		"uml_net: ip_forward: left off (no rule in $UMLT_CONF allows forward)")" ]
	# 16-byte name field + the text + its NUL, in one datagram
	[ "$(field "$output" .bytes)" = "$((16 + ${#text} + 2))" ]
	[ "$(sed -n 2p <<<"$output")" = '{"operstate":"UNKNOWN","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"master":null,"info":{"type":"tap","pi":false,"vnet_hdr":false,"multi_queue":false,"persist":false,"user":"root"}}' ]
	[ "$(sed -n 3p <<<"$output")" = '["10.0.0.1/32"]' ]
}

@test "the tap is not persistent: it goes when UML's fd closes" {
	policy "allow user root gate 10.0.0.1"
	run -0 side dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .fd)" = true ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "kernel-chosen names: a second UML gets tap1" {
	policy "allow user root gate 10.0.0.1"
	run -0 side -x "\"$UML_SIDE\" dgram \"$UMLT\" 4 tuntap up 10.0.0.1" dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .name)" = tap0 ]
	[ "$(sed -n 2p <<<"$output" | jq -r '[.name, .exit] | @csv')" = '"tap1",0' ]
}

@test "ip_forward is turned on only with a forward grant" {
	policy "allow user root gate 10.0.0.1" "allow all forward"
	run -0 side dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .text | sed -n 2p)" = "uml_net: ip_forward: turned on (forward allowed by $UMLT_CONF:2)" ]
	[ "$(in_ns cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
}

@test "a gate the policy does not grant: no fd, exit 0, nothing created" {
	policy "allow user root gate 10.0.0.1" "deny all gate 10.0.0.0/31"
	before=$(host_state)
	for gate in 10.0.0.9 10.0.0.1; do
		run -0 side dgram "$UMLT" 4 tuntap up "$gate"
		[ "$(field "$output" '[.exit, .fd, .bytes > 0, .extra] | @csv')" = '0,false,true,0' ]
	done
	[ "$(field "$output" .text)" = "uml_net: 4 tuntap up 10.0.0.1: not permitted: gate 10.0.0.1 denied by $UMLT_CONF:2" ]
	[ "$(host_state)" = "$before" ]
}

@test "special gate addresses are refused even when the policy allows everything" {
	policy "allow all gate 0.0.0.0/0"
	for gate in 0.0.0.0 127.0.0.1 224.0.0.1 255.255.255.255 240.0.0.1; do
		run -0 side dgram "$UMLT" 4 tuntap up "$gate"
		[ "$(field "$output" .fd)" = false ]
		[[ "$(field "$output" .text)" =~ ^"uml_net: 4 tuntap up $gate: not permitted: gate $gate is "(an unspecified|a loopback|a multicast|a reserved) ]]
	done
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "no gate and no bridge rule: refused by datagram" {
	policy "allow user root gate 10.0.0.1"
	run -0 side dgram "$UMLT" 4 tuntap up
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,false' ]
	[ "$(field "$output" .text)" = "uml_net: 4 tuntap up: not permitted: no gate address given, and no bridge rule applies" ]
}

@test "the tap limit counts the caller's taps" {
	policy "allow user root gate 10.0.0.1" "allow all taps 1"
	run -0 side -x "\"$UML_SIDE\" dgram \"$UMLT\" 4 tuntap up 10.0.0.1" dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .fd)" = true ]
	[ "$(sed -n 2p <<<"$output" | jq -r '[.exit, .fd] | @csv')" = '0,false' ]
	[ "$(sed -n 2p <<<"$output" | jq -r .text)" = "uml_net: 4 tuntap up 10.0.0.1: not permitted: you already own 1 taps (limit 1)" ]
	policy "allow user root gate 10.0.0.1" "allow all taps 0"
	run -0 side dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .text)" = "uml_net: 4 tuntap up 10.0.0.1: not permitted: no taps allowed" ]
}

@test "bridge mode: the tap joins the bridge, no gate, add/del have nothing to do" {
	ip -n "$NS" link add br0 type bridge
	ip -n "$NS" link set br0 mtu 1400
	policy "allow user root bridge br0"
	run -0 side -x "$HOLD; \"$UML_SIDE\" stream \"$UMLT\" 4 add \"\$TAP\" 10.0.0.2 255.255.255.0;
		ip -j link show dev \"\$TAP\" | jq -r '.[0] | [.mtu, .address[0:3]] | @csv'" dgram "$UMLT" 4 tuntap up
	[ "$(field "$output" '[.exit, .fd, .name] | @csv')" = '0,true,"tap0"' ]
	[ "$(field "$output" .text)" = "uml_net: tap0: created for uid 0, attached to bridge br0" ]
	[ "$(sed -n 2p <<<"$output" | jq -r .master)" = br0 ]
	[ "$(sed -n 3p <<<"$output")" = '[]' ]
	[ "$(sed -n 4p <<<"$output" | jq -r .exit)" = 0 ]
	[ "$(sed -n 4p <<<"$output" | jq -r .text)" = "uml_net: 4 add tap0 10.0.0.2 255.255.255.0: bridge mode: nothing to route" ]
	[ "$(sed -n 5p <<<"$output")" = '1400,"fe:"' ]
	[ "$(ip -n "$NS" -j route show | jq length)" = 0 ]
	ip -n "$NS" link del br0
}

@test "bridge mode: a bridge rule naming a non-bridge fails cleanly, no tap left" {
	policy "allow user root bridge lo"
	run -0 side dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,false' ]
	[ "$(field "$output" .text)" = "uml_net: lo: not a bridge" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "a policy file that others can write, or not owned by root, is ignored" {
	policy "allow user root gate 10.0.0.1"
	chmod 0664 "$UMLT_CONF"
	run -0 side dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .text)" = "uml_net: 4 tuntap up 10.0.0.1: not permitted: $UMLT_CONF: ignored: must be owned by root and writable by root only" ]
	chmod 0644 "$UMLT_CONF"
	chown 65534 "$UMLT_CONF"
	run -0 side dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .fd)" = false ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "a policy syntax error denies everything and names file:line" {
	policy "allow user root gate 10.0.0.1" "alow all forward"
	run -0 --separate-stderr side dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,false' ]
	[ "$(field "$output" .text)" = "uml_net: 4 tuntap up 10.0.0.1: not permitted: $UMLT_CONF:2: unknown keyword \"alow\" (allow or deny)" ]
	[ "$stderr" = "uml_net: $UMLT_CONF:2: unknown keyword \"alow\" (allow or deny)" ]
	run -0 --separate-stderr side stream "$UMLT" 4 add tap0 10.0.0.2 255.255.255.0
	[ "$(field "$output" .exit)" = 2 ]
}

#!/usr/bin/env bats
# 420-uml_net-addr.bats - `add`/`del`: routes, proxy ARP, publishing, and every
# host-state refusal (host unchanged), while a UML holds its tap.
# shellcheck disable=SC2016 # shell snippets in single quotes run later, inside the namespace

load helpers
load uml_net

setup_file() {
	ns_setup_file
	uml_require
	export BATS_TEST_TIMEOUT=600 UMLT UML_SIDE
	uplink
	# A second LAN and a stray route into 10.0.0.128/25 through it: the
	# reference published guest addresses there; we must not.
	ip -n "$NS" link add uplink1 type veth peer name lanpeer1
	ip -n "$NS" addr add 192.168.50.1/24 dev uplink1
	ip -n "$NS" link set uplink1 up
	ip -n "$NS" route add 10.0.0.128/25 dev uplink1
}

teardown_file() {
	uml_teardown
}

setup() {
	# Stale proxy entries outlive a tap whose UML never said del; start clean.
	ip -n "$NS" -j neigh show proxy | jq -r '.[] | .dst + " " + .dev' |
		while read -r dst dev; do ip -n "$NS" neigh del proxy "$dst" dev "$dev"; done
	policy "allow user root gate 10.0.0.1" "allow user root route 10.0.0.0/24" \
		"allow user root route 192.168.50.0/24" "allow all publish uplink0"
}

# held CMDS: run shell CMDS in $NS while a UML-side holds a fresh tap ($TAP).
# Inside CMDS: um ARGS... is one framed uml_net call; st prints host state.
held() {
	run -0 --separate-stderr side -x '
		um() { "$UML_SIDE" stream "$UMLT" 4 "$@"; }
		st() { ip -4 -j route show table all; ip -4 -j neigh show proxy; ip -4 -j addr show;
		       grep -H . /proc/sys/net/ipv4/conf/*/proxy_arp /proc/sys/net/ipv4/ip_forward; }
		'"$1" dgram "$UMLT" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .fd)" = true ] || { echo "$output"; return 1; }
	lines=("${lines[@]:1}")
}

# line N FILTER: jq -r FILTER on output line N of the held commands (0-based).
line() {
	jq -r "$2" <<<"${lines[$1]}"
}

@test "add: /32 route marked as uml_net's, proxy_arp on the tap, published on the LAN" {
	held 'um add $TAP 10.0.0.2 255.255.255.0
		ip -j route show dev $TAP | jq -c .; ip -j neigh show proxy | jq -c .
		cat /proc/sys/net/ipv4/conf/$TAP/proxy_arp'
	[ "$(line 0 '[.exit, .nul, .extra, .eof] | @csv')" = '0,true,0,false' ]
	[ "$(line 0 .text)" = "$(printf '%s\n' "uml_net: tap0: route 10.0.0.2 added" "uml_net: uplink0: proxy entry published")" ]
	[ "$(line 0 .bytes)" = 77 ]
	[ "${lines[1]}" = '[{"dst":"10.0.0.2","protocol":"117","scope":"link","flags":[]}]' ]
	[ "${lines[2]}" = '[{"dst":"10.0.0.2","dev":"uplink0","proxy":null}]' ]
	[ "${lines[3]}" = 1 ]
}

@test "add twice is harmless; proxy_arp stays on while any address remains" {
	held 'um add $TAP 10.0.0.2 255.255.255.0; um add $TAP 10.0.0.3 255.255.255.0
		um add $TAP 10.0.0.3 255.255.255.0
		um del $TAP 10.0.0.2 255.255.255.0; cat /proc/sys/net/ipv4/conf/$TAP/proxy_arp
		um del $TAP 10.0.0.3 255.255.255.0; cat /proc/sys/net/ipv4/conf/$TAP/proxy_arp
		ip -j route show dev $TAP | jq -c .; ip -j neigh show proxy | jq -c .'
	[ "$(line 2 .text)" = "uml_net: tap0: route 10.0.0.3 already there" ]
	[ "$(line 3 .text)" = "$(printf '%s\n' "uml_net: tap0: route 10.0.0.2 deleted" "uml_net: uplink0: proxy entry withdrawn")" ]
	[ "${lines[4]}" = 1 ]
	[ "$(line 5 .text | sed -n 3p)" = "uml_net: tap0: proxy_arp off" ]
	[ "${lines[6]}" = 0 ]
	[ "${lines[7]}" = '[]' ]
	[ "${lines[8]}" = '[]' ]
}

@test "publishing follows the interface's own prefix, never the guest's netmask" {
	held 'um add $TAP 10.0.0.200 0.0.0.0; ip -j neigh show proxy | jq -c "[.[].dev]"'
	[ "$(line 0 .exit)" = 0 ]
	[ "${lines[1]}" = '["uplink0"]' ]
}

@test "publishing needs a grant for that interface" {
	held 'um add $TAP 192.168.50.7 255.255.255.0; ip -j neigh show proxy | jq -c .'
	[ "$(line 0 .text)" = "$(printf '%s\n' "uml_net: tap0: route 192.168.50.7 added" \
		"uml_net: uplink1: not published (no rule in $UMLT_CONF allows publish on uplink1)")" ]
	[ "${lines[1]}" = '[]' ]
}

@test "del removes only what uml_net made" {
	held 'ip route add 10.0.0.7 dev $TAP
		um del $TAP 10.0.0.7 255.255.255.0; um add $TAP 10.0.0.7 255.255.255.0
		um del $TAP 10.0.0.9 255.255.255.0
		ip -j route show dev $TAP | jq -c "[.[].dst]"'
	[ "$(line 0 '[.exit, .text] | @tsv')" = "$(printf '1\tuml_net: 4 del tap0 10.0.0.7 255.255.255.0: not permitted: the route to it on tap0 was not made by uml_net\\n')" ]
	[ "$(line 1 .exit)" = 1 ]
	[ "$(line 2 '[.exit, .text] | @tsv')" = "$(printf '0\tuml_net: tap0: no route to 10.0.0.9 made by uml_net; nothing to do\\n')" ]
	[ "${lines[3]}" = '["10.0.0.7"]' ]
}

# refused ADDR MASK WHY: one add as the guest would send it; refused, host unchanged.
refused_add() {
	held 'st >"$BATS_TEST_TMPDIR/before"; um add '"$1"'; st >"$BATS_TEST_TMPDIR/after"
		cmp -s "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after" && echo unchanged ||
		diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after" | tr -d "\n"'
	[ "$(line 0 '[.exit, .nul, .extra] | @csv')" = '1,true,0' ]
	[ "$(line 0 .text)" = "uml_net: 4 add $1: not permitted: $2" ]
	[ "${lines[1]}" = unchanged ]
}

@test "refused: addresses of the host, and its gate" {
	refused_add 'tap0 10.0.0.254 255.255.255.0' "10.0.0.254 is an address of this host on uplink0"
	refused_add 'tap0 10.0.0.1 255.255.255.0' "10.0.0.1 is an address of this host on tap0"
}

@test "refused: the LAN's default gateway, a resolver, an address a live neighbour holds" {
	ip -n "$NS" route add default via 10.0.0.200 dev uplink0
	refused_add 'tap0 10.0.0.200 255.255.255.0' "10.0.0.200 is the host's default gateway"
	policy "allow user root gate 10.0.0.0/24"
	run -0 side dgram "$UMLT" 4 tuntap up 10.0.0.200
	[ "$(field "$output" '[.exit, .fd, .text] | @csv')" = \
		'0,false,"uml_net: 4 tuntap up 10.0.0.200: not permitted: 10.0.0.200 is the host'"'"'s default gateway'$'\n''"' ]
	ip -n "$NS" route del default via 10.0.0.200 dev uplink0
	policy "allow user root gate 10.0.0.1" "allow user root route 10.0.0.0/24" "allow all publish uplink0"
	# ip netns exec shows /etc/netns/NS/resolv.conf as /etc/resolv.conf.
	mkdir -p "/etc/netns/$NS"
	printf '%s\n' "# the LAN's resolver" "nameserver 10.0.0.53" >"/etc/netns/$NS/resolv.conf"
	refused_add 'tap0 10.0.0.53 255.255.255.0' "10.0.0.53 is a resolver in /etc/resolv.conf"
	rm -rf "/etc/netns/$NS"
	ip -n "$NS" neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev uplink0 nud reachable
	refused_add 'tap0 10.0.0.9 255.255.255.0' "10.0.0.9 is in use: a neighbour on uplink0 answers for it"
	ip -n "$NS" neigh del 10.0.0.9 dev uplink0
	held 'um add $TAP 10.0.0.9 255.255.255.0 | jq -r .exit; um del $TAP 10.0.0.9 255.255.255.0 | jq -r .exit'
	[ "${lines[*]}" = "0 0" ]
}

@test "refused: an address a machine on the LAN answers ARP for (probed: no entry beforehand)" {
	local lan="$NS-lan"
	ip netns add "$lan"
	ip -n "$NS" link add uplink2 type veth peer name lan2 netns "$lan"
	ip -n "$NS" addr add 10.5.0.254/24 dev uplink2
	ip -n "$NS" link set uplink2 up
	ip -n "$lan" addr add 10.5.0.9/24 dev lan2
	ip -n "$lan" link set lan2 up
	policy "allow user root gate 10.0.0.1" "allow user root route 10.5.0.0/24"
	[ "$(ip -n "$NS" -j neigh show 10.5.0.9)" = "[]" ]
	refused_add 'tap0 10.5.0.9 255.255.255.0' "10.5.0.9 is in use: it answers ARP on uplink2"
	# Nobody at .10: granted, and the probe leaves no neighbour entry.
	held 'um add $TAP 10.5.0.10 255.255.255.0 | jq -r .exit; ip -j neigh show 10.5.0.10 | jq -c .'
	ip netns del "$lan"
	ip -n "$NS" link del uplink2 2>/dev/null || true
	[ "${lines[*]}" = "0 []" ]
}

@test "refused: network, broadcast, multicast, loopback, unspecified" {
	refused_add 'tap0 10.0.0.255 255.255.255.0' "10.0.0.255 is the broadcast address of its subnet"
	refused_add 'tap0 10.0.0.0 255.255.255.0' "10.0.0.0 is the network address of its subnet"
	refused_add 'tap0 10.0.0.255 255.255.255.255' "10.0.0.255 is the broadcast address of a host subnet"
	policy "allow user root gate 10.0.0.1" "allow all route 0.0.0.0/0"
	refused_add 'tap0 224.0.0.5 255.255.255.0' "224.0.0.5 is a multicast address"
	refused_add 'tap0 127.0.0.2 255.0.0.0' "127.0.0.2 is a loopback address"
	refused_add 'tap0 0.0.0.0 0.0.0.0' "0.0.0.0 is an unspecified (0.0.0.0/8) address"
}

@test "refused: routed to another device, or claimed by another user's tap" {
	ip -n "$NS" route add 10.0.0.8 dev uplink0
	refused_add 'tap0 10.0.0.8 255.255.255.0' "it is routed to uplink0"
	ip -n "$NS" route del 10.0.0.8 dev uplink0
	ip -n "$NS" tuntap add dev tapother mode tap user 65534
	ip -n "$NS" link set tapother up
	ip -n "$NS" route add 10.0.0.6 dev tapother
	refused_add 'tap0 10.0.0.6 255.255.255.0' "it is claimed by another user's tap (tapother)"
	refused_add 'tapother 10.0.0.9 255.255.255.0' "tapother is not a tap uml_net made for uid 0"
	ip -n "$NS" tuntap del dev tapother mode tap
}

@test "refused: a device that is not a tap, a missing one, a prefix not granted" {
	refused_add 'uplink0 10.0.0.9 255.255.255.0' "uplink0 is not a tap uml_net made for uid 0"
	refused_add 'tap9 10.0.0.9 255.255.255.0' "tap9 is not a tap uml_net made for uid 0"
	refused_add 'tap0 10.0.1.5 255.255.255.0' "no rule in $UMLT_CONF allows route 10.0.1.5"
}

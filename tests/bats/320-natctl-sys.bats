#!/usr/bin/env bats
# 320-natctl-sys.bats - natctl forwarding and proxy switches, host routes, published entries, doctor.

load helpers

setup_file() {
	ns_setup_file
	ip -n "$NS" link add eth0 type veth peer name tap0
	ip -n "$NS" link add tapa type veth peer name tapb
	for d in eth0 tap0 tapa tapb; do ip -n "$NS" link set "$d" up; done
	ip -n "$NS" addr add 10.0.0.1/24 dev eth0
}

teardown_file() {
	ns_teardown_file
}

sysctl_ns() {
	in_ns cat "/proc/sys/$1"
}

@test "forwarding ipv4/ipv6 on and off, show in text and JSON" {
	run --separate-stderr in_ns "$NATCTL" forwarding ipv4 on
	[ "$status" -eq 0 ]
	[ "$(sysctl_ns net/ipv4/ip_forward)" = 1 ]
	in_ns "$NATCTL" forwarding ipv6 on
	[ "$(sysctl_ns net/ipv6/conf/all/forwarding)" = 1 ]
	run --separate-stderr in_ns "$NATCTL" forwarding show
	[ "$output" = "ipv4 on
ipv6 on" ]
	in_ns "$NATCTL" forwarding ipv6 off
	run --separate-stderr in_ns "$NATCTL" -j forwarding show
	[ "$output" = '{"ipv4":true,"ipv6":false}' ]
	run --separate-stderr in_ns "$NATCTL" forwarding ipv4 yes
	[ "$status" -eq 2 ]
	[ "$stderr" = "natctl: forwarding ipv4: 'yes': give on or off" ]
	[ "$(sysctl_ns net/ipv4/ip_forward)" = 1 ]
}

@test "proxyarp and proxyndp per interface" {
	run --separate-stderr in_ns "$NATCTL" proxyarp on tap0
	[ "$status" -eq 0 ]
	[ "$(sysctl_ns net/ipv4/conf/tap0/proxy_arp)" = 1 ]
	[ "$(sysctl_ns net/ipv4/conf/eth0/proxy_arp)" = 0 ]
	run --separate-stderr in_ns "$NATCTL" proxyarp show tap0
	[ "$output" = "tap0 on" ]
	in_ns "$NATCTL" proxyndp on tap0
	[ "$(sysctl_ns net/ipv6/conf/tap0/proxy_ndp)" = 1 ]
	in_ns "$NATCTL" proxyarp off tap0
	run --separate-stderr in_ns "$NATCTL" -j proxyarp show tap0
	[ "$output" = '{"ifname":"tap0","proxyarp":false}' ]
	run --separate-stderr in_ns "$NATCTL" proxyarp on ../all
	[ "$status" -eq 2 ]
	[ "$stderr" = "natctl: proxyarp on: '../all': '/' and ':' are not allowed in interface names" ]
}

@test "proxyarp and proxyndp take every name the kernel takes (\$, {, \", backslash)" {
	local n
	# shellcheck disable=SC2016 # the names are literal
	for n in 'a$b' 'x{1}' 'q"t' 'b\\s' '..x'; do
		ip -n "$NS" link add "$n" type veth peer name "p-${#n}-$RANDOM"
		run --separate-stderr in_ns "$NATCTL" proxyarp on "$n"
		[ "$status" -eq 0 ] || { echo "proxyarp on $n: $stderr"; return 1; }
		[ "$(sysctl_ns "net/ipv4/conf/$n/proxy_arp")" = 1 ]
		run -0 in_ns "$NATCTL" proxyndp on "$n"
		[ "$(sysctl_ns "net/ipv6/conf/$n/proxy_ndp")" = 1 ]
		ip -n "$NS" link del "$n"
	done
}

@test "route add/del/list, and an address routed to another device is refused unless replace" {
	run --separate-stderr in_ns "$NATCTL" route add 10.0.0.77 dev tapa
	[ "$status" -eq 0 ]
	[ "$(ip -n "$NS" -d -j route show 10.0.0.77 | jq -c '[.[] | {dst, dev, protocol, scope}]')" = '[{"dst":"10.0.0.77","dev":"tapa","protocol":"boot","scope":"link"}]' ]
	run --separate-stderr in_ns "$NATCTL" route add 10.0.0.77 dev tapb
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: route 10.0.0.77: already routed to tapa: refusing to move it (add replace to move it)" ]
	run --separate-stderr in_ns "$NATCTL" route add 10.0.0.77 dev tapa
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: route 10.0.0.77 dev tapa: File exists" ]
	run --separate-stderr in_ns "$NATCTL" route add 10.0.0.77 dev tapb replace
	[ "$status" -eq 0 ]
	[ "$(ip -n "$NS" -j route show 10.0.0.77 | jq -c '[.[] | .dev]')" = '["tapb"]' ]
	in_ns "$NATCTL" route add 2001:db8::77 dev tapa
	run --separate-stderr in_ns "$NATCTL" route list
	[ "$output" = "route 10.0.0.77 dev tapb
route 2001:db8::77 dev tapa" ]
	in_ns "$NATCTL" route del 10.0.0.77
	in_ns "$NATCTL" route del 2001:db8::77 dev tapa
	run --separate-stderr in_ns "$NATCTL" route del 10.0.0.77
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: route 10.0.0.77: No such process" ]
	[ "$(ip -n "$NS" -j route show 10.0.0.77)" = "[]" ]
}

@test "publish add/del/list: proxy neighbour entries for ARP and NDP" {
	run --separate-stderr in_ns "$NATCTL" publish add 10.0.0.77 dev eth0
	[ "$status" -eq 0 ]
	in_ns "$NATCTL" publish add 2001:db8::77 dev eth0
	[ "$(ip -n "$NS" -j neigh show proxy | jq -c '[.[] | {dst, dev}] | sort_by(.dst)')" = '[{"dst":"10.0.0.77","dev":"eth0"},{"dst":"2001:db8::77","dev":"eth0"}]' ]
	run --separate-stderr in_ns "$NATCTL" publish add 10.0.0.77 dev eth0
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: proxy 10.0.0.77 dev eth0: File exists" ]
	run --separate-stderr in_ns "$NATCTL" -j publish list
	[ "$(jq -c 'sort_by(.dst)' <<<"$output")" = '[{"dst":"10.0.0.77","dev":"eth0"},{"dst":"2001:db8::77","dev":"eth0"}]' ]
	in_ns "$NATCTL" publish del 10.0.0.77 dev eth0
	in_ns "$NATCTL" publish del 2001:db8::77 dev eth0
	run --separate-stderr in_ns "$NATCTL" publish del 10.0.0.77 dev eth0
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: proxy 10.0.0.77 dev eth0: No such file or directory" ]
	[ "$(ip -n "$NS" -j neigh show proxy)" = "[]" ]
}

@test "doctor reports forwarding off and another table's drop, and changes nothing" {
	in_ns "$NATCTL" forwarding ipv4 off
	in_ns nft 'add table inet fw; add chain inet fw fwd2 { type filter hook forward priority 0; policy drop; }; add rule inet fw fwd2 iifname "tap0" drop'
	before=$(nft_json "$NS")
	run --separate-stderr in_ns "$NATCTL" -j doctor
	[ "$status" -eq 1 ]
	[ "$(nft_json "$NS")" = "$before" ]
	[ "$(sysctl_ns net/ipv4/ip_forward)" = 0 ]
	[ "$(jq -c '[.problems[] | select(.check != "br_netfilter") | .check]' <<<"$output")" = '["forwarding","firewall","firewall"]' ]
	[ "$(jq -r '.problems[1].problem' <<<"$output")" = "table inet fw chain fwd2 (hook forward, priority 0) has policy drop" ]
	[ "$(jq -r '.problems[2].problem' <<<"$output")" = "table inet fw chain fwd2 (hook forward, priority 0) has 1 drop or reject rule" ]
	run --separate-stderr in_ns "$NATCTL" doctor
	[[ "${lines[0]}" == "forwarding: IPv4 forwarding is off (net.ipv4.ip_forward=0): nothing is routed to or from guests" ]]
	[[ "${lines[1]}" == "  fix: natctl forwarding ipv4 on" ]]
	in_ns nft delete table inet fw
	in_ns "$NATCTL" forwarding ipv4 on
	run --separate-stderr in_ns "$NATCTL" -j doctor
	[ "$(jq -c '[.problems[] | select(.check != "br_netfilter")]' <<<"$output")" = '[]' ]
}

@test "doctor reports strict rp_filter" {
	in_ns sysctl -qw net.ipv4.conf.tapa.rp_filter=1
	run --separate-stderr in_ns "$NATCTL" -j doctor
	[ "$(jq -r '[.problems[] | select(.check == "rp_filter") | .problem] | .[]' <<<"$output")" = "tapa: strict reverse-path filter (rp_filter=1) drops packets that arrive on an interface the reply would not leave by" ]
	in_ns sysctl -qw net.ipv4.conf.tapa.rp_filter=0
}

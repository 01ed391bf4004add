#!/usr/bin/env bats
# 625-hostnet-warnings.bats - plan and status warn, as natctl doctor does, when
# another table, forwarding off or strict rp_filter would drop what the file's
# NAT lines are meant to carry.

load helpers
load hostnet

setup() {
	hn_setup
	conf "bridge br0 address 192.168.2.1/24" \
		"forwarding ipv4 on" \
		"masquerade 192.168.2.0/24 out eth0" \
		"forward tcp 80 in eth0 to 192.168.2.10"
}

teardown() {
	ns_teardown_test
}

FW_PROBLEM='table inet filter chain forward (hook forward, priority 0) has policy drop'
FW_FIX="allow the guests' traffic in that table (e.g. iifname/oifname accept rules, ct state established,related accept); an accept in another table cannot override a drop"

drop_forward() {
	in_ns nft add table inet filter
	in_ns nft add chain inet filter forward '{ type filter hook forward priority 0; policy drop; }'
}

@test "no other table, forwarding on in the file: plan and status give no warning" {
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	hn apply
	run --separate-stderr hn status
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" != *warning* ]]
	run --separate-stderr hn status -j
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(jq -c '[.[] | select(.object == "warning")]' <<<"$output")" = "[]" ]
}

@test "another table's forward chain with policy drop: plan warns on stderr" {
	drop_forward
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[ "$stderr" = "hostnet: warning: firewall: $FW_PROBLEM; fix: $FW_FIX" ]
	[[ "$output" == *"masquerade 192.168.2.0/24 out eth0"* ]]
}

@test "another table's forward chain with policy drop: status warns after the table, and in JSON" {
	drop_forward
	hn apply
	run --separate-stderr hn status
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[-1]}" = "warning: firewall: $FW_PROBLEM; fix: $FW_FIX" ]
	[[ "${lines[-2]}" =~ ^[0-9]+\ +nat\ +ok ]]
	run --separate-stderr hn status -j
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	# Still one array of rows; the warning is a row of object "warning".
	[ "$(jq -r 'type' <<<"$output")" = array ]
	[ "$(jq -c '[.[] | select(.object == "warning")]' <<<"$output")" = "$(jq -cn \
		--arg p "$FW_PROBLEM" --arg f "$FW_FIX" \
		'[{line: 0, object: "warning", state: "warning", created_by_hostnet: false,
		   name: "firewall", problem: $p, fix: $f, changes: []}]')" ]
	[ "$(jq -r '[.[] | select(.object == "nat") | .state] | unique | join(",")' <<<"$output")" = ok ]
}

@test "a drop rule in another table's forward chain, forwarding off, strict rp_filter: each warned" {
	conf "bridge br0 address 192.168.2.1/24" \
		"masquerade 192.168.2.0/24 out eth0"
	in_ns nft add table ip fw
	in_ns nft add chain ip fw fwchain '{ type filter hook forward priority 10; }'
	in_ns nft add rule ip fw fwchain tcp dport 22 drop
	in_ns sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.eth0.rp_filter=1
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[ "$stderr" = "hostnet: warning: forwarding: IPv4 forwarding is off (net.ipv4.ip_forward=0): nothing is routed to or from guests; fix: put 'forwarding ipv4 on' in the file
hostnet: warning: rp_filter: eth0: strict reverse-path filter (rp_filter=1) drops packets that arrive on an interface the reply would not leave by; fix: sysctl -w net.ipv4.conf.all.rp_filter=2 and net.ipv4.conf.<if>.rp_filter=2 (loose), or route replies back the same way
hostnet: warning: firewall: table ip fw chain fwchain (hook forward, priority 10) has 1 drop or reject rule; fix: $FW_FIX" ]
}

@test "only the families of the file's NAT lines count; a file without NAT lines is never warned" {
	in_ns nft add table ip6 fw6
	in_ns nft add chain ip6 fw6 fwchain '{ type filter hook forward priority 0; policy drop; }'
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	drop_forward
	conf "bridge br0 address 192.168.2.1/24"
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	conf "forward tcp 22 to fd00:2::10 port 2222" "forwarding ipv6 on"
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[ "$stderr" = "hostnet: warning: firewall: table ip6 fw6 chain fwchain (hook forward, priority 0) has policy drop; fix: $FW_FIX
hostnet: warning: firewall: $FW_PROBLEM; fix: $FW_FIX" ]
}

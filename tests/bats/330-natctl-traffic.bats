#!/usr/bin/env bats
# 330-natctl-traffic.bats - end to end: client, host (router) and guests in their own namespaces; what the peer sees.
#
#   client $NS-c  eth0 198.51.100.2/24, 10.0.0.2/24
#      |
#   host   $NS    eth0 198.51.100.1/24 (+ .5 for SNAT), 10.0.0.1/24
#                 tap0 192.168.0.1/24 --- guest $NS-g eth0 192.168.0.2/24, default via .1
#                 tap1 (no address)   --- guest $NS-p eth0 10.0.0.77/24 (proxy ARP, seed 001)

load helpers

setup_file() {
	ns_setup_file
	export C="$NS-c" G="$NS-g" P="$NS-p"
	ns_new "$C" && ns_new "$G" && ns_new "$P"
	veth_link "$NS" eth0 "$C" eth0
	veth_link "$NS" tap0 "$G" eth0
	veth_link "$NS" tap1 "$P" eth0
	ip -n "$NS" addr add 198.51.100.1/24 dev eth0
	ip -n "$NS" addr add 198.51.100.5/24 dev eth0
	ip -n "$NS" addr add 10.0.0.1/24 dev eth0
	ip -n "$NS" addr add 192.168.0.1/24 dev tap0
	ip -n "$C" addr add 198.51.100.2/24 dev eth0
	ip -n "$C" addr add 10.0.0.2/24 dev eth0
	ip -n "$G" addr add 192.168.0.2/24 dev eth0
	ip -n "$G" route add default via 192.168.0.1
	ip -n "$P" addr add 10.0.0.77/24 dev eth0
	echo_server "$C" tcp 7000
	echo_server "$G" tcp 8080
	echo_server "$G" udp 5005
	echo_server "$P" tcp 7000
	in_ns "$NATCTL" forwarding ipv4 on
	# IPv6: 2001:db8:1::/64 outside, fd00::/64 behind the host.
	ip -n "$NS" addr add 2001:db8:1::1/64 dev eth0 nodad
	ip -n "$C" addr add 2001:db8:1::2/64 dev eth0 nodad
	ip -n "$NS" addr add fd00::1/64 dev tap0 nodad
	ip -n "$G" addr add fd00::2/64 dev eth0 nodad
	ip -n "$G" route add default via fd00::1
	echo_server "$C" tcp6 7006
	echo_server "$G" tcp6 8086
	in_ns "$NATCTL" forwarding ipv6 on
}

teardown_file() {
	echo_servers_stop
	for n in "${C:-}" "${G:-}" "${P:-}"; do [ -n "$n" ] && ns_del "$n"; done
	ns_teardown_file
}

@test "masquerade: the guest reaches the client, which sees the host's address" {
	run tcp_peer "$G" 198.51.100.2 7000
	[ "$status" -ne 0 ]		# no route back to 192.168.0.0/24 without NAT
	in_ns "$NATCTL" masquerade add 192.168.0.0/24 out eth0
	run tcp_peer "$G" 198.51.100.2 7000
	[ "$status" -eq 0 ]
	[ "$output" = "198.51.100.1" ]
}

@test "snat to a fixed address: the client sees that address" {
	in_ns "$NATCTL" masquerade del 192.168.0.0/24 out eth0
	in_ns "$NATCTL" snat add 192.168.0.0/24 out eth0 to 198.51.100.5
	run tcp_peer "$G" 198.51.100.2 7000
	[ "$status" -eq 0 ]
	[ "$output" = "198.51.100.5" ]
	in_ns "$NATCTL" snat del 192.168.0.0/24 out eth0
	in_ns "$NATCTL" masquerade add 192.168.0.0/24 out eth0
}

@test "tcp forward: client to host:80 reaches guest:8080 with its own source" {
	in_ns "$NATCTL" forward add tcp 80 in eth0 dst 198.51.100.1 to 192.168.0.2 port 8080
	run tcp_peer "$C" 198.51.100.1 80
	[ "$status" -eq 0 ]
	[ "$output" = "198.51.100.2" ]
}

@test "port ranges: udp range kept, tcp range to one port" {
	in_ns "$NATCTL" forward add udp 5000-5010 in eth0 to 192.168.0.2
	in_ns "$NATCTL" forward add tcp 9000-9010 in eth0 to 192.168.0.2 port 8080
	run udp_peer "$C" 198.51.100.1 5005
	[ "$status" -eq 0 ]
	[ "$output" = "198.51.100.2" ]
	run tcp_peer "$C" 198.51.100.1 9007
	[ "$status" -eq 0 ]
	[ "$output" = "198.51.100.2" ]
	run tcp_peer "$C" 198.51.100.1 9011
	[ "$status" -ne 0 ]
}

@test "hairpin: the guest reaches a forward through the host's public address" {
	in_ns "$NATCTL" forward add tcp 81 dst 198.51.100.1 to 192.168.0.2 port 8080
	run tcp_peer "$G" 198.51.100.1 81
	[ "$status" -ne 0 ]		# the answer would bypass the host
	in_ns "$NATCTL" hairpin add 192.168.0.0/24
	run tcp_peer "$G" 198.51.100.1 81
	[ "$status" -eq 0 ]
	[ "$output" = "192.168.0.1" ]
}

@test "local: a forward for connections the host itself makes" {
	in_ns "$NATCTL" forward add tcp 82 dst 198.51.100.1 to 192.168.0.2 port 8080
	run tcp_peer "$NS" 198.51.100.1 82
	[ "$status" -ne 0 ]		# prerouting never sees the host's own traffic
	in_ns "$NATCTL" forward del tcp 82 dst 198.51.100.1
	in_ns "$NATCTL" forward add tcp 82 dst 198.51.100.1 to 192.168.0.2 port 8080 local
	run tcp_peer "$NS" 198.51.100.1 82
	[ "$status" -eq 0 ]
	[ "$output" = "198.51.100.1" ]
}

@test "proxy ARP (seed 001): a LAN neighbour reaches a routed guest on the LAN's subnet" {
	printf '%s\n' 'route add 10.0.0.77 dev tap1' 'proxyarp on tap1' 'publish add 10.0.0.77 dev eth0' |
		in_ns "$NATCTL" --batch -
	run tcp_peer "$C" 10.0.0.77 7000
	[ "$status" -eq 0 ]
	[ "$output" = "10.0.0.2" ]
}

@test "IPv6: masquerade out and a forward in" {
	in_ns "$NATCTL" masquerade add fd00::/64 out eth0
	in_ns "$NATCTL" forward add tcp 80 in eth0 dst 2001:db8:1::1 to fd00::2 port 8086
	run tcp6_peer "$G" 2001:db8:1::2 7006
	[ "$status" -eq 0 ]
	[ "$output" = "[2001:0db8:0001:0000:0000:0000:0000:0001]" ]	# socat's spelling
	run tcp6_peer "$C" 2001:db8:1::1 80
	[ "$status" -eq 0 ]
	[ "$output" = "[2001:0db8:0001:0000:0000:0000:0000:0002]" ]
}

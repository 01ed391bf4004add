#!/usr/bin/env bats
# 510-ifupdown-tap.bats - the real ifup/ifdown with ifupdown/hostnet-tap:
# tunctl_user, tunctl_group, uml_proxy_arp/uml_proxy_ether and the teardown.
# A namespace and a private /etc/network per test (ifupdown.bash).

load ifupdown

setup() {
	ifu_setup
}

teardown() {
	ifu_teardown
}

# tap_is NAME OWNER GROUP: NAME is a persistent tap with that owner/group (-1: unset).
tap_is() {
	[ "$(tun_info "$1" | jq -r '[.type, .persist] | join(" ")')" = "tap true" ]
	[ "$(tun_owner "$1")" = "$2" ]
	[ "$(tun_group "$1")" = "$3" ]
}

@test "sandbox: ifupdown's PATH finds our build, the reference tools cannot run" {
	run sb sh -c 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; command -v tunctl'
	[ "$output" = /usr/local/sbin/tunctl ]
	sb cmp /usr/local/sbin/tunctl "$HN_BIN/tunctl"
	# masked where a system has them (99), absent where it does not (127)
	local st=0
	sb /usr/bin/tunctl -t tapref 2>/dev/null || st=$?
	[ "$st" -eq 99 ] || [ "$st" -eq 127 ]
	st=0
	sb /usr/sbin/brctl show 2>/dev/null || st=$?
	[ "$st" -eq 99 ] || [ "$st" -eq 127 ]
	link_absent tapref
}

@test "seed 004 tap0 stanza: ifup creates tap0 owned by giorgos; ifdown deletes it" {
	ifu_interfaces seed004-tap0.interfaces
	run -0 ifu up tap0
	[[ $output == *"Set 'tap0' persistent and owned by uid 4242"* ]]
	tap_is tap0 4242 -1
	[ -f "$SB/run/hostnet/ifupdown/tap0.tap" ]
	run -0 ifu down tap0
	link_absent tap0
	[ ! -e "$SB/run/hostnet/ifupdown/tap0.tap" ]
}

@test "ifup -a brings the seed's auto tap0 up, ifdown -a takes it away" {
	ifu_interfaces seed004-tap0.interfaces
	run -0 ifu up -a
	tap_is tap0 4242 -1
	run -0 ifu down -a
	link_absent tap0
}

@test "tunctl_group is honoured (the old hook ignored it)" {
	ifu_interfaces - <<-'EOF'
	iface tap7 inet manual
	    tunctl_user nobody
	    tunctl_group nogroup
	EOF
	run -0 ifu up tap7
	tap_is tap7 65534 65534
	run -0 ifu down tap7
	link_absent tap7
}

@test "tunctl_group alone gives a group-owned tap with no owner" {
	ifu_interfaces - <<-'EOF'
	iface uml0 inet manual
	    tunctl-group giorgos
	EOF
	run -0 ifu up uml0
	tap_is uml0 -1 4242
}

@test "an existing tap with the same owner is reused and kept on ifdown" {
	in_ns "$TUNCTL" -u nobody -t tap7
	ifu_interfaces - <<-'EOF'
	iface tap7 inet manual
	    tunctl_user nobody
	EOF
	run -0 ifu up tap7
	tap_is tap7 65534 -1
	[ ! -e "$SB/run/hostnet/ifupdown/tap7.tap" ]
	run -0 ifu down tap7
	tap_is tap7 65534 -1
}

@test "a tap owned by someone else aborts ifup and is left alone" {
	in_ns "$TUNCTL" -u 1234 -t tap7
	ifu_interfaces - <<-'EOF'
	iface tap7 inet manual
	    tunctl_user nobody
	EOF
	run -1 ifu up tap7
	[[ $output == *"tunctl: tap7: already owned by uid 1234"* ]]
	[[ $output == *"hostnet-tap: iface tap7: tap not created"* ]]
	tap_is tap7 1234 -1
}

@test "an unknown tunctl_user aborts ifup and creates nothing" {
	ifu_interfaces - <<-'EOF'
	iface tap7 inet manual
	    tunctl_user no-such-user
	EOF
	run -1 ifu up tap7
	[[ $output == *"hostnet-tap: iface tap7: tunctl_user no-such-user: no such user"* ]]
	link_absent tap7
	[ ! -e "$SB/run/hostnet/ifupdown/tap7.tap" ]
}

@test "an unknown tunctl_group aborts ifup, named with its option" {
	ifu_interfaces - <<-'EOF'
	iface tap7 inet manual
	    tunctl_user nobody
	    tunctl_group no-such-group
	EOF
	run -1 ifu up tap7
	[[ $output == *"hostnet-tap: iface tap7: tunctl_group no-such-group: no such group"* ]]
	link_absent tap7
}

@test "without tunctl_* options the hook does nothing" {
	ns_veth v0 v1
	ifu_interfaces - <<-'EOF'
	iface v0 inet static
	    address 10.5.0.1/24
	EOF
	run -0 ifu up v0
	[ "$(tun_state "$NS")" = "[]" ]
	run -0 ifu down v0
	link_exists v0
}

@test "packaged uml-utilities example: static tap1 with uml_proxy_arp, and its teardown" {
	ns_veth eth0 peer0
	ip -n "$NS" link set eth0 up
	ifu_interfaces - <<-'EOF'
	auto tap1
	iface tap1 inet static
	    address 192.168.1.1
	    netmask 255.255.255.255
	    tunctl_user giorgos
	    uml_proxy_arp 10.0.0.5 10.0.0.6
	    uml_proxy_ether eth0
	EOF
	run -0 ifu up tap1
	tap_is tap1 4242 -1
	[ "$(in_ns cat /proc/sys/net/ipv4/conf/tap1/proxy_arp)" = 1 ]
	[ "$(ip -n "$NS" -j route show dev tap1 | jq -c '[.[] | select(.dst | test("^10[.]")) | .dst] | sort')" = '["10.0.0.5","10.0.0.6"]' ]
	[ "$(ip -n "$NS" -j neigh show proxy | jq -c '[.[] | [.dst, .dev]] | sort')" = '[["10.0.0.5","eth0"],["10.0.0.6","eth0"]]' ]
	run -0 ifu down tap1
	link_absent tap1
	[ "$(ip -n "$NS" -j neigh show proxy)" = "[]" ]
}

@test "ifup, ifdown, ifup again: the same result twice" {
	ifu_interfaces seed004-tap0.interfaces
	run -0 ifu up tap0
	run -0 ifu down tap0
	run -0 ifu up tap0
	tap_is tap0 4242 -1
	run -0 ifu down tap0
	link_absent tap0
}

@test "a failed uml_proxy step fails ifup; ifdown --force still removes the tap" {
	ifu_interfaces - <<-'EOF2'
	iface tap1 inet manual
	    tunctl_user giorgos
	    uml_proxy_arp 10.0.0.5
	    uml_proxy_ether nosuch0
	EOF2
	run -1 ifu up tap1
	[[ $output == *"hostnet-tap: iface tap1: uml_proxy_arp not fully applied"* ]]
	tap_is tap1 4242 -1
	run -0 ifu down --force tap1
	link_absent tap1
}

#!/usr/bin/env bats
# 520-ifupdown-bridge.bats - the real ifup/ifdown with ifupdown/hostnet-bridge
# (and hostnet-tap) on the seeds' stanzas and on every bridge_* option
# docs/hostnet-interfaces.5 lists. A namespace and a private /etc/network per test.

load ifupdown

setup() {
	ifu_setup
}

teardown() {
	ifu_teardown
}

# bridge_is BR FD HELLO MAXAGE STP: timers in centiseconds, as sysfs has them.
bridge_is() {
	[ "$(ns_link "$1" | jq -r '.linkinfo.info_kind')" = bridge ]
	[ "$(ns_sys "$1/bridge/forward_delay")" = "$2" ]
	[ "$(ns_sys "$1/bridge/hello_time")" = "$3" ]
	[ "$(ns_sys "$1/bridge/max_age")" = "$4" ]
	[ "$(ns_sys "$1/bridge/stp_state")" = "$5" ]
}

# port_state PORT: the kernel's STP state of a bridge port (bridge -j link).
port_state() {
	bridge -n "$NS" -j link show dev "$1" | jq -r '.[0].state'
}

# addr_of IFACE: its IPv4 addresses as "a.b.c.d/len", space separated.
addr_of() {
	ip -n "$NS" -j addr show dev "$1" | jq -r '[.[0].addr_info[] | select(.family == "inet") | "\(.local)/\(.prefixlen)"] | join(" ")'
}

@test "seed 004 (eth0 + tap0 in br0): ifup -a builds what the stanzas say, ifdown -a undoes it" {
	ns_veth eth0 lan0
	ifu_interfaces seed004-bridge-eth0.interfaces
	run -0 ifu up -a
	[[ $output != *"Waiting for"* ]]	# a tap no guest holds has no carrier: nothing to wait for
	[[ $output != *"runs too"* ]]
	bridge_is br0 900 200 1200 0
	[ "$(ns_ports br0)" = "eth0 tap0" ]
	[ "$(port_state eth0)" = forwarding ]
	[ "$(addr_of br0)" = 192.168.1.200/24 ]
	[ "$(ip -n "$NS" -j route show default | jq -r '.[0] | "\(.gateway) \(.dev)"')" = "192.168.1.1 br0" ]
	[ "$(tun_owner tap0)" = 4242 ]
	[ "$(ns_link eth0 | jq -r '.flags | index("UP") != null')" = true ]
	[ "$(in_ns cat /proc/sys/net/ipv6/conf/eth0/addr_gen_mode)" = 1 ]
	run -0 ifu down -a
	link_absent br0
	link_absent tap0
	link_exists eth0
	[ "$(ns_link eth0 | jq -r '.flags | index("UP") == null')" = true ]
	[ "$(ip -n "$NS" -j route show default)" = "[]" ]
	run -0 sb ifquery -i /etc/network/interfaces --state-dir "$SB/state" --state
	[ "$output" = "" ]
}

@test "seed 004 second listing: allow-hotplug eth0 with the gateway, br0 192.168.2.1 with tap0" {
	ns_veth eth0 lan0
	ifu_interfaces seed004-bridge-tap.interfaces
	run -0 ifu up -a
	run -0 ifu up --allow=hotplug eth0
	bridge_is br0 900 200 1200 0
	[ "$(ns_ports br0)" = tap0 ]
	[ "$(addr_of br0)" = 192.168.2.1/24 ]
	[ "$(addr_of eth0)" = 192.168.1.200/24 ]
	[ "$(ip -n "$NS" -j route show default | jq -r '.[0] | "\(.gateway) \(.dev)"')" = "192.168.1.1 eth0" ]
	[ "$(tun_owner tap0)" = 4242 ]
	run -0 ifu down -a
	run -0 ifu down eth0
	link_absent br0
	link_absent tap0
	[ "$(addr_of eth0)" = "" ]
}

@test "seed 002 verbatim: ifupdown itself refuses a static stanza without address" {
	ifu_interfaces seed002-br0.interfaces
	run -1 ifu up br0
	[[ $output == *"missing required variable: address"* ]]
	link_absent br0
}

@test "seed 002 with its address: our brctl in the stanza, the bridge_* timers applied (bridge-utils ignored them)" {
	ifu_interfaces seed002-br0.interfaces
	sed -i '/^iface br0/a address 10.9.0.1\nnetmask 255.255.255.0' "$SB/etc/network/interfaces"
	run -0 ifu up br0
	bridge_is br0 900 200 1200 0
	[ "$(addr_of br0)" = 10.9.0.1/24 ]
	[ "$(ns_ports br0)" = "" ]
	run -0 ifu down br0
	[[ $output != *"brctl"*"can't delete"* ]]	# the stanza's post-down delbr did it
	link_absent br0
}

@test "br7: every setter, bridge-hw copied from a port, bridge_maxwait 0, gcint ignored with a note" {
	ns_veth v0 v1
	in_ns "$TUNCTL" -t tap8 >/dev/null
	ip -n "$NS" link set tap8 address 02:00:00:00:08:08
	ifu_interfaces - <<-'EOF'
	iface br7 inet static
	    address 10.1.0.1/24
	    bridge_ports v0 tap8
	    bridge_fd 0
	    bridge_stp off
	    bridge_maxwait 0
	    bridge_hello 1
	    bridge_maxage 6
	    bridge_ageing 100
	    bridge_bridgeprio 4096
	    bridge_pathcost v0 10
	    bridge_portprio v0 20
	    bridge-hw tap8
	    bridge_gcint 4
	EOF
	run -0 ifu up br7
	[[ $output == *"hostnet-bridge: iface br7: bridge_gcint: the kernel has no GC interval any more; ignored"* ]]
	bridge_is br7 0 100 600 0
	[ "$(ns_link br7 | jq -r .address)" = 02:00:00:00:08:08 ]
	[ "$(ns_sys br7/bridge/ageing_time)" = 10000 ]
	[ "$(ns_sys br7/bridge/priority)" = 4096 ]
	[ "$(ns_sys v0/brport/path_cost)" = 10 ]
	[ "$(ns_sys v0/brport/priority)" = 20 ]
	[ "$(ns_ports br7)" = "tap8 v0" ]
	[ "$(addr_of br7)" = 10.1.0.1/24 ]
	run -0 ifu down br7
	link_absent br7
	[ "$(ns_link v0 | jq -r '.flags | index("UP") == null')" = true ]
	[ "$(ns_link tap8 | jq -r '.flags | index("UP") == null')" = true ]
}

@test "fixed: bridge_stp on with bridge_fd 1 gives fd 2 s (not 15), and ifup waits until the port forwards" {
	ns_veth v2 v3
	ifu_interfaces - <<-'EOF'
	iface br8 inet manual
	    bridge_ports v2
	    bridge_fd 1
	    bridge_stp on
	EOF
	run -0 ifu up br8
	[[ $output != *"ports not forwarding after"* ]]
	[[ $output == *"hostnet-bridge: iface br8: bridge_fd 1: the kernel keeps the forward delay at 2.00 s while STP is on"* ]]
	[[ $output == *"Waiting for br8 to get ready (MAXWAIT is 6 seconds)."* ]]
	[ "$(ns_sys br8/bridge/stp_state)" = 1 ]
	[ "$(ns_sys br8/bridge/forward_delay)" = 200 ]
	[ "$(port_state v2)" = forwarding ]
	run -0 ifu down br8
	link_absent br8
}

@test "STP on, the only port has no carrier: no waiting for it" {
	in_ns "$TUNCTL" -t tap9 >/dev/null
	ifu_interfaces - <<-'EOF'
	iface br9 inet manual
	    bridge_ports tap9
	    bridge_stp yes
	EOF
	run -0 ifu up br9
	[[ $output != *"Waiting for"* ]]	# the only port has no carrier: nothing to wait for
	[ "$(ns_sys br9/bridge/stp_state)" = 1 ]
	[ "$(port_state tap9)" = disabled ]
}

@test "bridge_ports none: an empty bridge, removed by ifdown" {
	ifu_interfaces - <<-'EOF'
	iface br9 inet manual
	    bridge_ports none
	EOF
	run -0 ifu up br9
	[ "$(ns_link br9 | jq -r .linkinfo.info_kind)" = bridge ]
	[ "$(ns_ports br9)" = "" ]
	run -0 ifu down br9
	link_absent br9
}

@test "bridge_ports all takes eth*/em*/en*/p[0-9]*; regex ... noregex mixes patterns and names" {
	ns_veth eth0 x0
	ns_veth enp3s0 x1
	ns_veth p1p1 x2
	ns_veth v5 x3
	ns_veth w5 x4
	ifu_interfaces - <<-'EOF'
	iface br1 inet manual
	    bridge_ports all
	iface br2 inet manual
	    bridge_ports regex v[0-9] noregex w5
	EOF
	run -0 ifu up br1
	[ "$(ns_ports br1)" = "enp3s0 eth0 p1p1" ]
	run -0 ifu up br2
	[ "$(ns_ports br2)" = "v5 w5" ]
	run -0 ifu down br1
	run -0 ifu down br2
	link_absent br1
	link_absent br2
}

@test "a port eth0.5 is created as VLAN 5 of eth0, and deleted again by ifdown" {
	ns_veth eth0 x0
	ip -n "$NS" link add link eth0 name vlanprobe type vlan id 9 2>/dev/null ||
		skip "this kernel has no 802.1Q VLAN support"
	ip -n "$NS" link del vlanprobe
	ifu_interfaces - <<-'EOF'
	iface br5 inet manual
	    bridge_ports eth0.5
	EOF
	run -0 ifu up br5
	[ "$(ns_link eth0.5 | jq -r '"\(.linkinfo.info_kind) \(.linkinfo.info_data.id) \(.link)"')" = "vlan 5 eth0" ]
	[ "$(ns_ports br5)" = eth0.5 ]
	run -0 ifu down br5
	link_absent eth0.5
	link_exists eth0
}

@test "bridge_waitport waits for a port that appears later; a missing port is reported, not fatal" {
	ifu_interfaces - <<-'EOF'
	iface br3 inet manual
	    bridge_ports late0 never0
	    bridge_waitport 120 late0
	EOF
	(sleep 1; ip -n "$NS" link add late0 type veth peer name late1) 3>&- &
	run -0 ifu up br3
	[[ $output == *"Waiting for a max of 120 seconds for late0 to become available."* ]]
	[[ $output == *"hostnet-bridge: iface br3: bridge_ports: never0: no such device (skipped)"* ]]
	[ "$(ns_ports br3)" = late0 ]
}

@test "bridge_hw as a MAC, bridge_vlan_aware yes, mtu on the ports, several pathcost pairs" {
	ns_veth v0 v1
	ns_veth v2 v3
	ifu_interfaces - <<-'EOF'
	iface br4 inet manual
	    mtu 1400
	    bridge_ports v0 v2
	    bridge_hw 02:00:00:00:00:99
	    bridge_vlan_aware yes
	    bridge_pathcost v0 11 v2 22
	EOF
	run -0 ifu up br4
	[ "$(ns_link br4 | jq -r .address)" = 02:00:00:00:00:99 ]
	if in_ns test -e /sys/class/net/br4/bridge/vlan_filtering; then
		[ "$(ns_sys br4/bridge/vlan_filtering)" = 1 ]
	else	# CONFIG_BRIDGE_VLAN_FILTERING=n: reported, not fatal
		[[ $output == *"hostnet-bridge: iface br4: bridge_vlan_aware yes: not applied"* ]]
	fi
	[ "$(ns_sys v0/mtu) $(ns_sys v2/mtu)" = "1400 1400" ]
	[ "$(ns_sys v0/brport/path_cost) $(ns_sys v2/brport/path_cost)" = "11 22" ]
}

@test "a bad setting is reported and does not abort ifup; a non-bridge IFACE does" {
	ns_veth v0 v1
	ifu_interfaces - <<-'EOF'
	iface br6 inet manual
	    bridge_ports v0
	    bridge_stp maybe
	    bridge_maxwait 5s
	    bridge_waitport soon v0
	iface v1 inet manual
	    bridge_ports v0
	EOF
	run -0 ifu up br6
	[[ $output == *"hostnet-bridge: iface br6: bridge_stp maybe: not applied"* ]]
	[[ $output == *"hostnet-bridge: iface br6: bridge_maxwait 5s: not a number of seconds; ignored"* ]]
	[[ $output == *"hostnet-bridge: iface br6: bridge_waitport soon: not a number of seconds; ignored"* ]]
	[ "$(ns_ports br6)" = v0 ]
	run -1 ifu up v1
	[[ $output == *"hostnet-bridge: iface v1: exists and is not a bridge"* ]]
}

@test "ifdown copes with a bridge deleted behind its back (pre-down re-creates it)" {
	ifu_interfaces - <<-'EOF'
	iface br7 inet static
	    address 10.7.0.1
	    netmask 255.255.255.0
	    bridge_ports none
	EOF
	run -0 ifu up br7
	ip -n "$NS" link del br7
	run -0 ifu down br7
	link_absent br7
	run -0 ifu up br7
	[ "$(addr_of br7)" = 10.7.0.1/24 ]
}

@test "nothing outside the namespace changes: host links, addresses, routes, proxies, /etc/network, /run" {
	host_state() {
		ip -j link show | jq -c '[.[] | {ifname, flags, master}]'
		ip -j addr show | jq -c '[.[] | {ifname, a: [.addr_info[].local]}]'
		ip -j route show table all
		ip -j neigh show proxy
		cat /proc/sys/net/ipv4/ip_forward
		find /etc/network -printf '%p %s %T@\n' | sort
		ls -a /run/network /run/hostnet 2>&1 || true
	}
	before=$(host_state)
	ns_veth eth0 lan0
	ifu_interfaces seed004-bridge-eth0.interfaces
	run -0 ifu up -a
	[ "$(ns_ports br0)" = "eth0 tap0" ]
	during=$(host_state)
	run -0 ifu down -a
	[ "$(host_state)" = "$before" ]
	[ "$during" = "$before" ]
}

@test "bridge-utils' and uml-utilities' hooks still installed: ifup says so, once per stanza" {
	printf '#!/bin/sh\nexit 0\n' >"$SB/etc/network/if-pre-up.d/bridge"
	cp "$SB/etc/network/if-pre-up.d/bridge" "$SB/etc/network/if-pre-up.d/uml-utilities"
	chmod 755 "$SB/etc/network/if-pre-up.d/bridge" "$SB/etc/network/if-pre-up.d/uml-utilities"
	ifu_interfaces seed004-bridge-tap.interfaces
	run -0 ifu up -a
	[ "$(grep -c "hostnet-bridge: iface br0: bridge-utils' hook /etc/network/if-pre-up.d/bridge runs too; remove bridge-utils" <<<"$output")" -eq 1 ]
	[ "$(grep -c "hostnet-tap: iface tap0: uml-utilities' hook /etc/network/if-pre-up.d/uml-utilities runs too; remove uml-utilities" <<<"$output")" -eq 1 ]
	[ "$(grep -c 'runs too' <<<"$output")" -eq 2 ]
}

#!/usr/bin/env bats
# 220-brctl-attrs.bats - bridge and port attributes: units, number syntax,
# kernel ranges and brctl's messages (bridge-utils 1.7.1; docs/brctl.8).

load helpers

setup() {
	br_ns_setup
	in_ns "$BRCTL" addbr br0
	in_ns "$BRCTL" addif br0 v0 tap0
}

teardown() {
	br_ns_teardown
}


# set_and_read CMD ATTR VALUE WANT: brctl CMD br0 VALUE succeeds and sysfs ATTR reads WANT.
set_and_read() {
	expect 0 "" "" "$1" br0 "$3"
	[ "$(sysfs_val br0 "bridge/$2")" = "$4" ] || { echo "$1 '$3': $(sysfs_val br0 "bridge/$2"), want $4"; return 1; }
}

@test "setageing: seconds with decimals, exponents, trailing junk -> centiseconds" {
	set_and_read setageing ageing_time 120 12000
	set_and_read setageing ageing_time 0.5 50
	set_and_read setageing ageing_time 12.345 1234
	set_and_read setageing ageing_time 1e2 10000
	set_and_read setageing ageing_time 5x 500
	set_and_read setageing ageing_time 0 0
}

@test "setageing: bad value, negative value, missing bridge, non-bridge" {
	expect 1 "" "bad ageing time value" setageing br0 abc
	expect 1 "" "bad ageing time value" -- setageing br0 -1
	[ "$(sysfs_val br0 bridge/ageing_time)" = 30000 ]
	expect 1 "" "set ageing time failed: No such device" setageing nobr 10
	expect 1 "" "set ageing time failed: Operation not supported" setageing lo 10
	expect 1 "" "set ageing time failed: No such device" setageing abcdefghijklmnopq 10
}

@test "setbridgeprio: %i syntax (hex, octal), truncated to 16 bits like the kernel's sysfs" {
	set_and_read setbridgeprio priority 4096 4096
	[ "$(in_ns "$BRCTL" show br0 | sed -n 2p | cut -f3)" = 1000.02000000000a ]
	set_and_read setbridgeprio priority 0x2000 8192
	set_and_read setbridgeprio priority 070000 28672
	set_and_read setbridgeprio priority 70000 4464
	expect 0 "" "" -- setbridgeprio br0 -1
	[ "$(sysfs_val br0 bridge/priority)" = 65535 ]
	expect 1 "" "bad priority" setbridgeprio br0 high
	expect 1 "" "set bridge priority failed: No such device" setbridgeprio nobr 1
}

@test "setfd: any value while STP is off; 2-30 s while it is on" {
	set_and_read setfd forward_delay 0 0
	set_and_read setfd forward_delay 2.5 250
	set_and_read setfd forward_delay 31 3100
	expect 1 "" "bad forward delay value" setfd br0 x
	expect 0 "" "" stp br0 on
	[ "$(sysfs_val br0 bridge/stp_state)" = 1 ]
	expect 1 "" "set forward delay failed: Numerical result out of range (2-30 s while STP is on)" setfd br0 1
	expect 1 "" "set forward delay failed: Numerical result out of range (2-30 s while STP is on)" setfd br0 31
	set_and_read setfd forward_delay 4 400
}

@test "stp: on/yes/1 and off/no/0 only, case-sensitive" {
	local v
	for v in on yes 1; do
		expect 0 "" "" stp br0 "$v"
		[ "$(sysfs_val br0 bridge/stp_state)" = 1 ]
		expect 0 "" "" stp br0 off
	done
	for v in no 0 off; do
		expect 0 "" "" stp br0 on
		expect 0 "" "" stp br0 "$v"
		[ "$(sysfs_val br0 bridge/stp_state)" = 0 ]
	done
	expect 1 "" "expect on/off for argument" stp br0 ON
	expect 1 "" "expect on/off for argument" stp br0 maybe
	expect 1 "" "set stp status failed: No such device" stp nobr on
}

@test "sethello: 1-10 s; setmaxage: 6-40 s" {
	set_and_read sethello hello_time 1 100
	expect 1 "" "set hello timer failed: Numerical result out of range" sethello br0 0.5
	expect 1 "" "set hello timer failed: Numerical result out of range" sethello br0 11
	expect 1 "" "bad hello timer value" sethello br0 x
	set_and_read setmaxage max_age 6 600
	expect 1 "" "set max age failed: Numerical result out of range" setmaxage br0 5
	expect 1 "" "set max age failed: Numerical result out of range" setmaxage br0 41
	expect 1 "" "bad max age value" setmaxage br0 x
	[ "$(sysfs_val br0 bridge/hello_time)/$(sysfs_val br0 bridge/max_age)" = 100/600 ]
}

@test "HZ in the environment changes nothing" {
	HZ=1000 in_ns "$BRCTL" setfd br0 3
	[ "$(sysfs_val br0 bridge/forward_delay)" = 300 ]
}

@test "setpathcost: 1-65535; a non-port and a missing device keep brctl's errnos" {
	expect 0 "" "" setpathcost br0 v0 250
	[ "$(sysfs_val v0 brport/path_cost)" = 250 ]
	expect 1 "" "set path cost failed: Numerical result out of range" setpathcost br0 v0 0
	expect 1 "" "set path cost failed: Numerical result out of range" setpathcost br0 v0 65536
	expect 1 "" "bad path cost value" setpathcost br0 v0 x
	expect 1 "" "set path cost failed: No such file or directory" setpathcost br0 v3 10
	expect 1 "" "set path cost failed: No such device" setpathcost br0 nosuch 10
	[ "$(sysfs_val v0 brport/path_cost)" = 250 ]
}

@test "setportprio: 0-63, port id follows; 65536 does not wrap to 0" {
	expect 0 "" "" setportprio br0 v0 10
	[ "$(sysfs_val v0 brport/priority)" = 10 ]
	[ "$(sysfs_val v0 brport/port_id)" = 0x2801 ]
	expect 1 "" "set port priority failed: Numerical result out of range" setportprio br0 v0 64
	expect 1 "" "set port priority failed: Numerical result out of range" setportprio br0 v0 65536
	expect 1 "" "bad path priority value" setportprio br0 v0 x
	expect 1 "" "set port priority failed: No such file or directory" setportprio br0 v3 1
	[ "$(sysfs_val v0 brport/priority)" = 10 ]
}

@test "hairpin: on and off; value checked first, then port, then bridge" {
	expect 0 "" "" hairpin br0 v0 on
	[ "$(sysfs_val v0 brport/hairpin_mode)" = 1 ]
	expect 0 "" "" hairpin br0 v0 off
	[ "$(sysfs_val v0 brport/hairpin_mode)" = 0 ]
	expect 1 "" "expect on/off for argument" hairpin nobr nosuch maybe
	expect 1 "" "interface nosuch does not exist!" hairpin nobr nosuch on
	expect 1 "" "bridge nobr does not exist!" hairpin nobr v0 on
	expect 1 "" "can't set v3 to hairpin on bridge br0: No such file or directory" hairpin br0 v3 on
}

@test "port commands, like brctl, do not check that the port is in <bridge>" {
	in_ns "$BRCTL" addbr br1
	expect 0 "" "" setpathcost br1 v0 100
	[ "$(sysfs_val v0 brport/path_cost)" = 100 ]
}

@test "vlanfiltering: on/off like the kernel allows it, brctl-style messages" {
	expect 1 "" "expect on/off for argument" vlanfiltering br0 maybe
	expect 1 "" "set vlan filtering failed: No such device" vlanfiltering nobr on
	if ip -n "$NS" link set br0 type bridge vlan_filtering 0 2>/dev/null; then
		expect 0 "" "" vlanfiltering br0 on
		[ "$(sysfs_val br0 bridge/vlan_filtering)" = 1 ]
		expect 0 "" "" vlanfiltering br0 off
		[ "$(sysfs_val br0 bridge/vlan_filtering)" = 0 ]
	else
		# A kernel without CONFIG_BRIDGE_VLAN_FILTERING refuses it to ip as well.
		expect 1 "" "set vlan filtering failed: Operation not supported" vlanfiltering br0 on
	fi
}

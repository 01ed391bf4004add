#!/usr/bin/env bats
# 640-hostnet-vxlan.bats - one hostnet.conf for a fleet: three "host" namespaces
# on one underlay (a bridge in a fourth), each applying the same file with its
# own state dir; a guest namespace behind each host's bridge. Guests talk
# across hosts, full-size frames fit (or plan refuses before they would not),
# peers come and go touching only the FDB, down on one host spares the others.

load helpers
load hostnet

setup() {
	require_root_netns
	P="hn-$$-640-$BATS_TEST_NUMBER"
	CONF=$BATS_TEST_TMPDIR/fleet.conf
	HOSTS=()
	export P CONF
}

teardown() {
	local n
	[ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null
	for n in ul h1 h2 h3 h4 g1 g2 g3 g4; do
		ns_del "$P-$n"
	done
	return 0
}

# underlay 4|6 MTU: the underlay namespace, a bridge the hosts' eth0 reach.
underlay() {
	FAM=$1
	UL_MTU=$2
	ns_new "$P-ul"
	ip -n "$P-ul" link add ulbr type bridge
	ip -n "$P-ul" link set ulbr up
}

# ul_addr I: host I's underlay address.
ul_addr() {
	if [ "$FAM" = 4 ]; then echo "${UL4:-10.77.0}.$1"; else echo "fd77::$1"; fi
}

# host I [GUEST_MTU]: host namespace I on the underlay (eth0, address of
# ul_addr I), with guest namespace I behind its veth vg0 (up, not yet a port).
host() {
	local i=$1 gmtu=${2:-1500} plen=24 dad=()
	[ "$FAM" = 6 ] && plen=64 dad=(nodad)
	ns_new "$P-h$i"
	ns_new "$P-g$i"
	ip -n "$P-ul" link add "ul$i" mtu "$UL_MTU" type veth peer name eth0 mtu "$UL_MTU" netns "$P-h$i"
	ip -n "$P-ul" link set "ul$i" master ulbr up
	ip -n "$P-h$i" link set eth0 up
	ip -n "$P-h$i" addr add "$(ul_addr "$i")/$plen" dev eth0 "${dad[@]}"
	ip -n "$P-h$i" link add vg0 mtu "$gmtu" type veth peer name eth0 mtu "$gmtu" netns "$P-g$i"
	ip -n "$P-h$i" link set vg0 up
	ip -n "$P-g$i" link set eth0 up
	ip -n "$P-g$i" addr add "192.168.77.$i/24" dev eth0
	HOSTS+=("$i")
}

# fleet_conf PEER...: the one file every host applies.
fleet_conf() {
	printf '%s\n' "bridge br0 stp off" "addif br0 vg0" \
		"vxlan vx0 id 4242 dev eth0 bridge br0 peers $*" >"$CONF"
}

# hnh I ARGS...: hostnet on host I, with host I's own state dir.
hnh() {
	local i=$1; shift
	timeout "$HN_CEIL" ip netns exec "$P-h$i" env HOSTNET_STATE_DIR="$BATS_TEST_TMPDIR/state$i" \
		"$HOSTNET" -f "$CONF" "$@"
}

# apply_all: the same file applied on every host made so far. (Loops around
# bats' run never use "i": bats 1.8's run sets a global i.)
apply_all() {
	local h
	for h in "${HOSTS[@]}"; do
		run --separate-stderr hnh "$h" apply
		[ "$status" -eq 0 ] || { echo "host $h: $stderr" >&3; return 1; }
	done
}

# pings FROM TO: guest FROM reaches guest TO (waits for the bridge to learn).
pings() {
	wait_for timeout 10 ip netns exec "$P-g$1" ping -c 1 -W 1 "192.168.77.$2" >/dev/null
}

# full_ping FROM TO SIZE: SIZE bytes of ICMP data, "don't fragment": a frame
# of the guests' full MTU crosses the tunnel (28 bytes of IPv4 and ICMP headers).
full_ping() {
	timeout "$HN_CEIL" ip netns exec "$P-g$1" ping -c 2 -W 5 -M "do" -s "$3" "192.168.77.$2" >/dev/null
}

# fdb_dsts I: the remotes of host I's vx0, sorted, on one line.
fdb_dsts() {
	bridge -n "$P-h$1" -j fdb show dev vx0 |
		jq -r '[.[] | select(.mac == "00:00:00:00:00:00") | .dst] | sort | join(" ")'
}

# ifindexes I: host I's br0 and vx0 ifindexes.
ifindexes() {
	ip -n "$P-h$1" -j link show | jq -r '[.[] | select(.ifname == "br0" or .ifname == "vx0")
		| "\(.ifname)=\(.ifindex)"] | sort | join(" ")'
}

# transfer FROM TO BYTES: a TCP stream from guest FROM to guest TO arrives whole.
transfer() {
	local out=$BATS_TEST_TMPDIR/recv.$1.$2
	timeout "$HN_CEIL" ip netns exec "$P-g$2" socat -u TCP-LISTEN:5001,reuseaddr \
		OPEN:"$out",creat,trunc 3>&- &
	local pid=$!
	wait_listen "$P-g$2" tcp 5001
	head -c "$3" /dev/urandom >"$BATS_TEST_TMPDIR/send"
	timeout "$HN_CEIL" ip netns exec "$P-g$1" socat -u OPEN:"$BATS_TEST_TMPDIR/send" \
		TCP:"192.168.77.$2":5001
	wait "$pid"
	cmp "$BATS_TEST_TMPDIR/send" "$out"
}

# three hosts, IPv4 underlay of MTU 1550: room for guests' 1500-byte frames.
three_hosts() {
	underlay 4 1550
	host 1
	host 2
	host 3
	fleet_conf 10.77.0.1 10.77.0.2 10.77.0.3
}

@test "three hosts, one file: each finds itself among the peers and plans the others as remotes" {
	three_hosts
	run --separate-stderr hnh 2 plan
	[ "$status" -eq 0 ]
	[ "$output" = "create bridge br0
set bridge br0: stp off
create vxlan vx0 (id 4242, dev eth0, local 10.77.0.2, port 4789, learning on)
set link br0: up, mtu 1500
set link vx0: up, mtu 1500, master br0
modify link vg0: master - -> br0
create fdb vx0 00:00:00:00:00:00 dst 10.77.0.1
create fdb vx0 00:00:00:00:00:00 dst 10.77.0.3" ]
	[ -z "$stderr" ]
	run ip -n "$P-h2" link show vx0
	[ "$status" -ne 0 ]
}

@test "guests on three hosts ping each other, and a full-size TCP transfer completes" {
	three_hosts
	apply_all
	[ "$(ip -n "$P-h1" -d -j link show vx0 | jq -r '.[0] | [.master, .mtu, .linkinfo.info_data.id,
		.linkinfo.info_data.local, .linkinfo.info_data.port, .linkinfo.info_data.link] | join(" ")')" = \
		"br0 1500 4242 10.77.0.1 4789 eth0" ]
	[ "$(fdb_dsts 1)" = "10.77.0.2 10.77.0.3" ]
	[ "$(fdb_dsts 3)" = "10.77.0.1 10.77.0.2" ]
	pings 1 2
	pings 2 3
	pings 3 1
	# 1472 bytes of ICMP data: a 1500-byte IP packet, not fragmented.
	full_ping 1 3 1472
	transfer 1 3 4000000
	transfer 2 1 4000000
}

@test "a second apply changes nothing; status shows the vxlan, this host and each peer's entry" {
	three_hosts
	apply_all
	run hnh 1 apply
	[ "$output" = "nothing to do" ]
	run hnh 1 status -j
	[ "$(jq -c '[.[] | select(.object == "vxlan" or .object == "vxlan-peer")
		| [.object, .state, .created_by_hostnet, .name]]' <<<"$output")" = \
		'[["vxlan","ok",true,"vx0"],["vxlan-peer","local",false,"vx0 10.77.0.1"],["vxlan-peer","ok",true,"vx0 10.77.0.2"],["vxlan-peer","ok",true,"vx0 10.77.0.3"]]' ]
}

@test "a remote entry deleted behind hostnet's back: status marks it missing, apply puts it back" {
	three_hosts
	apply_all
	bridge -n "$P-h1" fdb del 00:00:00:00:00:00 dst 10.77.0.3 dev vx0
	run hnh 1 status -j
	[ "$(jq -r '.[] | select(.name == "vx0 10.77.0.3") | "\(.state) \(.changes[0])"' <<<"$output")" = \
		"missing create fdb vx0 00:00:00:00:00:00 dst 10.77.0.3" ]
	[ "$(jq -r '.[] | select(.object == "vxlan") | .state' <<<"$output")" = drift ]
	run hnh 1 apply
	[ "$output" = "create fdb vx0 00:00:00:00:00:00 dst 10.77.0.3"$'\n'"applied 1 change" ]
	[ "$(fdb_dsts 1)" = "10.77.0.2 10.77.0.3" ]
	pings 1 3
}

@test "a fourth host added to the file: re-applying touches only the FDB; taking it out removes just its entry" {
	three_hosts
	apply_all
	local before h
	before="$(ifindexes 1)/$(ifindexes 2)/$(ifindexes 3)"
	host 4
	fleet_conf 10.77.0.1 10.77.0.2 10.77.0.3 10.77.0.4
	for h in 1 2 3; do
		run hnh "$h" apply
		[ "$output" = "create fdb vx0 00:00:00:00:00:00 dst 10.77.0.4"$'\n'"applied 1 change" ]
	done
	[ "$(ifindexes 1)/$(ifindexes 2)/$(ifindexes 3)" = "$before" ]
	run --separate-stderr hnh 4 apply
	[ "$status" -eq 0 ]
	[ "$(fdb_dsts 4)" = "10.77.0.1 10.77.0.2 10.77.0.3" ]
	pings 4 1
	pings 2 4
	# and out again: the plan names the one entry, apply removes only it
	hnh 4 down
	fleet_conf 10.77.0.1 10.77.0.2 10.77.0.3
	run --separate-stderr hnh 1 plan
	[ "$output" = "remove fdb vx0 00:00:00:00:00:00 dst 10.77.0.4" ]
	[ -z "$stderr" ]
	run hnh 1 apply
	[ "$output" = "remove fdb vx0 00:00:00:00:00:00 dst 10.77.0.4"$'\n'"applied 1 change" ]
	[ "$(fdb_dsts 1)" = "10.77.0.2 10.77.0.3" ]
	[ "$(ifindexes 1)" = "${before%%/*}" ]
	run grep -c '^fdb ' "$BATS_TEST_TMPDIR/state1/state"
	[ "$output" = 2 ]
	run hnh 1 apply
	[ "$output" = "nothing to do" ]
}

@test "down on one host removes what it made there and leaves the other two talking" {
	three_hosts
	apply_all
	run --separate-stderr hnh 2 down
	[ "$status" -eq 0 ]
	run ip -n "$P-h2" link show vx0
	[ "$status" -ne 0 ]
	run ip -n "$P-h2" link show br0
	[ "$status" -ne 0 ]
	# what hostnet did not make stays: the underlay and the guest's veth
	[ "$(ip -n "$P-h2" -j link show vg0 | jq -r '.[0].master // "none"')" = none ]
	ip -n "$P-h2" link show eth0 >/dev/null
	pings 1 3
	pings 3 1
	transfer 3 1 1000000
	[ "$(fdb_dsts 1)" = "10.77.0.2 10.77.0.3" ]
}

@test "the vxlan line taken out of the file: plan points to prune, prune removes the link and its entries" {
	three_hosts
	apply_all
	printf '%s\n' "bridge br0 stp off" "addif br0 vg0" >"$CONF"
	run --separate-stderr hnh 1 plan
	[ "$output" = "nothing to do" ]
	[ "$stderr" = "hostnet: 3 records of earlier runs are not in the file any more: 'hostnet prune' removes them ('hostnet status' lists them)" ]
	run hnh 1 prune
	[ "$output" = "remove link vx0
remove fdb vx0 10.77.0.2
remove fdb vx0 10.77.0.3
pruned 3 records" ]
	run ip -n "$P-h1" link show vx0
	[ "$status" -ne 0 ]
	[ "$(ip -n "$P-h1" -j link show vg0 | jq -r '.[0].master')" = br0 ]
	run hnh 1 down
	[ "$status" -eq 0 ]
}

@test "each host's own gateway and masquerade beside the shared vxlan line: a guest goes out through its host's NAT" {
	three_hosts
	ip -n "$P-ul" addr add 10.77.0.254/24 dev ulbr
	# the server answers with the address the connection came from
	# shellcheck disable=SC2016  # expanded by socat's shell
	ip netns exec "$P-ul" socat TCP-LISTEN:5002,reuseaddr,fork SYSTEM:'echo "$SOCAT_PEERADDR"' 3>&- &
	SERVER=$!
	wait_listen "$P-ul" tcp 5002
	local n shared
	shared=$(sed -n 3p "$CONF")
	for n in 1 2; do
		CONF=$BATS_TEST_TMPDIR/host$n.conf
		printf '%s\n' "bridge br0 stp off address 192.168.77.25$n/24" "addif br0 vg0" "$shared" \
			"forwarding ipv4 on" "masquerade 192.168.77.0/24 out eth0" >"$CONF"
		run --separate-stderr hnh "$n" apply
		[ "$status" -eq 0 ] || { echo "$stderr" >&3; kill "$SERVER"; return 1; }
		ip -n "$P-g$n" route replace default via "192.168.77.25$n"
	done
	for n in 1 2; do
		run timeout "$HN_CEIL" ip netns exec "$P-g$n" socat -T 10 - TCP:10.77.0.254:5002
		[ "$output" = "10.77.0.$n" ] || { echo "guest $n: $output" >&3; kill "$SERVER"; return 1; }
	done
	kill "$SERVER"
	pings 1 2
}

@test "guests' frames larger than the tunnel can carry: plan refuses with the fix; taps without mtu get the overlay's" {
	underlay 4 1500
	host 1
	host 2
	fleet_conf 10.77.0.1 10.77.0.2
	run --separate-stderr hnh 1 plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:2: addif br0 vg0: mtu 1500 does not fit through vxlan vx0 (eth0's mtu 1500 less 50 bytes of VXLAN = 1450): set its mtu (and the guests' behind it) to 1450, or raise eth0's mtu to 1550" ]
	run --separate-stderr hnh 1 apply
	[ "$status" -eq 1 ]
	run ip -n "$P-h1" link show br0
	[ "$status" -ne 0 ]
	# a bridge line asking for more than fits is refused the same way
	printf '%s\n' "bridge br0 stp off mtu 1500" \
		"vxlan vx0 id 4242 dev eth0 bridge br0 peers 10.77.0.1 10.77.0.2" >"$CONF"
	run --separate-stderr hnh 1 plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:1: br0: mtu 1500 does not fit through vxlan vx0 (eth0's mtu 1500 less 50 bytes of VXLAN = 1450): lower it to 1450, or raise eth0's mtu to 1550" ]
	# and a tap line: its guest would send what the tunnel cannot carry
	printf '%s\n' "bridge br0 stp off" "tap tap7 mtu 1480 bridge br0" \
		"vxlan vx0 id 4242 dev eth0 bridge br0 peers 10.77.0.1 10.77.0.2" >"$CONF"
	run --separate-stderr hnh 1 plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:2: tap7: mtu 1480 does not fit through vxlan vx0 (eth0's mtu 1500 less 50 bytes of VXLAN = 1450): lower it (and the guest's) to 1450, or raise eth0's mtu to 1530" ]
	# a tap without mtu gets the overlay MTU
	printf '%s\n' "bridge br0 stp off" "tap tap7 bridge br0" \
		"vxlan vx0 id 4242 dev eth0 bridge br0 peers 10.77.0.1 10.77.0.2" >"$CONF"
	run hnh 1 apply
	[ "$(ip -n "$P-h1" -j link show tap7 | jq -r '.[0].mtu')" = 1450 ]
	[ "$(ip -n "$P-h1" -j link show br0 | jq -r '.[0].mtu')" = 1450 ]
}

@test "guests at the overlay MTU (underlay 1500 less 50): full-size frames and a TCP transfer go through" {
	underlay 4 1500
	host 1 1450
	host 2 1450
	fleet_conf 10.77.0.1 10.77.0.2
	apply_all
	[ "$(ip -n "$P-h1" -j link show br0 | jq -r '.[0].mtu')" = 1450 ]
	[ "$(ip -n "$P-h1" -j link show vx0 | jq -r '.[0].mtu')" = 1450 ]
	pings 1 2
	full_ping 1 2 1422
	transfer 1 2 4000000
}

@test "IPv6 underlay: 70 bytes of overhead, guests talk across three hosts" {
	underlay 6 1570
	host 1
	host 2
	host 3
	fleet_conf fd77::1 fd77::2 fd77::3
	apply_all
	[ "$(ip -n "$P-h3" -d -j link show vx0 | jq -r '.[0] | [.mtu, .linkinfo.info_data.local6] | join(" ")')" = \
		"1500 fd77::3" ]
	[ "$(fdb_dsts 3)" = "fd77::1 fd77::2" ]
	pings 3 1
	pings 1 2
	full_ping 2 3 1472
	transfer 2 3 2000000
}

@test "examples/vxlan-fleet.conf on the second host plans what hostnet.conf.5 shows" {
	UL4=10.0.1
	underlay 4 1550
	host 1
	host 2
	cp "$BATS_TEST_DIRNAME/../../examples/vxlan-fleet.conf" "$CONF"
	run hnh 2 check
	[ "$output" = "$CONF: ok (1 bridges, 1 taps, 0 ports, 0 sysctls, 0 nat rules, 1 vxlans)" ]
	run --separate-stderr hnh 2 plan
	[ "$status" -eq 0 ]
	[ "$output" = "create bridge br0
set bridge br0: stp off
create tap tap0 (user 1000)
create vxlan vx0 (id 5000, dev eth0, local 10.0.1.2, port 4789, learning on)
set link br0: up, mtu 1500
set link tap0: up, mtu 1500, master br0
set link vx0: up, mtu 1500, master br0
create fdb vx0 00:00:00:00:00:00 dst 10.0.1.1
create fdb vx0 00:00:00:00:00:00 dst 10.0.1.3" ]
	apply_all
	run hnh 2 apply
	[ "$output" = "nothing to do" ]
	hnh 2 down
	run ip -n "$P-h2" -j link show
	[ "$(jq -r '[.[].ifname] | sort | join(" ")' <<<"$output")" = "eth0 lo vg0" ]
}

@test "this host's address may be on any interface (a loopback address as the local end)" {
	underlay 4 1550
	host 1
	host 2
	ip -n "$P-h1" addr add 10.88.0.1/32 dev lo
	ip -n "$P-h2" addr add 10.88.0.2/32 dev lo
	ip -n "$P-h1" route add 10.88.0.2/32 via 10.77.0.2
	ip -n "$P-h2" route add 10.88.0.1/32 via 10.77.0.1
	fleet_conf 10.88.0.1 10.88.0.2
	apply_all
	[ "$(ip -n "$P-h2" -d -j link show vx0 | jq -r '.[0].linkinfo.info_data.local')" = 10.88.0.2 ]
	pings 1 2
}

@test "a host that holds none, or two, of the peers' addresses is refused" {
	underlay 4 1550
	host 1
	fleet_conf 10.77.0.5 10.77.0.6
	run --separate-stderr hnh 1 plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:3: vx0: this host holds none of the peers' addresses; add its underlay address to the peers (every host finds itself in the list)" ]
	ip -n "$P-h1" addr add 10.77.0.9/32 dev eth0
	fleet_conf 10.77.0.1 10.77.0.2 10.77.0.9
	run --separate-stderr hnh 1 apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:3: vx0: this host holds two of the peers' addresses, 10.77.0.1 and 10.77.0.9; it must hold exactly one (its own underlay address)" ]
	run ip -n "$P-h1" link show vx0
	[ "$status" -ne 0 ]
}

@test "the kernel refuses to bring the vxlan up (its UDP port taken): apply rolls everything back" {
	three_hosts
	ip netns exec "$P-h1" socat -u UDP-RECV:4789 OPEN:/dev/null 3>&- &
	SERVER=$!
	wait_listen "$P-h1" udp 4789
	run --separate-stderr hnh 1 apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:3: set link vx0: up, mtu 1500, master br0: Address already in use" ]
	[ "${stderr_lines[-1]}" = "hostnet: rolled back: the host is as it was before this run" ]
	run ip -n "$P-h1" -j link show
	[ "$(jq -r '[.[].ifname] | sort | join(" ")' <<<"$output")" = "eth0 lo vg0" ]
	[ ! -e "$BATS_TEST_TMPDIR/state1/state" ]
}

@test "a VNI and port held by another vxlan: plan says which, and points to prune when hostnet made it" {
	three_hosts
	ip -n "$P-h1" link add other type vxlan id 4242 dev eth0 local 10.77.0.1 dstport 4789
	run --separate-stderr hnh 1 plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:3: vx0: id 4242 port 4789 already used by vxlan other" ]
	ip -n "$P-h1" link del other
	hnh 1 apply
	sed -i 's/vxlan vx0 /vxlan vx1 /' "$CONF"
	run --separate-stderr hnh 1 plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:3: vx1: id 4242 port 4789 already used by vxlan vx0 (an earlier apply made it and the file no longer has it: run hostnet prune first)" ]
	run hnh 1 prune
	[ "${lines[0]}" = "remove link vx0" ]
	run hnh 1 apply
	[ "${lines[0]}" = "create vxlan vx1 (id 4242, dev eth0, local 10.77.0.1, port 4789, learning on)" ]
}

@test "a vxlan of that name with other parameters is not edited in place" {
	three_hosts
	ip -n "$P-h1" link add vx0 type vxlan id 7 dev eth0 local 10.77.0.1 dstport 4789
	run --separate-stderr hnh 1 plan
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:3: vx0: exists with other parameters (id 7); a vxlan is not changed in place: delete it (hostnet down, if an earlier apply made it) and apply again" ]
}

@test "group mode: the vxlan joins the multicast group on the underlay, no remote entries" {
	underlay 4 1550
	host 1
	printf '%s\n' "bridge br0 stp off" "vxlan vx0 id 99 dev eth0 bridge br0 group 239.1.1.1 ttl 4 learning off port 4790" >"$CONF"
	run hnh 1 apply
	[ "${lines[2]}" = "create vxlan vx0 (id 99, dev eth0, group 239.1.1.1, port 4790, ttl 4, learning off)" ]
	[ "$(ip -n "$P-h1" -d -j link show vx0 | jq -r '.[0].linkinfo.info_data | [.group, .port, .ttl, .learning] | join(" ")')" = \
		"239.1.1.1 4790 4 false" ]
	# the kernel's own default remote: the group, nothing hostnet adds
	[ "$(fdb_dsts 1)" = "239.1.1.1" ]
	hnh 1 down
	run ip -n "$P-h1" link show vx0
	[ "$status" -ne 0 ]
}

# check_refuses LINE ERROR: a file with the vxlan line LINE is refused with ERROR (exit 2).
check_refuses() {
	printf '%s\n' "bridge br0" "$1" >"$CONF"
	run --separate-stderr hnh 1 check
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:2: $2" ]
}

@test "bad vxlan lines are refused with file:line, exit 2" {
	underlay 4 1500
	host 1
	check_refuses "vxlan vx0 id 0 dev eth0 peers 10.77.0.1" 'vx0: id "0": expected a VNI 1..16777215'
	check_refuses "vxlan vx0 id 16777216 dev eth0 peers 10.77.0.1" 'vx0: id "16777216": expected a VNI 1..16777215'
	check_refuses "vxlan vx0 id 5 dev eth0 peers 10.77.0.1 239.1.1.1" \
		'vx0: peers: 239.1.1.1: a multicast address (use group MCAST for a multicast underlay)'
	check_refuses "vxlan vx0 id 5 dev eth0 group 10.77.0.1" \
		'vx0: group "10.77.0.1": not a multicast address (224.0.0.0/4 or ff00::/8; use peers for unicast)'
	check_refuses "vxlan vx0 id 5 peers 10.77.0.1 10.77.0.2" \
		"vx0: dev UNDERLAY missing (the interface the tunnel's packets leave by)"
	check_refuses "vxlan vx0 id 5 dev eth0 peers 10.77.0.1 10.77.0.2 10.77.0.1" \
		'vx0: peers: 10.77.0.1 given twice'
	check_refuses "vxlan vx0 id 5 dev eth0 peers 10.77.0.1 fd77::2" \
		'vx0: peers: fd77::2: IPv4 and IPv6 peers mixed (one underlay family per vxlan)'
	check_refuses "vxlan vx0 id 5 dev eth0 bridge br9 peers 10.77.0.1" 'vx0: bridge br9 is not declared'
	check_refuses "vxlan vx0 id 5 dev eth0 peers 10.77.0.1 group 239.1.1.1" 'vx0: peers and group exclude each other'
	check_refuses "vxlan vx0 dev eth0 peers 10.77.0.1" 'vx0: id VNI missing'
	check_refuses "vxlan vx0 id 5 mtu 1400 dev eth0 peers 10.77.0.1" 'vx0: unknown option "mtu"'
	check_refuses "vxlan vx0 id 5 dev eth0 peers 10.77.0.1 local 10.77.0.2" \
		'vx0: peers: "local": not an IPv4 or IPv6 address'
	check_refuses "vxlan br0 id 5 dev eth0 peers 10.77.0.1" 'br0: already declared as a bridge'
	run ip -n "$P-h1" -j link show
	[ "$(jq -r '[.[].ifname] | sort | join(" ")' <<<"$output")" = "eth0 lo vg0" ]
}

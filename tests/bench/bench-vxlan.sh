#!/usr/bin/env bash
# bench-vxlan.sh - hostnet's vxlan line, side by side with iproute2:
#   1. apply: a bridge and a VXLAN with N remotes (BENCH_PEERS, default 100),
#      hostnet apply vs `ip -batch` + `bridge -batch` (the fastest existing
#      way); second apply (no change) and down too. Median of BENCH_ROUNDS.
#   2. throughput: one TCP stream of BENCH_BYTES between two guests on two
#      hosts over the VXLAN (IPv4 underlay, MTU 1550) vs two guests on one
#      bridge of one host; kernel-bound, the ratio is VXLAN's cost.
# Each in throwaway namespaces; times in ms, ratios printed.
set -eu
HOSTNET=$HN_BIN/hostnet
PEERS=${BENCH_PEERS:-100}
ROUNDS=${BENCH_ROUNDS:-5}
BYTES=${BENCH_BYTES:-1000000000}
P="hn-bench-$$"
WORK=$(mktemp -d /tmp/hn-bench.XXXXXX)

cleanup() {
	local n
	for n in h h1 h2 ul g1 g2; do ip netns del "$P-$n" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

ns() { ip netns del "$P-$1" 2>/dev/null || true; ip netns add "$P-$1"; ip -n "$P-$1" link set lo up; }
peer() { echo "10.50.$(($1 / 250)).$(($1 % 250 + 1))"; }

write_inputs() {
	local i all=""
	for ((i = 0; i <= PEERS; i++)); do all="$all $(peer "$i")"; done
	printf '%s\n' "bridge br0 stp off" "vxlan vx0 id 42 dev eth0 bridge br0 peers$all" >"$WORK/hostnet.conf"
	printf '%s\n' "link add br0 type bridge stp_state 0" "link set br0 mtu 1500 up" \
		"link add vx0 type vxlan id 42 dev eth0 local $(peer 0) dstport 4789" \
		"link set vx0 mtu 1500 master br0 up" >"$WORK/ip.batch"
	for ((i = 1; i <= PEERS; i++)); do
		echo "fdb append 00:00:00:00:00:00 dev vx0 dst $(peer "$i")"
	done >"$WORK/bridge.batch"
}

# A host namespace with the underlay eth0 (MTU 1550) holding the first peer's address.
fresh_host() {
	ip netns del "$P-h" 2>/dev/null || true
	sleep 1		# the kernel cleans a deleted namespace up holding the rtnl lock
	ns h
	ip -n "$P-h" link add eth0 mtu 1550 type veth peer name wan mtu 1550
	ip -n "$P-h" link set eth0 up
	ip -n "$P-h" addr add "$(peer 0)/16" dev eth0
}

# us 'COMMANDS': wall time in µs, timed by a shell already inside the namespace.
# shellcheck disable=SC2016  # expanded by the inner shell
us() {
	ip netns exec "$P-h" bash -c 'set -e
		export HOSTNET_STATE_DIR=$1
		t0=${EPOCHREALTIME/[.,]/}
		eval "$2" >/dev/null
		t1=${EPOCHREALTIME/[.,]/}
		echo $((t1 - t0))' _ "$WORK/state" "$1"
}

check_up() {
	local got
	got=$(bridge -n "$P-h" -j fdb show dev vx0 | jq '[.[] | select(.mac == "00:00:00:00:00:00")] | length')
	[ "$got" -eq "$PEERS" ] || { echo "bench: expected $PEERS remotes, found $got" >&2; exit 1; }
}

median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
ms() { printf '%d.%d ms' $(($1 / 1000)) $(($1 % 1000 / 100)); }
ratio() { local b=$2; [ "$b" -gt 0 ] || b=1; printf '%d.%02d' $(($1 / b)) $((($1 * 100 / b) % 100)); }

bench_apply() {
	local r best bdown first second down B=() BD=() F=() S=() D=()
	write_inputs
	for ((r = 0; r < ROUNDS; r++)); do
		fresh_host
		B+=("$(us "ip -batch $WORK/ip.batch && bridge -batch $WORK/bridge.batch")")
		check_up
		BD+=("$(us "ip link del vx0 && ip link del br0")")
		fresh_host
		rm -rf "$WORK/state"
		F+=("$(us "$HOSTNET -f $WORK/hostnet.conf apply")")
		check_up
		S+=("$(us "$HOSTNET -f $WORK/hostnet.conf apply")")
		D+=("$(us "$HOSTNET -f $WORK/hostnet.conf down")")
	done
	best=$(median "${B[@]}") bdown=$(median "${BD[@]}") first=$(median "${F[@]}") second=$(median "${S[@]}") down=$(median "${D[@]}")
	echo "apply: bridge + vxlan + $PEERS remotes (median of $ROUNDS)"
	printf '  %-40s %s\n' "ip -batch + bridge -batch" "$(ms "$best")"
	printf '  %-40s %s  ratio %s\n' "hostnet apply" "$(ms "$first")" "$(ratio "$first" "$best")"
	printf '  %-40s %s\n' "hostnet apply (no change)" "$(ms "$second")"
	printf '  %-40s %s\n' "ip link del vx0 && ip link del br0" "$(ms "$bdown")"
	printf '  %-40s %s  ratio %s\n' "hostnet down" "$(ms "$down")" "$(ratio "$down" "$bdown")"
}

# guest G HOSTNS IP: guest namespace G behind veth vG in HOSTNS, on br0.
guest() {
	ns "$1"
	ip -n "$2" link add "v$1" type veth peer name eth0 netns "$P-$1"
	ip -n "$2" link set "v$1" master br0 up
	ip -n "$P-$1" link set eth0 up
	ip -n "$P-$1" addr add "$3/24" dev eth0
}

# stream: µs to send BYTES from g1 to g2 over one TCP connection.
stream() {
	local t0 t1 pid
	ip netns exec "$P-g2" socat -u TCP-LISTEN:5001,reuseaddr OPEN:/dev/null &
	pid=$!
	until ip netns exec "$P-g2" ss -Hltn 'sport = :5001' | grep -q .; do sleep 0.1; done
	t0=${EPOCHREALTIME/[.,]/}
	ip netns exec "$P-g1" socat -u OPEN:/dev/zero,readbytes="$BYTES" TCP:192.168.60.2:5001
	t1=${EPOCHREALTIME/[.,]/}
	wait "$pid"
	echo $((t1 - t0))
}

mbps() { echo "$((BYTES * 8 / $1)) Mbit/s"; }

bench_throughput() {
	local r one vx O=() V=() i
	cleanup
	mkdir -p "$WORK"
	# one host, one bridge
	ns h
	ip -n "$P-h" link add br0 type bridge stp_state 0
	ip -n "$P-h" link set br0 up
	guest g1 "$P-h" 192.168.60.1
	guest g2 "$P-h" 192.168.60.2
	ip netns exec "$P-g1" ping -c 1 -W 5 192.168.60.2 >/dev/null
	for ((r = 0; r < ROUNDS; r++)); do O+=("$(stream)"); done
	ip netns del "$P-g1"; ip netns del "$P-g2"; ip netns del "$P-h"
	# two hosts over the VXLAN, the same file on both
	ns ul
	ip -n "$P-ul" link add ulbr type bridge
	ip -n "$P-ul" link set ulbr up
	printf '%s\n' "bridge br0 stp off" \
		"vxlan vx0 id 42 dev eth0 bridge br0 peers 10.60.0.1 10.60.0.2" >"$WORK/fleet.conf"
	for i in 1 2; do
		ns "h$i"
		ip -n "$P-ul" link add "ul$i" mtu 1550 type veth peer name eth0 mtu 1550 netns "$P-h$i"
		ip -n "$P-ul" link set "ul$i" master ulbr up
		ip -n "$P-h$i" link set eth0 up
		ip -n "$P-h$i" addr add "10.60.0.$i/24" dev eth0
		ip netns exec "$P-h$i" env HOSTNET_STATE_DIR="$WORK/st$i" "$HOSTNET" -f "$WORK/fleet.conf" apply >/dev/null
		guest "g$i" "$P-h$i" "192.168.60.$i"
	done
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$P-g1" ping -c 1 -W 1 192.168.60.2 >/dev/null 2>&1 && break
	done
	for ((r = 0; r < ROUNDS; r++)); do V+=("$(stream)"); done
	one=$(median "${O[@]}") vx=$(median "${V[@]}")
	echo "throughput: one TCP stream of $BYTES bytes, guest to guest (median of $ROUNDS)"
	printf '  %-40s %s\n' "one bridge, one host" "$(mbps "$one")"
	printf '  %-40s %s  ratio %s (VXLAN / one bridge)\n' "two hosts over the VXLAN" "$(mbps "$vx")" \
		"$(ratio "$one" "$vx")"
}

bench_apply
bench_throughput

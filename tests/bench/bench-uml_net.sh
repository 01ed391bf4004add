#!/usr/bin/env bash
# bench-uml_net.sh - latency of `uml_net 4 add` (route + proxy ARP for one guest)
# with 0, 10, 100, 1000 other guests routed on the same subnet: the reference
# helper (forks route, bash and one arp per matching route) and ours.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
REF=$HN_ORACLES/usr/bin/uml_net
OUR=$(dirname "$HN_BIN")/test/bin/uml_net	# the test build: policy under the build tree
CONF=$(cat "$(dirname "$HN_BIN")/test/policy-path")
RUNS=${RUNS:-20}

mkdir -p "$(dirname "$CONF")"
printf '%s\n' "allow user root route 10.0.0.0/16" "allow user root publish uplink0" >"$CONF"
chmod 644 "$CONF"
trap 'rm -f "$CONF"; bench_ns_del' EXIT

# A LAN uplink holding 10.0.0.254/16, the tap under test, and N other guests
# routed (with their proxy entries) through a second tap.
setup() { # N
	local i
	bench_ns_new
	{
		echo "link add uplink0 type veth peer name lanpeer0"
		echo "addr add 10.0.0.254/16 dev uplink0"
		echo "link set uplink0 up"
		echo "tuntap add tapb mode tap user 0"
		echo "tuntap add tapo mode tap user 0"
		echo "link set tapb up"
		echo "link set tapo up"
		for ((i = 0; i < $1; i++)); do
			echo "route add 10.0.$((i / 200 + 1)).$((i % 200 + 1)) dev tapo proto 117"
			echo "neigh add proxy 10.0.$((i / 200 + 1)).$((i % 200 + 1)) dev uplink0"
		done
	} | ip -n "$BENCH_NS" -batch -
}

# add_us BIN: mean wall time of RUNS `add`s (each undone by a `del`), in µs;
# EPOCHREALTIME, so no clock process is forked inside the measurement.
# shellcheck disable=SC2016  # expanded by the inner shell
add_us() {
	ip netns exec "$BENCH_NS" bash -c '
		total=0
		for ((k = 0; k < $2; k++)); do
			t0=${EPOCHREALTIME/./}
			"$1" 4 add tapb 10.0.200.7 255.255.0.0 >/dev/null 2>&1
			t1=${EPOCHREALTIME/./}
			"$1" 4 del tapb 10.0.200.7 255.255.0.0 >/dev/null 2>&1
			total=$((total + t1 - t0))
		done
		echo $((total / $2))' _ "$1" "$RUNS"
}

# shellcheck disable=SC2016  # expanded by the inner shell
base=$(bench_ns_new; ip netns exec "$BENCH_NS" bash -c '
	t0=${EPOCHREALTIME/./}; for ((k = 0; k < 20; k++)); do /bin/true; done
	echo $(((${EPOCHREALTIME/./} - t0) / 20))'; bench_ns_del)
echo "(fork+exec of /bin/true on this machine: ${base}us)"
printf '%-6s %14s %14s %10s\n' guests "ref add" "our add" "ref/our"
for n in 0 10 100 1000; do
	setup "$n"
	ref=$(add_us "$REF")
	our=$(add_us "$OUR")
	bench_ns_del
	printf '%-6s %12sus %12sus %10s\n' "$n" "$ref" "$our" "$(ratio "$ref" "$our")"
done

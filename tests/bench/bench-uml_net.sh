#!/usr/bin/env bash
# bench-uml_net.sh - latency of `uml_net 4 add` (route + proxy ARP for one guest)
# with 0, 10, 100, 1000 other guests routed on the same subnet: the reference
# helper (forks route, bash and one arp per matching route) and ours; then the
# latency of 50 concurrent `tuntap up` callers (ours: lock, limit, mark).
# Our add includes the 0.2 s ARP probe for the guest address (uml_net.8).
# Both helpers answer on a UNIX socket pair (examples/uml_side), as under UML,
# for a tap our helper made (ours accepts only those).
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
REF=$HN_ORACLES/usr/bin/uml_net
OUR=$(dirname "$HN_BIN")/test/bin/uml_net	# the test build: policy under the build tree
CONF=$(cat "$(dirname "$HN_BIN")/test/policy-path")
SIDE=$(dirname "$HN_BIN")/examples/uml_side
LOG=$(cat "$(dirname "$HN_BIN")/test/log-path")	# ours will not act without syslog
RUNS=${RUNS:-20}

mkdir -p "$(dirname "$CONF")"
printf '%s\n' "allow user root route 10.0.0.0/16" "allow user root publish uplink0" \
	"allow user root gate 10.0.200.1" "allow user root taps 100" >"$CONF"
chmod 644 "$CONF"
rm -f "$LOG"
socat -u UNIX-RECV:"$LOG",mode=666 OPEN:/dev/null </dev/null >/dev/null 2>&1 &
LOGPID=$!
trap 'rm -f "$CONF" "$LOG"; kill "$LOGPID" 2>/dev/null; bench_ns_del' EXIT
while [ ! -S "$LOG" ]; do sleep 0.1; done

# A LAN uplink holding 10.0.0.254/16, the tap under test, and N other guests
# routed (with their proxy entries) through a second tap.
setup() { # N
	local i
	bench_ns_new
	{
		echo "link add uplink0 type veth peer name lanpeer0"
		echo "addr add 10.0.0.254/16 dev uplink0"
		echo "link set uplink0 up"
		echo "tuntap add tapo mode tap user 0"
		echo "link set tapo up"
		for ((i = 0; i < $1; i++)); do
			echo "route add 10.0.$((i / 200 + 1)).$((i % 200 + 1)) dev tapo proto 117"
			echo "neigh add proxy 10.0.$((i / 200 + 1)).$((i % 200 + 1)) dev uplink0"
		done
	} | ip -n "$BENCH_NS" -batch -
}

# add_us BIN: mean wall time of RUNS `add`s (each undone by a `del`) through
# uml_side, on a tap $TAP our helper made and uml_side holds, in µs;
# EPOCHREALTIME, so no clock process is forked inside the measurement.
# shellcheck disable=SC2016  # expanded by the inner shell
add_us() {
	ip netns exec "$BENCH_NS" "$SIDE" -x "bash -c '
		total=0
		for ((k = 0; k < \$2; k++)); do
			t0=\${EPOCHREALTIME/./}
			\"$SIDE\" stream \"\$1\" 4 add \$TAP 10.0.200.7 255.255.0.0 >/dev/null 2>&1
			t1=\${EPOCHREALTIME/./}
			\"$SIDE\" stream \"\$1\" 4 del \$TAP 10.0.200.7 255.255.0.0 >/dev/null 2>&1
			total=\$((total + t1 - t0))
		done
		echo \$((total / \$2))' _ '$1' '$RUNS'" dgram "$OUR" 4 tuntap up 10.0.200.1 | tail -n 1
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

# 50 callers at once, each holding its tap until all have answered: the
# time until the last answer, and the mean per caller (ours only: the
# reference takes no lock and counts nothing).
bench_ns_new
# shellcheck disable=SC2016  # expanded by the inner shell
ip netns exec "$BENCH_NS" bash -c '
	dir=$(mktemp -d)
	t0=${EPOCHREALTIME/./}
	for ((i = 0; i < 50; i++)); do
		"$1" -x "touch $dir/held.\$\$; while [ ! -e $dir/go ]; do sleep 0.05; done" \
			dgram "$2" 4 tuntap up 10.0.200.1 >"$dir/c$i" 2>&1 &
	done
	while [ "$(find "$dir" -name "held.*" | wc -l)" -lt 50 ]; do sleep 0.01; done
	t1=${EPOCHREALTIME/./}
	touch "$dir/go"; wait; rm -rf "$dir"
	echo "50 concurrent tuntap up (ours): all answered in $(((t1 - t0) / 1000)) ms, $(((t1 - t0) / 50)) us per caller"' \
	_ "$SIDE" "$OUR"
bench_ns_del

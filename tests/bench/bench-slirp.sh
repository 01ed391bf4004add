#!/usr/bin/env bash
# bench-slirp.sh - one UML guest, TCP bulk throughput guest->host and
# host->guest and 1-byte request/response latency, through our slirp
# (eth0=slirp) and through a tap (eth0=tuntap,tap0), in the same run; ratios.
# Needs the shared UML harness and its kernel; says so and skips without.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
HARNESS=${UML_HARNESS:-$(cd "$HERE/../../.." && pwd)/shared/uml}
UML_KERNEL=${UML_KERNEL:-/var/cache/umlharness/linux}
SIZE=${SLIRP_BENCH_SIZE:-67108864}
ROUNDS=${SLIRP_BENCH_ROUNDS:-2000}
RUNS=${SLIRP_BENCH_RUNS:-3}
if [ ! -x "$HARNESS/run-guest.sh" ] || [ ! -x "$UML_KERNEL" ]; then
	echo "(skipped: no UML harness or kernel; see $HARNESS/README.md)"
	exit 0
fi
dir=$(mktemp -d /tmp/hn-slirp-bench.XXXXXX)
trap 'rm -rf "$dir"; bench_ns_del' EXIT
chmod 755 "$dir"
cp "$HN_BIN/slirp" "$dir/slirp"

# one MODE KERNEL_ARG: "up down rr" of one guest run
one() {
	local out
	out=$(BENCH_MODE=$1 BENCH_SIZE=$SIZE timeout 300 "$HARNESS/run-guest.sh" -q -t 240 \
		-s "$HERE/slirp-host.sh" "$HERE/slirp-guest.sh" "$2" \
		"BENCH_MODE=$1" "BENCH_SIZE=$SIZE" "BENCH_ROUNDS=$ROUNDS" 2>&1 | tr -d '\r')
	sed -n 's/^bench: up_mbps \([0-9]*\) down_mbps \([0-9]*\) rr_us \([0-9]*\) .*/\1 \2 \3/p' <<<"$out" |
		grep . || { echo "bench-slirp: the $1 guest failed:" >&2; tail -20 <<<"$out" >&2; return 1; }
}

# best of RUNS: highest throughputs, lowest latency
best() {
	local i r u=0 d=0 l=999999999 a b c
	for ((i = 0; i < RUNS; i++)); do
		r=$(one "$@") || return 1
		read -r a b c <<<"$r"
		[ "$a" -gt "$u" ] && u=$a
		[ "$b" -gt "$d" ] && d=$b
		[ "$c" -lt "$l" ] && l=$c
	done
	echo "$u $d $l"
}

echo "(one UML guest, $((SIZE / 1048576)) MiB each way, $ROUNDS round trips; best of $RUNS runs)"
read -r su sd sl <<<"$(best slirp "eth0=slirp,,$dir/slirp")"
read -r tu td tl <<<"$(best tap eth0=tuntap,tap0)"
printf '%-26s %10s %10s %10s\n' measure slirp tuntap slirp/tap
printf '%-26s %10s %10s %10s\n' "guest->host Mbit/s" "$su" "$tu" "$(ratio "$su" "$tu")"
printf '%-26s %10s %10s %10s\n' "host->guest Mbit/s" "$sd" "$td" "$(ratio "$sd" "$td")"
printf '%-26s %10s %10s %10s\n' "request/response us" "$sl" "$tl" "$(ratio "$sl" "$tl")"

#!/usr/bin/env bash
# bench-tunctl.sh - create N owned persistent taps: reference tunctl (one process
# per tap, the classic recipe), hostnet tunctl (same), and `ip -batch` (one process).
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
REF=$HN_ORACLES/usr/bin/tunctl
OUR=$HN_BIN/tunctl


# One `ip netns exec` per tap costs the same for both tunctls; measure with one
# shell inside the namespace instead, so the figures are the tools' own.
# shellcheck disable=SC2016  # expanded by the inner shell
loop_in_ns() { # BIN N
	ip netns exec "$BENCH_NS" bash -c '
		for ((i = 0; i < $2; i++)); do "$1" -u 4000 -t "t$i" >/dev/null; done' _ "$1" "$2"
}

ip_batch() { # N
	local i
	for ((i = 0; i < $1; i++)); do
		echo "tuntap add t$i mode tap user 4000"
	done | ip -n "$BENCH_NS" -batch -
}

printf '%-6s %12s %12s %12s %10s %10s\n' N "ref tunctl" "our tunctl" "ip -batch" "our/ref" "our/ip"
for n in 100 1000; do
	ref=$(time_ms loop_in_ns "$REF" "$n")
	our=$(time_ms loop_in_ns "$OUR" "$n")
	ipb=$(time_ms ip_batch "$n")
	printf '%-6s %10sms %10sms %10sms %10s %10s\n' "$n" "$ref" "$our" "$ipb" \
		"$(ratio "$our" "$ref")" "$(ratio "$our" "$ipb")"
done

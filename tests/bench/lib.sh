# tests/bench/lib.sh - shared bench helpers: throwaway namespaces, a clock, ratios.
# shellcheck shell=bash

BENCH_NS="hn-bench-$$"

bench_ns_new() { ip netns add "$BENCH_NS"; }
bench_ns_del() { ip netns del "$BENCH_NS" 2>/dev/null || true; }
trap bench_ns_del EXIT

now_ns() { date +%s%N; }

# time_ms CMD...: run CMD in a fresh namespace, print its wall time in ms.
time_ms() {
	local t0 t1
	bench_ns_new
	t0=$(now_ns)
	"$@" >/dev/null
	t1=$(now_ns)
	bench_ns_del
	echo $(((t1 - t0) / 1000000))
}

# ratio A B: A/B with two decimals (B=0 counts as 1 ms).
ratio() {
	local b=$2
	[ "$b" -gt 0 ] || b=1
	printf '%d.%02d' $(($1 / b)) $((($1 * 100 / b) % 100))
}

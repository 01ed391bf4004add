# tests/bench/lib.sh - shared bench helpers: throwaway namespaces, a clock, ratios.
# shellcheck shell=bash

BENCH_NS="hn-bench-$$"

# The reference tools (uml-utilities, bridge-utils) unpacked by `make
# oracles`, never installed: first in PATH for the classic recipes.
HN_ORACLES=${HN_ORACLES:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/oracles}
[ -x "$HN_ORACLES/usr/bin/tunctl" ] || { echo "bench: no reference tools in $HN_ORACLES (make oracles)" >&2; exit 1; }
PATH=$HN_ORACLES/usr/bin:$HN_ORACLES/sbin:$PATH
export HN_ORACLES PATH

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

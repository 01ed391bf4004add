#!/usr/bin/env bash
# bench-uml_switch.sh - frames/s and latency between two daemon-transport
# clients (examples/swclient.c) through the reference uml_switch and ours, with
# 2, 16 and 64 ports attached (the others idle), side by side in one run; then
# a soak of 1 million frames with clients joining and leaving, RSS before/after.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
REF=${REF_UML_SWITCH:-$HN_ORACLES/usr/bin/uml_switch}
OUR=$HN_BIN/uml_switch
CLIENT=$(dirname "$HN_BIN")/examples/swclient
FRAMES=${FRAMES:-200000}
ROUNDS=${ROUNDS:-5000}
SOAK=${SOAK:-1000000}
TRIES=${TRIES:-3}
DIR=$(mktemp -d /tmp/hn-bench-sw.XXXXXX)
trap 'sw_stop; rm -rf "$DIR"; bench_ns_del' EXIT
SW=

sw_start() { # BIN
	rm -f "$DIR/ctl"
	ip netns exec "$BENCH_NS" "$1" -unix "$DIR/ctl" </dev/null >/dev/null 2>&1 &
	SW=$!
	while [ ! -S "$DIR/ctl" ]; do sleep 0.05; done
}
sw_stop() {
	[ -n "$SW" ] || return 0
	kill "$SW" 2>/dev/null || true
	wait "$SW" 2>/dev/null || true
	SW=
}
client() { ip netns exec "$BENCH_NS" "$CLIENT" "$1" "$DIR/ctl" "${@:2}"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

# best MODE BIN PORTS: the best of TRIES runs (a fresh switch each), one number.
best() {
	local b="" v i
	for ((i = 0; i < TRIES; i++)); do
		sw_start "$2"
		if [ "$1" = fps ]; then
			v=$(client throughput "$3" "$FRAMES" 64 | field frames_per_s)
			[ -z "$b" ] || [ "$v" -gt "$b" ] && b=$v
		else
			v=$(client latency "$3" "$ROUNDS" | field rtt_median_us)
			v=${v%.*}
			[ -z "$b" ] || [ "$v" -lt "$b" ] && b=$v
		fi
		sw_stop
	done
	echo "$b"
}

bench_ns_new
[ -x "$REF" ] || { echo "no reference uml_switch at $REF: ours only"; REF=""; }
echo "(64-byte frames, $FRAMES per run, 8 in flight; latency: median round trip of $ROUNDS pings, two switch passes; best of $TRIES)"
printf '%-6s %12s %12s %8s %12s %12s %8s\n' ports "ref fr/s" "our fr/s" "our/ref" "ref rtt us" "our rtt us" "ref/our"
for n in 2 16 64; do
	of=$(best fps "$OUR" "$n")
	ol=$(best lat "$OUR" "$n")
	if [ -n "$REF" ]; then
		rf=$(best fps "$REF" "$n")
		rl=$(best lat "$REF" "$n")
		printf '%-6s %12s %12s %8s %12s %12s %8s\n' "$n" "$rf" "$of" "$(ratio "$of" "$rf")" \
			"$rl" "$ol" "$(ratio "$rl" "$ol")"
	else
		printf '%-6s %12s %12s %8s %12s %12s %8s\n' "$n" - "$of" - - "$ol" -
	fi
done

# Soak: RSS after a 100000-frame warm-up and after SOAK more frames among 8
# clients, one replaced every 2000 frames (a new data address each time).
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
sw_start "$OUR"
client soak 100000 >/dev/null
r0=$(rss "$SW")
t0=$(now_ns)
out=$(client soak "$SOAK")
t1=$(now_ns)
r1=$(rss "$SW")
sw_stop
echo "soak: $out in $(((t1 - t0) / 1000000)) ms; our RSS ${r0} kB -> ${r1} kB"
if [ "$r1" -gt $((r0 + 64)) ]; then
	echo "soak: RSS grew by $((r1 - r0)) kB" >&2
	exit 1
fi

# Two real UML guests (the 810 bats fixtures: all as nobody, one namespace):
# paced pings and a TCP stream from A to B, through the
# reference switch and ours. Only when the UML harness and kernel are there.
HARNESS=${UML_HARNESS:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/uml}
UML_KERNEL=${UML_KERNEL:-/var/cache/umlharness/linux}
FIX=$(cd "$(dirname "$0")/../bats/fixtures" && pwd)
if [ ! -x "$HARNESS/run-guest.sh" ] || [ ! -x "$UML_KERNEL" ]; then
	echo "guests: skipped (no UML harness or kernel)"
	exit 0
fi
guests() { # BIN: "ping_avg_us ping_loss tcp_ms" of one run
	local swd out
	swd=$(mktemp -d /tmp/hn-bench-swuml.XXXXXX)
	chmod 755 "$swd"
	out=$(export SWD=$swd UML_SWITCH UML_KERNEL HARNESS SWFIX=$FIX/uml_switch
		UML_SWITCH=$(readlink -f "$1")
		timeout 300 "$HARNESS/run-guest.sh" \
		-k "$FIX/uml_net/unpriv-kernel.sh" -e "HN_UML_REAL=$UML_KERNEL" -e HN_UML_UID=65534 \
		-t 240 -s "$FIX/uml_switch/setup.sh" -H "$FIX/uml_switch/hook.sh" \
		"$FIX/uml_switch/guest-bench.sh" "eth0=daemon,fe:fd:0a:05:00:03,unix,$swd/run/lan.ctl" 2>&1) || true
	rm -rf "$swd"
	echo "$(field ping_avg_us <<<"$out") $(field ping_loss <<<"$out") $(field tcp_ms <<<"$out")"
}
# best_guests BIN: the best ping and TCP times of TRIES runs, and the worst loss.
best_guests() {
	local p l t bp="" bl=0 bt="" i
	for ((i = 0; i < TRIES; i++)); do
		read -r p l t <<<"$(guests "$1")"
		if [ -z "$p" ] || [ -z "$t" ]; then continue; fi
		{ [ -z "$bp" ] || [ "$p" -lt "$bp" ]; } && bp=$p
		{ [ -z "$bt" ] || [ "$t" -lt "$bt" ]; } && bt=$t
		[ "${l%.*}" -gt "${bl%.*}" ] && bl=$l
	done
	echo "${bp:--} $bl ${bt:--}"
}
read -r ours_ping ours_loss ours_tcp <<<"$(best_guests "$OUR")"
ref_ping=- ref_loss=- ref_tcp=-
[ -z "$REF" ] || read -r ref_ping ref_loss ref_tcp <<<"$(best_guests "$REF")"
printf '%-14s %12s %12s %8s\n' guests ref ours ref/our
printf '%-14s %12s %12s %8s\n' "ping rtt us" "$ref_ping" "$ours_ping" "$(ratio "${ref_ping//-/0}" "${ours_ping:-1}")"
printf '%-14s %12s %12s\n' "ping loss %" "$ref_loss" "$ours_loss"
printf '%-14s %12s %12s %8s\n' "tcp 100MB ms" "$ref_tcp" "$ours_tcp" "$(ratio "${ref_tcp//-/0}" "${ours_tcp:-1}")"
echo "(500 pings 2 ms apart, then 100 MB over TCP, guest A to guest B; best of $TRIES, worst loss; lower is better)"

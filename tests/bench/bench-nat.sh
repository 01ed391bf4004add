#!/usr/bin/env bash
# tests/bench/bench-nat.sh - natctl against the tools it replaces, ratios printed:
#  1. load N DNAT forwards (+ one masquerade): natctl --batch vs one nft -f file
#     using a map (a plain hash map with the same key: what natctl's layout
#     uses for one-port forwards) vs one iptables-nft process per rule (N = SIZES);
#  2. one more forward (the same key shape) when N exist: natctl forward add
#     vs nft add element into that map;
#  3. new TCP connections through the last of N forwards (N = CONN_SIZES) in
#     three namespaces client - host - guest: the cost per connection must
#     stay flat as forwards grow (issue 4: N=10000/N=10 <= 1.1); beside it,
#     the same forwards as one nft hash map, whose lookup does not grow with N.
# Everything runs in throwaway network namespaces, is bounded by timeouts and
# is removed on exit.
set -eu

: "${HN_BIN:?set HN_BIN to the bin directory of a build}"
NATCTL=${NATCTL:-$HN_BIN/natctl}
SIZES=${SIZES:-100 1000 4000}
CONN_SIZES=${CONN_SIZES:-10 10000}
CONN_M=${CONN_M:-300}		# connections per run
CONN_ROUNDS=${CONN_ROUNDS:-9}	# runs per configuration, alternating; the fastest counts
ADDS=${ADDS:-5}			# single adds per N; the mean counts
LOADS=${LOADS:-3}		# bulk loads per N and tool (not iptables); the fastest counts
NS=hn-bench-$$
WORK=$(mktemp -d /tmp/hn-bench.XXXXXX)
NSS=("$NS")			# namespaces to delete
SERVERS=()			# guest listeners to stop

cleanup() {
	local p n
	for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
ip netns add "$NS"
ip -n "$NS" link add eth0 type veth peer name tap0

in_ns() { ip netns exec "$NS" "$@"; }

# Seconds (float) that "$@" takes.
seconds() {
	local t0 t1
	t0=$EPOCHREALTIME
	"$@" >/dev/null
	t1=$EPOCHREALTIME
	echo "$t1 - $t0" | bc -l
}

# Fastest of $1 runs of "${@:2}", with reset before each.
fastest() {
	local k=$1 best="" t
	shift
	while [ "$k" -gt 0 ]; do
		reset
		t=$(seconds "$@")
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
		k=$((k - 1))
	done
	echo "$best"
}

# The guest address of forward $1, in $g (no subshell: 10000 of them are generated).
guest() { g="192.168.$(($1 / 250)).$(($1 % 250 + 2))"; }

write_inputs() {
	local n=$1 i
	{
		for ((i = 0; i < n; i++)); do
			guest "$i"
			echo "forward add tcp $((10000 + i)) in eth0 dst 203.0.113.5 to $g port 80"
		done
		echo "masquerade add 192.168.0.0/16 out eth0"
	} >"$WORK/batch"
	{
		echo "table ip t {"
		echo " map m { type ifname . ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service;"
		echo "  elements = {"
		for ((i = 0; i < n; i++)); do
			guest "$i"
			echo "   \"eth0\" . 203.0.113.5 . tcp . $((10000 + i)) : $g . 80,"
		done
		echo "  }"
		echo " }"
		echo " chain p { type nat hook prerouting priority dstnat; meta l4proto tcp dnat ip to iifname . ip daddr . meta l4proto . th dport map @m; }"
		echo " chain o { type nat hook postrouting priority srcnat; oifname \"eth0\" ip saddr 192.168.0.0/16 masquerade; }"
		echo "}"
	} >"$WORK/rules.nft"
}

iptables_each() {
	local n=$1 i
	in_ns iptables-nft -t nat -A POSTROUTING -s 192.168.0.0/16 -o eth0 -j MASQUERADE
	for ((i = 0; i < n; i++)); do
		guest "$i"
		in_ns iptables-nft -t nat -A PREROUTING -i eth0 -d 203.0.113.5 -p tcp \
			--dport $((10000 + i)) -j DNAT --to-destination "$g:80"
	done
}

# ADDS more forwards (ports 1..ADDS), one process each.
natctl_adds() {
	local i
	for ((i = 1; i <= ADDS; i++)); do
		in_ns "$NATCTL" forward add tcp "$i" in eth0 dst 203.0.113.5 to 192.168.0.2 port 80
	done
}
nft_adds() {
	local i
	for ((i = 1; i <= ADDS; i++)); do
		in_ns nft add element ip t m "{ \"eth0\" . 203.0.113.5 . tcp . $i : 192.168.0.2 . 80 }"
	done
}

reset() {
	in_ns "$NATCTL" flush
	in_ns nft flush ruleset
}

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

# "met" or "MISSED" for ratio $1 against target $2.
verdict() { if [ "$(echo "$1 <= $2" | bc -l)" = 1 ]; then echo met; else echo MISSED; fi; }

row() {			# N what A a B b target
	local r
	r=$(ratio "$4" "$6")
	printf 'N=%-5s %-9s %-15s %8.4fs  %-19s %8.4fs  ratio %5s' "$1" "$2" "$3" "$4" "$5" "$6" "$r"
	if [ -n "$7" ]; then printf '  (target <= %s: %s)\n' "$7" "$(verdict "$r" "$7")"; else echo; fi
}

echo "-- bulk load of N forwards + 1 masquerade (fastest of $LOADS), one more forward (mean of $ADDS)"
declare -A add_nat add_nft
for n in $SIZES; do
	write_inputs "$n"
	t_nat=$(fastest "$LOADS" in_ns "$NATCTL" --batch "$WORK/batch")
	t_add=$(echo "$(seconds natctl_adds) / $ADDS" | bc -l)
	t_nft=$(fastest "$LOADS" in_ns nft -f "$WORK/rules.nft")
	t_elem=$(echo "$(seconds nft_adds) / $ADDS" | bc -l)
	reset
	row "$n" load "natctl --batch" "$t_nat" "nft -f (map)" "$t_nft" 1.2
	if command -v iptables-nft >/dev/null; then
		t_ipt=$(seconds iptables_each "$n")
		reset
		row "$n" load "natctl --batch" "$t_nat" "iptables-nft x$((n + 1))" "$t_ipt" ""
	fi
	row "$n" "one more" "natctl" "$t_add" "nft add element" "$t_elem" 1.0
	add_nat[$n]=$t_add add_nft[$n]=$t_elem
done
read -ra ss <<<"$SIZES"
if [ "${#ss[@]}" -gt 1 ]; then
	a=${ss[0]} z=${ss[-1]}
	r=$(ratio "${add_nat[$z]}" "${add_nat[$a]}")
	printf 'flatness  one more, natctl           N=%s/N=%s  ratio %5s  (flat in N, <= 1.3: %s)\n' "$z" "$a" "$r" \
		"$(verdict "$r" 1.3)"
	printf 'flatness  one more, nft add element  N=%s/N=%s  ratio %5s\n' "$z" "$a" \
		"$(ratio "${add_nft[$z]}" "${add_nft[$a]}")"
fi

# --- new TCP connections through the last forward ---------------------------
# One triple of namespaces per configuration (natctl and, for reference, nft
# with a plain hash map, at each N), so that the runs can alternate between
# configurations and drift on the machine hits all of them alike:
#   client $NS-cK eth0 198.51.100.2/24
#      |
#   host   $NS-hK eth0 198.51.100.1/24, tap0 192.168.0.1/24 (N forwards, masquerade)
#      |
#   guest  $NS-gK eth0 192.168.0.2/24, default via .1, socat listening on :80
# With two CPUs or more, the client (whose CPU also carries the packets
# through the veths) and the guest's forking listener get one each, which
# keeps the listener's forks out of the measured path.
PIN_CLIENT=() PIN_SERVER=()
if [ "$(nproc)" -ge 2 ]; then PIN_CLIENT=(taskset -c 0) PIN_SERVER=(taskset -c 1); fi

triple_new() {
	local k=$1 n
	for n in "$NS-c$k" "$NS-h$k" "$NS-g$k"; do
		ip netns add "$n"
		NSS+=("$n")
		ip -n "$n" link set lo up
	done
	ip -n "$NS-h$k" link add eth0 type veth peer name eth0 netns "$NS-c$k"
	ip -n "$NS-h$k" link add tap0 type veth peer name eth0 netns "$NS-g$k"
	ip -n "$NS-h$k" addr add 198.51.100.1/24 dev eth0
	ip -n "$NS-h$k" addr add 192.168.0.1/24 dev tap0
	ip -n "$NS-c$k" addr add 198.51.100.2/24 dev eth0
	ip -n "$NS-g$k" addr add 192.168.0.2/24 dev eth0
	for n in "$NS-c$k" "$NS-h$k" "$NS-g$k"; do ip -n "$n" link set eth0 up; done
	ip -n "$NS-h$k" link set tap0 up
	ip -n "$NS-g$k" route add default via 192.168.0.1
	ip netns exec "$NS-h$k" "$NATCTL" forwarding ipv4 on >/dev/null
	ip netns exec "$NS-g$k" "${PIN_SERVER[@]}" timeout 170 socat TCP-LISTEN:80,fork,reuseaddr,backlog=1024 OPEN:/dev/null &
	SERVERS+=("$!")
}

# N forwards to ports 10000.., the last one (port 10000+N-1) to the listening
# guest: natctl's batch, and for reference the same as one nft -f file with a
# plain (hash) map, the layout whose lookup does not depend on N.
write_conn_inputs() {
	local n=$1 i
	{
		for ((i = 0; i < n - 1; i++)); do
			guest "$i"
			echo "forward add tcp $((10000 + i)) in eth0 dst 198.51.100.1 to $g port 80"
		done
		echo "forward add tcp $((10000 + n - 1)) in eth0 dst 198.51.100.1 to 192.168.0.2 port 80"
		echo "masquerade add 192.168.0.0/16 out eth0"
	} >"$WORK/conn-batch"
	{
		echo "table ip t {"
		echo " map m { type ifname . ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service;"
		echo "  elements = {"
		for ((i = 0; i < n - 1; i++)); do
			guest "$i"
			echo "   \"eth0\" . 198.51.100.1 . tcp . $((10000 + i)) : $g . 80,"
		done
		echo "   \"eth0\" . 198.51.100.1 . tcp . $((10000 + n - 1)) : 192.168.0.2 . 80"
		echo "  }"
		echo " }"
		echo " chain p { type nat hook prerouting priority dstnat; meta l4proto tcp dnat ip to iifname . ip daddr . meta l4proto . th dport map @m; }"
		echo " chain o { type nat hook postrouting priority srcnat; oifname \"eth0\" ip saddr 192.168.0.0/16 masquerade; }"
		echo "}"
	} >"$WORK/conn.nft"
}

# Microseconds per connection for $2 connections from namespace $1 to $3:$4,
# opened and closed by one bash process (no process per connection, so there
# is no process cost to subtract).
conn_us() {
	local ns=$1
	shift
	# shellcheck disable=SC2016	# expanded by the inner bash
	ip netns exec "$ns" "${PIN_CLIENT[@]}" timeout 60 bash -c '
		m=$1 addr=$2 port=$3
		t0=${EPOCHREALTIME/./}
		for ((i = 0; i < m; i++)); do
			exec 3<>"/dev/tcp/$addr/$port" || exit 1
			exec 3<&-
		done
		t1=${EPOCHREALTIME/./}
		echo $(((t1 - t0) / m))' _ "$@"
}

# Configurations: natctl at each N, then nft with a hash map at each N.
read -ra cs <<<"$CONN_SIZES"
lo=${cs[0]} hi=${cs[-1]}
cfgs=()
for n in "${cs[@]}"; do cfgs+=("natctl $n"); done
for n in "${cs[@]}"; do cfgs+=("nft $n"); done
declare -A best
for k in "${!cfgs[@]}"; do
	read -r tool n <<<"${cfgs[$k]}"
	triple_new "$k"
	write_conn_inputs "$n"
	if [ "$tool" = natctl ]; then
		ip netns exec "$NS-h$k" "$NATCTL" --batch "$WORK/conn-batch" >/dev/null
	else
		ip netns exec "$NS-h$k" nft -f "$WORK/conn.nft"
	fi
done
# Wait for every path (client - host forward - guest listener), warm up.
for k in "${!cfgs[@]}"; do
	read -r tool n <<<"${cfgs[$k]}"
	for ((i = 0; i < 50; i++)); do
		conn_us "$NS-c$k" 1 198.51.100.1 $((10000 + n - 1)) >/dev/null 2>&1 && break
		sleep 0.1
	done
	conn_us "$NS-c$k" 20 198.51.100.1 $((10000 + n - 1)) >/dev/null ||
		{ echo "bench: no connection through ${cfgs[$k]}" >&2; exit 1; }
done
for ((r = 0; r < CONN_ROUNDS; r++)); do
	for k in "${!cfgs[@]}"; do
		read -r tool n <<<"${cfgs[$k]}"
		us=$(conn_us "$NS-c$k" "$CONN_M" 198.51.100.1 $((10000 + n - 1)))
		if [ -z "${best[$k]:-}" ] || [ "$us" -lt "${best[$k]}" ]; then best[$k]=$us; fi
	done
done

echo "-- new TCP connections through the last of N forwards (us per connection, fastest of $CONN_ROUNDS x $CONN_M)"
nk=${#cs[@]}
for ((j = 0; j < nk; j++)); do
	a=${best[$j]} b=${best[$((j + nk))]}
	printf 'N=%-5s conn      %-15s %6s us    %-19s %6s us    ratio %5s\n' "${cs[$j]}" \
		natctl "$a" "nft -f (hash map)" "$b" "$(ratio "$a" "$b")"
done
r=$(ratio "${best[$((nk - 1))]}" "${best[0]}")
printf 'flatness  natctl             N=%s/N=%s  ratio %5s  (target <= 1.1: %s)\n' "$hi" "$lo" "$r" "$(verdict "$r" 1.1)"
printf 'flatness  nft -f (hash map)  N=%s/N=%s  ratio %5s\n' "$hi" "$lo" \
	"$(ratio "${best[$((2 * nk - 1))]}" "${best[$nk]}")"

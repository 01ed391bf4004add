#!/usr/bin/env bash
# tests/bench/bench-nat.sh - time loading N DNAT forwards (+ one masquerade) with
# natctl --batch, one iptables-nft process per rule, and one nft -f file
# using a map; then one more forward when N exist (natctl vs nft add
# element). Runs in a throwaway network namespace; prints ratios.
set -eu

: "${HN_BIN:?set HN_BIN to the bin directory of a build}"
NATCTL=${NATCTL:-$HN_BIN/natctl}
SIZES=${SIZES:-100 1000}
NS=hn-bench-$$
WORK=$(mktemp -d /tmp/hn-bench.XXXXXX)
trap 'ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
ip netns add "$NS"
ip -n "$NS" link add eth0 type veth peer name tap0

in_ns() { ip netns exec "$NS" "$@"; }

# Seconds (float) that "$@" takes.
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

guest() { echo "192.168.$(($1 / 250)).$(($1 % 250 + 2))"; }

write_inputs() {
	local n=$1 i
	{
		for ((i = 0; i < n; i++)); do
			echo "forward add tcp $((10000 + i)) in eth0 dst 203.0.113.5 to $(guest "$i") port 80"
		done
		echo "masquerade add 192.168.0.0/16 out eth0"
	} >"$WORK/batch"
	{
		echo "table ip t {"
		echo " map m { type ifname . ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; flags interval;"
		echo "  elements = {"
		for ((i = 0; i < n; i++)); do
			echo "   \"eth0\" . 203.0.113.5 . tcp . $((10000 + i)) : $(guest "$i") . 80,"
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
		in_ns iptables-nft -t nat -A PREROUTING -i eth0 -d 203.0.113.5 -p tcp \
			--dport $((10000 + i)) -j DNAT --to-destination "$(guest "$i"):80"
	done
}

reset() {
	in_ns "$NATCTL" flush
	in_ns nft flush ruleset
}

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

for n in $SIZES; do
	write_inputs "$n"
	reset
	t_nat=$(seconds in_ns "$NATCTL" --batch "$WORK/batch")
	t_add=$(seconds in_ns "$NATCTL" forward add tcp 5 in eth0 to 192.168.0.2 port 80)
	reset
	t_nft=$(seconds in_ns nft -f "$WORK/rules.nft")
	t_elem=$(seconds in_ns nft add element ip t m '{ "eth0" . 203.0.113.5 . tcp . 5 : 192.168.0.2 . 80 }')
	reset
	t_ipt=""
	if command -v iptables-nft >/dev/null; then
		t_ipt=$(seconds iptables_each "$n")
		reset
	fi
	printf 'N=%-5s load: natctl --batch %.3fs  nft -f %.3fs (ratio %s)' \
		"$n" "$t_nat" "$t_nft" "$(ratio "$t_nat" "$t_nft")"
	[ -n "$t_ipt" ] && printf '  iptables-nft x%s %.3fs (ratio %s)' \
		"$((n + 1))" "$t_ipt" "$(ratio "$t_nat" "$t_ipt")"
	printf '\n        one more: natctl %.4fs  nft add element %.4fs (ratio %s)\n' \
		"$t_add" "$t_elem" "$(ratio "$t_add" "$t_elem")"
done

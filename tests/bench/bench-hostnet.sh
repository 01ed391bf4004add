#!/usr/bin/env bash
# bench-hostnet.sh - provision N taps owned by a user, on bridges (1000 ports
# each), up, plus N DNAT forwards and a masquerade; then take it all down.
#   hostnet apply / second apply / down
#   classic: one tunctl, ip, brctl, iptables process per step; one ip link del per tap
#   best existing: one `ip -batch` + one `nft -f` with a map; `ip link del group`
# Each run in a fresh namespace, timed inside it; times in ms, ratios printed.
# BENCH_SIZES (default "100 1000 4000"); the classic recipe is run up to
# BENCH_CLASSIC_MAX (default 1000) and extrapolated linearly above it; the
# fast ways BENCH_ROUNDS times (default 3), the median reported.
set -eu
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
HOSTNET=$HN_BIN/hostnet
SIZES=${BENCH_SIZES:-100 1000 4000}
CLASSIC_MAX=${BENCH_CLASSIC_MAX:-1000}
ROUNDS=${BENCH_ROUNDS:-3}
WORK=$(mktemp -d /tmp/hn-bench.XXXXXX)
trap 'bench_ns_del; rm -rf "$WORK"' EXIT
GROUP=4300

in_ns() { ip netns exec "$BENCH_NS" "$@"; }
guest() { echo "10.$(($1 / 62500)).$((($1 / 250) % 250)).$(($1 % 250 + 2))"; }

# A namespace with the uplink eth0. The kernel cleans a deleted namespace up
# in the background, holding the rtnl lock: let that finish before timing.
fresh_ns() {
	bench_ns_del
	sleep 1
	bench_ns_new
	ip -n "$BENCH_NS" link add eth0 type veth peer name wan
	ip -n "$BENCH_NS" link set eth0 up
}

write_inputs() { # N
	local n=$1 i b
	{
		echo "linkgroup $GROUP"
		for ((b = 0; b * 1000 < n; b++)); do echo "bridge br$b stp off"; done
		for ((i = 0; i < n; i++)); do echo "tap t$i user 4000 bridge br$((i / 1000))"; done
		for ((i = 0; i < n; i++)); do echo "forward tcp $((10000 + i)) in eth0 to $(guest "$i") port 80"; done
		echo "masquerade 10.0.0.0/8 out eth0"
	} >"$WORK/hostnet.conf"
	{
		for ((b = 0; b * 1000 < n; b++)); do
			echo "link add br$b group $GROUP type bridge stp_state 0"
			echo "link set br$b up"
		done
		for ((i = 0; i < n; i++)); do
			echo "tuntap add t$i mode tap user 4000"
			echo "link set t$i master br$((i / 1000)) group $GROUP up"
		done
	} >"$WORK/ip.batch"
	{
		echo "table ip bench {"
		echo "  map fwdmap { type inet_service : ipv4_addr . inet_service; }"
		echo "  chain pre { type nat hook prerouting priority dstnat; iifname \"eth0\" dnat ip to tcp dport map @fwdmap; }"
		echo "  chain post { type nat hook postrouting priority srcnat; ip saddr 10.0.0.0/8 oifname \"eth0\" masquerade; }"
		echo "}"
		for ((i = 0; i < n; i++)); do
			echo "add element ip bench fwdmap { $((10000 + i)) : $(guest "$i") . 80 }"
		done
	} >"$WORK/nft.conf"
}

# us 'COMMANDS': wall time in µs of COMMANDS, run by a shell already inside
# the namespace, timed there with bash's EPOCHREALTIME. Entering the
# namespace (ip netns exec: 3-4 ms, it also remounts /sys) and a clock
# process are not timed: they are the bench's, not the tools', and were 15%
# of a no-change apply at N=100. Every way is timed the same way.
# shellcheck disable=SC2016  # expanded by the inner shell
us() {
	in_ns bash -c 'set -e
		export HOSTNET_STATE_DIR=$1
		t0=${EPOCHREALTIME/[.,]/}
		eval "$2" >/dev/null
		t1=${EPOCHREALTIME/[.,]/}
		echo $((t1 - t0))' _ "$WORK/state" "$1"
}

HN="$HOSTNET -f $WORK/hostnet.conf"
BEST_UP="ip -batch $WORK/ip.batch && nft -f $WORK/nft.conf"
BEST_DOWN="ip link del group $GROUP && nft delete table ip bench"

# One process per step, in one shell inside the namespace (as a boot script runs).
# shellcheck disable=SC2016  # expanded by the inner shell
CLASSIC_UP='for ((b = 0; b * 1000 < n; b++)); do brctl addbr br$b; brctl stp br$b off; ip link set br$b up; done
	for ((i = 0; i < n; i++)); do
		tunctl -u 4000 -t t$i >/dev/null; ip link set t$i up; brctl addif br$((i / 1000)) t$i
		iptables -t nat -A PREROUTING -i eth0 -p tcp --dport $((10000 + i)) -j DNAT \
			--to-destination 10.$((i / 62500)).$(((i / 250) % 250)).$((i % 250 + 2)):80
	done
	iptables -t nat -A POSTROUTING -s 10.0.0.0/8 -o eth0 -j MASQUERADE'

# shellcheck disable=SC2016
CLASSIC_DOWN='for ((i = 0; i < n; i++)); do ip link del t$i; done
	for ((b = 0; b * 1000 < n; b++)); do ip link set br$b down; brctl delbr br$b; done
	iptables -t nat -F PREROUTING; iptables -t nat -F POSTROUTING'

check_up() { # N: every tap there, on its bridge, up
	local got
	got=$(ip -n "$BENCH_NS" -j link show type tun | jq '[.[] | select(.master != null and (.flags | index("UP")))] | length')
	[ "$got" -eq "$1" ] || { echo "bench: expected $1 taps up on bridges, found $got" >&2; exit 1; }
}

# row LABEL µs NOTE: the time in ms with one decimal.
row() { printf '%-6s %-38s %7d.%d ms %s\n' "" "$1" $(($2 / 1000)) $(($2 % 1000 / 100)) "$3"; }

# median V...: the middle value (the lower of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

# One round of the two fast ways, up and down; sets best bdown first second hdown (µs).
round() { # N
	fresh_ns
	best=$(us "$BEST_UP"); check_up "$1"
	bdown=$(us "$BEST_DOWN")
	fresh_ns
	first=$(us "$HN apply"); check_up "$1"
	second=$(us "$HN apply")
	hdown=$(us "$HN down")
}

for n in $SIZES; do
	write_inputs "$n"
	# The median of ROUNDS rounds, each way in turn: the kernel's timing
	# varies by +-30% from round to round, more than the ways differ.
	B=() BD=() F=() S=() H=()
	for ((r = 0; r < ROUNDS; r++)); do
		round "$n"
		B+=("$best") BD+=("$bdown") F+=("$first") S+=("$second") H+=("$hdown")
	done
	best=$(median "${B[@]}") bdown=$(median "${BD[@]}") first=$(median "${F[@]}")
	second=$(median "${S[@]}") hdown=$(median "${H[@]}")
	if [ "$n" -le "$CLASSIC_MAX" ]; then
		fresh_ns
		classic=$(us "n=$n; $CLASSIC_UP"); check_up "$n"
		cdown=$(us "n=$n; $CLASSIC_DOWN")
		cnote=""
		cbase=$n cup=$classic cdn=$cdown
	else
		classic=$((cup * n / cbase)) cdown=$((cdn * n / cbase))
		cnote=" (extrapolated from N=$cbase)"
	fi
	echo "N=$n"
	row "ip -batch + nft -f (map)" "$best" ""
	row "classic, one process per step$cnote" "$classic" ""
	row "hostnet apply" "$first" "$(ratio "$first" "$best")x best, $(ratio "$first" "$classic")x classic"
	row "hostnet apply again (no change)" "$second" "$(ratio $((second * 100)) "$first")% of first"
	row "ip link del group + nft delete table" "$bdown" ""
	row "classic, one ip link del per tap$cnote" "$cdown" ""
	row "hostnet down" "$hdown" "$(ratio "$hdown" "$bdown")x group delete"
done

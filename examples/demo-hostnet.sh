#!/usr/bin/env bash
# examples/demo-hostnet.sh - hostnet in throwaway namespaces: "host" gets a
# bridge, a tap, forwarding, a masquerade and a port forward from one config
# file; "net" stands in for the internet and "guest" for a virtual machine.
# Traffic goes through the masquerade and the forward, then `hostnet down`
# leaves the host namespace as it was. The machine's own network is not touched.
set -eu
: "${HN_BIN:?set HN_BIN to the bin directory of a build}"
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it makes network namespaces)" >&2; exit 1; }

H="hn-demo-host-$$" I="hn-demo-net-$$" G="hn-demo-guest-$$"
TMP=$(mktemp -d)
cleanup() {
	for n in "$H" "$I" "$G"; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B='' N=''; fi
say() { printf '\n%s%s$ %s%s\n' "$B" "$1" "${*:2}" "$N"; }
run() { local ns=$1; shift; say "$ns" "$*"; ip netns exec "$ns" "$@"; }
hostnet() { run "$H" env HOSTNET_STATE_DIR="$TMP/state" "$HN_BIN/hostnet" -f "$TMP/hostnet.conf" "$@"; }

for n in "$H" "$I" "$G"; do ip netns add "$n"; ip -n "$n" link set lo up; done
# host eth0 <-> net wan: the uplink; guest eth0 <-> host vm0: the guest's cable.
ip -n "$H" link add eth0 type veth peer name wan netns "$I"
ip -n "$H" addr add 203.0.113.1/24 dev eth0
ip -n "$H" link set eth0 up
ip -n "$I" addr add 203.0.113.2/24 dev wan
ip -n "$I" link set wan up
ip -n "$H" link add vm0 type veth peer name eth0 netns "$G"
ip -n "$H" link set vm0 up
ip -n "$G" addr add 10.0.0.2/24 dev eth0
ip -n "$G" link set eth0 up
ip -n "$G" route add default via 10.0.0.1

cat >"$TMP/hostnet.conf" <<'CONF'
# The guests' bridge, a tap for a UML guest of uid 1000, the demo guest's veth
# as a port; forwarding, masquerade to the uplink, port 8080 to the guest's 80.
linkgroup 4200
bridge br0 address 10.0.0.1/24 stp off setfd 2 sethello 1
tap tap0 user 1000 bridge br0
addif br0 vm0
forwarding ipv4 on
masquerade 10.0.0.0/24 out eth0
forward tcp 8080 in eth0 to 10.0.0.2 port 80
CONF
echo "hostnet demo: namespaces $H (host), $I (internet), $G (guest)"
say "$H" "cat hostnet.conf"; cat "$TMP/hostnet.conf"
run "$H" ip -br link >"$TMP/before.txt"; cat "$TMP/before.txt"
ip netns exec "$H" nft list ruleset >>"$TMP/before.txt"

hostnet check
hostnet plan
hostnet apply
hostnet apply
hostnet status
run "$H" ip -br link

# Outbound through the masquerade: the internet sees the host's address.
# shellcheck disable=SC2016 # $SOCAT_PEERADDR is socat's, expanded by its shell
ip netns exec "$I" timeout 10 socat -T5 TCP-LISTEN:9000,reuseaddr SYSTEM:'echo seen from $SOCAT_PEERADDR' &
sleep 0.5
run "$G" timeout 5 socat -T3 - TCP:203.0.113.2:9000 </dev/null
wait
# Inbound through the forward: port 8080 of the host reaches the guest's web server.
ip netns exec "$G" timeout 10 socat -T5 TCP-LISTEN:80,reuseaddr SYSTEM:'echo hello from the guest' &
sleep 0.5
run "$I" timeout 5 socat -T3 - TCP:203.0.113.1:8080 </dev/null
wait

hostnet down
run "$H" ip -br link >"$TMP/after.txt"; cat "$TMP/after.txt"
ip netns exec "$H" nft list ruleset >>"$TMP/after.txt"
if cmp -s "$TMP/before.txt" "$TMP/after.txt"; then
	echo; echo "demo: after down, links and nftables of $H are as before"
else
	echo; echo "demo: after down, $H differs from before:"; diff "$TMP/before.txt" "$TMP/after.txt" || true
	exit 1
fi

#!/usr/bin/env bash
# examples/demo-tools.sh - `make demo-tools`: the single tools (tunctl, brctl) in a throwaway network
# namespace: provision the host side for a few guests and show the result.
# The host's own network is never touched.
set -eu
: "${HN_BIN:?set HN_BIN to the bin directory of a build (make demo does)}"
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it makes a network namespace)" >&2; exit 1; }

NS="hn-demo-$$"
ip netns add "$NS"
trap 'ip netns del "$NS" 2>/dev/null || true' EXIT
in_ns() { ip netns exec "$NS" "$@"; }
if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B='' N=''; fi
say() { printf '\n%s$ %s%s\n' "$B" "$*" "$N"; }
run() { say "$*"; in_ns "$@"; }

echo "hostnet demo: namespace $NS (deleted at the end)"

# One tap per guest, owned by the user who runs the guest (numbers need not exist).
run "$HN_BIN/tunctl" -u 1000 -t uml0
run "$HN_BIN/tunctl" -u 1001 -t uml1
say "TAP=\$($HN_BIN/tunctl -u 1002 -b)"
TAP=$(in_ns "$HN_BIN/tunctl" -u 1002 -b)
echo "TAP=$TAP"
# A tap shared by a group (any member may attach), multi-queue with vnet_hdr for QEMU.
run "$HN_BIN/tunctl" -g 100 --multi-queue --vnet-hdr -t qemu0

# What the old tool did silently, refused with a reason.
say "$HN_BIN/tunctl -u 1001 -t uml0   # uml0 belongs to uid 1000"
in_ns "$HN_BIN/tunctl" -u 1001 -t uml0 || echo "(exit $?: refused, uml0 unchanged)"
say "$HN_BIN/tunctl -t a-name-that-is-too-long"
in_ns "$HN_BIN/tunctl" -t a-name-that-is-too-long || echo "(exit $?: refused, nothing created)"

run "$HN_BIN/tunctl" -l
run "$HN_BIN/tunctl" -l -j

# A bridge for the guests, as the seed recipes build it with brctl.
run "$HN_BIN/brctl" addbr br0
run "$HN_BIN/brctl" stp br0 off
run "$HN_BIN/brctl" setfd br0 1
run "$HN_BIN/brctl" sethello br0 1
run "$HN_BIN/brctl" addif br0 uml0 uml1 qemu0
in_ns ip link set br0 up
run "$HN_BIN/brctl" show
run "$HN_BIN/brctl" -j show
run ip -br link

# Teardown, as scripts do it.
run "$HN_BIN/tunctl" -d "$TAP"
run "$HN_BIN/tunctl" -l
echo
echo "demo: done; namespace $NS removed"

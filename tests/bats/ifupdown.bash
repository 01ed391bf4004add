# ifupdown.bash - a sandbox for the real ifup/ifdown (5xx tests): a network
# namespace per test, and for every command a private mount namespace in which
#   /etc/network     is the test's own tree (interfaces file + our hooks),
#   /run             is the test's own directory (hook state, ifupdown lock),
#   /usr/local/sbin  is $HN_BIN, so ifupdown's PATH finds our build first,
#   /usr/sbin/brctl, /usr/bin/tunctl, /usr/bin/uml_net (the old tools, where
#                    the system has them installed) fail loudly if anything runs them,
#   /etc/passwd, /etc/group  know the seeds' user "giorgos" (uid/gid 4242).
# Nothing of this is visible outside the test's namespaces.
# shellcheck shell=bash

load helpers

IFU_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
IFU_FIX=$BATS_TEST_DIRNAME/fixtures/ifupdown
IFU_MASK="/usr/sbin/brctl /usr/bin/tunctl /usr/bin/uml_net /usr/lib/uml/uml_net"
export IFU_MASK

# ifu_setup: namespace + sandbox tree in $SB with our hooks installed the way
# `make install` does (SBINDIR=/usr/local/sbin).
ifu_setup() {
	command -v ifup >/dev/null || unavailable "needs ifupdown (make deps)"
	ns_setup_test
	SB=$BATS_TEST_TMPDIR/sb
	export SB
	mkdir -p "$SB/run" "$SB/state"
	local d h
	for d in pre-up up down post-down; do
		mkdir -p "$SB/etc/network/if-$d.d"
		for h in "$IFU_TOP"/ifupdown/hostnet-*; do
			sed 's|@SBINDIR@|/usr/local/sbin|' "$h" >"$SB/etc/network/if-$d.d/${h##*/}"
			chmod 755 "$SB/etc/network/if-$d.d/${h##*/}"
		done
	done
	cp /etc/passwd "$SB/passwd"
	cp /etc/group "$SB/group"
	echo 'giorgos:x:4242:4242:seed user:/nonexistent:/usr/sbin/nologin' >>"$SB/passwd"
	echo 'giorgos:x:4242:' >>"$SB/group"
	# shellcheck disable=SC2016 # $0 is for the masked tool's shell
	printf '#!/bin/sh\necho "reference tool $0 called inside the ifupdown sandbox" >&2\nexit 99\n' >"$SB/masked"
	chmod 755 "$SB/masked"
}

ifu_teardown() {
	ns_teardown_test
}

# ifu_interfaces FIXTURE...: the sandbox's /etc/network/interfaces, made of
# fixture files (fixtures/ifupdown/NAME) or, with "-", of stdin.
ifu_interfaces() {
	local f
	: >"$SB/etc/network/interfaces"
	for f in "$@"; do
		if [ "$f" = - ]; then cat; else cat "$IFU_FIX/$f"; fi
	done >>"$SB/etc/network/interfaces"
}

# sb CMD...: run CMD in $NS inside the sandbox's mount namespace.
sb() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	timeout "$HN_CEIL" ip netns exec "$NS" unshare -m --propagation private sh -c '
		set -e
		sb=$1; shift
		mount --bind "$sb/etc/network" /etc/network
		mount --bind "$sb/run" /run
		mount --bind "$HN_BIN" /usr/local/sbin
		mount --bind "$sb/passwd" /etc/passwd
		mount --bind "$sb/group" /etc/group
		for t in $IFU_MASK; do
			[ ! -e "$t" ] || mount --bind "$sb/masked" "$t"
		done
		exec "$@"' sh "$SB" "$@"
}

# ifu up|down ARGS...: the real ifup/ifdown on the sandbox's interfaces file.
ifu() {
	local verb=$1; shift
	sb "if$verb" -v -i /etc/network/interfaces --state-dir "$SB/state" "$@"
}

# ns_link NAME: the interface's `ip -d -j link` object in $NS ("null" when absent).
ns_link() {
	ip -n "$NS" -d -j link show | jq -c --arg n "$1" '[.[] | select(.ifname == $n)][0]'
}

# ns_sys PATH: a sysfs file of $NS (relative to /sys/class/net).
ns_sys() {
	in_ns cat "/sys/class/net/$1"
}

# ns_ports BRIDGE: the bridge's ports, sorted, space separated.
ns_ports() {
	ip -n "$NS" -j link show master "$1" | jq -r '[.[].ifname] | sort | join(" ")'
}

# ns_veth NAME PEER: a veth pair inside $NS with the peer up (so NAME gets
# carrier as soon as it is up).
ns_veth() {
	ip -n "$NS" link add "$1" type veth peer name "$2" &&
		ip -n "$NS" link set "$2" up
}

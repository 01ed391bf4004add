#!/usr/bin/env bats
# 540-ifupdown-uml.bats - end to end: real ifup with our hooks brings up the
# seed-004 tap0 + br0 stanzas, a real User Mode Linux guest attaches to tap0
# (eth0=tuntap,tap0) and pings the bridge; ifdown removes both. Uses the team's
# UML harness (../shared/uml: its own net, mount and PID namespaces) and its
# cached kernel; skipped where they are missing.

load helpers
load uml

setup_file() {
	uml_find ifup ip jq || true	# uml_ready says why in each test
}

teardown_file() {
	uml_mirror_rm
}

# shellcheck disable=SC2016 # the scripts below are written for the harness
setup() {
	uml_ready
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	S=$BATS_TEST_TMPDIR/uml
	mkdir -p "$S/state"
	local d h
	for d in pre-up up down post-down; do
		mkdir -p "$S/network/if-$d.d"
		for h in "$TOP"/ifupdown/hostnet-*; do
			sed 's|@SBINDIR@|/usr/local/sbin|' "$h" >"$S/network/if-$d.d/${h##*/}"
			chmod 755 "$S/network/if-$d.d/${h##*/}"
		done
	done
	# The seed's stanzas; the guest's UML runs as root, so root owns the tap.
	sed 's/tunctl_user giorgos/tunctl_user root/' \
		"$BATS_TEST_DIRNAME/fixtures/ifupdown/seed004-bridge-tap.interfaces" >"$S/network/interfaces"
	printf '#!/bin/sh\necho "reference $0 called" >&2\nexit 99\n' >"$S/masked"
	chmod 755 "$S/masked"
}

@test "a UML guest on the seed's tap0 in br0 (brought up by ifup) pings the bridge; ifdown cleans up" {
	cat >"$S/setup.sh" <<-EOF
	#!/bin/sh
	set -e
	mount --bind "$S/network" /etc/network
	mount -t tmpfs tmpfs /run
	mount --bind "$HN_BIN" /usr/local/sbin
	for t in /usr/bin/tunctl /usr/sbin/brctl /usr/bin/uml_net; do
		[ ! -e "\$t" ] || mount --bind "$S/masked" "\$t"
	done
	ifup -a -i /etc/network/interfaces --state-dir "$S/state"
	EOF
	cat >"$S/guest.sh" <<-'EOF'
	#!/bin/sh
	ip addr add 192.168.2.2/24 dev eth0 && ip link set eth0 up && ping -c 2 -W 2 192.168.2.1
	EOF
	cat >"$S/after.sh" <<-EOF
	#!/bin/sh
	echo "ports: \$(ip -j link show master br0 | jq -r '[.[].ifname] | join(" ")')"
	echo "owner: \$(cat /sys/class/net/tap0/owner)"
	ifdown -a -i /etc/network/interfaces --state-dir "$S/state"
	echo "after ifdown: \$(ip -j link show | jq -r '[.[].ifname] | join(" ")')"
	EOF
	chmod 755 "$S"/*.sh
	run timeout 540 "$HARNESS/run-guest.sh" -q -t 500 -s "$S/setup.sh" -a "$S/after.sh" \
		"$S/guest.sh" eth0=tuntap,tap0 3>&-
	echo "$output" | tail -20
	[ "$status" -eq 0 ]
	[[ $output == *"2 packets transmitted, 2 received"* ]]
	[[ $output == *"ports: tap0"* ]]
	[[ $output == *"owner: 0"* ]]
	[[ $output == *"after ifdown: lo"* ]]
	[[ $output != *"reference "*" called"* ]]
}

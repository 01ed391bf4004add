#!/usr/bin/env bats
# 490-uml_net-uml.bats - a real User Mode Linux guest, run as an unprivileged
# user, drives our tunctl'd taps and our uml_net (the shared harness:
# ../shared/uml). Runs only when a UML kernel is at hand: $UML_KERNEL, or the
# harness's cache (build-kernel.sh, ~3 min, then cached); else every test
# skips with the reason.
#
# How the guest runs unprivileged. run-guest.sh (read-only, root only) makes
# the network, mount and PID namespaces, runs the host setup/hook/after
# scripts as root inside them, and starts "the kernel" as root. We hand it
# fixtures/uml_net/unpriv-kernel.sh as the kernel (-k); as root, inside the
# run's private mount namespace, it mounts a tmpfs on /dev/net with a 0666
# tun clone node (UML and uml_net open the fixed path /dev/net/tun; the
# host's node stays 0600 and untouched), hands the run's uml_dir and shared
# directory to the user, then execs (same pid) `setpriv --reuid=65534
# --regid=65534 --clear-groups --inh-caps=-all` into the real kernel.
# uml_net: UML execs it from its PATH, whose first entry (-p) is $HELPERS, a
# 0755 directory holding a cap_net_admin+ep copy of the test build, which
# reads the root-owned policy $UMLT_CONF granting user nobody what each test
# needs. The hook checks the UML host processes' uids and capabilities
# (/proc/PID/status: all 65534, CapEff 0) during the run, and (run-guest -a)
# that none is left after it.

load helpers
load uml
load uml_net

FIX=${TFIX:-$BATS_TEST_DIRNAME/fixtures}/uml_net	# TFIX: uml_find's copy
USER_UID=65534

# bats 1.8 cannot skip from setup_file: it records why, and setup() skips.
setup_file() {
	if uml_find setpriv setcap; then
		uml_require
		# UML finds helpers through its PATH: a directory the user can reach
		# with a file-capability copy of our test build as uml_net.
		HELPERS=$(mktemp -d /tmp/hn-uml-path.XXXXXX)
		chmod 755 "$HELPERS"
		cp "$UMLT" "$HELPERS/uml_net"
		setcap cap_net_admin+ep "$HELPERS/uml_net"
		group_lock
		# The setuid install, for runs with a root-only 0600 /dev/net/tun.
		SUID_HELPERS=$(mktemp -d /tmp/hn-uml-suid.XXXXXX)
		chmod 755 "$SUID_HELPERS"
		cp "$UMLT" "$SUID_HELPERS/uml_net"
		chmod 4755 "$SUID_HELPERS/uml_net"
	fi
	HN_UML_USER_UID=$USER_UID
	export HELPERS SUID_HELPERS TUNCTL HN_UML_USER_UID BATS_TEST_TIMEOUT=600
}

setup() {
	uml_ready
}

teardown_file() {
	log_stop
	if [ -n "${HELPERS:-}" ]; then rm -rf "$HELPERS"; fi
	if [ -n "${SUID_HELPERS:-}" ]; then rm -rf "$SUID_HELPERS"; fi
	rm -f "$UMLT_CONF"
	uml_mirror_rm
}

# guest [run-guest options] SCRIPT [KERNEL_ARG...]: boot as $USER_UID; the
# host's /dev/net must be the same before and after. $GUEST_HELPERS (default
# $HELPERS) is first in UML's PATH; $GUEST_TUN_MODE is the private node's mode.
guest() {
	local before
	before=$(stat -c '%a %u %t:%T' /dev/net/tun; findmnt -n /dev/net || true)
	run timeout 540 "$HARNESS/run-guest.sh" -k "$FIX/unpriv-kernel.sh" \
		-e "HN_UML_REAL=$UML_KERNEL" -e "HN_UML_UID=$USER_UID" \
		-e "HN_UML_TUN_MODE=${GUEST_TUN_MODE:-666}" \
		-t 500 -p "${GUEST_HELPERS:-$HELPERS}" -H "$FIX/hook.sh" -a "$FIX/hook.sh" "$@"
	[ "$(stat -c '%a %u %t:%T' /dev/net/tun; findmnt -n /dev/net || true)" = "$before" ]
}

# fact NAME: the hook's "@@ NAME: ..." lines, without the prefixes.
fact() {
	grep -E "^\[host [^]]*\] @@ $1: " <<<"$output" | sed 's/^.*@@ [^:]*: //'
}

# Every step's UML processes ran as the user with no capabilities; none left.
unprivileged() {
	[ "$(fact uml | sort -u)" = "uid $USER_UID $USER_UID $USER_UID $USER_UID capeff 0000000000000000" ]
	[ "$(fact after)" = "uml left: 0" ]
}

@test "tap mode: eth0=tuntap,tap0 on a tap our tunctl -u made for the user; pings both ways; root's tap refused" {
	guest -s "$FIX/tap-setup.sh" "$FIX/guest-tap.sh" eth0=tuntap,tap0 eth1=tuntap,tap1
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	unprivileged
	[ "$(fact tapped)" = "$(printf '%s\n' "host ping ok" 'taps ["tap0 nobody true","tap1 root true"]')" ]
	grep -qF "guest: eth1 refused" <<<"$output"
	grep -qF "TUNSETIFF failed, errno = 1" <<<"$output"
}

@test "helper mode: tap, gate, pings both ways, address change, a forbidden address refused" {
	policy "allow user nobody gate 10.0.0.1" "allow user nobody route 10.0.0.2" \
		"allow user nobody route 10.0.0.3" "allow all publish uplink0"
	guest -s "$FIX/uplink-setup.sh" "$FIX/guest-routed.sh" eth0=tuntap,,,10.0.0.1
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	unprivileged
	[ "$(fact up-10.0.0.2)" = "$(printf '%s\n' "host ping ok" 'routes ["10.0.0.2 tap0"]' \
		'proxy ["10.0.0.2 uplink0"]' 'taps ["tap0 nobody"]')" ]
	[ "$(fact changed-10.0.0.3)" = "$(printf '%s\n' "host ping ok" 'routes ["10.0.0.3 tap0"]' \
		'proxy ["10.0.0.3 uplink0"]' 'taps ["tap0 nobody"]')" ]
	[ "$(fact forbidden-10.0.1.5)" = 'routes ["10.0.0.3 tap0"]' ]
	grep -qF "uml_net: 4 add tap0 10.0.1.5 255.255.255.0: not permitted: no rule in $UMLT_CONF allows route 10.0.1.5" <<<"$output"
	[ "$(fact down)" = "$(printf '%s\n' 'taps []' 'proxy []')" ]
}

@test "setuid helper, /dev/net/tun 0600 (root only): helper mode still pings both ways" {
	policy "allow user nobody gate 10.0.0.1" "allow user nobody route 10.0.0.2" \
		"allow user nobody route 10.0.0.3" "allow all publish uplink0"
	GUEST_HELPERS=$SUID_HELPERS GUEST_TUN_MODE=600 \
		guest -s "$FIX/uplink-setup.sh" "$FIX/guest-routed.sh" eth0=tuntap,,,10.0.0.1
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	unprivileged
	[ "$(fact up-10.0.0.2)" = "$(printf '%s\n' "host ping ok" 'routes ["10.0.0.2 tap0"]' \
		'proxy ["10.0.0.2 uplink0"]' 'taps ["tap0 nobody"]')" ]
	[ "$(fact down)" = "$(printf '%s\n' 'taps []' 'proxy []')" ]
}

@test "bridge mode: eth0=tuntap without a gate joins br0; pings both ways" {
	policy "allow user nobody bridge br0"
	guest -s "$FIX/bridge-setup.sh" "$FIX/guest-bridge.sh" eth0=tuntap
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	unprivileged
	[ "$(fact bridged)" = "$(printf '%s\n' "host ping ok" 'ports ["tap0 bridge nobody"]')" ]
}

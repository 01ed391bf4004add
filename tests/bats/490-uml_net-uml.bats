#!/usr/bin/env bats
# 490-uml_net-uml.bats - a real User Mode Linux guest drives our uml_net
# (the shared harness: ../shared/uml). Runs only when a UML kernel is at hand:
# $UML_KERNEL, or the harness's cache (build-kernel.sh, ~3 min, then cached).

load helpers
load 4xx-uml_net

FIX=$BATS_TEST_DIRNAME/fixtures/uml_net

# bats 1.8 cannot skip from setup_file: it records why, and setup() skips.
setup_file() {
	HARNESS=${UML_HARNESS:-$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)/shared/uml}
	UML_KERNEL=${UML_KERNEL:-/var/cache/umlharness/linux}
	UML_SKIP=""
	if [ "$(id -u)" != 0 ]; then
		UML_SKIP="SKIP: needs root"
	elif [ ! -x "$HARNESS/run-guest.sh" ]; then
		UML_SKIP="SKIP: no UML harness at $HARNESS"
	elif [ ! -x "$UML_KERNEL" ]; then
		UML_SKIP="SKIP: no UML kernel; set UML_KERNEL or run $HARNESS/build-kernel.sh (~3 min, cached)"
	else
		uml_require
		# UML finds helpers through its PATH: a directory with our test build as uml_net.
		HELPERS=$(mktemp -d /tmp/hn-uml-path.XXXXXX)
		cp "$UMLT" "$HELPERS/uml_net"
	fi
	export HARNESS UML_KERNEL HELPERS UML_SKIP BATS_TEST_TIMEOUT=90
}

setup() {
	if [ -n "$UML_SKIP" ]; then
		echo "# $UML_SKIP" >&3
		skip "$UML_SKIP"
	fi
}

teardown_file() {
	if [ -n "${HELPERS:-}" ]; then rm -rf "$HELPERS"; fi
	rm -f "$UMLT_CONF"
}

guest() {
	run timeout 80 "$HARNESS/run-guest.sh" -k "$UML_KERNEL" -t 60 -p "$HELPERS" "$@"
}

# fact NAME: the hook's "@@ NAME: ..." lines, without the prefixes.
fact() {
	grep -E "^\[host [^]]*\] @@ $1: " <<<"$output" | sed 's/^.*@@ [^:]*: //'
}

@test "helper mode: tap, gate, pings both ways, address change, a forbidden address refused" {
	policy "allow user root gate 10.0.0.1" "allow user root route 10.0.0.2" \
		"allow user root route 10.0.0.3" "allow all publish uplink0"
	guest -s "$FIX/uplink-setup.sh" -H "$FIX/hook.sh" "$FIX/guest-routed.sh" eth0=tuntap,,,10.0.0.1
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(fact up-10.0.0.2)" = "$(printf '%s\n' "host ping ok" 'routes ["10.0.0.2 tap0"]' 'proxy ["10.0.0.2 uplink0"]')" ]
	[ "$(fact changed-10.0.0.3)" = "$(printf '%s\n' "host ping ok" 'routes ["10.0.0.3 tap0"]' 'proxy ["10.0.0.3 uplink0"]')" ]
	[ "$(fact forbidden-10.0.1.5)" = 'routes ["10.0.0.3 tap0"]' ]
	grep -qF "uml_net: 4 add tap0 10.0.1.5 255.255.255.0: not permitted: no rule in $UMLT_CONF allows route 10.0.1.5" <<<"$output"
	[ "$(fact down)" = "$(printf '%s\n' 'taps []' 'proxy []')" ]
}

@test "bridge mode: eth0=tuntap without a gate joins br0; pings both ways" {
	policy "allow user root bridge br0"
	guest -s "$FIX/bridge-setup.sh" -H "$FIX/hook.sh" "$FIX/guest-bridge.sh" eth0=tuntap
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(fact bridged)" = "$(printf '%s\n' "host ping ok" 'ports ["tap0"]')" ]
}

#!/usr/bin/env bats
# 810-uml_switch-uml.bats - real User Mode Linux guests on our uml_switch, with
# no root on the host side: the switches and all three guests run as nobody.
# Runs only when a UML kernel is at hand ($UML_KERNEL, or the harness cache);
# else every test skips with the reason.
#
# Why one run-guest.sh holds all three guests: abstract Unix socket names
# (UML's data socket, and the switch's) belong to a network namespace, so the
# guests and the switches must share one. run-guest.sh makes a namespace per
# run; its host setup script (fixtures/uml_switch/setup.sh) starts, inside that
# namespace, both switches and the peer guests B and C in the background (the
# harness's guest-init.sh, a console of their own); guest A is run-guest.sh's
# own, booted through fixtures/uml_net/unpriv-kernel.sh as nobody. Everything
# dies with the run's PID namespace.

load helpers
load uml
load uml_switch

setup_file() {
	local sw
	sw=$(readlink -f "$UML_SWITCH")
	uml_find CONFIG_UML_NET_DAEMON setpriv || true	# uml_ready says why in each test
	SWFIX=${TFIX:-$BATS_TEST_DIRNAME/fixtures}/uml_switch	# TFIX: uml_find's copy
	# the switches run as nobody: the switch under test, where nobody reaches it
	UML_SWITCH=$sw
	if [ -n "${MIRROR:-}" ]; then
		mkdir "$MIRROR/sw"
		cp "$sw" "$MIRROR/sw/uml_switch"
		chmod -R a+rX "$MIRROR/sw"
		UML_SWITCH=$MIRROR/sw/uml_switch
	fi
	export UML_SWITCH SWFIX BATS_TEST_TIMEOUT=600
}

teardown_file() {
	uml_mirror_rm
}

setup() {
	uml_ready
	SWD=$(mktemp -d /tmp/hn-swuml.XXXXXX)
	chmod 755 "$SWD"
	export SWD
}

teardown() {
	if [ -n "${SWD:-}" ]; then rm -rf "$SWD"; fi	# none when setup skipped
}

fact() {
	grep -E "^\[host [^]]*\] @@ $1: " <<<"$output" | sed 's/^.*@@ [^:]*: //'
}

@test "two guests on one switch ping each other, the host through -tap, not a guest on another switch; no root" {
	run timeout 540 "$HARNESS/run-guest.sh" -k "$SWFIX/../uml_net/unpriv-kernel.sh" \
		-e "HN_UML_REAL=$UML_KERNEL" -e HN_UML_UID=65534 -t 500 \
		-s "$SWFIX/setup.sh" -H "$SWFIX/hook.sh" -a "$SWFIX/hook.sh" \
		"$SWFIX/guest-a.sh" "eth0=daemon,fe:fd:0a:05:00:03,unix,$SWD/run/lan.ctl"
	if [ "$status" -ne 0 ]; then
		echo "$output"
		cat "$SWD"/b/console.log "$SWD"/c/console.log 2>/dev/null | tail -40
		false
	fi
	grep -qx "guest: b 0 host 0 c 1" <<<"${output//$'\r'/}"
	[ "$(fact peers)" = "b up c up" ]
	# lan: the tap and two guests, their MACs learned; lan2: guest C alone.
	[ "$(fact lan)" = '["tap","unix","unix","fe:fd:0a:05:00:02","fe:fd:0a:05:00:03"]' ]
	[ "$(fact lan2)" = '["unix","fe:fd:0a:05:00:04"]' ]
	[ "$(fact host)" = "ping b ok" ]
	[ "$(fact neigh)" = '["10.5.0.2","10.5.0.3"]' ]
	# Both switches ran as nobody; each guest's attach was logged.
	[ "$(fact users)" = 65534 ]
	[ "$(fact log | grep -c ' attached: pid [0-9]* uid 65534 v3 data @')" = 3 ]
}

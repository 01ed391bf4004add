#!/usr/bin/env bats
# 450-qemu-bridge-helper.bats - uml_net as QEMU's bridge helper
# (hostnet-bridge-helper, uml_net.8 "QEMU"): a real qemu-system-x86_64 run
# as nobody with -netdev bridge,helper=..., the reply shape driven directly,
# the policy's bridge rules and tap limit, audit lines, bad arguments, and a
# differential against Debian's qemu-bridge-helper.
# shellcheck disable=SC2016 # shell snippets in single quotes run later, inside the namespace
# shellcheck disable=SC2086 # $QSIDE is "python3 script": two words on purpose
# shellcheck disable=SC2076 # quoted right-hand sides of =~ are literal substrings on purpose

load helpers
load uml_net

QEMU=${QEMU:-/usr/bin/qemu-system-x86_64}
REF_QEMU_BRIDGE_HELPER=${REF_QEMU_BRIDGE_HELPER:-/usr/lib/qemu/qemu-bridge-helper}

setup_file() {
	ns_setup_file
	uml_require
	unpriv_copies
	QSIDE="${PYTHON3:-/usr/bin/python3} $UFIX/qemu_side.py"
	export QSIDE
	# The helper is uml_net called by QEMU's helper name: a link, as installed.
	ln -s uml_net_cap "$UDIR/hostnet-bridge-helper"
	mkdir "$UDIR/diverted"
	ln -s ../uml_net_cap "$UDIR/diverted/qemu-bridge-helper"
	export BATS_TEST_TIMEOUT=600
	ip -n "$NS" link add br0 type bridge
	ip -n "$NS" link set br0 mtu 1400 up
	ip -n "$NS" link add br1 type bridge
	ip -n "$NS" link set br1 up
}

teardown_file() {
	uml_teardown
}

# What a failed test left in /tmp (a passing one removes it itself).
teardown() {
	if [ -n "${QERR:-}" ]; then rm -f "$QERR"; fi
	if [ -n "${PAR_OUT:-}" ]; then rm -rf "$PAR_OUT"; fi
}

setup() {
	[ -x "$QEMU" ] || unavailable "needs $QEMU (apt-get install qemu-system-x86)"
	policy "allow user nobody bridge br0" "allow user nobody taps 2"
}

# qemu_args HELPER [BRIDGE]: a QEMU that starts, makes its netdev and waits.
qemu_args() {
	printf '%s\n' "$QEMU" -M none -S -display none -nodefaults -monitor none -serial none \
		-netdev "bridge,id=n0,br=${2:-br0},helper=$1"
}

# qemu_start UID HELPER [BRIDGE]: QEMU in the background as UID in $NS; $QPID.
qemu_start() {
	local uid=$1 helper=$2 br=${3:-br0}
	QERR=$(mktemp /tmp/hn-qemu-err.XXXXXX)
	mapfile -t args < <(qemu_args "$helper" "$br")
	as_user "$uid" "${args[@]}" </dev/null >/dev/null 2>"$QERR" 3>&- &
	QPID=$!
}

# qemu_stop: end that QEMU (SIGTERM to every process in $NS: $QPID is only
# the wrapper, and QEMU is its grandchild), and wait for it.
qemu_stop() {
	local p
	for p in $(ip netns pids "$NS"); do kill "$p" 2>/dev/null || true; done
	kill "$QPID" 2>/dev/null || true
	wait "$QPID" 2>/dev/null || true
	wait_for ns_idle
	rm -f "$QERR"
}

ns_idle() { [ -z "$(ip netns pids "$NS")" ]; }

# The taps on bridge $1 (default br0): name, mtu, MAC's first byte, alias, tun info.
taps_on() {
	ip -n "$NS" -d -j link show master "${1:-br0}" | jq -c '[.[] | {ifname, mtu,
		mac0: (.address | split(":")[0]), ifalias, up: (.flags | index("UP") != null),
		info: (.linkinfo.info_data | del(.numqueues, .numdisabled))}]'
}

# wait_taps N [BRIDGE]: until exactly N taps are on the bridge (ceiling 120 s, for hangs only).
wait_taps() {
	local i
	for i in $(seq 1200); do
		[ "$(taps_on "${2:-br0}" | jq length)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_log RE: until the last syslog record matches RE; prints it.
wait_log() {
	local i
	for i in $(seq 600); do
		if log_records | tail -n 1 | grep -q -- "$1"; then
			log_records | tail -n 1
			return 0
		fi
		sleep 0.1
	done
	return 1
}

@test "QEMU as nobody, file capability: a vnet_hdr tap on br0, marked and owned, gone when QEMU exits" {
	qemu_start 65534 "$UDIR/hostnet-bridge-helper"
	wait_taps 1
	run -0 taps_on
	[ "$output" = '[{"ifname":"tap0","mtu":1400,"mac0":"fe","ifalias":"uml_net uid=65534","up":true,"info":{"type":"tap","pi":false,"vnet_hdr":true,"multi_queue":false,"persist":false,"user":"nobody"}}]' ]
	run -0 wait_log 'bridge-helper'
	[[ "$output" =~ ^"86 uml_net: uid 65534: bridge-helper --use-vnet --fd="[0-9]+" --br=br0: granted: tap0"$ ]]
	qemu_stop
	wait_taps 0
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "QEMU as nobody, setuid root with a 0600 /dev/net/tun and --qemu: the same tap" {
	TUN_MODE=600 qemu_start 65534 "$UDIR/uml_net_suid --qemu"
	wait_taps 1
	run -0 taps_on
	[ "$(jq -c '.[0] | [.ifalias, .info.user, .info.vnet_hdr, .up]' <<<"$output")" = '["uml_net uid=65534","nobody",true,true]' ]
	qemu_stop
	wait_taps 0
}

@test "a bridge the policy does not grant: QEMU's own error, our reason, a refusal logged, nothing made" {
	before=$(host_state)
	mapfile -t args < <(qemu_args "$UDIR/hostnet-bridge-helper" br1)
	run -1 --separate-stderr as_user 65534 "${args[@]}"
	[ "${stderr_lines[0]}" = "uml_net: bridge-helper --use-vnet --fd=${stderr_lines[0]#*--fd=}" ]
	[[ "${stderr_lines[0]}" =~ ": not permitted: no rule in $UMLT_CONF allows bridge br1"$ ]]
	[ "${stderr_lines[1]}" = "qemu-system-x86_64: -netdev bridge,id=n0,br=br1,helper=$UDIR/hostnet-bridge-helper: bridge helper failed" ]
	run -0 wait_log 'bridge-helper'
	[[ "$output" =~ ^"84 uml_net: uid 65534: bridge-helper --use-vnet --fd="[0-9]+" --br=br1: refused: no rule in $UMLT_CONF allows bridge br1"$ ]]
	[ "$(host_state)" = "$before" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "deny beats allow, and a user with no rule at all is refused (deny by default)" {
	policy "allow all bridge br0" "deny user nobody bridge br0"
	run -0 as_user 65534 $QSIDE "$UDIR/hostnet-bridge-helper" --br=br0
	[ "$(jq -c '[.exit, .bytes, .nfds]' <<<"$output")" = '[1,0,0]' ]
	[[ "$(jq -r .stderr <<<"$output")" =~ "not permitted: bridge br0 denied by $UMLT_CONF:2" ]]
	policy "allow user 1000 bridge br0"
	run -0 as_user 65534 $QSIDE "$UDIR/hostnet-bridge-helper" --br=br0
	[[ "$(jq -r .stderr <<<"$output")" =~ "not permitted: no rule in $UMLT_CONF allows bridge br0" ]]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "the reply QEMU's recv_fd expects: one byte and one fd; without --use-vnet no vnet header" {
	run -0 as_user 65534 $QSIDE "$UDIR/hostnet-bridge-helper" --br=br0 -- \
		'ip -d -j link show dev $TAP | jq -c ".[0] | [.master, .linkinfo.info_data.vnet_hdr, .linkinfo.info_data.persist]"'
	[ "$(sed -n 1p <<<"$output" | jq -c '[.exit, .bytes, .nfds, .name, .stderr]')" = '[0,1,1,"tap0",""]' ]
	[ "$(sed -n 2p <<<"$output")" = '["br0",false,false]' ]
	[ "$(tun_state "$NS")" = "[]" ]
	# QEMU's own helper name (a dpkg-divert, uml_net.8) selects the mode too.
	run -0 as_user 65534 $QSIDE "$UDIR/diverted/qemu-bridge-helper" --use-vnet --br=br0
	[ "$(jq -c '[.exit, .bytes, .nfds, .name, .stderr]' <<<"$output")" = '[0,1,1,"tap0",""]' ]
}

@test "the tap limit is the policy's, counted by mark across UML and QEMU taps" {
	policy "allow user nobody bridge br0" "allow user nobody taps 1"
	qemu_start 65534 "$UDIR/hostnet-bridge-helper"
	wait_taps 1
	run -0 as_user 65534 $QSIDE "$UDIR/hostnet-bridge-helper" --br=br0
	[ "$(jq -c '[.exit, .nfds]' <<<"$output")" = '[1,0]' ]
	[[ "$(jq -r .stderr <<<"$output")" =~ "not permitted: you already own 1 taps (limit 1)" ]]
	run -0 as_user 65534 "$UDIR/uml_side" dgram "$UDIR/uml_net_cap" 4 tuntap up
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,false' ]
	qemu_stop
	wait_taps 0
	policy "allow user nobody bridge br0" "allow user nobody taps 0"
	run -0 as_user 65534 $QSIDE "$UDIR/hostnet-bridge-helper" --br=br0
	[[ "$(jq -r .stderr <<<"$output")" =~ "not permitted: no taps allowed" ]]
}

@test "bad arguments: long or odd bridge names, a missing, repeated or bad --fd, unknown words; exit 1, nothing made" {
	local h="$UDIR/hostnet-bridge-helper"
	before=$(host_state)
	run -0 as_user 65534 $QSIDE "$h" --br=br0123456789abcd
	[ "$(jq -c '[.exit, .nfds, .stderr]' <<<"$output")" = '[1,0,"uml_net: --br: '"'br0123456789abcd'"': interface name longer than 15 bytes\n"]' ]
	run -0 as_user 65534 $QSIDE "$h" --br=br0/x
	[[ "$(jq -r .stderr <<<"$output")" =~ "'br0/x': '/' and ':' are not allowed" ]]
	run -0 as_user 65534 $QSIDE "$h" --br="$(printf 'b\033r')"
	[ "$(jq -r .exit <<<"$output")" = 1 ]
	run -0 as_user 65534 $QSIDE "$h" --br=br0 --br=br0
	[[ "$(jq -r .stderr <<<"$output")" =~ "'--br=br0': unknown or repeated argument" ]]
	run -0 as_user 65534 $QSIDE "$h" --br=br0 --fd=3
	[[ "$(jq -r .stderr <<<"$output")" =~ "unknown or repeated argument" ]]
	run -0 as_user 65534 $QSIDE "$h" --br=br0 --verbose
	[[ "$(jq -r .stderr <<<"$output")" =~ "'--verbose': unknown or repeated argument" ]]
	run -1 --separate-stderr as_user 65534 "$h" --br=br0
	[ "${stderr_lines[0]}" = "uml_net: --br=BRIDGE and --fd=N are both required" ]
	run -1 --separate-stderr as_user 65534 "$h" --br=br0 --fd=+3
	[ "$stderr" = "uml_net: --fd: '+3': not a descriptor number" ]
	# A descriptor that is not QEMU's socket: stdout, a file, nothing open.
	run -1 --separate-stderr as_user 65534 "$h" --br=br0 --fd=1
	[[ "$stderr" =~ ^"uml_net: --fd=1: not a UNIX-domain stream socket above 2" ]]
	run -1 --separate-stderr as_user 65534 sh -c 'exec "$0" --br=br0 --fd=5 5>/dev/null' "$h"
	[[ "$stderr" =~ ^"uml_net: --fd=5: not a UNIX-domain stream socket above 2" ]]
	run -1 --separate-stderr as_user 65534 "$h" --br=br0 --fd=7
	[[ "$stderr" =~ ^"uml_net: --fd=7: not a UNIX-domain stream socket above 2" ]]
	[ "$(host_state)" = "$before" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "a bridge granted by name that is not a bridge: refused with the reason, the tap goes" {
	ip -n "$NS" link add notbr type veth peer name notbr1
	policy "allow user nobody bridge notbr"
	run -0 as_user 65534 $QSIDE "$UDIR/hostnet-bridge-helper" --br=notbr
	[ "$(jq -c '[.exit, .nfds, .stderr]' <<<"$output")" = '[1,0,"uml_net: notbr: not a bridge\n"]' ]
	ip -n "$NS" link del notbr
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "the environment is not QEMU's to pass: LD_PRELOAD and friends change nothing" {
	run -0 --separate-stderr as_user 65534 env LD_PRELOAD=/nonexistent/x.so NLDBG=4 NLCB=debug \
		$QSIDE "$UDIR/hostnet-bridge-helper" --br=br0
	[ "$(jq -c '[.exit, .nfds, .stderr]' <<<"$output")" = '[0,1,""]' ]
}

@test "10 concurrent QEMU helper calls under taps 4: exactly 4 taps, the rest refused" {
	local i out pids=()
	policy "allow user nobody bridge br0" "allow user nobody taps 4"
	out=$(mktemp -d /tmp/hn-qemu-par.XXXXXX)
	PAR_OUT=$out
	chmod 1777 "$out"
	for i in $(seq 10); do
		as_user 65534 $QSIDE "$UDIR/hostnet-bridge-helper" --br=br0 -- \
			"while [ ! -e $out/done ]; do sleep 0.1; done" >"$out/$i" 2>&1 3>&- &
		pids+=($!)
	done
	for i in $(seq 1200); do
		[ "$(cat "$out"/[0-9]* | grep -c '^{')" = 10 ] && break
		sleep 0.1
	done
	[ "$(taps_on | jq length)" = 4 ]
	[ "$(cat "$out"/[0-9]* | grep '^{' | jq -s -c 'group_by(.exit) | map([.[0].exit, length])')" = '[[0,4],[1,6]]' ]
	touch "$out/done"
	wait "${pids[@]}"
	rm -rf "$out"
	wait_taps 0
}

# ref_helper_in CMD...: CMD as root in $NS and in a private mount namespace
# whose /etc/qemu/bridge.conf says "allow br0" (an overlay on /etc: the
# system's /etc is never written).
ref_helper_in() {
	local d
	d=$(mktemp -d /tmp/hn-qemu-etc.XXXXXX)
	mkdir -p "$d/upper/qemu" "$d/work"
	echo "allow br0" >"$d/upper/qemu/bridge.conf"
	timeout 120 ip netns exec "$NS" unshare -m sh -c 'mount --make-rprivate / &&
		mount -t overlay overlay -o lowerdir=/etc,upperdir="$0/upper",workdir="$0/work" /etc &&
		shift && exec "$@"' "$d" "$@"
	rc=$?
	rm -rf "$d"
	return $rc
}

@test "differential: Debian's qemu-bridge-helper and ours give QEMU the same tap (allowed case)" {
	[ -x "$REF_QEMU_BRIDGE_HELPER" ] || unavailable "needs $REF_QEMU_BRIDGE_HELPER (qemu-system-common)"
	policy "allow user root bridge br0"
	local view='ip -d -j link show master br0 | jq -c "[.[] | {mtu, mac0: (.address | split(\":\")[0]),
		up: (.flags | index(\"UP\") != null), info: (.linkinfo.info_data | del(.numqueues, .numdisabled, .user))}]"'
	run -0 ref_helper_in $QSIDE "$REF_QEMU_BRIDGE_HELPER" --use-vnet --br=br0 -- "$view"
	ref=$output
	[ "$(sed -n 1p <<<"$ref" | jq -c '[.exit, .bytes, .nfds]')" = '[0,1,1]' ]
	run -0 in_ns $QSIDE "$UMLT" --qemu --use-vnet --br=br0 -- "$view"
	[ "$(sed -n 1p <<<"$output" | jq -c '[.exit, .bytes, .nfds, .stderr]')" = '[0,1,1,""]' ]
	[ "$(sed -n 2p <<<"$output")" = "$(sed -n 2p <<<"$ref")" ]
	[ "$(sed -n 2p <<<"$output")" = '[{"mtu":1400,"mac0":"fe","up":true,"info":{"type":"tap","pi":false,"vnet_hdr":true,"multi_queue":false,"persist":false}}]' ]
}

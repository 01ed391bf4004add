#!/usr/bin/env bats
# 430-uml_net-security.bats - as an unprivileged user against a file-capability
# copy and a setuid copy: grants, refusals, --check, env attacks, closed
# stdio, 50 concurrent callers.
# shellcheck disable=SC2016 # shell snippets in single quotes run later, inside the namespace

load helpers
load uml_net

setup_file() {
	ns_setup_file
	uml_require
	unpriv_copies
	cp "$UMLT" "$UDIR/uml_net_plain"
	OUT=$(mktemp -d /tmp/hn-uml-out.XXXXXX)
	chmod 1777 "$OUT"
	export BATS_TEST_TIMEOUT=600 OUT
	uplink
}

teardown_file() {
	rm -rf "${OUT:-/nonexistent}"
	uml_teardown
}

setup() {
	policy "allow user nobody gate 10.0.0.1" "allow user nobody route 10.0.0.0/24" \
		"allow all publish uplink0" "allow user nobody taps 60"
}

# A test that failed half-way may leave a helper or a tap holder running in
# the file's namespace: end them, so the next test starts from nothing.
teardown() {
	local p
	for p in $(ip netns pids "$NS"); do kill "$p" 2>/dev/null; done
	wait_for ns_idle
}

ns_idle() { [ -z "$(ip netns pids "$NS")" ]; }

TAPINFO='ip -d -j link show dev "$TAP" | jq -c ".[0].linkinfo.info_data"'

# nobody_up HELPER [-x CMDS]: tuntap up 10.0.0.1 as uid 65534 through HELPER.
nobody_up() {
	local helper=$1; shift
	run -0 --separate-stderr as_user 65534 "$UDIR/uml_side" "$@" dgram "$UDIR/$helper" 4 tuntap up 10.0.0.1
}

@test "file capability: nobody gets a non-persistent tap it owns, and routes to it" {
	nobody_up uml_net_cap -x "$TAPINFO"'; "$UDIR/uml_side" stream "$UDIR/uml_net_cap" 4 add "$TAP" 10.0.0.2 255.255.255.0;
		ip -j route show dev "$TAP" | jq -c "[.[] | .dst + \" \" + .protocol]"'
	[ "$(field "$output" '[.exit, .fd, .name] | @csv')" = '0,true,"tap0"' ]
	[ "$(sed -n 2p <<<"$output")" = '{"type":"tap","pi":false,"vnet_hdr":false,"multi_queue":false,"persist":false,"user":"nobody"}' ]
	[ "$(sed -n 3p <<<"$output" | jq -r .text)" = "$(printf '%s\n' "uml_net: tap0: route 10.0.0.2 added" "uml_net: uplink0: proxy entry published")" ]
	[ "$(sed -n 4p <<<"$output")" = '["10.0.0.2 117"]' ]
	[ "$(tun_state "$NS")" = "[]" ]
	ip -n "$NS" neigh del proxy 10.0.0.2 dev uplink0
}

@test "setuid root: the same, as the caller" {
	nobody_up uml_net_suid -x "$TAPINFO"
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,true' ]
	[ "$(sed -n 2p <<<"$output" | jq -r .user)" = nobody ]
}

@test "setuid root with a 0600 /dev/net/tun: the tap still comes (opened before the drop)" {
	TUN_MODE=600 nobody_up uml_net_suid -x "$TAPINFO"
	[ "$(field "$output" '[.exit, .fd, .name] | @csv')" = '0,true,"tap0"' ]
	[ "$(sed -n 2p <<<"$output" | jq -r .user)" = nobody ]
}

@test "file capability with a 0600 /dev/net/tun: no tap, and the answer says why" {
	TUN_MODE=600 nobody_up uml_net_cap
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,false' ]
	[ "$(field "$output" .text)" = "uml_net: /dev/net/tun: open: Permission denied" ]
}

@test "without privileges the helper can only fail, and still answers" {
	nobody_up uml_net_plain
	[ "$(field "$output" '[.exit, .fd, .nul] | @csv')" = '0,false,true' ]
	[ "$(field "$output" .text)" = "uml_net: TUNSETIFF: Operation not permitted" ]
}

@test "denied for real: a gate not granted, and someone else's tap; nothing changes" {
	local before
	before=$(host_state)
	run -0 as_user 65534 "$UDIR/uml_side" dgram "$UDIR/uml_net_cap" 4 tuntap up 10.0.0.9
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,false' ]
	[ "$(field "$output" .text)" = "uml_net: 4 tuntap up 10.0.0.9: not permitted: no rule in $UMLT_CONF allows gate 10.0.0.9" ]
	ip -n "$NS" tuntap add dev roottap mode tap
	before=$(host_state)
	run -0 as_user 65534 "$UDIR/uml_side" stream "$UDIR/uml_net_suid" 4 add roottap 10.0.0.5 255.255.255.0
	[ "$(field "$output" '[.exit, .nul] | @csv')" = '1,true' ]
	[ "$(field "$output" .text)" = "uml_net: 4 add roottap 10.0.0.5 255.255.255.0: not permitted: roottap is not a tap uml_net made for uid 65534" ]
	[ "$(host_state)" = "$before" ]
	ip -n "$NS" tuntap del dev roottap mode tap
	policy "allow all gate 10.0.0.1" "deny user nobody"
	run -0 as_user 65534 "$UDIR/uml_side" dgram "$UDIR/uml_net_cap" 4 tuntap up 10.0.0.1
	[ "$(field "$output" .text)" = "uml_net: 4 tuntap up 10.0.0.1: not permitted: gate 10.0.0.1 denied by $UMLT_CONF:2" ]
}

@test "--check as nobody: verdicts, exit 0/1/2, no privileges needed" {
	run -0 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check 4 tuntap up 10.0.0.1
	[ "$output" = "uml_net: 4 tuntap up 10.0.0.1: permitted: gate 10.0.0.1 allowed by $UMLT_CONF:1" ]
	run -1 --separate-stderr as_user 65534 "$UDIR/uml_net_plain" --check 4 add tap3 10.0.1.5 255.255.255.0
	[ "$output" = "uml_net: 4 add tap3 10.0.1.5 255.255.255.0: not permitted: no rule in $UMLT_CONF allows route 10.0.1.5" ]
	run -2 --separate-stderr as_user 65534 "$UDIR/uml_net_plain" --check 4 add tap3 10.0.1.05 255.255.255.0
	[ "$stderr" = "uml_net: add: '10.0.1.05': not a dotted-quad IPv4 address" ]
	run -0 --separate-stderr as_user 65534 "$UDIR/uml_net_plain" --check
	[ "$output" = "$UMLT_CONF: 4 rules, syntax ok" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "--check --config: another file, only in --check, errors as file:line" {
	local f=$OUT/draft.conf
	printf '%s\n' "allow user nobody gate 10.0.0.0/24" "# fine" "allow user nobody gaet 1.2.3.4" "deny al" >"$f"
	chmod 644 "$f"
	run -2 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check --config "$f"
	[ "$stderr" = "$(printf '%s\n' "uml_net: $f:3: unknown keyword \"gaet\"" \
		"uml_net: $f:4: unknown subject \"al\" (all, user or group)")" ]
	printf '%s\n' "allow user nobody gate 10.0.0.0/24" >"$f"
	run -0 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check --config "$f" 4 tuntap up 10.0.0.7
	[ "$output" = "uml_net: 4 tuntap up 10.0.0.7: permitted: gate 10.0.0.7 allowed by $f:1" ]
	# The real thing never reads another file.
	run -0 --separate-stderr as_user 65534 "$UDIR/uml_side" dgram "$UDIR/uml_net_suid" --config "$f" 4 tuntap up 10.0.0.7
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '1,false' ]
	[ "$stderr" = "Version mismatch - requested version --config, uml_net supports up to version 4" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "--check cannot read what the caller cannot read" {
	run -1 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check --config /etc/shadow
	[ "$stderr" = "uml_net: /etc/shadow: Permission denied" ]
	[ "$output" = "" ]
}

@test "environment attacks: LD_PRELOAD, BASH_ENV, exported functions, MODPROBE_OPTIONS" {
	printf '%s\n' '#define _GNU_SOURCE' '#include <stdio.h>' '#include <string.h>' '#include <errno.h>' \
		'__attribute__((constructor)) static void pwn(void) {' \
		'  if (strstr(program_invocation_name, "uml_net")) fclose(fopen("'"$OUT"'/pwned-preload", "w")); }' \
		>"$OUT/evil.c"
	cc -shared -fPIC -o "$OUT/evil.so" "$OUT/evil.c"
	printf 'touch %s/pwned-bashenv\n' "$OUT" >"$OUT/bashenv"
	printf 'install tun touch %s/pwned-modprobe\n' "$OUT" >"$OUT/modprobe.conf"
	chmod 755 "$OUT"/*
	for helper in uml_net_cap uml_net_suid; do
		# verify_asan_link_order: only for the SAN build of the emulator itself.
		run -0 as_user 65534 env ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" LD_PRELOAD="$OUT/evil.so" BASH_ENV="$OUT/bashenv" \
			"BASH_FUNC_echo%%=() { touch $OUT/pwned-func; }" \
			MODPROBE_OPTIONS="-C $OUT/modprobe.conf" PATH="$OUT:$PATH" \
			"$UDIR/uml_side" dgram "$UDIR/$helper" 4 tuntap up 10.0.0.1
		[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,true' ]
	done
	run ls "$OUT"
	[ "$(grep -c '^pwned' <<<"$output")" = 0 ]
}

@test "libnl's environment (NLDBG, NLCB) is ignored: no debug output, setuid or file capability" {
	local helper
	for helper in uml_net_suid uml_net_cap; do
		run -0 --separate-stderr as_user 65534 env NLDBG=7 NLCB=debug \
			"$UDIR/uml_side" dgram "$UDIR/$helper" 4 tuntap up 10.0.0.1
		[ "$(field "$output" '[.exit, .fd, .name] | @csv')" = '0,true,"tap0"' ]
		[ "$stderr" = "" ]
	done
}

@test "a privilege drop that fails stops at once: nothing parsed, no answer, exit 1" {
	# The caller's inherited seccomp filter fails setresuid: the drop cannot finish.
	cc -Wall -o "$OUT/deny-setuid" "$BATS_TEST_DIRNAME/fixtures/uml_net/deny-setuid.c" -lcap-ng
	run -0 --separate-stderr in_ns sh -c 'mount -t tmpfs -o mode=755 tmpfs /dev/net &&
		mknod -m 666 /dev/net/tun c 10 200 && exec "$@"' sh \
		"$OUT/deny-setuid" 65534 "$UDIR/uml_side" dgram "$UDIR/uml_net_suid" 4 tuntap up 10.0.0.1
	[ "$(field "$output" '[.exit, .fd, .text] | @csv')" = '1,false,""' ]
	[ "$stderr" = "uml_net: cannot drop privileges; nothing done" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "the lock is not the policy file: a caller holding flock on the policy blocks nobody" {
	run -0 --separate-stderr as_user 65534 flock "$UMLT_CONF" \
		"$UDIR/uml_side" dgram "$UDIR/uml_net_cap" 4 tuntap up 10.0.0.1
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,true' ]
}

@test "setuid: the lock is root's 0600 file under /run, made before the drop; callers cannot open it" {
	rm -f "$UMLT_LOCK"
	nobody_up uml_net_suid
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,true' ]
	[ "$(stat -c '%F %a %u' "$UMLT_LOCK")" = "regular empty file 600 0" ]
	run -66 --separate-stderr as_user 65534 flock -n "$UMLT_LOCK" true
	[ "$stderr" = "flock: cannot open lock file $UMLT_LOCK: Permission denied" ]
	# A lock others could write is not trusted: nothing is done.
	chmod 0666 "$UMLT_LOCK"
	nobody_up uml_net_suid
	[ "$(field "$output" '[.exit, .fd, .text] | @csv')" = \
		'0,false,"uml_net: '"$UMLT_LOCK"': lock: not a regular file owned by root and writable by root only'$'\n''"' ]
	group_lock
}

@test "a caller that never reads fd 1: the lock is released first, the answer gives up, the tap goes" {
	local i pid
	as_user 65534 "${PYTHON3:-/usr/bin/python3}" "$UFIX/stuffed.py" \
		"$UDIR/uml_net_cap" 4 tuntap up 10.0.0.1 >"$OUT/stuffed.json" 3>&- &
	pid=$!
	for i in $(seq 1200); do
		[ "$(tun_state "$NS" | jq length)" = 1 ] && break
		sleep 0.1
	done
	[ "$(tun_state "$NS" | jq length)" = 1 ]
	# The first call has its tap and waits on fd 1; a second one is not held up.
	nobody_up uml_net_cap
	[ "$(field "$output" '[.exit, .fd, .name] | @csv')" = '0,true,"tap1"' ]
	wait "$pid"
	[ "$(jq -c . "$OUT/stuffed.json")" = '{"exit":1,"stderr":"uml_net: descriptor 1: the answer was not taken within 10 s; given up\n"}' ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "add under every descriptor limit: all of it (route, proxy_arp, proxy entry) or none of it" {
	local n ex routes proxies arp ok=0 failed=0
	# Numeric ids: no NSS lookup (which needs descriptors of its own).
	policy "allow user 65534 gate 10.0.0.1" "allow user 65534 route 10.0.0.0/24" \
		"allow all publish uplink0" "allow user 65534 taps 60"
	nobody_up uml_net_cap -x "'$UFIX/fd-limits.sh'"' "$UDIR/uml_net_cap" "$UDIR/uml_side" 10.0.0.2'
	[ "$(field "$output" .fd)" = true ]
	while read -r n ex routes proxies arp; do
		echo "limit $n: exit $ex, routes $routes, proxy entries $proxies, proxy_arp $arp"
		if [ "$ex" = 0 ]; then
			[ "$routes $proxies $arp" = "1 1 1" ]
			ok=$((ok + 1))
		else
			[ "$routes $proxies $arp" = "0 0 0" ]
			failed=$((failed + 1))
		fi
	done < <(sed 1d <<<"$output")
	[ "$ok" -gt 0 ] && [ "$failed" -gt 0 ]
}

@test "the policy path: no symbolic links, every directory root's and writable by root only" {
	local dir want
	dir=$(dirname "$UMLT_CONF")
	want="uml_net: 4 tuntap up 10.0.0.1: not permitted: $UMLT_CONF: ignored:"
	# A symbolic link to another root-owned policy is not followed.
	mv "$UMLT_CONF" "$dir/other.conf"
	ln -s other.conf "$UMLT_CONF"
	run -1 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check 4 tuntap up 10.0.0.1
	[ "$output" = "$want a symbolic link or a non-directory on its path" ]
	rm "$UMLT_CONF"
	mv "$dir/other.conf" "$UMLT_CONF"
	run -0 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check 4 tuntap up 10.0.0.1
	# A directory on the way that a user owns, or that its group may write.
	chown 65534 "$dir"
	run -1 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check 4 tuntap up 10.0.0.1
	[ "$output" = "$want directory $dir must be owned by root and writable by root only" ]
	chown 0 "$dir"
	chmod 775 "$(dirname "$dir")"
	run -1 --separate-stderr as_user 65534 "$UDIR/uml_net_suid" --check 4 tuntap up 10.0.0.1
	[ "$output" = "$want directory $(dirname "$dir") must be owned by root and writable by root only" ]
	chmod 755 "$(dirname "$dir")"
	nobody_up uml_net_cap
	[ "$(field "$output" '[.exit, .fd] | @csv')" = '0,true' ]
}

@test "a tap's holder can persist and re-own it: still counted, still its, and cleaned up after" {
	local py="${PYTHON3:-/usr/bin/python3} $UFIX/tapfd.py" i
	policy "allow user nobody gate 10.0.0.1" "allow user nobody taps 2"
	# Re-owned to root, the held tap still counts: a 2nd tap, not a 3rd.
	nobody_up uml_net_cap -x "$py owner 0 -- \"\$UDIR/uml_side\" -x '\"\$UDIR/uml_side\" dgram \"\$UDIR/uml_net_cap\" 4 tuntap up 10.0.0.1' dgram \"\$UDIR/uml_net_cap\" 4 tuntap up 10.0.0.1"
	[ "$(jq -sc 'map(.fd)' <<<"$output")" = '[true,true,false]' ]
	[ "$(sed -n 3p <<<"$output" | jq -r .text)" = "uml_net: 4 tuntap up 10.0.0.1: not permitted: you already own 2 taps (limit 2)" ]
	# Persisted and handed to root six times: each left-behind tap is
	# deleted by the next call, so one remains, still marked as nobody's.
	for i in 1 2 3 4 5 6; do
		nobody_up uml_net_cap -x "$py persist owner 0"
		[ "$(field "$output" .fd)" = true ]
	done
	[ "$(ip -n "$NS" -j link show type tun | jq -c '[.[] | .ifalias]')" = '["uml_net uid=65534"]' ]
	nobody_up uml_net_cap
	[ "$(field "$output" .text | head -n 1)" = "uml_net: tap0: left behind by an earlier guest (persistent, unused); deleted" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "bridge mode: the holder re-MACs its tap lower than the bridge's; the bridge keeps its address" {
	local py="${PYTHON3:-/usr/bin/python3} $UFIX/tapfd.py" before
	ip -n "$NS" link add brpin0 type bridge
	ip -n "$NS" link add pinport0 type veth peer name pinpeer0
	ip -n "$NS" link set pinport0 master brpin0
	ip -n "$NS" link set brpin0 up
	before=$(ip -n "$NS" -j link show brpin0 | jq -r '.[0].address')
	policy "allow user nobody bridge brpin0"
	nobody_up uml_net_cap -x "$py hwaddr 00:00:00:00:00:01 -- sh -c 'ip -j link show \$TAP; ip -j link show brpin0'"
	local tapmac brmac
	tapmac=$(sed -n 2p <<<"$output" | jq -r '.[0].address')
	brmac=$(sed -n 3p <<<"$output" | jq -r '.[0].address')
	ip -n "$NS" link del brpin0
	ip -n "$NS" link del pinport0
	[ "$tapmac" = 00:00:00:00:00:01 ]
	[ "$brmac" = "$before" ]
}

@test "add on a persistent tap uml_net did not make is refused, even when the caller owns it" {
	ip -n "$NS" tuntap add dev ptap0 mode tap user 65534
	run -0 --separate-stderr as_user 65534 "$UDIR/uml_side" stream "$UDIR/uml_net_cap" 4 add ptap0 10.0.0.2 255.255.255.0
	ip -n "$NS" tuntap del dev ptap0 mode tap
	[ "$(field "$output" '[.exit, .text] | @csv')" = \
		'1,"uml_net: 4 add ptap0 10.0.0.2 255.255.255.0: not permitted: ptap0 is not a tap uml_net made for uid 65534'$'\n''"' ]
	[ "$(ip -n "$NS" -j route show 10.0.0.2)" = "[]" ]
}

@test "blocked and ignored signals, an alarm, CPU and core limits are reset; then no_new_privs and seccomp" {
	local pid="" i
	as_user 65534 "${PYTHON3:-/usr/bin/python3}" "$UFIX/stuffed.py" --hostile \
		"$UDIR/uml_net_suid" 4 tuntap up 10.0.0.1 >"$OUT/hostile.json" 3>&- &
	# The helper waits on its unread fd 1: look at it then.
	for i in $(seq 1200); do
		# this test's helper: in this test's namespace (other runs may have one)
		pid=$(ip netns pids "$NS" | while read -r p; do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = uml_net_suid ] && echo "$p"; done | head -n 1)
		# past its start-up: the setuid copy has dropped to uid 65534 (the reset
		# of signals and limits comes before the drop)
		[ -n "$pid" ] && grep -qE '^Uid:[[:space:]]+65534[[:space:]]+65534[[:space:]]' "/proc/$pid/status" 2>/dev/null &&
			[ "$(tun_state "$NS" | jq length)" -ge 1 ] && break
		sleep 0.1
	done
	[ -n "$pid" ]
	grep -E '^(Uid|Sig(Blk|Ign|Cgt)|Seccomp|NoNewPrivs):' "/proc/$pid/status"	# shown on failure
	run -0 grep -E '^(Sig(Blk|Ign)|Seccomp|NoNewPrivs):' "/proc/$pid/status"
	[ "${lines[0]}" = "SigBlk:	0000000000000000" ]
	# SIGPIPE only, glibc's own signals 32 and 33 aside: libc refuses to reset
	# those (a known gap: uml_net resets 1-31 and 34-64; an ignored 32 or 33
	# inherited from the caller stays ignored)
	[ "$(( 16#${lines[1]#SigIgn:$'\t'} & ~0x180000000 ))" = "$(( 0x1000 ))" ]
	[ "${lines[2]}" = "NoNewPrivs:	1" ]
	# The allow-list (uml_net/confine.c; not in sanitizer builds, nor off x86-64).
	if [ "$(uname -m)" = x86_64 ] && ! nm "$UMLT" 2>/dev/null | grep -q __asan_init; then
		[ "${lines[3]}" = "Seccomp:	2" ]
	fi
	run -0 grep -E '^Max (cpu time|core file size) ' "/proc/$pid/limits"
	[ "$(tr -s ' ' <<<"${lines[0]}" | sed 's/ $//')" = "Max cpu time unlimited unlimited seconds" ]
	[ "$(tr -s ' ' <<<"${lines[1]}" | sed 's/ $//')" = "Max core file size 0 0 bytes" ]
	wait "$!"
	[ "$(jq -r .exit "$OUT/hostile.json")" = 1 ]
}

@test "closed stdin and stderr: still one correct answer" {
	run -0 as_user 65534 sh -c 'exec 0<&- 2>&-; exec "$0" dgram "$1" 4 tuntap up 10.0.0.1' \
		"$UDIR/uml_side" "$UDIR/uml_net_cap"
	[ "$(field "$output" '[.exit, .fd, .name, .extra] | @csv')" = '0,true,"tap0",0' ]
}

@test "50 concurrent callers: distinct taps, and the tap limit holds exactly" {
	policy "allow user nobody gate 10.0.0.1" "allow user nobody taps 10"
	rm -f "$OUT"/c* "$OUT"/held.* "$OUT/release"
	# No clock: a granted caller holds its tap until every caller has its
	# answer (held, or exited with a refusal); only then are they released.
	# The emulator waits for its answer as long as the run's ceiling allows.
	run -0 as_user 65534 env UML_SIDE_WAIT_MS=110000 sh -c 'for i in $(seq 50); do
			"$0" -x "touch \"$2/held.\$\$\"; while [ ! -e \"$2/release\" ]; do sleep 0.1; done" \
				dgram "$1" 4 tuntap up 10.0.0.1 >"$2/c$i" 2>&1 &
		done
		while [ $(($(find "$2" -name "held.*" | wc -l) + $(find "$2" -name "c*" -size +0 | wc -l))) -lt 50 ]; do
			sleep 0.1
		done
		touch "$2/release"; wait' "$UDIR/uml_side" "$UDIR/uml_net_cap" "$OUT"
	[ "$(cat "$OUT"/c* | jq -s 'map(select(.fd)) | length')" = 10 ]
	[ "$(cat "$OUT"/c* | jq -s 'map(select(.fd) | .name) | unique | length')" = 10 ]
	[ "$(cat "$OUT"/c* | jq -cs 'map(select(.fd | not) | .text) | unique')" = \
		'["uml_net: 4 tuntap up 10.0.0.1: not permitted: you already own 10 taps (limit 10)\n"]' ]
	[ "$(cat "$OUT"/c* | jq -s 'map(select(.timeout or .exit != 0)) | length')" = 0 ]
}

@test "every grant and refusal goes to syslog (authpriv) with uid, request and reason; control bytes escaped" {
	local i
	for req in "tuntap up 10.0.0.1" "tuntap up 10.0.0.9"; do
		# shellcheck disable=SC2086 # the request is words
		run -0 as_user 65534 "$UDIR/uml_side" dgram "$UDIR/uml_net_cap" 4 $req
	done
	run -0 as_user 65534 "$UDIR/uml_side" stream "$UDIR/uml_net_cap" 4 add tap0 10.0.0.077 255.255.255.0
	run -0 as_user 65534 "$UDIR/uml_side" stream "$UDIR/uml_net_cap" 4 add "$(printf 'ta\033p\r0')" 10.0.0.2 255.255.255.0
	# Records arrive in the order sent: ours are the last 4 once the 4th is in.
	for i in $(seq 600); do
		log_records | tail -n 1 | grep -q '^84 uml_net: uid 65534: 4 add ta?p?0 ' && break
		sleep 0.1
	done
	mapfile -t lines < <(log_records | tail -n 4)
	[ "${lines[0]}" = "86 uml_net: uid 65534: 4 tuntap up 10.0.0.1: granted: tap0" ]
	[ "${lines[1]}" = "84 uml_net: uid 65534: 4 tuntap up 10.0.0.9: refused: no rule in $UMLT_CONF allows gate 10.0.0.9" ]
	[ "${lines[2]}" = "84 uml_net: uid 65534: 4 add tap0 10.0.0.077 255.255.255.0: refused: uml_net: add: '10.0.0.077': not a dotted-quad IPv4 address" ]
	[ "${lines[3]}" = "84 uml_net: uid 65534: 4 add ta?p?0 10.0.0.2 255.255.255.0: refused: uml_net: add: 'ta\\x1bp\\x0d0': whitespace is not allowed in interface names" ]
}

@test "no syslog, no action: without a reader on the log socket nothing is granted" {
	mv "$UMLT_LOG" "$UMLT_LOG.off"
	nobody_up uml_net_cap
	mv "$UMLT_LOG.off" "$UMLT_LOG"
	[ "$(field "$output" '[.exit, .fd, .text] | @csv')" = \
		'0,false,"uml_net: '"$UMLT_LOG"': syslog: No such file or directory; nothing is done without an audit line'$'\n''"' ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "under every descriptor limit, each tap granted has its audit line" {
	local before n grants=0
	before=$(log_records | grep -c ' granted: ' || true)
	for n in $(seq 3 16); do
		run -0 as_user 65534 sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; "$0" dgram /usr/bin/prlimit --nofile="$1" "$2" 4 tuntap up 10.0.0.1' \
			"$UDIR/uml_side" "$n" "$UDIR/uml_net_cap"
		[ "$(field "$output" .fd)" = true ] && grants=$((grants + 1))
	done
	[ "$grants" -gt 0 ]
	for n in $(seq 600); do
		[ "$(log_records | grep -c ' granted: ')" -ge $((before + grants)) ] && break
		sleep 0.1
	done
	[ "$(log_records | grep -c ' granted: ')" = $((before + grants)) ]
}

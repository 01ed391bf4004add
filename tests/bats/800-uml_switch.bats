#!/usr/bin/env bats
# 800-uml_switch.bats - uml_switch without UML: several test clients (examples/swclient.c)
# speak the daemon transport; learning, flooding, hub, clients vanishing, bad requests,
# socket-file safety, -tap, --status; and a differential run against the reference.

load helpers
load uml_switch

setup_file() {
	ns_setup_file
	export BATS_TEST_TIMEOUT=180
}

teardown_file() {
	ns_teardown_file
}

setup() {
	D=$(mktemp -d /tmp/hn-sw.XXXXXX)
	chmod 755 "$D"
	SW_PID=
}

teardown() {
	sw_stop
	rm -rf "$D"
}

@test "usage: --help and --version exit 0, bad options exit 2 with one clear line" {
	run -0 "$UML_SWITCH" --help
	[[ "$output" == "usage: uml_switch [-unix CONTROL]"* ]]
	run -0 "$UML_SWITCH" --version
	[[ "$output" =~ ^uml_switch\ \(hostnet\)\ [0-9.]+$ ]]
	run -2 --separate-stderr "$UML_SWITCH" -bogus
	[ "${stderr_lines[0]}" = 'uml_switch: unknown option "-bogus"' ]
	run -2 --separate-stderr "$UML_SWITCH" -unix
	[ "${stderr_lines[0]}" = 'uml_switch: -unix: missing argument' ]
	# -unix takes a data socket only after -compat-v0, as the reference does.
	run -2 --separate-stderr "$UML_SWITCH" -unix "$D/ctl" "$D/data"
	[ "${stderr_lines[0]}" = "uml_switch: unknown option \"$D/data\" (options take one dash, as in -unix)" ]
	run -2 --separate-stderr "$UML_SWITCH" -tap 'a/b'
	[[ "${stderr_lines[0]}" == "uml_switch: -tap: invalid interface name: "* ]]
	run -2 --separate-stderr "$UML_SWITCH" $'-x\n\e[1m'
	[ "${stderr_lines[0]}" = 'uml_switch: unknown option "-x\x0a\x1b[1m"' ]
	run -2 --separate-stderr "$UML_SWITCH" --ports 0
	[ "${stderr_lines[0]}" = 'uml_switch: --ports: invalid number "0" (1 to 1024)' ]
	run -2 --separate-stderr "$UML_SWITCH" -unix "/$(printf 'x%.0s' $(seq 120))"
	[[ "${stderr_lines[0]}" == *": path too long (at most 107 bytes for a socket)" ]]
	[ ! -e "$D/ctl" ]
}

@test "learning: after both sides spoke, unicast reaches only its destination" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-EOF
	attach A
	attach B
	attach C
	send A ff 1 hello-from-A
	sync
	send B 1 2 B-to-A
	send A 2 1 A-to-B
	send C 1 3 C-to-A
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'attach C ok' \
		'B hello-from-A 27' 'C hello-from-A 27' \
		'A B-to-A 21' 'A C-to-A 21' 'B A-to-B 21')" ]
	run -0 cat "$D/st"
	[ "$(jq -c '[.macs[] | .mac] | sort' <<<"$output")" = \
		'["02:00:00:00:00:01","02:00:00:00:00:02","02:00:00:00:00:03","02:ff:ff:ff:ff:fe"]' ]
	[ "$(jq -c '[.ports_attached, .frames.unicast, .frames.flooded]' <<<"$output")" = '[4,3,3]' ]
}

@test "flooding: unknown unicast, broadcast, multicast go everywhere but back; a frame for its own port is dropped" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-EOF
	attach A
	attach B
	attach C
	send A 9 1 unknown
	send B ff 2 bcast
	send C mc 3 mcast
	sync
	send A 1 1 to-self
	send B 1 2 to-A
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'attach C ok' \
		'A bcast 20' 'A mcast 20' 'B unknown 22' 'B mcast 20' 'C unknown 22' 'C bcast 20' \
		'A to-A 19')" ]
	run -0 cat "$D/st"
	[ "$(jq .frames.not_sent_back <<<"$output")" = 1 ]
}

@test "frames up to 1518 bytes (a VLAN tag) pass; longer and runts are dropped and counted" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-'EOF'
	attach A
	attach B
	send A ff 1 max 1518
	send A ff 1 giant 1519
	sync
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'B max 1518')" ]
	run -0 sw_status "$D"
	[ "$(jq .frames.giant <<<"$output")" = 1 ]
}

@test "-hub: a learned unicast destination still reaches every other port, never the sender" {
	sw_start "$UML_SWITCH" "$D" -hub
	run -0 swc "$D" <<-EOF
	attach A
	attach B
	attach C
	send A ff 1 hi
	send B 1 2 B-to-A
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'attach C ok' \
		'A B-to-A 21' 'B hi 17' 'C hi 17' 'C B-to-A 21')" ]
	run -0 cat "$D/st"
	[ "$(jq -c '[.mode, .macs_learned]' <<<"$output")" = '["hub",0]' ]
}

@test "a client vanishing mid-stream frees its port at once and forgets all its addresses" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-EOF
	attach A
	attach B
	attach C
	send C ff 3 C1
	send C ff 4 C2
	sync
	close C
	send A 3 1 to-old-C
	send A 4 1 to-old-C2
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'attach C ok' \
		'A C1 17' 'A C2 17' 'B C1 17' 'B C2 17' 'B to-old-C 23' 'B to-old-C2 24')" ]
	wait_log "$D" '^uml_switch: port 2 detached: pid [0-9]+ uid 0 \(control connection closed\); rx 2 tx 1 drops 0; 2 addresses forgotten$'
	run -0 cat "$D/st"
	[ "$(jq -c '[.ports[] | .port]' <<<"$output")" = '[0,1,3]' ]
}

@test "a client closing before its reply neither kills the switch (SIGPIPE) nor holds a port" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-'EOF'
	attach-vanish V1
	attach-vanish V2
	attach A
	attach B
	send A ff 1 still-here
	sync
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'B still-here 25')" ]
	kill -0 "$SW_PID"
}

@test "after its control connection closes, a client's frames are dropped as from an unknown source" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-EOF
	attach A
	attach B
	attach C
	closectl C
	send C ff 3 ghost
	send A ff 1 live
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'attach C ok' 'B live 19')" ]
	run -0 cat "$D/st"
	[ "$(jq -c '[.ports_attached, .frames.unknown_source]' <<<"$output")" = '[3,1]' ]
}

@test "stray bytes on an attached control connection are ignored, logged once" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-'EOF'
	attach A
	attach B
	chatter A
	chatter A
	send A ff 1 still
	sync
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'B still 20')" ]
	[ "$(grep -c '^uml_switch: port 0: ignoring bytes on its control connection$' "$D/log")" = 1 ]
}

@test "silent connections cannot lock clients out: past 16 pending, the oldest is dropped" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-'EOF'
	hold 20
	attach A
	attach B
	send A ff 1 through
	sync
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'B through 22')" ]
	[ "$(grep -c '^uml_switch: refused pid [0-9]* uid 0: no request yet, and too many connections are pending$' "$D/log")" -ge 4 ]
}

@test "bad control requests are refused with a log line; attached clients carry on" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-EOF
	attach A
	attach B
	bad magic
	bad version
	bad short
	bad oversized
	bad type
	bad family
	attach-claim X /etc/passwd
	send A 2 1 after
	send B 1 2 after
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'bad magic refused' \
		'bad version refused' 'bad short refused' 'bad oversized refused' 'bad type refused' \
		'bad family refused' 'attach X refused' 'A after 20' 'B after 20')" ]
	local why
	for why in "bad magic" "unsupported protocol version" "short request" "oversized request" \
		"unknown request type" "data socket address is not AF_UNIX" "data socket path is not a socket"; do
		grep -qx "uml_switch: refused pid [0-9]* uid 0: $why" "$D/log"
	done
	run -0 cat "$D/st"
	[ "$(jq .ports_attached <<<"$output")" = 3 ]
}

@test "a data socket path of another user is refused; the client's own path socket is accepted" {
	# The switch runs as nobody, with umask 0 so that any user may connect.
	chmod 1777 "$D"
	(umask 0; sw_start_as_nobody)
	SW_PID=$(cat "$D/pid")
	sw_wait_socket "$D/ctl"
	"$SWCLIENT" bind "$D/roots"
	run -0 timeout 120 ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SWCLIENT" script "$D/ctl" <<-EOF
	attach-claim X $D/roots
	attach-path N $D/nobodys
	attach A
	send A ff 1 hi
	sync
	EOF
	[ "$output" = "$(printf '%s\n' 'attach X refused' 'attach N ok' 'attach A ok' 'N hi 17')" ]
	wait_log "$D" '^uml_switch: refused pid [0-9]+ uid 65534: data socket path belongs to another user$'
	wait_log "$D" "^uml_switch: port 0 attached: pid [0-9]+ uid 65534 v3 data $D/nobodys$"
}

sw_start_as_nobody() {
	ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$UML_SWITCH" -unix "$D/ctl" </dev/null >"$D/out" 2>"$D/log" 3>&- &
	echo $! >"$D/pid"
}

@test "--ports: a full switch refuses the next client clearly; a freed port is reused" {
	sw_start "$UML_SWITCH" "$D" --ports 2
	run -0 swc "$D" <<-EOF
	attach A
	attach B
	attach C
	close B
	attach D
	send A ff 1 hi
	send D ff 4 hey
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'attach C refused' 'attach D ok')" ]
	wait_log "$D" '^uml_switch: refused pid [0-9]+ uid 0: switch full \(2 ports; start it with a larger --ports\)$'
	run -0 cat "$D/st"
	[ "$(jq -c '[.ports_attached, .ports_max]' <<<"$output")" = '[2,2]' ]
}

@test "--ports beyond the descriptor limit: a clear error, exit 1, nothing made" {
	run -1 --separate-stderr bash -c 'ulimit -n 100 && exec "$@"' sh "$UML_SWITCH" -unix "$D/ctl" --ports 500
	[ "$stderr" = "uml_switch: --ports 500 needs 532 file descriptors, the limit is 100 (raise it: ulimit -n)" ]
	[ ! -e "$D/ctl" ]
	# A low soft limit under a higher hard one is raised.
	[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 532 ] || return 0
	ip netns exec "$NS" bash -c 'ulimit -S -n 100 && exec "$@"' sh "$UML_SWITCH" -unix "$D/ctl" --ports 500 \
		</dev/null >"$D/out" 2>"$D/log" 3>&- &
	SW_PID=$!
	sw_wait_socket "$D/ctl"
	[ "$(awk '/^Max open files/ { print $4 }' "/proc/$SW_PID/limits")" = 532 ]
}

@test "protocol versions: v1 gets a reply, v0 attaches without one, both carry frames" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-EOF
	attach A 3
	attach B 1
	attach C 0
	send A ff 1 all
	send C ff 3 from-v0
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'attach C ok' \
		'A from-v0 22' 'B all 18' 'B from-v0 22' 'C all 18')" ]
	run -0 cat "$D/st"
	[ "$(jq -c '[.ports[] | .version]' <<<"$output")" = '[3,1,0,3]' ]
}

@test "ageing: an address not seen for --ageing seconds is forgotten and its frames flood again" {
	sw_start "$UML_SWITCH" "$D" --ageing 1
	run -0 swc "$D" <<-'EOF'
	attach A
	attach B
	send A ff 1 hi
	sync
	EOF
	local i
	for i in $(seq 600); do
		[ "$(sw_status "$D" | jq '[.macs[] | select(.mac == "02:00:00:00:00:01")] | length')" = 0 ] && break
		sleep 0.1
	done
	[ "$(sw_status "$D" | jq '[.macs[] | select(.mac == "02:00:00:00:00:01")] | length')" = 0 ]
}

@test "socket files: symlink, foreign owner, non-socket and live switch refused; stale replaced" {
	ln -s /etc/passwd "$D/link"
	run -1 --separate-stderr "$UML_SWITCH" -unix "$D/link"
	[ "$stderr" = "uml_switch: $D/link: is a symbolic link; refusing to follow it" ]
	[ -L "$D/link" ]
	: >"$D/file"
	run -1 --separate-stderr "$UML_SWITCH" -unix "$D/file"
	[ "$stderr" = "uml_switch: $D/file: exists and is not a socket" ]
	"$SWCLIENT" bind "$D/foreign"
	chown 65534 "$D/foreign"
	run -1 --separate-stderr "$UML_SWITCH" -unix "$D/foreign"
	[ "$stderr" = "uml_switch: $D/foreign: is a socket owned by another user" ]
	# A stale socket of ours (nothing listening) is replaced.
	"$SWCLIENT" bind "$D/ctl"
	sw_start "$UML_SWITCH" "$D"
	run -0 sw_status "$D"
	# A live one is not.
	run -1 --separate-stderr ip netns exec "$NS" "$UML_SWITCH" -unix "$D/ctl"
	[ "$stderr" = "uml_switch: $D/ctl: another process is listening on it" ]
	run -0 sw_status "$D"
	# SIGTERM: exit 0, socket file removed.
	kill "$SW_PID"
	local rc=0
	wait "$SW_PID" || rc=$?
	SW_PID=
	[ "$rc" = 0 ]
	[ ! -e "$D/ctl" ]
}

@test "-compat-v0: the data socket is a file, -unix takes both paths; both removed on exit" {
	sw_start "$UML_SWITCH" "$D" -compat-v0 -unix "$D/ctl" "$D/data"
	[ -S "$D/data" ]
	run -0 swc "$D" <<-'EOF'
	attach A
	attach B 0
	send A ff 1 via-file
	send B ff 2 from-v0
	sync
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'attach B ok' 'A from-v0 22' 'B via-file 23')" ]
	run -0 sw_status "$D"
	[ "$(jq -r .data <<<"$output")" = "$D/data" ]
	sw_stop
	[ ! -e "$D/ctl" ] && [ ! -e "$D/data" ]
}

@test "the control socket gets the user's umask" {
	(umask 077; sw_start "$UML_SWITCH" "$D"; echo "$SW_PID" >"$D/pid")
	SW_PID=$(cat "$D/pid")
	[ "$(stat -c %a "$D/ctl")" = 700 ]
}

@test "-tap: a missing tap is an error naming the fix, and none is created" {
	run -1 --separate-stderr ip netns exec "$NS" "$UML_SWITCH" -unix "$D/ctl" -tap hnswnone0
	[ "$stderr" = "uml_switch: tap hnswnone0: no such device (create it first, owned by this user: tunctl -u 0 -t hnswnone0, or hostnet's tap ... user)" ]
	run -0 ip -n "$NS" -j link show
	[ "$(jq '[.[] | select(.ifname == "hnswnone0")] | length' <<<"$output")" = 0 ]
	[ ! -e "$D/ctl" ]
}

@test "-tap: a user's tap is a port: the host answers a client's ARP through it; the tap is left as it was" {
	ip -n "$NS" tuntap add dev hnswtap0 mode tap user 65534
	ip -n "$NS" addr add 10.77.0.1/24 dev hnswtap0
	ip -n "$NS" link set hnswtap0 up
	chmod 1777 "$D"
	(as_nobody_tun "$UML_SWITCH" -unix "$D/ctl" -tap hnswtap0 </dev/null >"$D/out" 2>"$D/log" 3>&-) &
	SW_PID=$!
	sw_wait_socket "$D/ctl"
	run -0 swc "$D" <<-EOF
	attach A
	arp A 02:00:00:00:00:0a 10.77.0.2 10.77.0.1
	sync
	status $D/st
	EOF
	[ "$output" = "$(printf '%s\n' 'attach A ok' 'A eth-0806 42')" ]
	run -0 cat "$D/st"
	[ "$(jq -c '[.ports[0].kind, .ports[0].tap, .ports[0].rx >= 1]' <<<"$output")" = '["tap","hnswtap0",true]' ]
	run -0 ip -n "$NS" -j neigh show dev hnswtap0
	[ "$(jq -r '.[0].lladdr' <<<"$output")" = 02:00:00:00:00:0a ]
	run -0 ip -n "$NS" -d -j link show hnswtap0
	[ "$(jq -c '.[0].linkinfo.info_data | [.type, .user, .persist]' <<<"$output")" = '["tap","nobody",true]' ]
	# The tap deleted under it: its port goes, the switch carries on.
	ip -n "$NS" link del hnswtap0
	wait_log "$D" '^uml_switch: tap hnswtap0: read: .*; tap port 0 removed \(1 address forgotten\)$'
	run -0 sw_status "$D"
	[ "$(jq .ports_attached <<<"$output")" = 0 ]
}

@test "-tap: a tap another user owns is refused with the fix, exit 1" {
	ip -n "$NS" tuntap add dev hnswtap1 mode tap user 0
	chmod 1777 "$D"
	run -1 --separate-stderr bash -c "$(declare -f as_nobody_tun); NS=$NS; as_nobody_tun \"\$@\"" sh \
		"$UML_SWITCH" -unix "$D/ctl" -tap hnswtap1
	[ "$stderr" = "uml_switch: tap hnswtap1: attach: Operation not permitted (the tap must be owned by this user or its group: tunctl -u USER -t TAP)" ]
	ip -n "$NS" link del hnswtap1
}

@test "-daemon: returns at once, logs to syslog, serves, and stops on SIGTERM" {
	run -0 ip netns exec "$NS" "$UML_SWITCH" -unix "$D/ctl" -daemon
	sw_wait_socket "$D/ctl"
	run -0 sw_status "$D"
	local pid
	pid=$(jq .pid <<<"$output")
	[ "$pid" -gt 1 ]
	kill "$pid"
	local i
	for i in $(seq 600); do
		[ -e "$D/ctl" ] || break
		sleep 0.1
	done
	[ ! -e "$D/ctl" ]
}

@test "--status: text and JSON from the same data; no switch is a clear error" {
	sw_start "$UML_SWITCH" "$D"
	run -0 swc "$D" <<-EOF
	attach A
	send A ff 1 x
	sync
	status $D/st.txt text
	status $D/st
	EOF
	mapfile -t lines <"$D/st.txt"
	[[ "${lines[0]}" =~ ^switch\ $D/ctl\ data\ @[0-9a-f]+\ mode\ switch\ pid\ [0-9]+\ ports\ 2/64\ ageing\ 100s\ up\ [0-9]+s$ ]]
	[[ "${lines[2]}" =~ ^port\ 0\ +unix\ +pid\ [0-9]+\ +uid\ 0\ +v3\ @[0-9a-f]+\ \ rx\ 1\ tx\ 1\ drops\ 0\ up\ [0-9]+s$ ]]
	run -0 cat "$D/st"
	[ "$(jq -c '[.ports[0] | .kind, .uid, .rx]' <<<"$output")" = '["unix",0,1]' ]
	run -0 ip netns exec "$NS" "$UML_SWITCH" --status -unix "$D/ctl"
	[[ "${lines[0]}" =~ ^switch\ $D/ctl\ .*\ ports\ 0/64\  ]]
	sw_stop
	run -1 --separate-stderr "$UML_SWITCH" --status -unix "$D/ctl"
	[ "$stderr" = "uml_switch: $D/ctl: connect: No such file or directory (is a switch running there? -unix names its socket)" ]
	if [ -x "$REF_UML_SWITCH" ]; then
		sw_start "$REF_UML_SWITCH" "$D"
		run -1 --separate-stderr timeout 60 ip netns exec "$NS" "$UML_SWITCH" --status -unix "$D/ctl"
		[ "$output" = "" ]
		# The reference closes the connection on our request.
		[ "$stderr" = "uml_switch: $D/ctl: no status reply (connection closed; is it a hostnet uml_switch?)" ]
	fi
}

@test "soak: 1 million frames among clients joining and leaving; RSS flat, still serving" {
	sw_start "$UML_SWITCH" "$D"
	timeout 600 ip netns exec "$NS" "$SWCLIENT" soak "$D/ctl" 100000
	local r0 r1
	r0=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$SW_PID/status")
	run -0 timeout 600 ip netns exec "$NS" "$SWCLIENT" soak "$D/ctl" 1000000
	[ "$output" = "frames=1000000 attaches=508" ]
	r1=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$SW_PID/status")
	echo "RSS $r0 kB -> $r1 kB" >&2
	[ "$r1" -le $((r0 + 64)) ]
	run -0 sw_status "$D"
	[ "$(jq -c '[.ports_attached, .frames.received >= 1100000]' <<<"$output")" = '[0,true]' ]
	[ "$(grep -c ' attached: ' "$D/log")" = "$(grep -c ' detached: ' "$D/log")" ]
}

# The same script against the reference and ours: the deliveries are the same
# where the reference is correct. Left out on purpose, as the reference is wrong
# there: a frame whose destination was learned on its own port (the reference
# sends it back), frames to a departed client (it forgets only one address),
# 1515-1518-byte frames (it truncates at 1514), bad requests (it treats a bad
# magic as v0, and dies of SIGPIPE on an early close).
@test "differential: the reference and ours deliver the same frames (learning, flooding, hub, v1)" {
	[ -x "$REF_UML_SWITCH" ] || unavailable "no reference uml_switch at $REF_UML_SWITCH (make oracles)"
	local script mode
	script=$(cat <<-'EOF'
	attach A
	attach B
	attach C 1
	attach D
	send A ff 1 bcast-A
	send B mc 2 mcast-B
	sync
	send C 1 3 C-to-A
	send A 3 1 A-to-C
	send D 7 4 unknown
	send B 1 9 shadow
	sync
	send D 1 4 D-to-A
	send A 9 1 A-to-B-shadow
	send C ff 3 x 1514
	sync
	EOF
	)
	for mode in "" -hub; do
		mkdir -p "$D/ref$mode" "$D/ours$mode"
		# shellcheck disable=SC2086 # mode is one word or none
		sw_start "$REF_UML_SWITCH" "$D/ref$mode" $mode
		swc "$D/ref$mode" <<<"$script" >"$D/ref$mode.out"
		sw_stop
		# shellcheck disable=SC2086
		sw_start "$UML_SWITCH" "$D/ours$mode" $mode
		swc "$D/ours$mode" <<<"$script" >"$D/ours$mode.out"
		sw_stop
		diff -u "$D/ref$mode.out" "$D/ours$mode.out"
		[ "$(grep -c . "$D/ours$mode.out")" -ge 20 ]
	done
}

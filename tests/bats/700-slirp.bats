#!/usr/bin/env bats
# 700-slirp.bats - slirp without a UML kernel: examples/slirp_peer plays UML
# (a stream socket pair on slirp's stdin/stdout, SLIP-framed IPv4) and a tun
# device in a "guest" namespace stands for the guest's stack, so real ping,
# socat and a DNS client run as the guest. slirp runs in a "host" namespace
# with its own /etc/resolv.conf (a private mount namespace, bind mount).
# Each test makes and deletes its own pair of namespaces.

load helpers

SLIRP=${SLIRP:-$HN_BIN/slirp}
PEER=${SLIRP_PEER:-$HN_BIN/../examples/slirp_peer}
FIX=$BATS_TEST_DIRNAME/fixtures/slirp
PY=${PYTHON3:-/usr/bin/python3}

setup() {
	require_root_netns
	[ -x "$PEER" ] || skip "no $PEER (make all builds it)"
	H="hn-$$-700-h$BATS_TEST_NUMBER"
	G="hn-$$-700-g$BATS_TEST_NUMBER"
	ns_new "$H"
	ns_new "$G"
	TMP=$(mktemp -d /tmp/hn-slirp.XXXXXX)
	echo "nameserver 127.0.0.1" >"$TMP/resolv.conf"
	PEER_PID=""
}

teardown() {
	if [ -n "$PEER_PID" ]; then kill "$PEER_PID" 2>/dev/null || true; fi
	ns_del "$G"
	ns_del "$H"
	rm -rf "$TMP"
}

inh() { timeout "$HN_CEIL" ip netns exec "$H" "$@"; }
ing() { timeout "$HN_CEIL" ip netns exec "$G" "$@"; }

# bg_h CMD...: a server in the host namespace, gone with it.
bg_h() { ip netns exec "$H" "$@" >/dev/null 2>&1 3>&- & }
bg_g() { ip netns exec "$G" "$@" >/dev/null 2>&1 3>&- & }

# wait_for DESC CMD...: poll until CMD succeeds (ceiling 60 s: only real hangs).
wait_for() {
	local desc=$1 i
	shift
	for i in $(seq 600); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "timed out waiting for $desc" >&2
	return 1
}

# start [-mtu N] [PEER_OPTS -- ] SLIRP_ARGS...: run slirp behind the peer,
# the guest as 10.0.2.15/24 ($GUEST_ADDR) with the default route via
# 10.0.2.2 ($GUEST_GW).
start() {
	local mtu=1500 popts=() addr=${GUEST_ADDR:-10.0.2.15/24} gw=${GUEST_GW:-10.0.2.2}
	if [ "$1" = -mtu ]; then mtu=$2; shift 2; fi
	while [ $# -gt 0 ] && [ "$1" != -- ] && [[ $1 == -[gs]* ]]; do popts+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	# shellcheck disable=SC2016 # $1 and $@ are the inner shell's
	ip netns exec "$G" unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh "$TMP/resolv.conf" \
		"$PEER" "${popts[@]}" -n "/run/netns/$H" slg0 -- "$SLIRP" --no-rc "$@" \
		>"$TMP/peer.out" 2>"$TMP/slirp.err" 3>&- &
	PEER_PID=$!
	wait_for "the guest's tun" ip -n "$G" link show slg0
	ip -n "$G" link set slg0 mtu "$mtu" up
	ip -n "$G" addr add "$addr" dev slg0
	ip -n "$G" route add default via "$gw"
}

slirp_pid() { pgrep -f "^$SLIRP --no-rc" | head -1; }

# stop: what UML does at halt; the peer reports slirp's exit status.
stop() {
	kill -TERM "$PEER_PID"
	wait "$PEER_PID" || true
	PEER_PID=""
	grep -qx 'slirp: exit 0' "$TMP/peer.out" || { cat "$TMP/peer.out" "$TMP/slirp.err"; false; }
}

listening() { inh ss -Hltun | awk '{print $5}'; }

@test "usage: --help, --version, a bad option, exit codes" {
	run -0 "$SLIRP" --help
	[[ ${lines[0]} == "usage: slirp [OPTION]... [COMMAND]..." ]]
	run -0 "$SLIRP" --version
	[[ $output =~ ^slirp\ \(hostnet\)\ [0-9.]+,\ libslirp\ 4\.[0-9.]+$ ]]
	run -2 --separate-stderr "$SLIRP" --frobnicate
	[ -z "$output" ]
	[ "$stderr" = "slirp: --frobnicate: unknown option (slirp 1.0's dash options are gone; slirp --help)" ]
	run -2 --separate-stderr "$SLIRP" -P
	[ "$stderr" = "slirp: -P: unknown option (slirp 1.0's dash options are gone; slirp --help)" ]
	run -2 --separate-stderr "$SLIRP" --cidr
	[ "$stderr" = "slirp: --cidr: needs an argument (slirp --help)" ]
	run -2 --separate-stderr "$SLIRP" --mtu 9000
	[ "$stderr" = "slirp: --mtu 9000: expected 68-1500 (UML's slip device takes 1500 at most)" ]
	run -2 --separate-stderr "$SLIRP" --cidr 10.0.2.1/24
	[ "$stderr" = "slirp: --cidr 10.0.2.1/24: host bits set (the network address is needed)" ]
}

@test "commands: a malformed or unknown one is exit 2 before any packet; serial-line ones warn once" {
	run -2 --separate-stderr "$SLIRP" --no-rc "redir 80 eighty" </dev/null
	[ "$stderr" = 'slirp: redir 80 eighty: bad guest port "eighty" (1-65535)' ]
	[ -z "$output" ]
	run -2 --separate-stderr "$SLIRP" --no-rc "host addr 192.0.2.1" </dev/null
	[ "$stderr" = 'slirp: host addr 192.0.2.1: not supported: "host" (see COMPATIBILITY in slirp(1))' ]
	run -2 --separate-stderr "$SLIRP" --no-rc $'redir\x1b 80 80' </dev/null
	[ "$stderr" = 'slirp: redir\x1b 80 80: unknown command "redir\x1b"' ]
	run -2 --separate-stderr "$SLIRP" --no-rc "redir 8080 80" "" </dev/null
	[ "$stderr" = "slirp: an empty argument (a stray comma in eth0=slirp,...?)" ]
	run -2 --separate-stderr "$SLIRP" --no-rc "redir 8080 10.0.2.2:80" </dev/null
	[ "$stderr" = 'slirp: redir tcp 8080 10.0.2.2:80: 10.0.2.2 is not a guest address in 10.0.2.0/24' ]
	printf '# comment\n\n  # indented\r\nredir 8080 80 # web\nmtu 1400#x\nredir 8080 81\n' >"$TMP/rc"
	run -2 --separate-stderr "$SLIRP" --rc "$TMP/rc" </dev/null
	[ "$stderr" = "slirp: $TMP/rc:6: redir 8080 81: host port already redirected" ]
	run -2 --separate-stderr "$SLIRP" --no-rc "mtu 1400 # tunnel" "# only" </dev/null
	[ "$stderr" = "slirp: # only: empty command" ]
	# ignored settings: one warning each, then EOF on stdin ends it (exit 0)
	run -0 --separate-stderr "$SLIRP" --no-rc "baudrate 115200" "baudrate 9600" "ppp" </dev/null
	[ "$stderr" = "$(printf '%s\n' \
		'slirp: baudrate 115200: warning: ignored: "baudrate" meant something only on a serial line' \
		'slirp: ppp: warning: ignored: "ppp" meant something only on a serial line')" ]
	[ -z "$output" ]
}

@test "~/.slirprc is read first, then argv; HOME without one is fine" {
	mkdir "$TMP/home"
	run -0 env HOME="$TMP/home" "$SLIRP" </dev/null
	echo 'redir 80 eighty' >"$TMP/home/.slirprc"
	run -2 --separate-stderr env HOME="$TMP/home" "$SLIRP" </dev/null
	[ "$stderr" = "slirp: $TMP/home/.slirprc:1: redir 80 eighty: bad guest port \"eighty\" (1-65535)" ]
	run -0 env HOME="$TMP/home" "$SLIRP" --no-rc </dev/null
	run -2 --separate-stderr "$SLIRP" --rc "$TMP/none" </dev/null
	[ "$stderr" = "slirp: $TMP/none: No such file or directory" ]
}

@test "ICMP echo to 10.0.2.2 and 10.0.2.3; EOF ends slirp with nothing left listening" {
	start "redir 18080 80"
	run -0 ing ping -c 2 -W 30 10.0.2.2
	run -0 ing ping -c 1 -W 30 10.0.2.3
	pid=$(slirp_pid)
	[ -n "$pid" ]
	[ "$(listening)" = "0.0.0.0:18080" ]
	stop
	run ! kill -0 "$pid"
	[ -z "$(listening)" ]
	[ ! -s "$TMP/slirp.err" ]
}

@test "TCP to a server on the host's loopback through 10.0.2.2; --disable-host-loopback stops it" {
	head -c 300000 /dev/urandom >"$TMP/blob"
	bg_h socat TCP-LISTEN:9000,bind=127.0.0.1,reuseaddr,fork OPEN:"$TMP/blob",rdonly
	wait_for "the host's server" inh sh -c 'ss -Hltn | grep -q 127.0.0.1:9000'
	start
	ing socat -u TCP:10.0.2.2:9000 CREATE:"$TMP/got"
	cmp "$TMP/blob" "$TMP/got"
	stop
	start --disable-host-loopback
	run ing socat -u TCP:10.0.2.2:9000,connect-timeout=5 CREATE:"$TMP/got2"
	[ "$status" -ne 0 ]
	stop
}

@test "DNS: 10.0.2.3 forwards to the host's /etc/resolv.conf resolver" {
	bg_h "$PY" "$FIX/dns.py" serve 127.0.0.1 192.0.2.77
	wait_for "the resolver" inh sh -c 'ss -Hlun | grep -q 127.0.0.1:53'
	start
	run -0 ing "$PY" "$FIX/dns.py" query 10.0.2.3 hn.test
	[ "$output" = 192.0.2.77 ]
	stop
}

@test "dns ADDR: 10.0.2.3 answers come from that resolver instead" {
	bg_h "$PY" "$FIX/dns.py" serve 127.0.0.1 192.0.2.77
	bg_h "$PY" "$FIX/dns.py" serve 127.0.0.2 198.51.100.9
	wait_for "the resolvers" inh sh -c 'ss -Hlun | grep -q 127.0.0.2:53'
	start "dns 127.0.0.2"
	run -0 ing "$PY" "$FIX/dns.py" query 10.0.2.3 hn.test
	[ "$output" = 198.51.100.9 ]
	stop
}

@test "redir: seed 000's form reaches a guest listener from the host; --bind 127.0.0.1; udp" {
	bg_g socat TCP-LISTEN:80,reuseaddr,fork SYSTEM:'echo guest-http'
	bg_g "$PY" "$FIX/dns.py" reply 5300 guest-udp
	wait_for "the guest's servers" ing sh -c 'ss -Hltn | grep -q :80 && ss -Hlun | grep -q :5300'
	start "redir 18080 80" "redir udp 15300 5300"
	run -0 inh socat -t5 -T5 - TCP:127.0.0.1:18080
	[ "$output" = guest-http ]
	run -0 inh "$PY" "$FIX/dns.py" ask 127.0.0.1 15300 q
	[ "$output" = guest-udp ] || { echo "got: $output"; cat "$TMP/slirp.err"; false; }
	stop
	start --bind 127.0.0.1 "redir 18081 to 80"
	[ "$(listening)" = "127.0.0.1:18081" ]
	run -0 inh socat -t5 -T5 - TCP:127.0.0.1:18081
	[ "$output" = guest-http ]
	stop
}

@test "redir once: the listener goes after the first connection" {
	bg_g socat TCP-LISTEN:80,reuseaddr,fork SYSTEM:'echo guest-http'
	wait_for "the guest's server" ing sh -c 'ss -Hltn | grep -q :80'
	start "redir once 18082 80"
	run -0 inh socat -t5 -T5 - TCP:127.0.0.1:18082
	[ "$output" = guest-http ]
	wait_for "the listener to go" sh -c "[ -z \"\$(ip netns exec $H ss -Hltn)\" ]"
	stop
}

@test "a host port below 1024 as an unprivileged user: exit 1 at start, saying why" {
	run -1 --separate-stderr inh setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SLIRP" --no-rc "redir 80 80" "redir 23 2323" </dev/null
	[ "$stderr" = "slirp: redir tcp 80 10.0.2.15:80: cannot listen on 0.0.0.0:80: Permission denied (host ports below 1024 need privilege: use a port above 1023, or lower net.ipv4.ip_unprivileged_port_start)" ]
	[ -z "$(listening)" ]
}

@test "a host port in use: exit 1 at start, naming it; the other forwards closed too" {
	bg_h socat TCP-LISTEN:18086,reuseaddr SYSTEM:true
	wait_for "the squatter" inh sh -c 'ss -Hltn | grep -q :18086'
	run -1 --separate-stderr inh "$SLIRP" --no-rc "redir 18085 80" "redir 18086 80" </dev/null
	[ "$stderr" = "slirp: redir tcp 18086 10.0.2.15:80: cannot listen on 0.0.0.0:18086: Address already in use" ]
	[ "$(listening)" = "0.0.0.0:18086" ]
}

@test "UDP to 10.0.2.2 reaches the host's loopback; DHCP offers 10.0.2.15 from 10.0.2.2" {
	bg_h "$PY" "$FIX/dns.py" reply 7777 host-udp
	wait_for "the host's replier" inh sh -c 'ss -Hlun | grep -q :7777'
	start
	run -0 ing "$PY" "$FIX/dns.py" ask 10.0.2.2 7777 q
	[ "$output" = host-udp ]
	run -0 ing "$PY" "$FIX/dhcp.py" slg0
	[ "$output" = "OFFER 10.0.2.15 10.0.2.2" ]
	stop
}

@test "--cidr, --vhost, --vdns, --guest choose another network; -v says where forwards listen" {
	bg_h socat TCP-LISTEN:9000,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo host'
	bg_h "$PY" "$FIX/dns.py" serve 127.0.0.1 192.0.2.77
	bg_g socat TCP-LISTEN:80,reuseaddr,fork SYSTEM:'echo guest-http'
	wait_for "the servers" sh -c "ip netns exec $H ss -Hlun | grep -q 127.0.0.1:53 &&
		ip netns exec $G ss -Hltn | grep -q :80"
	GUEST_ADDR=10.9.0.7/24 GUEST_GW=10.9.0.1 start -v --cidr 10.9.0.0/24 --vhost 10.9.0.1 \
		--vdns 10.9.0.53 --guest 10.9.0.7 "redir 18087 80"
	run -0 ing ping -c 1 -W 30 10.9.0.1
	run -0 ing socat -t5 -T5 - TCP:10.9.0.1:9000
	[ "$output" = host ]
	run -0 ing "$PY" "$FIX/dns.py" query 10.9.0.53 hn.test
	[ "$output" = 192.0.2.77 ]
	run -0 inh socat -t5 -T5 - TCP:127.0.0.1:18087
	[ "$output" = guest-http ]
	stop
	[ "$(cat "$TMP/slirp.err")" = "slirp: redir tcp 18087 10.9.0.7:80: listening on 0.0.0.0:18087" ]
	run -0 --separate-stderr "$SLIRP" --no-rc --cidr 10.9.0.0/24 </dev/null
	[ -z "$stderr" ]
	run -2 --separate-stderr "$SLIRP" --no-rc --cidr 10.9.0.0/24 --vhost 10.0.2.2 </dev/null
	[ "$stderr" = "slirp: 10.0.2.2: not a host address in the guest network (--cidr)" ]
}

@test "a changed /etc/resolv.conf is noticed while slirp runs" {
	bg_h "$PY" "$FIX/dns.py" serve 127.0.0.1 192.0.2.1
	bg_h "$PY" "$FIX/dns.py" serve 127.0.0.2 192.0.2.2
	wait_for "the resolvers" inh sh -c 'ss -Hlun | grep -q 127.0.0.2:53 && ss -Hlun | grep -q 127.0.0.1:53'
	start
	run -0 ing "$PY" "$FIX/dns.py" query 10.0.2.3 a.test
	[ "$output" = 192.0.2.1 ]
	echo "nameserver 127.0.0.2" >"$TMP/resolv.conf"
	wait_for "the new resolver" sh -c "ip netns exec $G $PY $FIX/dns.py query 10.0.2.3 b.test | grep -qx 192.0.2.2"
	stop
}

@test "SIGTERM ends slirp at once, exit 0, listeners closed; SIGUSR1 prints counters" {
	start --stats "redir 18083 80"
	run -0 ing ping -c 1 -W 30 10.0.2.2
	pid=$(slirp_pid)
	kill -USR1 "$pid"
	wait_for "the counters" grep -q '^slirp: stats: {' "$TMP/slirp.err"
	grep '^slirp: stats: ' "$TMP/slirp.err" | head -1 | sed 's/^slirp: stats: //' | jq -e '.frames_in >= 1 and .frames_out >= 1'
	kill -TERM "$pid"
	wait_for "slirp to exit" sh -c "! kill -0 $pid"
	[ -z "$(listening)" ]
	wait "$PEER_PID" || true
	PEER_PID=""
	grep -qx 'slirp: exit 0' "$TMP/peer.out"
}

@test "SIGTERM still ends slirp when UML stops reading (its answers fill the socket pair)" {
	run -0 inh "$PY" "$FIX/stuck.py" "$SLIRP" --no-rc
	[ "$output" = "exit 0" ]
}

@test "garbage and frames split into 7-byte writes: dropped and counted, traffic still flows" {
	head -c 100000 /dev/urandom >"$TMP/blob"
	bg_h socat TCP-LISTEN:9000,bind=127.0.0.1,reuseaddr,fork OPEN:"$TMP/blob",rdonly
	wait_for "the host's server" inh sh -c 'ss -Hltn | grep -q 127.0.0.1:9000'
	start -g -s7 -- --stats
	run -0 ing ping -c 2 -W 30 10.0.2.2
	ing socat -u TCP:10.0.2.2:9000 CREATE:"$TMP/got"
	cmp "$TMP/blob" "$TMP/got"
	stop
	stats=$(sed -n 's/^slirp: stats: //p' "$TMP/slirp.err")
	jq -e '.dropped_oversize_in >= 1 and .dropped_bad_escape >= 1 and .dropped_malformed_in >= 1' <<<"$stats"
}

@test "mtu 576: no frame to the guest is longer, TCP still works" {
	head -c 200000 /dev/urandom >"$TMP/blob"
	bg_h socat TCP-LISTEN:9000,bind=127.0.0.1,reuseaddr,fork OPEN:"$TMP/blob",rdonly
	wait_for "the host's server" inh sh -c 'ss -Hltn | grep -q 127.0.0.1:9000'
	start -mtu 576 "mtu 576"
	run -0 ing ping -c 1 -W 30 -s 1400 10.0.2.2
	ing socat -u TCP:10.0.2.2:9000 CREATE:"$TMP/got"
	cmp "$TMP/blob" "$TMP/got"
	stop
	longest=$(sed -n 's/^peer: longest frame //p' "$TMP/peer.out")
	[ "$longest" -le 576 ] && [ "$longest" -ge 500 ]
}

@test "--restrict: ping to 10.0.2.2/.3 and TCP redirs work; TCP out, DNS and UDP replies do not" {
	bg_h socat TCP-LISTEN:9000,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo host'
	bg_h "$PY" "$FIX/dns.py" serve 127.0.0.1 192.0.2.77
	bg_g socat TCP-LISTEN:80,reuseaddr,fork SYSTEM:'echo guest-http'
	bg_g socat -u UDP-RECV:5300 CREATE:"$TMP/udp-in"
	bg_g "$PY" "$FIX/dns.py" reply 5301 guest-udp
	wait_for "the servers" sh -c "ip netns exec $H ss -Hlun | grep -q 127.0.0.1:53 &&
		ip netns exec $G ss -Hltn | grep -q :80 && ip netns exec $G ss -Hlun | grep -q :5300 &&
		ip netns exec $G ss -Hlun | grep -q :5301"
	start --restrict "redir 18084 80" "redir udp 15301 5300" "redir udp 15302 5301"
	run -0 ing ping -c 1 -W 30 10.0.2.2
	run -0 ing ping -c 1 -W 30 10.0.2.3
	# a UDP redir delivers to the guest, but the guest's replies are dropped
	inh sh -c 'echo to-guest | socat -u - UDP:127.0.0.1:15301'
	wait_for "the datagram in the guest" grep -qx to-guest "$TMP/udp-in"
	run inh sh -c 'echo q | socat -t5 -T5 - UDP:127.0.0.1:15302'
	[ -z "$output" ]
	run ing socat -T3 - TCP:10.0.2.2:9000,connect-timeout=3
	[ "$output" != host ]
	run -0 inh socat -t5 -T5 - TCP:127.0.0.1:18084
	[ "$output" = guest-http ]
	# one 5 s try: an unrestricted slirp answers at once (the positive case
	# in "dns ADDR" above retries, this one only shows nothing comes)
	run ing timeout 120 "$PY" "$FIX/dns.py" query 10.0.2.3 hn.test 1
	[ "$output" != 192.0.2.77 ]
	stop
}

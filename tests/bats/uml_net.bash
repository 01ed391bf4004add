# uml_net.bash - shared set-up for the uml_net files (4NN-*.bats): the
# UML-side emulator, the test build with its policy, unprivileged copies.
# shellcheck shell=bash

# The installed-style binary reads $(SYSCONFDIR)/hostnet/uml_net.conf, which
# the tests never create: with it everything is denied. The test build
# (Makefile: build/test/bin/uml_net) reads the policy below instead.
UML_NET=${UML_NET:-$HN_BIN/uml_net}
UMLT=${UMLT:-$(dirname "$HN_BIN")/test/bin/uml_net}
UML_SIDE=${UML_SIDE:-$(dirname "$HN_BIN")/examples/uml_side}
# The test build's policy path, fixed at build time (Makefile: UMLT_ETC).
UMLT_CONF=$(cat "$(dirname "$HN_BIN")/test/policy-path" 2>/dev/null)

uml_require() {
	require_root_netns
	# The test build's paths (empty when it is missing: nothing is then
	# written anywhere, least of all at a made-up path under /).
	if [ ! -x "$UML_NET" ] || [ ! -x "$UMLT" ] || [ ! -x "$UML_SIDE" ] ||
	   [ -z "$UMLT_CONF" ] || [ -z "$UMLT_LOG" ] || [ -z "$UMLT_LOCK" ]; then
		echo "build first: make all (needs $UML_NET, $UMLT, $UML_SIDE and their paths in $(dirname "$HN_BIN")/test)" >&2
		return 1
	fi
	log_start
}

# The test build's syslog socket (Makefile: UML_NET_LOG): uml_net refuses to
# act when it cannot write its audit line there.
UMLT_LOG=$(cat "$(dirname "$HN_BIN")/test/log-path" 2>/dev/null)

# log_start: a syslog stand-in (socat) on $UMLT_LOG, appending each record
# to $UMLT_LOGFILE; waits for the socket (ceiling 60 s, for hangs only).
log_start() {
	local i
	[ -n "$UMLT_LOG" ] || return 1
	UMLT_LOGFILE=$(mktemp /tmp/hn-uml-log.XXXXXX)
	chmod 644 "$UMLT_LOGFILE"
	mkdir -p "$(dirname "$UMLT_LOG")"
	chmod 755 "$(dirname "$UMLT_LOG")"
	rm -f "$UMLT_LOG"
	socat -u UNIX-RECV:"$UMLT_LOG",mode=666 OPEN:"$UMLT_LOGFILE",append \
		</dev/null >/dev/null 2>&1 3>&- &
	UMLT_LOGPID=$!
	for i in $(seq 600); do
		[ -S "$UMLT_LOG" ] && break
		sleep 0.1
	done
	export UMLT_LOGFILE UMLT_LOGPID
	[ -S "$UMLT_LOG" ]
}

log_stop() {
	if [ -n "${UMLT_LOGPID:-}" ]; then kill "$UMLT_LOGPID" 2>/dev/null || true; fi
	if [ -n "$UMLT_LOG" ]; then rm -f "$UMLT_LOG"; fi
	if [ -n "${UMLT_LOGFILE:-}" ]; then rm -f "$UMLT_LOGFILE"; fi
}

# log_records: the records written to the stand-in so far, one per line,
# "<pri> <text>" without the time stamp and the pid.
log_records() {
	tr "<" "\n" <"$UMLT_LOGFILE" | sed -n 's/^\([0-9]*\)>[A-Z][a-z][a-z] [ 0-9:]*/\1 /; s/\[[0-9]*\]//p'
}

UMLT_LOCK=$(cat "$(dirname "$HN_BIN")/test/lock-path" 2>/dev/null)

# group_lock: the test build's lock, root-owned 0640 with group 65534, so the
# file-capability copies (which open it as the caller, nobody) can use it.
group_lock() {
	[ -n "$UMLT_LOCK" ] || return 1
	mkdir -p "$(dirname "$UMLT_LOCK")"
	rm -f "$UMLT_LOCK"
	install -m 0640 -o root -g 65534 /dev/null "$UMLT_LOCK"
}

# policy LINE...: the test build's policy, root-owned, mode 0644.
policy() {
	local dir
	[ -n "$UMLT_CONF" ] || { echo "policy: no test build of uml_net (make all)" >&2; return 1; }
	dir=$(dirname "$UMLT_CONF")
	mkdir -p "$dir"
	chmod 755 "$(dirname "$(dirname "$dir")")" "$(dirname "$dir")" "$dir"
	printf '%s\n' "$@" >"$UMLT_CONF"
	chown root:root "$UMLT_CONF"
	chmod 0644 "$UMLT_CONF"
}

# An uplink standing in for the host's LAN interface: uplink0 10.0.0.254/24.
uplink() {
	ip -n "$NS" link add uplink0 type veth peer name lanpeer0
	ip -n "$NS" addr add 10.0.0.254/24 dev uplink0
	ip -n "$NS" link set uplink0 up
	ip -n "$NS" link set lanpeer0 up
}

# side MODE HELPER ARGS...: one UML-side call as root in $NS; JSON on stdout.
side() {
	in_ns "$UML_SIDE" "$@"
}

# The field $2 of the first JSON line of $1 (jq -r).
field() {
	head -n 1 <<<"$1" | jq -r "$2"
}

# Copies of the test build an unprivileged user can run: $UDIR/uml_net_cap
# with cap_net_admin+ep, $UDIR/uml_net_suid setuid root, and the emulator;
# $UFIX, the fixtures, which nobody can read wherever the tree is (a clone
# under a 0700 directory, say).
unpriv_copies() {
	UDIR=$(mktemp -d /tmp/hn-uml.XXXXXX)
	chmod 755 "$UDIR"
	cp "$UMLT" "$UDIR/uml_net_cap"
	cp "$UMLT" "$UDIR/uml_net_suid"
	cp "$UML_SIDE" "$UDIR/uml_side"
	setcap cap_net_admin+ep "$UDIR/uml_net_cap"
	chmod 4755 "$UDIR/uml_net_suid"
	UFIX=$UDIR/fixtures
	cp -r "$BATS_TEST_DIRNAME/fixtures/uml_net" "$UFIX"
	chmod -R a+rX "$UFIX"
	group_lock
	export UDIR UFIX
}

# as_user UID CMD...: run as UID (gid 65534, no groups) in $NS, with a private
# /dev/net/tun (mode $TUN_MODE, default 666, owner root) on a tmpfs of this
# mount namespace only (the host's node is never touched). The 120 s ceiling
# only catches hangs: a loaded machine must not fail these tests.
as_user() {
	local uid=$1; shift
	# shellcheck disable=SC2016 # expanded by the inner sh
	timeout 120 ip netns exec "$NS" sh -c 'mount -t tmpfs -o mode=755 tmpfs /dev/net &&
		mknod -m "$1" /dev/net/tun c 10 200 && shift &&
		exec setpriv --reuid="$0" --regid=65534 --clear-groups "$@"' "$uid" "${TUN_MODE:-666}" "$@"
}

# Host state that no refused call may change: links, addresses, routes,
# neighbours incl. proxy entries, and the sysctls uml_net touches.
host_state() {
	# IPv4 only, and no link flags: IPv6 link-local routes and veth carrier
	# appear asynchronously and would make the comparison flaky.
	ip -n "$NS" -j link show | jq -c '[.[] | {ifname, master}]'
	ip -n "$NS" -4 -j addr show | jq -c '[.[] | {ifname, a: [.addr_info[] | .local + "/" + (.prefixlen|tostring)]}]'
	ip -n "$NS" -4 -j route show table all | jq -c 'sort_by(.dst)'
	ip -n "$NS" -4 -j neigh show proxy | jq -c .
	in_ns sh -c 'cat /proc/sys/net/ipv4/ip_forward; grep -H . /proc/sys/net/ipv4/conf/*/proxy_arp'
}

uml_teardown() {
	log_stop
	if [ -n "${UDIR:-}" ]; then rm -rf "$UDIR"; fi
	rm -f "$UMLT_CONF"
	ns_teardown_file
}

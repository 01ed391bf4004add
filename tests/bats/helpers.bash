# helpers.bash - shared set-up for the bats suite (each tool's own helpers are
# in <tool>.bash: hostnet.bash, uml_net.bash, uml_switch.bash, ifupdown.bash;
# uml.bash finds the real-UML harness and kernel): one network namespace per
# file (or per test), a timeout around every tool call, JSON state readers.
# shellcheck shell=bash

bats_require_minimum_version 1.8.0

: "${HN_BIN:?set HN_BIN to the bin directory of a build (make bats does)}"
TUNCTL=${TUNCTL:-$HN_BIN/tunctl}
# The reference tools, unpacked by `make oracles` (never installed).
HN_ORACLES=${HN_ORACLES:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/build/oracles}
REF_TUNCTL=${REF_TUNCTL:-$HN_ORACLES/usr/bin/tunctl}
# Time in this suite is only a ceiling that catches a real hang, never a
# measure of speed: HN_CEIL seconds for one tool call or one awaited
# condition, BATS_TEST_TIMEOUT for a whole test. Both are far above what an
# idle machine needs, so a loaded one passes too (make bench measures speed).
HN_CEIL=${HN_CEIL:-120}
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-600}

# wait_for CMD...: poll CMD until it succeeds; after HN_CEIL seconds say
# what never happened and fail.
wait_for() {
	local end=$((SECONDS + HN_CEIL))
	until "$@"; do
		if [ "$SECONDS" -ge "$end" ]; then
			echo "hang: still not true after $HN_CEIL s: $*" >&2
			return 1
		fi
		sleep 0.1
	done
}

# unavailable WHY: what a test needs is missing. Run by hand, the test is
# skipped; under `make check` (HN_STRICT=1), which installs every test
# dependency, the reference tools and the UML kernel first, it fails: a
# silent skip there would hide a broken set-up.
unavailable() {
	if [ "${HN_STRICT:-0}" = 1 ]; then
		echo "required under make check, but missing: $1" >&2
		return 1
	fi
	skip "$1"
}

# Skip (never fail) where the suite cannot run: not root, or no netns.
# bats 1.8 cannot skip from setup_file ("setup_file failed"), so there the
# reason is printed and the file fails; tests/run skips the bats suite as a
# whole when it is not root.
require_root_netns() {
	local why=""
	[ "$(id -u)" = 0 ] || why="needs root"
	command -v ip >/dev/null || why="needs iproute2 (ip)"
	[ -z "$why" ] && return 0
	[ -n "${BATS_TEST_NAME:-}" ] && skip "$why"
	echo "$why" >&2
	return 1
}

# ns_new NAME: create a fresh namespace with lo up.
ns_new() {
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
}

# ns_del NAME: end every process still in the namespace (deleting a
# namespace does not: a server started in it would outlive the test), then
# delete it.
ns_del() {
	local p i
	for i in 1 2 3; do
		p=$(ip netns pids "$1" 2>/dev/null) || break
		[ -n "$p" ] || break
		# shellcheck disable=SC2086 # one pid a word
		kill -KILL $p 2>/dev/null
		sleep 0.1
	done
	ip netns del "$1" 2>/dev/null || true
}

# The file's namespace: hn-<pid>-<file basename>, exported for the tests.
ns_setup_file() {
	require_root_netns
	NS="hn-$$-$(basename "$BATS_TEST_FILENAME" .bats)"
	export NS
	ns_new "$NS"
}

ns_teardown_file() {
	if [ -n "${NS:-}" ]; then ns_del "$NS"; fi
}

# Run a command inside $NS (ip netns exec also remounts /sys for it).
in_ns() {
	timeout "$HN_CEIL" ip netns exec "$NS" "$@"
}

# Run a command inside namespace $1.
in_ns_named() {
	local ns=$1; shift
	timeout "$HN_CEIL" ip netns exec "$ns" "$@"
}

# Run as the unprivileged user nobody inside $NS.
as_nobody() {
	in_ns setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# A tun clone node of mode 0666 in a directory nobody can reach, standing in
# for stock Debian's /dev/net/tun where the machine's node is 0600.
make_tun666() {
	TUN666_DIR=$(mktemp -d /tmp/hn-tun.XXXXXX)
	chmod 755 "$TUN666_DIR"
	mknod "$TUN666_DIR/tun" c 10 200
	chmod 666 "$TUN666_DIR/tun"
	TUN666=$TUN666_DIR/tun
	export TUN666 TUN666_DIR
}

# tun/tap devices of namespace $1 as compact JSON: name, type, flags, owner, group.
tun_state() {
	ip -n "$1" -d -j link show | jq -c '[.[] | select(.linkinfo.info_kind == "tun")
		| {ifname, info: (.linkinfo.info_data | del(.numqueues, .numdisabled))}]
		| sort_by(.ifname)'
}

# One device's linkinfo data in $NS, or "null" when absent.
tun_info() {
	ip -n "$NS" -d -j link show | jq -c --arg n "$1" \
		'[.[] | select(.ifname == $n)][0].linkinfo.info_data'
}

# Does interface $1 exist in $NS?
link_exists() {
	ip -n "$NS" link show dev "$1" >/dev/null 2>&1
}

# Example programs built by `make examples` (never installed).
HN_EXAMPLES=${HN_EXAMPLES:-$HN_BIN/../examples}

# A namespace per test: setup() { ns_setup_test; }, teardown() { ns_teardown_test; }.
ns_setup_test() {
	require_root_netns
	NS="hn-$$-$(basename "$BATS_TEST_FILENAME" .bats)-$BATS_TEST_NUMBER"
	export NS
	ns_new "$NS"
}

ns_teardown_test() {
	[ -n "${HOLD_PID:-}" ] && kill "$HOLD_PID" 2>/dev/null
	[ -n "${NS:-}" ] && ns_del "$NS"
	return 0
}

# sysfs view of a tun device's owner/group in $NS ("-1" when unset).
tun_owner() { in_ns cat "/sys/class/net/$1/owner"; }
tun_group() { in_ns cat "/sys/class/net/$1/group"; }

# hold_tap NAME: keep tap NAME attached by a background process (HOLD_PID).
hold_tap() {
	ip netns exec "$NS" "$HN_EXAMPLES/taphold" "$1" >"$BATS_TEST_TMPDIR/hold" 3>&- &
	HOLD_PID=$!
	wait_for grep -q '^held ' "$BATS_TEST_TMPDIR/hold"
}

# --- natctl (3xx) ---
NATCTL=${NATCTL:-$HN_BIN/natctl}

# veth_link NS_A IF_A NS_B IF_B: a veth pair between two namespaces, both ends up.
veth_link() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# The whole ruleset of namespace $1 as nft JSON, without the version line.
nft_json() {
	ip netns exec "$1" nft -j list ruleset | jq -S -c '[.nftables[] | select(.metainfo == null)]'
}

# Elements of set or map $2 in table "$1 hostnet" of $NS, compact JSON ([] if none).
nft_elems() {
	ip netns exec "$NS" nft -j list table "$1" hostnet |
		jq -c --arg n "$2" '[.nftables[] | (.set // .map // empty) | select(.name == $n)
			| .elem // []] | add'
}

# wait_listen NS tcp|udp PORT: until a socket listens there.
wait_listen() {
	local flag=-ltn
	[ "$2" = udp ] && flag=-lun
	wait_for listening "$1" "$flag" "$3"
}
listening() { ip netns exec "$1" ss -H "$2" "sport = :$3" | grep -q .; }

# The reference usage text of tunctl (ours prints it too, plus one line).
tunctl_usage() {
	cat <<'USAGE'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
Try 'tunctl --help' for the full list of options.
USAGE
}

# run_seq NS BIN STEP...: run each step in NS and print what scripts can see.
# A step starting with "ip " is set-up (output ignored); any other step is the
# argument string of one tunctl call ("-u 4000 -b"), split by the shell.
run_seq() {
	local ns=$1 bin=$2 step out rc
	shift 2
	for step in "$@"; do
		if [[ $step == "ip "* ]]; then
			# shellcheck disable=SC2086
			in_ns_named "$ns" $step >/dev/null 2>&1
			continue
		fi
		out=$(eval "in_ns_named \"\$ns\" \"\$bin\" $step" 2>/dev/null)
		rc=$?
		printf '%s\n[exit %d]\n' "$out" "$rc"
	done
	tun_state "$ns"
}

# diff_tunctl STEP...: the same steps with the reference tunctl and ours, each
# in a fresh namespace; stdout, exit codes and resulting devices must match.
diff_tunctl() {
	local a=$NS-ref b=$NS-our ref our
	ns_new "$a" && ns_new "$b" || return 1
	ref=$(run_seq "$a" "$REF_TUNCTL" "$@")
	our=$(run_seq "$b" "$TUNCTL" "$@")
	ns_del "$a"
	ns_del "$b"
	if [ "$ref" != "$our" ]; then
		diff -u <(printf '%s\n' "$ref") <(printf '%s\n' "$our") | sed 's/^/# /' >&3
		return 1
	fi
}

# --- brctl (2xx) ---
BRCTL=${BRCTL:-$HN_BIN/brctl}
# bridge-utils' brctl, from its .deb (Debian installs it as /sbin/brctl).
REF_BRCTL=${REF_BRCTL:-$HN_ORACLES/sbin/brctl}

# expect STATUS STDOUT STDERR ARGS...: run our brctl in $NS with stderr apart
# and assert the status, stdout and stderr exactly.
expect() {
	local st=$1 out=$2 err=$3; shift 3
	run --separate-stderr in_ns "$BRCTL" "$@"
	[ "$status" -eq "$st" ] || { echo "brctl $*: status $status, want $st ($stderr)"; return 1; }
	[ "$output" = "$out" ] || { echo "brctl $*: stdout '$output', want '$out'"; return 1; }
	[ "$stderr" = "$err" ] || { echo "brctl $*: stderr '$stderr', want '$err'"; return 1; }
}

# Skip when the reference brctl is missing (make deps installs bridge-utils).
require_ref_brctl() {
	[ -x "$REF_BRCTL" ] || unavailable "needs $REF_BRCTL (make oracles)"
}

# br_fixture NS: the devices of the brctl tests: veth pairs v0/v1, v2/v3, taps tap0 and
# tap1 made with our tunctl; fixed MACs on everything that can join a bridge.
br_fixture() {
	local ns=$1
	ip -n "$ns" link add v0 address 02:00:00:00:00:0a type veth peer name v1 \
		address 02:00:00:00:00:1a || return 1
	ip -n "$ns" link add v2 address 02:00:00:00:00:0b type veth peer name v3 \
		address 02:00:00:00:00:1b || return 1
	in_ns_named "$ns" "$TUNCTL" -b -t tap0 >/dev/null || return 1
	in_ns_named "$ns" "$TUNCTL" -b -t tap1 >/dev/null || return 1
	ip -n "$ns" link set tap0 address 02:00:00:00:00:0c
	ip -n "$ns" link set tap1 address 02:00:00:00:00:0d
}

# Our brctl in $NS.
brctl() {
	in_ns "$BRCTL" "$@"
}

# The reference in namespace $1, started as "brctl" so getopt's messages
# carry the same program name as ours.
ref_brctl_in() {
	local ns=$1; shift
	in_ns_named "$ns" env PATH="$(dirname "$REF_BRCTL")" brctl "$@"
}

# A sysfs value of $NS: sysfs_val br0 bridge/forward_delay.
sysfs_val() {
	in_ns cat "/sys/class/net/$1/$2"
}

# The raw kernel state of namespace $1: ip -d -j link, bridge -j link, bridge -j fdb.
bridge_raw() {
	printf '{"links":%s,"ports":%s,"fdb":%s}' "$(ip -n "$1" -d -j link show)" \
		"$(bridge -n "$1" -j link show)" "$(bridge -n "$1" -j fdb show)"
}

# jq function: raw state -> bridges and ports, normalised: settings, ids,
# master by name; no ifindexes, timers or random MACs (only the fixture's).
# shellcheck disable=SC2016
BRIDGE_NORM='def norm:
	([.links[] | select(.linkinfo.info_kind == "bridge" or .linkinfo.info_slave_kind == "bridge")
	| {ifname, up: (.flags | index("UP") != null), master,
	   br: (.linkinfo.info_data // {} | {forward_delay, hello_time, max_age, ageing_time,
		stp_state, priority, vlan_filtering, bridge_id, root_id, root_port, root_path_cost}),
	   port: (.linkinfo.info_slave_data // {} | {state, priority, cost, hairpin, id, no,
		designated_port, designated_cost, bridge_id, root_id})}] | sort_by(.ifname)),
	([.ports[] | {ifname, master, state, priority, cost}] | sort_by(.ifname)),
	([.fdb[] | select(.mac | startswith("02:00:00:00:00:0"))
	| {mac, ifname, master, state, flags}] | sort_by(.mac, .ifname));'

# Bridges and ports of namespace $1 as normalised JSON, three lines.
bridge_state() {
	jq -c -n --argjson s "$(bridge_raw "$1")" "$BRIDGE_NORM"' $s | norm'
}

# Running timers (showstp's "... timer", showmacs' learned ageing) tick
# between the two runs; mask their values, keep everything else.
mask_timers() {
	sed -E $'s/(timer\t+) *[0-9]+\.[0-9]{2}/\\1<T>/g; s/(\tno\t\t) *[0-9]+\.[0-9]{2}$/\\1<T>/'
}

# diff_run ARGS...: run the reference in $NS_REF and ours in $NS, then
# compare stdout byte for byte (running timers masked), stderr, exit status
# and the kernel state. On a difference, print both sides and fail.
diff_run() {
	local ro re rs oo oe
	ro=$(ref_brctl_in "$NS_REF" "$@" 2>"$BATS_TEST_TMPDIR/ref.err" | mask_timers; echo "rc=${PIPESTATUS[0]}")
	oo=$(in_ns "$BRCTL" "$@" 2>"$BATS_TEST_TMPDIR/our.err" | mask_timers; echo "rc=${PIPESTATUS[0]}")
	re=$(cat "$BATS_TEST_TMPDIR/ref.err"); oe=$(cat "$BATS_TEST_TMPDIR/our.err")
	# One jq for both sides: "same", or both states.
	rs=$(jq -c -n --argjson a "$(bridge_raw "$NS_REF")" --argjson b "$(bridge_raw "$NS")" \
		"$BRIDGE_NORM"' [$a | norm] as $x | [$b | norm] as $y
		| if $x == $y then "same" else ($x, "--- ours", $y) end')
	if [ "$ro" != "$oo" ] || [ "$re" != "$oe" ] || [ "$rs" != '"same"' ]; then
		printf 'brctl %s\n--- reference\n%s\n%s\n--- ours\n%s\n%s\n--- state (reference, then ours)\n%s\n' \
			"$*" "$ro" "$re" "$oo" "$oe" "$rs" >&2
		return 1
	fi
}

# Is interface $1 absent from $NS? (bats ignores a bare "! cmd" in a test.)
link_absent() {
	! ip -n "$NS" link show dev "$1" >/dev/null 2>&1
}

# A second namespace for the reference, beside the file's $NS.
ns_ref_setup() {
	NS_REF="$NS-ref"
	export NS_REF
	ns_new "$NS_REF"
}

ns_ref_teardown() {
	if [ -n "${NS_REF:-}" ]; then ns_del "$NS_REF"; fi
}

# A fresh namespace with the brctl fixture for each test (bats setup/teardown).
# The teardowns succeed when setup skipped before making one: a failing
# teardown would turn the skip into "not ok".
br_ns_setup() {
	require_root_netns
	NS="hn-$$-$(basename "$BATS_TEST_FILENAME" .bats)-$BATS_TEST_NUMBER"
	export NS
	ns_new "$NS" && br_fixture "$NS"
}

br_ns_teardown() {
	if [ -n "${NS:-}" ]; then ns_del "$NS"; fi
}

# The master's name of interface $1 in $NS, or "" when it has none.
master_of() {
	ip -n "$NS" -j link show dev "$1" | jq -r '.[0].master // ""'
}

# echo_server NS tcp|udp PORT: answer each connection or datagram with the
# peer's address, in the background (fd 3 closed, bounded by timeout);
# the pid goes to $BATS_FILE_TMPDIR/pids for teardown.
echo_server() {
	local addr=TCP-LISTEN:$3,reuseaddr,fork
	[ "$2" = udp ] && addr=UDP-RECVFROM:$3,fork
	[ "$2" = tcp6 ] && addr=TCP6-LISTEN:$3,reuseaddr,fork
	# shellcheck disable=SC2016
	# Read the request first: if sh exited before socat wrote the datagram
	# to it, socat would get EPIPE and send no answer.
	ip netns exec "$1" timeout 120 socat "$addr" SYSTEM:'read -r _; echo $SOCAT_PEERADDR' 3>&- &
	echo $! >>"$BATS_FILE_TMPDIR/pids"
	wait_listen "$1" "$2" "$3"
}

# Stop what echo_server started, by pid.
echo_servers_stop() {
	local p
	[ -f "$BATS_FILE_TMPDIR/pids" ] || return 0
	while read -r p; do kill "$p" 2>/dev/null || true; done <"$BATS_FILE_TMPDIR/pids"
	rm -f "$BATS_FILE_TMPDIR/pids"
}

# tcp_peer NS ADDR PORT: connect and print what the server answers (waiting up
# to 3 s for it after our side is done: -t, not socat's 0.5 s).
tcp_peer() {
	in_ns_named "$1" socat -t3 -T3 - "TCP:$2:$3,connect-timeout=3" </dev/null
}

# tcp6_peer NS ADDR PORT: the same over IPv6.
tcp6_peer() {
	in_ns_named "$1" socat -t3 -T3 - "TCP6:[$2]:$3,connect-timeout=3" </dev/null
}

# udp_peer NS ADDR PORT: send one datagram and print the answer.
udp_peer() {
	echo x | in_ns_named "$1" socat -t3 -T3 - "UDP:$2:$3"
}

#!/usr/bin/env bats
# 350-natctl-batch-undo.bats - a natctl batch is all or nothing: sysctls, routes and published entries are taken back when a later line fails.

load helpers

# A namespace per test: each one changes and compares a lot of state.
setup() {
	ns_setup_test
	ip -n "$NS" link add eth0 type veth peer name tap0
	ip -n "$NS" link add tap1 type veth peer name tap1p
	ip -n "$NS" link add down0 type veth peer name down0p
	for d in eth0 tap0 tap1 tap1p; do ip -n "$NS" link set "$d" up; done
	# What a batch must leave exactly as it is: an interface whose own
	# forwarding differs from the global switch, a route the batch moves,
	# one it deletes, a published entry it deletes and one it clashes with.
	in_ns sh -c 'echo 1 >/proc/sys/net/ipv4/conf/tap1/forwarding &&
		echo 1 >/proc/sys/net/ipv6/conf/tap1/forwarding'
	in_ns "$NATCTL" route add 10.0.0.50 dev tap1
	in_ns "$NATCTL" route add 10.0.0.51 dev tap1
	in_ns "$NATCTL" route add fd00::51 dev tap1
	in_ns "$NATCTL" publish add 10.0.0.60 dev eth0
	in_ns "$NATCTL" publish add 10.0.0.88 dev eth0
	in_ns "$NATCTL" forward add tcp 80 to 10.0.0.2
}

teardown() {
	ns_teardown_test
}

# Everything a batch can change: every forwarding, proxy_arp and proxy_ndp
# knob, the routes, the proxy entries and the ruleset.
host_state() {
	in_ns sh -c 'cd /proc/sys/net && grep -r . ipv4/ip_forward ipv4/conf/*/forwarding \
		ipv4/conf/*/proxy_arp ipv6/conf/*/forwarding ipv6/conf/*/proxy_ndp'
	ip -n "$NS" -4 -j route show table all | jq -S -c '[.[] | del(.flags)]'
	# IPv6 link-local and multicast routes come whenever the kernel's DAD
	# is done: natctl never makes them, so they are left out.
	ip -n "$NS" -j -6 route show table main | jq -S -c '[.[] | del(.flags)
		| select(.dst | test("^(fe80|ff00)") | not)]'
	ip -n "$NS" -4 -j neigh show proxy | jq -S -c .
	ip -n "$NS" -j -6 neigh show proxy | jq -S -c .
	nft_json "$NS"
}

# A batch of every kind of change, then $1 as its last line.
write_batch() {
	printf '%s\n' 'forwarding ipv4 on' 'forwarding ipv6 on' 'proxyarp on tap0' \
		'proxyndp on tap0' 'route add 10.0.0.77 dev tap0' 'route add fd00::77 dev tap0' \
		'route add 10.0.0.50 dev tap0 replace' 'route del 10.0.0.51' 'route del fd00::51' \
		'publish add 10.0.0.77 dev eth0' 'publish add fd00::77 dev eth0' \
		'publish del 10.0.0.60 dev eth0' 'masquerade add 10.0.0.0/24 out eth0' \
		'forward add udp 53 to 10.0.0.3' "$1" >"$BATS_TEST_TMPDIR/b"
}

# Run the batch: it must fail with exit 1, say $1 for its last line (16),
# say that the 14 changes before were undone, and leave the host as it was.
batch_undone() {
	local before after
	before=$(host_state)
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	after=$(host_state)
	[ "$status" -eq 1 ] || { echo "status $status: $stderr"; return 1; }
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
	[ "$output" = "" ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:15: $1
natctl: nothing was changed: the 12 commands already applied were undone" ] ||
		{ echo "stderr: $stderr"; return 1; }
}

@test "the batch undone: a last line the kernel refuses (a route to a device that is down)" {
	write_batch 'route add 10.0.0.99 dev down0'
	batch_undone "route 10.0.0.99 dev down0: Network is down (Device for nexthop is not up)"
}

@test "the batch undone: a last line that publishes an entry that exists" {
	write_batch 'publish add 10.0.0.88 dev eth0'
	batch_undone "proxy 10.0.0.88 dev eth0: File exists"
}

@test "the batch undone: a last line whose forward clashes in the nftables transaction" {
	write_batch 'forward add tcp 80 to 10.0.0.3'
	batch_undone "forward add: tcp 80: already forwarded (tcp 80 to 10.0.0.2)"
}

@test "the same batch without the failing line applies every step" {
	write_batch '# nothing'
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(in_ns cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
	[ "$(in_ns cat /proc/sys/net/ipv4/conf/tap0/proxy_arp)" = 1 ]
	[ "$(in_ns cat /proc/sys/net/ipv6/conf/tap0/proxy_ndp)" = 1 ]
	[ "$(ip -n "$NS" -j route show 10.0.0.50 | jq -r '.[0].dev')" = tap0 ]
	[ "$(ip -n "$NS" -j route show 10.0.0.51)" = "[]" ]
	[ "$(ip -n "$NS" -4 -j neigh show proxy | jq -c '[.[].dst] | sort')" = '["10.0.0.77","10.0.0.88"]' ]
	run --separate-stderr in_ns "$NATCTL" list
	[[ "$output" == *$'\nmasquerade 10.0.0.0/24 out eth0\n'* ]]
	[[ "$output" == *$'\nforward udp 53 to 10.0.0.3 port 53\n'* ]]
}

@test "list in a batch shows the state after every change; a failing batch prints nothing" {
	printf '%s\n' 'route list' 'route add 10.0.0.77 dev tap0' >"$BATS_TEST_TMPDIR/b"
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 0 ]
	[ "$output" = "route 10.0.0.50 dev tap1
route 10.0.0.51 dev tap1
route 10.0.0.77 dev tap0
route fd00::51 dev tap1" ]
	printf '%s\n' 'route list' 'route add 10.0.0.78 dev tap0' 'route add 10.0.0.77 dev tap0' \
		>"$BATS_TEST_TMPDIR/b"
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:3: route 10.0.0.77 dev tap0: File exists
natctl: nothing was changed: the 1 command already applied was undone" ]
	[ "$(ip -n "$NS" -j route show 10.0.0.78)" = "[]" ]
}

# An undo step that fails: a preloaded shim (fixtures/natctl/failopen.c)
# makes the second write of tap0's proxy_arp (the undo) fail, as if another
# program were in the way. natctl says which step, still undoes the rest,
# and says the host is left partly changed.
@test "an undo step that fails is reported with its line; the other steps are still undone" {
	local so=$BATS_TEST_TMPDIR/failopen.so
	command -v "${CC:-cc}" >/dev/null || unavailable "needs a C compiler (CC) for the fault shim"
	"${CC:-cc}" -shared -fPIC -o "$so" "$BATS_TEST_DIRNAME/fixtures/natctl/failopen.c" -ldl
	printf '%s\n' 'proxyarp on tap0' 'route add 10.0.0.77 dev tap0' \
		'publish add 10.0.0.88 dev eth0' >"$BATS_TEST_TMPDIR/b"
	run --separate-stderr in_ns env LD_PRELOAD="$so" ASAN_OPTIONS=verify_asan_link_order=0 \
		HN_FAIL_PATH=/proc/sys/net/ipv4/conf/tap0/proxy_arp HN_FAIL_NTH=2 \
		"$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:3: proxy 10.0.0.88 dev eth0: File exists
natctl: $BATS_TEST_TMPDIR/b:1: undo proxyarp on: sysctl net/ipv4/conf/tap0/proxy_arp: Input/output error
natctl: 1 of the batch's undo steps failed (above): the host is left partly changed" ]
	# the failed step's change stays; the route, undone after it was tried, is gone
	[ "$(in_ns cat /proc/sys/net/ipv4/conf/tap0/proxy_arp)" = 1 ]
	[ "$(ip -n "$NS" -j route show 10.0.0.77)" = "[]" ]
}

#!/usr/bin/env bats
# 610-hostnet-apply.bats - plan, apply, down and status in a namespace per test:
# idempotence, rollback on failure, adoption, drift repair, state file and lock.

load helpers
load hostnet

setup() {
	hn_setup
	conf "linkgroup 100" \
		"bridge br0 address 192.168.2.1/24 stp off setfd 9 sethello 2 setmaxage 12" \
		"tap tap0 user nobody bridge br0" \
		"tap tap1 user 1000 mtu 1484 address 192.168.0.254/32 route 192.168.0.253 publish eth0" \
		"forwarding ipv4 on" \
		"proxyarp on tap1"
	snapshot >"$BATS_TEST_TMPDIR/before"
}

teardown() {
	ns_teardown_test
}

PLAN_FRESH='modify sysctl net/ipv4/ip_forward: 0 -> 1
create bridge br0
set bridge br0: setfd 9.00, sethello 2.00, setmaxage 12.00, stp off
create tap tap0 (user 65534)
create tap tap1 (user 1000)
set link br0: up, group 100
set link tap0: up, master br0, group 100
set link tap1: up, mtu 1484, group 100
set sysctl net/ipv4/conf/tap1/proxy_arp: 0 -> 1
create address 192.168.2.1/24 on br0
create address 192.168.0.254/32 on tap1
create route 192.168.0.253 dev tap1
create proxy 192.168.0.253 on eth0'

@test "plan lists every change against the live state and changes nothing" {
	run --separate-stderr hn plan
	[ "$status" -eq 0 ]
	[ "$output" = "$PLAN_FRESH" ]
	same_as "$BATS_TEST_TMPDIR/before"
	[ ! -e "$STATE/state" ]
}

@test "apply makes it so; a second apply changes nothing and says so" {
	run --separate-stderr hn apply
	[ "$status" -eq 0 ]
	[ "$output" = "$PLAN_FRESH"$'\n'"applied 13 changes" ]
	[ "$(link_json tap0 | jq -r '[.master, .group, .linkinfo.info_data.user, (.flags | index("UP") != null)] | join(" ")')" = "br0 100 nobody true" ]
	[ "$(link_json tap1 | jq -r '.mtu')" = 1484 ]
	[ "$(link_json br0 | jq -r '.linkinfo.info_data | [.stp_state, .forward_delay, .hello_time, .max_age] | join(" ")')" = "0 900 200 1200" ]
	[ "$(ip -n "$NS" -j route show 192.168.0.253 | jq -r '.[0].dev')" = tap1 ]
	[ "$(ip -n "$NS" -j neigh show proxy | jq -r '.[0] | "\(.dst) \(.dev)"')" = "192.168.0.253 eth0" ]
	[ "$(in_ns sysctl -n net.ipv4.ip_forward)" = 1 ]
	[ "$(in_ns sysctl -n net.ipv4.conf.tap1.proxy_arp)" = 1 ]
	snapshot >"$BATS_TEST_TMPDIR/applied"
	run --separate-stderr hn apply
	[ "$status" -eq 0 ]
	[ "$output" = "nothing to do" ]
	same_as "$BATS_TEST_TMPDIR/applied"
	run hn plan
	[ "$output" = "nothing to do" ]
}

@test "down after apply leaves the namespace exactly as before" {
	hn apply
	run --separate-stderr hn down
	[ "$status" -eq 0 ]
	same_as "$BATS_TEST_TMPDIR/before"
	[ ! -e "$STATE/state" ]
}

@test "down without a state file is a clear error, and changes nothing" {
	run --separate-stderr hn down
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE/state: no state file: nothing was applied, or it was removed; nothing to take down" ]
}

@test "a corrupt state file is refused, never guessed at" {
	hn apply
	sed -i 's/^link tap0 @/link tap0 extra @/' "$STATE/state"
	snapshot >"$BATS_TEST_TMPDIR/applied"
	run --separate-stderr hn down
	[ "$status" -eq 1 ]
	[[ "$stderr" == "hostnet: $STATE/state:"[0-9]*": corrupt state file; refusing to guess what to remove (check it, then delete it)" ]]
	same_as "$BATS_TEST_TMPDIR/applied"
	head -n -1 "$STATE/state" >"$STATE/x" && mv "$STATE/x" "$STATE/state"
	sed -i 's/^link tap0 extra @/link tap0 @/' "$STATE/state"
	run --separate-stderr hn down
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE/state: corrupt state file (no header or no end mark); refusing to guess what to remove (check it, then delete it)" ]
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
}

@test "fault mid-apply (a port the kernel refuses): everything undone" {
	# a bridge as a port: the kernel refuses it, past every check of the plan
	ip -n "$NS" link add br9 type bridge
	snapshot >"$BATS_TEST_TMPDIR/before"
	echo "addif br0 br9" >>"$CONF"
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[[ ${stderr_lines[0]} == "hostnet: $CONF:7: modify link br9: master - -> br0: "* ]]
	[ "${stderr_lines[1]}" = "hostnet: rolled back: the host is as it was before this run" ]
	same_as "$BATS_TEST_TMPDIR/before"
	[ ! -e "$STATE/state" ]
}

@test "fault mid-apply after an earlier apply: only this run's changes undone" {
	hn apply
	ip -n "$NS" link add br9 type bridge	# as a port: refused by the kernel, mid-apply
	snapshot >"$BATS_TEST_TMPDIR/applied"
	cp "$STATE/state" "$BATS_TEST_TMPDIR/state1"
	conf "linkgroup 100" \
		"bridge br0 address 192.168.2.1/24 stp off setfd 9 sethello 2 setmaxage 12" \
		"tap tap0 user nobody bridge br0" \
		"tap tap1 user 1000 mtu 1484 address 192.168.0.254/32 route 192.168.0.253 publish eth0" \
		"forwarding ipv4 on" \
		"proxyarp on tap1" \
		"tap tap2 user 1000 bridge br0" \
		"forwarding ipv6 on" \
		"addif br0 br9"
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[-1]}" = "hostnet: rolled back: the host is as it was before this run" ]
	same_as "$BATS_TEST_TMPDIR/applied"
	cmp "$STATE/state" "$BATS_TEST_TMPDIR/state1"
}

@test "a name taken by a non-tap link: refused before anything changes" {
	ip -n "$NS" link add tap1 type veth peer name tap1-peer
	snapshot >"$BATS_TEST_TMPDIR/before"
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:4: tap1: exists and is not a tap (veth)" ]
	[ "${stderr_lines[1]}" = "hostnet: $CONF: 1 conflict with the host, nothing changed" ]
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "a pre-existing bridge is adopted, changed to match, and kept on down" {
	ip -n "$NS" link add br0 type bridge
	ip -n "$NS" link set br0 type bridge stp_state 1
	snapshot >"$BATS_TEST_TMPDIR/before"
	run --separate-stderr hn plan
	[ "${lines[1]}" = "modify bridge br0: setfd 15.00 -> 9.00, sethello 2.00 -> 2.00, setmaxage 20.00 -> 12.00, stp on -> off" ] ||
		[[ "${lines[1]}" == "modify bridge br0: setfd 15.00 -> 9.00, setmaxage 20.00 -> 12.00, stp on -> off" ]]
	run --separate-stderr hn apply
	[ "$status" -eq 0 ]
	run hn status
	[[ "$output" == *$'\n'"2     bridge     ok              br0"$'\n'* ]]
	hn down
	link_exists br0
	[ "$(link_json br0 | jq -r '.group')" = default ]
	link_absent tap0
	link_absent tap1
	[ "$(ip -n "$NS" -j addr show dev br0 | jq -r '[.[0].addr_info[] | select(.family == "inet")] | length')" = 0 ]
}

@test "drift is shown by status and repaired by apply: deleted tap, sysctl reset, route removed" {
	hn apply
	ip -n "$NS" link del tap0
	in_ns sysctl -qw net.ipv4.ip_forward=0
	ip -n "$NS" route del 192.168.0.253
	run --separate-stderr hn status
	[ "$status" -eq 0 ]
	[[ "$output" == *"drift           ipv4"* ]]
	[[ "$output" == *"missing created tap0"* ]]
	[[ "$output" == *"needs: create route 192.168.0.253 dev tap1"* ]]
	run hn status -j
	[ "$(jq -r '.[] | select(.name == "tap0") | .state' <<<"$output")" = missing ]
	[ "$(jq -r '.[] | select(.object == "tap" and .name == "tap1") | .changes[0]' <<<"$output")" = "create route 192.168.0.253 dev tap1" ]
	[ "$(jq -r '.[] | select(.name == "br0") | "\(.state) \(.created_by_hostnet)"' <<<"$output")" = "ok true" ]
	run --separate-stderr hn apply
	[ "$status" -eq 0 ]
	[ "$output" = "modify sysctl net/ipv4/ip_forward: 0 -> 1
create tap tap0 (user 65534)
set link tap0: up, master br0, group 100
create route 192.168.0.253 dev tap1
applied 4 changes" ]
	# What was put back is recorded once: the state file has no line twice.
	[ -z "$(sort "$STATE/state" | uniq -d)" ]
	run hn apply
	[ "$output" = "nothing to do" ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "an existing tap with another owner is modified, then kept by down" {
	in_ns "$HN_BIN/tunctl" -u 1 -t tap0 >/dev/null
	run --separate-stderr hn plan
	[[ "$output" == *"modify tap tap0: user 1 -> 65534"* ]]
	hn apply
	[ "$(link_json tap0 | jq -r '.linkinfo.info_data.user')" = nobody ]
	hn down
	link_exists tap0
}

# Closing the fd that made a tap drops its carrier after the fact (linkwatch):
# set up too soon, the tap stayed operstate "unknown" and its port forwarding,
# which made the kernel's work on every port dearer (docs/hostnet-bench.md).
@test "a tap nobody reads is a disabled bridge port, as ip -batch leaves it" {
	printf '%s\n' "link add ref0 type bridge stp_state 0" "link set ref0 up" \
		"tuntap add ref1 mode tap" "link set ref1 master ref0 up" | in_ns ip -batch -
	[ "$(link_json ref1 | jq -r .operstate)" = DOWN ] ||
		skip "this kernel leaves a new tap's carrier to linkwatch even for ip"
	conf "bridge br0 stp off" "tap tap0 bridge br0" "tap tap1 bridge br0" "tap tap2 bridge br0" \
		"tap tap3 bridge br0" "tap tap4 bridge br0"
	hn apply
	[ "$(ip -n "$NS" -d -j link show master br0 | jq -r '[.[] | "\(.operstate) \(.linkinfo.info_slave_data.state)"] | unique | join(",")')" = \
		"$(link_json ref1 | jq -r '"\(.operstate) \(.linkinfo.info_slave_data.state)"')" ]
	[ "$(link_json tap4 | jq -r .linkinfo.info_slave_data.state)" = disabled ]
}

@test "a second run while one holds the lock is refused clearly" {
	hold_lock
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE/lock: another hostnet run holds the lock; try again when it has finished, or wait for it with -w SECONDS" ]
	same_as "$BATS_TEST_TMPDIR/before"
	release_lock
}

# hold_lock: another run holds $STATE/lock until release_lock (LOCK_PID).
hold_lock() {
	mkdir -p "$STATE"
	# one process holds the lock (its fd 8) and is the one killed
	(exec 8>"$STATE/lock" && flock 8 && touch "$BATS_TEST_TMPDIR/held" && exec sleep 600) 3>&- &
	LOCK_PID=$!
	wait_for test -e "$BATS_TEST_TMPDIR/held"
}

release_lock() {
	kill "$LOCK_PID" 2>/dev/null || true
	wait "$LOCK_PID" 2>/dev/null || true
}

@test "-w waits for the lock: apply runs once the other run lets go, or gives up after SECONDS" {
	hold_lock
	run --separate-stderr hn -w 1 apply
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE/lock: another hostnet run still holds the lock after 1 s; try again when it has finished" ]
	same_as "$BATS_TEST_TMPDIR/before"
	# a run that may wait long enough: it applies once the holder lets go
	hn -w 3600 apply >"$BATS_TEST_TMPDIR/waited" 2>&1 3>&- &
	local waiter=$!
	link_absent tap0		# it is waiting, not applying
	release_lock
	wait "$waiter"
	link_exists tap0
	run --separate-stderr hn -w 3601 down
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = 'hostnet: -w "3601": expected whole seconds, 0 to 3600' ]
	hn -w 0 down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "a route already going elsewhere is a conflict, not a silent replace" {
	ip -n "$NS" route add 192.168.0.253 dev eth0
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $CONF:4: tap1: route to a guest already goes to eth0" ]
}

@test "tun_access sets group and mode of the clone device; down restores them" {
	make_tun666
	conf "tun_access path $TUN666 group nogroup mode 0660"
	run --separate-stderr hn apply
	[ "$status" -eq 0 ]
	[ "$(stat -c '%G %a' "$TUN666")" = "nogroup 660" ]
	hn down
	[ "$(stat -c '%G %a' "$TUN666")" = "root 666" ]
	rm -rf "$TUN666_DIR"
}

@test "multi_queue and vnet_hdr taps; ipv6 forwarding; addresses of both families" {
	conf "linkgroup 7" "tap mq0 multi_queue vnet_hdr group nogroup" \
		"bridge br6 address fd00:6::1/64 address 10.6.0.1/24" "forwarding ipv6 on"
	hn apply
	[ "$(link_json mq0 | jq -r '.linkinfo.info_data | [.multi_queue, .vnet_hdr, .group] | join(" ")')" = "true true nogroup" ]
	[ "$(ip -n "$NS" -j addr show dev br6 | jq -r '[.[0].addr_info[] | select(.scope == "global") | .local] | sort | join(" ")')" = "10.6.0.1 fd00:6::1" ]
	[ "$(in_ns sysctl -n net.ipv6.conf.all.forwarding)" = 1 ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

# shellcheck disable=SC2016  # expanded by the inner shell
@test "a user or group of digits is that id, not a name looked up; tunctl looks the name up first" {
	cp /etc/passwd "$BATS_TEST_TMPDIR/passwd"
	cp /etc/group "$BATS_TEST_TMPDIR/group"
	echo '4001:x:5555:5555::/nonexistent:/usr/sbin/nologin' >>"$BATS_TEST_TMPDIR/passwd"
	echo '4002:x:6666:' >>"$BATS_TEST_TMPDIR/group"
	conf "tap tnum user 4001 group 4002" "tap tname user root group root"
	# A private view of the user database, in a mount namespace of its own.
	in_users() {
		in_ns unshare -m sh -c 'mount --bind "$1/passwd" /etc/passwd &&
			mount --bind "$1/group" /etc/group && shift && exec "$@"' _ "$BATS_TEST_TMPDIR" "$@"
	}
	in_users env HOSTNET_STATE_DIR="$STATE" "$HOSTNET" -f "$CONF" apply
	[ "$(tun_owner tnum) $(tun_group tnum)" = "4001 4002" ]
	[ "$(tun_owner tname) $(tun_group tname)" = "0 0" ]
	in_users "$TUNCTL" -u 4001 -g 4002 -t ttun
	[ "$(tun_owner ttun) $(tun_group ttun)" = "5555 6666" ]
}

@test "prune removes what apply created and the file no longer declares, only that; status marks it stale" {
	hn apply
	conf "linkgroup 100" \
		"bridge br0 address 192.168.2.1/24 stp off setfd 9 sethello 2 setmaxage 12" \
		"tap tap0 user nobody bridge br0"
	snapshot >"$BATS_TEST_TMPDIR/kept"
	run hn status -j
	[ "$(jq -r '[.[] | select(.state == "stale") | "\(.object) \(.name)"] | join(",")' <<<"$output")" = \
		"sysctl net/ipv4/ip_forward,link tap1,sysctl net/ipv4/conf/tap1/proxy_arp,addr tap1 192.168.0.254/32,route tap1 192.168.0.253,neigh eth0 192.168.0.253" ]
	[ "$(jq -r '[.[] | select(.state == "ok")] | length' <<<"$output")" = 2 ]
	run --separate-stderr hn plan
	[ "$output" = "nothing to do" ]
	[ "$stderr" = "hostnet: 6 records of earlier runs are not in the file any more: 'hostnet prune' removes them ('hostnet status' lists them)" ]
	run --separate-stderr hn prune
	[ "$status" -eq 0 ]
	[ "$output" = "restore sysctl net/ipv4/ip_forward to 0
remove link tap1
restore sysctl net/ipv4/conf/tap1/proxy_arp to 0
remove addr tap1 192.168.0.254/32
remove route tap1 192.168.0.253
remove neigh eth0 192.168.0.253
pruned 6 records" ]
	link_absent tap1
	[ "$(in_ns sysctl -n net.ipv4.ip_forward)" = 0 ]
	[ -z "$(ip -n "$NS" -j neigh show proxy | jq -r '.[]')" ]
	[ "$(link_json tap0 | jq -r '[.master, .group] | join(" ")')" = "br0 100" ]
	run hn prune
	[ "$output" = "nothing to prune" ]
	run hn apply
	[ "$output" = "nothing to do" ]
	run hn status -j
	[ "$(jq -r '[.[] | select(.state == "stale")] | length' <<<"$output")" = 0 ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "prune leaves adopted objects: a pre-existing bridge out of the file stays (the address hostnet gave it goes)" {
	ip -n "$NS" link add br0 type bridge
	hn apply
	conf "tap tap1 user 1000 mtu 1484 address 192.168.0.254/32 route 192.168.0.253 publish eth0" \
		"forwarding ipv4 on" "proxyarp on tap1"
	run --separate-stderr hn prune
	[ "$status" -eq 0 ]
	[ "$output" = "remove link tap0
remove addr br0 192.168.2.1/24
pruned 2 records" ]
	link_exists br0
	link_absent tap0
	link_exists tap1
	hn down
	link_exists br0
	link_absent tap1
}

@test "prune reads the whole file first: a bad file prunes nothing (exit 2); no state, nothing to prune" {
	run --separate-stderr hn prune
	[ "$status" -eq 0 ]
	[ "$output" = "nothing to prune" ]
	hn apply
	snapshot >"$BATS_TEST_TMPDIR/applied"
	conf "tap tap0 user nobody bridge br9"
	run --separate-stderr hn prune
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	same_as "$BATS_TEST_TMPDIR/applied"
}

@test "a tap of ours whose line loses its bridge option is taken off the bridge; an adopted one is left on it" {
	ip -n "$NS" link add br9 type bridge
	ip -n "$NS" tuntap add tapx mode tap
	ip -n "$NS" link set tapx master br9
	conf "bridge br0" "tap tap0 bridge br0" "tap tapx"
	hn apply
	[ "$(link_json tap0 | jq -r .master)" = br0 ]
	conf "bridge br0" "tap tap0" "tap tapx"
	run --separate-stderr hn apply
	[ "$output" = $'modify link tap0: master br0 -> -\napplied 1 change' ]
	[ "$(link_json tap0 | jq -r .master)" = null ]
	[ "$(link_json tapx | jq -r .master)" = br9 ]
	hn down
	link_absent tap0
	[ "$(link_json tapx | jq -r .master)" = br9 ]
}

@test "a guest route the file moved to another tap: apply points to prune; prune, then apply, moves it" {
	conf "tap tap1 route 192.168.0.253" "tap tap2"
	hn apply
	conf "tap tap1" "tap tap2 route 192.168.0.253"
	prune_then_apply "hostnet: $CONF:2: tap2: route to a guest already goes to tap1" \
		"remove route tap1 192.168.0.253" "create route 192.168.0.253 dev tap2"
	[ "$(ip -n "$NS" -j route show 192.168.0.253 | jq -r '.[0].dev')" = tap2 ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "state files are 0600 and a new state directory 0700, whatever the umask" {
	# shellcheck disable=SC2016 # expanded by the inner shell
	run -0 in_ns sh -c 'umask 000 && exec env HOSTNET_STATE_DIR="$0" "$1" -f "$2" apply' "$STATE" "$HOSTNET" "$CONF"
	[ "$(stat -c %a "$STATE")" = 700 ]
	[ "$(stat -c %a "$STATE/state")" = 600 ]
	[ "$(stat -c %a "$STATE/lock")" = 600 ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "a state directory or file others could write is refused, and nothing is touched" {
	hn apply
	snapshot >"$BATS_TEST_TMPDIR/applied"
	# a state anyone could have written: down would delete what it names
	chmod 666 "$STATE/state"
	run --separate-stderr hn down
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE/state: writable by everyone (mode 0666); refusing to use the state (chown root, chmod go-w)" ]
	same_as "$BATS_TEST_TMPDIR/applied"
	chmod 600 "$STATE/state"
	chmod 775 "$STATE"
	run --separate-stderr hn status
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE: writable by its group (mode 0775); refusing to use the state (chown root, chmod go-w)" ]
	chmod 755 "$STATE"
	chown nobody "$STATE"
	run --separate-stderr hn down
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE: owned by uid 65534, not uid 0 (root); refusing to use the state (chown root, chmod go-w)" ]
	same_as "$BATS_TEST_TMPDIR/applied"
	chown root "$STATE"
	mv "$STATE/state" "$STATE/real"
	ln -s real "$STATE/state"
	run --separate-stderr hn down
	[ "$status" -eq 1 ]
	[ "$stderr" = "hostnet: $STATE/state: is a symbolic link; refusing to use the state (chown root, chmod go-w)" ]
	rm "$STATE/state"
	mv "$STATE/real" "$STATE/state"
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "down gives every interface its own forwarding back, not only the global switch" {
	ip -n "$NS" link add eth1 type veth peer name eth1-peer
	in_ns sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
	in_ns sysctl -qw net.ipv4.conf.eth1.forwarding=1 net.ipv6.conf.eth1.forwarding=1
	snapshot >"$BATS_TEST_TMPDIR/before"
	conf "forwarding ipv4 on" "forwarding ipv6 on"
	run -0 hn apply
	[ "$(in_ns sysctl -n net.ipv4.conf.eth0.forwarding)" = 1 ]
	[ "$(in_ns sysctl -n net.ipv6.conf.eth0.forwarding)" = 1 ]
	run -0 hn apply		# nothing to do, nothing more recorded
	[ "$output" = "nothing to do" ] || [ -z "$output" ]
	run -0 hn down
	[ "$(in_ns sysctl -n net.ipv4.conf.eth1.forwarding)" = 1 ]
	[ "$(in_ns sysctl -n net.ipv6.conf.eth1.forwarding)" = 1 ]
	[ "$(in_ns sysctl -n net.ipv4.conf.eth0.forwarding)" = 0 ]
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "prune keeps the saved interface forwarding while the file has its forwarding line" {
	conf "forwarding ipv4 on" "bridge br0"
	run -0 hn apply
	conf "forwarding ipv4 on"
	run -0 hn prune
	[ "$output" = "remove link br0"$'\n'"pruned 1 record" ]
	[ "$(in_ns sysctl -n net.ipv4.ip_forward)" = 1 ]
	run -0 hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "a link deleted and replaced under the same name is reported, never taken down" {
	hn apply
	grep -qE '^link tap1 @[0-9]+$' "$STATE/state"
	grep -qE '^addr tap1 192\.168\.0\.254/32 @[0-9]+$' "$STATE/state"
	ip -n "$NS" link del tap1
	ip -n "$NS" link add tap1 type veth peer name tap1-peer
	ip -n "$NS" link set tap1 group 100	# even in hostnet's link group
	# a conflict for apply (exit 1: "exists and is not a tap"), not ours for status
	run --separate-stderr hn status -j
	[ "$status" -eq 1 ]
	[[ $stderr == *"hostnet.conf:4: tap1: exists and is not a tap (veth)"* ]]
	[ "$(jq -r '.[] | select(.object == "tap" and .name == "tap1") | "\(.state) \(.created_by_hostnet)"' <<<"$output")" = "replaced false" ]
	[ "$(jq -r '.[] | select(.object == "tap" and .name == "tap0") | "\(.state) \(.created_by_hostnet)"' <<<"$output")" = "ok true" ]
	run --separate-stderr hn status
	grep -qx "4     tap        replaced        tap1" <<<"$output"
	run --separate-stderr hn down
	[ "$status" -eq 0 ]
	[[ $stderr == *"hostnet: link tap1: tap1 is another link now (ifindex "*"): left alone"* ]]
	link_exists tap1
	link_exists tap1-peer
	[ "$(link_json tap1 | jq -r .linkinfo.info_kind)" = veth ]
	link_absent tap0
	link_absent br0
}

@test "apply --prune: from an earlier state of the file to this one in one run, under one lock" {
	conf "tap tap1 route 192.168.0.253" "tap tap2" "bridge br5"
	hn apply
	conf "tap tap1" "tap tap2 route 192.168.0.253"
	run --separate-stderr hn apply --prune
	[ "$status" -eq 0 ]
	[ "$output" = $'remove link br5\nremove route tap1 192.168.0.253\npruned 2 records\ncreate route 192.168.0.253 dev tap2\napplied 1 change' ]
	link_absent br5
	[ "$(ip -n "$NS" -j route show 192.168.0.253 | jq -r '.[0].dev')" = tap2 ]
	run -0 hn apply --prune
	[ "$output" = $'nothing to prune\nnothing to do' ]
	run --separate-stderr hn plan --prune
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "hostnet: --prune only applies to apply" ]
	hn down
	same_as "$BATS_TEST_TMPDIR/before"
}

@test "include: apply makes what every included file declares; a conflict names the included file" {
	mkdir -p "$BATS_TEST_TMPDIR/hostnet.d"
	conf "bridge br0" "include hostnet.d/*.conf"
	printf '%s\n' "tap tapa bridge br0" >"$BATS_TEST_TMPDIR/hostnet.d/a.conf"
	printf '%s\n' "# b" "tap tapb bridge br0" >"$BATS_TEST_TMPDIR/hostnet.d/b.conf"
	ip -n "$NS" link add tapb type veth peer name tapb-peer
	run --separate-stderr hn apply
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "hostnet: $BATS_TEST_TMPDIR/hostnet.d/b.conf:2: tapb: exists and is not a tap (veth)" ]
	ip -n "$NS" link del tapb
	run -0 hn apply
	[ "$(ip -n "$NS" -j link show master br0 | jq -r '[.[].ifname] | sort | join(" ")')" = "tapa tapb" ]
	rm "$BATS_TEST_TMPDIR/hostnet.d/b.conf"
	run -0 hn apply --prune
	link_absent tapb
	hn down
}

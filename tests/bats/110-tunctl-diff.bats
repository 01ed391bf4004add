#!/usr/bin/env bats
# 110-tunctl-diff.bats - differential tests: the reference /usr/bin/tunctl and
# ours run the same steps in two fresh namespaces; stdout, exit codes and the
# resulting tun devices (type, flags, persist, owner, group) must be equal.

load helpers

setup_file() {
	require_root_netns
	[ -x "$REF_TUNCTL" ] || unavailable "needs the reference $REF_TUNCTL (make oracles)"
}

setup() {
	require_root_netns
	NS="hn-$$-110-$BATS_TEST_NUMBER"
}

@test "diff: plain create, brief, owners and groups (rows 1-7, 60)" {
	diff_tunctl "" "-b" "-u nobody" "-u 4321 -t tapu" "-g nogroup -t tapg" \
		"-u nobody -g nogroup -t tapug" "-u daemon -g 0 -t tapug2" \
		"-b -u nobody -g nogroup -t tapC"
}

@test "diff: patterns and the empty name (rows 22-25)" {
	diff_tunctl "-t tap%d" "-t uml%d" "-t my%dx" "-t ''" "-b -t tap%d"
}

@test "diff: re-create with the same owner, last -t wins (rows 28, 35)" {
	diff_tunctl "-t tap0" "-t tap0" "-u nobody -t tapn" "-t tapn -u nobody" "-t x -t y"
}

@test "diff: refusals the reference makes too (rows 30-34)" {
	diff_tunctl "-t lo" "ip tuntap add tun9 mode tun" "-t tun9" \
		"ip tuntap add mqtap mode tap multi_queue" "-t mqtap" \
		"-t 'a b'" "-t a/b" "-t a:b" "-t .." "-t tap%d%d" "-t tap%s"
}

@test "diff: adopting a device made by ip tuntap resets pi/vnet_hdr (row 36)" {
	diff_tunctl "ip tuntap add vtap mode tap vnet_hdr pi" "-t vtap"
}

@test "diff: delete forms (rows 37, 40-44)" {
	diff_tunctl "-t tap1" "-t tap2" "-u nobody -t tapu" "-g nogroup -t tapg" \
		"-t tapA" "-t tapB" "ip tuntap add tapiproute mode tap" \
		"-d tap1" "-b -d tap2" "-d tapu -u nobody" "-t y -d tapg" \
		"-d tapA -t tapB" "-d tapiproute"
}

@test "diff: -d on a missing device (row 38: same stdout and exit)" {
	diff_tunctl "-d nosuchdev" "-d nosuchdev"
}

@test "diff: usage errors exit 1 with nothing on stdout (rows 17-21, 47-51)" {
	diff_tunctl "-u nosuchuser" "-g nosuchgroup" "-u 12abc -t tapx" "-u '7 ' -t tapx" \
		"-t tapA" "-u nosuchuser -d tapA" \
		"-d" "-u" "extra" "-t a extra" "-t tapB -- extra" "-- -t" "-x" "-z"
}

@test "diff: clone device errors (rows 57-59)" {
	diff_tunctl "-f /nonexistent" "-f /dev/null" "-f /tmp"
}

@test "diff: the script idiom TAP=\$(tunctl -u N -b); tunctl -d \$TAP" {
	diff_tunctl "-u 4000 -b" "-u 4000 -b" "-d tap0" "-d tap1"
}

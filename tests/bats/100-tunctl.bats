#!/usr/bin/env bats
# 100-tunctl.bats - tunctl as root: every case of the behaviour table the tool was
# written from (its "rows", numbered as there; each test's name says the
# behaviour itself), reproduced or refused as docs/tunctl.8 COMPATIBILITY says.
# A fresh namespace per test.

load helpers

setup() {
	ns_setup_test
}

teardown() {
	ns_teardown_test
}

# created NAME OWNER GROUP: NAME is a persistent tap with that owner/group (-1: unset).
created() {
	[ "$(tun_info "$1" | jq -r '[.type, .persist, .pi, .vnet_hdr] | join(" ")')" = "tap true false false" ]
	[ "$(tun_owner "$1")" = "$2" ]
	[ "$(tun_group "$1")" = "$3" ]
}

# refused ARGS...: exit 1, nothing on stdout, no tun device created.
refused() {
	run --separate-stderr in_ns "$TUNCTL" "$@"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "row 1: no options creates tap0 owned by root" {
	run --separate-stderr in_ns "$TUNCTL"
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tap0' persistent and owned by uid 0" ]
	[ "$stderr" = "" ]
	created tap0 0 -1
}

@test "row 2: -b prints only the name" {
	run --separate-stderr in_ns "$TUNCTL" -b
	[ "$status" -eq 0 ]
	[ "$output" = "tap0" ]
	created tap0 0 -1
}

@test "row 3: -u by user name" {
	run in_ns "$TUNCTL" -u nobody
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tap0' persistent and owned by uid 65534" ]
	created tap0 65534 -1
}

@test "row 4: -u by number, need not exist" {
	run in_ns "$TUNCTL" -u 4321 -t tapu
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tapu' persistent and owned by uid 4321" ]
	created tapu 4321 -1
}

@test "row 5: -g only sets the group and no owner" {
	run in_ns "$TUNCTL" -g nogroup -t tapg
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tapg' persistent and owned by gid 65534" ]
	created tapg -1 65534
}

@test "rows 6-7: -u and -g together" {
	run in_ns "$TUNCTL" -u nobody -g nogroup -t tapug
	[ "$output" = "Set 'tapug' persistent and owned by uid 65534 gid 65534" ]
	run in_ns "$TUNCTL" -u daemon -g 0 -t tapug2
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tapug2' persistent and owned by uid 1 gid 0" ]
	created tapug 65534 65534
	created tapug2 1 0
}

@test "rows 8-9: hex and octal-looking ids are refused (reference: 0x3e8=1000, 010=8)" {
	refused -u 0x3e8 -t taphex
	[ "$stderr" = "tunctl: -u '0x3e8': not a known name nor a decimal number" ]
	refused -u 010 -t tapoct
	[ "$stderr" = "tunctl: -u '010': not a known name nor a decimal number" ]
}

@test "row 10: -u '' is refused (reference: root becomes the owner)" {
	refused -u '' -t tapempty
	[ "$stderr" = "tunctl: -u '': empty (give a name or a decimal id)" ]
	refused -g '' -t tapempty
	[ "$stderr" = "tunctl: -g '': empty (give a name or a decimal id)" ]
}

@test "rows 11-12: -1 and 4294967295 are refused (reference: silently 'unset')" {
	refused -u -1 -t tapm1
	[ "$stderr" = "tunctl: -u '-1': not a plain decimal number (and -1 means none)" ]
	refused -u 4294967295 -t tapmax
	[ "$stderr" = "tunctl: -u '4294967295': out of range (0-4294967294)" ]
	refused -g 4294967295 -t tapmax
}

@test "row 13: uid 4294967294 is printed unsigned (reference prints -2)" {
	run in_ns "$TUNCTL" -u 4294967294 -t tapm2
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tapm2' persistent and owned by uid 4294967294" ]
	created tapm2 4294967294 -1
}

@test "rows 14-16: blanks, signs and overflow are refused (reference: 7, 5, wrapped)" {
	refused -u ' 7' -t tapsp
	refused -u +5 -t tapplus
	refused -u 99999999999 -t tapbig
	[ "$stderr" = "tunctl: -u '99999999999': out of range (0-4294967294)" ]
}

@test "rows 17-20: unknown names and trailing junk are refused" {
	refused -u nosuchuser
	[ "$stderr" = "tunctl: -u 'nosuchuser': not a known name nor a decimal number" ]
	refused -g nosuchgroup
	[ "$stderr" = "tunctl: -g 'nosuchgroup': not a known name nor a decimal number" ]
	refused -u 12abc -t tapx
	refused -u '7 ' -t tapx
}

@test "row 21: -u is validated even with -d" {
	in_ns "$TUNCTL" -t tapA
	run --separate-stderr in_ns "$TUNCTL" -u nosuchuser -d tapA
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	link_exists tapA
}

@test "rows 22-25: name patterns and the empty name" {
	run in_ns "$TUNCTL" -t 'tap%d'
	[ "$output" = "Set 'tap0' persistent and owned by uid 0" ]
	run in_ns "$TUNCTL" -t 'uml%d'
	[ "$output" = "Set 'uml0' persistent and owned by uid 0" ]
	run in_ns "$TUNCTL" -t 'my%dx'
	[ "$output" = "Set 'my0x' persistent and owned by uid 0" ]
	run in_ns "$TUNCTL" -t ''
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tap1' persistent and owned by uid 0" ]
}

@test "rows 26-27: names over 15 bytes are refused, never truncated" {
	refused -t abcdefghijklmnopqrstuvwxyz
	[ "$stderr" = "tunctl: 'abcdefghijklmnopqrstuvwxyz': interface name longer than 15 bytes" ]
	refused -t 0123456789012345
	link_absent abcdefghijklmno
	link_absent 012345678901234
	run in_ns "$TUNCTL" -b -t 012345678901234
	[ "$status" -eq 0 ]
	[ "$output" = "012345678901234" ]
}

@test "row 28: re-running create with the same owner succeeds" {
	in_ns "$TUNCTL" -t tap0
	run --separate-stderr in_ns "$TUNCTL" -t tap0
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tap0' persistent and owned by uid 0" ]
	created tap0 0 -1
}

@test "row 29: a device owned by someone else is not re-owned (reference re-owns)" {
	in_ns "$TUNCTL" -t tap0
	run --separate-stderr in_ns "$TUNCTL" -t tap0 -u nobody
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "tunctl: tap0: already owned by uid 0; refusing to change it to uid 65534 (delete it first: tunctl -d tap0)" ]
	created tap0 0 -1
}

@test "row 29b: adding a group to an owned device is refused too" {
	in_ns "$TUNCTL" -u nobody -t tap0
	run --separate-stderr in_ns "$TUNCTL" -t tap0 -u nobody -g nogroup
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tap0: already owned by uid 65534; refusing to change it to uid 65534 gid 65534 (delete it first: tunctl -d tap0)" ]
	created tap0 65534 -1
}

@test "row 30: a non-tun interface is refused by name" {
	run --separate-stderr in_ns "$TUNCTL" -t lo
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "tunctl: lo: exists and is not a tun/tap device" ]
}

@test "row 31: an existing tun-mode device is refused and left alone" {
	in_ns ip tuntap add tun9 mode tun
	run --separate-stderr in_ns "$TUNCTL" -t tun9
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tun9: exists as a tun device, not tap" ]
	[ "$(tun_info tun9 | jq -r .type)" = tun ]
}

@test "row 32: an existing multi-queue tap needs --multi-queue" {
	in_ns ip tuntap add mqtap mode tap multi_queue
	run --separate-stderr in_ns "$TUNCTL" -t mqtap
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: mqtap: exists as a multi-queue device (add --multi-queue)" ]
	run in_ns "$TUNCTL" --multi-queue -t mqtap
	[ "$status" -eq 0 ]
	[ "$(tun_info mqtap | jq -r '[.multi_queue, .persist] | join(" ")')" = "true true" ]
}

@test "row 33: whitespace, '/', ':', '.' and '..' are refused with the reason" {
	refused -t 'a b'
	[ "$stderr" = "tunctl: 'a b': whitespace is not allowed in interface names" ]
	refused -t 'a/b'
	[ "$stderr" = "tunctl: 'a/b': '/' and ':' are not allowed in interface names" ]
	refused -t 'a:b'
	refused -t '..'
	[ "$stderr" = "tunctl: '..': '.' and '..' are not interface names" ]
	refused -t '.'
}

@test "row 34: patterns need exactly one %d" {
	refused -t 'tap%d%d'
	[ "$stderr" = "tunctl: 'tap%d%d': a name pattern has exactly one '%d'" ]
	refused -t 'tap%s'
}

@test "row 35: the last -t wins" {
	run in_ns "$TUNCTL" -t x -t y
	[ "$output" = "Set 'y' persistent and owned by uid 0" ]
	link_absent x
}

@test "row 36: adopting an ownerless device resets pi and vnet_hdr to the request" {
	in_ns ip tuntap add vtap mode tap vnet_hdr pi
	run in_ns "$TUNCTL" -t vtap
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'vtap' persistent and owned by uid 0" ]
	created vtap 0 -1
}

@test "--vnet-hdr and -n (tun) create what they say" {
	run in_ns "$TUNCTL" --vnet-hdr -t vh0
	[ "$status" -eq 0 ]
	[ "$(tun_info vh0 | jq -r '[.type, .vnet_hdr] | join(" ")')" = "tap true" ]
	run in_ns "$TUNCTL" -n -b
	[ "$output" = "tun0" ]
	[ "$(tun_info tun0 | jq -r .type)" = tun ]
	run in_ns "$TUNCTL" -n -t tun0
	[ "$status" -eq 0 ]
	run --separate-stderr in_ns "$TUNCTL" -t tun0
	[ "$stderr" = "tunctl: tun0: exists as a tun device, not tap" ]
}

@test "rows 37, 40, 44: -d makes the device go, also one made by ip tuntap" {
	in_ns "$TUNCTL" -t tap1
	in_ns "$TUNCTL" -t tap2
	in_ns ip tuntap add tapiproute mode tap
	run --separate-stderr in_ns "$TUNCTL" -d tap1
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tap1' nonpersistent" ]
	[ "$stderr" = "" ]
	run in_ns "$TUNCTL" -b -d tap2
	[ "$output" = "Set 'tap2' nonpersistent" ]
	run in_ns "$TUNCTL" -d tapiproute
	[ "$output" = "Set 'tapiproute' nonpersistent" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "-d also deletes tun-mode and multi-queue devices (reference: EINVAL)" {
	in_ns ip tuntap add tun9 mode tun
	in_ns ip tuntap add mq0 mode tap multi_queue
	run in_ns "$TUNCTL" -d tun9
	[ "$status" -eq 0 ]
	run in_ns "$TUNCTL" -d mq0
	[ "$status" -eq 0 ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "row 38: -d on a missing device exits 0, says so on stderr, creates nothing" {
	run --separate-stderr in_ns "$TUNCTL" -d nosuchdev
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'nosuchdev' nonpersistent" ]
	[ "$stderr" = "tunctl: nosuchdev: no such device; nothing to delete" ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "row 39: -d with a pattern is refused (reference makes a transient device)" {
	refused -d 'tap%d'
	[ "$stderr" = "tunctl: 'tap%d': -d needs a device name, not a pattern" ]
	refused -d ''
}

@test "-d on a non-tun interface is refused" {
	run --separate-stderr in_ns "$TUNCTL" -d lo
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: lo: not a tun/tap device" ]
}

@test "rows 41-43: -d and -t share the name; the last wins, delete mode stays" {
	in_ns "$TUNCTL" -t tapu -u nobody
	in_ns "$TUNCTL" -t tapg -g nogroup
	in_ns "$TUNCTL" -t tapA
	in_ns "$TUNCTL" -t tapB
	run in_ns "$TUNCTL" -d tapu -u nobody
	[ "$output" = "Set 'tapu' nonpersistent" ]
	run in_ns "$TUNCTL" -t y -d tapg
	[ "$output" = "Set 'tapg' nonpersistent" ]
	run in_ns "$TUNCTL" -d tapA -t tapB
	[ "$output" = "Set 'tapB' nonpersistent" ]
	[ "$(tun_state "$NS" | jq -r 'map(.ifname) | join(" ")')" = "tapA" ]
}

@test "rows 45-46: a device held open by another process is busy" {
	in_ns "$TUNCTL" -t tapbusy
	hold_tap tapbusy
	run --separate-stderr in_ns "$TUNCTL" -d tapbusy
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tapbusy: TUNSETIFF: Device or resource busy" ]
	run --separate-stderr in_ns "$TUNCTL" -t tapbusy
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tapbusy: TUNSETIFF: Device or resource busy" ]
	[ "$(tun_info tapbusy | jq -r .persist)" = true ]
}

@test "row 60: -b with owner and group" {
	run --separate-stderr in_ns "$TUNCTL" -b -u nobody -g nogroup -t tapC
	[ "$status" -eq 0 ]
	[ "$output" = "tapC" ]
	created tapC 65534 65534
}

@test "TAP=\$(tunctl -u N -b); tunctl -d \$TAP round trip, as scripts do" {
	TAP=$(in_ns "$TUNCTL" -u 4000 -b)
	[ "$TAP" = tap0 ]
	created tap0 4000 -1
	run in_ns "$TUNCTL" -d "$TAP"
	[ "$status" -eq 0 ]
	link_absent tap0
}

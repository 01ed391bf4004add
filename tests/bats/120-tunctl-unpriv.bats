#!/usr/bin/env bats
# 120-tunctl-unpriv.bats - tunctl run by the unprivileged user nobody (rows 61-72
# of the behaviour table, as in 100-tunctl.bats): the kernel's attach rules, and
# our refusal to re-own devices (docs/tunctl.8).

load helpers

setup_file() {
	require_root_netns
	command -v setpriv >/dev/null || unavailable "needs setpriv (util-linux)"
	make_tun666
}

teardown_file() {
	[ -n "${TUN666_DIR:-}" ] && rm -rf "$TUN666_DIR"
	return 0
}

setup() {
	ns_setup_test
}

teardown() {
	ns_teardown_test
}

@test "row 61: the clone device closed to nobody fails at open" {
	[ "$(stat -c %a /dev/net/tun)" = 600 ] || skip "/dev/net/tun is not 0600 here"
	run --separate-stderr as_nobody "$TUNCTL" -t tapnp
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: /dev/net/tun: open: Permission denied" ]
}

@test "row 62: nobody cannot create a device" {
	run --separate-stderr as_nobody "$TUNCTL" -f "$TUN666" -t tapnp
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "tunctl: tapnp: TUNSETIFF: Operation not permitted" ]
	link_absent tapnp
}

@test "row 63: nobody cannot delete a device owned by another user" {
	in_ns "$TUNCTL" -u daemon -g 0 -t tapug2
	run --separate-stderr as_nobody "$TUNCTL" -f "$TUN666" -d tapug2
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tapug2: TUNSETIFF: Operation not permitted" ]
	link_exists tapug2
}

@test "rows 64, 66: the owner may delete its device" {
	in_ns "$TUNCTL" -u nobody -g nogroup -t tapug
	in_ns "$TUNCTL" -u nobody -t tapown2
	run as_nobody "$TUNCTL" -f "$TUN666" -d tapug
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tapug' nonpersistent" ]
	run as_nobody "$TUNCTL" -f "$TUN666" -d tapown2
	[ "$status" -eq 0 ]
	[ "$(tun_state "$NS")" = "[]" ]
}

@test "row 65: a device of another owner stays theirs" {
	in_ns "$TUNCTL" -u 4294967294 -t tapm2
	run --separate-stderr as_nobody "$TUNCTL" -f "$TUN666" -t tapm2 -u 0
	[ "$status" -eq 1 ]
	[ "$(tun_owner tapm2)" = 4294967294 ]
}

@test "row 67: the owner cannot give its device away (reference allows it)" {
	in_ns "$TUNCTL" -u nobody -t tapown
	run --separate-stderr as_nobody "$TUNCTL" -f "$TUN666" -t tapown -u 0
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tapown: already owned by uid 65534; refusing to change it to uid 0 (delete it first: tunctl -d tapown)" ]
	[ "$(tun_owner tapown)" = 65534 ]
	run as_nobody "$TUNCTL" -f "$TUN666" -d tapown
	[ "$status" -eq 0 ]
}

@test "row 68: a non-member cannot take a group device" {
	in_ns "$TUNCTL" -g nogroup -t tapgrp
	run --separate-stderr in_ns setpriv --reuid=4000 --regid=4000 --clear-groups \
		"$TUNCTL" -f "$TUN666" -t tapgrp
	[ "$status" -eq 1 ]
	[ "$(tun_owner tapgrp)" = -1 ]
	[ "$(tun_group tapgrp)" = 65534 ]
}

@test "row 69: a member cannot make a group device its own (reference allows it)" {
	in_ns "$TUNCTL" -g nogroup -t tapgrp
	run --separate-stderr as_nobody "$TUNCTL" -f "$TUN666" -t tapgrp
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tapgrp: already owned by gid 65534; refusing to change it to uid 65534 gid 65534 (delete it first: tunctl -d tapgrp)" ]
	[ "$(tun_owner tapgrp)" = -1 ]
}

@test "row 70: a member may delete a group device" {
	in_ns "$TUNCTL" -g nogroup -t tapgrp2
	run as_nobody "$TUNCTL" -f "$TUN666" -d tapgrp2
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tapgrp2' nonpersistent" ]
	link_absent tapgrp2
}

@test "row 71: owner and group must both match" {
	in_ns "$TUNCTL" -u nobody -g 0 -t tapboth
	run --separate-stderr as_nobody "$TUNCTL" -f "$TUN666" -d tapboth
	[ "$status" -eq 1 ]
	[ "$stderr" = "tunctl: tapboth: TUNSETIFF: Operation not permitted" ]
	link_exists tapboth
}

@test "row 72: the owner re-running create changes nothing and succeeds" {
	in_ns "$TUNCTL" -u nobody -g nogroup -t tapboth2
	run --separate-stderr as_nobody "$TUNCTL" -f "$TUN666" -b -t tapboth2
	[ "$status" -eq 0 ]
	[ "$output" = "tapboth2" ]
	[ "$(tun_owner tapboth2)" = 65534 ]
	[ "$(tun_group tapboth2)" = 65534 ]
}

@test "tunctl -l works unprivileged and shows owner and group" {
	in_ns "$TUNCTL" -u nobody -g nogroup -t tapl
	run --separate-stderr as_nobody "$TUNCTL" -l -j
	[ "$status" -eq 0 ]
	[ "$(jq -c '.[] | [.ifname, .owner, .group, .persist]' <<<"$output")" = '["tapl",65534,65534,true]' ]
}

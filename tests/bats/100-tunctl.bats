#!/usr/bin/env bats
# 100-tunctl.bats - tunctl create/delete as in the spec's verified table (root rows).

load helpers

setup_file() {
	ns_setup_file
}

teardown_file() {
	ns_teardown_file
}

@test "tunctl with no options creates tap0 owned by root" {
	run --separate-stderr in_ns "$TUNCTL"
	[ "$status" -eq 0 ]
	[ "$output" = "Set 'tap0' persistent and owned by uid 0" ]
	[ "$stderr" = "" ]
	[ "$(tun_info tap0)" = '{"type":"tap","pi":false,"vnet_hdr":false,"multi_queue":false,"persist":true,"user":"root"}' ]
}

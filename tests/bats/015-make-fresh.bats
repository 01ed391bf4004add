#!/usr/bin/env bats
# 015-make-fresh.bats - the README's first command on a machine that has none
# of the -dev packages: `make demo` installs them first, then builds and runs
# the demo. A stub apt-get/dpkg-query/pkg-config in PATH plays the fresh
# machine: pkg-config finds nothing until the stub apt-get has "installed"
# the packages, after which the real pkg-config answers.

# shellcheck disable=SC2016 # the stubs are written for their own shell

load helpers

setup() {
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	STUB=$BATS_TEST_TMPDIR/stub
	MARK=$BATS_TEST_TMPDIR/installed
	APTLOG=$BATS_TEST_TMPDIR/apt.log
	mkdir -p "$STUB"
	cat >"$STUB/apt-get" <<-EOF
	#!/bin/sh
	echo "apt-get \$*" >>"$APTLOG"
	case " \$* " in *" install "*) touch "$MARK" ;; esac
	exit 0
	EOF
	cat >"$STUB/dpkg-query" <<-EOF
	#!/bin/sh
	[ -e "$MARK" ] && exec /usr/bin/dpkg-query "\$@"
	echo not-installed
	EOF
	cat >"$STUB/pkg-config" <<-EOF
	#!/bin/sh
	[ -e "$MARK" ] && exec /usr/bin/pkg-config "\$@"
	[ "\$1" = --exists ] && exit 1
	exit 1
	EOF
	chmod 755 "$STUB"/*
}

# A copy of the source tree without build outputs.
tree_copy() {
	COPY=$BATS_TEST_TMPDIR/tree
	mkdir -p "$COPY"
	tar -C "$TOP" --exclude=./build --exclude=./build-san --exclude=./build-fuzz \
		--exclude=./lib/libhostnet.a --exclude=./.git -cf - . | tar -C "$COPY" -xf -
}

@test "without the libraries, make names them and says how to get them" {
	run --separate-stderr env PATH="$STUB:$PATH" make -s -C "$TOP" all
	[ "$status" -eq 2 ]
	[[ $stderr == *"missing libraries (pkg-config): libnl-3.0 libnl-route-3.0 libmnl libnftnl -- run 'make deps' as root (or 'make demo' / 'make check', which run it first).  Stop." ]]
	[ ! -e "$APTLOG" ]
}

@test "make -n check parses without the libraries: deps, then the reference tools, then the suite" {
	run -0 env PATH="$STUB:$PATH" make -n --no-print-directory -C "$TOP" check
	[ "${lines[0]}" = "tests/deps.sh test" ]
	[ "${lines[1]}" = "tests/deps.sh oracles $TOP/build/oracles" ]
	[ "${lines[2]}" = "HN_ORACLES=$TOP/build/oracles tests/run" ]
}

@test "make demo on a fresh machine: deps installs the build packages, then it builds and the demo runs" {
	[[ $HN_BIN != */build-san/* ]] || skip "the plain build covers this (a full build and demo run)"
	require_root_netns
	tree_copy
	run env PATH="$STUB:$PATH" make -C "$COPY" demo
	echo "$output" | tail -n 30
	[ "$status" -eq 0 ]
	# deps ran first and asked apt for exactly the build packages
	[ "$(grep -c ' install ' "$APTLOG")" -eq 1 ]
	local want
	for want in gcc make pkg-config libc6-dev libnl-3-dev libnl-route-3-dev libmnl-dev libnftnl-dev libcap-ng-dev; do
		grep -q " install .* $want\( \|$\)" "$APTLOG" || { echo "not installed: $want"; return 1; }
	done
	local inst cc
	inst=$(grep -n '^deps: installing:' <<<"$output" | head -n 1 | cut -d: -f1)
	cc=$(grep -nE '^  CC ' <<<"$output" | head -n 1 | cut -d: -f1)
	[ -n "$inst" ] && [ -n "$cc" ] && [ "$inst" -lt "$cc" ]
	[[ $output == *"demo: after down, links and nftables of hn-demo-host-"*" are as before"* ]]
	# the reference tools are never installed by the set-up
	run -1 grep -E ' (uml-utilities|bridge-utils)( |$)' "$APTLOG"
}

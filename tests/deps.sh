#!/bin/sh
# tests/deps.sh - install with apt what a fresh Debian 12 lacks.
#   deps.sh build   what hostnet needs to build and run (make deps, make demo)
#   deps.sh test    that, plus what the test suite needs (make check)
#   deps.sh oracles DIR   unpack the reference tools (uml-utilities,
#                   bridge-utils) into DIR for the differential tests; they
#                   are never installed into the system, whose ifupdown hooks
#                   would then run beside hostnet's.
# Does nothing when everything is present. Needs root only to install.
# The package lists are split into words on purpose:
# shellcheck disable=SC2086
set -eu

BUILD="gcc make pkg-config libc6-dev
libnl-3-dev libnl-route-3-dev libmnl-dev libnftnl-dev libcap-ng-dev libslirp-dev"
# The demo and the test suite: namespaces, traffic, JSON readers, linters,
# ifupdown for the hook tests, strace/setcap for uml_net's, clang for fuzzing,
# python3 for slirp's DNS/DHCP/UDP fixtures and uml_net's (stuffed.py, tapfd.py), net-tools (ifconfig, route) and
# curl for the UML guests' seed commands.
TEST="bats iproute2 nftables jq util-linux iputils-ping procps socat
mandoc shellcheck iptables bc ifupdown libcap2-bin clang libclang-rt-14-dev strace
python3 net-tools curl
qemu-system-x86"
# qemu-system-x86 (with qemu-system-common's qemu-bridge-helper): the
# QEMU bridge helper tests (450-qemu-bridge-helper.bats).
ORACLES="uml-utilities bridge-utils"

die() { echo "deps: $*" >&2; exit 1; }

# install PKG...: apt-get install the ones not installed yet.
need() {
	missing=""
	for p in "$@"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$st" = installed ] || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages:$missing" >&2
		die "run 'make deps' as root, or: apt-get install$missing"
	fi
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || die "apt-get update failed"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		die "apt-get install failed:$missing"
}

# oracles DIR: DIR/usr/bin/tunctl, DIR/sbin/brctl, ... from the packages'
# .debs, fetched once; DIR/.versions says which versions are there.
oracles() {
	dir=$1
	want=$(apt-cache policy $ORACLES 2>/dev/null | awk '/^[^ ]/ {p=$1} /Candidate:/ {print p $2}' | tr -d '\n')
	[ -n "$want" ] && [ -f "$dir/.versions" ] && [ "$(cat "$dir/.versions")" = "$want" ] && return 0
	[ -z "$want" ] && [ -x "$dir/usr/bin/tunctl" ] && return 0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	echo "deps: unpacking the reference tools ($ORACLES) into $dir"
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get download $ORACLES >/dev/null 2>&1) ||
		{ apt-get update -qq && (cd "$tmp" && apt-get download $ORACLES >/dev/null); } ||
		die "apt-get download $ORACLES failed"
	rm -rf "$dir"
	mkdir -p "$dir"
	for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$dir" || die "dpkg-deb -x $d failed"; done
	printf '%s' "$want" >"$dir/.versions"
}

case ${1:-build} in
build) need $BUILD ;;
test) need $BUILD $TEST ;;
oracles) [ $# -eq 2 ] || die "usage: deps.sh oracles DIR"; oracles "$2" ;;
*) die "usage: deps.sh build|test|oracles DIR" ;;
esac

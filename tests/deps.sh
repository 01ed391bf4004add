#!/bin/sh
# tests/deps.sh - install with apt what a fresh Debian 12 lacks to build, test and demo hostnet.
# Does nothing when everything is present.
set -eu

PKGS="gcc make pkg-config libc6-dev
libnl-3-dev libnl-route-3-dev libmnl-dev libnftnl-dev libcap-ng-dev
bats iproute2 nftables jq util-linux iputils-ping procps socat
uml-utilities bridge-utils mandoc shellcheck
iptables bc
ifupdown libcap2-bin
python3"
# python3 (uml_net 430 fixtures stuffed.py, tapfd.py: a caller that never
# reads fd 1, a tap holder's ioctls); clang for make fuzz is not in check.

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run 'make deps' as root, or: apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

#!/bin/bash
# Host setup for bench-slirp.sh (run-guest.sh -s, inside the run's namespaces):
# the measurement servers, and for BENCH_MODE=tap the tap the guest uses.
set -eu
here=$(dirname "$(readlink -f "$0")")
ip link set lo up
if [ "$BENCH_MODE" = tap ]; then
	ip tuntap add tap0 mode tap
	ip addr add 10.0.0.1/24 dev tap0
	ip link set tap0 up
fi
setsid /usr/bin/python3 "$here/slirp-tcp.py" serve 0.0.0.0 "$BENCH_SIZE" </dev/null >/dev/null 2>&1 &
for _ in $(seq 300); do
	ss -Hltn | grep -q ':9002 ' && exit 0
	sleep 0.1
done
echo "slirp-host: servers did not start" >&2
exit 1

#!/bin/sh
# Guest for bench-slirp.sh: BENCH_MODE (a boot parameter, so init's
# environment) says which link eth0 is; then the TCP measurements.
case $BENCH_MODE in
slirp)
	ip addr add 10.0.2.15/24 dev eth0
	ip link set eth0 up
	ip route add default via 10.0.2.2
	host=10.0.2.2 ;;
tap)
	ip addr add 10.0.0.2/24 dev eth0
	ip link set eth0 up
	host=10.0.0.1 ;;
esac
/usr/bin/python3 "$(dirname "$0")/slirp-tcp.py" run "$host" "$BENCH_SIZE" "$BENCH_ROUNDS"

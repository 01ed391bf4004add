# uml_switch.bash - helpers for the uml_switch files: a switch in the file's
# namespace (abstract socket names are per network namespace), the test client.
# shellcheck shell=bash

UML_SWITCH=${UML_SWITCH:-$HN_BIN/uml_switch}
REF_UML_SWITCH=${REF_UML_SWITCH:-$HN_ORACLES/usr/bin/uml_switch}
SWCLIENT=${SWCLIENT:-$HN_BIN/../examples/swclient}

# sw_start BIN DIR [ARGS...]: start switch BIN on DIR/ctl in $NS, log in DIR/log;
# returns once the control socket answers. SW_PID is its pid.
sw_start() {
	local bin=$1 dir=$2; shift 2
	ip netns exec "$NS" "$bin" -unix "$dir/ctl" "$@" </dev/null >"$dir/out" 2>"$dir/log" 3>&- &
	SW_PID=$!
	sw_wait_socket "$dir/ctl"
}

# sw_wait_socket PATH: wait (ceiling 60 s) until a socket file is there.
sw_wait_socket() {
	local i
	for i in $(seq 600); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	echo "no socket at $1" >&2
	return 1
}

sw_stop() {
	[ -n "${SW_PID:-}" ] || return 0
	kill "$SW_PID" 2>/dev/null || true
	wait "$SW_PID" 2>/dev/null || true
	SW_PID=
}

# swc DIR: the test client's script mode on DIR/ctl, script on stdin.
swc() {
	timeout 120 ip netns exec "$NS" "$SWCLIENT" script "$1/ctl"
}

# sw_status DIR: the running switch's status as JSON.
sw_status() {
	timeout 60 ip netns exec "$NS" "$UML_SWITCH" --status -j -unix "$1/ctl"
}

# wait_log DIR REGEX: wait (ceiling 60 s) for a line of DIR/log matching REGEX.
wait_log() {
	local i
	for i in $(seq 600); do
		grep -Eq "$2" "$1/log" && return 0
		sleep 0.1
	done
	echo "no log line matching $2 in:" >&2
	cat "$1/log" >&2
	return 1
}

# as_nobody_tun CMD...: CMD as nobody in $NS, with a 0666 /dev/net/tun of its
# own mount namespace (a tmpfs over /dev/net; the host's node is untouched).
# It replaces the calling shell: run it in a subshell or with & (then $! is its pid).
as_nobody_tun() {
	exec timeout 120 ip netns exec "$NS" unshare -m --propagation private sh -c \
		'mount -t tmpfs hn-tun /dev/net && mknod -m 666 /dev/net/tun c 10 200 &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' sh "$@"
}

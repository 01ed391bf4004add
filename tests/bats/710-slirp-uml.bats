#!/usr/bin/env bats
# 710-slirp-uml.bats - a real User Mode Linux guest, run as an unprivileged
# user (65534, no capabilities), networked by our slirp through UML's own
# slirp transport (eth0=slirp,,WRAPPER): seed 000's wrapper script and seed
# 003's guest commands, as written. Runs only when a UML kernel is at hand
# ($UML_KERNEL, or the harness's cache); else every test skips with the
# reason. The shared harness (../shared/uml/run-guest.sh, root only) makes
# the network, mount and PID namespaces; fixtures/uml_net/unpriv-kernel.sh
# drops to the user before the kernel starts (see 490-uml_net-uml.bats).

load helpers
load uml

FIX=${TFIX:-$BATS_TEST_DIRNAME/fixtures}/slirp	# TFIX: uml_find's copy
USER_UID=65534

setup_file() {
	# ifconfig (net-tools): the guest runs seed 003's ifconfig and route.
	if uml_find setpriv ifconfig; then
		# A directory the user can reach, with no "_" in its path (UML
		# turns "_" into a space): slirp and seed 000's wrapper script.
		HN_SLIRP_DIR=$(mktemp -d /tmp/hn-slirp-uml.XXXXXX)
		chmod 755 "$HN_SLIRP_DIR"
		cp "$HN_BIN/slirp" "$HN_SLIRP_DIR/slirp"
		printf '#!/bin/sh\nexec %s "redir 80 80" "redir 23 2323"\n' "$HN_SLIRP_DIR/slirp" \
			>"$HN_SLIRP_DIR/slirp-seed000"
		chmod 755 "$HN_SLIRP_DIR/slirp-seed000"
		mkdir "$HN_SLIRP_DIR/www"
		head -c 2000000 /dev/urandom >"$HN_SLIRP_DIR/www/blob"
	fi
	export HN_SLIRP_DIR BATS_TEST_TIMEOUT=600
}

setup() {
	uml_ready
}

teardown_file() {
	if [ -n "${HN_SLIRP_DIR:-}" ]; then rm -rf "$HN_SLIRP_DIR"; fi
	uml_mirror_rm
}

# fact NAME: the hook's "@@ NAME: ..." lines, without the prefixes.
fact() {
	grep -E "^\[host [^]]*\] @@ $1: " <<<"$output" | sed 's/^.*@@ [^:]*: //'
}

# guest SCRIPT ETH0: boot as $USER_UID with the host setup and hook, run
# fixtures/slirp/SCRIPT, and leave its output, CRs removed, in $output.
guest() {
	run timeout 540 "$HARNESS/run-guest.sh" -k "$FIX/../uml_net/unpriv-kernel.sh" \
		-e "HN_UML_REAL=$UML_KERNEL" -e "HN_UML_UID=$USER_UID" -t 500 \
		-s "$FIX/uml-setup.sh" -H "$FIX/uml-hook.sh" -a "$FIX/uml-hook.sh" \
		"$FIX/$1" "$2"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	output=${output//$'\r'/}	# the guest's console ends lines in CR LF
}

@test "seeds 000 + 003 as an unprivileged user: DNS, download via 10.0.2.2, redir 80 and 23 from the host; nothing left after halt" {
	guest guest-seeds.sh "eth0=slirp,,$HN_SLIRP_DIR/slirp-seed000"
	grep -qx "guest: ping 10.0.2.2 ok" <<<"$output"
	grep -qx 'guest: dns 192.0.2.77' <<<"$output"
	grep -qx "guest: download $(cksum <"$HN_SLIRP_DIR/www/blob")" <<<"$output"
	# slirp ran as the user, without capabilities, and its forwards worked
	[ "$(fact served | sed -n 's/^slirp //p')" = "uid $USER_UID capeff 0000000000000000 " ]
	[ "$(fact served | sed -n 's/^http //p')" = "hello from the guest" ]
	[ "$(fact served | sed -n 's/^telnet-port //p')" = "guest-2323" ]
	[[ "$(fact served | sed -n 's/^listening //p')" == *"0.0.0.0:80 "* ]]
	# after the guest halted: no slirp, nothing listening but the host's own server
	[ "$(fact after)" = "$(printf '%s\n' 'slirp none ' 'listening 127.0.0.1:8000 ')" ]
}

@test "UML's _ becomes a blank: eth0=slirp,,SLIRP,--bind,127.0.0.1,redir_8080_80; ifdown ends slirp, ifup starts a new one" {
	guest guest-ifupdown.sh "eth0=slirp,,$HN_SLIRP_DIR/slirp,--bind,127.0.0.1,redir_8080_80"
	[ "$(fact up1 | sed -n 's/^http //p')" = guest-80 ]
	[ "$(fact up1 | sed -n 's/^listening //p')" = "127.0.0.1:8000 127.0.0.1:8080 " ]
	[ "$(fact down)" = "$(printf '%s\n' 'slirp none ' 'listening 127.0.0.1:8000 ')" ]
	[ "$(fact up2 | sed -n 's/^http //p')" = guest-80 ]
	pid1=$(fact up1 | sed -n 's/^pids //p')
	pid2=$(fact up2 | sed -n 's/^pids //p')
	[[ $pid1 =~ ^[0-9]+\ $ ]] && [[ $pid2 =~ ^[0-9]+\ $ ]] && [ "$pid1" != "$pid2" ]
	[ "$(fact after)" = "$(printf '%s\n' 'slirp none ' 'listening 127.0.0.1:8000 ')" ]
}

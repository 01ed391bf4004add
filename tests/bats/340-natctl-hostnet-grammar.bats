#!/usr/bin/env bats
# 340-natctl-hostnet-grammar.bats - one NAT grammar: every form through natctl
# and through hostnet gives the same ruleset; natctl list replays into a fresh
# namespace; concurrent natctl writers keep the no-overlap promise.

load helpers

# Every NAT form, as a hostnet.conf line (natctl's add words without "add").
FORMS=(
	"masquerade 192.168.2.0/24 out eth0"
	"masquerade 192.168.9.7 out eth0"
	"snat 192.168.3.0/24 out eth0 to 203.0.113.5"
	"masquerade fd00:1::/64 out eth0"
	"snat fd00:3::/64 to 2001:db8::5 out eth0"
	"hairpin 192.168.2.0/24"
	"hairpin fd00:1::/64"
	"forward tcp 80 in eth0 to 192.168.2.10"
	"forward tcp 81 to 192.168.2.10 port 8081"
	"forward udp 5000-5010 to 192.168.2.11 port 6000"
	"forward udp 6000-6010 to 192.168.2.11"
	"forward tcp 8080 dst 203.0.113.5 to 192.168.2.12 port 80 local"
	"forward tcp 8081 in eth0 dst 203.0.113.5/32 to 192.168.2.12 port 80"
	"forward tcp 8082 dst 203.0.113.0/24 to 192.168.2.13 port 80"
	"forward tcp 8083 local dst 198.51.100.0/24 to 192.168.2.13 port 80"
	"forward tcp 9000-9010 in eth0 dst 198.51.100.0/28 to 192.168.2.14"
	"forward tcp 22 to fd00:2::10 port 2222"
	"forward tcp 23 in eth0 dst 2001:db8::1 to fd00:2::10 port 23 local"
	"forward udp 53 dst 2001:db8:1::/48 to fd00:2::11"
)

setup() {
	require_root_netns
	NS="hn-$$-340-$BATS_TEST_NUMBER"
	NS2="$NS-b"
	export NS NS2
	for n in "$NS" "$NS2"; do
		ns_new "$n"
		ip -n "$n" link add eth0 type veth peer name eth0-peer
		ip -n "$n" link set eth0 up
	done
}

teardown() {
	ns_del "${NS:-}"
	ns_del "${NS2:-}"
}

# natctl's tables of namespace $1, without handles, elements in a stable order.
nat_tables() {
	ip netns exec "$1" nft -j list ruleset | jq -S -c '[.nftables[]
		| select(.metainfo == null) | select((.table.name // .set.table // .map.table
			// .chain.table // .rule.table // "") == "hostnet")
		| walk(if type == "object" then del(.handle) else . end)
		| if .set then .set.elem |= (. // [] | sort)
		  elif .map then .map.elem |= (. // [] | sort) else . end]'
}

# natctl list of namespace $1, sorted.
nat_list() {
	in_ns_named "$1" "$NATCTL" list | sort
}

@test "every NAT form through natctl and through hostnet gives the same tables and the same list" {
	local f words
	for f in "${FORMS[@]}"; do
		read -ra words <<<"$f"
		run --separate-stderr in_ns "$NATCTL" "${words[0]}" add "${words[@]:1}"
		[ "$status" -eq 0 ] || { echo "natctl refused: $f: $stderr"; false; }
	done
	printf '%s\n' "${FORMS[@]}" >"$BATS_TEST_TMPDIR/hostnet.conf"
	run --separate-stderr in_ns_named "$NS2" env HOSTNET_STATE_DIR="$BATS_TEST_TMPDIR/state" \
		"$HN_BIN/hostnet" -f "$BATS_TEST_TMPDIR/hostnet.conf" apply
	[ "$status" -eq 0 ] || { echo "hostnet: $stderr"; false; }
	a=$(nat_tables "$NS")
	b=$(nat_tables "$NS2")
	[ "$(jq length <<<"$a")" -gt 20 ]
	[ "$a" = "$b" ] || { diff <(jq . <<<"$a") <(jq . <<<"$b"); false; }
	[ "$(nat_list "$NS")" = "$(nat_list "$NS2")" ]
	# What hostnet recorded is what natctl lists: the same printer.
	[ "$(grep '^nat ' "$BATS_TEST_TMPDIR/state/state" | cut -d' ' -f2- | sort)" = \
	  "$(nat_list "$NS" | grep -v '^forwarding ')" ]
}

@test "the same forms without the verb add are natctl commands too" {
	local f words
	for f in "${FORMS[@]}"; do
		read -ra words <<<"$f"
		in_ns "$NATCTL" "${words[@]}"
		in_ns_named "$NS2" "$NATCTL" "${words[0]}" add "${words[@]:1}"
	done
	[ "$(nat_tables "$NS")" = "$(nat_tables "$NS2")" ]
	# A typo in the verb is still an error, not an implied add.
	run --separate-stderr in_ns "$NATCTL" forward ad tcp 80 to 10.0.0.2
	[ "$status" -eq 2 ]
	[ "$stderr" = "natctl: forward: unknown or missing verb ad" ]
}

@test "natctl list | natctl --batch - recreates everything in a fresh namespace" {
	local f words
	for f in "${FORMS[@]}"; do
		read -ra words <<<"$f"
		in_ns "$NATCTL" "${words[0]}" add "${words[@]:1}"
	done
	in_ns "$NATCTL" forwarding ipv4 on
	in_ns "$NATCTL" route add 192.168.2.10 dev eth0
	in_ns "$NATCTL" publish add 192.168.2.10 dev eth0
	in_ns "$NATCTL" list >"$BATS_TEST_TMPDIR/list"
	grep -qx 'route 192.168.2.10 dev eth0' "$BATS_TEST_TMPDIR/list"
	grep -qx 'publish 192.168.2.10 dev eth0' "$BATS_TEST_TMPDIR/list"
	grep -qx 'forwarding ipv4 on' "$BATS_TEST_TMPDIR/list"
	# The documented one-liner, from one namespace straight into another.
	run --separate-stderr bash -c "ip netns exec '$NS' '$NATCTL' list | ip netns exec '$NS2' '$NATCTL' --batch -"
	[ "$status" -eq 0 ] || { echo "$stderr"; false; }
	[ "$stderr" = "" ]
	[ "$(nat_tables "$NS")" = "$(nat_tables "$NS2")" ]
	[ "$(in_ns_named "$NS2" "$NATCTL" list)" = "$(cat "$BATS_TEST_TMPDIR/list")" ]
	# Replayed where everything exists: refused, nothing changed.
	before=$(nat_tables "$NS")
	run --separate-stderr in_ns "$NATCTL" --batch - <"$BATS_TEST_TMPDIR/list"
	[ "$status" -eq 1 ]
	[ "$(nat_tables "$NS")" = "$before" ]
}

# race N CMD...: N natctl processes run the commands made by CMD INDEX at
# once (each waits for a start file); prints how many exited 0.
race() {
	local n=$1 i go=$BATS_TEST_TMPDIR/go pids=() won=0 words
	shift
	rm -f "$go"
	for ((i = 0; i < n; i++)); do
		read -ra words <<<"$("$@" "$i")"
		# shellcheck disable=SC2016 # expanded by the inner shell
		ip netns exec "$NS" bash -c 'while [ ! -e "$1" ]; do sleep 0.01; done; shift; exec "$@"' \
			_ "$go" "$NATCTL" "${words[@]}" >/dev/null 2>"$BATS_TEST_TMPDIR/err.$i" &
		pids+=($!)
	done
	touch "$go"
	for i in "${pids[@]}"; do
		wait "$i" && won=$((won + 1))
	done
	echo "$won"
}

overlapping() {
	# tcp 8000-8100 in different shapes: each pair overlaps.
	case $(($1 % 4)) in
	0) echo forward add tcp 8000-8100 to 192.168.2.10 ;;
	1) echo forward add tcp 8050 in eth0 to 192.168.2.11 ;;
	2) echo forward add tcp 8050 dst 203.0.113.5 to 192.168.2.12 ;;
	3) echo forward add tcp 8050 to 192.168.2.13 port 80 ;;
	esac
}

distinct() {
	echo forward add tcp $((7000 + $1)) to 192.168.2.10
}

@test "many concurrent natctl writers of overlapping forwards: exactly one wins, every round" {
	for round in 1 2 3 4 5 6; do
		ip netns exec "$NS" "$NATCTL" flush
		won=$(race 8 overlapping)
		[ "$won" -eq 1 ] || { cat "$BATS_TEST_TMPDIR"/err.*; false; }
		[ "$(in_ns "$NATCTL" list | grep -c '^forward ')" -eq 1 ]
		# The losers say what is in the way; none says anything else.
		[ "$(cat "$BATS_TEST_TMPDIR"/err.* | grep -c 'already forwarded')" -eq 7 ]
	done
}

@test "many concurrent natctl writers of distinct forwards: all land" {
	won=$(race 8 distinct)
	[ "$won" -eq 8 ] || { cat "$BATS_TEST_TMPDIR"/err.*; false; }
	[ "$(in_ns "$NATCTL" list | grep -c '^forward ')" -eq 8 ]
}

@test "hostnet refuses what natctl would refuse: an overlapping masquerade is a conflict" {
	in_ns "$NATCTL" masquerade add 192.168.0.0/16 out eth0
	before=$(nat_tables "$NS")
	printf '%s\n' "masquerade 192.168.2.0/24 out eth0" >"$BATS_TEST_TMPDIR/hostnet.conf"
	run --separate-stderr in_ns env HOSTNET_STATE_DIR="$BATS_TEST_TMPDIR/state" \
		"$HN_BIN/hostnet" -f "$BATS_TEST_TMPDIR/hostnet.conf" apply
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"hostnet.conf:1: masquerade 192.168.2.0/24 out eth0: natctl's tables already have \"masquerade 192.168.0.0/16 out eth0\""* ]]
	[ "$(nat_tables "$NS")" = "$before" ]
	run --separate-stderr in_ns "$NATCTL" masquerade add 192.168.2.0/24 out eth0
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: masquerade add: 192.168.2.0/24: overlaps masquerade 192.168.0.0/16" ]
}

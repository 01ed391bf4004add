#!/usr/bin/env bats
# 310-natctl-nft.bats - natctl's nftables tables: elements per command, list/-j, del, duplicates, flush, batch atomicity.

load helpers

setup_file() {
	ns_setup_file
	ip -n "$NS" link add eth0 type veth peer name tap0
	# Someone else's table, which natctl must leave byte-identical.
	in_ns nft 'add table inet other; add chain inet other guard { type filter hook forward priority 0; policy drop; }; add rule inet other guard ct state established accept'
}

teardown_file() {
	ns_teardown_file
}

setup() {
	in_ns "$NATCTL" flush
}

@test "masquerade add creates table ip hostnet with one set element" {
	run --separate-stderr in_ns "$NATCTL" masquerade add 192.168.0.0/24 out eth0
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(nft_elems ip masq)" = '[{"concat":[{"prefix":{"addr":"192.168.0.0","len":24}},"eth0"]}]' ]
	# Only the ip table exists: no IPv6 item yet.
	[ "$(nft_json "$NS" | jq -c '[.[] | .table // empty | [.family, .name]]')" = '[["inet","other"],["ip","hostnet"]]' ]
	# Fixed chains at the NAT hooks.
	[ "$(nft_json "$NS" | jq -c '[.[] | .chain // empty | select(.table == "hostnet") | [.name, .hook, .prio, .type]]')" = '[["prerouting","prerouting",-100,"nat"],["output","output",-100,"nat"],["postrouting","postrouting",100,"nat"]]' ]
}

@test "forwards land in the DNAT maps: in/dst, ranges, local, IPv6" {
	in_ns "$NATCTL" forward add tcp 8080 in eth0 dst 203.0.113.5 to 192.168.0.2 port 80 local
	in_ns "$NATCTL" forward add tcp 8081 to 192.168.0.2
	in_ns "$NATCTL" forward add udp 53 in eth0 to 192.168.0.4
	in_ns "$NATCTL" forward add udp 54 dst 203.0.113.6 to 192.168.0.4
	in_ns "$NATCTL" forward add udp 55-56 in eth0 dst 203.0.113.7 to 192.168.0.4 port 55
	in_ns "$NATCTL" forward add udp 5000-5010 to 192.168.0.3
	in_ns "$NATCTL" forward add tcp 9000-9010 to 2001:db8::2 port 22
	# One port to one port, one address or any: exact keys in hash maps.
	[ "$(nft_elems ip fwd_iif_addr)" = '[[{"concat":["eth0","203.0.113.5","tcp",8080]},{"concat":["192.168.0.2",80]}]]' ]
	[ "$(nft_elems ip fwd_local_addr)" = '[[{"concat":["203.0.113.5","tcp",8080]},{"concat":["192.168.0.2",80]}]]' ]
	[ "$(nft_elems ip fwd_any)" = '[[{"concat":["tcp",8081]},{"concat":["192.168.0.2",8081]}]]' ]
	[ "$(nft_elems ip fwd_iif)" = '[[{"concat":["eth0","udp",53]},{"concat":["192.168.0.4",53]}]]' ]
	[ "$(nft_elems ip fwd_addr)" = '[[{"concat":["203.0.113.6","udp",54]},{"concat":["192.168.0.4",54]}]]' ]
	[ "$(ip netns exec "$NS" nft -j list map ip hostnet fwd_iif_addr | jq -c '.nftables[1].map.flags // []')" = '[]' ]
	# Port ranges: interval maps.
	[ "$(nft_elems ip dnat_iif)" = '[[{"concat":["eth0","203.0.113.7","udp",{"range":[55,56]}]},{"concat":["192.168.0.4",55]}]]' ]
	[ "$(nft_elems ip dnat_range)" = '[[{"concat":[{"prefix":{"addr":"0.0.0.0","len":0}},"udp",{"range":[5000,5010]}]},"192.168.0.3"]]' ]
	[ "$(nft_elems ip6 dnat_any)" = '[[{"concat":[{"prefix":{"addr":"::","len":0}},"tcp",{"range":[9000,9010]}]},{"concat":["2001:db8::2",22]}]]' ]
	# list reads every map back.
	[ "$(in_ns "$NATCTL" -j list | jq -c '[.forward | sort_by(.port)[] | [.proto, .port, .in, .dst, .local]]')" = '[["udp",53,"eth0",null,false],["udp",54,null,"203.0.113.6",false],["udp",55,"eth0","203.0.113.7",false],["udp",5000,null,null,false],["tcp",8080,"eth0","203.0.113.5",true],["tcp",8081,null,null,false],["tcp",9000,null,null,false]]' ]
}

@test "nft list ruleset of natctl's tables loads back with nft -f (no set is named by an nft keyword)" {
	in_ns "$NATCTL" masquerade add 192.168.0.0/24 out eth0
	in_ns "$NATCTL" snat add 192.168.1.0/24 out eth0 to 203.0.113.5
	in_ns "$NATCTL" hairpin add 192.168.0.0/24
	in_ns "$NATCTL" forward add tcp 8080 in eth0 dst 203.0.113.5 to 192.168.0.2 port 80 local
	in_ns "$NATCTL" forward add tcp 8081 to 192.168.0.2
	in_ns "$NATCTL" forward add udp 53 in eth0 to 192.168.0.4
	in_ns "$NATCTL" forward add udp 54 dst 203.0.113.6 to 192.168.0.4
	in_ns "$NATCTL" forward add udp 5000-5010 to 192.168.0.3
	in_ns "$NATCTL" forward add udp 6000-6010 in eth0 dst 203.0.113.6 to 192.168.0.3 port 53 local
	in_ns "$NATCTL" forward add tcp 9000-9010 to 2001:db8::2 port 22
	in_ns "$NATCTL" masquerade add 2001:db8::/64 out eth0
	ip netns exec "$NS" nft list table ip hostnet >"$BATS_TEST_TMPDIR/saved"
	ip netns exec "$NS" nft list table ip6 hostnet >>"$BATS_TEST_TMPDIR/saved"
	# shellcheck disable=SC2016	# expanded by the inner sh
	run unshare -n sh -c 'nft -f "$1" && nft list ruleset' _ "$BATS_TEST_TMPDIR/saved"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/saved")" ]
}

@test "list prints each item as its own add command; -j has the same data" {
	in_ns "$NATCTL" masquerade add 192.168.0.0/24 out eth0
	in_ns "$NATCTL" snat add 192.168.1.0/24 out eth0 to 203.0.113.5
	in_ns "$NATCTL" forward add tcp 8080 in eth0 dst 203.0.113.5 to 192.168.0.2 port 80 local
	in_ns "$NATCTL" hairpin add 192.168.0.0/24
	run --separate-stderr in_ns "$NATCTL" list
	[ "$status" -eq 0 ]
	[ "$output" = "forwarding ipv4 off
forwarding ipv6 off
masquerade 192.168.0.0/24 out eth0
snat 192.168.1.0/24 out eth0 to 203.0.113.5
forward tcp 8080 in eth0 dst 203.0.113.5 to 192.168.0.2 port 80 local
hairpin 192.168.0.0/24" ]
	run --separate-stderr in_ns "$NATCTL" -j list
	[ "$status" -eq 0 ]
	[ "$(jq -c '.forward' <<<"$output")" = '[{"family":"ipv4","proto":"tcp","port":8080,"port_end":8080,"in":"eth0","dst":"203.0.113.5","to":"192.168.0.2","to_port":80,"to_port_end":80,"local":true}]' ]
	[ "$(jq -c '[.forwarding, .masquerade, .snat, .hairpin, .route, .publish]' <<<"$output")" = '[{"ipv4":false,"ipv6":false},[{"family":"ipv4","src":"192.168.0.0/24","out":"eth0"}],[{"family":"ipv4","src":"192.168.1.0/24","out":"eth0","to":"203.0.113.5"}],[{"family":"ipv4","src":"192.168.0.0/24"}],[],[]]' ]
}

@test "adding the same thing twice is reported, not duplicated" {
	in_ns "$NATCTL" forward add tcp 8080 in eth0 to 192.168.0.2
	run --separate-stderr in_ns "$NATCTL" forward add tcp 8080 in eth0 to 192.168.0.9
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: forward add: tcp 8080: already forwarded (tcp 8080 to 192.168.0.2)" ]
	run --separate-stderr in_ns "$NATCTL" forward add tcp 8000-8090 in eth0 to 192.168.0.3
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: forward add: tcp 8000-8090: already forwarded (tcp 8080 to 192.168.0.2)" ]
	in_ns "$NATCTL" masquerade add 192.168.0.0/24 out eth0
	run --separate-stderr in_ns "$NATCTL" snat add 192.168.0.0/24 out eth0 to 203.0.113.5
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: snat add: 192.168.0.0/24: already masqueraded" ]
	run --separate-stderr in_ns "$NATCTL" masquerade add 192.168.0.0/16 out eth0
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: masquerade add: 192.168.0.0/16: overlaps masquerade 192.168.0.0/24" ]
	[ "$(nft_elems ip fwd_iif | jq length)" = 1 ]
	[ "$(nft_elems ip snat_to)" = '[]' ]
	# The same port on another input interface is a different forward.
	run in_ns "$NATCTL" forward add tcp 8080 in tap0 to 192.168.0.4
	[ "$status" -eq 0 ]
	[ "$(nft_elems ip fwd_iif | jq length)" = 2 ]
}

# second HOW EXISTING VERB ARGS: from empty tables, add forward EXISTING, then
# run "forward VERB ARGS" by itself (HOW alone: checked by key lookups where
# it can be) or in a batch with list (HOW batch: against every element).
# EXISTING and ARGS are split into words on purpose.
# shellcheck disable=SC2086
second() {
	in_ns "$NATCTL" flush
	in_ns "$NATCTL" forward add $2
	if [ "$1" = alone ]; then
		run --separate-stderr in_ns "$NATCTL" forward "$3" $4
	else
		printf 'forward %s %s\nlist\n' "$3" "$4" >"$BATS_TEST_TMPDIR/b"
		run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	fi
}

# clash EXISTING NEW STATUS: add forward EXISTING, then NEW by itself (checked
# by key lookups where it can be) and in a batch with list (checked against
# every element): both must give STATUS, and a refused NEW leaves one forward.
clash() {
	local how out
	for how in alone batch; do
		second $how "$1" add "$2"
		[ "$status" -eq "$3" ] || { echo "$how: '$1' then '$2': status $status, want $3: $stderr"; return 1; }
		out=$(in_ns "$NATCTL" -j list | jq '.forward | length')
		[ "$out" -eq $((2 - $3)) ] || { echo "$how: $out forwards"; return 1; }
	done
}

@test "overlaps are refused across hash and interval maps, by lookup and by full read alike" {
	D=203.0.113.5 G="to 192.168.0.2"
	clash "tcp 80 in eth0 dst $D $G" "tcp 80 in eth0 $G" 1
	clash "tcp 80 in eth0 dst $D $G" "tcp 80 dst $D $G" 1
	clash "tcp 80 in eth0 dst $D $G" "tcp 80 $G" 1
	clash "tcp 80 $G" "tcp 80 in eth0 dst $D $G" 1
	clash "tcp 80 in eth0 $G" "tcp 80 in eth0 dst $D $G" 1
	clash "tcp 80 dst $D $G" "tcp 80 in eth0 dst $D $G" 1
	clash "tcp 70-90 in eth0 $G" "tcp 85 in eth0 dst $D $G" 1
	clash "tcp 70-90 $G port 80" "tcp 85 in tap0 dst $D $G" 1
	clash "tcp 70-90 dst $D $G" "tcp 90 in eth0 dst $D $G" 1
	clash "tcp 85 in eth0 dst $D $G" "tcp 70-90 $G" 1
	clash "tcp 85 $G" "tcp 80-85 in eth0 dst $D $G port 8080" 1
	clash "tcp 80 in eth0 dst $D $G" "tcp 80 in tap0 dst $D $G" 0
	clash "tcp 80 dst $D $G" "tcp 80 in eth0 dst 203.0.113.6 $G" 0
	clash "tcp 70-90 in tap0 $G" "tcp 85 in eth0 dst $D $G" 0
	clash "tcp 70-90 $G" "tcp 91 in eth0 dst $D $G" 0
	clash "udp 80 in eth0 dst $D $G" "tcp 80 in eth0 dst $D $G" 0
	clash "tcp 80 in eth0 dst 2001:db8::5 to 2001:db8::2" "tcp 80 in eth0 dst $D $G" 0
}

# gone EXISTING DEL STATUS: add forward EXISTING, delete DEL by itself (by key
# lookups) and in a batch with list (against every element): both give
# STATUS; a deletion leaves no element in any map, a refusal leaves both.
gone() {
	local how n want where
	for how in alone batch; do
		second $how "$1" del "$2"
		[ "$status" -eq "$3" ] || { echo "$how: '$1' then del '$2': status $status, want $3: $stderr"; return 1; }
		where=""
		[ $how = alone ] || where="$BATS_TEST_TMPDIR/b:1: "
		[ "$3" -eq 0 ] || [ "$stderr" = "natctl: ${where}forward del: no such forward" ] ||
			{ echo "$how: $stderr"; return 1; }
		n=$(ip netns exec "$NS" nft -j list ruleset | jq '[.nftables[] | (.set // .map // empty) | select(.table == "hostnet") | .elem // [] | length] | add')
		if [ "$3" -eq 0 ]; then want=0; else want=$(in_ns "$NATCTL" -j list | jq '.forward | length'); fi
		if [ "$n" -lt "$want" ] || [ $((n > 0)) -ne "$3" ]; then echo "$how: $n elements left"; return 1; fi
	done
}

@test "del finds its forward by lookup and by full read alike, local copies included" {
	D=203.0.113.5 G="to 192.168.0.2"
	gone "tcp 80 in eth0 dst $D $G local" "tcp 80 in eth0 dst $D" 0
	gone "tcp 80 in eth0 dst $D $G local" "tcp 80 dst $D" 1
	gone "tcp 80 in eth0 $G" "tcp 80" 1
	gone "tcp 80 in eth0 $G" "tcp 80 in eth0" 0
	gone "udp 53 dst $D $G" "udp 53 dst $D" 0
	gone "tcp 70-90 in eth0 $G" "tcp 70-90 in eth0" 0
	gone "tcp 70-90 in eth0 $G" "tcp 70-80 in eth0" 1
	gone "tcp 70-90 $G port 80" "tcp 70-90" 0
	gone "tcp 70-90 dst $D $G local" "tcp 70-90 dst $D" 0
	gone "tcp 80 to 2001:db8::2" "tcp 80" 0
}

@test "del removes one element, both hooks of a local forward, and reports what is missing" {
	in_ns "$NATCTL" forward add tcp 8080 in eth0 dst 203.0.113.5 to 192.168.0.2 port 80 local
	in_ns "$NATCTL" forward add tcp 8081 to 192.168.0.2
	run --separate-stderr in_ns "$NATCTL" forward del tcp 8080 in eth0 dst 203.0.113.5
	[ "$status" -eq 0 ]
	[ "$(nft_elems ip fwd_iif_addr)" = '[]' ]
	[ "$(nft_elems ip fwd_local_addr)" = '[]' ]
	[ "$(nft_elems ip fwd_any | jq length)" = 1 ]
	run --separate-stderr in_ns "$NATCTL" forward del tcp 8080 in eth0 dst 203.0.113.5
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: forward del: no such forward" ]
	run --separate-stderr in_ns "$NATCTL" masquerade del 10.9.0.0/16 out eth0
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: masquerade del: no such masquerade" ]
}

@test "flush removes natctl's tables and leaves other tables byte-identical" {
	before=$(ip netns exec "$NS" nft -j list table inet other)
	in_ns "$NATCTL" masquerade add 192.168.0.0/24 out eth0
	in_ns "$NATCTL" forward add tcp 22 to 2001:db8::2
	run --separate-stderr in_ns "$NATCTL" flush
	[ "$status" -eq 0 ]
	[ "$(nft_json "$NS" | jq -c '[.[] | .table // empty | [.family, .name]]')" = '[["inet","other"]]' ]
	[ "$(ip netns exec "$NS" nft -j list table inet other)" = "$before" ]
	run in_ns "$NATCTL" flush
	[ "$status" -eq 0 ]
}

@test "a batch is one transaction: one refused element changes nothing" {
	in_ns "$NATCTL" forward add tcp 443 to 192.168.0.2
	before=$(nft_json "$NS")
	printf '%s\n' 'masquerade add 192.168.0.0/24 out eth0' 'forward add tcp 80 to 192.168.0.2' \
		'forward add tcp 443 to 192.168.0.3' >"$BATS_TEST_TMPDIR/b"
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:3: forward add: tcp 443: already forwarded (tcp 443 to 192.168.0.2)" ]
	[ "$(nft_json "$NS")" = "$before" ]
}

@test "a batch refuses a forward that overlaps one planned earlier in the same batch" {
	printf '%s\n' 'forward add tcp 80 in eth0 dst 203.0.113.5 to 192.168.0.2' \
		'forward add udp 80 to 192.168.0.2' 'forward add tcp 75-85 to 192.168.0.3' >"$BATS_TEST_TMPDIR/b"
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:3: forward add: tcp 75-85: already forwarded (tcp 80 to 192.168.0.2)" ]
	[ "$(ip netns exec "$NS" nft list tables)" = "table inet other" ]
}

@test "a batch from stdin applies many commands at once, list shows the result" {
	run --separate-stderr in_ns bash -c "printf '%s\n' 'masquerade add 192.168.0.0/24 out eth0' \
		'forward add tcp 80 in eth0 to 192.168.0.2' 'forward add udp 53 in eth0 to 192.168.0.2' \
		'forward del tcp 80 in eth0' 'list' | '$NATCTL' --batch -"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "forwarding ipv4 off
forwarding ipv6 off
masquerade 192.168.0.0/24 out eth0
forward udp 53 in eth0 to 192.168.0.2 port 53" ]
	[ "$(nft_elems ip fwd_iif)" = '[[{"concat":["eth0","udp",53]},{"concat":["192.168.0.2",53]}]]' ]
}

@test "a kernel refusal inside a batch is mapped back to its line; nothing is applied" {
	# A table left under our name with only the masq set: the kernel takes
	# line 1's element but refuses line 2's (no hairpin set), so the whole
	# transaction is dropped.
	in_ns nft 'add table ip hostnet; add set ip hostnet masq { type ipv4_addr . ifname; flags interval; }'
	printf '%s\n' 'masquerade add 10.2.0.0/16 out eth0' 'hairpin add 10.1.0.0/16' >"$BATS_TEST_TMPDIR/b"
	run --separate-stderr in_ns "$NATCTL" --batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[ "$stderr" = "natctl: $BATS_TEST_TMPDIR/b:2: hairpin add: No such file or directory" ]
	[ "$(nft_elems ip masq)" = '[]' ]
	in_ns "$NATCTL" flush
	[ "$(nft_json "$NS" | jq -c '[.[] | .table // empty | .name]')" = '["other"]' ]
}

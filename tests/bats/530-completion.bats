#!/usr/bin/env bats
# 530-completion.bats - bash completion for every tool (completion/<tool>):
# the completion is sourced in a bash inside the file's namespace, its
# function called with COMP_WORDS/COMP_CWORD set, COMPREPLY compared.

# shellcheck disable=SC2016 # sh -c scripts: expanded by the inner shell

load helpers

setup_file() {
	ns_setup_file
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export TOP
	# br0 with port v0, empty br1, free v2 and v3 (v1 is v0's peer), taps tapa/tapb.
	ip -n "$NS" link add br0 type bridge
	ip -n "$NS" link add br1 type bridge
	ip -n "$NS" link add v0 type veth peer name v1
	ip -n "$NS" link add v2 type veth peer name v3
	ip -n "$NS" link set v0 master br0
	in_ns "$TUNCTL" -b -t tapa >/dev/null
	in_ns "$TUNCTL" -b -t tapb >/dev/null
}

teardown_file() {
	ns_teardown_file
}

# comp TOOL WORD...: the sorted candidates, one per line, for the last WORD
# of the command line "TOOL WORD...".
comp() {
	local tool=$1
	in_ns bash -c 'source "$0" || exit 1
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		f=$(complete -p "$1" | sed -n "s/^complete -F \([^ ]*\) .*/\1/p")
		[ -n "$f" ] || exit 1
		"$f"
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort' \
		"$TOP/completion/$tool" "$tool" "${@:2}"
}

# words LIST...: LIST as comp prints it.
words() {
	printf '%s\n' "$@" | sort
}

@test "every built tool has a completion that registers itself" {
	local t n=0
	for t in "$HN_BIN"/*; do
		t=${t##*/}
		[ -f "$TOP/completion/$t" ] || { echo "built tool $t has no completion/$t" >&2; return 1; }
		run -0 bash -c 'source "$0" && complete -p "$1"' "$TOP/completion/$t" "$t"
		[[ $output == "complete -F _hostnet_$t $t" ]]
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
}

@test "tunctl: options, owners, groups, and only tun/tap devices after -d" {
	run -0 comp tunctl --m
	[ "$output" = --multi-queue ]
	run -0 comp tunctl -d ""
	[ "$output" = "$(words tapa tapb)" ]
	run -0 comp tunctl -d tapb
	[ "$output" = tapb ]
	run -0 comp tunctl -u nob
	[ "$output" = nobody ]
	run -0 comp tunctl -g nogr
	[ "$output" = nogroup ]
	run -0 comp tunctl -t ""
	[ "$output" = "" ]
}

@test "brctl: commands, bridges, free devices for addif, the bridge's ports for delif" {
	run -0 comp brctl ""
	[ "$(wc -l <<<"$output")" -eq 17 ]
	run -0 comp brctl vlanf
	[ "$output" = vlanfiltering ]
	run -0 comp brctl vlanfiltering br1 of
	[ "$output" = off ]
	run -0 comp brctl sh
	[ "$output" = "$(words show showmacs showstp)" ]
	run -0 comp brctl delbr ""
	[ "$output" = "$(words br0 br1)" ]
	run -0 comp brctl -j show br0 ""
	[ "$output" = "$(words br0 br1)" ]
	run -0 comp brctl addif br1 ""
	[ "$output" = "$(words tapa tapb v1 v2 v3)" ]
	run -0 comp brctl delif br0 ""
	[ "$output" = v0 ]
	run -0 comp brctl setpathcost br1 ""
	[ "$output" = "" ]
	run -0 comp brctl stp br0 o
	[ "$output" = "$(words on off)" ]
	run -0 comp brctl hairpin br0 v0 of
	[ "$output" = off ]
	run -0 comp brctl addbr ""
	[ "$output" = "" ]
}

@test "natctl: objects, verbs, keywords and interface names" {
	run -0 comp natctl pro
	[ "$output" = "$(words proxyarp proxyndp)" ]
	run -0 comp natctl forwarding ipv4 ""
	[ "$output" = "$(words on off)" ]
	run -0 comp natctl proxyarp on tap
	[ "$output" = "$(words tapa tapb)" ]
	run -0 comp natctl publish add 10.0.0.5 ""
	[ "$output" = dev ]
	run -0 comp natctl -j route add 10.0.0.5 dev br
	[ "$output" = "$(words br0 br1)" ]
	run -0 comp natctl masquerade add 10.0.3.0/24 out v
	[ "$output" = "$(words v0 v1 v2 v3)" ]
	run -0 comp natctl forward add tcp 8080 ""
	[ "$output" = "$(words in dst to port local)" ]
}

@test "uml_net: --check, version 4, transports, taps" {
	run -0 comp uml_net ""
	[ "$output" = "$(words --check 4)" ]
	run -0 comp uml_net --check ""
	[ "$output" = "$(words --config 4)" ]
	run -0 comp uml_net --check 4 tuntap ""
	[ "$output" = "$(words up add del)" ]
	run -0 comp uml_net --check --config /dev/null 4 add ""
	[ "$output" = "$(words tapa tapb)" ]
}

@test "uml_switch: options, taps after -tap, files after -unix" {
	run -0 comp uml_switch -com
	[ "$output" = -compat-v0 ]
	run -0 comp uml_switch --st
	[ "$output" = --status ]
	run -0 comp uml_switch -tap ""
	[ "$output" = "$(words tapa tapb)" ]
	run -0 comp uml_switch -tap tapb
	[ "$output" = tapb ]
}

@test "slirp: options, files after --rc, command names" {
	run -0 comp slirp --dis
	[ "$output" = --disable-host-loopback ]
	run -0 comp slirp --r
	[ "$output" = "$(words --rc --restrict)" ]
	run -0 comp slirp re
	[ "$output" = redir ]
	run -0 comp slirp --mtu ""
	[ "$output" = "" ]
}

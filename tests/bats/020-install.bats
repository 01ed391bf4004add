#!/usr/bin/env bats
# 020-install.bats - make install / uninstall into a temporary DESTDIR, and make help.

# shellcheck disable=SC2016 # sh -c scripts: expanded by the inner shell

load helpers

setup_file() {
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export TOP
}

setup() {
	DEST=$(mktemp -d)
}

teardown() {
	rm -rf "$DEST"
}

@test "make install honours DESTDIR, PREFIX and modes; uninstall removes it all" {
	run make -s -C "$TOP" install DESTDIR="$DEST" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$DEST/usr/sbin/tunctl")" = 755 ]
	[ "$(stat -c %a "$DEST/usr/share/man/man8/tunctl.8")" = 644 ]
	"$DEST/usr/sbin/tunctl" --version
	# uml_switch needs no privilege: bin and man1.
	[ "$(stat -c %a "$DEST/usr/bin/uml_switch")" = 755 ]
	[ ! -e "$DEST/usr/sbin/uml_switch" ]
	[ "$(stat -c %a "$DEST/usr/share/man/man1/uml_switch.1")" = 644 ]
	grep -qx 'ExecStart=/usr/bin/uml_switch -unix /run/uml_switch-%i/ctl $UML_SWITCH_ARGS' \
		"$DEST/usr/lib/systemd/system/uml_switch@.service"
	grep -qx 'EnvironmentFile=-/etc/hostnet/uml_switch-%i.env' "$DEST/usr/lib/systemd/system/uml_switch@.service"
	# slirp is the unprivileged user's tool: bin, not sbin; section 1
	[ "$(stat -c %a "$DEST/usr/bin/slirp")" = 755 ]
	[ ! -e "$DEST/usr/sbin/slirp" ]
	[ "$(stat -c %a "$DEST/usr/share/man/man1/slirp.1")" = 644 ]
	run make -s -C "$TOP" uninstall DESTDIR="$DEST" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ "$(find "$DEST" ! -type d | wc -l)" -eq 0 ]
}

@test "SBINDIR and MANDIR override PREFIX" {
	run make -s -C "$TOP" install DESTDIR="$DEST" SBINDIR=/opt/hn/bin MANDIR=/opt/hn/man
	[ "$status" -eq 0 ]
	[ -x "$DEST/opt/hn/bin/tunctl" ]
	[ -f "$DEST/opt/hn/man/man8/tunctl.8" ]
}

@test "make help lists every target" {
	run make -s -C "$TOP" help
	[ "$status" -eq 0 ]
	for t in all check demo deps bench install install-setuid uninstall clean; do
		grep -qE "^  $t " <<<"$output"
	done
}

# installed PATH...: PATH exists under $DEST (file or link).
installed() {
	local p
	for p in "$@"; do
		[ -e "$DEST$p" ] || [ -L "$DEST$p" ] || { echo "missing: $p" >&2; return 1; }
	done
}

@test "install: ifupdown hooks with SBINDIR in their PATH, linked from every if-*.d" {
	run -0 make -s -C "$TOP" install DESTDIR="$DEST" PREFIX=/usr/local
	local h d
	for h in hostnet-tap hostnet-bridge; do
		[ "$(stat -c %a "$DEST/usr/local/lib/hostnet/ifupdown/$h")" = 755 ]
		grep -qx 'PATH=/usr/local/sbin:$PATH' "$DEST/usr/local/lib/hostnet/ifupdown/$h"
		! grep -q @SBINDIR@ "$DEST/usr/local/lib/hostnet/ifupdown/$h"
		for d in if-pre-up.d if-up.d if-down.d if-post-down.d; do
			[ "$(readlink "$DEST/etc/network/$d/$h")" = "/usr/local/lib/hostnet/ifupdown/$h" ]
		done
	done
	# run-parts runs only names of letters, digits, "_" and "-".
	[ -z "$(find "$DEST/etc/network" -name '*[!A-Za-z0-9_-]*' ! -type d)" ]
}

@test "install: bash completion for every tool, examples, the unit, uml_net in UML's PATH" {
	run -0 make -s -C "$TOP" install DESTDIR="$DEST" PREFIX=/usr
	local t f
	for t in "$HN_BIN"/*; do
		t=${t##*/}
		cmp "$TOP/completion/$t" "$DEST/usr/share/bash-completion/completions/$t"
	done
	for f in "$TOP"/examples/*.conf; do
		[ -e "$f" ] || continue
		cmp "$f" "$DEST/usr/share/doc/hostnet/examples/${f##*/}"
	done
	if [ -e "$TOP/examples/hostnet.service" ]; then
		[ "$(stat -c %a "$DEST/usr/lib/systemd/system/hostnet.service")" = 644 ]
		! grep -q '@SBINDIR@' "$DEST/usr/lib/systemd/system/hostnet.service"
	fi
	if [ -x "$HN_BIN/uml_net" ]; then
		[ "$(readlink "$DEST/usr/lib/uml/uml_net")" = /usr/sbin/uml_net ]
	fi
	run -0 make -s -C "$TOP" uninstall DESTDIR="$DEST" PREFIX=/usr
	[ "$(find "$DEST" ! -type d | wc -l)" -eq 0 ]
}

@test "install: PREFIX=/usr/local keeps uml_net's link in /usr/lib/uml; overrides are honoured" {
	run -0 make -s -C "$TOP" install DESTDIR="$DEST" COMPLETIONDIR=/opt/c HOOKDIR=/opt/h SYSCONFDIR=/opt/etc
	installed /opt/c/tunctl /opt/h/hostnet-tap /opt/etc/network/if-pre-up.d/hostnet-bridge
	[ "$(readlink "$DEST/opt/etc/network/if-up.d/hostnet-tap")" = /opt/h/hostnet-tap ]
	if [ -x "$HN_BIN/uml_net" ]; then
		[ "$(readlink "$DEST/usr/lib/uml/uml_net")" = /usr/local/sbin/uml_net ]
	fi
	run -0 make -s -C "$TOP" uninstall DESTDIR="$DEST" COMPLETIONDIR=/opt/c HOOKDIR=/opt/h SYSCONFDIR=/opt/etc
	[ "$(find "$DEST" ! -type d | wc -l)" -eq 0 ]
}

# in_etc_copy CMD...: CMD in a private mount namespace whose /etc is a copy,
# so that groupadd changes the copy and never the machine's /etc/group.
in_etc_copy() {
	cp -a /etc "$BATS_TEST_TMPDIR/etc"
	unshare -m --propagation private sh -c 'mount --bind "$0/etc" /etc && exec "$@"' \
		"$BATS_TEST_TMPDIR" "$@"
}

# A uml_net to make privileged: the build's, or a stand-in before it exists.
umlnet_installed() {
	run -0 make -s -C "$TOP" install DESTDIR="$DEST" PREFIX=/usr
	[ -x "$DEST/usr/sbin/uml_net" ] || install -m 0755 "$HN_BIN/tunctl" "$DEST/usr/sbin/uml_net"
}

@test "install-setuid: creates group uml-net when missing, root:uml-net 4750" {
	[ "$(id -u)" = 0 ] || skip "needs root"
	HOST_UMLNET=$(getent group uml-net || true)
	umlnet_installed
	# uml-utilities made the group here: drop it from the copy first.
	run -0 in_etc_copy sh -c 'sed -i "/^uml-net:/d" /etc/group /etc/gshadow && ! getent group uml-net &&
		make -s -C "$0" install-setuid DESTDIR="$1" PREFIX=/usr &&
		getent group uml-net && stat -c "%a %U %G" "$1/usr/sbin/uml_net"' "$TOP" "$DEST"
	[[ ${lines[0]} == uml-net:x:* ]]
	[ "${lines[1]}" = "4750 root uml-net" ]
	[ "$(getent group uml-net)" = "$HOST_UMLNET" ]	# the machine's /etc is untouched
}

@test "install-setuid UML_NET_PRIV=caps: cap_net_admin+ep and 0750 instead of setuid" {
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v setcap >/dev/null || unavailable "needs setcap (libcap2-bin)"
	umlnet_installed
	run -0 in_etc_copy sh -c 'make -s -C "$0" install-setuid UML_NET_PRIV=caps DESTDIR="$1" PREFIX=/usr &&
		stat -c "%a %U %G" "$1/usr/sbin/uml_net" && getcap "$1/usr/sbin/uml_net"' "$TOP" "$DEST"
	[ "${lines[0]}" = "750 root uml-net" ]
	[[ ${lines[1]} == *" cap_net_admin=ep" ]]
}

@test "install-setuid without an installed uml_net says so and fails" {
	run -2 make -s -C "$TOP" install-setuid DESTDIR="$DEST"
	[[ $output == *"install-setuid: uml_net is not installed yet (run make install)"* ]]
}

# A stand-in dpkg: dpkg-query -S says bridge-utils owns $OWNED; dpkg-divert
# keeps its diversions in a file and renames as the real one does.
dpkg_stubs() {
	STUB=$BATS_TEST_TMPDIR/stub
	DIVERSIONS=$BATS_TEST_TMPDIR/diversions
	mkdir -p "$STUB"
	: >"$DIVERSIONS"
	cat >"$STUB/dpkg-query" <<-EOF
	#!/bin/sh
	[ "\$1" = -S ] && [ "\$2" = "$OWNED" ] && { echo "bridge-utils: \$2"; exit 0; }
	exit 1
	EOF
	cat >"$STUB/dpkg-divert" <<-'EOF'
	#!/bin/sh
	echo "dpkg-divert $*" >>"$(dirname "$0")/divert.log"
	f=$(dirname "$0")/../diversions
	last=; for a; do last=$a; done
	case " $* " in
	*" --listpackage "*) grep -q "^$last " "$f" && echo hostnet; exit 0 ;;
	*" --add "*) to=$(echo "$*" | sed 's/.*--divert \([^ ]*\).*/\1/'); mv "$last" "$to"; echo "$last $to" >>"$f" ;;
	*" --remove "*) to=$(grep "^$last " "$f" | cut -d' ' -f2); mv "$to" "$last"; sed -i "\|^$last |d" "$f" ;;
	esac
	EOF
	chmod 755 "$STUB"/*
}

# mk_root ARGS...: make with every install directory under $ROOT (no DESTDIR:
# the guard only runs for a real install).
mk_root() {
	env PATH="$STUB:$PATH" make -s -C "$TOP" PREFIX="$ROOT/usr" SYSCONFDIR="$ROOT/etc" UMLDIR="$ROOT/uml" "$@"
}

# packaged_brctl: $ROOT/usr/sbin/brctl, which the stub dpkg says bridge-utils owns.
packaged_brctl() {
	ROOT=$DEST
	OWNED=$ROOT/usr/sbin/brctl
	dpkg_stubs
	mkdir -p "$ROOT/usr/sbin"
	echo packaged >"$OWNED"
}

@test "install refuses to overwrite a file a Debian package owns, and changes nothing" {
	packaged_brctl
	run --separate-stderr mk_root install
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "make install: $OWNED: $OWNED belongs to the package bridge-utils; not overwritten" ]
	[[ ${stderr_lines[1]} == "make install: install under another PREFIX"* ]]
	[ "$(cat "$OWNED")" = packaged ]
	[ "$(find "$ROOT" ! -type d | wc -l)" -eq 1 ]
}

@test "install DIVERT=1 diverts the package's file; uninstall puts it back" {
	packaged_brctl
	run -0 mk_root install DIVERT=1
	[[ $output == *"make install: diverting $OWNED (bridge-utils) to $OWNED.distrib"* ]]
	[ "$(cat "$OWNED.distrib")" = packaged ]
	run -0 "$OWNED" -V
	[ "$output" = "bridge-utils, 1.7" ]
	# a second install knows the diversion is ours
	run -0 mk_root install
	run -0 mk_root uninstall
	[ "$(cat "$OWNED")" = packaged ]
	[ ! -e "$OWNED.distrib" ]
	[ ! -s "$DIVERSIONS" ]
	[ "$(find "$ROOT" ! -type d | wc -l)" -eq 1 ]
}

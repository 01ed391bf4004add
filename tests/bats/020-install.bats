#!/usr/bin/env bats
# 020-install.bats - make install / uninstall into a temporary DESTDIR, and make help.

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
	run make -s -C "$TOP" uninstall DESTDIR="$DEST" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ "$(find "$DEST" -type f | wc -l)" -eq 0 ]
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

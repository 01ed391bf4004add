# uml.bash - shared set-up for the files that boot real User Mode Linux guests
# (NNN-*-uml.bats) through the team's harness, run-guest.sh: where the harness
# and the kernel are, and whether the file can run here.
# shellcheck shell=bash

# uml_find [NEED...]: for setup_file. Sets and exports
#   HARNESS     the harness directory: $UML_HARNESS, else shared/uml beside
#               the checkout (../shared/uml from its top, as tests/run has it)
#   UML_KERNEL  $UML_KERNEL, else the harness's cache (build-kernel.sh
#               builds it there once per machine)
#   UML_SKIP    "" when the file can run, else why not
# and, when it can, copies what the guests read (uml_mirror).
# A NEED is a command that must be on PATH, or CONFIG_NAME: an option the
# kernel must be built with (=y in the .config build-kernel.sh keeps beside
# it). Returns 1 when the file cannot run, so that `if uml_find ...; then`
# guards the file's own set-up. bats 1.8 cannot skip from setup_file: call
# uml_ready in setup().
uml_find() {
	local need
	HARNESS=${UML_HARNESS:-$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)/shared/uml}
	UML_KERNEL=${UML_KERNEL:-/var/cache/umlharness/linux}
	UML_SKIP=""
	if [ "$(id -u)" != 0 ]; then
		UML_SKIP="needs root"
	elif [ ! -x "$HARNESS/run-guest.sh" ]; then
		UML_SKIP="no UML harness at $HARNESS (set UML_HARNESS)"
	elif [ ! -x "$UML_KERNEL" ]; then
		UML_SKIP="no UML kernel; set UML_KERNEL or run $HARNESS/build-kernel.sh (~3 min, cached)"
	fi
	for need in "$@"; do
		[ -z "$UML_SKIP" ] || break
		case $need in
		CONFIG_*)
			grep -qx "$need=y" "$(readlink -f "$UML_KERNEL").config" 2>/dev/null ||
				UML_SKIP="the UML kernel $UML_KERNEL has no $need"
			;;
		*)
			command -v "$need" >/dev/null || UML_SKIP="needs $need"
			;;
		esac
	done
	export HARNESS UML_KERNEL UML_SKIP
	[ -z "$UML_SKIP" ] || return 1
	uml_mirror
}

# uml_mirror: the guests run as nobody and read the harness and our fixtures
# through hostfs; nobody may not reach them where they are (a clone under a
# 0700 directory, as `mktemp -d` makes one). So they are copied into a
# world-readable directory, MIRROR (no "_" in its path: UML reads "_" in its
# command line as a blank), and HARNESS and TFIX (the fixtures) point there.
# The tools a guest runs as nobody are copied by each file, as root, into
# MIRROR or a directory of its own. uml_mirror_rm (teardown_file) removes it.
uml_mirror() {
	MIRROR=$(mktemp -d /tmp/hn-umlmirror.XXXXXX) || return 1
	chmod 755 "$MIRROR"
	cp -r "$HARNESS" "$MIRROR/harness" &&
		cp -r "$BATS_TEST_DIRNAME/fixtures" "$MIRROR/fixtures" &&
		chmod -R a+rX "$MIRROR" || return 1
	HARNESS=$MIRROR/harness TFIX=$MIRROR/fixtures
	export MIRROR HARNESS TFIX
}

uml_mirror_rm() {
	if [ -n "${MIRROR:-}" ]; then rm -rf "$MIRROR"; fi
}

# uml_ready: for setup(). Skips when not root; otherwise a missing harness,
# kernel or NEED is `unavailable` (a skip by hand, a failure under make check).
uml_ready() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -z "$UML_SKIP" ] || unavailable "$UML_SKIP"
}

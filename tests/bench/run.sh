#!/usr/bin/env bash
# tests/bench/run.sh - `make bench`: every tests/bench/bench-*.sh, each side by
# side with the classic recipe and the best existing tool, ratios printed.
set -eu
cd "$(dirname "$0")"
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces)" >&2; exit 1; }
: "${HN_BIN:?set HN_BIN to the bin directory of a build (make bench does)}"
export HN_BIN
for b in bench-*.sh; do
	echo "== ${b%.sh}"
	bash "$b"
done

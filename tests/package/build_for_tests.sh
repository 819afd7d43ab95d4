#!/usr/bin/env bash
# ctest package.build, the fixture of package.lifecycle and stock.service:
# builds the package for this system's Kea from the tree as it is now
# (scripts/package.sh) and writes its path into FILE, so that the tests use
# the package of this run, never an older one left in dist/.
#   tests/package/build_for_tests.sh FILE
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
record=$1
rm -f "$record"
out=$("$top/scripts/package.sh" 2>&1) || { echo "$out"; echo "scripts/package.sh failed" >&2; exit 1; }
echo "$out"
deb=$(sed -n 's/^package\.sh: \(dist\/kea-win-cmds_[^_]*_[^_]*\.deb\)$/\1/p' <<<"$out" | tail -n 1)
[ -n "$deb" ] && [ -f "$top/$deb" ] || { echo "scripts/package.sh named no package" >&2; exit 1; }
echo "$top/$deb" > "$record"

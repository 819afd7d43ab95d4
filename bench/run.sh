#!/usr/bin/env bash
# The benchmark (bench/compare.py: the win-* commands beside lease_cmds; with
# --pair, bench/pair.py: records on a failover pair beside one server; with
# --import, bench/import.py: kea-win-import on a large export; with --dhcp,
# bench/dhcp_while_managing.py: DHCP clients' delays and losses while
# commands run) on one
# Kea release: the machine's own, or another inside its Debian chroot
# (scripts/kea-release.sh). The result goes to
# bench/results-<date>-kea-<release>[-pair|-import|-dhcp].json.
#
#   bench/run.sh --kea 2.6 [--pair|--import|--dhcp] [options of the script, e.g. --n 2000 --reps 1]
set -euo pipefail
cd "$(dirname "$0")/.."
release=$(scripts/kea-release.sh system)
if [ "${1:-}" = --kea ]; then
  release=$2
  shift 2
fi
script=compare.py suffix=
if [ "${1:-}" = --pair ]; then
  script=pair.py suffix=-pair
  shift
elif [ "${1:-}" = --import ]; then
  script=import.py suffix=-import
  shift
elif [ "${1:-}" = --dhcp ]; then
  script=dhcp_while_managing.py suffix=-dhcp
  shift
fi
out="bench/results-$(date -u +%Y-%m-%d)-kea-$release$suffix.json"
bench='cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
       cmake --build "$B" -j "$(nproc)" --target dhcp_win_cmds kea-win-import >/dev/null &&
       WIN_CMDS_SO="$B/shim/libdhcp_win_cmds.so" KEA_WIN_IMPORT="$B/import/kea-win-import" python3 bench/'$script' "$@"'
if [ "$release" = "$(scripts/kea-release.sh system)" ]; then
  scripts/install-deps.sh
  B=${KEA_WIN_BUILD_DIR:-build} bash -c "$bench" bench --out "$out" "$@"
else
  scripts/kea-release.sh ensure "$release"
  # The chroot's build directory of this source tree, as scripts/test.sh names
  # it: /root/build is shared by every tree mounted at /src.
  scripts/kea-release.sh run "$release" env B="/root/build/$(printf %s "$(pwd)" | sha1sum | cut -c1-12)" \
    bash -c "cd /src && $bench" bench --out "$out" "$@"
fi

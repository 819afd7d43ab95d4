#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (C unit tests and the integration tests against real Kea) with CTest, on
# every supported Kea release at once - the system's own here, the others
# inside Debian chroots (scripts/kea-release.sh) - and closes with a table.
#
#   scripts/test.sh                 all releases (2.2, 2.6, 3.0)
#   scripts/test.sh --kea 2.6       one release (repeat --kea for several)
#   scripts/test.sh -L unit         extra arguments go to ctest
#
# Tests whose subject does not depend on the Kea release (the fuzz targets, the
# scripts' own tests, the long sanitizer scenarios of the pair) run with one
# release only: the system's, or the first one named. Every integration suite
# runs in a network namespace of its own (tests/integration/own_network.sh),
# so suites and releases run side by side. KEA_WIN_TEST_JOBS sets how many
# suites one release runs at once.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

releases=()
local_only=""
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kea) releases+=("$2"); shift 2 ;;
    --local) local_only=1; shift ;;  # this system's Kea only (what a chroot runs)
    *) ctest_args+=("$1"); shift ;;
  esac
done
[ ${#releases[@]} -gt 0 ] || releases=(2.2 2.6 3.0)
for r in "${releases[@]}"; do scripts/kea-release.sh suite "$r" >/dev/null; done

scripts/install-deps.sh

jobs=${KEA_WIN_TEST_JOBS:-3}
# This system's Kea: build and run the suite here. KEA_WIN_SCOPE=release
# leaves out the tests that one release runs for all.
run_local() {
  local build=${KEA_WIN_BUILD_DIR:-$top/build}
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    -DWIN_TEST_SCOPE="${KEA_WIN_SCOPE:-all}" >/dev/null
  cmake --build "$build" -j "$(nproc)"
  cd "$build"
  ctest --output-on-failure -j "$jobs" "${ctest_args[@]}"
}
if [ -n "$local_only" ]; then
  run_local
  exit
fi

system=$(scripts/kea-release.sh system)
first=${releases[0]}
for r in "${releases[@]}"; do [ "$r" = "$system" ] && first=$r; done
logs=$top/build/logs  # kept after the run
rm -rf "$logs"
mkdir -p "$logs"

# One release, start to end, into its log: the chroot prepared if need be, the
# build, the suite. In a chroot the build directory is per source tree, so two
# clones never share objects.
run_release() {
  local r=$1 scope=release
  [ "$r" = "$first" ] && scope=all
  if [ "$r" = "$system" ]; then
    KEA_WIN_SCOPE=$scope run_local
  else
    scripts/kea-release.sh ensure "$r" || { echo "the chroot for Kea $r could not be prepared"; return 1; }
    scripts/kea-release.sh run "$r" env KEA_WIN_BUILD_DIR="/root/build/$(printf %s "$top" | sha1sum | cut -c1-12)" \
      KEA_WIN_SCOPE=$scope KEA_WIN_TEST_JOBS="$jobs" /src/scripts/test.sh --local "${ctest_args[@]}"
  fi
}

declare -A pid
for r in "${releases[@]}"; do
  echo "=== Kea $r ($(scripts/kea-release.sh suite "$r")): log in $logs/test-$r.log ==="
  # Progress as it comes: one line a test, the release in front.
  ( set +e; (run_release "$r") >"$logs/test-$r.log" 2>&1; echo $? >"$logs/rc-$r" ) &
  pid[$r]=$!
done
for r in "${releases[@]}"; do
  tail -n +1 -F --pid="${pid[$r]}" "$logs/test-$r.log" 2>/dev/null |
    grep --line-buffered -E 'Test +#[0-9]+:|could not be prepared' | sed -u "s/^/[$r] /" &
done
for r in "${releases[@]}"; do wait "${pid[$r]}" || true; done
wait

declare -A outcome
failed_any=0
for r in "${releases[@]}"; do
  rc=$(cat "$logs/rc-$r" 2>/dev/null || echo 1)
  summary=$(grep -Eo '[0-9]+ tests failed out of [0-9]+' "$logs/test-$r.log" | tail -1 || true)
  if [ "$rc" -ne 0 ]; then
    failed_any=1
    # Why, before the table: ctest's failures, or the last lines of whatever stopped.
    echo
    echo "=== Kea $r failed (exit $rc) ==="
    if [ -n "$summary" ]; then
      # Each failed test's line and its output (ctest prints it right after).
      awk '/Test +#[0-9]+:/ { show = /\*\*\*|Failed|Exception/ } show' "$logs/test-$r.log" |
        cut -c1-2000 | tail -n 600
    else
      tail -n 40 "$logs/test-$r.log"
    fi
  fi
  outcome[$r]="${summary:-no test ran}|$rc"
done

echo
echo "| Kea release | Debian suite | passed | failed | result |"
echo "|---|---|---|---|---|"
total_passed=0 total_failed=0
for r in "${releases[@]}"; do
  summary=${outcome[$r]%|*} rc=${outcome[$r]##*|}
  if [[ "$summary" =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=${BASH_REMATCH[1]} passed=$((BASH_REMATCH[2] - BASH_REMATCH[1]))
  else
    failed=1 passed=0
  fi
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed))
  echo "| $r | $(scripts/kea-release.sh suite "$r") | $passed | $failed | $([ "$rc" -eq 0 ] && echo ok || echo FAILED) |"
done
echo
echo "all releases: $total_passed passed, $total_failed failed"
exit $failed_any

#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (C unit tests and the integration tests against real Kea) with CTest, on
# every supported Kea release: the system's own, then the others inside
# Debian chroots (scripts/kea-release.sh), and closes with a table.
#
#   scripts/test.sh                 all releases (2.2, 2.6, 3.0)
#   scripts/test.sh --kea 2.6       one release
#   scripts/test.sh -L unit         extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

releases=(2.2 2.6 3.0)
local_only=""
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kea) releases=("$2"); shift 2 ;;
    --local) local_only=1; shift ;;  # this system's Kea only (what a chroot runs)
    *) ctest_args+=("$1"); shift ;;
  esac
done
for r in "${releases[@]}"; do scripts/kea-release.sh suite "$r" >/dev/null; done

scripts/install-deps.sh

# This system's Kea: build and run the suite here.
run_local() {
  local build=${KEA_WIN_BUILD_DIR:-$top/build}
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
  cmake --build "$build" -j "$(nproc)"
  cd "$build"
  ctest --output-on-failure "${ctest_args[@]}"
}
if [ -n "$local_only" ]; then
  run_local
  exit
fi

system=$(scripts/kea-release.sh system)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Chroots are prepared in the background while the system's release runs.
declare -A preparing
for r in "${releases[@]}"; do
  if [ "$r" != "$system" ]; then
    scripts/kea-release.sh ensure "$r" >"$logs/ensure-$r.log" 2>&1 &
    preparing[$r]=$!
  fi
done

declare -A outcome
failed_any=0
for r in "${releases[@]}"; do
  echo "=== Kea $r ($(scripts/kea-release.sh suite "$r")) ==="
  rc=0
  if [ "$r" = "$system" ]; then
    (run_local) 2>&1 | tee "$logs/test-$r.log" || rc=$?
  elif ! wait "${preparing[$r]}"; then
    cat "$logs/ensure-$r.log"
    echo "the chroot for Kea $r could not be prepared" | tee "$logs/test-$r.log"
    rc=1
  else
    # The fuzz targets do not depend on Kea: they run with the system's release.
    scripts/kea-release.sh run "$r" env KEA_WIN_BUILD_DIR=/root/build KEA_WIN_NO_FUZZ=1 \
      /src/scripts/test.sh --local -LE fuzz "${ctest_args[@]}" 2>&1 | tee "$logs/test-$r.log" || rc=$?
  fi
  outcome[$r]=$(grep -Eo '[0-9]+ tests failed out of [0-9]+' "$logs/test-$r.log" | tail -1 || true)
  [ "$rc" -eq 0 ] || failed_any=1
  outcome[$r]="${outcome[$r]:-no test ran}|$rc"
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

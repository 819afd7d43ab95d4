#!/usr/bin/env bash
# Runs one fuzz target for FUZZ_SECONDS (default 20) from its seed corpus;
# new inputs go to a work corpus beside it. Any crash, leak or sanitizer
# report fails the test (libFuzzer exits non-zero and prints the input).
set -euo pipefail
target=$1 seeds=$2 work=$3
mkdir -p "$work"
exec "$target" -max_total_time="${FUZZ_SECONDS:-20}" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 "$work" "$seeds"

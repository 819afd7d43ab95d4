#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (C unit tests and the integration tests against real Kea) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build build -j "$(nproc)"
cd build
ctest --output-on-failure "$@"

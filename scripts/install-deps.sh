#!/usr/bin/env bash
# Installs the Debian bookworm packages the project builds, runs and tests
# with, when any is missing. Needs root (or sudo) only when it installs.
set -euo pipefail

packages=(
  build-essential cmake pkg-config        # toolchain
  kea-dev libcjson-dev libboost-dev       # build: Kea hooks API, cJSON, Boost headers
  kea-dhcp4-server kea-ctrl-agent         # run: kea-dhcp4 with lease_cmds + HA hooks, the REST agent
  kea-admin                               # perfdhcp, kea-admin
  libcmocka-dev python3 python3-jsonschema  # tests
  clang libclang-rt-14-dev                # fuzzing (libFuzzer, sanitizers)
  postgresql                              # the SQL lease backend tests
  socat curl                              # talking to the demo
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

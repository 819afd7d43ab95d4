#!/usr/bin/env bash
# Installs the Debian packages the project builds, runs and tests with, when any
# is missing: Debian 12 (Kea 2.2), 13 (Kea 2.6) or testing (Kea 3.0), each with
# its own release's packages. Needs root (or sudo) only when it installs.
#   KEA_WIN_NO_FUZZ=1   leave out clang (the fuzz targets do not depend on Kea:
#                       the chroots of scripts/kea-release.sh skip them)
set -euo pipefail

packages=(
  build-essential cmake pkg-config        # toolchain
  kea-dev libcjson-dev libboost-dev       # build: Kea hooks API, cJSON, Boost headers
  libssl-dev                              # Kea 3.0's headers include boost/asio/ssl
  kea-dhcp4-server kea-ctrl-agent         # run: kea-dhcp4 with lease_cmds + HA hooks, the REST agent
  kea-admin                               # perfdhcp, kea-admin
  libxml2-dev                             # kea-win-import: the export reader
  libcurl4-openssl-dev                    # kea-win-import --apply: HTTP(S)
  libcmocka-dev python3 python3-jsonschema  # tests
  postgresql mariadb-server                # the SQL lease backend tests (PostgreSQL, MySQL)
  mmdebstrap                              # chroots of the other Kea releases (scripts/kea-release.sh)
  socat curl                              # talking to the demo
  iproute2                                # each test suite in its own network namespace
  debhelper lintian fakeroot              # the Debian package (scripts/package.sh)
  apparmor strace openssl                 # the stock-service test: Debian's profiles, what the
                                          # service touches, TLS certificates for the pair tests
)
if [ -z "${KEA_WIN_NO_FUZZ:-}" ]; then
  packages+=(clang libclang-rt-dev)       # fuzzing (libFuzzer, sanitizers)
fi

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

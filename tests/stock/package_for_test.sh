#!/usr/bin/env bash
# The stock-service test's fixture: makes sure dist/ holds the package for
# this system's Kea, building it with scripts/package.sh when it does not (or
# when the tree changed since: STOCK_REBUILD=1 forces it).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kea=$(dpkg-query -W -f '${Version}' kea-dhcp4-server)
if [ -z "${STOCK_REBUILD:-}" ]; then
  for deb in "$top"/dist/kea-win-cmds_*.deb; do
    [ -e "$deb" ] || continue
    if dpkg-deb -f "$deb" Depends | grep -qF "kea-dhcp4-server (= $kea)"; then
      echo "package for kea-dhcp4-server $kea: $deb"
      exit 0
    fi
  done
fi
[ -x "$top/scripts/package.sh" ] || { echo "no package for kea-dhcp4-server $kea and no scripts/package.sh"; exit 1; }
exec "$top/scripts/package.sh"

#!/usr/bin/env bash
# The stock-service test (ctest stock.service): the package for this system's
# Kea, installed in a throwaway root (tests/stock/throwaway_root.sh) in a
# network namespace of its own (tests/integration/own_network.sh), where
# test_stock_service.py runs kea-dhcp4 as Debian's unit does.
#
#   tests/stock/stock_service.sh [PACKAGE.deb]
#
# Without an argument: $KEA_WIN_DEB, else the newest dist/kea-win-cmds_*.deb
# whose Depends pins this system's kea-dhcp4-server (what scripts/package.sh
# builds here). Exits 77 (skipped) without root or a private mount namespace.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "stock.service needs root"; exit 77; }

deb=${1:-${KEA_WIN_DEB:-}}
if [ -z "$deb" ]; then
  kea=$(dpkg-query -W -f '${Version}' kea-dhcp4-server)
  for candidate in $(ls -t "$top"/dist/kea-win-cmds_*.deb 2>/dev/null); do
    if dpkg-deb -f "$candidate" Depends | grep -qF "kea-dhcp4-server (= $kea)"; then
      deb=$candidate
      break
    fi
  done
  [ -n "$deb" ] || { echo "no package for kea-dhcp4-server $kea in $top/dist: run scripts/package.sh"; exit 1; }
fi
echo "package: $deb ($(dpkg-deb -f "$deb" Version), Depends: $(dpkg-deb -f "$deb" Depends))"

# The tree, bound read-only: the overlay shows only /'s own file system (a
# release chroot's /src is a mount of its own) and /tmp is a fresh tmpfs there.
binds=(--bind "$top")
export OWN_NETWORK_INTERFACES=${OWN_NETWORK_INTERFACES:-eth0}  # the example's interface
exec "$top/tests/integration/own_network.sh" "$here/throwaway_root.sh" "${binds[@]}" \
  --copy "$(realpath "$deb")" /tmp/stock-package/"$(basename "$deb")" -- \
  env STOCK_PACKAGE=/tmp/stock-package/"$(basename "$deb")" PYTHONDONTWRITEBYTECODE=1 \
  /usr/bin/python3 "$here/test_stock_service.py"  # Debian's: it has python3-jsonschema

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
# builds here). Exits 77 (skipped) without root.
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

# tests/stock/throwaway_root.sh runs the inner step outside the copy with
# THROWAWAY_ROOT set: it binds the tree there read-only (a release chroot's
# /src is a mount of its own, which the overlay of / does not show), puts the
# package in, and runs the test chrooted into the copy.
if [ -n "${THROWAWAY_ROOT:-}" ]; then
  mkdir -p "$THROWAWAY_ROOT$top" "$THROWAWAY_ROOT/tmp/stock-package"
  mount --bind "$top" "$THROWAWAY_ROOT$top"
  mount -o remount,bind,ro "$THROWAWAY_ROOT$top"
  cp "$deb" "$THROWAWAY_ROOT/tmp/stock-package/"
  exec chroot "$THROWAWAY_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 HOME=/root PYTHONDONTWRITEBYTECODE=1 \
    STOCK_PACKAGE="/tmp/stock-package/$(basename "$deb")" \
    /usr/bin/python3 "$here/test_stock_service.py"  # Debian's: it has python3-jsonschema
fi
export OWN_NETWORK_INTERFACES=${OWN_NETWORK_INTERFACES:-eth0}  # a NIC as a host has
exec "$top/tests/integration/own_network.sh" "$here/throwaway_root.sh" "$0" "$(realpath "$deb")"

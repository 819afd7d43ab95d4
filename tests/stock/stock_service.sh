#!/usr/bin/env bash
# The stock-service test (ctest stock.service): the package for this system's
# Kea, installed in a throwaway root (tests/stock/throwaway_root.sh) in a
# network namespace of its own (tests/integration/own_network.sh), where
# test_stock_service.py runs kea-dhcp4 as Debian's unit does.
#
#   tests/stock/stock_service.sh [PACKAGE.deb]
#
# Without an argument: $KEA_WIN_PACKAGE_DEB, else the package the fixture
# package.build made in this run ($KEA_WIN_PACKAGE_RECORD names the file that
# holds its path). Exits 77 (skipped) without root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "stock.service needs root"; exit 77; }

deb=${1:-${KEA_WIN_PACKAGE_DEB:-$(cat "${KEA_WIN_PACKAGE_RECORD:-/nonexistent}" 2>/dev/null || true)}}
[ -f "$deb" ] || { echo "no package: give one, or run the fixture package.build (scripts/package.sh)"; exit 1; }
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

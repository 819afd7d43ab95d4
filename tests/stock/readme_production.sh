#!/usr/bin/env bash
# ctest stock.readme_production: every ```sh block of the operator guide's
# "Production" section (docs/operator-guide.md), in order, as an operator runs them - as root on a
# Debian machine with this release's Kea - in a throwaway copy of the root
# (tests/stock/throwaway_root.sh) and a network namespace of its own. The
# package is the one package.build made in this run, in /root; a Windows
# export of the example's scope is /root/dhcp-export.xml. systemd cannot run there: systemctl is
# tests/stock/systemctl_standin.py, which starts the units as Debian's unit
# files say. Every control-channel answer the blocks print must say result 0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "stock.readme_production needs root"; exit 77; }

if [ -n "${THROWAWAY_ROOT:-}" ]; then
  deb=$1 script=$2
  cp "$deb" "$THROWAWAY_ROOT/root/"
  # A Windows export of the example's scope, with two leases.
  PYTHONPATH="$top/tests/integration" python3 -c '
import sys, windows_export as wx
scope = wx.scope("192.0.2.0", "255.255.255.0", "192.0.2.100", "192.0.2.200", name="office",
                 leases=[wx.lease("192.0.2.150", "192.0.2.0", "00-15-5d-0a-0b-01", "Active",
                                  "2036-01-01 00:00:00Z", host="laptop-1.example.com"),
                         wx.lease("192.0.2.151", "192.0.2.0", "00-15-5d-0a-0b-02", "Active",
                                  "2036-01-01 00:00:00Z", host="printer-2.example.com")])
sys.stdout.buffer.write(wx.export(wx.server_settings() + [wx.E("Scopes", scope)]))
' > "$THROWAWAY_ROOT/root/dhcp-export.xml"
  cp "$script" "$THROWAWAY_ROOT/root/production.sh"
  install -m 0755 "$here/systemctl_standin.py" "$THROWAWAY_ROOT/usr/local/bin/systemctl"
  rc=0
  chroot "$THROWAWAY_ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 HOME=/root DEBIAN_FRONTEND=noninteractive \
    /bin/bash -c 'cd /root && bash -euxo pipefail production.sh' > "$script.out" 2>&1 || rc=$?
  cat "$script.out"
  [ "$rc" -eq 0 ] || { echo "FAIL: a block of the operator guide's Production failed (exit $rc)"; exit 1; }
  answers=$(grep -E '^\s*(\{|\[ *\{)' "$script.out" || true)
  [ -n "$answers" ] || { echo "FAIL: the blocks printed no answer"; exit 1; }
  if grep -vE '"result": ?0[,} ]' <<<"$answers"; then
    echo "FAIL: the answers above do not say result 0"
    exit 1
  fi
  echo "docs/operator-guide.md Production: $(grep -c . <<<"$answers") answers, all result 0"
  exit 0
fi

deb=${KEA_WIN_PACKAGE_DEB:-$(cat "${KEA_WIN_PACKAGE_RECORD:-/nonexistent}" 2>/dev/null || true)}
[ -f "$deb" ] || { echo "no package: run the fixture package.build (scripts/package.sh)"; exit 1; }
script=$(mktemp /tmp/readme-production.XXXXXX)
trap 'rm -f "$script" "$script.out"' EXIT
python3 - "$top/docs/operator-guide.md" > "$script" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
section = re.search(r"^## Production\n(.*?)(?=^## |\Z)", text, re.S | re.M).group(1)
blocks = re.findall(r"^```sh\n(.*?)^```", section, re.S | re.M)
if not blocks:
    sys.exit("docs/operator-guide.md: Production has no sh block")
for i, block in enumerate(blocks, 1):
    print("echo '--- block %d'" % i)
    print(block)
PY
export OWN_NETWORK_INTERFACES=${OWN_NETWORK_INTERFACES:-eth0}
exec "$top/tests/integration/own_network.sh" "$here/throwaway_root.sh" "$0" "$(realpath "$deb")" "$script"

#!/usr/bin/env bash
# ctest package.lifecycle: takes the Debian package built for this machine's
# Kea (by the fixture package.build, or $KEA_WIN_PACKAGE_DEB), checks what it
# holds, then installs, upgrades, removes and purges it in a throwaway copy
# of the machine's root (package_lifecycle.sh): the machine is not touched.
# Needs root (exit 77, a skip, otherwise).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "package.lifecycle needs root"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# The package: $KEA_WIN_PACKAGE_DEB, else the one package.build made in this
# run (its path in $KEA_WIN_PACKAGE_RECORD).
deb=${KEA_WIN_PACKAGE_DEB:-$(cat "${KEA_WIN_PACKAGE_RECORD:-/nonexistent}" 2>/dev/null || true)}
[ -f "$deb" ] || fail "no package ($deb)"
echo "--- checking $deb"

kea_version=$(dpkg-query -W -f='${Version}' kea-dhcp4-server)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
hook=usr/lib/$multiarch/kea/hooks/libdhcp_win_cmds.so
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in "$hook" usr/bin/kea-win-import usr/share/man/man1/kea-win-import.1.gz \
            usr/share/doc/kea-win-cmds/examples/kea-dhcp4.conf \
            usr/share/doc/kea-win-cmds/examples/kea-ctrl-agent-tls.conf.example \
            usr/share/doc/kea-win-cmds/copyright \
            usr/share/kea-win-cmds/schemas/common.json \
            etc/apparmor.d/abstractions/kea-win-cmds; do
  grep -qxF "./$path" <<<"$contents" || fail "the package lacks /$path"
done
# The README and every guide it links, uncompressed so that the links work.
for doc in README.md $(cd "$top" && ls docs/*.md); do
  grep -qxF "./usr/share/doc/kea-win-cmds/$doc" <<<"$contents" ||
    fail "the package lacks /usr/share/doc/kea-win-cmds/$doc"
done

depends=$(dpkg-deb -f "$deb" Depends)
grep -qF "kea-dhcp4-server (= $kea_version)" <<<"$depends" ||
  fail "Depends does not pin kea-dhcp4-server (= $kea_version): $depends"
[[ "$(dpkg-deb -f "$deb" Version)" == *"+kea${kea_version//-/.}-"* ]] ||
  fail "the version $(dpkg-deb -f "$deb" Version) does not name Kea $kea_version"

unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
for binary in "$hook" usr/bin/kea-win-import; do
  sections=$(readelf -S --wide "$unpacked/$binary")
  ! grep -Eq '\.(symtab|debug_info)' <<<"$sections" || fail "/$binary is not stripped"
done
echo "contents: ok"

"$top/tests/stock/throwaway_root.sh" "$here/package_lifecycle.sh" "$deb"

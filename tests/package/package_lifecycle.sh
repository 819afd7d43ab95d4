#!/usr/bin/env bash
# Install, check, reinstall, upgrade, remove and purge the kea-win-cmds
# package in the throwaway root $THROWAWAY_ROOT (tests/stock/throwaway_root.sh).
#   package_lifecycle.sh PACKAGE.deb
set -euo pipefail
deb=$1
R=${THROWAWAY_ROOT:?run me through tests/stock/throwaway_root.sh}
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
              DEBIAN_FRONTEND=noninteractive "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

STATE=/var/lib/kea/win-cmds
PROFILE=/etc/apparmor.d/usr.sbin.kea-dhcp4
LOCAL=/etc/apparmor.d/local/usr.sbin.kea-dhcp4
FALLBACK=/etc/apparmor.d/abstractions/mysql.d/kea-win-cmds
INCLUDE="#include <abstractions/kea-win-cmds>"
ADMIN_LINE="  /srv/site-rule/** r,  # the administrator's own line"

# /etc/kea as bytes, modes and owners.
etc_kea() { (cd "$R/etc/kea" && find . -printf '%p %y %m %u %g\n' | sort &&
             find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }
state_of() { (cd "$R$STATE" && find . -printf '%p %y %m %u %g\n' | sort &&
              find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }
count_include() { grep -cxF "$INCLUDE" "$R$LOCAL" || true; }
profile_parses() {
  in_root apparmor_parser -Q -T -K "$PROFILE" || fail "apparmor_parser refuses $PROFILE ($1)"
}
rules_in_profile() { in_root apparmor_parser -p "$PROFILE" 2>/dev/null | grep -cF "/var/lib/kea/win-cmds/**" || true; }

in_root dpkg-query -W kea-dhcp4-server >/dev/null || fail "kea-dhcp4-server is not installed"
# A copy of a machine where the package is installed starts without it.
in_root dpkg -P kea-win-cmds >/dev/null 2>&1 || true
in_root rm -rf "$STATE"
cp "$deb" "$R/tmp/kea-win-cmds.deb"
# The same package one revision later, for the upgrade.
unpacked=$(mktemp -d)
dpkg-deb -R "$deb" "$unpacked/p"
version=$(dpkg-deb -f "$deb" Version)
sed -i "s/^Version: .*/Version: ${version%-*}-$((${version##*-} + 1))/" "$unpacked/p/DEBIAN/control"
dpkg-deb -b "$unpacked/p" "$R/tmp/kea-win-cmds-next.deb" >/dev/null
rm -rf "$unpacked"

# The administrator's site rule comes first and must survive everything.
mkdir -p "$R/etc/apparmor.d/local"
printf '%s\n' "$ADMIN_LINE" >> "$R$LOCAL"
etc_before=$(etc_kea)

step "install"
in_root dpkg -i /tmp/kea-win-cmds.deb
[ "$(stat -c '%U:%G %a' "$R$STATE")" = "_kea:_kea 750" ] ||
  fail "state directory: $(stat -c '%U:%G %a' "$R$STATE"), not _kea:_kea 750"
[ "$(stat -c '%U:%G %a' "$R$STATE/ha-library.json")" = "_kea:_kea 600" ] ||
  fail "ha-library.json: $(stat -c '%U:%G %a' "$R$STATE/ha-library.json"), not _kea:_kea 600"
[ "$(cat "$R$STATE/ha-library.json")" = "// kea-win-cmds: no failover relationship" ] ||
  fail "ha-library.json holds: $(cat "$R$STATE/ha-library.json")"
grep -qxF "$ADMIN_LINE" "$R$LOCAL" || fail "the administrator's line is gone from $LOCAL"
[ "$(count_include)" = 1 ] || fail "$LOCAL has $(count_include) include lines, not 1"
if ! grep -Eq '^[[:space:]]*#?include( if exists)? <local/usr\.sbin\.kea-dhcp4>' "$R$PROFILE"; then
  # Debian 12's profile does not read its local file.
  [ -f "$R$FALLBACK" ] || fail "the profile has no local include and $FALLBACK is missing"
else
  [ ! -e "$R$FALLBACK" ] || fail "the profile includes its local file, yet $FALLBACK was made"
fi
profile_parses "installed"
[ "$(rules_in_profile)" -ge 1 ] || fail "the hook's rules are not in the compiled $PROFILE"
[ "$(etc_kea)" = "$etc_before" ] || fail "install changed /etc/kea"

step "kea-dhcp4 -t on the example"
# /run/kea as the service's unit creates it (Kea 2.6+ checks the socket directory).
in_root install -d -o _kea -g _kea -m 0750 /run/kea
state_before=$(state_of)
in_root kea-dhcp4 -t /usr/share/doc/kea-win-cmds/examples/kea-dhcp4.conf ||
  fail "kea-dhcp4 -t refuses the example"
[ "$(state_of)" = "$state_before" ] || fail "kea-dhcp4 -t changed the state directory"

step "reinstall and upgrade"
# State as a running hook leaves it: a relationship's fragment and a state file.
printf ', { "library": "x" }\n' > "$R$STATE/ha-library.json"
printf '{"relationships": []}\n' > "$R$STATE/win-failover-relationships.json"
chroot "$R" chown _kea:_kea "$STATE/win-failover-relationships.json"
chmod 0600 "$R$STATE/win-failover-relationships.json"
state_before=$(state_of)
in_root dpkg -i /tmp/kea-win-cmds.deb
[ "$(state_of)" = "$state_before" ] || fail "reinstall changed the state directory"
in_root dpkg -i /tmp/kea-win-cmds-next.deb
[ "$(state_of)" = "$state_before" ] || fail "upgrade changed the state directory"
[ "$(count_include)" = 1 ] || fail "after the upgrade $LOCAL has $(count_include) include lines"
grep -qxF "$ADMIN_LINE" "$R$LOCAL" || fail "the upgrade took the administrator's line"
[ "$(etc_kea)" = "$etc_before" ] || fail "reinstall or upgrade changed /etc/kea"

step "remove"
in_root dpkg -r kea-win-cmds
[ "$(count_include)" = 0 ] || fail "remove left the include in $LOCAL"
! grep -q 'kea-win-cmds' "$R$LOCAL" || fail "remove left a kea-win-cmds line in $LOCAL"
[ "$(cat "$R$LOCAL")" = "$ADMIN_LINE" ] || fail "remove changed the administrator's lines: $(cat "$R$LOCAL")"
[ ! -e "$R$FALLBACK" ] || fail "remove left $FALLBACK"
[ "$(state_of)" = "$state_before" ] || fail "remove (not purge) changed the state directory"
profile_parses "removed"
[ "$(etc_kea)" = "$etc_before" ] || fail "remove changed /etc/kea"

step "purge"
in_root dpkg -P kea-win-cmds
[ ! -e "$R$STATE" ] || fail "purge left $STATE"
[ ! -e "$R/etc/apparmor.d/abstractions/kea-win-cmds" ] || fail "purge left the abstraction"
[ "$(cat "$R$LOCAL")" = "$ADMIN_LINE" ] || fail "purge changed the administrator's lines"
profile_parses "purged"
[ "$(etc_kea)" = "$etc_before" ] || fail "purge changed /etc/kea"
echo "package lifecycle: ok"

#!/usr/bin/env bash
# A Kea release other than the system's, in a Debian chroot built from Debian's
# archive with mmdebstrap and the project's own scripts/install-deps.sh.
#
#   scripts/kea-release.sh suite 2.6        the Debian suite that ships a release
#   scripts/kea-release.sh system           the release installed here (2.2, 2.6, 3.0 or none)
#   scripts/kea-release.sh ensure 2.6       build the chroot once (kept, then reused)
#   scripts/kea-release.sh ensure 2.6 --simulate
#                                           only ask the archive for the chroot's
#                                           packages (mmdebstrap --simulate): nothing kept
#   scripts/kea-release.sh run 2.6 CMD...   run CMD in it, the project at /src
#   scripts/kea-release.sh mirror           the Debian archive the chroots come from
#
# Chroots are kept in $KEA_WIN_CHROOTS (default /var/cache/kea-win-cmds/chroots)
# and brought up to date when install-deps.sh changes. A run mounts /proc,
# /sys, /dev and the project, and at the end - whatever happened - stops every
# process left inside by pid and undoes every mount.
set -eEuo pipefail
# Whatever stops the script says where, so that the test command can show why.
trap 'echo "kea-release.sh: line $LINENO failed (exit $?): $BASH_COMMAND" >&2' ERR
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KEA_WIN_CHROOTS:-/var/cache/kea-win-cmds/chroots}

suite_of() {
  case "$1" in
    2.2) echo bookworm ;;
    2.6) echo trixie ;;
    3.0) echo forky ;;
    *) echo "unknown Kea release '$1' (2.2, 2.6 or 3.0)" >&2; return 2 ;;
  esac
}

system_release() {
  local v
  v=$(kea-dhcp4 -v 2>/dev/null) || { echo none; return; }
  case "$v" in 2.2.*) echo 2.2 ;; 2.6.*) echo 2.6 ;; 3.0.*) echo 3.0 ;; *) echo "other:$v" ;; esac
}

# The Debian archive this machine's apt already uses (none named here).
# Both of apt's source formats are read; either may be missing (Debian 13 and many
# Debian 12 images have only deb822 files), which is not an error.
host_mirror() {
  local sources=(/etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list)
  cat "${sources[@]}" 2>/dev/null |
    awk '$1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }
         $1 == "deb" { sub(/\[[^]]*\]/, ""); print $2 }' |
    grep -v security | grep -m1 '/debian/\?$' || true
}

stamp_of() { sha256sum "$top/scripts/install-deps.sh" | cut -c1-16; }

# Mounts for $root; umount_all undoes them (in reverse, lazily if busy).
mounted=()
mount_all() {
  local root=$1
  mkdir -p "$root/src"
  # The chroot's / made a mount point of its own (private, so nothing below
  # reaches the machine's mounts): inside, `unshare --mount --propagation
  # private` can then make a mount namespace, which the tests use for a tmpfs
  # or a read-only state directory (on a plain directory it fails, EINVAL).
  mount --bind "$root" "$root" && mounted+=("$root") && mount --make-private "$root"
  mount -t proc proc "$root/proc" && mounted+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
  mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" && mounted+=("$root/dev")
  mount --bind "$top" "$root/src" && mounted+=("$root/src")
}
umount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -R -l "${mounted[i]}" 2>/dev/null || true
  done
  mounted=()
}

# Every process whose root is the chroot, stopped by pid.
. "$top/scripts/stop-inside.sh"

in_chroot() { # root, command...
  local root=$1; shift
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    CI="${CI:-}" DEBIAN_FRONTEND=noninteractive "$@"
}

ensure() {
  local release=$1 simulate=${2:-} suite root mirror
  suite=$(suite_of "$release")
  root="$cache/$suite"
  if [ "$simulate" = --simulate ]; then
    mirror=$(host_mirror)
    mmdebstrap --simulate --variant=minbase --include=ca-certificates \
      --aptopt='Acquire::Check-Valid-Until "false"' "$suite" /dev/null ${mirror:+"$mirror"}
    return
  fi
  mkdir -p "$cache"
  exec 9>"$cache/$suite.lock"
  flock 9
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing (scripts/install-deps.sh)" >&2; return 1; }
    rm -rf "$root.new"
    mirror=$(host_mirror)
    echo "Building the $suite chroot (Kea $release) in $root"
    # The testing suite's Release file may be past its Valid-Until date.
    mmdebstrap --variant=minbase --include=ca-certificates \
      --aptopt='Acquire::Check-Valid-Until "false"' "$suite" "$root.new" ${mirror:+"$mirror"}
    mv "$root.new" "$root"
  fi
  if [ "$(cat "$root/etc/kea-win-cmds.stamp" 2>/dev/null)" != "$(stamp_of)" ]; then
    # Packages are installed, never started, inside.
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    trap 'stop_inside "$root"; umount_all' EXIT
    mount_all "$root"
    in_chroot "$root" env KEA_WIN_NO_FUZZ=1 /src/scripts/install-deps.sh
    stop_inside "$root"
    umount_all
    trap - EXIT
    stamp_of > "$root/etc/kea-win-cmds.stamp"
  fi
  flock -u 9
}

run() {
  local release=$1 root rc=0
  shift
  root="$cache/$(suite_of "$release")"
  [ -x "$root/usr/bin/apt-get" ] || { echo "no chroot for Kea $release: run 'ensure $release'" >&2; return 1; }
  # One run at a time per chroot: a second tree would be mounted over the first's /src.
  exec 8>"$root.run.lock"
  flock 8
  trap 'stop_inside "$root"; umount_all' EXIT
  trap 'exit 130' INT TERM
  mount_all "$root"
  in_chroot "$root" "$@" || rc=$?
  stop_inside "$root"
  umount_all
  trap - EXIT
  trap - ERR  # the command's own failure is its to report, not this script's
  return $rc
}

case "${1:-}" in
  suite) suite_of "$2" ;;
  system) system_release ;;
  ensure) ensure "$2" "${3:-}" ;;
  run) shift; run "$@" ;;
  mirror) host_mirror ;;
  *) sed -n '2,18p' "$0" >&2; exit 2 ;;
esac

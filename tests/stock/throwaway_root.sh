#!/usr/bin/env bash
# Runs a command beside a throwaway copy of this machine's root: an overlay of
# / (writes go to a temporary upper layer) in a private mount namespace, with
# /proc, /sys, /dev and a fresh /run mounted in it. Nothing done in it reaches
# the machine: when the command ends, processes left in the copy are stopped
# by pid, the namespace (and every mount) goes, and the layer is deleted.
#
#   tests/stock/throwaway_root.sh COMMAND [ARGS...]
#
# COMMAND runs outside the copy (this machine's tools, its files) with
# THROWAWAY_ROOT set to the copy's root: `chroot "$THROWAWAY_ROOT" dpkg -i
# /tmp/x.deb`, `cp x.deb "$THROWAWAY_ROOT/tmp/"`. Its exit status is the
# script's. Needs root (exit 77 otherwise, ctest's skip). Works on the host,
# inside scripts/kea-release.sh's chroots, and in a chroot whose / is no mount
# point (there the layer's own mount is made private instead).
# AppArmor in the copy: /sys/module/apparmor is hidden and securityfs is not
# mounted, so maintainer scripts see AppArmor inactive and cannot load
# profiles into the machine's kernel.
set -euo pipefail

if [ -z "${THROWAWAY_LAYER:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "throwaway_root.sh: needs root" >&2; exit 77; }
  [ $# -gt 0 ] || { echo "usage: throwaway_root.sh COMMAND [ARGS...]" >&2; exit 2; }
  layer=$(mktemp -d /tmp/throwaway-root.XXXXXX)
  trap 'rm -rf --one-file-system "$layer"' EXIT
  # A private mount namespace; inside a chroot / cannot be made private
  # (it is no mount point): the layer's own mount is made private below.
  propagation=private
  unshare -m --propagation private true 2>/dev/null || propagation=unchanged
  rc=0
  THROWAWAY_LAYER=$layer unshare -m --propagation "$propagation" "$0" "$@" || rc=$?
  exit $rc
fi

layer=$THROWAWAY_LAYER
unset THROWAWAY_LAYER
# Nothing mounted below the layer propagates to the machine's namespace.
mount --bind "$layer" "$layer"
mount --make-private "$layer"
mkdir -p "$layer/upper" "$layer/work" "$layer/root"
root=$layer/root
mount -t overlay overlay -o "lowerdir=/,upperdir=$layer/upper,workdir=$layer/work" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
if [ -d "$root/sys/module/apparmor" ]; then
  mount -t tmpfs -o mode=0755 tmpfs "$root/sys/module/apparmor"
fi
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mkdir -p "$root/run/lock"

# Every process whose root is the copy, stopped by pid.
. "$(dirname "$0")/../../scripts/stop-inside.sh"
trap 'stop_inside "$root"' EXIT
THROWAWAY_ROOT=$root "$@"

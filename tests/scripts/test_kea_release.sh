#!/usr/bin/env bash
# scripts/kea-release.sh on apt configurations other than this machine's: deb822
# sources only (Debian 13's default, and many Debian 12 images), one-line sources
# only, and none. Each runs in a private mount namespace over a copy of /etc/apt,
# so the machine's own configuration is never touched. With deb822 sources only,
# the chroot preparation itself runs (mmdebstrap --simulate: the archive is asked
# for the package selection, nothing is kept).
set -euo pipefail
script=$(cd "$(dirname "$0")/../.." && pwd)/scripts/kea-release.sh
if [ "${1:-}" != --inside ]; then
  # Inside a chroot (scripts/test.sh --kea R for another release alone) the
  # root is no mount point, so no private namespace can be made over it.
  if ! unshare --mount --propagation private true 2>/dev/null; then
    echo "skipped: no private mount namespace can be made here (a chroot?)"
    exit 77
  fi
  exec unshare --mount --propagation private "$0" --inside
fi

mirror=$("$script" mirror)
[ -n "$mirror" ] || { echo "this machine's apt names no Debian archive"; exit 1; }
work=$(mktemp -d)
trap 'umount /etc/apt 2>/dev/null || true; rm -rf "$work"' EXIT
failures=0
check() { # what, expected mirror
  local got
  if ! got=$("$script" mirror 2>&1); then
    echo "FAIL $1: kea-release.sh mirror failed: $got"; failures=$((failures + 1))
  elif [ "$got" != "$2" ]; then
    echo "FAIL $1: mirror '$got', expected '$2'"; failures=$((failures + 1))
  else
    echo "ok   $1: mirror '$got'"
  fi
}
layout() { # name: a copy of /etc/apt without any source, mounted over /etc/apt
  umount /etc/apt 2>/dev/null || true
  rm -rf "${work:?}/$1"
  cp -a /etc/apt "$work/$1"
  rm -f "$work/$1/sources.list" "$work/$1"/sources.list.d/*
  mount --bind "$work/$1" /etc/apt
}

layout deb822
printf 'Types: deb\nURIs: %s\nSuites: bookworm\nComponents: main\n\nTypes: deb\nURIs: %s-security\nSuites: bookworm-security\nComponents: main\n' \
  "$mirror" "${mirror%/}" > /etc/apt/sources.list.d/debian.sources
check "deb822 sources only" "$mirror"
if out=$("$script" ensure 2.6 --simulate 2>&1); then
  echo "ok   deb822 sources only: the chroot preparation resolves"
else
  echo "FAIL deb822 sources only: the chroot preparation failed:"; tail -n 5 <<<"$out"
  failures=$((failures + 1))
fi

layout one-line
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bookworm main\n' \
  "$mirror" > /etc/apt/sources.list
check "one-line sources only" "$mirror"

layout none
check "no sources" ""

echo "$((4 - failures)) of 4 cases ok"
[ "$failures" -eq 0 ]

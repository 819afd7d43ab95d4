#!/usr/bin/env bash
# Builds the Debian package kea-win-cmds against a Kea release's kea-dev:
#
#   scripts/package.sh            against this machine's Kea
#   scripts/package.sh --kea R    against Kea R (2.2, 2.6, 3.0): in that release's
#                                 chroot (scripts/kea-release.sh), or here when R
#                                 is this machine's release
#
# Result: dist/kea-win-cmds_<version>_<arch>.deb (and its -dbgsym), <version>
# being <project version>+kea<the kea-dev version, '-' written '.'>-<revision>
# (debian/rules; 0.1.0+kea2.2.0.6-1), so the three releases' packages sit side
# by side.
# The tree is copied (tracked files and untracked ones git does not ignore,
# uncommitted changes included) into a temporary directory and built there
# with dpkg-buildpackage: nothing but dist/ is written in the tree, and
# several releases can package at once from one tree. lintian runs on the
# result; any error (E:) fails the build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

release=""
while [ $# -gt 0 ]; do
  case "$1" in
    --kea) release=${2:?--kea needs a release}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/kea-win-cmds-package.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The tree's files as they are now, without build directories or git's data.
export_tree() { # destination
  mkdir -p "$1"
  if command -v git >/dev/null && git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$top" && git ls-files -z --cached --others --exclude-standard |
       while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
       tar --null -T - -cf -) | tar -xf - -C "$1"
  else # a chroot has no git: the tree given to it is already such an export
    tar -C "$top" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./dist \
        --exclude=./run -cf - . | tar -xf - -C "$1"
  fi
}

# Copies the built packages into the tree's dist/ (atomically: another
# packaging run may be reading dist/).
deliver() { # directory holding the .debs
  mkdir -p "$top/dist"
  local deb
  for deb in "$1"/*.deb; do
    cp "$deb" "$top/dist/.$(basename "$deb").tmp"
    mv "$top/dist/.$(basename "$deb").tmp" "$top/dist/$(basename "$deb")"
    echo "package.sh: dist/$(basename "$deb")"
  done
}

system=$("$top/scripts/kea-release.sh" system)
if [ -n "$release" ] && [ "$release" != "$system" ]; then
  # The chroot sees a copy of the tree as /src and builds from it (this same
  # script, run there, has its own release as the system's).
  export_tree "$work/src"
  "$work/src/scripts/kea-release.sh" ensure "$release"
  "$work/src/scripts/kea-release.sh" run "$release" /src/scripts/package.sh
  deliver "$work/src/dist"
  exit 0
fi

"$top/scripts/install-deps.sh"
export_tree "$work/build/kea-win-cmds"
cd "$work/build/kea-win-cmds"
echo "package.sh: building against kea-dev $(dpkg-query -W -f='${Version}' kea-dev)"
dpkg-buildpackage -b -us -uc -j"${KEA_WIN_BUILD_JOBS:-2}" > "$work/build.log" 2>&1 || {
  tail -n 60 "$work/build.log" >&2
  echo "package.sh: dpkg-buildpackage failed (the last lines above)" >&2
  exit 1
}
cd "$work/build"
lintian_out=$(lintian --display-info --pedantic ./*.deb 2>&1) || true
echo "package.sh: lintian:"
echo "${lintian_out:-(no tags)}"
if grep -q '^E: ' <<<"$lintian_out"; then
  echo "package.sh: lintian reports errors" >&2
  exit 1
fi
deliver "$work/build"

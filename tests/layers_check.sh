#!/bin/bash
# Fails when a file of hook/ includes a header of a layer above its own, or
# import/ one above client/. The layers, from the bottom:
#   common <- client <- failover <- replication <- dispatch
# The build refuses such an include as well (a layer's include path holds only
# its own folder and those below); this names every one at once, and also
# catches a new folder that is no layer.
set -euo pipefail
top=${1:-$(dirname "$0")/..}
layers=(common client failover replication dispatch)
declare -A rank home
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
bad=0
for dir in "$top"/hook/*/; do
  layer=$(basename "$dir")
  if [ -z "${rank[$layer]:-}" ]; then
    echo "hook/$layer/ is not a layer: add it to tests/layers_check.sh and hook/CMakeLists.txt"
    bad=1
  fi
done
for layer in "${layers[@]}"; do
  for header in "$top/hook/$layer"/*.h; do home[$(basename "$header")]=$layer; done
done

# check FILE RANK: every quoted include of FILE from a layer above RANK.
check() {
  local include layer
  while read -r include; do
    layer=${home[$include]:-}
    if [ -n "$layer" ] && (( rank[$layer] > $2 )); then
      echo "${1#"$top"/} includes $include, of the higher layer hook/$layer/"
      bad=1
    fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1")
}
for layer in "${layers[@]}"; do
  for file in "$top/hook/$layer"/*.[ch]; do check "$file" "${rank[$layer]}"; done
done
for file in "$top"/import/*.[ch]; do check "$file" "${rank[client]}"; done
[ "$bad" = 0 ] && echo "no include of a higher layer"
exit "$bad"

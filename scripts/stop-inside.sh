# Sourced: stop_inside ROOT stops, by pid, every process whose root directory
# is ROOT (a chroot, a throwaway copy of /): TERM, then KILL to what is left.
stop_inside() {
  local root pids p sig
  root=$(realpath "$1")
  for sig in TERM KILL; do
    pids=()
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && pids+=("${p#/proc/}")
    done
    [ ${#pids[@]} -eq 0 ] && return 0
    kill "-$sig" "${pids[@]}" 2>/dev/null || true
    sleep 2
  done
}

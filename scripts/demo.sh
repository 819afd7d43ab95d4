#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts kea-dhcp4
# (lease_cmds + libdhcp_win_cmds.so, memfile leases) and kea-ctrl-agent (basic
# auth) on an embedded demo configuration under ./run, then prints a
# copy-paste session. Ctrl-C stops both.
#
#   DEMO_HTTP_PORT   agent port (default 8000)
#   DEMO_PASSWORD    agent password for user "admin" (default: random)
#   DEMO_RUN_DIR     state directory (default ./run)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target dhcp_win_cmds >/dev/null

run=$(realpath -m "${DEMO_RUN_DIR:-$top/run}")
port=${DEMO_HTTP_PORT:-8000}
password=${DEMO_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}
mkdir -p "$run"
chmod 700 "$run"
socket="$run/kea4-ctrl.sock"
lease_cmds=$(ls /usr/lib/*/kea/hooks/libdhcp_lease_cmds.so | head -1)

# Sockets and files owner-only: only this user may send commands.
umask 077

cat > "$run/kea-dhcp4.conf" <<CONF
{
  "Dhcp4": {
    // Commands only: no DHCP interface is opened by the demo.
    "interfaces-config": { "interfaces": [] },
    "control-socket": { "socket-type": "unix", "socket-name": "$socket" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$run/leases4.csv" },
    "valid-lifetime": 86400,
    "hooks-libraries": [
      { "library": "$lease_cmds" },
      { "library": "$top/build/shim/libdhcp_win_cmds.so",
        "parameters": { "server-ip": "192.0.2.1", "server-name": "KEA-DEMO",
                        "state-directory": "$run", "config-file": "$run/kea-dhcp4.conf" } }
    ],
    "subnet4": [
      { "id": 1, "subnet": "192.0.2.0/24",
        "pools": [ { "pool": "192.0.2.100 - 192.0.2.200" } ],
        "reservations": [ { "hw-address": "aa:bb:cc:dd:ee:ff", "ip-address": "192.0.2.50",
                            "hostname": "printer" } ] }
    ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
                   "output_options": [ { "output": "$run/kea-dhcp4.log" } ] } ]
  }
}
CONF

cat > "$run/kea-ctrl-agent.conf" <<CONF
{
  "Control-agent": {
    "http-host": "127.0.0.1",
    "http-port": $port,
    "authentication": { "type": "basic", "realm": "kea-win-cmds demo",
                        "clients": [ { "user": "admin", "password": "$password" } ] },
    "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": "$socket" } },
    "loggers": [ { "name": "kea-ctrl-agent", "severity": "INFO",
                   "output_options": [ { "output": "$run/kea-ctrl-agent.log" } ] } ]
  }
}
CONF

export KEA_PIDFILE_DIR="$run" KEA_LOCKFILE_DIR="$run"
pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped kea-dhcp4 and kea-ctrl-agent (state kept in $run)."
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

wait_for() { # what, test command...
  local what=$1; shift
  for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$what did not start; see the logs in $run" >&2
  exit 1
}

rm -f "$socket"
kea-dhcp4 -c "$run/kea-dhcp4.conf" >"$run/kea-dhcp4.out" 2>&1 &
pids+=($!)
wait_for kea-dhcp4 sh -c "echo '{\"command\":\"version-get\"}' | socat UNIX:$socket - | grep -q '\"result\": 0'"
kea-ctrl-agent -c "$run/kea-ctrl-agent.conf" >"$run/kea-ctrl-agent.out" 2>&1 &
pids+=($!)
wait_for kea-ctrl-agent curl -sf -u "admin:$password" -H 'Content-Type: application/json' \
  -d '{"command":"list-commands"}' "http://127.0.0.1:$port/"

cat <<EOF

kea-dhcp4 (pid ${pids[0]}) and kea-ctrl-agent (pid ${pids[1]}) are running with libdhcp_win_cmds.so.
  control socket : $socket  (owner-only)
  REST agent     : http://127.0.0.1:$port/   user admin   password $password
  leases, logs   : $run
Ctrl-C stops both.

Try it (in another terminal):

# 1. create a client record over the unix socket (DhcpCreateClientInfoVQ)
echo '{"command": "win-client-info-vq-create", "arguments": {"client-ip-address": "192.0.2.10", "client-hardware-address": "00-11-22-33-44-55", "client-name": "Desk-PC", "client-comment": "front desk"}}' | socat UNIX:$socket -,ignoreeof

# 2. read it back by name through the REST agent (DhcpGetClientInfoVQ)
curl -s -u admin:$password -H 'Content-Type: application/json' -d '{"command": "win-client-info-vq-get", "service": ["dhcp4"], "arguments": {"client-name": "desk-pc"}}' http://127.0.0.1:$port/

# 3. the same address for another client: ERROR_DHCP_CLIENT_EXISTS (20014)
curl -s -u admin:$password -H 'Content-Type: application/json' -d '{"command": "win-client-info-vq-create", "service": ["dhcp4"], "arguments": {"client-ip-address": "192.0.2.10", "client-hardware-address": "00-11-22-33-44-66"}}' http://127.0.0.1:$port/

# 4. what Kea itself holds (lease_cmds): the Windows fields under user-context.windows
echo '{"command": "lease4-get", "arguments": {"ip-address": "192.0.2.10"}}' | socat UNIX:$socket -,ignoreeof
EOF

# Stay in the foreground until Ctrl-C or until a daemon exits.
wait -n "${pids[@]}" || true
echo "A daemon exited; see $run/*.log" >&2
exit 1

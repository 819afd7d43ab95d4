#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts kea-dhcp4
# (lease_cmds + libdhcp_win_cmds.so, memfile leases) on an embedded demo
# configuration under ./run, with REST and basic auth: kea-ctrl-agent on Kea 2.2
# and 2.6, kea-dhcp4's own HTTP control socket on Kea 3.0 (where the agent is
# deprecated). Prints a copy-paste session. Ctrl-C stops everything.
#
#   scripts/demo.sh --from-windows EXPORT.xml
#       the same, on your own Windows server instead of the demo subnet: the
#       Export-DhcpServer file goes through kea-win-import (its scopes,
#       reservations, options, classes and leases), state under ./run-windows
#
#   DEMO_HTTP_PORT   REST port (default 8000)
#   DEMO_PASSWORD    password for user "admin" (default: random)
#   DEMO_RUN_DIR     state directory (default ./run)
set -euo pipefail
from_windows=""
if [ "${1:-}" = --from-windows ]; then
  [ -r "${2:-}" ] || { echo "usage: scripts/demo.sh [--from-windows EXPORT.xml]" >&2; exit 1; }
  from_windows=$(realpath "$2")
elif [ $# -gt 0 ]; then
  echo "usage: scripts/demo.sh [--from-windows EXPORT.xml]" >&2
  exit 1
fi
cd "$(dirname "$0")/.."
top=$(pwd)
build=${KEA_WIN_BUILD_DIR:-$top/build}

scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target dhcp_win_cmds kea-win-import >/dev/null
release=$(scripts/kea-release.sh system)

run=$(realpath -m "${DEMO_RUN_DIR:-$top/run${from_windows:+-windows}}")
port=${DEMO_HTTP_PORT:-8000}
password=${DEMO_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}
mkdir -p "$run/hooks"
# Kea 2.6+ opens control sockets only in a directory of mode 0750 exactly.
chmod 750 "$run"
socket="$run/kea4-ctrl.sock"

# Kea 2.6+ loads hook libraries from one directory only: Kea's own and this
# build's, linked into run/hooks (KEA_HOOKS_PATH); 2.2 follows the links.
ln -sf /usr/lib/*/kea/hooks/*.so "$run/hooks/"
ln -sf "$build/shim/libdhcp_win_cmds.so" "$run/hooks/"
export KEA_HOOKS_PATH="$run/hooks" KEA_CONTROL_SOCKET_DIR="$run" KEA_DHCP_DATA_DIR="$run" \
       KEA_LOG_FILE_DIR="$run" KEA_PIDFILE_DIR="$run" KEA_LOCKFILE_DIR="$run"

# Files owner-only: the credentials are in the configurations.
umask 077

authentication='"authentication": { "type": "basic", "realm": "kea-win-cmds demo",
                        "clients": [ { "user": "admin", "password": "'"$password"'" } ] }'
unix_socket='{ "socket-type": "unix", "socket-name": "'"$socket"'" }'
if [ "$release" = 3.0 ]; then
  control='"control-sockets": [ '"$unix_socket"',
      { "socket-type": "http", "socket-address": "127.0.0.1", "socket-port": '"$port"',
        '"$authentication"' } ],'
  rest="kea-dhcp4's HTTP control socket"
else
  control='"control-socket": '"$unix_socket"','
  rest="kea-ctrl-agent"
fi

hook_parameters='{ "server-ip": "192.0.2.1", "server-name": "KEA-DEMO",
                        "state-directory": "'"$run"'/win-cmds", "config-file": "'"$run"'/kea-dhcp4.conf" }'
# The hook's state directory with the HA fragment the configuration includes
# (no failover relationship yet), as the package installs them.
mkdir -p -m 0750 "$run/win-cmds"
[ -e "$run/win-cmds/ha-library.json" ] ||
  echo "// kea-win-cmds: no failover relationship" > "$run/win-cmds/ha-library.json"
if [ -n "$from_windows" ]; then
  # The export becomes the server: kea-win-import's configuration, with this
  # run directory's socket, lease file, hooks and log in place of Debian's.
  "$build/import/kea-win-import" --kea "$release" --out "$run/import" "$from_windows"
  cp "$run/import/leases4.csv" "$run/leases4.csv"
  RUN="$run" CONTROL="$control" HOOK_PARAMETERS="$hook_parameters" python3 - \
    "$run/import/kea-dhcp4.conf" "$run/kea-dhcp4.conf" <<'PY'
import json, os, re, sys
run = os.environ["RUN"]
config = json.load(open(sys.argv[1]))
dhcp4 = config["Dhcp4"]
dhcp4.pop("control-socket")
dhcp4.update(json.loads("{" + os.environ["CONTROL"].strip().rstrip(",") + "}"))
dhcp4["lease-database"]["name"] = run + "/leases4.csv"
for hook in dhcp4["hooks-libraries"]:
    hook["library"] = run + "/hooks/" + os.path.basename(hook["library"])
    if hook["library"].endswith("libdhcp_win_cmds.so"):
        hook["parameters"] = json.loads(os.environ["HOOK_PARAMETERS"])
dhcp4["loggers"] = [{"name": "kea-dhcp4", "severity": "INFO",
                     "output_options": [{"output": run + "/kea-dhcp4.log"}]}]
# The HA fragment's include, the last thing in hooks-libraries.
dhcp4["hooks-libraries"].append("@include@")
text = re.sub(r',\s*"@include@"', '\n    <?include "%s/win-cmds/ha-library.json"?>' % run,
              json.dumps(config, indent=2))
open(sys.argv[2], "w").write(text)
PY
else
cat > "$run/kea-dhcp4.conf" <<CONF
{
  "Dhcp4": {
    // Commands only: no DHCP interface is opened by the demo.
    "interfaces-config": { "interfaces": [] },
    $control
    "lease-database": { "type": "memfile", "persist": true, "name": "$run/leases4.csv" },
    "valid-lifetime": 86400,
    "hooks-libraries": [
      { "library": "$run/hooks/libdhcp_lease_cmds.so" },
      { "library": "$run/hooks/libdhcp_win_cmds.so",
        "parameters": $hook_parameters }
      // The failover relationships' HA entry, kept by the hook.
      <?include "$run/win-cmds/ha-library.json"?>
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
fi

cat > "$run/kea-ctrl-agent.conf" <<CONF
{
  "Control-agent": {
    "http-host": "127.0.0.1",
    "http-port": $port,
    $authentication,
    "control-sockets": { "dhcp4": $unix_socket },
    "loggers": [ { "name": "kea-ctrl-agent", "severity": "INFO",
                   "output_options": [ { "output": "$run/kea-ctrl-agent.log" } ] } ]
  }
}
CONF

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped (state kept in $run)."
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

wait_for() { # what, test command...
  local what=$1; shift
  for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$what did not start; see the logs in $run" >&2
  exit 1
}
rest_up() {
  curl -sf -u "admin:$password" -H 'Content-Type: application/json' \
    -d '{"command":"list-commands"}' "http://127.0.0.1:$port/"
}

rm -f "$socket"
kea-dhcp4 -c "$run/kea-dhcp4.conf" >"$run/kea-dhcp4.out" 2>&1 &
pids+=($!)
wait_for kea-dhcp4 sh -c "echo '{\"command\":\"version-get\"}' | socat UNIX:$socket - | grep -q '\"result\": 0'"
if [ "$release" != 3.0 ]; then
  kea-ctrl-agent -c "$run/kea-ctrl-agent.conf" >"$run/kea-ctrl-agent.out" 2>&1 &
  pids+=($!)
fi
wait_for "$rest" rest_up

if [ -n "$from_windows" ]; then
cat <<EOF

Kea $release: kea-dhcp4 (pid ${pids[0]}) is running with libdhcp_win_cmds.so on your Windows
server's export $(basename "$from_windows"), converted by kea-win-import:
  control socket : $socket  (owner-only)
  REST           : http://127.0.0.1:$port/   user admin   password $password   ($rest)
  configuration  : $run/kea-dhcp4.conf   (kea-win-import wrote $run/import/)
  report         : $run/import/import-report.json
Ctrl-C stops it. No DHCP interface is open: add yours to interfaces-config to serve clients.

Try it (in another terminal):

# 1. every client record of your server, as DhcpEnumSubnetClientsVQ gives it (unix socket)
echo '{"command": "win-subnet-clients-vq-enum", "arguments": {"subnet-address": "0.0.0.0", "resume-handle": 0, "preferred-maximum": 1000}}' | socat UNIX:$socket -,ignoreeof

# 2. your scopes as Kea subnets, over REST
curl -s -u admin:$password -H 'Content-Type: application/json' -d '{"command": "config-get", "service": ["dhcp4"]}' http://127.0.0.1:$port/ | python3 -c 'import json,sys; a=json.load(sys.stdin); d=(a[0] if isinstance(a,list) else a)["arguments"]["Dhcp4"]; [print(s["id"], s["subnet"], s["user-context"]["windows"].get("name", "")) for s in d["subnet4"]+[s for n in d.get("shared-networks",[]) for s in n["subnet4"]]]'

# 3. what kea-win-import could not carry over exactly, and why
python3 -c 'import json; [print(i["status"], i["source"], "-", i.get("reason", "")) for i in json.load(open("$run/import/import-report.json"))["items"] if i["status"] != "mapped"]'
EOF
else
cat <<EOF

Kea $release: kea-dhcp4 (pid ${pids[0]}) is running with libdhcp_win_cmds.so.
  control socket : $socket  (owner-only)
  REST           : http://127.0.0.1:$port/   user admin   password $password   ($rest)
  leases, logs   : $run
Ctrl-C stops it.

Try it (in another terminal):

# 1. create a client record over the unix socket (DhcpCreateClientInfoVQ)
echo '{"command": "win-client-info-vq-create", "arguments": {"client-ip-address": "192.0.2.10", "client-hardware-address": "00-11-22-33-44-55", "client-name": "Desk-PC", "client-comment": "front desk"}}' | socat UNIX:$socket -,ignoreeof

# 2. read it back by name over REST (DhcpGetClientInfoVQ)
curl -s -u admin:$password -H 'Content-Type: application/json' -d '{"command": "win-client-info-vq-get", "service": ["dhcp4"], "arguments": {"client-name": "desk-pc"}}' http://127.0.0.1:$port/

# 3. the same with kea-shell, Kea's REST client (it reads the arguments' members from stdin)
echo '"client-hardware-address": "00-11-22-33-44-55"' | kea-shell --host 127.0.0.1 --port $port --auth-user admin --auth-password $password --service dhcp4 win-client-info-v4-get

# 4. the same address for another client: ERROR_DHCP_CLIENT_EXISTS (20014)
curl -s -u admin:$password -H 'Content-Type: application/json' -d '{"command": "win-client-info-vq-create", "service": ["dhcp4"], "arguments": {"client-ip-address": "192.0.2.10", "client-hardware-address": "00-11-22-33-44-66"}}' http://127.0.0.1:$port/

# 5. what Kea itself holds (lease_cmds): the Windows fields under user-context.windows
echo '{"command": "lease4-get", "arguments": {"ip-address": "192.0.2.10"}}' | socat UNIX:$socket -,ignoreeof
EOF
fi

# Stay in the foreground until Ctrl-C or until a daemon exits.
wait -n "${pids[@]}" || true
echo "A daemon exited; see $run/*.log" >&2
exit 1

#!/usr/bin/env python3
"""systemctl, as far as the Production blocks of docs/operator-guide.md use it, for a
throwaway root where systemd cannot run: start, stop, restart and is-active
of kea-dhcp4-server and kea-ctrl-agent, each started as Debian's unit starts
it (its user, capabilities, environment and directories, read from the unit
file). Only stock.readme_production installs it (as /usr/local/bin/systemctl in the
throwaway copy); it stops what it started by pid."""
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import time

PIDS = "/run/systemctl-standin"
# When a unit is ready: what it serves.
READY = {"kea-dhcp4-server": ("unix", "/run/kea/kea4-ctrl-socket"),
         "kea-ctrl-agent": ("tcp", ("127.0.0.1", 8000))}


def unit_settings(unit):
    settings = {}
    for base in ("/lib/systemd/system", "/usr/lib/systemd/system"):
        path = os.path.join(base, unit + ".service")
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    m = re.match(r"^(\w+)=(.*)$", line.strip())
                    if m:
                        settings.setdefault(m.group(1), []).append(m.group(2))
            return settings
    sys.exit("systemctl (stand-in): no unit %s" % unit)


def make_directories(settings):
    user = pwd.getpwnam(settings["User"][0])
    for setting, base in (("RuntimeDirectory", "/run"), ("StateDirectory", "/var/lib"),
                          ("LogsDirectory", "/var/log")):
        mode = int(settings.get(setting + "Mode", ["0755"])[0], 8)
        for name in " ".join(settings.get(setting, [])).split():
            path = os.path.join(base, name)
            os.makedirs(path, exist_ok=True)
            os.chown(path, user.pw_uid, user.pw_gid)
            os.chmod(path, mode)


def pid_of(unit):
    try:
        with open(os.path.join(PIDS, unit)) as f:
            pid = int(f.read())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def ready(unit):
    kind, where = READY[unit]
    s = socket.socket(socket.AF_UNIX if kind == "unix" else socket.AF_INET)
    try:
        s.connect(where)
        return True
    except OSError:
        return False
    finally:
        s.close()


def start(unit):
    if pid_of(unit):
        return
    settings = unit_settings(unit)
    make_directories(settings)
    user = settings["User"][0]
    caps = ",".join("+" + c.lower().replace("cap_", "")
                    for c in " ".join(settings.get("AmbientCapabilities", [])).split())
    argv = ["setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"]
    if caps:
        argv += ["--inh-caps=" + caps, "--ambient-caps=" + caps]
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
    for assignment in settings.get("Environment", []):
        name, _, value = assignment.strip('"').partition("=")
        env[name] = value
    log = open("/run/%s.standin.out" % unit, "ab")
    child = subprocess.Popen(argv + ["--"] + settings["ExecStart"][0].split(), env=env,
                             stdout=log, stderr=log, start_new_session=True)
    os.makedirs(PIDS, exist_ok=True)
    with open(os.path.join(PIDS, unit), "w") as f:
        f.write(str(child.pid))
    deadline = time.time() + 30
    while time.time() < deadline:
        if child.poll() is not None:
            sys.exit("systemctl (stand-in): %s exited with %s" % (unit, child.returncode))
        if ready(unit):
            return
        time.sleep(0.2)
    sys.exit("systemctl (stand-in): %s not ready after 30 s" % unit)


def stop(unit):
    pid = pid_of(unit)
    if not pid:
        return
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    os.unlink(os.path.join(PIDS, unit))


def main():
    if len(sys.argv) < 3:
        sys.exit("systemctl (stand-in): start|stop|restart|is-active UNIT")
    verb = sys.argv[1]
    for unit in sys.argv[2:]:
        unit = unit[:-len(".service")] if unit.endswith(".service") else unit
        if unit not in READY:
            sys.exit("systemctl (stand-in): unit %s is not stood in for" % unit)
        if verb in ("stop", "restart"):
            stop(unit)
        if verb in ("start", "restart"):
            start(unit)
        if verb == "is-active":
            print("active" if pid_of(unit) else "inactive")
            if not pid_of(unit):
                sys.exit(3)


if __name__ == "__main__":
    main()

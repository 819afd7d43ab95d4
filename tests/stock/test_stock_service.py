"""The stock service: the package installed, its example as
/etc/kea/kea-dhcp4.conf, kea-dhcp4 started as Debian's unit starts it (as
_kea, with the unit's directories, environment and capabilities) under strace;
every win-* command family driven over its control socket, failover with a
partner (kea-dhcp4 + kea-ctrl-agent of the ordinary test harness) included;
then every path the service touched checked against Debian's AppArmor profile
for kea-dhcp4 with its includes, as the kernel would (these kernels enforce
no AppArmor), and /etc/kea found unchanged.

Runs as root inside a throwaway root (tests/stock/throwaway_root.sh) and a
network namespace of its own (tests/integration/own_network.sh), started by
tests/stock/stock_service.sh, which names the package: argv[1].
"""
import hashlib
import json
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
PACKAGE = os.environ.get("STOCK_PACKAGE", "")
INSTALLED_SO = "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_win_cmds.so"
if PACKAGE:  # the partner runs the packaged hook too (set before the harness loads)
    os.environ["WIN_CMDS_SO"] = INSTALLED_SO

import apparmor_rules  # noqa: E402
import systemctl_standin  # noqa: E402
from strace_accesses import WRITES, Trace  # noqa: E402

UNIT = "/lib/systemd/system/kea-dhcp4-server.service"
EXAMPLE = "/usr/share/doc/kea-win-cmds/examples/kea-dhcp4.conf"
WORK = "/tmp/stock"
TRACE = WORK + "/trace"
# Where the service may write: the unit's directories (and what no file
# system keeps: /dev/null and the like).
WRITABLE = ("/var/lib/kea/", "/run/kea/", "/run/lock/kea/", "/var/log/kea/",
            "/dev/null", "/dev/zero", "/dev/full", "/dev/log")
SYSCALLS = "%file,%process,mmap,connect,bind,flock,fcntl,fchdir,fchmod,fchown,ftruncate"
RELATIONSHIP = "stock-partner"


def unit_settings():
    """The [Service] settings of Debian's unit (what the test reproduces)."""
    return systemctl_standin.unit_settings(os.path.basename(UNIT)[:-len(".service")])


def install_package():
    """dpkg -i of the package built by scripts/package.sh."""
    out = subprocess.run(["dpkg", "-i", PACKAGE], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True)
    if out.returncode != 0:
        raise AssertionError("dpkg -i %s failed:\n%s" % (PACKAGE, out.stdout))


def make_unit_directories(unit):
    """What systemd makes before ExecStart: the unit's directories, owned by
    its user, with its modes (0755 where the unit names none)."""
    user = pwd.getpwnam(unit["User"][0])
    made = []
    for setting, base in (("RuntimeDirectory", "/run"), ("StateDirectory", "/var/lib"),
                          ("LogsDirectory", "/var/log"), ("ConfigurationDirectory", "/etc")):
        mode = int(unit.get(setting + "Mode", ["0755"])[0], 8)
        for name in " ".join(unit.get(setting, [])).split():
            path = os.path.join(base, name)
            os.makedirs(path, exist_ok=True)
            if setting == "ConfigurationDirectory":
                continue  # systemd neither owns nor changes it
            os.chown(path, user.pw_uid, user.pw_gid)
            os.chmod(path, mode)
            made.append("%s %04o %s" % (path, mode, user.pw_name))
    return made


def snapshot(top):
    """Bytes, mode and owner of everything under top."""
    state = {}
    for directory, dirs, files in os.walk(top):
        for name in [""] + dirs + files:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            digest = ""
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            state[path] = (digest, oct(st.st_mode), st.st_uid, st.st_gid)
    return state


def socket_path(config_text):
    name = re.search(r'"socket-name"\s*:\s*"([^"]+)"', config_text).group(1)
    return name if name.startswith("/") else os.path.join("/run/kea", name)


def partner_kea(harness, subnets):
    """The harness's kea-dhcp4, its configuration taking the managed HA
    fragment from its state directory as the package's example does."""
    class PartnerKea(harness.Kea):
        def start(self, timeout=20, keep_config=False):
            fragment = self.path("ha-library.json")
            if not os.path.exists(fragment):
                with open(fragment, "w") as f:
                    f.write("// kea-win-cmds: no failover relationship\n")
            text = json.dumps(self.config(), indent=2)
            marker = json.dumps(self.hook_params, indent=2).replace("\n", "\n" + " " * 8)
            entry_end = text.index(marker) + len(marker)
            close = text.index("}", entry_end) + 1
            text = text[:close] + '\n<?include "%s"?>\n' % fragment + text[close:]
            with open(self.path("kea-dhcp4.conf"), "w") as f:
                f.write(text)
            return super().start(timeout, keep_config=True)

    # The service runs under strace -f, so it answers slowly: the partner (the
    # secondary, which waits a quarter of its partner-wait-ms) gives it 2 s.
    partner = PartnerKea(subnets=subnets, hook_params={"server-name": "PARTNER",
                                                       "partner-wait-ms": 8000})
    partner.hook_params["state-directory"] = partner.dir
    return partner


class StockService:
    """kea-dhcp4 started as the unit starts it, under strace (as root: the
    traced child drops to the unit's user with the unit's capabilities)."""

    def __init__(self, unit):
        self.unit = unit
        self.proc = None
        self.pid = None  # kea-dhcp4's: setpriv executes it in strace's child
        self.output = []

    def argv(self):
        user = self.unit["User"][0]
        caps = ",".join("+" + c.lower().replace("cap_", "")
                        for c in " ".join(self.unit.get("AmbientCapabilities", [])).split())
        setpriv = ["setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"]
        if caps:
            setpriv += ["--inh-caps=" + caps, "--ambient-caps=" + caps]
        return (["strace", "-ff", "-y", "-qq", "-s", "4096", "-o", TRACE, "-e",
                 "trace=" + SYSCALLS] + setpriv + ["--"] + self.unit["ExecStart"][0].split())

    def env(self):
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               "LANG": "C.UTF-8"}
        for item in self.unit.get("Environment", []):
            for m in re.finditer(r'"?(\w+)=([^"\s]*)"?', item):
                env[m.group(1)] = m.group(2)
        return env

    def start(self):
        self.proc = subprocess.Popen(self.argv(), env=self.env(), cwd="/",
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        threading.Thread(target=self.drain, daemon=True).start()

    def drain(self):
        for line in self.proc.stdout:
            self.output.append(line.decode(errors="replace"))

    def find_pid(self):
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                                  stdout=subprocess.PIPE, universal_newlines=True).stdout.split()
        if children and not self.pid:
            self.pid = int(children[0])
        return self.pid

    def stop(self):
        if not self.proc:
            return
        pid = self.find_pid()
        if pid:
            os.kill(pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            if pid:
                os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            self.proc.wait(10)
        self.proc.stdout.close()
        self.proc = None


def profile_files():
    """Debian's profile files by the program each attaches to (the file's
    name is the program's path with dots: usr.sbin.kea-dhcp4)."""
    return {"/" + name.replace(".", "/"): os.path.join("/etc/apparmor.d", name)
            for name in os.listdir("/etc/apparmor.d")
            if name.startswith("usr.") and os.path.isfile(os.path.join("/etc/apparmor.d", name))}


class StockServiceTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        import kea_harness
        cls.harness = kea_harness
        os.makedirs(WORK, exist_ok=True)
        cls.unit = unit_settings()
        install_package()
        with open(EXAMPLE) as f:
            text = f.read()
        with open("/etc/kea/kea-dhcp4.conf", "w") as f:
            f.write(text)
        os.chown("/etc/kea/kea-dhcp4.conf", 0, 0)
        os.chmod("/etc/kea/kea-dhcp4.conf", 0o644)
        os.chown("/etc/kea", 0, 0)
        os.chmod("/etc/kea", 0o755)
        print("unit directories:", "; ".join(make_unit_directories(cls.unit)))
        cls.etc_before = snapshot("/etc/kea")
        cls.socket = socket_path(text)
        cls.service = StockService(cls.unit)
        cls.service.start()
        cls.started = []
        cls.wait_answer()

    @classmethod
    def tearDownClass(cls):
        for process in reversed(cls.started):
            process.cleanup()
        cls.service.stop()

    @classmethod
    def cmd(cls, command, arguments=None):
        message = {"command": command}
        if arguments is not None:
            message["arguments"] = arguments
        return json.loads(cls.harness.control_socket_call(
            cls.socket, json.dumps(message).encode()))

    @classmethod
    def wait_answer(cls, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cls.service.proc.poll() is not None:
                raise AssertionError("kea-dhcp4 exited:\n" + "".join(cls.service.output))
            try:
                if cls.cmd("version-get")["result"] == 0 and cls.service.find_pid():
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        raise AssertionError("kea-dhcp4 did not answer on %s:\n%s" % (
            cls.socket, "".join(cls.service.output)))

    def win(self, command, arguments=None, code=0):
        answer = self.cmd(command, arguments)
        self.assertEqual(answer.get("arguments", {}).get("error-code"), code,
                         "%s: %s\n%s" % (command, answer, self.log_tail()))
        return answer

    def log_tail(self):
        try:
            with open("/var/log/kea/kea-dhcp4.log", errors="replace") as f:
                return "".join(f.readlines()[-30:])
        except OSError:
            return "".join(self.service.output[-30:])

    def ha_relationships(self):
        try:
            return len(self.cmd("status-get")["arguments"].get("high-availability", []))
        except (OSError, ValueError, KeyError):
            return None

    def wait_for(self, what, timeout=60, why=""):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if what():
                return
            time.sleep(0.5)
        self.fail("timed out: %s (relationship: %s)\n%s" % (why, self.relationship(),
                                                             self.log_tail()))

    def start_partner(self, config):
        """The partner: kea-dhcp4 with the same subnets and its
        kea-ctrl-agent, by the ordinary harness; and a kea-ctrl-agent in front
        of the stock service (HA and replication reach a peer through it)."""
        h = self.harness
        subnets = [{k: s[k] for k in ("id", "subnet", "pools") if k in s}
                   for s in config["subnet4"]]
        partner = partner_kea(h, subnets)
        self.started.append(partner)
        partner.start()
        peer = [{"user": "win-failover", "password": "stock-secret"}]
        partner_agent = h.Agent(partner, host="127.0.0.2", more_clients=peer)
        self.started.append(partner_agent)
        partner_agent.start()
        self.partner_agent = partner_agent
        stock_socket = type("StockSocket", (), {"dir": os.path.dirname(self.socket),
                                                "socket": self.socket})
        stock_agent = h.Agent(stock_socket, more_clients=peer)
        self.started.append(stock_agent)
        stock_agent.start()
        return partner, stock_agent.url(), partner_agent.url()

    def drive(self):
        """Every win-* family over the control socket, failover included."""
        config = self.cmd("config-get")["arguments"]["Dhcp4"]
        params = next(h.get("parameters", {}) for h in config["hooks-libraries"]
                      if "win_cmds" in h["library"])
        subnet = config["subnet4"][0]["subnet"]
        net = subnet.split("/")[0].rsplit(".", 1)[0]
        ip = net + ".77"
        # Client records on this server alone.
        self.win("win-client-info-vq-create", {"client-ip-address": ip,
                 "client-hardware-address": "02:00:00:00:00:77", "client-name": "STOCK-1"})
        self.win("win-client-info-v4-get", {"client-ip-address": ip})
        self.win("win-client-info-v4-set", {"client-ip-address": ip,
                 "client-hardware-address": "02:00:00:00:00:77", "client-name": "STOCK-2"})
        self.win("win-client-info-vq-set", {"client-ip-address": ip,
                 "client-hardware-address": "02:00:00:00:00:77", "client-comment": "stock"})
        self.win("win-client-info-vq-get", {"client-ip-address": ip})
        self.win("win-subnet-clients-v4-enum", {"subnet-address": subnet.split("/")[0]})
        self.win("win-subnet-clients-vq-enum", {"subnet-address": subnet.split("/")[0]})
        self.win("win-client-info-delete", {"client-ip-address": ip})

        # A relationship between this server and the partner; Kea reloads.
        partner, stock_url, partner_url = self.start_partner(config)
        scope = subnet.split("/")[0]
        relationship = {
            "relationship-name": RELATIONSHIP, "primary-server": "127.0.0.1",
            "secondary-server": "127.0.0.2",
            "primary-server-name": params.get("server-name") or socket.gethostname(),
            "secondary-server-name": "PARTNER", "mode": "hot-standby", "server-type": "primary",
            "mclt": 3600, "safe-period": "disabled", "scopes": [scope], "percentage": 100,
            "shared-secret": "stock-secret", "primary-url": stock_url,
            "secondary-url": partner_url, "basic-auth-user": "win-failover",
            "basic-auth-password": "stock-secret"}
        # Created on each server: configure-partner would carry the shared
        # secret over plain http, which the hook refuses.
        partner_side = partner.cmd("win-failover-relationship-create",
                                   dict(relationship, **{"server-type": "secondary"}))
        self.assertEqual(partner_side["arguments"]["error-code"], 0, partner_side)
        created = self.win("win-failover-relationship-create", relationship)
        print("create:", json.dumps(created["arguments"].get("kea-effect")))
        self.wait_for(lambda: self.ha_relationships() == 1, why="HA after the create")
        self.wait_for(lambda: self.relationship()["state"] == "normal", 120,
                      why="the pair in normal state")

        # Records replicated to the partner.
        pip = net + ".78"
        created = self.win("win-client-info-vq-create", {"client-ip-address": pip,
                           "client-hardware-address": "02:00:00:00:00:78", "client-name": "PAIR"})
        self.assertTrue(created["arguments"]["partner"]["replicated"], created)
        self.assertEqual(partner.cmd("lease4-get", {"ip-address": pip})["result"], 0)
        self.win("win-client-info-vq-set", {"client-ip-address": pip,
                 "client-hardware-address": "02:00:00:00:00:78", "client-comment": "pair"})
        self.win("win-failover-client-info-get", {"client-ip-address": pip})
        self.win("win-client-info-delete", {"client-ip-address": pip})
        self.assertNotEqual(partner.cmd("lease4-get", {"ip-address": pip})["result"], 0)
        bulk = self.win("win-client-info-vq-create", {"clients": [
            {"client-ip-address": net + ".80", "client-hardware-address": "02:00:00:00:00:80"},
            {"client-ip-address": net + ".81", "client-hardware-address": "02:00:00:00:00:81"}]})
        self.assertEqual(partner.cmd("lease4-get", {"ip-address": net + ".81"})["result"], 0, bulk)
        self.win("win-failover-client-info-enum", {"subnet-address": scope})

        # A record made on the partner: the service applies its replica.
        rip = net + ".79"
        self.wait_for(lambda: self.harness.relationship_of(partner, RELATIONSHIP)["state"] ==
                      "normal", 120, why="the partner's side normal")
        made = partner.cmd("win-client-info-vq-create", {"client-ip-address": rip,
                           "client-hardware-address": "02:00:00:00:00:79"})
        self.assertEqual(made["arguments"]["error-code"], 0, made)
        self.assertTrue(made["arguments"]["partner"]["replicated"], made)
        self.assertEqual(self.cmd("lease4-get", {"ip-address": rip})["result"], 0)

        # The partner's endpoint gone: the change is queued in the state
        # directory, and sent on the hook's tick once the endpoint is back.
        qip = net + ".82"
        self.partner_agent.stop()
        try:
            queued = self.win("win-client-info-vq-create", {"client-ip-address": qip,
                              "client-hardware-address": "02:00:00:00:00:82"})
        finally:
            self.partner_agent.start()
        self.assertFalse(queued["arguments"]["partner"]["replicated"], queued)
        self.wait_for(lambda: partner.cmd("lease4-get", {"ip-address": qip})["result"] == 0,
                      120, why="the queued change sent to the partner")
        resync = self.win("win-failover-relationship-resync",
                          {"relationship-name": RELATIONSHIP})
        print("resync:", resync.get("text"))

        # The relationship's other commands.
        self.win("win-failover-relationship-set", {"relationship-name": RELATIONSHIP,
                 "flags": ["mclt"], "mclt": 1800})
        self.win("win-failover-relationship-set", {"relationship-name": RELATIONSHIP,
                 "flags": ["mode", "percentage"], "mode": "load-balance", "percentage": 50,
                 "configure-partner": True})
        self.wait_for(lambda: self.relationship().get("mode") == "load-balance",
                      why="the mode change")
        self.wait_for(lambda: self.relationship()["state"] == "normal", 120,
                      why="the pair normal again after the reload")
        self.win("win-failover-relationship-enum", {})
        self.win("win-failover-scope-relationship-get", {"scope-id": scope})
        self.win("win-failover-scope-statistics-get", {"scope-id": scope})
        self.win("win-failover-system-time-get")
        for command in ("win-failover-scope-delete", "win-failover-scope-add"):
            answer = self.win(command, {"relationship-name": RELATIONSHIP, "scopes": [scope]})
            print("%s: %s" % (command, answer.get("text")))
        self.win("win-failover-relationship-delete", {"relationship-name": RELATIONSHIP,
                                                      "configure-partner": True})
        self.wait_for(lambda: self.ha_relationships() == 0, why="HA gone after the delete")
        self.assertIsNotNone(self.cmd("version-get"))

    def relationship(self):
        try:
            return self.cmd("win-failover-relationship-get", {
                "relationship-name": RELATIONSHIP})["arguments"]["relationship"]
        except (OSError, ValueError, KeyError):
            return {"state": "reloading"}

    def test_stock_service(self):
        """Every command served; then, whatever happened, what the service
        touched (printed in full) and /etc/kea."""
        try:
            self.drive()
        finally:
            etc_after = snapshot("/etc/kea")
            self.service.stop()
            self.check_accesses()
            self.assertEqual(etc_after, self.etc_before, "/etc/kea changed")

    def check_accesses(self):
        kea_user = pwd.getpwnam(self.unit["User"][0]).pw_uid
        files, profiles = profile_files(), {}

        def attach(path):
            """The profile an unconfined process enters executing path."""
            if path not in profiles and path in files:
                profiles[path] = apparmor_rules.Profile(files[path])
            return path if path in profiles else None

        def transition(profile, path):
            """ix stays, Px enters the target's profile, Ux leaves confinement."""
            rules, _ = profiles[profile].allowing(path, {"x"}, False)
            text = rules[-1].text if rules else ""
            if re.search(r"\s[Pp]i?x", text):
                return attach(path)
            if re.search(r"\s[Uu]x", text):
                return None
            return profile

        trace = Trace(TRACE, self.service.pid, attach, transition)
        self.assertTrue(trace.accesses, "no access of kea-dhcp4 was traced")
        for name, profile in profiles.items():
            print("AppArmor profile of %s: %s" % (name, ", ".join(profile.files_read)))
            if profile.missing_includes:
                print("  includes that do not exist: %s" % ", ".join(profile.missing_includes))
        denied, outside, by_path = [], [], {}
        for access in trace.accesses:
            # Temporary files' random names, once: one rule must allow them all.
            path = re.sub(r"\.tmp-[A-Za-z0-9]{6}$", ".tmp-XXXXXX", access.path)
            by_path.setdefault((access.profile, path), []).append(access)
        print("path -> rule (every path the service touched, with how):")
        for (profile_name, path), accesses in sorted(by_path.items()):
            kinds = {a.kind for a in accesses}
            owner = self.owned(accesses[0].path, kea_user)
            needed = set().union(*(a.needed() for a in accesses))
            rules, deny = None, None
            for real in sorted({a.path for a in accesses}):  # each random name too
                rules, deny = profiles[profile_name].allowing(real, needed, owner)
                if not rules:
                    break
            allowed_by = " + ".join(r.where() for r in rules) if rules else \
                ("DENIED by " + deny.where() if deny else "NO RULE")
            print("  %s%s [%s]\n      <- %s" % (path, " (owner)" if owner else "",
                                               ",".join(sorted(kinds)), allowed_by))
            if not rules:
                denied.append("%s %s (needs %s%s)" % (",".join(sorted(kinds)), path,
                              "".join(sorted(needed)), " as owner" if owner else ""))
            written = sorted(set(kinds) & WRITES)
            if written and not path.startswith(WRITABLE):
                outside.append("%s %s" % (",".join(written), path))
        for path in sorted({a.path for a in trace.getattrs
                            if not profiles[a.profile].any_rule(a.path, True)}):
            print("  getattr      %s  <-  no rule (a stat AppArmor may refuse; not counted)"
                  % path)
        for pid, line in trace.failed:
            print("refused by the file modes (pid %d): %s" % (pid, line))
        if outside:
            self.fail("written outside the unit's directories:\n  " + "\n  ".join(outside))
        if denied:
            self.fail("accesses no AppArmor rule allows:\n  " + "\n  ".join(denied))

    @staticmethod
    def owned(path, uid):
        """Owner rules apply: the file is the service user's (or is gone: a
        temporary file the service made and removed)."""
        try:
            return os.lstat(path.rstrip("/") or "/").st_uid == uid
        except OSError:
            return True



if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)

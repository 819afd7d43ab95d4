"""Starts real kea-dhcp4 / kea-ctrl-agent processes for the integration tests.

Each server gets its own short temporary directory (unix socket paths must stay
under 107 characters) holding its config, lease file, logs, pid and lock files.
Servers listen on loopback only and are stopped by pid whatever happens.

Kea 2.6 and 3.0 load hook libraries only from one directory (KEA_HOOKS_PATH),
open control sockets only in one 0750 directory (KEA_CONTROL_SOCKET_DIR) and
write leases and logs only to theirs (KEA_DHCP_DATA_DIR, KEA_LOG_FILE_DIR): the
tests link every library into one temporary hooks directory and point the
others at each server's own directory, which 2.2 simply ignores.
"""
import atexit
import base64
import copy
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCHEMAS = os.path.join(REPO, "schemas")
HOOKS_DIR = tempfile.mkdtemp(prefix="kwc-hooks-")
atexit.register(shutil.rmtree, HOOKS_DIR, True)


def hook_library(path):
    """The path kea-dhcp4 loads a hook library from: a link in HOOKS_DIR."""
    link = os.path.join(HOOKS_DIR, os.path.basename(path))
    if not os.path.lexists(link):
        os.symlink(os.path.abspath(path), link)
    return link


for _kea_library in glob.glob("/usr/lib/*/kea/hooks/*.so"):
    hook_library(_kea_library)
WIN_CMDS_SO = hook_library(os.environ.get(
    "WIN_CMDS_SO", os.path.join(REPO, "build/shim/libdhcp_win_cmds.so")))


def kea_version():
    """(major, minor) of the installed kea-dhcp4."""
    text = subprocess.run(["kea-dhcp4", "-v"], stdout=subprocess.PIPE, check=True,
                          universal_newlines=True).stdout.strip()
    return tuple(int(part) for part in text.split(".")[:2])


KEA_VERSION = kea_version()


# The managed HA fragment's name in the hook's state directory, and what it
# holds with no failover relationship.
FRAGMENT = "ha-library.json"
FRAGMENT_NONE = "// kea-win-cmds: no failover relationship\n"
INCLUDE = re.compile(r'<\?include\s*"([^"]+)"\s*\?>')


def with_includes_resolved(text):
    """A Kea configuration's text as Kea reads it: each include replaced by
    its file's text, then the comments (whole // and # lines) blanked."""
    text = INCLUDE.sub(lambda m: open(m.group(1)).read(), text)
    return re.sub(r"^\s*(//|#).*$", "", text, flags=re.M)


def record(ip, mac, **fields):
    """A client record for win-client-info-* requests."""
    fields.update({"client-ip-address": ip, "client-hardware-address": mac})
    return fields


def kea_hook(name):
    path = os.path.join(HOOKS_DIR, name)
    if not os.path.exists(path):
        raise RuntimeError(name + " not found: is kea-dhcp4-server installed?")
    return path


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Schemas:
    """Validates win-* requests and answers against schemas/ (draft-07)."""

    def __init__(self):
        self.store = {}
        for path in glob.glob(os.path.join(SCHEMAS, "*.json")):
            with open(path) as f:
                schema = json.load(f)
            self.store[schema["$id"]] = schema
            self.store[os.path.basename(path)] = schema
        self.base = self.store["common.json"]["$id"].rsplit("/", 1)[0] + "/"

    def validate(self, name, instance):
        schema = self.store[name]
        resolver = jsonschema.RefResolver(self.base, schema, store=self.store)
        jsonschema.Draft7Validator(schema, resolver=resolver).validate(instance)

    def has(self, name):
        return name in self.store


SCHEMA = Schemas()


def control_socket_call(path, payload, timeout=30):
    """One command per connection, as kea-dhcp4 wants; returns the raw answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall(payload)
        chunks = []
        while True:
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def basic_auth(user, password):
    """The Authorization header value of HTTP basic auth."""
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def http_post(host, port, message, user, password, tls=None):
    """(status, answer) of a command POSTed with basic auth (user False: none),
    over https with tls (an ssl.SSLContext)."""
    headers = {"Content-Type": "application/json"}
    if user is not False:
        headers["Authorization"] = basic_auth(user, password)
    if tls:
        conn = http.client.HTTPSConnection(host, port, timeout=30, context=tls)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("POST", "/", json.dumps(message, ensure_ascii=False).encode(), headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


class Process:
    """A daemon started from a config file, stopped by its pid."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix="kwc-" + name + "-")
        os.chmod(self.dir, 0o750)  # Kea 2.6+ wants its socket directory so
        self.proc = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def env(self):
        env = dict(os.environ)
        for name in ("KEA_PIDFILE_DIR", "KEA_LOCKFILE_DIR", "KEA_DHCP_DATA_DIR",
                     "KEA_LOG_FILE_DIR", "KEA_CONTROL_SOCKET_DIR"):
            env[name] = self.dir
        env["KEA_HOOKS_PATH"] = HOOKS_DIR
        # A sanitized hook needs its runtime loaded first, and reports to files.
        if os.environ.get("WIN_CMDS_PRELOAD"):
            env["LD_PRELOAD"] = os.environ["WIN_CMDS_PRELOAD"]
            env["ASAN_OPTIONS"] = "detect_leaks=0:halt_on_error=1:log_path=" + \
                self.path("asan")
            env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:log_path=" + \
                self.path("ubsan")
        return env

    def sanitizer_reports(self):
        return [open(f, errors="replace").read()
                for f in glob.glob(self.path("asan*")) + glob.glob(self.path("ubsan*"))]

    def spawn(self, argv):
        out = open(self.path("stdout.log"), "ab")
        self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                     env=self.env(), cwd=self.dir)
        out.close()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM):
        if not self.proc:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def log_tail(self, name="kea.log", lines=40):
        try:
            with open(self.path(name), errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def cleanup(self):
        self.stop()
        reports = self.sanitizer_reports()
        if reports:
            raise AssertionError("sanitizer reports in %s:\n%s" % (self.dir, reports[0][:4000]))
        if os.environ.get("KEEP_TEST_DIRS"):
            print("kept", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


class Kea(Process):
    """kea-dhcp4 with lease_cmds and libdhcp_win_cmds.so on a memfile."""

    def __init__(self, subnets=None, hook_params=None, multi_threading=False,
                 dhcp_port=None, extra=None, lease_database=None, extra_hooks=None,
                 http_socket=None):
        """http_socket: {"port": N, "clients": [{"user", "password"}]} adds
        kea-dhcp4's own HTTP control socket with basic auth (Kea 3.0+), over
        TLS with "tls": a tls_certs.TlsMaterial."""
        super().__init__("dhcp4")
        self.socket = self.path("ctrl.sock")
        self.config_path = self.path("kea-dhcp4.conf")  # the operator's file (-c)
        self.dhcp_port = dhcp_port
        self.subnets = subnets if subnets is not None else [
            {"id": 1, "subnet": "192.0.2.0/24",
             "pools": [{"pool": "192.0.2.100-192.0.2.200"}],
             "reservations": [{"hw-address": "aa:bb:cc:dd:ee:ff", "ip-address": "192.0.2.50"}]},
            {"id": 2, "subnet": "198.51.100.0/24", "valid-lifetime": 7200},
        ]
        params = {"server-ip": "192.0.2.1", "server-name": "KEA-TEST",
                  "state-directory": self.path("win-cmds")}
        params.update(hook_params or {})
        self.hook_params = params
        self.multi_threading = multi_threading
        self.extra = extra or {}
        self.lease_database = lease_database or {
            "type": "memfile", "persist": True, "lfc-interval": 0,
            "name": self.path("leases4.csv")}
        self.extra_hooks = extra_hooks or []
        self.http_socket = http_socket

    def config(self):
        dhcp4 = {
            "interfaces-config": {"interfaces": []},
            "control-socket": {"socket-type": "unix", "socket-name": self.socket},
            "lease-database": self.lease_database,
            "valid-lifetime": 3600,
            "multi-threading": {"enable-multi-threading": self.multi_threading,
                                "thread-pool-size": 4, "packet-queue-size": 64},
            "hooks-libraries": self.backend_hooks() + [
                {"library": kea_hook("libdhcp_lease_cmds.so")},
                {"library": WIN_CMDS_SO, "parameters": self.hook_params},
            ] + self.extra_hooks,
            "subnet4": self.subnets,
            "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                         "output_options": [{"output": self.path("kea.log")}]}],
        }
        self.add_http_socket(dhcp4)
        dhcp4.update(self.extra)
        return {"Dhcp4": dhcp4}

    def state_directory(self):
        return self.hook_params["state-directory"]

    def fragment_path(self):
        """The HA fragment the configuration includes (the hook manages it)."""
        return os.path.join(self.state_directory(), FRAGMENT)

    def config_text(self):
        """config() as the operator's file: the include of the HA fragment
        as the last thing inside hooks-libraries."""
        config = copy.deepcopy(self.config())
        config["Dhcp4"]["hooks-libraries"].append("@kwc-include@")
        text = json.dumps(config, indent=2)
        return re.sub(r',\s*"@kwc-include@"',
                      lambda m: '\n      <?include "%s"?>' % self.fragment_path(), text)

    def add_http_socket(self, dhcp4):
        """kea-dhcp4's own HTTP control socket beside the unix one, if asked."""
        if self.http_socket:
            dhcp4["control-sockets"] = [dhcp4.pop("control-socket"), {
                "socket-type": "http", "socket-address": "127.0.0.1",
                "socket-port": self.http_socket["port"],
                "authentication": {"type": "basic", "realm": "kea-win-cmds",
                                   "clients": self.http_socket["clients"]}}]
            if self.http_socket.get("tls"):
                dhcp4["control-sockets"][1].update(self.http_socket["tls"].server_fields())

    @classmethod
    def serving_dhcp(cls, port, first, last):
        """kea-dhcp4 answering DHCP on loopback at port, for clients relayed
        through 127.0.0.1 (perfdhcp -l 127.0.0.1), from the pool first-last."""
        return cls(subnets=[{"id": 1, "subnet": "192.0.2.0/24",
                             "pools": [{"pool": "%s-%s" % (first, last)}],
                             "relay": {"ip-addresses": ["127.0.0.1"]}}],
                   dhcp_port=port,
                   extra={"interfaces-config": {"interfaces": ["lo"],
                                                "dhcp-socket-type": "udp"}})

    def backend_hooks(self):
        """Kea 3.0 moved the SQL lease and host backends into hook libraries."""
        if KEA_VERSION < (3, 0):
            return []
        types = (self.lease_database["type"], self.extra.get("hosts-database", {}).get("type"))
        return [{"library": kea_hook(library)}
                for backend, library in (("postgresql", "libdhcp_pgsql.so"),
                                         ("mysql", "libdhcp_mysql.so"))
                if backend in types]

    def start(self, timeout=20, keep_config=False):
        """keep_config: start from the file as it is now, not from config()."""
        if not keep_config:
            with open(self.config_path, "w") as f:
                f.write(self.config_text())
        # The state directory and the fragment with no relationship, as the
        # package installs them.
        os.makedirs(self.state_directory(), mode=0o750, exist_ok=True)
        if not os.path.exists(self.fragment_path()):
            with open(os.open(self.fragment_path(), os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
                f.write(FRAGMENT_NONE)
        argv = ["kea-dhcp4", "-c", self.config_path]
        if self.dhcp_port:
            argv += ["-p", str(self.dhcp_port)]
        self.spawn(argv)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.running():
                raise RuntimeError("kea-dhcp4 exited:\n" + self.log_tail("stdout.log") +
                                   self.log_tail())
            try:
                if json.loads(self.raw(b'{"command": "list-commands"}'))["result"] == 0:
                    return self
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise RuntimeError("kea-dhcp4 did not answer on " + self.socket + "\n" + self.log_tail())

    def restart(self):
        self.stop()
        return self.start(keep_config=True)

    def config_file(self):
        """The configuration as Kea reads it (the fragment included)."""
        with open(self.config_path) as f:
            return json.loads(with_includes_resolved(f.read()))

    def ha_entry(self):
        """The libdhcp_ha.so entry of the configuration, or None."""
        for lib in self.config_file()["Dhcp4"]["hooks-libraries"]:
            if lib["library"].endswith("libdhcp_ha.so"):
                return lib
        return None

    def raw(self, payload, timeout=30):
        return control_socket_call(self.socket, payload, timeout)

    def cmd(self, command, arguments=None, validate=True):
        message = {"command": command}
        if arguments is not None:
            message["arguments"] = arguments
        # Raw UTF-8: Kea 2.2's parser takes no \u escapes beyond ASCII.
        answer = json.loads(self.raw(json.dumps(message, ensure_ascii=False).encode()))
        if validate and command.startswith("win-") and SCHEMA.has(command + ".response.json"):
            SCHEMA.validate(command + ".response.json", answer)
        return answer

    def alive(self):
        try:
            return self.running() and self.cmd("version-get")["result"] == 0
        except OSError:
            return False

    def leases(self):
        answer = self.cmd("lease4-get-all")
        # 3: none. Anything else is no dump: an empty list here would make
        # every "nothing changed" comparison hold.
        if answer.get("result") not in (0, 3):
            raise AssertionError("lease4-get-all failed: %s" % answer)
        return sorted(answer.get("arguments", {}).get("leases", []),
                      key=lambda l: tuple(int(p) for p in l["ip-address"].split(".")))

    def stat(self, name):
        answer = self.cmd("statistic-get", {"name": name})
        samples = answer["arguments"].get(name, [])
        return samples[0][0] if samples else 0


class Agent(Process):
    """kea-ctrl-agent in front of one kea-dhcp4, with basic authentication,
    serving https with tls (a tls_certs.TlsMaterial; client certificates
    required)."""

    def __init__(self, kea, user="admin", password="s3cret-pass", host="127.0.0.1",
                 port=None, more_clients=(), tls=None):
        super().__init__("agent")
        self.tls = tls
        self.kea = kea
        self.host = host
        self.port = port or free_port()
        self.user = user
        self.password = password
        self.clients = [{"user": user, "password": password}] + list(more_clients)

    def url(self):
        return "%s://%s:%d/" % ("https" if self.tls else "http", self.host, self.port)

    def env(self):
        env = super().env()
        env["KEA_CONTROL_SOCKET_DIR"] = self.kea.dir  # where kea-dhcp4's socket is
        return env

    def start(self, timeout=20):
        config = {"Control-agent": {
            "http-host": self.host, "http-port": self.port,
            "authentication": {"type": "basic", "realm": "kea-win-cmds",
                               "clients": self.clients},
            "control-sockets": {"dhcp4": {"socket-type": "unix", "socket-name": self.kea.socket}},
            "loggers": [{"name": "kea-ctrl-agent", "severity": "INFO",
                         "output_options": [{"output": self.path("kea.log")}]}]}}
        if self.tls:
            config["Control-agent"].update(self.tls.server_fields())
        with open(self.path("kea-ctrl-agent.conf"), "w") as f:
            json.dump(config, f, indent=2)
        self.spawn(["kea-ctrl-agent", "-c", self.path("kea-ctrl-agent.conf")])
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.running():
                raise RuntimeError("kea-ctrl-agent exited:\n" + self.log_tail("stdout.log"))
            try:
                status, _ = self.post({"command": "list-commands"})
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("kea-ctrl-agent did not answer\n" + self.log_tail())

    def post(self, message, user=None, password=None):
        return http_post(self.host, self.port, message,
                         self.user if user is None else user,
                         self.password if password is None else password,
                         self.tls.client_context() if self.tls else None)


def relationship_of(kea, name):
    """win-failover-relationship-get's relationship on kea."""
    return kea.cmd("win-failover-relationship-get",
                   {"relationship-name": name})["arguments"]["relationship"]


def wait_relationship_normal(kea, name, timeout=90):
    """Waits until kea runs relationship name normally (Kea HA in
    load-balancing); its state then."""
    deadline, rel = time.time() + timeout, None
    while time.time() < deadline:
        try:
            rel = relationship_of(kea, name)
            if rel["state"] == "normal" and rel["kea-state"] == "load-balancing":
                return rel
        except (OSError, ValueError, KeyError):
            pass  # reloading
        time.sleep(0.5)
    raise AssertionError("never normal: %s\n%s" % (rel, kea.log_tail(lines=30)))


class KeaTestCase(unittest.TestCase):
    """Stops and removes every process a test class started."""

    processes = []

    @classmethod
    def track(cls, process):
        if "processes" not in cls.__dict__:
            cls.processes = []
            # unittest skips tearDownClass when setUpClass fails: what it
            # started is stopped here then (after tearDownClass: nothing left).
            cls.addClassCleanup(cls.stop_left_over)
        cls.processes.append(process)
        return process

    def run(self, result=None):
        # A failed test shows what its daemons logged: their directories go
        # with the class, and a CI run keeps nothing but this output.
        def count():
            return len(result.failures) + len(result.errors) if result else 0
        before = count()
        outcome = super().run(result)
        if count() > before:
            for process in type(self).__dict__.get("processes", []):
                print("--- %s: the end of kea.log ---\n%s" % (process.dir, process.log_tail(
                    lines=60)), file=sys.stderr, flush=True)
        return outcome

    @classmethod
    def stop_left_over(cls):
        for process in reversed(cls.__dict__.get("processes", [])):
            process.cleanup()
        cls.processes = []

    @classmethod
    def tearDownClass(cls):
        errors = []
        for process in reversed(cls.__dict__.get("processes", [])):
            try:
                process.cleanup()
            except AssertionError as error:
                errors.append(str(error))
        cls.processes = []
        if errors:
            raise AssertionError("\n".join(errors))

    def assertWin(self, answer, code, result=None, text=None):
        """Asserts the Windows error code (and result, and a piece of the text)."""
        args = answer.get("arguments", {})
        self.assertEqual(args.get("error-code"), code, answer)
        if result is not None:
            self.assertEqual(answer["result"], result, answer)
        if text is not None:
            self.assertIn(text, answer["text"])


class OneKeaTestCase(KeaTestCase):
    """One kea-dhcp4 for the whole class, made by make_kea (which a subclass
    overrides to run the same tests on another lease backend)."""

    @classmethod
    def make_kea(cls):
        return Kea()

    @classmethod
    def setUpClass(cls):
        cls.kea = cls.track(cls.make_kea()).start()



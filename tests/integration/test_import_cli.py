"""kea-win-import as a Unix tool: its options (getopt_long's forms, --help,
--version, errors), what it does in the output directory (files created
exclusively, planted links never followed, nothing left behind), --apply
through libcurl (host names, IPv6, TLS, HTTP status, credentials never in argv
nor printed), the progress line on a terminal only, and the report (five
fields on every item, every unknown element an item). Every option of the
man page is exercised here: the module's end checks it (see OPTIONS_USED)."""
import hashlib
import json
import os
import re
import signal
import subprocess
import time
import unittest

from kea_harness import KEA_VERSION, REPO, Agent, free_port
from test_import import (DATA, IMPORTER, FUTURE, ImportedKea, ImportTestCase,
                         everything_export, report)
import windows_export as wx

MAN_PAGE = os.path.join(REPO, "import/kea-win-import.1")
OPTIONS_USED = set()      # every option given to the importer by this module's tests
NOW = "2026-12-01T00:00:00Z"
TEMPORARIES = ["kea-dhcp4.conf.tmp", "leases4.csv.tmp", "import-report.json.tmp",
               ".import-report.items"]
OUTPUTS = ["kea-dhcp4.conf", "leases4.csv", "import-report.json"]


def importer(*args, env=None, check=None, timeout=120):
    """Runs kea-win-import with exactly these arguments; records the options."""
    for a in args:
        if a.startswith("-"):
            OPTIONS_USED.add(a.split("=")[0])
    done = subprocess.run([IMPORTER] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))
    if check is not None and done.returncode != check:
        raise AssertionError("exit %d, not %d: %s" % (done.returncode, check, done.stderr))
    return done


def man_page_options():
    """The options the man page's OPTIONS section lists (long and short): the
    tag line of each .TP entry."""
    with open(MAN_PAGE) as f:
        text = f.read()
    lines = text[text.index(".SH OPTIONS"):text.index(".SH EXIT STATUS")].splitlines()
    found = set()
    for previous, line in zip(lines, lines[1:]):
        if previous == ".TP":
            found.update(o.replace("\\-", "-") for o in
                         re.findall(r"\\-\\-[a-z][a-z\\-]*|(?<![a-z\\])\\-[a-zA-Z]\b", line))
    return found


def many_leases_export(count):
    leases = [wx.lease("10.%d.%d.%d" % (1 + i // 62500, (i // 250) % 250, 1 + i % 250),
                       "10.0.0.0", "02-00-00-%02x-%02x-%02x" % (i >> 16, (i >> 8) & 255, i & 255),
                       "Active", FUTURE) for i in range(count)]
    return wx.export(wx.server_settings() + [
        wx.E("Classes"), wx.E("Filters", wx.E("Allow", "false"), wx.E("Deny", "false")),
        wx.E("Scopes", wx.scope("10.0.0.0", "255.0.0.0", "10.0.0.10", "10.250.255.250",
                                leases=leases))])


def with_child(node, *children):
    return (node[0], tuple(node[1]) + children)


RUN_COUNT = [0]   # tests started: the option check needs the whole module


class CliTestCase(ImportTestCase):

    def setUp(self):
        RUN_COUNT[0] += 1
        super().setUp()


class Options(CliTestCase):

    def test_help_describes_every_option_of_the_man_page(self):
        for flag in ("--help", "-h"):
            done = importer(flag, check=0)
            for option in man_page_options():
                if option.startswith("--"):
                    line = next((l for l in done.stdout.splitlines() if option in l), "")
                    self.assertRegex(line, option + r"\S*\s+\S+ \S+", "%s: %r" % (option, line))
        self.assertEqual(done.stderr, "")

    def test_version_names_the_project_and_the_default_release(self):
        with open(os.path.join(REPO, "CMakeLists.txt")) as f:
            version = re.search(r"project\(\S+ VERSION (\S+)", f.read()).group(1)
        default = "%d.%d" % KEA_VERSION[:2]
        for flag in ("--version", "-V"):
            done = importer(flag, check=0)
            self.assertIn("kea-win-import " + version, done.stdout)
            self.assertIn("Kea " + default, done.stdout)

    def test_a_wrong_command_line_is_one_line_and_exit_2(self):
        out = os.path.join(self.tmp, "out")
        export = os.path.join(DATA, "test_a.xml")
        for args, said in ((["--frobnicate"], "unknown option --frobnicate"),
                           (["-x"], "unknown option -x"),
                           (["--out"], "--out needs a value"),
                           (["--kea", "2.4", "--out", out, export], "--kea must be"),
                           (["--now", "yesterday", "--out", out, export], "--now must be"),
                           (["--out", out], "both needed"),
                           (["--out", out, export, export], "one export at a time"),
                           (["--ca-file", "/x", "--out", out, export], "go with --apply")):
            done = importer(*args, check=2)
            self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
            self.assertIn(said, done.stderr)
            self.assertFalse(os.path.exists(out))

    def test_every_form_of_an_option_gives_the_same_import(self):
        export = os.path.join(DATA, "test_c.xml")
        forms = [["--out=%s", "--kea=2.6", "--now=" + NOW],
                 ["--out", "%s", "--kea", "2.6", "--now", NOW],
                 ["-o", "%s", "-k", "2.6", "-n", NOW],
                 ["-o%s", "-k2.6", "-n" + NOW]]
        outputs = []
        for i, form in enumerate(forms):
            out = os.path.join(self.tmp, "form%d" % i)
            importer(*[a.replace("%s", out) for a in form] + [export], check=0)
            files = {}
            for name in OUTPUTS:
                with open(os.path.join(out, name), "rb") as f:
                    files[name] = f.read()
            outputs.append(files)
        for other in outputs[1:]:
            self.assertEqual(other, outputs[0])
        self.assertIn(b'"kea":\t"2.6"', outputs[0]["import-report.json"])

    def test_skip_expired_in_both_forms(self):
        export = self.write("expired.xml", wx.export(wx.server_settings() + [
            wx.E("Classes"), wx.E("Filters", wx.E("Allow", "false"), wx.E("Deny", "false")),
            wx.E("Scopes", wx.scope("192.0.2.0", "255.255.255.0", "192.0.2.10", "192.0.2.20",
                                    leases=[wx.lease("192.0.2.11", "192.0.2.0",
                                                     "02-00-00-00-00-11", "Active",
                                                     "2020-01-01 00:00:00Z")]))]))
        statuses = []
        for args in ([], ["--skip-expired"], ["-s"]):
            out = os.path.join(self.tmp, "out%d" % len(statuses))
            importer("--out", out, "--now", NOW, *args, export, check=0)
            lease = [i for i in report(out)["items"] if i["kind"] == "lease"][0]
            statuses.append(lease["status"])
        self.assertEqual(statuses, ["partial", "dropped", "dropped"])


class OutputDirectory(CliTestCase):

    def victim(self):
        path = os.path.join(self.tmp, "victim")
        with open(path, "w") as f:
            f.write("precious\n")
        os.chmod(path, 0o644)
        return path

    def assert_untouched(self, victim):
        with open(victim) as f:
            self.assertEqual(f.read(), "precious\n")
        self.assertEqual(os.stat(victim).st_mode & 0o777, 0o644)

    @unittest.skipUnless(os.geteuid() == 0, "a planted link matters when root runs it")
    def test_a_link_planted_at_any_name_is_never_followed(self):
        export = os.path.join(DATA, "test_c.xml")
        victim = self.victim()
        for name in TEMPORARIES + OUTPUTS:
            out = os.path.join(self.tmp, "out-" + name.strip("."))
            os.mkdir(out)
            os.symlink(victim, os.path.join(out, name))
            done = importer("--out", out, export)
            self.assertEqual(done.returncode, 1, name)
            self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
            self.assertIn("%s/%s is a symbolic link" % (out, name)
                          if name in OUTPUTS else "%s/%s is there already (a symbolic link)"
                          % (out, name), done.stderr)
            self.assert_untouched(victim)
            self.assertEqual(os.listdir(out), [name], name)   # the link, and nothing else
            self.assertEqual(os.readlink(os.path.join(out, name)), victim)
        # Every name at once, as the case.
        out = os.path.join(self.tmp, "all")
        os.mkdir(out)
        for name in TEMPORARIES + OUTPUTS:
            os.symlink(victim, os.path.join(out, name))
        self.assertEqual(importer("--out", out, export).returncode, 1)
        self.assert_untouched(victim)

    def test_outputs_are_0640_and_nothing_else_is_left(self):
        out = os.path.join(self.tmp, "out")
        importer("--out", out, os.path.join(DATA, "test_c.xml"), check=0)
        self.assertEqual(sorted(os.listdir(out)), sorted(OUTPUTS))
        for name in OUTPUTS:
            self.assertEqual(os.stat(os.path.join(out, name)).st_mode & 0o777, 0o640, name)

    def test_a_failed_run_removes_its_temporaries(self):
        # A directory in the way of the report: the run fails at the renames,
        # when all its temporaries are written.
        out = os.path.join(self.tmp, "out")
        os.makedirs(os.path.join(out, "import-report.json"))
        done = importer("--out", out, os.path.join(DATA, "test_c.xml"))
        self.assertEqual(done.returncode, 1)
        self.assertIn("import-report.json is not a file: not replaced", done.stderr)
        self.assertEqual(os.listdir(out), ["import-report.json"])
        # And an --apply target that does not answer.
        out = os.path.join(self.tmp, "apply")
        done = importer("--out", out, "--apply", os.path.join(self.tmp, "no-socket"),
                        os.path.join(DATA, "test_c.xml"))
        self.assertEqual(done.returncode, 1)
        self.assertIn("cannot reach", done.stderr)
        self.assertEqual(os.listdir(out), [])

    def test_an_interrupted_run_removes_its_temporaries(self):
        export = self.write("many.xml", many_leases_export(150000))
        out = os.path.join(self.tmp, "out")
        for sig in (signal.SIGINT, signal.SIGTERM):
            run = subprocess.Popen([IMPORTER, "--out", out, export], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
            deadline = time.time() + 30
            while not (os.path.isdir(out) and "leases4.csv.tmp" in os.listdir(out)):
                self.assertLess(time.time(), deadline)
                time.sleep(0.01)
            run.send_signal(sig)
            self.assertEqual(run.wait(30), -sig)
            run.stdout.close()
            run.stderr.close()
            self.assertEqual(os.listdir(out), [])


class Report(CliTestCase):

    def test_every_item_has_its_five_fields_and_the_digest_is_sha256sum(self):
        for export in (os.path.join(DATA, "test_c.xml"), self.write("e.xml", everything_export())):
            out = os.path.join(self.tmp, os.path.basename(export) + "-out")
            importer("--out", out, "--now", NOW, export, check=0)
            rep = report(out)
            for item in rep["items"]:
                self.assertEqual(sorted(item), ["kea", "kind", "reason", "source", "status"], item)
                self.assertTrue(item["reason"], item)
            digest = subprocess.run(["sha256sum", export], stdout=subprocess.PIPE,
                                    universal_newlines=True, check=True).stdout.split()[0]
            self.assertEqual(rep["source"]["sha256"], digest)
            with open(export, "rb") as f:
                self.assertEqual(digest, hashlib.sha256(f.read()).hexdigest())

    def test_every_unknown_element_at_any_depth_is_an_item(self):
        scope = wx.scope("192.0.2.0", "255.255.255.0", "192.0.2.10", "192.0.2.40",
                         extra=[wx.E("ScopeTag", "blue")],
                         options=[with_child(wx.option_value(3, "192.0.2.1"),
                                             wx.E("Weight", "3"))],
                         reservations=[with_child(wx.reservation("192.0.2.30", "52-54-00-aa-00-01",
                                                                 "printer"),
                                                  wx.E("Owner", "ops"))],
                         leases=[with_child(wx.lease("192.0.2.20", "192.0.2.0",
                                                     "00-0c-29-a2-42-a6", "Active", FUTURE),
                                            wx.E("Vlan", "7"))])
        scope = (scope[0], tuple(wx.E("Name", wx.E("Color", "red")) if c[0] == "Name" else c
                                 for c in scope[1]))
        ipv4 = wx.server_settings() + [
            wx.E("Classes", wx.E("Bucket", "x")),
            wx.E("Filters", wx.E("Allow", "false"), wx.E("Deny", "false")),
            wx.E("Scopes", scope), wx.E("Tuning", wx.E("Level", "9"))]
        ipv6 = wx.ipv6_section() + [wx.E("Prefixes", "x")]
        data = wx.export(ipv4, ipv6).replace(b"</DHCPServer>", b"<Extra/></DHCPServer>")
        out = os.path.join(self.tmp, "out")
        importer("--out", out, self.write("unknown.xml", data), check=0)
        unknown = {i["source"]: i for i in report(out)["items"] if i["kind"] == "unknown-element"}
        scope_path = "IPv4/Scopes/Scope[ScopeId=192.0.2.0]"
        self.assertEqual(sorted(unknown), sorted([
            "DHCPServer/Extra", "IPv4/Tuning", "IPv4/Classes/Bucket", "IPv6/Prefixes",
            scope_path + "/ScopeTag", scope_path + "/Name/Color",
            scope_path + "/OptionValues/OptionValue[OptionId=3]/Weight",
            scope_path + "/Reservations/Reservation[IPAddress=192.0.2.30]/Owner",
            scope_path + "/Leases/Lease[IPAddress=192.0.2.20]/Vlan"]))
        for item in unknown.values():
            self.assertEqual((item["status"], item["kea"]), ("not-mapped", None))
            self.assertRegex(item["reason"], r"^line \d+: ")


class ApplyTargets(CliTestCase):
    """--apply to kea-ctrl-agent by name, by IPv6 literal, over TLS."""

    PASSWORD = "p@ss:w0rd/Secret"

    def setUp(self):
        super().setUp()
        self.export = self.write("everything.xml", everything_export())
        csv_out = os.path.join(self.tmp, "csv")
        importer("--out", csv_out, "--now", NOW, self.export, check=0)
        self.kea = self.track(ImportedKea(csv_out, with_leases=False)).start()
        self.credentials = self.write("credentials", ("admin:%s\n" % self.PASSWORD).encode())

    def agent(self, host="127.0.0.1", tls=None):
        agent = Agent(self.kea, password=self.PASSWORD, host=host)
        if tls:
            agent.start = lambda: start_tls_agent(agent, tls)
        return self.track(agent).start()

    def apply(self, target, *args, env=None, name="apply"):
        out = os.path.join(self.tmp, name)
        done = importer("--out", out, "--now", NOW, "--apply", target, *args, self.export,
                        env=env)
        texts = [done.stdout, done.stderr]
        if os.path.exists(os.path.join(out, "import-report.json")):
            with open(os.path.join(out, "import-report.json")) as f:
                texts.append(f.read())
        for text in texts:
            self.assertNotIn(self.PASSWORD, text)
            self.assertNotIn("w0rd", text)
        return done

    def test_host_name_and_credentials_from_a_file(self):
        agent = self.agent()
        done = self.apply("http://localhost:%d/" % agent.port, "--credentials-file",
                          self.credentials)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("applied: 7 records created on http://localhost:%d/" % agent.port,
                      done.stdout)

    def test_ipv6_literal_and_credentials_from_the_environment(self):
        agent = self.agent(host="::1")
        done = self.apply("http://[::1]:%d/" % agent.port,
                          env={"KEA_WIN_IMPORT_USER": "admin",
                               "KEA_WIN_IMPORT_PASSWORD": self.PASSWORD})
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("applied: 7 records created", done.stdout)

    def test_the_http_status_is_checked(self):
        agent = self.agent()
        done = self.apply("http://127.0.0.1:%d/" % agent.port)   # no credentials
        self.assertEqual(done.returncode, 1)
        self.assertIn("answered HTTP status 401", done.stderr)
        self.assertEqual(len(done.stderr.splitlines()), 1)
        self.assertEqual(self.kea.records(), {})

    def test_a_url_with_credentials_is_refused_without_showing_them(self):
        for n, password in enumerate((self.PASSWORD, "w0rd")):
            done = self.apply("http://admin:%s@127.0.0.1:%d/" % (password, free_port()),
                              name="url%d" % n)
            self.assertEqual(done.returncode, 1)
            self.assertEqual(len(done.stderr.splitlines()), 1)
            self.assertIn("--credentials-file", done.stderr)
            self.assertIn("KEA_WIN_IMPORT_PASSWORD", done.stderr)

    def test_tls_with_a_ca_and_a_client_certificate(self):
        pki = make_pki(self.tmp)
        agent = self.agent(tls=pki)
        url = "https://localhost:%d/" % agent.port
        done = self.apply(url, "--ca-file", pki["ca"], "--cert-file", pki["client-cert"],
                          "--key-file", pki["client-key"], "--credentials-file",
                          self.credentials)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("applied: 7 records created on " + url, done.stdout)
        # Not signed by a CA it trusts: refused before anything is sent.
        done = self.apply(url, "--cert-file", pki["client-cert"], "--key-file",
                          pki["client-key"], "--credentials-file", self.credentials, name="untrusted")
        self.assertEqual(done.returncode, 1)
        self.assertIn("cannot reach " + url, done.stderr)


def make_pki(tmp):
    """A CA, a server certificate for localhost, a client certificate."""
    d = os.path.join(tmp, "pki")
    os.mkdir(d)
    p = {k: os.path.join(d, k + ".pem") for k in
         ("ca", "ca-key", "server-cert", "server-key", "client-cert", "client-key")}

    def openssl(*args):
        subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
            "-keyout", p["ca-key"], "-out", p["ca"])
    for who, cn in (("server", "localhost"), ("client", "kea-win-import")):
        csr = os.path.join(d, who + ".csr")
        ext = os.path.join(d, who + ".ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n" if who == "server"
                    else "extendedKeyUsage=clientAuth\n")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn,
                "-keyout", p[who + "-key"], "-out", csr)
        openssl("x509", "-req", "-in", csr, "-CA", p["ca"], "-CAkey", p["ca-key"],
                "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", p[who + "-cert"])
    return p


def start_tls_agent(agent, pki, timeout=20):
    """kea-ctrl-agent over TLS, requiring a client certificate."""
    import socket
    config = {"Control-agent": {
        "http-host": agent.host, "http-port": agent.port,
        "trust-anchor": pki["ca"], "cert-file": pki["server-cert"],
        "key-file": pki["server-key"], "cert-required": True,
        "authentication": {"type": "basic", "realm": "kea-win-cmds", "clients": agent.clients},
        "control-sockets": {"dhcp4": {"socket-type": "unix", "socket-name": agent.kea.socket}},
        "loggers": [{"name": "kea-ctrl-agent", "severity": "INFO",
                     "output_options": [{"output": agent.path("kea.log")}]}]}}
    with open(agent.path("kea-ctrl-agent.conf"), "w") as f:
        json.dump(config, f, indent=2)
    agent.spawn(["kea-ctrl-agent", "-c", agent.path("kea-ctrl-agent.conf")])
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not agent.running():
            raise RuntimeError("kea-ctrl-agent exited:\n" + agent.log_tail("stdout.log"))
        try:
            socket.create_connection((agent.host, agent.port), 1).close()
            return agent
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("kea-ctrl-agent did not listen\n" + agent.log_tail())


class Progress(CliTestCase):
    """A progress line on a terminal (script(1) gives the run one), nothing
    when standard error is not a terminal."""

    def setUp(self):
        super().setUp()
        self.export = self.write("many.xml", many_leases_export(100000))

    def on_a_terminal(self, *args):
        out = os.path.join(self.tmp, "out%d" % len(os.listdir(self.tmp)))
        command = " ".join([IMPORTER, "--out", out] + list(args) + [self.export])
        for a in args:
            if a.startswith("-"):
                OPTIONS_USED.add(a)
        started = time.time()
        done = subprocess.run(["script", "-qec", command + " 2>&1 >/dev/null", "/dev/null"],
                              stdout=subprocess.PIPE, universal_newlines=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stdout)
        return done.stdout, time.time() - started

    def test_conversion_on_a_terminal_and_not(self):
        text, seconds = self.on_a_terminal()
        lines = re.findall(r"kea-win-import: (\d+) of 100000 leases converted, (\d+)/s, (\d+) s left",
                           text)
        self.assertTrue(lines, text[:300])
        self.assertLessEqual(len(lines), 4 * seconds + 1)   # at most four a second
        self.assertTrue(text.endswith("\x1b[K"), repr(text[-40:]))   # the line erased
        done = importer("--out", os.path.join(self.tmp, "piped"), self.export, check=0)
        self.assertEqual(done.stderr, "")

    def test_apply_on_a_terminal_and_not(self):
        csv_out = os.path.join(self.tmp, "csv")
        importer("--out", csv_out, "--now", NOW, self.export, check=0)
        kea = self.track(ImportedKea(csv_out, with_leases=False)).start()
        text, _ = self.on_a_terminal("--apply", kea.socket)
        self.assertRegex(text, r"\d+ of 100000 leases sent, \d+/s, \d+ s left")
        self.assertEqual(len(kea.records()), 100000)
        done = importer("--out", os.path.join(self.tmp, "again"), "-a", kea.socket, self.export,
                        check=0)
        self.assertEqual(done.stderr, "")
        self.assertIn("applied: 0 records created", done.stdout)


def tearDownModule():
    """Every option the man page lists was given by some test above (when the
    whole module ran)."""
    loaded = unittest.defaultTestLoader.loadTestsFromName(__name__).countTestCases()
    if RUN_COUNT[0] < loaded:
        return
    missing = man_page_options() - OPTIONS_USED
    if missing:
        raise AssertionError("man page options no test gives: %s" % sorted(missing))

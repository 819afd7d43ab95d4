"""A failover change can never break Kea, and the hook refuses a Kea it was not
built for (issue 23, items 2 and 4), on a real kea-dhcp4 serving DHCP.

Each bad change - https without TLS material, malformed URLs, an unwritable
state directory, a missing or broken HA library, a full file system - must be refused
with a clear text, and afterwards Kea still answers win-* and lease4-*
commands and serves DHCP (one perfdhcp exchange), its configuration file is
byte for byte what it was, and `kea-dhcp4 -t` still accepts it."""
import glob
import os
import shlex
import shutil
import socket
import subprocess
import time
import unittest

from kea_harness import (FRAGMENT_NONE, KEA_VERSION, WIN_CMDS_SO, Kea, KeaTestCase,
                         free_port, hook_library, kea_hook)

CREATE = "win-failover-relationship-create"
FIRST, LAST = "192.0.2.100", "192.0.2.150"


def relationship(**fields):
    rel = {"relationship-name": "pair", "primary-server": "127.0.0.1",
           "secondary-server": "127.0.0.2", "mode": "load-balance", "server-type": "primary",
           "scopes": ["192.0.2.0"], "primary-url": "http://127.0.0.1:8000/",
           "secondary-url": "http://127.0.0.2:8000/"}
    rel.update(fields)
    return rel


def own_mount_namespace():
    """Whether this process may give kea-dhcp4 a mount namespace of its own."""
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


class ConfinedKea(Kea):
    """kea-dhcp4 serving DHCP on loopback, its hook state in kea.path("state"),
    started through a shell that may first change what it sees there (in a
    mount namespace of its own), and with a hooks directory of its own."""

    def __init__(self, before="", hooks=None):
        port = free_port(socket.SOCK_DGRAM)
        super().__init__(subnets=[{"id": 1, "subnet": "192.0.2.0/24",
                                   "pools": [{"pool": "%s-%s" % (FIRST, LAST)}],
                                   "relay": {"ip-addresses": ["127.0.0.1"]}}],
                         dhcp_port=port,
                         extra={"interfaces-config": {"interfaces": ["lo"],
                                                      "dhcp-socket-type": "udp"}})
        self.before = before
        self.hooks = hooks
        os.makedirs(self.path("state"))
        self.hook_params["state-directory"] = self.path("state")

    def env(self):
        env = super().env()
        if self.hooks:
            env["KEA_HOOKS_PATH"] = self.hooks
        return env

    def config(self):
        config = super().config()
        if self.hooks:
            for entry in config["Dhcp4"]["hooks-libraries"]:
                entry["library"] = os.path.join(self.hooks,
                                                os.path.basename(entry["library"]))
        return config

    def spawn(self, argv):
        if self.before:
            argv = ["unshare", "--mount", "--propagation", "private", "sh", "-ec",
                    self.before + "\nexec " + " ".join(shlex.quote(a) for a in argv)]
        super().spawn(argv)


def private_hooks(directory, ha_library):
    """A hooks directory with lease_cmds, this hook and ha_library (the file
    to link as libdhcp_ha.so, or None for no HA library at all)."""
    os.makedirs(directory)
    for library in (kea_hook("libdhcp_lease_cmds.so"), WIN_CMDS_SO):
        os.symlink(os.path.realpath(library), os.path.join(directory, os.path.basename(library)))
    if ha_library:
        os.symlink(ha_library, os.path.join(directory, "libdhcp_ha.so"))
    return directory


class BadChanges(KeaTestCase):

    def start(self, kea):
        kea = self.track(kea).start()
        with open(kea.path("kea-dhcp4.conf"), "rb") as f:
            self.config_bytes = f.read()
        self.acks = 0
        self.assertTrue(self.serves_dhcp(kea), "no DHCP before the change")
        return kea

    def serves_dhcp(self, kea):
        """One perfdhcp exchange (DISCOVER-OFFER-REQUEST-ACK) answered."""
        before = kea.stat("pkt4-ack-sent")
        subprocess.run(["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(kea.dhcp_port), "-r", "1",
                        "-n", "1", "-R", "1", "-W", "500000", "127.0.0.1"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        return kea.stat("pkt4-ack-sent") > before

    def refused(self, kea, arguments, code, *texts):
        answer = kea.cmd(CREATE, arguments)
        if os.environ.get("SHOW_ANSWERS"):
            print("\n  ->", answer["arguments"]["error-code"], answer["text"])
        self.assertWin(answer, code, 1)
        with open(kea.path("kea-dhcp4.conf"), "rb") as f:
            self.assertEqual(f.read(), self.config_bytes, "configuration file changed")
        for text in texts:
            self.assertIn(text, answer["text"])
        self.assertIn("nothing changed", answer["text"])
        return answer

    def assertUnharmed(self, kea):
        time.sleep(0.6)  # a reload would have been asked 300 ms after the answer
        self.assertTrue(kea.running(), "kea-dhcp4 exited:\n" + kea.log_tail())
        with open(kea.path("kea-dhcp4.conf"), "rb") as f:
            self.assertEqual(f.read(), self.config_bytes)
        self.assertEqual(glob.glob(kea.path("kea-dhcp4.conf.*")), [])
        with open(kea.fragment_path()) as f:
            self.assertEqual(f.read(), FRAGMENT_NONE)
        self.assertEqual(glob.glob(kea.path("state/*.candidate")), [])
        check = subprocess.run(["kea-dhcp4", "-t", kea.path("kea-dhcp4.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=kea.env(), timeout=60)
        self.assertEqual(check.returncode, 0, check.stdout.decode(errors="replace"))
        self.assertWin(kea.cmd("win-failover-relationship-enum", {}), 259, 3)
        self.assertIn("win-client-info-vq-create", kea.cmd("list-commands")["arguments"])
        self.assertWin(kea.cmd("win-client-info-vq-create", {
            "client-ip-address": "192.0.2.20", "client-hardware-address": "02:00:00:00:00:20"}),
            0, 0)
        self.assertEqual(kea.cmd("lease4-get", {"ip-address": "192.0.2.20"})["result"], 0)
        self.assertEqual(kea.cmd("lease4-del", {"ip-address": "192.0.2.20"})["result"], 0)
        self.assertTrue(self.serves_dhcp(kea), "no DHCP after the change:\n" + kea.log_tail())
        self.assertNotIn("HA_CONFIGURATION_FAILED", kea.log_tail(lines=100000))

    def test_https_without_tls_material(self):
        kea = self.start(ConfinedKea())
        for field in ("primary-url", "secondary-url"):
            url = "https://127.0.0.%d:8001/" % (1 if field == "primary-url" else 2)
            self.refused(kea, relationship(**{field: url}), 87, field,
                         "TLS is not configured")
        self.assertEqual(os.listdir(kea.path("state")), ["ha-library.json"])
        self.assertUnharmed(kea)

    def test_malformed_urls(self):
        kea = self.start(ConfinedKea())
        for field, url, why in [
                ("secondary-url", "http://bad url/", "host"),
                ("primary-url", "ftp://127.0.0.1/", "http://"),
                ("primary-url", "http://127.0.0.1:0/", "port"),
                ("secondary-url", "http://127.0.0.2:65536/", "port"),
                ("primary-url", "http://127.0.0.1:8000/ha?x=1", "path"),
                ("secondary-url", "http://256.1.1.1:8000/", "IPv4"),
                ("secondary-url", "http://[::1:8000/", "IPv6"),
                ("primary-url", "http://user@127.0.0.1/", "host"),
                ("secondary-url", "http://dhcp-b.example:8000/", "IP address")]:
            self.refused(kea, relationship(**{field: url}), 87, field, why)
        self.assertEqual(os.listdir(kea.path("state")), ["ha-library.json"])
        self.assertUnharmed(kea)

    def test_unwritable_state_directory(self):
        # Read-only even to root: a read-only bind mount in Kea's own mount
        # namespace (a mode of 0500 stops only other users).
        if os.geteuid() == 0:
            if not own_mount_namespace():
                self.skipTest("root, but no mount namespace can be made here (a chroot?)")
            kea = ConfinedKea()
            kea.before = "mount --bind {0} {0}; mount -o remount,bind,ro {0}".format(
                shlex.quote(kea.path("state")))
        else:
            kea = ConfinedKea()
            os.chmod(kea.path("state"), 0o500)
        kea = self.start(kea)
        self.refused(kea, relationship(), 20013, "ha-library.json.candidate")
        self.assertUnharmed(kea)

    def test_full_file_system(self):
        if os.geteuid() != 0:
            self.skipTest("a tmpfs needs root (a mount namespace of Kea's own)")
        if not own_mount_namespace():
            self.skipTest("no mount namespace can be made here (a chroot?)")
        kea = ConfinedKea()
        # 64 KiB of tmpfs holding the fragment with no relationship, filled to
        # the last byte before Kea starts.
        kea.before = ("mount -t tmpfs -o size=64k tmpfs {0}; "
                      "printf '%s\\n' {1} > {0}/ha-library.json; "
                      "dd if=/dev/zero of={0}/fill bs=4096 2>/dev/null || true").format(
                          shlex.quote(kea.path("state")), shlex.quote(FRAGMENT_NONE.strip()))
        kea = self.start(kea)
        answer = self.refused(kea, relationship(), 20013, "No space left on device")
        # Kea's view of its state directory: the filler and the fragment as it was.
        root = "/proc/%d/root" % kea.proc.pid
        self.assertEqual(sorted(os.listdir(root + kea.path("state"))),
                         ["fill", "ha-library.json"], answer)
        with open(root + kea.fragment_path()) as f:
            self.assertEqual(f.read(), FRAGMENT_NONE)
        self.assertUnharmed(kea)

    def test_broken_ha_library(self):
        """A libdhcp_ha.so that does not load: the library check finds the
        file, only the release's own check (kea-dhcp4 -t) finds it broken."""
        kea = ConfinedKea()
        broken = kea.path("broken-ha.so")
        with open(broken, "w") as f:
            f.write("not a shared object\n")
        kea.hooks = private_hooks(kea.path("hooks"), broken)
        kea = self.start(kea)
        self.refused(kea, relationship(), 20013, "kea-dhcp4 -t refused", "libdhcp_ha.so")
        self.assertUnharmed(kea)

    def test_missing_ha_library(self):
        kea = ConfinedKea()
        if KEA_VERSION >= (2, 6):
            kea.hooks = private_hooks(kea.path("hooks"), None)
        else:
            # Kea 2.2 has no KEA_HOOKS_PATH: the hook names libdhcp_ha.so in
            # Kea's own hooks directory, which in kea-dhcp4's mount namespace
            # is a directory holding lease_cmds only.
            if os.geteuid() != 0 or not own_mount_namespace():
                self.skipTest("Kea 2.2 takes libdhcp_ha.so from its own directory: hiding it "
                              "needs root and a mount namespace")
            lease_cmds = os.path.realpath(kea_hook("libdhcp_lease_cmds.so"))
            os.makedirs(kea.path("hooks"))
            shutil.copy2(lease_cmds, kea.path("hooks"))
            kea.before = "mount --bind {} {}".format(shlex.quote(kea.path("hooks")),
                                                     shlex.quote(os.path.dirname(lease_cmds)))
        kea = self.start(kea)
        self.refused(kea, relationship(), 20013, "libdhcp_ha.so")
        self.assertUnharmed(kea)

    def test_a_good_change_passes_the_check_and_kea_reloads(self):
        """The control: the same create with good URLs passes kea-dhcp4 -t, Kea
        reloads with HA and keeps serving; the delete is checked as well."""
        kea = self.start(ConfinedKea())
        self.assertWin(kea.cmd(CREATE, relationship(**{"safe-period": 0})), 0, 0)
        deadline = time.time() + 20
        while time.time() < deadline and not kea.cmd("status-get")["arguments"].get(
                "high-availability"):
            time.sleep(0.3)
        self.assertTrue(kea.cmd("status-get")["arguments"].get("high-availability"),
                        kea.log_tail())
        with open(kea.fragment_path()) as f:
            self.assertIn("libdhcp_ha.so", f.read())
        with open(kea.path("kea-dhcp4.conf"), "rb") as f:
            self.assertEqual(f.read(), self.config_bytes)
        self.assertWin(kea.cmd("win-failover-relationship-delete",
                               {"relationship-name": "pair"}), 0, 0)
        deadline = time.time() + 20
        while time.time() < deadline and "libdhcp_ha.so" in kea.cmd("config-get")[
                "arguments"]["Dhcp4"].__repr__():
            time.sleep(0.3)
        self.assertTrue(kea.alive(), kea.log_tail())
        self.assertEqual(glob.glob(kea.path("kea-dhcp4.conf.*")), [])


class VersionGuard(KeaTestCase):
    """The same library compiled to claim another Kea (a CMake test-only
    variant): kea-dhcp4 refuses it with one ERROR line naming both versions."""

    def test_a_library_built_for_another_kea_is_refused(self):
        other = os.environ.get("WIN_CMDS_OTHER_KEA_SO")
        if not other:
            self.skipTest("WIN_CMDS_OTHER_KEA_SO (the test-only build) is not set")
        kea = self.track(Kea())
        library = hook_library(other)
        config = kea.config()
        for entry in config["Dhcp4"]["hooks-libraries"]:
            if entry["library"] == WIN_CMDS_SO:
                entry["library"] = library
        kea.config = lambda: config
        # Kea opens its control socket before it loads the hook libraries, so
        # list-commands may be answered in the moment before the refusal ends
        # the configuration: what counts is that kea-dhcp4 does not stay up.
        try:
            kea.start(timeout=10)
        except RuntimeError:
            pass  # exited before it answered
        deadline = time.time() + 10
        while kea.running() and time.time() < deadline:
            time.sleep(0.1)
        self.assertFalse(kea.running(), "kea-dhcp4 runs with a library built for another Kea")
        running = subprocess.run(["kea-dhcp4", "-v"], stdout=subprocess.PIPE,
                                 universal_newlines=True).stdout.strip()
        lines = [line for name in ("stdout.log", "kea.log")
                 for line in kea.log_tail(name, lines=100000).splitlines()
                 if "WIN_CMDS_KEA_VERSION_MISMATCH" in line]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("ERROR", lines[0])
        self.assertIn("built for Kea 0.9.9-other", lines[0])
        self.assertIn("this kea-dhcp4 is Kea " + running, lines[0])
        self.assertNotIn("WIN_CMDS_INIT_OK", kea.log_tail("stdout.log", 100000) +
                         kea.log_tail(lines=100000))


if __name__ == "__main__":
    unittest.main()

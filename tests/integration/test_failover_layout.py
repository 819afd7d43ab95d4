"""The hook never writes the operator's configuration (issue 23, item 3): the
failover relationships' HA entry lives in the state directory's fragment,
which the configuration takes with <?include?>. After create, set and delete
the configuration file's bytes, mode, owner and mtime are what they were; a
configuration without the include is refused with the line to add; and a
root-owned read-only configuration directory, with kea-dhcp4 run as an
unprivileged user, still lets relationships change."""
import grp
import json
import os
import pwd
import shutil
import tempfile
import time
import unittest

from kea_harness import FRAGMENT_NONE, WIN_CMDS_SO, Kea, KeaTestCase, kea_hook

CREATE = "win-failover-relationship-create"
SET = "win-failover-relationship-set"
DELETE = "win-failover-relationship-delete"
RELATIONSHIP = {"relationship-name": "pair", "primary-server": "127.0.0.1",
                "secondary-server": "127.0.0.2", "mode": "load-balance",
                "server-type": "primary", "scopes": ["192.0.2.0"], "safe-period": 0,
                "primary-url": "http://127.0.0.1:8000/", "secondary-url": "http://127.0.0.2:8000/"}


def file_facts(path):
    """What must never change of the operator's file: bytes and metadata."""
    st = os.stat(path)
    with open(path, "rb") as f:
        return (f.read(), st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns, st.st_ino)


class UnprivilegedKea(Kea):
    """kea-dhcp4 run as user (setpriv), its configuration in a directory of
    its own that root owns and nobody may write."""

    def __init__(self, user):
        super().__init__()
        self.user = pwd.getpwnam(user)
        self.etc = tempfile.mkdtemp(prefix="kwc-etc-")
        self.config_path = os.path.join(self.etc, "kea-dhcp4.conf")
        # A hooks directory the user can read (the build's may be under a
        # private home): Kea's libraries linked, this hook copied.
        self.hooks = self.path("hooks")
        os.makedirs(self.hooks)
        for library in (kea_hook("libdhcp_lease_cmds.so"), kea_hook("libdhcp_ha.so")):
            os.symlink(os.path.realpath(library),
                       os.path.join(self.hooks, os.path.basename(library)))
        shutil.copy(os.path.realpath(WIN_CMDS_SO),
                    os.path.join(self.hooks, os.path.basename(WIN_CMDS_SO)))

    def env(self):
        env = super().env()
        env["KEA_HOOKS_PATH"] = self.hooks
        return env

    def config(self):
        config = super().config()
        for entry in config["Dhcp4"]["hooks-libraries"]:
            entry["library"] = os.path.join(self.hooks, os.path.basename(entry["library"]))
        return config

    def spawn(self, argv):
        super().spawn(["setpriv", "--reuid", str(self.user.pw_uid), "--regid",
                       str(self.user.pw_gid), "--clear-groups"] + argv)

    def cleanup(self):
        super().cleanup()
        os.chmod(self.etc, 0o755)
        shutil.rmtree(self.etc, ignore_errors=True)


class OperatorFile(KeaTestCase):

    def wait_ha(self, kea, present):
        deadline = time.time() + 20
        while time.time() < deadline:
            if bool(kea.cmd("status-get")["arguments"].get("high-availability")) == present:
                return
            time.sleep(0.3)
        self.fail("HA %s after 20 s:\n%s" % ("absent" if present else "still there",
                                             kea.log_tail()))

    def change_all_and_compare(self, kea):
        """create, set (reloads), delete: each succeeds, Kea runs HA as the
        fragment says, and the operator's file and directory never change."""
        before, listing = file_facts(kea.config_path), sorted(os.listdir(kea.etc_dir()))
        steps = [(CREATE, RELATIONSHIP, True),
                 (SET, {"relationship-name": "pair", "flags": ["safe-period"],
                        "safe-period": 30}, True),
                 (DELETE, {"relationship-name": "pair"}, False)]
        for command, arguments, ha in steps:
            answer = kea.cmd(command, arguments)
            self.assertWin(answer, 0, 0)
            self.assertTrue(answer["arguments"]["reload-scheduled"], answer)
            self.wait_ha(kea, ha)
            self.assertEqual(file_facts(kea.config_path), before, command)
            self.assertEqual(sorted(os.listdir(kea.etc_dir())), listing, command)
        with open(kea.fragment_path()) as f:
            self.assertEqual(f.read(), FRAGMENT_NONE)
        self.assertEqual(os.stat(kea.fragment_path()).st_mode & 0o777, 0o600)
        self.assertTrue(kea.alive(), kea.log_tail())

    def test_create_set_delete_leave_the_configuration_file_as_it_was(self):
        kea = self.track(Kea())
        kea.etc_dir = lambda: kea.dir
        kea.start()
        self.change_all_and_compare(kea)

    def test_a_read_only_root_owned_configuration_with_an_unprivileged_kea(self):
        if os.geteuid() != 0:
            self.skipTest("running kea-dhcp4 as another user needs root")
        user = "nobody"
        kea = self.track(UnprivilegedKea(user))
        kea.etc_dir = lambda: kea.etc
        with open(kea.config_path, "w") as f:
            f.write(kea.config_text())
        os.chmod(kea.config_path, 0o444)
        os.chmod(kea.etc, 0o555)
        # Everything else is the service user's, as the package and Debian's
        # unit make it: its state directory, leases, logs and socket.
        os.makedirs(kea.state_directory(), mode=0o750)
        with open(kea.fragment_path(), "w") as f:
            f.write(FRAGMENT_NONE)
        os.chmod(kea.fragment_path(), 0o600)
        for root, dirs, files in os.walk(kea.dir):
            for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                # Not through a link: the hooks directory links Kea's own libraries.
                os.chown(name, kea.user.pw_uid, grp.getgrnam("nogroup").gr_gid,
                         follow_symlinks=False)
        kea.start(keep_config=True)
        with open("/proc/%d/status" % kea.proc.pid) as f:
            uids = [line.split()[1:] for line in f if line.startswith("Uid:")][0]
        self.assertEqual(set(uids), {str(kea.user.pw_uid)})
        self.change_all_and_compare(kea)

    def test_a_configuration_without_the_include_is_refused_with_the_line_to_add(self):
        kea = self.track(Kea())
        kea.config_text = lambda: json.dumps(kea.config(), indent=2)
        kea.start()
        before = file_facts(kea.config_path)
        answer = kea.cmd(CREATE, RELATIONSHIP)
        self.assertWin(answer, 20013, 1)
        self.assertIn('add the line <?include "%s"?> as the last thing inside its '
                      '"hooks-libraries" list' % kea.fragment_path(), answer["text"])
        self.assertIn("nothing changed", answer["text"])
        self.assertEqual(file_facts(kea.config_path), before)
        with open(kea.fragment_path()) as f:
            self.assertEqual(f.read(), FRAGMENT_NONE)
        self.assertEqual(sorted(os.listdir(kea.state_directory())), ["ha-library.json"])
        self.assertWin(kea.cmd("win-failover-relationship-enum", {}), 259, 3)
        self.assertTrue(kea.alive())


if __name__ == "__main__":
    unittest.main()

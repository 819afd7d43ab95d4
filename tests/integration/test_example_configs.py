"""kea-dhcp4 and kea-ctrl-agent accept the shipped example configurations
(with the library paths pointed at this build)."""
import os
import subprocess
import tempfile
import time
import unittest

from kea_harness import FRAGMENT, FRAGMENT_NONE, HOOKS_DIR, REPO, WIN_CMDS_SO, Kea, free_port, http_post
from tls_certs import TlsMaterial


# The HA fragment the hook writes for one relationship (leading comma: it
# follows the hook's entry inside hooks-libraries).
ONE_RELATIONSHIP = """// kea-win-cmds: the failover relationships' HA entry
, { "library": "%s/libdhcp_ha.so", "parameters": { "high-availability": [ {
    "this-server-name": "a", "mode": "hot-standby",
    "peers": [ { "name": "a", "url": "http://192.0.2.1:8000/", "role": "primary" },
               { "name": "b", "url": "http://192.0.2.2:8000/", "role": "standby" } ] } ] } }
""" % HOOKS_DIR


def check(daemon, example, replacements, fragment=FRAGMENT_NONE):
    with open(os.path.join(REPO, example)) as f:
        text = f.read()
    for old, new in replacements.items():
        text = text.replace(old, new)
    with tempfile.TemporaryDirectory() as tmp:
        text = text.replace("TMPDIR", tmp)
        os.makedirs(os.path.join(tmp, "win-cmds"))
        with open(os.path.join(tmp, "win-cmds", FRAGMENT), "w") as f:
            f.write(fragment)
        path = os.path.join(tmp, example.replace(".example", ""))
        with open(path, "w") as f:
            f.write(text)
        if "password-file" in text:
            for name in ("kea-api-password", "kea-failover-password"):
                with open(os.path.join(tmp, name), "w") as f:
                    f.write("secret")
        os.chmod(tmp, 0o750)  # Kea 2.6+ wants its socket directory so
        env = dict(os.environ, KEA_LOCKFILE_DIR=tmp, KEA_PIDFILE_DIR=tmp,
                   KEA_CONTROL_SOCKET_DIR=tmp, KEA_HOOKS_PATH=HOOKS_DIR)
        return subprocess.run([daemon, "-t", path], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=env, timeout=60)


class ExampleConfigs(unittest.TestCase):

    def test_kea_dhcp4_example_is_valid(self):
        """With the HA fragment as the hook leaves it: no relationship, one."""
        for fragment in (FRAGMENT_NONE, ONE_RELATIONSHIP):
            done = check("kea-dhcp4", "kea-dhcp4.conf.example", {
                "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_win_cmds.so": WIN_CMDS_SO,
                "/usr/lib/x86_64-linux-gnu/kea/hooks": HOOKS_DIR, '"/run/kea': '"TMPDIR',
                '"/var/lib/kea/win-cmds': '"TMPDIR/win-cmds'}, fragment)
            self.assertEqual(done.returncode, 0, done.stdout.decode())
            self.assertEqual("libdhcp_ha.so" in done.stdout.decode(),
                             fragment != FRAGMENT_NONE, done.stdout.decode())

    def test_kea_ctrl_agent_example_is_valid(self):
        done = check("kea-ctrl-agent", "kea-ctrl-agent.conf.example",
                     {'"/etc/kea"': '"TMPDIR"', '"/run/kea': '"TMPDIR'})
        self.assertEqual(done.returncode, 0, done.stdout.decode())

    def test_kea_ctrl_agent_tls_example_serves_https(self):
        """Run, not only checked: kea-ctrl-agent -t does not open the TLS files."""
        tls = TlsMaterial()
        self.addCleanup(tls.cleanup)
        kea = Kea()
        self.addCleanup(kea.cleanup)
        kea.start()
        port = free_port()
        with open(os.path.join(REPO, "kea-ctrl-agent-tls.conf.example")) as f:
            text = f.read()
        for old, new in {"192.0.2.1": "127.0.0.1", "8000": str(port),
                         "/run/kea/kea4-ctrl-socket": kea.socket,
                         "/var/log/kea/": kea.dir + "/", '"/etc/kea"': '"%s"' % kea.dir,
                         "/etc/kea/tls/ca.pem": tls.ca,
                         "/etc/kea/tls/server.pem": tls.server_cert,
                         "/etc/kea/tls/server.key": tls.server_key}.items():
            text = text.replace(old, new)
        for name, password in (("kea-api-password", "api-pass"),
                               ("kea-failover-password", "secret")):
            with open(kea.path(name), "w") as f:
                f.write(password)
        with open(kea.path("agent.conf"), "w") as f:
            f.write(text)
        env = dict(kea.env(), KEA_CONTROL_SOCKET_DIR=kea.dir)
        agent = subprocess.Popen(["kea-ctrl-agent", "-c", kea.path("agent.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.addCleanup(agent.wait, 10)
        self.addCleanup(agent.terminate)
        answer, deadline = None, time.time() + 20
        while answer is None and time.time() < deadline and agent.poll() is None:
            try:
                answer = http_post("127.0.0.1", port, {"command": "version-get",
                                                       "service": ["dhcp4"]},
                                   "admin", "api-pass", tls.client_context())
            except OSError:
                time.sleep(0.2)
        self.assertIsNotNone(answer, "the agent did not answer over https")
        self.assertEqual(answer[0], 200)
        self.assertEqual(answer[1][0]["result"], 0)


if __name__ == "__main__":
    unittest.main()

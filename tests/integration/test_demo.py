"""scripts/demo.sh, as a newcomer runs it: it starts, prints a session, and
every command of that session answers as the README shows (REST through
kea-ctrl-agent, or kea-dhcp4's own HTTP socket on Kea 3.0). Stopped by its
process group whatever happens."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

from kea_harness import REPO, WIN_CMDS_SO, free_port

BUILD = os.path.dirname(os.path.dirname(os.path.realpath(WIN_CMDS_SO)))


class Demo(unittest.TestCase):

    def setUp(self):
        self.run_dir = tempfile.mkdtemp(prefix="kwc-demo-")
        self.out = open(os.path.join(self.run_dir, "demo.out"), "w+")
        self.demo = None

    def start(self, *args):
        env = dict(os.environ, DEMO_RUN_DIR=self.run_dir, DEMO_HTTP_PORT=str(free_port()),
                   DEMO_PASSWORD="demo-pass", KEA_WIN_BUILD_DIR=BUILD)
        self.demo = subprocess.Popen([os.path.join(REPO, "scripts/demo.sh")] + list(args),
                                     env=env, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def tearDown(self):
        if self.demo and self.demo.poll() is None:
            os.killpg(self.demo.pid, signal.SIGTERM)
            try:
                self.demo.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.demo.pid, signal.SIGKILL)
                self.demo.wait(10)
        self.out.close()
        subprocess.run(["rm", "-rf", self.run_dir])

    def printed(self, last="# 5.", end="ignoreeof", timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.out.seek(0)
            text = self.out.read()
            if last in text and text.rstrip().endswith(end):
                return text
            if self.demo.poll() is not None:
                self.fail("demo.sh exited:\n" + text)
            time.sleep(0.5)
        self.fail("demo.sh printed no session:\n" + text)

    def test_the_printed_session_answers_as_documented(self):
        self.start()
        text = self.printed()
        steps = re.findall(r"^# (\d)\. .*\n(.*)$", text, re.M)
        self.assertEqual([n for n, _ in steps], ["1", "2", "3", "4", "5"], text)
        answers = []
        for _, command in steps:
            done = subprocess.run(["bash", "-c", command], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=30)
            self.assertEqual(done.returncode, 0, (command, done.stderr))
            answer = json.loads(done.stdout)
            answers.append(answer[0] if isinstance(answer, list) else answer)
        created, got, shell_got, duplicate, lease = answers
        self.assertEqual(created["arguments"]["error-code"], 0, created)
        self.assertEqual(got["arguments"]["client"]["client-ip-address"], "192.0.2.10", got)
        self.assertEqual(shell_got["arguments"]["client"]["client-name"], "Desk-PC", shell_got)
        self.assertEqual(duplicate["arguments"]["error-code"], 20014, duplicate)
        self.assertEqual(lease["arguments"]["user-context"]["windows"]["client-comment"],
                         "front desk", lease)
        socket = re.search(r"control socket : (\S+)", text).group(1)
        self.assertEqual(os.stat(socket).st_mode & 0o777, 0o600)

    def test_from_windows_runs_the_export_on_kea(self):
        """scripts/demo.sh --from-windows with a real export (README)."""
        self.start("--from-windows", os.path.join(REPO, "tests/data/windows-export/test_c.xml"))
        text = self.printed(last="# 3.", end="\"mapped\"]'")
        self.assertIn("2 scopes, 0 exclusions, 12 reservations", text)
        steps = re.findall(r"^# (\d)\. .*\n(.*)$", text, re.M)
        self.assertEqual([n for n, _ in steps], ["1", "2", "3"], text)
        outputs = []
        for _, command in steps:
            # As a newcomer pastes it: it must run through, not print part
            # of what is checked below and then fail.
            done = subprocess.run(["bash", "-c", command], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, universal_newlines=True, timeout=30)
            self.assertEqual(done.returncode, 0, (command, done.stderr))
            outputs.append(done.stdout)
        enum = json.loads(outputs[0])
        addresses = {c["client-ip-address"] for c in enum["arguments"]["clients"]}
        # The 9 ActiveReservation leases; the 4 Active ones expired in 2023 and
        # leave at Kea's first reclamation, so they may be gone already.
        self.assertGreaterEqual(len(addresses), 9, enum)
        self.assertLessEqual(len(addresses), 13, enum)
        self.assertIn("10.0.5.5", addresses)
        self.assertEqual(outputs[1].split(), ["167773440", "10.0.5.0/24", ".5", "scope",
                                              "167774720", "10.0.10.0/24", ".10", "scope"])
        self.assertIn("reservation without an active lease", outputs[2])


if __name__ == "__main__":
    unittest.main()

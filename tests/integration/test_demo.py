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
        env = dict(os.environ, DEMO_RUN_DIR=self.run_dir, DEMO_HTTP_PORT=str(free_port()),
                   DEMO_PASSWORD="demo-pass", KEA_WIN_BUILD_DIR=BUILD)
        self.demo = subprocess.Popen([os.path.join(REPO, "scripts/demo.sh")], env=env,
                                     stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def tearDown(self):
        if self.demo.poll() is None:
            os.killpg(self.demo.pid, signal.SIGTERM)
            try:
                self.demo.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.demo.pid, signal.SIGKILL)
                self.demo.wait(10)
        self.out.close()
        subprocess.run(["rm", "-rf", self.run_dir])

    def printed(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.out.seek(0)
            text = self.out.read()
            if "# 5." in text and text.rstrip().endswith("ignoreeof"):
                return text
            if self.demo.poll() is not None:
                self.fail("demo.sh exited:\n" + text)
            time.sleep(0.5)
        self.fail("demo.sh printed no session:\n" + text)

    def test_the_printed_session_answers_as_documented(self):
        text = self.printed()
        steps = re.findall(r"^# (\d)\. .*\n(.*)$", text, re.M)
        self.assertEqual([n for n, _ in steps], ["1", "2", "3", "4", "5"], text)
        answers = []
        for _, command in steps:
            done = subprocess.run(["bash", "-c", command], stdout=subprocess.PIPE, timeout=30)
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


if __name__ == "__main__":
    unittest.main()

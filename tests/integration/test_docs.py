"""integration.docs: every command block that README.md and docs/*.md show
runs here, as a reader would paste it, against what the README starts
(scripts/demo.sh) - or carries a marker, on the line before it,

    <!-- not run by the doc test: REASON -->

and is listed at the end of the run with its reason. A block that is neither
fails the test, so nothing is skipped silently.

Command blocks are the fenced ones labelled sh or console, and json blocks
holding a "command". A fence with no label fails: say what it holds (text,
json, ...). How each kind runs:

- sh: the whole block in one bash (set -e, pipefail), in a working directory where run/ is
  the demo's run directory, dhcp.xml a real Windows export and tests/ the
  project's; kea-win-import is on PATH. It must exit 0 and every Kea answer
  it prints must say result 0. In blocks of their own, `scripts/demo.sh ...`
  starts a demo and waits for its session, and `scripts/test.sh` is compared
  with what .ci/run runs (running it here would run this test again).
- console: each `$ ` command runs as above and its answer must carry the
  result and error-code the block shows; output shown without JSON must be
  printed exactly.
- json with "command": sent to the demo's control socket; the answer must be
  result 0 or 3 (the command ran; 3 is "nothing there"), never a refusal.
The demo's REST password is PASSWORD and its port 8000, as the README writes
them, so the blocks run as printed. A block that names the machine's own
paths (/etc, /var, /run, ...) or runs systemctl or apt fails unrun: this test
runs as root on the machine, so such a block must be marked."""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from kea_harness import REPO, WIN_CMDS_SO

BUILD = os.path.dirname(os.path.dirname(os.path.realpath(WIN_CMDS_SO)))
MARKER = re.compile(r"^<!-- not run by the doc test: (.+?) -->$")
FENCE = re.compile(r"^\s*```(\S*)\s*$")
COMMAND_LABELS = {"sh", "console"}
# The order a reader meets them in: the README first, then the command
# reference (it changes the README session's record), then the rest.
FIRST_DOCS = ["README.md", "docs/commands.md", "docs/migration.md", "docs/failover.md"]


def read(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        return f.read()


def doc_files():
    rest = sorted(os.path.relpath(p, REPO) for p in glob.glob(os.path.join(REPO, "docs", "*.md")))
    return FIRST_DOCS + [p for p in rest if p not in FIRST_DOCS]


def blocks(path):
    """(line, label, text, marker reason or None) of every fenced block."""
    lines = read(path).split("\n")
    found, i = [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent = len(lines[i]) - len(lines[i].lstrip())
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        marker = MARKER.match(lines[i - 1]) if i > 0 else None
        text = "\n".join(l[indent:] for l in lines[i + 1:j])
        found.append((i + 1, opening.group(1), text, marker.group(1) if marker else None))
        i = j + 1
    return found


def is_command_block(label, text):
    return label in COMMAND_LABELS or (label == "json" and '"command"' in text)


def commands(text):
    """A block's shell commands: lines joined while a quote is open or a
    backslash continues the line; comment-only lines dropped."""
    result, current = [], []
    for line in text.split("\n"):
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current.append(line)
        joined = "\n".join(current)
        if joined.count("'") % 2 == 0 and not joined.endswith("\\"):
            result.append(joined)
            current = []
    if current:
        result.append("\n".join(current))
    return result


def answers(output):
    """Every JSON value printed, in order (Kea answers, compact or not)."""
    decoder, found, i = json.JSONDecoder(), [], 0
    while True:
        start = min([p for p in (output.find("{", i), output.find("[", i)) if p >= 0], default=-1)
        if start < 0:
            return found
        try:
            value, end = decoder.raw_decode(output, start)
        except ValueError:
            i = start + 1
            continue
        found.append(value[0] if isinstance(value, list) and value else value)
        i = end


# What a block may not do here: this test runs as root on the machine itself.
MACHINE = re.compile(r"(^|[\s'\"=:])/(etc|var|run|usr|root|lib)/|\b(systemctl|apt|apt-get|dpkg -i)\s")


def shown(expected, name):
    match = re.search(r'"%s": ?(\d+)' % name, expected)
    return int(match.group(1)) if match else None


class Docs(unittest.TestCase):

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="kwc-docs-")
        self.sandbox = os.path.join(self.work, "cwd")
        os.makedirs(os.path.join(self.sandbox, "bin"))
        os.symlink(os.path.join(REPO, "tests"), os.path.join(self.sandbox, "tests"))
        shutil.copy(os.path.join(REPO, "tests/data/windows-export/test_c.xml"),
                    os.path.join(self.sandbox, "dhcp.xml"))
        os.symlink(os.environ["KEA_WIN_IMPORT"], os.path.join(self.sandbox, "bin", "kea-win-import"))
        self.env = dict(os.environ, PATH=os.path.join(self.sandbox, "bin") + ":" + os.environ["PATH"],
                        KEA_WIN_BUILD_DIR=BUILD, DEMO_PASSWORD="PASSWORD")
        self.demos = []
        self.session_dir = None

    def tearDown(self):
        for demo, out in self.demos:
            self.stop(demo)
            out.close()
        subprocess.run(["rm", "-rf", self.work])

    def stop(self, demo):
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGTERM)
            try:
                demo.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(demo.pid, signal.SIGKILL)
                demo.wait(10)

    # --- how a command runs --------------------------------------------

    def start_demo(self, command, where):
        """scripts/demo.sh as the block writes it: the first one is the
        session's demo (port 8000, run/ in the working directory) and stays
        up; any other gets its own port and is stopped once it has printed
        its session."""
        first = self.session_dir is None
        run_dir = os.path.join(self.work, "run%d" % len(self.demos))
        env = dict(self.env, DEMO_RUN_DIR=run_dir, DEMO_HTTP_PORT="8000" if first else "8001")
        out = open(run_dir + ".out", "w+")
        line = re.sub(r"^scripts/", REPO + "/scripts/", command.split("#")[0].strip())
        demo = subprocess.Popen(["bash", "-c", "exec " + line], cwd=self.sandbox, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.demos.append((demo, out))
        deadline = time.time() + 300
        while time.time() < deadline:
            out.seek(0)
            text = out.read()
            if "Try it" in text and text.rstrip().endswith(("ignoreeof", "'")):
                break
            self.assertIsNone(demo.poll(), "%s: %s exited:\n%s" % (where, line, text))
            time.sleep(0.5)
        else:
            self.fail("%s: %s printed no session" % (where, line))
        if first:
            self.session_dir = run_dir
            os.symlink(run_dir, os.path.join(self.sandbox, "run"))
        else:
            self.stop(demo)

    def check_test_command(self, command, where):
        ci = read(".ci/run")
        runs = re.findall(r"^exec (.+)$", ci, re.M)
        self.assertEqual(runs, [command.split("#")[0].strip()],
                         "%s: .ci/run must run exactly the README's test command" % where)

    def run_shell(self, command, where):
        self.assertNotRegex(command, MACHINE, "%s: this block would change or need the machine "
                            "itself; mark it (<!-- not run by the doc test: REASON -->)" % where)
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=self.sandbox,
                              env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=120)
        self.assertEqual(done.returncode, 0, "%s: %s\n%s%s" % (where, command, done.stdout,
                                                              done.stderr))
        return done.stdout

    def run_sh_block(self, text, where):
        steps = commands(text)
        special = [c for c in steps if c.startswith(("scripts/demo.sh", "scripts/test.sh"))]
        if not special:
            # One shell, as a reader pastes the block: its variables carry on.
            output = self.run_shell("set -e\n" + text, where)
            for answer in answers(output):
                if isinstance(answer, dict) and "result" in answer:
                    self.assertEqual(answer["result"], 0, "%s: an answer is not result 0:\n%s"
                                     % (where, output))
            return "ran, every answer result 0"
        self.assertEqual(special, steps, "%s: scripts/demo.sh and scripts/test.sh stand in "
                                         "blocks of their own" % where)
        done = []
        for command in steps:
            if command.startswith("scripts/demo.sh"):
                self.start_demo(command, where)
                done.append("`%s` started, its session printed" % command.split("#")[0].strip())
            else:
                self.check_test_command(command, where)
                done.append("`%s` is what .ci/run runs (not run here: it runs this test)"
                            % command.split("#")[0].strip())
        return "; ".join(done)

    def run_console_block(self, text, where):
        steps = re.split(r"^\$ ", text, flags=re.M)[1:]
        self.assertTrue(steps, "%s: a console block without a $ command" % where)
        for step in steps:
            command = commands(step)[0]
            expected = step[len(command):].strip()
            output = self.run_shell(command, where)
            if "{" in expected:
                got = (answers(output) or [{}])[0]
                got_text = json.dumps(got)
                for name in ("result", "error-code"):
                    if shown(expected, name) is not None:
                        self.assertEqual(shown(got_text, name), shown(expected, name),
                                         "%s: %s answered\n%s" % (where, command, output))
            else:
                self.assertEqual(output.split("\n"), (expected + "\n").split("\n"),
                                 "%s: %s printed otherwise" % (where, command))
        return "ran, answers as shown"

    def run_json_block(self, text, where):
        request = json.loads(text)
        socket = os.path.join(self.session_dir, "kea4-ctrl.sock")
        done = subprocess.run(["socat", "UNIX:" + socket, "-,ignoreeof"], input=json.dumps(request),
                              stdout=subprocess.PIPE, universal_newlines=True, timeout=60)
        answer = answers(done.stdout)[0]
        self.assertIn(answer["result"], (0, 3), "%s: %s" % (where, done.stdout))
        return "sent, result %d" % answer["result"]

    # --- the test --------------------------------------------------------

    def test_every_command_block_runs_or_says_why_not(self):
        ran, not_run = [], []
        for path in doc_files():
            in_production = False
            section_of = {}
            text = read(path).split("\n")
            for n, line in enumerate(text, 1):
                if line.startswith("## "):
                    in_production = line == "## Production"
                section_of[n] = in_production
            for line, label, body, reason in blocks(path):
                where = "%s:%d" % (path, line)
                self.assertTrue(label, "%s: a fence without a label: say what it holds "
                                       "(sh, console, json, text...)" % where)
                if not is_command_block(label, body):
                    self.assertIsNone(reason, "%s: marked, but no command block" % where)
                    continue
                production = path == "docs/operator-guide.md" and section_of[line] and label == "sh"
                if production:
                    # stock.readme_production runs these; say so where they are.
                    self.assertIsNotNone(reason, where)
                    self.assertIn("stock.readme_production", reason, where)
                if reason:
                    not_run.append((where, reason))
                    continue
                if label == "sh":
                    ran.append((where, self.run_sh_block(body, where)))
                elif label == "console":
                    ran.append((where, self.run_console_block(body, where)))
                else:
                    self.assertIsNotNone(self.session_dir, "%s: no demo is running yet" % where)
                    ran.append((where, self.run_json_block(body, where)))
        print("\ncommand blocks run here:")
        for where, how in ran:
            print("  %s: %s" % (where, how))
        print("command blocks not run here, and why:")
        for where, reason in not_run:
            print("  %s: %s" % (where, reason))
        self.assertTrue(ran and not_run)

    def test_the_production_test_reads_the_operator_guide(self):
        """stock.readme_production runs the Production section where it is now."""
        script = read("tests/stock/readme_production.sh")
        self.assertIn("docs/operator-guide.md", script)
        guide = read("docs/operator-guide.md")
        self.assertRegex(guide, r"(?m)^## Production\n")


if __name__ == "__main__":
    unittest.main()

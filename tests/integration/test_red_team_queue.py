"""The durable queue against its own crashes, on a real pair (two kea-dhcp4
on loopback, each with its kea-ctrl-agent, plain http): with the partner
stopped, changes are queued; the queue file is cut mid-line (a crash while a
line was written) and the server killed with -9 and started again: the cut
line is set aside in the side file and logged, nothing merges with it, and
once the partner is back the queue drains. With a small
max-unreplicated-changes, the changes past it apply on the primary only and
the relationship says "resync-needed"; win-failover-relationship-resync then
gives the partner every record of the primary (a record the partner held for
another client replaced: the primary wins, counted in conflicts-resolved on
both servers) and clears the flag. Kea HA's own
lease sync, when a restarted partner comes back, may copy the primary's leases
too; the test takes the changes past the bound off the partner to stand for a
partner that missed them (an outage that ended before partner-down)."""
import os
import signal
import unittest

from kea_harness import record
from plain_http_pair import PlainHttpPair

SECRET = "pair-secret"
NAME = "queue-pair"
SUBNET = "192.0.2.0"
QUEUE = "win-replication-queue.jsonl"
REJECTED = "win-replication-queue.rejected"


class RedTeamQueue(PlainHttpPair):

    RELATIONSHIP = NAME
    SECRET = SECRET

    @classmethod
    def setUpClass(cls):
        cls.start_pair(mclt=3600, scopes=[SUBNET], percentage=50)

    def partner_away(self):
        self.b.stop()
        self.wait_a_alone()

    def wait_a_alone(self):
        self.wait_for(lambda: self.get(self.a)["state"] in ("communication-interrupted",
                                                             "partner-down"))

    def lease(self, kea, ip):
        answer = kea.cmd("lease4-get", {"ip-address": ip})
        return answer["arguments"] if answer["result"] == 0 else None

    def create_queued(self, ip, hw):
        answer = self.a.cmd("win-client-info-vq-create", record(ip, hw))
        self.assertWin(answer, 0, 0)
        self.assertFalse(answer["arguments"]["partner"]["replicated"], answer)
        return answer

    def test_1_torn_queue_survives_kill_9(self):
        self.wait_normal()
        self.partner_away()
        ips = ["192.0.2.%d" % n for n in range(21, 25)]
        for n, ip in enumerate(ips):
            self.create_queued(ip, "02:71:00:00:00:%02x" % n)
        self.assertEqual(self.get(self.a)["unreplicated-changes"], 4)
        # A crash while the last line was written: the file ends mid-line.
        path = os.path.join(self.a.dir, QUEUE)
        with open(path, "rb") as f:
            lines = f.read().splitlines(keepends=True)
        self.assertEqual(len(lines), 4)
        cut = lines[3].index(ips[3].encode()) + len(ips[3]) + 5
        self.assertLess(cut, len(lines[3]) - 1)
        torn = lines[3][:cut]
        with open(path, "wb") as f:
            f.write(b"".join(lines[:3]) + torn)
        self.a.stop(signal.SIGKILL)
        log_start = len(self.a.log_tail(lines=10 ** 7))
        self.a.start(keep_config=True)
        # Set aside and logged with its text when the queue is opened.
        with open(os.path.join(self.a.dir, REJECTED), "rb") as f:
            self.assertEqual(f.read(), torn + b"\n")
        logged = [line for line in self.a.log_tail(lines=10 ** 7)[log_start:].splitlines()
                  if "WIN_CMDS_QUEUE_LINE_SET_ASIDE" in line]
        self.assertEqual(len(logged), 1, logged)
        self.assertIn(REJECTED, logged[0])
        self.assertIn(ips[3], logged[0])
        self.assertEqual(self.get(self.a)["unreplicated-changes"], 3)
        # The next change is a line of its own.
        self.wait_a_alone()  # Kea HA starts in waiting
        self.create_queued("192.0.2.25", "02:71:00:00:00:10")
        self.assertEqual(self.get(self.a)["unreplicated-changes"], 4)
        with open(path, "rb") as f:
            text = f.read()
        self.assertTrue(text.endswith(b"\n"))
        self.assertEqual(text.count(b"\n"), 4)
        self.b.start(keep_config=True)
        self.wait_normal()
        self.wait_for(lambda: self.get(self.a)["unreplicated-changes"] == 0, timeout=120)
        self.assertFalse(os.path.exists(path) and os.path.getsize(path) > 0)
        for n, ip in enumerate(ips[:3] + ["192.0.2.25"]):
            lease = self.lease(self.b, ip)
            self.assertIsNotNone(lease, ip)
            self.assertEqual(lease["hw-address"], "02:71:00:00:00:%02x" % (n if n < 3 else 16))
        # The cut change was made on the primary all the same.
        self.assertIsNotNone(self.lease(self.a, ips[3]))

    def test_2_bound_then_resync(self):
        if not self.b.running():
            self.b.start(keep_config=True)
        self.a.hook_params["max-unreplicated-changes"] = 3
        self.a.stop()
        self.a.start()  # the operator's file written again with the parameter
        self.wait_normal()
        self.assertFalse(self.get(self.a)["resync-needed"])
        self.partner_away()
        ips = ["192.0.2.%d" % n for n in range(31, 36)]
        for n, ip in enumerate(ips):
            answer = self.create_queued(ip, "02:72:00:00:00:%02x" % n)
        self.assertIn("win-failover-relationship-resync", answer["arguments"]["partner"]["text"])
        self.assertEqual(self.get(self.a)["unreplicated-changes"], 3)
        self.assertTrue(self.get(self.a)["resync-needed"])
        enum = self.a.cmd("win-failover-relationship-enum", {})["arguments"]["relationships"]
        self.assertTrue(enum[0]["resync-needed"])
        self.b.start(keep_config=True)
        self.wait_normal()
        self.wait_for(lambda: self.get(self.a)["unreplicated-changes"] == 0, timeout=120)
        self.assertTrue(self.get(self.a)["resync-needed"])
        # Kea HA's own sync, when the restarted partner comes up, may have
        # copied the primary's leases already; a partner that missed the
        # changes past the bound (a shorter outage: no sync) is made here.
        for ip in ips[3:]:
            self.b.cmd("lease4-del", {"ip-address": ip})
        self.assertIsNone(self.lease(self.b, ips[4]))
        # The partner holds one of the unsent addresses for another client.
        self.assertEqual(self.b.cmd("lease4-add", {
            "ip-address": ips[3], "hw-address": "02:72:ff:ff:ff:ff"})["result"], 0)
        unknown = self.a.cmd("win-failover-relationship-resync", {"relationship-name": "nope"})
        self.assertWin(unknown, 20115, 3)
        answer = self.a.cmd("win-failover-relationship-resync", {"relationship-name": NAME})
        self.assertWin(answer, 0, 0)
        held = [l for l in self.a.leases() if l["ip-address"].startswith("192.0.2.")]
        self.assertEqual(answer["arguments"]["sent"], len(held))
        self.assertGreaterEqual(answer["arguments"]["overridden"], 1)
        self.assertEqual(answer["arguments"]["applied"] + answer["arguments"]["overridden"],
                         len(held))
        # Each conflict counted on both (docs/statistics.md): the primary's
        # forced record confirmed, the secondary's record replaced.
        conflicts = "win-cmds.relationship[%s].conflicts-resolved" % NAME
        self.assertEqual(self.a.stat(conflicts), answer["arguments"]["overridden"])
        self.assertEqual(self.b.stat(conflicts), answer["arguments"]["overridden"])
        for lease in held:
            theirs = self.lease(self.b, lease["ip-address"])
            self.assertIsNotNone(theirs, lease["ip-address"])
            self.assertEqual(theirs["hw-address"], lease["hw-address"])
        self.assertFalse(self.get(self.a)["resync-needed"])
        self.assertEqual(self.get(self.a)["unreplicated-changes"], 0)


if __name__ == "__main__":
    unittest.main()

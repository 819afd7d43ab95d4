"""The hook's statistics in Kea's StatsMgr, on a real pair (two kea-dhcp4 on
loopback, each with its kea-ctrl-agent, plain http; docs/statistics.md):
statistic-get-all lists every command's answers by result and the
relationship's figures; a create the partner applies and one it refuses move
the sender's answers and replicas-sent and the partner's replicas-applied and
replicas-refused; with the partner stopped a queued change shows as
unreplicated-changes, which statistic-reset and statistic-reset-all leave
showing the queue while the counters start over; the queue drained, the gauge
is 0; a deleted relationship's statistics are gone, and the counters outlive
the reload the delete causes."""
import time
import unittest

from kea_harness import record
from plain_http_pair import PlainHttpPair

SECRET = "pair-secret"
NAME = "stats-pair"
SUBNET = "192.0.2.0"
CREATE = "win-client-info-vq-create"
COMMANDS = [
    "win-client-info-vq-create", "win-client-info-v4-get", "win-client-info-vq-get",
    "win-client-info-v4-set", "win-client-info-vq-set", "win-client-info-delete",
    "win-subnet-clients-v4-enum", "win-subnet-clients-vq-enum",
    "win-failover-relationship-create", "win-failover-relationship-set",
    "win-failover-relationship-get", "win-failover-relationship-delete",
    "win-failover-relationship-enum", "win-failover-scope-add", "win-failover-scope-delete",
    "win-failover-scope-relationship-get", "win-failover-scope-statistics-get",
    "win-failover-client-info-get", "win-failover-client-info-enum",
    "win-failover-system-time-get", "win-failover-relationship-resync", "win-client-replica"]
FIGURES = ["unreplicated-changes", "replicas-sent", "replicas-applied", "replicas-refused",
           "conflicts-resolved"]


def figure(name):
    return "win-cmds.relationship[%s].%s" % (NAME, name)


def answers(command, result):
    return "win-cmds.command[%s].answers-result-%d" % (command, result)


class Statistics(PlainHttpPair):

    RELATIONSHIP = NAME
    SECRET = SECRET

    @classmethod
    def setUpClass(cls):
        cls.start_pair(mclt=3600, scopes=[SUBNET], percentage=50)

    def all_figures(self, kea):
        answer = kea.cmd("statistic-get-all", {})
        self.assertEqual(answer["result"], 0, answer)
        return {name: samples[0][0] for name, samples in answer["arguments"].items()}

    def reset(self, kea, name=None):
        answer = (kea.cmd("statistic-reset", {"name": name}) if name
                  else kea.cmd("statistic-reset-all", {}))
        self.assertEqual(answer["result"], 0, answer)

    def test_1_a_success_and_a_refusal(self):
        self.wait_normal()
        figures = self.all_figures(self.a)
        for command in COMMANDS:
            for result in range(4):
                self.assertIn(answers(command, result), figures)
        for name in FIGURES:
            self.assertIn(figure(name), figures)
        before_a, before_b = figures, self.all_figures(self.b)

        def moved(kea, before, name):
            return kea.stat(name) - before[name]

        self.assertWin(self.a.cmd(CREATE, record("192.0.2.60", "02:73:00:00:00:01")), 0, 0)
        self.assertEqual(moved(self.a, before_a, answers(CREATE, 0)), 1)
        self.assertEqual(moved(self.a, before_a, figure("replicas-sent")), 1)
        self.assertEqual(moved(self.b, before_b, figure("replicas-applied")), 1)
        self.assertEqual(moved(self.b, before_b, answers("win-client-replica", 0)), 1)
        # B holds the next address for another client: it refuses the change.
        self.assertEqual(self.b.cmd("lease4-add", {
            "ip-address": "192.0.2.61", "hw-address": "02:73:ff:ff:ff:ff"})["result"], 0)
        refused = self.a.cmd(CREATE, record("192.0.2.61", "02:73:00:00:00:02"))
        self.assertEqual(refused["result"], 1, refused)
        self.assertEqual(moved(self.a, before_a, answers(CREATE, 1)), 1)
        self.assertEqual(moved(self.a, before_a, answers(CREATE, 0)), 1)
        self.assertEqual(moved(self.a, before_a, figure("replicas-sent")), 2)
        self.assertEqual(moved(self.b, before_b, figure("replicas-refused")), 1)
        self.assertEqual(moved(self.b, before_b, figure("replicas-applied")), 1)
        self.assertEqual(self.a.stat(figure("unreplicated-changes")), 0)

    def test_2_a_queued_change_and_the_resets(self):
        self.wait_normal()
        self.b.stop()
        self.wait_for(lambda: self.get(self.a)["state"] in ("communication-interrupted",
                                                             "partner-down"))
        answer = self.a.cmd(CREATE, record("192.0.2.70", "02:74:00:00:00:01"))
        self.assertWin(answer, 0, 0)
        self.assertFalse(answer["arguments"]["partner"]["replicated"], answer)
        figures = self.all_figures(self.a)
        self.assertEqual(figures[figure("unreplicated-changes")], 1)
        self.assertGreaterEqual(figures[answers(CREATE, 0)], 1)
        for name in FIGURES:
            self.assertIn(figure(name), figures)
        # The gauge shows the queue again at once; a counter starts over.
        self.reset(self.a, figure("unreplicated-changes"))
        self.assertEqual(self.a.stat(figure("unreplicated-changes")), 1)
        self.reset(self.a, figure("replicas-sent"))
        self.assertEqual(self.a.stat(figure("replicas-sent")), 0)
        self.reset(self.a)
        figures = self.all_figures(self.a)
        self.assertEqual(figures[figure("unreplicated-changes")], 1)
        self.assertEqual(figures[answers(CREATE, 0)], 0)
        self.b.start(keep_config=True)  # its statistics start from 0
        self.wait_normal()
        self.wait_for(lambda: self.a.stat(figure("unreplicated-changes")) == 0, timeout=120)
        self.assertEqual(self.a.stat(figure("replicas-sent")), 1)
        self.assertEqual(self.b.stat(figure("replicas-applied")), 1)

    def test_3_deleted_with_the_relationship(self):
        answer = self.a.cmd("win-failover-relationship-delete", {"relationship-name": NAME})
        self.assertWin(answer, 0, 0)
        self.assertTrue(answer["arguments"]["reload-scheduled"], answer)
        time.sleep(1.0)  # the reload: the hook is unloaded and loaded again
        self.wait_for(lambda: self.a.alive())
        figures = self.all_figures(self.a)
        for name in FIGURES:
            self.assertNotIn(figure(name), figures)
        # The counters outlive the hook's reload.
        self.assertEqual(figures[answers("win-failover-relationship-delete", 0)], 1)


if __name__ == "__main__":
    unittest.main()

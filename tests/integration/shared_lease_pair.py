"""A failover pair over one SQL lease database (Kea HA's shared-database
setup, send-lease-updates false): two kea-dhcp4 with their kea-ctrl-agents,
both on the database a subclass makes (make_database), in a relationship with
shared-lease-database. A record made on one server is the other's at once,
with no replica sent; two servers racing for one address get exactly one
success, the database's one row per address deciding."""
import threading

from kea_harness import Kea, record
from plain_http_pair import PlainHttpPair
from worker_threads import run_concurrently

SECRET = "shared-db-secret"
NAME = "shared-db"
REPLICA_COMMAND = "win-client-replica"


class SharedLeaseDatabasePair(PlainHttpPair):
    """test_postgresql and test_mariadb subclass it with make_database."""

    RELATIONSHIP = NAME
    SECRET = SECRET

    @classmethod
    def make_database(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        database = cls.make_database()
        cls.start_pair(lambda: Kea(lease_database=dict(database)), scopes=["192.0.2.0"],
                       **{"shared-lease-database": True})
        for kea in (cls.a, cls.b):
            cls.wait_normal_on(kea)

    def setUp(self):
        self.log_start = {kea: len(kea.log_tail(lines=10 ** 7)) for kea in (self.a, self.b)}

    def replicas_received(self, kea):
        """Replica requests kea-dhcp4 took since the test began (Kea logs
        each command it receives)."""
        return kea.log_tail(lines=10 ** 7)[self.log_start[kea]:].count(
            "'%s'" % REPLICA_COMMAND)

    def lease(self, kea, ip):
        answer = kea.cmd("lease4-get", {"ip-address": ip})
        return answer["arguments"] if answer["result"] == 0 else None

    def test_ha_entry_sends_no_lease_updates(self):
        for kea in (self.a, self.b):
            answer = kea.cmd("win-failover-relationship-get",
                             {"relationship-name": NAME})["arguments"]
            self.assertIs(answer["relationship"]["shared-lease-database"], True)
            ha = answer["kea-effect"]["high-availability"]
            self.assertIs(ha["send-lease-updates"], False)
            self.assertIs(ha["sync-leases"], False)
            self.assertIn("shared", answer["kea-effect"]["lease-database"])
            # What Kea runs, not only what the hook wrote.
            running = kea.cmd("config-get")["arguments"]["Dhcp4"]["hooks-libraries"]
            ha_params = [lib["parameters"]["high-availability"][0] for lib in running
                         if lib["library"].endswith("libdhcp_ha.so")]
            self.assertEqual([(p["send-lease-updates"], p["sync-leases"]) for p in ha_params],
                             [(False, False)])

    def test_record_made_on_one_is_the_others_with_no_replica(self):
        answer = self.a.cmd("win-client-info-vq-create", record(
            "192.0.2.201", "02:aa:00:00:00:01", **{"client-comment": "one row"}))
        self.assertWin(answer, 0, 0)
        self.assertNotIn("partner", answer["arguments"])
        got = self.b.cmd("win-client-info-vq-get", {"client-ip-address": "192.0.2.201"})
        self.assertEqual(got["arguments"]["client"]["client-comment"], "one row")
        self.assertWin(self.b.cmd("win-client-info-vq-set", record(
            "192.0.2.201", "02:aa:00:00:00:01", **{"client-comment": "set on b"})), 0, 0)
        got = self.a.cmd("win-client-info-vq-get", {"client-ip-address": "192.0.2.201"})
        self.assertEqual(got["arguments"]["client"]["client-comment"], "set on b")
        # The other server refuses the address for another client: the row is there.
        self.assertWin(self.b.cmd("win-client-info-vq-create",
                                  record("192.0.2.201", "02:aa:00:00:00:02")), 20014, 1)
        self.assertWin(self.b.cmd("win-client-info-delete",
                                  {"client-ip-address": "192.0.2.201"}), 0, 0)
        self.assertIsNone(self.lease(self.a, "192.0.2.201"))
        self.assertEqual((self.replicas_received(self.a), self.replicas_received(self.b)),
                         (0, 0))

    def test_race_one_winner(self):
        """Both servers asked for one address at once: exactly one success,
        the other ERROR_DHCP_CLIENT_EXISTS, and the row is the winner's."""
        # Clear of the harness's reservation (192.0.2.50).
        addresses = ["192.0.2.%d" % i for i in range(100, 150)]
        wins = {"a": 0, "b": 0}
        decided = {"insert": 0, "check": 0}
        try:
            for n, ip in enumerate(addresses):
                barrier = threading.Barrier(2)
                got = {}
                macs = {"a": "02:dd:01:00:00:%02x" % n, "b": "02:dd:02:00:00:%02x" % n}

                def ask(name, kea):
                    barrier.wait(10)
                    got[name] = kea.cmd("win-client-info-vq-create", record(ip, macs[name]))

                run_concurrently([lambda: ask("a", self.a), lambda: ask("b", self.b)], timeout=60)
                codes = (got["a"]["arguments"]["error-code"], got["b"]["arguments"]["error-code"])
                self.assertIn(codes, [(0, 20014), (20014, 0)], (ip, got))
                winner = "a" if codes[0] == 0 else "b"
                wins[winner] += 1
                loser = got["b" if winner == "a" else "a"]["text"]
                # Refused by the database's insert, or found there by the check before it.
                decided["insert" if "created concurrently" in loser else "check"] += 1
                self.assertEqual(self.lease(self.a, ip)["hw-address"], macs[winner])
            print("race over %d addresses: %s, the loser refused by %s"
                  % (len(addresses), wins, decided))
            self.assertEqual((self.replicas_received(self.a), self.replicas_received(self.b)),
                             (0, 0))
        finally:
            for ip in addresses:
                self.a.cmd("lease4-del", {"ip-address": ip})

"""The client-record integration tests again, with Kea's leases in a real
PostgreSQL the test starts itself: the Windows fields live in the lease's
user_context column and survive restarts there too. And a failover pair on
one PostgreSQL lease database (shared_lease_pair)."""
import time
import unittest

import pg_server
import shared_lease_pair
import test_client_lifecycle
import test_client_records
from kea_harness import Kea, KeaTestCase, record

SERVER = None


def setUpModule():
    global SERVER
    if not pg_server.available():
        raise unittest.SkipTest("PostgreSQL or kea-admin is not installed "
                                "(scripts/install-deps.sh installs them)")
    SERVER = pg_server.PgServer().start()


def tearDownModule():
    if SERVER:
        SERVER.stop()


class PgClientRecords(test_client_records.ClientRecords):
    @classmethod
    def make_kea(cls):
        return Kea(lease_database=SERVER.new_database("kea_records"))


class PgSetAndDelete(test_client_lifecycle.SetAndDelete):
    @classmethod
    def make_kea(cls):
        return Kea(lease_database=SERVER.new_database("kea_lifecycle"))


class PgEnumeration(test_client_lifecycle.Enumeration):
    PER_SUBNET = 300

    @classmethod
    def make_kea(cls, subnets):
        return Kea(subnets=subnets, lease_database=SERVER.new_database("kea_enum"))


class PgSharedLeaseDatabasePair(shared_lease_pair.SharedLeaseDatabasePair):
    @classmethod
    def make_database(cls):
        return SERVER.new_database("kea_shared")


class PgHostBackendDown(KeaTestCase):
    """Host reservations in a PostgreSQL that stops under a running Kea: a
    reservation lookup that fails is no "no reservation". Create, set and
    delete refuse with ERROR_DHCP_JET_ERROR naming the lookup, and nothing
    changes. (A server of its own: this class stops it.)"""

    @classmethod
    def setUpClass(cls):
        cls.pg = pg_server.PgServer().start()
        hosts = cls.pg.new_database("kea_hosts")
        # Kea keeps serving while it reconnects (the default gives up and exits).
        hosts.update({"on-fail": "serve-retry-continue", "max-reconnect-tries": 1000,
                      "reconnect-wait-time": 200})
        cls.kea = cls.track(Kea(extra={"hosts-database": hosts})).start()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.pg.stop()

    def reconnected(self):
        with open(self.kea.path("kea.log")) as log:
            return log.read().count("DHCP4_DB_RECONNECT_SUCCEEDED")

    def refused_while_down(self, command, arguments):
        """Kea throws on the first query over the lost connection (and, while
        it reconnects, answers from no host backend): so one command per stop."""
        self.pg.pause()
        answer = self.kea.cmd(command, arguments)
        recovered = self.reconnected()
        self.pg.resume()
        deadline = time.time() + 20
        while self.reconnected() == recovered and time.time() < deadline:
            time.sleep(0.1)
        self.assertWin(answer, 20013, 1, "reservation lookup failed: ")

    def test_create_set_and_delete_refuse_when_the_host_backend_fails(self):
        kea = self.kea
        self.assertWin(kea.cmd("win-client-info-vq-create",
                               record("192.0.2.10", "00:11:22:33:44:55", **{"client-name": "a"})),
                       0)
        before = kea.leases()
        self.refused_while_down("win-client-info-vq-create",
                                record("192.0.2.11", "00:11:22:33:44:56"))
        self.refused_while_down("win-client-info-vq-set",
                                record("192.0.2.10", "00:11:22:33:44:57", **{"client-name": "b"}))
        self.refused_while_down("win-client-info-delete", {"client-ip-address": "192.0.2.10"})
        self.assertEqual(kea.leases(), before)
        self.assertTrue(kea.alive())


if __name__ == "__main__":
    unittest.main()

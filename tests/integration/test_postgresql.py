"""The client-record integration tests again, with Kea's leases in a real
PostgreSQL the test starts itself: the Windows fields live in the lease's
user_context column and survive restarts there too."""
import unittest

import pg_server
import test_client_lifecycle
import test_client_records
from kea_harness import Kea

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


if __name__ == "__main__":
    unittest.main()

"""The client-record integration tests again, with Kea's leases in a real
MariaDB (Kea's MySQL lease backend) the test starts itself, and a failover
pair on one MariaDB lease database (shared_lease_pair)."""
import unittest

import mariadb_server
import shared_lease_pair
import test_client_lifecycle
import test_client_records
from kea_harness import Kea

SERVER = None


def setUpModule():
    global SERVER
    if not mariadb_server.available():
        raise unittest.SkipTest("mariadb-server or kea-admin is not installed "
                                "(scripts/install-deps.sh installs them)")
    SERVER = mariadb_server.MariaDbServer().start()


def tearDownModule():
    if SERVER:
        SERVER.stop()


class MariaDbClientRecords(test_client_records.ClientRecords):
    @classmethod
    def make_kea(cls):
        return Kea(lease_database=SERVER.new_database("kea_records"))


class MariaDbSetAndDelete(test_client_lifecycle.SetAndDelete):
    @classmethod
    def make_kea(cls):
        return Kea(lease_database=SERVER.new_database("kea_lifecycle"))


class MariaDbEnumeration(test_client_lifecycle.Enumeration):
    PER_SUBNET = 300

    @classmethod
    def make_kea(cls, subnets):
        return Kea(subnets=subnets, lease_database=SERVER.new_database("kea_enum"))


class MariaDbSharedLeaseDatabasePair(shared_lease_pair.SharedLeaseDatabasePair):
    @classmethod
    def make_database(cls):
        return SERVER.new_database("kea_shared")


if __name__ == "__main__":
    unittest.main()

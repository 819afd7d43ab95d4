"""Several failover relationships on one real kea-dhcp4 (a hub with two
spokes that are not running): on Kea 2.6+ each becomes its own hot-standby
HA relationship, the hook names each subnet's relationship in memory (the
configuration file never changes), and Kea reloads and runs them; on 2.2 the second is refused with the Windows limit's code."""
import time

from kea_harness import KEA_VERSION, Kea, KeaTestCase

SUBNETS = [{"id": 1, "subnet": "192.0.2.0/24"},
           {"id": 2, "subnet": "198.51.100.0/24"}]


def relationship(name, spoke, scope):
    return {"relationship-name": name, "primary-server": "127.0.0.1",
            "primary-server-name": "hub", "secondary-server": spoke,
            "secondary-server-name": "spoke-" + name, "mode": "hot-standby",
            "server-type": "primary", "scopes": [scope], "safe-period": 0,
            "primary-url": "http://127.0.0.1:9/", "secondary-url": "http://%s:9/" % spoke}


class SeveralRelationships(KeaTestCase):

    @classmethod
    def setUpClass(cls):
        cls.kea = cls.track(Kea(subnets=SUBNETS))
        cls.kea.hook_params["state-directory"] = cls.kea.dir
        cls.kea.start()
        with open(cls.kea.config_path, "rb") as f:
            cls.operator_file = f.read()

    def reloaded(self, expected_relationships):
        """Waits until Kea runs that many HA relationships (0: no HA hook)."""
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.kea.alive():
                status = self.kea.cmd("status-get")["arguments"]
                running = len(status.get("high-availability", []))
                if running == expected_relationships:
                    return status
            time.sleep(0.3)
        self.fail("Kea does not run %d HA relationships:\n%s" %
                  (expected_relationships, self.kea.log_tail()))

    def subnet_names(self):
        dhcp4 = self.kea.cmd("config-get")["arguments"]["Dhcp4"]
        return {s["subnet"]: s.get("user-context", {}).get("ha-server-name")
                for s in dhcp4["subnet4"]}

    def test_relationships_scopes_and_the_release_limit(self):
        north = relationship("north", "127.0.0.2", "192.0.2.0")
        south = relationship("south", "127.0.0.3", "198.51.100.0")
        self.assertWin(self.kea.cmd("win-failover-relationship-create", north), 0, 0)
        self.reloaded(1)
        answer = self.kea.cmd("win-failover-relationship-create", south)
        if KEA_VERSION < (2, 6):
            self.assertWin(answer, 20128, 1, "Kea 2.2 runs one HA relationship")
            return
        self.assertWin(answer, 0, 0)
        self.assertEqual(answer["arguments"]["kea-effect"]["kea-release"],
                         "%d.%d" % KEA_VERSION)
        self.reloaded(2)
        # Named in the configuration Kea runs, in memory: the file is as it was.
        self.assertEqual(self.subnet_names(), {"192.0.2.0/24": "hub@north",
                                               "198.51.100.0/24": "hub@south"})
        with open(self.kea.config_path, "rb") as f:
            self.assertEqual(f.read(), self.operator_file)
        # A reload from the file (config-reload) names them again.
        self.assertEqual(self.kea.cmd("config-reload")["result"], 0)
        self.reloaded(2)
        self.assertEqual(self.subnet_names(), {"192.0.2.0/24": "hub@north",
                                               "198.51.100.0/24": "hub@south"})
        # Each relationship answers with its own state and the Windows names.
        for name in ("north", "south"):
            got = self.kea.cmd("win-failover-relationship-get", {"relationship-name": name})
            self.assertWin(got, 0, 0)
            rel = got["arguments"]["relationship"]
            self.assertEqual(rel["primary-server-name"], "hub")
            self.assertNotEqual(rel["kea-state"], "not-running", got)
        # A scope left in no relationship would be dropped by Kea: refused.
        self.assertWin(self.kea.cmd("win-failover-scope-delete", {
            "relationship-name": "south", "scopes": ["198.51.100.0"]}), 20116, 1,
            "in no failover relationship")
        self.assertWin(self.kea.cmd("win-failover-relationship-set", {
            "relationship-name": "north", "flags": ["state"], "state": "partner-down"}),
            20134, 1)
        # Back to one relationship: it covers every subnet again.
        self.assertWin(self.kea.cmd("win-failover-relationship-delete",
                                    {"relationship-name": "south"}), 0, 0)
        self.reloaded(1)
        self.assertEqual(self.subnet_names(), {"192.0.2.0/24": None, "198.51.100.0/24": None})
        self.assertWin(self.kea.cmd("win-failover-relationship-get",
                                    {"relationship-name": "south"}), 20115, 3)


if __name__ == "__main__":
    import unittest
    unittest.main()

"""win-client-info-v4-set / -vq-set / -delete and win-subnet-clients-*-enum
against a real kea-dhcp4."""
import ipaddress
import socket
import subprocess
import unittest

from kea_harness import SCHEMA, Kea, KeaTestCase, OneKeaTestCase, free_port, record


class SetAndDelete(OneKeaTestCase):

    def create(self, args):
        self.assertWin(self.kea.cmd("win-client-info-vq-create", args), 0, 0)

    def test_set_restart_get(self):
        self.create(record("192.0.2.30", "00:11:22:33:66:30", **{
            "client-name": "Old-Name", "client-comment": "old", "address-state": 49}))
        # Another hook's key in the same user-context must survive every set.
        lease = self.kea.cmd("lease4-get", {"ip-address": "192.0.2.30"})["arguments"]
        lease["user-context"]["billing"] = {"account": 42}
        del lease["cltt"], lease["fqdn-fwd"], lease["fqdn-rev"]
        self.assertEqual(self.kea.cmd("lease4-update", lease)["result"], 0)

        v4 = record("192.0.2.30", "00-11-22-33-66-99", **{
            "client-name": "New-Name", "client-lease-expires": "2031-05-01T12:00:00Z"})
        SCHEMA.validate("win-client-info-v4-set.request.json", v4)
        self.assertWin(self.kea.cmd("win-client-info-v4-set", v4), 0, 0)
        vq = record("192.0.2.30", "00-11-22-33-66-99", **{
            "address-state": "declined", "quarantine-status": "restricted-access"})
        SCHEMA.validate("win-client-info-vq-set.request.json", vq)
        self.assertWin(self.kea.cmd("win-client-info-vq-set", vq), 0, 0)

        def check():
            client = self.kea.cmd("win-client-info-vq-get",
                                  {"client-ip-address": "192.0.2.30"})["arguments"]["client"]
            self.assertEqual(client["client-hardware-address"], "00:11:22:33:66:99")
            self.assertEqual(client["client-name"], "New-Name")
            self.assertEqual(client["client-comment"], "old")  # absent: kept
            self.assertEqual(client["client-lease-expires"], "2031-05-01T12:00:00Z")
            self.assertEqual(client["address-state"], "declined")
            self.assertEqual(client["address-state-flags"], [])
            self.assertEqual(client["quarantine-status"], "restricted-access")
            lease = self.kea.cmd("lease4-get", {"ip-address": "192.0.2.30"})["arguments"]
            self.assertEqual(lease["state"], 1)
            self.assertEqual(lease["user-context"]["billing"], {"account": 42})

        check()
        self.kea.restart()
        check()
        # The old owner's hardware address no longer finds it; the new one does.
        self.assertWin(self.kea.cmd("win-client-info-v4-get",
                                    {"client-hardware-address": "00:11:22:33:66:30"}), 20013, 3)
        self.assertWin(self.kea.cmd("win-client-info-v4-get",
                                    {"client-hardware-address": "00:11:22:33:66:99"}), 0, 0)

    def test_set_errors(self):
        self.assertWin(self.kea.cmd("win-client-info-v4-set",
                                    record("192.0.2.31", "00:11:22:33:66:31")), 20013, 3)
        self.create(record("192.0.2.32", "00:11:22:33:66:32"))
        self.assertWin(self.kea.cmd("win-client-info-v4-set",
                                    {"client-ip-address": "192.0.2.32"}), 87, 1)
        self.assertWin(self.kea.cmd("win-client-info-v4-set", record(
            "192.0.2.32", "00:11:22:33:66:32", **{"address-state": "active"})), 87, 1)
        self.assertWin(self.kea.cmd("win-client-info-vq-set", record(
            "192.0.2.32", "00:11:22:33:66:32", **{"subnet-mask": "255.255.255.128"})), 87, 1)

    def test_delete_and_reserved(self):
        self.create(record("192.0.2.40", "00:11:22:33:66:40", **{"client-name": "gone"}))
        assigned = self.kea.stat("subnet[1].assigned-addresses")
        self.assertWin(self.kea.cmd("win-client-info-delete", {"client-name": "GONE"}), 0, 0)
        self.assertEqual(self.kea.cmd("lease4-get", {"ip-address": "192.0.2.40"})["result"], 3)
        self.assertEqual(self.kea.stat("subnet[1].assigned-addresses"), assigned - 1)
        self.assertWin(self.kea.cmd("win-client-info-delete",
                                    {"client-ip-address": "192.0.2.40"}), 20013, 3)
        # 192.0.2.50 is reserved to aa:bb:cc:dd:ee:ff in the harness config.
        self.create(record("192.0.2.50", "aa:bb:cc:dd:ee:ff"))
        self.assertWin(self.kea.cmd("win-client-info-delete",
                                    {"client-ip-address": "192.0.2.50"}), 20019, 1)
        self.assertEqual(self.kea.cmd("lease4-get", {"ip-address": "192.0.2.50"})["result"], 0)


class DeleteFreesTheAddress(KeaTestCase):
    """A one-address pool: held by a record, then deleted, then leased by DHCP."""

    def test_a_dhcp_client_gets_the_freed_address(self):
        port = free_port(socket.SOCK_DGRAM)
        kea = self.track(Kea(
            subnets=[{"id": 1, "subnet": "192.0.2.0/24",
                      "pools": [{"pool": "192.0.2.10-192.0.2.10"}],
                      "relay": {"ip-addresses": ["127.0.0.1"]}}],
            dhcp_port=port,
            extra={"interfaces-config": {"interfaces": ["lo"], "dhcp-socket-type": "udp"}}))
        kea.start()
        self.assertWin(kea.cmd("win-client-info-vq-create",
                               record("192.0.2.10", "02:99:00:00:00:01")), 0, 0)
        argv = ["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(port), "-r", "10", "-R", "1",
                "-p", "2", "-W", "500000", "127.0.0.1"]
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=60).stdout.decode(errors="replace")
        # A client asked while the record held the address, and got none.
        self.assertTrue("ALLOC_ENGINE_V4_ALLOC_FAIL " in kea.log_tail(lines=100000), out)
        self.assertEqual(kea.cmd("lease4-get", {"ip-address": "192.0.2.10"})["arguments"]
                         ["hw-address"], "02:99:00:00:00:01")
        self.assertWin(kea.cmd("win-client-info-delete", {"client-ip-address": "192.0.2.10"}),
                       0, 0)
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=60).stdout.decode(errors="replace")
        lease = kea.cmd("lease4-get", {"ip-address": "192.0.2.10"})
        self.assertEqual(lease["result"], 0, out)
        self.assertNotEqual(lease["arguments"]["hw-address"], "02:99:00:00:00:01")
        self.assertRegex(kea.log_tail(lines=100000),
                         r"DHCP4_LEASE_ALLOC.* lease 192\.0\.2\.10 ")


class Enumeration(KeaTestCase):
    """A few thousand records across two subnets: each returned exactly once."""

    SUBNETS = ["198.18.0.0/20", "198.19.0.0/20"]
    PER_SUBNET = 1500

    @classmethod
    def make_kea(cls, subnets):
        return Kea(subnets=subnets)

    @classmethod
    def setUpClass(cls):
        cls.kea = cls.track(cls.make_kea([
            {"id": i + 1, "subnet": s} for i, s in enumerate(cls.SUBNETS)])).start()
        cls.expected = {}
        for net in cls.SUBNETS:
            hosts = list(ipaddress.ip_network(net).hosts())[::2][:cls.PER_SUBNET]
            clients = []
            for n, ip in enumerate(hosts):
                mac = "02:%02x:%02x:%02x:00:01" % (int(ip) >> 16 & 0xFF, int(ip) >> 8 & 0xFF,
                                                   int(ip) & 0xFF)
                clients.append(record(str(ip), mac, **{"client-name": "h%d" % n}))
                cls.expected[str(ip)] = mac
            for start in range(0, len(clients), 500):  # max-records-per-request
                part = clients[start:start + 500]
                answer = cls.kea.cmd("win-client-info-vq-create", {"clients": part})
                assert answer["arguments"]["created"] == len(part), answer["text"]

    def walk(self, command, subnet, page):
        seen, handle, pages = [], 0, 0
        while True:
            args = {"subnet-address": subnet, "resume-handle": handle, "preferred-maximum": page}
            SCHEMA.validate(command + ".request.json", args)
            answer = self.kea.cmd(command, args)
            code = answer["arguments"]["error-code"]
            self.assertIn(code, (0, 234), answer["text"])
            self.assertEqual(answer["result"], 0)
            clients = answer["arguments"]["clients"]
            self.assertEqual(answer["arguments"]["clients-read"], len(clients))
            seen += [(c["client-ip-address"], c["client-hardware-address"]) for c in clients]
            pages += 1
            if code == 0:
                self.assertEqual(answer["arguments"]["resume-handle"], 0)
                return seen, pages
            self.assertEqual(len(clients), page)
            self.assertEqual(answer["arguments"]["clients-total"], 0x7FFFFFFF)
            handle = answer["arguments"]["resume-handle"]
            self.assertEqual(handle, clients[-1]["client-ip-address"])

    def check(self, seen, subset):
        ips = [ip for ip, _ in seen]
        self.assertEqual(len(ips), len(set(ips)), "a record was returned twice")
        self.assertEqual(ips, sorted(ips, key=lambda a: int(ipaddress.ip_address(a))))
        self.assertEqual(dict(seen), {ip: m for ip, m in self.expected.items() if ip in subset})

    def test_every_subnet_v4(self):
        seen, pages = self.walk("win-subnet-clients-v4-enum", "0.0.0.0", 333)
        self.check(seen, self.expected)
        self.assertEqual(pages, -(-len(self.expected) // 333))

    def test_each_subnet_vq(self):
        for net in self.SUBNETS:
            network = ipaddress.ip_network(net)
            seen, _ = self.walk("win-subnet-clients-vq-enum", str(network.network_address), 250)
            self.check(seen, {ip for ip in self.expected if ipaddress.ip_address(ip) in network})

    def test_ends_and_errors(self):
        self.assertWin(self.kea.cmd("win-subnet-clients-v4-enum", {
            "subnet-address": "198.18.0.0", "resume-handle": "198.18.0.2"}), 20013, 1)
        self.assertWin(self.kea.cmd("win-subnet-clients-v4-enum", {
            "subnet-address": "203.0.113.0"}), 20005, 1)
        last = max((ip for ip in self.expected if ip.startswith("198.19.")),
                   key=lambda a: int(ipaddress.ip_address(a)))
        self.assertWin(self.kea.cmd("win-subnet-clients-v4-enum", {
            "subnet-address": "198.19.0.0", "resume-handle": last}), 259, 3)


class EmptyServer(KeaTestCase):

    def test_nothing_at_all_is_no_more_items(self):
        kea = self.track(Kea()).start()
        answer = kea.cmd("win-subnet-clients-vq-enum", {"subnet-address": "0.0.0.0"})
        self.assertWin(answer, 259, 3)
        self.assertEqual(answer["arguments"]["error-name"], "ERROR_NO_MORE_ITEMS")


if __name__ == "__main__":
    unittest.main()

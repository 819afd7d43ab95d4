"""Kea multi-threading on, perfdhcp driving DHCP traffic, and several control
clients creating overlapping addresses in parallel: every address has exactly
one owner, statistics equal the lease count, and no address created by a
command is ever allocated to another client."""
import json
import random
import re
import socket
import subprocess
import threading
import time
import unittest

from kea_harness import Kea, KeaTestCase, control_socket_call, free_port

POOL = ["192.0.2.%d" % i for i in range(10, 210)]
CREATORS = 4
PACE = 0.015  # seconds between one creator's requests: ~270 creates/s in all


class ConcurrentWithTraffic(KeaTestCase):

    def test_overlapping_creates_during_dhcp_traffic(self):
        port = free_port(socket.SOCK_DGRAM)
        kea = self.track(Kea(
            subnets=[{"id": 1, "subnet": "192.0.2.0/24",
                      "pools": [{"pool": "%s-%s" % (POOL[0], POOL[-1])}],
                      "relay": {"ip-addresses": ["127.0.0.1"]}}],
            dhcp_port=port, multi_threading=True,
            extra={"interfaces-config": {"interfaces": ["lo"], "dhcp-socket-type": "udp"}}))
        kea.start()
        self.assertIn("enabled: yes", kea.log_tail(lines=200))
        perfdhcp = subprocess.Popen(
            ["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(port), "-r", "150", "-R", "300",
             "-p", "6", "-W", "500000", "127.0.0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        created = {}
        lock = threading.Lock()

        def creator(k):
            # Each creator walks the whole pool in its own shuffled order at a
            # steady pace, while perfdhcp's clients take it from its start.
            order = list(POOL)
            random.Random(k).shuffle(order)
            time.sleep(0.3)
            for ip in order:
                time.sleep(PACE)
                mac = "02:c0:00:%02x:%02x:%02x" % (k, int(ip.split(".")[2]),
                                                   int(ip.split(".")[3]))
                message = {"command": "win-client-info-vq-create", "arguments": {
                    "client-ip-address": ip, "client-hardware-address": mac}}
                answer = json.loads(control_socket_call(kea.socket,
                                                        json.dumps(message).encode()))
                code = answer["arguments"]["error-code"]
                assert code in (0, 20014, 20013), answer
                if code == 0:
                    with lock:
                        assert ip not in created, "two successful creates of " + ip
                        created[ip] = mac

        threads = [threading.Thread(target=creator, args=(k,)) for k in range(CREATORS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out = perfdhcp.communicate(timeout=120)[0].decode(errors="replace")
        self.assertRegex(out, r"received packets: [1-9]")

        leases = kea.leases()
        addresses = [l["ip-address"] for l in leases]
        self.assertEqual(len(addresses), len(set(addresses)), "duplicate leases")
        by_ip = {l["ip-address"]: l for l in leases}
        for ip, mac in created.items():
            self.assertEqual(by_ip[ip]["hw-address"], mac, ip)
        dhcp = [ip for ip in by_ip if ip not in created]
        self.assertTrue(created, "no create succeeded")
        self.assertTrue(dhcp, "no DHCP client got an address")
        self.assertEqual(kea.stat("subnet[1].assigned-addresses"),
                         len([l for l in leases if l["state"] != 2]))
        log = kea.log_tail(lines=1000000)
        for ip in created:
            self.assertNotRegex(log, r"DHCP4_LEASE_ALLOC.* lease %s " % re.escape(ip))
        self.assertTrue(kea.alive())


if __name__ == "__main__":
    unittest.main()

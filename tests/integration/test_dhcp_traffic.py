"""Real DHCP traffic from perfdhcp on loopback: an address created with
win-client-info-vq-create is never given to a client with another MAC, while
the rest of the pool is handed out."""
import re
import socket
import subprocess
import unittest

from kea_harness import Kea, KeaTestCase, free_port

POOL = ["192.0.2.%d" % i for i in range(10, 30)]
CREATED = POOL[:5]


class DhcpTraffic(KeaTestCase):

    @classmethod
    def setUpClass(cls):
        cls.port = free_port(socket.SOCK_DGRAM)
        cls.kea = cls.track(Kea.serving_dhcp(cls.port, POOL[0], POOL[-1])).start()

    def perfdhcp(self, clients, seconds):
        argv = ["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(self.port), "-r", "40",
                "-R", str(clients), "-p", str(seconds), "-W", "500000", "127.0.0.1"]
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=seconds + 30)
        return done.stdout.decode(errors="replace")

    def test_created_addresses_are_never_offered_to_others(self):
        ours = {}
        for i, ip in enumerate(CREATED):
            mac = "02:77:00:00:00:%02x" % i
            answer = self.kea.cmd("win-client-info-vq-create",
                                  {"client-ip-address": ip, "client-hardware-address": mac})
            self.assertWin(answer, 0, 0)
            ours[ip] = mac
        output = self.perfdhcp(clients=60, seconds=4)
        received = re.search(r"received packets: (\d+)", output)
        self.assertTrue(received and int(received.group(1)) > 0, output)

        leases = {l["ip-address"]: l for l in self.kea.leases()}
        for ip, mac in ours.items():
            self.assertEqual(leases[ip]["hw-address"], mac, "created address taken over")
        handed_out = [ip for ip in POOL if ip not in ours and ip in leases]
        # Every other pool address went to a perfdhcp client, none of ours did.
        self.assertEqual(sorted(handed_out), sorted(set(POOL) - set(ours)), output)
        for ip in handed_out:
            self.assertNotIn(leases[ip]["hw-address"], ours.values())
        log = self.kea.log_tail(lines=100000)
        for ip in handed_out:
            self.assertRegex(log, r"DHCP4_LEASE_ALLOC.* lease %s " % re.escape(ip))
        for ip in ours:
            self.assertNotRegex(log, r"DHCP4_LEASE_(ADVERT|ALLOC).* lease %s " % re.escape(ip))


if __name__ == "__main__":
    unittest.main()

"""Identifiers as Windows stores them, proven with real DHCP: perfdhcp clients
that send option 61 as ff + IAID + DUID (RFC 4361: Linux, netplan,
systemd-networkd) or 01 + MAC (Windows). A record created with the Windows
form of a client's identifier is offered to exactly that client and to no
client with another identifier; a lease Kea hands such a client reads back in
the Windows form and is found by it."""
import re
import socket
import subprocess

from kea_harness import Kea, KeaTestCase, free_port

POOL = ["192.0.2.%d" % i for i in range(10, 20)]
# IAID 9f6e8524 + DUID-EN: the systemd-networkd id of the real Windows export.
NETWORKD = "9f6e852400020000ab11e9de6e20ee6529ba"
OTHER = "0000000100030001525400123456"  # IAID 1 + DUID-LL of 52:54:00:12:34:56
WINDOWS_MAC = "00155d0a0b0c"


def colons(hexstring):
    return ":".join(hexstring[i:i + 2] for i in range(0, len(hexstring), 2))


# perfdhcp always adds its own option 61 (01 + MAC) to the packets it builds,
# and refuses "-o 61,...": the clients here send packets from templates
# (-T), which carry the option 61 under test and nothing perfdhcp adds.
HEADER_LEN = 236                 # BOOTP header, before the magic cookie
MAC_OFFSET = 28                  # chaddr
SERVER_ID, REQUESTED_IP = 54, 50


def template(message_type, mac, option61, placeholders=()):
    """A DHCPv4 packet as hex: relayed through 127.0.0.1 (giaddr), with the
    given option 61 and placeholders (6 bytes each) perfdhcp fills in;
    returns (hex, {option: offset})."""
    header = bytearray(HEADER_LEN)
    header[0:4] = bytes([1, 1, 6, 0])                   # BOOTREQUEST, Ethernet
    header[24:28] = bytes([127, 0, 0, 1])               # giaddr
    header[MAC_OFFSET:MAC_OFFSET + 6] = bytes.fromhex(mac)
    packet = header + bytes.fromhex("63825363")
    packet += bytes([53, 1, message_type])
    client_id = bytes.fromhex(option61)
    packet += bytes([61, len(client_id)]) + client_id
    offsets = {}
    for code in placeholders:
        offsets[code] = len(packet)
        packet += bytes([code, 4, 0, 0, 0, 0])
    packet += bytes([255])
    return packet.hex(), offsets


class DhcpIdentifiers(KeaTestCase):

    def setUp(self):
        self.port = free_port(socket.SOCK_DGRAM)
        self.kea = self.track(Kea.serving_dhcp(self.port, POOL[0], POOL[-1])).start()

    def tearDown(self):
        self.kea.cleanup()
        self.processes.remove(self.kea)

    def client(self, mac, option61, exchanges=1):
        """One perfdhcp client (one MAC) doing DORA exchanges with option 61."""
        discover, _ = template(1, mac, option61)
        request, offsets = template(3, mac, option61, (SERVER_ID, REQUESTED_IP))
        files = []
        for name, text in (("discover.hex", discover), ("request.hex", request)):
            files.append(self.kea.path(name))
            with open(files[-1], "w") as f:
                f.write(text)
        last_mac_octet = str(MAC_OFFSET + 5)
        argv = ["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(self.port), "-r", "10",
                "-R", "1", "-b", "mac=" + colons(mac), "-T", files[0], "-T", files[1],
                "-X", "4", "-X", "4", "-O", last_mac_octet, "-O", last_mac_octet,
                "-E", "8", "-S", str(offsets[SERVER_ID]), "-I", str(offsets[REQUESTED_IP]),
                "-n", str(exchanges), "-W", "500000", "127.0.0.1"]
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=60)
        return done.stdout.decode(errors="replace")

    def lease_of(self, client_id):
        for lease in self.kea.leases():
            if lease.get("client-id", "").replace(":", "") == client_id:
                return lease
        return None

    def bound(self, mac, option61, exchanges=1):
        """The lease a client's DORA left (the one with the client's chaddr)
        and perfdhcp's output. On a loaded machine perfdhcp may stop waiting
        for an OFFER before it comes and never send its REQUEST: the client
        tries again, as a real one would."""
        for _ in range(5):
            output = self.client(mac, option61, exchanges)
            lease = self.lease_of(option61)
            if lease and lease.get("hw-address"):
                return lease, output
        return lease, output

    def windows_form(self, ip):
        answer = self.kea.cmd("win-client-info-vq-get", {"client-ip-address": ip})
        self.assertWin(answer, 0, 0)
        return answer["arguments"]["client"]["client-hardware-address"]

    def test_rfc4361_client_gets_the_address_created_for_its_windows_form(self):
        created = POOL[5]
        self.assertWin(self.kea.cmd("win-client-info-vq-create", {
            "client-ip-address": created, "client-hardware-address": colons(NETWORKD)}), 0, 0)
        # Another RFC 4361 client first: it must not get the created address.
        other, output = self.bound("525400123456", "ff" + OTHER, exchanges=3)
        self.assertIsNotNone(other, output)
        self.assertNotEqual(other["ip-address"], created)
        # Its lease reads back in the Windows form and is found by it.
        self.assertEqual(self.windows_form(other["ip-address"]), colons(OTHER))
        found = self.kea.cmd("win-client-info-vq-get",
                             {"client-hardware-address": colons(OTHER)})
        self.assertEqual(found["arguments"]["client"]["client-ip-address"], other["ip-address"])
        # The client the record was made for gets exactly that address.
        mine, output = self.bound("525400aa0001", "ff" + NETWORKD)
        self.assertIsNotNone(mine, output)
        self.assertEqual(mine["ip-address"], created, output)
        self.assertEqual(mine["hw-address"], "52:54:00:aa:00:01")  # chaddr as sent
        self.assertRegex(self.kea.log_tail(lines=100000),
                         r"DHCP4_LEASE_ALLOC.* lease %s " % re.escape(created))
        self.assertEqual(self.windows_form(created), colons(NETWORKD))

    def test_windows_client_gets_the_address_created_for_its_mac(self):
        created = POOL[6]
        self.assertWin(self.kea.cmd("win-client-info-vq-create", {
            "client-ip-address": created, "client-hardware-address": colons(WINDOWS_MAC)}), 0, 0)
        other, output = self.bound("00155d0a0b0d", "01" + "00155d0a0b0d", exchanges=3)
        self.assertIsNotNone(other, output)
        self.assertNotEqual(other["ip-address"], created)
        self.assertEqual(self.windows_form(other["ip-address"]), "00:15:5d:0a:0b:0d")
        mine, output = self.bound(WINDOWS_MAC, "01" + WINDOWS_MAC)
        self.assertIsNotNone(mine, output)
        self.assertEqual(mine["ip-address"], created, output)
        self.assertEqual(self.windows_form(created), colons(WINDOWS_MAC))


if __name__ == "__main__":
    import unittest
    unittest.main()

"""win-client-info-vq-create / -v4-get / -vq-get against a real kea-dhcp4."""
import json
import threading
import unittest

from kea_harness import SCHEMA, Kea, KeaTestCase, OneKeaTestCase, record
from worker_threads import run_concurrently

CREATE = "win-client-info-vq-create"


class ClientRecords(OneKeaTestCase):

    def create(self, args, code=0):
        if code == 0:
            SCHEMA.validate(CREATE + ".request.json", args)
        answer = self.kea.cmd(CREATE, args)
        self.assertWin(answer, code, 0 if code == 0 else 1)
        return answer

    def test_commands_are_listed(self):
        listed = self.kea.cmd("list-commands")["arguments"]
        for name in (CREATE, "win-client-info-v4-get", "win-client-info-vq-get"):
            self.assertIn(name, listed)

    def test_create_get_restart_get(self):
        self.create(record("192.0.2.10", "00-11-22-33-44-55", **{
            "client-name": "Desk-PC", "client-comment": "front desk",
            "client-lease-expires": "2030-01-01T00:00:00Z", "address-state": 57,
            "quarantine-status": "exempt"}))
        searches = [{"client-ip-address": "192.0.2.10"},
                    {"client-hardware-address": "001122334455"},
                    {"client-hardware-address": "00:02:00:c0:01:00:11:22:33:44:55"},
                    {"client-name": "desk-pc"},
                    {"search-type": "name", "client-name": "DESK-PC"}]

        def check_all():
            for search in searches:
                SCHEMA.validate("win-client-info-vq-get.request.json", search)
                answer = self.kea.cmd("win-client-info-vq-get", search)
                self.assertWin(answer, 0, 0)
                client = answer["arguments"]["client"]
                self.assertEqual(client["client-ip-address"], "192.0.2.10")
                self.assertEqual(client["client-hardware-address"], "00:11:22:33:44:55")
                self.assertEqual(client["client-name"], "Desk-PC")
                self.assertEqual(client["client-comment"], "front desk")
                self.assertEqual(client["client-lease-expires"], "2030-01-01T00:00:00Z")
                self.assertEqual(client["address-state"], "active")
                self.assertEqual(client["address-state-flags"],
                                 ["dhcid-with-client-id-option", "cleanup", "both-rec"])
                self.assertEqual(client["quarantine-status"], "exempt")
                self.assertEqual(client["owner-host"]["netbios-name"], "KEA-TEST")
                v4 = self.kea.cmd("win-client-info-v4-get", search)
                self.assertWin(v4, 0, 0)
                self.assertNotIn("address-state", v4["arguments"]["client"])
            lease = self.kea.cmd("lease4-get", {"ip-address": "192.0.2.10"})["arguments"]
            self.assertEqual(lease["hw-address"], "00:11:22:33:44:55")
            self.assertEqual(lease["hostname"], "desk-pc")
            self.assertEqual(lease["user-context"]["windows"]["client-comment"], "front desk")
            self.assertNotIn("ISC", lease["user-context"])

        check_all()
        self.kea.restart()
        check_all()

    def test_defaults_are_not_stored(self):
        # A record with nothing but defaults is a lease as lease4-add makes it;
        # a migrated owner is kept.
        self.create(record("192.0.2.14", "00:11:22:33:44:6a"))
        self.create(record("192.0.2.15", "00:11:22:33:44:6b", **{
            "owner-host": {"ip-address": "10.1.1.1", "netbios-name": "W2K19"}}))
        lease = self.kea.cmd("lease4-get", {"ip-address": "192.0.2.14"})["arguments"]
        self.assertNotIn("user-context", lease)
        lease = self.kea.cmd("lease4-get", {"ip-address": "192.0.2.15"})["arguments"]
        self.assertEqual(lease["user-context"],
                         {"windows": {"owner-host": {"ip-address": "10.1.1.1",
                                                     "netbios-name": "W2K19"}}})
        client = self.kea.cmd("win-client-info-vq-get",
                              {"client-ip-address": "192.0.2.14"})["arguments"]["client"]
        self.assertEqual(client["owner-host"],
                         {"ip-address": "192.0.2.1", "netbios-name": "KEA-TEST", "host-name": ""})
        self.assertEqual((client["client-type"], client["address-state"]), ("dhcp", "active"))

    def test_duplicate_is_client_exists(self):
        self.create(record("192.0.2.11", "00:11:22:33:44:66"))
        answer = self.create(record("192.0.2.11", "00:11:22:33:44:67"), 20014)
        self.assertEqual(answer["arguments"]["error-name"], "ERROR_DHCP_CLIENT_EXISTS")
        self.assertIn("00:11:22:33:44:66", answer["text"])
        # The same client twice in one subnet, and a lease made by lease4-add.
        self.create(record("192.0.2.12", "00:11:22:33:44:66"), 20014)
        self.assertEqual(self.kea.cmd("lease4-add", {
            "ip-address": "192.0.2.13", "hw-address": "0a:00:00:00:00:13"})["result"], 0)
        self.create(record("192.0.2.13", "00:11:22:33:44:68"), 20014)
        # A host reservation of the address for another client.
        self.create(record("192.0.2.50", "00:11:22:33:44:69"), 20014)

    def test_subnet_not_present(self):
        for ip in ("203.0.113.5", "192.0.2.0", "192.0.2.255", "198.51.100.255"):
            answer = self.create(record(ip, "00:11:22:33:44:70"), 20005)
            self.assertEqual(answer["arguments"]["error-name"], "ERROR_DHCP_SUBNET_NOT_PRESENT")

    def test_invalid_parameters(self):
        before = self.kea.leases()
        cases = [
            (record("192.0.2.20", "00:11:22:33:44:71", **{"subnet-mask": "255.255.0.0"}),
             "subnet-mask"),
            ({"client-ip-address": "192.0.2.20"}, "client-hardware-address"),
            (record("192.0.2.20", ""), "client-hardware-address"),
            (record("192.0.2.20", "00:11:22:33:44:71", **{"address-state": "offered"}),
             "offered"),
            (record("192.0.2.20", "00:11:22:33:44:71", **{"client-type": "laptop"}),
             "client-type"),
            (record("192.0.2.20", 42), "client-hardware-address must be a string"),
            ({"client-ip-address": ["192.0.2.20"], "client-hardware-address": "00:11"},
             "client-ip-address must be a string"),
            (record("192.0.2.20", "00:11:22:33:44:71", **{"client-lease-expires": 5}),
             "client-lease-expires"),
            ("not an object", "JSON object"),
        ]
        for args, field in cases:
            answer = self.kea.cmd(CREATE, args)
            self.assertWin(answer, 87, 1, field)
            self.assertEqual(answer["arguments"]["error-name"], "ERROR_INVALID_PARAMETER")
        self.assertEqual(self.kea.leases(), before)

    def test_malformed_json_leaves_server_alive_and_unchanged(self):
        before = self.kea.leases()
        for payload in (b'{"command": "win-client-info-vq-create", "arguments": {"client-ip',
                        b'{"command": "win-client-info-vq-create", "arguments": [1, 2]}',
                        b'{"command": "win-client-info-vq-get", "arguments": "x"}',
                        b'{"command": "win-client-info-vq-create", "arguments": '
                        b'{"client-ip-address": "192.0.2.21", "client-hardware-address": '
                        b'"00:11:22:33:44:72", "client-name": "a\\u0000b"}}',
                        b'\xff\xfe garbage'):
            # Every one answered with an error (the cut-off one by Kea, after
            # its 10 s wait for the rest), in JSON.
            raw = self.kea.raw(payload, timeout=15)
            try:
                answer = json.loads(raw)
            except ValueError as error:
                self.fail("%r: answer %r is not JSON: %s" % (payload, raw[:300], error))
            self.assertNotEqual(answer.get("result"), 0, payload)
            self.assertTrue(self.kea.alive(), payload)
        self.assertEqual(self.kea.leases(), before)

    def test_statistics_match_lease_cmds(self):
        assigned = self.kea.stat("subnet[2].assigned-addresses")
        declined = self.kea.stat("subnet[2].declined-addresses")
        total_declined = self.kea.stat("declined-addresses")
        self.create(record("198.51.100.10", "00:11:22:33:44:80"))
        self.create(record("198.51.100.11", "00:11:22:33:44:81", **{"address-state": "declined"}))
        self.create(record("198.51.100.12", "00:11:22:33:44:82", **{"address-state": "doom"}))
        # lease_cmds' own additions of the same three kinds, for comparison.
        for ip, state in (("198.51.100.20", 0), ("198.51.100.21", 1), ("198.51.100.22", 2)):
            self.assertEqual(self.kea.cmd("lease4-add", {
                "ip-address": ip, "hw-address": "0a:00:00:00:00:%02x" % state,
                "state": state})["result"], 0)
        self.assertEqual(self.kea.stat("subnet[2].assigned-addresses"), assigned + 4)
        self.assertEqual(self.kea.stat("subnet[2].declined-addresses"), declined + 2)
        self.assertEqual(self.kea.stat("declined-addresses"), total_declined + 2)
        lease = self.kea.cmd("lease4-get", {"ip-address": "198.51.100.10"})["arguments"]
        self.assertEqual(lease["valid-lft"], 7200)  # the subnet's own lifetime

    def test_every_statistic_moves_as_lease4_add_moves_it(self):
        # In a pool (Kea 2.6+ counts per pool too), active and declined.
        def all_stats():
            answer = self.kea.cmd("statistic-get-all")["arguments"]
            return {name: samples[0][0] for name, samples in answer.items()
                    if isinstance(samples[0][0], int)}

        # The lease statistics: not packets, nor the hook's own counts of its
        # answers (docs/statistics.md).
        def moved(before, after):
            return {k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)
                    if after.get(k, 0) != before.get(k, 0)
                    and not k.startswith(("pkt4", "win-cmds."))}

        for n, state in ((0, 0), (1, 1)):
            start = all_stats()
            self.create(record("192.0.2.%d" % (160 + n), "00:11:22:33:4a:%02x" % n,
                               **{"address-state": ["active", "declined"][state]}))
            ours = all_stats()
            self.assertEqual(self.kea.cmd("lease4-add", {
                "ip-address": "192.0.2.%d" % (170 + n), "hw-address": "0a:00:00:00:01:%02x" % n,
                "state": state})["result"], 0)
            theirs = all_stats()
            self.assertEqual(moved(start, ours), moved(ours, theirs))
            self.assertIn("subnet[1].assigned-addresses", moved(start, ours))

    def test_bulk_create(self):
        clients = [record("198.51.100.%d" % i, "00:11:22:33:45:%02x" % i) for i in range(30, 40)]
        clients.append(record("198.51.100.30", "00:11:22:33:45:ff"))  # duplicate address
        clients.append(record("203.0.113.1", "00:11:22:33:46:00"))    # no subnet
        answer = self.kea.cmd(CREATE, {"clients": clients})
        self.assertWin(answer, 20014, 1)
        args = answer["arguments"]
        self.assertEqual((args["created"], args["failed"]), (10, 2))
        codes = [item["error-code"] for item in args["clients"]]
        self.assertEqual(codes, [0] * 10 + [20014, 20005])
        answer = self.kea.cmd(CREATE, {"clients": [record("198.51.100.40", "00:11:22:33:46:01"),
                                                   record("198.51.100.41", "00:11:22:33:46:02")]})
        self.assertWin(answer, 0, 0)

    def test_client_identifiers_longer_than_a_mac(self):
        self.create(record("198.51.100.50", "01-00-11-22-33-44-99"))
        lease = self.kea.cmd("lease4-get", {"ip-address": "198.51.100.50"})["arguments"]
        self.assertEqual(lease["client-id"], "01:00:11:22:33:44:99")
        answer = self.kea.cmd("win-client-info-v4-get",
                              {"client-hardware-address": "01:00:11:22:33:44:99"})
        self.assertWin(answer, 0, 0)
        self.kea.restart()
        answer = self.kea.cmd("win-client-info-v4-get", {"client-ip-address": "198.51.100.50"})
        # The whole option 61 of a Windows client: Windows shows its MAC.
        self.assertEqual(answer["arguments"]["client"]["client-hardware-address"],
                         "00:11:22:33:44:99")

    def test_rfc4361_identifiers_are_stored_as_the_client_sends_them(self):
        iaid_duid = "00:00:00:07:00:01:00:01:27:9c:3c:b3:00:50:56:ae:61:ca"  # IAID + DUID-LLT
        self.create(record("198.51.100.51", iaid_duid))
        lease = self.kea.cmd("lease4-get", {"ip-address": "198.51.100.51"})["arguments"]
        self.assertEqual(lease["client-id"], "ff:" + iaid_duid)
        self.assertEqual(lease["hw-address"], "")
        self.kea.restart()
        for search in ({"client-ip-address": "198.51.100.51"},
                       {"client-hardware-address": iaid_duid},
                       {"client-hardware-address": "ff:" + iaid_duid}):
            answer = self.kea.cmd("win-client-info-vq-get", search)
            self.assertWin(answer, 0, 0)
            self.assertEqual(answer["arguments"]["client"]["client-hardware-address"], iaid_duid)

    def test_not_found(self):
        for search in ({"client-ip-address": "192.0.2.99"}, {"client-name": "nobody"},
                       {"client-hardware-address": "0e:0e:0e:0e:0e:0e"}):
            self.assertWin(self.kea.cmd("win-client-info-v4-get", search), 20013, 3)


def at_once(kea, ip, macs):
    """One create per MAC for the same address, sent at the same moment;
    the answers, in the order of macs."""
    barrier = threading.Barrier(len(macs))

    def one(mac):
        payload = json.dumps({"command": CREATE, "arguments": record(ip, mac)}).encode()
        barrier.wait(10)
        return json.loads(kea.raw(payload))

    return run_concurrently([lambda mac=mac: one(mac) for mac in macs], timeout=60)


class SimultaneousCreateRequests(KeaTestCase):
    """Two creates of one address sent at the same moment: exactly one
    succeeds, the other answers CLIENT_EXISTS naming the winner, and the lease
    is the winner's. Kea serves its control socket one command at a time on
    its main thread (multi-threaded or not), so the two creates run one after
    the other: this is the duplicate check as clients meet it, not a test of
    the address lock (a command racing a packet thread: test_concurrency)."""

    def test_one_winner(self):
        kea = self.track(Kea(multi_threading=True)).start()
        for n in range(20):
            ip = "192.0.2.%d" % (120 + n)
            macs = ["02:00:00:00:%02x:01" % n, "02:00:00:00:%02x:02" % n]
            answers = at_once(kea, ip, macs)
            codes = [a["arguments"]["error-code"] for a in answers]
            self.assertEqual(sorted(codes), [0, 20014], answers)
            winner, loser = (0, 1) if codes[0] == 0 else (1, 0)
            self.assertIn(macs[winner], answers[loser]["text"])
            owner = kea.cmd("lease4-get", {"ip-address": ip})["arguments"]["hw-address"]
            self.assertEqual(owner, macs[winner])


if __name__ == "__main__":
    unittest.main()

"""Windows failover relationships driving Kea HA on a real pair: two
kea-dhcp4, each with lease_cmds, this hook and its own kea-ctrl-agent, on
loopback. The HA hook itself is loaded by the relationship. The pair talks
https (certificates made by the test); one plain-http pair checks the
warning."""
import json
import re
import socket
import subprocess
import time
import unittest

from kea_harness import KEA_VERSION, SCHEMA, Agent, Kea, KeaTestCase, free_port
from tls_certs import TlsMaterial

SECRET = "pair-secret"
PEER_PASSWORD = "pair-endpoint-pw"  # the agents' password for the partner, not the secret
PEER_AUTH = {"basic-auth-user": "win-failover", "basic-auth-password": PEER_PASSWORD}
NAME = "dhcp-a-b"


class FailoverPair(KeaTestCase):

    @classmethod
    def setUpClass(cls):
        cls.dhcp_port = free_port(socket.SOCK_DGRAM)
        subnet = {"id": 1, "subnet": "192.0.2.0/24",
                  "pools": [{"pool": "192.0.2.10-192.0.2.200"}],
                  "relay": {"ip-addresses": ["127.0.0.1"]}}
        peer_user = [{"user": "win-failover", "password": PEER_PASSWORD}]
        cls.a = cls.track(Kea(subnets=[subnet], dhcp_port=cls.dhcp_port, extra={
            "interfaces-config": {"interfaces": ["lo"], "dhcp-socket-type": "udp"}}))
        cls.b = cls.track(Kea(subnets=[subnet]))
        cls.a.hook_params["state-directory"] = cls.a.dir
        cls.b.hook_params["state-directory"] = cls.b.dir
        cls.a.start()
        cls.b.start()
        cls.tls = TlsMaterial()
        cls.addClassCleanup(cls.tls.cleanup)
        cls.agent_a = cls.track(Agent(cls.a, more_clients=peer_user, tls=cls.tls)).start()
        cls.agent_b = cls.track(Agent(cls.b, more_clients=peer_user, tls=cls.tls)).start()

    def relationship(self, server_type):
        return dict({"relationship-name": NAME, "primary-server": "127.0.0.1",
                     "secondary-server": "127.0.0.2", "primary-server-name": "dhcp-a",
                     "secondary-server-name": "dhcp-b", "mode": "load-balance",
                     "server-type": server_type, "mclt": 3600, "safe-period": "disabled",
                     "scopes": ["192.0.2.0"], "percentage": 50, "shared-secret": SECRET,
                     "primary-url": self.agent_a.url(), "secondary-url": self.agent_b.url(),
                     "max-response-delay": 3000}, **dict(PEER_AUTH, **self.tls.relationship_fields()))

    def get(self, kea):
        answer = kea.cmd("win-failover-relationship-get", {"relationship-name": NAME})
        self.assertWin(answer, 0, 0)
        return answer["arguments"]["relationship"]

    def wait_for(self, kea, state, kea_states, timeout=90):
        deadline = time.time() + timeout
        rel = None
        while time.time() < deadline:
            try:
                rel = self.get(kea)
                if rel["state"] == state and rel["kea-state"] in kea_states:
                    return rel
            except (OSError, ValueError):
                pass  # reloading
            time.sleep(0.5)
        self.fail("never reached %s/%s: last %s\n%s" % (state, kea_states, rel,
                                                       kea.log_tail(lines=30)))

    def set(self, kea, flags, **fields):
        args = dict({"relationship-name": NAME, "flags": flags}, **fields)
        SCHEMA.validate("win-failover-relationship-set.request.json", args)
        answer = kea.cmd("win-failover-relationship-set", args)
        self.assertWin(answer, 0, 0)
        return answer

    def reconfigurations(self, kea):
        return len(re.findall("HA_SERVICE_STARTED", kea.log_tail(lines=100000)))

    def check_files(self):
        for kea in (self.a, self.b):
            with open(kea.path("win-failover-relationships.json")) as f:
                json.load(f)
            done = subprocess.run(["kea-dhcp4", "-t", kea.path("kea-dhcp4.conf")],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  env=kea.env(), timeout=60)
            self.assertEqual(done.returncode, 0, done.stdout.decode())

    def perfdhcp_leases(self, clients, base="02:42"):
        argv = ["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(self.dhcp_port), "-r", "40",
                "-R", str(clients), "-p", "3", "-W", "500000", "-b",
                "mac=%s:00:00:00:00" % base, "127.0.0.1"]
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=60).stdout.decode(errors="replace")
        macs = {l["hw-address"] for l in self.a.leases() if l["hw-address"].startswith(base)}
        return macs, out

    def check_failover_client_info(self):
        """DHCP traffic to the primary in load-balancing, and a record made by
        command: the failover ARRAY and the scope statistics agree with Kea."""
        macs, out = self.perfdhcp_leases(clients=40, base="02:43")
        self.assertTrue(macs, out)
        self.assertWin(self.a.cmd("win-client-info-vq-create", {
            "client-ip-address": "192.0.2.250", "client-hardware-address": "02:44:00:00:00:01"}),
            0, 0)
        leases = {l["ip-address"]: l for l in self.a.leases()}
        seen, handle = [], 0
        while True:
            args = {"subnet-address": "192.0.2.0", "resume-handle": handle,
                    "preferred-maximum": 7}
            SCHEMA.validate("win-failover-client-info-enum.request.json", args)
            page = self.a.cmd("win-failover-client-info-enum", args)["arguments"]
            self.assertEqual(page["num-elements"], len(page["clients"]))
            seen += page["clients"]
            if page["error-code"] != 234:
                break
            handle = page["resume-handle"]
        self.assertEqual(sorted(c["client-ip-address"] for c in seen), sorted(leases))
        for c in seen:
            lease = leases[c["client-ip-address"]]
            self.assertEqual(c["clt-last-trans-time"], lease["cltt"])
            self.assertEqual(c["start-time"], lease["cltt"])
            # Normal state: the partner acknowledged each update before the answer.
            self.assertEqual(c["ack-pot-exp-time"], lease["cltt"] + lease["valid-lft"])
            self.assertEqual(c["sent-pot-exp-time"], c["ack-pot-exp-time"])
        one = self.a.cmd("win-failover-client-info-get", {"client-ip-address": "192.0.2.250"})
        self.assertWin(one, 0, 0)
        stats = self.a.cmd("win-failover-scope-statistics-get", {"scope-id": "192.0.2.0"})
        self.assertWin(stats, 0, 0)
        s = stats["arguments"]
        pool = [ip for ip in leases if 10 <= int(ip.split(".")[3]) <= 200]
        self.assertEqual(s["num-addr"], 191)
        self.assertEqual(s["addr-in-use"], len(pool))
        self.assertEqual(s["addr-in-use"] + s["addr-free"], s["num-addr"])
        self.assertEqual(s["this-addr-in-use"] + s["partner-addr-in-use"], s["addr-in-use"])
        self.assertEqual(s["this-addr-free"] + s["partner-addr-free"], s["addr-free"])
        # The primary only ever answers its own half of the clients: every
        # lease it allocated is in its half by Kea HA's hash, and ours agrees.
        self.assertEqual(s["this-addr-in-use"], s["addr-in-use"])
        self.assertWin(self.a.cmd("win-failover-scope-statistics-get",
                                  {"scope-id": "198.51.100.0"}), 20116, 1)

    def test_relationship_lifecycle_on_a_real_pair(self):
        # Create on both: primary here, secondary there -> load-balancing.
        for kea, server_type in ((self.a, "primary"), (self.b, "secondary")):
            args = self.relationship(server_type)
            SCHEMA.validate("win-failover-relationship-create.request.json", args)
            answer = kea.cmd("win-failover-relationship-create", args)
            self.assertWin(answer, 0, 0)
            self.assertTrue(answer["arguments"]["reload-scheduled"])
            # What Kea cannot do of it: the MCLT is one (a list is never empty).
            warnings = "\n".join(answer["arguments"]["warnings"])
            self.assertIn("HA has no MCLT: mclt 3600 is stored only", warnings, answer)
            self.assertNotIn("unencrypted", warnings)
            rel = answer["arguments"]["relationship"]
            self.assertEqual((rel["trust-anchor"], rel["cert-file"], rel["key-file"],
                              rel["require-client-certs"]),
                             (self.tls.ca, self.tls.client_cert, self.tls.client_key, True))
        for kea in (self.a, self.b):
            rel = self.wait_for(kea, "normal", ["load-balancing"])
            self.assertEqual(rel["mode"], "load-balance")
        self.assertEqual(self.get(self.b)["server-type"], "secondary")
        self.check_failover_client_info()
        # A second relationship: Kea 2.2 runs one; 2.6+ several, but a scope
        # is in one relationship only (MS-DHCPM checks that first), and a
        # load-balance relationship stays alone.
        second = dict(self.relationship("primary"), **{"relationship-name": "another"})
        answer = self.a.cmd("win-failover-relationship-create", second)
        if KEA_VERSION < (2, 6):
            self.assertWin(answer, 20128, 1, "runs one HA relationship")
        else:
            self.assertWin(answer, 20113, 1, "already in failover relationship")

        # MODE -> hot-standby on both: both reload and reach hot-standby.
        for kea in (self.a, self.b):
            self.assertTrue(self.set(kea, ["mode"], mode="hot-standby")["arguments"]
                            ["reload-scheduled"])
        for kea in (self.a, self.b):
            self.wait_for(kea, "normal", ["hot-standby"])
        ha = [lib for lib in self.b.config_file()["Dhcp4"]["hooks-libraries"]
              if lib["library"].endswith("libdhcp_ha.so")][0]
        entry = ha["parameters"]["high-availability"][0]
        self.assertEqual([p["role"] for p in entry["peers"]], ["primary", "standby"])
        self.assertEqual([p["url"][:8] for p in entry["peers"]], ["https://"] * 2)
        self.assertEqual(entry["trust-anchor"], self.tls.ca)
        self.assertEqual(entry["cert-file"], self.tls.client_cert)

        # MCLT: stored and returned, no reload.
        before = (self.reconfigurations(self.a), json.dumps(self.a.config_file()))
        answer = self.set(self.a, 0x01, mclt=7200)
        self.assertFalse(answer["arguments"]["reload-scheduled"])
        time.sleep(1.5)
        self.assertEqual((self.reconfigurations(self.a), json.dumps(self.a.config_file())),
                         before)
        self.assertEqual(self.get(self.a)["mclt"], 7200)
        self.assertEqual(self.get(self.a)["kea-state"], "hot-standby")

        # Back to load-balance (a Kea hot-standby primary goes to partner-down
        # by itself as soon as it loses its partner, so the interruption shows
        # in load-balancing).
        for kea in (self.a, self.b):
            self.set(kea, 0x10, mode="load-balance")
        for kea in (self.a, self.b):
            self.wait_for(kea, "normal", ["load-balancing"])

        # Stop the secondary: the primary reports communication-interrupted.
        self.b.stop()
        self.wait_for(self.a, "communication-interrupted",
                      ["communication-recovery", "load-balancing"])

        # CHANGESTATE partner-down: the administrator's takeover; the primary
        # then serves every client.
        answer = self.set(self.a, ["state"], state="partner-down")
        self.assertIn("partner-down", answer["text"])
        self.wait_for(self.a, "partner-down", ["partner-down"])
        macs, out = self.perfdhcp_leases(clients=24)
        self.assertEqual(len(macs), 24, out)

        # Any other target state is not something Kea can do.
        self.assertWin(self.a.cmd("win-failover-relationship-set", {
            "relationship-name": NAME, "flags": 4, "state": "recover-wait"}), 20134, 1)

        # Start the secondary again, ask for normal: the pair returns to normal.
        self.b.restart()
        self.set(self.a, ["state"], state="normal")
        for kea in (self.a, self.b):
            self.wait_for(kea, "normal", ["load-balancing"])
        self.check_files()

        # The relationship survives a restart of the primary.
        self.a.restart()
        self.assertEqual(self.get(self.a)["mclt"], 7200)

        # Delete on both: HA leaves both configurations.
        for kea in (self.a, self.b):
            answer = kea.cmd("win-failover-relationship-delete", {"relationship-name": NAME})
            self.assertWin(answer, 0, 0)
            self.assertTrue(answer["arguments"]["reload-scheduled"])
        time.sleep(2)
        for kea in (self.a, self.b):
            libs = [lib["library"] for lib in kea.config_file()["Dhcp4"]["hooks-libraries"]]
            self.assertFalse([lib for lib in libs if lib.endswith("libdhcp_ha.so")], libs)
            self.assertWin(kea.cmd("win-failover-relationship-get", {"relationship-name": NAME}),
                           20115, 3)
            self.assertTrue(kea.alive())
        self.check_files()

    def test_a_wrong_trust_anchor_finds_the_partner_unreachable(self):
        """The partner's certificate does not chain to the relationship's
        trust anchor: configure-partner is refused at once, saying why, with
        nothing changed on either server; a relationship made with it anyway
        leaves Kea HA unable to reach the partner, and both servers serve on."""
        wrong = {"trust-anchor": self.tls.other_ca}
        started = time.time()
        answer = self.a.cmd("win-failover-relationship-create", dict(
            self.relationship("primary"), **wrong, **{"configure-partner": True}))
        self.assertLess(time.time() - started, 10)
        self.assertWin(answer, 20122, 1, "could not be configured: TLS handshake failed")
        for kea in (self.a, self.b):
            self.assertWin(kea.cmd("win-failover-relationship-get", {"relationship-name": NAME}),
                           20115, 3)
        self.assertWin(self.a.cmd("win-failover-relationship-create",
                                  dict(self.relationship("primary"), **wrong)), 0, 0)
        self.assertWin(self.b.cmd("win-failover-relationship-create",
                                  self.relationship("secondary")), 0, 0)
        deadline = time.time() + 60
        while "certificate verify failed" not in self.a.log_tail(lines=10 ** 5) and \
                time.time() < deadline:
            time.sleep(0.5)
        self.assertRegex(self.a.log_tail(lines=10 ** 5), "certificate verify failed")
        self.assertNotEqual(self.get(self.a)["state"], "normal")
        for kea in (self.a, self.b):
            self.assertTrue(kea.alive())
            self.assertWin(kea.cmd("win-failover-relationship-delete",
                                   {"relationship-name": NAME}), 0, 0)

    def test_safe_period_beyond_kea_timers_is_timed_by_the_hook(self):
        """safe-period 66 s (more than Kea's 65,535 ms can express): Kea only
        detects the silence; the hook takes over once it has lasted that long."""
        if not self.b.running():
            self.b.start(keep_config=True)
        for kea, server_type in ((self.a, "primary"), (self.b, "secondary")):
            args = dict(self.relationship(server_type), **{"safe-period": 66})
            self.assertWin(kea.cmd("win-failover-relationship-create", args), 0, 0)
        for kea in (self.a, self.b):
            self.wait_for(kea, "normal", ["load-balancing"])
        stopped = time.time()  # the partner goes silent as soon as its shutdown begins
        self.b.stop()
        self.wait_for(self.a, "communication-interrupted", ["communication-recovery"])
        # Still interrupted well inside the safe period...
        time.sleep(max(0.0, stopped + 45 - time.time()))
        self.assertEqual(self.get(self.a)["kea-state"], "communication-recovery")
        # ...and partner-down once it is over (the hook ticks every 5 s); never
        # before the safe period has passed since the partner went away.
        self.wait_for(self.a, "partner-down", ["partner-down"], timeout=75)
        self.assertGreaterEqual(time.time() - stopped, 66)
        self.assertRegex(self.a.log_tail(lines=100000), r"WIN_CMDS_SAFE_PERIOD_TAKEOVER .* 66 s")
        self.b.start(keep_config=True)
        for kea in (self.a, self.b):
            self.assertWin(kea.cmd("win-failover-relationship-delete",
                                   {"relationship-name": NAME}), 0, 0)


class PlainHttpPair(KeaTestCase):
    """Partners over plain http: Kea HA runs, and the answer and the log say
    the traffic is unencrypted."""

    @classmethod
    def setUpClass(cls):
        peer_user = [{"user": "win-failover", "password": PEER_PASSWORD}]
        cls.a, cls.b = cls.track(Kea()), cls.track(Kea())
        for kea in (cls.a, cls.b):
            kea.hook_params["state-directory"] = kea.dir
            kea.start()
        cls.agent_a = cls.track(Agent(cls.a, more_clients=peer_user)).start()
        cls.agent_b = cls.track(Agent(cls.b, more_clients=peer_user)).start()

    def test_http_works_and_warns(self):
        for kea, server_type in ((self.a, "primary"), (self.b, "secondary")):
            args = {"relationship-name": NAME, "primary-server": "127.0.0.1",
                    "secondary-server": "127.0.0.2", "server-type": server_type,
                    "mode": "hot-standby", "scopes": ["192.0.2.0"], "shared-secret": SECRET,
                    "primary-url": self.agent_a.url(), "secondary-url": self.agent_b.url()}
            args.update(PEER_AUTH)
            answer = kea.cmd("win-failover-relationship-create", args)
            self.assertWin(answer, 0, 0)
            self.assertIn("the partners' traffic is unencrypted",
                          "\n".join(answer["arguments"]["warnings"]))
            self.assertNotIn("trust-anchor", answer["arguments"]["relationship"])
            self.assertRegex(kea.log_tail(lines=10 ** 5),
                             r"WARN +\[kea-dhcp4\.win-cmds[^]]*\] "
                             r"WIN_CMDS_RELATIONSHIP_UNENCRYPTED .*'dhcp-a-b'")
        deadline, states = time.time() + 90, None
        while time.time() < deadline:
            try:
                states = [kea.cmd("win-failover-relationship-get", {"relationship-name": NAME})
                          ["arguments"]["relationship"]["kea-state"] for kea in (self.a, self.b)]
                if states == ["hot-standby"] * 2:
                    break
            except (OSError, ValueError, KeyError):
                pass  # reloading
            time.sleep(0.5)
        self.assertEqual(states, ["hot-standby"] * 2, self.a.log_tail(lines=30))


if __name__ == "__main__":
    unittest.main()

"""Kea 3.0's HTTP control socket inside kea-dhcp4: the win-* commands over REST
without kea-ctrl-agent, with basic auth. Earlier releases have no such socket
(the tests say so and skip)."""
import ssl
import unittest

from kea_harness import KEA_VERSION, SCHEMA, Kea, KeaTestCase, free_port, http_post
from tls_certs import TlsMaterial

USER, PASSWORD = "admin", "s3cret-pass"


@unittest.skipIf(KEA_VERSION < (3, 0), "kea-dhcp4 has an HTTP control socket from Kea 3.0")
class ThroughKeaDhcp4Http(KeaTestCase):

    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.kea = cls.track(Kea(http_socket={
            "port": cls.port, "clients": [{"user": USER, "password": PASSWORD}]})).start()

    def send(self, command, arguments, user=USER, password=PASSWORD):
        return http_post("127.0.0.1", self.port, {"command": command, "arguments": arguments},
                         user, password)

    def test_create_get_duplicate(self):
        args = {"client-ip-address": "192.0.2.70", "client-hardware-address": "00:11:22:33:55:70",
                "client-name": "via-http"}
        status, answers = self.send("win-client-info-vq-create", args)
        self.assertEqual(status, 200)
        self.assertIsInstance(answers, list)  # wrapped in a list, as by the agent
        SCHEMA.validate("win-client-info-vq-create.response.json", answers[0])
        self.assertWin(answers[0], 0, 0)
        status, answers = self.send("win-client-info-vq-get", {"client-name": "via-http"})
        SCHEMA.validate("win-client-info-vq-get.response.json", answers[0])
        self.assertEqual(answers[0]["arguments"]["client"]["client-ip-address"], "192.0.2.70")
        status, answers = self.send("win-client-info-vq-create",
                                    dict(args, **{"client-hardware-address": "00:11:22:33:55:71"}))
        self.assertWin(answers[0], 20014, 1)
        log = self.kea.log_tail(lines=1000)
        self.assertRegex(log, r"WIN_CMDS_CLIENT_CREATED win-client-info-vq-create from "
                              r"127\.0\.0\.1 over HTTP: .*192\.0\.2\.70")
        self.assertRegex(log, r"WARN +\[kea-dhcp4\.win-cmds[^]]*\] WIN_CMDS_CLIENT_CREATE_REFUSED "
                              r"win-client-info-vq-create from 127\.0\.0\.1 over HTTP .*"
                              r"\(ERROR_DHCP_CLIENT_EXISTS\)")

    def test_bad_or_missing_credentials_get_401_and_change_nothing(self):
        before = self.kea.leases()
        args = {"client-ip-address": "192.0.2.71", "client-hardware-address": "00:11:22:33:55:72"}
        for user, password in ((USER, "wrong"), ("intruder", PASSWORD), (False, None)):
            status, _ = self.send("win-client-info-vq-create", args, user, password)
            self.assertEqual(status, 401)
        self.assertEqual(self.kea.leases(), before)


@unittest.skipIf(KEA_VERSION < (3, 0), "kea-dhcp4 has an HTTP control socket from Kea 3.0")
class ThroughKeaDhcp4Https(KeaTestCase):
    """The same socket serving https with client certificates required
    (trust-anchor, cert-file, key-file, cert-required): what a failover
    partner reaches on Kea 3.0 without kea-ctrl-agent."""

    @classmethod
    def setUpClass(cls):
        cls.tls = TlsMaterial()
        cls.addClassCleanup(cls.tls.cleanup)
        cls.port = free_port()
        cls.kea = cls.track(Kea(http_socket={
            "port": cls.port, "clients": [{"user": USER, "password": PASSWORD}],
            "tls": cls.tls})).start()

    def test_https_with_a_client_certificate_only(self):
        message = {"command": "win-failover-system-time-get", "arguments": {}}
        status, answer = http_post("127.0.0.1", self.port, message, USER, PASSWORD,
                                   self.tls.client_context())
        self.assertEqual(status, 200)
        self.assertWin(answer[0] if isinstance(answer, list) else answer, 0, 0)
        with self.assertRaises((ssl.SSLError, ConnectionError)):
            http_post("127.0.0.1", self.port, message, USER, PASSWORD,
                      self.tls.client_context(with_cert=False))


if __name__ == "__main__":
    unittest.main()

"""The same commands through kea-ctrl-agent's REST API, with basic auth."""
import os
import re
import ssl
import stat
import subprocess
import unittest

from kea_harness import REPO, SCHEMA, Agent, Kea, KeaTestCase, http_post
from tls_certs import TlsMaterial


class ThroughTheAgent(KeaTestCase):

    @classmethod
    def setUpClass(cls):
        cls.kea = cls.track(Kea()).start()
        cls.agent = cls.track(Agent(cls.kea)).start()

    def send(self, command, arguments, **auth):
        return self.agent.post({"command": command, "service": ["dhcp4"],
                                "arguments": arguments}, **auth)

    def test_create_get_duplicate_with_good_credentials(self):
        args = {"client-ip-address": "192.0.2.60", "client-hardware-address": "00:11:22:33:55:60",
                "client-name": "via-agent"}
        status, answers = self.send("win-client-info-vq-create", args)
        self.assertEqual(status, 200)
        self.assertIsInstance(answers, list)  # the agent wraps answers in a list
        SCHEMA.validate("win-client-info-vq-create.response.json", answers[0])
        self.assertWin(answers[0], 0, 0)
        status, answers = self.send("win-client-info-vq-get", {"client-name": "via-agent"})
        self.assertWin(answers[0], 0, 0)
        SCHEMA.validate("win-client-info-vq-get.response.json", answers[0])
        self.assertEqual(answers[0]["arguments"]["client"]["client-ip-address"], "192.0.2.60")
        status, answers = self.send("win-client-info-vq-create",
                                    dict(args, **{"client-hardware-address": "00:11:22:33:55:61"}))
        self.assertWin(answers[0], 20014, 1)
        # The audit trail: the change by its ID, from where, with Kea's
        # timestamp; the refusal at WARN with its own ID and Windows code.
        log = self.kea.log_tail(lines=1000)
        self.assertRegex(log, r"INFO +\[kea-dhcp4\.win-cmds[^]]*\] WIN_CMDS_CLIENT_CREATED "
                              r"win-client-info-vq-create from 127\.0\.0\.1 over HTTP: .*"
                              r"192\.0\.2\.60")
        self.assertRegex(log, r"WARN +\[kea-dhcp4\.win-cmds[^]]*\] WIN_CMDS_CLIENT_CREATE_REFUSED "
                              r"win-client-info-vq-create from 127\.0\.0\.1 over HTTP .*"
                              r"\(ERROR_DHCP_CLIENT_EXISTS\)")

    def test_non_ascii_text_is_utf8_on_the_socket_and_escaped_bytes_via_the_agent(self):
        comment = "caf\u00e9 \u20ac"
        status, answers = self.send("win-client-info-vq-create", {
            "client-ip-address": "192.0.2.63", "client-hardware-address": "00:11:22:33:55:63",
            "client-comment": comment})
        self.assertWin(answers[0], 0, 0)
        on_socket = self.kea.cmd("win-client-info-vq-get", {"client-ip-address": "192.0.2.63"})
        self.assertEqual(on_socket["arguments"]["client"]["client-comment"], comment)
        # kea-ctrl-agent re-writes the answer the Kea 2.2 way: a \u00XX per byte.
        status, answers = self.send("win-client-info-vq-get", {"client-ip-address": "192.0.2.63"})
        relayed = answers[0]["arguments"]["client"]["client-comment"]
        self.assertEqual(relayed.encode("latin-1").decode("utf-8"), comment)

    def test_bad_or_missing_credentials_get_401_and_change_nothing(self):
        before = self.kea.leases()
        args = {"client-ip-address": "192.0.2.61", "client-hardware-address": "00:11:22:33:55:62"}
        for auth in ({"password": "wrong"}, {"user": "intruder"}, {"user": False}):
            status, body = self.send("win-client-info-vq-create", args, **auth)
            self.assertEqual(status, 401)
            self.assertEqual(body, {"result": 401, "text": "Unauthorized"})
        self.assertEqual(self.kea.leases(), before)
        self.assertWin(self.kea.cmd("win-client-info-v4-get", {"client-ip-address": "192.0.2.61"}),
                       20013, 3)


class ThroughTheAgentOverTls(KeaTestCase):
    """kea-ctrl-agent serving https (trust-anchor, cert-file, key-file,
    cert-required), as docs/failover.md's example and the failover partners run it."""

    @classmethod
    def setUpClass(cls):
        cls.tls = TlsMaterial()
        cls.addClassCleanup(cls.tls.cleanup)
        cls.kea = cls.track(Kea()).start()
        cls.agent = cls.track(Agent(cls.kea, tls=cls.tls)).start()

    def test_https_with_a_client_certificate_only(self):
        self.assertTrue(self.agent.url().startswith("https://"))
        status, answers = self.agent.post({"command": "win-failover-system-time-get",
                                           "service": ["dhcp4"]})
        self.assertEqual(status, 200)
        self.assertWin(answers[0], 0, 0)
        message = {"command": "version-get", "service": ["dhcp4"]}
        # No client certificate: the handshake fails (cert-required).
        with self.assertRaises((ssl.SSLError, ConnectionError)):
            http_post(self.agent.host, self.agent.port, message, self.agent.user,
                      self.agent.password, self.tls.client_context(with_cert=False))
        # Plain http to the https port gets no answer of the agent's.
        with self.assertRaises((OSError, ValueError)):
            http_post(self.agent.host, self.agent.port, message, self.agent.user,
                      self.agent.password)


class ControlSocketPermissions(KeaTestCase):

    def test_the_control_socket_is_owner_only(self):
        # Started with a permissive umask: the hook makes the socket 0600.
        kea = self.track(Kea())
        old = os.umask(0)
        try:
            kea.start()
        finally:
            os.umask(old)
        mode = stat.S_IMODE(os.stat(kea.socket).st_mode)
        self.assertEqual(mode & 0o077, 0, oct(mode))
        # Loaded: this build's version and the Kea it was built for.
        with open(os.path.join(REPO, "CMakeLists.txt")) as f:
            version = re.search(r"project\(\S+ VERSION (\S+)", f.read()).group(1)
        kea_release = subprocess.run(["kea-dhcp4", "-v"], stdout=subprocess.PIPE, check=True,
                                     universal_newlines=True).stdout.strip()
        self.assertRegex(kea.log_tail(lines=200),
                         r"INFO +\[kea-dhcp4\.win-cmds[^]]*\] WIN_CMDS_INIT_OK kea-win-cmds %s "
                         r"\(built for Kea %s\) loaded: \d+ commands registered"
                         % (re.escape(version), re.escape(kea_release)))

    def test_a_bare_socket_name_is_found_and_made_owner_only(self):
        # Kea 2.6+ puts a bare name in its socket directory (Kea 3.0 creates it
        # group-writable), 2.2 in the working directory: here the same place.
        kea = self.track(Kea(extra={"control-socket": {"socket-type": "unix",
                                                       "socket-name": "kwc4.sock"}}))
        kea.socket = kea.path("kwc4.sock")
        kea.start()
        mode = stat.S_IMODE(os.stat(kea.socket).st_mode)
        self.assertEqual(mode & 0o077, 0, oct(mode))
        self.assertNotIn("WIN_CMDS_CONTROL_SOCKET_NOT_RESTRICTED", kea.log_tail(lines=200))


if __name__ == "__main__":
    unittest.main()

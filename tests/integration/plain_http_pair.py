"""A failover pair as several suites make it: two kea-dhcp4 on loopback,
each with its kea-ctrl-agent over plain http (so a test can read or record
the link), in one relationship created on each partner - configure-partner
would carry the shared secret over plain http, which the hook refuses."""
import socket
import time

from kea_harness import (Agent, Kea, KeaTestCase, free_port, relationship_of,
                         wait_relationship_normal)

PEER_USER = "win-failover"


class PlainHttpPair(KeaTestCase):
    """Subclasses set RELATIONSHIP and SECRET and call start_pair from
    setUpClass."""

    RELATIONSHIP = None
    SECRET = None

    @classmethod
    def start_pair(cls, make_kea=None, **fields):
        """Starts cls.a and cls.b (make_kea() gives each an unstarted Kea; by
        default one serving DHCP on a port of its own, 192.0.2.10-200) and
        their agents, then creates the relationship (its fields beside the
        pair's own) on each, A the primary."""
        make_kea = make_kea or (lambda: Kea.serving_dhcp(free_port(socket.SOCK_DGRAM),
                                                         "192.0.2.10", "192.0.2.200"))
        peer_user = [{"user": PEER_USER, "password": cls.SECRET}]
        keas = []
        for name in ("a", "b"):
            kea = cls.track(make_kea())
            kea.hook_params["state-directory"] = kea.dir
            kea.hook_params["server-name"] = "dhcp-" + name
            # The suites run side by side, under sanitizers too, on 2 cores: a
            # command may wait longer for its partner than the default 200 ms
            # (a bound for DHCP clients, measured in bench/, not here).
            kea.hook_params["partner-wait-ms"] = 2000
            keas.append(kea.start())
        cls.a, cls.b = keas
        cls.agent_a = cls.track(Agent(cls.a, more_clients=peer_user)).start()
        cls.agent_b = cls.track(Agent(cls.b, more_clients=peer_user)).start()
        arguments = dict({
            "relationship-name": cls.RELATIONSHIP, "primary-server": "127.0.0.1",
            "secondary-server": "127.0.0.2", "primary-server-name": "dhcp-a",
            "secondary-server-name": "dhcp-b", "mode": "load-balance",
            "safe-period": "disabled", "shared-secret": cls.SECRET,
            "primary-url": cls.agent_a.url(), "secondary-url": cls.agent_b.url(),
            "max-response-delay": 6000, "basic-auth-user": PEER_USER,
            "basic-auth-password": cls.SECRET}, **fields)
        for kea, role in ((cls.a, "primary"), (cls.b, "secondary")):
            answer = kea.cmd("win-failover-relationship-create",
                             dict(arguments, **{"server-type": role}))
            if answer["arguments"]["error-code"] != 0:
                raise AssertionError("the relationship could not be made: %s" % answer)
        time.sleep(1.0)  # the reload the change scheduled

    @classmethod
    def get(cls, kea):
        return relationship_of(kea, cls.RELATIONSHIP)

    @classmethod
    def wait_normal_on(cls, kea):
        return wait_relationship_normal(kea, cls.RELATIONSHIP)

    def wait_normal(self):
        for kea in (self.a, self.b):
            self.wait_normal_on(kea)

    def wait_for(self, what, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if what():
                    return
            except (OSError, ValueError, KeyError):
                pass  # reloading
            time.sleep(0.5)
        try:
            state = self.get(self.a)
        except (OSError, ValueError, KeyError) as e:
            state = e
        self.fail("timed out waiting\nA: %s\n%s\nB:\n%s" % (
            state, self.a.log_tail(lines=40), self.b.log_tail(lines=40)))

"""kill -9 at the worst moments: right after a 10,000-record bulk create has
answered, and in the middle of failover state-file writes."""
import json
import random
import signal
import threading
import time
import unittest

from kea_harness import Kea, KeaTestCase, control_socket_call

N = 10000


class CrashDurability(KeaTestCase):

    def test_bulk_create_survives_kill_9(self):
        kea = self.track(Kea(subnets=[{"id": 1, "subnet": "198.18.0.0/18"}]))
        kea.hook_params["max-records-per-request"] = N  # one bulk of N, as an operator may allow
        kea.start()
        clients = []
        for n in range(N):
            ip = "198.18.%d.%d" % (n // 250, n % 250 + 1)
            clients.append({"client-ip-address": ip,
                            "client-hardware-address": "02:00:00:00:%02x:%02x" % (n >> 8, n & 0xFF),
                            "client-comment": "bulk %d" % n, "client-type": "both"})
        answer = kea.cmd("win-client-info-vq-create", {"clients": clients}, validate=False)
        self.assertEqual(answer["arguments"]["created"], N, answer["text"])
        kea.stop(signal.SIGKILL)
        kea.start(keep_config=True)
        seen, handle = {}, 0
        while True:
            page = kea.cmd("win-subnet-clients-vq-enum", {"resume-handle": handle,
                                                          "preferred-maximum": 5000},
                           validate=False)["arguments"]
            for c in page.get("clients", []):
                seen[c["client-ip-address"]] = c
            if page["error-code"] != 234:
                break
            handle = page["resume-handle"]
        self.assertEqual(len(seen), N)
        for n in (0, 1234, N - 1):
            c = seen[clients[n]["client-ip-address"]]
            self.assertEqual(c["client-comment"], "bulk %d" % n)
            self.assertEqual(c["client-type"], "both")
            self.assertEqual(c["client-hardware-address"], clients[n]["client-hardware-address"])

    def test_state_file_survives_kill_9_mid_write(self):
        kea = self.track(Kea())
        kea.hook_params["state-directory"] = kea.dir
        kea.start()
        rel = {"relationship-name": "crash", "primary-server": "127.0.0.1",
               "secondary-server": "127.0.0.2", "scopes": ["192.0.2.0"], "mclt": 1000,
               "primary-url": "http://127.0.0.1:9/", "secondary-url": "http://127.0.0.2:9/"}
        self.assertWin(kea.cmd("win-failover-relationship-create", rel), 0, 0)
        state = kea.path("win-failover-relationships.json")
        rng = random.Random(7)
        previous = 1000  # what the relationship holds before this round
        for round_ in range(12):
            # A stream of MCLT sets (each one rewrites the state file), and a
            # SIGKILL at a random moment among them.
            stop = threading.Event()
            first = 2000 + round_ * 1000
            sent, acked = [], []

            def hammer():
                mclt = first
                while not stop.is_set():
                    message = {"command": "win-failover-relationship-set", "arguments": {
                        "relationship-name": "crash", "flags": 1, "mclt": mclt}}
                    sent.append(mclt)
                    try:
                        answer = json.loads(control_socket_call(
                            kea.socket, json.dumps(message).encode(), 5))
                    except (OSError, ValueError):
                        return  # killed before it answered
                    if answer.get("arguments", {}).get("error-code") != 0:
                        raise AssertionError("set of mclt %d: %s" % (mclt, answer))
                    acked.append(mclt)
                    mclt += 1

            errors = []

            def guarded():
                try:
                    hammer()
                except BaseException as error:  # noqa: B902 - raised below
                    errors.append(error)

            thread = threading.Thread(target=guarded)
            thread.start()
            time.sleep(rng.uniform(0.05, 0.4))
            kea.stop(signal.SIGKILL)
            stop.set()
            thread.join(30)
            self.assertFalse(thread.is_alive())
            if errors:
                raise errors[0]
            # The last answered set (before any: what the round began with),
            # or the one in flight when Kea died.
            possible = {acked[-1] if acked else previous} | set(sent[len(acked):])
            with open(state) as f:
                stored = json.load(f)["relationships"]  # never torn
            self.assertEqual([r["relationship-name"] for r in stored], ["crash"])
            self.assertIn(stored[0]["mclt"], possible, "state file, round %d" % round_)
            kea.start(keep_config=True)
            got = kea.cmd("win-failover-relationship-get", {"relationship-name": "crash"})
            self.assertWin(got, 0, 0)
            self.assertEqual(got["arguments"]["relationship"]["mclt"], stored[0]["mclt"])
            previous = stored[0]["mclt"]


if __name__ == "__main__":
    unittest.main()

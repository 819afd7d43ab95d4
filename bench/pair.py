#!/usr/bin/env python3
"""Records on a failover pair against the same records on one server, in one
run: two kea-dhcp4 in a load-balancing relationship (each with its
kea-ctrl-agent, the partner's control endpoint), and a third kea-dhcp4 alone.

  single create   N win-client-info-vq-create on the pair's primary
                  vs N on the single server (the two take turns in blocks)
  bulk create     BULK records in one {"clients": [...]} on the primary vs
                  the same on the single server
  relay floor     N lease4-add sent to the secondary through its control
                  endpoint (the URL the primary replicates to), over one
                  keep-alive connection: the time from request to answer, and
                  the CPU time the endpoint's processes (kea-ctrl-agent and
                  kea-dhcp4, or kea-dhcp4 alone) spend per record. A pair
                  create waits for at least such a round trip on top of its
                  own create, so 1 + relay time / single create time is the
                  least cost ratio any replication through that endpoint can
                  reach (1 + relay CPU / single create time, where the
                  partner's work could overlap the rest).

--endpoint http-socket (Kea 3.0+) has the partners reach each other at
kea-dhcp4's own HTTP control socket instead of kea-ctrl-agent.

Each figure is the median of --reps repetitions. Prints a table and writes a
JSON result file.

    /usr/bin/python3 bench/pair.py [--n 2000] [--bulk 100000] [--reps 3]
                                   [--endpoint agent|http-socket] [--out FILE]
"""
import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from compare import BLOCK, addresses, mac, send, timed  # noqa: E402
from kea_harness import KEA_VERSION, Agent, Kea, basic_auth, free_port  # noqa: E402

SUBNET = "198.18.0.0/15"
SECRET = "bench-secret"
NAME = "bench-pair"


ENDPOINT = "agent"
PEER = [{"user": "win-failover", "password": SECRET}]


def new_kea(name, http_port=None):
    http = {"port": http_port, "clients": PEER} if http_port else None
    kea = Kea(subnets=[{"id": 1, "subnet": SUBNET}], http_socket=http,
              # The bulk case sends its records in one request, past the
              # default cap (500) and the default wait for the partner
              # (200 ms a command): the bench measures the work, not the bounds.
              hook_params={"server-name": name, "max-records-per-request": 1000000,
                           "partner-wait-ms": 10000},
              extra={"loggers": [{"name": "kea-dhcp4", "severity": "WARN",
                                  "output_options": [{"output": "stdout"}]}]})
    kea.hook_params["state-directory"] = kea.dir
    return kea.start()


class Pair:
    def __init__(self):
        if ENDPOINT == "http-socket":
            ports = [free_port(), free_port()]
            self.a, self.b = new_kea("bench-a", ports[0]), new_kea("bench-b", ports[1])
            self.agents = []
            urls = ["http://127.0.0.1:%d/" % port for port in ports]
        else:
            self.a, self.b = new_kea("bench-a"), new_kea("bench-b")
            self.agents = [Agent(self.a, more_clients=PEER).start(),
                           Agent(self.b, more_clients=PEER).start()]
            urls = [agent.url() for agent in self.agents]
        self.secondary_url = urls[1]
        arguments = {
            "relationship-name": NAME, "primary-server": "127.0.0.1",
            "secondary-server": "127.0.0.2", "primary-server-name": "bench-a",
            "secondary-server-name": "bench-b", "mode": "load-balance",
            "mclt": 3600, "safe-period": "disabled",
            "scopes": ["198.18.0.0"], "percentage": 50, "shared-secret": SECRET,
            "primary-url": urls[0], "secondary-url": urls[1],
            "basic-auth-user": PEER[0]["user"], "basic-auth-password": PEER[0]["password"],
            # Kea reads and parses the 100,000-record bulk for seconds before
            # the hook sees it, and runs no heartbeat meanwhile: with less,
            # HA may count the partner as interrupted by then, and the bulk
            # is queued instead of sent.
            "max-response-delay": 10000}
        # One create on each partner: configure-partner is refused over plain
        # http with a shared secret.
        for kea, role in ((self.a, "primary"), (self.b, "secondary")):
            answer = send(kea, "win-failover-relationship-create",
                          dict(arguments, **{"server-type": role}))
            assert answer["result"] == 0, answer
        for kea in (self.a, self.b):
            self.wait_normal(kea)

    @staticmethod
    def wait_normal(kea, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                rel = send(kea, "win-failover-relationship-get",
                           {"relationship-name": NAME})["arguments"]["relationship"]
                if rel["kea-state"] == "load-balancing":
                    return
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        raise RuntimeError("the pair never reached load-balancing")

    def cleanup(self):
        for p in self.agents + [self.b, self.a]:
            p.cleanup()


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def relay_floor(pair, ips):
    """(seconds per record from request to answer, CPU seconds per record of
    the secondary's control endpoint) for lease4-add sent through it (one
    keep-alive connection, the peer's basic auth, the agent's service list
    when there is an agent)."""
    url = urllib.parse.urlsplit(pair.secondary_url)
    pids = [pair.b.proc.pid] + [agent.proc.pid for agent in pair.agents[1:]]
    headers = {"Content-Type": "application/json",
               "Authorization": basic_auth(PEER[0]["user"], PEER[0]["password"])}
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)

    def add(ip):
        message = {"command": "lease4-add",
                   "arguments": {"ip-address": ip, "hw-address": mac(ip, 3)}}
        if pair.agents:
            message["service"] = ["dhcp4"]
        conn.request("POST", "/", json.dumps(message), headers)
        answer = json.loads(conn.getresponse().read())
        answer = answer[0] if isinstance(answer, list) else answer
        assert answer["result"] == 0, answer

    try:
        before = sum(cpu_seconds(pid) for pid in pids)
        wall = timed(lambda: [add(ip) for ip in ips]) / len(ips)
        return wall, (sum(cpu_seconds(pid) for pid in pids) - before) / len(ips)
    finally:
        conn.close()


def create(kea, ip):
    a = send(kea, "win-client-info-vq-create",
             {"client-ip-address": ip, "client-hardware-address": mac(ip, 2)})
    assert a["result"] == 0, a
    return a


def singles(n, rep):
    """(pair creates/s, single-server creates/s, relay (time, CPU) s per record)."""
    pair, alone = Pair(), new_kea("alone")
    try:
        ips = addresses("198.18.%d.1" % (rep * 64), n)
        totals = [0.0, 0.0]
        for turn, start in enumerate(range(0, n, BLOCK)):
            block = ips[start:start + BLOCK]
            for side in ((0, 1) if turn % 2 == 0 else (1, 0)):
                kea = pair.a if side == 0 else alone
                totals[side] += timed(lambda: [create(kea, ip) for ip in block])
        # Every record the primary made is on the secondary.
        on_b = pair.b.leases()
        assert len(on_b) == n, len(on_b)
        relay = relay_floor(pair, addresses("198.19.%d.1" % (rep * 64), n))
        return n / totals[0], n / totals[1], relay
    finally:
        alone.cleanup()
        pair.cleanup()


def bulk(count):
    ips = addresses("198.18.0.1", count)
    clients = [{"client-ip-address": ip, "client-hardware-address": mac(ip, 2)} for ip in ips]
    rates = {}
    alone = new_kea("alone")
    try:
        rates["single"] = count / timed(lambda: send(alone, "win-client-info-vq-create",
                                                     {"clients": clients}))
    finally:
        alone.cleanup()
    pair = Pair()
    try:
        answer = {}
        rates["pair"] = count / timed(lambda: answer.update(send(
            pair.a, "win-client-info-vq-create", {"clients": clients})))
        assert answer["arguments"]["created"] == count, answer["text"]
        assert answer["arguments"]["partner"]["replicated"], answer["arguments"]["partner"]
        assert len(pair.b.leases()) == count
    finally:
        pair.cleanup()
    return rates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--bulk", type=int, default=100000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--endpoint", choices=["agent", "http-socket"], default="agent")
    parser.add_argument("--out", default="bench-pair-results.json")
    args = parser.parse_args()
    global ENDPOINT
    ENDPOINT = args.endpoint
    single = [singles(args.n, rep) for rep in range(args.reps)]
    bulks = [bulk(args.bulk) for _ in range(args.reps)]
    pair_create = statistics.median(s[0] for s in single)
    alone_create = statistics.median(s[1] for s in single)
    relay_wall = statistics.median(s[2][0] for s in single)
    relay_cpu = statistics.median(s[2][1] for s in single)
    floor_ratio = 1 + relay_wall * alone_create
    cpu_floor_ratio = 1 + relay_cpu * alone_create
    pair_bulk = statistics.median(b["pair"] for b in bulks)
    alone_bulk = statistics.median(b["single"] for b in bulks)
    result = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "kea": "%d.%d" % KEA_VERSION[:2], "endpoint": args.endpoint, "n": args.n,
        "bulk": args.bulk, "reps": args.reps,
        "single_create_per_s": {"pair": pair_create, "single_server": alone_create},
        "relay_floor_ms_per_record": relay_wall * 1000,
        "relay_floor_cpu_ms_per_record": relay_cpu * 1000,
        "bulk_create_per_s": {"pair": pair_bulk, "single_server": alone_bulk},
        "ratios": {
            "pair create cost per record vs single server (<= 2.5)": alone_create / pair_create,
            "least reachable through this endpoint (1 + relay time / single create)":
                floor_ratio,
            "least if the partner's work overlapped (1 + relay CPU / single create)":
                cpu_floor_ratio,
            "pair bulk time vs single-server bulk time (<= 2)": alone_bulk / pair_bulk,
        },
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print("single create: pair %.0f/s, single server %.0f/s -> cost x%.2f" %
          (pair_create, alone_create, alone_create / pair_create))
    print("relay floor: %.3f ms per record through the secondary's endpoint -> at least x%.2f "
          "(%.3f ms CPU in it -> x%.2f)" %
          (relay_wall * 1000, floor_ratio, relay_cpu * 1000, cpu_floor_ratio))
    print("bulk of %d: pair %.0f/s, single server %.0f/s -> time x%.2f" %
          (args.bulk, pair_bulk, alone_bulk, alone_bulk / pair_bulk))


if __name__ == "__main__":
    main()

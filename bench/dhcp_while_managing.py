#!/usr/bin/env python3
"""What DHCP clients see while the server manages records: a DHCP client of
our own sends relayed DISCOVERs (giaddr 127.0.0.1) at --rate per second, each
from a new MAC, and times each DISCOVER to its OFFER (no capture: the send and
the receive are timed in this process), while

  one     --records records in one bulk win-client-info-vq-create on one
          server, a new bulk every --gap seconds
  pair    the same on the primary of a hot-standby pair (the partner is the
          secondary, reached through its kea-ctrl-agent)
  away    single creates one after another on the primary of that pair
          whose partner (its kea-dhcp4 and its agent) is stopped (SIGSTOP):
          its endpoint accepts and never answers, as a partner gone from the
          network between two heartbeats does
  quiet   no command at all (the floor)

each with Kea multi-threading off and on. A DISCOVER without an OFFER within
--lost-after seconds is lost. Prints a table and writes a JSON result file.

    /usr/bin/python3 bench/dhcp_while_managing.py [--records 500] [--seconds 20]
        [--rate 100] [--gap 0.5] [--cases quiet,one,pair,away] [--mt off,on]
        [--hook-params '{"max-records-per-request": 100000}'] [--out FILE]

Run as root it takes a network namespace of its own (the client binds
127.0.0.1:67, where relayed answers go).
"""
import argparse
import json
import os
import platform
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from compare import addresses, mac, send  # noqa: E402
from kea_harness import KEA_VERSION, Agent, Kea, free_port  # noqa: E402

SUBNET = "10.0.0.0/8"
POOL = "10.200.0.1-10.200.255.254"
SECRET = "bench-secret"
NAME = "bench-dhcp"
PEER = [{"user": "win-failover", "password": "bench-peer-pass"}]


def new_kea(name, mt, hook_params):
    port = free_port(socket.SOCK_DGRAM)
    kea = Kea(subnets=[{"id": 1, "subnet": SUBNET, "pools": [{"pool": POOL}],
                        "relay": {"ip-addresses": ["127.0.0.1"]}}],
              dhcp_port=port, multi_threading=mt,
              hook_params=dict({"server-name": name}, **hook_params),
              extra={"interfaces-config": {"interfaces": ["lo"], "dhcp-socket-type": "udp"},
                     "loggers": [{"name": "kea-dhcp4", "severity": "WARN",
                                  "output_options": [{"output": "stdout"}]}]})
    kea.hook_params["state-directory"] = kea.dir
    kea.start()
    return kea, port


def discover(chaddr, xid):
    header = bytearray(236)
    header[0:4] = bytes([1, 1, 6, 1])  # BOOTREQUEST, Ethernet, one relay hop
    header[4:8] = struct.pack("!I", xid)
    header[24:28] = bytes([127, 0, 0, 1])  # giaddr
    header[28:34] = chaddr
    return bytes(header) + bytes.fromhex("63825363") + bytes([53, 1, 1, 255])


class Client:
    """DISCOVERs at a steady rate to ports; the first OFFER of each is timed."""

    def __init__(self, ports, rate):
        self.ports, self.rate = ports, rate
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 67))
        self.sock.settimeout(0.2)
        self.sent, self.offered = {}, {}
        self.stopping = False
        self.receiver = threading.Thread(target=self.receive, daemon=True)
        self.receiver.start()

    def receive(self):
        while not self.stopping:
            try:
                data = self.sock.recv(2048)
            except socket.timeout:
                continue
            now = time.perf_counter()
            if len(data) < 240 or data[0] != 2:
                continue
            xid = struct.unpack("!I", data[4:8])[0]
            if b"\x35\x01\x02" in data[240:] and xid not in self.offered:
                self.offered[xid] = now

    def run(self, seconds, base):
        period = 1.0 / self.rate
        start = time.perf_counter()
        for n in range(int(seconds * self.rate)):
            at = start + n * period
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            xid = base + n
            packet = discover(struct.pack("!IH", 0x02d10000 | (xid >> 16), xid & 0xFFFF), xid)
            self.sent[xid] = time.perf_counter()
            for port in self.ports:
                self.sock.sendto(packet, ("127.0.0.1", port))

    def close(self):
        self.stopping = True
        self.receiver.join()
        self.sock.close()


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def summary(client, lost_after):
    delays = [(client.offered[x] - t) * 1000 for x, t in client.sent.items()
              if x in client.offered and client.offered[x] - t <= lost_after]
    lost = len(client.sent) - len(delays)
    return {"sent": len(client.sent), "lost": lost,
            "median_ms": statistics.median(delays) if delays else None,
            "p99_ms": percentile(delays, 99), "max_ms": max(delays) if delays else None,
            "over_250_ms": sum(1 for d in delays if d > 250)}


class Commands:
    """Runs a command loop in a thread while the client measures; keeps each
    command's time and code."""

    def __init__(self, fn, gap):
        self.fn, self.gap = fn, gap
        self.times, self.codes = [], []
        self.not_replicated = 0  # answered with the change queued or failed, not on both
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        n = 0
        while not self.stopping.is_set():
            start = time.perf_counter()
            answer = self.fn(n)
            self.times.append(time.perf_counter() - start)
            self.codes.append(answer.get("arguments", {}).get("error-code", answer["result"]))
            partner = answer.get("arguments", {}).get("partner")
            if partner is not None and not partner.get("replicated"):
                self.not_replicated += 1
            n += 1
            if self.gap:
                self.stopping.wait(self.gap)


def records(n, records_per, at):
    first = "10.%d.%d.1" % (1 + (n * records_per // 60000) % 190, (n * records_per // 250) % 240)
    ips = addresses(first, records_per)
    return {"clients": [{"client-ip-address": ip, "client-hardware-address": mac(ip, at)}
                        for ip in ips]}


def pair(mt, hook_params):
    a, port_a = new_kea("bench-a", mt, hook_params)
    b, _ = new_kea("bench-b", mt, hook_params)
    agents = [Agent(a, more_clients=PEER).start(), Agent(b, more_clients=PEER).start()]
    # One create on each partner: configure-partner is refused over plain
    # http (it would carry the secret).
    for kea, server_type in ((a, "primary"), (b, "secondary")):
        answer = send(kea, "win-failover-relationship-create", {
            "relationship-name": NAME, "primary-server": "127.0.0.1",
            "secondary-server": "127.0.0.2", "primary-server-name": "bench-a",
            "secondary-server-name": "bench-b", "mode": "hot-standby",
            "server-type": server_type, "mclt": 3600, "safe-period": "disabled",
            "scopes": ["10.0.0.0"], "percentage": 5, "shared-secret": SECRET,
            "primary-url": agents[0].url(), "secondary-url": agents[1].url(),
            "basic-auth-user": PEER[0]["user"], "basic-auth-password": PEER[0]["password"]})
        assert answer["result"] == 0, answer
    deadline = time.time() + 90
    while True:
        try:
            states = [send(k, "win-failover-relationship-get", {"relationship-name": NAME})
                      ["arguments"]["relationship"]["kea-state"] for k in (a, b)]
            if states == ["hot-standby", "hot-standby"]:
                break
        except (OSError, ValueError, KeyError):
            pass
        if time.time() > deadline:
            raise RuntimeError("the pair never reached hot-standby")
        time.sleep(0.5)
    return a, b, agents, port_a


def run_case(case, mt, args, base):
    procs = []
    try:
        if case in ("quiet", "one"):
            kea, port = new_kea("bench-one", mt, args.hook_params)
            procs = [kea]
        else:
            kea, b, agents, port = pair(mt, args.hook_params)
            procs = agents + [b, kea]
            if case == "away":
                for p in (agents[1], b):
                    os.kill(p.proc.pid, signal.SIGSTOP)
        if case in ("one", "pair"):
            fn = lambda n: send(kea, "win-client-info-vq-create", records(n, args.records, 2))
            gap = args.gap
        elif case == "away":
            fn = lambda n: send(kea, "win-client-info-vq-create", {
                "client-ip-address": "10.%d.%d.%d" % (1 + n // 62500, (n // 250) % 250,
                                                      1 + n % 250),
                "client-hardware-address": mac("10.0.%d.%d" % (n // 250, 1 + n % 250), 3)})
            gap = 0
        else:
            fn = None
        client = Client([port], args.rate)
        commands = Commands(fn, gap) if fn else None
        time.sleep(0.5)
        if commands:
            threading.Timer(args.first_command_after, commands.thread.start).start()
        client.run(args.seconds, base)
        if commands:
            commands.stopping.set()
            commands.thread.join(timeout=300)
        time.sleep(args.lost_after)
        client.close()
        result = summary(client, args.lost_after)
        if commands:
            result["commands"] = len(commands.times)
            result["command_median_ms"] = statistics.median(commands.times) * 1000
            result["command_max_ms"] = max(commands.times) * 1000
            result["command_codes"] = sorted(set(commands.codes))
            result["commands_not_replicated"] = commands.not_replicated
        if case == "away":
            for p in procs[1:3]:
                os.kill(p.proc.pid, signal.SIGCONT)
        return result
    finally:
        for p in procs:
            try:
                os.kill(p.proc.pid, signal.SIGCONT)
            except OSError:
                pass
            p.cleanup()


def fmt(v):
    return "-" if v is None else ("%.1f" % v if isinstance(v, float) else str(v))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--gap", type=float, default=0.5)
    parser.add_argument("--lost-after", type=float, default=3.0)
    parser.add_argument("--first-command-after", type=float, default=1.0)
    parser.add_argument("--cases", default="quiet,one,pair,away")
    parser.add_argument("--mt", default="off,on")
    parser.add_argument("--hook-params", type=json.loads, default={})
    parser.add_argument("--out")
    args = parser.parse_args()
    if os.geteuid() == 0 and not os.environ.get("BENCH_OWN_NETWORK"):
        os.environ["BENCH_OWN_NETWORK"] = "1"
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                              "integration", "own_network.sh")
        os.execv("/bin/sh", ["sh", script, sys.executable] + sys.argv)
    results = []
    base = 1
    for case in args.cases.split(","):
        for mt in args.mt.split(","):
            r = run_case(case, mt == "on", args, base)
            base += 1 << 20
            # Other work on the machine shows in the delays: the 1-minute
            # load average as the case ends (the machine's cores are "cpus").
            r.update(case=case, multi_threading=mt, load_average=round(os.getloadavg()[0], 2))
            results.append(r)
            print("%-6s MT %-3s sent %5d lost %4d  median %6s  p99 %7s  max %7s ms  >250ms %4d"
                  "  commands %s (median %s, max %s ms, codes %s)  load %.1f" % (
                      case, mt, r["sent"], r["lost"], fmt(r["median_ms"]), fmt(r["p99_ms"]),
                      fmt(r["max_ms"]), r["over_250_ms"], r.get("commands", "-"),
                      fmt(r.get("command_median_ms")), fmt(r.get("command_max_ms")),
                      r.get("command_codes", "-"), r["load_average"]), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"kea": ".".join(map(str, KEA_VERSION)), "machine": platform.node(),
                       "cpus": os.cpu_count(), "records": args.records, "rate": args.rate,
                       "seconds": args.seconds, "gap": args.gap,
                       "hook_params": args.hook_params, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The Windows commands against Kea's own lease_cmds, side by side, on the
same kea-dhcp4 (memfile, persist on) in one run:

  single create   N fresh-connection win-client-info-vq-create  vs  N lease4-add
  get by IP       N win-client-info-vq-get                      vs  N lease4-get
                  (the two sides take turns in blocks of 250 commands)
  bulk create     BULK records in one {"clients": [...]}        vs  BULK lease4-add,
                  and the same bytes sent to version-get (the control channel's floor);
                  and, to show where the time goes, the same bulk on a memfile
                  that writes no lease file (persist off)
  enumeration     BULK records page by page with win-subnet-clients-vq-enum
                  vs lease4-get-page (1000 per page)
  peak memory     kea-dhcp4's VmHWM after each bulk load (a fresh server each), and
                  after Kea merely parsed the same request (the floor)

Each figure is the median of --reps repetitions; ratios are computed within the
run. Prints a table and writes a JSON result file.

    /usr/bin/python3 bench/compare.py [--n 5000] [--bulk 100000] [--reps 3] [--out FILE]

on the machine's Kea; bench/run.sh --kea 2.2|2.6|3.0 runs it on any release.
"""
import argparse
import ipaddress
import json
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from kea_harness import KEA_VERSION, Kea  # noqa: E402

SUBNET = "198.18.0.0/15"  # RFC 2544 benchmarking range; no traffic is sent to it


def new_kea(persist=True):
    kea = Kea(subnets=[{"id": 1, "subnet": SUBNET}],
              extra={"loggers": [{"name": "kea-dhcp4", "severity": "WARN",
                                  "output_options": [{"output": "stdout"}]}]})
    if not persist:
        kea.lease_database = dict(kea.lease_database, persist=False)
    return kea.start()


def addresses(start, count):
    first = int(ipaddress.ip_address(start))
    return [str(ipaddress.ip_address(first + i)) for i in range(count)]


def mac(ip, prefix):
    b = ipaddress.ip_address(ip).packed
    return "%02x:%02x:%02x:%02x:%02x:%02x" % (prefix, 0, b[0] ^ b[1], b[1], b[2], b[3])


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def send(kea, command, arguments):
    payload = json.dumps({"command": command, "arguments": arguments}).encode()
    return json.loads(kea.raw(payload, timeout=600))


def peak_rss_mb(kea):
    with open("/proc/%d/status" % kea.proc.pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


BLOCK = 250  # commands per turn when the two sides take turns


def side_by_side(win_ips, kea_ips, win_one, kea_one):
    """Both sides' total seconds, taking turns in blocks (who goes first
    alternates), so that drift of the machine or of the lease table over the
    run falls on both alike."""
    totals = [0.0, 0.0]
    sides = [(win_ips, win_one), (kea_ips, kea_one)]
    for turn, start in enumerate(range(0, len(win_ips), BLOCK)):
        for index in ((0, 1) if turn % 2 == 0 else (1, 0)):
            ips, one = sides[index]
            block = ips[start:start + BLOCK]
            totals[index] += timed(lambda: [one(ip) for ip in block])
    return totals


def single_and_get(n, rep):
    kea = new_kea()
    try:
        win_ips = addresses("198.18.%d.1" % (rep * 64), n)
        kea_ips = addresses("198.19.%d.1" % (rep * 64), n)

        def win_create(ip):
            a = send(kea, "win-client-info-vq-create",
                     {"client-ip-address": ip, "client-hardware-address": mac(ip, 2)})
            assert a["result"] == 0, a

        def kea_add(ip):
            a = send(kea, "lease4-add", {"ip-address": ip, "hw-address": mac(ip, 6)})
            assert a["result"] == 0, a

        def win_get(ip):
            assert send(kea, "win-client-info-vq-get", {"client-ip-address": ip})["result"] == 0

        def kea_get(ip):
            assert send(kea, "lease4-get", {"ip-address": ip})["result"] == 0

        create = side_by_side(win_ips, kea_ips, win_create, kea_add)
        get = side_by_side(win_ips, kea_ips, win_get, kea_get)
        return {"create": (n / create[0], n / create[1]), "get": (n / get[0], n / get[1])}
    finally:
        kea.cleanup()


def bulk(count):
    ips = addresses("198.18.0.1", count)
    clients = [{"client-ip-address": ip, "client-hardware-address": mac(ip, 2)} for ip in ips]
    out = {}
    kea = new_kea()
    try:
        base = peak_rss_mb(kea)
        seconds = timed(lambda: send(kea, "version-get", {"clients": clients}))
        out["floor"] = count / seconds
        out["floor_peak_mb"] = peak_rss_mb(kea) - base
    finally:
        kea.cleanup()
    kea = new_kea()
    try:
        base = peak_rss_mb(kea)
        answer = {}
        seconds = timed(lambda: answer.update(send(kea, "win-client-info-vq-create",
                                                   {"clients": clients})))
        assert answer["arguments"]["created"] == count, answer["text"]
        out["win"] = count / seconds
        out["win_peak_mb"] = peak_rss_mb(kea) - base
        out["win_enum_s"], out["kea_page_s"] = enumerate_both(kea, count)
    finally:
        kea.cleanup()
    # Where the time goes: the same bulk with memfile keeping the leases in
    # memory only (the difference is the lease file's write, lease4-add's too).
    kea = new_kea(persist=False)
    try:
        answer = {}
        seconds = timed(lambda: answer.update(send(kea, "win-client-info-vq-create",
                                                   {"clients": clients})))
        assert answer["arguments"]["created"] == count, answer["text"]
        out["win_no_lease_file"] = count / seconds
    finally:
        kea.cleanup()
    kea = new_kea()
    try:
        base = peak_rss_mb(kea)

        def one_by_one():
            for ip in ips:
                a = send(kea, "lease4-add", {"ip-address": ip, "hw-address": mac(ip, 2)})
                assert a["result"] == 0, a

        out["kea"] = count / timed(one_by_one)
        out["kea_peak_mb"] = peak_rss_mb(kea) - base
    finally:
        kea.cleanup()
    return out


def enumerate_both(kea, count):
    def win():
        handle, seen = 0, 0
        while True:
            a = send(kea, "win-subnet-clients-vq-enum",
                     {"resume-handle": handle, "preferred-maximum": 1000})["arguments"]
            seen += len(a.get("clients", []))
            if a["error-code"] != 234:
                break
            handle = a["resume-handle"]
        assert seen == count, seen

    def page():
        start, seen = "start", 0
        while True:
            leases = send(kea, "lease4-get-page", {"from": start, "limit": 1000}).get(
                "arguments", {}).get("leases", [])
            seen += len(leases)
            if len(leases) < 1000:
                break
            start = leases[-1]["ip-address"]
        assert seen == count, seen

    return timed(win), timed(page)


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--bulk", type=int, default=100000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out", default="bench-results.json")
    opts = parser.parse_args()

    singles = [single_and_get(opts.n, rep) for rep in range(opts.reps)]
    bulks = [bulk(opts.bulk) for _ in range(opts.reps)]
    r = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "kea": "%d.%d" % KEA_VERSION,
        "n": opts.n, "bulk": opts.bulk, "reps": opts.reps,
        "single_create_per_s": {"win": median(s["create"][0] for s in singles),
                                "lease_cmds": median(s["create"][1] for s in singles)},
        "get_per_s": {"win": median(s["get"][0] for s in singles),
                      "lease_cmds": median(s["get"][1] for s in singles)},
        "bulk_create_per_s": {"win": median(b["win"] for b in bulks),
                              "lease4_add": median(b["kea"] for b in bulks),
                              "channel_floor": median(b["floor"] for b in bulks),
                              "win_without_lease_file": median(b["win_no_lease_file"]
                                                               for b in bulks)},
        "enumeration_s": {"win": median(b["win_enum_s"] for b in bulks),
                          "lease4_get_page": median(b["kea_page_s"] for b in bulks)},
        "peak_memory_mb": {"win_bulk": median(b["win_peak_mb"] for b in bulks),
                           "lease4_add": median(b["kea_peak_mb"] for b in bulks),
                           "channel_floor": median(b["floor_peak_mb"] for b in bulks)},
    }
    ratios = {
        "single_create (win/lease_cmds, >= 0.9)":
            r["single_create_per_s"]["win"] / r["single_create_per_s"]["lease_cmds"],
        "get (win/lease_cmds, >= 0.9)": r["get_per_s"]["win"] / r["get_per_s"]["lease_cmds"],
        "bulk vs lease4-add one by one (>= 3)":
            r["bulk_create_per_s"]["win"] / r["bulk_create_per_s"]["lease4_add"],
        "bulk time vs channel floor (<= 1.5)":
            r["bulk_create_per_s"]["channel_floor"] / r["bulk_create_per_s"]["win"],
        "bulk time vs channel floor, no lease file (diag.)":
            r["bulk_create_per_s"]["channel_floor"] /
            r["bulk_create_per_s"]["win_without_lease_file"],
        "enumeration time vs lease4-get-page (<= 1.2)":
            r["enumeration_s"]["win"] / r["enumeration_s"]["lease4_get_page"],
        "bulk peak memory vs lease4-add (<= 1.5)":
            r["peak_memory_mb"]["win_bulk"] / max(r["peak_memory_mb"]["lease4_add"], 1e-9),
    }
    r["ratios"] = ratios
    print("%-48s %14s %14s" % ("", "win_cmds", "lease_cmds"))
    print("%-48s %14.0f %14.0f" % ("single create, records/s", *r["single_create_per_s"].values()))
    print("%-48s %14.0f %14.0f" % ("get by IP, records/s", *r["get_per_s"].values()))
    print("%-48s %14.0f %14.0f   floor %.0f" % ("bulk create, records/s",
                                                r["bulk_create_per_s"]["win"],
                                                r["bulk_create_per_s"]["lease4_add"],
                                                r["bulk_create_per_s"]["channel_floor"]))
    print("%-48s %14.2f %14.2f" % ("enumeration of all, s", *r["enumeration_s"].values()))
    print("%-48s %14.1f %14.1f   floor %.1f" % ("kea-dhcp4 peak memory for the bulk load, MB",
                                                r["peak_memory_mb"]["win_bulk"],
                                                r["peak_memory_mb"]["lease4_add"],
                                                r["peak_memory_mb"]["channel_floor"]))
    for name, value in ratios.items():
        print("ratio %-52s %6.2f" % (name, value))
    with open(opts.out, "w") as f:
        json.dump(r, f, indent=2)
    print("written", opts.out)


if __name__ == "__main__":
    main()

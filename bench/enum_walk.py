#!/usr/bin/env python3
"""Walks N client records page by page with win-subnet-clients-vq-enum and
with Kea's own lease4-get-page on the same server, and prints the time of the
first, middle and last pages: a page must cost the same wherever it lies.

    /usr/bin/python3 bench/enum_walk.py [records] [page]
"""
import ipaddress
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from kea_harness import Kea  # noqa: E402


def walk_win(kea, page):
    times, handle, count = [], 0, 0
    while True:
        start = time.perf_counter()
        answer = kea.cmd("win-subnet-clients-vq-enum",
                         {"subnet-address": "0.0.0.0", "resume-handle": handle,
                          "preferred-maximum": page}, validate=False)
        times.append(time.perf_counter() - start)
        count += len(answer["arguments"].get("clients", []))
        if answer["arguments"]["error-code"] != 234:
            return times, count
        handle = answer["arguments"]["resume-handle"]


def walk_kea(kea, page):
    times, start_from, count = [], "start", 0
    while True:
        start = time.perf_counter()
        answer = kea.cmd("lease4-get-page", {"from": start_from, "limit": page})
        times.append(time.perf_counter() - start)
        leases = answer.get("arguments", {}).get("leases", [])
        count += len(leases)
        if len(leases) < page:
            return times, count
        start_from = leases[-1]["ip-address"]


def report(name, times, count):
    tenth = max(1, len(times) // 10)
    first = statistics.median(times[:tenth]) * 1000
    middle = statistics.median(times[len(times) // 2 - tenth // 2:][:tenth]) * 1000
    last = statistics.median(times[-tenth:]) * 1000
    print("%-28s %7d records %5d pages  total %7.2f s   median page: first %6.2f ms  "
          "middle %6.2f ms  last %6.2f ms" % (name, count, len(times), sum(times), first,
                                              middle, last))


def main():
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    page = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    kea = Kea(subnets=[{"id": 1, "subnet": "198.18.0.0/15"}],
              extra={"loggers": [{"name": "kea-dhcp4", "severity": "WARN"}]})
    try:
        kea.start()
        hosts = ipaddress.ip_network("198.18.0.0/15").hosts()
        batch = []
        for n in range(records):
            ip = next(hosts)
            batch.append({"client-ip-address": str(ip),
                          "client-hardware-address": "02:00:%02x:%02x:%02x:%02x" % tuple(
                              int(ip).to_bytes(4, "big"))})
            if len(batch) == 10000 or n == records - 1:
                answer = kea.cmd("win-client-info-vq-create", {"clients": batch}, validate=False)
                assert answer["result"] == 0, answer["text"]
                batch = []
        report("win-subnet-clients-vq-enum", *walk_win(kea, page))
        report("lease4-get-page", *walk_kea(kea, page))
    finally:
        kea.cleanup()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""kea-win-import on a synthetic Windows export of --leases leases in
--scopes scopes (default 100,000 in 200, each scope with options and
reservations, the leases alternating MAC and RFC 4361 identifiers):

  convert   wall time and peak memory (the process's max RSS) of the lease-file
            path, and the same for an export of a tenth of the leases (memory
            must not grow with them)
  apply     --apply of the export to a running kea-dhcp4 with the hook, against
            the same records sent directly as win-client-info-vq-create bulk
            requests of 1,000 (the hook's bulk create rate), each on a fresh server

Each figure is the median of --reps runs. Prints a table, writes JSON.

    /usr/bin/python3 bench/import.py [--leases 100000] [--scopes 200] [--reps 3] [--out FILE]
"""
import argparse
import ipaddress
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from kea_harness import KEA_VERSION, REPO, Kea  # noqa: E402

IMPORTER = os.environ.get("KEA_WIN_IMPORT", os.path.join(REPO, "build/import/kea-win-import"))
NOW = int(time.time())
EXPIRY = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(NOW + 3 * 86400))


def scope_network(i):
    return "10.%d.%d.0" % (i // 128, (i % 128) * 2)   # /23: 510 addresses each


def address(network, offset):
    return str(ipaddress.ip_address(network) + offset)


def client_id(i):
    if i % 2:
        return "00-15-5d-%02x-%02x-%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)
    return "%08x-0001-0001-279c3cb3-0050%08x" % (i, i)   # IAID + DUID-LLT (18 bytes)


def dashed(text):
    h = text.replace("-", "")
    return "-".join(h[k:k + 2] for k in range(0, len(h), 2))


def write_export(path, leases, scopes):
    per = leases // scopes
    with open(path, "w", newline="") as f:
        w = f.write
        w('<?xml version="1.0" encoding="utf-8"?>\r\n'
          '<DHCPServer xmlns="http://schemas.microsoft.com/windows/DHCPServer">\r\n'
          '  <MajorVersion xmlns="">10</MajorVersion>\r\n  <MinorVersion xmlns="">0</MinorVersion>\r\n'
          '  <IPv4 xmlns="">\r\n    <ConflictDetectionAttempts>0</ConflictDetectionAttempts>\r\n'
          '    <NapEnabled>false</NapEnabled>\r\n    <NpsUnreachableAction>Full</NpsUnreachableAction>\r\n'
          '    <Classes />\r\n    <Filters><Allow>false</Allow><Deny>false</Deny></Filters>\r\n'
          '    <Scopes>\r\n')
        n = 0
        for s in range(scopes):
            net = scope_network(s)
            a, b = net.split(".")[1:3]
            base = "10.%s.%s." % (a, b)
            hi = "10.%s.%d." % (a, int(b) + 1)
            w('      <Scope>\r\n        <ScopeId>%s</ScopeId>\r\n        <Name>scope %d</Name>\r\n'
              '        <SubnetMask>255.255.254.0</SubnetMask>\r\n        <StartRange>%s10</StartRange>\r\n'
              '        <EndRange>%s250</EndRange>\r\n        <LeaseDuration>8.00:00:00</LeaseDuration>\r\n'
              '        <State>Active</State>\r\n        <Type>Dhcp</Type>\r\n'
              '        <MaxBootpClients>4294967295</MaxBootpClients>\r\n        <NapEnable>false</NapEnable>\r\n'
              '        <ExclusionRanges><IPRange><StartRange>%s1</StartRange><EndRange>%s9</EndRange></IPRange></ExclusionRanges>\r\n'
              '        <OptionValues>\r\n'
              '          <OptionValue><OptionId>3</OptionId><Value>%s1</Value></OptionValue>\r\n'
              '          <OptionValue><OptionId>6</OptionId><Value>10.255.0.53</Value><Value>10.255.1.53</Value></OptionValue>\r\n'
              '          <OptionValue><OptionId>15</OptionId><Value>s%d.example.com</Value></OptionValue>\r\n'
              '        </OptionValues>\r\n        <Reservations>\r\n'
              % (net, s, base, hi, base, base, base, s))
            for r in range(5):
                w('          <Reservation><Name>printer%d.s%d.example.com</Name><IPAddress>%s%d</IPAddress>'
                  '<ClientId>02-00-00-%02x-%02x-%02x</ClientId><Type>Dhcp</Type><Description>floor %d</Description></Reservation>\r\n'
                  % (r, s, base, 2 + r, s >> 8, s & 255, r, r))
            w('        </Reservations>\r\n        <Leases>\r\n')
            for k in range(per):
                ip = address(net, 10 + k)
                cid = dashed(client_id(n))
                w('          <Lease>\r\n            <IPAddress>%s</IPAddress>\r\n            <ScopeId>%s</ScopeId>\r\n'
                  '            <ClientId>%s</ClientId>\r\n            <AddressState>Active</AddressState>\r\n'
                  '            <ClientType>Dhcp</ClientType>\r\n            <NapCapable>false</NapCapable>\r\n'
                  '            <DnsRR>A</DnsRR>\r\n            <DnsRegistration>Complete</DnsRegistration>\r\n'
                  '            <LeaseExpiryTime>%s</LeaseExpiryTime>\r\n            <NapStatus>FullAccess</NapStatus>\r\n'
                  '            <HostName>Host-%d.s%d.example.com</HostName>\r\n          </Lease>\r\n'
                  % (ip, net, cid, EXPIRY, n, s))
                n += 1
            w('        </Leases>\r\n      </Scope>\r\n')
        w('    </Scopes>\r\n  </IPv4>\r\n</DHCPServer>\r\n')
    return n


def run_measured(argv):
    """(seconds, peak RSS MB, stdout) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError("%s failed: %s" % (argv, err.decode(errors="replace")))
    return elapsed, usage.ru_maxrss / 1024.0, out.decode()


def served_kea(config):
    dhcp4 = config["Dhcp4"]
    keep = ("option-def", "option-data", "client-classes", "valid-lifetime",
            "host-reservation-identifiers", "match-client-id")
    return Kea(subnets=dhcp4["subnet4"],
               extra=dict({k: dhcp4[k] for k in keep if k in dhcp4},
                          loggers=[{"name": "kea-dhcp4", "severity": "WARN",
                                    "output_options": [{"output": "stdout"}]}])).start()


def records_of(leases, scopes):
    """What --apply sends for each lease, built here for the direct bulk."""
    per = leases // scopes
    n = 0
    for s in range(scopes):
        for k in range(per):
            ip = address(scope_network(s), 10 + k)
            yield {"client-ip-address": ip, "client-hardware-address": dashed(client_id(n)),
                   "client-name": "Host-%d.s%d.example.com" % (n, s),
                   "client-lease-expires": EXPIRY.replace(" ", "T"), "client-type": 1,
                   "address-state": "active", "quarantine-status": 0,
                   "quarantine-capable": False}
            n += 1


def direct_bulk(kea, leases, scopes):
    batch, created = [], 0

    def send():
        nonlocal created
        answer = kea.cmd("win-client-info-vq-create", {"clients": batch}, validate=False)
        created += answer["arguments"]["created"]
    start = time.perf_counter()
    for record in records_of(leases, scopes):
        batch.append(record)
        if len(batch) == 1000:
            send()
            batch = []
    if batch:
        send()
    return time.perf_counter() - start, created


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--leases", type=int, default=100000)
    parser.add_argument("--scopes", type=int, default=200)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="kwc-bench-import-")
    big = os.path.join(tmp, "export.xml")
    small = os.path.join(tmp, "export-tenth.xml")
    count = write_export(big, args.leases, args.scopes)
    write_export(small, args.leases // 10, args.scopes)
    results = {"kea": "%d.%d" % KEA_VERSION, "machine": platform.node(), "cpus": os.cpu_count(),
               "leases": count, "scopes": args.scopes, "export-bytes": os.path.getsize(big)}
    convert = [run_measured([IMPORTER, "--now", str(NOW), "--out", os.path.join(tmp, "out"), big])
               for _ in range(args.reps)]
    tenth = [run_measured([IMPORTER, "--now", str(NOW), "--out", os.path.join(tmp, "out10"), small])
             for _ in range(args.reps)]
    results["convert-seconds"] = statistics.median(c[0] for c in convert)
    results["convert-peak-mb"] = statistics.median(c[1] for c in convert)
    results["convert-tenth-seconds"] = statistics.median(c[0] for c in tenth)
    results["convert-tenth-peak-mb"] = statistics.median(c[1] for c in tenth)
    results["convert-summary"] = convert[0][2].splitlines()[:2]
    with open(os.path.join(tmp, "out", "kea-dhcp4.conf")) as f:
        config = json.load(f)
    applied, direct = [], []
    for _ in range(args.reps):
        kea = served_kea(config)
        try:
            seconds, _, out = run_measured([IMPORTER, "--now", str(NOW), "--out",
                                            os.path.join(tmp, "apply"), "--apply", kea.socket, big])
            created = int(out.split("applied: ")[1].split()[0])
            applied.append((seconds, created))
        finally:
            kea.cleanup()
        kea = served_kea(config)
        try:
            direct.append(direct_bulk(kea, args.leases, args.scopes))
        finally:
            kea.cleanup()
    results["apply-seconds"] = statistics.median(a[0] for a in applied)
    results["apply-created"] = applied[0][1]
    results["direct-bulk-seconds"] = statistics.median(d[0] for d in direct)
    results["direct-bulk-created"] = direct[0][1]
    results["apply-rate-per-s"] = count / results["apply-seconds"]
    results["direct-bulk-rate-per-s"] = count / results["direct-bulk-seconds"]
    results["apply-vs-bulk-time"] = results["apply-seconds"] / results["direct-bulk-seconds"]
    print("Kea %s, %d leases in %d scopes (%.1f MB export), median of %d" %
          (results["kea"], count, args.scopes, results["export-bytes"] / 1e6, args.reps))
    print("  convert            %6.2f s   peak %6.1f MB   (target <= 5 s, <= 200 MB)" %
          (results["convert-seconds"], results["convert-peak-mb"]))
    print("  convert a tenth    %6.2f s   peak %6.1f MB" %
          (results["convert-tenth-seconds"], results["convert-tenth-peak-mb"]))
    print("  --apply            %6.2f s   %8.0f records/s  (%d created)" %
          (results["apply-seconds"], results["apply-rate-per-s"], results["apply-created"]))
    print("  direct bulk create %6.2f s   %8.0f records/s  (%d created)" %
          (results["direct-bulk-seconds"], results["direct-bulk-rate-per-s"],
           results["direct-bulk-created"]))
    print("  --apply / bulk     %6.2fx" % results["apply-vs-bulk-time"])
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()

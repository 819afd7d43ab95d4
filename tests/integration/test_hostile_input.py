"""Hundreds of malformed or hostile requests against a live kea-dhcp4, over
the unix socket and through kea-ctrl-agent: each gets an error answer, Kea
stays up, and a full lease dump (with user contexts) and the failover state
file are the same before and after. Values that are hostile but valid
(commas, quotes, newlines that could break the memfile CSV) must round-trip
exactly through a restart instead."""
import json
import os
import unittest

from kea_harness import Agent, Kea, KeaTestCase

COMMANDS = ["win-client-info-vq-create", "win-client-info-v4-get", "win-client-info-vq-get",
            "win-client-info-v4-set", "win-client-info-vq-set", "win-client-info-delete",
            "win-subnet-clients-v4-enum", "win-subnet-clients-vq-enum",
            "win-failover-relationship-create", "win-failover-relationship-set",
            "win-failover-relationship-get", "win-failover-relationship-delete",
            "win-failover-relationship-enum", "win-failover-scope-add",
            "win-failover-scope-delete", "win-failover-scope-relationship-get"]
WRONG_TYPES = [-7, -1, 1.5, 1e308, 18446744073709551616, True, None, "", "x" * 300, [], [1, 2],
               {}, {"a": {"b": {}}}]
BIG = "A" * (10 * 1024 * 1024)  # 10 MB


def record(**overrides):
    rec = {"client-ip-address": "192.0.2.99", "client-hardware-address": "02:00:00:00:00:99"}
    rec.update(overrides)
    return rec


def hostile_requests():
    """(command, arguments) pairs that must all be refused."""
    out = []
    for command in COMMANDS:
        for args in ([], "text", 7, True, [record()]):
            out.append((command, args))
    fields = ["client-ip-address", "client-hardware-address", "subnet-mask", "client-name",
              "client-comment", "client-lease-expires", "owner-host", "client-type",
              "address-state", "quarantine-status", "probation-ends", "quarantine-capable"]
    optional = fields[2:]
    for field in fields:
        for bad in WRONG_TYPES:
            valid = ((bad is None and field in optional) or  # null = absent
                     (bad == "" and field in ("client-name", "client-comment")) or
                     (bad == {} and field == "owner-host") or
                     (bad is True and field == "quarantine-capable"))
            if not valid:
                out.append(("win-client-info-vq-create", record(**{field: bad})))
    for enum_field, values in (("client-type", [8, 99, 101, 255, -3, "laptop", "DHCP "]),
                               ("address-state", [256, -1, "offered", "expired", "0"]),
                               ("quarantine-status", [7, 100, "full-access"])):
        for v in values:
            out.append(("win-client-info-vq-create", record(**{enum_field: v})))
            out.append(("win-client-info-vq-set", record(**{enum_field: v})))
    for ip in ("0.0.0.0", "255.255.255.255", "192.0.2.0", "192.0.2.255", "192.0.2.256",
               "192.000.2.1", " 192.0.2.1", "192.0.2.1\n", "::1", "192.0.2.1/24"):
        out.append(("win-client-info-vq-create", record(**{"client-ip-address": ip})))
    for hw in ("zz", "00:11:", "0:1:2:3:4:5:6:7:8:9:" * 30, "00-11:22", "07", "0" * 512):
        out.append(("win-client-info-vq-create", record(**{"client-hardware-address": hw})))
    for date in ("2026-02-30T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z",
                 "2026-11-21T10:00:00", "yesterday", "2026-11-21T25:00:00Z"):
        out.append(("win-client-info-vq-create", record(**{"client-lease-expires": date})))
    out += [("win-client-info-vq-create", record(**{"client-comment": BIG})),
            ("win-client-info-vq-create", record(**{"client-name": BIG})),
            ("win-client-info-vq-create", {"clients": []}),
            ("win-client-info-vq-create", {"clients": {"a": 1}}),
            ("win-client-info-vq-create", {"clients": [record(**{"client-type": 9})] * 50}),
            ("win-client-info-vq-create", dict(record(), extra=1)),
            ("win-client-info-v4-set", record(**{"address-state": "active"})),
            ("win-client-info-v4-get", {}),
            ("win-client-info-v4-get", {"client-ip-address": "192.0.2.1", "client-name": "x"}),
            ("win-client-info-v4-get", {"search-type": "name", "client-ip-address": "192.0.2.1"}),
            ("win-client-info-delete", {"client-name": ""})]
    for bad in (-1, 1.5, "x", 4294967296, 1e20, [1], "256.0.0.1"):
        out.append(("win-subnet-clients-vq-enum", {"resume-handle": bad}))
        out.append(("win-subnet-clients-v4-enum", {"preferred-maximum": bad}))
        out.append(("win-failover-relationship-enum", {"resume-handle": bad}))
    out.append(("win-subnet-clients-v4-enum", {"subnet-address": "10.9.9.0"}))
    rel = {"relationship-name": "r", "primary-server": "127.0.0.1",
           "secondary-server": "127.0.0.2", "scopes": ["192.0.2.0"]}
    for field, bad in (("percentage", 101), ("percentage", -5), ("mode", 2), ("mode", "active"),
                       ("server-type", 7), ("mclt", -1), ("mclt", 4294967296),
                       ("safe-period", "forever"), ("scopes", []), ("scopes", ["x"]),
                       ("scopes", ["10.1.1.0"]), ("primary-server", "0.0.0.0"),
                       ("relationship-name", "n" * 127), ("relationship-name", ""),
                       ("primary-url", "file:///etc/passwd"), ("max-response-delay", 70000),
                       ("shared-secret", BIG)):
        out.append(("win-failover-relationship-create", dict(rel, **{field: bad})))
    for flags in (0, 128, -1, "mode", ["bogus"], [], 1.5):
        out.append(("win-failover-relationship-set", {"relationship-name": "r", "flags": flags}))
    out += [("win-failover-relationship-set", {"relationship-name": "nope", "flags": 1,
                                               "mclt": 5}),
            ("win-failover-scope-add", {"relationship-name": "r", "scopes": ["192.0.2.0"]}),
            ("win-failover-scope-relationship-get", {"scope-id": "0.0.0.0"}),
            ("win-failover-relationship-get", {"relationship-name": BIG})]
    return out


def raw_payloads():
    """Byte strings that are not even well-formed commands."""
    deep = '{"command": "win-client-info-vq-get", "arguments": {"a": ' + "[" * 500 + \
        "]" * 500 + "}}"
    return [
        b'{"command": "win-client-info-vq-create", "arguments": {"client-ip-address": ',
        b'{"command": "win-client-info-vq-create", "arguments": {"client-ip-address": '
        b'"192.0.2.99", "client-ip-address": 5, "client-hardware-address": "00:11:22:33:44:55"}}',
        b'{"command": "win-client-info-vq-create", "arguments": {"client-ip-address": '
        b'"192.0.2.99", "client-hardware-address": "00:11:22:33:44:55", "client-name": '
        b'"bad \xff\xfe utf8"}}',
        b'{"command": "win-client-info-vq-create", "arguments": {"client-ip-address": '
        b'"192.0.2.99", "client-hardware-address": "00:11:22:33:44:55", "client-name": '
        b'"nul \\u0000 inside"}}',
        # A NUL in one bulk item refuses the whole request: the first item is
        # not created either.
        b'{"command": "win-client-info-vq-create", "arguments": {"clients": [{"client-ip-address": '
        b'"192.0.2.98", "client-hardware-address": "00:11:22:33:44:56"}, {"client-ip-address": '
        b'"192.0.2.99", "client-hardware-address": "00:11:22:33:44:55", "client-name": '
        b'"nul \\u0000 inside"}]}}',
        b'{"command": "win-client-info-vq-get", "arguments": {"client-name": "\xc0\xaf"}}',
        deep.encode(),
        b'\x00\x01\x02', b'[]', b'"win-client-info-vq-get"', b'{"command": 5}',
        b'{"command": "win-client-info-vq-get", "arguments": {}, "extra": 1}',
    ]


class HostileInput(KeaTestCase):

    @classmethod
    def setUpClass(cls):
        cls.kea = cls.track(Kea())
        cls.kea.hook_params["state-directory"] = cls.kea.dir
        cls.kea.start()
        cls.agent = cls.track(Agent(cls.kea)).start()
        # Records a hostile request could change or delete: the snapshots
        # compare them (without them, a hook refusing every create passes).
        for i in range(10):
            answer = cls.kea.cmd("win-client-info-vq-create", {
                "client-ip-address": "192.0.2.%d" % (10 + i),
                "client-hardware-address": "02:00:00:00:01:%02x" % i,
                "client-name": "seed-%d" % i, "client-comment": "seed"})
            if answer.get("arguments", {}).get("error-code") != 0:
                raise AssertionError("seed record %d not created: %s" % (i, answer))

    def snapshot(self):
        state = self.kea.path("win-failover-relationships.json")
        files = open(state).read() if os.path.exists(state) else None
        return json.dumps(self.kea.leases(), sort_keys=True), files

    def check_refused(self, answer, label):
        """Refused by the hook with a Windows code, or by Kea's own parser
        (numbers beyond 64 bits, ...) before the hook is called."""
        self.assertNotEqual(answer["result"], 0, label)
        if "arguments" in answer:
            self.assertNotEqual(answer["arguments"]["error-code"], 0, label)
        else:
            self.assertNotIn("win-", answer["text"], label)

    def test_every_hostile_request_is_refused_and_changes_nothing(self):
        before = self.snapshot()
        requests = hostile_requests()
        payloads = raw_payloads()
        self.assertGreaterEqual(len(requests) + len(payloads), 200)
        for n, (command, args) in enumerate(requests):
            message = {"command": command, "arguments": args}
            answer = json.loads(self.kea.raw(json.dumps(message).encode(), timeout=60))
            label = "%s %.200s" % (command, json.dumps(args))
            self.check_refused(answer, label)
            if n % 4 == 0 and len(json.dumps(args)) < 1_000_000:
                status, answers = self.agent.post(dict(message, service=["dhcp4"]))
                if "arguments" in answer:
                    self.assertEqual(status, 200, label)
                    self.check_refused(answers[0], label)
                else:  # the agent's own parser refuses it too
                    self.assertEqual(status, 400, label)
        for payload in payloads:
            # Each one answered, in JSON (an answer echoing the bad bytes is
            # not), with an error: by Kea's parser, or by the hook with a code.
            raw = self.kea.raw(payload, timeout=15)
            try:
                answer = json.loads(raw)
            except ValueError as error:
                self.fail("%r: answer %r is not JSON: %s" % (payload[:200], raw[:300], error))
            self.assertNotEqual(answer.get("result"), 0, payload[:200])
            if "arguments" in answer:
                self.assertNotEqual(answer["arguments"].get("error-code"), 0, payload[:200])
            self.assertTrue(self.kea.alive(), payload[:200])
        self.assertTrue(self.kea.alive())
        self.assertEqual(self.snapshot(), before)

    def test_csv_hostile_values_round_trip_exactly(self):
        values = ['comma, "quoted", and\nnewline', "amp &#x2c; &amp; \\ back\\slash",
                  "tab\tcr\rend", "caf\u00e9 \u20ac \U0001F600", "{\"json\": [1, 2]}",
                  "# not a comment", "// nor this"]
        for i, value in enumerate(values):
            ip = "198.51.100.%d" % (10 + i)
            answer = self.kea.cmd("win-client-info-vq-create", {
                "client-ip-address": ip, "client-hardware-address": "02:00:00:00:02:%02x" % i,
                "client-comment": value[:127], "client-name": "Host-%d" % i,
                "owner-host": {"netbios-name": value[:255]}})
            self.assertWin(answer, 0, 0)
        before = self.kea.cmd("win-subnet-clients-vq-enum", {"subnet-address": "198.51.100.0"})
        self.kea.restart()
        after = self.kea.cmd("win-subnet-clients-vq-enum", {"subnet-address": "198.51.100.0"})
        self.assertEqual(before, after)
        # The hook writes its answers as UTF-8 text itself ...
        comments = [c["client-comment"] for c in after["arguments"]["clients"]]
        self.assertEqual(comments, [v[:127] for v in values])
        # ... while Kea 2.2 writes each byte above 0x7F of its own answers as
        # \u00XX: there the code points are the UTF-8 bytes.
        lease = self.kea.cmd("lease4-get", {"ip-address": "198.51.100.13"})["arguments"]
        self.assertEqual(lease["user-context"]["windows"]["client-comment"]
                         .encode("latin-1").decode("utf-8"), values[3])
        for i in range(len(values)):
            self.assertWin(self.kea.cmd("win-client-info-delete", {
                "client-ip-address": "198.51.100.%d" % (10 + i)}), 0, 0)


if __name__ == "__main__":
    unittest.main()

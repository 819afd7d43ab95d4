#!/usr/bin/env python3
"""Seed corpora from the schemas' examples: request/ gets "<command>\\n<json>"
files, values/ the strings the examples use."""
import glob
import json
import os
import sys

schemas, out = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(out, "request"), exist_ok=True)
os.makedirs(os.path.join(out, "values"), exist_ok=True)
os.makedirs(os.path.join(out, "replica"), exist_ok=True)
strings = set()


def walk(value):
    if isinstance(value, str):
        strings.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            walk(v)
    elif isinstance(value, list):
        for v in value:
            walk(v)


n = 0
for path in sorted(glob.glob(os.path.join(schemas, "win-*.request.json"))):
    command = os.path.basename(path)[:-len(".request.json")]
    with open(path) as f:
        examples = json.load(f).get("examples", [{}])
    for example in examples:
        walk(example)
        with open(os.path.join(out, "request", "%03d" % n), "w") as f:
            f.write(command + "\n" + json.dumps(example))
        n += 1
for i, s in enumerate(sorted(strings) + ["2026-11-21 10:00:00+01:00", "infinite",
                                         "00-11-22-33-44-55", "001122334455",
                                         "/* c */ {\"a\": \"# not a comment\"} // x"]):
    with open(os.path.join(out, "values", "%03d" % i), "w") as f:
        f.write(s)

# The ops lists of win-client-replica requests, as a partner sends them.
RECORD = ["192.0.2.10", "02:00:00:00:00:01", None, 1795000000, 3600, 0]
OTHER = ["192.0.2.10", "02:00:00:00:00:02", None, 1795000000, 3600, 0, "pc.example.org",
         {"windows": {"client-comment": "x"}}]
for i, ops in enumerate([
        [{"op": "create", "record": RECORD}],
        [{"op": "create", "record": RECORD}, {"op": "create", "record": OTHER}],
        [{"op": "set", "record": OTHER, "pre": RECORD}],
        [{"op": "delete", "record": RECORD}],
        [{"op": "abort"}],
        [{"op": "create", "record": OTHER, "force": True}],
        [{"op": "create", "record": ["192.0.2.50", None, "ff00000001000100010203040506",
                                     0, 4294967295, 1]}]]):
    with open(os.path.join(out, "replica", "%03d" % i), "w") as f:
        f.write(json.dumps(ops))

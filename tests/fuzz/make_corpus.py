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

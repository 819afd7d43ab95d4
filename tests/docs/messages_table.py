#!/usr/bin/env python3
"""docs/messages.md lists exactly the messages of hook/common/win_messages.def:
the same IDs, in the same order, with the same severities and texts."""
import re
import sys

ENTRY = re.compile(r'WIN_MSG\(\s*(\w+)\s*,\s*(\w+)\s*,((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)')
ROW = re.compile(r'^\| *`?(WIN_CMDS_\w+)`? *\| *(\w+) *\| *`([^`]*)` *\|(.*)\|\s*$')


def from_def(path):
    text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
    return [(m.group(1), m.group(2), "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(3))))
            for m in ENTRY.finditer(text)]


def from_doc(path):
    rows = []
    for line in open(path):
        m = ROW.match(line)
        if m:
            if not m.group(4).strip():
                sys.exit("%s: %s says nothing in its last column (when it is logged)"
                         % (path, m.group(1)))
            rows.append((m.group(1), m.group(2), m.group(3)))
    return rows


def main(top):
    table = from_def(top + "/hook/common/win_messages.def")
    doc = from_doc(top + "/docs/messages.md")
    if not table:
        sys.exit("no WIN_MSG entry read from win_messages.def")
    problems = []
    for entry in table:
        if entry not in doc:
            problems.append("docs/messages.md lacks or differs on %s %s \"%s\"" % entry)
    for row in doc:
        if row not in table:
            problems.append("docs/messages.md has %s %s \"%s\", not in win_messages.def" % row)
    if not problems and [e[0] for e in table] != [r[0] for r in doc]:
        problems.append("docs/messages.md lists the messages in another order")
    for p in problems:
        print(p)
    print("%d messages in win_messages.def, %d rows in docs/messages.md" % (len(table), len(doc)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

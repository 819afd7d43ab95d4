"""The file rules of an AppArmor profile as the kernel would apply them, for
machines whose kernel enforces no AppArmor: the stock-service test checks each
path kea-dhcp4 touched against them.

Covers what Debian's kea profiles and their includes use: `include <x>`,
`#include <x>`, `include if exists <x>` (a directory includes each file in
it), variables (`@{x} = a b`, `+=`, nested), file rules `[audit] [deny]
[owner] [file] PATH PERMS [-> target],` (and PERMS PATH), globs `*` `**` `?`
`[...]` `{a,b}`. Other rules (capability, network, unix, signal, ptrace,
dbus...) are skipped: the test checks file accesses only.
"""
import os
import re

APPARMOR_DIR = "/etc/apparmor.d"
# Permission letters; x modes (ix, Px, pix, Cx, Ux...) count as 'x'.
EXEC_MODE = re.compile(r"(?:[PpCcUu]i?|i)x")


class Rule:
    def __init__(self, pattern, perms, owner, deny, source, line, text):
        self.pattern, self.perms, self.owner, self.deny = pattern, perms, owner, deny
        self.source, self.line, self.text = source, line, text
        self.regex = re.compile(glob_to_regex(pattern))

    def where(self):
        return "%s:%d: %s" % (self.source, self.line, self.text)


def split_alternatives(text):
    """'a,b{c,d}' -> ['a', 'b{c,d}']: the top-level commas of a {} body."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        current += ch
    parts.append(current)
    return parts


def glob_to_regex(pattern):
    """AppArmor's glob as an anchored regular expression."""
    out, i = "", 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            continue
        if ch == "*":
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end]
            out += "[" + ("^" + re.escape(body[1:]) if body.startswith("^")
                          else re.escape(body)).replace("\\-", "-") + "]"
            i = end
        elif ch == "{":
            depth, end = 0, i
            for end in range(i, len(pattern)):
                depth += pattern[end] == "{"
                depth -= pattern[end] == "}"
                if depth == 0:
                    break
            alternatives = split_alternatives(pattern[i + 1:end])
            out += "(?:" + "|".join(glob_to_regex(a)[1:-1] for a in alternatives) + ")"
            i = end
        elif ch == "\\" and i + 1 < len(pattern):
            out += re.escape(pattern[i + 1])
            i += 1
        else:
            out += re.escape(ch)
        i += 1
    return "^" + out + "$"


class Profile:
    """The file rules reached from one profile file through its includes."""

    def __init__(self, path, base=APPARMOR_DIR):
        self.base = base
        self.variables = {}
        self.rules = []
        self.files_read = []
        self.missing_includes = []
        self.load(path)

    def include_path(self, name):
        return os.path.join(self.base, name)

    def load(self, path):
        self.files_read.append(path)
        with open(path, errors="replace") as f:
            lines = f.read().split("\n")
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            m = re.match(r"^#?include(\s+if\s+exists)?\s+<([^>]+)>\s*,?$", line) or \
                re.match(r'^#?include(\s+if\s+exists)?\s+"([^"]+)"\s*,?$', line)
            if m:
                self.include(m.group(2), bool(m.group(1)), path, number)
                continue
            line = re.sub(r"(^|\s)#.*$", "", line).strip()
            if not line:
                continue
            m = re.match(r"^(@\{\w+\})\s*(\+?=)\s*(.*)$", line)
            if m:
                values = m.group(3).split()
                if m.group(2) == "+=":
                    self.variables.setdefault(m.group(1), []).extend(values)
                else:
                    self.variables[m.group(1)] = values
                continue
            self.parse_rule(line, path, number)

    def include(self, name, if_exists, source, number):
        target = self.include_path(name)
        if os.path.isdir(target):
            for entry in sorted(os.listdir(target)):
                if not entry.startswith(".") and os.path.isfile(os.path.join(target, entry)):
                    self.load(os.path.join(target, entry))
        elif os.path.isfile(target):
            self.load(target)
        elif not if_exists:
            self.missing_includes.append("%s:%d: %s" % (source, number, name))

    def parse_rule(self, line, path, number):
        body = line.rstrip(",").strip()
        words = body.split()
        qualifiers = set()
        while words and words[0] in ("audit", "deny", "owner", "allow", "file"):
            qualifiers.add(words.pop(0))
        if len(words) < 2:
            return
        if words[0].startswith(("/", "@")):
            pattern, perms = words[0], words[1]
        elif words[1].startswith(("/", "@")):
            perms, pattern = words[0], words[1]
        else:
            return  # not a file rule
        if not re.match(r"^[rwaklmixpcuPCU]+$", perms):
            return
        letters = set(EXEC_MODE.sub("x", perms)) & set("rwaklmx")
        if "w" in letters:
            letters.add("a")  # writing anywhere includes appending
        for expanded in self.expand(pattern):
            self.rules.append(Rule(expanded, letters, "owner" in qualifiers,
                                   "deny" in qualifiers, path, number, line))

    def expand(self, pattern, depth=0):
        """Every pattern the variables in pattern stand for."""
        m = re.search(r"@\{\w+\}", pattern)
        if not m or depth > 20:
            return [pattern]
        values = self.variables.get(m.group(0))
        if values is None:
            return [pattern]
        out = []
        for value in values:
            out.extend(self.expand(pattern[:m.start()] + value + pattern[m.end():], depth + 1))
        # @{PROC}/ is "/proc//": AppArmor takes repeated slashes as one.
        return [re.sub(r"/{2,}", "/", p) for p in out]

    def unexpanded(self):
        """Rules still naming a variable no file defined."""
        return [r for r in self.rules if "@{" in r.pattern]

    def allowing(self, path, needed, owner):
        """(the rules that together grant every letter of needed, or None; the
        deny rule that forbids one, or None). needed: a set of letters; owner:
        the file belongs to the process (owner rules apply)."""
        granted, used = set(), []
        for rule in self.rules:
            if rule.owner and not owner:
                continue
            if not rule.regex.match(path):
                continue
            if rule.deny:
                if rule.perms & needed:
                    return None, rule
                continue
            if (rule.perms & needed) - granted:
                granted |= rule.perms & needed
                used.append(rule)
        return (used if needed <= granted else None), None

    def any_rule(self, path, owner):
        """A rule naming the path at all (what a stat needs)."""
        for rule in self.rules:
            if (owner or not rule.owner) and not rule.deny and rule.regex.match(path):
                return rule
        return None

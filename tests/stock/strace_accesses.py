"""What a traced process tree did to the file system, from `strace -ff -y`
output (one file per pid), as the accesses AppArmor mediates: each with the
path the kernel resolves and the permission letters a file rule must grant.

Only processes confined by a profile count: a process becomes confined when it
executes a file a profile attaches to (kea-dhcp4 executed by setpriv), and a
confined process's exec moves it per the rule that allows it (ix: same
profile, Px: the target's profile, Ux: unconfined).
"""
import glob
import os
import re

LINE = re.compile(r"^(?P<call>\w+)\((?P<args>.*)\)\s+=\s+(?P<ret>-?\d+|\?|0x[0-9a-f]+)"
                  r"(?:<(?P<retpath>[^>]*)>)?(?P<rest>.*)$")
FD_PATH = re.compile(r"^-?\d+<(?P<path>.*)>$")
STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"(\.\.\.)?$')

# Kinds of access, with the letters AppArmor needs for each.
NEEDS = {"read": "r", "write": "w", "append": "a", "read-write": "rw", "create": "w",
         "truncate": "w", "unlink": "w", "rmdir": "w", "mkdir": "w", "rename-from": "rw",
         "rename-to": "w", "setattr": "w", "exec": "x", "mmap-exec": "m",
         "unix-connect": "w", "unix-bind": "w", "lock": "k", "link": "l"}
# Kinds that change the file system (checked against where the service may write).
WRITES = {"write", "append", "read-write", "create", "truncate", "unlink", "rmdir", "mkdir",
          "rename-from", "rename-to", "setattr", "unix-bind", "link"}


def unescape(text):
    return bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode(
        "utf-8", "replace")


def split_args(args):
    """Top-level comma-separated arguments of a strace call."""
    out, depth, current, quoted, escaped = [], 0, "", False, False
    for ch in args:
        if quoted:
            current += ch
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
            continue
        if ch == '"':
            quoted = True
        elif ch in "{[(<":
            depth += 1
        elif ch in "}])>":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        out.append(current.strip())
    return out


def string_arg(arg):
    m = STRING.match(arg)
    return unescape(m.group(1)) if m else None


def fd_path(arg):
    m = FD_PATH.match(arg)
    return m.group("path").replace(" (deleted)", "") if m else None


class Access:
    def __init__(self, pid, kind, path, call, profile):
        self.pid, self.kind, self.path, self.call, self.profile = pid, kind, path, call, profile

    def needed(self):
        return set(NEEDS[self.kind])


class Trace:
    """The accesses of the confined processes in one strace -ff output set."""

    def __init__(self, prefix, root_pid, attach, transition):
        """attach(path) -> profile name or None: the profile an unconfined
        process enters executing path. transition(profile, path) -> the
        profile after a confined exec (None: unconfined)."""
        self.prefix = prefix
        self.attach, self.transition = attach, transition
        self.accesses = []
        self.getattrs = []
        self.failed = []  # calls refused with EACCES/EPERM (the file modes)
        self.lines = {}
        for name in glob.glob(prefix + ".*"):
            pid = int(name.rsplit(".", 1)[1])
            with open(name, errors="replace") as f:
                self.lines[pid] = f.read().splitlines()
        self.follow(root_pid, None, "/")

    def follow(self, pid, profile, cwd):
        for line in self.lines.get(pid, []):
            m = LINE.match(line)
            if not m:
                continue
            call, args, ret = m.group("call"), split_args(m.group("args")), m.group("ret")
            if call in ("clone", "clone3", "fork", "vfork") and ret.isdigit():
                self.follow(int(ret), profile, cwd)
                continue
            if ret.startswith("-1") or ret == "?":
                if profile and re.search(r"E(ACCES|PERM)", m.group("rest")):
                    self.failed.append((pid, line))
                continue
            if call in ("execve", "execveat"):
                path = self.resolve(string_arg(args[0 if call == "execve" else 1]), cwd, pid)
                if profile:
                    self.add(pid, "exec", path, call, profile)
                    profile = self.transition(profile, path)
                else:
                    profile = self.attach(path)
                continue
            if call == "chdir":
                cwd = self.resolve(string_arg(args[0]), cwd, pid)
                continue
            if call == "fchdir":
                cwd = fd_path(args[0]) or cwd
                continue
            if profile:
                self.record(pid, call, args, m, cwd, profile)

    def resolve(self, path, cwd, pid, dirfd=None, follow=True):
        """The path the kernel reports for path: absolute, symlinks of the
        directories resolved (and of the last part when follow)."""
        if path is None:
            return None
        if path.startswith("/proc/self/") or path == "/proc/self":
            path = "/proc/%d" % pid + path[len("/proc/self"):]
        if path == "/proc/%d/exe" % pid:
            return "/usr/sbin/kea-dhcp4"
        if not path.startswith("/"):
            base = fd_path(dirfd) if dirfd and not dirfd.startswith("AT_FDCWD") else cwd
            path = os.path.join(base or "/", path)
        path = os.path.normpath(path)
        if path.startswith("/proc/"):
            return path
        head, tail = os.path.split(path)
        if follow:
            return os.path.realpath(path)
        return os.path.join(os.path.realpath(head), tail)

    def add(self, pid, kind, path, call, profile):
        if path and path.startswith("/") and not path.startswith(("/dev/pts/",)):
            self.accesses.append(Access(pid, kind, path, call, profile))

    def record(self, pid, call, args, m, cwd, profile):
        retpath = m.group("retpath")
        if call in ("open", "openat", "openat2", "creat"):
            at = call in ("openat", "openat2")
            flags = args[2] if at else (args[1] if call == "open" else "O_CREAT|O_WRONLY|O_TRUNC")
            if "O_PATH" in flags:
                return
            path = retpath or self.resolve(string_arg(args[1 if at else 0]), cwd, pid,
                                           args[0] if at else None)
            if path and (os.path.isdir(path) or "O_DIRECTORY" in flags) and not path.endswith("/"):
                path += "/"
            if "O_RDWR" in flags:
                kind = "read-write"
            elif "O_WRONLY" in flags:
                kind = "append" if "O_APPEND" in flags and "O_TRUNC" not in flags else "write"
            else:
                kind = "read"
            if "O_CREAT" in flags:
                self.add(pid, "create", path, call, profile)
            if "O_TRUNC" in flags:
                self.add(pid, "truncate", path, call, profile)
            self.add(pid, kind, path, call, profile)
        elif call in ("mkdir", "mkdirat"):
            at = call == "mkdirat"
            path = self.resolve(string_arg(args[1 if at else 0]), cwd, pid,
                                args[0] if at else None, follow=False)
            self.add(pid, "mkdir", path.rstrip("/") + "/", call, profile)
        elif call in ("unlink", "unlinkat", "rmdir"):
            at = call == "unlinkat"
            path = self.resolve(string_arg(args[1 if at else 0]), cwd, pid,
                                args[0] if at else None, follow=False)
            removes_dir = call == "rmdir" or (at and "AT_REMOVEDIR" in args[2])
            self.add(pid, "rmdir" if removes_dir else "unlink",
                     path.rstrip("/") + "/" if removes_dir else path, call, profile)
        elif call in ("rename", "renameat", "renameat2"):
            if call == "rename":
                src = self.resolve(string_arg(args[0]), cwd, pid, follow=False)
                dst = self.resolve(string_arg(args[1]), cwd, pid, follow=False)
            else:
                src = self.resolve(string_arg(args[1]), cwd, pid, args[0], follow=False)
                dst = self.resolve(string_arg(args[3]), cwd, pid, args[2], follow=False)
            self.add(pid, "rename-from", src, call, profile)
            self.add(pid, "rename-to", dst, call, profile)
        elif call in ("link", "linkat", "symlink", "symlinkat"):
            self.add(pid, "link", self.resolve(string_arg(args[-1]) if call != "linkat"
                                               else string_arg(args[3]), cwd, pid,
                                               args[2] if call == "linkat" else None,
                                               follow=False), call, profile)
        elif call in ("chmod", "fchmodat", "chown", "lchown", "fchownat", "truncate",
                      "utimensat"):
            at = call in ("fchmodat", "fchownat", "utimensat")
            target = args[1] if at else args[0]
            path = string_arg(target)
            path = self.resolve(path, cwd, pid, args[0] if at else None) if path else \
                fd_path(args[0])
            self.add(pid, "setattr", path, call, profile)
        elif call in ("fchmod", "fchown", "ftruncate"):
            self.add(pid, "setattr", fd_path(args[0]), call, profile)
        elif call == "mmap" and "PROT_EXEC" in args[2]:
            path = fd_path(args[4])
            if path:
                self.add(pid, "mmap-exec", path, call, profile)
        elif call in ("connect", "bind") and "AF_UNIX" in args[1]:
            sm = re.search(r'sun_path="((?:[^"\\]|\\.)*)"', args[1])
            if sm and not sm.group(1).startswith("@"):
                path = self.resolve(unescape(sm.group(1)), cwd, pid, follow=False)
                self.add(pid, "unix-connect" if call == "connect" else "unix-bind",
                         path, call, profile)
        elif call == "flock" or (call == "fcntl" and re.search(r"F_(OFD_)?SETLKW?", args[1])
                                 and "F_UNLCK" not in m.group("args")):
            self.add(pid, "lock", fd_path(args[0]), call, profile)
        elif call in ("stat", "lstat", "newfstatat", "statx", "access", "faccessat",
                      "faccessat2", "readlink", "readlinkat"):
            at = call in ("newfstatat", "statx", "faccessat", "faccessat2", "readlinkat")
            path = string_arg(args[1] if at else args[0])
            if path:  # "" with AT_EMPTY_PATH: an fd already open
                path = self.resolve(path, cwd, pid, args[0] if at else None)
                if os.path.isdir(path) and not path.endswith("/"):
                    path += "/"  # AppArmor names directories so
                self.getattrs.append(Access(pid, "getattr", path, call, profile))

"""A throwaway PostgreSQL cluster on loopback for the SQL-backend tests:
initdb in a temporary directory as the postgres user, one database per test
class initialised with kea-admin, stopped by pg_ctl (the postmaster's pid)."""
import glob
import os
import shutil
import subprocess
import tempfile

from kea_harness import free_port


def pg_bin(name):
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name))
    return found[-1] if found else None


def available():
    return bool(pg_bin("initdb") and pg_bin("pg_ctl") and shutil.which("kea-admin"))


class PgServer:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kwc-pg-")
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.password = "kea-test-pw"
        self.started = False

    def as_postgres(self, argv, **kwargs):
        return subprocess.run(["runuser", "-u", "postgres", "--"] + argv, check=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
                              **kwargs)

    def start(self):
        shutil.chown(self.dir, "postgres")
        self.as_postgres([pg_bin("initdb"), "-D", self.data, "-A", "trust", "-U", "postgres"])
        self.resume()
        self.psql("CREATE USER kea WITH PASSWORD '%s'" % self.password)
        return self

    def pause(self):
        """Stops the postmaster, keeping the cluster for resume()."""
        self.as_postgres([pg_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop"])
        self.started = False

    def resume(self):
        self.as_postgres([pg_bin("pg_ctl"), "-D", self.data, "-w", "-l",
                          os.path.join(self.dir, "pg.log"), "-o",
                          "-p %d -k %s -c listen_addresses=127.0.0.1" % (self.port, self.dir),
                          "start"])
        self.started = True

    def psql(self, sql, database="postgres"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)

    def new_database(self, name):
        """A fresh Kea lease database; returns Kea's lease-database map."""
        self.psql("CREATE DATABASE %s OWNER kea" % name)
        subprocess.run(["kea-admin", "db-init", "pgsql", "-u", "kea", "-p", self.password,
                        "-n", name, "-h", "127.0.0.1", "-P", str(self.port)], check=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        return {"type": "postgresql", "name": name, "user": "kea", "password": self.password,
                "host": "127.0.0.1", "port": self.port}

    def stop(self):
        if self.started:
            subprocess.run(["runuser", "-u", "postgres", "--", pg_bin("pg_ctl"), "-D",
                            self.data, "-m", "fast", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

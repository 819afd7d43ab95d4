"""A throwaway MariaDB server on loopback for the MySQL lease-backend tests:
mariadb-install-db into a temporary directory, mariadbd started by the test
(as the mysql user, a port of its own, no configuration file read), one
database per test class initialised with `kea-admin db-init mysql`, and
stopped by its pid whatever happened."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from kea_harness import free_port

MARIADBD = "/usr/sbin/mariadbd"


def available():
    return bool(os.path.exists(MARIADBD) and shutil.which("mariadb-install-db")
                and shutil.which("mariadb") and shutil.which("kea-admin"))


class MariaDbServer:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kwc-mariadb-")
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mariadb.sock")
        self.port = free_port()
        self.password = "kea-test-pw"
        self.process = None

    def start(self, timeout=60):
        try:
            shutil.chown(self.dir, "mysql", "mysql")
            subprocess.run(["mariadb-install-db", "--no-defaults", "--user=mysql",
                            "--datadir=" + self.data, "--auth-root-authentication-method=socket",
                            "--skip-test-db"], check=True, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=120)
            self.process = subprocess.Popen(
                [MARIADBD, "--no-defaults", "--user=mysql", "--datadir=" + self.data,
                 "--socket=" + self.socket, "--port=%d" % self.port,
                 "--bind-address=127.0.0.1", "--skip-name-resolve",
                 "--pid-file=" + os.path.join(self.dir, "mariadbd.pid"),
                 "--log-error=" + os.path.join(self.dir, "mariadbd.log"),
                 "--innodb-buffer-pool-size=32M", "--max-connections=200"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.wait_ready(timeout)
            self.sql("CREATE USER 'kea'@'%%' IDENTIFIED BY '%s'" % self.password)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("mariadbd exited (%d): %s" % (self.process.returncode,
                                                                 self.log_tail()))
            ping = subprocess.run(["mariadb-admin", "--no-defaults", "--socket=" + self.socket,
                                   "-u", "root", "ping"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=30)
            if ping.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("mariadbd did not answer in %d s: %s" % (timeout, self.log_tail()))

    def log_tail(self):
        try:
            with open(os.path.join(self.dir, "mariadbd.log")) as log:
                return log.read()[-2000:]
        except OSError:
            return "(no log)"

    def sql(self, statement, database=None):
        argv = ["mariadb", "--no-defaults", "--socket=" + self.socket, "-u", "root",
                "-e", statement]
        if database:
            argv.append(database)
        subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=60)

    def new_database(self, name):
        """A fresh Kea lease database; returns Kea's lease-database map."""
        self.sql("CREATE DATABASE %s" % name)
        self.sql("GRANT ALL ON %s.* TO 'kea'@'%%'" % name)
        # Kea 2.2's kea-admin leaves the port out of the call that loads the
        # schema: the client's environment names it for every call.
        subprocess.run(["kea-admin", "db-init", "mysql", "-u", "kea", "-p", self.password,
                        "-n", name, "-h", "127.0.0.1", "-P", str(self.port)], check=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
                       env=dict(os.environ, MYSQL_TCP_PORT=str(self.port)))
        return {"type": "mysql", "name": name, "user": "kea", "password": self.password,
                "host": "127.0.0.1", "port": self.port}

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)

"""TLS material the tests make with openssl: a CA, a server certificate for
the loopback addresses (subjectAltName IP entries), a client certificate,
and a second, unrelated CA (a wrong trust anchor: nothing it is given to
check chains to it). All of it in one temporary
directory, valid for two days, removed with the class that made it."""
import os
import shutil
import ssl
import subprocess
import tempfile

LOOPBACK_SAN = "IP:127.0.0.1,IP:127.0.0.2,IP:::1"


def _openssl(*args, cwd):
    subprocess.run(("openssl",) + args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=60)


class TlsMaterial:
    """Paths: ca, server_cert, server_key, client_cert, client_key, other_ca."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kwc-tls-")
        self.ca, ca_key = self._authority("ca", "kea-win-cmds test CA")
        self.server_cert, self.server_key = self._leaf(
            "server", "kea-win-cmds test server", "serverAuth", self.ca, ca_key)
        self.client_cert, self.client_key = self._leaf(
            "client", "kea-win-cmds test client", "clientAuth", self.ca, ca_key)
        self.other_ca, _ = self._authority("other-ca", "an unrelated CA")

    def path(self, name):
        return os.path.join(self.dir, name)

    def _key(self, name):
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-out", name + ".key", cwd=self.dir)
        return self.path(name + ".key")

    def _authority(self, name, subject):
        key = self._key(name)
        _openssl("req", "-x509", "-new", "-key", key, "-out", name + ".pem", "-days", "2",
                 "-subj", "/CN=" + subject,
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=self.dir)
        return self.path(name + ".pem"), key

    def _leaf(self, name, subject, usage, ca, ca_key):
        key = self._key(name)
        with open(self.path(name + ".ext"), "w") as f:
            f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                    "extendedKeyUsage=%s\nsubjectAltName=%s\n" % (usage, LOOPBACK_SAN))
        _openssl("req", "-new", "-key", key, "-out", name + ".csr", "-subj", "/CN=" + subject,
                 cwd=self.dir)
        _openssl("x509", "-req", "-in", name + ".csr", "-CA", ca, "-CAkey", ca_key,
                 "-CAcreateserial", "-out", name + ".pem", "-days", "2",
                 "-extfile", name + ".ext", cwd=self.dir)
        return self.path(name + ".pem"), key

    def relationship_fields(self, trust_anchor=None):
        """What a win-failover-relationship-create takes: this server checks
        the partner against trust_anchor (default: the CA) and presents the
        client certificate."""
        return {"trust-anchor": trust_anchor or self.ca, "cert-file": self.client_cert,
                "key-file": self.client_key}

    def server_fields(self, cert_required=True):
        """An HTTPS endpoint's settings (kea-ctrl-agent, Kea 3.0's HTTP socket)."""
        return {"trust-anchor": self.ca, "cert-file": self.server_cert,
                "key-file": self.server_key, "cert-required": cert_required}

    def client_context(self, with_cert=True):
        """An ssl context for the tests' own requests to such an endpoint."""
        context = ssl.create_default_context(cafile=self.ca)
        if with_cert:
            context.load_cert_chain(self.client_cert, self.client_key)
        return context

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

"""What a partner does to send a win-client-replica command, for tests that
play the partner (or an attacker holding the secret): the MAC key derived
from the shared secret with HKDF-SHA256, as hook/replication/replica_wire.c
derives it, a fresh nonce and a sequence number above any sent before."""
import hashlib
import hmac
import json
import os
import time

SALT = b"kea-win-cmds replica mac v1"


def derive_key(secret, relationship, purpose):
    """HKDF-SHA256 (RFC 5869), one output block."""
    prk = hmac.new(SALT, secret.encode(), hashlib.sha256).digest()
    info = ("%s %s" % (purpose, relationship)).encode() + b"\x01"
    return hmac.new(prk, info, hashlib.sha256).digest()


_last_sequence = [0]


def sequence():
    """Microseconds of the clock, always growing, as the hook numbers what
    it sends."""
    _last_sequence[0] = max(_last_sequence[0] + 1, int(time.time() * 1000000))
    return str(_last_sequence[0])


def payload(relationship, from_role, ops, **over):
    p = {"from-role": from_role, "from": "test", "txn": os.urandom(16).hex(), "ops": ops,
         "relationship": relationship, "stamp": int(time.time()),
         "nonce": os.urandom(16).hex(), "seq": sequence()}
    p.update(over)
    return p


def sign(relationship, secret, body):
    """The arguments of win-client-replica carrying body (a dict)."""
    text = json.dumps(body, separators=(",", ":"))
    key = derive_key(secret, relationship, "request")
    tag = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    return {"relationship": relationship, "payload": text, "hmac": tag}


def open_reply(relationship, secret, arguments):
    """The partner's signed reply ({"applied", "refused", "nonce", "seq"}),
    or None when its tag is wrong."""
    key = derive_key(secret, relationship, "reply")
    text = arguments.get("reply", "")
    tag = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    return json.loads(text) if hmac.compare_digest(tag, arguments.get("hmac", "")) else None

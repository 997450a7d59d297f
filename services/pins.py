"""PIN hashing: scrypt with a per-user salt (pure functions, no I/O)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# n=2**14, r=8, p=1: about 30-60 ms per check, ~16 MiB; slow enough against a stolen file
# for short PINs to cost real work per guess, fast enough at the till.
_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "scrypt${}${}${}${}${}".format(
        _N, _R, _P, base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def check_pin(pin: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    digest = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt_b64), n=int(n), r=int(r),
                            p=int(p), dklen=32)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))

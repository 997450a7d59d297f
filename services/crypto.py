"""Field encryption of customer personal data (ARCHITECTURE.md, Security). Pure value code.

Each *data key* is 32 random bytes with a short id. From it two keys are derived with HKDF,
so that one secret in the keyring serves both purposes without the two ever being the same
key: an AES-256-GCM key for the fields, and an HMAC-SHA256 key for the blind index.

Ciphertext text format (stored in the ``*_enc`` columns and sent to central as is)::

    v1:<key_id>:<base64(nonce[12] | ciphertext+tag)>

The associated data binds a ciphertext to the format version, its key id, the record id and
the field name: a value copied into another row or another field (or relabelled with another
key id) fails authentication instead of decrypting to someone else's phone number.

No I/O here: the keys come from the caller (the app's secret store).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from types import MappingProxyType

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT_VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # fits customer.key_id; no ':' (separator)
_ENC_INFO = b"warungin field-encryption v1"
_INDEX_INFO = b"warungin blind-index v1"


class CryptoError(Exception):
    """Base of every failure of the field cipher. Never carries plaintext or key bytes."""


class BadKey(CryptoError):
    """A key or key id of the wrong shape."""


class UnknownKey(CryptoError):
    """The ciphertext names a key id this cipher was not given (lost or removed key)."""


class MalformedCiphertext(CryptoError):
    """The text is not in the ``v1:<key_id>:<base64>`` format."""


class DecryptionFailed(CryptoError):
    """Authentication failed: tampered, or moved to another record/field, or a wrong key."""


def new_key_id() -> str:
    """A fresh key id: random, so two terminals or two rotations never collide."""
    return "dk-" + os.urandom(6).hex()


def new_key_material() -> bytes:
    return os.urandom(KEY_BYTES)


def check_key_id(key_id: str) -> str:
    if not isinstance(key_id, str) or not _KEY_ID_RE.match(key_id):
        raise BadKey("a key id is 1 to 32 letters, digits, '-' or '_'")
    return key_id


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(master)


def _aad(key_id: str, record_id: str, field: str) -> bytes:
    # Length-prefixed parts, so that no choice of ids/field names can make two contexts equal.
    parts = [FORMAT_VERSION, key_id, record_id, field]
    return b"".join(len(p.encode()).to_bytes(4, "big") + p.encode() for p in parts)


def key_id_of(token: str) -> str:
    """The key id a ciphertext was made under (without decrypting it)."""
    return _split(token)[0]


def _split(token: str) -> tuple[str, bytes]:
    if not isinstance(token, str):
        raise MalformedCiphertext("a ciphertext is text")
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != FORMAT_VERSION or not _KEY_ID_RE.match(parts[1]):
        raise MalformedCiphertext(f"not a {FORMAT_VERSION}:<key id>:<data> ciphertext")
    try:
        blob = base64.b64decode(parts[2].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise MalformedCiphertext("the ciphertext's data is not valid base64") from None
    if len(blob) < NONCE_BYTES + 16:  # nonce + GCM tag at least
        raise MalformedCiphertext("the ciphertext is too short")
    return parts[1], blob


class FieldCipher:
    """Encrypts and decrypts fields under keys with ids; new values use the active key."""

    __slots__ = ("_active", "_enc", "_index_key", "_masters")

    def __init__(self, keys: Mapping[str, bytes], active_key_id: str) -> None:
        for key_id, key in keys.items():
            check_key_id(key_id)
            if not isinstance(key, bytes) or len(key) != KEY_BYTES:
                raise BadKey(f"data key {key_id} is not {KEY_BYTES} bytes")
        if active_key_id not in keys:
            raise UnknownKey(f"the active key {active_key_id} is not among the keys given")
        self._masters = MappingProxyType(dict(keys))
        self._active = active_key_id
        self._enc = {kid: AESGCM(_derive(k, _ENC_INFO)) for kid, k in keys.items()}
        self._index_key = _derive(keys[active_key_id], _INDEX_INFO)

    def __repr__(self) -> str:  # never the key bytes, not even in a traceback
        return f"FieldCipher(active={self._active!r}, keys={sorted(self._masters)!r})"

    @property
    def active_key_id(self) -> str:
        return self._active

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._masters)

    def with_active(self, key_id: str, key: bytes) -> FieldCipher:
        """A cipher that also holds ``key`` and makes it the active one (key rotation)."""
        keys = dict(self._masters)
        keys[key_id] = key
        return FieldCipher(keys, key_id)

    def encrypt(self, plaintext: str, *, record_id: str, field: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        ct = self._enc[self._active].encrypt(nonce, plaintext.encode("utf-8"),
                                             _aad(self._active, record_id, field))
        return f"{FORMAT_VERSION}:{self._active}:{base64.b64encode(nonce + ct).decode('ascii')}"

    def decrypt(self, token: str, *, record_id: str, field: str) -> str:
        key_id, blob = _split(token)
        aead = self._enc.get(key_id)
        if aead is None:
            raise UnknownKey(f"data key {key_id} is not available on this terminal")
        try:
            plain = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:],
                                 _aad(key_id, record_id, field))
        except InvalidTag:
            raise DecryptionFailed(f"the {field} of record {record_id} does not authenticate "
                                   "(tampered, or copied from another record or field)") from None
        return plain.decode("utf-8")

    def blind_index(self, value: str) -> str:
        """HMAC-SHA256 (hex) of a normalised value under the active index key: equality
        lookups without decrypting. Changes with the active key, so rotation re-indexes."""
        return hmac.new(self._index_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

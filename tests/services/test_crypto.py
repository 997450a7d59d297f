"""The field cipher: AES-256-GCM under keys with ids, bound to record and field; blind index."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.crypto import (
    BadKey,
    DecryptionFailed,
    FieldCipher,
    MalformedCiphertext,
    UnknownKey,
    key_id_of,
    new_key_id,
)

K1 = bytes(range(32))  # obviously fake keys: tests only
K2 = bytes(range(100, 132))
REC = "01900000-0000-7000-8000-000000000001"
OTHER = "01900000-0000-7000-8000-000000000002"
PHONE = "+6281200000001"


def cipher(active: str = "k1") -> FieldCipher:
    return FieldCipher({"k1": K1, "k2": K2}, active)


def test_round_trip_and_format() -> None:
    c = cipher()
    token = c.encrypt(PHONE, record_id=REC, field="phone")
    version, key_id, data = token.split(":")
    assert (version, key_id) == ("v1", "k1")
    blob = base64.b64decode(data)
    assert len(blob) == 12 + len(PHONE) + 16  # nonce | ciphertext | GCM tag
    assert PHONE not in token and PHONE.encode() not in blob
    assert c.decrypt(token, record_id=REC, field="phone") == PHONE
    assert key_id_of(token) == "k1"


def test_same_value_encrypts_differently_every_time() -> None:
    c = cipher()
    tokens = {c.encrypt(PHONE, record_id=REC, field="phone") for _ in range(20)}
    assert len(tokens) == 20  # random 12-byte nonces


def test_ciphertext_moved_to_another_row_or_field_fails() -> None:
    c = cipher()
    token = c.encrypt(PHONE, record_id=REC, field="phone")
    with pytest.raises(DecryptionFailed):
        c.decrypt(token, record_id=OTHER, field="phone")
    with pytest.raises(DecryptionFailed):
        c.decrypt(token, record_id=REC, field="email")


def test_relabelled_key_id_or_tampered_bytes_fail() -> None:
    c = cipher()
    token = c.encrypt(PHONE, record_id=REC, field="phone")
    with pytest.raises(DecryptionFailed):
        c.decrypt(token.replace("v1:k1:", "v1:k2:"), record_id=REC, field="phone")
    _, _, data = token.split(":")
    blob = bytearray(base64.b64decode(data))
    blob[-1] ^= 1
    with pytest.raises(DecryptionFailed):
        c.decrypt("v1:k1:" + base64.b64encode(bytes(blob)).decode(), record_id=REC,
                  field="phone")


def test_decrypt_picks_the_key_by_id() -> None:
    old = FieldCipher({"k1": K1}, "k1")
    token = old.encrypt(PHONE, record_id=REC, field="phone")
    rotated = old.with_active("k2", K2)
    assert rotated.active_key_id == "k2"
    assert rotated.decrypt(token, record_id=REC, field="phone") == PHONE
    fresh = rotated.encrypt(PHONE, record_id=REC, field="phone")
    assert key_id_of(fresh) == "k2"
    with pytest.raises(UnknownKey, match="k2"):
        old.decrypt(fresh, record_id=REC, field="phone")


@pytest.mark.parametrize("token", ["", "plain text", "v2:k1:AAAA", "v1:k1:not base64!",
                                   "v1:k1:" + base64.b64encode(b"short").decode(),
                                   "v1:bad:id:AAAA"])
def test_malformed_ciphertext(token: str) -> None:
    with pytest.raises(MalformedCiphertext):
        cipher().decrypt(token, record_id=REC, field="phone")


def test_bad_keys_are_refused() -> None:
    with pytest.raises(BadKey):
        FieldCipher({"k1": b"short"}, "k1")
    with pytest.raises(BadKey):
        FieldCipher({"has:colon": K1}, "has:colon")
    with pytest.raises(UnknownKey):
        FieldCipher({"k1": K1}, "k9")


def test_blind_index_is_a_keyed_hmac_of_its_own_key() -> None:
    c1, c2 = cipher("k1"), cipher("k2")
    index = c1.blind_index(PHONE)
    assert len(index) == 64 and int(index, 16) >= 0
    assert c1.blind_index(PHONE) == index  # deterministic: lookups work
    assert c1.blind_index("+6281200000002") != index
    assert c2.blind_index(PHONE) != index  # changes with the active key (rotation re-indexes)
    # Neither a plain hash nor an HMAC under the master key itself: a separate index key.
    assert index != hashlib.sha256(PHONE.encode()).hexdigest()
    assert index != hmac.new(K1, PHONE.encode(), hashlib.sha256).hexdigest()


def test_repr_never_shows_key_material() -> None:
    text = repr(cipher())
    assert "k1" in text
    for key in (K1, K2):
        assert key.hex() not in text and base64.b64encode(key).decode() not in text


def test_new_key_ids_are_valid_and_distinct() -> None:
    ids = {new_key_id() for _ in range(50)}
    assert len(ids) == 50
    for kid in ids:
        FieldCipher({kid: K1}, kid)


@given(st.text(max_size=300), st.sampled_from(["phone", "email", "address", "name"]))
def test_round_trip_property(value: str, field: str) -> None:
    c = cipher()
    assert c.decrypt(c.encrypt(value, record_id=REC, field=field), record_id=REC,
                     field=field) == value

"""Notification signatures: SHA-512 of order_id + status_code + gross_amount + server key."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from sync.midtrans.signature import notification_signature, verify_notification

KEY = "SB-Mid-server-TEST-KEY-123"
# Computed independently of the module under test, on the literal concatenated string.
EXPECTED = hashlib.sha512(b"order-1011010000.00SB-Mid-server-TEST-KEY-123").hexdigest()


def payload(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "order_id": "order-101",
        "status_code": "10",  # odd on purpose: the concatenation has no separators
        "gross_amount": "10000.00",
        "transaction_status": "settlement",
        "signature_key": EXPECTED,
    }
    data.update(overrides)
    return data


def test_known_example() -> None:
    sig = notification_signature("order-101", "10", "10000.00", KEY)
    assert sig == EXPECTED
    assert len(sig) == 128 and sig == sig.lower()


def test_realistic_notification_verifies() -> None:
    sig = hashlib.sha512(("ORD-7" + "200" + "154600.00" + KEY).encode()).hexdigest()
    note = {"order_id": "ORD-7", "status_code": "200", "gross_amount": "154600.00",
            "signature_key": sig, "transaction_status": "settlement"}
    assert verify_notification(note, KEY)


def test_valid_payload_verifies() -> None:
    assert verify_notification(payload(), KEY)


@pytest.mark.parametrize("field,value", [
    ("order_id", "order-102"),
    ("status_code", "201"),
    ("gross_amount", "10000.01"),
    ("gross_amount", "10000"),  # the notification's own string is signed, not the number
    ("signature_key", EXPECTED[:-1] + ("0" if EXPECTED[-1] != "0" else "1")),
    ("signature_key", ""),
])
def test_tampered_field_fails(field: str, value: str) -> None:
    assert not verify_notification(payload(**{field: value}), KEY)


def test_wrong_key_fails() -> None:
    assert not verify_notification(payload(), KEY + "x")


def test_empty_server_key_never_verifies() -> None:
    forged = hashlib.sha512(b"order-1011010000.00").hexdigest()
    assert not verify_notification(payload(signature_key=forged), "")


@pytest.mark.parametrize("missing", ["order_id", "status_code", "gross_amount", "signature_key"])
def test_missing_field_fails(missing: str) -> None:
    data = payload()
    del data[missing]
    assert not verify_notification(data, KEY)


@pytest.mark.parametrize("field,value", [
    ("gross_amount", 10000), ("status_code", 10), ("signature_key", None),
    ("signature_key", "é" * 128),  # non-ASCII must not crash the constant-time compare
])
def test_garbled_types_fail_without_raising(field: str, value: Any) -> None:
    assert not verify_notification(payload(**{field: value}), KEY)


def test_uppercase_hex_is_the_same_signature() -> None:
    assert verify_notification(payload(signature_key=EXPECTED.upper()), KEY)

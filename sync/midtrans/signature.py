"""Midtrans HTTP-notification signatures (for a future webhook relay).

A terminal behind NAT never receives webhooks; it polls status. If a relay ever forwards a
notification, the payload is trusted only when its ``signature_key`` matches:
lowercase hex SHA-512 of ``order_id + status_code + gross_amount + server_key``, computed on
the notification's *own strings* (``"10000.00"``, never a re-formatted integer).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any


def notification_signature(
    order_id: str, status_code: str, gross_amount: str, server_key: str
) -> str:
    """The signature Midtrans puts in ``signature_key``: lowercase hex SHA-512."""
    text = order_id + status_code + gross_amount + server_key
    return hashlib.sha512(text.encode("utf-8")).hexdigest()


def verify_notification(payload: Mapping[str, Any], server_key: str) -> bool:
    """True only if ``payload['signature_key']`` is the signature of its own fields.

    Anything malformed (missing field, non-string field) is simply *not verified*: a relay
    must never crash on a forged or garbled payload. An empty server key never verifies,
    because then anyone could compute the "signature".
    """
    if not server_key:
        return False
    fields = [payload.get(name) for name in ("order_id", "status_code", "gross_amount")]
    given = payload.get("signature_key")
    if not isinstance(given, str) or not all(isinstance(f, str) for f in fields):
        return False
    order_id, status_code, gross_amount = (str(f) for f in fields)
    expected = notification_signature(order_id, status_code, gross_amount, server_key)
    # Compare bytes: compare_digest refuses non-ASCII str, and a forged payload may hold any.
    # Constant time, so response timing tells an attacker nothing about how close they are.
    return hmac.compare_digest(expected.encode("ascii"), given.lower().encode("utf-8"))

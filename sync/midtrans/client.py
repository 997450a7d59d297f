"""httpx client for the Midtrans Core API (``/v2``): charge, status, cancel, expire, refund.

Every call returns a :class:`MidtransReply`; no network or provider fault is raised. The
provider-job dispatcher stores the reply on the job row and decides what to do next from
``outcome``:

- ``ok``        Midtrans answered with a transaction (pending, paid, ended, refunded...).
- ``exists``    body ``406``: the order_id (charge) or refund_key (refund) is already used.
                After a lost reply this is the *normal* answer: look the order up.
- ``not_found`` body ``404``: Midtrans has no such transaction.
- ``rejected``  Midtrans (or our own validation, before sending) refused the request;
                sending it again unchanged will not help.
- ``retry``     a transient refusal (429, 5xx, 900, 202 "still in progress", connect
                failure); the request had no effect (``sent`` tells whether it left at all).
- ``unknown``   the request may have reached Midtrans but we have no usable answer
                (read timeout, dropped connection, garbage body). Never charge again blindly:
                ask ``status`` first.

Classification follows the *body* ``status_code``: Midtrans puts business errors such as
406 and 412 inside HTTP 200 bodies, so the HTTP status alone would call them successes.
"""

from __future__ import annotations

import base64
import copy
import email.utils
import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import quote

import httpx

log = logging.getLogger(__name__)

#: Our payment methods -> the parts of the ``/v2/charge`` body that select the channel.
#: Deep-copied per request, so a caller mutating a body never changes the table.
METHOD_TO_CHARGE: Final[dict[str, Mapping[str, Any]]] = {
    "qris": {"payment_type": "qris", "qris": {"acquirer": "gopay"}},
    "gopay": {"payment_type": "gopay"},
    "shopeepay": {"payment_type": "shopeepay"},
    "va_bca": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bca"}},
    "va_bni": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bni"}},
    "va_bri": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bri"}},
    "va_permata": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "permata"}},
}

# Midtrans declines order ids over 50 characters or with symbols other than - _ ~ .
# All of those are URL-unreserved, so a valid id is also safe as a path segment -- except
# "." and "..", which a URL resolver would treat as directory steps.
_ORDER_ID = re.compile(r"[A-Za-z0-9\-_~.]{1,50}")
_REFUND_KEY = re.compile(r"[A-Za-z0-9\-_]{1,100}")
# "20000.00" -> 20000. Only whole rupiah: a non-zero fraction means the reply is not what
# we charged (we only ever send integers), so it must not be turned into money silently.
_AMOUNT = re.compile(r"(\d{1,18})(?:\.0{1,2})?")
# Midtrans's maximum VA/e-wallet expiry is 180 days.
_MAX_EXPIRY_MINUTES = 180 * 24 * 60

_OK_CODES = frozenset({"200", "201", "407"})  # 407: "Success, transaction has expired"
_REJECTED_CODES = frozenset(
    {"400", "401", "402", "405", "408", "411", "412", "413", "414"}
)
_RETRY_CODES = frozenset({"429", "500", "502", "503", "504", "900"})
_ENDED = frozenset({"expire", "cancel", "deny", "failure"})

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class MidtransReply:
    """What one Midtrans call came to, as plain values (stored on the job row)."""

    outcome: str  # "ok" | "exists" | "not_found" | "rejected" | "retry" | "unknown"
    sent: bool  # False only when the request certainly never reached Midtrans
    http_status: int | None = None
    status_code: str | None = None  # the BODY status_code, e.g. "201", "406", "407"
    transaction_status: str | None = None
    fraud_status: str | None = None
    order_id: str | None = None
    transaction_id: str | None = None
    gross_amount: int | None = None
    qr_string: str | None = None
    va_bank: str | None = None
    va_number: str | None = None
    deeplink_url: str | None = None
    qr_url: str | None = None
    expiry_time: str | None = None
    refund_amount: int | None = None
    message: str = ""
    retry_after: float | None = None
    # A plain dict copy (JSON-serialisable for the job row); treat it as read-only.
    body: Mapping[str, Any] = field(default_factory=dict)

    @property
    def paid(self) -> bool:
        """Paid means settlement, or a card capture that fraud detection accepted."""
        if self.transaction_status == "settlement":
            return True
        return self.transaction_status == "capture" and self.fraud_status == "accept"

    @property
    def ended(self) -> bool:
        """The attempt is over without payment; the till offers another method."""
        return self.transaction_status in _ENDED


def parse_amount(value: Any) -> int | None:
    """Midtrans's ``"20000.00"`` as integer rupiah; ``None`` if absent or not whole rupiah."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str):
        match = _AMOUNT.fullmatch(value.strip())
        if match:
            return int(match.group(1))
    return None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP-date)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP-date is GMT by definition
            return None
        current = time.time() if now is None else now
        return max(0.0, when.timestamp() - current)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return max(0.0, seconds)


def valid_order_id(order_id: object) -> bool:
    return (
        isinstance(order_id, str)
        and _ORDER_ID.fullmatch(order_id) is not None
        and order_id not in (".", "..")
    )


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    return None


def _action_url(body: Mapping[str, Any], name: str) -> str | None:
    actions = body.get("actions")
    if not isinstance(actions, list):
        return None
    for action in actions:
        if isinstance(action, Mapping) and action.get("name") == name:
            return _str_or_none(action.get("url"))
    return None


def _va(body: Mapping[str, Any]) -> tuple[str | None, str | None]:
    numbers = body.get("va_numbers")
    if isinstance(numbers, list) and numbers and isinstance(numbers[0], Mapping):
        return _str_or_none(numbers[0].get("bank")), _str_or_none(numbers[0].get("va_number"))
    # Permata is the odd one: its number comes in a top-level field of its own.
    permata = _str_or_none(body.get("permata_va_number"))
    if permata is not None:
        return "permata", permata
    return None, None


def _classify(
    http_status: int, body: Mapping[str, Any] | None, *, is_post: bool
) -> tuple[str, str | None]:
    """(outcome, body status_code) from one HTTP answer. The body code wins."""
    code = _str_or_none(body.get("status_code")) if body is not None else None
    tx_status = _str_or_none(body.get("transaction_status")) if body is not None else None
    if code is not None:
        if code in _OK_CODES:
            return "ok", code
        if code == "202" and tx_status in _ENDED:
            # "Denied or rejected" carries a *final* transaction status: a real answer.
            return "ok", code
    if http_status == 202 and is_post:
        # Same Idempotency-Key while the first request is still running: ask again later.
        return "retry", code
    if code is not None:
        if code == "406":
            return "exists", code
        if code == "404":
            return "not_found", code
        if code in _REJECTED_CODES or code == "202":
            # A 202 without a final status is e.g. a bank-rejected refund: it did not happen.
            return "rejected", code
        if code in _RETRY_CODES:
            return "retry", code
        if code.startswith("4"):
            return "rejected", code
        if code.startswith("5"):
            return "retry", code
        return "unknown", code
    # No Midtrans body: a proxy, a load balancer or a broken reply spoke, not Midtrans.
    if http_status >= 500 or http_status in (408, 429):
        return "retry", None
    if 400 <= http_status < 500:
        # Even a bare 404 is not Midtrans saying "no such transaction" (that has a body);
        # it is more likely a wrong base URL, which retrying will not fix.
        return "rejected", None
    return "unknown", None


class MidtransClient:
    """One Midtrans account (server key) at one base URL: simulator, sandbox or production.

    Thread-safe as far as httpx.Client is: one instance may serve the dispatcher's pool.
    """

    def __init__(
        self,
        base_url: str,
        server_key: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._server_key = server_key
        token = base64.b64encode(f"{server_key}:".encode()).decode("ascii")
        # Redaction list for messages: the key and its Basic form must never be echoed.
        self._secrets = tuple(s for s in (server_key, token) if s)
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={
                "Authorization": f"Basic {token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
            follow_redirects=False,
        )

    def __repr__(self) -> str:  # never the key, whatever prints a client
        return f"MidtransClient(base_url={str(self._http.base_url)!r})"

    def __enter__(self) -> MidtransClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- calls -------------------------------------------------------------------------

    def charge(
        self,
        *,
        order_id: str,
        amount: int,
        method: str,
        idempotency_key: str,
        expiry_minutes: int | None = None,
    ) -> MidtransReply:
        """``POST /v2/charge``. After ``unknown``/``retry`` ask :meth:`status` before charging again."""
        parts = METHOD_TO_CHARGE.get(method)
        if parts is None:
            return _refused(f"unknown payment method {method!r}")
        if not valid_order_id(order_id):
            return _refused("order_id must be 1-50 letters, digits or - _ ~ .")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            return _refused("amount must be a positive integer of rupiah")
        if not idempotency_key or len(idempotency_key) > 46:
            # Midtrans silently ignores a longer key: we would lose the protection unawares.
            return _refused("idempotency_key must be 1-46 characters (use a UUID)")
        body: dict[str, Any] = copy.deepcopy(dict(parts))
        body["transaction_details"] = {"order_id": order_id, "gross_amount": amount}
        if expiry_minutes is not None:
            if (
                isinstance(expiry_minutes, bool)
                or not isinstance(expiry_minutes, int)
                or not 1 <= expiry_minutes <= _MAX_EXPIRY_MINUTES
            ):
                return _refused("expiry_minutes must be between 1 and 259200")
            # No order_time: Midtrans then counts from its own clock, not the till's,
            # which may be wrong on an offline PC.
            body["custom_expiry"] = {"expiry_duration": expiry_minutes, "unit": "minute"}
        return self._call("POST", "/v2/charge", body, idempotency_key=idempotency_key)

    def status(self, order_id: str) -> MidtransReply:
        """``GET /v2/{order_id}/status``: the full transaction object."""
        if not valid_order_id(order_id):
            return _refused("order_id must be 1-50 letters, digits or - _ ~ .")
        return self._call("GET", f"/v2/{quote(order_id, safe='')}/status", None)

    def cancel(self, order_id: str) -> MidtransReply:
        """``POST /v2/{order_id}/cancel``; 412 (rejected) once it is settled."""
        if not valid_order_id(order_id):
            return _refused("order_id must be 1-50 letters, digits or - _ ~ .")
        return self._call("POST", f"/v2/{quote(order_id, safe='')}/cancel", None)

    def expire(self, order_id: str) -> MidtransReply:
        """``POST /v2/{order_id}/expire``; success is body 407, and frees the order_id."""
        if not valid_order_id(order_id):
            return _refused("order_id must be 1-50 letters, digits or - _ ~ .")
        return self._call("POST", f"/v2/{quote(order_id, safe='')}/expire", None)

    def refund(
        self,
        order_id: str,
        *,
        refund_key: str,
        amount: int | None = None,
        reason: str | None = None,
    ) -> MidtransReply:
        """``POST /v2/{order_id}/refund``. Re-sending the same ``refund_key`` is the same refund.

        No Idempotency-Key header here: the refund_key already makes a retry idempotent, and
        a stored header response would hide a 406 if the amount were ever wrongly changed.
        """
        if not valid_order_id(order_id):
            return _refused("order_id must be 1-50 letters, digits or - _ ~ .")
        if not isinstance(refund_key, str) or not _REFUND_KEY.fullmatch(refund_key):
            return _refused("refund_key must be letters, digits, - or _")
        body: dict[str, Any] = {"refund_key": refund_key}
        if amount is not None:
            if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
                return _refused("refund amount must be a positive integer of rupiah")
            body["amount"] = amount
        if reason is not None:
            body["reason"] = reason
        return self._call("POST", f"/v2/{quote(order_id, safe='')}/refund", body)

    # --- plumbing ----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        *,
        idempotency_key: str | None = None,
    ) -> MidtransReply:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        content = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        if content is None and method == "POST":
            content = b"{}"  # an empty JSON object, not an empty body, for cancel/expire
        try:
            response = self._http.request(method, path, content=content, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # The request never left this machine: nothing can have happened at Midtrans.
            reply = MidtransReply("retry", sent=False, message=self._error_text(exc))
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            # A bad base URL setting: refused before sending, and retrying will not fix it.
            reply = MidtransReply("rejected", sent=False, message=self._error_text(exc))
        except (httpx.HTTPError, httpx.StreamError) as exc:
            # Read/write timeout, dropped connection, protocol error: the request may have
            # been processed. Only a status query can tell.
            reply = MidtransReply("unknown", sent=True, message=self._error_text(exc))
        else:
            reply = self._reply(response, is_post=method == "POST")
        log.debug(
            "midtrans %s %s -> %s (http %s, body status_code %s)",
            method, path, reply.outcome, reply.http_status, reply.status_code,
        )
        return reply

    def _reply(self, response: httpx.Response, *, is_post: bool) -> MidtransReply:
        body: Mapping[str, Any] | None
        try:
            parsed = response.json() if response.content else None
        except ValueError:  # HTML error pages from proxies, truncated JSON...
            parsed = None
        body = parsed if isinstance(parsed, dict) else None
        outcome, code = _classify(response.status_code, body, is_post=is_post)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        data: Mapping[str, Any] = body if body is not None else _EMPTY
        message = _str_or_none(data.get("status_message"))
        if message is None:
            message = f"HTTP {response.status_code}" + (
                "" if body is not None else " without a Midtrans JSON body"
            )
        gross_raw = data.get("gross_amount")
        gross = parse_amount(gross_raw)
        refund_raw = data.get("refund_amount")
        refund = parse_amount(refund_raw)
        if outcome in ("ok", "exists") and (
            (gross_raw is not None and gross is None) or (refund_raw is not None and refund is None)
        ):
            # We never send fractions; an amount we cannot read exactly is not trusted.
            outcome = "rejected"
            message = f"unreadable amount in reply: {gross_raw!r}/{refund_raw!r}"
        va_bank, va_number = _va(data)
        return MidtransReply(
            outcome=outcome,
            sent=True,
            http_status=response.status_code,
            status_code=code,
            transaction_status=_str_or_none(data.get("transaction_status")),
            fraud_status=_str_or_none(data.get("fraud_status")),
            order_id=_str_or_none(data.get("order_id")),
            transaction_id=_str_or_none(data.get("transaction_id")),
            gross_amount=gross,
            qr_string=_str_or_none(data.get("qr_string")),
            va_bank=va_bank,
            va_number=va_number,
            deeplink_url=_action_url(data, "deeplink-redirect"),
            qr_url=_action_url(data, "generate-qr-code"),
            expiry_time=_str_or_none(data.get("expiry_time")),
            refund_amount=refund,
            message=self._redact(message),
            retry_after=retry_after,
            body=dict(data),
        )

    def _error_text(self, exc: Exception) -> str:
        return self._redact(f"{type(exc).__name__}: {exc}")[:300]

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _refused(message: str) -> MidtransReply:
    """Our own validation said no: nothing was sent, sending it would not help."""
    return MidtransReply("rejected", sent=False, message=message)

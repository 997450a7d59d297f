"""A Midtrans Core API simulator: a real HTTP server on 127.0.0.1 for tests and demos.

It copies the shapes and quirks the client must survive (see ``reference/providers.md``):
business errors inside HTTP 200 bodies (406 duplicate order_id, 412), HTTP 401 for a bad
key, HTTP 404 for an unknown id, amounts as ``"20000.00"``, times as ``YYYY-MM-DD HH:MM:SS``
in GMT+7, Permata's top-level ``permata_va_number``, ``va_numbers`` for BCA/BNI/BRI, QRIS
``qr_string`` + ``actions``, GoPay's four actions, ShopeePay's ``channel_response_code``,
expire answering body ``407`` and freeing the order_id, refund rules (settlement only, no
VA, ``refund_key`` idempotency) and the 5-minute, success-only ``Idempotency-Key`` store.

Fault modes (seeded, so a failing run can be replayed) let tests lose replies on purpose:
``timeout_after_charge`` records the charge then hangs, ``drop`` closes the connection with
no reply (before or after recording -- see :meth:`MidtransSimulator.fault_log`),
``error_5xx``, ``rate_limit`` and ``slow_seconds``.

Control: the methods below in-process, or over HTTP when it runs as its own process
(``python -m sync.simulators.midtrans --port N``): ``POST /_sim/pay/{order_id}``,
``POST /_sim/expire/{order_id}``, ``POST /_sim/faults`` (JSON of :meth:`set_faults`'s
arguments), ``GET /_sim/transactions``, ``GET /_sim/charges/{order_id}``,
``GET /_sim/fault_log``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import hashlib
import hmac
import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote

from sync.simulators.server import Answer as _Answer
from sync.simulators.server import LocalServer, Request, serve_in_foreground

WIB = timezone(timedelta(hours=7))  # Midtrans times are GMT+7 wall-clock text
IDEMPOTENCY_TTL = 300.0  # Midtrans keeps a successful response for 5 minutes
_MAX_IDEMPOTENCY_KEY = 46  # longer keys are silently ignored by Midtrans
_ORDER_ID = re.compile(r"[A-Za-z0-9\-_~.]{1,50}")
_REFUND_KEY = re.compile(r"[A-Za-z0-9\-_]{1,100}")
_ENDPOINT = re.compile(r"/v2/([^/]+)/(status|cancel|expire|refund)")
_REUSABLE = frozenset({"expire", "cancel", "deny", "failure"})
_REFUNDABLE_TYPES = frozenset({"qris", "gopay", "shopeepay", "credit_card"})
_VA_DIGITS = {"bca": 11, "bni": 16, "bri": 18, "permata": 12}
_STATUS_CODE = {
    "pending": "201", "settlement": "200", "capture": "200", "authorize": "200",
    "cancel": "200", "refund": "200", "partial_refund": "200",
    "expire": "407", "deny": "202", "failure": "202",
}
_DONE = frozenset({"200", "201", "407"})  # body codes of a request that took effect
ENDPOINTS = ("charge", "status", "cancel", "expire", "refund")


def money(amount: int) -> str:
    """Midtrans's amount text: ``20000`` -> ``"20000.00"``."""
    return f"{amount}.00"


def _crc16(data: bytes) -> str:
    """CRC-16/CCITT-FALSE, the checksum closing every QRIS (EMVCo) payload."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _qris_string(transaction_id: str, amount: int) -> str:
    """A well-formed dynamic QRIS payload, so the till's local QR rendering is realistic."""

    def tlv(tag: str, value: str) -> str:
        return f"{tag}{len(value):02d}{value}"

    merchant = tlv("00", "COM.GO-JEK.WWW") + tlv("01", "936009140000000000") + tlv(
        "02", transaction_id.replace("-", "")[:15]) + tlv("03", "UMI")
    body = (
        tlv("00", "01") + tlv("01", "12") + tlv("26", merchant) + tlv("52", "5812")
        + tlv("53", "360") + tlv("54", str(amount)) + tlv("58", "ID")
        + tlv("59", "WARUNGIN SIMULATOR") + tlv("60", "JAKARTA") + "6304"
    )
    return body + _crc16(body.encode("ascii"))


@dataclass(frozen=True, slots=True)
class Faults:
    timeout_after_charge: float = 0.0
    drop: float = 0.0
    error_5xx: float = 0.0
    rate_limit: float = 0.0
    slow_seconds: float = 0.0
    hang_seconds: float = 30.0
    apply_to: tuple[str, ...] = ("charge",)


@dataclass(slots=True)
class _Txn:
    """One Midtrans transaction plus what only the simulator needs to know about it."""

    obj: dict[str, Any]  # exactly what GET status shows
    amount: int
    expires_at: float
    refunded: int = 0
    # refund_key -> (the amount as requested, the response given), for idempotent retries
    refunds_by_key: dict[str, tuple[int | None, dict[str, Any]]] = field(default_factory=dict)


class MidtransSimulator:
    """Thread-safe: every piece of state is read and changed under one lock."""

    def __init__(
        self,
        *,
        server_key: str = "SB-Mid-server-SIMULATOR",
        seed: int = 0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.server_key = server_key
        self._rng = random.Random(seed)
        self._clock = clock or time.time
        self._offset = 0.0
        self._lock = threading.Lock()
        self._faults = Faults()
        self._by_order: dict[str, _Txn] = {}
        self._by_txid: dict[str, _Txn] = {}
        self._history: list[_Txn] = []
        self._charges: dict[str, int] = {}
        self._idem: dict[str, tuple[float, int, dict[str, Any]]] = {}
        self._idem_running: set[str] = set()
        self._fault_log: list[dict[str, Any]] = []
        self._chargeback_seq = 0
        self._http = LocalServer(self._serve, name="midtrans-simulator")

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` once started (empty before)."""
        return self._http.base_url

    def start(self, port: int = 0) -> str:
        """Bind 127.0.0.1 (port 0: any free port) and serve in a daemon thread."""
        return self._http.start(port)

    def stop(self) -> None:
        """Stop serving, wake hanging replies, close every connection, join every thread."""
        self._http.stop()

    def __enter__(self) -> MidtransSimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- control -----------------------------------------------------------------------

    def now(self) -> float:
        """The simulator's clock (seconds since the epoch): idempotency TTL and expiry."""
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the simulator's clock forward (tests of the 5-minute key store, expiry)."""
        with self._lock:
            self._offset += seconds

    def set_faults(
        self,
        *,
        timeout_after_charge: float = 0.0,
        drop: float = 0.0,
        error_5xx: float = 0.0,
        rate_limit: float = 0.0,
        slow_seconds: float = 0.0,
        hang_seconds: float = 30.0,
        apply_to: tuple[str, ...] = ("charge",),
    ) -> None:
        """Switch fault modes on (probabilities per request; they must sum to at most 1)."""
        chances = (timeout_after_charge, drop, error_5xx, rate_limit)
        if any(not 0.0 <= c <= 1.0 for c in chances) or sum(chances) > 1.0 + 1e-9:
            raise ValueError("fault probabilities must be in [0, 1] and sum to at most 1")
        if slow_seconds < 0 or hang_seconds < 0:
            raise ValueError("slow_seconds and hang_seconds must not be negative")
        unknown = set(apply_to) - set(ENDPOINTS)
        if unknown:
            raise ValueError(f"apply_to: unknown endpoints {sorted(unknown)}")
        with self._lock:
            self._faults = Faults(
                float(timeout_after_charge), float(drop), float(error_5xx), float(rate_limit),
                float(slow_seconds), float(hang_seconds), tuple(apply_to),
            )

    def pay(self, order_id: str) -> None:
        """The customer pays: pending -> settlement (KeyError if unknown, ValueError if not pending)."""
        with self._lock:
            txn = self._txn(order_id)
            if txn is None:
                raise KeyError(order_id)
            if txn.obj["transaction_status"] != "pending":
                raise ValueError(f"{order_id} is {txn.obj['transaction_status']}, not pending")
            txn.obj["settlement_time"] = self._stamp()
            self._set_status(txn, "settlement")

    def expire_now(self, order_id: str) -> None:
        """The payment window runs out: pending -> expire."""
        with self._lock:
            txn = self._txn(order_id)
            if txn is None:
                raise KeyError(order_id)
            if txn.obj["transaction_status"] != "pending":
                raise ValueError(f"{order_id} is {txn.obj['transaction_status']}, not pending")
            self._set_status(txn, "expire")

    def charges(self, order_id: str) -> int:
        """How many charges for this order_id created a transaction (2+ = a double charge)."""
        with self._lock:
            return self._charges.get(order_id, 0)

    def transaction(self, order_id: str) -> dict[str, Any] | None:
        """The current transaction for an order_id (or transaction_id), as GET status shows it."""
        with self._lock:
            txn = self._txn(order_id)
            return copy.deepcopy(txn.obj) if txn is not None else None

    def all_transactions(self) -> list[dict[str, Any]]:
        """Every transaction ever created, oldest first (a reused order_id appears twice)."""
        with self._lock:
            for txn in self._history:
                self._lazy_expire(txn)
            return [copy.deepcopy(t.obj) for t in self._history]

    def fault_log(self) -> list[dict[str, Any]]:
        """Each injected fault: ``{"fault", "endpoint", "order_id", "recorded"}``."""
        with self._lock:
            return [dict(entry) for entry in self._fault_log]

    # --- routing ----------------------------------------------------------------------

    def _serve(self, request: Request) -> _Answer:
        if request.path.startswith("/_sim/"):
            return self._control(request.method, request.path, request.body)
        return self._api(request.method, request.path, request.body, request.headers)

    # --- the Midtrans API --------------------------------------------------------------

    def _api(self, method: str, path: str, raw: bytes, headers: Mapping[str, str]) -> _Answer:
        endpoint: str
        target: str | None = None
        if path == "/v2/charge":
            endpoint = "charge"
        else:
            match = _ENDPOINT.fullmatch(path)
            if match is None:
                # Not a Midtrans route: an HTML page, as a front proxy would give.
                return _Answer(404, text=b"<html><body>404 Not Found</body></html>")
            target, endpoint = unquote(match.group(1)), match.group(2)
        wanted = "GET" if endpoint == "status" else "POST"
        if method != wanted:
            return _Answer(405, {"status_code": "405", "status_message":
                                 "HTTP method not allowed for this endpoint"})
        with self._lock:
            faults = self._faults
        slow = faults.slow_seconds if endpoint in faults.apply_to else 0.0
        early = self._early_answer(endpoint, target, raw, headers, faults)
        if isinstance(early, _Answer):
            self._http.wait(slow)  # slow mode delays every reply, refusals included
            return early
        body, key, fault, key_is_new = early
        try:
            # Slow *inside* the Idempotency-Key window, as a slow Midtrans would be: a repeat
            # of the key meanwhile gets the HTTP 202 "still in progress" answer.
            self._http.wait(slow)
            with self._lock:
                if endpoint == "charge":
                    answer = self._charge(body)
                elif target is None:  # unreachable: only /v2/charge has no target
                    answer = _Answer(404, text=b"")
                elif endpoint == "status":
                    answer = self._status(target)
                elif endpoint == "cancel":
                    answer = self._cancel(target)
                elif endpoint == "expire":
                    answer = self._expire(target)
                else:
                    answer = self._refund(target, body)
                code = str((answer.body or {}).get("status_code", ""))
                if key is not None and answer.status == 200 and code in _DONE:
                    self._idem[key] = (self.now(), answer.status,
                                       copy.deepcopy(dict(answer.body or {})))
        finally:
            if key_is_new and key is not None:
                with self._lock:
                    self._idem_running.discard(key)
        order_id = target or _order_id_of(body)
        if fault == "drop_after":  # it happened at "Midtrans", the reply is lost
            self._log_fault("drop", endpoint, order_id, body, recorded=code in _DONE)
            return _Answer(drop=True)
        if fault == "timeout_after_charge":
            self._log_fault("timeout_after_charge", endpoint, order_id, body,
                            recorded=code in _DONE)
            return _Answer(drop=True, hang=faults.hang_seconds)
        return answer

    def _early_answer(
        self, endpoint: str, target: str | None, raw: bytes, headers: Mapping[str, str],
        faults: Faults,
    ) -> _Answer | tuple[dict[str, Any], str | None, str | None, bool]:
        """A reply that needs no processing, or (body, idempotency key, fault, key is new)."""
        if not self._authorized(headers.get("authorization")):
            return _Answer(401, {
                "status_code": "401",
                "status_message": "Access denied due to unauthorized transaction, "
                                  "please check client or server key",
                "id": str(uuid.uuid4()),
            })
        body: dict[str, Any] = {}
        if raw.strip():
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                return _Answer(200, {"status_code": "413", "status_message":
                                     "The request cannot be processed due to syntax error "
                                     "in the request body"})
            body = parsed
        fault, detail = self._draw_fault(faults, endpoint)
        if fault == "rate_limit":
            self._log_fault("rate_limit", endpoint, target, body, recorded=False)
            return _Answer(429, {"status_code": "429", "status_message":
                                 "Too many requests, please try again later"},
                           headers={"Retry-After": "1"} if detail else {})
        if fault == "error_5xx":
            self._log_fault("error_5xx", endpoint, target, body, recorded=False)
            http, code, text = detail
            return _Answer(http, {"status_code": code, "status_message": text})
        if fault == "drop" and detail == "before":
            self._log_fault("drop", endpoint, target, body, recorded=False)
            return _Answer(drop=True)
        if fault == "drop":
            fault = "drop_after"
        key = headers.get("idempotency-key") if endpoint != "status" else None
        if key is not None and (not key or len(key) > _MAX_IDEMPOTENCY_KEY or _is_permata(body)):
            key = None  # Midtrans ignores over-long keys, and keys on Permata VA charges
        if key is None:
            return body, None, fault, False
        with self._lock:
            self._purge_idempotency()
            stored = self._idem.get(key)
            if stored is not None:
                # A repeat key gets the stored response, whatever this request's body says.
                return _Answer(stored[1], copy.deepcopy(stored[2]))
            if key in self._idem_running:
                return _Answer(202, {"status_message": "Request with the same "
                                     "Idempotency-Key is still being processed"})
            self._idem_running.add(key)
        return body, key, fault, True

    def _authorized(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user = decoded.split(":", 1)[0]
        return hmac.compare_digest(user.encode(), self.server_key.encode())

    def _draw_fault(self, faults: Faults, endpoint: str) -> tuple[str | None, Any]:
        """One seeded draw decides the fault, so a seed replays the same sequence."""
        if endpoint not in faults.apply_to:
            return None, None
        with self._lock:
            r = self._rng.random()
            edge = faults.rate_limit
            if r < edge:
                return "rate_limit", self._rng.random() < 0.5
            edge += faults.error_5xx
            if r < edge:
                return "error_5xx", self._rng.choice([
                    (500, "500", "Sorry, we encountered internal server error. "
                                 "We will fix this soon."),
                    (503, "503", "Sorry, the bank or partner is unreachable. Try again later."),
                    (500, "900", "GENERIC_SERVICE_ERROR"),
                ])
            edge += faults.drop
            if r < edge:
                return "drop", self._rng.choice(["before", "after"])
            edge += faults.timeout_after_charge
            if r < edge:
                return "timeout_after_charge", None
        return None, None

    def _log_fault(
        self, fault: str, endpoint: str, order_id: str | None, body: Mapping[str, Any],
        *, recorded: bool,
    ) -> None:
        with self._lock:
            self._fault_log.append({
                "fault": fault, "endpoint": endpoint,
                "order_id": order_id or _order_id_of(body), "recorded": recorded,
            })

    # The handlers below run with self._lock held.

    def _charge(self, body: Mapping[str, Any]) -> _Answer:
        payment_type = body.get("payment_type")
        details = body.get("transaction_details")
        if not isinstance(details, Mapping):
            return _invalid("transaction_details is required")
        order_id = details.get("order_id")
        amount = details.get("gross_amount")
        if not isinstance(order_id, str) or not _ORDER_ID.fullmatch(order_id):
            return _invalid("transaction_details.order_id is invalid")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            return _invalid("transaction_details.gross_amount must be an integer")
        if payment_type not in ("bank_transfer", "qris", "gopay", "shopeepay"):
            return _Answer(200, {"status_code": "402", "status_message":
                                 "Payment channel is not activated."})
        bank = None
        if payment_type == "bank_transfer":
            transfer = body.get("bank_transfer")
            bank = transfer.get("bank") if isinstance(transfer, Mapping) else None
            if bank not in _VA_DIGITS:
                return _invalid("bank_transfer.bank must be one of bca, bni, bri, permata")
        existing = self._by_order.get(order_id)
        if existing is not None:
            self._lazy_expire(existing)
            if existing.obj["transaction_status"] not in _REUSABLE:
                return _Answer(200, {"status_code": "406", "status_message":
                                     "The request could not be completed due to a conflict "
                                     "with the current state of the target resource, "
                                     "order_id has been paid and utilized, please use "
                                     "another order ID", "id": str(uuid.uuid4())})
        now = self.now()
        expiry_seconds = _expiry_seconds(body.get("custom_expiry"), payment_type)
        if expiry_seconds is None:
            return _invalid("custom_expiry is invalid")
        txid = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        obj: dict[str, Any] = {
            "status_code": "201",
            "status_message": "",
            "transaction_id": txid,
            "order_id": order_id,
            "merchant_id": "G000000000",
            "gross_amount": money(amount),
            "currency": "IDR",
            "payment_type": payment_type,
            "transaction_time": _wib(now),
            "transaction_status": "pending",
            "fraud_status": "accept",
            "expiry_time": _wib(now + expiry_seconds),
        }
        base = self.base_url
        if payment_type == "bank_transfer":
            assert isinstance(bank, str)
            number = "".join(str(self._rng.randrange(10)) for _ in range(_VA_DIGITS[bank]))
            obj["status_message"] = "Success, Bank Transfer transaction is created"
            if bank == "permata":
                obj["permata_va_number"] = number  # Permata's own top-level field
            else:
                obj["va_numbers"] = [{"bank": bank, "va_number": number}]
        elif payment_type == "qris":
            qris = body.get("qris")
            acquirer = qris.get("acquirer", "gopay") if isinstance(qris, Mapping) else "gopay"
            obj["status_message"] = "QRIS transaction is created"
            obj["actions"] = [{"name": "generate-qr-code", "method": "GET",
                               "url": f"{base}/v2/qris/{txid}/qr-code"}]
            obj["qr_string"] = _qris_string(txid, amount)
            obj["acquirer"] = acquirer
        elif payment_type == "gopay":
            obj["status_message"] = "GoPay transaction is created"
            obj["actions"] = [
                {"name": "generate-qr-code", "method": "GET",
                 "url": f"{base}/v2/gopay/{txid}/qr-code"},
                {"name": "deeplink-redirect", "method": "GET",
                 "url": f"https://simulator.gopay.example/app/merchanttransfer?tref={txid}"},
                {"name": "get-status", "method": "GET", "url": f"{base}/v2/{txid}/status"},
                {"name": "cancel", "method": "POST", "url": f"{base}/v2/{txid}/cancel"},
            ]
        else:
            obj["status_message"] = "ShopeePay transaction is created"
            obj["channel_response_code"] = "0"
            obj["channel_response_message"] = "success"
            obj["actions"] = [{"name": "deeplink-redirect", "method": "GET",
                               "url": f"https://simulator.shopeepay.example/deeplink?ref={txid}"}]
        response = copy.deepcopy(obj)
        txn = _Txn(obj=obj, amount=amount, expires_at=now + expiry_seconds)
        obj["signature_key"] = self._signature(obj)
        self._by_order[order_id] = txn
        self._by_txid[txid] = txn
        self._history.append(txn)
        self._charges[order_id] = self._charges.get(order_id, 0) + 1
        return _Answer(200, response)

    def _status(self, target: str) -> _Answer:
        txn = self._txn(target)
        if txn is None:
            return _not_found()
        body = copy.deepcopy(txn.obj)
        body["status_message"] = "Success, transaction is found"
        return _Answer(200, body)

    def _cancel(self, target: str) -> _Answer:
        txn = self._txn(target)
        if txn is None:
            return _not_found()
        if txn.obj["transaction_status"] not in ("pending", "capture", "authorize"):
            return _cannot_modify()
        self._set_status(txn, "cancel")
        body = self._summary(txn)
        body.update(status_code="200", status_message="Success, transaction is canceled")
        return _Answer(200, body)

    def _expire(self, target: str) -> _Answer:
        txn = self._txn(target)
        if txn is None:
            return _not_found()
        if txn.obj["transaction_status"] != "pending":
            return _cannot_modify()
        self._set_status(txn, "expire")
        body = self._summary(txn)
        body.update(status_code="407", status_message="Success, transaction has expired")
        return _Answer(200, body)

    def _refund(self, target: str, body: Mapping[str, Any]) -> _Answer:
        txn = self._txn(target)
        if txn is None:
            return _not_found()
        key = body.get("refund_key")
        requested = body.get("amount")
        if key is not None and (not isinstance(key, str) or not _REFUND_KEY.fullmatch(key)):
            return _invalid("refund_key may hold only letters, digits, - and _")
        if requested is not None and (
            isinstance(requested, bool) or not isinstance(requested, int) or requested < 1
        ):
            return _invalid("amount must be a positive integer")
        if isinstance(key, str) and key in txn.refunds_by_key:
            first_amount, first_response = txn.refunds_by_key[key]
            if first_amount == requested:
                return _Answer(200, copy.deepcopy(first_response))  # the same refund again
            return _Answer(200, {"status_code": "406", "status_message": "Duplicate refund ID",
                                 "id": str(uuid.uuid4())})
        if txn.obj["payment_type"] not in _REFUNDABLE_TYPES:
            return _Answer(200, {"status_code": "412", "status_message":
                                 "Transaction status cannot be updated: payment type does "
                                 "not support refund"})
        if txn.obj["transaction_status"] not in ("settlement", "partial_refund"):
            return _cannot_modify()
        remaining = txn.amount - txn.refunded
        amount = remaining if requested is None else requested
        if amount > remaining:
            return _Answer(200, {"status_code": "414", "status_message":
                                 "Refund amount exceeds the remaining transaction amount"})
        if txn.obj["payment_type"] == "shopeepay" and amount != txn.amount:
            return _Answer(200, {"status_code": "414", "status_message":
                                 "Partial refund is not supported for this payment type"})
        if key is None:
            key = f"sim-{uuid.UUID(int=self._rng.getrandbits(128), version=4)}"
        self._chargeback_seq += 1
        txn.refunded += amount
        status = "refund" if txn.refunded == txn.amount else "partial_refund"
        reason = body.get("reason")
        txn.obj.setdefault("refunds", []).append({
            "refund_chargeback_id": self._chargeback_seq,
            "refund_amount": money(amount),
            "created_at": self._stamp(),
            "reason": reason if isinstance(reason, str) else "",
            "refund_key": key,
        })
        txn.obj["refund_amount"] = money(txn.refunded)
        self._set_status(txn, status)
        response = self._summary(txn)
        response.update(
            status_code="200", status_message="Success, refund request is approved",
            refund_chargeback_id=self._chargeback_seq, refund_amount=money(txn.refunded),
            refund_key=key,
        )
        txn.refunds_by_key[key] = (requested, copy.deepcopy(response))
        return _Answer(200, response)

    # --- state helpers (lock held) -------------------------------------------------------

    def _txn(self, target: str) -> _Txn | None:
        txn = self._by_order.get(target) or self._by_txid.get(target)
        if txn is not None:
            self._lazy_expire(txn)
        return txn

    def _lazy_expire(self, txn: _Txn) -> None:
        if txn.obj["transaction_status"] == "pending" and self.now() >= txn.expires_at:
            self._set_status(txn, "expire")

    def _set_status(self, txn: _Txn, status: str) -> None:
        txn.obj["transaction_status"] = status
        txn.obj["status_code"] = _STATUS_CODE[status]
        txn.obj["signature_key"] = self._signature(txn.obj)

    def _signature(self, obj: Mapping[str, Any]) -> str:
        # Written here again rather than imported from the client's side (sync.midtrans):
        # the simulator stands for Midtrans, so it must not share the code it checks.
        text = obj["order_id"] + obj["status_code"] + obj["gross_amount"] + self.server_key
        return hashlib.sha512(text.encode("utf-8")).hexdigest()

    def _summary(self, txn: _Txn) -> dict[str, Any]:
        keys = ("transaction_id", "order_id", "merchant_id", "gross_amount", "currency",
                "payment_type", "transaction_time", "transaction_status", "fraud_status")
        return {k: txn.obj[k] for k in keys if k in txn.obj}

    def _purge_idempotency(self) -> None:
        cutoff = self.now() - IDEMPOTENCY_TTL
        for key in [k for k, (at, _, _) in self._idem.items() if at <= cutoff]:
            del self._idem[key]

    def _stamp(self) -> str:
        return _wib(self.now())

    # --- control over HTTP ---------------------------------------------------------------

    def _control(self, method: str, path: str, raw: bytes) -> _Answer:
        parts = [unquote(p) for p in path.split("/")[2:]]
        try:
            if method == "POST" and len(parts) == 2 and parts[0] in ("pay", "expire"):
                action = self.pay if parts[0] == "pay" else self.expire_now
                action(parts[1])
                return _Answer(200, {"ok": True, "transaction": self.transaction(parts[1])})
            if method == "POST" and parts == ["faults"]:
                args = json.loads(raw or b"{}")
                if not isinstance(args, dict):
                    raise ValueError("faults must be a JSON object")
                if "apply_to" in args:
                    args["apply_to"] = tuple(args["apply_to"])
                self.set_faults(**args)
                return _Answer(200, {"ok": True})
            if method == "GET" and parts == ["transactions"]:
                return _Answer(200, {"transactions": self.all_transactions()})
            if method == "GET" and len(parts) == 2 and parts[0] == "charges":
                return _Answer(200, {"order_id": parts[1], "charges": self.charges(parts[1])})
            if method == "GET" and parts == ["fault_log"]:
                return _Answer(200, {"faults": self.fault_log()})
        except KeyError as exc:
            return _Answer(404, {"ok": False, "error": f"unknown order_id {exc}"})
        except (TypeError, ValueError) as exc:
            return _Answer(409 if parts[:1] in (["pay"], ["expire"]) else 400,
                           {"ok": False, "error": str(exc)})
        return _Answer(404, {"ok": False, "error": "no such control endpoint"})


def _is_permata(body: Mapping[str, Any]) -> bool:
    transfer = body.get("bank_transfer")
    return (body.get("payment_type") == "bank_transfer" and isinstance(transfer, Mapping)
            and transfer.get("bank") == "permata")


def _order_id_of(body: Mapping[str, Any]) -> str | None:
    details = body.get("transaction_details")
    if isinstance(details, Mapping) and isinstance(details.get("order_id"), str):
        return str(details["order_id"])
    return None


def _expiry_seconds(custom: Any, payment_type: str) -> float | None:
    if custom is None:
        # Defaults: a day for a VA; a QR or e-wallet deeplink is short-lived.
        return 24 * 3600.0 if payment_type == "bank_transfer" else 15 * 60.0
    if not isinstance(custom, Mapping):
        return None
    duration = custom.get("expiry_duration")
    unit = custom.get("unit", "minute")
    scale = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}.get(str(unit))
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 1 or not scale:
        return None
    return float(duration * scale)


def _wib(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, WIB).strftime("%Y-%m-%d %H:%M:%S")


def _invalid(message: str) -> _Answer:
    return _Answer(200, {"status_code": "400", "status_message":
                         "One or more parameters in the payload is invalid.",
                         "validation_messages": [message]})


def _not_found() -> _Answer:
    return _Answer(404, {"status_code": "404", "status_message": "Transaction doesn't exist.",
                         "id": str(uuid.uuid4())})


def _cannot_modify() -> _Answer:
    return _Answer(200, {"status_code": "412", "status_message":
                         "Merchant cannot modify the status of the transaction"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the Midtrans simulator in the foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--server-key", default="SB-Mid-server-SIMULATOR")
    args = parser.parse_args(argv)
    sim = MidtransSimulator(server_key=args.server_key, seed=args.seed)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())

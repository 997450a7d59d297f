"""JNE direct (apiv2.jne.co.id): tariff, generate CNOTE (the airway bill), tracking.

Every call is a form-encoded POST carrying ``username`` and ``api_key`` in the body. JNE
answers its errors inside HTTP 200 bodies, ``{"error": "...", "status": false}``, where the
flag is a bool or the *strings* ``"false"`` / ``"Error"``: the body decides, never the HTTP
status. ``"Cnote No. Not Found."`` is ``not_found``; other errors are ``rejected``.

**OLSHOP_ORDERID** (our merchant reference, at most 20 characters) is
:func:`jne_order_id`: the RFC 4648 base32 text of the shipment UUID's 16 bytes, first 20
characters, i.e. the UUID's first 100 bits. For our UUIDv7s those are the 48-bit
millisecond timestamp, the version, 12 random bits, the variant and 34 more random bits:
two shipments get the same id only if they were made in the same millisecond *and* 46
random bits agree (about 1 in 7·10^13 for such a pair). The hex text's first 20 characters
would keep only 80 bits of which 48 are the time (32 random: a real risk for a busy tenant
with many tills); its last 20 characters drop the time. The id is stable: the same UUID
always gives the same id, so a resend after a lost reply carries the same reference.

**Addresses**: each OLSHOP_*_ADDR line holds at most 30 characters. :func:`split_address`
spreads a longer address over ADDR1..ADDR3 at word boundaries (a single word longer than a
line is cut); one that does not fit in 3×30 is refused before sending, with ``field`` =
``origin_address`` or ``recipient_address``.

**No look-up by order id**: JNE documents none. ``find`` with a waybill tracks it; without
one it answers ``unknown`` ("JNE cannot look it up"): the handler decides (JNE's own
duplicate check on OLSHOP_ORDERID is undocumented, so a resend is not known to be safe).
JNE documents no cancel API either: ``cancel`` is ``rejected`` (call the branch).

Tracking history stamps (``"02-09-2019 23:25"``) are read as WIB and stored as UTC.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from services.courier_port import (
    CourierReply,
    Rate,
    RateRequest,
    ShipmentKeys,
    ShipmentOrder,
    TrackPoint,
)
from sync.couriers.base import (
    CREDENTIALS,
    Answer,
    CourierHttp,
    as_dict,
    as_int,
    as_list,
    as_str,
    error_text,
    falsy,
    kilograms,
    utc_iso,
)
from sync.jobs.ratelimit import Limit, RateLimits

PRODUCTION_URL = "http://apiv2.jne.co.id:10101"
SANDBOX_URL = "http://apiv2.jne.co.id:10102"
#: JNE publishes no rate limit: our own modest ceiling, so that a 429 can hold the group.
DEFAULT_LIMITS: Mapping[str, Limit] = {"orders": Limit(20.0), "rates": Limit(20.0),
                                       "tracking": Limit(20.0)}
LINE_WIDTH = 30
ADDRESS_LINES = 3
ORDER_ID_LENGTH = 20

TARIFF_PATH = "/tracing/api/pricedev"
CNOTE_PATH = "/tracing/api/generatecnote"
TRACK_PATH = "/tracing/api/list/v1/cnote/{awb}"

_NOT_FOUND = re.compile(r"not\s*found|tidak\s*ditemukan", re.I)
#: [unverified] wordings of a duplicate OLSHOP_ORDERID: "already created" for us.
_DUPLICATE = re.compile(r"already|duplicate|sudah\s*(ada|digunakan|terdaftar)|tidak boleh sama",
                        re.I)

#: JNE history / POD wording -> our status. First match wins, so the specific words
#: ("UNDELIVERED", "RETURNED TO SHIPPER") come before the general ones ("DELIVERED").
JNE_STATUS: tuple[tuple[str, str], ...] = (
    ("CANCEL", "cancelled"),
    ("RETURNED TO SHIPPER", "returned"), ("RETURN TO SHIPPER", "returning"),
    ("RETUR", "returning"),
    ("UNDELIVERED", "on_hold"), ("CRISS CROSS", "on_hold"), ("PROBLEM", "on_hold"),
    ("HOLD", "on_hold"),
    ("DELIVERED", "delivered"),
    ("WITH DELIVERY COURIER", "in_transit"), ("ON DELIVERY", "in_transit"),
    ("RECEIVED AT", "in_transit"), ("DEPART", "in_transit"), ("TRANSIT", "in_transit"),
    ("MANIFEST", "in_transit"), ("PROCESS", "in_transit"), ("INBOUND", "in_transit"),
    ("OUTBOUND", "in_transit"),
    ("SHIPMENT RECEIVED BY JNE COUNTER", "picked_up"), ("PICKED UP", "picked_up"),
    ("PICKUP", "picked_up"), ("PICK UP", "picked_up"),
)


def jne_status(text: str | None) -> str:
    """Our status for a JNE history or POD text (``in_transit`` when it names none)."""
    upper = (text or "").upper()
    for word, ours in JNE_STATUS:
        if word in upper:
            return ours
    return "in_transit"


def jne_order_id(reference: str) -> str:
    """OLSHOP_ORDERID for a shipment UUID: base32 of its bytes, first 20 characters (see the
    module docstring for why). ValueError if ``reference`` is no UUID."""
    raw = uuid.UUID(reference).bytes
    return base64.b32encode(raw).decode("ascii")[:ORDER_ID_LENGTH]


def split_address(text: str, *, width: int = LINE_WIDTH,
                  lines: int = ADDRESS_LINES) -> tuple[str, ...] | None:
    """The address over at most ``lines`` lines of ``width`` characters, broken at spaces
    (a word longer than a line is cut); None when it does not fit (or is empty)."""
    words: list[str] = []
    for word in text.split():
        while len(word) > width:
            words.append(word[:width])
            word = word[width:]
        if word:
            words.append(word)
    if not words:
        return None
    out: list[str] = []
    current = ""
    for word in words:
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            out.append(current)
            current = word
    out.append(current)
    if len(out) > lines:
        return None
    return tuple(out) + ("",) * (lines - len(out))


class JneClient:
    """One JNE account (username + API key, branch, customer id).
    Implements :class:`services.courier_port.CourierClient`."""

    name = "jne"

    def __init__(self, base_url: str, username: str, api_key: str, *, branch: str,
                 customer_id: str, timeout: float = 10.0, limits: RateLimits | None = None,
                 transport: httpx.BaseTransport | None = None, max_wait: float = 2.0) -> None:
        self._username = username
        self._api_key = api_key
        self._branch = branch
        self._customer_id = customer_id
        self._http = CourierHttp(
            "jne", base_url=base_url, timeout=timeout,
            limits=limits if limits is not None else RateLimits(DEFAULT_LIMITS),
            transport=transport, max_wait=max_wait, secrets=(api_key,))

    def __repr__(self) -> str:
        return f"JneClient(base_url={str(self._http.client.base_url)!r})"

    def close(self) -> None:
        self._http.close()

    def _form(self, fields: Mapping[str, str]) -> dict[str, str]:
        return {"username": self._username, "api_key": self._api_key, **fields}

    # --- tariff -------------------------------------------------------------------------

    def rates(self, request: RateRequest) -> CourierReply:
        """``pricedev`` from the origin's to the destination's JNE code, by the chargeable
        weight (actual or volumetric, whichever is more) in whole kilograms."""
        if not request.origin.code:
            return self._http.reply("rejected", "origin has no JNE area code",
                                    field="origin_code")
        if not request.destination.code:
            return self._http.reply("rejected", "destination has no JNE area code",
                                    field="destination_code")
        form = self._form({"from": request.origin.code, "thru": request.destination.code,
                           "weight": str(kilograms(request.parcel.chargeable_weight_g))})
        got = self._http.send("POST", TARIFF_PATH, group="rates", write=False, form=form)
        if isinstance(got, CourierReply):
            return got
        failed = self._failure(got, lookup=False)
        if failed is not None:
            return failed
        rates = tuple(r for r in (_rate(e) for e in as_list(got.obj.get("price")))
                      if r is not None)
        return CourierReply("ok", rates=tuple(sorted(rates, key=lambda r: r.price)))

    # --- create -------------------------------------------------------------------------

    def create(self, order: ShipmentOrder, keys: ShipmentKeys) -> CourierReply:
        """``generatecnote`` with OLSHOP_ORDERID = :func:`jne_order_id`. ``ok`` with the
        CNOTE as ``waybill_id``; a timeout or 5xx is ``unknown`` (JNE cannot be asked by
        order id: see :meth:`find`)."""
        if keys.waybill_id is not None:
            return self.track(keys)  # made already: never a second CNOTE
        form = self._cnote_form(order)
        if isinstance(form, CourierReply):
            return form
        got = self._http.send("POST", CNOTE_PATH, group="orders", write=True, form=form)
        if isinstance(got, CourierReply):
            return got
        failed = self._failure(got, lookup=False)
        if failed is not None:
            return failed
        details = [d for d in as_list(got.obj.get("detail")) if isinstance(d, dict)]
        if not details:
            return self._http.reply("unknown", "CNOTE answer without a detail: look it up "
                                    "before sending again")
        first = details[0]
        word = as_str(first.get("status")) or ""
        cnote = as_str(first.get("cnote_no"))
        if word.lower() in ("sukses", "success", "ok") and cnote:
            return CourierReply("ok", status="created", provider_status=word,
                                provider_order_id=form["OLSHOP_ORDERID"], waybill_id=cnote)
        reason = error_text(first) or f"CNOTE refused ({word or 'no status'})"
        if _DUPLICATE.search(reason):
            return self._http.reply("exists", reason,
                                    provider_order_id=form["OLSHOP_ORDERID"], waybill_id=cnote)
        return self._http.reply("rejected", reason, field=_field_named(reason))

    def _cnote_form(self, order: ShipmentOrder) -> dict[str, str] | CourierReply:
        o, d = order.origin, order.destination
        if not o.code:
            return self._http.reply("rejected", "origin has no JNE area code",
                                    field="origin_code")
        if not d.code:
            return self._http.reply("rejected", "destination has no JNE area code",
                                    field="destination_code")
        try:
            order_id = jne_order_id(order.reference)
        except ValueError:
            return self._http.reply("rejected", "the shipment reference is no UUID",
                                    field="reference")
        fields: dict[str, str] = {
            "OLSHOP_BRANCH": self._branch, "OLSHOP_CUST": self._customer_id,
            "OLSHOP_ORDERID": order_id,
        }
        for prefix, place, field_name in (("SHIPPER", o, "origin_address"),
                                          ("RECEIVER", d, "recipient_address")):
            lines = split_address(place.address)
            if lines is None:
                return self._http.reply(
                    "rejected", f"the address must fit in {ADDRESS_LINES} lines of "
                    f"{LINE_WIDTH} characters", field=field_name)
            fields.update({
                f"OLSHOP_{prefix}_NAME": place.name,
                f"OLSHOP_{prefix}_ADDR1": lines[0], f"OLSHOP_{prefix}_ADDR2": lines[1],
                f"OLSHOP_{prefix}_ADDR3": lines[2],
                f"OLSHOP_{prefix}_CITY": place.city or "",
                f"OLSHOP_{prefix}_REGION": place.region or place.city or "",
                f"OLSHOP_{prefix}_ZIP": place.postal_code or "",
                f"OLSHOP_{prefix}_PHONE": place.phone,
            })
        parcel = order.parcel
        fields.update({
            "OLSHOP_QTY": str(parcel.quantity),
            "OLSHOP_WEIGHT": str(kilograms(parcel.chargeable_weight_g)),
            "OLSHOP_GOODSDESC": parcel.description[:60],
            "OLSHOP_GOODSVALUE": str(parcel.declared_value),
            "OLSHOP_GOODSTYPE": "2",  # 1 document, 2 package
            "OLSHOP_INST": (order.note or "")[:60],
            "OLSHOP_INS_FLAG": "N",
            "OLSHOP_ORIG": o.code, "OLSHOP_DEST": d.code,
            "OLSHOP_SERVICE": order.service_code.upper(),
            "OLSHOP_COD_FLAG": "YES" if order.cod_amount else "N",
            "OLSHOP_COD_AMOUNT": str(order.cod_amount),
        })
        return self._form(fields)

    # --- look-up, tracking, cancel ------------------------------------------------------

    def find(self, keys: ShipmentKeys) -> CourierReply:
        if keys.waybill_id is not None:
            return self.track(keys)
        return self._http.reply("unknown", "JNE has no look-up by order id: without the CNOTE "
                                "number it cannot be asked")

    def track(self, keys: ShipmentKeys) -> CourierReply:
        """``list/v1/cnote/{awb}``: status from the POD status (else the last history line),
        history as TrackPoints."""
        if keys.waybill_id is None:
            return CourierReply("not_found", message="jne: no CNOTE to track yet")
        got = self._http.send("POST", TRACK_PATH.format(awb=quote(keys.waybill_id, safe="")),
                              group="tracking", write=False, form=self._form({}))
        if isinstance(got, CourierReply):
            return got
        failed = self._failure(got, lookup=True)
        if failed is not None:
            return failed
        body = got.obj
        cnote = as_dict(body.get("cnote"))
        history = _history(body.get("history"), utc_iso(self._http.now().isoformat()) or "")
        word = as_str(cnote.get("pod_status")) or as_str(cnote.get("last_status"))
        status = jne_status(word) if word else (history[-1].status if history else None)
        return CourierReply("ok", status=status, provider_status=word,
                            waybill_id=as_str(cnote.get("cnote_no")) or keys.waybill_id,
                            history=history)

    def cancel(self, keys: ShipmentKeys, reason: str) -> CourierReply:
        return self._http.reply("rejected", "JNE publishes no cancel API: ask the JNE branch "
                                "to cancel the CNOTE", field="shipment")

    # --- plumbing -----------------------------------------------------------------------

    def _failure(self, got: Answer, *, lookup: bool) -> CourierReply | None:
        """None when the body is a success; the reply an error body deserves otherwise."""
        body = got.obj
        message = error_text(body)
        if got.status in (401, 403):
            return self._http.reply("rejected", f"credentials refused (HTTP {got.status})",
                                    field=CREDENTIALS)
        errored = falsy(body.get("status")) or as_str(body.get("error")) is not None
        if not errored and 200 <= got.status < 300 and got.body is not None:
            return None
        text = message or f"HTTP {got.status}"
        if lookup and (_NOT_FOUND.search(text) or got.status == 404):
            return self._http.reply("not_found", text)
        if got.body is None and 200 <= got.status < 300:
            return self._http.reply("retry" if lookup else "unknown",
                                    f"unreadable answer (HTTP {got.status})")
        if re.search(r"api.?key|username|unauthori[sz]ed|invalid user", text, re.I):
            return self._http.reply("rejected", text, field=CREDENTIALS)
        return self._http.reply("rejected", text, field=_field_named(text))


def _field_named(text: str) -> str | None:
    match = re.search(r"OLSHOP_(SHIPPER|RECEIVER)_ADDR", text, re.I)
    if match:
        return "origin_address" if match.group(1).upper() == "SHIPPER" else "recipient_address"
    match = re.search(r"OLSHOP_[A-Z_]+", text, re.I)
    return match.group(0).upper() if match else None


def _rate(entry: Any) -> Rate | None:
    if not isinstance(entry, dict):
        return None
    price = as_int(entry.get("price"))
    code = as_str(entry.get("service_code")) or as_str(entry.get("service_display"))
    if price is None or code is None:
        return None
    low, high = as_int(entry.get("etd_from")), as_int(entry.get("etd_thru"))
    times = (as_str(entry.get("times")) or "D").upper()
    if times != "D" and low is not None:  # hours ("H"): same or next day
        low, high = 0, 1
    if low is not None and high is None:
        high = low
    return Rate(courier="jne", courier_company="jne", service_code=code,
                service_name=as_str(entry.get("service_display")) or code, price=price,
                etd_min_days=low, etd_max_days=high)


def _history(entries: Any, fallback_at: str) -> tuple[TrackPoint, ...]:
    points: list[TrackPoint] = []
    for entry in as_list(entries):
        if not isinstance(entry, dict):
            continue
        desc = as_str(entry.get("desc"))
        at = utc_iso(entry.get("date")) or fallback_at
        points.append(TrackPoint(status=jne_status(desc), provider_status=desc, note=desc,
                                 at=at))
    return tuple(points)


__all__ = ["ADDRESS_LINES", "DEFAULT_LIMITS", "JNE_STATUS", "LINE_WIDTH", "PRODUCTION_URL",
           "SANDBOX_URL", "JneClient", "jne_order_id", "jne_status", "split_address"]

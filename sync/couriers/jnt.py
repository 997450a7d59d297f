"""J&T Express Indonesia direct: order create and cancel (signed), tariff, tracking.

**Signature** (:func:`jnt_sign`): ``base64(md5_hex(json_text + key))`` -- base64 of the
32-character *lowercase hex* digest, not of the 16 raw bytes -- over exactly the JSON text
that is sent. The JSON is made once (compact, ASCII-only, so its bytes cannot differ from
its text) and the same string goes in the form field and into the hash.

**Create**: form fields ``data_param`` (JSON ``{"detail": [entry]}``) and ``data_sign``.
The envelope is ``{"success": true|"true", "desc", "detail": [{"awb_no", "orderid",
"desCode", "etd", "status": "Sukses"}]}``. J&T refuses a second order with the same
``orderid`` (our shipment UUID) inside that envelope: ``status: "Error"``, reason
"Orderid tidak boleh sama" -> outcome ``exists`` (already created: after a timeout the
handler may resend the same create and read ``exists`` as "done"; ``waybill_id`` is filled
when the answer carries one). J&T offers no look-up by order id (``find`` without a waybill
answers ``unknown``).

**Tariff**: form ``data`` + ``sign``; the answer's ``is_success`` is a bool or a string and
``content`` is a JSON *string* holding ``[{name, cost}]``.

**Tracking**: JSON ``{"awb", "eccompanyid"}`` with ``Authorization: Basic
base64(eccompanyid:password)``; ``{awb, detail, history[]}`` or ``{error_id, error_message}``.

**Cancel**: signed like a create, entry ``{username, api_key, orderid, remark}`` (remark cut to
30 characters). Refused once picked up (the reason ends with ``GOT``) -> ``rejected``.

**Statuses** (:data:`JNT_STATUS`, first match wins, case-insensitive, English and
Indonesian wording): Manifes -> created; Pickup / Picked up / Diambil -> picked_up;
Departure, Arrival, Transit, On Delivery, Sedang diantar -> in_transit; Problem, Pending,
Hold -> on_hold; Return ... delivered/diterima, Returned -> returned; Return / Retur ->
returning; Delivered / Terkirim / Diterima -> delivered; Cancel -> cancelled; anything else
-> in_transit (the raw word is kept as ``provider_status``). History stamps
(``"2020-05-12 13:23:45"``) are WIB, stored as UTC.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

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
    WIB,
    Answer,
    CourierHttp,
    as_int,
    as_list,
    as_str,
    error_text,
    kilograms,
    truthy,
    utc_iso,
)
from sync.jobs.ratelimit import Limit, RateLimits

#: Paths of the real endpoints; with one base URL (the simulator) each is base + path.
ORDER_PATH = "/jts-idn-ecommerce-api/api/order/create"
CANCEL_PATH = "/jts-idn-ecommerce-api/api/order/cancel"
TARIFF_PATH = "/jandt_track/inquiry.action"
TRACK_PATH = "/jandt_track/track/trackAction!tracking.action"
#: J&T publishes no rate limit: our own modest ceiling, so that a 429 can hold the group.
DEFAULT_LIMITS: Mapping[str, Limit] = {"orders": Limit(20.0), "rates": Limit(20.0),
                                       "tracking": Limit(20.0)}
REMARK_LENGTH = 30
DUPLICATE_REASON = "Orderid tidak boleh sama"

JNT_STATUS: tuple[tuple[str, str], ...] = (
    ("cancel", "cancelled"),
    ("return delivered", "returned"), ("retur diterima", "returned"), ("returned", "returned"),
    ("return", "returning"), ("retur", "returning"),
    ("problem", "on_hold"), ("bermasalah", "on_hold"), ("pending", "on_hold"),
    ("hold", "on_hold"),
    ("on delivery", "in_transit"), ("sedang diantar", "in_transit"),
    ("delivered", "delivered"), ("terkirim", "delivered"), ("diterima", "delivered"),
    ("departure", "in_transit"), ("arrival", "in_transit"), ("transit", "in_transit"),
    ("berangkat", "in_transit"), ("tiba", "in_transit"),
    ("picked up", "picked_up"), ("pick up", "picked_up"), ("pickup", "picked_up"),
    ("diambil", "picked_up"),
    ("manifes", "created"),
)


def jnt_status(text: str | None) -> str:
    lowered = (text or "").lower()
    for word, ours in JNT_STATUS:
        if word in lowered:
            return ours
    return "in_transit"


def jnt_sign(payload: str, key: str) -> str:
    """``base64(md5_hex(payload + key))``: base64 of the lowercase hex text."""
    hexdigest = hashlib.md5((payload + key).encode("utf-8")).hexdigest()
    return base64.b64encode(hexdigest.encode("ascii")).decode("ascii")


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def _stamp(when: datetime) -> str:
    return when.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S")


class JntClient:
    """One J&T account. Implements :class:`services.courier_port.CourierClient`."""

    name = "jnt"

    def __init__(self, order_url: str, tariff_url: str, track_url: str, cancel_url: str,
                 username: str, api_key: str, sign_key: str, eccompanyid: str,
                 track_password: str, *, timeout: float = 10.0,
                 limits: RateLimits | None = None,
                 transport: httpx.BaseTransport | None = None, max_wait: float = 2.0,
                 now: Callable[[], datetime] | None = None) -> None:
        self._urls = {"order": order_url, "tariff": tariff_url, "track": track_url,
                      "cancel": cancel_url}
        self._username = username
        self._api_key = api_key
        self._sign_key = sign_key
        self._eccompanyid = eccompanyid
        self._track_auth = (eccompanyid, track_password)
        basic = base64.b64encode(f"{eccompanyid}:{track_password}".encode()).decode("ascii")
        self._http = CourierHttp(
            "jnt", timeout=timeout,
            limits=limits if limits is not None else RateLimits(DEFAULT_LIMITS),
            transport=transport, max_wait=max_wait,
            secrets=(api_key, sign_key, track_password, basic),
            now=now or (lambda: datetime.now(UTC)))

    def __repr__(self) -> str:
        return f"JntClient(order_url={self._urls['order']!r})"

    def close(self) -> None:
        self._http.close()

    def _signed(self, data_field: str, sign_field: str, value: Any) -> dict[str, str]:
        text = _json(value)
        return {data_field: text, sign_field: jnt_sign(text, self._sign_key)}

    # --- tariff -------------------------------------------------------------------------

    def rates(self, request: RateRequest) -> CourierReply:
        if not request.origin.code:
            return self._http.reply("rejected", "origin has no J&T site code",
                                    field="origin_code")
        if not request.destination.code:
            return self._http.reply("rejected", "destination has no J&T area code",
                                    field="destination_code")
        data = {"weight": str(kilograms(request.parcel.chargeable_weight_g)),
                "sendSiteCode": request.origin.code, "destAreaCode": request.destination.code,
                "cusName": self._username, "productType": "EZ"}
        got = self._http.send("POST", self._urls["tariff"], group="rates", write=False,
                              form=self._signed("data", "sign", data))
        if isinstance(got, CourierReply):
            return got
        body = got.obj
        if got.status in (401, 403):
            return self._http.reply("rejected", f"credentials refused (HTTP {got.status})",
                                    field=CREDENTIALS)
        content = body.get("content")
        if isinstance(content, str):
            try:
                content = json.loads(content)
            except ValueError:
                pass  # an error text in place of the list
        if truthy(body.get("is_success")) is not True or not (200 <= got.status < 300):
            text = (error_text(body) or (content if isinstance(content, str) else None)
                    or f"tariff refused (HTTP {got.status})")
            return self._http.reply("rejected", text)
        rates: list[Rate] = []
        for entry in as_list(content):
            if not isinstance(entry, dict):
                continue
            name, cost = as_str(entry.get("name")), as_int(entry.get("cost"))
            if name is None or cost is None:
                continue
            rates.append(Rate(courier="jnt", courier_company="jnt", service_code=name,
                              service_name=name, price=cost, etd_min_days=None,
                              etd_max_days=None))
        return CourierReply("ok", rates=tuple(sorted(rates, key=lambda r: r.price)))

    # --- create -------------------------------------------------------------------------

    def order_entry(self, order: ShipmentOrder) -> dict[str, Any]:
        """The ``detail`` entry of a create (public so tests and the simulator's checks can
        see exactly what is signed)."""
        o, d, p = order.origin, order.destination, order.parcel
        now = self._http.now()
        return {
            "username": self._username, "api_key": self._api_key, "orderid": order.reference,
            "shipper_name": o.name, "shipper_contact": o.name, "shipper_phone": o.phone,
            "shipper_addr": o.address, "origin_code": o.code or "",
            "receiver_name": d.name, "receiver_phone": d.phone, "receiver_addr": d.address,
            "receiver_zip": d.postal_code or "", "destination_code": d.code or "",
            "receiver_area": d.region or d.code or "",
            "qty": p.quantity, "weight": kilograms(p.chargeable_weight_g),
            "goodsdesc": p.description[:100], "goodsvalue": str(p.declared_value),
            "servicetype": 1,  # 1 pickup, 6 drop-off
            "expresstype": (order.service_code or "EZ").upper(),
            "insurance": "0", "cod": str(order.cod_amount) if order.cod_amount else "0",
            "item_name": p.description[:100],
            "orderdate": _stamp(now), "sendstarttime": _stamp(now),
            "sendendtime": _stamp(now + timedelta(days=1)),
            "remark": (order.note or "")[:REMARK_LENGTH],
        }

    def create(self, order: ShipmentOrder, keys: ShipmentKeys) -> CourierReply:
        """``order/create`` with ``orderid`` = the shipment UUID. ``ok`` with ``awb_no`` as
        the waybill; ``exists`` when J&T already holds that orderid."""
        if keys.waybill_id is not None:
            return self.track(keys)  # made already: never a second order
        if not order.origin.code:
            return self._http.reply("rejected", "origin has no J&T site code",
                                    field="origin_code")
        if not order.destination.code:
            return self._http.reply("rejected", "destination has no J&T area code",
                                    field="destination_code")
        form = self._signed("data_param", "data_sign", {"detail": [self.order_entry(order)]})
        got = self._http.send("POST", self._urls["order"], group="orders", write=True,
                              form=form)
        if isinstance(got, CourierReply):
            return got
        envelope = self._envelope(got, write=True)
        if isinstance(envelope, CourierReply):
            if envelope.outcome == "exists":
                return replace(envelope, provider_order_id=order.reference)
            return envelope
        word = (as_str(envelope.get("status")) or "").lower()
        awb = as_str(envelope.get("awb_no"))
        reason = error_text(envelope) or ""
        if word in ("sukses", "success") and awb:
            return CourierReply("ok", status="created", provider_status="Sukses",
                                provider_order_id=as_str(envelope.get("orderid"))
                                or order.reference, waybill_id=awb)
        if DUPLICATE_REASON.lower() in reason.lower():
            return self._http.reply("exists", reason, provider_order_id=order.reference,
                                    waybill_id=awb)
        return self._http.reply("rejected", reason or f"order refused ({word or 'no status'})")

    # --- look-up, tracking, cancel ------------------------------------------------------

    def find(self, keys: ShipmentKeys) -> CourierReply:
        if keys.waybill_id is not None:
            return self.track(keys)
        return self._http.reply("unknown", "J&T has no look-up by order id: resend the same "
                                "create (a duplicate answers 'exists') or ask J&T for the AWB")

    def track(self, keys: ShipmentKeys) -> CourierReply:
        if keys.waybill_id is None:
            return CourierReply("not_found", message="jnt: no AWB to track yet")
        got = self._http.send("POST", self._urls["track"], group="tracking", write=False,
                              json_body={"awb": keys.waybill_id,
                                         "eccompanyid": self._eccompanyid},
                              auth=self._track_auth)
        if isinstance(got, CourierReply):
            return got
        body = got.obj
        if got.status in (401, 403):
            return self._http.reply("rejected", f"tracking password refused (HTTP "
                                    f"{got.status})", field=CREDENTIALS)
        if "error_id" in body or "error_message" in body or not (200 <= got.status < 300):
            text = as_str(body.get("error_message")) or f"HTTP {got.status}"
            if re.search(r"not\s*found|tidak\s*ditemukan|no data|tidak ada", text, re.I) \
                    or got.status == 404:
                return self._http.reply("not_found", text)
            return self._http.reply("rejected", text)
        if got.body is None:
            return self._http.reply("retry", "unreadable tracking answer")
        fallback = utc_iso(self._http.now().isoformat()) or ""
        points: list[TrackPoint] = []
        for entry in as_list(body.get("history")):
            if not isinstance(entry, dict):
                continue
            word = as_str(entry.get("status"))
            note = as_str(entry.get("note")) or as_str(entry.get("city_name")) or word
            at = utc_iso(entry.get("date_time") or entry.get("dateTime")
                         or entry.get("date")) or fallback
            points.append(TrackPoint(status=jnt_status(word), provider_status=word,
                                     note=note, at=at))
        points.sort(key=lambda p: p.at)
        last = points[-1] if points else None
        return CourierReply("ok", status=last.status if last else None,
                            provider_status=last.provider_status if last else None,
                            waybill_id=as_str(body.get("awb")) or keys.waybill_id,
                            history=tuple(points))

    def cancel(self, keys: ShipmentKeys, reason: str) -> CourierReply:
        entry = {"username": self._username, "api_key": self._api_key,
                 "orderid": keys.provider_order_id or keys.reference,
                 "remark": reason[:REMARK_LENGTH]}
        got = self._http.send("POST", self._urls["cancel"], group="orders", write=True,
                              form=self._signed("data_param", "data_sign", {"detail": [entry]}))
        if isinstance(got, CourierReply):
            return got
        envelope = self._envelope(got, write=True)
        if isinstance(envelope, CourierReply):
            return envelope
        word = (as_str(envelope.get("status")) or "").lower()
        text = error_text(envelope) or ""
        if word in ("sukses", "success"):
            return CourierReply("ok", status="cancelled", provider_status="Sukses",
                                provider_order_id=entry["orderid"])
        if text.rstrip(" .").upper().endswith("GOT"):
            return self._http.reply("rejected", f"already picked up: {text}", field="shipment")
        return self._http.reply("rejected", text or f"cancel refused ({word or 'no status'})",
                                field="shipment")

    # --- plumbing -----------------------------------------------------------------------

    def _envelope(self, got: Answer, *, write: bool) -> Mapping[str, Any] | CourierReply:
        """The first ``detail`` entry of a successful envelope, or the reply a refusal gets."""
        body = got.obj
        if got.status in (401, 403):
            return self._http.reply("rejected", f"credentials refused (HTTP {got.status})",
                                    field=CREDENTIALS)
        if got.body is None:
            return self._http.reply("unknown" if write else "retry",
                                    f"unreadable answer (HTTP {got.status})")
        flag = body.get("success", body.get("is_success"))
        details = [d for d in as_list(body.get("detail")) if isinstance(d, dict)]
        if truthy(flag) is not True or not (200 <= got.status < 300):
            text = error_text(body) or (error_text(details[0]) if details else None) \
                or f"refused (HTTP {got.status})"
            if DUPLICATE_REASON.lower() in text.lower():
                return self._http.reply("exists", text)
            if re.search(r"api.?key|\bsign\b|data_sign|username|unauthori[sz]ed", text, re.I):
                return self._http.reply("rejected", text, field=CREDENTIALS)
            return self._http.reply("rejected", text)
        if not details:
            return self._http.reply("unknown" if write else "retry",
                                    "answer without a detail entry")
        return details[0]


__all__ = ["CANCEL_PATH", "DEFAULT_LIMITS", "DUPLICATE_REASON", "JNT_STATUS", "ORDER_PATH",
           "REMARK_LENGTH", "TARIFF_PATH", "TRACK_PATH", "JntClient", "jnt_sign",
           "jnt_status"]

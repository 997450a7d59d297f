"""POS Indonesia direct (a WSO2 API gateway): token, fee and track-and-trace.

- Token: ``POST /token`` ``grant_type=client_credentials`` with ``Authorization: Basic
  base64(consumer_key:consumer_secret)``; the bearer ``access_token`` is cached until 60 s
  before ``expires_in`` runs out (one token per client, shared by its threads). A 401 on a
  call made with a cached token drops it and tries once more with a new one.
- Fee: ``POST /utility/1.0.0/getFee`` (JSON); ``{"rs_fee": {"r_fee": ...}}`` where ``r_fee``
  is a list or a *single object*; ``serviceCode`` 999 means "no tariff" and is skipped.
- Tracking: ``POST /utilitas/1.0.1/getTrackAndTrace`` ``{"barcode"}``;
  ``{"rs_tnt": {"r_tnt": ...}}``, a list or a single object too. Stamps are WIB.
- Some accounts also need ``X-POS-USER`` / ``X-POS-PASSWORD`` headers (``user``/``password``).

POS publishes no order-creation API: ``create`` and ``cancel`` are ``rejected`` with
:data:`NO_CREATION`; ship POS parcels through Biteship (company ``pos``).

Statuses (:data:`POS_STATUS`, first match wins, on ``eventName``/``description``):
RETUR -> returning; GAGAL ANTAR / ANTAR ULANG -> on_hold; SELESAI ANTAR / BERHASIL /
DELIVERED -> delivered; POSTING / LOKET / PICKUP -> picked_up; anything else -> in_transit.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Callable, Mapping
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
    Answer,
    CourierHttp,
    as_int,
    as_list,
    as_str,
    error_text,
    etd_days,
    utc_iso,
)
from sync.jobs.ratelimit import Limit, RateLimits

DEFAULT_BASE_URL = "https://api.posindonesia.co.id:8245"
TOKEN_PATH = "/token"
FEE_PATH = "/utility/1.0.0/getFee"
TRACK_PATH = "/utilitas/1.0.1/getTrackAndTrace"
NO_TARIFF = "999"
NO_CREATION = ("POS Indonesia publishes no creation API: ship POS through Biteship "
               "(company pos)")
#: POS publishes no rate limit: our own modest ceiling, so that a 429 can hold the group.
DEFAULT_LIMITS: Mapping[str, Limit] = {"rates": Limit(20.0), "tracking": Limit(20.0),
                                       "token": Limit(5.0)}
_TOKEN_MARGIN = 60.0

POS_STATUS: tuple[tuple[str, str], ...] = (
    ("RETUR", "returning"),
    ("GAGAL ANTAR", "on_hold"), ("ANTAR ULANG", "on_hold"),
    ("SELESAI ANTAR", "delivered"), ("BERHASIL", "delivered"), ("DELIVERED", "delivered"),
    ("POSTING", "picked_up"), ("LOKET", "picked_up"), ("PICKUP", "picked_up"),
)


def pos_status(text: str | None) -> str:
    upper = (text or "").upper()
    for word, ours in POS_STATUS:
        if word in upper:
            return ours
    return "in_transit"


class PosClient:
    """One POS Indonesia account. Implements :class:`services.courier_port.CourierClient`
    (create and cancel refuse: see the module docstring)."""

    name = "pos"

    def __init__(self, base_url: str, consumer_key: str, consumer_secret: str,
                 customer_id: str, *, timeout: float = 10.0, user: str | None = None,
                 password: str | None = None, limits: RateLimits | None = None,
                 transport: httpx.BaseTransport | None = None, max_wait: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._customer_id = customer_id
        self._basic = base64.b64encode(
            f"{consumer_key}:{consumer_secret}".encode()).decode("ascii")
        headers = {}
        if user is not None:
            headers["X-POS-USER"] = user
        if password is not None:
            headers["X-POS-PASSWORD"] = password
        self._http = CourierHttp(
            "pos", base_url=base_url, timeout=timeout,
            limits=limits if limits is not None else RateLimits(DEFAULT_LIMITS),
            headers=headers, transport=transport, max_wait=max_wait,
            secrets=(consumer_key, consumer_secret, self._basic, password or ""))
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._token_until = 0.0

    def __repr__(self) -> str:
        return f"PosClient(base_url={str(self._http.client.base_url)!r})"

    def close(self) -> None:
        self._http.close()

    # --- token --------------------------------------------------------------------------

    def token(self) -> str | CourierReply:
        """The cached bearer token, or a fresh one; a reply when none could be had."""
        with self._lock:
            if self._token is not None and self._clock() < self._token_until:
                return self._token
        got = self._http.send("POST", TOKEN_PATH, group="token", write=False,
                              form={"grant_type": "client_credentials"},
                              headers={"Authorization": f"Basic {self._basic}"})
        if isinstance(got, CourierReply):
            return got
        if got.status in (400, 401, 403):
            return self._http.reply("rejected", f"consumer key/secret refused (HTTP "
                                    f"{got.status})", field=CREDENTIALS)
        token = as_str(got.obj.get("access_token"))
        if not (200 <= got.status < 300) or token is None:
            return self._http.reply("retry", f"no token in the answer (HTTP {got.status})")
        lifetime = as_int(got.obj.get("expires_in"))
        with self._lock:
            self._token = token
            self._token_until = self._clock() + max((lifetime or 3600) - _TOKEN_MARGIN, 1.0)
        return token

    def _call(self, path: str, body: Mapping[str, Any], group: str) -> Answer | CourierReply:
        for attempt in (1, 2):
            token = self.token()
            if isinstance(token, CourierReply):
                return token
            got = self._http.send("POST", path, group=group, write=False, json_body=body,
                                  headers={"Authorization": f"Bearer {token}"})
            if isinstance(got, Answer) and got.status == 401 and attempt == 1:
                with self._lock:  # expired early or revoked: one more try with a new one
                    if self._token == token:
                        self._token = None
                continue
            return got
        raise AssertionError("unreachable")  # pragma: no cover

    # --- fee ----------------------------------------------------------------------------

    def rates(self, request: RateRequest) -> CourierReply:
        o, d, p = request.origin, request.destination, request.parcel
        if not (o.postal_code or "").strip():
            return self._http.reply("rejected", "origin has no postal code",
                                    field="origin_postal_code")
        if not (d.postal_code or "").strip():
            return self._http.reply("rejected", "destination has no postal code",
                                    field="destination_postal_code")
        body = {"customerid": self._customer_id, "desttypeid": "1", "itemtypeid": "1",
                "shipperzipcode": o.postal_code, "receiverzipcode": d.postal_code,
                "weight": p.weight_g, "length": p.length_cm, "width": p.width_cm,
                "height": p.height_cm, "diameter": 0, "valuegoods": p.declared_value}
        got = self._call(FEE_PATH, body, "rates")
        if isinstance(got, CourierReply):
            return got
        failed = self._failure(got)
        if failed is not None:
            return failed
        holder = got.obj.get("rs_fee")
        entries = as_list(holder.get("r_fee")) if isinstance(holder, dict) else []
        rates: list[Rate] = []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            code = as_str(entry.get("serviceCode"))
            price = as_int(entry.get("totalFee"))
            if price is None:
                price = as_int(entry.get("fee"))
            if code is None or code == NO_TARIFF or price is None:
                continue
            low, high = etd_days(entry.get("estimation") or entry.get("notes"))
            rates.append(Rate(courier="pos", courier_company="pos", service_code=code,
                              service_name=as_str(entry.get("serviceName")) or code,
                              price=price, etd_min_days=low, etd_max_days=high))
        return CourierReply("ok", rates=tuple(sorted(rates, key=lambda r: r.price)))

    # --- tracking -----------------------------------------------------------------------

    def track(self, keys: ShipmentKeys) -> CourierReply:
        if keys.waybill_id is None:
            return CourierReply("not_found", message="pos: no barcode to track yet")
        got = self._call(TRACK_PATH, {"barcode": keys.waybill_id}, "tracking")
        if isinstance(got, CourierReply):
            return got
        failed = self._failure(got, lookup=True)
        if failed is not None:
            return failed
        holder = got.obj.get("rs_tnt")
        entries = as_list(holder.get("r_tnt")) if isinstance(holder, dict) else []
        fallback = utc_iso(self._http.now().isoformat()) or ""
        points: list[TrackPoint] = []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            word = as_str(entry.get("eventName"))
            note = as_str(entry.get("description")) or as_str(entry.get("officeName"))
            points.append(TrackPoint(status=pos_status(f"{word or ''} {note or ''}"),
                                     provider_status=word, note=note,
                                     at=utc_iso(entry.get("eventDate")) or fallback))
        if not points:
            return self._http.reply("not_found", "no track-and-trace for this barcode")
        points.sort(key=lambda pt: pt.at)
        last = points[-1]
        return CourierReply("ok", status=last.status, provider_status=last.provider_status,
                            waybill_id=keys.waybill_id, history=tuple(points))

    def find(self, keys: ShipmentKeys) -> CourierReply:
        if keys.waybill_id is not None:
            return self.track(keys)
        return self._http.reply("rejected", NO_CREATION, field="courier")

    def create(self, order: ShipmentOrder, keys: ShipmentKeys) -> CourierReply:
        return self._http.reply("rejected", NO_CREATION, field="courier")

    def cancel(self, keys: ShipmentKeys, reason: str) -> CourierReply:
        return self._http.reply("rejected", NO_CREATION, field="courier")

    def _failure(self, got: Answer, *, lookup: bool = False) -> CourierReply | None:
        if 200 <= got.status < 300 and got.body is not None:
            return None
        if got.status in (401, 403):
            return self._http.reply("rejected", f"access refused (HTTP {got.status})",
                                    field=CREDENTIALS)
        text = error_text(got.obj) or f"HTTP {got.status}"
        if lookup and (got.status == 404
                       or re.search(r"not\s*found|tidak\s*ditemukan", text, re.I)):
            return self._http.reply("not_found", text)
        if got.body is None:
            return self._http.reply("retry", f"unreadable answer (HTTP {got.status})")
        return self._http.reply("rejected", text)


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_LIMITS", "FEE_PATH", "NO_CREATION", "NO_TARIFF",
           "POS_STATUS", "TOKEN_PATH", "TRACK_PATH", "PosClient", "pos_status"]

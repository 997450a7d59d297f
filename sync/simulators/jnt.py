"""A J&T Express Indonesia (direct API) simulator: a real HTTP server on 127.0.0.1.

Real J&T spreads its calls over several hosts; the simulator serves all four on one base URL
with the real paths (``reference/providers.md`` 2c):

- ``POST /jts-idn-ecommerce-api/api/order/create`` and ``.../api/order/cancel``: form fields
  ``data_param=<json {"detail": [...]}>`` and ``data_sign=base64(md5_hex(data_param +
  sign_key))`` (base64 of the 32-character lowercase hex text). A bad or missing sign is the
  error envelope ``{"success": false, "desc": "Data sign tidak valid"}``. Each detail entry
  answers on its own inside ``{"success": true, "desc": "Request berhasil", "detail": [...]}``:
  ``{"awb_no", "orderid", "desCode", "etd", "status": "Sukses"}``, or ``{"orderid",
  "status": "Error", "reason"}`` -- a duplicate ``orderid`` is ``"Orderid tidak boleh sama"``
  (nothing new is made), a missing field ``"<field> tidak boleh kosong"``, wrong
  ``username``/``api_key`` ``"username atau api_key tidak valid"``. Cancel
  (``{username, api_key, orderid, remark <= 30}``) works until the courier picked the parcel
  up; later the reason ends with ``"GOT"``.
- ``POST /jandt_track/inquiry.action`` (tariff): form ``data=<json {weight, sendSiteCode,
  destAreaCode, cusName, productType}>`` and ``sign`` (same scheme, with ``tariff_key``:
  J&T issues a separate tariff key; it defaults to ``sign_key``). The reply's
  ``is_success`` is the STRING ``"true"``/``"false"`` and ``content`` is a JSON STRING
  ``'[{"name": "EZ", "cost": "9000", "productType": "EZ"}]'``. Sites: a city name
  (``JAKARTA``, ``BEKASI``), a district (``COBLONG``) or a code (``JKT``, ``BKI``).
- ``POST /jandt_track/track/trackAction!tracking.action``: JSON ``{"awb", "eccompanyid"}``
  with ``Authorization: Basic base64(eccompanyid:password)``: ``{awb, orderid, detail{...},
  history[{date_time, city_name, status, status_code, ...}]}``, an unknown awb
  ``{"error_id": "1001", "error_message": ...}`` (HTTP 200), bad credentials HTTP 401 with the
  same two fields.

Parcels move one step every ``step_seconds``: manifested (101) -> picked_up (the "GOT" scan)
-> departed -> arrived -> on_delivery (100) -> delivered (200); returning (401) -> returned
(402); cancelled (151). Rate-limit groups: ``orders`` (create, cancel), ``tariff``,
``tracking``. Controls over HTTP: ``POST /_sim/return/{awb}``, ``POST /_sim/status/{awb}``
``{"status"}`` plus the common ``/_sim/...`` endpoints.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sync.simulators.courier_common import (
    CourierSimulator,
    Place,
    RateLimit,
    Route,
    Track,
    form_body,
    html,
    json_body,
    kilograms,
    place_by,
    service,
    wib,
    zone,
)
from sync.simulators.server import Answer, Request, serve_in_foreground

DEFAULT_USERNAME = "WARUNGIN"
DEFAULT_API_KEY = "jnt_api_SIMULATOR"
DEFAULT_SIGN_KEY = "jnt_sign_SIMULATOR"
DEFAULT_ECCOMPANYID = "WARUNGIN"
DEFAULT_TRACK_PASSWORD = "jnt_track_SIMULATOR"
ORDER_PATH = "/jts-idn-ecommerce-api/api/order/create"
CANCEL_PATH = "/jts-idn-ecommerce-api/api/order/cancel"
TARIFF_PATH = "/jandt_track/inquiry.action"
TRACK_PATH = "/jandt_track/track/trackAction!tracking.action"
FORWARD = ("manifested", "picked_up", "departed", "arrived", "on_delivery", "delivered")
RETURN = ("returning", "returned")
ENDPOINTS = ("order_create", "order_cancel", "tariff", "tracking")
_STATUS = {  # ours -> (J&T's status text, status_code)
    "manifested": ("Manifes", 101),
    "picked_up": ("Paket telah diterima oleh kurir J&T", 100),
    "departed": ("Paket akan dikirimkan ke gateway tujuan", 100),
    "arrived": ("Paket telah sampai di gateway tujuan", 100),
    "on_delivery": ("Paket akan dikirim ke alamat penerima", 100),
    "delivered": ("Paket telah diterima", 200),
    "returning": ("Paket akan diretur ke pengirim", 401),
    "returned": ("Paket telah diterima kembali oleh pengirim", 402),
    "cancelled": ("Order dibatalkan", 151),
}
_ORDER_FIELDS = (
    "username", "api_key", "orderid", "shipper_name", "shipper_contact", "shipper_phone",
    "shipper_addr", "origin_code", "receiver_name", "receiver_phone", "receiver_addr",
    "receiver_zip", "destination_code", "receiver_area", "qty", "weight", "goodsdesc",
    "servicetype", "expresstype", "orderdate", "sendstarttime", "sendendtime",
)


def sign(text: str, key: str) -> str:
    """J&T's signature: base64 of the lowercase md5 hex of ``text + key``."""
    digest = hashlib.md5((text + key).encode("utf-8")).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


@dataclass(slots=True)
class _Parcel:
    awb: str
    order_id: str
    entry: dict[str, Any]
    origin: Place
    destination: Place
    kg: int
    price: int
    created: float
    track: Track
    remark: str | None = None


class JntSimulator(CourierSimulator):
    NAME = "jnt"
    ENDPOINTS = ENDPOINTS
    CREATE_ENDPOINTS = ("order_create",)

    def __init__(self, *, username: str = DEFAULT_USERNAME, api_key: str = DEFAULT_API_KEY,
                 sign_key: str = DEFAULT_SIGN_KEY, eccompanyid: str = DEFAULT_ECCOMPANYID,
                 track_password: str = DEFAULT_TRACK_PASSWORD, tariff_key: str | None = None,
                 seed: int = 0,
                 rate_limit: RateLimit = None, step_seconds: float = 60.0,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__(seed=seed, rate_limit=rate_limit, step_seconds=step_seconds,
                         clock=clock)
        self.username = username
        self.api_key = api_key
        self.sign_key = sign_key
        self.tariff_key = sign_key if tariff_key is None else tariff_key
        self.eccompanyid = eccompanyid
        self.track_password = track_password
        self._parcels: dict[str, _Parcel] = {}
        self._by_order: dict[str, _Parcel] = {}
        self._attempts: dict[str, int] = {}

    # --- control and inspection ------------------------------------------------------

    def return_parcel(self, awb: str) -> None:
        with self._lock:
            p = self._parcel(awb)
            if not p.track.reached("picked_up") or p.track.status in (
                    "delivered", "returning", "returned", "cancelled"):
                raise ValueError(f"awb {awb} is {p.track.status}: nothing to return")
            p.track.divert(RETURN, self.now())
            self._changed()

    def force_status(self, awb: str, status: str) -> None:
        if status not in FORWARD + RETURN:
            raise ValueError(f"status must be one of {list(FORWARD + RETURN)}")
        with self._lock:
            p = self._parcel(awb)
            if status in RETURN:
                p.track.divert(RETURN[RETURN.index(status):], self.now())
            else:
                p.track.path = FORWARD
                p.track.force(status, self.now())
            self._changed()

    def orders(self) -> list[dict[str, Any]]:
        """Every order, oldest first: ``{id, reference, waybill, status, price, created_at,
        object}`` (``object``: what tracking shows)."""
        with self._lock:
            self._tick()
            return [{"id": p.awb, "reference": p.order_id, "waybill": p.awb,
                     "status": p.track.status, "price": p.price,
                     "created_at": wib(p.created), "object": self._track_object(p)}
                    for p in self._parcels.values()]

    def create_attempts(self, order_id: str) -> int:
        """How many create entries named this orderid (duplicates refused included)."""
        with self._lock:
            return self._attempts.get(order_id, 0)

    def _parcel(self, awb: str) -> _Parcel:
        p = self._parcels.get(awb)
        if p is None:
            raise KeyError(awb)
        return p

    def _tick(self) -> None:
        now = self.now()
        for p in self._parcels.values():
            p.track.catch_up(now)

    # --- routing ---------------------------------------------------------------------

    def _route(self, request: Request) -> Route | Answer:
        path = request.path.rstrip("/")
        if path not in (ORDER_PATH, CANCEL_PATH, TARIFF_PATH, TRACK_PATH):
            return html(404, "404 Not Found")
        if request.method != "POST":
            return html(405, "405 Not Allowed")
        if path == TRACK_PATH:
            return self._track_route(request)
        form = form_body(request.body)
        data_name, sign_name = ("data", "sign") if path == TARIFF_PATH else (
            "data_param", "data_sign")
        data = form.get(data_name, "")
        key = self.tariff_key if path == TARIFF_PATH else self.sign_key
        good = hmac.compare_digest(form.get(sign_name, "").encode(), sign(data, key).encode())
        try:
            parsed = json.loads(data) if good else None
        except ValueError:
            parsed = None
        if path == TARIFF_PATH:
            if not good:
                return Answer(200, {"is_success": "false", "message": "sign tidak valid",
                                    "content": None})
            if not isinstance(parsed, dict):
                return Answer(200, {"is_success": "false", "message": "data tidak valid",
                                    "content": None})
            tariff_data = parsed
            return Route("tariff", "tariff", lambda: self._tariff(tariff_data))
        if not good:
            return Answer(200, {"success": False, "desc": "Data sign tidak valid"})
        detail = parsed.get("detail") if isinstance(parsed, dict) else None
        if not isinstance(detail, list) or not detail or not all(
                isinstance(e, dict) for e in detail):
            return Answer(200, {"success": False, "desc": "data_param tidak valid: detail "
                                                          "tidak boleh kosong"})
        entries: list[dict[str, Any]] = detail
        ref = entries[0].get("orderid")
        ref = ref if isinstance(ref, str) else None
        if path == ORDER_PATH:
            return Route("order_create", "orders", lambda: self._create(entries), ref)
        return Route("order_cancel", "orders", lambda: self._cancel(entries), ref)

    def _too_many(self, headers: dict[str, str]) -> Answer:
        return Answer(429, {"success": False, "desc": "Too many requests"}, headers=headers)

    def _server_error(self, pick: int) -> Answer:
        if pick == 0:
            return Answer(500, {"success": False, "desc": "System error"})
        return html(502, "502 Bad Gateway")

    # --- orders ----------------------------------------------------------------------

    def _create(self, entries: list[dict[str, Any]]) -> Answer:
        return Answer(200, {"success": True, "desc": "Request berhasil",
                            "detail": [self._create_one(e) for e in entries]})

    def _create_one(self, e: Mapping[str, Any]) -> dict[str, Any]:
        order_id = e.get("orderid")
        if isinstance(order_id, str) and order_id:
            self._attempts[order_id] = self._attempts.get(order_id, 0) + 1

        def error(reason: str) -> dict[str, Any]:
            return {"orderid": order_id, "status": "Error", "reason": reason}

        for name in _ORDER_FIELDS:
            value = e.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                return error(f"{name} tidak boleh kosong")
        if e.get("username") != self.username or e.get("api_key") != self.api_key:
            return error("username atau api_key tidak valid")
        assert isinstance(order_id, str)
        if order_id in self._by_order:
            return error("Orderid tidak boleh sama")
        origin = place_by("jnt", e.get("origin_code"))
        destination = place_by("jnt", e.get("destination_code"))
        if origin is None:
            return error("origin_code tidak ditemukan")
        if destination is None:
            return error("destination_code tidak ditemukan")
        try:
            kg_raw = float(e["weight"])
            qty = int(e["qty"])
        except (TypeError, ValueError):
            return error("weight dan qty harus angka")
        if kg_raw <= 0 or qty < 1:
            return error("weight harus lebih dari 0")
        for name in ("orderdate", "sendstarttime", "sendendtime"):
            if len(str(e[name])) != 19:
                return error(f"{name} harus berformat YYYY-MM-DD HH:mm:ss")
        svc = service("jnt", "ez")
        assert svc is not None
        kg = kilograms(kg_raw * 1000)
        z = zone(origin, destination)
        lo, hi = svc.duration(z)
        now = self.now()
        parcel = _Parcel(awb=self._unique_awb(), order_id=order_id, entry=dict(e),
                         origin=origin, destination=destination, kg=kg,
                         price=svc.price(z, kg), created=now,
                         track=Track(FORWARD, self.step_seconds, now))
        self._parcels[parcel.awb] = parcel
        self._by_order[order_id] = parcel
        self._changed()
        return {"awb_no": parcel.awb, "orderid": order_id,
                "desCode": f"{destination.jnt}-{destination.jnt}001",
                "etd": f"{lo}-{hi}", "status": "Sukses"}

    def _unique_awb(self) -> str:
        while True:
            awb = "JP" + self._digits(10)
            if awb not in self._parcels:
                return awb

    def _cancel(self, entries: list[dict[str, Any]]) -> Answer:
        return Answer(200, {"success": True, "desc": "Request berhasil",
                            "detail": [self._cancel_one(e) for e in entries]})

    def _cancel_one(self, e: Mapping[str, Any]) -> dict[str, Any]:
        order_id = e.get("orderid")

        def error(reason: str) -> dict[str, Any]:
            return {"orderid": order_id, "status": "Error", "reason": reason}

        for name in ("username", "api_key", "orderid", "remark"):
            value = e.get(name)
            if not isinstance(value, str) or not value.strip():
                return error(f"{name} tidak boleh kosong")
        if e.get("username") != self.username or e.get("api_key") != self.api_key:
            return error("username atau api_key tidak valid")
        if len(str(e["remark"])) > 30:
            return error("remark maksimal 30 karakter")
        parcel = self._by_order.get(str(order_id))
        if parcel is None:
            return error("Orderid tidak ditemukan")
        if parcel.track.status == "cancelled":
            return error("Order sudah dibatalkan")
        if parcel.track.status != "manifested":
            return error("Order tidak dapat dibatalkan, paket sudah GOT")
        parcel.remark = str(e["remark"])
        parcel.track.halt("cancelled", self.now(), parcel.remark)
        self._changed()
        return {"orderid": order_id, "status": "Sukses"}

    # --- tariff ----------------------------------------------------------------------

    def _tariff(self, data: Mapping[str, Any]) -> Answer:
        def fail(message: str) -> Answer:
            return Answer(200, {"is_success": "false", "message": message, "content": None})

        for name in ("weight", "sendSiteCode", "destAreaCode", "cusName", "productType"):
            if not str(data.get(name) or "").strip():
                return fail(f"{name} tidak boleh kosong")
        origin = _site(data["sendSiteCode"])
        destination = _site(data["destAreaCode"])
        if origin is None:
            return fail("sendSiteCode tidak ditemukan")
        if destination is None:
            return fail("destAreaCode tidak ditemukan")
        if str(data["productType"]).upper() != "EZ":
            return fail("productType tidak ditemukan")
        try:
            kg = float(data["weight"])
        except (TypeError, ValueError):
            return fail("weight harus angka")
        if kg <= 0:
            return fail("weight harus lebih dari 0")
        svc = service("jnt", "ez")
        assert svc is not None
        cost = svc.price(zone(origin, destination), kilograms(kg * 1000))
        return Answer(200, {"is_success": "true", "message": "",
                            "content": json.dumps([{"name": "EZ", "cost": str(cost),
                                                    "productType": "EZ"}])})

    # --- tracking --------------------------------------------------------------------

    def _track_route(self, request: Request) -> Route | Answer:
        denied = Answer(401, {"error_id": "401", "error_message": "Unauthorized"})
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return denied
        try:
            user, _, password = base64.b64decode(header[6:].strip(), validate=True).decode(
                "utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return denied
        if not (hmac.compare_digest(user.encode(), self.eccompanyid.encode())
                and hmac.compare_digest(password.encode(), self.track_password.encode())):
            return denied
        body = json_body(request.body)
        awb = body.get("awb") if body else None
        if not isinstance(awb, str) or not awb:
            return Answer(200, {"error_id": "1000", "error_message": "awb tidak boleh kosong"})
        if body is not None and body.get("eccompanyid") not in (None, self.eccompanyid):
            return denied
        return Route("tracking", "tracking", lambda: self._track(awb), awb)

    def _track(self, awb: str) -> Answer:
        parcel = self._parcels.get(awb)
        if parcel is None:
            return Answer(200, {"error_id": "1001", "error_message": "AWB tidak ditemukan"})
        return Answer(200, self._track_object(parcel))

    def _track_object(self, p: _Parcel) -> dict[str, Any]:
        e = p.entry
        history = []
        for ev in p.track.events:
            text, code = _STATUS[ev.status]
            at_destination = ev.status in ("arrived", "on_delivery", "delivered", "returning")
            city = (p.destination if at_destination else p.origin).city.upper()
            history.append({
                "date_time": wib(ev.at), "city_name": city, "status": text,
                "status_code": code, "storeName": f"{city} GATEWAY",
                "nextSiteName": p.destination.city.upper() if ev.status == "departed" else "",
                "note": ev.note or "",
                "receiver": str(e.get("receiver_name")) if ev.status == "delivered" else "",
                "distributionFlag": "0",
            })
        return {
            "awb": p.awb, "orderid": p.order_id,
            "detail": {
                "shipped_date": wib(p.created), "services_code": "EZ",
                "actual_amount": p.price, "weight": p.kg, "qty": int(e.get("qty", 1)),
                "itemname": e.get("item_name") or e.get("goodsdesc"),
                "detail_cost": {"shipping_cost": p.price, "add_cost": 0,
                                "insurance_cost": 0, "cod": 0, "return_cost": 0},
                "sender": {"name": e.get("shipper_name"), "addr": e.get("shipper_addr"),
                           "zipcode": p.origin.postal_code, "city": p.origin.city.upper(),
                           "geoloc": ""},
                "receiver": {"name": e.get("receiver_name"), "addr": e.get("receiver_addr"),
                             "zipcode": str(e.get("receiver_zip")),
                             "city": p.destination.city.upper(), "geoloc": ""},
                "driver": {"id": "", "name": "", "phone": "", "photo": ""},
                "delivDriver": {"id": "", "name": "", "phone": "", "photo": ""},
            },
            "history": history,
        }

    def _extra_control(self, method: str, parts: list[str],
                       args: dict[str, Any]) -> Answer | None:
        if method == "POST" and len(parts) == 2 and parts[0] == "return":
            self.return_parcel(parts[1])
        elif method == "POST" and len(parts) == 2 and parts[0] == "status":
            self.force_status(parts[1], str(args.get("status")))
        else:
            return None
        with self._lock:
            return Answer(200, {"ok": True, "parcel": self._track_object(
                self._parcel(parts[1]))})


def _site(text: object) -> Place | None:
    """A J&T site or area name (``JAKARTA``, ``COBLONG``) or code (``JKT``)."""
    if not isinstance(text, str):
        return None
    word = text.strip().upper()
    for attr in ("jnt", "district", "city"):
        found = place_by(attr, word)
        if found is not None:
            return found
    return next((p for p in (place_by("city", c) for c in _CITY_ALIASES.get(word, ()))
                 if p is not None), None)


_CITY_ALIASES = {"JAKARTA": ("Jakarta Selatan",)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the J&T simulator in the foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--username", default=DEFAULT_USERNAME)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--sign-key", default=DEFAULT_SIGN_KEY)
    parser.add_argument("--eccompanyid", default=DEFAULT_ECCOMPANYID)
    parser.add_argument("--track-password", default=DEFAULT_TRACK_PASSWORD)
    parser.add_argument("--rate-limit", type=float, default=None,
                        help="requests per second per endpoint group")
    parser.add_argument("--step-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    sim = JntSimulator(username=args.username, api_key=args.api_key, sign_key=args.sign_key,
                       eccompanyid=args.eccompanyid, track_password=args.track_password,
                       seed=args.seed, rate_limit=args.rate_limit,
                       step_seconds=args.step_seconds)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())

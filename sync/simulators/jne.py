"""A JNE (direct API) simulator: a real HTTP server on 127.0.0.1 for tests and demos.

Shapes and quirks (``reference/providers.md`` 2b, ``definitions.md`` Couriers):

- Every call is a form-encoded ``POST`` with ``username`` and ``api_key`` in the body
  (tracking also takes ``key`` instead of ``api_key``, as one client sends).
- Errors are HTTP **200** ``{"error": "...", "status": <flag>}`` where the flag is the
  boolean ``false``, the string ``"false"`` or the string ``"Error"``. Per endpoint by
  default (tracking ``false``, pricedev ``"false"``, generatecnote ``"Error"``); with
  ``random_error_flags=True`` each error reply draws one of the three (seeded).
- ``/tracing/api/pricedev`` (``from``, ``thru``, ``weight`` in kg, a decimal; JNE rounds
  down up to 0.3 kg over a whole kilogram): ``{"price": [{origin_name, destination_name,
  service_display, service_code, goods_type, currency, price (a string), etd_from, etd_thru,
  times}]}``.
- ``/tracing/api/generatecnote``: the ``OLSHOP_*`` fields; ``OLSHOP_ORDERID`` at most 20
  characters, every address line (``*_ADDR1..3``) at most 30: longer is an error naming the
  field. Success ``{"detail": [{"status": "sukses", "cnote_no": "<16 digits>"}]}``.
  **Our assumption**: a repeated ``OLSHOP_ORDERID`` answers the SAME cnote (JNE documents no
  idempotency; this is the behaviour the clients observe in practice), so :meth:`creates`
  is at most 1 per reference; :meth:`generate_calls` counts the requests.
- ``/tracing/api/list/v1/cnote/{awb}``: ``{cnote{...}, detail[{...}], history[{date
  "dd-mm-YYYY HH:MM", desc, code}]}``; unknown -> ``{"error": "Cnote No. Not Found.",
  "status": false}``.
- 429 ``{"error": "Too Many Requests", "status": false}`` with ``Retry-After`` and
  ``X-RateLimit-*`` over the configured rate limit (groups ``tariff``, ``orders``,
  ``tracking``); 5xx are HTML pages.

A parcel moves one step every ``step_seconds``: manifested -> picked_up -> sorting_origin ->
departed -> arrived -> with_courier -> delivered (``pod_status`` ``ON PROCESS`` until
``DELIVERED``); :meth:`return_parcel` sends it back (returning -> returned, ``pod_status``
``RETURN TO SHIPPER`` then ``RETURNED``). Controls over HTTP: ``POST /_sim/return/{cnote}``,
``POST /_sim/status/{cnote}`` ``{"status"}``, plus the common ``/_sim/...`` endpoints.
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from sync.simulators.courier_common import (
    CourierSimulator,
    Place,
    RateLimit,
    Route,
    Track,
    form_body,
    html,
    place_by,
    service,
    wib,
    zone,
)
from sync.simulators.server import Answer, Request, serve_in_foreground

DEFAULT_USERNAME = "SIMULATOR"
DEFAULT_API_KEY = "jne_test_SIMULATOR"
FORWARD = ("manifested", "picked_up", "sorting_origin", "departed", "arrived",
           "with_courier", "delivered")
RETURN = ("returning", "returned")
ENDPOINTS = ("pricedev", "generatecnote", "tracking")
_FLAGS: tuple[bool | str, ...] = (False, "false", "Error")
_ENDPOINT_FLAG: dict[str, bool | str] = {"tracking": False, "pricedev": "false",
                                         "generatecnote": "Error"}
_CODES = {"manifested": "MN", "picked_up": "PU1", "sorting_origin": "OP1", "departed": "OP2",
          "arrived": "IP1", "with_courier": "IP3", "delivered": "D01", "returning": "CR1",
          "returned": "CR5"}
_SERVICES = (("REG", "REG19", "reg"), ("OKE", "OKE19", "oke"), ("YES", "YES19", "yes"))
_REQUIRED = (
    "OLSHOP_BRANCH", "OLSHOP_CUST", "OLSHOP_ORDERID",
    "OLSHOP_SHIPPER_NAME", "OLSHOP_SHIPPER_ADDR1", "OLSHOP_SHIPPER_CITY",
    "OLSHOP_SHIPPER_ZIP", "OLSHOP_SHIPPER_PHONE",
    "OLSHOP_RECEIVER_NAME", "OLSHOP_RECEIVER_ADDR1", "OLSHOP_RECEIVER_CITY",
    "OLSHOP_RECEIVER_ZIP", "OLSHOP_RECEIVER_PHONE",
    "OLSHOP_QTY", "OLSHOP_WEIGHT", "OLSHOP_GOODSDESC", "OLSHOP_GOODSVALUE",
    "OLSHOP_INS_FLAG", "OLSHOP_ORIG", "OLSHOP_DEST", "OLSHOP_SERVICE", "OLSHOP_COD_FLAG",
)


def jne_kilograms(kg: float) -> int:
    """JNE's rounding: up to 0.3 kg over a whole kilogram is not charged; at least 1 kg."""
    whole = math.floor(kg)
    return max(1, whole if kg - whole <= 0.3 + 1e-9 else whole + 1)


def _service(text: str) -> tuple[str, str, str] | None:
    word = text.strip().upper().rstrip("0123456789")
    return next((s for s in _SERVICES if s[0] == word), None)


@dataclass(slots=True)
class _Cnote:
    cnote: str
    order_id: str
    form: dict[str, str]
    origin: Place
    destination: Place
    service: tuple[str, str, str]
    kg: int
    price: int
    created: float
    track: Track


class JneSimulator(CourierSimulator):
    NAME = "jne"
    ENDPOINTS = ENDPOINTS
    CREATE_ENDPOINTS = ("generatecnote",)

    def __init__(self, *, username: str = DEFAULT_USERNAME, api_key: str = DEFAULT_API_KEY,
                 seed: int = 0, rate_limit: RateLimit = None, step_seconds: float = 60.0,
                 random_error_flags: bool = False,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__(seed=seed, rate_limit=rate_limit, step_seconds=step_seconds,
                         clock=clock)
        self.username = username
        self.api_key = api_key
        self.random_error_flags = random_error_flags
        self._flag_rng = random.Random(seed + 1)  # apart from the fault draws
        self._cnotes: dict[str, _Cnote] = {}
        self._by_order: dict[str, _Cnote] = {}
        self._calls: dict[str, int] = {}

    # --- control and inspection ------------------------------------------------------

    def return_parcel(self, cnote: str) -> None:
        """The receiver refused it: returning, then returned a step later."""
        with self._lock:
            c = self._cnote(cnote)
            if not c.track.reached("picked_up") or c.track.status in (
                    "delivered", "returning", "returned"):
                raise ValueError(f"cnote {cnote} is {c.track.status}: nothing to return")
            c.track.divert(RETURN, self.now())
            self._changed()

    def force_status(self, cnote: str, status: str) -> None:
        if status not in FORWARD + RETURN:
            raise ValueError(f"status must be one of {list(FORWARD + RETURN)}")
        with self._lock:
            c = self._cnote(cnote)
            if status in RETURN:
                c.track.divert(RETURN[RETURN.index(status):], self.now())
            else:
                c.track.path = FORWARD
                c.track.force(status, self.now())
            self._changed()

    def orders(self) -> list[dict[str, Any]]:
        """Every cnote, oldest first: ``{id, reference, waybill, status, pod_status, price,
        service, created_at, object}`` (``object``: what tracking shows)."""
        with self._lock:
            self._tick()
            return [{"id": c.cnote, "reference": c.order_id, "waybill": c.cnote,
                     "status": c.track.status, "pod_status": _pod(c.track.status),
                     "price": c.price, "service": c.service[1],
                     "created_at": wib(c.created), "object": self._tracking_object(c)}
                    for c in self._cnotes.values()]

    def generate_calls(self, order_id: str) -> int:
        """How many generatecnote requests named this OLSHOP_ORDERID (creates() is <= 1)."""
        with self._lock:
            return self._calls.get(order_id, 0)

    def _cnote(self, cnote: str) -> _Cnote:
        c = self._cnotes.get(cnote)
        if c is None:
            raise KeyError(cnote)
        return c

    def _tick(self) -> None:
        now = self.now()
        for c in self._cnotes.values():
            c.track.catch_up(now)

    # --- routing ---------------------------------------------------------------------

    def _route(self, request: Request) -> Route | Answer:
        path = request.path.rstrip("/")
        if path == "/tracing/api/pricedev":
            endpoint, group, awb = "pricedev", "tariff", None
        elif path == "/tracing/api/generatecnote":
            endpoint, group, awb = "generatecnote", "orders", None
        elif path.startswith("/tracing/api/list/v1/cnote/") and path.count("/") == 6:
            endpoint, group, awb = "tracking", "tracking", unquote(path.rsplit("/", 1)[1])
        else:
            return html(404, "404 Not Found")
        if request.method != "POST":
            return html(405, "405 Method Not Allowed")
        form = form_body(request.body)
        key = form.get("api_key") if endpoint != "tracking" else (
            form.get("api_key") or form.get("key"))
        if form.get("username") != self.username or key != self.api_key:
            return self._fail(endpoint, "Invalid username or api_key")
        if endpoint == "pricedev":
            return Route(endpoint, group, lambda: self._pricedev(form))
        if endpoint == "generatecnote":
            return Route(endpoint, group, lambda: self._generate(form),
                         form.get("OLSHOP_ORDERID"))
        assert awb is not None
        return Route(endpoint, group, lambda: self._track(awb), awb)

    def _fail(self, endpoint: str, message: str) -> Answer:
        flag = (self._flag_rng.choice(_FLAGS) if self.random_error_flags
                else _ENDPOINT_FLAG[endpoint])
        return Answer(200, {"error": message, "status": flag})

    def _too_many(self, headers: dict[str, str]) -> Answer:
        return Answer(429, {"error": "Too Many Requests", "status": False}, headers=headers)

    def _server_error(self, pick: int) -> Answer:
        return html(500, "500 Internal Server Error") if pick == 0 else html(
            504, "504 Gateway Time-out")

    # --- the API ---------------------------------------------------------------------

    def _pricedev(self, form: Mapping[str, str]) -> Answer:
        origin, destination = place_by("jne", form.get("from")), place_by("jne", form.get("thru"))
        for name, value in (("from", origin), ("thru", destination)):
            if not form.get(name):
                return self._fail("pricedev", f"{name} is required")
            if value is None:
                return self._fail("pricedev", "Price Not Found.")
        assert origin is not None and destination is not None
        try:
            kg = float(form.get("weight", ""))
        except ValueError:
            return self._fail("pricedev", "weight must be a number (kg)")
        if kg <= 0:
            return self._fail("pricedev", "weight must be a number (kg)")
        z = zone(origin, destination)
        price = []
        for display, code, ours in _SERVICES:
            svc = service("jne", ours)
            assert svc is not None
            lo, hi = svc.duration(z)
            price.append({"origin_name": origin.city.upper(),
                          "destination_name": destination.city.upper(),
                          "service_display": display, "service_code": code,
                          "goods_type": "Document/Paket", "currency": "IDR",
                          "price": str(svc.price(z, jne_kilograms(kg))),
                          "etd_from": str(lo), "etd_thru": str(hi), "times": "D"})
        return Answer(200, {"price": price})

    def _generate(self, form: Mapping[str, str]) -> Answer:
        for name in _REQUIRED:
            if not form.get(name, "").strip():
                return self._fail("generatecnote", f"{name} is required")
        order_id = form["OLSHOP_ORDERID"]
        self._calls[order_id] = self._calls.get(order_id, 0) + 1
        if len(order_id) > 20:
            return self._fail("generatecnote", "OLSHOP_ORDERID maximum 20 characters")
        for side in ("SHIPPER", "RECEIVER"):
            for n in (1, 2, 3):
                name = f"OLSHOP_{side}_ADDR{n}"
                if len(form.get(name, "")) > 30:
                    return self._fail("generatecnote", f"{name} maximum 30 characters")
        existing = self._by_order.get(order_id)
        if existing is not None:  # our assumption: the same cnote again
            return Answer(200, {"detail": [{"status": "sukses", "cnote_no": existing.cnote}]})
        origin, destination = place_by("jne", form["OLSHOP_ORIG"]), place_by(
            "jne", form["OLSHOP_DEST"])
        if origin is None:
            return self._fail("generatecnote", "OLSHOP_ORIG is not a known origin code")
        if destination is None:
            return self._fail("generatecnote", "OLSHOP_DEST is not a known destination code")
        svc = _service(form["OLSHOP_SERVICE"])
        if svc is None:
            return self._fail("generatecnote", "OLSHOP_SERVICE must be REG, OKE or YES")
        try:
            kg = float(form["OLSHOP_WEIGHT"])
            qty = int(form["OLSHOP_QTY"])
            int(form["OLSHOP_GOODSVALUE"])
        except ValueError:
            return self._fail("generatecnote",
                              "OLSHOP_WEIGHT, OLSHOP_QTY and OLSHOP_GOODSVALUE must be numbers")
        if kg <= 0 or qty < 1:
            return self._fail("generatecnote", "OLSHOP_WEIGHT must be above zero")
        if form["OLSHOP_INS_FLAG"].upper() not in ("Y", "N"):
            return self._fail("generatecnote", "OLSHOP_INS_FLAG must be Y or N")
        cod = form["OLSHOP_COD_FLAG"].upper()
        if cod not in ("Y", "N", "YES", "NO"):
            return self._fail("generatecnote", "OLSHOP_COD_FLAG must be YES or N")
        if cod in ("Y", "YES") and not form.get("OLSHOP_COD_AMOUNT", "").strip().isdigit():
            return self._fail("generatecnote", "OLSHOP_COD_AMOUNT is required for COD")
        ours = service("jne", svc[2])
        assert ours is not None
        z = zone(origin, destination)
        now = self.now()
        c = _Cnote(cnote=self._unique_cnote(), order_id=order_id, form=dict(form),
                   origin=origin, destination=destination, service=svc,
                   kg=jne_kilograms(kg), price=ours.price(z, jne_kilograms(kg)), created=now,
                   track=Track(FORWARD, self.step_seconds, now))
        self._cnotes[c.cnote] = c
        self._by_order[order_id] = c
        self._changed()
        return Answer(200, {"detail": [{"status": "sukses", "cnote_no": c.cnote}]})

    def _unique_cnote(self) -> str:
        while True:
            cnote = "01" + self._digits(14)
            if cnote not in self._cnotes:
                return cnote

    def _track(self, awb: str) -> Answer:
        c = self._cnotes.get(awb)
        if c is None:
            return self._fail("tracking", "Cnote No. Not Found.")
        return Answer(200, self._tracking_object(c))

    def _tracking_object(self, c: _Cnote) -> dict[str, Any]:
        f = c.form
        status = c.track.status
        delivered = c.track.events[-1] if status == "delivered" else None
        history = [{"date": wib(e.at, "%d-%m-%Y %H:%M"), "desc": self._desc(c, e.status, e.at),
                    "code": _CODES[e.status]} for e in c.track.events]
        return {
            "cnote": {
                "cnote_no": c.cnote, "reference_number": c.order_id,
                "cnote_origin": f["OLSHOP_ORIG"], "cnote_destination": f["OLSHOP_DEST"],
                "cnote_services_code": c.service[0], "servicetype": c.service[1],
                "cnote_cust_no": f["OLSHOP_CUST"],
                "cnote_date": wib(c.created, "%Y-%m-%dT%H:%M:%S.000+07:00"),
                "cnote_pod_receiver": f["OLSHOP_RECEIVER_NAME"] if delivered else None,
                "cnote_receiver_name": f["OLSHOP_RECEIVER_NAME"],
                "city_name": c.destination.city.upper(),
                "cnote_pod_date": wib(delivered.at, "%Y-%m-%dT%H:%M:%S.000+07:00")
                if delivered else None,
                "pod_status": _pod(status), "last_status": history[-1]["desc"],
                "cust_type": "OLSHOP", "cnote_amount": str(c.price),
                "cnote_weight": str(c.kg), "pod_code": _CODES[status],
                "keterangan": None, "cnote_goods_descr": f["OLSHOP_GOODSDESC"],
                "freight_charge": str(c.price), "shippingcost": str(c.price),
                "insuranceamount": "0", "priceperkg": str(c.price // max(c.kg, 1)),
                "signature": None, "photo": None, "long": None, "lat": None,
                "estimate_delivery": "2 - 3 DAYS",
            },
            "detail": [{
                "cnote_no": c.cnote,
                "cnote_date": wib(c.created, "%Y-%m-%dT%H:%M:%S.000+07:00"),
                "cnote_weight": str(c.kg), "cnote_origin": f["OLSHOP_ORIG"],
                "cnote_shipper_name": f["OLSHOP_SHIPPER_NAME"],
                "cnote_shipper_addr1": f["OLSHOP_SHIPPER_ADDR1"],
                "cnote_shipper_addr2": f.get("OLSHOP_SHIPPER_ADDR2", ""),
                "cnote_shipper_addr3": f.get("OLSHOP_SHIPPER_ADDR3", ""),
                "cnote_shipper_city": f["OLSHOP_SHIPPER_CITY"],
                "cnote_receiver_name": f["OLSHOP_RECEIVER_NAME"],
                "cnote_receiver_addr1": f["OLSHOP_RECEIVER_ADDR1"],
                "cnote_receiver_addr2": f.get("OLSHOP_RECEIVER_ADDR2", ""),
                "cnote_receiver_addr3": f.get("OLSHOP_RECEIVER_ADDR3", ""),
                "cnote_receiver_city": f["OLSHOP_RECEIVER_CITY"],
            }],
            "history": history,
        }

    def _desc(self, c: _Cnote, status: str, at: float) -> str:
        o, d = c.origin.city.upper(), c.destination.city.upper()
        return {
            "manifested": f"SHIPMENT DATA RECEIVED [{o}]",
            "picked_up": f"SHIPMENT PICKED UP BY JNE COURIER [{o}]",
            "sorting_origin": f"PROCESSED AT SORTING CENTER [{o}]",
            "departed": f"DEPARTED FROM TRANSIT [GATEWAY {o}]",
            "arrived": f"RECEIVED AT WAREHOUSE [{d}]",
            "with_courier": f"WITH DELIVERY COURIER [{d}]",
            "delivered": f"DELIVERED TO [{c.form['OLSHOP_RECEIVER_NAME'].upper()} | "
                         f"{wib(at, '%d-%m-%Y %H:%M')} | {d}]",
            "returning": f"RETURN TO SHIPPER [{d}]",
            "returned": f"RETURNED TO SHIPPER [{o}]",
        }[status]

    def _extra_control(self, method: str, parts: list[str],
                       args: dict[str, Any]) -> Answer | None:
        if method == "POST" and len(parts) == 2 and parts[0] == "return":
            self.return_parcel(parts[1])
        elif method == "POST" and len(parts) == 2 and parts[0] == "status":
            self.force_status(parts[1], str(args.get("status")))
        else:
            return None
        with self._lock:
            return Answer(200, {"ok": True, "cnote": self._tracking_object(
                self._cnote(parts[1]))})


def _pod(status: str) -> str:
    return {"delivered": "DELIVERED", "returning": "RETURN TO SHIPPER",
            "returned": "RETURNED"}.get(status, "ON PROCESS")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the JNE simulator in the foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--username", default=DEFAULT_USERNAME)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--rate-limit", type=float, default=None,
                        help="requests per second per endpoint group")
    parser.add_argument("--step-seconds", type=float, default=60.0)
    parser.add_argument("--random-error-flags", action="store_true")
    args = parser.parse_args(argv)
    sim = JneSimulator(username=args.username, api_key=args.api_key, seed=args.seed,
                       rate_limit=args.rate_limit, step_seconds=args.step_seconds,
                       random_error_flags=args.random_error_flags)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())

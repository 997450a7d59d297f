"""A Biteship API simulator: a real HTTP server on 127.0.0.1 for tests and demos.

Shapes and quirks (``reference/providers.md`` 2a, ``definitions.md`` Couriers):

- Auth: ``Authorization: <key>`` or ``Authorization: Bearer <key>``; anything else is HTTP 401
  ``{"success": false, "error", "code"}`` (8-digit codes on every error).
- ``POST /v1/rates/couriers``: origin/destination by ``*_area_id``, ``*_postal_code`` or
  ``*_latitude``/``*_longitude``; ``couriers`` a comma list; price from the chargeable weight
  max(real, L x W x H / 6000 kg) rounded up to whole kilograms, per-company tariffs and
  durations like ``"2 - 3 Days"``; ``available_for_cash_on_delivery`` per service.
- ``POST /v1/draft_orders`` (``placed``, or ``ready`` when the courier is set), ``GET`` and
  ``POST /v1/draft_orders/{id}`` (read, update), ``POST /v1/draft_orders/{id}/confirm``
  (creates the order, which keeps the draft's ``reference_id`` and has ``draft_order_id``;
  confirming again answers the same order, never a second one; the draft then shows
  ``status: confirmed`` and ``order_id``).
- ``POST /v1/orders``: a direct create. Like the real API there is **no** de-duplication by
  ``reference_id``: a second create is a second order (:meth:`creates` counts them).
- ``GET /v1/orders/{id}`` with ``courier.history[]``; the waybill is ``null`` until the
  order is ``allocated``. ``POST /v1/orders/{id}/cancel`` (``cancellation_reason_code``
  required) works up to ``picking_up``; later it is HTTP 400 with ``success: false`` and
  ``status: "rejected"``. Cancelling a cancelled order answers the cancellation again (our
  assumption).
- ``GET /v1/trackings/{tracking_id}`` and ``/v1/trackings/{waybill}/couriers/{company}``:
  tracking statuses are camelCase where the words are several (``pickingUp``,
  ``droppingOff``, ``returnInTransit``...) and the success text is spelled ``messsage``, as
  the real API does; order statuses are snake_case.
- ``GET /v1/couriers`` (includes ``pos``), ``GET /v1/maps/areas?input=``,
  ``GET /v1/orders/cancellation_reasons``.
- Validation: HTTP 400 for a missing field, 422 for a wrong one; the message starts with the
  field's name (``items[0].weight must be ...``).
- 429 (``{"success": false, "error": "Too many requests", "code": 42900000}``) with
  ``Retry-After`` and ``X-RateLimit-*`` when the configured rate limit is exceeded; endpoint
  groups ``orders`` (create, get, cancel, draft confirm), ``draft_orders`` (draft create, get,
  update), ``rates``, ``tracking`` and ``misc``. :data:`PUBLISHED_RATE_LIMITS` holds
  Biteship's own numbers. 5xx: JSON 500 or an nginx HTML 502.

Statuses move ``confirmed -> allocated -> picking_up -> picked -> dropping_off -> delivered``,
one step each ``step_seconds`` of the simulator's clock (:meth:`advance`).
Controls: :meth:`return_parcel`, :meth:`reprice`, :meth:`force_status`, and over HTTP
``POST /_sim/return/{id}``, ``POST /_sim/reprice/{id}`` ``{"price"}``,
``POST /_sim/status/{id}`` ``{"status", "note"}``, ``GET /_sim/drafts``, plus the common
``/_sim/faults``, ``/_sim/advance``, ``/_sim/rate_limit``, ``/_sim/orders``,
``/_sim/creates/{reference}``, ``/_sim/fault_log``, ``/_sim/throttled``.
"""

from __future__ import annotations

import argparse
import copy
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from sync.simulators.courier_common import (
    COMPANY_NAMES,
    PLACES,
    SERVICES,
    CourierSimulator,
    Place,
    RateLimit,
    Route,
    Service,
    Track,
    html,
    iso_wib,
    json_body,
    kilograms,
    place_by,
    place_by_postal,
    place_near,
    service,
    volumetric_grams,
    zone,
)
from sync.simulators.server import Answer, Request, serve_in_foreground

DEFAULT_KEY = "biteship_test.SIMULATOR"
#: Biteship's published limits (requests per second); its sandbox allows 5.
PUBLISHED_RATE_LIMITS: Mapping[str, float] = {"orders": 20, "draft_orders": 20, "rates": 20,
                                               "tracking": 50}
FORWARD = ("confirmed", "allocated", "picking_up", "picked", "dropping_off", "delivered")
RETURN = ("return_in_transit", "returned")
CANCELLABLE = frozenset({"confirmed", "scheduled", "allocated", "picking_up"})
STATUSES = ("confirmed", "scheduled", "allocated", "picking_up", "picked", "cancelled",
            "on_hold", "dropping_off", "return_in_transit", "returned", "rejected", "disposed",
            "courier_not_found", "delivered")
NOTES = {
    "confirmed": "Order has been confirmed. Locating nearest driver to pick up.",
    "scheduled": "Order has been scheduled.",
    "allocated": "Courier has been allocated. Waiting to pick up.",
    "picking_up": "Courier is on the way to pick up item.",
    "picked": "Item has been picked and ready to be shipped.",
    "dropping_off": "Item is on the way to customer.",
    "delivered": "Item has been delivered.",
    "return_in_transit": "Order is on the way back to the origin.",
    "returned": "Order has been returned to the origin.",
    "cancelled": "Order has been cancelled.",
    "on_hold": "Order is on hold.",
    "rejected": "Order has been rejected by the courier.",
    "disposed": "Order has been disposed.",
    "courier_not_found": "Courier not found for this order.",
}
CANCELLATION_REASONS = (
    ("change_courier", "Ganti kurir", "Change courier"),
    ("change_address", "Ganti alamat", "Change address"),
    ("change_item", "Ganti barang", "Change item"),
    ("buyer_cancel", "Pembeli membatalkan pesanan", "The buyer cancelled the order"),
    ("out_of_stock", "Stok habis", "Out of stock"),
    ("others", "Lainnya", "Others"),
)
_COD_TYPES = ("3_days", "5_days", "7_days")
ENDPOINTS = ("rates", "draft_create", "draft_get", "draft_update", "draft_confirm",
             "order_create", "order_get", "order_cancel", "tracking", "couriers", "areas",
             "cancellation_reasons")


def camel(status: str) -> str:
    """Tracking's spelling: ``picking_up`` -> ``pickingUp``."""
    head, *rest = status.split("_")
    return head + "".join(w.capitalize() for w in rest)


class _Invalid(Exception):
    def __init__(self, status: int, message: str, code: int) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def _missing(name: str) -> _Invalid:
    return _Invalid(400, f"{name} is required", 40002001)


def _wrong(message: str) -> _Invalid:
    return _Invalid(422, message, 42200001)


def _error(http: int, message: str, code: int, **extra: Any) -> Answer:
    return Answer(http, {"success": False, "error": message, "code": code, **extra})


@dataclass(slots=True)
class _Shipment:
    """The validated parts of an order or draft request."""

    origin: Place
    destination: Place
    items: list[dict[str, Any]]
    real_g: int
    volumetric_g: int
    company: str | None
    type: str | None
    cod_amount: int | None
    cod_type: str | None
    insurance: int

    @property
    def chargeable_g(self) -> int:
        return max(self.real_g, self.volumetric_g)


@dataclass(slots=True)
class _Order:
    id: str
    short_id: str
    body: dict[str, Any]
    ship: _Shipment
    svc: Service
    price: int
    tracking_id: str
    waybill: str
    created: float
    track: Track
    draft_order_id: str | None = None
    cancellation: dict[str, Any] | None = None
    price_history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reference(self) -> str | None:
        ref = self.body.get("reference_id")
        return ref if isinstance(ref, str) else None


@dataclass(slots=True)
class _Draft:
    id: str
    body: dict[str, Any]
    created: float
    updated: float
    order_id: str | None = None


class BiteshipSimulator(CourierSimulator):
    NAME = "biteship"
    ENDPOINTS = ENDPOINTS
    CREATE_ENDPOINTS = ("order_create", "draft_create", "draft_confirm")

    def __init__(self, *, api_key: str = DEFAULT_KEY, seed: int = 0,
                 rate_limit: RateLimit = None, step_seconds: float = 60.0,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__(seed=seed, rate_limit=rate_limit, step_seconds=step_seconds,
                         clock=clock)
        self.api_key = api_key
        self._orders: dict[str, _Order] = {}
        self._by_tracking: dict[str, _Order] = {}
        self._drafts: dict[str, _Draft] = {}

    # --- control ---------------------------------------------------------------------

    def return_parcel(self, order_id: str, note: str | None = None) -> None:
        """The recipient refused it: ``return_in_transit``, then ``returned`` a step later
        (KeyError if unknown, ValueError if it was never picked up or is finished)."""
        with self._lock:
            order = self._order(order_id)
            if not order.track.reached("picked") or order.track.status in (
                    "delivered", "returned", "cancelled", "return_in_transit"):
                raise ValueError(f"order {order_id} is {order.track.status}: nothing to return")
            order.track.divert(RETURN, self.now(), note)
            self._changed()

    def reprice(self, order_id: str, price: int, note: str | None = None) -> None:
        """The courier weighed it again (after pickup): the order's price changes and the
        history says so (Biteship's ``order.price`` event)."""
        if isinstance(price, bool) or not isinstance(price, int) or price < 0:
            raise ValueError("price must be a whole number of rupiah")
        with self._lock:
            order = self._order(order_id)
            if order.track.status == "cancelled":
                raise ValueError(f"order {order_id} is cancelled")
            old, order.price = order.price, price
            now = self.now()
            order.price_history.append({"price": price, "previous_price": old,
                                        "updated_at": iso_wib(now)})
            order.track.note(now, note or f"Order price changed from {old} to {price} "
                                          "after the courier weighed the parcel.")
            self._changed()

    def force_status(self, order_id: str, status: str, note: str | None = None) -> None:
        """Put an order in any of Biteship's 14 statuses (on the delivery path it moves on
        from there; a side state such as ``on_hold`` stays until forced again)."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {list(STATUSES)}")
        with self._lock:
            order = self._order(order_id)
            if status in RETURN:
                order.track.divert(RETURN[RETURN.index(status):], self.now(), note)
            else:
                if order.track.path != FORWARD:
                    order.track.path = FORWARD
                order.track.force(status, self.now(), note)
            self._changed()

    # --- inspection ------------------------------------------------------------------

    def orders(self) -> list[dict[str, Any]]:
        """Every order, oldest first: ``{id, reference, waybill, status, price, company,
        type, draft_order_id, created_at, object}`` (``object``: what GET shows)."""
        with self._lock:
            self._tick()
            return [self._summary(o) for o in self._orders.values()]

    def order(self, order_id: str) -> dict[str, Any]:
        """The order as ``GET /v1/orders/{id}`` shows it (KeyError if unknown)."""
        with self._lock:
            self._tick()
            return self._order_object(self._order(order_id))

    def drafts(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._draft_object(d) for d in self._drafts.values()]

    def _summary(self, o: _Order) -> dict[str, Any]:
        return {"id": o.id, "reference": o.reference, "waybill": self._waybill(o),
                "status": o.track.status, "price": o.price, "company": o.svc.company,
                "type": o.svc.code, "draft_order_id": o.draft_order_id,
                "created_at": iso_wib(o.created), "object": self._order_object(o)}

    def _order(self, order_id: str) -> _Order:
        order = self._orders.get(order_id)
        if order is None:
            raise KeyError(order_id)
        return order

    def _tick(self) -> None:
        now = self.now()
        for order in self._orders.values():
            order.track.catch_up(now)

    # --- routing ---------------------------------------------------------------------

    def _route(self, request: Request) -> Route | Answer:
        auth = request.headers.get("authorization", "").strip()
        if auth.lower().startswith("bearer "):
            auth = auth[7:].strip()
        if auth != self.api_key:
            return _error(401, "Authentication failed, please check your API key", 40100001)
        method, path = request.method, request.path.rstrip("/")
        parts = [unquote(p) for p in path.split("/")[1:]]
        if parts[:1] != ["v1"]:
            return _error(404, "Route not found", 40400000)
        p = parts[1:]
        body = json_body(request.body) if method == "POST" else {}
        if body is None:
            return _error(400, "Request body must be a JSON object", 40000001)
        query = {k: v[-1] for k, v in parse_qs(request.query).items()}
        ref = body.get("reference_id") if isinstance(body.get("reference_id"), str) else None
        route: Route | None = None
        if method == "POST" and p == ["rates", "couriers"]:
            route = Route("rates", "rates", lambda: self._rates(body))
        elif method == "POST" and p == ["draft_orders"]:
            route = Route("draft_create", "draft_orders", lambda: self._draft_create(body), ref)
        elif len(p) == 2 and p[0] == "draft_orders" and method in ("GET", "POST"):
            draft_id = p[1]
            if method == "GET":
                route = Route("draft_get", "draft_orders", lambda: self._draft_get(draft_id),
                              draft_id)
            else:
                route = Route("draft_update", "draft_orders",
                              lambda: self._draft_update(draft_id, body), draft_id)
        elif method == "POST" and len(p) == 3 and p[0] == "draft_orders" and p[2] == "confirm":
            draft_id = p[1]
            route = Route("draft_confirm", "orders", lambda: self._draft_confirm(draft_id),
                          draft_id)
        elif method == "GET" and p == ["orders", "cancellation_reasons"]:
            lang = query.get("lang", "id")
            route = Route("cancellation_reasons", "misc", lambda: self._reasons(lang))
        elif method == "POST" and p == ["orders"]:
            route = Route("order_create", "orders", lambda: self._order_create(body), ref)
        elif method == "GET" and len(p) == 2 and p[0] == "orders":
            order_id = p[1]
            route = Route("order_get", "orders", lambda: self._order_get(order_id), order_id)
        elif method == "POST" and len(p) == 3 and p[0] == "orders" and p[2] == "cancel":
            order_id = p[1]
            route = Route("order_cancel", "orders", lambda: self._cancel(order_id, body),
                          order_id)
        elif method == "GET" and len(p) == 2 and p[0] == "trackings":
            tid = p[1]
            route = Route("tracking", "tracking", lambda: self._tracking(tid, None), tid)
        elif method == "GET" and len(p) == 4 and p[0] == "trackings" and p[2] == "couriers":
            waybill, company = p[1], p[3]
            route = Route("tracking", "tracking", lambda: self._tracking(waybill, company),
                          waybill)
        elif method == "GET" and p == ["couriers"]:
            route = Route("couriers", "misc", self._couriers)
        elif method == "GET" and p == ["maps", "areas"]:
            text = query.get("input", "")
            route = Route("areas", "misc", lambda: self._areas(text))
        if route is None:
            return _error(404, "Route not found", 40400000)
        return route

    def _too_many(self, headers: dict[str, str]) -> Answer:
        return Answer(429, {"success": False, "error": "Too many requests", "code": 42900000},
                      headers=headers)

    def _server_error(self, pick: int) -> Answer:
        if pick == 0:
            return _error(500, "Internal server error", 50000000)
        return html(502, "502 Bad Gateway")

    # --- validation ------------------------------------------------------------------

    def _place(self, body: Mapping[str, Any], end: str) -> Place:
        area = body.get(f"{end}_area_id")
        postal = body.get(f"{end}_postal_code")
        coordinate = body.get(f"{end}_coordinate")
        lat, lng = body.get(f"{end}_latitude"), body.get(f"{end}_longitude")
        if isinstance(coordinate, Mapping):
            lat, lng = coordinate.get("latitude"), coordinate.get("longitude")
        if area not in (None, ""):
            found = place_by("area_id", area)
            if found is None:
                raise _wrong(f"{end}_area_id is not a known area id")
            return found
        if postal not in (None, ""):
            found = place_by_postal(postal)
            if found is None:
                raise _wrong(f"{end}_postal_code is not a postal code we deliver to")
            return found
        if lat is not None or lng is not None:
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in (lat, lng)):
                raise _wrong(f"{end}_latitude and {end}_longitude must be numbers")
            return place_near(float(lat), float(lng))  # type: ignore[arg-type]
        raise _missing(f"{end}_area_id or {end}_postal_code")

    def _items(self, body: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int, int]:
        items = body.get("items")
        if not isinstance(items, list) or not items:
            raise _missing("items")
        real = volume = 0
        clean: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise _wrong(f"items[{i}] must be an object")
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                raise _missing(f"items[{i}].name")
            numbers: dict[str, int] = {}
            for key, required, least in (("weight", True, 1), ("quantity", False, 1),
                                         ("value", False, 0), ("length", False, 0),
                                         ("width", False, 0), ("height", False, 0)):
                value = item.get(key)
                if value is None:
                    if required:
                        raise _missing(f"items[{i}].{key}")
                    value = 1 if key == "quantity" else 0
                if isinstance(value, bool) or not isinstance(value, (int, float)) \
                        or value < least:
                    raise _wrong(f"items[{i}].{key} must be a number of at least {least}")
                numbers[key] = math.ceil(value)
            qty = numbers["quantity"]
            real += numbers["weight"] * qty
            volume += volumetric_grams(numbers["length"], numbers["width"],
                                       numbers["height"]) * qty
            clean.append({"name": name, "description": item.get("description"),
                          "sku": item.get("sku"), "category": item.get("category"),
                          **numbers})
        return clean, real, volume

    def _shipment(self, body: Mapping[str, Any], *, need_courier: bool,
                  contacts: bool) -> _Shipment:
        if contacts:
            for name in ("origin_contact_name", "origin_contact_phone", "origin_address",
                         "destination_contact_name", "destination_contact_phone",
                         "destination_address"):
                value = body.get(name)
                if not isinstance(value, str) or not value.strip():
                    raise _missing(name)
        origin = self._place(body, "origin")
        destination = self._place(body, "destination")
        items, real, volume = self._items(body)
        company, kind = body.get("courier_company"), body.get("courier_type")
        if need_courier and not company:
            raise _missing("courier_company")
        if need_courier and not kind:
            raise _missing("courier_type")
        if company is not None and (not isinstance(company, str)
                                    or company not in COMPANY_NAMES):
            raise _wrong(f"courier_company {company!r} is not available")
        if kind is not None and company is not None:
            svc = service(str(company), str(kind))
            if svc is None:
                raise _wrong(f"courier_type {kind!r} is not available for courier_company "
                             f"{company!r}")
            if kilograms(max(real, volume)) > svc.max_kg:
                raise _wrong(f"items weight exceeds the {svc.max_kg} kg limit of "
                             f"{company} {kind}")
        cod = body.get("destination_cash_on_delivery")
        cod_type = body.get("destination_cash_on_delivery_type")
        if cod is not None:
            if isinstance(cod, bool) or not isinstance(cod, int) or cod <= 0:
                raise _wrong("destination_cash_on_delivery must be a positive amount")
            if cod_type is None:
                cod_type = "7_days"
            if cod_type not in _COD_TYPES:
                raise _wrong(f"destination_cash_on_delivery_type must be one of "
                             f"{', '.join(_COD_TYPES)}")
            svc = service(str(company), str(kind)) if company and kind else None
            if svc is not None and not svc.cod:
                raise _wrong(f"destination_cash_on_delivery is not available for {company} "
                             f"{kind}")
        insurance = body.get("courier_insurance") or 0
        if isinstance(insurance, bool) or not isinstance(insurance, int) or insurance < 0:
            raise _wrong("courier_insurance must be a whole amount")
        if contacts:
            delivery = body.get("delivery_type", "now")
            if delivery not in ("now", "scheduled"):
                raise _wrong("delivery_type must be now or scheduled")
            if delivery == "scheduled" and not (body.get("delivery_date")
                                                and body.get("delivery_time")):
                raise _missing("delivery_date and delivery_time")
        return _Shipment(origin, destination, items, real, volume,
                         company if isinstance(company, str) else None,
                         kind if isinstance(kind, str) else None,
                         cod if isinstance(cod, int) else None,
                         cod_type if isinstance(cod_type, str) else None, insurance)

    # --- rates -----------------------------------------------------------------------

    def _rates(self, body: Mapping[str, Any]) -> Answer:
        try:
            couriers = body.get("couriers")
            if not isinstance(couriers, str) or not couriers.strip():
                raise _missing("couriers")
            ship = self._shipment(body, need_courier=False, contacts=False)
        except _Invalid as bad:
            return _error(bad.status, bad.message, bad.code)
        wanted = [c.strip().lower() for c in couriers.split(",") if c.strip()]
        z = zone(ship.origin, ship.destination)
        kg = kilograms(ship.chargeable_g)
        cod_amount = body.get("destination_cash_on_delivery")
        pricing: list[dict[str, Any]] = []
        for svc in SERVICES:
            if svc.company not in wanted or kg > svc.max_kg:
                continue
            lo, hi = svc.duration(z)
            price = svc.price(z, kg)
            insurance_fee = math.ceil(ship.insurance * 0.002) if ship.insurance else 0
            cod_fee = (max(2500, math.ceil(cod_amount * 0.04))
                       if svc.cod and isinstance(cod_amount, int) and cod_amount > 0 else 0)
            pricing.append({
                "available_collection_method": ["pickup", "drop_off"],
                "available_for_cash_on_delivery": svc.cod,
                "available_for_proof_of_delivery": False,
                "available_for_instant_waybill_id": False,
                "available_for_insurance": True,
                "company": svc.company,
                "courier_name": COMPANY_NAMES[svc.company],
                "courier_code": svc.company,
                "courier_service_name": svc.name,
                "courier_service_code": svc.code,
                "type": svc.code,
                "description": svc.description,
                "duration": f"{lo} - {hi} Days" if lo != hi else f"{lo} Days",
                "shipment_duration_range": f"{lo} - {hi}" if lo != hi else str(lo),
                "shipment_duration_unit": "days",
                "service_type": "standard",
                "shipping_type": "parcel",
                "price": price,
                "shipping_fee": price,
                "insurance_fee": insurance_fee,
                "cash_on_delivery_fee": cod_fee,
                "tax_lines": [],
            })
        if not pricing:
            return _error(400, "couriers: no courier available for this route and weight",
                          40001010)
        pricing.sort(key=lambda r: r["price"])
        return Answer(200, {"success": True, "object": "courier_pricing",
                            "message": "Success to retrieve courier pricing",
                            "code": 20001003, "origin": _area(ship.origin),
                            "destination": _area(ship.destination), "pricing": pricing})

    # --- drafts ----------------------------------------------------------------------

    def _draft_create(self, body: dict[str, Any]) -> Answer:
        try:
            self._shipment(body, need_courier=False, contacts=False)
        except _Invalid as bad:
            return _error(bad.status, bad.message, bad.code)
        now = self.now()
        draft = _Draft(self._hex(), copy.deepcopy(body), now, now)
        self._drafts[draft.id] = draft
        self._changed()
        return Answer(200, {"message": "Draft order successfully created",
                            **self._draft_object(draft)})

    def _draft_get(self, draft_id: str) -> Answer:
        draft = self._drafts.get(draft_id)
        if draft is None:
            return _error(404, "Draft order not found", 40400002)
        return Answer(200, self._draft_object(draft))

    def _draft_update(self, draft_id: str, body: Mapping[str, Any]) -> Answer:
        draft = self._drafts.get(draft_id)
        if draft is None:
            return _error(404, "Draft order not found", 40400002)
        if draft.order_id is not None:
            return _error(400, "Draft order has been confirmed and can no longer change",
                          40002010)
        merged = {**draft.body, **copy.deepcopy(dict(body))}
        try:
            self._shipment(merged, need_courier=False, contacts=False)
        except _Invalid as bad:
            return _error(bad.status, bad.message, bad.code)
        draft.body, draft.updated = merged, self.now()
        self._changed()
        return Answer(200, {"message": "Draft order successfully updated",
                            **self._draft_object(draft)})

    def _draft_confirm(self, draft_id: str) -> Answer:
        draft = self._drafts.get(draft_id)
        if draft is None:
            return _error(404, "Draft order not found", 40400002)
        if draft.order_id is not None:  # confirmed before: the same order, never a second
            return Answer(200, {"message": "Order successfully created",
                                **self._order_object(self._orders[draft.order_id])})
        try:
            ship = self._shipment(draft.body, need_courier=True, contacts=True)
        except _Invalid as bad:
            return _error(bad.status, bad.message, bad.code)
        order = self._make_order(draft.body, ship, draft.id)
        draft.order_id, draft.updated = order.id, self.now()
        return Answer(200, {"message": "Order successfully created",
                            **self._order_object(order)})

    def _draft_object(self, d: _Draft) -> dict[str, Any]:
        b = d.body
        ready = bool(b.get("courier_company") and b.get("courier_type"))
        status = "confirmed" if d.order_id else "ready" if ready else "placed"
        price = None
        if ready:
            try:
                ship = self._shipment(b, need_courier=True, contacts=False)
            except _Invalid:
                ship = None
            if ship is not None:
                price = self._price(ship)
        return {
            "success": True, "object": "draft_order", "id": d.id, "status": status,
            "order_id": d.order_id, "reference_id": b.get("reference_id"),
            "shipper": _pick(b, "shipper", ("contact_name", "contact_phone", "contact_email",
                                            "organization")),
            "origin": {**_pick(b, "origin", ("contact_name", "contact_phone", "address",
                                             "note", "postal_code", "area_id"))},
            "destination": {**_pick(b, "destination", ("contact_name", "contact_phone",
                                                       "contact_email", "address", "note",
                                                       "postal_code", "area_id"))},
            "courier": {"company": b.get("courier_company"), "type": b.get("courier_type"),
                        "tracking_id": None, "waybill_id": None,
                        "insurance": {"amount": b.get("courier_insurance") or 0}},
            "delivery": {"type": b.get("delivery_type", "now"),
                         "datetime": None},
            "items": b.get("items"), "metadata": b.get("metadata") or {},
            "price": price, "currency": "IDR",
            "created_at": iso_wib(d.created), "updated_at": iso_wib(d.updated),
        }

    # --- orders ----------------------------------------------------------------------

    def _order_create(self, body: dict[str, Any]) -> Answer:
        try:
            ship = self._shipment(body, need_courier=True, contacts=True)
        except _Invalid as bad:
            return _error(bad.status, bad.message, bad.code)
        order = self._make_order(copy.deepcopy(body), ship, None)
        return Answer(200, {"message": "Order successfully created",
                            **self._order_object(order)})

    def _price(self, ship: _Shipment) -> int:
        svc = service(str(ship.company), str(ship.type))
        assert svc is not None
        return svc.price(zone(ship.origin, ship.destination), kilograms(ship.chargeable_g))

    def _make_order(self, body: dict[str, Any], ship: _Shipment, draft_id: str | None) -> _Order:
        svc = service(str(ship.company), str(ship.type))
        assert svc is not None
        now = self.now()
        order = _Order(
            id=self._hex(), short_id=self._hex()[:8].upper(), body=body, ship=ship, svc=svc,
            price=self._price(ship), tracking_id=self._hex(),
            waybill=self._waybill_number(svc.company), created=now,
            track=Track(FORWARD, self.step_seconds, now), draft_order_id=draft_id,
        )
        self._orders[order.id] = order
        self._by_tracking[order.tracking_id] = order
        self._changed()
        return order

    def _waybill_number(self, company: str) -> str:
        if company == "jne":
            return self._digits(16)
        if company == "jnt":
            return "JP" + self._digits(10)
        if company == "pos":
            return "P" + self._digits(12)
        if company == "anteraja":
            return "10" + self._digits(12)
        return "00" + self._digits(10)

    def _hex(self) -> str:
        return f"{self._rng.getrandbits(96):024x}"

    def _waybill(self, o: _Order) -> str | None:
        return o.waybill if o.track.reached("allocated") else None

    def _order_get(self, order_id: str) -> Answer:
        order = self._orders.get(order_id)
        if order is None:
            return _error(404, "Order not found", 40400001)
        return Answer(200, self._order_object(order))

    def _order_object(self, o: _Order) -> dict[str, Any]:
        b = o.body
        allocated = o.track.reached("allocated")
        cod = None
        if o.ship.cod_amount:
            delivered = o.track.status == "delivered"
            cod = {"id": o.id[:12], "amount": o.ship.cod_amount,
                   "fee": max(2500, math.ceil(o.ship.cod_amount * 0.04)),
                   "note": None, "type": o.ship.cod_type,
                   "status": "delivered" if delivered else "pending",
                   "payment_status": "paid" if delivered else "pending",
                   "payment_method": "cash"}
        history = [{"status": e.status, "note": e.note or NOTES.get(e.status, e.status),
                    "service_type": o.svc.code, "updated_at": iso_wib(e.at)}
                   for e in o.track.events]
        obj: dict[str, Any] = {
            "success": True, "object": "order", "id": o.id, "short_id": o.short_id,
            "draft_order_id": o.draft_order_id,
            "shipper": _pick(b, "shipper", ("contact_name", "contact_phone", "contact_email",
                                            "organization")),
            "origin": {**_pick(b, "origin", ("contact_name", "contact_phone", "address",
                                             "note", "postal_code", "area_id")),
                       "coordinate": {"latitude": o.ship.origin.lat,
                                      "longitude": o.ship.origin.lng},
                       "collection_method": b.get("origin_collection_method", "pickup")},
            "destination": {**_pick(b, "destination", ("contact_name", "contact_phone",
                                                       "contact_email", "address", "note",
                                                       "postal_code", "area_id")),
                            "coordinate": {"latitude": o.ship.destination.lat,
                                           "longitude": o.ship.destination.lng},
                            "cash_on_delivery": cod,
                            "proof_of_delivery": {"use": False, "fee": 0, "note": None,
                                                  "link": None}},
            "courier": {
                "tracking_id": o.tracking_id,
                "waybill_id": o.waybill if allocated else None,
                "company": o.svc.company, "type": o.svc.code,
                "name": None, "phone": None,
                "driver_name": "Kurir Simulator" if allocated else None,
                "driver_phone": "080000000000" if allocated else None,
                "driver_photo_url": None,
                "driver_plate_number": "B 0000 SIM" if allocated else None,
                "link": f"https://track.biteship.com/{o.tracking_id}",
                "insurance": {"amount": o.ship.insurance,
                              "fee": math.ceil(o.ship.insurance * 0.002),
                              "note": ""},
                "routing_code": None,
                "history": history,
            },
            "delivery": {"datetime": iso_wib(o.created), "note": None,
                         "type": b.get("delivery_type", "now"),
                         "distance": None, "distance_unit": "kilometer"},
            "reference_id": o.reference,
            "items": o.ship.items,
            "extra": [],
            "currency": "IDR",
            "price": o.price,
            "metadata": b.get("metadata") or {},
            "note": b.get("order_note"),
            "status": o.track.status,
        }
        if o.cancellation is not None:
            obj.update(o.cancellation)
        return obj

    def _cancel(self, order_id: str, body: Mapping[str, Any]) -> Answer:
        order = self._orders.get(order_id)
        if order is None:
            return _error(404, "Order not found", 40400001)
        if order.track.status == "cancelled" and order.cancellation is not None:
            return Answer(200, {"success": True, "message": "Order successfully cancelled",
                                "object": "order", "id": order.id, "status": "cancelled",
                                **order.cancellation})
        code = body.get("cancellation_reason_code")
        reason = body.get("cancellation_reason")
        if not isinstance(code, str) or not code:
            return _error(400, "cancellation_reason_code is required", 40002001)
        known = {c for c, _, _ in CANCELLATION_REASONS}
        if code not in known:
            return _error(422, f"cancellation_reason_code must be one of "
                               f"{', '.join(sorted(known))}", 42200001)
        if order.track.status not in CANCELLABLE:
            return _error(400, f"Order can not be cancelled: the courier status is "
                               f"{order.track.status}, cancel only up to picking_up",
                          40002038, status="rejected")
        text = reason if isinstance(reason, str) and reason else dict(
            (c, en) for c, _, en in CANCELLATION_REASONS)[code]
        order.cancellation = {"cancellation_reason_code": code, "cancellation_reason": text}
        order.track.halt("cancelled", self.now(), f"Order has been cancelled: {text}")
        self._changed()
        return Answer(200, {"success": True, "message": "Order successfully cancelled",
                            "object": "order", "id": order.id, "status": "cancelled",
                            **order.cancellation})

    def _reasons(self, lang: str) -> Answer:
        english = lang.lower().startswith("en")
        return Answer(200, {"success": True, "message": "Success", "object":
                            "cancellation_reasons", "cancellation_reasons": [
                                {"code": c, "reason": en if english else idn}
                                for c, idn, en in CANCELLATION_REASONS]})

    # --- tracking and catalogues -----------------------------------------------------

    def _tracking(self, key: str, company: str | None) -> Answer:
        order: _Order | None
        if company is None:
            order = self._by_tracking.get(key)
        else:
            order = next((o for o in self._orders.values()
                          if self._waybill(o) == key and o.svc.company == company), None)
        if order is None:
            return _error(404, "Tracking data not found", 40400003)
        b = order.body
        return Answer(200, {
            "success": True, "messsage": "Successfully get tracking info", "object": "tracking",
            "id": order.tracking_id, "waybill_id": self._waybill(order),
            "courier": {"company": order.svc.company,
                        "driver_name": "Kurir Simulator"
                        if order.track.reached("allocated") else None,
                        "driver_phone": None, "driver_photo_url": None,
                        "driver_plate_number": None},
            "origin": {"contact_name": b.get("origin_contact_name"),
                       "address": b.get("origin_address")},
            "destination": {"contact_name": b.get("destination_contact_name"),
                            "address": b.get("destination_address")},
            "history": [{"note": e.note or NOTES.get(e.status, e.status),
                         "status": camel(e.status), "updated_at": iso_wib(e.at)}
                        for e in order.track.events],
            "link": f"https://track.biteship.com/{order.tracking_id}",
            "order_id": order.id,
            "status": camel(order.track.status),
        })

    def _couriers(self) -> Answer:
        return Answer(200, {"success": True, "object": "courier", "couriers": [
            {"available_for_cash_on_delivery": s.cod,
             "available_for_proof_of_delivery": False,
             "available_for_instant_waybill_id": False,
             "courier_name": COMPANY_NAMES[s.company], "courier_code": s.company,
             "courier_service_name": s.name, "courier_service_code": s.code,
             "tier": "essentials", "description": s.description,
             "service_type": "standard", "shipping_type": "parcel",
             "shipment_duration_range": f"{s.days[1][0]} - {s.days[1][1]}",
             "shipment_duration_unit": "days"} for s in SERVICES]})

    def _areas(self, text: str) -> Answer:
        words = [w for w in re.split(r"[\s,]+", text.lower()) if w]
        if not words:
            return _error(400, "input is required", 40002001)
        found = [_area(p) for p in PLACES
                 if all(w in p.name.lower() for w in words)]
        return Answer(200, {"success": True, "areas": found})

    def _extra_control(self, method: str, parts: list[str],
                       args: dict[str, Any]) -> Answer | None:
        if method == "POST" and len(parts) == 2 and parts[0] == "return":
            self.return_parcel(parts[1], args.get("note"))
        elif method == "POST" and len(parts) == 2 and parts[0] == "reprice":
            self.reprice(parts[1], args.get("price"), args.get("note"))  # type: ignore[arg-type]
        elif method == "POST" and len(parts) == 2 and parts[0] == "status":
            self.force_status(parts[1], str(args.get("status")), args.get("note"))
        elif method == "GET" and parts == ["drafts"]:
            return Answer(200, {"drafts": self.drafts()})
        else:
            return None
        return Answer(200, {"ok": True, "order": self.order(parts[1])})


def _pick(body: Mapping[str, Any], prefix: str, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: body.get(f"{prefix}_{name}") for name in names}


def _area(p: Place) -> dict[str, Any]:
    return {
        "id": p.area_id, "name": p.name, "country_name": "Indonesia", "country_code": "ID",
        "administrative_division_level_1_name": p.province,
        "administrative_division_level_1_type": "province",
        "administrative_division_level_2_name": p.city,
        "administrative_division_level_2_type": "city",
        "administrative_division_level_3_name": p.district,
        "administrative_division_level_3_type": "district",
        "postal_code": int(p.postal_code),
        "latitude": p.lat, "longitude": p.lng,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the Biteship simulator in the foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--api-key", default=DEFAULT_KEY)
    parser.add_argument("--rate-limit", type=float, default=None,
                        help="requests per second per endpoint group")
    parser.add_argument("--published-limits", action="store_true",
                        help="Biteship's own limits: orders/draft_orders/rates 20, tracking 50")
    parser.add_argument("--step-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    limits: RateLimit = PUBLISHED_RATE_LIMITS if args.published_limits else args.rate_limit
    sim = BiteshipSimulator(api_key=args.api_key, seed=args.seed, rate_limit=limits,
                            step_seconds=args.step_seconds)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())

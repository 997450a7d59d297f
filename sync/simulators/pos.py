"""A POS Indonesia (direct API) simulator: a real HTTP server on 127.0.0.1.

POS Indonesia's gateway is a WSO2 API manager (``reference/providers.md`` 2d):

- ``POST /token`` with ``grant_type=client_credentials`` (form) and ``Authorization: Basic
  base64(consumer_key:consumer_secret)`` -> ``{"access_token", "scope", "token_type":
  "Bearer", "expires_in"}``; bad client -> 401 ``{"error": "invalid_client",
  "error_description"}``.
- API calls need ``Authorization: Bearer <token>``; a missing, unknown or expired token is
  HTTP 401 with a WSO2 fault ``{"fault": {"code": 900901, "message": "Invalid Credentials",
  "description"}}`` and a ``WWW-Authenticate`` header. Tokens expire after ``token_ttl``
  seconds of the simulator's clock (:meth:`advance`). When ``pos_user``/``pos_password`` are
  set, the ``X-POS-USER``/``X-POS-PASSWORD`` headers must match too.
- ``POST /utility/1.0.0/getFee`` (JSON ``customerid, desttypeid, itemtypeid,
  shipperzipcode, receiverzipcode, weight (g), length, width, height, diameter,
  valuegoods``) -> ``{"rs_fee": {"r_fee": ...}}``: a single OBJECT when one service fits,
  a LIST when several; ``serviceCode`` ``"999"`` (an object) when there is no tariff
  (unknown zip code, over 150 kg). Amounts are strings. Missing fields: HTTP 400
  ``{"errorCode": "400", "errorMessage": "<field> is required"}``.
  Services: 240 PAKETPOS REGULER (<= 30 kg), 447 POS NEXTDAY (<= 10 kg, same region),
  401 POS SAMEDAY (<= 5 kg, same city), 3J0 POS JUMBO EKONOMI (31..150 kg).
- ``POST /utilitas/1.0.1/getTrackAndTrace`` (JSON ``{"barcode"}`` or ``{"resi"}``) ->
  ``{"rs_tnt": {"r_tnt": ...}}``, with the same object-or-list quirk (one event: an object);
  an unknown barcode gives ``{"rs_tnt": {"r_tnt": []}}``.
- 429 is WSO2's throttling fault (code 900800) with ``Retry-After`` and ``X-RateLimit-*``
  (groups ``token``, ``fee``, ``tracking``); 5xx a WSO2 101503 fault or an HTML page.

POS publishes no order-creation API (parcels go through Biteship with ``courier_code: pos``):
:meth:`PosSimulator.add_parcel` (``POST /_sim/parcels``) registers one so tracking has
something to follow; it moves posted -> manifest_out -> manifest_in -> out_for_delivery ->
delivered one step every ``step_seconds``; :meth:`return_parcel` sends it back.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hmac
import math
import secrets
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
    place_by_postal,
    service,
    volumetric_grams,
    wib,
    zone,
)
from sync.simulators.server import Answer, Request, serve_in_foreground

DEFAULT_CONSUMER_KEY = "pos_key_SIMULATOR"
DEFAULT_CONSUMER_SECRET = "pos_secret_SIMULATOR"
FEE_PATH = "/utility/1.0.0/getFee"
TRACK_PATH = "/utilitas/1.0.1/getTrackAndTrace"
FORWARD = ("posted", "manifest_out", "manifest_in", "out_for_delivery", "delivered")
RETURN = ("returning", "returned")
ENDPOINTS = ("token", "fee", "tracking")
_EVENTS = {"posted": "POSTING LOKET", "manifest_out": "MANIFEST SERAH",
           "manifest_in": "MANIFEST TERIMA", "out_for_delivery": "PROSES ANTAR",
           "delivered": "SELESAI ANTAR", "returning": "RETUR KE PENGIRIM",
           "returned": "SELESAI RETUR"}


def _one_or_many(items: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    """POS's XML-born JSON: one element is an object, several are a list."""
    return items[0] if len(items) == 1 else items


@dataclass(slots=True)
class _Parcel:
    barcode: str
    reference: str | None
    origin: Place
    destination: Place
    receiver_name: str
    created: float
    track: Track


class PosSimulator(CourierSimulator):
    NAME = "pos"
    ENDPOINTS = ENDPOINTS
    CREATE_ENDPOINTS = ("fee", "tracking")

    def __init__(self, *, consumer_key: str = DEFAULT_CONSUMER_KEY,
                 consumer_secret: str = DEFAULT_CONSUMER_SECRET,
                 pos_user: str | None = None, pos_password: str | None = None,
                 token_ttl: float = 3600.0, seed: int = 0, rate_limit: RateLimit = None,
                 step_seconds: float = 60.0,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__(seed=seed, rate_limit=rate_limit, step_seconds=step_seconds,
                         clock=clock)
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.pos_user = pos_user
        self.pos_password = pos_password
        self.token_ttl = float(token_ttl)
        self._tokens: dict[str, float] = {}  # token -> expires at (simulator clock)
        self._parcels: dict[str, _Parcel] = {}

    # --- control and inspection ------------------------------------------------------

    def add_parcel(self, *, barcode: str | None = None, reference: str | None = None,
                   origin_postal_code: str = "12120", destination_postal_code: str = "40132",
                   receiver_name: str = "PENERIMA") -> str:
        """Register a parcel (as if posted at a counter or created through Biteship);
        returns its barcode (the one given, or a new ``P`` + 12 digits)."""
        origin, destination = place_by_postal(origin_postal_code), place_by_postal(
            destination_postal_code)
        if origin is None or destination is None:
            raise ValueError("origin_postal_code and destination_postal_code must be known "
                             "postal codes")
        with self._lock:
            if barcode is None:
                barcode = "P" + self._digits(12)
                while barcode in self._parcels:
                    barcode = "P" + self._digits(12)
            elif barcode in self._parcels:
                raise ValueError(f"barcode {barcode} exists")
            now = self.now()
            self._parcels[barcode] = _Parcel(barcode, reference, origin, destination,
                                             receiver_name, now,
                                             Track(FORWARD, self.step_seconds, now))
            self._changed()
            return barcode

    def return_parcel(self, barcode: str) -> None:
        with self._lock:
            p = self._parcel(barcode)
            if not p.track.reached("manifest_out") or p.track.status in (
                    "delivered", "returning", "returned"):
                raise ValueError(f"barcode {barcode} is {p.track.status}: nothing to return")
            p.track.divert(RETURN, self.now())
            self._changed()

    def expire_tokens(self) -> None:
        """Every issued token is expired from now on."""
        with self._lock:
            for token in self._tokens:
                self._tokens[token] = min(self._tokens[token], self.now())

    def orders(self) -> list[dict[str, Any]]:
        """Every parcel, oldest first: ``{id, reference, waybill, status, created_at,
        object}`` (``object``: the track-and-trace answer)."""
        with self._lock:
            self._tick()
            return [{"id": p.barcode, "reference": p.reference, "waybill": p.barcode,
                     "status": p.track.status, "created_at": wib(p.created),
                     "object": {"rs_tnt": {"r_tnt": _one_or_many(self._events(p))}}}
                    for p in self._parcels.values()]

    def _parcel(self, barcode: str) -> _Parcel:
        p = self._parcels.get(barcode)
        if p is None:
            raise KeyError(barcode)
        return p

    def _tick(self) -> None:
        now = self.now()
        for p in self._parcels.values():
            p.track.catch_up(now)

    # --- routing ---------------------------------------------------------------------

    def _route(self, request: Request) -> Route | Answer:
        path = request.path.rstrip("/")
        if path not in ("/token", FEE_PATH, TRACK_PATH):
            return html(404, "404 Not Found")
        if request.method != "POST":
            return html(405, "405 Method Not Allowed")
        if path == "/token":
            return self._token_route(request)
        denied = self._check_bearer(request.headers)
        if denied is not None:
            return denied
        body = json_body(request.body)
        if body is None:
            return Answer(400, {"errorCode": "400", "errorMessage": "body must be JSON"})
        if path == FEE_PATH:
            return Route("fee", "fee", lambda: self._fee(body))
        key = body.get("barcode") or body.get("resi")
        barcode = str(key) if key else ""
        return Route("tracking", "tracking", lambda: self._trace(barcode), barcode or None)

    def _token_route(self, request: Request) -> Route | Answer:
        invalid = Answer(401, {"error": "invalid_client", "error_description":
                               "Client Authentication failed."})
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return invalid
        try:
            key, _, secret = base64.b64decode(header[6:].strip(), validate=True).decode(
                "utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return invalid
        if not (hmac.compare_digest(key.encode(), self.consumer_key.encode())
                and hmac.compare_digest(secret.encode(), self.consumer_secret.encode())):
            return invalid
        if form_body(request.body).get("grant_type") != "client_credentials":
            return Answer(400, {"error": "unsupported_grant_type", "error_description":
                                "Unsupported grant_type value"})
        return Route("token", "token", self._issue)

    def _issue(self) -> Answer:
        token = secrets.token_hex(16)
        self._tokens[token] = self.now() + self.token_ttl
        self._changed()
        return Answer(200, {"access_token": token, "scope": "default",
                            "token_type": "Bearer", "expires_in": int(self.token_ttl)})

    def _check_bearer(self, headers: Mapping[str, str]) -> Answer | None:
        header = headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        expires = self._tokens.get(token)
        if expires is None or self.now() >= expires:
            why = "The access token expired" if expires is not None else "Invalid token"
            return Answer(401, {"fault": {
                "code": 900901, "message": "Invalid Credentials",
                "description": f"Invalid Credentials. {why}. Make sure you have provided "
                               "the correct security credentials"}},
                headers={"WWW-Authenticate": 'OAuth2 realm="WSO2 API Manager", '
                         f'error="invalid_token", error_description="{why}"'})
        if self.pos_user is not None and (headers.get("x-pos-user") != self.pos_user
                                          or headers.get("x-pos-password") != self.pos_password):
            return Answer(401, {"fault": {"code": 900901, "message": "Invalid Credentials",
                                          "description": "X-POS-USER or X-POS-PASSWORD "
                                                         "is wrong"}})
        return None

    def _too_many(self, headers: dict[str, str]) -> Answer:
        return Answer(429, {"fault": {"code": 900800, "message": "Message throttled out",
                                      "description": "You have exceeded your quota"}},
                      headers=headers)

    def _server_error(self, pick: int) -> Answer:
        if pick == 0:
            return Answer(503, {"fault": {"code": 101503, "type": "Status report",
                                          "message": "Runtime Error",
                                          "description": "Error connecting to the back end"}})
        return html(500, "500 Internal Server Error")

    # --- the API ---------------------------------------------------------------------

    def _fee(self, body: Mapping[str, Any]) -> Answer:
        for name in ("customerid", "shipperzipcode", "receiverzipcode", "weight"):
            if body.get(name) in (None, ""):
                return Answer(400, {"errorCode": "400", "errorMessage": f"{name} is required"})
        numbers: dict[str, float] = {}
        for name in ("weight", "length", "width", "height", "diameter", "valuegoods"):
            value = body.get(name, 0) or 0
            try:
                numbers[name] = float(value)
            except (TypeError, ValueError):
                return Answer(400, {"errorCode": "400",
                                    "errorMessage": f"{name} must be a number"})
            if numbers[name] < 0:
                return Answer(400, {"errorCode": "400",
                                    "errorMessage": f"{name} must not be negative"})
        origin = place_by_postal(body.get("shipperzipcode"))
        destination = place_by_postal(body.get("receiverzipcode"))
        grams = max(numbers["weight"], volumetric_grams(numbers["length"], numbers["width"],
                                                        numbers["height"]))
        if origin is None or destination is None or grams <= 0 or grams > 150_000:
            return Answer(200, {"rs_fee": {"r_fee": {
                "serviceCode": "999", "serviceName": "-", "fee": "0", "feeTax": "0",
                "insurance": "0", "insuranceTax": "0", "totalFee": "0", "itemValue": "0",
                "notes": "Tarif tidak ditemukan", "estimation": "-"}}})
        kg = kilograms(grams)
        z = zone(origin, destination)
        reg, nextday = service("pos", "reg"), service("pos", "nextday")
        assert reg is not None and nextday is not None
        offers: list[tuple[str, str, int, str]] = []
        if kg <= 30:
            lo, hi = reg.duration(z)
            offers.append(("240", "PAKETPOS REGULER", reg.price(z, kg), f"{lo}-{hi} HARI"))
        else:
            lo, hi = reg.duration(z)
            offers.append(("3J0", "POS JUMBO EKONOMI", math.ceil(reg.price(z, kg) * 0.6),
                           f"{lo + 1}-{hi + 2} HARI"))
        if kg <= 10 and z <= 1:
            offers.append(("447", "POS NEXTDAY", nextday.price(z, kg), "1 HARI"))
        if kg <= 5 and z == 0:
            offers.append(("401", "POS SAMEDAY", nextday.price(z, kg) + 5000, "0 HARI"))
        value = int(numbers["valuegoods"])
        entries = []
        for code, name, fee, estimation in offers:
            fee_tax = round(fee * 0.011)
            insurance = math.ceil(value * 0.0024) if value else 0
            insurance_tax = round(insurance * 0.011)
            entries.append({"serviceCode": code, "serviceName": name, "fee": str(fee),
                            "feeTax": str(fee_tax), "insurance": str(insurance),
                            "insuranceTax": str(insurance_tax),
                            "totalFee": str(fee + fee_tax + insurance + insurance_tax),
                            "itemValue": str(value), "notes": "", "estimation": estimation})
        return Answer(200, {"rs_fee": {"r_fee": _one_or_many(entries)}})

    def _trace(self, barcode: str) -> Answer:
        if not barcode:
            return Answer(400, {"errorCode": "400", "errorMessage": "barcode is required"})
        parcel = self._parcels.get(barcode)
        if parcel is None:
            return Answer(200, {"rs_tnt": {"r_tnt": []}})
        return Answer(200, {"rs_tnt": {"r_tnt": _one_or_many(self._events(parcel))}})

    def _events(self, p: _Parcel) -> list[dict[str, Any]]:
        out = []
        for e in p.track.events:
            here = p.destination if e.status in ("manifest_in", "out_for_delivery",
                                                 "delivered", "returning") else p.origin
            description = {
                "delivered": f"DITERIMA OLEH: {p.receiver_name.upper()}",
                "returning": "PENERIMA MENOLAK, DIKEMBALIKAN KE PENGIRIM",
            }.get(e.status, _EVENTS[e.status])
            out.append({"barcode": p.barcode, "eventDate": wib(e.at),
                        "eventName": _EVENTS[e.status], "officeCode": here.postal_code,
                        "officeName": f"KANTORPOS {here.city.upper()}",
                        "description": description})
        return out

    def _extra_control(self, method: str, parts: list[str],
                       args: dict[str, Any]) -> Answer | None:
        if method == "POST" and parts == ["parcels"]:
            barcode = self.add_parcel(**args)
            return Answer(200, {"ok": True, "barcode": barcode})
        if method == "POST" and len(parts) == 2 and parts[0] == "return":
            self.return_parcel(parts[1])
            return Answer(200, {"ok": True})
        if method == "POST" and parts == ["expire_tokens"]:
            self.expire_tokens()
            return Answer(200, {"ok": True})
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the POS Indonesia simulator in the "
                                                 "foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--consumer-key", default=DEFAULT_CONSUMER_KEY)
    parser.add_argument("--consumer-secret", default=DEFAULT_CONSUMER_SECRET)
    parser.add_argument("--token-ttl", type=float, default=3600.0)
    parser.add_argument("--rate-limit", type=float, default=None,
                        help="requests per second per endpoint group")
    parser.add_argument("--step-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    sim = PosSimulator(consumer_key=args.consumer_key, consumer_secret=args.consumer_secret,
                       token_ttl=args.token_ttl, seed=args.seed, rate_limit=args.rate_limit,
                       step_seconds=args.step_seconds)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())

"""What the four courier simulators (Biteship, JNE, J&T, POS Indonesia) share.

- :class:`CourierSimulator`: the base class. Lifecycle (``start``/``stop``/context manager),
  the simulator's clock (``now``/``advance``), the fault pipeline (seeded draws, the
  ``fault_log``), a real rate limit per endpoint group, and the ``/_sim/...`` control
  endpoints every courier simulator answers. A subclass routes its provider's paths to
  :class:`Route` values and renders the provider's own 429 and 5xx shapes.
- :class:`RateWindow`: a sliding window per endpoint group (``rate`` requests per second);
  every answer of a limited group carries ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``
  and ``X-RateLimit-Reset``; an excess request gets 429 with ``Retry-After`` too. Both are
  **seconds from now** (not an epoch time: the simulator's clock can be advanced, a
  client's cannot): ``Retry-After`` whole seconds rounded up, ``X-RateLimit-Reset`` to the
  millisecond (``"0.05"``: when the oldest request in the window leaves it). The window is
  strict: a client pacing at exactly the limit meets 429s from scheduling jitter; pace a
  little under it, or follow ``X-RateLimit-Remaining``/``X-RateLimit-Reset``.
- :class:`Track`: one parcel moving through its provider's statuses, one step every
  ``step_seconds`` of the simulator's clock, diverted to a return or halted (cancelled).
- :data:`PLACES`: a few Indonesian districts with each provider's code for them (Biteship
  area id, postal code, JNE and J&T codes) and :data:`SERVICES`: per-company tariffs, so
  every simulator quotes the same route the same way.

Fault pipeline for an API request: route -> provider auth (inside the route's action for
JNE/J&T, whose refusals are HTTP 200 bodies) -> the real rate limit -> one seeded fault
draw (if the endpoint is in ``apply_to``): ``rate_limit`` (one 429 with the headers),
``error_5xx``, ``drop`` (before acting, or after acting: the reply is lost),
``timeout_after_create`` (act, then hang ``hang_seconds`` and close with no reply) ->
``slow_seconds`` -> the action, with the simulator's lock held.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs, unquote

from sync.simulators.server import Answer, LocalServer, Request

WIB = timezone(timedelta(hours=7))  # Indonesian couriers speak Jakarta wall-clock time

RateLimit = float | Mapping[str, float] | None


# --- time -------------------------------------------------------------------------------


def iso_wib(epoch: float) -> str:
    """``2026-12-07T23:39:42+07:00`` (Biteship's times)."""
    return datetime.fromtimestamp(epoch, WIB).isoformat(timespec="seconds")


def wib(epoch: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(epoch, WIB).strftime(fmt)


# --- places and tariffs -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    district: str
    city: str
    province: str
    region: str  # a tariff region: same region is cheaper than same island
    island: str
    postal_code: str
    area_id: str  # Biteship
    jne: str  # JNE tariff / cnote code
    jnt: str  # J&T origin/destination code
    lat: float
    lng: float

    @property
    def name(self) -> str:
        """Biteship's area name: ``Coblong, Bandung, Jawa Barat. 40132``."""
        return f"{self.district}, {self.city}, {self.province}. {self.postal_code}"


PLACES: tuple[Place, ...] = (
    Place("Kebayoran Baru", "Jakarta Selatan", "DKI Jakarta", "jabodetabek", "jawa", "12120",
          "IDNP6IDNC148IDND836IDZ12120", "CGK10000", "JKT", -6.2443, 106.8003),
    Place("Gambir", "Jakarta Pusat", "DKI Jakarta", "jabodetabek", "jawa", "10110",
          "IDNP6IDNC147IDND829IDZ10110", "CGK10000", "JKT", -6.1767, 106.8306),
    Place("Tangerang", "Tangerang", "Banten", "jabodetabek", "jawa", "15111",
          "IDNP3IDNC455IDND5603IDZ15111", "TGR10000", "TGR", -6.1783, 106.6319),
    Place("Bekasi Timur", "Bekasi", "Jawa Barat", "jabodetabek", "jawa", "17111",
          "IDNP9IDNC22IDND168IDZ17111", "BKI10000", "BKI", -6.2383, 107.0061),
    Place("Coblong", "Bandung", "Jawa Barat", "jabar", "jawa", "40132",
          "IDNP9IDNC23IDND174IDZ40132", "BDO10000", "BDO", -6.8915, 107.6107),
    Place("Gondokusuman", "Yogyakarta", "DI Yogyakarta", "jateng_diy", "jawa", "55221",
          "IDNP5IDNC501IDND6270IDZ55221", "JOG10000", "JOG", -7.7829, 110.3875),
    Place("Gubeng", "Surabaya", "Jawa Timur", "jatim", "jawa", "60281",
          "IDNP11IDNC444IDND5462IDZ60281", "SUB10000", "SUB", -7.2655, 112.7521),
    Place("Denpasar Barat", "Denpasar", "Bali", "bali", "bali_nusa", "80119",
          "IDNP1IDNC114IDND1536IDZ80119", "DPS10000", "DPS", -8.6588, 115.1917),
    Place("Medan Petisah", "Medan", "Sumatera Utara", "sumut", "sumatera", "20112",
          "IDNP34IDNC278IDND3435IDZ20112", "MES10000", "MES", 3.5892, 98.6694),
    Place("Panakkukang", "Makassar", "Sulawesi Selatan", "sulsel", "sulawesi", "90231",
          "IDNP28IDNC253IDND3192IDZ90231", "UPG10000", "UPG", -5.1477, 119.4327),
)


def place_by_postal(postal: object) -> Place | None:
    """The place of a postal code: exact, else the first place in the same 2-digit area."""
    text = str(postal).strip() if isinstance(postal, (str, int)) else ""
    if not (len(text) == 5 and text.isdigit()):
        return None
    for p in PLACES:
        if p.postal_code == text:
            return p
    for p in PLACES:
        if p.postal_code[:2] == text[:2]:
            return p
    return None


def place_by(attr: str, value: object) -> Place | None:
    if not isinstance(value, str):
        return None
    wanted = value.strip().upper()
    for p in PLACES:
        if str(getattr(p, attr)).upper() == wanted:
            return p
    return None


def place_near(lat: float, lng: float) -> Place:
    return min(PLACES, key=lambda p: (p.lat - lat) ** 2 + (p.lng - lng) ** 2)


def zone(a: Place, b: Place) -> int:
    """0 same city, 1 same tariff region, 2 same island, 3 across the sea."""
    if a.city == b.city:
        return 0
    if a.region == b.region:
        return 1
    return 2 if a.island == b.island else 3


@dataclass(frozen=True, slots=True)
class Service:
    company: str
    code: str  # Biteship courier_service_code
    name: str
    description: str
    per_kg: tuple[int, int, int, int]  # rupiah per kg, by zone
    days: tuple[tuple[int, int], ...]  # (from, to) days, by zone
    cod: bool
    max_kg: int = 50

    def price(self, z: int, kg: int) -> int:
        return self.per_kg[z] * kg

    def duration(self, z: int) -> tuple[int, int]:
        return self.days[z]


_D4 = ((1, 2), (2, 3), (2, 4), (3, 5))
SERVICES: tuple[Service, ...] = (
    Service("jne", "reg", "Reguler", "Layanan reguler", (9000, 12000, 18000, 36000), _D4, True),
    Service("jne", "oke", "OKE", "Ongkos kirim ekonomis", (7000, 10000, 15000, 30000),
            ((2, 3), (3, 5), (4, 6), (5, 8)), True),
    Service("jne", "yes", "YES", "Yakin esok sampai", (15000, 20000, 29000, 55000),
            ((1, 1), (1, 1), (1, 1), (1, 2)), False),
    Service("jnt", "ez", "EZ", "Layanan reguler", (8000, 11000, 17000, 34000), _D4, True),
    Service("sicepat", "reg", "Reguler", "Layanan reguler", (8000, 11000, 17500, 33000), _D4,
            True),
    Service("sicepat", "best", "Besok Sampai Tujuan", "Besok sampai tujuan",
            (14000, 19000, 27000, 52000), ((1, 1), (1, 1), (1, 1), (1, 2)), False),
    Service("anteraja", "reg", "Regular", "Regular shipment", (8500, 11500, 17000, 35000),
            _D4, True),
    Service("pos", "reg", "Pos Reguler", "Pos Reguler", (7500, 10500, 16000, 31000),
            ((2, 3), (2, 4), (3, 5), (4, 7)), False, 30),
    Service("pos", "nextday", "Pos Nextday", "Pos Nextday", (14000, 19000, 28000, 50000),
            ((1, 1), (1, 1), (1, 2), (2, 3)), False, 10),
)
COMPANY_NAMES = {"jne": "JNE", "jnt": "J&T", "sicepat": "SiCepat", "anteraja": "AnterAja",
                 "pos": "POS Indonesia"}


def service(company: str, code: str) -> Service | None:
    for s in SERVICES:
        if s.company == company and s.code == code:
            return s
    return None


def kilograms(grams: float) -> int:
    """Charged kilograms: rounded up, at least 1."""
    return max(1, math.ceil(grams / 1000 - 1e-9))


def volumetric_grams(length: float, width: float, height: float) -> int:
    """L x W x H (cm) / 6000 kg, in grams rounded up."""
    return math.ceil(length * width * height * 1000 / 6000 - 1e-9)


# --- faults and rate limits -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Faults:
    timeout_after_create: float = 0.0
    drop: float = 0.0
    error_5xx: float = 0.0
    rate_limit: float = 0.0
    slow_seconds: float = 0.0
    hang_seconds: float = 30.0
    apply_to: tuple[str, ...] = ()


class RateWindow:
    """A sliding window per endpoint group. ``limits``: one rate for every group, a mapping
    group -> rate (a group not in it is unlimited), or None (nothing limited)."""

    def __init__(self, limits: RateLimit = None) -> None:
        self.limits = limits
        self._seen: dict[str, deque[float]] = {}

    @property
    def limits(self) -> RateLimit:
        return self._limits

    @limits.setter
    def limits(self, limits: RateLimit) -> None:
        checked: RateLimit
        if isinstance(limits, Mapping):
            per_group = {str(k): float(v) for k, v in limits.items()}
            rates = list(per_group.values())
            checked = per_group
        elif limits is None:
            rates, checked = [], None
        else:
            rates = [float(limits)]
            checked = rates[0]
        if any(r <= 0 for r in rates):
            raise ValueError("a rate limit must be above zero requests per second")
        self._limits = checked

    def rate(self, group: str) -> float | None:
        if self._limits is None:
            return None
        if isinstance(self._limits, Mapping):
            return self._limits.get(group)
        return float(self._limits)

    def admit(self, group: str, now: float) -> tuple[bool, dict[str, str]]:
        """(admitted, headers to add). Refused requests do not count against the window."""
        rate = self.rate(group)
        if rate is None:
            return True, {}
        capacity = max(1, math.floor(rate))
        window = 1.0 if rate >= 1 else 1.0 / rate
        seen = self._seen.setdefault(group, deque())
        while seen and seen[0] <= now - window:
            seen.popleft()
        if len(seen) >= capacity:
            wait = seen[0] + window - now
            return False, limit_headers(capacity, 0, wait, retry_after=True)
        seen.append(now)
        return True, limit_headers(capacity, capacity - len(seen), seen[0] + window - now)


def limit_headers(limit: int, remaining: int, reset_in: float, *,
                  retry_after: bool = False) -> dict[str, str]:
    """``X-RateLimit-Reset``: seconds until one more request is allowed, to the millisecond
    (``"0.05"``, ``"1"``): a client pacing itself at the limit must not wait a whole second
    for a slot that frees in 50 ms. ``Retry-After`` (429 only) is whole seconds, as HTTP
    says, rounded up."""
    reset = max(0.001, reset_in)
    headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
               "X-RateLimit-Reset": f"{reset:.3f}".rstrip("0").rstrip(".")}
    if retry_after:
        headers["Retry-After"] = str(max(1, math.ceil(reset_in - 1e-9)))
    return headers


# --- parcels ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    at: float  # the simulator's clock
    status: str  # the provider's word for it
    note: str | None = None  # None: the provider's usual text for the status


class Track:
    """A parcel's statuses over time: ``path[0]`` at creation, then one step of ``path``
    every ``step_seconds``; :meth:`divert` starts another path (a return), :meth:`halt`
    stops it (cancelled, on hold), :meth:`note` adds an event without a status change."""

    def __init__(self, path: tuple[str, ...], step_seconds: float, now: float,
                 note: str | None = None) -> None:
        if step_seconds <= 0:
            raise ValueError("step_seconds must be above zero")
        self.path = path
        self.step_seconds = step_seconds
        self._i = 0
        self._since = now
        self.moving = True
        self.events: list[Event] = [Event(now, path[0], note)]

    @property
    def status(self) -> str:
        return self.events[-1].status

    def reached(self, status: str) -> bool:
        return any(e.status == status for e in self.events)

    def catch_up(self, now: float) -> None:
        while self.moving and self._i + 1 < len(self.path) \
                and now >= self._since + self.step_seconds:
            self._since += self.step_seconds
            self._i += 1
            self.events.append(Event(self._since, self.path[self._i]))

    def divert(self, path: tuple[str, ...], now: float, note: str | None = None) -> None:
        self.path, self._i, self._since, self.moving = path, 0, now, True
        self.events.append(Event(now, path[0], note))

    def halt(self, status: str, now: float, note: str | None = None) -> None:
        self.moving = False
        self.events.append(Event(now, status, note))

    def force(self, status: str, now: float, note: str | None = None) -> None:
        """Jump to ``status``: on the current path it moves on from there, else it halts."""
        if status in self.path:
            self._i, self._since, self.moving = self.path.index(status), now, True
            self.events.append(Event(now, status, note))
        else:
            self.halt(status, now, note)

    def note(self, now: float, note: str) -> None:
        self.events.append(Event(now, self.status, note))


# --- the base simulator -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    """An API request the simulator recognised: its endpoint name (for ``apply_to`` and the
    fault log), its rate-limit group, the merchant reference or provider id it is about (for
    the fault log), and what to do (called with the lock held)."""

    endpoint: str
    group: str
    act: Callable[[], Answer]
    reference: str | None = None


def json_body(raw: bytes) -> dict[str, Any] | None:
    """A JSON object body ({} when empty), or None when it is not one."""
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def form_body(raw: bytes) -> dict[str, str]:
    """A form-encoded body (the last value of a repeated field)."""
    return {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace"),
                                           keep_blank_values=True).items()}


class CourierSimulator(ABC):
    """Thread-safe: state is read and changed under ``self._lock``."""

    NAME: ClassVar[str] = "courier"
    ENDPOINTS: ClassVar[tuple[str, ...]] = ()
    CREATE_ENDPOINTS: ClassVar[tuple[str, ...]] = ()  # the default ``apply_to``
    NOMINAL_LIMIT: ClassVar[float] = 20.0  # X-RateLimit-Limit of an injected 429, unlimited

    def __init__(self, *, seed: int = 0, rate_limit: RateLimit = None,
                 step_seconds: float = 60.0,
                 clock: Callable[[], float] | None = None) -> None:
        if step_seconds <= 0:
            raise ValueError("step_seconds must be above zero")
        self.step_seconds = float(step_seconds)
        self._rng = random.Random(seed)  # faults and ids: a seed replays a run
        self._clock = clock or time.time
        self._offset = 0.0
        self._lock = threading.RLock()
        self._faults = Faults(apply_to=self.CREATE_ENDPOINTS)
        self._fault_log: list[dict[str, Any]] = []
        self._window = RateWindow(rate_limit)
        self._throttled: dict[str, int] = {}
        self._changes = 0  # bumped by every state change: "recorded" in the fault log
        self._http = LocalServer(self._serve, name=f"{self.NAME}-simulator")

    # --- lifecycle -------------------------------------------------------------------

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

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- clock -----------------------------------------------------------------------

    def now(self) -> float:
        """The simulator's clock (seconds since the epoch), ``advance`` included."""
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward: parcels move on, tokens expire, rate windows slide."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
            self._tick()

    # --- faults and limits -----------------------------------------------------------

    def set_faults(
        self,
        *,
        timeout_after_create: float = 0.0,
        drop: float = 0.0,
        error_5xx: float = 0.0,
        rate_limit: float = 0.0,
        slow_seconds: float = 0.0,
        hang_seconds: float = 30.0,
        apply_to: Iterable[str] | None = None,
    ) -> None:
        """Switch fault modes on (probabilities per request, summing to at most 1) for the
        endpoints in ``apply_to`` (default: the create endpoints; ``("*",)``: all)."""
        chances = (timeout_after_create, drop, error_5xx, rate_limit)
        if any(not 0.0 <= c <= 1.0 for c in chances) or sum(chances) > 1.0 + 1e-9:
            raise ValueError("fault probabilities must be in [0, 1] and sum to at most 1")
        if slow_seconds < 0 or hang_seconds < 0:
            raise ValueError("slow_seconds and hang_seconds must not be negative")
        targets = self.CREATE_ENDPOINTS if apply_to is None else tuple(apply_to)
        if targets == ("*",):
            targets = self.ENDPOINTS
        unknown = set(targets) - set(self.ENDPOINTS)
        if unknown:
            raise ValueError(f"apply_to: unknown endpoints {sorted(unknown)}; "
                             f"known: {list(self.ENDPOINTS)}")
        with self._lock:
            self._faults = Faults(
                float(timeout_after_create), float(drop), float(error_5xx), float(rate_limit),
                float(slow_seconds), float(hang_seconds), targets,
            )

    def set_rate_limit(self, rate_limit: RateLimit) -> None:
        """Requests per second per endpoint group (a number for all, a mapping per group,
        None for no limit)."""
        with self._lock:
            self._window.limits = rate_limit

    def fault_log(self) -> list[dict[str, Any]]:
        """Each injected fault: ``{"fault", "endpoint", "reference", "recorded"}``
        (``recorded``: the request changed the simulator's state before the fault)."""
        with self._lock:
            return [dict(entry) for entry in self._fault_log]

    def throttled(self) -> dict[str, int]:
        """How many requests the real rate limit refused, per endpoint group."""
        with self._lock:
            return dict(self._throttled)

    # --- inspection (subclasses) -----------------------------------------------------

    @abstractmethod
    def orders(self) -> list[dict[str, Any]]:
        """Every order/parcel created, oldest first."""
        ...

    def creates(self, reference: str) -> int:
        """How many orders exist with this merchant reference (2+ = a duplicate label)."""
        return sum(1 for o in self.orders() if o.get("reference") == reference)

    # --- subclass hooks --------------------------------------------------------------

    @abstractmethod
    def _route(self, request: Request) -> Route | Answer:
        ...

    def _too_many(self, headers: dict[str, str]) -> Answer:
        return Answer(429, {"error": "Too Many Requests"}, headers=headers)

    def _server_error(self, pick: int) -> Answer:
        return Answer(500, text=b"<html><body>500 Internal Server Error</body></html>")

    def _tick(self) -> None:
        """Bring every parcel up to ``now()`` (lock held)."""

    def _extra_control(self, method: str, parts: list[str],
                       args: dict[str, Any]) -> Answer | None:
        return None

    # --- serving ---------------------------------------------------------------------

    def _serve(self, request: Request) -> Answer:
        if request.path.startswith("/_sim/"):
            return self._control(request)
        with self._lock:
            self._tick()
            route = self._route(request)
        if isinstance(route, Answer):
            return route
        with self._lock:
            faults = self._faults
            admitted, limit = self._window.admit(route.group, self.now())
            if not admitted:
                self._throttled[route.group] = self._throttled.get(route.group, 0) + 1
                return self._too_many(limit)
            fault, detail = self._draw(faults, route.endpoint)
            if fault == "rate_limit":
                self._log("rate_limit", route, recorded=False)
                rate = self._window.rate(route.group) or self.NOMINAL_LIMIT
                return self._too_many(limit_headers(max(1, math.floor(rate)), 0, 1.0,
                                                   retry_after=True))
            if fault == "error_5xx":
                self._log("error_5xx", route, recorded=False)
                answer = self._server_error(detail)
                answer.headers.update(limit)
                return answer
            if fault == "drop" and detail == 0:
                self._log("drop", route, recorded=False)
                return Answer(drop=True)
        if route.endpoint in faults.apply_to:
            self._http.wait(faults.slow_seconds)
        with self._lock:
            before = self._changes
            answer = route.act()
            recorded = self._changes != before
            if fault == "drop":
                self._log("drop", route, recorded=recorded)
                return Answer(drop=True)
            if fault == "timeout_after_create":
                self._log("timeout_after_create", route, recorded=recorded)
                return Answer(drop=True, hang=faults.hang_seconds)
        answer.headers.update(limit)
        return answer

    def _draw(self, faults: Faults, endpoint: str) -> tuple[str | None, int]:
        """One seeded draw decides the fault (lock held)."""
        if endpoint not in faults.apply_to:
            return None, 0
        r = self._rng.random()
        edge = 0.0
        for name, chance in (("rate_limit", faults.rate_limit),
                             ("error_5xx", faults.error_5xx), ("drop", faults.drop),
                             ("timeout_after_create", faults.timeout_after_create)):
            edge += chance
            if r < edge:
                return name, self._rng.randrange(2) if name in ("drop", "error_5xx") else 0
        return None, 0

    def _log(self, fault: str, route: Route, *, recorded: bool) -> None:
        self._fault_log.append({"fault": fault, "endpoint": route.endpoint,
                                "reference": route.reference, "recorded": recorded})

    def _changed(self) -> None:
        self._changes += 1

    def _digits(self, n: int) -> str:
        return "".join(str(self._rng.randrange(10)) for _ in range(n))

    # --- control over HTTP -----------------------------------------------------------

    def _control(self, request: Request) -> Answer:
        parts = [unquote(p) for p in request.path.split("/")[2:]]
        method = request.method
        args = json_body(request.body)
        if args is None:
            return Answer(400, {"ok": False, "error": "the body must be a JSON object"})
        try:
            if method == "POST" and parts == ["faults"]:
                self.set_faults(**args)
                return Answer(200, {"ok": True})
            if method == "POST" and parts == ["advance"]:
                self.advance(float(args.get("seconds", self.step_seconds)))
                return Answer(200, {"ok": True, "now": self.now()})
            if method == "POST" and parts == ["rate_limit"]:
                self.set_rate_limit(args.get("rate_limit"))
                return Answer(200, {"ok": True})
            if method == "GET" and parts == ["orders"]:
                return Answer(200, {"orders": self.orders()})
            if method == "GET" and len(parts) == 2 and parts[0] == "creates":
                return Answer(200, {"reference": parts[1], "creates": self.creates(parts[1])})
            if method == "GET" and parts == ["fault_log"]:
                return Answer(200, {"faults": self.fault_log()})
            if method == "GET" and parts == ["throttled"]:
                return Answer(200, {"throttled": self.throttled()})
            extra = self._extra_control(method, parts, args)
            if extra is not None:
                return extra
        except KeyError as exc:
            return Answer(404, {"ok": False, "error": f"unknown order {exc}"})
        except (TypeError, ValueError) as exc:
            return Answer(400, {"ok": False, "error": str(exc)})
        return Answer(404, {"ok": False, "error": "no such control endpoint"})


def html(status: int, title: str) -> Answer:
    """A front proxy's HTML error page (nginx, a gateway): not JSON."""
    page = f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1>" \
           f"</center><hr><center>nginx</center></body></html>"
    return Answer(status, text=page.encode())


__all__ = [
    "COMPANY_NAMES", "PLACES", "SERVICES", "WIB", "CourierSimulator", "Event", "Faults",
    "Place", "RateLimit", "RateWindow", "Route", "Service", "Track", "form_body",
    "html", "iso_wib", "json_body", "kilograms", "limit_headers", "place_by",
    "place_by_postal", "place_near", "service", "volumetric_grams", "wib", "zone",
]

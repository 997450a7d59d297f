"""What the SendGrid, Twilio and FCM simulators share: faults, rate limit, clock, control.

Each messaging simulator is a :class:`MessagingSimulator` subclass. A provider call goes
through :meth:`MessagingSimulator._call`, which applies, in this order: the real rate limit
(requests per second in a sliding window on the simulator's clock, per endpoint group), one
seeded fault draw (so a seed replays the same faults), the slow mode, the provider's own
handling, and the faults that strike after the provider acted ("drop after" and "timeout
after accept": the message is accepted and recorded, then the reply is lost).

Control over HTTP (every simulator): ``POST /_sim/faults`` (JSON of :meth:`set_faults`'s
arguments), ``GET /_sim/fault_log``, ``GET /_sim/outbox``, ``GET /_sim/accepted/{key}``,
``POST /_sim/advance`` (``{"seconds": N}``), ``POST /_sim/rate_limit`` (``{"rate": N|null}``)
and ``POST /_sim/reset`` (forget messages and faults). Subclasses add their own.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import unquote

from sync.simulators.server import Answer, LocalServer, Request

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Faults:
    """Fault chances per request (they must sum to at most 1) and their parameters."""

    timeout_after_accept: float = 0.0
    drop: float = 0.0
    error_5xx: float = 0.0
    rate_limit: float = 0.0
    slow_seconds: float = 0.0
    hang_seconds: float = 30.0
    apply_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RateState:
    """The sliding-window limiter's verdict for one request."""

    allowed: bool
    limit: int  # requests allowed per window
    remaining: int
    reset: float  # when the window frees a slot (simulator clock, epoch seconds)
    window: float  # seconds


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the provider did with one request."""

    answer: Answer
    ref: str | None = None  # the message id it made, if any
    recorded: bool = False  # True when a message was accepted (and is in the outbox)


class MessagingSimulator(ABC):
    """Lifecycle, clock, faults, rate limit and the common control endpoints."""

    name = "messaging"
    endpoints: tuple[str, ...] = ()
    default_apply_to: tuple[str, ...] = ()
    default_rate_limit = 600  # the X-RateLimit-Limit shown when no limit is configured

    def __init__(self, *, seed: int = 0, rate_limit: float | None = None,
                 clock: Clock | None = None) -> None:
        self._seed = seed
        self._rng = random.Random(seed)
        self._clock = clock or time.time
        self._offset = 0.0
        self._lock = threading.RLock()
        self._faults = Faults(apply_to=self.default_apply_to)
        self._fault_log: list[dict[str, Any]] = []
        self._rate: float | None = None
        self._hits: dict[str, deque[float]] = {}
        self.set_rate_limit(rate_limit)
        self._http = LocalServer(self._serve, name=f"{self.name}-simulator")

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` once started (empty before)."""
        return self._http.base_url

    def start(self, port: int = 0) -> str:
        """Bind 127.0.0.1 (port 0: any free port), serve in a daemon thread, return the URL."""
        return self._http.start(port)

    def stop(self) -> None:
        """Stop serving, wake hanging replies, close every connection, join every thread."""
        self._http.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- clock, faults, rate limit -----------------------------------------------------------

    def now(self) -> float:
        """The simulator's clock, seconds since the epoch (``clock()`` + :meth:`advance`)."""
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the simulator's clock forward (status progress, token expiry, rate window)."""
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        with self._lock:
            self._offset += seconds

    def set_rate_limit(self, rate: float | None) -> None:
        """Requests per second allowed per endpoint group (None: unlimited)."""
        if rate is not None and not rate > 0:
            raise ValueError("rate_limit must be positive or None")
        with self._lock:
            self._rate = None if rate is None else float(rate)
            self._hits.clear()

    def set_faults(
        self,
        *,
        timeout_after_accept: float = 0.0,
        drop: float = 0.0,
        error_5xx: float = 0.0,
        rate_limit: float = 0.0,
        slow_seconds: float = 0.0,
        hang_seconds: float = 30.0,
        apply_to: tuple[str, ...] | None = None,
        timeout_after_create: float = 0.0,
    ) -> None:
        """Switch fault modes on: chances per request in ``apply_to`` (default: the send
        endpoint). ``timeout_after_create`` is the couriers' name for ``timeout_after_accept``."""
        timeout = float(timeout_after_accept) + float(timeout_after_create)
        chances = (timeout, drop, error_5xx, rate_limit)
        if any(not 0.0 <= c <= 1.0 for c in chances) or sum(chances) > 1.0 + 1e-9:
            raise ValueError("fault probabilities must be in [0, 1] and sum to at most 1")
        if slow_seconds < 0 or hang_seconds < 0:
            raise ValueError("slow_seconds and hang_seconds must not be negative")
        targets = self.default_apply_to if apply_to is None else tuple(apply_to)
        unknown = set(targets) - set(self.endpoints)
        if unknown:
            raise ValueError(f"apply_to: unknown endpoints {sorted(unknown)}; "
                             f"known: {list(self.endpoints)}")
        with self._lock:
            self._faults = Faults(timeout, float(drop), float(error_5xx), float(rate_limit),
                                  float(slow_seconds), float(hang_seconds), targets)

    def faults(self) -> Faults:
        """The fault modes in force."""
        with self._lock:
            return self._faults

    def fault_log(self) -> list[dict[str, Any]]:
        """Each fault that struck: ``{"fault", "endpoint", "ref", "recorded", "at"}``
        (``recorded``: the message was accepted although the client got no good reply;
        ``fault`` ``rate_limited`` is the real limiter, the others are injected)."""
        with self._lock:
            return [dict(entry) for entry in self._fault_log]

    def reset(self) -> None:
        """Forget faults, the fault log and the rate window (subclasses: messages too)."""
        with self._lock:
            self._faults = Faults(apply_to=self.default_apply_to)
            self._fault_log.clear()
            self._hits.clear()

    # --- what subclasses provide ----------------------------------------------------------

    @abstractmethod
    def outbox(self) -> list[dict[str, Any]]:
        ...

    @abstractmethod
    def accepted(self, key: str) -> int:
        ...

    @abstractmethod
    def _api(self, request: Request) -> Answer:
        ...

    def _control_extra(self, method: str, parts: list[str], body: Any) -> Answer | None:
        return None

    @abstractmethod
    def _too_many(self, endpoint: str, state: RateState | None) -> Answer:
        """The provider's 429 (``state`` None: an injected burst)."""
        ...

    @abstractmethod
    def _server_error(self, endpoint: str, status: int) -> Answer:
        ...

    def _decorate(self, answer: Answer, state: RateState) -> Answer:
        """Add headers every response carries (SendGrid's X-RateLimit-*)."""
        return answer

    # --- the request pipeline ------------------------------------------------------------

    def _serve(self, request: Request) -> Answer:
        if request.path.startswith("/_sim/"):
            return self._control(request)
        return self._api(request)

    def _call(self, endpoint: str, act: Callable[[], Outcome], *, group: str | None = None,
              hint: str | None = None) -> Answer:
        """Rate limit, fault draw, slow mode, ``act()``, faults after acting."""
        with self._lock:
            faults = self._faults
        applies = endpoint in faults.apply_to
        state = self._admit(group or endpoint)
        if not state.allowed:
            self._log_fault("rate_limited", endpoint, hint, recorded=False)
            return self._decorate(self._too_many(endpoint, state), state)
        fault, detail = self._draw(faults) if applies else (None, 0)
        if applies:
            self._http.wait(faults.slow_seconds)  # slow mode delays every reply
        if fault == "rate_limit":
            self._log_fault("rate_limit", endpoint, hint, recorded=False)
            return self._decorate(self._too_many(endpoint, None), state)
        if fault == "error_5xx":
            self._log_fault("error_5xx", endpoint, hint, recorded=False)
            return self._decorate(self._server_error(endpoint, int(detail)), state)
        if fault == "drop" and detail == "before":
            self._log_fault("drop", endpoint, hint, recorded=False)
            return Answer(drop=True)
        outcome = act()
        if fault == "drop":  # it happened at the provider; the reply is lost
            self._log_fault("drop", endpoint, outcome.ref or hint, recorded=outcome.recorded)
            return Answer(drop=True)
        if fault == "timeout_after_accept":
            self._log_fault("timeout_after_accept", endpoint, outcome.ref or hint,
                            recorded=outcome.recorded)
            return Answer(drop=True, hang=faults.hang_seconds)
        return self._decorate(outcome.answer, state)

    def _admit(self, group: str) -> RateState:
        """Count the request in its group's sliding window; may refuse it."""
        with self._lock:
            now = self.now()
            rate = self._rate
            if rate is None:
                limit, window = self.default_rate_limit, 1.0
            elif rate >= 1:
                limit, window = int(rate), 1.0
            else:
                limit, window = 1, 1.0 / rate
            hits = self._hits.setdefault(group, deque())
            while hits and hits[0] <= now - window:
                hits.popleft()
            if rate is not None and len(hits) >= limit:
                return RateState(False, limit, 0, hits[0] + window, window)
            hits.append(now)
            if rate is None:
                return RateState(True, limit, limit - 1, now + window, window)
            return RateState(True, limit, max(0, limit - len(hits)), hits[0] + window, window)

    def _draw(self, faults: Faults) -> tuple[str | None, Any]:
        # detail: the 5xx status, or "before"/"after" for a drop
        """One seeded draw decides the fault, so a seed replays the same sequence."""
        with self._lock:
            r = self._rng.random()
            edge = faults.rate_limit
            if r < edge:
                return "rate_limit", 0
            edge += faults.error_5xx
            if r < edge:
                return "error_5xx", self._rng.choice([500, 503])
            edge += faults.drop
            if r < edge:
                return "drop", self._rng.choice(["before", "after"])
            edge += faults.timeout_after_accept
            if r < edge:
                return "timeout_after_accept", 0
        return None, 0

    def _log_fault(self, fault: str, endpoint: str, ref: str | None, *, recorded: bool) -> None:
        with self._lock:
            self._fault_log.append({"fault": fault, "endpoint": endpoint, "ref": ref,
                                    "recorded": recorded, "at": self.now()})

    # --- control over HTTP -----------------------------------------------------------------

    def _control(self, request: Request) -> Answer:
        parts = [unquote(p) for p in request.path.split("/")[2:] if p != ""]
        method = request.method
        try:
            body: Any = json.loads(request.body) if request.body.strip() else {}
        except ValueError:
            return Answer(400, {"ok": False, "error": "the body must be JSON"})
        try:
            if method == "POST" and parts == ["faults"]:
                if not isinstance(body, dict):
                    raise ValueError("faults must be a JSON object")
                if "apply_to" in body:
                    body["apply_to"] = tuple(body["apply_to"])
                self.set_faults(**body)
                return Answer(200, {"ok": True})
            if method == "GET" and parts == ["fault_log"]:
                return Answer(200, {"faults": self.fault_log()})
            if method == "GET" and parts == ["outbox"]:
                return Answer(200, {"outbox": self.outbox()})
            if method == "GET" and len(parts) == 2 and parts[0] == "accepted":
                return Answer(200, {"key": parts[1], "accepted": self.accepted(parts[1])})
            if method == "POST" and parts == ["advance"]:
                self.advance(float(required_field(body, "seconds")))
                return Answer(200, {"ok": True, "now": self.now()})
            if method == "POST" and parts == ["rate_limit"]:
                rate = body.get("rate") if isinstance(body, dict) else None
                self.set_rate_limit(None if rate is None else float(rate))
                return Answer(200, {"ok": True})
            if method == "POST" and parts == ["reset"]:
                self.reset()
                return Answer(200, {"ok": True})
            extra = self._control_extra(method, parts, body)
            if extra is not None:
                return extra
        except KeyError as exc:
            return Answer(404, {"ok": False, "error": f"unknown {exc}"})
        except (TypeError, ValueError) as exc:
            return Answer(400, {"ok": False, "error": str(exc)})
        return Answer(404, {"ok": False, "error": "no such control endpoint"})


def required_field(body: Any, name: str) -> Any:
    if not isinstance(body, Mapping) or name not in body:
        raise ValueError(f"{name} is required")
    return body[name]


def http_date_seconds(reset: float) -> str:
    """Whole seconds (rounded up) as header text."""
    return str(max(0, math.ceil(reset)))


__all__ = ["Clock", "Faults", "MessagingSimulator", "Outcome", "RateState",
           "http_date_seconds", "required_field"]

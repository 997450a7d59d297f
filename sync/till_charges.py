"""The till's customer-present payments: whether they can be offered now, and the charge
port the checkout uses (``services.checkout.ChargePort``).

The pay dialog and ``warungin sale`` share :class:`TillCharges`: it records the attempt,
charges Midtrans, hands every view to the caller (the QR to show, the VA number, "paid"),
polls until the charge ends, and cancels it when the cashier gives up or time runs out.

:class:`PaymentsGate` decides whether QRIS/VA/e-wallet buttons are offered: a TCP probe of
Midtrans's host (remembered briefly, so a till that just reached Midtrans does not ask
again for every sale) and a circuit breaker over the till's own charges (a Midtrans that
took none of the last few charges is not offered for a cooldown, instead of making every
customer wait for a timeout).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from local_db.engine import Database
from services.checkout import ChargeOutcome
from services.payments import ChargeView, PaymentsState
from services.users import Actor
from sync.jobs.breaker import OPEN, CircuitBreaker
from sync.midtrans.client import MidtransClient
from sync.payments import TillPayments

#: How long a reachability answer is trusted (seconds).
PROBE_FRESH_OK = 30.0
PROBE_FRESH_FAILED = 5.0
PROBE_TIMEOUT = 1.5
#: Consecutive charges that Midtrans did not take before the till stops offering it.
BREAKER_FAILURES = 3
BREAKER_COOLDOWN = 60.0


class PaymentsGate:
    """Shared by the till's threads (the status bar asks on the pool, charges record)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._breaker = CircuitBreaker(BREAKER_FAILURES, BREAKER_COOLDOWN, clock=clock)
        self._probe: tuple[float, str, bool, str | None] | None = None  # when, url, ok, why

    def state(self, base_url: str) -> PaymentsState:
        """For a till whose Midtrans is set up at ``base_url``."""
        if self._breaker.state == OPEN:
            return PaymentsState(False, "breaker_open",
                                 f"Midtrans did not take the last {BREAKER_FAILURES} charges; "
                                 f"the till tries again within {BREAKER_COOLDOWN:.0f} s")
        ok, why = self._reachable(base_url)
        return PaymentsState(True) if ok else PaymentsState(False, "unreachable", why)

    def record(self, view: ChargeView) -> None:
        """A charge Midtrans could not take counts against it; any answer resets."""
        if view.final == "not_sent":
            self._breaker.record_failure()
        else:
            self._breaker.record_success()

    def _reachable(self, base_url: str) -> tuple[bool, str | None]:
        now = self._clock()
        with self._lock:
            probe = self._probe
        if probe is not None and probe[1] == base_url:
            fresh = PROBE_FRESH_OK if probe[2] else PROBE_FRESH_FAILED
            if now - probe[0] < fresh:
                return probe[2], probe[3]
        parts = urlsplit(base_url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ok, why = True, None
        try:
            with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
                pass
        except OSError as exc:
            ok, why = False, f"cannot reach {host}:{port} ({exc.strerror or exc})"
        with self._lock:
            self._probe = (self._clock(), base_url, ok, why)
        return ok, why


class TillCharges:
    """``services.checkout.ChargePort`` for a till: one Midtrans charge while the customer
    waits. ``client``: made for each charge and, when ``owns_client``, closed after it
    (the program may close while a charge is open: its job stays leased until the
    dispatcher asks Midtrans); a caller-owned client (tests) is left open."""

    def __init__(self, db: Database, client: Callable[[], MidtransClient], *,
                 owns_client: bool = True,
                 wait_seconds: float, on_view: Callable[[ChargeView], None] = lambda v: None,
                 cancel: threading.Event | None = None, gate: PaymentsGate | None = None,
                 poll_seconds: float = 1.0, sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._client = client
        self._owns_client = owns_client
        self._wait = wait_seconds
        self._on_view = on_view
        self._cancel = cancel
        self._gate = gate
        self._poll = poll_seconds
        self._sleep = sleep or self._pause
        self._clock = clock

    def _pause(self, seconds: float) -> None:
        # Waiting on the cancel event wakes at once when the cashier cancels.
        if self._cancel is not None:
            self._cancel.wait(seconds)
        else:
            time.sleep(seconds)

    def charge(self, actor: Actor, method: str, amount: int) -> ChargeOutcome:
        cancel = self._cancel
        client = self._client()
        try:
            till = TillPayments(self._db, client, poll_seconds=self._poll,
                                sleep=self._sleep, clock=self._clock)
            view = till.start(actor, method, amount)
            if self._gate is not None:
                self._gate.record(view)
            self._on_view(view)
            if view.final is None:
                view = till.wait(view.attempt.order_id, self._wait, on_view=self._on_view,
                                 cancelled=cancel.is_set if cancel is not None else bool)
                self._on_view(view)
        finally:
            if self._owns_client:
                client.close()
        return ChargeOutcome(view.attempt.order_id, view.final, view.message)

"""One pass of the till's sync: push the outbox to central, then pull central's changes.

The desktop's scheduler (``app.sync_worker.SyncWorker``) decides WHEN a pass runs and what
the status bar says; this module is what a pass DOES on the network, and how its ending is
told back as a value (:class:`PassResult`) rather than an exception: central unreachable,
central refusing this machine, the enrolment gone, the local database busy, or a bug.

- The push runs in groups of ``batches_per_step`` batches and checks the cancel event
  between two groups, so a stop never waits for a whole backlog.
- Every central connection of the pass is opened through a :class:`LiveConnections`, so
  that a stop can cancel a statement hanging at central (:meth:`LiveConnections.cancel`);
  the pass then ends as a broken connection does (nothing is marked for the batch in flight).
- Clock skew is measured on the pass's first connection (``sync/clock.py``) and stored by a
  :class:`SkewKeeper` only when it moved, so a quiet till does not write every few seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy.exc import SQLAlchemyError

from local_db.engine import Database
from services.crypto import FieldCipher
from services.errors import Conflict, ShopError
from sync.central.connect import CentralUnavailable
from sync.clock import SkewProbe, SkewReading, is_flagged, record
from sync.pull import pull_once
from sync.push import CentralLink, PushRefused, push_once

log = logging.getLogger("warungin.sync")

#: How long a cancel request to a hanging central may itself take.
CANCEL_TIMEOUT_S = 3.0

Connection = psycopg.Connection[tuple[Any, ...]]

#: How a pass ended. ``online``: it pushed and pulled. ``offline``: central unreachable
#: (or it answered with an error): back off. ``refused``: central refuses this machine's
#: pushes (a copied database): a person must act. ``not_connected``: the enrolment went away
#: under the pass. ``local_busy``: the local database stopped it (a long write): try again
#: after the usual interval. ``bug``: anything else (``error`` is the exception's type).
OUTCOMES = ("online", "offline", "refused", "not_connected", "local_busy", "bug")


@dataclass(frozen=True, slots=True)
class PassResult:
    outcome: str  # one of OUTCOMES
    error: str | None = None  # what to show, without secrets
    sent: int = 0
    quarantined: int = 0
    pulled: int = 0
    #: The unexpected exception of a ``bug`` pass, for the caller's log (with traceback).
    exception: BaseException | None = field(default=None, compare=False)


class LiveConnections:
    """The central connections of the pass in flight (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conns: list[Connection] = []

    def connector(self, link: CentralLink) -> Callable[[], Connection]:
        def connect() -> Connection:
            conn = link.connect()
            with self._lock:
                self._conns = [c for c in self._conns if not c.closed] + [conn]
            return conn
        return connect

    def cancel(self) -> None:
        """Ask central to cancel whatever each open connection is running. Each request in a
        thread of its own: a cancel request to a hanging server may hang too."""
        with self._lock:
            live = [c for c in self._conns if not c.closed]
        for conn in live:
            threading.Thread(target=_cancel, args=(conn,), name="sync-cancel",
                             daemon=True).start()


class SkewKeeper:
    """Stores the measured clock skew when it moved by a second or more, its flag changed,
    or once a minute: no writer transaction every few seconds for a figure that did not
    change. Returns nothing; the reading itself is the pass's to show."""

    def __init__(self) -> None:
        self._stored: tuple[float, float] | None = None  # (skew, monotonic time)

    def keep(self, db: Database, reading: SkewReading) -> None:
        now = time.monotonic()
        last = self._stored
        if last is None or abs(last[0] - reading.skew_s) >= 1.0 or now - last[1] >= 60.0 \
                or reading.flagged != is_flagged(last[0]):
            try:
                record(db, reading)
                self._stored = (reading.skew_s, now)
            except SQLAlchemyError as exc:
                log.warning("clock skew not stored: %s", type(exc).__name__)


def run_pass(db: Database, link: CentralLink, cipher: Callable[[], FieldCipher | None], *,
             stop: threading.Event, clock: Callable[[], datetime], batch_size: int,
             batches_per_step: int, live: LiveConnections,
             on_skew: Callable[[SkewReading], None]) -> PassResult:
    """Push every pending event (in groups of ``batches_per_step`` batches, stopping between
    groups once ``stop`` is set), then pull. ``on_skew`` gets the clock-skew reading of the
    pass's first connection, whatever the ending."""
    probe = SkewProbe(live.connector(link), clock)
    sent = quarantined = pulled = 0
    try:
        try:
            while not stop.is_set():
                report = push_once(db, link, batch_size=batch_size,
                                   max_batches=batches_per_step, connect=probe)
                sent += report.sent
                quarantined += report.quarantined
                if report.batches < batches_per_step:
                    break
            if not stop.is_set():
                pulled = pull_once(db, link, cipher=cipher(), connect=probe).applied
        finally:
            if probe.reading is not None:
                on_skew(probe.reading)
    except (CentralUnavailable, psycopg.Error) as exc:
        return PassResult("offline", _describe(exc))
    except PushRefused as exc:
        return PassResult("refused", exc.message)
    except Conflict as exc:
        if exc.field == "central":  # the enrolment went away under us
            return PassResult("not_connected", exc.message)
        return PassResult("offline", exc.message)
    except SQLAlchemyError as exc:
        # The local database is busy (a long write): not central's fault.
        log.warning("sync pass stopped by the local database: %s", type(exc).__name__)
        return PassResult("local_busy", f"local database busy ({type(exc).__name__})")
    except Exception as exc:  # a bug: the caller logs it (once) with its traceback
        return PassResult("bug", type(exc).__name__, exception=exc)
    return PassResult("online", None, sent, quarantined, pulled)


def _cancel(conn: Connection) -> None:
    try:
        conn.cancel_safe(timeout=CANCEL_TIMEOUT_S)
    except Exception as exc:  # already closed, or the server does not answer either
        log.info("cancelling the central statement at stop: %s", type(exc).__name__)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ShopError):
        return exc.message
    return f"{type(exc).__name__}: {str(exc).strip()}"


__all__ = ["LiveConnections", "OUTCOMES", "PassResult", "SkewKeeper", "run_pass"]

"""Terminal clock skew against central: measured at each sync, kept, flagged; never used to order.

At each sync pass the first connection to central is asked for ``clock_timestamp()`` (the
server's real time at that statement, unlike ``now()``, which is the transaction's start).
The terminal's clock is read just before and just after the round trip; central's reading is
compared with the middle of the two, i.e. corrected for half the round trip (the reply took
about as long to come back as the question to go). The result is stored in the local
``setting`` table (so ``warungin sync status`` and the status bar show it offline too), and a
skew above :data:`FLAG_SECONDS` (5 minutes) is flagged for a person to fix the clock.

What skew never does: reorder anything. Wall-clock time is data, not order
(ARCHITECTURE.md): the push goes in terminal-sequence order, central's pull cursor follows
central's commit order, receipt numbers come from the gapless counter. A terminal whose clock
is a day off still syncs correctly; only the times it writes on its rows are wrong, which is
why a person is told. Nothing here corrects timestamps either: a row keeps the time the
terminal's clock said when it was made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import text

from local_db.engine import Database
from local_db.store import read_settings, write_settings
from local_db.uow import UnitOfWork

#: Above this many seconds either way, the skew is flagged (issue 3: "above 5 minutes").
FLAG_SECONDS = 300.0

SETTING_SKEW = "sync.clock_skew_s"
SETTING_SKEW_AT = "sync.clock_skew_at"
SETTING_SKEW_RTT = "sync.clock_skew_rtt_s"

Clock = Callable[[], datetime]
Connect = Callable[[], psycopg.Connection[tuple[Any, ...]]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SkewReading:
    """``skew_s`` > 0: the terminal's clock is ahead of central's."""

    skew_s: float
    round_trip_s: float
    measured_at: str  # central's time of the reading (ISO UTC): the trustworthy one

    @property
    def flagged(self) -> bool:
        return is_flagged(self.skew_s)


def is_flagged(skew_s: float | None) -> bool:
    return skew_s is not None and abs(skew_s) > FLAG_SECONDS


def measure(conn: psycopg.Connection[tuple[Any, ...]], clock: Clock = utc_now) -> SkewReading:
    """Measure on an open connection and leave it idle (no transaction open), so the caller
    can go on with its own transactions and isolation settings."""
    before_mono = time.perf_counter()
    before = clock()
    row = conn.execute("SELECT clock_timestamp()").fetchone()
    after = clock()
    rtt = time.perf_counter() - before_mono
    conn.rollback()
    if row is None or not isinstance(row[0], datetime):
        raise ValueError("central did not return its time")
    central: datetime = row[0]
    if central.tzinfo is None:
        central = central.replace(tzinfo=UTC)
    # The local moment the server read its clock: halfway through the round trip.
    local_mid = before + (after - before) / 2
    return SkewReading(round((local_mid - central).total_seconds(), 3), round(rtt, 4),
                       central.astimezone(UTC).isoformat(timespec="seconds"))


class SkewProbe:
    """A ``connect`` for push_once/pull_once that measures the skew on the first connection
    it opens (one reading per sync pass) and otherwise just connects."""

    def __init__(self, connect: Connect, clock: Clock = utc_now) -> None:
        self._connect = connect
        self._clock = clock
        self.reading: SkewReading | None = None

    def __call__(self) -> psycopg.Connection[tuple[Any, ...]]:
        conn = self._connect()
        if self.reading is None:
            try:
                self.reading = measure(conn, self._clock)
            except BaseException:
                conn.close()
                raise
        return conn


def record(db: Database, reading: SkewReading) -> None:
    """Keep the last reading in the local settings (one short writer transaction)."""
    with UnitOfWork(db) as uow:
        write_settings(uow.conn, {SETTING_SKEW: repr(reading.skew_s),
                                  SETTING_SKEW_AT: reading.measured_at,
                                  SETTING_SKEW_RTT: repr(reading.round_trip_s)})
        uow.commit()


def last_skew(settings: dict[str, str]) -> dict[str, Any]:
    """The stored reading as status figures: ``skew_s``, ``skew_flagged``, ``skew_at``."""
    raw = settings.get(SETTING_SKEW)
    try:
        skew = None if raw is None else float(raw)
    except ValueError:
        skew = None
    return {"skew_s": skew, "skew_flagged": is_flagged(skew),
            "skew_at": settings.get(SETTING_SKEW_AT)}


def read(db: Database) -> dict[str, Any]:
    with UnitOfWork(db, write=False) as uow:
        return last_skew(read_settings(uow.conn))


def clear(db: Database) -> None:
    with UnitOfWork(db) as uow:
        uow.conn.execute(text("DELETE FROM setting WHERE key IN (:a, :b, :c)"),
                         {"a": SETTING_SKEW, "b": SETTING_SKEW_AT, "c": SETTING_SKEW_RTT})
        uow.commit()


__all__ = ["FLAG_SECONDS", "SkewProbe", "SkewReading", "clear", "is_flagged", "last_skew",
           "measure", "read", "record"]

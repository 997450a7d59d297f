"""Client-made identities and wall-clock stamps."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

#: The seeding clock (see :func:`seeding_clock`): per thread, unset everywhere else.
_seeding = threading.local()


def uuid7() -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then randomness.

    Identity only: its time part is never used to order anything.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68  # 12 bits
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def now_iso() -> str:
    """Wall-clock time as ISO-8601 UTC text. Data, never order."""
    stamp: str | None = getattr(_seeding, "stamp", None)
    if stamp is not None:
        return stamp
    return datetime.now(UTC).isoformat(timespec="microseconds")


@contextmanager
def seeding_clock(moment: datetime) -> Iterator[None]:
    """Inside the block, :func:`now_iso` on *this thread* returns ``moment`` (aware; stored
    as UTC like every stamp).

    For one caller only: ``app.demo_history``, which seeds the demo shop's past trading
    through the real use cases, so each row is stamped with the moment it pretends to
    happen instead of being rewritten afterwards. Other threads (the till, the sync
    worker) keep the real clock. A shop's own records are never stamped by it; UUIDv7
    identities keep the real time (identity, never order).
    """
    if moment.tzinfo is None:
        raise ValueError("the seeding clock needs an aware datetime")
    before = getattr(_seeding, "stamp", None)
    _seeding.stamp = moment.astimezone(UTC).isoformat(timespec="microseconds")
    try:
        yield
    finally:
        _seeding.stamp = before


def age_seconds(stamp: str | None, now: datetime) -> float | None:
    """Seconds from the ISO time ``stamp`` to ``now`` (None if there is no readable stamp).
    Wall clocks are data, never order: a clock set back shows age 0, not a negative age."""
    if stamp is None:
        return None
    try:
        then = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return max(0.0, round((now - then).total_seconds(), 1))

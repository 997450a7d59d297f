"""Client-made identities and wall-clock stamps."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime


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
    return datetime.now(UTC).isoformat(timespec="microseconds")


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

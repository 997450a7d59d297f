"""Full-jitter exponential backoff, and the waits providers ask for in their headers.

Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): the delay is drawn
uniformly from [0, min(cap, base * 2**attempt)], so that many terminals retrying after the
same outage spread out instead of arriving together. A wait the provider asked for
(Retry-After, rate-limit reset) is a floor: retrying earlier only earns another 429.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: A header asking for more than this is treated as this: a garbled or hostile value must
#: not park a shop's jobs for weeks.
MAX_HONOURED_WAIT = 24 * 3600.0
#: Rate-limit reset values above this are Unix epoch seconds, below it a number of seconds
#: (the headers are used both ways; no provider asks for a 30-year wait).
_EPOCH_THRESHOLD = 1e9


def full_jitter(attempts: int, *, base_delay: float, max_delay: float,
                rng: random.Random) -> float:
    # Cap the exponent first: 2**attempts overflows a float long before attempts gets silly.
    ceiling = min(max_delay, base_delay * 2.0 ** min(max(attempts, 0), 60))
    return rng.uniform(0.0, ceiling)


def next_delay(attempts: int, *, base_delay: float, max_delay: float, rng: random.Random,
               retry_after: float | None = None) -> float:
    """Seconds until the next try: full jitter, but never sooner than ``retry_after``."""
    delay = full_jitter(attempts, base_delay=base_delay, max_delay=max_delay, rng=rng)
    if retry_after is not None and retry_after > delay:
        return min(retry_after, MAX_HONOURED_WAIT)
    return delay


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def _retry_after(value: str, now: datetime) -> float | None:
    seconds = _number(value)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP-date is GMT by definition
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def _reset(value: str, now: datetime) -> float | None:
    number = _number(value)
    if number is None:
        return None
    if number > _EPOCH_THRESHOLD * 1000:  # epoch milliseconds
        number /= 1000.0
    if number > _EPOCH_THRESHOLD:
        return max(number - now.timestamp(), 0.0)
    return max(number, 0.0)


def retry_after_seconds(headers: Mapping[str, str], now: datetime) -> float | None:
    """The wait a response asks for, in seconds, or None if it asks for none.

    Understands ``Retry-After`` (delta-seconds or an HTTP-date, RFC 9110 §10.2.3) and
    ``X-RateLimit-Reset`` / ``RateLimit-Reset`` (seconds from now, or a Unix epoch time).
    Header names are matched without regard to case. When several are given the longest wait
    wins. Call it on a 429/503-like answer: a reset header on a successful answer only says
    when the window rolls over.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    lowered = {k.lower(): v for k, v in headers.items()}
    waits: list[float] = []
    if "retry-after" in lowered:
        w = _retry_after(lowered["retry-after"], now)
        if w is not None:
            waits.append(w)
    for name in ("x-ratelimit-reset", "ratelimit-reset"):
        if name in lowered:
            w = _reset(lowered[name], now)
            if w is not None:
                waits.append(w)
    return min(max(waits), MAX_HONOURED_WAIT) if waits else None

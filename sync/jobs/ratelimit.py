"""Client-side rate limits: a token bucket per provider endpoint group.

Providers publish their limits (Biteship orders and rates 20 req/s, tracking 50; Twilio
WhatsApp 10 msg/s per sender; FCM 600,000/min per project). Staying under them is cheaper
than earning 429s; when a 429 comes anyway, :meth:`TokenBucket.hold` stops every caller of
that bucket until the provider's reset time (Retry-After, X-RateLimit-Reset), not only the
request that got it.

Thread-safe: the dispatcher's provider thread and a batch's worker threads share a bucket.
The clock and the sleep are injectable so tests need not wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up (default: one second's worth)."""

    def __init__(self, rate: float, *, burst: float | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("a rate limit must be above zero")
        self.rate = float(rate)
        self.burst = float(burst) if burst is not None else max(1.0, self.rate)
        if self.burst < 1:
            raise ValueError("burst must allow at least one request")
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = self.burst
        self._stamp = clock()
        self._held_until = 0.0

    def _refill(self, now: float) -> None:
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def wait_time(self, tokens: float = 1.0) -> float:
        """Seconds until ``tokens`` could be taken (0 when they can be now)."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            return self._wait(now, tokens)

    def _wait(self, now: float, tokens: float) -> float:
        hold = max(self._held_until - now, 0.0)
        short = max(tokens - self._tokens, 0.0) / self.rate
        return max(hold, short)

    def try_acquire(self, tokens: float = 1.0) -> bool:
        with self._lock:
            now = self._clock()
            self._refill(now)
            if self._wait(now, tokens) > 0:
                return False
            self._tokens -= tokens
            return True

    def acquire(self, tokens: float = 1.0, *, timeout: float | None = None) -> bool:
        """Block until ``tokens`` are taken; False if that would take longer than ``timeout``
        (nothing is taken then)."""
        if tokens > self.burst:
            raise ValueError("cannot take more tokens than the bucket holds")
        start = self._clock()
        while True:
            with self._lock:
                now = self._clock()
                self._refill(now)
                wait = self._wait(now, tokens)
                if wait <= 0:
                    self._tokens -= tokens
                    return True
            if timeout is not None and now + wait - start > timeout:
                return False
            self._sleep(wait)

    def hold(self, seconds: float) -> None:
        """The provider said "too many": nobody sends through this bucket for ``seconds``,
        and the saved-up burst is gone (it is what got us the 429)."""
        if seconds <= 0:
            return
        with self._lock:
            now = self._clock()
            self._held_until = max(self._held_until, now + seconds)
            self._tokens = 0.0
            self._stamp = now

    def observe_remaining(self, remaining: int, reset_in: float) -> None:
        """A provider's rate-limit headers said ``remaining`` requests are left until
        ``reset_in`` seconds from now: never plan on more than that."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            if remaining <= 0 and reset_in > 0:
                self._held_until = max(self._held_until, now + reset_in)
                self._tokens = 0.0
            else:
                self._tokens = min(self._tokens, float(remaining))


@dataclass(frozen=True, slots=True)
class Limit:
    rate: float  # requests per second
    burst: float | None = None


class RateLimits:
    """One bucket per endpoint group of a provider (``"orders"``, ``"rates"``, ``"tracking"``),
    made on first use from the configured limits; a group with no limit is not limited."""

    def __init__(self, limits: Mapping[str, Limit], *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._limits = dict(limits)
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, group: str) -> TokenBucket | None:
        limit = self._limits.get(group)
        if limit is None:
            return None
        with self._lock:
            b = self._buckets.get(group)
            if b is None:
                b = TokenBucket(limit.rate, burst=limit.burst, clock=self._clock,
                                sleep=self._sleep)
                self._buckets[group] = b
            return b

    def acquire(self, group: str) -> None:
        b = self.bucket(group)
        if b is not None:
            b.acquire()

    def hold(self, group: str, seconds: float) -> None:
        b = self.bucket(group)
        if b is not None:
            b.hold(seconds)


__all__ = ["Limit", "RateLimits", "TokenBucket"]

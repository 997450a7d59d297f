"""A circuit breaker per provider.

closed --(N consecutive retry/unknown outcomes)--> open --(cooldown)--> half_open
half_open --(the one probe job succeeds)--> closed;  --(it fails)--> open again.

While open, the provider's jobs are not claimed at all: a provider that is down is asked once
a cooldown, not once per job, and its jobs keep their attempts for when it is back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    def __init__(self, failures: int = 5, cooldown: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if failures < 1:
            raise ValueError("a breaker needs at least one failure to open")
        self._threshold = failures
        self._cooldown = cooldown
        self._clock = clock
        # The provider's worker drives the breaker; the status bar reads it from elsewhere.
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self._probing or self._clock() - self._opened_at >= self._cooldown:
            return HALF_OPEN
        return OPEN

    @property
    def consecutive_failures(self) -> int:
        with self._lock:
            return self._failures

    def try_acquire(self) -> bool:
        """May a job be tried now? In half_open this takes the single probe: release() it
        if no job was there to try."""
        with self._lock:
            state = self._state()
            if state == CLOSED:
                return True
            if state == HALF_OPEN and not self._probing:
                self._probing = True
                return True
            return False

    def release(self) -> None:
        """The acquired try found no job: no verdict, the probe is free again."""
        with self._lock:
            self._probing = False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self._threshold:
                self._opened_at = self._clock()  # a failed probe restarts the cooldown
            self._probing = False

"""Full-jitter backoff bounds, the Retry-After floor, and the headers providers send."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from sync.jobs.backoff import (
    MAX_HONOURED_WAIT,
    full_jitter,
    next_delay,
    retry_after_seconds,
)

NOW = datetime(2025, 3, 1, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("attempts", [0, 1, 2, 5, 8, 9, 20, 500])
def test_full_jitter_stays_within_its_ceiling(attempts: int) -> None:
    rng = random.Random(attempts)
    ceiling = min(600.0, 2.0 * 2 ** min(attempts, 60))
    draws = [full_jitter(attempts, base_delay=2.0, max_delay=600.0, rng=rng)
             for _ in range(5000)]
    assert all(0.0 <= d <= ceiling for d in draws)
    # Spread over the whole range, not bunched at the top (that is the point of full jitter).
    assert min(draws) < ceiling * 0.05 and max(draws) > ceiling * 0.95
    assert abs(sum(draws) / len(draws) - ceiling / 2) < ceiling * 0.03


def test_same_seed_same_delays() -> None:
    a = [full_jitter(3, base_delay=1.0, max_delay=60.0, rng=r)
         for r in [random.Random(7)] for _ in range(10)]
    b = [full_jitter(3, base_delay=1.0, max_delay=60.0, rng=r)
         for r in [random.Random(7)] for _ in range(10)]
    assert a == b


def test_retry_after_is_a_floor() -> None:
    rng = random.Random(1)
    delays = [next_delay(1, base_delay=2.0, max_delay=600.0, rng=rng, retry_after=30.0)
              for _ in range(1000)]
    assert all(d == 30.0 for d in delays)  # jitter for attempt 1 is at most 4 s
    # A floor below the jitter leaves the jitter alone.
    rng = random.Random(2)
    delays = [next_delay(10, base_delay=2.0, max_delay=600.0, rng=rng, retry_after=1.0)
              for _ in range(1000)]
    assert all(1.0 <= d <= 600.0 for d in delays) and max(delays) > 500
    # A silly header does not park jobs for a year.
    assert next_delay(1, base_delay=2.0, max_delay=600.0, rng=rng,
                      retry_after=1e9) == MAX_HONOURED_WAIT


def test_retry_after_seconds_and_http_date() -> None:
    assert retry_after_seconds({"Retry-After": "120"}, NOW) == 120.0
    assert retry_after_seconds({"retry-after": " 7 "}, NOW) == 7.0
    date = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert date.endswith("GMT")
    assert retry_after_seconds({"Retry-After": date}, NOW) == 90.0
    past = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    assert retry_after_seconds({"Retry-After": past}, NOW) == 0.0
    assert retry_after_seconds({"Retry-After": "soon"}, NOW) is None
    assert retry_after_seconds({"Content-Type": "application/json"}, NOW) is None


def test_rate_limit_reset_seconds_or_epoch() -> None:
    assert retry_after_seconds({"X-RateLimit-Reset": "45"}, NOW) == 45.0
    assert retry_after_seconds({"RateLimit-Reset": "3"}, NOW) == 3.0
    epoch = int(NOW.timestamp()) + 75
    assert retry_after_seconds({"X-RateLimit-Reset": str(epoch)}, NOW) == 75.0
    assert retry_after_seconds({"x-ratelimit-reset": str(epoch * 1000)}, NOW) == 75.0
    assert retry_after_seconds({"X-RateLimit-Reset": str(epoch - 500)}, NOW) == 0.0


def test_longest_wait_wins() -> None:
    headers = {"Retry-After": "10", "X-RateLimit-Reset": "60", "RateLimit-Reset": "5"}
    assert retry_after_seconds(headers, NOW) == 60.0


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        retry_after_seconds({"Retry-After": "1"}, datetime(2025, 1, 1))

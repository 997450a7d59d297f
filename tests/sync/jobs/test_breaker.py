"""The per-provider circuit breaker's state machine."""

from __future__ import annotations

from sync.jobs.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_opens_after_n_consecutive_failures() -> None:
    clock = Clock()
    b = CircuitBreaker(3, 60.0, clock)
    for _ in range(2):
        assert b.try_acquire()
        b.record_failure()
    assert b.state == CLOSED and b.consecutive_failures == 2
    assert b.try_acquire()
    b.record_failure()
    assert b.state == OPEN
    assert not b.try_acquire()


def test_a_success_resets_the_count() -> None:
    b = CircuitBreaker(3, 60.0, Clock())
    b.record_failure()
    b.record_failure()
    b.record_success()
    b.record_failure()
    b.record_failure()
    assert b.state == CLOSED


def test_half_open_lets_exactly_one_probe_through() -> None:
    clock = Clock()
    b = CircuitBreaker(1, 60.0, clock)
    b.record_failure()
    clock.t += 59.9
    assert b.state == OPEN and not b.try_acquire()
    clock.t += 0.2
    assert b.state == HALF_OPEN
    assert b.try_acquire()
    assert not b.try_acquire()  # the probe is out; nobody else goes
    b.record_success()
    assert b.state == CLOSED and b.try_acquire() and b.try_acquire()


def test_failed_probe_opens_again_for_a_full_cooldown() -> None:
    clock = Clock()
    b = CircuitBreaker(2, 30.0, clock)
    b.record_failure()
    b.record_failure()
    clock.t += 31
    assert b.try_acquire()
    b.record_failure()
    assert b.state == OPEN
    clock.t += 29
    assert not b.try_acquire()
    clock.t += 2
    assert b.state == HALF_OPEN


def test_an_unused_probe_is_released() -> None:
    clock = Clock()
    b = CircuitBreaker(1, 10.0, clock)
    b.record_failure()
    clock.t += 11
    assert b.try_acquire()
    b.release()  # no job was due
    assert b.state == HALF_OPEN
    assert b.try_acquire()

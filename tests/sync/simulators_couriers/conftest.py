"""Shared bits of the courier simulator tests: a clock the test moves by hand."""

from __future__ import annotations

import pytest


class FakeClock:
    """A frozen clock (seconds since the epoch): only the test moves it."""

    def __init__(self, start: float = 1_796_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()

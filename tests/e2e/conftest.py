"""A Midtrans simulator on 127.0.0.1 for the shop under test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync.simulators.midtrans import MidtransSimulator

SERVER_KEY = "SB-Mid-server-TEST-0000"


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[MidtransSimulator]:
    simulator = MidtransSimulator(server_key=SERVER_KEY, seed=7)
    url = simulator.start()
    monkeypatch.setenv("WARUNGIN_MIDTRANS_URL", url)
    monkeypatch.setenv("WARUNGIN_MIDTRANS_SERVER_KEY", SERVER_KEY)
    yield simulator
    simulator.stop()

"""The shared courier-simulator parts: rate window, parcel tracks, fault settings, `python -m`."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from sync.simulators.biteship import BiteshipSimulator
from sync.simulators.courier_common import RateWindow, Track, kilograms, volumetric_grams
from sync.simulators.jne import JneSimulator
from sync.simulators.jnt import JntSimulator
from sync.simulators.pos import PosSimulator


def test_rate_window_counts_per_group_and_slides() -> None:
    window = RateWindow(3)
    seen = [window.admit("orders", 100.0 + i * 0.1) for i in range(3)]
    assert all(ok for ok, _ in seen)
    assert [h["X-RateLimit-Remaining"] for _, h in seen] == ["2", "1", "0"]
    assert all(h["X-RateLimit-Limit"] == "3" and "Retry-After" not in h for _, h in seen)
    ok, headers = window.admit("orders", 100.5)
    assert not ok and headers["Retry-After"] == "1" and headers["X-RateLimit-Remaining"] == "0"
    # Reset: to the millisecond, when the oldest request (t=100.0) leaves the window
    assert seen[2][1]["X-RateLimit-Reset"] == "0.8" and headers["X-RateLimit-Reset"] == "0.5"
    assert window.admit("tracking", 100.5)[0]  # another group has its own window
    assert window.admit("orders", 101.0)[0]  # the first request left the window


def test_rate_window_mapping_and_slow_rates() -> None:
    window = RateWindow({"orders": 0.5})
    assert window.admit("rates", 0.0) == (True, {})  # not in the mapping: unlimited
    assert window.admit("orders", 0.0)[0]
    ok, headers = window.admit("orders", 1.0)
    assert not ok and headers["Retry-After"] == "1"
    assert window.admit("orders", 2.0)[0]
    with pytest.raises(ValueError):
        RateWindow(0)
    assert RateWindow(None).admit("orders", 0.0) == (True, {})


def test_track_moves_one_step_per_interval_and_can_divert_or_halt() -> None:
    track = Track(("a", "b", "c"), 10.0, 0.0)
    track.catch_up(9.9)
    assert track.status == "a"
    track.catch_up(25.0)
    assert [e.status for e in track.events] == ["a", "b", "c"]
    assert [e.at for e in track.events] == [0.0, 10.0, 20.0]
    track.catch_up(1000.0)
    assert track.status == "c"  # the end of the path
    track.divert(("r1", "r2"), 30.0, "refused")
    track.catch_up(40.0)
    assert track.status == "r2" and track.reached("r1")
    halted = Track(("a", "b"), 10.0, 0.0)
    halted.halt("cancelled", 5.0)
    halted.catch_up(100.0)
    assert halted.status == "cancelled"


def test_weights() -> None:
    assert volumetric_grams(30, 20, 20) == 2000
    assert kilograms(1) == 1 and kilograms(1000) == 1 and kilograms(1001) == 2


@pytest.mark.parametrize("cls", [BiteshipSimulator, JneSimulator, JntSimulator, PosSimulator])
def test_set_faults_checks_its_arguments(cls: type[BiteshipSimulator]) -> None:
    sim = cls()
    with pytest.raises(ValueError):
        sim.set_faults(drop=0.7, error_5xx=0.5)
    with pytest.raises(ValueError):
        sim.set_faults(drop=-0.1)
    with pytest.raises(ValueError, match="unknown endpoints"):
        sim.set_faults(drop=0.1, apply_to=("nope",))
    sim.set_faults(drop=0.1, apply_to=("*",))  # every endpoint
    with pytest.raises(ValueError):
        sim.advance(-1)


@pytest.mark.parametrize("module", ["biteship", "jne", "jnt", "pos"])
def test_python_m_prints_its_base_url_first(module: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", f"sync.simulators.{module}", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:")
            reply = httpx.get(f"{url}/_sim/orders", timeout=5)
            assert reply.status_code == 200 and reply.json() == {"orders": []}
        finally:
            proc.terminate()
            proc.wait(timeout=5)

"""What every messaging simulator shares: running as its own process, fault settings, the
rate-limit window and seeded fault replay."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx
import pytest

from sync.simulators.fcm import FcmSimulator
from sync.simulators.messaging_common import MessagingSimulator
from sync.simulators.sendgrid import DEFAULT_API_KEY, SendGridSimulator
from sync.simulators.twilio import TwilioSimulator
from tests.sync.simulators_messaging.shared import HTTP


@pytest.mark.parametrize("name", ["sendgrid", "twilio", "fcm"])
def test_runs_as_its_own_process(name: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", f"sync.simulators.{name}", "--port", "0", "--seed", "4"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        assert HTTP.get(f"{base_url}/_sim/outbox").json() == {"outbox": []}
        assert HTTP.post(f"{base_url}/_sim/faults", json={"error_5xx": 1.0}).json() == {
            "ok": True}
    finally:
        proc.send_signal(signal.SIGINT)  # serve_in_foreground stops cleanly on Ctrl-C
        try:
            # Generous: on a loaded 2-core CI machine the interpreter's start and the
            # server's stop (which joins its connection threads) once took over 10 s.
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            if proc.stdout is not None:
                proc.stdout.close()  # never leak the pipe into a later test's warnings
    assert code == 0


@pytest.mark.parametrize("cls", [SendGridSimulator, TwilioSimulator, FcmSimulator])
def test_fault_settings_are_checked(cls: type[MessagingSimulator]) -> None:
    sim = cls()
    with pytest.raises(ValueError):
        sim.set_faults(drop=0.6, error_5xx=0.6)
    with pytest.raises(ValueError):
        sim.set_faults(slow_seconds=-1)
    with pytest.raises(ValueError, match="unknown endpoints"):
        sim.set_faults(drop=0.1, apply_to=("charge",))
    with pytest.raises(ValueError):
        sim.set_rate_limit(0)
    sim.set_faults(timeout_after_create=0.5)  # the couriers' name for the same fault
    assert sim.faults().timeout_after_accept == 0.5
    assert sim.faults().apply_to == cls.default_apply_to


def test_rate_below_one_per_second_widens_the_window() -> None:
    now = [1_800_000_000.0]
    with SendGridSimulator(rate_limit=0.5, clock=lambda: now[0]) as sim:
        body = {"personalizations": [{"to": [{"email": "a@example.com"}]}],
                "from": {"email": "toko@example.com"}, "subject": "s",
                "content": [{"type": "text/plain", "value": "x"}]}
        headers = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
        url = f"{sim.base_url}/v3/mail/send"
        assert HTTP.post(url, json=body, headers=headers).status_code == 202
        now[0] += 1.5
        refused = HTTP.post(url, json=body, headers=headers)
        assert refused.status_code == 429
        assert int(refused.headers["X-RateLimit-Reset"]) == 1_800_000_002
        now[0] += 0.5
        assert HTTP.post(url, json=body, headers=headers).status_code == 202


def test_slow_mode_delays_replies() -> None:
    with FcmSimulator() as sim:
        sim.set_faults(slow_seconds=0.3)
        token, device = sim.issue_token(), sim.register_device()
        with pytest.raises(httpx.ReadTimeout):
            HTTP.post(f"{sim.base_url}/v1/projects/{sim.project_id}/messages:send",
                      json={"message": {"token": device}}, timeout=0.1,
                      headers={"Authorization": f"Bearer {token}"})


def test_stop_cuts_a_hanging_reply_short() -> None:
    sim = SendGridSimulator()
    sim.start()
    sim.set_faults(timeout_after_accept=1.0, hang_seconds=60.0)
    body = {"personalizations": [{"to": [{"email": "a@example.com"}]}],
            "from": {"email": "toko@example.com"}, "subject": "s",
            "content": [{"type": "text/plain", "value": "x"}]}
    with pytest.raises(httpx.ReadTimeout):
        HTTP.post(f"{sim.base_url}/v3/mail/send", json=body, timeout=0.2,
                  headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"})
    sim.stop()  # returns promptly although the reply was to hang for a minute
    assert len(sim.outbox()) == 1

"""`warungin sale` with provider payments, and the newcomer's `warungin demo --simulators`."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.cli.main import main
from app.shop import Shop
from sync.simulators.midtrans import MidtransSimulator
from tests.helpers import counts

QRIS = {"lines": [{"sku": "MI-0001", "qty": 2}], "payments": [{"method": "qris", "amount": 7000}]}


def customer(sim: MidtransSimulator, action: str, stop: threading.Event) -> threading.Thread:
    """Pays (or lets expire) every pending charge, as customers at the counter would."""
    def run() -> None:
        while not stop.wait(0.02):
            for tx in sim.all_transactions():
                if tx["transaction_status"] == "pending":
                    getattr(sim, action)(tx["order_id"])
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize("action,code", [("pay", 0), ("expire_now", 3)])
def test_cli_sale_with_qris(shop: Shop, sim: MidtransSimulator, action: str, code: int,
                            capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts(shop)
    stop = threading.Event()
    thread = customer(sim, action, stop)
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(QRIS)))
    try:
        got = main(["sale", "--wait", "10", "--data-dir", str(shop.folder)])
    finally:
        stop.set()
        thread.join()
    out, err = capsys.readouterr()
    assert got == code
    assert "QR: 000201" in err  # the QR string, shown at the till
    if code == 0:
        assert json.loads(out)["payments"][0]["method"] == "qris"
        assert counts(shop)["sale"] == before["sale"] + 1
    else:
        assert out == "" and "error: payments[0]: qris payment expired" in err
        assert counts(shop)["sale"] == before["sale"]


def test_newcomer_demo_with_simulators(tmp_path: Path) -> None:
    exe = str(Path(sys.executable).with_name("warungin"))
    folder = str(tmp_path / "demo")
    sim = subprocess.Popen([exe, "demo", "--empty", "--simulators", "--port", "0",
                            "--auto-pay", "0.2", "--data-dir", folder], stderr=subprocess.PIPE,
                           stdout=subprocess.DEVNULL, text=True)
    try:
        assert sim.stderr is not None
        first = sim.stderr.readline()
        assert first.startswith("Simulators on 127.0.0.1"), first
        midtrans = sim.stderr.readline()
        assert re.match(r"\s+midtrans\s+http://127\.0\.0\.1:\d+", midtrans), midtrans
        proc = subprocess.run([exe, "sale", "--wait", "20", "--data-dir", folder],
                              input=json.dumps(QRIS), capture_output=True, text=True,
                              timeout=60, check=False)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["payments"][0]["method"] == "qris"
    finally:
        sim.terminate()
        sim.wait(timeout=10)
        if sim.stderr is not None:
            sim.stderr.close()

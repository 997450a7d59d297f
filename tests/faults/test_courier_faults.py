"""Courier fault tests: never two labels for one parcel.

- A batch of 200 shipments against the Biteship simulator with 20% of creates timing out
  *after* the simulator made them and 10% dropped connections: 0 duplicate orders at the
  simulator (``creates(reference) <= 1`` for every shipment), every shipment created or
  visibly failed.
- ``warungin ship batch`` in a child process, SIGKILLed at random moments, then re-run to
  the end: still 0 duplicates, every item created. ``WARUNGIN_SHIP_KILLS`` sets how many
  kills (3 by default, to keep CI time modest).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.courier_wiring import courier_handlers
from app.secrets import secret_store_for
from app.shop import Shop
from services.shipping import create_batch
from services.users import Actor
from sync.courier_jobs import run_batch
from sync.simulators import biteship as bsim
from tests.services.test_shipping_support import a_sale, cipher, configure, request

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("WARUNGIN_SHIP_KILLS", "3"))


@pytest.fixture
def sim() -> Iterator[bsim.BiteshipSimulator]:
    s = bsim.BiteshipSimulator(seed=11)
    s.start()
    yield s
    s.stop()


def wire(shop: Shop, sim: bsim.BiteshipSimulator, timeout: str = "0.3") -> None:
    configure(shop, enabled="biteship", extra={"courier.biteship.base_url": sim.base_url,
                                               "courier.timeout": timeout})
    secret_store_for(shop).set("biteship-api-key", bsim.DEFAULT_KEY)


def duplicates(sim: bsim.BiteshipSimulator, ids: list[str]) -> dict[str, int]:
    return {sid: n for sid in ids if (n := sim.creates(sid)) > 1}


def test_a_batch_of_200_with_timeouts_and_drops_makes_no_duplicate(
        shop: Shop, cashier: Actor, sim: bsim.BiteshipSimulator) -> None:
    wire(shop, sim)
    sim.set_faults(timeout_after_create=0.2, drop=0.1, hang_seconds=0.6)
    sale = a_sale(shop)
    queued = create_batch(shop.uow, cipher(shop), cashier,
                          [request(sale, quoted_price=None) for _ in range(200)],
                          batch_id="F200")
    ids = list(queued.shipment_ids)
    assert len(ids) == 200
    with courier_handlers(shop) as handlers:
        run = run_batch(shop.db, handlers, "F200", deadline_seconds=240, workers=8)
    faults = sim.fault_log()
    assert sum(1 for f in faults if f["fault"].startswith("timeout")) >= 20, faults[:3]
    assert sum(1 for f in faults if f["fault"].startswith("drop")) >= 10
    assert any(f["recorded"] for f in faults)  # some faults hit after the order was made
    assert duplicates(sim, ids) == {}
    assert run.done, {i.outcome for i in run.items}
    outcomes = {i.shipment_id: i.outcome for i in run.items}
    assert set(outcomes.values()) <= {"created", "failed"}
    failed = [i for i in run.items if i.outcome == "failed"]
    assert all(i.reason for i in failed)  # visibly: with the reason
    made = {o["reference"] for o in sim.orders()}
    assert {sid for sid, o in outcomes.items() if o == "created"} <= made
    print(f"200 shipments under faults: {run.count('created')} created, {len(failed)} failed, "
          f"{len(faults)} faults, {run.seconds:.1f} s", [i.reason for i in failed])


def _items(sale_id: str, n: int) -> bytes:
    item = {"sale_id": sale_id, "service": "biteship:jne:reg",
            "recipient": {"name": "Pak Anton", "phone": "0813-2222-3333",
                          "address": "Jl. Kenanga 12, Coblong", "postal_code": "40132"},
            "parcel": {"weight_g": 900, "length_cm": 20, "width_cm": 15, "height_cm": 10,
                       "declared_value": 80_000, "description": "Kopi"}}
    return json.dumps({"batch_id": "KILL1", "items": [item] * n}).encode()


def _child(folder: Path, stdin: bytes, deadline: float) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.killpoints", "ship", "batch", "--data-dir",
         str(folder), "--user", "Sari", "--deadline", str(deadline), "--lease", "1",
         "--workers", "4"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "WARUNGIN_PIN": "1234"})
    assert proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    return proc


def test_sigkill_of_a_batch_then_a_rerun_makes_no_duplicate(
        shop: Shop, sim: bsim.BiteshipSimulator) -> None:
    wire(shop, sim, timeout="1")
    sim.set_faults(timeout_after_create=0.1, drop=0.05, hang_seconds=1.5)
    sim.set_rate_limit({"orders": 40, "draft_orders": 40})
    n = 40
    stdin = _items(a_sale(shop), n)
    rng = random.Random(int(os.environ.get("WARUNGIN_SHIP_SEED", "5")))
    started = time.monotonic()
    for _ in range(KILLS):
        proc = _child(shop.folder, stdin, deadline=60)
        time.sleep(rng.uniform(0.8, 3.0))  # start-up takes ~0.5 s; then creates go out
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    before = len(sim.orders())
    sim.set_faults()
    final = _child(shop.folder, stdin, deadline=90)
    assert final.stdout is not None and final.stderr is not None
    out = final.stdout.read()  # the pipes are read to the end before the wait: no deadlock
    err = final.stderr.read()
    final.stdout.close()
    final.stderr.close()
    final.wait(150)
    assert final.returncode == 0, err.decode()[-2000:]
    report = json.loads(out.decode().strip().splitlines()[-1])
    ids = [i["shipment_id"] for i in report["items"]]
    assert len(ids) == n and len(set(ids)) == n  # the re-runs made no second shipment
    assert duplicates(sim, ids) == {}
    assert report["done"] and report["counts"] == {"created": n}, report["counts"]
    assert len({o["reference"] for o in sim.orders()}) == len(sim.orders()) == n
    print(f"{KILLS} kills ({before} orders made by then) + a re-run: {n} shipments, 0 dup, "
          f"{time.monotonic() - started:.1f} s")



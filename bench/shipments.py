"""Shipments: 200 parcels through the shop's batch (issue 12) against a Biteship simulator
limited to 20 requests/second per endpoint group, beside the floor that limit allows.

The shop side is the real path: :func:`services.shipping.create_batch` queues the 200
shipments (one transaction each), then :func:`sync.courier_jobs.run_batch` drives the
dispatcher's courier jobs (draft, draft id committed, confirm; each outcome recorded) until
every shipment is created. The baseline sends the same 200 × 2 raw ``httpx`` requests
(draft, then confirm) at the same limit with no database at all: the floor the courier's
rate limit allows. Figures:

- ``shipment.queue_200``: seconds to queue the 200 at the till (no network);
- ``shipment.batch_200``: seconds from the first courier call to the last shipment created,
  with ``duplicates`` (orders at the simulator beyond one per shipment: must be 0),
  ``created``, ``throttled`` (429s the simulator answered) and the baseline beside it.
  Target: 12 s.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from app.courier_wiring import courier_handlers
from app.demo import seed_demo
from app.secrets import cipher_for, secret_store_for
from app.shop import Shop, open_shop
from bench.report import Emit, figure, print_figure
from local_db.store import write_settings
from services.courier_port import Parcel
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.shipping import ShipmentRequest, create_batch
from services.users import authenticate
from sync.courier_jobs import run_batch
from sync.jobs.ratelimit import Limit, RateLimits

#: The simulator's own default key (``python -m sync.simulators.biteship --help``).
DEFAULT_KEY = "biteship_test.SIMULATOR"
COUNT = 200
RATE = 20.0  # Biteship's published orders limit, requests per second
TARGET_SECONDS = 12.0
WORKERS = 4


@contextmanager
def _simulator(seed: int) -> Iterator[str]:
    """A Biteship simulator limited to RATE per endpoint group, in a process of its own
    (the benchmarks drive the program as its callers do: never the simulator's classes)."""
    proc = subprocess.Popen([sys.executable, "-m", "sync.simulators.biteship", "--port", "0",
                             "--seed", str(seed), "--rate-limit", f"{RATE:g}"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError("the Biteship simulator did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def _sim_get(url: str, path: str) -> Any:
    return httpx.get(f"{url}/_sim/{path}", timeout=10).json()


def _shop(work: Path, sim_url: str) -> Shop:
    folder = work / "shipments"
    shutil.rmtree(folder, ignore_errors=True)
    shop = open_shop(folder)
    seed_demo(shop)
    with shop.uow() as uow:
        write_settings(uow.conn, {
            "courier.enabled": "biteship", "courier.default": "biteship:jne:reg",
            "courier.biteship.base_url": sim_url, "courier.timeout": "5",
            "courier.origin.name": "Warung Bench", "courier.origin.phone": "0812-1111-2222",
            "courier.origin.address": "Jl. Melati 5, Kebayoran Baru",
            "courier.origin.postal_code": "12120",
            "courier.origin.area_id": "IDNP6IDNC148IDND836IDZ12120"})
        uow.commit()
    secret_store_for(shop).set("biteship-api-key", DEFAULT_KEY)
    return shop


def _requests(shop: Shop, n: int) -> tuple[Any, list[ShipmentRequest]]:
    with shop.uow() as uow:
        actor = authenticate(uow, "Sari", "1234")
        uow.commit()
    with shop.uow() as uow:
        sale = complete_sale(uow, shop.config, actor, SaleRequest(
            (LineRequest("MI-0001", 2000),), (PaymentRequest("cash", 50_000),)))
    parcel = Parcel(900, 20, 15, 10, 80_000, "Kopi bubuk")
    return actor, [ShipmentRequest(
        sale_id=sale.id, courier="biteship", courier_company="jne", service_code="reg",
        recipient_name=f"Pelanggan {i}", recipient_phone="0813-2222-3333",
        recipient_address=f"Jl. Kenanga {i}, Coblong", destination_postal_code="40132",
        destination_area_id=None, destination_code=None, parcel=parcel)
        for i in range(n)]


def _baseline(n: int) -> float:
    """The same draft + confirm pairs as raw httpx calls at the same limit (the floor)."""
    with _simulator(2) as url:
        limits = RateLimits({"orders": Limit(RATE), "draft_orders": Limit(RATE)})
        body = {"origin_contact_name": "Warung", "origin_contact_phone": "081211112222",
                "origin_address": "Jl. Melati 5", "origin_area_id":
                "IDNP6IDNC148IDND836IDZ12120", "destination_contact_name": "Pelanggan",
                "destination_contact_phone": "081322223333",
                "destination_address": "Jl. Kenanga", "destination_postal_code": 40132,
                "courier_company": "jne", "courier_type": "reg", "delivery_type": "now",
                "items": [{"name": "Kopi", "value": 80_000, "weight": 900, "length": 20,
                           "width": 15, "height": 10, "quantity": 1}]}
        client = httpx.Client(base_url=url, headers={"Authorization": DEFAULT_KEY},
                              timeout=10)
        lock = threading.Lock()
        ok = [0]

        def send(group: str, path: str, payload: dict[str, Any]) -> httpx.Response:
            while True:  # a 429 (the window and the bucket disagree by a hair): wait, again
                limits.acquire(group)
                answer = client.post(path, json=payload)
                if answer.status_code != 429:
                    return answer
                time.sleep(float(answer.headers.get("Retry-After", "1") or 1))

        def one(i: int) -> None:
            draft = send("draft_orders", "/v1/draft_orders", {**body, "reference_id": f"b-{i}"})
            done = send("orders", f"/v1/draft_orders/{draft.json()['id']}/confirm", {})
            if done.status_code == 200:
                with lock:
                    ok[0] += 1
        began = time.perf_counter()
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(one, range(n)))
        seconds = time.perf_counter() - began
        client.close()
    return seconds


def measure(work: Path, *, emit: Emit = print_figure, seed: int = 1) -> dict[str, Any]:
    del seed  # a fixed load: 200 parcels, the same every run
    baseline = _baseline(COUNT)
    with _simulator(1) as url:
        shop = _shop(work, url)
        try:
            actor, reqs = _requests(shop, COUNT)
            cipher = cipher_for(shop)
            began = time.perf_counter()
            queued = create_batch(shop.uow, cipher, actor, reqs, batch_id="bench-200")
            queue_seconds = time.perf_counter() - began
            with courier_handlers(shop) as handlers:
                run = run_batch(shop.db, handlers, "bench-200", deadline_seconds=120,
                                workers=WORKERS)
            ids = set(queued.shipment_ids)
            made = Counter(o.get("reference") for o in _sim_get(url, "orders")["orders"])
            duplicates = sum(n - 1 for ref, n in made.items() if ref in ids and n > 1)
            throttled = sum(_sim_get(url, "throttled")["throttled"].values())
        finally:
            shop.close()
    emit(figure("shipment.queue_200", "s", queue_seconds, count=COUNT))
    emit(figure("shipment.batch_200", "s", run.seconds, baseline=baseline,
                target=TARGET_SECONDS, duplicates=duplicates,
                created=run.count("created"), failed=run.count("failed"),
                done=run.done, throttled=throttled, rate_limit=RATE, workers=WORKERS))
    return {"seconds": run.seconds, "baseline": baseline, "duplicates": duplicates,
            "created": run.count("created")}


__all__ = ["measure"]

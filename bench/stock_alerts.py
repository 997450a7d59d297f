"""Stock alerts on the sale path: what the triggers of migration 0007 cost a sale.

Two copies of one freshly seeded demo shop, both WAL with ``synchronous=FULL``: one as
shipped (the ``stock_alert_*`` triggers), one with the triggers dropped (the baseline: the
same sale through the same services with no alert work at all). The same 3-line cash sales
go through :func:`services.selling.complete_sale` on both, alternating sale by sale (which
side goes first alternates too), so a noisy neighbour hits both alike:

- **no crossing** — every line's level stays well above its threshold: each line's
  ``stock_level`` update runs the fire trigger's indexed product lookup and inserts nothing
  (the common case, paid by every sale);
- **crossing** — before each sale (not timed) the three products are put just above a
  threshold of 5 units, so every line crosses it: each line inserts an alert row (the
  rare case: one sale per product per restock).

Two more figures isolate the triggers from everything else in plain ``sqlite3``: the three
``UPDATE stock_level`` statements of a sale (crossing, and far from the threshold) inside
``BEGIN IMMEDIATE`` (the statements' time, before the commit's fsync), with and without
the triggers.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from app.demo import seed_demo
from app.paths import db_path
from app.shop import Shop, open_shop
from bench.generate import checkpoint
from bench.report import Emit, Figure, figure, median, percentile, print_figure
from local_db.engine import BUSY_TIMEOUT_MS
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor, authenticate

WARMUP = 10
DEFAULT_SAMPLES = 200
THRESHOLD_MILLI = 5_000  # 5 units
ABOVE_MILLI = 500  # the level before a crossing sale: half a unit above the threshold
PLENTY_MILLI = 10_000_000  # 10,000 units: no sale of the run can bring it near
TRIGGERS = ("stock_alert_fire", "stock_alert_rearm", "stock_alert_threshold")


@dataclass(frozen=True, slots=True)
class StockAlertsRun:
    figures: list[Figure]
    alerts_fired: int  # alerts the crossing sales made on the triggers' copy


def _connect_raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _products(path: Path) -> list[tuple[str, str]]:
    """(product id, barcode) of the demo's stocked, priced products sold by the piece."""
    conn = sqlite3.connect(path)
    try:
        return [(str(p), str(c)) for p, c in conn.execute(
            "SELECT p.id, MIN(b.code) FROM product p JOIN barcode b ON b.product_id = p.id "
            "WHERE p.unit = 'pcs' AND p.tracks_stock AND p.active AND p.price > 0 "
            "GROUP BY p.id ORDER BY p.sku")]
    finally:
        conn.close()


def _prepare(path: Path, ids: list[str], *, triggers: bool) -> None:
    """Thresholds of 5 units and plenty of stock on the products the run sells; the
    baseline copy loses the triggers."""
    conn = _connect_raw(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        if not triggers:
            for name in TRIGGERS:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        marks = ",".join("?" * len(ids))
        conn.execute(f"UPDATE product SET low_stock_milli = ? WHERE id IN ({marks})",
                     (THRESHOLD_MILLI, *ids))
        conn.execute(f"UPDATE stock_level SET qty_milli = ? WHERE product_id IN ({marks})",
                     (PLENTY_MILLI, *ids))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _set_levels(shop: Shop, ids: tuple[str, ...], qty_milli: int) -> None:
    """Put the products' cached levels at ``qty_milli`` (outside the timed part)."""
    with shop.uow() as uow:
        for pid in ids:
            uow.conn.execute(text("UPDATE stock_level SET qty_milli = :q WHERE product_id = :p"),
                             {"q": qty_milli, "p": pid})
        uow.commit()


def _sale(codes: tuple[str, ...]) -> SaleRequest:
    return SaleRequest(tuple(LineRequest(c, 1_000) for c in codes),
                       (PaymentRequest("cash", 1_000_000),))


def _timed_sale(shop: Shop, actor: Actor, req: SaleRequest) -> float:
    began = time.perf_counter()
    with shop.uow() as uow:
        complete_sale(uow, shop.config, actor, req)
    return (time.perf_counter() - began) * 1000


def _login(shop: Shop) -> Actor:
    with shop.uow() as uow:
        actor = authenticate(uow, "Sari", "1234")
        uow.commit()
    return actor


def _raw_updates(with_path: Path, without_path: Path, ids: list[str], rng: random.Random,
                 samples: int, *, crossing: bool) -> tuple[list[float], list[float]]:
    """The three ``UPDATE stock_level`` of a sale (crossing the threshold or far above
    it), timed before the commit (µs)."""
    start = THRESHOLD_MILLI + ABOVE_MILLI if crossing else PLENTY_MILLI
    conns = {True: _connect_raw(with_path), False: _connect_raw(without_path)}
    times: dict[bool, list[float]] = {True: [], False: []}
    try:
        for i in range(WARMUP + samples):
            picks = rng.sample(ids, 3)
            order = (True, False) if i % 2 else (False, True)
            for side in order:
                conn = conns[side]
                conn.execute("BEGIN IMMEDIATE")
                for pid in picks:  # just above the threshold (re-arms any open alert)
                    conn.execute("UPDATE stock_level SET qty_milli = ? WHERE product_id = ?",
                                 (start, pid))
                began = time.perf_counter()
                for pid in picks:
                    conn.execute("UPDATE stock_level SET qty_milli = qty_milli - 1000 "
                                 "WHERE product_id = ?", (pid,))
                took = (time.perf_counter() - began) * 1_000_000
                conn.execute("COMMIT")
                if i >= WARMUP:
                    times[side].append(took)
    finally:
        for conn in conns.values():
            conn.close()
    return times[True], times[False]


def measure(work_dir: Path, *, seed: int = 1, samples: int = DEFAULT_SAMPLES,
            emit: Emit = print_figure) -> StockAlertsRun:
    base = work_dir / "stock-alerts"
    seeded, with_dir, without_dir = base / "seeded", base / "triggers", base / "no-triggers"
    shutil.rmtree(base, ignore_errors=True)
    shop = open_shop(seeded)
    seed_demo(shop)
    shop.close()
    checkpoint(db_path(seeded))
    shutil.copytree(seeded, with_dir)
    shutil.copytree(seeded, without_dir)
    products = _products(db_path(seeded))
    ids = [p for p, _ in products]
    code_of = dict(products)
    _prepare(db_path(with_dir), ids, triggers=True)
    _prepare(db_path(without_dir), ids, triggers=False)

    rng = random.Random(f"stock-alerts:{seed}")
    plans = [tuple(rng.sample(ids, 3)) for _ in range(2 * (WARMUP + samples))]
    shops = {True: open_shop(with_dir), False: open_shop(without_dir)}
    with shops[True].uow(write=False) as uow:
        before = int(uow.conn.execute(text("SELECT COUNT(*) FROM stock_alert")).scalar() or 0)
    times: dict[tuple[str, bool], list[float]] = {
        (mode, side): [] for mode in ("plain", "crossing") for side in (True, False)}
    try:
        actors = {side: _login(s) for side, s in shops.items()}
        for i, picks in enumerate(plans):
            mode = "crossing" if i % 2 else "plain"
            req = _sale(tuple(code_of[p] for p in picks))
            order = (True, False) if (i // 2) % 2 else (False, True)
            for side in order:
                shop = shops[side]
                if mode == "crossing":
                    _set_levels(shop, picks, THRESHOLD_MILLI + ABOVE_MILLI)
                took = _timed_sale(shop, actors[side], req)
                if mode == "crossing":  # back to plenty: the next plain sale crosses nothing
                    _set_levels(shop, picks, PLENTY_MILLI)
                if i // 2 >= WARMUP:
                    times[(mode, side)].append(took)
        with shops[True].uow(write=False) as uow:
            fired = int(uow.conn.execute(text(
                "SELECT COUNT(*) FROM stock_alert")).scalar() or 0) - before
    finally:
        for s in shops.values():
            s.close()
    raw = {crossing: _raw_updates(db_path(with_dir), db_path(without_dir), ids, rng,
                                  samples, crossing=crossing) for crossing in (False, True)}
    figures = []
    for mode in ("plain", "crossing"):
        on, off = times[(mode, True)], times[(mode, False)]
        name = "no_crossing" if mode == "plain" else "crossing"
        figures += [
            figure(f"stock_alerts.sale_{name}.median", "ms", median(on), baseline=median(off),
                   baseline_is="the same sale without the alert triggers", n=len(on)),
            figure(f"stock_alerts.sale_{name}.p95", "ms", percentile(on, 95),
                   baseline=percentile(off, 95), n=len(on)),
        ]
    for crossing, (raw_with, raw_without) in raw.items():
        name = "crossing" if crossing else "no_crossing"
        figures.append(figure(
            f"stock_alerts.raw_update_3_lines_{name}.median", "us", median(raw_with),
            baseline=median(raw_without), baseline_is="the same sqlite3 statements "
            "without the triggers (statement time, before COMMIT)", n=len(raw_with)))
    figures.append(figure("stock_alerts.crossing_alerts_fired", "alerts", fired,
                          expected=3 * len(times[("crossing", True)]) + 3 * WARMUP))
    for f in figures:
        emit(f)
    return StockAlertsRun(figures, fired)


__all__ = ["StockAlertsRun", "measure"]

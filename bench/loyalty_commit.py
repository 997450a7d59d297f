"""Sale commit with loyalty accrual (issue 15): a member's 3-line cash sale through the
services (the sale earns points in its own transaction: settings and tier read, the earn
row, its outbox event, the tier refreshed) vs the same rows in raw sqlite3.

Built on bench/sale_commit.py: the same two copies of a seeded demo shop, WAL with
``synchronous=FULL``, the same deterministic sales, alternated sale by sale. On both sides
the programme is on and the sale has a customer; the raw side issues the sale's SQL (as
sale_commit's raw side) plus the loyalty SQL the service issues (the settings and tier
reads, the earn row, its outbox row, the 12-month spend and the tier upsert), in the same
transaction. Target: the services' median ≤ 1.5 × the raw median (issue 15).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from app.demo import seed_demo
from app.paths import db_path
from app.shop import open_shop
from bench.generate import checkpoint
from bench.report import Emit, figure, median, percentile, print_figure
from bench.sale_commit import (
    DEFAULT_SAMPLES,
    WARMUP,
    SaleCommitRun,
    _connect_raw,
    _precompute,
    _raw_sale,
    _requests,
)
from local_db.ids import now_iso, uuid7
from local_db.store import EVENT_SCHEMA_VERSION, canonical_json
from services.loyalty_ledger import lot_expiry
from services.loyalty_settings import LoyaltySettings, read_loyalty_settings, setting_values
from services.loyalty_tiers import window_start
from services.selling import complete_sale
from services.users import authenticate

MEMBER = "0190a8f0-bbbb-7ccc-8ddd-000000000001"
TARGET_RATIO = 1.5


def _prepare(folder: Path) -> None:
    """The programme on and one member, written the same way into both copies."""
    conn = sqlite3.connect(db_path(folder))
    try:
        stamp = now_iso()
        conn.execute("INSERT INTO customer (id, name, consent_marketing, credit_limit, "
                     "created_at, updated_at) VALUES (?, 'Bu Ani', 0, 0, ?, ?)",
                     (MEMBER, stamp, stamp))
        for k, v in setting_values(LoyaltySettings(enabled=True, step=1000)).items():
            conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (k, v))
        conn.commit()
    finally:
        conn.close()


def _raw_loyalty(conn: sqlite3.Connection, *, sale_id: str, terminal_id: str, user_id: str,
                 eligible: int, stamp: str) -> None:
    """The loyalty part of the sale, as a hand-written sqlite3 till would write it (with
    the member's lookup every sale to a customer makes)."""
    conn.execute("SELECT name, credit_limit, erased_at FROM customer WHERE id = ?",
                 (MEMBER,)).fetchone()
    s = {str(k): str(v) for k, v in conn.execute(
        "SELECT key, value FROM setting WHERE key LIKE 'loyalty.%'")}
    step = int(s["loyalty.step"])
    conn.execute("SELECT tier FROM loyalty_tier WHERE customer_id = ?", (MEMBER,)).fetchone()
    zone = conn.execute("SELECT value FROM setting WHERE key = 'timezone'").fetchone()
    points = eligible // step
    row = {"id": uuid7(), "customer_id": MEMBER, "kind": "earn", "points": points,
           "spend": eligible, "value": 0, "sale_id": sale_id, "refund_id": None,
           "expires_at": lot_expiry(stamp, 12, zone[0] if zone else "Asia/Jakarta"),
           "lot_expiry": None, "terminal_id": terminal_id, "user_id": user_id,
           "approver_id": None, "reason": None, "created_at": stamp}
    conn.execute(f"INSERT INTO loyalty_entry ({', '.join(row)}) "
                 f"VALUES ({', '.join(':' + k for k in row)})", row)
    oseq = conn.execute("UPDATE counter SET value = value + 1 WHERE name = 'outbox' "
                        "RETURNING value").fetchone()[0]
    conn.execute("INSERT INTO outbox (seq, id, type, schema_version, aggregate_id, payload, "
                 "created_at, status) VALUES (?, ?, 'loyalty.recorded', ?, ?, ?, ?, 'pending')",
                 (oseq, uuid7(), EVENT_SCHEMA_VERSION, sale_id,
                  canonical_json({"entries": [row]}), stamp))
    measure_ = conn.execute(
        "SELECT COALESCE(SUM(spend), 0) FROM loyalty_entry WHERE kind IN ('earn', 'refund') "
        "AND created_at >= ? AND customer_id = ?",
        (window_start(datetime.now(UTC)), MEMBER)).fetchone()[0]
    conn.execute("INSERT INTO loyalty_tier (customer_id, tier, measure, since, updated_at) "
                 "VALUES (?, 'bronze', ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET "
                 "measure = excluded.measure, updated_at = excluded.updated_at",
                 (MEMBER, measure_, stamp, stamp))


def measure(work_dir: Path, *, seed: int = 1, samples: int = DEFAULT_SAMPLES,
            emit: Emit = print_figure) -> SaleCommitRun:
    base = work_dir / "loyalty-commit"
    services_dir, raw_dir = base / "services", base / "raw"
    shutil.rmtree(base, ignore_errors=True)
    shop = open_shop(services_dir)
    seed_demo(shop)
    shop.close()
    _prepare(services_dir)
    checkpoint(db_path(services_dir))
    shutil.copytree(services_dir, raw_dir)

    shop = open_shop(services_dir)
    raw = _connect_raw(db_path(raw_dir))
    try:
        with shop.uow() as uow:
            actor = authenticate(uow, "Sari", "1234")
            assert read_loyalty_settings(uow.conn).enabled
            uow.commit()
        config = shop.config
        store = f"{config.store_code}-{config.terminal_code}"
        reqs = [replace(r, customer_id=MEMBER) for r in _requests(shop, seed, WARMUP + samples)]
        plans = [_precompute(shop, r) for r in reqs]
        svc_times: list[float] = []
        raw_times: list[float] = []
        for i, (req, plan) in enumerate(zip(reqs, plans, strict=True)):
            eligible = sum(int(v["net"]) for v in plan.line_values)

            def run_services() -> float:
                began = time.perf_counter()
                with shop.uow() as uow:
                    complete_sale(uow, config, actor, req)
                return time.perf_counter() - began

            def run_raw() -> float:
                began = time.perf_counter()
                _raw_sale_with_points(raw, plan, eligible, terminal_id=config.terminal_id,
                                      store=store, actor_id=actor.id, actor=actor)
                return time.perf_counter() - began

            if i % 2:
                t_raw, t_svc = run_raw(), run_services()
            else:
                t_svc, t_raw = run_services(), run_raw()
            if i >= WARMUP:
                svc_times.append(t_svc * 1000)
                raw_times.append(t_raw * 1000)
        with shop.uow(write=False) as uow:
            earned = uow.conn.exec_driver_sql(
                "SELECT count(*) FROM loyalty_entry WHERE kind = 'earn'").scalar()
        assert earned == len(reqs), "every timed sale earned once"
    finally:
        raw.close()
        shop.close()
    figures = [
        figure("loyalty_commit.median", "ms", median(svc_times), baseline=median(raw_times),
               target=TARGET_RATIO, target_of="ratio", n=len(svc_times)),
        figure("loyalty_commit.p95", "ms", percentile(svc_times, 95),
               baseline=percentile(raw_times, 95), n=len(svc_times)),
    ]
    for f in figures:
        emit(f)
    return SaleCommitRun(figures, db_path(services_dir), db_path(raw_dir))


def _raw_sale_with_points(conn: sqlite3.Connection, plan: object, eligible: int, *,
                          terminal_id: str, store: str, actor_id: str, actor: object) -> None:
    """sale_commit's raw sale with the loyalty SQL inside its transaction: the raw sale
    commits itself, so its COMMIT is held back until the loyalty rows are written."""
    holder = _HoldCommit(conn)
    _raw_sale(holder, plan, terminal_id=terminal_id, store=store,  # type: ignore[arg-type]
              actor=actor)  # type: ignore[arg-type]
    stamp = now_iso()
    _raw_loyalty(conn, sale_id=holder.sale_id or uuid7(), terminal_id=terminal_id,
                 user_id=actor_id, eligible=eligible, stamp=stamp)
    conn.execute("COMMIT")


class _HoldCommit:
    """A sqlite3 connection whose COMMIT is deferred (the caller commits), and which notes
    the sale's id as it is inserted."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.sale_id: str | None = None

    def execute(self, sql: str, params: object = ()) -> sqlite3.Cursor:
        if sql == "COMMIT":
            return self._conn.cursor()
        if sql.startswith("INSERT INTO sale (") and isinstance(params, tuple):
            self.sale_id = str(params[0])
        return self._conn.execute(sql, params)  # type: ignore[arg-type]

    def executemany(self, sql: str, params: object) -> sqlite3.Cursor:
        return self._conn.executemany(sql, params)  # type: ignore[arg-type]


__all__ = ["measure"]

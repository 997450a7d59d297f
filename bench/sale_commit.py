"""Sale commit: a 3-line cash sale through the services vs the same rows in raw sqlite3.

Two copies of one freshly seeded demo shop, both WAL with ``synchronous=FULL``, foreign
keys on: one takes sales through :func:`services.selling.complete_sale` (a unit of work per
sale, as the till does), the other gets the same rows from plain ``sqlite3``.

The raw side issues the same SQL the service does, reads included (open shift, the three
barcode lookups, the counters with ``RETURNING``, the last audit hash) and the same writes
(sale, 3 sale_line, payment, 3 stock_movement, 3 stock_level updates, journal lines and the
entry, audit record, outbox row). Only the arithmetic (prices, PPN split, change) is
computed before the clock starts: it is a few microseconds of pure code whichever side does
it. Both sides alternate sale by sale, so a noisy neighbour on the machine hits both alike.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.demo import seed_demo
from app.paths import db_path
from app.shop import Shop, open_shop
from bench.generate import checkpoint
from bench.report import Emit, Figure, figure, median, percentile, print_figure
from local_db.engine import BUSY_TIMEOUT_MS
from local_db.ids import now_iso, uuid7
from local_db.store import (
    EVENT_SCHEMA_VERSION,
    GENESIS_HASH,
    AuditFields,
    audit_hash,
    canonical_json,
)
from services import accounts as acc
from services.cart import price_cart
from services.selling import (
    LineRequest,
    PaymentRequest,
    SaleRequest,
    build_cart,
    complete_sale,
)
from services.tender import TenderInput, settle
from services.users import Actor, authenticate

WARMUP = 20
DEFAULT_SAMPLES = 500


@dataclass(frozen=True, slots=True)
class SaleCommitRun:
    figures: list[Figure]
    services_db: Path
    raw_db: Path


def _connect_raw(path: Path) -> sqlite3.Connection:
    # The same pragmas as local_db.engine gives the shop's writer.
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _requests(shop: Shop, seed: int, n: int) -> list[SaleRequest]:
    """``n`` deterministic 3-line cash sales of demo products scanned by barcode."""
    conn = sqlite3.connect(db_path(shop.folder))
    try:
        rows = conn.execute(
            "SELECT MIN(b.code), p.price FROM product p JOIN barcode b ON b.product_id = p.id "
            "WHERE p.unit = 'pcs' AND p.tracks_stock AND p.active AND p.price > 0 "
            "GROUP BY p.id ORDER BY p.sku").fetchall()
    finally:
        conn.close()
    rng = random.Random(f"sale-commit:{seed}")
    out = []
    for _ in range(n):
        picks = rng.sample(rows, 3)
        lines = tuple(LineRequest(str(code), rng.choice((1_000, 1_000, 2_000)))
                      for code, _ in picks)
        # A note well above any 3-line demo total: cash with change, the common case.
        out.append(SaleRequest(lines, (PaymentRequest("cash", 1_000_000),)))
    return out


@dataclass(frozen=True, slots=True)
class _RawSale:
    codes: tuple[str, ...]
    line_values: list[dict[str, Any]]  # without ids, sale id, product id
    sale_values: dict[str, Any]
    pay: dict[str, Any]
    journal: list[tuple[str, int, int]]


def _precompute(shop: Shop, req: SaleRequest) -> _RawSale:
    """The arithmetic of one sale (prices, PPN split, tender), done by the value code."""
    config = shop.config
    with shop.uow(write=False) as uow:
        cart = build_cart(uow.conn, req)
    priced = price_cart(cart, config.tax_rules, pkp=config.pkp)
    tender = settle(priced.total, [TenderInput(p.method, p.amount) for p in req.payments],
                    rounding_unit=config.rounding_unit, rounding_mode=config.rounding_mode)
    lines = [{
        "line_no": n, "sku": p.line.item.sku, "name": p.line.item.name,
        "unit": p.line.item.unit, "qty_milli": p.line.qty_milli,
        "list_price": p.line.item.unit_price, "unit_price": p.line.unit_price,
        "line_discount": p.line_discount, "order_discount": p.order_discount,
        "gross": p.gross, "net": p.net, "tax": p.tax, "cost": p.cost,
        "tax_class": p.line.item.tax_class, "unit_cost": p.line.item.unit_cost,
    } for n, p in enumerate(priced.lines, start=1)]
    (paid,) = tender.payments
    journal = [(acc.account_for_method(paid.method), paid.amount, 0),
               (acc.REVENUE, 0, priced.net_total), (acc.PPN_PAYABLE, 0, priced.tax_total)]
    if tender.rounding > 0:
        journal.append((acc.ROUNDING, 0, tender.rounding))
    elif tender.rounding < 0:
        journal.append((acc.ROUNDING, -tender.rounding, 0))
    cost = sum(p.cost for p in priced.lines)
    if cost:
        journal += [(acc.COGS, cost, 0), (acc.INVENTORY, 0, cost)]
    return _RawSale(
        codes=tuple(line.code for line in req.lines), line_values=lines,
        sale_values={"subtotal": priced.subtotal, "discount_total": priced.discount_total,
                     "net_total": priced.net_total, "tax_total": priced.tax_total,
                     "total": priced.total, "rounding": tender.rounding,
                     "payable": tender.payable, "change": tender.change},
        pay={"method": paid.method, "amount": paid.amount, "tendered": paid.tendered,
             "change": paid.change},
        journal=[j for j in journal if j[1] or j[2]])


_LOOKUP = ("SELECT p.id, p.sku, p.name, p.unit, p.price, p.cost, p.tax_class, p.tracks_stock "
           "FROM barcode b JOIN product p ON p.id = b.product_id WHERE b.code = ? AND p.active")


def _raw_sale(conn: sqlite3.Connection, s: _RawSale, *, terminal_id: str, store: str,
              actor: Actor) -> None:
    """One sale's rows, written the way a hand-written sqlite3 till would write them."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        shift_id = conn.execute("SELECT id FROM shift WHERE terminal_id = ? AND status = 'open'",
                                (terminal_id,)).fetchone()[0]
        product_ids = [conn.execute(_LOOKUP, (code,)).fetchone()[0] for code in s.codes]
        stamp = now_iso()
        sale_id = uuid7()
        seq = conn.execute("UPDATE counter SET value = value + 1 WHERE name = 'receipt' "
                           "RETURNING value").fetchone()[0]
        receipt_no = f"{store}-{seq:06d}"
        v = s.sale_values
        conn.execute(
            "INSERT INTO sale (id, seq, receipt_no, terminal_id, shift_id, cashier_id, "
            "customer_id, created_at, subtotal, discount_total, net_total, tax_total, total, "
            "rounding, payable, change, status) VALUES (?,?,?,?,?,?,NULL,?,?,?,?,?,?,?,?,?,"
            "'completed')",
            (sale_id, seq, receipt_no, terminal_id, shift_id, actor.id, stamp, v["subtotal"],
             v["discount_total"], v["net_total"], v["tax_total"], v["total"], v["rounding"],
             v["payable"], v["change"]))
        line_rows = [{"id": uuid7(), "sale_id": sale_id, "product_id": pid, **lv}
                     for pid, lv in zip(product_ids, s.line_values, strict=True)]
        conn.executemany(
            "INSERT INTO sale_line (id, sale_id, line_no, product_id, sku, name, unit, "
            "qty_milli, list_price, unit_price, line_discount, order_discount, gross, net, "
            "tax, cost, tax_class) VALUES (:id, :sale_id, :line_no, :product_id, :sku, :name, "
            ":unit, :qty_milli, :list_price, :unit_price, :line_discount, :order_discount, "
            ":gross, :net, :tax, :cost, :tax_class)", line_rows)
        pay_row = {"id": uuid7(), "sale_id": sale_id, **s.pay, "status": "settled",
                   "provider_ref": None}
        conn.execute("INSERT INTO payment (id, sale_id, method, amount, tendered, change, "
                     "status, provider_ref) VALUES (:id, :sale_id, :method, :amount, "
                     ":tendered, :change, :status, :provider_ref)", pay_row)
        moves = [(uuid7(), r["product_id"], -r["qty_milli"], sale_id, r["unit_cost"], actor.id,
                  stamp) for r in line_rows]
        conn.executemany("INSERT INTO stock_movement (id, product_id, qty_milli, kind, ref_id, "
                         "unit_cost, reason, supplier, user_id, created_at) "
                         "VALUES (?, ?, ?, 'sale', ?, ?, NULL, NULL, ?, ?)", moves)
        for m in moves:
            conn.execute("UPDATE stock_level SET qty_milli = qty_milli + ? WHERE product_id = ? "
                         "RETURNING qty_milli", (m[2], m[1])).fetchone()
        entry_id = uuid7()
        conn.executemany("INSERT INTO journal_line (entry_id, account_code, debit, credit) "
                         "VALUES (?, ?, ?, ?)", [(entry_id, a, d, c) for a, d, c in s.journal])
        conn.execute("INSERT INTO journal_entry (id, kind, ref_id, memo, created_at) "
                     "VALUES (?, 'sale', ?, ?, ?)", (entry_id, sale_id, receipt_no, stamp))
        last = conn.execute(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        aseq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        af = AuditFields(aseq, uuid7(), stamp, "sale.complete", actor.id, None, "sale",
                         sale_id, canonical_json({"receipt_no": receipt_no,
                                                  "payable": v["payable"]}))
        conn.execute("INSERT INTO audit_log (seq, id, created_at, action, actor_id, approver_id, "
                     "entity, entity_id, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     (af.seq, af.id, af.created_at, af.action, af.actor_id, af.approver_id,
                      af.entity, af.entity_id, af.details, prev, audit_hash(prev, af)))
        oseq = conn.execute("UPDATE counter SET value = value + 1 WHERE name = 'outbox' "
                            "RETURNING value").fetchone()[0]
        payload = {"sale": {"id": sale_id, "seq": seq, "receipt_no": receipt_no,
                            "terminal_id": terminal_id, "shift_id": shift_id,
                            "cashier_id": actor.id, "customer_id": None, "created_at": stamp,
                            **v},
                   "lines": line_rows, "payments": [pay_row],
                   "stock_movements": [{"id": m[0], "product_id": m[1], "qty_milli": m[2]}
                                       for m in moves],
                   "journal_entry_id": entry_id}
        conn.execute("INSERT INTO outbox (seq, id, type, schema_version, aggregate_id, payload, "
                     "created_at, status) VALUES (?, ?, 'sale.completed', ?, ?, ?, ?, 'pending')",
                     (oseq, uuid7(), EVENT_SCHEMA_VERSION, sale_id, canonical_json(payload),
                      stamp))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def measure(work_dir: Path, *, seed: int = 1, samples: int = DEFAULT_SAMPLES,
            emit: Emit = print_figure) -> SaleCommitRun:
    base = work_dir / "sale-commit"
    services_dir, raw_dir = base / "services", base / "raw"
    shutil.rmtree(base, ignore_errors=True)
    shop = open_shop(services_dir)
    seed_demo(shop)
    shop.close()
    checkpoint(db_path(services_dir))
    shutil.copytree(services_dir, raw_dir)

    shop = open_shop(services_dir)  # synchronous=FULL, as a shop runs
    raw = _connect_raw(db_path(raw_dir))
    try:
        with shop.uow() as uow:
            actor = authenticate(uow, "Sari", "1234")
            uow.commit()
        config = shop.config
        store = f"{config.store_code}-{config.terminal_code}"
        reqs = _requests(shop, seed, WARMUP + samples)
        plans = [_precompute(shop, r) for r in reqs]
        svc_times: list[float] = []
        raw_times: list[float] = []
        for i, (req, plan) in enumerate(zip(reqs, plans, strict=True)):
            def run_services() -> float:
                began = time.perf_counter()
                with shop.uow() as uow:
                    complete_sale(uow, config, actor, req)
                return time.perf_counter() - began

            def run_raw() -> float:
                began = time.perf_counter()
                _raw_sale(raw, plan, terminal_id=config.terminal_id, store=store, actor=actor)
                return time.perf_counter() - began

            # Alternate which side goes first, so neither always follows the other's fsync.
            if i % 2:
                t_raw, t_svc = run_raw(), run_services()
            else:
                t_svc, t_raw = run_services(), run_raw()
            if i >= WARMUP:
                svc_times.append(t_svc * 1000)
                raw_times.append(t_raw * 1000)
    finally:
        raw.close()
        shop.close()
    figures = [
        figure("sale_commit.median", "ms", median(svc_times), baseline=median(raw_times),
               target=2.0, target_of="ratio", n=len(svc_times)),
        figure("sale_commit.p95", "ms", percentile(svc_times, 95),
               baseline=percentile(raw_times, 95), n=len(svc_times)),
    ]
    for f in figures:
        emit(f)
    return SaleCommitRun(figures, db_path(services_dir), db_path(raw_dir))


__all__ = ["measure", "SaleCommitRun"]

"""Push catch-up: N queued sales pushed into a fresh central, beside raw psycopg executemany.

A demo shop is enrolled into a fresh central database (random name, initialised with
:mod:`sync.central.admin`, dropped at the end with the roles it made). Its demo events are
pushed first, untimed, so the timed push is the sales alone; the central database is then
cloned (``CREATE DATABASE ... TEMPLATE``) into the baseline's database, so both start from
the same catalogue, tenant, store and terminal rows.

N sales of 3 lines, paid cash, are made through the real :func:`complete_sale` (committed
``SALE_BATCH`` at a time, as :mod:`bench.generate` does), then timed:

- **push**: :func:`sync.push.push_once` as the terminal's own role (RLS, clone guard,
  per-batch transaction, local outbox marking included);
- **raw**: the very rows the push wrote (events, sales, lines, payments, stock movements,
  journal entries and lines), read back from central and inserted into the clone with one
  psycopg ``executemany`` per table in one transaction, as the superuser (no RLS: the
  cheapest way those rows can go in, which is what the baseline is for).

Both are reported in rows/s; ratio = push rate / raw rate, target at least 0.25.
"""

from __future__ import annotations

import os
import random
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import conninfo, sql
from psycopg.types.json import Jsonb

from app.demo import seed_demo
from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.paths import db_path
from app.secrets import secret_store_for
from app.shop import Shop, open_shop
from bench.generate import SALE_BATCH, BatchUnitOfWork
from bench.report import Emit, Figure, print_figure
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import authenticate
from sync.central import admin
from sync.push import CentralLink, push_once

DEFAULT_SALES = 20_000
TARGET_RATIO = 0.25
SUPERUSER_DSN = os.environ.get("WARUNGIN_BENCH_PG_DSN",
                               "host=127.0.0.1 port=5432 user=postgres dbname=postgres")

# Table -> its key columns, in the order the push writes them (parents before children).
TABLES: dict[str, tuple[str, ...]] = {
    "event": ("event_id",),
    "sale": ("tenant_id", "id"),
    "sale_line": ("tenant_id", "id"),
    "payment": ("tenant_id", "id"),
    "stock_movement": ("tenant_id", "id"),
    "journal_entry": ("tenant_id", "id"),
    "journal_line": ("tenant_id", "entry_id", "line_no"),
}


def _with_db(dsn: str, dbname: str) -> str:
    params = conninfo.conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return conninfo.make_conninfo("", **params)


@contextmanager
def _central(superuser_dsn: str) -> Iterator[tuple[psycopg.Connection[Any], str, str]]:
    """(superuser connection, push database name, baseline database name); both databases
    and the roles ``central init`` made are dropped on the way out, whatever happened."""
    su = psycopg.connect(superuser_dsn, autocommit=True, connect_timeout=5)
    stem = f"wgbench_{secrets.token_hex(4)}"
    push_db, raw_db = f"{stem}_push", f"{stem}_raw"
    prefix = ""
    try:
        su.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(push_db)))
        prefix = admin.init(_with_db(superuser_dsn, push_db)).role_prefix
        yield su, push_db, raw_db
    finally:
        for name in (raw_db, push_db):
            su.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
        if prefix:
            roles = [r for (r,) in su.execute(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)",
                (prefix + "_",))]
            # Login roles first: they are members of the group roles.
            roles.sort(key=lambda r: r.endswith(("_owner", "_terminal", "_reader")))
            for role in roles:
                su.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        su.close()


def _requests(shop: Shop, seed: int, n: int) -> list[SaleRequest]:
    """``n`` deterministic 3-line cash sales of demo products scanned by barcode."""
    conn = sqlite3.connect(db_path(shop.folder))
    try:
        codes = [str(c) for (c,) in conn.execute(
            "SELECT MIN(b.code) FROM product p JOIN barcode b ON b.product_id = p.id "
            "WHERE p.unit = 'pcs' AND p.tracks_stock AND p.active AND p.price > 0 "
            "GROUP BY p.id ORDER BY p.sku")]
    finally:
        conn.close()
    rng = random.Random(f"push:{seed}")
    # A note well above any 3-line demo total: cash with change, the common case.
    return [SaleRequest(tuple(LineRequest(c, rng.choice((1_000, 1_000, 2_000)))
                              for c in rng.sample(codes, 3)),
                        (PaymentRequest("cash", 1_000_000),)) for _ in range(n)]


def _make_sales(shop: Shop, reqs: list[SaleRequest]) -> None:
    with shop.uow() as uow:
        cashier = authenticate(uow, "Sari", "1234")
        uow.commit()
    for start in range(0, len(reqs), SALE_BATCH):
        with BatchUnitOfWork(shop.db) as uow:
            for req in reqs[start:start + SALE_BATCH]:
                complete_sale(uow, shop.config, cashier, req)
            uow.flush()


def _rows(conn: psycopg.Connection[Any], tenant_id: str
          ) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every row of the measured tables for the tenant: table -> (columns, rows)."""
    out: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    for table in TABLES:
        cur = conn.execute(sql.SQL("SELECT * FROM central.{} WHERE tenant_id = %s").format(
            sql.Identifier(table)), (tenant_id,))
        cols = [d.name for d in cur.description or []]
        # jsonb comes back as Python objects; Jsonb sends them back as jsonb.
        out[table] = (cols, [tuple(Jsonb(v) if isinstance(v, (dict, list)) else v for v in r)
                             for r in cur])
    return out


def _new_rows(after: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
              before: dict[str, tuple[list[str], list[tuple[Any, ...]]]]
              ) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The rows the timed push added: in ``after`` but not, by key, in ``before``."""
    out = {}
    for table, keys in TABLES.items():
        cols, rows = after[table]
        idx = [cols.index(k) for k in keys]
        old = {tuple(r[i] for i in idx) for r in before[table][1]}
        out[table] = (cols, [r for r in rows if tuple(r[i] for i in idx) not in old])
    return out


def _raw_insert(dsn: str, rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> float:
    with psycopg.connect(dsn) as conn:
        began = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            for table, (cols, values) in rows.items():
                if not values:
                    continue
                stmt = sql.SQL("INSERT INTO central.{} ({}) VALUES ({})").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, cols)),
                    sql.SQL(", ").join(sql.Placeholder() * len(cols)))
                cur.executemany(stmt, values)
        return time.perf_counter() - began


def measure(work_dir: Path, *, seed: int = 1, sales: int = DEFAULT_SALES,
            emit: Emit = print_figure, superuser_dsn: str = SUPERUSER_DSN) -> list[Figure]:
    folder = work_dir / "push" / "shop"
    shutil.rmtree(folder.parent, ignore_errors=True)
    with _central(superuser_dsn) as (su, push_name, raw_name):
        push_dsn = _with_db(superuser_dsn, push_name)
        tenant = admin.add_tenant(push_dsn, "Toko Benchmark")
        store = admin.add_store(push_dsn, tenant.tenant_id, "S1", "Toko Benchmark pusat")
        terminal = admin.add_terminal(push_dsn, tenant.tenant_id, store.store_id, "T01")
        shop = open_shop(folder)
        try:
            seed_demo(shop)
            enroll(shop, terminal.enrolment_code)
            creds = central_credentials(shop)
            install_id = secret_store_for(shop).get(INSTALL_ID_SECRET)
            assert install_id is not None
            link = CentralLink(creds.dsn, creds.password, install_id)
            push_once(shop.db, link)  # the demo's own events: not part of the figure
            # The baseline's database: the same central, catalogue and terminal, no sales.
            su.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(raw_name), sql.Identifier(push_name)))
            _make_sales(shop, _requests(shop, seed, sales))
            with psycopg.connect(push_dsn) as conn:
                before = _rows(conn, tenant.tenant_id)
            report = push_once(shop.db, link)
        finally:
            shop.close()
        with psycopg.connect(push_dsn) as conn:
            pushed = _new_rows(_rows(conn, tenant.tenant_id), before)
        raw_seconds = _raw_insert(_with_db(superuser_dsn, raw_name), pushed)
    n_rows = sum(len(v) for _, v in pushed.values())
    push_rate = n_rows / report.seconds if report.seconds else 0.0
    raw_rate = n_rows / raw_seconds if raw_seconds else 0.0
    ratio = push_rate / raw_rate if raw_rate else 0.0
    # bench.report.figure() bounds a target from above (times); this one is a floor.
    figures: list[Figure] = [
        {"name": "push.catch_up", "unit": "rows/s", "value": round(push_rate, 1),
         "baseline": round(raw_rate, 1), "ratio": round(ratio, 3), "target": TARGET_RATIO,
         "target_of": "ratio", "target_is": "minimum", "ok": ratio >= TARGET_RATIO,
         "sales": sales, "events": report.sent, "quarantined": report.quarantined,
         "batches": report.batches, "rows": {t: len(v) for t, (_, v) in pushed.items()},
         "baseline_method": "raw psycopg executemany, one per table, one transaction, as "
                            "the PostgreSQL superuser (RLS bypassed) into a clone of central"},
        {"name": "push.catch_up.seconds", "unit": "s", "value": round(report.seconds, 3),
         "baseline": round(raw_seconds, 3), "events": report.sent},
    ]
    for f in figures:
        emit(f)
    return figures


__all__ = ["DEFAULT_SALES", "measure"]

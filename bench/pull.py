"""Pull of a large catalogue: N products made at central, pulled into an empty terminal.

A fresh central database (random name, initialised with :mod:`sync.central.admin`, dropped at
the end with the roles it made) gets a tenant, a store and one terminal. N products of
:func:`bench.generate.generate_products` (seeded: names, categories, prices, costs, tax
classes and barcodes, about 5% with a second barcode) are written at central by the
administrator in one transaction, the way catalogue edits made at central arrive: rows in
``category``, ``product``, ``product_price`` (the price history) and ``barcode``, each
logged by central's ``log_change`` triggers for the pull cursor; then ANALYZEd, as
autovacuum does within a minute of such a load (untimed).

An empty till (no demo data) is enrolled as the terminal, then timed:

- **pull**: :func:`sync.pull.pull_once` as the terminal's own role (RLS, the commit-order
  cursor, pages each applied with their cursor in one local transaction, the FTS5 product
  search index kept by the local triggers);
- **raw**: the same rows read with one plain psycopg ``SELECT`` per table as the PostgreSQL
  superuser, then written with one sqlite3 ``executemany`` per table in one transaction
  into the same tables (same triggers and FTS index) of another empty till.

Both print the seconds; the target is the pull alone, at most 10 s for 100,000 products.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
import uuid
from pathlib import Path

import psycopg

from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.paths import db_path
from app.secrets import secret_store_for
from app.shop import Shop, open_shop
from bench.generate import generate_products
from bench.push import SUPERUSER_DSN, _central, _with_db
from bench.report import Emit, Figure, print_figure
from local_db.ids import now_iso, uuid7
from local_db.store import write_settings
from sync.central import admin
from sync.pull import pull_once
from sync.push import CentralLink

DEFAULT_PRODUCTS = 100_000
TARGET_SECONDS = 10.0
SETTLE_SECONDS = 120.0


def _load_catalogue(dsn: str, tenant_id: str, products: int, seed: int) -> dict[str, int]:
    """Write the catalogue at central as the administrator (one transaction, COPY: the
    triggers still log every row). Returns the row counts."""
    items = generate_products(seed, products)
    # uuid5 of the seed and SKU: the same seed gives the same ids, run after run.
    ns = uuid.uuid5(uuid.NAMESPACE_URL, f"warungin-bench-pull:{seed}")
    categories = {name: str(uuid.uuid5(ns, f"category:{name}"))
                  for name in sorted({p.category for p in items if p.category})}
    stamp = now_iso()
    counts = {"category": len(categories), "product": len(items), "product_price": len(items),
              "barcode": sum(len(p.barcodes) for p in items)}
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy("COPY central.category (tenant_id, id, name) FROM STDIN") as cp:
            for name, cat_id in categories.items():
                cp.write_row((tenant_id, cat_id, name))
        ids = [str(uuid.uuid5(ns, f"product:{p.sku}")) for p in items]
        with cur.copy("COPY central.product (tenant_id, id, sku, name, category_id, unit, "
                      "price, cost, tax_class, tracks_stock, low_stock_milli, active, "
                      "updated_at) FROM STDIN") as cp:
            for pid, p in zip(ids, items, strict=True):
                cp.write_row((tenant_id, pid, p.sku, p.name,
                              categories.get(p.category) if p.category else None, p.unit,
                              p.price, p.cost, p.tax_class, p.tracks_stock, p.low_stock_milli,
                              True, stamp))
        with cur.copy("COPY central.product_price (tenant_id, id, product_id, price, cost) "
                      "FROM STDIN") as cp:
            for pid, p in zip(ids, items, strict=True):
                cp.write_row((tenant_id, str(uuid.uuid5(ns, f"price:{p.sku}")), pid, p.price,
                              p.cost))
        with cur.copy("COPY central.barcode (tenant_id, code, product_id) FROM STDIN") as cp:
            for pid, p in zip(ids, items, strict=True):
                for code in p.barcodes:
                    cp.write_row((tenant_id, code, pid))
    with psycopg.connect(dsn, autocommit=True) as conn:
        # What autovacuum does within a minute of a bulk load (and an administrator right
        # after one): without statistics the planner takes the 300,000 new rows for a
        # few hundred and sorts or hashes whole tables for every page.
        for table in ("category", "product", "product_price", "barcode", "change_log"):
            conn.execute(f"ANALYZE central.{table}")
    return counts


def _settle(dsn: str, timeout_s: float = SETTLE_SECONDS) -> None:
    """Wait until every transaction that began before now has ended: the pull only moves
    over settled change_log rows, and another session's open transaction on the same
    server would hold the horizon back (the pull would be legitimately short)."""
    with psycopg.connect(dsn, autocommit=True) as c:
        (mark,) = c.execute("SELECT pg_current_xact_id()::text").fetchone() or ("0",)
        deadline = time.monotonic() + timeout_s
        while not (c.execute("SELECT central.pull_horizon() > %s::xid8", (mark,))
                   .fetchone() or (False,))[0]:
            if time.monotonic() > deadline:
                raise RuntimeError("a transaction on the PostgreSQL server stays open; the "
                                   "pull benchmark cannot start")
            time.sleep(0.05)


def _empty_till(folder: Path) -> Shop:
    """A till set up with its store and terminal settings and nothing else: no users, no
    catalogue, no sales (tax classes and the FTS triggers come with the local schema).
    Marked as a throwaway demo shop so its secrets need no desktop keyring."""
    shop = open_shop(folder)
    with shop.uow() as uow:
        write_settings(uow.conn, {
            "shop_mode": "demo", "store_code": "S1", "store_name": "Toko Katalog Besar", "terminal_code": "T01",
            "terminal_id": uuid7(), "tenant_id": uuid7(), "rounding_unit": "100",
            "rounding_mode": "nearest", "timezone": "Asia/Jakarta", "language": "id"})
        uow.commit()
    shop.reload()
    return shop


def _local_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("category", "product", "barcode", "product_fts")}
    finally:
        conn.close()


def _raw(dsn: str, tenant_id: str, folder: Path) -> tuple[float, float]:
    """(seconds reading central, seconds writing the local tables) for the same rows."""
    _empty_till(folder).close()
    began = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        cats = conn.execute("SELECT id::text, name FROM central.category WHERE tenant_id = %s "
                            "AND deleted_at IS NULL", (tenant_id,)).fetchall()
        prods = conn.execute(
            "SELECT id::text, sku, name, category_id::text, unit, price, cost, tax_class, "
            "tracks_stock, low_stock_milli, active, updated_at FROM central.product "
            "WHERE tenant_id = %s AND deleted_at IS NULL", (tenant_id,)).fetchall()
        codes = conn.execute("SELECT code, product_id::text FROM central.barcode "
                             "WHERE tenant_id = %s AND deleted_at IS NULL",
                             (tenant_id,)).fetchall()
    read = time.perf_counter() - began
    began = time.perf_counter()
    local = sqlite3.connect(db_path(folder), isolation_level=None)
    try:
        local.execute("PRAGMA synchronous = FULL")
        local.execute("PRAGMA foreign_keys = ON")
        local.execute("BEGIN IMMEDIATE")
        local.executemany("INSERT INTO category (id, name) VALUES (?, ?)", cats)
        local.executemany(
            "INSERT INTO product (id, sku, name, category_id, unit, price, cost, tax_class, "
            "tracks_stock, low_stock_milli, active, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r[:11], r[11].isoformat()) for r in prods])
        local.executemany("INSERT INTO barcode (code, product_id) VALUES (?, ?)", codes)
        local.execute("COMMIT")
    finally:
        local.close()
    return read, time.perf_counter() - began


def measure(work_dir: Path, *, seed: int = 1, products: int = DEFAULT_PRODUCTS,
            emit: Emit = print_figure, superuser_dsn: str = SUPERUSER_DSN) -> list[Figure]:
    root = work_dir / "pull"
    shutil.rmtree(root, ignore_errors=True)
    with _central(superuser_dsn) as (_su, central_name, _unused):
        dsn = _with_db(superuser_dsn, central_name)
        tenant = admin.add_tenant(dsn, "Toko Katalog Besar")
        store = admin.add_store(dsn, tenant.tenant_id, "S1", "Toko Katalog Besar pusat")
        terminal = admin.add_terminal(dsn, tenant.tenant_id, store.store_id, "T01")
        central_rows = _load_catalogue(dsn, tenant.tenant_id, products, seed)
        shop = _empty_till(root / "shop")
        try:
            enroll(shop, terminal.enrolment_code)
            creds = central_credentials(shop)
            install_id = secret_store_for(shop).get(INSTALL_ID_SECRET)
            assert install_id is not None
            link = CentralLink(creds.dsn, creds.password, install_id)
            _settle(dsn)
            report = pull_once(shop.db, link)
        finally:
            shop.close()
        local_rows = _local_counts(db_path(root / "shop"))
        raw_read, raw_write = _raw(dsn, tenant.tenant_id, root / "raw")
        raw_rows = _local_counts(db_path(root / "raw"))
    raw_seconds = raw_read + raw_write
    complete = local_rows == raw_rows and local_rows["product"] == products
    figures: list[Figure] = [
        {"name": "pull.catalogue", "unit": "s", "value": report.seconds,
         "baseline": round(raw_seconds, 3),
         "ratio": round(report.seconds / raw_seconds, 2) if raw_seconds else 0.0,
         "target": TARGET_SECONDS, "target_of": "value",
         "ok": report.seconds <= TARGET_SECONDS and complete, "complete": complete,
         "products": products, "pages": report.pages, "changes": report.changes,
         "applied": report.applied, "history_only": report.history_only,
         "central_rows": central_rows, "local_rows": local_rows,
         "baseline_read_s": round(raw_read, 3), "baseline_write_s": round(raw_write, 3),
         "baseline_method": "raw psycopg SELECT of the same rows as the PostgreSQL superuser "
                            "+ raw sqlite3 executemany into the same tables of an empty "
                            "till, one transaction"},
    ]
    for f in figures:
        emit(f)
    return figures


__all__ = ["DEFAULT_PRODUCTS", "measure"]

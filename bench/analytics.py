"""Analytics over a year of sales: each query of :mod:`services.analytics` on about
1,000,000 sale lines, on the till's SQLite and on the central PostgreSQL, each beside a
hand-written SQL baseline computing the same figures in the same run.

The shop is the cold-start data set of :mod:`bench.generate` (100,000 products, 352,500
sales made by ``complete_sale``, ~1,000,000 lines), copied once to
``<work>/analytics-shop`` and spread over a year: the generator stamps every sale with
the few minutes it took to make them, so :func:`prepare_shop` rewrites ``sale.created_at``
(sale is not an append-only table) to 06:00-22:00 WIB of the 365 days ending
30-11-2026, the last 30,000 sales in November 2026 (the month the PDF benchmark prints),
and names one of 2,000 customers on 3 sales in 10.

Central: a fresh database made the way the push benchmark makes one
(``bench.push._central``: ``central init``, a tenant, a store, a terminal); the shop's
users, sales and sale lines are copied in with ``COPY`` as the superuser (the push itself
would take most of an hour for 4 million rows, and it is measured by ``push``), then
``ANALYZE``. Both sides read as the tenant's owner role (row-level security on), and the
figures are checked equal before the times count.

Speed comes from the per-day sales summaries (migrations 0004 and c0007), kept by
triggers; :func:`prepare_shop` rebuilds the till's after its rewrite of
``sale.created_at`` (which marks them stale); central's triggers sleep during the COPY
and the rebuild makes its summaries. Each rebuild's time (the recovery path) goes to
stderr. The baselines stay the hand-written SQL over the raw rows, so ratios below 1 are the gain.

Figures: ``analytics.<query>.sqlite`` and ``analytics.<query>.postgres`` over the whole
year (every sale line), and ``....month`` over November (30,000 sales, the period a
dashboard shows), median of ``samples`` runs in ms, the baseline's median beside, target
300 ms.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from app.paths import db_path
from bench.generate import build_dataset, checkpoint
from bench.report import Emit, Figure, figure, print_figure
from local_db import sales_summary
from services import analytics as A
from services.reports.source import ReportSource, local_source
from services.reports.values import Period

DEFAULT_SALES = 352_500  # the cold-start data set: ~1,000,000 sale lines
DEFAULT_SAMPLES = 3
TARGET_MS = 300
YEAR = Period(date(2025, 12, 1), date(2026, 12, 1))
MONTH = Period(date(2026, 11, 1), date(2026, 12, 1))
MONTH_SALES = 30_000
CUSTOMERS = 2_000
PREPARED_VERSION = 3  # 3: with the sales summaries (migration 0004) rebuilt
ZONE = "Asia/Jakarta"
OFFSET = "+420 minutes"  # WIB, for the hand-written SQLite baseline

# --- the shop, spread over a year ------------------------------------------------------

_SPREAD = """
UPDATE sale SET created_at = strftime('%Y-%m-%dT%H:%M:%f',
    julianday(:first) + (CASE WHEN seq > :n - :month
                              THEN 335 + ((seq - (:n - :month) - 1) * 30) / :month
                              ELSE ((seq - 1) * 335) / (:n - :month) END)
    - 7.0 / 24 + 6.0 / 24 + (seq % 960) / 60.0 / 24) || '000+00:00'
"""


def prepare_shop(work_dir: Path, *, seed: int = 1, products: int = 100_000,
                 sales: int = DEFAULT_SALES) -> Path:
    """The analytics shop's folder (made once, then reused): see the module doc."""
    data = build_dataset(work_dir, seed=seed, products=products, sales=sales)
    folder = work_dir / f"analytics-shop-v{PREPARED_VERSION}-seed{seed}-p{products}-s{sales}"
    marker = folder / "prepared.json"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(data.folder, folder)
    (folder / "ready.json").unlink(missing_ok=True)
    conn = sqlite3.connect(db_path(folder))
    try:
        n = int(conn.execute("SELECT max(seq) FROM sale").fetchone()[0] or 0)
        month = min(MONTH_SALES, max(1, n // 2))
        conn.execute("BEGIN")
        conn.execute(_SPREAD, {"first": YEAR.start.isoformat(), "n": n, "month": month})
        stamp = "2025-11-01T00:00:00.000000+00:00"
        conn.executemany(
            "INSERT INTO customer (id, name, consent_marketing, credit_limit, created_at, "
            "updated_at) VALUES (?, ?, 0, 0, ?, ?)",
            [(_customer_id(i), f"Pelanggan {i}", stamp, stamp) for i in range(CUSTOMERS)])
        conn.execute("CREATE TEMP TABLE bench_customer (n INTEGER PRIMARY KEY, id TEXT)")
        conn.executemany("INSERT INTO bench_customer VALUES (?, ?)",
                         [(i, _customer_id(i)) for i in range(CUSTOMERS)])
        conn.execute("UPDATE sale SET customer_id = (SELECT id FROM bench_customer "
                     f"WHERE n = (sale.seq * 7919) % {CUSTOMERS}) WHERE seq % 10 < 3")
        conn.execute("COMMIT")
    finally:
        conn.close()
    summaries_rebuilt(db_path(folder))
    checkpoint(db_path(folder))
    marker.write_text(json.dumps({"sales": n, "month_sales": month}), "utf-8")
    return folder


def summaries_rebuilt(db: Path) -> float:
    """Rebuild the sales summaries after the rewrite of ``sale.created_at`` (which marked
    them stale), creating them first in a shop cached before migration 0004 filled them
    in; returns the rebuild's seconds (printed: the recovery path's cost)."""
    engine = create_engine(f"sqlite:///{db}", poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if sales_summary.state(conn) is None or not conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sales_summary_sale'").first():
                sales_summary.drop(conn)
                sales_summary.create(conn)
            began = time.perf_counter()
            sales_summary.rebuild(conn)
            took = time.perf_counter() - began
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return took


def _customer_id(i: int) -> str:
    return f"00000000-0000-7000-8000-{i:012d}"


# --- the measured calls ----------------------------------------------------------------

Query = Callable[[Connection, Period, ReportSource], Any]

QUERIES: dict[str, Query] = {
    "revenue": lambda c, p, s: A.revenue_trend(c, p, source=s),
    "heatmap": lambda c, p, s: A.hour_heatmap(c, p, source=s),
    "basket": lambda c, p, s: A.basket_stats(c, p, source=s),
    "top_products": lambda c, p, s: A.product_ranking(c, p, source=s),
    "repeat_customers": lambda c, p, s: A.repeat_customers(c, p, source=s),
    "cashiers": lambda c, p, s: A.cashier_sales(c, p, source=s),
}

# Hand-written SQL computing the same figures (the baselines). SQLite: the till's text
# stamps; :lo/:hi the UTC bounds, :plo the previous period's and lookback's lower bound.
RAW_SQLITE: dict[str, list[str]] = {
    "revenue": ["""
WITH RECURSIVE cal(day) AS (SELECT :dlo UNION ALL
                            SELECT date(day, '+1 day') FROM cal WHERE day < :dlast),
 moves AS (SELECT date(substr(created_at, 1, 19), '+420 minutes') AS day, payable AS s,
                  0 AS r, 1 AS n FROM sale WHERE created_at >= :plo AND created_at < :hi
           UNION ALL
           SELECT date(substr(created_at, 1, 19), '+420 minutes'), 0, gross, 0
             FROM refund WHERE created_at >= :plo AND created_at < :hi),
 daily AS (SELECT day, sum(s) AS s, sum(r) AS r, sum(n) AS n FROM moves GROUP BY day)
SELECT cal.day, coalesce(n, 0), coalesce(s, 0), coalesce(r, 0),
       sum(coalesce(s, 0) - coalesce(r, 0)) OVER (ORDER BY cal.day ROWS 6 PRECEDING),
       sum(coalesce(s, 0) - coalesce(r, 0)) OVER (ORDER BY cal.day ROWS 27 PRECEDING)
  FROM cal LEFT JOIN daily ON daily.day = cal.day ORDER BY cal.day"""],
    "heatmap": ["""
SELECT date(substr(created_at, 1, 19), '+420 minutes') AS d,
       CAST(strftime('%H', substr(created_at, 1, 19), '+420 minutes') AS INTEGER) AS h,
       count(*), sum(payable) FROM sale WHERE created_at >= :lo AND created_at < :hi
 GROUP BY d, h"""],
    "basket": [
        "SELECT count(*), sum(payable) FROM sale WHERE created_at >= :lo AND created_at < :hi",
        "SELECT count(*), sum(l.qty_milli) FROM sale_line l JOIN sale s ON s.id = l.sale_id "
        "WHERE s.created_at >= :lo AND s.created_at < :hi"],
    "top_products": ["""
SELECT * FROM (
  SELECT l.product_id, max(l.sku), max(l.name), max(l.unit), sum(l.qty_milli),
         sum(l.gross) AS amount, count(DISTINCT s.id),
         row_number() OVER (ORDER BY sum(l.gross) DESC, max(l.sku)) AS top,
         row_number() OVER (ORDER BY sum(l.gross), max(l.sku)) AS bottom,
         count(*) OVER () FROM sale_line l JOIN sale s ON s.id = l.sale_id
   WHERE s.created_at >= :lo AND s.created_at < :hi GROUP BY l.product_id)
 WHERE top <= 10 OR bottom <= 10"""],
    "repeat_customers": [
        "SELECT count(*), sum(n >= 2), sum(n) FROM (SELECT customer_id, count(*) AS n "
        "FROM sale WHERE created_at >= :lo AND created_at < :hi AND customer_id IS NOT NULL "
        "GROUP BY customer_id)",
        "SELECT count(*) FROM sale WHERE created_at >= :lo AND created_at < :hi"],
    "cashiers": [
        'SELECT s.cashier_id, max(u.name), count(*), sum(s.payable) FROM sale s '
        'LEFT JOIN "user" u ON u.id = s.cashier_id '
        "WHERE s.created_at >= :lo AND s.created_at < :hi GROUP BY s.cashier_id"],
}

RAW_POSTGRES: dict[str, list[str]] = {
    "revenue": ["""
WITH cal AS (SELECT to_char(d, 'YYYY-MM-DD') AS day
               FROM generate_series(%(dlo)s::date, %(dlast)s::date, interval '1 day') d),
 moves AS (SELECT to_char(timezone('Asia/Jakarta', created_at), 'YYYY-MM-DD') AS day,
                  payable AS s, 0::bigint AS r, 1 AS n FROM central.sale
            WHERE tenant_id = central.current_tenant() AND created_at >= %(plo)s
              AND created_at < %(hi)s
           UNION ALL
           SELECT to_char(timezone('Asia/Jakarta', created_at), 'YYYY-MM-DD'), 0, gross, 0
             FROM central.refund WHERE tenant_id = central.current_tenant()
              AND created_at >= %(plo)s AND created_at < %(hi)s),
 daily AS (SELECT day, sum(s) AS s, sum(r) AS r, sum(n) AS n FROM moves GROUP BY day)
SELECT cal.day, coalesce(n, 0), coalesce(s, 0), coalesce(r, 0),
       sum(coalesce(s, 0) - coalesce(r, 0)) OVER (ORDER BY cal.day ROWS 6 PRECEDING),
       sum(coalesce(s, 0) - coalesce(r, 0)) OVER (ORDER BY cal.day ROWS 27 PRECEDING)
  FROM cal LEFT JOIN daily ON daily.day = cal.day ORDER BY cal.day"""],
    "heatmap": ["""
SELECT to_char(timezone('Asia/Jakarta', created_at), 'YYYY-MM-DD') AS d,
       extract(hour FROM timezone('Asia/Jakarta', created_at))::int AS h,
       count(*), sum(payable) FROM central.sale
 WHERE tenant_id = central.current_tenant() AND created_at >= %(lo)s AND created_at < %(hi)s
 GROUP BY d, h"""],
    "basket": [
        "SELECT count(*), sum(payable) FROM central.sale WHERE tenant_id = "
        "central.current_tenant() AND created_at >= %(lo)s AND created_at < %(hi)s",
        "SELECT count(*), sum(l.qty_milli) FROM central.sale_line l JOIN central.sale s "
        "ON s.tenant_id = l.tenant_id AND s.id = l.sale_id WHERE s.tenant_id = "
        "central.current_tenant() AND s.created_at >= %(lo)s AND s.created_at < %(hi)s"],
    "top_products": ["""
SELECT * FROM (
  SELECT l.product_id, max(l.sku), max(l.name), max(l.unit), sum(l.qty_milli),
         sum(l.gross) AS amount, count(DISTINCT s.id),
         row_number() OVER (ORDER BY sum(l.gross) DESC, max(l.sku)) AS top,
         row_number() OVER (ORDER BY sum(l.gross), max(l.sku)) AS bottom,
         count(*) OVER () FROM central.sale_line l JOIN central.sale s
      ON s.tenant_id = l.tenant_id AND s.id = l.sale_id
   WHERE s.tenant_id = central.current_tenant() AND s.created_at >= %(lo)s
     AND s.created_at < %(hi)s GROUP BY l.product_id) ranked
 WHERE top <= 10 OR bottom <= 10"""],
    "repeat_customers": [
        "SELECT count(*), sum((n >= 2)::int), sum(n) FROM (SELECT customer_id, count(*) AS n "
        "FROM central.sale WHERE tenant_id = central.current_tenant() AND created_at >= "
        "%(lo)s AND created_at < %(hi)s AND customer_id IS NOT NULL GROUP BY customer_id) v",
        "SELECT count(*) FROM central.sale WHERE tenant_id = central.current_tenant() "
        "AND created_at >= %(lo)s AND created_at < %(hi)s"],
    "cashiers": [
        "SELECT s.cashier_id, max(u.name), count(*), sum(s.payable) FROM central.sale s "
        "LEFT JOIN central.users u ON u.tenant_id = s.tenant_id AND u.id = s.cashier_id "
        "WHERE s.tenant_id = central.current_tenant() AND s.created_at >= %(lo)s "
        "AND s.created_at < %(hi)s GROUP BY s.cashier_id"],
}


def _params(source: ReportSource, period: Period) -> dict[str, Any]:
    """Bind values of the baselines: the period's bounds, and the revenue trend's reach
    (the previous period and the 27-day lookback before it)."""
    feed = min(period.start - (period.end - period.start),
               period.start - timedelta(days=A.LOOKBACK_DAYS))
    lo, hi = source.bounds(period.start, period.end)
    plo, _ = source.bounds(feed, period.end)
    return {"lo": lo, "hi": hi, "plo": plo, "dlo": feed.isoformat(),
            "dlast": period.last.isoformat()}


def _raw(raw: Any, stmts: list[str], params: dict[str, Any]) -> list[list[Any]]:
    """The baseline: sqlite3's or psycopg's own execute, no SQLAlchemy."""
    return [raw.execute(x, params).fetchall() for x in stmts]


def _median_ms(run: Callable[[], Any], samples: int) -> tuple[float, Any]:
    result = run()  # warm: the first read pulls the pages into the cache
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def _check(name: str, ours: Any, raw: list[list[Any]]) -> None:
    """The baseline computed the same figures (a benchmark of a wrong query is void)."""
    if name == "basket":
        assert (ours.sales_count, ours.amount, ours.lines, ours.qty_milli) == (
            int(raw[0][0][0]), int(raw[0][0][1] or 0), int(raw[1][0][0]),
            int(raw[1][0][1] or 0)), name
    elif name == "heatmap":
        assert ours.amount == sum(int(r[3]) for r in raw[0]), name
    elif name == "cashiers":
        assert ours.amount == sum(int(r[3]) for r in raw[0]), name
    elif name == "repeat_customers":
        assert (ours.customers, ours.repeat_customers) == (int(raw[0][0][0]),
                                                           int(raw[0][0][1] or 0)), name
    elif name == "top_products":
        top = sorted((r for r in raw[0] if int(r[7]) <= 10), key=lambda r: int(r[7]))
        assert [x.amount for x in ours.top] == [int(r[5]) for r in top], name
    elif name == "revenue":
        by_day = {str(r[0]): int(r[2]) - int(r[3]) for r in raw[0]}
        assert all(by_day[p.start.isoformat()] == p.net for p in ours.points), name


def _each_query(conn: Connection, src: ReportSource, raw: Any, raw_sql: dict[str, list[str]],
                engine: str, samples: int, emit: Emit, extra: dict[str, Any]
                ) -> list[Figure]:
    """Every query over the year, then over the month, each beside its baseline."""
    figures = []
    for period, suffix in ((YEAR, ""), (MONTH, ".month")):
        params = _params(src, period)
        for name, query in QUERIES.items():
            ms, ours = _median_ms(partial(query, conn, period, src), samples)
            base, got = _median_ms(partial(_raw, raw, raw_sql[name], params), samples)
            _check(name, ours, got)
            f = figure(f"analytics.{name}.{engine}{suffix}", "ms", ms, baseline=base,
                       target=TARGET_MS, samples=samples, **extra,
                       period=f"{period.start}/{period.end}")
            emit(f)
            figures.append(f)
    return figures


def _run_sqlite(db: Path, samples: int, emit: Emit, extra: dict[str, Any]) -> list[Figure]:
    engine = create_engine(f"sqlite:///{db}", poolclass=NullPool)
    raw = sqlite3.connect(db)
    try:
        with engine.connect() as conn:
            return _each_query(conn, local_source(timezone=ZONE), raw, RAW_SQLITE, "sqlite",
                               samples, emit, extra)
    finally:
        raw.close()
        engine.dispose()


# --- central ---------------------------------------------------------------------------

_SALE_COLS = ("id", "seq", "receipt_no", "shift_id", "cashier_id", "customer_id",
              "created_at", "subtotal", "discount_total", "net_total", "tax_total", "total",
              "rounding", "payable", "change", "status")
_LINE_COLS = ("id", "sale_id", "line_no", "product_id", "sku", "name", "unit", "qty_milli",
              "list_price", "unit_price", "line_discount", "order_discount", "gross", "net",
              "tax", "cost", "tax_class")


@contextmanager
def central_copy(db: Path, superuser_dsn: str) -> Iterator[tuple[str, str]]:
    """A fresh central holding the shop's users, sales and lines as one tenant's:
    yields (database DSN as the superuser, the tenant's owner role)."""
    from psycopg import connect

    from bench.push import _central, _with_db
    from sync.central import admin
    with _central(superuser_dsn) as (_su, name, _raw):
        dsn = _with_db(superuser_dsn, name)
        tenant = admin.add_tenant(dsn, "Toko Analitik")
        store = admin.add_store(dsn, tenant.tenant_id, "S1", "Toko Analitik pusat")
        term = admin.add_terminal(dsn, tenant.tenant_id, store.store_id, "T01")
        head = (tenant.tenant_id, term.terminal_id, store.store_id)
        src = sqlite3.connect(db)
        try:
            with connect(dsn) as pg, pg.cursor() as cur:
                # A year in one COPY is no push: the summaries' statement triggers would
                # aggregate a million-row transition table; they sleep during the copy and
                # the rebuild (the recovery path, timed by _run_postgres) makes the rows.
                for t in ("sale", "sale_line", "refund"):
                    cur.execute(f"ALTER TABLE central.{t} DISABLE TRIGGER sales_summary")
                with cur.copy("COPY central.users (tenant_id, id, name, role, pin_hash) "
                              "FROM STDIN") as cp:
                    for uid, uname, role in src.execute('SELECT id, name, role FROM "user"'):
                        cp.write_row((head[0], uid, uname, role, "x"))
                cols = ", ".join(("tenant_id", "terminal_id", "store_id", *_SALE_COLS))
                with cur.copy(f"COPY central.sale ({cols}) FROM STDIN") as cp:
                    for row in src.execute(f"SELECT {', '.join(_SALE_COLS)} FROM sale"):
                        cp.write_row((*head, *row))
                cols = ", ".join(("tenant_id", "terminal_id", *_LINE_COLS))
                with cur.copy(f"COPY central.sale_line ({cols}) FROM STDIN") as cp:
                    for row in src.execute(f"SELECT {', '.join(_LINE_COLS)} FROM sale_line"):
                        cp.write_row((head[0], head[1], *row))
                for t in ("sale", "sale_line", "refund"):
                    cur.execute(f"ALTER TABLE central.{t} ENABLE TRIGGER sales_summary")
                pg.commit()
                pg.autocommit = True
                pg.execute("ANALYZE central.sale")
                pg.execute("ANALYZE central.sale_line")
                pg.execute("ANALYZE central.users")
        finally:
            src.close()
        yield dsn, tenant.owner_role


_SUMMARY_TABLES = ("sales_hour_summary", "sales_product_day", "sales_product_month",
                   "sales_customer_day", "sales_cashier_day")


def _rebuild_central_ms(dsn: str) -> float:
    """The central recovery path: every summary recomputed from the raw rows (as the
    administrator), committed and analysed."""
    from psycopg import connect
    with connect(dsn) as pg:
        began = time.perf_counter()
        pg.execute("SELECT central.sales_summary_rebuild(NULL, NULL)")
        pg.commit()
        took = (time.perf_counter() - began) * 1000
        for t in _SUMMARY_TABLES:
            pg.execute(f"ANALYZE central.{t}")
        pg.commit()
    return took


def _as_role(dsn: str, role: str) -> Any:
    from psycopg import connect, sql
    conn = connect(dsn)
    conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
    conn.commit()
    return conn


def _run_postgres(db: Path, samples: int, emit: Emit, extra: dict[str, Any],
                  superuser_dsn: str) -> list[Figure]:
    from app.reports_central import central_report_source
    with central_copy(db, superuser_dsn) as (dsn, owner):
        _note(f"central summaries rebuilt in {_rebuild_central_ms(dsn):,.0f} ms")
        engine = create_engine("postgresql+psycopg://", poolclass=NullPool,
                               creator=lambda: _as_role(dsn, owner))
        raw = _as_role(dsn, owner)
        try:
            with engine.connect() as conn:
                return _each_query(conn, central_report_source(timezone=ZONE), raw,
                                   RAW_POSTGRES, "postgres", samples, emit, extra)
        finally:
            raw.close()
            engine.dispose()


def _note(text: str) -> None:
    """A line for the reader on stderr (stdout carries only the figures)."""
    sys.stderr.write(f"analytics: {text}\n")
    sys.stderr.flush()


def measure(work_dir: Path, *, seed: int = 1, products: int = 100_000,
            sales: int = DEFAULT_SALES, samples: int = DEFAULT_SAMPLES,
            emit: Emit = print_figure, superuser_dsn: str | None = None,
            engines: tuple[str, ...] = ("sqlite", "postgres")) -> list[Figure]:
    folder = prepare_shop(work_dir, seed=seed, products=products, sales=sales)
    db = db_path(folder)
    with sqlite3.connect(db) as conn:
        n_lines = int(conn.execute("SELECT count(*) FROM sale_line").fetchone()[0])
        n_sales = int(conn.execute("SELECT count(*) FROM sale").fetchone()[0])
    extra: dict[str, Any] = {"sale_lines": n_lines, "sales": n_sales,
                             "days": (YEAR.end - YEAR.start).days}
    figures: list[Figure] = []
    if "sqlite" in engines:
        # The recovery path's cost (the triggers keep the summaries; this recomputes all).
        _note(f"till summaries rebuilt in {summaries_rebuilt(db) * 1000:,.0f} ms")
        figures += _run_sqlite(db, samples, emit, extra)
    if "postgres" in engines:
        from bench.push import SUPERUSER_DSN
        figures += _run_postgres(db, samples, emit, extra, superuser_dsn or SUPERUSER_DSN)
    return figures


__all__ = ["DEFAULT_SALES", "MONTH", "QUERIES", "YEAR", "measure", "prepare_shop"]

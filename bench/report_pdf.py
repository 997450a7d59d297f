"""A month's sales as a PDF: November 2026 of the analytics shop (:mod:`bench.analytics`:
the cold-start data set spread over a year, 30,000 sales in that month), through the same
code ``warungin report sales --format pdf`` runs: the report's query
(``services.reports.queries.sales_summary``) and ``app.reports_pdf.to_pdf``.

Baseline, in the same run: hand-written SQL reading the same figures for the month
(sales per day with PPN, DPP, discounts, rounding; refunds per day; payments per day and
method), with no PDF.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from app.paths import db_path
from bench.analytics import DEFAULT_SALES, MONTH, ZONE, prepare_shop
from bench.report import Emit, Figure, figure, print_figure
from services.reports.queries import sales_summary
from services.reports.source import local_source

DEFAULT_SAMPLES = 5
TARGET_S = 2.0

_RAW_SALES = [
    "SELECT date(substr(created_at, 1, 19), '+420 minutes') AS d, count(*), sum(payable), "
    "sum(tax_total), sum(net_total), sum(discount_total), sum(rounding) FROM sale "
    "WHERE created_at >= :lo AND created_at < :hi GROUP BY d",
    "SELECT date(substr(created_at, 1, 19), '+420 minutes') AS d, count(*), sum(gross), "
    "sum(tax), sum(net) FROM refund WHERE created_at >= :lo AND created_at < :hi GROUP BY d",
    "SELECT date(substr(s.created_at, 1, 19), '+420 minutes') AS d, p.method, sum(p.amount) "
    "FROM payment p JOIN sale s ON s.id = p.sale_id "
    "WHERE s.created_at >= :lo AND s.created_at < :hi GROUP BY d, p.method",
]


def _median_s(run: Callable[[], Any], samples: int) -> tuple[float, Any]:
    result = run()
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def measure(work_dir: Path, *, seed: int = 1, products: int = 100_000,
            sales: int = DEFAULT_SALES, samples: int = DEFAULT_SAMPLES,
            emit: Emit = print_figure) -> list[Figure]:
    from app.reports_pdf import to_pdf
    db = db_path(prepare_shop(work_dir, seed=seed, products=products, sales=sales))
    engine = create_engine(f"sqlite:///{db}", poolclass=NullPool)
    raw = sqlite3.connect(db)
    figures: list[Figure] = []
    try:
        with engine.connect() as conn:
            src = local_source(timezone=ZONE)
            lo, hi = src.bounds(MONTH.start, MONTH.end)
            params = {"lo": lo, "hi": hi}

            def month_sales() -> tuple[int, int, int]:
                report = sales_summary(conn, MONTH, source=src)
                pdf = to_pdf(report, f"Penjualan harian {MONTH.label()}",
                             shop_name="Toko Benchmark", zone_name=ZONE)
                return report.totals.sales_count, report.totals.sales, len(pdf)

            def raw_run(stmts: list[str]) -> list[list[Any]]:
                return [raw.execute(x, params).fetchall() for x in stmts]

            secs, (n, amount, size) = _median_s(month_sales, samples)
            base, got = _median_s(lambda: raw_run(_RAW_SALES), samples)
            assert n == sum(int(r[1]) for r in got[0]), "the baseline read other sales"
            assert amount == sum(int(r[2]) for r in got[0])
            figures.append(figure("report_pdf.month_sales", "s", secs, baseline=base,
                                  target=TARGET_S, sales=n, pdf_bytes=size,
                                  month=MONTH.start.isoformat()[:7], samples=samples))
    finally:
        raw.close()
        engine.dispose()
    for f in figures:
        emit(f)
    return figures


__all__ = ["measure"]

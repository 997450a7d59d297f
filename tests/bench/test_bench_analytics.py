"""``warungin bench --only analytics`` and ``--only report_pdf`` on a tiny shop: the shape
of the figures (every query on both engines, beside its baseline) and the prepared shop's
spread of sales over the year; no timing is asserted here."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.paths import db_path
from bench.analytics import MONTH, QUERIES, YEAR, prepare_shop

SMALL = ["--products", "300", "--sales", "400", "--samples", "1", "--seed", "4"]


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench-analytics")


def _figures(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_analytics_figures_on_both_engines(work_dir: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--only", "analytics", "--work-dir", str(work_dir), *SMALL]) == 0
    figures = _figures(capsys.readouterr().out)
    assert {f["name"] for f in figures} == {f"analytics.{q}.{e}{m}" for q in QUERIES
                                            for e in ("sqlite", "postgres")
                                            for m in ("", ".month")}
    for f in figures:
        assert isinstance(f["value"], float) and isinstance(f["baseline"], float)
        assert f["target"] == 300 and isinstance(f["ok"], bool)
        assert f["sales"] == 400 and f["days"] == 365


def test_month_pdf_figure(work_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--only", "report_pdf", "--work-dir", str(work_dir), *SMALL]) == 0
    (f,) = _figures(capsys.readouterr().out)
    assert f["name"] == "report_pdf.month_sales" and f["target"] == 2.0
    assert f["sales"] == 200  # half the tiny shop's sales fall in the month
    assert isinstance(f["pdf_bytes"], int) and f["pdf_bytes"] > 1000


def test_the_prepared_shop_spreads_sales_over_the_year(work_dir: Path) -> None:
    folder = prepare_shop(work_dir, seed=4, products=300, sales=400)
    conn = sqlite3.connect(db_path(folder))
    try:
        first, last = conn.execute("SELECT min(created_at), max(created_at) FROM sale"
                                   ).fetchone()
        in_month = conn.execute("SELECT count(*) FROM sale WHERE created_at >= ? AND "
                                "created_at < ?", ("2026-10-31T17:00:00",
                                                   "2026-11-30T17:00:00")).fetchone()[0]
        with_customer = conn.execute("SELECT count(*) FROM sale WHERE customer_id IS NOT "
                                     "NULL").fetchone()[0]
    finally:
        conn.close()
    assert first >= "2025-11-30T23:00:00" and first < "2025-12-01T23:59:59"  # 06:00 WIB on
    assert last < "2026-11-30T17:00:00"  # before 01-12-2026 WIB
    assert len(first) == len("2026-11-26T17:35:20.123456+00:00") == len(last)
    assert in_month == 200 and YEAR.end == MONTH.end
    assert 100 <= with_customer <= 140  # 3 in 10

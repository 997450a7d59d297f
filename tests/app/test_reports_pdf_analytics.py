"""PDFs of the catalogue's table reports (the analytics): opened with pypdf, their text
carries the title, the period, when the figures are as of, the notes, every table's totals,
and the charts (the revenue line chart's legend, the heatmap's day labels)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import Connection

from app.reports_pdf import heat_grid, revenue_series, to_pdf
from app.shop import Shop
from services import analytics as A
from services import formatting as fmt
from services.reports import Period, catalogue
from services.reports.source import local_source
from services.reports.values import TableReport
from tests.services.test_analytics import History, make_history, write_sqlite

SRC = local_source(timezone="Asia/Jakarta")
OCT_NOV = Period(date(2026, 10, 1), date(2026, 12, 1))


@pytest.fixture(scope="module")
def till(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Connection, History]]:
    h = make_history(seed=5)
    engine = write_sqlite(tmp_path_factory.mktemp("pdf") / "till.db", h)
    with engine.connect() as conn:
        yield conn, h
    engine.dispose()


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_revenue_pdf_has_the_chart_and_the_totals(till: tuple[Connection, History]) -> None:
    conn, _h = till
    trend = A.revenue_trend(conn, OCT_NOV, source=SRC)
    report = replace(trend.report(), as_of="2026-12-01T03:00:00+00:00")
    pdf = to_pdf(report, f"Pendapatan harian {OCT_NOV.label()}", shop_name="Toko Uji",
                 zone_name="Asia/Jakarta")
    text = text_of(pdf)
    assert "Pendapatan harian 01-10-2026 – 30-11-2026" in text
    assert "Angka per 01-12-2026 10:00 WIB" in text  # as of, on the store's clock
    assert "Rata-rata 7 hari" in text and "Rata-rata 28 hari" in text  # legend + columns
    flat = re.sub(r"\s+", " ", text)
    assert f"TOTAL {fmt.number(trend.sales_count)} {fmt.money(trend.sales)}" in flat
    assert fmt.money(trend.net) in text
    assert fmt.percent(trend.net_change_bp) in text  # the period-over-period change
    labels, series = revenue_series(report.tables[0])
    assert len(labels) == 61 and series[0] == [p.net for p in trend.points]
    assert series[1] == [p.ma7 for p in trend.points]


def test_heatmap_pdf_has_the_grid_and_the_totals(till: tuple[Connection, History]) -> None:
    conn, _h = till
    heat = A.hour_heatmap(conn, OCT_NOV, source=SRC)
    report = heat.report()
    grid = heat_grid(report.tables[0])
    assert [[c.amount for c in heat.cells[d * 24:(d + 1) * 24]] for d in range(7)] == grid
    text = text_of(to_pdf(report, "Heatmap", zone_name="Asia/Jakarta"))
    for day in ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"):
        assert day in text
    assert "Zona waktu toko / store time zone: Asia/Jakarta" in text
    assert fmt.money(heat.amount) in text


@pytest.mark.parametrize("name", sorted(A.REPORTS))
def test_every_analytic_renders_with_its_totals(name: str, till: tuple[Connection, History]
                                                ) -> None:
    conn, _h = till
    report = catalogue.run(conn, name, OCT_NOV, source=SRC)
    assert isinstance(report, TableReport)
    pdf = to_pdf(report, report.title("en"), "en", zone_name="Asia/Jakarta",
                 made_at=datetime(2026, 12, 1, 3, tzinfo=UTC))
    text = text_of(pdf)
    assert report.title("en") in text and "Page 1 of" in text
    for table in report.tables:
        for col, total in zip(table.columns, table.totals or (None,) * len(table.columns),
                              strict=True):
            if isinstance(total, int) and col.kind == "money":
                assert fmt.money(total, "en") in text, (name, col.key)
        if table.rows and table.columns[-1].kind == "money":
            assert fmt.money(table.rows[0][-1], "en") in text  # a first row's figure


def test_every_report_of_the_catalogue_renders(shop: Shop) -> None:
    """Whatever module a report comes from (the books, tax, analytics), its PDF opens and
    names it (a demo shop, November 2026)."""
    month = Period(date(2026, 11, 1), date(2026, 12, 1))
    with shop.uow(write=False) as uow:
        src = local_source(uow.conn)
        for name, spec in catalogue.all_reports().items():
            report = catalogue.run(uow.conn, name, month if spec.takes_period else None,
                                   source=src)
            text = text_of(to_pdf(report, spec.title(), zone_name=src.timezone))
            assert spec.title() in text, name

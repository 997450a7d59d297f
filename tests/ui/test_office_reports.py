"""The reports screen: choose a report and dates, preview, export CSV/HTML/PDF off the
main thread."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from app.shop import Shop
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.ui.conftest import log_in
from ui.main_window import MainWindow
from ui.office.reports import ReportsScreen

INDOMIE = "8991619730698"


@pytest.fixture
def reports(qtbot: QtBot, window: MainWindow, shop: Shop, cashier: Actor) -> ReportsScreen:
    req = SaleRequest(lines=(LineRequest(INDOMIE, 3000),),
                      payments=(PaymentRequest("cash", 20_000),))
    with shop.uow() as uow:
        complete_sale(uow, shop.config, cashier, req)
    log_in(qtbot, window, "Wati", "9999")
    window.office.open()
    page = window.office.page
    with qtbot.waitSignal(page.screen_shown, timeout=5000):
        page.show_screen("reports")
    screen = page.widget("reports")
    assert isinstance(screen, ReportsScreen)
    # The shop's today (Asia/Jakarta in the demo), whatever this computer's clock says.
    qtbot.waitUntil(lambda: screen.today == shop_today(), timeout=5000)
    return screen


def shop_today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def test_the_page_shows_its_report_when_opened(qtbot: QtBot, reports: ReportsScreen) -> None:
    # Nothing clicked, no F5: the first report, of today (the fixture sold today).
    qtbot.waitUntil(lambda: reports.preview is not None, timeout=10_000)
    assert reports.preview.key == reports.kind.currentData()
    table = reports.table(0)
    assert isinstance(table, QTableWidget) and table.rowCount() > 0
    assert reports.export_buttons["pdf"].isEnabled()
    # Another report chosen: shown at once too.
    with qtbot.waitSignal(reports.previewed, timeout=10_000) as got:
        reports.choose("stock")
    assert got.args[0].key == "stock"
    table = reports.table(0)
    assert isinstance(table, QTableWidget) and table.rowCount() > 0


def test_preview_then_export_every_format(qtbot: QtBot, reports: ReportsScreen,
                                          tmp_path: Path) -> None:
    keys = [reports.kind.itemData(i) for i in range(reports.kind.count())]
    assert {"sales", "products", "stock", "kasbon"} <= set(keys)
    reports.choose("products")
    assert reports.start.date().toPython() == shop_today()
    reports.set_dates(shop_today() - timedelta(days=6), shop_today())
    assert not reports.export_buttons["csv"].isEnabled()  # nothing previewed yet
    with qtbot.waitSignal(reports.previewed, timeout=10_000) as got:
        reports.show_button.click()
    preview = got.args[0]
    assert preview.end - preview.start == timedelta(days=7)
    table = reports.table(0)
    assert isinstance(table, QTableWidget)
    texts = [table.item(r, c).text() for r in range(table.rowCount())
             for c in range(table.columnCount()) if table.item(r, c)]
    assert any(t.startswith("Indomie Goreng") for t in texts)
    assert "Rp 10.500" in texts  # 3 x Rp 3.500
    for fmt in ("csv", "html", "pdf"):
        target = tmp_path / f"produk.{fmt}"
        with qtbot.waitSignal(reports.exported, timeout=30_000):
            reports.export(fmt, str(target))
        data = target.read_bytes()
        assert data, fmt
        if fmt == "pdf":
            assert data.startswith(b"%PDF")
        else:
            assert "Indomie Goreng".encode() in data
    assert "Tersimpan" in reports.message.text()


def test_a_now_report_ignores_the_dates(qtbot: QtBot, reports: ReportsScreen) -> None:
    reports.choose("stock")
    assert not reports.start.isEnabled() and reports.note.text()
    with qtbot.waitSignal(reports.previewed, timeout=10_000):
        reports.show_report()
    table = reports.table(0)
    assert isinstance(table, QTableWidget) and table.rowCount() > 100


def test_an_export_that_cannot_be_written_says_so(qtbot: QtBot, reports: ReportsScreen,
                                                  tmp_path: Path) -> None:
    reports.choose("sales")
    with qtbot.waitSignal(reports.previewed, timeout=10_000):
        reports.show_report()
    with qtbot.waitSignal(reports.failed, timeout=10_000):
        reports.export("csv", str(tmp_path / "no-such-folder" / "x.csv"))
    assert "cannot be written" in reports.message.text()
    # A date range backwards is the report's to refuse, naming the field.
    reports.set_dates(shop_today(), shop_today() - timedelta(days=3))
    with qtbot.waitSignal(reports.failed, timeout=10_000):
        reports.show_report()
    assert "end date" in reports.message.text()


def test_the_preview_speaks_like_the_till(qtbot: QtBot, reports: ReportsScreen,
                                           shop: Shop, cashier: Actor) -> None:
    """Issue 11: 0,75 and the margin share with the decimal comma, as the till says them."""
    req = SaleRequest(lines=(LineRequest("TMB-0176", 750),),
                      payments=(PaymentRequest("cash", 50_000),))
    with shop.uow() as uow:
        complete_sale(uow, shop.config, cashier, req)
    reports.choose("products")
    with qtbot.waitSignal(reports.previewed, timeout=10_000) as got:
        reports.show_button.click()
    table = reports.table(0)
    assert isinstance(table, QTableWidget)
    row = next(r for r in range(table.rowCount())
               if table.item(r, 0) and table.item(r, 0).text() == "TMB-0176")
    texts = [table.item(row, c).text() for c in range(table.columnCount())
             if table.item(row, c)]
    assert "0,75" in texts
    [margin] = [t for t in texts if t.endswith(" %")]
    assert "," in margin and "." not in margin
    data = got.args[0].tables[0]
    keys = [c.key for c in data.columns]
    [eggs] = [r for r in data.rows if r[0] == "TMB-0176"]
    from services.formatting import percent_of
    margin_rp, revenue = eggs[keys.index("margin")], eggs[keys.index("revenue")]
    assert margin == percent_of(margin_rp, revenue)  # rounded half up, not cut

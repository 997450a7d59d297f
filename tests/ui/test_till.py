"""The till on a copy of the demo shop: scan, unknown code, search, edit, pay cash."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from services.selling import SaleResult
from ui.main_window import MainWindow

INDOMIE = "8991619730698"  # Indomie Goreng, Rp 3.500 in the demo catalogue


def scan(qtbot: QtBot, w: MainWindow, code: str) -> None:
    """Type like a keyboard-wedge scanner: the digits, then Enter."""
    with qtbot.waitSignal(w.till.scan_answered, timeout=5000):
        qtbot.keyClicks(w.till.scan, code)
        qtbot.keyClick(w.till.scan, Qt.Key.Key_Return)


@pytest.fixture
def beeps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: calls.append(1)))
    return calls


def test_scan_adds_a_line_and_shows_totals_in_rupiah(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    scan(qtbot, till, INDOMIE)
    assert t.table.rowCount() == 1
    assert t.table.item(0, 0).text() == "Indomie Goreng 85 g"
    assert t.table.item(0, 3).text() == "Rp 3.500"
    assert t.totals.total.text() == "Rp 3.500"
    assert t.findChild(type(t.totals.total), "total_tax").text().startswith("Rp ")
    assert t.scan.text() == "" and t.scan.hasFocus()
    scan(qtbot, till, INDOMIE)  # the same product again raises the quantity
    assert t.table.rowCount() == 1
    assert t.table.item(0, 1).text() == "2"
    assert t.totals.total.text() == "Rp 7.000"


def test_unknown_barcode_says_so_beeps_and_adds_nothing(qtbot: QtBot, till: MainWindow,
                                                        beeps: list[int]) -> None:
    t = till.till
    scan(qtbot, till, "0000000000000")
    assert t.table.rowCount() == 0
    assert t.message.text() == "Barang tidak dikenal: 0000000000000"
    assert beeps == [1]
    assert t.pay_dialog is None  # nothing modal popped up
    assert t.scan.hasFocus()
    scan(qtbot, till, INDOMIE)  # and the next scan just works
    assert t.table.rowCount() == 1


def test_scans_land_in_the_order_they_were_made(qtbot: QtBot, till: MainWindow,
                                                backend_codes: list[str]) -> None:
    t = till.till
    for code in backend_codes:
        qtbot.keyClicks(t.scan, code)
        qtbot.keyClick(t.scan, Qt.Key.Key_Return)  # no waiting between scans
    qtbot.waitUntil(lambda: t.table.rowCount() == len(backend_codes), timeout=5000)
    skus = [line.item.sku for line in t.cart.lines]
    assert skus == backend_codes


@pytest.fixture
def backend_codes(shop: Shop) -> list[str]:
    with shop.uow(write=False) as uow:
        rows = uow.conn.exec_driver_sql(
            "SELECT sku FROM product WHERE active AND unit = 'pcs' ORDER BY sku LIMIT 6").all()
    return [str(r[0]) for r in rows]


def test_plus_minus_and_remove_keep_focus_in_the_scan_box(qtbot: QtBot,
                                                          till: MainWindow) -> None:
    t = till.till
    scan(qtbot, till, INDOMIE)
    qtbot.mouseClick(t.buttons["plus"], Qt.MouseButton.LeftButton)
    assert t.table.item(0, 1).text() == "2" and t.scan.hasFocus()
    qtbot.keyClick(t.scan, Qt.Key.Key_F6)
    assert t.totals.total.text() == "Rp 10.500"
    qtbot.keyClick(t.scan, Qt.Key.Key_F5)
    assert t.table.item(0, 1).text() == "2"
    # Removing a line is a void, audited on the DB-writer lane (tests/ui/test_till_cart.py).
    with qtbot.waitSignal(t.cart_changed, timeout=5000):
        qtbot.mouseClick(t.buttons["remove"], Qt.MouseButton.LeftButton)
    assert t.table.rowCount() == 0 and t.totals.total.text() == "Rp 0"
    assert t.scan.hasFocus()


def test_escape_clears_the_typing_then_the_cart(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    scan(qtbot, till, INDOMIE)
    qtbot.keyClicks(t.scan, "12")
    qtbot.keyClick(t.scan, Qt.Key.Key_Escape)
    assert t.scan.text() == "" and t.table.rowCount() == 1
    with qtbot.waitSignal(t.cart_changed, timeout=5000):  # an audited void of the cart
        qtbot.keyClick(t.scan, Qt.Key.Key_Escape)
    assert t.table.rowCount() == 0


def test_search_as_you_type_then_pick_with_the_keyboard(qtbot: QtBot,
                                                        till: MainWindow) -> None:
    t = till.till
    with qtbot.waitSignal(t.search_answered, timeout=5000):
        qtbot.keyClicks(t.scan, "indomie")
    assert t.results.isVisible() and t.results.count() >= 1
    assert "Indomie" in t.results.item(0).text()
    qtbot.keyClick(t.scan, Qt.Key.Key_Down)
    assert t.scan.hasFocus() and t.results.currentRow() == 0
    with qtbot.waitSignal(t.scan_answered, timeout=5000):
        qtbot.keyClick(t.scan, Qt.Key.Key_Return)
    assert t.table.rowCount() == 1 and "Indomie" in t.table.item(0, 0).text()
    assert not t.results.isVisible()


def test_pay_cash_with_a_quick_tender_commits_a_real_sale(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    t = till.till
    scan(qtbot, till, INDOMIE)
    scan(qtbot, till, INDOMIE)
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)
    dialog = t.pay_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.entry.due_label.text() == "Rp 7.000"
    qtbot.keyClicks(dialog.entry.given, "10000")
    assert dialog.entry.change_label.text() == "Rp 3.000"  # live, in very large type
    with qtbot.waitSignal(t.sale_completed, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.entry.quick_buttons[20_000], Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert isinstance(result, SaleResult)
    assert result.change == 13_000 and result.payable == 7_000
    assert result.receipt_no == t.totals.last_receipt.text()
    assert "Rp 13.000" in t.totals.last_sale.text()
    assert t.table.rowCount() == 0 and t.scan.hasFocus()
    # The sale is in the real SQLite file, through the services' shift report ...
    backend = till.backend
    assert isinstance(backend, GuiBackend)
    report = backend.money.x_report()
    assert report.sales_count == 1 and report.last_receipt == result.receipt_no
    # ... and straight from the file, committed (a new connection sees it).
    conn = sqlite3.connect(shop.db.path)
    try:
        row = conn.execute("SELECT receipt_no, payable, change FROM sale").fetchall()
        outbox = conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending' "
                              "AND type = 'sale.completed'").fetchone()
    finally:
        conn.close()
    assert row == [(result.receipt_no, 7_000, 13_000)]
    assert outbox == (1,)


def test_exact_tender_and_quick_tenders_below_due_are_disabled(
        qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    for _ in range(7):
        scan(qtbot, till, INDOMIE)  # Rp 24.500
    qtbot.mouseClick(t.buttons["pay_cash"], Qt.MouseButton.LeftButton)
    dialog = t.pay_dialog
    assert dialog is not None
    assert not dialog.entry.quick_buttons[20_000].isEnabled()
    assert dialog.entry.quick_buttons[50_000].isEnabled()
    with qtbot.waitSignal(t.sale_completed, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].change == 0


def test_pay_with_an_empty_cart_says_so(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)
    assert t.pay_dialog is None
    assert t.message.text() == "Keranjang kosong: pindai barang dulu."


def test_status_bar_reads_the_outbox_and_says_offline(qtbot: QtBot, till: MainWindow) -> None:
    status = till.status
    with qtbot.waitSignal(status.refreshed, timeout=5000):
        status.refresh()
    assert "Offline" in status.online.text()
    assert "server pusat" in status.online.toolTip()
    before = int(status.pending.text().split(":")[1].split()[0])
    scan(qtbot, till, INDOMIE)
    qtbot.keyClick(till.till.scan, Qt.Key.Key_F9)
    dialog = till.till.pay_dialog
    assert dialog is not None
    with qtbot.waitSignal(status.refreshed, timeout=10_000):
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    after = int(status.pending.text().split(":")[1].split()[0])
    assert after == before + 1
    assert "tertua" in status.pending.text()


def _inside(widget: QWidget, outer: QWidget) -> bool:
    """``widget`` is drawn whole inside ``outer`` (an ancestor)."""
    top_left = widget.mapTo(outer, QPoint(0, 0))
    return outer.rect().contains(QRect(top_left, widget.size()))


def test_after_a_sale_every_till_button_stays_on_a_1366x768_screen(
        qtbot: QtBot, till: MainWindow) -> None:
    """The last sale's change and receipt number must not push the pay button (F9) off
    the bottom: their room is kept from the start, so no button moves after a sale."""
    t = till.till
    assert till.size().width() == 1366 and till.size().height() == 768
    before = {key: b.mapTo(till, QPoint(0, 0)) for key, b in t.buttons.items()}
    scan(qtbot, till, INDOMIE)
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)
    dialog = t.pay_dialog
    assert dialog is not None
    with qtbot.waitSignal(t.sale_completed, timeout=10_000):
        qtbot.mouseClick(dialog.entry.quick_buttons[100_000], Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert t.totals.last_sale.text() == "Kembalian: Rp 96.500"
    assert t.totals.last_receipt.text().startswith("DEMO-T01-")
    for key, button in t.buttons.items():
        column = button.parentWidget()
        assert button.isVisible() and _inside(button, column) and _inside(column, t), key
        assert button.mapTo(till, QPoint(0, 0)) == before[key], key  # nothing moved
    pay = t.buttons["pay_cash"]
    assert pay.mapTo(till, QPoint(0, pay.height())).y() <= till.status.mapTo(
        till, QPoint(0, 0)).y()  # above the status bar


def test_category_names_fit_inside_their_buttons(qtbot: QtBot, till: MainWindow) -> None:
    """A long name ("Perlengkapan Mandi") is wrapped, never drawn edge to edge."""
    from ui.category_grid import TILE_PADDING, TileButton

    grid = till.till.grid
    qtbot.waitUntil(lambda: bool(grid.buttons), timeout=5000)
    QApplication.processEvents()
    names = [b.property("tileName") for b in grid.buttons]
    assert "Perlengkapan Mandi" in names
    for b in grid.buttons:
        assert isinstance(b, TileButton)
        metrics = b.fontMetrics()
        for line in b.lines():
            assert metrics.horizontalAdvance(line) <= b.width() - 2 * TILE_PADDING, line
    mandi = grid.button("Perlengkapan Mandi")
    assert mandi is not None and mandi.lines() == ["Perlengkapan", "Mandi"]
    kopi = grid.button("Kopi & Teh")
    assert kopi is not None and kopi.text() == "Kopi && Teh"  # no keyboard mnemonic


#: A 1366x768 laptop less a window title bar and a desktop panel.
USABLE_HEIGHT = 768 - 70


def test_the_pay_dialog_after_a_sale_fits_a_1366x768_screen(qtbot: QtBot,
                                                            till: MainWindow) -> None:
    t = till.till
    for _ in range(2):  # a sale, then the next customer's pay dialog
        scan(qtbot, till, INDOMIE)
        qtbot.keyClick(t.scan, Qt.Key.Key_F9)
        dialog = t.pay_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda d=dialog: d.entry.provider_note.text() != "", timeout=5000)
        QApplication.processEvents()
        assert dialog.height() <= USABLE_HEIGHT
        assert dialog.minimumSizeHint().height() <= USABLE_HEIGHT
        for button in (dialog.entry.ok, dialog.entry.cancel_button, dialog.exact_button):
            assert _inside(button, dialog), button.text()
        with qtbot.waitSignal(t.sale_completed, timeout=10_000):
            qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)

"""The shift dialog on a copy of the demo shop (its shift is open with a Rp 200.000 float):
cash in/out, X report, close with a denomination count (Z report), open with a float."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from local_db.store import write_settings
from services.cart import Cart
from services.shifts import ShiftReport, ShiftState
from services.tender import CASH, TenderInput
from ui.main_window import MainWindow
from ui.shift_dialog import ShiftDialog, report_lines
from ui.tasks import TaskManager

INDOMIE = "8991619730698"  # Rp 3.500
DEMO_FLOAT = 200_000


@pytest.fixture
def money(shop: Shop, qtbot: QtBot) -> Iterator[tuple[GuiBackend, TaskManager]]:
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")
    tasks = TaskManager()
    yield backend, tasks
    tasks.shutdown()


def rows(shop: Shop, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(shop.db.path)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def open_dialog(qtbot: QtBot, money: tuple[GuiBackend, TaskManager]) -> ShiftDialog:
    backend, tasks = money
    dialog = ShiftDialog(backend, tasks)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.shift_changed, timeout=5000):
        dialog.open()
    return dialog


def test_close_with_a_denomination_count_shows_the_z_report(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        tmp_path: Path) -> None:
    backend, _ = money
    cart = Cart().add(backend.core.lookup(INDOMIE), 2000)
    backend.money.pay(cart, [TenderInput(CASH, 10_000)])  # Rp 7.000 into the drawer
    dialog = open_dialog(qtbot, money)
    assert dialog.state is not None and dialog.state.open
    assert "Rp 200.000" in dialog.info.text() and dialog.pages.currentIndex() == 1

    # Rp 5.000 taken out for ice: expected = 200.000 + 7.000 - 5.000 = 202.000.
    qtbot.keyClicks(dialog.move_amount, "5000")
    qtbot.keyClicks(dialog.move_reason, "beli es batu")
    with qtbot.waitSignal(dialog.cash_moved, timeout=5000):
        qtbot.mouseClick(dialog.cash_out_button, Qt.MouseButton.LeftButton)
    assert "Rp 5.000" in dialog.message.text()

    with qtbot.waitSignal(dialog.report_shown, timeout=5000) as shown:  # X: nothing closes
        qtbot.keyClick(dialog, Qt.Key.Key_F5)
    x = shown.args[0]
    assert isinstance(x, ShiftReport) and x.kind == "X"
    assert x.expected_cash == 202_000 and x.sales_count == 1 and x.cash_out == 5_000
    assert "LAPORAN X" in dialog.report_text.toPlainText()
    assert rows(shop, "SELECT count(*) FROM shift WHERE status = 'open'") == [(1,)]

    qtbot.mouseClick(dialog.report_back, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.count_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=5000)
    assert sorted(dialog.counts) == [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000,
                                     100000]
    assert dialog.expected_label.text() == "Rp 202.000"
    # Counted so far: 1 x 100.000 + 2 x 50.000 = 200.000, Rp 2.000 short.
    dialog.set_count(100_000, 1)
    dialog.set_count(50_000, 2)
    assert dialog.counted_label.text() == "Rp 200.000"
    assert dialog.difference_label.text() == "-Rp 2.000"
    dialog.set_count(500, 3)  # then the coins: 3 x 500 + 2 x 100 = 1.700
    dialog.set_count(100, 2)
    assert dialog.counted_total == 201_700
    assert dialog.counted_label.text() == "Rp 201.700"
    assert dialog.difference_label.text() == "-Rp 300"
    with qtbot.waitSignal(dialog.report_shown, timeout=5000) as shown:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    z = shown.args[0]
    assert z.kind == "Z" and z.counted_cash == 201_700 and z.difference == -300
    assert z.expected_cash == 202_000
    assert z.counted_detail is not None
    assert list(z.counted_detail.items()) == [("100000", 1), ("50000", 2), ("500", 3),
                                              ("100", 2)]
    text = dialog.report_text.toPlainText()
    assert "LAPORAN Z" in text and "Rp 201.700" in text and "-Rp 300" in text
    assert "2 x Rp 50.000" in text
    assert not dialog.report_back.isVisible()  # a closed shift has nothing to go back to
    assert dialog.state == ShiftState(False, dialog.state.denominations if dialog.state
                                      else ())
    stored = rows(shop, "SELECT status, counted_cash, expected_cash, z_report FROM shift")
    assert stored[0][:3] == ("closed", 201_700, 202_000)
    assert json.loads(str(stored[0][3]))["difference"] == -300

    # Printed on the store's printer: none set up yet says so; a file printer gets it.
    with qtbot.waitSignal(dialog.refused, timeout=5000) as refused:
        qtbot.keyClick(dialog, Qt.Key.Key_F9)
    assert "no receipt printer" in refused.args[0]
    out = tmp_path / "printer.bin"
    with shop.uow() as uow:
        write_settings(uow.conn, {"printer.kind": "file", "printer.target": str(out),
                                  "printer.paper_mm": "58"})
        uow.commit()
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    job = out.read_bytes()
    assert b"LAPORAN Z" in job and b"Rp 201.700" in job and b"-Rp 300" in job


def test_open_a_shift_with_a_float(qtbot: QtBot, shop: Shop,
                                   money: tuple[GuiBackend, TaskManager]) -> None:
    backend, _ = money
    backend.money.close_shift({100_000: 2})  # the demo's float, counted back
    dialog = open_dialog(qtbot, money)
    assert dialog.state is not None and not dialog.state.open
    assert dialog.pages.currentIndex() == 0 and "Belum ada shift" in dialog.info.text()
    qtbot.keyClicks(dialog.float_amount, "150.000")
    with qtbot.waitSignal(dialog.shift_changed, timeout=5000) as changed:
        qtbot.keyClick(dialog.float_amount, Qt.Key.Key_Return)
    state = changed.args[0]
    assert state.open and state.float_amount == 150_000 and state.opened_by == "Sari"
    assert dialog.pages.currentIndex() == 1 and "Rp 150.000" in dialog.info.text()
    assert rows(shop, "SELECT float_amount FROM shift WHERE status = 'open'") == [(150_000,)]


def test_cash_in_needs_a_reason(qtbot: QtBot, shop: Shop,
                                money: tuple[GuiBackend, TaskManager]) -> None:
    dialog = open_dialog(qtbot, money)
    qtbot.keyClicks(dialog.move_amount, "50000")
    with qtbot.waitSignal(dialog.refused, timeout=5000) as refused:
        qtbot.keyClick(dialog, Qt.Key.Key_F3)
    assert "reason" in refused.args[0]
    assert rows(shop, "SELECT count(*) FROM cash_movement") == [(0,)]


def test_report_lines_fit_a_58_mm_roll() -> None:
    report = ShiftReport(
        shift_id="0193c0de-0000-7000-8000-000000000001", kind="Z", opened_by="Sari", opened_at="2026-11-26T08:00:00+07:00",
        closed_at="2026-11-26T16:00:00+07:00", float_amount=200_000, sales_count=12,
        sales_total=1_234_500, discount_total=0, tax_total=122_340, rounding_total=-200,
        by_method={"qris": {"count": 2, "amount": 234_500},
                   "cash": {"count": 10, "amount": 1_000_000}}, refunds_count=0,
        refunds_total=0, cash_in=0, cash_out=0, kasbon_repaid_cash=0, no_sale_opens=0,
        first_receipt="TOKO-01-000001", last_receipt="TOKO-01-000012",
        expected_cash=1_200_000, counted_cash=1_199_000, difference=-1_000,
        counted_detail={"100000": 11, "50000": 1, "20000": 2, "5000": 1})
    lines = report_lines(report)
    assert all(len(line) <= 32 for line in lines), [x for x in lines if len(x) > 32]
    assert any("QRIS (2)" in line and "Rp 234.500" in line for line in lines)
    assert any(line.endswith("-Rp 1.000") for line in lines)


@pytest.fixture
def no_open_shift(shop: Shop) -> None:
    from services.shifts import close_shift
    from tests.conftest import login
    actor = login(shop, "Budi", "5678")
    with shop.uow() as uow:
        close_shift(uow, shop.config, actor, {"100000": 2})


def test_the_till_says_when_no_shift_is_open_and_f10_opens_one(
        qtbot: QtBot, shop: Shop, no_open_shift: None, till: MainWindow) -> None:
    t = till.till
    qtbot.waitUntil(lambda: t.shift_open is False, timeout=5000)
    assert "F10" in t.message.text() and "shift" in t.message.text()
    qtbot.keyClick(t.scan, Qt.Key.Key_F10)
    dialog = t.money_dialog
    assert isinstance(dialog, ShiftDialog)
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=5000)
    assert dialog.pages.currentIndex() == 0
    qtbot.keyClicks(dialog.float_amount, "100000")
    with qtbot.waitSignal(dialog.shift_changed, timeout=5000):
        qtbot.keyClick(dialog.float_amount, Qt.Key.Key_Return)
    assert t.shift_open is True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: t.money_dialog is None, timeout=5000)
    qtbot.waitUntil(t.scan.hasFocus, timeout=5000)  # the scan box has the keyboard again


def test_the_count_button_shows_its_words_without_a_shortcut_mark(
        qtbot: QtBot, money: tuple[GuiBackend, TaskManager]) -> None:
    """A lone "&" in a button's words is Qt's shortcut mark: it showed as
    "Hitung uang _tutup shift (F8)"."""
    dialog = open_dialog(qtbot, money)
    assert dialog.count_button.text() == "Hitung uang dan tutup shift (F8)"


def test_shift_times_are_on_the_stores_clock() -> None:
    """Issue 11: the shift dialog and the X/Z report said UTC 12:36 beside receipts at 19:37
    WIB; they follow the setting ``timezone`` and write the zone as the shop does."""
    from ui import i18n
    from ui.shift_dialog import local_time
    try:
        i18n.set_zone("Asia/Jakarta")
        assert local_time("2026-12-07T12:36:00+00:00") == "07-12-2026 19:36 WIB"
        i18n.set_zone("Asia/Makassar")
        assert local_time("2026-12-07T12:36:00+00:00") == "07-12-2026 20:36 WITA"
        i18n.set_zone("Asia/Jayapura")
        assert local_time("2026-12-07T12:36:00+00:00") == "07-12-2026 21:36 WIT"
        assert local_time(None) == ""
    finally:
        i18n.set_zone(None)


def test_a_cash_out_beyond_the_drawer_asks_a_supervisor_and_names_both(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager]) -> None:
    """Issue 10: taking more than the drawer holds needs a supervisor's PIN; the till asks
    for it and the audit names who took the cash and who approved."""
    dialog = open_dialog(qtbot, money)
    qtbot.keyClicks(dialog.move_amount, "999999")  # the drawer holds Rp 200.000
    qtbot.keyClicks(dialog.move_reason, "setor ke bank")
    qtbot.mouseClick(dialog.cash_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pin_dialog is not None and dialog.pin_dialog.isVisible(),
                    timeout=5000)
    pin = dialog.pin_dialog
    assert pin is not None
    assert rows(shop, "SELECT count(*) FROM cash_movement") == [(0,)]  # nothing yet
    qtbot.waitUntil(lambda: pin.user.count() > 0, timeout=5000)
    pin.select_user("Budi")
    qtbot.keyClicks(pin.pin, "5678")
    with qtbot.waitSignal(dialog.cash_moved, timeout=10_000):
        qtbot.keyClick(pin.pin, Qt.Key.Key_Return)
    assert rows(shop, "SELECT kind, amount FROM cash_movement") == [("cash_out", 999_999)]
    assert rows(shop, "SELECT a.name, b.name FROM audit_log l JOIN user a ON a.id = l.actor_id "
                      "JOIN user b ON b.id = l.approver_id "
                      "WHERE l.action = 'drawer.cash_out_approved'") == [("Sari", "Budi")]

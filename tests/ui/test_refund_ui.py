"""Refund by receipt number with a supervisor's PIN, on a copy of the demo shop."""

from __future__ import annotations

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
from services.refunds import RefundableSale, RefundResult
from services.tender import CASH, TenderInput
from ui.main_window import MainWindow
from ui.refund_dialog import RefundDialog
from ui.supervisor_pin import SupervisorPinDialog
from ui.tasks import TaskManager

INDOMIE = "8991619730698"  # Rp 3.500
AQUA = "M-0016"  # Aqua 600 ml, Rp 3.500


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


def sell(backend: GuiBackend) -> str:
    """3 Indomie and 1 Aqua, Rp 14.000 in cash."""
    cart = Cart().add(backend.core.lookup(INDOMIE), 3000).add(backend.core.lookup(AQUA), 1000)
    return backend.money.pay(cart, [TenderInput(CASH, 20_000)]).receipt_no


def find(qtbot: QtBot, dialog: RefundDialog, receipt: str) -> RefundableSale:
    qtbot.keyClicks(dialog.receipt, receipt)
    with qtbot.waitSignal(dialog.found, timeout=5000) as found:
        qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    sale = found.args[0]
    assert isinstance(sale, RefundableSale)
    return sale


def ask_pin(qtbot: QtBot, dialog: RefundDialog) -> SupervisorPinDialog:
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    pin = dialog.pin_dialog
    assert pin is not None and pin.isVisible()
    qtbot.waitUntil(lambda: pin.user.count() > 0, timeout=5000)  # the approvers' names
    return pin


def type_pin(qtbot: QtBot, pin: SupervisorPinDialog, user: str, digits: str) -> None:
    pin.select_user(user)
    pin.pin.clear()
    qtbot.keyClicks(pin.pin, digits)
    with qtbot.waitSignal(pin.answered, timeout=10_000):
        qtbot.keyClick(pin.pin, Qt.Key.Key_Return)


def test_refund_needs_the_right_supervisor_pin(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        tmp_path: Path) -> None:
    backend, tasks = money
    receipt = sell(backend)
    dialog = RefundDialog(backend, tasks)
    qtbot.addWidget(dialog)
    dialog.open()
    sale = find(qtbot, dialog, receipt)
    assert [(x.name, x.qty_milli, x.left_milli) for x in sale.lines] == [
        ("Indomie Goreng 85 g", 3000, 3000), (sale.lines[1].name, 1000, 1000)]
    assert dialog.table.rowCount() == 2 and dialog.table.item(0, 0).text() == sale.lines[0].name
    assert "Tunai" in dialog.sale_info.text()
    dialog.set_qty(1, 2000)  # two of the three Indomie
    qtbot.keyClicks(dialog.reason, "rusak")
    assert dialog.chosen() == [(1, 2000)]
    assert dialog.total_label.text() == "Rp 7.000"

    pin = ask_pin(qtbot, dialog)
    assert "Budi" in [pin.user.itemText(i) for i in range(pin.user.count())]
    assert "Sari" not in [pin.user.itemText(i) for i in range(pin.user.count())]
    type_pin(qtbot, pin, "Budi", "0000")  # wrong PIN
    assert "wrong PIN" in pin.message.text() and pin.isVisible()
    assert rows(shop, "SELECT count(*) FROM refund") == [(0,)]
    assert rows(shop, "SELECT failed_pins FROM user WHERE name = 'Budi'") == [(1,)]

    type_pin(qtbot, pin, "Sari", "1234")  # a cashier cannot approve her own refund
    assert "supervisor" in pin.message.text()
    assert rows(shop, "SELECT count(*) FROM refund") == [(0,)]

    with qtbot.waitSignal(dialog.refunded, timeout=10_000) as blocker:
        type_pin(qtbot, pin, "Budi", "5678")
    done = blocker.args[0]
    assert isinstance(done, RefundResult)
    assert done.gross == 7_000 and done.cash_paid == 7_000 and done.method == "cash"
    assert done.approved_by == "Budi" and done.receipt_no == receipt
    assert done.refund_no in dialog.message.text()
    assert "tunai" in dialog.message.text().lower() and "Rp 7.000" in dialog.message.text()
    assert rows(shop, "SELECT refund_no, gross, reason FROM refund") == [
        (done.refund_no, 7_000, "rusak")]
    qtbot.waitUntil(lambda: dialog.pin_dialog is None, timeout=5000)

    # The refund slip for the customer, on the store's printer (a file here).
    out = tmp_path / "printer.bin"
    with shop.uow() as uow:
        write_settings(uow.conn, {"printer.kind": "file", "printer.target": str(out)})
        uow.commit()
    assert dialog.print_button.isVisible()
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        qtbot.keyClick(dialog, Qt.Key.Key_F9)
    assert done.refund_no.encode() in out.read_bytes()

    # Looked up again, only what is left can be refunded.
    dialog.receipt.clear()
    sale = find(qtbot, dialog, receipt)
    assert [x.left_milli for x in sale.lines] == [1000, 1000]


def test_an_unknown_receipt_says_so(qtbot: QtBot, shop: Shop,
                                    money: tuple[GuiBackend, TaskManager]) -> None:
    backend, tasks = money
    dialog = RefundDialog(backend, tasks)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.receipt, "NOPE-1")
    with qtbot.waitSignal(dialog.refused, timeout=5000) as refused:
        qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    assert "NOPE-1" in refused.args[0]
    assert dialog.sale is None and not dialog.ok.isEnabled()


def test_nothing_chosen_asks_for_quantities_before_any_pin(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager]) -> None:
    backend, tasks = money
    receipt = sell(backend)
    dialog = RefundDialog(backend, tasks)
    qtbot.addWidget(dialog)
    dialog.open()
    find(qtbot, dialog, receipt)
    with qtbot.waitSignal(dialog.refused, timeout=2000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.pin_dialog is None
    dialog.choose_all(True)
    assert dialog.chosen() == [(1, 3000), (2, 1000)]
    assert dialog.total_label.text() == "Rp 14.000"


def test_ctrl_r_at_the_till_opens_the_refund_dialog(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    qtbot.keyClick(t.scan, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = t.money_dialog
    assert isinstance(dialog, RefundDialog) and dialog.isVisible()
    qtbot.waitUntil(dialog.receipt.hasFocus, timeout=5000)  # ready to type or scan
    qtbot.keyClick(dialog.receipt, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: t.money_dialog is None, timeout=5000)
    qtbot.waitUntil(t.scan.hasFocus, timeout=5000)  # the scan box has the keyboard again

"""The till prints the receipt of a sale it just committed; F11 reprints it as a copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.shop import Shop
from local_db.store import write_settings
from ui.main_window import MainWindow

INDOMIE = "8991619730698"  # MI-0001, Indomie Goreng, Rp 3.500


def test_cash_sale_prints_its_receipt_and_f11_reprints(qtbot: QtBot, till: MainWindow,
                                                       shop: Shop, tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    with shop.uow() as uow:
        write_settings(uow.conn, {"printer.kind": "file", "printer.target": str(out),
                                  "printer.paper_mm": "58"})
        uow.commit()
    t = till.till
    with qtbot.waitSignal(t.scan_answered, timeout=5000):
        qtbot.keyClicks(t.scan, INDOMIE)
        qtbot.keyClick(t.scan, Qt.Key.Key_Return)
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)  # the pay dialog
    dialog = t.pay_dialog
    assert dialog is not None
    with qtbot.waitSignal(till.receipts.printed, timeout=10_000) as printed:
        with qtbot.waitSignal(t.sale_completed, timeout=10_000) as sold:
            qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    receipt_no = sold.args[0].receipt_no
    result = printed.args[0]
    assert result.printed and result.drawer_kicked and result.receipt_no == receipt_no
    job = out.read_bytes()
    assert receipt_no.encode() in job
    assert b"Indomie Goreng 85 g" in job and b"Rp 3.500" in job
    assert b"\x1bp" in job  # cash sale: the drawer opened
    assert "struk dicetak" in t.message.text()
    assert t.scan.hasFocus()

    # F11: the same receipt again, marked as a copy, drawer shut.
    with qtbot.waitSignal(till.receipts.printed, timeout=10_000) as again:
        qtbot.keyClick(t.scan, Qt.Key.Key_F11)
    assert again.args[0].printed and not again.args[0].drawer_kicked
    job = out.read_bytes()
    assert receipt_no.encode() in job and b"SALINAN" in job and b"\x1bp" not in job
    assert receipt_no in t.message.text()


def test_printer_off_is_told_on_the_till_and_the_sale_stays(qtbot: QtBot, till: MainWindow,
                                                            shop: Shop,
                                                            tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "lp0"  # a printer device that is not there
    with shop.uow() as uow:
        write_settings(uow.conn, {"printer.kind": "file", "printer.target": str(missing)})
        uow.commit()
    t = till.till
    with qtbot.waitSignal(t.scan_answered, timeout=5000):
        qtbot.keyClicks(t.scan, INDOMIE)
        qtbot.keyClick(t.scan, Qt.Key.Key_Return)
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)
    dialog = t.pay_dialog
    assert dialog is not None
    with qtbot.waitSignal(till.receipts.printed, timeout=10_000) as printed:
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    result = printed.args[0]
    assert not result.printed and str(missing) in result.message
    assert "tidak tercetak" in t.message.text() and str(missing) in t.message.text()
    assert t.cart.lines == ()  # the sale is committed: the next customer's cart is empty


def test_f11_with_no_printer_set_up_says_why_nothing_printed(qtbot: QtBot,
                                                            till: MainWindow) -> None:
    # The demo shop has no receipt printer (printer.kind "none").
    t = till.till
    with qtbot.waitSignal(t.scan_answered, timeout=5000):
        qtbot.keyClicks(t.scan, INDOMIE)
        qtbot.keyClick(t.scan, Qt.Key.Key_Return)
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)
    dialog = t.pay_dialog
    assert dialog is not None
    with qtbot.waitSignal(till.receipts.printed, timeout=10_000):
        with qtbot.waitSignal(t.sale_completed, timeout=10_000) as sold:
            qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    receipt_no = sold.args[0].receipt_no
    after_sale = t.message.text()
    with qtbot.waitSignal(till.receipts.printed, timeout=10_000) as again:
        qtbot.keyClick(t.scan, Qt.Key.Key_F11)
    assert not again.args[0].printed and again.args[0].printer == "none"
    said = t.message.text()
    assert said != after_sale and receipt_no in said
    assert "belum ada printer struk" in said and "Pengaturan toko" in said
    assert "b00020" in t.message.styleSheet()  # shown as a problem, not a note


def test_reprint_dialog_takes_a_typed_number_and_saves_a_pdf(
        qtbot: QtBot, till: MainWindow, shop: Shop, tmp_path: Path) -> None:
    from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
    from tests.conftest import login

    out = tmp_path / "printer.bin"
    with shop.uow() as uow:
        write_settings(uow.conn, {"printer.kind": "file", "printer.target": str(out)})
        uow.commit()
    # A sale made before this session of the till (say, before a restart).
    budi = login(shop, "Budi", "5678")  # before the write below: one writer at a time
    with shop.uow() as uow:
        sale = complete_sale(uow, shop.config, budi, SaleRequest(
            (LineRequest("MI-0001", 1000),), (PaymentRequest("cash", 5_000),)))
    t = till.till
    # F11 with no receipt printed in this session: the dialog asks which one.
    qtbot.keyClick(t.scan, Qt.Key.Key_F11)
    dialog = till.receipts.dialog
    assert dialog is not None and dialog.isVisible() and dialog.number.text() == ""
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)  # nothing typed: it says so, stays
    assert dialog.isVisible() and dialog.note.text()
    pdf = tmp_path / "struk.pdf"
    with qtbot.waitSignal(till.receipts.pdf_saved, timeout=10_000) as saved:
        qtbot.keyClicks(dialog.number, sale.receipt_no)
        dialog.save_pdf(sale.receipt_no, str(pdf))  # what "Save PDF (F8)" does once a
        # file is chosen in the save dialog
    assert saved.args == [sale.receipt_no, str(pdf)]
    assert pdf.read_bytes().startswith(b"%PDF") and sale.receipt_no.encode() in pdf.read_bytes()
    assert str(pdf) in t.message.text()

    qtbot.keyClick(t.scan, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    dialog = till.receipts.dialog
    assert dialog is not None
    with qtbot.waitSignal(till.receipts.printed, timeout=10_000) as printed:
        qtbot.keyClicks(dialog.number, sale.receipt_no)
        qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    assert printed.args[0].printed and not printed.args[0].drawer_kicked
    assert b"SALINAN" in out.read_bytes() and sale.receipt_no.encode() in out.read_bytes()
    # An unknown number is said on the till, nothing printed.
    qtbot.keyClick(t.scan, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    dialog = till.receipts.dialog
    assert dialog is not None
    with qtbot.waitSignal(till.receipts.printed, timeout=10_000) as printed:
        qtbot.keyClicks(dialog.number, "DEMO-T01-999999")
        qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    assert not printed.args[0].printed and "DEMO-T01-999999" in t.message.text()

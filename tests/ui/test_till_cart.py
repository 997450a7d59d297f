"""The till's cart area on a copy of the demo shop: weighed items, quantities, voids with a
supervisor's PIN, discounts within and over the limit, customers and kasbon, hold and
resume, the category grid. Real database, real services; waits on signals, never sleeps."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.gui import GuiBackend
from app.secrets import cipher_for
from app.shop import Shop
from local_db.store import write_settings
from services.customers import create_customer
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.helpers import counts, scalar
from ui.customer_dialog import CustomerDialog
from ui.discount_dialog import DiscountDialog
from ui.held_dialog import HoldDialog, ResumeDialog, ResumeReport
from ui.main_window import MainWindow
from ui.supervisor_pin import SupervisorPinDialog
from ui.till import TillPage
from ui.weight_dialog import QuantityDialog

INDOMIE = "8991619730698"  # MI-0001 Indomie Goreng 85 g, Rp 3.500
EGGS = "TMB-0176"  # Telur Ayam Curah, Rp 29.000 per kg


@pytest.fixture
def beeps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: calls.append(1)))
    return calls


def scan(qtbot: QtBot, t: TillPage, code: str) -> None:
    with qtbot.waitSignal(t.scan_answered, timeout=5000):
        qtbot.keyClicks(t.scan, code)
        qtbot.keyClick(t.scan, Qt.Key.Key_Return)


def dialog_of(qtbot: QtBot, t: TillPage, kind: type[Any]) -> Any:
    """The cart dialog of ``kind``, once it is the active window (its keys work then)."""
    qtbot.waitUntil(lambda: isinstance(t.cart_dialog, kind) and t.cart_dialog.isVisible()
                    and t.cart_dialog.isActiveWindow(), timeout=5000)
    return t.cart_dialog


def closed(qtbot: QtBot, t: TillPage) -> None:
    """The dialog is gone and the scan box has the keyboard again (after the main window
    is activated once more, which the window system does after the dialog closed)."""
    qtbot.waitUntil(lambda: t.cart_dialog is None and t.scan.hasFocus(), timeout=5000)


def last_audit(shop: Shop, action: str) -> dict[str, Any] | None:
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT actor_id, approver_id, details FROM audit_log WHERE action = :a "
            "ORDER BY seq DESC LIMIT 1"), {"a": action}).first()
    if row is None:
        return None
    return {"actor_id": row[0], "approver_id": row[1], "details": json.loads(row[2])}


def user_id(shop: Shop, name: str) -> str:
    return str(scalar(shop, "SELECT id FROM user WHERE name = :n", n=name))


def supervisor_needed(shop: Shop) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"void_needs_supervisor": "1"})
        uow.commit()


def type_pin(qtbot: QtBot, dialog: SupervisorPinDialog, name: str, pin: str) -> None:
    dialog.select_user(name)
    dialog.pin.clear()
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.keyClicks(dialog.pin, pin)
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


# --- weighed items and quantities -------------------------------------------------------

@pytest.mark.parametrize("typed", ["0,75", "0.75"])
def test_weighed_item_asks_for_the_weight_and_is_priced_by_it(
        qtbot: QtBot, till: MainWindow, typed: str) -> None:
    t = till.till
    scan(qtbot, t, EGGS)
    dialog = dialog_of(qtbot, t, QuantityDialog)
    assert t.table.rowCount() == 0  # nothing is added before the weight is known
    qtbot.keyClicks(dialog.field, typed)
    assert dialog.preview.text() == "0,75 kg × Rp 29.000 = Rp 21.750"
    with qtbot.waitSignal(t.cart_changed, timeout=5000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    [line] = t.cart.lines
    assert (line.item.sku, line.qty_milli) == (EGGS, 750)
    assert t.table.item(0, 1).text() == "0,75 kg"
    assert t.table.item(0, 3).text() == "Rp 21.750"
    assert t.priced is not None and t.priced.total == 21_750
    assert t.scan.hasFocus()


def test_weight_dialog_refuses_nonsense_and_plus_asks_for_the_weight(
        qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    scan(qtbot, t, EGGS)
    dialog = dialog_of(qtbot, t, QuantityDialog)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # empty
    assert dialog.isVisible() and dialog.message.text().startswith("Jumlah:")
    qtbot.keyClicks(dialog.field, "0")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.isVisible() and "lebih dari nol" in dialog.message.text()
    dialog.field.setText("1,5")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.cart.lines[0].qty_milli == 1500
    qtbot.keyClick(t.scan, Qt.Key.Key_F6)  # + on a weighed line: the weight again
    dialog = dialog_of(qtbot, t, QuantityDialog)
    assert dialog.field.text() == "1,5"
    dialog.field.setText("2,25")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.cart.lines[0].qty_milli == 2250 and t.priced is not None
    assert t.priced.total == 65_250


def test_f4_sets_the_quantity_of_a_piece_line_in_whole_numbers(
        qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    qtbot.keyClick(t.scan, Qt.Key.Key_F4)
    dialog = dialog_of(qtbot, t, QuantityDialog)
    assert dialog.field.text() == "1" and not dialog.weighed
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, "2,5")  # the validator takes no decimals for pieces
    assert dialog.field.text() == "25"
    dialog.field.setText("4")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.cart.lines[0].qty_milli == 4000 and t.totals.total.text() == "Rp 14.000"
    qtbot.keyClick(t.scan, Qt.Key.Key_F5)
    assert t.cart.lines[0].qty_milli == 3000
    assert t.scan.hasFocus()


# --- removing lines ---------------------------------------------------------------------

def test_remove_line_without_the_setting_is_audited_at_once(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    with qtbot.waitSignal(t.cart_changed, timeout=5000):
        qtbot.keyClick(t.scan, Qt.Key.Key_Delete)
    assert t.cart.lines == () and t.cart_dialog is None
    audit = last_audit(shop, "cart.void_line")
    assert audit is not None and audit["approver_id"] is None
    assert audit["actor_id"] == user_id(shop, "Sari")
    assert audit["details"]["sku"] == "MI-0001"
    assert t.scan.hasFocus()


def test_remove_line_needs_a_supervisor_pin_when_the_shop_says_so(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    supervisor_needed(shop)
    t = till.till
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, "M-0016")
    t.table.selectRow(0)
    before = counts(shop)["audit_log"]
    qtbot.keyClick(t.scan, Qt.Key.Key_Delete)
    dialog = dialog_of(qtbot, t, SupervisorPinDialog)
    assert "Indomie Goreng 85 g" in dialog.findChild(type(dialog.message), "supWhat").text()
    type_pin(qtbot, dialog, "Budi", "0000")  # wrong
    assert dialog.isVisible() and "wrong PIN" in dialog.message.text()
    assert dialog.pin.text() == ""
    type_pin(qtbot, dialog, "Sari", "1234")  # right PIN, but a cashier
    assert dialog.isVisible() and "supervisor" in dialog.message.text()
    assert len(t.cart.lines) == 2 and counts(shop)["audit_log"] == before
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        type_pin(qtbot, dialog, "Budi", "5678")
    closed(qtbot, t)
    assert [x.item.sku for x in t.cart.lines] == ["M-0016"]
    audit = last_audit(shop, "cart.void_line")
    assert audit is not None
    assert audit["approver_id"] == user_id(shop, "Budi")
    assert audit["actor_id"] == user_id(shop, "Sari")
    assert audit["details"]["sku"] == "MI-0001"
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name = 'Budi'") == 0
    assert t.scan.hasFocus()


def test_cancelling_the_pin_keeps_the_line_and_esc_voids_the_cart(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    supervisor_needed(shop)
    t = till.till
    scan(qtbot, t, INDOMIE)
    qtbot.keyClick(t.scan, Qt.Key.Key_Delete)
    dialog = dialog_of(qtbot, t, SupervisorPinDialog)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Escape)
    closed(qtbot, t)
    assert len(t.cart.lines) == 1 and t.scan.hasFocus()
    qtbot.keyClick(t.scan, Qt.Key.Key_Escape)  # the whole cart: a void too
    dialog = dialog_of(qtbot, t, SupervisorPinDialog)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        type_pin(qtbot, dialog, "Wati", "9999")
    assert t.cart.lines == ()
    audit = last_audit(shop, "cart.void")
    assert audit is not None and audit["approver_id"] == user_id(shop, "Wati")


# --- discounts ---------------------------------------------------------------------------

def test_line_discount_within_the_cashiers_limit(qtbot: QtBot, till: MainWindow,
                                                 shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, INDOMIE)  # Rp 7.000
    before = counts(shop)
    qtbot.keyClick(t.scan, Qt.Key.Key_F3)
    dialog = dialog_of(qtbot, t, DiscountDialog)
    qtbot.keyClicks(dialog.field, "10")
    assert dialog.preview.text() == "10% = Rp 700"
    assert "Dalam batas" in dialog.limit.text()
    with qtbot.waitSignal(t.cart_changed, timeout=5000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.priced is not None and t.priced.discount_total == 700
    assert t.findChild(type(t.totals.total), "total_discount").text() == "-Rp 700"
    assert "diskon" in t.table.item(0, 0).text()
    assert counts(shop) == before  # nothing to approve, nothing written
    assert t.scan.hasFocus()


def test_discount_over_the_limit_needs_a_supervisor_and_the_sale_takes_it(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, INDOMIE)  # Rp 7.000
    qtbot.keyClick(t.scan, Qt.Key.Key_F3)
    dialog = dialog_of(qtbot, t, DiscountDialog)
    qtbot.keyClick(dialog.field, Qt.Key.Key_F6)  # rupiah
    qtbot.keyClicks(dialog.field, "1.400")
    assert dialog.preview.text() == "20% = Rp 1.400"
    assert "perlu PIN supervisor" in dialog.limit.text()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    pin = dialog_of(qtbot, t, SupervisorPinDialog)
    assert pin.role == "supervisor"
    type_pin(qtbot, pin, "Budi", "1111")
    assert pin.isVisible() and t.priced is not None and t.priced.discount_total == 0
    assert last_audit(shop, "discount.approve") is None
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        type_pin(qtbot, pin, "Budi", "5678")
    closed(qtbot, t)
    assert t.priced is not None and t.priced.discount_total == 1400
    audit = last_audit(shop, "discount.approve")
    assert audit is not None and audit["approver_id"] == user_id(shop, "Budi")
    assert audit["details"]["amount"] == 1400 and audit["details"]["sku"] == "MI-0001"
    # The till keeps the approval as a value with its cart and hands it to the pay dialog;
    # the sale is committed with it (the checkout checks the role again).
    [grant] = t.sale.grants
    assert grant.approver.name == "Budi" and grant.line_no == t.cart.lines[0].line_no
    assert grant.discount == t.cart.lines[0].discount
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)
    dialog = t.pay_dialog
    assert dialog is not None and dialog.grants == t.sale.grants
    with qtbot.waitSignal(t.sale_completed, timeout=10_000) as sold:
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    assert sold.args[0].discount_total == 1400
    over = last_audit(shop, "discount.over_limit")
    assert over is not None and over["approver_id"] == user_id(shop, "Budi")
    assert t.sale.grants == () and t.cart.lines == ()  # paid: the next cart starts clean


def test_the_tills_approvals_go_with_its_cart_held_and_voided(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, INDOMIE)  # Rp 7.000
    qtbot.keyClick(t.scan, Qt.Key.Key_F3)
    dialog = dialog_of(qtbot, t, DiscountDialog)
    qtbot.keyClick(dialog.field, Qt.Key.Key_F6)
    qtbot.keyClicks(dialog.field, "1.400")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    pin = dialog_of(qtbot, t, SupervisorPinDialog)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        type_pin(qtbot, pin, "Budi", "5678")
    closed(qtbot, t)
    granted = t.sale.grants
    assert len(granted) == 1
    qtbot.keyClick(t.scan, Qt.Key.Key_F8)  # held away: the approval goes with the cart ...
    hold = dialog_of(qtbot, t, HoldDialog)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(hold.label, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: t.cart.lines == (), timeout=5000)
    assert t.sale.grants == ()
    qtbot.keyClick(t.scan, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    chooser = dialog_of(qtbot, t, ResumeDialog)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    assert t.sale.grants == granted  # ... and comes back with it on this till
    assert t.priced is not None and t.priced.discount_total == 1400
    closed(qtbot, t)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(t.scan, Qt.Key.Key_Escape)  # voided: the approval is gone
    assert t.cart.lines == () and t.sale.grants == ()


def test_order_discount_above_the_supervisors_limit_needs_the_owner(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    qtbot.keyClick(t.scan, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    dialog = dialog_of(qtbot, t, DiscountDialog)
    qtbot.keyClicks(dialog.field, "60")
    assert "pemilik" in dialog.limit.text()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    pin = dialog_of(qtbot, t, SupervisorPinDialog)
    assert pin.role == "owner"
    type_pin(qtbot, pin, "Budi", "5678")  # a supervisor is not enough
    assert pin.isVisible() and "owner" in pin.message.text()
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        type_pin(qtbot, pin, "Wati", "9999")
    assert t.cart.discount.percent == 60
    assert t.priced is not None and t.priced.discount_total == 2100
    audit = last_audit(shop, "discount.approve")
    assert audit is not None and audit["approver_id"] == user_id(shop, "Wati")
    assert audit["details"]["needed"] == "owner"


def test_an_impossible_discount_cannot_be_applied(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    qtbot.keyClick(t.scan, Qt.Key.Key_F3)
    dialog = dialog_of(qtbot, t, DiscountDialog)
    qtbot.keyClick(dialog.field, Qt.Key.Key_F6)
    qtbot.keyClicks(dialog.field, "5000")  # more than the Rp 3.500 line
    assert not dialog.ok.isEnabled() and dialog.limit.text().startswith("Diskon:")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    closed(qtbot, t)
    assert t.cart.lines[0].discount.is_zero and t.scan.hasFocus()


# --- customers ---------------------------------------------------------------------------

def test_new_customer_offline_is_validated_attached_and_detached(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    qtbot.keyClick(t.scan, Qt.Key.Key_F7)
    dialog = dialog_of(qtbot, t, CustomerDialog)
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)  # no name
    assert dialog.message.text().startswith("Nama:")
    dialog.new_name.setText("Bu Ani")
    dialog.new_phone.setText("12")
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.keyClick(dialog.new_phone, Qt.Key.Key_Return)
    assert dialog.message.text().startswith("No. HP:")
    assert scalar(shop, "SELECT count(*) FROM customer") == 0
    dialog.new_phone.setText("0812-3456-7890")
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.new_phone, Qt.Key.Key_Return)
    closed(qtbot, t)
    card = t.customer_card
    assert card is not None and card.name == "Bu Ani" and card.phone == "+62 ••• 7890"
    assert t.cart.customer_id == card.id
    assert "Bu Ani" in t.customer.text() and "Kasbon: Rp 0" in t.customer.text()
    assert not t.customer.isHidden()
    # Stored encrypted: the phone is not in the row in clear.
    assert scalar(shop, "SELECT count(*) FROM customer WHERE phone_enc LIKE '%7890%'") == 0
    qtbot.keyClick(t.scan, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert t.cart.customer_id is None and t.customer.isHidden()
    assert t.scan.hasFocus()


def test_customer_found_by_name_and_phone_shows_the_kasbon_balance(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    backend = till.backend
    assert isinstance(backend, GuiBackend)
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        budi = uow.session.execute(text("SELECT id, name, role FROM user WHERE name='Budi'"
                                        )).one()
        # As Budi signed in with his PIN (services.users: no PIN, no customer edits).
        ani = create_customer(uow, cipher, Actor(str(budi[0]), budi[1], budi[2], True),
                              name="Bu Ani Warung", phone="0812-3456-7890",
                              credit_limit=500_000)
    sari = backend.ctx.require_actor()
    with shop.uow() as uow:  # she owes Rp 7.000 from an earlier kasbon sale
        complete_sale(uow, shop.config, sari, SaleRequest(
            lines=(LineRequest("MI-0001", 2000),), payments=(PaymentRequest("kasbon", 7000),),
            customer_id=ani.id))
    t = till.till
    qtbot.keyClick(t.scan, Qt.Key.Key_F7)
    dialog = dialog_of(qtbot, t, CustomerDialog)
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.keyClicks(dialog.search, "ani")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.results.count() == 1
    assert dialog.results.item(0).text().startswith("Bu Ani Warung")
    assert "Rp 500.000" in dialog.results.item(0).text()
    dialog.search.clear()
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.keyClicks(dialog.search, "0812 3456 7890")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.results.count() == 1
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # Enter attaches the chosen one
    closed(qtbot, t)
    card = t.customer_card
    assert card is not None and card.id == ani.id
    assert (card.kasbon_balance, card.kasbon_available) == (7000, 493_000)
    assert "Kasbon: Rp 7.000" in t.customer.text()
    assert "Rp 493.000" in t.customer.text()
    assert t.cart.customer_id == ani.id


def test_unknown_phone_finds_nobody_and_offers_it_for_a_new_customer(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    keys = "SELECT count(*) FROM setting WHERE key = 'data_key_id'"
    had_key = scalar(shop, keys)
    t = till.till
    qtbot.keyClick(t.scan, Qt.Key.Key_F7)
    dialog = dialog_of(qtbot, t, CustomerDialog)
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.keyClicks(dialog.search, "0812-9999-0000")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.results.count() == 0
    assert "Tidak ditemukan" in dialog.message.text()
    assert dialog.new_phone.text() == "0812-9999-0000"
    assert scalar(shop, keys) == had_key  # a search (pool lane) never makes the first key
    qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
    closed(qtbot, t)
    assert t.scan.hasFocus()


# --- hold and resume ---------------------------------------------------------------------

def test_hold_then_resume_restores_the_cart(qtbot: QtBot, till: MainWindow,
                                            shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, "R-0110")
    scan(qtbot, t, EGGS)
    weight = dialog_of(qtbot, t, QuantityDialog)
    weight.field.setText("0,5")
    qtbot.keyClick(weight.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    held = t.cart
    assert len(held.lines) == 3
    qtbot.keyClick(t.scan, Qt.Key.Key_F8)
    dialog = dialog_of(qtbot, t, HoldDialog)
    dialog.label.setText("Pak Joko")
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.label, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: t.cart.lines == (), timeout=5000)
    assert "Pak Joko" in t.message.text()
    assert scalar(shop, "SELECT count(*) FROM held_cart") == 1
    scan(qtbot, t, "M-0016")  # the next customer meanwhile ...
    qtbot.keyClick(t.scan, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert "tahan (F8)" in t.message.text()  # ... must be finished or held first
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(t.scan, Qt.Key.Key_Escape)  # (voided here)
    qtbot.keyClick(t.scan, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    chooser = dialog_of(qtbot, t, ResumeDialog)
    assert chooser.list.count() == 1 and "Pak Joko" in chooser.list.item(0).text()
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    assert t.cart == held  # the same lines, quantities, prices and line numbers
    assert scalar(shop, "SELECT count(*) FROM held_cart") == 0
    assert t.cart_dialog is None  # no changes: nothing to report
    assert t.scan.hasFocus()


def test_resume_shows_price_changes_and_unavailable_lines(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    t = till.till
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, "M-0016")
    qtbot.keyClick(t.scan, Qt.Key.Key_F8)
    dialog = dialog_of(qtbot, t, HoldDialog)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.label, Qt.Key.Key_Return)  # the default name
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE product SET price = 3800 WHERE sku = 'MI-0001'"))
        uow.conn.execute(text("UPDATE product SET active = 0 WHERE sku = 'M-0016'"))
        uow.commit()
    qtbot.waitUntil(lambda: t.cart.lines == (), timeout=5000)
    qtbot.keyClick(t.scan, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    chooser = dialog_of(qtbot, t, ResumeDialog)
    qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    report = dialog_of(qtbot, t, ResumeReport)
    assert report.lines == [
        "Harga berubah — Indomie Goreng 85 g: Rp 3.500 → Rp 3.800",
        "Tidak dijual lagi, dikeluarkan — Aqua Air Mineral 600 ml (1)"]
    assert [(x.item.sku, x.unit_price) for x in t.cart.lines] == [("MI-0001", 3800)]
    qtbot.keyClick(report, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.scan.hasFocus()


def test_hold_and_resume_with_nothing_say_so(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    qtbot.keyClick(t.scan, Qt.Key.Key_F8)
    assert t.cart_dialog is None and "kosong" in t.message.text()
    qtbot.keyClick(t.scan, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "Tidak ada keranjang" in t.message.text(), timeout=5000)
    assert t.cart_dialog is None and t.scan.hasFocus()


# --- the category grid and the scan box --------------------------------------------------

def test_category_grid_adds_a_product_with_one_tap(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    grid = t.grid
    qtbot.waitUntil(lambda: grid.button("Mi Instan") is not None, timeout=5000)
    button = grid.button("Mi Instan")
    assert button is not None and button.minimumHeight() >= 56
    assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    with qtbot.waitSignal(grid.loaded, timeout=5000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    product = grid.button("Indomie Goreng 85 g")
    assert product is not None and "Rp 3.500" in product.text()
    with qtbot.waitSignal(t.scan_answered, timeout=5000):
        qtbot.mouseClick(product, Qt.MouseButton.LeftButton)
    assert [x.item.sku for x in t.cart.lines] == ["MI-0001"]
    assert t.scan.hasFocus()
    with qtbot.waitSignal(grid.loaded, timeout=5000):
        qtbot.mouseClick(grid.back, Qt.MouseButton.LeftButton)
    assert grid.button("Sembako") is not None and grid.current is None


def test_grid_weighed_product_asks_for_the_weight(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    grid = t.grid
    qtbot.waitUntil(lambda: grid.button("Sembako") is not None, timeout=5000)
    with qtbot.waitSignal(grid.loaded, timeout=5000):
        qtbot.mouseClick(grid.button("Sembako"), Qt.MouseButton.LeftButton)
    eggs = grid.button("Telur Ayam Curah")
    assert eggs is not None and "/ kg" in eggs.text()
    qtbot.mouseClick(eggs, Qt.MouseButton.LeftButton)
    dialog = dialog_of(qtbot, t, QuantityDialog)
    dialog.field.setText("0,25")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.cart.lines[0].qty_milli == 250 and t.priced is not None
    assert t.priced.total == 7250


def test_unknown_barcode_still_beeps_and_keeps_the_focus(
        qtbot: QtBot, till: MainWindow, beeps: list[int]) -> None:
    t = till.till
    scan(qtbot, t, EGGS)  # a dialog came and went ...
    dialog = dialog_of(qtbot, t, QuantityDialog)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    closed(qtbot, t)
    assert t.cart.lines == ()
    scan(qtbot, t, "2999999999999")  # ... and an unknown code is still just a beep
    assert t.message.text() == "Barang tidak dikenal: 2999999999999"
    assert beeps == [1] and t.cart_dialog is None and t.scan.hasFocus()


def test_buttons_show_their_keys_and_leave_the_money_keys_free(till: MainWindow) -> None:
    t = till.till
    expected = {"qty": "F4", "line_discount": "F3", "order_discount": "⇧F3",
                "customer": "F7", "hold": "F8", "resume": "⇧F8", "remove": "Del"}
    for key, fkey in expected.items():
        assert f"({fkey})" in t.buttons[key].text()
        assert t.buttons[key].focusPolicy() == Qt.FocusPolicy.NoFocus
        assert t.buttons[key].minimumHeight() >= 44
    for taken in ("F9", "F10", "F11", "Ctrl+R"):
        assert not any(f"({taken})" in t.buttons[k].text() for k in expected)


def test_the_cart_words_follow_the_language(qtbot: QtBot, till: MainWindow) -> None:
    t = till.till
    till.toggle_language()
    assert t.buttons["line_discount"].text() == "Line discount\n(F3)"
    assert t.buttons["resume"].text() == "Resume\n(⇧F8)"
    assert t.grid.back.text() == "◀ All categories"
    scan(qtbot, t, EGGS)
    dialog = dialog_of(qtbot, t, QuantityDialog)
    assert "how many kg" in dialog.windowTitle() + " " + dialog.findChildren(
        type(dialog.preview))[0].text()
    qtbot.keyClicks(dialog.field, "0.5")
    assert dialog.preview.text() == "0.5 kg × Rp 29,000 = Rp 14,500"  # English grouping
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.table.item(0, 1).text() == "0.5 kg"

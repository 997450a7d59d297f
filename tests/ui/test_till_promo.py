"""A promo code at the till (Ctrl+P): checked by the shop off the main thread, shown above
the cart with its discount, sold with the cart, refused (naming why) when used up or without
a customer, and taken off again. Real database and services; waits on signals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from local_db.ids import now_iso
from services.cart import Discount
from services.promo_codes import PromoSpec, check_spec, insert_promo
from services.promo_till import promo_of
from tests.helpers import scalar
from tests.services.campaign_helpers import add_customers
from tests.ui.test_till_cart import INDOMIE, closed, dialog_of, scan
from ui.held_dialog import HoldDialog, ResumeDialog
from ui.main_window import MainWindow
from ui.promo_dialog import PromoDialog
from ui.till import TillPage


def _code(shop: Shop) -> None:
    now = datetime.now(UTC)
    spec = check_spec(PromoSpec("HEMAT10", percent=Decimal(10), per_customer_limit=1,
                                valid_from=(now - timedelta(days=1)).isoformat(),
                                valid_until=(now + timedelta(days=7)).isoformat()))
    owner = str(scalar(shop, "SELECT id FROM user WHERE role = 'owner' LIMIT 1"))
    with shop.uow() as uow:
        insert_promo(uow.conn, spec, campaign_id=None, created_by=owner, now=now_iso())
        uow.commit()


def _enter(qtbot: QtBot, t: TillPage, code: str) -> PromoDialog:
    qtbot.keyClick(t.scan, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog: PromoDialog = dialog_of(qtbot, t, PromoDialog)
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, code)
    return dialog


def _attach(till: MainWindow, customer_id: str) -> None:
    backend = till.backend
    assert isinstance(backend, GuiBackend)
    till.till.sale.with_customer(backend.cart.customer_card(customer_id))


def test_a_promo_code_is_checked_shown_sold_and_used_up(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    _code(shop)
    (cid,) = add_customers(shop, 1)
    t = till.till
    assert t.buttons["promo"].text() == "Kode promo (Ctrl+P)"
    scan(qtbot, t, INDOMIE)
    scan(qtbot, t, INDOMIE)  # Rp 7.000
    # Without a customer the shop refuses the code; the dialog says why and stays open.
    dialog = _enter(qtbot, t, "hemat10")
    assert dialog.field.text() == "HEMAT10"  # typed as it comes, read in capitals
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.isVisible() and "ditolak" in dialog.message.text()
    assert "customer" in dialog.message.text()
    dialog.reject()
    closed(qtbot, t)
    _attach(till, cid)
    dialog = _enter(qtbot, t, "HEMAT10")
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.priced is not None and t.priced.discount_total == 700
    assert not t.promo_badge.isHidden()
    assert "HEMAT10" in t.promo_badge.text() and "-Rp 700" in t.promo_badge.text()
    assert t.findChild(type(t.totals.total), "total_discount").text() == "-Rp 700"
    assert "HEMAT10" in t.message.text()
    # A manual order discount does not stack on the code.
    qtbot.keyClick(t.scan, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert t.cart_dialog is None and "hapus kodenya" in t.message.text()
    # Sold with the cart: the code's discount, no supervisor needed for the 10%.
    qtbot.keyClick(t.scan, Qt.Key.Key_F9)
    pay = t.pay_dialog
    assert pay is not None
    with qtbot.waitSignal(t.sale_completed, timeout=10_000) as sold:
        qtbot.mouseClick(pay.exact_button, Qt.MouseButton.LeftButton)
    assert sold.args[0].discount_total == 700 and sold.args[0].total == 6300
    assert scalar(shop, "SELECT count(*) FROM promo_redemption WHERE customer_id = :c",
                  c=cid) == 1
    qtbot.waitUntil(lambda: t.promo_badge.isHidden(), timeout=5000)
    # The same customer again: the code's one use is spent.
    scan(qtbot, t, INDOMIE)
    _attach(till, cid)
    dialog = _enter(qtbot, t, "HEMAT10")
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "limit" in dialog.message.text()
    assert promo_of(t.cart) is None
    dialog.reject()
    closed(qtbot, t)


def test_a_code_is_taken_off_and_goes_with_the_customer(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    _code(shop)
    (cid,) = add_customers(shop, 1)
    t = till.till
    scan(qtbot, t, INDOMIE)
    _attach(till, cid)
    dialog = _enter(qtbot, t, "HEMAT10")
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    assert t.priced is not None and t.priced.discount_total == 350
    qtbot.keyClick(t.scan, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_of(qtbot, t, PromoDialog)
    assert dialog.field.text() == "HEMAT10" and dialog.remove_button.isEnabled()
    with qtbot.waitSignal(t.cart_changed, timeout=5000):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    closed(qtbot, t)
    assert t.priced is not None and t.priced.discount_total == 0
    assert t.promo_badge.isHidden() and promo_of(t.cart) is None
    # On again, then the customer detached (Shift+F7): the code goes with them.
    dialog = _enter(qtbot, t, "HEMAT10")
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    qtbot.keyClick(t.scan, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert t.cart.customer_id is None and promo_of(t.cart) is None
    assert t.promo_badge.isHidden() and "HEMAT10" in t.message.text()
    till.toggle_language()
    assert t.buttons["promo"].text() == "Promo code (Ctrl+P)"


def test_a_held_cart_leaves_its_code_behind(qtbot: QtBot, till: MainWindow,
                                            shop: Shop) -> None:
    """A code is checked at the moment of the sale: a held cart comes back without it (and
    without its discount as a manual one, which would need a supervisor)."""
    _code(shop)
    (cid,) = add_customers(shop, 1)
    t = till.till
    scan(qtbot, t, INDOMIE)
    _attach(till, cid)
    dialog = _enter(qtbot, t, "HEMAT10")
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    closed(qtbot, t)
    qtbot.keyClick(t.scan, Qt.Key.Key_F8)
    hold = dialog_of(qtbot, t, HoldDialog)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(hold.label, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: t.cart.lines == (), timeout=5000)
    assert t.promo_badge.isHidden()
    qtbot.keyClick(t.scan, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    chooser = dialog_of(qtbot, t, ResumeDialog)
    with qtbot.waitSignal(t.cart_changed, timeout=10_000):
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    assert len(t.cart.lines) == 1 and t.cart.customer_id == cid
    assert t.cart.discount == Discount() and t.promo_badge.isHidden()

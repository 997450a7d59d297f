""""Kirim struk" on the real main window and a real SQLite shop: after a sale the till
offers it (Ctrl+K); the dialog names the sale's customer with a masked number or address,
sends by WhatsApp or email to them or to what is typed, queues one message however often it
is clicked, and says why when there is nobody to send to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from tests.app.test_desktop_shipping import a_customer, sell
from tests.helpers import scalar
from tests.ui.conftest import log_in
from ui import i18n
from ui.main_window import MainWindow
from ui.send_receipt import SendReceiptDialog
from ui.tasks import TaskManager

INDOMIE = "8991619730698"


def count(shop: Shop, sql: str, **params: object) -> int:
    return int(scalar(shop, sql, **params) or 0)


@pytest.fixture
def lanes(shop: Shop) -> Iterator[tuple[GuiBackend, TaskManager]]:
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")
    tasks = TaskManager()
    yield backend, tasks
    tasks.shutdown()


def opened(qtbot: QtBot, backend: GuiBackend, tasks: TaskManager,
           receipt: str) -> SendReceiptDialog:
    dialog = SendReceiptDialog(backend, tasks, receipt)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.target is not None, timeout=5000)
    return dialog


def test_to_the_sales_customer_by_whatsapp_once(qtbot: QtBot, shop: Shop,
                                                lanes: tuple[GuiBackend, TaskManager]) -> None:
    backend, tasks = lanes
    customer = a_customer(shop)
    sale_id, receipt = sell(backend, customer)
    dialog = opened(qtbot, backend, tasks, receipt)
    assert dialog.windowTitle() == f"Kirim struk {receipt}"
    assert dialog.whatsapp.isChecked()
    assert dialog.to_customer.isChecked() and dialog.to_customer.isEnabled()
    text = dialog.to_customer.text()
    assert text.startswith("Pelanggan: Ani Lestari (") and "7890" in text
    assert "3456" not in text  # masked
    with qtbot.waitSignal(dialog.sent, timeout=5000) as sent:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        assert dialog.sending and not dialog.send_button.isEnabled()  # while it is queued
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)  # a double click
    view = sent.args[0]
    assert view.message.channel == "whatsapp" and view.message.ref_id == sale_id
    assert "Struk masuk antrean kirim" in dialog.message.text()
    assert "3456" not in dialog.message.text()
    # Clicked again after it was queued: the same message, nothing new.
    with qtbot.waitSignal(dialog.sent, timeout=5000) as again:
        dialog.send()
    assert again.args[0].already and again.args[0].message.id == view.message.id
    assert count(shop, "SELECT COUNT(*) FROM message WHERE ref_id = :s", s=sale_id) == 1
    # By email the customer's address is offered (masked) instead.
    dialog.email.click()
    assert "ani@contoh.com" not in dialog.to_customer.text()
    assert "@contoh.com" in dialog.to_customer.text()


def test_to_a_typed_address_and_refusals_beside_the_field(
        qtbot: QtBot, shop: Shop, lanes: tuple[GuiBackend, TaskManager]) -> None:
    backend, tasks = lanes
    sale_id, receipt = sell(backend)  # no customer
    dialog = opened(qtbot, backend, tasks, receipt)
    assert dialog.to_customer.text() == "Penjualan ini tanpa pelanggan"
    assert not dialog.to_customer.isEnabled() and dialog.to_other.isChecked()
    dialog.email.click()
    dialog.send()  # nothing typed
    assert dialog.field_error.text() == "Ketik alamat email tujuan."
    assert count(shop, "SELECT COUNT(*) FROM message") == 0
    qtbot.keyClicks(dialog.address, "bukan-email")
    with qtbot.waitSignal(dialog.refused, timeout=5000):
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)
    assert dialog.field_error.isVisibleTo(dialog) and dialog.field_error.text()
    assert count(shop, "SELECT COUNT(*) FROM message") == 0
    dialog.address.clear()
    qtbot.keyClicks(dialog.address, "budi@contoh.com")
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("en"))
    with qtbot.waitSignal(dialog.sent, timeout=5000) as sent:
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)
    message = sent.args[0].message
    assert (message.channel, message.locale, message.ref_id) == ("email", "en", sale_id)
    assert count(shop, "SELECT COUNT(*) FROM provider_job WHERE provider = 'sendgrid'") == 1


def test_kirim_struk_after_a_sale_at_the_till(qtbot: QtBot, till: MainWindow,
                                              shop: Shop) -> None:
    page = till.till
    assert not page.send.receipt_button.isVisibleTo(page)
    qtbot.keyClick(page.scan, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert page.send.dialog is None  # no sale yet: nothing to send
    page.add_code(INDOMIE)
    qtbot.waitUntil(lambda: bool(page.cart.lines), timeout=5000)
    page.pay_cash()
    pay = page.pay_dialog
    assert pay is not None
    with qtbot.waitSignal(page.sale_completed, timeout=10_000) as sold:
        pay.exact_button.click()
    receipt = sold.args[0].receipt_no
    button = page.send.receipt_button
    assert button.isVisibleTo(page)
    assert button.text() == f"Kirim struk {receipt.rsplit('-', 1)[-1]} (Ctrl+K)"
    with qtbot.waitSignal(page.send.opened, timeout=5000) as shown:
        qtbot.keyClick(page.scan, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = shown.args[0]
    assert isinstance(dialog, SendReceiptDialog) and dialog.receipt_no == receipt
    qtbot.waitUntil(lambda: dialog.target is not None, timeout=5000)
    qtbot.keyClicks(dialog.address, "0813 2222 3333")
    with qtbot.waitSignal(dialog.sent, timeout=5000):
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)
    assert count(shop, "SELECT COUNT(*) FROM provider_job WHERE provider = 'twilio'") == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.send.dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: page.scan.hasFocus(), timeout=5000)
    # In English, and forgotten when someone else logs in.
    i18n.set_language("en")
    till.retranslate()
    assert button.text().startswith("Send receipt ")
    i18n.set_language("id")
    till.retranslate()
    with qtbot.waitSignal(till.logout_warned, timeout=10_000) as warned:
        till.till.logout()  # the queued message is unsent: asked first
    warned.args[0].go_on.click()
    qtbot.waitUntil(lambda: till.pages.currentWidget() is till.login, timeout=10_000)
    log_in(qtbot, till, "Sari", "1234")
    assert not page.send.receipt_button.isVisibleTo(page)

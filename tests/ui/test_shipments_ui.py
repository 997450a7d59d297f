"""The shipment screens on the real main window and a real SQLite shop: the back office's
"Pengiriman" list with its filters and a shipment's detail (history, volumetric weight,
quoted and final price, cancel with a reason); the create dialog from a sale, with the
recipient prefilled, the couriers' rates side by side (cheapest and fastest marked) and
"kirim" that makes one shipment however often it is clicked; "Kirim paket" after a sale at
the till."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from services.cart import Cart
from services.courier_port import Parcel
from services.shipping import ShipmentRequest
from services.tender import CASH, TenderInput
from tests.app.test_desktop_shipping import a_customer
from tests.helpers import scalar
from tests.services.test_shipping_support import configure
from tests.ui.conftest import log_in
from ui import i18n
from ui.backend_shipping import ShipmentSale
from ui.main_window import MainWindow
from ui.shipment_create import ShipmentCreateDialog
from ui.shipments import ShipmentsScreen
from ui.tasks import TaskManager

INDOMIE = "8991619730698"  # Rp 3.500
#: The shop's sending district as the courier simulators know it (Kebayoran Baru).
SIM_ORIGIN = {"courier.origin.area_id": "IDNP6IDNC148IDND836IDZ12120"}


def count(shop: Shop, sql: str, **params: object) -> int:
    return int(scalar(shop, sql, **params) or 0)


def sell(backend: GuiBackend, customer_id: str | None = None) -> tuple[str, str]:
    cart = Cart(customer_id=customer_id).add(backend.core.lookup(INDOMIE), 2000)
    result = backend.money.pay(cart, [TenderInput(CASH, 10_000)])
    return result.id, result.receipt_no


def ship(backend: GuiBackend, sale_id: str, key: str, **kw: object) -> str:
    values: dict[str, object] = dict(
        sale_id=sale_id, courier="biteship", courier_company="jne", service_code="reg",
        recipient_name="Ani Lestari", recipient_phone="0812-3456-7890",
        recipient_address="Jl. Kenanga 12, Coblong", destination_postal_code="40132",
        destination_area_id=None, destination_code=None,
        parcel=Parcel(1200, 30, 20, 10, 7_000, "Mi instan"), cod=False,
        quoted_price=18_000, request_key=key, batch_id=None, note=None)
    values.update(kw)
    return backend.shipping.create(ShipmentRequest(**values)).id  # type: ignore[arg-type]


@pytest.fixture
def lanes(shop: Shop) -> Iterator[tuple[GuiBackend, TaskManager]]:
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")
    tasks = TaskManager()
    yield backend, tasks
    tasks.shutdown()


def open_shipments(qtbot: QtBot, w: MainWindow) -> ShipmentsScreen:
    assert w.office.open()
    page = w.office.page
    assert "shipments" in page.nav_buttons
    with qtbot.waitSignal(page.screen_shown, timeout=5000):
        page.nav_buttons["shipments"].click()
    screen = page.widget("shipments")
    assert isinstance(screen, ShipmentsScreen)
    qtbot.waitUntil(lambda: screen.count.text() != "", timeout=10_000)
    return screen


def test_the_back_office_lists_filters_and_cancels_shipments(
        qtbot: QtBot, window: MainWindow, shop: Shop) -> None:
    configure(shop)
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")
    sale_id, receipt = sell(backend)
    queued = ship(backend, sale_id, "k1")
    delivered = ship(backend, sale_id, "k2", courier="jnt", courier_company="jnt",
                     service_code="ez", destination_code="BDO10000", quoted_price=20_000)
    with shop.uow() as uow:  # the courier carried the second one and re-priced it
        uow.conn.exec_driver_sql("UPDATE shipment SET status = 'delivered', final_price = "
                                 "22000, waybill_id = 'JT0001234567' WHERE id = ?",
                                 (delivered,))
        uow.commit()
    log_in(qtbot, window, "Budi", "5678")  # a supervisor handles parcels
    screen = open_shipments(qtbot, window)
    assert screen.title.text() == "Pengiriman"
    assert {r.id for r in screen.rows} == {queued, delivered}
    statuses = {screen.table.item(r, 4).text() for r in range(screen.table.rowCount())}
    assert statuses == {"Antre", "Diterima"}
    # Filters: status, courier, text, dates.
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.set_filters(status="delivered")
    assert [r.id for r in screen.rows] == [delivered]
    assert screen.table.item(0, 6).text() == "Rp 20.000 → Rp 22.000"  # quoted → final
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.set_filters(courier="jne", text=receipt)
    assert [r.id for r in screen.rows] == [queued]
    from datetime import date, timedelta
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.set_filters(since=date.today() + timedelta(days=5),
                           until=date.today() + timedelta(days=6))
    assert screen.rows == []
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.set_filters()
    assert len(screen.rows) == 2
    # The delivered one: weights, prices, history; no cancel.
    with qtbot.waitSignal(screen.detail_shown, timeout=5000):
        assert screen.select(delivered)
    facts = {k: v.text() for k, (_c, v) in screen._facts.items()}
    assert facts["weight"] == "1.200 g" and facts["volume"] == "1.000 g"
    assert facts["price"] == "tarif Rp 20.000 · akhir Rp 22.000"
    assert facts["waybill"] == "JT0001234567"
    assert not screen.cancel_button.isEnabled()
    assert not screen.track_button.isEnabled()  # final: nothing to ask the courier
    # The queued one: cancel needs a reason, then it is cancelled (never sent).
    with qtbot.waitSignal(screen.detail_shown, timeout=5000):
        assert screen.select(queued)
    assert screen.events.rowCount() == 1 and screen.events.item(0, 1).text() == "Antre"
    assert screen.cancel_button.isEnabled()
    assert not screen.track_button.isEnabled()  # not at the courier yet
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    assert screen.detail_message.text() == "Tulis alasan pembatalan."
    assert count(shop, "SELECT COUNT(*) FROM shipment WHERE status = 'cancelled'") == 0
    qtbot.keyClicks(screen.reason, "Pembeli batal")
    with qtbot.waitSignal(screen.cancelled, timeout=5000) as done:
        qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args[0].status == "cancelled"
    qtbot.waitUntil(lambda: screen.detail is not None and screen.detail.status == "cancelled",
                    timeout=5000)
    assert [screen.events.item(r, 1).text() for r in range(2)] == ["Antre", "Dibatalkan"]
    # "Buat pengiriman" opens the create dialog, asking for a receipt number.
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    create = screen.create_dialog
    assert create is not None and create.receipt.isVisibleTo(create)
    create.reject()
    qtbot.waitUntil(lambda: screen.create_dialog is None, timeout=5000)
    # In English too.
    i18n.set_language("en")
    window.retranslate()
    assert screen.title.text() == "Shipments"
    assert screen.table.horizontalHeaderItem(5).text() == "Airway bill"


def test_a_cashier_has_no_shipments_screen_in_the_back_office(
        qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window, "Sari", "1234")
    assert not window.office.open()


def fill(qtbot: QtBot, dialog: ShipmentCreateDialog) -> None:
    dialog.postal.setText("40132")
    dialog.weight.setValue(1200)
    dialog.length_cm.setValue(30)
    dialog.width_cm.setValue(20)
    dialog.height_cm.setValue(10)


def test_the_create_dialog_prefills_and_one_dialog_is_one_shipment(
        qtbot: QtBot, shop: Shop, lanes: tuple[GuiBackend, TaskManager]) -> None:
    backend, tasks = lanes
    configure(shop)
    customer = a_customer(shop)
    _sale_id, receipt = sell(backend, customer)
    dialog = ShipmentCreateDialog(backend, tasks)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.settings is not None, timeout=5000)
    assert not dialog.send_button.isEnabled()  # no sale yet
    qtbot.keyClicks(dialog.receipt, receipt)
    with qtbot.waitSignal(dialog.sale_loaded, timeout=5000):
        qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    assert dialog.name.text() == "Ani Lestari"
    assert dialog.phone.text() == "+6281234567890"
    assert dialog.address.text() == "Jl. Kenanga 12, Coblong, Bandung"
    assert dialog.value.value() == 7_000  # the sale's amount, as declared value
    fill(qtbot, dialog)
    assert dialog.weights.text() == ("Berat asli 1.200 g · berat volume 1.000 g · "
                                     "dihitung 1.200 g")
    # No price asked (offline): the shop's default service, JNE REG.
    assert dialog.choice.text() == "Tanpa tarif: layanan bawaan toko JNE REG"
    assert dialog.send_button.isEnabled()
    with qtbot.waitSignal(dialog.created, timeout=5000) as made:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        assert dialog.sending and not dialog.send_button.isEnabled()  # while it is written
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)  # a double click
        dialog.send()  # and Ctrl+Enter
    view = made.args[0]
    assert (view.courier, view.courier_company, view.service_code) == ("biteship", "jne",
                                                                      "reg")
    assert view.quoted_price is None
    qtbot.wait(100)
    assert count(shop, "SELECT COUNT(*) FROM shipment") == 1
    # The same dialog's key again (a retry after a lost answer) is the same shipment.
    again = backend.shipping.create(dialog.request() or pytest.fail("no request"))
    assert (again.id, again.existing) == (view.id, True)
    assert count(shop, "SELECT COUNT(*) FROM shipment") == 1


def test_a_refusal_is_shown_beside_its_field_and_nothing_is_written(
        qtbot: QtBot, shop: Shop, lanes: tuple[GuiBackend, TaskManager]) -> None:
    backend, tasks = lanes
    configure(shop)
    sale_id, receipt = sell(backend)
    sale = ShipmentSale(sale_id, receipt, 7_000)
    dialog = ShipmentCreateDialog(backend, tasks, sale)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=5000)
    assert not dialog._sale_row.isVisibleTo(dialog)
    dialog.name.setText("Ani")
    dialog.phone.setText("12")
    dialog.address.setText("Jl. Kenanga 12")
    fill(qtbot, dialog)
    with qtbot.waitSignal(dialog.refused, timeout=5000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    label = dialog.errors["recipient_phone"]
    assert label.isVisibleTo(dialog) and label.text()
    assert dialog.send_button.isEnabled() and not dialog.sending
    assert count(shop, "SELECT COUNT(*) FROM shipment") == 0
    # Prices need a destination the couriers know.
    dialog.postal.clear()
    dialog.ask_rates()
    assert dialog.errors["destination_postal_code"].isVisibleTo(dialog)


def test_rates_are_compared_with_the_cheapest_and_fastest_marked(
        qtbot: QtBot, shop: Shop, lanes: tuple[GuiBackend, TaskManager]) -> None:
    pytest.importorskip("app.courier_wiring")
    from app.secrets import secret_store_for
    from sync.simulators.biteship import DEFAULT_KEY, BiteshipSimulator
    backend, tasks = lanes
    sale_id, receipt = sell(backend)
    with BiteshipSimulator() as sim:
        url = sim.start()
        configure(shop, enabled="biteship",
                  extra={"courier.biteship.base_url": url, **SIM_ORIGIN})
        secret_store_for(shop).set("biteship-api-key", DEFAULT_KEY)
        dialog = ShipmentCreateDialog(backend, tasks, ShipmentSale(sale_id, receipt, 7_000))
        qtbot.addWidget(dialog)
        dialog.name.setText("Ani Lestari")
        dialog.phone.setText("0812-3456-7890")
        dialog.address.setText("Jl. Kenanga 12, Coblong")
        fill(qtbot, dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
        with qtbot.waitSignal(dialog.rates_shown, timeout=15_000) as shown:
            qtbot.keyClick(dialog.weight, Qt.Key.Key_F5)
        comparison = shown.args[0]
        assert comparison.rates
        table = dialog.table
        assert table.rowCount() == len(comparison.rates)
        marks = [table.item(r, 5).text() for r in range(table.rowCount())]
        assert "Termurah" in marks[0]
        assert any("Tercepat" in m for m in marks)
        assert dialog.chosen_rate() == comparison.cheapest  # chosen by default
        # A changed parcel: the prices shown are not for it any more.
        dialog.weight.setValue(5000)
        assert table.rowCount() == 0 and dialog.chosen_rate() is None
        with qtbot.waitSignal(dialog.rates_shown, timeout=15_000):
            dialog.ask_rates()
        table.selectRow(table.rowCount() - 1)
        chosen = dialog.chosen_rate()
        assert chosen is not None
        with qtbot.waitSignal(dialog.created, timeout=5000) as made:
            dialog.send()
            dialog.send()
    view = made.args[0]
    assert (view.courier_company, view.service_code, view.quoted_price) == (
        chosen.courier_company, chosen.service_code, chosen.price)
    assert count(shop, "SELECT COUNT(*) FROM shipment") == 1


def test_kirim_paket_after_a_sale_at_the_till(qtbot: QtBot, till: MainWindow,
                                              shop: Shop) -> None:
    configure(shop)
    page = till.till
    assert not page.send.parcel_button.isVisibleTo(page)
    page.add_code(INDOMIE)
    qtbot.waitUntil(lambda: bool(page.cart.lines), timeout=5000)
    page.pay_cash()
    dialog = page.pay_dialog
    assert dialog is not None
    with qtbot.waitSignal(page.sale_completed, timeout=10_000) as sold:
        dialog.exact_button.click()
    receipt = sold.args[0].receipt_no
    assert page.send.parcel_button.isVisibleTo(page)
    assert page.send.receipt_button.isVisibleTo(page)
    with qtbot.waitSignal(page.send.opened, timeout=5000) as opened:
        qtbot.keyClick(page.scan, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    create = opened.args[0]
    assert isinstance(create, ShipmentCreateDialog)
    qtbot.waitUntil(lambda: create.sale is not None, timeout=5000)
    assert create.sale is not None and create.sale.receipt_no == receipt
    create.reject()
    qtbot.waitUntil(lambda: page.send.dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: page.scan.hasFocus(), timeout=5000)


def test_a_returned_parcel_shows_where_the_sale_is_looked_up(
        qtbot: QtBot, shop: Shop, lanes: tuple[GuiBackend, TaskManager]) -> None:
    from ui.refund_dialog import RefundDialog
    backend, tasks = lanes
    configure(shop)
    sale_id, receipt = sell(backend)
    made = ship(backend, sale_id, "k1")
    with shop.uow() as uow:
        uow.conn.exec_driver_sql("UPDATE shipment SET status = 'returned', waybill_id = "
                                 "'JNE0012345678' WHERE id = ?", (made,))
        uow.commit()
    dialog = RefundDialog(backend, tasks)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.receipt, receipt)
    with qtbot.waitSignal(dialog.parcels_shown, timeout=5000):
        qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    assert dialog.sale_info.text().endswith("Paket: JNE REG JNE0012345678 · Kembali ke toko")
    # A sale with no parcel: nothing added.
    _other, plain = sell(backend)
    dialog.receipt.clear()
    qtbot.keyClicks(dialog.receipt, plain)
    with qtbot.waitSignal(dialog.found, timeout=5000):
        qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    qtbot.wait(200)
    assert "Paket" not in dialog.sale_info.text()


def test_track_now_asks_the_courier_for_a_parcel_on_its_way(
        qtbot: QtBot, window: MainWindow, shop: Shop) -> None:
    configure(shop)
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")
    sale_id, _receipt = sell(backend)
    moving = ship(backend, sale_id, "k1")
    with shop.uow() as uow:
        uow.conn.exec_driver_sql("UPDATE shipment SET status = 'in_transit', waybill_id = "
                                 "'JNE0012345678' WHERE id = ?", (moving,))
        uow.commit()
    log_in(qtbot, window, "Wati", "9999")
    screen = open_shipments(qtbot, window)
    with qtbot.waitSignal(screen.detail_shown, timeout=5000):
        assert screen.select(moving)
    assert screen.track_button.isEnabled() and not screen.cancel_button.isEnabled()
    with qtbot.waitSignal(screen.tracked, timeout=5000):
        qtbot.mouseClick(screen.track_button, Qt.MouseButton.LeftButton)
    assert count(shop, "SELECT COUNT(*) FROM provider_job WHERE ref_id = :s AND kind = 'track' "
                 "AND state = 'pending'", s=moving) == 1
    assert screen.detail_message.text() == "Status ditanyakan ke kurir saat toko online."

"""The pay dialog on a copy of the demo shop: quick cash, split tender, kasbon, EDC, and QRIS
against the Midtrans simulator on 127.0.0.1 (online, paid, cancelled; offline)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.secrets import cipher_for
from app.shop import Shop
from services.cart import Cart, Discount
from services.customers import create_customer
from services.errors import Refused
from services.tender import TenderInput
from sync.simulators.midtrans import MidtransSimulator
from tests.conftest import login
from services.payments import PaymentsState
from services.selling import SaleResult
from ui.backend_money import ChargeState
from ui.pay import PayDialog
from ui.payment_wait import Phase
from ui.tasks import TaskManager

INDOMIE = "8991619730698"  # Indomie Goreng, Rp 3.500 in the demo catalogue
SERVER_KEY = "SB-Mid-server-TEST-UI-0000"


@pytest.fixture
def money(shop: Shop, qtbot: QtBot) -> Iterator[tuple[GuiBackend, TaskManager]]:
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")
    tasks = TaskManager()
    yield backend, tasks
    tasks.shutdown()


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[MidtransSimulator]:
    simulator = MidtransSimulator(server_key=SERVER_KEY, seed=11)
    url = simulator.start()
    monkeypatch.setenv("WARUNGIN_MIDTRANS_URL", url)
    monkeypatch.setenv("WARUNGIN_MIDTRANS_SERVER_KEY", SERVER_KEY)
    yield simulator
    simulator.stop()


@pytest.fixture
def no_midtrans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARUNGIN_MIDTRANS_URL", raising=False)
    monkeypatch.delenv("WARUNGIN_MIDTRANS_SERVER_KEY", raising=False)


def cart_of(backend: GuiBackend, code: str, n: int, customer_id: str | None = None) -> Cart:
    cart = Cart(customer_id=customer_id)
    item = backend.core.lookup(code)
    return cart.add(item, n * 1000)


def open_dialog(qtbot: QtBot, money: tuple[GuiBackend, TaskManager],
                cart: Cart) -> tuple[PayDialog, PaymentsState]:
    backend, tasks = money
    dialog = PayDialog(backend, tasks, cart, backend.core.price(cart).total)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.payments_checked, timeout=10_000) as checked:
        dialog.open()
    return dialog, checked.args[0]


def rows(shop: Shop, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(shop.db.path)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def test_cash_with_a_quick_tender(qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
                                  no_midtrans: None) -> None:
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 2))
    assert dialog.entry.due_label.text() == "Rp 7.000"
    assert not dialog.entry.remaining_label.isVisible()  # no split: nothing more to read
    qtbot.keyClicks(dialog.entry.given, "10000")
    assert dialog.entry.change_label.text() == "Rp 3.000"
    assert not dialog.entry.quick_buttons[0].text().startswith("Rp")  # "Uang pas\nRp 7.000"
    assert "Rp 7.000" in dialog.exact_button.text()
    with qtbot.waitSignal(dialog.paid, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.entry.quick_buttons[20_000], Qt.MouseButton.LeftButton)
    done = blocker.args[0]
    assert isinstance(done, SaleResult) and done.change == 13_000 and done.payable == 7_000
    assert not dialog.isVisible()
    assert rows(shop, "SELECT p.method, p.amount, p.tendered, p.change FROM payment p "
                      "JOIN sale s ON s.id = p.sale_id") == [("cash", 7_000, 20_000, 13_000)]


def test_enter_on_an_empty_field_pays_exactly(qtbot: QtBot, shop: Shop,
                                              money: tuple[GuiBackend, TaskManager],
                                              no_midtrans: None) -> None:
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 1))
    with qtbot.waitSignal(dialog.paid, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_Return)
    assert blocker.args[0].change == 0
    assert rows(shop, "SELECT count(*) FROM sale") == [(1,)]


def test_split_tender_edc_then_cash_gives_change_on_the_cash(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        no_midtrans: None) -> None:
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 4))  # Rp 14.000
    qtbot.keyClicks(dialog.entry.given, "10000")
    qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F3)  # the card takes Rp 10.000
    assert [(t.method, t.amount) for t in dialog.tenders] == [("edc", 10_000)]
    assert dialog.entry.remaining_label.isVisible() and dialog.entry.remaining_label.text() == "Rp 4.000"
    assert dialog.entry.given.text() == ""
    assert "Rp 4.000" in dialog.exact_button.text()
    assert dialog.entry.quick_buttons[20_000].isEnabled()
    qtbot.keyClicks(dialog.entry.given, "5000")
    assert dialog.entry.change_label.text() == "Rp 1.000"
    with qtbot.waitSignal(dialog.paid, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_Return)
    done = blocker.args[0]
    assert done.payable == 14_000 and done.change == 1_000
    # One sale, two payments: the card's exact part and the cash net of its change.
    assert rows(shop, "SELECT count(*) FROM sale") == [(1,)]
    assert sorted(rows(shop, "SELECT method, amount, tendered, change FROM payment")) == [
        ("cash", 4_000, 5_000, 1_000), ("edc", 10_000, 10_000, 0)]


def test_a_tender_more_than_what_is_left_is_refused_in_the_dialog(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        no_midtrans: None) -> None:
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 1))
    qtbot.keyClicks(dialog.entry.given, "5000")
    with qtbot.waitSignal(dialog.refused, timeout=2000) as refused:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F3)
    assert "Rp 3.500" in refused.args[0]
    assert dialog.tenders == [] and dialog.isVisible()


def test_kasbon_is_refused_without_a_customer(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        no_midtrans: None) -> None:
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 2))
    kasbon = dialog.entry.method_buttons["kasbon"]
    assert not kasbon.isEnabled()
    assert "pelanggan" in dialog.entry.kasbon_note.text()
    with qtbot.waitSignal(dialog.refused, timeout=2000) as refused:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F4)
    assert "pelanggan" in refused.args[0]
    assert dialog.tenders == []
    assert rows(shop, "SELECT count(*) FROM sale") == [(0,)]


def _customer(shop: Shop, limit: int) -> str:
    actor = login(shop, "Wati", "9999")
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        view = create_customer(uow, cipher, actor, name="Bu Rina", credit_limit=limit)
        uow.commit()
    return view.id


def test_kasbon_within_the_limit_and_cash_for_the_rest(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        no_midtrans: None) -> None:
    backend, _ = money
    customer = _customer(shop, 50_000)
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 4, customer))
    qtbot.waitUntil(lambda: "Bu Rina" in dialog.entry.kasbon_note.text(), timeout=5000)
    assert "Rp 50.000" in dialog.entry.kasbon_note.text()  # all of the limit is still free
    qtbot.keyClicks(dialog.entry.given, "10000")
    qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F4)
    with qtbot.waitSignal(dialog.paid, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].change == 0
    assert sorted(rows(shop, "SELECT method, amount FROM payment")) == [
        ("cash", 4_000), ("kasbon", 10_000)]
    assert rows(shop, "SELECT sum(amount) FROM kasbon_entry") == [(10_000,)]


def test_kasbon_over_the_limit_shows_the_services_refusal(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        no_midtrans: None) -> None:
    backend, _ = money
    customer = _customer(shop, 5_000)
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 4, customer))
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F4)  # all Rp 14.000 on kasbon
    assert "kasbon limit" in refused.args[0]
    assert dialog.isVisible() and "kasbon limit" in dialog.entry.message.text()
    assert rows(shop, "SELECT count(*) FROM sale") == [(0,)]


def test_qris_against_the_simulator_commits_the_sale_once(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        sim: MidtransSimulator) -> None:
    backend, _ = money
    dialog, state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 2))
    assert state.online and dialog.entry.method_buttons["qris"].isEnabled()
    with qtbot.waitSignal(dialog.charge_shown, timeout=10_000) as shown:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F5)
    charge = shown.args[0]
    assert isinstance(charge, ChargeState) and charge.method == "qris"
    assert charge.amount == 7_000 and charge.final is None
    assert dialog.charging and dialog.charge_panel.qr.matrix and len(dialog.charge_panel.qr.matrix) >= 21
    assert charge.seconds_left is not None and 0 < charge.seconds_left <= 15 * 60
    assert "Menunggu pembayaran" in dialog.charge_panel.countdown.text()
    dialog.grab()  # the QR paints without a warning
    assert rows(shop, "SELECT count(*) FROM sale") == [(0,)]  # not before it is paid
    with qtbot.waitSignal(dialog.paid, timeout=15_000) as blocker:
        sim.pay(charge.order_id)  # the customer scans and pays; the dialog polls
    done = blocker.args[0]
    assert done.payable == 7_000 and done.change == 0
    assert rows(shop, "SELECT method, amount, provider_ref FROM payment") == [
        ("qris", 7_000, charge.order_id)]
    assert rows(shop, "SELECT count(*) FROM sale") == [(1,)]
    assert sim.charges(charge.order_id) == 1
    assert rows(shop, "SELECT state FROM provider_job WHERE kind = 'charge'") == [("succeeded",)]


def test_a_cancelled_qris_charge_makes_no_sale_and_cash_still_works(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        sim: MidtransSimulator) -> None:
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 2))
    with qtbot.waitSignal(dialog.charge_shown, timeout=10_000) as shown:
        qtbot.mouseClick(dialog.entry.method_buttons["qris"], Qt.MouseButton.LeftButton)
    order_id = shown.args[0].order_id
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc cancels the charge, not the dialog
    assert "dibatalkan" in refused.args[0]
    assert dialog.isVisible() and not dialog.charging and dialog.tenders == []
    assert (sim.transaction(order_id) or {}).get("transaction_status") == "cancel"
    assert rows(shop, "SELECT count(*) FROM sale") == [(0,)]
    with qtbot.waitSignal(dialog.paid, timeout=10_000):
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    assert rows(shop, "SELECT method FROM payment") == [("cash",)]


def test_esc_while_the_charge_is_being_made_cancels_it_and_cash_still_works(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        sim: MidtransSimulator) -> None:
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 2))
    with qtbot.waitSignal(dialog.refused, timeout=15_000):
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F5)
        assert dialog.charging and dialog.wait.phase is Phase.CHARGING  # no QR yet
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # asked at once, done once it exists
        assert dialog.wait.phase is Phase.CANCELLING and dialog.isVisible()
        assert "Membatalkan" in dialog.charge_panel.charge_status.text()
        assert not dialog.charge_panel.cancel_button.isEnabled()
    assert dialog.isVisible() and not dialog.charging
    assert all(t.get("transaction_status") != "settlement" for t in sim.all_transactions())
    assert rows(shop, "SELECT count(*) FROM sale") == [(0,)]
    with qtbot.waitSignal(dialog.paid, timeout=10_000):
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    assert rows(shop, "SELECT method FROM payment") == [("cash",)]


def test_offline_without_midtrans_disables_qris_and_says_why(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        no_midtrans: None) -> None:
    backend, _ = money
    dialog, state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 2))
    assert not state.online and state.reason == "not_configured"
    for key in ("qris", "gopay", "shopeepay", "va"):
        button = dialog.entry.method_buttons[key]
        assert not button.isEnabled()
        assert "Midtrans belum diatur" in button.toolTip()
    assert "Midtrans belum diatur" in dialog.entry.provider_note.text()
    assert "tunai" in dialog.entry.provider_note.text()
    with qtbot.waitSignal(dialog.refused, timeout=2000):
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F5)  # the key says why too
    assert not dialog.charging
    with qtbot.waitSignal(dialog.paid, timeout=10_000):  # cash stays available
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    assert rows(shop, "SELECT method FROM payment") == [("cash",)]


def test_offline_when_the_simulator_is_down(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        sim: MidtransSimulator) -> None:
    sim.stop()  # configured, but nothing answers at its address
    backend, _ = money
    dialog, state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 1))
    assert not state.online and state.reason == "unreachable"
    assert not dialog.entry.method_buttons["qris"].isEnabled()
    assert "tidak bisa dihubungi" in dialog.entry.provider_note.text()
    assert "127.0.0.1" in dialog.entry.provider_note.toolTip()
    with qtbot.waitSignal(dialog.paid, timeout=10_000):
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_Return)
    assert rows(shop, "SELECT method FROM payment") == [("cash",)]


def test_a_va_charge_shows_the_account_number_and_completes_when_paid(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        sim: MidtransSimulator) -> None:
    backend, _ = money
    dialog, state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 4))  # Rp 14.000
    assert state.online
    dialog.entry.va_bank.setCurrentIndex(dialog.entry.va_bank.findData("va_bni"))
    qtbot.keyClicks(dialog.entry.given, "10000")
    with qtbot.waitSignal(dialog.charge_shown, timeout=10_000) as shown:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F8)  # Rp 10.000 by VA; the rest is cash
        qtbot.waitUntil(lambda: bool(dialog.tenders), timeout=2000)
        qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
    charge = shown.args[0]
    assert charge.method == "va_bni" and charge.amount == 10_000 and charge.va_number
    assert dialog.charge_panel.va_number.text() == charge.va_number
    assert "VA BNI" in dialog.charge_panel.charge_title.text()
    with qtbot.waitSignal(dialog.paid, timeout=15_000) as blocker:
        sim.pay(charge.order_id)
    assert blocker.args[0].payable == 14_000
    assert sorted(rows(shop, "SELECT method, amount FROM payment")) == [
        ("cash", 4_000), ("va_bni", 10_000)]


def test_what_the_sale_would_refuse_is_refused_before_the_customer_pays(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        sim: MidtransSimulator) -> None:
    backend, _ = money
    customer = _customer(shop, 5_000)
    dialog, state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 4, customer))
    assert state.online
    qtbot.keyClicks(dialog.entry.given, "10000")
    qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F4)  # Rp 10.000 kasbon: over her Rp 5.000 limit
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F5)  # QRIS for the rest
    assert "kasbon limit" in refused.args[0] and not dialog.charging
    assert sim.all_transactions() == []  # nobody was charged
    assert rows(shop, "SELECT count(*) FROM provider_job") == [(0,)]
    # A discount over the cashier's limit without an approval: refused before charging too.
    cart = cart_of(backend, INDOMIE, 2).with_discount(Discount(percent=Decimal(50)))
    with pytest.raises(Refused, match="needs a supervisor PIN"):
        backend.money.pay(cart, [TenderInput("qris", backend.core.price(cart).total)])
    assert sim.all_transactions() == []


def test_charges_midtrans_does_not_take_pause_provider_payments(
        shop: Shop, money: tuple[GuiBackend, TaskManager], sim: MidtransSimulator,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import app.provider_wiring as wiring
    backend, _ = money
    real = wiring.till_charges
    # The till's retries between sends, without their pauses.
    monkeypatch.setattr(wiring, "till_charges",
                        lambda shop, **kw: real(shop, **{**kw, "sleep": lambda s: None}))
    assert backend.money.payments_online() == PaymentsState(True)
    sim.set_faults(error_5xx=1.0)  # every charge answered 5xx
    cart = cart_of(backend, INDOMIE, 1)
    for _ in range(3):
        views: list[ChargeState] = []
        with pytest.raises(Refused, match="take cash"):
            backend.money.pay(cart, [TenderInput("qris", 3_500)], on_charge=views.append)
        assert views[-1].final == "not_sent" and "take cash" in (views[-1].message or "")
    offline = backend.money.payments_online()
    assert not offline.online and offline.reason == "breaker_open"
    assert rows(shop, "SELECT count(*) FROM sale") == [(0,)]
    assert rows(shop, "SELECT DISTINCT state FROM provider_job") == [("succeeded",)]


def test_paid_but_not_saved_is_retried_never_dropped(
        qtbot: QtBot, shop: Shop, money: tuple[GuiBackend, TaskManager],
        sim: MidtransSimulator) -> None:
    from services.shifts import close_shift, open_shift
    backend, _ = money
    dialog, _state = open_dialog(qtbot, money, cart_of(backend, INDOMIE, 2))
    with qtbot.waitSignal(dialog.charge_shown, timeout=10_000) as shown:
        qtbot.keyClick(dialog.entry.given, Qt.Key.Key_F5)
    charge = shown.args[0]
    budi = login(shop, "Budi", "5678")
    with shop.uow() as uow:  # someone closes the shift while the customer pays
        close_shift(uow, shop.config, budi, {"100000": 2})
    with qtbot.waitSignal(dialog.refused, timeout=15_000) as refused:
        sim.pay(charge.order_id)
    assert "no shift is open" in refused.args[0]
    assert dialog.charge_panel.retry_button.isVisible() and dialog.charging
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # first Esc only warns
    assert dialog.isVisible() and "SUDAH membayar" in dialog.charge_panel.charge_status.text()
    with shop.uow() as uow:
        open_shift(uow, shop.config, budi, 100_000)
    with qtbot.waitSignal(dialog.paid, timeout=10_000):
        qtbot.mouseClick(dialog.charge_panel.retry_button, Qt.MouseButton.LeftButton)
    assert rows(shop, "SELECT method, amount, provider_ref FROM payment") == [
        ("qris", 7_000, charge.order_id)]
    assert sim.charges(charge.order_id) == 1


def test_closing_the_program_mid_charge_cancels_the_charge(
        shop: Shop, money: tuple[GuiBackend, TaskManager], sim: MidtransSimulator) -> None:
    """MainWindow.shutdown waits for the pool's jobs: a QRIS charge nobody will ever show
    again is cancelled at Midtrans (cancel_charges) instead of holding the close for minutes."""
    import threading

    backend, _ = money
    cart = cart_of(backend, INDOMIE, 1)
    shown = threading.Event()
    seen: list[ChargeState] = []
    outcome: list[BaseException | SaleResult] = []

    def on_charge(state: ChargeState) -> None:
        seen.append(state)
        shown.set()

    def pay() -> None:
        try:
            outcome.append(backend.money.pay(cart, [TenderInput("qris", 3_500)],
                                             on_charge=on_charge))
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    worker = threading.Thread(target=pay)
    worker.start()
    assert shown.wait(10)
    backend.money.cancel_charges()
    worker.join(10)
    assert not worker.is_alive()
    assert isinstance(outcome[0], Refused) and "cancelled" in outcome[0].message
    assert (sim.transaction(seen[0].order_id) or {}).get("transaction_status") == "cancel"
    assert rows(shop, "SELECT count(*) FROM sale") == [(0,)]

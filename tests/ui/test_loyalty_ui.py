"""Loyalty at the till and in the back office (offscreen): the customer badge shows the tier
and points; the pay dialog's "Tukar poin" asks how many points pay, shows their value, and
the sale is paid partly with points; the back office shows and saves the settings and a
member's ledger."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QListWidgetItem, QTableWidgetItem
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from local_db.ids import now_iso, uuid7
from local_db.models import Customer
from services.cart import Cart
from services.customer_card import CustomerCard
from services.loyalty_ledger import new_row, write_rows
from services.loyalty_settings import LoyaltySettings, Tier, save_loyalty_settings
from services.selling import SaleResult
from tests.conftest import login
from ui.cart_view import CustomerBadge
from ui import i18n
from ui.loyalty_office import LoyaltyScreen, kind_text
from ui.office.common import OfficeContext
from ui.pay import PayDialog
from ui.tasks import TaskManager

FOTOKOPI = "JSA-0184"  # Rp 500 a sheet, no PPN


def _member(shop: Shop) -> str:
    owner = login(shop, "Wati", "9999")
    with shop.uow() as uow:
        save_loyalty_settings(uow, owner, LoyaltySettings(
            enabled=True, step=1000, point_value=100,
            tiers=(Tier("bronze", "Perunggu", 0, Decimal(1)),)))
    cid = uuid7()
    stamp = now_iso()
    with shop.uow() as uow:
        uow.session.add(Customer(id=cid, name="Bu Ani", credit_limit=0,
                                 consent_marketing=False, created_at=stamp, updated_at=stamp))
        uow.commit()
    return cid


@pytest.fixture
def till(shop: Shop, qtbot: QtBot) -> Iterator[tuple[GuiBackend, TaskManager]]:
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")
    tasks = TaskManager()
    yield backend, tasks
    tasks.shutdown()


def _rows(shop: Shop, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(shop.db.path)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def _pay(qtbot: QtBot, till: tuple[GuiBackend, TaskManager], cart: Cart) -> PayDialog:
    backend, tasks = till
    dialog = PayDialog(backend, tasks, cart, backend.core.price(cart).total)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.points_known, timeout=10_000):
        dialog.open()
    return dialog


def test_the_badge_shows_tier_and_points(qtbot: QtBot) -> None:
    badge = CustomerBadge()
    qtbot.addWidget(badge)
    badge.draw(CustomerCard("c1", "Bu Ani", None, 0, 0, 120, 12_000, "Emas"))
    assert "Emas · 120 poin (Rp 12.000)" in badge.text()
    badge.draw(CustomerCard("c1", "Bu Ani", None, 0, 0))  # programme off: no points
    assert "poin" not in badge.text()


def test_the_till_card_carries_the_members_points(shop: Shop,
                                                  till: tuple[GuiBackend, TaskManager]) -> None:
    cid = _member(shop)
    backend, _ = till
    card = backend.cart.customer_card(cid)
    assert (card.points, card.points_value, card.tier) == (0, 0, "Perunggu")


def test_redeem_points_in_the_pay_dialog(qtbot: QtBot, shop: Shop,
                                         till: tuple[GuiBackend, TaskManager],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARUNGIN_MIDTRANS_URL", raising=False)
    cid = _member(shop)
    backend, _ = till
    item = backend.core.lookup(FOTOKOPI)
    # 100 sheets: Rp 50.000, 50 points earned.
    first = _pay(qtbot, till, Cart(customer_id=cid).add(item, 100_000))
    assert not first.points_button.isVisible()  # nothing to redeem yet
    with qtbot.waitSignal(first.paid, timeout=10_000):
        first.entry.exact_button.click()

    dialog = _pay(qtbot, till, Cart(customer_id=cid).add(item, 20_000))  # Rp 10.000
    assert dialog.points_button.isVisible() and dialog.member is not None
    assert dialog.member.balance == 50
    dialog.redeem()
    redeem = dialog.redeem_dialog
    assert redeem is not None
    assert redeem.ok_button.text() == "Pakai poin"  # not Qt's English "OK"
    assert redeem.points.maximum() == 50  # all the points (Rp 5.000) fit in Rp 10.000
    redeem.points.setValue(30)
    assert "Rp 3.000" in redeem.value_label.text() and "20" in redeem.value_label.text()
    redeem.accept()
    assert [(t.method, t.amount) for t in dialog.entry.tenders] == [("points", 3_000)]
    with qtbot.waitSignal(dialog.paid, timeout=10_000) as done:
        dialog.entry.exact_button.click()
    result = done.args[0]
    assert isinstance(result, SaleResult)
    assert sorted((p.method, p.amount) for p in result.payments) == [
        ("cash", 7_000), ("points", 3_000)]
    assert _rows(shop, "SELECT kind, points FROM loyalty_entry ORDER BY created_at") == [
        ("earn", 50), ("redeem", -30)]


@pytest.fixture
def office(qtbot: QtBot, shop: Shop) -> Iterator[tuple[LoyaltyScreen, str]]:
    cid = _member(shop)
    with shop.uow() as uow:
        write_rows(uow.conn, [new_row(cid, "earn", 150, "2026-12-01T03:15:00+00:00", "T1",
                                      spend=15_000, expires_at="2027-12-31T16:59:59+00:00")],
                   aggregate_id=None, created_at=now_iso())
        uow.commit()
    backend = GuiBackend(shop)
    owner = backend.core.login("Wati", "9999")
    tasks = TaskManager()
    screen = LoyaltyScreen(OfficeContext(tasks, backend, owner))
    qtbot.addWidget(screen)
    try:
        yield screen, cid
    finally:
        tasks.shutdown()


def _text(item: QTableWidgetItem | QListWidgetItem | None) -> str:
    assert item is not None
    return item.text()


def _activate(qtbot: QtBot, screen: LoyaltyScreen) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activate()


def test_the_back_office_loads_and_saves_settings(qtbot: QtBot, shop: Shop,
                                                  office: tuple[LoyaltyScreen, str]) -> None:
    screen, _ = office
    _activate(qtbot, screen)  # the screenshot tool waits for this signal
    assert screen.enabled.isChecked() and screen.step.value() == 1000
    assert screen.step.text() == "1.000"  # grouped as Indonesian writes it
    assert screen.point_value.value() == 100 and screen.expiry.value() == 12
    assert screen.tiers.value() == [
        {"code": "bronze", "name": "Perunggu", "threshold": "0", "multiplier": "1"}]
    screen.step.setValue(5000)
    screen.tiers.add_row(("gold", "Emas", "1.000.000", "1,5"))
    screen.save()
    qtbot.waitUntil(lambda: screen.message.text() != "", timeout=10_000)
    assert screen.message.text() == "Pengaturan poin disimpan."
    assert screen.settings is not None and screen.settings.step == 5000
    assert [(t.code, t.threshold, str(t.multiplier)) for t in screen.settings.tiers] == [
        ("bronze", 0, "1"), ("gold", 1_000_000, "1.5")]
    assert _rows(shop, "SELECT value FROM setting WHERE key = 'loyalty.step'") == [("5000",)]
    # Read again from the database: what was saved comes back.
    screen.step.setValue(1)
    _activate(qtbot, screen)
    assert screen.step.value() == 5000 and screen.tiers.table.rowCount() == 2
    assert _text(screen.tiers.table.item(1, 2)) == "1.000.000"


def test_a_refused_tier_is_shown_under_the_tiers(qtbot: QtBot, shop: Shop,
                                                 office: tuple[LoyaltyScreen, str]) -> None:
    screen, _ = office
    _activate(qtbot, screen)
    screen.tiers.add_row(("silver", "Perak", "0", "1"))  # not above the first tier
    screen.save()
    error = screen.errors["tiers"]
    qtbot.waitUntil(lambda: error.text() != "", timeout=10_000)
    assert "thresholds rise" in error.text() and not error.isHidden()
    assert screen.tiers.table.currentRow() == 1
    assert "merah" in screen.message.text()
    assert _rows(shop, "SELECT value FROM setting WHERE key = 'loyalty.tiers'") == [
        ('[{"code":"bronze","name":"Perunggu","threshold":0,"multiplier":"1"}]',)]


def test_search_a_member_by_name_and_see_the_ledger(qtbot: QtBot,
                                                    office: tuple[LoyaltyScreen, str]) -> None:
    screen, cid = office
    _activate(qtbot, screen)
    headers = [_text(screen.table.horizontalHeaderItem(j))
               for j in range(screen.table.columnCount())]
    assert headers == ["Waktu", "Jenis", "Poin", "Belanja", "Nilai", "Hangus pada",
                       "Keterangan"]
    screen.search.setText("ani")
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.search_now()  # the first hit is chosen, and its ledger shown
    assert screen.results.count() == 1
    assert _text(screen.results.item(0)).startswith("Bu Ani\n")
    assert "Perunggu" in _text(screen.results.item(0))
    assert "150 poin" in _text(screen.results.item(0))
    assert screen.member is not None and screen.member.customer_id == cid
    assert screen.member_name.text() == "Bu Ani"
    assert "150 poin" in screen.balance.text() and "Rp 15.000" in screen.balance.text()
    assert screen.table.rowCount() == 1
    cells = [_text(screen.table.item(0, j)) for j in range(screen.table.columnCount())]
    # 03:15 UTC is 10:15 on the store's clock (WIB by default).
    assert cells[0] == "01-12-2026 10:15 WIB"
    assert cells[1:5] == ["Dapat poin", "150", "Rp 15.000", ""]
    assert cells[5].startswith("31-12-2027")
    screen.search.setText("nobody-like-this")
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.search_now()
    assert screen.results.count() == 0 and screen.found.text() != ""


def test_the_back_office_in_english(qtbot: QtBot,
                                    office: tuple[LoyaltyScreen, str]) -> None:
    screen, _ = office
    _activate(qtbot, screen)
    screen.search.setText("Bu Ani")
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.search_now()
    i18n.set_language("en")  # switched while the screen is open: the shell retranslates
    screen.retranslate()
    assert screen.tabs.tabText(0) == "Points settings"
    assert [_text(screen.table.horizontalHeaderItem(j)) for j in range(7)] == [
        "Time", "Kind", "Points", "Spend", "Value", "Expires", "Reason"]
    assert screen.basis.itemText(0).startswith("Spend")
    assert _text(screen.tiers.table.horizontalHeaderItem(2)) == "Spend threshold (Rp)"
    assert kind_text("redeem") == "Redeemed" and kind_text("expire") == "Expired"
    assert kind_text("adjust") == "Adjusted" and kind_text("refund") == "Refund"
    assert _text(screen.table.item(0, 1)) == "Earned"
    assert screen.balance.text() == "150 points (Rp 15,000) · Perunggu"
    assert screen.step.text() == "1,000"

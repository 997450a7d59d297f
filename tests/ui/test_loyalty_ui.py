"""Loyalty at the till and in the back office (offscreen): the customer badge shows the tier
and points; the pay dialog's "Tukar poin" asks how many points pay, shows their value, and
the sale is paid partly with points; the back office shows and saves the settings and a
member's ledger."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from local_db.ids import now_iso, uuid7
from local_db.models import Customer
from services.cart import Cart
from services.customer_card import CustomerCard
from services.loyalty_settings import LoyaltySettings, Tier, save_loyalty_settings
from services.selling import SaleResult
from tests.conftest import login
from ui.cart_view import CustomerBadge
from ui.loyalty_office import LoyaltyScreen
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


def test_the_back_office_saves_settings_and_shows_a_ledger(
        qtbot: QtBot, shop: Shop) -> None:
    cid = _member(shop)
    backend = GuiBackend(shop)
    owner = backend.core.login("Wati", "9999")
    tasks = TaskManager()
    try:
        screen = LoyaltyScreen(OfficeContext(tasks, backend, owner))
        qtbot.addWidget(screen)
        screen.activate()
        qtbot.waitUntil(lambda: screen.settings is not None, timeout=10_000)
        assert screen.enabled.isChecked() and screen.step.value() == 1000
        screen.step.setValue(5000)
        screen.save()
        qtbot.waitUntil(lambda: screen.message.text() != "", timeout=10_000)
        assert screen.settings is not None and screen.settings.step == 5000
        assert _rows(shop, "SELECT value FROM setting WHERE key = 'loyalty.step'") == [
            ("5000",)]
        screen.customer.setText(cid)
        screen.show_ledger()
        qtbot.waitUntil(lambda: screen.balance.text() != "", timeout=10_000)
        assert "0 poin" in screen.balance.text() and screen.table.rowCount() == 0
        screen.tiers.setText("[]")  # no tier at all: refused, the field named
        screen.save()
        qtbot.waitUntil(lambda: "tiers" in screen.message.text(), timeout=10_000)
        assert replace(screen.settings, step=5000).step == 5000
    finally:
        tasks.shutdown()

"""Who may act (services.users): the rule the services apply, whoever calls them.

A locked user never acts, even through an Actor value made before the lock (a till session
signed in earlier); the till's default actor (the shift's cashier, no PIN) may only sell;
a cash out beyond the drawer's expected cash or above the store's limit needs a
supervisor, and the audit record names who acted and who approved.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.shop import Shop
from local_db.store import write_settings
from services.catalogue_csv import import_catalogue
from services.checkout import checkout
from services.errors import Refused, ShopError
from services.kasbon import repay_kasbon
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest
from services.shifts import close_shift, move_cash, open_shift, shift_report
from services.stock import ReceivedLine, adjust_stock, count_stock, receive_goods
from services.users import Actor, authenticate, change_role, shift_cashier
from tests.helpers import counts

SALE = SaleRequest((LineRequest("MI-0001", 1000),), (PaymentRequest("cash", 10_000),))
BUDI = Approval("Budi", "5678")


def lock(shop: Shop, name: str) -> None:
    """Five wrong PINs in a row, as at the till: the user is locked."""
    for _ in range(5):
        with shop.uow() as uow, pytest.raises(Refused):
            authenticate(uow, name, "0000")
    with shop.uow(write=False) as uow:
        assert uow.conn.execute(text("SELECT locked FROM user WHERE name = :n"),
                                {"n": name}).scalar() == 1


def default_actor(shop: Shop) -> Actor:
    with shop.uow(write=False) as uow:
        actor = shift_cashier(uow.conn, shop.config.terminal_id)
    assert actor is not None and not actor.pin_checked
    return actor


def refused(shop: Shop, field: str, act: object) -> ShopError:
    """``act()`` is refused naming ``field`` and writes nothing."""
    before = counts(shop)
    with pytest.raises(ShopError) as err:
        act()  # type: ignore[operator]
    assert err.value.field == field, err.value
    assert counts(shop) == before
    return err.value


def sell(shop: Shop, actor: Actor) -> None:
    checkout(shop.uow, shop.config, actor, SALE)


def cash_out(shop: Shop, actor: Actor, amount: int, approval: Approval | None = None) -> str:
    with shop.uow() as uow:
        return move_cash(uow, shop.config, actor, "cash_out", amount, "beli es batu",
                         approval=approval)


def close(shop: Shop, actor: Actor) -> None:
    with shop.uow() as uow:
        close_shift(uow, shop.config, actor, {"100000": 2})


# --- a locked user never acts --------------------------------------------------------------

def test_a_locked_cashier_cannot_sell_cash_out_or_close(shop: Shop, cashier: Actor) -> None:
    """Sari signed in (the till holds her Actor), then five wrong PINs lock her."""
    lock(shop, "Sari")
    for actor in (cashier, Actor(cashier.id, cashier.name, cashier.role)):
        err = refused(shop, "user", lambda a=actor: sell(shop, a))
        assert "locked" in err.message
        refused(shop, "user", lambda a=actor: cash_out(shop, a, 1_000))
        refused(shop, "user", lambda a=actor: close(shop, a))
    # ...and the till's default actor (she opened the shift) is refused too.
    with shop.uow(write=False) as uow, pytest.raises(Refused) as err2:
        shift_cashier(uow.conn, shop.config.terminal_id)
    assert err2.value.field == "user" and "locked" in err2.value.message


def test_a_locked_supervisor_cannot_change_stock_or_import(shop: Shop,
                                                           supervisor: Actor) -> None:
    lock(shop, "Budi")

    def adjust() -> None:
        with shop.uow() as uow:
            adjust_stock(uow, supervisor, "MI-0001", -1000, "rusak")

    def count() -> None:
        with shop.uow() as uow:
            count_stock(uow, supervisor, "MI-0001", 5000, "stock count")

    def receive() -> None:
        with shop.uow() as uow:
            receive_goods(uow, supervisor, supplier="PT Contoh",
                          lines=[ReceivedLine("MI-0001", 10_000, 2_800)], paid_from="payable")

    def imports() -> None:
        with shop.uow() as uow:
            import_catalogue(uow, supervisor, "sku,name,price\nNEW-1,Teh Baru,3000\n")

    for act in (adjust, count, receive, imports):
        assert "locked" in refused(shop, "user", act).message


def test_an_unlocked_user_acts_again(shop: Shop, owner: Actor) -> None:
    lock(shop, "Sari")
    from services.users import unlock_user
    with shop.uow() as uow:
        unlock_user(uow, owner, "Sari")
        uow.commit()
    sell(shop, default_actor(shop))


def test_the_stored_role_counts_not_the_one_signed_in_with(shop: Shop, supervisor: Actor,
                                                           owner: Actor) -> None:
    with shop.uow() as uow:
        change_role(uow, owner, "Budi", "cashier")
        uow.commit()

    def adjust() -> None:
        with shop.uow() as uow:
            adjust_stock(uow, supervisor, "MI-0001", -1000, "rusak")

    assert "supervisor" in refused(shop, "user", adjust).message


# --- without a PIN, only selling -------------------------------------------------------------

def test_the_default_actor_may_only_sell(shop: Shop) -> None:
    actor = default_actor(shop)
    sell(shop, actor)  # selling needs no PIN

    def cash_in() -> None:
        with shop.uow() as uow:
            move_cash(uow, shop.config, actor, "cash_in", 5_000, "uang kecil")

    def adjust() -> None:
        with shop.uow() as uow:
            adjust_stock(uow, actor, "MI-0001", -1000, "rusak")

    def repay() -> None:
        with shop.uow() as uow:
            repay_kasbon(uow, shop.config, actor, "no-such-customer", 5_000)

    for act in (lambda: cash_out(shop, actor, 1_000), cash_in, lambda: close(shop, actor),
                adjust, repay):
        assert "PIN" in refused(shop, "pin", act).message


def test_a_default_supervisor_gets_no_discount_rights_without_a_pin(
        shop: Shop, supervisor: Actor) -> None:
    """Budi opened the shift: without his PIN his own discount rights do not count."""
    close(shop, supervisor)
    with shop.uow() as uow:
        open_shift(uow, shop.config, supervisor, 100_000)
    actor = default_actor(shop)
    assert actor.role == "supervisor"
    from services.cart import Discount
    big = SaleRequest((LineRequest("MI-0001", 1000, discount=Discount(percent=30)),),
                      (PaymentRequest("cash", 10_000),))
    refused(shop, "approver", lambda: checkout(shop.uow, shop.config, actor, big))
    checkout(shop.uow, shop.config, supervisor, big)  # with his PIN: his rights


# --- cash out beyond the drawer ----------------------------------------------------------------

def _audit(shop: Shop, action: str) -> list[tuple[str, str, dict[str, object]]]:
    with shop.uow(write=False) as uow:
        rows = uow.conn.execute(text(
            "SELECT a.name, p.name, l.details FROM audit_log l JOIN user a ON a.id = l.actor_id "
            "JOIN user p ON p.id = l.approver_id WHERE l.action = :a ORDER BY l.seq"),
            {"a": action}).all()
    return [(str(a), str(p), json.loads(d)) for a, p, d in rows]


def test_cash_out_beyond_the_drawer_needs_a_supervisor(shop: Shop, cashier: Actor,
                                                       supervisor: Actor) -> None:
    """The issue's case: a float of 1,000, a cash out of 999,999,999."""
    close(shop, cashier)
    with shop.uow() as uow:
        open_shift(uow, shop.config, cashier, 1_000)
    err = refused(shop, "approver", lambda: cash_out(shop, cashier, 999_999_999))
    assert "supervisor" in err.message
    refused(shop, "approver", lambda: cash_out(shop, cashier, 1_001))
    # A cashier cannot approve it; a wrong supervisor PIN is refused (and counted).
    refused(shop, "approver", lambda: cash_out(shop, cashier, 1_001, Approval("Sari", "1234")))
    refused(shop, "pin", lambda: cash_out(shop, cashier, 1_001, Approval("Budi", "0000")))
    with shop.uow(write=False) as uow:
        assert shift_report(uow, shop.config).expected_cash == 1_000
    cash_out(shop, cashier, 1_000)  # within the drawer: the cashier alone
    move = cash_out(shop, cashier, 5_000, BUDI)
    with shop.uow(write=False) as uow:
        assert shift_report(uow, shop.config).expected_cash == -5_000
    audited = _audit(shop, "drawer.cash_out_approved")
    assert [(a, p) for a, p, _ in audited] == [("Sari", "Budi")]
    assert audited[0][2]["amount"] == 5_000 and audited[0][2]["expected_cash"] == 0
    # A supervisor acting with their own PIN approves their own cash out.
    cash_out(shop, supervisor, 2_000)
    assert [(a, p) for a, p, _ in _audit(shop, "drawer.cash_out_approved")][-1] == (
        "Budi", "Budi")
    assert move


def test_cash_out_above_the_store_setting_needs_a_supervisor(shop: Shop,
                                                             cashier: Actor) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"cash_out.approval_above": "50000"})
        uow.commit()
    cash_out(shop, cashier, 50_000)
    err = refused(shop, "approver", lambda: cash_out(shop, cashier, 50_001))
    assert "cash_out.approval_above" in err.message
    cash_out(shop, cashier, 50_001, BUDI)
    assert [(a, p) for a, p, _ in _audit(shop, "drawer.cash_out_approved")] == [
        ("Sari", "Budi")]


def test_a_no_sale_opening_needs_a_supervisor_and_names_both(shop: Shop,
                                                             cashier: Actor) -> None:
    def no_sale(approval: Approval | None) -> None:
        with shop.uow() as uow:
            move_cash(uow, shop.config, cashier, "no_sale", 0, "tukar uang", approval=approval)

    refused(shop, "approver", lambda: no_sale(None))
    no_sale(BUDI)
    assert [(a, p) for a, p, _ in _audit(shop, "drawer.no_sale")] == [("Sari", "Budi")]

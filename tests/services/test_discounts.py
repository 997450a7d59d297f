"""Discount limits at the till (services.discounts) and the category grid's queries
(services.categories), on real SQLite files."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.shop import Shop
from local_db.store import write_settings
from services.cart import Cart, Discount
from services.catalogue import lookup_item
from services.categories import category_products, list_categories
from services.discounts import (
    DiscountGrant,
    approve_discount,
    check_discount,
    covering_approver,
)
from services.errors import BadInput, Refused
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.helpers import counts, scalar


def _cart(shop: Shop) -> Cart:
    with shop.uow(write=False) as uow:
        return (Cart().add(lookup_item(uow.conn, "MI-0001"), 2000)  # Rp 7.000
                .add(lookup_item(uow.conn, "TMB-0176"), 500))  # Rp 14.500


def _audits(shop: Shop, action: str) -> list[dict[str, object]]:
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT actor_id, approver_id, details FROM audit_log WHERE action = :a "
            "ORDER BY seq"), {"a": action}).all()
    return [{"actor_id": r[0], "approver_id": r[1], "details": json.loads(r[2])} for r in rows]


def test_limits_per_role_follow_the_settings(shop: Shop) -> None:
    cart, config = _cart(shop), shop.config
    ten = check_discount(config, "cashier", cart, 1, Discount(percent=Decimal(10)))
    assert (ten.percent, ten.amount, ten.base, ten.limit, ten.needed) == (
        Decimal(10), 700, 7000, Decimal(10), None)
    assert check_discount(config, "cashier", cart, 1, Discount(amount=701)).needed == "supervisor"
    assert check_discount(config, "cashier", cart, None,
                          Discount(percent=Decimal(51))).needed == "owner"
    assert check_discount(config, "supervisor", cart, None,
                          Discount(percent=Decimal(50))).needed is None
    assert check_discount(config, "supervisor", cart, 2,
                          Discount(percent=Decimal(80))).needed == "owner"
    assert check_discount(config, "owner", cart, 2, Discount(percent=Decimal(100))).needed is None
    # The order discount is measured after line discounts: 2.150 of 21.500 - 0 is 10 %.
    order = check_discount(config, "cashier", cart, None, Discount(amount=2150))
    assert (order.base, order.percent, order.needed) == (21_500, Decimal(10), None)
    with shop.uow() as uow:
        write_settings(uow.conn, {"discount_limit.cashier": "25"})
        uow.commit()
    shop.reload()
    assert check_discount(shop.config, "cashier", cart, 1,
                          Discount(percent=Decimal(25))).needed is None


@pytest.mark.parametrize("discount, message", [
    (Discount(percent=Decimal(101)), "between 0 and 100"),
    (Discount(amount=-1), "negative"),
    (Discount(amount=7001), "larger than the amount"),
])
def test_impossible_discounts_name_the_field(shop: Shop, discount: Discount,
                                             message: str) -> None:
    with pytest.raises(BadInput) as err:
        check_discount(shop.config, "owner", _cart(shop), 1, discount)
    assert err.value.field == "discount" and message in err.value.message


def test_within_the_limit_writes_nothing(shop: Shop, cashier: Actor) -> None:
    before = counts(shop)
    with shop.uow() as uow:
        assert approve_discount(uow, shop.config, cashier, _cart(shop), 1,
                                Discount(percent=Decimal(10)), None) is None
    assert counts(shop) == before


def test_over_the_limit_needs_a_right_pin_and_is_audited(shop: Shop, cashier: Actor,
                                                          supervisor: Actor) -> None:
    cart = _cart(shop)
    twenty = Discount(percent=Decimal(20))
    before = counts(shop)
    for approval in (None, Approval("Budi", "0000"), Approval("Sari", "1234")):
        with pytest.raises(Refused) as err, shop.uow() as uow:
            approve_discount(uow, shop.config, cashier, cart, 1, twenty, approval)
        assert err.value.field in ("approver", "pin")
    assert counts(shop)["audit_log"] == before["audit_log"]
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name = 'Budi'") == 1
    with shop.uow() as uow:
        grant = approve_discount(uow, shop.config, cashier, cart, 1, twenty,
                                 Approval("Budi", "5678"))
    assert grant is not None and grant.approver.id == supervisor.id
    assert (grant.line_no, grant.discount) == (1, twenty)
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name = 'Budi'") == 0
    [audit] = _audits(shop, "discount.approve")
    assert audit["actor_id"] == cashier.id and audit["approver_id"] == supervisor.id
    details = audit["details"]
    assert isinstance(details, dict)
    assert (details["sku"], details["percent"], details["amount"], details["needed"]) == (
        "MI-0001", "20.00", 1400, "supervisor")
    # Above the supervisor's own limit, only the owner will do.
    with pytest.raises(Refused) as err, shop.uow() as uow:
        approve_discount(uow, shop.config, cashier, cart, None, Discount(percent=Decimal(60)),
                         Approval("Budi", "5678"))
    assert "owner" in err.value.message


def test_the_sale_takes_the_tills_approval_only_when_it_covers_the_cart(
        shop: Shop, cashier: Actor, supervisor: Actor, owner: Actor) -> None:
    cart = _cart(shop).set_line_discount(1, Discount(percent=Decimal(20)))
    grants = [DiscountGrant(1, Discount(percent=Decimal(20)), supervisor)]
    assert covering_approver(shop.config, cashier, cart, grants) == supervisor
    # Another discount than the one approved is not covered ...
    other = cart.set_line_discount(1, Discount(percent=Decimal(30)))
    assert covering_approver(shop.config, cashier, other, grants) is None
    # ... nor an order discount above the supervisor's limit, unless the owner approved it.
    big = cart.with_discount(Discount(percent=Decimal(60)))
    assert covering_approver(shop.config, cashier, big, grants) is None
    assert covering_approver(shop.config, cashier, big, grants + [
        DiscountGrant(None, Discount(percent=Decimal(60)), owner)]) == owner
    # Nothing above the limit: nobody is needed.
    assert covering_approver(shop.config, cashier, _cart(shop), grants) is None

    req = SaleRequest(lines=(LineRequest("MI-0001", 2000, discount=Discount(percent=Decimal(20))),),
                      payments=(PaymentRequest("cash", 10_000),))
    # A cashier alone is refused; a cashier as "approver" is refused by the service's own check.
    with pytest.raises(Refused), shop.uow() as uow:
        complete_sale(uow, shop.config, cashier, req, approved_by=cashier)
    with shop.uow() as uow:
        sale = complete_sale(uow, shop.config, cashier, req, approved_by=supervisor)
    [audit] = _audits(shop, "discount.over_limit")
    assert audit["approver_id"] == supervisor.id
    assert sale.discount_total == 1400


def test_categories_and_their_products(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        cats = list_categories(uow.conn)
        by_name = {c.name: c for c in cats}
        assert "Mi Instan" in by_name and "Sembako" in by_name
        assert [c.name.lower() for c in cats] == sorted(c.name.lower() for c in cats)
        total = scalar(shop, "SELECT count(*) FROM product WHERE active AND category_id "
                             "IS NOT NULL")
        assert sum(c.products for c in cats) == total
        mi = category_products(uow.conn, by_name["Mi Instan"].id)
    assert len(mi) == by_name["Mi Instan"].products
    assert "MI-0001" in [p.sku for p in mi]
    assert [p.name.lower() for p in mi] == sorted(p.name.lower() for p in mi)
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE product SET active = 0 WHERE sku = 'MI-0001'"))
        uow.commit()
    with shop.uow(write=False) as uow:
        after = category_products(uow.conn, by_name["Mi Instan"].id)
        count = {c.name: c.products for c in list_categories(uow.conn)}["Mi Instan"]
    assert "MI-0001" not in [p.sku for p in after] and count == len(mi) - 1

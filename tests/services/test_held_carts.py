"""Hold and resume carts: exact JSON round trip, today's prices on resume, inactive products."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from app.shop import Shop
from local_db.models import Product
from services.cart import Cart, CartItem, Discount
from services.catalogue import lookup_item
from services.errors import BadInput, NotFound
from services.held_carts import (
    cart_from_json,
    cart_to_json,
    held_count,
    hold_cart,
    list_held,
    resume_cart,
)
from services.users import Actor

# --- the JSON round trip (pure) ------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_ids = st.sampled_from([f"00000000-0000-7000-8000-{n:012d}" for n in range(8)])
_items = st.builds(CartItem, product_id=_ids, sku=_text, name=_text,
                   unit=st.sampled_from(["pcs", "kg", "liter"]),
                   unit_price=st.integers(0, 10_000_000_000),
                   unit_cost=st.integers(0, 10_000_000_000), tax_class=_text,
                   tracks_stock=st.booleans())
_discounts = st.one_of(
    st.just(Discount()),
    st.builds(Discount, percent=st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-2))),
    st.builds(Discount, amount=st.integers(0, 10_000_000)),
)


@st.composite
def carts(draw: st.DrawFn) -> Cart:
    cart = Cart(discount=draw(_discounts),
                customer_id=draw(st.one_of(st.none(), _ids)))
    for _ in range(draw(st.integers(0, 5))):
        cart = cart.add(draw(_items), draw(st.integers(1, 10_000_000)),
                        unit_price=draw(st.one_of(st.none(), st.integers(0, 10_000_000))),
                        discount=draw(_discounts))
    drop_first = draw(st.booleans())
    if cart.lines and drop_first:
        cart = cart.remove(cart.lines[0].line_no)  # line numbers with a hole, next_line_no
    return cart


@given(carts())
def test_cart_json_round_trips_exactly(cart: Cart) -> None:
    back = cart_from_json(cart_to_json(cart))
    assert back == cart
    assert cart_to_json(back) == cart_to_json(cart)  # Decimal digits kept, e.g. 10.50


def test_decimal_percent_keeps_its_digits() -> None:
    cart = Cart(discount=Discount(percent=Decimal("12.50")))
    back = cart_from_json(cart_to_json(cart))
    assert str(back.discount.percent) == "12.50"


# --- hold, list, resume on a real database ------------------------------------------------

def _cart(shop: Shop) -> Cart:
    with shop.uow(write=False) as uow:
        mi = lookup_item(uow.conn, "MI-0001")
        eggs = lookup_item(uow.conn, "TMB-0176")
        tea = lookup_item(uow.conn, "MI-0002")
    return (Cart().add(mi, 2000, discount=Discount(percent=Decimal("5")))
            .add(eggs, 1250).add(tea, 1000, unit_price=3000)
            .with_discount(Discount(amount=500)))


def _set_product(shop: Shop, sku: str, **values: object) -> None:
    with shop.uow() as uow:
        uow.conn.execute(update(Product).where(Product.sku == sku).values(**values))
        uow.commit()


def test_hold_list_resume_round_trip(shop: Shop, cashier: Actor) -> None:
    cart = _cart(shop)
    with shop.uow() as uow:
        held = hold_cart(uow, cashier, cart, "  Pak RT  ")
    assert (held.label, held.held_by, held.line_count) == ("Pak RT", "Sari", 3)
    with shop.uow(write=False) as uow:
        rows = list_held(uow)
    assert [r.id for r in rows] == [held.id]
    with shop.uow() as uow:
        resumed = resume_cart(uow, cashier, held.id)
    assert resumed.cart == cart
    assert resumed.label == "Pak RT"
    assert resumed.price_changes == () and resumed.unavailable == ()
    with shop.uow(write=False) as uow:
        assert held_count(uow.conn) == 0
    with shop.uow() as uow, pytest.raises(NotFound) as e:
        resume_cart(uow, cashier, held.id)  # resumed once only
    assert e.value.field == "held_id"


def test_resume_takes_todays_price_and_reports_it(shop: Shop, cashier: Actor,
                                                  supervisor: Actor) -> None:
    cart = _cart(shop)
    with shop.uow() as uow:
        held = hold_cart(uow, cashier, cart, "antri 1")
    _set_product(shop, "MI-0001", price=3700)
    _set_product(shop, "MI-0002", price=3600)  # overridden in the cart: the override stays
    with shop.uow() as uow:
        resumed = resume_cart(uow, supervisor, held.id)
    lines = {x.item.sku: x for x in resumed.cart.lines}
    assert lines["MI-0001"].unit_price == lines["MI-0001"].item.unit_price == 3700
    assert lines["MI-0001"].discount == Discount(percent=Decimal("5"))
    assert lines["MI-0002"].unit_price == 3000 and lines["MI-0002"].item.unit_price == 3600
    assert [(c.sku, c.held_price, c.current_price) for c in resumed.price_changes] == [
        ("MI-0001", 3500, 3700)]
    assert resumed.cart.discount == Discount(amount=500)


def test_inactive_product_is_reported_not_silently_dropped(shop: Shop, cashier: Actor) -> None:
    cart = _cart(shop)
    with shop.uow() as uow:
        held = hold_cart(uow, cashier, cart, "antri 2")
    _set_product(shop, "TMB-0176", active=False)
    with shop.uow() as uow:
        resumed = resume_cart(uow, cashier, held.id)
    assert [x.item.sku for x in resumed.cart.lines] == ["MI-0001", "MI-0002"]
    assert [(u.sku, u.qty_milli, u.line_no) for u in resumed.unavailable] == [
        ("TMB-0176", 1250, 2)]
    # New lines keep numbering after the held ones: no line number is reused.
    assert resumed.cart.next_line_no == cart.next_line_no


def test_hold_refuses_bad_input_and_writes_nothing(shop: Shop, cashier: Actor) -> None:
    for cart, label, field in [(_cart(shop), " ", "label"), (_cart(shop), "x" * 61, "label"),
                               (Cart(), "kosong", "cart")]:
        with shop.uow() as uow, pytest.raises(BadInput) as e:
            hold_cart(uow, cashier, cart, label)
        assert e.value.field == field
    with shop.uow(write=False) as uow:
        assert held_count(uow.conn) == 0


def test_several_held_carts_listed(shop: Shop, cashier: Actor) -> None:
    for label in ("satu", "dua", "tiga"):
        with shop.uow() as uow:
            hold_cart(uow, cashier, _cart(shop), label)
    with shop.uow(write=False) as uow:
        assert sorted(r.label for r in list_held(uow)) == ["dua", "satu", "tiga"]

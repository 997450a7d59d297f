"""Properties of the pure value code: money, tax, cart totals, tender."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.cart import Cart, CartItem, Discount, price_cart
from services.errors import BadInput
from services.money import (
    allocate,
    format_rupiah,
    line_amount,
    qty_to_milli,
    round_cash,
    rupiah,
    to_rupiah,
)
from services.tax import TaxRule, split_tax
from services.tender import TenderInput, settle

RULES = {
    "PPN": TaxRule("PPN", Decimal("0.12"), 11, 12, True),
    "PPN_EXCL": TaxRule("PPN_EXCL", Decimal("0.12"), 11, 12, False),
    "PPNBM": TaxRule("PPNBM", Decimal("0.12"), 1, 1, True),
    "BEBAS": TaxRule("BEBAS", Decimal(0), 1, 1, True),
}

prices = st.integers(min_value=0, max_value=5_000_000)
qtys = st.integers(min_value=1, max_value=50_000)  # milli: up to 50 units/kg
discounts = st.one_of(
    st.just(Discount()),
    st.decimals(min_value=0, max_value=100, places=1).map(lambda p: Discount(percent=p)),
)


def item(n: int, price: int, tax: str, unit: str = "pcs") -> CartItem:
    return CartItem(f"p{n}", f"SKU{n}", f"Item {n}", unit, price, price // 2, tax, True)


@st.composite
def carts(draw: st.DrawFn) -> Cart:
    cart = Cart()
    for n in range(draw(st.integers(min_value=1, max_value=8))):
        price = draw(prices)
        tax = draw(st.sampled_from(sorted(RULES)))
        cart = cart.add(item(n, price, tax, "kg"), draw(qtys), discount=draw(discounts))
    order = draw(st.one_of(st.just(Discount()),
                           st.decimals(min_value=0, max_value=100, places=2)
                           .map(lambda p: Discount(percent=p))))
    return cart.with_discount(order)


def test_pinned_ppn_figures() -> None:
    # 12% on a DPP of 11/12 is 11% effective: Rp 11.100 inclusive holds Rp 1.100 PPN.
    assert split_tax(11_100, RULES["PPN"], pkp=True).tax == 1_100
    assert split_tax(10_000, RULES["PPN_EXCL"], pkp=True).gross == 11_100
    assert split_tax(11_200, RULES["PPNBM"], pkp=True).tax == 1_200
    assert split_tax(11_100, RULES["PPN"], pkp=False).tax == 0  # not PKP: no PPN


@given(st.integers(min_value=0, max_value=10**10), st.sampled_from(sorted(RULES)), st.booleans())
def test_tax_split_adds_up(amount: int, code: str, pkp: bool) -> None:
    s = split_tax(amount, RULES[code], pkp=pkp)
    assert s.gross == s.net + s.tax
    assert s.tax >= 0


@given(carts(), st.booleans())
def test_cart_totals_are_sums_of_lines(cart: Cart, pkp: bool) -> None:
    priced = price_cart(cart, RULES, pkp=pkp)
    assert priced.total == sum(p.gross for p in priced.lines)
    assert priced.tax_total == sum(p.tax for p in priced.lines)
    assert priced.net_total + priced.tax_total == priced.total
    assert priced.discount_total == sum(p.discount for p in priced.lines)
    for p in priced.lines:
        assert p.gross == p.net + p.tax
        assert 0 <= p.discount <= p.base


@given(st.integers(min_value=-10**9, max_value=10**9),
       st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=20))
def test_allocate_is_exact(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)


@given(carts(), st.sampled_from([1, 100, 500, 1000]), st.sampled_from(["nearest", "down"]),
       st.integers(min_value=0, max_value=200_000))
def test_tender_splits_add_up(cart: Cart, unit: int, mode: str, extra: int) -> None:
    priced = price_cart(cart, RULES, pkp=True)
    if priced.total == 0:
        return
    cash_due = round_cash(priced.total, unit, mode)
    if cash_due == 0:
        return
    result = settle(priced.total, [TenderInput("cash", cash_due + extra)],
                    rounding_unit=unit, rounding_mode=mode)
    assert result.payable == priced.total + result.rounding
    assert sum(p.amount for p in result.payments) == result.payable
    assert result.change == extra
    assert abs(result.rounding) < max(unit, 1)


@given(st.integers(min_value=1, max_value=10**8), st.integers(min_value=0, max_value=10**8))
def test_split_tender_non_cash_exact(total: int, edc: int) -> None:
    edc = min(edc, total)
    tenders = [TenderInput("edc", edc)] if edc else []
    if total - edc:
        tenders.append(TenderInput("kasbon", total - edc))
    r = settle(total, tenders, rounding_unit=100, rounding_mode="nearest")
    assert r.rounding == 0 and r.change == 0
    assert sum(p.amount for p in r.payments) == total


def test_tender_short_names_the_field() -> None:
    with pytest.raises(BadInput) as e:
        settle(10_000, [TenderInput("cash", 9_000)], rounding_unit=100, rounding_mode="nearest")
    assert e.value.field == "payments" and "short" in e.value.message


def test_rounding_to_100() -> None:
    r = settle(32_250, [TenderInput("cash", 50_000)], rounding_unit=100, rounding_mode="nearest")
    assert (r.rounding, r.payable, r.change) == (50, 32_300, 17_700)
    r = settle(32_250, [TenderInput("cash", 50_000)], rounding_unit=100, rounding_mode="down")
    assert (r.rounding, r.payable, r.change) == (-50, 32_200, 17_800)


@pytest.mark.parametrize("text,expected", [
    ("15000", 15_000), ("15.000", 15_000), ("Rp 15.000", 15_000), ("rp15000", 15_000), (0, 0)])
def test_rupiah_accepts(text: object, expected: int) -> None:
    assert rupiah(text, field="x") == expected


@pytest.mark.parametrize("bad", [1.5, "15000.5", "15,000.00", True, None, "-5", -1, 10**11])
def test_rupiah_refuses(bad: object) -> None:
    with pytest.raises(BadInput) as e:
        rupiah(bad, field="price")
    assert e.value.field == "price"


@pytest.mark.parametrize("bad", [0, -1, "abc", "0.0001", 10_001, float("nan"), True])
def test_quantity_refuses(bad: object) -> None:
    with pytest.raises(BadInput) as e:
        qty_to_milli(bad, field="lines[0].qty")
    assert e.value.field == "lines[0].qty"


def test_quantity_accepts_fractions() -> None:
    assert qty_to_milli("0.25", field="q") == 250
    assert qty_to_milli(1.5, field="q") == 1500
    assert line_amount(29_000, 750) == 21_750
    assert line_amount(3_333, 333) == to_rupiah(Decimal("1109.889"))


def test_format_rupiah() -> None:
    assert format_rupiah(15_000) == "Rp 15.000"
    assert format_rupiah(1_234_567) == "Rp 1.234.567"
    assert format_rupiah(-500) == "-Rp 500"

"""Shifts: float, cash in/out, X and Z reports, denomination count, drawer ledger."""

from __future__ import annotations

import pytest

from app.shop import Shop
from services.errors import BadInput, Conflict, Refused
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.shifts import close_shift, move_cash, open_shift, shift_report
from services.users import Actor
from tests.helpers import trial_balance


def _sale(shop: Shop, actor: Actor, method: str, amount: int, sku: str = "MI-0001") -> None:
    req = SaleRequest((LineRequest(sku, 2000),), (PaymentRequest(method, amount),))
    with shop.uow() as uow:
        complete_sale(uow, shop.config, actor, req)


def test_x_then_z_report(shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    _sale(shop, cashier, "cash", 10_000)  # 7.000 due, change 3.000
    _sale(shop, cashier, "edc", 7_000)
    with shop.uow() as uow:
        move_cash(uow, shop.config, cashier, "cash_out", 5_000, "beli es batu",
                  account="6-1000")
    with shop.uow() as uow:
        move_cash(uow, shop.config, cashier, "cash_in", 50_000, "tambah uang kecil")
    with shop.uow(write=False) as uow:
        x = shift_report(uow, shop.config)
    assert x.kind == "X"
    assert x.sales_count == 2
    assert x.by_method == {"cash": {"count": 1, "amount": 7_000},
                           "edc": {"count": 1, "amount": 7_000}}
    assert x.first_receipt == "DEMO-T01-000001" and x.last_receipt == "DEMO-T01-000002"
    assert x.expected_cash == 200_000 + 7_000 - 5_000 + 50_000
    # Counted Rp 1.000 short.
    counted = {"100000": 2, "50000": 1, "1000": 1}
    with shop.uow() as uow:
        z = close_shift(uow, shop.config, cashier, counted)
    assert z.kind == "Z"
    assert z.counted_cash == 251_000 and z.difference == -1_000
    tb = trial_balance(shop)
    assert tb["1-1100"] == 0  # the drawer is emptied into the safe at close
    assert tb["6-2000"] == 1_000  # cash short booked
    assert sum(tb.values()) == 0
    with shop.uow(write=False) as uow:
        again = shift_report(uow, shop.config, z.shift_id)
    assert again == z  # the Z report is frozen at close


def test_one_open_shift_per_till(shop: Shop, cashier: Actor) -> None:
    with shop.uow() as uow, pytest.raises(Conflict):
        open_shift(uow, shop.config, cashier, 100_000)


def test_count_names_the_bad_denomination(shop: Shop, cashier: Actor) -> None:
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        close_shift(uow, shop.config, cashier, {"300": 1})
    assert e.value.field == "counted.300"
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        close_shift(uow, shop.config, cashier, {"1000": -1})
    assert e.value.field == "counted.1000"


def test_no_sale_drawer_open_needs_supervisor(shop: Shop, cashier: Actor,
                                              supervisor: Actor) -> None:
    with shop.uow() as uow, pytest.raises(Refused):
        move_cash(uow, shop.config, cashier, "no_sale", 0, "tukar uang")
    with shop.uow() as uow:
        move_cash(uow, shop.config, cashier, "no_sale", 0, "tukar uang", approver=supervisor)
    with shop.uow(write=False) as uow:
        assert shift_report(uow, shop.config).no_sale_opens == 1

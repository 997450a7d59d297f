"""Stock movements: receive, adjust, waste, count, low-stock list."""

from __future__ import annotations

import pytest

from app.shop import Shop
from services.errors import BadInput, NotFound, Refused
from services.stock import ReceivedLine, adjust_stock, count_stock, low_stock, receive_goods
from services.users import Actor
from tests.helpers import scalar, stock_of, trial_balance


def test_receive_goods_moves_stock_cost_and_ledger(shop: Shop, supervisor: Actor) -> None:
    level, _ = stock_of(shop, "MI-0001")
    old_cost = scalar(shop, "SELECT cost FROM product WHERE sku='MI-0001'")
    with shop.uow() as uow:
        receive_goods(uow, supervisor, supplier="CV Sumber Rejeki",
                      lines=[ReceivedLine("MI-0001", 40_000, 3_000)], paid_from="payable")
    assert stock_of(shop, "MI-0001") == (level + 40_000, level + 40_000)
    new_cost = scalar(shop, "SELECT cost FROM product WHERE sku='MI-0001'")
    assert old_cost < new_cost < 3_000  # moving average
    tb = trial_balance(shop)
    assert tb["2-1100"] == -120_000
    assert sum(tb.values()) == 0


def test_adjust_waste_count(shop: Shop, supervisor: Actor) -> None:
    level, _ = stock_of(shop, "M-0016")
    with shop.uow() as uow:
        r = adjust_stock(uow, supervisor, "M-0016", -2000, "botol bocor", waste=True)
    assert r.level_milli == level - 2000 and r.value < 0
    with shop.uow() as uow:
        r = count_stock(uow, supervisor, "M-0016", 5000)
    assert r.level_milli == 5000 and r.qty_milli == 5000 - (level - 2000)
    assert stock_of(shop, "M-0016") == (5000, 5000)
    assert sum(trial_balance(shop).values()) == 0
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action='stock.count'") == 1


def test_stock_rights_and_input(shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    with shop.uow() as uow, pytest.raises(Refused):
        adjust_stock(uow, cashier, "M-0016", -1000, "x")
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        adjust_stock(uow, supervisor, "M-0016", -1000, "  ")
    assert e.value.field == "reason"
    with shop.uow() as uow, pytest.raises(NotFound):
        adjust_stock(uow, supervisor, "NOPE", -1000, "x")
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        adjust_stock(uow, supervisor, "JSA-0185", -1000, "x")  # a service tracks no stock
    assert e.value.field == "sku"


def test_low_stock_lists_negative_and_threshold(shop: Shop, supervisor: Actor) -> None:
    with shop.uow() as uow:
        count_stock(uow, supervisor, "MI-0001", 0)
    with shop.uow(write=False) as uow:
        skus = [s.sku for s in low_stock(uow.conn)]
    assert "MI-0001" in skus

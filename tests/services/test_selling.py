"""The sale write path on real SQLite files."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.shop import Shop
from services.cart import Discount
from services.errors import BadInput, Conflict, NotFound, Refused
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.helpers import counts, scalar, stock_of, trial_balance


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]], pays: list[tuple[str, int]],
         **kw: object) -> object:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays), **kw)  # type: ignore[arg-type]
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def test_cash_sale_writes_everything_in_one_go(shop: Shop, cashier: Actor) -> None:
    before = counts(shop)
    level_before = stock_of(shop, "MI-0001")[0]
    r = sell(shop, cashier, [("MI-0001", 2000), ("M-0016", 1000), ("TMB-0176", 750)],
             [("cash", 100_000)])
    after = counts(shop)
    assert r.receipt_no == "DEMO-T01-000001"  # type: ignore[attr-defined]
    assert after["sale"] == before["sale"] + 1
    assert after["sale_line"] == before["sale_line"] + 3
    assert after["payment"] == before["payment"] + 1
    assert after["stock_movement"] == before["stock_movement"] + 3
    assert after["journal_entry"] == before["journal_entry"] + 1
    assert after["audit_log"] == before["audit_log"] + 1
    assert after["outbox"] == before["outbox"] + 1
    level, moved = stock_of(shop, "MI-0001")
    assert level == moved == level_before - 2000
    assert sum(trial_balance(shop).values()) == 0
    # Dr cash equals what stayed in the drawer; PPN payable equals the sale's tax.
    tb = trial_balance(shop)
    assert tb["2-1200"] == -r.tax_total  # type: ignore[attr-defined]
    assert r.payable - r.total == r.rounding  # type: ignore[attr-defined]
    assert r.payable % 100 == 0  # type: ignore[attr-defined]


def test_receipt_numbers_are_gapless_and_failures_take_none(shop: Shop, cashier: Actor) -> None:
    sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5000)])
    with pytest.raises(BadInput):
        sell(shop, cashier, [("MI-0001", 1000)], [("cash", 100)])  # short
    with pytest.raises(NotFound):
        sell(shop, cashier, [("NOPE", 1000)], [("cash", 5000)])
    r = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5000)])
    assert r.seq == 2  # type: ignore[attr-defined]
    assert scalar(shop, "SELECT value FROM counter WHERE name='receipt'") == 2


def test_bad_input_changes_nothing(shop: Shop, cashier: Actor) -> None:
    before = counts(shop)
    for lines, pays in [([("MI-0001", 1000)], [("cash", 1)]),
                        ([("MI-0001", 1500)], [("cash", 50_000)]),  # half a pcs
                        ([("NOPE", 1000)], [("cash", 50_000)]),
                        ([("MI-0001", 1000)], [("bitcoin", 50_000)]),
                        ([("MI-0001", 1000)], [("kasbon", 3_500)])]:  # no customer
        with pytest.raises((BadInput, NotFound, Refused)):
            sell(shop, cashier, lines, pays)
    assert counts(shop) == before


def test_offline_qris_refused_with_reason(shop: Shop, cashier: Actor) -> None:
    with pytest.raises(Refused) as e:
        sell(shop, cashier, [("MI-0001", 1000)], [("qris", 3500)])
    assert e.value.field == "payments[0].method" and "cash" in e.value.message


def test_split_payment_edc_and_cash(shop: Shop, cashier: Actor) -> None:
    r = sell(shop, cashier, [("R-0110", 1000)], [("edc", 20_000), ("cash", 20_000)])
    assert [(p.method, p.amount) for p in r.payments] == [  # type: ignore[attr-defined]
        ("edc", 20_000), ("cash", 13_500)]
    tb = trial_balance(shop)
    assert tb["1-1310"] == 20_000
    assert sum(tb.values()) == 0


def test_discount_over_cashier_limit_needs_supervisor(shop: Shop, cashier: Actor) -> None:
    req = SaleRequest((LineRequest("MI-0001", 10_000, discount=Discount(percent=Decimal(20))),),
                      (PaymentRequest("cash", 50_000),))
    with shop.uow() as uow, pytest.raises(Refused) as e:
        complete_sale(uow, shop.config, cashier, req)
    assert e.value.field == "approver"
    ok = SaleRequest(req.lines, req.payments, approval=Approval("Budi", "5678"))
    with shop.uow() as uow:
        r = complete_sale(uow, shop.config, cashier, ok)
    assert r.discount_total == 7_000
    actions = scalar(shop, "SELECT group_concat(action) FROM audit_log WHERE entity_id = :s",
                     s=r.id)
    assert "discount.over_limit" in actions


def test_price_override_is_audited(shop: Shop, supervisor: Actor) -> None:
    req = SaleRequest((LineRequest("MI-0001", 1000, unit_price=3000),),
                      (PaymentRequest("cash", 3000),))
    with shop.uow() as uow:
        r = complete_sale(uow, shop.config, supervisor, req)
    assert r.total == 3000
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action='price.override' "
                        "AND entity_id=:s", s=r.id) == 1


def test_negative_stock_allowed_and_flagged(shop: Shop, cashier: Actor) -> None:
    level = stock_of(shop, "MI-0002")[0]
    r = sell(shop, cashier, [("MI-0002", level + 2000)], [("cash", 1_000_000)])
    assert r.negative_stock == ("MI-0002",)  # type: ignore[attr-defined]
    assert stock_of(shop, "MI-0002") == (-2000, -2000)


def test_no_open_shift_refused(shop: Shop, cashier: Actor) -> None:
    from services.shifts import close_shift
    with shop.uow() as uow:
        close_shift(uow, shop.config, cashier, {"100000": 2})
    with pytest.raises(Conflict) as e:
        sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5000)])
    assert e.value.field == "shift"


def test_exclusive_tax_class_adds_ppn(shop: Shop, cashier: Actor) -> None:
    with shop.uow() as uow:
        uow.session.execute(__import__("sqlalchemy").text(
            "UPDATE product SET tax_class='PPN_EXCL' WHERE sku='MI-0001'"))
        uow.commit()
    r = sell(shop, cashier, [("MI-0001", 10_000)], [("cash", 50_000)])
    assert r.total == 35_000 + 3_850  # type: ignore[attr-defined]
    assert r.tax_total == 3_850  # type: ignore[attr-defined]


def test_trial_balance_after_a_day(shop: Shop, cashier: Actor) -> None:
    from services.ledger import trial_balance
    sell(shop, cashier, [("MI-0001", 3000), ("TMB-0176", 1250)], [("cash", 100_000)])
    sell(shop, cashier, [("R-0110", 1000)], [("edc", 33_500)])
    with shop.uow(write=False) as uow:
        tb = trial_balance(uow.conn)
    assert tb.balanced and tb.total_debit > 0
    by = {a.code: a for a in tb.accounts}
    assert by["1-1310"].balance == 33_500
    assert by["4-1000"].balance < 0 and by["5-1000"].balance > 0


def test_an_approval_never_shows_its_pin() -> None:
    approval = Approval("Budi", "5678")
    assert "5678" not in repr(approval) and "5678" not in str(approval)
    assert "Budi" in repr(approval)

"""Kasbon: sales on credit within the limit, repayments, balances, the shift's cash."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from services.customers import create_customer
from services.errors import BadInput, Conflict, NotFound, Refused
from services.kasbon import customer_balance, outstanding_kasbon, repay_kasbon
from services.selling import LineRequest, PaymentRequest, SaleRequest, SaleResult, complete_sale
from services.shifts import close_shift, shift_report
from services.users import Actor
from tests.helpers import counts, scalar, trial_balance


def customer(shop: Shop, by: Actor, name: str, limit: int) -> str:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        return create_customer(uow, cipher, by, name=name, credit_limit=limit).id


def kasbon_sale(shop: Shop, actor: Actor, customer_id: str, qty: int = 1) -> SaleResult:
    """MI-0001 costs Rp 3.500: a sale of ``qty`` of it, all on kasbon."""
    req = SaleRequest((LineRequest("MI-0001", qty * 1000),),
                      (PaymentRequest("kasbon", 3_500 * qty),), customer_id=customer_id)
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def repay(shop: Shop, actor: Actor, customer_id: str, amount: int, method: str = "cash") -> object:
    with shop.uow() as uow:
        return repay_kasbon(uow, shop.config, actor, customer_id, amount, method=method)


def debits_equal_credits(shop: Shop) -> bool:
    d = scalar(shop, "SELECT SUM(debit) FROM journal_line")
    c = scalar(shop, "SELECT SUM(credit) FROM journal_line")
    return bool(d == c)


@pytest.fixture
def ani(shop: Shop, supervisor: Actor) -> str:
    return customer(shop, supervisor, "Bu Ani Contoh", 10_000)


def test_kasbon_sale_over_the_limit_is_refused(shop: Shop, cashier: Actor, ani: str) -> None:
    kasbon_sale(shop, cashier, ani, 2)  # Rp 7.000 of Rp 10.000
    before = counts(shop)
    with pytest.raises(Refused, match="limit") as err:
        kasbon_sale(shop, cashier, ani, 1)  # would be Rp 10.500
    assert err.value.field == "customer"
    assert counts(shop) == before
    with shop.uow(write=False) as uow:
        bal = customer_balance(uow, ani)
    assert (bal.balance, bal.credit_limit, bal.available) == (7_000, 10_000, 3_000)


def test_customer_without_limit_gets_no_kasbon(shop: Shop, cashier: Actor) -> None:
    nobody = customer(shop, cashier, "Pak Tanpa Limit", 0)
    with pytest.raises(Refused):
        kasbon_sale(shop, cashier, nobody)


def test_repayment_books_cash_against_the_receivable(shop: Shop, cashier: Actor,
                                                     ani: str) -> None:
    kasbon_sale(shop, cashier, ani, 2)
    receivable_before = trial_balance(shop)["1-1400"]
    cash_before = trial_balance(shop).get("1-1100", 0)
    r = repay(shop, cashier, ani, 5_000)
    tb = trial_balance(shop)
    assert debits_equal_credits(shop) and sum(tb.values()) == 0
    assert tb["1-1400"] == receivable_before - 5_000
    assert tb["1-1100"] == cash_before + 5_000
    entry = scalar(shop, "SELECT json_object('amount', amount, 'kind', kind, 'method', method, "
                         "'shift', shift_id, 'ref', ref_id) FROM kasbon_entry WHERE id = :i",
                   i=r.id)  # type: ignore[attr-defined]
    entry = json.loads(entry)
    shift_id = scalar(shop, "SELECT id FROM shift WHERE status = 'open'")
    assert entry == {"amount": -5_000, "kind": "repayment", "method": "cash", "shift": shift_id,
                     "ref": r.journal_entry_id}  # type: ignore[attr-defined]
    with shop.uow(write=False) as uow:
        je = uow.session.execute(text(
            "SELECT kind, ref_id FROM journal_entry WHERE id = :i"),
            {"i": r.journal_entry_id}).one()  # type: ignore[attr-defined]
        lines = uow.session.execute(text(
            "SELECT account_code, debit, credit FROM journal_line WHERE entry_id = :i "
            "ORDER BY account_code"), {"i": r.journal_entry_id}).all()  # type: ignore[attr-defined]
        events = [json.loads(p) for (p,) in uow.session.execute(text(
            "SELECT payload FROM outbox WHERE type = 'kasbon.repaid'"))]
    assert tuple(je) == ("kasbon.repayment", r.id)  # type: ignore[attr-defined]
    assert [tuple(x) for x in lines] == [("1-1100", 5_000, 0), ("1-1400", 0, 5_000)]
    assert len(events) == 1 and events[0]["amount"] == 5_000
    assert events[0]["customer_id"] == ani and events[0]["id"] == r.id  # type: ignore[attr-defined]
    assert r.balance_before == 7_000 and r.balance_after == 2_000  # type: ignore[attr-defined]


def test_paying_more_than_owed_is_bad_input(shop: Shop, cashier: Actor, ani: str) -> None:
    kasbon_sale(shop, cashier, ani)
    before = counts(shop)
    for amount in (3_501, 0, -100):
        with pytest.raises(BadInput) as err:
            repay(shop, cashier, ani, amount)
        assert err.value.field == "amount"
    with pytest.raises(BadInput) as err:
        repay(shop, cashier, ani, 1_000, method="qris")
    assert err.value.field == "method"
    with pytest.raises(NotFound):
        repay(shop, cashier, "01900000-0000-7000-8000-00000000dead", 1_000)
    assert counts(shop) == before


def test_cash_repayment_needs_the_open_shift(shop: Shop, cashier: Actor, ani: str) -> None:
    kasbon_sale(shop, cashier, ani)
    with shop.uow() as uow:
        close_shift(uow, shop.config, cashier, {"100000": 2})
    with pytest.raises(Conflict) as err:
        repay(shop, cashier, ani, 1_000)
    assert err.value.field == "shift"
    r = repay(shop, cashier, ani, 1_000, method="transfer")  # no drawer, no shift needed
    assert r.shift_id is None  # type: ignore[attr-defined]
    assert trial_balance(shop)["1-1200"] == 1_000


def test_shift_report_counts_cash_repayments(shop: Shop, cashier: Actor, ani: str) -> None:
    kasbon_sale(shop, cashier, ani, 2)
    with shop.uow(write=False) as uow:
        before = shift_report(uow, shop.config)
    repay(shop, cashier, ani, 4_000)
    repay(shop, cashier, ani, 1_000, method="edc")  # not cash: not in the drawer
    with shop.uow(write=False) as uow:
        after = shift_report(uow, shop.config)
    assert after.kasbon_repaid_cash == before.kasbon_repaid_cash + 4_000
    assert after.expected_cash == before.expected_cash + 4_000
    # The drawer's ledger account agrees with what the report expects (float included).
    assert trial_balance(shop)["1-1100"] == after.expected_cash


def test_outstanding_list(shop: Shop, cashier: Actor, supervisor: Actor, ani: str) -> None:
    budi = customer(shop, supervisor, "Pak Budi Contoh", 50_000)
    customer(shop, supervisor, "Tidak Berhutang", 50_000)
    kasbon_sale(shop, cashier, ani, 1)
    kasbon_sale(shop, cashier, budi, 3)
    paid_up = customer(shop, supervisor, "Sudah Lunas", 50_000)
    kasbon_sale(shop, cashier, paid_up, 1)
    repay(shop, cashier, paid_up, 3_500)
    with shop.uow(write=False) as uow:
        rows = outstanding_kasbon(uow)
    assert [(r.customer_id, r.balance) for r in rows] == [(budi, 10_500), (ani, 3_500)]
    assert rows[0].as_dict()["available"] == 50_000 - 10_500

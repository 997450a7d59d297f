"""Refunds on real SQLite files: ledger, stock, cash, kasbon, approvals, numbering."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from app.shop import Shop
from local_db.ids import now_iso, uuid7
from local_db.models import Customer
from local_db.store import AuditFields, audit_hash
from services.cart import Discount
from services.errors import BadInput, Conflict, NotFound, Refused
from services.refunds import RefundResult, _share, refund_sale
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    complete_sale,
)
from services.shifts import shift_report
from services.users import Actor
from tests.helpers import counts, scalar, stock_of, trial_balance

BUDI = Approval("Budi", "5678")


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]], pays: list[tuple[str, int]],
         **kw: Any) -> SaleResult:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays), **kw)
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def refund(shop: Shop, actor: Actor, receipt_no: str, lines: list[tuple[int, int]] | None = None,
           approval: Approval | None = BUDI, reason: str = "rusak") -> RefundResult:
    with shop.uow() as uow:
        return refund_sale(uow, shop.config, actor, receipt_no, lines or [], reason, approval)


def all_counts(shop: Shop) -> dict[str, int]:
    c = counts(shop)
    c["refund_line"] = int(scalar(shop, "SELECT COUNT(*) FROM refund_line"))
    c["refund_counter"] = int(scalar(shop, "SELECT value FROM counter WHERE name='refund'"))
    return c


def add_customer(shop: Shop, limit: int = 1_000_000) -> str:
    # The customers service is being written elsewhere; a plain row is enough for kasbon.
    cid = uuid7()
    stamp = now_iso()
    with shop.uow() as uow:
        uow.session.add(Customer(id=cid, name="Bu Ani", credit_limit=limit,
                                 consent_marketing=False, created_at=stamp, updated_at=stamp))
        uow.commit()
    return cid


def kasbon_balance(shop: Shop, cid: str) -> int:
    return int(scalar(shop, "SELECT COALESCE(SUM(amount), 0) FROM kasbon_entry "
                            "WHERE customer_id = :c", c=cid))


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    keys = set(before) | set(after)
    return {k: after.get(k, 0) - before.get(k, 0) for k in keys
            if after.get(k, 0) != before.get(k, 0)}


# --- the amounts ---------------------------------------------------------------------------

@given(amount=st.integers(0, 10_000_000_000), qty=st.integers(1, 10_000_000),
       cuts=st.lists(st.integers(1, 10_000_000), max_size=8))
def test_cumulative_shares_add_up_exactly(amount: int, qty: int, cuts: list[int]) -> None:
    points = sorted({c % qty for c in cuts} | {0, qty})
    parts = [_share(amount, a, b - a, qty) for a, b in zip(points, points[1:], strict=False)]
    assert sum(parts) == amount
    assert all(p >= 0 for p in parts)


def test_full_refund_reverses_revenue_tax_stock_and_cash(shop: Shop, cashier: Actor) -> None:
    tb0 = trial_balance(shop)
    levels0 = {s: stock_of(shop, s)[0] for s in ("MI-0001", "TMB-0176")}
    sale = sell(shop, cashier, [("MI-0001", 2000), ("TMB-0176", 750), ("JSA-0184", 3000)],
                [("cash", 100_000)])
    assert sale.rounding != 0  # 30.250 -> 30.300: the rounding must be reversed too
    c0 = all_counts(shop)
    r = refund(shop, cashier, sale.receipt_no)
    c1 = all_counts(shop)

    assert (r.refund_no, r.seq, r.method) == ("DEMO-T01-R00001", 1, "cash")
    assert r.gross == sale.total and r.tax == sale.tax_total
    assert r.cash_paid == sale.payable and r.rounding == sale.rounding
    assert delta(c0, c1) == {"refund": 1, "refund_line": 3, "stock_movement": 2,
                             "journal_entry": 1, "journal_line": 6, "audit_log": 1,
                             "outbox": 1, "refund_counter": 1}
    tb1 = trial_balance(shop)
    assert sum(tb1.values()) == 0
    assert scalar(shop, "SELECT SUM(debit) - SUM(credit) FROM journal_line") == 0
    moved = delta(tb0, tb1)
    # Only revenue and its contra account moved; together they are back to zero.
    assert set(moved) <= {"4-1000", "4-1100"}
    assert moved["4-1000"] == -moved["4-1100"] == -(sale.total - sale.tax_total)
    for sku, level0 in levels0.items():
        level, from_moves = stock_of(shop, sku)
        assert level == from_moves == level0
    assert scalar(shop, "SELECT SUM(net + tax - gross) FROM refund_line") == 0


def test_refund_journal_shape(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 3000)], [("cash", 20_000)],
                discount=Discount(amount=333))
    r = refund(shop, cashier, sale.receipt_no, [(1, 1000)])
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT l.account_code, l.debit, l.credit FROM journal_line l "
            "JOIN journal_entry e ON e.id = l.entry_id "
            "WHERE e.kind = 'refund' AND e.ref_id = :r"), {"r": r.id}).all()
    lines = {str(a): (int(d), int(c)) for a, d, c in rows}
    assert lines["4-1100"] == (r.net, 0)
    assert lines["2-1200"] == (r.tax, 0)
    assert lines["1-1100"] == (0, r.cash_paid)
    assert lines["1-1500"] == (r.cost, 0) and lines["5-1000"] == (0, r.cost)
    assert r.cost == 2850
    assert r.cash_paid % 100 == 0 and r.cash_paid - r.cash_due == r.rounding
    if r.rounding:
        assert lines["4-9000"] == ((r.rounding, 0) if r.rounding > 0 else (0, -r.rounding))


@pytest.mark.parametrize(("sku", "qty", "pieces", "discount"), [
    ("MI-0001", 7000, [2000, 2000, 3000], Discount(amount=333)),
    ("TMB-0176", 1234, [500, 500, 234], Discount(percent=None)),
    ("MI-0001", 3000, [1000, 2000], Discount(amount=1)),
])
def test_partial_refunds_add_up_exactly_to_the_line(shop: Shop, cashier: Actor, sku: str,
                                                   qty: int, pieces: list[int],
                                                   discount: Discount) -> None:
    sale = sell(shop, cashier, [(sku, qty)], [("cash", 200_000)], discount=discount)
    level0 = stock_of(shop, sku)[0]
    done = [refund(shop, cashier, sale.receipt_no, [(1, q)]) for q in pieces]
    with shop.uow(write=False) as uow:
        line = uow.session.execute(text(
            "SELECT gross, net, tax, cost FROM sale_line WHERE sale_id = :s"),
            {"s": sale.id}).one()
    assert sum(r.gross for r in done) == line[0]
    assert sum(r.net for r in done) == line[1]
    assert sum(r.tax for r in done) == line[2]
    assert sum(r.cost for r in done) == line[3]
    assert stock_of(shop, sku)[0] == level0 + qty
    assert [r.refund_no for r in done] == [f"DEMO-T01-R{i:05d}" for i in range(1, len(pieces) + 1)]
    assert sum(trial_balance(shop).values()) == 0
    with pytest.raises(Conflict):  # nothing left: a "full" refund now refuses
        refund(shop, cashier, sale.receipt_no)


def test_over_refund_refused_and_nothing_written(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 2000), ("MI-0002", 1000)], [("cash", 20_000)])
    refund(shop, cashier, sale.receipt_no, [(1, 1000)])
    before = all_counts(shop)
    failed_before = scalar(shop, "SELECT failed_pins FROM user WHERE name='Budi'")
    cases: list[tuple[list[tuple[int, int]], str]] = [
        ([(1, 2000)], "lines[0].qty"),  # 2 asked, 1 left
        ([(2, 1000), (1, 2000)], "lines[1].qty"),
        ([(9, 1000)], "lines[0].line_no"),
        ([(1, 500)], "lines[0].qty"),  # half a pcs
        ([(2, 0)], "lines[0].qty"),
        ([(2, 1000), (2, 1000)], "lines[1].line_no"),
    ]
    for lines, field in cases:
        with pytest.raises(BadInput) as e:
            refund(shop, cashier, sale.receipt_no, lines)
        assert e.value.field == field
    with pytest.raises(NotFound) as nf:
        refund(shop, cashier, "DEMO-T01-999999")
    assert nf.value.field == "receipt_no"
    assert all_counts(shop) == before
    # Bad input is refused before the PIN is checked, so no PIN was even looked at.
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name='Budi'") == failed_before


def test_wrong_supervisor_pin_refused_and_counted(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)])
    before = all_counts(shop)
    with pytest.raises(Refused) as e:
        refund(shop, cashier, sale.receipt_no, approval=Approval("Budi", "0000"))
    assert e.value.field == "pin"
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name='Budi'") == 1
    assert all_counts(shop) == before
    with pytest.raises(Refused) as e:
        refund(shop, cashier, sale.receipt_no, approval=None)
    assert e.value.field == "approver"
    r = refund(shop, cashier, sale.receipt_no)  # the right PIN resets the count
    assert r.approved_by == "Budi"
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name='Budi'") == 0


def test_cashier_cannot_approve(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)])
    before = all_counts(shop)
    with pytest.raises(Refused) as e:
        refund(shop, cashier, sale.receipt_no, approval=Approval("Sari", "1234"))
    assert e.value.field == "approver"
    assert all_counts(shop) == before


def test_supervisor_acting_alone_still_types_a_pin(shop: Shop, cashier: Actor,
                                                  supervisor: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)])
    with pytest.raises(Refused):
        refund(shop, supervisor, sale.receipt_no, approval=None)
    r = refund(shop, supervisor, sale.receipt_no, approval=Approval(supervisor.id, "5678"))
    assert r.cashier == r.approved_by == "Budi"


def test_refund_is_in_the_audit_chain(shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 2000)], [("cash", 10_000)])
    r = refund(shop, cashier, sale.receipt_no, [(1, 1000)], reason="kemasan sobek")
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT seq, id, created_at, action, actor_id, approver_id, entity, entity_id, "
            "details, prev_hash, hash FROM audit_log ORDER BY seq")).all()
    last = rows[-1]
    assert (last.action, last.actor_id, last.approver_id, last.entity_id) == (
        "sale.refund", cashier.id, supervisor.id, sale.id)
    details = json.loads(last.details)
    assert details["refund_no"] == r.refund_no and details["reason"] == "kemasan sobek"
    prev = "0" * 64
    for row in rows:
        assert row.prev_hash == prev
        fields = AuditFields(row.seq, row.id, row.created_at, row.action, row.actor_id,
                             row.approver_id, row.entity, row.entity_id, row.details)
        assert audit_hash(prev, fields) == row.hash
        prev = row.hash


def test_outbox_event_carries_refund_lines_and_movements(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 2000), ("JSA-0184", 1000)], [("cash", 10_000)])
    r = refund(shop, cashier, sale.receipt_no)
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT type, aggregate_id, payload FROM outbox ORDER BY seq DESC LIMIT 1")).one()
    assert row.type == "sale.refunded" and row.aggregate_id == r.id
    payload = json.loads(row.payload)
    assert payload["sale_id"] == sale.id
    assert payload["refund"]["id"] == r.id and payload["refund"]["refund_no"] == r.refund_no
    assert len(payload["lines"]) == 2
    # The photocopy service is not stocked: only the noodles come back into stock.
    assert [m["qty_milli"] for m in payload["stock_movements"]] == [2000]


def test_kasbon_sale_goes_back_to_kasbon(shop: Shop, cashier: Actor) -> None:
    cid = add_customer(shop)
    tb0 = trial_balance(shop)
    sale = sell(shop, cashier, [("MI-0001", 3000)], [("kasbon", 10_500)], customer_id=cid)
    assert kasbon_balance(shop, cid) == 10_500
    first = refund(shop, cashier, sale.receipt_no, [(1, 1000)])
    assert (first.method, first.to_kasbon, first.cash_paid) == ("kasbon", 3_500, 0)
    assert kasbon_balance(shop, cid) == 7_000
    rest = refund(shop, cashier, sale.receipt_no)
    assert (rest.method, rest.to_kasbon, rest.cash_paid) == ("kasbon", 7_000, 0)
    assert kasbon_balance(shop, cid) == 0
    moved = delta(tb0, trial_balance(shop))
    assert set(moved) <= {"4-1000", "4-1100"}  # the drawer never moved
    assert scalar(shop, "SELECT COUNT(*) FROM kasbon_entry WHERE kind='refund' "
                        "AND amount < 0 AND customer_id = :c", c=cid) == 2


def test_mixed_sale_kasbon_first_then_cash(shop: Shop, cashier: Actor) -> None:
    cid = add_customer(shop)
    # 4 x 3.500 = 14.000: 5.000 on kasbon, 9.000 in cash.
    sale = sell(shop, cashier, [("MI-0001", 4000)], [("kasbon", 5_000), ("cash", 10_000)],
                customer_id=cid)
    r1 = refund(shop, cashier, sale.receipt_no, [(1, 1000)])
    assert (r1.method, r1.to_kasbon, r1.cash_paid) == ("kasbon", 3_500, 0)
    r2 = refund(shop, cashier, sale.receipt_no, [(1, 2000)])
    assert (r2.method, r2.to_kasbon, r2.cash_due, r2.cash_paid) == ("mixed", 1_500, 5_500,
                                                                    5_500)
    r3 = refund(shop, cashier, sale.receipt_no)
    assert (r3.method, r3.to_kasbon, r3.cash_paid) == ("cash", 0, 3_500)
    assert kasbon_balance(shop, cid) == 0
    assert sum(trial_balance(shop).values()) == 0
    with shop.uow(write=False) as uow:
        methods = uow.session.execute(text(
            "SELECT method FROM refund ORDER BY seq")).scalars().all()
    assert methods == ["kasbon", "mixed", "cash"]


def test_shift_report_shows_refunds_and_lower_expected_cash(shop: Shop,
                                                            cashier: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 2000), ("TMB-0176", 750)], [("cash", 50_000)])
    with shop.uow(write=False) as uow:
        x0 = shift_report(uow, shop.config)
    r = refund(shop, cashier, sale.receipt_no, [(2, 250)])
    with shop.uow(write=False) as uow:
        x1 = shift_report(uow, shop.config)
    assert x1.refunds_count == x0.refunds_count + 1
    assert x1.refunds_total == x0.refunds_total + r.gross
    assert x1.expected_cash == x0.expected_cash - r.cash_paid
    assert r.cash_paid == 7_300  # 7.250 rounded to the store's Rp 100


def test_refund_numbers_gapless_failures_take_none(shop: Shop, cashier: Actor) -> None:
    a = sell(shop, cashier, [("MI-0001", 2000)], [("cash", 10_000)])
    b = sell(shop, cashier, [("MI-0002", 1000)], [("cash", 10_000)])
    r1 = refund(shop, cashier, a.receipt_no, [(1, 1000)])
    with pytest.raises(BadInput):
        refund(shop, cashier, a.receipt_no, [(1, 5000)])
    with pytest.raises(Refused):
        refund(shop, cashier, b.receipt_no, approval=Approval("Budi", "1111"))
    r2 = refund(shop, cashier, b.receipt_no)
    r3 = refund(shop, cashier, a.receipt_no)
    assert [r.seq for r in (r1, r2, r3)] == [1, 2, 3]
    assert [r.refund_no for r in (r1, r2, r3)] == ["DEMO-T01-R00001", "DEMO-T01-R00002",
                                                    "DEMO-T01-R00003"]
    with shop.uow(write=False) as uow:
        seqs = uow.session.execute(text("SELECT seq FROM refund ORDER BY seq")).scalars().all()
    assert seqs == [1, 2, 3]


def test_free_unstocked_lines_cannot_be_refunded(shop: Shop, cashier: Actor,
                                                 owner: Actor) -> None:
    free = Discount(percent=Decimal(100))
    req = SaleRequest((LineRequest("JSA-0184", 1000, discount=free),
                       LineRequest("MI-0001", 1000, discount=free), LineRequest("MI-0002", 1000)),
                      (PaymentRequest("cash", 5_000),))
    with shop.uow() as uow:
        sale = complete_sale(uow, shop.config, owner, req)
    before = all_counts(shop)
    with pytest.raises(Conflict) as e:
        refund(shop, cashier, sale.receipt_no, [(1, 1000)])
    assert e.value.field == "lines"
    assert all_counts(shop) == before
    r = refund(shop, cashier, sale.receipt_no, [(2, 1000)])  # stocked: its cost goes back
    assert (r.gross, r.cash_paid, r.cost) == (0, 0, 2850)
    assert sum(trial_balance(shop).values()) == 0


def test_refund_result_as_dict_is_json(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)])
    d = refund(shop, cashier, sale.receipt_no).as_dict()
    assert json.loads(json.dumps(d))["lines"][0]["sku"] == "MI-0001"


def test_refund_after_kasbon_was_repaid_pays_cash(shop: Shop, cashier: Actor) -> None:
    """A customer who already paid off the kasbon gets cash, never a negative kasbon."""
    from local_db.store import post_journal
    from services.kasbon_query import add_kasbon_entry
    cid = add_customer(shop)
    sale = sell(shop, cashier, [("MI-0001", 2000)], [("kasbon", 7_000)], customer_id=cid)
    with shop.uow() as uow:  # the customer repays in full (as the kasbon service would)
        add_kasbon_entry(uow.conn, cid, -7_000, "repayment", sale.id, "cash", None, "t")
        post_journal(uow.conn, kind="kasbon.repayment", ref_id=None, memo="test",
                     lines=[("1-1100", 7_000, 0), ("1-1400", 0, 7_000)])
        uow.commit()
    r = refund(shop, cashier, sale.receipt_no)
    assert (r.method, r.to_kasbon, r.cash_paid) == ("cash", 0, 7_000)
    assert kasbon_balance(shop, cid) == 0
    assert sum(trial_balance(shop).values()) == 0

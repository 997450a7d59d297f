"""Payables (issue 14): partial payments from the bank and the drawer, over-payment refused
with nothing written, "as of" a past day, overdue days, goods received on credit, and the
input tax of a PKP shop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from app.shop import Shop
from local_db.store import write_settings
from services.errors import BadInput, Conflict, NotFound, Refused
from services.expenses import record_expense
from services.payables import (
    get_payable,
    PayablePaymentView,
    list_payables,
    pay_payable,
    payable_payments,
    store_today,
)
from services.shifts import shift_report
from services.stock import ReceivedLine, receive_goods
from services.users import Actor
from tests.helpers import trial_balance
from tests.services.test_expenses import balanced, book_counts, entry_lines, events


def owed(shop: Shop, actor: Actor, amount: int, *, due_in: int = 7) -> str:
    with shop.uow(write=False) as uow:
        due = store_today(uow.conn) + timedelta(days=due_in)
    with shop.uow() as uow:
        view = record_expense(uow, actor, category="transport", payee="Ojek Pak Dul",
                              amount=amount, paid_from="owed", due_date=due)
    assert view.payable_id is not None
    return view.payable_id


def test_partial_payments_from_bank_then_drawer(shop: Shop, supervisor: Actor) -> None:
    ap0 = trial_balance(shop).get("2-1100", 0)
    pid = owed(shop, supervisor, 100_000)
    assert trial_balance(shop)["2-1100"] == ap0 - 100_000
    with shop.uow(write=False) as uow:
        x0 = shift_report(uow, shop.config)
    with shop.uow() as uow:
        after1 = pay_payable(uow, supervisor, pid, amount=30_000, paid_from="bank")
    assert (after1.paid, after1.open_amount) == (30_000, 70_000)
    with shop.uow() as uow:
        after2 = pay_payable(uow, supervisor, pid, amount=70_000, paid_from="drawer")
    assert (after2.amount, after2.paid, after2.open_amount) == (100_000, 100_000, 0)
    p1, p2 = (p for p in _payments(shop, pid))
    assert entry_lines(shop, p1.journal_entry_id) == [("2-1100", 30_000, 0),
                                                      ("1-1200", 0, 30_000)]
    assert entry_lines(shop, p2.journal_entry_id) == [("2-1100", 70_000, 0),
                                                      ("1-1100", 0, 70_000)]
    assert p1.shift_id is None and p2.shift_id == x0.shift_id
    assert trial_balance(shop)["2-1100"] == ap0
    with shop.uow(write=False) as uow:
        x1 = shift_report(uow, shop.config)
        assert pid not in [p.id for p in list_payables(uow.conn)]
        assert pid in [p.id for p in list_payables(uow.conn, open_only=False)]
    assert x1.cash_out == x0.cash_out + 70_000  # the drawer paid: the Z count knows it
    paid = [e for e in events(shop, "payable.paid") if e["payable_id"] == pid]
    assert [(e["amount"], e["journal_entry_id"], e["open_after"]) for e in paid] == [
        (30_000, p1.journal_entry_id, 70_000), (70_000, p2.journal_entry_id, 0)]
    balanced(shop)


def _payments(shop: Shop, pid: str) -> tuple[PayablePaymentView, ...]:
    with shop.uow(write=False) as uow:
        return payable_payments(uow.conn, pid)


def test_overpayment_and_bad_input_refused_writing_nothing(
        shop: Shop, supervisor: Actor, cashier: Actor) -> None:
    pid = owed(shop, supervisor, 50_000)
    with shop.uow() as uow:
        pay_payable(uow, supervisor, pid, amount=20_000, paid_from="bank")
    before = book_counts(shop)
    for who, kwargs, field, error in [
            (supervisor, {"amount": 30_001, "paid_from": "bank"}, "amount", BadInput),
            (supervisor, {"amount": 30_001, "paid_from": "drawer"}, "amount", BadInput),
            (supervisor, {"amount": 0, "paid_from": "bank"}, "amount", BadInput),
            (supervisor, {"amount": -1, "paid_from": "bank"}, "amount", BadInput),
            (supervisor, {"amount": 1_000, "paid_from": "card"}, "paid_from", BadInput),
            (cashier, {"amount": 1_000, "paid_from": "bank"}, "user", Refused)]:
        with shop.uow() as uow, pytest.raises(error) as e:
            pay_payable(uow, who, pid, **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field, kwargs
    with shop.uow() as uow, pytest.raises(NotFound) as nf:
        pay_payable(uow, supervisor, "no-such-payable", amount=1, paid_from="bank")
    assert nf.value.field == "payable_id"
    assert book_counts(shop) == before
    with shop.uow(write=False) as uow:
        assert get_payable(uow.conn, pid).open_amount == 30_000
    with shop.uow() as uow:  # exactly what is open is fine
        assert pay_payable(uow, supervisor, pid, amount=30_000,
                           paid_from="bank").open_amount == 0
    with shop.uow() as uow, pytest.raises(BadInput):
        pay_payable(uow, supervisor, pid, amount=1, paid_from="bank")


def test_as_of_adds_back_later_payments_and_counts_overdue_days(
        shop: Shop, supervisor: Actor) -> None:
    pid = owed(shop, supervisor, 80_000, due_in=-3)  # due three days ago
    with shop.uow(write=False) as uow:
        today = store_today(uow.conn)
        (now,) = [p for p in list_payables(uow.conn) if p.id == pid]
    assert now.overdue_days == 3 and now.as_of == today.isoformat()
    with shop.uow() as uow:
        pay_payable(uow, supervisor, pid, amount=50_000, paid_from="bank")
    # Move the history back: the payable was opened ten days ago, the payment two days ago.
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE payable SET created_at = :t WHERE id = :i"),
                         {"t": _utc_days_ago(10), "i": pid})
        uow.conn.execute(text("UPDATE payable_payment SET created_at = :t "
                              "WHERE payable_id = :i"), {"t": _utc_days_ago(2), "i": pid})
        uow.commit()
    with shop.uow(write=False) as uow:
        then = get_payable(uow.conn, pid, as_of=today - timedelta(days=5))
        (listed,) = [p for p in list_payables(uow.conn, as_of=today - timedelta(days=5))
                     if p.id == pid]
        before_it = [p.id for p in list_payables(uow.conn, open_only=False,
                                                 as_of=today - timedelta(days=20))]
        nowv = get_payable(uow.conn, pid)
    assert (then.paid, then.open_amount, then.overdue_days) == (0, 80_000, 0)
    assert listed == then
    assert pid not in before_it  # not yet owed then
    assert (nowv.paid, nowv.open_amount, nowv.overdue_days) == (50_000, 30_000, 3)
    with shop.uow(write=False) as uow:
        later = get_payable(uow.conn, pid, as_of=today - timedelta(days=1))
    assert (later.paid, later.overdue_days) == (50_000, 2)


def _utc_days_ago(days: int) -> str:
    from datetime import UTC, datetime
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="microseconds")


def _receipt_payable(shop: Shop, receipt_id: str) -> list[tuple[str, int, str | None]]:
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT source, amount, due_date FROM payable WHERE source_id = :r"),
            {"r": receipt_id}).all()
    return [(str(s), int(a), d) for s, a, d in rows]


def _entry_of(shop: Shop, receipt_id: str) -> str:
    with shop.uow(write=False) as uow:
        return str(uow.session.execute(text(
            "SELECT id FROM journal_entry WHERE kind = 'goods.received' AND ref_id = :r"),
            {"r": receipt_id}).scalar())


def test_goods_on_credit_become_a_payable(shop: Shop, supervisor: Actor) -> None:
    with shop.uow() as uow:
        rid = receive_goods(uow, supervisor, supplier="CV Sumber Rejeki",
                            lines=[ReceivedLine("MI-0001", 10_000, 3_000)],
                            paid_from="payable", due_date="2030-01-31", document_no="SJ-77")
    assert _receipt_payable(shop, rid) == [("goods", 30_000, "2030-01-31")]
    assert entry_lines(shop, _entry_of(shop, rid)) == [("1-1500", 30_000, 0),
                                                       ("2-1100", 0, 30_000)]
    (ev,) = [e for e in events(shop, "goods.received") if e["id"] == rid]
    assert ev["payable_id"] is not None and ev["journal_entry_id"] == _entry_of(shop, rid)
    (created,) = [e for e in events(shop, "payable.created") if e["source_id"] == rid]
    assert created["journal_entry_id"] == ev["journal_entry_id"]
    assert ev["payable"] == created and ev["payable_id"] == created["id"]
    assert (created["amount"], created["source"], created["due_date"]) == (
        30_000, "goods", "2030-01-31")
    with shop.uow() as uow:  # no due date is fine too
        rid2 = receive_goods(uow, supervisor, supplier="UD Makmur",
                             lines=[ReceivedLine("MI-0001", 1_000, 3_000)])
    assert _receipt_payable(shop, rid2) == [("goods", 3_000, None)]
    with shop.uow() as uow:  # paid from the bank: no payable
        rid3 = receive_goods(uow, supervisor, supplier="UD Makmur", paid_from="bank",
                             lines=[ReceivedLine("MI-0001", 1_000, 3_000)])
    assert _receipt_payable(shop, rid3) == []
    before = book_counts(shop)
    for kwargs, field in [({"paid_from": "bank", "due_date": "2030-01-01"}, "due_date"),
                          ({"due_date": "31/01/2030"}, "due_date")]:
        with shop.uow() as uow, pytest.raises(BadInput) as e:
            receive_goods(uow, supervisor, supplier="UD Makmur",
                          lines=[ReceivedLine("MI-0001", 1_000, 3_000)],
                          **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field
    assert book_counts(shop) == before
    balanced(shop)


def test_input_tax_for_a_pkp_shop(shop: Shop, supervisor: Actor) -> None:
    assert shop.config.pkp  # the demo shop is PKP (setting "pkp" = "1")
    with shop.uow() as uow:
        rid = receive_goods(uow, supervisor, supplier="PT Indofood", paid_from="payable",
                            lines=[ReceivedLine("MI-0001", 40_000, 2_500)],
                            faktur_no="04002500000000001", input_tax=11_000)
    assert entry_lines(shop, _entry_of(shop, rid)) == [
        ("1-1500", 100_000, 0), ("1-1600", 11_000, 0), ("2-1100", 0, 111_000)]
    assert _receipt_payable(shop, rid) == [("goods", 111_000, None)]
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT total_cost, input_tax, faktur_no FROM goods_receipt WHERE id = :r"),
            {"r": rid}).one()
    assert tuple(row) == (100_000, 11_000, "04002500000000001")
    before = book_counts(shop)
    for kwargs, field in [({"input_tax": 11_000}, "faktur_no"),
                          ({"input_tax": 100_001, "faktur_no": "1"}, "input_tax"),
                          ({"input_tax": -1, "faktur_no": "1"}, "input_tax")]:
        with shop.uow() as uow, pytest.raises(BadInput) as e:
            receive_goods(uow, supervisor, supplier="PT Indofood",
                          lines=[ReceivedLine("MI-0001", 40_000, 2_500)],
                          **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field, kwargs
    assert book_counts(shop) == before
    with shop.uow() as uow:  # paid from the bank: input tax still claimed, no payable
        rid2 = receive_goods(uow, supervisor, supplier="PT Indofood", paid_from="bank",
                             lines=[ReceivedLine("MI-0001", 4_000, 2_500)],
                             faktur_no="04002500000000002", input_tax=1_100)
    assert entry_lines(shop, _entry_of(shop, rid2)) == [
        ("1-1500", 10_000, 0), ("1-1600", 1_100, 0), ("1-1200", 0, 11_100)]
    assert _receipt_payable(shop, rid2) == []
    balanced(shop)


def test_a_shop_that_is_not_pkp_claims_no_input_tax(shop: Shop, supervisor: Actor) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"pkp": "0"})
        uow.commit()
    before = book_counts(shop)
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        receive_goods(uow, supervisor, supplier="PT Indofood",
                      lines=[ReceivedLine("MI-0001", 40_000, 2_775)],
                      faktur_no="04002500000000003", input_tax=11_000)
    assert e.value.field == "input_tax"
    assert book_counts(shop) == before
    with shop.uow() as uow:  # the whole cost, tax included, goes into inventory
        rid = receive_goods(uow, supervisor, supplier="PT Indofood",
                            lines=[ReceivedLine("MI-0001", 40_000, 2_775)])
    assert entry_lines(shop, _entry_of(shop, rid)) == [("1-1500", 111_000, 0),
                                                       ("2-1100", 0, 111_000)]
    assert trial_balance(shop).get("1-1600", 0) == 0
    balanced(shop)


def test_paying_from_the_drawer_needs_the_open_shift(shop: Shop, supervisor: Actor,
                                                     cashier: Actor) -> None:
    from services.shifts import close_shift
    pid = owed(shop, supervisor, 10_000)
    with shop.uow() as uow:
        close_shift(uow, shop.config, cashier, {})
    before = book_counts(shop)
    with shop.uow() as uow, pytest.raises(Conflict) as e:
        pay_payable(uow, supervisor, pid, amount=10_000, paid_from="drawer")
    assert e.value.field == "shift"
    assert book_counts(shop) == before


def test_goods_paid_from_the_drawer_are_a_cash_out_of_the_shift(
        shop: Shop, supervisor: Actor) -> None:
    with shop.uow(write=False) as uow:
        x0 = shift_report(uow, shop.config)
    with shop.uow() as uow:
        rid = receive_goods(uow, supervisor, supplier="Warung sebelah", paid_from="cash",
                            lines=[ReceivedLine("MI-0001", 2_000, 3_000)])
    with shop.uow(write=False) as uow:
        x1 = shift_report(uow, shop.config)
    assert x1.cash_out == x0.cash_out + 6_000
    assert x1.expected_cash == x0.expected_cash - 6_000
    assert entry_lines(shop, _entry_of(shop, rid)) == [("1-1500", 6_000, 0),
                                                       ("1-1100", 0, 6_000)]
    assert _receipt_payable(shop, rid) == []
    balanced(shop)


def test_the_back_office_form_takes_due_date_faktur_and_input_tax(
        shop: Shop, supervisor: Actor) -> None:
    from services.stock import ReceiveLineForm, receive_goods_form
    with shop.uow() as uow:
        got = receive_goods_form(uow, supervisor, supplier="PT Indofood",
                                 lines=[ReceiveLineForm("MI-0001", "10", "2.500")],
                                 due_date=" 2030-02-28 ", faktur_no="04002500000000009",
                                 input_tax="2.750")
    assert got.total_cost == 25_000
    assert _receipt_payable(shop, got.receipt_id) == [("goods", 27_750, "2030-02-28")]
    before = book_counts(shop)
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        receive_goods_form(uow, supervisor, supplier="PT Indofood",
                           lines=[ReceiveLineForm("MI-0001", "10", "2.500")],
                           faktur_no="1", input_tax="2,5")
    assert e.value.field == "input_tax"
    assert book_counts(shop) == before

"""Expenses (issue 14): each way of paying booked against the journal, the drawer's count,
categories with their own accounts, the till's cash out with a category vs owner's drawings,
rights, and bad input that names its field and writes nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from app.shop import Shop
from services.errors import BadInput, Conflict, NotFound, Refused
from services.expenses import (
    add_category,
    expense_categories,
    list_expenses,
    record_expense,
)
from services.payables import list_payables, store_today
from services.shifts import move_cash, shift_report
from services.users import Actor
from tests.helpers import counts, scalar, trial_balance

BOOK_TABLES = ("expense", "payable", "payable_payment", "expense_category", "account")


def book_counts(shop: Shop) -> dict[str, int]:
    out = counts(shop)
    for t in BOOK_TABLES:
        out[t] = int(scalar(shop, f"SELECT COUNT(*) FROM {t}"))
    return out


def entry_lines(shop: Shop, entry_id: str) -> list[tuple[str, int, int]]:
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT account_code, debit, credit FROM journal_line WHERE entry_id = :e "
            "ORDER BY debit DESC, account_code"), {"e": entry_id}).all()
    return [(str(a), int(d), int(c)) for a, d, c in rows]


def events(shop: Shop, event_type: str) -> list[dict[str, Any]]:
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text("SELECT payload FROM outbox WHERE type = :t ORDER BY seq"),
                                   {"t": event_type}).scalars().all()
    return [json.loads(r) for r in rows]


def balanced(shop: Shop) -> None:
    assert sum(trial_balance(shop).values()) == 0


def test_drawer_expense_books_cash_and_counts_in_the_drawer(shop: Shop,
                                                          supervisor: Actor) -> None:
    with shop.uow(write=False) as uow:
        before = shift_report(uow, shop.config)
    with shop.uow() as uow:
        view = record_expense(uow, supervisor, category="listrik", payee="PLN",
                              amount=50_000, paid_from="drawer", note="token",
                              receipt_photo="/foto/struk-pln.jpg")
    assert entry_lines(shop, view.journal_entry_id) == [("6-1101", 50_000, 0),
                                                        ("1-1100", 0, 50_000)]
    assert view.paid_from == "drawer" and view.shift_id is not None
    assert view.payable_id is None and view.account_code == "6-1101"
    assert view.spent_on == store_today_of(shop)
    with shop.uow(write=False) as uow:
        after = shift_report(uow, shop.config)
    assert after.cash_out == before.cash_out + 50_000
    assert after.expected_cash == before.expected_cash - 50_000
    (ev,) = events(shop, "expense.recorded")
    assert ev["journal_entry_id"] == view.journal_entry_id and ev["id"] == view.id
    assert ev["cash_movement_id"] is not None
    (cash_ev,) = events(shop, "cash.cash_out")
    assert cash_ev["journal_entry_id"] == view.journal_entry_id
    assert cash_ev["id"] == ev["cash_movement_id"] and cash_ev["expense_id"] == view.id
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'expense.recorded' "
                        "AND entity_id = :i", i=view.id) == 1
    with shop.uow(write=False) as uow:
        (listed,) = list_expenses(uow.conn)
    assert listed == view
    balanced(shop)


def store_today_of(shop: Shop) -> str:
    with shop.uow(write=False) as uow:
        return store_today(uow.conn).isoformat()


def test_bank_expense_books_the_bank(shop: Shop, owner: Actor) -> None:
    bank_before = trial_balance(shop).get("1-1200", 0)
    with shop.uow() as uow:
        view = record_expense(uow, owner, category="sewa", payee="Pak Haji", amount=1_500_000,
                              paid_from="bank")
    assert entry_lines(shop, view.journal_entry_id) == [("6-1104", 1_500_000, 0),
                                                        ("1-1200", 0, 1_500_000)]
    assert view.shift_id is None and view.payable_id is None
    assert trial_balance(shop)["1-1200"] == bank_before - 1_500_000
    assert scalar(shop, "SELECT COUNT(*) FROM cash_movement WHERE account_code = '6-1104'") == 0
    balanced(shop)


def test_owed_expense_opens_a_payable(shop: Shop, supervisor: Actor) -> None:
    due = (store_today_of_date(shop) + timedelta(days=14)).isoformat()
    with shop.uow() as uow:
        view = record_expense(uow, supervisor, category="perbaikan", payee="Bengkel Jaya",
                              amount=275_000, paid_from="owed", due_date=due)
    assert entry_lines(shop, view.journal_entry_id) == [("6-1108", 275_000, 0),
                                                        ("2-1100", 0, 275_000)]
    assert view.due_date == due and view.payable_id is not None
    with shop.uow(write=False) as uow:
        mine = [p for p in list_payables(uow.conn) if p.id == view.payable_id]
    assert len(mine) == 1
    p = mine[0]
    assert (p.source, p.source_id, p.supplier, p.amount, p.paid, p.open_amount,
            p.due_date, p.overdue_days) == ("expense", view.id, "Bengkel Jaya", 275_000, 0,
                                            275_000, due, 0)
    (created,) = [e for e in events(shop, "payable.created") if e["id"] == view.payable_id]
    assert created["journal_entry_id"] == view.journal_entry_id
    (recorded,) = events(shop, "expense.recorded")
    assert recorded["payable"] == created  # nested: central applies either on its own
    assert recorded["payable_id"] == view.payable_id and recorded["paid_from"] == "owed"
    balanced(shop)


def store_today_of_date(shop: Shop) -> Any:
    with shop.uow(write=False) as uow:
        return store_today(uow.conn)


@pytest.mark.parametrize("changes, field, error", [
    ({"amount": 0}, "amount", BadInput),
    ({"amount": -5_000}, "amount", BadInput),
    ({"amount": True}, "amount", BadInput),
    ({"category": "kopi"}, "category", NotFound),
    ({"category": ""}, "category", BadInput),
    ({"payee": "  "}, "payee", BadInput),
    ({"payee": "x" * 121}, "payee", BadInput),
    ({"paid_from": "card"}, "paid_from", BadInput),
    ({"paid_from": "owed"}, "due_date", BadInput),
    ({"paid_from": "owed", "due_date": "2026-02-30"}, "due_date", BadInput),
    ({"due_date": "2030-01-01"}, "due_date", BadInput),  # only an expense owed has one
    ({"spent_on": "2999-01-01"}, "spent_on", BadInput),
    ({"spent_on": "kemarin"}, "spent_on", BadInput),
    ({"receipt_photo": "/p/" + "x" * 1000}, "receipt_photo", BadInput),
    ({"note": "a\x00b"}, "note", BadInput),
])
def test_bad_input_names_the_field_and_writes_nothing(
        shop: Shop, supervisor: Actor, changes: dict[str, Any], field: str,
        error: type[Exception]) -> None:
    args: dict[str, Any] = {"category": "air", "payee": "PDAM", "amount": 30_000,
                            "paid_from": "bank", **changes}
    before = book_counts(shop)
    with shop.uow() as uow, pytest.raises(error) as e:
        record_expense(uow, supervisor, **args)
    assert getattr(e.value, "field", None) == field
    assert book_counts(shop) == before


def test_rights(shop: Shop, cashier: Actor, supervisor: Actor, owner: Actor) -> None:
    before = book_counts(shop)
    with shop.uow() as uow, pytest.raises(Refused):
        record_expense(uow, cashier, category="air", payee="PDAM", amount=30_000,
                       paid_from="bank")
    with shop.uow() as uow, pytest.raises(Refused):
        add_category(uow, supervisor, code="internet", name="Internet")
    assert book_counts(shop) == before
    with shop.uow() as uow:
        record_expense(uow, supervisor, category="air", payee="PDAM", amount=30_000,
                       paid_from="bank")
    with shop.uow() as uow:
        add_category(uow, owner, code="internet", name="Internet")


def test_owner_adds_categories_with_their_own_accounts(shop: Shop, owner: Actor) -> None:
    with shop.uow(write=False) as uow:
        seeded = expense_categories(uow.conn)
    assert [c.code for c in seeded] == ["listrik", "air", "gaji", "sewa", "transport",
                                        "es_batu", "plastik", "perbaikan", "lain_lain"]
    with shop.uow() as uow:
        first = add_category(uow, owner, code="Internet", name="Internet")
    with shop.uow() as uow:
        second = add_category(uow, owner, code="Gas Elpiji", name="Gas elpiji")
    assert (first.code, first.account_code) == ("internet", "6-1110")
    assert (second.code, second.account_code) == ("gas_elpiji", "6-1111")
    assert scalar(shop, "SELECT type FROM account WHERE code = '6-1111'") == "expense"
    assert scalar(shop, "SELECT name FROM account WHERE code = '6-1110'") == "Beban internet"
    with shop.uow(write=False) as uow:
        assert expense_categories(uow.conn)[-2:] == (first, second)
    before = book_counts(shop)
    for code, name, field, error in [("internet", "Lain", "code", Conflict),
                                     ("wifi", "INTERNET", "name", Conflict),
                                     ("1abc", "Satu", "code", BadInput),
                                     ("kopi!", "Kopi", "code", BadInput),
                                     ("", "Kosong", "code", BadInput),
                                     ("kopi", "", "name", BadInput),
                                     ("kopi", "k" * 61, "name", BadInput)]:
        with shop.uow() as uow, pytest.raises(error) as e:
            add_category(uow, owner, code=code, name=name)
        assert e.value.field == field, (code, name)
    assert book_counts(shop) == before
    with shop.uow() as uow:
        view = record_expense(uow, owner, category="internet", payee="Indihome",
                              amount=350_000, paid_from="bank")
    assert entry_lines(shop, view.journal_entry_id)[0] == ("6-1110", 350_000, 0)
    (ev,) = events(shop, "expense_category.added")[:1]
    assert ev == {"code": "internet", "name": "Internet", "account_code": "6-1110",
                  "created_at": ev["created_at"]}


def test_cash_out_with_a_category_is_an_expense_without_is_drawings(
        shop: Shop, cashier: Actor) -> None:
    tb0 = trial_balance(shop)
    with shop.uow() as uow:
        quick = move_cash(uow, shop.config, cashier, "cash_out", 12_000, "beli es batu",
                          category="es_batu")
    with shop.uow() as uow:
        drawings = move_cash(uow, shop.config, cashier, "cash_out", 20_000, "ambil pribadi")
    tb = trial_balance(shop)
    assert tb.get("6-1106", 0) - tb0.get("6-1106", 0) == 12_000
    assert tb.get("3-2000", 0) - tb0.get("3-2000", 0) == 20_000
    assert tb["1-1100"] - tb0["1-1100"] == -32_000
    with shop.uow(write=False) as uow:
        (exp,) = list_expenses(uow.conn)
    assert (exp.category, exp.paid_from, exp.amount, exp.payee, exp.note) == (
        "es_batu", "drawer", 12_000, "beli es batu", "beli es batu")
    assert entry_lines(shop, exp.journal_entry_id) == [("6-1106", 12_000, 0),
                                                       ("1-1100", 0, 12_000)]
    cash = {e["id"]: e for e in events(shop, "cash.cash_out")}
    assert cash[quick]["journal_entry_id"] == exp.journal_entry_id
    assert cash[quick]["expense_id"] == exp.id and cash[quick]["account"] == "6-1106"
    assert "expense_id" not in cash[drawings] and cash[drawings]["account"] == "3-2000"
    assert entry_lines(shop, cash[drawings]["journal_entry_id"]) == [
        ("3-2000", 20_000, 0), ("1-1100", 0, 20_000)]
    (ev,) = events(shop, "expense.recorded")
    assert ev["cash_movement_id"] == quick
    assert scalar(shop, "SELECT account_code FROM cash_movement WHERE id = :i",
                  i=quick) == "6-1106"
    with shop.uow(write=False) as uow:
        assert shift_report(uow, shop.config).cash_out >= 32_000
    balanced(shop)


def test_cash_out_category_refusals_write_nothing(shop: Shop, cashier: Actor) -> None:
    before = book_counts(shop)
    cases: list[tuple[dict[str, Any], str, type[Exception]]] = [
            ({"kind": "cash_in", "category": "air"}, "category", BadInput),
            ({"kind": "cash_out", "category": "kopi"}, "category", NotFound),
            ({"kind": "cash_out", "category": "air", "account": "6-1000"}, "account",
             BadInput),
            ({"kind": "cash_out", "payee": "PDAM"}, "payee", BadInput)]
    for kwargs, field, error in cases:
        kind = str(kwargs.pop("kind"))
        with shop.uow() as uow, pytest.raises(error) as e:
            move_cash(uow, shop.config, cashier, kind, 5_000, "air galon", **kwargs)
        assert getattr(e.value, "field", None) == field
    assert book_counts(shop) == before


def test_a_cashier_cash_out_with_category_beyond_the_drawer_needs_a_supervisor(
        shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    with shop.uow(write=False) as uow:
        expected = shift_report(uow, shop.config).expected_cash
    before = book_counts(shop)
    with shop.uow() as uow, pytest.raises(Refused) as e:
        move_cash(uow, shop.config, cashier, "cash_out", expected + 1, "gaji harian",
                  category="gaji")
    assert e.value.field == "approver"
    assert book_counts(shop) == before
    with shop.uow() as uow:
        move_cash(uow, shop.config, cashier, "cash_out", expected + 1, "gaji harian",
                  category="gaji", payee="Ujang", approver=supervisor)
    with shop.uow(write=False) as uow:
        (exp,) = list_expenses(uow.conn, category="gaji")
    assert exp.payee == "Ujang" and exp.amount == expected + 1
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = "
                        "'drawer.cash_out_approved'") == 1
    balanced(shop)


def test_list_filters_by_day_and_category(shop: Shop, supervisor: Actor) -> None:
    today = store_today_of_date(shop)
    for cat, day in [("air", today - timedelta(days=3)), ("air", today),
                     ("plastik", today - timedelta(days=1))]:
        with shop.uow() as uow:
            record_expense(uow, supervisor, category=cat, payee="Toko", amount=10_000,
                           paid_from="bank", spent_on=day)
    with shop.uow(write=False) as uow:
        every = list_expenses(uow.conn)
        assert [e.spent_on for e in every] == [
            d.isoformat() for d in (today, today - timedelta(days=1), today - timedelta(days=3))]
        assert len(list_expenses(uow.conn, since=today - timedelta(days=1))) == 2
        assert len(list_expenses(uow.conn, until=(today - timedelta(days=1)).isoformat())) == 2
        assert [e.category for e in list_expenses(uow.conn, category="air")] == ["air", "air"]
        assert len(list_expenses(uow.conn, limit=1)) == 1
        with pytest.raises(BadInput) as e:
            list_expenses(uow.conn, since="3 hari lalu")
        assert e.value.field == "since"


def test_no_drawer_expense_without_an_open_shift(shop: Shop, supervisor: Actor,
                                                 cashier: Actor) -> None:
    from services.shifts import close_shift
    with shop.uow() as uow:
        close_shift(uow, shop.config, cashier, {})
    before = book_counts(shop)
    with shop.uow() as uow, pytest.raises(Conflict) as e:
        record_expense(uow, supervisor, category="air", payee="PDAM", amount=1_000,
                       paid_from="drawer")
    assert e.value.field == "shift"
    assert book_counts(shop) == before

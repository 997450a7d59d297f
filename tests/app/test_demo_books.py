"""The demo shop's books (app.demo_books): a warung's expenses, supplier credit and a closed
month, planned from a seed and written by the real use cases, so the books balance,
``verify`` is clean and the closed month's P&L shows the expenses by category."""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from app import demo_plan as plan
from app.demo_books import (
    SUPPLIER_TERMS,
    CASH_OUT_CATEGORIES,
    DISTRIBUTOR,
    BooksPlan,
    add_demo_books,
    closed_month_of,
    drawer_spending,
    input_tax_of,
    plan_books,
)
from app.demo_history import seed_history
from app.shop import Shop, open_shop
from services.payables import list_payables
from services.reports.values import Period
from services.verify import verify_database

WIB = timezone(timedelta(hours=7))
#: A fixed end of the history (19:30 WIB on a Friday): 40 days back is 12 October, so
#: October is the last full month before today and the one closed.
NOW = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)
DAYS = 40
SEED = 11
CLOSED = "2026-10"
OCTOBER = Period(date(2026, 10, 1), date(2026, 11, 1))


def _plan(seed: int = SEED, days: int = DAYS, now: datetime = NOW) -> BooksPlan:
    last = now.astimezone(WIB).date()
    return plan_books(seed, last - timedelta(days=days - 1), last, now, WIB)


# --- the plan (pure) -----------------------------------------------------------------------

def test_the_plan_is_a_warungs_month() -> None:
    p = _plan()
    first = NOW.astimezone(WIB).date() - timedelta(days=DAYS - 1)
    kinds = Counter(e.category for e in p.expenses)
    # listrik and air once a month (October's, November's), gaji for two people twice a
    # month, transport weekly, a repair every 9-20 days.
    assert kinds["listrik"] == kinds["air"] == 2
    assert kinds["gaji"] == 2 * 3  # 16 Oct, 1 Nov, 16 Nov
    assert 5 <= kinds["transport"] <= 6 and 2 <= kinds["perbaikan"] <= 5
    for e in p.expenses:
        assert first <= e.spent_on <= NOW.astimezone(WIB).date()
        assert e.at < NOW and e.at.astimezone(WIB).date() == e.spent_on
        assert e.paid_from in ("bank", "owed") and e.amount > 0
        assert (e.due_date is not None) == (e.paid_from == "owed")
        assert all(x.at < NOW and e.at < x.at for x in e.payments)
        assert sum(x.amount or 0 for x in e.payments) <= e.amount
    listrik = [e.amount for e in p.expenses if e.category == "listrik"]
    assert all(400_000 <= a <= 800_000 for a in listrik), listrik
    wages = sorted({e.amount for e in p.expenses if e.category == "gaji"})
    assert wages == [900_000, 1_000_000]
    assert [e.at for e in p.expenses] == sorted(e.at for e in p.expenses)
    # The repairman: paid in whole, in part, and not at all (overdue after two weeks).
    repairs = [e for e in p.expenses if e.category == "perbaikan"]
    assert any(sum(x.amount or 0 for x in e.payments) == e.amount for e in repairs)
    assert any(0 < sum(x.amount or 0 for x in e.payments) < e.amount for e in repairs)
    assert any(not e.payments for e in repairs)


def test_the_distributors_goods_on_credit() -> None:
    p = _plan()
    fast = {x.sku: x.daily_milli for x in plan.catalogue(SEED)}
    assert 5 <= len(p.deliveries) <= 6
    fakturs = {d.faktur_no for d in p.deliveries}
    assert len(fakturs) == len(p.deliveries)
    assert all(len(f) == 17 and f.isdigit() for f in fakturs)
    for d in p.deliveries:
        assert d.supplier == DISTRIBUTOR and d.at < NOW and d.total > 0
        assert d.due_date == d.at.astimezone(WIB).date() + timedelta(days=14)
        assert all(qty % 12_000 == 0 for _s, qty, _c in d.lines)
        assert all(fast[sku] > 4_000 for sku, _q, _c in d.lines)  # never a run-low one
        assert all(x.at < NOW for x in d.payments)
    # The last two weeks' are not due yet; the older ones are paid, one in three in part.
    recent = [d for d in p.deliveries if d.due_date > NOW.astimezone(WIB).date() + timedelta(1)]
    assert recent and all(not d.payments for d in recent)
    assert any(x.amount is None for d in p.deliveries for x in d.payments)
    assert any(x.amount is not None for d in p.deliveries for x in d.payments)
    assert input_tax_of(1_000_000) == 110_000


def test_the_closed_month_is_the_last_full_one() -> None:
    p = _plan()
    assert p.closed_month == CLOSED
    assert p.close_at is not None and p.close_at.astimezone(WIB) == datetime(
        2026, 11, 1, 7, 30, tzinfo=WIB)
    assert closed_month_of(date(2026, 11, 1), date(2026, 11, 20)) is None
    assert closed_month_of(date(2026, 10, 31), date(2026, 11, 20)) == "2026-10"
    assert closed_month_of(date(2025, 12, 5), date(2026, 1, 2)) == "2025-12"
    # Seeded just after midnight on the 1st: closed a minute before now.
    early = datetime(2026, 12, 1, 0, 10, tzinfo=WIB)
    q = _plan(days=3, now=early)
    assert q.closed_month == "2026-11" and q.close_at == early - timedelta(minutes=1)
    # ... and seeded in the month's first minute: at its first instant, not before.
    first_minute = datetime(2026, 12, 1, 0, 0, 30, tzinfo=WIB)
    q = _plan(days=3, now=first_minute)
    assert q.close_at == datetime(2026, 12, 1, tzinfo=WIB)


def test_the_same_seed_gives_the_same_plan() -> None:
    assert _plan() == _plan()
    assert _plan() != _plan(seed=SEED + 1)


def test_drawer_spending_several_times_a_week_during_the_shift() -> None:
    days = [date(2026, 10, 1) + timedelta(days=i) for i in range(28)]
    spends = [s for d in days for s in drawer_spending(SEED, d, WIB)]
    kinds = Counter(s.category for s in spends)
    assert 8 <= kinds["es_batu"] <= 24 and 3 <= kinds["plastik"] <= 14, kinds
    for s in spends:
        local = s.at.astimezone(WIB)
        assert plan.OPEN_HOUR < local.hour < plan.CLOSE_HOUR
        assert 10_000 <= s.amount <= 35_000 and s.amount % 1_000 == 0
    assert drawer_spending(SEED, days[3], WIB) == drawer_spending(SEED, days[3], WIB)
    # The small cash outs the day's trading makes each have their category.
    assert set(CASH_OUT_CATEGORIES) == {reason for reason, _lo, _hi in plan.EXPENSES}
    assert set(CASH_OUT_CATEGORIES.values()) <= {"lain_lain", "plastik", "transport"}


# --- written into a traded shop --------------------------------------------------------------

def _books_of(shop: Shop, history: Any) -> dict[str, Any]:
    """The books the history wrote (once the lead hooks add_demo_books into seed_history),
    else written here."""
    hooked = getattr(history, "books", None)
    if hooked:
        return dict(hooked.as_dict() if hasattr(hooked, "as_dict") else hooked)
    return add_demo_books(shop, seed=SEED, now=NOW).as_dict()


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Shop, dict[str, Any]]]:
    shop = open_shop(tmp_path_factory.mktemp("books"))
    began = time.perf_counter()
    seeded = seed_history(shop, days=DAYS, seed=SEED, now=NOW)
    traded = time.perf_counter()
    b = _books_of(shop, seeded.history)
    # Printed, not asserted: the machine running the tests may be busy.
    print(f"\nseeded {DAYS} days in {traded - began:.2f} s, the books in "
          f"{time.perf_counter() - traded:.2f} s: {b}", file=sys.stderr)
    yield shop, b
    shop.close()


def _db(shop: Shop) -> sqlite3.Connection:
    return sqlite3.connect(shop.folder / "warungin.db")


def test_expenses_each_with_entry_audit_and_event(books: tuple[Shop, dict[str, Any]]) -> None:
    shop, b = books
    with _db(shop) as db:
        rows = db.execute("SELECT e.id, e.category_code, e.amount, e.paid_from, e.spent_on, "
                          "e.created_at, e.entry_id, j.id FROM expense e "
                          "LEFT JOIN journal_entry j ON j.id = e.entry_id "
                          "WHERE e.paid_from != 'drawer'").fetchall()
        events = [json.loads(p) for (p,) in db.execute(
            "SELECT payload FROM outbox WHERE type LIKE 'expense%'")]
        audited = {str(e) for (e,) in db.execute(
            "SELECT entity_id FROM audit_log WHERE action LIKE 'expense%'")}
    assert len(rows) == b["expenses"] >= 15
    assert all(r[7] is not None for r in rows)  # every expense has its journal entry
    in_events = {str(e.get("journal_entry_id")) for e in events}
    assert {str(r[6]) for r in rows} <= in_events
    assert {str(r[0]) for r in rows} <= audited
    for r in rows:  # stamped in the past, on its store day
        assert datetime.fromisoformat(r[5]).astimezone(WIB).date().isoformat() == r[4]
        assert datetime.fromisoformat(r[5]) < NOW
    kinds = Counter(r[1] for r in rows)
    assert {"listrik", "air", "gaji", "transport", "perbaikan"} <= set(kinds)
    assert Counter(r[3] for r in rows)["owed"] == b["owed_expenses"] > 4
    assert b["expenses_total"] == sum(r[2] for r in rows)


def test_payables_open_overdue_and_part_paid(books: tuple[Shop, dict[str, Any]]) -> None:
    shop, b = books
    today = NOW.astimezone(WIB).date()
    with shop.uow(write=False) as uow:
        views = list_payables(uow.conn, open_only=False, as_of=today)
    assert len(views) == b["payables"]
    open_ = [v for v in views if v.open_amount > 0]
    overdue = [v for v in open_ if v.overdue_days > 0]
    part = [v for v in views if 0 < v.paid < v.amount]
    assert len(open_) == b["payables_open"] >= 3
    assert len(overdue) == b["payables_overdue"] >= 1
    assert len(part) == b["payables_part_paid"] >= 2
    assert any(v.open_amount == 0 for v in views)  # and some paid in whole
    # The history's suppliers on account are paid on their terms: what was received more
    # than three weeks ago is paid in whole (Bu Yanti's in two halves a week apart).
    old = [v for v in views if v.source == "goods" and v.supplier in SUPPLIER_TERMS
           and datetime.fromisoformat(v.created_at) < NOW - timedelta(days=21)]
    assert old and all(v.open_amount == 0 for v in old)
    with _db(shop) as db:
        goods = db.execute("SELECT g.faktur_no, g.due_date, g.input_tax FROM goods_receipt g "
                           "WHERE g.supplier = ?", (DISTRIBUTOR,)).fetchall()
        paid = db.execute("SELECT COUNT(*), SUM(amount) FROM payable_payment").fetchone()
        entries = {str(e) for (e,) in db.execute("SELECT entry_id FROM payable_payment")}
        events = {str(json.loads(p).get("journal_entry_id")) for (p,) in db.execute(
            "SELECT payload FROM outbox WHERE type = 'payable.paid'")}
        audited = db.execute("SELECT COUNT(*) FROM audit_log "
                             "WHERE action = 'payable.paid'").fetchone()
    assert len(goods) == b["deliveries_on_credit"] >= 4
    assert all(f and d for f, d, _t in goods)
    assert sum(t for _f, _d, t in goods) == b["input_tax"]
    assert tuple(paid) == (b["payments"], b["payments_total"]) and b["payments"] >= 5
    assert entries <= events and audited == (b["payments"],)


def test_the_closed_month(books: tuple[Shop, dict[str, Any]]) -> None:
    shop, b = books
    assert b["closed_month"] == CLOSED
    with _db(shop) as db:
        state, entry = db.execute("SELECT state, closing_entry_id FROM accounting_period "
                                  "WHERE period = ?", (CLOSED,)).fetchone()
        closing = db.execute("SELECT SUM(debit), SUM(credit) FROM journal_line "
                             "WHERE entry_id = ? AND account_code = '3-3000'",
                             (entry,)).fetchone()
        others = db.execute("SELECT COUNT(*) FROM accounting_period "
                            "WHERE state != 'open' AND period != ?", (CLOSED,)).fetchone()
    assert state == "soft" and entry  # closed, not hard-locked: the owner can reopen it
    assert closing[0] is not None or closing[1] is not None
    assert others == (0,)


def test_the_books_balance_and_verify_is_clean(books: tuple[Shop, dict[str, Any]]) -> None:
    from services.books.statements import trial_balance as period_trial_balance
    from services.ledger import trial_balance
    shop, _ = books
    with shop.uow(write=False) as uow:
        tb = trial_balance(uow.conn)
        month = period_trial_balance(uow.conn, OCTOBER)
        report = verify_database(uow.conn)
    assert tb.balanced and tb.total_debit > 0
    assert month.debit == month.credit > 0
    assert sum(r.closing for r in month.rows) == 0
    assert report.ok, report.first_failure


def test_the_takings_are_banked_so_the_bank_never_goes_below_zero(
        books: tuple[Shop, dict[str, Any]]) -> None:
    """The suppliers and salaries are paid from the bank: the owner banks the safe weekly
    and the card takings daily, so the bank is never overdrawn along the way."""
    from sqlalchemy import text
    shop, figures = books
    with shop.uow(write=False) as uow:
        for account in ("1-1200",):
            rows = uow.conn.execute(text(
                "SELECT l.debit - l.credit FROM journal_line l JOIN journal_entry e "
                "ON e.id = l.entry_id WHERE l.account_code = :a "
                "ORDER BY e.created_at, l.id"), {"a": account}).all()
            running, lowest = 0, 0
            for (amount,) in rows:
                running += int(amount)
                lowest = min(lowest, running)
            assert lowest >= 0, f"{account} went to {lowest}"
    assert figures.get("transfers", 1) > 0


def test_no_cash_or_bank_account_is_ever_negative(books: tuple[Shop, dict[str, Any]]) -> None:
    """The owner puts opening cash in the safe before the till first opens (capital paid
    into the bank and drawn into the safe: app.demo_books.open_the_safe), so the drawer,
    the safe and the bank stay at or above zero after every entry, hence at the end of
    every day of the history (the first float used to take the safe to -Rp 200.000)."""
    from app.demo_books import OPENING_SAFE
    from services.books.chart import CASH_ACCOUNTS
    shop, _ = books
    with _db(shop) as db:
        rows = db.execute(
            "SELECT e.created_at, e.id, e.kind, l.account_code, SUM(l.debit - l.credit) "
            "FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id "
            "WHERE l.account_code IN (?, ?, ?) GROUP BY e.id, l.account_code "
            "ORDER BY e.created_at, e.id", CASH_ACCOUNTS).fetchall()
        first_float = db.execute("SELECT MIN(created_at) FROM journal_entry "
                                 "WHERE kind = 'shift.float'").fetchone()[0]
        opening = db.execute(
            "SELECT e.created_at, l.debit FROM journal_line l JOIN journal_entry e "
            "ON e.id = l.entry_id WHERE l.account_code = '1-1110' "
            "ORDER BY e.created_at, e.id LIMIT 1").fetchone()
        capital = db.execute(
            "SELECT SUM(l.credit) FROM journal_line l JOIN journal_entry e "
            "ON e.id = l.entry_id WHERE l.account_code = '3-1000' "
            "AND e.kind = 'cash.transfer' AND e.created_at < ?", (first_float,)).fetchone()[0]
    assert opening[0] < first_float and opening[1] == OPENING_SAFE
    assert capital == OPENING_SAFE  # the safe's opening cash is the owner's capital
    running = dict.fromkeys(CASH_ACCOUNTS, 0)
    lowest: dict[str, tuple[int, str, str]] = {}
    day_end: dict[tuple[str, str], int] = {}
    for at, _eid, kind, account, amount in rows:
        running[account] += int(amount)
        if running[account] < lowest.get(account, (0, "", ""))[0]:
            lowest[account] = (running[account], at, kind)
        day = datetime.fromisoformat(at).astimezone(WIB).date().isoformat()
        day_end[(account, day)] = running[account]
    assert lowest == {}, lowest
    assert len({d for _a, d in day_end}) == DAYS
    assert all(v >= 0 for v in day_end.values())


def test_the_closed_months_pnl_shows_the_expenses_by_category(
        books: tuple[Shop, dict[str, Any]]) -> None:
    from services.books.statements import profit_and_loss
    shop, _ = books
    with _db(shop) as db:  # the month's expenses from the raw rows, by category's account
        raw = dict(db.execute(
            "SELECT c.account_code, SUM(e.amount) FROM expense e "
            "JOIN expense_category c ON c.code = e.category_code "
            "WHERE e.spent_on BETWEEN '2026-10-01' AND '2026-10-31' "
            "GROUP BY c.account_code").fetchall())
        names = dict(db.execute("SELECT code, account_code FROM expense_category").fetchall())
        retained = db.execute(
            "SELECT SUM(l.credit) - SUM(l.debit) FROM journal_line l "
            "JOIN accounting_period p ON p.closing_entry_id = l.entry_id "
            "WHERE p.period = ? AND l.account_code = '3-3000'", (CLOSED,)).fetchone()[0]
    with shop.uow(write=False) as uow:
        pnl = profit_and_loss(uow.conn, OCTOBER)
    shown = {a.code: a.amount for a in pnl.expenses}
    for category in ("listrik", "air", "gaji", "transport", "perbaikan"):
        assert raw.get(names[category], 0) > 0, category
    for account, amount in raw.items():
        assert shown.get(account) == amount, (account, shown)
    assert pnl.revenue > 0 and pnl.net_income == retained  # the closing entry moved it


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def test_the_books_are_the_seeds_plan(books: tuple[Shop, dict[str, Any]]) -> None:
    """What was written is the plan of the seed, moment for moment (and the plan is the
    same for the same seed: test_the_same_seed_gives_the_same_plan), so the same seed gives
    the same figures."""
    shop, b = books
    p = _plan()
    input_tax = {d.faktur_no: input_tax_of(d.total) for d in p.deliveries}
    with _db(shop) as db:
        expenses = db.execute(
            "SELECT category_code, payee, amount, paid_from, spent_on, note, created_at "
            "FROM expense WHERE paid_from != 'drawer' ORDER BY created_at").fetchall()
        expense_paid = db.execute(
            "SELECT e.created_at, x.amount, x.paid_from, x.created_at FROM payable_payment x "
            "JOIN payable y ON y.id = x.payable_id JOIN expense e ON e.payable_id = y.id "
            "ORDER BY x.created_at").fetchall()
        goods = db.execute(
            "SELECT faktur_no, document_no, due_date, total_cost, input_tax, created_at "
            "FROM goods_receipt WHERE supplier = ? ORDER BY created_at",
            (DISTRIBUTOR,)).fetchall()
        goods_paid = db.execute(
            "SELECT g.faktur_no, x.amount, x.created_at FROM payable_payment x "
            "JOIN payable y ON y.id = x.payable_id JOIN goods_receipt g ON g.id = y.source_id "
            "WHERE g.supplier = ? ORDER BY x.created_at", (DISTRIBUTOR,)).fetchall()
    assert expenses == [(e.category, e.payee, e.amount, e.paid_from, e.spent_on.isoformat(),
                         e.note, _utc(e.at)) for e in p.expenses]
    assert expense_paid == sorted(((_utc(e.at), x.amount, x.paid_from, _utc(x.at))
                                   for e in p.expenses for x in e.payments),
                                  key=lambda r: r[3])
    assert goods == [(d.faktur_no, d.faktur_no, d.due_date.isoformat(), d.total,
                      input_tax[d.faktur_no], _utc(d.at)) for d in p.deliveries]
    assert goods_paid == sorted(((d.faktur_no, x.amount or d.total + input_tax[d.faktur_no],
                                  _utc(x.at)) for d in p.deliveries for x in d.payments),
                                key=lambda r: r[2])
    assert b["input_tax"] == sum(input_tax.values()) > 0  # the demo shop is PKP

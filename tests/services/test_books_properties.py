"""Properties of the books over generated histories (real use cases on a real SQLite shop,
days passing on the seeding clock): sales (cash, EDC, QRIS, kasbon), refunds, kasbon
repayments, drawings, goods received (cash and on credit), expenses (drawer, bank, owed),
payable payments, Midtrans settlements, month closes and late sales into closed months.

- P&L net income = change in equity (retained earnings + current earnings) over the period;
- the balance sheet balances;
- the ageing total = the receivables balance (today and at the month's start);
- a closed period's figures never change;
- the P&L agrees with plain SQL sums over the raw rows and the journal.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.demo import seed_demo
from app.shop import Shop, open_shop
from local_db.ids import seeding_clock
from services.books import statements as stm
from services.books.ageing import receivables_ageing
from services.books.common import books
from services.books.periods import close_period
from services.errors import ShopError
from services.expenses import record_expense
from services.kasbon import repay_kasbon
from services.payables import pay_payable
from services.payments import record_settlement
from services.refunds import refund_sale
from services.reports.values import Period
from services.selling import Approval
from services.shifts import move_cash
from services.stock import ReceivedLine, receive_goods
from services.users import authenticate
from tests.services.test_books_support import (
    WIB,
    customer,
    q,
    raw_balance,
    raw_cogs,
    raw_revenue,
    sell,
    utc_of,
)

SKUS = ["MI-0001", "M-0016", "R-0110", "TMB-0176"]
_TEMPLATE: list[Path] = []


def template() -> Path:
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="warungin-books-"))
        shop = open_shop(folder)
        seed_demo(shop)
        shop.close()
        conn = sqlite3.connect(folder / "warungin.db")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        _TEMPLATE.append(folder)
    return _TEMPLATE[0]


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return Period(first, nxt)


class Books(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="warungin-books-run-"))
        shutil.copytree(template(), self.folder, dirs_exist_ok=True)
        self.shop: Shop = open_shop(self.folder)
        with self.shop.uow() as uow:
            self.cashier = authenticate(uow, "Sari", "1234")
            self.supervisor = authenticate(uow, "Budi", "5678")
            self.owner = authenticate(uow, "Wati", "9999")
            uow.commit()
        self.customers = [customer(self.shop, self.supervisor, n) for n in ("Ani", "Dedi")]
        self.day = date(2027, 1, 4)
        self.minute = 0
        self.receipts: list[str] = []
        self.closed: dict[str, tuple[object, ...]] = {}

    def teardown(self) -> None:
        self.shop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- the clock -------------------------------------------------------------------

    def now(self, day: date | None = None) -> AbstractContextManager[None]:
        self.minute += 1
        moment = datetime.combine(day or self.day, time(8), WIB) + timedelta(
            minutes=self.minute)
        return seeding_clock(moment)

    @rule(days=st.integers(1, 20))
    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)
        self.minute = 0

    # --- trading ---------------------------------------------------------------------

    @rule(lines=st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 3)), min_size=1,
                         max_size=3),
          method=st.sampled_from(["cash", "cash", "edc", "qris", "kasbon"]),
          who=st.integers(0, 1), pct=st.sampled_from([0, 0, 10]))
    def sell(self, lines: list[tuple[str, int]], method: str, who: int, pct: int) -> None:
        reqs = [(s, n * (250 if s == "TMB-0176" else 1000)) for s, n in lines]
        with self.now():
            r = sell(self.shop, self.cashier, reqs, method,
                     customer_id=self.customers[who] if method == "kasbon" else None,
                     discount_pct=pct)
        self.receipts.append(r.receipt_no)

    @precondition(lambda self: bool(self.closed))
    @rule(lines=st.lists(st.sampled_from(SKUS[:3]), min_size=1, max_size=2),
          kasbon=st.booleans())
    def late_sale(self, lines: list[str], kasbon: bool) -> None:
        """A till whose clock is in the last closed month sells: a late posting."""
        last = max(self.closed)
        day = date.fromisoformat(last + "-28")
        with self.now(day):
            sell(self.shop, self.cashier, [(s, 1000) for s in lines],
                 "kasbon" if kasbon else "cash",
                 customer_id=self.customers[0] if kasbon else None)

    @precondition(lambda self: bool(self.receipts))
    @rule(data=st.data())
    def refund(self, data: st.DataObject) -> None:
        receipt = data.draw(st.sampled_from(self.receipts))
        part = data.draw(st.booleans())
        try:
            with self.now(), self.shop.uow() as uow:
                refund_sale(uow, self.shop.config, self.cashier, receipt,
                            [(1, 1000)] if part else [], "property", Approval("Budi", "5678"))
        except ShopError:
            pass  # already refunded, a line of 250 g, a VA...: refused, nothing written

    @rule(who=st.integers(0, 1), share=st.integers(1, 100))
    def repay(self, who: int, share: int) -> None:
        cid = self.customers[who]
        owed = q(self.shop, "SELECT COALESCE(SUM(amount), 0) FROM kasbon_entry "
                            "WHERE customer_id = :c", c=cid)
        amount = owed * share // 100
        if amount <= 0:
            return
        with self.now(), self.shop.uow() as uow:
            repay_kasbon(uow, self.shop.config, self.cashier, cid, amount)

    @rule(amount=st.integers(1, 50) .map(lambda n: n * 1000))
    def drawings(self, amount: int) -> None:
        with self.now(), self.shop.uow() as uow:
            move_cash(uow, self.shop.config, self.supervisor, "cash_out", amount, "prive")

    @rule(sku=st.sampled_from(SKUS[:3]), qty=st.integers(1, 24), cost=st.integers(500, 9000),
          paid_from=st.sampled_from(["payable", "cash"]))
    def receive(self, sku: str, qty: int, cost: int, paid_from: str) -> None:
        with self.now(), self.shop.uow() as uow:
            receive_goods(uow, self.supervisor, supplier="Grosir", paid_from=paid_from,
                          lines=[ReceivedLine(sku, qty * 1000, cost)])

    @rule(category=st.sampled_from(["listrik", "es_batu", "gaji", "plastik"]),
          amount=st.integers(1, 200).map(lambda n: n * 500),
          paid_from=st.sampled_from(["drawer", "bank", "owed"]))
    def expense(self, category: str, amount: int, paid_from: str) -> None:
        with self.now(), self.shop.uow() as uow:
            record_expense(uow, self.supervisor, category=category, payee="PLN", amount=amount,
                           paid_from=paid_from,
                           due_date="2030-01-31" if paid_from == "owed" else None)

    @rule(share=st.integers(1, 100), bank=st.booleans())
    def pay(self, share: int, bank: bool) -> None:
        with self.shop.uow(write=False) as uow:
            row = uow.conn.exec_driver_sql(
                "SELECT p.id, p.amount - COALESCE((SELECT SUM(amount) FROM payable_payment x "
                "WHERE x.payable_id = p.id), 0) FROM payable p ORDER BY p.created_at").all()
        open_ = [(str(i), int(a)) for i, a in row if a > 0]
        if not open_:
            return
        pid, left = open_[0]
        amount = max(1, left * share // 100)
        with self.now(), self.shop.uow() as uow:
            pay_payable(uow, self.supervisor, pid, amount=amount,
                        paid_from="bank" if bank else "drawer")

    @rule()
    def settle(self) -> None:
        with self.now(), self.shop.uow() as uow:
            record_settlement(uow, self.supervisor)

    @rule()
    def close_months(self) -> None:
        """Close every ended month not closed yet, oldest first; remember its figures."""
        month = date(2027, 1, 1)
        while month_of(month).end <= self.day:
            key = month.strftime("%Y-%m")
            if key not in self.closed:
                with self.now(), self.shop.uow() as uow:
                    close_period(uow, self.owner, key)
                self.closed[key] = self.figures(month_of(month))
            month = month_of(month).end

    # --- figures ---------------------------------------------------------------------

    def figures(self, p: Period) -> tuple[object, ...]:
        with self.shop.uow(write=False) as uow:
            c = uow.conn
            pnl = stm.profit_and_loss(c, p)
            tb = stm.trial_balance(c, p)
            bs = stm.balance_sheet(c, p.last)
            ageing = receivables_ageing(c, p.last)
            book = stm.cash_book(c, p, "1-1100")
        return ((pnl.net_income, pnl.revenue, pnl.net_sales, pnl.cost_of_goods,
                 pnl.expenses, pnl.other_income),
                tb.rows, (bs.assets, bs.liabilities, bs.equity, bs.current_earnings),
                ageing.rows, book)

    @invariant()
    def closed_periods_never_change(self) -> None:
        for key, then in self.closed.items():
            start = date.fromisoformat(key + "-01")
            assert self.figures(month_of(start)) == then, key

    @invariant()
    def statements_agree(self) -> None:
        p = Period(self.day.replace(day=1), self.day + timedelta(days=1))
        with self.shop.uow(write=False) as uow:
            c = uow.conn
            pnl = stm.profit_and_loss(c, p)
            opening = stm.balance_sheet(c, p.start - timedelta(days=1))
            closing = stm.balance_sheet(c, self.day)
            ageing = receivables_ageing(c, self.day)
            early = receivables_ageing(c, p.start)
            late = books(c).late
        assert closing.balanced and opening.balanced
        core = {a.code: a.amount for a in closing.equity}.get("3-3000", 0)
        core0 = {a.code: a.amount for a in opening.equity}.get("3-3000", 0)
        assert pnl.net_income == (core + closing.current_earnings
                                  - core0 - opening.current_earnings)
        assert ageing.total == ageing.receivables
        assert early.total == early.receivables
        assert pnl.unreconciled == 0
        assert pnl.net_sales - pnl.ppn_included == pnl.revenue
        if not late:  # the raw sums go by the rows' own dates
            lo, hi = utc_of(p.start), utc_of(p.end)
            assert pnl.revenue == raw_revenue(self.shop, lo, hi)
            assert pnl.cost_of_goods == raw_cogs(self.shop, lo, hi)
            assert pnl.net_income == -sum(raw_balance(self.shop, f"{d}-%", lo, hi,
                                                      closing=False) for d in "456")
            assert closing.total_assets == sum(
                raw_balance(self.shop, "1-%", None, utc_of(self.day + timedelta(days=1)))
                for _ in (0,))
            owed = q(self.shop, "SELECT COALESCE(SUM(amount), 0) FROM kasbon_entry "
                                "WHERE created_at < :hi", hi=utc_of(self.day + timedelta(1)))
            assert ageing.total == owed


Books.TestCase.settings = settings(max_examples=12, stateful_step_count=30, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])
TestBooks = Books.TestCase

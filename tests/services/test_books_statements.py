"""The statements against independent figures from the raw rows (plain SQL), on a real
SQLite shop with a January of cash, EDC, QRIS and kasbon sales, a refund, a repayment,
goods received on credit, a Midtrans settlement and a drawing."""

from __future__ import annotations

from datetime import date

import pytest

from app.shop import Shop
from services.books import statements as st
from services.books.reconcile import midtrans_reconciliation
from services.books.reports import REPORTS
from services.errors import BadInput
from services.kasbon import repay_kasbon
from services.payments import mdr_fee, record_settlement
from services.refunds import refund_sale
from services.reports.export import to_csv
from services.reports.source import local_source
from services.reports.values import Period, TableReport
from services.selling import Approval
from services.shifts import move_cash
from services.stock import ReceivedLine, receive_goods
from services.users import Actor
from tests.services.test_books_support import (
    at,
    customer,
    q,
    raw_balance,
    raw_cogs,
    raw_revenue,
    sell,
    utc_of,
)

JAN = Period(date(2027, 1, 1), date(2027, 2, 1))
FEB = Period(date(2027, 2, 1), date(2027, 3, 1))


@pytest.fixture
def january(shop: Shop, cashier: Actor, supervisor: Actor) -> dict[str, object]:
    ani = customer(shop, supervisor, "Bu Ani")
    with at(2027, 1, 5):
        cash = sell(shop, cashier, [("MI-0001", 3000), ("R-0110", 1000)], discount_pct=10)
        sell(shop, cashier, [("M-0016", 2000)], "edc")
        qris = sell(shop, cashier, [("R-0110", 2000)], "qris")
        kasbon = sell(shop, cashier, [("MI-0001", 4000)], "kasbon", customer_id=ani)
    with at(2027, 1, 6):
        with shop.uow() as uow:
            refund_sale(uow, shop.config, cashier, cash.receipt_no, [(1, 1000)], "rusak",
                        Approval("Budi", "5678"))
        with shop.uow() as uow:
            repay_kasbon(uow, shop.config, cashier, ani, 5_000)
    with at(2027, 1, 7):
        with shop.uow() as uow:
            receive_goods(uow, supervisor, supplier="Grosir Jaya",
                          lines=[ReceivedLine("MI-0001", 24_000, 3_000)])
    with at(2027, 1, 8):
        with shop.uow() as uow:
            move_cash(uow, shop.config, supervisor, "cash_out", 20_000, "ambil pemilik")
    with at(2027, 2, 3):
        with shop.uow() as uow:
            settled = record_settlement(uow, supervisor)
    return {"cash": cash, "qris": qris, "kasbon": kasbon, "ani": ani, "settled": settled}


def test_profit_and_loss_agrees_with_the_rows_and_the_ledger(
        shop: Shop, january: dict[str, object]) -> None:
    lo, hi = utc_of(JAN.start), utc_of(JAN.end)
    with shop.uow(write=False) as uow:
        pnl = st.profit_and_loss(uow.conn, JAN)
    assert pnl.gross_sales == q(shop, "SELECT SUM(subtotal) FROM sale WHERE created_at >= :lo "
                                      "AND created_at < :hi", lo=lo, hi=hi) > 0
    assert pnl.discounts == q(shop, "SELECT SUM(discount_total) FROM sale WHERE "
                                    "created_at >= :lo AND created_at < :hi", lo=lo, hi=hi) > 0
    assert pnl.refunds == q(shop, "SELECT SUM(gross) FROM refund WHERE created_at >= :lo "
                                  "AND created_at < :hi", lo=lo, hi=hi) > 0  # PPN inclusive
    assert pnl.net_sales == pnl.gross_sales - pnl.discounts - pnl.refunds
    assert pnl.revenue == raw_revenue(shop, lo, hi) == -raw_balance(shop, "4-1_00", lo, hi)
    assert pnl.unreconciled == 0
    assert pnl.net_sales - pnl.ppn_included == pnl.revenue
    assert pnl.ppn_included == (
        q(shop, "SELECT SUM(tax_total) FROM sale WHERE created_at >= :lo AND created_at < :hi",
          lo=lo, hi=hi)
        - q(shop, "SELECT SUM(tax) FROM refund WHERE created_at >= :lo AND created_at < :hi",
            lo=lo, hi=hi))
    assert pnl.cost_of_goods == raw_cogs(shop, lo, hi) == raw_balance(shop, "5-%", lo, hi)
    assert pnl.gross_profit == pnl.revenue - pnl.cost_of_goods
    assert pnl.net_income == -(raw_balance(shop, "4-%", lo, hi) + raw_balance(shop, "5-%", lo, hi)
                               + raw_balance(shop, "6-%", lo, hi))
    assert pnl.total_expenses == raw_balance(shop, "6-%", lo, hi)
    assert pnl.late_postings == ()
    # The settlement's fee falls in February, with the settlement.
    with shop.uow(write=False) as uow:
        feb = st.profit_and_loss(uow.conn, FEB)
    fee = sum(s.fee for s in january["settled"])  # type: ignore[attr-defined]
    assert fee > 0
    assert [(a.code, a.amount) for a in feb.expenses] == [("6-4000", fee)]
    assert feb.net_income == -fee
    table = pnl.report().tables[0]
    # A summary line has no account code (its label names it); an account's line has one.
    rows = {str(r[1]): r[2] for r in table.rows if not r[0]}
    assert rows["Laba bersih"] == pnl.net_income and rows["Penjualan bersih"] == pnl.net_sales
    assert rows["Laba kotor"] + sum(a.amount for a in pnl.other_income) \
        - pnl.total_expenses == pnl.net_income
    assert all(r[0] == "" or r[0][0].isdigit() for r in table.rows), table.rows
    english = to_csv(pnl.report(), "en")
    assert "Net income" in english and "net_income" not in english
    assert "net_income" not in to_csv(pnl.report(), "id")


def test_balance_sheet_balances_and_receivables_are_assets(
        shop: Shop, january: dict[str, object]) -> None:
    hi = utc_of(date(2027, 2, 1))
    with shop.uow(write=False) as uow:
        bs = st.balance_sheet(uow.conn, date(2027, 1, 31))
    assert bs.balanced
    assets = {a.code: a.amount for a in bs.assets}
    assert assets["1-1400"] == 14_000 - 5_000 == raw_balance(shop, "1-1400", None, hi)
    assert assets["1-1300"] == january["qris"].payable  # type: ignore[attr-defined]
    liabilities = {a.code: a.amount for a in bs.liabilities}
    assert set(liabilities) <= {"2-1100", "2-1200", "2-1900"}  # never unpaid sales
    assert bs.payables == 72_000 == -raw_balance(shop, "2-1100", None, hi)
    assert bs.ppn_payable == -raw_balance(shop, "2-1200", None, hi) > 0
    assert bs.total_liabilities == bs.payables + bs.ppn_payable + bs.other_payables
    assert bs.current_earnings == -raw_balance(shop, "4-%", None, hi) - raw_balance(
        shop, "5-%", None, hi) - raw_balance(shop, "6-%", None, hi)
    drawings = {a.code: a.amount for a in bs.equity}["3-2000"]
    assert drawings == -20_000
    assert bs.report().tables[0].totals == (None, None, bs.total_assets)


def test_trial_balance_cash_book_and_journal(shop: Shop, january: dict[str, object]) -> None:
    lo, hi = utc_of(JAN.start), utc_of(JAN.end)
    with shop.uow(write=False) as uow:
        tb = st.trial_balance(uow.conn, JAN)
        book = st.cash_book(uow.conn, JAN, "1-1100")
        sales = st.journal_page(uow.conn, period=JAN, kind="sale")
        owed = st.journal_page(uow.conn, period=JAN, account="1-1400")
        one = st.journal_page(uow.conn, text=january["cash"].receipt_no)  # type: ignore[attr-defined]
        limited = st.journal_page(uow.conn, period=JAN, limit=2)
        with pytest.raises(BadInput) as err:
            st.cash_book(uow.conn, JAN, "4-1000")
    assert err.value.field == "account"
    assert tb.debit == tb.credit > 0
    for row in tb.rows:
        assert row.closing == raw_balance(shop, row.code, None, hi)
        assert row.opening == raw_balance(shop, row.code, None, lo)
    assert sum(r.closing for r in tb.rows) == 0
    assert book.opening == raw_balance(shop, "1-1100", None, lo)
    assert book.closing == raw_balance(shop, "1-1100", None, hi)
    assert book.money_in - book.money_out == raw_balance(shop, "1-1100", lo, hi)
    assert book.movements[-1].balance == book.closing
    assert [m.kind for m in book.movements].count("cash.out") == 1
    assert len(sales.entries) == 4 and all(e.kind == "sale" for e in sales.entries)
    assert {e.kind for e in owed.entries} == {"sale", "kasbon.repayment"}
    assert all(any(x.account == "1-1400" for x in e.lines) for e in owed.entries)
    assert [e.kind for e in one.entries] == ["sale"]  # found by its memo, the receipt no
    assert limited.truncated and len(limited.entries) == 2
    for e in sales.entries:
        assert sum(x.debit for x in e.lines) == sum(x.credit for x in e.lines)


def test_midtrans_reconciliation(shop: Shop, january: dict[str, object]) -> None:
    qris = january["qris"]
    amount = qris.payable  # type: ignore[attr-defined]
    with shop.uow(write=False) as uow:
        jan = midtrans_reconciliation(uow.conn, JAN)
        feb = midtrans_reconciliation(uow.conn, FEB)
        from local_db.store import read_settings
        fee = mdr_fee(read_settings(uow.conn), "qris", amount)
    assert (jan.opening, jan.charged, jan.settled, jan.closing) == (0, amount, 0, amount)
    assert [u.receipt_no for u in jan.unsettled] == [qris.receipt_no]  # type: ignore[attr-defined]
    assert jan.unsettled_total == amount
    assert (feb.opening, feb.charged, feb.settled, feb.fees) == (amount, 0, amount, fee)
    assert feb.to_bank == amount - fee and feb.closing == 0 and feb.unsettled == ()
    assert [(m.month, m.settled, m.fees) for m in feb.by_month] == [("2027-02", amount, fee)]
    assert feb.closing == raw_balance(shop, "1-1300", None, utc_of(FEB.end))


def test_every_report_runs_and_is_its_tables(shop: Shop, january: dict[str, object]) -> None:
    with shop.uow(write=False) as uow:
        src = local_source(uow.conn)
        for name, (spec, run) in REPORTS.items():
            report = run(uow.conn, JAN, src)
            assert isinstance(report, TableReport) and report.name == name == spec.name
            assert report.tables, name
            for t in report.tables:
                assert all(len(r) == len(t.columns) for r in t.rows), (name, t.key)
        payables = REPORTS["payables"][1](uow.conn, JAN, src)
        expenses = REPORTS["expenses"][1](uow.conn, Period(date(2027, 1, 1),
                                                           date(2027, 3, 1)), src)
        with pytest.raises(BadInput):
            REPORTS["pnl"][1](uow.conn, None, src)
    # The goods received on credit are an open payable (if this build records payables).
    if q(shop, "SELECT COUNT(*) FROM payable"):
        assert payables.tables[0].totals is not None and payables.tables[0].totals[6] == 72_000
        assert payables.notes == ()
    fee_row = [r for r in expenses.tables[0].rows if r[0] == "6-4000"]
    assert fee_row and fee_row[0][2] == 0 and fee_row[0][3] > 0  # Jan 0, Feb the fee

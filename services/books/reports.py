"""The books' reports for the CLI, the screens and the PDFs (merged by
``services.reports.catalogue``): ``REPORTS[name] = (ReportSpec, runner)``, a runner being
``(conn, period | None, source) -> TableReport``.

Reports "as of" a day (balance sheet, ageing, payables) take the period's last day, or today
without a period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from services.books.ageing import receivables_ageing
from services.books.chart import CASH_ACCOUNTS, CLOSING_KIND, account_name, category_names
from services.books.common import after_day, books, month_period, net
from services.books.reconcile import midtrans_reconciliation
from services.books.statements import (
    balance_sheet,
    cash_book,
    journal_page,
    profit_and_loss,
    trial_balance,
)
from services.errors import BadInput
from services.reports.source import ReportSource, zone
from services.reports.values import Column, Period, ReportSpec, Table, TableReport, Words

Runner = Callable[[Connection, Period | None, ReportSource], TableReport]


def _today(src: ReportSource) -> date:
    return datetime.now(zone(src.timezone)).date()


def _as_of(period: Period | None, src: ReportSource) -> date:
    return period.last if period is not None else _today(src)


#: Where a payable comes from (``payable.source``), in the payables screen's words.
PAYABLE_SOURCES: Mapping[str, Words] = {
    "goods": Words("Barang masuk", "Goods received"),
    "expense": Words("Pengeluaran", "Expense"),
    "other": Words("Lain-lain", "Other"),
}


def source_words(source: str) -> Words:
    """A payable's source for people (``goods`` -> ``Barang masuk``); an unknown one as
    stored."""
    return PAYABLE_SOURCES.get(source, Words(source))


def _need(period: Period | None) -> Period:
    if period is None:
        raise BadInput("this report needs a period (--from, --to)", field="from")
    return period


def run_pnl(conn: Connection, period: Period | None, src: ReportSource) -> TableReport:
    return profit_and_loss(conn, _need(period), source=src).report()


def run_balance_sheet(conn: Connection, period: Period | None, src: ReportSource
                      ) -> TableReport:
    return balance_sheet(conn, _as_of(period, src), source=src).report()


def run_trial_balance(conn: Connection, period: Period | None, src: ReportSource
                      ) -> TableReport:
    return trial_balance(conn, _need(period), source=src).report()


def run_cashbook(conn: Connection, period: Period | None, src: ReportSource) -> TableReport:
    """One table per cash account (drawer, safe, bank)."""
    p = _need(period)
    books_ = [cash_book(conn, p, a, source=src) for a in CASH_ACCOUNTS]
    tables = tuple(Table(f"cashbook_{c.account}", f"{c.name_id} ({c.account})",
                         f"{c.name_en} ({c.account})", t.columns, t.rows, t.totals)
                   for c in books_ for t in c.report().tables)
    return TableReport("cashbook", "Buku kas", "Cash book", p, tables)


def run_journal(conn: Connection, period: Period | None, src: ReportSource) -> TableReport:
    page = journal_page(conn, period=_need(period), limit=5000, source=src)
    r = page.report()
    return TableReport("journal", r.title_id, r.title_en, period, r.tables, notes=r.notes)


def run_ageing(conn: Connection, period: Period | None, src: ReportSource) -> TableReport:
    return receivables_ageing(conn, _as_of(period, src), source=src).report()


def run_midtrans(conn: Connection, period: Period | None, src: ReportSource) -> TableReport:
    return midtrans_reconciliation(conn, _need(period), source=src).report()


def run_payables(conn: Connection, period: Period | None, src: ReportSource) -> TableReport:
    """Open payables as of a day, straight from ``payable`` and ``payable_payment`` (open =
    amount − payments made by that day), beside the ledger's payables (2-1100 + 2-1900)."""
    as_of = _as_of(period, src)
    b = books(conn, src)
    hi = after_day(b, as_of)
    cols = (Column("supplier", "Pemasok", "Supplier"), Column("source", "Asal", "Source"),
            Column("created", "Tanggal", "Date", "date"),
            Column("due_date", "Jatuh tempo", "Due", "date"),
            Column("amount", "Jumlah", "Amount", "money"),
            Column("paid", "Dibayar", "Paid", "money"),
            Column("open", "Sisa", "Open", "money"),
            Column("overdue_days", "Hari lewat", "Days overdue", "int"))
    bal = b.balances(conn, None, hi)
    ledger = -(net(bal, "2-1100") + net(bal, "2-1900"))
    pay, pp = src.payable, src.payable_payment
    if pay is None or pp is None:
        return TableReport("payables", "Utang usaha", "Payables", None,
                           (Table("payables", "Utang belum lunas", "Open payables", cols, (),
                                  None),), as_of=as_of.isoformat(),
                           notes=(Words("Sumber ini tidak punya tabel utang",
                                        "This source has no payable tables"),))
    paid = (select(func.coalesce(func.sum(pp.c.amount), 0))
            .where(pp.c.payable_id == pay.c.id, pp.c.created_at < b.bind(hi),
                   src.same_tenant(pp, pay)).scalar_subquery())
    q = (select(pay.c.supplier, pay.c.source, pay.c.created_at, pay.c.due_date,
                pay.c.amount, paid.label("paid"))
         .where(src.scope(pay), pay.c.created_at < b.bind(hi))
         .order_by(pay.c.due_date, pay.c.created_at))
    rows: list[tuple[Any, ...]] = []
    tz = zone(src.timezone)
    for supplier, source, created, due, amount, paid_ in conn.execute(q):
        left = int(amount) - int(paid_)
        if left <= 0:
            continue
        due_day = date.fromisoformat(str(due)) if due else None
        overdue = max((as_of - due_day).days, 0) if due_day else 0
        made = (created if isinstance(created, datetime)
                else datetime.fromisoformat(str(created))).astimezone(tz).date()
        # Dates on the store's calendar (``created`` is a UTC stamp).
        rows.append((str(supplier), source_words(str(source)), made, due_day, int(amount),
                     int(paid_), left, overdue))
    total = sum(r[6] for r in rows)
    notes: tuple[str, ...] = () if total == ledger else (Words(
        f"Utang di buku besar (2-1100 + 2-1900) = {ledger}, utang belum lunas = {total}",
        f"Ledger payables (2-1100 + 2-1900) = {ledger}, open payables = {total}"),)
    return TableReport("payables", "Utang usaha", "Payables", None,
                       (Table("payables", "Utang belum lunas", "Open payables", cols,
                              tuple(rows), (None, None, None, None,
                                            sum(r[4] for r in rows), sum(r[5] for r in rows),
                                            total, None)),),
                       as_of=as_of.isoformat(), notes=notes)


def run_expenses(conn: Connection, period: Period | None, src: ReportSource) -> TableReport:
    """Expenses (6-xxxx, each category its own account) by month, from the ledger."""
    p = _need(period)
    b = books(conn, src)
    cats = category_names(conn, src.expense_category)
    months: list[tuple[str, dict[str, int]]] = []
    cur = p.start.replace(day=1)
    while cur < p.end:
        m = month_period(cur.strftime("%Y-%m"))
        lo = b.day_start(max(m.start, p.start))
        hi = b.day_start(min(m.end, p.end))
        bal = b.balances(conn, lo, hi, closing=False)
        months.append((cur.strftime("%Y-%m"),
                       {c: net(bal, c) for c in bal if c.startswith("6") and net(bal, c)}))
        cur = m.end
    codes = sorted({c for _, v in months for c in v})
    cols = (Column("account", "Akun", "Account"), Column("name", "Kategori", "Category"),
            *(Column(m, m, m, "money") for m, _ in months),
            Column("total", "Total", "Total", "money"))
    rows = tuple((c, Words(account_name(c, "id", categories=cats),
                           account_name(c, "en", categories=cats)),
                  *(v.get(c, 0) for _, v in months), sum(v.get(c, 0) for _, v in months))
                 for c in codes)
    totals = (None, None, *(sum(v.values()) for _, v in months),
              sum(sum(v.values()) for _, v in months))
    return TableReport("expenses", "Beban per kategori dan bulan",
                       "Expenses by category and month", p,
                       (Table("expenses", "Beban", "Expenses", cols, rows, totals),))


REPORTS: Mapping[str, tuple[ReportSpec, Runner]] = {
    spec.name: (spec, runner) for spec, runner in (
        (ReportSpec("pnl", "Laba rugi", "Profit and loss", True), run_pnl),
        (ReportSpec("balance-sheet", "Neraca", "Balance sheet", False, as_of=True), run_balance_sheet),
        (ReportSpec("trial-balance", "Neraca saldo", "Trial balance", True),
         run_trial_balance),
        (ReportSpec("cashbook", "Buku kas", "Cash book", True), run_cashbook),
        (ReportSpec("journal", "Jurnal", "Journal", True), run_journal),
        (ReportSpec("ageing", "Umur piutang", "Receivables ageing", False, as_of=True), run_ageing),
        (ReportSpec("payables", "Utang usaha", "Payables", False, as_of=True), run_payables),
        (ReportSpec("expenses", "Beban per kategori dan bulan",
                    "Expenses by category and month", True), run_expenses),
        (ReportSpec("midtrans", "Rekonsiliasi Midtrans", "Midtrans reconciliation", True),
         run_midtrans),
    )}

__all__ = ["CLOSING_KIND", "REPORTS", "Runner"]

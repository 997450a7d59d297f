"""The owner's statements, read from the journal (SQLAlchemy Core over a ReportSource, the
same code on the till's SQLite and on central PostgreSQL): profit and loss, balance sheet,
trial balance, cash book and the journal browser. Each is a frozen value with its figures
and ``.report()`` (a :class:`TableReport` for export, PDF and screens).

Signs: balances are ``debit - credit`` inside; statements show each side positive
(revenue, liabilities and equity as credits). Period: shop-local dates ``[start, end)``;
``as_of``: the end of that shop-local day. Period-closing entries (kind ``period.close``)
are left out of the P&L (they would zero it) and kept everywhere else. Late postings: see
``services.books.common``.

Net sales (definitions.md, "The books"): gross − discounts − refunds, where gross counts the
PPN included in a shelf price and not PPN added on top. From the sales' own rows:
gross = Σ sale.subtotal (shelf price × quantity), discounts = Σ sale.discount_total,
refunds = Σ refund_line.gross less the PPN a refunded line had on top. The ledger books
revenue net of PPN (Cr 4-1000 the sale's ``net_total``, Dr 4-1100 the refund's ``net``), so
net sales − the PPN included in them = revenue (4-1000 − 4-1100): the P&L shows both and
``unreconciled`` (0 when the rows agree with the ledger).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, String, and_, case, cast, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from services.books.chart import (
    CASH_ACCOUNTS,
    CLOSING_KIND,
    NAMES,
    account_name,
    account_type,
    category_names,
)
from services.books.common import (
    Books,
    LatePosting,
    after_day,
    books,
    bounds_of,
    net,
    stamp_text,
)
from services import formatting as fmt
from services.errors import BadInput
from services.reports.source import DEFAULT_TIMEZONE, ReportSource
from services.reports.values import Column, Period, Table, TableReport, Words


def _sum(col: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


@dataclass(frozen=True, slots=True)
class AccountAmount:
    code: str
    name_id: str
    name_en: str
    amount: int  # positive on the account's normal side

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id


def _names(b: Books, conn: Connection) -> Mapping[str, str]:
    return category_names(conn, b.src.expense_category)


def _amount(code: str, value: int, cats: Mapping[str, str]) -> AccountAmount:
    return AccountAmount(code, account_name(code, "id", categories=cats),
                         account_name(code, "en", categories=cats), value)


#: Journal entry kinds as people read them (services post them: sale, refund, shift...).
JOURNAL_KINDS: Mapping[str, tuple[str, str]] = {
    "sale": ("Penjualan", "Sale"),
    "refund": ("Retur", "Refund"),
    "shift.float": ("Modal laci", "Drawer float"),
    "shift.close": ("Tutup shift", "Shift close"),
    "cash.in": ("Kas masuk", "Cash in"),
    "cash.out": ("Kas keluar", "Cash out"),
    "cash.transfer": ("Pindah dana", "Money moved"),
    "expense": ("Beban", "Expense"),
    "goods.received": ("Barang masuk", "Goods received"),
    "kasbon.repayment": ("Bayar kasbon", "Kasbon repaid"),
    "midtrans.settlement": ("Pencairan Midtrans", "Midtrans settlement"),
    "payable.payment": ("Bayar utang", "Payable paid"),
    CLOSING_KIND: ("Tutup buku", "Period close"),
    "stock.adjust": ("Penyesuaian stok", "Stock adjustment"),
    "stock.waste": ("Stok rusak/hilang", "Stock written off"),
    "stock.count": ("Stok opname", "Stock count"),
}
#: Memos the services write in English for their own entries (services.shifts).
_MEMOS: Mapping[str, str] = {"float from the safe": "modal laci dari brankas",
                             "drawer to the safe": "uang laci ke brankas"}


def kind_words(kind: str) -> Words:
    """A journal entry's kind in words (``shift.float`` -> ``Modal laci``)."""
    known = JOURNAL_KINDS.get(kind)
    return Words(*known) if known is not None else Words(kind)


def memo_words(memo: str) -> str:
    """A memo as written; one of the services' own English memos in both languages."""
    id_text = _MEMOS.get(memo)
    return Words(id_text, memo) if id_text is not None else memo


def _when(stamp: str | None, zone: str) -> str:
    """A stored UTC time on the store's clock (``07-12-2026 19:37 WIB``)."""
    return "" if not stamp else fmt.datetime_text(stamp, zone)


_ACCOUNT = Column("account", "Akun", "Account")
_NAME = Column("name", "Nama", "Name")
_AMOUNT = Column("amount", "Jumlah", "Amount", "money")
_LATE_COLUMNS = (Column("created_at", "Waktu", "Time"), Column("memo", "Nota", "Receipt"),
                 Column("counted_at", "Dihitung pada", "Counted at"),
                 Column("amount", "Jumlah", "Amount", "money"))


def _late_table(late: tuple[LatePosting, ...], zone: str) -> Table:
    return Table("late_postings", "Posting terlambat (setelah tutup buku)",
                 "Late postings (after the close)", _LATE_COLUMNS,
                 tuple((_when(p.created_at, zone), p.memo, _when(p.counted_at, zone), p.amount)
                       for p in late),
                 (None, None, None, sum(p.amount for p in late)))


def _lines_table(key: str, title_id: str, title_en: str, rows: tuple[AccountAmount, ...],
                 total: int) -> Table:
    return Table(key, title_id, title_en, (_ACCOUNT, _NAME, _AMOUNT),
                 tuple((a.code, Words(a.name_id, a.name_en), a.amount) for a in rows),
                 (None, None, total))


# --- profit and loss -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProfitAndLoss:
    period: Period
    gross_sales: int  # shelf prices (PPN included in them counted, PPN on top not)
    discounts: int
    refunds: int  # refunded at shelf price
    net_sales: int  # gross_sales - discounts - refunds
    ppn_included: int  # the PPN inside net_sales
    revenue: int  # ledger: 4-1000 - 4-1100 (net of PPN)
    unreconciled: int  # revenue - (net_sales - ppn_included): 0 when rows = ledger
    other_income: tuple[AccountAmount, ...]  # 4-9000 cash rounding and any other 4-xxxx
    cost_of_goods: int  # 5-xxxx, at cost
    gross_profit: int  # revenue - cost_of_goods
    expenses: tuple[AccountAmount, ...]  # 6-xxxx by account (each category its own)
    total_expenses: int
    net_income: int  # revenue + other income - cost of goods - expenses (= -Σ 4,5,6 balances)
    late_postings: tuple[LatePosting, ...]  # dated in this period, counted later
    timezone: str = DEFAULT_TIMEZONE  # the store's, for the times people read

    def report(self) -> TableReport:
        # A summary line has no account: its label says what it is (an account's line
        # shows its code beside its name).
        rows: list[tuple[Any, ...]] = [
            ("", Words("Penjualan kotor", "Gross sales"), self.gross_sales),
            ("", Words("Diskon", "Discounts"), -self.discounts),
            ("", Words("Retur", "Refunds"), -self.refunds),
            ("", Words("Penjualan bersih", "Net sales"), self.net_sales),
            ("", Words("PPN di dalam harga", "PPN included in prices"), -self.ppn_included),
            ("", Words("Pendapatan (4-1000 − 4-1100)", "Revenue (4-1000 − 4-1100)"),
             self.revenue),
            ("", Words("Harga pokok penjualan", "Cost of goods sold"), -self.cost_of_goods),
            ("", Words("Laba kotor", "Gross profit"), self.gross_profit),
            *((a.code, Words(a.name_id, a.name_en), a.amount) for a in self.other_income),
            *((a.code, Words(a.name_id, a.name_en), -a.amount) for a in self.expenses),
            ("", Words("Total beban", "Total expenses"), -self.total_expenses),
            ("", Words("Laba bersih", "Net income"), self.net_income),
        ]
        tables = [Table("pnl", "Laba rugi", "Profit and loss", (_ACCOUNT, _NAME, _AMOUNT),
                        tuple(rows)),
                  _lines_table("expenses", "Beban per kategori", "Expenses by category",
                               self.expenses, self.total_expenses)]
        notes = []
        if self.late_postings:
            tables.append(_late_table(self.late_postings, self.timezone))
            notes.append(f"{len(self.late_postings)} late posting(s) dated in this closed "
                         "period are counted in the next open period")
        if self.unreconciled:
            notes.append(f"sales rows differ from the ledger by {self.unreconciled}")
        return TableReport("pnl", "Laba rugi", "Profit and loss", self.period, tuple(tables),
                           notes=tuple(notes))


def _sales_figures(conn: Connection, b: Books, lo: datetime, hi: datetime
                   ) -> tuple[int, int, int, int, int]:
    """(gross, discounts, refunds at shelf price, PPN included in sales, PPN included in
    refunds) from the sale and refund rows."""
    src = b.src
    s = src.sale
    gross, disc, net_total = conn.execute(
        select(_sum(s.c.subtotal), _sum(s.c.discount_total), _sum(s.c.net_total))
        .where(src.scope(s), b.window(s.c.created_at, s.c.id, lo, hi, by="ref"))).one()
    r, rl, sl = src.refund, src.refund_line, src.sale_line
    base = (sl.c.unit_price * sl.c.qty_milli + 500) // 1000
    # A line whose paid amount is not its discounted shelf price had its PPN added on top.
    on_top = case((sl.c.gross != base - sl.c.line_discount - sl.c.order_discount, rl.c.tax),
                  else_=0)
    joined = (rl.join(r, and_(r.c.id == rl.c.refund_id, src.same_tenant(r, rl)))
              .join(sl, and_(sl.c.id == rl.c.sale_line_id, src.same_tenant(sl, rl))))
    r_gross, r_net, r_top = conn.execute(
        select(_sum(rl.c.gross), _sum(rl.c.net), _sum(on_top)).select_from(joined)
        .where(src.scope(r), b.window(r.c.created_at, r.c.id, lo, hi, by="ref"))).one()
    refunds = int(r_gross) - int(r_top)
    sale_included = int(gross) - int(disc) - int(net_total)
    return int(gross), int(disc), refunds, sale_included, refunds - int(r_net)


def profit_and_loss(conn: Connection, period: Period, *, source: ReportSource | None = None
                    ) -> ProfitAndLoss:
    b = books(conn, source)
    lo, hi = bounds_of(b, period)
    bal = b.balances(conn, lo, hi, closing=False)
    cats = _names(b, conn)
    gross, disc, refunds, inc_sales, inc_refunds = _sales_figures(conn, b, lo, hi)
    net_sales = gross - disc - refunds
    ppn_included = inc_sales - inc_refunds
    revenue = -(net(bal, "4-1000") + net(bal, "4-1100"))
    other = tuple(_amount(c, -net(bal, c), cats) for c in sorted(bal)
                  if account_type(c) == "revenue" and c not in ("4-1000", "4-1100")
                  and net(bal, c))
    cogs = sum(net(bal, c) for c in bal if c.startswith("5"))
    expenses = tuple(_amount(c, net(bal, c), cats) for c in sorted(bal)
                     if c.startswith("6") and net(bal, c))
    total_exp = sum(a.amount for a in expenses)
    net_income = -sum(net(bal, c) for c in bal if account_type(c) in ("revenue", "expense"))
    return ProfitAndLoss(
        period=period, gross_sales=gross, discounts=disc, refunds=refunds,
        net_sales=net_sales, ppn_included=ppn_included, revenue=revenue,
        unreconciled=revenue - (net_sales - ppn_included), other_income=other,
        cost_of_goods=cogs, gross_profit=revenue - cogs, expenses=expenses,
        total_expenses=total_exp, net_income=net_income, late_postings=b.late_in(lo, hi),
        timezone=b.src.timezone)


# --- balance sheet ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BalanceSheet:
    as_of: date
    assets: tuple[AccountAmount, ...]  # debit balances (receivables 1-1400 among them)
    total_assets: int
    liabilities: tuple[AccountAmount, ...]  # credit balances of 2-xxxx
    payables: int  # 2-1100
    ppn_payable: int  # 2-1200
    other_payables: int  # 2-1900
    total_liabilities: int
    equity: tuple[AccountAmount, ...]  # 3-xxxx credit balances (capital, drawings, retained)
    current_earnings: int  # revenue - expenses not yet closed to retained earnings
    total_equity: int  # Σ equity + current earnings
    late_postings: tuple[LatePosting, ...]  # dated by as_of but counted after it
    timezone: str = DEFAULT_TIMEZONE
    # Loyalty points members may still redeem, in rupiah (points x point value): a note,
    # not a booked liability (services/loyalty.py: redemption is booked when it happens).
    # None where the ledger is not read (central: each till's own figure is its note).
    points_outstanding: int | None = None

    @property
    def balanced(self) -> bool:
        return self.total_assets == self.total_liabilities + self.total_equity

    def _notes(self) -> tuple[str, ...]:
        notes: list[str] = [] if self.balanced else ["NOT BALANCED"]
        if self.points_outstanding:
            notes.append(Words(
                "Catatan: poin loyalitas yang masih dapat ditukar pelanggan senilai "
                f"{fmt.money(self.points_outstanding)} (tidak dibukukan sebagai kewajiban; "
                "dibebankan saat ditukar).",
                "Note: loyalty points members may still redeem are worth "
                f"{fmt.money(self.points_outstanding, 'en')} (not booked as a liability; "
                "expensed when redeemed)."))
        return tuple(notes)

    def report(self) -> TableReport:
        equity_rows = (*self.equity,
                       AccountAmount("", "Laba tahun berjalan", "Current earnings",
                                     self.current_earnings))
        tables = [
            _lines_table("assets", "Aset", "Assets", self.assets, self.total_assets),
            _lines_table("liabilities", "Kewajiban", "Liabilities", self.liabilities,
                         self.total_liabilities),
            _lines_table("equity", "Ekuitas", "Equity", equity_rows, self.total_equity),
        ]
        if self.late_postings:
            tables.append(_late_table(self.late_postings, self.timezone))
        return TableReport("balance-sheet", "Neraca", "Balance sheet", None, tuple(tables),
                           as_of=self.as_of.isoformat(),
                           notes=self._notes())


def _points_outstanding(conn: Connection, hi: datetime) -> int | None:
    """The till's outstanding points at ``hi`` (its ledger holds every till's rows of the
    tenant, pulled), or None on central (PostgreSQL: each till's note is its own)."""
    if conn.dialect.name != "sqlite":
        return None
    from services.loyalty import outstanding_points_value  # the books don't need it to load
    return outstanding_points_value(conn, hi)


def balance_sheet(conn: Connection, as_of: date, *, source: ReportSource | None = None
                  ) -> BalanceSheet:
    b = books(conn, source)
    hi = after_day(b, as_of)
    bal = b.balances(conn, None, hi)
    cats = _names(b, conn)
    codes = sorted(c for c in bal if net(bal, c))
    assets = tuple(_amount(c, net(bal, c), cats) for c in codes if account_type(c) == "asset")
    liabilities = tuple(_amount(c, -net(bal, c), cats) for c in codes
                        if account_type(c) == "liability")
    equity = tuple(_amount(c, -net(bal, c), cats) for c in codes
                   if account_type(c) == "equity")
    earnings = -sum(net(bal, c) for c in bal if account_type(c) in ("revenue", "expense"))
    late = tuple(p for p in b.late if b.counted_at(p.created_at, p.entry_id) >= hi
                 and datetime.fromisoformat(p.created_at) < hi)
    return BalanceSheet(
        as_of=as_of, assets=assets, total_assets=sum(a.amount for a in assets),
        liabilities=liabilities, payables=-net(bal, "2-1100"),
        ppn_payable=-net(bal, "2-1200"), other_payables=-net(bal, "2-1900"),
        total_liabilities=sum(a.amount for a in liabilities), equity=equity,
        current_earnings=earnings,
        total_equity=sum(a.amount for a in equity) + earnings, late_postings=late,
        timezone=b.src.timezone, points_outstanding=_points_outstanding(conn, hi))


# --- trial balance ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TrialRow:
    code: str
    name_id: str
    name_en: str
    type: str
    opening: int  # debit - credit before the period
    debit: int  # in the period
    credit: int
    closing: int  # opening + debit - credit


@dataclass(frozen=True, slots=True)
class TrialBalance:
    period: Period
    rows: tuple[TrialRow, ...]  # by code; accounts with no balance and no movement left out
    debit: int  # Σ debits in the period
    credit: int  # Σ credits in the period (= debit)
    late_postings: tuple[LatePosting, ...]
    timezone: str = DEFAULT_TIMEZONE

    def closing(self, code: str) -> int:
        return next((r.closing for r in self.rows if r.code == code), 0)

    def report(self) -> TableReport:
        cols = (_ACCOUNT, _NAME, Column("opening", "Saldo awal", "Opening", "money"),
                Column("debit", "Debit", "Debit", "money"),
                Column("credit", "Kredit", "Credit", "money"),
                Column("closing", "Saldo akhir", "Closing", "money"))
        rows = tuple((r.code, Words(r.name_id, r.name_en), r.opening, r.debit, r.credit,
                      r.closing) for r in self.rows)
        tables = [Table("trial_balance", "Neraca saldo", "Trial balance", cols, rows,
                        (None, None, sum(r.opening for r in self.rows), self.debit,
                         self.credit, sum(r.closing for r in self.rows)))]
        if self.late_postings:
            tables.append(_late_table(self.late_postings, self.timezone))
        return TableReport("trial-balance", "Neraca saldo", "Trial balance", self.period,
                           tuple(tables))


def trial_balance(conn: Connection, period: Period, *, source: ReportSource | None = None
                  ) -> TrialBalance:
    b = books(conn, source)
    lo, hi = bounds_of(b, period)
    before = b.balances(conn, None, lo)
    during = b.balances(conn, lo, hi)
    cats = _names(b, conn)
    rows = []
    for code in sorted(set(before) | set(during)):
        opening = net(before, code)
        d, c = during.get(code, (0, 0))
        if opening == 0 and d == 0 and c == 0:
            continue
        rows.append(TrialRow(code, account_name(code, "id", categories=cats),
                             account_name(code, "en", categories=cats), account_type(code),
                             opening, d, c, opening + d - c))
    return TrialBalance(period, tuple(rows), sum(r.debit for r in rows),
                        sum(r.credit for r in rows), b.late_in(lo, hi), b.src.timezone)


# --- cash book -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CashMovementRow:
    at: str  # ISO UTC of the entry
    entry_id: str
    kind: str
    memo: str
    debit: int  # money in
    credit: int  # money out
    balance: int  # running, after this movement


@dataclass(frozen=True, slots=True)
class CashBook:
    period: Period
    account: str
    name_id: str
    name_en: str
    opening: int
    movements: tuple[CashMovementRow, ...]
    money_in: int
    money_out: int
    closing: int  # opening + in - out
    timezone: str = DEFAULT_TIMEZONE

    def report(self) -> TableReport:
        cols = (Column("at", "Waktu", "Time"), Column("kind", "Jenis", "Kind"),
                Column("memo", "Keterangan", "Memo"),
                Column("debit", "Masuk", "In", "money"),
                Column("credit", "Keluar", "Out", "money"),
                Column("balance", "Saldo", "Balance", "money"))
        rows = ((None, None, Words("Saldo awal", "Opening balance"), None, None,
                 self.opening),
                *((_when(m.at, self.timezone), kind_words(m.kind), memo_words(m.memo),
                   m.debit, m.credit, m.balance) for m in self.movements))
        return TableReport(
            "cashbook", f"Buku kas {self.name_id} ({self.account})",
            f"Cash book {self.name_en} ({self.account})", self.period,
            (Table("cashbook", "Buku kas", "Cash book", cols, tuple(rows),
                   (None, None, None, self.money_in, self.money_out, self.closing)),))


def cash_book(conn: Connection, period: Period, account: str, *,
              source: ReportSource | None = None) -> CashBook:
    if account not in CASH_ACCOUNTS:
        raise BadInput(f"a cash book is kept for {', '.join(CASH_ACCOUNTS)}", field="account")
    b = books(conn, source)
    lo, hi = bounds_of(b, period)
    opening = net(b.balances(conn, None, lo), account)
    je, jl = b.je, b.jl
    q = (select(je.c.id, je.c.kind, je.c.memo, je.c.created_at, _sum(jl.c.debit),
                _sum(jl.c.credit))
         .select_from(b.lines())
         .where(jl.c.account_code == account, jl.c.entry_id.in_(b.entries(lo, hi)))
         .group_by(je.c.id, je.c.kind, je.c.memo, je.c.created_at))
    found = sorted(((b.counted_at(r[3], str(r[0])), str(r[0]), str(r[1]), str(r[2]),
                     stamp_text(r[3]), int(r[4]), int(r[5])) for r in conn.execute(q)),
                   key=lambda t: (t[0], t[4], t[1]))
    running = opening
    rows = []
    for _, eid, kind, memo, at, d, c in found:
        running += d - c
        rows.append(CashMovementRow(at, eid, kind, memo, d, c, running))
    name = NAMES[account]
    return CashBook(period, account, name[0], name[1], opening, tuple(rows),
                    sum(r.debit for r in rows), sum(r.credit for r in rows), running,
                    b.src.timezone)


# --- journal browser -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class JournalLineView:
    account: str
    name: str  # in Bahasa Indonesia
    debit: int
    credit: int
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class JournalEntryView:
    id: str
    kind: str
    ref_id: str | None
    memo: str
    created_at: str  # ISO UTC
    lines: tuple[JournalLineView, ...]
    late: bool  # a late posting (sale into a closed period)

    @property
    def amount(self) -> int:
        return sum(x.debit for x in self.lines)


@dataclass(frozen=True, slots=True)
class JournalPage:
    entries: tuple[JournalEntryView, ...]  # newest first
    truncated: bool  # more entries matched than ``limit``
    timezone: str = DEFAULT_TIMEZONE

    def report(self) -> TableReport:
        cols = (Column("created_at", "Waktu", "Time"), Column("kind", "Jenis", "Kind"),
                Column("memo", "Keterangan", "Memo"), _ACCOUNT, _NAME,
                Column("debit", "Debit", "Debit", "money"),
                Column("credit", "Kredit", "Credit", "money"))
        rows = tuple((_when(e.created_at, self.timezone), kind_words(e.kind),
                      memo_words(e.memo), x.account, Words(x.name, x.name_en or x.name),
                      x.debit, x.credit) for e in self.entries for x in e.lines)
        total = sum(e.amount for e in self.entries)
        return TableReport("journal", "Jurnal", "Journal", None,
                           (Table("journal", "Jurnal", "Journal", cols, rows,
                                  (None, None, None, None, None, total, total)),),
                           notes=(Words("Terpotong: lebih banyak entri cocok daripada yang "
                                        "ditampilkan", "Truncated: more entries matched than "
                                        "are shown"),) if self.truncated else ())


def journal_page(conn: Connection, *, period: Period | None = None, account: str | None = None,
                 kind: str | None = None, text: str | None = None, limit: int = 200,
                 source: ReportSource | None = None) -> JournalPage:
    """Journal entries, newest first, filtered by period (counted time), an account they
    touch, their kind (``sale``, ``refund``, ``period.close``...; a trailing ``*`` matches a
    prefix: ``stock.*``) and a text in their memo or reference."""
    if limit < 1 or limit > 5000:
        raise BadInput("limit is 1..5000", field="limit")
    if account is not None:
        account_type(account)
    b = books(conn, source)
    je, jl = b.je, b.jl
    conds: list[ColumnElement[bool]] = [b.src.scope(je)]
    if period is not None:
        lo, hi = bounds_of(b, period)
        conds.append(b.window(je.c.created_at, je.c.id, lo, hi))
    if kind:
        conds.append(je.c.kind.like(kind[:-1] + "%") if kind.endswith("*")
                     else je.c.kind == kind)
    if text:
        needle = f"%{text.strip()}%"
        conds.append(or_(je.c.memo.ilike(needle),
                         cast(je.c.ref_id, String).ilike(needle)))
    if account is not None:
        conds.append(je.c.id.in_(select(jl.c.entry_id).where(jl.c.account_code == account)))
    q = (select(je.c.id, je.c.kind, je.c.ref_id, je.c.memo, je.c.created_at).where(*conds)
         .order_by(je.c.created_at.desc(), je.c.id.desc()).limit(limit + 1))
    heads = conn.execute(q).all()
    truncated = len(heads) > limit
    heads = heads[:limit]
    ids = [h[0] for h in heads]
    lines: dict[str, list[JournalLineView]] = {}
    cats = _names(b, conn)
    if ids:
        lq = (select(jl.c.entry_id, jl.c.account_code, jl.c.debit, jl.c.credit)
              .where(jl.c.entry_id.in_(ids)))
        order = jl.c.id if "id" in jl.c else jl.c.line_no
        for eid, code, d, c in conn.execute(lq.order_by(jl.c.entry_id, order)):
            lines.setdefault(str(eid), []).append(JournalLineView(
                str(code), account_name(str(code), "id", categories=cats), int(d), int(c),
                account_name(str(code), "en", categories=cats)))
    late = {p.entry_id for p in b.late}
    return JournalPage(tuple(JournalEntryView(
        str(h[0]), str(h[1]), None if h[2] is None else str(h[2]), str(h[3]),
        stamp_text(h[4]), tuple(lines.get(str(h[0]), ())), str(h[0]) in late)
        for h in heads), truncated, b.src.timezone)


__all__ = ["CLOSING_KIND", "AccountAmount", "BalanceSheet", "CashBook", "CashMovementRow",
           "JournalEntryView", "JournalLineView", "JournalPage", "ProfitAndLoss",
           "TrialBalance", "TrialRow", "balance_sheet", "cash_book", "journal_page",
           "profit_and_loss", "trial_balance"]

"""The owner's books: expenses and their categories, payables, receivables ageing, the journal, the statements, period close and analytics, each report on a chosen scope (this till, the whole shop, one store).

What the screens of this area need from the shop, as a Protocol (``backend.books``,
implemented by ``app/desktop/books.py``). Every method may touch the database or the
network, so the screens call them only through :mod:`ui.tasks`: the reads on
``Lane.POOL`` (a scope other than this till reads central over the network), the writes
(an expense, a payment, a close) on ``Lane.WRITER``.

What crosses are the services' frozen values (``services.expenses``, ``services.payables``,
``services.books``, ``services.analytics``, ``services.reports.scope``'s ``Scope`` and
``ScopedReport``); only :class:`Scoped` (a value with its ScopedReport),
:class:`ScopeChoices`, :class:`AnalyticsView` and :class:`ExpenseForm` are the screens'
own. Rights are decided by the services; refusals arrive as ``services.errors`` exceptions
naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    # Loaded when a books screen is first opened, not at the till's start.
    from services.analytics import (
        BasketStats,
        CashierSales,
        HourHeatmap,
        ProductRanking,
        RepeatCustomers,
        RevenueTrend,
    )
    from services.books.ageing import Ageing
    from services.books.periods import PeriodView
    from services.books.statements import (
        BalanceSheet,
        CashBook,
        JournalPage,
        ProfitAndLoss,
        TrialBalance,
    )
    from services.expenses import CategoryView, ExpenseView
    from services.payables import PayableView
    from services.reports.scope import Scope, ScopedReport
    from services.reports.values import Period, TableReport
    from services.selling import Approval

    Statement = ProfitAndLoss | BalanceSheet | TrialBalance | CashBook

T = TypeVar("T")
#: The statements the statements screen offers (``account``: the cash book's).
STATEMENTS = ("pnl", "balance-sheet", "trial-balance", "cashbook")
#: Formats a statement is exported to (``services.reports.export``; the PDF as the
#: Reports screen makes it, ``app.reports_pdf``).
STATEMENT_FORMATS = ("csv", "html", "pdf")


@dataclass(frozen=True, slots=True)
class StoreChoice:
    id: str
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ScopeChoices:
    """What the scope selector offers: the whole shop always (it says so when central
    cannot be read), and the tenant's stores when central could be read."""

    central: bool  # this till is enrolled with a central database
    stores: tuple[StoreChoice, ...] = ()
    note: str | None = None  # why no store is offered


@dataclass(frozen=True, slots=True)
class Scoped(Generic[T]):
    """A service's figures (``value``) with ``services.reports.scope``'s answer of where
    they come from (``read``: the scope asked, central or this till, the time they are as
    of, a fall-back to this till and why)."""

    value: T
    read: ScopedReport

    @property
    def report(self) -> TableReport:
        """The figures' tables (every books and analytics value is a TableReport)."""
        from services.reports.values import TableReport
        report = self.read.report
        assert isinstance(report, TableReport)
        return report


@dataclass(frozen=True, slots=True)
class AnalyticsView:
    """The analytics screen's figures for one period, read in one snapshot: each is
    ``services.analytics``' own value."""

    trend: RevenueTrend  # by day, with the 7- and 28-day moving averages
    heatmap: HourHeatmap
    baskets: BasketStats
    products: ProductRanking
    repeat: RepeatCustomers
    cashiers: CashierSales

    def report(self) -> TableReport:
        """All their tables, as one report (export, previews)."""
        from services.reports.values import TableReport
        parts = (self.trend, self.heatmap, self.baskets, self.products, self.repeat,
                 self.cashiers)
        tables = tuple(t for part in parts for t in part.report().tables)
        return TableReport("analytics", "Analitik", "Analytics", self.trend.period, tables)


@dataclass(frozen=True, slots=True)
class ExpenseForm:
    """An expense as the quick-entry form has it (the service checks every field)."""

    category: str
    payee: str
    amount: int
    paid_from: str  # drawer | bank | owed
    note: str | None = None
    receipt_photo: str | None = None
    due_date: date | None = None  # owed: when it is due
    spent_on: date | None = None  # the store's day (today when None)


class BooksBackend(Protocol):
    def today(self) -> date:
        """Today on the store's clock."""
        ...

    def scope_choices(self) -> ScopeChoices: ...

    # --- expenses (supervisor and owner; a cashier through the till's cash-out) --------
    def categories(self, *, active_only: bool = True) -> tuple[CategoryView, ...]: ...

    def add_category(self, code: str, name: str) -> CategoryView:
        """A new category with its own expense account (owner)."""
        ...

    def record_expense(self, form: ExpenseForm) -> ExpenseView: ...

    def expenses(self, *, since: date | None = None, until: date | None = None,
                 category: str | None = None) -> tuple[ExpenseView, ...]:
        """Spent on the store days ``since``..``until`` (both included), newest first."""
        ...

    def cash_out_expense(self, category: str, amount: int, note: str,
                         approval: Approval | None = None) -> None:
        """The till's cash-out booked as an expense of ``category`` (services.shifts
        .move_cash with a category); a supervisor's ``approval`` as for any cash out."""
        ...

    # --- payables ------------------------------------------------------------------------
    def payables(self, *, open_only: bool = True) -> tuple[PayableView, ...]:
        """Soonest due first; ``open_only``: only those with something left to pay."""
        ...

    def pay_payable(self, payable_id: str, amount: int, paid_from: str) -> PayableView:
        """Pay in part or whole from the ``drawer`` (this till's open shift) or the
        ``bank``; more than is open is refused (field ``amount``)."""
        ...

    # --- reports on a scope --------------------------------------------------------------
    def ageing(self, as_of: date, scope: Scope) -> Scoped[Ageing]: ...

    def journal(self, scope: Scope, *, period: Period | None = None,
                account: str | None = None, kind: str | None = None,
                text: str | None = None, limit: int = 200) -> Scoped[JournalPage]: ...

    def statement(self, kind: str, period: Period, scope: Scope, *,
                  account: str | None = None) -> Scoped[Statement]:
        """``kind`` one of :data:`STATEMENTS`; the balance sheet is as of the period's last
        day; the cash book is of ``account`` (cash 1-1000 by default)."""
        ...

    def export_statement(self, report: TableReport, fmt: str, path: str,
                         lang: str = "id") -> str:
        """Write a statement's tables as csv, html or pdf to ``path``; returns the path."""
        ...

    def analytics(self, period: Period, scope: Scope) -> Scoped[AnalyticsView]: ...

    # --- period close (owner) ------------------------------------------------------------
    def periods(self) -> tuple[PeriodView, ...]: ...

    def close_period(self, period: str) -> PeriodView:
        """Income and expenses to retained earnings; the month becomes soft-locked."""
        ...

    def lock_period(self, period: str, ppn_filed_at: date) -> PeriodView:
        """Hard lock, once the PPN return of the month is filed."""
        ...

    def reopen_period(self, period: str, reason: str) -> PeriodView: ...

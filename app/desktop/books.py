"""The owner's books for the screens (``ui.backend_books.BooksBackend``): expenses and
categories, payables, receivables ageing, the journal, statements, period close and
analytics.

Each method opens a unit of work and calls one use case (``services.expenses``,
``services.payables``, ``services.books``, ``services.analytics``) as whoever is logged in,
and returns its frozen value; the services decide who may. A report on a scope other than
this till reads central through ``services.reports.scope`` (the network: the screens run
the reads on the pool lane); when central cannot be reached it says so and gives this
till's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.desktop.context import DesktopContext, environment_faults, faults
from ui.backend_books import (
    STATEMENT_FORMATS,
    AnalyticsView,
    ExpenseForm,
    ScopeChoices,
    Scoped,
    StoreChoice,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from services.expenses import CategoryView, ExpenseView
    from services.books.ageing import Ageing
    from services.books.periods import PeriodView
    from services.books.statements import JournalPage
    from services.payables import PayableView
    from services.reports.scope import CentralOpener, Scope
    from services.reports.source import ReportSource
    from services.reports.values import Period, TableReport
    from services.selling import Approval
    from ui.backend_books import Statement

T = TypeVar("T")
#: The cash book's account when none is chosen: the drawer's cash.
CASH_ACCOUNT = "1-1100"


class BooksAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    # --- helpers ---------------------------------------------------------------------
    def _scoped(self, scope: Scope, name: str, period: Period | None,
                compute: Callable[[Connection, ReportSource], T],
                report_of: Callable[[T], TableReport]) -> Scoped[T]:
        """``compute`` for ``scope`` through services.reports.scope.run_scoped: this
        till's database, or central for the shop or one store (this till's own central
        role), falling back to this till's figures, saying why, when central cannot be
        read. Owners only (services.reports.access's rule)."""
        from services.reports.access import READER_ROLE
        from services.reports.scope import run_scoped
        from services.users import require
        require(self._ctx.require_actor(), READER_ROLE, "the books")
        opener = self._opener() if scope.central else None
        got: list[T] = []

        def runner(conn: Connection, _name: str, _period: Period | None, *,
                   source: ReportSource, **_decrypt: object) -> TableReport:
            value = compute(conn, source)
            got.append(value)
            return report_of(value)

        with faults(f"the {name} report"), self._ctx.shop.uow(write=False) as uow:
            read = run_scoped(uow.conn, name, period, scope, central=opener, runner=runner)
        return Scoped(got[-1], read)

    def _opener(self) -> CentralOpener | None:
        """This till's own central role, or None when it is not enrolled (psycopg and the
        keyring load here, on the pool lane, when a central scope is first chosen)."""
        from app.reports_central import till_opener
        return till_opener(self._ctx.shop)

    # --- reads -----------------------------------------------------------------------
    @environment_faults
    def today(self) -> date:
        from services.reports import local_source, today
        return self._ctx.read(lambda uow: today(local_source(uow.conn)))

    @environment_faults
    def scope_choices(self) -> ScopeChoices:
        from app.reports_central import store_choices
        from services.reports.scope import CentralOffline
        from services.reports.scope import Scope as ScopeValue
        from services.errors import Refused
        opener = self._opener()
        if opener is None:
            return ScopeChoices(False, note="this till is not connected to a central database")
        try:
            with opener(ScopeValue.tenant(), self._ctx.info.timezone) as read:
                stores = store_choices(read.conn)
        except (CentralOffline, Refused) as exc:
            return ScopeChoices(True, note=str(exc))
        return ScopeChoices(True, tuple(StoreChoice(s.store_id, s.code, s.name)
                                        for s in stores))

    # --- expenses --------------------------------------------------------------------
    @environment_faults
    def categories(self, *, active_only: bool = True) -> tuple[CategoryView, ...]:
        from services.expenses import expense_categories
        return tuple(self._ctx.read(lambda uow: expense_categories(
            uow.conn, active_only=active_only)))

    @environment_faults
    def add_category(self, code: str, name: str) -> CategoryView:
        from services.expenses import add_category
        return self._ctx.act(lambda uow, actor: add_category(uow, actor, code=code,
                                                             name=name))

    @environment_faults
    def record_expense(self, form: ExpenseForm) -> ExpenseView:
        from services.expenses import record_expense
        return self._ctx.act(lambda uow, actor: record_expense(
            uow, actor, category=form.category, payee=form.payee, amount=form.amount,
            paid_from=form.paid_from, note=form.note, receipt_photo=form.receipt_photo,
            due_date=form.due_date, spent_on=form.spent_on))

    @environment_faults
    def expenses(self, *, since: date | None = None, until: date | None = None,
                 category: str | None = None) -> tuple[ExpenseView, ...]:
        from services.expenses import list_expenses
        self._ctx.require_actor()
        return tuple(self._ctx.read(lambda uow: list_expenses(
            uow.conn, since=since, until=until, category=category)))

    @environment_faults
    def cash_out_expense(self, category: str, amount: int, note: str,
                         approval: Approval | None = None) -> None:
        from services.shifts import move_cash
        config = self._ctx.config
        self._ctx.act(lambda uow, actor: move_cash(uow, config, actor, "cash_out", amount,
                                                   note, approval=approval,
                                                   category=category))

    # --- payables --------------------------------------------------------------------
    @environment_faults
    def payables(self, *, open_only: bool = True) -> tuple[PayableView, ...]:
        from services.payables import list_payables
        self._ctx.require_actor()
        return tuple(self._ctx.read(lambda uow: list_payables(uow.conn,
                                                              open_only=open_only)))

    @environment_faults
    def pay_payable(self, payable_id: str, amount: int, paid_from: str) -> PayableView:
        from services.payables import pay_payable
        return self._ctx.act(lambda uow, actor: pay_payable(
            uow, actor, payable_id, amount=amount, paid_from=paid_from))

    # --- reports on a scope ----------------------------------------------------------
    @environment_faults
    def ageing(self, as_of: date, scope: Scope) -> Scoped[Ageing]:
        from services.books.ageing import receivables_ageing
        return self._scoped(scope, "ageing", None, lambda conn, src: receivables_ageing(
            conn, as_of, source=src), _report)

    @environment_faults
    def journal(self, scope: Scope, *, period: Period | None = None,
                account: str | None = None, kind: str | None = None,
                text: str | None = None, limit: int = 200) -> Scoped[JournalPage]:
        from services.books.statements import journal_page
        return self._scoped(scope, "journal", period, lambda conn, src: journal_page(
            conn, period=period, account=account, kind=kind, text=text, limit=limit,
            source=src), _report)

    @environment_faults
    def statement(self, kind: str, period: Period, scope: Scope, *,
                  account: str | None = None) -> Scoped[Statement]:
        from services.books import statements as st
        from services.errors import BadInput
        runs: dict[str, Callable[[Connection, ReportSource], Statement]] = {
            "pnl": lambda conn, src: st.profit_and_loss(conn, period, source=src),
            "balance-sheet": lambda conn, src: st.balance_sheet(conn, period.last,
                                                                source=src),
            "trial-balance": lambda conn, src: st.trial_balance(conn, period, source=src),
            "cashbook": lambda conn, src: st.cash_book(conn, period,
                                                       account or CASH_ACCOUNT, source=src),
        }
        run = runs.get(kind)
        if run is None:
            raise BadInput(f"no statement '{kind}'", field="statement")
        return self._scoped(scope, kind, period, run, _report)

    @environment_faults
    def export_statement(self, report: TableReport, fmt: str, path: str,
                         lang: str = "id") -> str:
        """CSV, HTML or PDF (the Reports screen's PDF: ``app.reports_pdf``, with the
        store's header and its clock), written aside and renamed: never half a file."""
        from services.errors import BadInput
        from services.reports.export import to_csv, to_html
        from services.store_settings import read_store_settings
        if fmt not in STATEMENT_FORMATS:
            raise BadInput(f"format must be one of {', '.join(STATEMENT_FORMATS)}",
                           field="format")
        target = Path(path)
        if not target.parent.is_dir():
            raise BadInput("the folder does not exist", field="path")
        title = report.title(lang)
        note = None if report.period is None else report.period.label()
        if fmt == "csv":
            data = to_csv(report, lang).encode("utf-8-sig")  # Excel reads it
        elif fmt == "html":
            data = to_html(report, title, lang, note).encode("utf-8")
        else:
            from app.reports_pdf import to_pdf  # reportlab loads only when a PDF is asked
            store = self._ctx.read(lambda uow: read_store_settings(uow.conn))
            data = to_pdf(report, title, lang, note, shop_name=store.store_name,
                          zone_name=self._ctx.info.timezone, address=store.address,
                          npwp=store.npwp)
        part = target.with_name(target.name + ".part")
        try:
            part.write_bytes(data)
            part.replace(target)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise BadInput(f"the file cannot be written ({exc.strerror})",
                           field="path") from None
        return str(target)

    @environment_faults
    def analytics(self, period: Period, scope: Scope) -> Scoped[AnalyticsView]:
        return self._scoped(scope, "analytics", period,
                            lambda conn, src: _analytics(conn, period, src),
                            AnalyticsView.report)

    # --- period close ----------------------------------------------------------------
    @environment_faults
    def periods(self) -> tuple[PeriodView, ...]:
        from services.books.periods import period_status
        self._ctx.require_actor()
        return tuple(self._ctx.read(lambda uow: period_status(uow.conn)))

    @environment_faults
    def close_period(self, period: str) -> PeriodView:
        from services.books.periods import close_period
        return self._ctx.act(lambda uow, actor: close_period(uow, actor, period))

    @environment_faults
    def lock_period(self, period: str, ppn_filed_at: date) -> PeriodView:
        from services.books.periods import lock_period
        return self._ctx.act(lambda uow, actor: lock_period(uow, actor, period,
                                                            ppn_filed_at=ppn_filed_at))

    @environment_faults
    def reopen_period(self, period: str, reason: str) -> PeriodView:
        from services.books.periods import reopen_period
        return self._ctx.act(lambda uow, actor: reopen_period(uow, actor, period, reason))


def _analytics(conn: Connection, period: Period, src: ReportSource) -> AnalyticsView:
    from services import analytics as an
    return AnalyticsView(
        trend=an.revenue_trend(conn, period, grain="day", source=src),
        heatmap=an.hour_heatmap(conn, period, source=src),
        baskets=an.basket_stats(conn, period, source=src),
        products=an.product_ranking(conn, period, source=src),
        repeat=an.repeat_customers(conn, period, source=src),
        cashiers=an.cashier_sales(conn, period, source=src))


def _report(value: Any) -> TableReport:
    """A statement's table form (every books value has ``report()``)."""
    report: TableReport = value.report()
    return report

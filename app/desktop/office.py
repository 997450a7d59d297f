"""The owner's back office for the screens (``ui.backend_office.OfficeBackend``): dashboard,
reports, products and stock, users and PINs, store settings and credentials.

Each method opens a unit of work, calls one use case with whoever is logged in, and returns
its frozen value; the services decide every right and run every query. Credentials go to
the secret store (``app.secrets``: the OS keyring, a demo shop's labelled file).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection

from app.desktop import office_files
from app.desktop.context import DesktopContext, environment_faults
from local_db.uow import UnitOfWork
from services import credentials, reports, stock
from services import users as people
from services.catalogue import CatalogueChoices, ProductForm, catalogue_choices, save_product_form
from services.catalogue_csv import ImportSummary, import_catalogue_file
from services.catalogue_query import ProductRow, list_products
from services.credentials import SecretStore, SettingsView
from services.reports import Dashboard, Period, ReportSpec
from services.reports.scope import Scope, ScopedReport
from services.stock import GoodsReceived, MovementResult, ReceiveLineForm
from services.store_settings import StoreSettings, read_store_settings, save_store_settings
from services.users import Actor, UserRow
from ui.backend_books import Scoped
from ui.backend_office import ReportPreview

P = ParamSpec("P")
R = TypeVar("R")


class OfficeAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    def _write(self, use_case: Callable[Concatenate[UnitOfWork, Actor, P], R],
               *args: P.args, **kwargs: P.kwargs) -> R:
        """One use case as whoever is logged in, in its own writing unit of work."""
        return self._ctx.act(lambda uow, actor: use_case(uow, actor, *args, **kwargs))

    def _read(self, query: Callable[Concatenate[Connection, Actor, P], R],
              *args: P.args, **kwargs: P.kwargs) -> R:
        """One query as whoever is logged in (the query decides what they may see)."""
        actor = self._ctx.require_actor()
        return self._ctx.read(lambda uow: query(uow.conn, actor, *args, **kwargs))

    # --- products and stock -----------------------------------------------------------
    @environment_faults
    def catalogue_choices(self) -> CatalogueChoices:
        with self._ctx.shop.uow(write=False) as uow:
            return catalogue_choices(uow.conn)

    @environment_faults
    def products(self, text: str = "", category: str | None = None, low_only: bool = False,
                 limit: int = 500) -> list[ProductRow]:
        with self._ctx.shop.uow(write=False) as uow:
            return list_products(uow.conn, text=text, category=category, low_only=low_only,
                                 limit=limit)

    @environment_faults
    def save_product(self, form: ProductForm, *, new: bool) -> ProductRow:
        return self._write(save_product_form, form, new=new)

    @environment_faults
    def import_csv(self, path: str) -> ImportSummary:
        self._ctx.require_actor()
        return self._write(import_catalogue_file, office_files.read_csv_file(path))

    @environment_faults
    def receive_goods(self, supplier: str, lines: Sequence[ReceiveLineForm], *,
                      paid_from: str = "payable", document_no: str = "") -> GoodsReceived:
        return self._write(stock.receive_goods_form, supplier=supplier, lines=lines,
                           paid_from=paid_from, document_no=document_no)

    @environment_faults
    def adjust_stock(self, code: str, qty: str, *, add: bool, reason: str,
                     waste: bool = False) -> MovementResult:
        return self._write(stock.adjust_stock_form, code, qty, add=add, reason=reason,
                           waste=waste)

    @environment_faults
    def count_stock(self, code: str, counted: str, reason: str) -> MovementResult:
        return self._write(stock.count_stock_form, code, counted, reason)

    # --- users ------------------------------------------------------------------------
    @environment_faults
    def users(self) -> list[UserRow]:
        return self._read(people.list_users)

    @environment_faults
    def add_user(self, name: str, role: str, pin: str) -> UserRow:
        made = self._write(people.create_user, name=name, role=role, pin=pin)
        return UserRow(made.id, made.name, made.role, False, 0)

    @environment_faults
    def change_role(self, user_id: str, role: str) -> None:
        self._write(people.change_role, user_id, role)

    @environment_faults
    def change_pin(self, user_id: str, pin: str) -> None:
        self._write(people.change_pin, user_id, pin)

    @environment_faults
    def unlock_user(self, user_id: str) -> None:
        self._write(people.unlock_user, user_id)

    # --- settings and credentials -----------------------------------------------------
    def _secrets(self) -> SecretStore:
        # Imported here: keyring and the secret store are not needed to start the till.
        from app.secrets import secret_store_for
        return secret_store_for(self._ctx.shop)

    @environment_faults
    def settings(self) -> SettingsView:
        return self._read(credentials.settings_view, self._secrets())

    @environment_faults
    def save_settings(self, values: StoreSettings) -> SettingsView:
        self._write(save_store_settings, values)
        self._ctx.reload()  # the till prices with the new PKP and rounding from now on
        return self.settings()

    @environment_faults
    def set_credential(self, key: str, value: str) -> SettingsView:
        from sync.central import connect  # psycopg loads only when a credential is set
        self._write(credentials.set_credential, self._secrets(), key, value, dsns=connect)
        return self.settings()

    @environment_faults
    def clear_credential(self, key: str) -> SettingsView:
        self._write(credentials.clear_credential, self._secrets(), key)
        return self.settings()

    # --- dashboard and reports --------------------------------------------------------
    @environment_faults
    def today(self) -> date:
        with self._ctx.shop.uow(write=False) as uow:
            return reports.today(reports.local_source(uow.conn))

    def _scoped(self, name: str, period: Period | None, scope: Scope | None) -> ScopedReport:
        """A catalogue report for ``scope`` (services.reports.scope.run_scoped): this till's
        database, or central as this till's own role for the shop or a store, falling back
        to this till's figures (saying why) when central cannot be read. Owners only."""
        from services.reports.access import READER_ROLE
        from services.reports.scope import Scope as ScopeValue
        from services.reports.scope import run_scoped
        people.require(self._ctx.require_actor(), READER_ROLE, "reports")
        scope = scope or ScopeValue.till()
        opener = None
        if scope.central:
            from app.reports_central import till_opener
            opener = till_opener(self._ctx.shop)
        with self._ctx.shop.uow(write=False) as uow:
            return run_scoped(uow.conn, name, period, scope, central=opener)

    @environment_faults
    def dashboard(self, day: date | None = None, scope: Scope | None = None) -> Dashboard:
        if scope is None or not scope.central:
            return self._read(reports.dashboard_for, day)
        read = self._scoped("dashboard", None if day is None else Period.day(day), scope)
        assert isinstance(read.report, Dashboard)
        return read.report

    @environment_faults
    def dashboard_scoped(self, day: date | None, scope: Scope) -> Scoped[Dashboard]:
        read = self._scoped("dashboard", None if day is None else Period.day(day), scope)
        assert isinstance(read.report, Dashboard)
        return Scoped(read.report, read)

    def report_kinds(self) -> list[ReportSpec]:
        from services.reports.catalogue import all_reports
        return list(all_reports().values())

    @environment_faults
    def report(self, key: str, start: date, end: date,
               scope: Scope | None = None) -> ReportPreview:
        read = self._scoped(key, Period(start, end), scope)
        return ReportPreview(key, start, end, reports.tables_of(read.report), read)

    @environment_faults
    def export_report(self, key: str, start: date, end: date, fmt: str, path: str,
                      lang: str = "id") -> str:
        office_files.check_export(fmt, path)
        period = Period(start, end)
        report = self._scoped(key, period, None).report
        store = self._ctx.read(lambda uow: read_store_settings(uow.conn))
        return office_files.write_report(report, key, period, fmt, path, lang, store,
                                         self._ctx.info.timezone)

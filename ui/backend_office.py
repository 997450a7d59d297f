"""The owner's back office: dashboard, reports, products and stock, users and PINs, store settings and credentials.

What the screens of this area need from the shop, as a Protocol (``backend.office``,
implemented by ``app/desktop/office.py``). Every method may touch the database or the
network unless its docstring says otherwise, so the screens call them only through
:mod:`ui.tasks`: reads on ``Lane.POOL``, writes on ``Lane.WRITER``.

What crosses are the services' own frozen values (``services.catalogue_query.ProductRow``,
``services.reports.Dashboard``...); only :class:`ReportPreview` is the screens' own.
Rights are checked by the services (the screens only hide what a role cannot use).
Refusals arrive as ``services.errors`` exceptions whose ``field`` names the culprit; the
screens show the message beside that field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from services.catalogue import CatalogueChoices, ProductForm
from services.catalogue_csv import ImportSummary
from services.catalogue_query import ProductRow
from services.credentials import SettingsView
from services.reports import Dashboard, ReportSpec, Table
from services.reports.scope import Scope, ScopedReport
from ui.backend_books import Scoped
from services.stock import GoodsReceived, MovementResult, ReceiveLineForm
from services.store_settings import StoreSettings
from services.users import UserRow


@dataclass(frozen=True, slots=True)
class ReportPreview:
    """A report as the reports screen previews it: its tables, and what was asked."""

    key: str
    start: date
    end: date  # excluded
    tables: tuple[Table, ...]
    #: Where the figures come from (this till or central), as of when, and a fall-back to
    #: this till's figures with its reason (services.reports.scope).
    scoped: ScopedReport | None = None


#: Formats the report screen exports to.
EXPORT_FORMATS = ("csv", "html", "pdf")


class OfficeBackend(Protocol):
    # products and stock (supervisor and owner)
    def catalogue_choices(self) -> CatalogueChoices: ...

    def products(self, text: str = "", category: str | None = None,
                 low_only: bool = False, limit: int = 500) -> list[ProductRow]: ...

    def save_product(self, form: ProductForm, *, new: bool) -> ProductRow: ...

    def import_csv(self, path: str) -> ImportSummary: ...

    def receive_goods(self, supplier: str, lines: Sequence[ReceiveLineForm], *,
                      paid_from: str = "payable", document_no: str = "") -> GoodsReceived: ...

    def adjust_stock(self, code: str, qty: str, *, add: bool, reason: str,
                     waste: bool = False) -> MovementResult: ...

    def count_stock(self, code: str, counted: str, reason: str) -> MovementResult: ...

    # users (owner)
    def users(self) -> list[UserRow]: ...

    def add_user(self, name: str, role: str, pin: str) -> UserRow: ...

    def change_role(self, user_id: str, role: str) -> None: ...

    def change_pin(self, user_id: str, pin: str) -> None: ...

    def unlock_user(self, user_id: str) -> None: ...

    # settings and credentials (owner)
    def settings(self) -> SettingsView: ...

    def save_settings(self, values: StoreSettings) -> SettingsView: ...

    def set_credential(self, key: str, value: str) -> SettingsView: ...

    def clear_credential(self, key: str) -> SettingsView: ...

    # dashboard and reports (owner)
    def today(self) -> date:
        """Today in the shop's time zone (setting ``timezone``), not the computer's."""
        ...

    def dashboard(self, day: date | None = None, scope: Scope | None = None) -> Dashboard:
        """The dashboard of ``day`` for ``scope`` (default this till; the whole shop or a
        store read from central, this till's figures when central cannot be read)."""
        ...

    def dashboard_scoped(self, day: date | None, scope: Scope) -> Scoped[Dashboard]:
        """The dashboard for ``scope`` with where its figures come from and as of when
        (this till's, with the reason, when central cannot be read)."""
        ...

    def report_kinds(self) -> list[ReportSpec]:
        """The reports there are: services.reports.catalogue (pure: no database)."""
        ...

    def report(self, key: str, start: date, end: date,
               scope: Scope | None = None) -> ReportPreview:
        """``end`` excluded (a one-day report: end = start + 1 day). ``scope``: this till
        (default), the whole shop or one store (read from central; see ``scoped``)."""
        ...

    def export_report(self, key: str, start: date, end: date, fmt: str, path: str,
                      lang: str = "id") -> str:
        """Write the report to ``path`` as csv, html or pdf; returns the path written."""
        ...

"""The owner's back office: dashboard, reports, products and stock, users and PINs, store settings and credentials.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_office.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`: reads on
``Lane.POOL``, writes on ``Lane.WRITER``.

Rights are checked by the services (the screens only hide what a role cannot use).
Refusals arrive as ``services.errors`` exceptions whose ``field`` names the culprit; the
screens show the message beside that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

# --- products and stock ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductRow:
    """One product as the back office lists it, with its stock level."""

    id: str
    sku: str
    name: str
    category: str | None
    unit: str
    price: int
    cost: int
    tax_class: str
    tracks_stock: bool
    low_stock_milli: int
    active: bool
    barcodes: tuple[str, ...]
    level_milli: int

    @property
    def low(self) -> bool:
        return self.tracks_stock and (self.level_milli <= self.low_stock_milli
                                      or self.level_milli < 0)


@dataclass(frozen=True, slots=True)
class ProductForm:
    """A product as typed into the edit form: text, parsed and checked by the services
    (so a bad price comes back as BadInput with field "price")."""

    sku: str
    name: str
    price: str
    cost: str = "0"
    unit: str = "pcs"
    category: str = ""
    tax_class: str = "PPN"
    barcodes: str = ""  # separated by spaces, commas or "|"
    tracks_stock: bool = True
    low_stock: str = "0"  # reorder point, in the product's unit
    active: bool = True


@dataclass(frozen=True, slots=True)
class CatalogueChoices:
    """What the product form's drop-downs offer."""

    categories: tuple[str, ...]
    tax_classes: tuple[str, ...]
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportLineError:
    line: int
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """A CSV import: either everything went in (``errors`` empty) or nothing did."""

    created: int
    updated: int
    errors: tuple[ImportLineError, ...]


@dataclass(frozen=True, slots=True)
class ReceiveLineForm:
    code: str  # SKU or barcode
    qty: str
    unit_cost: str


@dataclass(frozen=True, slots=True)
class ReceiptDone:
    receipt_id: str
    lines: int
    total_cost: int


@dataclass(frozen=True, slots=True)
class StockMoved:
    sku: str
    change_milli: int
    level_milli: int
    value: int


# --- users ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserRow:
    id: str
    name: str
    role: str
    locked: bool
    failed_pins: int


# --- settings and credentials -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreSettingsView:
    """The store settings (services.store_settings.StoreSettings, as the screens see it)."""

    store_name: str
    address: str
    npwp: str
    pkp: bool
    rounding_unit: int
    rounding_mode: str
    receipt_header: str
    receipt_footer: str
    printer_kind: str
    printer_target: str
    paper_mm: int
    drawer: bool
    language: str


@dataclass(frozen=True, slots=True)
class CredentialState:
    """Whether one credential is set. The value itself never crosses to the screens."""

    key: str  # one of CREDENTIAL_KEYS
    is_set: bool


#: The credentials the settings screen takes: Midtrans server and client keys, the central
#: database's connection string (stored without its password) and password.
CREDENTIAL_KEYS = ("midtrans_server_key", "midtrans_client_key", "central_dsn",
                   "central_password")


@dataclass(frozen=True, slots=True)
class OfficeSettings:
    store: StoreSettingsView
    credentials: tuple[CredentialState, ...]
    #: Choices the form offers (from the service's own rules).
    printer_kinds: tuple[str, ...]
    paper_widths: tuple[int, ...]
    rounding_units: tuple[int, ...]
    rounding_modes: tuple[str, ...]
    languages: tuple[str, ...]
    #: Why the secret store cannot be used (no secure keyring...), or None when it can.
    keyring_problem: str | None = None


# --- dashboard and reports --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """A labelled amount (a payment method's takings, a product's sales...)."""

    label: str
    amount: int
    count: int = 0  # sales, or quantity in milli-units for products


@dataclass(frozen=True, slots=True)
class LowStockRow:
    sku: str
    name: str
    unit: str
    level_milli: int
    low_stock_milli: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    """One day at a glance (services.reports.Dashboard, as the screens see it)."""

    day: date
    sales_count: int
    sales_total: int  # what customers paid, cash rounding included
    average_sale: int
    refunds_count: int
    refunds_total: int
    by_hour: tuple[int, ...]  # 24 amounts, hour 0..23 in the shop's time zone
    by_hour_count: tuple[int, ...]  # 24 sale counts
    payment_mix: tuple[Figure, ...]  # label = method code, largest first
    top_products: tuple[Figure, ...]  # label = product name, count = qty in milli-units
    low_stock: tuple[LowStockRow, ...]
    kasbon_outstanding: int
    kasbon_customers: int


@dataclass(frozen=True, slots=True)
class ReportKind:
    key: str
    title_id: str
    title_en: str
    takes_period: bool  # False: a "now" report (stock, kasbon); the dates are ignored
    single_day: bool  # True: only the first date counts (the dashboard)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_id


@dataclass(frozen=True, slots=True)
class ReportColumn:
    title_id: str
    title_en: str
    kind: str  # text, money (rupiah), qty (milli), int, percent (basis points), flag, date

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_id


@dataclass(frozen=True, slots=True)
class ReportTable:
    """One table of a report, with raw cell values (formatted by the screen per kind)."""

    title_id: str
    title_en: str
    columns: tuple[ReportColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    totals: tuple[object, ...] | None

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_id


@dataclass(frozen=True, slots=True)
class ReportPreview:
    key: str
    start: date
    end: date  # excluded
    tables: tuple[ReportTable, ...]


#: Formats the report screen exports to.
EXPORT_FORMATS = ("csv", "html", "pdf")


class OfficeBackend(Protocol):
    # products and stock (supervisor and owner)
    def office_catalogue_choices(self) -> CatalogueChoices: ...

    def office_products(self, text: str = "", category: str | None = None,
                        low_only: bool = False, limit: int = 500) -> list[ProductRow]: ...

    def office_save_product(self, form: ProductForm, *, new: bool) -> ProductRow: ...

    def office_import_csv(self, path: str) -> ImportOutcome: ...

    def office_receive_goods(self, supplier: str, lines: list[ReceiveLineForm], *,
                             paid_from: str = "payable",
                             document_no: str = "") -> ReceiptDone: ...

    def office_adjust_stock(self, code: str, qty: str, *, add: bool, reason: str,
                            waste: bool = False) -> StockMoved: ...

    def office_count_stock(self, code: str, counted: str, reason: str) -> StockMoved: ...

    # users (owner)
    def office_users(self) -> list[UserRow]: ...

    def office_add_user(self, name: str, role: str, pin: str) -> UserRow: ...

    def office_change_role(self, user_id: str, role: str) -> None: ...

    def office_change_pin(self, user_id: str, pin: str) -> None: ...

    def office_unlock_user(self, user_id: str) -> None: ...

    # settings and credentials (owner)
    def office_settings(self) -> OfficeSettings: ...

    def office_save_settings(self, values: StoreSettingsView) -> OfficeSettings: ...

    def office_set_credential(self, key: str, value: str) -> OfficeSettings: ...

    def office_clear_credential(self, key: str) -> OfficeSettings: ...

    # dashboard and reports (owner)
    def office_today(self) -> date:
        """Today in the shop's time zone (setting ``timezone``), not the computer's."""
        ...

    def office_dashboard(self, day: date | None = None) -> Dashboard: ...

    def office_report_kinds(self) -> list[ReportKind]: ...

    def office_report(self, key: str, start: date, end: date) -> ReportPreview:
        """``end`` excluded (a one-day report: end = start + 1 day)."""
        ...

    def office_export_report(self, key: str, start: date, end: date, fmt: str, path: str,
                             lang: str = "id") -> str:
        """Write the report to ``path`` as csv, html or pdf; returns the path written."""
        ...

"""The values the reports return (frozen dataclasses), and their generic table form
(:class:`Table`; ``services.reports.tables.tables_of`` turns a report into tables).

Money: integer rupiah. Quantities: integer thousandths (``qty_milli``). Dates: the shop's
local dates (``datetime.date``). Hours: 0..23 in the shop's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from services.errors import BadInput
from services.formatting import period_text

ColumnKind = Literal["text", "money", "qty", "int", "percent", "flag", "date", "method"]


# --- the generic form every report can take (for export, PDF and previews) -------------

@dataclass(frozen=True, slots=True)
class Column:
    """One column of a :class:`Table`: a key, its titles in Bahasa Indonesia and English,
    and what kind of value it holds (how to format and align it).

    Cell values by kind: text -> str; money -> int rupiah; qty -> int thousandths;
    int -> int; percent -> int basis points (1234 = 12,34 %) or None; flag -> bool;
    date -> ``datetime.date``; method -> a payment method's code (``cash``: machine exports
    keep the code, people read ``Tunai``)."""

    key: str
    title_id: str
    title_en: str
    kind: ColumnKind = "text"

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id


class Words(str):
    """A text cell in Bahasa Indonesia that knows its English (a statement's row label,
    a kind of cash movement). It *is* the Indonesian text (compares, sorts, serialises to
    JSON and CSV as it); ``services.reports.export.display_value`` shows :attr:`en` to
    people reading English."""

    en: str

    def __new__(cls, id_text: str, en_text: str | None = None) -> Words:
        made = super().__new__(cls, id_text)
        made.en = id_text if en_text is None else en_text
        return made

    def text(self, lang: str = "id") -> str:
        return self.en if lang == "en" else str(self)

    def __reduce__(self) -> tuple[type[Words], tuple[str, str]]:
        return (Words, (str(self), self.en))


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table: columns, rows (tuples in column order) and an optional totals row
    (same shape; None in cells that have no total)."""

    key: str
    title_id: str
    title_en: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    totals: tuple[Any, ...] | None = None

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id


# --- inputs ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Period:
    """Shop-local dates ``[start, end)``: ``start`` included, ``end`` excluded."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise BadInput("the end date must be after the start date", field="to")
        if (self.end - self.start).days > 3660:
            raise BadInput("a report covers at most ten years", field="to")

    @classmethod
    def day(cls, d: date) -> Period:
        return cls(d, d + timedelta(days=1))

    @classmethod
    def parse(cls, start: str, end: str | None = None) -> Period:
        """``YYYY-MM-DD`` texts; no ``end`` means the one day ``start``."""
        def one(text: str, name: str) -> date:
            try:
                return date.fromisoformat(text.strip())
            except ValueError:
                raise BadInput("a date is written YYYY-MM-DD", field=name) from None
        first = one(start, "from")
        return cls(first, one(end, "to")) if end else cls.day(first)

    @property
    def last(self) -> date:
        """The last day included."""
        return self.end - timedelta(days=1)

    def label(self) -> str:
        """``01-11-2026 – 30-11-2026`` (last day included), or the one day, as the shop
        writes dates (services.formatting)."""
        return period_text(self.start, self.last)

    def days(self) -> tuple[date, ...]:
        return tuple(self.start + timedelta(days=i) for i in range((self.end - self.start).days))


# --- dashboard -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HourSales:
    hour: int  # 0..23, shop-local
    sales_count: int
    amount: int  # sum of payable


@dataclass(frozen=True, slots=True)
class MethodTotal:
    method: str  # cash, kasbon, edc, qris, gopay, shopeepay, va_* ...
    count: int  # payments
    amount: int  # rupiah received by that method (change already deducted)


@dataclass(frozen=True, slots=True)
class TopProduct:
    product_id: str
    sku: str
    name: str
    unit: str
    qty_milli: int  # sold
    amount: int  # gross of the lines, PPN included, after discounts


@dataclass(frozen=True, slots=True)
class StockRow:
    product_id: str
    sku: str
    name: str
    unit: str
    level_milli: int  # sum of the movements
    low_stock_milli: int  # the product's reorder point
    cost: int  # current unit cost
    value: int  # level x cost, rupiah (negative levels count as 0)
    negative: bool
    low: bool  # level <= reorder point (or <= the report's threshold), and not negative


@dataclass(frozen=True, slots=True)
class Dashboard:
    day: date
    sales_count: int
    sales_total: int  # payable, rounding included
    average_sale: int  # sales_total // sales_count (0 without sales)
    refunds_count: int
    refunds_total: int
    by_hour: tuple[HourSales, ...]  # always 24 rows, hour 0..23
    payment_mix: tuple[MethodTotal, ...]  # largest amount first
    top_products: tuple[TopProduct, ...]  # by amount, at most ``top``
    low_stock: tuple[StockRow, ...]  # negative first, then lowest level
    kasbon_outstanding: int  # total owed by customers
    kasbon_customers: int  # how many owe something


# --- sales summary ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DaySales:
    day: date  # shop-local
    sales_count: int
    sales: int  # sum of payable (what customers paid, rounding included)
    refunds_count: int
    refunds: int  # sum of refund gross
    net: int  # sales - refunds
    ppn: int  # PPN of the sales minus PPN of the refunds
    revenue: int  # net of PPN: sales' net_total minus refunds' net (DPP)
    discounts: int  # discount_total of the sales
    rounding: int  # cash rounding of the sales (+ the shop received more)
    by_method: Mapping[str, int]  # payments by method, rupiah


@dataclass(frozen=True, slots=True)
class SalesSummary:
    period: Period
    days: tuple[DaySales, ...]  # one per day of the period, days without sales included
    methods: tuple[str, ...]  # every method that appears, sorted
    totals: DaySales  # ``day`` = period.start


# --- product sales ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProductSalesRow:
    product_id: str
    sku: str
    name: str  # as printed on the latest sale line
    unit: str
    qty_milli: int  # sold minus refunded
    amount: int  # gross (PPN included) minus refunds
    revenue: int  # net of PPN minus refunds
    cost: int  # COGS at the cost recorded on the lines, minus refunded cost
    margin: int  # revenue - cost
    margin_bp: int | None  # margin / revenue in basis points; None when revenue is 0


@dataclass(frozen=True, slots=True)
class ProductSales:
    period: Period
    rows: tuple[ProductSalesRow, ...]  # largest amount first
    qty_milli: int
    amount: int
    revenue: int
    cost: int
    margin: int


# --- stock -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StockLevels:
    rows: tuple[StockRow, ...]  # every active product that tracks stock, by SKU
    negative_count: int
    low_count: int
    value: int  # sum of row values


# --- kasbon ----------------------------------------------------------------------------

def customer_ref(customer_id: str) -> str:
    """A customer's short reference for people: the last 8 hex digits of the id, upper
    case (``01a2511b-c08b-745a-b9eb-3d54330465c0`` -> ``330465C0``). The ids are UUIDv7,
    whose first digits are the time they were made (customers created together share
    them); the last ones are random, so they tell customers apart, and the full id (in the
    JSON export) ends with them."""
    return customer_id.replace("-", "")[-8:].upper()


@dataclass(frozen=True, slots=True)
class KasbonRow:
    customer_id: str
    label: str  # the name on the till; on central "Pelanggan <ref>" (see below)
    name_known: bool  # False when the label is not the customer's name
    balance: int  # owed, > 0
    credit_limit: int
    over_limit: bool
    #: masked ("+62 ••• 7890") when the caller could decrypt it (it holds the data key),
    #: else None; the plain number never leaves the report query.
    phone: str | None = None

    @property
    def ref(self) -> str:
        """The short reference people read instead of the id (:func:`customer_ref`)."""
        return customer_ref(self.customer_id)


@dataclass(frozen=True, slots=True)
class KasbonOutstanding:
    """Who owes kasbon. Central holds customers' names only as ciphertext (the data key
    stays on the tills); unless the caller passes a way to decrypt them, central rows are
    labelled with a short customer id and ``name_known`` is False."""

    rows: tuple[KasbonRow, ...]  # largest balance first
    total: int
    customers: int


@dataclass(frozen=True, slots=True)
class TableReport:
    """A report that is its tables: the books' statements, tax, analytics. Statement values
    keep their figures as fields (for tests and screens) and give one of these for export,
    PDF and previews. ``as_of``: when the figures are as of (central reads say so)."""

    name: str
    title_id: str
    title_en: str
    period: Period | None
    tables: tuple[Table, ...]
    as_of: str | None = None
    notes: tuple[str, ...] = ()

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id


Report = (Dashboard | SalesSummary | ProductSales | StockLevels | KasbonOutstanding
          | TableReport)


# --- the registry the Reports screen and the CLI use ----------------------------------

@dataclass(frozen=True, slots=True)
class ReportSpec:
    name: str  # dashboard | sales | products | stock | kasbon
    title_id: str
    title_en: str
    takes_period: bool  # False: "now" (stock, kasbon) — a period is ignored
    single_day: bool = False  # dashboard: the period's first day
    # A report of now that may also be asked "as of" a past day (the balance sheet,
    # receivables ageing, payables): it gets a one-day period, that day.
    as_of: bool = False

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id


REPORTS: Mapping[str, ReportSpec] = {s.name: s for s in (
    ReportSpec("dashboard", "Ringkasan hari ini", "Today's dashboard", True, single_day=True),
    ReportSpec("sales", "Penjualan harian", "Sales by day", True),
    ReportSpec("products", "Penjualan per produk", "Sales by product", True),
    ReportSpec("stock", "Stok", "Stock levels", False),
    ReportSpec("kasbon", "Kasbon belum lunas", "Kasbon outstanding", False),
)}


"""Sales broken down: by category (with gross profit), by payment method, by hour of the
day, and stock movements by kind — one SQLAlchemy Core code path for the till's SQLite and
central's PostgreSQL (over a :class:`ReportSource`), each a frozen value with
``.report()`` and an entry of :data:`REPORTS` for the catalogue
(``services.reports.catalogue``).

Conventions as ``services.reports.queries``: money integer rupiah, quantities thousandths,
shares basis points (half up); refunds count on the day they were made and are taken off
the category they were sold in (quantity, amount, revenue, cost). Sales per cashier is
``services.analytics.cashier_sales`` (report ``cashiers``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, and_, case, func, select

from services.analytics import _lines_of_sales, _sales_in, _sibling, _sum
from services.errors import BadInput
from services.formatting import ratio_bp
from services.reports.source import ReportSource, local_source
from services.reports.values import Column, Period, ReportSpec, Table, TableReport, Words

NO_CATEGORY_ID, NO_CATEGORY_EN = "Tanpa kategori", "No category"


def _src(conn: Connection, source: ReportSource | None) -> ReportSource:
    return source if source is not None else local_source(conn)


# --- by category, with gross profit ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class CategoryRow:
    category_id: str | None
    name: str
    qty_milli: int
    amount: int  # gross (PPN included) minus refunds
    revenue: int  # net of PPN minus refunds
    cost: int  # COGS at the lines' cost minus refunded cost
    margin: int  # revenue - cost: gross profit
    margin_bp: int | None


@dataclass(frozen=True, slots=True)
class CategorySales:
    period: Period
    rows: tuple[CategoryRow, ...]  # largest amount first
    amount: int
    revenue: int
    cost: int
    margin: int

    def report(self, name: str = "sales-by-category") -> TableReport:
        cols = (Column("name", "Kategori", "Category"),
                Column("qty_milli", "Qty", "Qty", "qty"),
                Column("amount", "Penjualan", "Sales amount", "money"),
                Column("revenue", "Pendapatan (DPP)", "Revenue excl. VAT", "money"),
                Column("cost", "HPP", "COGS", "money"),
                Column("margin", "Laba kotor", "Gross profit", "money"),
                Column("margin_bp", "Margin %", "Margin %", "percent"))
        label = self.period.label()
        title = (("Laba kotor per kategori", "Gross profit by category")
                 if name == "gross-profit" else
                 ("Penjualan per kategori", "Sales by category"))
        return TableReport(
            name, title[0], title[1], self.period,
            (Table("by_category", f"{title[0]} {label}", f"{title[1]} {label}", cols,
                   tuple((r.name, r.qty_milli, r.amount, r.revenue, r.cost, r.margin,
                          r.margin_bp) for r in self.rows),
                   (None, None, self.amount, self.revenue, self.cost, self.margin,
                    ratio_bp(self.margin, self.revenue))),))


def category_sales(conn: Connection, period: Period, *, source: ReportSource | None = None
                   ) -> CategorySales:
    """Per product category (the product's category now; none: ``Tanpa kategori``):
    quantity, amount, revenue, cost and gross profit of the period's sales, the period's
    refunds taken off."""
    src = _src(conn, source)
    ln, r, rl, p = src.sale_line, src.refund, src.refund_line, src.product
    cat = _sibling(src, "category")
    on_product = and_(p.c.id == ln.c.product_id, src.same_tenant(p, ln))
    figures = (_sum(ln.c.qty_milli), _sum(ln.c.gross), _sum(ln.c.net), _sum(ln.c.cost))
    sold = conn.execute(
        select(p.c.category_id, *figures)
        .select_from(_lines_of_sales(src).outerjoin(p, on_product))
        .where(_sales_in(src, period.start, period.end))
        .group_by(p.c.category_id)).all()
    back = conn.execute(
        select(p.c.category_id, _sum(rl.c.qty_milli), _sum(rl.c.gross), _sum(rl.c.net),
               _sum(rl.c.cost))
        .select_from(rl.join(r, and_(r.c.id == rl.c.refund_id, src.same_tenant(r, rl)))
                     .join(ln, and_(ln.c.id == rl.c.sale_line_id, src.same_tenant(ln, rl)))
                     .outerjoin(p, on_product))
        .where(src.scope(r), src.in_range(r.c.created_at, period.start, period.end))
        .group_by(p.c.category_id)).all()
    names: dict[str, str] = {}
    if cat is not None:
        ids = {str(x[0]) for x in (*sold, *back) if x[0] is not None}
        if ids:
            q = select(cat.c.id, cat.c.name).where(cat.c.id.in_(sorted(ids)))
            if src.engine == "central":
                q = q.where(cat.c.tenant_id == func.central.current_tenant())
            names = {str(i): str(n) for i, n in conn.execute(q)}
    acc: dict[str | None, list[int]] = {}
    for row, sign in [(x, 1) for x in sold] + [(x, -1) for x in back]:
        key = None if row[0] is None else str(row[0])
        cur = acc.setdefault(key, [0, 0, 0, 0])
        for i, v in enumerate(row[1:5]):
            cur[i] += sign * int(v)
    rows = [CategoryRow(k, names.get(k, "?") if k is not None else NO_CATEGORY_ID,
                        qty, amount, revenue, cost, revenue - cost,
                        ratio_bp(revenue - cost, revenue))
            for k, (qty, amount, revenue, cost) in acc.items()]
    rows.sort(key=lambda x: (-x.amount, x.name))
    return CategorySales(period, tuple(rows), sum(x.amount for x in rows),
                         sum(x.revenue for x in rows), sum(x.cost for x in rows),
                         sum(x.margin for x in rows))


# --- by payment method -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MethodRow:
    method: str
    payments: int
    amount: int  # received by that method (change already deducted)
    share_bp: int | None


@dataclass(frozen=True, slots=True)
class MethodSales:
    period: Period
    rows: tuple[MethodRow, ...]  # largest amount first
    payments: int
    amount: int

    def report(self) -> TableReport:
        cols = (Column("method", "Metode", "Method", "method"),
                Column("payments", "Pembayaran", "Payments", "int"),
                Column("amount", "Jumlah", "Amount", "money"),
                Column("share_bp", "Porsi", "Share", "percent"))
        label = self.period.label()
        return TableReport(
            "sales-by-method", "Penjualan per metode bayar", "Sales by payment method",
            self.period,
            (Table("by_method", f"Penjualan per metode bayar {label}",
                   f"Sales by payment method {label}", cols,
                   tuple((r.method, r.payments, r.amount, r.share_bp) for r in self.rows),
                   (None, self.payments, self.amount, None)),))


def method_sales(conn: Connection, period: Period, *, source: ReportSource | None = None
                 ) -> MethodSales:
    src = _src(conn, source)
    s, pay = src.sale, src.payment
    got = conn.execute(
        select(pay.c.method, func.count(), _sum(pay.c.amount))
        .select_from(pay.join(s, and_(s.c.id == pay.c.sale_id, src.same_tenant(s, pay))))
        .where(_sales_in(src, period.start, period.end))
        .group_by(pay.c.method)).all()
    total = sum(int(a) for _m, _n, a in got)
    rows = sorted((MethodRow(str(m), int(n), int(a), ratio_bp(int(a), total))
                   for m, n, a in got), key=lambda x: (-x.amount, x.method))
    return MethodSales(period, tuple(rows), sum(x.payments for x in rows), total)


# --- by hour of the day ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HourRow:
    hour: int  # 0..23, shop-local
    sales_count: int
    amount: int


@dataclass(frozen=True, slots=True)
class HourlySales:
    period: Period
    rows: tuple[HourRow, ...]  # always 24
    sales_count: int
    amount: int

    def report(self) -> TableReport:
        cols = (Column("hour", "Jam", "Hour", "int"),
                Column("sales_count", "Transaksi", "Sales", "int"),
                Column("amount", "Jumlah", "Amount", "money"))
        label = self.period.label()
        # key by_hour: the PDF draws its bar chart beside the hours that had sales
        return TableReport(
            "sales-by-hour", "Penjualan per jam", "Sales by hour", self.period,
            (Table("by_hour", f"Penjualan per jam {label}", f"Sales by hour {label}", cols,
                   tuple((r.hour, r.sales_count, r.amount) for r in self.rows),
                   (None, self.sales_count, self.amount)),))


def hourly_sales(conn: Connection, period: Period, *, source: ReportSource | None = None
                 ) -> HourlySales:
    src = _src(conn, source)
    s = src.sale
    hour = src.local_hour(s.c.created_at, period.start).label("hour")
    got = {int(h): (int(n), int(a)) for h, n, a in conn.execute(
        select(hour, func.count(), _sum(s.c.payable))
        .where(_sales_in(src, period.start, period.end)).group_by(hour))}
    rows = tuple(HourRow(h, *got.get(h, (0, 0))) for h in range(24))
    return HourlySales(period, rows, sum(x.sales_count for x in rows),
                       sum(x.amount for x in rows))


# --- stock movements -------------------------------------------------------------------

#: A movement's kind in words (the ledger keeps the key; a kind not listed shows as it is).
MOVEMENT_KINDS: dict[str, Words] = {
    "sale": Words("Penjualan", "Sale"), "refund": Words("Retur", "Refund"),
    "receipt": Words("Barang masuk", "Goods received"),
    "adjust": Words("Penyesuaian", "Adjustment"), "waste": Words("Rusak/dibuang", "Waste"),
    "count": Words("Stok opname", "Stock count"), "void": Words("Batal", "Void"),
}

@dataclass(frozen=True, slots=True)
class MovementRow:
    kind: str  # sale | refund | receipt | adjust | waste | count ...
    movements: int
    qty_in_milli: int
    qty_out_milli: int  # as a positive number


@dataclass(frozen=True, slots=True)
class StockMovements:
    period: Period
    rows: tuple[MovementRow, ...]  # by kind
    movements: int
    qty_in_milli: int
    qty_out_milli: int

    def report(self) -> TableReport:
        cols = (Column("kind", "Jenis", "Kind"),
                Column("movements", "Mutasi", "Movements", "int"),
                Column("qty_in_milli", "Masuk", "In", "qty"),
                Column("qty_out_milli", "Keluar", "Out", "qty"))
        label = self.period.label()
        return TableReport(
            "stock-movements", "Mutasi stok", "Stock movements", self.period,
            (Table("stock_movements", f"Mutasi stok {label}", f"Stock movements {label}",
                   cols, tuple((MOVEMENT_KINDS.get(r.kind, r.kind), r.movements,
                                r.qty_in_milli, r.qty_out_milli)
                               for r in self.rows),
                   (None, self.movements, self.qty_in_milli, self.qty_out_milli)),))


def stock_movements(conn: Connection, period: Period, *, source: ReportSource | None = None
                    ) -> StockMovements:
    """Movements of the period by kind: how many, the quantity in and out."""
    src = _src(conn, source)
    m = src.stock_movement
    qty_in = _sum(case((m.c.qty_milli > 0, m.c.qty_milli), else_=0))
    qty_out = _sum(case((m.c.qty_milli < 0, -m.c.qty_milli), else_=0))
    got = conn.execute(
        select(m.c.kind, func.count(), qty_in, qty_out)
        .where(src.scope(m), src.in_range(m.c.created_at, period.start, period.end))
        .group_by(m.c.kind).order_by(m.c.kind)).all()
    rows = tuple(MovementRow(str(k), int(n), int(i), int(o)) for k, n, i, o in got)
    return StockMovements(period, rows, sum(x.movements for x in rows),
                          sum(x.qty_in_milli for x in rows),
                          sum(x.qty_out_milli for x in rows))


# --- the catalogue's entries -----------------------------------------------------------

Runner = Callable[[Connection, "Period | None", ReportSource], TableReport]


def _runner(make: Callable[[Connection, Period, ReportSource], TableReport]) -> Runner:
    def run(conn: Connection, period: Period | None, source: ReportSource) -> TableReport:
        if period is None:
            raise BadInput("this report needs a date range", field="from")
        return make(conn, period, source)
    return run


def _entries() -> Mapping[str, tuple[ReportSpec, Runner]]:
    made: list[tuple[ReportSpec, Runner]] = [
        (ReportSpec("sales-by-category", "Penjualan per kategori", "Sales by category", True),
         _runner(lambda c, p, s: category_sales(c, p, source=s).report())),
        (ReportSpec("gross-profit", "Laba kotor per kategori", "Gross profit by category",
                    True),
         _runner(lambda c, p, s: category_sales(c, p, source=s).report("gross-profit"))),
        (ReportSpec("sales-by-method", "Penjualan per metode bayar",
                    "Sales by payment method", True),
         _runner(lambda c, p, s: method_sales(c, p, source=s).report())),
        (ReportSpec("sales-by-hour", "Penjualan per jam", "Sales by hour", True),
         _runner(lambda c, p, s: hourly_sales(c, p, source=s).report())),
        (ReportSpec("stock-movements", "Mutasi stok", "Stock movements", True),
         _runner(lambda c, p, s: stock_movements(c, p, source=s).report())),
    ]
    return {spec.name: (spec, run) for spec, run in made}


REPORTS: Mapping[str, tuple[ReportSpec, Runner]] = _entries()

__all__ = [
    "REPORTS", "CategoryRow", "CategorySales", "HourRow", "HourlySales", "MethodRow",
    "MethodSales", "MovementRow", "StockMovements", "category_sales", "hourly_sales",
    "method_sales", "stock_movements",
]

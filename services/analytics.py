"""Analytics: trends and shapes of the shop's sales, one SQLAlchemy Core code path for the
till's SQLite and the central PostgreSQL (over a :class:`ReportSource`, like
``services.reports.queries``).

- :func:`revenue_trend`: sales, refunds and net per shop-local day (week, month) with the
  7- and 28-day moving averages of net sales, made by window functions over a calendar of
  every day (days without sales count as 0, the 27 days before the period feed the first
  averages), and the change against the previous period of the same length.
- :func:`hour_heatmap`: sales by hour of the week (Monday 00 .. Sunday 23, the store's
  time zone).
- :func:`basket_stats`: sales, their average value, lines and items per basket.
- :func:`product_ranking`: top and bottom products by amount (a window ranks them).
- :func:`repeat_customers`: of the customers who bought in the period, how many bought
  more than once.
- :func:`cashier_sales`: sales, amount and average basket per cashier.

Every value is frozen and gives its tables with ``.report()``; :data:`REPORTS` lists them
for the report catalogue (``services.reports.catalogue``).

Speed: every query first asks :func:`services.analytics_summary.summaries_for` whether
the per-day summaries (kept by triggers, migrations 0004 and c0007) may answer for the
period, scope and zone; they give the very same figures as the raw rows (tests compare
both on generated histories), a year in milliseconds. Otherwise the raw rows are read.

Rounding: averages are integer rupiah rounded half up once, from integer sums the database
made (window SUMs, never AVGs in floating point); shares and changes are basis points
(``services.formatting.ratio_bp``). A change is 0 when either side is 0
(definitions.md, daily summary).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Connection,
    String,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from services.analytics_summary import Indexed, Summaries, summaries_for, whole_months
from services.errors import BadInput
from services.formatting import ratio_bp
from services.reports.source import ReportSource, local_source
from services.reports.values import Column, Period, ReportSpec, Table, TableReport, Words

Grain = Literal["day", "week", "month"]
#: Days before a period that feed its first 28-day averages.
LOOKBACK_DAYS = 27
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def average(total: int, count: int) -> int:
    """``total / count`` in whole rupiah, half up (the one rounding point); 0 for none."""
    if count == 0:
        return 0
    q, r = divmod(abs(total), abs(count))  # integers: exact, and 20x faster than Decimal
    q += 2 * r >= abs(count)  # half away from zero, as Decimal's ROUND_HALF_UP
    return q if (total >= 0) == (count > 0) else -q


def change_bp(current: int, previous: int) -> int:
    """Period-over-period change in basis points (1250 = +12,50 %); 0 when either side
    is 0 (there is nothing to compare)."""
    if current == 0 or previous == 0:
        return 0
    bp = ratio_bp(current - previous, previous)
    return 0 if bp is None else bp


def _src(conn: Connection, source: ReportSource | None) -> ReportSource:
    return source if source is not None else local_source(conn)


def _sum(col: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


def _sales_in(src: ReportSource, start: date, end: date) -> ColumnElement[bool]:
    s = src.sale
    return and_(src.scope(s), src.in_range(s.c.created_at, start, end))


def _lines_of_sales(src: ReportSource) -> FromClause:
    s, ln = src.sale, src.sale_line
    return ln.join(s, and_(s.c.id == ln.c.sale_id, src.same_tenant(s, ln)))


def _sibling(src: ReportSource, name: str) -> FromClause | None:
    """Another table of the source's schema (the till's ``user``, central's ``users``):
    found in the metadata the sale table belongs to, so services never import central's
    schema module."""
    metadata = getattr(src.sale, "metadata", None)
    if metadata is None:
        return None
    tables: Mapping[str, FromClause] = metadata.tables
    for key in (name, f"central.{name}"):
        if key in tables:
            return tables[key]
    return None


def _period_required(period: Period | None) -> Period:
    if period is None:
        raise BadInput("this report needs a date range", field="from")
    return period


# --- revenue by day, week, month, with moving averages ---------------------------------

@dataclass(frozen=True, slots=True)
class RevenuePoint:
    start: date  # the day, or the first day of the week (Monday) or month in the period
    sales_count: int
    sales: int  # sum of payable
    refunds: int  # refund gross, on the day of the refund
    net: int  # sales - refunds
    ma7: int  # day grain: average net of the 7 days ending this day (0 otherwise)
    ma28: int  # day grain: average net of the 28 days ending this day


@dataclass(frozen=True, slots=True)
class RevenueTrend:
    period: Period
    grain: Grain
    points: tuple[RevenuePoint, ...]
    sales_count: int
    sales: int
    refunds: int
    net: int
    previous: Period  # the same number of days just before
    previous_sales_count: int
    previous_net: int
    net_change_bp: int  # 0 when either side is 0
    count_change_bp: int

    def report(self) -> TableReport:
        day = self.grain == "day"
        cols = (Column("start", "Tanggal" if day else "Mulai", "Date" if day else "From",
                       "date"),
                Column("sales_count", "Transaksi", "Sales", "int"),
                Column("sales", "Penjualan", "Sales amount", "money"),
                Column("refunds", "Retur", "Refunds", "money"),
                Column("net", "Bersih", "Net", "money"),
                *((Column("ma7", "Rata-rata 7 hari", "7-day average", "money"),
                   Column("ma28", "Rata-rata 28 hari", "28-day average", "money"))
                  if day else ()))
        rows = tuple((p.start, p.sales_count, p.sales, p.refunds, p.net,
                      *((p.ma7, p.ma28) if day else ())) for p in self.points)
        totals = (None, self.sales_count, self.sales, self.refunds, self.net,
                  *((None, None) if day else ()))
        word = {"day": ("harian", "by day"), "week": ("mingguan", "by week"),
                "month": ("bulanan", "by month")}[self.grain]
        label = self.period.label()
        trend = Table(f"revenue_{self.grain}", f"Pendapatan {word[0]} {label}",
                      f"Revenue {word[1]} {label}", cols, rows, totals)
        compare = Table(
            "period_over_period", "Dibanding periode sebelumnya",
            "Against the previous period",
            (Column("what", "Ukuran", "Measure"),
             Column("current", "Periode ini", "This period", "int"),
             Column("previous", f"Sebelumnya ({self.previous.label()})",
                    f"Previous ({self.previous.label()})", "int"),
             Column("change_bp", "Perubahan", "Change", "percent")),
            (("Penjualan bersih (Rp)", self.net, self.previous_net, self.net_change_bp),
             ("Transaksi", self.sales_count, self.previous_sales_count,
              self.count_change_bp)))
        name = {"day": "revenue", "week": "revenue-weekly", "month": "revenue-monthly"}
        return TableReport(name[self.grain],
                           f"Pendapatan {word[0]}", f"Revenue {word[1]}", self.period,
                           (trend, compare))


def _in_days(col: ColumnElement[Any], start: date, end: date) -> ColumnElement[bool]:
    """A summary's ``YYYY-MM-DD`` (or ``YYYY-MM``) key inside ``[start, end)``."""
    width = 7 if getattr(col, "name", "") == "month" else 10
    return and_(col >= start.isoformat()[:width], col < end.isoformat()[:width])


def _daily_from_summary(src: ReportSource, sm: Summaries, start: date, end: date
                        ) -> FromClause:
    h = sm.hour
    return (select(h.c.day.label("day"), func.sum(h.c.sales_amount).label("sales"),
                   func.sum(h.c.refund_amount).label("refunds"),
                   func.sum(h.c.sales_count).label("n"))
            .where(src.scope(h), _in_days(h.c.day, start, end))
            .group_by(h.c.day)).subquery("daily")


def _daily_rows(conn: Connection, src: ReportSource, start: date, end: date,
                shown_from: date) -> list[tuple[date, int, int, int, int, int]]:
    """(day, sales count, sales, refunds, 7-day net sum, 28-day net sum) for every day
    in ``[shown_from, end)``, the windows fed from ``start``."""
    sm = summaries_for(conn, src, start, end)
    daily = (_daily_from_summary(src, sm, start, end) if sm is not None
             else _daily_from_rows(src, start, end))
    cal = _calendar(start, end)
    sales = func.coalesce(daily.c.sales, 0)
    refunds = func.coalesce(daily.c.refunds, 0)
    net = sales - refunds
    windowed = (select(cal.c.column1.label("day"), func.coalesce(daily.c.n, 0).label("n"),
                       sales.label("sales"), refunds.label("refunds"),
                       func.sum(net).over(order_by=cal.c.column1, rows=(-6, 0)).label("w7"),
                       func.sum(net).over(order_by=cal.c.column1, rows=(-27, 0)).label("w28"))
                .select_from(cal.outerjoin(daily, daily.c.day == cal.c.column1))
                ).subquery("windowed")
    q = (select(windowed).where(windowed.c.day >= shown_from.isoformat())
         .order_by(windowed.c.day))
    return [(date.fromisoformat(str(d)), int(n), int(sa), int(rf), int(w7), int(w28))
            for d, n, sa, rf, w7, w28 in conn.execute(q)]


def _daily_from_rows(src: ReportSource, start: date, end: date) -> FromClause:
    s, r = src.sale, src.refund
    money = BigInteger()
    sold = (select(src.local_day(s.c.created_at, start, end).label("day"),
                   cast(s.c.payable, money).label("sales"),
                   cast(literal(0), money).label("refunds"),
                   cast(literal(1), money).label("n"))
            .where(_sales_in(src, start, end)))
    back = (select(src.local_day(r.c.created_at, start, end),
                   cast(literal(0), money), cast(r.c.gross, money), cast(literal(0), money))
            .where(src.scope(r), src.in_range(r.c.created_at, start, end)))
    both = union_all(sold, back).subquery("moves")
    return (select(both.c.day, func.sum(both.c.sales).label("sales"),
                   func.sum(both.c.refunds).label("refunds"), func.sum(both.c.n).label("n"))
            .group_by(both.c.day)).subquery("daily")


def _calendar(start: date, end: date) -> Any:
    """Every day of ``[start, end)`` as ``YYYY-MM-DD`` text in column ``column1`` (the
    name SQLite and PostgreSQL both give a VALUES list's first column). The dates are
    written into the SQL text (digits and dashes made from ``date`` objects, nothing from
    outside): a year of them as bind parameters cost SQLAlchemy 80 ms to compile."""
    days = ", ".join(f"('{(start + timedelta(days=i)).isoformat()}')"
                     for i in range((end - start).days))
    return text(f"VALUES {days}").columns(column("column1", String)).cte("cal")


def _bucket(d: date, grain: Grain) -> date:
    if grain == "week":
        return d - timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    return d


def revenue_trend(conn: Connection, period: Period, *, grain: Grain = "day",
                  source: ReportSource | None = None) -> RevenueTrend:
    """Sales, refunds and net per day (or week from Monday, or calendar month; a bucket
    cut by the period counts only its days inside), with the 7- and 28-day moving averages
    of net per day, and the change against the previous period of as many days."""
    if grain not in ("day", "week", "month"):
        raise BadInput("grain is day, week or month", field="grain")
    src = _src(conn, source)
    length = period.end - period.start
    previous = Period(period.start - length, period.start)
    feed_from = min(previous.start, period.start - timedelta(days=LOOKBACK_DAYS))
    rows = _daily_rows(conn, src, feed_from, period.end, previous.start)
    cur = [x for x in rows if x[0] >= period.start]
    before = [x for x in rows if x[0] < period.start]
    points: dict[date, list[int]] = {}
    for d, n, sa, rf, w7, w28 in cur:
        b = points.setdefault(_bucket(d, grain), [0, 0, 0, 0, 0])
        b[0] += n
        b[1] += sa
        b[2] += rf
        if grain == "day":
            b[3], b[4] = average(w7, 7), average(w28, 28)
    pts = tuple(RevenuePoint(start=k, sales_count=v[0], sales=v[1], refunds=v[2],
                             net=v[1] - v[2], ma7=v[3], ma28=v[4])
                for k, v in sorted(points.items()))
    n_now = sum(p.sales_count for p in pts)
    net_now = sum(p.net for p in pts)
    n_prev = sum(x[1] for x in before)
    net_prev = sum(x[2] - x[3] for x in before)
    return RevenueTrend(
        period=period, grain=grain, points=pts, sales_count=n_now,
        sales=sum(p.sales for p in pts), refunds=sum(p.refunds for p in pts), net=net_now,
        previous=previous, previous_sales_count=n_prev, previous_net=net_prev,
        net_change_bp=change_bp(net_now, net_prev), count_change_bp=change_bp(n_now, n_prev))


# --- hour-of-week heatmap --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HeatCell:
    weekday: int  # 0 Monday .. 6 Sunday, shop-local
    hour: int  # 0..23, shop-local
    sales_count: int
    amount: int  # sum of payable


@dataclass(frozen=True, slots=True)
class HourHeatmap:
    period: Period
    timezone: str
    cells: tuple[HeatCell, ...]  # always 7 x 24, Monday 00 first
    sales_count: int
    amount: int

    def cell(self, weekday: int, hour: int) -> HeatCell:
        return self.cells[weekday * 24 + hour]

    def report(self) -> TableReport:
        cols = (Column("weekday", "Hari", "Day"), Column("hour", "Jam", "Hour", "int"),
                Column("sales_count", "Transaksi", "Sales", "int"),
                Column("amount", "Jumlah", "Amount", "money"))
        rows = tuple((Words(WEEKDAYS_ID[c.weekday], WEEKDAYS_EN[c.weekday]), c.hour,
                      c.sales_count, c.amount)
                     for c in self.cells if c.sales_count or c.amount)
        label = self.period.label()
        return TableReport(
            "heatmap", "Penjualan per jam dalam seminggu", "Sales by hour of the week",
            self.period,
            (Table("heatmap", f"Penjualan per jam dalam seminggu {label}",
                   f"Sales by hour of the week {label}", cols, rows,
                   (None, None, self.sales_count, self.amount)),),
            notes=(f"Zona waktu toko / store time zone: {self.timezone}",))


def hour_heatmap(conn: Connection, period: Period, *, source: ReportSource | None = None
                 ) -> HourHeatmap:
    """Sales count and amount per (weekday, hour) in the store's time zone. The database
    groups by local day and hour; the days fold into weekdays here (at most 24 rows a
    day), so both engines share one query."""
    src = _src(conn, source)
    s = src.sale
    sm = summaries_for(conn, src, period.start, period.end)
    if sm is not None:
        hs = sm.hour
        q = (select(hs.c.day, hs.c.hour, _sum(hs.c.sales_count), _sum(hs.c.sales_amount))
             .where(src.scope(hs), _in_days(hs.c.day, period.start, period.end))
             .group_by(hs.c.day, hs.c.hour))
    else:
        day = src.local_day(s.c.created_at, period.start, period.end).label("day")
        hour = src.local_hour(s.c.created_at, period.start).label("hour")
        q = (select(day, hour, func.count(), _sum(s.c.payable))
             .where(_sales_in(src, period.start, period.end)).group_by(day, hour))
    grid = [[0, 0] for _ in range(7 * 24)]
    for d, h, n, a in conn.execute(q):
        cell = grid[date.fromisoformat(str(d)).weekday() * 24 + int(h)]
        cell[0] += int(n)
        cell[1] += int(a)
    cells = tuple(HeatCell(i // 24, i % 24, n, a) for i, (n, a) in enumerate(grid))
    return HourHeatmap(period, src.timezone, cells, sum(c.sales_count for c in cells),
                       sum(c.amount for c in cells))


# --- basket size -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BasketStats:
    period: Period
    sales_count: int
    amount: int  # sum of payable
    average_basket: int  # amount / sales, half up
    lines: int  # sale lines
    qty_milli: int  # items sold, thousandths
    lines_per_basket_milli: int  # lines / sales, thousandths, half up
    items_per_basket_milli: int  # qty / sales, thousandths (1 item = 1000), half up

    def report(self) -> TableReport:
        cols = (Column("sales_count", "Transaksi", "Sales", "int"),
                Column("amount", "Penjualan", "Sales amount", "money"),
                Column("average_basket", "Rata-rata belanja", "Average basket", "money"),
                Column("lines", "Baris", "Lines", "int"),
                Column("lines_per_basket_milli", "Baris per belanja", "Lines per basket",
                       "qty"),
                Column("qty_milli", "Barang", "Items", "qty"),
                Column("items_per_basket_milli", "Barang per belanja", "Items per basket",
                       "qty"))
        label = self.period.label()
        return TableReport(
            "basket", "Ukuran belanja", "Basket size", self.period,
            (Table("basket", f"Ukuran belanja {label}", f"Basket size {label}", cols,
                   ((self.sales_count, self.amount, self.average_basket, self.lines,
                     self.lines_per_basket_milli, self.qty_milli,
                     self.items_per_basket_milli),)),))


def basket_stats(conn: Connection, period: Period, *, source: ReportSource | None = None
                 ) -> BasketStats:
    src = _src(conn, source)
    s, ln = src.sale, src.sale_line
    sm = summaries_for(conn, src, period.start, period.end)
    if sm is not None:
        hs = sm.hour
        n, amount, lines, qty = conn.execute(
            select(_sum(hs.c.sales_count), _sum(hs.c.sales_amount), _sum(hs.c.line_count),
                   _sum(hs.c.qty_milli))
            .where(src.scope(hs), _in_days(hs.c.day, period.start, period.end))).one()
    else:
        in_period = _sales_in(src, period.start, period.end)
        n, amount = conn.execute(select(func.count(), _sum(s.c.payable))
                                 .where(in_period)).one()
        lines, qty = conn.execute(select(func.count(), _sum(ln.c.qty_milli))
                                  .select_from(_lines_of_sales(src)).where(in_period)).one()
    n, amount, lines, qty = int(n), int(amount), int(lines), int(qty)
    return BasketStats(period, n, amount, average(amount, n), lines, qty,
                       average(lines * 1000, n), average(qty, n))


# --- top and bottom products -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RankedProduct:
    rank: int  # 1 = the most sold (top) or the least sold (bottom)
    product_id: str
    sku: str
    name: str
    unit: str
    qty_milli: int
    amount: int  # gross of the lines (PPN included, after discounts)
    sales_count: int  # sales with this product


@dataclass(frozen=True, slots=True)
class ProductRanking:
    period: Period
    top: tuple[RankedProduct, ...]  # largest amount first
    bottom: tuple[RankedProduct, ...]  # smallest amount first (products that sold)
    products_sold: int  # distinct products with a sale line in the period

    def report(self) -> TableReport:
        cols = (Column("rank", "No.", "No.", "int"), Column("sku", "SKU", "SKU"),
                Column("name", "Nama", "Name"), Column("unit", "Satuan", "Unit"),
                Column("qty_milli", "Qty", "Qty", "qty"),
                Column("amount", "Jumlah", "Amount", "money"),
                Column("sales_count", "Transaksi", "Sales", "int"))

        def rows(xs: tuple[RankedProduct, ...]) -> tuple[tuple[object, ...], ...]:
            return tuple((x.rank, x.sku, x.name, x.unit, x.qty_milli, x.amount,
                          x.sales_count) for x in xs)
        label = self.period.label()
        return TableReport(
            "top-products", "Produk terlaris dan paling sepi",
            "Top and bottom products", self.period,
            (Table("top", f"Produk terlaris {label}", f"Top products {label}", cols,
                   rows(self.top)),
             Table("bottom", "Produk paling sepi (yang terjual)",
                   "Bottom products (of those sold)", cols, rows(self.bottom))),
            notes=(f"Produk terjual / products sold: {self.products_sold}",))


def product_ranking(conn: Connection, period: Period, *, limit: int = 10,
                    source: ReportSource | None = None) -> ProductRanking:
    """The ``limit`` products with the largest and with the smallest amount sold (ties
    broken by SKU): from the summaries when they may answer (two steps, see
    :func:`_ranking_from_summary`), else by two window functions over the raw lines."""
    if limit < 1:
        raise BadInput("must be at least 1", field="limit")
    src = _src(conn, source)
    ln, s = src.sale_line, src.sale
    sm = summaries_for(conn, src, period.start, period.end)
    if sm is not None:
        return _ranking_from_summary(conn, src, sm, period, limit)
    amount = func.sum(ln.c.gross)
    sku = func.max(ln.c.sku)
    per = (select(ln.c.product_id.label("product_id"), sku.label("sku"),
                  func.max(ln.c.name).label("name"), func.max(ln.c.unit).label("unit"),
                  func.sum(ln.c.qty_milli).label("qty"), amount.label("amount"),
                  func.count(func.distinct(s.c.id)).label("n"),
                  func.row_number().over(order_by=(amount.desc(), sku)).label("top"),
                  func.row_number().over(order_by=(amount.asc(), sku)).label("bottom"),
                  func.count().over().label("products"))
           .select_from(_lines_of_sales(src))
           .where(_sales_in(src, period.start, period.end))
           .group_by(ln.c.product_id)).subquery("ranked")
    q = select(per).where((per.c.top <= limit) | (per.c.bottom <= limit))
    top: list[RankedProduct] = []
    bottom: list[RankedProduct] = []
    products = 0
    for r in conn.execute(q):
        products = int(r.products)

        def one(rank: int, r: Any = r) -> RankedProduct:
            return RankedProduct(rank, str(r.product_id), str(r.sku), str(r.name),
                                 str(r.unit), int(r.qty), int(r.amount), int(r.n))
        if int(r.top) <= limit:
            top.append(one(int(r.top)))
        if int(r.bottom) <= limit:
            bottom.append(one(int(r.bottom)))
    top.sort(key=lambda x: x.rank)
    bottom.sort(key=lambda x: x.rank)
    return ProductRanking(period, tuple(top), tuple(bottom), products)


def _product_parts(conn: Connection, src: ReportSource, sm: Summaries, period: Period
                   ) -> list[tuple[FromClause, FromClause, str, date, date]]:
    """(table as summed, table as named, key column, start, end): whole calendar months from the monthly rows, the
    days around them from the daily rows (a sale lies in one day, so its counts add up
    exactly across days and months). On the till, which index each part reads by: the
    day index for days; for months the index when they are a small part of the table's
    months, else none (product order, see :class:`Indexed`)."""
    pd, pm = sm.product_day, sm.product_month
    local = src.engine == "local"
    days = Indexed(pd, "ix_sales_product_day_day") if local else pd
    months = whole_months(period.start, period.end)
    if months is None:
        return [(days, pd, "day", period.start, period.end)]
    month_table: FromClause = pm
    if local:
        first, last = conn.execute(select(func.min(pm.c.month), func.max(pm.c.month))).one()
        span = 1 if first is None else _months_between(str(first), str(last)) + 1
        wanted = _months_between(months[0].isoformat(), months[1].isoformat())
        month_table = Indexed(pm, None if wanted * 4 >= span else
                              "ix_sales_product_month_month")
    parts: list[tuple[FromClause, FromClause, str, date, date]] = [
        (month_table, pm, "month", months[0], months[1])]
    if period.start < months[0]:
        parts.append((days, pd, "day", period.start, months[0]))
    if months[1] < period.end:
        parts.append((days, pd, "day", months[1], period.end))
    return parts


def _key(table: FromClause, key: str) -> ColumnElement[Any]:
    """The day or month column to bound; on a table to be read whole in product order,
    ``key || ''`` so SQLite cannot take the range through the index instead (it
    overlooks ``NOT INDEXED`` in a grouped subquery, and would sort 200,000 rows)."""
    col: ColumnElement[Any] = table.c[key]
    if isinstance(table, Indexed) and table.index is None:
        return col.concat("").label(key)
    return col


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7])


def _ranking_from_summary(conn: Connection, src: ReportSource, sm: Summaries,
                          period: Period, limit: int) -> ProductRanking:
    """The ranking over the summaries, in two steps so the long pass stays small: the
    amount per product (one sum, no text); then the candidates (amount at least the
    ``limit``-th largest, or at most the ``limit``-th smallest: ties included) get their
    quantity, sales, SKU, name and unit (``max`` over their rows, as the raw query takes
    them), found by product key, and are ordered here by (amount, SKU) as the raw
    query's windows do."""
    parts = _product_parts(conn, src, sm, period)
    if src.engine == "central":
        # A year's products (~90,000) grouped and ranked: in memory, not in temporary
        # files (4 MB is PostgreSQL's default); for this transaction only.
        conn.execute(select(func.set_config("work_mem", "64MB", True)))

    def union(*cols: str, only: Any = None) -> FromClause:
        # the candidates' texts read by the plain table: found by product key
        sels = [select(*(t.c[c] for c in ("product_id", *cols)))
                .where(src.scope(t), _in_days(_key(t, key), lo, hi),
                       *([] if only is None else [t.c.product_id.in_(only)]))
                for t, key, lo, hi in ((a if only is None else b, k, x, y)
                                       for a, b, k, x, y in parts)]
        if len(sels) == 1:
            return sels[0].subquery("rows")
        return union_all(*sels).subquery("rows")

    # One part is read straight from its table: SQLite drops a NOT INDEXED when it
    # flattens a subquery into the grouping.
    if len(parts) == 1:
        t, _plain, key, lo0, hi0 = parts[0]
        nums: FromClause = t
        where: list[ColumnElement[bool]] = [src.scope(t), _in_days(_key(t, key), lo0, hi0)]
    else:
        nums, where = union("amount"), []
    per = (select(nums.c.product_id.label("product_id"),
                  func.sum(nums.c.amount).label("amount"))
           .where(*where).group_by(nums.c.product_id)).cte("per")
    hi = (select(per.c.amount).order_by(per.c.amount.desc()).limit(1).offset(limit - 1)
          .scalar_subquery())
    lo = (select(per.c.amount).order_by(per.c.amount.asc()).limit(1).offset(limit - 1)
          .scalar_subquery())
    products = select(func.count()).select_from(per).scalar_subquery()
    cand = (select(per.c.product_id, per.c.amount)
            .where(hi.is_(None) | (per.c.amount >= hi) | (per.c.amount <= lo))
            ).cte("cand")
    texts = union("sku", "name", "unit", "qty_milli", "sales_count",
                  only=select(cand.c.product_id))
    named = (select(texts.c.product_id.label("product_id"),
                    func.max(texts.c.sku).label("sku"), func.max(texts.c.name).label("name"),
                    func.max(texts.c.unit).label("unit"),
                    func.sum(texts.c.qty_milli).label("qty"),
                    func.sum(texts.c.sales_count).label("n"))
             .group_by(texts.c.product_id)).subquery("named")
    q = (select(cand.c.product_id, named.c.sku, named.c.name, named.c.unit, named.c.qty,
                cand.c.amount, named.c.n, products.label("products"))
         .select_from(cand.join(named, named.c.product_id == cand.c.product_id)))
    rows = conn.execute(q).all()
    got = [(str(pid), str(sku), str(name), str(unit), int(qty), int(amount), int(n))
           for pid, sku, name, unit, qty, amount, n, _p in rows]
    count = int(rows[0][7]) if rows else 0  # a product sold is always a candidate
    top = sorted(got, key=lambda r: (-r[5], r[1]))[:limit]
    bottom = sorted(got, key=lambda r: (r[5], r[1]))[:limit]
    return ProductRanking(
        period, tuple(RankedProduct(i, *r) for i, r in enumerate(top, 1)),
        tuple(RankedProduct(i, *r) for i, r in enumerate(bottom, 1)), count)


# --- repeat customers ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RepeatCustomers:
    period: Period
    sales_count: int
    sales_with_customer: int
    customers: int  # distinct customers with a sale in the period
    repeat_customers: int  # of those, with two sales or more
    repeat_rate_bp: int | None  # repeat / customers; None without customers
    known_share_bp: int | None  # sales with a customer / sales

    def report(self) -> TableReport:
        cols = (Column("sales_count", "Transaksi", "Sales", "int"),
                Column("sales_with_customer", "Dengan pelanggan", "With a customer", "int"),
                Column("known_share_bp", "Porsi dikenal", "Known share", "percent"),
                Column("customers", "Pelanggan", "Customers", "int"),
                Column("repeat_customers", "Pelanggan berulang", "Repeat customers", "int"),
                Column("repeat_rate_bp", "Tingkat berulang", "Repeat rate", "percent"))
        label = self.period.label()
        return TableReport(
            "repeat-customers", "Pelanggan berulang", "Repeat customers", self.period,
            (Table("repeat_customers", f"Pelanggan berulang {label}",
                   f"Repeat customers {label}", cols,
                   ((self.sales_count, self.sales_with_customer, self.known_share_bp,
                     self.customers, self.repeat_customers, self.repeat_rate_bp),)),))


def repeat_customers(conn: Connection, period: Period, *,
                     source: ReportSource | None = None) -> RepeatCustomers:
    """Customers named on a sale in the period, and how many of them came back (two sales
    or more in the period). Sales without a customer count only in ``sales_count``."""
    src = _src(conn, source)
    s = src.sale
    in_period = _sales_in(src, period.start, period.end)
    sm = summaries_for(conn, src, period.start, period.end)
    if sm is not None:
        cd, hs = sm.customer_day, sm.hour
        per = (select(cd.c.customer_key.label("customer_id"),
                      func.sum(cd.c.sales_count).label("n"))
               .where(src.scope(cd), _in_days(cd.c.day, period.start, period.end),
                      cd.c.customer_key != "")
               .group_by(cd.c.customer_key)).subquery("visits")
        count_all = (select(_sum(hs.c.sales_count))
                     .where(src.scope(hs), _in_days(hs.c.day, period.start, period.end)))
    else:
        per = (select(s.c.customer_id.label("customer_id"), func.count().label("n"))
               .where(in_period, s.c.customer_id.is_not(None))
               .group_by(s.c.customer_id)).subquery("visits")
        count_all = select(func.count()).where(in_period)
    customers, repeat, with_customer = conn.execute(
        select(func.count(), _sum(case((per.c.n >= 2, 1), else_=0)), _sum(per.c.n))
    ).one()
    (total,) = conn.execute(count_all).one()
    customers, repeat, with_customer, total = (int(customers), int(repeat),
                                               int(with_customer), int(total))
    return RepeatCustomers(period, total, with_customer, customers, repeat,
                           ratio_bp(repeat, customers), ratio_bp(with_customer, total))


# --- sales per cashier -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CashierRow:
    cashier_id: str
    name: str  # the user's name ("?" when the user is unknown to this engine)
    sales_count: int
    amount: int  # sum of payable
    average_basket: int
    share_bp: int | None  # of the period's amount


@dataclass(frozen=True, slots=True)
class CashierSales:
    period: Period
    rows: tuple[CashierRow, ...]  # largest amount first
    sales_count: int
    amount: int

    def report(self) -> TableReport:
        cols = (Column("name", "Kasir", "Cashier"),
                Column("sales_count", "Transaksi", "Sales", "int"),
                Column("amount", "Penjualan", "Sales amount", "money"),
                Column("average_basket", "Rata-rata belanja", "Average basket", "money"),
                Column("share_bp", "Porsi", "Share", "percent"))
        label = self.period.label()
        return TableReport(
            "cashiers", "Penjualan per kasir", "Sales per cashier", self.period,
            (Table("cashiers", f"Penjualan per kasir {label}", f"Sales per cashier {label}",
                   cols, tuple((r.name, r.sales_count, r.amount, r.average_basket, r.share_bp)
                               for r in self.rows),
                   (None, self.sales_count, self.amount,
                    average(self.amount, self.sales_count), None)),))


def cashier_sales(conn: Connection, period: Period, *, source: ReportSource | None = None
                  ) -> CashierSales:
    src = _src(conn, source)
    users = _sibling(src, "user") if src.engine == "local" else _sibling(src, "users")
    sm = summaries_for(conn, src, period.start, period.end)
    if sm is not None:
        got = _cashiers_from_summary(conn, src, sm, users, period)
    else:
        got = _cashiers_from_rows(conn, src, users, period)
    total = sum(int(r[3]) for r in got)
    rows = [CashierRow(str(cid), str(name) if name is not None else "?", int(n), int(a),
                       average(int(a), int(n)), ratio_bp(int(a), total))
            for cid, name, n, a in got]
    rows.sort(key=lambda r: (-r.amount, r.name))
    return CashierSales(period, tuple(rows), sum(r.sales_count for r in rows), total)


def _cashiers_from_summary(conn: Connection, src: ReportSource, sm: Summaries,
                           users: FromClause | None, period: Period) -> list[Any]:
    """(cashier, name, sales, amount): grouped over the daily rows, then named."""
    cd = sm.cashier_day
    per = (select(cd.c.cashier_id.label("cashier_id"),
                  *([cd.c.tenant_id.label("tenant_id")] if src.engine == "central" else []),
                  func.sum(cd.c.sales_count).label("n"),
                  func.sum(cd.c.sales_amount).label("amount"))
           .where(src.scope(cd), _in_days(cd.c.day, period.start, period.end))
           .group_by(cd.c.cashier_id,
                     *([cd.c.tenant_id] if src.engine == "central" else []))
           ).subquery("per")
    if users is None:
        q = select(per.c.cashier_id, literal(None), per.c.n, per.c.amount)
    else:
        on = and_(users.c.id == per.c.cashier_id,
                  *([users.c.tenant_id == per.c.tenant_id] if src.engine == "central"
                    else []))
        q = (select(per.c.cashier_id, users.c.name, per.c.n, per.c.amount)
             .select_from(per.outerjoin(users, on)))
    return list(conn.execute(q).all())


def _cashiers_from_rows(conn: Connection, src: ReportSource, users: FromClause | None,
                        period: Period) -> list[Any]:
    s = src.sale
    amount = _sum(s.c.payable)
    if users is not None:
        on = and_(users.c.id == s.c.cashier_id,
                  *([users.c.tenant_id == s.c.tenant_id] if src.engine == "central" else []))
        q = (select(s.c.cashier_id, func.max(users.c.name), func.count(), amount)
             .select_from(s.outerjoin(users, on)))
    else:
        q = select(s.c.cashier_id, literal(None), func.count(), amount)
    return list(conn.execute(q.where(_sales_in(src, period.start, period.end))
                             .group_by(s.c.cashier_id)).all())


# --- the catalogue's entries -----------------------------------------------------------

Runner = Callable[[Connection, "Period | None", ReportSource], TableReport]


def _runner(make: Callable[[Connection, Period, ReportSource], Any]) -> Runner:
    def run(conn: Connection, period: Period | None, source: ReportSource) -> TableReport:
        report: TableReport = make(conn, _period_required(period), source).report()
        return report
    return run


REPORTS: Mapping[str, tuple[ReportSpec, Runner]] = {spec.name: (spec, run) for spec, run in (
    (ReportSpec("revenue", "Pendapatan harian (rata-rata bergerak)",
                "Revenue by day (moving averages)", True),
     _runner(lambda c, p, s: revenue_trend(c, p, source=s))),
    (ReportSpec("revenue-weekly", "Pendapatan mingguan", "Revenue by week", True),
     _runner(lambda c, p, s: revenue_trend(c, p, grain="week", source=s))),
    (ReportSpec("revenue-monthly", "Pendapatan bulanan", "Revenue by month", True),
     _runner(lambda c, p, s: revenue_trend(c, p, grain="month", source=s))),
    (ReportSpec("heatmap", "Penjualan per jam dalam seminggu", "Sales by hour of the week",
                True),
     _runner(lambda c, p, s: hour_heatmap(c, p, source=s))),
    (ReportSpec("basket", "Ukuran belanja", "Basket size", True),
     _runner(lambda c, p, s: basket_stats(c, p, source=s))),
    (ReportSpec("top-products", "Produk terlaris dan paling sepi", "Top and bottom products",
                True),
     _runner(lambda c, p, s: product_ranking(c, p, source=s))),
    (ReportSpec("repeat-customers", "Pelanggan berulang", "Repeat customers", True),
     _runner(lambda c, p, s: repeat_customers(c, p, source=s))),
    (ReportSpec("cashiers", "Penjualan per kasir", "Sales per cashier", True),
     _runner(lambda c, p, s: cashier_sales(c, p, source=s))),
)}

__all__ = [
    "REPORTS", "BasketStats", "CashierRow", "CashierSales", "HeatCell", "HourHeatmap",
    "ProductRanking", "RankedProduct", "RepeatCustomers", "RevenuePoint", "RevenueTrend",
    "average", "basket_stats", "cashier_sales", "change_bp", "hour_heatmap",
    "product_ranking", "repeat_customers", "revenue_trend",
]

"""The reports: SQLAlchemy Core over a :class:`ReportSource`, one code path for both engines.

Half rupiah: a value from a fractional quantity (stock value = level x cost) is rounded by
``services.money.line_amount`` (``to_rupiah``, half up), the rule the sale lines' amounts and
costs were made with, so every report rounds 289.637,5 and 18.487,5 the same way (up).
Shares (margin %) are rounded half up to the basis point (``services.formatting.ratio_bp``),
never cut.

Each function takes a ``Connection`` (the till's read unit of work, ``uow.conn``, or a
central connection entered as the tenant's owner role) and returns a frozen value. Sums are
made by the database; Python only merges the few result rows into days and products.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from services.crypto import CryptoError
from services.errors import BadInput
from services.formatting import ratio_bp
from services.money import line_amount
from services.reports.source import ReportSource, local_source, zone
from services.reports.values import (
    REPORTS,
    Dashboard,
    DaySales,
    HourSales,
    KasbonOutstanding,
    KasbonRow,
    MethodTotal,
    Period,
    ProductSales,
    ProductSalesRow,
    Report,
    SalesSummary,
    StockLevels,
    StockRow,
    TopProduct,
    customer_ref,
)

#: Turns a central customer's name ciphertext into the name (customer_id, ciphertext); a
#: till that holds the data key can pass one. It raises CryptoError (or ValueError) for a
#: name it cannot open (another till's key): that row keeps its short label.
NameDecryptor = Callable[[str, str], str]


def _sum(col: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


def _src(conn: Connection, source: ReportSource | None) -> ReportSource:
    return source if source is not None else local_source(conn)


def today(source: ReportSource) -> date:
    """Today in the shop's time zone."""
    return datetime.now(zone(source.timezone)).date()


# --- pieces shared by several reports --------------------------------------------------

def _stock_rows(conn: Connection, src: ReportSource, *, only_alerts: bool,
                default_low_milli: int, limit: int | None) -> list[StockRow]:
    p, m = src.product, src.stock_movement
    levels = (select(m.c.product_id.label("product_id"), _sum(m.c.qty_milli).label("level"))
              .where(src.scope(m))
              .group_by(m.c.product_id)).subquery("levels")
    level = func.coalesce(levels.c.level, 0)
    reorder = case((p.c.low_stock_milli > 0, p.c.low_stock_milli), else_=default_low_milli)
    join_on = levels.c.product_id == p.c.id
    q = (select(p.c.id, p.c.sku, p.c.name, p.c.unit, level.label("level"),
                p.c.low_stock_milli, p.c.cost, reorder.label("reorder"))
         .select_from(p.outerjoin(levels, join_on))
         .where(src.live_products()))
    if only_alerts:
        q = q.where((level < 0) | (level <= reorder)).order_by(
            case((level < 0, 0), else_=1), level, p.c.sku)
    else:
        q = q.order_by(p.c.sku)
    if limit is not None:
        q = q.limit(limit)
    out = []
    for r in conn.execute(q):
        lvl, cost = int(r.level), int(r.cost)
        out.append(StockRow(
            product_id=str(r.id), sku=str(r.sku), name=str(r.name), unit=str(r.unit),
            level_milli=lvl, low_stock_milli=int(r.low_stock_milli), cost=cost,
            value=line_amount(cost, max(lvl, 0)), negative=lvl < 0,
            low=lvl >= 0 and lvl <= int(r.reorder)))
    return out


def _kasbon_balances(src: ReportSource) -> Any:
    k = src.kasbon
    return (select(k.c.customer_id.label("customer_id"), func.sum(k.c.amount).label("owed"))
            .where(src.scope(k))
            .group_by(k.c.customer_id)
            .having(func.sum(k.c.amount) > 0)).subquery("owed")


def _sales_in(src: ReportSource, start: date, end: date) -> ColumnElement[bool]:
    s = src.sale
    return and_(src.scope(s), src.in_range(s.c.created_at, start, end))


def _refunds_in(src: ReportSource, start: date, end: date) -> ColumnElement[bool]:
    r = src.refund
    return and_(src.scope(r), src.in_range(r.c.created_at, start, end))


def _payments_join(src: ReportSource) -> Any:
    s, pay = src.sale, src.payment
    return pay.join(s, and_(s.c.id == pay.c.sale_id, src.same_tenant(s, pay)))


# --- dashboard -------------------------------------------------------------------------

def dashboard(conn: Connection, day: date | None = None, *, source: ReportSource | None = None,
              top: int = 10, low_stock_limit: int = 50, default_low_milli: int = 0
              ) -> Dashboard:
    """Today's (or ``day``'s) figures for the owner's dashboard: sales count and total,
    sales by hour (24 rows), payment-method mix, top products by amount, stock alerts
    (negative, or at/below the reorder point — ``default_low_milli`` stands in for
    products without one) and kasbon outstanding (now, not as of ``day``)."""
    src = _src(conn, source)
    if top < 1 or low_stock_limit < 1:
        raise BadInput("must be at least 1", field="top" if top < 1 else "low_stock_limit")
    d = day or today(src)
    end = Period.day(d).end
    s = src.sale
    in_day = _sales_in(src, d, end)
    count, total = conn.execute(select(func.count(), _sum(s.c.payable)).where(in_day)).one()
    hour = src.local_hour(s.c.created_at, d).label("hour")
    hours = {int(h): (int(n), int(a)) for h, n, a in conn.execute(
        select(hour, func.count(), _sum(s.c.payable)).where(in_day).group_by(hour))}
    pay = src.payment
    mix = [MethodTotal(str(m), int(n), int(a)) for m, n, a in conn.execute(
        select(pay.c.method, func.count(), _sum(pay.c.amount))
        .select_from(_payments_join(src)).where(in_day)
        .group_by(pay.c.method))]
    mix.sort(key=lambda x: (-x.amount, x.method))
    r = src.refund
    r_count, r_total = conn.execute(select(func.count(), _sum(r.c.gross))
                                    .where(_refunds_in(src, d, end))).one()
    ln = src.sale_line
    amount = _sum(ln.c.gross).label("amount")
    tops = [TopProduct(str(row[0]), str(row[1]), str(row[2]), str(row[3]), int(row[4]),
                       int(row[5])) for row in conn.execute(
        select(ln.c.product_id, func.max(ln.c.sku), func.max(ln.c.name), func.max(ln.c.unit),
               _sum(ln.c.qty_milli), amount)
        .select_from(ln.join(s, and_(s.c.id == ln.c.sale_id, src.same_tenant(s, ln))))
        .where(in_day)
        .group_by(ln.c.product_id)
        .order_by(amount.desc(), func.max(ln.c.sku))
        .limit(top))]
    low = _stock_rows(conn, src, only_alerts=True, default_low_milli=default_low_milli,
                      limit=low_stock_limit)
    owed = _kasbon_balances(src)
    k_count, k_total = conn.execute(select(func.count(), _sum(owed.c.owed))).one()
    n, t = int(count), int(total)
    return Dashboard(
        day=d, sales_count=n, sales_total=t, average_sale=t // n if n else 0,
        refunds_count=int(r_count), refunds_total=int(r_total),
        by_hour=tuple(HourSales(h, *hours.get(h, (0, 0))) for h in range(24)),
        payment_mix=tuple(mix), top_products=tuple(tops), low_stock=tuple(low),
        kasbon_outstanding=int(k_total), kasbon_customers=int(k_count))


# --- sales by day ----------------------------------------------------------------------

def sales_summary(conn: Connection, period: Period, *, source: ReportSource | None = None
                  ) -> SalesSummary:
    """Per shop-local day of ``period``: sales, refunds, net, PPN, revenue (DPP),
    discounts, cash rounding, and what came in by each payment method."""
    src = _src(conn, source)
    s, r, pay = src.sale, src.refund, src.payment
    start, end = period.start, period.end
    s_day = src.local_day(s.c.created_at, start, end).label("day")
    sales: dict[str, tuple[Any, ...]] = {str(row[0]): tuple(row) for row in conn.execute(
        select(s_day, func.count(), _sum(s.c.payable), _sum(s.c.tax_total),
               _sum(s.c.net_total), _sum(s.c.discount_total), _sum(s.c.rounding))
        .where(_sales_in(src, start, end)).group_by(s_day))}
    r_day = src.local_day(r.c.created_at, start, end).label("day")
    refunds: dict[str, tuple[Any, ...]] = {str(row[0]): tuple(row) for row in conn.execute(
        select(r_day, func.count(), _sum(r.c.gross), _sum(r.c.tax), _sum(r.c.net))
        .where(_refunds_in(src, start, end)).group_by(r_day))}
    methods: dict[str, dict[str, int]] = {}
    for d, m, a in conn.execute(
            select(s_day, pay.c.method, _sum(pay.c.amount))
            .select_from(_payments_join(src)).where(_sales_in(src, start, end))
            .group_by(s_day, pay.c.method)):
        methods.setdefault(str(d), {})[str(m)] = int(a)
    names = tuple(sorted({m for per in methods.values() for m in per}))

    def day_row(d: date, srow: tuple[Any, ...] | None, rrow: tuple[Any, ...] | None,
                by: Mapping[str, int]) -> DaySales:
        sv: list[int] = [int(v) for v in srow[1:]] if srow else [0] * 6
        rv: list[int] = [int(v) for v in rrow[1:]] if rrow else [0] * 4
        n, paid, tax, net, disc, rnd = sv
        rn, rgross, rtax, rnet = rv
        return DaySales(day=d, sales_count=n, sales=paid, refunds_count=rn, refunds=rgross,
                        net=paid - rgross, ppn=tax - rtax, revenue=net - rnet,
                        discounts=disc, rounding=rnd,
                        by_method={m: by.get(m, 0) for m in names})

    days = tuple(day_row(d, sales.get(d.isoformat()), refunds.get(d.isoformat()),
                         methods.get(d.isoformat(), {})) for d in period.days())
    totals = DaySales(
        day=start, sales_count=sum(x.sales_count for x in days),
        sales=sum(x.sales for x in days), refunds_count=sum(x.refunds_count for x in days),
        refunds=sum(x.refunds for x in days), net=sum(x.net for x in days),
        ppn=sum(x.ppn for x in days), revenue=sum(x.revenue for x in days),
        discounts=sum(x.discounts for x in days), rounding=sum(x.rounding for x in days),
        by_method={m: sum(x.by_method[m] for x in days) for m in names})
    return SalesSummary(period, days, names, totals)


# --- sales by product ------------------------------------------------------------------

def product_sales(conn: Connection, period: Period, *, source: ReportSource | None = None
                  ) -> ProductSales:
    """Per product over ``period``: quantity, amount (PPN included), revenue (DPP), cost of
    goods sold at the cost recorded on each sale line, and margin — refunds made in the
    period taken off (their quantity, amount, revenue and cost)."""
    src = _src(conn, source)
    s, ln, r, rl = src.sale, src.sale_line, src.refund, src.refund_line
    start, end = period.start, period.end
    sold = conn.execute(
        select(ln.c.product_id, func.max(ln.c.sku), func.max(ln.c.name), func.max(ln.c.unit),
               _sum(ln.c.qty_milli), _sum(ln.c.gross), _sum(ln.c.net), _sum(ln.c.cost))
        .select_from(ln.join(s, and_(s.c.id == ln.c.sale_id, src.same_tenant(s, ln))))
        .where(_sales_in(src, start, end))
        .group_by(ln.c.product_id)).all()
    back = conn.execute(
        select(ln.c.product_id, func.max(ln.c.sku), func.max(ln.c.name), func.max(ln.c.unit),
               _sum(rl.c.qty_milli), _sum(rl.c.gross), _sum(rl.c.net), _sum(rl.c.cost))
        .select_from(rl.join(r, and_(r.c.id == rl.c.refund_id, src.same_tenant(r, rl)))
                     .join(ln, and_(ln.c.id == rl.c.sale_line_id, src.same_tenant(ln, rl))))
        .where(_refunds_in(src, start, end))
        .group_by(ln.c.product_id)).all()
    acc: dict[str, list[Any]] = {}
    for row, sign in [(x, 1) for x in sold] + [(x, -1) for x in back]:
        pid = str(row[0])
        cur = acc.setdefault(pid, [str(row[1]), str(row[2]), str(row[3]), 0, 0, 0, 0])
        for i, v in enumerate(row[4:8]):
            cur[3 + i] += sign * int(v)
    rows = []
    for pid, (sku, name, unit, qty, amount, revenue, cost) in acc.items():
        margin = revenue - cost
        rows.append(ProductSalesRow(
            product_id=pid, sku=sku, name=name, unit=unit, qty_milli=qty, amount=amount,
            revenue=revenue, cost=cost, margin=margin,
            margin_bp=ratio_bp(margin, revenue)))
    rows.sort(key=lambda x: (-x.amount, x.sku))
    return ProductSales(
        period=period, rows=tuple(rows), qty_milli=sum(x.qty_milli for x in rows),
        amount=sum(x.amount for x in rows), revenue=sum(x.revenue for x in rows),
        cost=sum(x.cost for x in rows), margin=sum(x.margin for x in rows))


# --- stock -----------------------------------------------------------------------------

def stock_levels(conn: Connection, *, source: ReportSource | None = None,
                 default_low_milli: int = 0) -> StockLevels:
    """Every active product that tracks stock, its level from the movement ledger (on
    central: the movements of the tenant, or of the chosen store/terminal), negative and
    low levels flagged, and the stock's value at current cost."""
    src = _src(conn, source)
    rows = _stock_rows(conn, src, only_alerts=False, default_low_milli=default_low_milli,
                       limit=None)
    return StockLevels(rows=tuple(rows), negative_count=sum(x.negative for x in rows),
                       low_count=sum(x.low for x in rows), value=sum(x.value for x in rows))


# --- kasbon ----------------------------------------------------------------------------

def short_label(customer_id: str) -> str:
    """``Pelanggan 330465C0``: the customer's short reference (not the id's first digits,
    which UUIDv7 customers made the same day share)."""
    return f"Pelanggan {customer_ref(customer_id)}"


def _masked_phone(decrypt_phone: NameDecryptor | None, cid: str, token: Any) -> str | None:
    if decrypt_phone is None or not token:
        return None
    from services.customer_card import mask_phone
    try:
        return mask_phone(decrypt_phone(cid, str(token)))
    except (CryptoError, ValueError):  # a key this till lacks: no phone shown
        return None


def kasbon_outstanding(conn: Connection, *, source: ReportSource | None = None,
                       decrypt_name: NameDecryptor | None = None,
                       decrypt_phone: NameDecryptor | None = None) -> KasbonOutstanding:
    """Every customer who owes kasbon, largest balance first. On the till the label is the
    customer's name; on central (names are ciphertext there) a short id label unless
    ``decrypt_name`` is given. Phones are ciphertext on both engines: a caller holding the
    data key passes ``decrypt_phone`` (customer_id, ciphertext) -> phone, and the rows carry
    it masked (``+62 ••• 7890``, ``services.customer_card.mask_phone``); else None."""
    src = _src(conn, source)
    c = src.customer
    owed = _kasbon_balances(src)
    name = src.customer_name()
    q = (select(owed.c.customer_id, owed.c.owed, name, c.c.credit_limit, c.c.phone_enc)
         .select_from(owed.outerjoin(c, and_(c.c.id == owed.c.customer_id,
                                             *([c.c.tenant_id == func.central.current_tenant()]
                                               if src.engine == "central" else []))))
         .order_by(owed.c.owed.desc(), owed.c.customer_id))
    rows = []
    for cid, balance, raw, limit, phone_enc in conn.execute(q):
        cid = str(cid)
        label, known = short_label(cid), False
        if src.engine == "local" and raw:
            label, known = str(raw), True
        elif raw and decrypt_name is not None:
            try:
                label, known = decrypt_name(cid, str(raw)), True
            except (CryptoError, ValueError):  # a key this till lacks: keep the label
                pass
        lim = int(limit or 0)
        rows.append(KasbonRow(cid, label, known, int(balance), lim,
                              lim > 0 and int(balance) > lim,
                              _masked_phone(decrypt_phone, cid, phone_enc)))
    return KasbonOutstanding(tuple(rows), sum(x.balance for x in rows), len(rows))


# --- by name ---------------------------------------------------------------------------

def run_report(conn: Connection, name: str, period: Period | None = None, *,
               source: ReportSource | None = None, decrypt_name: NameDecryptor | None = None,
               decrypt_phone: NameDecryptor | None = None) -> Report:
    """Run a report of :data:`REPORTS` by name. ``period`` is needed by the reports that
    take one (the dashboard uses its first day; default today)."""
    spec = REPORTS.get(name)
    if spec is None:
        raise BadInput(f"no report {name!r} (one of {', '.join(REPORTS)})", field="report")
    src = _src(conn, source)
    if name == "dashboard":
        return dashboard(conn, period.start if period else None, source=src)
    if name == "stock":
        return stock_levels(conn, source=src)
    if name == "kasbon":
        return kasbon_outstanding(conn, source=src, decrypt_name=decrypt_name,
                                  decrypt_phone=decrypt_phone)
    if period is None:
        raise BadInput("this report needs a date range", field="from")
    if name == "sales":
        return sales_summary(conn, period, source=src)
    return product_sales(conn, period, source=src)

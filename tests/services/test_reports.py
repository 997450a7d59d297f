"""Owners' reports on the till's SQLite: a real demo shop sells through complete_sale, and
every figure is checked against sums of what was sold (the sale results the till returned,
and the demo catalogue), never by running the report's own query again."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import literal, select

from app.demo import catalogue_text
from app.secrets import cipher_for
from app.shop import Shop
from services import reports as R
from services.catalogue import ProductInput, save_product
from services.cart import Discount
from services.customers import create_customer
from services.errors import BadInput
from services.kasbon import repay_kasbon
from services.money import line_amount
from services.refunds import RefundResult, refund_sale
from services.reports import export
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    complete_sale,
)
from services.users import Actor


def round_half_up_bp(part: int, whole: int) -> int:
    """The margin share in basis points, rounded half away from zero (not cut)."""
    q, r = divmod(abs(part) * 10000, abs(whole))
    bp = q + (1 if 2 * r >= abs(whole) else 0)
    return bp if (part >= 0) == (whole > 0) else -bp

WIB = ZoneInfo("Asia/Jakarta")
BUDI = Approval("Budi", "5678")


def catalogue() -> dict[str, dict[str, str]]:
    return {row["sku"]: row for row in csv.DictReader(io.StringIO(catalogue_text()))}


def opening_milli(row: dict[str, str]) -> int:
    """The demo's opening stock (app/demo.py: 12.5 for weighed goods, else 6 + a hash)."""
    if row["tracks_stock"] != "1":
        return 0
    if row["unit"] != "pcs":
        return 12_500
    return (6 + sum(map(ord, row["sku"])) % 40) * 1000


def local_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone(WIB).date()


def local_hour(stamp: str) -> int:
    return datetime.fromisoformat(stamp).astimezone(WIB).hour


@dataclass
class Day:
    shop: Shop
    sales: list[SaleResult]
    refund: RefundResult
    customer_id: str
    repaid: int
    credit_limit: int


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]],
         pays: list[tuple[str, int]], **kw: object) -> SaleResult:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays), **kw)  # type: ignore[arg-type]
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


@pytest.fixture
def day(shop: Shop, cashier: Actor, supervisor: Actor) -> Day:
    cat = catalogue()
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        cust = create_customer(uow, cipher, supervisor, name="Ibu Rina <Warung>",
                               phone="0812-0000-7777", credit_limit=50_000)
    with shop.uow() as uow:
        save_product(uow, supervisor, ProductInput(
            sku="KOPI-X", name='Kopi <b>"Mantap"</b> & Co', price=4_500, cost=3_000,
            category="Minuman", low_stock_milli=2_000))
    mi2_opening = opening_milli(cat["MI-0002"])
    mi3_down_to_low = opening_milli(cat["MI-0003"]) - int(cat["MI-0003"]["low_stock"]) * 1000
    sales = [
        sell(shop, cashier, [("MI-0001", 3000), ("TMB-0176", 750)], [("cash", 100_000)]),
        # more than the shelf holds: allowed offline, the level goes negative
        sell(shop, cashier, [("MI-0002", mi2_opening + 3000)], [("edc", 5_000),
                                                               ("cash", 500_000)]),
        sell(shop, cashier, [("MI-0003", mi3_down_to_low), ("KOPI-X", 2000)],
             [("kasbon", 10_000), ("cash", 200_000)], customer_id=cust.id,
             discount=Discount(amount=1_000)),
        sell(shop, cashier, [("KOPI-X", 1000), ("MI-0001", 1000)], [("cash", 20_000)]),
    ]
    with shop.uow() as uow:
        repay_kasbon(uow, shop.config, cashier, cust.id, 4_000, method="cash")
    with shop.uow() as uow:
        refund = refund_sale(uow, shop.config, cashier, sales[0].receipt_no, [(1, 1000)],
                             "rusak", BUDI)
    return Day(shop, sales, refund, cust.id, 4_000, 50_000)


def report_day(d: Day) -> date:
    return local_day(d.sales[-1].created_at)


def test_dashboard_equals_what_was_sold(day: Day) -> None:
    today = report_day(day)
    sold = [s for s in day.sales if local_day(s.created_at) == today]
    with day.shop.uow(write=False) as uow:
        dash = R.dashboard(uow.conn, today)
    assert dash.day == today
    assert dash.sales_count == len(sold)
    assert dash.sales_total == sum(s.payable for s in sold)
    assert dash.average_sale == dash.sales_total // len(sold)
    hours: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for s in sold:
        n, a = hours[local_hour(s.created_at)]
        hours[local_hour(s.created_at)] = (n + 1, a + s.payable)
    assert len(dash.by_hour) == 24
    assert {h.hour: (h.sales_count, h.amount) for h in dash.by_hour if h.sales_count} == hours
    mix: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in sold:
        for p in s.payments:
            mix[p.method][0] += 1
            mix[p.method][1] += p.amount
    assert {m.method: [m.count, m.amount] for m in dash.payment_mix} == mix
    assert [m.amount for m in dash.payment_mix] == sorted(
        (m.amount for m in dash.payment_mix), reverse=True)
    assert sum(m.amount for m in dash.payment_mix) == dash.sales_total
    per_sku: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in sold:
        for ln in s.lines:
            per_sku[ln.sku][0] += ln.qty_milli
            per_sku[ln.sku][1] += ln.gross
    assert {t.sku: [t.qty_milli, t.amount] for t in dash.top_products} == per_sku
    assert dash.top_products[0].amount == max(a for _, a in per_sku.values())
    if local_day(day.refund.created_at) == today:
        assert (dash.refunds_count, dash.refunds_total) == (1, day.refund.gross)
    alerts = {s.sku: s for s in dash.low_stock}
    assert alerts["MI-0002"].negative and alerts["MI-0002"].level_milli == -3000
    assert alerts["MI-0003"].low and not alerts["MI-0003"].negative
    assert "MI-0004" not in alerts  # untouched, above its reorder point
    assert dash.low_stock[0].negative  # negative levels first
    assert (dash.kasbon_customers, dash.kasbon_outstanding) == (1, 10_000 - day.repaid)

    with day.shop.uow(write=False) as uow:
        other = R.dashboard(uow.conn, today - timedelta(days=1))
    assert (other.sales_count, other.sales_total, other.top_products, other.payment_mix) == (
        0, 0, (), ())
    assert other.kasbon_outstanding == dash.kasbon_outstanding  # kasbon is "now"


def test_sales_summary_per_day(day: Day) -> None:
    today = report_day(day)
    period = R.Period(today - timedelta(days=2), today + timedelta(days=1))
    with day.shop.uow(write=False) as uow:
        summary = R.sales_summary(uow.conn, period)
    assert [d.day for d in summary.days] == list(period.days())
    for d in summary.days:
        sold = [s for s in day.sales if local_day(s.created_at) == d.day]
        back = [day.refund] if local_day(day.refund.created_at) == d.day else []
        assert d.sales_count == len(sold)
        assert d.sales == sum(s.payable for s in sold)
        assert d.refunds_count == len(back)
        assert d.refunds == sum(r.gross for r in back)
        assert d.net == d.sales - d.refunds
        assert d.ppn == sum(s.tax_total for s in sold) - sum(r.tax for r in back)
        assert d.revenue == (sum(ln.gross - ln.tax for s in sold for ln in s.lines)
                             - sum(r.net for r in back))
        assert d.discounts == sum(s.discount_total for s in sold)
        assert d.rounding == sum(s.rounding for s in sold)
        paid: dict[str, int] = defaultdict(int)
        for s in sold:
            for p in s.payments:
                paid[p.method] += p.amount
        assert {m: a for m, a in d.by_method.items() if a} == paid
    t = summary.totals
    assert t.sales == sum(s.payable for s in day.sales)
    assert t.refunds == day.refund.gross
    assert t.discounts == 1_000
    assert summary.methods == ("cash", "edc", "kasbon")
    assert t.by_method["kasbon"] == 10_000 and t.by_method["edc"] == 5_000


def test_product_sales_with_cost_and_margin(day: Day) -> None:
    cat = catalogue()
    cost = {sku: int(row["cost"]) for sku, row in cat.items()} | {"KOPI-X": 3_000}
    today = report_day(day)
    period = R.Period(today - timedelta(days=1), today + timedelta(days=1))
    with day.shop.uow(write=False) as uow:
        report = R.product_sales(uow.conn, period)
    want: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for s in day.sales:
        for ln in s.lines:
            w = want[ln.sku]
            w[0] += ln.qty_milli
            w[1] += ln.gross
            w[2] += ln.gross - ln.tax
            w[3] += line_amount(cost[ln.sku], ln.qty_milli)
    for rl in day.refund.lines:
        w = want[rl.sku]
        w[0] -= rl.qty_milli
        w[1] -= rl.gross
        w[2] -= rl.net
        w[3] -= rl.cost
    got = {r.sku: [r.qty_milli, r.amount, r.revenue, r.cost] for r in report.rows}
    assert got == want
    for r in report.rows:
        assert r.margin == r.revenue - r.cost
        assert r.margin_bp == (round_half_up_bp(r.margin, r.revenue) if r.revenue else None)
    assert report.amount == sum(w[1] for w in want.values())
    assert report.cost == sum(w[3] for w in want.values())
    assert [r.amount for r in report.rows] == sorted((r.amount for r in report.rows),
                                                     reverse=True)
    assert want["MI-0001"][0] == 3000  # 3 + 1 sold, 1 refunded


def test_stock_levels_from_the_movements(day: Day) -> None:
    cat = catalogue()
    level = {sku: opening_milli(row) for sku, row in cat.items()
             if row["tracks_stock"] == "1" and row["active"] == "1"}
    level["KOPI-X"] = 0
    for s in day.sales:
        for ln in s.lines:
            level[ln.sku] -= ln.qty_milli
    for rl in day.refund.lines:
        level[rl.sku] += rl.qty_milli
    with day.shop.uow(write=False) as uow:
        stock = R.stock_levels(uow.conn)
    got = {r.sku: r.level_milli for r in stock.rows}
    assert got == level
    rows = {r.sku: r for r in stock.rows}
    assert rows["MI-0002"].negative and not rows["MI-0002"].low
    assert rows["MI-0003"].low
    assert rows["KOPI-X"].level_milli == -3000 and rows["KOPI-X"].negative
    assert stock.negative_count == sum(1 for v in level.values() if v < 0)
    low = {sku for sku, v in level.items()
           if 0 <= v <= (int(cat[sku]["low_stock"]) * 1000 if sku in cat else 2000)}
    assert {r.sku for r in stock.rows if r.low} == low
    # half a rupiah rounds up, as on the sale lines (services.money.line_amount)
    assert stock.value == sum(line_amount(int(cat[s]["cost"]) if s in cat else 3000, max(v, 0))
                              for s, v in level.items())
    assert [r.sku for r in stock.rows] == sorted(level)


def test_kasbon_outstanding(day: Day) -> None:
    with day.shop.uow(write=False) as uow:
        k = R.kasbon_outstanding(uow.conn)
    assert k.total == 10_000 - day.repaid and k.customers == 1
    (row,) = k.rows
    assert (row.customer_id, row.label, row.name_known, row.balance, row.credit_limit,
            row.over_limit) == (day.customer_id, "Ibu Rina <Warung>", True, 6_000, 50_000,
                                False)


def test_local_days_and_hours_follow_the_shops_zone(shop: Shop) -> None:
    """17:00 UTC is midnight in Jakarta (UTC+7): the boundary of both day and hour."""
    with shop.uow(write=False) as uow:
        src = R.local_source(uow.conn)
        assert src.timezone == "Asia/Jakarta"
        d = date(2026, 11, 26)
        for stamp, want_day, want_hour in (
                ("2026-11-26T16:59:59.999999+00:00", "2026-11-26", 23),
                ("2026-11-26T17:00:00.000000+00:00", "2026-11-27", 0),
                ("2026-11-25T17:00:00.000000+00:00", "2026-11-26", 0),
                ("2026-11-26T05:30:00.000000+00:00", "2026-11-26", 12)):
            col = literal(stamp)
            got = uow.conn.execute(select(src.local_day(col, d, d + timedelta(days=1)),
                                          src.local_hour(col, d),
                                          src.in_range(col, d, d + timedelta(days=1)))).one()
            assert (got[0], got[1], bool(got[2])) == (
                want_day, want_hour, want_day == "2026-11-26"), stamp
    makassar = R.local_source(timezone="Asia/Makassar")  # WITA, UTC+8
    assert makassar.bounds(date(2026, 1, 1), date(2026, 1, 2)) == (
        "2025-12-31T16:00:00.000000+00:00", "2026-01-01T16:00:00.000000+00:00")


def test_bad_input_is_refused(shop: Shop) -> None:
    with pytest.raises(BadInput) as e:
        R.Period(date(2026, 1, 2), date(2026, 1, 2))
    assert e.value.field == "to"
    with pytest.raises(BadInput) as e:
        R.Period.parse("26-11-2026")
    assert e.value.field == "from"
    with pytest.raises(BadInput) as e:
        R.local_source(timezone="Mars/Olympus")
    assert e.value.field == "timezone"
    with shop.uow(write=False) as uow:
        with pytest.raises(BadInput) as e:
            R.run_report(uow.conn, "laba-rugi")
        assert e.value.field == "report"
        with pytest.raises(BadInput) as e:
            R.run_report(uow.conn, "sales")
        assert e.value.field == "from"


# --- exports -------------------------------------------------------------------------------

def test_csv_parses_back_to_the_figures(day: Day) -> None:
    today = report_day(day)
    period = R.Period(today - timedelta(days=1), today + timedelta(days=1))
    with day.shop.uow(write=False) as uow:
        products = R.product_sales(uow.conn, period)
        summary = R.sales_summary(uow.conn, period)
        dash = R.dashboard(uow.conn, today)
    rows = list(csv.reader(io.StringIO(export.to_csv(products))))
    assert rows[0] == ["SKU", "Nama", "Satuan", "Qty", "Penjualan", "Pendapatan (DPP)", "HPP",
                       "Laba kotor", "Margin %"]
    body, total = rows[1:-1], rows[-1]
    assert [(r[0], r[1], r[4], r[6]) for r in body] == [
        (p.sku, p.name, str(p.amount), str(p.cost)) for p in products.rows]
    eggs = next(r for r in body if r[0] == "TMB-0176")
    assert eggs[3] == "0.75"
    assert total[0] == "TOTAL" and int(total[4]) == products.amount
    assert int(total[7]) == products.margin

    rows = list(csv.reader(io.StringIO(export.to_csv(summary, lang="en"))))
    assert rows[0][:3] == ["Date", "Sales", "Sales amount"]
    assert [r[0] for r in rows[1:-1]] == [d.isoformat() for d in period.days()]
    assert sum(int(r[2]) for r in rows[1:-1]) == int(rows[-1][2]) == summary.totals.sales

    blocks = export.to_csv(dash).split("\r\n\r\n")
    assert len(blocks) == len(R.tables_of(dash)) == 5
    hours = list(csv.reader(io.StringIO(blocks[1])))
    assert hours[0] == ["Penjualan per jam"] and len(hours) == 2 + 24 + 1
    head = list(csv.reader(io.StringIO(blocks[0])))
    assert head[1][:2] == ["Transaksi", "Total penjualan"]
    assert [int(v) for v in head[2]] == [dash.sales_count, dash.sales_total, dash.average_sale,
                                        dash.refunds_count, dash.refunds_total,
                                        dash.kasbon_outstanding, dash.kasbon_customers]
    assert rows[0][-3:] == ["Cash", "Card (EDC)", "Kasbon (credit)"]


def test_html_escapes_names(day: Day) -> None:
    today = report_day(day)
    with day.shop.uow(write=False) as uow:
        products = R.product_sales(uow.conn, R.Period.day(today))
        kasbon = R.kasbon_outstanding(uow.conn)
    page = export.to_html(products, 'Laporan <script>alert(1)</script>')
    assert page.startswith("<!DOCTYPE html>")
    assert "<b>" not in page and "<script>" not in page
    assert "Kopi &lt;b&gt;&quot;Mantap&quot;&lt;/b&gt; &amp; Co" in page
    assert "Laporan &lt;script&gt;" in page
    kopi = next(p for p in products.rows if p.sku == "KOPI-X")
    assert f"Rp {kopi.amount:,}".replace(",", ".") in page
    page = export.to_html(kasbon, "Kasbon", lang="en")
    assert "Ibu Rina &lt;Warung&gt;" in page and "Rp 6,000" in page  # English grouping


def test_json_data_has_every_field(day: Day) -> None:
    import json
    today = report_day(day)
    with day.shop.uow(write=False) as uow:
        dash = R.dashboard(uow.conn, today)
    data = json.loads(json.dumps(export.to_data(dash)))
    assert data["day"] == today.isoformat()
    assert data["sales_total"] == dash.sales_total and len(data["by_hour"]) == 24


def test_pdf_renders(day: Day) -> None:
    from app.reports_pdf import to_pdf
    today = report_day(day)
    with day.shop.uow(write=False) as uow:
        report = R.product_sales(uow.conn, R.Period.day(today))
    pdf = to_pdf(report, "Penjualan per produk")
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 1000


def test_pdf_speaks_to_people(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11: the PDF is stamped on the store's clock (WITA for Asia/Makassar, never
    UTC), names payment methods in words and writes rupiah the Indonesian way."""
    from reportlab import rl_config

    from app.reports_pdf import to_pdf
    monkeypatch.setattr(rl_config, "pageCompression", 0)  # readable page text
    dash = R.Dashboard(
        day=date(2026, 12, 7), sales_count=2, sales_total=60_000, average_sale=30_000,
        refunds_count=0, refunds_total=0,
        by_hour=tuple(R.HourSales(h, 0, 0) for h in range(24)),
        payment_mix=(R.MethodTotal("cash", 1, 50_000), R.MethodTotal("va_bca", 1, 10_000)),
        top_products=(), low_stock=(), kasbon_outstanding=0, kasbon_customers=0)
    pdf = to_pdf(dash, "Ringkasan", zone_name="Asia/Makassar",
                 made_at=datetime(2026, 12, 7, 12, 36, tzinfo=ZoneInfo("UTC")))
    assert b"07-12-2026 20:36 WITA" in pdf and b"UTC" not in pdf
    assert b"(Tunai)" in pdf and b"(VA BCA)" in pdf and b"(cash)" not in pdf
    assert b"Rp 60.000" in pdf
    # The CSV keeps the codes and plain numbers for a spreadsheet.
    csv_text = export.to_csv(dash)
    assert "cash,1,50000" in csv_text and "Tunai" not in csv_text

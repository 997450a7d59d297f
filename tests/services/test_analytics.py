"""Analytics on the till's SQLite: a generated history of sales (several cashiers,
customers, refunds, every hour of the week, days without sales) written as rows, and every
figure checked against plain Python over those very rows (never the analytics' own
queries). The same history goes to the real PostgreSQL in
tests/central/test_analytics_central.py."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Connection, create_engine, insert

from local_db.models import Base, Refund, Sale, SaleLine, User
from services import analytics as A
from services.errors import BadInput
from services.reports import Period
from services.reports.source import local_source

WIB = ZoneInfo("Asia/Jakarta")
START = date(2026, 9, 1)  # history: 120 days from here
DAYS = 120


def half_up(num: int, den: int) -> int:
    return int((Decimal(num) / Decimal(den)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def bp(part: int, whole: int) -> int | None:
    return None if whole == 0 else half_up(part * 10000, whole)


@dataclass
class History:
    users: list[dict[str, Any]] = field(default_factory=list)
    sales: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    products: list[tuple[str, str, str, int]] = field(default_factory=list)


def make_history(seed: int = 7, days: int = DAYS, start: date = START) -> History:
    """Sales on most days (some days none: the averages must count them as 0), at hours
    spread over the day in WIB (late evening sales fall on the next UTC day), 1-5 lines,
    about a third with one of 12 customers, three cashiers, and some refunds."""
    rng = random.Random(seed)
    h = History()
    h.users = [{"id": str(uuid.UUID(int=rng.getrandbits(128))), "name": n}
               for n in ("Sari", "Budi", "Wati")]
    h.products = [(str(uuid.UUID(int=rng.getrandbits(128))), f"SKU{i:03d}", f"Barang {i}",
                   rng.choice((1_500, 3_000, 4_500, 12_000, 25_000))) for i in range(40)]
    customers = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(12)]
    seq = 0
    for k in range(days):
        d = start + timedelta(days=k)
        if rng.random() < 0.1:
            continue  # closed that day
        for _ in range(rng.randint(1, 14)):
            seq += 1
            local = datetime(d.year, d.month, d.day, rng.choice(range(5, 24)),
                             rng.randrange(60), rng.randrange(60), rng.randrange(10**6),
                             tzinfo=WIB)
            sale_id = str(uuid.UUID(int=rng.getrandbits(128)))
            lines: list[dict[str, Any]] = []
            for no in range(1, rng.randint(1, 5) + 1):
                pid, sku, name, price = rng.choice(h.products)
                qty = rng.choice((1_000, 1_000, 2_000, 500))
                gross = price * qty // 1000
                lines.append({"id": str(uuid.UUID(int=rng.getrandbits(128))),
                              "sale_id": sale_id, "line_no": no, "product_id": pid,
                              "sku": sku, "name": name, "unit": "pcs", "qty_milli": qty,
                              "list_price": price, "unit_price": price, "line_discount": 0,
                              "order_discount": 0, "gross": gross, "net": gross * 100 // 111,
                              "tax": gross - gross * 100 // 111, "cost": gross * 8 // 10,
                              "tax_class": "PPN"})
            total = sum(x["gross"] for x in lines)
            rounding = -(total % 100) if total % 100 < 50 else 100 - total % 100
            h.lines += lines
            h.sales.append({
                "id": sale_id, "seq": seq, "receipt_no": f"T-{seq:06d}",
                "shift_id": str(uuid.UUID(int=rng.getrandbits(128))),
                "cashier_id": rng.choice(h.users)["id"],
                "customer_id": rng.choice(customers) if rng.random() < 0.35 else None,
                "created_at": local.astimezone(UTC), "subtotal": total, "discount_total": 0,
                "net_total": sum(x["net"] for x in lines),
                "tax_total": sum(x["tax"] for x in lines), "total": total,
                "rounding": rounding, "payable": total + rounding, "change": 0,
                "status": "completed"})
            if rng.random() < 0.05:
                back = int(lines[0]["gross"])
                h.refunds.append({
                    "id": str(uuid.UUID(int=rng.getrandbits(128))), "seq": len(h.refunds) + 1,
                    "refund_no": f"R-{len(h.refunds) + 1:06d}", "sale_id": sale_id,
                    "shift_id": h.sales[-1]["shift_id"], "user_id": h.users[1]["id"],
                    "approved_by": h.users[1]["id"], "reason": "rusak", "method": "cash",
                    "gross": back, "net": back * 100 // 111, "tax": back - back * 100 // 111,
                    "cost": back * 8 // 10,
                    "created_at": (local + timedelta(hours=rng.randint(0, 30))
                                   ).astimezone(UTC)})
    return h


def local_day(t: datetime) -> date:
    return t.astimezone(WIB).date()


# --- independent expectations (plain Python over the generated rows) ------------------

def expected_daily(h: History, start: date, end: date) -> dict[date, tuple[int, int, int]]:
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in h.sales:
        d = local_day(s["created_at"])
        if start <= d < end:
            out[d][0] += 1
            out[d][1] += s["payable"]
    for r in h.refunds:
        d = local_day(r["created_at"])
        if start <= d < end:
            out[d][2] += r["gross"]
    return {d: (v[0], v[1], v[2]) for d, v in out.items()}


def check_revenue(trend: A.RevenueTrend, h: History, period: Period) -> None:
    lo = period.start - timedelta(days=40)
    daily = expected_daily(h, lo, period.end)

    def net(d: date) -> int:
        n, s, r = daily.get(d, (0, 0, 0))
        return s - r
    assert [p.start for p in trend.points] == list(period.days())
    for p in trend.points:
        n, s, r = daily.get(p.start, (0, 0, 0))
        assert (p.sales_count, p.sales, p.refunds, p.net) == (n, s, r, s - r)
        w7 = sum(net(p.start - timedelta(days=i)) for i in range(7))
        w28 = sum(net(p.start - timedelta(days=i)) for i in range(28))
        assert p.ma7 == half_up(w7, 7), p
        assert p.ma28 == half_up(w28, 28), p
    length = period.end - period.start
    prev = [d for d in (period.start - length + timedelta(days=i)
                        for i in range(length.days))]
    prev_net = sum(net(d) for d in prev)
    prev_n = sum(daily.get(d, (0, 0, 0))[0] for d in prev)
    assert trend.previous_net == prev_net and trend.previous_sales_count == prev_n
    cur_net = sum(net(d) for d in period.days())
    assert trend.net == cur_net
    want = 0 if cur_net == 0 or prev_net == 0 else bp(cur_net - prev_net, prev_net)
    assert trend.net_change_bp == want


def check_all(conn: Connection, h: History, period: Period, source: Any) -> None:
    """Every analytic over ``period`` against the rows of ``h`` (shared with central)."""
    check_revenue(A.revenue_trend(conn, period, source=source), h, period)
    in_p = [s for s in h.sales if period.start <= local_day(s["created_at"]) < period.end]
    ids = {s["id"] for s in in_p}
    lines = [x for x in h.lines if x["sale_id"] in ids]

    # weekly buckets sum to the days
    weekly = A.revenue_trend(conn, period, grain="week", source=source)
    per_week: dict[date, int] = defaultdict(int)
    for s in in_p:
        d = local_day(s["created_at"])
        per_week[d - timedelta(days=d.weekday())] += s["payable"]
    assert {p.start: p.sales for p in weekly.points if p.sales} == dict(per_week)
    monthly = A.revenue_trend(conn, period, grain="month", source=source)
    assert sum(p.sales for p in monthly.points) == sum(s["payable"] for s in in_p)

    heat = A.hour_heatmap(conn, period, source=source)
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for s in in_p:
        t = s["created_at"].astimezone(WIB)
        cells[(t.weekday(), t.hour)][0] += 1
        cells[(t.weekday(), t.hour)][1] += s["payable"]
    assert len(heat.cells) == 168
    for c in heat.cells:
        assert [c.sales_count, c.amount] == cells.get((c.weekday, c.hour), [0, 0]), c
    assert heat.sales_count == len(in_p)

    basket = A.basket_stats(conn, period, source=source)
    amount = sum(s["payable"] for s in in_p)
    qty = sum(x["qty_milli"] for x in lines)
    assert (basket.sales_count, basket.amount, basket.lines, basket.qty_milli) == (
        len(in_p), amount, len(lines), qty)
    assert basket.average_basket == half_up(amount, len(in_p))
    assert basket.items_per_basket_milli == half_up(qty, len(in_p))
    assert basket.lines_per_basket_milli == half_up(len(lines) * 1000, len(in_p))

    ranking = A.product_ranking(conn, period, limit=5, source=source)
    per_product: dict[str, list[Any]] = {}
    for x in lines:
        cur = per_product.setdefault(x["product_id"], [x["sku"], 0, 0, set()])
        cur[1] += x["gross"]
        cur[2] += x["qty_milli"]
        cur[3].add(x["sale_id"])
    order = sorted(per_product.items(), key=lambda kv: (-kv[1][1], kv[1][0]))
    assert [(r.sku, r.amount, r.qty_milli, r.sales_count) for r in ranking.top] == [
        (v[0], v[1], v[2], len(v[3])) for _k, v in order[:5]]
    low = sorted(per_product.items(), key=lambda kv: (kv[1][1], kv[1][0]))
    assert [(r.sku, r.amount) for r in ranking.bottom] == [(v[0], v[1]) for _k, v in low[:5]]
    assert [r.rank for r in ranking.top] == [1, 2, 3, 4, 5]
    assert ranking.products_sold == len(per_product)

    rep = A.repeat_customers(conn, period, source=source)
    visits: dict[str, int] = defaultdict(int)
    for s in in_p:
        if s["customer_id"]:
            visits[s["customer_id"]] += 1
    assert rep.customers == len(visits)
    assert rep.repeat_customers == sum(1 for n in visits.values() if n >= 2)
    assert rep.repeat_rate_bp == bp(rep.repeat_customers, len(visits))
    assert rep.sales_with_customer == sum(visits.values())

    cashiers = A.cashier_sales(conn, period, source=source)
    names = {u["id"]: u["name"] for u in h.users}
    per_cashier: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in in_p:
        per_cashier[names[s["cashier_id"]]][0] += 1
        per_cashier[names[s["cashier_id"]]][1] += s["payable"]
    assert {r.name: [r.sales_count, r.amount] for r in cashiers.rows} == dict(per_cashier)
    assert cashiers.amount == amount
    assert [r.amount for r in cashiers.rows] == sorted((r.amount for r in cashiers.rows),
                                                       reverse=True)


# --- the till's SQLite ----------------------------------------------------------------

def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="microseconds")


def write_sqlite(path: Path, h: History) -> Any:
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(User), [
            {"id": u["id"], "name": u["name"], "role": "cashier", "pin_hash": "x",
             "active": True, "created_at": "2026-01-01T00:00:00.000000+00:00"}
            for u in h.users])
        conn.execute(insert(Sale), [
            {**s, "terminal_id": "t1", "created_at": iso(s["created_at"])} for s in h.sales])
        conn.execute(insert(SaleLine), h.lines)
        conn.execute(insert(Refund), [
            {**r, "created_at": iso(r["created_at"])} for r in h.refunds])
    return engine


@pytest.fixture(scope="module")
def till(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Connection, History]]:
    h = make_history()
    engine = write_sqlite(tmp_path_factory.mktemp("analytics") / "till.db", h)
    with engine.connect() as conn:
        yield conn, h
    engine.dispose()


@pytest.mark.parametrize("period", [
    Period(date(2026, 11, 1), date(2026, 12, 1)),  # a month, a full month before it
    Period(date(2026, 9, 10), date(2026, 10, 8)),  # the first days lack a full lookback
    Period.day(date(2026, 10, 5)),
    Period(date(2026, 12, 20), date(2027, 1, 10)),  # after the history: all zeros
])
def test_analytics_equal_plain_computations(till: tuple[Connection, History],
                                            period: Period) -> None:
    conn, h = till
    check_all(conn, h, period, local_source(timezone="Asia/Jakarta"))


def test_moving_averages_count_days_without_sales(till: tuple[Connection, History]) -> None:
    conn, h = till
    period = Period(date(2027, 1, 1), date(2027, 1, 10))  # the history ended on 29-12
    trend = A.revenue_trend(conn, period, source=local_source(timezone="Asia/Jakarta"))
    last = trend.points[-1]
    assert last.sales_count == 0 and last.ma7 == 0  # seven empty days
    assert last.ma28 > 0  # the 28 days reach back into sales, divided by 28 not by 3


def test_change_is_zero_when_either_side_is_zero() -> None:
    assert A.change_bp(0, 500) == 0 and A.change_bp(500, 0) == 0
    assert A.change_bp(1125, 1000) == 1250 and A.change_bp(900, 1000) == -1000
    assert A.average(5, 2) == 3 and A.average(0, 0) == 0


def test_bad_input_is_refused(till: tuple[Connection, History]) -> None:
    conn, _h = till
    src = local_source(timezone="Asia/Jakarta")
    with pytest.raises(BadInput) as e:
        A.revenue_trend(conn, Period.day(START), grain="year", source=src)  # type: ignore[arg-type]
    assert e.value.field == "grain"
    with pytest.raises(BadInput) as e:
        A.product_ranking(conn, Period.day(START), limit=0, source=src)
    assert e.value.field == "limit"


def test_every_analytic_is_a_table_report(till: tuple[Connection, History]) -> None:
    conn, _h = till
    period = Period(date(2026, 11, 1), date(2026, 12, 1))
    src = local_source(timezone="Asia/Jakarta")
    for name, (spec, run) in A.REPORTS.items():
        report = run(conn, period, src)
        assert report.name == name == spec.name
        assert report.period == period and report.tables
        for t in report.tables:
            for row in t.rows:
                assert len(row) == len(t.columns)
    trend = A.revenue_trend(conn, period, source=src)
    (table, compare) = trend.report().tables
    assert table.totals is not None and table.totals[4] == trend.net
    assert [r[0] for r in table.rows] == list(period.days())
    with pytest.raises(BadInput):
        A.REPORTS["revenue"][1](conn, None, src)


@given(st.integers(-10**12, 10**12), st.integers(1, 10**6))
def test_average_rounds_half_away_from_zero_like_decimal(total: int, count: int) -> None:
    want = (Decimal(total) / Decimal(count)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert A.average(total, count) == int(want)

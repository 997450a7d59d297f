"""Sales broken down (services.reports.sales_breakdown) on a real demo shop: sales through
complete_sale with several tenders, categories and a refund; every figure equals plain
SQL written by hand over the shop's file (sqlite3, no SQLAlchemy)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.paths import db_path
from app.shop import Shop
from services.refunds import refund_sale
from services.reports import Period, catalogue
from services.reports import sales_breakdown as B
from services.reports.source import local_source
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor

WIB = ZoneInfo("Asia/Jakarta")


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]],
         pays: list[tuple[str, int]]) -> str:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays))
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req).receipt_no


@pytest.fixture
def sold(shop: Shop, cashier: Actor) -> tuple[Shop, Period]:
    first = sell(shop, cashier, [("MI-0001", 3000), ("TMB-0176", 750)], [("cash", 100_000)])
    sell(shop, cashier, [("MI-0002", 2000)], [("edc", 1_000), ("cash", 50_000)])
    sell(shop, cashier, [("MI-0003", 1000), ("MI-0001", 1000)], [("edc", 2_000),
                                                                 ("cash", 50_000)])
    with shop.uow() as uow:
        refund_sale(uow, shop.config, cashier, first, [(1, 1000)], "rusak",
                    Approval("Budi", "5678"))
    today = datetime.now(WIB).date()
    return shop, Period.day(today)


def plain(shop: Shop, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db_path(shop.folder))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_categories_with_gross_profit(sold: tuple[Shop, Period]) -> None:
    shop, period = sold
    with shop.uow(write=False) as uow:
        got = B.category_sales(uow.conn, period, source=local_source(uow.conn))
    sold_rows = plain(shop, """
        SELECT coalesce(c.name, 'Tanpa kategori'), sum(l.qty_milli), sum(l.gross), sum(l.net),
               sum(l.cost) FROM sale_line l JOIN product p ON p.id = l.product_id
          LEFT JOIN category c ON c.id = p.category_id GROUP BY 1""")
    back_rows = plain(shop, """
        SELECT coalesce(c.name, 'Tanpa kategori'), sum(rl.qty_milli), sum(rl.gross),
               sum(rl.net), sum(rl.cost) FROM refund_line rl
          JOIN sale_line l ON l.id = rl.sale_line_id JOIN product p ON p.id = l.product_id
          LEFT JOIN category c ON c.id = p.category_id GROUP BY 1""")
    want = {str(n): [int(q), int(a), int(r), int(c)] for n, q, a, r, c in sold_rows}
    for n, q, a, r, c in back_rows:
        for i, v in enumerate((q, a, r, c)):
            want[str(n)][i] -= int(v)
    assert {x.name: [x.qty_milli, x.amount, x.revenue, x.cost] for x in got.rows} == want
    assert all(x.margin == x.revenue - x.cost for x in got.rows)
    assert got.margin == sum(v[2] - v[3] for v in want.values())
    assert len(want) >= 2  # the test sells in more than one category


def test_methods_and_hours(sold: tuple[Shop, Period]) -> None:
    shop, period = sold
    with shop.uow(write=False) as uow:
        src = local_source(uow.conn)
        methods = B.method_sales(uow.conn, period, source=src)
        hours = B.hourly_sales(uow.conn, period, source=src)
    want = {str(m): (int(n), int(a)) for m, n, a in plain(
        shop, "SELECT method, count(*), sum(amount) FROM payment GROUP BY method")}
    assert {r.method: (r.payments, r.amount) for r in methods.rows} == want
    assert set(want) == {"cash", "edc"} and want["edc"] == (2, 3_000)
    assert sum(r.share_bp or 0 for r in methods.rows) in range(9998, 10003)
    stamps = plain(shop, "SELECT created_at, payable FROM sale")
    by_hour: dict[int, list[int]] = {}
    for stamp, payable in stamps:
        h = datetime.fromisoformat(str(stamp)).astimezone(WIB).hour
        by_hour.setdefault(h, [0, 0])
        by_hour[h][0] += 1
        by_hour[h][1] += int(payable)
    assert {r.hour: [r.sales_count, r.amount] for r in hours.rows if r.sales_count} == by_hour
    assert len(hours.rows) == 24


def test_stock_movements_by_kind(sold: tuple[Shop, Period]) -> None:
    shop, period = sold
    with shop.uow(write=False) as uow:
        got = B.stock_movements(uow.conn, period, source=local_source(uow.conn))
    lo, hi = local_source(timezone="Asia/Jakarta").bounds(period.start, period.end)
    want = {str(k): (int(n), int(i), int(o)) for k, n, i, o in plain(shop, f"""
        SELECT kind, count(*), sum(max(qty_milli, 0)), sum(max(-qty_milli, 0))
          FROM stock_movement WHERE created_at >= '{lo}' AND created_at < '{hi}'
         GROUP BY kind""")}
    assert {r.kind: (r.movements, r.qty_in_milli, r.qty_out_milli) for r in got.rows} == want
    assert {"sale", "refund"} <= set(want)


def test_in_the_catalogue_with_a_pdf(sold: tuple[Shop, Period]) -> None:
    from app.reports_pdf import to_pdf
    shop, period = sold
    with shop.uow(write=False) as uow:
        for name in B.REPORTS:
            report = catalogue.run(uow.conn, name, period, source=local_source(uow.conn))
            assert to_pdf(report, name).startswith(b"%PDF")
    assert date.today()  # the period is the shop's today (WIB), made by the fixture

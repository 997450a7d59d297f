"""The till's sales summaries (migration 0004): kept by triggers, equal to the raw rows
on generated histories (sales at the borders of the store's days and hours included),
and the analytics read from them give the very figures the raw rows give."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, insert, text

from local_db import migrate, sales_summary
from local_db.models import Refund, Sale, SaleLine, User
from services import analytics as A
from services.analytics_summary import summaries_for
from services.reports import Period
from services.reports.source import local_source
from tests.services.test_analytics import History, check_all, iso, make_history

PERIODS = [
    Period(date(2026, 11, 1), date(2026, 12, 1)),  # one whole month
    Period(date(2026, 9, 10), date(2026, 12, 20)),  # months and days around them
    Period(date(2026, 10, 3), date(2026, 10, 21)),  # days only
    Period.day(date(2026, 10, 5)),
    Period(date(2026, 12, 20), date(2027, 1, 10)),  # after the history
]


def border_sales(h: History) -> None:
    """Sales and refunds a microsecond either side of WIB midnight and of an hour, and
    one in January."""
    base = h.sales[0]
    pid, sku, name, price = h.products[0]
    stamps = [datetime(2026, 10, 4, 16, 59, 59, 999_999, UTC),  # 23:59:59.999999 WIB
              datetime(2026, 10, 4, 17, 0, 0, 0, UTC),  # 00:00 WIB on the 5th
              datetime(2026, 10, 5, 2, 59, 59, 999_600, UTC),  # 09:59:59.9996 WIB
              datetime(2026, 10, 31, 17, 0, 0, 1, UTC),  # 1 November WIB
              # far back: a month's ranking is then a small part of the table's months
              # (read through the month index, not the whole table)
              datetime(2026, 1, 15, 3, 0, 0, 0, UTC)]
    for i, at in enumerate(stamps):
        sale_id = str(uuid.uuid4())
        seq = len(h.sales) + 1
        h.sales.append({**base, "id": sale_id, "seq": seq, "receipt_no": f"B-{seq:06d}",
                        "created_at": at, "payable": price, "total": price,
                        "rounding": 0, "customer_id": base["customer_id"]})
        for no in (1, 2):  # the product twice in one sale: one sale with it
            h.lines.append({**h.lines[0], "id": str(uuid.uuid4()), "sale_id": sale_id,
                            "line_no": no, "product_id": pid, "sku": sku, "name": name,
                            "gross": price, "qty_milli": 1000})
        h.refunds.append({**h.refunds[0], "id": str(uuid.uuid4()),
                          "seq": len(h.refunds) + 1, "refund_no": f"RB-{i}",
                          "sale_id": sale_id, "created_at": at, "gross": 1000 + i})


def write_rows(engine: Engine, h: History) -> None:
    """The history written as the till writes it: each sale, then its lines (the triggers
    fire per row), refunds last."""
    lines_of: dict[str, list[dict[str, Any]]] = {}
    for x in h.lines:
        lines_of.setdefault(x["sale_id"], []).append(x)
    with engine.begin() as conn:
        conn.execute(insert(User), [
            {"id": u["id"], "name": u["name"], "role": "cashier", "pin_hash": "x",
             "active": True, "created_at": "2026-01-01T00:00:00.000000+00:00"}
            for u in h.users])
        for s in h.sales:
            conn.execute(insert(Sale), {**s, "terminal_id": "t1",
                                        "created_at": iso(s["created_at"])})
            conn.execute(insert(SaleLine), lines_of[s["id"]])
        conn.execute(insert(Refund), [
            {**r, "created_at": iso(r["created_at"])} for r in h.refunds])


@pytest.fixture(scope="module")
def history() -> History:
    h = make_history(seed=11)
    border_sales(h)
    return h


@pytest.fixture()
def till(tmp_path: Path, history: History) -> Iterator[Engine]:
    path = tmp_path / "till.db"
    migrate.upgrade(path)
    engine = create_engine(f"sqlite:///{path}")
    write_rows(engine, history)
    yield engine
    engine.dispose()


def all_figures(conn: Connection, period: Period, zone: str) -> list[Any]:
    src = local_source(timezone=zone)
    return [A.revenue_trend(conn, period, source=src),
            A.revenue_trend(conn, period, grain="week", source=src),
            A.hour_heatmap(conn, period, source=src), A.basket_stats(conn, period, source=src),
            A.product_ranking(conn, period, limit=5, source=src),
            A.repeat_customers(conn, period, source=src),
            A.cashier_sales(conn, period, source=src)]


def raw_figures(conn: Connection, period: Period, zone: str) -> list[Any]:
    """The same figures from the raw rows (the summaries marked stale for the call)."""
    conn.execute(text("UPDATE sales_summary_state SET stale = 1"))
    try:
        assert summaries_for(conn, local_source(timezone=zone), period.start,
                             period.end) is None
        return all_figures(conn, period, zone)
    finally:
        conn.execute(text("UPDATE sales_summary_state SET stale = 0"))


def test_triggers_keep_the_summaries_equal_to_the_rows(till: Engine) -> None:
    with till.begin() as conn:
        assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)
        got = sales_summary.state(conn)
        assert got is not None and not got.stale and got.timezone == "Asia/Jakarta"
        # the check can fail: one wrong cell is seen
        conn.execute(text("UPDATE sales_hour_summary SET sales_amount = sales_amount + 1 "
                          "WHERE day = (SELECT min(day) FROM sales_hour_summary)"))
        assert sales_summary.differences(conn)["sales_hour_summary"] > 0
        sales_summary.rebuild(conn)
        assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)


@pytest.mark.parametrize("period", PERIODS)
def test_summaries_give_the_raw_figures(till: Engine, history: History,
                                        period: Period) -> None:
    with till.begin() as conn:
        src = local_source(timezone="Asia/Jakarta")
        assert summaries_for(conn, src, period.start, period.end) is not None
        check_all(conn, history, period, src)  # against plain Python over the rows
        assert all_figures(conn, period, "Asia/Jakarta") == raw_figures(
            conn, period, "Asia/Jakarta")


def test_border_stamps_fall_on_the_stores_day_and_hour(till: Engine) -> None:
    with till.begin() as conn:
        src = local_source(timezone="Asia/Jakarta")
        heat = A.hour_heatmap(conn, Period.day(date(2026, 10, 5)), source=src)
        raw = raw_figures(conn, Period.day(date(2026, 10, 5)), "Asia/Jakarta")[2]
        assert heat == raw
        # 00:00 WIB on Monday 5-10 and 09:59:59.9996 (hour 9, not 10)
        assert heat.cell(0, 0).sales_count >= 1 and heat.cell(0, 9).sales_count >= 1


def test_a_zone_change_follows_and_rebuilds(till: Engine) -> None:
    period = Period(date(2026, 10, 1), date(2026, 11, 15))
    with till.begin() as conn:
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('timezone', "
                          "'Asia/Makassar') ON CONFLICT (key) DO UPDATE "
                          "SET value = excluded.value"))
        got = sales_summary.state(conn)
        assert got is not None and (got.timezone, got.offset_minutes, got.stale) == (
            "Asia/Makassar", 480, False)
        assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)
        assert summaries_for(conn, local_source(timezone="Asia/Jakarta"), period.start,
                             period.end) is None  # another zone: the raw rows answer
        assert all_figures(conn, period, "Asia/Makassar") == raw_figures(
            conn, period, "Asia/Makassar")
        # a zone with summer time is not summarised: raw rows, and the triggers idle
        conn.execute(text("UPDATE setting SET value = 'Europe/Berlin' "
                          "WHERE key = 'timezone'"))
        got = sales_summary.state(conn)
        assert got is not None and got.stale and got.offset_minutes is None
        assert conn.execute(text("SELECT count(*) FROM sales_hour_summary")).scalar() == 0
        conn.execute(text("DELETE FROM setting WHERE key = 'timezone'"))  # the default
        got = sales_summary.state(conn)
        assert got is not None and (got.timezone, got.stale) == ("Asia/Jakarta", False)
        assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)


def test_an_updated_sale_makes_them_stale_until_a_rebuild(till: Engine) -> None:
    period = Period(date(2026, 9, 1), date(2026, 12, 1))
    with till.begin() as conn:
        conn.execute(text("UPDATE sale SET created_at = '2026-09-30T10:00:00.000000+00:00' "
                          "WHERE seq = 5"))
        got = sales_summary.state(conn)
        assert got is not None and got.stale
        src = local_source(timezone="Asia/Jakarta")
        assert summaries_for(conn, src, period.start, period.end) is None
        raw = all_figures(conn, period, "Asia/Jakarta")
        sales_summary.rebuild(conn)
        assert summaries_for(conn, src, period.start, period.end) is not None
        assert all_figures(conn, period, "Asia/Jakarta") == raw


def test_a_database_without_summary_tables_reads_raw(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    migrate.upgrade(path, "0003")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert sales_summary.state(conn) is None
        src = local_source(timezone="Asia/Jakarta")
        assert summaries_for(conn, src, date(2026, 1, 1), date(2026, 2, 1)) is None
    engine.dispose()

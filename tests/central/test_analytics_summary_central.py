"""Central's sales summaries (migration c0007): kept by the statement triggers on the
rows the pushes insert, never counting a re-sent row twice, equal to a fresh rebuild from
the raw rows, following a store's zone change, and giving the analytics the very
figures the raw rows give (read as the tenant's owner, row-level security on)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.pool import NullPool

from app.reports_central import central_report_source
from services import analytics as A
from services.analytics_summary import summaries_for
from services.reports import Period
from sync.central import sales_summary, schema
from tests.central.conftest import CentralDB, Tenant, make_tenant, make_terminal
from tests.central.test_analytics_central import _load
from tests.services.test_analytics import History, check_all, make_history
from tests.services.test_analytics_summary import border_sales

T = schema.metadata.tables
PERIODS = [Period(date(2026, 11, 1), date(2026, 12, 1)),
           Period(date(2026, 9, 10), date(2026, 12, 20)),
           Period(date(2026, 10, 3), date(2026, 10, 21)), Period(date(2026, 10, 4), date(2026, 10, 8))]


@pytest.fixture(scope="module")
def world(central_db: CentralDB) -> Iterator[tuple[CentralDB, Tenant, str, History]]:
    a, b = make_tenant(central_db, "Ringkas A"), make_tenant(central_db, "Ringkas B")
    ta, tb = make_terminal(central_db, a, "T01"), make_terminal(central_db, b, "T01")
    ha, hb = make_history(seed=21), make_history(seed=22)
    border_sales(ha)
    engine = create_engine("postgresql+psycopg://", poolclass=NullPool,
                           creator=central_db.connect)
    with engine.begin() as conn:
        _load(conn, a, ta.terminal_id, ha)
        _load(conn, b, tb.terminal_id, hb)
    engine.dispose()
    yield central_db, a, ta.terminal_id, ha


def admin(db: CentralDB) -> Any:
    return create_engine("postgresql+psycopg://", poolclass=NullPool, creator=db.connect)


def owner(db: CentralDB, tenant: Tenant) -> Any:
    return create_engine("postgresql+psycopg://", poolclass=NullPool,
                         creator=lambda: db.as_role(tenant.owner_role))


def figures(conn: Connection, period: Period, zone: str) -> list[Any]:
    src = central_report_source(timezone=zone)
    return [A.revenue_trend(conn, period, source=src), A.hour_heatmap(conn, period, source=src),
            A.basket_stats(conn, period, source=src),
            A.product_ranking(conn, period, limit=5, source=src),
            A.repeat_customers(conn, period, source=src),
            A.cashier_sales(conn, period, source=src)]


def raw(monkeypatch: pytest.MonkeyPatch, conn: Connection, period: Period, zone: str
        ) -> list[Any]:
    with monkeypatch.context() as m:
        m.setattr(A, "summaries_for", lambda *_a, **_k: None)
        return figures(conn, period, zone)


def test_summaries_equal_a_fresh_rebuild(world: Any) -> None:
    db, a, _term, _h = world
    engine = admin(db)
    try:
        with engine.begin() as conn:
            assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)
            # the check can fail
            conn.execute(text("UPDATE central.sales_cashier_day SET sales_count = "
                              "sales_count + 1 WHERE tenant_id = :t"), {"t": a.tenant_id})
            assert sales_summary.differences(conn, a.tenant_id)["sales_cashier_day"] > 0
            sales_summary.rebuild(conn, a.tenant_id)
            assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)
    finally:
        engine.dispose()


@pytest.mark.parametrize("period", PERIODS)
def test_owner_reads_summaries_equal_to_raw(world: Any, monkeypatch: pytest.MonkeyPatch,
                                            period: Period) -> None:
    db, a, _term, h = world
    engine = owner(db, a)
    try:
        with engine.connect() as conn:
            src = central_report_source(timezone="Asia/Jakarta")
            assert summaries_for(conn, src, period.start, period.end) is not None
            check_all(conn, h, period, src)
            assert figures(conn, period, "Asia/Jakarta") == raw(monkeypatch, conn, period,
                                                                "Asia/Jakarta")
            one = central_report_source(timezone="Asia/Jakarta", store_id=a.store_id)
            assert A.basket_stats(conn, period, source=one) == A.basket_stats(
                conn, period, source=src)
    finally:
        engine.dispose()


def test_resent_rows_never_count_twice(world: Any) -> None:
    db, a, term, h = world
    engine = admin(db)
    try:
        with engine.begin() as conn:
            where = {"tenant_id": a.tenant_id, "terminal_id": term, "store_id": a.store_id}
            sale = T["central.sale"]
            line = T["central.sale_line"]
            refund = T["central.refund"]
            conn.execute(pg_insert(sale).on_conflict_do_nothing(),
                         [{**s, **where} for s in h.sales[:50]])
            conn.execute(pg_insert(line).on_conflict_do_nothing(),
                         [{**x, "tenant_id": a.tenant_id, "terminal_id": term}
                          for x in h.lines[:120]])
            conn.execute(pg_insert(refund).on_conflict_do_nothing(),
                         [{**r, **where} for r in h.refunds[:5]])
            assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)
            conn.rollback()
    finally:
        engine.dispose()


def test_a_store_zone_change_rebuilds_its_summaries(world: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db, a, _term, _h = world
    period = Period(date(2026, 10, 1), date(2026, 11, 15))
    engine = admin(db)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO central.store_setting (tenant_id, store_id, key, "
                              "value) VALUES (:t, :s, 'timezone', 'Asia/Makassar')"),
                         {"t": a.tenant_id, "s": a.store_id})
            assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)
        reader = owner(db, a)
        try:
            with reader.connect() as conn:
                wib = central_report_source(timezone="Asia/Jakarta")
                wita = central_report_source(timezone="Asia/Makassar")
                assert summaries_for(conn, wib, period.start, period.end) is None
                assert summaries_for(conn, wita, period.start, period.end) is not None
                assert figures(conn, period, "Asia/Makassar") == raw(
                    monkeypatch, conn, period, "Asia/Makassar")
        finally:
            reader.dispose()
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM central.store_setting WHERE tenant_id = :t "
                              "AND key = 'timezone'"), {"t": a.tenant_id})
            assert sales_summary.differences(conn) == dict.fromkeys(sales_summary.TABLES, 0)
        engine.dispose()

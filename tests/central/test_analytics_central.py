"""Analytics on the real central PostgreSQL: the generated histories of
tests/services/test_analytics.py go into central for two tenants; read as tenant A's
owner role (row-level security), every analytic equals plain Python over A's rows, a
hand-written SQL (window functions) agrees on the moving averages, and B's rows never
show. The very same code ran on SQLite in the till test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, insert, text
from sqlalchemy.pool import NullPool

from app.reports_central import central_report_source
from services import analytics as A
from services.reports import Period
from sync.central import schema
from tests.central.conftest import CentralDB, Tenant, make_tenant, make_terminal
from tests.services.test_analytics import History, check_all, make_history

T = schema.metadata.tables


@dataclass
class Central:
    db: CentralDB
    a: Tenant
    b: Tenant
    ha: History
    hb: History


def _load(conn: Connection, tenant: Tenant, terminal_id: str, h: History) -> None:
    key = {"tenant_id": tenant.tenant_id}
    where = {**key, "terminal_id": terminal_id, "store_id": tenant.store_id}
    conn.execute(insert(T["central.users"]), [
        {**key, "id": u["id"], "name": u["name"], "role": "cashier", "pin_hash": "x"}
        for u in h.users])
    conn.execute(insert(T["central.sale"]), [{**s, **where} for s in h.sales])
    conn.execute(insert(T["central.sale_line"]),
                 [{**x, **key, "terminal_id": terminal_id} for x in h.lines])
    conn.execute(insert(T["central.refund"]), [{**r, **where} for r in h.refunds])


@pytest.fixture(scope="module")
def central(central_db: CentralDB) -> Iterator[Central]:
    a, b = make_tenant(central_db, "Analitik A"), make_tenant(central_db, "Analitik B")
    ta, tb = make_terminal(central_db, a, "T01"), make_terminal(central_db, b, "T01")
    ha, hb = make_history(seed=7), make_history(seed=8)
    engine = create_engine("postgresql+psycopg://", poolclass=NullPool,
                           creator=central_db.connect)
    with engine.begin() as conn:
        _load(conn, a, ta.terminal_id, ha)
        _load(conn, b, tb.terminal_id, hb)
    engine.dispose()
    yield Central(central_db, a, b, ha, hb)


def _owner(c: Central, tenant: Tenant) -> Any:
    return create_engine("postgresql+psycopg://", poolclass=NullPool,
                         creator=lambda: c.db.as_role(tenant.owner_role))


@pytest.mark.parametrize("period", [
    Period(date(2026, 11, 1), date(2026, 12, 1)),
    Period(date(2026, 9, 10), date(2026, 10, 8)),
    Period(date(2026, 12, 20), date(2027, 1, 10)),
])
def test_central_analytics_equal_plain_computations(central: Central, period: Period
                                                    ) -> None:
    src = central_report_source(timezone="Asia/Jakarta")
    engine = _owner(central, central.a)
    try:
        with engine.connect() as conn:
            check_all(conn, central.ha, period, src)  # A's rows only: B never shows
    finally:
        engine.dispose()


_PLAIN_SQL = """
WITH cal AS (SELECT d::date AS day FROM generate_series(:lo ::date, :hi ::date - 1,
                                                        interval '1 day') AS d),
     moves AS (SELECT (created_at AT TIME ZONE 'Asia/Jakarta')::date AS day, payable AS net
                 FROM central.sale WHERE tenant_id = :t
               UNION ALL
               SELECT (created_at AT TIME ZONE 'Asia/Jakarta')::date, -gross
                 FROM central.refund WHERE tenant_id = :t),
     daily AS (SELECT cal.day, COALESCE(SUM(moves.net), 0) AS net
                 FROM cal LEFT JOIN moves ON moves.day = cal.day GROUP BY cal.day)
SELECT day, net,
       SUM(net) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS w7,
       SUM(net) OVER (ORDER BY day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW) AS w28
  FROM daily ORDER BY day
"""


def test_moving_averages_equal_hand_written_sql(central: Central) -> None:
    """Independent SQL, as the superuser with the tenant written out by hand."""
    period = Period(date(2026, 10, 1), date(2026, 11, 15))
    admin = create_engine("postgresql+psycopg://", poolclass=NullPool,
                          creator=central.db.connect)
    try:
        with admin.connect() as conn:
            rows = conn.execute(text(_PLAIN_SQL), {
                "lo": date(2026, 9, 3), "hi": period.end, "t": central.a.tenant_id}).all()
    finally:
        admin.dispose()
    want = {d: (int(net), A.average(int(w7), 7), A.average(int(w28), 28))
            for d, net, w7, w28 in rows if d >= period.start}
    engine = _owner(central, central.a)
    try:
        with engine.connect() as conn:
            trend = A.revenue_trend(conn, period,
                                    source=central_report_source(timezone="Asia/Jakarta"))
    finally:
        engine.dispose()
    assert {p.start: (p.net, p.ma7, p.ma28) for p in trend.points} == want


def test_one_store_and_the_other_tenant(central: Central) -> None:
    period = Period(date(2026, 9, 1), date(2027, 1, 1))
    engine = _owner(central, central.b)
    try:
        with engine.connect() as conn:
            b = A.basket_stats(conn, period,
                               source=central_report_source(timezone="Asia/Jakarta"))
            a_store = A.basket_stats(conn, period, source=central_report_source(
                timezone="Asia/Jakarta", store_id=central.a.store_id))
    finally:
        engine.dispose()
    assert b.sales_count == len(central.hb.sales)
    assert b.amount == sum(s["payable"] for s in central.hb.sales)
    assert a_store.sales_count == 0  # A's store, read as B's owner: nothing


def test_cli_central_analytics(central: Central, tmp_path: Path) -> None:
    """``warungin report revenue --central``: the tenant's figures, as of the read, in
    JSON and in a PDF that says so."""
    import io
    import json
    from contextlib import redirect_stdout

    from pypdf import PdfReader

    from app.cli.main import main
    period = Period(date(2026, 11, 1), date(2026, 12, 1))
    args = ["report", "revenue", "--central", "--dsn", central.db.admin_dsn, "--tenant",
            central.a.tenant_id, "--from", "2026-11-01", "--to", "2026-12-01"]
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(args) == 0
    data = json.loads(out.getvalue())
    engine = _owner(central, central.a)
    try:
        with engine.connect() as conn:
            want = A.revenue_trend(conn, period,
                                   source=central_report_source(timezone="Asia/Jakarta"))
    finally:
        engine.dispose()
    assert data["tables"][0]["totals"][4] == want.net and data["as_of"]
    assert "Analitik A" in data["title"]
    pdf = tmp_path / "revenue.pdf"
    with redirect_stdout(io.StringIO()):
        assert main([*args, "--format", "pdf", "--out", str(pdf)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Angka per" in text and "pusat: Analitik A" in text

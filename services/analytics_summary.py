"""Which per-day sales summaries an analytics query may read, on either engine.

The summaries (the till: migration 0004, ``local_db.sales_summary``; central: migration
c0007, ``sync.central.sales_summary``) hold sales by the store's local day and hour, by
product per day and per month, by customer and by cashier per day. They give exactly the
raw figures for a period of whole local days when they are in the report's zone and
fresh; :func:`summaries_for` answers None otherwise, and the query reads the raw rows:

- the till: the state row's zone and offset equal the report's, and no change the
  triggers cannot follow (an UPDATE of a sale) happened since the last rebuild;
- central: the tables exist (central at c0007 or later) and every store in scope keeps
  its summaries in the report's zone (``central.sales_summary_zone``: the store's
  ``timezone`` setting, else Asia/Jakarta; a zone change rebuilds the store's rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from typing import Any

from sqlalchemy import Connection, Table, column, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FromClause, TableClause

from local_db import sales_summary
from local_db.models import (
    SalesCashierDay,
    SalesCustomerDay,
    SalesHourSummary,
    SalesProductDay,
    SalesProductMonth,
)
from services.reports.source import ReportSource

NAMES = ("sales_hour_summary", "sales_product_day", "sales_product_month",
         "sales_customer_day", "sales_cashier_day")


@dataclass(frozen=True, slots=True)
class Summaries:
    hour: FromClause
    product_day: FromClause
    product_month: FromClause
    customer_day: FromClause
    cashier_day: FromClause


LOCAL = Summaries(SalesHourSummary.__table__, SalesProductDay.__table__,
                  SalesProductMonth.__table__, SalesCustomerDay.__table__,
                  SalesCashierDay.__table__)


def _offset(zone_name: str, start: date, end: date) -> int | None:
    """The zone's one offset over ``[start, end]`` in minutes; None if it moves or the
    zone is unknown."""
    try:
        tz = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    first = datetime.combine(start, time(0), tz).utcoffset()
    last = datetime.combine(end, time(0), tz).utcoffset()
    if first is None or first != last:
        return None
    return int(first.total_seconds() // 60)


def _central_tables(src: ReportSource) -> Summaries | None:
    metadata = getattr(src.sale, "metadata", None)
    if metadata is None:
        return None
    tables: Mapping[str, FromClause] = metadata.tables
    found = [tables.get(f"central.{n}", tables.get(n)) for n in NAMES]
    if any(t is None for t in found):
        return None
    return Summaries(*found)  # type: ignore[arg-type]


def summaries_for(conn: Connection, src: ReportSource, start: date, end: date
                  ) -> Summaries | None:
    """The summaries to read for ``[start, end)`` (shop-local days), or None: read raw."""
    if src.engine == "local":
        got = sales_summary.state(conn)
        offset = _offset(src.timezone, start, end + timedelta(days=1))
        if got is None or offset is None or not got.usable_for(src.timezone, offset):
            return None
        return LOCAL
    tables = _central_tables(src)
    if tables is None:
        return None
    if not conn.execute(text("SELECT to_regclass('central.sales_hour_summary') IS NOT NULL "
                             "AND to_regprocedure('central.sales_summary_zone(uuid, uuid)')"
                             " IS NOT NULL")).scalar():
        return None
    other = conn.execute(text(
        "SELECT count(*) FROM central.store s "
        "WHERE s.tenant_id = (SELECT central.current_tenant()) "
        "AND (CAST(:store AS uuid) IS NULL OR s.id = CAST(:store AS uuid)) "
        "AND central.sales_summary_zone(s.tenant_id, s.id) <> :zone"),
        {"store": src.store_id, "zone": src.timezone}).scalar()
    return tables if int(other or 0) == 0 else None


class Indexed(TableClause):
    """A till table read through one named index (``INDEXED BY``) or none
    (``NOT INDEXED``: in primary key order; SQLite 3.40 overlooks that hint in a grouped
    CTE, so the query also bounds ``key || ''``, see ``services.analytics._key``). The
    product summaries are keyed product first: a long period sums them in that order
    without sorting; a short one reads its days through the day index. SQLite's planner
    cannot tell the two apart (it assumes any range is small), so the query says which."""

    inherit_cache = True

    def __init__(self, table: FromClause, index: str | None) -> None:
        assert isinstance(table, Table)
        super().__init__(table.name, *(column(c.name, c.type) for c in table.c))
        self.index = index


@compiles(Indexed, "sqlite")
def _indexed(element: Indexed, compiler: Any, **kw: Any) -> str:
    name: str = compiler.visit_table(element, **kw)
    if not kw.get("asfrom"):
        return name
    return f"{name} INDEXED BY {element.index}" if element.index else f"{name} NOT INDEXED"


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """``[first, last)``: the calendar months lying whole inside ``[start, end)``, or None."""
    first = start if start.day == 1 else _next_month(start)
    last = end.replace(day=1)
    return (first, last) if first < last else None


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


__all__ = ["LOCAL", "Indexed", "Summaries", "summaries_for", "whole_months"]

"""Owners' reports: the same code runs on the till's SQLite and on the central PostgreSQL.

Every report is one function over a SQLAlchemy ``Connection`` and a :class:`ReportSource`
(which tables and columns, and how the engine turns a stored time into the shop's local
hour or day). The SQL text for both engines is generated from the same Core expressions
(``services.reports.queries``); nothing is written twice.

- On the till: ``with shop.uow(write=False) as uow: dashboard(uow.conn, today)`` — the
  source defaults to :func:`local_source` (the till's own tables, its ``timezone`` setting,
  default Asia/Jakarta).
- On central: ``app.reports_central`` connects as the tenant's owner role (row-level
  security limits every row to that tenant), builds the central source (optionally one
  store or one terminal) and calls the very same functions.

Conventions of the values returned (all frozen dataclasses):
- money is integer rupiah, quantities integer thousandths (``*_milli``);
- a date range is ``Period(start, end)``: shop-local dates, ``start`` included, ``end``
  excluded (``Period.day(d)`` is one day);
- "sales" are what customers paid (``sale.payable``: after discounts, PPN included,
  cash rounding included); refunds are counted on the day they were made, at their gross
  (PPN included, before the cash rounding of the refund);
- :func:`tables_of` gives any of them as :class:`Table` s (titled columns with a
  kind: text, money, qty, int, percent, flag) that ``services.reports.export`` renders to
  CSV/HTML and ``app.reports_pdf`` to PDF, and that a preview widget can show as is.
- who may see them (owners) is decided by :func:`dashboard_for` and :func:`report_for`
  (``services.reports.access``), which the screens and ``warungin report --user`` call.
- the registry :data:`REPORTS` lists the reports a screen or the CLI offers, with
  :func:`run_report` to run one by name.
"""

from __future__ import annotations

from services.reports.access import dashboard_for, report_for
from services.reports.queries import (
    dashboard,
    kasbon_outstanding,
    product_sales,
    run_report,
    sales_summary,
    stock_levels,
    today,
)
from services.reports.source import ReportSource, local_source
from services.reports.tables import tables_of
from services.reports.values import (
    REPORTS,
    Column,
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
    ReportSpec,
    SalesSummary,
    StockLevels,
    StockRow,
    Table,
    TopProduct,
)

__all__ = [
    "REPORTS", "Column", "Dashboard", "DaySales", "HourSales", "KasbonOutstanding",
    "KasbonRow", "MethodTotal", "Period", "ProductSales", "ProductSalesRow", "Report",
    "ReportSource", "ReportSpec", "SalesSummary", "StockLevels", "StockRow", "Table",
    "TopProduct", "dashboard", "dashboard_for", "kasbon_outstanding", "local_source",
    "product_sales", "report_for", "run_report", "sales_summary", "stock_levels",
    "tables_of", "today",
]

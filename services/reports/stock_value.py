"""Stock on hand and its valuation by product category, with totals — a report of now.

The levels and values are the stock report's own (``services.reports.queries.stock_levels``:
every active product that tracks stock, its level from the movement ledger, valued at the
current unit cost, negative levels valued at 0 and flagged), grouped here by the product's
category (none: ``Tanpa kategori``). On central the movements are the tenant's, or one
store's or terminal's, as the stock report's. Quantities are not summed across a category
(kilograms and pieces do not add up); its products, their value and the share of the
shop's stock value are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from services.formatting import ratio_bp
from services.reports.queries import stock_levels
from services.reports.source import ReportSource, local_source
from services.reports.values import (
    Column,
    Period,
    ReportSpec,
    StockRow,
    Table,
    TableReport,
    Words,
)

NO_CATEGORY = Words("Tanpa kategori", "No category")


@dataclass(frozen=True, slots=True)
class CategoryStock:
    category_id: str | None
    name: str
    products: int
    negative: int  # products below zero (valued at 0)
    value: int
    share_bp: int | None  # of the shop's stock value


@dataclass(frozen=True, slots=True)
class StockValue:
    categories: tuple[CategoryStock, ...]  # largest value first
    rows: tuple[tuple[str, StockRow], ...]  # (category name, product) by category, SKU
    products: int
    negative: int
    value: int

    def report(self) -> TableReport:
        by_cat = Table(
            "stock_by_category", "Nilai stok per kategori", "Stock value by category",
            (Column("name", "Kategori", "Category"),
             Column("products", "Produk", "Products", "int"),
             Column("negative", "Stok minus", "Below zero", "int"),
             Column("value", "Nilai stok", "Stock value", "money"),
             Column("share_bp", "Porsi", "Share", "percent")),
            tuple((c.name, c.products, c.negative, c.value, c.share_bp)
                  for c in self.categories),
            (None, self.products, self.negative, self.value, ratio_bp(self.value, self.value)))
        detail = Table(
            "stock_products", "Stok per produk", "Stock by product",
            (Column("category", "Kategori", "Category"), Column("sku", "SKU", "SKU"),
             Column("name", "Nama", "Name"), Column("unit", "Satuan", "Unit"),
             Column("level_milli", "Stok", "On hand", "qty"),
             Column("cost", "Harga pokok", "Unit cost", "money"),
             Column("value", "Nilai stok", "Stock value", "money")),
            tuple((cat, r.sku, r.name, r.unit, r.level_milli, r.cost, r.value)
                  for cat, r in self.rows),
            (None, None, None, None, None, None, self.value))
        return TableReport("stock-value", "Nilai stok per kategori", "Stock value by category",
                           None, (by_cat, detail))


def stock_value(conn: Connection, *, source: ReportSource | None = None) -> StockValue:
    src = source if source is not None else local_source(conn)
    levels = stock_levels(conn, source=src)
    p, cat = src.product, src.category
    q = select(p.c.id, p.c.category_id).where(src.live_products())
    category_of = {str(i): None if c is None else str(c) for i, c in conn.execute(q)}
    names: dict[str, str] = {}
    if cat is not None:
        cq: Any = select(cat.c.id, cat.c.name)
        if src.engine == "central":
            cq = cq.where(cat.c.tenant_id == select(func.central.current_tenant())
                          .scalar_subquery())
        names = {str(i): str(n) for i, n in conn.execute(cq)}
    groups: dict[str | None, list[StockRow]] = {}
    for row in levels.rows:
        groups.setdefault(category_of.get(row.product_id), []).append(row)

    def name_of(key: str | None) -> str:
        return NO_CATEGORY if key is None else names.get(key, "?")

    total = levels.value
    cats = sorted((CategoryStock(k, name_of(k), len(rows), sum(r.negative for r in rows),
                                 sum(r.value for r in rows),
                                 ratio_bp(sum(r.value for r in rows), total))
                   for k, rows in groups.items()), key=lambda c: (-c.value, c.name))
    detail = tuple((c.name, r) for c in cats
                   for r in sorted(groups[c.category_id], key=lambda x: x.sku))
    return StockValue(tuple(cats), detail, len(levels.rows), levels.negative_count, total)


Runner = Callable[[Connection, "Period | None", ReportSource], TableReport]


def _run(conn: Connection, _period: Period | None, source: ReportSource) -> TableReport:
    return stock_value(conn, source=source).report()


REPORTS: Mapping[str, tuple[ReportSpec, Runner]] = {
    "stock-value": (ReportSpec("stock-value", "Nilai stok per kategori",
                               "Stock value by category", False), _run),
}

__all__ = ["REPORTS", "CategoryStock", "StockValue", "stock_value"]

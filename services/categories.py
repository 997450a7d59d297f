"""Browsing the catalogue by category, for the till's touch grid.

Read-only queries over the local catalogue: the categories that hold at least one product on
sale, and the products of one category. Search as you type (``services.catalogue``) stays
the fast path for keyboards and scanners; this is the path for fingers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from local_db.models import Category, Product

#: The most product buttons one category shows (a grid, not a catalogue browser).
MAX_TILES = 60


@dataclass(frozen=True, slots=True)
class CategoryRow:
    id: str
    name: str
    products: int


@dataclass(frozen=True, slots=True)
class ProductTile:
    id: str
    sku: str
    name: str
    price: int
    unit: str


def list_categories(conn: Connection) -> tuple[CategoryRow, ...]:
    """Categories with at least one active product, by name (case-insensitive)."""
    count = func.count(Product.id)
    rows = conn.execute(
        select(Category.id, Category.name, count)
        .join(Product, Product.category_id == Category.id)
        .where(Product.active)
        .group_by(Category.id, Category.name)
        .order_by(func.lower(Category.name), Category.id))
    return tuple(CategoryRow(str(r[0]), str(r[1]), int(r[2])) for r in rows)


def category_products(conn: Connection, category_id: str, *,
                      limit: int = MAX_TILES) -> tuple[ProductTile, ...]:
    """The active products of one category, by name; at most ``limit`` of them."""
    rows = conn.execute(
        select(Product.id, Product.sku, Product.name, Product.price, Product.unit)
        .where(Product.category_id == category_id, Product.active)
        .order_by(func.lower(Product.name), Product.sku)
        .limit(max(1, min(limit, 500))))
    return tuple(ProductTile(str(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4]))
                 for r in rows)


__all__ = ["MAX_TILES", "CategoryRow", "ProductTile", "category_products", "list_categories"]

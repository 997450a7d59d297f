"""Reading the catalogue for the back office: products with their stock level and barcodes,
filtered, and the unit a typed code's product is counted in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from local_db.models import Barcode, Category, Product, StockLevel
from services.errors import BadInput, NotFound

#: SQLite binds at most 999 parameters in older builds: barcodes are read in chunks.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ProductRow:
    """One product with its barcodes and its stock level (the ``stock_level`` cache)."""

    id: str
    sku: str
    name: str
    category: str | None
    unit: str
    price: int
    cost: int
    tax_class: str
    tracks_stock: bool
    low_stock_milli: int
    active: bool
    barcodes: tuple[str, ...]
    level_milli: int

    @property
    def low(self) -> bool:
        """At or below its reorder point, or negative (the same rule as the low-only filter
        of :func:`list_products`)."""
        return self.tracks_stock and (self.level_milli <= self.low_stock_milli
                                      or self.level_milli < 0)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_products(conn: Connection, *, text: str = "", category: str | None = None,
                  low_only: bool = False, limit: int = 500,
                  product_id: str | None = None) -> list[ProductRow]:
    """Products by name, filtered: ``text`` matches name, SKU or a barcode by substring;
    ``low_only`` keeps active products that track stock and are low."""
    q = (select(Product.id, Product.sku, Product.name, Category.name, Product.unit,
                Product.price, Product.cost, Product.tax_class, Product.tracks_stock,
                Product.low_stock_milli, Product.active, StockLevel.qty_milli)
         .outerjoin(Category, Category.id == Product.category_id)
         .outerjoin(StockLevel, StockLevel.product_id == Product.id))
    if product_id is not None:
        q = q.where(Product.id == product_id)
    text = (text or "").strip()
    if text:
        like = _like(text)
        q = q.where(or_(Product.name.ilike(like, escape="\\"),
                        Product.sku.ilike(like, escape="\\"),
                        Product.id.in_(select(Barcode.product_id)
                                       .where(Barcode.code.like(like, escape="\\")))))
    if category:
        q = q.where(Category.name == category)
    if low_only:
        level = StockLevel.qty_milli
        q = q.where(Product.tracks_stock, Product.active,
                    or_(level <= Product.low_stock_milli, level < 0))
    rows = conn.execute(q.order_by(Product.name).limit(limit)).all()
    ids = [str(r[0]) for r in rows]
    codes: dict[str, list[str]] = {}
    for i in range(0, len(ids), _CHUNK):
        for code, pid in conn.execute(select(Barcode.code, Barcode.product_id)
                                      .where(Barcode.product_id.in_(ids[i:i + _CHUNK]))
                                      .order_by(Barcode.code)):
            codes.setdefault(str(pid), []).append(str(code))
    return [ProductRow(str(r[0]), str(r[1]), str(r[2]), None if r[3] is None else str(r[3]),
                       str(r[4]), int(r[5]), int(r[6]), str(r[7]), bool(r[8]), int(r[9]),
                       bool(r[10]), tuple(codes.get(str(r[0]), ())), int(r[11] or 0))
            for r in rows]


def get_product(conn: Connection, product_id: str) -> ProductRow:
    rows = list_products(conn, product_id=product_id, limit=1)
    if not rows:
        raise NotFound(f"no product {product_id}", field="product")
    return rows[0]


def sku_exists(conn: Connection, sku: str) -> bool:
    return conn.execute(select(Product.id).where(Product.sku == sku)).scalar() is not None


def find_unit(conn: Connection, code: str) -> str | None:
    """The unit of the product with this SKU or barcode, None if there is none."""
    unit = conn.execute(
        select(Product.unit).outerjoin(Barcode, Barcode.product_id == Product.id)
        .where(or_(Product.sku == code, Barcode.code == code)).limit(1)).scalar()
    return None if unit is None else str(unit)


def unit_of(conn: Connection, code: str, *, field: str = "sku") -> str:
    """The unit of the product with this SKU or barcode (how a typed quantity is read)."""
    code = (code or "").strip()
    if not code:
        raise BadInput("a SKU or barcode is needed", field=field)
    unit = find_unit(conn, code)
    if unit is None:
        raise NotFound(f"no product with SKU or barcode '{code}'", field=field)
    return unit

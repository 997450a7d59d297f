"""Catalogue: products, categories, barcodes; lookup at the till and search as you type.

The back office's list of products (with stock levels) is :mod:`services.catalogue_query`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, text, update

from local_db.ids import now_iso, uuid7
from local_db.models import Barcode, Category, Product, StockLevel, TaxClass
from local_db.fastpath import hot_execute
from local_db.store import append_audit, append_outbox
from local_db.uow import UnitOfWork
from services.barcodes import validate_barcode
from services.cart import CartItem
# ProductRow and get_product are re-exported: callers read a saved product from here.
from services.catalogue_query import ProductRow as ProductRow
from services.catalogue_query import get_product as get_product
from services.catalogue_query import sku_exists
from services.errors import BadInput, Conflict, NotFound
from services.inputs import check_text, shown
from services.money import MAX_RUPIAH, qty_to_milli, rupiah
from services.users import Actor, authorize, require

UNITS = ("pcs", "kg", "g", "liter", "ml", "pack", "dus", "lusin", "meter", "sachet", "botol",
         "bungkus")
WEIGHED_UNITS = frozenset({"kg", "g", "liter", "ml", "meter"})
_SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.]{0,39}$")
#: Longest product name and category name (characters); control characters are refused.
MAX_NAME = 120
MAX_CATEGORY = 60


@dataclass(frozen=True, slots=True)
class ProductInput:
    sku: str
    name: str
    price: int
    cost: int = 0
    unit: str = "pcs"
    category: str | None = None
    tax_class: str = "PPN"
    barcodes: tuple[str, ...] = ()
    tracks_stock: bool = True
    low_stock_milli: int = 0
    active: bool = True


@dataclass(frozen=True, slots=True)
class ProductForm:
    """A product as typed into the back office's form: text, read by :func:`read_form`
    (so a bad price comes back as BadInput with field "price")."""

    sku: str
    name: str
    price: str
    cost: str = "0"
    unit: str = "pcs"
    category: str = ""
    tax_class: str = "PPN"
    barcodes: str = ""  # separated by spaces, commas, "|" or ";"
    tracks_stock: bool = True
    low_stock: str = "0"  # reorder point, in the product's unit
    active: bool = True


@dataclass(frozen=True, slots=True)
class CatalogueChoices:
    """What the product form's drop-downs offer."""

    categories: tuple[str, ...]
    tax_classes: tuple[str, ...]
    units: tuple[str, ...]


_CODES_SPLIT = re.compile(r"[\s,|;]+")


def qty_in_unit(text: str, unit: str, *, field: str, allow_zero: bool = False) -> int:
    """A typed quantity in thousandths: decimals ("1,5" or "1.5") only for weighed units;
    ``allow_zero`` also takes an empty or zero entry (a reorder point, a count)."""
    t = (text or "").strip().replace(",", ".")
    if allow_zero and t in ("", "0", "0.0", "0.000"):
        return 0
    return qty_to_milli(t, field=field, whole_only=unit not in WEIGHED_UNITS)


def read_form(form: ProductForm) -> ProductInput:
    """The form's text as a product (validated later, by :func:`save_product`)."""
    unit = form.unit.strip()
    return ProductInput(
        sku=form.sku.strip(), name=form.name.strip(),
        price=rupiah(form.price, field="price"),
        cost=rupiah(form.cost.strip() or "0", field="cost"),
        unit=unit, category=form.category.strip() or None,
        tax_class=form.tax_class.strip(),
        barcodes=tuple(c for c in _CODES_SPLIT.split(form.barcodes.strip()) if c),
        tracks_stock=form.tracks_stock,
        low_stock_milli=qty_in_unit(form.low_stock, unit, field="low_stock", allow_zero=True),
        active=form.active)


def validate_product(p: ProductInput, tax_classes: set[str], *, prefix: str = "") -> None:
    if not _SKU_RE.match(p.sku or ""):
        raise BadInput("SKU must be 1-40 letters, digits, - _ .", field=prefix + "sku")
    if not isinstance(p.name, str) or not p.name.strip() or len(p.name.strip()) > MAX_NAME:
        raise BadInput(f"a name of 1 to {MAX_NAME} characters is needed", field=prefix + "name")
    check_text(p.name, field=prefix + "name", max_len=MAX_NAME)
    if p.category is not None:
        check_text(p.category, field=prefix + "category", max_len=MAX_CATEGORY)
    if p.unit not in UNITS:
        raise BadInput(f"unit must be one of {', '.join(UNITS)}", field=prefix + "unit")
    for fname, value in (("price", p.price), ("cost", p.cost)):
        if not 0 <= value <= MAX_RUPIAH:
            raise BadInput("must be between 0 and Rp 10.000.000.000", field=prefix + fname)
    if p.tax_class not in tax_classes:
        raise BadInput(f"unknown tax class '{p.tax_class}' (known: "
                       f"{', '.join(sorted(tax_classes))})", field=prefix + "tax_class")
    if p.low_stock_milli < 0:
        raise BadInput("must not be negative", field=prefix + "low_stock")
    for code in p.barcodes:
        validate_barcode(code, field=prefix + "barcode")


def tax_class_codes(conn: Connection) -> set[str]:
    return set(conn.execute(select(TaxClass.code)).scalars())


def catalogue_choices(conn: Connection) -> CatalogueChoices:
    cats = tuple(str(n) for n in conn.execute(select(Category.name).order_by(Category.name))
                 .scalars())
    return CatalogueChoices(cats, tuple(sorted(tax_class_codes(conn))), UNITS)


def category_id(conn: Connection, name: str | None) -> str | None:
    """The id of a category, created on first use."""
    if not name:
        return None
    found = conn.execute(select(Category.id).where(Category.name == name)).scalar()
    if found:
        return str(found)
    new_id = uuid7()
    conn.execute(insert(Category).values(id=new_id, name=name))
    return new_id


def upsert_products(uow: UnitOfWork, items: list[ProductInput]) -> list[str]:
    """Create or update products by SKU. The caller validated them and commits."""
    conn = uow.conn
    stamp = now_iso()
    ids: list[str] = []
    for p in items:
        existing = conn.execute(select(Product.id).where(Product.sku == p.sku)).scalar()
        values = {
            "name": p.name.strip(), "category_id": category_id(conn, p.category),
            "unit": p.unit, "price": p.price, "cost": p.cost, "tax_class": p.tax_class,
            "tracks_stock": p.tracks_stock, "low_stock_milli": p.low_stock_milli,
            "active": p.active, "updated_at": stamp,
        }
        if existing:
            pid = str(existing)
            conn.execute(update(Product).where(Product.id == pid).values(**values))
            conn.execute(delete(Barcode).where(Barcode.product_id == pid))
        else:
            pid = uuid7()
            conn.execute(insert(Product).values(id=pid, sku=p.sku, **values))
            conn.execute(insert(StockLevel).values(product_id=pid, qty_milli=0))
        for code in p.barcodes:
            owner = conn.execute(select(Product.sku).join(Barcode, Barcode.product_id == Product.id)
                                 .where(Barcode.code == code)).scalar()
            if owner is not None and owner != p.sku:
                raise Conflict(f"barcode {code} already belongs to {owner}", field="barcode")
            conn.execute(insert(Barcode).values(code=code, product_id=pid))
        append_outbox(conn, "product.upserted", {"id": pid, "sku": p.sku, **values,
                                                 "barcodes": list(p.barcodes)},
                      aggregate_id=pid, created_at=stamp)
        ids.append(pid)
    check_codes_unique(conn, ids)
    return ids


def code_collisions(conn: Connection, product_ids: list[str] | None = None
                    ) -> list[tuple[str, str, str]]:
    """(code, barcode's product SKU, SKU owner) for every barcode equal to ANOTHER
    product's SKU, among the barcodes or SKUs of ``product_ids`` (None: all). A scan or a
    typed code names one product, never two: such a barcode would shadow the SKU."""
    select_ = ("SELECT b.code, p.sku, o.sku FROM barcode b JOIN product p ON p.id = b.product_id "
               "JOIN product o ON o.sku = b.code AND o.id <> b.product_id")
    if product_ids is None:
        return [(str(a), str(b), str(c)) for a, b, c in conn.execute(text(select_))]
    found: list[tuple[str, str, str]] = []
    for i in range(0, len(product_ids), 400):
        part = product_ids[i:i + 400]
        marks = ", ".join(f":p{j}" for j in range(len(part)))
        params = {f"p{j}": v for j, v in enumerate(part)}
        # Two index-friendly halves (an OR across the join would scan every barcode): the
        # products' barcodes (by barcode.product_id), the products' SKUs (by barcode.code).
        found += [(str(a), str(b), str(c)) for a, b, c in conn.execute(text(
            f"{select_} WHERE b.product_id IN ({marks}) UNION "
            "SELECT b.code, p.sku, o.sku FROM product o JOIN barcode b ON b.code = o.sku "
            "AND b.product_id <> o.id JOIN product p ON p.id = b.product_id "
            f"WHERE o.id IN ({marks})"), params)]
    return found


def check_codes_unique(conn: Connection, product_ids: list[str]) -> None:
    """Refuse (the caller's transaction rolls back) if a barcode of these products is
    another product's SKU, or their SKU another product's barcode."""
    clash = code_collisions(conn, product_ids)
    if clash:
        code, holder, owner = clash[0]
        field = "barcode" if holder in _skus(conn, product_ids) else "sku"
        raise Conflict(f"'{code}' is the SKU of {owner} and a barcode of {holder}: a code "
                       "names one product", field=field)


def _skus(conn: Connection, product_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(product_ids), 400):
        part = product_ids[i:i + 400]
        found.update(str(v) for v in conn.execute(select(Product.sku)
                                                  .where(Product.id.in_(part))).scalars())
    return found


def save_product(uow: UnitOfWork, actor: Actor, p: ProductInput, *,
                 new: bool | None = None) -> ProductRow:
    """Create or update by SKU. ``new`` True: refused if the SKU exists (a form adding a
    product must not overwrite another); False: refused if it does not (an edit)."""
    authorize(uow, actor, "supervisor", "editing products")
    if new is not None:
        exists = sku_exists(uow.conn, p.sku)
        if new and exists:
            raise BadInput(f"a product with SKU {p.sku} exists already", field="sku")
        if not new and not exists:
            raise NotFound(f"no product with SKU {p.sku}", field="sku")
    validate_product(p, tax_class_codes(uow.conn))
    old_price = uow.conn.execute(select(Product.price).where(Product.sku == p.sku)).scalar()
    (pid,) = upsert_products(uow, [p])
    if old_price is not None and old_price != p.price:
        append_audit(uow.conn, "product.price", entity="product", entity_id=pid,
                     actor_id=actor.id, details={"sku": p.sku, "from": old_price, "to": p.price})
    uow.commit()
    return get_product(uow.conn, pid)


def save_product_form(uow: UnitOfWork, actor: Actor, form: ProductForm, *,
                      new: bool) -> ProductRow:
    """The back office's Save: rights first, then the form's text, then :func:`save_product`."""
    require(actor, "supervisor", "editing products")
    return save_product(uow, actor, read_form(form), new=new)


# Run at every scan, so through local_db.fastpath.
_ITEM_BY_BARCODE = (
    "SELECT p.id, p.sku, p.name, p.unit, p.price, p.cost, p.tax_class, p.tracks_stock "
    "FROM barcode b JOIN product p ON p.id = b.product_id WHERE b.code = ? AND p.active")
_ITEM_BY_SKU = ("SELECT id, sku, name, unit, price, cost, tax_class, tracks_stock "
                "FROM product WHERE sku = ? AND active")
_OTHER_SKU = "SELECT 1 FROM product WHERE sku = ? AND active AND id <> ?"


def lookup_item(conn: Connection, code: str, *, field: str = "code") -> CartItem:
    """What the till puts in the cart for a scanned barcode or a typed SKU."""
    code = (code or "").strip()
    r = hot_execute(conn, _ITEM_BY_BARCODE, (code,))
    if r is None:
        r = hot_execute(conn, _ITEM_BY_SKU, (code,))
    elif hot_execute(conn, _OTHER_SKU, (code, r[0])) is not None:
        # A barcode equal to another product's SKU (a catalogue from before the rule, or a
        # pull that could not set it aside): never sell one for the other.
        raise Conflict(f"'{shown(code)}' is both a barcode of {r[1]} and another product's "
                       "SKU; fix the catalogue", field=field)
    if r is None:
        raise NotFound(f"no active product with barcode or SKU '{shown(code)}'", field=field)
    return CartItem(str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]),
                    str(r[6]), bool(r[7]))


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    sku: str
    name: str
    price: int
    unit: str


_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


def search_products(conn: Connection, query: str, limit: int = 20) -> list[SearchHit]:
    """Search as you type: name words and SKU by prefix (FTS5), barcodes by prefix (B-tree)."""
    query = (query or "").strip()
    if not query:
        return []
    hits: dict[str, SearchHit] = {}
    if query.isdigit():
        rows = conn.execute(text(
            "SELECT p.id, p.sku, p.name, p.price, p.unit FROM barcode b "
            "JOIN product p ON p.id = b.product_id "
            "WHERE b.code >= :lo AND b.code < :hi AND p.active ORDER BY b.code LIMIT :n"),
            {"lo": query, "hi": query + "\uffff", "n": limit})
        for r in rows:
            hits.setdefault(str(r[0]), SearchHit(str(r[0]), str(r[1]), str(r[2]), int(r[3]),
                                                 str(r[4])))
    tokens = _FTS_TOKEN.findall(query)
    if tokens and len(hits) < limit:
        match = " ".join(f'"{t}"*' for t in tokens)
        rows = conn.execute(text(
            "SELECT p.id, p.sku, p.name, p.price, p.unit FROM product_fts f "
            "JOIN product p ON p.pk = f.rowid WHERE product_fts MATCH :m AND p.active "
            "LIMIT :n"), {"m": match, "n": limit})
        for r in rows:
            if len(hits) >= limit:
                break
            hits.setdefault(str(r[0]), SearchHit(str(r[0]), str(r[1]), str(r[2]), int(r[3]),
                                                 str(r[4])))
    return list(hits.values())

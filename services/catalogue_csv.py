"""Catalogue CSV import (all-or-nothing, every bad line reported) and export.

Columns: sku, name, category, unit, price, cost, tax_class, barcodes (``|``-separated),
tracks_stock (1/0), low_stock (a quantity), active (1/0). Only sku, name and price are
required; the header names the columns, in any order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from sqlalchemy import select

from local_db.models import Barcode, Product
from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.catalogue import (
    ProductInput,
    WEIGHED_UNITS,
    tax_class_codes,
    upsert_products,
    validate_product,
)
from services.csv_cells import escape_cell, unescape_cell
from services.errors import BadInput, ShopError
from services.inputs import bad_text, shown
from services.money import milli_to_decimal, qty_to_milli, rupiah
from services.users import Actor, authorize

COLUMNS = ["sku", "name", "category", "unit", "price", "cost", "tax_class", "barcodes",
           "tracks_stock", "low_stock", "active"]
REQUIRED = {"sku", "name", "price"}
_TRUE = {"1", "true", "yes", "ya", "y"}
_FALSE = {"0", "false", "no", "tidak", "n", ""}


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class ImportRejected(BadInput):
    """The file had errors; nothing was imported. ``errors`` lists every one."""

    def __init__(self, errors: list[LineError]) -> None:
        first = errors[0]
        super().__init__(f"{len(errors)} error(s), nothing imported; first: {first}",
                         field=first.field)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """An import: either everything went in (``errors`` empty) or nothing did."""

    created: int
    updated: int
    errors: tuple[LineError, ...] = ()
    unchanged: int = 0  # lines equal to the product as it is: neither created nor updated


def _flag(value: str, *, field: str, default: bool) -> bool:
    v = (value or "").strip().lower()
    if v == "":
        return default
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise BadInput(f"'{value}' is not 1/0 (yes/no)", field=field)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _records(text: str) -> Iterator[tuple[int, list[str] | LineError]]:
    """(line where the record starts, its cells) for each CSV record, or a LineError that
    ends the file: a quote never closed, stray text after a closing quote, a value over the
    csv module's 131,072 characters. Strict: a malformed record is reported as such, not
    as the price error it would otherwise turn into."""
    reader = csv.reader(io.StringIO(text), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            why = str(exc)
            if "unexpected end of data" in why:
                why = "a quoted value is never closed (its quote opens on this line)"
            elif "field larger than field limit" in why:
                why = (f"a value is longer than {csv.field_size_limit():,} characters"
                       .replace(",", "."))
            yield start, LineError(start, "csv", why)
            return
        yield start, row


def parse_catalogue(text: str, tax_classes: set[str]
                    ) -> tuple[list[ProductInput], list[int], list[LineError]]:
    """Every good product with its line number, and every bad line's error."""
    why = bad_text(text.replace("\x00", ""))  # NUL is reported per line and field below
    if why is not None:
        return [], [], [LineError(1, "file", why)]
    records = _records(text.lstrip("\ufeff"))
    first = next(records, None)
    if first is None or isinstance(first[1], LineError):
        return [], [], [first[1] if first is not None and isinstance(first[1], LineError)
                        else LineError(1, "sku", "the file is empty")]
    header = [h.strip().lower() for h in first[1]]
    missing = REQUIRED - set(header)
    if missing:
        return [], [], [LineError(1, sorted(missing)[0],
                                  "required column missing from the header")]
    unknown = set(header) - set(COLUMNS)
    if unknown:
        return [], [], [LineError(1, shown(sorted(unknown)[0]),
                                  f"unknown column (known: {', '.join(COLUMNS)})")]
    dup = next((h for h in header if header.count(h) > 1), None)
    if dup is not None:
        return [], [], [LineError(1, dup, "column named twice in the header")]
    products: list[ProductInput] = []
    lines: list[int] = []
    errors: list[LineError] = []
    seen_sku: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    for line, cells in records:
        if isinstance(cells, LineError):
            errors.append(cells)
            break
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) > len(header):
            errors.append(LineError(line, "line", f"{len(cells)} values but the header has "
                                    f"{len(header)} columns"))
            continue
        get = {k: unescape_cell(v.strip()) for k, v in zip(header, cells, strict=False)}
        try:
            for k, v in get.items():
                if "\x00" in v:
                    raise BadInput("must not contain control characters (a NUL byte)",
                                   field=k)
            unit = get.get("unit") or "pcs"
            low = get.get("low_stock") or "0"
            p = ProductInput(
                sku=get.get("sku", ""), name=get.get("name", ""),
                price=rupiah(get.get("price", ""), field="price"),
                cost=rupiah(get.get("cost") or "0", field="cost"), unit=unit,
                category=get.get("category") or None,
                tax_class=get.get("tax_class") or "PPN",
                barcodes=tuple(c.strip() for c in get.get("barcodes", "").split("|") if c.strip()),
                tracks_stock=_flag(get.get("tracks_stock", ""), field="tracks_stock",
                                   default=True),
                low_stock_milli=qty_to_milli(low, field="low_stock", allow_zero=True,
                                             whole_only=unit not in WEIGHED_UNITS),
                active=_flag(get.get("active", ""), field="active", default=True))
            validate_product(p, tax_classes)
        except ShopError as exc:
            errors.append(LineError(line, exc.field or "line", exc.message))
            continue
        if p.sku in seen_sku:
            errors.append(LineError(line, "sku", f"duplicate of line {seen_sku[p.sku]}"))
            continue
        seen_sku[p.sku] = line
        dup = next((c for c in p.barcodes if c in seen_code), None)
        if dup is not None:
            errors.append(LineError(line, "barcodes", f"{dup} is also on line {seen_code[dup]}"))
            continue
        for c in p.barcodes:
            seen_code[c] = line
        products.append(p)
        lines.append(line)
    # A code names one product: a barcode equal to another line's SKU is refused.
    for p, line in zip(products, lines, strict=True):
        clash = next((c for c in p.barcodes if c in seen_sku and c != p.sku), None)
        if clash is not None:
            errors.append(LineError(line, "barcodes", f"{clash} is the SKU on line "
                                    f"{seen_sku[clash]}"))
    if not products and not errors:
        errors.append(LineError(2, "sku", "the file has no product lines"))
    return products, lines, errors


def import_catalogue(uow: UnitOfWork, actor: Actor | None, text: str) -> ImportSummary:
    """Validate the whole file first; import every line or none. ``actor`` None: demo seed."""
    if actor is not None:
        authorize(uow, actor, "supervisor", "importing products")
    conn = uow.conn
    products, lines, errors = parse_catalogue(text, tax_class_codes(conn))
    # Barcodes already held by another product in the database are errors too, unless that
    # product is in the file as well (it may be handing the code over).
    codes = {c: p.sku for p in products for c in p.barcodes}
    line_of = {p.sku: line for p, line in zip(products, lines, strict=True)}
    for chunk in _chunks(list(codes), 500):
        rows = conn.execute(select(Barcode.code, Product.sku)
                            .join(Product, Product.id == Barcode.product_id)
                            .where(Barcode.code.in_(chunk)))
        for code, owner in rows:
            if owner != codes[code] and owner not in line_of:
                errors.append(LineError(line_of[codes[code]], "barcodes",
                                        f"{code} already belongs to {owner}"))
        # A barcode equal to the SKU of a product not in the file would shadow it.
        for sku in conn.execute(select(Product.sku).where(Product.sku.in_(chunk))).scalars():
            if sku != codes[sku] and sku not in line_of:
                errors.append(LineError(line_of[codes[sku]], "barcodes",
                                        f"{sku} is the SKU of another product"))
    # ...and a SKU equal to a barcode another product keeps (one not in the file: a
    # product in the file gets the barcodes of its line).
    for chunk in _chunks(list(line_of), 500):
        rows = conn.execute(select(Barcode.code, Product.sku)
                            .join(Product, Product.id == Barcode.product_id)
                            .where(Barcode.code.in_(chunk)))
        for code, owner in rows:
            if owner != code and owner not in line_of:
                errors.append(LineError(line_of[code], "sku",
                                        f"{code} is a barcode of {owner}"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    current = _as_stored(uow, [p.sku for p in products])
    # Only real changes are written (and sent to central): a line equal to the product as
    # it is, e.g. the rest of an exported file after one price was edited, is left alone.
    changed = [p for p in products if current.get(p.sku) != _comparable(p)]
    created = sum(1 for p in changed if p.sku not in current)
    updated = len(changed) - created
    if changed:
        upsert_products(uow, changed)
        append_audit(conn, "catalogue.import", entity="catalogue", entity_id=None,
                     actor_id=actor.id if actor else None,
                     details={"created": created, "updated": updated,
                              "unchanged": len(products) - len(changed)})
    uow.commit()
    return ImportSummary(created, updated, unchanged=len(products) - len(changed))


def _comparable(p: ProductInput) -> ProductInput:
    """``p`` as :func:`upsert_products` would store it (name stripped, barcodes as a set)."""
    return replace(p, name=p.name.strip(), category=p.category or None,
                   barcodes=tuple(sorted(set(p.barcodes))))


def _as_stored(uow: UnitOfWork, skus: list[str]) -> dict[str, ProductInput]:
    """The products with these SKUs as they are now, comparable with :func:`_comparable`."""
    from local_db.models import Category
    conn = uow.conn
    found: dict[str, ProductInput] = {}
    for chunk in _chunks(skus, 500):
        ids: dict[str, str] = {}
        for r in conn.execute(select(Product.id, Product.sku, Product.name, Category.name,
                                     Product.unit, Product.price, Product.cost,
                                     Product.tax_class, Product.tracks_stock,
                                     Product.low_stock_milli, Product.active)
                              .outerjoin(Category).where(Product.sku.in_(chunk))):
            ids[str(r[0])] = str(r[1])
            found[str(r[1])] = ProductInput(
                sku=str(r[1]), name=str(r[2]), category=r[3] or None, unit=str(r[4]),
                price=int(r[5]), cost=int(r[6]), tax_class=str(r[7]),
                tracks_stock=bool(r[8]), low_stock_milli=int(r[9]), active=bool(r[10]))
        codes: dict[str, list[str]] = {}
        for code, pid in conn.execute(select(Barcode.code, Barcode.product_id)
                                      .where(Barcode.product_id.in_(list(ids)))):
            codes.setdefault(ids[str(pid)], []).append(str(code))
        for sku, got in codes.items():
            found[sku] = replace(found[sku], barcodes=tuple(sorted(got)))
    return found


def decode_csv(raw: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), else Windows' ANSI code page, which
    Excel on Windows saves."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def import_catalogue_file(uow: UnitOfWork, actor: Actor, raw: bytes) -> ImportSummary:
    """A file chosen in the back office: every bad line comes back in ``errors`` (nothing
    imported) instead of as an exception, so a screen can list them all."""
    try:
        return import_catalogue(uow, actor, decode_csv(raw))
    except ImportRejected as rejected:
        return ImportSummary(0, 0, tuple(rejected.errors))


def export_rows(uow: UnitOfWork) -> Iterable[list[str]]:
    from local_db.models import Category
    conn = uow.conn
    codes: dict[str, list[str]] = {}
    for code, pid in conn.execute(select(Barcode.code, Barcode.product_id).order_by(Barcode.code)):
        codes.setdefault(str(pid), []).append(str(code))
    yield COLUMNS
    for r in conn.execute(select(Product.id, Product.sku, Product.name, Category.name,
                                 Product.unit, Product.price, Product.cost, Product.tax_class,
                                 Product.tracks_stock, Product.low_stock_milli, Product.active)
                          .outerjoin(Category).order_by(Product.sku)):
        # Text cells escaped against formula injection (services.csv_cells); the numbers
        # (price, cost, low_stock) are numbers.
        yield [escape_cell(str(r[1])), escape_cell(str(r[2])), escape_cell(str(r[3] or "")),
               escape_cell(str(r[4])), str(r[5]), str(r[6]), escape_cell(str(r[7])),
               escape_cell("|".join(codes.get(str(r[0]), []))), "1" if r[8] else "0",
               str(milli_to_decimal(int(r[9]))), "1" if r[10] else "0"]


def export_catalogue(uow: UnitOfWork) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(export_rows(uow))
    return out.getvalue()

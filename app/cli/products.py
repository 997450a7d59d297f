"""``warungin products import|export|search|show``."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from app.cli.args import int_between, read_stdin
from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.catalogue import lookup_item, search_products
from services.catalogue_csv import ImportRejected, export_catalogue, import_catalogue
from services.errors import BadInput
from services.inputs import check_decoded


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("products", parents=[common], help="catalogue: import, export, search")
    ps = p.add_subparsers(dest="products_command", required=True)
    i = ps.add_parser("import", parents=[common],
                      help="import a CSV (all or nothing; every bad line reported)")
    add_user_args(i)
    i.add_argument("file", help="CSV file, or - for stdin")
    i.set_defaults(handler=run_import)
    e = ps.add_parser("export", parents=[common], help="export the catalogue as CSV")
    e.add_argument("file", nargs="?", default="-", help="CSV file, or - for stdout")
    e.set_defaults(handler=run_export)
    s = ps.add_parser("search", parents=[common], help="search by name, SKU or barcode prefix")
    s.add_argument("query")
    s.add_argument("--limit", type=int_between(1, 1000), default=20)
    s.set_defaults(handler=run_search)
    lk = ps.add_parser("lookup", parents=[common], help="what a scan of this code adds")
    lk.add_argument("code")
    lk.set_defaults(handler=run_lookup)


def run_import(args: argparse.Namespace) -> int:
    if args.file == "-":
        text = check_decoded(read_stdin("file"), field="file")
    else:
        try:
            text = Path(args.file).read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"cannot read the file ({exc.__class__.__name__})", field="file") \
                from None
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        try:
            with shop.uow() as uow:
                summary = import_catalogue(uow, actor, text)
        except ImportRejected as exc:
            for err in exc.errors:
                sys.stderr.write(f"error: {err}\n")
            sys.stderr.write(f"error: {len(exc.errors)} bad line(s); nothing was imported\n")
            return 2
        emit({"created": summary.created, "updated": summary.updated,
              "unchanged": summary.unchanged})
        return 0


def run_export(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            text = export_catalogue(uow)
        if args.file == "-":
            sys.stdout.write(text)  # the CSV itself is the output
            return 0
        try:
            Path(args.file).write_text(text, "utf-8")
        except OSError as exc:
            raise BadInput(f"cannot write the file ({exc.__class__.__name__})",
                           field="file") from None
        rows = sum(1 for _ in csv.reader(io.StringIO(text))) - 1  # a name may hold a newline
        emit({"file": args.file, "products": rows, "bytes": len(text.encode("utf-8"))})
        return 0


def run_search(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            hits = search_products(uow.conn, args.query, args.limit)
        emit([{"id": h.id, "sku": h.sku, "name": h.name, "price": h.price, "unit": h.unit}
              for h in hits])
        return 0


def run_lookup(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            item = lookup_item(uow.conn, args.code)
        emit({"product_id": item.product_id, "sku": item.sku, "name": item.name,
              "unit": item.unit, "price": item.unit_price, "tax_class": item.tax_class})
        return 0

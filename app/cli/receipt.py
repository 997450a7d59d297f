"""``warungin receipt RECEIPT_NO [--pdf OUT] [--print] [--copy]``: show a committed sale's
(or refund's) receipt as text laid out for the store's paper width, save it as a PDF, print
it on the store's receipt printer. JSON on stdout; a printer that cannot be reached is
reported in the JSON (``"printed": false`` and why), on stderr, and by exit code 1."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.cli.common import opened_shop
from app.cli.output import emit
from app.printing import load_receipt, print_receipt, receipt_pdf
from app.printing.config import PrinterSettings, printer_settings
from local_db.store import read_settings
from services.errors import BadInput
from services.receipt_layout import as_text, columns_for_paper, layout_receipt


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("receipt", parents=[common],
                       help="show, print (--print) or save as PDF (--pdf) a sale's receipt")
    p.add_argument("receipt_no", metavar="RECEIPT_NO",
                   help="the sale's receipt number (or a refund number)")
    p.add_argument("--pdf", metavar="OUT", help="save the receipt as a PDF file here")
    p.add_argument("--print", dest="print_it", action="store_true",
                   help="print it on the store's receipt printer (settings printer.*)")
    p.add_argument("--copy", action="store_true",
                   help="a reprint: marked SALINAN/COPY, and the cash drawer stays shut")
    p.add_argument("--paper", type=int, choices=(58, 80), default=None,
                   help="paper width of the text shown (default: the store's printer)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            receipt = load_receipt(uow, shop.config, args.receipt_no, copy=args.copy)
            settings = read_settings(uow.conn)
        if args.paper is not None:
            columns = columns_for_paper(args.paper)
        else:
            try:
                columns = printer_settings(settings).columns
            except BadInput:
                columns = PrinterSettings().columns
        out: dict[str, Any] = {
            "receipt_no": receipt.number, "kind": receipt.kind, "total": receipt.payable,
            "columns": columns, "text": as_text(layout_receipt(receipt, columns)),
        }
        if args.pdf:
            out["pdf"] = str(receipt_pdf(shop, receipt.number, Path(args.pdf),
                                         copy=args.copy))
        status = 0
        if args.print_it:
            outcome = print_receipt(shop, receipt.number, copy=args.copy)
            out["print"] = asdict(outcome)
            if not outcome.printed:
                sys.stderr.write(f"not printed: {outcome.message}\n")
                status = 1
        emit(out)
        return status

"""``warungin stock adjust|waste|count|receive|low``."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.args import read_stdin
from app.cli.common import acting_user, add_user_args, opened_shop, read_json
from app.cli.output import emit
from services.errors import BadInput, ShopError
from services.inputs import check_text, key_name, shown
from services.money import qty_to_milli, rupiah
from services.sale_input import as_written
from services.stock import (
    ReceivedLine,
    adjust_stock,
    count_stock,
    low_stock,
    receive_goods,
)


RECEIVE_HELP = """\
Goods received from a supplier (a delivery note), as JSON on stdin, e.g.

  {"supplier": "PT Indofood", "paid_from": "payable", "document_no": "SJ-0042",
   "lines": [{"sku": "MI-0001", "qty": 40, "cost": 2800},
             {"sku": "TMB-0176", "qty": "12.5", "cost": 26000}]}

  supplier     who delivered (required, up to 120 characters)
  paid_from    how it is paid: payable (default: owed to the supplier), cash (from the
               open shift's drawer), bank, or capital (the owner's opening stock)
  document_no  the supplier's delivery note or invoice number (optional)
  due_date     on credit until this day, YYYY-MM-DD (optional; paid_from payable)
  faktur_no    the supplier's faktur pajak number (a PKP shop claiming input tax)
  input_tax    the PPN on that faktur, in rupiah (booked to PPN masukan; PKP only)
  lines        1 to 1000 lines, each:
                 sku   the product's SKU
                 qty   how many, in the product's unit (fractional for kg/liter,
                       e.g. "12.5"; whole for pcs)
                 cost  the purchase price per unit, whole rupiah; the product's cost
                       becomes the moving average of what is on hand and this

Stock goes in at cost (Dr Inventory / Cr the account of paid_from). Needs a supervisor
(--user NAME, PIN from WARUNGIN_PIN). Prints {"id", "lines"}.
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("stock", parents=[common], help="stock movements and levels")
    ss = p.add_subparsers(dest="stock_command", required=True)
    a = ss.add_parser("adjust", parents=[common], help="a signed correction with a reason")
    add_user_args(a)
    a.add_argument("sku")
    a.add_argument("qty", help="signed quantity, e.g. -2 or 1.5")
    a.add_argument("--reason", required=True)
    a.add_argument("--waste", action="store_true", help="spoiled or broken goods (always out)")
    a.set_defaults(handler=run_adjust)
    c = ss.add_parser("count", parents=[common], help="post a stock count's difference")
    add_user_args(c)
    c.add_argument("sku")
    c.add_argument("counted")
    c.add_argument("--reason", default="stock count")
    c.set_defaults(handler=run_count)
    r = ss.add_parser("receive", parents=[common],
                      help='goods received from a supplier, JSON on stdin: {"supplier", '
                           '"paid_from", "document_no", "lines": [{"sku", "qty", "cost"}]}',
                      description=RECEIVE_HELP,
                      formatter_class=argparse.RawDescriptionHelpFormatter)
    add_user_args(r)
    r.set_defaults(handler=run_receive)
    lo = ss.add_parser("low", parents=[common], help="products at or below their threshold")
    lo.set_defaults(handler=run_low)


def _signed_qty(text: str) -> int:
    """``-2``, ``+1.5`` or ``3``: one optional sign, then a quantity (``+-5`` is refused)."""
    body = text.strip()
    negative = body.startswith("-")
    if body[:1] in ("-", "+"):
        body = body[1:].lstrip()
    if body[:1] in ("-", "+"):
        raise BadInput(f"'{shown(text)}' has more than one sign (e.g. -2 or +1.5)", field="qty")
    milli = qty_to_milli(body, field="qty")
    return -milli if negative else milli


def run_adjust(args: argparse.Namespace) -> int:
    qty = _signed_qty(args.qty)  # bad input is refused before the shop is even opened
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        with shop.uow() as uow:
            r = adjust_stock(uow, actor, args.sku, qty, args.reason, waste=args.waste)
        emit({"sku": r.sku, "qty_milli": r.qty_milli, "level_milli": r.level_milli,
              "value": r.value})
        return 0


def run_count(args: argparse.Namespace) -> int:
    counted = qty_to_milli(args.counted, field="counted", allow_zero=True)  # 0, 0.0, 00...
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        with shop.uow() as uow:
            r = count_stock(uow, actor, args.sku, counted, args.reason)
        emit({"sku": r.sku, "difference_milli": r.qty_milli, "level_milli": r.level_milli,
              "value": r.value})
        return 0


#: Lines of one goods receipt (a supplier's delivery note).
MAX_RECEIPT_LINES = 1000


def parse_receipt(data: Any) -> tuple[str, str, str | None, list[ReceivedLine]]:
    """``{"supplier", "paid_from", "document_no", "lines": [{"sku", "qty", "cost"}]}`` ->
    (supplier, paid_from, document_no, lines); every field checked and named."""
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise BadInput('goods received is {"supplier": ..., "lines": [...]}', field="lines")
    unknown = set(data) - {"supplier", "paid_from", "document_no", "lines", *TERMS}
    if unknown:
        raise BadInput("unknown field", field=key_name(sorted(unknown)[0]))
    supplier = check_text(data.get("supplier") or "", field="supplier", max_len=120)
    paid_from = check_text(data.get("paid_from", "payable"), field="paid_from", max_len=20)
    document_no = (None if data.get("document_no") is None else
                   check_text(data["document_no"], field="document_no", max_len=60) or None)
    if len(data["lines"]) > MAX_RECEIPT_LINES:
        raise BadInput(f"more than {MAX_RECEIPT_LINES} lines in one receipt", field="lines")
    lines = []
    for i, raw in enumerate(data["lines"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("sku"), str):
            raise BadInput("a line needs a sku", field=f"lines[{i}].sku")
        bad = set(raw) - {"sku", "qty", "cost"}
        if bad:
            raise BadInput("unknown field", field=f"lines[{i}].{key_name(sorted(bad)[0])}")
        lines.append(ReceivedLine(raw["sku"], qty_to_milli(raw.get("qty"), field=f"lines[{i}].qty"),
                                  rupiah(raw.get("cost"), field=f"lines[{i}].cost")))
    return supplier, paid_from, document_no, lines


#: Optional terms of a delivery: on credit until ``due_date`` (YYYY-MM-DD), and for a PKP
#: shop the supplier's faktur pajak number and its PPN (input tax, rupiah).
TERMS = ("due_date", "faktur_no", "input_tax")


def receipt_terms(data: dict[str, Any]) -> tuple[str | None, str | None, int]:
    due = data.get("due_date")
    due_date = None if due is None else check_text(due, field="due_date", max_len=10)
    faktur = data.get("faktur_no")
    faktur_no = None if faktur is None else check_text(faktur, field="faktur_no", max_len=40)
    input_tax = 0 if data.get("input_tax") is None else rupiah(data["input_tax"],
                                                              field="input_tax")
    return due_date or None, faktur_no or None, input_tax


def run_receive(args: argparse.Namespace) -> int:
    data = read_json(read_stdin("receipt"), field="receipt")
    supplier, paid_from, document_no, lines = parse_receipt(data)
    due_date, faktur_no, input_tax = receipt_terms(data)
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        try:
            with shop.uow() as uow:
                receipt_id = receive_goods(uow, actor, supplier=supplier, lines=lines,
                                           paid_from=paid_from, document_no=document_no,
                                           due_date=due_date, faktur_no=faktur_no,
                                           input_tax=input_tax)
        except ShopError as exc:  # lines[N].code -> lines[N].sku, as the JSON wrote it
            raise as_written(exc, data) from None
        emit({"id": receipt_id, "lines": len(lines)})
        return 0


def run_low(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            emit([{"sku": s.sku, "name": s.name, "qty": s.qty,
                   "threshold_milli": s.low_stock_milli} for s in low_stock(uow.conn)])
        return 0

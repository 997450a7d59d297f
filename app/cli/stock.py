"""``warungin stock adjust|waste|count|receive|low``."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import acting_user, add_user_args, opened_shop, read_json
from app.cli.main import emit
from services.errors import BadInput
from services.money import qty_to_milli, rupiah
from services.stock import (
    ReceivedLine,
    adjust_stock,
    count_stock,
    low_stock,
    receive_goods,
)


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
                      help='goods received, JSON on stdin: {"supplier": ..., "paid_from": '
                           '"payable|cash|bank|capital", "lines": [{"sku", "qty", "cost"}]}')
    add_user_args(r)
    r.set_defaults(handler=run_receive)
    lo = ss.add_parser("low", parents=[common], help="products at or below their threshold")
    lo.set_defaults(handler=run_low)


def _signed_qty(text: str) -> int:
    negative = text.strip().startswith("-")
    milli = qty_to_milli(text.strip().lstrip("-+"), field="qty")
    return -milli if negative else milli


def run_adjust(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        with shop.uow() as uow:
            r = adjust_stock(uow, actor, args.sku, _signed_qty(args.qty), args.reason,
                             waste=args.waste)
        emit({"sku": r.sku, "qty_milli": r.qty_milli, "level_milli": r.level_milli,
              "value": r.value})
        return 0


def run_count(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        counted = 0 if args.counted.strip() == "0" else qty_to_milli(args.counted, field="counted")
        actor = acting_user(shop, args)
        with shop.uow() as uow:
            r = count_stock(uow, actor, args.sku, counted, args.reason)
        emit({"sku": r.sku, "difference_milli": r.qty_milli, "level_milli": r.level_milli,
              "value": r.value})
        return 0


def run_receive(args: argparse.Namespace) -> int:
    data = read_json(sys.stdin.read(), field="receipt")
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise BadInput('goods received is {"supplier": ..., "lines": [...]}', field="lines")
    lines = []
    for i, raw in enumerate(data["lines"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("sku"), str):
            raise BadInput("a line needs a sku", field=f"lines[{i}].sku")
        lines.append(ReceivedLine(raw["sku"], qty_to_milli(raw.get("qty"), field=f"lines[{i}].qty"),
                                  rupiah(raw.get("cost"), field=f"lines[{i}].cost")))
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        with shop.uow() as uow:
            receipt_id = receive_goods(uow, actor, supplier=str(data.get("supplier") or ""),
                                       lines=lines, paid_from=str(data.get("paid_from", "payable")),
                                       document_no=data.get("document_no"))
        emit({"id": receipt_id, "lines": len(lines)})
        return 0


def run_low(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            emit([{"sku": s.sku, "name": s.name, "qty": s.qty,
                   "threshold_milli": s.low_stock_milli} for s in low_stock(uow.conn)])
        return 0

"""``warungin refund RECEIPT_NO``: refund a completed sale (all of it, or ``--line N:QTY``)
with a supervisor's PIN, and print the committed refund as JSON."""

from __future__ import annotations

import argparse
import re

from app.cli.common import acting_user, add_approver_args, add_user_args, approval_from, opened_shop
from app.cli.output import emit
from services.errors import BadInput
from services.inputs import shown
from services.money import qty_to_milli
from services.refunds import refund_sale


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("refund", parents=[common],
                       help="refund a completed sale by receipt number (supervisor PIN)")
    p.add_argument("receipt_no", metavar="RECEIPT_NO")
    add_approver_args(p, "the refund (default: the --user acting, if a supervisor)")
    p.add_argument("--line", action="append", default=[], metavar="LINE_NO:QTY",
                   help="refund QTY of receipt line LINE_NO (repeatable; default: everything "
                        "not yet refunded)")
    p.add_argument("--reason", default="", help="why the goods come back")
    add_user_args(p)
    p.set_defaults(handler=run)


_LINE_NO = re.compile(r"^[0-9]{1,4}$")


def parse_lines(specs: list[str]) -> list[tuple[int, int]]:
    """``["2:1", "3:0.25"]`` -> ``[(2, 1000), (3, 250)]``; fields named as the service does."""
    out: list[tuple[int, int]] = []
    for i, spec in enumerate(specs):
        line_part, sep, qty_part = spec.partition(":")
        # ASCII digits, at most 4 (a sale has at most 500 lines): int() of anything else may
        # take other scripts' digits or fail on 4,300 of them.
        if not sep or not _LINE_NO.match(line_part.strip()) or int(line_part) < 1:
            raise BadInput(f"'{shown(spec)}' is not LINE_NO:QTY (e.g. 2:1 or 3:0.25)",
                           field=f"lines[{i}].line_no")
        out.append((int(line_part), qty_to_milli(qty_part.strip(), field=f"lines[{i}].qty")))
    return out


def run(args: argparse.Namespace) -> int:
    lines = parse_lines(args.line)  # bad input is refused before the shop is even opened
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        approval = approval_from(args, actor)
        with shop.uow() as uow:
            result = refund_sale(uow, shop.config, actor, args.receipt_no, lines,
                                 args.reason, approval)
        emit(result.as_dict())
        return 0

"""``warungin shift open|close|report|cash``."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import (
    acting_user,
    add_approver_args,
    add_user_args,
    approval_from,
    opened_shop,
    read_json,
)
from app.cli.output import emit
from services.money import rupiah
from services.shifts import close_shift, move_cash, open_shift, shift_report


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("shift", parents=[common], help="open, close or report the till's shift")
    ss = p.add_subparsers(dest="shift_command", required=True)
    o = ss.add_parser("open", parents=[common], help="open a shift with a float")
    add_user_args(o)
    o.add_argument("--float", dest="float_amount", default="0", help="cash in the drawer (Rp)")
    o.set_defaults(handler=run_open)
    c = ss.add_parser("close", parents=[common],
                      help='close with a count by denomination, JSON on stdin or --counted, '
                           'e.g. {"100000": 2, "50000": 1, "500": 3}')
    add_user_args(c)
    c.add_argument("--counted", help="the count as JSON (default: read stdin)")
    c.set_defaults(handler=run_close)
    r = ss.add_parser("report", parents=[common],
                      help="X report of the open shift (or the Z report of --shift)")
    r.add_argument("--shift", help="a closed shift's id")
    r.set_defaults(handler=run_report)
    m = ss.add_parser("cash", parents=[common], help="cash in/out of the drawer with a reason")
    add_user_args(m)
    m.add_argument("kind", choices=["in", "out", "no-sale"])
    m.add_argument("amount", nargs="?", default="0")
    m.add_argument("--reason", required=True)
    m.add_argument("--category", help="a cash out that is an expense (listrik, es_batu...: "
                   "'warungin expenses categories'); without it, a cash out is the owner's "
                   "drawings")
    m.add_argument("--payee", help="who was paid (an expense's payee; default the reason)")
    add_approver_args(m, "a cash out beyond the drawer or above the store's limit, or a "
                         "no-sale drawer opening")
    m.set_defaults(handler=run_cash)


def run_open(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        amount = rupiah(args.float_amount, field="float")
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            shift_id = open_shift(uow, shop.config, actor, amount)
        emit({"shift_id": shift_id, "opened_by": actor.name, "float": amount})
        return 0


def run_close(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        counted = read_json(args.counted if args.counted else sys.stdin.read(), field="counted")
        if not isinstance(counted, dict):
            from services.errors import BadInput
            raise BadInput('the count is a JSON object like {"100000": 2}', field="counted")
        actor = acting_user(shop, args)
        with shop.uow() as uow:
            report = close_shift(uow, shop.config, actor, counted)
        emit(report.as_dict())
        return 0


def run_report(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            emit(shift_report(uow, shop.config, args.shift).as_dict())
        return 0


def run_cash(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        kind = {"in": "cash_in", "out": "cash_out", "no-sale": "no_sale"}[args.kind]
        amount = 0 if kind == "no_sale" else rupiah(args.amount, field="amount")
        actor = acting_user(shop, args)
        approval = approval_from(args, actor)
        with shop.uow() as uow:
            move_id = move_cash(uow, shop.config, actor, kind, amount, args.reason,
                                approval=approval, category=args.category,
                                payee=args.payee)
        emit({"id": move_id, "kind": kind, "amount": amount, "category": args.category})
        return 0

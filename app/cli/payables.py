"""``warungin payables list|pay``: what the shop owes suppliers, and paying it.

``payables list`` shows the open payables as of today (``--all``: paid ones too; ``--as-of
YYYY-MM-DD``: as of the end of a past store day, later payments added back);
``payables pay PAYABLE_ID AMOUNT --from drawer|bank`` pays in part or whole as a supervisor
or owner (``--user``). JSON out; bad input exits 2 naming the field.
"""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.money import rupiah
from services.payables import PAY_FROM, list_payables, pay_payable


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("payables", parents=[common], help="what the shop owes suppliers")
    ps = p.add_subparsers(dest="payables_command", required=True)
    lst = ps.add_parser("list", parents=[common], help="open payables, soonest due first")
    lst.add_argument("--all", action="store_true", help="paid payables too")
    lst.add_argument("--as-of", help="YYYY-MM-DD: as of the end of this store day")
    lst.add_argument("--supplier", help="one supplier's (exact name)")
    lst.set_defaults(handler=run_list)
    pay = ps.add_parser("pay", parents=[common], help="pay a payable in part or whole")
    add_user_args(pay)
    pay.add_argument("payable_id")
    pay.add_argument("amount", help="rupiah, e.g. 250000 or 250.000")
    pay.add_argument("--from", dest="paid_from", required=True, choices=list(PAY_FROM),
                     help="the till's drawer (its open shift) or the bank")
    pay.set_defaults(handler=run_pay)


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            rows = list_payables(uow.conn, open_only=not args.all, as_of=args.as_of,
                                 supplier=args.supplier)
        emit([r.as_dict() for r in rows])
        return 0


def run_pay(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        amount = rupiah(args.amount, field="amount")
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = pay_payable(uow, actor, args.payable_id, amount=amount,
                               paid_from=args.paid_from)
        emit(view.as_dict())
        return 0

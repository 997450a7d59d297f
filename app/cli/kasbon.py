"""``warungin kasbon pay|balance|list``: store credit repayments and balances."""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.kasbon import REPAYMENT_ACCOUNTS, customer_balance, outstanding_kasbon, repay_kasbon
from services.money import rupiah


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("kasbon", parents=[common], help="kasbon (store credit)")
    ks = p.add_subparsers(dest="kasbon_command", required=True)
    pay = ks.add_parser("pay", parents=[common], help="a customer repays kasbon")
    add_user_args(pay)
    pay.add_argument("customer_id")
    pay.add_argument("amount", help="rupiah, e.g. 25000 or 25.000")
    pay.add_argument("--method", default="cash", choices=sorted(REPAYMENT_ACCOUNTS))
    pay.set_defaults(handler=run_pay)
    bal = ks.add_parser("balance", parents=[common], help="what one customer owes")
    bal.add_argument("customer_id")
    bal.set_defaults(handler=run_balance)
    lst = ks.add_parser("list", parents=[common], help="every customer who owes kasbon")
    lst.set_defaults(handler=run_list)


def run_pay(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        amount = rupiah(args.amount, field="amount")
        actor = acting_user(shop, args)
        with shop.uow() as uow:
            result = repay_kasbon(uow, shop.config, actor, args.customer_id, amount,
                                  method=args.method)
        emit(result.as_dict())
        return 0


def run_balance(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            emit(customer_balance(uow, args.customer_id).as_dict())
        return 0


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            rows = outstanding_kasbon(uow)
        emit([r.as_dict() for r in rows])
        return 0

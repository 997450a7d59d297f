"""``warungin expenses add|list|categories``: the shop's expenses and their categories.

``expenses add CATEGORY AMOUNT --payee NAME --paid-from drawer|bank|owed`` (owed needs
``--due-date YYYY-MM-DD``) records an expense as a supervisor or owner (``--user``);
``expenses categories`` lists the categories, ``expenses categories add CODE NAME`` adds one
with its own expense account (owner). JSON out; bad input exits 2 naming the field.
"""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.expenses import (
    PAID_FROM,
    add_category,
    expense_categories,
    list_expenses,
    record_expense,
)
from services.money import rupiah


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("expenses", parents=[common], help="expenses and their categories")
    es = p.add_subparsers(dest="expenses_command", required=True)

    add = es.add_parser("add", parents=[common], help="record an expense (supervisor/owner)")
    add_user_args(add)
    add.add_argument("category", help="the category's code (see 'expenses categories')")
    add.add_argument("amount", help="rupiah, e.g. 150000 or 150.000")
    add.add_argument("--payee", required=True, help="the supplier or payee")
    add.add_argument("--paid-from", required=True, choices=list(PAID_FROM),
                     help="the till's drawer (its open shift), the bank, or owed (a payable)")
    add.add_argument("--due-date", help="YYYY-MM-DD: when an expense owed is due")
    add.add_argument("--note")
    add.add_argument("--receipt-photo", help="the path of a photo of the receipt")
    add.add_argument("--spent-on", help="YYYY-MM-DD (default: the store's today)")
    add.set_defaults(handler=run_add)

    lst = es.add_parser("list", parents=[common], help="expenses, newest first")
    lst.add_argument("--from", dest="since", help="first store day, YYYY-MM-DD")
    lst.add_argument("--to", dest="until", help="last store day, YYYY-MM-DD")
    lst.add_argument("--category", help="one category's code")
    lst.add_argument("--limit", type=int, default=500)
    lst.set_defaults(handler=run_list)

    cat = es.add_parser("categories", parents=[common],
                        help="the expense categories (and 'categories add CODE NAME')")
    cat.add_argument("--all", action="store_true", help="inactive categories too")
    cat.set_defaults(handler=run_categories)
    cs = cat.add_subparsers(dest="categories_command")
    cadd = cs.add_parser("add", parents=[common],
                         help="a new category with its own expense account (owner)")
    add_user_args(cadd)
    cadd.add_argument("code", help="a short lowercase code, e.g. internet")
    cadd.add_argument("name", help="its name as the owner reads it, e.g. Internet")
    cadd.set_defaults(handler=run_category_add)


def run_add(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        amount = rupiah(args.amount, field="amount")
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = record_expense(uow, actor, category=args.category, payee=args.payee,
                                  amount=amount, paid_from=args.paid_from, note=args.note,
                                  receipt_photo=args.receipt_photo, due_date=args.due_date,
                                  spent_on=args.spent_on)
        emit(view.as_dict())
        return 0


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            rows = list_expenses(uow.conn, since=args.since, until=args.until,
                                 category=args.category, limit=args.limit)
        emit([r.as_dict() for r in rows])
        return 0


def run_categories(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            rows = expense_categories(uow.conn, active_only=not args.all)
        emit([r.as_dict() for r in rows])
        return 0


def run_category_add(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = add_category(uow, actor, code=args.code, name=args.name)
        emit(view.as_dict())
        return 0

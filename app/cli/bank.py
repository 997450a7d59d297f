"""``warungin bank deposit|withdraw|settle-edc|capital AMOUNT``: the shop's money between its
accounts — the safe's takings to the bank, cash from the bank to the safe, card (EDC)
takings settled by the bank (``--fee``: what the bank kept). The owner's act (``--user``),
audited; JSON out; bad input exits 2 naming the field.
"""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.bank import move_money
from services.money import rupiah

KINDS = {"deposit": "deposit", "withdraw": "withdraw", "settle-edc": "edc_settlement",
         "capital": "capital"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bank", parents=[common],
                       help="money between the safe, the bank and the card clearing")
    bs = p.add_subparsers(dest="bank_command", required=True)
    for name, what in (("deposit", "the safe's cash to the bank"),
                       ("withdraw", "cash from the bank to the safe"),
                       ("settle-edc", "card (EDC) takings paid out by the bank"),
                       ("capital", "the owner's own money into the shop's bank account")):
        c = bs.add_parser(name, parents=[common], help=what)
        add_user_args(c)
        c.add_argument("amount", help="rupiah, e.g. 2500000 or 2.500.000")
        c.add_argument("--note", help="a word for the journal (up to 200 characters)")
        if name == "settle-edc":
            c.add_argument("--fee", default="0", help="what the bank kept (rupiah)")
        c.set_defaults(handler=run, kind=KINDS[name])


def run(args: argparse.Namespace) -> int:
    amount = rupiah(args.amount, field="amount")
    fee = rupiah(getattr(args, "fee", "0"), field="fee")
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            moved = move_money(uow, actor, args.kind, amount, fee=fee, note=args.note)
        emit(moved.as_dict())
        return 0

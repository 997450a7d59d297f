"""``warungin ledger``: the trial balance (every account's debits and credits)."""

from __future__ import annotations

import argparse

from app.cli.common import opened_shop
from app.cli.output import emit
from services.ledger import trial_balance


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ledger", parents=[common], help="trial balance of the shop's books")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            tb = trial_balance(uow.conn)
        emit(tb.as_dict())
        return 0 if tb.balanced else 1

"""``warungin sale``: complete a sale read as JSON on stdin (``--stream``: one per line)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import acting_user, add_user_args, opened_shop, read_json
from app.cli.main import emit, fail
from services.errors import ShopError
from services.sale_input import parse_sale
from services.selling import complete_sale


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sale", parents=[common], help="complete a sale read as JSON on stdin")
    add_user_args(p)
    p.add_argument("--stream", action="store_true",
                   help="read one sale per line; print each committed sale as one JSON line")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        if not args.stream:
            req = parse_sale(read_json(sys.stdin.read(), field="sale"))
            with shop.uow() as uow:
                result = complete_sale(uow, shop.config, actor, req)
            emit(result.as_dict())
            return 0
        failures = 0
        for n, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                req = parse_sale(read_json(line, field=f"line {n}"))
                with shop.uow() as uow:
                    result = complete_sale(uow, shop.config, actor, req)
            except ShopError as exc:
                failures += 1
                fail(exc)
                continue
            emit(result.as_dict())  # flushed: printed only after the commit
        return 0 if failures == 0 else 2

"""``warungin segments``: the RFM segment table (counts, spend, reachable members);
``--recompute`` runs the nightly job now; ``--customer ID`` shows one customer's scores.
JSON out."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.segments import customer_rfm, recompute_segments, segment_table
from services.users import authorize


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("segments", parents=[common],
                       help="customer segments by recency, frequency and spend (RFM)")
    add_user_args(p)
    p.add_argument("--recompute", action="store_true",
                   help="score every customer now (the nightly job) before showing")
    p.add_argument("--customer", help="one customer's segment and scores")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        if args.recompute:
            with shop.uow() as uow:
                authorize(uow, actor, "supervisor", "recomputing customer segments")
                recompute_segments(uow, datetime.now(UTC))
        with shop.uow(write=False) as uow:
            if args.customer:
                authorize(uow, actor, "supervisor", "seeing customer segments")
                emit(customer_rfm(uow, args.customer, lang=args.lang).as_dict())
            else:
                emit(segment_table(uow, actor, lang=args.lang).as_dict())
        return 0

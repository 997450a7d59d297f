"""``warungin period close|lock|reopen|status``: closing the books by month (JSON out).

close MONTH         the owner closes an ended month (closing entry to retained earnings;
                    soft lock: a supervisor may still post, audited)
lock MONTH --ppn-filed-at YYYY-MM-DD   hard lock once the month's PPN return is filed
reopen MONTH --reason TEXT             soft -> open (a hard lock never reopens)
status              every closed month, with its late postings
"""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.books.periods import close_period, lock_period, period_status, reopen_period


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("period", parents=[common], help="close, lock or reopen a month")
    ps = p.add_subparsers(dest="period_command", required=True)
    close = ps.add_parser("close", parents=[common], help="close an ended month (owner)")
    add_user_args(close)
    close.add_argument("period", help="YYYY-MM")
    close.add_argument("--note", default=None)
    close.set_defaults(handler=run_close)
    lock = ps.add_parser("lock", parents=[common],
                         help="hard-lock a closed month once its PPN return is filed")
    add_user_args(lock)
    lock.add_argument("period", help="YYYY-MM")
    lock.add_argument("--ppn-filed-at", required=True, help="YYYY-MM-DD")
    lock.set_defaults(handler=run_lock)
    reopen = ps.add_parser("reopen", parents=[common], help="reopen a soft-closed month")
    add_user_args(reopen)
    reopen.add_argument("period", help="YYYY-MM")
    reopen.add_argument("--reason", required=True)
    reopen.set_defaults(handler=run_reopen)
    status = ps.add_parser("status", parents=[common], help="closed months")
    status.set_defaults(handler=run_status)


def run_close(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = close_period(uow, actor, args.period, note=args.note)
        emit(view.as_dict())
        return 0


def run_lock(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = lock_period(uow, actor, args.period, ppn_filed_at=args.ppn_filed_at)
        emit(view.as_dict())
        return 0


def run_reopen(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = reopen_period(uow, actor, args.period, args.reason)
        emit(view.as_dict())
        return 0


def run_status(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            views = period_status(uow.conn)
        emit([v.as_dict() for v in views])
        return 0

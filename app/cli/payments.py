"""``warungin payments show|cancel|unsettled|settle``: provider payments after the fact."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.payments import record_settlement, unsettled_payments, view_charge


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("payments", parents=[common],
                       help="QRIS/e-wallet/VA payments: look up, cancel, settle to the bank")
    ps = p.add_subparsers(dest="payments_command", required=True)
    s = ps.add_parser("show", parents=[common], help="a charge as this till recorded it")
    s.add_argument("order_id")
    s.set_defaults(handler=run_show)
    c = ps.add_parser("cancel", parents=[common], help="cancel a pending charge at Midtrans")
    c.add_argument("order_id")
    c.set_defaults(handler=run_cancel)
    u = ps.add_parser("unsettled", parents=[common],
                      help="provider payments not yet moved from clearing to the bank")
    u.set_defaults(handler=run_unsettled)
    t = ps.add_parser("settle", parents=[common],
                      help="book Midtrans's payout: bank less the MDR fee (supervisor)")
    add_user_args(t)
    t.add_argument("--payment", action="append", dest="payments",
                   help="only this payment id (repeatable); default: every unsettled one")
    t.set_defaults(handler=run_settle)


def run_show(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        view = view_charge(uow.conn, args.order_id)
        emit({**asdict(view), "attempt": asdict(view.attempt)})
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    from app.provider_wiring import midtrans_client
    from sync.payments import TillPayments
    with opened_shop(args) as shop:
        client = midtrans_client(shop)
        try:
            view = TillPayments(shop.db, client).cancel(args.order_id)
        finally:
            client.close()
        emit({"order_id": args.order_id, "final": view.final, "message": view.message})
    return 0 if view.final in ("cancelled", "expired", "not_sent") else 3


def run_unsettled(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        emit([{"payment_id": p, "receipt_no": r, "method": m, "amount": a}
              for p, r, m, a in unsettled_payments(uow.conn)])
    return 0


def run_settle(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            done = record_settlement(uow, actor, args.payments)
        emit({"settled": len(done), "gross": sum(d.gross for d in done),
              "fee": sum(d.fee for d in done), "net": sum(d.net for d in done),
              "payments": [asdict(d) for d in done]})
    return 0

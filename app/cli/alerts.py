"""``warungin alerts``: low-stock alerts and the reorder list (JSON).

``alerts`` shows the open alerts, how many wait for the owner's digest, and the reorder
list; ``alerts send`` queues the digest now (supervisor, ``--user``); ``alerts terms SKU``
sets a product's reorder terms (``--supplier --lead-days --pack --safety``; an empty value
clears one) and ``alerts supplier NAME DAYS`` a supplier's lead time (supervisor).
"""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.payables import store_today
from services.reorder import reorder_list, set_reorder_terms, set_supplier_lead
from services.stock_alerts import current_alerts, pending_alerts, send_alert_digest


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("alerts", parents=[common],
                       help="low-stock alerts and the reorder list")
    p.set_defaults(handler=run_show)
    s = p.add_subparsers(dest="alerts_command")
    send = s.add_parser("send", parents=[common], help="queue the owner's digest now")
    add_user_args(send)
    send.set_defaults(handler=run_send)
    terms = s.add_parser("terms", parents=[common], help="a product's reorder terms")
    add_user_args(terms)
    terms.add_argument("sku")
    terms.add_argument("--supplier")
    terms.add_argument("--lead-days", help="days from order to delivery")
    terms.add_argument("--pack", help="order in multiples of this quantity")
    terms.add_argument("--safety", help="safety stock (default: the alert threshold)")
    terms.set_defaults(handler=run_terms)
    sup = s.add_parser("supplier", parents=[common], help="a supplier's lead time in days")
    add_user_args(sup)
    sup.add_argument("name")
    sup.add_argument("days")
    sup.set_defaults(handler=run_supplier)


def run_show(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        emit({"current": [a.as_dict() for a in current_alerts(uow.conn)],
              "pending_digest": len(pending_alerts(uow.conn)),
              "reorder": reorder_list(uow.conn, store_today(uow.conn)).as_dict()})
    return 0


def run_send(args: argparse.Namespace) -> int:
    from app.secrets import cipher_for
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        cipher = cipher_for(shop)
        with shop.uow() as uow:
            emit(send_alert_digest(uow, cipher, actor).as_dict())
    return 0


def run_terms(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            t = set_reorder_terms(uow, actor, args.sku, supplier=args.supplier,
                                  lead_days=args.lead_days, pack=args.pack, safety=args.safety)
        emit({"sku": t.sku, "supplier": t.supplier, "lead_days": t.lead_days,
              "pack_milli": t.pack_milli, "safety_milli": t.safety_milli})
    return 0


def run_supplier(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            name, days = set_supplier_lead(uow, actor, args.name, args.days)
        emit({"supplier": name, "lead_days": days})
    return 0

"""``warungin loyalty settings|balance|ledger|adjust|expire|tiers|conflicts`` (JSON out).

settings [--set FIELD=VALUE ...]   show the programme's settings; with ``--set`` change them
                                   (owner, ``--user``); tiers as JSON, e.g.
                                   ``--set 'tiers=[{"code":"a","name":"A","threshold":0}]'``
balance CUSTOMER                   the member's points, their rupiah value and tier
ledger CUSTOMER                    the member's ledger rows, oldest first
adjust CUSTOMER POINTS --reason TEXT --approver NAME
                                   a correction (+/-), approved by a supervisor whose PIN
                                   comes from the environment or is asked (never on the
                                   command line)
expire [--now ISO]                 the expiry job: write the lapses due (idempotent)
tiers [--recalc] [--now ISO]       every member's tier; ``--recalc`` runs the nightly job
conflicts --central [--dsn ...]    redemptions that took a member below zero at central
                                   (two tills redeeming the same points offline)
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime

from app.cli.common import acting_user, add_approver_args, add_user_args, opened_shop
from app.cli.output import emit
from services.errors import BadInput
from services.loyalty import adjust_points, ledger, member_points
from services.loyalty_expiry import expire_points
from services.loyalty_settings import (
    parse_changes,
    read_loyalty_settings,
    save_loyalty_settings,
)
from services.loyalty_tiers import customer_tiers, recalc_tiers

DSN_ENV = "WARUNGIN_CENTRAL_DSN"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("loyalty", parents=[common], help="loyalty points and tiers")
    ls = p.add_subparsers(dest="loyalty_command", required=True)

    st = ls.add_parser("settings", parents=[common], help="show or change the settings")
    add_user_args(st)
    st.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    st.set_defaults(handler=run_settings)

    bal = ls.add_parser("balance", parents=[common], help="a member's points and tier")
    bal.add_argument("customer", help="the customer's id")
    bal.set_defaults(handler=run_balance)

    led = ls.add_parser("ledger", parents=[common], help="a member's points ledger")
    led.add_argument("customer", help="the customer's id")
    led.set_defaults(handler=run_ledger)

    adj = ls.add_parser("adjust", parents=[common], help="correct a member's points")
    add_user_args(adj)
    add_approver_args(adj, "the adjustment")
    adj.add_argument("customer", help="the customer's id")
    adj.add_argument("points", type=int, help="points to add (negative: to take off)")
    adj.add_argument("--reason", required=True)
    adj.set_defaults(handler=run_adjust)

    exp = ls.add_parser("expire", parents=[common], help="write the points lapsed by now")
    exp.add_argument("--now", help="ISO time (default: now)")
    exp.set_defaults(handler=run_expire)

    tie = ls.add_parser("tiers", parents=[common], help="every member's tier")
    tie.add_argument("--recalc", action="store_true", help="run the nightly recalculation")
    tie.add_argument("--now", help="ISO time (default: now)")
    tie.set_defaults(handler=run_tiers)

    con = ls.add_parser("conflicts", parents=[common],
                        help="redemptions that took a member below zero (central)")
    con.add_argument("--central", action="store_true", required=True)
    con.add_argument("--dsn", help=f"central connection of an owner's login (or {DSN_ENV})")
    con.add_argument("--role", help="the tenant owner role to enter")
    con.add_argument("--tenant", help="tenant id, when the login may read several")
    con.add_argument("--customer", help="one member only")
    con.set_defaults(handler=run_conflicts)


def _now(raw: str | None) -> datetime:
    if not raw:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise BadInput("an ISO time, e.g. 2026-12-31T17:00:00+00:00", field="now") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def run_settings(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        if not args.set:
            with shop.uow(write=False) as uow:
                emit(read_loyalty_settings(uow.conn).as_dict())
            return 0
        changes: dict[str, str] = {}
        for item in args.set:
            name, sep, value = str(item).partition("=")
            if not sep:
                raise BadInput("FIELD=VALUE", field="set")
            changes[name.strip()] = value
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            new = parse_changes(read_loyalty_settings(uow.conn), changes)
            saved = save_loyalty_settings(uow, actor, new)
        emit(saved.as_dict())
        return 0


def run_balance(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        emit(member_points(uow.conn, args.customer).as_dict())
    return 0


def run_ledger(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        emit({"customer_id": args.customer,
              "entries": [r.as_dict() for r in ledger(uow.conn, args.customer)]})
    return 0


def run_adjust(args: argparse.Namespace) -> int:
    from app.cli.common import approval_from
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        approval = approval_from(args, actor)
        with shop.uow() as uow:
            row = adjust_points(uow, actor, args.customer, args.points, args.reason,
                                approver=approval.user if approval else None,
                                pin=approval.pin if approval else None,
                                terminal_id=shop.config.terminal_id)
        emit(row.as_dict())
        return 0


def run_expire(args: argparse.Namespace) -> int:
    now = _now(args.now)
    with opened_shop(args) as shop, shop.uow() as uow:
        run = expire_points(uow, now, terminal_id=shop.config.terminal_id)
    emit({"rows": run.rows, "points": run.points, "members": run.members})
    return 0


def run_tiers(args: argparse.Namespace) -> int:
    now = _now(args.now)
    with opened_shop(args) as shop:
        changes = []
        if args.recalc:
            with shop.uow() as uow:
                changes = [{"customer_id": c.customer_id, "before": c.before,
                            "after": c.after, "measure": c.measure}
                           for c in recalc_tiers(uow, now)]
        with shop.uow(write=False) as uow:
            tiers = dict(customer_tiers(uow.conn))
        emit({"tiers": tiers, "changes": changes})
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    from app.reports_central import owner_connection
    from sync.central.loyalty import loyalty_conflicts, tenant_balances
    dsn = args.dsn or os.environ.get(DSN_ENV)
    if not dsn:
        raise BadInput(f"central's connection is needed: --dsn or {DSN_ENV}", field="dsn")
    with owner_connection(dsn, role=args.role, tenant_id=args.tenant) as conn:
        found = loyalty_conflicts(conn, customer_id=args.customer)
        balances = tenant_balances(conn)
    emit({"conflicts": [c.as_dict() for c in found],
          "balances": {c.customer_id: balances.get(c.customer_id, 0) for c in found}})
    return 0

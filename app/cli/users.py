"""``warungin users add|unlock|role|pin|list``."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from app.cli.common import acting_user, add_user_args, new_pin, opened_shop
from app.cli.output import emit
from local_db.models import User
from services.users import change_pin, change_role, create_user, unlock_user


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("users", parents=[common], help="users, roles and PINs")
    us = p.add_subparsers(dest="users_command", required=True)
    a = us.add_parser("add", parents=[common], help="add a user (owner only)")
    add_user_args(a)
    a.add_argument("name")
    a.add_argument("role", choices=["cashier", "supervisor", "owner"])
    a.add_argument("--new-pin", help=argparse.SUPPRESS)  # refused: WARUNGIN_NEW_PIN or asked
    a.set_defaults(handler=run_add)
    u = us.add_parser("unlock", parents=[common], help="unlock after 5 wrong PINs")
    add_user_args(u)
    u.add_argument("name")
    u.set_defaults(handler=run_unlock)
    r = us.add_parser("role", parents=[common], help="change a user's role (owner only)")
    add_user_args(r)
    r.add_argument("name")
    r.add_argument("role", choices=["cashier", "supervisor", "owner"])
    r.set_defaults(handler=run_role)
    pn = us.add_parser("pin", parents=[common], help="change a PIN")
    add_user_args(pn)
    pn.add_argument("name")
    pn.add_argument("--new-pin", help=argparse.SUPPRESS)  # refused: WARUNGIN_NEW_PIN or asked
    pn.set_defaults(handler=run_pin)
    ls = us.add_parser("list", parents=[common], help="users and their state")
    ls.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        by = acting_user(shop, args, default_to_shift=False)
        pin = new_pin(args, args.name)
        with shop.uow() as uow:
            actor = create_user(uow, by, name=args.name, role=args.role, pin=pin)
            uow.commit()
        emit({"id": actor.id, "name": actor.name, "role": actor.role})
        return 0


def _simple(args: argparse.Namespace, action: str) -> int:
    with opened_shop(args) as shop:
        by = acting_user(shop, args, default_to_shift=False)
        pin = new_pin(args, args.name) if action == "pin" else ""
        with shop.uow() as uow:
            if action == "unlock":
                unlock_user(uow, by, args.name)
            elif action == "role":
                change_role(uow, by, args.name, args.role)
            else:
                change_pin(uow, by, args.name, pin)
            uow.commit()
        emit({"ok": True, "user": args.name, "action": action})
        return 0


def run_unlock(args: argparse.Namespace) -> int:
    return _simple(args, "unlock")


def run_role(args: argparse.Namespace) -> int:
    return _simple(args, "role")


def run_pin(args: argparse.Namespace) -> int:
    return _simple(args, "pin")


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            rows = uow.session.execute(select(User.name, User.role, User.locked, User.active)
                                       .order_by(User.name))
            emit([{"name": n, "role": r, "locked": bool(lk), "active": bool(a)}
                  for n, r, lk, a in rows])
        return 0

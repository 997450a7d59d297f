"""``warungin devices register|list|deactivate``: the FCM device-token registry.

A token is an address for push messages, not a password: ``--token`` on the command line is
fine (``-`` reads it from stdin, for a token too long to paste). It is never printed whole:
the output shows its first characters and "…". Registering one's own device or a
customer's needs the acting user's PIN; another user's device needs a supervisor.
Registering a known token again refreshes it (last seen, reactivated, re-owned).
"""

from __future__ import annotations

import argparse
import sys

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.device_tokens import (
    OWNER_TYPES,
    PLATFORMS,
    deactivate,
    list_tokens,
    register_token,
)
from services.errors import BadInput


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("devices", parents=[common],
                       help="device tokens for push messages (FCM)")
    ds = p.add_subparsers(dest="devices_command", required=True)

    r = ds.add_parser("register", parents=[common],
                      help="register (or refresh) a device token of a user or a customer")
    add_user_args(r)
    owner = r.add_mutually_exclusive_group()
    owner.add_argument("--customer", help="the customer's id (default: the acting user)")
    owner.add_argument("--owner-user", help="another user's id (needs a supervisor)")
    r.add_argument("--platform", required=True, choices=PLATFORMS)
    r.add_argument("--token", required=True,
                   help="the FCM registration token ('-' reads it from stdin)")
    r.set_defaults(handler=run_register)

    ls = ds.add_parser("list", parents=[common], help="registered tokens (shown shortened)")
    ls.add_argument("--owner-type", choices=OWNER_TYPES)
    state = ls.add_mutually_exclusive_group()
    state.add_argument("--active", dest="active", action="store_true", default=None,
                       help="only active tokens")
    state.add_argument("--inactive", dest="active", action="store_false",
                       help="only deactivated tokens")
    ls.add_argument("--limit", type=int, default=200)
    ls.set_defaults(handler=run_list)

    d = ds.add_parser("deactivate", parents=[common],
                      help="deactivate a token (a lost or sold device)")
    add_user_args(d)
    d.add_argument("token", help="the token's id, or the token itself")
    d.add_argument("--reason", required=True)
    d.set_defaults(handler=run_deactivate)


def _token(args: argparse.Namespace) -> str:
    value = str(args.token)
    if value == "-":
        value = sys.stdin.read().strip()
        if not value:
            raise BadInput("no token on stdin", field="token")
    return value


def run_register(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        token = _token(args)
        actor = acting_user(shop, args, default_to_shift=False)
        if args.customer:
            kind, owner_id = "customer", str(args.customer)
        else:
            kind, owner_id = "user", str(args.owner_user or actor.id)
        with shop.uow() as uow:
            view = register_token(uow, actor, owner_type=kind, owner_id=owner_id,
                                  token=token, platform=args.platform)
        emit(view.as_dict())
        return 0


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        rows = list_tokens(uow, owner_type=args.owner_type, active=args.active,
                           limit=args.limit)
        emit([r.as_dict() for r in rows])
        return 0


def run_deactivate(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = deactivate(uow, actor, str(args.token), args.reason)
        emit(view.as_dict())
        return 0

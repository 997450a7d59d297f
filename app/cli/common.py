"""Helpers the command modules share: opening the shop, who acts (and their PIN), reading JSON.

Who acts (the rule is services.users's; the CLI only gathers who and the PIN):

- ``--user NAME`` acts as that user; the PIN comes from the environment variable
  ``WARUNGIN_PIN``, or is asked for (not echoed) when a terminal is attached. A PIN is never
  an argument: ``ps`` and the shell's history would show it to everyone on the computer, so
  ``--pin`` (and ``--approver-pin``, ``--new-pin``) are refused with that reason.
- Without ``--user`` a command acts as the cashier who opened the open shift, without a PIN:
  the services accept that for selling only and refuse everything else, naming the PIN.
- ``--approver NAME`` names a supervisor approving what the actor may not do alone; their
  PIN comes from ``WARUNGIN_APPROVER_PIN`` or is asked for. A supervisor or owner acting with
  ``--user`` approves their own refund or cash out (one PIN).
- A new user's PIN (``users add``, ``users pin``) comes from ``WARUNGIN_NEW_PIN`` or is asked
  for twice.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.paths import data_dir
from app.shop import Shop, open_shop
from services.errors import BadInput, Conflict
from services.inputs import parse_json
from services.selling import Approval
from services.users import Actor, acting, shift_cashier

PIN_ENV = "WARUNGIN_PIN"
APPROVER_PIN_ENV = "WARUNGIN_APPROVER_PIN"
NEW_PIN_ENV = "WARUNGIN_NEW_PIN"
_ON_THE_COMMAND_LINE = ("a PIN on the command line is visible to everyone on this computer "
                        "(ps, shell history); put it in {env} or type it when asked")


def shop_from(args: argparse.Namespace) -> Shop:
    shop = open_shop(data_dir(getattr(args, "data_dir", None)))
    if not shop.has_shop():
        shop.close()
        raise Conflict("this data folder holds no shop yet; run 'warungin demo' first",
                       field="data_dir")
    return shop


def add_user_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", help=f"act as this user (name or id); the PIN comes from "
                                  f"{PIN_ENV} or is asked for on a terminal")
    p.add_argument("--pin", help=argparse.SUPPRESS)  # refused: see the module's docstring


def add_approver_args(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--approver", help=f"the supervisor or owner approving {what} (name or "
                                      f"id); the PIN comes from {APPROVER_PIN_ENV} or is asked "
                                      "for on a terminal")
    p.add_argument("--approver-pin", help=argparse.SUPPRESS)  # refused, as --pin


def _can_prompt() -> bool:
    if sys.stdin.isatty():
        return True
    if not sys.stderr.isatty():
        return False
    try:
        with open("/dev/tty"):  # stdin is the data (a sale, a CSV); the PIN comes from here
            return True
    except OSError:
        return False


def secret_pin(args: argparse.Namespace, *, arg: str, env: str, whose: str,
               field: str, twice: bool = False) -> str:
    """A PIN from ``env`` or typed at the terminal, never from the command line."""
    if getattr(args, arg, None) is not None:
        raise BadInput(_ON_THE_COMMAND_LINE.format(env=env), field=field)
    pin = os.environ.get(env, "")
    if not pin and _can_prompt():
        import getpass
        pin = getpass.getpass(f"{whose}'s PIN: ")
        if twice and pin != getpass.getpass(f"{whose}'s PIN again: "):
            raise BadInput("the two PINs differ", field=field)
    if not pin:
        raise BadInput(f"{whose}'s PIN is needed: set {env} or run on a terminal to be asked",
                       field=field)
    return pin


def acting_user(shop: Shop, args: argparse.Namespace, *, default_to_shift: bool = True) -> Actor:
    """``--user`` with its PIN (checked now: a wrong one is counted, a locked user refused);
    otherwise the cashier who opened the till's shift, without a PIN, whom the services let
    sell and nothing else. The PIN is kept on ``args.acting_pin`` for :func:`approval_from`."""
    user = getattr(args, "user", None)
    if user:
        pin = secret_pin(args, arg="pin", env=PIN_ENV, whose=str(user), field="pin")
        with shop.uow() as uow:
            actor = acting(uow, user, pin)
            uow.commit()
        args.acting_pin = pin
        return actor
    if getattr(args, "pin", None) is not None:
        raise BadInput(_ON_THE_COMMAND_LINE.format(env=PIN_ENV), field="pin")
    if default_to_shift:
        with shop.uow(write=False) as uow:
            cashier = shift_cashier(uow.conn, shop.config.terminal_id)
        if cashier is not None:
            return cashier
    raise BadInput(f"say who acts with --user NAME (the PIN in {PIN_ENV}, or typed when "
                   "asked)", field="user")


def approval_from(args: argparse.Namespace, actor: Actor | None = None) -> Approval | None:
    """``--approver`` and their PIN; without it, a supervisor or owner acting with their own
    PIN (``--user``) approves themselves; else None (the service says who is needed)."""
    name = getattr(args, "approver", None)
    if name:
        return Approval(str(name), secret_pin(args, arg="approver_pin", env=APPROVER_PIN_ENV,
                                              whose=str(name), field="approver_pin"))
    if getattr(args, "approver_pin", None) is not None:
        raise BadInput(_ON_THE_COMMAND_LINE.format(env=APPROVER_PIN_ENV), field="approver_pin")
    pin = getattr(args, "acting_pin", None)
    if actor is not None and actor.pin_checked and pin and actor.at_least("supervisor"):
        return Approval(actor.id, str(pin))
    return None


def new_pin(args: argparse.Namespace, whose: str) -> str:
    """The PIN a user is given (``users add``, ``users pin``)."""
    return secret_pin(args, arg="new_pin", env=NEW_PIN_ENV, whose=f"{whose}'s new",
                      field="new_pin", twice=True)


def read_json(text: str, *, field: str = "input") -> Any:
    """JSON from outside, bounded and checked (services.inputs): malformed, undecodable,
    too deep or too long input is BadInput naming the field, never a traceback."""
    return parse_json(text, field=field)


def read_stdin_json() -> Any:
    return read_json(sys.stdin.read())


@contextmanager
def opened_shop(args: argparse.Namespace) -> Iterator[Shop]:
    """The shop of ``--data-dir``, closed when the command is done."""
    shop = shop_from(args)
    try:
        yield shop
    finally:
        shop.close()

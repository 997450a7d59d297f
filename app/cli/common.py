"""Helpers the command modules share: opening the shop, acting as a user, reading JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.paths import data_dir
from app.shop import Shop, open_shop
from services.errors import BadInput, Conflict
from services.inputs import parse_json
from services.shifts_query import open_shift_id
from services.users import Actor, authenticate


def shop_from(args: argparse.Namespace) -> Shop:
    shop = open_shop(data_dir(getattr(args, "data_dir", None)))
    if not shop.has_shop():
        shop.close()
        raise Conflict("this data folder holds no shop yet; run 'warungin demo' first",
                       field="data_dir")
    return shop


def add_user_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", help="act as this user (name or id); needs --pin")
    p.add_argument("--pin", help="the user's PIN")


def acting_user(shop: Shop, args: argparse.Namespace, *, default_to_shift: bool = True) -> Actor:
    """``--user/--pin`` if given; otherwise the cashier who opened the till's shift."""
    user = getattr(args, "user", None)
    if user:
        with shop.uow() as uow:
            actor = authenticate(uow, user, getattr(args, "pin", None) or "")
            uow.commit()
        return actor
    if default_to_shift:
        from sqlalchemy import select

        from local_db.models import Shift, User
        with shop.uow(write=False) as uow:
            sid = open_shift_id(uow.conn, shop.config.terminal_id)
            if sid is not None:
                row = uow.session.execute(select(User.id, User.name, User.role)
                                          .join(Shift, Shift.opened_by == User.id)
                                          .where(Shift.id == sid)).one()
                return Actor(row[0], row[1], row[2])
    raise BadInput("say who acts with --user NAME --pin PIN", field="user")


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

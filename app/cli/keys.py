"""``warungin keys rotate``: a new data key; every customer re-encrypted under it."""

from __future__ import annotations

import argparse

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.customers import secrets_guard
from app.cli.output import emit
from app.secrets import rotate_data_key


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("keys", parents=[common], help="the data key of customer personal data")
    ks = p.add_subparsers(dest="keys_command", required=True)
    r = ks.add_parser("rotate", parents=[common],
                      help="make a new data key and re-encrypt every customer (owner only)")
    add_user_args(r)
    r.add_argument("--keep-old-key", action="store_true",
                   help="keep the previous key in the keyring (e.g. to read old backups)")
    r.set_defaults(handler=secrets_guard(run_rotate))


def run_rotate(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        result = rotate_data_key(shop, actor, remove_old=not args.keep_old_key)
        emit(result.as_dict())  # key ids only, never key material
        return 0

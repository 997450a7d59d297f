"""``warungin providers midtrans|biteship|jne|jnt|pos|sendgrid|twilio|fcm``: where this
till's providers are and their credentials (Midtrans here; couriers in
:mod:`app.cli.providers_couriers`, messaging in :mod:`app.cli.providers_messaging`).

The key is read from standard input (never a command-line argument, which shell history
and the process list would keep) and goes to the secret store (the OS keyring); only the
base URL is a store setting.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from local_db.store import append_audit, write_settings
from services.errors import BadInput
from services.users import require

PRODUCTION = "https://api.midtrans.com"
SANDBOX = "https://api.sandbox.midtrans.com"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("providers", parents=[common], help="provider settings and credentials")
    ps = p.add_subparsers(dest="providers_command", required=True)
    m = ps.add_parser("midtrans", parents=[common],
                      help="set the Midtrans base URL and server key (key read from stdin)")
    add_user_args(m)
    where = m.add_mutually_exclusive_group()
    where.add_argument("--production", action="store_true", help=f"use {PRODUCTION}")
    where.add_argument("--sandbox", action="store_true", help=f"use {SANDBOX} (default)")
    where.add_argument("--url", help="another base URL (e.g. a simulator)")
    m.set_defaults(handler=run_midtrans)
    for module, function in (("app.cli.providers_couriers", "register_couriers"),
                             ("app.cli.providers_messaging", "register_messaging")):
        try:
            group = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue  # like main.COMMAND_MODULES: a provider group not built yet
        getattr(group, function)(ps, common)


def run_midtrans(args: argparse.Namespace) -> int:
    from app.provider_wiring import MIDTRANS_KEY_NAME
    from app.secrets import secret_store_for
    key = sys.stdin.readline().strip()
    if not key:
        raise BadInput("give the server key on standard input", field="server_key")
    url = PRODUCTION if args.production else (args.url or SANDBOX)
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise BadInput("the URL must be https (or a local simulator)", field="url")
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        require(actor, "owner", "setting provider credentials")
        secret_store_for(shop).set(MIDTRANS_KEY_NAME, key)
        with shop.uow() as uow:
            write_settings(uow.conn, {"midtrans.base_url": url.rstrip("/")})
            append_audit(uow.conn, "provider.credentials", entity="provider",
                         entity_id="midtrans", actor_id=actor.id, details={"url": url})
            uow.commit()
    emit({"provider": "midtrans", "base_url": url, "server_key": "stored in the keyring"})
    return 0

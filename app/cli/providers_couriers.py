"""``warungin providers biteship|jne|jnt|pos``: a courier's settings and its credentials.

Settings (base URL, account ids, the shop's sending address, the default service) are store
settings, which reach every till of the tenant through the central pull; the credentials are
read from standard input, one per line in the order the command's help lists, and go to the
secret store (the OS keyring), never to SQLite, a command line or a log. ``--no-secrets``
changes settings only. The owner only, audited (the secrets' names, never their values).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from local_db.store import append_audit, read_settings, write_settings
from services.courier_settings import (
    CLIENTS,
    NOTIFY,
    SECRET_NAMES,
    courier_settings_from,
    parse_default,
)
from services.errors import BadInput
from services.users import require

#: Per client: (flag, setting key suffix, help).
CLIENT_FLAGS: Mapping[str, tuple[tuple[str, str, str], ...]] = {
    "biteship": (("--companies", "companies", "company codes to quote, e.g. jne,jnt,pos"),),
    "jne": (("--username", "username", "the JNE API user name"),
            ("--branch", "branch", "OLSHOP_BRANCH, e.g. CGK000"),
            ("--customer-id", "customer_id", "OLSHOP_CUST")),
    "jnt": (("--username", "username", "the J&T API user name"),
            ("--eccompanyid", "eccompanyid", "the J&T e-commerce company id"),
            ("--order-url", "order_url", "order create URL (real J&T hosts differ)"),
            ("--tariff-url", "tariff_url", "tariff URL"),
            ("--track-url", "track_url", "tracking URL"),
            ("--cancel-url", "cancel_url", "cancel URL")),
    "pos": (("--customer-id", "customer_id", "the POS Indonesia customer id"),),
}
ORIGIN_FLAGS = (("--origin-name", "name"), ("--origin-phone", "phone"),
                ("--origin-address", "address"), ("--origin-postal-code", "postal_code"),
                ("--origin-area-id", "area_id"), ("--origin-code", "code"),
                ("--origin-city", "city"))
NAMES = {"biteship": "Biteship", "jne": "JNE", "jnt": "J&T Express", "pos": "POS Indonesia"}


def register_couriers(ps: argparse._SubParsersAction[argparse.ArgumentParser],
                      common: argparse.ArgumentParser) -> None:
    for client in CLIENTS:
        secrets = ", ".join(SECRET_NAMES[client])
        p = ps.add_parser(client, parents=[common],
                          help=f"set {NAMES[client]}'s settings and credentials (stdin, one "
                               f"per line: {secrets})")
        add_user_args(p)
        p.add_argument("--url", help="the base URL (a simulator's too)")
        for flag, _, text in CLIENT_FLAGS[client]:
            p.add_argument(flag, help=text)
        for flag, _ in ORIGIN_FLAGS:
            p.add_argument(flag, help="the shop's sending address (shared by all couriers)")
        p.add_argument("--default", help="the default service, client:company:service")
        p.add_argument("--notify", choices=NOTIFY, help="tell customers of shipment updates")
        p.add_argument("--timeout", help="seconds per courier call (courier.timeout)")
        p.add_argument("--disable", action="store_true",
                       help="take it out of courier.enabled (it is enabled otherwise)")
        p.add_argument("--no-secrets", action="store_true",
                       help="change settings only; read nothing from stdin")
        p.set_defaults(handler=run_courier, courier_client=client)


def _url(client: str, url: str) -> str:
    url = url.strip().rstrip("/")
    local = url.startswith(("http://127.0.0.1", "http://localhost"))
    # JNE's own API is served over plain http (apiv2.jne.co.id:10101/10102).
    if not (url.startswith("https://") or local or (client == "jne"
                                                     and url.startswith("http://"))):
        raise BadInput("the URL must be https (or a local simulator)", field="url")
    return url


def _read_secrets(client: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in SECRET_NAMES[client]:
        value = sys.stdin.readline().strip()
        if not value:
            raise BadInput(f"give {', '.join(SECRET_NAMES[client])} on standard input, one "
                           "per line (or --no-secrets)", field=name)
        out[name] = value
    return out


def run_courier(args: argparse.Namespace) -> int:
    from app.secrets import secret_store_for
    client: str = args.courier_client
    values: dict[str, str] = {}
    if args.url:
        values[f"courier.{client}.base_url"] = _url(client, args.url)
    for flag, suffix, _ in CLIENT_FLAGS[client]:
        given = getattr(args, flag.lstrip("-").replace("-", "_"))
        if given is not None:
            values[f"courier.{client}.{suffix}"] = given.strip()
    for flag, suffix in ORIGIN_FLAGS:
        given = getattr(args, flag.lstrip("-").replace("-", "_"))
        if given is not None:
            values[f"courier.origin.{suffix}"] = given.strip()
    if args.default is not None:
        if parse_default(args.default) is None:
            raise BadInput("write it client:company:service, e.g. biteship:jne:reg",
                           field="default")
        values["courier.default"] = args.default.strip().lower()
    if args.notify is not None:
        values["courier.notify"] = args.notify
    if args.timeout is not None:
        try:
            seconds = float(args.timeout)
        except ValueError:
            raise BadInput("must be a number of seconds", field="timeout") from None
        if not 0.05 <= seconds <= 120:
            raise BadInput("must be from 0.05 to 120 seconds", field="timeout")
        values["courier.timeout"] = f"{seconds:g}"
    secrets = {} if args.no_secrets else _read_secrets(client)
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        require(actor, "owner", "setting courier credentials")
        with shop.uow(write=False) as uow:
            current = courier_settings_from(read_settings(uow.conn)).enabled
        enabled = [c for c in current if not (args.disable and c == client)]
        if not args.disable and client not in enabled:
            enabled.append(client)
        values["courier.enabled"] = ",".join(enabled)
        store = secret_store_for(shop)
        for name, value in secrets.items():
            store.set(name, value)
        with shop.uow() as uow:
            write_settings(uow.conn, values)
            append_audit(uow.conn, "provider.credentials", entity="provider",
                         entity_id=client, actor_id=actor.id,
                         details={"settings": sorted(values), "secrets": sorted(secrets)})
            uow.commit()
    shown = {k: v for k, v in values.items() if not k.startswith("courier.origin.phone")}
    emit({"provider": client, "enabled": enabled, "settings": shown,
          "secrets": {name: "stored in the keyring" for name in secrets}})
    return 0


__all__ = ["register_couriers", "run_courier"]

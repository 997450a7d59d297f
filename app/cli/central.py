"""``warungin central ...``: the administrator's commands for a central PostgreSQL.

These talk to central only (no shop folder). ``--dsn`` is the administrator's connection
string (default: the WARUNGIN_CENTRAL_DSN environment variable, so a password need not sit
in shell history); any DSN printed is shown without its password. ``add-terminal`` and
``reissue-code`` print the terminal's one-time enrolment code: it is shown this once and
stored nowhere, and the password inside it stops working when the terminal enrols.

``couriers`` sets the tenant's courier configuration (which couriers, account ids, origin,
default service) in every store's settings; each till gets it with its next pull. Keys
that look like secrets are refused: API keys go into each till's keyring
(``warungin providers``), never to central.

``loyalty`` sets the tenant's loyalty programme (``--set FIELD=VALUE``, the fields and rules
of the till's ``warungin loyalty settings``) in every store's settings the same way, so
every till earns at the same rate.
"""

from __future__ import annotations

import argparse
import re
import os

from app.cli.output import emit
from services.errors import BadInput
from sync.central import admin

DSN_ENV = "WARUNGIN_CENTRAL_DSN"


def _dsn(args: argparse.Namespace) -> str:
    dsn = args.dsn or os.environ.get(DSN_ENV)
    if not dsn:
        raise BadInput(f"give the central database with --dsn or {DSN_ENV}", field="dsn")
    return str(dsn)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("central", parents=[common],
                       help="administer the central PostgreSQL of a tenant group")
    cs = p.add_subparsers(dest="central_command", required=True)

    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        c = cs.add_parser(name, parents=[common], help=help_text)
        c.add_argument("--dsn", help=f"administrator's connection string (or {DSN_ENV})")
        return c

    i = cmd("init", "create or upgrade the schema, roles and policies (idempotent)")
    i.set_defaults(handler=run_init)

    t = cmd("add-tenant", "add a tenant (prints its id and its owner role)")
    t.add_argument("name")
    t.set_defaults(handler=run_add_tenant)

    s = cmd("add-store", "add a store to a tenant")
    s.add_argument("--tenant", required=True, help="tenant id")
    s.add_argument("code")
    s.add_argument("name")
    s.set_defaults(handler=run_add_store)

    a = cmd("add-terminal", "add a terminal: its own database role and a one-time "
                            "enrolment code")
    a.add_argument("--tenant", required=True, help="tenant id")
    a.add_argument("--store", required=True, help="store id")
    a.add_argument("--terminal-id", help="the till's own terminal id (default: a new id)")
    a.add_argument("--public-dsn", help="where terminals reach central, if not where the "
                                        "administrator does (no password)")
    a.add_argument("code")
    a.set_defaults(handler=run_add_terminal)

    r = cmd("reissue-code", "a new one-time enrolment code for an existing terminal "
                            "(its old password stops working)")
    r.add_argument("--terminal", required=True, help="terminal id")
    r.add_argument("--public-dsn", help="where terminals reach central (no password)")
    r.set_defaults(handler=run_reissue)

    c = cmd("couriers", "the tenant's courier configuration (no secrets), for every till "
                        "of the tenant through the pull; with no change, shows it")
    c.add_argument("--tenant", required=True, help="tenant id")
    for flag, key, what in _COURIER_FLAGS:
        c.add_argument(flag, dest=_dest(key), help=f"{what} ({key}; empty removes it)")
    c.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="any other courier.* setting, e.g. courier.jne.username=TOKO1")
    c.add_argument("--unset", action="append", default=[], metavar="KEY",
                   help="remove a courier.* setting")
    c.set_defaults(handler=run_couriers)

    lo = cmd("loyalty", "the tenant's loyalty settings, for every till of the tenant "
                        "through the pull; with no --set, shows them")
    lo.add_argument("--tenant", required=True, help="tenant id")
    lo.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="as 'warungin loyalty settings --set', e.g. step=5000")
    lo.set_defaults(handler=run_loyalty)

    pp = cmd("period", "close (soft), lock (hard, after the PPN return is filed) or reopen a "
                       "month of the tenant's books; every till takes it with the pull")
    pp.add_argument("action", choices=["close", "lock", "reopen"])
    pp.add_argument("--tenant", required=True, help="tenant id")
    pp.add_argument("--period", required=True, help="the month, YYYY-MM")
    pp.add_argument("--note", help="why (kept with the period)")
    pp.add_argument("--by", help="who closed it (a name, kept with the period)")
    pp.set_defaults(handler=run_period)


_COURIER_FLAGS = (
    ("--enabled", "courier.enabled", "couriers in use: a comma list of biteship,jne,jnt,pos"),
    ("--default", "courier.default", "default service, client:company:service"),
    ("--notify", "courier.notify", "shipment updates to customers: none|whatsapp|sms"),
    ("--origin-name", "courier.origin.name", "sender name"),
    ("--origin-phone", "courier.origin.phone", "sender phone"),
    ("--origin-address", "courier.origin.address", "pickup address"),
    ("--origin-postal-code", "courier.origin.postal_code", "pickup postal code"),
    ("--origin-area-id", "courier.origin.area_id", "Biteship area id of the pickup"),
    ("--origin-code", "courier.origin.code", "JNE / J&T origin code"),
    ("--origin-city", "courier.origin.city", "pickup city"),
)


def _dest(key: str) -> str:
    return "courier_" + key.removeprefix("courier.").replace(".", "_")


def run_init(args: argparse.Namespace) -> int:
    emit(admin.init(_dsn(args)).as_dict())
    return 0


def run_add_tenant(args: argparse.Namespace) -> int:
    emit(admin.add_tenant(_dsn(args), args.name).as_dict())
    return 0


def run_add_store(args: argparse.Namespace) -> int:
    emit(admin.add_store(_dsn(args), args.tenant, args.code, args.name).as_dict())
    return 0


def run_add_terminal(args: argparse.Namespace) -> int:
    emit(admin.add_terminal(_dsn(args), args.tenant, args.store, args.code,
                            terminal_id=args.terminal_id, public_dsn=args.public_dsn
                            ).as_dict())
    return 0


def run_reissue(args: argparse.Namespace) -> int:
    emit(admin.reissue_code(_dsn(args), args.terminal, public_dsn=args.public_dsn).as_dict())
    return 0


def run_period(args: argparse.Namespace) -> int:
    from sync.central.periods import set_period_state
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(args.period)):
        raise BadInput("a month is YYYY-MM", field="period")
    state = {"close": "soft", "lock": "hard", "reopen": "open"}[args.action]
    emit(set_period_state(_dsn(args), args.tenant, args.period, state, closed_by=args.by,
                          note=args.note, ppn_filed=args.action == "lock").as_dict())
    return 0


def run_couriers(args: argparse.Namespace) -> int:
    values: dict[str, str | None] = {}
    for _flag, key, _what in _COURIER_FLAGS:
        given = getattr(args, _dest(key))
        if given is not None:
            values[key] = given
    for pair in args.set:
        key, sep, value = str(pair).partition("=")
        if not sep or not key.strip():
            raise BadInput("--set takes KEY=VALUE", field="set")
        values[key.strip()] = value
    for key in args.unset:
        values[str(key).strip()] = None
    emit(admin.set_couriers(_dsn(args), args.tenant, values).as_dict())
    return 0


def run_loyalty(args: argparse.Namespace) -> int:
    from sync.central.tenant_loyalty import set_tenant_loyalty
    changes: dict[str, str] = {}
    for item in args.set:
        name, sep, value = str(item).partition("=")
        if not sep or not name.strip():
            raise BadInput("--set takes FIELD=VALUE", field="set")
        changes[name.strip()] = value
    emit(set_tenant_loyalty(_dsn(args), args.tenant, changes).as_dict())
    return 0

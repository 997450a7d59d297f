"""``warungin central ...``: the administrator's commands for a central PostgreSQL.

These talk to central only (no shop folder). ``--dsn`` is the administrator's connection
string (default: the WARUNGIN_CENTRAL_DSN environment variable, so a password need not sit
in shell history); any DSN printed is shown without its password. ``add-terminal`` and
``reissue-code`` print the terminal's one-time enrolment code: it is shown this once and
stored nowhere, and the password inside it stops working when the terminal enrols.
"""

from __future__ import annotations

import argparse
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

"""``warungin enroll CODE``: join this till to its tenant's central database.

CODE is the one-time code from ``warungin central add-terminal``; give ``-`` to read it
from standard input instead (a code on the command line can linger in shell history).
"""

from __future__ import annotations

import argparse
import sys

from app.cli.common import opened_shop
from app.cli.customers import secrets_guard
from app.cli.output import emit
from app.enroll import enroll


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("enroll", parents=[common],
                       help="join this till to a central database with a one-time code")
    p.add_argument("code", help="the enrolment code, or - to read it from standard input")
    p.set_defaults(handler=secrets_guard(run_enroll))


def run_enroll(args: argparse.Namespace) -> int:
    code = sys.stdin.read() if args.code == "-" else args.code
    with opened_shop(args) as shop:
        emit(enroll(shop, code).as_dict())  # ids and the DSN without password
    return 0

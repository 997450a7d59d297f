"""``warungin``: the command line. Every command takes ``--data-dir``.

Commands live in small modules of this package, each with a ``register(sub, common)``
function; output is JSON on stdout, refusals a one-line message on stderr naming the field
and a non-zero exit (2 for bad input, 3 for a refusal or conflict, 4 for a damaged database).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable

from app.cli.args import check_arguments
from app.cli.output import emit, fail
from local_db.migrate import DatabaseDamaged
from services.errors import BadInput, ShopError

COMMAND_MODULES = [
    "status",
    "demo",
    "sale",
    "refund",
    "receipt",
    "shift",
    "products",
    "stock",
    "kasbon",
    "customers",
    "users",
    "keys",
    "ledger",
    "payments",
    "providers",
    "verify",
    "bench",
    "jobs",
    "central",
    "enroll",
    "sync",
    "report",
    "ship",
    "messages",
    "devices",
    "bank",
    "expenses",
    "payables",
    "export",
    "period",
    "loyalty",
    "alerts",
    "scheduler",
    "campaign",
    "segments",
]

log = logging.getLogger("warungin")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's copy of the option must not overwrite one given before it.
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="the shop's data folder (default: WARUNGIN_DATA_DIR "
                                           "or the user data folder)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="warungin", parents=[common],
                                     description="Warungin: offline-first point of sale")
    sub = parser.add_subparsers(dest="command")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"app.cli.{name}":
                continue  # a command group not built yet
            raise
        module.register(sub, common)
    return parser


def _default_only(argv: list[str]) -> argparse.Namespace | None:
    """``warungin`` alone (or with only ``--data-dir``): the till. Parsed without importing
    every command module, which would add a few hundred milliseconds to the till's cold
    start (issue 5: 1.5 s to ready)."""
    parser = argparse.ArgumentParser(prog="warungin", parents=[_common()], add_help=False)
    args, rest = parser.parse_known_args(argv)
    return None if rest else args


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    given = sys.argv[1:] if argv is None else argv
    if "--" in given and "--" in given[given.index("--") + 1:]:
        # Python 3.11's argparse would turn a literal "--" value into an empty list.
        return fail(BadInput("'--' after '--' is not a value", field="argv"))
    fast = _default_only(given)
    args = fast if fast is not None else build_parser().parse_args(given)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        from app.cli.status import run_default
        handler = run_default
    try:
        check_arguments(args)
        return handler(args)
    except ShopError as exc:
        return fail(exc)
    except DatabaseDamaged as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 4


# emit and fail live in app.cli.output (the command modules import them from there).
__all__ = ["COMMAND_MODULES", "build_parser", "emit", "fail", "main"]


if __name__ == "__main__":
    raise SystemExit(main())

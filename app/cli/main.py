"""``warungin``: the command line. Every command takes ``--data-dir``.

Commands live in small modules of this package, each with a ``register(sub, common)``
function; output is JSON on stdout, refusals a one-line message on stderr naming the field
and a non-zero exit (2 for bad input, 3 for a refusal or conflict, 4 for a damaged database).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import math
import re
import sys
from collections.abc import Callable
from typing import Any

from local_db.migrate import DatabaseDamaged
from services.errors import BadInput, ShopError
from services.inputs import bad_text

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


def emit(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=None) + "\n")
    sys.stdout.flush()


def fail(error: ShopError) -> int:
    sys.stderr.write(f"error: {error}\n")
    sys.stderr.flush()
    return 2 if isinstance(error, BadInput) else 3


def int_between(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``lo`` to ``hi`` (argparse names the option
    in its refusal, exit 2), so no out-of-range number reaches SQLite or a socket."""
    def parse(text: str) -> int:
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", text.strip()):
            raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a whole number")
        value = int(text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be from {lo} to {hi}")
        return value
    return parse


def seconds_between(lo: float, hi: float) -> Callable[[str], float]:
    """An argparse type: a finite number of seconds from ``lo`` to ``hi``."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a number") from None
        if not (math.isfinite(value) and lo <= value <= hi):
            raise argparse.ArgumentTypeError(f"must be from {lo:g} to {hi:g} seconds")
        return value
    return parse


def read_stdin(field: str) -> str:
    """All of stdin as text; bytes that are not UTF-8 are BadInput naming ``field`` (Python
    reads them as lone surrogates, which services.inputs refuses, or raises here)."""
    try:
        return sys.stdin.read()
    except UnicodeDecodeError as exc:
        raise BadInput(f"is not valid UTF-8 text (byte {exc.start})", field=field) from None


def check_arguments(args: argparse.Namespace) -> None:
    """Every text argument valid Unicode without NUL: undecodable bytes in argv come as
    lone surrogates, which could be neither stored nor printed."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            why = bad_text(item) if isinstance(item, str) else None
            if why is not None:
                raise BadInput(why, field=name)


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


if __name__ == "__main__":
    raise SystemExit(main())

"""Reading the command line and stdin safely: bounded numeric options and text that can be
stored and printed (undecodable bytes, lone surrogates and NUL are refused naming the
argument). Shared by the command modules; ``app.cli.main`` re-exports them."""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable

from services.errors import BadInput
from services.inputs import bad_text


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

"""How every command answers: JSON on stdout, a refusal as one line on stderr.

Its own module (not ``app.cli.main``) so that command modules, ``status`` among them, can
use it without importing the entry point that imports them (no import circle).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from services.errors import BadInput, ShopError


def emit(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=None) + "\n")
    sys.stdout.flush()


def fail(error: ShopError) -> int:
    """Say why on stderr; the exit code: 2 for bad input, 3 for a refusal or conflict."""
    sys.stderr.write(f"error: {error}\n")
    sys.stderr.flush()
    return 2 if isinstance(error, BadInput) else 3


__all__ = ["emit", "fail"]

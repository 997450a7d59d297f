"""The program's icons (SVG files in ``resources/icons/``), loaded once each."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QIcon


@cache
def icon(name: str) -> QIcon:
    """``icon("pay")`` is resources/icons/pay.svg; a missing file is a bug and raises."""
    path = resources.files("resources").joinpath("icons", f"{name}.svg")
    if not path.is_file():
        raise FileNotFoundError(f"no icon resources/icons/{name}.svg")
    return QIcon(str(path))

"""CSV cells that a spreadsheet must never run (CSV / formula injection, OWASP).

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula: a product named ``=cmd|' /C calc'!A0`` would run on the owner's PC
when the export is opened. Every TEXT cell Warungin writes to CSV goes through
:func:`escape_cell`, which prefixes such a cell with a single quote (OWASP's rule); numbers
(money, quantities, which may be negative) are written as numbers. What is stored stays as
typed. :func:`unescape_cell` undoes the prefix when an export is imported again.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """``=1+2`` -> ``'=1+2``; any other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell` for a cell read back from an export."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text

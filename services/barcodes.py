"""Barcode checks: EAN-13, EAN-8 and UPC-A check digits; in-store codes allowed.

GS1 reserves EAN-13 prefixes 20-29 (and EAN-8 prefixes 0 and 2) for in-store use, e.g.
weighed goods labelled by the shop's own scale; those are accepted as long as their check
digit is right. Any other code that is not 8, 12 or 13 digits (a shop's own label like
"WRG-0012") is accepted as an in-store code.
"""

from __future__ import annotations

import re

from services.errors import BadInput

_CODE_RE = re.compile(r"^[0-9A-Za-z\-_.]{1,32}$")


def gs1_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of ``body`` (weights 3,1,3,... from the right)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def kind_of(code: str) -> str:
    if code.isdigit() and len(code) in (8, 12, 13):
        return {8: "EAN-8", 12: "UPC-A", 13: "EAN-13"}[len(code)]
    return "in-store"


def validate_barcode(code: str, *, field: str = "barcode") -> str:
    code = (code or "").strip()
    if not _CODE_RE.match(code):
        raise BadInput(f"'{code}' is not a barcode (1-32 letters, digits, - _ .)", field=field)
    kind = kind_of(code)
    if kind != "in-store" and gs1_check_digit(code[:-1]) != int(code[-1]):
        raise BadInput(f"{kind} '{code}' has a wrong check digit (expected "
                       f"{gs1_check_digit(code[:-1])})", field=field)
    return code


def with_check_digit(body: str) -> str:
    return body + str(gs1_check_digit(body))

"""Money and quantities.

Rupiah are plain Python ``int`` everywhere they are stored, summed or sent. ``Decimal`` appears
only for rates and fractional quantities, and is turned back into rupiah by exactly one
function, :func:`to_rupiah` (round half up), the single rounding point of the code base.

Quantities are stored as integer thousandths (``qty_milli``) so that stock levels sum exactly
in SQL; :func:`qty_to_milli` is their one constructor.
"""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from services.errors import BadInput

#: The largest amount a single field may hold (Rp 10 billion): anything above is a typo.
MAX_RUPIAH = 10_000_000_000
#: The largest quantity on one line (10,000 units or kg).
MAX_QTY_MILLI = 10_000_000
MILLI = 1000

_AMOUNT_RE = re.compile(r"^(?:rp\.?\s*)?(-)?\s*(\d{1,3}(?:\.\d{3})+|\d+)$", re.IGNORECASE)


def to_rupiah(value: Decimal) -> int:
    """Round a fractional rupiah amount to whole rupiah, half up. The one rounding point."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rupiah(value: object, *, field: str, allow_negative: bool = False) -> int:
    """The one constructor of an amount from outside input (JSON, CSV, CLI).

    Accepts ints, integral strings ("15000", "15.000", "Rp 15.000"). Refuses floats, fractions
    and booleans, because a rupiah amount with a fraction is always a mistake at the till.
    """
    if isinstance(value, bool):
        raise BadInput("must be a whole rupiah amount, not true/false", field=field)
    if isinstance(value, int):
        amount = value
    elif isinstance(value, str):
        match = _AMOUNT_RE.match(value.strip())
        if match is None:
            raise BadInput(f"'{value}' is not a whole rupiah amount", field=field)
        amount = int(match.group(2).replace(".", ""))
        if match.group(1):
            amount = -amount
    else:
        raise BadInput("must be a whole rupiah amount (integer)", field=field)
    if amount < 0 and not allow_negative:
        raise BadInput("must not be negative", field=field)
    if abs(amount) > MAX_RUPIAH:
        raise BadInput(f"{amount} is larger than Rp {MAX_RUPIAH:,}".replace(",", "."), field=field)
    return amount


def decimal_value(value: object, *, field: str) -> Decimal:
    """A Decimal from JSON/CSV input; floats are taken through their shortest repr."""
    if isinstance(value, bool):
        raise BadInput("must be a number", field=field)
    try:
        if isinstance(value, float):
            result = Decimal(repr(value))
        elif isinstance(value, (int, str, Decimal)):
            result = Decimal(str(value).strip().replace(",", "."))
        else:
            raise BadInput("must be a number", field=field)
    except InvalidOperation:
        raise BadInput(f"'{value}' is not a number", field=field) from None
    if not result.is_finite():
        raise BadInput("must be a finite number", field=field)
    return result


def qty_to_milli(value: object, *, field: str, whole_only: bool = False) -> int:
    """The one constructor of a quantity: a positive amount with at most 3 decimals."""
    qty = decimal_value(value, field=field)
    if qty <= 0:
        raise BadInput("must be more than zero", field=field)
    milli = qty * MILLI
    if milli != milli.to_integral_value():
        raise BadInput("has more than 3 decimals", field=field)
    if whole_only and qty != qty.to_integral_value():
        raise BadInput("must be a whole number for this unit", field=field)
    if milli > MAX_QTY_MILLI:
        raise BadInput(f"{qty} is an absurd quantity (more than 10.000)", field=field)
    return int(milli)


def milli_to_decimal(milli: int) -> Decimal:
    return (Decimal(milli) / MILLI).normalize() if milli % MILLI else Decimal(milli // MILLI)


def line_amount(unit_price: int, qty_milli: int) -> int:
    """Price × quantity in whole rupiah (weighed goods are rounded by :func:`to_rupiah`)."""
    if qty_milli % MILLI == 0:
        return unit_price * (qty_milli // MILLI)
    return to_rupiah(Decimal(unit_price) * qty_milli / MILLI)


def round_cash(amount: int, unit: int, mode: str) -> int:
    """Round a cash amount due to the store's rounding unit (e.g. Rp 100).

    ``mode`` is ``nearest`` (half up) or ``down`` (in the customer's favour).
    """
    if unit <= 1:
        return amount
    q = Decimal(amount) / unit
    rounding = ROUND_HALF_UP if mode == "nearest" else ROUND_FLOOR
    return int(q.quantize(Decimal(1), rounding=rounding)) * unit


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over ``weights`` proportionally; the parts add up exactly.

    Largest-remainder method, ties to the earliest weight, so the result is deterministic.
    """
    if not weights:
        return []
    wsum = sum(weights)
    if wsum == 0:
        parts = [0] * len(weights)
        parts[0] = total
        return parts
    base = [total * w // wsum for w in weights]
    remainders = [(total * w) % wsum for w in weights]
    short = total - sum(base)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:short]:
        base[i] += 1
    return base


def format_rupiah(amount: int) -> str:
    """``Rp 15.000`` (Indonesian grouping); negative as ``-Rp 15.000``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")

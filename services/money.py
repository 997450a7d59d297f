"""Money and quantities.

Rupiah are plain Python ``int`` everywhere they are stored, summed or sent. ``Decimal`` appears
only for rates and fractional quantities, and is turned back into rupiah by exactly one
function, :func:`to_rupiah` (round half up), the single rounding point of the code base.

Quantities are stored as integer thousandths (``qty_milli``) so that stock levels sum exactly
in SQL; :func:`qty_to_milli` is their one constructor.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Underflow,
    localcontext,
)

from services.errors import BadInput

#: The largest amount a single field may hold (Rp 10 billion): anything above is a typo.
MAX_RUPIAH = 10_000_000_000
#: The largest quantity on one line (10,000 units or kg).
MAX_QTY_MILLI = 10_000_000
MILLI = 1000

#: The longest text read as a number (amount or quantity): a typo or an attack beyond it.
MAX_NUMBER_TEXT = 40
#: A decimal read from outside lies within 1e-15 .. 1e15 (or is zero); outside, it is refused
#: before any arithmetic, so no Overflow, Underflow or silent rounding to zero can follow.
MAX_DECIMAL_EXPONENT = 15

# ASCII digits only (``\d`` would take Arabic-Indic or full-width digits as well).
_AMOUNT_RE = re.compile(r"^(?:rp\.?\s*)?(-)?\s*(\d{1,3}(?:\.\d{3})+|\d+)$",
                        re.IGNORECASE | re.ASCII)
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$",
                        re.IGNORECASE | re.ASCII)
#: Exact arithmetic on parsed input: numbers are at most MAX_NUMBER_TEXT digits within
#: 10**±MAX_DECIMAL_EXPONENT, so 60 digits hold every product with 1000 exactly; any
#: rounding, overflow or underflow is a trap (a bug), never a silent change of the value.
INPUT_CONTEXT = Context(prec=60, Emax=60, Emin=-60,
                        traps=[InvalidOperation, DivisionByZero, Overflow, Underflow, Inexact])


def _shown(value: object) -> str:
    """An input value as quoted in a message: at most 40 characters of it."""
    text = value if isinstance(value, str) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


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
        if abs(value) > MAX_RUPIAH:  # before any str(): a 5,000-digit int cannot be shown
            raise BadInput(f"is larger than Rp {MAX_RUPIAH:,}".replace(",", "."), field=field)
        amount = value
    elif isinstance(value, str):
        if len(value) > MAX_NUMBER_TEXT:
            raise BadInput(f"'{_shown(value)}' is too long for an amount", field=field)
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
    """A Decimal from JSON/CSV/CLI input; floats are taken through their shortest repr.

    Bounded: at most :data:`MAX_NUMBER_TEXT` characters of ASCII digits, a point (or a
    comma) and an exponent, within 10**±:data:`MAX_DECIMAL_EXPONENT` or zero. Anything else
    (``1e999999999``, ``1e-999999999``, NaN, infinities, 5,000-digit integers, other
    scripts' digits) is refused here, naming the field, before any arithmetic."""
    if isinstance(value, bool):
        raise BadInput("must be a number", field=field)
    if isinstance(value, int):
        if abs(value) >= 10 ** MAX_DECIMAL_EXPONENT:  # before str(): 4,300-digit limit
            raise BadInput("is too large", field=field)
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, Decimal):
        text = str(value) if value.is_finite() else "nan"
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
    else:
        raise BadInput("must be a number", field=field)
    if len(text) > MAX_NUMBER_TEXT:
        raise BadInput(f"'{_shown(text)}' is too long for a number", field=field)
    if not _NUMBER_RE.match(text):
        raise BadInput(f"'{_shown(text)}' is not a number", field=field)
    result = Decimal(text)
    if result and result.adjusted() > MAX_DECIMAL_EXPONENT:
        raise BadInput(f"'{text}' is too large", field=field)
    if result and result.adjusted() < -MAX_DECIMAL_EXPONENT:
        raise BadInput(f"'{text}' is too small (too many decimals)", field=field)
    return result


def qty_to_milli(value: object, *, field: str, whole_only: bool = False,
                 allow_zero: bool = False) -> int:
    """The one constructor of a quantity: a positive amount (or zero, with ``allow_zero``:
    a stock count) with at most 3 decimals, at most 10,000."""
    qty = decimal_value(value, field=field)
    with localcontext(INPUT_CONTEXT):
        if qty < 0 or (qty == 0 and not allow_zero):
            raise BadInput("must be more than zero" if not allow_zero else
                           "must not be negative", field=field)
        milli = qty.scaleb(3)
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

"""Promo codes: a discount rule at the till with validity dates and a per-customer limit.

A code is a percentage or an amount off the order (the cart's order discount, spread over
the lines by ``services.cart.price_cart`` like any order discount), valid from ``valid_from``
up to (not including) ``valid_until`` (UTC ISO; the screens and the CLI take the store's
days), for a named customer only (the limit is per customer), on an order of at least
``min_spend`` after line discounts. The owner set the discount when making the code, so the
cashier's discount limit does not apply to it (``services.selling``); a manual order
discount and a code do not stack (the code is refused until the manual one is removed).

A sale that used a code writes a ``promo_redemption`` row in its own transaction; a trigger
refuses a use beyond the code's per-customer limit, whatever path writes it. The row also
attributes the sale to the code's campaign (services.campaign_results).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select

from local_db.ids import uuid7
from local_db.models import PromoCode, PromoRedemption
from services.cart import Cart, Discount
from services.errors import BadInput, Refused
from services.formatting import parse_moment
from services.money import line_amount

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,23}$")


def normalise_code(raw: str | None) -> str:
    code = (raw or "").strip().upper()
    if not _CODE.match(code):
        raise BadInput("a promo code is 3 to 24 letters, digits, '-' or '_'",
                       field="promo_code")
    return code


@dataclass(frozen=True, slots=True)
class PromoSpec:
    """A code as the owner asks for it (checked by :func:`check_spec`)."""

    code: str
    percent: Decimal | None = None
    amount: int | None = None
    valid_from: str = ""
    valid_until: str = ""
    per_customer_limit: int = 1
    min_spend: int = 0


@dataclass(frozen=True, slots=True)
class PromoView:
    id: str
    code: str
    campaign_id: str | None
    percent: str | None
    amount: int | None
    min_spend: int
    valid_from: str
    valid_until: str
    per_customer_limit: int
    active: bool
    uses: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _stamp(value: str, field: str) -> str:
    try:
        moment = parse_moment(value)
    except (TypeError, ValueError):
        raise BadInput("a date and time, ISO-8601", field=field) from None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def check_spec(spec: PromoSpec) -> PromoSpec:
    code = normalise_code(spec.code)
    if (spec.percent is None) == (spec.amount is None):
        raise BadInput("a promo code is a percent or an amount off, one of them",
                       field="promo.percent")
    if spec.percent is not None and not Decimal(0) < spec.percent <= Decimal(100):
        raise BadInput("percent must be above 0 and at most 100", field="promo.percent")
    if spec.amount is not None and spec.amount <= 0:
        raise BadInput("must be above 0", field="promo.amount")
    if spec.per_customer_limit < 1 or spec.per_customer_limit > 1000:
        raise BadInput("1 to 1000 uses per customer", field="promo.per_customer_limit")
    if spec.min_spend < 0:
        raise BadInput("must not be negative", field="promo.min_spend")
    start = _stamp(spec.valid_from, "promo.valid_from")
    end = _stamp(spec.valid_until, "promo.valid_until")
    if start >= end:
        raise BadInput("must be after valid_from", field="promo.valid_until")
    return PromoSpec(code, spec.percent, spec.amount, start, end, spec.per_customer_limit,
                     spec.min_spend)


def insert_promo(conn: Connection, spec: PromoSpec, *, campaign_id: str | None,
                 created_by: str, now: str) -> str:
    """Write a checked code inside the caller's transaction; a code already taken is
    refused naming the field."""
    taken = conn.execute(select(PromoCode.id).where(PromoCode.code == spec.code)).scalar()
    if taken is not None:
        raise BadInput(f"the code {spec.code} is taken", field="promo.code")
    promo_id = uuid7()
    conn.execute(insert(PromoCode).values(
        id=promo_id, code=spec.code, campaign_id=campaign_id,
        percent=None if spec.percent is None else str(spec.percent), amount=spec.amount,
        min_spend=spec.min_spend, valid_from=spec.valid_from, valid_until=spec.valid_until,
        per_customer_limit=spec.per_customer_limit, active=True, created_by=created_by,
        created_at=now))
    return promo_id


def promo_view(conn: Connection, *, promo_id: str | None = None,
               campaign_id: str | None = None) -> PromoView | None:
    q = select(PromoCode)
    q = q.where(PromoCode.id == promo_id) if promo_id else q.where(
        PromoCode.campaign_id == campaign_id)
    p = conn.execute(q).first()
    if p is None:
        return None
    uses = int(conn.execute(select(func.count()).select_from(PromoRedemption).where(
        PromoRedemption.promo_code_id == p.id)).scalar() or 0)
    return PromoView(p.id, p.code, p.campaign_id, p.percent, p.amount, p.min_spend,
                     p.valid_from, p.valid_until, p.per_customer_limit, bool(p.active), uses)


@dataclass(frozen=True, slots=True)
class PromoUse:
    """A code accepted for a cart: written with the sale by :func:`record_use`."""

    promo_code_id: str
    code: str
    campaign_id: str | None
    customer_id: str


def _order_base(cart: Cart) -> int:
    total = 0
    for i, line in enumerate(cart.lines):
        base = line_amount(line.unit_price, line.qty_milli)
        total += base - line.discount.amount_of(base, field=f"lines[{i}].discount")
    return total


def apply_promo(conn: Connection, cart: Cart, raw_code: str, *, at: str) -> tuple[Cart, PromoUse]:
    """``cart`` with the code's discount as its order discount, and the use to record.
    Refused (naming ``promo_code``) when the code is unknown, inactive, outside its dates,
    used up by this customer, below its minimum spend, without a customer, or on a cart that
    already has a manual order discount."""
    code = normalise_code(raw_code)
    p = conn.execute(select(PromoCode).where(PromoCode.code == code)).first()
    if p is None or not p.active:
        raise Refused(f"no promo code {code}", field="promo_code")
    if cart.customer_id is None:
        raise BadInput("a promo code is for a named customer: choose the customer first",
                       field="promo_code")
    if not p.valid_from <= at < p.valid_until:
        raise Refused(f"the code {code} is valid from {p.valid_from[:10]} until "
                      f"{p.valid_until[:10]} (UTC)", field="promo_code")
    used = int(conn.execute(select(func.count()).select_from(PromoRedemption).where(
        PromoRedemption.promo_code_id == p.id,
        PromoRedemption.customer_id == cart.customer_id)).scalar() or 0)
    if used >= p.per_customer_limit:
        raise Refused(f"the code {code} was used {used} time(s) by this customer (the limit "
                      f"is {p.per_customer_limit})", field="promo_code")
    if not cart.discount.is_zero:
        raise BadInput("a promo code and an order discount do not stack: remove the order "
                       "discount first", field="promo_code")
    base = _order_base(cart)
    if base < p.min_spend or base <= 0:
        raise Refused(f"the code {code} needs an order of at least {p.min_spend}",
                      field="promo_code")
    discount = (Discount(percent=Decimal(p.percent)) if p.percent is not None
                else Discount(amount=min(int(p.amount or 0), base)))
    return (cart.with_discount(discount),
            PromoUse(p.id, p.code, p.campaign_id, str(cart.customer_id)))


def record_use(conn: Connection, use: PromoUse, *, sale_id: str, discount: int,
               at: str) -> None:
    """The sale's use of its code, inside the sale's transaction (the trigger holds the
    per-customer limit even if two writers raced past :func:`apply_promo`)."""
    conn.execute(insert(PromoRedemption).values(
        id=uuid7(), promo_code_id=use.promo_code_id, sale_id=sale_id,
        customer_id=use.customer_id, discount=discount, created_at=at))


__all__ = ["PromoSpec", "PromoUse", "PromoView", "apply_promo", "check_spec", "insert_promo",
           "normalise_code", "promo_view", "record_use"]

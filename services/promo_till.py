"""A promo code on the till's cart: the order discount it gives, carried by the cart itself.

The till checks a code once when the cashier enters it (:func:`till_promo`, on a worker
thread: it reads the code and its uses) and puts the returned :class:`PromoDiscount` on the
cart as its order discount, so the screen prices and shows it like any order discount and
the pay dialog hands it on unchanged. :func:`services.checkout.sale_request` turns it back
into ``SaleRequest.promo_code``, and the checkout applies the code again
(``services.promo_codes.apply_promo``): validity, the per-customer limit and the minimum
spend are decided there, at the moment of the sale, never by the screen.

An amount off is capped at what the order costs (as ``apply_promo`` does), and a minimum
spend not reached shows as no discount, so the cart stays priceable while lines are removed
after the code was entered; the checkout then refuses such a sale naming ``promo_code``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection

from services.cart import NO_DISCOUNT, Cart, Discount
from services.promo_codes import apply_promo, promo_view


@dataclass(frozen=True, slots=True)
class PromoDiscount(Discount):
    """The order discount of the promo code ``code`` (a percent or an amount off)."""

    code: str = ""
    min_spend: int = 0

    def amount_of(self, base: int, *, field: str) -> int:
        if base < self.min_spend:
            return 0  # the checkout refuses the code until the order reaches it
        if self.amount is not None:
            return max(0, min(self.amount, base))
        return Discount.amount_of(self, base, field=field)

    def reaches(self, base: int) -> bool:
        """Whether an order of ``base`` (after line discounts) may use the code."""
        return base >= self.min_spend and base > 0


def promo_of(cart: Cart) -> PromoDiscount | None:
    """The promo code on ``cart``, if its order discount is one."""
    return cart.discount if isinstance(cart.discount, PromoDiscount) else None


def without_promo(cart: Cart) -> Cart:
    """``cart`` with its promo code taken off (a manual order discount stays)."""
    return cart.with_discount(NO_DISCOUNT) if promo_of(cart) is not None else cart


def till_promo(conn: Connection, cart: Cart, raw_code: str, *, at: str) -> PromoDiscount:
    """The order discount ``raw_code`` gives ``cart`` now (a code already on the cart is
    replaced). Refused naming ``promo_code`` as the checkout would refuse it: unknown,
    inactive, outside its dates, used up by this customer, no customer, below its minimum
    spend, or a manual order discount on the cart. Read only."""
    _, use = apply_promo(conn, without_promo(cart), raw_code, at=at)
    view = promo_view(conn, promo_id=use.promo_code_id)
    assert view is not None  # apply_promo just read it
    percent = None if view.percent is None else Decimal(view.percent)
    return PromoDiscount(percent=percent, amount=None if percent is not None else view.amount,
                         code=use.code, min_spend=view.min_spend)


__all__ = ["PromoDiscount", "promo_of", "till_promo", "without_promo"]

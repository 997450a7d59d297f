"""Discounts at the till: each role's limit, and approving a discount above it.

The limits are settings (``discount_limit.cashier`` / ``.supervisor`` / ``.owner``, in
percent; defaults 10, 50 and 100, see ``services.shop``). A line discount is measured
against the line's amount (price x quantity), an order discount against the cart after its
line discounts: the same measure ``services.selling`` applies again when the sale commits.

A discount above the person's own limit needs someone whose limit covers it (a supervisor,
or the owner above the supervisor's limit) to type their PIN at the till. The approval is
appended to the audit chain at once, so an approved discount leaves a trace even if the
sale is later voided; the committed sale records it again with the sale's id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.cart import Cart, Discount, PricedCart, price_cart
from services.errors import BadInput
from services.selling import Approval
from services.shop import ShopConfig
from services.users import RANK, Actor, approve


@dataclass(frozen=True, slots=True)
class DiscountGrant:
    """A supervisor's (or owner's) approval of one discount, given at the till with their
    PIN: a value the till keeps with its cart and hands to the checkout, which accepts it
    only for that same discount on that same line and only if the approver's role covers
    it. ``line_no`` None: the order discount."""

    line_no: int | None
    discount: Discount
    approver: Actor


@dataclass(frozen=True, slots=True)
class DiscountCheck:
    """How a discount compares with the limits: ``needed`` is None when the person applying
    it may do so alone, else the role that must approve ("supervisor" or "owner")."""

    percent: Decimal
    amount: int
    base: int
    limit: Decimal
    needed: str | None


def needed_role(config: ShopConfig, role: str, percent: Decimal) -> str | None:
    """Who must approve a discount of ``percent`` given by someone of ``role``."""
    limits = config.discount_limits
    if percent <= limits[role]:
        return None
    needed = "supervisor" if percent <= limits["supervisor"] else "owner"
    # An owner (or a supervisor under a supervisor-sized need) covers it by rank.
    return None if RANK[role] >= RANK[needed] else needed


def _with(cart: Cart, line_no: int | None, discount: Discount) -> Cart:
    return (cart.with_discount(discount) if line_no is None
            else cart.set_line_discount(line_no, discount))


def check_discount(config: ShopConfig, role: str, cart: Cart, line_no: int | None,
                   discount: Discount) -> DiscountCheck:
    """Price ``cart`` with ``discount`` on line ``line_no`` (None: on the whole order) and
    say whether it is within ``role``'s limit. Bad discounts (negative, above 100 %, larger
    than what they discount) raise BadInput naming the field. Pure value code."""
    if discount.percent is not None and not Decimal(0) <= discount.percent <= Decimal(100):
        raise BadInput("percent must be between 0 and 100", field="discount")
    if discount.amount is not None and discount.amount < 0:
        raise BadInput("must not be negative", field="discount")
    if line_no is not None and not any(x.line_no == line_no for x in cart.lines):
        raise BadInput(f"no cart line {line_no}", field="line_no")
    if line_no is None and not cart.lines:
        raise BadInput("the cart is empty: nothing to discount", field="cart")
    try:
        priced = price_cart(_with(cart, line_no, discount), config.tax_rules, pkp=config.pkp)
    except BadInput as exc:
        raise BadInput(exc.message, field="discount") from exc
    base, amount = _base_and_amount(priced, line_no)
    percent = discount.percent_of(base)
    return DiscountCheck(percent, amount, base, config.discount_limits[role],
                         needed_role(config, role, percent))


def _base_and_amount(priced: PricedCart, line_no: int | None) -> tuple[int, int]:
    if line_no is None:
        base = sum(p.base - p.line_discount for p in priced.lines)
        return base, sum(p.order_discount for p in priced.lines)
    p = next(x for x in priced.lines if x.line.line_no == line_no)
    return p.base, p.line_discount


def approve_discount(uow: UnitOfWork, config: ShopConfig, actor: Actor, cart: Cart,
                     line_no: int | None, discount: Discount,
                     approval: Approval | None) -> DiscountGrant | None:
    """Check a discount ``actor`` is about to give; above their limit, verify the approver's
    PIN (a wrong PIN is counted and committed by ``services.users``) and append
    ``discount.approve`` to the audit chain. Returns the grant (a value the till keeps with its cart), or None when the discount
    is within ``actor``'s own limit (nothing is written then). Commits."""
    check = check_discount(config, actor.role, cart, line_no, discount)
    if check.needed is None:
        return None
    approver = approve(uow, approval.user if approval else None,
                       approval.pin if approval else None, check.needed,
                       f"a discount of {round(check.percent, 2)}% (your limit is "
                       f"{check.limit}%)")
    line = next((x for x in cart.lines if x.line_no == line_no), None)
    append_audit(uow.conn, "discount.approve", entity="cart", entity_id=None,
                 actor_id=actor.id, approver_id=approver.id, details={
                     "line_no": line_no, "sku": line.item.sku if line else None,
                     "percent": str(round(check.percent, 2)), "amount": check.amount,
                     "base": check.base, "limit": str(check.limit), "needed": check.needed,
                     "customer_id": cart.customer_id})
    uow.commit()
    return DiscountGrant(line_no, discount, approver)


def covering_approver(config: ShopConfig, actor: Actor, cart: Cart,
                      grants: Sequence[DiscountGrant]) -> Actor | None:
    """Of the approvals given at the till, the approver
    who covers every discount in ``cart`` above ``actor``'s limit, or None when some such
    discount has no approval of its own (or nothing needs one). Pure value code."""
    needs: list[tuple[int | None, Discount, str]] = []
    for line in cart.lines:
        if line.discount.is_zero:
            continue
        check = check_discount(config, actor.role, replace(cart, discount=Discount()),
                               line.line_no, line.discount)
        if check.needed:
            needs.append((line.line_no, line.discount, check.needed))
    if not cart.discount.is_zero:
        check = check_discount(config, actor.role, cart, None, cart.discount)
        if check.needed:
            needs.append((None, cart.discount, check.needed))
    if not needs:
        return None
    chosen: Actor | None = None
    for line_no, discount, needed in needs:
        grant = next((g.approver for g in grants if g.line_no == line_no
                      and g.discount == discount and g.approver.at_least(needed)), None)
        if grant is None:
            return None
        if chosen is None or RANK[grant.role] > RANK[chosen.role]:
            chosen = grant
    return chosen


__all__ = ["DiscountCheck", "DiscountGrant", "approve_discount", "check_discount", "covering_approver",
           "needed_role"]

"""Checkout: the one way a sale is made, whoever asks (the pay dialog, ``warungin sale``,
a test).

The order is what keeps a customer from paying for a sale that cannot complete:
1. check the whole sale as the commit will (``services.selling.check_sale``: shift, lines,
   quantities, discounts within the acting user's rights or an approval handed in as a
   value, customer and kasbon limit, tender) and settle who approves what is beyond the
   cashier's rights; a PIN approval is checked here, once;
2. charge any customer-present provider payment (QRIS, e-wallet, VA) through a
   :class:`ChargePort` (implemented in ``sync/``), which waits until the customer paid or
   the charge ended;
3. commit the sale, which takes the payment in its own transaction
   (``services.payments.RecordedPayments`` confirms the charge job says paid).

Step 1 refuses everything step 3 can refuse for the sale itself; between them only the
world can change (another till's kasbon reaching this one by sync, a shift closed in the
back office). A paid charge that no sale took is then flagged by the provider-job
dispatcher for the owner, never lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from local_db.uow import UnitOfWork
from services.cart import Cart
from services.discounts import DiscountGrant, covering_approver
from services.errors import BadInput, Refused
from services.payments import RecordedPayments
from services.promo_till import promo_of, without_promo
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    check_sale,
    complete_sale,
    sale_approver,
)
from services.shop import ShopConfig
from services.tender import PROVIDER_METHODS, TenderInput
from services.users import Actor


class UnitsOfWork(Protocol):
    """Where checkout gets its units of work: ``Shop.uow``."""

    def __call__(self, *, write: bool = True) -> UnitOfWork: ...


@dataclass(frozen=True, slots=True)
class ChargeOutcome:
    """How a customer-present charge ended: ``final`` is "paid", or why not (expired,
    cancelled, denied, rejected, not_sent, or None when it did not end in time)."""

    order_id: str
    final: str | None
    message: str | None = None


class ChargePort(Protocol):
    """A customer-present provider payment: charge ``amount`` by ``method`` and wait until
    the customer paid or the charge ended (cancelling one nobody waits for any more)."""

    def charge(self, actor: Actor, method: str, amount: int) -> ChargeOutcome: ...


def sale_request(config: ShopConfig, actor: Actor, cart: Cart,
                 tenders: Sequence[TenderInput], *, grants: Sequence[DiscountGrant] = (),
                 approval: Approval | None = None) -> SaleRequest:
    """The till's cart and tenders as the request every checkout takes. ``grants``: the
    discount approvals given at the till for this cart; matched here, against the till's
    own cart lines, to the approver who covers every discount above ``actor``'s limit (the
    request then carries them as ``approved_by``; the commit checks the role again).
    A promo code on the cart (``services.promo_till``) goes as ``promo_code``, not as a
    discount: the checkout applies the code again, as the owner set it."""
    promo = promo_of(cart)
    cart = without_promo(cart)
    approver: Actor | None = None
    if grants:
        try:
            approver = covering_approver(config, actor, cart, grants)
        except BadInput:
            approver = None  # the checkout says what is wrong with the cart
    return SaleRequest(
        lines=tuple(LineRequest(code=line.item.sku, qty_milli=line.qty_milli,
                                unit_price=line.unit_price if line.price_overridden else None,
                                discount=line.discount)
                    for line in cart.lines),
        payments=tuple(PaymentRequest(t.method, t.amount) for t in tenders),
        discount=cart.discount, customer_id=cart.customer_id, approval=approval,
        approved_by=approver, promo_code=promo.code if promo is not None else None)


def _provider_payment(req: SaleRequest) -> tuple[int, PaymentRequest] | None:
    pending = [(i, p) for i, p in enumerate(req.payments)
               if p.method in PROVIDER_METHODS and not p.provider_ref]
    if len(pending) > 1:
        raise BadInput("one QRIS, e-wallet or VA payment per sale",
                       field=f"payments[{pending[1][0]}]")
    return pending[0] if pending else None


def checkout(uows: UnitsOfWork, config: ShopConfig, actor: Actor, req: SaleRequest, *,
             charges: ChargePort | None = None) -> SaleResult:
    """Check, charge, commit: see the module's docstring. Approvals travel in ``req``:
    ``approved_by`` (grants given at the till, see :func:`sale_request`) and ``approval``
    (a supervisor's name and PIN for what the grants do not cover). Raises
    BadInput/NotFound/Refused naming the field; when it raises, no customer was charged
    without a sale."""
    provider = _provider_payment(req)
    if provider is None:
        # No charge to make; a provider payment already paid (``provider_ref`` set: a
        # paid charge whose sale could not be written, tried again) is taken only if its
        # charge job says paid.
        with uows() as uow:
            return complete_sale(uow, config, actor, req,
                                 payments_port=RecordedPayments(uow.conn))
    i, pay = provider
    if charges is None:
        raise Refused(f"{pay.method} needs the payment provider, which this till cannot "
                      "reach; take cash or kasbon", field=f"payments[{i}].method")
    # 1. Everything the commit could refuse, refused now. Written only when a PIN is
    # checked (its failure count and lockout are committed, as at every PIN).
    with uows(write=req.approval is not None) as uow:
        checked = check_sale(uow.conn, config, actor, req)
        approver = sale_approver(uow, actor, checked, req.approval, req.approved_by)
        if req.approval is not None:
            uow.commit()
    # 2. The customer pays.
    outcome = charges.charge(actor, pay.method, pay.amount)
    if outcome.final != "paid":
        what = outcome.final or "not finished in time"
        raise Refused(f"{pay.method} payment {what}: no sale was made"
                      + (f" ({outcome.message})" if outcome.message else ""),
                      field=f"payments[{i}]")
    payments = list(req.payments)
    payments[i] = replace(pay, provider_ref=outcome.order_id)
    paid = replace(req, payments=tuple(payments))
    # 3. The sale, with the approver settled in step 1 (no second PIN).
    with uows() as uow:
        return complete_sale(uow, config, actor, paid,
                             payments_port=RecordedPayments(uow.conn), approved_by=approver)


__all__ = ["ChargeOutcome", "ChargePort", "DiscountGrant", "UnitsOfWork", "checkout",
           "sale_request"]

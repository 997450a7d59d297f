"""Voids: taking a line, or the whole cart, off an open (not yet completed) sale.

Nothing was sold, so no money or stock moves; but a void is a classic way to pocket cash
(ring up, take the money, void), so every void goes to the audit chain with what was voided.
A supervisor must approve when the store says so (setting ``void_needs_supervisor`` = "1")
or when the line was already shown on the customer display (``printed``): the customer saw
it, so removing it is no longer a simple correction of a mis-scan.
"""

from __future__ import annotations

from typing import Any

from local_db.store import append_audit, read_settings
from local_db.uow import UnitOfWork
from services.cart import Cart, PricedCart, PricedLine, price_cart
from services.errors import BadInput
from services.selling import Approval
from services.shop import load_config
from services.users import Actor, approve, may_sell

SETTING = "void_needs_supervisor"


def _priced(uow: UnitOfWork, cart: Cart) -> PricedCart:
    config = load_config(uow.conn)
    return price_cart(cart, config.tax_rules, pkp=config.pkp)


def _approver(uow: UnitOfWork, actor: Actor, approval: Approval | None, needed: bool,
              what: str) -> Actor | None:
    """Who approved, checked before the audit record is written (a wrong PIN commits its
    own failure count). A supervisor or owner at the till approves their own void: they
    proved who they are when they signed in."""
    actor = may_sell(uow.conn, actor)  # part of selling, but never by a locked user
    if not needed:
        return None
    if actor.pin_checked and actor.at_least("supervisor"):
        return actor
    return approve(uow, approval.user if approval else None,
                   approval.pin if approval else None, "supervisor", what)


def _store_says_supervisor(uow: UnitOfWork) -> bool:
    return read_settings(uow.conn).get(SETTING, "0") == "1"


def _line_details(p: PricedLine) -> dict[str, Any]:
    return {"line_no": p.line.line_no, "sku": p.line.item.sku, "name": p.line.item.name,
            "qty_milli": p.line.qty_milli, "unit_price": p.line.unit_price, "amount": p.gross}


def void_line(uow: UnitOfWork, actor: Actor, cart: Cart, line_no: int,
              approval: Approval | None = None, *, printed: bool = False,
              reason: str = "") -> Cart:
    """The cart without line ``line_no``; the void is audited and committed."""
    priced = _priced(uow, cart)
    target = next((p for p in priced.lines if p.line.line_no == line_no), None)
    if target is None:
        raise BadInput(f"no cart line {line_no}", field="line_no")
    approver = _approver(uow, actor, approval, printed or _store_says_supervisor(uow),
                         "voiding a line")
    append_audit(uow.conn, "cart.void_line", entity="cart", entity_id=None, actor_id=actor.id,
                 approver_id=approver.id if approver else None,
                 details={**_line_details(target), "printed": printed,
                          "customer_id": cart.customer_id, "reason": reason.strip()})
    uow.commit()
    return cart.remove(line_no)


def void_cart(uow: UnitOfWork, actor: Actor, cart: Cart, approval: Approval | None = None, *,
              reason: str = "") -> Cart:
    """An empty cart in place of ``cart``; the void (every line, the total) is audited."""
    if not cart.lines:
        raise BadInput("the cart is empty: nothing to void", field="cart")
    priced = _priced(uow, cart)
    approver = _approver(uow, actor, approval, _store_says_supervisor(uow), "voiding a cart")
    append_audit(uow.conn, "cart.void", entity="cart", entity_id=None, actor_id=actor.id,
                 approver_id=approver.id if approver else None,
                 details={"lines": [_line_details(p) for p in priced.lines],
                          "amount": priced.total, "customer_id": cart.customer_id,
                          "reason": reason.strip()})
    uow.commit()
    return Cart()


__all__ = ["SETTING", "void_cart", "void_line"]

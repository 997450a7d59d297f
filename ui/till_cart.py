"""The sale being rung up at the till: the cart, its price, its customer and the discount
approvals given for it.

The cart is an immutable value (``services.cart.Cart``); pricing it is pure value code
(``backend.core.price``), done here on the main thread after every change. A supervisor's
approval of a discount above the cashier's limit is a value too
(``services.discounts.DiscountGrant``): the till keeps the grants with its cart and hands
them to ``backend.money.pay``. They go when the cart goes (paid, voided, held away) and come
back with a cart resumed from hold on this till.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from services.cart import Cart, CartLine, PricedCart
from services.customer_card import CustomerCard
from services.discounts import DiscountGrant
from ui.backend_core import CoreBackend


@dataclass(frozen=True, slots=True)
class CartShown:
    """A change of the cart, with the line to select in the view (if any)."""

    priced: PricedCart | None  # None before a backend is attached
    select_line: int | None = None
    select_product: str | None = None


class TillCart(QObject):
    #: The cart changed (value: CartShown).
    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._core: CoreBackend | None = None
        self._cart = Cart()
        self._priced: PricedCart | None = None
        self._grants: tuple[DiscountGrant, ...] = ()
        self._customer: CustomerCard | None = None  # the sale's customer, as shown
        self._held_grants: dict[str, tuple[DiscountGrant, ...]] = {}

    def attach(self, core: CoreBackend) -> None:
        self._core = core

    # --- reading --------------------------------------------------------------------------
    @property
    def cart(self) -> Cart:
        return self._cart

    @property
    def priced(self) -> PricedCart | None:
        return self._priced

    @property
    def grants(self) -> tuple[DiscountGrant, ...]:
        return self._grants

    @property
    def customer(self) -> CustomerCard | None:
        """The sale's customer card, while the cart still names that customer."""
        card = self._customer
        return card if card is not None and self._cart.customer_id == card.id else None

    def line(self, line_no: int | None) -> CartLine | None:
        return next((x for x in self._cart.lines if x.line_no == line_no), None)

    def target(self, selected: int | None) -> CartLine | None:
        """The line an action is for: the selected one, else the last, else None."""
        chosen = self.line(selected)
        return chosen if chosen is not None or not self._cart.lines else self._cart.lines[-1]

    # --- changing -------------------------------------------------------------------------
    def set(self, cart: Cart, *, select_line: int | None = None,
            select_product: str | None = None) -> None:
        """The cart is now ``cart``; price it and say so."""
        self._cart = cart
        if cart.customer_id is None:
            self._customer = None
        self.show(select_line=select_line, select_product=select_product)

    def show(self, *, select_line: int | None = None, select_product: str | None = None) -> None:
        """Price the cart again (prices and words may have changed) and say so."""
        self._priced = self._core.price(self._cart) if self._core is not None else None
        self.changed.emit(CartShown(self._priced, select_line, select_product))

    def add_grant(self, grant: DiscountGrant) -> None:
        self._grants = (*self._grants, grant)

    def with_customer(self, card: CustomerCard | None) -> None:
        self._customer = card
        self.set(self._cart.with_customer(card.id if card is not None else None))

    def start_over(self) -> None:
        """The next customer: an empty cart, no customer, no approvals."""
        self._grants = ()
        self._customer = None
        self.set(Cart())

    def paid(self, paid: Cart) -> None:
        """``paid`` was sold. Scans made meanwhile queued behind the sale on the writer
        lane, so nothing was added to it: the next customer's cart starts empty."""
        if self._cart is paid:
            self.start_over()
        else:
            self.show()

    def gone(self, gone: Cart, *, held_as: str | None = None) -> None:
        """``gone`` (an earlier state of the cart) was voided, or held as ``held_as``: what
        is left are the lines scanned since (answers that landed meanwhile), if any. Its
        approvals go with it (kept for a resume of that held cart)."""
        if held_as is not None and self._grants:
            self._held_grants[held_as] = self._grants
        self._grants = ()
        if self._cart is gone:
            self._customer = None
            self.set(Cart())
            return
        self.set(Cart(lines=tuple(x for x in self._cart.lines
                                  if x.line_no >= gone.next_line_no),
                      next_line_no=self._cart.next_line_no))

    def resumed(self, held_id: str, cart: Cart, customer: CustomerCard | None) -> None:
        """A held cart is back. Lines scanned while it was on its way stay, after it."""
        extra = self._cart
        for line in extra.lines:
            cart = cart.add(line.item, line.qty_milli, unit_price=line.unit_price,
                            discount=line.discount)
        self._grants = (*self._held_grants.pop(held_id, ()), *self._grants)
        self._customer = customer
        self.set(cart)

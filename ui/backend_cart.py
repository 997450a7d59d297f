"""The till's cart beyond scanning: weighed items, discounts, customers and kasbon, hold and resume, removing lines with approval.

What the screens of this area need from the shop, as a Protocol (``backend.cart``,
implemented by ``app/desktop/cart.py``). Every method may touch the database or the
network unless its docstring says otherwise, so the screens call them only through
:mod:`ui.tasks`. What crosses are the services' frozen values.

Approvals: ``services.selling.Approval`` is what a person typed into the supervisor-PIN
dialog (``ui/supervisor_pin.py``): a name and a PIN. The services check it (and count a
wrong PIN) wherever it is used; the screens never decide that a PIN is right. A discount
approved at the till comes back as a ``services.discounts.DiscountGrant``, which the till
keeps with its cart and hands to ``backend.money.pay``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from services.cart import Cart, Discount
from services.categories import CategoryRow, ProductTile
from services.discounts import DiscountCheck, DiscountGrant
from services.held_carts import HeldCartRow, PriceChange, UnavailableLine
from services.promo_till import PromoDiscount
from services.selling import Approval
from services.users import Actor

if TYPE_CHECKING:
    # Customers load phonenumbers: when a customer is first looked up, not at start-up.
    from services.customer_card import CustomerCard
    from services.customers import CustomerSummary


@dataclass(frozen=True, slots=True)
class ResumedCartInfo:
    """A held cart taken back (``services.held_carts.ResumedCart``) with the card of its
    customer, or None when the customer was erased or is gone meanwhile."""

    cart: Cart
    label: str
    price_changes: tuple[PriceChange, ...]
    unavailable: tuple[UnavailableLine, ...]
    customer: CustomerCard | None


class CartBackend(Protocol):
    # --- pure value code (safe on the main thread) --------------------------------------
    def is_weighed(self, unit: str) -> bool:
        """Whether a product sold per ``unit`` is weighed or measured (fractional
        quantities: kg, liter...). Pure."""
        ...

    def check_discount(self, cart: Cart, line_no: int | None,
                       discount: Discount) -> DiscountCheck:
        """``discount`` on line ``line_no`` (None: the whole order) against the logged-in
        person's limit. Raises BadInput (field "discount") for a discount that cannot be
        given. Pure value code over the configuration loaded at start-up."""
        ...

    # --- a promo code (pool lane: read only) --------------------------------------------
    def promo_discount(self, cart: Cart, code: str) -> PromoDiscount:
        """The order discount the promo ``code`` gives ``cart`` now
        (``services.promo_till.till_promo``); the till puts it on the cart. Refused naming
        "promo_code" (unknown, expired, used up by the cart's customer, no customer...)."""
        ...

    # --- approvals (DB-writer lane: a wrong PIN is a write) ------------------------------
    def verify_approval(self, approval: Approval, role: str, what: str) -> Actor:
        """Check a PIN for someone of at least ``role``; Refused on a wrong PIN (counted)."""
        ...

    def approve_discount(self, cart: Cart, line_no: int | None, discount: Discount,
                         approval: Approval | None) -> DiscountGrant | None:
        """Approve a discount above the logged-in person's limit (audited); None when the
        discount is within their own limit. The till keeps the grant for the sale."""
        ...

    # --- voids (DB-writer lane: audited) ------------------------------------------------
    def void_line(self, cart: Cart, line_no: int,
                  approval: Approval | None = None) -> Cart:
        """The cart without the line; the void is audited. Refused (field "approver") when
        the shop wants a supervisor's PIN and none (or a wrong one) was given."""
        ...

    def void_cart(self, cart: Cart, approval: Approval | None = None) -> Cart:
        """An empty cart in place of ``cart``; audited like :meth:`void_line`."""
        ...

    # --- the category grid (pool lane) --------------------------------------------------
    def categories(self) -> list[CategoryRow]: ...

    def category_products(self, category_id: str) -> list[ProductTile]: ...

    # --- customers ----------------------------------------------------------------------
    def find_customers(self, text: str) -> list[CustomerSummary]:
        """By phone number (exact, through the blind index) when ``text`` looks like one,
        else by name. Pool lane."""
        ...

    def add_customer(self, name: str, phone: str) -> CustomerCard:
        """Create a customer on this till (works offline). DB-writer lane."""
        ...

    def customer_card(self, customer_id: str) -> CustomerCard:
        """The customer and their kasbon balance now. Pool lane."""
        ...

    # --- hold and resume (DB-writer lane) -----------------------------------------------
    def hold(self, cart: Cart, label: str) -> HeldCartRow: ...

    def held_carts(self) -> list[HeldCartRow]: ...

    def resume(self, held_id: str) -> ResumedCartInfo:
        """Take a held cart back: today's prices, lines no longer sold left out (listed)."""
        ...

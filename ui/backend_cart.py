"""The till's cart beyond scanning: weighed items, discounts, customers and kasbon, hold and resume, removing lines with approval.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_cart.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`.

Approvals: :class:`SupervisorApproval` is what a person typed into the supervisor-PIN
dialog (``ui/supervisor_pin.py``): a name and a PIN. The services check it (and count a
wrong PIN) wherever it is used; the screens never decide that a PIN is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from services.cart import Cart, Discount


@dataclass(frozen=True, slots=True)
class SupervisorApproval:
    """A supervisor's (or owner's) name and PIN as typed at the till, not yet checked."""

    user: str
    pin: str

    def __repr__(self) -> str:  # never put a PIN in a log line or a traceback
        return f"SupervisorApproval(user={self.user!r}, pin='****')"


@dataclass(frozen=True, slots=True)
class Approver:
    """Who approved, once their PIN was checked."""

    id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class DiscountRule:
    """How a discount compares with the limits of the person at the till."""

    percent: Decimal  # of what it discounts
    amount: int  # rupiah
    limit: Decimal  # the person's own limit, percent
    needed: str | None  # None: within the limit; else "supervisor" or "owner" must approve


@dataclass(frozen=True, slots=True)
class CategoryTile:
    id: str
    name: str
    products: int


@dataclass(frozen=True, slots=True)
class ProductTile:
    sku: str
    name: str
    price: int
    unit: str


@dataclass(frozen=True, slots=True)
class CustomerHit:
    """A customer found by name or phone; nothing personal but the name."""

    id: str
    name: str
    has_phone: bool
    credit_limit: int


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """The customer attached to the sale, as the till shows them."""

    id: str
    name: str
    phone: str | None  # masked but for the last digits, e.g. "+62 ••• 7890"
    kasbon_balance: int  # what they owe now
    credit_limit: int

    @property
    def kasbon_available(self) -> int:
        return max(0, self.credit_limit - self.kasbon_balance)


@dataclass(frozen=True, slots=True)
class HeldCartInfo:
    id: str
    label: str
    held_by: str
    created_at: str  # ISO timestamp
    line_count: int
    customer_id: str | None


@dataclass(frozen=True, slots=True)
class PriceChanged:
    line_no: int
    sku: str
    name: str
    held_price: int
    current_price: int


@dataclass(frozen=True, slots=True)
class LineUnavailable:
    line_no: int
    sku: str
    name: str
    qty_milli: int


@dataclass(frozen=True, slots=True)
class ResumedCartInfo:
    cart: Cart
    label: str
    price_changes: tuple[PriceChanged, ...]
    unavailable: tuple[LineUnavailable, ...]
    customer: CustomerCard | None


class CartBackend(Protocol):
    # --- pure value code (safe on the main thread) --------------------------------------
    def is_weighed(self, unit: str) -> bool:
        """Whether a product sold per ``unit`` is weighed or measured (fractional
        quantities: kg, liter...). Pure."""
        ...

    def check_discount(self, cart: Cart, line_no: int | None,
                       discount: Discount) -> DiscountRule:
        """``discount`` on line ``line_no`` (None: the whole order) against the logged-in
        person's limit. Raises BadInput (field "discount") for a discount that cannot be
        given. Pure value code over the configuration loaded at start-up."""
        ...

    # --- approvals (DB-writer lane: a wrong PIN is a write) ------------------------------
    def verify_approval(self, approval: SupervisorApproval, role: str,
                        what: str) -> Approver:
        """Check a PIN for someone of at least ``role``; Refused on a wrong PIN (counted)."""
        ...

    def approve_discount(self, cart: Cart, line_no: int | None, discount: Discount,
                         approval: SupervisorApproval | None) -> Approver | None:
        """Approve a discount above the logged-in person's limit (audited); None when the
        discount is within their own limit. The approval is remembered for the sale."""
        ...

    # --- voids (DB-writer lane: audited) ------------------------------------------------
    def void_line(self, cart: Cart, line_no: int,
                  approval: SupervisorApproval | None = None) -> Cart:
        """The cart without the line; the void is audited. Refused (field "approver") when
        the shop wants a supervisor's PIN and none (or a wrong one) was given."""
        ...

    def void_cart(self, cart: Cart, approval: SupervisorApproval | None = None) -> Cart:
        """An empty cart in place of ``cart``; audited like :meth:`void_line`."""
        ...

    # --- the category grid (pool lane) --------------------------------------------------
    def categories(self) -> list[CategoryTile]: ...

    def category_products(self, category_id: str) -> list[ProductTile]: ...

    # --- customers ----------------------------------------------------------------------
    def find_customers(self, text: str) -> list[CustomerHit]:
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
    def hold(self, cart: Cart, label: str) -> HeldCartInfo: ...

    def held_carts(self) -> list[HeldCartInfo]: ...

    def resume(self, held_id: str) -> ResumedCartInfo:
        """Take a held cart back: today's prices, lines no longer sold left out (listed)."""
        ...

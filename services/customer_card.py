"""The customer at the till: finding them by name or phone, and the card the till shows
for the one attached to a sale (name, masked phone, kasbon owed and limit).

The cipher is a parameter (its keys come from the app's secret store); None means the shop
has no data key yet, so no customer has a phone either and nothing is decrypted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from local_db.models import Customer
from local_db.uow import UnitOfWork
from services.errors import BadInput
from services.kasbon import customer_balance

if TYPE_CHECKING:
    # services.customers loads phonenumbers (slow to import): the till's screens import
    # CustomerCard at start-up, the lookups below load it when first used.
    from services.crypto import FieldCipher
    from services.customers import CustomerSummary, CustomerView

_PHONE_LIKE = re.compile(r"^\+?[\d\s\-().]{6,}$")
#: A till's customer search shows this many names at most.
FIND_LIMIT = 30


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """The customer attached to the sale, as the till shows them."""

    id: str
    name: str
    phone: str | None  # masked but for the last digits, e.g. "+62 ••• 7890"
    kasbon_balance: int  # what they owe now
    credit_limit: int
    # Loyalty (issue 15): None when the programme is off.
    points: int | None = None
    points_value: int = 0  # rupiah the points pay at the till
    tier: str | None = None  # the tier's name

    @property
    def kasbon_available(self) -> int:
        return max(0, self.credit_limit - self.kasbon_balance)


def looks_like_phone(text: str) -> bool:
    return bool(_PHONE_LIKE.match(text.strip())) and sum(c.isdigit() for c in text) >= 6


def mask_phone(phone: str | None) -> str | None:
    """"+6281234567890" -> "+62 ••• 7890": enough to confirm with the customer, not more."""
    if not phone:
        return None
    return f"{phone[:3]} ••• {phone[-4:]}" if len(phone) > 7 else "•••"


def find_customers(uow: UnitOfWork, cipher: FieldCipher | None,
                   text: str) -> tuple[CustomerSummary, ...]:
    """By phone number (exact, through the blind index) when ``text`` looks like one, else
    by name. A malformed number is refused (BadInput) even when there is no data key."""
    from services.customers import (
        CustomerSummary,
        find_by_phone,
        normalise_phone,
        search_customers,
    )
    text = (text or "").strip()
    if not looks_like_phone(text):
        return search_customers(uow, text, limit=FIND_LIMIT)
    if cipher is None:
        normalise_phone(text)
        return ()
    found = find_by_phone(uow, cipher, text)
    return () if found is None else (
        CustomerSummary(found.id, found.name, True, found.credit_limit),)


def new_customer_card(view: CustomerView) -> CustomerCard:
    """The card of a customer just created (owing nothing yet)."""
    return CustomerCard(view.id, view.name, mask_phone(view.phone), 0, view.credit_limit)


def customer_card(uow: UnitOfWork, cipher: FieldCipher | None,
                  customer_id: str) -> CustomerCard:
    """The customer and their kasbon now. BadInput for an erased customer, NotFound for an
    unknown id."""
    from services.customers import get_customer
    erased = uow.conn.execute(select(Customer.erased_at)
                              .where(Customer.id == customer_id)).first()
    if erased is not None and erased[0] is not None:
        raise BadInput("this customer's data was erased", field="customer")
    balance = customer_balance(uow, customer_id)
    phone = None if cipher is None else get_customer(uow, cipher, customer_id).phone
    from services.loyalty import member_points
    member = member_points(uow.conn, customer_id)
    return CustomerCard(customer_id, balance.name, mask_phone(phone), balance.balance,
                        balance.credit_limit,
                        member.balance if member.enabled else None, member.value,
                        member.tier_name if member.enabled else None)

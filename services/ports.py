"""Ports the business needs from the outside world (filled by ``sync/`` adapters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ProviderPayment:
    """A non-cash payment as the till hands it to the sale: already charged and settled."""

    method: str
    amount: int
    provider_ref: str  # the provider's order id (derived from the payment's UUID)


class PaymentPort(Protocol):
    """The payment provider as the sale sees it (Midtrans, in the payments issue).

    A customer-present charge happens *before* the sale commits; the sale asks the port only
    whether the payment it is handed is really settled, so an abandoned sale leaves no revenue.
    """

    def is_settled(self, payment: ProviderPayment) -> bool: ...

    def taken(self, payment: ProviderPayment, sale_id: str) -> None:
        """Called inside the sale's transaction once the sale holds the payment."""
        ...

"""Parcels of sales: the shipments list and detail, creating a shipment with a rate comparison across couriers, cancelling one.

What the screens of this area need from the shop, as a Protocol (``backend.shipping``,
implemented by ``app/desktop/shipping.py``). Every method may touch the database or the
network unless its docstring says otherwise, so the screens call them only through
:mod:`ui.tasks`: :meth:`ShippingBackend.rates` on ``Lane.POOL`` (it asks the couriers),
:meth:`~ShippingBackend.create` and :meth:`~ShippingBackend.cancel` on ``Lane.WRITER``
(they only write: the courier is called later by the provider-job dispatcher), the reads on
``Lane.POOL``.

What crosses are ``services.shipping``'s frozen values; only :class:`ShipmentSale` (the
sale a shipment is made for, with its customer as the recipient to prefill) is the
screens' own. Refusals arrive as ``services.errors`` exceptions naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # Loaded when a shipment screen is first opened, not at the till's start.
    from services.courier_port import Parcel, Place
    from services.courier_settings import CourierSettings
    from services.shipping import (
        RateComparison,
        ShipmentDetail,
        ShipmentRequest,
        ShipmentRow,
        ShipmentView,
    )


@dataclass(frozen=True, slots=True)
class ShipmentSale:
    """A committed sale a parcel is made for, and its customer (if any) as the recipient the
    create dialog prefills. The customer's phone and address are shown to the cashier in
    the form (they are what the courier needs): never in a repr."""

    sale_id: str
    receipt_no: str
    payable: int  # what the customer paid: the declared value's default
    customer_name: str | None = None
    phone: str | None = field(default=None, repr=False)
    address: str | None = field(default=None, repr=False)
    shipments: tuple[ShipmentRow, ...] = ()  # what this sale already ships


class ShippingBackend(Protocol):
    def settings(self) -> CourierSettings:
        """Which couriers this shop ships with, its origin, its default service."""
        ...

    def sale(self, receipt_no: str) -> ShipmentSale:
        """The sale with ``receipt_no`` and its customer (NotFound, field ``receipt_no``)."""
        ...

    def rates(self, destination: Place, parcel: Parcel, *, cod: bool = False) -> RateComparison:
        """Ask every enabled courier for its price (network: ``Lane.POOL``). A courier that
        fails is listed in ``failures`` with the reason; the others still answer."""
        ...

    def create(self, request: ShipmentRequest) -> ShipmentView:
        """Queue the shipment (one transaction; the courier is asked later). The same
        ``request_key`` again returns the shipment already made."""
        ...

    def shipments(self, *, status: str | None = None, courier: str | None = None,
                  since: str | None = None, until: str | None = None,
                  text: str | None = None, limit: int = 200) -> tuple[ShipmentRow, ...]: ...

    def detail(self, shipment_id: str) -> ShipmentDetail: ...

    def cancel(self, shipment_id: str, reason: str) -> ShipmentView:
        """Refused (field ``shipment``) once the courier no longer allows it; a reason is
        needed (field ``reason``)."""
        ...

    def track(self, shipment_id: str) -> ShipmentRow:
        """Make the shipment's tracking poll due now (the dispatcher asks the courier);
        Conflict (field ``shipment``) while it is not at the courier yet."""
        ...

    def of_sale(self, sale_id: str) -> tuple[ShipmentRow, ...]: ...

    def of_receipt(self, receipt_no: str) -> tuple[ShipmentRow, ...]:
        """The parcels of the sale with ``receipt_no`` (delivered, returned... shown where
        a sale is looked up)."""
        ...

"""Parcels of sales for the screens (``ui.backend_shipping.ShippingBackend``): the
shipments list and detail, rates across couriers, create and cancel.

Each method opens a unit of work and calls the use cases of ``services.shipping`` (and, to
prefill a recipient, the sale's and the customer's own services) with whoever is logged in,
and returns their frozen values. :meth:`ShippingAdapter.rates` asks the couriers: the
screens run it on the network pool (``ui.tasks.Lane.POOL``), never on the writer lane;
creating and cancelling only write (the courier is called later by the provider-job
dispatcher), so the till never waits on a courier.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from ui.backend_shipping import ShipmentSale

if TYPE_CHECKING:
    # services.shipping loads when a shipment screen first asks (the till's cold start).
    from local_db.uow import UnitOfWork
    from services.courier_port import Parcel, Place
    from services.crypto import FieldCipher
    from services.shipping import (
        RateComparison,
        ShipmentDetail,
        ShipmentRequest,
        ShipmentRow,
        ShipmentView,
    )
    from services.courier_settings import CourierSettings


class ShippingAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    # --- the cipher of personal data (recipients are encrypted like customers) ----------
    def _cipher(self) -> FieldCipher:
        """The data key's cipher; makes the shop's first key if it has none (a write:
        only from methods the screens run on the writer lane)."""
        from app.secrets import cipher_for, ensure_data_key
        shop = self._ctx.shop
        ensure_data_key(shop)
        return cipher_for(shop)

    def _read_cipher(self) -> FieldCipher | None:
        """The cipher for reading, or None when the shop has no data key yet (then no
        customer or recipient has an encrypted field either)."""
        from app.secrets import active_key_id, cipher_for
        shop = self._ctx.shop
        return None if active_key_id(shop) is None else cipher_for(shop)

    # --- reads ----------------------------------------------------------------------------
    @environment_faults
    def settings(self) -> CourierSettings:
        from services.courier_settings import courier_settings
        return self._ctx.read(lambda uow: courier_settings(uow.conn))

    @environment_faults
    def sale(self, receipt_no: str) -> ShipmentSale:
        self._ctx.require_actor()
        cipher = self._read_cipher()
        return self._ctx.read(lambda uow: _shipment_sale(uow, cipher, receipt_no))

    @environment_faults
    def shipments(self, *, status: str | None = None, courier: str | None = None,
                  since: str | None = None, until: str | None = None,
                  text: str | None = None, limit: int = 200) -> tuple[ShipmentRow, ...]:
        from services.shipping import list_shipments
        self._ctx.require_actor()
        return self._ctx.read(lambda uow: list_shipments(
            uow, status=status, courier=courier, since=since, until=until, text=text,
            limit=limit))

    @environment_faults
    def detail(self, shipment_id: str) -> ShipmentDetail:
        from services.shipping import shipment_detail
        self._ctx.require_actor()
        cipher = self._read_cipher()
        if cipher is None:  # no data key: no shipment can exist (its recipient needs one)
            from services.errors import NotFound
            raise NotFound(f"no shipment '{shipment_id}'", field="shipment_id")
        return self._ctx.read(lambda uow: shipment_detail(uow, cipher, shipment_id))

    @environment_faults
    def of_sale(self, sale_id: str) -> tuple[ShipmentRow, ...]:
        from services.shipping import shipments_of_sale
        return self._ctx.read(lambda uow: shipments_of_sale(uow.conn, sale_id))

    @environment_faults
    def of_receipt(self, receipt_no: str) -> tuple[ShipmentRow, ...]:
        from services.messaging import receipt_sale_id
        from services.shipping import shipments_of_sale
        return self._ctx.read(lambda uow: shipments_of_sale(
            uow.conn, receipt_sale_id(uow, receipt_no)))

    # --- the couriers' prices (network: the pool lane) ----------------------------------
    @environment_faults
    def rates(self, destination: Place, parcel: Parcel, *, cod: bool = False) -> RateComparison:
        from services.courier_port import RateRequest
        from services.errors import Refused
        from services.shipping import compare_rates
        settings = self.settings()
        if settings.origin is None:
            raise Refused("the shop's sending address is not set (courier.origin.name, "
                          ".phone, .address)", field="origin")
        # Loads the courier clients (httpx): on the pool lane, when prices are first asked.
        from app.courier_wiring import courier_clients, courier_notes
        request = RateRequest(origin=settings.origin, destination=destination, parcel=parcel,
                              couriers=settings.companies, cod=cod)
        clients = courier_clients(self._ctx.shop)
        try:
            comparison = compare_rates(clients, request)
        finally:
            for client in clients.values():
                client.close()
        # An enabled courier that cannot run here (a key missing) says why beside the rest.
        notes = courier_notes(self._ctx.shop)
        if not notes:
            return comparison
        return replace(comparison, failures={**notes, **comparison.failures})

    # --- writes (the writer lane) ---------------------------------------------------------
    @environment_faults
    def create(self, request: ShipmentRequest) -> ShipmentView:
        from services.shipping import create_shipment
        cipher = self._cipher()  # before the write unit of work: no nesting
        return self._ctx.act(lambda uow, actor: create_shipment(uow, cipher, actor, request))

    @environment_faults
    def track(self, shipment_id: str) -> ShipmentRow:
        from services.shipping import track_now
        self._ctx.require_actor()
        return self._ctx.write(lambda uow: track_now(uow, shipment_id))

    @environment_faults
    def cancel(self, shipment_id: str, reason: str) -> ShipmentView:
        from services.shipping import cancel_shipment
        return self._ctx.act(lambda uow, actor: cancel_shipment(uow, actor, shipment_id,
                                                                reason))


def _shipment_sale(uow: UnitOfWork, cipher: FieldCipher | None,
                   receipt_no: str) -> ShipmentSale:
    """The sale of ``receipt_no`` with its customer and its shipments, from the services
    that own each (no query here)."""
    from services.customers import get_customer
    from services.messaging import receipt_sale_id
    from services.refunds import refundable_sale
    from services.shipping import shipments_of_sale
    sale = refundable_sale(uow.conn, receipt_no)
    sale_id = receipt_sale_id(uow, sale.receipt_no)
    name = phone = address = None
    if sale.customer_id is not None and cipher is not None:  # no key: nobody has a phone
        customer = get_customer(uow, cipher, sale.customer_id)
        if customer.erased_at is None:
            name, phone, address = customer.name, customer.phone, customer.address
    return ShipmentSale(sale_id=sale_id, receipt_no=sale.receipt_no, payable=sale.payable,
                        customer_name=name, phone=phone, address=address,
                        shipments=shipments_of_sale(uow.conn, sale_id))

"""Reading shipments: the list with filters, one shipment in full, a sale's shipments.

Rows are frozen values; the recipient's phone and address are decrypted only in
:class:`ShipmentDetail` and never appear in a repr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select

from local_db.models import Customer, ProviderJob, Sale, Shipment, ShipmentEvent
from local_db.uow import UnitOfWork
from services.courier_port import Parcel, volumetric_weight_g
from services.crypto import FieldCipher
from services.errors import BadInput, NotFound

MAX_LIMIT = 5000


@dataclass(frozen=True, slots=True)
class ShipmentRow:
    id: str
    sale_id: str
    receipt_no: str
    courier: str  # the client: biteship | jne | jnt | pos
    courier_company: str
    service_code: str
    recipient_name: str
    status: str
    provider_status: str | None
    waybill_id: str | None
    quoted_price: int | None
    final_price: int | None
    cod: bool
    cod_amount: int
    weight_g: int
    volumetric_weight_g: int
    created_at: str
    updated_at: str
    last_error: str | None
    batch_id: str | None = None
    request_key: str | None = None
    cancel_reason: str | None = None
    next_track_at: str | None = None

    @property
    def price_difference(self) -> int | None:
        """final - quoted (positive: the courier re-priced upward after pickup)."""
        if self.final_price is None or self.quoted_price is None:
            return None
        return self.final_price - self.quoted_price

    def as_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["price_difference"] = self.price_difference
        return out


@dataclass(frozen=True, slots=True)
class ShipmentView(ShipmentRow):
    """What create/cancel return: the row; ``existing`` when the request key matched a
    shipment made earlier (a double click, a batch re-run) and nothing new was written."""

    existing: bool = False


@dataclass(frozen=True, slots=True)
class ShipmentEventRow:
    status: str
    provider_status: str | None
    note: str | None
    happened_at: str
    recorded_at: str


@dataclass(frozen=True, slots=True)
class ShipmentDetail(ShipmentRow):
    """One shipment in full: every row field, the recipient (decrypted; never in a repr),
    the parcel (volumetric weight beside the real one), the courier's ids, the history."""

    recipient_phone: str | None = field(default=None, repr=False)
    recipient_address: str | None = field(default=None, repr=False)
    destination_postal_code: str | None = None
    destination_area_id: str | None = None
    destination_code: str | None = None
    destination_city: str | None = None
    parcel: Parcel | None = None
    provider_order_id: str | None = None
    draft_order_id: str | None = None
    tracking_id: str | None = None
    events: tuple[ShipmentEventRow, ...] = ()

    @property
    def row(self) -> ShipmentRow:
        return ShipmentRow(**{n: getattr(self, n) for n in ShipmentRow.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        """For JSON output (the CLI): personal data included, as the detail screen shows
        it to a signed-in user."""
        p = self.parcel
        return {**self.row.as_dict(), "recipient_phone": self.recipient_phone,
                "recipient_address": self.recipient_address,
                "destination_postal_code": self.destination_postal_code,
                "destination_area_id": self.destination_area_id,
                "destination_code": self.destination_code,
                "destination_city": self.destination_city,
                "parcel": None if p is None else {
                    "weight_g": p.weight_g, "length_cm": p.length_cm, "width_cm": p.width_cm,
                    "height_cm": p.height_cm, "declared_value": p.declared_value,
                    "description": p.description,
                    "volumetric_weight_g": p.volumetric_weight_g,
                    "chargeable_weight_g": p.chargeable_weight_g},
                "provider_order_id": self.provider_order_id,
                "draft_order_id": self.draft_order_id, "tracking_id": self.tracking_id,
                "events": [{"status": e.status, "provider_status": e.provider_status,
                            "note": e.note, "happened_at": e.happened_at,
                            "recorded_at": e.recorded_at} for e in self.events]}


_ROW_COLUMNS = (Shipment.id, Shipment.sale_id, Sale.receipt_no, Shipment.courier,
                Shipment.courier_company, Shipment.service_code, Shipment.recipient_name,
                Shipment.status, Shipment.provider_status, Shipment.waybill_id,
                Shipment.quoted_price, Shipment.final_price, Shipment.cod, Shipment.cod_amount,
                Shipment.weight_g, Shipment.length_cm, Shipment.width_cm, Shipment.height_cm,
                Shipment.created_at, Shipment.updated_at, Shipment.last_error,
                Shipment.batch_id, Shipment.request_key, Shipment.cancel_reason,
                Shipment.next_track_at)


def _rows_query() -> Any:
    return select(*_ROW_COLUMNS).join(Sale, Sale.id == Shipment.sale_id)


def row_of(r: Any) -> ShipmentRow:
    return ShipmentRow(
        id=r.id, sale_id=r.sale_id, receipt_no=r.receipt_no, courier=r.courier,
        courier_company=r.courier_company, service_code=r.service_code,
        recipient_name=r.recipient_name, status=r.status, provider_status=r.provider_status,
        waybill_id=r.waybill_id,
        quoted_price=None if r.quoted_price is None else int(r.quoted_price),
        final_price=None if r.final_price is None else int(r.final_price), cod=bool(r.cod),
        cod_amount=int(r.cod_amount or 0), weight_g=int(r.weight_g),
        volumetric_weight_g=volumetric_weight_g(int(r.length_cm), int(r.width_cm),
                                                int(r.height_cm)),
        created_at=r.created_at, updated_at=r.updated_at, last_error=r.last_error,
        batch_id=r.batch_id, request_key=r.request_key, cancel_reason=r.cancel_reason,
        next_track_at=r.next_track_at)


def shipment_row(conn: Connection, shipment_id: str) -> ShipmentRow:
    r = conn.execute(_rows_query().where(Shipment.id == shipment_id)).one_or_none()
    if r is None:
        raise NotFound(f"no shipment '{shipment_id}'", field="shipment_id")
    return row_of(r)


def view_of(row: ShipmentRow, *, existing: bool = False) -> ShipmentView:
    values = {name: getattr(row, name) for name in ShipmentRow.__dataclass_fields__}
    return ShipmentView(**values, existing=existing)


def list_shipments(uow: UnitOfWork, *, status: str | None = None, courier: str | None = None,
                   since: str | None = None, until: str | None = None,
                   text: str | None = None, limit: int = 200) -> tuple[ShipmentRow, ...]:
    """Newest first. ``courier`` matches the client or the company (``jne`` finds both a
    JNE-direct parcel and a Biteship one carried by JNE); ``since`` (inclusive) and ``until``
    (exclusive) bound the creation time (ISO text); ``text`` searches the receipt number,
    the recipient's name, the waybill and the shipment id."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput(f"must be from 1 to {MAX_LIMIT}", field="limit")
    q = _rows_query()
    if status:
        q = q.where(Shipment.status == status)
    if courier:
        q = q.where(or_(Shipment.courier == courier, Shipment.courier_company == courier))
    if since:
        q = q.where(Shipment.created_at >= since)
    if until:
        q = q.where(Shipment.created_at < until)
    if text and text.strip():
        like = f"%{text.strip().replace('%', '').replace('_', '')}%"
        q = q.where(or_(Sale.receipt_no.ilike(like), Shipment.recipient_name.ilike(like),
                        Shipment.waybill_id.ilike(like), Shipment.id.ilike(like)))
    q = q.order_by(Shipment.created_at.desc(), Shipment.id.desc()).limit(limit)
    return tuple(row_of(r) for r in uow.conn.execute(q).all())


def shipments_of_sale(conn: Connection, sale_id: str) -> tuple[ShipmentRow, ...]:
    """A sale's shipments, oldest first (the receipt's reprint and the sale's screen)."""
    q = _rows_query().where(Shipment.sale_id == sale_id).order_by(Shipment.created_at,
                                                                   Shipment.id)
    return tuple(row_of(r) for r in conn.execute(q).all())


def shipment_events(conn: Connection, shipment_id: str) -> tuple[ShipmentEventRow, ...]:
    q = (select(ShipmentEvent.status, ShipmentEvent.provider_status, ShipmentEvent.note,
                ShipmentEvent.happened_at, ShipmentEvent.recorded_at)
         .where(ShipmentEvent.shipment_id == shipment_id)
         # As learnt (a courier's clock stamps whole seconds, earlier than our own stamp
         # of the same moment); within one poll, in the courier's order.
         .order_by(ShipmentEvent.recorded_at, ShipmentEvent.happened_at, ShipmentEvent.id))
    return tuple(ShipmentEventRow(*r) for r in conn.execute(q).all())


@dataclass(frozen=True, slots=True)
class SaleForShipment:
    """A committed sale a parcel is made for: its customer (if any) is the recipient a form
    prefills (phone and address decrypted only when a cipher is given; never in a repr),
    and what it ships already."""

    sale_id: str
    receipt_no: str
    payable: int
    created_at: str
    customer_id: str | None
    customer_name: str | None
    customer_phone: str | None = field(repr=False)
    customer_address: str | None = field(repr=False)
    shipments: tuple[ShipmentRow, ...]


def sale_for_shipment(uow: UnitOfWork, *, receipt_no: str | None = None,
                      sale_id: str | None = None,
                      cipher: FieldCipher | None = None) -> SaleForShipment:
    """The sale by receipt number or id (NotFound naming the one given)."""
    conn = uow.conn
    if receipt_no is not None and receipt_no.strip():
        cond, name = Sale.receipt_no == receipt_no.strip(), "receipt_no"
    elif sale_id is not None and sale_id.strip():
        cond, name = Sale.id == sale_id.strip(), "sale_id"
    else:
        raise BadInput("give a receipt number or a sale id", field="receipt_no")
    s = conn.execute(select(Sale.id, Sale.receipt_no, Sale.payable, Sale.created_at,
                            Sale.customer_id).where(cond)).one_or_none()
    if s is None:
        raise NotFound(f"no sale with this {name.replace('_', ' ')}", field=name)
    c = None
    if s.customer_id is not None:
        c = conn.execute(select(Customer.id, Customer.name, Customer.phone_enc,
                                Customer.address_enc, Customer.erased_at)
                         .where(Customer.id == s.customer_id)).one_or_none()
    phone = address = None
    if c is not None and cipher is not None and c.erased_at is None:
        phone = _dec(cipher, c.phone_enc, c.id, "phone")
        address = _dec(cipher, c.address_enc, c.id, "address")
    return SaleForShipment(
        sale_id=s.id, receipt_no=s.receipt_no, payable=int(s.payable), created_at=s.created_at,
        customer_id=s.customer_id, customer_name=None if c is None else c.name,
        customer_phone=phone, customer_address=address,
        shipments=shipments_of_sale(conn, s.id))


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """One shipment of a batch as a run sees it: its status and its create job's state."""

    shipment_id: str
    request_key: str | None
    courier: str
    status: str
    waybill_id: str | None
    last_error: str | None
    job_state: str | None
    job_error: str | None


def batch_progress(conn: Connection, batch_id: str) -> tuple[BatchProgress, ...]:
    q = (select(Shipment.id, Shipment.request_key, Shipment.courier, Shipment.status,
                Shipment.waybill_id,
                Shipment.last_error, ProviderJob.state, ProviderJob.last_error.label("je"))
         .outerjoin(ProviderJob, (ProviderJob.ref_id == Shipment.id)
                    & (ProviderJob.kind == "create"))
         .where(Shipment.batch_id == batch_id).order_by(Shipment.created_at, Shipment.id))
    return tuple(BatchProgress(r.id, r.request_key, r.courier, r.status, r.waybill_id,
                               r.last_error, r.state, r.je) for r in conn.execute(q).all())


def _dec(cipher: FieldCipher, token: str | None, shipment_id: str, name: str) -> str | None:
    return None if token is None else cipher.decrypt(token, record_id=shipment_id, field=name)


def shipment_detail(uow: UnitOfWork, cipher: FieldCipher, shipment_id: str) -> ShipmentDetail:
    conn = uow.conn
    row = shipment_row(conn, shipment_id)
    s = conn.execute(select(Shipment).where(Shipment.id == shipment_id)).one()
    parcel = Parcel(int(s.weight_g), int(s.length_cm), int(s.width_cm), int(s.height_cm),
                    int(s.declared_value), s.description)
    return ShipmentDetail(
        **{n: getattr(row, n) for n in ShipmentRow.__dataclass_fields__},
        recipient_phone=_dec(cipher, s.recipient_phone_enc, s.id, "recipient_phone"),
        recipient_address=_dec(cipher, s.recipient_address_enc, s.id, "recipient_address"),
        destination_postal_code=s.destination_postal_code,
        destination_area_id=s.destination_area_id, destination_code=s.destination_code,
        destination_city=s.destination_city, parcel=parcel, provider_order_id=s.provider_order_id, draft_order_id=s.draft_order_id,
        tracking_id=s.tracking_id, events=shipment_events(conn, shipment_id))


__all__ = ["BatchProgress", "SaleForShipment", "batch_progress", "sale_for_shipment",
           "ShipmentDetail", "ShipmentEventRow", "ShipmentRow", "ShipmentView",
           "list_shipments", "row_of", "shipment_detail", "shipment_events", "shipment_row",
           "shipments_of_sale", "view_of"]

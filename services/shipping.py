"""Shipping a sale's parcel: create (offline, queued), compare rates, cancel, batches.

One use case, every caller (ARCHITECTURE.md): the till's screens, ``warungin ship``, the
courier job handlers and the tests call these functions.

- :func:`create_shipment` writes, in one ``BEGIN IMMEDIATE`` transaction, the shipment
  (status ``queued``; the recipient's phone and address AES-GCM encrypted like a customer's),
  its ``create`` job (provider = the courier client, idempotency key
  ``ship:<id>:create``, payload ids only) and an audit record. Nothing waits on a courier:
  the dispatcher sends it when the till is online. The shipment's UUID is the merchant
  reference every courier sees, so a retry is always matched to what the courier has.
- ``request_key`` is UNIQUE: the same key again (a double click on "kirim", a batch re-run)
  returns the shipment made the first time and writes nothing.
- :func:`cancel_shipment`: only while :data:`CANCELLABLE`; a shipment never sent is
  cancelled here with no courier call (its create job is neutralised); otherwise a
  ``cancel`` job asks the courier, with the reason.
- Tracking: one ``track`` job per shipment, armed when the courier accepts the order and
  re-armed by its handler with a growing wait until a final status (a shop PC behind NAT
  gets no webhooks). :func:`track_now` makes it due at once (the "refresh" button).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.jobs import job_by_key, set_state
from local_db.models import Sale, Shipment
from local_db.store import add_provider_job, append_audit
from local_db.uow import UnitOfWork
from services.courier_port import (
    CANCELLABLE,
    Parcel,
)
from services.courier_settings import (
    CAN_CREATE,
    CLIENTS,
    DIRECT_COMPANY,
    CourierSettings,
    courier_settings,
    split_address,
)
from services.crypto import FieldCipher
from services.customers import normalise_phone
from services.errors import BadInput, Conflict, NotFound, Refused, ShopError
from services.shipping_query import (
    BatchProgress,
    SaleForShipment,
    ShipmentDetail,
    ShipmentEventRow,
    ShipmentRow,
    ShipmentView,
    batch_progress,
    list_shipments,
    sale_for_shipment,
    shipment_detail,
    shipment_row,
    shipments_of_sale,
    view_of,
)
from services.shipping_jobs import job_discarded, queue_job, track_now
from services.shipping_rates import RateComparison, compare_rates
from services.shipping_record import CANCEL, CREATE, StatusHook, add_event, job_key
from services.users import Actor, authorize

MAX_WEIGHT_G = 150_000  # 150 kg: beyond any parcel service
MAX_SIDE_CM = 300
MAX_MONEY = 10**12
MAX_NAME = 120
MAX_ADDRESS = 400
MAX_NOTE = 200
MAX_REASON = 200
_POSTAL = re.compile(r"^[0-9]{5}$")


@dataclass(frozen=True, slots=True)
class ShipmentRequest:
    sale_id: str
    courier: str  # the client: biteship | jne | jnt (pos parcels go through biteship)
    courier_company: str  # jne, jnt, pos, sicepat... (the client's own for a direct one)
    service_code: str
    recipient_name: str
    recipient_phone: str = field(repr=False)
    recipient_address: str = field(repr=False)
    destination_postal_code: str | None
    destination_area_id: str | None
    destination_code: str | None
    parcel: Parcel
    cod: bool = False
    quoted_price: int | None = None
    request_key: str | None = None
    batch_id: str | None = None
    note: str | None = field(default=None, repr=False)
    #: What the courier collects on delivery; None with ``cod`` = the sale's amount due.
    cod_amount: int | None = None
    #: The destination's city or regency (JNE's label needs it: OLSHOP_RECEIVER_CITY).
    destination_city: str | None = None


# --- checks ------------------------------------------------------------------------------

def _text(value: str | None, name: str, *, max_len: int, required: bool = True) -> str | None:
    clean = " ".join((value or "").split())
    if not clean:
        if required:
            raise BadInput("is needed", field=name)
        return None
    if len(clean) > max_len:
        raise BadInput(f"at most {max_len} characters", field=name)
    return clean


def _int(value: object, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("must be a whole number", field=name)
    if not lo <= value <= hi:
        raise BadInput(f"must be from {lo} to {hi}", field=name)
    return value


def _check_parcel(p: Parcel) -> Parcel:
    _int(p.weight_g, "weight_g", 1, MAX_WEIGHT_G)
    for name in ("length_cm", "width_cm", "height_cm"):
        _int(getattr(p, name), name, 0, MAX_SIDE_CM)
    _int(p.declared_value, "declared_value", 0, MAX_MONEY)
    _int(p.quantity, "quantity", 1, 10_000)
    desc = _text(p.description, "description", max_len=MAX_NAME)
    assert desc is not None
    return Parcel(p.weight_g, p.length_cm, p.width_cm, p.height_cm, p.declared_value, desc,
                  p.quantity)


@dataclass(frozen=True, slots=True)
class _Clean:
    courier: str
    company: str
    service: str
    name: str
    phone: str = field(repr=False)
    address: str = field(repr=False)
    postal_code: str | None
    area_id: str | None
    code: str | None
    parcel: Parcel
    cod_amount: int
    quoted_price: int | None
    note: str | None = field(repr=False)
    city: str | None = None


def _validate(conn: Connection, settings: CourierSettings, req: ShipmentRequest,
              payable: int) -> _Clean:
    courier = (req.courier or "").strip().lower()
    if courier not in CLIENTS:
        raise BadInput(f"must be one of {', '.join(CLIENTS)}", field="courier")
    if courier not in CAN_CREATE:
        raise BadInput("POS Indonesia publishes no order API: create the parcel through "
                       "biteship with courier_company pos", field="courier")
    if courier not in settings.enabled:
        raise Refused(f"{courier} is not enabled for this shop (courier.enabled)",
                      field="courier")
    if settings.origin is None:
        raise Refused("the shop's sending address is not set (courier.origin.name, .phone, "
                      ".address)", field="origin")
    company = (req.courier_company or "").strip().lower()
    if not company or len(company) > 24:
        raise BadInput("is needed (e.g. jne)", field="courier_company")
    if courier in DIRECT_COMPANY and company != DIRECT_COMPANY[courier]:
        raise BadInput(f"{courier} direct ships only with {DIRECT_COMPANY[courier]}",
                       field="courier_company")
    service = _text(req.service_code, "service_code", max_len=24)
    name = _text(req.recipient_name, "recipient_name", max_len=MAX_NAME)
    try:
        phone = normalise_phone(req.recipient_phone)
    except BadInput as exc:
        raise BadInput(exc.message, field="recipient_phone") from None
    address = _text(req.recipient_address, "recipient_address", max_len=MAX_ADDRESS)
    assert service is not None and name is not None and address is not None
    postal = _text(req.destination_postal_code, "destination_postal_code", max_len=10,
                   required=False)
    if postal is not None and not _POSTAL.match(postal):
        raise BadInput("an Indonesian postal code has 5 digits", field="destination_postal_code")
    area = _text(req.destination_area_id, "destination_area_id", max_len=64, required=False)
    code = _text(req.destination_code, "destination_code", max_len=32, required=False)
    if courier == "biteship" and postal is None and area is None:
        raise BadInput("Biteship needs the destination's postal code or area id",
                       field="destination_postal_code")
    city = _text(req.destination_city, "destination_city", max_len=60, required=False)
    if courier == "jne" and city is None:
        raise BadInput("JNE needs the destination's city (printed on its label)",
                       field="destination_city")
    if courier in ("jne", "jnt") and code is None:
        raise BadInput(f"{courier} needs the destination's area code (e.g. BDO10000)",
                       field="destination_code")
    if courier == "jne":
        split_address(address, field_name="recipient_address")
    parcel = _check_parcel(req.parcel)
    if req.cod:
        cod_amount = payable if req.cod_amount is None else req.cod_amount
        _int(cod_amount, "cod_amount", 1, MAX_MONEY)
    else:
        if req.cod_amount:
            raise BadInput("a COD amount goes with cod: true", field="cod_amount")
        cod_amount = 0
    quoted = None if req.quoted_price is None else _int(req.quoted_price, "quoted_price", 0,
                                                        MAX_MONEY)
    note = _text(req.note, "note", max_len=MAX_NOTE, required=False)
    return _Clean(courier, company, service, name, phone, address, postal, area, code, parcel,
                  cod_amount, quoted, note, city)


def _by_key(conn: Connection, request_key: str) -> str | None:
    return conn.execute(select(Shipment.id).where(Shipment.request_key == request_key)
                        ).scalar()


# --- create ------------------------------------------------------------------------------

def create_shipment(uow: UnitOfWork, cipher: FieldCipher, actor: Actor,
                    req: ShipmentRequest) -> ShipmentView:
    """Queue a sale's parcel (one transaction, committed); see the module doc."""
    conn = uow.conn
    actor = authorize(uow, actor, "cashier", "sending a parcel")
    key = _text(req.request_key, "request_key", max_len=80, required=False)
    if key is not None:
        found = _by_key(conn, key)
        if found is not None:
            row = shipment_row(conn, found)
            if row.sale_id != req.sale_id:
                raise Conflict("this request key belongs to another sale's shipment",
                               field="request_key")
            return view_of(row, existing=True)
    batch = _text(req.batch_id, "batch_id", max_len=40, required=False)
    sale = conn.execute(select(Sale.id, Sale.payable).where(Sale.id == req.sale_id)
                        ).one_or_none()
    if sale is None:
        raise NotFound(f"no sale '{req.sale_id}'", field="sale_id")
    c = _validate(conn, courier_settings(conn), req, int(sale.payable))
    sid = uuid7()
    stamp = now_iso()
    conn.execute(insert(Shipment).values(
        id=sid, sale_id=req.sale_id, request_key=key, batch_id=batch, courier=c.courier,
        courier_company=c.company, service_code=c.service, recipient_name=c.name,
        recipient_phone_enc=cipher.encrypt(c.phone, record_id=sid, field="recipient_phone"),
        recipient_address_enc=cipher.encrypt(c.address, record_id=sid,
                                             field="recipient_address"),
        key_id=cipher.active_key_id, destination_postal_code=c.postal_code,
        destination_area_id=c.area_id, destination_code=c.code, destination_city=c.city,
        weight_g=c.parcel.weight_g,
        length_cm=c.parcel.length_cm, width_cm=c.parcel.width_cm,
        height_cm=c.parcel.height_cm, declared_value=c.parcel.declared_value,
        description=c.parcel.description, cod=c.cod_amount > 0, cod_amount=c.cod_amount,
        quoted_price=c.quoted_price, final_price=None, status="queued",
        provider_status=None, provider_order_id=None, draft_order_id=None, waybill_id=None,
        tracking_id=None, cancel_reason=None, last_error=None, next_track_at=None,
        created_by=actor.id, created_at=stamp, updated_at=stamp))
    add_event(conn, sid, "queued", None, None, stamp, stamp)
    payload: dict[str, Any] = {"shipment_id": sid}
    if c.note is not None:  # personal words, perhaps: encrypted like the address
        payload["note_enc"] = cipher.encrypt(c.note, record_id=sid, field="note")
    add_provider_job(conn, provider=c.courier, kind=CREATE, ref_id=sid,
                     idempotency_key=job_key(sid, CREATE), payload=payload)
    append_audit(conn, "shipment.create", entity="shipment", entity_id=sid, actor_id=actor.id,
                 details={"sale_id": req.sale_id, "courier": c.courier,
                          "courier_company": c.company, "service_code": c.service,
                          "cod_amount": c.cod_amount, "batch_id": batch},
                 created_at=stamp)
    uow.commit()
    return view_of(shipment_row(conn, sid))


# --- batches -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BatchItem:
    item_no: int
    request_key: str
    outcome: str  # created | existing | refused
    shipment_id: str | None = None
    field: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class BatchResult:
    batch_id: str
    items: tuple[BatchItem, ...]

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    @property
    def shipment_ids(self) -> tuple[str, ...]:
        return tuple(i.shipment_id for i in self.items if i.shipment_id is not None)


def create_batch(uow_factory: Callable[[], UnitOfWork], cipher: FieldCipher, actor: Actor,
                 requests: Sequence[ShipmentRequest], *, batch_id: str) -> BatchResult:
    """Queue many shipments, each in its own transaction (one bad item refuses only itself).
    Each item's request key is its own or ``<batch_id>:<item_no>``, so a re-run of the same
    batch (after a crash) finds what the first run wrote and creates nothing twice."""
    bid = _text(batch_id, "batch_id", max_len=40)
    assert bid is not None
    items: list[BatchItem] = []
    for no, req in enumerate(requests, start=1):
        key = req.request_key or f"{bid}:{no}"
        try:
            with uow_factory() as uow:
                view = create_shipment(uow, cipher, actor, _with_key(req, key, bid))
            items.append(BatchItem(no, key, "existing" if view.existing else "created",
                                   view.id))
        except ShopError as exc:
            items.append(BatchItem(no, key, "refused", None, exc.field, exc.message))
    return BatchResult(bid, tuple(items))


def _with_key(req: ShipmentRequest, key: str, batch_id: str) -> ShipmentRequest:
    return replace(req, request_key=key, batch_id=batch_id)


# --- cancel, tracking --------------------------------------------------------------------

def cancel_shipment(uow: UnitOfWork, actor: Actor, shipment_id: str,
                    reason: str) -> ShipmentView:
    """Cancel while the courier still allows it (committed). A shipment never sent is
    cancelled here at once; otherwise a ``cancel`` job asks the courier."""
    conn = uow.conn
    why = _text(reason, "reason", max_len=MAX_REASON)
    actor = authorize(uow, actor, "cashier", "cancelling a parcel")
    row = shipment_row(conn, shipment_id)
    if row.status not in CANCELLABLE:
        raise Refused(f"the parcel is {row.status.replace('_', ' ')}: the courier no longer "
                      "takes a cancel", field="shipment")
    if row.cancel_reason is not None:
        return view_of(row, existing=True)  # asked already: a double click
    stamp = now_iso()
    conn.execute(update(Shipment).where(Shipment.id == shipment_id).values(
        cancel_reason=why, updated_at=stamp))
    draft = conn.execute(select(Shipment.draft_order_id).where(Shipment.id == shipment_id)
                         ).scalar()
    create = job_by_key(conn, row.courier, CREATE, job_key(shipment_id, CREATE))
    local = False
    if row.status == "queued" and draft is None and create is not None \
            and create.state in ("pending", "failed"):
        # Never reached the courier (a failed try is one the courier did not act on):
        # neutralise the create job and cancel here, with no courier call.
        # It ends as done (nothing left to send), not dead: dead means "a person must act".
        local = set_state(conn, create.id, from_states=("pending", "failed"),
                          state="succeeded", now=stamp,
                          last_error="cancelled before it was sent")
    if local:
        conn.execute(update(Shipment).where(Shipment.id == shipment_id)
                     .values(status="cancelled"))
        add_event(conn, shipment_id, "cancelled", None, why, stamp, stamp)
    else:
        queue_job(conn, row.courier, shipment_id, CANCEL, stamp)
    append_audit(conn, "shipment.cancel", entity="shipment", entity_id=shipment_id,
                 actor_id=actor.id, details={"reason": why, "from": row.status,
                                             "at_courier": not local}, created_at=stamp)
    uow.commit()
    return view_of(shipment_row(conn, shipment_id))


__all__ = ["BatchItem", "BatchProgress", "BatchResult", "CourierSettings", "RateComparison",
           "SaleForShipment", "ShipmentDetail", "ShipmentEventRow", "ShipmentRequest",
           "ShipmentRow", "ShipmentView", "StatusHook", "batch_progress", "cancel_shipment",
           "compare_rates", "courier_settings", "create_batch", "create_shipment",
           "job_discarded", "list_shipments", "sale_for_shipment", "shipment_detail",
           "shipments_of_sale", "track_now"]

"""Queuing messages: receipts, shipment notices, owner alerts and bulk sends.

Each use case writes, in the caller's one transaction, the message row(s) (status
``queued``), the provider job(s) that will send them, and an audit record; nothing here
touches the network (the dispatcher's handlers in ``sync.message_jobs`` send). The same
receipt, notice or campaign to the same person is one row (``dedupe_key`` is UNIQUE): a
double click or a re-run returns what was queued before and writes nothing.

Consent (definitions.md, Messaging): receipts and shipment updates are transactional and go
without marketing consent; owner alerts go to the shop's own people; marketing goes only to
customers with ``consent_marketing`` (a typed address has no consent on record, so marketing
never goes to one). Job rows hold ids only (no address, no text): ``{"message_id": ...}``,
or for a bulk email chunk ``{"bulk_id": ..., "chunk": n}`` with the rows carrying its job id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import phonenumbers
from sqlalchemy import Connection, select

from local_db.ids import now_iso, uuid7
from local_db.models import Customer, Sale, Shipment
from local_db.store import add_provider_job, append_audit, read_settings
from local_db.uow import UnitOfWork
from services import formatting as fmt
from services.crypto import FieldCipher
from services.customers import normalise_email, normalise_phone
from services.errors import BadInput, NotFound
from services.messaging_rows import (
    KIND_OF,
    PROVIDER_OF,
    MessageRow,
    MessageView,
    NewMessage,
    insert_message,
    message_by_dedupe,
    message_row,
    view_of,
)
from services.messaging_templates import Rendered, check_locale, render
from services.users import Actor, may_sell

#: Columns of the receipt copy in a message (as the PDF receipt).
RECEIPT_COLUMNS = 40
#: Shipment statuses a customer hears about.
NOTICE_STATUSES = ("created", "delivered", "returned")
#: The shipment's encrypted phone: record_id = shipment id, this field name (helper C's).
SHIPMENT_PHONE_FIELD = "recipient_phone"
COURIER_NAMES = {"jne": "JNE", "jnt": "J&T Express", "pos": "POS Indonesia",
                 "sicepat": "SiCepat", "anteraja": "AnterAja", "tiki": "TIKI",
                 "ninja": "Ninja Xpress", "idexpress": "ID Express", "lion": "Lion Parcel",
                 "sap": "SAP Express", "gojek": "GoSend", "grab": "GrabExpress"}
_MOBILE = {phonenumbers.PhoneNumberType.MOBILE,
           phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def message_locale(settings: Mapping[str, str], locale: str | None = None) -> str:
    """The asked language, else ``messaging.locale``, else the shop's ``language``, else id."""
    if locale is not None:
        return check_locale(locale)
    for key in ("messaging.locale", "language"):
        if settings.get(key) in ("id", "en"):
            return settings[key]
    return "id"


def mobile_number(raw: str, *, field_name: str = "to") -> str:
    """E.164 of a mobile number (SMS and WhatsApp reach mobiles only), naming ``field_name``
    when it is not one."""
    try:
        e164 = normalise_phone(raw)
    except BadInput as exc:
        raise BadInput(exc.message, field=field_name) from None
    if phonenumbers.number_type(phonenumbers.parse(e164, None)) not in _MOBILE:
        raise BadInput("not a mobile number: SMS and WhatsApp reach mobiles only "
                       "(e.g. 0812-3456-7890)", field=field_name)
    return e164


def address_for(channel: str, raw: str, *, field_name: str = "to") -> str:
    if channel in ("sms", "whatsapp"):
        return mobile_number(raw, field_name=field_name)
    if channel == "email":
        try:
            return normalise_email(raw)
        except BadInput as exc:
            raise BadInput(exc.message, field=field_name) from None
    raise BadInput("a push message goes to a registered device, not a typed address",
                   field=field_name)


def recipient_hash(cipher: FieldCipher, channel: str, address: str) -> str:
    """A keyed hash of a recipient for dedupe keys (no address in clear in the key)."""
    return cipher.blind_index(f"{channel}:{address}")[:32]


def queue_one(conn: Connection, cipher: FieldCipher, *, channel: str, purpose: str,
               rendered: Rendered, address: str, dedupe_key: str,
               variables: Mapping[str, str], now: str, job: bool = True,
               job_id: str | None = None, **refs: Any) -> MessageRow:
    """One message row and (``job``) its own job. The caller looked for the dedupe key
    first; the UNIQUE constraint holds if two writers ever raced."""
    message_id = uuid7()
    if job:
        job_id = add_provider_job(conn, provider=PROVIDER_OF[channel], kind=KIND_OF[channel],
                                  ref_id=message_id, idempotency_key=f"msg:{message_id}",
                                  payload={"message_id": message_id, "purpose": purpose})
    insert_message(conn, cipher, NewMessage(
        id=message_id, channel=channel, purpose=purpose, rendered=rendered, address=address,
        dedupe_key=dedupe_key, job_id=job_id, variables=variables, **refs), now)
    row = message_row(conn, message_id)
    assert row is not None
    return row


def _audit(conn: Connection, row: MessageRow, actor_id: str | None, now: str) -> None:
    append_audit(conn, "message.queue", entity="message", entity_id=row.id, actor_id=actor_id,
                 details={"channel": row.channel, "template": row.template,
                          "purpose": row.purpose, "ref_type": row.ref_type,
                          "ref_id": row.ref_id}, created_at=now)


# --- receipts ----------------------------------------------------------------------------

def receipt_sale_id(uow: UnitOfWork, receipt_no: str) -> str:
    """The sale of a receipt number (the CLI and the till name sales by their receipt)."""
    number = (receipt_no or "").strip()
    sale_id = uow.conn.execute(select(Sale.id).where(Sale.receipt_no == number)).scalar()
    if sale_id is None:
        raise NotFound(f"no sale with receipt number {number or '(none)'}", field="receipt_no")
    return str(sale_id)


def _receipt_variables(uow: UnitOfWork, sale: Any, settings: Mapping[str, str],
                       lang: str) -> dict[str, str]:
    from services.receipt_layout import as_text, layout_receipt
    from services.receipts import receipt_for
    from services.shop import load_config
    receipt = receipt_for(uow, load_config(uow.conn), str(sale.receipt_no))
    receipt = dataclasses.replace(receipt, language=lang)
    zone_name = settings.get("timezone") or fmt.DEFAULT_TIMEZONE
    return {"store_name": receipt.store_name, "receipt_no": receipt.number,
            "total": fmt.money(receipt.payable, lang),
            "when": fmt.datetime_text(str(sale.created_at), zone_name, lang),
            "receipt_text": as_text(layout_receipt(receipt, RECEIPT_COLUMNS))}


def _customer_address(conn: Connection, cipher: FieldCipher, customer_id: str | None,
                      channel: str) -> str:
    if customer_id is None:
        raise BadInput("the sale has no customer: type a number or an address", field="to")
    c = conn.execute(select(Customer.phone_enc, Customer.email_enc, Customer.erased_at)
                     .where(Customer.id == customer_id)).one()
    token = c.email_enc if channel == "email" else c.phone_enc
    if token is None or c.erased_at is not None:
        what = "email address" if channel == "email" else "phone number"
        raise BadInput(f"the customer has no {what} on record: type one", field="to")
    plain = cipher.decrypt(token, record_id=customer_id,
                           field="email" if channel == "email" else "phone")
    return address_for(channel, plain)


def send_receipt(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, sale_id: str, *,
                 channel: str, to: str | None = None, locale: str | None = None
                 ) -> MessageView:
    """Queue the sale's receipt by WhatsApp or email ("kirim struk") to the sale's customer
    (``to`` None) or a typed number/address, and commit. Transactional: no consent needed.
    The same receipt by the same channel to the same recipient is one message."""
    if channel not in ("whatsapp", "email"):
        raise BadInput("a receipt goes by whatsapp or email", field="channel")
    conn = uow.conn
    current = may_sell(conn, actor)  # whoever may sell may send the customer their receipt
    sale = conn.execute(select(Sale.id, Sale.receipt_no, Sale.customer_id, Sale.created_at)
                        .where(Sale.id == (sale_id or "").strip())).one_or_none()
    if sale is None:
        raise NotFound(f"no sale '{sale_id}'", field="sale_id")
    address = (address_for(channel, to) if to is not None and to.strip()
               else _customer_address(conn, cipher, sale.customer_id, channel))
    dedupe = f"receipt:{sale.id}:{channel}:{recipient_hash(cipher, channel, address)}"
    existing = message_by_dedupe(conn, dedupe)
    if existing is not None:
        return view_of(conn, existing, already=True)
    settings = read_settings(conn)
    lang = message_locale(settings, locale)
    variables = _receipt_variables(uow, sale, settings, lang)
    rendered = render("receipt", lang, channel, variables)
    now = now_iso()
    row = queue_one(conn, cipher, channel=channel, purpose="transactional",
                        rendered=rendered, address=address, dedupe_key=dedupe,
                        variables=variables, now=now, customer_id=sale.customer_id,
                        ref_type="sale", ref_id=sale.id)
    _audit(conn, row, current.id, now)
    uow.commit()
    return view_of(conn, row)


# --- shipment notices --------------------------------------------------------------------

def courier_name(company: str) -> str:
    return COURIER_NAMES.get(company.lower(), company.upper() if len(company) <= 4
                             else company.title())


def queue_shipment_notice(conn: Connection, cipher: FieldCipher, shipment_id: str,
                          status: str, now: str) -> str | None:
    """Queue the customer's notice of a shipment now ``status`` (created, delivered,
    returned), inside the caller's transaction (the couriers' status hook). Transactional.
    Returns the message id, or None when nothing is to be sent: another status, the setting
    ``courier.notify`` is none (the default), or no mobile number on the shipment."""
    if status not in NOTICE_STATUSES:
        return None
    settings = read_settings(conn)
    channel = settings.get("courier.notify", "none")
    if channel not in ("whatsapp", "sms"):
        return None
    s = conn.execute(select(Shipment.id, Shipment.recipient_phone_enc, Shipment.recipient_name,
                            Shipment.courier_company, Shipment.waybill_id, Shipment.sale_id,
                            Sale.receipt_no, Sale.customer_id)
                     .join(Sale, Sale.id == Shipment.sale_id)
                     .where(Shipment.id == shipment_id)).one_or_none()
    if s is None or s.recipient_phone_enc is None:
        return None
    phone = cipher.decrypt(s.recipient_phone_enc, record_id=s.id, field=SHIPMENT_PHONE_FIELD)
    try:
        address = mobile_number(phone)
    except BadInput:
        return None  # a landline on the label: nobody to text
    template = f"shipment_{status}"
    dedupe = f"ship:{s.id}:{status}:{channel}"
    existing = message_by_dedupe(conn, dedupe)
    if existing is not None:
        return existing.id
    lang = message_locale(settings)
    variables = {"store_name": settings.get("store_name") or settings.get("store_code", ""),
                 "receipt_no": str(s.receipt_no), "recipient_name": str(s.recipient_name),
                 "courier": courier_name(str(s.courier_company)),
                 "waybill": str(s.waybill_id or "-")}
    rendered = render(template, lang, channel, variables)
    row = queue_one(conn, cipher, channel=channel, purpose="transactional",
                        rendered=rendered, address=address, dedupe_key=dedupe,
                        variables=variables, now=now, customer_id=s.customer_id,
                        ref_type="shipment", ref_id=s.id)
    _audit(conn, row, None, now)
    return row.id


def shipment_notice_hook(cipher: FieldCipher) -> Callable[[Connection, str, str], None]:
    """The couriers' ``StatusHook`` (conn, shipment id, new status), bound to this cipher:
    queues the customer's notice inside the transaction that records the status."""
    def hook(conn: Connection, shipment_id: str, status: str) -> None:
        queue_shipment_notice(conn, cipher, shipment_id, status, now_iso())
    return hook


__all__ = ["COURIER_NAMES", "NOTICE_STATUSES", "SHIPMENT_PHONE_FIELD", "address_for",
           "queue_one", "recipient_hash",
           "courier_name", "message_locale", "mobile_number", "queue_shipment_notice",
           "receipt_sale_id", "send_receipt", "shipment_notice_hook"]

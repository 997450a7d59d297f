"""Customers: create, update, look up, erase (UU PDP / GDPR), and data-key rotation.

Phone, email and address are stored only as AES-256-GCM ciphertext (``services.crypto``);
the phone is found through its HMAC blind index, never by decrypting every row. The name is
kept in clear for search at the till, but leaves the terminal encrypted (outbox payloads
carry ciphertexts only, plus fields that are not personal).

The cipher is a parameter: its keys come from the app's secret store, which the services
must not import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any, Literal

import phonenumbers
from sqlalchemy import Connection, func, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import Customer, Message, Setting, Shipment
from local_db.store import append_audit, append_outbox, write_settings
from local_db.uow import UnitOfWork
from services.consents import write_consent
from services.crypto import FieldCipher
from services.errors import BadInput, Conflict, NotFound
from services.kasbon_query import kasbon_balance
from services.money import format_rupiah, rupiah
from services.personal_data_erasure import ERASED_NAME as ERASED_NAME
from services.personal_data_erasure import anonymise_row, forget_everywhere
from services.users import Actor, authorize

DEFAULT_REGION = "ID"
#: Setting that names the active data key (the id only; the key lives in the secret store).
DATA_KEY_SETTING = "data_key_id"
ENCRYPTED_FIELDS = ("phone", "email", "address")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
MAX_NAME = 120
MAX_EMAIL = 254
MAX_ADDRESS = 500


class _Keep(Enum):
    KEEP = "keep"


#: "Leave this field as it is" in ``update_customer`` (None means "clear it").
KEEP: Literal[_Keep.KEEP] = _Keep.KEEP


@dataclass(frozen=True, slots=True)
class CustomerView:
    """A customer as the till shows it, personal fields decrypted."""

    id: str
    name: str
    phone: str | None
    email: str | None
    address: str | None
    consent_marketing: bool
    credit_limit: int
    created_at: str
    updated_at: str
    erased_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """A search hit: nothing decrypted."""

    id: str
    name: str
    has_phone: bool
    credit_limit: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Erasure:
    customer_id: str
    erased_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Rotation:
    new_key_id: str
    previous_key_ids: tuple[str, ...]
    customers_reencrypted: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- validation (value code) ------------------------------------------------------------

def normalise_phone(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """E.164, e.g. "0812-3456-7890" -> "+6281234567890". Indonesian numbers by default."""
    text = (raw or "").strip()
    if not text:
        raise BadInput("a phone number is needed", field="phone")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise BadInput("not a phone number (e.g. 0812-3456-7890 or +62 812-3456-7890)",
                       field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise BadInput("not a valid phone number (e.g. 0812-3456-7890)", field="phone")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_email(raw: str) -> str:
    text = (raw or "").strip()
    if len(text) > MAX_EMAIL or not _EMAIL_RE.match(text):
        raise BadInput("not an email address (e.g. nama@contoh.id)", field="email")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"  # the domain is case-insensitive, the local part may not be


def _name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name or len(name) > MAX_NAME:
        raise BadInput(f"a name of 1 to {MAX_NAME} characters is needed", field="name")
    return name


def _address(raw: str) -> str | None:
    text = (raw or "").strip()
    if len(text) > MAX_ADDRESS:
        raise BadInput(f"an address is at most {MAX_ADDRESS} characters", field="address")
    return text or None


def _optional(value: str | None, check: Callable[[str], str]) -> str | None:
    if value is None or not value.strip():
        return None
    return check(value)


def _limit(value: int) -> int:
    return rupiah(value, field="credit_limit")


# --- persistence helpers -----------------------------------------------------------------

def _enc(cipher: FieldCipher, value: str | None, customer_id: str, field: str) -> str | None:
    return None if value is None else cipher.encrypt(value, record_id=customer_id, field=field)


def _dec(cipher: FieldCipher, token: str | None, customer_id: str, field: str) -> str | None:
    return None if token is None else cipher.decrypt(token, record_id=customer_id, field=field)


def _load(conn: Connection, customer_id: str) -> Customer:
    row = conn.execute(select(Customer.__table__).where(Customer.id == customer_id)).first()
    if row is None:
        raise NotFound(f"no customer {customer_id}", field="customer")
    return Customer(**row._mapping)


def _view(cipher: FieldCipher, c: Customer) -> CustomerView:
    return CustomerView(
        id=c.id, name=c.name, phone=_dec(cipher, c.phone_enc, c.id, "phone"),
        email=_dec(cipher, c.email_enc, c.id, "email"),
        address=_dec(cipher, c.address_enc, c.id, "address"),
        consent_marketing=bool(c.consent_marketing), credit_limit=int(c.credit_limit),
        created_at=c.created_at, updated_at=c.updated_at, erased_at=c.erased_at)


def _phone_taken(conn: Connection, index: str, other_than: str | None) -> bool:
    q = select(Customer.id).where(Customer.phone_index == index, Customer.erased_at.is_(None))
    if other_than is not None:
        q = q.where(Customer.id != other_than)
    return conn.execute(q.limit(1)).first() is not None


def _require_active_key(conn: Connection, cipher: FieldCipher) -> None:
    """New ciphertext must be under the shop's active key: a cipher built before a key
    rotation would otherwise write rows under a key that is about to be removed."""
    active = conn.execute(select(Setting.value).where(Setting.key == DATA_KEY_SETTING)).scalar()
    if active != cipher.active_key_id:
        raise Conflict("the data key was rotated since this was opened; open it again",
                       field="data_key")


def _upserted_payload(cipher: FieldCipher, c: Customer) -> dict[str, Any]:
    """What central hears: ciphertexts and non-personal fields only. The name is personal
    too, so it travels encrypted (its clear copy stays on the terminal for search)."""
    return {
        "id": c.id, "name_enc": cipher.encrypt(c.name, record_id=c.id, field="name"),
        "phone_enc": c.phone_enc, "phone_index": c.phone_index, "email_enc": c.email_enc,
        "address_enc": c.address_enc, "key_id": c.key_id,
        "consent_marketing": bool(c.consent_marketing), "credit_limit": int(c.credit_limit),
        "created_at": c.created_at, "updated_at": c.updated_at,
    }


def _write_values(c: Customer) -> dict[str, Any]:
    return {"name": c.name, "phone_enc": c.phone_enc, "phone_index": c.phone_index,
            "email_enc": c.email_enc, "address_enc": c.address_enc, "key_id": c.key_id,
            "consent_marketing": bool(c.consent_marketing), "credit_limit": c.credit_limit,
            "updated_at": c.updated_at}


# --- use cases ---------------------------------------------------------------------------

def create_customer(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, *, name: str,
                    phone: str | None = None, email: str | None = None,
                    address: str | None = None, consent_marketing: bool = False,
                    credit_limit: int = 0, consent_source: str = "till") -> CustomerView:
    """``consent_source`` names where a consent given at creation came from (consent log)."""
    conn = uow.conn
    clean_name = _name(name)
    clean_phone = _optional(phone, normalise_phone)
    clean_email = _optional(email, normalise_email)
    clean_address = _address(address or "")
    limit = _limit(credit_limit)
    # Credit is money leaving the shop on trust: not a cashier's decision alone.
    authorize(uow, actor, "supervisor" if limit else "cashier",
              "giving a customer a kasbon limit" if limit else "adding a customer")
    _require_active_key(conn, cipher)
    index = None if clean_phone is None else cipher.blind_index(clean_phone)
    if index is not None and _phone_taken(conn, index, None):
        raise Conflict("another customer has this phone number", field="phone")

    customer_id = uuid7()
    stamp = now_iso()
    c = Customer(
        id=customer_id, name=clean_name,
        phone_enc=_enc(cipher, clean_phone, customer_id, "phone"), phone_index=index,
        email_enc=_enc(cipher, clean_email, customer_id, "email"),
        address_enc=_enc(cipher, clean_address, customer_id, "address"),
        key_id=cipher.active_key_id, consent_marketing=bool(consent_marketing),
        credit_limit=limit, created_at=stamp, updated_at=stamp, erased_at=None)
    conn.execute(insert(Customer).values(id=c.id, created_at=c.created_at, erased_at=None,
                                         **_write_values(c)))
    if limit:
        append_audit(conn, "customer.credit_limit", entity="customer", entity_id=customer_id,
                     actor_id=actor.id, details={"from": 0, "to": limit}, created_at=stamp)
    append_outbox(conn, "customer.upserted", _upserted_payload(cipher, c),
                  aggregate_id=customer_id, created_at=stamp)
    if consent_marketing:
        write_consent(conn, customer_id, True, source=consent_source, actor=actor.id, at=stamp)
    uow.commit()
    return CustomerView(customer_id, clean_name, clean_phone, clean_email, clean_address,
                        bool(consent_marketing), limit, stamp, stamp, None)


def update_customer(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, customer_id: str, *,
                    name: str | Literal[_Keep.KEEP] = KEEP,
                    phone: str | None | Literal[_Keep.KEEP] = KEEP,
                    email: str | None | Literal[_Keep.KEEP] = KEEP,
                    address: str | None | Literal[_Keep.KEEP] = KEEP,
                    consent_marketing: bool | Literal[_Keep.KEEP] = KEEP,
                    credit_limit: int | Literal[_Keep.KEEP] = KEEP,
                    consent_source: str = "till") -> CustomerView:
    """Change the given fields (``KEEP`` leaves one alone, ``None`` clears it). Every
    personal field is re-encrypted under the active key, so an edited row never mixes keys.
    A change of consent is logged with ``consent_source`` (services.consents)."""
    conn = uow.conn
    c = _load(conn, customer_id)
    if c.erased_at is not None:
        raise Conflict("this customer's data was erased", field="customer")
    current = _view(cipher, c)
    new_name = current.name if name is KEEP else _name(name)
    new_phone = current.phone if phone is KEEP else _optional(phone, normalise_phone)
    new_email = current.email if email is KEEP else _optional(email, normalise_email)
    new_address = current.address if address is KEEP else _address(address or "")
    new_consent = current.consent_marketing if consent_marketing is KEEP else bool(
        consent_marketing)
    new_limit = current.credit_limit if credit_limit is KEEP else _limit(credit_limit)
    raised = new_limit != current.credit_limit and new_limit
    authorize(uow, actor, "supervisor" if raised else "cashier",
              "changing a customer's kasbon limit" if raised else "changing a customer")
    _require_active_key(conn, cipher)
    index = None if new_phone is None else cipher.blind_index(new_phone)
    if index is not None and _phone_taken(conn, index, customer_id):
        raise Conflict("another customer has this phone number", field="phone")

    stamp = now_iso()
    c.name = new_name
    c.phone_enc = _enc(cipher, new_phone, customer_id, "phone")
    c.phone_index = index
    c.email_enc = _enc(cipher, new_email, customer_id, "email")
    c.address_enc = _enc(cipher, new_address, customer_id, "address")
    c.key_id = cipher.active_key_id
    c.consent_marketing = new_consent
    c.credit_limit = new_limit
    c.updated_at = stamp
    conn.execute(update(Customer).where(Customer.id == customer_id).values(**_write_values(c)))
    if new_limit != current.credit_limit:
        append_audit(conn, "customer.credit_limit", entity="customer", entity_id=customer_id,
                     actor_id=actor.id, details={"from": current.credit_limit, "to": new_limit},
                     created_at=stamp)
    append_outbox(conn, "customer.upserted", _upserted_payload(cipher, c),
                  aggregate_id=customer_id, created_at=stamp)
    if new_consent != current.consent_marketing:
        write_consent(conn, customer_id, new_consent, source=consent_source, actor=actor.id,
                      at=stamp)
    uow.commit()
    return CustomerView(customer_id, new_name, new_phone, new_email, new_address, new_consent,
                        new_limit, c.created_at, stamp, None)


def get_customer(uow: UnitOfWork, cipher: FieldCipher, customer_id: str) -> CustomerView:
    return _view(cipher, _load(uow.conn, customer_id))


def find_by_phone(uow: UnitOfWork, cipher: FieldCipher, phone: str) -> CustomerView | None:
    """The customer with this phone number, found through the blind index (no decrypt-scan)."""
    index = cipher.blind_index(normalise_phone(phone))
    _require_active_key(uow.conn, cipher)  # a stale index key would silently find nobody
    row = uow.conn.execute(select(Customer.__table__).where(
        Customer.phone_index == index, Customer.erased_at.is_(None)).limit(1)).first()
    return None if row is None else _view(cipher, Customer(**row._mapping))


def search_customers(uow: UnitOfWork, text: str, *, limit: int = 20) -> tuple[
        CustomerSummary, ...]:
    """Customers whose name contains ``text`` (case-insensitive); nothing is decrypted."""
    words = (text or "").split()
    if not words:
        raise BadInput("type part of a name to search", field="name")
    q = select(Customer.id, Customer.name, Customer.phone_index, Customer.credit_limit).where(
        Customer.erased_at.is_(None))
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = q.where(Customer.name.ilike(f"%{escaped}%", escape="\\"))
    rows = uow.conn.execute(q.order_by(func.lower(Customer.name), Customer.id)
                            .limit(max(1, min(limit, 200))))
    return tuple(CustomerSummary(str(r[0]), str(r[1]), r[2] is not None, int(r[3]))
                 for r in rows)


def erase_customer(uow: UnitOfWork, actor: Actor, customer_id: str, *,
                   allow_outstanding_kasbon: bool = False) -> Erasure:
    """Anonymise a customer (UU PDP / GDPR erasure). Sales and kasbon entries keep only the
    customer's id, so every total stays intact; the erasure is audited and sent to central.
    What else it clears, and the tombstone it leaves: services.personal_data_erasure."""
    authorize(uow, actor, "owner", "erasing a customer's personal data")
    conn = uow.conn
    c = _load(conn, customer_id)
    if c.erased_at is not None:
        raise Conflict("this customer's data was already erased", field="customer")
    owed = kasbon_balance(conn, customer_id)
    if owed and not allow_outstanding_kasbon:
        # After erasure nobody could tell whom to ask for the money: the owner decides.
        raise Conflict(f"this customer still owes {format_rupiah(owed)} kasbon; settle it "
                       "first or erase anyway on purpose", field="customer")
    stamp = now_iso()
    # Defence in depth: the row is blanked with secure_delete on, so the clear name cannot
    # linger in a page's free space after the next checkpoint.
    anonymise_row(conn, customer_id, stamp)
    if c.consent_marketing:
        write_consent(conn, customer_id, False, source="erasure", actor=actor.id, at=stamp)
    # Messages, device tokens, points free text, old outbox copies; and the tombstone.
    cleared = forget_everywhere(conn, customer_id, erased_at=stamp, origin="local")
    append_audit(conn, "customer.erase", entity="customer", entity_id=customer_id,
                 actor_id=actor.id, details={"kasbon_outstanding": owed, **cleared},
                 created_at=stamp)
    append_outbox(conn, "customer.erased", {"id": customer_id, "erased_at": stamp},
                  aggregate_id=customer_id, created_at=stamp)
    uow.commit()
    return Erasure(customer_id, stamp)


def key_ids_in_use(conn: Connection) -> frozenset[str]:
    """Key ids some row is still encrypted under (those keys must be kept): customers, and
    the recipients of shipments and messages. A rotation re-encrypts the customers only;
    parcels and messages are short-lived records that keep their key until they are gone,
    so an old key stays in the keyring while any of them needs it."""
    found: set[str] = set()
    for column in (Customer.key_id, Shipment.key_id, Message.key_id):
        found.update(str(r[0]) for r in conn.execute(
            select(column).where(column.is_not(None)).distinct()))
    return frozenset(found)


def rotate_keys(uow: UnitOfWork, actor: Actor, cipher: FieldCipher) -> Rotation:
    """Re-encrypt every customer's personal fields (and recompute the phone index) under
    ``cipher.active_key_id`` in this one transaction, then make that key the active one.

    ``cipher`` must hold the new key as active plus every key the rows are under now; the
    caller keeps the old keys until this has committed.
    """
    authorize(uow, actor, "owner", "rotating the data key")
    conn = uow.conn
    new_id = cipher.active_key_id
    previous = tuple(sorted(key_ids_in_use(conn) - {new_id}))
    rows = conn.execute(select(Customer.__table__).where(Customer.erased_at.is_(None))
                        .order_by(Customer.id)).all()
    stamp = now_iso()
    count = 0
    for row in rows:
        c = Customer(**row._mapping)
        plain = _view(cipher, c)  # decrypt under whatever key the row is under now
        c.phone_enc = _enc(cipher, plain.phone, c.id, "phone")
        c.phone_index = None if plain.phone is None else cipher.blind_index(plain.phone)
        c.email_enc = _enc(cipher, plain.email, c.id, "email")
        c.address_enc = _enc(cipher, plain.address, c.id, "address")
        c.key_id = new_id
        c.updated_at = stamp
        conn.execute(update(Customer).where(Customer.id == c.id).values(**_write_values(c)))
        # Central must get the new ciphertexts before the old key may disappear.
        append_outbox(conn, "customer.upserted", _upserted_payload(cipher, c),
                      aggregate_id=c.id, created_at=stamp)
        count += 1
    write_settings(conn, {DATA_KEY_SETTING: new_id})
    append_audit(conn, "keys.rotate", entity="data_key", entity_id=new_id, actor_id=actor.id,
                 details={"previous": list(previous), "customers": count}, created_at=stamp)
    uow.commit()
    return Rotation(new_id, previous, count)

"""A customer's right of access (UU PDP art. 32: access and a copy within 3×24 hours): every
piece of data the till holds about one person, decrypted, as one value the CLI writes as
JSON and ``app.personal_data_pdf`` renders as a readable PDF.

What is in it: the profile (phone, email, address decrypted), their sales (receipt
number, time, totals, lines, payments, refunds), kasbon entries and balance, the points
ledger and tier (``loyalty_*`` tables with a ``customer_id`` column, whatever the loyalty
module keeps there; empty when the programme is not installed), the messages sent to them
(purpose, channel, status, times, and the address, decrypted: it is theirs), their
registered devices, and the consent flag with its history (``services.consents``).

Owner or supervisor only (a cashier cannot take a copy of someone's data home), and every
export is recorded in the audit chain with counts only (nothing personal in the record).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, select, text

from local_db.ids import now_iso
from local_db.models import (
    Customer,
    DeviceToken,
    KasbonEntry,
    Message,
    Payment,
    Refund,
    Sale,
    SaleLine,
    User,
)
from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.consents import ConsentChange, consent_history
from services.crypto import CryptoError, FieldCipher
from services.customers import CustomerView, get_customer
from services.device_tokens import shown
from services.errors import BadInput, NotFound
from services.kasbon_query import kasbon_balance
from services.store_settings import read_store_settings
from services.users import Actor, authorize

FORMATS = ("json", "pdf")
#: Tables of the points programme are found by this prefix (migration 0005 and later).
POINTS_TABLE_PREFIX = "loyalty"
UNREADABLE = "(tidak dapat dibuka)"


@dataclass(frozen=True, slots=True)
class LineRecord:
    sku: str
    name: str
    qty_milli: int
    unit: str
    unit_price: int
    discount: int
    net: int
    tax: int
    gross: int


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    method: str
    amount: int
    status: str


@dataclass(frozen=True, slots=True)
class RefundRecord:
    refund_no: str
    created_at: str
    method: str
    gross: int


@dataclass(frozen=True, slots=True)
class SaleRecord:
    id: str
    receipt_no: str
    created_at: str
    subtotal: int
    discount_total: int
    tax_total: int
    total: int
    rounding: int
    payable: int
    lines: tuple[LineRecord, ...]
    payments: tuple[PaymentRecord, ...]
    refunds: tuple[RefundRecord, ...]


@dataclass(frozen=True, slots=True)
class KasbonRecord:
    created_at: str
    kind: str
    amount: int
    method: str | None


@dataclass(frozen=True, slots=True)
class MessageRecord:
    id: str
    created_at: str
    sent_at: str | None
    channel: str
    purpose: str
    template: str
    status: str
    address: str | None  # decrypted; None once erased


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    platform: str
    token: str  # shortened, as the screens show it
    active: bool
    created_at: str
    last_seen_at: str


@dataclass(frozen=True, slots=True)
class PointsTable:
    """Rows of one table of the points programme, as stored (column -> value)."""

    table: str
    rows: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class CustomerDataExport:
    generated_at: str
    generated_by: str
    store_name: str
    zone: str
    customer: CustomerView
    sales: tuple[SaleRecord, ...]
    kasbon: tuple[KasbonRecord, ...]
    kasbon_balance: int
    points_balance: int | None
    points: tuple[PointsTable, ...]
    messages: tuple[MessageRecord, ...]
    devices: tuple[DeviceRecord, ...]
    consents: tuple[ConsentChange, ...]
    #: user id -> name, for the people named in ``consents`` (the PDF shows names)
    actor_names: tuple[tuple[str, str], ...] = ()

    @property
    def sales_total(self) -> int:
        return sum(s.payable for s in self.sales)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["points"] = [{"table": p.table, "rows": [dict(r) for r in p.rows]}
                         for p in self.points]
        out["sales_total"] = self.sales_total
        return out


def _rows(conn: Connection, table: Any, where: Any, *order: Any) -> list[Any]:
    """Rows of a table as attribute-style records (a Core connection hands back tuples)."""
    t = table.__table__
    return list(conn.execute(select(t).where(where).order_by(*order)))


def _sales(conn: Connection, customer_id: str) -> tuple[SaleRecord, ...]:
    sales = _rows(conn, Sale, Sale.customer_id == customer_id, Sale.created_at, Sale.seq)
    if not sales:
        return ()
    ids = [s.id for s in sales]
    lines: dict[str, list[LineRecord]] = {}
    for ln in _rows(conn, SaleLine, SaleLine.sale_id.in_(ids), SaleLine.sale_id,
                    SaleLine.line_no):
        lines.setdefault(ln.sale_id, []).append(LineRecord(
            ln.sku, ln.name, int(ln.qty_milli), ln.unit, int(ln.unit_price),
            int(ln.line_discount) + int(ln.order_discount), int(ln.net), int(ln.tax),
            int(ln.gross)))
    pays: dict[str, list[PaymentRecord]] = {}
    for p in _rows(conn, Payment, Payment.sale_id.in_(ids), Payment.sale_id, Payment.id):
        pays.setdefault(p.sale_id, []).append(PaymentRecord(p.method, int(p.amount), p.status))
    refunds: dict[str, list[RefundRecord]] = {}
    for r in _rows(conn, Refund, Refund.sale_id.in_(ids), Refund.created_at, Refund.seq):
        refunds.setdefault(r.sale_id, []).append(RefundRecord(r.refund_no, r.created_at,
                                                              r.method, int(r.gross)))
    return tuple(SaleRecord(s.id, s.receipt_no, s.created_at, int(s.subtotal),
                            int(s.discount_total), int(s.tax_total), int(s.total),
                            int(s.rounding), int(s.payable), tuple(lines.get(s.id, ())),
                            tuple(pays.get(s.id, ())), tuple(refunds.get(s.id, ())))
                 for s in sales)


def _kasbon(conn: Connection, customer_id: str) -> tuple[KasbonRecord, ...]:
    rows = _rows(conn, KasbonEntry, KasbonEntry.customer_id == customer_id,
                 KasbonEntry.created_at, KasbonEntry.id)
    return tuple(KasbonRecord(k.created_at, k.kind, int(k.amount), k.method) for k in rows)


def _address(cipher: FieldCipher, m: Any) -> str | None:
    if not m.recipient_enc:
        return None  # erased
    try:
        return cipher.decrypt(m.recipient_enc, record_id=m.id, field="recipient")
    except CryptoError:
        return UNREADABLE  # a key removed after rotation: say so rather than fail the copy


def _messages(conn: Connection, cipher: FieldCipher, customer_id: str
              ) -> tuple[MessageRecord, ...]:
    rows = _rows(conn, Message, Message.customer_id == customer_id, Message.created_at,
                 Message.id)
    return tuple(MessageRecord(m.id, m.created_at, m.sent_at, m.channel, m.purpose,
                               m.template, m.status, _address(cipher, m)) for m in rows)


def _devices(conn: Connection, customer_id: str) -> tuple[DeviceRecord, ...]:
    rows = _rows(conn, DeviceToken, (DeviceToken.owner_type == "customer")
                 & (DeviceToken.owner_id == customer_id), DeviceToken.created_at)
    return tuple(DeviceRecord(d.platform, shown(d.token), bool(d.active), d.created_at,
                              d.last_seen_at) for d in rows)


def points_tables(conn: Connection) -> list[str]:
    """Tables of the points programme that name a customer (none before migration 0005)."""
    names = [str(r[0]) for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE :p ORDER BY name"),
        {"p": f"{POINTS_TABLE_PREFIX}%"})]
    found = []
    for name in names:
        cols = {str(r[1]) for r in conn.exec_driver_sql(f'PRAGMA table_info("{name}")')}
        if "customer_id" in cols:
            found.append(name)
    return found


def _points(conn: Connection, customer_id: str) -> tuple[tuple[PointsTable, ...], int | None]:
    tables = []
    balance: int | None = None
    for name in points_tables(conn):
        cols = [str(r[1]) for r in conn.exec_driver_sql(f'PRAGMA table_info("{name}")')]
        order = "created_at, " if "created_at" in cols else ""
        rows = conn.execute(text(f'SELECT * FROM "{name}" WHERE customer_id = :c '
                                 f"ORDER BY {order}rowid"), {"c": customer_id}).mappings()
        tables.append(PointsTable(name, tuple(dict(r) for r in rows)))
        if "points" in cols and name.endswith("entry"):
            balance = int(conn.execute(text(
                f'SELECT COALESCE(SUM(points), 0) FROM "{name}" WHERE customer_id = :c'),
                {"c": customer_id}).scalar() or 0)
    return tuple(tables), balance


def collect(conn: Connection, cipher: FieldCipher, customer: CustomerView, *,
            generated_by: str) -> CustomerDataExport:
    """Everything about one customer (read-only; no rights checked: see export_customer)."""
    store = read_store_settings(conn)
    zone = str(conn.execute(text("SELECT value FROM setting WHERE key = 'timezone'")).scalar()
               or "Asia/Jakarta")
    points, balance = _points(conn, customer.id)
    consents = consent_history(conn, customer.id)
    names = _names(conn, consents)
    return CustomerDataExport(
        generated_at=now_iso(), generated_by=generated_by, store_name=store.store_name,
        zone=zone, customer=customer, sales=_sales(conn, customer.id),
        kasbon=_kasbon(conn, customer.id), kasbon_balance=kasbon_balance(conn, customer.id),
        points_balance=balance, points=points, messages=_messages(conn, cipher, customer.id),
        devices=_devices(conn, customer.id), consents=consents, actor_names=names)


def export_customer(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, customer_id: str, *,
                    fmt: str = "json") -> CustomerDataExport:
    """A copy of everything the till holds about the customer, audited (commits)."""
    if fmt not in FORMATS:
        raise BadInput(f"format is one of {', '.join(FORMATS)}", field="format")
    who = authorize(uow, actor, "supervisor", "exporting a customer's personal data")
    customer = get_customer(uow, cipher, customer_id)
    data = collect(uow.conn, cipher, customer, generated_by=who.name)
    append_audit(uow.conn, "customer.export", entity="customer", entity_id=customer_id,
                 actor_id=who.id, details={
                     "format": fmt, "sales": len(data.sales), "messages": len(data.messages),
                     "kasbon": len(data.kasbon), "consents": len(data.consents),
                     "points_rows": sum(len(p.rows) for p in data.points)},
                 created_at=data.generated_at)
    uow.commit()
    return data


@dataclass(frozen=True, slots=True)
class ConsentLog:
    """A customer's consent history with the names of the people who recorded it."""

    customer_id: str
    consent_marketing: bool
    changes: tuple[ConsentChange, ...]
    actor_names: tuple[tuple[str, str], ...]

    def who(self, change: ConsentChange) -> str:
        """The user's name (or their id, if unknown here); ``customer`` for the person."""
        return dict(self.actor_names).get(change.actor, change.actor)


def _names(conn: Connection, changes: tuple[ConsentChange, ...]) -> tuple[tuple[str, str], ...]:
    ids = sorted({ch.actor for ch in changes if ch.actor != "customer"})
    if not ids:
        return ()
    return tuple((str(r[0]), str(r[1])) for r in conn.execute(
        select(User.id, User.name).where(User.id.in_(ids)).order_by(User.id)))


def customer_consents(uow: UnitOfWork, actor: Actor, customer_id: str) -> ConsentLog:
    """The consent history (back office "data requests"): supervisor or owner."""
    authorize(uow, actor, "supervisor", "reading a customer's consent history")
    flag = uow.conn.execute(select(Customer.consent_marketing).where(
        Customer.id == customer_id)).scalar()
    if flag is None:
        raise NotFound(f"no customer {customer_id}", field="customer")
    changes = consent_history(uow.conn, customer_id)
    return ConsentLog(customer_id, bool(flag), changes, _names(uow.conn, changes))


__all__ = ["ConsentLog", "CustomerDataExport", "DeviceRecord", "FORMATS", "KasbonRecord", "LineRecord",
           "MessageRecord", "PaymentRecord", "PointsTable", "RefundRecord", "SaleRecord",
           "collect", "customer_consents", "export_customer", "points_tables"]

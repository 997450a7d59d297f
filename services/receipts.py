"""Receipts: a committed sale (or refund) read back into one frozen value to print or save.

The receipt is built from what the sale's transaction stored (sale, lines, payments, kasbon
entry), never recomputed from today's prices or tax rates, so a reprint years later shows
what the customer paid. The store's header comes from the ``setting`` table (the back
office writes it; missing keys get a sensible default):

``store_name`` (the shop's name), ``store.address``, ``store.npwp``, ``receipt.header``,
``receipt.footer`` (multi-line text), ``timezone`` (default Asia/Jakarta) and ``language``
(the receipt's words, ``id`` or ``en``).

PPN is shown as the stored tax of each line. Whether it was *included* in the price or
*added* on top is read from the stored amounts themselves (an added tax makes the line's
gross larger than its discounted price), so a tax class changed later does not change an
old receipt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from sqlalchemy import Connection, func, literal_column, select

from local_db.models import (
    Customer,
    JournalEntry,
    JournalLine,
    KasbonEntry,
    Payment,
    PromoCode,
    PromoRedemption,
    ProviderJob,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    User,
)
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.catalogue import WEIGHED_UNITS
from services.errors import BadInput, NotFound
from services.money import line_amount
from services.shop import ShopConfig
from services.tender import CASH, KASBON

DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_FOOTER = "Terima kasih atas kunjungan Anda"

# Indonesia keeps no daylight saving time: its three zones are fixed offsets. Used for the
# zone's short name on the receipt, and as the clock when the OS has no tz database.
_INDONESIAN_ZONES = {
    "Asia/Jakarta": ("WIB", 7), "Asia/Pontianak": ("WIB", 7),
    "Asia/Makassar": ("WITA", 8), "Asia/Jayapura": ("WIT", 9),
}


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    line_no: int
    sku: str
    name: str
    qty_milli: int
    unit: str
    weighed: bool  # sold by kg/liter/...: the quantity is printed with its unit
    unit_price: int
    line_discount: int  # this line's own discount
    line_total: int  # unit price x quantity less the line's own discount
    tax: int


@dataclass(frozen=True, slots=True)
class Tender:
    method: str  # cash | kasbon | edc | qris | ...
    amount: int  # what it paid of the sale (cash: net of change)
    tendered: int  # what was handed over (cash), else the amount
    change: int


@dataclass(frozen=True, slots=True)
class ReceiptShipment:
    """A parcel of the sale as its receipt shows it: the courier and service, the airway
    bill once the courier gave one, and how it ended (delivered / returned) on a reprint."""

    courier_company: str  # jne, jnt, pos, sicepat...
    service_code: str
    waybill_id: str | None
    status: str  # services.courier_port.STATUSES


@dataclass(frozen=True, slots=True)
class Receipt:
    kind: str  # "sale" | "refund"
    number: str  # the receipt number (a sale) or the refund number
    store_name: str
    store_address: str
    npwp: str
    header: tuple[str, ...]
    footer: tuple[str, ...]
    issued_at: datetime  # local time of the store
    zone: str  # WIB, WITA, WIT or the zone's name
    cashier: str
    lines: tuple[ReceiptLine, ...]
    subtotal: int  # sum of unit price x quantity, before any discount
    line_discounts: int
    order_discount: int
    tax: int  # PPN of the sale
    tax_added: int  # the part of ``tax`` added on top of prices (exclusive classes)
    total: int  # before cash rounding
    rounding: int
    payable: int  # total + rounding: what the customer paid
    tenders: tuple[Tender, ...]
    change: int
    customer: str | None
    kasbon: int  # put on (sale) or taken off (refund) the customer's kasbon
    copy: bool  # a reprint: marked COPY/SALINAN
    language: str = "id"
    refund_of: str | None = None  # a refund: the sale's receipt number
    reason: str = ""  # a refund's reason
    approved_by: str | None = None  # a refund's approving supervisor
    #: The sale's parcels (not the cancelled or failed ones), read at each (re)print.
    shipments: tuple[ReceiptShipment, ...] = ()
    #: The promo code the sale used (its discount is the order discount), if any.
    promo_code: str | None = None

    @property
    def tax_included(self) -> int:
        """The PPN already inside the prices."""
        return self.tax - self.tax_added

    @property
    def discount_total(self) -> int:
        return self.line_discounts + self.order_discount

    @property
    def took_cash(self) -> bool:
        """Cash changed hands (the drawer opens for it)."""
        return any(t.method == CASH and (t.tendered or t.amount) for t in self.tenders)


def _zone(name: str) -> tuple[tzinfo, str]:
    short, hours = _INDONESIAN_ZONES.get(name, (name, 0))
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(name), short
    except (ImportError, ValueError, KeyError, OSError):
        if name in _INDONESIAN_ZONES:
            return timezone(timedelta(hours=hours), short), short
        tz, label = _zone(DEFAULT_TIMEZONE)
        return tz, label


def local_time(stamp: str, zone_name: str) -> tuple[datetime, str]:
    """A stored ISO-8601 UTC stamp as the store's wall clock, with the zone's short name."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    tz, label = _zone(zone_name or DEFAULT_TIMEZONE)
    return moment.astimezone(tz), label


def _lines_of(text: str | None) -> tuple[str, ...]:
    return tuple(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")
                 if line.strip())


@dataclass(frozen=True, slots=True)
class _Store:
    name: str
    address: str
    npwp: str
    header: tuple[str, ...]
    footer: tuple[str, ...]
    zone: str
    language: str


def _store(config: ShopConfig, s: Mapping[str, str]) -> _Store:
    footer = _lines_of(s.get("receipt.footer"))
    return _Store(
        name=s.get("store_name") or config.store_name,
        address=(s.get("store.address") or s.get("store_address") or "").strip(),
        npwp=(s.get("store.npwp") or "").strip(),
        header=_lines_of(s.get("receipt.header")),
        footer=footer if "receipt.footer" in s else (DEFAULT_FOOTER,),
        zone=s.get("timezone") or DEFAULT_TIMEZONE,
        language=s.get("language", "id") if s.get("language") in ("id", "en") else "id")


def _user_name(conn: Connection, user_id: str) -> str:
    name = conn.execute(select(User.name).where(User.id == user_id)).scalar()
    return str(name) if name is not None else "?"


def _customer_name(conn: Connection, customer_id: str | None) -> str | None:
    if customer_id is None:
        return None
    name = conn.execute(select(Customer.name).where(Customer.id == customer_id)).scalar()
    return str(name) if name is not None else None


def _clean_number(number: str, field: str = "receipt_no") -> str:
    number = (number or "").strip()
    if not number:
        raise BadInput("a receipt number is needed", field=field)
    if len(number) > 40:
        raise BadInput("is not a receipt number (too long)", field=field)
    return number


def receipt_for(uow: UnitOfWork, config: ShopConfig, receipt_no: str, *,
                copy: bool = False) -> Receipt:
    """The receipt of the committed sale ``receipt_no``; ``copy`` marks a reprint."""
    conn = uow.conn
    receipt_no = _clean_number(receipt_no)
    session = uow.session  # ORM rows stay inside this use case; a frozen value leaves it
    s = session.scalars(select(Sale).where(Sale.receipt_no == receipt_no)).first()
    if s is None:
        raise NotFound(f"no sale with receipt number {receipt_no}", field="receipt_no")
    store = _store(config, read_settings(conn))
    rows = session.scalars(select(SaleLine).where(SaleLine.sale_id == s.id)
                           .order_by(SaleLine.line_no)).all()
    lines: list[ReceiptLine] = []
    line_discounts = order_discount = tax_added = 0
    for r in rows:
        base = line_amount(r.unit_price, r.qty_milli)
        after = base - r.line_discount - r.order_discount
        line_discounts += r.line_discount
        order_discount += r.order_discount
        tax_added += r.gross - after  # zero when the tax is inside the price
        lines.append(ReceiptLine(
            line_no=r.line_no, sku=r.sku, name=r.name, qty_milli=r.qty_milli, unit=r.unit,
            weighed=r.unit in WEIGHED_UNITS, unit_price=r.unit_price,
            line_discount=r.line_discount, line_total=base - r.line_discount, tax=r.tax))
    # Payments were inserted in the order they were tendered (one statement): rowid order.
    pays = conn.execute(select(Payment.method, Payment.amount, Payment.tendered,
                               Payment.change).where(Payment.sale_id == s.id)
                        .order_by(literal_column("payment.rowid"))).all()
    tenders = tuple(Tender(str(m), int(a), int(t), int(c)) for m, a, t, c in pays)
    kasbon = sum(t.amount for t in tenders if t.method == KASBON)
    when, zone = local_time(s.created_at, store.zone)
    # services.shipping re-exports it; its query module alone is light (no phonenumbers).
    from services.shipping_query import shipments_of_sale
    parcels = tuple(ReceiptShipment(p.courier_company, p.service_code, p.waybill_id, p.status)
                    for p in shipments_of_sale(conn, s.id)
                    if p.status not in ("cancelled", "failed"))
    return Receipt(
        kind="sale", number=s.receipt_no, store_name=store.name,
        store_address=store.address, npwp=store.npwp, header=store.header,
        footer=store.footer, issued_at=when, zone=zone,
        cashier=_user_name(conn, s.cashier_id), lines=tuple(lines), subtotal=s.subtotal,
        line_discounts=line_discounts, order_discount=order_discount, tax=s.tax_total,
        tax_added=tax_added, total=s.total, rounding=s.rounding, payable=s.payable,
        tenders=tenders, change=s.change, customer=_customer_name(conn, s.customer_id),
        kasbon=kasbon, copy=copy, language=store.language, shipments=parcels,
        promo_code=conn.execute(select(PromoCode.code).join(
            PromoRedemption, PromoRedemption.promo_code_id == PromoCode.id)
            .where(PromoRedemption.sale_id == s.id)).scalar())


def refund_receipt_for(uow: UnitOfWork, config: ShopConfig, refund_no: str, *,
                       copy: bool = False) -> Receipt:
    """The receipt of the committed refund ``refund_no``: what came back and how the money
    went back (cash out of the drawer, off the kasbon, through the payment provider)."""
    conn = uow.conn
    refund_no = _clean_number(refund_no, "refund_no")
    session = uow.session
    row = session.execute(select(Refund, Sale.receipt_no, Sale.customer_id)
                          .join(Sale, Sale.id == Refund.sale_id)
                          .where(Refund.refund_no == refund_no)).first()
    if row is None:
        raise NotFound(f"no refund with number {refund_no}", field="refund_no")
    f, sale_no, customer_id = row[0], str(row[1]), row[2]
    store = _store(config, read_settings(conn))
    items = session.execute(select(SaleLine, RefundLine.qty_milli, RefundLine.gross,
                                   RefundLine.tax)
                            .join(RefundLine, RefundLine.sale_line_id == SaleLine.id)
                            .where(RefundLine.refund_id == f.id)
                            .order_by(SaleLine.line_no)).all()
    lines = tuple(ReceiptLine(
        line_no=sl.line_no, sku=sl.sku, name=sl.name, qty_milli=int(q), unit=sl.unit,
        weighed=sl.unit in WEIGHED_UNITS, unit_price=sl.unit_price, line_discount=0,
        line_total=int(gross), tax=int(tax))
        for sl, q, gross, tax in items)
    to_kasbon = -int(conn.execute(
        select(func.coalesce(func.sum(KasbonEntry.amount), 0))
        .where(KasbonEntry.ref_id == f.id, KasbonEntry.kind == "refund")).scalar() or 0)
    provider = conn.execute(select(ProviderJob.payload).where(
        ProviderJob.ref_id == f.id, ProviderJob.kind == "refund")).scalars().all()
    to_provider = sum(int(json.loads(p)["amount"]) for p in provider)
    cash_paid = int(conn.execute(
        select(func.coalesce(func.sum(JournalLine.credit), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.kind == "refund", JournalEntry.ref_id == f.id,
               JournalLine.account_code == acc.CASH_DRAWER)).scalar() or 0)
    cash_due = f.gross - to_kasbon - to_provider
    tenders = tuple(t for t in (
        Tender(CASH, cash_paid, cash_paid, 0),
        Tender(KASBON, to_kasbon, to_kasbon, 0),
        Tender("midtrans", to_provider, to_provider, 0)) if t.amount)
    when, zone = local_time(f.created_at, store.zone)
    return Receipt(
        kind="refund", number=f.refund_no, store_name=store.name,
        store_address=store.address, npwp=store.npwp, header=store.header,
        footer=store.footer, issued_at=when, zone=zone, cashier=_user_name(conn, f.user_id),
        lines=lines, subtotal=f.gross, line_discounts=0, order_discount=0, tax=f.tax,
        tax_added=0, total=f.gross, rounding=cash_paid - cash_due, payable=f.gross +
        (cash_paid - cash_due), tenders=tenders, change=0,
        customer=_customer_name(conn, customer_id), kasbon=to_kasbon, copy=copy,
        language=store.language, refund_of=sale_no, reason=f.reason,
        approved_by=_user_name(conn, f.approved_by))


def last_receipt_no(uow: UnitOfWork, config: ShopConfig) -> str | None:
    """The receipt number of this terminal's latest sale (for "reprint the last receipt")."""
    no = uow.conn.execute(select(Sale.receipt_no)
                          .where(Sale.terminal_id == config.terminal_id)
                          .order_by(Sale.seq.desc()).limit(1)).scalar()
    return str(no) if no is not None else None


__all__ = ["Receipt", "ReceiptLine", "ReceiptShipment", "Tender", "last_receipt_no", "local_time",
           "receipt_for", "refund_receipt_for"]

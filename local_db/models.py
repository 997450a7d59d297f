"""SQLAlchemy 2 typed models of the terminal's local database.

Conventions (ARCHITECTURE.md):
- rows that leave the terminal have a client-made UUIDv7 ``id`` (identity, never order);
- money is integer rupiah, quantities are integer thousandths (``*_milli``);
- wall-clock times are ISO-8601 UTC text: data, never order. Order comes from the
  terminal's gapless counters (``counter``) and from the audit/outbox sequences.
Append-only rules and the balanced-journal rule are enforced by triggers created in the
first migration, so that no code path (or hand edit through SQLAlchemy) can break them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


Money = BigInteger
Uuid = String(36)


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Counter(Base):
    """Gapless per-terminal sequences, incremented inside the business transaction."""

    __tablename__ = "counter"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class TaxClass(Base):
    __tablename__ = "tax_class"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    rate: Mapped[str] = mapped_column(String(16))  # Decimal as text, e.g. "0.12"
    base_numerator: Mapped[int] = mapped_column(Integer, default=1)
    base_denominator: Mapped[int] = mapped_column(Integer, default=1)
    inclusive: Mapped[bool] = mapped_column(Boolean, default=True)


class Category(Base):
    __tablename__ = "category"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Product(Base):
    __tablename__ = "product"
    # An integer key only for the FTS index (external content needs a stable rowid).
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Uuid, unique=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("category.id"))
    unit: Mapped[str] = mapped_column(String(12), default="pcs")
    price: Mapped[int] = mapped_column(Money)
    cost: Mapped[int] = mapped_column(Money, default=0)
    tax_class: Mapped[str] = mapped_column(ForeignKey("tax_class.code"))
    tracks_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    low_stock_milli: Mapped[int] = mapped_column(BigInteger, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("cost >= 0", name="cost_not_negative"),
    )


class Barcode(Base):
    __tablename__ = "barcode"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"),
                                            index=True)


class User(Base):
    __tablename__ = "user"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("role IN ('cashier','supervisor','owner')", name="known_role"),
    )


class Shift(Base):
    __tablename__ = "shift"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    terminal_id: Mapped[str] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(8))  # open | closed
    opened_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[str] = mapped_column(String(32))
    float_amount: Mapped[int] = mapped_column(Money)
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[str | None] = mapped_column(String(32))
    expected_cash: Mapped[int | None] = mapped_column(Money)
    counted_cash: Mapped[int | None] = mapped_column(Money)
    counted_detail: Mapped[str | None] = mapped_column(Text)  # JSON {denomination: count}
    z_report: Mapped[str | None] = mapped_column(Text)  # JSON, frozen at close
    __table_args__ = (
        # At most one open shift per terminal, enforced by the database.
        Index("one_open_shift", "terminal_id", unique=True,
              sqlite_where=text("status = 'open'")),
    )


class CashMovement(Base):
    __tablename__ = "cash_movement"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # cash_in | cash_out | no_sale
    amount: Mapped[int] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(200))
    account_code: Mapped[str | None] = mapped_column(ForeignKey("account.code"))
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32))


class Customer(Base):
    """Personal fields are AES-256-GCM ciphertext; ``phone_index`` is an HMAC blind index."""

    __tablename__ = "customer"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone_enc: Mapped[str | None] = mapped_column(Text)
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    email_enc: Mapped[str | None] = mapped_column(Text)
    address_enc: Mapped[str | None] = mapped_column(Text)
    key_id: Mapped[str | None] = mapped_column(String(32))
    consent_marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    credit_limit: Mapped[int] = mapped_column(Money, default=0)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    erased_at: Mapped[str | None] = mapped_column(String(32))


class Sale(Base):
    __tablename__ = "sale"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    terminal_id: Mapped[str] = mapped_column(Uuid)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift.id"), index=True)
    cashier_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customer.id"), index=True)
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    subtotal: Mapped[int] = mapped_column(Money)
    discount_total: Mapped[int] = mapped_column(Money)
    net_total: Mapped[int] = mapped_column(Money)
    tax_total: Mapped[int] = mapped_column(Money)
    total: Mapped[int] = mapped_column(Money)  # before cash rounding
    rounding: Mapped[int] = mapped_column(Money)
    payable: Mapped[int] = mapped_column(Money)  # total + rounding
    change: Mapped[int] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(12))  # completed


class SaleLine(Base):
    __tablename__ = "sale_line"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(12))
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    list_price: Mapped[int] = mapped_column(Money)
    unit_price: Mapped[int] = mapped_column(Money)
    line_discount: Mapped[int] = mapped_column(Money)
    order_discount: Mapped[int] = mapped_column(Money)
    gross: Mapped[int] = mapped_column(Money)
    net: Mapped[int] = mapped_column(Money)
    tax: Mapped[int] = mapped_column(Money)
    cost: Mapped[int] = mapped_column(Money)
    tax_class: Mapped[str] = mapped_column(String(16))
    __table_args__ = (UniqueConstraint("sale_id", "line_no"),)


class Payment(Base):
    __tablename__ = "payment"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Money)
    tendered: Mapped[int] = mapped_column(Money)
    change: Mapped[int] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(12))  # settled | pending | failed
    provider_ref: Mapped[str | None] = mapped_column(String(80))


class Refund(Base):
    __tablename__ = "refund"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    refund_no: Mapped[str] = mapped_column(String(40), unique=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    approved_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(16))  # cash | kasbon
    gross: Mapped[int] = mapped_column(Money)
    net: Mapped[int] = mapped_column(Money)
    tax: Mapped[int] = mapped_column(Money)
    cost: Mapped[int] = mapped_column(Money)
    created_at: Mapped[str] = mapped_column(String(32))


class RefundLine(Base):
    __tablename__ = "refund_line"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    refund_id: Mapped[str] = mapped_column(ForeignKey("refund.id"), index=True)
    sale_line_id: Mapped[str] = mapped_column(ForeignKey("sale_line.id"), index=True)
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(Money)
    net: Mapped[int] = mapped_column(Money)
    tax: Mapped[int] = mapped_column(Money)
    cost: Mapped[int] = mapped_column(Money)


class KasbonEntry(Base):
    """Store credit per customer: + when a sale goes on kasbon, - on repayment or refund."""

    __tablename__ = "kasbon_entry"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    amount: Mapped[int] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(12))  # sale | repayment | refund
    ref_id: Mapped[str] = mapped_column(Uuid)
    method: Mapped[str | None] = mapped_column(String(16))
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shift.id"))
    created_at: Mapped[str] = mapped_column(String(32))


class GoodsReceipt(Base):
    __tablename__ = "goods_receipt"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    supplier: Mapped[str] = mapped_column(String(120))
    document_no: Mapped[str | None] = mapped_column(String(60))
    total_cost: Mapped[int] = mapped_column(Money)
    paid_from: Mapped[str] = mapped_column(String(16))  # payable | cash | capital
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    #: The supplier's tax invoice (faktur pajak) number and its PPN, for a PKP shop's
    #: input tax; ``due_date`` when received on credit (the payable's due date).
    faktur_no: Mapped[str | None] = mapped_column(String(40))
    input_tax: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    due_date: Mapped[str | None] = mapped_column(String(10))


class StockMovement(Base):
    """Append-only stock ledger; levels are derived (``stock_level`` is a checked cache)."""

    __tablename__ = "stock_movement"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(12))  # sale|refund|receipt|adjust|waste|count
    ref_id: Mapped[str | None] = mapped_column(Uuid, index=True)
    unit_cost: Mapped[int] = mapped_column(Money)
    reason: Mapped[str | None] = mapped_column(String(200))
    supplier: Mapped[str | None] = mapped_column(String(120))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32))


class StockLevel(Base):
    __tablename__ = "stock_level"
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), primary_key=True)
    qty_milli: Mapped[int] = mapped_column(BigInteger, default=0)


class Account(Base):
    __tablename__ = "account"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(12))  # asset|liability|equity|revenue|expense


class JournalEntry(Base):
    """A balanced journal entry. Its lines are inserted first; inserting the entry row checks
    the balance in a trigger, so an unbalanced entry cannot be committed."""

    __tablename__ = "journal_entry"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[str | None] = mapped_column(Uuid, index=True)
    memo: Mapped[str] = mapped_column(String(200))
    # Indexed for the statements (a month's P&L, balances as of a day: issue 14).
    created_at: Mapped[str] = mapped_column(String(32), index=True)


class JournalLine(Base):
    __tablename__ = "journal_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(
        ForeignKey("journal_entry.id", deferrable=True, initially="DEFERRED"), index=True)
    account_code: Mapped[str] = mapped_column(ForeignKey("account.code"))
    debit: Mapped[int] = mapped_column(Money, default=0)
    credit: Mapped[int] = mapped_column(Money, default=0)
    __table_args__ = (
        CheckConstraint("debit >= 0 AND credit >= 0 AND (debit = 0 OR credit = 0)",
                        name="one_sided_line"),
    )


class AuditRecord(Base):
    """Hash-chained audit log: each record holds the hash of the one before."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(Uuid, unique=True)
    created_at: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str | None] = mapped_column(Uuid)
    approver_id: Mapped[str | None] = mapped_column(Uuid)
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEvent(Base):
    """Events others must hear about, written in the business transaction.

    ``seq`` is the terminal's gapless outbox sequence: the push order to central.
    """

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(Uuid, unique=True)
    type: Mapped[str] = mapped_column(String(40))
    schema_version: Mapped[int] = mapped_column(Integer)
    aggregate_id: Mapped[str | None] = mapped_column(Uuid, index=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|sent|quarantined
    sent_at: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("outbox_pending", "status", "seq"),)


class ProviderJob(Base):
    """A call to a payment, courier or messaging provider, driven by the dispatcher.

    State: pending -> in_flight -> succeeded | unknown | failed -> dead.
    """

    __tablename__ = "provider_job"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    provider: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[str | None] = mapped_column(Uuid, index=True)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[str | None] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        Index("provider_job_due", "provider", "state", "next_attempt_at"),
        CheckConstraint(
            "state IN ('pending','in_flight','succeeded','unknown','failed','dead')",
            name="known_job_state"),
    )


class HeldCart(Base):
    __tablename__ = "held_cart"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    label: Mapped[str] = mapped_column(String(60))
    cart_json: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32))


# --- couriers (issue 12) and messaging (issue 13) -------------------------------------------

#: Our shipment statuses (the couriers' own statuses are mapped onto these; the provider's
#: word is kept beside it in ``provider_status``).
SHIPMENT_STATUSES = ("queued", "created", "allocated", "picking_up", "picked_up", "in_transit",
                     "on_hold", "delivered", "returning", "returned", "cancelled", "failed")


class Shipment(Base):
    """A parcel of a sale. Its ``id`` is the merchant reference every courier sees (Biteship
    ``reference_id``, JNE ``OLSHOP_ORDERID`` in its 20-character form, J&T ``orderid``), made
    once at the till and never regenerated, so a retry can always be matched to what the
    courier already has. Recipient phone and address are AES-256-GCM ciphertext like the
    customer's; ``request_key`` makes a double click (or a batch re-run) one shipment."""

    __tablename__ = "shipment"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    batch_id: Mapped[str | None] = mapped_column(String(40), index=True)
    courier: Mapped[str] = mapped_column(String(16))  # the API: biteship | jne | jnt
    courier_company: Mapped[str] = mapped_column(String(24))  # jne, jnt, pos, sicepat...
    service_code: Mapped[str] = mapped_column(String(24))
    recipient_name: Mapped[str] = mapped_column(String(120))
    recipient_phone_enc: Mapped[str | None] = mapped_column(Text)
    recipient_address_enc: Mapped[str | None] = mapped_column(Text)
    key_id: Mapped[str | None] = mapped_column(String(32))
    destination_postal_code: Mapped[str | None] = mapped_column(String(10))
    destination_area_id: Mapped[str | None] = mapped_column(String(64))
    destination_code: Mapped[str | None] = mapped_column(String(32))  # JNE/J&T area code
    destination_city: Mapped[str | None] = mapped_column(String(60))  # JNE's RECEIVER_CITY
    weight_g: Mapped[int] = mapped_column(Integer)
    length_cm: Mapped[int] = mapped_column(Integer)
    width_cm: Mapped[int] = mapped_column(Integer)
    height_cm: Mapped[int] = mapped_column(Integer)
    declared_value: Mapped[int] = mapped_column(Money)
    description: Mapped[str] = mapped_column(String(120))
    cod: Mapped[bool] = mapped_column(Boolean, default=False)
    cod_amount: Mapped[int] = mapped_column(Money, default=0)
    quoted_price: Mapped[int | None] = mapped_column(Money)
    final_price: Mapped[int | None] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16))
    provider_status: Mapped[str | None] = mapped_column(String(40))
    provider_order_id: Mapped[str | None] = mapped_column(String(64))
    draft_order_id: Mapped[str | None] = mapped_column(String(64))
    waybill_id: Mapped[str | None] = mapped_column(String(64))
    tracking_id: Mapped[str | None] = mapped_column(String(64))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_track_at: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        # One airway bill belongs to one parcel (a reused tracking number, odoo #80636).
        UniqueConstraint("courier_company", "waybill_id", name="one_parcel_per_waybill"),
        Index("shipment_status_idx", "status", "next_track_at"),
        CheckConstraint("status IN ('" + "','".join(SHIPMENT_STATUSES) + "')",
                        name="known_shipment_status"),
        CheckConstraint("weight_g > 0 AND length_cm >= 0 AND width_cm >= 0 AND height_cm >= 0"
                        " AND declared_value >= 0 AND cod_amount >= 0",
                        name="sane_parcel"),
    )


class ShipmentEvent(Base):
    """A shipment's status history (append-only): our status and the courier's own word.
    A tracking poll that sees the same courier event again adds nothing (the unique key)."""

    __tablename__ = "shipment_event"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipment.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    provider_status: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    happened_at: Mapped[str] = mapped_column(String(32))  # the courier's time, UTC ISO
    recorded_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        UniqueConstraint("shipment_id", "status", "provider_status", "happened_at",
                         name="one_row_per_courier_event"),
    )


MESSAGE_CHANNELS = ("email", "sms", "whatsapp", "push")
#: anymail's normalized statuses, plus delivered/read where the provider reports them.
MESSAGE_STATUSES = ("queued", "sent", "delivered", "read", "rejected", "failed", "unknown")


class Message(Base):
    """One message to one recipient (the per-recipient log of every send, bulk included).
    ``dedupe_key`` is UNIQUE: the same receipt, notice or campaign to the same person is one
    row, so nobody is sent anything twice by a double click or a re-run. The address and the
    rendered text are ciphertext (they hold personal data); ``recipient_hint`` is a masked
    form for screens and logs."""

    __tablename__ = "message"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    channel: Mapped[str] = mapped_column(String(12))
    provider: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(16))  # transactional | marketing | alert
    template: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(5))
    recipient_enc: Mapped[str] = mapped_column(Text)
    recipient_hint: Mapped[str] = mapped_column(String(80))
    key_id: Mapped[str | None] = mapped_column(String(32))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customer.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    device_token_id: Mapped[str | None] = mapped_column(ForeignKey("device_token.id"))
    subject: Mapped[str | None] = mapped_column(String(200))
    content_enc: Mapped[str] = mapped_column(Text)
    ref_type: Mapped[str | None] = mapped_column(String(24))
    ref_id: Mapped[str | None] = mapped_column(String(40), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    bulk_id: Mapped[str | None] = mapped_column(String(40), index=True)
    job_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(12))
    provider_status: Mapped[str | None] = mapped_column(String(24))
    provider_message_id: Mapped[str | None] = mapped_column(String(120), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    updated_at: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("channel IN ('" + "','".join(MESSAGE_CHANNELS) + "')",
                        name="known_message_channel"),
        CheckConstraint("status IN ('" + "','".join(MESSAGE_STATUSES) + "')",
                        name="known_message_status"),
        CheckConstraint("purpose IN ('transactional','marketing','alert')",
                        name="known_message_purpose"),
    )


class DeviceToken(Base):
    """An FCM registration token of a user's or a customer's device (the seed's DeviceToken).
    Registered at any till or at central; both hold the tenant's registry (push and pull)."""

    __tablename__ = "device_token"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(12))  # user | customer
    owner_id: Mapped[str] = mapped_column(Uuid, index=True)
    token: Mapped[str] = mapped_column(Text, unique=True)
    platform: Mapped[str] = mapped_column(String(12))  # android | ios | web
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seen_at: Mapped[str] = mapped_column(String(32))
    deactivated_reason: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("owner_type IN ('user','customer')", name="known_token_owner"),
        CheckConstraint("platform IN ('android','ios','web')", name="known_token_platform"),
    )


# --- the owner's books (issue 14) ------------------------------------------------------------


class ExpenseCategory(Base):
    """listrik, air, gaji, sewa... (a list the owner extends). Each has its own expense
    account, so the P&L's expenses by category come from the ledger itself."""

    __tablename__ = "expense_category"
    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    account_code: Mapped[str] = mapped_column(ForeignKey("account.code"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(32))


class Payable(Base):
    """Money the shop owes a supplier or payee (an expense owed, goods received on credit).
    What is still open is ``amount`` less its payments (derived, never stored)."""

    __tablename__ = "payable"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    supplier: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(16))  # expense | goods | other
    source_id: Mapped[str | None] = mapped_column(String(36), index=True)
    amount: Mapped[int] = mapped_column(Money)
    due_date: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD, the store's day
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    __table_args__ = (
        CheckConstraint("amount > 0", name="payable_positive"),
        CheckConstraint("source IN ('expense','goods','other')", name="known_payable_source"),
    )


class Expense(Base):
    __tablename__ = "expense"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("expense_category.code"), index=True)
    payee: Mapped[str] = mapped_column(String(120))
    amount: Mapped[int] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)
    receipt_photo: Mapped[str | None] = mapped_column(Text)  # a path the owner chose
    paid_from: Mapped[str] = mapped_column(String(8))  # drawer | bank | owed
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shift.id"))
    payable_id: Mapped[str | None] = mapped_column(ForeignKey("payable.id"))
    entry_id: Mapped[str] = mapped_column(String(36))
    spent_on: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD, the store's day
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    __table_args__ = (
        CheckConstraint("amount > 0", name="expense_positive"),
        CheckConstraint("paid_from IN ('drawer','bank','owed')", name="known_expense_source"),
        CheckConstraint("(paid_from = 'owed') = (payable_id IS NOT NULL)",
                        name="owed_means_payable"),
        CheckConstraint("(paid_from = 'drawer') = (shift_id IS NOT NULL)",
                        name="drawer_means_shift"),
    )


class PayablePayment(Base):
    __tablename__ = "payable_payment"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    payable_id: Mapped[str] = mapped_column(ForeignKey("payable.id"), index=True)
    amount: Mapped[int] = mapped_column(Money)
    paid_from: Mapped[str] = mapped_column(String(8))  # drawer | bank
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shift.id"))
    entry_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    __table_args__ = (
        CheckConstraint("amount > 0", name="payment_positive"),
        CheckConstraint("paid_from IN ('drawer','bank')", name="known_payment_source"),
    )


class AccountingPeriod(Base):
    """A month of the books in the store's time zone (``starts_at``/``ends_at`` are its UTC
    bounds, so the database can compare a posting's time). ``soft``: closed, a supervisor
    may still post (audited, through a PostingPermit); ``hard``: locked for good once the
    PPN return is filed. A trigger refuses postings into a locked period, like an
    unbalanced entry — except a sale, which is never refused for bookkeeping: it is booked
    and the statements list it as a late posting."""

    __tablename__ = "accounting_period"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    starts_at: Mapped[str] = mapped_column(String(32))
    ends_at: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(8))
    closing_entry_id: Mapped[str | None] = mapped_column(String(36))
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[str | None] = mapped_column(String(32))
    ppn_filed_at: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("state IN ('open','soft','hard')", name="known_period_state"),
        CheckConstraint("starts_at < ends_at", name="period_has_length"),
    )


class PostingPermit(Base):
    """A supervisor's leave to post one entry into a soft-closed period, written in the same
    transaction as the entry (and audited by the use case that writes it)."""

    __tablename__ = "posting_permit"
    entry_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    approver_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))


# --- per-day sales summary for analytics (migration 0004) ---------------------------------
# Kept by triggers in the sale's own transaction (local_db.sales_summary says how); days and
# hours are the store's local ones, ``YYYY-MM-DD`` / ``YYYY-MM`` text.

class SalesSummaryState(Base):
    """The one row saying which zone the summaries are in and whether they may be read
    (``stale`` = 1 after a change the triggers cannot follow, until a rebuild)."""

    __tablename__ = "sales_summary_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    timezone: Mapped[str] = mapped_column(String(64))
    offset_minutes: Mapped[int | None] = mapped_column(Integer)
    shift: Mapped[str | None] = mapped_column(String(24))  # '+420 minutes' for date()
    stale: Mapped[int] = mapped_column(Integer, default=0)


class SalesHourSummary(Base):
    __tablename__ = "sales_hour_summary"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sales_count: Mapped[int] = mapped_column(BigInteger)
    sales_amount: Mapped[int] = mapped_column(Money)
    line_count: Mapped[int] = mapped_column(BigInteger)
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    refund_count: Mapped[int] = mapped_column(BigInteger)
    refund_amount: Mapped[int] = mapped_column(Money)


class SalesProductDay(Base):
    __tablename__ = "sales_product_day"
    product_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(12))
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(Money)
    line_count: Mapped[int] = mapped_column(BigInteger)
    sales_count: Mapped[int] = mapped_column(BigInteger)


class SalesProductMonth(Base):
    __tablename__ = "sales_product_month"
    product_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True, index=True)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(12))
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(Money)
    line_count: Mapped[int] = mapped_column(BigInteger)
    sales_count: Mapped[int] = mapped_column(BigInteger)


class SalesCustomerDay(Base):
    __tablename__ = "sales_customer_day"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    customer_key: Mapped[str] = mapped_column(Uuid, primary_key=True)  # '' for none
    sales_count: Mapped[int] = mapped_column(BigInteger)


class SalesCashierDay(Base):
    __tablename__ = "sales_cashier_day"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    cashier_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    sales_count: Mapped[int] = mapped_column(BigInteger)
    sales_amount: Mapped[int] = mapped_column(Money)


# --- loyalty (migration 0005) ---------------------------------------------------------------

LOYALTY_KINDS = ("earn", "redeem", "expire", "adjust", "refund")


class LoyaltyEntry(Base):
    """One row of a customer's points ledger (the balance is the sum of ``points`` over the
    tenant's tills: rows of other tills come down by the pull). No personal data: the only
    free text is an adjustment's ``reason`` (blanked on erasure). ``spend`` is the eligible
    pre-tax spend an earn row counted (negative on its refund reversal), so tiers by spend
    need no sales of other tills. ``expires_at``: when a positive lot lapses (UTC ISO of the
    end of its month in the store's zone). The database allows one earn row per sale."""

    __tablename__ = "loyalty_entry"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    points: Mapped[int] = mapped_column(BigInteger)
    spend: Mapped[int] = mapped_column(Money, default=0)
    value: Mapped[int] = mapped_column(Money, default=0)  # rupiah of a redemption
    sale_id: Mapped[str | None] = mapped_column(String(36), index=True)
    refund_id: Mapped[str | None] = mapped_column(String(36))
    expires_at: Mapped[str | None] = mapped_column(String(32))
    lot_expiry: Mapped[str | None] = mapped_column(String(32))  # an expire row's lot moment
    terminal_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str | None] = mapped_column(String(36))
    approver_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    __table_args__ = (
        # Exactly one accrual per sale, whatever retries or second tills do.
        Index("loyalty_one_earn_per_sale", "sale_id", unique=True,
              sqlite_where=text("kind = 'earn'")),
        # One expiry row per customer and lapse moment (made the same on every till).
        Index("loyalty_one_expiry_per_lot", "customer_id", "lot_expiry", unique=True,
              sqlite_where=text("kind = 'expire'")),
        CheckConstraint("kind IN ('earn','redeem','expire','adjust','refund')",
                        name="known_loyalty_kind"),
        CheckConstraint("(kind = 'earn' AND points >= 0) OR (kind IN ('redeem','expire') "
                        "AND points < 0) OR kind IN ('adjust','refund')",
                        name="loyalty_sign"),
        CheckConstraint("kind != 'adjust' OR approver_id IS NOT NULL",
                        name="adjust_approved"),
    )


class LoyaltyTier(Base):
    """The tier each member holds now (a cache of the rule over the ledger: moved up after a
    sale, moved up or down by the nightly job)."""

    __tablename__ = "loyalty_tier"
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tier: Mapped[str] = mapped_column(String(24))
    measure: Mapped[int] = mapped_column(BigInteger)  # spend or points over 12 months
    since: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))



# --- segments, campaigns, promo codes (migration 0006) -------------------------------------

#: RFM segments (services.segments), in the order their rules are tried.
SEGMENT_CODES = ("juara", "setia", "baru", "perlu_perhatian", "berisiko", "hilang",
                 "belum_belanja")
CAMPAIGN_STATUSES = ("draft", "scheduled", "sent", "cancelled")


class CustomerSegment(Base):
    """A customer's RFM scores and segment as the nightly job last computed them (a cache
    of the rule over the sales: ``services.segments.recompute_segments`` rewrites it)."""

    __tablename__ = "customer_segment"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), primary_key=True)
    segment: Mapped[str] = mapped_column(String(24), index=True)
    r: Mapped[int] = mapped_column(Integer)
    f: Mapped[int] = mapped_column(Integer)
    m: Mapped[int] = mapped_column(Integer)
    recency_days: Mapped[int | None] = mapped_column(Integer)
    purchases: Mapped[int] = mapped_column(Integer)  # in the frequency window
    spend: Mapped[int] = mapped_column(Money)  # in the monetary window, refunds taken off
    first_purchase_at: Mapped[str | None] = mapped_column(String(32))
    last_purchase_at: Mapped[str | None] = mapped_column(String(32))
    computed_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("segment IN ('" + "','".join(SEGMENT_CODES) + "')",
                        name="known_segment"),
        CheckConstraint("r BETWEEN 0 AND 3 AND f BETWEEN 0 AND 3 AND m BETWEEN 0 AND 3",
                        name="rfm_scores"),
    )


class Campaign(Base):
    """A marketing campaign: channel, audience (filters as canonical JSON), the text, its
    cost, schedule and holdout. ``seed`` draws the holdout (recorded so the draw can be
    repeated); the sizes are frozen when it is sent."""

    __tablename__ = "campaign"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    audience: Mapped[str] = mapped_column(Text)
    message_text: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5))
    cost: Mapped[int] = mapped_column(Money, default=0)
    holdout_share: Mapped[str] = mapped_column(String(8))  # Decimal as text, "0.10"
    seed: Mapped[int] = mapped_column(BigInteger)
    scheduled_at: Mapped[str | None] = mapped_column(String(32), index=True)
    sent_at: Mapped[str | None] = mapped_column(String(32))
    bulk_id: Mapped[str] = mapped_column(String(40), unique=True)
    audience_size: Mapped[int | None] = mapped_column(Integer)
    send_size: Mapped[int | None] = mapped_column(Integer)
    holdout_size: Mapped[int | None] = mapped_column(Integer)
    excluded_no_consent: Mapped[int | None] = mapped_column(Integer)
    excluded_opted_out: Mapped[int | None] = mapped_column(Integer)
    excluded_no_address: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("channel IN ('" + "','".join(MESSAGE_CHANNELS) + "')",
                        name="known_campaign_channel"),
        CheckConstraint("status IN ('" + "','".join(CAMPAIGN_STATUSES) + "')",
                        name="known_campaign_status"),
        CheckConstraint("cost >= 0", name="campaign_cost_not_negative"),
    )


class CampaignRecipient(Base):
    """One member of a sent campaign's audience and the arm the seeded draw put them in:
    ``send`` (their message row: message.bulk_id = campaign.bulk_id and the customer) or
    ``holdout`` (never sent). ``draw`` is the member's place in the seeded shuffle."""

    __tablename__ = "campaign_recipient"
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), primary_key=True,
                                             index=True)
    arm: Mapped[str] = mapped_column(String(8))
    draw: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint("arm IN ('send','holdout')", name="known_campaign_arm"),
    )


class PromoCode(Base):
    """A discount code for the till (a percentage or an amount off the order), valid from/
    until (UTC ISO), at most ``per_customer_limit`` uses per customer (a trigger on
    promo_redemption enforces it), usually one per campaign."""

    __tablename__ = "promo_code"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaign.id"), unique=True)
    percent: Mapped[str | None] = mapped_column(String(8))  # Decimal as text
    amount: Mapped[int | None] = mapped_column(Money)
    min_spend: Mapped[int] = mapped_column(Money, default=0)
    valid_from: Mapped[str] = mapped_column(String(32))
    valid_until: Mapped[str] = mapped_column(String(32))
    per_customer_limit: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("(percent IS NULL) != (amount IS NULL)", name="promo_one_kind"),
        CheckConstraint("amount IS NULL OR amount > 0", name="promo_amount_positive"),
        CheckConstraint("per_customer_limit >= 1", name="promo_limit_positive"),
        CheckConstraint("valid_from < valid_until", name="promo_has_validity"),
    )


class PromoRedemption(Base):
    """A sale that used a promo code (written in the sale's transaction): the attribution
    of that sale to the code's campaign."""

    __tablename__ = "promo_redemption"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    promo_code_id: Mapped[str] = mapped_column(ForeignKey("promo_code.id"))
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    discount: Mapped[int] = mapped_column(Money)
    created_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        Index("promo_redemption_per_customer", "promo_code_id", "customer_id"),
    )


# --- stock alerts and scheduled emails (migration 0007) ------------------------------------

class StockAlert(Base):
    """One crossing of a product's level to at or below its threshold (``low_stock_milli``).

    Written by the triggers of migration 0007 on ``stock_level`` (every stock change goes
    through that cache) and ``product`` (a threshold edit): fired when the level falls to
    or below the threshold while no alert of the product is open, re-armed (``rearmed_at``)
    when the level rises above it again. At most one open alert per product (the partial
    UNIQUE index), so a product sliding down sale by sale is one alert, not one per sale.
    ``notified_at``/``digest_id``: the owner's digest that carried it (services.stock_alerts).
    The trigger stamps with SQLite's clock (UTC)."""

    __tablename__ = "stock_alert"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"))
    threshold_milli: Mapped[int] = mapped_column(BigInteger)
    level_milli: Mapped[int] = mapped_column(BigInteger)
    fired_at: Mapped[str] = mapped_column(String(32))
    rearmed_at: Mapped[str | None] = mapped_column(String(32))
    notified_at: Mapped[str | None] = mapped_column(String(32))
    digest_id: Mapped[str | None] = mapped_column(String(40))
    __table_args__ = (
        Index("stock_alert_one_open", "product_id", unique=True,
              sqlite_where=text("rearmed_at IS NULL")),
        Index("stock_alert_product", "product_id", "fired_at"),
    )


class ReorderSetting(Base):
    """A product's reorder terms (services.reorder); a missing row or NULL means the default
    (the supplier's lead time, the shop's ``reorder.lead_days``, safety stock = the alert
    threshold, a pack of one unit)."""

    __tablename__ = "reorder_setting"
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), primary_key=True)
    supplier: Mapped[str | None] = mapped_column(String(120))
    lead_days: Mapped[int | None] = mapped_column(Integer)
    pack_milli: Mapped[int | None] = mapped_column(BigInteger)
    safety_milli: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("lead_days IS NULL OR lead_days BETWEEN 0 AND 365",
                        name="reorder_lead_days_range"),
        CheckConstraint("pack_milli IS NULL OR pack_milli > 0", name="reorder_pack_positive"),
        CheckConstraint("safety_milli IS NULL OR safety_milli >= 0",
                        name="reorder_safety_not_negative"),
    )


class SupplierTerms(Base):
    """A supplier's lead time in days (suppliers are named as on goods received)."""

    __tablename__ = "supplier_terms"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    lead_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("lead_days BETWEEN 0 AND 365", name="supplier_lead_days_range"),
    )


EMAIL_LOG_STATUSES = ("queued", "skipped", "failed")


class EmailLog(Base):
    """A scheduled email of one store, day and recipient (services.daily_summary): queued
    (its message row says sent/delivered/failed), skipped (missed beyond the misfire window,
    sent by another till, ...) or failed to queue, with the reason. UNIQUE per kind, store,
    day and recipient, written in the transaction that queues the message: one email per
    store, day and recipient from this till, whatever re-runs. ``recipient_key`` is a hash,
    the address itself lives (encrypted) on the message row."""

    __tablename__ = "email_log"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    store_id: Mapped[str] = mapped_column(String(36))
    day: Mapped[str] = mapped_column(String(10))  # the store's day, YYYY-MM-DD
    recipient_key: Mapped[str] = mapped_column(String(64))
    recipient_hint: Mapped[str] = mapped_column(String(80))
    scheduled_for: Mapped[str] = mapped_column(String(32))  # UTC
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(36))
    claimed_by: Mapped[str | None] = mapped_column(String(36))  # the till that sent it
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    updated_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        UniqueConstraint("kind", "store_id", "day", "recipient_key",
                         name="email_log_one_per_day"),
        CheckConstraint("status IN ('" + "','".join(EMAIL_LOG_STATUSES) + "')",
                        name="known_email_log_status"),
    )


# --- personal data: consent log, tombstones (migration 0008) -------------------------------

#: Where a consent change came from: the till's customer dialog, the CLI, the back office,
#: an unsubscribe link, a STOP reply, an import, or the erasure itself.
CONSENT_SOURCES = ("till", "cli", "office", "unsubscribe", "stop", "import", "erasure")


class ConsentEvent(Base):
    """One change of a customer's marketing consent (UU PDP: the shop must show when and
    how consent was given or withdrawn). ``actor`` is a user id, or ``customer`` when the
    person withdrew it themself (unsubscribe link, STOP). No personal data: the row names
    the customer by id only, so it stays after an erasure as the record of the withdrawal."""

    __tablename__ = "consent_event"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    customer_id: Mapped[str] = mapped_column(Uuid, index=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("source IN ('" + "','".join(CONSENT_SOURCES) + "')",
                        name="known_consent_source"),
    )


class CustomerTombstone(Base):
    """A customer erased here or at central. The pull never re-creates or un-erases a
    tombstoned customer, and the outbox may then redact that customer's old upserts (the
    only change trigger ``outbox_content_frozen`` allows), so a till never pushes a
    non-erased copy. No foreign key: a till may learn of an erasure of a customer it
    never had."""

    __tablename__ = "customer_tombstone"
    customer_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    erased_at: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(8))  # local | central
    recorded_at: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("origin IN ('local','central')", name="known_tombstone_origin"),
    )

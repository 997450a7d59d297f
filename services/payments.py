"""Customer-present provider payments (QRIS, GoPay, ShopeePay, bank-transfer VA) and their
settlement into the books.

A charge attempt is a ``provider_job`` row (provider ``midtrans``, kind ``charge``) written
*before* anything is sent, so a crash at any moment leaves a row that says what may have
happened. The till performs the charge itself while the customer waits (a charge is never
queued to run later without the customer); the row is leased to the till while it does,
and only a crashed till's expired lease hands it to the dispatcher, which then asks
Midtrans what happened and cancels what nobody is waiting for.

``order_id`` is the payment's UUID: made once, never regenerated for that payment.

A charge job's state: ``in_flight`` while the till owns it — including after the customer
paid, until the sale that takes the payment commits (it marks the job ``succeeded`` in its
own transaction, so "paid" and "sold" cannot drift apart); ``succeeded`` once it reached any
other final answer (``result.final``: expired, cancelled, denied, failed, not_sent,
rejected); ``dead`` when a person must act (paid at Midtrans but no sale took the money).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, exists, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.jobs import JobRow, job_by_key
from local_db.models import JournalEntry, Payment, ProviderJob, Sale
from local_db.store import append_audit, canonical_json, post_journal, read_settings
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.errors import BadInput, Conflict, NotFound
from services.money import to_rupiah
from services.ports import ProviderPayment
from services.tender import PROVIDER_METHODS
from services.users import Actor, authorize

PROVIDER = "midtrans"
CHARGE = "charge"
REFUND = "refund"
SETTLEMENT_KIND = "midtrans.settlement"
#: Merchant discount rates (MDR) when the store has set none: QRIS 0.7% (Bank Indonesia's
#: rate for non-micro merchants), e-wallets 2%, VA a flat Rp 4.000. Settings
#: ``mdr.<method>.percent`` and ``mdr.<method>.flat`` override them.
DEFAULT_MDR: dict[str, tuple[Decimal, int]] = {
    "qris": (Decimal("0.7"), 0), "gopay": (Decimal(2), 0), "shopeepay": (Decimal(2), 0),
    "va_bca": (Decimal(0), 4000), "va_bni": (Decimal(0), 4000), "va_bri": (Decimal(0), 4000),
    "va_permata": (Decimal(0), 4000),
}
#: How long a till owns a charge it is performing before a dispatcher may look at it.
TILL_LEASE_SECONDS = 120.0
FINAL_STATUSES = frozenset({"expire", "cancel", "deny", "failure"})


@dataclass(frozen=True, slots=True)
class PaymentsState:
    """Whether customer-present provider payments (QRIS, e-wallet, VA) can be taken now.

    ``reason``: why not, as a code the screens word (``not_configured``, ``unreachable``,
    ``breaker_open``); ``detail``: the explanation in full (a tooltip, the CLI)."""

    online: bool
    reason: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class ChargeAttempt:
    job_id: str
    payment_id: str
    order_id: str
    method: str
    amount: int
    charge_key: str  # the HTTP Idempotency-Key of this charge (keys are per operation)


@dataclass(frozen=True, slots=True)
class ChargeView:
    """What the till shows while the customer pays."""

    attempt: ChargeAttempt
    state: str  # the job's state
    final: str | None  # paid | expired | cancelled | denied | not_sent | rejected | None
    transaction_status: str | None
    qr_string: str | None
    va_bank: str | None
    va_number: str | None
    deeplink_url: str | None
    expiry_time: str | None
    message: str | None


def _lease(seconds: float = TILL_LEASE_SECONDS) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="microseconds")


def begin_charge(uow: UnitOfWork, actor: Actor, method: str, amount: int) -> ChargeAttempt:
    """Write the charge attempt (leased to this till) and commit it before anything is sent."""
    if method not in PROVIDER_METHODS:
        raise BadInput(f"{method} is not a provider payment method", field="method")
    if amount <= 0:
        raise BadInput("must be more than zero", field="amount")
    payment_id = uuid7()
    attempt = ChargeAttempt(uuid7(), payment_id, payment_id, method, amount, uuid7())
    stamp = now_iso()
    uow.conn.execute(insert(ProviderJob).values(
        id=attempt.job_id, provider=PROVIDER, kind=CHARGE, ref_id=payment_id, state="in_flight",
        attempts=1, next_attempt_at=_lease(), idempotency_key=attempt.order_id,
        payload=canonical_json({"payment_id": payment_id, "order_id": attempt.order_id,
                                "method": method, "amount": amount,
                                "charge_key": attempt.charge_key, "cashier_id": actor.id}),
        created_at=stamp, updated_at=stamp))
    uow.commit()
    return attempt


def _attempt(job: JobRow) -> ChargeAttempt:
    p = job.payload
    return ChargeAttempt(job.id, p["payment_id"], p["order_id"], p["method"], int(p["amount"]),
                         p["charge_key"])


def charge_job(conn: Connection, order_id: str) -> JobRow:
    job = job_by_key(conn, PROVIDER, CHARGE, order_id)
    if job is None:
        raise NotFound(f"no charge with order id {order_id}", field="order_id")
    return job


def record_reply(uow: UnitOfWork, order_id: str, reply: Mapping[str, Any], *,
                 final: str | None = None, error: str | None = None,
                 needs_attention: bool = False) -> ChargeView:
    """Store what Midtrans said (a value, never raised) and renew the till's lease.

    ``final`` ends the attempt (state succeeded); ``needs_attention`` marks it dead with the
    reason in ``error`` so that a person sees it in the sync panel.
    """
    conn = uow.conn
    job = charge_job(conn, order_id)
    merged = {**(job.result or {}), **{k: v for k, v in reply.items() if v is not None}}
    if final is not None:
        merged["final"] = final
    # A paid charge stays leased to the till until its sale commits (see the module doc).
    done = final is not None and final != "paid"
    state = "dead" if needs_attention else ("succeeded" if done else "in_flight")
    conn.execute(update(ProviderJob).where(ProviderJob.id == job.id).values(
        state=state, result=canonical_json(merged), last_error=error,
        next_attempt_at=None if state != "in_flight" else _lease(), updated_at=now_iso()))
    uow.commit()
    return _view(_attempt(job), state, merged, error)


def _view(attempt: ChargeAttempt, state: str, r: Mapping[str, Any],
          error: str | None) -> ChargeView:
    return ChargeView(attempt, state, r.get("final"), r.get("transaction_status"),
                      r.get("qr_string"), r.get("va_bank"), r.get("va_number"),
                      r.get("deeplink_url"), r.get("expiry_time"), error or r.get("message"))


def view_charge(conn: Connection, order_id: str) -> ChargeView:
    job = charge_job(conn, order_id)
    return _view(_attempt(job), job.state, job.result or {}, job.last_error)


def sale_took_payment(conn: Connection, order_id: str) -> bool:
    """Whether a completed sale holds this provider payment."""
    return conn.execute(select(Payment.id).where(Payment.provider_ref == order_id)
                        .limit(1)).first() is not None


class RecordedPayments:
    """The payment port as the sale sees it: a provider payment counts only if its charge
    attempt in this database ended ``paid`` for exactly this method and amount — what the
    till recorded from Midtrans's own status answer, not what the cashier says."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def is_settled(self, payment: ProviderPayment) -> bool:
        try:
            job = charge_job(self._conn, payment.provider_ref)
        except NotFound:
            return False
        p, r = job.payload, job.result or {}
        return (job.state == "in_flight" and r.get("final") == "paid"
                and p["method"] == payment.method and int(p["amount"]) == payment.amount
                and r.get("gross_amount") in (None, payment.amount)
                and not sale_took_payment(self._conn, payment.provider_ref))

    def taken(self, payment: ProviderPayment, sale_id: str) -> None:
        """Inside the sale's transaction: this sale took the payment; the charge is done."""
        job = charge_job(self._conn, payment.provider_ref)
        self._conn.execute(update(ProviderJob).where(ProviderJob.id == job.id).values(
            state="succeeded", next_attempt_at=None, updated_at=now_iso(),
            result=canonical_json({**(job.result or {}), "sale_id": sale_id})))


# --- settlement: Midtrans clearing -> bank, less the merchant discount rate -------------

@dataclass(frozen=True, slots=True)
class SettledPayment:
    payment_id: str
    receipt_no: str
    method: str
    gross: int
    fee: int
    net: int


def mdr_fee(settings: Mapping[str, str], method: str, amount: int) -> int:
    pct, flat = DEFAULT_MDR.get(method, (Decimal(0), 0))
    pct = Decimal(settings.get(f"mdr.{method}.percent", str(pct)))
    flat = int(settings.get(f"mdr.{method}.flat", str(flat)))
    return min(amount, to_rupiah(Decimal(amount) * pct / 100) + flat)


def unsettled_payments(conn: Connection) -> list[tuple[str, str, str, int]]:
    """(payment id, receipt no, method, amount) of provider payments not yet moved to the bank."""
    settled = exists().where(and_(JournalEntry.kind == SETTLEMENT_KIND,
                                  JournalEntry.ref_id == Payment.id))
    rows = conn.execute(select(Payment.id, Sale.receipt_no, Payment.method, Payment.amount)
                        .join(Sale, Sale.id == Payment.sale_id)
                        .where(Payment.method.in_(sorted(PROVIDER_METHODS)), ~settled)
                        .order_by(Sale.seq))
    return [(str(a), str(b), str(c), int(d)) for a, b, c, d in rows]


def record_settlement(uow: UnitOfWork, actor: Actor,
                      payment_ids: list[str] | None = None) -> list[SettledPayment]:
    """Book Midtrans's payout: Dr Bank (net) and Dr MDR fee / Cr Midtrans clearing, one entry
    per payment (so each is settled exactly once: the entry's ref is the payment)."""
    authorize(uow, actor, "supervisor", "recording a settlement")
    conn = uow.conn
    settings = read_settings(conn)
    todo = unsettled_payments(conn)
    if payment_ids is not None:
        wanted = set(payment_ids)
        unknown = wanted - {t[0] for t in todo}
        if unknown:
            raise Conflict(f"payment {sorted(unknown)[0]} is unknown or already settled",
                           field="payment_id")
        todo = [t for t in todo if t[0] in wanted]
    done: list[SettledPayment] = []
    stamp = now_iso()
    for payment_id, receipt_no, method, amount in todo:
        fee = mdr_fee(settings, method, amount)
        post_journal(conn, kind=SETTLEMENT_KIND, ref_id=payment_id, memo=receipt_no,
                     lines=[(acc.BANK, amount - fee, 0), (acc.PAYMENT_FEES, fee, 0),
                            (acc.MIDTRANS_CLEARING, 0, amount)], created_at=stamp)
        done.append(SettledPayment(payment_id, receipt_no, method, amount, fee, amount - fee))
    if done:
        append_audit(conn, "payments.settle", entity="settlement", entity_id=None,
                     actor_id=actor.id, details={"payments": len(done),
                                                 "gross": sum(d.gross for d in done),
                                                 "fee": sum(d.fee for d in done)},
                     created_at=stamp)
    uow.commit()
    return done

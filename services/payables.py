"""Payables: what the shop owes a supplier or payee, and paying it in part or whole.

A payable is opened by the use case that incurs it, in its own transaction: an expense
owed (services.expenses, ``paid_from="owed"``: Dr the category's expense / Cr 2-1100) or
goods received on credit (services.stock.receive_goods, ``paid_from="payable"``: Dr
Inventory (+ Dr 1-1600 input tax) / Cr 2-1100). What is still open is the amount less its
payments, derived and never stored. A payment (:func:`pay_payable`, supervisor or owner)
books Dr 2-1100 (2-1900 for other payables) / Cr the cash drawer or 1-1200 Bank; from the
drawer it needs this till's open shift and is a cash movement of it (so the X/Z report's
expected cash stays right), under the drawer's cash out rule (services.shifts).

Dates are the store's local days (setting ``timezone``); times are stored as UTC text.
``as_of`` a past day counts only payables created by its end and adds back payments made
after it. Outbox events: ``payable.created`` and ``payable.paid``, each with the
``journal_entry_id`` of its entry.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select

from local_db.ids import now_iso, uuid7
from local_db.models import Payable, PayablePayment
from local_db.store import append_audit, append_outbox, post_journal, read_settings
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.errors import BadInput, NotFound
from services.formatting import zone
from services.inputs import check_text
from services.money import format_rupiah, rupiah
from services.shifts import take_from_drawer
from services.users import Actor, authorize

#: Where a payable's money goes when paid, and the account each source is owed on.
PAY_FROM = {"drawer": acc.CASH_DRAWER, "bank": acc.BANK}
SOURCE_ACCOUNTS = {"expense": acc.ACCOUNTS_PAYABLE, "goods": acc.ACCOUNTS_PAYABLE,
                   "other": acc.OTHER_PAYABLES}
MAX_SUPPLIER = 120
MAX_NOTE = 500

_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- the store's days ------------------------------------------------------------------

def store_today(conn: Connection) -> date:
    """Today in the store's time zone (setting ``timezone``), on the clock every row is
    stamped with (local_db.ids.now_iso, which a seeded demo history moves)."""
    return datetime.fromisoformat(now_iso()).astimezone(
        zone(read_settings(conn).get("timezone"))).date()


def parse_day(value: object, *, field: str) -> date:
    """A day from outside: a ``date`` or ``YYYY-MM-DD`` text; anything else names ``field``."""
    if isinstance(value, datetime):
        raise BadInput("must be a day (YYYY-MM-DD), not a time", field=field)
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY_RE.match(value.strip()):
        raise BadInput("must be a day written YYYY-MM-DD", field=field)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"'{value.strip()}' is not a day of the calendar", field=field) from None


def day_end_utc(conn: Connection, day: date) -> str:
    """The UTC time (stored text form) at which the store's ``day`` ends."""
    tz = zone(read_settings(conn).get("timezone"))
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return end.astimezone(UTC).isoformat(timespec="microseconds")


# --- values ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PayableView:
    """One payable as of a day: ``paid`` counts payments made by then, ``open_amount`` is
    what is left, ``overdue_days`` the days past its due date (0: not due, paid, or no due
    date)."""

    id: str
    supplier: str
    source: str  # expense | goods | other
    source_id: str | None  # the expense's or goods receipt's id
    account_code: str  # 2-1100 accounts payable (2-1900 other payables)
    amount: int
    paid: int
    open_amount: int
    due_date: str | None  # YYYY-MM-DD, the store's day
    overdue_days: int
    note: str | None
    user_id: str
    created_at: str
    as_of: str  # YYYY-MM-DD: the day these figures are as of

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PayablePaymentView:
    id: str
    payable_id: str
    amount: int
    paid_from: str  # drawer | bank
    shift_id: str | None
    journal_entry_id: str
    user_id: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- opening a payable (called by the use case that incurs it) --------------------------

def open_payable(conn: Connection, actor_id: str, *, supplier: str, source: str,
                 source_id: str | None, amount: int, due_date: str | None, note: str | None,
                 journal_entry_id: str, stamp: str) -> dict[str, Any]:
    """Write a payable whose journal entry the caller posts (same transaction): the row,
    its audit record and the ``payable.created`` event. Inputs are already checked.
    Returns the event's payload (``id`` is the payable's), which the caller's own event
    nests as ``payable`` so that central can apply it on its own."""
    assert source in SOURCE_ACCOUNTS and amount > 0
    payable_id = uuid7()
    conn.execute(insert(Payable).values(
        id=payable_id, supplier=supplier, source=source, source_id=source_id, amount=amount,
        due_date=due_date, note=note, user_id=actor_id, created_at=stamp))
    payload = {"id": payable_id, "supplier": supplier, "source": source,
               "source_id": source_id, "account_code": SOURCE_ACCOUNTS[source],
               "amount": amount, "due_date": due_date, "note": note, "user_id": actor_id,
               "journal_entry_id": journal_entry_id, "created_at": stamp}
    append_audit(conn, "payable.created", entity="payable", entity_id=payable_id,
                 actor_id=actor_id, details=payload, created_at=stamp)
    append_outbox(conn, "payable.created", payload, aggregate_id=payable_id, created_at=stamp)
    return payload


def check_due_date(value: object, *, field: str = "due_date") -> str:
    return parse_day(value, field=field).isoformat()


def check_supplier(value: object, *, field: str = "supplier") -> str:
    return check_text(value, field=field, max_len=MAX_SUPPLIER, required=True)


# --- reading ---------------------------------------------------------------------------

def _paid_by(conn: Connection, payable_ids: list[str], until: str | None) -> dict[str, int]:
    if not payable_ids:
        return {}
    q = (select(PayablePayment.payable_id, func.coalesce(func.sum(PayablePayment.amount), 0))
         .where(PayablePayment.payable_id.in_(payable_ids))
         .group_by(PayablePayment.payable_id))
    if until is not None:
        q = q.where(PayablePayment.created_at < until)
    return {str(k): int(v) for k, v in conn.execute(q)}


def _view(row: Any, paid: int, day: date) -> PayableView:
    amount = int(row.amount)
    open_amount = amount - paid
    overdue = 0
    if row.due_date and open_amount > 0:
        overdue = max(0, (day - date.fromisoformat(str(row.due_date))).days)
    return PayableView(
        id=str(row.id), supplier=str(row.supplier), source=str(row.source),
        source_id=None if row.source_id is None else str(row.source_id),
        account_code=SOURCE_ACCOUNTS.get(str(row.source), acc.ACCOUNTS_PAYABLE),
        amount=amount, paid=paid, open_amount=open_amount,
        due_date=None if row.due_date is None else str(row.due_date), overdue_days=overdue,
        note=None if row.note is None else str(row.note), user_id=str(row.user_id),
        created_at=str(row.created_at), as_of=day.isoformat())


def list_payables(conn: Connection, *, open_only: bool = True, as_of: date | str | None = None,
                  supplier: str | None = None) -> tuple[PayableView, ...]:
    """Payables as of a store day (default today): with ``open_only`` only those with
    something left to pay. Soonest due first (no due date last), then oldest first.
    ``supplier`` filters on the exact name."""
    today = store_today(conn)
    day = today if as_of is None else parse_day(as_of, field="as_of")
    until = day_end_utc(conn, day) if day < today else None
    q = select(Payable.id, Payable.supplier, Payable.source, Payable.source_id,
               Payable.amount, Payable.due_date, Payable.note, Payable.user_id,
               Payable.created_at)
    if until is not None:
        q = q.where(Payable.created_at < until)
    if supplier is not None:
        q = q.where(Payable.supplier == supplier)
    rows = conn.execute(q.order_by(Payable.due_date.is_(None), Payable.due_date,
                                   Payable.created_at, Payable.id)).all()
    paid = _paid_by(conn, [str(r.id) for r in rows], until)
    views = (_view(r, paid.get(str(r.id), 0), day) for r in rows)
    return tuple(v for v in views if v.open_amount > 0 or not open_only)


def get_payable(conn: Connection, payable_id: str, *, as_of: date | str | None = None
                ) -> PayableView:
    """One payable (paid, open amount and overdue days as of the day, default today)."""
    row = conn.execute(select(Payable.id, Payable.supplier, Payable.source, Payable.source_id,
                              Payable.amount, Payable.due_date, Payable.note,
                              Payable.user_id, Payable.created_at)
                       .where(Payable.id == payable_id)).first()
    if row is None:
        raise NotFound(f"no payable {payable_id}", field="payable_id")
    today = store_today(conn)
    day = today if as_of is None else parse_day(as_of, field="as_of")
    until = day_end_utc(conn, day) if day < today else None
    return _view(row, _paid_by(conn, [payable_id], until).get(payable_id, 0), day)


def payable_payments(conn: Connection, payable_id: str) -> tuple[PayablePaymentView, ...]:
    """The payments of one payable, oldest first."""
    rows = conn.execute(select(PayablePayment.id, PayablePayment.payable_id,
                               PayablePayment.amount, PayablePayment.paid_from,
                               PayablePayment.shift_id, PayablePayment.entry_id,
                               PayablePayment.user_id, PayablePayment.created_at)
                        .where(PayablePayment.payable_id == payable_id)
                        .order_by(PayablePayment.created_at, PayablePayment.id))
    return tuple(PayablePaymentView(str(r[0]), str(r[1]), int(r[2]), str(r[3]),
                                    None if r[4] is None else str(r[4]), str(r[5]), str(r[6]),
                                    str(r[7])) for r in rows)


# --- paying ----------------------------------------------------------------------------

def pay_payable(uow: UnitOfWork, actor: Actor, payable_id: str, *, amount: int,
                paid_from: str) -> PayableView:
    """Pay a payable in part or whole from this till's drawer (its open shift) or the bank:
    Dr 2-1100 (2-1900) / Cr cash drawer or 1-1200. More than is open is refused, naming
    ``amount``; nothing is written then. Supervisor or owner. Returns the payable after."""
    conn = uow.conn
    actor = authorize(uow, actor, "supervisor", "paying a payable")
    if paid_from not in PAY_FROM:
        raise BadInput(f"paid_from must be one of {', '.join(PAY_FROM)}", field="paid_from")
    amount = rupiah(amount, field="amount")
    if amount <= 0:
        raise BadInput("must be more than zero", field="amount")
    before = get_payable(conn, payable_id)
    if amount > before.open_amount:
        raise BadInput(f"{format_rupiah(before.open_amount)} is open on this payable; "
                       f"{format_rupiah(amount)} is more than that", field="amount")
    stamp = now_iso()
    shift_id: str | None = None
    if paid_from == "drawer":
        taken = take_from_drawer(uow, read_settings(conn)["terminal_id"], actor, amount,
                                 f"bayar utang: {before.supplier}"[:200],
                                 before.account_code, stamp=stamp)
        shift_id = taken.shift_id
    payment_id = uuid7()
    entry_id = post_journal(conn, kind="payable.payment", ref_id=payment_id,
                            memo=f"payable paid: {before.supplier}", created_at=stamp,
                            lines=[(before.account_code, amount, 0),
                                   (PAY_FROM[paid_from], 0, amount)])
    conn.execute(insert(PayablePayment).values(
        id=payment_id, payable_id=payable_id, amount=amount, paid_from=paid_from,
        shift_id=shift_id, entry_id=entry_id, user_id=actor.id, created_at=stamp))
    payload = {"id": payment_id, "payable_id": payable_id, "amount": amount,
               "paid_from": paid_from, "account_code": before.account_code,
               "shift_id": shift_id, "user_id": actor.id, "journal_entry_id": entry_id,
               "open_before": before.open_amount, "open_after": before.open_amount - amount,
               "created_at": stamp}
    append_audit(conn, "payable.paid", entity="payable", entity_id=payable_id,
                 actor_id=actor.id, details=payload, created_at=stamp)
    append_outbox(conn, "payable.paid", payload, aggregate_id=payment_id, created_at=stamp)
    after = get_payable(conn, payable_id)
    uow.commit()
    return after


__all__ = ["MAX_NOTE", "MAX_SUPPLIER", "PAY_FROM", "SOURCE_ACCOUNTS", "PayablePaymentView",
           "PayableView", "check_due_date", "check_supplier", "day_end_utc", "get_payable",
           "list_payables", "open_payable", "parse_day", "pay_payable", "payable_payments",
           "store_today"]

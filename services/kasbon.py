"""Kasbon (store credit): repayments, balances, and who still owes.

A kasbon sale (services.selling) books Dr 1-1400 receivable and a +amount kasbon entry; a
repayment books Dr cash drawer (or the method's account) / Cr 1-1400 and a -amount entry.
The shift X/Z report counts entries of kind "repayment" with method "cash" in the shift as
cash in the drawer, so a cash repayment must carry the open shift's id.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select

from local_db.ids import now_iso, uuid7
from local_db.models import Customer, KasbonEntry
from local_db.store import append_outbox, post_journal
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.errors import BadInput, NotFound
from services.kasbon_query import add_kasbon_entry, kasbon_balance
from services.money import format_rupiah
from services.shifts_query import open_shift_id, require_open_shift
from services.shop import ShopConfig
from services.users import Actor, authorize

#: How a repayment may come in, and the account its money lands on. Provider methods
#: (QRIS, VA, e-wallets) need the payment port and the customer present: not offered here.
REPAYMENT_ACCOUNTS = {"cash": acc.CASH_DRAWER, "edc": acc.EDC_CLEARING,
                      "transfer": acc.BANK}


@dataclass(frozen=True, slots=True)
class Repayment:
    id: str  # the kasbon entry's id (the journal entry's ref_id)
    customer_id: str
    amount: int
    method: str
    shift_id: str | None
    journal_entry_id: str
    balance_before: int
    balance_after: int
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class KasbonBalance:
    customer_id: str
    name: str
    balance: int
    credit_limit: int

    @property
    def available(self) -> int:
        return max(0, self.credit_limit - self.balance)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "available": self.available}


def repay_kasbon(uow: UnitOfWork, config: ShopConfig, actor: Actor, customer_id: str,
                 amount: int, method: str = "cash") -> Repayment:
    conn = uow.conn
    authorize(uow, actor, "cashier", "recording a kasbon repayment")
    if method not in REPAYMENT_ACCOUNTS:
        raise BadInput(f"a repayment is paid by {', '.join(sorted(REPAYMENT_ACCOUNTS))}",
                       field="method")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise BadInput("a repayment is a whole rupiah amount above zero", field="amount")
    exists = conn.execute(select(Customer.id).where(Customer.id == customer_id)).first()
    if exists is None:
        raise NotFound(f"no customer {customer_id}", field="customer")
    # Cash goes into this till's drawer, so it belongs to the open shift; other methods are
    # recorded against the shift if one is open, for the report's sake.
    shift_id = (require_open_shift(conn, config.terminal_id) if method == "cash"
                else open_shift_id(conn, config.terminal_id))
    owed = kasbon_balance(conn, customer_id)
    if amount > owed:
        raise BadInput(f"the customer owes {format_rupiah(owed)}; a repayment of "
                       f"{format_rupiah(amount)} is more than that", field="amount")

    stamp = now_iso()
    journal_id = uuid7()
    entry_id = add_kasbon_entry(conn, customer_id, -amount, "repayment", journal_id, method,
                                shift_id, stamp)
    post_journal(conn, kind="kasbon.repayment", ref_id=entry_id, entry_id=journal_id,
                 memo=f"kasbon repayment ({method})", created_at=stamp,
                 lines=[(REPAYMENT_ACCOUNTS[method], amount, 0),
                        (acc.KASBON_RECEIVABLE, 0, amount)])
    append_outbox(conn, "kasbon.repaid", {
        "id": entry_id, "customer_id": customer_id, "amount": amount, "method": method,
        "terminal_id": config.terminal_id, "shift_id": shift_id, "user_id": actor.id,
        "journal_entry_id": journal_id, "created_at": stamp,
    }, aggregate_id=entry_id, created_at=stamp)
    uow.commit()
    return Repayment(entry_id, customer_id, amount, method, shift_id, journal_id, owed,
                     owed - amount, stamp)


def customer_balance(uow: UnitOfWork, customer_id: str) -> KasbonBalance:
    row = uow.conn.execute(select(Customer.name, Customer.credit_limit)
                           .where(Customer.id == customer_id)).first()
    if row is None:
        raise NotFound(f"no customer {customer_id}", field="customer")
    return KasbonBalance(customer_id, str(row[0]), kasbon_balance(uow.conn, customer_id),
                         int(row[1]))


def outstanding_kasbon(uow: UnitOfWork) -> tuple[KasbonBalance, ...]:
    """Every customer who owes something, largest debt first."""
    owed = func.sum(KasbonEntry.amount).label("owed")
    rows = uow.conn.execute(
        select(Customer.id, Customer.name, owed, Customer.credit_limit)
        .join(KasbonEntry, KasbonEntry.customer_id == Customer.id)
        .group_by(Customer.id, Customer.name, Customer.credit_limit)
        .having(func.sum(KasbonEntry.amount) > 0)
        .order_by(owed.desc(), Customer.id))
    return tuple(KasbonBalance(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows)

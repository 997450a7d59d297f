"""Money moving between the shop's own accounts: takings from the safe deposited at the
bank, cash drawn from the bank into the safe, card (EDC) takings settled by the bank, and
the owner's own money paid into the bank (capital).

None of it is income or expense: one balanced entry between two asset accounts (and the
bank's card fee, when a settlement arrives short of the card takings). The owner does it;
it is audited and goes to central with its journal entry like every money event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from local_db.ids import now_iso, uuid7
from local_db.models import JournalEntry, JournalLine
from local_db.store import append_audit, append_outbox, post_journal
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.errors import BadInput, Refused
from services.formatting import money
from services.users import Actor, authorize

#: kind -> (from account, to account, words for the memo).
MOVES = {
    "deposit": (acc.CASH_SAFE, acc.BANK, "setor kas besar ke bank"),
    "withdraw": (acc.BANK, acc.CASH_SAFE, "tarik tunai bank ke kas besar"),
    "edc_settlement": (acc.EDC_CLEARING, acc.BANK, "pencairan EDC ke bank"),
    # The owner puts money of their own into the shop's bank account (capital).
    "capital": (acc.OWNER_CAPITAL, acc.BANK, "setoran modal pemilik ke bank"),
}
MAX_AMOUNT = 10_000_000_000  # Rp 10 miliar: a typing slip, not a warung's transfer


@dataclass(frozen=True, slots=True)
class Transfer:
    id: str
    kind: str
    amount: int  # what left the first account
    fee: int  # the bank's card fee (an EDC settlement only)
    from_account: str
    to_account: str
    note: str | None
    journal_entry_id: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def balance(conn: Connection, account: str, as_of: str | None = None) -> int:
    """The account's balance (debits less credits) from the ledger: now, or as of a UTC
    time (the entries stamped up to it)."""
    query = (select(func.coalesce(func.sum(JournalLine.debit - JournalLine.credit), 0))
             .where(JournalLine.account_code == account))
    if as_of is not None:
        query = query.join(JournalEntry, JournalEntry.id == JournalLine.entry_id).where(
            JournalEntry.created_at <= as_of)
    return int(conn.execute(query).scalar() or 0)


def move_money(uow: UnitOfWork, actor: Actor, kind: str, amount: int, *, fee: int = 0,
               note: str | None = None) -> Transfer:
    """One transfer (``kind`` of :data:`MOVES`), committed. Cash never goes below zero in
    the safe (a deposit of more than the safe holds is refused); the bank may be
    overdrawn only as far as the owner says so elsewhere (it is not checked here)."""
    if kind not in MOVES:
        raise BadInput(f"must be one of {', '.join(MOVES)}", field="kind")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_AMOUNT:
        raise BadInput("must be a whole number of rupiah above 0", field="amount")
    if not isinstance(fee, int) or isinstance(fee, bool) or fee < 0 or fee >= amount:
        raise BadInput("must be 0 or more and less than the amount", field="fee")
    if fee and kind != "edc_settlement":
        raise BadInput("only an EDC settlement has a bank fee", field="fee")
    if note is not None and len(note) > 200:
        raise BadInput("at most 200 characters", field="note")
    actor = authorize(uow, actor, "owner", "moving money between the shop's accounts")
    conn = uow.conn
    source, target, words = MOVES[kind]
    held = balance(conn, source)
    if source in (acc.CASH_SAFE, acc.EDC_CLEARING) and held < amount:
        raise Refused(f"the account holds {money(held)} only", field="amount")
    stamp = now_iso()
    transfer_id = uuid7()
    lines = [(target, amount - fee, 0), (source, 0, amount)]
    if fee:
        lines.append((acc.PAYMENT_FEES, fee, 0))
    entry_id = post_journal(conn, kind="cash.transfer", ref_id=transfer_id,
                            memo=note or words, lines=lines, created_at=stamp)
    result = Transfer(transfer_id, kind, amount, fee, source, target, note, entry_id, stamp)
    append_audit(conn, "cash.transfer", entity="transfer", entity_id=transfer_id,
                 actor_id=actor.id, details={"kind": kind, "amount": amount, "fee": fee},
                 created_at=stamp)
    append_outbox(conn, "cash.transferred", {**result.as_dict(), "user_id": actor.id},
                  aggregate_id=transfer_id, created_at=stamp)
    uow.commit()
    return result


__all__ = ["MOVES", "Transfer", "balance", "move_money"]

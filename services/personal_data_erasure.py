"""What an erasure clears beyond the customer row, on the till where it is made and on every
till the pull brings it to (UU PDP / GDPR; the use case is ``services.customers.erase_customer``).

Cleared (inside the caller's transaction, nothing committed here):
- the message log: each message to the person keeps its channel, purpose, template, status
  and times (the campaign counts and provider ids stay true) but loses its address
  (``recipient_enc``), the masked hint, the rendered text, the subject, the provider's error
  text (it may quote the address) and its dedupe key (a keyed hash of the address); queued
  messages to the person are rejected and their jobs end as dead;
- the person's FCM device tokens are deactivated (the deactivation reaches central);
- the points ledger's free text, through the loyalty module's ``forget_customer`` (its rows
  and points stay, so balances and the books still add up);
- the outbox: the person's earlier ``customer.upserted`` events (sent or not) are redacted
  to ``{"id": ..., "erased": true}``, so no copy of the profile waits to be pushed;
- a ``customer_tombstone`` row, which the pull and the database's triggers obey.

Kept: sales, refunds, payments, kasbon entries, journal entries, stock movements and the
points rows, all naming only the customer's id; the consent log (ids and flags, the
record of the withdrawal); the audit chain.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select, text, update

from local_db.ids import now_iso
from local_db.models import Customer, CustomerTombstone, DeviceToken, Message
from services.consents import end_jobs_of
from services.device_tokens import deactivate_token

log = logging.getLogger(__name__)

ERASED_NAME = "Dihapus"
ERASED_TEXT = ""
ERASED_REASON = "customer erased"
#: Modules that may offer ``forget_customer(conn, customer_id)`` for the points ledger.
LOYALTY_MODULES = ("services.loyalty", "services.loyalty_ledger")


def is_tombstoned(conn: Connection, customer_id: str) -> bool:
    return conn.execute(select(CustomerTombstone.customer_id).where(
        CustomerTombstone.customer_id == customer_id)).first() is not None


def tombstoned_ids(conn: Connection, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    return {str(r[0]) for r in conn.execute(select(CustomerTombstone.customer_id).where(
        CustomerTombstone.customer_id.in_(ids)))}


def _tombstone(conn: Connection, customer_id: str, erased_at: str, origin: str) -> None:
    conn.execute(text(
        "INSERT INTO customer_tombstone (customer_id, erased_at, origin, recorded_at) "
        "VALUES (:c, :e, :o, :r) ON CONFLICT (customer_id) DO NOTHING"),
        {"c": customer_id, "e": erased_at, "o": origin, "r": now_iso()})


def _scrub_messages(conn: Connection, customer_id: str, at: str) -> int:
    # Nothing more goes to the person: a message still to be sent is rejected (a bulk
    # email's handler then skips it), and a job carrying only their messages ends.
    rows = [(str(r[0]), None if r[1] is None else str(r[1]), str(r[2])) for r in conn.execute(
        select(Message.id, Message.job_id, Message.status).where(
            Message.customer_id == customer_id))]
    waiting = [m for m, _, status in rows if status in ("queued", "failed")]
    if waiting:  # a failed one the provider never took could be replayed: not any more
        conn.execute(update(Message).where(
            Message.id.in_(waiting), (Message.status == "queued")
            | ((Message.status == "failed") & Message.provider_message_id.is_(None))).values(
            status="rejected", error=ERASED_REASON))
    end_jobs_of(conn, [j for _, j, _ in rows if j is not None], customer_id,
                reason=ERASED_REASON, at=at, states=("pending", "failed", "unknown"))
    # dedupe_key is UNIQUE: each message gets one of its own that names no address.
    result = conn.execute(text(
        "UPDATE message SET recipient_enc = :blank, recipient_hint = :blank, key_id = NULL, "
        "content_enc = :blank, subject = NULL, "
        "error = CASE WHEN error IS NULL THEN NULL ELSE :reason END, "
        "dedupe_key = 'erased:' || id, updated_at = :at WHERE customer_id = :c"),
        {"blank": ERASED_TEXT, "reason": ERASED_REASON, "at": at, "c": customer_id})
    return int(result.rowcount or 0)


def _deactivate_tokens(conn: Connection, customer_id: str, at: str) -> int:
    ids = [str(r[0]) for r in conn.execute(select(DeviceToken.id).where(
        DeviceToken.owner_type == "customer", DeviceToken.owner_id == customer_id,
        DeviceToken.active.is_(True)))]
    return sum(deactivate_token(conn, i, ERASED_REASON, at) for i in ids)


def _redact_outbox(conn: Connection, customer_id: str) -> int:
    """Replace the payload of the person's earlier upserts (allowed by migration 0008's
    trigger only once the tombstone exists)."""
    redacted = json.dumps({"erased": True, "id": customer_id}, separators=(",", ":"),
                          sort_keys=True)
    result = conn.execute(text(
        "UPDATE outbox SET payload = :p WHERE type = 'customer.upserted' "
        "AND aggregate_id = :c AND payload != :p"), {"p": redacted, "c": customer_id})
    return int(result.rowcount or 0)


def loyalty_forget_hook() -> Callable[[Connection, str], Any] | None:
    """The loyalty module's ``forget_customer(conn, customer_id)``, if it offers one."""
    for name in LOYALTY_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        hook = getattr(module, "forget_customer", None)
        if callable(hook):
            return hook  # type: ignore[no-any-return]
    return None


def forget_everywhere(conn: Connection, customer_id: str, *, erased_at: str,
                      origin: str) -> dict[str, int]:
    """Clear what names the person beyond the customer row and leave the tombstone. The
    caller has anonymised the row (or is about to) in the same transaction. Returns counts
    (for the audit record: numbers only, nothing personal)."""
    _tombstone(conn, customer_id, erased_at, origin)
    at = now_iso()
    counts = {"messages": _scrub_messages(conn, customer_id, at),
              "device_tokens": _deactivate_tokens(conn, customer_id, at),
              "outbox_redacted": _redact_outbox(conn, customer_id)}
    hook = loyalty_forget_hook()
    blanked = hook(conn, customer_id) if hook is not None else 0
    counts["points_reasons"] = int(blanked) if isinstance(blanked, int) else 0
    # Counts only: the log never names the person (nor their id).
    log.info("erasure: cleared %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return counts


def anonymise_row(conn: Connection, customer_id: str, erased_at: str) -> None:
    """Blank the customer row, with SQLite's secure_delete on so the freed bytes holding the
    old name are zeroed (set back afterwards: the writer connection is shared)."""
    before = int(conn.exec_driver_sql("PRAGMA secure_delete").scalar() or 0)
    conn.exec_driver_sql("PRAGMA secure_delete=ON")
    try:
        conn.execute(update(Customer).where(Customer.id == customer_id).values(
            name=ERASED_NAME, phone_enc=None, phone_index=None, email_enc=None,
            address_enc=None, key_id=None, consent_marketing=False, credit_limit=0,
            updated_at=erased_at, erased_at=erased_at))
    finally:
        conn.exec_driver_sql(f"PRAGMA secure_delete={'ON' if before else 'OFF'}")


def apply_central_erasure(conn: Connection, customer_id: str, erased_at: str) -> bool:
    """An erasure another till made, as the pull brings it: the row anonymised (if this
    till has it), everything :func:`forget_everywhere` clears, and an audit record. True
    when this till had something to erase; a second delivery changes nothing."""
    from local_db.store import append_audit

    row = conn.execute(select(Customer.erased_at).where(Customer.id == customer_id)).first()
    already = is_tombstoned(conn, customer_id)
    if row is not None and row[0] is None:
        anonymise_row(conn, customer_id, erased_at)
    if already and (row is None or row[0] is not None):
        return False
    counts = forget_everywhere(conn, customer_id, erased_at=erased_at, origin="central")
    append_audit(conn, "customer.erase", entity="customer", entity_id=customer_id,
                 actor_id=None, details={"from": "central", **counts})
    return row is not None


__all__ = ["ERASED_NAME", "ERASED_REASON", "anonymise_row", "apply_central_erasure",
           "forget_everywhere", "is_tombstoned", "loyalty_forget_hook", "tombstoned_ids"]

"""A person's hands on the central channel's outbox: list it, retry a quarantined event,
discard one (supervisor, audited). The sync panel's central tab calls these.

Retry is offered for a *quarantined* event only, and it is safe because the push is
idempotent by event id. A quarantined event is already at central, stored beside its
``central.quarantine`` row (the push writes both in the batch's transaction before marking
it locally). Putting it back to ``pending`` makes the next push send the same immutable
event again: central finds the event id it holds, applies nothing a second time, reads its
quarantine verdict back and the event returns to ``quarantined`` with central's reason. The
verdict changes only if central's operator has cleared the event and its quarantine (having
fixed the cause: a missing product, a schema upgrade); then the event is applied fresh, in
its terminal-sequence place (central's ``last_seq`` only moves forward, and order is the
outbox seq, never a clock). So a retry can never duplicate or lose anything; at worst it
tells the person again what central said. A pending event is already being retried by the
worker, and a sent one is done: neither can be "retried".

Discard is the owner's acknowledgement that central will not take a quarantined event:
it leaves the quarantined count (status ``discarded``), keeps the row and its reason (the
outbox is history: its content is immutable and an unsent row cannot be deleted), needs a
supervisor's PIN and is recorded in the audit chain. A *pending* event is never discarded:
it is the shop's own record of a sale, refund or change that central must receive.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from local_db.ids import now_iso
from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.errors import Conflict, NotFound
from services.users import Actor, approve, authorize

DISCARDED = "discarded"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    seq: int
    event_id: str
    type: str
    status: str  # pending | quarantined | discarded | sent
    created_at: str
    sent_at: str | None
    last_error: str | None
    #: What the event is about, in the shop's words where its payload says it in clear: a
    #: product's name, a receipt or refund number, a supplier, a cash movement's reason.
    #: Never a customer's (encrypted) details. None when there is nothing to say.
    detail: str | None = None


_DETAIL = ("CASE WHEN type = 'product.upserted' THEN json_extract(payload, '$.name') "
           "WHEN type = 'sale.completed' THEN json_extract(payload, '$.receipt_no') "
           "WHEN type = 'sale.refunded' THEN coalesce(json_extract(payload, '$.refund_no'), "
           "json_extract(payload, '$.receipt_no')) "
           "WHEN type = 'goods.received' THEN json_extract(payload, '$.supplier') "
           "WHEN type LIKE 'cash.%' OR type LIKE 'stock.%' "
           "THEN json_extract(payload, '$.reason') END")
_COLUMNS = f"seq, id, type, status, created_at, sent_at, last_error, {_DETAIL} AS detail"


def _item(r: tuple[object, ...]) -> OutboxItem:
    detail = r[7] if len(r) > 7 else None
    return OutboxItem(int(str(r[0])), str(r[1]), str(r[2]), str(r[3]), str(r[4]),
                      None if r[5] is None else str(r[5]), None if r[6] is None else str(r[6]),
                      str(detail) if detail not in (None, "") else None)


def outbox_items(conn: Connection, *, limit: int = 200) -> list[OutboxItem]:
    """What the central channel still has to do or could not do: quarantined first (a
    person must act), then pending in push order, then discarded; sent rows are done."""
    quarantined = conn.execute(text(
        f"SELECT {_COLUMNS} FROM outbox WHERE status = 'quarantined' ORDER BY seq DESC "
        "LIMIT :n"), {"n": limit}).all()
    pending = conn.execute(text(
        f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT :n"),
        {"n": limit}).all()
    discarded = conn.execute(text(
        f"SELECT {_COLUMNS} FROM outbox WHERE status = :d ORDER BY seq DESC LIMIT :n"),
        {"n": limit, "d": DISCARDED}).all()
    return [_item(tuple(r)) for r in (*quarantined, *pending, *discarded)][:limit]


def outbox_counts(conn: Connection) -> dict[str, int]:
    return {str(s): int(n) for s, n in conn.execute(text(
        "SELECT status, count(*) FROM outbox WHERE status != 'sent' GROUP BY status"))}


def _row(uow: UnitOfWork, seq: int) -> OutboxItem:
    r = uow.conn.execute(text(f"SELECT {_COLUMNS} FROM outbox WHERE seq = :s"),
                         {"s": seq}).one_or_none()
    if r is None:
        raise NotFound(f"no outbox event with seq {seq}", field="seq")
    return _item(tuple(r))


def retry_quarantined(uow: UnitOfWork, actor: Actor, seq: int) -> OutboxItem:
    """Put a quarantined event back in the push queue (see the module doc: safe), audit
    it, commit."""
    authorize(uow, actor, "cashier", "sending a quarantined event again")
    row = _row(uow, seq)
    if row.status != "quarantined":
        raise Conflict(f"event {seq} is {row.status}: only a quarantined event can be sent "
                       "again (pending ones are sent by the sync worker by themselves)",
                       field="seq")
    done = uow.conn.execute(text(
        "UPDATE outbox SET status = 'pending', sent_at = NULL WHERE seq = :s "
        "AND status = 'quarantined'"), {"s": seq}).rowcount
    if done != 1:
        raise Conflict(f"event {seq} changed meanwhile; look again", field="seq")
    append_audit(uow.conn, "outbox.retry", entity="outbox", entity_id=row.event_id,
                 actor_id=actor.id, details={"seq": seq, "type": row.type,
                                             "reason": row.last_error})
    uow.commit()
    return _row(uow, seq)


def discard_quarantined(uow: UnitOfWork, actor: Actor, seq: int,
                        approval: tuple[str, str] | None) -> OutboxItem:
    """Acknowledge that central will not take a quarantined event. Needs a supervisor's
    name and PIN whoever is logged in (a wrong PIN is counted and committed by
    ``approve`` before the refusal); audited with who approved; commits."""
    authorize(uow, actor, "cashier", "discarding a quarantined event")
    row = _row(uow, seq)
    if row.status == "pending":
        raise Conflict(f"event {seq} is still waiting to be sent: a pending event is the "
                       "shop's record and is never discarded; it is sent when central is "
                       "reachable", field="seq")
    if row.status != "quarantined":
        raise Conflict(f"event {seq} is {row.status}: only a quarantined event can be "
                       "discarded", field="seq")
    user, pin = approval if approval else (None, None)
    approver = approve(uow, user, pin, "supervisor", "discarding a quarantined event")
    reason = f"discarded by {actor.name}"
    if approver.id != actor.id:
        reason += f" (approved by {approver.name})"
    done = uow.conn.execute(text(
        "UPDATE outbox SET status = :d, last_error = :why WHERE seq = :s "
        "AND status = 'quarantined'"),
        {"d": DISCARDED, "why": f"{reason}; central said: {row.last_error}", "s": seq}).rowcount
    if done != 1:
        raise Conflict(f"event {seq} changed meanwhile; look again", field="seq")
    append_audit(uow.conn, "outbox.discard", entity="outbox", entity_id=row.event_id,
                 actor_id=actor.id, approver_id=approver.id,
                 details={"seq": seq, "type": row.type, "reason": row.last_error,
                          "at": now_iso()})
    uow.commit()
    return _row(uow, seq)


__all__ = ["DISCARDED", "OutboxItem", "discard_quarantined", "outbox_counts", "outbox_items",
           "retry_quarantined"]

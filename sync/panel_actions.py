"""What a person does from the sync panel: send an item again, or give up on it. An item is
an outbox event going to central (by its sequence number) or a provider job (by its id),
in the panel's channel; each action is audited by the use case it calls."""

from __future__ import annotations

from local_db.ids import now_iso
from local_db.jobs import JobRow, job_row, set_state
from local_db.uow import UnitOfWork
from services.errors import BadInput, Conflict, NotFound
from services.provider_jobs import discard_job, replay_dead_job
from services.sync_status import channel_of
from services.users import Actor, approve
from sync.outbox_review import discard_quarantined, retry_quarantined

#: A supervisor's name and PIN as typed, not yet checked.
Pin = tuple[str, str]


def _seq(item_id: str) -> int:
    try:
        return int(item_id)
    except ValueError:
        raise BadInput(f"not an outbox sequence number: {item_id!r}", field="item_id") from None


def _job(uow: UnitOfWork, channel: str, item_id: str) -> JobRow:
    row = job_row(uow.conn, item_id)
    if row is None or channel_of(row.provider) != channel:
        raise NotFound(f"no job '{item_id}' in {channel}", field="item_id")
    return row


def retry_item(uow: UnitOfWork, actor: Actor, channel: str, item_id: str,
               approval: Pin | None = None) -> str:
    """Re-queue now; returns what was done, in words. Commits."""
    if channel == "central":
        seq = _seq(item_id)
        retry_quarantined(uow, actor, seq)
        return f"event {seq} queued again"
    row = _job(uow, channel, item_id)
    if row.state == "dead":
        # Moves money or messages again: the audited replay, a supervisor's (it asks a
        # dead-while-unknown job's provider first).
        replay_dead_job(uow, actor, item_id, approval)
        return f"job {item_id} queued again"
    if row.state not in ("pending", "failed", "unknown"):
        raise Conflict(f"job {item_id} is {row.state}: nothing to retry", field="item_id")
    # Not given up on: only sooner. Same state, due now; the breaker and the dead-letter
    # limit still apply.
    if not set_state(uow.conn, item_id, from_states=(row.state,), state=row.state,
                     now=now_iso(), last_error=row.last_error, next_attempt_at=now_iso()):
        raise Conflict(f"job {item_id} changed meanwhile; look again", field="item_id")
    uow.commit()
    return f"job {item_id} is due now"


def discard_item(uow: UnitOfWork, actor: Actor, channel: str, item_id: str,
                 approval: Pin) -> str:
    """Give up on an item: always a supervisor's name and PIN; audited. Commits."""
    if channel == "central":
        seq = _seq(item_id)
        discard_quarantined(uow, actor, seq, approval)
        return f"event {seq} discarded"
    _job(uow, channel, item_id)
    # A supervisor's PIN every time, even when a supervisor is logged in: giving up on a
    # payment or a parcel is a deliberate act. A wrong PIN is counted and committed by
    # approve() before the refusal.
    approve(uow, approval[0], approval[1], "supervisor", "discarding a provider job")
    discard_job(uow, actor, item_id, approval)
    return f"job {item_id} discarded"

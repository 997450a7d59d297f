"""A supervisor's hands on provider jobs: replay a dead job, discard a stuck one, list them.

Both moves are audited in the hash chain with who approved them: replaying a payment job
moves money, discarding one gives up on it.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection

from local_db.ids import now_iso
from local_db.jobs import ALL_STATES, UNRESOLVED_PREFIX, JobRow, job_row, job_rows, set_state
from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.sync_status import channel_of
from services.errors import Conflict, NotFound
from services.users import Actor, approve, authorize

#: States a discard may move to dead. in_flight is not one: a worker holds the job right now.
DISCARDABLE = ("pending", "failed", "unknown")


def _approver(uow: UnitOfWork, actor: Actor, approval: tuple[str, str] | None,
              what: str) -> Actor:
    """A supervisor or owner approves their own move (they signed in with their PIN);
    anyone else needs a supervisor's name and PIN. A wrong PIN commits its own failure
    count and raises before anything else is written."""
    actor = authorize(uow, actor, "cashier", what)
    if actor.at_least("supervisor"):
        return actor
    user, pin = approval if approval else (None, None)
    return approve(uow, user, pin, "supervisor", what)


def _job(uow: UnitOfWork, job_id: str) -> JobRow:
    row = job_row(uow.conn, job_id)
    if row is None:
        raise NotFound(f"no provider job '{job_id}'", field="job_id")
    return row


def replay_dead_job(uow: UnitOfWork, actor: Actor, job_id: str,
                    approval: tuple[str, str] | None = None) -> JobRow:
    """Put a dead job back in the queue with its attempts reset, and commit.

    It goes back to pending, except a job that died while its outcome was still unknown:
    that one goes back to unknown, so the dispatcher asks the provider what happened before
    anything is sent again (a payment must never be charged twice by a replay).
    """
    row = _job(uow, job_id)
    if row.state != "dead":
        raise Conflict(f"job {job_id} is {row.state}, not dead: only a dead job is replayed",
                       field="job_id")
    approver = _approver(uow, actor, approval, "replaying a provider job")
    target = "unknown" if (row.last_error or "").startswith(UNRESOLVED_PREFIX) else "pending"
    now = now_iso()
    if not set_state(uow.conn, job_id, from_states=("dead",), state=target, now=now,
                     last_error=None, attempts=0, next_attempt_at=now):
        raise Conflict(f"job {job_id} changed meanwhile; look again", field="job_id")
    append_audit(uow.conn, "job.replay", entity="provider_job", entity_id=job_id,
                 actor_id=actor.id, approver_id=approver.id,
                 details={"provider": row.provider, "kind": row.kind, "ref_id": row.ref_id,
                          "attempts": row.attempts, "reason": row.last_error, "to": target})
    uow.commit()
    return _job(uow, job_id)


def discard_job(uow: UnitOfWork, actor: Actor, job_id: str,
                approval: tuple[str, str] | None = None) -> JobRow:
    """Give up on a job that is not done (pending, failed or unknown): it goes dead with the
    reason "discarded by NAME", and the move is audited and committed."""
    row = _job(uow, job_id)
    if row.state not in DISCARDABLE:
        raise Conflict(f"job {job_id} is {row.state}: only a pending, failed or unknown job "
                       "can be discarded", field="job_id")
    approver = _approver(uow, actor, approval, "discarding a provider job")
    reason = f"discarded by {actor.name}"
    if approver.id != actor.id:
        reason += f" (approved by {approver.name})"
    if row.state == "unknown":
        # Still perhaps done at the provider: a later replay must ask before sending.
        reason = UNRESOLVED_PREFIX + reason
    now = now_iso()
    if not set_state(uow.conn, job_id, from_states=(row.state,), state="dead", now=now,
                     last_error=reason, next_attempt_at=None):
        raise Conflict(f"job {job_id} changed meanwhile; look again", field="job_id")
    _show_on_the_row(uow.conn, row, now)
    append_audit(uow.conn, "job.discard", entity="provider_job", entity_id=job_id,
                 actor_id=actor.id, approver_id=approver.id,
                 details={"provider": row.provider, "kind": row.kind, "ref_id": row.ref_id,
                          "from": row.state, "attempts": row.attempts,
                          "last_error": row.last_error})
    uow.commit()
    return _job(uow, job_id)


def _show_on_the_row(conn: Connection, row: JobRow, now: str) -> None:
    """A parcel or a message given up on says so on its own row (the shipments list and the
    message log show it), in the same transaction as the discard."""
    channel = channel_of(row.provider)
    if channel == "couriers":
        from services.shipping import job_discarded
        job_discarded(conn, row, now)
    elif channel in ("email", "messaging", "push"):
        from services.messaging import job_discarded as message_discarded
        message_discarded(conn, row, now)


def job_list(conn: Connection, provider: str | None = None,
             states: Collection[str] = ALL_STATES, limit: int = 200) -> list[JobRow]:
    """Jobs for the sync panel, newest first."""
    return job_rows(conn, provider=provider, states=states, limit=limit)


__all__ = ["DISCARDABLE", "JobRow", "discard_job", "job_list", "replay_dead_job"]

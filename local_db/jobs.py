"""The provider-job table's queries: claiming due jobs, recording outcomes, figures.

The dispatcher (``sync/jobs``) owns the policy (backoff, breaker, which state comes next);
this module owns the SQL, so that the till, the dispatcher and the supervisor's panel all
move a job through the same few statements. Every function takes the Core connection of the
caller's unit of work and never commits: a claim is committed by its caller *before* any
network call, so the single writer connection is never held while a provider is slow.

Times are ISO-8601 UTC text with microseconds (``local_db.ids.now_iso``'s format); that
format has a fixed width, so comparing the text compares the instants.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from local_db.ids import now_iso
from local_db.models import ProviderJob
from local_db.store import canonical_json

#: States the dispatcher picks up when their ``next_attempt_at`` has come.
DUE_STATES = ("pending", "failed", "unknown")
#: States of a job not finished yet (counted as waiting in the figures).
OPEN_STATES = ("pending", "in_flight", "unknown", "failed")
ALL_STATES = ("pending", "in_flight", "succeeded", "unknown", "failed", "dead")
#: Prefix of ``last_error`` on a job that went dead while its outcome was still unknown. A
#: replay of such a job must ask the provider first, never send again (see replay_dead_job).
UNRESOLVED_PREFIX = "unresolved: "


def iso(moment: datetime) -> str:
    """A datetime as the table's time text (UTC, microseconds, fixed width)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place in the job table")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def iso_after(now: str, seconds: float) -> str:
    return iso(datetime.fromisoformat(now) + timedelta(seconds=seconds))


@dataclass(frozen=True, slots=True)
class JobRow:
    """One provider_job row with its JSON columns parsed."""

    id: str
    provider: str
    kind: str
    ref_id: str | None
    state: str
    attempts: int
    idempotency_key: str
    payload: Mapping[str, Any]
    result: Mapping[str, Any] | None
    last_error: str | None
    created_at: str
    updated_at: str
    next_attempt_at: str | None


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """A job a worker now holds until ``lease_until``.

    ``row.state`` is the state *before* the claim (pending/failed for a perform; unknown, or
    in_flight for a crashed worker's job, for a resolve); ``row.attempts`` counts this try.
    ``lease_until`` is also the claim's token: an outcome recorded with it is refused once
    another worker has taken the job over after the lease ran out.
    """

    row: JobRow
    action: str  # "perform" | "resolve"
    lease_until: str


_COLUMNS = (ProviderJob.id, ProviderJob.provider, ProviderJob.kind, ProviderJob.ref_id,
            ProviderJob.state, ProviderJob.attempts, ProviderJob.idempotency_key,
            ProviderJob.payload, ProviderJob.result, ProviderJob.last_error,
            ProviderJob.created_at, ProviderJob.updated_at, ProviderJob.next_attempt_at)


def _loads(text: str | None) -> Mapping[str, Any] | None:
    if text is None:
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


def _row(r: Any) -> JobRow:  # a Row of _COLUMNS
    return JobRow(id=r.id, provider=r.provider, kind=r.kind, ref_id=r.ref_id, state=r.state,
                  attempts=int(r.attempts), idempotency_key=r.idempotency_key,
                  payload=_loads(r.payload) or {}, result=_loads(r.result),
                  last_error=r.last_error, created_at=r.created_at, updated_at=r.updated_at,
                  next_attempt_at=r.next_attempt_at)


def claim_due(conn: Connection, provider: str, now: str, lease_seconds: float, limit: int, *,
              kinds: Collection[str] | None = None,
              exclude: Collection[str] = ()) -> list[ClaimedJob]:
    """Take up to ``limit`` of ``provider``'s due jobs: pending/failed/unknown whose time has
    come, and in_flight ones whose lease ran out (their worker crashed or hung after perhaps
    sending: they are *resolved*, never performed again).

    Each becomes in_flight with ``next_attempt_at`` = now + lease, and its attempts grow by
    one (a resolve is a try too: it bounds the backoff and the dead-letter limit). ``kinds``
    limits the claim to kinds that have a handler, so that a job nobody can run stays pending
    untouched; ``exclude`` keeps out jobs the caller already ran in this round.
    """
    due = func.coalesce(ProviderJob.next_attempt_at, "") <= now
    query = (select(*_COLUMNS)
             .where(ProviderJob.provider == provider,
                    or_(and_(ProviderJob.state.in_(DUE_STATES), due),
                        and_(ProviderJob.state == "in_flight", due)))
             .order_by(ProviderJob.next_attempt_at, ProviderJob.created_at, ProviderJob.id)
             .limit(limit))
    if kinds is not None:
        query = query.where(ProviderJob.kind.in_(list(kinds)))
    if exclude:
        query = query.where(ProviderJob.id.not_in(list(exclude)))
    lease_until = iso_after(now, lease_seconds)
    claimed: list[ClaimedJob] = []
    for r in conn.execute(query).all():
        row = _row(r)
        action = "perform" if row.state in ("pending", "failed") else "resolve"
        conn.execute(update(ProviderJob).where(ProviderJob.id == row.id).values(
            state="in_flight", attempts=row.attempts + 1, next_attempt_at=lease_until,
            updated_at=now))
        claimed.append(ClaimedJob(_replace_attempts(row, row.attempts + 1), action,
                                  lease_until))
    return claimed


def _replace_attempts(row: JobRow, attempts: int) -> JobRow:
    return JobRow(row.id, row.provider, row.kind, row.ref_id, row.state, attempts,
                  row.idempotency_key, row.payload, row.result, row.last_error,
                  row.created_at, row.updated_at, row.next_attempt_at)


def record_outcome(conn: Connection, job_id: str, *, state: str, now: str,
                   next_attempt_at: str | None, last_error: str | None,
                   result: Mapping[str, Any] | None = None, attempts: int | None = None,
                   lease_until: str | None = None) -> bool:
    """Store what came of a try: the next ``state``, when to look again, the error (None
    clears it) and the provider's result (None keeps the stored one, so a retry does not
    lose what an earlier answer said). ``attempts`` overrides the count (a payment still
    waiting for its customer starts counting afresh).

    Only an in_flight job is updated, and with ``lease_until`` only the claim that holds it:
    a worker that outlived its lease must not overwrite what its successor found. Returns
    whether the row was updated.
    """
    if state not in ALL_STATES or state == "in_flight":
        raise ValueError(f"not a state to record: {state}")
    values: dict[str, Any] = {"state": state, "next_attempt_at": next_attempt_at,
                              "last_error": last_error, "updated_at": now}
    if result is not None:
        values["result"] = canonical_json(dict(result))
    if attempts is not None:
        values["attempts"] = attempts
    stmt = update(ProviderJob).where(ProviderJob.id == job_id,
                                     ProviderJob.state == "in_flight")
    if lease_until is not None:
        stmt = stmt.where(ProviderJob.next_attempt_at == lease_until)
    return conn.execute(stmt.values(**values)).rowcount == 1


def mark_in_flight(conn: Connection, job_id: str, lease_seconds: float) -> None:
    """The till is about to perform this job itself (a customer-present charge). If the till
    dies before recording the outcome, the dispatcher finds the lease expired and *resolves*
    the job by asking the provider, so the customer is never charged twice."""
    now = now_iso()
    done = conn.execute(update(ProviderJob).where(
        ProviderJob.id == job_id, ProviderJob.state.in_(("pending", "failed"))).values(
        state="in_flight", attempts=ProviderJob.attempts + 1,
        next_attempt_at=iso_after(now, lease_seconds), updated_at=now)).rowcount
    if done != 1:
        raise LookupError(f"provider job {job_id} is not waiting to be performed")


def set_state(conn: Connection, job_id: str, *, from_states: Collection[str], state: str,
              now: str, last_error: str | None, attempts: int | None = None,
              next_attempt_at: str | None = None) -> bool:
    """A supervisor's move (replay, discard): only from ``from_states``; returns whether the
    job was in one of them."""
    values: dict[str, Any] = {"state": state, "last_error": last_error, "updated_at": now,
                              "next_attempt_at": next_attempt_at}
    if attempts is not None:
        values["attempts"] = attempts
    return conn.execute(update(ProviderJob).where(
        ProviderJob.id == job_id, ProviderJob.state.in_(list(from_states)))
        .values(**values)).rowcount == 1


def job_row(conn: Connection, job_id: str) -> JobRow | None:
    r = conn.execute(select(*_COLUMNS).where(ProviderJob.id == job_id)).one_or_none()
    return None if r is None else _row(r)


def job_by_key(conn: Connection, provider: str, kind: str, key: str) -> JobRow | None:
    """A job by its idempotency key (e.g. a charge by its Midtrans order_id)."""
    r = conn.execute(select(*_COLUMNS).where(
        ProviderJob.provider == provider, ProviderJob.kind == kind,
        ProviderJob.idempotency_key == key)).one_or_none()
    return None if r is None else _row(r)


def job_rows(conn: Connection, *, provider: str | None = None,
             states: Collection[str] = ALL_STATES, limit: int = 200) -> list[JobRow]:
    """Jobs for a panel: newest first."""
    query = select(*_COLUMNS).where(ProviderJob.state.in_(list(states)))
    if provider is not None:
        query = query.where(ProviderJob.provider == provider)
    query = query.order_by(ProviderJob.created_at.desc(), ProviderJob.id.desc()).limit(limit)
    return [_row(r) for r in conn.execute(query).all()]


def open_kinds(conn: Connection) -> dict[tuple[str, str], int]:
    """(provider, kind) -> count of jobs not finished yet: which handlers the queue needs."""
    rows = conn.execute(select(ProviderJob.provider, ProviderJob.kind, func.count())
                        .where(ProviderJob.state.in_(OPEN_STATES))
                        .group_by(ProviderJob.provider, ProviderJob.kind)).all()
    return {(str(p), str(k)): int(n) for p, k, n in rows}


@dataclass(frozen=True, slots=True)
class ProviderCounts:
    provider: str
    pending: int
    in_flight: int
    unknown: int
    failed: int
    dead: int
    succeeded: int
    oldest_open_created_at: str | None  # oldest job not finished yet (any open state)
    last_succeeded_at: str | None


def figures(conn: Connection) -> dict[str, ProviderCounts]:
    """Per provider: jobs in each state, the oldest unfinished job's creation time and when a
    job last succeeded (one grouped scan; the table holds days of jobs, not years)."""
    counts: dict[str, dict[str, int]] = {}
    for provider, state, n in conn.execute(
            select(ProviderJob.provider, ProviderJob.state, func.count())
            .group_by(ProviderJob.provider, ProviderJob.state)).all():
        counts.setdefault(str(provider), {})[str(state)] = int(n)
    oldest = {str(p): str(t) for p, t in conn.execute(
        select(ProviderJob.provider, func.min(ProviderJob.created_at))
        .where(ProviderJob.state.in_(OPEN_STATES)).group_by(ProviderJob.provider)).all()}
    last_ok = {str(p): str(t) for p, t in conn.execute(
        select(ProviderJob.provider, func.max(ProviderJob.updated_at))
        .where(ProviderJob.state == "succeeded").group_by(ProviderJob.provider)).all()}
    return {p: ProviderCounts(p, c.get("pending", 0), c.get("in_flight", 0),
                              c.get("unknown", 0), c.get("failed", 0), c.get("dead", 0),
                              c.get("succeeded", 0), oldest.get(p), last_ok.get(p))
            for p, c in sorted(counts.items())}


__all__ = ["ALL_STATES", "DUE_STATES", "OPEN_STATES", "UNRESOLVED_PREFIX", "ClaimedJob",
           "JobRow", "ProviderCounts", "claim_due", "figures", "iso", "iso_after", "job_by_key",
           "job_row",
           "job_rows", "mark_in_flight", "open_kinds", "record_outcome", "set_state"]

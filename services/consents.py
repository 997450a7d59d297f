"""Marketing consent: every change recorded with its time, source and who (UU PDP).

``record_consent`` is the one path that changes a customer's ``consent_marketing`` outside
the customer form: the back office, the CLI, and the campaigns' opt-out (unsubscribe link,
STOP reply) call it. ``services.customers`` writes the same log through
:func:`write_consent` when a customer is created or edited. Each change is a
``consent_event`` row and a ``customer.consent`` outbox event (central keeps the history
and moves its copy of the flag). No personal data travels: ids, the flag, source, who.

A withdrawal stops processing at once (UU PDP asks within 3×24 h): marketing messages to
the person still queued (their job not yet taken by the dispatcher) are rejected with the
reason "consent withdrawn" and their jobs end as dead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final, Literal

from sqlalchemy import Connection, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import CONSENT_SOURCES, ConsentEvent, Customer, Message, ProviderJob
from local_db.store import append_outbox
from local_db.uow import UnitOfWork
from services.errors import BadInput, Conflict, NotFound, Refused
from services.users import Actor, authorize

#: ``actor`` of a change the customer made themself (unsubscribe link, STOP reply).
CUSTOMER: Final = "customer"
#: Sources through which only the customer acts, and only to withdraw.
CUSTOMER_SOURCES = ("unsubscribe", "stop")
WITHDRAWN_ERROR = "consent withdrawn"


@dataclass(frozen=True, slots=True)
class ConsentChange:
    id: str
    customer_id: str
    granted: bool
    source: str
    actor: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ConsentOutcome:
    """What :func:`record_consent` did: ``change`` is None when the flag already was so
    (nothing written); ``messages_stopped`` counts queued marketing messages cancelled."""

    customer_id: str
    granted: bool
    change: ConsentChange | None
    messages_stopped: int

    def as_dict(self) -> dict[str, Any]:
        return {"customer_id": self.customer_id, "granted": self.granted,
                "changed": self.change is not None,
                "change": None if self.change is None else self.change.as_dict(),
                "messages_stopped": self.messages_stopped}


def _source(source: str) -> str:
    if source not in CONSENT_SOURCES:
        raise BadInput(f"source is one of {', '.join(CONSENT_SOURCES)}", field="source")
    return source


def write_consent(conn: Connection, customer_id: str, granted: bool, *, source: str,
                  actor: str, at: str | None = None) -> ConsentChange:
    """Log one change (the caller changed the flag, decided rights and commits)."""
    change = ConsentChange(uuid7(), customer_id, bool(granted), _source(source), actor,
                           at or now_iso())
    conn.execute(insert(ConsentEvent).values(**change.as_dict()))
    append_outbox(conn, "customer.consent", change.as_dict(), aggregate_id=customer_id,
                  created_at=change.created_at)
    return change


def end_jobs_of(conn: Connection, job_ids: list[str], customer_id: str, *, reason: str,
                at: str, states: tuple[str, ...] = ("pending",)) -> int:
    """End (as dead) the jobs in ``job_ids`` that are in ``states`` and carry messages to
    this customer only: a bulk email job shared with other recipients goes on (its
    handler skips a message that is no longer sendable)."""
    alone = [j for j in dict.fromkeys(job_ids) if not conn.execute(
        select(Message.id).where(Message.job_id == j, (Message.customer_id.is_(None))
                                 | (Message.customer_id != customer_id)).limit(1)).first()]
    if not alone:
        return 0
    result = conn.execute(update(ProviderJob).where(ProviderJob.id.in_(alone),
                                                    ProviderJob.state.in_(states)).values(
        state="dead", last_error=reason, updated_at=at))
    return int(result.rowcount or 0)


def stop_queued_marketing(conn: Connection, customer_id: str, *, reason: str,
                          at: str) -> int:
    """Reject marketing messages to the customer that no dispatcher has taken yet; their
    own jobs end as dead. A message already in flight is left to finish (it cannot be
    called back); anything queued later is the campaign's audience check's business."""
    rows = conn.execute(
        select(Message.id, Message.job_id).outerjoin(ProviderJob, ProviderJob.id == Message.job_id)
        .where(Message.customer_id == customer_id, Message.purpose == "marketing",
               Message.status == "queued",
               (ProviderJob.id.is_(None)) | (ProviderJob.state == "pending"))).all()
    if not rows:
        return 0
    ids = [str(r[0]) for r in rows]
    conn.execute(update(Message).where(Message.id.in_(ids)).values(
        status="rejected", error=reason, updated_at=at))
    end_jobs_of(conn, [str(r[1]) for r in rows if r[1] is not None], customer_id,
                reason=reason, at=at)
    return len(ids)


def record_consent(uow: UnitOfWork, actor: Actor | Literal["customer"], customer_id: str,
                   granted: bool, source: str, *, commit: bool = True) -> ConsentOutcome:
    """Set a customer's marketing consent and log the change.

    ``actor`` is the user acting (a cashier may record what the customer says at the till)
    or :data:`CUSTOMER` for the person themself, who may only withdraw, and only through
    an unsubscribe link or a STOP reply. ``commit=False`` leaves the commit to a caller
    that writes more in the same transaction (the campaigns' opt-out handler)."""
    conn = uow.conn
    clean = _source(source)
    if actor == CUSTOMER:
        if granted or clean not in CUSTOMER_SOURCES:
            raise Refused("a customer withdraws consent only by an unsubscribe link or a "
                          "STOP reply", field="source")
        who = CUSTOMER
    else:
        assert isinstance(actor, Actor)
        if clean in CUSTOMER_SOURCES:
            raise BadInput("unsubscribe and stop are the customer's own sources",
                           field="source")
        who = authorize(uow, actor, "cashier", "changing a customer's consent").id
    row = conn.execute(select(Customer.consent_marketing, Customer.erased_at)
                       .where(Customer.id == customer_id)).first()
    if row is None:
        raise NotFound(f"no customer {customer_id}", field="customer")
    if row[1] is not None:
        if not granted:  # already erased: consent is gone with the person
            return ConsentOutcome(customer_id, False, None, 0)
        raise Conflict("this customer's data was erased", field="customer")
    stamp = now_iso()
    change = None
    if bool(row[0]) != bool(granted):
        conn.execute(update(Customer).where(Customer.id == customer_id).values(
            consent_marketing=bool(granted), updated_at=stamp))
        change = write_consent(conn, customer_id, bool(granted), source=clean, actor=who,
                               at=stamp)
    stopped = 0 if granted else stop_queued_marketing(conn, customer_id,
                                                      reason=WITHDRAWN_ERROR, at=stamp)
    if commit:
        uow.commit()
    return ConsentOutcome(customer_id, bool(granted), change, stopped)


def consent_history(conn: Connection, customer_id: str) -> tuple[ConsentChange, ...]:
    """Every recorded change for the customer, oldest first."""
    rows = conn.execute(select(ConsentEvent.id, ConsentEvent.customer_id, ConsentEvent.granted,
                               ConsentEvent.source, ConsentEvent.actor, ConsentEvent.created_at)
                        .where(ConsentEvent.customer_id == customer_id)
                        .order_by(ConsentEvent.created_at, ConsentEvent.id)).mappings()
    return tuple(ConsentChange(str(r["id"]), str(r["customer_id"]), bool(r["granted"]),
                               str(r["source"]), str(r["actor"]), str(r["created_at"]))
                 for r in rows)


__all__ = ["CONSENT_SOURCES", "CUSTOMER", "CUSTOMER_SOURCES", "ConsentChange", "ConsentOutcome",
           "WITHDRAWN_ERROR", "consent_history", "end_jobs_of", "record_consent", "stop_queued_marketing",
           "write_consent"]

"""Dispatcher handlers for courier jobs: ``create``, ``track`` and ``cancel`` per client.

**Never two labels for one parcel.** The shipment's UUID is the merchant reference
(Biteship ``reference_id``, JNE ``OLSHOP_ORDERID``, J&T ``orderid``), made at the till and
never regenerated. A create whose outcome is unknown (a timeout after sending, a dropped
reply, a worker that died in flight) is *resolved*: the courier is asked first
(``client.find``) and only a ``not_found`` lets the order be sent again.

- Biteship creates in two steps: the draft (no label, no pickup, no charge) is made, its id
  committed on the shipment in a short transaction of its own, and only then confirmed.
  After a lost reply the stored draft id is looked up and confirmed at most once (the
  client reads the draft before confirming).
- J&T: a duplicate ``orderid`` ("Orderid tidak boleh sama") comes back as ``exists``: the
  order was made by an earlier try; it is looked up and recorded, nothing is sent again.
- JNE has no look-up by our order id. Our assumption, stated in the JNE client and here:
  JNE deduplicates ``generatecnote`` on ``OLSHOP_ORDERID`` (the same id answers the same
  CNOTE or a duplicate refusal the client reads as ``exists``), so re-sending the same
  reference after an unknown outcome is how it is resolved. If a JNE account turns out
  not to dedupe, a double CNOTE is possible only after a lost reply, never after a double
  click or a batch re-run (those never reach the courier twice: the request key).

**Tracking**: one ``track`` job per shipment, armed when the courier accepts the order,
re-armed with :meth:`JobOutcome.check_again` after a growing wait
(:func:`services.shipping_record.track_delay`) and ended at a final status. A shop PC
behind NAT gets no webhooks, so it polls; a poll that finds nothing new waits longer.

Rate limits live in the clients (token buckets per endpoint group); a 429 is a ``retry``
with the courier's wait, which the dispatcher honours as a floor on its backoff.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

from local_db.engine import Database
from local_db.uow import UnitOfWork
from services.courier_port import FINAL_STATUSES, CourierClient, CourierReply
from services.crypto import FieldCipher
from services.shipping_query import BatchProgress, batch_progress
from services.shipping_record import (
    CANCEL,
    CREATE,
    FIRST_TRACK_SECONDS,
    TRACK,
    ShipmentWork,
    StatusHook,
    load_work,
    note_of,
    open_job_state,
    record_cancelled,
    record_created,
    record_error,
    record_track,
    set_next_track,
    store_draft,
    track_delay,
)
from sync.jobs.model import Job, JobHandler, JobOutcome

log = logging.getLogger(__name__)

#: Couriers with no look-up by our reference: after a lost reply the same reference is
#: sent again (JNE deduplicates generatecnote on OLSHOP_ORDERID: our stated assumption).
#: J&T likewise has no look-up by orderid, and documents the duplicate refusal ("Orderid
#: tidak boleh sama", read as ``exists``) that makes a resend safe.
RESEND_WHEN_BLIND = frozenset({"jne", "jnt"})
#: How soon a cancel waiting for its create to finish looks again.
WAIT_FOR_CREATE_SECONDS = 15.0
#: A track job of a shipment still queued (its create not done) looks again after this.
NOT_YET_CREATED_SECONDS = 60.0


@runtime_checkable
class TwoStepCreate(Protocol):
    """A courier that creates in two steps (Biteship draft orders)."""

    def create_draft(self, order: Any) -> CourierReply: ...

    def confirm_draft(self, draft_id: str) -> CourierReply: ...


def _not_now(reply: CourierReply, *, write: bool) -> JobOutcome:
    """A retry/unknown answer as a job outcome (a value, never raised)."""
    msg = reply.message or reply.outcome
    if reply.outcome == "unknown" and write:
        return JobOutcome.unknown(msg, retry_after=reply.retry_after)
    return JobOutcome.retry(msg, retry_after=reply.retry_after)


def _ids(reply: CourierReply) -> dict[str, Any]:
    return {k: v for k, v in (("provider_order_id", reply.provider_order_id),
                              ("draft_order_id", reply.draft_order_id),
                              ("waybill_id", reply.waybill_id),
                              ("tracking_id", reply.tracking_id), ("status", reply.status),
                              ("price", reply.price)) if v is not None}


def _is_draft_only(reply: CourierReply) -> bool:
    return (reply.provider_order_id is None and reply.draft_order_id is not None
            and reply.status in (None, "queued"))


class _Base:
    def __init__(self, db: Database, cipher: FieldCipher, client: CourierClient,
                 hook: StatusHook | None) -> None:
        self._db = db
        self._cipher = cipher
        self._client = client
        self._hook = hook

    def _work(self, job: Job) -> ShipmentWork | None:
        sid = str(job.payload.get("shipment_id") or job.ref_id or "")
        with UnitOfWork(self._db, write=False) as uow:
            return load_work(uow.conn, self._cipher, sid,
                             note_of(self._cipher, sid, job.payload))


class CreateHandler(_Base):
    """``(client, "create")``: send the order once; resolve by looking it up."""

    def __init__(self, db: Database, cipher: FieldCipher, client: CourierClient,
                 hook: StatusHook | None, *,
                 first_track_seconds: float = FIRST_TRACK_SECONDS,
                 resend_when_blind: bool | None = None) -> None:
        super().__init__(db, cipher, client, hook)
        self._first_track = first_track_seconds
        #: The courier cannot be asked about our reference (JNE without a CNOTE number):
        #: the resolution is to send the same reference again, which it deduplicates on.
        self._resend_when_blind = (getattr(client, "name", "") in RESEND_WHEN_BLIND
                                   if resend_when_blind is None else resend_when_blind)

    def perform(self, job: Job) -> JobOutcome:
        return self._create(job, resolving=False)

    def resolve(self, job: Job) -> JobOutcome:
        return self._create(job, resolving=True)

    def _create(self, job: Job, *, resolving: bool) -> JobOutcome:
        work = self._work(job)
        if work is None:
            return JobOutcome.failed("the shipment is gone from this till")
        if work.status != "queued":
            # Recorded by an earlier try whose job outcome was not stored (a crash between).
            return JobOutcome.succeeded({"status": work.status, "already": True})
        if work.order is None:
            self._error(work, "the shop's sending address is not set (courier.origin.*)")
            return JobOutcome.retry("the shop's sending address is not set", retry_after=300)
        maybe_sent = resolving or work.keys.draft_order_id is not None
        if maybe_sent:
            found = self._client.find(work.keys)
            if found.outcome == "ok" and not _is_draft_only(found):
                return self._created(work, found)
            if found.outcome == "not_found" and found.draft_order_id \
                    and found.draft_order_id != work.keys.draft_order_id:
                work = work.with_draft(found.draft_order_id)
            elif found.outcome == "unknown" and self._resend_when_blind \
                    and work.keys.waybill_id is None:
                log.info("shipment %s: %s cannot be asked; sending the same reference again",
                         work.id, getattr(self._client, "name", "courier"))
            elif found.outcome not in ("not_found", "ok"):
                self._error(work, found.message)
                return _not_now(found, write=True)
        if work.cancel_requested:
            # Cancelled before the courier made an order (a draft at most: no label).
            with UnitOfWork(self._db) as uow:
                record_cancelled(uow, work.id, "cancelled before it was sent",
                                 hook=self._hook)
            return JobOutcome.succeeded({"cancelled_before_sending": True})
        return self._send(work)

    def _send(self, work: ShipmentWork) -> JobOutcome:
        order = work.order
        assert order is not None
        client = self._client
        if isinstance(client, TwoStepCreate) and work.keys.draft_order_id is None:
            draft = client.create_draft(order)
            if draft.outcome != "ok" or draft.draft_order_id is None:
                return self._answer(work, draft)
            with UnitOfWork(self._db) as uow:  # committed BEFORE confirming
                store_draft(uow, work.id, draft.draft_order_id)
            work = work.with_draft(draft.draft_order_id)
            reply = client.confirm_draft(draft.draft_order_id)
        else:
            reply = client.create(order, work.keys)
        return self._answer(work, reply)

    def _answer(self, work: ShipmentWork, reply: CourierReply) -> JobOutcome:
        if reply.outcome == "ok":
            if _is_draft_only(reply):
                # A draft and no order yet: store it; the next try confirms it.
                if reply.draft_order_id:
                    with UnitOfWork(self._db) as uow:
                        store_draft(uow, work.id, reply.draft_order_id)
                return JobOutcome.retry("draft made, not confirmed yet", retry_after=1.0)
            return self._created(work, reply)
        if reply.outcome == "exists":
            if reply.waybill_id:  # the courier named the order it already holds
                return self._created(work, reply)
            found = self._client.find(work.keys)
            if found.outcome == "ok" and not _is_draft_only(found):
                return self._created(work, found)
            if found.outcome == "unknown" and self._resend_when_blind:
                # The courier holds it (it said so) and cannot be asked for more: it is
                # created; its airway bill comes with tracking or from the courier's desk.
                return self._created(work, reply, note=(
                    "the courier holds this order (duplicate reference) but did not tell "
                    "its airway bill; ask the courier for it"))
            if found.outcome in ("retry", "unknown", "not_found"):
                # It exists (the courier said so) but we cannot read it yet: ask again.
                msg = f"exists at the courier, look-up pending: {found.message or ''}"
                self._error(work, msg)
                return JobOutcome.unknown(msg.strip(), retry_after=found.retry_after)
            self._error(work, found.message)
            return JobOutcome.unknown(found.message or "exists; look-up refused")
        if reply.outcome == "rejected":
            msg = reply.message or "refused by the courier"
            if reply.field:
                msg = f"{msg} (field {reply.field})"
            with UnitOfWork(self._db) as uow:
                record_error(uow, work.id, msg, hook=self._hook, final=True)
            return JobOutcome.failed(msg, result=_ids(reply))
        if reply.outcome == "not_found":
            # A stored draft vanished at the courier: no order exists; make it afresh.
            return JobOutcome.retry(reply.message or "not found at the courier")
        self._error(work, reply.message)
        return _not_now(reply, write=True)

    def _created(self, work: ShipmentWork, reply: CourierReply,
                 note: str | None = None) -> JobOutcome:
        with UnitOfWork(self._db) as uow:
            status = record_created(uow, work.id, reply, hook=self._hook,
                                    first_track_seconds=self._first_track, note=note)
        return JobOutcome.succeeded({**_ids(reply), "status": status})

    def _error(self, work: ShipmentWork, message: str | None) -> None:
        if message:
            with UnitOfWork(self._db) as uow:
                record_error(uow, work.id, message)


class TrackHandler(_Base):
    """``(client, "track")``: poll the courier; re-armed with a growing wait until final."""

    def __init__(self, db: Database, cipher: FieldCipher, client: CourierClient,
                 hook: StatusHook | None, *,
                 delay: Callable[[str, int], float] = track_delay) -> None:
        super().__init__(db, cipher, client, hook)
        self._delay = delay

    def perform(self, job: Job) -> JobOutcome:
        work = self._work(job)
        if work is None:
            return JobOutcome.failed("the shipment is gone from this till")
        if work.status in FINAL_STATUSES:
            return JobOutcome.succeeded({"status": work.status})
        if work.status == "queued":
            return JobOutcome.check_again(NOT_YET_CREATED_SECONDS, {"status": "queued"})
        unchanged = int((job.result or {}).get("unchanged", 0))
        if isinstance(self._client, TwoStepCreate) and work.keys.provider_order_id:
            # Biteship: the order itself carries the history *and* the price (re-priced
            # after pickup); its tracking answer has no price.
            reply = self._client.find(work.keys)
        else:
            reply = self._client.track(work.keys)
        if reply.outcome == "ok":
            with UnitOfWork(self._db) as uow:
                status, changed = record_track(uow, work.id, reply, hook=self._hook,
                                               next_seconds=None)
            if status in FINAL_STATUSES:
                return JobOutcome.succeeded({"status": status})
            unchanged = 0 if changed else unchanged + 1
        elif reply.outcome == "not_found":  # the waybill not in the courier's system yet
            status, unchanged = work.status, unchanged + 1
        else:
            return JobOutcome.retry(reply.message or reply.outcome,
                                    retry_after=reply.retry_after)
        wait = self._delay(status, unchanged)
        with UnitOfWork(self._db) as uow:
            set_next_track(uow, work.id, wait)
        return JobOutcome.check_again(wait, {"status": status, "unchanged": unchanged})

    def resolve(self, job: Job) -> JobOutcome:
        return self.perform(job)  # a poll changes nothing at the courier


class CancelHandler(_Base):
    """``(client, "cancel")``: cancel at the courier with the reason, once it holds the
    order; refused after pickup (the reason stays on the shipment)."""

    def perform(self, job: Job) -> JobOutcome:
        work = self._work(job)
        if work is None:
            return JobOutcome.failed("the shipment is gone from this till")
        if work.status == "cancelled":
            return JobOutcome.succeeded({"status": "cancelled"})
        if work.status == "queued":
            with UnitOfWork(self._db, write=False) as uow:
                create = open_job_state(uow.conn, work.courier, work.id, CREATE)
            if create in ("pending", "in_flight", "unknown", "failed"):
                # The create decides first (it cancels at once if nothing was sent).
                return JobOutcome.check_again(WAIT_FOR_CREATE_SECONDS, {"waiting": "create"})
            with UnitOfWork(self._db) as uow:
                record_cancelled(uow, work.id, work.cancel_reason or "cancelled",
                                 hook=self._hook)
            return JobOutcome.succeeded({"status": "cancelled", "at_courier": False})
        if work.status in FINAL_STATUSES or work.status not in (
                "created", "allocated", "picking_up"):
            msg = f"not cancelled: the parcel is already {work.status.replace('_', ' ')}"
            with UnitOfWork(self._db) as uow:
                record_error(uow, work.id, msg)
            return JobOutcome.failed(msg)
        return self._cancel(work)

    def _cancel(self, work: ShipmentWork) -> JobOutcome:
        reply = self._client.cancel(work.keys, work.cancel_reason or "cancelled by the shop")
        if reply.outcome == "ok":
            with UnitOfWork(self._db) as uow:
                record_cancelled(uow, work.id, work.cancel_reason or "cancelled",
                                 hook=self._hook, reply=reply)
            return JobOutcome.succeeded({**_ids(reply), "status": "cancelled"})
        if reply.outcome in ("rejected", "not_found"):
            msg = f"the courier refused the cancel: {reply.message or reply.outcome}"
            with UnitOfWork(self._db) as uow:
                record_error(uow, work.id, msg)
            return JobOutcome.failed(msg)
        return _not_now(reply, write=True)

    def resolve(self, job: Job) -> JobOutcome:
        """Perhaps cancelled already: look first, then cancel (a cancel is idempotent at
        the courier, but a look costs nothing)."""
        work = self._work(job)
        if work is not None and work.status not in FINAL_STATUSES and work.status != "queued":
            found = self._client.find(work.keys)
            if found.outcome == "ok" and found.status == "cancelled":
                with UnitOfWork(self._db) as uow:
                    record_cancelled(uow, work.id, work.cancel_reason or "cancelled",
                                     hook=self._hook, reply=replace(found, history=()))
                return JobOutcome.succeeded({**_ids(found), "status": "cancelled"})
        return self.perform(job)


#: States of a create job still to be decided.
OPEN_JOB_STATES = frozenset({"pending", "in_flight", "unknown", "failed"})
#: Dispatcher settings for a batch someone waits for: short backoff, a breaker that
#: tolerates a lossy line (a 30% fault rate must not stall 200 parcels for a minute).
BATCH_DISPATCH: Mapping[str, Any] = {"base_delay": 0.25, "max_delay": 3.0, "max_attempts": 12,
                                     "breaker_failures": 25, "breaker_cooldown": 5.0,
                                     "batch": 5}


@dataclass(frozen=True, slots=True)
class BatchRunItem:
    shipment_id: str
    request_key: str | None
    outcome: str  # created | failed | cancelled | unknown (still being decided)
    status: str
    waybill_id: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class BatchRun:
    batch_id: str
    done: bool  # every create decided (created, failed or cancelled)
    seconds: float
    items: tuple[BatchRunItem, ...]

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)


def _item(p: BatchProgress) -> BatchRunItem:
    if p.status == "failed" or (p.status == "queued" and p.job_state == "dead"):
        outcome = "failed"
    elif p.status == "cancelled":
        outcome = "cancelled"
    elif p.status != "queued":
        outcome = "created"
    else:
        outcome = "unknown"
    reason = None if outcome == "created" else (p.last_error or p.job_error)
    return BatchRunItem(p.shipment_id, p.request_key, outcome, p.status, p.waybill_id, reason)


def batch_run_state(db: Database, batch_id: str, seconds: float = 0.0) -> BatchRun:
    with UnitOfWork(db, write=False) as uow:
        progress = batch_progress(uow.conn, batch_id)
    done = all(p.job_state not in OPEN_JOB_STATES for p in progress)
    return BatchRun(batch_id, done, seconds, tuple(_item(p) for p in progress))


def run_batch(db: Database, handlers: Mapping[tuple[str, str], JobHandler], batch_id: str, *,
              deadline_seconds: float = 60.0, workers: int = 4,
              dispatcher_options: Mapping[str, Any] | None = None,
              poll_seconds: float = 0.05) -> BatchRun:
    """Drive the dispatcher until every create job of the batch is decided or the deadline
    passes. ``workers`` threads per courier each run :meth:`Dispatcher.run_provider` (the
    dispatcher's own claim/lease/outcome logic, unchanged); claims are exclusive (one
    ``BEGIN IMMEDIATE`` each), so several workers never take the same job, and the courier
    clients' token buckets keep the sum within the courier's rate limit."""
    from sync.jobs.dispatcher import Dispatcher
    started = time.monotonic()
    options = {**BATCH_DISPATCH, **(dispatcher_options or {})}
    dispatcher = Dispatcher(db, handlers, **options)
    state = batch_run_state(db, batch_id)
    couriers = sorted({i.courier for i in _progress(db, batch_id)}
                      & {p for p, _ in handlers})
    stop = threading.Event()

    def work(provider: str) -> None:
        while not stop.is_set():
            try:
                report = dispatcher.run_provider(provider)
                busy = report.performed + report.resolved > 0
            except Exception:  # a bug: logged, the other workers go on
                log.exception("batch worker for %s failed", provider)
                busy = False
            if not busy:
                stop.wait(poll_seconds)

    threads = [threading.Thread(target=work, args=(c,), name=f"ship-batch-{c}-{n}",
                                daemon=True)
               for c in couriers for n in range(max(1, workers))]
    for t in threads:
        t.start()
    try:
        while not state.done and time.monotonic() - started < deadline_seconds:
            stop.wait(max(poll_seconds, 0.05) * 2)
            state = batch_run_state(db, batch_id)
    finally:
        stop.set()
        for t in threads:
            t.join()
    return batch_run_state(db, batch_id, time.monotonic() - started)


def _progress(db: Database, batch_id: str) -> tuple[BatchProgress, ...]:
    with UnitOfWork(db, write=False) as uow:
        return batch_progress(uow.conn, batch_id)


def courier_job_handlers(db: Database, cipher: FieldCipher,
                         clients: Mapping[str, CourierClient], hook: StatusHook | None, *,
                         first_track_seconds: float = FIRST_TRACK_SECONDS,
                         delay: Callable[[str, int], float] = track_delay
                         ) -> dict[tuple[str, str], JobHandler]:
    """``(client, kind)`` handlers for the dispatcher, for every client given."""
    handlers: dict[tuple[str, str], JobHandler] = {}
    for name, client in clients.items():
        handlers[(name, CREATE)] = CreateHandler(db, cipher, client, hook,
                                                 first_track_seconds=first_track_seconds)
        handlers[(name, TRACK)] = TrackHandler(db, cipher, client, hook, delay=delay)
        handlers[(name, CANCEL)] = CancelHandler(db, cipher, client, hook)
    return handlers


__all__ = ["BATCH_DISPATCH", "BatchRun", "BatchRunItem", "CancelHandler", "CreateHandler",
           "TrackHandler", "TwoStepCreate", "batch_run_state", "courier_job_handlers",
           "run_batch"]

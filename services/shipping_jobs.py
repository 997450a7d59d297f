"""A shipment's courier jobs as the use cases move them: the one job per kind
(``ship:<id>:<kind>``), the "refresh" button (:func:`track_now`) and what a supervisor's
discard of a job does to its shipment (:func:`job_discarded`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from local_db.ids import now_iso
from local_db.jobs import JobRow, job_by_key, set_state
from local_db.models import ProviderJob, Shipment
from local_db.store import add_provider_job
from local_db.uow import UnitOfWork
from services.courier_port import FINAL_STATUSES
from services.errors import Conflict
from services.shipping_query import ShipmentRow, shipment_row
from services.shipping_record import CANCEL, CREATE, TRACK, add_event, ensure_tracking, job_key


def queue_job(conn: Connection, courier: str, shipment_id: str, kind: str, now: str) -> str:
    """The shipment's one job of ``kind``: made, or put back to run now if it went dead."""
    job = job_by_key(conn, courier, kind, job_key(shipment_id, kind))
    if job is None:
        return add_provider_job(conn, provider=courier, kind=kind, ref_id=shipment_id,
                                idempotency_key=job_key(shipment_id, kind),
                                payload={"shipment_id": shipment_id})
    if job.state in ("dead", "succeeded"):
        set_state(conn, job.id, from_states=("dead", "succeeded"), state="pending", now=now,
                  last_error=None, attempts=0, next_attempt_at=now)
    elif job.state in ("pending", "failed"):
        conn.execute(update(ProviderJob).where(ProviderJob.id == job.id)
                     .values(next_attempt_at=now))
    return job.id


def track_now(uow: UnitOfWork, shipment_id: str) -> ShipmentRow:
    """Make the shipment's tracking poll due now (the "refresh" button, ``ship track``);
    committed. A shipment not yet at the courier, or final, has nothing to poll."""
    conn = uow.conn
    row = shipment_row(conn, shipment_id)
    if row.status == "queued":
        raise Conflict("the parcel is not at the courier yet: its create job runs first",
                       field="shipment")
    if row.status not in FINAL_STATUSES:
        stamp = now_iso()
        ensure_tracking(conn, shipment_id, row.courier, stamp, 0.0)
        queue_job(conn, row.courier, shipment_id, TRACK, stamp)
        uow.commit()
    return shipment_row(conn, shipment_id)


def job_discarded(conn: Connection, job: JobRow, now: str) -> None:
    """A supervisor gave up on one of a shipment's jobs (services.provider_jobs.discard_job
    calls this in its transaction): the shipment shows it."""
    sid = job.ref_id
    if sid is None:
        return
    status = conn.execute(select(Shipment.status).where(Shipment.id == sid)).scalar()
    if status is None:
        return
    values: dict[str, Any] = {"updated_at": now}
    if job.kind == CREATE and status == "queued":
        perhaps = job.state == "unknown"
        note = ("given up while its outcome was unknown: it may exist at the courier"
                if perhaps else "given up before the courier took it")
        values |= {"status": "failed", "last_error": note, "next_track_at": None}
        add_event(conn, sid, "failed", None, note, now, now)
    elif job.kind == TRACK:
        values |= {"next_track_at": None, "last_error": "tracking given up"}
    elif job.kind == CANCEL:
        values |= {"cancel_reason": None, "last_error": "the cancel was given up"}
    conn.execute(update(Shipment).where(Shipment.id == sid).values(**values))


__all__ = ["job_discarded", "queue_job", "track_now"]

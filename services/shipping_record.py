"""What the courier job handlers read and write: a shipment as a courier order, and the
courier's answers stored on it (ids, status, price, history, the next tracking poll).

Each ``record_*`` function is one short transaction of its own (the caller hands an entered
unit of work; the function commits), made between network calls, never around one. A status
change calls the caller's :data:`StatusHook` inside that same transaction, so a shipment
notice is queued exactly when the new status is stored.

Statuses never move out of a final one (delivered, returned, cancelled, failed): a late or
stale answer cannot undo them. The history is append-only and deduplicated by its unique key
(shipment, status, courier status, time): a poll that sees the same courier event again adds
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from local_db.ids import now_iso, uuid7
from local_db.jobs import iso_after, job_by_key
from local_db.models import ProviderJob, Shipment, ShipmentEvent
from local_db.store import add_provider_job
from local_db.uow import UnitOfWork
from services.courier_port import (
    FINAL_STATUSES,
    CourierReply,
    Parcel,
    Place,
    ShipmentKeys,
    ShipmentOrder,
    TrackPoint,
)
from services.courier_settings import courier_settings
from services.crypto import FieldCipher

#: (conn, shipment_id, new status), called in the transaction that stores the status.
StatusHook = Callable[[Connection, str, str], None]

CREATE = "create"
TRACK = "track"
CANCEL = "cancel"
#: Tracking backoff: the first poll after creation, then growing by half each poll that
#: saw nothing new, up to a ceiling; a parcel on the road is looked at less often than one
#: waiting for pickup.
FIRST_TRACK_SECONDS = 15 * 60.0
TRACK_BASE_SECONDS = {"created": 15 * 60.0, "allocated": 15 * 60.0,
                      "picking_up": 15 * 60.0, "picked_up": 30 * 60.0,
                      "in_transit": 60 * 60.0, "on_hold": 60 * 60.0, "returning": 60 * 60.0}
TRACK_MAX_SECONDS = 6 * 3600.0
MAX_ERROR = 300


def job_key(shipment_id: str, kind: str) -> str:
    return f"ship:{shipment_id}:{kind}"


def track_delay(status: str, unchanged_polls: int) -> float:
    """Seconds to the next tracking poll of a parcel in ``status`` after ``unchanged_polls``
    polls that saw nothing new."""
    base = TRACK_BASE_SECONDS.get(status, 60 * 60.0)
    return float(min(base * (1.5 ** max(unchanged_polls, 0)), TRACK_MAX_SECONDS))


@dataclass(frozen=True, slots=True)
class ShipmentWork:
    """A shipment as a handler needs it: the order to send (personal data decrypted, never
    in a repr), what we know of it at the courier, and where it stands here."""

    id: str
    courier: str
    status: str
    order: ShipmentOrder | None = field(repr=False)  # None when the origin is not set up
    keys: ShipmentKeys
    cancel_requested: bool
    cancel_reason: str | None
    has_waybill: bool

    def with_draft(self, draft_order_id: str) -> ShipmentWork:
        return replace(self, keys=replace(self.keys, draft_order_id=draft_order_id))


def _dec(cipher: FieldCipher, token: str | None, shipment_id: str, name: str) -> str:
    return "" if token is None else cipher.decrypt(token, record_id=shipment_id, field=name)


def load_work(conn: Connection, cipher: FieldCipher, shipment_id: str,
              note: str | None = None) -> ShipmentWork | None:
    s = conn.execute(select(Shipment).where(Shipment.id == shipment_id)).one_or_none()
    if s is None:
        return None
    keys = ShipmentKeys(reference=s.id, courier_company=s.courier_company,
                        provider_order_id=s.provider_order_id, draft_order_id=s.draft_order_id,
                        waybill_id=s.waybill_id, tracking_id=s.tracking_id)
    origin = courier_settings(conn).origin_for(s.courier)
    order = None
    if origin is not None:
        destination = Place(name=s.recipient_name,
                            phone=_dec(cipher, s.recipient_phone_enc, s.id, "recipient_phone"),
                            address=_dec(cipher, s.recipient_address_enc, s.id,
                                         "recipient_address"),
                            postal_code=s.destination_postal_code,
                            area_id=s.destination_area_id, code=s.destination_code,
                            city=s.destination_city)
        parcel = Parcel(int(s.weight_g), int(s.length_cm), int(s.width_cm), int(s.height_cm),
                        int(s.declared_value), s.description)
        order = ShipmentOrder(reference=s.id, courier_company=s.courier_company,
                              service_code=s.service_code, origin=origin,
                              destination=destination, parcel=parcel,
                              cod_amount=int(s.cod_amount or 0) if s.cod else 0, note=note)
    return ShipmentWork(id=s.id, courier=s.courier, status=s.status, order=order, keys=keys,
                        cancel_requested=s.cancel_reason is not None,
                        cancel_reason=s.cancel_reason, has_waybill=s.waybill_id is not None)


def note_of(cipher: FieldCipher, shipment_id: str, payload: dict[str, Any] | Any) -> str | None:
    token = payload.get("note_enc") if hasattr(payload, "get") else None
    if not token:
        return None
    return cipher.decrypt(str(token), record_id=shipment_id, field="note")


def _clip(text: str | None) -> str | None:
    return None if text is None else text[:MAX_ERROR]


def add_event(conn: Connection, shipment_id: str, status: str, provider_status: str | None,
              note: str | None, happened_at: str, now: str) -> bool:
    """One history row, unless the same courier event is stored already."""
    stmt = sqlite_insert(ShipmentEvent).values(
        id=uuid7(), shipment_id=shipment_id, status=status, provider_status=provider_status,
        note=note, happened_at=happened_at, recorded_at=now).on_conflict_do_nothing()
    return bool(conn.execute(stmt).rowcount)


def _set_status(conn: Connection, shipment_id: str, current: str, new: str | None,
                provider_status: str | None, note: str | None, happened_at: str, now: str,
                hook: StatusHook | None, *, event: bool = True) -> str:
    """Move to ``new`` unless the shipment is final already; returns the status now.
    ``event``: add a history row for the move (not when the courier's history has one)."""
    if new is None or new == current or current in FINAL_STATUSES:
        return current
    conn.execute(update(Shipment).where(Shipment.id == shipment_id)
                 .values(status=new, updated_at=now))
    if event:
        add_event(conn, shipment_id, new, provider_status, note, happened_at, now)
    if hook is not None:
        hook(conn, shipment_id, new)
    return new


def _current(conn: Connection, shipment_id: str) -> tuple[str, int | None]:
    r = conn.execute(select(Shipment.status, Shipment.quoted_price)
                     .where(Shipment.id == shipment_id)).one()
    return str(r.status), None if r.quoted_price is None else int(r.quoted_price)


def _apply(conn: Connection, shipment_id: str, reply: CourierReply, now: str,
           hook: StatusHook | None, *, at_least_created: bool = False,
           clear_error: bool = False) -> str:
    """Store what a reply tells: ids, price, courier status, history, our status.

    The courier's history rows are added as they are (each once); our status moves to the
    reply's status (else the newest history row's), never back out of a final one, and the
    hook hears the move once, however many steps the poll skipped."""
    status, quoted = _current(conn, shipment_id)
    values: dict[str, Any] = {"updated_at": now}
    if clear_error:
        values["last_error"] = None
    for name in ("provider_order_id", "draft_order_id", "waybill_id", "tracking_id"):
        value = getattr(reply, name)
        if value:
            values[name] = value
    if reply.provider_status:
        values["provider_status"] = reply.provider_status
    if reply.price is not None:
        values["final_price"] = int(reply.price)
        if quoted is None:
            values["quoted_price"] = int(reply.price)
    conn.execute(update(Shipment).where(Shipment.id == shipment_id).values(**values))
    points: tuple[TrackPoint, ...] = tuple(sorted(reply.history, key=lambda p: p.at))
    for p in points:
        add_event(conn, shipment_id, p.status, p.provider_status, p.note, p.at, now)
    target = reply.status or (points[-1].status if points else None)
    if at_least_created and (target is None or target == "queued"):
        target = "created"
    in_history = any(p.status == target for p in points)
    return _set_status(conn, shipment_id, status, target, reply.provider_status,
                       reply.message if target == "failed" else None, now, now, hook,
                       event=not in_history)


def store_draft(uow: UnitOfWork, shipment_id: str, draft_order_id: str) -> None:
    """The Biteship draft id, committed *before* the draft is confirmed: after a lost reply
    the handler confirms or looks up this draft instead of making another."""
    uow.conn.execute(update(Shipment).where(Shipment.id == shipment_id).values(
        draft_order_id=draft_order_id, updated_at=now_iso()))
    uow.commit()


def ensure_tracking(conn: Connection, shipment_id: str, courier: str, now: str,
                    delay: float = FIRST_TRACK_SECONDS) -> str:
    """The shipment's one tracking job (``ship:<id>:track``), due after ``delay``."""
    at = iso_after(now, delay)
    job = job_by_key(conn, courier, TRACK, job_key(shipment_id, TRACK))
    if job is None:
        job_id = add_provider_job(conn, provider=courier, kind=TRACK, ref_id=shipment_id,
                                  idempotency_key=job_key(shipment_id, TRACK),
                                  payload={"shipment_id": shipment_id})
        conn.execute(update(ProviderJob).where(ProviderJob.id == job_id)
                     .values(next_attempt_at=at))
    else:
        job_id = job.id
    conn.execute(update(Shipment).where(Shipment.id == shipment_id)
                 .values(next_track_at=at))
    return job_id


def record_created(uow: UnitOfWork, shipment_id: str, reply: CourierReply, *,
                   hook: StatusHook | None, first_track_seconds: float = FIRST_TRACK_SECONDS,
                   note: str | None = None) -> str:
    """The courier holds the order: store its ids, price and status (at least ``created``)
    and arm the first tracking poll. ``note`` stays on the shipment as its last word (what
    is still missing, e.g. an airway bill the courier did not tell). Returns the status."""
    conn = uow.conn
    now = now_iso()
    status = _apply(conn, shipment_id, reply, now, hook, at_least_created=True,
                    clear_error=True)
    if note:
        conn.execute(update(Shipment).where(Shipment.id == shipment_id)
                     .values(last_error=_clip(note)))
    courier = str(conn.execute(select(Shipment.courier)
                               .where(Shipment.id == shipment_id)).scalar_one())
    if status not in FINAL_STATUSES:
        ensure_tracking(conn, shipment_id, courier, now, first_track_seconds)
    uow.commit()
    return status


def record_track(uow: UnitOfWork, shipment_id: str, reply: CourierReply, *,
                 hook: StatusHook | None, next_seconds: float | None) -> tuple[str, bool]:
    """A tracking answer: (status now, whether anything new was stored)."""
    conn = uow.conn
    now = now_iso()
    before = _fingerprint(conn, shipment_id)
    status = _apply(conn, shipment_id, reply, now, hook)
    changed = _fingerprint(conn, shipment_id) != before
    values: dict[str, Any] = {"next_track_at": None if status in FINAL_STATUSES
                              or next_seconds is None else iso_after(now, next_seconds)}
    conn.execute(update(Shipment).where(Shipment.id == shipment_id).values(**values))
    uow.commit()
    return status, changed


def _fingerprint(conn: Connection, shipment_id: str) -> tuple[Any, ...]:
    n = conn.execute(select(ShipmentEvent.id).where(ShipmentEvent.shipment_id == shipment_id)
                     ).all()
    r = conn.execute(select(Shipment.status, Shipment.provider_status, Shipment.final_price,
                            Shipment.waybill_id).where(Shipment.id == shipment_id)).one()
    return (len(n), *r)


def set_next_track(uow: UnitOfWork, shipment_id: str, seconds: float | None) -> None:
    now = now_iso()
    uow.conn.execute(update(Shipment).where(Shipment.id == shipment_id).values(
        next_track_at=None if seconds is None else iso_after(now, seconds)))
    uow.commit()


def record_error(uow: UnitOfWork, shipment_id: str, message: str, *,
                 hook: StatusHook | None = None, final: bool = False) -> str:
    """A courier's refusal or a failed try, on the shipment for the screens; ``final``
    makes it failed (the courier refused the order: sending it again cannot help)."""
    conn = uow.conn
    now = now_iso()
    conn.execute(update(Shipment).where(Shipment.id == shipment_id)
                 .values(last_error=_clip(message), updated_at=now))
    status, _ = _current(conn, shipment_id)
    if final:
        status = _set_status(conn, shipment_id, status, "failed", None, _clip(message), now,
                             now, hook)
    uow.commit()
    return status


def record_cancelled(uow: UnitOfWork, shipment_id: str, note: str, *,
                     hook: StatusHook | None, reply: CourierReply | None = None) -> str:
    conn = uow.conn
    now = now_iso()
    if reply is not None:
        _apply(conn, shipment_id, replace(reply, status=None), now, hook)
    status, _ = _current(conn, shipment_id)
    status = _set_status(conn, shipment_id, status, "cancelled",
                         reply.provider_status if reply else None, note, now, now, hook)
    conn.execute(update(Shipment).where(Shipment.id == shipment_id)
                 .values(next_track_at=None))
    uow.commit()
    return status


def open_job_state(conn: Connection, courier: str, shipment_id: str, kind: str) -> str | None:
    job = job_by_key(conn, courier, kind, job_key(shipment_id, kind))
    return None if job is None else job.state


__all__ = ["CANCEL", "CREATE", "FIRST_TRACK_SECONDS", "TRACK", "ShipmentWork", "StatusHook",
           "add_event", "ensure_tracking", "job_key", "load_work", "note_of",
           "open_job_state", "record_cancelled", "record_created", "record_error",
           "record_track", "set_next_track", "store_draft", "track_delay"]

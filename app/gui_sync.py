"""Sync status a person can act on: figures for the status bar, the per-channel panel with retry and discard, what is unsent at logout or close.

The backend methods behind ``ui.backend_sync.SyncBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.

The background work (``app.sync_worker.BackgroundSync``: the sync worker and the provider-job
dispatcher) belongs to the backend: :meth:`SyncOps.start_sync` when the shop is open,
:meth:`SyncOps.stop_sync` when the window closes (``GuiBackend.close`` stops it too).

Every figure is read from the outbox and provider-job tables (and the worker's snapshot):
no figure is made up, offline or not.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.gui_base import BackendBase, environment_faults
from local_db.ids import age_seconds, now_iso
from local_db.jobs import OPEN_STATES, figures, job_row, job_rows, set_state
from services.errors import BadInput, Conflict, NotFound
from services.provider_jobs import DISCARDABLE, discard_job, replay_dead_job
from services.users import approve
from sync.outbox_review import (
    discard_quarantined,
    outbox_counts,
    outbox_items,
    retry_quarantined,
)
from ui.backend_cart import SupervisorApproval
from ui.backend_sync import (
    CHANNELS,
    SyncChannel,
    SyncItem,
    SyncOverview,
    UnsentSummary,
)

#: Which panel tab a provider's jobs belong to (ARCHITECTURE.md: payments, couriers,
#: email, SMS/WhatsApp, push). A provider not listed shows under "other".
PROVIDER_CHANNELS = {
    "midtrans": "payments",
    "biteship": "couriers", "jne": "couriers", "jnt": "couriers", "pos": "couriers",
    "posindonesia": "couriers", "pos_indonesia": "couriers",
    "sendgrid": "email",
    "twilio": "messaging",
    "fcm": "push",
}

LIST_LIMIT = 200


def channel_of(provider: str) -> str:
    return PROVIDER_CHANNELS.get(provider, "other")



if TYPE_CHECKING:
    # The worker pulls in psycopg, apscheduler and the push/pull code: imported when the
    # sync starts (after the till is up), not when the program starts (cold-start budget).
    from app.sync_worker import BackgroundSync, Connectivity

class SyncOps(BackendBase):
    _background: BackgroundSync | None = None
    _watcher: Callable[[], None] | None = None
    _sync_lock = threading.Lock()

    # --- the background work ---------------------------------------------------------------
    def _make_background(self) -> BackgroundSync:
        """The worker and dispatcher for this shop (tests replace this to tune them)."""
        from app.sync_worker import BackgroundSync
        return BackgroundSync.for_shop(self._shop)

    def start_sync(self) -> None:
        with self._sync_lock:
            if self._background is not None:
                return
            background = self._make_background()
            self._background = background
        background.worker.subscribe(self._pass_done)
        background.start()

    def stop_sync(self) -> None:
        with self._sync_lock:
            background, self._background = self._background, None
            self._watcher = None
        if background is not None:
            background.worker.unsubscribe(self._pass_done)
            background.stop()

    def wake_sync(self) -> None:
        background = self._background
        if background is not None:
            background.wake()

    def watch_sync(self, callback: Callable[[], None] | None) -> None:
        self._watcher = callback

    def _pass_done(self, _snap: Connectivity) -> None:
        watcher = self._watcher
        if watcher is not None:
            watcher()

    def _connectivity(self, enrolled: bool) -> Connectivity:
        background = self._background
        if background is not None:
            return background.worker.snapshot()
        if not enrolled:
            from app.sync_worker import NOT_CONNECTED, Connectivity
            return Connectivity(state="not_connected", message=NOT_CONNECTED)
        from app.sync_worker import Connectivity
        return Connectivity(state="stopped", message=None)

    # --- figures -------------------------------------------------------------------------
    @environment_faults
    def sync_overview(self) -> SyncOverview:
        now = datetime.now(UTC)
        from sync.status import sync_status
        st = sync_status(self._shop.db, now=now)
        with self._shop.uow(write=False) as uow:
            counts = figures(uow.conn)
        jobs_open = sum(c.pending + c.in_flight + c.unknown + c.failed
                        for c in counts.values())
        jobs_dead = sum(c.dead for c in counts.values())
        ages = [a for a in [st["oldest_pending_age_s"],
                            *(age_seconds(c.oldest_open_created_at, now) for c in counts.values())]
                if a is not None]
        snap = self._connectivity(bool(st["enrolled"]))
        last_good = snap.last_good_sync_at or max(
            (t for t in (st["last_push_at"], self._last_pull_at()) if t), default=None)
        skew = snap.skew_s if snap.skew_s is not None else st["skew_s"]
        return SyncOverview(
            connection=snap.state, message=snap.message or st["refused"],
            offline_since=snap.offline_since, last_error=snap.last_error,
            last_good_sync_at=last_good,
            pending=int(st["pending"]) + jobs_open,
            oldest_pending_age_s=max(ages) if ages else None,
            failed=int(st["quarantined"]) + jobs_dead,
            skew_s=skew, skew_flagged=bool(snap.skew_flagged if snap.skew_s is not None
                                           else st["skew_flagged"]),
            outbox_pending=int(st["pending"]), jobs_open=jobs_open,
            quarantined=int(st["quarantined"]), jobs_dead=jobs_dead)

    def _last_pull_at(self) -> str | None:
        from sync.pull import pull_status
        value = pull_status(self._shop.db).get("last_pull_at")
        return None if value is None else str(value)

    @environment_faults
    def unsent_summary(self) -> UnsentSummary:
        with self._shop.uow(write=False) as uow:
            outbox = outbox_counts(uow.conn)
            counts = figures(uow.conn)
            enrolled = bool(uow.conn.exec_driver_sql(
                "SELECT 1 FROM setting WHERE key = 'central.terminal_id'").first())
        jobs_open = sum(c.pending + c.in_flight + c.unknown + c.failed
                        for c in counts.values())
        pending = outbox.get("pending", 0)
        # A till with no central keeps its outbox for the day it is connected: staying open
        # would not send it, so it is not what the warning is about (provider jobs are).
        waiting = pending if enrolled else 0
        return UnsentSummary(waiting + jobs_open, pending, jobs_open,
                             outbox.get("quarantined", 0), enrolled)

    @environment_faults
    def sync_channels(self) -> tuple[SyncChannel, ...]:
        with self._shop.uow(write=False) as uow:
            st_rows = outbox_items(uow.conn, limit=LIST_LIMIT)
            outbox = outbox_counts(uow.conn)
            job_counts = figures(uow.conn)
            # What is not done: succeeded jobs need nobody (the panel is for acting).
            jobs = job_rows(uow.conn, states=(*OPEN_STATES, "dead"), limit=LIST_LIMIT * 5)
            settings_enrolled = bool(uow.conn.exec_driver_sql(
                "SELECT 1 FROM setting WHERE key = 'central.terminal_id'").first())
        central_items = tuple(SyncItem(
            "central", str(r.seq), r.type, r.status, None, None, r.last_error, r.created_at,
            can_retry=r.status == "quarantined", can_discard=r.status == "quarantined")
            for r in st_rows)
        snap = self._connectivity(settings_enrolled)
        central_note: str | None = None
        central_note_id: str | None = None
        if snap.state == "not_connected":
            from app.sync_worker import NOT_CONNECTED
            central_note = snap.message or NOT_CONNECTED
            central_note_id = "syncp.not_connected"
        elif snap.state in ("offline", "refused"):
            central_note = snap.last_error
        by_channel: dict[str, list[SyncItem]] = {}
        providers: dict[str, set[str]] = {}
        for j in jobs:
            ch = channel_of(j.provider)
            providers.setdefault(ch, set()).add(j.provider)
            by_channel.setdefault(ch, []).append(SyncItem(
                ch, j.id, f"{j.provider}/{j.kind}", j.state, j.attempts, j.next_attempt_at,
                j.last_error, j.created_at,
                can_retry=j.state in ("dead", "failed", "unknown", "pending"),
                can_discard=j.state in DISCARDABLE))
        # The counts are the tables' own (the lists stop at LIST_LIMIT rows).
        out = [SyncChannel("central", central_items, outbox.get("pending", 0),
                           outbox.get("quarantined", 0), central_note, central_note_id)]
        for key in (*CHANNELS[1:], *(["other"] if "other" in by_channel else [])):
            items = tuple(by_channel.get(key, []))
            mine = [c for p, c in job_counts.items() if channel_of(p) == key]
            waiting = sum(c.pending + c.in_flight + c.unknown + c.failed for c in mine)
            out.append(SyncChannel(key, items, waiting, sum(c.dead for c in mine),
                                   self._provider_note(providers.get(key, set()), waiting)))
        return tuple(out)

    def _provider_note(self, providers: set[str], waiting: int) -> str | None:
        """Why a channel's jobs are not moving, when this till cannot run them."""
        if not waiting:
            return None
        background = self._background
        running = background.jobs.providers() if background is not None else frozenset()
        notes = background.jobs.notes() if background is not None else {}
        idle = sorted(p for p in providers if p not in running)
        if not idle:
            return None
        if background is None:
            from app.provider_jobs_runner import why_not
            notes = why_not(self._shop)
        reasons = [notes.get(p) or f"{p} is not set up on this till: its jobs wait here "
                   "(nothing is lost)" for p in idle]
        return "; ".join(reasons)

    # --- acting on items -------------------------------------------------------------------
    @staticmethod
    def _seq(item_id: str) -> int:
        try:
            return int(item_id)
        except ValueError:
            raise BadInput(f"not an outbox sequence number: {item_id!r}",
                           field="item_id") from None

    @environment_faults
    def retry_sync_item(self, channel: str, item_id: str,
                        approval: SupervisorApproval | None = None) -> str:
        actor = self._require_actor()
        if channel == "central":
            seq = self._seq(item_id)
            with self._shop.uow() as uow:
                retry_quarantined(uow, actor, seq)
            self.wake_sync()
            return f"event {seq} queued again"
        with self._shop.uow() as uow:
            row = job_row(uow.conn, item_id)
            if row is None or channel_of(row.provider) != channel:
                raise NotFound(f"no job '{item_id}' in {channel}", field="item_id")
            if row.state == "dead":
                # Moves money or messages again: the existing audited replay, a
                # supervisor's (it asks a dead-while-unknown job's provider first).
                pair = (approval.user, approval.pin) if approval else None
                replay_dead_job(uow, actor, item_id, pair)
                message = f"job {item_id} queued again"
            elif row.state in ("pending", "failed", "unknown"):
                # Not given up on: only sooner. Same state, due now; the breaker and the
                # dead-letter limit still apply.
                if not set_state(uow.conn, item_id, from_states=(row.state,),
                                 state=row.state, now=now_iso(), last_error=row.last_error,
                                 next_attempt_at=now_iso()):
                    raise Conflict(f"job {item_id} changed meanwhile; look again",
                                   field="item_id")
                uow.commit()
                message = f"job {item_id} is due now"
            else:
                raise Conflict(f"job {item_id} is {row.state}: nothing to retry",
                               field="item_id")
        self.wake_sync()
        return message

    @environment_faults
    def discard_sync_item(self, channel: str, item_id: str,
                          approval: SupervisorApproval) -> str:
        actor = self._require_actor()
        pair = (approval.user, approval.pin)
        if channel == "central":
            seq = self._seq(item_id)
            with self._shop.uow() as uow:
                discard_quarantined(uow, actor, seq, pair)
            return f"event {seq} discarded"
        with self._shop.uow() as uow:
            row = job_row(uow.conn, item_id)
            if row is None or channel_of(row.provider) != channel:
                raise NotFound(f"no job '{item_id}' in {channel}", field="item_id")
            # A supervisor's PIN every time, even when a supervisor is logged in: giving up
            # on a payment or a parcel is a deliberate act. A wrong PIN is counted and
            # committed by approve() before the refusal.
            approve(uow, approval.user, approval.pin, "supervisor",
                    "discarding a provider job")
            discard_job(uow, actor, item_id, pair)
        return f"job {item_id} discarded"

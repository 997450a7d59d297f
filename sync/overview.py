"""The sync as the screens show it: the status bar's figures, the sync panel's channels,
what is unsent at logout. Every figure is read from the outbox and provider-job tables
(and the sync worker's connectivity snapshot, handed in): none is made up, offline or not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Connection

from local_db.engine import Database
from local_db.ids import age_seconds
from local_db.jobs import OPEN_STATES, ProviderCounts, figures, job_rows
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from services.provider_jobs import DISCARDABLE
from services.sync_status import (
    CHANNELS,
    SyncChannel,
    SyncItem,
    SyncOverview,
    UnsentSummary,
    channel_of,
)
from sync.job_details import job_details
from sync.outbox_review import outbox_counts, outbox_items

#: Rows a channel lists at most (its counts are the tables' own).
LIST_LIMIT = 200
#: Why a channel's items wait, when the sync is not connected (a message id of the screens).
NOT_CONNECTED_NOTE = "syncp.not_connected"


class LinkView(Protocol):
    """The sync worker's connectivity snapshot (``app.sync_worker.Connectivity``), as far
    as the screens show it. ``state``: online | offline | not_connected | refused |
    starting | stopped."""

    @property
    def state(self) -> str: ...
    @property
    def message(self) -> str | None: ...
    @property
    def offline_since(self) -> str | None: ...
    @property
    def last_error(self) -> str | None: ...
    @property
    def last_good_sync_at(self) -> str | None: ...
    @property
    def skew_s(self) -> float | None: ...
    @property
    def skew_flagged(self) -> bool: ...


#: The worker's snapshot, or what stands for it when no worker runs, given whether this
#: till is enrolled with a central.
LinkFor = Callable[[bool], LinkView]


def _open(c: ProviderCounts) -> int:
    return c.pending + c.in_flight + c.unknown + c.failed


def _enrolled(conn: Connection) -> bool:
    return "central.terminal_id" in read_settings(conn)


def sync_overview(db: Database, link_for: LinkFor, *, now: datetime | None = None) -> SyncOverview:
    # The push and pull modules load psycopg: not at the program's start (cold-start budget).
    from sync.pull import pull_status
    from sync.status import sync_status
    now = now or datetime.now(UTC)
    st = sync_status(db, now=now)
    with UnitOfWork(db, write=False) as uow:
        counts = figures(uow.conn)
    jobs_open = sum(_open(c) for c in counts.values())
    jobs_dead = sum(c.dead for c in counts.values())
    ages = [a for a in [st["oldest_pending_age_s"],
                        *(age_seconds(c.oldest_open_created_at, now) for c in counts.values())]
            if a is not None]
    link = link_for(bool(st["enrolled"]))
    last_pull = pull_status(db).get("last_pull_at")
    last_good = link.last_good_sync_at or max(
        (str(t) for t in (st["last_push_at"], last_pull) if t), default=None)
    skew = link.skew_s if link.skew_s is not None else st["skew_s"]
    return SyncOverview(
        connection=link.state, message=link.message or st["refused"],
        offline_since=link.offline_since, last_error=link.last_error,
        last_good_sync_at=last_good, pending=int(st["pending"]) + jobs_open,
        oldest_pending_age_s=max(ages) if ages else None,
        failed=int(st["quarantined"]) + jobs_dead, skew_s=skew,
        skew_flagged=bool(link.skew_flagged if link.skew_s is not None
                          else st["skew_flagged"]),
        outbox_pending=int(st["pending"]), jobs_open=jobs_open,
        quarantined=int(st["quarantined"]), jobs_dead=jobs_dead)


def unsent_summary(db: Database) -> UnsentSummary:
    with UnitOfWork(db, write=False) as uow:
        outbox = outbox_counts(uow.conn)
        jobs_open = sum(_open(c) for c in figures(uow.conn).values())
        enrolled = _enrolled(uow.conn)
    pending = outbox.get("pending", 0)
    # A till with no central keeps its outbox for the day it is connected: staying open
    # would not send it, so it is not what the warning is about (provider jobs are).
    waiting = pending if enrolled else 0
    return UnsentSummary(waiting + jobs_open, pending, jobs_open,
                         outbox.get("quarantined", 0), enrolled)


def sync_channels(db: Database, link_for: LinkFor, running: frozenset[str],
                  notes: Callable[[], Mapping[str, str]]) -> tuple[SyncChannel, ...]:
    """``running``: the providers whose jobs this till's dispatcher runs now; ``notes()``:
    per provider, why not (asked only when some channel waits on an idle provider)."""
    with UnitOfWork(db, write=False) as uow:
        rows = outbox_items(uow.conn, limit=LIST_LIMIT)
        outbox = outbox_counts(uow.conn)
        job_counts = figures(uow.conn)
        # What is not done: succeeded jobs need nobody (the panel is for acting).
        jobs = job_rows(uow.conn, states=(*OPEN_STATES, "dead"), limit=LIST_LIMIT * 5)
        details = job_details(uow.conn, jobs)
        enrolled = _enrolled(uow.conn)
    central_items = tuple(SyncItem(
        "central", str(r.seq), r.type, r.status, None, None, r.last_error, r.created_at,
        can_retry=r.status == "quarantined", can_discard=r.status == "quarantined",
        detail=r.detail)
        for r in rows)
    link = link_for(enrolled)
    note, note_id = None, None
    if link.state == "not_connected":
        note, note_id = link.message, NOT_CONNECTED_NOTE
    elif link.state in ("offline", "refused"):
        note = link.last_error
    by_channel: dict[str, list[SyncItem]] = {}
    providers: dict[str, set[str]] = {}
    for j in jobs:
        ch = channel_of(j.provider)
        providers.setdefault(ch, set()).add(j.provider)
        by_channel.setdefault(ch, []).append(SyncItem(
            ch, j.id, f"{j.provider}/{j.kind}", j.state, j.attempts, j.next_attempt_at,
            j.last_error, j.created_at,
            can_retry=j.state in ("dead", "failed", "unknown", "pending"),
            can_discard=j.state in DISCARDABLE, detail=details.get(j.id)))
    out = [SyncChannel("central", central_items, outbox.get("pending", 0),
                       outbox.get("quarantined", 0), note, note_id)]
    for key in (*CHANNELS[1:], *(["other"] if "other" in by_channel else [])):
        mine = [c for p, c in job_counts.items() if channel_of(p) == key]
        waiting = sum(_open(c) for c in mine)
        out.append(SyncChannel(key, tuple(by_channel.get(key, [])), waiting,
                               sum(c.dead for c in mine),
                               _provider_note(providers.get(key, set()), waiting, running,
                                              notes)))
    return tuple(out)


def _provider_note(providers: set[str], waiting: int, running: frozenset[str],
                   notes: Callable[[], Mapping[str, str]]) -> str | None:
    """Why a channel's jobs are not moving, when this till cannot run them."""
    idle = sorted(p for p in providers if p not in running) if waiting else []
    if not idle:
        return None
    said = notes()
    return "; ".join(said.get(p) or f"{p} is not set up on this till: its jobs wait here "
                     "(nothing is lost)" for p in idle)

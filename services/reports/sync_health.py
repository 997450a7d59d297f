"""Sync health: per till, the events sent, pending and quarantined, the gaps in its
sequence, and (on the till) its provider jobs by state — a report of *now*.

- On the till (SQLite) the figures are this till's outbox (``outbox``: pending, sent,
  quarantined, discarded) and provider jobs (``provider_job`` by provider and state): what
  has not left, what central refused, the oldest event still waiting.
- On central (PostgreSQL), per terminal of the tenant (or of one store, or one terminal):
  the events received (``event``), those quarantined and not yet resolved
  (``quarantine``), the gaps in each terminal's sequence (central holds UNIQUE(tenant,
  terminal, seq): a missing number is an event that has not arrived), the highest sequence
  and the terminal's last push. What is still pending *on* a till central cannot know: the
  column is empty there and the notes say so (never a made-up zero).

Gaps are found the same way on both engines (a window function: each sequence number
after the one before it, a jump of more than one is a gap), so one code path serves both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, literal, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from services import formatting as fmt
from services.reports.source import ReportSource, local_source
from services.reports.values import Column, Period, ReportSpec, Table, TableReport, Words

#: The outbox's states as people read them.
OUTBOX_STATES: Mapping[str, Words] = {
    "pending": Words("Menunggu dikirim", "Waiting to be sent"),
    "sent": Words("Terkirim", "Sent"),
    "quarantined": Words("Dikarantina (ditolak pusat)", "Quarantined (refused by central)"),
    "discarded": Words("Dibuang (setelah karantina)", "Discarded (after quarantine)"),
}
JOB_STATES: Mapping[str, Words] = {
    "pending": Words("Menunggu", "Pending"),
    "in_flight": Words("Sedang dikirim", "In flight"),
    "succeeded": Words("Berhasil", "Succeeded"),
    "unknown": Words("Belum pasti", "Outcome unknown"),
    "failed": Words("Gagal, dicoba lagi", "Failed, will retry"),
    "dead": Words("Gagal total", "Dead"),
}


def _state(states: Mapping[str, Words], key: str) -> Words:
    return states.get(key, Words(key))


@dataclass(frozen=True, slots=True)
class TillHealth:
    """One till's line."""

    terminal: str  # the terminal's code
    store: str  # the store's code ("" on the till)
    sent: int  # events that reached central, quarantined ones among them
    pending: int | None  # waiting on the till; None on central (it cannot know)
    quarantined: int  # refused by central and not resolved (or discarded)
    gaps: int  # sequence numbers missing between the first and the highest
    last_seq: int | None  # the highest sequence number
    oldest_pending_at: str | None  # UTC ISO (the till only)
    last_sync_at: str | None  # the till: the last event marked sent; central: last push


@dataclass(frozen=True, slots=True)
class SeqGap:
    terminal: str
    after: int  # the last number before the gap
    before: int  # the first number after it

    @property
    def missing(self) -> int:
        return self.before - self.after - 1


@dataclass(frozen=True, slots=True)
class OutboxState:
    state: str
    events: int
    first_seq: int | None
    last_seq: int | None
    oldest_at: str | None


@dataclass(frozen=True, slots=True)
class JobState:
    provider: str
    state: str
    jobs: int
    oldest_at: str | None


@dataclass(frozen=True, slots=True)
class SyncHealth:
    engine: str
    timezone: str
    tills: tuple[TillHealth, ...]
    gaps: tuple[SeqGap, ...]
    outbox: tuple[OutboxState, ...]  # the till only
    jobs: tuple[JobState, ...]  # the till only

    def notes(self) -> tuple[Words, ...]:
        if self.engine != "central":
            return ()
        return (Words("Pusat tidak tahu apa yang masih menunggu di tiap kasir: kolom "
                      "'menunggu' kosong; laporan kasir itu sendiri menunjukkannya.",
                      "Central cannot know what is still waiting on each till: the "
                      "'pending' column is empty; the till's own report shows it."),)

    def report(self) -> TableReport:
        zone = self.timezone

        def when(stamp: str | None) -> str:
            return "" if not stamp else fmt.datetime_text(stamp, zone)

        central = self.engine == "central"
        cols = (Column("terminal", "Terminal", "Terminal"),
                *((Column("store", "Toko", "Store"),) if central else ()),
                Column("sent", "Terkirim", "Sent", "int"),
                Column("pending", "Menunggu", "Pending", "int"),
                Column("quarantined", "Dikarantina", "Quarantined", "int"),
                Column("gaps", "Nomor hilang", "Missing seq.", "int"),
                Column("last_seq", "Urutan terakhir", "Last seq.", "int"),
                # what waits on a till central cannot know: no such column there
                *(() if central else (Column("oldest_pending_at", "Tertua menunggu",
                                             "Oldest pending"),)),
                Column("last_sync_at", "Sinkron terakhir", "Last sync"))
        tills = Table(
            "sync_tills", "Kesehatan sinkronisasi per kasir", "Sync health per till", cols,
            tuple((t.terminal, *((t.store,) if central else ()), t.sent, t.pending,
                   t.quarantined, t.gaps, t.last_seq,
                   *(() if central else (when(t.oldest_pending_at),)),
                   when(t.last_sync_at)) for t in self.tills),
            (None, *((None,) if central else ()), sum(t.sent for t in self.tills),
             None if central else sum(t.pending or 0 for t in self.tills),
             sum(t.quarantined for t in self.tills), sum(t.gaps for t in self.tills),
             None, *(() if central else (None,)), None))
        gaps = Table(
            "sync_gaps", "Celah nomor urut", "Gaps in the sequence",
            (Column("terminal", "Terminal", "Terminal"),
             Column("after", "Setelah no.", "After no.", "int"),
             Column("before", "Sebelum no.", "Before no.", "int"),
             Column("missing", "Hilang", "Missing", "int")),
            tuple((g.terminal, g.after, g.before, g.missing) for g in self.gaps),
            (None, None, None, sum(g.missing for g in self.gaps)) if self.gaps else None)
        tables = [tills, gaps]
        if not central:
            tables.append(Table(
                "sync_outbox", "Antrian ke pusat (outbox)", "Queue to central (outbox)",
                (Column("state", "Status", "State"), Column("events", "Event", "Events", "int"),
                 Column("first_seq", "No. pertama", "First no.", "int"),
                 Column("last_seq", "No. terakhir", "Last no.", "int"),
                 Column("oldest_at", "Tertua", "Oldest")),
                tuple((_state(OUTBOX_STATES, o.state), o.events, o.first_seq, o.last_seq,
                       when(o.oldest_at)) for o in self.outbox),
                (None, sum(o.events for o in self.outbox), None, None, None)))
            tables.append(Table(
                "sync_jobs", "Tugas penyedia (pembayaran, kurir, pesan)",
                "Provider jobs (payments, couriers, messages)",
                (Column("provider", "Penyedia", "Provider"), Column("state", "Status", "State"),
                 Column("jobs", "Tugas", "Jobs", "int"), Column("oldest_at", "Tertua", "Oldest")),
                tuple((j.provider, _state(JOB_STATES, j.state), j.jobs, when(j.oldest_at))
                      for j in self.jobs),
                (None, None, sum(j.jobs for j in self.jobs), None) if self.jobs else None))
        return TableReport("sync-health", "Kesehatan sinkronisasi", "Sync health", None,
                           tuple(tables), notes=self.notes())


# --- queries ---------------------------------------------------------------------------

def _stamp(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _gaps(conn: Connection, seq: ColumnElement[Any], key: ColumnElement[Any],
          table: FromClause, where: ColumnElement[bool], *, from_one: bool
          ) -> list[tuple[str, int, int]]:
    """(key, after, before) of every jump of more than one between consecutive numbers;
    ``from_one``: also from 0 to the first number (central: every terminal's sequence
    starts at 1, a missing first event is a gap; the till counts from its oldest row)."""
    start = literal(0) if from_one else seq - 1
    prev = func.coalesce(func.lag(seq).over(partition_by=key, order_by=seq), start)
    steps = select(key.label("k"), seq.label("seq"), prev.label("prev")).select_from(
        table).where(where).subquery("steps")
    return [(str(k), int(p), int(s)) for k, s, p in conn.execute(
        select(steps.c.k, steps.c.seq, steps.c.prev)
        .where(steps.c.seq - steps.c.prev > 1).order_by(steps.c.k, steps.c.seq))]


def _till_health(conn: Connection, src: ReportSource) -> SyncHealth:
    from local_db.store import read_settings
    ob, pj = src.outbox, src.provider_job
    assert ob is not None and pj is not None
    settings = read_settings(conn)
    code = settings.get("terminal_code", "")
    states = [OutboxState(str(st), int(n), None if lo is None else int(lo),
                          None if hi is None else int(hi), _stamp(old))
              for st, n, lo, hi, old in conn.execute(
                  select(ob.c.status, func.count(), func.min(ob.c.seq), func.max(ob.c.seq),
                         func.min(ob.c.created_at))
                  .group_by(ob.c.status).order_by(ob.c.status))]
    by = {o.state: o for o in states}
    last_sent = conn.execute(select(func.max(ob.c.sent_at))
                             .where(ob.c.status == "sent")).scalar()
    gaps = [SeqGap(code, a, b)
            for _k, a, b in _gaps(conn, ob.c.seq, literal(code), ob, true(), from_one=False)]
    last_seq = max((o.last_seq for o in states if o.last_seq is not None), default=None)
    pending = by.get("pending")
    waiting = pending.events if pending else 0
    till = TillHealth(code, "", sum(o.events for o in states) - waiting, waiting,
                      by["quarantined"].events if "quarantined" in by else 0,
                      sum(g.missing for g in gaps), last_seq,
                      pending.oldest_at if pending else None, _stamp(last_sent))
    jobs = tuple(JobState(str(p), str(st), int(n), _stamp(old)) for p, st, n, old in
                 conn.execute(select(pj.c.provider, pj.c.state, func.count(),
                                     func.min(pj.c.created_at))
                              .group_by(pj.c.provider, pj.c.state)
                              .order_by(pj.c.provider, pj.c.state)))
    return SyncHealth("local", src.timezone, (till,), tuple(gaps), tuple(states), jobs)


def _central_health(conn: Connection, src: ReportSource) -> SyncHealth:
    ev, q, term, store = src.event, src.quarantine, src.terminal, src.store
    assert ev is not None and q is not None and term is not None and store is not None
    in_scope = and_(term.c.tenant_id == select(func.central.current_tenant()).scalar_subquery(),
                    *([term.c.store_id == src.store_id] if src.store_id else []),
                    *([term.c.id == src.terminal_id] if src.terminal_id else []))
    terminals = conn.execute(
        select(term.c.id, term.c.code, store.c.code, term.c.last_seen_at)
        .select_from(term.join(store, and_(store.c.tenant_id == term.c.tenant_id,
                                           store.c.id == term.c.store_id)))
        .where(in_scope).order_by(store.c.code, term.c.code)).all()
    ids = [t[0] for t in terminals]
    on_term = and_(ev.c.tenant_id == term.c.tenant_id, ev.c.terminal_id == term.c.id)
    counted: dict[str, tuple[int, int | None]] = {
        str(t): (int(n), None if hi is None else int(hi)) for t, n, hi in conn.execute(
            select(ev.c.terminal_id, func.count(), func.max(ev.c.seq))
            .select_from(ev.join(term, on_term)).where(in_scope)
            .group_by(ev.c.terminal_id))}
    held: dict[str, int] = {str(t): int(n) for t, n in conn.execute(
        select(q.c.terminal_id, func.count())
        .select_from(q.join(term, and_(q.c.tenant_id == term.c.tenant_id,
                                       q.c.terminal_id == term.c.id)))
        .where(in_scope, q.c.resolved_at.is_(None)).group_by(q.c.terminal_id))}
    codes = {str(t[0]): str(t[1]) for t in terminals}
    found = _gaps(conn, ev.c.seq, ev.c.terminal_id, ev.join(term, on_term), in_scope,
                  from_one=True)
    gaps = [SeqGap(codes.get(k, k), a, b) for k, a, b in found]
    missing: dict[str, int] = {}
    for k, a, b in found:
        missing[k] = missing.get(k, 0) + b - a - 1
    tills = []
    for tid in ids:
        key = str(tid)
        events, last = counted.get(key, (0, None))
        quarantined = held.get(key, 0)
        row = next(t for t in terminals if str(t[0]) == key)
        tills.append(TillHealth(str(row[1]), str(row[2]), events, None,
                                quarantined, missing.get(key, 0), last, None,
                                _stamp(row[3])))
    return SyncHealth("central", src.timezone, tuple(tills), tuple(gaps), (), ())


def sync_health(conn: Connection, *, source: ReportSource | None = None) -> SyncHealth:
    """The sync's health now, on this engine (see the module doc)."""
    src = source if source is not None else local_source(conn)
    return _central_health(conn, src) if src.engine == "central" else _till_health(conn, src)


# --- the catalogue's entry -------------------------------------------------------------

Runner = Callable[[Connection, "Period | None", ReportSource], TableReport]


def _run(conn: Connection, _period: Period | None, source: ReportSource) -> TableReport:
    return sync_health(conn, source=source).report()


REPORTS: Mapping[str, tuple[ReportSpec, Runner]] = {
    "sync-health": (ReportSpec("sync-health", "Kesehatan sinkronisasi", "Sync health", False),
                    _run),
}

__all__ = ["REPORTS", "JobState", "OutboxState", "SeqGap", "SyncHealth", "TillHealth",
           "sync_health"]

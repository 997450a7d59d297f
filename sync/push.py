"""The push: pending outbox events -> central PostgreSQL, exactly-once in effect.

One pass (:func:`push_once`) repeats, until nothing is pending:

1. read the next batch of pending events (seq order) and the local rows they need, on a
   *reader* connection, closed before any network call (the till keeps selling);
2. send it as ONE central transaction, as the terminal's own role (RLS applies): lock our
   terminal row, check the clone guard, then per event a SAVEPOINT, the event row
   ``ON CONFLICT (tenant_id, event_id) DO NOTHING`` and its business rows; a rejected
   event rolls back to its savepoint and is stored again with a ``quarantine`` row, so it
   is never resent and the rest of the batch goes on; finally ``last_seq`` moves forward; COMMIT;
3. only after COMMIT returned, mark the batch sent/quarantined locally in one short writer
   transaction.

If the reply to COMMIT is lost, step 3 does not happen and the next pass sends the same
batch again: every event is already there (keyed by tenant and event_id), so nothing is
applied twice, and the events' fate (sent or quarantined) is read back from central.

Speed (a catch-up of 20,000 sales, ``warungin bench --only push``): a batch is first tried
without a savepoint per event, one ``INSERT ... SELECT FROM jsonb_array_elements(...)`` per
table (row-level security still checks every row, its policy functions run once per
statement); anything quarantine-worthy undoes that attempt and the events go one by one as
described above. Each batch's transaction starts with ``DISCARD PLANS``: the foreign-key
checks' cached plans would otherwise stay the sequential scans chosen while a new central's
tables were small, and a long catch-up would slow down batch after batch.

Event schema versions: each pass first asks central which version it understands
(``central.event_schema_max()``, 1 before migration c0002). Older events are upcast
(:func:`sync.push_rows.newest_payload`); an event NEWER than central understands is stored
at central unapplied, beside a quarantine row with ``detail.code = 'schema_too_new'``, and
quarantined locally with that reason; once central is upgraded the next pass puts it back
in the queue and applies it (resolving the quarantine row). Nothing is dropped. Event
types that need a central table added by a later migration (``push_rows.NEEDS_TABLE``:
the device-token registry, c0005) are treated the same way while central lacks it.

Journal sweep (:func:`sweep_journal`): after the outbox is empty, journal entries that no
outbox event carries (Midtrans settlements, closing entries; kinds outside
:data:`EVENT_CARRIED_KINDS`) go up in local rowid order behind the same clone guard, the
local cursor ``sync.journal_swept`` moving only after central's COMMIT, so every entry of the
till's ledger reaches central exactly once in effect.

Clone guard: the ``install_id`` this machine keeps in its secret store must equal the one
on central's terminal row, and a seq central holds under another event_id (or an event id a
sibling terminal of this tenant holds) means a copy of this till's database pushed first.
Event ids are keyed per tenant at central (migration c0004), so another tenant can neither
learn of this till's events nor block them by taking their ids. Either refusal stops the
push (:class:`PushRefused`) without merging anything; the refusal is recorded locally for
``sync status``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg
from sqlalchemy import bindparam, text

from local_db.engine import Database
from local_db.ids import now_iso
from local_db.store import read_settings, write_settings
from local_db.uow import UnitOfWork
from services.errors import Conflict
from sync.faultpoints import AFTER_COMMIT, BEFORE_COMMIT, BEFORE_SEND, faultpoint
from sync.central.connect import CentralUnavailable, terminal_connect
from sync.push_rows import (
    NEEDS_TABLE,
    NEWEST_VERSION,
    TOO_NEW,
    Context,
    LocalRows,
    OutboxRow,
    Rejected,
    apply_event,
    apply_sales,
    bulk_insert,
    bulk_insert_sql,
    journal_ids,
    movement_ids,
    needs_local_movements,
    needs_table,
)

BATCH_SIZE = 200

SETTING_TENANT = "tenant_id"
SETTING_STORE = "central.store_id"
SETTING_TERMINAL = "central.terminal_id"
# Written by the push, read by sync/status.py.
SETTING_LAST_PUSH = "sync.last_push_at"
SETTING_REFUSED = "sync.refused"
SETTING_GAPS = "sync.central_gaps"
#: The journal sweep's cursor: the local ``journal_entry`` rowid up to which entries that no
#: outbox event carries are at central.
SETTING_JOURNAL_SWEPT = "sync.journal_swept"
SWEEP_BATCH = 5000

#: Journal entry kinds an outbox event carries (named in its payload or found by its
#: aggregate id = the entry's ref_id): the event's push sends them, and an entry whose event
#: central quarantined stays off central's books with it. Every other kind (Midtrans
#: settlements, period closings, kinds added later) goes up by the journal sweep, so every
#: entry of the till's ledger reaches central. An entry of a kind carried by an event AND
#: swept is harmless: both insert ``ON CONFLICT DO NOTHING``.
EVENT_CARRIED_KINDS = frozenset({
    "sale", "refund", "goods.received", "stock.adjust", "stock.waste", "stock.count",
    "shift.float", "shift.close", "cash.in", "cash.out", "kasbon.repayment", "expense",
    "payable.payment"})

Connect = Callable[[], psycopg.Connection[tuple[Any, ...]]]


class PushRefused(Conflict):
    """Central refuses this machine's pushes (a copied database, another install)."""

    code = "push_refused"


@dataclass(frozen=True, slots=True)
class CentralLink:
    """How to reach central as this terminal; ``install_id`` comes from the secret store."""

    dsn: str
    password: str
    install_id: str

    def __repr__(self) -> str:
        return f"CentralLink(dsn={self.dsn!r}, password='***', install_id={self.install_id!r})"

    def connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        return terminal_connect(self.dsn, self.password)


@dataclass(slots=True)
class PushReport:
    batches: int = 0
    sent: int = 0
    quarantined: int = 0
    already_at_central: int = 0  # resent after a lost reply: applied before, not again
    reapplied: int = 0  # quarantined as too new for central earlier, applied now
    central_gaps: int = 0
    journal_swept: int = 0  # entries no event carries (settlements...), sent by the sweep
    seconds: float = 0.0
    quarantine_reasons: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Batch:
    ctx: Context
    events: list[OutboxRow]
    local: LocalRows


@dataclass(frozen=True, slots=True)
class _Outcome:
    seq: int
    status: str  # sent | quarantined
    reason: str | None
    fresh: bool  # applied in this transaction (False: it was already at central)
    reapplied: bool = False  # kept earlier as too new for central, applied now


# --- local side ---------------------------------------------------------------------------

def context_of(db: Database) -> Context:
    with UnitOfWork(db, write=False) as uow:
        settings = read_settings(uow.conn)
    try:
        return Context(settings[SETTING_TENANT], settings[SETTING_TERMINAL],
                       settings[SETTING_STORE])
    except KeyError:
        raise Conflict("this till is not enrolled with a central database; run "
                       "'warungin enroll CODE'", field="central") from None


def _in(name: str) -> Any:
    return bindparam(name, expanding=True)


def _read_batch(db: Database, ctx: Context, limit: int) -> _Batch:
    """The next pending events and every local row they need, on a reader connection."""
    local = LocalRows()
    with UnitOfWork(db, write=False) as uow:
        c = uow.conn
        events = [OutboxRow(int(r[0]), str(r[1]), str(r[2]), int(r[3]),
                            None if r[4] is None else str(r[4]), str(r[5]), str(r[6]))
                  for r in c.execute(text(
                      "SELECT seq, id, type, schema_version, aggregate_id, payload, created_at "
                      "FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT :n"),
                      {"n": limit})]
        if not events:
            return _Batch(ctx, events, local)
        moves: list[str] = []
        entries: list[str] = []
        for ev in events:
            try:
                if needs_local_movements(ev):
                    moves += movement_ids(ev)
                entries += journal_ids(ev)
            except (Rejected, KeyError, TypeError, ValueError):
                continue  # a bad payload is quarantined when applied, with its reason
        refs = [ev.aggregate_id for ev in events if ev.aggregate_id]
        if moves:
            for r in c.execute(text(
                    "SELECT id, product_id, qty_milli, kind, ref_id, unit_cost, reason, "
                    "supplier, user_id, created_at FROM stock_movement WHERE id IN :ids")
                    .bindparams(_in("ids")), {"ids": moves}).mappings():
                local.stock_movements[str(r["id"])] = dict(r)
        for r in c.execute(text(
                "SELECT id, kind, ref_id, memo, created_at FROM journal_entry "
                "WHERE id IN :ids OR ref_id IN :refs")
                .bindparams(_in("ids"), _in("refs")),
                {"ids": entries or [""], "refs": refs or [""]}).mappings():
            local.journal_entries[str(r["id"])] = dict(r)
            if r["ref_id"] is not None:
                local.entries_by_ref.setdefault(str(r["ref_id"]), []).append(str(r["id"]))
        if local.journal_entries:
            # line_no at central = position within the entry by local id.
            for eid, acc, debit, credit in c.execute(text(
                    "SELECT entry_id, account_code, debit, credit FROM journal_line "
                    "WHERE entry_id IN :ids ORDER BY entry_id, id")
                    .bindparams(_in("ids")), {"ids": list(local.journal_entries)}):
                local.journal_lines.setdefault(str(eid), []).append(
                    (str(acc), int(debit), int(credit)))
        local.categories = {str(i): str(n) for i, n in c.execute(
            text("SELECT id, name FROM category"))}
        if any(ev.type == "expense.recorded" for ev in events):
            local.expense_categories = {str(k): (str(n), str(a)) for k, n, a in c.execute(
                text("SELECT code, name, account_code FROM expense_category"))}
    return _Batch(ctx, events, local)


def _mark(db: Database, outcomes: Iterable[_Outcome], extra: dict[str, str]) -> None:
    """After central's COMMIT: the batch's local state, in one short writer transaction."""
    stamp = now_iso()
    sent = [{"seq": o.seq, "at": stamp} for o in outcomes if o.status == "sent"]
    quar = [{"seq": o.seq, "at": stamp, "why": o.reason} for o in outcomes
            if o.status == "quarantined"]
    with UnitOfWork(db) as uow:
        if sent:
            uow.conn.execute(text("UPDATE outbox SET status = 'sent', sent_at = :at, "
                                  "last_error = NULL WHERE seq = :seq AND status = 'pending'"),
                             sent)
        if quar:
            uow.conn.execute(text("UPDATE outbox SET status = 'quarantined', sent_at = :at, "
                                  "last_error = :why WHERE seq = :seq AND status = 'pending'"),
                             quar)
        write_settings(uow.conn, {SETTING_LAST_PUSH: stamp, **extra})
        uow.commit()


def _record_refusal(db: Database, reason: str) -> None:
    with UnitOfWork(db) as uow:
        write_settings(uow.conn, {SETTING_REFUSED: reason})
        uow.commit()


# --- central side -------------------------------------------------------------------------

Cur = psycopg.Cursor[tuple[Any, ...]]


def _guard(cur: Cur, ctx: Context, link: CentralLink, events: list[OutboxRow]) -> set[str]:
    """Clone guard; returns the event ids central already holds (a resent batch)."""
    row = cur.execute(
        "SELECT central.current_tenant()::text, t.id::text, t.install_id::text, t.last_seq "
        "FROM central.terminal t WHERE t.id = central.current_terminal() FOR UPDATE"
    ).fetchone()
    if row is None:
        raise PushRefused("central does not know this terminal (was it removed?)",
                          field="central")
    tenant, terminal, install_id, _last_seq = row
    if (tenant, terminal) != (ctx.tenant_id, ctx.terminal_id):
        raise PushRefused(f"the central login belongs to terminal {terminal} of tenant "
                          f"{tenant}, but this till is {ctx.terminal_id} of {ctx.tenant_id}",
                          field="central")
    if install_id is None or install_id != link.install_id:
        raise PushRefused("central knows this terminal from another installation: this looks "
                          "like a copy of the till's database on a second machine; nothing "
                          "was sent (enrol this machine as a new terminal)", field="install_id")
    by_seq = {int(s): str(e) for s, e in cur.execute(
        "SELECT seq, event_id::text FROM central.event WHERE tenant_id = %s "
        "AND terminal_id = %s AND seq = ANY(%s)",
        (ctx.tenant_id, ctx.terminal_id, [ev.seq for ev in events]))}
    for ev in events:
        other = by_seq.get(ev.seq)
        if other is not None and other != ev.event_id:
            raise PushRefused(f"central already holds seq {ev.seq} of this terminal as another "
                              f"event ({other}): a copy or an old backup of this till's "
                              "database has pushed; nothing was merged", field="seq")
    return set(by_seq.values())


def _insert_event(cur: Cur, ctx: Context, ev: OutboxRow) -> bool:
    return cur.execute(
        "INSERT INTO central.event (event_id, tenant_id, terminal_id, seq, type, "
        "schema_version, payload, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s) "
        "ON CONFLICT (tenant_id, event_id) DO NOTHING RETURNING 1",
        (ev.event_id, ctx.tenant_id, ctx.terminal_id, ev.seq, ev.type, ev.schema_version,
         ev.payload_json, ev.created_at)).fetchone() is not None


# No conflict target: the key is (tenant_id, event_id) from c0004 on and event_id alone
# before, and a till pushes to a central of either age. A terminal only inserts rows of its
# own tenant, so at c0004 a clash can only be with its own tenant's row.
_QUARANTINE = ("INSERT INTO central.quarantine (tenant_id, event_id, terminal_id, reason, "
               "detail) VALUES (%s, %s, %s, %s, %s::jsonb) ON CONFLICT DO NOTHING")


# Errors that mean "this event's data cannot go in" (quarantine it), as opposed to a lost
# connection or a bug in the statement (which must stop the pass and be retried or fixed).
_DATA_ERRORS = (psycopg.errors.IntegrityError, psycopg.errors.DataError,
                psycopg.errors.InsufficientPrivilege)


def _apply_one(cur: Cur, ctx: Context, ev: OutboxRow, local: LocalRows) -> _Outcome:
    cur.execute("SAVEPOINT ev")
    if not _insert_event(cur, ctx, ev):
        # Not among this terminal's events (the guard listed those), yet the id is taken in
        # this tenant (the key is (tenant_id, event_id): another tenant's rows never clash):
        # a sibling terminal pushed this very event, i.e. a copy of this database enrolled
        # elsewhere. Never merged, never silently counted as sent.
        raise PushRefused(f"event {ev.event_id} (seq {ev.seq}) was already pushed by another "
                          "terminal: this till's database is a copy; nothing was merged",
                          field="event_id")
    try:
        apply_event(cur, ctx, ev, local)
    except Rejected as exc:
        reason, detail = exc.reason, exc.detail
    except _DATA_ERRORS as exc:
        reason = f"central refused a row: {exc.diag.message_primary or exc}"
        detail = {"sqlstate": exc.sqlstate, "constraint": exc.diag.constraint_name}
    else:
        cur.execute("RELEASE SAVEPOINT ev")
        return _Outcome(ev.seq, "sent", None, fresh=True)
    # Undo its business rows, keep the event itself (never resent) beside its quarantine.
    cur.execute("ROLLBACK TO SAVEPOINT ev")
    _insert_event(cur, ctx, ev)
    cur.execute(_QUARANTINE, (ctx.tenant_id, ev.event_id, ctx.terminal_id, reason,
                              json.dumps(detail)))
    cur.execute("RELEASE SAVEPOINT ev")
    return _Outcome(ev.seq, "quarantined", reason, fresh=True)


def _too_new_reason(version: int, understood: int) -> tuple[str, dict[str, Any]]:
    return (f"{TOO_NEW}: event schema version {version} is newer than central understands "
            f"({understood}); kept at central and applied once central is upgraded "
            "('warungin central init')",
            {"code": TOO_NEW, "schema_version": version, "central_understands": understood})


def _lacks_reason(ev: OutboxRow) -> tuple[str, dict[str, Any]]:
    table = needs_table(ev)
    return (f"{TOO_NEW}: central has no {table} table yet for {ev.type} events; kept at "
            "central and applied once central is upgraded ('warungin central init')",
            {"code": TOO_NEW, "schema_version": ev.schema_version, "needs_table": table})


def _central_lacks(ev: OutboxRow, missing: frozenset[str]) -> bool:
    return needs_table(ev) in missing


def missing_tables(conn: psycopg.Connection[tuple[Any, ...]]) -> frozenset[str]:
    """The central tables some event types need (push_rows.NEEDS_TABLE) that this central
    does not have yet (its schema is older than the till's software)."""
    wanted = sorted(set(NEEDS_TABLE.values()))
    row = conn.execute("SELECT array_agg(t) FROM unnest(%s::text[]) AS t "
                       "WHERE to_regclass('central.' || t) IS NULL", (wanted,)).fetchone()
    conn.commit()
    return frozenset(row[0] or ()) if row else frozenset()


def _quarantine_too_new(cur: Cur, ctx: Context, ev: OutboxRow, understood: int,
                        missing: frozenset[str] = frozenset()) -> _Outcome:
    """Keep the event at central, unapplied, beside a quarantine row saying why."""
    reason, detail = (_lacks_reason(ev) if _central_lacks(ev, missing)
                      else _too_new_reason(ev.schema_version, understood))
    if not _insert_event(cur, ctx, ev):
        raise PushRefused(f"event {ev.event_id} (seq {ev.seq}) was already pushed by another "
                          "terminal: this till's database is a copy; nothing was merged",
                          field="event_id")
    cur.execute(_QUARANTINE, (ctx.tenant_id, ev.event_id, ctx.terminal_id, reason,
                              json.dumps(detail)))
    return _Outcome(ev.seq, "quarantined", reason, fresh=True)


def _apply_again(cur: Cur, ctx: Context, ev: OutboxRow, local: LocalRows) -> _Outcome:
    """An event central kept as too new, now that central understands its version: its
    business rows go in and its quarantine row is resolved (or, if its data is refused
    now, the quarantine row says that instead)."""
    cur.execute("SAVEPOINT ev")
    try:
        apply_event(cur, ctx, ev, local)
    except Rejected as exc:
        reason, detail = exc.reason, exc.detail
    except _DATA_ERRORS as exc:
        reason = f"central refused a row: {exc.diag.message_primary or exc}"
        detail = {"sqlstate": exc.sqlstate, "constraint": exc.diag.constraint_name}
    else:
        cur.execute("UPDATE central.quarantine SET resolved_at = now(), "
                    "detail = detail || '{\"resolved\": \"applied after central upgrade\"}' "
                    "WHERE tenant_id = %s AND event_id = %s", (ctx.tenant_id, ev.event_id))
        cur.execute("RELEASE SAVEPOINT ev")
        return _Outcome(ev.seq, "sent", None, fresh=True, reapplied=True)
    cur.execute("ROLLBACK TO SAVEPOINT ev")
    cur.execute("UPDATE central.quarantine SET reason = %s, detail = %s::jsonb "
                "WHERE tenant_id = %s AND event_id = %s",
                (reason, json.dumps(detail), ctx.tenant_id, ev.event_id))
    cur.execute("RELEASE SAVEPOINT ev")
    return _Outcome(ev.seq, "quarantined", reason, fresh=True)


def central_understands(conn: psycopg.Connection[tuple[Any, ...]]) -> int:
    """The newest event schema version central understands (1 before migration c0002)."""
    row = conn.execute("SELECT to_regprocedure('central.event_schema_max()') IS NOT NULL"
                       ).fetchone()
    version = 1
    if row and row[0]:
        got = conn.execute("SELECT central.event_schema_max()").fetchone()
        version = int(got[0]) if got else 1
    conn.commit()
    return version


def _reoffer(db: Database, accepted: int, missing: frozenset[str] = frozenset()) -> int:
    """Events quarantined as too new for central go back into the queue once central
    understands their version and has the tables they need (central still holds them;
    the push applies them)."""
    waiting = sorted(t for t, table in NEEDS_TABLE.items() if table in missing) or [""]
    with UnitOfWork(db) as uow:
        n = uow.conn.execute(text(
            "UPDATE outbox SET status = 'pending', sent_at = NULL "
            "WHERE status = 'quarantined' AND last_error LIKE :code "
            "AND schema_version <= :v AND type NOT IN :waiting")
            .bindparams(_in("waiting")),
            {"code": f"{TOO_NEW}:%", "v": accepted, "waiting": waiting}).rowcount
        uow.commit()
    return int(n or 0)


class _OneByOne(Exception):
    """The batch fast path cannot tell what happened: let the per-event path decide."""


_BULK_EVENT = bulk_insert_sql("event", ("event_id", "tenant_id", "terminal_id", "seq", "type",
                                        "schema_version", "payload", "created_at"),
                              "tenant_id, event_id")


def _apply_batch(cur: Cur, ctx: Context, events: list[OutboxRow], local: LocalRows) -> None:
    """Every event of the batch without a savepoint each: the event rows in one statement,
    runs of consecutive sales with one statement per table (a catch-up is mostly sales),
    other events through their handler, in seq order (a refund must find its sale). Raises
    on the first problem; the caller then undoes it all."""
    inserted = bulk_insert(cur, _BULK_EVENT, [
        (ev.event_id, ctx.tenant_id, ctx.terminal_id, ev.seq, ev.type, ev.schema_version,
         ev.payload, ev.created_at) for ev in events])
    # The guard listed this terminal's events, so a conflict here is an event id another
    # terminal holds: the per-event path refuses the push with the precise message.
    if inserted != len(events):
        raise _OneByOne
    sales: list[OutboxRow] = []
    for ev in events:
        if ev.type == "sale.completed":
            sales.append(ev)
            continue
        apply_sales(cur, ctx, sales, local)
        sales = []
        apply_event(cur, ctx, ev, local)
    apply_sales(cur, ctx, sales, local)


def _send(conn: psycopg.Connection[tuple[Any, ...]], link: CentralLink,
          batch: _Batch, understood: int = NEWEST_VERSION,
          missing: frozenset[str] = frozenset()) -> list[_Outcome]:
    ctx, events = batch.ctx, batch.events
    accepted = min(understood, NEWEST_VERSION)
    with conn.transaction(), conn.cursor() as cur:
        # The foreign-key checks' plans are cached per connection; planned while a fresh
        # central's tables were nearly empty they stay sequential scans, and every batch of
        # a catch-up gets slower than the last. Plans are made again for each batch.
        cur.execute("DISCARD PLANS")
        present = _guard(cur, ctx, link, events)
        held: dict[str, tuple[str, str | None, bool]] = {}
        if present:
            # Resent after a lost reply, or kept earlier as too new: what central decided.
            held = {str(e): (str(r), None if c is None else str(c), resolved is not None)
                    for e, r, c, resolved in cur.execute(
                        "SELECT event_id::text, reason, detail ->> 'code', resolved_at "
                        "FROM central.quarantine WHERE tenant_id = %s AND event_id = ANY(%s)",
                        (ctx.tenant_id, list(present)))}
        too_new = {ev.event_id for ev in events
                   if ev.schema_version > accepted or _central_lacks(ev, missing)}
        fresh = [ev for ev in events if ev.event_id not in present | too_new]
        batched = False
        if fresh:
            # One round of statements for the whole batch instead of ~10 per event; any
            # quarantine-worthy problem undoes it and the events go one by one, each in its
            # savepoint, exactly as without this path (connection errors still propagate).
            cur.execute("SAVEPOINT batch")
            try:
                _apply_batch(cur, ctx, fresh, batch.local)
            except (_OneByOne, Rejected, *_DATA_ERRORS):
                cur.execute("ROLLBACK TO SAVEPOINT batch")
            else:
                batched = True
            cur.execute("RELEASE SAVEPOINT batch")
        outcomes: list[_Outcome] = []
        for ev in events:
            if ev.event_id in present:
                reason, code, resolved = held.get(ev.event_id, ("", None, True))
                if resolved:
                    outcomes.append(_Outcome(ev.seq, "sent", None, fresh=False))
                elif (code == TOO_NEW and ev.schema_version <= accepted
                      and not _central_lacks(ev, missing)):
                    outcomes.append(_apply_again(cur, ctx, ev, batch.local))
                else:
                    outcomes.append(_Outcome(ev.seq, "quarantined", reason, fresh=False))
            elif ev.event_id in too_new:
                outcomes.append(_quarantine_too_new(cur, ctx, ev, understood, missing))
            elif batched:
                outcomes.append(_Outcome(ev.seq, "sent", None, fresh=True))
            else:
                outcomes.append(_apply_one(cur, ctx, ev, batch.local))
        # last_seq only moves forward (a resent older batch never pulls it back).
        cur.execute("UPDATE central.terminal SET last_seq = GREATEST(last_seq, %s), "
                    "last_seen_at = now() WHERE id = central.current_terminal()",
                    (max(ev.seq for ev in events),))
        faultpoint(BEFORE_COMMIT)
    return outcomes


def _gaps(conn: psycopg.Connection[tuple[Any, ...]], ctx: Context) -> int:
    """Seqs missing below the highest one central holds for this terminal."""
    row = conn.execute(
        "SELECT coalesce(max(seq), 0) - count(*) FROM central.event "
        "WHERE tenant_id = %s AND terminal_id = %s", (ctx.tenant_id, ctx.terminal_id)).fetchone()
    conn.commit()
    return int(row[0]) if row else 0


# --- the journal sweep --------------------------------------------------------------------

def _read_unswept(db: Database, limit: int) -> tuple[int | None, int, LocalRows]:
    """Entries after the sweep cursor whose kind no event carries: (last rowid looked at,
    None when there is nothing after the cursor; entries found; the entries and lines)."""
    local = LocalRows()
    with UnitOfWork(db, write=False) as uow:
        c = uow.conn
        after = int(read_settings(c).get(SETTING_JOURNAL_SWEPT) or 0)
        rows = list(c.execute(text(
            "SELECT rowid, id, kind, ref_id, memo, created_at FROM journal_entry "
            "WHERE rowid > :after ORDER BY rowid LIMIT :n"), {"after": after, "n": limit}))
        if not rows:
            return None, 0, local
        last = int(rows[-1][0])
        for _, eid, kind, ref, memo, at in rows:
            if str(kind) not in EVENT_CARRIED_KINDS:
                local.journal_entries[str(eid)] = {"kind": kind, "ref_id": ref, "memo": memo,
                                                   "created_at": at}
        if local.journal_entries:
            for eid, acc, debit, credit in c.execute(text(
                    "SELECT entry_id, account_code, debit, credit FROM journal_line "
                    "WHERE entry_id IN :ids ORDER BY entry_id, id")
                    .bindparams(_in("ids")), {"ids": list(local.journal_entries)}):
                local.journal_lines.setdefault(str(eid), []).append(
                    (str(acc), int(debit), int(credit)))
    return last, len(local.journal_entries), local


def sweep_journal(db: Database, link: CentralLink, conn: psycopg.Connection[tuple[Any, ...]],
                  ctx: Context, *, batch_size: int = SWEEP_BATCH) -> int:
    """Send the journal entries no outbox event carries (see :data:`EVENT_CARRIED_KINDS`),
    in rowid order, each batch one central transaction behind the clone guard; the local
    cursor moves only after central's COMMIT. Returns how many entries were sent."""
    sent = 0
    while True:
        last, found, local = _read_unswept(db, batch_size)
        if last is None:
            return sent
        if found:
            entries = [(ctx.tenant_id, eid, ctx.terminal_id, ctx.store_id, e["kind"],
                        e["ref_id"], e["memo"], e["created_at"])
                       for eid, e in local.journal_entries.items()]
            lines = [(ctx.tenant_id, eid, n, ctx.terminal_id, a, d, c)
                     for eid in local.journal_entries
                     for n, (a, d, c) in enumerate(local.journal_lines.get(eid, []), start=1)]
            with conn.transaction(), conn.cursor() as cur:
                _guard(cur, ctx, link, [])
                bulk_insert(cur, _SWEEP_ENTRY, entries)
                bulk_insert(cur, _SWEEP_LINE, lines)
            sent += found
        with UnitOfWork(db) as uow:
            write_settings(uow.conn, {SETTING_JOURNAL_SWEPT: str(last)})
            uow.commit()


_SWEEP_ENTRY = bulk_insert_sql("journal_entry", ("tenant_id", "id", "terminal_id", "store_id",
                                                 "kind", "ref_id", "memo", "created_at"),
                               "tenant_id, id")
_SWEEP_LINE = bulk_insert_sql("journal_line", ("tenant_id", "entry_id", "line_no",
                                               "terminal_id", "account_code", "debit",
                                               "credit"), "tenant_id, entry_id, line_no")


def push_once(db: Database, link: CentralLink, *, batch_size: int = BATCH_SIZE,
              max_batches: int | None = None, connect: Connect | None = None) -> PushReport:
    """Push every pending event (or ``max_batches`` batches). Raises CentralUnavailable when
    central cannot be reached or the connection breaks (nothing local changes for the batch
    in flight), PushRefused when the clone guard refuses this machine."""
    started = time.perf_counter()
    report = PushReport()
    ctx = context_of(db)
    open_conn = connect or link.connect
    conn = open_conn()
    try:
        try:
            understood = central_understands(conn)
            missing = missing_tables(conn)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise CentralUnavailable(f"the connection to central broke ({exc})") from None
        _reoffer(db, min(understood, NEWEST_VERSION), missing)
        while max_batches is None or report.batches < max_batches:
            batch = _read_batch(db, ctx, batch_size)
            if not batch.events:
                break
            faultpoint(BEFORE_SEND)
            try:
                outcomes = _send(conn, link, batch, understood, missing)
            except PushRefused as exc:
                _record_refusal(db, str(exc))
                raise
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                raise CentralUnavailable(f"the connection to central broke during a push "
                                         f"({str(exc).strip() or type(exc).__name__}); "
                                         "the batch will be sent again") from None
            faultpoint(AFTER_COMMIT)
            _mark(db, outcomes, {})
            report.batches += 1
            for o in outcomes:
                if o.status == "quarantined":
                    report.quarantined += 1
                    report.quarantine_reasons.append({"seq": o.seq, "reason": o.reason})
                else:
                    report.sent += 1
                if not o.fresh:
                    report.already_at_central += 1
            report.reapplied += sum(1 for o in outcomes if o.reapplied)
        if max_batches is None:
            try:
                report.journal_swept = sweep_journal(db, link, conn, ctx)
            except PushRefused as exc:
                _record_refusal(db, str(exc))
                raise
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                raise CentralUnavailable(f"the connection to central broke during the "
                                         f"journal sweep ({exc})") from None
        try:
            report.central_gaps = _gaps(conn, ctx)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise CentralUnavailable(f"the connection to central broke ({exc})") from None
        with UnitOfWork(db) as uow:
            write_settings(uow.conn, {SETTING_GAPS: str(report.central_gaps)})
            uow.conn.execute(text("DELETE FROM setting WHERE key = :k"),
                             {"k": SETTING_REFUSED})
            uow.commit()
    finally:
        conn.close()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


__all__ = ["BATCH_SIZE", "EVENT_CARRIED_KINDS", "SETTING_JOURNAL_SWEPT", "sweep_journal",
           "CentralLink", "PushRefused", "PushReport", "central_understands",
           "context_of", "missing_tables", "push_once"]

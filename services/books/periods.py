"""Closing the books by month: close (soft lock), lock (hard, once the PPN return is filed),
reopen (soft only), a supervisor's permit to post into a soft-closed month, and status.

- ``close_period``: the owner closes a store-local month that has ended (in the store's
  time zone). One closing entry (kind ``period.close``, dated at the month's last instant,
  ``ends_at`` − 1 µs) moves every revenue and expense balance of the month to 3-3000
  retained earnings (hledger ``--retain``); then the month is ``soft``. Balances are the
  statements' own (``services.books.common``: late postings of earlier closed months that
  are counted in this one included). A month with nothing to move gets no entry.
- Closing again after a reopen moves only what changed since (the earlier closing entries
  stay: the books are append-only).
- The database refuses postings into a closed month (trigger of migration 0003): every
  kind but a sale; into a ``soft`` month a posting passes with a ``posting_permit`` row for
  its entry id, which :func:`permit_posting` writes (a supervisor's, audited) in the
  poster's transaction before ``post_journal``.
- ``reopen_period``: soft -> open (owner, a reason, audited); a hard month never reopens,
  nor a month with a later closed month (close and reopen go in order).

Every change is audited and sent to central (outbox ``period.closed|locked|reopened``; the
close carries ``journal_entry_id`` so central gets the closing entry).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import AccountingPeriod, PostingPermit, User
from local_db.store import append_audit, append_outbox, post_journal, read_settings
from local_db.uow import UnitOfWork
from services.books.chart import CLOSING_KIND, RETAINED_EARNINGS, account_type
from services.books.common import (
    LatePosting,
    as_datetime,
    books,
    iso,
    month_bounds,
    month_period,
    net,
)
from services.errors import BadInput, Conflict, NotFound, Refused
from services.reports.source import DEFAULT_TIMEZONE, local_source
from services.users import Actor, authorize, require


@dataclass(frozen=True, slots=True)
class PeriodView:
    period: str  # YYYY-MM
    starts_at: str  # ISO UTC of the store-local month's first instant
    ends_at: str  # ISO UTC of the next month's first instant
    state: str  # open | soft | hard
    closing_entry_id: str | None
    closed_by: str | None
    closed_at: str | None
    ppn_filed_at: str | None
    note: str | None
    late_postings: int  # sales booked into it after its close

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PermitView:
    entry_id: str
    approver_id: str
    reason: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _timezone(conn: Connection) -> str:
    return read_settings(conn).get("timezone") or DEFAULT_TIMEZONE


def _view(conn: Connection, period: str, late: dict[str, int] | None = None) -> PeriodView:
    row = conn.execute(select(AccountingPeriod).where(AccountingPeriod.period == period)
                       ).mappings().first()
    if row is None:
        raise NotFound(f"period {period} has never been closed", field="period")
    if late is None:
        late = _late_counts(conn)
    return PeriodView(str(row["period"]), str(row["starts_at"]), str(row["ends_at"]),
                      str(row["state"]), row["closing_entry_id"], row["closed_by"],
                      row["closed_at"], row["ppn_filed_at"], row["note"], late.get(period, 0))


def _late_counts(conn: Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in books(conn, local_source(conn)).late:
        counts[p.period] = counts.get(p.period, 0) + 1
    return counts


def period_status(conn: Connection) -> tuple[PeriodView, ...]:
    """Every month that was ever closed, oldest first (a month never closed is open)."""
    periods = [str(p) for p in conn.execute(select(AccountingPeriod.period)
                                            .order_by(AccountingPeriod.period)).scalars()]
    late = _late_counts(conn)
    return tuple(_view(conn, p, late) for p in periods)


def late_postings(conn: Connection, period: str | None = None) -> tuple[LatePosting, ...]:
    """The till's late postings (sales booked into a closed month after its close), of one
    month or all; see ``services.books.common``."""
    late = books(conn, local_source(conn)).late
    return tuple(p for p in late if period is None or p.period == period)


def _check_text(period: str) -> str:
    month_period(period)
    return period.strip()


def closing_lines(conn: Connection, lo: datetime, hi: datetime) -> list[tuple[str, int, int]]:
    """The closing entry's lines for ``[lo, hi)`` on the till (``sync.pull`` uses it for a
    period closed at central): every revenue and expense balance reversed, the net to
    3-3000. [] when nothing is to move."""
    b = books(conn, local_source(conn))
    bal = b.balances(conn, lo, hi)
    lines: list[tuple[str, int, int]] = []
    moved = 0
    for code in sorted(bal):
        if account_type(code) not in ("revenue", "expense"):
            continue
        value = net(bal, code)
        if value > 0:
            lines.append((code, 0, value))
        elif value < 0:
            lines.append((code, -value, 0))
        moved += value
    if not lines:
        return []
    # Σ(debit - credit) of the moved accounts is ``moved``; retained earnings takes it.
    lines.append((RETAINED_EARNINGS, moved, 0) if moved > 0 else (RETAINED_EARNINGS, 0, -moved))
    return lines


_closing_lines = closing_lines  # the name sync.pull imports


def close_period(uow: UnitOfWork, actor: Actor, period: str, *, note: str | None = None
                 ) -> PeriodView:
    """Close a month: closing entry to retained earnings, then ``soft``."""
    period = _check_text(period)
    actor = authorize(uow, actor, "owner", "closing a period")
    conn = uow.conn
    lo, hi = month_bounds(period, _timezone(conn))
    stamp = now_iso()
    if as_datetime(stamp) < hi:
        raise Conflict(f"{period} has not ended yet in the store's time zone", field="period")
    row = conn.execute(select(AccountingPeriod.state).where(AccountingPeriod.period == period)
                       ).scalar()
    if row is not None and row != "open":
        raise Conflict(f"{period} is already closed ({row})", field="period")
    lines = closing_lines(conn, lo, hi)
    entry_id: str | None = None
    if lines:
        entry_id = post_journal(conn, kind=CLOSING_KIND, ref_id=None,
                                memo=f"tutup buku {period}", lines=lines,
                                created_at=iso(hi - timedelta(microseconds=1)))
    values = {"state": "soft", "closed_by": actor.id, "closed_at": stamp, "note": note}
    if entry_id is not None or row is None:
        values["closing_entry_id"] = entry_id
    if row is None:
        conn.execute(insert(AccountingPeriod).values(period=period, starts_at=iso(lo),
                                                     ends_at=iso(hi), **values))
    else:
        conn.execute(update(AccountingPeriod).where(AccountingPeriod.period == period)
                     .values(**values))
    moved = sum(d for _, d, _ in lines)
    append_audit(conn, "period.close", entity="period", entity_id=period, actor_id=actor.id,
                 details={"closing_entry_id": entry_id, "moved": moved, "note": note},
                 created_at=stamp)
    append_outbox(conn, "period.closed", {
        "period": period, "starts_at": iso(lo), "ends_at": iso(hi), "state": "soft",
        "closed_by": actor.id, "closed_at": stamp, "journal_entry_id": entry_id},
        created_at=stamp)
    view = _view(conn, period)
    uow.commit()
    return view


def _state(conn: Connection, period: str) -> str:
    state = conn.execute(select(AccountingPeriod.state)
                         .where(AccountingPeriod.period == period)).scalar()
    return "open" if state is None else str(state)


def lock_period(uow: UnitOfWork, actor: Actor, period: str, *, ppn_filed_at: str | date
                ) -> PeriodView:
    """Hard-lock a closed month once its PPN return is filed (``YYYY-MM-DD``)."""
    period = _check_text(period)
    actor = authorize(uow, actor, "owner", "locking a period")
    conn = uow.conn
    filed = ppn_filed_at.isoformat() if isinstance(ppn_filed_at, date) else ppn_filed_at
    try:
        filed_day = date.fromisoformat(str(filed).strip())
    except ValueError:
        raise BadInput("the PPN filing date is written YYYY-MM-DD",
                       field="ppn_filed_at") from None
    if filed_day < month_period(period).end:
        raise BadInput("the PPN return of a month is filed after the month",
                       field="ppn_filed_at")
    state = _state(conn, period)
    if state == "open":
        raise Conflict(f"close {period} before locking it", field="period")
    if state == "hard":
        raise Conflict(f"{period} is already locked", field="period")
    stamp = now_iso()
    conn.execute(update(AccountingPeriod).where(AccountingPeriod.period == period)
                 .values(state="hard", ppn_filed_at=filed_day.isoformat()))
    append_audit(conn, "period.lock", entity="period", entity_id=period, actor_id=actor.id,
                 details={"ppn_filed_at": filed_day.isoformat()}, created_at=stamp)
    append_outbox(conn, "period.locked", {"period": period, "state": "hard",
                                          "ppn_filed_at": filed_day.isoformat(),
                                          "locked_at": stamp}, created_at=stamp)
    view = _view(conn, period)
    uow.commit()
    return view


def reopen_period(uow: UnitOfWork, actor: Actor, period: str, reason: str) -> PeriodView:
    """soft -> open, with the owner's reason (audited). A hard month never reopens."""
    period = _check_text(period)
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("a reason is needed to reopen a period", field="reason")
    actor = authorize(uow, actor, "owner", "reopening a period")
    conn = uow.conn
    state = _state(conn, period)
    if state == "open":
        raise Conflict(f"{period} is open", field="period")
    if state == "hard":
        raise Refused(f"{period} is locked: its PPN return was filed; correct it in an "
                      "open period", field="period")
    later = conn.execute(select(AccountingPeriod.period).where(
        AccountingPeriod.period > period, AccountingPeriod.state != "open")).first()
    if later is not None:
        raise Conflict(f"reopen {later[0]} first: periods reopen from the newest",
                       field="period")
    stamp = now_iso()
    conn.execute(update(AccountingPeriod).where(AccountingPeriod.period == period)
                 .values(state="open", note=reason))
    append_audit(conn, "period.reopen", entity="period", entity_id=period, actor_id=actor.id,
                 details={"reason": reason}, created_at=stamp)
    append_outbox(conn, "period.reopened", {"period": period, "state": "open",
                                            "reason": reason, "reopened_at": stamp},
                  created_at=stamp)
    view = _view(conn, period)
    uow.commit()
    return view


def permit_posting(conn: Connection, approver: Actor, entry_id: str, reason: str
                   ) -> PermitView:
    """A supervisor's leave to post the entry ``entry_id`` into a soft-closed month: call it
    in the poster's transaction, then ``post_journal(..., entry_id=entry_id)``. Audited.
    Does not commit. A hard-locked month refuses the entry anyway (the trigger)."""
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("a reason is needed to post into a closed period", field="reason")
    if not entry_id:
        raise BadInput("the entry id is needed", field="entry_id")
    require(approver, "supervisor", "posting into a closed period")
    row = conn.execute(select(User.role, User.active, User.locked)
                       .where(User.id == approver.id)).first()
    if row is None or not row[1] or row[2]:
        raise Refused(f"'{approver.name}' is not an active user", field="approver")
    if str(row[0]) not in ("supervisor", "owner"):
        raise Refused("posting into a closed period needs a supervisor", field="approver")
    stamp = now_iso()
    conn.execute(insert(PostingPermit).values(entry_id=entry_id, approver_id=approver.id,
                                              reason=reason, created_at=stamp))
    append_audit(conn, "period.permit", entity="journal_entry", entity_id=entry_id,
                 actor_id=approver.id, approver_id=approver.id,
                 details={"reason": reason}, created_at=stamp)
    return PermitView(entry_id, approver.id, reason, stamp)


def new_entry_id() -> str:
    """An id to permit and then post under (``post_journal(..., entry_id=...)``)."""
    return uuid7()


__all__ = ["PeriodView", "PermitView", "close_period", "closing_lines", "late_postings",
           "lock_period", "new_entry_id", "period_status", "permit_posting", "reopen_period"]

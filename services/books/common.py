"""What every statement of the books shares: the journal of a :class:`ReportSource`, the
accounting periods, late postings and the balances of accounts over a time window.

Late postings
-------------
A closed period (``soft`` or ``hard``) refuses every posting but a sale (the trigger of
migration 0003). A sale dated inside a closed period and *posted after its close* is a late
posting. How "posted after the close" is told:

- on the till, by posting order: journal lines have an ``INTEGER PRIMARY KEY`` that only
  grows (append-only table), and an entry's lines are written just before it, so an entry
  whose lines come after the closing entry's last line was posted after the close. The
  wall clock cannot tell it: a sale's ``created_at`` *is* its local posting time, which for
  a till whose clock was behind (or a backdated seeding) lies before the close. A period
  closed without a closing entry (nothing to move) counts every sale in it as late.
- on central (``journal_entry.received_at`` and ``accounting_period``, migration c0006):
  received after the period's ``closed_at`` — how a posting arriving later from a till
  that was offline shows; any kind but a till's own closing entry, as central's view
  ``late_posting`` lists them (an offline till's non-sale posting was not refused there).
  Without those columns, none.

So that a closed period's statements never change, a late posting is counted at the first
instant after the closed periods that follow it (the start of the next open month: "the
correction goes in the open period"), by every statement alike — P&L, balance sheet, trial
balance, cash book, ageing — so they keep agreeing with each other; and each statement of
the closed period lists it (``late_postings``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, false, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from services.books.chart import CLOSING_KIND
from services.errors import BadInput
from services.reports.source import ReportSource, local_source, zone
from services.reports.values import Period


def source_of(conn: Connection, source: ReportSource | None) -> ReportSource:
    return source if source is not None else local_source(conn)


def month_period(text: str) -> Period:
    """``YYYY-MM`` -> the month as a :class:`Period` of shop-local dates."""
    try:
        first = datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise BadInput("a period is written YYYY-MM", field="period") from None
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, nxt)


def month_bounds(text: str, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants ``[start, end)`` of a store-local month."""
    p = month_period(text)
    tz = zone(timezone)
    return (datetime.combine(p.start, time(0), tz).astimezone(UTC),
            datetime.combine(p.end, time(0), tz).astimezone(UTC))


def iso(moment: datetime) -> str:
    """The till's stamp format (``local_db.ids.now_iso``)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def as_datetime(value: Any) -> datetime:
    """A stored time (till text or central timestamptz) as an aware UTC datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).astimezone(UTC)


def stamp_text(value: Any) -> str:
    return iso(as_datetime(value))


def _sum(col: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


@dataclass(frozen=True, slots=True)
class PeriodRow:
    period: str
    starts_at: datetime
    ends_at: datetime
    state: str  # open | soft | hard
    closing_entry_id: str | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class LatePosting:
    """A posting dated in a closed period and booked after its close: on the till a sale;
    on central anything a till sent after the close."""

    entry_id: str
    ref_id: str | None  # the sale
    memo: str  # its receipt number
    period: str  # YYYY-MM it is dated in
    created_at: str  # ISO UTC: when it happened (its posting time on the till)
    counted_at: str  # ISO UTC: the instant the statements count it at (next open month)
    amount: int  # the entry's debits

    def as_dict(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "ref_id": self.ref_id, "memo": self.memo,
                "period": self.period, "created_at": self.created_at,
                "counted_at": self.counted_at, "amount": self.amount}


@dataclass(frozen=True)
class Books:
    """The journal of a source with its periods and late postings, read once per statement."""

    src: ReportSource
    je: FromClause
    jl: FromClause
    periods: tuple[PeriodRow, ...]
    late: tuple[LatePosting, ...]

    # --- times -------------------------------------------------------------------------

    def bind(self, moment: datetime) -> Any:
        """A bind value comparable with a stored time of this engine."""
        return moment if self.src.engine == "central" else iso(moment)

    def day_start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), zone(self.src.timezone)).astimezone(UTC)

    def window(self, created: ColumnElement[Any], key: ColumnElement[Any],
               lo: datetime | None, hi: datetime | None, *, by: str = "entry"
               ) -> ColumnElement[bool]:
        """``lo <= counted time < hi`` for rows whose time is ``created`` and whose late
        posting (if any) is found by ``key``: the journal entry's id (``by="entry"``) or the
        sale's id (``by="ref"``)."""
        conds: list[ColumnElement[bool]] = []
        if lo is not None:
            conds.append(created >= self.bind(lo))
        if hi is not None:
            conds.append(created < self.bind(hi))
        plain = and_(true(), *conds)
        if not self.late:
            return plain
        keys = [(p.entry_id if by == "entry" else p.ref_id) for p in self.late]
        moved_in = [k for p, k in zip(self.late, keys, strict=True)
                    if k is not None
                    and (lo is None or as_datetime(p.counted_at) >= lo)
                    and (hi is None or as_datetime(p.counted_at) < hi)]
        every = [k for k in keys if k is not None]
        return or_(and_(plain, key.not_in(every)),
                   key.in_(moved_in) if moved_in else false())

    def counted_at(self, created: Any, key: str | None, *, by: str = "entry") -> datetime:
        """Python side of :meth:`window`: the instant a row is counted at."""
        for p in self.late:
            if (p.entry_id if by == "entry" else p.ref_id) == key:
                return as_datetime(p.counted_at)
        return as_datetime(created)

    # --- the journal -------------------------------------------------------------------

    def lines(self) -> Any:
        """journal_line joined to its entry (the entry's tenant on central)."""
        je, jl = self.je, self.jl
        return jl.join(je, and_(je.c.id == jl.c.entry_id, self.src.same_tenant(je, jl)))

    def entries(self, lo: datetime | None, hi: datetime | None, *, closing: bool = True
                ) -> Any:
        """The ids of the entries counted in ``[lo, hi)`` (a subquery to filter lines by:
        the entries are found first, then their lines by ``entry_id``, instead of walking
        every line of the journal)."""
        je = self.je
        q = select(je.c.id).where(self.src.scope(je), self.window(je.c.created_at, je.c.id,
                                                                   lo, hi))
        if not closing:
            q = q.where(je.c.kind != CLOSING_KIND)
        return q

    def _lines_of(self, conn: Connection, entries: Any) -> dict[str, tuple[int, int]]:
        jl = self.jl
        q = (select(jl.c.account_code, _sum(jl.c.debit), _sum(jl.c.credit))
             .where(jl.c.entry_id.in_(entries)).group_by(jl.c.account_code))
        return {str(a): (int(d), int(c)) for a, d, c in conn.execute(q)}

    def _all(self, conn: Connection) -> dict[str, tuple[int, int]]:
        je, jl = self.je, self.jl
        q = select(jl.c.account_code, _sum(jl.c.debit), _sum(jl.c.credit))
        if self.src.engine == "central":  # the tenant (and store or terminal) only
            q = q.select_from(self.lines()).where(self.src.scope(je))
        return {str(a): (int(d), int(c))
                for a, d, c in conn.execute(q.group_by(jl.c.account_code))}

    def balances(self, conn: Connection, lo: datetime | None, hi: datetime | None, *,
                 closing: bool = True) -> dict[str, tuple[int, int]]:
        """account -> (debits, credits) of the entries counted in ``[lo, hi)``;
        ``closing=False`` leaves the period-closing entries out (the P&L's view).

        Up to a time (``lo`` None, closing entries in): the whole journal less what is
        counted from ``hi`` on — one pass over the lines instead of a join of every line
        with its entry."""
        if lo is None and hi is not None and closing:
            total = self._all(conn)
            after = self._lines_of(conn, self.entries(hi, None))
            return {code: (d - after.get(code, (0, 0))[0], c - after.get(code, (0, 0))[1])
                    for code, (d, c) in total.items()}
        return self._lines_of(conn, self.entries(lo, hi, closing=closing))

    def late_in(self, lo: datetime, hi: datetime) -> tuple[LatePosting, ...]:
        """Late postings dated inside ``[lo, hi)``."""
        return tuple(p for p in self.late if lo <= as_datetime(p.created_at) < hi)


def net(balances: dict[str, tuple[int, int]], code: str) -> int:
    """debit - credit of one account."""
    d, c = balances.get(code, (0, 0))
    return d - c


def read_periods(conn: Connection, src: ReportSource) -> tuple[PeriodRow, ...]:
    t = src.accounting_period
    if t is None:
        return ()
    q = select(t.c.period, t.c.starts_at, t.c.ends_at, t.c.state, t.c.closing_entry_id,
               t.c.closed_at)
    if src.engine == "central" and "tenant_id" in t.c:
        # Periods are the tenant's (no store or terminal): the tenant only, whatever one
        # store or terminal the report covers.
        q = q.where(t.c.tenant_id == func.central.current_tenant())
    rows = conn.execute(q.order_by(t.c.period)).all()
    return tuple(PeriodRow(str(r[0]), as_datetime(r[1]), as_datetime(r[2]), str(r[3]),
                           None if r[4] is None else str(r[4]),
                           None if r[5] is None else as_datetime(r[5])) for r in rows)


def _counted_at(p: PeriodRow, periods: Iterable[PeriodRow]) -> datetime:
    """The first instant after ``p`` not inside a closed period."""
    moment = p.ends_at
    closed = sorted((q for q in periods if q.state != "open"), key=lambda q: q.starts_at)
    for q in closed:
        if q.starts_at <= moment < q.ends_at:
            moment = q.ends_at
    return moment


def _late_of(conn: Connection, src: ReportSource, je: FromClause, jl: FromClause,
             p: PeriodRow, periods: tuple[PeriodRow, ...]) -> list[LatePosting]:
    bind: Any = (lambda m: m) if src.engine == "central" else iso
    where = [je.c.created_at >= bind(p.starts_at), je.c.created_at < bind(p.ends_at),
             src.scope(je)]
    if src.engine == "local":
        # Only a sale passes the trigger unasked; a supervisor's permitted posting is a
        # correction of the soft-closed period, counted in it.
        where.append(je.c.kind == "sale")
        mark = None
        if p.closing_entry_id is not None:
            mark = conn.execute(select(func.max(jl.c.id))
                                .where(jl.c.entry_id == p.closing_entry_id)).scalar()
        if mark is not None:
            where.append(je.c.id.in_(select(jl.c.entry_id).where(jl.c.id > mark)))
    else:
        posted = next((je.c[n] for n in ("posted_at", "received_at") if n in je.c), None)
        if posted is None or p.closed_at is None:
            return []
        # What arrived after the close, from a till that did not know (central's view
        # ``late_posting``): any kind but a till's own closing entry.
        where += [posted > p.closed_at, je.c.kind != CLOSING_KIND]
    moved = iso(_counted_at(p, periods))
    amount = (select(_sum(jl.c.debit)).where(jl.c.entry_id == je.c.id,
                                             src.same_tenant(je, jl))
              .scalar_subquery())
    q = select(je.c.id, je.c.ref_id, je.c.memo, je.c.created_at, amount).where(*where)
    return [LatePosting(str(r[0]), None if r[1] is None else str(r[1]), str(r[2]), p.period,
                        stamp_text(r[3]), moved, int(r[4] or 0))
            for r in conn.execute(q.order_by(je.c.created_at))]


def books(conn: Connection, source: ReportSource | None = None) -> Books:
    src = source_of(conn, source)
    if src.journal_entry is None or src.journal_line is None:
        raise BadInput("this source has no journal (central mapping missing)", field="source")
    je, jl = src.journal_entry, src.journal_line
    periods = read_periods(conn, src)
    late: list[LatePosting] = []
    for p in periods:
        if p.state != "open":
            late += _late_of(conn, src, je, jl, p, periods)
    return Books(src, je, jl, periods, tuple(late))


def bounds_of(b: Books, period: Period) -> tuple[datetime, datetime]:
    return b.day_start(period.start), b.day_start(period.end)


def after_day(b: Books, as_of: date) -> datetime:
    """The first instant after the shop-local day ``as_of``."""
    return b.day_start(as_of + timedelta(days=1))


__all__ = ["Books", "LatePosting", "PeriodRow", "after_day", "as_datetime", "books",
           "bounds_of", "iso", "month_bounds", "month_period", "net",
           "read_periods", "source_of", "stamp_text"]

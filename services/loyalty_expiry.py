"""Points expiry (issue 15): a lot (the points of one earn row, a positive adjustment, or
points given back by a refund) lapses at the end of the month N months after it was
earned, on the store's wall clock (``loyalty_ledger.lot_expiry``). What lapses is what is
left of the lot after the member's redemptions and take-backs consumed the oldest lots
first (FIFO). The expiry job :func:`expire_points` writes one ``expire`` row per member and
lapse moment, dated at that moment and named by it (the same id on every till), so running
it twice, or on two tills, writes nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from local_db.uow import UnitOfWork
from services.loyalty_ledger import COLUMNS, LedgerRow, expiry_id, new_row, write_rows


@dataclass(slots=True)
class _Lot:
    expires_at: str | None
    left: int


@dataclass(slots=True)
class _Member:
    lots: list[_Lot] = field(default_factory=list)
    deficit: int = 0
    balance: int = 0

    def consume(self, amount: int, first: list[_Lot] | None = None) -> None:
        for lot in (first or []) + self.lots:
            if amount <= 0:
                break
            take = min(lot.left, amount)
            lot.left -= take
            amount -= take
        self.deficit += amount

    def add(self, amount: int, expires_at: str | None) -> None:
        pay = min(self.deficit, amount)
        self.deficit -= pay
        if amount - pay:
            self.lots.append(_Lot(expires_at, amount - pay))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _simulate(rows: list[LedgerRow], until: str) -> tuple[int, list[tuple[str, int]]]:
    """One member's ledger replayed up to ``until``: the balance (with every lapse due by
    then, written or not) and the lapses due but not yet written (moment, points)."""
    recorded = {r.lot_expiry: -r.points for r in rows if r.kind == "expire" and r.lot_expiry}
    m = _Member()
    missing: list[tuple[str, int]] = []

    def lapse_until(t: str, inclusive: bool) -> None:
        while True:
            due = sorted({lot.expires_at for lot in m.lots if lot.expires_at and lot.left
                          and lot.expires_at not in done
                          and (lot.expires_at <= t if inclusive else lot.expires_at < t)}
                         | {k for k in recorded if k <= t and k not in done})
            if not due:
                return
            moment = due[0]
            done.add(moment)
            lapsing = [lot for lot in m.lots if lot.expires_at == moment and lot.left]
            amount = sum(lot.left for lot in lapsing)
            if moment in recorded:
                amount = recorded[moment]
            elif amount > 0:
                missing.append((moment, amount))
            m.consume(amount, lapsing)
            for lot in lapsing:
                lot.left = 0
            m.balance -= amount

    done: set[str] = set()
    for r in rows:
        if r.created_at > until:
            break
        if r.kind == "expire":
            continue  # applied at its lapse moment
        lapse_until(r.created_at, inclusive=True)
        m.balance += r.points
        if r.points > 0:
            m.add(r.points, r.expires_at)
        elif r.points < 0:
            m.consume(-r.points)
    lapse_until(until, inclusive=True)
    return m.balance, missing


def _all_rows(conn: Connection, until: str) -> dict[str, list[LedgerRow]]:
    out: dict[str, list[LedgerRow]] = defaultdict(list)
    for r in conn.execute(text(
            f"SELECT {', '.join(COLUMNS)} FROM loyalty_entry WHERE created_at <= :u "
            "ORDER BY customer_id, created_at, id"), {"u": until}):
        row = LedgerRow(**dict(zip(COLUMNS, r, strict=True)))
        out[row.customer_id].append(row)
    return out


def balances_at(conn: Connection, at: datetime) -> dict[str, int]:
    """Every member's balance at ``at``, lapses due by then applied (written or not)."""
    until = _iso(at)
    return {c: _simulate(rows, until)[0] for c, rows in _all_rows(conn, until).items()}


@dataclass(frozen=True, slots=True)
class ExpiryRun:
    rows: int
    points: int
    members: int


def expire_points(uow: UnitOfWork, now: datetime, *, terminal_id: str | None = None
                  ) -> ExpiryRun:
    """The expiry job: write the lapses due by ``now`` that no row records yet. Commits.
    Idempotent: a second run (here or on another till that knows the same rows) writes
    nothing new."""
    conn = uow.conn
    if terminal_id is None:
        found = conn.execute(text("SELECT value FROM setting WHERE key = 'terminal_id'")
                             ).scalar()
        terminal_id = str(found or "")
    until = _iso(now)
    written: list[LedgerRow] = []
    for customer_id, rows in _all_rows(conn, until).items():
        _, missing = _simulate(rows, until)
        for moment, amount in missing:
            written.append(new_row(customer_id, "expire", -amount, moment, terminal_id,
                                   id=expiry_id(customer_id, moment), lot_expiry=moment))
    # Rows another till wrote for the same lapse arrive by the pull under the same id.
    write_rows(conn, written, aggregate_id=None, created_at=until)
    uow.commit()
    return ExpiryRun(len(written), -sum(r.points for r in written),
                     len({r.customer_id for r in written}))


__all__ = ["ExpiryRun", "balances_at", "expire_points"]

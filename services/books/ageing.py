"""Receivables ageing: kasbon (store credit) by due date, as of any day.

Rules (definitions.md, "The books"; documented here as decided):

- What is owed: every kasbon entry (``ReportSource.kasbon``: + a sale put on kasbon,
  − a repayment or a refund taken off kasbon), i.e. every sale paid (in part) by kasbon:
  each is an invoice with a due date. Its due date is the sale's shop-local day plus the
  store setting ``invoice.due_days`` (days after the sale; default **30**).
- As of D: only entries counted by the end of day D take part, so payments dated after D
  are added back (the residual at D), and sales after D are not there yet.
- Repayments and refunds are applied **FIFO**: each customer's credits pay off that
  customer's oldest sale first (a partial payment leaves the rest of the oldest sale in its
  own bucket, never smeared over newer ones).
- Buckets by days past due at D: current (no due date or D ≤ due), 1–30, 31–60, 61–90,
  91–120, older.
- Invariant: the ageing total equals the receivables account (1-1400) in the trial balance
  at D; the value carries both (``total`` and ``receivables``) so a screen can show a break.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from services.books.common import after_day, as_datetime, books, net
from services.errors import BadInput
from services.reports.source import ReportSource, zone
from services.reports.values import Column, Table, TableReport, customer_ref

DEFAULT_DUE_DAYS = 30
BUCKETS = ("current", "1-30", "31-60", "61-90", "91-120", "older")
_BUCKET_TITLES = (("Belum jatuh tempo", "Current"), ("1–30 hari", "1–30 days"),
                  ("31–60 hari", "31–60 days"), ("61–90 hari", "61–90 days"),
                  ("91–120 hari", "91–120 days"), ("> 120 hari", "Over 120 days"))


def bucket_of(as_of: date, due: date | None) -> int:
    """Index into :data:`BUCKETS` of an amount due on ``due``, seen at ``as_of``."""
    if due is None or as_of <= due:
        return 0
    late = (as_of - due).days
    for i, limit in enumerate((30, 60, 90, 120), start=1):
        if late <= limit:
            return i
    return 5


@dataclass(frozen=True, slots=True)
class AgeingRow:
    customer_id: str
    label: str  # the customer's name on the till; "Pelanggan <ref>" on central
    buckets: tuple[int, int, int, int, int, int]  # in the order of BUCKETS
    total: int
    oldest_due: date | None  # due date of the oldest open sale


@dataclass(frozen=True, slots=True)
class Ageing:
    as_of: date
    due_days: int
    rows: tuple[AgeingRow, ...]  # customers who owe, largest total first
    buckets: tuple[int, int, int, int, int, int]
    total: int
    receivables: int  # 1-1400 in the trial balance at as_of (== total, always)

    def report(self) -> TableReport:
        cols = (Column("customer", "Pelanggan", "Customer"),
                *(Column(k, t[0], t[1], "money") for k, t in zip(BUCKETS, _BUCKET_TITLES,
                                                                 strict=True)),
                Column("total", "Total", "Total", "money"),
                Column("oldest_due", "Jatuh tempo tertua", "Oldest due", "date"))
        rows = tuple((r.label, *r.buckets, r.total, r.oldest_due) for r in self.rows)
        notes = [f"due {self.due_days} days after the sale (invoice.due_days); "
                 "payments applied to the oldest sale first"]
        if self.total != self.receivables:
            notes.append(f"receivables 1-1400 = {self.receivables} differ from the ageing")
        return TableReport(
            "ageing", "Umur piutang", "Receivables ageing", None,
            (Table("ageing", "Umur piutang", "Receivables ageing", cols, rows,
                   (None, *self.buckets, self.total, None)),),
            as_of=self.as_of.isoformat(), notes=tuple(notes))


def due_days(conn: Connection, source: ReportSource | None = None) -> int:
    """The store setting ``invoice.due_days`` (the till's settings; central: the default)."""
    if source is not None and source.engine == "central":
        return DEFAULT_DUE_DAYS
    from local_db.store import read_settings
    raw = read_settings(conn).get("invoice.due_days", "").strip()
    if not raw:
        return DEFAULT_DUE_DAYS
    if not raw.isdigit() or int(raw) > 3650:
        raise BadInput("invoice.due_days is a whole number of days (0..3650)",
                       field="invoice.due_days")
    return int(raw)


def receivables_ageing(conn: Connection, as_of: date, *, source: ReportSource | None = None,
                       days: int | None = None) -> Ageing:
    b = books(conn, source)
    src = b.src
    terms = due_days(conn, source) if days is None else days
    hi = after_day(b, as_of)
    k = src.kasbon
    # A late sale's kasbon entry is keyed by the sale (ref_id); no other entry's ref_id is a
    # sale id, so one window serves them all. Central's derived entries have no ref_id.
    ref = k.c.ref_id if "ref_id" in k.c else k.c.customer_id
    window = b.window(k.c.created_at, ref, None, hi, by="ref")
    q = (select(k.c.customer_id, k.c.amount, k.c.created_at)
         .where(src.scope(k), window))
    tz = zone(src.timezone)
    per: dict[str, tuple[list[tuple[Any, date, int]], list[int]]] = {}
    for cid, amount, created in conn.execute(q):
        debits, credits = per.setdefault(str(cid), ([], []))
        at = as_datetime(created)
        if int(amount) > 0:
            debits.append((at, at.astimezone(tz).date(), int(amount)))
        elif int(amount) < 0:
            credits.append(-int(amount))
    names = _labels(conn, src, list(per))
    rows = []
    for cid, (debits, credits) in per.items():
        paid = sum(credits)
        buckets = [0] * 6
        oldest: date | None = None
        for _, day, amount in sorted(debits, key=lambda t: t[0]):
            used = min(paid, amount)
            paid -= used
            if amount - used:
                due = day + timedelta(days=terms)
                oldest = oldest or due
                buckets[bucket_of(as_of, due)] += amount - used
        if paid:  # paid more than was owed (never by the use cases): a credit balance
            buckets[0] -= paid
        total = sum(buckets)
        if total:
            rows.append(AgeingRow(cid, names.get(cid, f"Pelanggan {customer_ref(cid)}"),
                                  (buckets[0], buckets[1], buckets[2], buckets[3],
                                   buckets[4], buckets[5]), total, oldest))
    rows.sort(key=lambda r: (-r.total, r.label))
    sums = tuple(sum(r.buckets[i] for r in rows) for i in range(6))
    receivables = net(b.balances(conn, None, hi), "1-1400")
    return Ageing(as_of, terms, tuple(rows),
                  (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]),
                  sum(sums), receivables)


def _labels(conn: Connection, src: ReportSource, ids: list[str]) -> dict[str, str]:
    if not ids or src.engine != "local":
        return {}
    c = src.customer
    return {str(i): str(n) for i, n in conn.execute(
        select(c.c.id, c.c.name).where(c.c.id.in_(ids)))}

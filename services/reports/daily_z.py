"""The daily (Z) report: per day of the period the sales, gross, discounts, refunds, net,
PPN and voids, the takings by payment method, the drawer's cash movements (cash put in,
expenses paid from the drawer, owner's drawings), and per shift the cash the drawer should
hold against the cash counted at close.

One SQLAlchemy Core code path for the till (SQLite) and central (PostgreSQL) over a
:class:`ReportSource`, each engine reading what it has:

- the till: its sales, refunds and payments; its shifts (a closed shift's Z as frozen at
  close by ``services.shifts.close_shift``, the open shift's X computed now by the same
  ``services.shifts`` code, never a second formula); its cash movements; voids from the
  audit log (``cart.void``, ``cart.void_line``);
- central: the tenant's (or one store's, one terminal's) sales, refunds and payments; the
  shifts and cash movements from the events the tills pushed (``shift.closed`` carries the
  Z frozen at close, ``cash.*`` each movement): a shift still open is not known there, and
  voids (in each till's audit log, never pushed) are not either. The report says so in its
  notes and leaves the void columns empty instead of showing a zero.

Definitions (``/shared/reference/definitions.md``, "The books"): gross counts prices as
shelved (PPN included in a price counted, PPN added on top not), discounts and refunds are
taken off it, net = gross − discounts − refunds; PPN = the sales' PPN minus the refunds'.
Refunds count on the day they were made, at what was given back (``refund.gross``: for
goods whose PPN is added on top that includes the PPN, which the P&L's net sales leaves
out; for the usual PPN-inclusive prices the two agree). Money integer rupiah.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from services import formatting as fmt
from services.books.chart import account_name
from services.errors import BadInput
from services.reports.source import ReportSource, local_source
from services.reports.values import Column, Period, ReportSpec, Table, TableReport, Words

VOID_ACTIONS = ("cart.void", "cart.void_line")
CASH_EVENTS = ("cash.cash_in", "cash.cash_out", "cash.no_sale")


def _sum(col: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


# --- values ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ZDay:
    day: date
    sales_count: int
    gross: int  # Σ subtotal: shelf prices (PPN inside them counted, PPN on top not)
    discounts: int
    refunds_count: int
    refunds: int  # Σ refund gross
    net: int  # gross - discounts - refunds
    tax: int  # PPN of the sales minus PPN of the refunds
    received: int  # Σ payments (change deducted) = Σ payable of the sales
    voids: int | None  # carts and lines voided; None where unknown (central)
    void_amount: int | None


@dataclass(frozen=True, slots=True)
class ZMethod:
    day: date
    method: str
    payments: int
    amount: int


@dataclass(frozen=True, slots=True)
class ZShift:
    terminal: str  # the terminal's code on central, "" on the till (its own)
    shift_id: str
    kind: str  # Z (closed) | X (open: figures as of now)
    opened_by: str
    opened_at: str  # UTC ISO
    closed_at: str | None
    sales_count: int
    sales_total: int
    float_amount: int
    cash_in: int
    cash_out: int
    expected_cash: int
    counted_cash: int | None
    difference: int | None  # counted - expected (+ over, - short)


@dataclass(frozen=True, slots=True)
class ZCashMove:
    at: str  # UTC ISO
    terminal: str
    kind: str  # cash_in | cash_out | no_sale
    account: str | None  # where it is booked (3-2000 drawings, 6-xxxx an expense...)
    reason: str
    amount: int

    @property
    def money_in(self) -> int:
        return self.amount if self.kind == "cash_in" else 0

    @property
    def money_out(self) -> int:
        return self.amount if self.kind == "cash_out" else 0


def move_kind(kind: str, account: str | None) -> Words:
    """What a cash movement was, in words (an expense, the owner's drawings...)."""
    if kind == "cash_in":
        return Words("Kas masuk", "Cash in")
    if kind == "no_sale":
        return Words("Buka laci tanpa penjualan", "Drawer opened, no sale")
    if account is not None and account.startswith("6"):
        return Words("Beban dari laci", "Expense from the drawer")
    if account == "3-2000":
        return Words("Prive (diambil pemilik)", "Owner's drawings")
    return Words("Kas keluar", "Cash out")


@dataclass(frozen=True, slots=True)
class DailyZ:
    period: Period
    engine: str  # local | central
    timezone: str
    days: tuple[ZDay, ...]  # every day of the period, days without sales included
    methods: tuple[ZMethod, ...]  # by day, then largest amount
    shifts: tuple[ZShift, ...]  # by opening time
    cash_moves: tuple[ZCashMove, ...]  # by time
    totals: ZDay  # ``day`` = period.start
    voids_known: bool

    @property
    def cash_in(self) -> int:
        return sum(m.money_in for m in self.cash_moves)

    @property
    def cash_out(self) -> int:
        return sum(m.money_out for m in self.cash_moves)

    def notes(self) -> tuple[Words, ...]:
        if self.engine != "central":
            return ()
        return (
            Words("Shift dan kas laci di pusat berasal dari laporan Z yang dikirim kasir saat "
                  "tutup shift; shift yang masih buka belum terlihat di pusat.",
                  "Shifts and drawer cash at central come from the Z reports the tills sent "
                  "when each shift closed; a shift still open is not known at central yet."),
            Words("Void (batal) hanya tercatat di log audit tiap kasir, tidak dikirim ke "
                  "pusat: kolom void kosong.",
                  "Voids are kept only in each till's audit log and are not sent to central: "
                  "the void columns are empty."),
        )

    def report(self) -> TableReport:
        label = self.period.label()
        day_cols = (Column("day", "Tanggal", "Date", "date"),
                    Column("sales_count", "Transaksi", "Sales", "int"),
                    Column("gross", "Penjualan kotor", "Gross sales", "money"),
                    Column("discounts", "Diskon", "Discounts", "money"),
                    Column("refunds_count", "Retur", "Refunds", "int"),
                    Column("refunds", "Nilai retur", "Refund amount", "money"),
                    Column("net", "Penjualan bersih", "Net sales", "money"),
                    Column("tax", "PPN", "VAT (PPN)", "money"),
                    Column("received", "Diterima", "Received", "money"),
                    Column("voids", "Void", "Voids", "int"),
                    Column("void_amount", "Nilai void", "Voided amount", "money"))

        def day_row(d: ZDay) -> tuple[Any, ...]:
            return (d.day, d.sales_count, d.gross, d.discounts, d.refunds_count, d.refunds,
                    d.net, d.tax, d.received, d.voids, d.void_amount)

        t = self.totals
        days = Table("z_days", f"Laporan harian (Z) {label}", f"Daily report (Z) {label}",
                     day_cols, tuple(day_row(d) for d in self.days), (None, *day_row(t)[1:]))
        # Days down, methods across (largest first), what each day received in total last.
        by_method: dict[str, int] = {}
        cell: dict[tuple[date, str], int] = {}
        for m in self.methods:
            by_method[m.method] = by_method.get(m.method, 0) + m.amount
            cell[(m.day, m.method)] = m.amount
        order = sorted(by_method, key=lambda k: (-by_method[k], k))
        methods = Table(
            "z_methods", "Diterima per metode bayar", "Received by payment method",
            (Column("day", "Tanggal", "Date", "date"),
             *(Column(f"method.{k}", fmt.payment_method(k, "id"), fmt.payment_method(k, "en"),
                      "money") for k in order),
             Column("received", "Total diterima", "Total received", "money")),
            tuple((d.day, *(cell.get((d.day, k), 0) for k in order), d.received)
                  for d in self.days),
            (None, *(by_method[k] for k in order), t.received))
        zone = self.timezone

        def when(stamp: str | None) -> str:
            return "" if not stamp else fmt.datetime_text(stamp, zone)

        central = self.engine == "central"
        shift_cols = (
            *((Column("terminal", "Kasir (terminal)", "Terminal"),) if central else ()),
            Column("opened_at", "Dibuka", "Opened"),
            Column("closed_at", "Ditutup", "Closed"),
            Column("opened_by", "Oleh", "By"),
            Column("kind", "Lap.", "Rep."),
            Column("sales_count", "Transaksi", "Sales", "int"),
            Column("sales_total", "Penjualan", "Sales amount", "money"),
            Column("float_amount", "Modal laci", "Float", "money"),
            Column("cash_in", "Kas masuk", "Cash in", "money"),
            Column("cash_out", "Kas keluar", "Cash out", "money"),
            Column("expected_cash", "Kas seharusnya", "Cash expected", "money"),
            Column("counted_cash", "Kas dihitung", "Cash counted", "money"),
            Column("difference", "Selisih", "Over/short", "money"))

        def shift_row(s: ZShift) -> tuple[Any, ...]:
            return (*((s.terminal,) if central else ()), when(s.opened_at),
                    when(s.closed_at) if s.closed_at else Words("(masih buka)", "(open)"),
                    s.opened_by, s.kind, s.sales_count, s.sales_total, s.float_amount,
                    s.cash_in, s.cash_out, s.expected_cash, s.counted_cash, s.difference)

        closed = [s for s in self.shifts if s.counted_cash is not None]
        shift_totals = (*((None,) if central else ()), None, None, None, None,
                        sum(s.sales_count for s in self.shifts),
                        sum(s.sales_total for s in self.shifts), None,
                        sum(s.cash_in for s in self.shifts),
                        sum(s.cash_out for s in self.shifts),
                        sum(s.expected_cash for s in self.shifts),
                        sum(s.counted_cash or 0 for s in closed),
                        sum(s.difference or 0 for s in closed))
        shifts = Table("z_shifts", "Per shift: kas seharusnya dan kas dihitung",
                       "Per shift: cash expected and counted", shift_cols,
                       tuple(shift_row(s) for s in self.shifts),
                       shift_totals if self.shifts else None)
        move_cols = (Column("at", "Waktu", "Time"),
                     *((Column("terminal", "Terminal", "Terminal"),) if central else ()),
                     Column("kind", "Jenis", "Kind"),
                     Column("reason", "Keterangan", "Reason"),
                     Column("account", "Akun", "Account"),
                     Column("money_in", "Masuk", "In", "money"),
                     Column("money_out", "Keluar", "Out", "money"))
        moves = Table(
            "z_cash", "Kas masuk dan keluar laci", "Cash put into and taken from the drawer",
            move_cols,
            tuple((when(m.at), *((m.terminal,) if central else ()),
                   move_kind(m.kind, m.account), m.reason, _account(m.account), m.money_in,
                   m.money_out) for m in self.cash_moves),
            (None, *((None,) if central else ()), None, None, None, self.cash_in,
             self.cash_out) if self.cash_moves else None)
        return TableReport("z-report", "Laporan harian (Z)", "Daily report (Z)", self.period,
                           (days, methods, shifts, moves), notes=self.notes())


def _account(code: str | None) -> str:
    """Where a cash movement is booked, by name (``Beban es batu``, ``Prive``)."""
    if not code:
        return ""
    return Words(account_name(code, "id"), account_name(code, "en"))


# --- queries ---------------------------------------------------------------------------

def _day_sales(conn: Connection, src: ReportSource, period: Period
               ) -> dict[str, tuple[int, int, int, int, int]]:
    s = src.sale
    day = src.local_day(s.c.created_at, period.start, period.end).label("day")
    return {str(d): (int(n), int(g), int(dc), int(t), int(p)) for d, n, g, dc, t, p in
            conn.execute(select(day, func.count(), _sum(s.c.subtotal), _sum(s.c.discount_total),
                                _sum(s.c.tax_total), _sum(s.c.payable))
                         .where(src.scope(s), src.in_range(s.c.created_at, period.start,
                                                           period.end))
                         .group_by(day))}


def _day_refunds(conn: Connection, src: ReportSource, period: Period
                 ) -> dict[str, tuple[int, int, int]]:
    r = src.refund
    day = src.local_day(r.c.created_at, period.start, period.end).label("day")
    return {str(d): (int(n), int(g), int(t)) for d, n, g, t in conn.execute(
        select(day, func.count(), _sum(r.c.gross), _sum(r.c.tax))
        .where(src.scope(r), src.in_range(r.c.created_at, period.start, period.end))
        .group_by(day))}


def _methods(conn: Connection, src: ReportSource, period: Period) -> list[ZMethod]:
    s, pay = src.sale, src.payment
    day = src.local_day(s.c.created_at, period.start, period.end).label("day")
    got = conn.execute(
        select(day, pay.c.method, func.count(), _sum(pay.c.amount))
        .select_from(pay.join(s, and_(s.c.id == pay.c.sale_id, src.same_tenant(s, pay))))
        .where(src.scope(s), src.in_range(s.c.created_at, period.start, period.end))
        .group_by(day, pay.c.method)).all()
    rows = [ZMethod(date.fromisoformat(str(d)), str(m), int(n), int(a)) for d, m, n, a in got]
    rows.sort(key=lambda x: (x.day, -x.amount, x.method))
    return rows


def _local_date(stamp: str, src: ReportSource) -> date:
    return fmt.local(stamp, src.timezone).date()


def _voids(conn: Connection, src: ReportSource, period: Period
           ) -> dict[str, tuple[int, int]] | None:
    """Per local day: how many carts and lines were voided and their amount (the till's
    audit log); None on central, which never receives it."""
    a = src.audit_log
    if src.engine == "central" or a is None:
        return None
    out: dict[str, tuple[int, int]] = {}
    for stamp, details in conn.execute(
            select(a.c.created_at, a.c.details)
            .where(a.c.action.in_(VOID_ACTIONS),
                   src.in_range(a.c.created_at, period.start, period.end))):
        day = _local_date(str(stamp), src).isoformat()
        amount = int(json.loads(details or "{}").get("amount") or 0)
        n, total = out.get(day, (0, 0))
        out[day] = (n + 1, total + amount)
    return out


def _stamp(value: Any) -> str:
    """A stored time as UTC ISO text (the till's text as is, central's datetime)."""
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _z_of(data: Mapping[str, Any], terminal: str, kind: str) -> ZShift:
    return ZShift(
        terminal=terminal, shift_id=str(data["shift_id"]), kind=kind,
        opened_by=str(data.get("opened_by") or ""), opened_at=str(data["opened_at"]),
        closed_at=None if data.get("closed_at") is None else str(data["closed_at"]),
        sales_count=int(data.get("sales_count") or 0),
        sales_total=int(data.get("sales_total") or 0),
        float_amount=int(data.get("float_amount") or 0), cash_in=int(data.get("cash_in") or 0),
        cash_out=int(data.get("cash_out") or 0),
        expected_cash=int(data.get("expected_cash") or 0),
        counted_cash=None if data.get("counted_cash") is None else int(data["counted_cash"]),
        difference=None if data.get("difference") is None else int(data["difference"]))


def _local_shifts(conn: Connection, src: ReportSource, period: Period) -> list[ZShift]:
    """The till's shifts that overlap the period: a closed one's Z as frozen at close, the
    open one's X as ``services.shifts`` computes it now."""
    from local_db.models import Shift
    from services.shifts import _figures  # the X/Z figures: one formula, in services.shifts
    sh, u = src.shift, src.user
    if sh is None or u is None:
        return []
    lo, hi = src.bounds(period.start, period.end)
    got = conn.execute(
        select(sh.c.id, sh.c.status, sh.c.opened_at, sh.c.closed_at, sh.c.float_amount,
               sh.c.z_report, u.c.name)
        .select_from(sh.outerjoin(u, u.c.id == sh.c.opened_by))
        .where(sh.c.opened_at < hi, or_(sh.c.closed_at.is_(None), sh.c.closed_at >= lo))
        .order_by(sh.c.opened_at)).all()
    out = []
    for sid, status, opened_at, closed_at, float_amount, z, opener in got:
        if status == "closed" and z:
            out.append(_z_of(json.loads(z), "", "Z"))
            continue
        f = _figures(conn, Shift(id=sid, float_amount=int(float_amount)))
        out.append(ZShift("", str(sid), "X", str(opener or ""), str(opened_at),
                          None if closed_at is None else str(closed_at), f["sales_count"],
                          f["sales_total"], int(float_amount), f["cash_in"], f["cash_out"],
                          f["expected_cash"], None, None))
    return out


def _local_moves(conn: Connection, src: ReportSource, period: Period) -> list[ZCashMove]:
    cm = src.cash_movement
    if cm is None:
        return []
    return [ZCashMove(str(at), "", str(kind), None if acct is None else str(acct),
                      str(reason), int(amount))
            for at, kind, acct, reason, amount in conn.execute(
                select(cm.c.created_at, cm.c.kind, cm.c.account_code, cm.c.reason,
                       cm.c.amount)
                .where(src.in_range(cm.c.created_at, period.start, period.end))
                .order_by(cm.c.created_at, cm.c.id))]


def _central_events(conn: Connection, src: ReportSource, types: tuple[str, ...],
                    lo: Any, hi: Any | None) -> list[tuple[str, str, dict[str, Any], Any]]:
    """(terminal code, type, payload, created_at) of the scope's applied events of ``types``
    made from ``lo`` (and before ``hi``)."""
    ev, term, q = src.event, src.terminal, src.quarantine
    assert ev is not None and term is not None and q is not None
    conds = [ev.c.type.in_(types), src.events_in_scope(ev, term), ev.c.created_at >= lo,
             # a quarantined event was not applied: it did not happen at central
             ~select(literal(1)).where(q.c.tenant_id == ev.c.tenant_id,
                                       q.c.event_id == ev.c.event_id).exists()]
    if hi is not None:
        conds.append(ev.c.created_at < hi)
    got = conn.execute(
        select(term.c.code, ev.c.type, ev.c.payload, ev.c.created_at)
        .select_from(ev.join(term, and_(term.c.tenant_id == ev.c.tenant_id,
                                        term.c.id == ev.c.terminal_id)))
        .where(*conds).order_by(ev.c.created_at, ev.c.seq)).all()
    return [(str(code), str(kind),
             payload if isinstance(payload, dict) else json.loads(payload), at)
            for code, kind, payload, at in got]


def _central_shifts(conn: Connection, src: ReportSource, period: Period) -> list[ZShift]:
    lo, hi = src.bounds(period.start, period.end)
    out = []
    for code, _type, payload, _at in _central_events(conn, src, ("shift.closed",), lo, None):
        z = payload.get("z") or {}
        if not z or datetime.fromisoformat(str(z["opened_at"])) >= hi:
            continue
        out.append(_z_of(z, code, "Z"))
    out.sort(key=lambda s: (s.opened_at, s.terminal))
    return out


def _central_moves(conn: Connection, src: ReportSource, period: Period) -> list[ZCashMove]:
    lo, hi = src.bounds(period.start, period.end)
    out = []
    for code, kind_of, payload, at in _central_events(conn, src, CASH_EVENTS, lo, hi):
        kind = kind_of.removeprefix("cash.")
        acct = payload.get("account")
        out.append(ZCashMove(str(payload.get("created_at") or _stamp(at)), code,
                             kind, None if acct is None else str(acct),
                             str(payload.get("reason") or ""), int(payload.get("amount") or 0)))
    return out


def daily_z(conn: Connection, period: Period, *, source: ReportSource | None = None
            ) -> DailyZ:
    """The Z report of every day of ``period`` on this engine (see the module doc)."""
    src = source if source is not None else local_source(conn)
    sales = _day_sales(conn, src, period)
    refunds = _day_refunds(conn, src, period)
    voids = _voids(conn, src, period)
    methods = _methods(conn, src, period)
    received: dict[str, int] = {}
    for m in methods:
        received[m.day.isoformat()] = received.get(m.day.isoformat(), 0) + m.amount
    days = []
    for d in period.days():
        key = d.isoformat()
        n, gross, disc, tax, _payable = sales.get(key, (0, 0, 0, 0, 0))
        rn, rgross, rtax = refunds.get(key, (0, 0, 0))
        vn, vamount = (None, None) if voids is None else voids.get(key, (0, 0))
        days.append(ZDay(d, n, gross, disc, rn, rgross, gross - disc - rgross, tax - rtax,
                         received.get(key, 0), vn, vamount))
    if src.engine == "central":
        shifts, moves = _central_shifts(conn, src, period), _central_moves(conn, src, period)
    else:
        shifts, moves = _local_shifts(conn, src, period), _local_moves(conn, src, period)

    def total(attr: str) -> int:
        return sum(int(getattr(x, attr)) for x in days)

    totals = ZDay(period.start, total("sales_count"), total("gross"), total("discounts"),
                  total("refunds_count"), total("refunds"), total("net"), total("tax"),
                  total("received"),
                  None if voids is None else sum(int(x.voids or 0) for x in days),
                  None if voids is None else sum(int(x.void_amount or 0) for x in days))
    return DailyZ(period, src.engine, src.timezone, tuple(days), tuple(methods),
                  tuple(shifts), tuple(moves), totals, voids is not None)


# --- the catalogue's entry -------------------------------------------------------------

Runner = Callable[[Connection, "Period | None", ReportSource], TableReport]


def _run(conn: Connection, period: Period | None, source: ReportSource) -> TableReport:
    if period is None:
        raise BadInput("this report needs a date range", field="from")
    return daily_z(conn, period, source=source).report()


REPORTS: Mapping[str, tuple[ReportSpec, Runner]] = {
    "z-report": (ReportSpec("z-report", "Laporan harian (Z)", "Daily report (Z)", True), _run),
}

__all__ = ["REPORTS", "DailyZ", "ZCashMove", "ZDay", "ZMethod", "ZShift", "daily_z",
           "move_kind"]

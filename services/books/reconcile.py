"""Midtrans reconciliation: the clearing account 1-1300 over a period.

A QRIS/e-wallet/VA payment is booked Dr 1-1300 (services.selling); Midtrans's payout is
booked per payment as Dr Bank (net) + Dr 6-4000 MDR fee / Cr 1-1300 (kind
``midtrans.settlement``, its ``ref_id`` the payment: services.payments); a refund through
Midtrans credits 1-1300 (services.refunds). So at any time

    clearing balance = charged − refunded through Midtrans − settled

and the payments not yet settled are those without a settlement entry. Their sum exceeds
the clearing balance by what was refunded through Midtrans out of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from services import formatting as fmt
from services.books.common import Books, books, bounds_of, net, stamp_text
from services.reports.source import DEFAULT_TIMEZONE, ReportSource
from services.reports.values import Column, Period, Table, TableReport, Words
from services.tender import PROVIDER_METHODS

CLEARING = "1-1300"
BANK = "1-1200"
FEES = "6-4000"
SETTLEMENT_KIND = "midtrans.settlement"  # services.payments.SETTLEMENT_KIND


def _sum(col: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


@dataclass(frozen=True, slots=True)
class UnsettledPayment:
    payment_id: str
    receipt_no: str
    method: str
    amount: int
    created_at: str  # ISO UTC of the sale


@dataclass(frozen=True, slots=True)
class MonthFees:
    month: str  # YYYY-MM, shop-local
    settled: int  # gross settled
    fees: int
    to_bank: int


@dataclass(frozen=True, slots=True)
class MidtransReconciliation:
    period: Period
    opening: int  # clearing balance at the start
    charged: int  # Dr 1-1300 by sales in the period
    refunded: int  # Cr 1-1300 by refunds through Midtrans
    settled: int  # Cr 1-1300 by settlements (gross)
    fees: int  # MDR of those settlements
    to_bank: int  # settled - fees
    closing: int  # opening + charged - refunded - settled
    unsettled: tuple[UnsettledPayment, ...]  # by the period's end, oldest first
    unsettled_total: int
    by_month: tuple[MonthFees, ...]
    timezone: str = DEFAULT_TIMEZONE  # the store's, for the times people read

    def report(self) -> TableReport:
        summary = Table("clearing", "Kliring Midtrans (1-1300)", "Midtrans clearing (1-1300)",
                        (Column("item", "Pos", "Item"), Column("amount", "Jumlah", "Amount",
                                                               "money")),
                        ((Words("Saldo awal", "Opening balance"), self.opening),
                         (Words("Dibayar pelanggan", "Charged"), self.charged),
                         (Words("Refund lewat Midtrans", "Refunded through Midtrans"),
                          -self.refunded),
                         (Words("Dicairkan", "Settled"), -self.settled),
                         (Words("Biaya MDR", "MDR fees"), self.fees),
                         (Words("Masuk bank", "To the bank"), self.to_bank),
                         (Words("Saldo akhir", "Closing balance"), self.closing)))
        unsettled = Table("unsettled", "Belum dicairkan", "Not yet settled",
                          (Column("created_at", "Waktu", "Time"),
                           Column("receipt_no", "Nota", "Receipt"),
                           Column("method", "Metode", "Method", "method"),
                           Column("amount", "Jumlah", "Amount", "money")),
                          # The sale's time on the store's clock (stored in UTC).
                          tuple((fmt.datetime_text(u.created_at, self.timezone),
                                 u.receipt_no, u.method, u.amount) for u in self.unsettled),
                          (None, None, None, self.unsettled_total))
        months = Table("fees", "Biaya per bulan", "Fees per month",
                       (Column("month", "Bulan", "Month"),
                        Column("settled", "Dicairkan", "Settled", "money"),
                        Column("fees", "Biaya MDR", "Fees", "money"),
                        Column("to_bank", "Ke bank", "To bank", "money")),
                       tuple((m.month, m.settled, m.fees, m.to_bank) for m in self.by_month),
                       (None, sum(m.settled for m in self.by_month),
                        sum(m.fees for m in self.by_month),
                        sum(m.to_bank for m in self.by_month)))
        return TableReport("midtrans", "Rekonsiliasi Midtrans", "Midtrans reconciliation",
                           self.period, (summary, unsettled, months))


def _movements(conn: Connection, b: Books, lo: datetime, hi: datetime
               ) -> tuple[int, int, int, int]:
    """(charged, refunded, settled, fees) on 1-1300 / 6-4000 in [lo, hi)."""
    je, jl = b.je, b.jl
    q = (select(je.c.kind, jl.c.account_code, _sum(jl.c.debit), _sum(jl.c.credit))
         .select_from(b.lines())
         .where(jl.c.account_code.in_([CLEARING, FEES]),
                jl.c.entry_id.in_(b.entries(lo, hi)))
         .group_by(je.c.kind, jl.c.account_code))
    charged = refunded = settled = fees = 0
    for kind, code, d, c in conn.execute(q):
        if code == CLEARING:
            if kind == SETTLEMENT_KIND:
                settled += int(c) - int(d)
            elif kind == "refund":
                refunded += int(c) - int(d)
            else:
                charged += int(d) - int(c)
        elif kind == SETTLEMENT_KIND:
            fees += int(d) - int(c)
    return charged, refunded, settled, fees


def midtrans_reconciliation(conn: Connection, period: Period, *,
                            source: ReportSource | None = None) -> MidtransReconciliation:
    b = books(conn, source)
    src = b.src
    lo, hi = bounds_of(b, period)
    opening = net(b.balances(conn, None, lo), CLEARING)
    charged, refunded, settled, fees = _movements(conn, b, lo, hi)
    # Payments not settled by the period's end.
    s, pay, je = src.sale, src.payment, b.je
    settled_by_end = (select(je.c.id).where(je.c.kind == SETTLEMENT_KIND,
                                            je.c.ref_id == pay.c.id,
                                            src.same_tenant(je, pay),
                                            je.c.created_at < b.bind(hi)).exists())
    q = (select(pay.c.id, s.c.receipt_no, pay.c.method, pay.c.amount, s.c.created_at)
         .select_from(pay.join(s, and_(s.c.id == pay.c.sale_id, src.same_tenant(s, pay))))
         .where(src.scope(s), pay.c.method.in_(sorted(PROVIDER_METHODS)),
                b.window(s.c.created_at, s.c.id, None, hi, by="ref"), ~settled_by_end)
         .order_by(s.c.created_at))
    unsettled = tuple(UnsettledPayment(str(r[0]), str(r[1]), str(r[2]), int(r[3]),
                                       stamp_text(r[4])) for r in conn.execute(q))
    months: list[MonthFees] = []
    for start in _month_starts(period):
        m_lo = b.day_start(max(start, period.start))
        nxt = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
        m_hi = b.day_start(min(nxt, period.end))
        _, _, m_settled, m_fees = _movements(conn, b, m_lo, m_hi)
        if m_settled or m_fees:
            months.append(MonthFees(start.strftime("%Y-%m"), m_settled, m_fees,
                                    m_settled - m_fees))
    return MidtransReconciliation(
        period=period, opening=opening, charged=charged, refunded=refunded, settled=settled,
        fees=fees, to_bank=settled - fees,
        closing=opening + charged - refunded - settled, unsettled=unsettled,
        unsettled_total=sum(u.amount for u in unsettled), by_month=tuple(months),
        timezone=src.timezone)


def _month_starts(period: Period) -> list[Any]:
    out = []
    cur = period.start.replace(day=1)
    while cur < period.end:
        out.append(cur)
        cur = cur.replace(year=cur.year + cur.month // 12, month=cur.month % 12 + 1)
    return out

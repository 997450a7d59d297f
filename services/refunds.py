"""Refunds of a completed sale, full or partial, by receipt number.

One transaction writes the refund, its lines, the stock movements back in, the kasbon
reversal, a balanced journal entry, the audit record and the outbox event, like a sale.

Amounts are *cumulative proportional*: the k-th partial refund of a line takes
``round(x * (done + q) / qty) - round(x * done / qty)`` of the line's gross, tax and cost,
so however a line is refunded in pieces, the pieces add up exactly to what the sale
charged (the sums telescope). ``net = gross - tax`` keeps every refund line balanced.

The supervisor PIN is checked before anything is written, because a wrong PIN commits its
own failure count (lockout) and must not carry half a refund with it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import (
    KasbonEntry,
    Payment,
    ProviderJob,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    StockLevel,
    StockMovement,
)
from local_db.store import (
    add_provider_job,
    append_audit,
    append_outbox,
    next_counter,
    post_journal,
)
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.catalogue import WEIGHED_UNITS
from services.errors import BadInput, Conflict, NotFound, Refused
from services.kasbon_query import add_kasbon_entry, kasbon_balance
from services.loyalty import LOYALTY_REDEMPTION, plan_refund, record_refund
from services.money import MAX_QTY_MILLI, round_cash, to_rupiah
from services.selling import Approval
from services.shifts_query import require_open_shift
from services.shop import ShopConfig
from services.tender import KASBON

#: Midtrans refunds these; bank-transfer VA is refunded in cash (providers.md, refund).
PROVIDER_REFUNDABLE = frozenset({"qris", "gopay", "shopeepay"})
from services.users import Actor, approve, authorize

MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class RefundedLine:
    line_no: int
    sku: str
    name: str
    unit: str
    qty_milli: int
    gross: int
    net: int
    tax: int
    cost: int


@dataclass(frozen=True, slots=True)
class RefundResult:
    id: str
    seq: int
    refund_no: str
    sale_id: str
    receipt_no: str
    created_at: str
    cashier: str
    approved_by: str
    reason: str
    method: str  # cash | kasbon | provider | mixed
    customer_id: str | None
    lines: tuple[RefundedLine, ...]
    gross: int
    net: int
    tax: int
    cost: int
    to_kasbon: int  # taken off the customer's kasbon
    cash_due: int  # the cash part before rounding
    rounding: int  # cash_paid - cash_due, booked to the rounding account
    cash_paid: int  # handed out of the drawer
    to_provider: int = 0  # refunded through Midtrans (queued provider jobs)
    provider_jobs: tuple[str, ...] = ()
    to_points: int = 0  # rupiah given back as the member's points (services.loyalty)
    points_back: int = 0  # those points
    points_taken: int = 0  # earned points the refund took back

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _SoldLine:
    """A sale line with what earlier refunds already took back from it."""

    id: str
    line_no: int
    product_id: str
    sku: str
    name: str
    unit: str
    qty_milli: int
    gross: int
    tax: int
    cost: int
    done_milli: int

    @property
    def left_milli(self) -> int:
        return self.qty_milli - self.done_milli


@dataclass(frozen=True, slots=True)
class _Piece:
    sold: _SoldLine
    qty_milli: int
    gross: int
    tax: int
    cost: int

    @property
    def net(self) -> int:
        return self.gross - self.tax


def _share(amount: int, done: int, q: int, qty: int) -> int:
    """The part of ``amount`` for ``q`` more of ``qty`` after ``done`` (cumulative, exact)."""
    upto = to_rupiah(Decimal(amount) * (done + q) / qty)
    before = to_rupiah(Decimal(amount) * done / qty)
    return upto - before


def _piece(sold: _SoldLine, q: int) -> _Piece:
    d, n = sold.done_milli, sold.qty_milli
    return _Piece(sold, q, _share(sold.gross, d, q, n), _share(sold.tax, d, q, n),
                  _share(sold.cost, d, q, n))


@dataclass(frozen=True, slots=True)
class _SaleRef:
    id: str
    receipt_no: str
    customer_id: str | None


def _find_sale(conn: Connection, receipt_no: str) -> _SaleRef:
    receipt_no = (receipt_no or "").strip()
    if not receipt_no:
        raise BadInput("a receipt number is needed", field="receipt_no")
    row = conn.execute(select(Sale.id, Sale.receipt_no, Sale.customer_id, Sale.status)
                       .where(Sale.receipt_no == receipt_no)).first()
    if row is None:
        raise NotFound(f"no sale with receipt number {receipt_no}", field="receipt_no")
    if row.status != "completed":
        raise Conflict(f"sale {receipt_no} is {row.status}, not completed", field="receipt_no")
    return _SaleRef(row.id, row.receipt_no, row.customer_id)


def _sold_lines(conn: Connection, sale_id: str) -> dict[int, _SoldLine]:
    done = {str(line_id): int(qty) for line_id, qty in conn.execute(
        select(RefundLine.sale_line_id, func.sum(RefundLine.qty_milli))
        .join(SaleLine, SaleLine.id == RefundLine.sale_line_id)
        .where(SaleLine.sale_id == sale_id).group_by(RefundLine.sale_line_id))}
    rows = conn.execute(select(SaleLine.id, SaleLine.line_no, SaleLine.product_id,
                               SaleLine.sku, SaleLine.name, SaleLine.unit, SaleLine.qty_milli,
                               SaleLine.gross, SaleLine.tax, SaleLine.cost)
                        .where(SaleLine.sale_id == sale_id).order_by(SaleLine.line_no))
    return {r.line_no: _SoldLine(r.id, r.line_no, r.product_id, r.sku, r.name, r.unit,
                                 r.qty_milli, r.gross, r.tax, r.cost, done.get(r.id, 0))
            for r in rows}


def _wanted(sold: dict[int, _SoldLine], lines: Sequence[tuple[int, int]],
            receipt_no: str) -> list[_Piece]:
    """What to refund: everything still refundable, or the lines asked for (checked)."""
    if not lines:
        pieces = [_piece(s, s.left_milli) for s in sold.values() if s.left_milli > 0]
        if not pieces:
            raise Conflict(f"sale {receipt_no} is already fully refunded", field="receipt_no")
        return pieces
    pieces = []
    seen: set[int] = set()
    for i, (line_no, q) in enumerate(lines):
        s = sold.get(line_no)
        if s is None:
            raise BadInput(f"sale {receipt_no} has no line {line_no}",
                           field=f"lines[{i}].line_no")
        if line_no in seen:
            raise BadInput(f"line {line_no} is given twice", field=f"lines[{i}].line_no")
        seen.add(line_no)
        if not 0 < q <= MAX_QTY_MILLI:
            raise BadInput("must be more than zero and at most 10.000",
                           field=f"lines[{i}].qty")
        if s.unit not in WEIGHED_UNITS and q % 1000:
            raise BadInput(f"{s.name} is sold per {s.unit}: whole quantities only",
                           field=f"lines[{i}].qty")
        if q > s.left_milli:
            raise BadInput(f"line {line_no} ({s.name}): {q / 1000:g} asked back but only "
                           f"{s.left_milli / 1000:g} of {s.qty_milli / 1000:g} is left to "
                           "refund", field=f"lines[{i}].qty")
        pieces.append(_piece(s, q))
    return pieces


def _kasbon_left(conn: Connection, sale_id: str) -> int:
    """What this sale put on kasbon minus what earlier refunds of it already took off."""
    on_kasbon = conn.execute(select(func.coalesce(func.sum(Payment.amount), 0))
                             .where(Payment.sale_id == sale_id,
                                    Payment.method == KASBON)).scalar()
    reversed_ = conn.execute(select(func.coalesce(func.sum(-KasbonEntry.amount), 0))
                             .join(Refund, Refund.id == KasbonEntry.ref_id)
                             .where(Refund.sale_id == sale_id,
                                    KasbonEntry.kind == "refund")).scalar()
    return int(on_kasbon or 0) - int(reversed_ or 0)


def _provider_left(conn: Connection, sale_id: str) -> list[tuple[str, str, int]]:
    """(order id, method, amount still refundable through Midtrans) per refundable provider
    payment of the sale: its amount less what earlier refunds' provider jobs already asked."""
    paid = conn.execute(select(Payment.provider_ref, Payment.method, Payment.amount)
                        .where(Payment.sale_id == sale_id,
                               Payment.method.in_(sorted(PROVIDER_REFUNDABLE)),
                               Payment.provider_ref.is_not(None))
                        .order_by(Payment.id)).all()
    if not paid:
        return []
    asked: dict[str, int] = {}
    for (payload,) in conn.execute(
            select(ProviderJob.payload).join(Refund, Refund.id == ProviderJob.ref_id)
            .where(Refund.sale_id == sale_id, ProviderJob.kind == "refund")):
        p = json.loads(payload)
        asked[p["order_id"]] = asked.get(p["order_id"], 0) + int(p["amount"])
    return [(str(ref), str(m), int(a) - asked.get(str(ref), 0)) for ref, m, a in paid]


def _method(to_kasbon: int, to_provider: int, cash_due: int) -> str:
    used = [name for name, amount in (("kasbon", to_kasbon), ("provider", to_provider),
                                      ("cash", cash_due)) if amount]
    return used[0] if len(used) == 1 else ("mixed" if used else "cash")


def _journal_lines(net: int, tax: int, cash_paid: int, to_kasbon: int, to_provider: int,
                   rounding: int, cost: int) -> list[tuple[str, int, int]]:
    """The sale's entry reversed: returns and PPN debited, cash/kasbon credited, stock back.

    ``net + tax == cash_due + to_kasbon`` and ``cash_paid = cash_due + rounding``, so the
    rounding line (debit when more cash goes out than due) balances the entry.
    """
    lines = [(acc.SALES_RETURNS, net, 0), (acc.PPN_PAYABLE, tax, 0),
             (acc.CASH_DRAWER, 0, cash_paid), (acc.KASBON_RECEIVABLE, 0, to_kasbon),
             (acc.MIDTRANS_CLEARING, 0, to_provider)]
    if rounding > 0:
        lines.append((acc.ROUNDING, rounding, 0))
    elif rounding < 0:
        lines.append((acc.ROUNDING, 0, -rounding))
    if cost:
        lines += [(acc.INVENTORY, cost, 0), (acc.COGS, 0, cost)]
    return lines


def _restock(conn: Connection, sale_id: str, refund_id: str, pieces: list[_Piece],
             actor: Actor, stamp: str) -> list[dict[str, Any]]:
    """Stock back in for the lines whose sale took stock out (the sale's own movements say
    which products were tracked then, and at what unit cost)."""
    sale_moves = {str(pid): int(cost) for pid, cost in conn.execute(
        select(StockMovement.product_id, StockMovement.unit_cost)
        .where(StockMovement.ref_id == sale_id, StockMovement.kind == "sale"))}
    moves = [{
        "id": uuid7(), "product_id": p.sold.product_id, "qty_milli": p.qty_milli,
        "kind": "refund", "ref_id": refund_id, "unit_cost": sale_moves[p.sold.product_id],
        "reason": None, "supplier": None, "user_id": actor.id, "created_at": stamp,
    } for p in pieces if p.sold.product_id in sale_moves]
    if moves:
        conn.execute(insert(StockMovement), moves)
        for m in moves:
            conn.execute(update(StockLevel).where(StockLevel.product_id == m["product_id"])
                         .values(qty_milli=StockLevel.qty_milli + m["qty_milli"]))
    return moves


def _check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise BadInput(f"at most {MAX_REASON} characters", field="reason")
    return reason


def refund_sale(uow: UnitOfWork, config: ShopConfig, actor: Actor, receipt_no: str,
                lines: Sequence[tuple[int, int]] = (), reason: str | None = None,
                approval: Approval | None = None) -> RefundResult:
    """Refund ``lines`` as ``(line_no, qty_milli)`` of a sale, or all that is left of it."""
    conn = uow.conn
    reason = _check_reason(reason)
    sale = _find_sale(conn, receipt_no)
    pieces = _wanted(_sold_lines(conn, sale.id), lines, sale.receipt_no)
    if not any(p.gross or p.cost for p in pieces):
        # Goods given free at no cost: no money moves, and every refund must carry one
        # balanced journal entry (the database refuses an empty one), so there is no refund.
        raise Conflict("these lines were free and cost nothing: nothing to refund",
                       field="lines")
    # The drawer pays the cash part, and every refund belongs to the shift it happened in.
    shift_id = require_open_shift(conn, config.terminal_id)

    # --- approval, before anything is written. A supervisor acting alone still types a PIN:
    # a refund hands out money, so the PIN proves the person is at the till right now.
    if approval is None:
        raise Refused("a refund needs a supervisor PIN", field="approver")
    actor = authorize(uow, actor, "cashier", "a refund")
    approver = approve(uow, approval.user, approval.pin, "supervisor", "a refund")

    gross = sum(p.gross for p in pieces)
    tax = sum(p.tax for p in pieces)
    cost = sum(p.cost for p in pieces)
    net = gross - tax
    # Money goes back the way it came: kasbon first, then QRIS/e-wallet payments through
    # Midtrans (queued jobs with a refund_key, so a retried refund is the same refund);
    # everything else is cash: bank-transfer VA (Midtrans cannot refund it) and EDC.
    # Kasbon is reduced only as far as the customer still owes: one who has already repaid
    # gets cash back rather than a negative kasbon balance.
    owed = kasbon_balance(conn, str(sale.customer_id)) if sale.customer_id else 0
    to_kasbon = min(gross, max(0, _kasbon_left(conn, sale.id)), max(0, owed))
    provider_parts: list[tuple[str, str, int]] = []
    # Points the sale was paid with go back as points, before Midtrans and cash.
    points = plan_refund(conn, sale.id, sale.customer_id, gross - to_kasbon, net)
    left = gross - to_kasbon - points.to_points
    for order_id, pay_method, refundable in _provider_left(conn, sale.id):
        part = min(left, max(0, refundable))
        if part:
            provider_parts.append((order_id, pay_method, part))
            left -= part
    to_provider = sum(p[2] for p in provider_parts)
    cash_due = gross - to_kasbon - to_provider - points.to_points
    va_paid = conn.execute(select(func.count()).select_from(Payment).where(
        Payment.sale_id == sale.id, Payment.method.like("va_%"))).scalar()
    # The sale's own rounding rule, so a full refund of a cash sale hands back exactly the
    # payable the customer paid.
    cash_paid = round_cash(cash_due, config.rounding_unit, config.rounding_mode)
    rounding = cash_paid - cash_due
    method = _method(to_kasbon, to_provider, cash_due)
    if points.to_points:  # part (or all) went back as the member's points
        method = "points" if method == "cash" and not cash_due else "mixed"
    journal = _journal_lines(net, tax, cash_paid, to_kasbon, to_provider, rounding, cost)
    if points.to_points:
        journal.append((LOYALTY_REDEMPTION, 0, points.to_points))

    # --- the write: one transaction ----------------------------------------------------
    stamp = now_iso()
    refund_id = uuid7()
    seq = next_counter(conn, "refund")
    refund_no = config.refund_no(seq)
    refund_row = {
        "id": refund_id, "seq": seq, "refund_no": refund_no, "sale_id": sale.id,
        "shift_id": shift_id, "user_id": actor.id, "approved_by": approver.id,
        "reason": reason, "method": method, "gross": gross, "net": net, "tax": tax,
        "cost": cost, "created_at": stamp,
    }
    conn.execute(insert(Refund).values(**refund_row))
    line_rows = [{
        "id": uuid7(), "refund_id": refund_id, "sale_line_id": p.sold.id,
        "qty_milli": p.qty_milli, "gross": p.gross, "net": p.net, "tax": p.tax,
        "cost": p.cost,
    } for p in pieces]
    conn.execute(insert(RefundLine), line_rows)
    moves = _restock(conn, sale.id, refund_id, pieces, actor, stamp)
    if to_kasbon:
        add_kasbon_entry(conn, str(sale.customer_id), -to_kasbon, "refund", refund_id, KASBON,
                         shift_id, stamp)
    record_refund(conn, points, sale.id, refund_id, config.terminal_id, actor.id, stamp)
    jobs = tuple(
        add_provider_job(conn, provider="midtrans", kind="refund", ref_id=refund_id,
                         idempotency_key=f"refund:{refund_id}:{n}",
                         payload={"order_id": order_id, "method": pay_method, "amount": part,
                                  "refund_key": f"{refund_id}-{n}", "reason": reason})
        for n, (order_id, pay_method, part) in enumerate(provider_parts))
    entry_id = post_journal(conn, kind="refund", ref_id=refund_id, memo=refund_no,
                            lines=journal, created_at=stamp)
    append_audit(conn, "sale.refund", entity="sale", entity_id=sale.id, actor_id=actor.id,
                 approver_id=approver.id, created_at=stamp, details={
                     "refund_id": refund_id, "refund_no": refund_no,
                     "receipt_no": sale.receipt_no, "reason": reason, "method": method,
                     "gross": gross, "cash_paid": cash_paid, "to_kasbon": to_kasbon,
                     "to_provider": to_provider,
                     "cash_because": "bank-transfer VA cannot be refunded through Midtrans"
                     if va_paid and cash_due else None,
                     "lines": [{"line_no": p.sold.line_no, "sku": p.sold.sku,
                                "qty_milli": p.qty_milli, "gross": p.gross} for p in pieces]})
    # Keyed by the refund (its own identity); the payload names the original sale, which
    # central needs first.
    append_outbox(conn, "sale.refunded", {
        "refund": {**refund_row, "terminal_id": config.terminal_id, "to_kasbon": to_kasbon,
                   "to_provider": to_provider, "cash_paid": cash_paid, "rounding": rounding,
                   "to_points": points.to_points},
        "sale_id": sale.id, "receipt_no": sale.receipt_no, "lines": line_rows,
        "stock_movements": [{"id": m["id"], "product_id": m["product_id"],
                             "qty_milli": m["qty_milli"]} for m in moves],
        "journal_entry_id": entry_id,
    }, aggregate_id=refund_id, created_at=stamp)
    uow.commit()

    return RefundResult(
        id=refund_id, seq=seq, refund_no=refund_no, sale_id=sale.id,
        receipt_no=sale.receipt_no, created_at=stamp, cashier=actor.name,
        approved_by=approver.name, reason=reason, method=method,
        customer_id=sale.customer_id,
        lines=tuple(RefundedLine(p.sold.line_no, p.sold.sku, p.sold.name, p.sold.unit,
                                 p.qty_milli, p.gross, p.net, p.tax, p.cost) for p in pieces),
        gross=gross, net=net, tax=tax, cost=cost, to_kasbon=to_kasbon, cash_due=cash_due,
        rounding=rounding, cash_paid=cash_paid, to_provider=to_provider, provider_jobs=jobs,
        to_points=points.to_points, points_back=points.points_back,
        points_taken=points.take_back)


__all__ = ["Approval", "RefundResult", "RefundedLine", "refund_sale"]


@dataclass(frozen=True, slots=True)
class RefundableLine:
    """A sold line and how much of it is left to refund."""

    line_no: int
    sku: str
    name: str
    unit: str
    qty_milli: int  # sold
    left_milli: int  # not yet refunded
    unit_price: int
    gross: int
    weighed: bool = False  # sold by weight or length: quantities with decimals


@dataclass(frozen=True, slots=True)
class RefundableSale:
    """A sale found by its receipt number, as the refund screen offers it."""

    receipt_no: str
    created_at: str
    status: str
    payable: int
    customer_id: str | None
    lines: tuple[RefundableLine, ...]
    payments: tuple[tuple[str, int], ...]  # (method, amount)


def refundable_sale(conn: Connection, receipt_no: str) -> RefundableSale:
    """The sale with ``receipt_no``, any status (the screen says why a voided one cannot be
    refunded), each line with what is left of it. NotFound for an unknown number."""
    receipt_no = (receipt_no or "").strip()
    if not receipt_no:
        raise BadInput("a receipt number is needed", field="receipt_no")
    sale = conn.execute(select(Sale.id, Sale.receipt_no, Sale.created_at, Sale.status,
                               Sale.payable, Sale.customer_id)
                        .where(Sale.receipt_no == receipt_no)).first()
    if sale is None:
        raise NotFound(f"no sale with receipt number {receipt_no}", field="receipt_no")
    done = {str(k): int(v) for k, v in conn.execute(
        select(RefundLine.sale_line_id, func.sum(RefundLine.qty_milli))
        .join(SaleLine, SaleLine.id == RefundLine.sale_line_id)
        .where(SaleLine.sale_id == sale.id).group_by(RefundLine.sale_line_id))}
    lines = tuple(RefundableLine(r.line_no, r.sku, r.name, r.unit, r.qty_milli,
                                 r.qty_milli - done.get(str(r.id), 0), r.unit_price, r.gross,
                                 r.unit in WEIGHED_UNITS)
                  for r in conn.execute(select(SaleLine).where(SaleLine.sale_id == sale.id)
                                        .order_by(SaleLine.line_no)))
    payments = tuple((str(m), int(a)) for m, a in conn.execute(
        select(Payment.method, Payment.amount).where(Payment.sale_id == sale.id)
        .order_by(Payment.id)))
    return RefundableSale(sale.receipt_no, sale.created_at, sale.status, sale.payable,
                          sale.customer_id, lines, payments)

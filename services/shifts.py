"""Shifts: open with a float, cash in/out, X report mid-shift, close with a denomination
count (Z report). The drawer's ledger account goes back to zero at every close: the float
comes from the safe, the counted cash goes back to it, the difference to cash over/short.

Who may act (services.users has the whole rule): opening, closing and every cash movement
need the acting user's PIN (never the till's default actor) and a user who is not locked,
checked here so the till's screens and the CLI get the same answer. A cash out beyond the
drawer's expected cash, or above the store setting ``cash_out.approval_above`` (rupiah;
unset: no such limit), also needs a supervisor: a supervisor or owner acting with their own
PIN approves it themselves, anyone else hands in an :class:`Approval` (a supervisor's name
and PIN, checked here). It is audited (``drawer.cash_out_approved``) with who acted and who
approved; so is a drawer opened without a sale.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import (
    CashMovement,
    JournalEntry,
    JournalLine,
    KasbonEntry,
    Payment,
    Refund,
    Sale,
    Shift,
    User,
)
from local_db.store import append_audit, append_outbox, post_journal, read_settings
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.errors import BadInput, Conflict, NotFound, Refused
from services.inputs import key_name
from services.selling import Approval
from services.shifts_query import open_shift_id, require_open_shift
from services.shop import ShopConfig
from services.users import Actor, approve, authorize, authorize_approver

#: Store setting: a cash out above this many rupiah needs a supervisor (unset: only a cash
#: out beyond the drawer's expected cash does).
CASH_OUT_APPROVAL_ABOVE = "cash_out.approval_above"

#: Rupiah coins and notes in circulation, smallest first.
DENOMINATIONS = (100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000)


@dataclass(frozen=True, slots=True)
class ShiftReport:
    shift_id: str
    kind: str  # X (mid-shift) or Z (close)
    opened_by: str
    opened_at: str
    closed_at: str | None
    float_amount: int
    sales_count: int
    sales_total: int  # payable, rounding included
    discount_total: int
    tax_total: int
    rounding_total: int
    by_method: dict[str, dict[str, int]]  # method -> {count, amount}
    refunds_count: int
    refunds_total: int
    cash_in: int
    cash_out: int
    kasbon_repaid_cash: int
    no_sale_opens: int
    first_receipt: str | None
    last_receipt: str | None
    expected_cash: int
    counted_cash: int | None = None
    difference: int | None = None
    counted_detail: dict[str, int] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def open_shift(uow: UnitOfWork, config: ShopConfig, actor: Actor, float_amount: int) -> str:
    conn = uow.conn
    if open_shift_id(conn, config.terminal_id) is not None:
        raise Conflict("a shift is already open on this till", field="shift")
    if float_amount < 0:
        raise BadInput("the float must not be negative", field="float")
    actor = authorize(uow, actor, "cashier", "opening a shift")
    shift_id = uuid7()
    stamp = now_iso()
    conn.execute(insert(Shift).values(
        id=shift_id, terminal_id=config.terminal_id, status="open", opened_by=actor.id,
        opened_at=stamp, float_amount=float_amount))
    if float_amount:
        post_journal(conn, kind="shift.float", ref_id=shift_id, memo="float from the safe",
                     lines=[(acc.CASH_DRAWER, float_amount, 0), (acc.CASH_SAFE, 0, float_amount)],
                     created_at=stamp)
    append_outbox(conn, "shift.opened", {"id": shift_id, "terminal_id": config.terminal_id,
                                         "opened_by": actor.id, "opened_at": stamp,
                                         "float": float_amount},
                  aggregate_id=shift_id, created_at=stamp)
    uow.commit()
    return shift_id


def cash_out_limit(conn: Connection) -> int | None:
    """The store's ``cash_out.approval_above`` in rupiah, or None when unset."""
    raw = (read_settings(conn).get(CASH_OUT_APPROVAL_ABOVE) or "").strip()
    if not raw:
        return None
    try:
        return max(0, int(raw))
    except ValueError:
        return 0  # a damaged setting errs on the safe side: every cash out is approved


def _cash_out_approver(uow: UnitOfWork, actor: Actor, shift: Shift, amount: int,
                       approval: Approval | None, approver: Actor | None
                       ) -> tuple[Actor | None, dict[str, Any]]:
    """Who approves a cash out that needs it (None: it needs nobody), and why it does."""
    expected = _figures(uow.conn, shift)["expected_cash"]
    limit = cash_out_limit(uow.conn)
    why: dict[str, Any] = {"amount": amount, "expected_cash": expected, "limit": limit}
    if amount <= expected and (limit is None or amount <= limit):
        return None, why
    what = (f"a cash out of Rp {amount:,} beyond the Rp {expected:,} the drawer should hold"
            if amount > expected else f"a cash out above Rp {limit:,} (store setting "
            f"{CASH_OUT_APPROVAL_ABOVE})").replace(",", ".")
    if actor.at_least("supervisor"):
        return actor, why  # their own PIN was checked: they approve it themselves
    if approver is not None:
        return authorize_approver(uow, approver, "supervisor", what), why
    if approval is None:
        raise Refused(f"{what} needs a supervisor's approval", field="approver")
    return approve(uow, approval.user, approval.pin, "supervisor", what), why


@dataclass(frozen=True, slots=True)
class DrawerOut:
    """Cash taken out of the open shift's drawer by a use case that books its own entry."""

    movement_id: str
    shift_id: str
    approved_by: str | None  # the supervisor who approved it, when it needed one


def take_from_drawer(uow: UnitOfWork, terminal_id: str, actor: Actor, amount: int,
                     reason: str, account: str, *, approver: Actor | None = None,
                     approval: Approval | None = None, stamp: str | None = None
                     ) -> DrawerOut:
    """The drawer side of a cash out: the cash movement the X/Z report counts (needs this
    till's open shift) under the cash out rule (beyond the drawer's expected cash or above
    ``cash_out.approval_above``: a supervisor approves, audited). ``actor`` is authorized
    by the caller, which posts the journal entry, writes its events and commits."""
    conn = uow.conn
    shift_id = require_open_shift(conn, terminal_id)
    shift = uow.session.get(Shift, shift_id)
    assert shift is not None
    approved_by, why = _cash_out_approver(uow, actor, shift, amount, approval, approver)
    move_id = uuid7()
    stamp = stamp or now_iso()
    conn.execute(insert(CashMovement).values(
        id=move_id, shift_id=shift_id, kind="cash_out", amount=amount, reason=reason,
        account_code=account, user_id=actor.id, created_at=stamp))
    if approved_by is not None:
        append_audit(conn, "drawer.cash_out_approved", entity="cash_movement",
                     entity_id=move_id, actor_id=actor.id, approver_id=approved_by.id,
                     details={**why, "reason": reason}, created_at=stamp)
    return DrawerOut(move_id, shift_id, None if approved_by is None else approved_by.id)


def move_cash(uow: UnitOfWork, config: ShopConfig, actor: Actor, kind: str, amount: int,
              reason: str, *, account: str | None = None, approver: Actor | None = None,
              approval: Approval | None = None, category: str | None = None,
              payee: str | None = None) -> str:
    """Cash put into (``cash_in``) or taken out of (``cash_out``) the drawer, with a reason;
    ``no_sale`` records a drawer opened without a sale (audited, needs a supervisor).
    ``approval`` (a supervisor's name and PIN, checked here) or ``approver`` (a supervisor's
    approval already given as a value) covers what is beyond ``actor``: see the module's
    docstring for when a cash out needs one.

    A cash out with an expense ``category`` (services.expenses: listrik, es_batu...) is an
    expense paid from the drawer: Dr the category's expense account / Cr the drawer, and an
    Expense row (paid_from ``drawer``, payee ``payee`` or else the reason, note the reason)
    in the same transaction, with its ``expense.recorded`` event. Without a category a cash
    out is what it always was: owner's drawings (3-2000), or ``account`` when given. Returns
    the cash movement's id."""
    conn = uow.conn
    shift_id = require_open_shift(conn, config.terminal_id)
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("a reason is needed", field="reason")
    if kind not in ("cash_in", "cash_out", "no_sale"):
        raise BadInput("kind must be cash_in, cash_out or no_sale", field="kind")
    if kind != "no_sale" and amount <= 0:
        raise BadInput("must be more than zero", field="amount")
    spend = None
    if category is not None:
        from services.expenses import check_expense  # services.expenses imports us
        if kind != "cash_out":
            raise BadInput("only a cash out has an expense category", field="category")
        if account is not None:
            raise BadInput("a cash out with a category is booked to the category's account; "
                           "give one or the other", field="account")
        spend = check_expense(conn, category=category, payee=payee or reason[:120],
                              amount=amount, paid_from="drawer", note=reason)
        account = spend.category.account_code
    elif payee is not None:
        raise BadInput("a payee goes with an expense category", field="payee")
    what = {"cash_in": "putting cash into the drawer", "cash_out": "taking cash out of the "
            "drawer", "no_sale": "opening the drawer without a sale"}[kind]
    actor = authorize(uow, actor, "cashier", what)
    stamp = now_iso()
    default = {"cash_in": acc.OWNER_CAPITAL, "cash_out": acc.OWNER_DRAWINGS}.get(kind)
    account = account or default
    entry_id: str | None = None
    extra: dict[str, Any] = {}
    if kind == "cash_out":
        taken = take_from_drawer(uow, config.terminal_id, actor, amount, reason, str(account),
                                 approver=approver, approval=approval, stamp=stamp)
        move_id = taken.movement_id
        if spend is not None:
            from services.expenses import write_expense
            expense = write_expense(conn, actor.id, spend, "drawer", shift_id=shift_id,
                                    cash_movement_id=move_id, stamp=stamp)
            entry_id = expense.journal_entry_id
            extra = {"category": expense.category, "expense_id": expense.id}
        else:
            entry_id = post_journal(conn, kind="cash.out", ref_id=move_id, memo=reason,
                                    created_at=stamp,
                                    lines=[(str(account), amount, 0),
                                           (acc.CASH_DRAWER, 0, amount)])
    else:
        move_id = uuid7()
        approved_by: Actor | None = None
        if kind == "no_sale":
            amount = 0
            if actor.at_least("supervisor"):
                approved_by = actor
            elif approver is not None:
                approved_by = authorize_approver(uow, approver, "supervisor", what)
            elif approval is not None:
                approved_by = approve(uow, approval.user, approval.pin, "supervisor", what)
            else:
                raise Refused(f"{what} needs a supervisor", field="approver")
        conn.execute(insert(CashMovement).values(
            id=move_id, shift_id=shift_id, kind=kind, amount=amount, reason=reason,
            account_code=account, user_id=actor.id, created_at=stamp))
        if kind == "cash_in":
            entry_id = post_journal(conn, kind="cash.in", ref_id=move_id, memo=reason,
                                    created_at=stamp,
                                    lines=[(acc.CASH_DRAWER, amount, 0),
                                           (str(account), 0, amount)])
        else:
            assert approved_by is not None
            append_audit(conn, "drawer.no_sale", entity="shift", entity_id=shift_id,
                         actor_id=actor.id, approver_id=approved_by.id,
                         details={"reason": reason}, created_at=stamp)
    payload: dict[str, Any] = {"id": move_id, "shift_id": shift_id, "amount": amount,
                               "reason": reason, "account": account, "created_at": stamp,
                               **extra}
    if entry_id is not None:
        payload["journal_entry_id"] = entry_id
    append_outbox(conn, f"cash.{kind}", payload, aggregate_id=move_id, created_at=stamp)
    uow.commit()
    return move_id


def _figures(conn: Connection, shift: Shift) -> dict[str, Any]:
    sid = shift.id
    s = conn.execute(select(func.count(), func.coalesce(func.sum(Sale.payable), 0),
                            func.coalesce(func.sum(Sale.discount_total), 0),
                            func.coalesce(func.sum(Sale.tax_total), 0),
                            func.coalesce(func.sum(Sale.rounding), 0),
                            func.min(Sale.seq), func.max(Sale.seq))
                     .where(Sale.shift_id == sid)).one()
    by_method: dict[str, dict[str, int]] = {}
    for method, count, amount in conn.execute(
            select(Payment.method, func.count(), func.sum(Payment.amount))
            .join(Sale, Sale.id == Payment.sale_id).where(Sale.shift_id == sid)
            .group_by(Payment.method).order_by(Payment.method)):
        by_method[str(method)] = {"count": int(count), "amount": int(amount)}
    r = conn.execute(select(func.count(), func.coalesce(func.sum(Refund.gross), 0))
                     .where(Refund.shift_id == sid)).one()
    cash_refunds = _cash_refunded(conn, sid)
    moves = {str(k): (int(n), int(a)) for k, n, a in conn.execute(
        select(CashMovement.kind, func.count(), func.coalesce(func.sum(CashMovement.amount), 0))
        .where(CashMovement.shift_id == sid).group_by(CashMovement.kind))}
    repaid = int(conn.execute(select(func.coalesce(func.sum(-KasbonEntry.amount), 0))
                              .where(KasbonEntry.shift_id == sid, KasbonEntry.kind == "repayment",
                                     KasbonEntry.method == "cash")).scalar() or 0)
    cash_sales = by_method.get("cash", {}).get("amount", 0)
    cash_in = moves.get("cash_in", (0, 0))[1]
    cash_out = moves.get("cash_out", (0, 0))[1]
    expected = shift.float_amount + cash_sales - cash_refunds + cash_in - cash_out + repaid
    return {
        "sales_count": int(s[0]), "sales_total": int(s[1]), "discount_total": int(s[2]),
        "tax_total": int(s[3]), "rounding_total": int(s[4]), "first_seq": s[5],
        "last_seq": s[6], "by_method": by_method, "refunds_count": int(r[0]),
        "refunds_total": int(r[1]), "cash_in": cash_in, "cash_out": cash_out,
        "kasbon_repaid_cash": repaid, "no_sale_opens": moves.get("no_sale", (0, 0))[0],
        "expected_cash": expected,
    }


def _cash_refunded(conn: Connection, shift_id: str) -> int:
    """Cash paid out of the drawer by this shift's refunds (their journal credits to it)."""
    total = conn.execute(
        select(func.coalesce(func.sum(JournalLine.credit - JournalLine.debit), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Refund, Refund.id == JournalEntry.ref_id)
        .where(Refund.shift_id == shift_id, JournalEntry.kind == "refund",
               JournalLine.account_code == acc.CASH_DRAWER)).scalar()
    return int(total or 0)


def _report(conn: Connection, config: ShopConfig, shift: Shift, kind: str) -> ShiftReport:
    f = _figures(conn, shift)
    opener = conn.execute(select(User.name).where(User.id == shift.opened_by)).scalar()
    return ShiftReport(
        shift_id=shift.id, kind=kind, opened_by=str(opener), opened_at=shift.opened_at,
        closed_at=shift.closed_at, float_amount=shift.float_amount,
        sales_count=f["sales_count"], sales_total=f["sales_total"],
        discount_total=f["discount_total"], tax_total=f["tax_total"],
        rounding_total=f["rounding_total"], by_method=f["by_method"],
        refunds_count=f["refunds_count"], refunds_total=f["refunds_total"],
        cash_in=f["cash_in"], cash_out=f["cash_out"],
        kasbon_repaid_cash=f["kasbon_repaid_cash"], no_sale_opens=f["no_sale_opens"],
        first_receipt=config.receipt_no(f["first_seq"]) if f["first_seq"] else None,
        last_receipt=config.receipt_no(f["last_seq"]) if f["last_seq"] else None,
        expected_cash=f["expected_cash"])


def shift_report(uow: UnitOfWork, config: ShopConfig, shift_id: str | None = None) -> ShiftReport:
    """X report of the open shift, or the stored Z report of a closed one."""
    conn = uow.conn
    sid = shift_id or require_open_shift(conn, config.terminal_id)
    shift = uow.session.get(Shift, sid)
    if shift is None:
        raise NotFound(f"no shift {sid}", field="shift")
    if shift.status == "closed" and shift.z_report:
        data = json.loads(shift.z_report)
        return ShiftReport(**data)
    return _report(conn, config, shift, "X")


def parse_count(counted: dict[str, Any]) -> tuple[int, dict[str, int]]:
    detail: dict[str, int] = {}
    total = 0
    for key, value in counted.items():
        name = key_name(str(key))  # printable, short, never empty (issue 10)
        try:
            denom = int(str(key).replace(".", ""))
        except ValueError:
            raise BadInput(f"'{name}' is not a denomination", field=f"counted.{name}") from None
        if denom not in DENOMINATIONS:
            raise BadInput(f"Rp {name} is not a rupiah coin or note "
                           f"({', '.join(map(str, DENOMINATIONS))})", field=f"counted.{name}")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100_000:
            raise BadInput("count must be a whole number from 0", field=f"counted.{name}")
        detail[str(denom)] = detail.get(str(denom), 0) + value
        total += denom * value
    return total, dict(sorted(detail.items(), key=lambda kv: -int(kv[0])))


def close_shift(uow: UnitOfWork, config: ShopConfig, actor: Actor,
                counted: dict[str, Any]) -> ShiftReport:
    conn = uow.conn
    sid = require_open_shift(conn, config.terminal_id)
    shift = uow.session.get(Shift, sid)
    assert shift is not None
    counted_total, detail = parse_count(counted)
    actor = authorize(uow, actor, "cashier", "closing the shift")
    stamp = now_iso()
    report = _report(conn, config, shift, "Z")
    difference = counted_total - report.expected_cash
    z = ShiftReport(**{**report.as_dict(), "closed_at": stamp, "counted_cash": counted_total,
                       "difference": difference, "counted_detail": detail})
    lines = [(acc.CASH_SAFE, counted_total, 0), (acc.CASH_DRAWER, 0, counted_total)]
    if difference < 0:
        lines += [(acc.CASH_OVER_SHORT, -difference, 0), (acc.CASH_DRAWER, 0, -difference)]
    elif difference > 0:
        lines += [(acc.CASH_DRAWER, difference, 0), (acc.CASH_OVER_SHORT, 0, difference)]
    if counted_total or difference:
        post_journal(conn, kind="shift.close", ref_id=sid, memo="drawer to the safe",
                     lines=lines, created_at=stamp)
    conn.execute(update(Shift).where(Shift.id == sid).values(
        status="closed", closed_by=actor.id, closed_at=stamp,
        expected_cash=report.expected_cash, counted_cash=counted_total,
        counted_detail=json.dumps(detail), z_report=json.dumps(z.as_dict())))
    append_outbox(conn, "shift.closed", {"id": sid, "closed_by": actor.id, "z": z.as_dict()},
                  aggregate_id=sid, created_at=stamp)
    uow.commit()
    return z


@dataclass(frozen=True, slots=True)
class ShiftState:
    """Whether this till has a shift open, and the notes and coins a count uses."""

    open: bool
    denominations: tuple[int, ...]  # rupiah notes and coins, largest first
    opened_by: str | None = None
    opened_at: str | None = None
    float_amount: int = 0


def shift_state(conn: Connection, config: ShopConfig) -> ShiftState:
    """The till's open shift (who opened it, when, with what float), if any."""
    denoms = tuple(sorted(DENOMINATIONS, reverse=True))
    row = conn.execute(select(User.name, Shift.opened_at, Shift.float_amount)
                       .join(User, User.id == Shift.opened_by)
                       .where(Shift.terminal_id == config.terminal_id,
                              Shift.status == "open")).first()
    if row is None:
        return ShiftState(False, denoms)
    return ShiftState(True, denoms, str(row[0]), str(row[1]), int(row[2]))

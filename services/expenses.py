"""Expenses: money the shop spends that is not stock (listrik, air, gaji, sewa, transport,
es batu, plastik, perbaikan, lain-lain, and the categories the owner adds).

Each category has its own expense account (6-11NN), so expenses by category come from the
ledger itself. An expense is paid

- from the drawer (``drawer``): this till's open shift; Dr the category's account / Cr
  1-1100 cash drawer, and a cash out of the shift (services.shifts.take_from_drawer) so the
  drawer count and the X/Z report stay right. A cashier's cash out with a category at the
  till (``services.shifts.move_cash(..., category=...)``) is the same booking;
- from the bank (``bank``): Dr the category's account / Cr 1-1200 Bank;
- or owed (``owed``): Dr the category's account / Cr 2-1100 Accounts payable, and a payable
  (source ``expense``) with its due date, paid later with services.payables.pay_payable.

Who may: recording an expense, a supervisor or owner; adding a category, the owner; a cash
out with a category follows the drawer's cash out rule (services.shifts). Every expense
writes its journal entry, an audit record and the ``expense.recorded`` event carrying the
entry's id (``journal_entry_id``), in one transaction; bad input names its field and
writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select

from local_db.ids import now_iso, uuid7
from local_db.models import Account, Expense, ExpenseCategory, Payable
from local_db.store import append_audit, append_outbox, post_journal, read_settings
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.errors import BadInput, Conflict, NotFound
from services.inputs import check_text
from services.money import rupiah
from services.payables import (
    MAX_NOTE,
    check_due_date,
    check_supplier,
    open_payable,
    parse_day,
    store_today,
)
from services.shifts import take_from_drawer
from services.users import Actor, authorize

#: How an expense is paid, and the account credited.
PAID_FROM = {"drawer": acc.CASH_DRAWER, "bank": acc.BANK, "owed": acc.ACCOUNTS_PAYABLE}
#: The owner's categories get the next free expense account of this block (6-1101..6-1199).
CATEGORY_ACCOUNT_PREFIX = "6-11"
MAX_CATEGORY_NAME = 60
MAX_CATEGORY_CODE = 24
#: A receipt photo is a path as the owner chose it (not opened here), bounded in length.
MAX_PHOTO_PATH = 1000
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class CategoryView:
    code: str  # lowercase slug: listrik, es_batu
    name: str
    account_code: str  # its expense account, 6-11NN
    active: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ExpenseView:
    id: str
    category: str
    category_name: str
    account_code: str
    payee: str
    amount: int
    note: str | None
    receipt_photo: str | None
    paid_from: str  # drawer | bank | owed
    shift_id: str | None  # drawer: the shift whose drawer paid
    payable_id: str | None  # owed: the payable opened
    due_date: str | None  # owed: the payable's due date
    journal_entry_id: str
    spent_on: str  # YYYY-MM-DD, the store's day
    user_id: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ExpenseInput:
    """An expense's checked fields (made by :func:`check_expense`)."""

    category: CategoryView
    payee: str
    amount: int
    note: str | None
    receipt_photo: str | None
    due_date: str | None
    spent_on: str


# --- categories ------------------------------------------------------------------------

def _category_view(row: Any) -> CategoryView:
    return CategoryView(str(row[0]), str(row[1]), str(row[2]), bool(row[3]))


_CATEGORY_COLS = (ExpenseCategory.code, ExpenseCategory.name, ExpenseCategory.account_code,
                  ExpenseCategory.active)


def expense_categories(conn: Connection, *, active_only: bool = True
                       ) -> tuple[CategoryView, ...]:
    """The expense categories in the order of their accounts (the seeded ones first)."""
    q = select(*_CATEGORY_COLS).order_by(ExpenseCategory.account_code)
    if active_only:
        q = q.where(ExpenseCategory.active)
    return tuple(_category_view(r) for r in conn.execute(q))


def find_category(conn: Connection, code: object, *, field: str = "category") -> CategoryView:
    """An active category by its code (case and surrounding spaces ignored)."""
    if not isinstance(code, str) or not code.strip():
        raise BadInput("an expense category is needed", field=field)
    row = conn.execute(select(*_CATEGORY_COLS)
                       .where(ExpenseCategory.code == code.strip().lower())).first()
    if row is None or not row[3]:
        known = ", ".join(c.code for c in expense_categories(conn))
        raise NotFound(f"no expense category '{code.strip()[:40]}' (known: {known})",
                       field=field)
    return _category_view(row)


def category_code(text: object) -> str:
    """A category's code: lowercase, spaces and hyphens as underscores (``Es batu`` ->
    ``es_batu``), letters, digits and underscores only, starting with a letter."""
    raw = check_text(text, field="code", max_len=MAX_CATEGORY_CODE, required=True)
    code = re.sub(r"[\s\-]+", "_", raw.lower())
    if not _CODE_RE.match(code):
        raise BadInput("a category code is letters a-z, digits and _ , starting with a letter",
                       field="code")
    return code


def _next_account(conn: Connection) -> str:
    used = {str(c) for c in conn.execute(
        select(Account.code).where(Account.code.like(f"{CATEGORY_ACCOUNT_PREFIX}__")))
        .scalars()}
    for n in range(1, 100):
        code = f"{CATEGORY_ACCOUNT_PREFIX}{n:02d}"
        if code not in used:
            return code
    raise Conflict("every expense account 6-1101..6-1199 is taken", field="code")


def add_category(uow: UnitOfWork, actor: Actor, *, code: str, name: str) -> CategoryView:
    """A new expense category with its own expense account (the next free 6-11NN, named
    "Beban <name>"). Owner only; a code or name already used is refused, naming it."""
    conn = uow.conn
    actor = authorize(uow, actor, "owner", "adding an expense category")
    slug = category_code(code)
    name = check_text(name, field="name", max_len=MAX_CATEGORY_NAME, required=True)
    if conn.execute(select(ExpenseCategory.code).where(ExpenseCategory.code == slug)).first():
        raise Conflict(f"the category '{slug}' exists already", field="code")
    if conn.execute(select(ExpenseCategory.code)
                    .where(func.lower(ExpenseCategory.name) == name.lower())).first():
        raise Conflict(f"a category named '{name}' exists already", field="name")
    account = _next_account(conn)
    stamp = now_iso()
    conn.execute(insert(Account).values(code=account, name=f"Beban {name.lower()}"[:80],
                                        type="expense"))
    conn.execute(insert(ExpenseCategory).values(code=slug, name=name, account_code=account,
                                                active=True, created_at=stamp))
    payload = {"code": slug, "name": name, "account_code": account, "created_at": stamp}
    append_audit(conn, "expense_category.added", entity="expense_category", entity_id=slug,
                 actor_id=actor.id, details=payload, created_at=stamp)
    append_outbox(conn, "expense_category.added", payload, aggregate_id=slug,
                  created_at=stamp)
    uow.commit()
    return CategoryView(slug, name, account, True)


# --- recording -------------------------------------------------------------------------

def check_expense(conn: Connection, *, category: str, payee: str, amount: int,
                  paid_from: str, note: str | None = None, receipt_photo: str | None = None,
                  due_date: str | date | None = None, spent_on: str | date | None = None
                  ) -> ExpenseInput:
    """Every field of an expense checked, naming the first bad one; nothing written."""
    if paid_from not in PAID_FROM:
        raise BadInput(f"paid_from must be one of {', '.join(PAID_FROM)}", field="paid_from")
    cat = find_category(conn, category)
    payee = check_supplier(payee, field="payee")
    amount = rupiah(amount, field="amount")
    if amount <= 0:
        raise BadInput("must be more than zero", field="amount")
    note_text = None if note is None else (check_text(note, field="note", max_len=MAX_NOTE)
                                           or None)
    photo = None
    if receipt_photo is not None:
        photo = check_text(receipt_photo, field="receipt_photo",
                           max_len=MAX_PHOTO_PATH) or None
    today = store_today(conn)
    day = today if spent_on is None else parse_day(spent_on, field="spent_on")
    if day > today:
        raise BadInput(f"{day.isoformat()} is after today ({today.isoformat()})",
                       field="spent_on")
    due: str | None = None
    if paid_from == "owed":
        if due_date is None or due_date == "":
            raise BadInput("an expense owed needs the day it is due", field="due_date")
        due = check_due_date(due_date)
    elif due_date is not None and due_date != "":
        raise BadInput("only an expense owed has a due date", field="due_date")
    return ExpenseInput(cat, payee, amount, note_text, photo, due, day.isoformat())


def write_expense(conn: Connection, actor_id: str, data: ExpenseInput, paid_from: str, *,
                  shift_id: str | None = None, cash_movement_id: str | None = None,
                  stamp: str | None = None) -> ExpenseView:
    """Book a checked expense (the caller authorized the actor, took the cash out of the
    drawer when ``drawer``, and commits): the journal entry, the payable when ``owed``, the
    Expense row, its audit record and ``expense.recorded``."""
    assert (paid_from == "drawer") == (shift_id is not None)
    stamp = stamp or now_iso()
    expense_id = uuid7()
    entry_id = uuid7()
    cat = data.category
    payable: dict[str, Any] | None = None
    if paid_from == "owed":
        payable = open_payable(conn, actor_id, supplier=data.payee, source="expense",
                                  source_id=expense_id, amount=data.amount,
                                  due_date=data.due_date, note=data.note,
                                  journal_entry_id=entry_id, stamp=stamp)
    payable_id = None if payable is None else str(payable["id"])
    post_journal(conn, kind="expense", ref_id=expense_id, entry_id=entry_id,
                 memo=f"{cat.name}: {data.payee}"[:200], created_at=stamp,
                 lines=[(cat.account_code, data.amount, 0), (PAID_FROM[paid_from], 0,
                                                             data.amount)])
    conn.execute(insert(Expense).values(
        id=expense_id, category_code=cat.code, payee=data.payee, amount=data.amount,
        note=data.note, receipt_photo=data.receipt_photo, paid_from=paid_from,
        shift_id=shift_id, payable_id=payable_id, entry_id=entry_id, spent_on=data.spent_on,
        user_id=actor_id, created_at=stamp))
    view = ExpenseView(expense_id, cat.code, cat.name, cat.account_code, data.payee,
                       data.amount, data.note, data.receipt_photo, paid_from, shift_id,
                       payable_id, data.due_date, entry_id, data.spent_on, actor_id, stamp)
    payload = {**view.as_dict(), "cash_movement_id": cash_movement_id, "payable": payable}
    append_audit(conn, "expense.recorded", entity="expense", entity_id=expense_id,
                 actor_id=actor_id, details=payload, created_at=stamp)
    append_outbox(conn, "expense.recorded", payload, aggregate_id=expense_id,
                  created_at=stamp)
    return view


def record_expense(uow: UnitOfWork, actor: Actor, *, category: str, payee: str, amount: int,
                   paid_from: str, note: str | None = None, receipt_photo: str | None = None,
                   due_date: str | date | None = None, spent_on: str | date | None = None
                   ) -> ExpenseView:
    """Record an expense paid from this till's drawer, the bank, or owed (with a due date):
    see the module's docstring. Supervisor or owner (who approves their own cash out beyond
    the drawer). ``spent_on`` defaults to the store's today and may not be later."""
    conn = uow.conn
    actor = authorize(uow, actor, "supervisor", "recording an expense")
    data = check_expense(conn, category=category, payee=payee, amount=amount,
                         paid_from=paid_from, note=note, receipt_photo=receipt_photo,
                         due_date=due_date, spent_on=spent_on)
    stamp = now_iso()
    shift_id = move_id = None
    if paid_from == "drawer":
        reason = f"{data.category.name}: {data.payee}"[:200]
        taken = take_from_drawer(uow, read_settings(conn)["terminal_id"], actor, data.amount,
                                 reason, data.category.account_code, stamp=stamp)
        shift_id, move_id = taken.shift_id, taken.movement_id
    view = write_expense(conn, actor.id, data, paid_from, shift_id=shift_id,
                         cash_movement_id=move_id, stamp=stamp)
    if move_id is not None:
        # The drawer's own event, as a cash out at the till writes it.
        append_outbox(conn, "cash.cash_out", {
            "id": move_id, "shift_id": shift_id, "amount": data.amount,
            "reason": f"{data.category.name}: {data.payee}"[:200],
            "account": data.category.account_code, "created_at": stamp,
            "category": data.category.code, "expense_id": view.id,
            "journal_entry_id": view.journal_entry_id}, aggregate_id=move_id,
            created_at=stamp)
    uow.commit()
    return view


# --- reading ---------------------------------------------------------------------------

def list_expenses(conn: Connection, *, since: str | date | None = None,
                  until: str | date | None = None, category: str | None = None,
                  limit: int = 500) -> tuple[ExpenseView, ...]:
    """Expenses spent on the store days ``since``..``until`` (both included), newest first;
    ``category`` one category's (by code, inactive ones too)."""
    q = (select(Expense.id, Expense.category_code, ExpenseCategory.name,
                ExpenseCategory.account_code, Expense.payee, Expense.amount, Expense.note,
                Expense.receipt_photo, Expense.paid_from, Expense.shift_id,
                Expense.payable_id, Payable.due_date, Expense.entry_id, Expense.spent_on,
                Expense.user_id, Expense.created_at)
         .join(ExpenseCategory, ExpenseCategory.code == Expense.category_code)
         .outerjoin(Payable, Payable.id == Expense.payable_id))
    if since is not None:
        q = q.where(Expense.spent_on >= parse_day(since, field="since").isoformat())
    if until is not None:
        q = q.where(Expense.spent_on <= parse_day(until, field="until").isoformat())
    if category is not None:
        q = q.where(Expense.category_code == category.strip().lower())
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100_000:
        raise BadInput("limit is a whole number from 1 to 100000", field="limit")
    q = q.order_by(Expense.spent_on.desc(), Expense.created_at.desc(), Expense.id.desc())
    return tuple(ExpenseView(
        str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), int(r[5]),
        None if r[6] is None else str(r[6]), None if r[7] is None else str(r[7]), str(r[8]),
        None if r[9] is None else str(r[9]), None if r[10] is None else str(r[10]),
        None if r[11] is None else str(r[11]), str(r[12]), str(r[13]), str(r[14]),
        str(r[15])) for r in conn.execute(q.limit(limit)))


__all__ = ["CATEGORY_ACCOUNT_PREFIX", "PAID_FROM", "CategoryView", "ExpenseInput",
           "ExpenseView", "add_category", "category_code", "check_expense",
           "expense_categories", "find_category", "list_expenses", "record_expense",
           "write_expense"]

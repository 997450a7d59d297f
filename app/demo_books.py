"""The demo shop's books beyond the till: a warung's expenses, its supplier credit and a
closed month (issue 14), written after the days of trading (app.demo_history).

The plan (pure, seeded: :func:`plan_books`, :func:`drawer_spending`) says what is spent
when, in the store's days (Asia/Jakarta):

- **listrik** (PLN pascabayar): the bill comes on the 3rd-6th of the month, owed, due the
  20th, paid in whole from the bank a few days before;
- **air** (PDAM Tirtawening): the bill on the 5th-8th, due the 20th, paid from the bank -
  now and then late (after the due date);
- **gaji**: twice a month (the 1st and the 16th) by transfer, for Sari and Budi;
- **transport**: a weekly top-up of the online-ojek wallet for fetching goods, from the bank;
- **perbaikan** now and then (the fridge, a lamp, the roof), owed to the repairman with two
  weeks to pay: some paid in whole, some in part, some not yet (overdue once the two weeks
  are past);
- **supplier credit**: a PKP distributor (PT Sinar Niaga Distribusi) brings cartons of
  drinks and instant noodles every week on 14 days' credit with its faktur number (and the
  input tax, for a PKP shop); the goods the history's suppliers left on account
  (``receive_goods(paid_from="payable")``) are paid by transfer on their terms, one of
  them (the gas and galon agent) in part;
- **es batu** and **plastik** from the drawer several times a week during the open shift
  (:func:`drawer_spending`, a plan the day's trading takes up: a shift closed in the past
  cannot be spent from afterwards);
- **the closed month**: the last full month before today is closed (soft: its closing
  entry moves income and expenses to retained earnings; not hard-locked, so the owner can
  reopen it) on the first morning of the month after.

:func:`add_demo_books` writes the plan through the real use cases
(``services.expenses.record_expense``, ``services.payables.pay_payable``,
``services.stock.receive_goods``, ``services.books.periods.close_period``), each inside
``local_db.ids.seeding_clock`` at the moment it pretends to happen, in time order, so
every row has its balanced journal entry, audit record and outbox event and nothing is
posted into the month after it is closed. Run it after everything else that writes into
the past (it closes a month).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Connection, func, select

from app import demo_plan as plan
from app.demo import DEMO_USERS
from app.demo_plan import DEMO_TIMEZONE
from app.shop import Shop
from local_db.ids import now_iso, seeding_clock
from local_db.models import Payable, PayablePayment, Sale
from services import accounts as acc
from services.bank import balance as bank_balance
from services.bank import move_money
from services.books.periods import close_period
from services.expenses import record_expense
from services.formatting import zone
from services.payables import list_payables, pay_payable
from services.stock import ReceivedLine, receive_goods
from services.users import Actor, authenticate

#: Who is paid, and how much per half month (rupiah): a warung helper's wage in Bandung.
WAGES = (("Sari (kasir)", 900_000), ("Budi (pengawas)", 1_000_000))

#: The repairman's jobs: (what, lowest, highest), rupiah.
REPAIRS = (("servis kulkas minuman (isi freon)", 250_000, 450_000),
           ("ganti lampu & stop kontak", 85_000, 160_000),
           ("tambal atap bocor", 150_000, 350_000),
           ("perbaiki etalase kaca", 120_000, 275_000),
           ("servis freezer es krim", 200_000, 400_000))

REPAIRMAN = "Bengkel Pak Dudung"
PLN = "PLN (listrik pascabayar)"
PDAM = "PDAM Tirtawening (air)"
OJEK = "Saldo ojek online (antar belanja)"

#: The PKP distributor that sells on credit with a faktur pajak.
DISTRIBUTOR = "PT Sinar Niaga Distribusi"
DISTRIBUTOR_CATEGORIES = frozenset({"Minuman", "Mi Instan"})
DISTRIBUTOR_WEEKDAY = 2  # Wednesday
DISTRIBUTOR_TERMS = 14  # days
DISTRIBUTOR_MIN_DAILY = 4_000  # milli-units sold a day

#: PPN on goods bought: 12 % on the 11/12 base (= 11 % of the price before tax).
INPUT_TAX_PERCENT = 11

#: Terms (days) the history's suppliers on account give, and how the shop pays them:
#: "whole" on the due date, "part" half of it then and the rest a week later.
SUPPLIER_TERMS: dict[str, tuple[int, str]] = {
    "CV Sumber Rejeki (grosir sembako)": (14, "whole"),
    "UD Segar Jaya (minuman & makanan ringan)": (7, "whole"),
    "Pangkalan gas & galon Bu Yanti": (10, "part"),
}

#: From the drawer during the shift: (category, reason, lowest, highest, times a week).
DRAWER_SPENDS = (("es_batu", "es batu balok untuk cooler", 10_000, 20_000, 4.0),
                 ("plastik", "kantong plastik kresek", 15_000, 35_000, 2.0))


#: The category of each small cash out the day's trading already makes (demo_plan.EXPENSES),
#: for ``move_cash(..., category=...)``.
CASH_OUT_CATEGORIES = {
    "bayar iuran sampah": "lain_lain",
    "beli kantong plastik": "plastik",
    "bensin motor antar galon": "transport",
    "beli lakban & nota": "lain_lain",
    "ongkos angkot ke pasar": "transport",
    "bayar tukang parkir": "transport",
}


@dataclass(frozen=True, slots=True)
class PlannedPayment:
    at: datetime
    amount: int | None  # None: whatever is still open
    paid_from: str = "bank"


@dataclass(frozen=True, slots=True)
class PlannedExpense:
    at: datetime
    category: str
    payee: str
    amount: int
    paid_from: str  # bank | owed (drawer ones: drawer_spending)
    note: str
    spent_on: date
    due_date: date | None = None
    payments: tuple[PlannedPayment, ...] = ()


@dataclass(frozen=True, slots=True)
class PlannedDelivery:
    at: datetime
    supplier: str
    faktur_no: str
    lines: tuple[tuple[str, int, int], ...]  # sku, qty_milli, unit cost before tax
    due_date: date
    payments: tuple[PlannedPayment, ...] = ()

    @property
    def total(self) -> int:
        return sum(qty * cost // 1000 for _sku, qty, cost in self.lines)


@dataclass(frozen=True, slots=True)
class DrawerSpend:
    at: datetime
    category: str
    reason: str
    amount: int


@dataclass(frozen=True, slots=True)
class BooksPlan:
    expenses: tuple[PlannedExpense, ...]
    deliveries: tuple[PlannedDelivery, ...]
    closed_month: str | None  # YYYY-MM
    close_at: datetime | None


@dataclass(frozen=True)
class DemoBooks:
    """What :func:`add_demo_books` wrote."""

    expenses: int
    expenses_total: int
    expenses_by_category: dict[str, int]
    owed_expenses: int
    deliveries_on_credit: int
    input_tax: int
    payables: int  # every payable the books hold now (the history's too)
    payables_open: int
    payables_overdue: int
    payables_part_paid: int
    payments: int
    payments_total: int
    closed_month: str | None
    transfers: int = 0  # takings banked: the safe's (weekly) and the card takings (daily)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


# --- the plan (pure) ---------------------------------------------------------------------

#: What stays in the safe when the owner banks the week's takings.
SAFE_RESERVE = 2_000_000
#: The owner's own money in the shop's bank account on the history's first morning.
OPENING_BANK = 5_000_000
#: The owner's own cash in the safe before the till first opens: the first float and the
#: first morning's change come from it, so the safe never goes below zero.
OPENING_SAFE = 1_000_000


def open_the_safe(shop: Shop, amount: int = OPENING_SAFE) -> int:
    """The owner's opening cash in the safe, through the real use cases: capital paid into
    the shop's bank (``services.bank.move_money`` ``capital``), drawn at once into the safe
    (``withdraw``), so the books say where the cash came from (owner's capital) and no cash
    account is ever negative. Run at the shop's set-up, before the first shift opens (the
    caller's ``seeding_clock`` dates it). Returns the safe's balance after it."""
    owner = _actors(shop)["owner"]
    with shop.uow() as uow:
        move_money(uow, owner, "capital", amount, note="modal awal pemilik")
    with shop.uow() as uow:
        move_money(uow, owner, "withdraw", amount, note="modal awal ke kas besar")
    with shop.uow(write=False) as uow:
        return bank_balance(uow.conn, acc.CASH_SAFE)


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random(":".join(map(str, (seed, "books", *key))))


def _months(first_day: date, last_day: date) -> list[date]:
    out: list[date] = []
    m = first_day.replace(day=1)
    while m <= last_day:
        out.append(m)
        m = (m + timedelta(days=32)).replace(day=1)
    return out


def closed_month_of(first_day: date, last_day: date) -> str | None:
    """The last full month before ``last_day``'s month, when the history reaches into it."""
    prev_end = last_day.replace(day=1) - timedelta(days=1)
    if first_day > prev_end:
        return None
    return f"{prev_end:%Y-%m}"


def _round(amount: float, step: int) -> int:
    return max(step, int(round(amount / step)) * step)


def _on(day: date, tz: tzinfo, rng: random.Random, lo: int = 9, hi: int = 17) -> datetime:
    return plan.at(day, tz, rng.randrange(lo, hi), rng.randrange(60), rng.randrange(60))


def plan_books(seed: int, first_day: date, last_day: date, now: datetime, tz: tzinfo,
               products: Sequence[plan.PlannedProduct] | None = None) -> BooksPlan:
    """What is spent and bought on credit from ``first_day`` to ``now`` (``last_day`` is
    today in the store's zone), and which month is closed when. Pure: the same arguments
    give the same plan. Nothing is planned at or after ``now``; payments planned for later
    are left out (those payables stay open)."""
    expenses: list[PlannedExpense] = []

    def keep(p: PlannedExpense) -> None:
        if p.due_date is not None and p.spent_on >= p.due_date:
            return  # a bill due before the history began: paid before it too
        if first_day <= p.spent_on and p.at < now:
            pays = tuple(PlannedPayment(max(x.at, p.at + timedelta(hours=2)), x.amount,
                                        x.paid_from) for x in p.payments)
            pays = tuple(x for x in pays if x.at < now)
            expenses.append(PlannedExpense(p.at, p.category, p.payee, p.amount, p.paid_from,
                                           p.note, p.spent_on, p.due_date, pays))

    for month in _months(first_day, last_day):
        r = _rng(seed, "month", f"{month:%Y-%m}")
        # listrik: billed on the 3rd-6th, due the 20th, paid in whole before it.
        # (a bill that came before the history began is entered on its first day)
        bill = max(month.replace(day=r.randint(3, 6)), first_day)
        due = month.replace(day=20)
        kwh = r.randint(330, 520)
        amount = _round(kwh * 1_444.70, 100)  # tarif R-1/1.300 VA per kWh
        paid = plan.at(month.replace(day=r.randint(15, 19)), tz, r.randrange(9, 12),
                       r.randrange(60))
        keep(PlannedExpense(_on(bill, tz, r), "listrik", PLN, amount, "owed",
                            f"tagihan listrik {month:%m/%Y} ({kwh} kWh)", bill, due,
                            (PlannedPayment(paid, amount),)))
        # air: billed on the 5th-8th, due the 20th; one month in three paid late.
        bill = max(month.replace(day=r.randint(5, 8)), first_day)
        m3 = r.randint(14, 26)
        amount = _round(m3 * 5_300 + 12_500, 100)
        late = r.random() < 0.35
        pay_day = due + timedelta(days=r.randint(3, 9)) if late else \
            month.replace(day=r.randint(16, 20))
        keep(PlannedExpense(_on(bill, tz, r), "air", PDAM, amount, "owed",
                            f"tagihan air {month:%m/%Y} ({m3} m3)", bill, due,
                            (PlannedPayment(_on(pay_day, tz, r), amount),)))
        # gaji: the 1st and the 16th, by transfer.
        for payday in (month, month.replace(day=16)):
            for who, pay in WAGES:
                at = plan.at(payday, tz, 21, r.randrange(5, 40))
                keep(PlannedExpense(at, "gaji", who, pay, "bank",
                                    f"gaji {who.split()[0]} {payday:%d/%m}", payday))
    # transport: every Monday, the ojek wallet topped up for fetching goods.
    day = first_day + timedelta(days=(0 - first_day.weekday()) % 7)
    while day <= last_day:
        r = _rng(seed, "transport", day.isoformat())
        keep(PlannedExpense(plan.at(day, tz, 7, r.randrange(60)), "transport", OJEK,
                            r.choice((50_000, 75_000, 100_000)), "bank",
                            "isi saldo ojek untuk antar belanja", day))
        day += timedelta(days=7)
    # perbaikan: every 9-20 days, owed to the repairman, two weeks to pay.
    r = _rng(seed, "repairs")
    day = first_day + timedelta(days=r.randint(2, 8))
    fates = ("whole", "part", "whole", "none")
    n = 0
    while day <= last_day:
        what, lo, hi = r.choice(REPAIRS)
        amount = _round(r.uniform(lo, hi), 5_000)
        due = day + timedelta(days=14)
        fate = fates[n % len(fates)]
        pays: tuple[PlannedPayment, ...] = ()
        if fate == "whole":
            pays = (PlannedPayment(_on(day + timedelta(days=r.randint(5, 13)), tz, r), amount),)
        elif fate == "part":
            part = _round(amount * r.uniform(0.4, 0.6), 5_000)
            pays = (PlannedPayment(_on(day + timedelta(days=r.randint(3, 10)), tz, r), part),)
        keep(PlannedExpense(_on(day, tz, r, 10, 18), "perbaikan", REPAIRMAN, amount, "owed",
                            what, day, due, pays))
        n += 1
        day += timedelta(days=r.randint(9, 20))
    expenses.sort(key=lambda e: e.at)

    deliveries = _plan_deliveries(seed, first_day, last_day, now, tz,
                                  products if products is not None else plan.catalogue(seed))
    closed = closed_month_of(first_day, last_day)
    close_at: datetime | None = None
    if closed is not None:
        # The owner closes it on the first morning of the month after (seeded just after
        # midnight: a minute ago, never before the month has ended).
        month_start = plan.at(last_day.replace(day=1), tz, 0)
        close_at = max(month_start, min(plan.at(last_day.replace(day=1), tz, 7, 30),
                                        now - timedelta(minutes=1)))
    return BooksPlan(tuple(expenses), deliveries, closed, close_at)


def _plan_deliveries(seed: int, first_day: date, last_day: date, now: datetime, tz: tzinfo,
                     products: Sequence[plan.PlannedProduct]) -> tuple[PlannedDelivery, ...]:
    """The distributor's weekly cartons on 14 days' credit: most paid in whole on the due
    date, every third one in part; the ones not yet due stay open."""
    # Only the fast sellers (more than DISTRIBUTOR_MIN_DAILY a day): a carton is a few
    # days of them, and the products the history lets run low (1-4 a day) are never among
    # them.
    chosen = sorted((p for p in products if p.category in DISTRIBUTOR_CATEGORIES and p.tracks
                     and p.unit == "pcs" and p.daily_milli > DISTRIBUTOR_MIN_DAILY),
                    key=lambda p: -p.weight)[:8]
    if not chosen:
        return ()
    out: list[PlannedDelivery] = []
    day = first_day + timedelta(days=(DISTRIBUTOR_WEEKDAY - first_day.weekday()) % 7)
    n = 0
    while day <= last_day:
        r = _rng(seed, "distributor", day.isoformat())
        at = plan.at(day, tz, r.randrange(8, 11), r.randrange(60))
        if at >= now:
            break
        picked = sorted(r.sample(chosen, min(3, len(chosen))), key=lambda p: p.sku)
        lines = tuple((p.sku, r.choice((12, 24)) * 1000,
                       max(100, round(p.cost * r.uniform(0.95, 0.99) / 50) * 50))
                      for p in picked)
        serial = r.randrange(10**7, 10**8)
        faktur = f"04002{day:%y}{serial:010d}"
        due = day + timedelta(days=DISTRIBUTOR_TERMS)
        total = sum(q * c // 1000 for _s, q, c in lines)
        pay_at = _on(due - timedelta(days=r.randint(0, 2)), tz, r)
        pays = ((PlannedPayment(pay_at, _round(total * 0.5, 10_000)),) if n % 3 == 2
                else (PlannedPayment(pay_at, None),))
        out.append(PlannedDelivery(at, DISTRIBUTOR, faktur, lines, due,
                                   tuple(p for p in pays if p.at < now)))
        n += 1
        day += timedelta(days=7)
    return tuple(out)


def drawer_spending(seed: int, day: date, tz: tzinfo) -> tuple[DrawerSpend, ...]:
    """Es batu and plastik bought with cash from the drawer on ``day`` (several times a
    week, during the open shift: between 07:00 and 20:59 store time). Pure and seeded;
    the day's trading (app.demo_history) takes it up with
    ``move_cash(..., "cash_out", amount, reason, category=spend.category)``."""
    r = _rng(seed, "drawer", day.isoformat())
    out: list[DrawerSpend] = []
    for category, reason, lo, hi, per_week in DRAWER_SPENDS:
        if r.random() < per_week / 7:
            amount = _round(r.uniform(lo, hi), 1_000)
            out.append(DrawerSpend(plan.at(day, tz, r.randrange(7, 21), r.randrange(60)),
                                   category, reason, amount))
    return tuple(sorted(out, key=lambda s: s.at))


def input_tax_of(total: int) -> int:
    """PPN masukan on goods bought for ``total`` before tax (12 % of 11/12 = 11 %)."""
    return total * INPUT_TAX_PERCENT // 100


# --- writing it (the real use cases) ------------------------------------------------------

def add_demo_books(shop: Shop, *, seed: int, now: datetime) -> DemoBooks:
    """Write :func:`plan_books` for the demo history that ends at ``now`` into ``shop``
    (already traded by app.demo_history): expenses, the distributor's goods on credit,
    payments of payables (these and the history's suppliers' on account), then the close
    of the last full month. Everything goes through the real use cases in time order, each
    at its moment (``seeding_clock``)."""
    tz = zone(DEMO_TIMEZONE)
    last_day = now.astimezone(tz).date()
    with shop.uow(write=False) as uow:
        first = uow.conn.execute(select(func.min(Sale.created_at))).scalar()
    first_day = (datetime.fromisoformat(str(first)).astimezone(tz).date() if first
                 else last_day)
    books = plan_books(seed, first_day, last_day, now, tz)
    actors = _actors(shop)
    pkp = shop.config.pkp
    # (moment, order, what, data): time order; at one moment the close comes last.
    events: list[tuple[datetime, int, str, Any]] = []
    for i, e in enumerate(books.expenses):
        events.append((e.at, 1, "expense", i))
        for j, p in enumerate(e.payments):
            events.append((max(p.at, e.at + timedelta(minutes=1)), 2, "pay_expense", (i, j)))
    for i, d in enumerate(books.deliveries):
        events.append((d.at, 1, "delivery", i))
        for j, p in enumerate(d.payments):
            events.append((max(p.at, d.at + timedelta(minutes=1)), 2, "pay_delivery", (i, j)))
    for pid, at, amount in _history_payables(shop, seed, now, tz):
        events.append((at, 2, "pay_history", (pid, amount)))
    # The owner banks the takings: the safe (less a reserve) every Monday, the card (EDC)
    # takings every weekday, so the bank pays the suppliers and salaries from real money.
    # The shop's bank account opens with the owner's own money on the first morning.
    opened = datetime.combine(first_day, time(7, 0), tz).astimezone(UTC)
    events.append((opened, 0, "capital", OPENING_BANK))
    day = first_day + timedelta(days=1)
    while day < last_day:
        at = datetime.combine(day, time(9, 30), tz).astimezone(UTC)
        if at < now and day.weekday() < 5:
            events.append((at, 0, "settle_edc", None))
        if at < now and day.weekday() == 0:
            events.append((at + timedelta(minutes=15), 0, "deposit", None))
        day += timedelta(days=1)
    if books.closed_month is not None and books.close_at is not None:
        events.append((books.close_at, 9, "close", books.closed_month))
    events.sort(key=lambda ev: (ev[0], ev[1]))

    expense_payables: dict[int, str] = {}
    delivery_payables: dict[int, str] = {}
    by_category: dict[str, int] = {}
    counts = {"expenses": 0, "owed": 0, "deliveries": 0, "payments": 0, "transfers": 0}
    totals = {"expenses": 0, "payments": 0, "input_tax": 0}
    closed: str | None = None
    for at, _order, what, data in events:
        needed = _from_bank(books, what, data)
        if needed:
            # Paid from the bank: the owner first banks enough of the safe, if it is short.
            with seeding_clock(at), shop.uow() as uow:
                counts["transfers"] += _cover(uow, actors["owner"], needed)
        with seeding_clock(at), shop.uow() as uow:
            if what == "capital":
                move_money(uow, actors["owner"], "capital", data)
                counts["transfers"] += 1
            elif what == "expense":
                e = books.expenses[data]
                view = record_expense(
                    uow, actors["owner" if e.category == "gaji" else "supervisor"],
                    category=e.category, payee=e.payee, amount=e.amount,
                    paid_from=e.paid_from, note=e.note, due_date=e.due_date,
                    spent_on=e.spent_on)
                if view.payable_id is not None:
                    expense_payables[data] = view.payable_id
                counts["expenses"] += 1
                counts["owed"] += e.paid_from == "owed"
                totals["expenses"] += e.amount
                by_category[e.category] = by_category.get(e.category, 0) + e.amount
            elif what == "pay_expense":
                i, j = data
                p = books.expenses[i].payments[j]
                if p.amount is not None and i in expense_payables:
                    pay_payable(uow, actors["supervisor"], expense_payables[i],
                                amount=p.amount, paid_from=p.paid_from)
                    counts["payments"] += 1
                    totals["payments"] += p.amount
            elif what == "delivery":
                d = books.deliveries[data]
                tax = input_tax_of(d.total) if pkp else 0
                receipt_id = receive_goods(
                    uow, actors["supervisor"], supplier=d.supplier,
                    lines=[ReceivedLine(sku, qty, cost) for sku, qty, cost in d.lines],
                    paid_from="payable", document_no=d.faktur_no, due_date=d.due_date,
                    faktur_no=d.faktur_no, input_tax=tax)
                payable = _payable_of(uow.conn, receipt_id)
                if payable is not None:
                    delivery_payables[data] = payable
                counts["deliveries"] += 1
                totals["input_tax"] += tax
            elif what == "pay_delivery":
                i, j = data
                p = books.deliveries[i].payments[j]
                if i in delivery_payables:
                    amount = p.amount or _open_amount(uow.conn, delivery_payables[i])
                    if amount > 0:
                        pay_payable(uow, actors["supervisor"], delivery_payables[i],
                                    amount=amount, paid_from=p.paid_from)
                        counts["payments"] += 1
                        totals["payments"] += amount
            elif what == "pay_history":
                pid, amount = data
                amount = min(amount, _open_amount(uow.conn, pid))
                if amount > 0:
                    pay_payable(uow, actors["supervisor"], pid, amount=amount,
                                paid_from="bank")
                    counts["payments"] += 1
                    totals["payments"] += amount
            elif what in ("deposit", "settle_edc"):
                source = acc.CASH_SAFE if what == "deposit" else acc.EDC_CLEARING
                held = bank_balance(uow.conn, source, as_of=now_iso())
                amount = (held - SAFE_RESERVE) // 100_000 * 100_000 if what == "deposit" \
                    else held
                if amount > 0:
                    move_money(uow, actors["owner"],
                               "deposit" if what == "deposit" else "edc_settlement", amount)
                    counts["transfers"] += 1
            elif what == "close":
                close_period(uow, actors["owner"], data)
                closed = data
    with shop.uow(write=False) as uow:
        views = list_payables(uow.conn, open_only=False, as_of=last_day)
    return DemoBooks(
        expenses=counts["expenses"], expenses_total=totals["expenses"],
        expenses_by_category=dict(sorted(by_category.items())),
        owed_expenses=counts["owed"], deliveries_on_credit=counts["deliveries"],
        input_tax=totals["input_tax"], payables=len(views),
        payables_open=sum(1 for v in views if v.open_amount > 0),
        payables_overdue=sum(1 for v in views if v.open_amount > 0 and v.overdue_days > 0),
        payables_part_paid=sum(1 for v in views if 0 < v.paid < v.amount),
        payments=counts["payments"], payments_total=totals["payments"], closed_month=closed,
        transfers=counts["transfers"])


def _from_bank(books: BooksPlan, what: str, data: Any) -> int:
    """What an event pays from the bank (0: nothing, or not known before it runs)."""
    if what == "expense":
        e = books.expenses[data]
        return e.amount if e.paid_from == "bank" else 0
    if what in ("pay_expense", "pay_delivery"):
        i, j = data
        p = (books.expenses if what == "pay_expense" else books.deliveries)[i].payments[j]
        return (p.amount or 0) if p.paid_from == "bank" else 0
    if what == "pay_history":
        return int(data[1])
    return 0


def _cover(uow: Any, owner: Actor, needed: int) -> int:
    """Bank enough of the safe (whole Rp 100.000s) for a payment of ``needed``; 1 when a
    deposit was made. What the safe does not hold stays unpaid by it."""
    short = needed - bank_balance(uow.conn, acc.BANK, as_of=now_iso())
    held = bank_balance(uow.conn, acc.CASH_SAFE, as_of=now_iso())
    amount = min(-(-short // 100_000) * 100_000, held // 100_000 * 100_000)
    if short <= 0 or amount <= 0:
        return 0
    move_money(uow, owner, "deposit", amount)
    return 1


def _actors(shop: Shop) -> dict[str, Actor]:
    out: dict[str, Actor] = {}
    for name, role, pin in DEMO_USERS[:2]:
        with shop.uow() as uow:
            out[role] = authenticate(uow, name, pin)
            uow.commit()
    return out


def _payable_of(conn: Connection, receipt_id: str) -> str | None:
    pid = conn.execute(select(Payable.id).where(Payable.source == "goods",
                                                Payable.source_id == receipt_id)).scalar()
    return None if pid is None else str(pid)


def _open_amount(conn: Connection, payable_id: str) -> int:
    amount = conn.execute(select(Payable.amount).where(Payable.id == payable_id)).scalar()
    paid = conn.execute(select(func.coalesce(func.sum(PayablePayment.amount), 0))
                        .where(PayablePayment.payable_id == payable_id)).scalar()
    return int(amount or 0) - int(paid or 0)


def _history_payables(shop: Shop, seed: int, now: datetime,
                      tz: tzinfo) -> list[tuple[str, datetime, int]]:
    """Payments of the goods the history's suppliers left on account (SUPPLIER_TERMS) by
    transfer: on the due date in whole, or (``part``) half then and the rest a week later;
    what falls after ``now`` is not paid yet."""
    with shop.uow(write=False) as uow:
        rows = uow.conn.execute(
            select(Payable.id, Payable.supplier, Payable.amount, Payable.created_at,
                   Payable.due_date)
            .where(Payable.source == "goods", Payable.supplier.in_(list(SUPPLIER_TERMS)))
            .order_by(Payable.created_at)).all()
    out: list[tuple[str, datetime, int]] = []
    for pid, supplier, amount, created, due_text in rows:
        terms, how = SUPPLIER_TERMS[str(supplier)]
        received = datetime.fromisoformat(str(created)).astimezone(tz).date()
        due = date.fromisoformat(str(due_text)) if due_text else received + timedelta(terms)
        r = _rng(seed, "supplier", str(supplier), received.isoformat())
        at = plan.at(due, tz, r.randrange(9, 12), r.randrange(60))
        whole = int(amount)
        pays = [(at, whole)]
        if how == "part":
            half = min(whole, _round(whole / 2, 1_000))
            pays = [(at, half), (at + timedelta(days=7), whole - half)]
        out += [(str(pid), when, x) for when, x in pays if when < now and x > 0]
    return out

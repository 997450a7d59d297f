"""About 90 days of believable trading for the demo shop, deterministically from a seed.

:func:`seed_history` seeds an empty data folder with the demo shop (``app.demo.seed_base``:
settings, users, catalogue, opening stock) as it stood ``days`` ago, then trades it day by
day up to now. Every row is written by the real use cases, the ones the till, the CLI and
the back office call — ``complete_sale``, ``void_line``/``void_cart``, ``refund_sale``,
``create_customer``, ``repay_kasbon``, ``receive_goods``, ``open_shift``/``move_cash``/
``close_shift``, ``begin_charge``/``record_reply``/``record_settlement`` — so receipt
numbers are gapless, every journal entry balances, the audit chain is intact and
``warungin verify`` is clean afterwards.

A day of the warung (hours in the store's time zone, Asia/Jakarta):

- the cashier (Sari; Budi on Sundays) opens a shift at 06:00 with a Rp 200.000 float and
  closes it at about 22:00 with the drawer counted note by note (now and then a few
  hundred rupiah short or over);
- 60–150 sales (busier on Saturdays and Sundays and around payday), with a morning peak
  (07–08: coffee, bread, cigarettes) and a larger evening one (17–20: instant noodles,
  rice, vegetables); cash mostly, some QRIS, a card on the bank's EDC machine for the
  bigger baskets, kasbon for the regulars who have credit;
- a QRIS payment is recorded exactly as the till records one Midtrans reported paid (the
  charge attempt, then Midtrans's ``settlement`` answer, then the sale takes it through
  ``RecordedPayments``); nothing goes to the network. Midtrans's payouts are booked on
  weekday mornings (``record_settlement``, less the 0,7 % MDR);
- now and then a mis-scanned line voided, a customer who walks away from a full cart, a
  refund with the supervisor's PIN, kasbon repaid (more around payday), cash taken out for
  small expenses or by the owner, change brought from the safe;
- deliveries from the shop's suppliers on their weekdays, ordered up to what the next
  days will sell; a few products the distributors have had none of for five weeks run low
  (the dashboard's low-stock list) — goods out of stock are simply not sold.

The last day is today: its shift stays open (the till expects one) and it holds the sales
made so far (before 08:00 the shop "opened early", so the dashboard's today is never empty).

Determinism: the same ``seed`` and the same ``now`` give the same days, the same receipts in
the same order with the same lines, payments and totals (each day draws from its own
``random.Random(seed:date)``). UUIDv7 identities differ between runs (identity, never order).

Past moments: each use case runs inside ``local_db.ids.seeding_clock(moment)``, so it stamps
the moment it pretends to happen — nothing is rewritten afterwards.

Speed (about 10 s for ~7,000 sales on two cores, 9-12 s measured): one transaction a
day — every use case ends with ``uow.commit()``, which :class:`_DayUnitOfWork` turns into a
flush, like ``bench.generate.BatchUnitOfWork`` (a failure rolls the whole day back and
stops the seeding); the writer connection runs with ``synchronous=OFF`` and a larger page
cache while seeding and goes back to its settings, with a WAL checkpoint, at the end (a
crash mid-seed loses a demo, nothing else). Most of the time is ``complete_sale`` itself
(about 0.6 ms a sale); QRIS sales, deliveries, shift closes and the refunds' PIN checks
(scrypt) are the rest.
"""

from __future__ import annotations

import math
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import select

from app.demo import (
    DEMO_FLOAT,
    DEMO_USERS,
    HISTORY_DAYS,
    HISTORY_SEED,
    DemoShop,
    seed_base,
)
import app.demo_plan as plan
from app.demo_plan import (
    CLOSE_HOUR,
    CUSTOMERS,
    DEMO_TIMEZONE,
    EVENING_BOOST,
    EXPENSES,
    FIRST_SALE,
    LINES_PER_SALE,
    MORNING_BOOST,
    OPEN_HOUR,
    PHONE_PREFIXES,
    REFUND_REASONS,
    RUN_LOW_DAYS,
    RUN_LOW_PRODUCTS,
    SUPPLIERS,
    WALK_AWAY_REASONS,
)
from app.demo_books import CASH_OUT_CATEGORIES, drawer_spending
from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import seeding_clock
from local_db.models import Barcode, Product, StockLevel
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.cart import Cart, CartItem, price_cart
from services.catalogue import WEIGHED_UNITS, lookup_item
from services.crypto import FieldCipher
from services.customers import create_customer
from services.formatting import zone
from services.kasbon import repay_kasbon
from services.money import round_cash
from services.payments import (
    RecordedPayments,
    begin_charge,
    record_reply,
    record_settlement,
    unsettled_payments,
)
from services.refunds import refund_sale
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    complete_sale,
)
from services.shifts import close_shift, move_cash, open_shift
from services.shop import ShopConfig
from services.stock import ReceivedLine, receive_goods
from services.users import Actor
from services.voids import void_cart, void_line

DEFAULT_SEED = HISTORY_SEED
DEFAULT_DAYS = HISTORY_DAYS



#: The seeding connection's page cache (the default 2 MiB thrashes on a ~50 MB demo).
SEEDING_CACHE_KIB = 65_536



Log = Callable[[str], None]


@dataclass(frozen=True)
class HistorySummary:
    days: int
    first_day: str
    last_day: str
    sales: int
    sales_today: int
    refunds: int
    voided_lines: int
    voided_carts: int
    customers: int
    deliveries: int
    seconds: float
    shipments: int = 0  # parcels sent to customers (app.demo_outward)
    messages: dict[str, Any] = field(default_factory=dict)
    books: dict[str, Any] = field(default_factory=dict)  # expenses, payables, closed month

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class DemoWithHistory:
    shop: DemoShop
    history: HistorySummary


class _DayUnitOfWork(UnitOfWork):
    """One transaction for a seeded day (app.demo_history only).

    Each use case ends with ``uow.commit()``; here that flushes and closes its ORM session
    as a commit does, but the transaction stays open until :meth:`commit_day`."""

    def __enter__(self) -> _DayUnitOfWork:
        super().__enter__()
        return self

    def commit(self) -> None:
        if self._session is not None:
            self._session.flush()
            self._session.close()
            self._session = None
        self.committed = True

    def commit_day(self) -> None:
        super().commit()






@dataclass
class _State:
    shop: Shop
    config: ShopConfig
    seed: int
    tz: tzinfo
    actors: dict[str, Actor]
    cipher: FieldCipher
    products: list[plan.PlannedProduct]
    by_sku: dict[str, plan.PlannedProduct]
    items: dict[str, CartItem]  # by SKU, as the till's scan finds them
    codes: dict[str, str]  # what the till scans: the barcode (the SKU when it has none)
    levels: dict[str, int]
    tables: dict[str, tuple[list[plan.PlannedProduct], list[float]]]
    run_low: frozenset[str]
    last_day: date
    customers: list[plan.RegularCustomer] = field(default_factory=list)
    owed: dict[str, int] = field(default_factory=dict)  # kasbon balance by customer
    last_seq_before_today: int = 0
    drawer: int = 0  # the cash in the drawer of the open shift
    todays_cash_sales: list[tuple[datetime, SaleResult]] = field(default_factory=list)
    sales: int = 0
    sales_today: int = 0
    refunds: int = 0
    voided_lines: int = 0
    voided_carts: int = 0
    deliveries: int = 0


# --- the plan of a day ---------------------------------------------------------------------









# --- products ------------------------------------------------------------------------------





def _scanned(shop: Shop) -> tuple[dict[str, CartItem], dict[str, str], dict[str, int]]:
    """Each product as the till's scan finds it, the code it is scanned by, its level."""
    with shop.uow(write=False) as uow:
        conn = uow.conn
        skus = [str(s) for s in conn.execute(select(Product.sku).where(Product.active))
                .scalars()]
        items = {sku: lookup_item(conn, sku) for sku in skus}
        codes = {sku: sku for sku in skus}
        for sku, code in conn.execute(
                select(Product.sku, Barcode.code).join(Barcode, Barcode.product_id == Product.id)
                .order_by(Product.sku.desc(), Barcode.code.desc())):
            codes[str(sku)] = str(code)  # the first barcode in order wins
        levels = {str(sku): int(q) for sku, q in conn.execute(
            select(Product.sku, StockLevel.qty_milli)
            .join(StockLevel, StockLevel.product_id == Product.id))}
    return items, codes, levels








# --- the executor ----------------------------------------------------------------------------

def _pick_cart(st: _State, rng: random.Random, hour: int) -> Cart:
    key = "morning" if hour < 10 else ("evening" if hour >= 17 else "day")
    table, cum = st.tables[key]
    cart = Cart()
    taken: set[str] = set()
    n = rng.choices(*LINES_PER_SALE)[0]
    for _ in range(n + 10):  # a customer who finds nothing asks for something else
        if len(cart.lines) == n:
            break
        p = rng.choices(table, cum_weights=cum)[0]
        qtys, cum_weights = p.qty_cum
        qty = rng.choices(qtys, cum_weights=cum_weights)[0]
        if p.sku in taken:
            continue
        if p.tracks and st.levels.get(p.sku, 0) < qty:
            if cart.lines:
                n -= 1  # out of stock on the shelf: the customer goes without
            continue
        taken.add(p.sku)
        cart = cart.add(st.items[p.sku], qty)
    return cart




def _take_stock(st: _State, cart: Cart, sign: int = -1) -> None:
    for line in cart.lines:
        p = st.by_sku[line.item.sku]
        if p.tracks:
            st.levels[p.sku] = st.levels.get(p.sku, 0) + sign * line.qty_milli


def _sell(uow: _DayUnitOfWork, st: _State, rng: random.Random, at: datetime,
          actor: Actor) -> None:
    cfg = st.config
    local_hour = at.astimezone(st.tz).hour
    cart = _pick_cart(st, rng, local_hour)
    if st.sales == 0:
        # The shop's first receipt is the same whatever the date: the README's refund
        # example (``refund DEMO-T01-000001 --line 1:1``) takes one packet back.
        cart = Cart().add(st.items[FIRST_SALE[0]], FIRST_SALE[1])
    if not cart.lines:
        return
    if len(cart.lines) >= 2 and rng.random() < 0.03:
        # A mis-scanned extra line, taken off again before paying.
        wrong = _pick_cart(st, rng, local_hour).lines
        if wrong and all(w.item.sku != x.item.sku for w in wrong[:1] for x in cart.lines):
            cart = cart.add(wrong[0].item, wrong[0].qty_milli)
            with seeding_clock(at - timedelta(seconds=20)):
                cart = void_line(uow, actor, cart, cart.lines[-1].line_no,
                                 reason="salah scan")
            st.voided_lines += 1
    total = price_cart(cart, cfg.tax_rules, pkp=cfg.pkp).total
    r = rng.random()
    evening = local_hour >= 17
    method = "cash"
    if st.customers and r < 0.05:
        who = rng.choices(st.customers, weights=[c.weight for c in st.customers])[0]
        if st.owed[who.id] + total <= who.limit:
            cart = cart.with_customer(who.id)
            method = "kasbon"
    elif r < (0.1 if evening else 0.08):
        method = "qris"
    elif total >= 50_000 and rng.random() < 0.3 or rng.random() < 0.015:
        method = "edc"
    if st.sales == 0:
        method = "cash"  # FIRST_SALE
    if method == "cash":
        pay = PaymentRequest("cash", plan.cash_tender(
            round_cash(total, cfg.rounding_unit, cfg.rounding_mode), rng))
    elif method == "qris":
        pay = PaymentRequest("qris", total, _paid_qris(uow, st, rng, at, actor, total))
    else:
        pay = PaymentRequest(method, total)
    # The request the till's checkout makes of this cart (services.checkout.sale_request),
    # each line by the code the cashier scans.
    req = SaleRequest(tuple(LineRequest(st.codes[line.item.sku], line.qty_milli)
                            for line in cart.lines), (pay,), customer_id=cart.customer_id)
    with seeding_clock(at):
        result = complete_sale(uow, cfg, actor, req,
                               payments_port=RecordedPayments(uow.conn))
    _take_stock(st, cart)
    if method == "kasbon":
        st.owed[cart.customer_id or ""] += total
    st.drawer += sum(p.amount for p in result.payments if p.method == "cash")
    st.sales += 1
    if at.astimezone(st.tz).date() == st.last_day:
        st.sales_today += 1
    if method == "cash":
        st.todays_cash_sales.append((at, result))


def _paid_qris(uow: _DayUnitOfWork, st: _State, rng: random.Random, at: datetime,
               actor: Actor, amount: int) -> str:
    """The charge attempt and Midtrans's answer that the customer paid, as the till records
    them (sync.payments.TillPayments: begin_charge, then record_reply with the status)."""
    with seeding_clock(at - timedelta(seconds=rng.randint(25, 70))):
        attempt = begin_charge(uow, actor, "qris", amount)
    paid_at = at - timedelta(seconds=rng.randint(2, 15))
    with seeding_clock(paid_at):
        record_reply(uow, attempt.order_id, {
            "transaction_status": "settlement", "fraud_status": "accept",
            "gross_amount": amount, "status_code": "200",
            "transaction_id": f"{rng.getrandbits(64):016x}-demo",
            "message": "Success, transaction is found",
        }, final="paid")
    return attempt.order_id




def _walk_away(uow: _DayUnitOfWork, st: _State, rng: random.Random, at: datetime,
               actor: Actor) -> None:
    """A customer leaves the full cart at the till: the whole cart is voided."""
    cart = _pick_cart(st, rng, at.astimezone(st.tz).hour)
    if cart.lines:
        void_cart(uow, actor, cart, reason=rng.choice(WALK_AWAY_REASONS))
        st.voided_carts += 1


def _close(uow: _DayUnitOfWork, st: _State, rng: random.Random, actor: Actor) -> None:
    """The cashier counts the drawer: what is in it, now and then a note short or a coin
    over (the Z report's difference)."""
    r = rng.random()
    diff = 0 if r < 0.85 else rng.choice((-500, -1_000, -2_000, -5_000, 500, 1_000))
    close_shift(uow, st.config, actor, plan.count(max(0, st.drawer + diff)))


def _refund(uow: _DayUnitOfWork, st: _State, rng: random.Random, at: datetime,
            actor: Actor) -> None:
    done = [s for t, s in st.todays_cash_sales
            if t < at - timedelta(minutes=10) and s.seq > 1]  # the first: see FIRST_SALE
    if not done:
        return
    sale = rng.choice(done)
    goods = [line for line in sale.lines if st.by_sku[line.sku].tracks]
    if not goods:
        return
    line = rng.choice(goods)  # goods brought back (a service is not returned)
    qty = line.qty_milli if line.unit in WEIGHED_UNITS else 1_000
    name, _role, pin = DEMO_USERS[1]
    result = refund_sale(uow, st.config, actor, sale.receipt_no, [(line.line_no, qty)],
                         reason=rng.choice(REFUND_REASONS), approval=Approval(name, pin))
    p = st.by_sku[line.sku]
    if p.tracks and result.lines:
        st.levels[p.sku] = st.levels.get(p.sku, 0) + qty
    st.drawer -= result.cash_paid
    st.todays_cash_sales = [(t, s) for t, s in st.todays_cash_sales
                            if s.receipt_no != sale.receipt_no]
    st.refunds += 1


def _deliver(uow: _DayUnitOfWork, st: _State, rng: random.Random, day: date,
             supplier: tuple[str, frozenset[str], tuple[int, ...], str]) -> None:
    name, categories, weekdays, paid_from = supplier
    gap = min((d - day.weekday()) % 7 or 7 for d in weekdays)
    last_days = (st.last_day - day).days < RUN_LOW_DAYS
    lines: list[ReceivedLine] = []
    for p in st.products:
        if p.category not in categories or not p.tracks:
            continue
        if last_days and p.sku in st.run_low:
            continue  # the distributor has none
        level = st.levels.get(p.sku, 0)
        reorder = p.daily_milli * (gap + 1.5) + p.low_milli
        if level >= reorder:
            continue
        # Enough for about four weeks (a slow seller) or two delivery rounds (a fast one).
        target = p.daily_milli * max(2 * gap + 3, 28) + 2 * p.low_milli
        want = max(target - level, 1_000)
        per_day = p.daily_milli / 1000
        pack = 1 if p.unit in WEIGHED_UNITS else (12 if per_day >= 3 else 6 if per_day >= 1
                                                  else 3)
        qty = math.ceil(want / 1000 / pack) * pack * 1000
        cost = max(50, round(p.cost * rng.uniform(0.97, 1.04) / 50) * 50)
        lines.append(ReceivedLine(p.sku, qty, cost))
    if not lines:
        return
    doc = f"{name.split()[0].upper()}-{day:%y%m%d}-{rng.randrange(100, 999)}"
    receive_goods(uow, st.actors["supervisor"], supplier=name, lines=lines,
                  paid_from=paid_from, document_no=doc)
    for line in lines:
        st.levels[line.code] = st.levels.get(line.code, 0) + line.qty_milli
    st.deliveries += 1


def _add_customers(uow: _DayUnitOfWork, st: _State, rng: random.Random,
                   which: range) -> None:
    for i in which:
        name, limit, weight, address = CUSTOMERS[i]
        phone = f"{PHONE_PREFIXES[i]}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}"
        view = create_customer(uow, st.cipher, st.actors["supervisor"], name=name,
                               phone=phone, address=address, credit_limit=limit,
                               consent_marketing=rng.random() < 0.5)
        st.customers.append(plan.RegularCustomer(view.id, name, limit, weight))
        st.owed[view.id] = 0


def _repay(uow: _DayUnitOfWork, st: _State, rng: random.Random, who: plan.RegularCustomer,
           actor: Actor) -> None:
    owed = st.owed[who.id]
    if owed < 1_000:
        return
    method = "cash" if rng.random() < 0.85 else "transfer"
    # Cash comes in round thousands (what is left under Rp 1.000 waits for next time);
    # a transfer pays the balance to the rupiah.
    if rng.random() < 0.5:
        amount = owed if method == "transfer" else owed // 1_000 * 1_000
    else:
        amount = max(1_000, owed // 2 // 1_000 * 1_000)
    repay_kasbon(uow, st.config, actor, who.id, amount, method)
    st.owed[who.id] -= amount
    if method == "cash":
        st.drawer += amount


def _settle(uow: _DayUnitOfWork, st: _State) -> None:
    """Midtrans's payout of the QRIS payments of the days before, as the bank shows it."""
    ids = [pid for pid, receipt, _m, _a in unsettled_payments(uow.conn)
           if int(receipt.rsplit("-", 1)[1]) <= st.last_seq_before_today]
    if ids:
        record_settlement(uow, st.actors["owner"], ids)


def _trade_day(st: _State, day: date, now: datetime, *, first: bool) -> str | None:
    """One day of the warung, committed as one transaction. Returns the shift's id when
    it is left open (today)."""
    rng = random.Random(f"{st.seed}:{day.isoformat()}")
    tz = st.tz
    today = day == st.last_day
    cashier = st.actors["supervisor" if day.weekday() == 6 else "cashier"]
    n = plan.sales_count(day, rng)
    times = plan.sale_times(day, tz, n, rng)
    open_at = plan.at(day, tz, OPEN_HOUR)
    if today:
        local_now = now.astimezone(tz)
        times = [t for t in times if t < now]
        if local_now.hour < OPEN_HOUR + 2:
            # Early: the shop opened early today, so today is never empty.
            start = max(plan.at(day, tz, 0, 1), now - timedelta(hours=2))
            open_at = start
            span = max(1.0, (now - start).total_seconds() - 60)
            times = sorted(start + timedelta(seconds=30 + int(span * rng.random()))
                           for _ in range(12))
    # (moment, order, what, data): the order keeps same-moment events in a fixed sequence.
    events: list[tuple[datetime, int, str, Any]] = [(open_at, 0, "open", None)]
    events += [(t, 5, "sale", None) for t in times]
    if first:
        events.append((plan.at(day, tz, 8, 15), 1, "customers", range(0, 6)))
    elif (day - st.last_day).days in (-60, -30):
        k = 6 if (day - st.last_day).days == -60 else 7
        events.append((plan.at(day, tz, 10, 5), 1, "customers", range(k, k + 1)))
    if day.weekday() in (0, 2, 4) and not first:
        events.append((plan.at(day, tz, 9, rng.randrange(60)), 2, "settle", None))
    for s in SUPPLIERS:
        if day.weekday() in s[2]:
            events.append((plan.at(day, tz, rng.randrange(8, 11), rng.randrange(60)), 3,
                           "deliver", s))
    if rng.random() < 0.12:
        events.append((plan.at(day, tz, 6, 10 + rng.randrange(20)), 4, "cash_in", None))
    if rng.random() < 0.45:
        events.append((plan.at(day, tz, rng.randrange(8, 16), rng.randrange(60)), 4,
                       "expense", rng.choice(EXPENSES)))
    if rng.random() < 0.2:
        events.append((plan.at(day, tz, rng.randrange(16, 21), rng.randrange(60)), 4,
                       "drawing", None))
    # Es batu and plastik bought from the drawer (app.demo_books plans them; own seed, so
    # the day's other draws are unchanged).
    events += [(spend.at, 4, "drawer_spend", spend)
               for spend in drawer_spending(st.seed, day, tz)]
    if rng.random() < 0.4:
        events.append((plan.at(day, tz, rng.randrange(7, 21), rng.randrange(60)), 5,
                       "walk_away", None))
    if rng.random() < 0.065:
        events.append((plan.at(day, tz, rng.randrange(9, 21), rng.randrange(60)), 6,
                       "refund", None))
    payday = day.day >= 25 or day.day <= 3
    for c in st.customers:
        if rng.random() < (0.3 if payday else 0.05):
            events.append((plan.at(day, tz, rng.randrange(7, 21), rng.randrange(60)), 6,
                           "repay", c))
    if not today:
        events.append((plan.at(day, tz, CLOSE_HOUR, rng.randrange(5, 30)), 9, "close", None))
    events.sort(key=lambda e: (e[0], e[1]))
    if today:
        events = [e for e in events if e[0] <= now]

    st.todays_cash_sales = []
    shift_id: str | None = None
    with _DayUnitOfWork(st.shop.db) as uow:
        for at, _order, what, data in events:
            if what == "sale":
                _sell(uow, st, rng, at, cashier)
                continue
            with seeding_clock(at):
                if what == "open":
                    shift_id = open_shift(uow, st.config, cashier, DEMO_FLOAT)
                    st.drawer = DEMO_FLOAT
                elif what == "close":
                    _close(uow, st, rng, cashier)
                    shift_id = None
                elif what == "customers":
                    _add_customers(uow, st, rng, data)
                elif what == "settle":
                    _settle(uow, st)
                elif what == "deliver":
                    _deliver(uow, st, rng, day, data)
                elif what == "cash_in":
                    move_cash(uow, st.config, cashier, "cash_in", 100_000,
                              "uang kembalian dari brankas", account=acc.CASH_SAFE)
                    st.drawer += 100_000
                elif what == "expense":
                    reason, lo, hi = data
                    amount = rng.randrange(lo, hi + 1, 1_000)
                    if amount <= st.drawer:  # never beyond the drawer (that needs a PIN)
                        move_cash(uow, st.config, cashier, "cash_out", amount, reason,
                                  category=CASH_OUT_CATEGORIES[reason])
                        st.drawer -= amount
                elif what == "drawer_spend":
                    if shift_id is not None and data.amount <= st.drawer:
                        move_cash(uow, st.config, cashier, "cash_out", data.amount,
                                  data.reason, category=data.category)
                        st.drawer -= data.amount
                elif what == "drawing":
                    amount = rng.choice((50_000, 100_000, 150_000, 200_000))
                    if amount <= st.drawer:
                        move_cash(uow, st.config, cashier, "cash_out", amount,
                                  "diambil Bu Wati untuk belanja rumah")
                        st.drawer -= amount
                elif what == "walk_away":
                    _walk_away(uow, st, rng, at, cashier)
                elif what == "refund":
                    _refund(uow, st, rng, at, cashier)
                elif what == "repay":
                    _repay(uow, st, rng, data, cashier)
        seq = uow.conn.exec_driver_sql(
            "SELECT COALESCE(MAX(seq), 0) FROM sale").scalar()
        uow.commit_day()
    st.last_seq_before_today = int(seq or 0)
    return shift_id


@contextmanager
def _fast_writes(shop: Shop) -> Iterator[None]:
    """``synchronous=OFF`` and a larger page cache on the writer's connection while seeding
    (a crash loses the demo being made, nothing else), then its own settings back and the
    WAL folded into the file."""
    def raw(sql: str) -> Any:
        with shop.db.writer.connect() as c:
            dbapi = c.connection.driver_connection
            assert isinstance(dbapi, sqlite3.Connection)
            return dbapi.execute(sql).fetchone()

    synchronous = raw("PRAGMA synchronous")[0]
    cache = raw("PRAGMA cache_size")[0]
    raw("PRAGMA synchronous=OFF")
    raw(f"PRAGMA cache_size=-{SEEDING_CACHE_KIB}")
    try:
        yield
    finally:
        raw(f"PRAGMA synchronous={int(synchronous)}")
        raw(f"PRAGMA cache_size={int(cache)}")
        raw("PRAGMA wal_checkpoint(TRUNCATE)")


def seed_history(shop: Shop, *, days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED,
                 now: datetime | None = None, log: Log | None = None) -> DemoWithHistory:
    """The demo shop with ``days`` days of trading ending today (see the module's doc).

    ``shop`` must hold no shop yet. ``now`` (aware; default: the real time) is the end of
    the history: the same ``seed`` and ``now`` give the same receipts and totals."""
    if days < 1:
        raise ValueError("days must be at least 1")
    began = time.perf_counter()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    tz = zone(DEMO_TIMEZONE)
    last_day = now.astimezone(tz).date()
    first_day = last_day - timedelta(days=days - 1)
    products = plan.catalogue(seed)
    with _fast_writes(shop):
        # The shop is set up before its first morning (before now, for a one-day history
        # seeded just after midnight).
        with seeding_clock(min(plan.at(first_day, tz, 5), now - timedelta(hours=2, minutes=30))):
            base = seed_base(shop, opening=plan.opening_stock(products))
            from app.demo_books import open_the_safe
            open_the_safe(shop)  # the owner's opening cash: the first float comes from it
        cipher = cipher_for(shop)
        items, codes, levels = _scanned(shop)
        pick = random.Random(f"{seed}:run-low")
        candidates = [p.sku for p in products if p.tracks and p.unit not in WEIGHED_UNITS
                      and 1_000 <= p.daily_milli <= 4_000]
        run_low = frozenset(pick.sample(candidates, min(RUN_LOW_PRODUCTS, len(candidates))))
        st = _State(shop, shop.config, seed, tz, base.actors, cipher, products,
                    {p.sku: p for p in products}, items, codes, levels,
                    {"morning": plan.table(products, MORNING_BOOST),
                     "day": plan.table(products, {"Minuman": 1.5}),
                     "evening": plan.table(products, EVENING_BOOST)},
                    run_low, last_day)
        shift_id: str | None = None
        for i in range(days):
            day = first_day + timedelta(days=i)
            shift_id = _trade_day(st, day, now, first=i == 0)
            if log and (i + 1) % 30 == 0:
                log(f"  {i + 1}/{days} days, {st.sales:,} sales")
    assert shift_id is not None, "today's shift is left open"
    from app.demo_books import add_demo_books
    from app.demo_outward import add_demo_outward
    outward = add_demo_outward(shop, seed=seed, now=now)
    from app.demo_alerts import add_demo_alerts
    add_demo_alerts(shop, seed=seed, now=now)  # after the messages: the owner's channel
    from app.demo_loyalty import add_demo_loyalty
    loyalty = add_demo_loyalty(shop, seed=seed, now=now)  # members earn on the history
    st.sales += loyalty.sales  # a few of today's members paid part with points
    st.sales_today += loyalty.sales_today
    from app.demo_campaigns import add_demo_campaigns
    add_demo_campaigns(shop, seed=seed, now=now)  # segments, a finished campaign
    # Last: it closes a month, after which nothing may be written into the past.
    books = add_demo_books(shop, seed=seed, now=now)
    summary = HistorySummary(days, first_day.isoformat(), last_day.isoformat(), st.sales,
                             st.sales_today, st.refunds, st.voided_lines, st.voided_carts,
                             len(st.customers), st.deliveries,
                             round(time.perf_counter() - began, 2), outward.shipments,
                             outward.messages, books.as_dict())
    return DemoWithHistory(DemoShop(DEMO_USERS, base.products, shift_id), summary)


__all__ = ["DEFAULT_DAYS", "DEFAULT_SEED", "DemoWithHistory", "HistorySummary",
           "seed_history"]

"""The owner's books on central (issue 14): two tills of one tenant post sales, refunds,
cash in and out, expenses (drawer, bank, owed), payable payments, a kasbon repayment and a
Midtrans settlement (which no outbox event carries) on their own SQLite files and push to
a real central. Every journal entry of each till is at central with the same lines; the
tenant's ledger (per account) is the sum of the two tills'; expenses and payables arrive
as rows; a second tenant never shows, as its owner or as a terminal. Periods closed at
central come down to the tills, which then refuse non-sale postings, and what a till
booked into the period without knowing (offline) is kept and listed as a late posting."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import keyring
import pytest
from sqlalchemy import text

from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.reports_central import owner_connection, tenant_connection
from app.secrets import cipher_for, secret_store_for
from app.shop import Shop, open_shop
from local_db.ids import uuid7
from local_db.store import post_journal, write_settings
from services import accounts as acc
from services.customers import create_customer
from services.errors import ShopError
from services.expenses import record_expense
from services.kasbon import repay_kasbon
from services.payables import pay_payable
from services.payments import SETTLEMENT_KIND
from services.refunds import refund_sale
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.shifts import move_cash
from services.users import Actor
from sync.central.periods import (
    close_period,
    late_postings,
    month_bounds,
    periods,
    set_period_state,
)
from sync.pull import pull_once
from sync.push import CentralLink, PushReport, push_once
from tests.central.conftest import CentralDB, Tenant, make_tenant, make_terminal
from tests.conftest import MemoryKeyring, login
from tests.sync.push.test_push import fresh_event_ids

WIB = ZoneInfo("Asia/Jakarta")
BUDI = Approval("Budi", "5678")


@dataclass
class Till:
    shop: Shop
    terminal_id: str
    role: str
    password: str
    cashier: Actor
    supervisor: Actor
    owner: Actor


@dataclass
class World:
    db: CentralDB
    a: Tenant
    b: Tenant
    a1: Till
    a2: Till
    b1: Till
    template: Path
    folder: Path
    pushes: dict[str, PushReport]


# --- tills -----------------------------------------------------------------------------------

def fresh_journal_ids(shop: Shop) -> None:
    """Tills copied from one template share its journal entry ids; a real second till has
    its own. Give this throw-away copy fresh ones (its lines and the outbox payloads that
    name them follow; the immutability triggers are dropped on this copy only)."""
    with shop.uow() as uow:
        c = uow.conn
        for trig in ("journal_entry_no_update", "journal_line_no_update",
                     "outbox_content_frozen"):
            c.execute(text(f"DROP TRIGGER IF EXISTS {trig}"))
        new = {str(old): uuid7() for (old,) in c.execute(text("SELECT id FROM journal_entry"))}
        for old, fresh in new.items():
            c.execute(text("UPDATE journal_line SET entry_id = :n WHERE entry_id = :o"),
                      {"n": fresh, "o": old})
            c.execute(text("UPDATE journal_entry SET id = :n WHERE id = :o"),
                      {"n": fresh, "o": old})
        for seq, payload in list(c.execute(text("SELECT seq, payload FROM outbox"))):
            changed = str(payload)
            for old, fresh in new.items():
                changed = changed.replace(old, fresh)
            if changed != payload:
                c.execute(text("UPDATE outbox SET payload = :p WHERE seq = :s"),
                          {"p": changed, "s": seq})
        uow.commit()


def make_till(db: CentralDB, tenant: Tenant, template: Path, folder: Path, code: str) -> Till:
    shutil.copytree(template, folder)
    conn = sqlite3.connect(folder / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shop = open_shop(folder)
    with shop.uow() as uow:
        write_settings(uow.conn, {"terminal_code": code})
        uow.commit()
    shop.reload()
    fresh_event_ids(shop)
    fresh_journal_ids(shop)
    term = make_terminal(db, tenant, code)
    enroll(shop, term.code)
    return Till(shop, term.terminal_id, term.role, central_credentials(shop).password,
                login(shop, "Sari", "1234"), login(shop, "Budi", "5678"),
                login(shop, "Wati", "9999"))


def link_of(till: Till) -> CentralLink:
    creds = central_credentials(till.shop)
    install_id = secret_store_for(till.shop).get(INSTALL_ID_SECRET)
    assert install_id
    return CentralLink(creds.dsn, creds.password, install_id)


def push(till: Till) -> PushReport:
    report = push_once(till.shop.db, link_of(till))
    assert report.quarantined == 0, report.quarantine_reasons
    return report


def sell(till: Till, lines: list[tuple[str, int]], pays: list[tuple[str, int]],
         customer_id: str | None = None) -> str:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays), customer_id=customer_id)
    with till.shop.uow() as uow:
        return complete_sale(uow, till.shop.config, till.cashier, req).receipt_no


def settle_by_hand(till: Till, amount: int, fee: int) -> str:
    """A Midtrans payout booked as services.payments.record_settlement books it: a journal
    entry and no outbox event (only the push's journal sweep can carry it)."""
    with till.shop.uow() as uow:
        entry = post_journal(uow.conn, kind=SETTLEMENT_KIND, ref_id=uuid7(), memo="payout",
                             lines=[(acc.BANK, amount - fee, 0), (acc.PAYMENT_FEES, fee, 0),
                                    (acc.MIDTRANS_CLEARING, 0, amount)])
        uow.commit()
    return entry


def book_day(till: Till, *, big: bool) -> None:
    """A day of the owner's books on one till."""
    shop, cfg = till.shop, till.shop.config
    sell(till, [("MI-0001", 3000), ("TMB-0176", 750)], [("cash", 100_000)])
    receipt = sell(till, [("MI-0002", 2000), ("MI-0003", 1000)], [("edc", 4_000),
                                                                    ("cash", 10_000)])
    with shop.uow() as uow:
        refund_sale(uow, cfg, till.cashier, receipt, [(1, 1000)], "rusak", BUDI)
    with shop.uow() as uow:
        move_cash(uow, cfg, till.supervisor, "cash_out", 5_000, "ambil pemilik")
    with shop.uow() as uow:
        move_cash(uow, cfg, till.supervisor, "cash_in", 20_000, "modal tambahan")
    with shop.uow() as uow:
        record_expense(uow, till.supervisor, category="es_batu", payee="Pak Es",
                       amount=8_000, paid_from="drawer")
    with shop.uow() as uow:
        record_expense(uow, till.supervisor, category="listrik", payee="PLN",
                       amount=150_000, paid_from="bank")
    with shop.uow() as uow:
        owed = record_expense(uow, till.supervisor, category="sewa", payee="Pak Haji",
                              amount=500_000 if big else 300_000, paid_from="owed",
                              due_date="2030-01-31")
    assert owed.payable_id is not None
    with shop.uow() as uow:
        pay_payable(uow, till.supervisor, owed.payable_id, amount=120_000, paid_from="bank")
    if big:
        cipher = cipher_for(shop)
        with shop.uow() as uow:
            ani = create_customer(uow, cipher, till.supervisor, name="Bu Ani",
                                  credit_limit=100_000).id
        sell(till, [("MI-0004", 5000)], [("kasbon", 17_000)], customer_id=ani)
        with shop.uow() as uow:
            repay_kasbon(uow, cfg, till.cashier, ani, 7_000)
        settle_by_hand(till, 4_000, 28)


@pytest.fixture(scope="module")
def world(central_db: CentralDB, demo_template: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # never the machine's own keyring
    folder = tmp_path_factory.mktemp("books-central")
    tills: list[Till] = []
    try:
        a, b = make_tenant(central_db, "Toko Buku A"), make_tenant(central_db, "Toko Buku B")
        a1 = make_till(central_db, a, demo_template, folder / "a1", "T01")
        a2 = make_till(central_db, a, demo_template, folder / "a2", "T02")
        b1 = make_till(central_db, b, demo_template, folder / "b1", "T01")
        tills += [a1, a2, b1]
        book_day(a1, big=True)
        book_day(a2, big=False)
        book_day(b1, big=True)
        pushes = {"a1": push(a1), "a2": push(a2), "b1": push(b1)}
        yield World(central_db, a, b, a1, a2, b1, demo_template, folder, pushes)
    finally:
        for till in tills:
            till.shop.close()
        keyring.set_keyring(previous)


# --- the ledgers compared ---------------------------------------------------------------------

Lines = dict[str, list[tuple[str, int, int]]]


def local_journal(till: Till) -> tuple[dict[str, str], Lines]:
    """The till's entries (id -> kind) and lines (id -> sorted (account, debit, credit))."""
    with till.shop.uow(write=False) as uow:
        kinds = {str(i): str(k) for i, k in uow.conn.execute(
            text("SELECT id, kind FROM journal_entry"))}
        lines: Lines = {}
        for eid, a, d, c in uow.conn.execute(text(
                "SELECT entry_id, account_code, debit, credit FROM journal_line ORDER BY id")):
            lines.setdefault(str(eid), []).append((str(a), int(d), int(c)))
    return kinds, {k: sorted(v) for k, v in lines.items()}


def central_journal(conn: Any, terminal_id: str | None = None
                    ) -> tuple[dict[str, str], Lines]:
    """The same, read at central through a SQLAlchemy connection (RLS applies)."""
    where = "" if terminal_id is None else "AND e.terminal_id = CAST(:t AS uuid)"
    kinds = {str(i): str(k) for i, k in conn.execute(text(
        "SELECT e.id::text, e.kind FROM central.journal_entry e "
        f"WHERE true {where}"), {"t": terminal_id})}
    lines: Lines = {}
    for eid, a, d, c in conn.execute(text(
            "SELECT l.entry_id::text, l.account_code, l.debit, l.credit "
            "FROM central.journal_line l JOIN central.journal_entry e "
            "ON e.tenant_id = l.tenant_id AND e.id = l.entry_id "
            f"WHERE true {where} ORDER BY l.entry_id, l.line_no"), {"t": terminal_id}):
        lines.setdefault(str(eid), []).append((str(a), int(d), int(c)))
    return kinds, {k: sorted(v) for k, v in lines.items()}


def balances(*ledgers: Lines) -> dict[str, int]:
    """Debit minus credit per account over the given ledgers, zero accounts left out."""
    out: Counter[str] = Counter()
    for ledger in ledgers:
        for rows in ledger.values():
            for a, d, c in rows:
                out[a] += d - c
    return {a: v for a, v in out.items() if v}


def as_owner(w: World, tenant: Tenant) -> Any:
    return owner_connection(w.db.admin_dsn, role=tenant.owner_role)


def as_terminal(w: World, till: Till) -> Any:
    dsn = central_credentials(till.shop).dsn
    return tenant_connection(dsn, till.password)


# --- tests -------------------------------------------------------------------------------------

def test_the_day_touched_every_kind_of_money_event(world: World) -> None:
    kinds, _ = local_journal(world.a1)
    assert {"sale", "refund", "cash.out", "cash.in", "expense", "payable.payment",
            "kasbon.repayment", SETTLEMENT_KIND} <= set(kinds.values())
    assert world.pushes["a1"].journal_swept >= 1  # the settlement, carried by no event


@pytest.mark.parametrize("name", ["a1", "a2", "b1"])
def test_every_journal_entry_of_a_till_is_at_central_with_its_lines(world: World,
                                                                     name: str) -> None:
    till: Till = getattr(world, name)
    tenant = world.b if name == "b1" else world.a
    mine_kinds, mine_lines = local_journal(till)
    with as_owner(world, tenant) as conn:
        kinds, lines = central_journal(conn, till.terminal_id)
    assert kinds == mine_kinds
    assert lines == mine_lines


def test_tenant_ledger_is_the_sum_of_its_tills(world: World) -> None:
    _, l1 = local_journal(world.a1)
    _, l2 = local_journal(world.a2)
    expected = balances(l1, l2)
    with as_owner(world, world.a) as conn:
        _, central = central_journal(conn)
    assert balances(central) == expected
    assert sum(expected.values()) == 0 and expected  # balanced, and not empty
    # The till's own role reads its tenant's whole ledger too: the same figures.
    with as_terminal(world, world.a2) as conn:
        _, seen = central_journal(conn)
    assert balances(seen) == expected


def test_a_second_tenant_never_shows(world: World) -> None:
    _, b_lines = local_journal(world.b1)
    _, a1 = local_journal(world.a1)
    _, a2 = local_journal(world.a2)
    a_ids = set(a1) | set(a2)
    for opener in (as_owner(world, world.b), as_terminal(world, world.b1)):
        with opener as conn:
            kinds, lines = central_journal(conn)
            expenses = {str(r[0]) for r in conn.execute(text(
                "SELECT id::text FROM central.expense"))}
            payables = conn.execute(text("SELECT count(*) FROM central.payable")).scalar()
        assert set(kinds) == set(b_lines) and not set(kinds) & a_ids
        assert balances(lines) == balances(b_lines)
        with world.b1.shop.uow(write=False) as uow:
            assert expenses == {str(i) for (i,) in uow.conn.execute(
                text("SELECT id FROM expense"))}
            assert payables == uow.conn.execute(text("SELECT count(*) FROM payable")).scalar()
    for opener in (as_owner(world, world.a), as_terminal(world, world.a1)):
        with opener as conn:
            kinds, _ = central_journal(conn)
        assert not set(kinds) & set(b_lines)


def _local_rows(till: Till, sql: str) -> set[tuple[Any, ...]]:
    with till.shop.uow(write=False) as uow:
        return {tuple(r) for r in uow.conn.execute(text(sql))}


def test_expenses_payables_and_payments_arrive_as_rows(world: World) -> None:
    want_exp = set()
    want_pay = set()
    want_paid = set()
    for till in (world.a1, world.a2):
        want_exp |= {(str(i), c, int(a), p, str(e)) for i, c, a, p, e in _local_rows(
            till, "SELECT id, category_code, amount, paid_from, entry_id FROM expense")}
        want_pay |= {(str(i), s, int(a), d) for i, s, a, d in _local_rows(
            till, "SELECT id, supplier, amount, due_date FROM payable")}
        want_paid |= {(str(i), str(p), int(a), f) for i, p, a, f in _local_rows(
            till, "SELECT id, payable_id, amount, paid_from FROM payable_payment")}
    with as_owner(world, world.a) as conn:
        exp = {(str(i), c, int(a), p, str(e)) for i, c, a, p, e in conn.execute(text(
            "SELECT id, category_code, amount, paid_from, entry_id FROM central.expense"))}
        pay = {(str(i), s, int(a), d) for i, s, a, d in conn.execute(text(
            "SELECT id, supplier, amount, due_date FROM central.payable"))}
        paid = {(str(i), str(p), int(a), f) for i, p, a, f in conn.execute(text(
            "SELECT id, payable_id, amount, paid_from FROM central.payable_payment"))}
        cats = dict(conn.execute(text(
            "SELECT code, account_code FROM central.expense_category")).all())
        open_total = conn.execute(text(
            "SELECT sum(d.amount) - coalesce((SELECT sum(amount) FROM "
            "central.payable_payment), 0) FROM central.payable d")).scalar()
    assert exp == want_exp and len(exp) >= 6
    assert pay == want_pay and paid == want_paid and paid
    assert cats["es_batu"] == "6-1106" and cats["listrik"] == "6-1101"
    # Open payables at central = what the tills have open, and = the credit balance of
    # the payables accounts in their books (2-1100 goods, 2-1900 other).
    want_open = sum(a for _, _, a, _ in want_pay) - sum(a for _, _, a, _ in want_paid)
    _, l1 = local_journal(world.a1)
    _, l2 = local_journal(world.a2)
    ledger = balances(l1, l2)
    assert open_total == want_open == -(ledger.get("2-1100", 0) + ledger.get("2-1900", 0))


def test_pushing_again_changes_nothing(world: World) -> None:
    with as_owner(world, world.a) as conn:
        before = central_journal(conn)
    for till in (world.a1, world.a2):
        again = push_once(till.shop.db, link_of(till))
        assert again.sent == 0 and again.journal_swept == 0
    with as_owner(world, world.a) as conn:
        assert central_journal(conn) == before


# --- periods closed at central ----------------------------------------------------------------

def _last_month() -> tuple[str, str]:
    """Last month in the store's zone, and an instant in the middle of it (UTC stamp)."""
    first = datetime.now(WIB).replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    mid = (first - timedelta(days=16)).astimezone(UTC)
    return mid.astimezone(WIB).strftime("%Y-%m"), mid.isoformat(timespec="microseconds")


def sell_at(till: Till, stamp: str, monkeypatch: pytest.MonkeyPatch,
            lines: list[tuple[str, int]], pays: list[tuple[str, int]]) -> str:
    """A sale the till books with its clock at ``stamp`` (a till that was offline then)."""
    import services.selling
    with monkeypatch.context() as m:
        m.setattr(services.selling, "now_iso", lambda: stamp)
        return sell(till, lines, pays)


def cash_in_at(till: Till, stamp: str, monkeypatch: pytest.MonkeyPatch, amount: int) -> None:
    """Cash put into the drawer (a real money event) with the till's clock at ``stamp``."""
    import services.shifts
    with monkeypatch.context() as m, till.shop.uow() as uow:
        m.setattr(services.shifts, "now_iso", lambda: stamp)
        move_cash(uow, till.shop.config, till.supervisor, "cash_in", amount, "modal")


def post_at(till: Till, stamp: str, kind: str, amount: int) -> str:
    """A non-sale posting dated ``stamp`` (cash in from the owner)."""
    with till.shop.uow() as uow:
        entry = post_journal(uow.conn, kind=kind, ref_id=uuid7(), memo="modal",
                             lines=[(acc.CASH_DRAWER, amount, 0),
                                    (acc.OWNER_CAPITAL, 0, amount)], created_at=stamp)
        uow.commit()
    return entry


def pull_period(till: Till, month: str, state: str) -> None:
    """Pull until the month's state has come down. The pull reads only below central's
    horizon (the oldest running transaction of the whole PostgreSQL cluster), so a busy
    cluster may hold a fresh change back for a moment."""
    for _ in range(100):
        pull_once(till.shop.db, link_of(till), cipher=cipher_for(till.shop))
        with till.shop.uow(write=False) as uow:
            got = uow.conn.execute(text("SELECT state FROM accounting_period "
                                        "WHERE period = :p"), {"p": month}).scalar()
        if got == state:
            return
        time.sleep(0.1)
    raise AssertionError(f"{month} never came down as {state}")


def revenue_left(till: Till, month: str) -> int:
    """Σ(credit - debit) of revenue accounts dated in the month, closing entry included."""
    lo, hi = month_bounds(month, "Asia/Jakarta")
    with till.shop.uow(write=False) as uow:
        return int(uow.conn.execute(text(
            "SELECT coalesce(sum(l.credit - l.debit), 0) FROM journal_line l "
            "JOIN journal_entry e ON e.id = l.entry_id WHERE l.account_code LIKE '4-%' "
            "AND e.created_at >= :lo AND e.created_at < :hi"),
            {"lo": lo.isoformat(timespec="microseconds"),
             "hi": hi.isoformat(timespec="microseconds")}).scalar() or 0)


def test_a_period_closed_at_central_comes_down_and_late_postings_are_listed(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    db = world.db
    c = make_tenant(db, "Toko Tutup Buku")
    c1 = make_till(db, c, world.template, world.folder / "c1", "T01")
    c2 = make_till(db, c, world.template, world.folder / "c2", "T02")
    month, then = _last_month()
    try:
        # Last month, both tills sold; central has it all before the close.
        sell_at(c1, then, monkeypatch, [("MI-0001", 1000)], [("cash", 10_000)])
        sell_at(c2, then, monkeypatch, [("MI-0002", 2000)], [("cash", 10_000)])
        push(c1)
        push(c2)
        with pytest.raises(ShopError):  # this month has not ended: not closable
            close_period(db.admin_dsn, c.tenant_id, datetime.now(WIB).strftime("%Y-%m"))
        closed = close_period(db.admin_dsn, c.tenant_id, month, closed_by="Wati")
        assert closed.state == "soft" and closed.closed_at is not None
        assert revenue_left(c2, month) > 0
        # c2 hears of it and closes its own books for the month; c1 is offline.
        pull_period(c2, month, "soft")
        with c2.shop.uow(write=False) as uow:
            row = uow.conn.execute(text(
                "SELECT p.state, p.starts_at < p.ends_at, e.kind FROM accounting_period p "
                "JOIN journal_entry e ON e.id = p.closing_entry_id WHERE p.period = :p"),
                {"p": month}).one()
        assert tuple(row) == ("soft", 1, "period.close")
        assert revenue_left(c2, month) == 0  # moved to retained earnings
        # c2's database now refuses a non-sale posting into the month, and takes a sale.
        with pytest.raises(Exception, match="period closed"):
            post_at(c2, then, "cash.in", 1_000)
        sell_at(c2, then, monkeypatch, [("MI-0003", 1000)], [("cash", 10_000)])
        # c1 never heard: it books a non-sale posting and a sale into the closed month.
        cash_in_at(c1, then, monkeypatch, 2_000)
        sell_at(c1, then, monkeypatch, [("MI-0004", 1000)], [("cash", 10_000)])
        # Central never refuses them: booked, and listed as late postings.
        push(c1)
        push(c2)
        with as_owner(world, c) as conn:
            late = late_postings(conn, period=month)
            listed = periods(conn)
            _, lines = central_journal(conn)
        kinds = Counter((p.terminal_id, p.kind) for p in late)
        assert kinds == {(c1.terminal_id, "cash.in"): 1, (c1.terminal_id, "sale"): 1,
                         (c2.terminal_id, "sale"): 1}
        assert all(p.received_at > p.closed_at and p.period == month for p in late)
        assert [p.period for p in listed] == [month]
        _, m1 = local_journal(c1)
        _, m2 = local_journal(c2)
        assert balances(lines) == balances(m1, m2)  # late or not, in the books
        # Another tenant sees neither this tenant's periods nor its late postings.
        with as_owner(world, world.a) as conn:
            assert periods(conn) == () and late_postings(conn) == ()
        # Reopened at central: c1 hears of it and may post again; nothing is late then.
        reopened = set_period_state(db.admin_dsn, c.tenant_id, month, "open")
        assert reopened.state == "open" and reopened.closed_at is None
        pull_period(c1, month, "open")
        cash_in_at(c1, then, monkeypatch, 1_000)
        push(c1)
        with as_owner(world, c) as conn:
            assert late_postings(conn) == ()
    finally:
        c1.shop.close()
        c2.shop.close()


def test_period_close_refuses_bad_requests(world: World) -> None:
    for period in ("2026-13", "26-01", "", "2026-1"):
        with pytest.raises(ShopError):
            close_period(world.db.admin_dsn, world.a.tenant_id, period)
    with pytest.raises(ShopError):
        set_period_state(world.db.admin_dsn, world.a.tenant_id, "2026-01", "closed")
    with pytest.raises(ShopError):
        close_period(world.db.admin_dsn, "not-a-uuid", "2026-01")


def test_event_payloads_name_their_entries(world: World) -> None:
    """Every money event of the day names its journal entry or is found by its aggregate:
    none of the entries central holds came without its event except the swept kinds."""
    with world.a1.shop.uow(write=False) as uow:
        payloads = [json.loads(p) for (p,) in uow.conn.execute(text(
            "SELECT payload FROM outbox WHERE type IN ('expense.recorded', 'payable.paid', "
            "'kasbon.repaid', 'payable.created')"))]
    assert payloads and all(p.get("journal_entry_id") for p in payloads)


# --- the statements: the same functions on central ---------------------------------------------

def _today_period() -> Any:
    from services.reports.values import Period
    today = datetime.now(WIB).date()
    return Period(today - timedelta(days=1), today + timedelta(days=1))


def _statements(conn: Any, source: Any) -> dict[str, Any]:
    from services.books.statements import balance_sheet, profit_and_loss, trial_balance
    period = _today_period()
    pnl = profit_and_loss(conn, period, source=source)
    tb = trial_balance(conn, period, source=source)
    bs = balance_sheet(conn, period.start + timedelta(days=1), source=source)
    return {
        "pnl": Counter({k: getattr(pnl, k) for k in (
            "gross_sales", "discounts", "refunds", "net_sales", "ppn_included", "revenue",
            "cost_of_goods", "gross_profit", "total_expenses", "net_income")}),
        "expenses": Counter({a.code: a.amount for a in pnl.expenses}),
        "tb": Counter({f"{r.code}:{k}": getattr(r, k) for r in tb.rows
                       for k in ("opening", "debit", "credit", "closing")}),
        "tb_total": Counter({"debit": tb.debit, "credit": tb.credit}),
        "bs": Counter({k: getattr(bs, k) for k in (
            "total_assets", "payables", "ppn_payable", "other_payables", "total_liabilities",
            "current_earnings", "total_equity")}),
        "assets": Counter({a.code: a.amount for a in bs.assets}),
    }


def _till_statements(till: Till) -> dict[str, Any]:
    from services.reports.source import local_source
    with till.shop.uow(write=False) as uow:
        return _statements(uow.conn, local_source(uow.conn))


def _add(*parts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        for key, counts in part.items():
            total = out.setdefault(key, Counter())
            total.update(counts)
    return {k: Counter({n: v for n, v in c.items() if v}) for k, c in out.items()}


def _nonzero(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: Counter({n: v for n, v in c.items() if v}) for k, c in figures.items()}


def test_tenant_statements_are_the_sum_of_its_tills(world: World) -> None:
    from app.reports_central import central_report_source
    want = _add(_till_statements(world.a1), _till_statements(world.a2))
    assert want["pnl"]["net_income"] and want["expenses"] and want["bs"]["payables"] \
        + want["bs"]["other_payables"]
    source = central_report_source(timezone="Asia/Jakarta")
    with as_owner(world, world.a) as conn:
        assert _nonzero(_statements(conn, source)) == want
    with as_terminal(world, world.a2) as conn:  # the till's own role reads its tenant
        assert _nonzero(_statements(conn, source)) == want
    # Tenant B's statements are b1's alone, whoever of B asks.
    only_b = _nonzero(_till_statements(world.b1))
    for opener in (as_owner(world, world.b), as_terminal(world, world.b1)):
        with opener as conn:
            assert _nonzero(_statements(conn, source)) == only_b


def test_one_terminal_at_central_is_that_tills_statements(world: World) -> None:
    from app.reports_central import central_report_source
    one = central_report_source(timezone="Asia/Jakarta", terminal_id=world.a2.terminal_id)
    with as_owner(world, world.a) as conn:
        assert _nonzero(_statements(conn, one)) == _nonzero(_till_statements(world.a2))


# --- a central older than the till's software ----------------------------------------------------

def _downgrade(dsn: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from sync.central import admin
    with admin.admin_transaction(dsn) as conn:
        roles = admin.roles_of(conn)
        cfg = Config()
        cfg.set_main_option("script_location", str(admin.MIGRATIONS_DIR))
        cfg.attributes["connection"] = conn
        conn.exec_driver_sql(f'SET LOCAL ROLE "{roles.owner}"')
        command.downgrade(cfg, revision)
        conn.exec_driver_sql("RESET ROLE")


def test_a_central_without_the_books_tables_keeps_the_events_until_upgraded(
        demo_template: Path, tmp_path: Path) -> None:
    from sync.central import admin, schema
    from sync.push_rows import TOO_NEW
    from tests.central.conftest import fresh_central

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with fresh_central() as db:
            tenant = make_tenant(db, "Toko Lama")
            t1 = make_till(db, tenant, demo_template, tmp_path / "t1", "T01")
            try:
                _downgrade(db.admin_dsn, "c0005")
                with t1.shop.uow() as uow:
                    owed = record_expense(uow, t1.supervisor, category="sewa", payee="Pak Haji",
                                          amount=300_000, paid_from="owed",
                                          due_date="2030-01-31")
                assert owed.payable_id is not None
                with t1.shop.uow() as uow:
                    pay_payable(uow, t1.supervisor, owed.payable_id, amount=100_000,
                                paid_from="bank")
                first = push_once(t1.shop.db, link_of(t1))
                assert first.quarantined == 3  # payable.created, expense.recorded, paid
                assert all(r["reason"].startswith(f"{TOO_NEW}: central has no ")
                           for r in first.quarantine_reasons)
                with db.connect() as c:  # kept at central, unapplied
                    kept = c.execute("SELECT count(*) FROM central.event WHERE tenant_id = %s "
                                     "AND type IN ('expense.recorded', 'payable.created', "
                                     "'payable.paid')", (tenant.tenant_id,)).fetchone()
                    entries = c.execute("SELECT count(*) FROM central.journal_entry WHERE "
                                        "id = ANY(%s::uuid[])",
                                        ([owed.journal_entry_id],)).fetchone()
                assert kept == (3,) and entries == (0,)
                again = push_once(t1.shop.db, link_of(t1))
                assert (again.sent, again.quarantined, again.reapplied) == (0, 0, 0)
                assert admin.init(db.admin_dsn).revision == schema.HEAD_REVISION
                final = push_once(t1.shop.db, link_of(t1))
                assert (final.sent, final.quarantined, final.reapplied) == (3, 0, 3)
                _, mine = local_journal(t1)
                with as_owner_of(db, tenant) as conn:
                    _, there = central_journal(conn, t1.terminal_id)
                    rows = conn.execute(text(
                        "SELECT (SELECT count(*) FROM central.expense), "
                        "(SELECT sum(amount) FROM central.payable), "
                        "(SELECT sum(amount) FROM central.payable_payment)")).one()
                assert there == mine
                assert tuple(rows) == (1, 300_000, 100_000)
            finally:
                t1.shop.close()
    finally:
        keyring.set_keyring(previous)


def as_owner_of(db: CentralDB, tenant: Tenant) -> Any:
    return owner_connection(db.admin_dsn, role=tenant.owner_role)

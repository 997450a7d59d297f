"""The same report code on the central PostgreSQL: two terminals of one tenant sell on their
own SQLite files and push to a real central; the owner's report on central equals the sum
of the two tills' own reports, one terminal's report equals central filtered to it, and a
second tenant's sales never show (row-level security)."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import keyring
import psycopg
import pytest
from psycopg import sql
from sqlalchemy import literal, select

from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.reports_central import central_report_source, owner_connection, run_central_report
from app.secrets import cipher_for, secret_store_for
from app.shop import Shop, open_shop
from local_db.store import write_settings
from services import reports as R
from services.customers import create_customer
from services.errors import BadInput, Refused
from services.kasbon import repay_kasbon
from services.refunds import refund_sale
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from sync.push import CentralLink, push_once
from tests.central.conftest import CentralDB, Tenant, make_tenant, make_terminal
from tests.conftest import MemoryKeyring, login
from tests.sync.push.test_push import fresh_event_ids

WIB = ZoneInfo("Asia/Jakarta")
BUDI = Approval("Budi", "5678")


@dataclass
class Till:
    shop: Shop
    terminal_id: str  # central's id of this terminal
    cashier: Actor
    supervisor: Actor


@dataclass
class World:
    db: CentralDB
    a: Tenant
    b: Tenant
    a1: Till
    a2: Till
    b1: Till
    template: Shop  # an untouched copy of the demo every till started from
    period: R.Period


def _copy(template: Path, folder: Path) -> Shop:
    shutil.copytree(template, folder)
    conn = sqlite3.connect(folder / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return open_shop(folder)


def _sell(till: Till, lines: list[tuple[str, int]], pays: list[tuple[str, int]],
          customer_id: str | None = None) -> str:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays), customer_id=customer_id)
    with till.shop.uow() as uow:
        return complete_sale(uow, till.shop.config, till.cashier, req).receipt_no


def _customer(till: Till, name: str, limit: int) -> str:
    cipher = cipher_for(till.shop)
    with till.shop.uow() as uow:
        return create_customer(uow, cipher, till.supervisor, name=name,
                               credit_limit=limit).id


def _till(db: CentralDB, tenant: Tenant, template: Path, folder: Path, code: str) -> Till:
    shop = _copy(template, folder)
    with shop.uow() as uow:  # its own receipt numbers (DEMO-T02-...), as a second till has
        write_settings(uow.conn, {"terminal_code": code})
        uow.commit()
    shop.reload()
    fresh_event_ids(shop)
    term = make_terminal(db, tenant, code)
    enroll(shop, term.code)
    return Till(shop, term.terminal_id, login(shop, "Sari", "1234"), login(shop, "Budi", "5678"))


def _push(till: Till) -> None:
    creds = central_credentials(till.shop)
    install_id = secret_store_for(till.shop).get(INSTALL_ID_SECRET)
    assert install_id
    report = push_once(till.shop.db, CentralLink(creds.dsn, creds.password, install_id))
    assert report.quarantined == 0, report.quarantine_reasons
    assert report.sent > 0


@pytest.fixture(scope="module")
def world(central_db: CentralDB, demo_template: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # never the machine's own keyring
    folder = tmp_path_factory.mktemp("reports-central")
    tills: list[Till] = []
    try:
        a, b = make_tenant(central_db, "Toko Rapor A"), make_tenant(central_db, "Toko Rapor B")
        a1 = _till(central_db, a, demo_template, folder / "a1", "T01")
        a2 = _till(central_db, a, demo_template, folder / "a2", "T02")
        b1 = _till(central_db, b, demo_template, folder / "b1", "T01")
        tills += [a1, a2, b1]
        template = _copy(demo_template, folder / "template")
        tills.append(Till(template, "", a1.cashier, a1.supervisor))

        # Terminal 1: cash, EDC, a kasbon sale and a cash repayment of part of it.
        ani = _customer(a1, "Bu Ani", 100_000)
        _sell(a1, [("MI-0001", 3000), ("TMB-0176", 750)], [("cash", 100_000)])
        _sell(a1, [("MI-0002", 2000), ("MI-0003", 1000)], [("edc", 4_000), ("cash", 10_000)])
        _sell(a1, [("MI-0004", 5000)], [("kasbon", 17_000)], customer_id=ani)
        with a1.shop.uow() as uow:
            repay_kasbon(uow, a1.shop.config, a1.cashier, ani, 7_000)
        # Terminal 2: sells the same products, a kasbon sale it refunds (back to kasbon),
        # and drives a product below zero.
        budi = _customer(a2, "Pak Budi <Toko>", 20_000)
        _sell(a2, [("MI-0001", 2000)], [("cash", 10_000)])
        kasbon_receipt = _sell(a2, [("MI-0003", 2000), ("TMB-0176", 500)],
                               [("kasbon", 10_000), ("cash", 50_000)], customer_id=budi)
        _sell(a2, [("MI-0005", 60_000)], [("cash", 1_000_000)])
        with a2.shop.uow() as uow:
            refund_sale(uow, a2.shop.config, a2.cashier, kasbon_receipt, [(1, 1000)],
                        "rusak", BUDI)
        # Tenant B sells the same SKUs: none of it may show in tenant A's reports.
        cici = _customer(b1, "Bu Cici", 50_000)
        _sell(b1, [("MI-0001", 7000)], [("cash", 50_000)])
        _sell(b1, [("MI-0003", 4000)], [("kasbon", 13_000), ("cash", 1_000)],
              customer_id=cici)
        for till in (a1, a2, b1):
            _push(till)
        today = datetime.now(WIB).date()
        period = R.Period(today - timedelta(days=1), today + timedelta(days=1))
        yield World(central_db, a, b, a1, a2, b1, template, period)
    finally:
        for till in tills:
            till.shop.close()
        keyring.set_keyring(previous)


def local(till: Till | Shop, name: str, period: R.Period | None) -> Any:
    shop = till.shop if isinstance(till, Till) else till
    with shop.uow(write=False) as uow:
        return R.run_report(uow.conn, name, period)


def central(w: World, name: str, period: R.Period | None, tenant: Tenant | None = None,
            **kw: Any) -> Any:
    with owner_connection(w.db.admin_dsn, role=(tenant or w.a).owner_role) as conn:
        return run_central_report(conn, name, period, **kw)


# --- the merges the expectations are made of ---------------------------------------------

def add_days(*reports: R.SalesSummary) -> list[tuple[Any, ...]]:
    out = []
    for days in zip(*(r.days for r in reports), strict=True):
        methods: Counter[str] = Counter()
        for d in days:
            methods.update(d.by_method)
        out.append((days[0].day, *(sum(getattr(d, f) for d in days) for f in (
            "sales_count", "sales", "refunds_count", "refunds", "net", "ppn", "revenue",
            "discounts", "rounding")), {m: a for m, a in methods.items() if a}))
    return out


def days_of(r: R.SalesSummary) -> list[tuple[Any, ...]]:
    return add_days(r)


def add_products(*reports: R.ProductSales) -> dict[str, tuple[int, ...]]:
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for rep in reports:
        for row in rep.rows:
            for i, v in enumerate((row.qty_milli, row.amount, row.revenue, row.cost)):
                acc[row.sku][i] += v
    return {k: tuple(v) for k, v in acc.items() if any(v)}


def add_levels(plus: list[R.StockLevels], minus: list[R.StockLevels]) -> dict[str, int]:
    acc: dict[str, int] = defaultdict(int)
    for rep, sign in [(r, 1) for r in plus] + [(r, -1) for r in minus]:
        for row in rep.rows:
            acc[row.sku] += sign * row.level_milli
    return dict(acc)


def dash_key(d: R.Dashboard) -> tuple[Any, ...]:
    return (d.sales_count, d.sales_total, d.refunds_count, d.refunds_total,
            [(h.hour, h.sales_count, h.amount) for h in d.by_hour],
            sorted((m.method, m.count, m.amount) for m in d.payment_mix),
            d.kasbon_outstanding, d.kasbon_customers)


def add_dash(*ds: R.Dashboard) -> tuple[Any, ...]:
    mix: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in ds:
        for m in d.payment_mix:
            mix[m.method][0] += m.count
            mix[m.method][1] += m.amount
    return (sum(d.sales_count for d in ds), sum(d.sales_total for d in ds),
            sum(d.refunds_count for d in ds), sum(d.refunds_total for d in ds),
            [(h, sum(d.by_hour[h].sales_count for d in ds), sum(d.by_hour[h].amount for d in ds))
             for h in range(24)],
            sorted((k, v[0], v[1]) for k, v in mix.items()),
            sum(d.kasbon_outstanding for d in ds), sum(d.kasbon_customers for d in ds))


# --- tests -------------------------------------------------------------------------------

def test_the_tenant_report_is_the_sum_of_its_tills(world: World) -> None:
    w, p = world, world.period
    s1, s2 = local(w.a1, "sales", p), local(w.a2, "sales", p)
    at_central = central(w, "sales", p)
    assert days_of(at_central) == add_days(s1, s2)
    assert at_central.totals.sales == s1.totals.sales + s2.totals.sales > 0
    assert at_central.totals.refunds == s2.totals.refunds > 0
    assert set(at_central.methods) == {"cash", "edc", "kasbon"}

    p1, p2 = local(w.a1, "products", p), local(w.a2, "products", p)
    pc = central(w, "products", p)
    assert {r.sku: (r.qty_milli, r.amount, r.revenue, r.cost) for r in pc.rows} == (
        add_products(p1, p2))
    assert (pc.amount, pc.cost, pc.margin) == (p1.amount + p2.amount, p1.cost + p2.cost,
                                               p1.margin + p2.margin)
    mi1 = next(r for r in pc.rows if r.sku == "MI-0001")
    assert mi1.qty_milli == 5000  # 3 on T01 + 2 on T02; tenant B's 7 are not here

    for day in p.days():
        l1 = local(w.a1, "dashboard", R.Period.day(day))
        l2 = local(w.a2, "dashboard", R.Period.day(day))
        dc = central(w, "dashboard", R.Period.day(day))
        assert dash_key(dc) == add_dash(l1, l2)

    k1, k2 = local(w.a1, "kasbon", None), local(w.a2, "kasbon", None)
    kc = central(w, "kasbon", None)
    assert sorted((r.customer_id, r.balance, r.credit_limit) for r in kc.rows) == sorted(
        (r.customer_id, r.balance, r.credit_limit) for r in k1.rows + k2.rows)
    assert kc.total == k1.total + k2.total
    assert k1.total == 17_000 - 7_000 and 0 < k2.total < 10_000  # the refund took some off
    assert all(not r.name_known and r.label.startswith("Pelanggan ") for r in kc.rows)


def test_refund_back_to_kasbon_and_repayment_reach_central(world: World) -> None:
    """Central has no kasbon table: its entries are derived from kasbon payments, refunds
    taken off kasbon and kasbon.repaid events. Each must count once."""
    w = world
    k1, k2 = local(w.a1, "kasbon", None), local(w.a2, "kasbon", None)
    assert [r.balance for r in k1.rows] == [17_000 - 7_000]
    s2 = local(w.a2, "sales", w.period)
    (refunded,) = [d.refunds for d in s2.days if d.refunds]
    assert [r.balance for r in k2.rows] == [10_000 - refunded]
    kc = central(w, "kasbon", None)
    assert sorted(r.balance for r in kc.rows) == sorted([10_000, 10_000 - refunded])


def test_one_terminal_equals_central_filtered_to_it(world: World) -> None:
    w, p = world, world.period
    for till in (w.a1, w.a2):
        for name in ("sales", "products", "kasbon"):
            mine, there = local(till, name, p if name != "kasbon" else None), central(
                w, name, p if name != "kasbon" else None, terminal_id=till.terminal_id)
            if name == "sales":
                assert days_of(there) == days_of(mine)
            elif name == "products":
                assert add_products(there) == add_products(mine)
            else:
                assert [(r.customer_id, r.balance) for r in there.rows] == [
                    (r.customer_id, r.balance) for r in mine.rows]
        today = p.days()[-1]
        assert dash_key(central(w, "dashboard", R.Period.day(today),
                                terminal_id=till.terminal_id)) == (
            dash_key(local(till, "dashboard", R.Period.day(today))))
    # Stock: every till started as a copy of the same demo, so its opening stock movements
    # carry the same ids; central holds them once, under the terminal that pushed them first
    # (T01). T01's levels are therefore its own; T02's are its own minus that opening.
    start = local(w.template, "stock", None)
    l1, l2 = local(w.a1, "stock", None), local(w.a2, "stock", None)
    c1 = central(w, "stock", None, terminal_id=w.a1.terminal_id)
    c2 = central(w, "stock", None, terminal_id=w.a2.terminal_id)
    assert add_levels([c1], []) == add_levels([l1], [])
    assert add_levels([c2], []) == add_levels([l2], [start])
    whole = central(w, "stock", None)
    assert add_levels([whole], []) == add_levels([l1, l2], [start])
    mi5 = {r.sku: r for r in whole.rows}["MI-0005"]
    assert mi5.negative and mi5.level_milli < 0
    assert whole.negative_count >= 1
    store = central(w, "stock", None, store_id=w.a.store_id)
    assert add_levels([store], []) == add_levels([whole], [])


def test_another_tenant_never_shows(world: World) -> None:
    w, p = world, world.period
    lb = local(w.b1, "sales", p)
    cb = central(w, "sales", p, tenant=w.b)
    assert days_of(cb) == days_of(lb)
    assert add_products(central(w, "products", p, tenant=w.b)) == add_products(
        local(w.b1, "products", p))
    # Tenant A's owner asking for B's terminal sees nothing at all.
    none = central(w, "sales", p, terminal_id=w.b1.terminal_id)
    assert none.totals.sales_count == 0 and none.methods == ()
    assert central(w, "products", p, terminal_id=w.b1.terminal_id).rows == ()
    assert central(w, "kasbon", None, terminal_id=w.b1.terminal_id).rows == ()
    assert central(w, "stock", None, terminal_id=w.b1.terminal_id).value == 0
    # Row-level security itself, with no tenant predicate of ours: the owner role's plain
    # count of every sale at central is its own tenant's.
    with owner_connection(w.db.admin_dsn, role=w.a.owner_role) as conn:
        seen = conn.exec_driver_sql("SELECT count(*) FROM central.sale").scalar()
    with w.db.connect() as admin:
        everyone = admin.execute("SELECT count(*) FROM central.sale").fetchone()
    assert everyone is not None
    mine = sum(local(t, "sales", p).totals.sales_count for t in (w.a1, w.a2))
    assert seen == mine < everyone[0]
    # And B's owner does not see A's.
    assert central(w, "products", p, tenant=w.b, terminal_id=w.a1.terminal_id).rows == ()
    kb = central(w, "kasbon", None, tenant=w.b)
    assert [(r.customer_id, r.balance) for r in kb.rows] == [
        (r.customer_id, r.balance) for r in local(w.b1, "kasbon", None).rows]
    assert kb.total == 13_000


def test_names_decrypted_with_a_tills_key(world: World) -> None:
    w = world
    cipher = cipher_for(w.a1.shop)
    with owner_connection(w.db.admin_dsn, role=w.a.owner_role) as conn:
        k = run_central_report(conn, "kasbon", None, decrypt_name=lambda cid, tok: cipher.decrypt(
            tok, record_id=cid, field="name"))
    # T01's key opens the name T01 encrypted; T02's customer (under T02's key) keeps the
    # short label rather than failing the report.
    labels = {r.label: r.name_known for r in k.rows}
    assert labels.pop("Bu Ani") is True
    ((other, known),) = labels.items()
    assert other.startswith("Pelanggan ") and known is False


def test_days_and_hours_on_postgresql(world: World) -> None:
    src = central_report_source()
    d = date(2026, 11, 26)
    with owner_connection(world.db.admin_dsn, role=world.a.owner_role) as conn:
        for stamp, want_day, want_hour in (
                (datetime(2026, 11, 26, 16, 59, 59, 999999, UTC), "2026-11-26", 23),
                (datetime(2026, 11, 26, 17, 0, tzinfo=UTC), "2026-11-27", 0),
                (datetime(2026, 11, 25, 17, 0, tzinfo=UTC), "2026-11-26", 0),
                (datetime(2026, 11, 26, 5, 30, tzinfo=UTC), "2026-11-26", 12)):
            col = literal(stamp)
            got = conn.execute(select(src.local_day(col, d, d + timedelta(days=1)),
                                      src.local_hour(col, d),
                                      src.in_range(col, d, d + timedelta(days=1)))).one()
            assert (got[0], got[1], bool(got[2])) == (
                want_day, want_hour, want_day == "2026-11-26"), stamp


def test_a_persons_login_becomes_the_owner_role(world: World) -> None:
    """The owner role is NOLOGIN: a person's login granted it is found and entered."""
    w = world
    role = f"{w.db.prefix}_p_wati"
    with w.db.connect(autocommit=True) as c:
        c.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'rahasia-wati'").format(
            sql.Identifier(role)))
        c.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(w.a.owner_role),
                                                   sql.Identifier(role)))
    dsn = psycopg.conninfo.make_conninfo(w.db.admin_dsn, user=role)
    with owner_connection(dsn, password="rahasia-wati") as conn:
        by_person = run_central_report(conn, "sales", w.period)
    assert days_of(by_person) == days_of(central(w, "sales", w.period))
    # The administrator may become any tenant: it must say which.
    with pytest.raises(BadInput) as e:
        with owner_connection(w.db.admin_dsn):
            pass
    assert e.value.field == "tenant"
    with owner_connection(w.db.admin_dsn, tenant_id=w.b.tenant_id) as conn:
        assert days_of(run_central_report(conn, "sales", w.period)) == days_of(
            local(w.b1, "sales", w.period))
    # A terminal's own login is no owner: it cannot run the tenant's reports.
    creds = central_credentials(w.a1.shop)
    with pytest.raises(Refused):
        with owner_connection(creds.dsn, password=creds.password):
            pass


def test_cli_central_report(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                            ) -> None:
    from app.cli.main import main
    w = world
    out = io.StringIO()
    with redirect_stdout(out):
        rc = main(["report", "sales", "--central", "--dsn", w.db.admin_dsn,
                   "--tenant", w.a.tenant_id, "--from", w.period.start.isoformat(),
                   "--to", w.period.end.isoformat()])
    assert rc == 0
    data = json.loads(out.getvalue())
    assert data["totals"]["sales"] == central(w, "sales", w.period).totals.sales
    assert "Toko Rapor A" in data["title"]
    pdf = tmp_path / "kasbon.pdf"
    with redirect_stdout(io.StringIO()):
        assert main(["report", "kasbon", "--central", "--dsn", w.db.admin_dsn,
                     "--role", w.a.owner_role, "--format", "pdf", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


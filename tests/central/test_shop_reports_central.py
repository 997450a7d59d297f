"""The daily Z report, sync health and stock value by category on the central PostgreSQL:
two tills of one tenant (in two stores) and a till of another tenant trade through the
real use cases and push to a real central. The tenant's Z equals the sum of its tills'
own, one store's or terminal's equals that till's; shifts and drawer cash come from the
events the tills pushed (a closed shift's Z; a shift still open is not at central, and
voids never are: the report says so); sync health per terminal equals each till's outbox,
and a missing event or a quarantine shows; a second tenant never shows."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import keyring
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from app.reports_central import owner_connection, run_central_report
from app.reports_pdf import to_pdf
from services import formatting as fmt
from services.reports.daily_z import DailyZ, daily_z
from services.reports.values import Period, TableReport
from services.shifts import close_shift, move_cash, open_shift, shift_report
from sync.central import admin
from tests.central.conftest import CentralDB, Tenant, make_tenant
from tests.central.test_reports_central import Till, _push, _sell, _till
from tests.conftest import MemoryKeyring

WIB = ZoneInfo("Asia/Jakarta")
Z_FIELDS = ("sales_count", "gross", "discounts", "refunds_count", "refunds", "net", "tax",
            "received")


@dataclass
class World:
    db: CentralDB
    a: Tenant
    b: Tenant
    s2: str  # tenant A's second store
    a1: Till  # store S1, a shift closed and another opened
    a2: Till  # store S2, its shift still open
    b1: Till  # tenant B
    period: Period


def _drawer(till: Till, kind: str, amount: int, reason: str, **kw: Any) -> None:
    actor = till.supervisor if kind == "cash_out" and "category" not in kw else till.cashier
    with till.shop.uow() as uow:
        move_cash(uow, till.shop.config, actor, kind, amount, reason, **kw)


def _close(till: Till, short: int) -> None:
    with till.shop.uow() as uow:
        expected = shift_report(uow, till.shop.config).expected_cash
    with till.shop.uow() as uow:
        close_shift(uow, till.shop.config, till.cashier, {"100": (expected - short) // 100})


@pytest.fixture(scope="module")
def world(central_db: CentralDB, demo_template: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # never the machine's own keyring
    folder = tmp_path_factory.mktemp("shop-reports-central")
    tills: list[Till] = []
    try:
        a, b = make_tenant(central_db, "Toko Z A"), make_tenant(central_db, "Toko Z B")
        s2 = admin.add_store(central_db.admin_dsn, a.tenant_id, "S2", "Toko Z A cabang")
        a1 = _till(central_db, a, demo_template, folder / "a1", "T01")
        a2 = _till(central_db, Tenant(a.tenant_id, a.owner_role, s2.store_id), demo_template,
                   folder / "a2", "T02")
        b1 = _till(central_db, b, demo_template, folder / "b1", "T01")
        tills += [a1, a2, b1]
        _sell(a1, [("MI-0001", 3000), ("TMB-0176", 750)], [("cash", 100_000)])
        _sell(a1, [("MI-0002", 2000)], [("edc", 4_000), ("cash", 10_000)])
        _drawer(a1, "cash_out", 12_000, "es batu balok", category="es_batu")
        _drawer(a1, "cash_out", 20_000, "diambil pemilik")
        _drawer(a1, "cash_in", 50_000, "uang kecil dari brankas")
        _close(a1, 500)
        with a1.shop.uow() as uow:
            open_shift(uow, a1.shop.config, a1.supervisor, 100_000)
        _sell(a1, [("MI-0003", 1000)], [("cash", 5_000)])
        _sell(a2, [("MI-0001", 2000)], [("cash", 10_000)])
        _sell(a2, [("MI-0005", 60_000)], [("cash", 1_000_000)])
        _drawer(a2, "cash_out", 8_000, "plastik", category="plastik")
        _sell(b1, [("MI-0001", 7000)], [("cash", 50_000)])
        _drawer(b1, "cash_out", 99_000, "diambil pemilik B")
        _close(b1, 0)
        for till in (a1, a2, b1):
            _push(till)
        today = datetime.now(WIB).date()
        yield World(central_db, a, b, s2.store_id, a1, a2, b1,
                    Period(today - timedelta(days=1), today + timedelta(days=1)))
    finally:
        for till in tills:
            till.shop.close()
        keyring.set_keyring(previous)


def local_z(till: Till, period: Period) -> DailyZ:
    with till.shop.uow(write=False) as uow:
        return daily_z(uow.conn, period)


def central(w: World, name: str, period: Period | None, tenant: Tenant | None = None,
            **kw: Any) -> Any:
    with owner_connection(w.db.admin_dsn, role=(tenant or w.a).owner_role) as conn:
        return run_central_report(conn, name, period, **kw)


def central_z(w: World, tenant: Tenant | None = None, **kw: Any) -> DailyZ:
    from app.reports_central import central_report_source
    with owner_connection(w.db.admin_dsn, role=(tenant or w.a).owner_role) as conn:
        return daily_z(conn, w.period, source=central_report_source(**kw))


def days(*zs: DailyZ) -> list[tuple[Any, ...]]:
    return [(ds[0].day, *(sum(getattr(d, f) for d in ds) for f in Z_FIELDS))
            for ds in zip(*(z.days for z in zs), strict=True)]


def methods(*zs: DailyZ) -> dict[tuple[Any, str], int]:
    out: Counter[tuple[Any, str]] = Counter()
    for z in zs:
        for m in z.methods:
            out[(m.day, m.method)] += m.amount
    return dict(out)


def moves(*zs: DailyZ) -> Counter[tuple[str, int, str, str | None]]:
    return Counter((m.kind, m.amount, m.reason, m.account) for z in zs for m in z.cash_moves)


def test_the_tenants_z_is_the_sum_of_its_tills(world: World) -> None:
    w = world
    l1, l2 = local_z(w.a1, w.period), local_z(w.a2, w.period)
    cz = central_z(w)
    assert cz.engine == "central"
    assert days(cz) == days(l1, l2)
    assert cz.totals.sales_count == l1.totals.sales_count + l2.totals.sales_count > 0
    assert methods(cz) == methods(l1, l2)
    # Drawer cash: every movement of both tills, from their cash.* events.
    assert moves(cz) == moves(l1, l2) and len(moves(cz)) == 4
    assert {m.terminal for m in cz.cash_moves} == {"T01", "T02"}
    # Voids are in each till's audit log only: unknown at central, never a made-up zero.
    assert cz.totals.voids is None and all(d.voids is None for d in cz.days)
    assert l1.totals.voids == 0  # the till knows it had none
    report = cz.report()
    assert len(report.notes) == 2 and "Void" in report.notes[1]
    pdf = to_pdf(report, report.title("en"), "en", w.period.label())
    textual = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "not sent to central" in textual and "Terminal" in textual
    assert fmt.money(cz.totals.net, "en") in textual


def test_shifts_at_central_are_the_closed_shifts_z(world: World) -> None:
    w = world
    l1, l2 = local_z(w.a1, w.period), local_z(w.a2, w.period)
    cz = central_z(w)

    def key(s: Any) -> tuple[Any, ...]:
        return (s.shift_id, s.sales_count, s.sales_total, s.float_amount, s.cash_in,
                s.cash_out, s.expected_cash, s.counted_cash, s.difference)

    closed = [s for s in l1.shifts if s.kind == "Z"]
    assert [key(s) for s in cz.shifts] == [key(s) for s in closed]
    assert [(s.terminal, s.difference) for s in cz.shifts] == [("T01", -500)]
    # The shifts still open (T01's second, T02's) are not known at central.
    assert [s.kind for s in l1.shifts] == ["Z", "X"] and [s.kind for s in l2.shifts] == ["X"]


def test_one_store_and_one_terminal(world: World) -> None:
    w = world
    l1, l2 = local_z(w.a1, w.period), local_z(w.a2, w.period)
    store2 = central_z(w, store_id=w.s2)
    assert days(store2) == days(l2) and moves(store2) == moves(l2) and store2.shifts == ()
    t1 = central_z(w, terminal_id=w.a1.terminal_id)
    assert days(t1) == days(l1) and moves(t1) == moves(l1) and len(t1.shifts) == 1


def test_the_other_tenant_never_shows(world: World) -> None:
    w = world
    lb = local_z(w.b1, w.period)
    cb = central_z(w, tenant=w.b)
    assert days(cb) == days(lb) and moves(cb) == moves(lb)
    assert [s.difference for s in cb.shifts] == [0]
    ca = central_z(w)
    assert ("cash_out", 99_000, "diambil pemilik B", "3-2000") not in moves(ca)


def _to_rupiah(cost: int, milli: int) -> int:
    return int((Decimal(cost) * milli / 1000).quantize(Decimal(1), ROUND_HALF_UP))


def test_stock_value_by_category_on_central(world: World) -> None:
    w = world
    with owner_connection(w.db.admin_dsn, role=w.a.owner_role) as conn:
        rows = conn.execute(text(
            "SELECT c.name, p.cost, COALESCE(SUM(m.qty_milli), 0) FROM central.product p "
            "LEFT JOIN central.category c ON c.tenant_id = p.tenant_id AND c.id = p.category_id "
            "LEFT JOIN central.stock_movement m ON m.tenant_id = p.tenant_id "
            "AND m.product_id = p.id WHERE p.active AND p.tracks_stock AND p.deleted_at IS NULL "
            "GROUP BY p.tenant_id, p.id, c.name, p.cost")).all()
    want: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, cost, level in rows:
        want[name or "Tanpa kategori"][0] += 1
        want[name or "Tanpa kategori"][1] += _to_rupiah(int(cost), max(int(level), 0))
    report = central(w, "stock-value", None)
    assert isinstance(report, TableReport)
    by_cat = report.tables[0]
    assert {str(r[0]): [r[1], r[3]] for r in by_cat.rows} == dict(want)
    assert by_cat.totals is not None
    assert by_cat.totals[3] == sum(v for _n, v in want.values()) == (
        central(w, "stock", None).value) > 0


def test_sync_health_per_terminal_and_its_faults(world: World) -> None:
    """Last in the module: it takes an event away from central and quarantines another."""
    w = world
    outbox: dict[str, dict[str, int]] = {}
    for till in (w.a1, w.a2):
        with till.shop.uow(write=False) as uow:
            outbox[till.terminal_id] = {str(k): int(v) for k, v in uow.conn.execute(text(
                "SELECT status, COUNT(*) FROM outbox GROUP BY status"))}
    h = central(w, "sync-health", None)
    assert isinstance(h, TableReport)
    rows = {r[0]: r for r in h.tables[0].rows}  # terminal, store, sent, pending, quar, gaps
    assert set(rows) == {"T01", "T02"}  # tenant B's terminal is not here
    for code, till in (("T01", w.a1), ("T02", w.a2)):
        counts = outbox[till.terminal_id]
        assert counts.get("pending", 0) == 0
        assert rows[code][2] == counts["sent"] and rows[code][3] is None
        assert (rows[code][4], rows[code][5]) == (0, 0)
    assert rows["T01"][1] == "S1" and rows["T02"][1] == "S2"
    # Fault injection (as the database's superuser): an event of T02 lost, one of T01
    # quarantined.
    with w.db.connect(autocommit=True) as su:
        su.execute("DELETE FROM central.event WHERE tenant_id = %s AND terminal_id = %s "
                   "AND seq = 3", (w.a.tenant_id, w.a2.terminal_id))
        su.execute("INSERT INTO central.quarantine (tenant_id, event_id, terminal_id, reason) "
                   "SELECT tenant_id, event_id, terminal_id, 'test' FROM central.event "
                   "WHERE tenant_id = %s AND terminal_id = %s AND seq = 5",
                   (w.a.tenant_id, w.a1.terminal_id))
    h = central(w, "sync-health", None)
    rows = {r[0]: r for r in h.tables[0].rows}
    assert (rows["T01"][4], rows["T01"][5]) == (1, 0)
    assert (rows["T02"][4], rows["T02"][5]) == (0, 1)
    assert rows["T02"][2] == outbox[w.a2.terminal_id]["sent"] - 1
    assert [tuple(r) for r in h.tables[1].rows] == [("T02", 2, 4, 1)]
    one = central(w, "sync-health", None, store_id=w.s2)
    assert [r[0] for r in one.tables[0].rows] == ["T02"]

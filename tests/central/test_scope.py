"""The back office's scope (services.reports.scope + app.reports_central): this till, the
whole shop (the tenant at central) or one store, read as the till's own central role with
the time the figures are as of; offline (or not enrolled) it says so and shows this
till's figures. A real central: one tenant with two stores, a till in each, and a second
tenant whose figures must never show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import keyring
import pytest

from app.reports_central import (
    central_opener,
    owner_connection,
    run_central_report,
    store_choices,
    tenant_connection,
    till_opener,
)
from services import reports as R
from services.errors import BadInput
from services.reports.scope import Scope, ScopedReport, run_scoped
from sync.central import admin
from tests.central.conftest import CentralDB, Tenant, make_tenant
from tests.central.test_books_central import Till, make_till, push, sell
from tests.conftest import MemoryKeyring

WIB = ZoneInfo("Asia/Jakarta")


@dataclass
class World:
    db: CentralDB
    a: Tenant
    store2: str
    t1: Till  # store S1 of tenant A
    t2: Till  # store S2 of tenant A
    b1: Till  # tenant B
    period: R.Period


def _store_till(db: CentralDB, tenant: Tenant, store_id: str, template: Path, folder: Path,
                code: str) -> Till:
    other = Tenant(tenant.tenant_id, tenant.owner_role, store_id)
    return make_till(db, other, template, folder, code)


@pytest.fixture(scope="module")
def world(central_db: CentralDB, demo_template: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    folder = tmp_path_factory.mktemp("scope")
    tills: list[Till] = []
    try:
        a, b = make_tenant(central_db, "Toko Cakupan A"), make_tenant(central_db, "Toko B")
        s2 = admin.add_store(central_db.admin_dsn, a.tenant_id, "S2", "Cabang pasar").store_id
        t1 = _store_till(central_db, a, a.store_id, demo_template, folder / "t1", "T01")
        t2 = _store_till(central_db, a, s2, demo_template, folder / "t2", "T02")
        b1 = _store_till(central_db, b, b.store_id, demo_template, folder / "b1", "T01")
        tills += [t1, t2, b1]
        sell(t1, [("MI-0001", 3000)], [("cash", 100_000)])
        sell(t2, [("MI-0002", 2000)], [("cash", 50_000)])
        sell(t2, [("MI-0003", 1000)], [("cash", 50_000)])
        sell(b1, [("MI-0004", 9000)], [("cash", 500_000)])
        for till in tills:
            push(till)
        today = datetime.now(WIB).date()
        yield World(central_db, a, s2, t1, t2, b1,
                    R.Period(today - timedelta(days=1), today + timedelta(days=1)))
    finally:
        for till in tills:
            till.shop.close()
        keyring.set_keyring(previous)


def figures(report: Any) -> list[tuple[Any, ...]]:
    return [(d.day, d.sales_count, d.sales, d.net) for d in report.days]


def count(report: Any) -> int:
    return int(report.totals.sales_count)


def scoped(w: World, till: Till, scope: Scope, **kw: Any) -> ScopedReport:
    with till.shop.uow(write=False) as uow:
        return run_scoped(uow.conn, "sales", w.period, scope,
                          central=kw.pop("central", till_opener(till.shop)), **kw)


def owner_sales(w: World, **kw: Any) -> Any:
    with owner_connection(w.db.admin_dsn, role=w.a.owner_role) as conn:
        return run_central_report(conn, "sales", w.period, **kw)


def local_sales(w: World, till: Till) -> Any:
    with till.shop.uow(write=False) as uow:
        return R.run_report(uow.conn, "sales", w.period)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_this_till_reads_the_till(world: World) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    got = scoped(world, world.t2, Scope.till())
    assert (got.origin, got.fell_back, got.reason) == ("till", False, None)
    assert figures(got.report) == figures(local_sales(world, world.t2))
    assert count(got.report) == 2
    assert _instant(got.as_of) >= before


def test_the_whole_shop_reads_central_as_the_tills_own_role(world: World) -> None:
    got = scoped(world, world.t1, Scope.tenant())
    assert (got.origin, got.fell_back) == ("central", False)
    assert figures(got.report) == figures(owner_sales(world))
    assert count(got.report) == 3  # both stores of tenant A, never tenant B
    assert got.tenant_name == "Toko Cakupan A"
    assert got.oldest_push_at is not None
    assert _instant(got.oldest_push_at) <= _instant(got.as_of)
    assert got.shown_scope == Scope.tenant()


def test_one_store(world: World) -> None:
    got = scoped(world, world.t1, Scope.store(world.store2))
    assert got.origin == "central"
    assert figures(got.report) == figures(owner_sales(world, store_id=world.store2))
    assert figures(got.report) == figures(local_sales(world, world.t2))
    assert count(got.report) == 2


def test_the_second_tenant_sees_only_itself(world: World) -> None:
    got = scoped(world, world.b1, Scope.tenant())
    assert got.origin == "central" and count(got.report) == 1
    assert figures(got.report) == figures(local_sales(world, world.b1))
    # A's store, asked for by B's till: row-level security shows nothing of it.
    other = scoped(world, world.b1, Scope.store(world.store2))
    assert other.origin == "central" and count(other.report) == 0


def test_offline_falls_back_to_this_till_and_says_so(world: World) -> None:
    dead = central_opener("host=127.0.0.1 port=1 dbname=nowhere user=nobody connect_timeout=2",
                          "x")
    got = scoped(world, world.t1, Scope.tenant(), central=dead)
    assert (got.origin, got.fell_back) == ("till", True)
    assert got.reason is not None and "central" in got.reason
    assert got.shown_scope == Scope.till()
    assert figures(got.report) == figures(local_sales(world, world.t1))
    assert count(got.report) == 1  # this till only, not the shop's 3


def test_not_enrolled_falls_back(world: World) -> None:
    with world.t1.shop.uow(write=False) as uow:
        got = run_scoped(uow.conn, "sales", world.period, Scope.tenant(), central=None)
    assert (got.origin, got.fell_back) == ("till", True) and got.reason


def test_a_report_error_is_raised_not_hidden_as_offline(world: World) -> None:
    with pytest.raises(BadInput) as err:
        with world.t1.shop.uow(write=False) as uow:
            run_scoped(uow.conn, "no-such-report", world.period, Scope.tenant(),
                       central=till_opener(world.t1.shop))
    assert err.value.field == "report"


def test_scope_values_are_checked() -> None:
    with pytest.raises(BadInput):
        Scope("store")
    with pytest.raises(BadInput):
        Scope("tenant", "x")
    with pytest.raises(BadInput):
        Scope("everything")  # type: ignore[arg-type]
    assert Scope.store("s").central and not Scope.till().central


def test_store_choices_are_the_tenants(world: World) -> None:
    from app.enroll import central_credentials
    creds = central_credentials(world.t1.shop)
    with tenant_connection(creds.dsn, creds.password) as conn:
        stores = store_choices(conn)
    assert {s.store_id for s in stores} == {world.a.store_id, world.store2}


BOOKS = ("pnl", "trial-balance", "balance-sheet", "payables", "expenses", "journal",
         "cashbook", "ageing", "midtrans")


@pytest.mark.parametrize("name", BOOKS)
def test_the_books_reports_run_for_the_shop(world: World, name: str) -> None:
    with world.t1.shop.uow(write=False) as uow:
        got = run_scoped(uow.conn, name, world.period, Scope.tenant(),
                         central=till_opener(world.t1.shop))
        mine = run_scoped(uow.conn, name, world.period, Scope.till())
    assert (got.origin, got.fell_back, mine.origin) == ("central", False, "till")
    with owner_connection(world.db.admin_dsn, role=world.a.owner_role) as conn:
        owner = run_central_report(conn, name, world.period)
    assert _tables(got.report) == _tables(owner)


def _tables(report: Any) -> Any:
    from services.reports.values import TableReport
    assert isinstance(report, TableReport)
    return [(t.key, t.rows, t.totals) for t in report.tables]


@pytest.mark.parametrize("name", ("pnl", "trial-balance", "sales"))
def test_one_store_is_that_stores_tills(world: World, name: str) -> None:
    with world.t1.shop.uow(write=False) as uow:
        got = run_scoped(uow.conn, name, world.period, Scope.store(world.store2),
                         central=till_opener(world.t1.shop))
    with world.t2.shop.uow(write=False) as uow:  # the one till of store S2
        mine = run_scoped(uow.conn, name, world.period, Scope.till())
    assert got.origin == "central" and mine.origin == "till"
    if name == "sales":
        assert figures(got.report) == figures(mine.report)
    else:
        assert _tables(got.report) == _tables(mine.report)

"""The report catalogue: the built-in five and the modules' reports under one name space,
a module missing from this build left out (only its own ModuleNotFoundError), and every
report run by name with the period rules of its spec."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection

from services import analytics as A
from services.errors import BadInput, Refused
from services.reports import Period, SalesSummary, catalogue
from services.reports.source import local_source
from services.reports.values import REPORTS as BUILT_IN
from services.reports.values import TableReport
from services.users import Actor
from tests.services.test_analytics import History, make_history, write_sqlite

SRC = local_source(timezone="Asia/Jakarta")
NOV = Period(date(2026, 11, 1), date(2026, 12, 1))


@pytest.fixture
def fresh_catalogue() -> Iterator[None]:
    catalogue.module_reports.cache_clear()
    yield
    catalogue.module_reports.cache_clear()


@pytest.fixture(scope="module")
def till(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Connection, History]]:
    h = make_history(seed=11)
    engine = write_sqlite(tmp_path_factory.mktemp("catalogue") / "till.db", h)
    with engine.connect() as conn:
        yield conn, h
    engine.dispose()


def _module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, body: str) -> str:
    (tmp_path / f"{name}.py").write_text(body, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_built_ins_first_then_the_analytics(fresh_catalogue: None) -> None:
    names = list(catalogue.all_reports())
    assert names[:5] == list(BUILT_IN)
    assert set(A.REPORTS) <= set(names)
    assert len(names) == len(set(names))


def test_a_module_not_in_this_build_is_left_out(
        fresh_catalogue: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "MODULES",
                        ("services.no_such_reports", "no_such_package.reports",
                         "services.analytics"))
    assert set(catalogue.module_reports()) == set(A.REPORTS)


def test_a_module_that_fails_inside_is_an_error(
        fresh_catalogue: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    name = _module(tmp_path, monkeypatch, "k4_broken_reports",
                   "import k4_a_library_that_is_not_there\nREPORTS = {}\n")
    monkeypatch.setattr(catalogue, "MODULES", (name,))
    with pytest.raises(ModuleNotFoundError):
        catalogue.module_reports()


def test_a_name_used_twice_is_an_error(
        fresh_catalogue: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    name = _module(tmp_path, monkeypatch, "k4_dup_reports",
                   "from services.analytics import REPORTS as _R\n"
                   "REPORTS = {'revenue': _R['revenue']}\n")
    monkeypatch.setattr(catalogue, "MODULES", ("services.analytics", name))
    with pytest.raises(RuntimeError, match="revenue"):
        catalogue.module_reports()


def test_run_by_name(fresh_catalogue: None, till: tuple[Connection, History]) -> None:
    conn, h = till
    sales = catalogue.run(conn, "sales", NOV, source=SRC)
    assert isinstance(sales, SalesSummary)
    trend = catalogue.run(conn, "revenue", NOV, source=SRC)
    assert isinstance(trend, TableReport) and trend.name == "revenue"
    assert sales.totals.sales == trend.tables[0].totals[2]  # type: ignore[index]
    with pytest.raises(BadInput) as e:
        catalogue.run(conn, "revenue", None, source=SRC)
    assert e.value.field == "from"
    with pytest.raises(BadInput) as e:
        catalogue.run(conn, "no-such-report", NOV, source=SRC)
    assert e.value.field == "report"


def test_reports_of_now_and_of_one_day(
        fresh_catalogue: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        till: tuple[Connection, History]) -> None:
    name = _module(tmp_path, monkeypatch, "k4_now_reports", """
from services.reports.values import ReportSpec, TableReport
seen = []
def run(conn, period, source):
    seen.append(period)
    return TableReport("now", "Kini", "Now", period, ())
REPORTS = {"now": (ReportSpec("now", "Kini", "Now", False), run),
           "oneday": (ReportSpec("oneday", "Sehari", "One day", True, single_day=True), run)}
""")
    monkeypatch.setattr(catalogue, "MODULES", (name,))
    conn, _h = till
    catalogue.run(conn, "now", NOV, source=SRC)
    catalogue.run(conn, "oneday", NOV, source=SRC)
    assert sys.modules[name].seen == [None, Period.day(NOV.start)]


def test_only_owners_run_them(fresh_catalogue: None, till: tuple[Connection, History]) -> None:
    conn, _h = till
    with pytest.raises(Refused):
        catalogue.run_for(conn, Actor("u1", "Sari", "cashier", pin_checked=True), "basket",
                          NOV, source=SRC)
    report = catalogue.run_for(conn, Actor("u2", "Wati", "owner", pin_checked=True),
                               "basket", NOV, source=SRC)
    assert isinstance(report, TableReport) and report.name == "basket"

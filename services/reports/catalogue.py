"""The one list of reports the screens and ``warungin report`` offer, and how to run one.

- the five built-in reports of ``services.reports`` (dashboard, sales, products, stock,
  kasbon: :data:`services.reports.values.REPORTS`, run by
  :func:`services.reports.queries.run_report`);
- then the reports of the modules in :data:`MODULES`, each exposing
  ``REPORTS: Mapping[str, tuple[ReportSpec, Runner]]`` with
  ``Runner = Callable[[Connection, Period | None, ReportSource], TableReport]``
  (the daily Z report, the breakdowns, stock value by category, the books' statements,
  PPN, analytics, sync health). A module that is not installed in this build
  (its own ``ModuleNotFoundError``, nothing else) is left out; any other import error is
  raised, never hidden.

Names are unique across modules: a second module that reuses a name is an error at
import time of the catalogue (:func:`all_reports`), not a silent override.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import cache

from sqlalchemy import Connection

from services.errors import BadInput
from services.reports.access import READER_ROLE
from services.reports.queries import NameDecryptor, run_report
from services.reports.source import ReportSource, local_source
from services.reports.values import REPORTS as BUILT_IN
from services.reports.values import Period, Report, ReportSpec, TableReport
from services.users import Actor, require

Runner = Callable[[Connection, Period | None, ReportSource], TableReport]

#: The modules whose ``REPORTS`` join the catalogue, in the order they are listed.
MODULES = ("services.reports.daily_z", "services.reports.sales_breakdown",
           "services.reports.stock_value", "services.analytics", "services.books.reports",
           "services.tax_reports", "services.reports.sync_health")


def _missing(exc: ModuleNotFoundError, module: str) -> bool:
    """Whether ``exc`` says ``module`` itself (or a package it lives in) is absent."""
    if exc.name is None:
        return False
    parts = module.split(".")
    return exc.name in {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


@cache
def module_reports() -> Mapping[str, tuple[ReportSpec, Runner]]:
    """Every report of :data:`MODULES` that is installed, by name."""
    out: dict[str, tuple[ReportSpec, Runner]] = {}
    for module in MODULES:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if _missing(exc, module):
                continue
            raise
        reports: Mapping[str, tuple[ReportSpec, Runner]] = getattr(mod, "REPORTS", {})
        for name, (spec, runner) in reports.items():
            if name in BUILT_IN or name in out:
                raise RuntimeError(f"report {name!r} of {module} is already in the catalogue")
            if spec.name != name:
                raise RuntimeError(f"report {name!r} of {module} has spec {spec.name!r}")
            out[name] = (spec, runner)
    return out


def all_reports() -> Mapping[str, ReportSpec]:
    """Every report's spec by name: the built-in five first, then the modules'."""
    return {**BUILT_IN, **{n: spec for n, (spec, _r) in module_reports().items()}}


def spec_of(name: str) -> ReportSpec:
    specs = all_reports()
    spec = specs.get(name)
    if spec is None:
        raise BadInput(f"no report {name!r} (one of {', '.join(sorted(specs))})",
                       field="report")
    return spec


def run(conn: Connection, name: str, period: Period | None, *,
        source: ReportSource | None = None, decrypt_name: NameDecryptor | None = None,
        decrypt_phone: NameDecryptor | None = None) -> Report:
    """Run any report of the catalogue by name. ``period`` is ignored by the reports of
    now (``takes_period`` False) unless they may be asked as of a day (``as_of``: they
    get that day, the period's last); a single-day report gets the period's first day."""
    spec = spec_of(name)
    src = source if source is not None else local_source(conn)
    if name in BUILT_IN:
        return run_report(conn, name, period, source=src, decrypt_name=decrypt_name,
                          decrypt_phone=decrypt_phone)
    _spec, runner = module_reports()[name]
    if not spec.takes_period:
        as_of = Period.day(period.last) if spec.as_of and period is not None else None
        return runner(conn, as_of, src)
    if period is None:
        raise BadInput("this report needs a date range", field="from")
    if spec.single_day:
        period = Period.day(period.start)
    return runner(conn, period, src)




def run_for(conn: Connection, actor: Actor | None, name: str, period: Period | None, *,
            source: ReportSource | None = None) -> Report:
    """:func:`run` for a person: owners only (``services.reports.access``'s rule), as the
    back office and ``warungin report --user`` call it; ``actor`` None is whoever holds
    the shop's database (the command line without ``--user``)."""
    if actor is not None:
        require(actor, READER_ROLE, "reports")
    return run(conn, name, period, source=source)


__all__ = ["MODULES", "Runner", "all_reports", "module_reports", "run", "run_for", "spec_of"]

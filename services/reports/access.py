"""Who may see the shop's figures: owners. The back office's screens call these, and so
does ``warungin report --user NAME --pin PIN``; a cashier or supervisor is refused here,
whatever a screen shows or hides.

The functions of :mod:`services.reports.queries` stay free of users on purpose: on central
they run as the tenant's owner role, where row-level security is the gate, and the command
line without ``--user`` is run by whoever holds the shop's database file.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from services.reports.queries import NameDecryptor, dashboard, run_report
from services.reports.source import ReportSource
from services.reports.values import Dashboard, Period, Report
from services.users import Actor, require

READER_ROLE = "owner"


def dashboard_for(conn: Connection, actor: Actor, day: date | None = None, *,
                  source: ReportSource | None = None) -> Dashboard:
    """The dashboard of ``day`` (default: the shop's today), for an owner."""
    require(actor, READER_ROLE, "the dashboard")
    return dashboard(conn, day, source=source)


def report_for(conn: Connection, actor: Actor, name: str, period: Period | None = None, *,
               source: ReportSource | None = None,
               decrypt_phone: NameDecryptor | None = None) -> Report:
    """A report of ``services.reports.REPORTS`` by name, for an owner (``decrypt_phone``:
    the kasbon report's masked phones, when the caller holds the data key)."""
    require(actor, READER_ROLE, "reports")
    return run_report(conn, name, period, source=source, decrypt_phone=decrypt_phone)

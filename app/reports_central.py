"""Owners' reports on the central PostgreSQL: the whole tenant, one store or one terminal,
with the same report functions the till runs on its SQLite (``services.reports``).

Who may read: a tenant's owner role (``<prefix>_o_<tenant hex>``, NOLOGIN, see
``sync.central.admin``) granted to a person's login. We connect with that login's DSN
(its password from the DSN, ``PGPASSWORD`` or ``~/.pgpass``, as libpq does) and
``SET ROLE`` to the owner role: from then on row-level security shows only that tenant's
rows. The session is read-only and each report runs in one REPEATABLE READ transaction, so
its figures come from one snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from services.errors import BadInput, Refused
from services.reports import Period, Report, ReportSource, run_report
from services.reports.queries import NameDecryptor
from services.reports.source import DEFAULT_TIMEZONE, central_source
from sync.central import schema
from sync.central.admin import check_uuid, ident
from sync.central.connect import terminal_connect

_OWNER_ROLE = re.compile(r"^[a-z0-9_]+_o_[0-9a-f]{32}$")


def central_report_source(*, timezone: str = DEFAULT_TIMEZONE, store_id: str | None = None,
                          terminal_id: str | None = None) -> ReportSource:
    """Central's tables as a report source: the tenant (RLS), or one store / terminal."""
    return central_source(
        schema.metadata.tables, timezone,
        store_id=None if store_id is None else check_uuid(store_id, "store"),
        terminal_id=None if terminal_id is None else check_uuid(terminal_id, "terminal"))


def _owner_role(conn: Connection, role: str | None, tenant_id: str | None) -> str | None:
    """The owner role to enter: ``role`` if given; else the one owner role (of ``tenant_id``
    if given) this login may become; None when the login itself is a tenant's principal."""
    if role is not None:
        if not _OWNER_ROLE.match(role):
            raise BadInput("not a tenant owner role (…_o_<tenant hex>)", field="role")
        return role
    if tenant_id is None and conn.execute(text(
            "SELECT has_table_privilege('central.principal', 'SELECT')")).scalar():
        if conn.execute(text("SELECT kind FROM central.principal "
                             "WHERE role_name = current_user")).scalar() == "owner":
            return None
    pattern = "_o_" + (check_uuid(tenant_id, "tenant").replace("-", "") if tenant_id
                       else "")
    names = [str(r) for (r,) in conn.execute(text(
        "SELECT rolname FROM pg_roles WHERE strpos(rolname, :p) > 0 "
        "AND pg_has_role(current_user, oid, 'MEMBER') ORDER BY rolname"), {"p": pattern})
        if _OWNER_ROLE.match(str(r))]
    if not names:
        raise Refused("this login may not read any tenant's reports (no owner role is "
                      "granted to it)", field="role")
    if len(names) > 1:
        raise BadInput(f"this login may read {len(names)} tenants: choose one with --tenant",
                       field="tenant")
    return names[0]


@contextmanager
def owner_connection(dsn: str, *, role: str | None = None, tenant_id: str | None = None,
                     password: str | None = None) -> Iterator[Connection]:
    """A read-only central connection entered as a tenant's owner role.

    Yields a SQLAlchemy connection inside a REPEATABLE READ transaction (rolled back at
    the end: nothing is ever written)."""
    engine = create_engine("postgresql+psycopg://", poolclass=NullPool,
                           creator=lambda: terminal_connect(dsn, password))
    try:
        with engine.connect() as conn:
            try:
                conn.exec_driver_sql("SET SESSION CHARACTERISTICS AS TRANSACTION "
                                     "ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                owner = _owner_role(conn, role, tenant_id)
                if owner is not None:
                    conn.exec_driver_sql(f"SET ROLE {ident(owner)}")
                # A SET inside a transaction that rolls back is undone: keep them.
                conn.commit()
                kind = conn.execute(text("SELECT kind FROM central.principal "
                                         "WHERE role_name = current_user")).scalar()
            except DBAPIError as exc:
                # No central schema here, or a role we may not enter: say so, plainly.
                detail = str(exc.orig).strip().splitlines()[0] if exc.orig else "refused"
                raise Refused(f"cannot read reports at this central database ({detail})",
                              field="role") from None
            if kind != "owner":
                # A terminal's login reads its tenant too, but reports are the owner's.
                raise Refused("this login is not a tenant's owner at this central database",
                              field="role")
            try:
                yield conn
            finally:
                conn.rollback()
    finally:
        engine.dispose()


def run_central_report(conn: Connection, name: str, period: Period | None = None, *,
                       timezone: str = DEFAULT_TIMEZONE, store_id: str | None = None,
                       terminal_id: str | None = None,
                       decrypt_name: NameDecryptor | None = None,
                       decrypt_phone: NameDecryptor | None = None) -> Report:
    """A report of ``services.reports.REPORTS`` over central, as the owner role."""
    source = central_report_source(timezone=timezone, store_id=store_id,
                                   terminal_id=terminal_id)
    return run_report(conn, name, period, source=source, decrypt_name=decrypt_name,
                      decrypt_phone=decrypt_phone)


def tenant_of(conn: Connection) -> dict[str, Any]:
    """Which tenant the connection reads (for the report's heading)."""
    row = conn.execute(text("SELECT tenant_id::text, name FROM central.tenant "
                            "WHERE tenant_id = central.current_tenant()")).one_or_none()
    return {"tenant_id": row[0], "name": row[1]} if row else {}

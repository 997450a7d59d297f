"""Owners' reports on the central PostgreSQL: the whole tenant, one store or one terminal,
with the same report functions the till runs on its SQLite (``services.reports``).

Who may read: a tenant's owner role (``<prefix>_o_<tenant hex>``, NOLOGIN, see
``sync.central.admin``) granted to a person's login. We connect with that login's DSN
(its password from the DSN, ``PGPASSWORD`` or ``~/.pgpass``, as libpq does) and
``SET ROLE`` to the owner role: from then on row-level security shows only that tenant's
rows. The session is read-only and each report runs in one REPEATABLE READ transaction, so
its figures come from one snapshot.

The back office's scope (``services.reports.scope``): :func:`central_opener` opens central
for "the whole shop" or "one store" as the till's own terminal role (which reads its
tenant, walled by row-level security) or an owner login; :func:`till_opener` builds it from
the till's enrolment (None when the till is not enrolled). Any catalogue report
(``services.reports.catalogue``) runs there with the time the figures are as of; when
central cannot be reached the scope falls back to this till's figures and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.pool import NullPool

from services.errors import BadInput, Conflict, Refused
from services.reports import Period, Report, ReportSource, catalogue
from services.reports.queries import NameDecryptor
from services.reports.scope import CentralOffline, CentralOpener, CentralRead, Scope
from services.reports.source import DEFAULT_TIMEZONE, central_source
from sync.central import schema
from sync.central.admin import check_uuid, ident
from sync.central.connect import CentralUnavailable, terminal_connect

if TYPE_CHECKING:
    from app.shop import Shop

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
    with _reader(dsn, role=role, tenant_id=tenant_id, password=password,
                 kinds=("owner",)) as conn:
        yield conn


@contextmanager
def tenant_connection(dsn: str, password: str | None) -> Iterator[Connection]:
    """A read-only central connection as this till's own terminal role (or a login that is
    a tenant's principal itself): it reads its whole tenant, nothing else (row-level
    security), inside one REPEATABLE READ transaction that is rolled back at the end."""
    with _reader(dsn, role=None, tenant_id=None, password=password,
                 kinds=("terminal", "owner"), enter_owner=False) as conn:
        yield conn


@contextmanager
def _reader(dsn: str, *, role: str | None, tenant_id: str | None, password: str | None,
            kinds: tuple[str, ...], enter_owner: bool = True) -> Iterator[Connection]:
    engine = create_engine("postgresql+psycopg://", poolclass=NullPool,
                           creator=lambda: terminal_connect(dsn, password))
    try:
        with engine.connect() as conn:
            try:
                conn.exec_driver_sql("SET SESSION CHARACTERISTICS AS TRANSACTION "
                                     "ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                owner = _owner_role(conn, role, tenant_id) if enter_owner else None
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
            if kind not in kinds:
                # A terminal's login reads its tenant too, but these reports are the owner's.
                raise Refused("this login is not a tenant's owner at this central database"
                              if kinds == ("owner",) else
                              "this login is no tenant's principal at this central database",
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
    """Any catalogue report (``services.reports.catalogue``: the five built-in ones, the
    books' statements, tax, analytics) over central, as the owner role."""
    source = central_report_source(timezone=timezone, store_id=store_id,
                                   terminal_id=terminal_id)
    return catalogue.run(conn, name, period, source=source, decrypt_name=decrypt_name,
                         decrypt_phone=decrypt_phone)


def tenant_of(conn: Connection) -> dict[str, Any]:
    """Which tenant the connection reads (for the report's heading)."""
    row = conn.execute(text("SELECT tenant_id::text, name FROM central.tenant "
                            "WHERE tenant_id = central.current_tenant()")).one_or_none()
    return {"tenant_id": row[0], "name": row[1]} if row else {}


# --- the back office's scope ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StoreChoice:
    store_id: str
    code: str
    name: str


def store_choices(conn: Connection) -> tuple[StoreChoice, ...]:
    """The stores of the tenant the connection reads (for the scope picker)."""
    return tuple(StoreChoice(str(i), str(c), str(n)) for i, c, n in conn.execute(text(
        "SELECT id::text, code, name FROM central.store "
        "WHERE tenant_id = central.current_tenant() ORDER BY code, id")))


def _as_of(conn: Connection, store_id: str | None) -> tuple[str, str | None]:
    """Central's snapshot time and the least recent last push of the tills in scope."""
    row = conn.execute(text(
        "SELECT to_char(transaction_timestamp() AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'), "
        "to_char(min(coalesce(t.last_seen_at, '-infinity')) AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') FROM central.terminal t "
        "WHERE t.tenant_id = central.current_tenant() "
        "AND (CAST(:s AS uuid) IS NULL OR t.store_id = CAST(:s AS uuid))"),
        {"s": store_id}).one()
    oldest = None if row[1] is None or str(row[1]).startswith("-") else str(row[1])
    return str(row[0]), oldest


def central_opener(dsn: str, password: str | None, *, owner_role: str | None = None,
                   tenant_id: str | None = None) -> CentralOpener:
    """Opens central for a shop or store scope: as the till's terminal role (the default:
    ``dsn`` and ``password`` from the till's enrolment) or, with ``owner_role`` or
    ``tenant_id``, as a tenant's owner role entered by an owner's login. Connection faults
    become :class:`CentralOffline` (the scope then shows this till's figures and says so)."""
    as_owner = owner_role is not None or tenant_id is not None

    @contextmanager
    def open_scope(scope: Scope, timezone: str) -> Iterator[CentralRead]:
        store_id = None if scope.store_id is None else check_uuid(scope.store_id, "store")
        try:
            reader: AbstractContextManager[Connection] = (
                owner_connection(dsn, role=owner_role, tenant_id=tenant_id,
                                 password=password)
                if as_owner else tenant_connection(dsn, password))
            with reader as conn:
                as_of, oldest = _as_of(conn, store_id)
                tenant = tenant_of(conn)
                yield CentralRead(conn, central_report_source(timezone=timezone,
                                                              store_id=store_id),
                                  as_of, oldest, tenant.get("name"))
        except CentralUnavailable as exc:
            raise CentralOffline(str(exc), field="central") from None
        except SAOperationalError as exc:
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection lost"
            raise CentralOffline(f"the connection to central broke ({detail})",
                                 field="central") from None

    return open_scope


def till_opener(shop: Shop) -> CentralOpener | None:
    """The opener of this till's own central role, or None when it is not enrolled."""
    from app.enroll import central_credentials

    try:
        creds = central_credentials(shop)
    except Conflict:
        return None
    return central_opener(creds.dsn, creds.password)

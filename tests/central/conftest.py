"""A real PostgreSQL for the central tests: one fresh database per test session.

The superuser DSN comes from WARUNGIN_TEST_PG_DSN (default: postgres on 127.0.0.1:5432,
as ``.ci/postgres.sh`` sets it up). The database gets a random name and is dropped at the
end, with the cluster-wide roles ``central init`` and ``add-terminal`` made for it.

If PostgreSQL cannot be reached these tests FAIL, never skip: CI must prove the tenant
walls, and a silent skip would let a broken machine look green.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import conninfo, sql

from sync.central import admin

SUPERUSER_DSN = os.environ.get("WARUNGIN_TEST_PG_DSN",
                               "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


def _with_db(dsn: str, dbname: str) -> str:
    params = conninfo.conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return conninfo.make_conninfo("", **params)


def _superuser() -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(SUPERUSER_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {SUPERUSER_DSN!r} ({exc}). The central "
                    "tests need a real server: run 'bash .ci/postgres.sh' (installs and "
                    "starts it) or point WARUNGIN_TEST_PG_DSN at a superuser.", pytrace=False)


@dataclass(frozen=True)
class CentralDB:
    name: str
    admin_dsn: str  # superuser, on the test database
    prefix: str

    def connect(self, role: str | None = None, password: str | None = None,
                **kw: Any) -> psycopg.Connection[Any]:
        """A connection to the test database as ``role`` (a LOGIN role), else as admin."""
        params = conninfo.conninfo_to_dict(self.admin_dsn)
        if role is not None:
            params["user"] = role
        if password is not None:
            params["password"] = password
        return psycopg.connect(conninfo.make_conninfo("", **params), **kw)

    def as_role(self, role: str) -> psycopg.Connection[Any]:
        """The superuser, then SET ROLE: how a person granted a NOLOGIN role works."""
        conn = self.connect()
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        conn.commit()
        return conn


@contextmanager
def fresh_central() -> Iterator[CentralDB]:
    """A central database of its own: created, initialised by ``admin.init``, and dropped
    afterwards with the roles it made (the session's ``central_db``, and tests that need
    another or one to downgrade)."""
    name = f"wgtest_{secrets.token_hex(4)}"
    su = _superuser()
    su.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    dsn = _with_db(SUPERUSER_DSN, name)
    prefix = ""
    try:
        prefix = admin.init(dsn).role_prefix
        yield CentralDB(name, dsn, prefix)
    finally:
        su.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        if prefix:
            roles = [r for (r,) in su.execute(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s) "
                "ORDER BY rolname DESC", (prefix + "_",))]
            # Login roles first (they are members of the groups), the groups last.
            roles.sort(key=lambda r: r.endswith(("_owner", "_terminal", "_reader")))
            for role in roles:
                su.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        su.close()


@pytest.fixture(scope="session")
def central_db() -> Iterator[CentralDB]:
    with fresh_central() as db:
        yield db


@dataclass(frozen=True)
class Terminal:
    tenant_id: str
    store_id: str
    terminal_id: str
    role: str
    password: str
    code: str


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    owner_role: str
    store_id: str


def make_tenant(db: CentralDB, name: str) -> Tenant:
    t = admin.add_tenant(db.admin_dsn, name)
    s = admin.add_store(db.admin_dsn, t.tenant_id, "S1", f"{name} pusat")
    return Tenant(t.tenant_id, t.owner_role, s.store_id)


def make_terminal(db: CentralDB, tenant: Tenant, code: str,
                  terminal_id: str | None = None) -> Terminal:
    made = admin.add_terminal(db.admin_dsn, tenant.tenant_id, tenant.store_id, code,
                              terminal_id=terminal_id)
    enrol = admin.EnrolmentCode.decode(made.enrolment_code)
    return Terminal(made.tenant_id, made.store_id, made.terminal_id, made.role,
                    enrol.password, made.enrolment_code)

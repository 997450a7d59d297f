"""``central init`` and the administration commands, against a real PostgreSQL."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from psycopg import conninfo

from app.cli.main import main
from services.errors import BadInput, Conflict, NotFound, Refused
from sync.central import admin, schema
from sync.central.connect import CentralUnavailable, redact_dsn
from tests.central.conftest import CentralDB, make_tenant, make_terminal

FINGERPRINT = {
    "tables": "SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner), c.relacl::text, "
              "c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n "
              "ON n.oid = c.relnamespace WHERE n.nspname = 'central' ORDER BY 1",
    "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default "
               "FROM information_schema.columns WHERE table_schema = 'central' ORDER BY 1, 2",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                   "FROM pg_constraint WHERE connamespace = 'central'::regnamespace "
                   "ORDER BY 1, 2",
    "policies": "SELECT tablename, policyname, cmd, roles::text, qual, with_check "
                "FROM pg_policies WHERE schemaname = 'central' ORDER BY 1, 2",
    "triggers": "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal "
                "ORDER BY 1, 2",
    "functions": "SELECT proname, proacl::text, prosrc FROM pg_proc "
                 "WHERE pronamespace = 'central'::regnamespace ORDER BY 1",
    "schema": "SELECT nspname, pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace "
              "WHERE nspname = 'central'",
    "roles": "SELECT rolname, rolcanlogin, rolinherit, rolbypassrls FROM pg_roles "
             "WHERE starts_with(rolname, (SELECT role_prefix FROM central.installation)) "
             "ORDER BY 1",
    "memberships": "SELECT pg_get_userbyid(roleid), pg_get_userbyid(member) "
                   "FROM pg_auth_members ORDER BY 1, 2",
    "version": "SELECT version_num, (SELECT role_prefix FROM central.installation) "
               "FROM central.alembic_version",
}


def fingerprint(db: CentralDB) -> dict[str, list[tuple[Any, ...]]]:
    with db.connect() as c:
        return {k: c.execute(q).fetchall() for k, q in FINGERPRINT.items()}


def cli(*argv: str) -> dict[str, Any]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    text = out.getvalue()
    result: dict[str, Any] = json.loads(text)
    result["_raw"] = text
    return result


def test_init_twice_changes_nothing(central_db: CentralDB) -> None:
    make_tenant(central_db, "Sebelum")  # a tenant's roles must survive init too
    before = fingerprint(central_db)
    again = admin.init(central_db.admin_dsn)
    assert again.created_roles == ()
    assert again.revision_before == again.revision == schema.HEAD_REVISION
    assert again.role_prefix == central_db.prefix
    assert fingerprint(central_db) == before
    # ...and through the command line as well.
    out = cli("central", "init", "--dsn", central_db.admin_dsn)
    assert out["revision"] == schema.HEAD_REVISION and out["created_roles"] == []
    assert fingerprint(central_db) == before


def test_migrations_build_exactly_the_schema_module(central_db: CentralDB) -> None:
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://", creator=lambda: central_db.connect())
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_schemas": True,
                "version_table_schema": schema.SCHEMA,
                "include_name": lambda name, type_, parent: (
                    name == schema.SCHEMA if type_ == "schema" else
                    not (type_ == "table" and name in schema.NON_TENANT_TABLES))})
            diffs = compare_metadata(ctx, schema.metadata)
    finally:
        engine.dispose()
    assert diffs == []


def test_add_tenant_store_terminal(central_db: CentralDB) -> None:
    dsn = central_db.admin_dsn
    tenant = cli("central", "add-tenant", "--dsn", dsn, "Toko Makmur")
    tid = tenant["tenant_id"]
    store = cli("central", "add-store", "--dsn", dsn, "--tenant", tid, "BDG", "Bandung")
    made = cli("central", "add-terminal", "--dsn", dsn, "--tenant", tid, "--store",
               store["store_id"], "T01")
    code = admin.EnrolmentCode.decode(made["enrolment_code"])
    assert (code.tenant_id, code.store_id, code.terminal_id) == (
        tid, store["store_id"], made["terminal_id"])
    assert code.role == made["role"] and "password" not in conninfo.conninfo_to_dict(code.dsn)
    # The password appears only inside the one-time code, never in clear in the output.
    assert code.password not in made["_raw"] and code.password not in repr(code)
    with central_db.connect() as c:
        role = c.execute("SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = %s",
                         (code.role,)).fetchone()
        assert role is not None and role[0] is True
        assert str(role[1]).startswith("SCRAM-SHA-256$")  # a verifier, not the password
        assert c.execute("SELECT pg_has_role(%s, %s, 'MEMBER')",
                         (code.role, f"{central_db.prefix}_terminal")).fetchone() == (True,)
        row = c.execute("SELECT t.tenant_id::text, t.store_id::text, t.code, t.enrolled_at, "
                        "p.kind FROM central.terminal t JOIN central.principal p "
                        "ON p.role_name = t.role_name WHERE t.id = %s",
                        (code.terminal_id,)).fetchone()
        assert row == (tid, store["store_id"], "T01", None, "terminal")
        owner = c.execute("SELECT tenant_id::text, kind FROM central.principal "
                          "WHERE role_name = %s", (tenant["owner_role"],)).fetchone()
        assert owner == (tid, "owner")
    with psycopg.connect(code.dsn, password=code.password) as c:  # the code connects
        assert c.execute("SELECT central.current_terminal()::text").fetchone() == (
            code.terminal_id,)


def test_administration_refuses_bad_requests(central_db: CentralDB) -> None:
    dsn = central_db.admin_dsn
    tenant = make_tenant(central_db, "Toko Cek")
    with pytest.raises(BadInput):
        admin.add_tenant(dsn, "  ")
    with pytest.raises(BadInput):
        admin.add_store(dsn, "not-a-uuid", "X", "X")
    with pytest.raises(NotFound):
        admin.add_store(dsn, "00000000-0000-4000-8000-000000000000", "X", "X")
    with pytest.raises(Conflict):
        admin.add_store(dsn, tenant.tenant_id, "S1", "again")
    with pytest.raises(NotFound):
        admin.add_terminal(dsn, tenant.tenant_id, "00000000-0000-4000-8000-000000000000", "T")
    make_terminal(central_db, tenant, "T01")
    with pytest.raises(Conflict):
        admin.add_terminal(dsn, tenant.tenant_id, tenant.store_id, "T01")
    with pytest.raises(BadInput):
        admin.EnrolmentCode.decode("WGC1.!!!")


def test_a_terminal_role_cannot_administer(central_db: CentralDB) -> None:
    term = make_terminal(central_db, make_tenant(central_db, "Toko Coba"), "T01")
    code = admin.EnrolmentCode.decode(term.code)
    with pytest.raises(Refused):
        admin.init(conninfo.make_conninfo(code.dsn, password=code.password))


def test_reissued_code_changes_the_password(central_db: CentralDB) -> None:
    term = make_terminal(central_db, make_tenant(central_db, "Toko Ulang"), "T01")
    with central_db.connect() as c:
        before = c.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                           (term.role,)).fetchone()
    again = admin.reissue_code(central_db.admin_dsn, term.terminal_id)
    with central_db.connect() as c:
        after = c.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                          (term.role,)).fetchone()
    assert before != after
    assert admin.EnrolmentCode.decode(again.enrolment_code).password != term.password


def test_unreachable_central_is_a_clear_message_without_password() -> None:
    dsn = "host=127.0.0.1 port=1 dbname=x user=y password=sekret-123 connect_timeout=2"
    with pytest.raises(CentralUnavailable) as caught:
        admin.init(dsn)
    assert "sekret-123" not in str(caught.value)
    assert "cannot connect to central" in str(caught.value)
    assert "sekret" not in redact_dsn("postgresql://u:sekret@h/db")

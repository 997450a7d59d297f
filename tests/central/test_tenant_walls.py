"""Tenant walls at the central PostgreSQL, tried for real with terminals' own roles.

Tenants A and B each get a store, terminals and one row in every table. Terminal A1 then
tries to read, insert, update and delete B's rows, to rewrite its own sales history and
events, and to write as its sibling A2: every attempt fails or touches nothing, while the
same harness inserting A1's own rows succeeds (so failures are the walls, not the tests).
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql
from psycopg.types.json import Jsonb
from sqlalchemy import text

from app.shop import Shop
from sync.central import schema
from sync.push import push_once
from tests.central.conftest import CentralDB, Tenant, Terminal, make_tenant, make_terminal
from tests.sync.push.test_push import enrol

T = schema.TENANT_TABLES
INSERTABLE = (*schema.OWN_TERMINAL_INSERT, *schema.TERMINAL_UPSERT_TABLES,
              *schema.TERMINAL_APPEND_TABLES)
NOT_INSERTABLE = tuple(t for t in T if t not in INSERTABLE)
OWN_TERMINAL_ONLY = (*schema.OWN_TERMINAL_INSERT, "product_price", "change_log")
TERMINAL_COLUMN = {"change_log": "origin_terminal_id"}


_PERIODS = itertools.count(1)  # one accounting period per seeded terminal, never the same


def _id() -> str:
    return str(uuid.uuid4())


def seed(db: CentralDB, term: Terminal) -> None:
    """One row in every table for the terminal's tenant, written by the terminal itself
    where terminals write, else by the administrator."""
    tid, me, st = term.tenant_id, term.terminal_id, term.store_id
    ids = {k: _id() for k in ("event", "sale", "line", "pay", "refund", "rline", "move",
                              "entry", "cust", "cat", "prod", "price", "user", "payable")}
    now = "2026-12-01T03:00:00+00:00"
    with db.connect(term.role, term.password) as c:
        ins = _inserter(c)
        ins("event", event_id=ids["event"], tenant_id=tid, terminal_id=me, seq=1,
            type="sale.completed", schema_version=1, payload=Jsonb({"k": 1}))
        ins("quarantine", tenant_id=tid, event_id=ids["event"], terminal_id=me,
            reason="test")
        ins("sale", tenant_id=tid, id=ids["sale"], terminal_id=me, store_id=st, seq=1,
            receipt_no=f"S1-{me[-8:]}-000001", shift_id=_id(), cashier_id=_id(),
            created_at=now, subtotal=10000, discount_total=0, net_total=10000, tax_total=0,
            total=10000, rounding=0, payable=10000, change=0, status="completed")
        ins("sale_line", tenant_id=tid, id=ids["line"], terminal_id=me, sale_id=ids["sale"],
            line_no=1, product_id=ids["prod"], sku="SKU1", name="Teh", unit="pcs",
            qty_milli=1000, list_price=10000, unit_price=10000, line_discount=0,
            order_discount=0, gross=10000, net=10000, tax=0, cost=6000, tax_class="EXEMPT")
        ins("payment", tenant_id=tid, id=ids["pay"], terminal_id=me, sale_id=ids["sale"],
            method="cash", amount=10000, tendered=10000, change=0, status="settled")
        ins("refund", tenant_id=tid, id=ids["refund"], terminal_id=me, store_id=st, seq=1,
            refund_no=f"S1-{me[-8:]}-R00001", sale_id=ids["sale"], shift_id=_id(),
            user_id=_id(), approved_by=_id(), reason="rusak", method="cash", gross=10000,
            net=10000, tax=0, cost=6000, created_at=now)
        ins("refund_line", tenant_id=tid, id=ids["rline"], terminal_id=me,
            refund_id=ids["refund"], sale_line_id=ids["line"], qty_milli=1000, gross=10000,
            net=10000, tax=0, cost=6000)
        ins("stock_movement", tenant_id=tid, id=ids["move"], terminal_id=me, store_id=st,
            product_id=ids["prod"], qty_milli=-1000, kind="sale", ref_id=ids["sale"],
            unit_cost=6000, created_at=now)
        ins("journal_entry", tenant_id=tid, id=ids["entry"], terminal_id=me, store_id=st,
            kind="sale", ref_id=ids["sale"], memo="x", created_at=now)
        ins("journal_line", tenant_id=tid, entry_id=ids["entry"], line_no=1, terminal_id=me,
            account_code="1000", debit=10000, credit=0)
        ins("journal_line", tenant_id=tid, entry_id=ids["entry"], line_no=2, terminal_id=me,
            account_code="4000", debit=0, credit=10000)
        ins("customer", tenant_id=tid, id=ids["cust"], name_enc="v1:ct", phone_enc="v1:ct",
            phone_index="abc", created_at=now, updated_at=now)
        ins("category", tenant_id=tid, id=ids["cat"], name="Minuman")
        ins("product", tenant_id=tid, id=ids["prod"], sku=f"SKU-{me[-8:]}", name="Teh",
            category_id=ids["cat"], price=10000, cost=6000, tax_class="EXEMPT")
        ins("product_price", tenant_id=tid, id=ids["price"], product_id=ids["prod"],
            price=10000, cost=6000, terminal_id=me)
        ins("barcode", tenant_id=tid, code=f"899{me[-8:]}", product_id=ids["prod"])
        ins("device_token", tenant_id=tid, id=_id(), owner_type="customer",
            owner_id=ids["cust"], token=f"fcm-{me}", platform="android", last_seen_at=now,
            updated_at=now)
        ins("expense_category", tenant_id=tid, code=f"listrik{me[-8:]}", name="Listrik",
            account_code="6-1101")
        ins("payable", tenant_id=tid, id=ids["payable"], terminal_id=me, store_id=st,
            supplier="PLN", source="expense", amount=50000, created_at=now)
        ins("expense", tenant_id=tid, id=_id(), terminal_id=me, store_id=st,
            category_code=f"listrik{me[-8:]}", payee="PLN", amount=50000, paid_from="owed",
            payable_id=ids["payable"], entry_id=_id(), spent_on="2026-12-01", created_at=now)
        ins("payable_payment", tenant_id=tid, id=_id(), terminal_id=me, store_id=st,
            payable_id=ids["payable"], amount=20000, paid_from="bank", entry_id=_id(),
            created_at=now)
        ins("loyalty_entry", tenant_id=tid, id=_id(), terminal_id=me, store_id=st,
            customer_id=ids["cust"], kind="adjust", points=10, approver_id=_id(),
            created_at=now)
        ins("consent_event", tenant_id=tid, id=_id(), terminal_id=me, customer_id=ids["cust"],
            granted=True, source="till", actor=_id(), created_at=now)
        ins("customer_tombstone", tenant_id=tid, customer_id=_id(), terminal_id=me,
            event_id=_id(), erased_at=now)
        ins("daily_summary_claim", tenant_id=tid, store_id=st, day="2026-12-01",
            recipient=f"r{me[-8:]}", terminal_id=me)
        c.commit()
    with db.connect() as c:
        ins = _inserter(c)
        ins("users", tenant_id=tid, id=ids["user"], name=f"Sari {me[-8:]}", role="cashier",
            pin_hash="scrypt$...")
        ins("store_setting", tenant_id=tid, store_id=st, key=f"rounding_unit.{me[-8:]}", value="100")
        ins("accounting_period", tenant_id=tid, period=f"{2000 + next(_PERIODS)}-11",
            starts_at="2026-10-31T17:00:00+00:00", ends_at="2026-11-30T17:00:00+00:00",
            state="soft", closed_at=now)
        c.commit()


def _inserter(conn: psycopg.Connection[Any]) -> Any:
    def ins(table: str, **values: Any) -> int:
        q = sql.SQL("INSERT INTO central.{} ({}) VALUES ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, values)),
            sql.SQL(", ").join(sql.Placeholder() * len(values)))
        return conn.execute(q, list(values.values())).rowcount
    return ins


@dataclass(frozen=True)
class World:
    db: CentralDB
    a: Tenant
    b: Tenant
    a1: Terminal
    a2: Terminal
    b1: Terminal


@pytest.fixture(scope="module")
def world(central_db: CentralDB) -> World:
    a, b = make_tenant(central_db, "Toko A"), make_tenant(central_db, "Toko B")
    a1, a2 = make_terminal(central_db, a, "T01"), make_terminal(central_db, a, "T02")
    b1 = make_terminal(central_db, b, "T01")
    for term in (a1, a2, b1):
        seed(central_db, term)
    return World(central_db, a, b, a1, a2, b1)


@pytest.fixture
def a1(world: World) -> Iterator[psycopg.Connection[Any]]:
    conn = world.db.connect(world.a1.role, world.a1.password)
    yield conn
    conn.rollback()
    conn.close()


def _rows_of(db: CentralDB, table: str, tenant_id: str) -> list[str]:
    """The tenant's rows as the administrator sees them (to prove nothing changed)."""
    with db.connect() as c:
        return sorted(json.dumps(r[0], sort_keys=True) for r in c.execute(
            sql.SQL("SELECT to_jsonb(t) FROM central.{} t WHERE tenant_id = %s").format(
                sql.Identifier(table)), (tenant_id,)))


def _copy_of(db: CentralDB, table: str, tenant_id: str, terminal_id: str | None = None
             ) -> dict[str, Any]:
    """One existing row of the tenant with fresh keys, ready to insert again."""
    with db.connect() as c:
        where = sql.SQL("tenant_id = %s")
        args: list[Any] = [tenant_id]
        col = TERMINAL_COLUMN.get(table, "terminal_id")
        if terminal_id is not None and table not in ("terminal", "principal"):
            has = c.execute("SELECT 1 FROM information_schema.columns WHERE "
                            "table_schema = 'central' AND table_name = %s AND column_name = %s",
                            (table, col)).fetchone()
            if has:
                where = sql.SQL("tenant_id = %s AND {} = %s").format(sql.Identifier(col))
                args.append(terminal_id)
        row = c.execute(sql.SQL("SELECT to_jsonb(t) FROM central.{} t WHERE {} LIMIT 1")
                        .format(sql.Identifier(table), where), args).fetchone()
    assert row is not None, f"no seeded row in {table}"
    data: dict[str, Any] = dict(row[0])
    fresh = _id()
    for key in ("id", "event_id", "tenant_id" if table == "tenant" else ""):
        if key in data:
            data[key] = _id()
    for key in ("code", "receipt_no", "refund_no", "sku", "name", "key", "role_name"):
        if key in data:
            data[key] = f"x{fresh[:8]}"
    for key in ("seq", "line_no"):
        if key in data:
            data[key] = int(fresh[:6], 16) + 100
    data.pop("id", None) if table == "change_log" else None
    if table == "customer_tombstone":  # keyed by the customer it names
        data["customer_id"] = _id()
    if table == "daily_summary_claim":  # keyed by store, day and recipient
        data["recipient"] = f"r{fresh[:12]}"
    return data


def _insert_json(conn: psycopg.Connection[Any], table: str, data: dict[str, Any]) -> None:
    cols = sql.SQL(", ").join(map(sql.Identifier, data))
    conn.execute(sql.SQL("INSERT INTO central.{t} ({c}) SELECT {c} FROM "
                         "jsonb_populate_record(NULL::central.{t}, %s)").format(
        t=sql.Identifier(table), c=cols), (Jsonb(data),))


def _refused(conn: psycopg.Connection[Any], statement: sql.Composable | str,
             args: Any = None) -> None:
    """The statement must be refused by privileges or row-level security (SQLSTATE 42501)."""
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(statement, args)
    conn.rollback()


# --- the harness works: A1 may insert its own rows where terminals write --------------------

@pytest.mark.parametrize("table", INSERTABLE)
def test_a_terminal_inserts_its_own_rows(world: World, a1: psycopg.Connection[Any],
                                         table: str) -> None:
    data = _copy_of(world.db, table, world.a.tenant_id, world.a1.terminal_id)
    if table == "quarantine":  # its key is an event of its own
        _insert_json(a1, "event", {**_copy_of(world.db, "event", world.a.tenant_id,
                                              world.a1.terminal_id),
                                   "event_id": data["event_id"]})
    _insert_json(a1, table, data)
    a1.rollback()


# --- SELECT ------------------------------------------------------------------------------------

@pytest.mark.parametrize("table", T)
def test_no_terminal_reads_another_tenant(world: World, a1: psycopg.Connection[Any],
                                          table: str) -> None:
    assert _rows_of(world.db, table, world.b.tenant_id), "tenant B must have rows to hide"
    q = sql.SQL("SELECT tenant_id::text, count(*) FROM central.{} GROUP BY 1").format(
        sql.Identifier(table))
    seen = dict(a1.execute(q).fetchall())
    assert set(seen) == {world.a.tenant_id}  # its own tenant, and only that
    named = a1.execute(sql.SQL("SELECT count(*) FROM central.{} WHERE tenant_id = %s")
                       .format(sql.Identifier(table)), (world.b.tenant_id,)).fetchone()
    assert named == (0,)


def test_a_terminal_sees_only_its_own_principal(world: World,
                                                a1: psycopg.Connection[Any]) -> None:
    rows = a1.execute("SELECT role_name FROM central.principal").fetchall()
    assert rows == [(world.a1.role,)]
    assert a1.execute("SELECT central.current_tenant()::text, "
                      "central.current_terminal()::text").fetchone() == (
        world.a.tenant_id, world.a1.terminal_id)


# --- INSERT ------------------------------------------------------------------------------------

@pytest.mark.parametrize("table", T)
def test_no_terminal_inserts_into_another_tenant(world: World, a1: psycopg.Connection[Any],
                                                 table: str) -> None:
    before = _rows_of(world.db, table, world.b.tenant_id)
    # A copy of B's row, and a copy of A1's own row relabelled as B's: both refused.
    theirs = _copy_of(world.db, table, world.b.tenant_id)
    with pytest.raises(errors.InsufficientPrivilege):
        _insert_json(a1, table, theirs)
    a1.rollback()
    mine = _copy_of(world.db, table, world.a.tenant_id, world.a1.terminal_id)
    with pytest.raises(errors.InsufficientPrivilege):
        _insert_json(a1, table, {**mine, "tenant_id": world.b.tenant_id})
    a1.rollback()
    assert _rows_of(world.db, table, world.b.tenant_id) == before


@pytest.mark.parametrize("table", OWN_TERMINAL_ONLY)
def test_no_terminal_writes_as_another_terminal(world: World, a1: psycopg.Connection[Any],
                                                table: str) -> None:
    """Same tenant, sibling terminal's id: refused (events, sales, logs name their writer)."""
    data = _copy_of(world.db, table, world.a.tenant_id, world.a1.terminal_id)
    data[TERMINAL_COLUMN.get(table, "terminal_id")] = world.a2.terminal_id
    with pytest.raises(errors.InsufficientPrivilege):
        _insert_json(a1, table, data)
    a1.rollback()


def test_an_event_claiming_another_terminal_is_refused(world: World,
                                                       a1: psycopg.Connection[Any]) -> None:
    for tenant, terminal in ((world.a.tenant_id, world.a2.terminal_id),
                             (world.b.tenant_id, world.b1.terminal_id),
                             (world.b.tenant_id, world.a1.terminal_id)):
        _refused(a1, "INSERT INTO central.event (event_id, tenant_id, terminal_id, seq, type, "
                     "schema_version, payload) VALUES (%s, %s, %s, 99, 'x', 1, '{}')",
                 (_id(), tenant, terminal))


@pytest.mark.parametrize("table", NOT_INSERTABLE)
def test_read_only_tables_refuse_any_insert(world: World, a1: psycopg.Connection[Any],
                                            table: str) -> None:
    data = _copy_of(world.db, table, world.a.tenant_id, world.a1.terminal_id)
    with pytest.raises(errors.InsufficientPrivilege):
        _insert_json(a1, table, data)
    a1.rollback()


# --- UPDATE and DELETE -------------------------------------------------------------------------

@pytest.mark.parametrize("table", T)
def test_no_terminal_updates_or_deletes_another_tenant(world: World,
                                                       a1: psycopg.Connection[Any],
                                                       table: str) -> None:
    before = _rows_of(world.db, table, world.b.tenant_id)
    t = sql.Identifier(table)
    b = world.b.tenant_id
    # Where A1 may update (catalogue, customers, its own terminal row) B's rows are simply
    # invisible: 0 rows. Everywhere else the privilege is missing. Either way: no change.
    setter = {"terminal": "last_seq = 999", "customer": "credit_limit = 1",
              "product": "price = 1", "category": "name = 'x'", "barcode": "product_id = "
              "product_id"}.get(table, "tenant_id = tenant_id")
    try:
        n = a1.execute(sql.SQL("UPDATE central.{} SET " + setter + " WHERE tenant_id = %s")
                       .format(t), (b,)).rowcount
        assert n == 0
        a1.commit()
    except errors.InsufficientPrivilege:
        a1.rollback()
    _refused(a1, sql.SQL("DELETE FROM central.{} WHERE tenant_id = %s").format(t), (b,))
    _refused(a1, sql.SQL("DELETE FROM central.{}").format(t))
    _refused(a1, sql.SQL("TRUNCATE central.{} CASCADE").format(t))
    assert _rows_of(world.db, table, world.b.tenant_id) == before


@pytest.mark.parametrize("table", ("event", *schema.HISTORY_TABLES))
def test_no_terminal_rewrites_its_own_sales_history(world: World,
                                                    a1: psycopg.Connection[Any],
                                                    table: str) -> None:
    before = _rows_of(world.db, table, world.a.tenant_id)
    t = sql.Identifier(table)
    me = world.a1.terminal_id
    money = {"sale": "total = 0", "sale_line": "qty_milli = 0", "payment": "amount = 0",
             "refund": "gross = 0", "refund_line": "gross = 0", "stock_movement":
             "qty_milli = 0", "journal_entry": "memo = 'x'", "journal_line": "debit = 0",
             "event": "schema_version = 0", "expense": "amount = 1", "payable": "amount = 1",
             "payable_payment": "amount = 1", "loyalty_entry": "points = 0"}[table]
    _refused(a1, sql.SQL("UPDATE central.{} SET " + money + " WHERE terminal_id = %s")
             .format(t), (me,))
    _refused(a1, sql.SQL("DELETE FROM central.{} WHERE terminal_id = %s").format(t), (me,))
    # Nor through an upsert that would overwrite an existing row.
    row = _copy_of(world.db, table, world.a.tenant_id, me)
    key = {"event": "tenant_id, event_id", "journal_line": "tenant_id, entry_id, line_no"}.get(
        table, "tenant_id, id")
    with world.db.connect() as c:  # the existing row's key
        orig = c.execute(sql.SQL("SELECT to_jsonb(t) FROM central.{} t WHERE terminal_id = %s"
                                 " LIMIT 1").format(t), (me,)).fetchone()
    assert orig is not None
    clash = {**row, **{k.strip(): orig[0][k.strip()] for k in key.split(",")}}
    cols = sql.SQL(", ").join(map(sql.Identifier, clash))
    _refused(a1, sql.SQL("INSERT INTO central.{t} ({c}) SELECT {c} FROM jsonb_populate_record("
                         "NULL::central.{t}, %s) ON CONFLICT (" + key + ") DO UPDATE SET "
                         "terminal_id = excluded.terminal_id").format(t=t, c=cols),
             (Jsonb(clash),))
    assert _rows_of(world.db, table, world.a.tenant_id) == before


def test_upserted_rows_cannot_be_moved_to_another_tenant(world: World,
                                                         a1: psycopg.Connection[Any]) -> None:
    for table in schema.TERMINAL_UPSERT_TABLES:
        _refused(a1, sql.SQL("UPDATE central.{} SET tenant_id = %s WHERE tenant_id = %s")
                 .format(sql.Identifier(table)), (world.b.tenant_id, world.a.tenant_id))


def test_a_terminal_updates_only_its_own_clone_guard(world: World,
                                                     a1: psycopg.Connection[Any]) -> None:
    me, sibling = world.a1.terminal_id, world.a2.terminal_id
    assert a1.execute("UPDATE central.terminal SET last_seq = 5, enrolled_at = now() "
                      "WHERE id = %s", (me,)).rowcount == 1
    assert a1.execute("UPDATE central.terminal SET last_seq = 5 WHERE id = %s",
                      (sibling,)).rowcount == 0
    a1.rollback()
    _refused(a1, "UPDATE central.terminal SET store_id = store_id WHERE id = %s", (me,))
    _refused(a1, "UPDATE central.terminal SET role_name = 'x' WHERE id = %s", (me,))


# --- what the catalogue side may do, and what it leaves for the pull --------------------------

def test_catalogue_upsert_within_the_tenant_logs_changes(world: World,
                                                         a1: psycopg.Connection[Any]) -> None:
    pid = _id()
    for price in (12000, 13000):
        a1.execute("INSERT INTO central.product (tenant_id, id, sku, name, price, tax_class) "
                   "VALUES (%s, %s, 'SKU-UP', 'Kopi', %s, 'STD') ON CONFLICT (tenant_id, id) "
                   "DO UPDATE SET price = excluded.price", (world.a.tenant_id, pid, price))
    logged = a1.execute("SELECT op, row_key, origin_terminal_id::text FROM central.change_log "
                        "WHERE table_name = 'product' AND row_key = %s ORDER BY xid, id",
                        (Jsonb({"id": pid}),)).fetchall()
    assert logged == [("insert", {"id": pid}, world.a1.terminal_id),
                      ("update", {"id": pid}, world.a1.terminal_id)]
    horizon = a1.execute("SELECT central.pull_horizon(), pg_current_xact_id()").fetchone()
    assert horizon is not None and int(str(horizon[0])) <= int(str(horizon[1]))
    a1.rollback()


# --- the catalogue of the database itself -----------------------------------------------------

def test_every_tenant_table_forces_rls_and_has_policies(world: World) -> None:
    with world.db.connect() as c:
        rows = c.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "(SELECT count(*) FROM pg_policies p WHERE p.schemaname = n.nspname "
            " AND p.tablename = c.relname) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'central' AND c.relkind IN ('r', 'p')").fetchall()
        with_tenant = {r[0] for r in c.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'central' "
            "AND column_name = 'tenant_id'")}
    tables = {r[0]: r[1:] for r in rows}
    # No table can dodge the check: the set is exactly the declared one.
    assert set(tables) == set(T) | set(schema.NON_TENANT_TABLES)
    for name in T:
        rls, force, policies = tables[name]
        assert rls and force and policies >= 1, name
        assert name in with_tenant, name


def test_tables_belong_to_a_role_no_terminal_can_become(world: World) -> None:
    owner = f"{world.db.prefix}_owner"
    with world.db.connect() as c:
        owners = {r[0] for r in c.execute(
            "SELECT pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'central' AND c.relkind = 'r' "
            "AND c.relname <> 'installation'")}
        assert owners == {owner}
        login, bypass = c.execute("SELECT rolcanlogin, rolbypassrls FROM pg_roles "
                                  "WHERE rolname = %s", (owner,)).fetchone() or (None, None)
        assert login is False and bypass is False
        for term in (world.a1, world.b1):
            assert owner != term.role
            member = c.execute("SELECT pg_has_role(%s, %s, 'MEMBER')",
                               (term.role, owner)).fetchone()
            assert member == (False,)


def test_a_terminal_cannot_escape_its_role(world: World, a1: psycopg.Connection[Any]) -> None:
    _refused(a1, sql.SQL("SET ROLE {}").format(sql.Identifier(f"{world.db.prefix}_owner")))
    _refused(a1, sql.SQL("SET ROLE {}").format(sql.Identifier(world.a.owner_role)))
    _refused(a1, sql.SQL("SET ROLE {}").format(sql.Identifier(world.b1.role)))
    _refused(a1, "SELECT * FROM central.installation")
    _refused(a1, "CREATE TABLE central.mine (x int)")
    _refused(a1, "ALTER TABLE central.sale DISABLE ROW LEVEL SECURITY")
    _refused(a1, "DROP POLICY tenant_read ON central.sale")
    _refused(a1, "CREATE ROLE sneaky LOGIN")


# --- the tenant owner role --------------------------------------------------------------------

def test_a_tenant_owner_reads_the_whole_tenant_and_writes_nothing(world: World) -> None:
    conn = world.db.as_role(world.a.owner_role)
    try:
        terminals = {r[0] for r in conn.execute(
            "SELECT terminal_id::text FROM central.sale")}
        assert terminals == {world.a1.terminal_id, world.a2.terminal_id}
        for table in T:
            tenants = {r[0] for r in conn.execute(sql.SQL(
                "SELECT DISTINCT tenant_id::text FROM central.{}").format(sql.Identifier(table)))}
            assert tenants <= {world.a.tenant_id}, table
        conn.commit()
        _refused(conn, "UPDATE central.product SET price = 1")
        _refused(conn, "INSERT INTO central.category (tenant_id, id, name) VALUES (%s, %s, 'x')",
                 (world.a.tenant_id, _id()))
        _refused(conn, "DELETE FROM central.sale")
    finally:
        conn.close()


# --- the stock-level view (c0003) ---------------------------------------------------------------

def test_stock_levels_at_central_are_the_tenants_own_and_flag_negative_stock(
        world: World, a1: psycopg.Connection[Any]) -> None:
    """Each seeded terminal sold one piece of its own product with no stock received: the
    view derives -1 from the movements and flags it; tenant A's terminal sees A's two
    products (its own and its neighbour's), never tenant B's; the view cannot be written."""
    rows = a1.execute("SELECT tenant_id::text, qty_milli, negative, movements "
                      "FROM central.stock_level").fetchall()
    assert {r[0] for r in rows} == {world.a.tenant_id}
    assert len(rows) == 2 and all(r[1:] == (-1000, True, 1) for r in rows)
    with pytest.raises((errors.InsufficientPrivilege, errors.ObjectNotInPrerequisiteState)):
        a1.execute("DELETE FROM central.stock_level")
    a1.rollback()
    with world.db.connect() as admin:  # the administrator sees both tenants, summed the same
        total = admin.execute("SELECT sum(qty_milli), bool_and(negative) FROM "
                              "central.stock_level WHERE tenant_id IN (%s, %s)",
                              (world.a.tenant_id, world.b.tenant_id)).fetchone()
    assert total == (-3000, True)


# --- event identity never crosses the wall (issue 10, "At central") ---------------------------

def _event_row(tenant: str, terminal: str, event_id: str, seq: int) -> dict[str, Any]:
    return {"event_id": event_id, "tenant_id": tenant, "terminal_id": terminal, "seq": seq,
            "type": "sale.completed", "schema_version": 1, "payload": {"k": 1}}


def _push_insert(conn: psycopg.Connection[Any], row: dict[str, Any]) -> bool:
    """The push's own event insert (sync.push._insert_event): True when the row went in."""
    return conn.execute(
        "INSERT INTO central.event (event_id, tenant_id, terminal_id, seq, type, "
        "schema_version, payload) VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (tenant_id, event_id) DO NOTHING RETURNING 1",
        (row["event_id"], row["tenant_id"], row["terminal_id"], row["seq"], row["type"],
         row["schema_version"], Jsonb(row["payload"]))).fetchone() is not None


def test_another_tenants_event_id_is_no_oracle(world: World,
                                               a1: psycopg.Connection[Any]) -> None:
    """Terminal A1 offers tenant B's existing event id as its own event (and quarantines it):
    the answer is exactly the one a never-used id gets. Under a global ``event_id`` key this
    raised ``duplicate key ... "pk_event"``: a yes/no answer about B's events."""
    with world.db.connect() as c:
        got = c.execute("SELECT event_id::text FROM central.quarantine WHERE tenant_id = %s "
                        "LIMIT 1", (world.b.tenant_id,)).fetchone()
    assert got is not None
    theirs = got[0]
    before = {t: _rows_of(world.db, t, world.b.tenant_id) for t in ("event", "quarantine")}
    me, tid = world.a1.terminal_id, world.a.tenant_id
    for event_id, seq in ((_id(), 900_001), (theirs, 900_002)):
        _insert_json(a1, "event", _event_row(tid, me, event_id, seq))
        _insert_json(a1, "quarantine", {"tenant_id": tid, "event_id": event_id,
                                        "terminal_id": me, "reason": "probe"})
        a1.rollback()
        assert _push_insert(a1, _event_row(tid, me, event_id, seq))
        a1.rollback()
    assert {t: _rows_of(world.db, t, world.b.tenant_id) for t in before} == before


def test_another_tenant_cannot_block_a_push_by_taking_its_event_ids(
        world: World, shop: Shop) -> None:
    """Terminal A1 learns the ids of tenant B's *pending* events and inserts them first as
    its own. B's push still goes through, whole: under a global key it was refused as
    "this till's database is a copy" for ever after. Within one tenant the clone guard
    stays (tests/sync/push/test_push.py::test_a_copied_database_is_refused_not_merged)."""
    link, term = enrol(world.db, shop, "Toko Korban")
    with shop.uow(write=False) as uow:
        pending = [(str(e), int(s)) for e, s in uow.conn.execute(text(
            "SELECT id, seq FROM outbox WHERE status = 'pending' ORDER BY seq"))]
    assert pending
    with world.db.connect(world.a1.role, world.a1.password) as a1:
        for n, (event_id, _seq) in enumerate(pending):
            _insert_json(a1, "event", _event_row(world.a.tenant_id, world.a1.terminal_id,
                                                 event_id, 800_000 + n))
        a1.commit()
    report = push_once(shop.db, link)
    assert (report.sent, report.quarantined) == (len(pending), 0)
    with world.db.connect() as c:
        held = {(str(e), int(s)) for e, s in c.execute(
            "SELECT event_id::text, seq FROM central.event WHERE tenant_id = %s "
            "AND terminal_id = %s", (term.tenant_id, term.terminal_id))}
        squatted = c.execute("SELECT count(*) FROM central.event WHERE tenant_id = %s "
                             "AND event_id = ANY(%s)", (world.a.tenant_id,
                                                        [e for e, _ in pending])).fetchone()
    assert held == set(pending)
    assert squatted == (len(pending),)  # A1's rows are A's own business, untouched


def test_every_key_a_terminal_can_collide_on_includes_the_tenant(world: World) -> None:
    """A unique index is checked without row-level security: one without tenant_id on a table
    a terminal inserts into would answer "exists" about another tenant's rows (and let a
    terminal squat on their keys). So every primary key and unique constraint there names
    tenant_id (event and quarantine did not until c0004)."""
    with world.db.connect() as c:
        keys = c.execute(
            "SELECT cl.relname, con.conname, array_agg(a.attname::text ORDER BY a.attname) "
            "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
            "JOIN pg_namespace n ON n.oid = cl.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = ANY(con.conkey) "
            "WHERE n.nspname = 'central' AND con.contype IN ('p', 'u') "
            "GROUP BY cl.relname, con.conname").fetchall()
        identity = {r[0] for r in c.execute(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = 'central' AND is_identity = 'YES'")}
    checked = 0
    for table, name, cols in keys:
        if table not in INSERTABLE:
            continue
        checked += 1
        # change_log's key is a number central makes itself (GENERATED ALWAYS).
        if cols == ["id"] and f"{table}.id" in identity:
            continue
        assert "tenant_id" in cols, (table, name, cols)
    assert checked >= len(INSERTABLE)

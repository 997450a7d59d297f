"""The pull against real PostgreSQL and real SQLite files: a demo shop enrolled into
central; changes made at central (by the administrator or another terminal of the tenant)
come down to the till, page and cursor in one local transaction, and a transaction that
commits late is never skipped."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from services.crypto import FieldCipher
from sync import pull as pull_mod
from sync.pull import SETTING_CURSOR, PullCursor, PullReport, pull_once, pull_status
from sync.push import CentralLink, push_once
from tests.central.conftest import CentralDB, Tenant, Terminal, make_terminal
from tests.sync.push.test_push import enrol


@dataclass
class Till:
    shop: Shop
    link: CentralLink
    term: Terminal
    cipher: FieldCipher
    db: CentralDB

    def pull(self, *, settle: bool = True, **kw: Any) -> PullReport:
        if settle:
            self.settle()
        return pull_once(self.shop.db, self.link, cipher=self.cipher, **kw)

    def settle(self, timeout_s: float = 20.0) -> None:
        """Wait until every transaction that began before now has ended. The horizon is
        cluster-wide: another session's open transaction on the same server (someone else's
        tests) holds it back for a moment, which would make a pull legitimately empty."""
        with self.db.connect(autocommit=True) as c:
            (mark,) = c.execute("SELECT pg_current_xact_id()::text").fetchone() or ("0",)
            deadline = time.monotonic() + timeout_s
            while not (c.execute("SELECT central.pull_horizon() > %s::xid8", (mark,))
                       .fetchone() or (False,))[0]:
                assert time.monotonic() < deadline, "a transaction on the server stays open"
                time.sleep(0.05)

    def local(self, sql: str, **params: Any) -> Any:
        with self.shop.uow(write=False) as uow:
            return uow.conn.execute(text(sql), params).all()

    def admin(self) -> psycopg.Connection[Any]:
        return self.db.connect()

    def product_id(self, sku: str) -> str:
        return str(self.local("SELECT id FROM product WHERE sku = :s", s=sku)[0][0])


@pytest.fixture
def till(central_db: CentralDB, shop: Shop) -> Iterator[Till]:
    link, term = enrol(central_db, shop, f"Toko Pull {uuid.uuid4().hex[:6]}")
    push_once(shop.db, link)  # the demo catalogue goes up; its echoes must not come back
    t = Till(shop, link, term, cipher_for(shop), central_db)
    first = t.pull()
    # Everything central holds so far was written by this terminal: all echoes.
    assert first.applied == 0 and first.own_echoes == first.changes > 0
    yield t


def _price(t: Till, sku: str) -> int:
    return int(t.local("SELECT price FROM product WHERE sku = :s", s=sku)[0][0])


def _log_ids(c: psycopg.Connection[Any], tenant: str, product_id: str) -> list[int]:
    return [int(i) for (i,) in c.execute(
        "SELECT id FROM central.change_log WHERE tenant_id = %s AND table_name = 'product' "
        "AND row_key ->> 'id' = %s ORDER BY id", (tenant, product_id))]


def test_central_changes_arrive_then_nothing_then_tombstones(till: Till) -> None:
    t, term = till, till.term
    tax = str(t.local("SELECT tax_class FROM product WHERE sku = 'MI-0001'")[0][0])
    cat, prod, user, cust = (str(uuid.uuid4()) for _ in range(4))
    name_enc = t.cipher.encrypt("Ibu Pusat", record_id=cust, field="name")
    with t.admin() as c:
        c.execute("INSERT INTO central.category (tenant_id, id, name) VALUES (%s, %s, %s)",
                  (term.tenant_id, cat, "Sembako Pusat"))
        c.execute("INSERT INTO central.product (tenant_id, id, sku, name, category_id, price, "
                  "cost, tax_class) VALUES (%s, %s, 'PST-1', 'Beras Pusat 5 kg', %s, 72000, "
                  "65000, %s)", (term.tenant_id, prod, cat, tax))
        c.execute("INSERT INTO central.product_price (tenant_id, id, product_id, price, cost) "
                  "VALUES (%s, %s, %s, 72000, 65000)", (term.tenant_id, str(uuid.uuid4()), prod))
        c.execute("INSERT INTO central.barcode (tenant_id, code, product_id) "
                  "VALUES (%s, '8990000000017', %s)", (term.tenant_id, prod))
        c.execute("INSERT INTO central.users (tenant_id, id, name, role, pin_hash) VALUES "
                  "(%s, %s, 'Sari', 'cashier', 'scrypt$fake$hash')", (term.tenant_id, user))
        c.execute("INSERT INTO central.store_setting (tenant_id, store_id, key, value) VALUES "
                  "(%s, %s, 'receipt.footer', 'Terima kasih dari pusat'), "
                  "(%s, %s, 'sync.pull_cursor', '999:999')",  # local-only: never applied
                  (term.tenant_id, term.store_id, term.tenant_id, term.store_id))
        c.execute("INSERT INTO central.customer (tenant_id, id, name_enc, credit_limit, "
                  "created_at, updated_at) VALUES (%s, %s, %s, 50000, now(), now())",
                  (term.tenant_id, cust, name_enc))
    # Another terminal of the tenant edits a demo product (RLS applies: SET ROLE).
    other = make_terminal(t.db, Tenant(term.tenant_id, "", term.store_id), "T02")
    mi = t.product_id("MI-0001")
    with t.db.as_role(other.role) as c:
        c.execute("UPDATE central.product SET price = 3900 WHERE id = %s", (mi,))
        c.commit()

    report = t.pull(page_size=3)  # several pages
    assert report.pages >= 3 and report.history_only == 1
    assert report.not_for_this_till == 1  # the local-only setting
    assert t.local("SELECT p.sku, p.name, p.price, p.cost, p.active, c.name FROM product p "
                   "JOIN category c ON c.id = p.category_id WHERE p.id = :i", i=prod) == [
        ("PST-1", "Beras Pusat 5 kg", 72000, 65000, 1, "Sembako Pusat")]
    assert t.local("SELECT product_id FROM barcode WHERE code = '8990000000017'") == [(prod,)]
    assert t.local('SELECT name, role, pin_hash, active FROM "user" WHERE id = :i', i=user) == [
        ("Sari", "cashier", "scrypt$fake$hash", 1)]
    assert t.local("SELECT value FROM setting WHERE key = 'receipt.footer'") == [
        ("Terima kasih dari pusat",)]
    assert t.local("SELECT name, credit_limit FROM customer WHERE id = :i", i=cust) == [
        ("Ibu Pusat", 50000)]
    assert _price(t, "MI-0001") == 3900
    cursor = PullCursor.parse(t.local("SELECT value FROM setting WHERE key = :k",
                                      k=SETTING_CURSOR)[0][0])
    assert cursor > PullCursor(0, 0) and str(cursor) == report.cursor

    again = t.pull()
    assert (again.pages, again.changes, again.applied) == (0, 0, 0)
    status = pull_status(t.shop.db)
    assert status["pull_cursor"] == report.cursor and status["pulled_total"] == report.applied

    # Tombstones: the product is deactivated (history points at it), the barcode deleted.
    with t.admin() as c:
        for table, where in (("product", "id = %s"), ("users", "id = %s")):
            c.execute(f"UPDATE central.{table} SET deleted_at = now() WHERE tenant_id = %s "
                      f"AND {where}", (term.tenant_id, prod if table == "product" else user))
        c.execute("UPDATE central.barcode SET deleted_at = now() WHERE tenant_id = %s "
                  "AND code = '8990000000017'", (term.tenant_id,))
        c.execute("UPDATE central.store_setting SET deleted_at = now() WHERE tenant_id = %s "
                  "AND key = 'receipt.footer'", (term.tenant_id,))
    gone = t.pull()
    assert gone.applied == 4
    assert t.local("SELECT active FROM product WHERE id = :i", i=prod) == [(0,)]
    assert t.local("SELECT count(*) FROM barcode WHERE code = '8990000000017'") == [(0,)]
    assert t.local('SELECT active FROM "user" WHERE id = :i', i=user) == [(0,)]
    assert t.local("SELECT count(*) FROM setting WHERE key = 'receipt.footer'") == [(0,)]


def test_own_edits_are_echoes(till: Till, supervisor: Any) -> None:
    from tests.sync.push.test_push import edit_product
    edit_product(till.shop, supervisor, 3650)
    push_once(till.shop.db, till.link)
    report = till.pull()
    assert report.own_echoes >= 1 and report.applied == 0
    assert _price(till, "MI-0001") == 3650


def test_late_commit_is_never_skipped(till: Till) -> None:
    """T1 starts (and writes its change_log row) first, T2 commits first. A naive
    ``id > last_id`` cursor would read T2's row, move past T1's smaller id and never see
    T1; the horizon keeps the cursor below T1 until it ends."""
    t, tenant = till, till.term.tenant_id
    a, b = t.product_id("MI-0001"), t.product_id("TMB-0176")
    t1, t2 = t.admin(), t.admin()
    try:
        t1.execute("UPDATE central.product SET price = 4100 WHERE id = %s", (a,))
        (t1_xid,) = t1.execute("SELECT pg_current_xact_id()::text").fetchone() or ("",)
        t2.execute("UPDATE central.product SET price = 9100 WHERE id = %s", (b,))
        t2.commit()

        held = t.pull(settle=False)  # settling would wait for T1
        assert held.changes == 0  # T2's row lies above the horizon (T1's xid): not yet
        assert PullCursor.parse(held.cursor).xid < int(t1_xid)
        assert _price(t, "TMB-0176") != 9100 and _price(t, "MI-0001") != 4100

        # What a naive reader sees now: T2's row, with a larger id than T1's.
        with t.admin() as naive:
            visible = [i for (i,) in naive.execute(
                "SELECT id FROM central.change_log WHERE tenant_id = %s ORDER BY id",
                (tenant,))]
        naive_cursor = max(visible)
        t1.commit()
    finally:
        t1.close()
        t2.close()
    with t.admin() as c:
        (t1_id,) = _log_ids(c, tenant, a)[-1:]
        (t2_id,) = _log_ids(c, tenant, b)[-1:]
    assert t1_id < t2_id == naive_cursor  # T1's row: below a naive cursor, so never read

    both = t.pull()
    assert both.applied == 2
    assert (_price(t, "MI-0001"), _price(t, "TMB-0176")) == (4100, 9100)


def test_price_edits_resolve_by_central_commit_order(till: Till) -> None:
    """T1 has the smaller xid but commits last: its price is central's, so the till's,
    although its change_log row sorts first. product_price keeps both versions."""
    t, tenant = till, till.term.tenant_id
    a = t.product_id("MI-0001")
    t1, t2 = t.admin(), t.admin()
    try:
        t1.execute("SELECT pg_current_xact_id()")  # T1 takes its xid first
        for conn, price in ((t2, 4200), (t1, 4100)):
            conn.execute("UPDATE central.product SET price = %s WHERE id = %s", (price, a))
            conn.execute("INSERT INTO central.product_price (tenant_id, id, product_id, price, "
                          "cost) VALUES (%s, %s, %s, %s, 2850)",
                          (tenant, str(uuid.uuid4()), a, price))
            conn.commit()  # T2 commits first; T1, with the smaller xid, commits last
    finally:
        t1.close()
        t2.close()
    report = t.pull()
    assert report.history_only == 2
    assert _price(t, "MI-0001") == 4100
    with t.admin() as c:
        history = [int(p) for (p,) in c.execute(
            "SELECT price FROM central.product_price WHERE tenant_id = %s AND product_id = %s "
            "AND terminal_id IS NULL ORDER BY xid, id", (tenant, a))]
    assert history == [4100, 4200]  # xid order; the current price is the last commit


def test_crash_inside_the_local_transaction_keeps_the_cursor(
        till: Till, monkeypatch: pytest.MonkeyPatch) -> None:
    t = till
    a = t.product_id("MI-0001")
    with t.admin() as c:
        c.execute("UPDATE central.product SET price = 4300, name = 'Indomie Pusat' "
                  "WHERE id = %s", (a,))
    before = t.local("SELECT value FROM setting WHERE key = :k", k=SETTING_CURSOR)
    real = pull_mod.apply_page

    def crash(*args: Any) -> None:
        real(*args)  # the rows are written inside the transaction...
        raise RuntimeError("power cut")  # ...which never commits

    monkeypatch.setattr(pull_mod, "apply_page", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        t.pull()
    assert t.local("SELECT value FROM setting WHERE key = :k", k=SETTING_CURSOR) == before
    assert _price(t, "MI-0001") != 4300
    monkeypatch.undo()

    report = t.pull()
    assert (report.pages, report.changes, report.applied) == (1, 1, 1)
    assert t.local("SELECT price, name FROM product WHERE id = :i", i=a) == [
        (4300, "Indomie Pusat")]
    assert t.pull().changes == 0


def test_same_named_category_merges_and_cli_pulls(till: Till) -> None:
    """Two places both made "Mi Instan" (central allows it, the till's names are unique):
    the product from central is filed under the till's own category. ``sync --once`` pulls
    after pushing and ``sync status`` shows the pull's figures."""
    import io
    import json
    from contextlib import redirect_stdout

    from app.cli.main import main

    t, term = till, till.term
    local_cat = t.local("SELECT id FROM category WHERE name = 'Mi Instan'")[0][0]
    tax = str(t.local("SELECT tax_class FROM product WHERE sku = 'MI-0001'")[0][0])
    cat, prod = str(uuid.uuid4()), str(uuid.uuid4())
    with t.admin() as c:
        # Central's "Mi Instan" has another id than the till's.
        c.execute("INSERT INTO central.category (tenant_id, id, name) VALUES "
                  "(%s, %s, 'Mi Instan')", (term.tenant_id, cat))
        c.execute("INSERT INTO central.product (tenant_id, id, sku, name, category_id, price, "
                  "tax_class) VALUES (%s, %s, 'MI-9999', 'Mi Pusat', %s, 3000, %s)",
                  (term.tenant_id, prod, cat, tax))
    folder = str(t.shop.folder)
    t.settle()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sync", "--once", "--data-dir", folder]) == 0
    done = json.loads(out.getvalue())
    assert done["pull"]["applied"] == 2 and done["status"]["pull"]["pull_cursor"]
    assert t.local("SELECT category_id FROM product WHERE id = :i", i=prod) == [(local_cat,)]
    assert t.local("SELECT count(*) FROM category WHERE name = 'Mi Instan'") == [(1,)]
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sync", "status", "--data-dir", folder]) == 0
    assert json.loads(out.getvalue())["pull"]["last_pull_at"]

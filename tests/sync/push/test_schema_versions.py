"""Event schema versions across a central upgrade, against real PostgreSQL and SQLite.

- A till still writing version 1 events (1,000 of them queued) pushes to a central at the
  newest migration: all arrive, none quarantined, central's totals equal the till's, and
  the stock movements version 1 did not carry come out right (upcast from the till's rows).
- A till writing a version central does not understand yet (central one migration behind):
  those events are kept at central beside a quarantine row saying so, nothing else waits
  for them; once ``central init`` has upgraded central, the next push applies them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

import local_db.store as store
import services.selling as selling
from app.shop import Shop
from services.users import Actor
from sync.central import admin, schema
from sync.push import central_understands, push_once
from sync.push_rows import NEWEST_VERSION, TOO_NEW
from tests.central.conftest import CentralDB, fresh_central
from tests.sync.push.test_push import (
    central_figures,
    enrol,
    local_figures,
    outbox_counts,
    sell,
)

ITEMS = ("MI-0001", "TMB-0176", "JSA-0184")


def _as_version_1_till(monkeypatch: pytest.MonkeyPatch) -> None:
    """The till's software before event schema version 2: events stamped 1, sale events
    naming their stock movements by id, product and quantity only."""
    monkeypatch.setattr(store, "EVENT_SCHEMA_VERSION", 1)
    real = selling.append_outbox

    def v1(conn: Any, event_type: str, payload: Any, **kw: Any) -> int:
        if event_type == "sale.completed":
            payload = {**payload, "stock_movements": [
                {"id": m["id"], "product_id": m["product_id"], "qty_milli": m["qty_milli"]}
                for m in payload["stock_movements"]]}
        return real(conn, event_type, payload, **kw)

    monkeypatch.setattr(selling, "append_outbox", v1)


def _sell(shop: Shop, cashier: Actor, i: int) -> str:
    return sell(shop, cashier, [(ITEMS[i % 3], 1000), (ITEMS[(i + 1) % 3], 2000)],
                [("cash", 100_000)]).id


def _pending_by_version(shop: Shop) -> dict[int, int]:
    with shop.uow(write=False) as uow:
        return {int(v): int(n) for v, n in uow.conn.execute(text(
            "SELECT schema_version, count(*) FROM outbox WHERE status = 'pending' "
            "GROUP BY schema_version"))}


def _same_totals(db: CentralDB, tenant_id: str, shop: Shop) -> None:
    here = local_figures(shop)
    there = central_figures(db, tenant_id)
    assert {k: there[k] for k in here} == here


def _movements(rows: Any) -> set[tuple[Any, ...]]:
    return {tuple(str(v) if v is not None else None for v in r) for r in rows}


def test_a_version_1_queue_of_1000_reaches_the_newest_central(
        central_db: CentralDB, shop: Shop, cashier: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    link, term = enrol(central_db, shop, "Toko Versi Lama")
    push_once(shop.db, link)  # the demo's own events: not part of this test
    _as_version_1_till(monkeypatch)
    sale_ids = [_sell(shop, cashier, i) for i in range(1000)]
    monkeypatch.undo()
    assert _pending_by_version(shop) == {1: 1000}
    with central_db.connect() as c:
        assert central_understands(c) == NEWEST_VERSION == 2

    report = push_once(shop.db, link)

    assert (report.sent, report.quarantined) == (1000, 0)
    assert outbox_counts(shop).get("pending", 0) == 0
    assert outbox_counts(shop).get("quarantined", 0) == 0
    _same_totals(central_db, term.tenant_id, shop)
    with central_db.connect() as c:
        versions = dict(c.execute(
            "SELECT schema_version, count(*) FROM central.event WHERE tenant_id = %s "
            "AND type = 'sale.completed' AND payload -> 'sale' ->> 'id' = ANY(%s) "
            "GROUP BY schema_version", (term.tenant_id, sale_ids)).fetchall())
        assert versions == {1: 1000}  # the log keeps what the till sent
        assert c.execute("SELECT count(*) FROM central.quarantine WHERE tenant_id = %s",
                         (term.tenant_id,)).fetchone() == (0,)
        there = _movements(c.execute(
            "SELECT id, product_id, qty_milli, kind, ref_id, unit_cost, user_id "
            "FROM central.stock_movement WHERE tenant_id = %s AND ref_id = ANY(%s)",
            (term.tenant_id, sale_ids)))
    # The movements version 1 did not carry in full came from the till's own rows.
    with shop.uow(write=False) as uow:
        here = _movements(uow.conn.execute(text(
            "SELECT id, product_id, qty_milli, kind, ref_id, unit_cost, user_id "
            "FROM stock_movement WHERE kind = 'sale'")).all())
    mine = set(sale_ids)
    here = {r for r in here if r[4] in mine}
    assert there == here and len(here) > 1000  # JSA-0184 (a service) moves no stock


# --- a central one migration behind -------------------------------------------------------

def _downgrade(dsn: str, revision: str) -> None:
    """What an older central is: the migrations after ``revision`` undone (as the owner)."""
    with admin.admin_transaction(dsn) as conn:
        roles = admin.roles_of(conn)
        cfg = Config()
        cfg.set_main_option("script_location", str(admin.MIGRATIONS_DIR))
        cfg.attributes["connection"] = conn
        conn.exec_driver_sql(f"SET LOCAL ROLE {admin.ident(roles.owner)}")
        command.downgrade(cfg, revision)
        conn.exec_driver_sql("RESET ROLE")


@pytest.fixture
def own_central() -> Iterator[CentralDB]:
    """A central database of this test alone (it is downgraded and upgraded)."""
    with fresh_central() as db:
        yield db


def test_events_too_new_for_central_wait_there_until_it_is_upgraded(
        own_central: CentralDB, shop: Shop, cashier: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = own_central
    link, term = enrol(db, shop, "Toko Versi Baru")
    push_once(shop.db, link)
    _downgrade(db.admin_dsn, "c0001")
    with db.connect() as c:
        assert central_understands(c) == 1
    # Version 1 and version 2 sales, interleaved (a till upgraded in the middle of a day).
    _as_version_1_till(monkeypatch)
    old = [_sell(shop, cashier, 0)]
    monkeypatch.undo()
    new = [_sell(shop, cashier, 1), _sell(shop, cashier, 2)]
    _as_version_1_till(monkeypatch)
    old.append(_sell(shop, cashier, 3))
    monkeypatch.undo()

    first = push_once(shop.db, link)
    assert (first.sent, first.quarantined) == (2, 2)
    assert all(r["reason"].startswith(f"{TOO_NEW}: event schema version 2 is newer than "
                                      "central understands (1)")
               for r in first.quarantine_reasons)
    with db.connect() as c:
        kept = c.execute(
            "SELECT e.payload -> 'sale' ->> 'id', q.detail ->> 'code', q.resolved_at "
            "FROM central.event e JOIN central.quarantine q USING (tenant_id, event_id) "
            "WHERE e.tenant_id = %s", (term.tenant_id,)).fetchall()
        assert sorted(kept) == sorted((s, TOO_NEW, None) for s in new)  # kept, not lost
        applied = {str(i) for (i,) in c.execute(
            "SELECT id FROM central.sale WHERE tenant_id = %s AND id = ANY(%s)",
            (term.tenant_id, old + new))}
        assert applied == set(old)  # the others did not wait
    with shop.uow(write=False) as uow:
        local = uow.conn.execute(text(
            "SELECT status, last_error FROM outbox WHERE schema_version = 2 "
            "AND status <> 'sent'")).all()
    assert len(local) == 2 and all(s == "quarantined" and e.startswith(TOO_NEW)
                                   for s, e in local)

    # Still the old central: nothing is offered again, nothing changes.
    again = push_once(shop.db, link)
    assert (again.sent, again.quarantined, again.reapplied) == (0, 0, 0)

    upgraded = admin.init(db.admin_dsn)  # 'warungin central init' upgrades it
    assert (upgraded.revision_before, upgraded.revision) == ("c0001", schema.HEAD_REVISION)
    final = push_once(shop.db, link)
    assert (final.sent, final.quarantined, final.reapplied) == (2, 0, 2)
    assert outbox_counts(shop).get("quarantined", 0) == 0
    assert outbox_counts(shop).get("pending", 0) == 0
    with db.connect() as c:
        assert c.execute("SELECT count(*) FROM central.quarantine WHERE tenant_id = %s "
                         "AND resolved_at IS NULL", (term.tenant_id,)).fetchone() == (0,)
        assert {str(i) for (i,) in c.execute(
            "SELECT id FROM central.sale WHERE tenant_id = %s AND id = ANY(%s)",
            (term.tenant_id, old + new))} == set(old + new)
    _same_totals(db, term.tenant_id, shop)
    # Pushing once more sends nothing twice.
    assert push_once(shop.db, link).sent == 0
    _same_totals(db, term.tenant_id, shop)


def test_a_terminal_may_resolve_only_its_own_too_new_quarantines(
        central_db: CentralDB, shop: Shop, cashier: Actor) -> None:
    """The one grant c0002 adds to terminals, and its limits."""
    link, term = enrol(central_db, shop, "Toko Karantina")
    push_once(shop.db, link)
    with central_db.connect() as c:
        (event_id,) = c.execute("SELECT event_id::text FROM central.event WHERE tenant_id = %s "
                                "ORDER BY seq LIMIT 1", (term.tenant_id,)).fetchone() or ("",)
        c.execute("INSERT INTO central.quarantine (tenant_id, event_id, terminal_id, reason, "
                  "detail) VALUES (%s, %s, %s, 'for the owner', '{\"code\": \"other\"}')",
                  (term.tenant_id, event_id, term.terminal_id))
    with link.connect() as c:
        done = c.execute("UPDATE central.quarantine SET resolved_at = now() "
                         "WHERE event_id = %s", (event_id,))
        assert done.rowcount == 0  # not a too-new quarantine: invisible to UPDATE
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("UPDATE central.quarantine SET terminal_id = terminal_id")

"""The device-token registry at the real central PostgreSQL: two tills of one tenant and a
till of another, each on its own SQLite file. A registration pushed by one till reaches the
other through the pull; a deactivation sticks unless a later registration refreshes the
token; another tenant never sees any of it; a central older than c0005 keeps the events
until it is upgraded."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.secrets import cipher_for, secret_store_for
from app.shop import Shop, open_shop
from local_db.store import write_settings
from services import device_tokens as dt
from services.users import Actor
from sync.central import admin, schema
from sync.pull import PullReport, pull_once
from sync.push import CentralLink, PushReport, push_once
from sync.push_rows import TOO_NEW
from tests.central.conftest import (
    CentralDB,
    Tenant,
    Terminal,
    fresh_central,
    make_tenant,
    make_terminal,
)
from tests.conftest import login
from tests.sync.push.test_push import fresh_event_ids

TOKEN = "dEvIcE-t0ken:APA91b" + "Q" * 150  # made up, FCM-shaped
OTHER = "another-device:APA91b" + "Z" * 150


@dataclass
class Till:
    shop: Shop
    term: Terminal
    link: CentralLink
    db: CentralDB
    sari: Actor
    budi: Actor

    def push(self) -> PushReport:
        return push_once(self.shop.db, self.link)

    def pull(self) -> PullReport:
        settle(self.db)
        return pull_once(self.shop.db, self.link, cipher=cipher_for(self.shop))

    def tokens(self) -> dict[str, tuple[Any, ...]]:
        with self.shop.uow(write=False) as uow:
            return {str(r[0]): tuple(r[1:]) for r in uow.conn.execute(text(
                "SELECT id, owner_type, owner_id, token, platform, active, deactivated_reason "
                "FROM device_token"))}

    def register(self, token: str = TOKEN, **kw: str) -> dt.DeviceTokenView:
        args = {"owner_type": "user", "owner_id": self.sari.id, "platform": "android", **kw}
        with self.shop.uow() as uow:
            return dt.register_token(uow, self.sari, token=token, **args)


def settle(db: CentralDB, timeout_s: float = 20.0) -> None:
    """Wait until every transaction that began before now has ended (the pull horizon)."""
    with db.connect(autocommit=True) as c:
        (mark,) = c.execute("SELECT pg_current_xact_id()::text").fetchone() or ("0",)
        deadline = time.monotonic() + timeout_s
        while not (c.execute("SELECT central.pull_horizon() > %s::xid8", (mark,))
                   .fetchone() or (False,))[0]:
            assert time.monotonic() < deadline, "a transaction on the server stays open"
            time.sleep(0.05)


def make_till(db: CentralDB, tenant: Tenant, template: Path, folder: Path, code: str) -> Till:
    """A copy of the demo shop enrolled as terminal ``code`` of ``tenant``. Its demo history
    is marked sent (what these tests are about is the registry and settings, and pushing the
    demo's days from every till would only take time)."""
    shutil.copytree(template, folder)
    raw = sqlite3.connect(folder / "warungin.db")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    shop = open_shop(folder)
    with shop.uow() as uow:
        write_settings(uow.conn, {"terminal_code": code})
        uow.commit()
    shop.reload()
    fresh_event_ids(shop)
    term = make_terminal(db, tenant, code)
    enroll(shop, term.code)
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE outbox SET status = 'sent' WHERE status = 'pending'"))
        uow.commit()
    creds = central_credentials(shop)
    install_id = secret_store_for(shop).get(INSTALL_ID_SECRET)
    assert install_id
    till = Till(shop, term, CentralLink(creds.dsn, creds.password, install_id), db,
                login(shop, "Sari", "1234"), login(shop, "Budi", "5678"))
    till.pull()  # the tenant's state so far (the first till's echoes, nothing else)
    return till


@dataclass
class Tills:
    a1: Till
    a2: Till
    b1: Till


@contextmanager
def open_tills(db: CentralDB, template: Path, folder: Path) -> Iterator[Tills]:
    """Tenant A with tills A1 and A2, tenant B with till B1 (the other modules' too)."""
    a, b = make_tenant(db, "Toko Token A"), make_tenant(db, "Toko Token B")
    made = Tills(make_till(db, a, template, folder / "a1", "T01"),
                 make_till(db, a, template, folder / "a2", "T02"),
                 make_till(db, b, template, folder / "b1", "T01"))
    try:
        yield made
    finally:
        for t in (made.a1, made.a2, made.b1):
            t.shop.close()


@pytest.fixture
def tills(central_db: CentralDB, demo_template: Path, tmp_path: Path) -> Iterator[Tills]:
    with open_tills(central_db, demo_template, tmp_path) as made:
        yield made


def central_rows(db: CentralDB, tenant_id: str) -> dict[str, tuple[Any, ...]]:
    with db.connect() as c:
        return {str(r[0]): tuple(r[1:]) for r in c.execute(
            "SELECT id::text, owner_type, owner_id::text, token, platform, active, "
            "deactivated_reason FROM central.device_token WHERE tenant_id = %s",
            (tenant_id,))}


def test_a_registration_reaches_every_till_of_the_tenant_and_no_other(tills: Tills) -> None:
    a1, a2, b1 = tills.a1, tills.a2, tills.b1
    mine = a1.register()
    pushed = a1.push()
    assert (pushed.sent, pushed.quarantined) == (1, 0)
    expected = {mine.id: ("user", a1.sari.id, TOKEN, "android", True, None)}
    assert central_rows(a1.db, a1.term.tenant_id) == expected
    assert a1.pull().applied == 0  # its own echo
    got = a2.pull()
    assert got.applied == 1
    assert a2.tokens() == {mine.id: ("user", a1.sari.id, TOKEN, "android", 1, None)}
    with a2.shop.uow(write=False) as uow:
        assert [t.id for t in dt.active_tokens(uow.conn, "user", a1.sari.id)] == [mine.id]
    # The other tenant: nothing comes down, nothing is visible with its terminal's role.
    assert b1.pull().changes == 0 and b1.tokens() == {}
    with b1.db.connect(b1.term.role, b1.term.password) as c:
        assert c.execute("SELECT count(*) FROM central.device_token").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO central.device_token (tenant_id, id, owner_type, owner_id, "
                      "token, platform, last_seen_at, updated_at) VALUES (%s, %s, 'user', %s, "
                      "'x', 'web', now(), now())", (a1.term.tenant_id, mine.id, a1.sari.id))
        c.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("DELETE FROM central.device_token")
    # The same device registered in tenant B is B's own row; A's stays as it was.
    theirs = b1.register(platform="ios")
    assert b1.push().sent == 1
    assert central_rows(b1.db, b1.term.tenant_id) == {
        theirs.id: ("user", b1.sari.id, TOKEN, "ios", True, None)}
    assert central_rows(a1.db, a1.term.tenant_id) == expected
    assert a1.pull().changes == 0 and a2.pull().changes == 0


def _backdate(till: Till, token_id: str, minutes: int) -> None:
    """Make the till's pending registration older than it is (a till offline for a while)."""
    then = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="microseconds")
    with till.shop.uow() as uow:
        uow.conn.execute(text("DROP TRIGGER IF EXISTS outbox_content_frozen"))
        uow.conn.execute(text(
            "UPDATE outbox SET payload = json_set(payload, '$.updated_at', :t, "
            "'$.last_seen_at', :t) WHERE status = 'pending' AND aggregate_id = :i"),
            {"t": then, "i": token_id})
        uow.conn.execute(text("UPDATE device_token SET updated_at = :t, last_seen_at = :t "
                              "WHERE id = :i"), {"t": then, "i": token_id})
        uow.commit()


def test_a_deactivation_sticks_unless_a_later_registration_refreshes(tills: Tills) -> None:
    a1, a2 = tills.a1, tills.a2
    first = a1.register()
    assert a1.push().sent == 1
    a2.pull()
    # A1, offline, refreshes the token; a moment later A2's FCM job hears that the token is
    # dead. A1's older refresh reaches central first and comes down to A2: A2's newer
    # deactivation, not yet pushed, is not undone by it.
    a1.register(platform="web")
    with a2.shop.uow() as uow:
        assert dt.deactivate_token(uow.conn, first.id, "UNREGISTERED",
                                   datetime.now(UTC).isoformat(timespec="microseconds"))
        uow.commit()
    assert a1.push().sent == 1
    assert central_rows(a1.db, a1.term.tenant_id)[first.id][3:] == ("web", True, None)
    assert a2.pull().applied == 1
    assert a2.tokens()[first.id][3:] == ("android", 0, "UNREGISTERED")
    # Then A2's deactivation reaches central: it sticks there too, and comes down to A1.
    assert a2.push().sent == 1
    dead = ("user", a1.sari.id, TOKEN, "android", False, "UNREGISTERED")
    assert central_rows(a1.db, a1.term.tenant_id) == {first.id: dead}
    a1.pull()
    a2.pull()
    assert a1.tokens() == a2.tokens() == {first.id: (*dead[:4], 0, "UNREGISTERED")}
    # A later registration (the app got the token again) brings it back everywhere.
    back = a2.register(platform="ios")
    assert back.active
    assert a2.push().sent == 1
    a1.pull()
    alive = ("user", a1.sari.id, TOKEN, "ios", 1, None)
    assert a1.tokens() == a2.tokens() == {first.id: alive}
    assert central_rows(a1.db, a1.term.tenant_id)[first.id] == (*alive[:4], True, None)
    assert a2.pull().applied == 0  # its own echo only
    assert a1.pull().changes == 0


def test_an_older_change_never_undoes_a_newer_one(tills: Tills) -> None:
    a1, a2 = tills.a1, tills.a2
    first = a1.register()
    assert a1.push().sent == 1
    a2.pull()
    # A1 (its clock, or its queue, behind) pushes a refresh older than what central holds:
    # last seen does not go back, the newer state stays, and nothing new comes down.
    a1.register(platform="web")
    _backdate(a1, first.id, 5)
    assert a1.push().sent == 1
    assert central_rows(a1.db, a1.term.tenant_id)[first.id][3:] == ("android", True, None)
    assert a2.pull().changes == 0
    with a1.db.connect() as c:
        row = c.execute("SELECT last_seen_at, updated_at FROM central.device_token "
                        "WHERE tenant_id = %s AND id = %s",
                        (a1.term.tenant_id, first.id)).fetchone()
    assert row is not None and row[0] >= datetime.fromisoformat(first.last_seen_at)


def test_a_customer_token_and_a_token_pushed_under_another_id(tills: Tills) -> None:
    a1, a2 = tills.a1, tills.a2
    cipher = cipher_for(a1.shop)
    from services.customers import create_customer
    with a1.shop.uow() as uow:
        cust = create_customer(uow, cipher, a1.sari, name="Ibu Push").id
    view = a1.register(OTHER, owner_type="customer", owner_id=cust, platform="ios")
    # A till with other software names the same token differently: quarantined, not merged.
    with a2.shop.uow() as uow:
        uow.conn.execute(text(
            "INSERT INTO device_token (id, owner_type, owner_id, token, platform, active, "
            "last_seen_at, created_at, updated_at) VALUES ('0193e2a0-0000-7000-8000-"
            "000000000001', 'user', :u, :t, 'web', 1, :n, :n, :n)"),
            {"u": a2.sari.id, "t": OTHER, "n": "2026-01-01T00:00:00+00:00"})
        from local_db.store import append_outbox
        append_outbox(uow.conn, dt.EVENT_REGISTERED, {
            "id": "0193e2a0-0000-7000-8000-000000000001", "owner_type": "user",
            "owner_id": a2.sari.id, "token": OTHER, "platform": "web", "active": True,
            "last_seen_at": "2026-01-01T00:00:00+00:00", "deactivated_reason": None,
            "created_at": "2026-01-01T00:00:00+00:00",
            "updated_at": "2026-01-01T00:00:00+00:00"})
        uow.commit()
    assert a1.push().sent == 2  # the customer and the token
    report = a2.push()
    assert report.quarantined == 1 and "another id" in str(report.quarantine_reasons)
    assert central_rows(a1.db, a1.term.tenant_id) == {
        view.id: ("customer", cust, OTHER, "ios", True, None)}
    # A2 keeps its own row; the pull does not add a second row for one token. (The
    # customer comes down too, encrypted under A1's data key: the demo copies have a key
    # each, so A2 pulls with A1's, as tills of one shop share one.)
    settle(a2.db)
    pull_once(a2.shop.db, a2.link, cipher=cipher)
    assert view.id not in a2.tokens() and len(a2.tokens()) == 1


@pytest.fixture
def own_central() -> Iterator[CentralDB]:
    with fresh_central() as db:
        yield db


def _downgrade(dsn: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config
    with admin.admin_transaction(dsn) as conn:
        roles = admin.roles_of(conn)
        cfg = Config()
        cfg.set_main_option("script_location", str(admin.MIGRATIONS_DIR))
        cfg.attributes["connection"] = conn
        conn.exec_driver_sql(f'SET LOCAL ROLE "{roles.owner}"')
        command.downgrade(cfg, revision)
        conn.exec_driver_sql("RESET ROLE")


def test_a_central_without_the_registry_keeps_the_events_until_upgraded(
        own_central: CentralDB, demo_template: Path, tmp_path: Path) -> None:
    db = own_central
    tenant = make_tenant(db, "Toko Lama")
    a1 = make_till(db, tenant, demo_template, tmp_path / "a1", "T01")
    try:
        _downgrade(db.admin_dsn, "c0004")
        view = a1.register()
        first = a1.push()
        assert (first.sent, first.quarantined) == (0, 1)
        assert first.quarantine_reasons[0]["reason"].startswith(f"{TOO_NEW}: central has no "
                                                                "device_token table")
        again = a1.push()  # still old: nothing offered again, nothing breaks
        assert (again.sent, again.quarantined, again.reapplied) == (0, 0, 0)
        assert admin.init(db.admin_dsn).revision == schema.HEAD_REVISION
        final = a1.push()
        assert (final.sent, final.quarantined, final.reapplied) == (1, 0, 1)
        assert central_rows(db, tenant.tenant_id) == {
            view.id: ("user", a1.sari.id, TOKEN, "android", True, None)}
    finally:
        a1.shop.close()

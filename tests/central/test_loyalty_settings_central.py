"""The tenant's loyalty settings (issue 15, several tills): set once at the real central
PostgreSQL (``warungin central loyalty``), they reach every till of the tenant through the
pull, so a sale to a member earns the same points on each till; another tenant gets
nothing. A bad value is refused with the till's own rules, naming the field, and nothing is
written at central."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from local_db.ids import now_iso
from local_db.models import Customer
from local_db.store import read_settings
from services.errors import BadInput
from services.loyalty_ledger import balance
from services.loyalty_settings import (
    LoyaltySettings,
    Tier,
    read_loyalty_settings,
    save_loyalty_settings,
)
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from sync.central import admin
from sync.central.tenant_loyalty import set_tenant_loyalty
from tests.central.conftest import CentralDB
from tests.central.test_device_tokens_central import Till, Tills, open_tills
from tests.conftest import login

MEMBER = "0190a8f0-1111-7aaa-8bbb-00000000c0de"


@pytest.fixture
def tills(central_db: CentralDB, demo_template: Path, tmp_path: Path) -> Iterator[Tills]:
    with open_tills(central_db, demo_template, tmp_path) as made:
        yield made


def cli(*argv: str) -> tuple[int, Any, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, (json.loads(out.getvalue()) if out.getvalue().strip() else None), err.getvalue()


def local_loyalty(till: Till) -> dict[str, str]:
    with till.shop.uow(write=False) as uow:
        return {k: v for k, v in read_settings(uow.conn).items() if k.startswith("loyalty.")}


def till_settings(till: Till) -> LoyaltySettings:
    with till.shop.uow(write=False) as uow:
        return read_loyalty_settings(uow.conn)


def central_loyalty(db: CentralDB, tenant_id: str) -> list[tuple[str, str, str]]:
    with db.connect() as c:
        return [(str(s), str(k), str(v)) for s, k, v in c.execute(
            "SELECT store_id, key, value FROM central.store_setting WHERE tenant_id = %s "
            "AND deleted_at IS NULL AND key LIKE 'loyalty.%%' ORDER BY 1, 2", (tenant_id,))]


def add_member(till: Till) -> None:
    stamp = now_iso()
    with till.shop.uow() as uow:
        uow.session.add(Customer(id=MEMBER, name="Bu Ani", credit_limit=0,
                                 consent_marketing=False, created_at=stamp, updated_at=stamp))
        uow.commit()


def sell_to_member(till: Till, pcs: int) -> int:
    """A cash sale of ``pcs`` sheets (JSA-0184: Rp 500, no PPN) to the member; the points
    it earned."""
    before = points(till)
    total = pcs * 500
    req = SaleRequest((LineRequest("JSA-0184", pcs * 1000),),
                      (PaymentRequest("cash", total),), customer_id=MEMBER)
    with till.shop.uow() as uow:
        complete_sale(uow, till.shop.config, till.sari, req)
    return points(till) - before


def points(till: Till) -> int:
    with till.shop.uow(write=False) as uow:
        return balance(uow.conn, MEMBER)


TIERS = '[{"code":"bronze","name":"Perunggu","threshold":0,"multiplier":"1"},' \
        '{"code":"gold","name":"Emas","threshold":50000000,"multiplier":"2"}]'


def test_set_at_central_every_till_earns_the_same(tills: Tills) -> None:
    a1, a2, b1 = tills.a1, tills.a2, tills.b1
    db, tenant = a1.db, a1.term.tenant_id
    # Before: A1's owner changed its own programme; A2 runs what it had.
    owner = login(a1.shop, "Wati", "9999")
    with a1.shop.uow() as uow:
        save_loyalty_settings(uow, owner,
                              LoyaltySettings(enabled=True, step=1000, points_per_step=1))
    assert till_settings(a1) != till_settings(a2)
    b1_before = local_loyalty(b1)
    for t in (a1, a2):
        add_member(t)

    # Nothing at central yet: showing gives the defaults, unset, and writes nothing.
    code, shown, err = cli("central", "loyalty", "--dsn", db.admin_dsn, "--tenant", tenant)
    assert code == 0, err
    assert shown["stored"] is False and shown["changed"] == 0
    assert shown["settings"] == LoyaltySettings().as_dict()
    assert central_loyalty(db, tenant) == []

    code, out, err = cli(
        "central", "loyalty", "--dsn", db.admin_dsn, "--tenant", tenant,
        "--set", "enabled=yes", "--set", "step=2000", "--set", "points_per_step=3",
        "--set", "floor=4000", "--set", "point_value=50", "--set", "expiry_months=6",
        "--set", f"tiers={TIERS}", "--set", "reward_skus=HADIAH-1")
    assert code == 0, err
    expected = LoyaltySettings(
        enabled=True, step=2000, points_per_step=3, floor=4000, point_value=50,
        expiry_months=6, tiers=(Tier("bronze", "Perunggu", 0, Decimal(1)),
                                Tier("gold", "Emas", 50_000_000, Decimal(2))),
        reward_skus=("HADIAH-1",))
    assert out["settings"] == expected.as_dict() and out["stored"] is True
    stores = sorted({s for s, _k, _v in central_loyalty(db, tenant)})
    assert stores == sorted(out["stores"])
    assert out["changed"] == len(fields(LoyaltySettings)) * len(stores)  # every key, each store

    a1.pull()
    a2.pull()
    assert till_settings(a1) == till_settings(a2) == expected
    assert local_loyalty(a1) == local_loyalty(a2)
    # 20 sheets = Rp 10.000: floor(10.000 / 2.000) x 3 = 15 points on either till (A1's own
    # step of 1.000 would have given 10; the defaults 1); below the floor, nothing.
    assert sell_to_member(a1, 20) == sell_to_member(a2, 20) == 15
    assert sell_to_member(a1, 7) == sell_to_member(a2, 7) == 0  # Rp 3.500 < 4.000
    # Another tenant's till gets nothing of it.
    b1.pull()
    assert local_loyalty(b1) == b1_before

    # The same again writes nothing (nothing to pull); one change arrives alone.
    assert set_tenant_loyalty(db.admin_dsn, tenant, {"step": "2000"}).changed == 0
    code, out, _ = cli("central", "loyalty", "--dsn", db.admin_dsn, "--tenant", tenant,
                       "--set", "points_per_step=4")
    assert code == 0 and out["changed"] == len(stores)
    a1.pull()
    a2.pull()
    assert till_settings(a1) == till_settings(a2) == replace(expected, points_per_step=4)
    assert sell_to_member(a1, 20) == sell_to_member(a2, 20) == 20
    code, shown, _ = cli("central", "loyalty", "--dsn", db.admin_dsn, "--tenant", tenant)
    assert code == 0 and shown["settings"]["points_per_step"] == 4 and shown["changed"] == 0

    # A store added later starts with the tenant's programme.
    store = admin.add_store(db.admin_dsn, tenant, "S2", "Cabang")
    rows = central_loyalty(db, tenant)
    assert {(k, v) for s, k, v in rows if s == store.store_id} == {
        (k, v) for s, k, v in rows if s == stores[0]}


@pytest.mark.parametrize(("sets", "field"), [
    (["step=0"], "step"),
    (["enabled=1", "point_value=-1"], "point_value"),
    (["points_per_step=many"], "points_per_step"),
    (["tier_basis=visits"], "tier_basis"),
    (['tiers=[{"code":"a","name":"A","threshold":5}]'], "tiers[0].threshold"),
    (["tiers=not json"], "tiers"),
    (["stepp=5000"], "stepp"),
])
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_written(
        tills: Tills, sets: list[str], field: str) -> None:
    db, tenant = tills.a1.db, tills.a1.term.tenant_id
    for already_set in (False, True):  # nothing at central yet; then a programme set
        if already_set:
            set_tenant_loyalty(db.admin_dsn, tenant, {"enabled": "1", "step": "5000"})
        held = central_loyalty(db, tenant)
        with pytest.raises(BadInput) as err:
            set_tenant_loyalty(db.admin_dsn, tenant, dict(s.split("=", 1) for s in sets))
        assert err.value.field == field
        argv = [a for s in sets for a in ("--set", s)]
        code, out, msg = cli("central", "loyalty", "--dsn", db.admin_dsn, "--tenant",
                             tenant, *argv)
        assert code == 2 and out is None and msg.startswith(f"error: {field}:")
        assert central_loyalty(db, tenant) == held  # not even the good key went in


def test_set_needs_a_store_and_a_known_tenant(central_db: CentralDB) -> None:
    tenant = admin.add_tenant(central_db.admin_dsn, "Toko Tanpa Cabang").tenant_id
    shown = set_tenant_loyalty(central_db.admin_dsn, tenant)
    assert shown.stores == () and shown.settings == LoyaltySettings() and not shown.stored
    code, _out, msg = cli("central", "loyalty", "--dsn", central_db.admin_dsn, "--tenant",
                          tenant, "--set", "step=5000")
    assert code == 3 and "no store" in msg
    code, _out, msg = cli("central", "loyalty", "--dsn", central_db.admin_dsn, "--tenant",
                          "not-a-tenant")
    assert code == 2 and "tenant" in msg

"""The tenant's courier configuration (issue 12): written once at the real central
PostgreSQL (``warungin central couriers``), it reaches every till of the tenant through the
pull, and no other tenant's. Keys that look like secrets are refused: credentials stay in
each till's keyring."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from local_db.store import read_settings
from services.errors import BadInput, Refused
from sync.central import admin
from tests.central.conftest import CentralDB
from tests.central.test_device_tokens_central import Till, Tills, open_tills


@pytest.fixture
def tills(central_db: CentralDB, demo_template: Path, tmp_path: Path) -> Iterator[Tills]:
    with open_tills(central_db, demo_template, tmp_path) as made:
        yield made


def cli(*argv: str) -> tuple[int, Any, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, (json.loads(out.getvalue()) if out.getvalue().strip() else None), err.getvalue()


def couriers(till: Till) -> dict[str, str]:
    with till.shop.uow(write=False) as uow:
        return {k: v for k, v in read_settings(uow.conn).items() if k.startswith("courier.")}


def central_couriers(db: CentralDB, tenant_id: str) -> list[tuple[str, str, str]]:
    with db.connect() as c:
        return [(str(s), str(k), str(v)) for s, k, v in c.execute(
            "SELECT store_id, key, value FROM central.store_setting WHERE tenant_id = %s "
            "AND deleted_at IS NULL AND key LIKE 'courier.%%' ORDER BY 1, 2", (tenant_id,))]


def test_set_at_central_and_every_till_of_the_tenant_has_it(tills: Tills) -> None:
    a1, a2, b1 = tills.a1, tills.a2, tills.b1
    db, tenant = a1.db, a1.term.tenant_id
    assert couriers(a1) == couriers(a2) == {}
    code, out, err = cli(
        "central", "couriers", "--dsn", db.admin_dsn, "--tenant", tenant,
        "--enabled", "Biteship, jne,jnt", "--default", "biteship:JNE:reg",
        "--origin-name", "Toko Token A", "--origin-phone", "0812-0000-0000",
        "--origin-address", "Jl. Contoh No. 1", "--origin-postal-code", "40115",
        "--origin-area-id", "IDNP9IDNC22IDND262IDZ40115", "--origin-city", "Bandung",
        "--notify", "whatsapp", "--set", "courier.jne.username=TOKOA",
        "--set", "courier.biteship.base_url=http://127.0.0.1:9001")
    assert code == 0, err
    expected = {
        "courier.enabled": "biteship,jne,jnt", "courier.default": "biteship:jne:reg",
        "courier.origin.name": "Toko Token A", "courier.origin.phone": "0812-0000-0000",
        "courier.origin.address": "Jl. Contoh No. 1", "courier.origin.postal_code": "40115",
        "courier.origin.area_id": "IDNP9IDNC22IDND262IDZ40115",
        "courier.origin.city": "Bandung", "courier.notify": "whatsapp",
        "courier.jne.username": "TOKOA",
        "courier.biteship.base_url": "http://127.0.0.1:9001"}
    assert out["settings"] == expected and out["changed"] == len(expected)
    a1.pull()
    a2.pull()
    assert couriers(a1) == couriers(a2) == expected
    # Another tenant's tills get nothing of it.
    assert b1.pull().applied == 0 and couriers(b1) == {}

    # The same again changes nothing (nothing to pull); a change and a removal arrive.
    same = admin.set_couriers(db.admin_dsn, tenant, {"courier.enabled": "biteship,jne,jnt"})
    assert same.changed == 0
    code, out, _ = cli("central", "couriers", "--dsn", db.admin_dsn, "--tenant", tenant,
                       "--enabled", "pos", "--unset", "courier.jne.username")
    assert code == 0 and out["changed"] == 2
    a1.pull()
    a2.pull()
    after = {**expected, "courier.enabled": "pos"}
    del after["courier.jne.username"]
    assert couriers(a1) == couriers(a2) == after
    # Showing it changes nothing.
    code, shown, _ = cli("central", "couriers", "--dsn", db.admin_dsn, "--tenant", tenant)
    assert code == 0 and shown["settings"] == after and shown["changed"] == 0

    # A store added later starts with the tenant's configuration.
    store = admin.add_store(db.admin_dsn, tenant, "S2", "Cabang")
    stores = {s for s, _k, _v in central_couriers(db, tenant)}
    assert store.store_id in stores and len(stores) == 2
    assert {(k, v) for s, k, v in central_couriers(db, tenant) if s == store.store_id} == set(
        after.items())


@pytest.mark.parametrize("key", ["courier.biteship.api_key", "courier.jnt.sign_key",
                                 "courier.pos.consumer_secret", "courier.jnt.track_password",
                                 "courier.fcm.token", "courier.jne.API_KEY"])
def test_a_secret_looking_key_is_refused_and_nothing_is_written(tills: Tills,
                                                                 key: str) -> None:
    db, tenant = tills.a1.db, tills.a1.term.tenant_id
    before = central_couriers(db, tenant)
    with pytest.raises(Refused) as err:
        admin.set_couriers(db.admin_dsn, tenant, {"courier.enabled": "jne", key: "s3cr3t"})
    assert err.value.field == key and "s3cr3t" not in str(err.value)
    code, _out, msg = cli("central", "couriers", "--dsn", db.admin_dsn, "--tenant", tenant,
                          "--enabled", "jne", "--set", f"{key}=s3cr3t")
    assert code == 3 and key in msg and "s3cr3t" not in msg
    assert central_couriers(db, tenant) == before  # not even the good key went in


@pytest.mark.parametrize(("values", "field"), [
    ({"courier.enabled": "dhl"}, "courier.enabled"),
    ({"courier.default": "jne-reg"}, "courier.default"),
    ({"courier.notify": "pigeon"}, "courier.notify"),
    ({"courier.jnt.base_url": "ftp://x"}, "courier.jnt.base_url"),
    ({"courier.origin.nme": "typo"}, "courier.origin.nme"),
    ({"receipt.footer": "not a courier key"}, "receipt.footer"),
])
def test_bad_values_name_their_key(tills: Tills, values: dict[str, str], field: str) -> None:
    db, tenant = tills.a1.db, tills.a1.term.tenant_id
    with pytest.raises(BadInput) as err:
        admin.set_couriers(db.admin_dsn, tenant, values)
    assert err.value.field == field
    assert central_couriers(db, tenant) == []


def test_a_secret_written_at_central_by_hand_never_reaches_a_till(tills: Tills) -> None:
    a1 = tills.a1
    with a1.db.connect() as c:
        c.execute("INSERT INTO central.store_setting (tenant_id, store_id, key, value) VALUES "
                  "(%s, %s, 'courier.biteship.api_key', 'biteship_test.s3cr3t'), "
                  "(%s, %s, 'courier.origin.city', 'Bandung')",
                  (a1.term.tenant_id, a1.term.store_id, a1.term.tenant_id, a1.term.store_id))
    report = a1.pull()
    assert report.not_for_this_till == 1
    assert couriers(a1) == {"courier.origin.city": "Bandung"}

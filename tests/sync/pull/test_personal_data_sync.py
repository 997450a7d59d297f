"""Erasure and consent across two tills and a real central PostgreSQL (UU PDP).

Till B is offline and edits a customer (and sells to them, and sends them a receipt); till
A erases the customer and reports it. When B comes back, whether it pushes first or pulls
first, the customer stays erased everywhere: central keeps its tombstone and ignores B's
late edit (stored redacted, not quarantined), the pull brings the erasure to B, which
clears its own copies (messages, outbox) and never brings the person back. A consent
withdrawn at A is never re-granted by B's stale edit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.secrets import (
    cipher_for,
    ensure_data_key,
    load_data_key,
    secret_store_for,
    store_data_key,
)
from local_db.store import write_settings
from services.consents import CUSTOMER, record_consent
from services.customers import (
    DATA_KEY_SETTING,
    create_customer,
    erase_customer,
    update_customer,
)
from services.errors import Conflict
from services.messaging_queue import send_receipt
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from sync.pull import SETTING_CURSOR, pull_once
from sync.push import push_once
from tests.central.conftest import CentralDB, make_tenant
from tests.conftest import login
from tests.faults.sync_helpers import Till, enrol_till, new_till_shop, settle

NAME, NEW_NAME = "Ibu Contoh Tombstone", "Ibu Contoh Diubah Offline"
PHONE = "0812-0000-5555"  # not handed out
ADDRESS = "Jl. Offline Nomor 9"


@dataclass
class Pair:
    db: CentralDB
    tenant_id: str
    a: Till
    b: Till


@pytest.fixture
def pair(central_db: CentralDB, demo_template: Path, tmp_path: Path) -> Iterator[Pair]:
    tenant = make_tenant(central_db, f"Toko PDP {tmp_path.name[-12:]}")
    a = enrol_till(central_db, tenant, new_till_shop(demo_template, tmp_path / "a", "T01"),
                   "T01")
    b = enrol_till(central_db, tenant, new_till_shop(demo_template, tmp_path / "b", "T02",
                                                     reports_setup=False), "T02")
    try:
        share_data_key(a, b)
        for t in (a, b):
            assert push_once(t.shop.db, t.link).quarantined == 0
        yield Pair(central_db, tenant.tenant_id, a, b)
    finally:
        a.shop.close()
        b.shop.close()


def share_data_key(a: Till, b: Till) -> None:
    """The tills of one shop hold the same data key (customers come down encrypted)."""
    key_id = ensure_data_key(a.shop)
    store_data_key(secret_store_for(b.shop), key_id,
                   load_data_key(secret_store_for(a.shop), key_id))
    with b.shop.uow() as uow:
        write_settings(uow.conn, {DATA_KEY_SETTING: key_id})
        uow.commit()


def push(t: Till) -> None:
    assert push_once(t.shop.db, t.link).quarantined == 0


def pull(db: CentralDB, t: Till) -> None:
    settle(db)
    pull_once(t.shop.db, t.link, cipher=cipher_for(t.shop))


def local(t: Till, sql: str, **params: Any) -> list[Any]:
    with t.shop.uow(write=False) as uow:
        return list(uow.conn.execute(text(sql), params).all())


def central(p: Pair, sql: str, *args: Any) -> list[Any]:
    with p.db.connect() as c:
        return list(c.execute(sql, args).fetchall())


def _customer_everywhere(p: Pair) -> str:
    supervisor = login(p.a.shop, "Budi", "5678")
    cipher = cipher_for(p.a.shop)  # outside the unit of work: it may write the key's id
    with p.a.shop.uow() as uow:
        c = create_customer(uow, cipher, supervisor, name=NAME, phone=PHONE,
                            consent_marketing=True)
    push(p.a)
    pull(p.db, p.b)
    assert local(p.b, "SELECT name FROM customer WHERE id = :c", c=c.id) == [(NAME,)]
    return c.id


@pytest.mark.parametrize("b_first", ["push", "pull"])
def test_an_offline_till_never_brings_an_erased_customer_back(pair: Pair, b_first: str) -> None:
    p = pair
    cid = _customer_everywhere(p)
    # B, offline: edits the customer, sells to them and sends them the receipt.
    b_super = login(p.b.shop, "Budi", "5678")
    b_cashier = login(p.b.shop, "Sari", "1234")
    b_cipher = cipher_for(p.b.shop)
    with p.b.shop.uow() as uow:
        update_customer(uow, b_cipher, b_super, cid, name=NEW_NAME, address=ADDRESS)
    req = SaleRequest((LineRequest("MI-0001", 1000),), (PaymentRequest("cash", 5_000),),
                      customer_id=cid)
    with p.b.shop.uow() as uow:
        sale = complete_sale(uow, p.b.shop.config, b_cashier, req)
    with p.b.shop.uow() as uow:
        send_receipt(uow, b_cipher, b_cashier, sale.id, channel="whatsapp")
    # A erases and reports it.
    a_owner = login(p.a.shop, "Wati", "9999")  # outside the unit of work (it writes)
    with p.a.shop.uow() as uow:
        erase_customer(uow, a_owner, cid)
    push(p.a)
    assert central(p, "SELECT terminal_id::text FROM central.customer_tombstone "
                      "WHERE tenant_id = %s AND customer_id = %s", p.tenant_id, cid) == [
        (p.a.term.terminal_id,)]

    # B comes back, in either order.
    if b_first == "push":
        push(p.b)
        pull(p.db, p.b)
    else:
        pull(p.db, p.b)
        push(p.b)
    pull(p.db, p.a)

    # Central: erased, every upsert of the person redacted (A's old ones and B's late one),
    # nothing quarantined, B's sale kept with the customer's id.
    assert central(p, "SELECT name_enc, phone_enc, address_enc, phone_index, consent_marketing, "
                      "erased_at IS NOT NULL FROM central.customer WHERE tenant_id = %s "
                      "AND id = %s", p.tenant_id, cid) == [(None, None, None, None, False, True)]
    upserts = central(p, "SELECT terminal_id::text, payload FROM central.event WHERE "
                         "tenant_id = %s AND type = 'customer.upserted' AND payload ->> 'id' = %s",
                      p.tenant_id, cid)
    assert {t for t, _ in upserts} == {p.a.term.terminal_id, p.b.term.terminal_id}
    assert all(payload == {"erased": True, "id": cid} for _, payload in upserts)
    assert central(p, "SELECT count(*) FROM central.quarantine WHERE tenant_id = %s",
                   p.tenant_id) == [(0,)]
    assert central(p, "SELECT customer_id::text, payable FROM central.sale WHERE tenant_id = %s "
                      "AND id = %s", p.tenant_id, sale.id) == [(cid, sale.payable)]
    # Both tills: erased, tombstoned, nothing personal left in messages or the outbox.
    for t, origin in ((p.a, "local"), (p.b, "central")):
        assert local(t, "SELECT name, phone_enc, address_enc, erased_at IS NOT NULL "
                        "FROM customer WHERE id = :c", c=cid) == [("Dihapus", None, None, 1)]
        assert local(t, "SELECT origin FROM customer_tombstone WHERE customer_id = :c",
                     c=cid) == [(origin,)]
        for (payload,) in local(t, "SELECT payload FROM outbox WHERE type = 'customer.upserted' "
                                   "AND aggregate_id = :c", c=cid):
            assert json.loads(payload) == {"erased": True, "id": cid}
    assert local(p.b, "SELECT recipient_enc, recipient_hint, status FROM message "
                      "WHERE customer_id = :c", c=cid) == [("", "", "rejected")]
    assert local(p.b, "SELECT COUNT(*) FROM audit_log WHERE action = 'customer.erase' "
                      "AND entity_id = :c", c=cid) == [(1,)]
    with p.b.shop.uow() as uow, pytest.raises(Conflict):
        update_customer(uow, b_cipher, b_super, cid, name="Lagi")
    # Pulling again (the whole log from the start) changes nothing.
    with p.b.shop.uow() as uow:
        uow.conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": SETTING_CURSOR})
        uow.commit()
    pull(p.db, p.b)
    assert local(p.b, "SELECT name FROM customer WHERE id = :c", c=cid) == [("Dihapus",)]


def test_central_refuses_the_person_back_whatever_a_till_writes(pair: Pair) -> None:
    """A till on old software (or a restored backup) writing the row or the event directly,
    as its own role: the database keeps the person erased."""
    p = pair
    cid = _customer_everywhere(p)
    a_owner = login(p.a.shop, "Wati", "9999")  # outside the unit of work (it writes)
    with p.a.shop.uow() as uow:
        erase_customer(uow, a_owner, cid)
    push(p.a)
    with p.db.connect(p.b.term.role, p.b.term.password) as c:
        c.execute("INSERT INTO central.customer (tenant_id, id, name_enc, phone_enc, "
                  "consent_marketing, created_at, updated_at) VALUES (%s, %s, 'v1:back', "
                  "'v1:back', true, now(), now()) ON CONFLICT (tenant_id, id) DO UPDATE SET "
                  "name_enc = excluded.name_enc, phone_enc = excluded.phone_enc, "
                  "consent_marketing = true, erased_at = NULL", (p.tenant_id, cid))
        c.execute("INSERT INTO central.event (event_id, tenant_id, terminal_id, seq, type, "
                  "schema_version, payload) VALUES (gen_random_uuid(), %s, %s, 99999, "
                  "'customer.upserted', 1, %s::jsonb)",
                  (p.tenant_id, p.b.term.terminal_id,
                   json.dumps({"id": cid, "name_enc": "v1:back"})))
        # The one event update a terminal may make: redacting; anything else is refused.
        assert c.execute("UPDATE central.event SET payload = '{\"id\": \"x\"}'::jsonb "
                         "WHERE tenant_id = %s AND type = 'sale.completed'",
                         (p.tenant_id,)).rowcount == 0
        c.commit()
    assert central(p, "SELECT name_enc, phone_enc, consent_marketing, erased_at IS NOT NULL "
                      "FROM central.customer WHERE tenant_id = %s AND id = %s",
                   p.tenant_id, cid) == [(None, None, False, True)]
    assert central(p, "SELECT payload FROM central.event WHERE tenant_id = %s AND seq = 99999",
                   p.tenant_id) == [({"erased": True, "id": cid},)]


def test_a_withdrawn_consent_is_not_regranted_by_a_stale_edit(pair: Pair) -> None:
    p = pair
    cid = _customer_everywhere(p)
    b_super = login(p.b.shop, "Budi", "5678")
    b_cipher = cipher_for(p.b.shop)
    with p.b.shop.uow() as uow:  # offline: consent still given as far as B knows
        update_customer(uow, b_cipher, b_super, cid, address=ADDRESS)
    with p.a.shop.uow() as uow:
        record_consent(uow, CUSTOMER, cid, False, "stop")
    push(p.a)
    push(p.b)
    assert central(p, "SELECT consent_marketing FROM central.customer WHERE tenant_id = %s "
                      "AND id = %s", p.tenant_id, cid) == [(False,)]
    assert central(p, "SELECT granted, source, actor, terminal_id::text FROM central.consent_event "
                      "WHERE tenant_id = %s AND customer_id = %s ORDER BY created_at",
                   p.tenant_id, cid) == [
        (True, "till", b_super.id, p.a.term.terminal_id),  # same users on both tills
        (False, "stop", "customer", p.a.term.terminal_id)]
    pull(p.db, p.b)
    assert local(p.b, "SELECT consent_marketing, address_enc IS NOT NULL FROM customer "
                      "WHERE id = :c", c=cid) == [(0, 1)]

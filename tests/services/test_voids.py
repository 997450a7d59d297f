"""Voids of an open cart line or cart: audited, with a supervisor PIN when the shop says so."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from app.shop import Shop
from local_db.store import write_settings
from services.cart import Cart
from services.catalogue import lookup_item
from services.errors import BadInput, Refused
from services.selling import Approval
from services.users import Actor
from services.voids import void_cart, void_line
from tests.helpers import counts, scalar


def _cart(shop: Shop) -> Cart:
    with shop.uow(write=False) as uow:
        return (Cart().add(lookup_item(uow.conn, "MI-0001"), 2000)
                .add(lookup_item(uow.conn, "TMB-0176"), 500))


def _last_audit(shop: Shop) -> dict[str, Any]:
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT action, actor_id, approver_id, entity, details FROM audit_log "
            "ORDER BY seq DESC LIMIT 1")).one()
    return {"action": row.action, "actor_id": row.actor_id, "approver_id": row.approver_id,
            "entity": row.entity, "details": json.loads(row.details)}


def _supervisor_needed(shop: Shop) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"void_needs_supervisor": "1"})
        uow.commit()


def test_void_line_is_audited_with_what_was_voided(shop: Shop, cashier: Actor) -> None:
    cart = _cart(shop)
    before = counts(shop)["audit_log"]
    with shop.uow() as uow:
        after = void_line(uow, cashier, cart, 1)
    assert [x.item.sku for x in after.lines] == ["TMB-0176"]
    assert counts(shop)["audit_log"] == before + 1
    audit = _last_audit(shop)
    assert (audit["action"], audit["actor_id"], audit["approver_id"], audit["entity"]) == (
        "cart.void_line", cashier.id, None, "cart")
    d = audit["details"]
    assert (d["sku"], d["qty_milli"], d["amount"], d["line_no"]) == ("MI-0001", 2000, 7000, 1)


def test_void_cart_is_audited_with_every_line(shop: Shop, cashier: Actor) -> None:
    cart = _cart(shop)
    with shop.uow() as uow:
        after = void_cart(uow, cashier, cart, reason="pelanggan batal")
    assert after.lines == ()
    audit = _last_audit(shop)
    assert audit["action"] == "cart.void"
    d = audit["details"]
    assert [(x["sku"], x["qty_milli"], x["amount"]) for x in d["lines"]] == [
        ("MI-0001", 2000, 7000), ("TMB-0176", 500, 14500)]
    assert d["amount"] == 21_500 and d["reason"] == "pelanggan batal"


def test_printed_line_needs_a_supervisor_pin(shop: Shop, cashier: Actor,
                                             supervisor: Actor) -> None:
    cart = _cart(shop)
    before = counts(shop)
    with shop.uow() as uow, pytest.raises(Refused) as e:
        void_line(uow, cashier, cart, 1, printed=True)
    assert e.value.field == "approver"
    with shop.uow() as uow, pytest.raises(Refused):
        void_line(uow, cashier, cart, 1, Approval("Sari", "1234"), printed=True)
    with shop.uow() as uow, pytest.raises(Refused) as e:
        void_line(uow, cashier, cart, 1, Approval("Budi", "0000"), printed=True)
    assert e.value.field == "pin"
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name='Budi'") == 1
    assert counts(shop) == before  # refused voids leave no audit record
    with shop.uow() as uow:
        after = void_line(uow, cashier, cart, 1, Approval("Budi", "5678"), printed=True)
    assert len(after.lines) == 1
    audit = _last_audit(shop)
    assert audit["approver_id"] == supervisor.id and audit["details"]["printed"] is True


def test_store_setting_makes_every_void_need_a_supervisor(shop: Shop, cashier: Actor,
                                                          supervisor: Actor) -> None:
    _supervisor_needed(shop)
    cart = _cart(shop)
    with shop.uow() as uow, pytest.raises(Refused):
        void_line(uow, cashier, cart, 2)
    with shop.uow() as uow, pytest.raises(Refused):
        void_cart(uow, cashier, cart)
    with shop.uow() as uow:
        void_cart(uow, cashier, cart, Approval("Budi", "5678"))
    assert _last_audit(shop)["approver_id"] == supervisor.id
    # A supervisor at the till approves their own void.
    with shop.uow() as uow:
        void_line(uow, supervisor, cart, 2)
    audit = _last_audit(shop)
    assert audit["actor_id"] == audit["approver_id"] == supervisor.id


def test_void_bad_input(shop: Shop, cashier: Actor) -> None:
    before = counts(shop)
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        void_line(uow, cashier, _cart(shop), 9)
    assert e.value.field == "line_no"
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        void_cart(uow, cashier, Cart())
    assert e.value.field == "cart"
    assert counts(shop) == before

"""The device-token registry on a real SQLite file: register, refresh, deactivate, list, and
the outbox events that carry each change to central."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import now_iso
from services import device_tokens as dt
from services.customers import create_customer
from services.errors import BadInput, Conflict, NotFound, Refused
from services.users import Actor

TOKEN = "fcmTok3n_AAAA:APA91bH-" + "x" * 140  # the shape of an FCM token; made up


def _customer(shop: Shop, actor: Actor) -> str:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        return create_customer(uow, cipher, actor, name="Ibu Token").id


def _events(shop: Shop, event_type: str) -> list[dict[str, Any]]:
    with shop.uow(write=False) as uow:
        return [json.loads(p) for (p,) in uow.conn.execute(text(
            "SELECT payload FROM outbox WHERE type = :t ORDER BY seq"), {"t": event_type})]


def _register(shop: Shop, actor: Actor, token: str = TOKEN, **kw: str) -> dt.DeviceTokenView:
    args = {"owner_type": "user", "owner_id": actor.id, "platform": "android", **kw}
    with shop.uow() as uow:
        return dt.register_token(uow, actor, token=token, **args)


def test_register_then_refresh_moves_last_seen_and_writes_events(shop: Shop,
                                                                 cashier: Actor) -> None:
    first = _register(shop, cashier)
    assert first.id == dt.token_id(TOKEN) and first.active and first.owner_id == cashier.id
    assert first.display.endswith("…") and TOKEN not in first.display
    assert TOKEN not in repr(first) and TOKEN not in json.dumps(first.as_dict())
    again = _register(shop, cashier, platform="web")
    assert again.id == first.id and again.platform == "web"
    assert again.last_seen_at >= first.last_seen_at and again.updated_at >= first.updated_at
    with shop.uow(write=False) as uow:
        assert uow.conn.execute(text("SELECT count(*) FROM device_token")).scalar() == 1
    events = _events(shop, dt.EVENT_REGISTERED)
    assert len(events) == 2 and events[-1]["token"] == TOKEN  # central needs the token
    assert events[-1]["platform"] == "web" and events[-1]["active"] is True
    # No audit record carries the token.
    with shop.uow(write=False) as uow:
        details = [d for (d,) in uow.conn.execute(text(
            "SELECT details FROM audit_log WHERE entity = 'device_token'"))]
    assert len(details) == 2 and all(TOKEN not in d for d in details)


def test_a_dead_token_is_deactivated_in_the_callers_transaction(shop: Shop,
                                                                cashier: Actor) -> None:
    view = _register(shop, cashier)
    with shop.uow() as uow:
        assert dt.deactivate_token(uow.conn, view.id, "UNREGISTERED", now_iso()) is True
        assert dt.deactivate_token(uow.conn, view.id, "UNREGISTERED", now_iso()) is False
        assert dt.deactivate_token(uow.conn, dt.token_id("nope"), "x", now_iso()) is False
        uow.commit()
    with shop.uow(write=False) as uow:
        assert dt.active_tokens(uow.conn, "user", cashier.id) == ()
        (row,) = dt.list_tokens(uow)
    assert (row.active, row.deactivated_reason) == (False, "UNREGISTERED")
    (ev,) = _events(shop, dt.EVENT_DEACTIVATED)
    assert ev["active"] is False and ev["id"] == view.id
    # The caller's rollback takes the deactivation and its event back.
    other = _register(shop, cashier, token=TOKEN + "2")
    with shop.uow() as uow:
        assert dt.deactivate_token(uow.conn, other.id, "UNREGISTERED", now_iso())
    with shop.uow(write=False) as uow:
        assert [t.id for t in dt.active_tokens(uow.conn, "user", cashier.id)] == [other.id]
    assert len(_events(shop, dt.EVENT_DEACTIVATED)) == 1
    # Registering the dead token again (the app refreshed it) reactivates it.
    back = _register(shop, cashier)
    assert back.active and back.deactivated_reason is None


def test_a_registration_re_owns_a_known_token(shop: Shop, cashier: Actor) -> None:
    cust = _customer(shop, cashier)
    _register(shop, cashier)
    moved = _register(shop, cashier, owner_type="customer", owner_id=cust, platform="ios")
    assert (moved.owner_type, moved.owner_id, moved.platform) == ("customer", cust, "ios")
    with shop.uow(write=False) as uow:
        assert dt.active_tokens(uow.conn, "user", cashier.id) == ()
        assert [t.id for t in dt.active_tokens(uow.conn, "customer", cust)] == [moved.id]


@pytest.mark.parametrize(("change", "field"), [
    ({"token": ""}, "token"),
    ({"token": "abc def"}, "token"),
    ({"token": "abc\n"}, "token"),
    ({"token": "x" * 4097}, "token"),
    ({"platform": "symbian"}, "platform"),
    ({"owner_type": "shop"}, "owner_type"),
    ({"owner_id": ""}, "owner_id"),
])
def test_bad_input_names_its_field_and_changes_nothing(shop: Shop, cashier: Actor,
                                                       change: dict[str, str],
                                                       field: str) -> None:
    args = {"owner_type": "user", "owner_id": cashier.id, "token": TOKEN,
            "platform": "android", **change}
    with shop.uow() as uow, pytest.raises(BadInput) as err:
        dt.register_token(uow, cashier, **args)
    assert err.value.field == field
    assert TOKEN not in str(err.value)
    with shop.uow(write=False) as uow:
        assert dt.list_tokens(uow) == ()


def test_unknown_owner_and_rights(shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    with shop.uow() as uow, pytest.raises(NotFound) as err:
        dt.register_token(uow, cashier, owner_type="customer", owner_id=cashier.id,
                          token=TOKEN, platform="web")
    assert err.value.field == "owner_id"
    # A cashier may not register a device for another user; a supervisor may.
    with shop.uow() as uow, pytest.raises(Refused):
        dt.register_token(uow, cashier, owner_type="user", owner_id=supervisor.id,
                          token=TOKEN, platform="web")
    view = _register(shop, supervisor, owner_id=cashier.id)
    assert view.owner_id == cashier.id
    # Without a PIN (the shift's default cashier) nothing but selling.
    no_pin = Actor(cashier.id, cashier.name, cashier.role, pin_checked=False)
    with shop.uow() as uow, pytest.raises(Refused):
        dt.deactivate(uow, no_pin, view.id, "hilang")


def test_deactivate_by_a_person_by_token_or_id(shop: Shop, cashier: Actor,
                                               supervisor: Actor) -> None:
    mine = _register(shop, cashier)
    theirs = _register(shop, supervisor, token=TOKEN + "S")
    with shop.uow() as uow, pytest.raises(Refused):
        dt.deactivate(uow, cashier, theirs.id, "hilang")
    with shop.uow() as uow, pytest.raises(BadInput) as err:
        dt.deactivate(uow, cashier, mine.id, "  ")
    assert err.value.field == "reason"
    with shop.uow() as uow:
        done = dt.deactivate(uow, cashier, TOKEN, "HP hilang")
    assert (done.id, done.active, done.deactivated_reason) == (mine.id, False, "HP hilang")
    with shop.uow() as uow, pytest.raises(Conflict):
        dt.deactivate(uow, cashier, mine.id, "lagi")
    with shop.uow() as uow, pytest.raises(NotFound):
        dt.deactivate(uow, supervisor, "no-such-token", "x")
    with shop.uow(write=False) as uow:
        assert [t.id for t in dt.list_tokens(uow, active=True)] == [theirs.id]
        assert [t.id for t in dt.list_tokens(uow, active=False)] == [mine.id]
        assert [t.id for t in dt.list_tokens(uow, owner_type="customer")] == []
        assert len(dt.list_tokens(uow, limit=1)) == 1

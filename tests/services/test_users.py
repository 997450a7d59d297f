"""Users, PINs (scrypt), lockout, rights checked in the services, audited changes."""

from __future__ import annotations

import pytest

from app.shop import Shop
from services.errors import BadInput, Refused
from services.users import Actor, change_role, create_user, unlock_user
from tests.conftest import login
from tests.helpers import scalar


def test_pins_are_scrypt_hashes(shop: Shop) -> None:
    stored = scalar(shop, "SELECT pin_hash FROM user WHERE name='Sari'")
    assert stored.startswith("scrypt$") and "1234" not in stored


def test_lockout_after_five_wrong_pins(shop: Shop, supervisor: Actor) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(Refused) as e:
            login(shop, "Sari", "0000")
        assert f"{left} tries left" in e.value.message
    with pytest.raises(Refused) as e:
        login(shop, "Sari", "0000")
    assert "locked" in e.value.message
    with pytest.raises(Refused):  # the right PIN no longer helps
        login(shop, "Sari", "1234")
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action='user.locked'") == 1
    with shop.uow() as uow:
        unlock_user(uow, supervisor, "Sari")
        uow.commit()
    assert login(shop, "Sari", "1234").role == "cashier"


def test_a_good_pin_resets_the_failure_count(shop: Shop) -> None:
    for _ in range(4):
        with pytest.raises(Refused):
            login(shop, "Sari", "0000")
    login(shop, "Sari", "1234")
    with pytest.raises(Refused) as e:
        login(shop, "Sari", "0000")
    assert "4 tries left" in e.value.message


def test_only_owner_adds_users_and_changes_roles(shop: Shop, cashier: Actor,
                                                 owner: Actor) -> None:
    with shop.uow() as uow, pytest.raises(Refused):
        create_user(uow, cashier, name="Eko", role="cashier", pin="4321")
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        create_user(uow, owner, name="Eko", role="cashier", pin="12")
    assert e.value.field == "pin"
    with shop.uow() as uow:
        create_user(uow, owner, name="Eko", role="cashier", pin="4321")
        change_role(uow, owner, "Eko", "supervisor")
        uow.commit()
    assert login(shop, "Eko", "4321").role == "supervisor"
    actions = scalar(shop, "SELECT group_concat(action) FROM audit_log WHERE action LIKE 'user.%'")
    assert "user.create" in actions and "user.role" in actions

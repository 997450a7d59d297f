"""``warungin customers|keys|kasbon`` in-process, JSON on stdout, refusals on stderr."""

from __future__ import annotations

import json
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import text

from app.cli.main import main
from app.shop import Shop
from local_db.store import write_settings
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor

PHONE = "0812-0000-1234"  # obviously fake


#: The demo's PINs, given as a script gives them: in WARUNGIN_PIN, never on the command line.
PINS = {"Sari": "1234", "Budi": "5678", "Wati": "9999"}


def run(capsys: pytest.CaptureFixture[str], shop: Shop, *argv: str) -> tuple[int, Any, str]:
    capsys.readouterr()
    user = argv[argv.index("--user") + 1] if "--user" in argv else None
    with pytest.MonkeyPatch.context() as env:
        if user in PINS:
            env.setenv("WARUNGIN_PIN", PINS[str(user)])
        else:
            env.delenv("WARUNGIN_PIN", raising=False)
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_add_find_show(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, added, _ = run(capsys, shop, "customers", "add", "--name", "Ibu Contoh", "--phone",
                         PHONE, "--email", "ibu@contoh.id", "--address", "Jl. Contoh 1",
                         "--consent", "--user", "Sari")
    assert code == 0
    assert added["phone"] == "+6281200001234" and added["consent_marketing"] is True
    code, found, _ = run(capsys, shop, "customers", "find", "--phone", "+62 812 0000 1234")
    assert code == 0 and [c["id"] for c in found] == [added["id"]]
    code, hits, _ = run(capsys, shop, "customers", "find", "--name", "contoh")
    assert code == 0 and hits == [{"id": added["id"], "name": "Ibu Contoh", "has_phone": True,
                                   "credit_limit": 0}]
    code, shown, _ = run(capsys, shop, "customers", "show", added["id"])
    assert code == 0 and shown == added
    code, nothing, _ = run(capsys, shop, "customers", "find", "--phone", "0812-0000-9999")
    assert code == 0 and nothing == []


def test_bad_input_and_rights(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, shop, "customers", "add", "--name", "X", "--phone", "123")
    assert code == 2 and out is None and "phone" in err
    code, out, err = run(capsys, shop, "customers", "add", "--name", "X")
    assert code == 3 and err.startswith("error: pin:")  # the shift's cashier may only sell
    code, out, err = run(capsys, shop, "customers", "add", "--name", "X", "--credit-limit",
                         "50000", "--user", "Sari")
    assert code == 3 and "supervisor" in err
    code, out, _ = run(capsys, shop, "customers", "add", "--name", "X", "--credit-limit",
                       "50.000", "--user", "Budi")
    assert code == 0 and out["credit_limit"] == 50_000


def test_erase_needs_the_owner(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    _, added, _ = run(capsys, shop, "customers", "add", "--name", "Ibu Contoh", "--phone", PHONE,
                      "--user", "Sari")
    code, _, err = run(capsys, shop, "customers", "erase", added["id"])
    assert code == 2 and "--user" in err
    code, _, err = run(capsys, shop, "customers", "erase", added["id"], "--user", "Sari")
    assert code == 3 and "owner" in err
    code, erased, _ = run(capsys, shop, "customers", "erase", added["id"], "--user", "Wati")
    assert code == 0 and erased["customer_id"] == added["id"]
    _, shown, _ = run(capsys, shop, "customers", "show", added["id"])
    assert shown["name"] == "Dihapus" and shown["phone"] is None and shown["erased_at"]


def test_keys_rotate_keeps_lookups_working(shop: Shop,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _, added, _ = run(capsys, shop, "customers", "add", "--name", "Ibu Contoh", "--phone", PHONE,
                      "--user", "Sari")
    code, _, err = run(capsys, shop, "keys", "rotate", "--user", "Budi")
    assert code == 3 and "owner" in err
    code, rotated, _ = run(capsys, shop, "keys", "rotate", "--user", "Wati")
    assert code == 0 and rotated["customers_reencrypted"] == 1
    assert set(rotated) == {"new_key_id", "previous_key_ids", "customers_reencrypted",
                            "removed_key_ids"}  # ids only, never key material
    _, found, _ = run(capsys, shop, "customers", "find", "--phone", PHONE)
    assert [c["id"] for c in found] == [added["id"]]


def test_kasbon_pay_balance_list(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    _, c, _ = run(capsys, shop, "customers", "add", "--name", "Bu Ani Contoh", "--credit-limit",
                  "20000", "--user", "Budi")
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text("SELECT id, name, role FROM user WHERE name = 'Sari'")).one()
    with shop.uow() as uow:
        complete_sale(uow, shop.config, Actor(row[0], row[1], row[2]), SaleRequest(
            (LineRequest("MI-0001", 2000),), (PaymentRequest("kasbon", 7_000),),
            customer_id=c["id"]))
    code, bal, _ = run(capsys, shop, "kasbon", "balance", c["id"])
    assert code == 0 and bal["balance"] == 7_000 and bal["available"] == 13_000
    code, listed, _ = run(capsys, shop, "kasbon", "list")
    assert code == 0 and [x["customer_id"] for x in listed] == [c["id"]]
    code, _, err = run(capsys, shop, "kasbon", "pay", c["id"], "8000", "--user", "Sari")
    assert code == 2 and "amount" in err
    code, _, err = run(capsys, shop, "kasbon", "pay", c["id"], "7.000")
    assert code == 3 and err.startswith("error: pin:")  # the shift's cashier may only sell
    code, paid, _ = run(capsys, shop, "kasbon", "pay", c["id"], "7.000", "--user", "Sari")
    assert code == 0 and paid["balance_after"] == 0 and paid["method"] == "cash"
    code, listed, _ = run(capsys, shop, "kasbon", "list")
    assert listed == []
    code, report, _ = run(capsys, shop, "shift", "report")
    assert code == 0 and report["kasbon_repaid_cash"] == 7_000


def test_no_keyring_is_a_clear_message(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"shop_mode": "shop"})
        uow.commit()
    keyring.set_keyring(fail.Keyring())
    code, out, err = run(capsys, shop, "customers", "add", "--name", "Ibu Contoh")
    assert code == 5 and out is None
    assert "No secure keyring" in err and "PYTHON_KEYRING_BACKEND" in err
    code, _, _ = run(capsys, shop, "customers", "find", "--name", "contoh")
    assert code == 0  # a name search needs no key

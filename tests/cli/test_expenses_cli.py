"""``warungin expenses add|list|categories`` and ``warungin payables list|pay`` in-process:
JSON out, round trips through the services, exit 2 naming the field on bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from app.cli.main import main
from app.shop import Shop

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


def _count(shop: Shop, table: str) -> int:
    with shop.uow(write=False) as uow:
        return int(uow.session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0)


def test_categories_list_and_add(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, cats, _ = run(capsys, shop, "expenses", "categories")
    assert code == 0 and cats[0] == {"code": "listrik", "name": "Listrik",
                                     "account_code": "6-1101", "active": True}
    assert len(cats) == 9
    code, added, _ = run(capsys, shop, "expenses", "categories", "add", "internet",
                         "Internet", "--user", "Wati")
    assert code == 0 and added == {"code": "internet", "name": "Internet",
                                   "account_code": "6-1110", "active": True}
    code, cats, _ = run(capsys, shop, "expenses", "categories", "--all")
    assert code == 0 and cats[-1] == added
    code, out, err = run(capsys, shop, "expenses", "categories", "add", "internet",
                         "Internet lagi", "--user", "Wati")
    assert code == 3 and out is None and err.startswith("error: code:")
    code, out, err = run(capsys, shop, "expenses", "categories", "add", "9x", "X",
                         "--user", "Wati")
    assert code == 2 and err.startswith("error: code:")
    code, out, err = run(capsys, shop, "expenses", "categories", "add", "kopi", "Kopi",
                         "--user", "Budi")
    assert code == 3 and err.startswith("error: user:")  # owner only


def test_add_list_and_pay_round_trip(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, cash, _ = run(capsys, shop, "expenses", "add", "es_batu", "15.000", "--payee",
                        "Depot Es", "--paid-from", "drawer", "--note", "2 balok",
                        "--user", "Budi")
    assert code == 0
    assert (cash["category"], cash["amount"], cash["paid_from"], cash["note"]) == (
        "es_batu", 15_000, "drawer", "2 balok")
    code, owed, _ = run(capsys, shop, "expenses", "add", "sewa", "2000000", "--payee",
                        "Pak Haji", "--paid-from", "owed", "--due-date", "2030-01-10",
                        "--receipt-photo", "/foto/kwitansi.jpg", "--user", "Wati")
    assert code == 0 and owed["payable_id"] and owed["due_date"] == "2030-01-10"
    assert owed["receipt_photo"] == "/foto/kwitansi.jpg"
    code, listed, _ = run(capsys, shop, "expenses", "list")
    assert code == 0 and {e["id"] for e in listed} == {cash["id"], owed["id"]}
    code, only, _ = run(capsys, shop, "expenses", "list", "--category", "sewa")
    assert code == 0 and only == [owed]

    code, payables, _ = run(capsys, shop, "payables", "list")
    assert code == 0
    (mine,) = [p for p in payables if p["id"] == owed["payable_id"]]
    assert (mine["amount"], mine["paid"], mine["open_amount"], mine["due_date"],
            mine["source"], mine["source_id"]) == (2_000_000, 0, 2_000_000, "2030-01-10",
                                                   "expense", owed["id"])
    code, after, _ = run(capsys, shop, "payables", "pay", mine["id"], "500.000", "--from",
                         "bank", "--user", "Budi")
    assert code == 0 and (after["paid"], after["open_amount"]) == (500_000, 1_500_000)
    before = _count(shop, "payable_payment")
    code, out, err = run(capsys, shop, "payables", "pay", mine["id"], "1500001", "--from",
                         "bank", "--user", "Budi")
    assert code == 2 and out is None and err.startswith("error: amount:")
    assert _count(shop, "payable_payment") == before
    code, after, _ = run(capsys, shop, "payables", "pay", mine["id"], "1500000", "--from",
                         "drawer", "--user", "Wati")
    assert code == 0 and after["open_amount"] == 0
    code, payables, _ = run(capsys, shop, "payables", "list")
    assert code == 0 and mine["id"] not in [p["id"] for p in payables]
    code, payables, _ = run(capsys, shop, "payables", "list", "--all", "--supplier",
                            "Pak Haji")
    assert code == 0 and [p["paid"] for p in payables] == [2_000_000]


def test_bad_input_exits_2_naming_the_field(shop: Shop,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    before = _count(shop, "expense")
    for argv, field in [
            (["expenses", "add", "air", "0", "--payee", "PDAM", "--paid-from", "bank"],
             "amount"),
            (["expenses", "add", "air", "12,5", "--payee", "PDAM", "--paid-from", "bank"],
             "amount"),
            (["expenses", "add", "air", "1000", "--payee", "", "--paid-from", "bank"],
             "payee"),
            (["expenses", "add", "air", "1000", "--payee", "PDAM", "--paid-from", "owed"],
             "due_date"),
            (["expenses", "add", "air", "1000", "--payee", "PDAM", "--paid-from", "bank",
              "--spent-on", "kemarin"], "spent_on")]:
        code, out, err = run(capsys, shop, *argv, "--user", "Budi")
        assert code == 2 and out is None and err.startswith(f"error: {field}:"), (argv, err)
    code, out, err = run(capsys, shop, "expenses", "add", "kopi", "1000", "--payee", "X",
                         "--paid-from", "bank", "--user", "Budi")
    assert code == 3 and err.startswith("error: category:")
    code, out, err = run(capsys, shop, "expenses", "add", "air", "1000", "--payee", "PDAM",
                         "--paid-from", "bank", "--user", "Sari")
    assert code == 3 and err.startswith("error: user:")  # a cashier may not
    code, out, err = run(capsys, shop, "expenses", "list", "--from", "01/12/2026")
    assert code == 2 and err.startswith("error: since:")
    code, out, err = run(capsys, shop, "payables", "list", "--as-of", "x")
    assert code == 2 and err.startswith("error: as_of:")
    code, out, err = run(capsys, shop, "payables", "pay", "nope", "1000", "--from", "bank",
                         "--user", "Budi")
    assert code == 3 and err.startswith("error: payable_id:")
    assert _count(shop, "expense") == before

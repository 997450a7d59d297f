"""``warungin loyalty settings|balance|ledger|adjust|expire|tiers`` in-process: JSON out,
round trips through the services, exit 2 naming the field on bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.cli.main import main
from app.shop import Shop
from local_db.ids import now_iso, uuid7
from local_db.models import Customer

PINS = {"Sari": "1234", "Budi": "5678", "Wati": "9999"}


def run(capsys: pytest.CaptureFixture[str], shop: Shop, *argv: str,
        approver_pin: str | None = None) -> tuple[int, Any, str]:
    capsys.readouterr()
    user = argv[argv.index("--user") + 1] if "--user" in argv else None
    with pytest.MonkeyPatch.context() as env:
        if user in PINS:
            env.setenv("WARUNGIN_PIN", PINS[str(user)])
        if approver_pin is not None:
            env.setenv("WARUNGIN_APPROVER_PIN", approver_pin)
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def _member(shop: Shop) -> str:
    cid = uuid7()
    stamp = now_iso()
    with shop.uow() as uow:
        uow.session.add(Customer(id=cid, name="Bu Ani", credit_limit=0,
                                 consent_marketing=False, created_at=stamp, updated_at=stamp))
        uow.commit()
    return cid


def test_settings_balance_adjust_ledger_expire_tiers(
        shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, s, _ = run(capsys, shop, "loyalty", "settings")
    assert code == 0 and s["enabled"] is False and s["tiers"][0]["threshold"] == 0
    code, s, _ = run(capsys, shop, "loyalty", "settings", "--set", "enabled=1",
                     "--set", "point_value=50", "--user", "Wati")
    assert code == 0 and s["enabled"] is True and s["point_value"] == 50
    code, _, err = run(capsys, shop, "loyalty", "settings", "--set", "step=0",
                       "--user", "Wati")
    assert code == 2 and "step" in err
    code, _, err = run(capsys, shop, "loyalty", "settings", "--set", "step=5",
                       "--user", "Budi")
    assert code != 0 and "owner" in err
    cid = _member(shop)
    code, row, _ = run(capsys, shop, "loyalty", "adjust", cid, "40", "--reason",
                       "poin lama", "--user", "Sari", "--approver", "Budi",
                       approver_pin="5678")
    assert code == 0 and row["kind"] == "adjust" and row["points"] == 40
    code, bal, _ = run(capsys, shop, "loyalty", "balance", cid)
    assert code == 0 and (bal["balance"], bal["value"], bal["tier"]) == (40, 2_000, "bronze")
    code, led, _ = run(capsys, shop, "loyalty", "ledger", cid)
    assert code == 0 and [e["points"] for e in led["entries"]] == [40]
    code, exp, _ = run(capsys, shop, "loyalty", "expire", "--now", "2099-01-01T00:00:00")
    assert code == 0 and exp == {"rows": 1, "points": 40, "members": 1}
    code, exp, _ = run(capsys, shop, "loyalty", "expire", "--now", "2099-01-01T00:00:00")
    assert code == 0 and exp["rows"] == 0
    code, tiers, _ = run(capsys, shop, "loyalty", "tiers", "--recalc")
    assert code == 0 and tiers["tiers"][cid] == "bronze"
    code, _, err = run(capsys, shop, "loyalty", "balance", uuid7())
    assert code != 0 and "customer" in err

"""``warungin sale`` with a promo code in its JSON: the code's discount, its use recorded,
and a code the shop refuses named as ``promo_code`` with nothing written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.shop import Shop
from local_db.ids import now_iso
from services.promo_codes import PromoSpec, check_spec, insert_promo
from services.users import Actor
from tests.cli.test_cli_sale import run
from tests.helpers import counts, scalar
from tests.services.campaign_helpers import add_customers


def test_sale_json_with_a_promo_code(shop: Shop, owner: Actor,
                                     capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (cid,) = add_customers(shop, 1)
    now = datetime.now(UTC)
    spec = check_spec(PromoSpec("HEMAT10", percent=Decimal(10),
                                valid_from=(now - timedelta(days=1)).isoformat(),
                                valid_until=(now + timedelta(days=7)).isoformat()))
    with shop.uow() as uow:
        insert_promo(uow.conn, spec, campaign_id=None, created_by=owner.id, now=now_iso())
        uow.commit()
    d = ["--data-dir", str(shop.folder)]
    sale = {"lines": [{"sku": "MI-0001", "qty": 10}], "customer_id": cid,
            "payments": [{"method": "cash", "tendered": 50_000}], "promo_code": "hemat10"}
    code, out, err = run(capsys, monkeypatch, ["sale", *d], json.dumps(sale))
    assert code == 0, err
    done = json.loads(out)
    assert done["discount_total"] == 3500 and done["total"] == 31_500
    assert scalar(shop, "SELECT count(*) FROM promo_redemption WHERE sale_id = :s",
                  s=done["id"]) == 1
    # Used up by this customer (one use), malformed, unknown: refused naming the field.
    before = counts(shop)
    for promo, exit_code in (("HEMAT10", 3), ("a b", 2), ("NOPE99", 3)):
        code, out, err = run(capsys, monkeypatch, ["sale", *d],
                             json.dumps({**sale, "promo_code": promo}))
        assert code == exit_code and out == "" and err.startswith("error: promo_code:"), err
    assert counts(shop) == before
    # A lone non-cash payment pays the amount due after the code's discount.
    (other,) = add_customers(shop, 1, start=50)
    code, out, err = run(capsys, monkeypatch, ["sale", *d], json.dumps(
        {**sale, "customer_id": other, "payments": [{"method": "edc"}]}))
    assert code == 0, err
    assert json.loads(out)["payments"][0]["amount"] == 31_500

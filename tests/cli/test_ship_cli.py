"""``warungin providers biteship|jne|jnt|pos`` and ``warungin ship ...`` in-process: JSON on
stdout, refusals on stderr (exit 2 naming the field for bad input), against a Biteship
simulator on 127.0.0.1 where a courier is called."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.cli.main import main
from app.secrets import secret_store_for
from app.shop import Shop
from sync.simulators.biteship import DEFAULT_KEY, BiteshipSimulator
from tests.services.test_shipping_support import ORIGIN, a_sale, count

PINS = {"Sari": "1234", "Budi": "5678", "Wati": "9999"}


def run(capsys: pytest.CaptureFixture[str], shop: Shop, *argv: str,
        stdin: str = "") -> tuple[int, Any, str]:
    capsys.readouterr()
    user = argv[argv.index("--user") + 1] if "--user" in argv else None
    with pytest.MonkeyPatch.context() as env:
        if user in PINS:
            env.setenv("WARUNGIN_PIN", PINS[str(user)])
        env.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    return code, (json.loads(lines[-1]) if lines else None), err


@pytest.fixture
def sim() -> Iterator[BiteshipSimulator]:
    s = BiteshipSimulator(seed=4)
    s.start()
    yield s
    s.stop()


def setup_biteship(capsys: pytest.CaptureFixture[str], shop: Shop, url: str) -> Any:
    origin = []
    for key, value in ORIGIN.items():
        origin += ["--origin-" + key.rsplit(".", 1)[1].replace("_", "-"), value]
    return run(capsys, shop, "providers", "biteship", "--url", url, "--user", "Wati",
               "--default", "biteship:jne:reg", "--timeout", "2", *origin,
               stdin=DEFAULT_KEY + "\n")


def item(sale_id: str, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sale_id": sale_id,
        "recipient": {"name": "Pak Anton", "phone": "0813-2222-3333",
                      "address": "Jl. Kenanga 12, Coblong", "postal_code": "40132"},
        "parcel": {"weight_g": 900, "length_cm": 20, "width_cm": 15, "height_cm": 10,
                   "declared_value": 80_000, "description": "Kopi"}}
    out.update(kw)
    return out


def test_providers_sets_settings_and_the_key_owner_only(
        shop: Shop, capsys: pytest.CaptureFixture[str], sim: BiteshipSimulator) -> None:
    code, out, err = run(capsys, shop, "providers", "biteship", "--url", sim.base_url,
                         "--user", "Sari", stdin="k\n")
    assert code == 3 and "owner" in err
    code, out, err = run(capsys, shop, "providers", "jnt", "--user", "Wati", stdin="a\n")
    assert code == 2 and "jnt-sign-key" in err  # three secrets, one per line
    code, out, err = run(capsys, shop, "providers", "biteship", "--url", "ftp://x",
                         "--user", "Wati", "--no-secrets")
    assert code == 2 and "url" in err
    code, out, err = setup_biteship(capsys, shop, sim.base_url)
    assert code == 0, err
    assert out["enabled"] == ["biteship"] and out["secrets"] == {
        "biteship-api-key": "stored in the keyring"}
    assert DEFAULT_KEY not in json.dumps(out) and "0812" not in json.dumps(out)
    assert secret_store_for(shop).get("biteship-api-key") == DEFAULT_KEY
    assert count(shop, "audit_log", "action = 'provider.credentials'") == 1
    assert count(shop, "setting", "value LIKE :k", k=f"%{DEFAULT_KEY}%") == 0


def test_create_list_show_and_bad_input(shop: Shop, capsys: pytest.CaptureFixture[str],
                                        sim: BiteshipSimulator) -> None:
    setup_biteship(capsys, shop, sim.base_url)
    sale = a_sale(shop)
    code, made, err = run(capsys, shop, "ship", "create", "--user", "Sari",
                          stdin=json.dumps(item(sale, request_key="k1")))
    assert code == 0, err
    assert made["status"] == "queued" and made["courier"] == "biteship" and not made["existing"]
    code, again, _ = run(capsys, shop, "ship", "create", "--user", "Sari",
                         stdin=json.dumps(item(sale, request_key="k1")))
    assert again["id"] == made["id"] and again["existing"]
    code, listed, _ = run(capsys, shop, "ship", "list", "--status", "queued")
    assert [r["id"] for r in listed] == [made["id"]]
    code, shown, _ = run(capsys, shop, "ship", "show", made["id"])
    assert shown["recipient_phone"] == "+6281322223333" and shown["events"][0]["status"] == \
        "queued"
    bad = item(sale)
    bad["parcel"]["weight_g"] = 0
    code, out, err = run(capsys, shop, "ship", "create", "--user", "Sari",
                         stdin=json.dumps(bad))
    assert code == 2 and out is None and "weight_g" in err
    code, out, err = run(capsys, shop, "ship", "create", "--user", "Sari",
                         stdin=json.dumps(item(sale, service="nope")))
    assert code == 2 and "service" in err
    code, out, err = run(capsys, shop, "ship", "create", "--user", "Sari", stdin="{")
    assert code == 2 and "input" in err
    assert count(shop, "shipment") == 1


def test_batch_sends_and_a_rerun_creates_nothing_twice(
        shop: Shop, capsys: pytest.CaptureFixture[str], sim: BiteshipSimulator) -> None:
    setup_biteship(capsys, shop, sim.base_url)
    sale = a_sale(shop)
    items = [item(sale) for _ in range(6)]
    items.append(item(sale, recipient={"name": "X", "phone": "1", "address": "Y",
                                       "postal_code": "40132"}))
    payload = json.dumps({"batch_id": "B-7", "items": items})
    code, first, err = run(capsys, shop, "ship", "batch", "--user", "Sari", "--deadline", "60",
                           stdin=payload)
    assert code == 0, err
    assert first["done"] and first["counts"] == {"created": 6, "refused": 1}
    assert first["items"][-1]["field"] == "recipient_phone"
    assert all(i["waybill_id"] is None or i["waybill_id"] for i in first["items"][:6])
    code, second, _ = run(capsys, shop, "ship", "batch", "--user", "Sari", stdin=payload)
    assert [i["shipment_id"] for i in second["items"]] == [
        i["shipment_id"] for i in first["items"]]
    assert all(i["queued"] == "existing" for i in second["items"][:6])
    assert len(sim.orders()) == 6 and count(shop, "shipment") == 6
    code, out, err = run(capsys, shop, "ship", "batch", "--user", "Sari",
                         stdin=json.dumps({"items": items}))
    assert code == 2 and "batch_id" in err


def test_track_cancel_and_rates(shop: Shop, capsys: pytest.CaptureFixture[str],
                                sim: BiteshipSimulator) -> None:
    setup_biteship(capsys, shop, sim.base_url)
    sale = a_sale(shop)
    code, made, _ = run(capsys, shop, "ship", "create", "--user", "Sari",
                        stdin=json.dumps(item(sale)))
    code, tracked, err = run(capsys, shop, "ship", "track", made["id"])
    assert code == 0, err
    assert tracked["status"] == "created" and tracked["provider_order_id"]
    sim.advance(60)
    code, tracked, _ = run(capsys, shop, "ship", "track", made["id"])
    assert tracked["status"] == "allocated" and tracked["waybill_id"]
    code, cancelled, err = run(capsys, shop, "ship", "cancel", made["id"], "--reason",
                               "pembeli batal", "--user", "Sari")
    assert code == 0, err
    code, tracked, _ = run(capsys, shop, "ship", "track", made["id"])  # runs the cancel job
    assert tracked["status"] == "cancelled"
    code, out, err = run(capsys, shop, "ship", "cancel", made["id"], "--reason", "x",
                         "--user", "Sari")
    assert code == 3 and "shipment" in err
    code, rates, err = run(capsys, shop, "ship", "rates", stdin=json.dumps(
        {"destination": {"postal_code": "40132"},
         "parcel": {"weight_g": 1200, "length_cm": 30, "width_cm": 20, "height_cm": 10,
                    "declared_value": 150_000}}))
    assert code == 0, err
    assert rates["rates"] and rates["cheapest"]["price"] == min(
        r["price"] for r in rates["rates"]) and rates["failures"] == {}

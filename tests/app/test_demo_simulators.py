"""``warungin demo --simulators``: every provider simulator starts, the demo shop is pointed
at them, and a newcomer's first steps work with no credentials — a sale's parcel goes out
and moves, and its receipt reaches the Twilio simulator's outbox as WhatsApp."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from app.cli.main import main
from app.demo_simulators import started
from app.shop import Shop


def run(capsys: pytest.CaptureFixture[str], shop: Shop, *argv: str, stdin: str = "",
        pin: str | None = "1234") -> Any:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as env:
        if pin:
            env.setenv("WARUNGIN_PIN", pin)
        env.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_a_newcomer_ships_a_parcel_and_sends_a_whatsapp_receipt(
        shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    with started(shop, 0) as sims:
        assert len(sims.urls()) == 8 and all(u.startswith("http://127.0.0.1:")
                                             for u in sims.urls().values())
        sale = run(capsys, shop, "sale", "--user", "Sari", stdin=json.dumps(
            {"lines": [{"sku": "MI-0001", "qty": 2}],
             "payments": [{"method": "cash", "amount": 10_000}]}))
        parcel = run(capsys, shop, "ship", "create", "--user", "Sari", stdin=json.dumps({
            "receipt_no": sale["receipt_no"], "service": "biteship:jne:reg",
            "recipient": {"name": "Pak Anton", "phone": "0813-2222-3333",
                          "address": "Jl. Kenanga 12, Coblong", "postal_code": "40132"},
            "parcel": {"weight_g": 900, "length_cm": 20, "width_cm": 15, "height_cm": 10,
                       "declared_value": 7000, "description": "Mi instan"}}))
        assert parcel["status"] == "queued"
        run(capsys, shop, "messages", "send", "--user", "Sari", "--receipt",
            sale["receipt_no"], "--channel", "whatsapp", "--to", "0813-2222-3333")
        run(capsys, shop, "jobs", "--once", pin=None)
        shipped = run(capsys, shop, "ship", "show", parcel["id"], pin=None)
        assert shipped["status"] == "created", shipped["last_error"]
        assert sims.biteship.creates(parcel["id"]) == 1
        sims.biteship.advance(120)  # the simulator's parcels move on its clock
        tracked = run(capsys, shop, "ship", "track", parcel["id"], pin=None)
        assert tracked["status"] not in ("queued", "created", "failed")
        outbox = sims.messaging.twilio.outbox()
        receipts = [m for m in outbox if sale["receipt_no"] in json.dumps(m)]
        assert receipts and all(m["to"] == "whatsapp:+6281322223333" for m in receipts)
        assert receipts[0]["content_sid"]  # business-initiated: the approved template

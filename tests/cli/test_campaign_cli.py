"""``warungin campaign create|preview|send|results|opt-out`` and ``warungin segments``
in-process: JSON out, the same services, exit 2 naming the field on bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.cli.main import main
from app.shop import Shop
from tests.services.campaign_helpers import add_customers

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


def test_campaign_round_trip(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    ids = add_customers(shop, 40)
    code, made, err = run(capsys, shop, "campaign", "create", "--user", "Wati",
                          "--name", "Promo Desember", "--channel", "whatsapp",
                          "--text", "diskon 10% minggu ini.", "--cost", "25.000",
                          "--seed", "9", "--promo-code", "DES10", "--promo-percent", "10",
                          "--promo-from", "2026-12-01T00:00:00+07:00",
                          "--promo-until", "2027-01-01T00:00:00+07:00")
    assert code == 0, err
    assert made["status"] == "draft" and made["cost"] == 25_000 and made["seed"] == 9
    assert made["promo"]["code"] == "DES10"
    cid = made["id"]
    code, count, _ = run(capsys, shop, "campaign", "preview", cid, "--user", "Wati")
    assert code == 0 and count["eligible"] >= 40 and count["holdout"] + count["send"] == \
        count["eligible"]
    code, sent, _ = run(capsys, shop, "campaign", "send", cid, "--user", "Wati")
    assert code == 0 and sent["campaign"]["status"] == "sent"
    assert sent["queued"] == sent["campaign"]["send_size"] == count["send"]
    code, again, _ = run(capsys, shop, "campaign", "send", cid, "--user", "Wati")
    assert code == 0 and again["campaign"]["already"] and again["queued"] == 0
    code, results, _ = run(capsys, shop, "campaign", "results", cid, "--user", "Budi")
    assert code == 0 and results["holdout"]["size"] == count["holdout"]
    assert results["attributed_revenue_label"].startswith("attributed revenue")
    assert results["lift"] is None and results["notes"]  # a holdout of 4: no number
    code, listed, _ = run(capsys, shop, "campaign", "list", "--user", "Budi")
    assert code == 0 and listed[0]["id"] == cid
    code, out, _ = run(capsys, shop, "campaign", "opt-out", ids[0], "--user", "Sari")
    assert code == 0 and out["changed"] and out["granted"] is False


def test_bad_input_names_the_field(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, shop, "campaign", "create", "--user", "Wati", "--name", "x",
                         "--channel", "sms", "--text", "t", "--audience", '{"umur": 3}')
    assert code == 2 and out is None and "audience" in err
    code, out, err = run(capsys, shop, "campaign", "create", "--user", "Sari", "--name", "x",
                         "--channel", "sms", "--text", "t")
    assert code == 3 and "owner" in err
    code, out, err = run(capsys, shop, "campaign", "send", "nope", "--user", "Wati")
    assert code == 3 and "campaign_id" in err


def test_segments_command(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    add_customers(shop, 3)
    code, table, err = run(capsys, shop, "segments", "--recompute", "--user", "Budi",
                           "--lang", "en")
    assert code == 0, err
    names = {s["code"]: s["name"] for s in table["segments"]}
    assert names["juara"] == "Champions" and names["belum_belanja"] == "No purchase yet"
    assert table["computed_at"] is not None
    assert sum(s["customers"] for s in table["segments"]) >= 3
    code, out, err = run(capsys, shop, "segments", "--user", "Sari")
    assert code == 3 and "supervisor" in err

"""``warungin period close|lock|reopen|status`` in-process: JSON out, exit codes, the owner
only, nothing changed on a refusal."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main
from app.shop import Shop
from tests.helpers import scalar


def _period(shop: Shop, *args: str, pin: str | None = None) -> int:
    with pytest.MonkeyPatch.context() as env:
        if pin is None:
            env.delenv("WARUNGIN_PIN", raising=False)
        else:
            env.setenv("WARUNGIN_PIN", pin)
        return main(["period", *args, "--data-dir", str(shop.folder)])


def test_close_lock_status_reopen(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    assert _period(shop, "close", "2026-11", "--user", "Wati", "--note", "November",
                   pin="9999") == 0
    closed = json.loads(capsys.readouterr().out)
    assert closed["period"] == "2026-11" and closed["state"] == "soft"
    assert closed["starts_at"] == "2026-10-31T17:00:00.000000+00:00"
    assert closed["note"] == "November" and closed["late_postings"] == 0
    assert _period(shop, "status") == 0
    status = json.loads(capsys.readouterr().out)
    assert [(s["period"], s["state"]) for s in status] == [("2026-11", "soft")]
    assert _period(shop, "lock", "2026-11", "--ppn-filed-at", "2026-12-05", "--user", "Wati",
                   pin="9999") == 0
    assert json.loads(capsys.readouterr().out)["ppn_filed_at"] == "2026-12-05"
    before = scalar(shop, "SELECT COUNT(*) FROM audit_log")
    code = _period(shop, "reopen", "2026-11", "--reason", "salah", "--user", "Wati",
                   pin="9999")
    err = capsys.readouterr().err
    assert code == 3 and "locked" in err
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log") == before
    assert scalar(shop, "SELECT state FROM accounting_period") == "hard"


def test_refusals_name_the_field(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    assert _period(shop, "close", "2026-11") == 2  # who acts?
    assert "user" in capsys.readouterr().err
    assert _period(shop, "close", "2026-11", "--user", "Budi", pin="5678") == 3
    assert "owner" in capsys.readouterr().err
    assert _period(shop, "close", "2099-01", "--user", "Wati", pin="9999") == 3
    assert "not ended" in capsys.readouterr().err
    assert _period(shop, "close", "2026/11", "--user", "Wati", pin="9999") == 2
    assert "period" in capsys.readouterr().err
    assert scalar(shop, "SELECT COUNT(*) FROM accounting_period") == 0

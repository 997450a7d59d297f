"""``warungin bank ...`` in-process: JSON out, the owner only, bad input naming the field."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from app.cli.main import main
from app.shop import Shop


def run(capsys: pytest.CaptureFixture[str], shop: Shop, pin: str, *argv: str
        ) -> tuple[int, Any, str]:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WARUNGIN_PIN", pin)
        env.setattr("sys.stdin", io.StringIO(""))
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_capital_then_a_withdrawal_and_the_refusals(shop: Shop,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, moved, err = run(capsys, shop, "9999", "bank", "capital", "5.000.000",
                           "--user", "Wati", "--note", "modal awal")
    assert code == 0, err
    assert (moved["kind"], moved["amount"], moved["to_account"]) == ("capital", 5_000_000,
                                                                   "1-1200")
    code, moved, err = run(capsys, shop, "9999", "bank", "withdraw", "1000000",
                           "--user", "Wati")
    assert code == 0 and moved["to_account"] == "1-1110", err
    code, _, err = run(capsys, shop, "9999", "bank", "deposit", "abc", "--user", "Wati")
    assert code == 2 and "amount" in err
    code, _, err = run(capsys, shop, "1234", "bank", "deposit", "1000", "--user", "Sari")
    assert code == 3 and "owner" in err

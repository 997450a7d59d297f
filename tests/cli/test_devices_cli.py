"""``warungin devices register|list|deactivate`` in-process: JSON on stdout, refusals on
stderr, the token never printed whole."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import text

from app.cli.main import main
from app.shop import Shop

PINS = {"Sari": "1234", "Budi": "5678", "Wati": "9999"}
TOKEN = "cli-device-token:APA91b" + "K" * 150  # made up


def run(capsys: pytest.CaptureFixture[str], shop: Shop, *argv: str,
        stdin: str | None = None) -> tuple[int, Any, str]:
    capsys.readouterr()
    user = argv[argv.index("--user") + 1] if "--user" in argv else None
    with pytest.MonkeyPatch.context() as env:
        if user in PINS:
            env.setenv("WARUNGIN_PIN", PINS[str(user)])
        else:
            env.delenv("WARUNGIN_PIN", raising=False)
        if stdin is not None:
            env.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    assert TOKEN not in out and TOKEN not in err
    return code, (json.loads(out) if out.strip() else None), err


def _user_id(shop: Shop, name: str) -> str:
    with shop.uow(write=False) as uow:
        return str(uow.conn.execute(text('SELECT id FROM "user" WHERE name = :n'),
                                    {"n": name}).scalar())


def test_register_list_deactivate(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, made, err = run(capsys, shop, "devices", "register", "--user", "Sari",
                          "--platform", "android", "--token", TOKEN)
    assert code == 0, err
    assert made["owner_type"] == "user" and made["owner_id"] == _user_id(shop, "Sari")
    assert made["active"] is True and made["token"].endswith("…")
    # Again, the token from stdin: a refresh of the same row.
    code, again, _ = run(capsys, shop, "devices", "register", "--user", "Sari",
                         "--platform", "web", "--token", "-", stdin=TOKEN + "\n")
    assert code == 0 and again["id"] == made["id"] and again["platform"] == "web"
    code, listed, _ = run(capsys, shop, "devices", "list")
    assert code == 0 and [r["id"] for r in listed] == [made["id"]]
    code, _out, err = run(capsys, shop, "devices", "deactivate", made["id"], "--user", "Sari",
                          "--reason", "HP hilang")
    assert code == 0, err
    code, active, _ = run(capsys, shop, "devices", "list", "--active")
    code2, inactive, _ = run(capsys, shop, "devices", "list", "--inactive")
    assert (code, code2) == (0, 0) and active == []
    assert [(r["id"], r["deactivated_reason"]) for r in inactive] == [(made["id"], "HP hilang")]


def test_refusals_name_the_field(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, shop, "devices", "register", "--user", "Sari",
                          "--platform", "android", "--token", "has space")
    assert code == 2 and "token" in err
    # A cashier may not register a device for another user.
    code, _out, err = run(capsys, shop, "devices", "register", "--user", "Sari",
                          "--owner-user", _user_id(shop, "Budi"), "--platform", "ios",
                          "--token", TOKEN)
    assert code == 3 and "supervisor" in err
    # Nobody named: refused, not acted on as the shift's cashier.
    code, _out, err = run(capsys, shop, "devices", "register", "--platform", "ios",
                          "--token", TOKEN)
    assert code == 2 and "--user" in err
    code, _out, err = run(capsys, shop, "devices", "deactivate", "nope", "--user", "Budi",
                          "--reason", "x")
    assert code == 3 and "token" in err
    code, listed, _ = run(capsys, shop, "devices", "list")
    assert listed == []

"""Who may act, through the command line (issue 10): the issue's own cases, end to end.

PINs come from WARUNGIN_PIN / WARUNGIN_APPROVER_PIN (or a prompt on a terminal), never
from the command line; without ``--user`` a command acts as the shift's cashier, who may
only sell; a locked user never acts; a refusal writes nothing.
"""

from __future__ import annotations

import io
import json
import sys

import pytest
from sqlalchemy import text

from app.cli.main import main
from app.shop import Shop
from tests.helpers import counts

SALE = json.dumps({"lines": [{"sku": "MI-0001", "qty": 1}],
                   "payments": [{"method": "cash", "tendered": 10000}]})
PINS = {"Sari": "1234", "Budi": "5678", "Wati": "9999"}


def cli(shop: Shop, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "",
        pin: str | None = None, approver_pin: str | None = None) -> tuple[int, str, str]:
    """One command; the acting user's PIN is the demo's unless ``pin`` says otherwise."""
    capsys.readouterr()
    user = argv[argv.index("--user") + 1] if "--user" in argv else None
    with pytest.MonkeyPatch.context() as env:
        env.setattr(sys, "stdin", io.StringIO(stdin))
        for name, value in (("WARUNGIN_PIN", pin if pin is not None else PINS.get(str(user))),
                            ("WARUNGIN_APPROVER_PIN", approver_pin)):
            if value is None:
                env.delenv(name, raising=False)
            else:
                env.setenv(name, value)
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    return code, out, err


def lock(shop: Shop, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """Five wrong PINs in a row through the CLI: the fifth locks the user."""
    for _ in range(5):
        code, _, err = cli(shop, capsys, "stock", "count", "MI-0001", "1", "--user", name,
                           pin="0000")
        assert code == 3 and err.startswith("error: pin:")
    with shop.uow(write=False) as uow:
        assert uow.conn.execute(text("SELECT locked FROM user WHERE name = :n"),
                                {"n": name}).scalar() == 1


def refused(shop: Shop, capsys: pytest.CaptureFixture[str], field: str, *argv: str,
            code: int = 3, **kw: str) -> str:
    before = counts(shop)
    got, out, err = cli(shop, capsys, *argv, **kw)
    assert (got, out) == (code, ""), err
    assert err.startswith(f"error: {field}:"), err
    assert counts(shop) == before
    return err


def test_a_locked_cashier_cannot_sell_cash_out_or_close(shop: Shop,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    lock(shop, capsys, "Sari")
    # By default (she opened the shift) and with her own, right PIN: refused either way.
    assert "locked" in refused(shop, capsys, "user", "sale", stdin=SALE)
    assert "locked" in refused(shop, capsys, "pin", "sale", "--user", "Sari", stdin=SALE)
    refused(shop, capsys, "user", "shift", "cash", "out", "1000", "--reason", "x")
    refused(shop, capsys, "pin", "shift", "cash", "out", "1000", "--reason", "x",
            "--user", "Sari")
    refused(shop, capsys, "user", "shift", "close", "--counted", '{"100000": 2}')
    refused(shop, capsys, "pin", "shift", "close", "--counted", '{"100000": 2}',
            "--user", "Sari")
    refused(shop, capsys, "user", "sale", "--stream", stdin=SALE + "\n")


def test_a_locked_supervisor_cannot_change_stock_or_import(
        shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    """Budi opened the shift (so he is the default actor), then got locked."""
    code, _, err = cli(shop, capsys, "shift", "close", "--counted", "{}", "--user", "Sari")
    assert code == 0, err
    code, _, err = cli(shop, capsys, "shift", "open", "--float", "1000", "--user", "Budi")
    assert code == 0, err
    lock(shop, capsys, "Budi")
    for argv, stdin in ((("stock", "adjust", "MI-0002", "-5", "--reason", "rusak"), ""),
                        (("stock", "count", "MI-0002", "24"), ""),
                        (("stock", "receive"), json.dumps(
                            {"supplier": "PT Contoh", "lines": [
                                {"sku": "MI-0002", "qty": 10, "cost": 2800}]})),
                        (("products", "import", "-"), "sku,name,price\nNEW-1,Teh Baru,3000\n")):
        assert "locked" in refused(shop, capsys, "user", *argv, stdin=stdin)
        assert "locked" in refused(shop, capsys, "pin", *argv, "--user", "Budi", stdin=stdin)


def test_the_shifts_cashier_by_default_may_only_sell(shop: Shop,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    code, out, err = cli(shop, capsys, "sale", stdin=SALE)
    assert code == 0, err
    assert json.loads(out)["cashier"] == "Sari"
    for argv, stdin in ((("shift", "cash", "out", "1000", "--reason", "x"), ""),
                        (("shift", "cash", "in", "1000", "--reason", "x"), ""),
                        (("shift", "close", "--counted", '{"100000": 2}'), ""),
                        (("stock", "adjust", "MI-0002", "-5", "--reason", "rusak"), ""),
                        (("stock", "count", "MI-0002", "24"), ""),
                        (("products", "import", "-"), "sku,name,price\nNEW-1,Teh Baru,3000\n")):
        assert "PIN" in refused(shop, capsys, "pin", *argv, stdin=stdin)


def test_cash_out_beyond_the_drawer_needs_a_supervisor(shop: Shop,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """The issue's repro: after `shift open --float 1000`, `shift cash out 999999999`."""
    code, z, err = cli(shop, capsys, "shift", "close", "--counted", "{}", "--user", "Sari")
    assert code == 0, err
    code, _, err = cli(shop, capsys, "shift", "open", "--float", "1000", "--user", "Sari")
    assert code == 0, err
    out_args = ("shift", "cash", "out", "999999999", "--reason", "x", "--user", "Sari")
    assert "supervisor" in refused(shop, capsys, "approver", *out_args)
    refused(shop, capsys, "approver_pin", *out_args, "--approver", "Budi",
            "--approver-pin", "5678", code=2)  # never a PIN on the command line
    refused(shop, capsys, "pin", *out_args, "--approver", "Budi", approver_pin="0000")
    code, report, _ = cli(shop, capsys, "shift", "report")
    assert json.loads(report)["expected_cash"] == 1000
    code, out, err = cli(shop, capsys, *out_args, "--approver", "Budi", approver_pin="5678")
    assert code == 0, err
    with shop.uow(write=False) as uow:
        who = uow.conn.execute(text(
            "SELECT a.name, p.name FROM audit_log l JOIN user a ON a.id = l.actor_id "
            "JOIN user p ON p.id = l.approver_id WHERE l.action = 'drawer.cash_out_approved'"
        )).all()
    assert [tuple(r) for r in who] == [("Sari", "Budi")]
    del z


def test_no_pin_on_the_command_line(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(shop, capsys, "pin", "stock", "count", "MI-0001", "24", "--user", "Budi",
                  "--pin", "5678", code=2)
    assert "command line" in err and "WARUNGIN_PIN" in err
    refused(shop, capsys, "new_pin", "users", "add", "Rina", "cashier", "--new-pin", "4321",
            "--user", "Wati", code=2)
    # Without the variable and without a terminal to ask on: a clear refusal, not a prompt.
    refused(shop, capsys, "pin", "stock", "count", "MI-0001", "24", "--user", "Budi",
            pin="", code=2)
    code, out, err = cli(shop, capsys, "stock", "count", "MI-0001", "24", "--user", "Budi")
    assert code == 0, err
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WARUNGIN_NEW_PIN", "4321")
        code, out, err = cli(shop, capsys, "users", "add", "Rina", "cashier", "--user", "Wati")
    assert code == 0, err
    assert json.loads(out)["name"] == "Rina"

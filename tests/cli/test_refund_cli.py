"""``warungin refund`` in-process: JSON out, exit codes, fields named, nothing written on error."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main
from app.shop import Shop
from services.selling import LineRequest, PaymentRequest, SaleRequest, SaleResult, complete_sale
from services.users import Actor
from tests.helpers import counts, scalar


def _sale(shop: Shop, cashier: Actor) -> SaleResult:
    req = SaleRequest((LineRequest("MI-0001", 3000), LineRequest("TMB-0176", 500)),
                      (PaymentRequest("cash", 50_000),))
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, cashier, req)


def _refund(shop: Shop, *args: str, pin: str | None = None,
            approver_pin: str | None = None) -> int:
    """The command with PINs in the environment, as a script gives them (never argv)."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in (("WARUNGIN_PIN", pin), ("WARUNGIN_APPROVER_PIN", approver_pin)):
            if value is None:
                env.delenv(name, raising=False)
            else:
                env.setenv(name, value)
        return main(["refund", *args, "--data-dir", str(shop.folder)])


def test_full_refund_prints_json(shop: Shop, cashier: Actor,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    code = _refund(shop, sale.receipt_no, "--user", "Sari", "--approver", "Budi",
                   "--reason", "salah beli", pin="1234", approver_pin="5678")
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert data["refund_no"] == "DEMO-T01-R00001"
    assert data["receipt_no"] == sale.receipt_no
    assert data["cashier"] == "Sari" and data["approved_by"] == "Budi"
    assert data["gross"] == sale.total and data["cash_paid"] == sale.payable
    assert data["reason"] == "salah beli"
    assert [x["line_no"] for x in data["lines"]] == [1, 2]


def test_partial_refund_by_lines(shop: Shop, cashier: Actor,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    code = _refund(shop, sale.receipt_no, "--user", "Sari", "--approver", "Wati",
                   "--line", "1:2", "--line", "2:0.25", pin="1234", approver_pin="9999")
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert [(x["sku"], x["qty_milli"]) for x in data["lines"]] == [("MI-0001", 2000),
                                                                   ("TMB-0176", 250)]
    assert data["gross"] == 7_000 + 7_250


def test_acting_user_from_user_and_pin(shop: Shop, cashier: Actor,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    # A supervisor acting with their own PIN approves their own refund: one PIN.
    code = _refund(shop, sale.receipt_no, "--user", "Budi", "--line", "1:1", pin="5678")
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert data["cashier"] == "Budi" and data["approved_by"] == "Budi"


def test_no_pin_on_the_command_line(shop: Shop, cashier: Actor,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    before = counts(shop)
    for args, field in ((["--user", "Budi", "--pin", "5678"], "pin"),
                        (["--user", "Sari", "--approver", "Budi", "--approver-pin", "5678"],
                         "approver_pin")):
        assert _refund(shop, sale.receipt_no, *args, pin="1234") == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {field}:") and "command line" in err
    # The shift's cashier without a PIN may sell, not refund (even with an approval).
    assert _refund(shop, sale.receipt_no, "--approver", "Budi", approver_pin="5678") == 3
    assert capsys.readouterr().err.startswith("error: pin:")
    assert counts(shop) == before


@pytest.mark.parametrize(("extra", "code", "field"), [
    (["--line", "x"], 2, "lines[0].line_no"),
    (["--line", "1"], 2, "lines[0].line_no"),
    (["--line", "1:abc"], 2, "lines[0].qty"),
    (["--line", "1:-1"], 2, "lines[0].qty"),
    (["--line", "1:4"], 2, "lines[0].qty"),  # 3 sold
    (["--line", "1:1", "--line", "7:1"], 2, "lines[1].line_no"),
])
def test_bad_input_exits_2_naming_the_field(shop: Shop, cashier: Actor,
                                            capsys: pytest.CaptureFixture[str],
                                            extra: list[str], code: int, field: str) -> None:
    sale = _sale(shop, cashier)
    before = counts(shop)
    rc = _refund(shop, sale.receipt_no, "--user", "Sari", "--approver", "Budi", *extra,
                 pin="1234", approver_pin="5678")
    out = capsys.readouterr()
    assert rc == code
    assert out.out == ""
    assert out.err.startswith(f"error: {field}:")
    assert counts(shop) == before


def test_unknown_receipt_and_refusals(shop: Shop, cashier: Actor,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    before = counts(shop)
    assert _refund(shop, "DEMO-T01-424242", "--user", "Sari", "--approver", "Budi",
                   pin="1234", approver_pin="5678") == 3
    assert "receipt_no" in capsys.readouterr().err
    assert _refund(shop, sale.receipt_no) == 3
    assert "approver" in capsys.readouterr().err
    assert _refund(shop, sale.receipt_no, "--user", "Sari", "--approver", "Budi",
                   pin="1234", approver_pin="1111") == 3
    assert "wrong PIN" in capsys.readouterr().err
    assert _refund(shop, sale.receipt_no, "--user", "Sari", "--approver", "Sari",
                   pin="1234", approver_pin="1234") == 3
    assert "supervisor" in capsys.readouterr().err
    assert counts(shop) == before
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name='Budi'") == 1

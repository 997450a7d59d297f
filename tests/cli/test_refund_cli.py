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


def _refund(shop: Shop, *args: str) -> int:
    return main(["refund", *args, "--data-dir", str(shop.folder)])


def test_full_refund_prints_json(shop: Shop, cashier: Actor,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    code = _refund(shop, sale.receipt_no, "--approver", "Budi", "--approver-pin", "5678",
                   "--reason", "salah beli")
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
    code = _refund(shop, sale.receipt_no, "--approver", "Wati", "--approver-pin", "9999",
                   "--line", "1:2", "--line", "2:0.25")
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert [(x["sku"], x["qty_milli"]) for x in data["lines"]] == [("MI-0001", 2000),
                                                                   ("TMB-0176", 250)]
    assert data["gross"] == 7_000 + 7_250


def test_acting_user_from_user_and_pin(shop: Shop, cashier: Actor,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    code = _refund(shop, sale.receipt_no, "--user", "Budi", "--pin", "5678",
                   "--approver", "Budi", "--approver-pin", "5678", "--line", "1:1")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["cashier"] == "Budi"


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
    rc = _refund(shop, sale.receipt_no, "--approver", "Budi", "--approver-pin", "5678", *extra)
    out = capsys.readouterr()
    assert rc == code
    assert out.out == ""
    assert out.err.startswith(f"error: {field}:")
    assert counts(shop) == before


def test_unknown_receipt_and_refusals(shop: Shop, cashier: Actor,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    before = counts(shop)
    assert _refund(shop, "DEMO-T01-424242", "--approver", "Budi", "--approver-pin",
                   "5678") == 3
    assert "receipt_no" in capsys.readouterr().err
    assert _refund(shop, sale.receipt_no) == 3
    assert "approver" in capsys.readouterr().err
    assert _refund(shop, sale.receipt_no, "--approver", "Budi", "--approver-pin", "1111") == 3
    assert "wrong PIN" in capsys.readouterr().err
    assert _refund(shop, sale.receipt_no, "--approver", "Sari", "--approver-pin", "1234") == 3
    assert "supervisor" in capsys.readouterr().err
    assert counts(shop) == before
    assert scalar(shop, "SELECT failed_pins FROM user WHERE name='Budi'") == 1

"""``warungin receipt`` in-process: the text for the store's paper, PDF, print, exit codes."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from app.cli.main import main
from app.shop import Shop
from local_db.store import write_settings
from services.money import format_rupiah
from services.selling import LineRequest, PaymentRequest, SaleRequest, SaleResult, complete_sale
from services.users import Actor


def _sale(shop: Shop, cashier: Actor) -> SaleResult:
    req = SaleRequest((LineRequest("MI-0001", 3000), LineRequest("TMB-0176", 500)),
                      (PaymentRequest("cash", 50_000),))
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, cashier, req)


def _receipt(shop: Shop, *args: str) -> int:
    return main(["receipt", *args, "--data-dir", str(shop.folder)])


def test_receipt_text_pdf_and_print(shop: Shop, cashier: Actor, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    sale = _sale(shop, cashier)
    out = tmp_path / "printer.bin"
    with shop.uow() as uow:
        write_settings(uow.conn, {"printer.kind": "file", "printer.target": str(out),
                                  "printer.paper_mm": "80"})
        uow.commit()
    pdf = tmp_path / "r.pdf"
    code = _receipt(shop, sale.receipt_no, "--pdf", str(pdf), "--print", "--copy")
    got = capsys.readouterr()
    assert code == 0, got.err
    data = json.loads(got.out)
    assert data["receipt_no"] == sale.receipt_no and data["total"] == sale.payable
    assert data["columns"] == 48
    lines = data["text"].splitlines()
    assert max(len(x) for x in lines) == 48
    assert "SALINAN" in data["text"] and format_rupiah(sale.payable) in data["text"]
    assert data["pdf"] == str(pdf) and pdf.read_bytes().startswith(b"%PDF")
    assert data["print"]["printed"] and not data["print"]["drawer_kicked"]  # a copy
    assert sale.receipt_no.encode() in out.read_bytes()
    assert _receipt(shop, sale.receipt_no, "--paper", "58") == 0
    assert json.loads(capsys.readouterr().out)["columns"] == 32


def test_unknown_receipt_and_unreachable_printer(shop: Shop, cashier: Actor,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert _receipt(shop, "DEMO-T01-999999") == 3
    assert "receipt_no" in capsys.readouterr().err
    sale = _sale(shop, cashier)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with shop.uow() as uow:
        write_settings(uow.conn, {"printer.kind": "network",
                                  "printer.target": f"127.0.0.1:{port}"})
        uow.commit()
    assert _receipt(shop, sale.receipt_no, "--print") == 1
    got = capsys.readouterr()
    assert json.loads(got.out)["print"]["printed"] is False
    assert f"127.0.0.1:{port}" in got.err

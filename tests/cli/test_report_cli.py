"""``warungin report``: the till's reports from the command line, in every format."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.shop import Shop

SALE = {"lines": [{"sku": "MI-0001", "qty": 2}, {"sku": "TMB-0176", "qty": "0.75"}],
        "payments": [{"method": "cash", "tendered": 50000}]}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str],
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_reports_in_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    code, out, _ = run(capsys, monkeypatch, ["sale", "--data-dir", d], json.dumps(SALE))
    assert code == 0
    sale = json.loads(out)

    code, out, _ = run(capsys, monkeypatch, ["report", "dashboard", "--data-dir", d])
    assert code == 0
    dash = json.loads(out)
    assert (dash["report"], dash["sales_count"], dash["sales_total"]) == (
        "dashboard", 1, sale["payable"])
    assert {p["sku"] for p in dash["top_products"]} == {"MI-0001", "TMB-0176"}

    day = dash["day"]
    code, out, _ = run(capsys, monkeypatch, ["report", "products", "--data-dir", d,
                                             "--from", day, "--format", "csv"])
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["SKU"]: r["Qty"] for r in rows[:-1]} == {"MI-0001": "2", "TMB-0176": "0.75"}
    assert int(rows[-1]["Penjualan"]) == sale["total"]

    html = tmp_path / "sales.html"
    code, out, _ = run(capsys, monkeypatch, ["report", "sales", "--data-dir", d, "--from", day,
                                             "--format", "html", "--out", str(html),
                                             "--lang", "en"])
    assert code == 0 and json.loads(out)["out"] == str(html)
    page = html.read_text("utf-8")
    assert "Sales by day" in page and f"Rp {sale['payable']:,}" in page  # English grouping

    pdf = tmp_path / "stok.pdf"
    code, out, _ = run(capsys, monkeypatch, ["report", "stock", "--data-dir", d,
                                             "--format", "pdf", "--out", str(pdf)])
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("args", "field"), [
    (["report", "stock", "--from", "2026-11-01"], "from"),
    (["report", "sales", "--from", "2026-11-30", "--to", "2026-11-01"], "to"),
    (["report", "sales", "--to", "2026-11-01"], "from"),
    (["report", "sales", "--from", "30/11/2026"], "from"),
    (["report", "dashboard", "--from", "2026-11-01", "--to", "2026-11-03"], "to"),
    (["report", "stock", "--format", "pdf"], "out"),
    (["report", "kasbon", "--store", "x"], "store"),
    (["report", "kasbon", "--central"], "dsn"),
])
def test_bad_input_names_the_field(args: list[str], field: str, shop: Shop,
                                   capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(shop.folder)
    monkeypatch.delenv("WARUNGIN_CENTRAL_DSN", raising=False)
    code, out, err = run(capsys, monkeypatch, [*args, "--data-dir", d])
    assert code == 2 and out == ""
    assert err.startswith(f"error: {field}:"), err

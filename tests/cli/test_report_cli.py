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


def test_analytics_from_the_catalogue_in_every_format(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every catalogue report by name: the analytics of a day with two sales, as JSON,
    CSV and a PDF whose extracted text carries the totals."""
    from pypdf import PdfReader

    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    paid = []
    for _ in range(2):
        code, out, _ = run(capsys, monkeypatch, ["sale", "--data-dir", d], json.dumps(SALE))
        assert code == 0
        paid.append(json.loads(out)["payable"])
    day = json.loads(run(capsys, monkeypatch, ["report", "dashboard", "--data-dir", d])[1])[
        "day"]

    code, out, _ = run(capsys, monkeypatch, ["report", "revenue", "--data-dir", d,
                                             "--from", day])
    assert code == 0
    data = json.loads(out)
    assert data["report"] == data["name"] == "revenue"
    trend = data["tables"][0]
    total = sum(paid)

    def half_up(n: int, d: int) -> int:
        return n // d + (2 * (n % d) >= d)
    # one day with sales: the averages spread it over 7 and 28 days (the rest had none)
    assert trend["rows"] == [[day, 2, total, 0, total, half_up(total, 7),
                              half_up(total, 28)]]

    code, out, _ = run(capsys, monkeypatch, ["report", "basket", "--data-dir", d,
                                             "--from", day, "--format", "csv"])
    assert code == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert (row["Transaksi"], row["Penjualan"], row["Baris"], row["Barang"]) == (
        "2", str(sum(paid)), "4", "5.5")  # 2 x (2 + 0.75) items

    pdf = tmp_path / "kasir.pdf"
    code, out, _ = run(capsys, monkeypatch, ["report", "cashiers", "--data-dir", d,
                                             "--from", day, "--format", "pdf", "--out",
                                             str(pdf)])
    assert code == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Penjualan per kasir" in text and "Sari" in text
    assert f"Rp {sum(paid):,}".replace(",", ".") in text

    for name in ("heatmap", "top-products", "repeat-customers", "revenue-weekly",
                 "revenue-monthly"):
        out_file = tmp_path / f"{name}.pdf"
        code, out, _ = run(capsys, monkeypatch, ["report", name, "--data-dir", d, "--from",
                                                 day, "--format", "pdf", "--out",
                                                 str(out_file)])
        assert code == 0, name
        assert json.loads(out)["bytes"] == out_file.stat().st_size


def test_catalogue_reports_refuse_a_cashier(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    monkeypatch.setenv("WARUNGIN_PIN", "1234")
    code, out, err = run(capsys, monkeypatch, ["report", "basket", "--data-dir", d,
                                               "--user", "Sari"])
    assert code != 0 and out == "" and "owner" in err


def test_an_unknown_report_is_refused(shop: Shop, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, monkeypatch, ["report", "no-such-report", "--data-dir",
                                               str(shop.folder)])
    assert code == 2 and out == ""
    assert err.startswith("error: report:") and "revenue" in err  # the names are listed

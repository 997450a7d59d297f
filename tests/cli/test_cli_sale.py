"""The scriptable CLI: demo, sale (single and --stream), shift, stock, products; bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.shop import Shop
from tests.helpers import counts

SALE = {"lines": [{"sku": "MI-0001", "qty": 2}, {"barcode": "8991548927138", "qty": 1}],
        "payments": [{"method": "cash", "tendered": 20000}]}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str],
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_then_sale_from_a_fresh_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    code, out, _ = run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])
    assert code == 0
    demo = json.loads(out)
    assert demo["products"] >= 180 and {u["role"] for u in demo["users"]} == {
        "owner", "supervisor", "cashier"}
    code, _, err = run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])
    assert code == 3 and "data_dir" in err  # never seeds over an existing shop
    code, out, _ = run(capsys, monkeypatch, ["sale", "--data-dir", d], json.dumps(SALE))
    assert code == 0
    sale = json.loads(out)
    assert sale["receipt_no"] == "DEMO-T01-000001" and sale["change"] == 9_500


@pytest.mark.parametrize("payload,field", [
    ({"lines": [{"sku": "NOPE", "qty": 1}], "payments": SALE["payments"]}, "lines[0].sku"),
    ({"lines": [{"sku": "MI-0001", "qty": -1}], "payments": SALE["payments"]}, "lines[0].qty"),
    ({"lines": [{"sku": "MI-0001", "qty": 1e9}], "payments": SALE["payments"]}, "lines[0].qty"),
    ({"lines": [{"sku": "MI-0001", "qty": 2}],
      "payments": [{"method": "cash", "tendered": 1000}]}, "payments"),
    ({"lines": [], "payments": SALE["payments"]}, "lines"),
    ({"lines": [{"sku": "MI-0001", "qty": 1, "colour": "red"}],
      "payments": SALE["payments"]}, "lines[0].colour"),
    ({"lines": [{"sku": "MI-0001"}], "payments": [{"method": "cash", "tendered": 1.5}]},
     "payments[0].tendered"),
])
def test_bad_sale_names_the_field_and_writes_nothing(
        shop: Shop, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        payload: dict[str, object], field: str) -> None:
    before = counts(shop)
    code, out, err = run(capsys, monkeypatch, ["sale", "--data-dir", str(shop.folder)],
                         json.dumps(payload))
    assert code != 0 and out == ""
    assert err.startswith(f"error: {field}:"), err
    assert counts(shop) == before


def test_malformed_json_and_wrong_pin(shop: Shop, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts(shop)
    code, _, err = run(capsys, monkeypatch, ["sale", "--data-dir", str(shop.folder)], "{lines:")
    assert code == 2 and err.startswith("error: sale: malformed JSON")
    monkeypatch.setenv("WARUNGIN_PIN", "0000")
    code, _, err = run(capsys, monkeypatch, ["sale", "--data-dir", str(shop.folder),
                                             "--user", "Sari"], json.dumps(SALE))
    assert code == 3 and err.startswith("error: pin: wrong PIN")
    assert counts(shop) == before


def test_stream_prints_each_sale_and_reports_bad_lines(
        shop: Shop, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "\n".join([json.dumps(SALE), "{bad", json.dumps(SALE)]) + "\n"
    code, out, err = run(capsys, monkeypatch, ["sale", "--stream", "--data-dir",
                                               str(shop.folder)], lines)
    printed = [json.loads(x) for x in out.splitlines()]
    # One JSON line per input line: the committed sale, or the refusal with its line number.
    assert [p.get("receipt_no") for p in printed] == ["DEMO-T01-000001", None,
                                                      "DEMO-T01-000002"]
    assert printed[1]["line"] == 2 and printed[1]["field"] == "sale"
    assert printed[1]["message"].startswith("malformed JSON")
    assert code == 2 and "line 2: sale: malformed JSON" in err


def test_a_lone_non_cash_payment_pays_the_amount_due(
        shop: Shop, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    d = ["--data-dir", str(shop.folder)]
    lines = [{"sku": "MI-0001", "qty": 2}, {"barcode": "8991548927138"}]
    code, out, err = run(capsys, monkeypatch, ["sale", *d], json.dumps(
        {"lines": lines, "payments": [{"method": "edc"}]}))
    assert code == 0, err
    sale = json.loads(out)
    assert sale["payments"][0]["amount"] == sale["total"] == 10_500 and sale["change"] == 0
    # Beside another payment, an amount is needed (which part would it be?); cash always
    # says what was tendered. Refused, naming the field, nothing written.
    before = counts(shop)
    for payments in ([{"method": "edc"}, {"method": "cash", "tendered": 5000}],
                     [{"method": "cash"}]):
        code, out, err = run(capsys, monkeypatch, ["sale", *d], json.dumps(
            {"lines": lines, "payments": payments}))
        assert code == 2 and out == "" and err.startswith("error: payments[0]."), err
    # A product not found is named as the line wrote it, in --stream too.
    code, out, _ = run(capsys, monkeypatch, ["sale", "--stream", *d], json.dumps(
        {"lines": [{"barcode": "NOPE"}], "payments": [{"method": "edc"}]}) + "\n")
    assert code == 3 and json.loads(out)["field"] == "lines[0].barcode"
    assert counts(shop) == before


def test_shift_stock_products_commands(shop: Shop, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    d = ["--data-dir", str(shop.folder)]
    assert run(capsys, monkeypatch, ["sale", *d], json.dumps(SALE))[0] == 0
    code, out, _ = run(capsys, monkeypatch, ["shift", "report", *d])
    assert code == 0 and json.loads(out)["sales_count"] == 1
    sup = ["--user", "Budi"]
    monkeypatch.setenv("WARUNGIN_PIN", "5678")  # a PIN never goes on the command line
    code, out, _ = run(capsys, monkeypatch, ["stock", "adjust", "MI-0001", "-1",
                                             "--reason", "rusak", *sup, *d])
    assert code == 0 and json.loads(out)["qty_milli"] == -1000
    code, out, _ = run(capsys, monkeypatch, ["stock", "count", "MI-0001", "10", *sup, *d])
    assert code == 0 and json.loads(out)["level_milli"] == 10_000
    export = tmp_path / "katalog.csv"
    code, out, _ = run(capsys, monkeypatch, ["products", "export", str(export), *d])
    assert code == 0 and export.read_text().startswith("sku,name,category")
    summary = json.loads(out)  # like every command: a JSON summary
    assert summary["file"] == str(export) and summary["products"] >= 180
    # One price changed in the export: one product updated, the rest unchanged.
    rows = export.read_text().splitlines()
    i = next(n for n, r in enumerate(rows) if r.startswith("MI-0001,"))
    cells = rows[i].split(",")
    cells[4] = str(int(cells[4]) + 100)
    rows[i] = ",".join(cells)
    export.write_text("\n".join(rows) + "\n")
    code, out, _ = run(capsys, monkeypatch, ["products", "import", str(export), *sup, *d])
    assert code == 0 and json.loads(out) == {
        "created": 0, "updated": 1, "unchanged": summary["products"] - 1}
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,price\nA-1,Ok,1000\nB 2,Bad,1000\nC-3,Bad price,abc\n")
    code, _, err = run(capsys, monkeypatch, ["products", "import", str(bad), *sup, *d])
    assert code == 2
    assert "line 3: sku:" in err and "line 4: price:" in err and "nothing was imported" in err
    code, out, _ = run(capsys, monkeypatch, ["shift", "close", "--counted",
                                             '{"100000": 2, "10000": 1, "500": 1}', *sup, *d])
    z = json.loads(out)
    assert code == 0 and z["kind"] == "Z" and z["difference"] == 0


def test_console_script_runs_on_first_start(tmp_path: Path) -> None:
    """The README's run command ends in plain `warungin`: on a machine with no screen it
    seeds the demo and says how to sell (with a screen it opens the till: tests/ui)."""
    import os
    exe = Path(sys.executable).with_name("warungin")
    headless = {k: v for k, v in os.environ.items()
                if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([str(exe), "--data-dir", str(tmp_path / "first")], env=headless,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["demo"] is True
    assert "PIN" in proc.stderr


def test_data_dir_before_or_after_the_command_and_from_env(
        shop: Shop, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(shop.folder)
    for args in (["--data-dir", folder, "status"], ["status", "--data-dir", folder]):
        code, out, _ = run(capsys, monkeypatch, args)
        assert code == 0 and json.loads(out)["data_dir"] == folder
    monkeypatch.setenv("WARUNGIN_DATA_DIR", folder)
    code, out, _ = run(capsys, monkeypatch, ["status"])
    assert code == 0 and json.loads(out)["data_dir"] == folder

"""``warungin export jurnal|journal|coretax``: files written, a JSON summary on stdout, the
owner only, bad input refused naming the field."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.cli.main import main
from app.shop import open_shop
from local_db.store import write_settings
from services.exports import coretax
from services.exports import journal_csv as J
from services.exports import jurnal_id as JI

SALE = {"lines": [{"sku": "MI-0001", "qty": 2}, {"sku": "TMB-0176", "qty": "0.75"}],
        "payments": [{"method": "cash", "tendered": 50000}]}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str],
        stdin: str = "", pin: str | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    if pin is None:
        monkeypatch.delenv("WARUNGIN_PIN", raising=False)
    else:
        monkeypatch.setenv("WARUNGIN_PIN", pin)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_exports_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    code, out, _ = run(capsys, monkeypatch, ["sale", "--data-dir", d], json.dumps(SALE))
    assert code == 0
    sale = json.loads(out)
    month = datetime.fromisoformat(sale["created_at"]).astimezone(
        ZoneInfo("Asia/Jakarta")).strftime("%Y-%m")
    owner = ["--data-dir", d, "--user", "Wati"]

    jurnal = tmp_path / "jurnal.csv"
    code, out, err = run(capsys, monkeypatch, ["export", "jurnal", "--month", month, "--out",
                                               str(jurnal), *owner], pin="9999")
    assert code == 0, err
    summary = json.loads(out)
    rows = JI.read_jurnal_csv(jurnal.read_text("utf-8"))
    assert summary["export"] == "jurnal" and summary["file"] == str(jurnal)
    assert summary["rows"] == len(rows) == 2
    assert summary["totals"]["total"] == JI.jurnal_total(rows) == sale["total"]
    assert summary["totals"]["net_sales"] == sale["total"]
    assert {r.invoice_number for r in rows} == {sale["receipt_no"]}

    journal = tmp_path / "journal.csv"
    first = f"{month}-01"
    nxt = f"{int(month[:4]) + (month[5:] == '12'):04d}-{int(month[5:]) % 12 + 1:02d}-01"
    code, out, err = run(capsys, monkeypatch, ["export", "journal", "--from", first, "--to",
                                               nxt, "--out", str(journal), *owner], pin="9999")
    assert code == 0, err
    summary = json.loads(out)
    lines = J.read_journal_csv(journal.read_text("utf-8"))
    assert summary["rows"] == len(lines) > 0
    assert summary["totals"]["debit"] == summary["totals"]["credit"] == sum(
        r.debit for r in lines)
    assert summary["period"] == {"from": first, "to": nxt}

    xml = tmp_path / "coretax.xml"
    code, out, err = run(capsys, monkeypatch, ["export", "coretax", "--month", month, "--out",
                                               str(xml), *owner], pin="9999")
    assert code == 2 and "store.npwp" in err and not xml.exists()
    shop = open_shop(Path(d))
    try:
        with shop.uow() as uow:
            write_settings(uow.conn, {"store.npwp": "0123456789012345"})
            uow.commit()
    finally:
        shop.close()
    code, out, err = run(capsys, monkeypatch, ["export", "coretax", "--month", month, "--out",
                                               str(xml), *owner], pin="9999")
    assert code == 0, err
    summary = json.loads(out)
    coretax.validate_retail_xml(xml.read_bytes())
    assert summary["rows"] == 1 and summary["totals"]["vat"] == sale["tax_total"]
    assert summary["totals"]["tin"] == "0123456789012345"


def test_export_refusals_name_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    out_file = str(tmp_path / "x.csv")
    cases = [
        (["export", "journal", "--month", "2026-13", "--out", out_file, "--user", "Wati"],
         "9999", 2, "month:"),
        (["export", "journal", "--month", "2026-11", "--from", "2026-11-01", "--out",
          out_file, "--user", "Wati"], "9999", 2, "month:"),
        (["export", "journal", "--from", "2026-11-01", "--out", out_file, "--user", "Wati"],
         "9999", 2, "to:"),
        (["export", "journal", "--month", "2026-11", "--user", "Wati"], "9999", 2, "out:"),
        (["export", "coretax", "--from", "2026-11-01", "--to", "2026-11-15", "--out",
          out_file, "--user", "Wati"], "9999", 2, "from:"),
        (["export", "journal", "--month", "2026-11", "--out", out_file], None, 2, "user:"),
        (["export", "journal", "--month", "2026-11", "--out", out_file, "--user", "Sari"],
         "1234", 3, "user:"),
    ]
    for args, pin, want, field in cases:
        code, out, err = run(capsys, monkeypatch, [*args, "--data-dir", d], pin=pin)
        assert (code, out) == (want, ""), (args, err)
        assert field in err, (args, err)
    assert not Path(out_file).exists()

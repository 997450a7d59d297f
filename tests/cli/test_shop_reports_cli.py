"""``warungin report z-report|sync-health|stock-value``: the daily Z, sync health and stock
value by category from the command line (JSON, CSV, PDF), their figures the raw rows'."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_report_cli import SALE, run


def test_the_new_reports_from_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    for _ in range(2):
        assert run(capsys, monkeypatch, ["sale", "--data-dir", d], json.dumps(SALE))[0] == 0
    day = json.loads(run(capsys, monkeypatch, ["report", "dashboard", "--data-dir", d])[1])[
        "day"]
    with sqlite3.connect(Path(d) / "warungin.db") as db:
        n, gross, disc, payable = db.execute(
            "SELECT COUNT(*), SUM(subtotal), SUM(discount_total), SUM(payable) FROM sale"
        ).fetchone()
        pending = db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"
                             ).fetchone()[0]

    code, out, _ = run(capsys, monkeypatch, ["report", "z-report", "--data-dir", d,
                                             "--from", day])
    assert code == 0
    data = json.loads(out)
    days = data["tables"][0]
    assert days["rows"] == [[day, n, gross, disc, 0, 0, gross - disc,
                             days["rows"][0][7], payable, 0, 0]]
    assert data["tables"][2]["rows"][0][3] == "X"  # the demo's shift, still open

    code, out, _ = run(capsys, monkeypatch, ["report", "sync-health", "--data-dir", d,
                                             "--format", "csv"])
    assert code == 0
    first = next(csv.reader(io.StringIO(out.split("\r\n\r\n")[0])))
    assert first == ["Kesehatan sinkronisasi per kasir"]
    till = list(csv.reader(io.StringIO(out.split("\r\n\r\n")[0])))[2]
    assert till[:5] == ["T01", "0", str(pending), "0", "0"]

    pdf = tmp_path / "z.pdf"
    code, out, _ = run(capsys, monkeypatch, ["report", "z-report", "--data-dir", d,
                                             "--from", day, "--format", "pdf", "--lang", "en",
                                             "--out", str(pdf)])
    assert code == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Daily report (Z)" in text and f"Rp {payable:,}" in text

    pdf = tmp_path / "stok.pdf"
    code, out, _ = run(capsys, monkeypatch, ["report", "stock-value", "--data-dir", d,
                                             "--format", "pdf", "--out", str(pdf)])
    assert code == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Nilai stok per kategori" in text and "TOTAL" in text

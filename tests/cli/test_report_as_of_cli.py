"""``warungin report balance-sheet|ageing|payables --as-of D``: the statement as it stood
at the end of a past day (issue 14: "balance sheet as of any date"), equal to the service's
own figure for that day; a report that takes a range refuses --as-of naming the field."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.cli.main import main
from app.shop import open_shop
from services.books.statements import balance_sheet

SALE = {"lines": [{"sku": "MI-0001", "qty": 2}], "payments": [{"method": "cash",
                                                             "tendered": 50000}]}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str],
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def totals(report: dict[str, object]) -> dict[str, int]:
    tables = report["tables"]
    assert isinstance(tables, list)
    return {t["key"]: t["totals"][-1] for t in tables if t.get("totals")}


def test_balance_sheet_as_of_a_past_day(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    yesterday = today - timedelta(days=1)
    monkeypatch.setenv("WARUNGIN_PIN", "9999")
    code, before, err = run(capsys, monkeypatch, ["report", "balance-sheet", "--data-dir", d,
                                                  "--user", "Wati"])
    assert code == 0, err
    assert run(capsys, monkeypatch, ["sale", "--data-dir", d], json.dumps(SALE))[0] == 0
    code, now, _ = run(capsys, monkeypatch, ["report", "balance-sheet", "--data-dir", d,
                                             "--user", "Wati"])
    code_y, then, _ = run(capsys, monkeypatch, ["report", "balance-sheet", "--data-dir", d,
                                                "--as-of", yesterday.isoformat(),
                                                "--user", "Wati"])
    assert (code, code_y) == (0, 0)
    # Today's sale is in today's sheet, not in yesterday's (the demo shop was made today).
    assert totals(json.loads(now))["assets"] > totals(json.loads(before))["assets"]
    shop = open_shop(Path(d))
    try:
        with shop.uow(write=False) as uow:
            expected = balance_sheet(uow.conn, yesterday)
    finally:
        shop.close()
    assert totals(json.loads(then))["assets"] == expected.total_assets == 0
    assert yesterday.strftime("%d-%m-%Y") in json.loads(then)["title"]


def test_as_of_is_refused_where_it_means_nothing(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    d = str(tmp_path / "toko")
    assert run(capsys, monkeypatch, ["demo", "--empty", "--data-dir", d])[0] == 0
    monkeypatch.setenv("WARUNGIN_PIN", "9999")
    code, _, err = run(capsys, monkeypatch, ["report", "pnl", "--data-dir", d, "--as-of",
                                             date.today().isoformat(), "--user", "Wati"])
    assert code == 2 and "as_of" in err
    code, _, err = run(capsys, monkeypatch, ["report", "ageing", "--data-dir", d, "--as-of",
                                             "31-12-2026", "--user", "Wati"])
    assert code == 2 and "as_of" in err

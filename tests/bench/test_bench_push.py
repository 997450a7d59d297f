"""A tiny run of the push catch-up benchmark against the real PostgreSQL: the shape of its
output only (no timing is asserted here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main


def test_push_benchmark_prints_json_figures(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "--only", "push", "--sales", "25", "--work-dir", str(tmp_path)])
    assert code == 0
    figures = [json.loads(line) for line in capsys.readouterr().out.splitlines()
               if line.strip()]
    assert {f["name"] for f in figures} == {"push.catch_up", "push.catch_up.seconds"}
    (main_fig,) = [f for f in figures if f["name"] == "push.catch_up"]
    for key in ("value", "baseline", "ratio", "target"):
        assert isinstance(main_fig[key], (int, float)), key
    assert isinstance(main_fig["ok"], bool) and main_fig["target_of"] == "ratio"
    assert main_fig["events"] == 25 and main_fig["quarantined"] == 0
    # 3 lines, one payment, 3 movements and one entry per sale, all sent; both sides
    # wrote the same rows (the baseline inserts exactly what the push left in central).
    rows = main_fig["rows"]
    assert rows["sale"] == 25 and rows["sale_line"] == 75 and rows["payment"] == 25
    assert rows["stock_movement"] == 75 and rows["journal_entry"] == 25

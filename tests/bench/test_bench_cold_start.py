"""A tiny run of the cold-start benchmark: the real program starts offscreen in a fresh
process, logs in, reports ready with its memory, beside a bare Qt baseline (shape only:
no timing is asserted in tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main


def test_cold_start_prints_ready_and_memory(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "--only", "cold_start", "--work-dir", str(tmp_path),
                 "--products", "300", "--sales", "30", "--samples", "2", "--seed", "3"])
    assert code == 0
    figures = {f["name"]: f for f in
               (json.loads(line) for line in capsys.readouterr().out.splitlines() if line)}
    ready, rss = figures["cold_start.ready"], figures["cold_start.rss"]
    assert ready["value"] > 0 and ready["baseline"] > 0 and ready["ratio"] > 0
    assert ready["login_shown_ms"] < ready["value"]  # the login shows before the till
    assert ready["products"] == 500 and ready["sale_lines"] > 30  # 300 + the demo's 200
    assert 20 < rss["value"] < 2000 and isinstance(rss["ok"], bool)

"""The stock-alert triggers' benchmark (issue 15): its figures, every crossing sale of the
run fired its alerts on the triggers' copy, and the baseline copy really has no triggers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.paths import db_path


def test_stock_alerts_figures(tmp_path: Path) -> None:
    from bench.stock_alerts import TRIGGERS, WARMUP, measure

    got: list[dict[str, object]] = []
    run = measure(tmp_path, samples=4, emit=got.append)
    assert [f["name"] for f in got] == [
        "stock_alerts.sale_no_crossing.median", "stock_alerts.sale_no_crossing.p95",
        "stock_alerts.sale_crossing.median", "stock_alerts.sale_crossing.p95",
        "stock_alerts.raw_update_3_lines_no_crossing.median",
        "stock_alerts.raw_update_3_lines_crossing.median", "stock_alerts.crossing_alerts_fired"]
    assert all(f["baseline"] and f["n"] == 4 for f in got[:-1])
    assert run.alerts_fired == got[-1]["value"] == got[-1]["expected"] == 3 * (WARMUP + 4)
    base = tmp_path / "stock-alerts"
    for folder, want in (("triggers", set(TRIGGERS)), ("no-triggers", set())):
        conn = sqlite3.connect(db_path(base / folder))
        try:
            have = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'stock_alert_%'")}
        finally:
            conn.close()
        assert have == want

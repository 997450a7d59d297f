"""The loyalty sale-commit benchmark (issue 15): its figures, and the raw side writes the
same rows as the services (one earn row and one loyalty outbox event per sale)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.shop import open_shop
from services.verify import verify_database


def test_loyalty_commit_figures_and_same_rows(tmp_path: Path) -> None:
    from bench.loyalty_commit import TARGET_RATIO, measure
    from bench.sale_commit import WARMUP

    got: list[dict[str, object]] = []
    run = measure(tmp_path, samples=5, emit=got.append)
    assert [f["name"] for f in got] == ["loyalty_commit.median", "loyalty_commit.p95"]
    assert got[0]["target"] == TARGET_RATIO and got[0]["target_of"] == "ratio"
    tables = ["sale", "sale_line", "payment", "journal_entry", "audit_log", "outbox",
              "loyalty_entry", "loyalty_tier"]
    counts = []
    for db in (run.services_db, run.raw_db):
        conn = sqlite3.connect(db)
        try:
            counts.append({t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                           for t in tables}
                          | {"earn": conn.execute("SELECT COUNT(*) FROM loyalty_entry "
                                                  "WHERE kind = 'earn'").fetchone()[0]})
        finally:
            conn.close()
        shop = open_shop(db.parent)
        try:
            with shop.uow(write=False) as uow:
                assert verify_database(uow.conn).ok
        finally:
            shop.close()
    assert counts[0] == counts[1]
    assert counts[0]["earn"] == WARMUP + 5  # every sale of the run earned, once

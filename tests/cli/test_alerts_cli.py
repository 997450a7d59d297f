"""``warungin alerts`` and ``warungin scheduler jobs|log|summary`` in-process: JSON out,
the services' rights and refusals (exit status, the field named on stderr)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.shop import Shop
from local_db.store import write_settings
from services.stock import count_stock
from services.users import Actor
from tests.cli.test_customers_cli import run
from tests.helpers import scalar


def test_alerts_show_send_and_terms(shop: Shop, supervisor: Actor,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    with shop.uow() as uow:  # threshold 5 in the demo catalogue: one crossing
        count_stock(uow, supervisor, "MI-0001", 2000)
    code, out, _ = run(capsys, shop, "alerts")
    assert code == 0 and "MI-0001" in [a["sku"] for a in out["current"]]
    assert out["pending_digest"] >= 1
    assert "MI-0001" in [r["sku"] for r in out["reorder"]["rows"]]
    code, _, err = run(capsys, shop, "alerts", "send", "--user", "Sari")
    assert code == 3 and "supervisor" in err
    with shop.uow() as uow:
        write_settings(uow.conn, {"messaging.owner_channel": "email",
                                  "messaging.owner_to": "pemilik@warung.test"})
        uow.commit()
    code, out, _ = run(capsys, shop, "alerts", "send", "--user", "Budi")
    assert code == 0 and out["channel"] == "email" and len(out["message_ids"]) == 1
    code, out, _ = run(capsys, shop, "alerts", "send", "--user", "Budi")
    assert code == 0 and out["message_ids"] == [] and out["alerts"] == 0
    assert scalar(shop, "SELECT COUNT(*) FROM message WHERE template='low_stock'") == 1
    code, out, _ = run(capsys, shop, "alerts", "terms", "MI-0001", "--pack", "12",
                       "--lead-days", "4", "--supplier", "CV Sumber Rejeki", "--user", "Budi")
    assert code == 0 and (out["pack_milli"], out["lead_days"]) == (12_000, 4)
    code, _, err = run(capsys, shop, "alerts", "terms", "MI-0001", "--lead-days", "empat",
                       "--user", "Budi")
    assert code == 2 and "lead_days" in err
    code, out, _ = run(capsys, shop, "alerts")
    row = next(r for r in out["reorder"]["rows"] if r["sku"] == "MI-0001")
    assert row["suggested_milli"] % 12_000 == 0 and row["supplier"] == "CV Sumber Rejeki"


def test_scheduler_jobs_log_and_summary(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    code, jobs, _ = run(capsys, shop, "scheduler", "jobs")
    assert code == 0
    by_id = {j["id"]: j for j in jobs}
    assert set(by_id) == {"daily-summary", "summary-catch-up", "stock-alerts", "nightly",
                          "campaigns"}
    assert by_id["daily-summary"]["at"] == "21:00"
    assert by_id["summary-catch-up"]["every_minutes"] == 10
    assert all(j["next_run_at"] for j in jobs)
    code, log, _ = run(capsys, shop, "scheduler", "log")
    assert code == 0 and log == []
    # Closing time an hour ago, the scheduler first ran before it: the summary goes now.
    with shop.uow() as uow:
        write_settings(uow.conn, {
            "timezone": "UTC", "summary.recipients": "pemilik@warung.test",
            "summary.time": (datetime.now(UTC) - timedelta(hours=1)).strftime("%H:%M"),
            "schedule.since": (datetime.now(UTC) - timedelta(hours=3)).isoformat()})
        uow.commit()
    code, out, _ = run(capsys, shop, "scheduler", "summary")
    assert code == 0 and [o["status"] for o in out] == ["queued"]
    code, out, _ = run(capsys, shop, "scheduler", "summary")
    assert code == 0 and out == []
    code, log, _ = run(capsys, shop, "scheduler", "log")
    assert [(r["state"], r["recipient_hint"]) for r in log] == [("queued", "p***@warung.test")]

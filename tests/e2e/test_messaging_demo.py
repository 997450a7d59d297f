"""The demo history grows sent receipts and owner summaries (app.demo_messages)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.demo_history import seed_history
from app.demo_messages import add_demo_messages
from app.shop import open_shop
from services.messaging import list_messages
from services.verify import verify_database


def test_demo_history_has_sent_receipts_and_summaries(tmp_path: Path) -> None:
    shop = open_shop(tmp_path / "demo")
    try:
        now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
        seeded = seed_history(shop, days=4, seed=5, now=now)  # adds the messages itself
        added = seeded.history.messages
        assert added["whatsapp_receipts"] >= 5 and added["email_receipts"] >= 1
        assert added["summaries"] == 3
        with shop.uow(write=False) as uow:
            # This demo's own messages: not the issue-15 demos' (campaign promos, the
            # owner's stock digest, the scheduled summary emails: app.demo_alerts).
            rows = [r for r in list_messages(uow, limit=5000)
                    if r.purpose != "marketing" and r.template != "low_stock"
                    and not (r.template == "daily_summary" and r.channel == "email")]
            failed = list_messages(uow, status="failed", limit=5000)
            report = verify_database(uow.conn)
        assert len(rows) == (added["whatsapp_receipts"] + added["email_receipts"]
                             + added["summaries"])
        assert {r.status for r in rows} <= {"delivered", "read", "queued", "failed"}
        assert len(failed) == added["undelivered"]
        assert all(r.provider_message_id for r in rows)
        assert all(r.created_at < now.isoformat() for r in rows)  # stamped in the past
        assert sum(r.template == "daily_summary" for r in rows) == 3
        assert report.ok, report.failures
        # Seeding the messages again sends nobody anything twice (the dedupe keys).
        with shop.uow(write=False) as uow:
            first = {r.id for r in list_messages(uow, limit=5000)}
        add_demo_messages(shop, seed=5, days=4, now=now)
        with shop.uow(write=False) as uow:
            again = list_messages(uow, limit=5000)
            twice = uow.conn.exec_driver_sql(
                "SELECT ref_id FROM message WHERE template = 'receipt' "
                "GROUP BY ref_id HAVING COUNT(*) > 1").all()
        # Every message of the first run is still there, and no sale's receipt went out
        # twice (by any channel). The later demos (loyalty's redemptions at today's till)
        # add sales after the first run; a re-run may send one of those its first receipt.
        assert first <= {r.id for r in again}
        assert twice == []
        assert all(r.template == "receipt" for r in again if r.id not in first)
    finally:
        shop.close()

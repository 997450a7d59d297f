"""The demo's alerts: reorder terms, one digest of the crossings, a week of summaries."""

from __future__ import annotations

from datetime import UTC, datetime

from app.demo_alerts import add_demo_alerts
from app.shop import Shop
from local_db.store import write_settings
from tests.helpers import scalar


def test_demo_alerts(shop: Shop) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"messaging.owner_channel": "email",
                                  "messaging.owner_to": "pemilik@warung-demo.test"})
        uow.commit()
    made = add_demo_alerts(shop, seed=7, now=datetime.now(UTC))
    assert made.terms == 8 and made.digests == 1 and made.alerts >= 3
    assert made.summaries == 7
    assert scalar(shop, "SELECT COUNT(*) FROM email_log WHERE status='queued'") == 7
    assert scalar(shop, "SELECT COUNT(*) FROM message WHERE template='low_stock'") == 1
    assert scalar(shop, "SELECT COUNT(*) FROM stock_alert WHERE notified_at IS NULL "
                        "AND rearmed_at IS NULL") == 0
    # What the provider said is recorded as the messaging demo records it: the log shows
    # each summary sent, the digest delivered.
    from services.schedule_summary import email_log
    with shop.uow(write=False) as uow:
        assert {r.state for r in email_log(uow.conn)} == {"sent"}
    assert scalar(shop, "SELECT status FROM message WHERE template='low_stock'") == "delivered"

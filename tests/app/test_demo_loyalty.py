"""The demo history's loyalty programme: members earned on their sales, some points lapsed
at month ends, a few were redeemed at today's till, tiers are set; the books stay clean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.demo_history import seed_history
from app.shop import Shop, open_shop
from services.loyalty_expiry import balances_at
from services.loyalty_settings import read_loyalty_settings
from services.verify import verify_database

NOW = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    s = open_shop(Path(tmp_path_factory.mktemp("loyalty-history")))
    seed_history(s, days=75, now=NOW)
    yield s
    s.close()


def test_members_earned_lapsed_redeemed_and_hold_tiers(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        c = uow.conn
        assert read_loyalty_settings(c).enabled
        kinds: dict[str, int] = dict(c.execute(text(
            "SELECT kind, COUNT(*) FROM loyalty_entry GROUP BY kind")).all())
        assert kinds.get("earn", 0) > 10
        assert kinds.get("expire", 0) >= 1
        assert kinds.get("redeem", 0) >= 1
        # One earn row per member sale that was not refunded, none for anything else.
        expected = c.execute(text(
            "SELECT COUNT(*) FROM sale s WHERE s.customer_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM refund r WHERE r.sale_id = s.id) AND NOT EXISTS (SELECT 1 FROM "
            "payment p WHERE p.sale_id = s.id AND p.method = 'points')")).scalar()
        assert kinds["earn"] == expected
        tiers = c.execute(text("SELECT COUNT(*) FROM loyalty_tier")).scalar()
        assert tiers and tiers > 0
        ledger: dict[str, int] = dict(c.execute(text(
            "SELECT customer_id, SUM(points) FROM loyalty_entry GROUP BY customer_id")).all())
        assert {k: v for k, v in balances_at(c, NOW).items()} == ledger
        assert all(v >= 0 for v in ledger.values())
        assert verify_database(c).ok

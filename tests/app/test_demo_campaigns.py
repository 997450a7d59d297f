"""The demo history's segments and finished campaign: sent ten days ago with its holdout
(never sent), messages delivered through the real rows, results from the history's own
sales; the books stay clean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.demo import DEMO_USERS
from app.demo_history import seed_history
from app.shop import Shop, open_shop
from services.campaign_results import campaign_results
from services.segments import segment_table
from services.users import authenticate
from services.verify import verify_database

NOW = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    s = open_shop(Path(tmp_path_factory.mktemp("campaign-history")))
    seed_history(s, days=30, now=NOW)
    yield s
    s.close()


def test_a_finished_campaign_with_its_holdout(shop: Shop) -> None:
    name, _, pin = DEMO_USERS[0]
    with shop.uow() as uow:
        owner = authenticate(uow, name, pin)
        uow.commit()
    with shop.uow(write=False) as uow:
        c = uow.conn
        campaign_id, bulk_id, status = c.execute(text(
            "SELECT id, bulk_id, status FROM campaign")).one()
        assert status == "sent"
        arms: dict[str, int] = dict(c.execute(text("SELECT arm, COUNT(*) FROM campaign_recipient "
                                   "GROUP BY arm")).all())
        assert arms.get("holdout", 0) >= 1 and arms.get("send", 0) >= 1
        held_messaged = c.execute(text(
            "SELECT COUNT(*) FROM message m JOIN campaign_recipient r ON r.customer_id = "
            "m.customer_id AND r.arm = 'holdout' WHERE m.bulk_id = :b"), {"b": bulk_id}).scalar()
        assert held_messaged == 0
        statuses: dict[str, int] = dict(c.execute(text("SELECT status, COUNT(*) FROM message "
                                       "WHERE bulk_id = :b GROUP BY status"),
                                  {"b": bulk_id}).all())
        assert statuses == {"delivered": arms["send"]}
        assert verify_database(c).ok
        results = campaign_results(uow, owner, campaign_id, now=NOW)
        table = segment_table(uow, owner)
    assert results.send_group.size == arms["send"] and not results.window_open
    assert results.lift is None and results.notes  # a handful of regulars: no number
    assert sum(x.customers for x in table.lines) >= arms["send"] + arms["holdout"]

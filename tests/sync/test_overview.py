"""The sync as the screens show it (sync/overview.py) and what the panel does with an item
(sync/panel_actions.py), without Qt, on a copy of the demo shop (not enrolled)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import text

from app.shop import Shop
from local_db.ids import now_iso
from local_db.jobs import set_state
from local_db.store import add_provider_job
from services.errors import BadInput, NotFound, Refused
from services.users import Actor
from sync.overview import NOT_CONNECTED_NOTE, sync_channels, sync_overview, unsent_summary
from sync.panel_actions import discard_item, retry_item
from tests.helpers import scalar


@dataclass(frozen=True)
class Resting:
    """What the adapter hands in when no sync worker runs."""

    state: str
    message: str | None = None
    offline_since: str | None = None
    last_error: str | None = None
    last_good_sync_at: str | None = None
    skew_s: float | None = None
    skew_flagged: bool = False


def resting(enrolled: bool) -> Resting:
    return Resting("stopped") if enrolled else Resting("not_connected", "not connected")


def add_job(shop: Shop, provider: str, *, dead: bool = False) -> str:
    with shop.uow() as uow:
        job_id = add_provider_job(uow.conn, provider=provider, kind="send",
                                  ref_id="0192f000-0000-7000-8000-00000000abcd",
                                  idempotency_key=f"t-{provider}-{now_iso()}", payload={})
        if dead:
            set_state(uow.conn, job_id, from_states=("pending",), state="dead", now=now_iso(),
                      last_error="gave up", attempts=8)
        uow.commit()
    return job_id


def test_figures_come_from_the_tables(shop: Shop) -> None:
    pending = scalar(shop, "SELECT count(*) FROM outbox WHERE status = 'pending'")
    add_job(shop, "sendgrid")
    add_job(shop, "twilio", dead=True)
    seen: list[bool] = []

    def link_for(enrolled: bool) -> Resting:
        seen.append(enrolled)
        return resting(enrolled)

    overview = sync_overview(shop.db, link_for)
    assert seen == [False] and overview.connection == "not_connected"
    assert (overview.outbox_pending, overview.jobs_open, overview.jobs_dead) == (pending, 1, 1)
    assert overview.pending == pending + 1 and overview.failed == 1
    unsent = unsent_summary(shop.db)
    # Not enrolled: the outbox waits for the day a central is connected, jobs do not.
    assert (unsent.total, unsent.outbox_pending, unsent.jobs_open,
            unsent.central_enrolled) == (1, pending, 1, False)

    asked: list[int] = []

    def why_not() -> dict[str, str]:
        asked.append(1)
        return {"sendgrid": "no SendGrid key"}

    channels = {c.key: c for c in sync_channels(shop.db, resting, frozenset(), why_not)}
    assert list(channels)[:6] == ["central", "payments", "couriers", "email", "messaging",
                                  "push"]
    assert channels["central"].note_id == NOT_CONNECTED_NOTE
    assert channels["central"].waiting == pending
    assert channels["email"].waiting == 1 and channels["email"].note == "no SendGrid key"
    assert channels["messaging"].failed == 1 and channels["messaging"].note is None
    assert [i.can_retry for i in channels["messaging"].items] == [True]
    assert asked == [1]  # only the channel that waits on an idle provider asks why
    running = {c.key: c for c in sync_channels(shop.db, resting, frozenset({"sendgrid"}),
                                               lambda: {})}
    assert running["email"].note is None


def test_retry_and_discard_an_item(shop: Shop, cashier: Actor) -> None:
    due_later = add_job(shop, "sendgrid")
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE provider_job SET next_attempt_at = '2999-01-01' "
                              "WHERE id = :i"), {"i": due_later})
        uow.commit()
    with shop.uow() as uow:
        assert retry_item(uow, cashier, "email", due_later) == f"job {due_later} is due now"
    assert scalar(shop, "SELECT next_attempt_at < '2999' FROM provider_job WHERE id = :i",
                  i=due_later) == 1
    dead = add_job(shop, "twilio", dead=True)
    with shop.uow() as uow, pytest.raises(Refused) as alone:
        retry_item(uow, cashier, "messaging", dead)  # a replay is a supervisor's
    assert alone.value.field == "approver"
    with shop.uow() as uow:
        assert retry_item(uow, cashier, "messaging", dead, ("Budi", "5678")) == \
            f"job {dead} queued again"
    with shop.uow() as uow, pytest.raises(NotFound):
        retry_item(uow, cashier, "email", dead)  # not that channel's job
    with shop.uow() as uow, pytest.raises(BadInput):
        retry_item(uow, cashier, "central", "not-a-number")
    with shop.uow() as uow:
        assert discard_item(uow, cashier, "email", due_later, ("Budi", "5678")) == \
            f"job {due_later} discarded"
    assert scalar(shop, "SELECT state FROM provider_job WHERE id = :i", i=due_later) == "dead"

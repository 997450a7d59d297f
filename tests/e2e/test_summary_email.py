"""The daily summary end to end: the scheduler's job queues it, the dispatcher sends it with
the real SendGrid client to the simulator on 127.0.0.1 — exactly one message per recipient
and day, even when the job runs twice (a catch-up right after the cron run, a restart) and
SendGrid answers the first attempt with a 5xx."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, time, timedelta

import pytest

from app.message_wiring import MessagingSimulators, message_handlers, messaging_simulators
from app.scheduler import ShopScheduler
from app.shop import Shop
from local_db.store import write_settings
from services.formatting import zone
from services.schedule_summary import email_log, scheduled_moment
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from sync.jobs.dispatcher import Dispatcher
from sync.jobs.model import JobHandler
from tests.e2e.test_messaging import Clock, drain
from tests.helpers import scalar

TZ = "Asia/Jakarta"
RECIPIENTS = ("pemilik@warung.test", "akuntan@warung.test")


@pytest.fixture
def sims(shop: Shop) -> Iterator[MessagingSimulators]:
    with messaging_simulators(shop, seed=5) as running:
        yield running


@pytest.fixture
def handlers(shop: Shop, sims: MessagingSimulators
             ) -> Iterator[Mapping[tuple[str, str], JobHandler]]:
    with message_handlers(shop, timeout=2.0) as made:
        yield made


def test_a_queued_summary_reaches_sendgrid_once_per_recipient(
        shop: Shop, cashier: Actor, sims: MessagingSimulators,
        handlers: Mapping[tuple[str, str], JobHandler]) -> None:
    today = datetime.now(UTC).astimezone(zone(TZ)).date()
    closing = scheduled_moment(today, time(21, 0), TZ)
    with shop.uow() as uow:
        write_settings(uow.conn, {
            "timezone": TZ, "summary.time": "21:00", "summary.recipients": ", ".join(RECIPIENTS),
            "schedule.since": (closing - timedelta(hours=1)).isoformat()})
        uow.commit()
    req = SaleRequest((LineRequest("MI-0001", 2000),), (PaymentRequest("cash", 100_000),))
    with shop.uow() as uow:
        complete_sale(uow, shop.config, cashier, req)
    sims.sendgrid.set_faults(error_5xx=1.0)  # the first attempt fails at the provider
    first = ShopScheduler(shop, claims=lambda _shop: None)
    out = first.run_summary(now=closing + timedelta(minutes=1))
    assert sorted(o.status for o in out) == ["queued", "queued"]
    Dispatcher(shop.db, handlers, clock=Clock(), base_delay=0.01, max_delay=0.05).run_once()
    assert sims.sendgrid.outbox() == []
    sims.sendgrid.set_faults()
    # The job runs again (the catch-up ten minutes on), and once more after a restart.
    assert first.run_summary(now=closing + timedelta(minutes=11)) == []
    again = ShopScheduler(shop, claims=lambda _shop: None)
    assert again.run_summary(now=closing + timedelta(hours=2)) == []
    drain(shop, handlers, Clock())
    mails = sims.sendgrid.outbox()
    assert sorted(m["to"] for m in mails) == sorted(RECIPIENTS)
    for m in mails:
        assert "ringkasan" in m["subject"]
        assert "Penjualan bersih" in m["text"] and "Rp " in m["text"]
    assert scalar(shop, "SELECT COUNT(*) FROM email_log WHERE status='queued'") == 2
    with shop.uow(write=False) as uow:
        log = email_log(uow.conn)
    # The log shows each message's own state: accepted by the provider, with its time.
    assert [r.state for r in log] == ["sent", "sent"], log
    assert all(r.sent_at for r in log)

"""The scheduler with its persistent job store (schedule.sqlite in the data folder): jobs
stored and kept across a restart, the catch-up run at start sending a summary missed while
the program was off, hooks of parts not in this version skipped with a log line."""

from __future__ import annotations

import sqlite3
import time as clock
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from app.scheduler import JOBSTORE_NAME, NIGHTLY_HOOKS, ShopScheduler, scheduled_jobs
from app.shop import Shop
from local_db.store import write_settings
from services.crypto import FieldCipher
from services.formatting import zone
from services.schedule_summary import scheduled_moment
from tests.helpers import scalar


def _wait_for(shop: Shop, sql: str, want: int) -> int:
    got = 0
    for _ in range(200):  # a bounded poll, not a timing assertion
        got = int(scalar(shop, sql))
        if got >= want:
            return got
        clock.sleep(0.1)
    return got


def test_jobs_persist_and_a_missed_summary_goes_out_on_start(shop: Shop) -> None:
    local = datetime.now(UTC).astimezone(zone("Asia/Jakarta"))
    closing = (local - timedelta(hours=1)).replace(second=0, microsecond=0)
    with shop.uow() as uow:
        write_settings(uow.conn, {
            "timezone": "Asia/Jakarta", "summary.time": closing.strftime("%H:%M"),
            "summary.recipients": "pemilik@warung.test",
            "schedule.since": (closing - timedelta(hours=1)).astimezone(UTC).isoformat()})
        uow.commit()
    s = ShopScheduler(shop, claims=lambda _shop: None)
    s.start()
    try:
        ids = {j.id for j in s.jobs()}
        assert {"daily-summary", "summary-catch-up", "stock-alerts", "nightly",
                "campaigns"} <= ids
        # What the scheduled-emails screen shows: the running scheduler's own jobs.
        running, jobs = scheduled_jobs(shop)
        assert running and {j.id for j in jobs} == ids
        daily = next(j for j in jobs if j.id == "daily-summary")
        assert daily.at == closing.strftime("%H:%M") and daily.next_run_at is not None
        # The PC was off at closing time, an hour ago: the start's catch-up sends it.
        assert _wait_for(shop, "SELECT COUNT(*) FROM email_log WHERE status='queued'", 1) == 1
    finally:
        s.stop()
    store = shop.folder / JOBSTORE_NAME
    with sqlite3.connect(store) as db:
        stored = {r[0]: r[1] for r in db.execute("SELECT id, next_run_time FROM apscheduler_jobs")}
    assert "daily-summary" in stored
    # A restart keeps the stored job (same trigger) and sends nothing twice.
    again = ShopScheduler(shop, claims=lambda _shop: None)
    again.start()
    try:
        clock.sleep(0.5)
        with sqlite3.connect(store) as db:
            after = {r[0]: r[1] for r in db.execute(
                "SELECT id, next_run_time FROM apscheduler_jobs")}
        assert after["daily-summary"] == stored["daily-summary"]
    finally:
        again.stop()
    assert scalar(shop, "SELECT COUNT(*) FROM email_log") == 1
    assert scalar(shop, "SELECT COUNT(*) FROM message WHERE template='daily_summary'") == 1
    running, jobs = scheduled_jobs(shop)  # stopped: the jobs its settings make
    assert not running and len(jobs) == 5
    assert next(j for j in jobs if j.id == "summary-catch-up").every_minutes == 10


def test_missing_hooks_are_skipped(shop: Shop) -> None:
    s = ShopScheduler(shop, claims=lambda _shop: None)
    done = s.run_hooks((("services.not_here", "job"), *NIGHTLY_HOOKS[:0]))
    assert done == {"services.not_here.job": "missing"}


class NoKeyring:
    """A shop PC without a secure keyring: reading the data key fails, as cipher_for does
    there (app.secrets.NoSecureKeyring); counts how often it was asked."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self, _shop: Shop) -> FieldCipher:
        from app.secrets import NoSecureKeyring
        self.asked += 1
        raise NoSecureKeyring("no backend")


def test_the_key_is_read_only_when_something_is_due(shop: Shop) -> None:
    local = datetime.now(UTC).astimezone(zone("Asia/Jakarta"))
    closing = (local + timedelta(hours=2)).replace(second=0, microsecond=0)
    with shop.uow() as uow:
        write_settings(uow.conn, {
            "timezone": "Asia/Jakarta", "summary.time": closing.strftime("%H:%M"),
            "summary.recipients": "pemilik@warung.test",
            "messaging.owner_channel": "email", "messaging.owner_to": "pemilik@warung.test",
            "schedule.since": datetime.now(UTC).isoformat()})
        uow.commit()
        uow.conn.execute(text("UPDATE stock_alert SET notified_at = 'x'"))
        uow.commit()
    no_key = NoKeyring()
    claims_asked: list[int] = []

    def claims(_shop: Shop) -> None:
        claims_asked.append(1)
        return None

    s = ShopScheduler(shop, cipher=no_key, claims=claims)
    # The catch-up with nothing due (closing time is two hours away, no alert waits):
    # neither the keyring nor central is touched, however often it runs.
    for _ in range(3):
        assert s.run_summary() == []
        assert s.run_stock_alerts() is None
    assert no_key.asked == 0 and claims_asked == []
    # Closing time passed: now the key is needed; it cannot be read, and the log says so
    # (a failure retried on the next run), once per run, not a traceback every 10 minutes.
    out = s.run_summary(now=scheduled_moment(closing.date(), closing.time(), "Asia/Jakarta")
                        + timedelta(minutes=5))
    assert [(o.status, o.reason) for o in out] == [("failed", "the data key cannot be read")]
    assert no_key.asked == 1 and claims_asked == []  # no claim held by a till that can't send
    assert scalar(shop, "SELECT status FROM email_log") == "failed"
    # The keyring is back: the next run sends it over the failed row.
    ok = ShopScheduler(shop, claims=lambda _shop: None)
    out = ok.run_summary(now=scheduled_moment(closing.date(), closing.time(), "Asia/Jakarta")
                         + timedelta(minutes=15))
    assert [o.status for o in out] == ["queued"]
    assert scalar(shop, "SELECT COUNT(*) FROM email_log WHERE status='queued'") == 1


def test_the_real_nightly_and_campaign_jobs_run(shop: Shop) -> None:
    """Loyalty expiry and tiers, segments and due campaigns are all in this version: the
    scheduler finds each and calls it with what it asks for (none missing, none failing)."""
    from app.scheduler import CAMPAIGN_HOOK
    s = ShopScheduler(shop, claims=lambda _shop: None)
    done = s.run_hooks((*NIGHTLY_HOOKS, CAMPAIGN_HOOK))
    assert done == {f"{m}.{n}": "ran" for m, n in (*NIGHTLY_HOOKS, CAMPAIGN_HOOK)}
    # Every customer of the shop was scored (the bare demo may have none: then none).
    assert scalar(shop, "SELECT COUNT(*) FROM customer_segment") == scalar(
        shop, "SELECT COUNT(*) FROM customer")

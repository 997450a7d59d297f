"""The desktop program's sync worker against the real PostgreSQL and an enrolled terminal:
a new sale goes up after a wake, central unreachable means offline with a growing backoff
and nothing lost, then the queue drains; stop leaves no thread; the clock skew is measured
and flagged (the terminal clock is faked by injection, never by changing the system clock).
"""

from __future__ import annotations

import io
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, datetime, timedelta

import pytest
from psycopg import conninfo
from sqlalchemy import text

from app.cli.main import main
from app.provider_jobs_runner import ProviderJobs
from app.shop import Shop
from app.sync_worker import (
    NOT_CONNECTED,
    Connectivity,
    Credentials,
    SyncWorker,
    load_credentials,
)
from local_db.ids import now_iso
from local_db.store import add_provider_job
from services.users import Actor
from sync.jobs.model import Job, JobHandler, JobOutcome
from sync.push import CentralLink
from sync.status import sync_status
from tests.central.conftest import CentralDB
from tests.sync.push.proxy import Proxy
from tests.sync.push.test_push import central_figures, enrol, outbox_counts, sell


def wait_for(cond: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or cond}")


def pending(shop: Shop) -> int:
    return outbox_counts(shop).get("pending", 0)


def central_receipts(db: CentralDB, tenant_id: str) -> set[str]:
    with db.connect() as c:
        return {str(r) for (r,) in c.execute(
            "SELECT receipt_no FROM central.sale WHERE tenant_id = %s", (tenant_id,))}


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()  # nothing listens there now: connections are refused
    return port


def via_port(link: CentralLink, host: str, port: int) -> CentralLink:
    params = conninfo.conninfo_to_dict(link.dsn)
    params.update(host=host, port=str(port))
    return CentralLink(conninfo.make_conninfo("", **params), link.password, link.install_id)


def with_link(link: CentralLink) -> Callable[[Shop], Credentials]:
    """The real credentials of the enrolled shop, with the link swapped (a proxy, a dead
    port), as if the enrolment's DSN pointed there."""
    def load(shop: Shop) -> Credentials:
        real = load_credentials(shop)
        assert isinstance(real, Credentials)
        return Credentials(link, real.cipher)
    return load


@pytest.fixture
def threads_before() -> Iterator[set[threading.Thread]]:
    before = set(threading.enumerate())
    yield before


def new_threads(before: set[threading.Thread]) -> list[str]:
    return [t.name for t in threading.enumerate() if t not in before and t.is_alive()]


def test_a_shop_with_no_central_does_not_run(shop: Shop,
                                             threads_before: set[threading.Thread]) -> None:
    worker = SyncWorker(shop)
    snap = worker.start()
    assert snap.state == "not_connected" and snap.message == NOT_CONNECTED
    assert not snap.online and not worker.running
    assert new_threads(threads_before) == []
    worker.wake()  # harmless
    worker.stop()
    assert worker.snapshot().state == "not_connected"


def test_a_new_sale_goes_up_after_a_wake(central_db: CentralDB, shop: Shop, cashier: Actor,
                                         threads_before: set[threading.Thread]) -> None:
    link, term = enrol(central_db, shop, "Toko Worker")
    # A long interval: only the first pass and the wakes can send anything in this test.
    worker = SyncWorker(shop, interval_s=3600)
    changes: list[Connectivity] = []
    worker.subscribe(changes.append)
    worker.start()
    assert worker.running
    wait_for(lambda: worker.snapshot().state == "online" and pending(shop) == 0,
             what="the first pass drains the demo's events")
    first_good = worker.snapshot().last_good_sync_at
    assert first_good is not None
    sale = sell(shop, cashier, [("MI-0001", 2000)], [("cash", 10_000)])
    assert pending(shop) == 1
    time.sleep(0.3)
    assert pending(shop) == 1  # nothing runs by itself for an hour
    worker.wake()
    wait_for(lambda: pending(shop) == 0, timeout=10, what="the sale pushed after wake()")
    assert sale.receipt_no in central_receipts(central_db, term.tenant_id)
    # Three sales, three wakes in a row (as fast as a till can sell): all go up.
    more = [sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)]) for _ in range(3)]
    for _ in more:
        worker.wake()
    wait_for(lambda: pending(shop) == 0, timeout=10, what="three sales pushed")
    assert {s.receipt_no for s in more} <= central_receipts(central_db, term.tenant_id)
    snap = worker.snapshot()
    assert snap.online and snap.failures == 0 and snap.last_error is None
    assert snap.sent_total >= 4 and any(c.state == "online" for c in changes)
    assert snap.skew_s is not None and abs(snap.skew_s) < 5 and not snap.skew_flagged
    worker.stop()
    assert worker.snapshot().state == "stopped" and not worker.running
    assert new_threads(threads_before) == []
    # Stopped means stopped: a wake after stop sends nothing.
    sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)])
    worker.wake()
    time.sleep(0.3)
    assert pending(shop) == 1


def test_central_unreachable_backs_off_loses_nothing(central_db: CentralDB, shop: Shop,
                                                     cashier: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Putus")
    dead = via_port(link, "127.0.0.1", closed_port())
    worker = SyncWorker(shop, interval_s=3600, base_delay=1.0, max_delay=16.0,
                        rng=random.Random(3), credentials=with_link(dead))
    before = pending(shop)
    assert before > 0
    sell(shop, cashier, [("MI-0001", 2000)], [("cash", 10_000)])
    ceilings = []
    for _ in range(6):
        delay = worker.run_pass()
        snap = worker.snapshot()
        assert snap.state == "offline" and not snap.online
        assert snap.last_error and "cannot connect to central" in snap.last_error
        assert snap.backoff_ceiling_s is not None and 0 < delay <= snap.backoff_ceiling_s
        ceilings.append(snap.backoff_ceiling_s)
    assert ceilings == [1.0, 2.0, 4.0, 8.0, 16.0, 16.0]  # doubles, then the cap
    snap = worker.snapshot()
    assert snap.failures == 6 and snap.offline_since is not None
    assert snap.last_good_sync_at is None
    assert pending(shop) == before + 1  # nothing lost, nothing marked
    assert sync_status(shop.db)["pending"] == before + 1


def test_offline_then_reconnect_drains(central_db: CentralDB, shop: Shop,
                                       cashier: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Sambung")
    params = conninfo.conninfo_to_dict(link.dsn)
    proxy = Proxy(str(params.get("host", "127.0.0.1")), int(str(params.get("port", 5432))))
    proxy.refuse = True  # every connection is closed at once: central unreachable
    worker = SyncWorker(shop, interval_s=0.2, base_delay=0.05, max_delay=0.4,
                        credentials=with_link(via_port(link, "127.0.0.1", proxy.port)))
    try:
        sales = [sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)])
                 for _ in range(3)]
        waiting = pending(shop)
        worker.start()
        wait_for(lambda: worker.snapshot().failures >= 3, what="three failed passes")
        snap = worker.snapshot()
        assert snap.state == "offline" and snap.offline_since is not None
        assert pending(shop) == waiting
        worker.wake()  # a wake while offline does not defeat the backoff, and loses nothing
        proxy.heal()
        wait_for(lambda: pending(shop) == 0, what="the queue drains after the reconnect")
        wait_for(lambda: worker.snapshot().online, what="online again")
        snap = worker.snapshot()
        assert snap.offline_since is None and snap.failures == 0 and snap.last_error is None
        assert snap.last_good_sync_at is not None
        assert {s.receipt_no for s in sales} <= central_receipts(central_db, term.tenant_id)
        figures = central_figures(central_db, term.tenant_id)
        events, distinct_ids, distinct_seqs = figures["event"]
        assert events == distinct_ids == distinct_seqs  # no duplicates
    finally:
        worker.stop()
        proxy.close()


def test_stop_waits_for_the_pass_in_flight(central_db: CentralDB, shop: Shop,
                                           cashier: Actor,
                                           threads_before: set[threading.Thread]) -> None:
    link, term = enrol(central_db, shop, "Toko Berhenti")
    for _ in range(30):
        sell(shop, cashier, [("MI-0001", 1000)], [("cash", 5_000)])
    # One event per batch and one batch per step: the pass stops between two batches.
    worker = SyncWorker(shop, interval_s=3600, batch_size=1, batches_per_step=1)
    total = pending(shop)
    worker.start()
    wait_for(lambda: pending(shop) < total, what="the push under way")
    worker.stop()
    assert new_threads(threads_before) == []
    left = pending(shop)
    assert left > 0, "stopped before the queue drained"
    # Every event marked sent is at central, every other one is still pending: a stop in
    # the middle of a push loses and duplicates nothing.
    with central_db.connect() as c:
        at_central = int(c.execute("SELECT count(*) FROM central.event WHERE tenant_id = %s",
                                   (term.tenant_id,)).fetchone()[0])
    assert at_central == outbox_counts(shop).get("sent", 0)
    again = SyncWorker(shop, interval_s=3600)
    again.start()
    wait_for(lambda: pending(shop) == 0, what="a new worker finishes the job")
    again.stop()
    assert new_threads(threads_before) == []


def test_clock_skew_is_measured_and_flagged(central_db: CentralDB, shop: Shop) -> None:
    enrol(central_db, shop, "Toko Jam")
    ahead = SyncWorker(shop, interval_s=3600,
                       clock=lambda: datetime.now(UTC) + timedelta(minutes=10))
    ahead.run_pass()
    snap = ahead.snapshot()
    assert snap.online
    assert snap.skew_s is not None and 595 < snap.skew_s < 605 and snap.skew_flagged
    status = sync_status(shop.db)
    assert 595 < status["skew_s"] < 605 and status["skew_flagged"] is True
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sync", "status", "--data-dir", str(shop.folder)]) == 0
    printed = json.loads(out.getvalue())
    assert 595 < printed["skew_s"] < 605 and printed["skew_flagged"] is True
    # The skew changed nothing about the order: the events went in seq order all the same.
    with shop.uow(write=False) as uow:
        assert uow.conn.execute(text(
            "SELECT count(*) FROM outbox WHERE status != 'sent'")).scalar_one() == 0
    # A clock four minutes behind is measured, and not flagged (the limit is five).
    behind = SyncWorker(shop, interval_s=3600,
                        clock=lambda: datetime.now(UTC) - timedelta(minutes=4))
    behind.run_pass()
    snap = behind.snapshot()
    assert snap.skew_s is not None and -245 < snap.skew_s < -235 and not snap.skew_flagged
    assert sync_status(shop.db)["skew_flagged"] is False
    # 'warungin sync --once' measures and records it too, with the machine's real clock.
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sync", "--once", "--data-dir", str(shop.folder)]) == 0
    once = json.loads(out.getvalue())
    assert abs(once["clock"]["skew_s"]) < 5 and once["clock"]["skew_flagged"] is False
    assert abs(once["status"]["skew_s"]) < 5


def test_stop_cancels_a_push_stuck_at_central(central_db: CentralDB, shop: Shop,
                                              threads_before: set[threading.Thread]) -> None:
    link, term = enrol(central_db, shop, "Toko Macet")
    waiting = pending(shop)
    # Another session holds the terminal's row: the push's first statement waits on it, as
    # it would on a central that hangs.
    holder = central_db.connect()
    holder.execute("SELECT 1 FROM central.terminal WHERE id = %s FOR UPDATE",
                   (term.terminal_id,))
    try:
        worker = SyncWorker(shop, interval_s=3600)
        worker.start()

        def stuck() -> bool:
            with central_db.connect() as c:
                return bool(c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                    "wait_event_type = 'Lock' AND application_name = 'warungin'",
                    (central_db.name,)).fetchone()[0])
        wait_for(stuck, what="the push waiting at central")
        started = time.monotonic()
        assert worker.stop(timeout=0.5) is True  # the statement was cancelled
        assert time.monotonic() - started < 10  # 0.5 s, then the cancel (a loaded CI box)
        # The cancel request runs in a daemon thread of its own (a request to a hanging
        # server may hang too); it ends once central has answered it, a moment after stop()
        # returned (seen still alive once in CI). Nothing else may be left.
        wait_for(lambda: new_threads(threads_before) == [], what="no thread left")
        assert pending(shop) == waiting  # the batch in flight was not marked
    finally:
        holder.rollback()
        holder.close()
    again = SyncWorker(shop, interval_s=3600)
    again.start()
    wait_for(lambda: pending(shop) == 0, what="sent at the next start")
    again.stop()
    with central_db.connect() as c:
        n, distinct = c.execute("SELECT count(*), count(DISTINCT event_id) FROM central.event "
                                "WHERE tenant_id = %s", (term.tenant_id,)).fetchone()
    assert n == distinct == outbox_counts(shop)["sent"]


class EchoProvider:
    """A provider that answers at once: what the dispatcher needs from a handler."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def perform(self, job: Job) -> JobOutcome:
        self.seen.append(job.id)
        return JobOutcome.succeeded({"echo": job.idempotency_key})

    def resolve(self, job: Job) -> JobOutcome:
        return self.perform(job)


def test_provider_jobs_run_in_the_background_and_stop(
        shop: Shop, threads_before: set[threading.Thread]) -> None:
    echo = EchoProvider()

    @contextmanager
    def handlers(_shop: Shop) -> Iterator[Mapping[tuple[str, str], JobHandler]]:
        yield {("echo", "ping"): echo}

    def add(kind: str) -> str:
        with shop.uow() as uow:
            job = add_provider_job(uow.conn, provider="echo", kind=kind, ref_id="0192f000-0000-7000-8000-0000000000aa",
                                   idempotency_key=f"{kind}-{now_iso()}", payload={})
            uow.commit()
        return job

    def state(job: str) -> str:
        with shop.uow(write=False) as uow:
            return str(uow.conn.execute(text("SELECT state FROM provider_job WHERE id = :i"),
                                        {"i": job}).scalar_one())

    runner = ProviderJobs(shop, handlers=handlers, idle_seconds=30)
    runner.start()
    first = add("ping")
    runner.wake()  # the idle wait is 30 s: only the wake makes it look now
    wait_for(lambda: state(first) == "succeeded", timeout=10, what="the job done")
    unknown_kind = add("pong")  # no handler: it waits, reported, never dropped
    second = add("ping")
    runner.wake()
    wait_for(lambda: state(second) == "succeeded", timeout=10, what="the second job")
    assert state(unknown_kind) == "pending"
    assert runner.providers() == frozenset({"echo"})
    assert echo.seen == [first, second]
    assert runner.stop(timeout=10)
    assert new_threads(threads_before) == []


def test_without_midtrans_payment_jobs_wait_and_say_why(
        shop: Shop, threads_before: set[threading.Thread]) -> None:
    runner = ProviderJobs(shop)
    runner.start()
    wait_for(lambda: "midtrans" in runner.notes(), timeout=10, what="the note")
    assert "Midtrans is not set up" in runner.notes()["midtrans"]
    assert runner.providers() == frozenset()
    assert runner.stop(timeout=10)
    assert new_threads(threads_before) == []

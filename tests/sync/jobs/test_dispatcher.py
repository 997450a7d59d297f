"""The dispatcher on the real SQLite files of a demo shop.

Handlers here are small objects that count their calls and return scripted outcomes (one
talks to a tiny HTTP server on 127.0.0.1): the dispatcher's policy is what is under test.
The clock is a test clock the tests move forward, so that backoff and leases are exact.
"""

from __future__ import annotations

import http.server
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.shop import Shop
from local_db.ids import uuid7
from local_db.jobs import (
    UNRESOLVED_PREFIX,
    claim_due,
    iso,
    job_row,
    mark_in_flight,
    record_outcome,
)
from local_db.store import add_provider_job
from services.provider_jobs import replay_dead_job
from services.users import Actor
from sync.jobs import Dispatcher, Job, JobOutcome, retry_after_seconds

Script = Callable[[Job], JobOutcome]


class Clock:
    """Starts a second after the jobs were made (add_provider_job stamps real time)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC) + timedelta(seconds=1)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)


class Handler:
    """Counts calls; perform/resolve answer from a script (a list consumed in order, the
    last answer repeating, or a function)."""

    def __init__(self, perform: list[JobOutcome] | Script | None = None,
                 resolve: list[JobOutcome] | Script | None = None) -> None:
        self._perform = perform if perform is not None else [JobOutcome.succeeded({"ok": 1})]
        self._resolve = resolve if resolve is not None else [JobOutcome.succeeded({"found": 1})]
        self.performed: list[Job] = []
        self.resolved: list[Job] = []
        self._lock = threading.Lock()

    @staticmethod
    def _answer(script: list[JobOutcome] | Script, job: Job, n: int) -> JobOutcome:
        if callable(script):
            return script(job)
        return script[min(n, len(script) - 1)]

    def perform(self, job: Job) -> JobOutcome:
        with self._lock:
            self.performed.append(job)
            n = len(self.performed) - 1
        return self._answer(self._perform, job, n)

    def resolve(self, job: Job) -> JobOutcome:
        with self._lock:
            self.resolved.append(job)
            n = len(self.resolved) - 1
        return self._answer(self._resolve, job, n)


def add_job(shop: Shop, provider: str = "midtrans", kind: str = "charge",
            payload: Mapping[str, Any] | None = None) -> str:
    with shop.uow() as uow:
        job_id = add_provider_job(uow.conn, provider=provider, kind=kind, ref_id=uuid7(),
                                  idempotency_key=uuid7(), payload=payload or {"amount": 1000})
        uow.commit()
    return job_id


def row(shop: Shop, job_id: str) -> Any:
    with shop.uow(write=False) as uow:
        r = job_row(uow.conn, job_id)
    assert r is not None
    return r


@pytest.fixture
def clock() -> Clock:
    return Clock()


def dispatcher(shop: Shop, handlers: Mapping[tuple[str, str], Any], clock: Clock,
               **kw: Any) -> Dispatcher:
    return Dispatcher(shop.db, handlers, rng=random.Random(4), clock=clock, **kw)


# -- the paths of one job ---------------------------------------------------------------


def test_success_path(shop: Shop, clock: Clock) -> None:
    ids = [add_job(shop) for _ in range(3)]
    h = Handler()
    report = dispatcher(shop, {("midtrans", "charge"): h}, clock).run_once()
    assert report.providers["midtrans"].performed == 3
    assert report.providers["midtrans"].succeeded == 3
    assert sorted(j.id for j in h.performed) == sorted(ids)
    assert all(j.state == "pending" and j.attempts == 1 and j.payload == {"amount": 1000}
               for j in h.performed)
    for job_id in ids:
        r = row(shop, job_id)
        assert (r.state, r.attempts, r.result, r.last_error, r.next_attempt_at) == \
            ("succeeded", 1, {"ok": 1}, None, None)
    # Nothing left: a second round does nothing.
    assert dispatcher(shop, {("midtrans", "charge"): h}, clock).run_once().providers == {}
    assert len(h.performed) == 3


def test_retry_then_success_with_backoff(shop: Shop, clock: Clock) -> None:
    job_id = add_job(shop)
    h = Handler([JobOutcome.retry("HTTP 503"), JobOutcome.succeeded({"ok": 2})])
    d = dispatcher(shop, {("midtrans", "charge"): h}, clock)
    assert d.run_once().providers["midtrans"].retried == 1
    r = row(shop, job_id)
    assert (r.state, r.attempts, r.last_error) == ("failed", 1, "HTTP 503")
    wait = (datetime.fromisoformat(r.next_attempt_at) - clock()).total_seconds()
    assert 0 <= wait <= 2.0 * 2 ** 1  # full jitter after the first try: at most base * 2
    clock.advance(wait / 2)
    if wait > 0.001:
        d.run_once()
        assert len(h.performed) == 1  # not due yet
    clock.advance(wait)
    d.run_once()
    r = row(shop, job_id)
    assert (r.state, r.attempts, r.result, r.last_error) == ("succeeded", 2, {"ok": 2}, None)
    assert [j.state for j in h.performed] == ["pending", "failed"]


def test_unknown_is_resolved_never_performed_again(shop: Shop, clock: Clock) -> None:
    job_id = add_job(shop)
    h = Handler([JobOutcome.unknown("timeout after sending")],
                resolve=[JobOutcome.retry("status endpoint 502"),
                         JobOutcome.succeeded({"transaction_status": "settlement"})])
    d = dispatcher(shop, {("midtrans", "charge"): h}, clock)
    d.run_once()
    r = row(shop, job_id)
    assert (r.state, r.last_error) == ("unknown", "timeout after sending")
    clock.advance(30)
    d.run_once()  # the status query fails: still unknown, ask again later
    assert row(shop, job_id).state == "unknown"
    clock.advance(60)
    d.run_once()
    r = row(shop, job_id)
    assert (r.state, r.result) == ("succeeded", {"transaction_status": "settlement"})
    assert len(h.performed) == 1 and len(h.resolved) == 2
    assert [j.state for j in h.resolved] == ["unknown", "unknown"]


def test_crashed_worker_job_is_resolved_after_its_lease(shop: Shop, clock: Clock) -> None:
    job_id = add_job(shop)
    # A worker claimed the job, committed, then died during the network call.
    with shop.uow() as uow:
        claimed = claim_due(uow.conn, "midtrans", iso(clock()), 120.0, 10)
        uow.commit()
    assert [c.row.id for c in claimed] == [job_id] and claimed[0].action == "perform"
    h = Handler(resolve=[JobOutcome.succeeded({"transaction_status": "settlement"})])
    d = dispatcher(shop, {("midtrans", "charge"): h}, clock, lease_seconds=120.0)
    clock.advance(60)
    d.run_once()
    assert row(shop, job_id).state == "in_flight" and not h.resolved  # lease still held
    clock.advance(61)
    d.run_once()
    assert h.performed == [] and len(h.resolved) == 1
    assert h.resolved[0].state == "in_flight"  # the handler can tell a crash from a timeout
    r = row(shop, job_id)
    assert (r.state, r.attempts) == ("succeeded", 2)


def test_till_charge_marked_in_flight_is_resolved_if_the_till_dies(shop: Shop,
                                                                   clock: Clock) -> None:
    job_id = add_job(shop)
    with shop.uow() as uow:
        mark_in_flight(uow.conn, job_id, 30.0)
        uow.commit()
    with shop.uow() as uow, pytest.raises(LookupError):
        mark_in_flight(uow.conn, job_id, 30.0)  # the till cannot take it twice
    h = Handler()
    d = dispatcher(shop, {("midtrans", "charge"): h}, clock)
    d.run_once()
    assert not h.performed and not h.resolved
    clock.advance(31)
    d.run_once()
    assert not h.performed and len(h.resolved) == 1


def test_an_outcome_from_a_lost_lease_is_not_stored(shop: Shop, clock: Clock) -> None:
    job_id = add_job(shop)
    with shop.uow() as uow:
        first = claim_due(uow.conn, "midtrans", iso(clock()), 10.0, 1)[0]
        uow.commit()
    clock.advance(11)
    with shop.uow() as uow:
        second = claim_due(uow.conn, "midtrans", iso(clock()), 10.0, 1)[0]
        uow.commit()
    assert second.action == "resolve"
    with shop.uow() as uow:
        assert not record_outcome(uow.conn, job_id, state="failed", now=iso(clock()),
                                  next_attempt_at=None, last_error="late",
                                  lease_until=first.lease_until)
        assert record_outcome(uow.conn, job_id, state="succeeded", now=iso(clock()),
                              next_attempt_at=None, last_error=None, result={"x": 1},
                              lease_until=second.lease_until)
        uow.commit()
    assert row(shop, job_id).state == "succeeded"


def test_max_attempts_makes_the_job_dead_with_its_reason(shop: Shop, clock: Clock) -> None:
    job_id = add_job(shop)
    h = Handler([JobOutcome.retry("HTTP 503 from courier")])
    d = dispatcher(shop, {("midtrans", "charge"): h}, clock, max_attempts=3,
                   breaker_failures=100)
    for _ in range(6):
        d.run_once()
        clock.advance(700)
    r = row(shop, job_id)
    assert r.state == "dead" and r.attempts == 3 and len(h.performed) == 3
    assert r.last_error == "gave up after 3 tries: HTTP 503 from courier"
    assert r.next_attempt_at is None


def test_failed_outcome_is_dead_at_once(shop: Shop, clock: Clock) -> None:
    job_id = add_job(shop)
    h = Handler([JobOutcome.failed("400: gross_amount must be an integer", {"code": "400"})])
    report = dispatcher(shop, {("midtrans", "charge"): h}, clock).run_once()
    assert report.providers["midtrans"].dead == 1
    r = row(shop, job_id)
    assert (r.state, r.attempts, r.last_error, r.result) == \
        ("dead", 1, "400: gross_amount must be an integer", {"code": "400"})


def test_unresolved_dead_job_is_replayed_into_resolve(shop: Shop, clock: Clock,
                                                      supervisor: Actor) -> None:
    job_id = add_job(shop)
    h = Handler([JobOutcome.unknown("read timeout")],
                resolve=[JobOutcome.unknown("status timeout")])
    d = dispatcher(shop, {("midtrans", "charge"): h}, clock, max_attempts=3,
                   breaker_failures=100)
    for _ in range(4):
        d.run_once()
        clock.advance(700)
    r = row(shop, job_id)
    assert r.state == "dead" and r.last_error.startswith(UNRESOLVED_PREFIX)
    assert (len(h.performed), len(h.resolved)) == (1, 2)
    with shop.uow() as uow:
        replayed = replay_dead_job(uow, supervisor, job_id)
    assert (replayed.state, replayed.attempts) == ("unknown", 0)
    h2 = Handler(resolve=[JobOutcome.succeeded({"transaction_status": "settlement"})])
    clock.advance(1)
    dispatcher(shop, {("midtrans", "charge"): h2}, clock).run_once()
    assert not h2.performed and len(h2.resolved) == 1  # asked, never charged again
    assert row(shop, job_id).state == "succeeded"


def test_pending_again_keeps_looking_without_using_up_attempts(shop: Shop,
                                                               clock: Clock) -> None:
    job_id = add_job(shop)
    seen: list[Any] = []

    def perform(job: Job) -> JobOutcome:
        seen.append(job.result)
        if len(seen) < 12:
            return JobOutcome.check_again(5.0, {"transaction_id": "t-1", "status": "pending"})
        return JobOutcome.succeeded({"transaction_id": "t-1", "status": "settlement"})

    h = Handler(perform)
    d = dispatcher(shop, {("midtrans", "charge"): h}, clock, max_attempts=3)
    d.run_once()
    r = row(shop, job_id)
    assert (r.state, r.attempts, r.result["status"]) == ("pending", 0, "pending")
    assert r.next_attempt_at == iso(clock() + timedelta(seconds=5))
    for _ in range(11):
        clock.advance(5)
        d.run_once()
    assert row(shop, job_id).state == "succeeded"  # 12 looks, max_attempts 3: not dead
    assert seen[0] is None and seen[1] == {"transaction_id": "t-1", "status": "pending"}


def test_missing_handler_leaves_the_job_pending(shop: Shop, clock: Clock) -> None:
    orphan = add_job(shop, "jne", "create_shipment")
    ok = add_job(shop)
    h = Handler()
    report = dispatcher(shop, {("midtrans", "charge"): h}, clock).run_once()
    assert report.providers["jne"].missing_handlers == ("create_shipment",)
    assert report.providers["jne"].performed == 0
    r = row(shop, orphan)
    assert (r.state, r.attempts) == ("pending", 0)
    assert row(shop, ok).state == "succeeded"
    clock.advance(10_000)
    dispatcher(shop, {("midtrans", "charge"): h}, clock, max_attempts=1).run_once()
    assert row(shop, orphan).state == "pending"  # waiting for a handler is never death


def test_a_raising_handler_does_not_stop_the_loop(shop: Shop, clock: Clock,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    ids = [add_job(shop, payload={"n": n}) for n in range(3)]

    def perform(job: Job) -> JobOutcome:
        if job.payload["n"] == 1:
            raise ValueError("customer phone 081234567890 not valid")
        return JobOutcome.succeeded()

    with caplog.at_level(logging.ERROR, logger="sync.jobs.dispatcher"):
        report = dispatcher(shop, {("midtrans", "charge"): Handler(perform)}, clock).run_once()
    assert report.providers["midtrans"].succeeded == 2
    assert report.providers["midtrans"].retried == 1
    bad = row(shop, ids[1])
    assert (bad.state, bad.last_error) == ("failed", "ValueError")
    assert bad.next_attempt_at is not None
    # The bug is in the log with its traceback; the message (personal data) is not on the row.
    assert any(rec.exc_info and rec.exc_info[0] is ValueError for rec in caplog.records)
    with shop.uow(write=False) as uow:
        dumped = json.dumps([list(r) for r in uow.conn.exec_driver_sql(
            "SELECT * FROM provider_job").all()])
    assert "081234567890" not in dumped


# -- providers side by side --------------------------------------------------------------


def test_a_blocked_provider_does_not_delay_another(shop: Shop, clock: Clock) -> None:
    slow_id = add_job(shop, "jne", "create_shipment")
    fast_ids = [add_job(shop, "midtrans", "status") for _ in range(5)]
    release = threading.Event()

    def blocked(job: Job) -> JobOutcome:
        release.wait(2.0)  # a courier that hangs for its whole timeout
        return JobOutcome.unknown("read timeout")

    handlers = {("jne", "create_shipment"): Handler(blocked),
                ("midtrans", "status"): Handler()}
    d = dispatcher(shop, handlers, clock)
    reports: list[Any] = []
    started = time.monotonic()
    runner = threading.Thread(target=lambda: reports.append(d.run_once()))
    runner.start()
    try:
        while True:
            states = {row(shop, i).state for i in fast_ids}
            if states == {"succeeded"}:
                break
            assert time.monotonic() - started < 1.0, f"midtrans waited on jne: {states}"
            time.sleep(0.02)
        fast_done = time.monotonic() - started
        assert row(shop, slow_id).state == "in_flight"  # jne is still hanging meanwhile
    finally:
        runner.join(5)
    assert fast_done < 1.0
    assert time.monotonic() - started >= 1.9
    assert row(shop, slow_id).state == "unknown"
    assert reports[0].providers["midtrans"].succeeded == 5


def test_breaker_opens_and_other_providers_keep_going(shop: Shop, clock: Clock) -> None:
    broken = [add_job(shop, "jne", "create_shipment") for _ in range(6)]
    fine = [add_job(shop, "midtrans", "status") for _ in range(3)]
    jne = Handler([JobOutcome.retry("HTTP 502")])
    d = dispatcher(shop, {("jne", "create_shipment"): jne, ("midtrans", "status"): Handler()},
                   clock, breaker_failures=3, breaker_cooldown=60.0)
    report = d.run_once()
    assert report.providers["jne"].performed == 3 and report.providers["jne"].breaker == "open"
    assert report.providers["midtrans"].succeeded == 3
    assert all(row(shop, i).state == "succeeded" for i in fine)
    untouched = [i for i in broken if row(shop, i).attempts == 0]
    assert len(untouched) == 3 and all(row(shop, i).state == "pending" for i in untouched)
    assert d.channel_figures()["jne"].breaker == "open"

    clock.advance(30)  # still open: jne is not asked at all
    more = add_job(shop, "midtrans", "status")
    d.run_once()
    assert len(jne.performed) == 3 and row(shop, more).state == "succeeded"

    clock.advance(31)  # half-open: exactly one probe, which fails: open again
    d.run_once()
    assert len(jne.performed) == 4 and d.breaker("jne").state == "open"

    clock.advance(61)  # the courier is back: the probe succeeds and the queue drains
    jne._perform = [JobOutcome.succeeded({"awb": "JNE1"})]
    d.run_once()
    assert d.breaker("jne").state == "closed"
    assert all(row(shop, i).state == "succeeded" for i in broken)


# -- a handler talking HTTP ---------------------------------------------------------------


class _Courier(http.server.BaseHTTPRequestHandler):
    answers: list[tuple[int, dict[str, str]]] = []
    seen_keys: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.seen_keys.append(self.headers.get("Idempotency-Key", ""))
        status, headers = self.answers.pop(0) if self.answers else (200, {})
        body = json.dumps({"awb": "JNE-42"} if status == 200 else {"error": status}).encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def courier() -> Iterator[str]:
    _Courier.answers = [(429, {"Retry-After": "45"}), (503, {"X-RateLimit-Reset": "90"})]
    _Courier.seen_keys = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Courier)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class HttpCourierHandler:
    def __init__(self, base_url: str, clock: Clock) -> None:
        self.base_url = base_url
        self.clock = clock

    def perform(self, job: Job) -> JobOutcome:
        req = urllib.request.Request(f"{self.base_url}/shipments", data=b"{}", method="POST",
                                     headers={"Idempotency-Key": job.idempotency_key})
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return JobOutcome.succeeded(json.loads(resp.read()))
        except urllib.error.HTTPError as exc:
            wait = retry_after_seconds(dict(exc.headers.items()), self.clock())
            return JobOutcome.retry(f"HTTP {exc.code}", retry_after=wait)

    def resolve(self, job: Job) -> JobOutcome:
        return self.perform(job)


def test_retry_after_from_a_real_http_answer_is_a_floor(shop: Shop, clock: Clock,
                                                        courier: str) -> None:
    job_id = add_job(shop, "jne", "create_shipment")
    d = dispatcher(shop, {("jne", "create_shipment"): HttpCourierHandler(courier, clock)},
                   clock)
    d.run_once()
    r = row(shop, job_id)
    assert (r.state, r.last_error) == ("failed", "HTTP 429")
    assert datetime.fromisoformat(r.next_attempt_at) == clock() + timedelta(seconds=45)
    clock.advance(44)
    d.run_once()
    assert len(_Courier.seen_keys) == 1
    clock.advance(1)
    d.run_once()
    r = row(shop, job_id)
    assert (r.state, r.last_error) == ("failed", "HTTP 503")
    assert datetime.fromisoformat(r.next_attempt_at) == clock() + timedelta(seconds=90)
    clock.advance(90)
    d.run_once()
    r = row(shop, job_id)
    assert (r.state, r.result, r.attempts) == ("succeeded", {"awb": "JNE-42"}, 3)
    assert len(set(_Courier.seen_keys)) == 1 and len(_Courier.seen_keys) == 3


# -- figures -----------------------------------------------------------------------------


def test_channel_figures(shop: Shop, clock: Clock) -> None:
    first = add_job(shop, "midtrans", "charge", {"n": 0})
    add_job(shop, "midtrans", "charge", {"n": 1})
    add_job(shop, "midtrans", "charge", {"n": 2})
    add_job(shop, "midtrans", "charge", {"n": 3})
    add_job(shop, "sendgrid", "email")

    def perform(job: Job) -> JobOutcome:
        return [JobOutcome.succeeded(), JobOutcome.retry("502"), JobOutcome.unknown("timeout"),
                JobOutcome.failed("bad")][job.payload["n"]]

    d = dispatcher(shop, {("midtrans", "charge"): Handler(perform)}, clock)
    assert d.channel_figures()["midtrans"].pending == 4
    d.run_once()
    clock.advance(100)
    figs = d.channel_figures()
    m = figs["midtrans"]
    assert (m.pending, m.in_flight, m.unknown, m.failed, m.dead, m.succeeded) == \
        (0, 0, 1, 1, 1, 1)
    assert m.last_success_at == row(shop, first).updated_at
    assert m.breaker == "closed"
    assert m.oldest_pending_age_s is not None and 100 < m.oldest_pending_age_s < 110
    s = figs["sendgrid"]
    assert (s.pending, s.succeeded, s.last_success_at, s.missing_handlers) == \
        (1, 0, None, ("email",))
    assert s.as_dict()["missing_handlers"] == ["email"]


def test_serve_runs_each_provider_until_stopped(shop: Shop) -> None:
    ids = [add_job(shop, "midtrans", "status"), add_job(shop, "jne", "create_shipment")]
    handlers = {("midtrans", "status"): Handler(), ("jne", "create_shipment"): Handler()}
    d = Dispatcher(shop.db, handlers, rng=random.Random(1))  # the real clock
    stop, wake = threading.Event(), threading.Event()
    worker = threading.Thread(target=d.serve, args=(stop,),
                              kwargs={"idle_seconds": 0.05, "wake": wake})
    worker.start()
    try:
        deadline = time.monotonic() + 3
        while {row(shop, i).state for i in ids} != {"succeeded"}:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        late = add_job(shop, "jne", "create_shipment")
        wake.set()  # "work available"
        while row(shop, late).state != "succeeded":
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        stop.set()
        wake.set()
        worker.join(3)
    assert not worker.is_alive()

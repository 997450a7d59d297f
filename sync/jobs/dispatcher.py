"""The provider-job dispatcher: per-provider queues, backoff, a breaker per provider.

Each provider's due jobs run in a worker thread of their own, so a courier that hangs for
its whole timeout never delays a payment's status check. A worker holds the single writer
connection only for two short transactions per job (claim, then record the outcome); the
network call happens between them with no transaction open, and the claim is committed
before it, so a worker that dies mid-call leaves an in_flight job whose lease runs out and
which is then *resolved* (the provider is asked), never sent blindly again.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from local_db.engine import Database
from local_db.jobs import (
    UNRESOLVED_PREFIX,
    ClaimedJob,
    claim_due,
    figures,
    iso,
    iso_after,
    open_kinds,
    record_outcome,
)
from local_db.uow import UnitOfWork
from sync.jobs.backoff import next_delay
from sync.jobs.breaker import CircuitBreaker
from sync.jobs.model import JobHandler, JobOutcome

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ProviderReport:
    """What one provider's round did."""

    provider: str
    performed: int = 0
    resolved: int = 0
    succeeded: int = 0
    pending_again: int = 0
    retried: int = 0
    unknown: int = 0
    dead: int = 0
    lease_lost: int = 0  # outcomes not stored: another worker took the job over
    missing_handlers: tuple[str, ...] = ()  # kinds with open jobs and no handler: they wait
    breaker: str = "closed"
    error: str | None = None  # an environment fault that ended the round (database locked)


@dataclass(frozen=True, slots=True)
class DispatchReport:
    providers: Mapping[str, ProviderReport] = field(default_factory=dict)

    def total(self, name: str) -> int:
        return sum(int(getattr(r, name)) for r in self.providers.values())

    def as_dict(self) -> dict[str, Any]:
        return {p: {**asdict(r), "missing_handlers": list(r.missing_handlers)}
                for p, r in self.providers.items()}


@dataclass(frozen=True, slots=True)
class ChannelFigures:
    """One provider's channel as the sync status bar and panel show it."""

    provider: str
    pending: int
    oldest_pending_age_s: float | None  # oldest job not finished (pending, failed, unknown...)
    in_flight: int
    unknown: int
    failed: int
    dead: int
    succeeded: int
    last_success_at: str | None
    breaker: str
    missing_handlers: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "missing_handlers": list(self.missing_handlers)}


@dataclass
class _Tally:
    performed: int = 0
    resolved: int = 0
    succeeded: int = 0
    pending_again: int = 0
    retried: int = 0
    unknown: int = 0
    dead: int = 0
    lease_lost: int = 0


@dataclass(frozen=True, slots=True)
class _Decision:
    state: str
    next_attempt_at: str | None
    last_error: str | None
    attempts: int | None = None  # None keeps the count


class Dispatcher:
    def __init__(self, db: Database, handlers: Mapping[tuple[str, str], JobHandler], *,
                 max_attempts: int = 8, base_delay: float = 2.0, max_delay: float = 600.0,
                 lease_seconds: float = 120.0, breaker_failures: int = 5,
                 breaker_cooldown: float = 60.0, rng: random.Random | None = None,
                 clock: Callable[[], datetime] | None = None, batch: int = 100) -> None:
        self._db = db
        self._handlers = dict(handlers)
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._lease = lease_seconds
        self._breaker_failures = breaker_failures
        self._breaker_cooldown = breaker_cooldown
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()  # random.Random is shared by the provider threads
        self._clock = clock or (lambda: datetime.now(UTC))
        self._batch = batch
        self._breakers: dict[str, CircuitBreaker] = {}
        self._breakers_lock = threading.Lock()

    # -- the breakers ---------------------------------------------------------------------

    def breaker(self, provider: str) -> CircuitBreaker:
        with self._breakers_lock:
            b = self._breakers.get(provider)
            if b is None:
                # The breaker's cooldown runs on the dispatcher's clock, so tests can move it.
                b = CircuitBreaker(self._breaker_failures, self._breaker_cooldown,
                                   lambda: self._clock().timestamp())
                self._breakers[provider] = b
            return b

    def _breaker_state(self, provider: str) -> str:
        with self._breakers_lock:
            b = self._breakers.get(provider)
        return b.state if b is not None else "closed"

    # -- running --------------------------------------------------------------------------

    def _open_work(self) -> dict[str, tuple[set[str], list[str]]]:
        """provider -> (kinds we can run, kinds with open jobs but no handler)."""
        with UnitOfWork(self._db, write=False) as uow:
            kinds = open_kinds(uow.conn)
        work: dict[str, tuple[set[str], list[str]]] = {}
        for provider, kind in sorted(kinds):
            runnable, missing = work.setdefault(provider, (set(), []))
            if (provider, kind) in self._handlers:
                runnable.add(kind)
            else:
                missing.append(kind)
        return work

    def run_once(self) -> DispatchReport:
        """Every provider's due jobs once, the providers side by side (one worker each)."""
        work = self._open_work()
        if not work:
            return DispatchReport({})
        reports: dict[str, ProviderReport] = {}
        with ThreadPoolExecutor(max_workers=len(work),
                                thread_name_prefix="provider-jobs") as pool:
            futures = {p: pool.submit(self._run_provider, p, runnable, tuple(missing))
                       for p, (runnable, missing) in work.items()}
            for provider, future in futures.items():
                try:
                    reports[provider] = future.result()
                except Exception as exc:  # a bug in this round: log it, report the others
                    log.exception("provider jobs of %s failed", provider)
                    reports[provider] = ProviderReport(provider, error=type(exc).__name__,
                                                       breaker=self._breaker_state(provider))
        return DispatchReport(reports)

    def run_provider(self, provider: str) -> ProviderReport:
        """One provider's due jobs once, in the calling thread (a long-lived worker's step)."""
        runnable, missing = self._open_work().get(provider, (set(), []))
        return self._run_provider(provider, runnable, tuple(missing))

    def serve(self, stop: threading.Event, *, idle_seconds: float = 5.0,
              wake: threading.Event | None = None) -> None:
        """Run every provider of the handlers in its own thread until ``stop`` is set; a
        provider with nothing due sleeps ``idle_seconds`` or until ``wake`` is set."""
        def loop(provider: str) -> None:
            while not stop.is_set():
                try:
                    report = self.run_provider(provider)
                    busy = report.performed + report.resolved > 0
                except Exception:  # a bug: log it, keep the channel alive
                    log.exception("provider job worker for %s failed", provider)
                    busy = False
                if not busy:
                    (wake or stop).wait(idle_seconds)
                    if wake is not None:
                        wake.clear()

        threads = [threading.Thread(target=loop, args=(p,), name=f"provider-jobs-{p}",
                                    daemon=True)
                   for p in sorted({p for p, _ in self._handlers})]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def _now(self) -> str:
        return iso(self._clock())

    def _run_provider(self, provider: str, runnable: set[str],
                      missing: tuple[str, ...]) -> ProviderReport:
        if missing:
            log.warning("provider jobs of %s wait for a handler of kind %s", provider,
                        ", ".join(missing))
        breaker = self.breaker(provider)
        tally = _Tally()
        error: str | None = None
        done: set[str] = set()  # a job retried at once is not run twice in one round
        try:
            while runnable and len(done) < self._batch:
                if not breaker.try_acquire():
                    break
                with UnitOfWork(self._db) as uow:
                    claimed = claim_due(uow.conn, provider, self._now(), self._lease, 1,
                                        kinds=runnable, exclude=done)
                    uow.commit()  # committed before any network call (see the module doc)
                if not claimed:
                    breaker.release()
                    break
                job = claimed[0]
                done.add(job.row.id)
                self._run_job(job, breaker, tally)
        except SQLAlchemyError as exc:
            # An environment fault (database locked, disk full): this round ends; a claimed
            # job whose outcome could not be stored is resolved once its lease runs out.
            log.warning("provider jobs of %s stopped this round: %s", provider,
                        type(exc).__name__)
            error = type(exc).__name__
        return ProviderReport(provider, tally.performed, tally.resolved, tally.succeeded,
                              tally.pending_again, tally.retried, tally.unknown, tally.dead,
                              tally.lease_lost, missing, breaker.state, error)

    def _run_job(self, claimed: ClaimedJob, breaker: CircuitBreaker, tally: _Tally) -> None:
        job = claimed.row
        handler = self._handlers[(job.provider, job.kind)]
        if claimed.action == "perform":
            tally.performed += 1
        else:
            tally.resolved += 1
        try:
            outcome = handler.perform(job) if claimed.action == "perform" \
                else handler.resolve(job)
            if not isinstance(outcome, JobOutcome):
                raise TypeError(f"{type(handler).__name__} returned {type(outcome).__name__}")
        except Exception as exc:
            # A bug in the handler, not a provider failure: the traceback goes to the log;
            # the job row gets only the class name (the message may hold a phone number).
            log.exception("handler for %s/%s raised on job %s", job.provider, job.kind, job.id)
            outcome = JobOutcome("retry", error=type(exc).__name__)
        if outcome.kind in ("succeeded", "failed"):
            breaker.record_success()  # the provider answered; a refusal is not an outage
        else:
            breaker.record_failure()
        now = self._now()
        decision = self._decide(claimed, outcome, now)
        with UnitOfWork(self._db) as uow:
            stored = record_outcome(uow.conn, job.id, state=decision.state, now=now,
                                    next_attempt_at=decision.next_attempt_at,
                                    last_error=decision.last_error, result=outcome.result,
                                    attempts=decision.attempts,
                                    lease_until=claimed.lease_until)
            uow.commit()
        if not stored:
            log.warning("job %s: lease lost before its outcome was stored; another worker "
                        "has it", job.id)
            tally.lease_lost += 1
        elif decision.state == "dead":
            log.warning("job %s (%s/%s) is dead: %s", job.id, job.provider, job.kind,
                        decision.last_error)
            tally.dead += 1
        elif decision.state == "succeeded":
            tally.succeeded += 1
        elif decision.state == "pending":
            tally.pending_again += 1
        elif decision.state == "unknown":
            tally.unknown += 1
        else:
            tally.retried += 1

    def _delay(self, attempts: int, retry_after: float | None) -> float:
        with self._rng_lock:
            return next_delay(attempts, base_delay=self._base_delay, max_delay=self._max_delay,
                              rng=self._rng, retry_after=retry_after)

    def _decide(self, claimed: ClaimedJob, outcome: JobOutcome, now: str) -> _Decision:
        attempts = claimed.row.attempts
        if outcome.kind == "succeeded" and outcome.pending_again:
            # Fine so far (a customer still paying): not a failed try, so the count restarts
            # and a long wait at the till never runs into the dead-letter limit.
            wait = max(outcome.next_check_seconds if outcome.next_check_seconds is not None
                       else self._base_delay, outcome.retry_after or 0.0)
            return _Decision("pending", iso_after(now, wait), None, attempts=0)
        if outcome.kind == "succeeded":
            return _Decision("succeeded", None, None)
        reason = outcome.error or outcome.kind
        if outcome.kind == "failed":
            return _Decision("dead", None, reason)
        # retry or unknown. After a resolve, even "retry" means we still do not know.
        unresolved = outcome.kind == "unknown" or claimed.action == "resolve"
        if attempts >= self._max_attempts:
            prefix = UNRESOLVED_PREFIX if unresolved else ""
            return _Decision("dead", None, f"{prefix}gave up after {attempts} tries: {reason}")
        delay = self._delay(attempts, outcome.retry_after)
        return _Decision("unknown" if unresolved else "failed", iso_after(now, delay), reason)

    # -- figures --------------------------------------------------------------------------

    def channel_figures(self) -> dict[str, ChannelFigures]:
        with UnitOfWork(self._db, write=False) as uow:
            counts = figures(uow.conn)
            kinds = open_kinds(uow.conn)
        now = self._clock()
        with self._breakers_lock:
            providers = sorted(set(counts) | set(self._breakers))
        out: dict[str, ChannelFigures] = {}
        for p in providers:
            c = counts.get(p)
            age = None
            if c is not None and c.oldest_open_created_at is not None:
                age = max((now - datetime.fromisoformat(c.oldest_open_created_at))
                          .total_seconds(), 0.0)
            missing = tuple(sorted(k for (pp, k) in kinds
                                   if pp == p and (pp, k) not in self._handlers))
            out[p] = ChannelFigures(
                provider=p, pending=c.pending if c else 0, oldest_pending_age_s=age,
                in_flight=c.in_flight if c else 0, unknown=c.unknown if c else 0,
                failed=c.failed if c else 0, dead=c.dead if c else 0,
                succeeded=c.succeeded if c else 0,
                last_success_at=c.last_succeeded_at if c else None,
                breaker=self._breaker_state(p), missing_handlers=missing)
        return out

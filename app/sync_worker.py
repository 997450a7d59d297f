"""The desktop program's long-lived sync worker, and the provider-job dispatcher beside it.

:class:`SyncWorker` pushes the outbox to central and pulls central's changes, on an
apscheduler ``BackgroundScheduler`` (3.x): every ``interval_s`` seconds while central answers
(the local setting ``sync.interval_s``, default 5 s), at once when :meth:`SyncWorker.wake`
says new work appeared (the till calls it after each committed sale), and with full-jitter
exponential backoff (``sync/jobs/backoff.py``) while central is unreachable, so that a
tenant's terminals coming back after the same outage spread out.

One pass at a time (the scheduler's executor has one thread and the job one instance). The
worker owns no session across passes: every read and write of a pass goes through the shop's
:class:`~local_db.engine.Database` in a unit of work of its own thread (push_once and
pull_once open them), and each pass opens and closes its central connections. Credentials
and the install id are read once, at :meth:`SyncWorker.start`, through ``app.enroll`` and
``app.secrets`` (the OS keyring); ``sync`` itself never reads them.

Stopping (:meth:`SyncWorker.stop`): the cancel event is set, the push loop stops between two
groups of batches, and the scheduler is shut down waiting for the pass in flight, so no
thread is left. A push cut off in the middle (the process dies, or a caller gives up
waiting) is harmless: a batch is marked sent locally only after central's commit, and a
batch sent again is recognised by its event ids (``sync/push.py``).

What one pass does on the network (push in groups of batches, pull, cancel a hanging
statement, measure the clock skew) is :mod:`sync.worker_pass`; this module decides when a
pass runs and turns its :class:`~sync.worker_pass.PassResult` into the snapshot below.

Connectivity (online, offline since, last error, last good sync, clock skew) is kept in a
frozen :class:`Connectivity` snapshot, replaced whole under a lock, that the UI reads from
any thread. A shop with no central enrolled: the worker does not run and its snapshot says
"not connected to a central database" (state ``not_connected``), with no error logged.

Clock skew is measured on the first central connection of each pass (``sync/clock.py``),
stored in the local settings and flagged above 5 minutes. It is shown, never used to order
anything: the push goes in outbox-sequence order whatever the clocks say.

:class:`ProviderJobs` runs ``sync.jobs.dispatcher.Dispatcher.serve`` in a thread of its own
with the handlers ``app.provider_wiring`` builds. A till with no Midtrans key has no
Midtrans handlers: its payment jobs stay queued, and :meth:`ProviderJobs.notes` says why.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import (  # type: ignore[import-untyped]
    ThreadPoolExecutor as SchedulerPool,
)
from apscheduler.jobstores.base import JobLookupError  # type: ignore[import-untyped]
from apscheduler.schedulers.background import (  # type: ignore[import-untyped]
    BackgroundScheduler,
)

from app.provider_jobs_runner import ProviderJobs
from app.shop import Shop
from local_db.store import read_settings
from services.crypto import FieldCipher
from services.errors import ShopError
from sync.clock import SkewReading, is_flagged
from sync.jobs.backoff import next_delay
from sync.push import BATCH_SIZE, CentralLink
from sync.worker_pass import CANCEL_TIMEOUT_S, LiveConnections, SkewKeeper, run_pass

log = logging.getLogger("warungin.sync")

SETTING_INTERVAL = "sync.interval_s"
DEFAULT_INTERVAL_S = 5.0
NOT_CONNECTED = "not connected to a central database"

JOB_ID = "warungin-sync"
#: How long a stop waits, after cancelling a hanging central statement, for the pass to end.
CANCEL_GRACE_S = CANCEL_TIMEOUT_S

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Connectivity:
    """The worker's view of central, as the status bar and the sync panel show it.

    ``state``: ``not_connected`` (no central enrolled, or its credentials are missing:
    ``message`` says which), ``starting`` (no pass finished yet), ``online``, ``offline``
    (central unreachable: backing off), ``refused`` (central refuses this machine's pushes,
    e.g. a copied database: a person must act; retried slowly), ``stopped``.
    """

    state: str = "starting"
    message: str | None = None
    offline_since: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    last_good_sync_at: str | None = None
    last_attempt_at: str | None = None
    failures: int = 0  # consecutive failed passes
    backoff_ceiling_s: float | None = None  # full jitter draws the wait from [0, this]
    next_attempt_at: str | None = None
    skew_s: float | None = None
    skew_flagged: bool = False
    passes: int = 0
    sent_total: int = 0
    quarantined_total: int = 0
    pulled_total: int = 0

    @property
    def online(self) -> bool:
        return self.state == "online"

    def as_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "online": self.online}


@dataclass(frozen=True, slots=True)
class Credentials:
    link: CentralLink
    cipher: Callable[[], FieldCipher | None]


def load_credentials(shop: Shop) -> Credentials | None | str:
    """The link to central and a cipher source, None when no central is enrolled, or the
    reason (text) when it is enrolled but its secrets cannot be read."""
    from app.enroll import INSTALL_ID_SECRET, SETTING_DSN, central_credentials
    from app.secrets import SecretsUnavailable, active_key_id, cipher_for, secret_store_for

    with shop.uow(write=False) as uow:
        if SETTING_DSN not in read_settings(uow.conn):
            return None
    try:
        store = secret_store_for(shop)
        creds = central_credentials(shop, store)
        install_id = store.get(INSTALL_ID_SECRET)
    except (ShopError, SecretsUnavailable) as exc:
        return getattr(exc, "message", None) or str(exc)
    if install_id is None:
        return ("the install id is missing from the secret store; enrol this machine "
                "again")
    link = CentralLink(creds.dsn, creds.password, install_id)

    # Customers come down encrypted under the shop's data key. The cipher is made once and
    # made again only when the active key changes (a key rotation while the program runs).
    held: dict[str, Any] = {}

    def cipher() -> FieldCipher | None:
        key_id = active_key_id(shop)
        if held.get("key_id") != key_id or "cipher" not in held:
            held["cipher"] = cipher_for(shop, store)
            held["key_id"] = active_key_id(shop)
        value = held["cipher"]
        return value if isinstance(value, FieldCipher) else None

    return Credentials(link, cipher)


def interval_setting(shop: Shop) -> float:
    with shop.uow(write=False) as uow:
        raw = read_settings(uow.conn).get(SETTING_INTERVAL)
    try:
        value = float(raw) if raw is not None else DEFAULT_INTERVAL_S
    except ValueError:
        value = DEFAULT_INTERVAL_S
    return min(max(value, 0.5), 3600.0)


class SyncWorker:
    """Push + pull on a schedule; see the module docstring."""

    def __init__(self, shop: Shop, *, interval_s: float | None = None,
                 base_delay: float = 2.0, max_delay: float = 120.0,
                 min_delay: float = 0.25, rng: random.Random | None = None,
                 clock: Clock | None = None, batch_size: int = BATCH_SIZE,
                 batches_per_step: int = 5,
                 credentials: Callable[[Shop], Credentials | None | str] = load_credentials,
                 on_change: Callable[[Connectivity], None] | None = None) -> None:
        self._shop = shop
        self._interval = interval_s
        self._base = base_delay
        self._max = max_delay
        self._min = min_delay
        self._rng = rng or random.Random()
        self._clock = clock or _utc_now
        self._batch_size = batch_size
        self._batches_per_step = max(1, batches_per_step)
        self._credentials_of = credentials
        self._listeners: list[Callable[[Connectivity], None]] = [on_change] if on_change \
            else []
        self._lock = threading.Lock()
        self._snap = Connectivity()
        self._stop = threading.Event()
        self._woken = False
        self._scheduler: Any = None
        self._creds: Credentials | None = None
        self._logged_error: str | None = None
        self._idle = threading.Event()  # set while no pass runs
        self._idle.set()
        self._live = LiveConnections()  # this pass's central connections
        self._skew = SkewKeeper()

    # --- the snapshot ----------------------------------------------------------------------
    def snapshot(self) -> Connectivity:
        with self._lock:
            return self._snap

    def _update(self, **changes: Any) -> Connectivity:
        with self._lock:
            self._snap = dataclasses.replace(self._snap, **changes)
            snap = self._snap
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(snap)
            except Exception:  # a listener's bug must not stop the sync
                log.exception("sync status listener failed")
        return snap

    def subscribe(self, listener: Callable[[Connectivity], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Connectivity], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def running(self) -> bool:
        with self._lock:
            return self._scheduler is not None and not self._stop.is_set()

    # --- start / wake / stop ---------------------------------------------------------------
    def start(self) -> Connectivity:
        """Read the credentials (blocking: the keyring) and start the schedule, with a
        first pass at once. A shop with no central: nothing starts."""
        with self._lock:
            if self._scheduler is not None:
                return self._snap
        loaded = self._credentials_of(self._shop)
        if loaded is None:
            return self._update(state="not_connected", message=NOT_CONNECTED)
        if isinstance(loaded, str):
            # Enrolled, but the secrets are gone: say it once, do not retry every few
            # seconds into a keyring that will not answer differently.
            log.warning("sync worker not started: %s", loaded)
            return self._update(state="not_connected", message=loaded)
        if self._interval is None:
            self._interval = interval_setting(self._shop)
        self._creds = loaded
        scheduler = BackgroundScheduler(
            timezone=UTC, executors={"default": SchedulerPool(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        with self._lock:
            if self._scheduler is not None:
                return self._snap
            self._stop.clear()
            self._scheduler = scheduler
            # Before the first pass can run (it waits for this lock), so "starting" never
            # overwrites what the pass found.
            self._snap = dataclasses.replace(self._snap, state="starting", message=None)
            scheduler.start()
            self._schedule(0.0)
        return self._update()

    def wake(self) -> None:
        """New work (a committed sale): run a pass now, unless central is unreachable, in
        which case the backoff stands (every sale would otherwise knock on a dead door).
        Never blocks on the network or the database; safe from any thread."""
        with self._lock:
            if self._scheduler is None or self._stop.is_set():
                return
            self._woken = True
            if self._snap.state in ("offline", "refused"):
                return
            try:
                self._scheduler.modify_job(JOB_ID, next_run_time=datetime.now(UTC))
            except JobLookupError:
                pass  # a pass is running: it runs again as soon as it ends (_woken)

    def stop(self, *, timeout: float | None = None) -> bool:
        """Cancel, and wait for the pass in flight: it stops between two groups of batches.
        With ``timeout``, a pass still running after it (central hanging mid-statement) has
        its central statement cancelled, so that it ends as a broken connection does:
        nothing is marked locally for the batch in flight, which is sent again next time
        and recognised at central by its event ids. Returns False if a pass outlived even
        that (its thread ends when its network call does)."""
        with self._lock:
            scheduler, self._scheduler = self._scheduler, None
            self._stop.set()
        if scheduler is None:
            return True
        finished = self._idle.wait(timeout)
        if not finished:
            self._live.cancel()
            finished = self._idle.wait(CANCEL_GRACE_S)
        scheduler.shutdown(wait=finished)
        if self._snap.state != "not_connected":
            self._update(state="stopped", next_attempt_at=None)
        return finished

    def _schedule(self, delay: float) -> None:
        # Called with self._lock held.
        if self._scheduler is None or self._stop.is_set():
            return
        run_at = datetime.now(UTC) + timedelta(seconds=delay)
        self._scheduler.add_job(self._step, "date", run_date=run_at, id=JOB_ID,
                                replace_existing=True)
        self._snap = dataclasses.replace(self._snap, next_attempt_at=_iso(
            self._clock() + timedelta(seconds=delay)))

    # --- one pass --------------------------------------------------------------------------
    def _step(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._woken = False  # this pass covers whatever was asked for until now
            self._idle.clear()
        try:
            delay = self.run_pass()
        finally:
            self._idle.set()
        with self._lock:
            if self._woken and self._snap.state == "online":
                delay = 0.0
            self._schedule(delay)

    def run_pass(self) -> float:
        """One push + pull; returns the seconds until the next pass. Public for tests and
        for a caller that wants one pass in its own thread."""
        if self._creds is None and not self._stop.is_set():
            loaded = self._credentials_of(self._shop)
            if isinstance(loaded, Credentials):
                self._creds = loaded
            else:
                self._update(state="not_connected", message=loaded or NOT_CONNECTED)
        if self._interval is None:
            self._interval = interval_setting(self._shop)
        interval = self._interval
        creds = self._creds
        if creds is None or self._stop.is_set():
            return interval
        now = self._clock()
        result = run_pass(self._shop.db, creds.link, creds.cipher, stop=self._stop,
                          clock=self._clock, batch_size=self._batch_size,
                          batches_per_step=self._batches_per_step, live=self._live,
                          on_skew=self._record_skew)
        error = result.error or ""
        if result.outcome == "offline":
            return self._failed("offline", error, now)
        if result.outcome == "refused":
            # A person must act (a copied database): retry slowly, say it plainly.
            log.warning("central refuses this till's pushes: %s", error)
            self._failed("refused", error, now)
            return self._max
        if result.outcome == "not_connected":
            self._update(state="not_connected", message=error, last_error=None)
            return self._max
        if result.outcome == "local_busy":
            # Not central's fault; try again after the usual interval.
            self._update(last_error=error, last_error_at=_iso(now), last_attempt_at=_iso(now))
            return interval
        if result.outcome == "bug":  # log it once with its traceback, keep going slowly
            exc = result.exception
            key = f"{type(exc).__name__}: {exc}"
            if key != self._logged_error:
                log.error("sync pass failed", exc_info=exc)
                self._logged_error = key
            return self._failed(self._snap.state if self._snap.state != "starting"
                                else "offline", error, now)
        sent, quarantined, pulled = result.sent, result.quarantined, result.pulled
        if self._snap.state in ("offline", "refused"):
            log.info("central reachable again; %d events sent", sent)
        self._logged_error = None
        snap = self.snapshot()
        self._update(state="online", message=None, offline_since=None, last_error=None,
                     failures=0, backoff_ceiling_s=None, last_good_sync_at=_iso(self._clock()),
                     last_attempt_at=_iso(now), passes=snap.passes + 1,
                     sent_total=snap.sent_total + sent,
                     quarantined_total=snap.quarantined_total + quarantined,
                     pulled_total=snap.pulled_total + pulled)
        return interval

    def _failed(self, state: str, error: str, now: datetime) -> float:
        snap = self.snapshot()
        failures = snap.failures + 1
        ceiling = min(self._max, self._base * 2.0 ** min(failures - 1, 60))
        delay = max(self._min, next_delay(failures - 1, base_delay=self._base,
                                          max_delay=self._max, rng=self._rng))
        if snap.state not in ("offline", "refused"):
            log.warning("central unreachable: %s", error)  # once per outage, not per try
        self._update(state=state, last_error=error, last_error_at=_iso(now),
                     offline_since=snap.offline_since or _iso(now),
                     last_attempt_at=_iso(now), failures=failures,
                     backoff_ceiling_s=ceiling, passes=snap.passes + 1)
        return delay

    def _record_skew(self, reading: SkewReading) -> None:
        self._skew.keep(self._shop.db, reading)
        self._update(skew_s=reading.skew_s, skew_flagged=is_flagged(reading.skew_s))


class BackgroundSync:
    """The sync worker and the provider jobs together, as the desktop program runs them."""

    def __init__(self, worker: SyncWorker, jobs: ProviderJobs) -> None:
        self.worker = worker
        self.jobs = jobs

    @classmethod
    def for_shop(cls, shop: Shop) -> BackgroundSync:
        return cls(SyncWorker(shop), ProviderJobs(shop))

    def start(self) -> Connectivity:
        self.jobs.start()
        return self.worker.start()

    def wake(self) -> None:
        self.worker.wake()
        self.jobs.wake()

    def stop(self, *, timeout: float = 5.0) -> None:
        if not self.worker.stop(timeout=timeout):
            log.warning("a sync pass was still waiting on central at shutdown; its batch "
                        "is sent again at the next start")
        if not self.jobs.stop(timeout):
            log.warning("a provider call was still running at shutdown; its job is "
                        "resolved at the next start")


def threads_named(prefixes: tuple[str, ...]) -> Iterator[threading.Thread]:
    """Live threads whose name starts with one of ``prefixes`` (tests check none is left)."""
    return (t for t in threading.enumerate() if t.name.startswith(prefixes))


__all__ = ["BackgroundSync", "Connectivity", "Credentials", "DEFAULT_INTERVAL_S",
           "NOT_CONNECTED", "SyncWorker", "load_credentials", "threads_named"]

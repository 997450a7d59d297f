"""The shop's scheduler: apscheduler 3.x with a persistent job store.

Jobs (their times on the store's clock, setting ``timezone``):

- ``daily-summary`` — cron at ``summary.time`` (default 21:00), and ``summary-catch-up``
  every 10 minutes and at once on start: :func:`services.schedule_summary.run_due_summaries`
  (its module doc states the misfire and the offline rules; the catch-up is what makes a PC
  switched off at closing time send within the window, or log the day as skipped);
- ``stock-alerts`` — the low-stock digest (services.stock_alerts) daily at
  ``alerts.digest_time`` (default 07:00), or every ``alerts.digest_every_min`` minutes;
- ``nightly`` — at ``schedule.nightly_time`` (default 02:00): the other growth jobs, when
  their modules exist (``services.loyalty`` expire_points / recalculate_tiers,
  ``services.segments`` recompute_segments); a missing one is skipped with a log line;
- ``campaigns`` — every 5 minutes: ``services.campaigns.send_due_campaigns`` (scheduled
  campaigns), when that module exists.

The job store is ``SQLAlchemyJobStore`` on ``schedule.sqlite`` in the shop's data folder (not
the shop's database: apscheduler writes it from its own threads and must never hold the
till's write lock). Jobs are stored as text references with the folder as argument, and the
running :class:`ShopScheduler` of that folder is found in a registry, so a stored job never
pickles a database handle. On start, a stored job whose trigger is unchanged is kept (its
stored next run time makes apscheduler fire a run missed while the PC was off, within
``misfire_grace_time``); a changed one is replaced. The summary's exactly-once rule does not
rest on apscheduler: the email log and the central claim decide.

The desktop program starts it with the sync (``app.desktop.sync.SyncAdapter``);
``warungin scheduler run`` runs it in the foreground.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.jobstores.sqlalchemy import (  # type: ignore[import-untyped]
    SQLAlchemyJobStore,
)
from apscheduler.schedulers.background import (  # type: ignore[import-untyped]
    BackgroundScheduler,
)
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from app.shop import Shop
from local_db.store import read_settings
from services.crypto import FieldCipher
from services.schedule_summary import (
    DEFAULT_MISFIRE_HOURS,
    Outcome,
    ScheduledJob,
    SummaryClaims,
    parse_time,
    run_due_summaries,
)

log = logging.getLogger("warungin.schedule")

JOBSTORE_NAME = "schedule.sqlite"
CATCH_UP_MINUTES = 10
CAMPAIGN_MINUTES = 5

#: (module, function) of the nightly jobs other parts provide; called when present.
NIGHTLY_HOOKS: tuple[tuple[str, str], ...] = (
    ("services.loyalty", "expire_points"),
    ("services.loyalty", "recalculate_tiers"),
    ("services.segments", "recompute_segments"),
)
CAMPAIGN_HOOK = ("services.campaigns", "send_due_campaigns")

_RUNNING: dict[str, ShopScheduler] = {}
_LOCK = threading.Lock()


def jobstore_url(folder: Path) -> str:
    return f"sqlite:///{folder / JOBSTORE_NAME}"


def _cipher(shop: Shop) -> FieldCipher:
    from app.secrets import cipher_for
    return cipher_for(shop)


def _claims(shop: Shop) -> SummaryClaims | None:
    """Central claims when this till is enrolled, else None (a single till)."""
    from app.sync_worker import Credentials, load_credentials
    from sync.summary_claim import CentralClaims
    loaded = load_credentials(shop)
    with shop.uow(write=False) as uow:
        terminal = read_settings(uow.conn).get("central.terminal_id", "")
    if isinstance(loaded, Credentials):
        return CentralClaims(loaded.link.connect, terminal)
    if loaded is None:
        return None

    class _Unreachable:  # enrolled but its secrets are gone: as if central were down
        terminal_id = terminal

        def claim(self, *_a: Any) -> Any:
            from services.schedule_summary import ClaimUnavailable
            raise ClaimUnavailable(str(loaded))
    return _Unreachable()


class ShopScheduler:
    """The scheduler of one open shop (see the module doc)."""

    def __init__(self, shop: Shop, *,
                 cipher: Callable[[Shop], FieldCipher] = _cipher,
                 claims: Callable[[Shop], SummaryClaims | None] = _claims) -> None:
        self.shop = shop
        self._cipher_of = cipher
        self._claims_of = claims
        self._scheduler: Any = None
        self.key = str(Path(shop.folder).resolve())

    # --- settings -----------------------------------------------------------------------
    def _settings(self) -> dict[str, str]:
        with self.shop.uow(write=False) as uow:
            return read_settings(uow.conn)

    def _jobs(self, s: dict[str, str]) -> list[tuple[str, str, Any, int | None]]:
        tz = s.get("timezone") or "Asia/Jakarta"
        at = parse_time(s.get("summary.time", "21:00"))
        try:
            grace = int(float(s.get("summary.misfire_hours", str(DEFAULT_MISFIRE_HOURS))) * 3600)
        except ValueError:
            grace = DEFAULT_MISFIRE_HOURS * 3600
        jobs: list[tuple[str, str, Any, int | None]] = [
            ("daily-summary", "job_summary", CronTrigger(hour=at.hour, minute=at.minute,
                                                         timezone=tz), max(grace, 1)),
            ("summary-catch-up", "job_summary", IntervalTrigger(minutes=CATCH_UP_MINUTES,
                                                                timezone=tz), None),
        ]
        every = s.get("alerts.digest_every_min", "").strip()
        if every.isdigit() and int(every) > 0:
            alert_trigger: Any = IntervalTrigger(minutes=int(every), timezone=tz)
        else:
            a = parse_time(s.get("alerts.digest_time", "07:00"), field="alerts.digest_time")
            alert_trigger = CronTrigger(hour=a.hour, minute=a.minute, timezone=tz)
        n = parse_time(s.get("schedule.nightly_time", "02:00"), field="schedule.nightly_time")
        jobs += [("stock-alerts", "job_stock_alerts", alert_trigger, 6 * 3600),
                 ("nightly", "job_nightly", CronTrigger(hour=n.hour, minute=n.minute,
                                                        timezone=tz), 6 * 3600),
                 ("campaigns", "job_campaigns", IntervalTrigger(minutes=CAMPAIGN_MINUTES,
                                                                timezone=tz), None)]
        return jobs

    # --- start / stop -------------------------------------------------------------------
    def start(self) -> None:
        """Start the scheduler's thread (``scheduler run`` then waits for Ctrl+C)."""
        s = self._settings()
        tz = s.get("timezone") or "Asia/Jakarta"
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=jobstore_url(Path(self.shop.folder)))},
            job_defaults={"coalesce": True, "max_instances": 1}, timezone=tz)
        with _LOCK:
            _RUNNING[self.key] = self
        self._scheduler = scheduler
        scheduler.start(paused=True)
        for job_id, fn, trigger, grace in self._jobs(s):
            have = scheduler.get_job(job_id)
            if have is not None and str(have.trigger) == str(trigger):
                continue  # keep its stored next run time (a missed run fires on resume)
            scheduler.add_job(f"app.scheduler:{fn}", trigger, args=[self.key], id=job_id,
                              name=job_id, replace_existing=True, misfire_grace_time=grace)
        # The catch-up runs at once: a summary missed while the PC was off is sent or
        # logged as skipped now (services.schedule_summary's misfire rule).
        scheduler.modify_job("summary-catch-up", next_run_time=datetime.now(UTC))
        log.info("scheduler started (%s)", ", ".join(j[0] for j in self._jobs(s)))
        scheduler.resume()

    def stop(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        with _LOCK:
            if _RUNNING.get(self.key) is self:
                del _RUNNING[self.key]
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=True)

    @property
    def running(self) -> bool:
        return self._scheduler is not None and bool(self._scheduler.running)

    def jobs(self) -> tuple[ScheduledJob, ...]:
        if self._scheduler is None:
            return ()
        return tuple(_job(j.id, j.trigger, j.next_run_time)
                     for j in self._scheduler.get_jobs())

    def planned(self, now: datetime) -> tuple[ScheduledJob, ...]:
        """The jobs the settings make, with their next run after ``now`` (the scheduler
        need not be running: ``warungin scheduler jobs``, a screen on a till whose
        scheduler is not started)."""
        return tuple(_job(job_id, trigger, trigger.get_next_fire_time(None, now))
                     for job_id, _fn, trigger, _grace in self._jobs(self._settings()))

    # --- the jobs' bodies (also called directly by the CLI and tests) -------------------
    def run_summary(self, now: datetime | None = None) -> list[Outcome]:
        """The summary's rule once. The data key and central's claims are read only when a
        summary is about to go (not on every catch-up run: a shop without a keyring would
        log an error every 10 minutes)."""
        shop = self.shop
        return run_due_summaries(shop.uow, lambda: self._cipher_of(shop),
                                 lambda: self._claims_of(shop), now=now)

    def run_stock_alerts(self) -> Any:
        """The owner's digest, when an alert waits and an owner channel is set up; the
        data key is read only then."""
        from services.stock_alerts import digest_due, send_alert_digest
        with self.shop.uow(write=False) as uow:
            if not digest_due(uow.conn):
                return None
        cipher = self._cipher_of(self.shop)  # before the write unit of work (cipher_for)
        with self.shop.uow() as uow:
            return send_alert_digest(uow, cipher)

    def run_hooks(self, hooks: tuple[tuple[str, str], ...]) -> dict[str, str]:
        """Call each (module, function) present; say which ran, were missing or failed."""
        import importlib
        done: dict[str, str] = {}
        for module, name in hooks:
            key = f"{module}.{name}"
            try:
                fn = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                log.info("scheduled job %s skipped: not in this version", key)
                done[key] = "missing"
                continue
            try:
                _call_hook(fn, self.shop, self._cipher_of)
                done[key] = "ran"
            except Exception:  # one job's bug must not stop the others
                log.exception("scheduled job %s failed", key)
                done[key] = "failed"
        return done


def _job(job_id: str, trigger: Any, next_run: datetime | None) -> ScheduledJob:
    """A job as :class:`ScheduledJob`: a cron job's time of day or an interval's minutes,
    so a screen can say "daily at 21:00" or "every 10 minutes" in its own words."""
    at: str | None = None
    every: int | None = None
    if isinstance(trigger, IntervalTrigger):
        every = int(trigger.interval.total_seconds() // 60)
    elif isinstance(trigger, CronTrigger):
        fields = {f.name: str(f) for f in trigger.fields}
        if fields.get("hour", "*").isdigit() and fields.get("minute", "*").isdigit():
            at = f"{int(fields['hour']):02d}:{int(fields['minute']):02d}"
    return ScheduledJob(job_id, job_id, str(trigger),
                        next_run.astimezone(UTC).isoformat() if next_run else None,
                        at=at, every_minutes=every)


def scheduled_jobs(shop: Shop, now: datetime | None = None
                   ) -> tuple[bool, tuple[ScheduledJob, ...]]:
    """(running, jobs) for ``shop``: the running scheduler's own jobs (their stored next
    run times) when one runs in this process, else the jobs its settings would make."""
    key = str(Path(shop.folder).resolve())
    with _LOCK:
        running = _RUNNING.get(key)
    if running is not None and running.running:
        return True, running.jobs()
    return False, ShopScheduler(shop).planned(now or datetime.now(UTC))


def _call_hook(fn: Callable[..., Any], shop: Shop,
               cipher_of: Callable[[Shop], FieldCipher]) -> Any:
    """Call another part's job with what its parameters name: ``uow`` (a write unit of
    work), ``cipher``, ``now`` (an aware UTC datetime), ``shop``."""
    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = {}
    if "cipher" in params:
        kwargs["cipher"] = cipher_of(shop)
    if "now" in params:
        kwargs["now"] = datetime.now(UTC)
    if "shop" in params:
        kwargs["shop"] = shop
    if "uow" in params:
        with shop.uow() as uow:
            result = fn(uow=uow, **kwargs)
            if not uow.committed:
                uow.commit()
            return result
    return fn(**kwargs)


def _running(key: str) -> ShopScheduler | None:
    with _LOCK:
        found = _RUNNING.get(key)
    if found is None:
        log.warning("scheduled job for a shop that is not open here; skipped")
    return found


def job_summary(key: str) -> None:
    s = _running(key)
    if s is not None:
        for o in s.run_summary():
            log.info("daily summary %s: %s %s", o.day, o.status, o.reason or "")


def job_stock_alerts(key: str) -> None:
    s = _running(key)
    if s is not None:
        s.run_stock_alerts()


def job_nightly(key: str) -> None:
    s = _running(key)
    if s is not None:
        s.run_hooks(NIGHTLY_HOOKS)


def job_campaigns(key: str) -> None:
    s = _running(key)
    if s is not None:
        s.run_hooks((CAMPAIGN_HOOK,))


def next_closing(shop: Shop, now: datetime) -> datetime:
    """The next closing time (UTC) after ``now`` (for screens and tests)."""
    from services.schedule_summary import next_closing as closing_after
    from services.schedule_summary import read_summary_settings
    with shop.uow(write=False) as uow:
        st = read_summary_settings(uow.conn)
    return closing_after(st, now)


__all__ = ["JOBSTORE_NAME", "NIGHTLY_HOOKS", "ScheduledJob", "ShopScheduler", "job_campaigns",
           "job_nightly", "job_stock_alerts", "job_summary", "jobstore_url", "next_closing",
           "scheduled_jobs"]

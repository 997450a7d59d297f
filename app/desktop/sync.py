"""Sync status a person can act on (``ui.backend_sync.SyncBackend``), and the background
work behind it.

The background work (``app.sync_worker.BackgroundSync``: the sync worker and the
provider-job dispatcher) belongs to this adapter: :meth:`SyncAdapter.start` when the shop is
open, :meth:`SyncAdapter.stop` when the window closes (``GuiBackend.close`` stops it too).
The figures and the actions are ``sync.overview``'s and ``sync.panel_actions``'s.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from services.sync_status import SyncChannel, SyncOverview, UnsentSummary
from sync.overview import LinkView, sync_channels, sync_overview, unsent_summary
from sync.panel_actions import discard_item, retry_item
from services.selling import Approval

if TYPE_CHECKING:
    # The worker pulls in psycopg, apscheduler and the push/pull code: imported when the
    # sync starts (after the till is up), not when the program starts (cold-start budget).
    from app.scheduler import ShopScheduler
    from app.sync_worker import BackgroundSync, Connectivity


class SyncAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._background: BackgroundSync | None = None
        self._watcher: Callable[[], None] | None = None
        self._scheduler: ShopScheduler | None = None

    def start(self) -> None:
        from app.sync_worker import BackgroundSync
        with self._lock:
            if self._background is not None:
                return
            background = self._background = BackgroundSync.for_shop(self._ctx.shop)
        background.worker.subscribe(self._pass_done)
        background.start()
        self._start_scheduler()

    def _start_scheduler(self) -> None:
        """The shop's scheduler (daily summary, stock alerts, nightly jobs: app.scheduler)
        starts and stops with the background work. Its failure to start is logged, never
        in the till's way."""
        from app.scheduler import ShopScheduler
        try:
            scheduler = ShopScheduler(self._ctx.shop)
            scheduler.start()
        except Exception:
            logging.getLogger("warungin.schedule").exception("the scheduler did not start")
            return
        self._scheduler = scheduler

    def stop(self) -> None:
        with self._lock:
            background, self._background = self._background, None
            self._watcher = None
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.stop()
        if background is not None:
            background.worker.unsubscribe(self._pass_done)
            background.stop()

    def wake(self) -> None:
        background = self._background
        if background is not None:
            background.wake()

    def watch(self, callback: Callable[[], None] | None) -> None:
        self._watcher = callback

    def _pass_done(self, _snap: Connectivity) -> None:
        watcher = self._watcher
        if watcher is not None:
            watcher()

    def _link(self, enrolled: bool) -> LinkView:
        """The worker's snapshot; with no worker, what the till knows without one."""
        from app.sync_worker import NOT_CONNECTED, Connectivity
        background = self._background
        if background is not None:
            return background.worker.snapshot()
        if not enrolled:
            return Connectivity(state="not_connected", message=NOT_CONNECTED)
        return Connectivity(state="stopped", message=None)

    def _provider_notes(self) -> Mapping[str, str]:
        background = self._background
        if background is not None:
            return background.jobs.notes()
        from app.provider_jobs_runner import why_not
        return why_not(self._ctx.shop)

    @environment_faults
    def overview(self) -> SyncOverview:
        return sync_overview(self._ctx.shop.db, self._link)

    @environment_faults
    def unsent_summary(self) -> UnsentSummary:
        return unsent_summary(self._ctx.shop.db)

    @environment_faults
    def channels(self) -> tuple[SyncChannel, ...]:
        background = self._background
        running = background.jobs.providers() if background is not None else frozenset()
        return sync_channels(self._ctx.shop.db, self._link, running, self._provider_notes)

    @environment_faults
    def retry_item(self, channel: str, item_id: str,
                   approval: Approval | None = None) -> str:
        actor = self._ctx.require_actor()
        with self._ctx.shop.uow() as uow:
            message = retry_item(uow, actor, channel, item_id,
                                 None if approval is None else (approval.user, approval.pin))
        self.wake()
        return message

    @environment_faults
    def discard_item(self, channel: str, item_id: str, approval: Approval) -> str:
        actor = self._ctx.require_actor()
        with self._ctx.shop.uow() as uow:
            return discard_item(uow, actor, channel, item_id, (approval.user, approval.pin))

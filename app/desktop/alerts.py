"""Stock alerts, the reorder list and the scheduled emails for the screens
(``ui.backend_alerts.AlertsBackend``).

Each method opens a unit of work and calls the use cases (``services.stock_alerts``,
``services.reorder``, ``services.schedule_summary``) as whoever is logged in; the services
decide who may. The scheduler's jobs come from the scheduler running in this program
(``app.scheduler``, started with the sync) or, when it is not running, from the settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from services.credentials import SecretStoreUnavailable
from ui.backend_alerts import ReorderView, ScheduleView
from ui.backend_core import Unavailable

if TYPE_CHECKING:
    from local_db.uow import UnitOfWork
    from services.stock_alerts import Digest


class AlertsAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    @environment_faults
    def reorder(self) -> ReorderView:
        from services.reorder import reorder_for
        from services.stock_alerts import alerts_overview
        actor = self._ctx.require_actor()

        def read(uow: UnitOfWork) -> ReorderView:
            seen = alerts_overview(uow, actor)  # one snapshot: the list and the alerts agree
            return ReorderView(seen.alerts, seen.pending, seen.channel,
                               reorder_for(uow, actor))
        return self._ctx.read(read)

    @environment_faults
    def send_digest(self) -> Digest:
        from app.secrets import cipher_for
        from services.stock_alerts import send_alert_digest
        actor = self._ctx.require_actor()
        try:  # before the write unit of work: no nesting
            cipher = cipher_for(self._ctx.shop)
        except SecretStoreUnavailable as exc:  # no keyring: say so, as the till does
            raise Unavailable(str(exc)) from exc
        return self._ctx.write(lambda uow: send_alert_digest(uow, cipher, actor))

    @environment_faults
    def schedule(self) -> ScheduleView:
        from app.scheduler import scheduled_jobs
        from services.schedule_summary import schedule_overview
        actor = self._ctx.require_actor()
        seen = self._ctx.read(lambda uow: schedule_overview(uow, actor))
        running, jobs = scheduled_jobs(self._ctx.shop)
        return ScheduleView(seen.settings, running, jobs, seen.next_closing, seen.log)

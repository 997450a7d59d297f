"""Stock alerts, the reorder list and the scheduled emails, for the back office screens.

What the reorder and scheduled-emails screens need from the shop, as a Protocol
(``backend.alerts``, implemented by ``app/desktop/alerts.py``). Every method touches the
database, so the screens call them only through :mod:`ui.tasks`: the reads on
``Lane.POOL``, the digest on ``Lane.WRITER``.

What crosses are the services' frozen values (``services.stock_alerts``,
``services.reorder``, ``services.schedule_summary``); :class:`ReorderView` and
:class:`ScheduleView` only put together what one screen shows in one read. Rights are
decided by the services; refusals arrive as ``services.errors`` exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from services.reorder import ReorderList
    from services.schedule_summary import LogRow, ScheduledJob, SummarySettings
    from services.stock_alerts import AlertRow, Digest


@dataclass(frozen=True, slots=True)
class ReorderView:
    """The reorder screen in one read: the open low-stock alerts (newest first), how many
    wait for the owner's digest and by which channel it goes (None: no owner channel set
    up, the alerts wait here), and the reorder list as of the store's today."""

    alerts: tuple[AlertRow, ...]
    pending: int
    channel: str | None
    reorder: ReorderList


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """The scheduled-emails screen in one read: the daily summary's settings, the
    scheduler's jobs (running here or not: then the jobs its settings make), the next
    closing time (UTC) and the email log, newest first."""

    settings: SummarySettings
    running: bool
    jobs: tuple[ScheduledJob, ...]
    next_closing: str
    log: tuple[LogRow, ...]


class AlertsBackend(Protocol):
    def reorder(self) -> ReorderView:
        """The open alerts and the reorder list (supervisor and owner)."""
        ...

    def send_digest(self) -> Digest:
        """Queue the owner's digest of every open, unsent alert now (supervisor and
        owner; services.stock_alerts.send_alert_digest)."""
        ...

    def schedule(self) -> ScheduleView:
        """The daily summary's schedule, the scheduler's jobs and the email log (owner)."""
        ...


__all__ = ["AlertsBackend", "ReorderView", "ScheduleView"]

"""The sync status bar on every screen: online/offline, what waits to be sent, open provider
jobs. Its figures are read on the background pool by a timer; the main thread only draws.

Until the sync engine lands it reads the outbox and provider-job tables directly (through the
backend) and says "offline" unless a central is configured: no fake figures.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.backend import StatusFigures, TillBackend
from ui.i18n import age, tr
from ui.tasks import Lane, TaskManager, describe_error

REFRESH_MS = 5000


class SyncStatusBar(QWidget):
    #: New figures were drawn (tests wait on it).
    refreshed = Signal(object)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend: TillBackend | None = None
        self._in_flight = False
        self._figures: StatusFigures | None = None
        self.setObjectName("syncStatus")
        self.online = QLabel()
        self.online.setObjectName("online")
        self.pending = QLabel()
        self.jobs = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        for label in (self.online, self.pending, self.jobs):
            # Read from across the counter: larger than Qt's default status text.
            font = label.font()
            font.setPointSize(11)
            label.setFont(font)
            layout.addWidget(label)
            layout.addSpacing(24)
        layout.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.retranslate()

    def attach(self, backend: TillBackend) -> None:
        self._backend = backend
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        """Ask for fresh figures on the pool; a refresh still running is not doubled."""
        if self._backend is None or self._in_flight:
            return
        self._in_flight = True
        self._tasks.run_in_background(self._backend.status, self._show, self._failed,
                                      lane=Lane.POOL, owner=self)

    def _show(self, figures: StatusFigures) -> None:
        self._in_flight = False
        self._figures = figures
        self.retranslate()
        self.refreshed.emit(figures)

    def _failed(self, exc: Exception) -> None:
        self._in_flight = False
        self.pending.setText(describe_error(exc))

    def retranslate(self) -> None:
        f = self._figures
        if f is None:
            self.online.setText(tr("status.offline"))
            self.online.setToolTip(tr("status.offline_tip"))
            self.pending.setText(tr("status.unknown"))
            self.jobs.setText("")
            return
        # Honest: with no sync engine there is no connection to check yet.
        key = "status.online" if f.central_configured else "status.offline"
        self.online.setText("● " + tr(key))
        self.online.setToolTip(tr(key + "_tip"))
        self.online.setStyleSheet("color: #1b7f3b;" if f.central_configured
                                  else "color: #a15c00;")
        if f.outbox_pending and f.oldest_pending_at:
            self.pending.setText(tr("status.pending_age", count=f.outbox_pending,
                                    age=age(_seconds_since(f.oldest_pending_at))))
        else:
            self.pending.setText(tr("status.pending", count=f.outbox_pending))
        self.jobs.setText(tr("status.jobs", count=f.provider_jobs_open))


def _seconds_since(iso: str) -> float:
    try:
        then = datetime.fromisoformat(iso)
    except ValueError:
        return 0.0
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return (datetime.now(UTC) - then).total_seconds()

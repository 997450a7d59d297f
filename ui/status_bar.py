"""The sync status bar on every screen: online/offline, what waits to be sent and since
when, the last good sync, what failed or is quarantined, and a clock-skew warning.

Its figures (``backend.sync.overview``: the outbox and provider-job tables plus the sync
worker's connectivity snapshot) are read on the POOL lane, on a timer, after each sync pass
and on :meth:`SyncStatusBar.wake` (a committed sale); the main thread only draws. Clicking
the bar (or Ctrl+Shift+S, or its button) asks for the sync panel (``open_panel``).

:meth:`attach` also starts the background sync (worker and provider jobs) on the POOL lane:
reading the keyring must not hold the window up. The backend stops it when it closes.
"""

from __future__ import annotations


from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from services.sync_status import SyncOverview
from ui.backend import TillBackend
from ui.icons import icon
from ui.i18n import age, number, tr, when
from ui.tasks import Lane, TaskManager, describe_error

REFRESH_MS = 3000
SHORTCUT = "Ctrl+Shift+S"

_COLOURS = {"online": "#1b7f3b", "offline": "#a15c00", "refused": "#b00020",
            "not_connected": "#555555", "starting": "#555555", "stopped": "#555555"}


#: How long after the shop opens the sync starts and the bar first reads its figures.
SYNC_START_DELAY_MS = 2000


class SyncStatusBar(QWidget):
    #: New figures were drawn (tests wait on it).
    refreshed = Signal(object)
    #: The person asked for the sync panel (a click, the button or Ctrl+Shift+S).
    open_panel = Signal()
    #: The background sync was started (or found nothing to connect to).
    sync_started = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend: TillBackend | None = None
        self._in_flight = False
        self._again = False
        self._figures: SyncOverview | None = None
        self.setObjectName("syncStatus")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.online = QLabel()
        self.online.setObjectName("online")
        self.pending = QLabel()
        self.pending.setObjectName("pending")
        self.last_sync = QLabel()
        self.last_sync.setObjectName("lastSync")
        self.failed = QLabel()
        self.failed.setObjectName("failed")
        self.skew = QLabel()
        self.skew.setObjectName("skew")
        self.skew.setStyleSheet("color: #b00020; font-weight: bold;")
        self.details = QPushButton()
        self.details.setObjectName("syncDetails")
        self.details.setFlat(True)
        self.details.setIcon(icon("sync"))
        self.details.setMinimumHeight(32)
        self.details.clicked.connect(self.open_panel.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        for label in (self.online, self.pending, self.last_sync, self.failed, self.skew):
            # Read from across the counter: larger than Qt's default status text.
            font = label.font()
            font.setPointSize(11)
            label.setFont(font)
            layout.addWidget(label)
            layout.addSpacing(12)
        layout.addStretch(1)
        layout.addWidget(self.details)
        self.skew.hide()
        self.failed.hide()
        QShortcut(QKeySequence(SHORTCUT), self, self.open_panel.emit)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.retranslate()

    @property
    def figures(self) -> SyncOverview | None:
        return self._figures

    def attach(self, backend: TillBackend) -> None:
        self._backend = backend
        # After each sync pass (on the worker's thread): redraw, on the main thread.
        tasks = self._tasks
        backend.sync.watch(lambda: tasks.run_on_main(self.refresh))
        # The sync worker (psycopg, apscheduler, the push and pull code) and the first
        # figures wait until the login and the till are up: starting them at once would
        # compete with the cold start (issue 5: ready to scan within 1.5 s).
        QTimer.singleShot(SYNC_START_DELAY_MS, self, self._begin)

    def _begin(self) -> None:
        backend = self._backend
        if backend is None:
            return
        self._tasks.run_in_background(backend.sync.start, lambda _none: self._started(),
                                      lambda exc: self._started(), lane=Lane.POOL,
                                      owner=self)
        self.refresh()
        self._timer.start()

    def _started(self) -> None:
        self.refresh()
        self.sync_started.emit()

    def stop(self) -> None:
        self._timer.stop()
        if self._backend is not None:
            self._backend.sync.watch(None)
        self._backend = None

    def wake(self) -> None:
        """New work was committed (a sale): sync now and redraw."""
        if self._backend is not None:
            self._backend.sync.wake()  # never blocks
        self.refresh()

    def refresh(self) -> None:
        """Ask for fresh figures on the pool; a refresh asked while one runs runs after it."""
        if self._backend is None:
            return
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        self._tasks.run_in_background(self._backend.sync.overview, self._show, self._failed,
                                      lane=Lane.POOL, owner=self)

    def _show(self, figures: SyncOverview) -> None:
        self._in_flight = False
        self._figures = figures
        self.retranslate()
        self.refreshed.emit(figures)
        self._follow_up()

    def _failed(self, exc: Exception) -> None:
        self._in_flight = False
        self.pending.setText(describe_error(exc))
        self._follow_up()

    def _follow_up(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.open_panel.emit()
        super().mousePressEvent(event)

    def retranslate(self) -> None:
        self.details.setText(tr("sync.details"))
        f = self._figures
        if f is None:
            self.online.setText(tr("sync.state.starting"))
            self.online.setToolTip(tr("sync.tip.starting"))
            self.pending.setText(tr("sync.loading"))
            self.last_sync.setText("")
            return
        state = f.connection if f.connection in _COLOURS else "stopped"
        if state == "offline":
            self.online.setText(tr("sync.state.offline", since=_clock_text(f.offline_since))
                                if f.offline_since else tr("sync.state.offline_now"))
        else:
            self.online.setText(tr("sync.state." + state))
        self.online.setToolTip(tr("sync.tip." + state, error=f.last_error or "-",
                                  why=f.message or "-"))
        self.online.setStyleSheet(f"color: {_COLOURS[state]}; font-weight: bold;")
        if f.pending and f.oldest_pending_age_s is not None:
            self.pending.setText(tr("sync.pending_age", count=number(f.pending),
                                    age=age(f.oldest_pending_age_s)))
        else:
            self.pending.setText(tr("sync.pending", count=number(f.pending)))
        self.last_sync.setText(tr("sync.last_sync", when=_clock_text(f.last_good_sync_at))
                               if f.last_good_sync_at else tr("sync.never"))
        self.failed.setText(tr("sync.failed", count=number(f.failed)))
        self.failed.setStyleSheet("color: #b00020; font-weight: bold;" if f.failed else "")
        self.failed.setVisible(f.failed > 0)
        if f.skew_flagged and f.skew_s is not None:
            self.skew.setText(tr("sync.skew", amount=age(abs(f.skew_s))))
            self.skew.setToolTip(tr("sync.skew_tip", amount=age(abs(f.skew_s))))
            self.skew.show()
        else:
            self.skew.hide()


def _clock_text(stamp: str | None) -> str:
    """A stored UTC time on the store's clock (setting ``timezone``): today "14:05 WIB",
    else with the date (services.formatting)."""
    return when(stamp, always_date=False) if stamp else "-"

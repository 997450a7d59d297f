"""The main window: opening the shop, then login, then the till; the sync status bar below.

The shop is opened on the DB-writer lane (migrations, seeding the demo on a first run,
loading the configuration), so the window draws at once and says what it is doing.
``ready`` is emitted when the till can take a scan: the cold-start benchmark waits on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from services.sync_status import UnsentSummary
from services.users import Actor
from ui.backend import TillBackend
from ui.icons import icon
from ui.i18n import language, set_language, set_zone, tr
from ui.login import LoginPage
from ui.office.wiring import install as install_office
from ui.receipt_printing import install as install_receipts
from ui.status_bar import SyncStatusBar
from ui.sync_panel import UnsentWarning, install as install_sync
from ui.tasks import Lane, TaskManager, describe_error
from ui.till import TillPage


#: After the shop opens, when the background integrity check starts (the login and the
#: first scans come first).
INTEGRITY_CHECK_DELAY_MS = 3000


class MainWindow(QMainWindow):
    #: The till is shown with the scan box focused: a scan now lands in the cart.
    ready = Signal()
    #: The shop is open and the login screen is showing its users.
    login_shown = Signal()
    #: The background integrity check finished (value: None, or what is wrong).
    integrity_checked = Signal(object)
    #: Logging out waits on the person: items are unsent (value: the UnsentWarning).
    logout_warned = Signal(object)

    def __init__(self, open_backend: Callable[[], TillBackend], *,
                 tasks: TaskManager | None = None) -> None:
        super().__init__()
        self._open_backend = open_backend
        self.tasks = tasks if tasks is not None else TaskManager(self)
        self.backend: TillBackend | None = None
        self.actor: Actor | None = None
        self.damaged = False
        self.setObjectName("mainWindow")
        self.setWindowTitle("Warungin")
        self.setWindowIcon(icon("warungin"))
        self.setMinimumSize(1024, 600)
        self.resize(1366, 768)

        self.loading = QLabel(tr("main.loading"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self.login = LoginPage(self.tasks)
        self.till = TillPage(self.tasks)
        self.pages = QStackedWidget()
        for page in (self.loading, self.login, self.till):
            self.pages.addWidget(page)
        self.status = SyncStatusBar(self.tasks)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(central)

        self.login.logged_in.connect(self._logged_in)
        self.login.users_loaded.connect(self.login_shown.emit)
        self.login.language_toggled.connect(self.toggle_language)
        self.till.logout_requested.connect(self._logout)
        self.till.sale_completed.connect(lambda _result: self.status.refresh())
        # Receipts: printed after each sale (pool lane), F11 reprints, Shift+F11 any/PDF.
        self.receipts = install_receipts(self)
        # The back office: its page, Ctrl+O from the till for owners (and supervisors).
        self.office = install_office(self)
        # Sync: the status bar opens the panel, a sale wakes the worker, logout and close
        # warn when items are unsent.
        self.sync = install_sync(self)
        self._close_confirmed = False
        self._logout_asking = False
        self.logout_warning: UnsentWarning | None = None

    def start(self) -> None:
        """Open the shop off the main thread; the login shows when it is open."""
        self.tasks.run_in_background(self._open_backend, self._opened, self._open_failed,
                                     lane=Lane.WRITER, owner=self)

    # --- flow -------------------------------------------------------------------------
    def _opened(self, backend: TillBackend) -> None:
        self.backend = backend
        info = backend.core.shop_info()
        set_zone(info.timezone)  # every time shown on the store's clock (WIB/WITA/WIT)
        if info.language != language():
            set_language(info.language)
            self.retranslate()
        title = tr("app.title", store=info.store_name)
        self.setWindowTitle(title + (f" [{tr('demo')}]" if info.demo else ""))
        self.login.attach(backend)
        self.till.attach(backend)
        self.status.attach(backend)
        self.pages.setCurrentWidget(self.login)
        self.login.reset()
        # The whole-file integrity check waits until the till is up and then runs off the
        # main thread: start-up stays fast, and a damaged file still stops the selling.
        QTimer.singleShot(INTEGRITY_CHECK_DELAY_MS, self._check_integrity)

    def _check_integrity(self) -> None:
        backend = self.backend
        if backend is None:
            return
        self.tasks.run_in_background(backend.core.integrity_problems, self._integrity_checked,
                                     lambda exc: self._integrity_checked(describe_error(exc)),
                                     lane=Lane.POOL, owner=self)

    def _integrity_checked(self, problem: str | None) -> None:
        self.integrity_checked.emit(problem)
        if problem is None:
            return
        self.damaged = True
        self.loading.setText(tr("main.damaged", error=problem))
        self.pages.setCurrentWidget(self.loading)

    def _open_failed(self, exc: Exception) -> None:
        self.loading.setText(tr("main.open_failed", error=describe_error(exc)))

    def _logged_in(self, actor: Actor) -> None:
        if self.damaged:
            return  # the damaged-file message stays; nobody sells on that file
        self.actor = actor
        self.till.start(actor)
        self.pages.setCurrentWidget(self.till)
        self.till.focus_scan()
        # After this event is handled the till is drawn and the scan box has the focus.
        QTimer.singleShot(0, self.ready.emit)

    def _logout(self) -> None:
        """F12: with items waiting to be sent (what the status bar counts), first a warning
        with their number, and the person chooses to log out or stay; else at once."""
        backend = self.backend
        if backend is None or self.actor is None:
            self._logout_now()
            return
        if self._logout_asking:
            return  # F12 again while the count is on its way or the question is open
        self._logout_asking = True
        self.tasks.run_in_background(backend.sync.unsent_summary, self._logout_counted,
                                     lambda _exc: self._logout_answered(True),
                                     lane=Lane.POOL, owner=self)

    def _logout_counted(self, summary: UnsentSummary) -> None:
        # The status bar's "waiting" figure: the outbox (even with no central yet, where it
        # waits for the day the shop is connected) and the provider jobs still open.
        waiting = summary.outbox_pending + summary.jobs_open
        if waiting <= 0 or self.actor is None:
            self._logout_answered(True)
            return
        # No central yet: the outbox waits for the day the shop is connected (say so).
        local = not summary.central_enrolled and summary.outbox_pending > 0
        purpose = "logout_local" if local else "logout"
        box = UnsentWarning(replace(summary, total=waiting), purpose,
                            lambda: self._logout_answered(True), self)
        box.finished.connect(lambda _r: self._logout_answered(False))
        self.logout_warning = box
        box.open()
        self.logout_warned.emit(box)

    def _logout_answered(self, log_out: bool) -> None:
        if not self._logout_asking:
            return  # answered already (the warning's finished signal comes after)
        self.logout_warning = None
        self._logout_asking = False
        if log_out:
            self._logout_now()
        else:  # stays: the scan box once the warning has gone
            self.activateWindow()
            QTimer.singleShot(0, self.till.focus_scan)

    def _logout_now(self) -> None:
        backend = self.backend
        self.actor = None
        if backend is not None:
            self.tasks.run_in_background(backend.core.logout, lane=Lane.WRITER, owner=self)
        self.pages.setCurrentWidget(self.login)
        self.login.reload_users()
        self.login.reset()

    def toggle_language(self) -> None:
        set_language("en" if language() == "id" else "id")
        self.retranslate()

    def retranslate(self) -> None:
        self.loading.setText(tr("main.loading"))
        self.login.retranslate()
        self.till.retranslate()
        self.status.retranslate()
        self.office.retranslate()

    # --- closing ----------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.backend is not None and not self._close_confirmed:
            event.ignore()  # closes after the unsent-items check (and the person's answer)
            self.sync.confirm("close", self._close_now)
            return
        self.shutdown()
        super().closeEvent(event)

    def _close_now(self) -> None:
        self._close_confirmed = True
        self.close()

    def shutdown(self) -> None:
        """Stop the timers, cancel a QRIS/VA charge nobody will wait for, let a running
        write finish, then close the database."""
        self.status.stop()
        if self.backend is not None:
            self.backend.money.cancel_charges()  # else shutdown waits out the charge
        self.tasks.shutdown(wait=True)
        if self.backend is not None:
            self.backend.close()
            self.backend = None

"""The sync panel: one tab per channel (central database, payments, couriers, email,
SMS/WhatsApp, push), listing what waits or failed with its state, attempts, next attempt and
last error, with Retry and Discard.

Everything is read from the outbox and provider-job tables through the backend
(``backend.sync.channels``, on the POOL lane); nothing is invented, and an empty channel says so.

* Retry (F5): a quarantined central event is queued again (safe: the push is idempotent,
  see ``sync/outbox_review.py``); a provider job still being tried is made due now; a dead
  job is replayed, which needs a supervisor: when the backend refuses a cashier for want of
  one, the supervisor PIN dialog opens and the replay runs with the PIN typed there.
* Discard (F8): always through the supervisor PIN dialog (``ui.supervisor_pin``); the
  backend checks the PIN and records the discard in the audit chain.

Also here: :func:`confirm_unsent`, the warning at logout and close when items are unsent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from services.sync_status import SyncChannel, SyncItem, UnsentSummary
from ui.backend import TillBackend
from services.selling import Approval
from ui.i18n import number, tr, when
from ui.supervisor_pin import SupervisorPinDialog
from ui.tasks import Lane, TaskManager, describe_error

if TYPE_CHECKING:
    from ui.window_parts import TillWindow

COLUMNS = ("item", "state", "attempts", "next", "error", "created")


def _when(stamp: str | None) -> str:
    """On the store's clock with its zone: ``19:37:10 WIB`` today, else with the date."""
    return when(stamp, seconds=True, always_date=False)


#: Providers as people know them (a job's "what" is ``provider/kind``).
PROVIDER_NAMES = {"midtrans": "Midtrans", "biteship": "Biteship", "jne": "JNE", "jnt": "J&T",
                  "pos": "Pos Indonesia", "posindonesia": "Pos Indonesia",
                  "pos_indonesia": "Pos Indonesia", "sendgrid": "SendGrid (email)",
                  "twilio": "Twilio (SMS/WhatsApp)", "fcm": "FCM (push)"}


def item_text(item: SyncItem) -> str:
    """What an item is, in the shop's words: ``Perubahan produk (#1): Indomie Goreng 85 g``
    for the central channel's event 1 (``product.upserted``), ``Tagihan pembayaran lewat Midtrans`` for a
    provider job (``midtrans/charge``). An event or job type without words yet is still
    named (``Perubahan lain (#7)``, with the type as the tooltip)."""
    if item.channel == "central":
        try:
            name = tr("syncp.event." + item.what, n=item.item_id)
        except KeyError:
            name = tr("syncp.event.other", n=item.item_id)
        return f"{name}: {item.detail}" if item.detail else name
    provider, _, kind = item.what.partition("/")
    name = PROVIDER_NAMES.get(provider, provider)
    try:
        text = tr("syncp.job." + kind, provider=name)
    except KeyError:
        text = tr("syncp.job.other", provider=name, kind=kind or item.what)
    # What the job is about (a receipt, a parcel's waybill, a masked recipient).
    return f"{text}: {item.detail}" if item.detail else text


def _state_text(state: str) -> str:
    key = "syncp.state." + state
    try:
        return tr(key)
    except KeyError:
        return state


class ChannelTab(QWidget):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.items: tuple[SyncItem, ...] = ()
        self.note = QLabel()
        self.note.setObjectName("channelNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #a15c00; font-size: 14px;")
        self.empty = QLabel(tr("syncp.nothing"))
        self.empty.setObjectName("channelEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("font-size: 16px; color: #555555;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("channelTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)  # touch-sized rows
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("error"), QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr("syncp.col." + c) for c in COLUMNS])
        self.empty.setText(tr("syncp.nothing"))

    def show_channel(self, channel: SyncChannel) -> None:
        selected = self.selected()
        self.items = channel.items
        self.note.setText(tr(channel.note_id) if channel.note_id else channel.note or "")
        self.note.setVisible(bool(channel.note))
        self.empty.setVisible(not channel.items)
        self.table.setVisible(bool(channel.items))
        self.table.setRowCount(len(channel.items))
        for row, item in enumerate(channel.items):
            values = (item_text(item), _state_text(item.state),
                      "" if item.attempts is None else str(item.attempts),
                      _when(item.next_attempt_at), item.last_error or "",
                      _when(item.created_at))
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if COLUMNS[col] == "error" and item.last_error:
                    cell.setToolTip(item.last_error)
                elif COLUMNS[col] == "item":
                    cell.setToolTip(item.what)  # the technical name, for support
                if item.state in ("quarantined", "dead"):
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, col, cell)
            if selected is not None and item.item_id == selected.item_id:
                self.table.selectRow(row)

    def selected(self) -> SyncItem | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() \
            else []
        if not rows:
            return None
        index = rows[0].row()
        return self.items[index] if 0 <= index < len(self.items) else None

    def select(self, item_id: str) -> bool:
        for row, item in enumerate(self.items):
            if item.item_id == item_id:
                self.table.selectRow(row)
                return True
        return False


class SyncPanel(QDialog):
    #: The channels were (re)drawn (tests wait on it).
    loaded = Signal()
    #: A retry or discard finished (the backend's words), or was refused (the reason).
    acted = Signal(str)
    refused = Signal(str)

    def __init__(self, tasks: TaskManager, backend: TillBackend,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend = backend
        self._loading = False
        self.pin_dialog: SupervisorPinDialog | None = None
        self.setObjectName("syncPanel")
        self.setWindowTitle(tr("syncp.title"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncTabs")
        self.channel_tabs: dict[str, ChannelTab] = {}
        self.message = QLabel()
        self.message.setObjectName("syncMessage")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, action in (("retry", self.retry), ("discard", self.discard),
                            ("refresh", self.refresh), ("close", self.reject)):
            button = QPushButton()
            button.setObjectName("sync_" + key)
            button.setMinimumHeight(52)
            button.clicked.connect(action)
            self.buttons[key] = button
            row.addWidget(button)
        for keys, action in (("F5", self.retry), ("F8", self.discard), ("F6", self.refresh)):
            QShortcut(QKeySequence(keys), self, action)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resize(1100, 560)
        self.retranslate()
        self.refresh()

    # --- reading --------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        self._tasks.run_in_background(self._backend.sync.channels, self._show,
                                      self._load_failed, lane=Lane.POOL, owner=self)

    def _show(self, channels: tuple[SyncChannel, ...]) -> None:
        self._loading = False
        for channel in channels:
            tab = self.channel_tabs.get(channel.key)
            if tab is None:
                tab = ChannelTab(channel.key)
                self.channel_tabs[channel.key] = tab
                self.tabs.addTab(tab, "")
            tab.show_channel(channel)
            index = self.tabs.indexOf(tab)
            name = tr("syncp.tab." + channel.key)
            count = channel.waiting + channel.failed
            self.tabs.setTabText(index, tr("syncp.tab_count", name=name, count=number(count))
                                 if count else name)
        self.loaded.emit()

    def _load_failed(self, exc: Exception) -> None:
        self._loading = False
        self.message.setText(describe_error(exc))

    def tab(self, key: str) -> ChannelTab:
        return self.channel_tabs[key]

    def current(self) -> SyncItem | None:
        widget = self.tabs.currentWidget()
        return widget.selected() if isinstance(widget, ChannelTab) else None

    def choose(self, channel: str, item_id: str) -> bool:
        """Show ``channel``'s tab and select ``item_id`` in it (keyboard users, tests)."""
        tab = self.channel_tabs.get(channel)
        if tab is None:
            return False
        self.tabs.setCurrentWidget(tab)
        return tab.select(item_id)

    # --- acting ---------------------------------------------------------------------------
    def retry(self) -> None:
        item = self.current()
        if item is None:
            self.message.setText(tr("syncp.pick"))
            return
        if not item.can_retry:
            self.message.setText(tr("syncp.cannot_retry"))
            return
        backend = self._backend
        self._tasks.run_in_background(
            lambda: backend.sync.retry_item(item.channel, item.item_id),
            self._done, lambda exc: self._retry_refused(item, exc), lane=Lane.WRITER,
            owner=self)

    def _retry_refused(self, item: SyncItem, exc: Exception) -> None:
        if isinstance(exc, ShopError) and exc.field == "approver":
            # A dead job's replay is a supervisor's: ask for the PIN, then replay with it.
            backend = self._backend
            self._ask_pin(tr("syncp.retry_what", what=item_text(item)),
                          lambda approval: backend.sync.retry_item(item.channel, item.item_id,
                                                                   approval))
            return
        self._refused(exc)

    def discard(self) -> None:
        item = self.current()
        if item is None:
            self.message.setText(tr("syncp.pick"))
            return
        if not item.can_discard:
            self.message.setText(tr("syncp.cannot_discard"))
            return
        backend = self._backend
        self._ask_pin(tr("syncp.discard_what", what=item_text(item),
                         state=_state_text(item.state)),
                      lambda approval: backend.sync.discard_item(item.channel, item.item_id,
                                                                 approval))

    def _ask_pin(self, what: str, action: Callable[[Approval], str]) -> None:
        dialog = SupervisorPinDialog(self._tasks, self._backend, what, action=action,
                                     parent=self)
        dialog.done_with.connect(lambda result: self._done(str(result)))
        dialog.finished.connect(lambda _r: self._pin_closed(dialog))
        self.pin_dialog = dialog
        dialog.open()

    def _pin_closed(self, dialog: SupervisorPinDialog) -> None:
        if self.pin_dialog is dialog:
            self.pin_dialog = None
        dialog.deleteLater()

    def _done(self, message: str) -> None:
        self.message.setStyleSheet("color: #1b7f3b;")
        self.message.setText(tr("syncp.done", message=message))
        self.acted.emit(message)
        self.refresh()

    def _refused(self, exc: Exception) -> None:
        self.message.setStyleSheet("color: #b00020;")
        text = describe_error(exc)
        self.message.setText(text)
        self.refused.emit(text)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("syncp.title"))
        for key, button in self.buttons.items():
            button.setText(tr("syncp." + key))
        for tab in self.channel_tabs.values():
            tab.retranslate()


# --- the warning at logout and close --------------------------------------------------------

class UnsentWarning(QMessageBox):
    """Says how many items are unsent. Closing asks (``proceed`` runs if the person goes on
    anyway: closing stops the sync); logging out only tells (the sync goes on without
    anyone logged in, so there is nothing to decide)."""

    def __init__(self, summary: UnsentSummary, purpose: str,
                 proceed: Callable[[], None] | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.summary = summary
        self.purpose = purpose
        self.setObjectName("unsentWarning")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(tr("sync.unsent_title"))
        self.setText(tr(f"sync.unsent_{purpose}", count=number(summary.total)))
        self.go_on: QPushButton | None = None
        if proceed is not None:
            self.go_on = self.addButton(tr(f"sync.unsent_yes_{purpose}"),
                                        QMessageBox.ButtonRole.AcceptRole)
            self.stay = self.addButton(tr("sync.unsent_no"),
                                       QMessageBox.ButtonRole.RejectRole)
        else:
            self.stay = self.addButton(tr("sync.unsent_ok"), QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.stay)  # Enter does not throw the warning away
        self.setEscapeButton(self.stay)
        self._proceed = proceed
        self.finished.connect(self._answered)

    def _answered(self, _result: int) -> None:
        if self._proceed is not None and self.go_on is not None \
                and self.clickedButton() is self.go_on:
            self._proceed()
        self.deleteLater()


def confirm_unsent(tasks: TaskManager, backend: TillBackend, parent: QWidget, purpose: str,
                   proceed: Callable[[], None] | None,
                   shown: Callable[[UnsentWarning], None] | None = None) -> None:
    """Count what is unsent (POOL lane). With ``proceed``: nothing unsent, ``proceed()`` at
    once, else warn with the count and proceed only if the person says so. Without: only
    tell, if anything is unsent. ``purpose``: "close" or "logout"."""
    def counted(summary: UnsentSummary) -> None:
        if summary.total <= 0:
            if proceed is not None:
                proceed()
            return
        box = UnsentWarning(summary, purpose, proceed, parent)
        box.open()
        if shown is not None:
            shown(box)

    def failed(_exc: Exception) -> None:
        # If even counting fails (the database is gone), do not trap the person: go on.
        if proceed is not None:
            proceed()

    tasks.run_in_background(backend.sync.unsent_summary, counted, failed, lane=Lane.POOL,
                            owner=parent)


class SyncControls(QObject):
    """The sync area's part of the main window: the status bar opens the panel, a committed
    sale wakes the sync worker, and logout/close warn when items are unsent."""

    #: A warning about unsent items is showing (tests wait on it).
    warned = Signal(object)  # UnsentWarning

    def __init__(self, window: TillWindow) -> None:
        super().__init__(window.window())
        self._window = window
        self.panel: SyncPanel | None = None
        self.warning: UnsentWarning | None = None
        self._asking = False
        window.status.open_panel.connect(self.open_panel)
        window.till.sale_completed.connect(lambda _result: window.status.wake())

    def open_panel(self) -> SyncPanel | None:
        backend = self._window.backend
        if backend is None:
            return None
        if self.panel is None:
            panel = SyncPanel(self._window.tasks, backend, self._window.window())
            panel.acted.connect(lambda _m: self._window.status.refresh())
            panel.finished.connect(lambda _r: self._panel_closed(panel))
            self.panel = panel
        else:
            self.panel.refresh()
        self.panel.show()  # non-modal: the till stays usable beside it
        self.panel.activateWindow()
        return self.panel

    def _panel_closed(self, panel: SyncPanel) -> None:
        if self.panel is panel:
            self.panel = None
        panel.deleteLater()

    def tell(self, purpose: str) -> None:
        """Only tell how many items are unsent, if any (after a logout)."""
        backend = self._window.backend
        if backend is not None:
            confirm_unsent(self._window.tasks, backend, self._window.window(), purpose, None,
                           self._shown)

    def _shown(self, box: UnsentWarning) -> None:
        self.warning = box
        box.finished.connect(lambda _r: self._answered(box))
        self.warned.emit(box)

    def confirm(self, purpose: str, proceed: Callable[[], None]) -> None:
        """``proceed()`` now if nothing is unsent, else after the person says so."""
        backend = self._window.backend
        if backend is None:
            proceed()
            return
        if self._asking:
            return  # a second click while the first question is open
        self._asking = True

        def go() -> None:
            self._asking = False
            proceed()

        confirm_unsent(self._window.tasks, backend, self._window.window(), purpose, go,
                       self._shown)

    def _answered(self, box: UnsentWarning) -> None:
        self._asking = False
        if self.warning is box:
            self.warning = None


def install(window: TillWindow) -> SyncControls:
    """Wire the sync area into the main window (``window.status``, ``window.till``,
    ``window.tasks``, ``window.backend``)."""
    return SyncControls(window)


__all__ = ["SyncControls", "SyncPanel", "UnsentWarning", "confirm_unsent", "install"]

"""The till's scan box: a barcode or SKU and Enter adds one of it; typing searches.

Keyboard-wedge scanners type the code fast and press Enter. Lookups go to the DB-writer
lane, a single FIFO worker, so scans land in the cart in the order they were made (and a
scan made while a sale is being committed lands after it, in the next customer's cart).
Search as you type runs on the pool after a short pause and drops answers to queries that
are no longer the current text; Up/Down pick a result while the focus stays in the box.

Esc and Del in the box are the page's: Esc clears what is typed (and the results), then
the cart; Del on an empty box removes the cart's line.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from services.catalogue import SearchHit
from ui.backend_core import CoreBackend
from ui.i18n import rupiah, tr
from ui.tasks import Lane, TaskManager
from ui.widgets import font as _font

SEARCH_DELAY_MS = 150  # a scanner finishes (Enter) well within this; a person pauses longer
SEARCH_MIN_CHARS = 2


class ScanBox(QObject):
    """The scan field and the search results under it (laid out by the page)."""

    #: A code was looked up and found (value: CartItem).
    found = Signal(object)
    #: A code was not found, or the lookup failed (values: the code, the exception).
    lookup_failed = Signal(str, object)
    #: A search failed (value: the exception).
    search_failed = Signal(object)
    #: A scan was answered, with or without a match; a search was shown (tests wait).
    scan_answered = Signal()
    search_answered = Signal()
    #: Esc in the box: the page clears the typing first, then the cart.
    escape_pressed = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._owner = parent
        self._core: CoreBackend | None = None
        self._search_seq = 0
        self.field = QLineEdit(parent)
        self.field.setObjectName("scan")
        self.field.setFont(_font(20))
        self.field.setMinimumHeight(52)
        self.field.returnPressed.connect(self._entered)
        self.field.textEdited.connect(self._edited)
        self.field.installEventFilter(self)
        self.results = QListWidget(parent)
        self.results.setObjectName("results")
        self.results.setFont(_font(14))
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setMaximumHeight(220)
        self.results.itemClicked.connect(self._hit_clicked)
        self.results.hide()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)

    def attach(self, core: CoreBackend) -> None:
        self._core = core

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.field.setPlaceholderText(tr("till.scan_placeholder"))

    def has_typing(self) -> bool:
        return bool(self.field.text()) or self.results.isVisible()

    def clear(self) -> None:
        self.field.clear()
        self._hide_results()

    # --- keys -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.ShortcutOverride \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Delete \
                and not self.field.text():
            # An empty box has nothing to delete: Del is the till's "remove line" key
            # (left unaccepted, the override lets the shortcut fire).
            return True
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.isVisible():
                # Up/Down move through the search results; the focus stays put.
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
            if key == Qt.Key.Key_Escape:
                self.escape_pressed.emit()
                return True
        return super().eventFilter(watched, event)

    # --- scanning -------------------------------------------------------------------------
    def _entered(self) -> None:
        text = self.field.text().strip()
        self._search_timer.stop()
        chosen = self.results.currentItem() if self.results.isVisible() else None
        # Read before the list is cleared: clearing deletes its items.
        hit = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.clear()
        if isinstance(hit, SearchHit):
            # The cashier picked a search result with the arrow keys, then Enter.
            self.add_code(hit.sku)
        elif text:
            self.add_code(text)
        self.focus()

    def add_code(self, code: str) -> None:
        """Look ``code`` up (barcode or SKU) on the writer lane; :attr:`found` says what."""
        if self._core is None:
            return
        core = self._core
        self._tasks.run_in_background(lambda: core.lookup(code), self._found,
                                      lambda exc: self._not_found(code, exc),
                                      lane=Lane.WRITER, owner=self._owner)

    def _found(self, item: object) -> None:
        self.found.emit(item)
        self.scan_answered.emit()

    def _not_found(self, code: str, exc: Exception) -> None:
        self.lookup_failed.emit(code, exc)
        self.scan_answered.emit()

    # --- searching ------------------------------------------------------------------------
    def _edited(self, text: str) -> None:
        if len(text.strip()) >= SEARCH_MIN_CHARS:
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self._hide_results()

    def start_search(self) -> None:
        """F2: search for what is in the box now (the box is the search field)."""
        self.focus()
        self.field.selectAll()
        if len(self.field.text().strip()) >= SEARCH_MIN_CHARS:
            self._search_now()

    def _search_now(self) -> None:
        query = self.field.text().strip()
        if self._core is None or len(query) < SEARCH_MIN_CHARS:
            return
        self._search_seq += 1
        seq, core = self._search_seq, self._core
        self._tasks.run_in_background(lambda: core.search(query),
                                      lambda hits: self._show_hits(seq, hits),
                                      self.search_failed.emit, lane=Lane.POOL,
                                      owner=self._owner)

    def _show_hits(self, seq: int, hits: list[SearchHit]) -> None:
        if seq != self._search_seq or not self.field.text().strip():
            return  # an answer to a query the cashier has typed past (or scanned away)
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.name}   ·   {hit.sku}   ·   {rupiah(hit.price)}"
                                   f" / {hit.unit}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        if not hits:
            self.results.addItem(QListWidgetItem(tr("till.no_results")))
        self.results.setCurrentRow(-1)  # Enter still means "the code in the box"
        self.results.show()
        self.search_answered.emit()

    def _hit_clicked(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(hit, SearchHit):
            self.clear()
            self.add_code(hit.sku)
        self.focus()

    def _hide_results(self) -> None:
        self._search_seq += 1  # answers still on their way are now stale
        self.results.clear()
        self.results.hide()

"""The sale's customer (F7): find them by phone or name, or add a new one, and attach.

Searching runs on the pool lane (a phone number is found through the blind index, a name
by its words). A new customer is created on this till, offline if need be, on the DB-writer
lane; a refusal names the field it is about ("No. HP: ..."). Choosing a customer fetches
their kasbon balance, which the till then shows beside the totals. ``Shift+F7`` (or the
button) detaches the customer from the sale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from ui.backend import TillBackend
from ui.i18n import rupiah, tr
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font, no_default_buttons as _no_default_buttons

if TYPE_CHECKING:
    # Customers load phonenumbers: when a customer is looked up, not at start-up.
    from services.customer_card import CustomerCard
    from services.customers import CustomerSummary

_FIELDS = {"name": "cust.field.name", "phone": "cust.field.phone"}


def field_message(exc: Exception) -> str:
    """A refusal with the name of the field it is about, in the screen's words."""
    if isinstance(exc, ShopError) and exc.field in _FIELDS:
        return tr("cust.field_error", field=tr(_FIELDS[exc.field]), reason=exc.message)
    return describe_error(exc)


class CustomerDialog(QDialog):
    #: A customer was chosen or created (value: services.customer_card.CustomerCard, with the kasbon balance).
    attached = Signal(object)
    #: The sale's customer should be removed.
    detached = Signal()
    #: A search or a save was answered (tests wait on it).
    answered = Signal()

    def __init__(self, tasks: TaskManager, backend: TillBackend, *,
                 current: CustomerCard | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend = backend
        self._seq = 0
        self._busy = False
        self.setObjectName("customerDialog")
        self.setModal(True)
        self.setWindowTitle(tr("cust.title"))

        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setFont(_font(18))
        self.search.setMinimumHeight(48)
        self.search.setPlaceholderText(tr("cust.search_hint"))
        self.search.returnPressed.connect(self._enter)
        self.results = QListWidget()
        self.results.setObjectName("customerResults")
        self.results.setFont(_font(15))
        self.results.setMinimumHeight(200)
        self.results.itemActivated.connect(lambda _item: self.attach_selected())
        self.results.itemDoubleClicked.connect(lambda _item: self.attach_selected())
        self.search.installEventFilter(self)
        # Typing again means a new search: Enter no longer attaches the earlier result.
        self.search.textEdited.connect(lambda _text: self.results.setCurrentRow(-1))
        self.attach_button = QPushButton(tr("cust.attach"))
        self.attach_button.setObjectName("customerAttach")
        self.attach_button.setMinimumHeight(52)
        self.attach_button.clicked.connect(self.attach_selected)
        self.detach_button = QPushButton(tr("cust.detach"))
        self.detach_button.setObjectName("customerDetach")
        self.detach_button.setMinimumHeight(52)
        self.detach_button.setEnabled(current is not None)
        self.detach_button.clicked.connect(self.detach)

        self.new_name = QLineEdit()
        self.new_name.setObjectName("customerName")
        self.new_name.setFont(_font(16))
        self.new_name.setMinimumHeight(44)
        self.new_phone = QLineEdit()
        self.new_phone.setObjectName("customerPhone")
        self.new_phone.setFont(_font(16))
        self.new_phone.setMinimumHeight(44)
        self.new_phone.returnPressed.connect(self.create_customer)
        self.create_button = QPushButton(tr("cust.create"))
        self.create_button.setObjectName("customerCreate")
        self.create_button.setMinimumHeight(52)
        self.create_button.clicked.connect(self.create_customer)
        QShortcut(QKeySequence("Ctrl+S"), self, self.create_customer)
        QShortcut(QKeySequence("Shift+F7"), self, self.detach)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)
        self.message = QLabel()
        self.message.setObjectName("customerMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")
        close = QPushButton(tr("cust.cancel"))
        close.setMinimumHeight(52)
        close.clicked.connect(self.reject)

        new_box = QGroupBox(tr("cust.new"))
        form = QFormLayout(new_box)
        form.addRow(tr("cust.name"), self.new_name)
        form.addRow(tr("cust.phone"), self.new_phone)
        form.addRow(self.create_button)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("cust.search")))
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        row = QHBoxLayout()
        row.addWidget(self.detach_button)
        row.addWidget(self.attach_button, 1)
        layout.addLayout(row)
        layout.addWidget(new_box)
        layout.addWidget(self.message)
        layout.addWidget(close)
        _no_default_buttons(self)
        self.resize(620, 680)
        self.search.setFocus()

    # --- searching --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the search field move through the results (the focus stays put).
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def _enter(self) -> None:
        # Enter on a chosen result attaches it; otherwise it searches for what is typed.
        if self._current_hit() is not None:
            self.attach_selected()
        else:
            self.search_now()

    def search_now(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self._seq += 1
        seq = self._seq
        backend = self._backend
        self.message.setStyleSheet("color: #12355b; font-size: 15px;")
        self.message.setText(tr("cust.searching"))
        self._tasks.run_in_background(lambda: backend.cart.find_customers(text),
                                      lambda hits: self._show(seq, hits),
                                      lambda exc: self._failed(seq, exc),
                                      lane=Lane.POOL, owner=self)

    def _show(self, seq: int, hits: list[CustomerSummary]) -> None:
        if seq != self._seq:
            return
        self.results.clear()
        self.message.clear()
        for hit in hits:
            text = tr("cust.hit", name=hit.name,
                      phone=tr("cust.hit_phone") if hit.has_phone else "",
                      limit=tr("cust.hit_limit", limit=rupiah(hit.credit_limit))
                      if hit.credit_limit else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        else:
            self.message.setStyleSheet("color: #8a4b00; font-size: 15px;")
            self.message.setText(tr("cust.none"))
            # A phone number that found nobody is probably the new customer's.
            if any(c.isdigit() for c in self.search.text()) and not self.new_phone.text():
                self.new_phone.setText(self.search.text().strip())
        self.answered.emit()

    def _failed(self, seq: int, exc: Exception) -> None:
        if seq != self._seq:
            return
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")
        self.message.setText(field_message(exc))
        self.answered.emit()

    # --- choosing, creating, detaching -------------------------------------------------
    def _current_hit(self) -> CustomerSummary | None:
        """The search result chosen in the list (each row holds its hit), if any."""
        item = self.results.currentItem()
        hit: CustomerSummary | None = (None if item is None
                                       else item.data(Qt.ItemDataRole.UserRole))
        return hit

    def attach_selected(self) -> None:
        hit = self._current_hit()
        if hit is None or self._busy:
            return
        backend = self._backend
        self._busy = True
        self._tasks.run_in_background(lambda: backend.cart.customer_card(hit.id), self._chosen,
                                      self._save_failed, lane=Lane.POOL, owner=self)

    def create_customer(self) -> None:
        if self._busy:
            return
        name, phone = self.new_name.text(), self.new_phone.text()
        backend = self._backend
        self._busy = True
        self.message.setStyleSheet("color: #12355b; font-size: 15px;")
        self.message.setText(tr("cust.saving"))
        self._tasks.run_in_background(lambda: backend.cart.add_customer(name, phone), self._chosen,
                                      self._save_failed, lane=Lane.WRITER, owner=self)

    def _chosen(self, card: CustomerCard) -> None:
        self._busy = False
        self.attached.emit(card)
        self.answered.emit()
        self.accept()

    def _save_failed(self, exc: Exception) -> None:
        self._busy = False
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")
        self.message.setText(field_message(exc))
        if isinstance(exc, ShopError) and exc.field == "phone":
            self.new_phone.setFocus()
        elif isinstance(exc, ShopError) and exc.field == "name":
            self.new_name.setFocus()
        self.answered.emit()

    def detach(self) -> None:
        if self.detach_button.isEnabled():
            self.detached.emit()
            self.accept()




__all__ = ["CustomerDialog", "field_message"]

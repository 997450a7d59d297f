"""A promo code on the sale (Ctrl+P at the till): type the code, the shop checks it.

The code is checked by the service on the pool lane (``backend.cart.promo_discount``: a
read of the code and of the customer's earlier uses), never on the main thread; a refusal
(unknown, expired, used up by this customer, no customer, below the minimum spend) stays in
the dialog for the cashier to read. An accepted code comes back as the order discount it
gives (``services.promo_till.PromoDiscount``), which the till puts on its cart. "Hapus
kode" takes the cart's code off again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.cart import Cart
from services.promo_till import PromoDiscount
from ui.backend import TillBackend
from ui.i18n import tr
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font, no_default_buttons as _no_default_buttons


class PromoDialog(QDialog):
    #: The code was accepted (value: services.promo_till.PromoDiscount).
    chosen = Signal(object)
    #: The cart's code should be taken off.
    removed = Signal()
    #: The shop answered a check (tests wait on it).
    answered = Signal()

    def __init__(self, tasks: TaskManager, backend: TillBackend, cart: Callable[[], Cart], *,
                 current: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend = backend
        self._cart = cart  # the till's cart as it is when the code is checked
        self._busy = False
        self.setObjectName("promoDialog")
        self.setModal(True)
        self.setWindowTitle(tr("promo.title"))
        hint = QLabel(tr("promo.hint"))
        hint.setWordWrap(True)
        hint.setFont(_font(13))
        self.field = QLineEdit()
        self.field.setObjectName("promoCode")
        self.field.setFont(_font(22))
        self.field.setMinimumHeight(56)
        self.field.setMaxLength(24)
        self.field.setPlaceholderText(tr("promo.placeholder"))
        self.field.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[A-Za-z0-9_-]{0,24}"), self.field))
        self.field.textEdited.connect(self._typed)
        self.field.returnPressed.connect(self.check)
        self.message = QLabel()
        self.message.setObjectName("promoMessage")
        self.message.setWordWrap(True)
        self.message.setFont(_font(13))
        self.ok = QPushButton(tr("promo.apply"))
        self.ok.setObjectName("promoApply")
        self.ok.setMinimumHeight(56)
        self.ok.clicked.connect(self.check)
        self.remove_button = QPushButton(tr("promo.remove"))
        self.remove_button.setObjectName("promoRemove")
        self.remove_button.setMinimumHeight(56)
        self.remove_button.setEnabled(current is not None)
        self.remove_button.clicked.connect(self.remove)
        cancel = QPushButton(tr("promo.cancel"))
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.field)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.ok, 1)
        layout.addLayout(buttons)
        _no_default_buttons(self)
        self.resize(520, 260)
        if current:
            self.field.setText(current)
            self.message.setText(tr("promo.current", code=current))
        self.field.selectAll()
        self.field.setFocus()

    def _typed(self, text: str) -> None:
        upper = text.upper()  # codes are capitals; a cashier types them as they come
        if upper != text:
            pos = self.field.cursorPosition()
            self.field.setText(upper)
            self.field.setCursorPosition(pos)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #12355b;")
        self.message.setText(text)

    def check(self) -> None:
        """Ask the shop whether the typed code applies to the cart now."""
        code = self.field.text().strip()
        if self._busy:
            return
        if not code:
            self._say(tr("promo.empty"), error=True)
            return
        backend, cart = self._backend, self._cart()
        self._busy = True
        self.ok.setEnabled(False)
        self._say(tr("promo.checking"), error=False)
        self._tasks.run_in_background(lambda: backend.cart.promo_discount(cart, code),
                                      self._accepted, self._refused, lane=Lane.POOL,
                                      owner=self)

    def _accepted(self, discount: PromoDiscount) -> None:
        self._busy = False
        self.chosen.emit(discount)
        self.answered.emit()
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        self._say(tr("promo.refused", reason=describe_error(exc)), error=True)
        self.field.selectAll()
        self.field.setFocus()
        self.answered.emit()

    def remove(self) -> None:
        if self.remove_button.isEnabled():
            self.removed.emit()
            self.accept()


__all__ = ["PromoDialog"]

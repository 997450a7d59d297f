"""Pay cash: what is due, what the customer hands over, and the change in very large type.

Quick-tender buttons (exact, Rp 20.000, 50.000, 100.000) take the payment in one touch;
typing an amount and Enter does the same. The dialog only decides the tendered amount: the
till commits the sale on the DB-writer lane.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import rupiah, tr

QUICK_TENDERS = (20_000, 50_000, 100_000)


class PayCashDialog(QDialog):
    #: The customer handed over this much cash (rupiah); the till completes the sale.
    tendered = Signal(int)

    def __init__(self, due: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due = due
        self.setObjectName("payCash")
        self.setWindowTitle(tr("pay.title"))
        self.setModal(True)

        due_caption = QLabel(tr("pay.due"))
        self.due_label = QLabel(rupiah(due))
        self.due_label.setFont(_font(30, bold=True))
        given_caption = QLabel(tr("pay.given"))
        self.given = QLineEdit()
        self.given.setObjectName("given")
        self.given.setFont(_font(24))
        self.given.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9.]{0,14}"), self.given))
        self.given.textChanged.connect(self._update)
        self.given.returnPressed.connect(self.confirm)
        change_caption = QLabel(tr("pay.change"))
        change_caption.setFont(_font(16))
        self.change_label = QLabel()
        self.change_label.setObjectName("change")
        self.change_label.setFont(_font(48, bold=True))
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)

        quick = QGridLayout()
        self.quick_buttons: dict[int, QPushButton] = {}
        amounts = [(due, tr("pay.exact") + f"\n{rupiah(due)}")]
        amounts += [(a, rupiah(a)) for a in QUICK_TENDERS]
        for i, (amount, text) in enumerate(amounts):
            button = QPushButton(text)
            button.setMinimumSize(150, 72)
            button.setFont(_font(16, bold=True))
            # Less than what is due cannot pay the sale: shown, but not pressable.
            button.setEnabled(amount >= due)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=amount: self._take(a))
            key = "exact" if i == 0 else str(amount)
            button.setObjectName(f"quick_{key}")
            self.quick_buttons[amount if i else 0] = button
            quick.addWidget(button, 0, i)

        self.ok = QPushButton(tr("pay.confirm"))
        self.ok.setObjectName("payOk")
        self.ok.setMinimumHeight(56)
        self.ok.clicked.connect(self.confirm)
        cancel = QPushButton(tr("pay.cancel"))
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(due_caption)
        layout.addWidget(self.due_label)
        layout.addLayout(quick)
        layout.addWidget(given_caption)
        layout.addWidget(self.given)
        layout.addWidget(change_caption)
        layout.addWidget(self.change_label)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok, 1)
        layout.addLayout(buttons)
        self.resize(680, 460)
        self._update()
        self.given.setFocus()

    @property
    def exact_button(self) -> QPushButton:
        return self.quick_buttons[0]

    def amount(self) -> int | None:
        digits = self.given.text().replace(".", "")
        return int(digits) if digits else None

    def confirm(self) -> None:
        amount = self.amount()
        if amount is None:
            amount = self.due  # Enter on an empty field: the customer paid exactly
        if amount < self.due:
            return
        self._take(amount)

    def _take(self, amount: int) -> None:
        self.tendered.emit(amount)
        self.accept()

    def _update(self) -> None:
        amount = self.amount()
        if amount is None:
            self.change_label.setText(rupiah(0))
            self.change_label.setStyleSheet("color: #1b5e20;")
            self.ok.setEnabled(True)
        elif amount < self.due:
            self.change_label.setText(tr("pay.short", amount=rupiah(self.due - amount)))
            self.change_label.setStyleSheet("color: #b00020;")
            self.ok.setEnabled(False)
        else:
            self.change_label.setText(rupiah(amount - self.due))
            self.change_label.setStyleSheet("color: #1b5e20;")
            self.ok.setEnabled(True)


def _font(points: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font

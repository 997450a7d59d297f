"""Hold a cart (F8) under a name, resume one (Shift+F8), and say what changed meanwhile.

* :class:`HoldDialog` asks for the held cart's name (prefilled: the customer's name, or
  the time); Enter holds.
* :class:`ResumeDialog` lists the held carts, oldest first; Up/Down and Enter resume one.
* :class:`ResumeReport` lists, after a resume, every line whose price changed (the customer
  pays today's price) and every line left out because its product is no longer sold. It
  is shown only when there is something to say, and must be acknowledged.
"""

from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.held_carts import HeldCartRow
from ui.backend_cart import ResumedCartInfo
from ui.i18n import rupiah, tr, when
from ui.weight_dialog import format_quantity
from ui.widgets import font as _font, no_default_buttons as _no_default_buttons


class HoldDialog(QDialog):
    #: The name to hold the cart under.
    chosen = Signal(str)

    def __init__(self, default_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holdDialog")
        self.setModal(True)
        self.setWindowTitle(tr("held.hold_title"))
        self.label = QLineEdit(default_label)
        self.label.setObjectName("holdLabel")
        self.label.setMaxLength(60)
        self.label.setFont(_font(18))
        self.label.setMinimumHeight(52)
        self.label.selectAll()
        self.label.returnPressed.connect(self.confirm)
        ok = QPushButton(tr("held.hold_ok"))
        ok.setObjectName("holdOk")
        ok.setMinimumHeight(56)
        ok.clicked.connect(self.confirm)
        cancel = QPushButton(tr("held.cancel"))
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("held.label")))
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addWidget(cancel)
        row.addWidget(ok, 1)
        layout.addLayout(row)
        _no_default_buttons(self)
        self.resize(460, 200)
        self.label.setFocus()

    def confirm(self) -> None:
        text = self.label.text().strip()
        if text and self.isVisible():
            self.chosen.emit(text)
            self.accept()


class ResumeDialog(QDialog):
    #: The held cart to resume (value: its id).
    chosen = Signal(str)

    def __init__(self, held: list[HeldCartRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resumeDialog")
        self.setModal(True)
        self.setWindowTitle(tr("held.resume_title"))
        self.list = QListWidget()
        self.list.setObjectName("heldList")
        self.list.setFont(_font(16))
        self.list.setStyleSheet("QListWidget::item { min-height: 48px; }")
        for h in held:
            when = _local_time(h.created_at)
            item = QListWidgetItem(tr("held.row", label=h.label, lines=h.line_count,
                                      who=h.held_by, time=when))
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.list.addItem(item)
        if held:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.confirm())
        self.list.itemDoubleClicked.connect(lambda _item: self.confirm())
        ok = QPushButton(tr("held.resume_ok"))
        ok.setObjectName("resumeOk")
        ok.setMinimumHeight(56)
        ok.clicked.connect(self.confirm)
        cancel = QPushButton(tr("held.cancel"))
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, self.confirm)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self, self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(cancel)
        row.addWidget(ok, 1)
        layout.addLayout(row)
        _no_default_buttons(self)
        self.resize(560, 420)
        self.list.setFocus()

    def confirm(self) -> None:
        item = self.list.currentItem()
        if item is not None and self.isVisible():  # once: Enter may arrive twice
            self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()


class ResumeReport(QDialog):
    def __init__(self, info: ResumedCartInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resumeReport")
        self.setModal(True)
        self.setWindowTitle(tr("held.report_title", label=info.label))
        self.lines: list[str] = []
        for c in info.price_changes:
            self.lines.append(tr("held.price_changed", name=c.name, old=rupiah(c.held_price),
                                 new=rupiah(c.current_price)))
        for u in info.unavailable:
            self.lines.append(tr("held.unavailable", name=u.name,
                                 qty=format_quantity(u.qty_milli)))
        text = QLabel("\n".join(self.lines))
        text.setObjectName("resumeReportText")
        text.setWordWrap(True)
        text.setFont(_font(15, bold=True))
        text.setStyleSheet("color: #8a4b00;")
        ok = QPushButton(tr("held.report_ok"))
        ok.setObjectName("resumeReportOk")
        ok.setMinimumHeight(56)
        ok.clicked.connect(self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(text, 1)
        layout.addWidget(ok)
        _no_default_buttons(self)
        self.resize(560, 300)


def _local_time(stamp: str) -> str:
    """An ISO timestamp (UTC) on the store's clock: "14:05 WIB" today, else with the date."""
    return when(stamp, always_date=False)




__all__ = ["HoldDialog", "ResumeDialog", "ResumeReport"]

"""What the back office screens share: the context they are made with, fonts, large
buttons, read-only tables, the field-error labels beside a form's fields, and how a cell of
each kind (money, quantity, percent...) is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from services.errors import ShopError
from services.formatting import date_text
from services.reports.values import Words
from services.users import Actor
from ui.backend import TillBackend
from ui.i18n import language, method_name, number, percent, quantity, rupiah, tr
from ui.tasks import TaskManager, describe_error


ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


@dataclass(frozen=True)
class OfficeContext:
    """What a back office screen is made with: the task lanes, the shop, who is acting."""

    tasks: TaskManager
    backend: TillBackend
    actor: Actor


def font(points: int, *, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSize(points)
    f.setBold(bold)
    return f


def big_button(text: str = "", *, name: str | None = None, height: int = 48) -> QPushButton:
    """A large, touch-friendly button that the keyboard reaches (Tab, Space)."""
    b = QPushButton(text)
    if name:
        b.setObjectName(name)
    b.setMinimumHeight(height)
    b.setFont(font(12, bold=True))
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return b


def amp(text: str) -> str:
    """Text for a button or group title: "&" shown as itself, not as a mnemonic mark."""
    return text.replace("&", "&&")


def button_text(text: str) -> str:
    """A button's text with its shortcut, "(Ctrl+N)", on a second line (narrow buttons)."""
    text = amp(text)
    head, sep, tail = text.rpartition(" (")
    return f"{head}\n({tail}" if sep and tail.endswith(")") else text


def read_only_table(columns: int, *, name: str) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.setObjectName(name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(34)
    t.setFont(font(11))
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def cell(text: str, *, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def qty_text(milli: int, unit: str | None = None) -> str:
    """``0,75``, ``12,5``, ``1.250`` (services.formatting, in the screen's language)."""
    return quantity(milli, unit)


def value_text(kind: str, value: object) -> str:
    """A report cell as shown (services.formatting): money as ``Rp 15.000``, quantities
    from milli-units (``0,75``), percentages from basis points (``12,98 %``), payment methods
    in words, flags as yes/no, dates as DD-MM-YYYY, :class:`Words` labels in the screen's
    language."""
    if value is None:
        return ""
    if isinstance(value, Words):  # a label that knows its English: the screen's language
        return value.text(language())
    if kind == "money" and isinstance(value, int):
        return rupiah(value)
    if kind == "qty" and isinstance(value, int):
        return qty_text(value)
    if kind == "percent" and isinstance(value, int):
        return percent(value)
    if kind == "method" and isinstance(value, str):
        return method_name(value)
    if kind == "flag":
        return tr("office.yes") if value else tr("office.no")
    if kind == "date" and isinstance(value, date):
        return date_text(value, language())
    if kind == "int" and isinstance(value, int):
        return number(value)
    return str(value)


class FieldErrors:
    """Error labels under a form's fields. ``show(exc)`` puts a refusal's message under
    the field it names (``lines[2].qty`` goes under ``lines``), else in the general label."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self.labels: dict[str, QLabel] = {}
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)

    def label_for(self, field: str, parent: QWidget | None = None) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(f"error_{field}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self.labels[field] = label
        return label

    def clear(self) -> None:
        self.general.clear()
        for label in self.labels.values():
            label.clear()
            label.hide()

    def show(self, exc: Exception) -> None:
        self.clear()
        text = describe_error(exc)
        field = exc.field if isinstance(exc, ShopError) else None
        base = (field or "").split("[")[0].split(".")[0]
        for key in (field, base):
            if key and key in self.labels:
                if key != field:  # e.g. "lines[2].qty": say which line and column
                    text = f"{field}: {text}"
                self.labels[key].setText(text)
                self.labels[key].show()
                return
        self.general.setText(text)

    def error_of(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None else ""

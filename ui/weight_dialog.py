"""How much: the weight of a weighed item (kg, liter...) or the quantity of any line.

Typed on the keyboard: ``0,75`` or ``0.75`` and Enter (the comma is the Indonesian decimal
mark, the point is what a number pad types). A connected scale is not read: the cashier
types what the scale shows. Whole units (pcs, pack...) take whole numbers only. The price
of the line is shown as it is typed, with the same rounding the sale uses
(``services.money.line_amount``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

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

from services.formatting import milli_decimal
from services.money import MAX_QTY_MILLI, MILLI, line_amount
from ui.i18n import language, quantity, rupiah, tr
from ui.widgets import font as _font, no_default_buttons as _no_default_buttons


class QuantityError(ValueError):
    pass


def parse_quantity(text: str, *, weighed: bool, unit: str) -> int:
    """``"0,75"`` -> 750 (milli-units). Raises QuantityError with the reason, in words."""
    raw = (text or "").strip().replace(" ", "")
    if weighed:
        raw = raw.replace(",", ".")
    try:
        qty = Decimal(raw)
    except InvalidOperation:
        raise QuantityError(tr("qty.not_number")) from None
    if not qty.is_finite():
        raise QuantityError(tr("qty.not_number"))
    if qty <= 0:
        raise QuantityError(tr("qty.positive"))
    if not weighed and qty != qty.to_integral_value():
        raise QuantityError(tr("qty.whole", unit=unit))
    milli = qty * MILLI
    if milli != milli.to_integral_value():
        raise QuantityError(tr("qty.decimals"))
    if milli > MAX_QTY_MILLI:
        raise QuantityError(tr("qty.too_big"))
    return int(milli)


def format_quantity(milli: int, *, for_typing: bool = False) -> str:
    """750 -> "0,75" in Indonesian, "0.75" in English (services.formatting; 1250000 ->
    "1.250"). ``for_typing``: as the quantity field takes it, without grouping."""
    if for_typing:
        text = str(milli_decimal(milli))
        return text.replace(".", ",") if language() == "id" else text
    return quantity(milli)


class QuantityDialog(QDialog):
    #: The quantity chosen, in milli-units.
    chosen = Signal(int)

    def __init__(self, name: str, unit: str, unit_price: int, *, weighed: bool,
                 current_milli: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit, self.unit_price, self.weighed = unit, unit_price, weighed
        self.setObjectName("quantityDialog")
        self.setModal(True)
        self.setWindowTitle(tr("qty.weight_title" if weighed else "qty.title"))
        prompt = QLabel(tr("qty.prompt_weighed" if weighed else "qty.prompt_pieces",
                           name=name, unit=unit))
        prompt.setWordWrap(True)
        prompt.setFont(_font(15, bold=True))
        self.field = QLineEdit()
        self.field.setObjectName("quantity")
        self.field.setFont(_font(26))
        self.field.setMinimumHeight(56)
        pattern = r"[0-9]{0,5}([.,][0-9]{0,3})?" if weighed else r"[0-9]{0,5}"
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression(pattern),
                                                            self.field))
        if current_milli is not None:
            self.field.setText(format_quantity(current_milli, for_typing=True))
            self.field.selectAll()
        self.field.textChanged.connect(self._update)
        self.field.returnPressed.connect(self.confirm)
        self.preview = QLabel()
        self.preview.setObjectName("quantityPreview")
        self.preview.setFont(_font(18, bold=True))
        self.message = QLabel()
        self.message.setObjectName("quantityMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")
        self.ok = QPushButton(tr("qty.ok"))
        self.ok.setObjectName("quantityOk")
        self.ok.setMinimumHeight(56)
        self.ok.clicked.connect(self.confirm)
        cancel = QPushButton(tr("qty.cancel"))
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.field)
        layout.addWidget(self.preview)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok, 1)
        layout.addLayout(buttons)
        _no_default_buttons(self)
        self.resize(480, 280)
        self._update()
        self.field.setFocus()

    def quantity(self) -> int:
        return parse_quantity(self.field.text(), weighed=self.weighed, unit=self.unit)

    def confirm(self) -> None:
        try:
            milli = self.quantity()
        except QuantityError as exc:
            self.message.setText(tr("qty.bad", reason=str(exc)))
            return
        self.chosen.emit(milli)
        self.accept()

    def _update(self) -> None:
        self.message.clear()
        try:
            milli = self.quantity()
        except QuantityError:
            self.preview.setText("")
            return
        self.preview.setText(tr("qty.preview", qty=format_quantity(milli), unit=self.unit,
                                price=rupiah(self.unit_price),
                                amount=rupiah(line_amount(self.unit_price, milli))))




__all__ = ["QuantityDialog", "QuantityError", "format_quantity", "parse_quantity"]

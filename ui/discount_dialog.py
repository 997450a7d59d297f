"""A discount on one line (F3) or on the whole order (Shift+F3): a percentage or an amount.

The dialog shows, as it is typed, what the discount comes to and whether it is within the
limit of the person at the till (``CartBackend.check_discount``, pure value code over the
shop's settings). It only decides the discount: the till applies it, after a supervisor's
PIN when it is above the limit. 0 removes the discount.
"""

from __future__ import annotations

from collections.abc import Callable
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

from services.cart import Discount
from services.discounts import DiscountCheck
from services.errors import ShopError
from ui.i18n import rupiah, tr
from ui.widgets import font as _font, no_default_buttons as _no_default_buttons

PERCENT, AMOUNT = "percent", "amount"


def parse_discount(text: str, mode: str) -> Discount:
    raw = (text or "").strip()
    if not raw:
        return Discount()
    if mode == PERCENT:
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise ValueError(raw) from None
        return Discount() if value == 0 else Discount(percent=value)
    amount = int(raw.replace(".", ""))
    return Discount() if amount == 0 else Discount(amount=amount)


def _pct(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')).normalize():f}"
    return text


class DiscountDialog(QDialog):
    #: The discount chosen and how it compares with the limit.
    chosen = Signal(object, object)  # Discount, DiscountCheck

    def __init__(self, target: str, base: int,
                 check: Callable[[Discount], DiscountCheck], *,
                 current: Discount | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._rule: DiscountCheck | None = None
        self.setObjectName("discountDialog")
        self.setModal(True)
        self.setWindowTitle(tr("disc.title"))
        title = QLabel(target)
        title.setWordWrap(True)
        title.setFont(_font(15, bold=True))
        self.base = base
        self.percent_button = QPushButton(tr("disc.percent"))
        self.amount_button = QPushButton(tr("disc.amount"))
        for button, mode in ((self.percent_button, PERCENT), (self.amount_button, AMOUNT)):
            button.setCheckable(True)
            button.setMinimumHeight(52)
            button.setFont(_font(14, bold=True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, lambda: self.set_mode(PERCENT))
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, lambda: self.set_mode(AMOUNT))
        self.field = QLineEdit()
        self.field.setObjectName("discountValue")
        self.field.setFont(_font(24))
        self.field.setMinimumHeight(56)
        self.field.setPlaceholderText(tr("disc.zero"))
        self.field.textChanged.connect(self._update)
        self.field.returnPressed.connect(self.confirm)
        self.preview = QLabel()
        self.preview.setObjectName("discountPreview")
        self.preview.setFont(_font(18, bold=True))
        self.limit = QLabel()
        self.limit.setObjectName("discountLimit")
        self.limit.setWordWrap(True)
        self.limit.setFont(_font(13))
        self.ok = QPushButton(tr("disc.ok"))
        self.ok.setObjectName("discountOk")
        self.ok.setMinimumHeight(56)
        self.ok.clicked.connect(self.confirm)
        cancel = QPushButton(tr("disc.cancel"))
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        modes = QHBoxLayout()
        modes.addWidget(self.percent_button)
        modes.addWidget(self.amount_button)
        layout.addLayout(modes)
        layout.addWidget(QLabel(tr("disc.value")))
        layout.addWidget(self.field)
        layout.addWidget(self.preview)
        layout.addWidget(self.limit)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok, 1)
        layout.addLayout(buttons)
        _no_default_buttons(self)
        self.resize(500, 360)
        self._mode = PERCENT
        if current is not None and current.amount:
            self.set_mode(AMOUNT)
            self.field.setText(str(current.amount))
        else:
            self.set_mode(PERCENT)
            if current is not None and current.percent:
                self.field.setText(f"{current.percent:f}".replace(".", ","))
        self.field.selectAll()
        self.field.setFocus()

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        self._mode = mode
        self.percent_button.setChecked(mode == PERCENT)
        self.amount_button.setChecked(mode == AMOUNT)
        pattern = r"[0-9]{0,3}([.,][0-9]{0,2})?" if mode == PERCENT else r"[0-9.]{0,14}"
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression(pattern),
                                                            self.field))
        self.field.clear()
        self.field.setFocus()
        self._update()

    def discount(self) -> Discount:
        return parse_discount(self.field.text(), self._mode)

    def _evaluate(self) -> tuple[Discount, DiscountCheck] | str:
        try:
            discount = self.discount()
        except ValueError:
            return tr("disc.bad", reason=self.field.text())
        try:
            return discount, self._check(discount)
        except ShopError as exc:
            return tr("disc.bad", reason=exc.message)

    def _update(self) -> None:
        result = self._evaluate()
        self._rule = None
        if isinstance(result, str):
            self.preview.setText("")
            self.limit.setStyleSheet("color: #b00020;")
            self.limit.setText(result)
            self.ok.setEnabled(False)
            return
        discount, rule = result
        self._rule = rule
        self.ok.setEnabled(True)
        self.preview.setText(tr("disc.preview", percent=_pct(rule.percent),
                                amount=rupiah(rule.amount)))
        if rule.needed is None:
            self.limit.setStyleSheet("color: #1b5e20;")
            self.limit.setText(tr("disc.within", limit=_pct(rule.limit)))
        else:
            self.limit.setStyleSheet("color: #8a4b00;")
            self.limit.setText(tr("disc.needs", limit=_pct(rule.limit),
                                  role=tr("role." + rule.needed)))

    def confirm(self) -> None:
        result = self._evaluate()
        if isinstance(result, str):
            self.limit.setText(result)
            return
        self.chosen.emit(*result)
        self.accept()




__all__ = ["AMOUNT", "PERCENT", "DiscountDialog", "parse_discount"]

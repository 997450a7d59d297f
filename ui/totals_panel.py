"""The till's totals in large type: who is at the till, subtotal, discount, tax, cash
rounding, the amount to pay, and the last sale's change and receipt number."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from services.cart import PricedCart
from services.selling import SaleResult
from services.users import Actor
from ui.i18n import rupiah, tr
from ui.widgets import font as _font

_ROWS = ("subtotal", "discount", "tax", "rounding")


class TotalsPanel(QObject):
    """The labels, laid out by :meth:`place` in the page's right column (as its first
    rows, so the column's spacing is the page's own)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.cashier = QLabel()
        self.cashier.setFont(_font(12))
        self._captions: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        self._grid = totals = QGridLayout()
        for row, key in enumerate(_ROWS):
            caption, value = QLabel(), QLabel()
            caption.setFont(_font(15))
            value.setFont(_font(17, bold=True))
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setObjectName(f"total_{key}")
            totals.addWidget(caption, row, 0)
            totals.addWidget(value, row, 1)
            self._captions[key], self._values[key] = caption, value
        self.total_caption = QLabel()
        self.total_caption.setFont(_font(18, bold=True))
        self.total = QLabel()
        self.total.setObjectName("total")
        self.total.setFont(_font(40, bold=True))
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._total_box = total_box = QFrame()
        total_box.setObjectName("totalBox")
        total_box.setStyleSheet("#totalBox { background: #12355b; border-radius: 8px; }"
                                "#totalBox QLabel { color: white; }")
        tb = QVBoxLayout(total_box)
        tb.addWidget(self.total_caption)
        tb.addWidget(self.total)
        # The last sale: its change in large type, its receipt number small below. The
        # two lines' room is kept from the start, so a sale moves no button (and the pay
        # button stays on a 1366x768 screen).
        self.last_sale = QLabel()
        self.last_sale.setObjectName("lastSale")
        self.last_sale.setFont(_font(18, bold=True))
        self.last_sale.setStyleSheet("color: #1b5e20;")
        self.last_receipt = QLabel()
        self.last_receipt.setObjectName("lastReceipt")
        self.last_receipt.setFont(_font(11))
        self.last_receipt.setStyleSheet("color: #1b5e20;")
        self._last_box = last_box = QWidget()
        lb = QVBoxLayout(last_box)
        lb.setContentsMargins(0, 0, 0, 0)
        lb.setSpacing(0)
        lb.addWidget(self.last_sale)
        lb.addWidget(self.last_receipt)
        last_box.setFixedHeight(last_box.sizeHint().height())

    def place(self, column: QVBoxLayout) -> None:
        column.addWidget(self.cashier)
        column.addLayout(self._grid)
        column.addWidget(self._total_box)
        column.addWidget(self._last_box)

    def retranslate(self, actor: Actor | None) -> None:
        for key in _ROWS:
            self._captions[key].setText(tr("till." + key))
        self.total_caption.setText(tr("till.total"))
        if actor is not None:
            self.cashier.setText(tr("till.cashier", name=actor.name,
                                    role=tr("role." + actor.role)))

    def draw(self, priced: PricedCart | None, due: int) -> None:
        """``due``: what the customer pays in cash (``priced.total`` rounded)."""
        if priced is None:
            for value in self._values.values():
                value.setText(rupiah(0))
            self.total.setText(rupiah(0))
            return
        self._values["subtotal"].setText(rupiah(priced.subtotal))
        self._values["discount"].setText(rupiah(-priced.discount_total)
                                         if priced.discount_total else rupiah(0))
        self._values["tax"].setText(rupiah(priced.tax_total))
        # PPN included in the prices (the usual case in a warung) is said so, so nobody
        # adds it to the subtotal in their head.
        included = priced.total == priced.subtotal - priced.discount_total
        self._captions["tax"].setText(tr("till.tax_included") if included and priced.tax_total
                                      else tr("till.tax"))
        self._values["rounding"].setText(rupiah(due - priced.total))
        self.total.setText(rupiah(due))

    def show_sale(self, result: SaleResult) -> None:
        self.last_sale.setText(f"{tr('pay.change')}: {rupiah(result.change)}")
        self.last_receipt.setText(result.receipt_no)

    def clear_sale(self) -> None:
        self.last_sale.clear()
        self.last_receipt.clear()

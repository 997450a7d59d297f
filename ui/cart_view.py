"""What is in the till's cart, as the cashier and the customer read it: the lines (name,
quantity, price, amount) and the sale's customer with their kasbon. Drawing only; the cart
itself is ``ui/till_cart.py``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from services.cart import PricedCart
from services.customer_card import CustomerCard
from ui.i18n import number, rupiah, tr
from ui.weight_dialog import format_quantity
from ui.widgets import font as _font


class CartTable(QTableWidget):
    """The cart's lines; the selected row is the line F3, F4, +/- and Del act on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("cart")
        self.setFont(_font(14))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(40)
        self.setAlternatingRowColors(True)
        # Amounts need air between columns to be read at a glance.
        self.setStyleSheet("QTableWidget::item { padding: 0 10px; }")
        self.horizontalHeader().setFont(_font(13, bold=True))  # the sheet resets it
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([tr("till.col.item"), tr("till.col.qty"),
                                        tr("till.col.price"), tr("till.col.total")])

    def selected_line_no(self) -> int | None:
        """The selected line's number, or None when no row is selected."""
        rows = self.selectionModel().selectedRows()
        if rows:
            item = self.item(rows[0].row(), 0)
            if item is not None:
                return int(item.data(Qt.ItemDataRole.UserRole))
        return None

    def draw(self, priced: PricedCart | None, *, select_line: int | None = None,
             select_product: str | None = None) -> None:
        lines = priced.lines if priced is not None else ()
        self.setRowCount(len(lines))
        select_row = None
        for row, p in enumerate(lines):
            line = p.line
            label = line.item.name
            if p.line_discount:
                label += "   (" + tr("cart.disc_suffix", amount=rupiah(-p.line_discount)) + ")"
            name = QTableWidgetItem(label)
            name.setData(Qt.ItemDataRole.UserRole, line.line_no)
            unit = "" if line.item.unit == "pcs" else line.item.unit
            qty = QTableWidgetItem(f"{format_quantity(line.qty_milli)} {unit}".strip())
            price = QTableWidgetItem(rupiah(line.unit_price))
            gross = QTableWidgetItem(rupiah(p.gross))
            for cell in (qty, price, gross):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            for col, cell in enumerate((name, qty, price, gross)):
                self.setItem(row, col, cell)
            if line.line_no == select_line or line.item.product_id == select_product:
                select_row = row
        if select_row is not None:
            self.selectRow(select_row)
            self.scrollTo(self.model().index(select_row, 0))
        elif not lines:
            self.clearSelection()


class CustomerBadge(QLabel):
    """The sale's customer and their kasbon, above the cart; hidden without one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer")
        self.setFont(_font(13, bold=True))
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { color: #12355b; background: #e3ecf7; "
                           "border-radius: 4px; padding: 4px 8px; }")
        self.hide()

    def draw(self, card: CustomerCard | None) -> None:
        if card is None:
            self.clear()
            self.hide()
            return
        kasbon = (tr("cart.customer_kasbon", balance=rupiah(card.kasbon_balance),
                     available=rupiah(card.kasbon_available)) if card.credit_limit
                  else tr("cart.customer_no_kasbon", balance=rupiah(card.kasbon_balance)))
        points = ("" if card.points is None else "   ·   " + tr(
            "loyalty.badge", tier=card.tier or "", points=number(card.points),
            value=rupiah(card.points_value)))
        self.setText(tr("cart.customer_line", name=card.name) + "   ·   " + kasbon + points)
        self.show()

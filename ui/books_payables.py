"""Payables (back office, "Utang"): what the shop owes suppliers and payees — expenses
owed and goods received on credit — with the due date and the days overdue, and paying
one in part or whole from the drawer or the bank.

The list loads on the pool lane, a payment on the DB-writer lane; services.payables
decides who may (a supervisor or the owner) and refuses more than is open, naming the
field, which is shown under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from ui.books_common import BooksScreen, amount_of, money_field
from ui.i18n import number, rupiah, tr
from ui.office.common import (
    ERROR_STYLE,
    OK_STYLE,
    FieldErrors,
    OfficeContext,
    cell,
    font,
    read_only_table,
)

if TYPE_CHECKING:
    from services.payables import PayableView

COLUMNS = ("supplier", "source", "due", "overdue", "amount", "paid", "open", "note")
PAY_FROM = ("drawer", "bank")
OVERDUE_COLOUR = "#b00020"


def due_text(day: str | None) -> str:
    from datetime import date

    from ui.office.common import value_text
    if not day:
        return "–"
    try:
        return value_text("date", date.fromisoformat(day))
    except ValueError:
        return day


class PayablesScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "payablesScreen")
        self.rows: tuple[PayableView, ...] = ()
        self.chosen: PayableView | None = None
        self.open_only = QCheckBox()
        self.open_only.setObjectName("payOpenOnly")
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.table = read_only_table(len(COLUMNS), name="payablesTable")
        self.table.setFont(font(10))
        self.table.itemSelectionChanged.connect(self._selected)
        self.totals = QLabel()
        self.totals.setObjectName("payTotals")
        self.totals.setFont(font(12, bold=True))

        self.pay_box = QGroupBox()
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("payChosen")
        self.chosen_label.setWordWrap(True)
        self.chosen_label.setFont(font(12, bold=True))
        self.amount = money_field("payAmount")
        self.amount.returnPressed.connect(self.pay)
        self.paid_from = QComboBox()
        self.paid_from.setObjectName("payFrom")
        self.paid_from.setMinimumHeight(36)
        self.pay_button = QPushButton()
        self.pay_button.setObjectName("payPay")
        self.pay_button.setMinimumHeight(44)
        self.pay_button.setFont(font(12, bold=True))
        self.pay_button.clicked.connect(self.pay)
        self.whole_button = QPushButton()
        self.whole_button.setObjectName("payWhole")
        self.whole_button.setMinimumHeight(44)
        self.whole_button.clicked.connect(self._whole)
        self.pay_message = QLabel()
        self.errors = FieldErrors(self.pay_message)
        form = QFormLayout()
        self._captions = (QLabel(), QLabel())
        form.addRow(self._captions[0], self.amount)
        form.addRow("", self.errors.label_for("amount"))
        form.addRow(self._captions[1], self.paid_from)
        form.addRow("", self.errors.label_for("paid_from"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.whole_button)
        buttons.addWidget(self.pay_button, 1)
        pv = QVBoxLayout(self.pay_box)
        pv.addWidget(self.chosen_label)
        pv.addLayout(form)
        pv.addLayout(buttons)
        pv.addWidget(self.pay_message)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.open_only)
        foot = QHBoxLayout()
        foot.addWidget(self.message, 1)
        foot.addWidget(self.totals)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.table, 3)
        layout.addLayout(foot)
        layout.addWidget(self.pay_box, 1)
        self.retranslate()
        self._choose(None)

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        books, open_only = self.books, self.open_only.isChecked()
        self.read(lambda: books.payables(open_only=open_only), self._show)

    def _show(self, rows: tuple[PayableView, ...]) -> None:
        keep = self.chosen.id if self.chosen is not None else None
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            overdue = cell(tr("books.pay.days", n=number(p.overdue_days))
                           if p.overdue_days else "–", right=True)
            if p.overdue_days:
                overdue.setForeground(QColor(OVERDUE_COLOUR))
            for c, item in enumerate((
                    cell(p.supplier), cell(tr("books.pay.source." + p.source)),
                    cell(due_text(p.due_date)), overdue,
                    cell(rupiah(p.amount), right=True), cell(rupiah(p.paid), right=True),
                    cell(rupiah(p.open_amount), right=True), cell(p.note or ""))):
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        open_total = sum(p.open_amount for p in rows)
        overdue_total = sum(p.open_amount for p in rows if p.overdue_days)
        self.totals.setText(tr("books.pay.totals", open=rupiah(open_total),
                               overdue=rupiah(overdue_total)))
        self.message.clear()
        ids = [p.id for p in rows]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
            self._choose(rows[ids.index(keep)])
        else:
            self._choose(None)

    def select(self, payable_id: str) -> bool:
        ids = [p.id for p in self.rows]
        if payable_id not in ids:
            return False
        self.table.selectRow(ids.index(payable_id))
        return True

    def _selected(self) -> None:
        chosen = self.table.selectionModel().selectedRows()
        if chosen and chosen[0].row() < len(self.rows):
            self._choose(self.rows[chosen[0].row()])

    def _choose(self, payable: PayableView | None) -> None:
        self.chosen = payable
        can = payable is not None and payable.open_amount > 0
        for w in (self.amount, self.paid_from, self.pay_button, self.whole_button):
            w.setEnabled(can)
        if payable is None:
            self.chosen_label.setText(tr("books.pay.pick_one"))
            return
        self.chosen_label.setText(tr("books.pay.chosen", supplier=payable.supplier,
                                     open=rupiah(payable.open_amount)))

    def _whole(self) -> None:
        if self.chosen is not None:
            self.amount.setText(str(self.chosen.open_amount))

    def pay(self) -> None:
        if self.chosen is None:
            return
        payable_id, supplier = self.chosen.id, self.chosen.supplier
        amount = amount_of(self.amount)
        paid_from = self.paid_from.currentData() or "bank"
        books = self.books
        self.errors.clear()
        self.pay_button.setEnabled(False)

        def paid(after: PayableView) -> None:
            self.amount.clear()
            self.errors.general.setStyleSheet(OK_STYLE)
            self.errors.general.setText(tr("books.pay.paid", amount=rupiah(amount),
                                           supplier=supplier,
                                           open=rupiah(after.open_amount)))
            self.reload()

        def refused(exc: Exception) -> None:
            self.pay_button.setEnabled(True)
            self.errors.general.setStyleSheet(ERROR_STYLE)
            self.errors.show(exc)

        self.write(lambda: books.pay_payable(payable_id, amount, paid_from), paid, refused)

    def retranslate(self) -> None:
        self.title.setText(tr("books.pay.title"))
        self.open_only.setText(tr("books.pay.open_only"))
        self.table.setHorizontalHeaderLabels([tr("books.pay.col." + c) for c in COLUMNS])
        self.pay_box.setTitle(tr("books.pay.pay_title"))
        self._captions[0].setText(tr("books.pay.amount"))
        self._captions[1].setText(tr("books.pay.from"))
        current = self.paid_from.currentData()
        self.paid_from.clear()
        for p in PAY_FROM:
            self.paid_from.addItem(tr("books.paid_from." + p), p)
        self.paid_from.setCurrentIndex(max(0, self.paid_from.findData(current)))
        self.pay_button.setText(tr("books.pay.pay"))
        self.whole_button.setText(tr("books.pay.whole"))
        if self.rows:
            self._show(self.rows)

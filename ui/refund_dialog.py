"""Refund by receipt number (Ctrl+R at the till), with a supervisor's PIN.

Type or scan the receipt number and Enter: the sale's lines are shown with what is left to
refund. Choose the quantities (all that is left is the default: Space toggles a line), give
a reason, and press Refund: the supervisor types a PIN in the SupervisorPinDialog, and
``refund_sale`` checks it and commits in one step on the DB-writer lane (a wrong PIN commits
only its failure count; nothing of the refund). The refund number and how the money went
back (cash from the drawer, off the customer's kasbon, through Midtrans) are then shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.money import milli_to_decimal
from services.refunds import RefundableSale, RefundResult
from ui.backend import TillBackend
from services.selling import Approval
from ui.backend_money import PrintResult
from ui.i18n import quantity, rupiah, tr
from ui.tender_entry import method_name
from ui.shift_dialog import local_time
from ui.supervisor_pin import SupervisorPinDialog
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font

if TYPE_CHECKING:
    from services.shipping_query import ShipmentRow


class RefundDialog(QDialog):
    #: The sale was found (value: RefundableSale).
    found = Signal(object)
    #: The found sale's parcels were shown under it (value: their ShipmentRows).
    parcels_shown = Signal(object)
    #: A refund was committed (value: services.refunds.RefundResult).
    refunded = Signal(object)
    #: A refusal is shown (value: its text).
    refused = Signal(str)
    #: The refund slip was printed.
    printed = Signal()

    def __init__(self, backend: TillBackend, tasks: TaskManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._tasks = tasks
        self.sale: RefundableSale | None = None
        self.done_refund: RefundResult | None = None
        self.pin_dialog: SupervisorPinDialog | None = None
        self.setObjectName("refund")
        self.setWindowTitle(tr("money.refund.title"))
        self.setModal(True)

        self.receipt = QLineEdit()
        self.receipt.setObjectName("receiptNo")
        self.receipt.setFont(_font(20))
        self.receipt.setMinimumHeight(48)
        self.receipt.setPlaceholderText(tr("money.refund.receipt"))
        self.receipt.returnPressed.connect(self.look_up)
        find = QPushButton(tr("money.refund.find"))
        find.setMinimumHeight(48)
        find.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        find.clicked.connect(self.look_up)
        top = QHBoxLayout()
        top.addWidget(self.receipt, 1)
        top.addWidget(find)

        self.sale_info = QLabel()
        self.sale_info.setObjectName("saleInfo")
        self.sale_info.setFont(_font(13))
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("refundLines")
        self.table.setFont(_font(14))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalHeaderLabels([
            tr("money.refund.col.item"), tr("money.refund.col.sold"),
            tr("money.refund.col.left"), tr("money.refund.col.qty"),
            tr("money.refund.col.amount")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.spins: list[QDoubleSpinBox] = []

        all_button = QPushButton(tr("money.refund.all"))
        all_button.setMinimumHeight(44)
        all_button.clicked.connect(lambda: self.choose_all(True))
        none_button = QPushButton(tr("money.refund.none"))
        none_button.setMinimumHeight(44)
        none_button.clicked.connect(lambda: self.choose_all(False))
        self.total_label = QLabel()
        self.total_label.setObjectName("refundTotal")
        self.total_label.setFont(_font(20, bold=True))
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
        choose = QHBoxLayout()
        choose.addWidget(all_button)
        choose.addWidget(none_button)
        choose.addWidget(self.total_label, 1)

        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setFont(_font(16))
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(tr("money.refund.reason"))
        self.reason.returnPressed.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("refundMessage")
        self.message.setWordWrap(True)
        self.message.setFont(_font(14, bold=True))

        self.ok = QPushButton(tr("money.refund.ok"))
        self.ok.setObjectName("refundOk")
        self.ok.setMinimumHeight(56)
        self.ok.setFont(_font(15, bold=True))
        self.ok.clicked.connect(self.submit)
        self.print_button = QPushButton(tr("money.refund.print"))
        self.print_button.setObjectName("refundPrint")
        self.print_button.setMinimumHeight(56)
        self.print_button.clicked.connect(self.print_refund)
        self.print_button.hide()
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, self.print_refund)
        close = QPushButton(tr("money.refund.close"))
        close.setMinimumHeight(56)
        close.clicked.connect(self.reject)
        for button in (find, all_button, none_button, self.ok, self.print_button, close):
            button.setAutoDefault(False)
            button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sale_info)
        layout.addWidget(self.table, 1)
        layout.addLayout(choose)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(close)
        buttons.addWidget(self.ok, 1)
        buttons.addWidget(self.print_button, 1)
        layout.addLayout(buttons)
        self.resize(860, 620)
        self._show_sale()
        self.receipt.setFocus()

    # --- finding the sale -------------------------------------------------------------
    def look_up(self) -> None:
        receipt = self.receipt.text().strip()
        if not receipt:
            return
        self.say(tr("money.refund.looking"))
        backend = self._backend
        self._tasks.run_in_background(lambda: backend.money.find_sale(receipt), self._found,
                                      self._refused, lane=Lane.POOL, owner=self)

    def _found(self, sale: RefundableSale) -> None:
        self.sale = sale
        self.done_refund = None
        self.message.clear()
        self._show_sale()
        if not any(line.left_milli > 0 for line in sale.lines):
            self.say(tr("money.refund.nothing_left"), error=True)
        self.reason.setFocus()
        self.found.emit(sale)
        # Its parcels (a returned one is often why the sale comes back), on the pool lane.
        shipping, receipt = self._backend.shipping, sale.receipt_no
        self._tasks.run_in_background(lambda: shipping.of_receipt(receipt),
                                      lambda rows: self._parcels_known(sale, rows),
                                      lambda _exc: None, lane=Lane.POOL, owner=self)

    def _parcels_known(self, sale: RefundableSale, rows: Sequence[ShipmentRow]) -> None:
        if rows and self.sale is sale:
            from ui.shipment_create import parcels_text
            self.sale_info.setText(self.sale_info.text() + "\n" + parcels_text(rows))
            self.parcels_shown.emit(rows)

    def _show_sale(self) -> None:
        sale = self.sale
        self.spins = []
        self.table.setRowCount(0 if sale is None else len(sale.lines))
        self.ok.setEnabled(sale is not None)
        if sale is None:
            self.sale_info.clear()
            self.total_label.clear()
            return
        methods = ", ".join(f"{method_name(m)} {rupiah(a)}" for m, a in sale.payments)
        self.sale_info.setText(f"{sale.receipt_no} · {local_time(sale.created_at)}"
                               f" · {rupiah(sale.payable)} · "
                               + tr("money.refund.paid_by", methods=methods))
        for row, line in enumerate(sale.lines):
            weighed = line.weighed
            cells = (line.name, _qty(line.qty_milli, line.unit),
                     _qty(line.left_milli, line.unit))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
            spin = QDoubleSpinBox()
            spin.setObjectName(f"qty_{line.line_no}")
            spin.setDecimals(3 if weighed else 0)
            spin.setSingleStep(0.1 if weighed else 1)
            spin.setRange(0, float(milli_to_decimal(line.left_milli)))
            spin.setValue(0)
            spin.setMinimumHeight(40)
            spin.setEnabled(line.left_milli > 0)
            spin.valueChanged.connect(self._update_total)
            self.table.setCellWidget(row, 3, spin)
            amount = QTableWidgetItem()
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 4, amount)
            self.spins.append(spin)
        self._update_total()

    # --- choosing ---------------------------------------------------------------------
    def set_qty(self, line_no: int, qty_milli: int) -> None:
        """Choose how much of a line to refund (tests and the keyboard)."""
        if self.sale is None:
            return
        for spin, line in zip(self.spins, self.sale.lines, strict=True):
            if line.line_no == line_no:
                spin.setValue(float(milli_to_decimal(qty_milli)))

    def choose_all(self, everything: bool) -> None:
        if self.sale is None:
            return
        for spin, line in zip(self.spins, self.sale.lines, strict=True):
            spin.setValue(float(milli_to_decimal(line.left_milli)) if everything else 0)

    def chosen(self) -> list[tuple[int, int]]:
        if self.sale is None:
            return []
        out = []
        for spin, line in zip(self.spins, self.sale.lines, strict=True):
            milli = int((Decimal(str(spin.value())) * 1000).to_integral_value())
            if milli > 0:
                out.append((line.line_no, min(milli, line.left_milli)))
        return out

    def _estimate(self) -> int:
        """What the chosen quantities are worth (the service's own split is exact)."""
        if self.sale is None:
            return 0
        by_line = {line.line_no: line for line in self.sale.lines}
        return sum(_part(by_line[n].gross, q, by_line[n].qty_milli) for n, q in self.chosen())

    def _update_total(self) -> None:
        if self.sale is None:
            return
        chosen = dict(self.chosen())
        for row, line in enumerate(self.sale.lines):
            q = chosen.get(line.line_no, 0)
            cell = self.table.item(row, 4)
            if cell is not None:
                cell.setText(rupiah(_part(line.gross, q, line.qty_milli)) if q else "")
        self.total_label.setText(rupiah(self._estimate()))

    # --- refunding --------------------------------------------------------------------
    def submit(self) -> None:
        """Ask the supervisor's PIN; the refund is made with it in one step."""
        if self.sale is None:
            self.look_up()
            return
        lines = self.chosen()
        if not lines:
            self.say(tr("money.refund.nothing_chosen"), error=True)
            return
        backend, receipt, reason = self._backend, self.sale.receipt_no, self.reason.text()

        def action(approval: Approval) -> RefundResult:
            return backend.money.refund(receipt, lines, reason, approval)

        dialog = SupervisorPinDialog(
            self._tasks, self._backend,
            tr("money.refund.what", amount=rupiah(self._estimate()), receipt=receipt),
            action=action, parent=self)
        # Enter in the PIN field must approve: without an explicit default, QDialog makes
        # "Cancel" the default button and Enter would also cancel (reported to the dialog's
        # owner; harmless once ui/supervisor_pin.py sets it itself).
        dialog.ok.setDefault(True)
        dialog.done_with.connect(self._refunded)
        dialog.finished.connect(lambda _r: self._pin_closed(dialog))
        self.pin_dialog = dialog
        dialog.open()

    def _pin_closed(self, dialog: SupervisorPinDialog) -> None:
        if self.pin_dialog is dialog:
            self.pin_dialog = None
        dialog.deleteLater()
        self.activateWindow()
        self.reason.setFocus()

    def _refunded(self, result: RefundResult) -> None:
        self.done_refund = result
        parts = [tr("money.refund.done", refund=result.refund_no, amount=rupiah(result.gross),
                    approver=result.approved_by)]
        if result.cash_paid:
            parts.append(tr("money.refund.cash", amount=rupiah(result.cash_paid)))
        if result.to_kasbon:
            parts.append(tr("money.refund.kasbon", amount=rupiah(result.to_kasbon)))
        if result.to_provider:
            parts.append(tr("money.refund.provider", amount=rupiah(result.to_provider),
                            jobs=len(result.provider_jobs)))
        self.say("\n".join(parts))
        self.ok.setEnabled(False)
        self.print_button.show()
        self.refunded.emit(result)

    def print_refund(self) -> None:
        """F9: the refund slip for the customer, on the receipt printer (pool lane)."""
        result = self.done_refund
        if result is None:
            return
        backend = self._backend

        def done(outcome: PrintResult) -> None:
            if outcome.printed:
                self.say(tr("money.refund.printed", refund=result.refund_no))
                self.printed.emit()
            else:
                self.say(tr("money.refund.not_printed", reason=outcome.message), error=True)

        self._tasks.run_in_background(lambda: backend.money.print_receipt(result.refund_no, False),
                                      done, self._refused, lane=Lane.POOL, owner=self)

    def _refused(self, exc: Exception) -> None:
        self.say(describe_error(exc), error=True)
        QApplication.beep()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)
        if error:
            self.refused.emit(text)


def _part(gross: int, q: int, qty: int) -> int:
    return (gross * q + qty // 2) // qty if qty else 0


def _qty(milli: int, unit: str) -> str:
    return quantity(milli, unit)


"""Money at the till: F9 opens the pay dialog for the cart (with its discount approvals),
F10 the shift (float, cash in/out, X report, close with a count), Ctrl+R a refund by
receipt number. One money dialog at a time; each gives the scan box the keyboard back when
it closes. The pay dialog commits the sale itself (``backend.money.pay``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from services.cart import Cart
from services.selling import SaleResult
from services.shifts import ShiftState
from ui.backend import TillBackend
from ui.i18n import rupiah, tr
from ui.pay import PayDialog
from ui.refund_dialog import RefundDialog
from ui.shift_dialog import ShiftDialog
from ui.tasks import Lane, TaskManager
from ui.till_cart import TillCart


class TillMoney(QObject):
    #: Something to tell the cashier (values: the text, whether it is an error).
    said = Signal(str, bool)
    #: A dialog closed: the scan box takes the keyboard again.
    focus_scan = Signal()
    #: A sale was committed (value: services.selling.SaleResult).
    sale_completed = Signal(object)

    def __init__(self, tasks: TaskManager, sale: TillCart, page: QWidget) -> None:
        super().__init__(page)
        self._tasks = tasks
        self._sale = sale
        self._page = page  # the dialogs' parent
        self._backend: TillBackend | None = None
        self._pay_dialog: PayDialog | None = None
        self._money_dialog: QDialog | None = None  # the refund or shift dialog
        #: Whether this till has a shift open, once known (sales need one).
        self.shift_open: bool | None = None

    def attach(self, backend: TillBackend) -> None:
        self._backend = backend

    @property
    def pay_dialog(self) -> PayDialog | None:
        return self._pay_dialog

    @property
    def money_dialog(self) -> QDialog | None:
        return self._money_dialog

    # --- paying -------------------------------------------------------------------------
    def pay(self) -> None:
        """F9: pay the cart (cash, split tender, kasbon, EDC, QRIS/VA/e-wallet)."""
        priced = self._sale.priced
        if self._backend is None or self._pay_dialog is not None:
            return
        if not self._sale.cart.lines or priced is None:
            self.said.emit(tr("till.empty_cart"), True)
            self.focus_scan.emit()
            return
        cart = self._sale.cart
        dialog = PayDialog(self._backend, self._tasks, cart, priced.total, self._sale.grants,
                           self._page)
        dialog.paid.connect(lambda result: self._paid(cart, result))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self._pay_dialog = dialog
        dialog.open()

    def _paid(self, cart: Cart, result: SaleResult) -> None:
        self._sale.paid(cart)
        self.said.emit(tr("till.sale_done", receipt=result.receipt_no,
                          change=rupiah(result.change)), False)
        self.sale_completed.emit(result)
        self.focus_scan.emit()

    # --- shift and refunds --------------------------------------------------------------
    def refund(self) -> None:
        """Ctrl+R: refund by receipt number, with a supervisor's PIN."""
        if self._backend is None or self._money_dialog is not None:
            return
        self._open(RefundDialog(self._backend, self._tasks, self._page))

    def shift(self) -> None:
        """F10: open a shift with a float, cash in/out, X report, close with a count."""
        if self._backend is None or self._money_dialog is not None:
            return
        dialog = ShiftDialog(self._backend, self._tasks, self._page)
        dialog.shift_changed.connect(self._shift_known)
        self._open(dialog)

    def check_shift(self) -> None:
        """Say so when no shift is open on this till (sales need one)."""
        if self._backend is None:
            return
        self._tasks.run_in_background(self._backend.money.shift_state, self._shift_known,
                                      lambda exc: None, lane=Lane.POOL, owner=self._page)

    def _shift_known(self, state: ShiftState) -> None:
        self.shift_open = state.open
        if not state.open:
            self.said.emit(tr("money.till.no_shift"), True)

    def _open(self, dialog: QDialog) -> None:
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self._money_dialog = dialog
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self._pay_dialog is dialog:
            self._pay_dialog = None
        if self._money_dialog is dialog:
            self._money_dialog = None
        dialog.deleteLater()
        # The dialog had the keyboard; give it back to the till's window and scan box.
        self._page.window().activateWindow()
        self.focus_scan.emit()

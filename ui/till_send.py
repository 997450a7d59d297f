"""After a sale at the till: "Kirim struk" (Ctrl+K) sends its receipt by WhatsApp or email,
"Kirim paket" (Ctrl+J) ships its parcel. Two small buttons beside the till's message line,
shown once a sale is done and kept for the last sale until the next one (so a customer who
asks a minute later still gets it). The dialogs open lazily: nothing here slows the till's
start."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from services.selling import SaleResult
from ui.backend import TillBackend
from ui.i18n import tr
from ui.tasks import TaskManager


class TillSend(QObject):
    #: A dialog was opened (value: the dialog; tests use it).
    opened = Signal(object)
    #: A dialog closed: the scan box takes the keyboard again.
    focus_scan = Signal()

    def __init__(self, tasks: TaskManager, page: QWidget) -> None:
        super().__init__(page)
        self._tasks = tasks
        self._page = page
        self._backend: TillBackend | None = None
        self.last: SaleResult | None = None
        self.dialog: QDialog | None = None
        self.receipt_button = self._button("sendReceipt", self.send_receipt)
        self.parcel_button = self._button("shipParcel", self.ship_parcel)
        for keys, action in (("Ctrl+K", self.send_receipt), ("Ctrl+J", self.ship_parcel)):
            shortcut = QShortcut(QKeySequence(keys), page)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self.retranslate()

    def _button(self, name: str, slot: object) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan box keeps the keyboard
        button.setFixedHeight(30)  # the message line's own height: nothing moves
        button.clicked.connect(slot)
        button.hide()
        return button

    def attach(self, backend: TillBackend) -> None:
        self._backend = backend

    def sale_done(self, result: SaleResult) -> None:
        self.last = result
        self.retranslate()
        self.receipt_button.show()
        self.parcel_button.show()

    def forget(self) -> None:
        """Someone else logs in: the last sale is not theirs to send."""
        self.last = None
        self.receipt_button.hide()
        self.parcel_button.hide()

    def send_receipt(self) -> None:
        """Ctrl+K: the last sale's receipt by WhatsApp or email."""
        if self._backend is None or self.last is None or self.dialog is not None:
            return
        from ui.send_receipt import SendReceiptDialog
        self._open(SendReceiptDialog(self._backend, self._tasks, self.last.receipt_no,
                                     self._page))

    def ship_parcel(self) -> None:
        """Ctrl+J: ship the last sale's parcel (its customer prefilled)."""
        if self._backend is None or self.last is None or self.dialog is not None:
            return
        from ui.shipment_create import ShipmentCreateDialog
        dialog = ShipmentCreateDialog(self._backend, self._tasks, None, self._page)
        dialog.receipt.setText(self.last.receipt_no)
        dialog.look_up()
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        self.opened.emit(dialog)

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self._page.window().activateWindow()
        self.focus_scan.emit()

    def retranslate(self) -> None:
        receipt = self.last.receipt_no.rsplit("-", 1)[-1] if self.last is not None else ""
        self.receipt_button.setText(tr("till.send_receipt", receipt=receipt))
        self.parcel_button.setText(tr("till.ship_parcel"))


__all__ = ["TillSend"]

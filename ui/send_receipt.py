""""Kirim struk": a sale's receipt by WhatsApp or email, to the customer attached to the
sale or to a number or address typed at the till.

The dialog reads who the sale's customer is (masked: ``+62 ••• 7890``) on the pool lane, and
queues the message on the DB-writer lane (``backend.messages.send_receipt``): it is sent by
the provider-job dispatcher when the shop is online, so the till never waits on WhatsApp or
email. "Kirim" is disabled while queuing; the service makes the same receipt to the same
person one message, so a double click sends it once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from services.messaging import MessageView
from ui.backend import TillBackend
from ui.backend_messages import ReceiptTarget
from ui.i18n import language, tr
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font, no_default_buttons

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"
CHANNELS = ("whatsapp", "email")


class SendReceiptDialog(QDialog):
    #: The receipt was queued (value: services.messaging.MessageView).
    sent = Signal(object)
    #: Who the sale's customer is was answered (value: ReceiptTarget).
    target_known = Signal(object)
    #: A refusal or error is shown (value: its text).
    refused = Signal(str)

    def __init__(self, backend: TillBackend, tasks: TaskManager, receipt_no: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._tasks = tasks
        self.receipt_no = receipt_no
        self.target: ReceiptTarget | None = None
        self.sending = False
        self.setObjectName("sendReceipt")
        self.setWindowTitle(tr("msg.receipt.title", receipt=receipt_no))
        self.setModal(True)

        self.heading = QLabel(tr("msg.receipt.heading", receipt=receipt_no))
        self.heading.setFont(_font(14, bold=True))
        # --- how ---------------------------------------------------------------------------
        self.whatsapp = QRadioButton(tr("msg.channel.whatsapp"))
        self.whatsapp.setObjectName("viaWhatsapp")
        self.email = QRadioButton(tr("msg.channel.email"))
        self.email.setObjectName("viaEmail")
        self._channels = QButtonGroup(self)
        for b in (self.whatsapp, self.email):
            b.setMinimumHeight(36)
            b.setFont(_font(12))
            self._channels.addButton(b)
        self.whatsapp.setChecked(True)
        how = QGroupBox(tr("msg.receipt.how"))
        hl = QHBoxLayout(how)
        hl.addWidget(self.whatsapp)
        hl.addWidget(self.email)
        # --- to whom -----------------------------------------------------------------------
        self.to_customer = QRadioButton()
        self.to_customer.setObjectName("toCustomer")
        self.to_other = QRadioButton(tr("msg.receipt.to_other"))
        self.to_other.setObjectName("toOther")
        self._whom = QButtonGroup(self)
        for b in (self.to_customer, self.to_other):
            b.setMinimumHeight(36)
            b.setFont(_font(12))
            self._whom.addButton(b)
        self.address = QLineEdit()
        self.address.setObjectName("receiptTo")
        self.address.setMinimumHeight(44)
        self.address.setFont(_font(15))
        self.address.setMaxLength(120)
        self.address.textEdited.connect(lambda _t: self.to_other.setChecked(True))
        self.address.returnPressed.connect(self.send)
        self.field_error = QLabel()
        self.field_error.setObjectName("receiptToError")
        self.field_error.setStyleSheet(ERROR_STYLE)
        self.field_error.setWordWrap(True)
        self.field_error.hide()
        whom = QGroupBox(tr("msg.receipt.whom"))
        wl = QVBoxLayout(whom)
        wl.addWidget(self.to_customer)
        wl.addWidget(self.to_other)
        wl.addWidget(self.address)
        wl.addWidget(self.field_error)
        # --- language, message, buttons ----------------------------------------------------
        self.language_box = QComboBox()
        self.language_box.setObjectName("receiptLocale")
        self.language_box.addItem("Bahasa Indonesia", "id")
        self.language_box.addItem("English", "en")
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(language())))
        lang_row = QHBoxLayout()
        lang_row.addWidget(QLabel(tr("msg.receipt.language")))
        lang_row.addWidget(self.language_box, 1)
        self.message = QLabel()
        self.message.setObjectName("receiptMessage")
        self.message.setWordWrap(True)
        self.send_button = QPushButton(tr("msg.receipt.send"))
        self.send_button.setObjectName("receiptSend")
        self.send_button.setMinimumHeight(52)
        self.send_button.setFont(_font(13, bold=True))
        self.send_button.clicked.connect(self.send)
        self.close_button = QPushButton(tr("msg.receipt.close"))
        self.close_button.setObjectName("receiptClose")
        self.close_button.setMinimumHeight(52)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.send_button, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(how)
        layout.addWidget(whom)
        layout.addLayout(lang_row)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        no_default_buttons(self)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.send)
        QShortcut(QKeySequence(Qt.Key.Key_F1), self, self.whatsapp.click)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.email.click)
        self._channels.buttonToggled.connect(lambda _b, _on: self._draw())
        self._whom.buttonToggled.connect(lambda _b, _on: self._draw())
        self.to_other.setChecked(True)
        self.to_customer.setEnabled(False)
        self.to_customer.setText(tr("msg.receipt.to_customer_loading"))
        self.resize(560, 460)
        self._draw()
        self.address.setFocus()
        messages = backend.messages
        tasks.run_in_background(lambda: messages.receipt_target(receipt_no), self._target_known,
                                self._target_failed, lane=Lane.POOL, owner=self)

    # --- who ------------------------------------------------------------------------------
    @property
    def channel(self) -> str:
        return "email" if self.email.isChecked() else "whatsapp"

    def _target_known(self, target: ReceiptTarget) -> None:
        self.target = target
        self._draw()
        if self._customer_address() is not None and not self.address.text():
            self.to_customer.setChecked(True)
        self.target_known.emit(target)

    def _target_failed(self, exc: Exception) -> None:
        self.to_customer.setText(tr("msg.receipt.no_customer"))
        self.say(describe_error(exc), error=True)
        self.refused.emit(describe_error(exc))

    def _customer_address(self) -> str | None:
        t = self.target
        if t is None or t.customer_name is None:
            return None
        return t.email_hint if self.channel == "email" else t.phone_hint

    def _draw(self) -> None:
        t = self.target
        hint = self._customer_address()
        if t is None:
            pass  # still loading (the text says so)
        elif t.customer_name is None:
            self.to_customer.setText(tr("msg.receipt.no_customer"))
        elif hint is None:
            self.to_customer.setText(tr("msg.receipt.customer_without", name=t.customer_name,
                                        what=tr("msg.what." + self.channel)))
        else:
            self.to_customer.setText(tr("msg.receipt.to_customer", name=t.customer_name,
                                        to=hint))
        self.to_customer.setEnabled(hint is not None and not self.sending)
        if hint is None and self.to_customer.isChecked():
            self.to_other.setChecked(True)
        self.address.setPlaceholderText(tr("msg.receipt.hint." + self.channel))
        self.send_button.setEnabled(not self.sending and t is not None)

    # --- sending ----------------------------------------------------------------------------
    def send(self) -> None:
        """Queue the receipt (Enter in the address, Ctrl+Enter, the button)."""
        target = self.target
        if self.sending or target is None or not self.send_button.isEnabled():
            return
        to: str | None = None
        if not self.to_customer.isChecked():
            to = self.address.text().strip()
            if not to:
                self._field_error(tr("msg.receipt.to_needed." + self.channel))
                return
        self.field_error.hide()
        self.sending = True
        self._draw()
        self.say(tr("msg.receipt.sending"))
        messages, sale_id, channel = self._backend.messages, target.sale_id, self.channel
        locale = self.language_box.currentData()
        self._tasks.run_in_background(
            lambda: messages.send_receipt(sale_id, channel, to, locale), self._sent,
            self._failed, lane=Lane.WRITER, owner=self)

    def _sent(self, view: MessageView) -> None:
        self.sending = False
        self._backend.sync.wake()  # goes out now if the shop is online
        self.say(tr("msg.receipt.queued", to=view.message.recipient_hint))
        self.sent.emit(view)
        self._draw()
        self.close_button.setText(tr("msg.receipt.done"))
        self.close_button.setFocus()

    def _failed(self, exc: Exception) -> None:
        self.sending = False
        text = describe_error(exc)
        field = exc.field if isinstance(exc, ShopError) else None
        if field in ("to", "recipient", "phone", "email", "customer"):
            self._field_error(text)
        else:
            self.say(text, error=True)
        self.refused.emit(text)
        self._draw()

    def _field_error(self, text: str) -> None:
        self.field_error.setText(text)
        self.field_error.show()
        self.address.setFocus()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)

    def reject(self) -> None:
        if self.sending:
            return  # being queued: its answer comes in a moment
        super().reject()


__all__ = ["SendReceiptDialog"]

"""The pay dialog's charge page: the QR or VA number, the countdown, cancel and retry.

It draws a :class:`ui.payment_wait.Screen` and the charge's latest view; what to show is
decided by the state machine in ``ui/payment_wait.py``, and the words of its messages by
:func:`words` here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.backend_money import ChargeState
from ui.i18n import rupiah, tr
from ui.payment_wait import WORDED_FINALS, Clock, Ending, Method, Rupiah, Screen, Text
from ui.qr_view import QrView
from ui.tender_entry import method_name
from ui.widgets import font as _font


def words(text: Text) -> str:
    """A state machine's message in the current language."""
    values: dict[str, str] = {}
    for name, value in text.values:
        if isinstance(value, Method):
            values[name] = method_name(value.code)
        elif isinstance(value, Rupiah):
            values[name] = rupiah(value.amount)
        elif isinstance(value, Clock):
            m, s = divmod(value.seconds, 60)
            values[name] = f"{m:02d}:{s:02d}"
        elif isinstance(value, Ending):
            values[name] = (tr(f"money.pay.status.{value.final}")
                            if value.final in WORDED_FINALS else value.final)
        else:
            values[name] = value
    said = tr(text.key, **values)
    return f"{said} ({text.detail})" if text.detail else said


class ChargePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.charge_title = QLabel()
        self.charge_title.setObjectName("chargeTitle")
        self.charge_title.setFont(_font(16, bold=True))
        self.charge_title.setWordWrap(True)
        self.qr = QrView()
        self.va_number = QLabel()
        self.va_number.setObjectName("vaNumber")
        self.va_number.setFont(_font(36, bold=True))
        self.va_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.va_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setFont(_font(18, bold=True))
        self.charge_status = QLabel()
        self.charge_status.setObjectName("chargeStatus")
        self.charge_status.setWordWrap(True)
        self.charge_status.setFont(_font(13, bold=True))
        self.cancel_button = QPushButton(tr("money.pay.cancel_charge"))
        self.cancel_button.setObjectName("cancelCharge")
        self.cancel_button.setMinimumHeight(56)
        self.cancel_button.setFont(_font(15, bold=True))
        self.retry_button = QPushButton(tr("money.pay.retry_save"))
        self.retry_button.setObjectName("retrySave")
        self.retry_button.setMinimumHeight(56)
        for button in (self.cancel_button, self.retry_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            button.setDefault(False)
        self.retry_button.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.charge_title)
        lay.addWidget(self.qr, 1)
        lay.addWidget(self.va_number)
        lay.addWidget(self.countdown)
        lay.addWidget(self.charge_status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.retry_button, 1)
        lay.addLayout(buttons)

    def draw(self, screen: Screen, charge: ChargeState | None) -> None:
        self.charge_title.setText(words(screen.title) if screen.title else "")
        matrix = charge.qr_matrix if charge is not None else ()
        self.qr.set_matrix(matrix)
        self.qr.setVisible(bool(matrix))
        self.va_number.setText(charge.va_number or "" if charge is not None else "")
        self.countdown.setText(words(screen.countdown) if screen.countdown else "")
        status = [screen.error or "", words(screen.status) if screen.status else ""]
        self.charge_status.setText("\n".join(x for x in status if x))
        self.cancel_button.setEnabled(screen.cancel_enabled)
        self.retry_button.setVisible(screen.retry_visible)

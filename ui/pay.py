"""Pay: cash as easy as ever, split tender, kasbon, card (EDC), and QRIS / e-wallet / VA.

The cash path is unchanged: quick-tender buttons (exact, Rp 20.000, 50.000, 100.000) pay in
one touch; typing an amount and Enter does the same; the change is shown in very large type.

Split tender: type an amount and press a method (EDC F3, kasbon F4...) to take that part
non-cash; a method pressed with the field empty takes all that is left. What remains is shown
and is paid in cash last (the cash part is rounded to the store's unit and gives change), or
by the non-cash tenders alone. Kasbon needs a customer on the cart (the services check the
limit and their refusal is shown here).

QRIS, GoPay, ShopeePay and bank-transfer VA need Midtrans and the customer present: the
dialog asks the backend (on the pool) whether payments are online; when not, those buttons
are disabled and say why, and cash stays available. A provider tender makes the dialog check
the sale, charge (pool lane), show the QR or VA number with a countdown, and poll until paid;
then the sale commits on the DB-writer lane. Esc cancels the charge, never silently.

The dialog commits the sale itself and emits :attr:`PayDialog.paid` with the SaleDone; a
refusal (kasbon limit, short tender...) is shown in the dialog, which stays open.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.cart import Cart
from services.errors import ShopError
from services.tender import CASH, KASBON, PROVIDER_METHODS, TenderInput
from ui.backend import SaleDone, TillBackend
from ui.backend_money import ChargeState, KasbonRoom, PaymentsState
from ui.i18n import rupiah, tr
from ui.qr_view import QrView
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font

QUICK_TENDERS = (20_000, 50_000, 100_000)
#: How often a pending charge's status is asked (ms), and how long a charge without an
#: expiry from Midtrans is waited for (s) before the till cancels it.
POLL_MS = 1000
DEFAULT_CHARGE_SECONDS = 15 * 60
VA_BANKS = ("va_bca", "va_bni", "va_bri", "va_permata")



def method_name(method: str) -> str:
    return tr(f"money.method.{method}")


class PayDialog(QDialog):
    #: The sale was committed (value: SaleDone); the dialog then closes.
    paid = Signal(object)
    #: Whether provider payments are available was answered (value: PaymentsState).
    payments_checked = Signal(object)
    #: A charge is on screen (value: ChargeState): the customer can pay now.
    charge_shown = Signal(object)
    #: A refusal or error is shown in the dialog (value: its text).
    refused = Signal(str)

    def __init__(self, backend: TillBackend, tasks: TaskManager, cart: Cart, total: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._tasks = tasks
        self.cart = cart
        self.total = total  # before cash rounding
        self.due = backend.cash_due(total)
        self.tenders: list[TenderInput] = []  # the non-cash ones, in the order taken
        self.payments: PaymentsState | None = None
        self.charge: ChargeState | None = None
        self._busy = False
        self._final_tenders: list[TenderInput] = []
        self._cancel_requested = False
        self._cancelling = False
        self._polling = False
        self._leave_armed = False
        self._seconds_left = 0
        self.setObjectName("pay")
        self.setWindowTitle(tr("money.pay.title"))
        self.setModal(True)

        # --- page 0: tenders --------------------------------------------------------------
        due_caption = QLabel(tr("pay.due"))
        due_caption.setFont(_font(14))
        self.due_label = QLabel(rupiah(self.due))
        self.due_label.setObjectName("due")
        self.due_label.setFont(_font(30, bold=True))
        self.remaining_caption = QLabel(tr("money.pay.remaining"))
        self.remaining_caption.setFont(_font(14))
        self.remaining_label = QLabel()
        self.remaining_label.setObjectName("remaining")
        self.remaining_label.setFont(_font(26, bold=True))
        self.remaining_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
        head = QGridLayout()
        head.addWidget(due_caption, 0, 0)
        head.addWidget(self.due_label, 1, 0)
        head.addWidget(self.remaining_caption, 0, 1, Qt.AlignmentFlag.AlignRight)
        head.addWidget(self.remaining_label, 1, 1)

        self.tender_list = QListWidget()
        self.tender_list.setObjectName("tenders")
        self.tender_list.setFont(_font(14))
        self.tender_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tender_list.setMaximumHeight(96)
        self.remove_button = QPushButton(tr("money.pay.remove"))
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove_button.setMinimumHeight(48)
        self.remove_button.clicked.connect(self.remove_tender)

        quick = QGridLayout()
        self.quick_buttons: dict[int, QPushButton] = {}
        for i, amount in enumerate((0, *QUICK_TENDERS)):
            button = QPushButton()
            button.setMinimumSize(150, 72)
            button.setFont(_font(16, bold=True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setObjectName("quick_exact" if i == 0 else f"quick_{amount}")
            button.clicked.connect(lambda _=False, a=amount: self._quick(a))
            self.quick_buttons[amount] = button
            quick.addWidget(button, 0, i)

        given_caption = QLabel(tr("money.pay.amount"))
        given_caption.setFont(_font(14))
        self.given = QLineEdit()
        self.given.setObjectName("given")
        self.given.setFont(_font(24))
        self.given.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9.]{0,14}"), self.given))
        self.given.textChanged.connect(self._update)
        self.given.returnPressed.connect(self.confirm)

        self.method_buttons: dict[str, QPushButton] = {}
        methods = QGridLayout()
        for i, key in enumerate(("edc", KASBON, "qris", "gopay", "shopeepay", "va")):
            button = QPushButton(tr(f"money.pay.method.{key}"))
            button.setObjectName(f"method_{key}")
            button.setMinimumHeight(56)
            button.setFont(_font(14, bold=True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.take_method(k))
            self.method_buttons[key] = button
            methods.addWidget(button, i // 3, i % 3)
        self.va_bank = QComboBox()
        self.va_bank.setObjectName("vaBank")
        self.va_bank.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.va_bank.setMinimumHeight(40)
        for bank in VA_BANKS:
            self.va_bank.addItem(method_name(bank), bank)
        methods.addWidget(self.va_bank, 2, 2)
        self.provider_note = QLabel(tr("money.pay.checking"))
        self.provider_note.setObjectName("providerNote")
        self.provider_note.setWordWrap(True)
        self.kasbon_note = QLabel()
        self.kasbon_note.setObjectName("kasbonNote")
        self.kasbon_note.setWordWrap(True)

        change_caption = QLabel(tr("pay.change"))
        change_caption.setFont(_font(16))
        self.change_label = QLabel()
        self.change_label.setObjectName("change")
        self.change_label.setFont(_font(48, bold=True))
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)
        self.message = QLabel()
        self.message.setObjectName("payMessage")
        self.message.setWordWrap(True)
        self.message.setFont(_font(13, bold=True))

        self.ok = QPushButton(tr("pay.confirm"))
        self.ok.setObjectName("payOk")
        self.ok.setMinimumHeight(56)
        self.ok.setFont(_font(16, bold=True))
        self.ok.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ok.clicked.connect(self.confirm)
        self.cancel_button = QPushButton(tr("pay.cancel"))
        self.cancel_button.setMinimumHeight(56)
        self.cancel_button.setFont(_font(14))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.reject)

        tender_page = QWidget()
        lay = QVBoxLayout(tender_page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addLayout(quick)
        lay.addWidget(given_caption)
        lay.addWidget(self.given)
        lay.addLayout(methods)
        lay.addWidget(self.provider_note)
        lay.addWidget(self.kasbon_note)
        tenders_row = QHBoxLayout()
        tenders_row.addWidget(self.tender_list, 1)
        tenders_row.addWidget(self.remove_button)
        lay.addLayout(tenders_row)
        lay.addWidget(change_caption)
        lay.addWidget(self.change_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok, 1)
        lay.addLayout(buttons)

        # --- page 1: a provider charge ----------------------------------------------------
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
        self.cancel_charge_button = QPushButton(tr("money.pay.cancel_charge"))
        self.cancel_charge_button.setObjectName("cancelCharge")
        self.cancel_charge_button.setMinimumHeight(56)
        self.cancel_charge_button.setFont(_font(15, bold=True))
        self.cancel_charge_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_charge_button.clicked.connect(self.cancel_charge)
        self.retry_button = QPushButton(tr("money.pay.retry_save"))
        self.retry_button.setObjectName("retrySave")
        self.retry_button.setMinimumHeight(56)
        self.retry_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.retry_button.clicked.connect(self._commit_charged)
        self.retry_button.hide()
        charge_page = QWidget()
        cl = QVBoxLayout(charge_page)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.charge_title)
        cl.addWidget(self.qr, 1)
        cl.addWidget(self.va_number)
        cl.addWidget(self.countdown)
        cl.addWidget(self.charge_status)
        charge_buttons = QHBoxLayout()
        charge_buttons.addWidget(self.cancel_charge_button)
        charge_buttons.addWidget(self.retry_button, 1)
        cl.addLayout(charge_buttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(tender_page)
        self.pages.addWidget(charge_page)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)

        keys = ((Qt.Key.Key_F3, "edc"), (Qt.Key.Key_F4, KASBON), (Qt.Key.Key_F5, "qris"),
                (Qt.Key.Key_F6, "gopay"), (Qt.Key.Key_F7, "shopeepay"), (Qt.Key.Key_F8, "va"))
        for fkey, method in keys:
            QShortcut(QKeySequence(fkey), self, lambda m=method: self.take_method(m))
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self, self.remove_tender)

        self._poll_timer = QTimer(self)
        self._poll_timer.setSingleShot(True)
        self._poll_timer.timeout.connect(self._poll)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)

        for button in self.findChildren(QPushButton):
            # Enter belongs to the amount field (confirm), never to whichever button
            # Qt would make the dialog's default.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.resize(760, 640)
        self._set_provider_buttons(False)
        self._show_kasbon_note(None)
        self._update()
        self.given.setFocus()
        self._check_payments()

    # --- values -------------------------------------------------------------------------
    @property
    def exact_button(self) -> QPushButton:
        return self.quick_buttons[0]

    @property
    def noncash_total(self) -> int:
        return sum(t.amount for t in self.tenders)

    @property
    def remaining(self) -> int:
        """What is left after the non-cash tenders (exact, before cash rounding)."""
        return self.total - self.noncash_total

    @property
    def cash_due(self) -> int:
        return self._backend.cash_due(self.remaining) if self.remaining > 0 else 0

    def amount(self) -> int | None:
        digits = self.given.text().replace(".", "")
        return int(digits) if digits else None

    # --- the provider and kasbon state --------------------------------------------------
    def _check_payments(self) -> None:
        backend = self._backend
        self._tasks.run_in_background(backend.payments_online, self._payments_known,
                                      self._payments_failed, lane=Lane.POOL, owner=self)
        if self.cart.customer_id is not None:
            customer = self.cart.customer_id
            self._tasks.run_in_background(lambda: backend.kasbon_room(customer),
                                          self._show_kasbon_note, lambda exc: None,
                                          lane=Lane.POOL, owner=self)

    def _payments_known(self, state: PaymentsState) -> None:
        self.payments = state
        if state.online:
            self.provider_note.clear()
            self.provider_note.setToolTip("")
        else:
            self.provider_note.setText(tr(f"money.pay.offline.{state.reason}")
                                       if state.reason else tr("money.pay.offline.error",
                                                               error=state.detail or ""))
            self.provider_note.setToolTip(state.detail or "")
            self.provider_note.setStyleSheet("color: #b00020;")
        self._set_provider_buttons(state.online)
        self.payments_checked.emit(state)

    def _payments_failed(self, exc: Exception) -> None:
        self._payments_known(PaymentsState(False, None, describe_error(exc)))

    def _set_provider_buttons(self, online: bool) -> None:
        reason = self.provider_note.text()
        for key in ("qris", "gopay", "shopeepay", "va"):
            button = self.method_buttons[key]
            button.setEnabled(online and not self._busy)
            button.setToolTip("" if online else reason)
        self.va_bank.setEnabled(online)

    def _show_kasbon_note(self, room: KasbonRoom | None) -> None:
        button = self.method_buttons[KASBON]
        if self.cart.customer_id is None:
            button.setEnabled(False)
            self.kasbon_note.setText(tr("money.pay.kasbon_needs_customer"))
            button.setToolTip(self.kasbon_note.text())
            return
        button.setEnabled(not self._busy)
        if room is not None:
            self.kasbon_note.setText(tr("money.pay.kasbon_room", name=room.name,
                                        balance=rupiah(room.balance),
                                        available=rupiah(room.available)))

    # --- tendering ----------------------------------------------------------------------
    def take_method(self, key: str) -> None:
        """Take the typed amount (or all that is left) by a non-cash method."""
        if self._busy or self.pages.currentIndex() != 0:
            return
        button = self.method_buttons[key]
        if not button.isEnabled():
            self.say(button.toolTip() or self.provider_note.text(), error=True)
            return
        method = str(self.va_bank.currentData()) if key == "va" else key
        left = self.remaining
        if left <= 0:
            self.say(tr("money.pay.nothing_left"), error=True)
            return
        amount = self.amount() or left
        if amount > left:
            self.say(tr("money.pay.too_much", left=rupiah(left)), error=True)
            return
        if method in PROVIDER_METHODS and any(t.method in PROVIDER_METHODS
                                              for t in self.tenders):
            self.say(tr("money.pay.one_provider"), error=True)
            return
        self.tenders.append(TenderInput(method, amount))
        self.given.clear()
        self.message.clear()
        self._draw_tenders()
        if self.remaining == 0:
            self._finish(list(self.tenders))  # nothing left for cash: done in one press

    def remove_tender(self) -> None:
        if self._busy or self.pages.currentIndex() != 0 or not self.tenders:
            return
        row = self.tender_list.currentRow()
        self.tenders.pop(row if 0 <= row < len(self.tenders) else -1)
        self._draw_tenders()

    def _draw_tenders(self) -> None:
        self.tender_list.clear()
        for t in self.tenders:
            self.tender_list.addItem(QListWidgetItem(f"{method_name(t.method)}   "
                                                     f"{rupiah(t.amount)}"))
        self._update()

    def _quick(self, amount: int) -> None:
        self._take_cash(amount or self.cash_due)

    def confirm(self) -> None:
        """Enter: pay what is left in cash (the typed amount; empty means exact)."""
        if self._busy:
            return
        if self.pages.currentIndex() == 1:
            if self.retry_button.isVisible():
                self._commit_charged()
            return
        if self.remaining <= 0:
            self._finish(list(self.tenders))
            return
        amount = self.amount()
        self._take_cash(self.cash_due if amount is None else amount)

    def _take_cash(self, amount: int) -> None:
        if self._busy or self.remaining <= 0 or amount < self.cash_due:
            return
        self._finish([*self.tenders, TenderInput(CASH, amount)])

    def _finish(self, tenders: list[TenderInput]) -> None:
        try:
            self._backend.settle(self.total, tenders)  # pure: refuses a wrong tender now
        except ShopError as exc:
            self.say(exc.message, error=True)
            return
        self._final_tenders = tenders
        if any(t.method in PROVIDER_METHODS for t in tenders):
            self._start_charge()
            return
        self._set_busy(True)
        self.say(tr("money.pay.saving"))
        backend, cart = self._backend, self.cart
        self._tasks.run_in_background(lambda: backend.complete(cart, tenders), self._done,
                                      self._failed, lane=Lane.WRITER, owner=self)

    def _done(self, result: SaleDone) -> None:
        self._set_busy(False)
        self.paid.emit(result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.say(describe_error(exc), error=True)
        QApplication.beep()
        self.given.setFocus()

    # --- a provider charge ----------------------------------------------------------------
    def _start_charge(self) -> None:
        pay = next(t for t in self._final_tenders if t.method in PROVIDER_METHODS)
        self.charge = None
        self._cancel_requested = False
        self._cancelling = False
        self.qr.set_matrix(())
        self.va_number.clear()
        self.countdown.clear()
        self.retry_button.hide()
        self.cancel_charge_button.setEnabled(True)
        self.charge_title.setText(tr("money.pay.charging", method=method_name(pay.method),
                                     amount=rupiah(pay.amount)))
        self.charge_status.clear()
        self.pages.setCurrentIndex(1)
        backend, cart, tenders = self._backend, self.cart, self._final_tenders
        self._tasks.run_in_background(lambda: backend.start_charge(cart, tenders),
                                      self._charge_started, self._charge_failed,
                                      lane=Lane.POOL, owner=self)

    def _charge_started(self, state: ChargeState) -> None:
        self.charge = state
        self._draw_charge(state)
        # A fresh charge with (nearly) no time left means this PC's clock is off, not that
        # the customer has seconds: count down the usual time; Midtrans's own expiry still
        # ends the charge, and polling sees it.
        left = state.seconds_left
        self._seconds_left = left if left is not None and left >= 60 else DEFAULT_CHARGE_SECONDS
        if state.final is None:
            self._tick.start()
            self._count_down(step=0)
            self.charge_shown.emit(state)
            if self._cancel_requested:
                self.cancel_charge()
                return
        self._charge_answered(state)

    def _draw_charge(self, state: ChargeState) -> None:
        name, amount = method_name(state.method), rupiah(state.amount)
        if state.va_number:
            self.charge_title.setText(tr("money.pay.transfer_va", bank=name))
            self.va_number.setText(state.va_number)
        elif state.method == "qris":
            self.charge_title.setText(tr("money.pay.scan_qr", method=name, amount=amount))
        else:
            self.charge_title.setText(tr("money.pay.open_app", method=name))
        self.qr.set_matrix(state.qr_matrix)
        self.qr.setVisible(bool(state.qr_matrix))

    def _charge_answered(self, state: ChargeState) -> None:
        """Route a charge's latest state: paid -> commit; ended -> back; else poll on."""
        self.charge = state
        if state.final == "paid":
            self._stop_charge_timers()
            self._commit_charged()
        elif state.final is not None:
            self._stop_charge_timers()
            self._charge_ended(state)
        elif not self._cancelling:
            self._poll_timer.start(POLL_MS)

    def _poll(self) -> None:
        if self.charge is None or self._polling or self._cancelling:
            return
        self._polling = True
        backend, order_id = self._backend, self.charge.order_id
        self._tasks.run_in_background(lambda: backend.poll_charge(order_id), self._polled,
                                      self._poll_failed, lane=Lane.POOL, owner=self)

    def _polled(self, state: ChargeState) -> None:
        self._polling = False
        if not self._cancelling:
            self._charge_answered(state)

    def _poll_failed(self, exc: Exception) -> None:
        self._polling = False
        self.charge_status.setText(describe_error(exc))
        if not self._cancelling:
            self._poll_timer.start(POLL_MS)

    def _count_down(self, step: int = 1) -> None:
        self._seconds_left = max(0, self._seconds_left - step)
        m, s = divmod(self._seconds_left, 60)
        self.countdown.setText(tr("money.pay.waiting", time=f"{m:02d}:{s:02d}"))
        if self._seconds_left == 0 and step:
            self.cancel_charge()  # nobody waits for a charge past its time

    def cancel_charge(self) -> None:
        """Esc on the charge page: cancel at Midtrans. A charge paid meanwhile stays paid
        and the sale completes."""
        if self._cancelling or self._busy:
            return
        if self.charge is None:
            self._cancel_requested = True  # cancelled once the charge answers
            self.charge_status.setText(tr("money.pay.cancelling"))
            return
        self._cancelling = True
        self._stop_charge_timers()
        self.cancel_charge_button.setEnabled(False)
        self.charge_status.setText(tr("money.pay.cancelling"))
        backend, order_id = self._backend, self.charge.order_id
        self._tasks.run_in_background(lambda: backend.cancel_charge(order_id),
                                      self._cancelled, self._cancel_failed,
                                      lane=Lane.POOL, owner=self)

    def _cancelled(self, state: ChargeState) -> None:
        self._cancelling = False
        self.cancel_charge_button.setEnabled(True)
        if state.final is None:
            # Midtrans would not end it now; keep watching rather than leave it payable.
            self.charge_status.setText(state.message or "")
            self._tick.start()
        self._charge_answered(state)

    def _cancel_failed(self, exc: Exception) -> None:
        self._cancelling = False
        self.cancel_charge_button.setEnabled(True)
        self.charge_status.setText(describe_error(exc))
        self._poll_timer.start(POLL_MS)

    def _charge_failed(self, exc: Exception) -> None:
        # The sale was refused before any charge (check_sale), or the till broke: back.
        self._stop_charge_timers()
        self.pages.setCurrentIndex(0)
        self.say(describe_error(exc), error=True)
        QApplication.beep()
        self.given.setFocus()

    def _charge_ended(self, state: ChargeState) -> None:
        status = tr(f"money.pay.status.{state.final}") if state.final in (
            "expired", "cancelled", "denied", "failed", "not_sent", "rejected") else \
            str(state.final)
        text = tr("money.pay.ended", method=method_name(state.method), status=status)
        if state.message and state.final != "cancelled":
            text += f" ({state.message})"
        # The provider tender is dropped: the cashier takes cash or tries again.
        self.tenders = [t for t in self.tenders if t.method not in PROVIDER_METHODS]
        self._draw_tenders()
        self.charge = None
        self.pages.setCurrentIndex(0)
        self.say(text, error=True)
        self.given.setFocus()

    def _commit_charged(self) -> None:
        if self.charge is None or self._busy:
            return
        self.retry_button.hide()
        self.cancel_charge_button.setEnabled(False)
        self.charge_status.setText(tr("money.pay.paid_saving"))
        self._set_busy(True)
        backend, cart, tenders = self._backend, self.cart, self._final_tenders
        order_id = self.charge.order_id
        self._tasks.run_in_background(
            lambda: backend.complete_charged(cart, tenders, order_id), self._done,
            self._commit_failed, lane=Lane.WRITER, owner=self)

    def _commit_failed(self, exc: Exception) -> None:
        # Paid at Midtrans but not saved: the cashier retries (or, after a warning, leaves).
        self._set_busy(False)
        self._leave_armed = False
        self.charge_status.setText(describe_error(exc))
        self.retry_button.show()
        self.refused.emit(describe_error(exc))
        QApplication.beep()

    def _stop_charge_timers(self) -> None:
        self._poll_timer.stop()
        self._tick.stop()

    @property
    def charging(self) -> bool:
        return self.pages.currentIndex() == 1

    # --- closing ----------------------------------------------------------------------
    def reject(self) -> None:
        if self._busy:
            return  # a sale is being written: it finishes first
        if self.charging:
            if self.retry_button.isVisible():
                # Paid but not saved: leaving needs a second Esc, after reading what it
                # means (the paid charge stays on record for the sync panel).
                if not self._leave_armed:
                    self._leave_armed = True
                    self.charge_status.setText(self.charge_status.text() + "\n"
                                               + tr("money.pay.leave_paid"))
                    return
            else:
                self.cancel_charge()
                return
        self._stop_charge_timers()
        super().reject()

    # --- drawing ----------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)
        if error:
            self.refused.emit(text)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.ok, self.cancel_button, self.remove_button,
                       *self.quick_buttons.values()):
            button.setEnabled(not busy)
        self.given.setReadOnly(busy)
        online = self.payments is not None and self.payments.online
        self._set_provider_buttons(online)
        self._show_kasbon_note(None)
        self.method_buttons["edc"].setEnabled(not busy)
        self._update()

    def _update(self) -> None:
        left = self.remaining
        split = bool(self.tenders)
        self.remaining_caption.setVisible(split)
        self.remaining_label.setVisible(split)
        self.remaining_label.setText(rupiah(self.cash_due if left > 0 else 0))
        cash_due = self.cash_due
        self.exact_button.setText(tr("pay.exact") + f"\n{rupiah(cash_due)}")
        for amount, button in self.quick_buttons.items():
            if amount:
                button.setText(rupiah(amount))
            # Less than what is due cannot pay the sale: shown, but not pressable.
            button.setEnabled(not self._busy and left > 0 and (amount or cash_due) >= cash_due)
        given = self.amount()
        if left <= 0 or given is None:
            self.change_label.setText(rupiah(0))
            self.change_label.setStyleSheet("color: #1b5e20;")
            self.ok.setEnabled(not self._busy)
        elif given < cash_due:
            self.change_label.setText(tr("pay.short", amount=rupiah(cash_due - given)))
            self.change_label.setStyleSheet("color: #b00020;")
            self.ok.setEnabled(False)
        else:
            self.change_label.setText(rupiah(given - cash_due))
            self.change_label.setStyleSheet("color: #1b5e20;")
            self.ok.setEnabled(not self._busy)


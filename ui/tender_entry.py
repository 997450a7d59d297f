"""Tender entry: how the customer pays, typed at the till (the pay dialog's first page).

The cash path is unchanged: quick-tender buttons (exact, Rp 20.000, 50.000, 100.000) pay in
one touch; typing an amount and Enter does the same; the change is shown in very large type.

Split tender: type an amount and press a method (EDC F3, kasbon F4, QRIS F5, GoPay F6,
ShopeePay F7, VA F8) to take that part non-cash; a method pressed with the field empty takes
all that is left. What remains is shown and is paid in cash last (the cash part is rounded
to the store's unit and gives change), or by the non-cash tenders alone. Kasbon needs a
customer on the cart; QRIS, e-wallets and VA need payments online (the dialog says whether).

This widget only collects tenders: once they pay the sale (``core.settle``, pure, refuses a
wrong tender at once) it emits :attr:`TenderEntry.submitted`; the dialog pays.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from services.kasbon import KasbonBalance
from services.payments import PaymentsState
from services.tender import CASH, KASBON, PROVIDER_METHODS, TenderInput
from ui.backend_core import CoreBackend
from ui.i18n import rupiah, tr
from ui.widgets import font as _font

QUICK_TENDERS = (20_000, 50_000, 100_000)
VA_BANKS = ("va_bca", "va_bni", "va_bri", "va_permata")
#: The method buttons in their grid order; "va" takes the bank chosen beside it.
METHOD_KEYS = ("edc", KASBON, "qris", "gopay", "shopeepay", "va")
PROVIDER_KEYS = ("qris", "gopay", "shopeepay", "va")
_FKEYS = (Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5, Qt.Key.Key_F6, Qt.Key.Key_F7,
          Qt.Key.Key_F8)
_ERROR, _OK = "color: #b00020;", "color: #1b5e20;"


def method_name(method: str) -> str:
    return tr(f"money.method.{method}")


class TenderEntry(QWidget):
    #: The tenders pay the sale (value: list[TenderInput], cash last if any).
    submitted = Signal(object)
    #: A refusal is said here (value: its text).
    refused = Signal(str)

    def __init__(self, core: CoreBackend, total: int, *, has_customer: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self.total = total  # before cash rounding
        self._has_customer = has_customer
        self.tenders: list[TenderInput] = []  # the non-cash ones, in the order taken
        self._busy = False
        self._online = False

        due_caption = QLabel(tr("pay.due"))
        due_caption.setFont(_font(14))
        self.due_label = QLabel(rupiah(core.cash_due(total)))
        self.due_label.setObjectName("due")
        self.due_label.setFont(_font(30, bold=True))
        self.remaining_caption = QLabel(tr("money.pay.remaining"))
        self.remaining_caption.setFont(_font(14))
        self.remaining_label = _big_amount("remaining", 26)
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
        self.remove_button = _button(tr("money.pay.remove"), 48)
        self.remove_button.clicked.connect(self.remove_tender)

        quick = QGridLayout()
        self.quick_buttons: dict[int, QPushButton] = {}
        for i, amount in enumerate((0, *QUICK_TENDERS)):
            button = _button("", 72, size=16, bold=True)
            button.setMinimumWidth(150)
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
        for i, key in enumerate(METHOD_KEYS):
            button = _button(tr(f"money.pay.method.{key}"), 56, size=14, bold=True)
            button.setObjectName(f"method_{key}")
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
        self.change_label = _big_amount("change", 48)
        self.message = QLabel()
        self.message.setObjectName("payMessage")
        self.message.setWordWrap(True)
        self.message.setFont(_font(13, bold=True))

        self.ok = _button(tr("pay.confirm"), 56, size=16, bold=True)
        self.ok.setObjectName("payOk")
        self.ok.clicked.connect(self.confirm)
        self.cancel_button = _button(tr("pay.cancel"), 56, size=14)

        lay = QVBoxLayout(self)
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
        # The change in very large type, its caption beside it: one row, so the dialog
        # fits a 1366x768 screen with its title bar and a desktop panel.
        change_row = QHBoxLayout()
        change_row.addWidget(change_caption, 0, Qt.AlignmentFlag.AlignVCenter)
        change_row.addWidget(self.change_label, 1)
        lay.addLayout(change_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok, 1)
        lay.addLayout(buttons)

        # Window-wide keys while this page shows (a hidden page's shortcuts do not fire).
        for fkey, key in zip(_FKEYS, METHOD_KEYS, strict=True):
            QShortcut(QKeySequence(fkey), self, lambda k=key: self.take_method(k))
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self, self.remove_tender)
        self._draw_methods()
        self._update()

    # --- values -------------------------------------------------------------------------
    @property
    def exact_button(self) -> QPushButton:
        return self.quick_buttons[0]

    @property
    def remaining(self) -> int:
        """What is left after the non-cash tenders (exact, before cash rounding)."""
        return self.total - sum(t.amount for t in self.tenders)

    @property
    def cash_due(self) -> int:
        return self._core.cash_due(self.remaining) if self.remaining > 0 else 0

    def amount(self) -> int | None:
        digits = self.given.text().replace(".", "")
        return int(digits) if digits else None

    # --- what the dialog tells it -------------------------------------------------------
    def show_payments(self, state: PaymentsState) -> None:
        """Whether QRIS, e-wallets and VA can be taken now; when not, the reason."""
        self._online = state.online
        if state.online:
            self.provider_note.clear()
            self.provider_note.setToolTip("")
        else:
            self.provider_note.setText(tr(f"money.pay.offline.{state.reason}")
                                       if state.reason else tr("money.pay.offline.error",
                                                               error=state.detail or ""))
            self.provider_note.setToolTip(state.detail or "")
            self.provider_note.setStyleSheet(_ERROR)
        self._draw_methods()

    def show_kasbon(self, room: KasbonBalance) -> None:
        self.kasbon_note.setText(tr("money.pay.kasbon_room", name=room.name,
                                    balance=rupiah(room.balance),
                                    available=rupiah(room.available)))

    def set_busy(self, busy: bool) -> None:
        """A payment is on its way: nothing here can be pressed meanwhile."""
        self._busy = busy
        for button in (self.ok, self.cancel_button, self.remove_button):
            button.setEnabled(not busy)
        self.given.setReadOnly(busy)
        self._draw_methods()
        self._update()

    def drop_provider_tenders(self) -> None:
        """A provider charge ended unpaid: the cashier takes cash or tries again."""
        self.tenders = [t for t in self.tenders if t.method not in PROVIDER_METHODS]
        self._draw_tenders()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(_ERROR if error else _OK)
        self.message.setText(text)
        if error:
            self.refused.emit(text)

    # --- tendering ----------------------------------------------------------------------
    def take_method(self, key: str) -> None:
        """Take the typed amount (or all that is left) by a non-cash method."""
        if self._busy or not self.isVisible():
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
            self._submit(list(self.tenders))  # nothing left for cash: done in one press

    def take_tender(self, tender: TenderInput) -> None:
        """A tender decided in a dialog of its own (a member's points: ui/loyalty_redeem),
        taken like a method's; one of each such method (a second replaces the first)."""
        if self._busy:
            return
        others = [t for t in self.tenders if t.method != tender.method]
        left = self.total - sum(t.amount for t in others)
        if tender.amount <= 0 or tender.amount > left:
            self.say(tr("money.pay.too_much", left=rupiah(left)), error=True)
            return
        self.tenders = [*others, tender]
        self.given.clear()
        self.message.clear()
        self._draw_tenders()
        if self.remaining == 0:
            self._submit(list(self.tenders))

    def remove_tender(self) -> None:
        if self._busy or not self.isVisible() or not self.tenders:
            return
        row = self.tender_list.currentRow()
        self.tenders.pop(row if 0 <= row < len(self.tenders) else -1)
        self._draw_tenders()

    def confirm(self) -> None:
        """Enter: pay what is left in cash (the typed amount; empty means exact)."""
        if self._busy:
            return
        if self.remaining <= 0:
            self._submit(list(self.tenders))
            return
        amount = self.amount()
        self._take_cash(self.cash_due if amount is None else amount)

    def _quick(self, amount: int) -> None:
        self._take_cash(amount or self.cash_due)

    def _take_cash(self, amount: int) -> None:
        if self._busy or self.remaining <= 0 or amount < self.cash_due:
            return
        self._submit([*self.tenders, TenderInput(CASH, amount)])

    def _submit(self, tenders: list[TenderInput]) -> None:
        try:
            self._core.settle(self.total, tenders)  # pure: refuses a wrong tender now
        except ShopError as exc:
            self.say(exc.message, error=True)
            return
        self.submitted.emit(tenders)

    # --- drawing ----------------------------------------------------------------------
    def _draw_tenders(self) -> None:
        self.tender_list.clear()
        for t in self.tenders:
            self.tender_list.addItem(QListWidgetItem(f"{method_name(t.method)}   "
                                                     f"{rupiah(t.amount)}"))
        self._update()

    def _draw_methods(self) -> None:
        reason = self.provider_note.text()
        for key in PROVIDER_KEYS:
            button = self.method_buttons[key]
            button.setEnabled(self._online and not self._busy)
            button.setToolTip("" if self._online else reason)
        self.va_bank.setEnabled(self._online)
        self.method_buttons["edc"].setEnabled(not self._busy)
        kasbon = self.method_buttons[KASBON]
        if not self._has_customer:
            kasbon.setEnabled(False)
            self.kasbon_note.setText(tr("money.pay.kasbon_needs_customer"))
            kasbon.setToolTip(self.kasbon_note.text())
        else:
            kasbon.setEnabled(not self._busy)

    def _update(self) -> None:
        left = self.remaining
        split = bool(self.tenders)
        self.remaining_caption.setVisible(split)
        self.remaining_label.setVisible(split)
        cash_due = self.cash_due
        self.remaining_label.setText(rupiah(cash_due))
        self.exact_button.setText(tr("pay.exact") + f"\n{rupiah(cash_due)}")
        for amount, button in self.quick_buttons.items():
            if amount:
                button.setText(rupiah(amount))
            # Less than what is due cannot pay the sale: shown, but not pressable.
            button.setEnabled(not self._busy and left > 0 and (amount or cash_due) >= cash_due)
        given = self.amount()
        if left <= 0 or given is None:
            self.change_label.setText(rupiah(0))
            self.change_label.setStyleSheet(_OK)
            self.ok.setEnabled(not self._busy)
        elif given < cash_due:
            self.change_label.setText(tr("pay.short", amount=rupiah(cash_due - given)))
            self.change_label.setStyleSheet(_ERROR)
            self.ok.setEnabled(False)
        else:
            self.change_label.setText(rupiah(given - cash_due))
            self.change_label.setStyleSheet(_OK)
            self.ok.setEnabled(not self._busy)


def _button(text: str, height: int, *, size: int | None = None,
            bold: bool = False) -> QPushButton:
    """A touch-sized button that never takes the keyboard (Enter belongs to the amount)."""
    button = QPushButton(text)
    button.setMinimumHeight(height)
    if size is not None:
        button.setFont(_font(size, bold=bold))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    button.setDefault(False)
    return button


def _big_amount(name: str, size: int) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setFont(_font(size, bold=True))
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label

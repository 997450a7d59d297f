"""The till: scan, see the cart and totals, pay — the page that composes the till's parts.

The scan box has the keyboard focus after every action: keyboard-wedge scanners type the
code fast and press Enter, and a cashier must never have to click back into the box. So
every other control here is ``NoFocus`` (clicking it does not take the focus) and each
action ends in :meth:`TillPage.focus_scan`.

The parts, one job each:

* ``ui/scan_box.py`` — the scan box and search as you type;
* ``ui/till_cart.py`` — the sale being rung up: cart, price, customer, discount approvals;
* ``ui/cart_view.py`` — the cart's lines and the sale's customer, drawn;
* ``ui/cart_edits.py`` — weights and quantities (F4, F5/F6), discounts (F3 / Shift+F3,
  with a supervisor's PIN above the limit), the customer (F7 / Shift+F7);
* ``ui/cart_writes.py`` — voids (Del, Esc on an empty box; audited) and hold / resume
  (F8 / Shift+F8);
* ``ui/cart_promo.py`` — a promo code on the sale (Ctrl+P), checked by the shop, shown above
  the cart;
* ``ui/dialog_slot.py`` — one cart dialog at a time, the scan box's focus back after it;
* ``ui/totals_panel.py`` — the totals in large type and the last sale;
* ``ui/category_grid.py`` — categories and products as large buttons, for fingers;
* ``ui/till_money.py`` — paying (F9), the shift (F10), refunds (Ctrl+R); F11 reprints
  (``ui/receipt_printing.py``);
* ``ui/till_send.py`` — after a sale, its receipt by WhatsApp or email (Ctrl+K) and its
  parcel to a courier (Ctrl+J).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.cart import Cart, CartItem, PricedCart
from services.customer_card import CustomerCard
from services.errors import NotFound
from services.selling import SaleResult
from services.users import Actor
from ui.backend import TillBackend
from ui.cart_edits import CartEdits
from ui.cart_promo import CartPromo, PromoBadge
from ui.cart_view import CartTable, CustomerBadge
from ui.cart_writes import CartWrites
from ui.category_grid import CategoryGrid
from ui.dialog_slot import DialogSlot
from ui.i18n import tr
from ui.icons import icon
from ui.pay import PayDialog
from ui.scan_box import ScanBox
from ui.tasks import TaskManager, describe_error
from ui.till_cart import CartShown, TillCart
from ui.till_money import TillMoney
from ui.till_send import TillSend
from ui.totals_panel import TotalsPanel
from ui.widgets import font as _font

MESSAGE_MS = 6000
#: Between the right column's rows: with touch-sized buttons, the totals in large type and
#: the last sale's two lines, the column just fits a 1366x768 screen (tests/ui/test_till.py).
COLUMN_SPACING = 4
_WORDS = {"search": "till.search", "clear": "till.clear", "minus": "till.minus",
          "plus": "till.plus", "remove": "till.remove", "logout": "till.logout",
          "pay_cash": "money.till.pay", "shift": "money.till.shift",
          "refund": "money.till.refund", "reprint": "receipt.reprint_button",
          "qty": "cart.qty", "line_discount": "cart.line_discount",
          "order_discount": "cart.order_discount", "customer": "cart.customer",
          "hold": "cart.hold", "resume": "cart.resume", "promo": "promo.button"}


class TillPage(QWidget):
    logout_requested = Signal()
    #: The reprint button (F11): ui/receipt_printing.py reprints the last receipt.
    reprint_requested = Signal()
    #: The cart changed (value: the new PricedCart).
    cart_changed = Signal(object)
    #: A sale was committed (value: services.selling.SaleResult).
    sale_completed = Signal(object)
    #: A scan or search was answered, with or without a match (tests wait on it).
    scan_answered = Signal()
    search_answered = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend: TillBackend | None = None
        self._actor: Actor | None = None
        self.setObjectName("till")
        self.sale = TillCart(self)
        self.sale.changed.connect(self._cart_shown)

        # --- left: scan box, message, customer, search results, cart, category grid ----
        self.scan_box = ScanBox(tasks, self)
        self.scan_box.found.connect(self._item_found)
        self.scan_box.lookup_failed.connect(self._lookup_failed)
        self.scan_box.search_failed.connect(lambda exc: self.say(describe_error(exc),
                                                                 error=True))
        self.scan_box.scan_answered.connect(self.scan_answered)
        self.scan_box.search_answered.connect(self.search_answered)
        self.scan_box.escape_pressed.connect(self.escape)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setFont(_font(13, bold=True))
        self.message.setMinimumHeight(30)
        self.message.setWordWrap(True)  # a long reason (a printer's, say) is read whole
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.clear)
        self.customer = CustomerBadge()
        self.table = CartTable()
        self.table.itemSelectionChanged.connect(self.focus_scan)
        self.grid = CategoryGrid(tasks)
        self.grid.product_chosen.connect(self._grid_product)
        # After a sale: "Kirim struk" (Ctrl+K) and "Kirim paket" (Ctrl+J) beside the message.
        self.send = TillSend(tasks, self)
        self.send.focus_scan.connect(self.focus_scan)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.send.receipt_button)
        message_row.addWidget(self.send.parcel_button)
        left = QVBoxLayout()
        left.addWidget(self.scan_box.field)
        left.addLayout(message_row)
        left.addWidget(self.customer)
        self.promo_badge = PromoBadge()  # the sale's promo code and its discount
        left.addWidget(self.promo_badge)
        left.addWidget(self.scan_box.results)
        left.addWidget(self.table, 3)
        left.addWidget(self.grid, 2)

        self.dialogs = DialogSlot(self)
        self.dialogs.closed.connect(self.focus_scan)
        self.edits = CartEdits(tasks, self.sale, self.table, self.dialogs)
        self.writes = CartWrites(tasks, self.sale, self.table, self.dialogs)
        self.promo = CartPromo(tasks, self.sale, self.table, self.dialogs)
        for part in (self.edits, self.writes, self.promo):
            part.said.connect(lambda text, error: self.say(text, error=error))
            part.focus_scan.connect(self.focus_scan)
        self.money = TillMoney(tasks, self.sale, self)
        self.money.said.connect(lambda text, error: self.say(text, error=error))
        self.money.focus_scan.connect(self.focus_scan)
        self.money.sale_completed.connect(self._sale_done)

        # --- right: totals in large type, then the action buttons ---------------------
        self.totals = TotalsPanel(self)
        self.buttons: dict[str, QPushButton] = {}
        # A promo code (Ctrl+P) beside the message: the message line's height, nothing moves.
        promo = self._button("promo", self.promo.enter_code, 30, _font(11))
        promo.setFixedHeight(30)
        message_row.addWidget(promo, 0, Qt.AlignmentFlag.AlignTop)  # a long message wraps
        edits, writes, money = self.edits, self.writes, self.money
        grid = QGridLayout()
        grid.setSpacing(COLUMN_SPACING)
        for key, slot, r, c, span in (
                ("search", self.start_search, 0, 0, 1), ("clear", self.escape, 0, 1, 1),
                ("minus", lambda: edits.change_qty(-1), 1, 0, 1),
                ("plus", lambda: edits.change_qty(+1), 1, 1, 1),
                ("remove", writes.remove_line, 2, 0, 1), ("logout", self.logout, 2, 1, 1),
                ("pay_cash", self.pay_cash, 3, 0, 2)):
            grid.addWidget(self._button(key, slot, 48, _font(14, bold=key == "pay_cash")),
                           r, c, 1, span)
        self.buttons["pay_cash"].setMinimumHeight(64)
        self.buttons["pay_cash"].setIcon(icon("pay"))
        self.buttons["pay_cash"].setStyleSheet(
            "QPushButton { background: #1b7f3b; color: white; font-size: 20px; "
            "border-radius: 6px; } QPushButton:disabled { background: #9fbfa8; }")
        cart_grid = QGridLayout()
        cart_grid.setSpacing(COLUMN_SPACING)
        for key, slot, r, c in (
                ("qty", edits.edit_qty, 0, 0), ("line_discount", edits.line_discount, 0, 1),
                ("order_discount", edits.order_discount, 0, 2),
                ("customer", edits.choose_customer, 1, 0), ("hold", writes.hold, 1, 1),
                ("resume", writes.resume, 1, 2),
                ("shift", money.shift, 2, 0), ("refund", money.refund, 2, 1),
                ("reprint", self.reprint_requested.emit, 2, 2)):
            cart_grid.addWidget(self._button(key, slot, 48, _font(11)), r, c)

        right = QVBoxLayout()
        right.setSpacing(COLUMN_SPACING)
        right.setContentsMargins(8, 0, 0, 0)  # the page's own margins are around it
        self.totals.place(right)
        right.addStretch(1)
        right.addLayout(cart_grid)
        right.addLayout(grid)
        right_widget = QWidget()
        right_widget.setLayout(right)
        right_widget.setFixedWidth(430)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.addLayout(left, 1)
        outer.addWidget(right_widget)

        # Keys work wherever the focus is within the till (it is in the scan box anyway).
        for keys, action in (
                ("F2", self.start_search), ("F9", self.pay_cash),
                ("F5", lambda: edits.change_qty(-1)), ("F6", lambda: edits.change_qty(+1)),
                ("Del", writes.remove_line), ("F12", self.logout),
                ("F10", money.shift), ("Ctrl+R", money.refund),
                ("F3", edits.line_discount), ("Shift+F3", edits.order_discount),
                ("F4", edits.edit_qty), ("F7", edits.choose_customer),
                ("Shift+F7", edits.detach_customer), ("F8", writes.hold),
                ("Shift+F8", writes.resume), ("Ctrl+P", self.promo.enter_code)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self.retranslate()

    def _button(self, key: str, slot: Callable[[], object], height: int,
                font: QFont) -> QPushButton:
        button = QPushButton()
        button.setObjectName(key)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(height)  # touch-sized, and the column fits 1366x768
        button.setFont(font)
        button.clicked.connect(slot)
        self.buttons[key] = button
        return button

    # --- life cycle -------------------------------------------------------------------
    def attach(self, backend: TillBackend) -> None:
        self._backend = backend
        self.sale.attach(backend.core)
        self.scan_box.attach(backend.core)
        self.edits.attach(backend)
        self.writes.attach(backend)
        self.promo.attach(backend)
        self.money.attach(backend)
        self.grid.attach(backend)
        self.send.attach(backend)

    def start(self, actor: Actor) -> None:
        """A cashier logged in: an empty cart and the scan box ready."""
        self._actor = actor
        self.totals.clear_sale()
        self.send.forget()
        self.grid.load()
        self.retranslate()
        self.sale.start_over()
        self.focus_scan()
        self.money.check_shift()

    # --- what others read -------------------------------------------------------------
    @property
    def scan(self) -> QLineEdit:
        return self.scan_box.field

    @property
    def results(self) -> QListWidget:
        return self.scan_box.results

    @property
    def cart(self) -> Cart:
        return self.sale.cart

    @property
    def priced(self) -> PricedCart | None:
        return self.sale.priced

    @property
    def customer_card(self) -> CustomerCard | None:
        return self.sale.customer

    @property
    def cart_dialog(self) -> QDialog | None:
        """The cart's dialog while one is open (tests)."""
        return self.dialogs.dialog

    @property
    def pay_dialog(self) -> PayDialog | None:
        return self.money.pay_dialog

    @property
    def money_dialog(self) -> QDialog | None:
        """The refund or shift dialog, while one is open (tests)."""
        return self.money.money_dialog

    @property
    def shift_open(self) -> bool | None:
        return self.money.shift_open

    def focus_scan(self) -> None:
        self.scan_box.focus()

    def retranslate(self) -> None:
        self.scan_box.retranslate()
        for key, msg in _WORDS.items():
            self.buttons[key].setText(tr(msg))
        self.grid.retranslate()
        self.send.retranslate()
        self.table.retranslate()
        self.totals.retranslate(self._actor)
        self.sale.show()

    # --- scanning -----------------------------------------------------------------------
    def add_code(self, code: str) -> None:
        """Look ``code`` up (barcode or SKU) on the writer lane and add one of it."""
        self.scan_box.add_code(code)

    def start_search(self) -> None:
        """F2: search for what is in the box now (the box is the search field)."""
        self.scan_box.start_search()

    def _item_found(self, item: CartItem) -> None:
        self.edits.scanned(item)

    def _lookup_failed(self, code: str, exc: Exception) -> None:
        if isinstance(exc, NotFound):
            self.say(tr("till.unknown", code=code), error=True)
        else:
            self.say(describe_error(exc), error=True)
        # A beep: the cashier is looking at the customer, not the screen.
        QApplication.beep()
        self.focus_scan()

    def _grid_product(self, sku: str) -> None:
        self.add_code(sku)
        self.focus_scan()

    def escape(self) -> None:
        """Esc: first clears what is typed (and the results); pressed again, the cart
        (a void of every line: audited, maybe a supervisor's PIN)."""
        if self.scan_box.has_typing():
            self.scan_box.clear()
            self.focus_scan()
        else:
            self.writes.void_cart()

    def logout(self) -> None:
        self.logout_requested.emit()

    # --- paying -------------------------------------------------------------------------
    def pay_cash(self) -> None:
        """F9: the pay dialog (cash, split tender, kasbon, EDC, QRIS/VA/e-wallet)."""
        self.money.pay()

    def _sale_done(self, result: SaleResult) -> None:
        self.totals.show_sale(result)
        self.send.sale_done(result)
        self.sale_completed.emit(result)

    # --- drawing ------------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        """A non-blocking message above the cart; it fades after a few seconds."""
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)
        self._message_timer.start(MESSAGE_MS)

    def _cart_shown(self, shown: CartShown) -> None:
        priced = shown.priced
        self.table.draw(priced, select_line=shown.select_line,
                        select_product=shown.select_product)
        due = self._backend.core.cash_due(priced.total) \
            if self._backend is not None and priced is not None else 0
        self.totals.draw(priced, due)
        self.customer.draw(self.sale.customer)
        self.promo_badge.draw(priced)
        self.buttons["pay_cash"].setEnabled(priced is not None and bool(priced.lines))
        if priced is not None:
            self.cart_changed.emit(priced)

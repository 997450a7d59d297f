"""The till: scan, see the cart and totals, pay cash.

The scan box has the keyboard focus after every action: keyboard-wedge scanners type the
code fast and press Enter, and a cashier must never have to click back into the box. So
every other control here is ``NoFocus`` (clicking it does not take the focus) and each
action ends in :meth:`TillPage.focus_scan`.

Lookups and the sale go to the DB-writer lane, a single FIFO worker: scans land in the cart
in the order they were made, and a scan made while a sale is being committed lands after
that sale, in the next customer's cart. Search as you type runs on the pool and drops
answers to queries that are no longer the current text.

The cart is an immutable value (services.cart); pricing it is pure value code, done here on
the main thread.

The cart area (``ui/till_cart_area.py``, which TillPage inherits; one dialog at a time,
each giving the scan box back when it closes):
weighed items ask for their weight (``ui/weight_dialog.py``), F4 types a line's quantity,
F3 / Shift+F3 give a line / order discount (``ui/discount_dialog.py``), F7 / Shift+F7
attach / detach the customer (``ui/customer_dialog.py``), F8 / Shift+F8 hold / resume a
cart (``ui/held_dialog.py``), the category grid (``ui/category_grid.py``) is for fingers.
Del and Esc-on-a-cart are audited voids (services.voids); whatever needs a supervisor (a
void when the shop says so, a discount above the limit) asks for a PIN in
``ui/supervisor_pin.py``. F9 (pay), F10 (shift), F11 (reprint) and Ctrl+R (refund) belong
to the paying section.
"""

from __future__ import annotations


from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.cart import Cart, CartItem, PricedCart
from services.errors import NotFound
from ui.backend import Cashier, Hit, SaleDone, TillBackend
from ui.backend_cart import (
    CustomerCard,
)
from ui.category_grid import CategoryGrid
from ui.weight_dialog import format_quantity
from ui.icons import icon
from ui.i18n import rupiah, tr
from ui.backend_money import ShiftState
from ui.pay import PayDialog
from ui.refund_dialog import RefundDialog
from ui.shift_dialog import ShiftDialog
from ui.tasks import Lane, TaskManager, describe_error
from ui.till_cart_area import CartArea
from ui.widgets import font as _font

SEARCH_DELAY_MS = 150  # a scanner finishes (Enter) well within this; a person pauses longer
SEARCH_MIN_CHARS = 2
MESSAGE_MS = 6000


class TillPage(CartArea, QWidget):
    logout_requested = Signal()
    #: The reprint button (F11): ui/receipt_printing.py reprints the last receipt.
    reprint_requested = Signal()
    #: The cart changed (value: the new PricedCart).
    cart_changed = Signal(object)
    #: A sale was committed (value: SaleDone).
    sale_completed = Signal(object)
    #: A scan or search was answered, with or without a match (tests wait on it).
    scan_answered = Signal()
    search_answered = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend: TillBackend | None = None
        self._actor: Cashier | None = None
        self._cart = Cart()
        self._priced: PricedCart | None = None
        self._saving = False
        self._search_seq = 0
        self._pay_dialog: PayDialog | None = None
        self.shift_open: bool | None = None
        self._customer: CustomerCard | None = None  # the sale's customer, as shown
        self._cart_dialog: QDialog | None = None  # the cart area's open dialog
        self._cart_busy = False  # a void, hold or resume is on its way
        self._weigh_queue: list[CartItem] = []  # weighed items waiting for their weight
        self.setObjectName("till")

        # --- left: scan box, message, search results, cart ---------------------------
        self.scan = QLineEdit()
        self.scan.setObjectName("scan")
        self.scan.setFont(_font(20))
        self.scan.setMinimumHeight(52)
        self.scan.returnPressed.connect(self._scan_entered)
        self.scan.textEdited.connect(self._text_edited)
        self.scan.installEventFilter(self)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setFont(_font(13, bold=True))
        self.message.setMinimumHeight(30)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.clear)
        self.results = QListWidget()
        self.results.setObjectName("results")
        self.results.setFont(_font(14))
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setMaximumHeight(220)
        self.results.itemClicked.connect(self._hit_clicked)
        self.results.hide()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("cart")
        self.table.setFont(_font(14))
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setAlternatingRowColors(True)
        # Amounts need air between columns to be read at a glance.
        self.table.setStyleSheet("QTableWidget::item { padding: 0 10px; }")
        self.table.horizontalHeader().setFont(_font(13, bold=True))  # the sheet resets it
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self.focus_scan)

        self.customer = QLabel()
        self.customer.setObjectName("customer")
        self.customer.setFont(_font(13, bold=True))
        self.customer.setWordWrap(True)
        self.customer.setStyleSheet("QLabel { color: #12355b; background: #e3ecf7; "
                                    "border-radius: 4px; padding: 4px 8px; }")
        self.customer.hide()
        left = QVBoxLayout()
        left.addWidget(self.scan)
        left.addWidget(self.message)
        left.addWidget(self.customer)
        left.addWidget(self.results)
        left.addWidget(self.table, 3)
        # Touch: categories, then a category's products, as large buttons.
        self.grid = CategoryGrid(tasks)
        self.grid.product_chosen.connect(self._grid_product)
        left.addWidget(self.grid, 2)

        # --- right: totals in large type, then the action buttons ---------------------
        self.cashier = QLabel()
        self.cashier.setFont(_font(12))
        self._captions: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        totals = QGridLayout()
        for row, key in enumerate(("subtotal", "discount", "tax", "rounding")):
            caption, value = QLabel(), QLabel()
            caption.setFont(_font(15))
            value.setFont(_font(17, bold=True))
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setObjectName(f"total_{key}")
            totals.addWidget(caption, row, 0)
            totals.addWidget(value, row, 1)
            self._captions[key], self._values[key] = caption, value
        self.total_caption = QLabel()
        self.total_caption.setFont(_font(18, bold=True))
        self.total = QLabel()
        self.total.setObjectName("total")
        self.total.setFont(_font(40, bold=True))
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        total_box = QFrame()
        total_box.setObjectName("totalBox")
        total_box.setStyleSheet("#totalBox { background: #12355b; border-radius: 8px; }"
                                "#totalBox QLabel { color: white; }")
        tb = QVBoxLayout(total_box)
        tb.addWidget(self.total_caption)
        tb.addWidget(self.total)
        self.last_sale = QLabel()
        self.last_sale.setObjectName("lastSale")
        self.last_sale.setFont(_font(18, bold=True))
        self.last_sale.setWordWrap(True)
        self.last_sale.setStyleSheet("color: #1b5e20;")

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        specs = (("search", self.start_search, 0, 0, 1), ("clear", self.escape, 0, 1, 1),
                 ("minus", lambda: self.change_qty(-1), 1, 0, 1),
                 ("plus", lambda: self.change_qty(+1), 1, 1, 1),
                 ("remove", self.remove_line, 2, 0, 1), ("logout", self.logout, 2, 1, 1),
                 ("pay_cash", self.pay_cash, 3, 0, 2))
        for key, slot, r, c, span in specs:
            button = QPushButton()
            button.setObjectName(key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(48)  # touch-sized, and the column fits 1366x768
            button.setFont(_font(14, bold=key == "pay_cash"))
            button.clicked.connect(slot)
            grid.addWidget(button, r, c, 1, span)
            self.buttons[key] = button
        self.buttons["pay_cash"].setMinimumHeight(64)
        self.buttons["pay_cash"].setIcon(icon("pay"))
        self.buttons["pay_cash"].setStyleSheet(
            "QPushButton { background: #1b7f3b; color: white; font-size: 20px; "
            "border-radius: 6px; } QPushButton:disabled { background: #9fbfa8; }")

        cart_grid = QGridLayout()
        cart_specs = (("qty", self.edit_qty, 0, 0), ("line_discount", self.line_discount, 0, 1),
                      ("order_discount", self.order_discount, 0, 2),
                      ("customer", self.choose_customer, 1, 0), ("hold", self.hold, 1, 1),
                      ("resume", self.resume, 1, 2),
                      # Money at the till: shift, refund, reprint (their dialogs are
                      # ui/shift_dialog.py, ui/refund_dialog.py, ui/receipt_printing.py).
                      ("shift", self.shift, 2, 0), ("refund", self.refund, 2, 1),
                      ("reprint", self.reprint_requested.emit, 2, 2))
        for key, slot, r, c in cart_specs:
            button = QPushButton()
            button.setObjectName(key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(48)
            button.setFont(_font(11))
            button.clicked.connect(slot)
            cart_grid.addWidget(button, r, c)
            self.buttons[key] = button

        right = QVBoxLayout()
        right.addWidget(self.cashier)
        right.addLayout(totals)
        right.addWidget(total_box)
        right.addWidget(self.last_sale)
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

        # F-keys work wherever the focus is within the till (it is in the scan box anyway).
        for fkey, action in ((Qt.Key.Key_F2, self.start_search), (Qt.Key.Key_F9, self.pay_cash),
                          (Qt.Key.Key_F5, lambda: self.change_qty(-1)),
                          (Qt.Key.Key_F6, lambda: self.change_qty(+1)),
                          (Qt.Key.Key_Delete, self.remove_line),
                          (Qt.Key.Key_F12, self.logout)):
            shortcut = QShortcut(QKeySequence(fkey), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self._install_money_keys()  # F10 shift, Ctrl+R refund (the paying section)
        for keys, action in (("F3", self.line_discount), ("Shift+F3", self.order_discount),
                             ("F4", self.edit_qty), ("F7", self.choose_customer),
                             ("Shift+F7", self.detach_customer), ("F8", self.hold),
                             ("Shift+F8", self.resume)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self.retranslate()
        self._show_cart()

    # --- life cycle -------------------------------------------------------------------
    def attach(self, backend: TillBackend) -> None:
        self._backend = backend
        self.grid.attach(backend)

    def start(self, actor: Cashier) -> None:
        """A cashier logged in: an empty cart and the scan box ready."""
        self._actor = actor
        self._cart = Cart()
        self._customer = None
        self.last_sale.clear()
        self.grid.load()
        self.message.clear()
        self._show_cart()
        self.retranslate()
        self.focus_scan()
        self.check_shift()

    @property
    def cart(self) -> Cart:
        return self._cart

    @property
    def priced(self) -> PricedCart | None:
        return self._priced

    def focus_scan(self) -> None:
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.scan.setPlaceholderText(tr("till.scan_placeholder"))
        labels = {"search": "till.search", "clear": "till.clear", "minus": "till.minus",
                  "plus": "till.plus", "remove": "till.remove", "logout": "till.logout",
                  "pay_cash": "money.till.pay", "shift": "money.till.shift",
                  "refund": "money.till.refund", "reprint": "receipt.reprint_button"}
        labels.update({"qty": "cart.qty", "line_discount": "cart.line_discount",
                       "order_discount": "cart.order_discount", "customer": "cart.customer",
                       "hold": "cart.hold", "resume": "cart.resume"})
        for key, msg in labels.items():
            self.buttons[key].setText(tr(msg))
        self.grid.retranslate()
        self.table.setHorizontalHeaderLabels([tr("till.col.item"), tr("till.col.qty"),
                                              tr("till.col.price"), tr("till.col.total")])
        for key in ("subtotal", "discount", "tax", "rounding"):
            self._captions[key].setText(tr("till." + key))
        self.total_caption.setText(tr("till.total"))
        if self._actor is not None:
            self.cashier.setText(tr("till.cashier", name=self._actor.name,
                                    role=tr("role." + self._actor.role)))
        self._show_cart()

    # --- scanning and searching -------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the scan box move through the search results; the focus stays put.
        if (watched is self.scan and event.type() == QEvent.Type.ShortcutOverride
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Delete
                and not self.scan.text()):
            # An empty box has nothing to delete: Del is the till's "remove line" key
            # (left unaccepted, the override lets the shortcut fire).
            return True
        if watched is self.scan and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.isVisible():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
            if key == Qt.Key.Key_Escape:
                self.escape()
                return True
        return super().eventFilter(watched, event)

    def _scan_entered(self) -> None:
        text = self.scan.text().strip()
        self._search_timer.stop()
        chosen = self.results.currentItem() if self.results.isVisible() else None
        # Read before the list is cleared: clearing deletes its items.
        hit = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.scan.clear()
        self._hide_results()
        if isinstance(hit, Hit):
            # The cashier picked a search result with the arrow keys, then Enter.
            self.add_code(hit.sku)
        elif text:
            self.add_code(text)
        self.focus_scan()

    def add_code(self, code: str) -> None:
        """Look ``code`` up (barcode or SKU) on the writer lane and add one of it."""
        if self._backend is None:
            return
        backend = self._backend
        self._tasks.run_in_background(lambda: backend.lookup(code), self._item_found,
                                      lambda exc: self._lookup_failed(code, exc),
                                      lane=Lane.WRITER, owner=self)

    def _item_found(self, item: CartItem) -> None:
        if self._backend is not None and self._backend.is_weighed(item.unit):
            # Weighed (kg, liter...): the cashier types what the scale shows.
            self._ask_weight(item)
            self.scan_answered.emit()
            return
        self._cart = self._cart.add(item, 1000)
        self._show_cart(select_product=item.product_id)
        self.say(tr("till.added", name=item.name))
        self.scan_answered.emit()
        self.focus_scan()

    def _lookup_failed(self, code: str, exc: Exception) -> None:
        if isinstance(exc, NotFound):
            self.say(tr("till.unknown", code=code), error=True)
        else:
            self.say(describe_error(exc), error=True)
        # A beep: the cashier is looking at the customer, not the screen.
        QApplication.beep()
        self.scan_answered.emit()
        self.focus_scan()

    def _text_edited(self, text: str) -> None:
        if len(text.strip()) >= SEARCH_MIN_CHARS:
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self._hide_results()

    def start_search(self) -> None:
        """F2: search for what is in the box now (the box is the search field)."""
        self.focus_scan()
        self.scan.selectAll()
        if len(self.scan.text().strip()) >= SEARCH_MIN_CHARS:
            self._search_now()

    def _search_now(self) -> None:
        if self._backend is None:
            return
        query = self.scan.text().strip()
        if len(query) < SEARCH_MIN_CHARS:
            return
        self._search_seq += 1
        seq = self._search_seq
        backend = self._backend
        self._tasks.run_in_background(lambda: backend.search(query),
                                      lambda hits: self._show_hits(seq, hits),
                                      lambda exc: self.say(describe_error(exc), error=True),
                                      lane=Lane.POOL, owner=self)

    def _show_hits(self, seq: int, hits: list[Hit]) -> None:
        if seq != self._search_seq or not self.scan.text().strip():
            return  # an answer to a query the cashier has typed past (or scanned away)
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.name}   ·   {hit.sku}   ·   {rupiah(hit.price)}"
                                   f" / {hit.unit}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        if not hits:
            self.results.addItem(QListWidgetItem(tr("till.no_results")))
        self.results.setCurrentRow(-1)  # Enter still means "the code in the box"
        self.results.show()
        self.search_answered.emit()

    def _hit_clicked(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(hit, Hit):
            self.scan.clear()
            self._hide_results()
            self.add_code(hit.sku)
        self.focus_scan()

    def _hide_results(self) -> None:
        self._search_seq += 1  # answers still on their way are now stale
        self.results.clear()
        self.results.hide()

    # --- cart edits (pure value code, on the main thread) ------------------------------
    def selected_line_no(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            item = self.table.item(rows[0].row(), 0)
            if item is not None:
                return int(item.data(Qt.ItemDataRole.UserRole))
        return self._cart.lines[-1].line_no if self._cart.lines else None

    def change_qty(self, step: int) -> None:
        line_no = self.selected_line_no()
        if line_no is None or self._saving:
            self.focus_scan()
            return
        line = next(x for x in self._cart.lines if x.line_no == line_no)
        if self._backend is not None and self._backend.is_weighed(line.item.unit):
            self.edit_qty()  # +/- 1 kg makes no sense: ask for the weight
            return
        qty = line.qty_milli + step * 1000
        if qty >= 1000:  # below one, the cashier removes the line (Del): a deliberate act
            self._cart = self._cart.set_qty(line_no, qty)
            self._show_cart(select_line=line_no)
        self.focus_scan()

    def remove_line(self) -> None:
        """Del: void the selected line (audited; a supervisor's PIN when the shop says so)."""
        line_no = self.selected_line_no()
        if line_no is None or self._saving or self._backend is None or self._cart_busy:
            self.focus_scan()
            return
        line = next(x for x in self._cart.lines if x.line_no == line_no)
        backend, cart = self._backend, self._cart
        self._cart_busy = True
        self._tasks.run_in_background(
            lambda: backend.void_line(cart, line_no),
            lambda _cart: self._line_voided(line_no, line.item.name),
            lambda exc: self._void_refused(
                exc, tr("cart.void_what", name=line.item.name),
                lambda a: backend.void_line(cart, line_no, a),
                lambda _cart: self._line_voided(line_no, line.item.name)),
            lane=Lane.WRITER, owner=self)
        self.focus_scan()

    def escape(self) -> None:
        """Esc: first clears what is typed (and the results); pressed again, the cart."""
        if self.scan.text() or self.results.isVisible():
            self.scan.clear()
            self._hide_results()
        elif self._cart.lines and not self._saving and not self._cart_busy \
                and self._backend is not None:
            # Clearing a cart is a void of every line: audited, maybe a supervisor's PIN.
            backend, cart = self._backend, self._cart
            what = tr("cart.void_cart_what", count=len(cart.lines),
                      amount=rupiah(self._priced.total if self._priced else 0))
            self._cart_busy = True
            self._tasks.run_in_background(
                lambda: backend.void_cart(cart), lambda _c: self._cart_voided(cart),
                lambda exc: self._void_refused(exc, what, lambda a: backend.void_cart(cart, a),
                                               lambda _c: self._cart_voided(cart)),
                lane=Lane.WRITER, owner=self)
        self.focus_scan()

    def logout(self) -> None:
        if not self._saving:
            self.logout_requested.emit()

    # --- paying -----------------------------------------------------------------------
    def pay_cash(self) -> None:
        """F9: the pay dialog (cash, split tender, kasbon, EDC, QRIS/VA/e-wallet). It
        commits the sale itself and hands the SaleDone back to :meth:`_sale_done`."""
        if self._backend is None or self._saving or self._pay_dialog is not None:
            return
        if not self._cart.lines or self._priced is None:
            self.say(tr("till.empty_cart"), error=True)
            self.focus_scan()
            return
        cart = self._cart
        dialog = PayDialog(self._backend, self._tasks, cart, self._priced.total, self)
        dialog.paid.connect(lambda result: self._sale_done(cart, result))
        dialog.finished.connect(lambda _result: self._pay_closed(dialog))
        self._pay_dialog = dialog
        dialog.open()

    @property
    def pay_dialog(self) -> PayDialog | None:
        return self._pay_dialog

    def _pay_closed(self, dialog: QDialog) -> None:
        if self._pay_dialog is dialog:
            self._pay_dialog = None
        if self._money_dialog is dialog:
            self._money_dialog = None
        dialog.deleteLater()
        # The dialog had the keyboard; give it back to the till's window and scan box.
        self.window().activateWindow()
        self.focus_scan()

    #: The refund or shift dialog while one is open.
    _money_dialog: QDialog | None = None

    def _install_money_keys(self) -> None:
        for keys, action in (("F10", self.shift), ("Ctrl+R", self.refund)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    @property
    def money_dialog(self) -> QDialog | None:
        """The refund or shift dialog, while one is open (tests)."""
        return self._money_dialog

    def refund(self) -> None:
        """Ctrl+R: refund by receipt number, with a supervisor's PIN."""
        if self._backend is None or self._saving or self._money_dialog is not None:
            return
        self._open_money_dialog(RefundDialog(self._backend, self._tasks, self))

    def shift(self) -> None:
        """F10: open a shift with a float, cash in/out, X report, close with a count."""
        if self._backend is None or self._saving or self._money_dialog is not None:
            return
        dialog = ShiftDialog(self._backend, self._tasks, self)
        dialog.shift_changed.connect(self._shift_known)
        self._open_money_dialog(dialog)

    def _open_money_dialog(self, dialog: QDialog) -> None:
        dialog.finished.connect(lambda _result: self._pay_closed(dialog))
        self._money_dialog = dialog
        dialog.open()

    def check_shift(self) -> None:
        """Say so when no shift is open on this till (sales need one)."""
        if self._backend is None:
            return
        self._tasks.run_in_background(self._backend.shift_state, self._shift_known,
                                      lambda exc: None, lane=Lane.POOL, owner=self)

    def _shift_known(self, state: ShiftState) -> None:
        self.shift_open = state.open
        if not state.open:
            self.say(tr("money.till.no_shift"), error=True)

    def _sale_done(self, paid: Cart, result: SaleDone) -> None:
        self._set_saving(False)
        # Scans made while saving were queued behind the sale on the writer lane, so
        # nothing was added to the paid cart meanwhile; start the next customer's cart.
        if self._cart is paid:
            self._cart = Cart()
        self._show_cart()
        self.last_sale.setText(f"{tr('pay.change')}: {rupiah(result.change)}\n"
                               f"{result.receipt_no}")
        self.say(tr("till.sale_done", receipt=result.receipt_no,
                    change=rupiah(result.change)))
        self.sale_completed.emit(result)
        self.focus_scan()

    def _sale_failed(self, exc: Exception) -> None:
        # Nothing was written: the cart stays as it was, and the cashier reads why.
        self._set_saving(False)
        self.say(describe_error(exc), error=True)
        QApplication.beep()
        self.focus_scan()

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        for key in ("pay_cash", "clear", "minus", "plus", "remove", "logout"):
            self.buttons[key].setEnabled(not saving)

    # --- drawing ----------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        """A non-blocking message above the cart; it fades after a few seconds."""
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)
        self._message_timer.start(MESSAGE_MS)

    def _show_cart(self, *, select_line: int | None = None,
                   select_product: str | None = None) -> None:
        if self._backend is None:
            self._priced = None
            self._draw_totals(None)
            return
        priced = self._backend.price(self._cart)
        self._priced = priced
        self.table.setRowCount(len(priced.lines))
        select_row = None
        for row, p in enumerate(priced.lines):
            line = p.line
            label = line.item.name
            if p.line_discount:
                label += "   (" + tr("cart.disc_suffix", amount=rupiah(-p.line_discount)) + ")"
            name = QTableWidgetItem(label)
            name.setData(Qt.ItemDataRole.UserRole, line.line_no)
            qty = QTableWidgetItem(f"{format_quantity(line.qty_milli)} "
                                   f"{'' if line.item.unit == 'pcs' else line.item.unit}"
                                   .strip())
            price = QTableWidgetItem(rupiah(line.unit_price))
            gross = QTableWidgetItem(rupiah(p.gross))
            for cell in (qty, price, gross):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            for col, cell in enumerate((name, qty, price, gross)):
                self.table.setItem(row, col, cell)
            if line.line_no == select_line or line.item.product_id == select_product:
                select_row = row
        if select_row is not None:
            self.table.selectRow(select_row)
            self.table.scrollTo(self.table.model().index(select_row, 0))
        elif not priced.lines:
            self.table.clearSelection()
        self._draw_totals(priced)
        if self._cart.customer_id is None:
            self._customer = None
        self._draw_customer()
        self.buttons["pay_cash"].setEnabled(bool(priced.lines) and not self._saving)
        self.cart_changed.emit(priced)

    def _draw_totals(self, priced: PricedCart | None) -> None:
        if priced is None or self._backend is None:
            for value in self._values.values():
                value.setText(rupiah(0))
            self.total.setText(rupiah(0))
            return
        due = self._backend.cash_due(priced.total)
        self._values["subtotal"].setText(rupiah(priced.subtotal))
        self._values["discount"].setText(rupiah(-priced.discount_total)
                                         if priced.discount_total else rupiah(0))
        self._values["tax"].setText(rupiah(priced.tax_total))
        # PPN included in the prices (the usual case in a warung) is said so, so nobody
        # adds it to the subtotal in their head.
        included = priced.total == priced.subtotal - priced.discount_total
        self._captions["tax"].setText(tr("till.tax_included") if included and priced.tax_total
                                      else tr("till.tax"))
        self._values["rounding"].setText(rupiah(due - priced.total))
        self.total.setText(rupiah(due))

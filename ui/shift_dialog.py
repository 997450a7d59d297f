"""The shift (F10 at the till): open with a float, cash in/out, X report, close with a count.

* No shift open: the float counted into the drawer, Enter opens the shift.
* A shift open: cash put in or taken out (amount and reason), the X report (figures so far,
  nothing closed), or the count: one row per rupiah note and coin (Rp 100.000 ... Rp 100)
  with the count and its value, the running total, what the drawer should hold and the
  difference; closing commits the Z report, shown here and offered for printing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import (
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QRegularExpressionValidator,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from services.selling import Approval
from services.shifts import ShiftReport, ShiftState
from ui.backend import TillBackend
from ui.backend_money import PrintResult
from ui.i18n import method_name, number, rupiah, signed_rupiah, tr, when
from ui.supervisor_pin import SupervisorPinDialog
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font

if TYPE_CHECKING:
    from services.expenses import CategoryView

T = TypeVar("T")

#: Characters per line of a printed report (a 58 mm roll prints 32).
REPORT_WIDTH = 32


COINS = frozenset({100, 200, 500})  # (Rp 1.000 is both a coin and a note: one row)


class ShiftDialog(QDialog):
    #: What is known of the shift (value: services.shifts.ShiftState), after loading, opening or closing.
    shift_changed = Signal(object)
    #: An X or Z report is on screen (value: services.shifts.ShiftReport).
    report_shown = Signal(object)
    #: Cash was moved in or out (value: the kind).
    cash_moved = Signal(str)
    #: A refusal is shown (value: its text).
    refused = Signal(str)
    #: The report was printed.
    printed = Signal()

    def __init__(self, backend: TillBackend, tasks: TaskManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._tasks = tasks
        self.state: ShiftState | None = None
        self.report: ShiftReport | None = None
        self.pin_dialog: SupervisorPinDialog | None = None  # a large cash out's
        self.expected: int | None = None
        self._busy = False
        self.setObjectName("shift")
        self.setWindowTitle(tr("money.shift.title"))
        self.setModal(True)

        self.info = QLabel(tr("money.shift.loading"))
        self.info.setObjectName("shiftInfo")
        self.info.setWordWrap(True)
        self.info.setFont(_font(15, bold=True))
        self.message = QLabel()
        self.message.setObjectName("shiftMessage")
        self.message.setWordWrap(True)
        self.message.setFont(_font(13, bold=True))

        # --- page 0: no shift: the float ----------------------------------------------------
        self.float_amount = _money_field("float")
        self.float_amount.returnPressed.connect(self.open_shift)
        self.open_button = _button(tr("money.shift.open"), "openShift", self.open_shift)
        p0 = QWidget()
        l0 = QVBoxLayout(p0)
        l0.addWidget(QLabel(tr("money.shift.float")))
        l0.addWidget(self.float_amount)
        l0.addWidget(self.open_button)
        l0.addStretch(1)

        # --- page 1: a shift is open ------------------------------------------------------
        self.move_amount = _money_field("moveAmount")
        self.move_reason = QLineEdit()
        self.move_reason.setObjectName("moveReason")
        self.move_reason.setFont(_font(16))
        self.move_reason.setMinimumHeight(44)
        self.move_reason.setPlaceholderText(tr("money.shift.reason"))
        # What a cash out is for: the owner's drawings, or an expense of a category
        # (a quick expense: services.shifts.move_cash with a category, issue 14).
        self.move_category = QComboBox()
        self.move_category.setObjectName("moveCategory")
        self.move_category.setFont(_font(14))
        self.move_category.setMinimumHeight(44)
        self.move_category.addItem(tr("money.shift.drawings"), None)
        self.cash_in_button = _button(tr("money.shift.cash_in"), "cashIn",
                                      lambda: self.move_cash("cash_in"))
        self.cash_out_button = _button(tr("money.shift.cash_out"), "cashOut",
                                       lambda: self.move_cash("cash_out"))
        self.x_button = _button(tr("money.shift.x"), "xReport", self.x_report)
        self.count_button = _button(tr("money.shift.count"), "countClose", self.start_count)
        p1 = QWidget()
        l1 = QGridLayout(p1)
        l1.addWidget(QLabel(tr("money.shift.amount")), 0, 0)
        l1.addWidget(self.move_amount, 0, 1)
        l1.addWidget(QLabel(tr("money.shift.reason")), 1, 0)
        l1.addWidget(self.move_reason, 1, 1)
        l1.addWidget(QLabel(tr("money.shift.cash_out_for")), 2, 0)
        l1.addWidget(self.move_category, 2, 1)
        l1.addWidget(self.cash_in_button, 3, 0)
        l1.addWidget(self.cash_out_button, 3, 1)
        l1.addWidget(self.x_button, 4, 0)
        l1.addWidget(self.count_button, 4, 1)
        l1.setRowStretch(5, 1)

        # --- page 2: the count ------------------------------------------------------------
        self.counts: dict[int, QSpinBox] = {}
        self._values: dict[int, QLabel] = {}
        grid_widget = QWidget()
        self.count_grid = QGridLayout(grid_widget)
        self.count_grid.addWidget(QLabel(tr("money.shift.note")), 0, 1)
        self.counted_label = QLabel()
        self.counted_label.setObjectName("counted")
        self.counted_label.setFont(_font(22, bold=True))
        self.expected_label = QLabel()
        self.expected_label.setObjectName("expected")
        self.expected_label.setFont(_font(16))
        self.difference_label = QLabel()
        self.difference_label.setObjectName("difference")
        self.difference_label.setFont(_font(22, bold=True))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_widget)
        sums = QGridLayout()
        for row, (caption, label) in enumerate(((tr("money.shift.counted"), self.counted_label),
                                                (tr("money.shift.expected"),
                                                 self.expected_label),
                                                (tr("money.shift.difference"),
                                                 self.difference_label))):
            sums.addWidget(QLabel(caption), row, 0)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            sums.addWidget(label, row, 1)
        self.close_button = _button(tr("money.shift.close"), "closeShift", self.close_shift)
        back = _button(tr("money.shift.back"), "countBack", lambda: self._show_page(1))
        p2 = QWidget()
        l2 = QVBoxLayout(p2)
        l2.addWidget(scroll, 1)
        l2.addLayout(sums)
        row2 = QHBoxLayout()
        row2.addWidget(back)
        row2.addWidget(self.close_button, 1)
        l2.addLayout(row2)

        # --- page 3: a report -------------------------------------------------------------
        self.report_text = QPlainTextEdit()
        self.report_text.setObjectName("reportText")
        self.report_text.setReadOnly(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(13)
        self.report_text.setFont(mono)
        self.print_button = _button(tr("money.shift.print"), "printReport", self.print_report)
        self.report_back = _button(tr("money.shift.back"), "reportBack",
                                   lambda: self._show_page(1))
        p3 = QWidget()
        l3 = QVBoxLayout(p3)
        l3.addWidget(self.report_text, 1)
        row3 = QHBoxLayout()
        row3.addWidget(self.report_back)
        row3.addWidget(self.print_button, 1)
        l3.addLayout(row3)

        self.pages = QStackedWidget()
        for page in (p0, p1, p2, p3):
            self.pages.addWidget(page)
        done = _button(tr("money.shift.done"), "shiftDone", self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addWidget(done)

        for key, action in ((Qt.Key.Key_F3, lambda: self.move_cash("cash_in")),
                            (Qt.Key.Key_F4, lambda: self.move_cash("cash_out")),
                            (Qt.Key.Key_F5, self.x_report), (Qt.Key.Key_F8, self.start_count),
                            (Qt.Key.Key_F9, self.print_report)):
            QShortcut(QKeySequence(key), self, action)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.resize(720, 680)
        self.pages.setEnabled(False)
        self._run(backend.money.shift_state, self._state_known, lane=Lane.POOL)
        tasks.run_in_background(backend.books.categories, self._categories_known,
                                lambda _exc: None, lane=Lane.POOL, owner=self)

    # --- helpers ----------------------------------------------------------------------
    def _run(self, fn: Callable[[], T], on_done: Callable[[T], None], *,
             lane: Lane = Lane.WRITER) -> None:
        self._busy = True
        self._tasks.run_in_background(fn, lambda r: self._finish(on_done, r), self._refused,
                                      lane=lane, owner=self)

    def _finish(self, on_done: Callable[[T], None], result: T) -> None:
        self._busy = False
        on_done(result)

    def _refused(self, exc: Exception) -> None:
        self._busy = False
        self.say(describe_error(exc), error=True)
        QApplication.beep()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)
        if error:
            self.refused.emit(text)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        focus = {0: self.float_amount, 1: self.move_amount,
                 2: self.counts.get(max(self.counts)) if self.counts else None,
                 3: self.print_button}.get(index)
        if focus is not None:
            focus.setFocus()

    def _categories_known(self, categories: tuple[CategoryView, ...]) -> None:
        for c in categories:
            self.move_category.addItem(tr("money.shift.expense_of", name=c.name), c.code)

    # --- state ------------------------------------------------------------------------
    def _state_known(self, state: ShiftState) -> None:
        self.state = state
        self.pages.setEnabled(True)
        if not self.counts:
            self._build_count_grid(state.denominations)
        if state.open:
            self.info.setText(tr("money.shift.opened", name=state.opened_by or "",
                                 at=local_time(state.opened_at),
                                 float=rupiah(state.float_amount)))
            if self.pages.currentIndex() != 3:
                self._show_page(1)
        else:
            self.info.setText(tr("money.shift.none_open"))
            if self.pages.currentIndex() != 3:
                self._show_page(0)
        self.shift_changed.emit(state)

    def open_shift(self) -> None:
        if self._busy or self.state is None or self.state.open:
            return
        amount = _amount(self.float_amount) or 0
        backend = self._backend
        self._run(lambda: backend.money.open_shift(amount), self._state_known)

    def move_cash(self, kind: str) -> None:
        if self._busy or self.state is None or not self.state.open \
                or self.pages.currentIndex() != 1:
            return
        amount = _amount(self.move_amount) or 0
        reason = self.move_reason.text()
        backend = self._backend
        category: str | None = self.move_category.currentData() if kind == "cash_out" else None
        category_name = self.move_category.currentText()

        def move(approval: Approval | None = None) -> None:
            if category is not None:  # a quick expense paid from the drawer
                backend.books.cash_out_expense(category, amount, reason, approval)
            else:
                backend.money.move_cash(kind, amount, reason, approval)

        def moved(_result: object) -> None:
            self.move_amount.clear()
            self.move_reason.clear()
            if category is not None:
                self.say(tr("money.shift.moved_expense", amount=rupiah(amount),
                            what=category_name))
                self.move_category.setCurrentIndex(0)
            else:
                self.say(tr("money.shift.moved_in" if kind == "cash_in"
                            else "money.shift.moved_out", amount=rupiah(amount)))
            self.cash_moved.emit(kind)

        def refused(exc: Exception) -> None:
            # A cash out beyond the drawer (or the store's limit) needs a supervisor: ask
            # for the PIN and take the cash out with it (services.shifts decides).
            self._busy = False
            if kind != "cash_out" or not (isinstance(exc, ShopError)
                                          and exc.field == "approver"):
                self._refused(exc)
                return
            dialog = SupervisorPinDialog(
                self._tasks, backend, tr("money.shift.cash_out_what", amount=rupiah(amount)),
                action=move,
                parent=self)
            dialog.done_with.connect(moved)
            self.pin_dialog = dialog
            dialog.open()

        self._busy = True
        self._tasks.run_in_background(move, lambda r: self._finish(moved, r), refused,
                                      lane=Lane.WRITER, owner=self)

    # --- reports ----------------------------------------------------------------------
    def x_report(self) -> None:
        if self._busy or self.state is None or not self.state.open:
            return
        self._run(self._backend.money.x_report, self._show_report, lane=Lane.POOL)

    def _show_report(self, report: ShiftReport) -> None:
        self.report = report
        self.report_text.setPlainText("\n".join(report_lines(report)))
        self.report_back.setVisible(report.kind != "Z")
        self.message.clear()
        self._show_page(3)
        self.report_shown.emit(report)

    def print_report(self) -> None:
        if self._busy or self.report is None or self.pages.currentIndex() != 3:
            return
        lines = report_lines(self.report)
        what = tr("money.report.z_name" if self.report.kind == "Z" else "money.report.x_name")
        backend = self._backend

        def done(result: PrintResult) -> None:
            if result.printed:
                self.say(tr("money.shift.printed", printer=result.printer))
                self.printed.emit()
            else:
                self.say(tr("money.shift.not_printed", reason=result.message), error=True)

        # Printers are slow devices: never on the main thread, nor in the writers' queue.
        self._run(lambda: backend.money.print_lines(lines, what), done, lane=Lane.POOL)

    # --- the count --------------------------------------------------------------------
    def _build_count_grid(self, denominations: tuple[int, ...]) -> None:
        for row, denom in enumerate(sorted(denominations, reverse=True), start=1):
            name = rupiah(denom) + (f" ({tr('money.shift.coin')})" if denom in COINS else "")
            caption = QLabel(name)
            caption.setFont(_font(15, bold=True))
            spin = QSpinBox()
            spin.setObjectName(f"count_{denom}")
            spin.setRange(0, 100_000)
            spin.setMinimumHeight(40)
            spin.setMinimumWidth(120)
            spin.setFont(_font(15))
            spin.valueChanged.connect(self._update_count)
            value = QLabel(rupiah(0))
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setFont(_font(15))
            self.count_grid.addWidget(caption, row, 0)
            self.count_grid.addWidget(spin, row, 1)
            self.count_grid.addWidget(value, row, 2)
            self.counts[denom] = spin
            self._values[denom] = value
        self._update_count()

    def set_count(self, denomination: int, count: int) -> None:
        self.counts[denomination].setValue(count)

    @property
    def counted_total(self) -> int:
        return sum(d * spin.value() for d, spin in self.counts.items())

    def start_count(self) -> None:
        """The count page, with what the drawer should hold (the X figures, now)."""
        if self._busy or self.state is None or not self.state.open:
            return
        self.expected = None

        def known(report: ShiftReport) -> None:
            self.expected = report.expected_cash
            self._update_count()
            self._show_page(2)

        self._run(self._backend.money.x_report, known, lane=Lane.POOL)

    def _update_count(self) -> None:
        for denom, spin in self.counts.items():
            self._values[denom].setText(rupiah(denom * spin.value()))
        total = self.counted_total
        self.counted_label.setText(rupiah(total))
        if self.expected is None:
            self.expected_label.clear()
            self.difference_label.clear()
            return
        self.expected_label.setText(rupiah(self.expected))
        diff = total - self.expected
        self.difference_label.setText(signed_rupiah(diff))
        self.difference_label.setStyleSheet("color: #1b5e20;" if diff == 0 else
                                            "color: #b00020;")

    def close_shift(self) -> None:
        if self._busy or self.pages.currentIndex() != 2:
            return
        counted = {d: spin.value() for d, spin in self.counts.items() if spin.value()}
        backend = self._backend

        def closed(report: ShiftReport) -> None:
            self._show_report(report)
            self.state = ShiftState(False, self.state.denominations if self.state else ())
            self.info.setText(tr("money.shift.none_open"))
            self.shift_changed.emit(self.state)

        self._run(lambda: backend.money.close_shift(counted), closed)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Enter: the page's main action
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            page = self.pages.currentIndex()
            if page == 0:
                self.open_shift()
            elif page == 2:
                self.close_shift()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if not self._busy:
            super().reject()


def report_lines(r: ShiftReport, width: int = REPORT_WIDTH) -> list[str]:
    """The report as plain lines (screen and printer alike)."""
    def row(label: str, value: str) -> str:
        room = max(1, width - len(value) - 1)
        return f"{label[:room]:<{room}} {value}"

    lines = [tr("money.report.z" if r.kind == "Z" else "money.report.x"), "=" * width,
             row(tr("money.report.by"), r.opened_by),
             row(tr("money.report.opened"), local_time(r.opened_at))]
    if r.closed_at:
        lines.append(row(tr("money.report.closed"), local_time(r.closed_at)))
    if r.first_receipt:
        lines.append(tr("money.report.receipts") + f": {r.first_receipt}")
        lines.append(f"  .. {r.last_receipt}")
    lines += ["-" * width,
              row(tr("money.report.sales", count=number(r.sales_count)), rupiah(r.sales_total)),
              row(tr("money.report.discount"), rupiah(r.discount_total)),
              row(tr("money.report.tax"), rupiah(r.tax_total)),
              row(tr("money.report.rounding"), rupiah(r.rounding_total)),
              row(tr("money.report.refunds", count=number(r.refunds_count)), rupiah(r.refunds_total)),
              "-" * width, tr("money.report.methods")]
    for method, paid in sorted(r.by_method.items()):
        lines.append(row(f"  {method_name(method)} ({paid['count']})", rupiah(paid["amount"])))
    lines += ["-" * width,
              row(tr("money.report.float"), rupiah(r.float_amount)),
              row(tr("money.report.cash_in"), rupiah(r.cash_in)),
              row(tr("money.report.cash_out"), rupiah(r.cash_out)),
              row(tr("money.report.kasbon_repaid"), rupiah(r.kasbon_repaid_cash)),
              row(tr("money.report.no_sale"), str(r.no_sale_opens)),
              row(tr("money.report.expected"), rupiah(r.expected_cash))]
    if r.counted_cash is not None:
        for denom, count in sorted(((int(d), n) for d, n in (r.counted_detail or {}).items()),
                                   reverse=True):
            lines.append(row(f"  {count} x {rupiah(denom)}", rupiah(denom * count)))
        lines.append(row(tr("money.report.counted"), rupiah(r.counted_cash)))
        diff = r.difference or 0
        lines.append(row(tr("money.report.difference"), signed_rupiah(diff)))
    lines.append("=" * width)
    return lines


def local_time(stamp: str | None) -> str:
    """A stored UTC timestamp on the store's clock with its zone, to the minute
    (``07-12-2026 19:37 WIB``): the setting ``timezone``, not this PC's clock."""
    return when(stamp)


def _amount(field: QLineEdit) -> int | None:
    digits = field.text().replace(".", "")
    return int(digits) if digits else None


def _money_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setFont(_font(20))
    field.setMinimumHeight(48)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.]{0,14}"), field))
    return field


def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumHeight(56)
    button.setFont(_font(14, bold=True))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(slot)
    return button


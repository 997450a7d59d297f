"""Receipts from the till: print after each sale, reprint (F11), save as PDF.

The sale is committed before its receipt prints; printing runs on the pool lane (a network
printer may take seconds to answer, and the writer lane must stay free for the next scan).
The outcome comes back as :attr:`ReceiptPrinter.printed` with a ``PrintResult``; a printer
that is off is ``printed=False`` with the reason, shown on the till's message line, and the
cashier reprints with F11 when it is back.

F11 reprints the last receipt at once (marked SALINAN/COPY, the drawer stays shut);
Shift+F11 opens a small dialog to reprint any receipt number or save it as a PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.backend_money import MoneyBackend, PrintResult
from ui.i18n import tr
from ui.tasks import Lane, TaskManager, describe_error

if TYPE_CHECKING:
    from ui.window_parts import TillWindow


BackendSource = Callable[[], MoneyBackend | None]


class ReceiptPrinter(QObject):
    """Prints receipts off the main thread and reports each outcome."""

    #: A print finished, well or not (value: PrintResult).
    printed = Signal(object)
    #: A PDF was saved (receipt number, path) or could not be (receipt number, "", reason).
    pdf_saved = Signal(str, str)
    pdf_failed = Signal(str, str)

    def __init__(self, tasks: TaskManager, backend: MoneyBackend | BackendSource | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._source: BackendSource
        if backend is None or not callable(backend):
            fixed = backend
            self._source = lambda: fixed
        else:
            self._source = backend
        self.last_receipt_no: str | None = None
        #: Whether the outcome being delivered is of a reprint (read by printed's slots).
        self.last_was_copy = False
        self.dialog: ReprintDialog | None = None

    def attach(self, backend: MoneyBackend) -> None:
        self._source = lambda: backend

    def print_sale(self, receipt_no: str, copy: bool = False) -> None:
        """Print ``receipt_no`` on the pool lane; :attr:`printed` says how it went."""
        backend = self._source()
        if backend is None:
            return
        if not copy:
            self.last_receipt_no = receipt_no

        def done(result: PrintResult) -> None:
            self.last_was_copy = copy
            self.printed.emit(result)

        def failed(exc: Exception) -> None:
            done(PrintResult(receipt_no, False, "", False, describe_error(exc)))

        self._tasks.run_in_background(lambda: backend.print_receipt(receipt_no, copy),
                                      done, failed, lane=Lane.POOL, owner=self)

    def reprint_last(self) -> bool:
        """Reprint the last receipt as a copy; False when there is none yet."""
        if self.last_receipt_no is None:
            return False
        self.print_sale(self.last_receipt_no, copy=True)
        return True

    def save_pdf(self, receipt_no: str, path: str) -> None:
        backend = self._source()
        if backend is None:
            return
        self._tasks.run_in_background(
            lambda: backend.save_receipt_pdf(receipt_no, path),
            lambda written: self.pdf_saved.emit(receipt_no, written),
            lambda exc: self.pdf_failed.emit(receipt_no, describe_error(exc)),
            lane=Lane.POOL, owner=self)


def outcome_text(result: PrintResult) -> tuple[str, bool]:
    """What the till's message line says about a print: (text, is_error)."""
    if result.printed:
        return tr("receipt.printed"), False
    if result.printer == "none":
        return tr("receipt.no_printer"), False
    return tr("receipt.not_printed", receipt=result.receipt_no, reason=result.message), True


class ReprintDialog(QDialog):
    """Reprint any receipt by number, or save it as a PDF."""

    def __init__(self, printer: ReceiptPrinter, receipt_no: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._printer = printer
        self.setObjectName("reprintReceipt")
        self.setWindowTitle(tr("receipt.reprint_title"))
        self.setModal(True)
        self.number = QLineEdit(receipt_no or "")
        self.number.setObjectName("receiptNumber")
        self.number.setMinimumHeight(48)
        font = self.number.font()
        font.setPointSize(18)
        self.number.setFont(font)
        self.number.returnPressed.connect(self.reprint)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.reprint_button = QPushButton(tr("receipt.reprint"))
        self.pdf_button = QPushButton(tr("receipt.pdf"))
        cancel = QPushButton(tr("receipt.cancel"))
        for button in (self.reprint_button, self.pdf_button, cancel):
            button.setMinimumHeight(56)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reprint_button.clicked.connect(self.reprint)
        self.pdf_button.clicked.connect(self.choose_pdf)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.choose_pdf)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("receipt.number")))
        layout.addWidget(self.number)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.reprint_button, 1)
        layout.addLayout(buttons)
        self.resize(560, 220)
        self.number.setFocus()
        self.number.selectAll()

    def _wanted(self) -> str | None:
        text = self.number.text().strip()
        if not text:
            self.note.setText(tr("receipt.number_needed"))
            return None
        return text

    def reprint(self) -> None:
        number = self._wanted()
        if number is not None:
            self._printer.print_sale(number, copy=True)
            self.accept()

    def choose_pdf(self) -> None:
        number = self._wanted()
        if number is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("receipt.pdf"), f"{number}.pdf",
                                              tr("receipt.pdf_filter"))
        if path:
            self.save_pdf(number, path)

    def save_pdf(self, number: str, path: str) -> None:
        self._printer.save_pdf(number, path)
        self.accept()


def install(window: TillWindow) -> ReceiptPrinter:
    """Wire receipts into the main window: print after every sale, F11 reprints the last
    receipt, Shift+F11 reprints or saves any receipt; outcomes on the till's message line."""
    printer = ReceiptPrinter(window.tasks, lambda: None if window.backend is None
                             else window.backend.money, window.window())
    till = window.till

    def on_sale(result: object) -> None:
        receipt_no = getattr(result, "receipt_no", None)
        if isinstance(receipt_no, str):
            printer.print_sale(receipt_no)

    def on_printed(result: PrintResult) -> None:
        text, error = outcome_text(result)
        if not result.printed and result.printer == "none" and printer.last_was_copy:
            # F11 asked for a reprint: say why nothing comes out (after a sale the same
            # note is only a reminder).
            text, error = tr("receipt.no_printer_copy", receipt=result.receipt_no), True
        elif result.printed and printer.last_was_copy:
            text = tr("receipt.printed_copy", receipt=result.receipt_no)
        elif result.printed and result.receipt_no in till.message.text():
            # Keep the sale's own message (its change) and add that the receipt printed.
            text = f"{till.message.text()} · {text}"
        elif result.printed:
            text = f"{result.receipt_no}: {text}"
        till.say(text, error=error)
        if error:
            QApplication.beep()

    def usable() -> bool:
        return window.pages.currentWidget() is till and window.backend is not None

    def reprint_last() -> None:
        if not usable():
            return
        if not printer.reprint_last():
            open_dialog()

    def open_dialog() -> None:
        if not usable():
            return
        dialog = ReprintDialog(printer, printer.last_receipt_no, window.window())
        dialog.finished.connect(lambda _r: closed(dialog))
        printer.dialog = dialog
        dialog.open()

    def closed(dialog: ReprintDialog) -> None:
        if printer.dialog is dialog:
            printer.dialog = None
        dialog.deleteLater()
        window.activateWindow()
        till.focus_scan()

    till.sale_completed.connect(on_sale)
    printer.printed.connect(on_printed)
    printer.pdf_saved.connect(
        lambda number, path: till.say(tr("receipt.pdf_saved", receipt=number, path=path)))
    printer.pdf_failed.connect(lambda _number, why: till.say(why, error=True))
    till.reprint_requested.connect(reprint_last)
    QShortcut(QKeySequence(Qt.Key.Key_F11), window.window(), reprint_last)
    QShortcut(QKeySequence("Shift+F11"), window.window(), open_dialog)
    return printer


__all__ = ["PrintResult", "ReceiptPrinter", "ReprintDialog", "install", "outcome_text"]

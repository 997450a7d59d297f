"""One dialog at a time over the till's cart: a second one asked for while one is open is
dropped, and when a dialog closes the till's window gets the keyboard back (the page then
gives it to the scan box)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget


class DialogSlot(QObject):
    #: The open dialog closed (the scan box takes the keyboard; queued work may go on).
    closed = Signal()

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self._page = page
        self._dialog: QDialog | None = None

    @property
    def dialog(self) -> QDialog | None:
        return self._dialog

    @property
    def page(self) -> QWidget:
        """The dialogs' parent."""
        return self._page

    def open(self, dialog: QDialog) -> bool:
        """Open ``dialog`` unless another is open (then it is dropped)."""
        if self._dialog is not None:
            dialog.deleteLater()
            return False
        self._dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()
        return True

    def then(self, step: Callable[[], object]) -> None:
        """Run ``step`` once the dialog now closing is gone."""
        QTimer.singleShot(0, self, step)

    def _closed(self, dialog: QDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        dialog.deleteLater()
        self._page.window().activateWindow()
        self.closed.emit()

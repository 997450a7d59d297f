"""What the till's cart actions share: the page's task manager, the cart model, its table,
the one-dialog-at-a-time slot, the backend once the shop is open, and the two signals the
page listens to. ``ui/cart_edits.py`` (pure edits) and ``ui/cart_writes.py`` (audited
writes) are the two kinds of action built on it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.backend import TillBackend
from ui.cart_view import CartTable
from ui.dialog_slot import DialogSlot
from ui.tasks import TaskManager
from ui.till_cart import TillCart


class CartActions(QObject):
    #: Something to tell the cashier (values: the text, whether it is an error).
    said = Signal(str, bool)
    #: The action is over: the scan box takes the keyboard again.
    focus_scan = Signal()

    def __init__(self, tasks: TaskManager, model: TillCart, table: CartTable,
                 slot: DialogSlot) -> None:
        super().__init__(slot)
        self._tasks = tasks
        self._model = model
        self._table = table
        self._slot = slot
        self._backend: TillBackend | None = None

    def attach(self, backend: TillBackend) -> None:
        self._backend = backend

    def _say(self, text: str, *, error: bool = False) -> None:
        self.said.emit(text, error)

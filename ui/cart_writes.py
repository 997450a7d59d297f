"""What the till writes about its cart: voids (Del: the selected line; Esc on an empty scan
box: the whole cart), audited, with a supervisor's PIN when the shop says so; and hold
(F8) / resume (Shift+F8), a cart put aside under a name and taken back at today's prices.

One write at a time, on the DB-writer lane; the cart changes when the answer is back, and
keeps what was scanned meanwhile (``ui/till_cart.py``). A cart voided or held takes its
discount approvals with it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtWidgets import QApplication

from services.cart import Cart
from services.errors import ShopError
from services.formatting import local
from services.held_carts import HeldCartRow
from services.promo_till import without_promo
from services.selling import Approval
from ui.backend_cart import ResumedCartInfo
from ui.cart_actions import CartActions
from ui.cart_view import CartTable
from ui.dialog_slot import DialogSlot
from ui.held_dialog import HoldDialog, ResumeDialog, ResumeReport
from ui.i18n import rupiah, tr, zone
from ui.supervisor_pin import SupervisorPinDialog
from ui.tasks import Lane, TaskManager, describe_error
from ui.till_cart import TillCart


class CartWrites(CartActions):
    def __init__(self, tasks: TaskManager, model: TillCart, table: CartTable,
                 slot: DialogSlot) -> None:
        super().__init__(tasks, model, table, slot)
        self._busy = False  # a void, hold or resume is on its way

    # --- voids ----------------------------------------------------------------------------
    def remove_line(self) -> None:
        """Del: void the selected line (audited; a supervisor's PIN when the shop says so)."""
        line = self._model.target(self._table.selected_line_no())
        if line is None or self._backend is None or self._busy:
            self.focus_scan.emit()
            return
        cart_backend, cart = self._backend.cart, self._model.cart
        line_no, name = line.line_no, line.item.name
        self._busy = True
        self._tasks.run_in_background(
            lambda: cart_backend.void_line(cart, line_no),
            lambda _cart: self._line_voided(line_no, name),
            lambda exc: self._void_refused(
                exc, tr("cart.void_what", name=name),
                lambda a: cart_backend.void_line(cart, line_no, a),
                lambda _cart: self._line_voided(line_no, name)),
            lane=Lane.WRITER, owner=self._slot.page)
        self.focus_scan.emit()

    def void_cart(self) -> None:
        """Esc on an empty scan box: void every line (audited, maybe a supervisor's PIN)."""
        cart, priced = self._model.cart, self._model.priced
        if not cart.lines or self._busy or self._backend is None:
            self.focus_scan.emit()
            return
        cart_backend = self._backend.cart
        what = tr("cart.void_cart_what", count=len(cart.lines),
                  amount=rupiah(priced.total if priced else 0))
        self._busy = True
        self._tasks.run_in_background(
            lambda: cart_backend.void_cart(cart), lambda _c: self._cart_voided(cart),
            lambda exc: self._void_refused(exc, what,
                                           lambda a: cart_backend.void_cart(cart, a),
                                           lambda _c: self._cart_voided(cart)),
            lane=Lane.WRITER, owner=self._slot.page)
        self.focus_scan.emit()

    def _line_voided(self, line_no: int, name: str) -> None:
        self._busy = False
        if self._model.line(line_no) is not None:
            self._model.set(self._model.cart.remove(line_no))
        else:
            self._model.show()
        self._say(tr("cart.removed", name=name))
        self.focus_scan.emit()

    def _cart_voided(self, cart: Cart) -> None:
        self._busy = False
        self._model.gone(cart)  # and its discount approvals with it
        self._say(tr("till.cleared"))
        self.focus_scan.emit()

    def _void_refused(self, exc: Exception, what: str,
                      action: Callable[[Approval], object],
                      done: Callable[[object], None]) -> None:
        """A void the shop wants a supervisor for: ask for the PIN and try again with it."""
        self._busy = False
        if self._backend is None or not (isinstance(exc, ShopError)
                                         and exc.field == "approver"):
            self._failed(exc)
            return
        dialog = SupervisorPinDialog(self._tasks, self._backend, what, action=action,
                                     parent=self._slot.page)
        dialog.done_with.connect(done)
        self._slot.open(dialog)

    # --- hold and resume ------------------------------------------------------------------
    def hold(self) -> None:
        """F8: put the cart aside under a name; the till starts an empty one."""
        if self._backend is None or self._busy:
            return
        if not self._model.cart.lines:
            self._say(tr("till.empty_cart"), error=True)
            self.focus_scan.emit()
            return
        customer = self._model.customer
        default = (customer.name if customer is not None
                   else tr("cart.hold_default",
                           time=local(datetime.now(UTC), zone()).strftime("%H:%M")))
        dialog = HoldDialog(default, self._slot.page)
        dialog.chosen.connect(self._hold_as)
        self._slot.open(dialog)

    def _hold_as(self, label: str) -> None:
        if self._backend is None:
            return
        cart_backend, cart = self._backend.cart, self._model.cart
        # A promo code is not held: entered again on resume, it is checked again then.
        held = without_promo(cart)
        self._busy = True
        self._tasks.run_in_background(lambda: cart_backend.hold(held, label),
                                      lambda row: self._held(cart, row), self._failed,
                                      lane=Lane.WRITER, owner=self._slot.page)

    def _held(self, cart: Cart, row: HeldCartRow) -> None:
        self._busy = False
        self._model.gone(cart, held_as=row.id)
        self._say(tr("cart.held", label=row.label))
        self.focus_scan.emit()

    def resume(self) -> None:
        """Shift+F8: choose a held cart and carry on with it (today's prices)."""
        if self._backend is None or self._busy:
            return
        if self._model.cart.lines:
            self._say(tr("cart.resume_busy"), error=True)
            self.focus_scan.emit()
            return
        self._tasks.run_in_background(self._backend.cart.held_carts, self._choose_held,
                                      self._failed, lane=Lane.POOL, owner=self._slot.page)

    def _choose_held(self, held: list[HeldCartRow]) -> None:
        if not held:
            self._say(tr("cart.no_held"), error=True)
            self.focus_scan.emit()
            return
        dialog = ResumeDialog(held, self._slot.page)
        dialog.chosen.connect(self._resume_id)
        self._slot.open(dialog)

    def _resume_id(self, held_id: str) -> None:
        if self._backend is None:
            return
        cart_backend = self._backend.cart
        self._busy = True
        self._tasks.run_in_background(lambda: cart_backend.resume(held_id),
                                      lambda info: self._resumed(held_id, info),
                                      self._failed, lane=Lane.WRITER, owner=self._slot.page)

    def _resumed(self, held_id: str, info: ResumedCartInfo) -> None:
        self._busy = False
        self._model.resumed(held_id, info.cart, info.customer)
        self._say(tr("cart.resumed", label=info.label))
        if info.price_changes or info.unavailable:
            self._slot.then(lambda: self._slot.open(ResumeReport(info, self._slot.page)))
        self.focus_scan.emit()

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self._say(describe_error(exc), error=True)
        QApplication.beep()
        self.focus_scan.emit()

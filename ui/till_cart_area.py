"""The till's cart area: weighed items, quantities, discounts, the customer, hold and
resume, and voids — the part of :class:`ui.till.TillPage` that opens the cart's dialogs
(one at a time, each giving the scan box back when it closes) and asks a supervisor's PIN
when the shop or the role's limit says so. Kept apart from the scanning, paying and
drawing that stay in ``ui/till.py``; ``TillPage`` inherits it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from services.cart import Cart, CartItem, Discount, PricedCart
from services.errors import ShopError
from ui.backend import TillBackend
from ui.backend_cart import (
    CustomerCard,
    DiscountRule,
    HeldCartInfo,
    ResumedCartInfo,
    SupervisorApproval,
)
from ui.customer_dialog import CustomerDialog
from ui.discount_dialog import DiscountDialog
from ui.held_dialog import HoldDialog, ResumeDialog, ResumeReport
from ui.supervisor_pin import SupervisorPinDialog
from ui.weight_dialog import QuantityDialog, format_quantity
from ui.i18n import rupiah, tr
from ui.tasks import Lane, TaskManager, describe_error

if TYPE_CHECKING:
    _Page = QWidget
else:
    _Page = object


class CartArea(_Page):
    """Mixed into TillPage: the names below are TillPage's (declared for the type checker)."""

    if TYPE_CHECKING:
        _tasks: TaskManager
        _backend: TillBackend | None
        _cart: Cart
        _priced: PricedCart | None
        _saving: bool
        _customer: CustomerCard | None
        _cart_dialog: QDialog | None
        _cart_busy: bool
        _weigh_queue: list[CartItem]
        customer: QLabel  # the customer's name and kasbon balance, above the totals

        def say(self, text: str, *, error: bool = False) -> None: ...
        def focus_scan(self) -> None: ...
        def add_code(self, code: str) -> None: ...
        def selected_line_no(self) -> int | None: ...
        def _show_cart(self, *, select_line: int | None = None,
                       select_product: str | None = None) -> None: ...

    # --- the cart area: weights, quantities, discounts, customer, hold/resume, voids ----
    @property
    def cart_dialog(self) -> QDialog | None:
        """The cart area's dialog while one is open (tests)."""
        return self._cart_dialog

    @property
    def customer_card(self) -> CustomerCard | None:
        return self._customer

    def _open_cart_dialog(self, dialog: QDialog) -> bool:
        if self._cart_dialog is not None:
            dialog.deleteLater()
            return False
        self._cart_dialog = dialog
        dialog.finished.connect(lambda _result: self._cart_dialog_closed(dialog))
        dialog.open()
        return True

    def _cart_dialog_closed(self, dialog: QDialog) -> None:
        if self._cart_dialog is dialog:
            self._cart_dialog = None
        dialog.deleteLater()
        self.window().activateWindow()
        self.focus_scan()
        if self._weigh_queue:
            QTimer.singleShot(0, self, self._next_weight)

    def _then(self, step: Callable[[], object]) -> None:
        """Run ``step`` once the dialog now closing is gone (one dialog at a time)."""
        QTimer.singleShot(0, self, step)

    # weighed items and quantities
    def _ask_weight(self, item: CartItem) -> None:
        self._weigh_queue.append(item)
        if self._cart_dialog is None:
            self._next_weight()

    def _next_weight(self) -> None:
        if not self._weigh_queue or self._cart_dialog is not None:
            return
        item = self._weigh_queue.pop(0)
        dialog = QuantityDialog(item.name, item.unit, item.unit_price, weighed=True, parent=self)
        dialog.chosen.connect(lambda milli: self._weighed(item, milli))
        self._open_cart_dialog(dialog)

    def _weighed(self, item: CartItem, milli: int) -> None:
        self._cart = self._cart.add(item, milli)
        self._show_cart(select_product=item.product_id)
        self.say(tr("till.added", name=item.name))

    def edit_qty(self) -> None:
        """F4: type the quantity (or weight) of the selected line."""
        line_no = self.selected_line_no()
        if line_no is None or self._saving or self._backend is None:
            self.focus_scan()
            return
        line = next(x for x in self._cart.lines if x.line_no == line_no)
        dialog = QuantityDialog(line.item.name, line.item.unit, line.unit_price,
                                weighed=self._backend.is_weighed(line.item.unit),
                                current_milli=line.qty_milli, parent=self)
        dialog.chosen.connect(lambda milli: self._qty_chosen(line_no, milli))
        self._open_cart_dialog(dialog)

    def _qty_chosen(self, line_no: int, milli: int) -> None:
        line = next((x for x in self._cart.lines if x.line_no == line_no), None)
        if line is None:
            return
        self._cart = self._cart.set_qty(line_no, milli)
        self._show_cart(select_line=line_no)
        self.say(tr("cart.qty_set", name=line.item.name, qty=format_quantity(milli)))

    # discounts
    def line_discount(self) -> None:
        """F3: a discount on the selected line."""
        line_no = self.selected_line_no()
        if line_no is None:
            self.say(tr("cart.no_line"), error=True)
            self.focus_scan()
            return
        self._discount(line_no)

    def order_discount(self) -> None:
        """Shift+F3: a discount on the whole order."""
        if not self._cart.lines:
            self.say(tr("till.empty_cart"), error=True)
            self.focus_scan()
            return
        self._discount(None)

    def _discount(self, line_no: int | None) -> None:
        if self._backend is None or self._saving or self._priced is None:
            return
        backend, cart = self._backend, self._cart
        if line_no is None:
            base = sum(p.base - p.line_discount for p in self._priced.lines)
            target, current = tr("disc.target_order", base=rupiah(base)), cart.discount
        else:
            p = next(x for x in self._priced.lines if x.line.line_no == line_no)
            base = p.base
            target = tr("disc.target_line", name=p.line.item.name, base=rupiah(base))
            current = p.line.discount
        dialog = DiscountDialog(target, base, lambda d: backend.check_discount(cart, line_no, d),
                                current=current, parent=self)
        dialog.chosen.connect(lambda d, rule: self._discount_chosen(cart, line_no, d, rule))
        self._open_cart_dialog(dialog)

    def _discount_chosen(self, cart: Cart, line_no: int | None, discount: Discount,
                         rule: DiscountRule) -> None:
        if rule.needed is None:
            self._apply_discount(line_no, discount, rule)
            return
        backend = self._backend
        assert backend is not None
        name = tr("cart.order") if line_no is None else next(
            x.item.name for x in cart.lines if x.line_no == line_no)
        what = tr("cart.discount_what", percent=_pct(rule.percent), target=name,
                  limit=_pct(rule.limit))

        def ask() -> None:
            dialog = SupervisorPinDialog(
                self._tasks, backend, what, role=rule.needed or "supervisor",
                action=lambda a: backend.approve_discount(cart, line_no, discount, a),
                parent=self)
            dialog.done_with.connect(lambda _approver: self._apply_discount(line_no, discount,
                                                                            rule))
            self._open_cart_dialog(dialog)
        self._then(ask)

    def _apply_discount(self, line_no: int | None, discount: Discount,
                        rule: DiscountRule) -> None:
        name = tr("cart.order")
        if line_no is None:
            self._cart = self._cart.with_discount(discount)
        else:
            line = next((x for x in self._cart.lines if x.line_no == line_no), None)
            if line is None:
                return
            name = line.item.name
            self._cart = self._cart.set_line_discount(line_no, discount)
        self._show_cart(select_line=line_no)
        self.say(tr("cart.discount_removed", target=name) if discount.is_zero
                 else tr("cart.discount_set", amount=rupiah(rule.amount), target=name))

    # the customer
    def choose_customer(self) -> None:
        """F7: find, create or detach the sale's customer."""
        if self._backend is None or self._saving:
            return
        dialog = CustomerDialog(self._tasks, self._backend, current=self._customer, parent=self)
        dialog.attached.connect(self._attach_customer)
        dialog.detached.connect(self.detach_customer)
        self._open_cart_dialog(dialog)

    def _attach_customer(self, card: CustomerCard) -> None:
        self._customer = card
        self._cart = self._cart.with_customer(card.id)
        self._show_cart()
        self.say(tr("cart.customer_attached", name=card.name))

    def detach_customer(self) -> None:
        """Shift+F7: the sale goes on without a customer."""
        if self._cart.customer_id is not None and not self._saving:
            self._cart = self._cart.with_customer(None)
            self._customer = None
            self._show_cart()
            self.say(tr("cart.customer_detached"))
        self.focus_scan()

    def _draw_customer(self) -> None:
        card = self._customer
        if card is None or self._cart.customer_id != card.id:
            self.customer.clear()
            self.customer.hide()
            return
        kasbon = (tr("cart.customer_kasbon", balance=rupiah(card.kasbon_balance),
                     available=rupiah(card.kasbon_available)) if card.credit_limit
                  else tr("cart.customer_no_kasbon", balance=rupiah(card.kasbon_balance)))
        self.customer.setText(tr("cart.customer_line", name=card.name) + "   ·   " + kasbon)
        self.customer.show()

    # hold and resume
    def hold(self) -> None:
        """F8: put the cart aside under a name; the till starts an empty one."""
        if self._backend is None or self._saving or self._cart_busy:
            return
        if not self._cart.lines:
            self.say(tr("till.empty_cart"), error=True)
            self.focus_scan()
            return
        default = (self._customer.name if self._customer is not None
                   else tr("cart.hold_default", time=datetime.now().strftime("%H:%M")))
        dialog = HoldDialog(default, self)
        dialog.chosen.connect(self._hold_as)
        self._open_cart_dialog(dialog)

    def _hold_as(self, label: str) -> None:
        if self._backend is None:
            return
        backend, cart = self._backend, self._cart
        self._cart_busy = True
        self._tasks.run_in_background(lambda: backend.hold(cart, label),
                                      lambda info: self._held(cart, info), self._cart_failed,
                                      lane=Lane.WRITER, owner=self)

    def _held(self, cart: Cart, info: HeldCartInfo) -> None:
        self._cart_busy = False
        self._cart = _after(self._cart, cart)
        self._show_cart()
        self.say(tr("cart.held", label=info.label))
        self.focus_scan()

    def resume(self) -> None:
        """Shift+F8: choose a held cart and carry on with it (today's prices)."""
        if self._backend is None or self._saving or self._cart_busy:
            return
        if self._cart.lines:
            self.say(tr("cart.resume_busy"), error=True)
            self.focus_scan()
            return
        self._tasks.run_in_background(self._backend.held_carts, self._choose_held,
                                      self._cart_failed, lane=Lane.POOL, owner=self)

    def _choose_held(self, held: list[HeldCartInfo]) -> None:
        if not held:
            self.say(tr("cart.no_held"), error=True)
            self.focus_scan()
            return
        dialog = ResumeDialog(held, self)
        dialog.chosen.connect(self._resume_id)
        self._open_cart_dialog(dialog)

    def _resume_id(self, held_id: str) -> None:
        if self._backend is None:
            return
        backend = self._backend
        self._cart_busy = True
        self._tasks.run_in_background(lambda: backend.resume(held_id), self._resumed,
                                      self._cart_failed, lane=Lane.WRITER, owner=self)

    def _resumed(self, info: ResumedCartInfo) -> None:
        self._cart_busy = False
        if self._cart.lines:
            # Scanned while the held cart was on its way: keep both, the held lines first.
            extra = self._cart
            self._cart = info.cart
            for line in extra.lines:
                self._cart = self._cart.add(line.item, line.qty_milli,
                                            unit_price=line.unit_price, discount=line.discount)
        else:
            self._cart = info.cart
        self._customer = info.customer
        self._show_cart()
        self.say(tr("cart.resumed", label=info.label))
        if info.price_changes or info.unavailable:
            self._then(lambda: self._open_cart_dialog(ResumeReport(info, self)))
        self.focus_scan()

    # voids
    def _line_voided(self, line_no: int, name: str) -> None:
        self._cart_busy = False
        if any(x.line_no == line_no for x in self._cart.lines):
            self._cart = self._cart.remove(line_no)
        self._show_cart()
        self.say(tr("cart.removed", name=name))
        self.focus_scan()

    def _cart_voided(self, cart: Cart) -> None:
        self._cart_busy = False
        self._cart = _after(self._cart, cart)
        self._show_cart()
        self.say(tr("till.cleared"))
        self.focus_scan()

    def _void_refused(self, exc: Exception, what: str,
                      action: Callable[[SupervisorApproval], object],
                      done: Callable[[object], None]) -> None:
        """A void the shop wants a supervisor for: ask for the PIN and try again with it."""
        self._cart_busy = False
        if self._backend is None or not (isinstance(exc, ShopError)
                                         and exc.field == "approver"):
            self._cart_failed(exc)
            return
        dialog = SupervisorPinDialog(self._tasks, self._backend, what, action=action,
                                     parent=self)
        dialog.done_with.connect(done)
        self._open_cart_dialog(dialog)

    def _cart_failed(self, exc: Exception) -> None:
        self._cart_busy = False
        self.say(describe_error(exc), error=True)
        QApplication.beep()
        self.focus_scan()

    def _grid_product(self, sku: str) -> None:
        self.add_code(sku)
        self.focus_scan()


def _after(current: Cart, gone: Cart) -> Cart:
    """What is left of ``current`` once ``gone`` (an earlier state of it) was held or
    voided: nothing, or the lines scanned since (answers that landed meanwhile)."""
    if current is gone:
        return Cart()
    return Cart(lines=tuple(x for x in current.lines if x.line_no >= gone.next_line_no),
                next_line_no=current.next_line_no)


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}".replace(".", ",")

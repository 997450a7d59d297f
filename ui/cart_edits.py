"""Editing the till's cart: scanned items (weighed ones ask for their weight), quantities
(F4, F5 / F6), line and order discounts (F3 / Shift+F3) with a supervisor's PIN above the
cashier's limit, and the sale's customer (F7 / Shift+F7).

The cart is a value (``ui/till_cart.py``); editing it is pure value code on the main thread.
Only an approval is written (audited, on the DB-writer lane, by the PIN dialog), and the
grant it gives is kept with the cart for the sale. Each dialog opens through the page's
:class:`ui.dialog_slot.DialogSlot`: one at a time.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QTimer

from services.cart import Cart, CartItem, Discount
from services.customer_card import CustomerCard
from services.discounts import DiscountCheck, DiscountGrant
from services.promo_till import promo_of, without_promo
from ui.cart_actions import CartActions
from ui.cart_view import CartTable
from ui.customer_dialog import CustomerDialog
from ui.dialog_slot import DialogSlot
from ui.discount_dialog import DiscountDialog
from ui.i18n import rupiah, tr
from ui.supervisor_pin import SupervisorPinDialog
from ui.tasks import TaskManager
from ui.till_cart import TillCart
from ui.weight_dialog import QuantityDialog, format_quantity


class CartEdits(CartActions):
    def __init__(self, tasks: TaskManager, model: TillCart, table: CartTable,
                 slot: DialogSlot) -> None:
        super().__init__(tasks, model, table, slot)
        self._weigh_queue: list[CartItem] = []  # weighed items waiting for their weight
        slot.closed.connect(self._dialog_closed)

    def _dialog_closed(self) -> None:
        if self._weigh_queue:
            QTimer.singleShot(0, self, self._next_weight)

    # --- scanned items and weights ----------------------------------------------------------
    def scanned(self, item: CartItem) -> None:
        """One of ``item`` was scanned: add it, or ask its weight (kg, liter...)."""
        if self._backend is not None and self._backend.cart.is_weighed(item.unit):
            self._weigh_queue.append(item)  # the cashier types what the scale shows
            if self._slot.dialog is None:
                self._next_weight()
            return
        self._model.set(self._model.cart.add(item, 1000), select_product=item.product_id)
        self._say(tr("till.added", name=item.name))
        self.focus_scan.emit()

    def _next_weight(self) -> None:
        if not self._weigh_queue or self._slot.dialog is not None:
            return
        item = self._weigh_queue.pop(0)
        dialog = QuantityDialog(item.name, item.unit, item.unit_price, weighed=True,
                                parent=self._slot.page)
        dialog.chosen.connect(lambda milli: self._weighed(item, milli))
        self._slot.open(dialog)

    def _weighed(self, item: CartItem, milli: int) -> None:
        self._model.set(self._model.cart.add(item, milli), select_product=item.product_id)
        self._say(tr("till.added", name=item.name))

    # --- quantities ---------------------------------------------------------------------------
    def change_qty(self, step: int) -> None:
        """F5 / F6: one less / one more of the selected line (a weighed line: its weight)."""
        line = self._model.target(self._table.selected_line_no())
        if line is None or self._backend is None:
            self.focus_scan.emit()
            return
        if self._backend.cart.is_weighed(line.item.unit):
            self.edit_qty()  # +/- 1 kg makes no sense: ask for the weight
            return
        qty = line.qty_milli + step * 1000
        if qty >= 1000:  # below one, the cashier removes the line (Del): a deliberate act
            self._model.set(self._model.cart.set_qty(line.line_no, qty),
                            select_line=line.line_no)
        self.focus_scan.emit()

    def edit_qty(self) -> None:
        """F4: type the quantity (or weight) of the selected line."""
        line = self._model.target(self._table.selected_line_no())
        if line is None or self._backend is None:
            self.focus_scan.emit()
            return
        line_no = line.line_no
        dialog = QuantityDialog(line.item.name, line.item.unit, line.unit_price,
                                weighed=self._backend.cart.is_weighed(line.item.unit),
                                current_milli=line.qty_milli, parent=self._slot.page)
        dialog.chosen.connect(lambda milli: self._qty_chosen(line_no, milli))
        self._slot.open(dialog)

    def _qty_chosen(self, line_no: int, milli: int) -> None:
        line = self._model.line(line_no)
        if line is None:
            return
        self._model.set(self._model.cart.set_qty(line_no, milli), select_line=line_no)
        self._say(tr("cart.qty_set", name=line.item.name, qty=format_quantity(milli)))

    # --- discounts ----------------------------------------------------------------------------
    def line_discount(self) -> None:
        """F3: a discount on the selected line."""
        line = self._model.target(self._table.selected_line_no())
        if line is None:
            self._say(tr("cart.no_line"), error=True)
            self.focus_scan.emit()
            return
        self._discount(line.line_no)

    def order_discount(self) -> None:
        """Shift+F3: a discount on the whole order."""
        if not self._model.cart.lines:
            self._say(tr("till.empty_cart"), error=True)
            self.focus_scan.emit()
            return
        promo = promo_of(self._model.cart)
        if promo is not None:  # a code and a manual order discount do not stack
            self._say(tr("promo.remove_first", code=promo.code), error=True)
            self.focus_scan.emit()
            return
        self._discount(None)

    def _discount(self, line_no: int | None) -> None:
        priced = self._model.priced
        if self._backend is None or priced is None:
            return
        cart_backend, cart = self._backend.cart, self._model.cart
        if line_no is None:
            base = sum(p.base - p.line_discount for p in priced.lines)
            target, current = tr("disc.target_order", base=rupiah(base)), cart.discount
        else:
            p = next(x for x in priced.lines if x.line.line_no == line_no)
            base = p.base
            target = tr("disc.target_line", name=p.line.item.name, base=rupiah(base))
            current = p.line.discount
        dialog = DiscountDialog(target, base,
                                lambda d: cart_backend.check_discount(cart, line_no, d),
                                current=current, parent=self._slot.page)
        dialog.chosen.connect(lambda d, rule: self._discount_chosen(cart, line_no, d, rule))
        self._slot.open(dialog)

    def _discount_chosen(self, cart: Cart, line_no: int | None, discount: Discount,
                         rule: DiscountCheck) -> None:
        if rule.needed is None:
            self._apply_discount(line_no, discount, rule)
            return
        backend = self._backend
        assert backend is not None
        name = tr("cart.order") if line_no is None else next(
            x.item.name for x in cart.lines if x.line_no == line_no)
        what = tr("cart.discount_what", percent=_pct(rule.percent), target=name,
                  limit=_pct(rule.limit))

        def approved(grant: DiscountGrant | None) -> None:
            if grant is not None:
                self._model.add_grant(grant)  # the till keeps it for the sale
            self._apply_discount(line_no, discount, rule)

        def ask() -> None:
            dialog = SupervisorPinDialog(
                self._tasks, backend, what, role=rule.needed or "supervisor",
                action=lambda a: backend.cart.approve_discount(cart, line_no, discount, a),
                parent=self._slot.page)
            dialog.done_with.connect(approved)
            self._slot.open(dialog)
        self._slot.then(ask)

    def _apply_discount(self, line_no: int | None, discount: Discount,
                        rule: DiscountCheck) -> None:
        name = tr("cart.order")
        cart = self._model.cart
        if line_no is None:
            cart = cart.with_discount(discount)
        else:
            line = self._model.line(line_no)
            if line is None:
                return
            name = line.item.name
            cart = cart.set_line_discount(line_no, discount)
        self._model.set(cart, select_line=line_no)
        self._say(tr("cart.discount_removed", target=name) if discount.is_zero
                  else tr("cart.discount_set", amount=rupiah(rule.amount), target=name))

    # --- the customer -------------------------------------------------------------------------
    def choose_customer(self) -> None:
        """F7: find, create or detach the sale's customer."""
        if self._backend is None:
            return
        dialog = CustomerDialog(self._tasks, self._backend, current=self._model.customer,
                                parent=self._slot.page)
        dialog.attached.connect(self._attach_customer)
        dialog.detached.connect(self.detach_customer)
        self._slot.open(dialog)

    def _attach_customer(self, card: CustomerCard) -> None:
        self._model.with_customer(card)
        self._say(tr("cart.customer_attached", name=card.name))

    def detach_customer(self) -> None:
        """Shift+F7: the sale goes on without a customer."""
        if self._model.cart.customer_id is not None:
            promo = promo_of(self._model.cart)
            if promo is not None:  # a code is for a named customer: it goes with them
                self._model.set(without_promo(self._model.cart))
            self._model.with_customer(None)
            self._say(tr("cart.customer_detached") if promo is None
                      else tr("promo.detached", code=promo.code))
        self.focus_scan.emit()


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}".replace(".", ",")

"""A promo code on the till's cart (Ctrl+P, or the "Kode promo" button): entered, shown,
taken off.

The code the shop accepted (``ui/promo_dialog.py``, checked on the pool lane) is the cart's
order discount (``services.promo_till.PromoDiscount``): priced and totalled like any order
discount, shown by :class:`PromoBadge` above the cart with what it takes off, and handed to
the checkout with the cart, which applies the code again when the sale is made. A manual
order discount and a code do not stack (the service refuses the code; Shift+F3 asks to take
the code off first).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from services.cart import PricedCart
from services.promo_till import PromoDiscount, promo_of, without_promo
from ui.cart_actions import CartActions
from ui.i18n import rupiah, tr
from ui.promo_dialog import PromoDialog
from ui.widgets import font as _font


class CartPromo(CartActions):
    def enter_code(self) -> None:
        """Ctrl+P: type a promo code for this sale (or take the cart's code off)."""
        if self._backend is None:
            return
        if not self._model.cart.lines:
            self._say(tr("till.empty_cart"), error=True)
            self.focus_scan.emit()
            return
        current = promo_of(self._model.cart)
        model = self._model
        dialog = PromoDialog(self._tasks, self._backend, lambda: model.cart,
                             current=current.code if current is not None else None,
                             parent=self._slot.page)
        dialog.chosen.connect(self._chosen)
        dialog.removed.connect(self.remove_code)
        self._slot.open(dialog)

    def _chosen(self, discount: PromoDiscount) -> None:
        # On the cart as it is now: lines scanned while the code was checked stay.
        self._model.set(self._model.cart.with_discount(discount))
        priced = self._model.priced
        amount = sum(p.order_discount for p in priced.lines) if priced is not None else 0
        self._say(tr("promo.applied", code=discount.code, amount=rupiah(amount)))

    def remove_code(self) -> None:
        """Take the cart's promo code off (its discount goes with it)."""
        promo = promo_of(self._model.cart)
        if promo is not None:
            self._model.set(without_promo(self._model.cart))
            self._say(tr("promo.removed", code=promo.code))
        self.focus_scan.emit()


def _order_base(priced: PricedCart) -> int:
    """What the order discount is taken from: the lines after their own discounts."""
    return sum(p.base - p.line_discount for p in priced.lines)


class PromoBadge(QLabel):
    """The cart's promo code and what it takes off, above the cart; hidden without one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promo")
        self.setFont(_font(13, bold=True))
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { color: #5b1a66; background: #f3e5f5; "
                           "border-radius: 4px; padding: 4px 8px; }")
        self.hide()

    def draw(self, priced: PricedCart | None) -> None:
        promo = promo_of(priced.cart) if priced is not None else None
        if priced is None or promo is None:
            self.clear()
            self.hide()
            return
        base = _order_base(priced)
        if promo.reaches(base):
            amount = sum(p.order_discount for p in priced.lines)
            self.setText(tr("promo.badge", code=promo.code, amount=rupiah(-amount)))
        else:
            self.setText(tr("promo.badge_short", code=promo.code,
                            min_spend=rupiah(promo.min_spend)))
        self.show()


__all__ = ["CartPromo", "PromoBadge"]

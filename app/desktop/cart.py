"""The till's cart beyond scanning (``ui.backend_cart.CartBackend``): weighed items,
discounts and their approvals, voids, the category grid, customers, hold and resume.

No approval is kept here: a discount approved at the till comes back to the screen as a
``services.discounts.DiscountGrant``, which the screen keeps with its cart and hands to
``MoneyAdapter.pay``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from local_db.ids import now_iso
from local_db.uow import UnitOfWork
from services.cart import Cart, Discount
from services.catalogue import WEIGHED_UNITS
from services.categories import CategoryRow, ProductTile, category_products, list_categories
from services.discounts import DiscountCheck, DiscountGrant, approve_discount, check_discount
from services.errors import BadInput, NotFound
from services.held_carts import HeldCartRow, hold_cart, list_held, resume_cart
from services.promo_till import PromoDiscount, till_promo
from services.users import Actor, approve
from services.voids import void_cart, void_line
from services.selling import Approval
from ui.backend_cart import ResumedCartInfo

if TYPE_CHECKING:
    from services.crypto import FieldCipher
    from services.customer_card import CustomerCard
    from services.customers import CustomerSummary


class CartAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    def is_weighed(self, unit: str) -> bool:
        return unit in WEIGHED_UNITS

    def check_discount(self, cart: Cart, line_no: int | None,
                       discount: Discount) -> DiscountCheck:
        actor = self._ctx.require_actor()
        return check_discount(self._ctx.config, actor.role, cart, line_no, discount)

    def promo_discount(self, cart: Cart, code: str) -> PromoDiscount:
        return self._ctx.read(lambda uow: till_promo(uow.conn, cart, code, at=now_iso()))

    def verify_approval(self, approval: Approval, role: str, what: str) -> Actor:
        def check(uow: UnitOfWork) -> Actor:
            approver = approve(uow, approval.user, approval.pin, role, what)
            uow.commit()  # a right PIN resets the failure count
            return approver
        return self._ctx.write(check)

    def approve_discount(self, cart: Cart, line_no: int | None, discount: Discount,
                         approval: Approval | None) -> DiscountGrant | None:
        return self._ctx.act(lambda uow, actor: approve_discount(
            uow, self._ctx.config, actor, cart, line_no, discount, approval))

    def void_line(self, cart: Cart, line_no: int,
                  approval: Approval | None = None) -> Cart:
        return self._ctx.act(lambda uow, actor: void_line(uow, actor, cart, line_no,
                                                          approval))

    def void_cart(self, cart: Cart, approval: Approval | None = None) -> Cart:
        return self._ctx.act(lambda uow, actor: void_cart(uow, actor, cart,
                                                          approval))

    def categories(self) -> list[CategoryRow]:
        return list(self._ctx.read(lambda uow: list_categories(uow.conn)))

    def category_products(self, category_id: str) -> list[ProductTile]:
        return list(self._ctx.read(lambda uow: category_products(uow.conn, category_id)))

    def _read_cipher(self) -> FieldCipher | None:
        """The customers' cipher for reading, or None when this shop has no data key yet
        (then no customer has a phone either). Never makes the first key: that is a write,
        and this runs on the pool lane; creating a customer makes it, on the writer lane."""
        # Customers load keyring and phonenumbers: when first asked, not at start-up.
        from app.secrets import active_key_id, cipher_for
        shop = self._ctx.shop
        return None if active_key_id(shop) is None else cipher_for(shop)

    @environment_faults
    def find_customers(self, text: str) -> list[CustomerSummary]:
        from services.customer_card import find_customers
        cipher = self._read_cipher()
        return list(self._ctx.read(lambda uow: find_customers(uow, cipher, text)))

    @environment_faults
    def add_customer(self, name: str, phone: str) -> CustomerCard:
        from app.secrets import cipher_for
        from services.customer_card import new_customer_card
        from services.customers import create_customer
        cipher = cipher_for(self._ctx.shop)  # before the write unit of work: no nesting
        return new_customer_card(self._ctx.act(lambda uow, actor: create_customer(
            uow, cipher, actor, name=name, phone=phone if phone.strip() else None)))

    @environment_faults
    def customer_card(self, customer_id: str) -> CustomerCard:
        from services.customer_card import customer_card
        cipher = self._read_cipher()
        return self._ctx.read(lambda uow: customer_card(uow, cipher, customer_id))

    def hold(self, cart: Cart, label: str) -> HeldCartRow:
        return self._ctx.act(lambda uow, actor: hold_cart(uow, actor, cart, label))

    def held_carts(self) -> list[HeldCartRow]:
        return list(self._ctx.read(list_held))

    def resume(self, held_id: str) -> ResumedCartInfo:
        r = self._ctx.act(lambda uow, actor: resume_cart(uow, actor, held_id))
        card = None
        if r.cart.customer_id is not None:
            try:
                card = self.customer_card(r.cart.customer_id)
            except (BadInput, NotFound):
                card = None  # erased or gone meanwhile: the cart goes on without them
        cart = r.cart if card is not None or r.cart.customer_id is None \
            else r.cart.with_customer(None)
        return ResumedCartInfo(cart, r.label, r.price_changes, r.unavailable, card)

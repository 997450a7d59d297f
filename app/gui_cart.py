"""The till's cart beyond scanning: weighed items, discounts, customers and kasbon, hold and resume, removing lines with approval.

The backend methods behind ``ui.backend_cart.CartBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.

Discount approvals given at the till are remembered here (who approved which discount on
which line, for whom), so that the sale can be committed with them:
:meth:`CartOps.discount_approver` gives ``services.selling.complete_sale`` its
``approved_by``, and the service checks the approver's role against the cart again.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from app.gui_base import BackendBase, environment_faults
from services.cart import Cart, Discount
from services.errors import BadInput, NotFound
from services.users import Actor
from ui.backend_cart import (
    Approver,
    CategoryTile,
    CustomerCard,
    CustomerHit,
    DiscountRule,
    HeldCartInfo,
    LineUnavailable,
    PriceChanged,
    ProductTile,
    ResumedCartInfo,
    SupervisorApproval,
)

if TYPE_CHECKING:
    from services.crypto import FieldCipher
    from services.selling import Approval

_PHONE_LIKE = re.compile(r"^\+?[\d\s\-().]{6,}$")


def looks_like_phone(text: str) -> bool:
    return bool(_PHONE_LIKE.match(text.strip())) and sum(c.isdigit() for c in text) >= 6


def mask_phone(phone: str | None) -> str | None:
    """"+6281234567890" -> "+62 ••• 7890": enough to confirm with the customer, not more."""
    if not phone:
        return None
    return f"{phone[:3]} ••• {phone[-4:]}" if len(phone) > 7 else "•••"


class _Grant:
    __slots__ = ("actor_id", "approver", "discount", "line_no")

    def __init__(self, actor_id: str, line_no: int | None, discount: Discount,
                 approver: Actor) -> None:
        self.actor_id, self.line_no, self.discount = actor_id, line_no, discount
        self.approver = approver


class CartOps(BackendBase):
    _grants_lock = threading.Lock()

    # --- pure ---------------------------------------------------------------------------
    def is_weighed(self, unit: str) -> bool:
        from services.catalogue import WEIGHED_UNITS
        return unit in WEIGHED_UNITS

    def check_discount(self, cart: Cart, line_no: int | None,
                       discount: Discount) -> DiscountRule:
        from services.discounts import check_discount
        actor = self._require_actor()
        c = check_discount(self._config, actor.role, cart, line_no, discount)
        return DiscountRule(c.percent, c.amount, c.limit, c.needed)

    # --- approvals ----------------------------------------------------------------------
    @staticmethod
    def _approval(a: SupervisorApproval | None) -> Approval | None:
        from services.selling import Approval
        return None if a is None else Approval(a.user, a.pin)

    @environment_faults
    def verify_approval(self, approval: SupervisorApproval, role: str,
                        what: str) -> Approver:
        from services.users import approve
        with self._shop.uow() as uow:
            a = approve(uow, approval.user, approval.pin, role, what)
            uow.commit()  # a right PIN resets the failure count
        return Approver(a.id, a.name, a.role)

    def _grant_list(self) -> list[_Grant]:
        grants: list[_Grant] | None = getattr(self, "_discount_grants", None)
        if grants is None:
            grants = []
            self._discount_grants = grants
        return grants

    @environment_faults
    def approve_discount(self, cart: Cart, line_no: int | None, discount: Discount,
                         approval: SupervisorApproval | None) -> Approver | None:
        from services.discounts import approve_discount
        actor = self._require_actor()
        with self._shop.uow() as uow:
            approver = approve_discount(uow, self._config, actor, cart, line_no, discount,
                                        self._approval(approval))
        if approver is None:
            return None
        with self._grants_lock:
            self._grant_list().append(_Grant(actor.id, line_no, discount, approver))
        return Approver(approver.id, approver.name, approver.role)

    def discount_approver(self, cart: Cart) -> Actor | None:
        """Who approved, at this till, every discount in ``cart`` above the logged-in
        person's limit (for ``complete_sale(..., approved_by=...)``), or None."""
        from services.discounts import covering_approver
        actor = self._actor
        if actor is None:
            return None
        with self._grants_lock:
            grants = [(g.line_no, g.discount, g.approver) for g in self._grant_list()
                      if g.actor_id == actor.id]
        try:
            return covering_approver(self._config, actor, cart, grants)
        except BadInput:
            return None  # the sale itself will say what is wrong with the cart

    def forget_discount_approvals(self) -> None:
        """The cart they were given for is gone (paid, voided, held away). Pure."""
        with self._grants_lock:
            self._grant_list().clear()

    # --- voids --------------------------------------------------------------------------
    @environment_faults
    def void_line(self, cart: Cart, line_no: int,
                  approval: SupervisorApproval | None = None) -> Cart:
        from services.voids import void_line
        actor = self._require_actor()
        with self._shop.uow() as uow:
            return void_line(uow, actor, cart, line_no, self._approval(approval))

    @environment_faults
    def void_cart(self, cart: Cart, approval: SupervisorApproval | None = None) -> Cart:
        from services.voids import void_cart
        actor = self._require_actor()
        with self._shop.uow() as uow:
            emptied = void_cart(uow, actor, cart, self._approval(approval))
        self.forget_discount_approvals()
        return emptied

    # --- category grid ------------------------------------------------------------------
    @environment_faults
    def categories(self) -> list[CategoryTile]:
        from services.categories import list_categories
        with self._shop.uow(write=False) as uow:
            rows = list_categories(uow.conn)
        return [CategoryTile(r.id, r.name, r.products) for r in rows]

    @environment_faults
    def category_products(self, category_id: str) -> list[ProductTile]:
        from services.categories import category_products
        with self._shop.uow(write=False) as uow:
            rows = category_products(uow.conn, category_id)
        return [ProductTile(r.sku, r.name, r.price, r.unit) for r in rows]

    # --- customers ----------------------------------------------------------------------
    def _read_cipher(self) -> FieldCipher | None:
        """The customers' cipher for reading, or None when this shop has no data key yet
        (then no customer has a phone either). Never makes the first key: that is a write,
        and this runs on the pool lane; creating a customer makes it, on the writer lane."""
        from app.secrets import active_key_id, cipher_for
        if active_key_id(self._shop) is None:
            return None
        return cipher_for(self._shop)

    @environment_faults
    def find_customers(self, text: str) -> list[CustomerHit]:
        from services.customers import find_by_phone, normalise_phone, search_customers
        text = (text or "").strip()
        if looks_like_phone(text):
            cipher = self._read_cipher()
            if cipher is None:
                normalise_phone(text)  # a malformed number is still said so
                return []
            with self._shop.uow(write=False) as uow:
                found = find_by_phone(uow, cipher, text)
            return [] if found is None else [CustomerHit(found.id, found.name, True,
                                                         found.credit_limit)]
        with self._shop.uow(write=False) as uow:
            hits = search_customers(uow, text, limit=30)
        return [CustomerHit(h.id, h.name, h.has_phone, h.credit_limit) for h in hits]

    @environment_faults
    def add_customer(self, name: str, phone: str) -> CustomerCard:
        from app.secrets import cipher_for
        from services.customers import create_customer
        actor = self._require_actor()
        cipher = cipher_for(self._shop)  # before the write unit of work: no nesting
        with self._shop.uow() as uow:
            view = create_customer(uow, cipher, actor, name=name,
                                   phone=phone if phone.strip() else None)
        return CustomerCard(view.id, view.name, mask_phone(view.phone), 0, view.credit_limit)

    @environment_faults
    def customer_card(self, customer_id: str) -> CustomerCard:
        from local_db.models import Customer
        from services.customers import get_customer
        from services.kasbon import customer_balance
        from sqlalchemy import select
        cipher = self._read_cipher()
        with self._shop.uow(write=False) as uow:
            erased = uow.conn.execute(select(Customer.erased_at)
                                      .where(Customer.id == customer_id)).first()
            if erased is not None and erased[0] is not None:
                raise BadInput("this customer's data was erased", field="customer")
            balance = customer_balance(uow, customer_id)  # NotFound for an unknown id
            phone = None if cipher is None else get_customer(uow, cipher, customer_id).phone
        return CustomerCard(customer_id, balance.name, mask_phone(phone), balance.balance,
                            balance.credit_limit)

    # --- hold and resume ----------------------------------------------------------------
    @environment_faults
    def hold(self, cart: Cart, label: str) -> HeldCartInfo:
        from services.held_carts import hold_cart
        actor = self._require_actor()
        with self._shop.uow() as uow:
            r = hold_cart(uow, actor, cart, label)
        return HeldCartInfo(r.id, r.label, r.held_by, r.created_at, r.line_count,
                            r.customer_id)

    @environment_faults
    def held_carts(self) -> list[HeldCartInfo]:
        from services.held_carts import list_held
        with self._shop.uow(write=False) as uow:
            rows = list_held(uow)
        return [HeldCartInfo(r.id, r.label, r.held_by, r.created_at, r.line_count,
                             r.customer_id) for r in rows]

    @environment_faults
    def resume(self, held_id: str) -> ResumedCartInfo:
        from services.held_carts import resume_cart
        actor = self._require_actor()
        with self._shop.uow() as uow:
            r = resume_cart(uow, actor, held_id)
        card = None
        if r.cart.customer_id is not None:
            try:
                card = self.customer_card(r.cart.customer_id)
            except (BadInput, NotFound):
                card = None  # erased or gone meanwhile: the cart goes on without them
        names = {x.line_no: x.item.name for x in r.cart.lines}
        changes = tuple(PriceChanged(c.line_no, c.sku, names.get(c.line_no, c.sku),
                                     c.held_price, c.current_price) for c in r.price_changes)
        gone = tuple(LineUnavailable(u.line_no, u.sku, u.name, u.qty_milli)
                     for u in r.unavailable)
        cart = r.cart if card is not None or r.cart.customer_id is None \
            else r.cart.with_customer(None)
        return ResumedCartInfo(cart, r.label, changes, gone, card)

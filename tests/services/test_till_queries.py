"""The till's read side, on a copy of the demo shop: who may log in, the open shift, a sale
to refund, the customer card, a held cart's changed prices. Each is a service function the
desktop adapter only calls."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from local_db.uow import UnitOfWork
from services.cart import Cart
from services.catalogue import lookup_item
from services.customer_card import customer_card, find_customers, mask_phone
from services.customers import create_customer, erase_customer
from services.errors import BadInput, NotFound
from services.held_carts import hold_cart, resume_cart
from services.refunds import refund_sale, refundable_sale
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.shifts import DENOMINATIONS, close_shift, shift_state
from services.users import Actor, login_choices
from tests.helpers import scalar

INDOMIE = "8991619730698"  # Rp 3.500
AQUA = "M-0016"  # Aqua 600 ml, Rp 3.500


def sell(shop: Shop, actor: Actor, *, kasbon_for: str | None = None) -> str:
    req = SaleRequest(lines=(LineRequest(INDOMIE, 3000), LineRequest(AQUA, 1000)),
                      payments=(PaymentRequest("kasbon" if kasbon_for else "cash", 14_000),),
                      customer_id=kasbon_for)
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req).receipt_no


def test_login_choices_list_active_users_by_name_with_their_lock(shop: Shop) -> None:
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE user SET locked = 1 WHERE name = 'Budi'"))
        uow.commit()
    with UnitOfWork(shop.db, write=False) as uow:
        choices = login_choices(uow)
    assert [(c.name, c.role, c.locked) for c in choices] == [
        ("Budi", "supervisor", True), ("Sari", "cashier", False), ("Wati", "owner", False)]


def test_shift_state_open_then_closed(shop: Shop, supervisor: Actor) -> None:
    with shop.uow(write=False) as uow:
        state = shift_state(uow.conn, shop.config)
    assert state.open and state.float_amount == 200_000 and state.opened_by
    assert state.denominations == tuple(sorted(DENOMINATIONS, reverse=True))
    with shop.uow() as uow:
        close_shift(uow, shop.config, supervisor, {"100000": 2})
    with shop.uow(write=False) as uow:
        closed = shift_state(uow.conn, shop.config)
    assert not closed.open and closed.opened_by is None and closed.float_amount == 0


def test_refundable_sale_says_what_is_left_of_each_line(shop: Shop, cashier: Actor) -> None:
    receipt = sell(shop, cashier)
    with shop.uow() as uow:
        refund_sale(uow, shop.config, cashier, receipt, [(1, 1000)], "rusak",
                    Approval("Budi", "5678"))
    with shop.uow(write=False) as uow:
        sale = refundable_sale(uow.conn, f"  {receipt} ")
    assert sale.receipt_no == receipt and sale.status == "completed"
    assert sale.payable == 14_000 and sale.payments == (("cash", 14_000),)
    assert [(x.line_no, x.qty_milli, x.left_milli, x.unit_price, x.weighed)
            for x in sale.lines] == [(1, 3000, 2000, 3_500, False), (2, 1000, 1000, 3_500, False)]
    with shop.uow(write=False) as uow:
        with pytest.raises(BadInput) as empty:
            refundable_sale(uow.conn, " ")
        with pytest.raises(NotFound) as unknown:
            refundable_sale(uow.conn, "NOPE-01-000999")
    assert empty.value.field == "receipt_no" and unknown.value.field == "receipt_no"


def test_customer_card_masks_the_phone_and_refuses_an_erased_customer(
        shop: Shop, cashier: Actor, supervisor: Actor, owner: Actor) -> None:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        view = create_customer(uow, cipher, supervisor, name="Ibu Contoh",
                               phone="0812-0000-1234", credit_limit=50_000)
    sell(shop, cashier, kasbon_for=view.id)
    with shop.uow(write=False) as uow:
        card = customer_card(uow, cipher, view.id)
        by_phone = find_customers(uow, cipher, "0812 0000 1234")
        by_name = find_customers(uow, cipher, "contoh")
        without_key = find_customers(uow, None, "0812 0000 1234")
        unreadable = customer_card(uow, None, view.id)
    assert (card.name, card.phone, card.kasbon_balance, card.credit_limit,
            card.kasbon_available) == ("Ibu Contoh", "+62 ••• 1234", 14_000, 50_000, 36_000)
    assert [h.id for h in by_phone] == [view.id] and by_phone[0].has_phone
    assert [h.id for h in by_name] == [view.id]
    assert without_key == () and unreadable.phone is None
    with shop.uow() as uow:
        erase_customer(uow, owner, view.id, allow_outstanding_kasbon=True)
    with shop.uow(write=False) as uow:
        with pytest.raises(BadInput) as erased:
            customer_card(uow, cipher, view.id)
        with pytest.raises(NotFound):
            customer_card(uow, cipher, "0192f000-0000-7000-8000-00000000dead")
    assert erased.value.field == "customer"
    assert mask_phone(None) is None and mask_phone("+62812") == "•••"


def test_a_malformed_phone_is_refused_even_without_a_data_key(shop: Shop) -> None:
    with shop.uow(write=False) as uow, pytest.raises(BadInput):
        find_customers(uow, None, "0000 000 000 000 000 00")


def test_a_resumed_cart_names_the_line_whose_price_changed(shop: Shop, cashier: Actor) -> None:
    with shop.uow(write=False) as uow:
        item = lookup_item(uow.conn, INDOMIE)
    with shop.uow() as uow:
        held = hold_cart(uow, cashier, Cart().add(item, 1000), "Bu Ani")
        uow.conn.execute(text("UPDATE product SET price = 4000 WHERE sku = :s"),
                         {"s": item.sku})
        uow.commit()
    with shop.uow() as uow:
        resumed = resume_cart(uow, cashier, held.id)
    assert [(c.name, c.held_price, c.current_price) for c in resumed.price_changes] == [
        (item.name, 3_500, 4_000)]
    assert scalar(shop, "SELECT count(*) FROM held_cart") == 0

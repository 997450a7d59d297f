"""A promo code through every caller of the checkout: the till's cart (services.promo_till
and services.checkout.sale_request), the JSON sale input (services.sale_input) and the
receipt. Real SQLite files; the code is checked by the services at the moment of the sale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.shop import Shop
from local_db.ids import now_iso
from services.cart import Cart, Discount
from services.checkout import checkout, sale_request
from services.errors import BadInput, Refused, ShopError
from services.promo_codes import PromoSpec, check_spec, insert_promo
from services.promo_till import PromoDiscount, promo_of, till_promo, without_promo
from services.receipt_layout import as_text, layout_receipt
from services.receipts import receipt_for
from services.sale_input import amount_due, parse_sale
from services.selling import LineRequest, PaymentRequest, SaleRequest, build_cart
from services.tender import TenderInput
from services.users import Actor
from tests.helpers import counts, scalar
from tests.services.campaign_helpers import add_customers

INDOMIE = "MI-0001"  # Rp 3.500


def _code(shop: Shop, owner: Actor, code: str = "HEMAT10", *, days: tuple[int, int] = (-1, 7),
          **spec: object) -> None:
    now = datetime.now(UTC)
    values: dict[str, object] = {"percent": Decimal(10), "per_customer_limit": 1}
    values.update(spec)
    checked = check_spec(PromoSpec(
        code, valid_from=(now + timedelta(days=days[0])).isoformat(),
        valid_until=(now + timedelta(days=days[1])).isoformat(), **values))  # type: ignore[arg-type]
    with shop.uow() as uow:
        insert_promo(uow.conn, checked, campaign_id=None, created_by=owner.id, now=now_iso())
        uow.commit()


def _cart(shop: Shop, customer: str | None, qty: int = 10) -> Cart:
    with shop.uow(write=False) as uow:
        return build_cart(uow.conn, SaleRequest((LineRequest(INDOMIE, qty * 1000),), (),
                                                customer_id=customer))


def _till_code(shop: Shop, cart: Cart, code: str) -> PromoDiscount:
    with shop.uow(write=False) as uow:
        return till_promo(uow.conn, cart, code, at=now_iso())


def test_the_tills_code_is_sold_with_the_cart_and_named_on_the_receipt(
        shop: Shop, owner: Actor, cashier: Actor) -> None:
    (cid,) = add_customers(shop, 1)
    _code(shop, owner)  # 10% off: above a cashier's own limit, yet no approval is needed
    cart = _cart(shop, cid)
    discount = _till_code(shop, cart, " hemat10 ")
    assert (discount.code, discount.percent) == ("HEMAT10", Decimal(10))
    cart = cart.with_discount(discount)
    req = sale_request(shop.config, cashier, cart, [TenderInput("cash", 50_000)])
    # The code travels as a code, not as the cashier's discount: the checkout applies it.
    assert req.promo_code == "HEMAT10" and req.discount == Discount()
    done = checkout(shop.uow, shop.config, cashier, req)
    assert done.discount_total == 3500 and done.total == 31_500
    assert scalar(shop, "SELECT discount FROM promo_redemption WHERE sale_id = :s",
                  s=done.id) == 3500
    with shop.uow(write=False) as uow:
        receipt = receipt_for(uow, shop.config, done.receipt_no)
    assert receipt.promo_code == "HEMAT10"
    text = as_text(layout_receipt(receipt, 32))
    assert "Diskon" in text and "Kode promo" in text and "HEMAT10" in text
    # The per-customer limit (1): the same customer's second use is refused, naming the
    # field, at the till and at the checkout; nothing is written.
    with pytest.raises(Refused) as exc:
        _till_code(shop, _cart(shop, cid), "HEMAT10")
    assert exc.value.field == "promo_code" and "limit" in exc.value.message
    before = counts(shop)
    with pytest.raises(Refused) as exc:
        checkout(shop.uow, shop.config, cashier, req)
    assert exc.value.field == "promo_code"
    assert counts(shop) == before


@pytest.mark.parametrize("code,days,kind", [
    ("LAMA10", (-10, -1), Refused),   # expired
    ("NANTI10", (1, 8), Refused),     # not valid yet
    ("TIDAKADA", None, Refused),      # no such code
    ("x", None, BadInput),            # not a code at all
])
def test_a_code_the_shop_refuses_names_promo_code_and_writes_nothing(
        shop: Shop, owner: Actor, cashier: Actor, code: str, days: tuple[int, int] | None,
        kind: type[ShopError]) -> None:
    (cid,) = add_customers(shop, 1)
    if days is not None:
        _code(shop, owner, code, days=days)
    cart = _cart(shop, cid)
    with pytest.raises(kind) as exc:
        _till_code(shop, cart, code)
    assert exc.value.field == "promo_code"
    before = counts(shop)
    req = SaleRequest((LineRequest(INDOMIE, 10_000),), (PaymentRequest("cash", 50_000),),
                      customer_id=cid, promo_code=code)
    with pytest.raises(kind) as exc:
        checkout(shop.uow, shop.config, cashier, req)
    assert exc.value.field == "promo_code"
    assert counts(shop) == before


def test_a_code_needs_a_named_customer_and_does_not_stack(shop: Shop, owner: Actor) -> None:
    """Every code has a per-customer limit (at least 1), so every code needs the customer."""
    (cid,) = add_customers(shop, 1)
    _code(shop, owner)
    with pytest.raises(BadInput) as exc:
        _till_code(shop, _cart(shop, None), "HEMAT10")
    assert exc.value.field == "promo_code" and "customer" in exc.value.message
    manual = _cart(shop, cid).with_discount(Discount(amount=500))
    with pytest.raises(BadInput) as exc:
        _till_code(shop, manual, "HEMAT10")
    assert exc.value.field == "promo_code" and "stack" in exc.value.message
    # A code already on the cart is replaced by the one entered next, not stacked.
    on = _cart(shop, cid).with_discount(_till_code(shop, _cart(shop, cid), "HEMAT10"))
    assert promo_of(on) is not None and promo_of(without_promo(on)) is None
    assert _till_code(shop, on, "HEMAT10").code == "HEMAT10"


def test_an_amount_code_is_capped_and_waits_for_its_minimum_spend(
        shop: Shop, owner: Actor, cashier: Actor) -> None:
    (cid,) = add_customers(shop, 1)
    _code(shop, owner, "POTONG5K", percent=None, amount=5000, min_spend=10_000)
    with pytest.raises(Refused):  # Rp 3.500 is below the minimum spend
        _till_code(shop, _cart(shop, cid, qty=1), "POTONG5K")
    discount = _till_code(shop, _cart(shop, cid, qty=4), "POTONG5K")
    assert discount.amount == 5000 and discount.min_spend == 10_000
    # Lines removed after the code was entered: the cart stays priceable (no discount
    # below the minimum), and the checkout refuses the code then.
    assert discount.amount_of(7000, field="discount") == 0
    assert discount.amount_of(14_000, field="discount") == 5000
    assert PromoDiscount(amount=5000, code="X").amount_of(3000, field="discount") == 3000
    small = _cart(shop, cid, qty=2).with_discount(discount)
    req = sale_request(shop.config, cashier, small, [TenderInput("cash", 50_000)])
    with pytest.raises(Refused) as exc:
        checkout(shop.uow, shop.config, cashier, req)
    assert exc.value.field == "promo_code"


def test_the_json_sale_input_takes_a_promo_code(shop: Shop, owner: Actor) -> None:
    (cid,) = add_customers(shop, 1)
    _code(shop, owner)
    data = {"lines": [{"sku": INDOMIE, "qty": 10}], "payments": [{"method": "edc"}],
            "customer_id": cid, "promo_code": "hemat10"}

    def due(req: SaleRequest) -> int:
        with shop.uow(write=False) as uow:
            return amount_due(uow.conn, shop.config, req)

    req = parse_sale(data, amount_due=due)
    assert req.promo_code == "HEMAT10"
    assert req.payments[0].amount == 31_500  # the amount due after the code's discount
    for bad in ("", "a b", 12, "X" * 30):
        with pytest.raises(BadInput) as exc:
            parse_sale({**data, "promo_code": bad}, amount_due=due)
        assert exc.value.field == "promo_code", bad
    with pytest.raises(Refused) as refused:  # the amount due needs the code's discount
        parse_sale({**data, "promo_code": "NOPE99"}, amount_due=due)
    assert refused.value.field == "promo_code"

"""Hold a cart (the customer went to fetch something) and resume it later.

A held cart is stored as JSON: the cart's own snapshot of each item, quantities, prices,
discounts and customer, so that serialising and reading back gives an equal :class:`Cart`.
Held carts stay on this till: they are not business events (nothing was sold), so they
write no outbox event, and resuming simply deletes the row.

On resume the items are refreshed from the catalogue: a held cart may sit for hours while
prices change, and the customer pays today's price. A product made inactive meanwhile
cannot be sold; its line is left out of the cart and reported, never silently dropped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from local_db.ids import now_iso, uuid7
from local_db.models import HeldCart, Product, User
from local_db.uow import UnitOfWork
from services.cart import Cart, CartItem, CartLine, Discount
from services.errors import BadInput, NotFound
from services.users import Actor, may_sell

#: Version of the held-cart JSON shape, so an older held cart is still read after an upgrade.
FORMAT_VERSION = 1
MAX_LABEL = 60


# --- serialisation (pure) ----------------------------------------------------------------

def _discount_out(d: Discount) -> dict[str, Any]:
    # Decimal as text keeps its exact digits (and exponent), so it reads back equal.
    return {"percent": None if d.percent is None else str(d.percent), "amount": d.amount}


def _discount_in(d: dict[str, Any]) -> Discount:
    pct = d.get("percent")
    return Discount(percent=None if pct is None else Decimal(pct), amount=d.get("amount"))


def _line_out(line: CartLine) -> dict[str, Any]:
    return {"line_no": line.line_no, "item": asdict(line.item), "qty_milli": line.qty_milli,
            "unit_price": line.unit_price, "discount": _discount_out(line.discount)}


def _line_in(d: dict[str, Any]) -> CartLine:
    return CartLine(line_no=int(d["line_no"]), item=CartItem(**d["item"]),
                    qty_milli=int(d["qty_milli"]), unit_price=int(d["unit_price"]),
                    discount=_discount_in(d["discount"]))


def cart_to_json(cart: Cart) -> str:
    return json.dumps({
        "version": FORMAT_VERSION, "lines": [_line_out(x) for x in cart.lines],
        "discount": _discount_out(cart.discount), "customer_id": cart.customer_id,
        "next_line_no": cart.next_line_no,
    }, ensure_ascii=False, sort_keys=True)


def cart_from_json(text: str) -> Cart:
    data = json.loads(text)
    if data.get("version") != FORMAT_VERSION:
        raise ValueError(f"unknown held-cart format {data.get('version')!r}")
    return Cart(lines=tuple(_line_in(x) for x in data["lines"]),
                discount=_discount_in(data["discount"]), customer_id=data["customer_id"],
                next_line_no=int(data["next_line_no"]))


# --- use cases ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HeldCartRow:
    id: str
    label: str
    held_by: str
    created_at: str
    line_count: int
    customer_id: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PriceChange:
    line_no: int
    sku: str
    held_price: int
    current_price: int
    name: str = ""  # the product's name now, for the till to say which line changed


@dataclass(frozen=True, slots=True)
class UnavailableLine:
    """A held line whose product is no longer sold (inactive or gone)."""

    line_no: int
    sku: str
    name: str
    qty_milli: int


@dataclass(frozen=True, slots=True)
class ResumedCart:
    cart: Cart
    label: str
    price_changes: tuple[PriceChange, ...] = ()
    unavailable: tuple[UnavailableLine, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def hold_cart(uow: UnitOfWork, actor: Actor, cart: Cart, label: str) -> HeldCartRow:
    may_sell(uow.conn, actor)  # part of selling, but never by a locked user
    label = (label or "").strip()
    if not label or len(label) > MAX_LABEL:
        raise BadInput(f"a label of 1 to {MAX_LABEL} characters is needed", field="label")
    if not cart.lines:
        raise BadInput("an empty cart has nothing to hold", field="cart")
    held_id = uuid7()
    stamp = now_iso()
    uow.conn.execute(insert(HeldCart).values(id=held_id, label=label,
                                             cart_json=cart_to_json(cart), user_id=actor.id,
                                             created_at=stamp))
    uow.commit()
    return HeldCartRow(held_id, label, actor.name, stamp, len(cart.lines), cart.customer_id)


def list_held(uow: UnitOfWork) -> tuple[HeldCartRow, ...]:
    """Held carts, oldest first (wall-clock order is fine here: it is only for display)."""
    rows = uow.conn.execute(
        select(HeldCart.id, HeldCart.label, User.name, HeldCart.created_at, HeldCart.cart_json)
        .join(User, User.id == HeldCart.user_id)
        .order_by(HeldCart.created_at, HeldCart.id))
    out = []
    for hid, label, who, stamp, text in rows:
        cart = cart_from_json(text)
        out.append(HeldCartRow(str(hid), str(label), str(who), str(stamp), len(cart.lines),
                               cart.customer_id))
    return tuple(out)


def _current_item(conn: Connection, product_id: str) -> tuple[CartItem, bool] | None:
    """Today's catalogue snapshot of a product and whether it is still sold."""
    r = conn.execute(select(Product.id, Product.sku, Product.name, Product.unit, Product.price,
                            Product.cost, Product.tax_class, Product.tracks_stock,
                            Product.active).where(Product.id == product_id)).first()
    if r is None:
        return None
    item = CartItem(str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]),
                    str(r[6]), bool(r[7]))
    return item, bool(r[8])


def _refresh(conn: Connection, cart: Cart) -> ResumedCart:
    lines: list[CartLine] = []
    changes: list[PriceChange] = []
    gone: list[UnavailableLine] = []
    for line in cart.lines:
        found = _current_item(conn, line.item.product_id)
        if found is None or not found[1]:
            gone.append(UnavailableLine(line.line_no, line.item.sku, line.item.name,
                                        line.qty_milli))
            continue
        item = found[0]
        # A price typed in by hand (an override) was a decision at the till; it stays and is
        # checked against the role's rights again when the sale completes. Otherwise the
        # line follows the catalogue.
        price = line.unit_price if line.price_overridden else item.unit_price
        if price != line.unit_price:
            changes.append(PriceChange(line.line_no, item.sku, line.unit_price, price,
                                       item.name))
        lines.append(replace(line, item=item, unit_price=price))
    return ResumedCart(replace(cart, lines=tuple(lines)), "", tuple(changes), tuple(gone))


def resume_cart(uow: UnitOfWork, actor: Actor, held_id: str) -> ResumedCart:
    """Take a held cart back into the till: the row is deleted, the cart comes back with
    today's prices, and lines whose product is no longer sold are listed in ``unavailable``.
    Any user of the till may resume any held cart (a colleague may take over the customer).
    """
    may_sell(uow.conn, actor)  # part of selling, but never by a locked user
    conn = uow.conn
    row = conn.execute(select(HeldCart.label, HeldCart.cart_json)
                       .where(HeldCart.id == held_id)).first()
    if row is None:
        raise NotFound(f"no held cart {held_id}", field="held_id")
    resumed = _refresh(conn, cart_from_json(str(row[1])))
    conn.execute(delete(HeldCart).where(HeldCart.id == held_id))
    uow.commit()
    return replace(resumed, label=str(row[0]))


def held_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(HeldCart)).scalar() or 0)


__all__ = ["HeldCartRow", "PriceChange", "ResumedCart", "UnavailableLine", "cart_from_json",
           "cart_to_json", "held_count", "hold_cart", "list_held", "resume_cart"]

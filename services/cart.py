"""The cart: pure value code, no I/O.

A cart is an immutable value; every edit returns a new cart. :func:`price_cart` turns it
into a :class:`PricedCart` whose totals are sums of its lines by construction: line
discounts first, then the order discount spread over lines by largest remainder, then PPN
per line. Cash rounding depends on the tender and lives in :mod:`services.tender`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from services.errors import BadInput
from services.money import allocate, line_amount, to_rupiah
from services.tax import TaxRule, split_tax


@dataclass(frozen=True, slots=True)
class Discount:
    """A discount as given: a percentage (0–100) or a whole-rupiah amount."""

    percent: Decimal | None = None
    amount: int | None = None

    def amount_of(self, base: int, *, field: str) -> int:
        if self.percent is not None:
            if not Decimal(0) <= self.percent <= Decimal(100):
                raise BadInput("percent must be between 0 and 100", field=field)
            return to_rupiah(Decimal(base) * self.percent / 100)
        value = self.amount or 0
        if value < 0:
            raise BadInput("must not be negative", field=field)
        if value > base:
            raise BadInput("is larger than the amount it discounts", field=field)
        return value

    def percent_of(self, base: int) -> Decimal:
        """The discount as a percentage of ``base`` (for checking role limits)."""
        if self.percent is not None:
            return self.percent
        if not base:
            return Decimal(0)
        return Decimal(self.amount or 0) * 100 / base

    @property
    def is_zero(self) -> bool:
        return not self.percent and not self.amount


NO_DISCOUNT = Discount()


@dataclass(frozen=True, slots=True)
class CartItem:
    """What the till knows of a product when it is put in the cart (a snapshot)."""

    product_id: str
    sku: str
    name: str
    unit: str
    unit_price: int
    unit_cost: int
    tax_class: str
    tracks_stock: bool


@dataclass(frozen=True, slots=True)
class CartLine:
    line_no: int
    item: CartItem
    qty_milli: int
    unit_price: int  # may differ from item.unit_price when overridden
    discount: Discount = NO_DISCOUNT

    @property
    def price_overridden(self) -> bool:
        return self.unit_price != self.item.unit_price


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...] = ()
    discount: Discount = NO_DISCOUNT
    customer_id: str | None = None
    next_line_no: int = 1

    def add(self, item: CartItem, qty_milli: int, *, unit_price: int | None = None,
            discount: Discount = NO_DISCOUNT) -> Cart:
        """Add a line; scanning the same undiscounted product again raises its quantity."""
        price = item.unit_price if unit_price is None else unit_price
        for i, line in enumerate(self.lines):
            if (line.item.product_id == item.product_id and line.unit_price == price
                    and line.discount.is_zero and discount.is_zero):
                merged = replace(line, qty_milli=line.qty_milli + qty_milli)
                return replace(self, lines=self.lines[:i] + (merged,) + self.lines[i + 1:])
        line = CartLine(self.next_line_no, item, qty_milli, price, discount)
        return replace(self, lines=self.lines + (line,), next_line_no=self.next_line_no + 1)

    def set_qty(self, line_no: int, qty_milli: int) -> Cart:
        return self._replace_line(line_no, lambda line: replace(line, qty_milli=qty_milli))

    def set_line_discount(self, line_no: int, discount: Discount) -> Cart:
        return self._replace_line(line_no, lambda line: replace(line, discount=discount))

    def remove(self, line_no: int) -> Cart:
        self._find(line_no)
        return replace(self, lines=tuple(x for x in self.lines if x.line_no != line_no))

    def with_discount(self, discount: Discount) -> Cart:
        return replace(self, discount=discount)

    def with_customer(self, customer_id: str | None) -> Cart:
        return replace(self, customer_id=customer_id)

    def _find(self, line_no: int) -> CartLine:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise BadInput(f"no cart line {line_no}", field="line_no")

    def _replace_line(self, line_no: int, change: object) -> Cart:
        self._find(line_no)
        assert callable(change)
        return replace(self, lines=tuple(change(x) if x.line_no == line_no else x
                                         for x in self.lines))


@dataclass(frozen=True, slots=True)
class PricedLine:
    line: CartLine
    base: int  # unit price × quantity
    line_discount: int
    order_discount: int  # this line's share of the order discount
    gross: int  # what the customer pays for the line
    net: int
    tax: int
    cost: int  # unit cost × quantity, for COGS

    @property
    def discount(self) -> int:
        return self.line_discount + self.order_discount


@dataclass(frozen=True, slots=True)
class PricedCart:
    cart: Cart
    lines: tuple[PricedLine, ...] = field(default_factory=tuple)
    subtotal: int = 0  # before any discount
    discount_total: int = 0
    net_total: int = 0
    tax_total: int = 0
    total: int = 0  # before cash rounding


def price_cart(cart: Cart, rules: dict[str, TaxRule], *, pkp: bool) -> PricedCart:
    bases: list[int] = []
    after_line: list[int] = []
    line_discounts: list[int] = []
    for idx, line in enumerate(cart.lines):
        base = line_amount(line.unit_price, line.qty_milli)
        disc = line.discount.amount_of(base, field=f"lines[{idx}].discount")
        bases.append(base)
        line_discounts.append(disc)
        after_line.append(base - disc)
    order_base = sum(after_line)
    order_disc = cart.discount.amount_of(order_base, field="discount")
    shares = allocate(order_disc, after_line)
    priced: list[PricedLine] = []
    for idx, line in enumerate(cart.lines):
        rule = rules.get(line.item.tax_class)
        if rule is None:
            raise BadInput(f"unknown tax class '{line.item.tax_class}'", field="tax_class")
        split = split_tax(after_line[idx] - shares[idx], rule, pkp=pkp)
        priced.append(PricedLine(
            line=line, base=bases[idx], line_discount=line_discounts[idx],
            order_discount=shares[idx], gross=split.gross, net=split.net, tax=split.tax,
            cost=line_amount(line.item.unit_cost, line.qty_milli) if line.item.tracks_stock else 0,
        ))
    return PricedCart(
        cart=cart, lines=tuple(priced), subtotal=sum(bases),
        discount_total=sum(line_discounts) + order_disc,
        net_total=sum(p.net for p in priced), tax_total=sum(p.tax for p in priced),
        total=sum(p.gross for p in priced),
    )

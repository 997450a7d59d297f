"""Reading a sale from outside input (the CLI's JSON, later a scanner script).

Shape::

    {"lines": [{"sku": "IDM-GRG", "qty": 2}, {"barcode": "8992388101013", "qty": "0.25",
                "discount": {"percent": 10}, "price": 12000}],
     "discount": {"amount": 500},
     "payments": [{"method": "cash", "tendered": 50000}],
     "customer_id": "...", "approval": {"user": "Sari", "pin": "2222"},
     "promo_code": "HEMAT10"}

Every problem is reported with the path of the field that caused it, as the input wrote it
(a line's product is ``lines[N].sku`` or ``lines[N].barcode``, whichever the line used: see
:func:`as_written`). A sale whose only payment is not cash may leave out its ``amount``: it
is then the amount due (``parse_sale(..., amount_due=...)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from local_db.ids import now_iso
from services.cart import NO_DISCOUNT, Discount, price_cart
from services.errors import BadInput, ShopError
from services.inputs import check_text, key_name
from services.money import decimal_value, qty_to_milli, rupiah
from services.promo_codes import apply_promo, normalise_code
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, build_cart
from services.shop import ShopConfig
from services.tender import CASH

_LINE_KEYS = {"sku", "barcode", "code", "qty", "price", "discount"}
_TOP_KEYS = {"lines", "payments", "discount", "customer_id", "customer", "approval",
             "promo_code"}
_PAYMENT_KEYS = {"method", "amount", "tendered", "provider_ref", "customer_id"}
#: The longest SKU, barcode, customer id, user name, PIN or provider reference read.
MAX_CODE = 64
#: How the checkout names a line's product (services.selling.build_cart).
_LINE_CODE = re.compile(r"lines\[(\d+)\]\.code")


def parse_discount(value: Any, *, field: str) -> Discount:
    if value is None:
        return NO_DISCOUNT
    if not isinstance(value, dict) or len(value) != 1 or not {"percent", "amount"} & set(value):
        raise BadInput('a discount is {"percent": N} or {"amount": N}', field=field)
    if "percent" in value:
        pct = decimal_value(value["percent"], field=f"{field}.percent")
        if not 0 <= pct <= 100:
            raise BadInput("percent must be between 0 and 100", field=f"{field}.percent")
        return Discount(percent=pct)
    return Discount(amount=rupiah(value["amount"], field=f"{field}.amount"))


def _customer(data: dict[str, Any]) -> str | None:
    """``customer_id``, or ``customer`` (the same id, as people write it); both must agree.
    An id that names no customer is refused by the checkout (NotFound, field customer)."""
    given = {k: check_text(data[k], field=k, max_len=MAX_CODE)
             for k in ("customer_id", "customer") if data.get(k) is not None}
    if len(set(given.values())) > 1:
        raise BadInput("customer and customer_id name different customers", field="customer")
    return next(iter(given.values()), None) or None


def _code_key(raw: dict[str, Any]) -> str:
    """The key a line names its product by: barcode, sku or code (the first one given)."""
    return next((k for k in ("barcode", "sku", "code") if raw.get(k)), "sku")


def as_written(exc: ShopError, data: Any) -> ShopError:
    """``exc`` with a line's product field named as the input wrote it: the checkout says
    ``lines[N].code`` for whatever names the product; a line given as ``{"sku": ...}`` is
    reported as ``lines[N].sku``, one given as ``{"barcode": ...}`` as ``lines[N].barcode``."""
    m = _LINE_CODE.fullmatch(exc.field or "")
    lines = data.get("lines") if isinstance(data, dict) else None
    if m and isinstance(lines, list) and int(m[1]) < len(lines) \
            and isinstance(lines[int(m[1])], dict):
        exc.field = f"lines[{m[1]}].{_code_key(lines[int(m[1])])}"
    return exc


def amount_due(conn: Connection, config: ShopConfig, req: SaleRequest) -> int:
    """What ``req``'s lines cost (after discounts and tax), the amount a sale's only
    non-cash payment stands for when it gives none (with its promo code's discount).
    Refusals name the line's field (or ``promo_code``)."""
    cart = build_cart(conn, req)
    if req.promo_code:
        cart, _ = apply_promo(conn, cart, req.promo_code, at=now_iso())
    return price_cart(cart, config.tax_rules, pkp=config.pkp).total


def parse_sale(data: Any, *,
               amount_due: Callable[[SaleRequest], int] | None = None) -> SaleRequest:
    """The sale in ``data``. A sale whose only payment is not cash and has no ``amount``
    pays the amount due, ``amount_due(request)`` (e.g. :func:`amount_due` on the shop's
    connection); without ``amount_due`` such a payment is refused for its missing amount."""
    if not isinstance(data, dict):
        raise BadInput("a sale is a JSON object", field="sale")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise BadInput(f"unknown field(s) {', '.join(sorted(key_name(u) for u in unknown))}",
                       field=key_name(sorted(unknown)[0]))
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise BadInput("a sale needs a non-empty list of lines", field="lines")
    if len(raw_lines) > 500:
        raise BadInput("more than 500 lines in one sale", field="lines")
    lines: list[LineRequest] = []
    for i, raw in enumerate(raw_lines):
        f = f"lines[{i}]"
        if not isinstance(raw, dict):
            raise BadInput("a line is a JSON object", field=f)
        bad = set(raw) - _LINE_KEYS
        if bad:
            raise BadInput(f"unknown field(s) {', '.join(sorted(key_name(b) for b in bad))}",
                           field=f"{f}.{key_name(min(bad))}")
        key = _code_key(raw)
        code = raw.get(key)
        if not isinstance(code, str) or not code.strip():
            raise BadInput("a line needs a sku or barcode", field=f"{f}.sku")
        code = check_text(code, field=f"{f}.{key}", max_len=MAX_CODE)
        qty = qty_to_milli(raw.get("qty", 1), field=f"{f}.qty")
        price = None if raw.get("price") is None else rupiah(raw["price"], field=f"{f}.price")
        lines.append(LineRequest(code.strip(), qty, price,
                                 parse_discount(raw.get("discount"), field=f"{f}.discount")))
    raw_pay = data.get("payments")
    if not isinstance(raw_pay, list) or not raw_pay:
        raise BadInput("a sale needs a non-empty list of payments", field="payments")
    payments: list[PaymentRequest] = []
    if len(raw_pay) > 20:
        raise BadInput("more than 20 payments in one sale", field="payments")
    customer = _customer(data)
    due_missing = False
    for i, raw in enumerate(raw_pay):
        f = f"payments[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("method"), str):
            raise BadInput('a payment is {"method": ..., "amount": N}', field=f"{f}.method")
        bad = set(raw) - _PAYMENT_KEYS
        if bad:
            raise BadInput(f"unknown field(s) {', '.join(sorted(key_name(b) for b in bad))}",
                           field=f"{f}.{key_name(min(bad))}")
        method = check_text(raw["method"], field=f"{f}.method", max_len=MAX_CODE)
        key = "tendered" if "tendered" in raw else "amount"
        if key not in raw:
            if len(raw_pay) != 1 or method == CASH or amount_due is None:
                raise BadInput("a payment needs an amount (or tendered, for cash); only a "
                               "sale's single non-cash payment may leave it out (it is "
                               "then the amount due)", field=f"{f}.amount")
            due_missing = True
        ref = raw.get("provider_ref")
        if ref is not None:
            ref = check_text(ref, field=f"{f}.provider_ref", max_len=MAX_CODE) or None
        if raw.get("customer_id") is not None:  # README: "kasbon with customer_id"
            paying = check_text(raw["customer_id"], field=f"{f}.customer_id", max_len=MAX_CODE)
            if customer is not None and paying != customer:
                raise BadInput("names another customer than the sale's",
                               field=f"{f}.customer_id")
            customer = paying
        amount = 0 if due_missing else rupiah(raw[key], field=f"{f}.{key}")
        payments.append(PaymentRequest(method, amount, ref))
    approval = None
    if data.get("approval") is not None:
        a = data["approval"]
        if not isinstance(a, dict) or not isinstance(a.get("user"), str) \
                or not isinstance(a.get("pin"), str) or set(a) - {"user", "pin"}:
            raise BadInput('approval is {"user": NAME, "pin": PIN}', field="approval")
        approval = Approval(check_text(a["user"], field="approval.user", max_len=MAX_CODE),
                            check_text(a["pin"], field="approval.pin", max_len=MAX_CODE))
    promo_code = None
    if data.get("promo_code") is not None:  # checked against the shop by the checkout
        promo_code = normalise_code(check_text(data["promo_code"], field="promo_code",
                                               max_len=MAX_CODE))
    req = SaleRequest(tuple(lines), tuple(payments),
                      parse_discount(data.get("discount"), field="discount"), customer,
                      approval, promo_code=promo_code)
    if due_missing and amount_due is not None:
        req = replace(req, payments=(replace(payments[0], amount=amount_due(req)),))
    return req

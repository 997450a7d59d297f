"""Reading a sale from outside input (the CLI's JSON, later a scanner script).

Shape::

    {"lines": [{"sku": "IDM-GRG", "qty": 2}, {"barcode": "8992388101013", "qty": "0.25",
                "discount": {"percent": 10}, "price": 12000}],
     "discount": {"amount": 500},
     "payments": [{"method": "cash", "tendered": 50000}],
     "customer_id": "...", "approval": {"user": "Sari", "pin": "2222"}}

Every problem is reported with the path of the field that caused it.
"""

from __future__ import annotations

from typing import Any

from services.cart import NO_DISCOUNT, Discount
from services.errors import BadInput
from services.money import decimal_value, qty_to_milli, rupiah
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest

_LINE_KEYS = {"sku", "barcode", "code", "qty", "price", "discount"}
_TOP_KEYS = {"lines", "payments", "discount", "customer_id", "customer", "approval"}


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


def parse_sale(data: Any) -> SaleRequest:
    if not isinstance(data, dict):
        raise BadInput("a sale is a JSON object", field="sale")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise BadInput(f"unknown field(s) {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
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
            raise BadInput(f"unknown field(s) {', '.join(sorted(bad))}", field=f"{f}.{min(bad)}")
        code = raw.get("barcode") or raw.get("sku") or raw.get("code")
        if not isinstance(code, str) or not code.strip():
            raise BadInput("a line needs a sku or barcode", field=f"{f}.sku")
        qty = qty_to_milli(raw.get("qty", 1), field=f"{f}.qty")
        price = None if raw.get("price") is None else rupiah(raw["price"], field=f"{f}.price")
        lines.append(LineRequest(code.strip(), qty, price,
                                 parse_discount(raw.get("discount"), field=f"{f}.discount")))
    raw_pay = data.get("payments")
    if not isinstance(raw_pay, list) or not raw_pay:
        raise BadInput("a sale needs a non-empty list of payments", field="payments")
    payments: list[PaymentRequest] = []
    for i, raw in enumerate(raw_pay):
        f = f"payments[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("method"), str):
            raise BadInput('a payment is {"method": ..., "amount": N}', field=f"{f}.method")
        key = "tendered" if "tendered" in raw else "amount"
        if key not in raw:
            raise BadInput("a payment needs an amount (or tendered, for cash)",
                           field=f"{f}.amount")
        ref = raw.get("provider_ref")
        payments.append(PaymentRequest(raw["method"], rupiah(raw[key], field=f"{f}.{key}"),
                                       str(ref) if ref else None))
    customer = data.get("customer_id")
    if customer is not None and not isinstance(customer, str):
        raise BadInput("must be a customer id", field="customer_id")
    approval = None
    if data.get("approval") is not None:
        a = data["approval"]
        if not isinstance(a, dict) or not isinstance(a.get("user"), str) \
                or not isinstance(a.get("pin"), str):
            raise BadInput('approval is {"user": NAME, "pin": PIN}', field="approval")
        approval = Approval(a["user"], a["pin"])
    return SaleRequest(tuple(lines), tuple(payments),
                       parse_discount(data.get("discount"), field="discount"), customer,
                       approval)

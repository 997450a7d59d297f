"""Tender: how a priced cart is paid. Pure value code.

Non-cash payments are exact (no change). What is left is paid in cash, kasbon, or both;
when any cash is tendered, the cash part is rounded to the store's unit (e.g. Rp 100) and
the difference is booked to its own account. Kasbon takes the exact remainder it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.errors import BadInput
from services.money import round_cash

CASH = "cash"
KASBON = "kasbon"
#: Non-cash methods recorded without a provider (card on the bank's own EDC machine).
MANUAL_METHODS = frozenset({"edc"})
#: Methods that need the payment provider (Midtrans) through the payment port.
PROVIDER_METHODS = frozenset({
    "qris", "gopay", "shopeepay", "va_bca", "va_bni", "va_bri", "va_permata",
})
#: A member's loyalty points, worth points x the point value (services/loyalty.py).
POINTS = "points"
ALL_METHODS = frozenset({CASH, KASBON, POINTS}) | MANUAL_METHODS | PROVIDER_METHODS


@dataclass(frozen=True, slots=True)
class TenderInput:
    method: str
    amount: int  # for cash: what the customer hands over


@dataclass(frozen=True, slots=True)
class AppliedPayment:
    method: str
    amount: int  # what this payment contributes to the sale (cash: net of change)
    tendered: int
    change: int


@dataclass(frozen=True, slots=True)
class TenderResult:
    payments: tuple[AppliedPayment, ...]
    rounding: int  # payable - total; positive means the customer paid a little more
    payable: int
    change: int


def settle(total: int, tenders: list[TenderInput], *, rounding_unit: int,
           rounding_mode: str) -> TenderResult:
    if not tenders:
        raise BadInput("at least one payment is needed", field="payments")
    for i, t in enumerate(tenders):
        if t.method not in ALL_METHODS:
            raise BadInput(f"unknown payment method '{t.method}'", field=f"payments[{i}].method")
        if t.amount <= 0:
            raise BadInput("must be more than zero", field=f"payments[{i}].amount")
    cash_tendered = sum(t.amount for t in tenders if t.method == CASH)
    exact = [t for t in tenders if t.method != CASH]
    exact_sum = sum(t.amount for t in exact)
    if exact_sum > total:
        raise BadInput("non-cash payments exceed the total", field="payments")
    due = total - exact_sum
    has_cash = any(t.method == CASH for t in tenders)
    if has_cash:
        if due == 0:
            raise BadInput("cash given but nothing is left to pay", field="payments")
        cash_due = round_cash(due, rounding_unit, rounding_mode)
        if cash_tendered < cash_due:
            raise BadInput(
                f"tender short: {cash_tendered} given, {cash_due} due", field="payments")
    else:
        if due != 0:
            raise BadInput(f"tender short: {due} still due", field="payments")
        cash_due = 0
    change = cash_tendered - cash_due
    applied: list[AppliedPayment] = []
    change_left = change
    for t in tenders:
        if t.method == CASH:
            give = min(change_left, t.amount)
            change_left -= give
            applied.append(AppliedPayment(CASH, t.amount - give, t.amount, give))
        else:
            applied.append(AppliedPayment(t.method, t.amount, t.amount, 0))
    rounding = cash_due - due if has_cash else 0
    return TenderResult(tuple(applied), rounding, total + rounding, change)

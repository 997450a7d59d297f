"""The chart of accounts' codes as the services post to them (seeded by migration 0001)."""

from __future__ import annotations

CASH_DRAWER = "1-1100"
CASH_SAFE = "1-1110"
BANK = "1-1200"
MIDTRANS_CLEARING = "1-1300"
EDC_CLEARING = "1-1310"
KASBON_RECEIVABLE = "1-1400"
INVENTORY = "1-1500"
INPUT_TAX = "1-1600"  # PPN masukan (migration 0003)
ACCOUNTS_PAYABLE = "2-1100"
PPN_PAYABLE = "2-1200"
OTHER_PAYABLES = "2-1900"  # utang lain-lain (migration 0003)
OWNER_CAPITAL = "3-1000"
OWNER_DRAWINGS = "3-2000"
RETAINED_EARNINGS = "3-3000"  # laba ditahan (migration 0003)
REVENUE = "4-1000"
SALES_RETURNS = "4-1100"
ROUNDING = "4-9000"
COGS = "5-1000"
EXPENSES = "6-1000"
CASH_OVER_SHORT = "6-2000"
STOCK_ADJUSTMENT = "6-3000"
PAYMENT_FEES = "6-4000"
LOYALTY_REDEMPTION = "6-5000"  # beban program loyalitas (migration 0005)


def account_for_method(method: str) -> str:
    """Where the money of a tender goes (debit side of the sale's entry)."""
    if method == "cash":
        return CASH_DRAWER
    if method == "kasbon":
        return KASBON_RECEIVABLE
    if method == "edc":
        return EDC_CLEARING
    if method == "points":
        return LOYALTY_REDEMPTION
    return MIDTRANS_CLEARING

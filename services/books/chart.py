"""The chart of accounts as data: each account's type and its names in Bahasa Indonesia and
English (migrations 0001, 0003 and 0005), and the expense categories' own accounts (6-11NN).

The type of an account comes from the first digit of its code, the one rule both engines
share (central has no account table): 1 asset, 2 liability, 3 equity, 4 revenue, 5 and 6
expense. The till's ``account`` table says the same for every account it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from sqlalchemy import Connection, select
from sqlalchemy.sql.expression import FromClause

from local_db.models import ExpenseCategory
from services.errors import BadInput

AccountType = Literal["asset", "liability", "equity", "revenue", "expense"]

_TYPES: Mapping[str, AccountType] = {"1": "asset", "2": "liability", "3": "equity",
                                     "4": "revenue", "5": "expense", "6": "expense"}

#: code -> (name in Bahasa Indonesia, name in English), as migrations 0001 and 0003 seed them.
NAMES: Mapping[str, tuple[str, str]] = {
    "1-1100": ("Kas laci", "Cash drawer"),
    "1-1110": ("Kas besar", "Safe"),
    "1-1200": ("Bank", "Bank"),
    "1-1300": ("Kliring Midtrans", "Midtrans clearing"),
    "1-1310": ("Kliring EDC", "Card clearing"),
    "1-1400": ("Piutang kasbon", "Store credit receivable"),
    "1-1500": ("Persediaan barang", "Inventory"),
    "1-1600": ("PPN masukan", "Input tax"),
    "2-1100": ("Utang usaha", "Accounts payable"),
    "2-1200": ("PPN keluaran", "PPN payable"),
    "2-1900": ("Utang lain-lain", "Other payables"),
    "3-1000": ("Modal pemilik", "Owner's capital"),
    "3-2000": ("Prive", "Owner's drawings"),
    "3-3000": ("Laba ditahan", "Retained earnings"),
    "4-1000": ("Penjualan", "Sales revenue"),
    "4-1100": ("Retur penjualan", "Sales returns"),
    "4-9000": ("Selisih pembulatan", "Cash rounding"),
    "5-1000": ("Harga pokok penjualan", "Cost of goods sold"),
    "6-1000": ("Beban operasional", "Operating expenses"),
    "6-1101": ("Beban listrik", "Electricity"),
    "6-1102": ("Beban air", "Water"),
    "6-1103": ("Beban gaji", "Wages"),
    "6-1104": ("Beban sewa", "Rent"),
    "6-1105": ("Beban transport", "Transport"),
    "6-1106": ("Beban es batu", "Ice"),
    "6-1107": ("Beban plastik", "Plastic bags"),
    "6-1108": ("Beban perbaikan", "Repairs"),
    "6-1109": ("Beban lain-lain", "Other expenses"),
    "6-2000": ("Selisih kas", "Cash over/short"),
    "6-5000": ("Beban program loyalitas", "Loyalty points redeemed"),
    "6-3000": ("Penyesuaian persediaan", "Stock adjustments"),
    "6-4000": ("Biaya MDR", "Payment fees"),
}

#: The accounts a cash book is kept for (drawer, safe, bank).
CASH_ACCOUNTS = ("1-1100", "1-1110", "1-1200")
RETAINED_EARNINGS = "3-3000"
#: The closing entry's kind (services.books.periods); statements of a period leave it out.
CLOSING_KIND = "period.close"


def account_type(code: str) -> AccountType:
    """The type of an account from the first digit of its code (``BadInput`` otherwise)."""
    kind = _TYPES.get(code[:1]) if len(code) >= 2 and code[1] == "-" else None
    if kind is None:
        raise BadInput(f"{code!r} is not an account code (1-xxxx .. 6-xxxx)", field="account")
    return kind


def is_debit_normal(code: str) -> bool:
    """Assets and expenses grow on the debit side; liabilities, equity and revenue on the
    credit side."""
    return account_type(code) in ("asset", "expense")


def category_names(conn: Connection | None, table: FromClause | None = None
                   ) -> dict[str, str]:
    """account code -> category name of the owner's expense categories: ``table`` (a
    ReportSource's ``expense_category``), else the till's own table when ``conn`` is the
    till's; {} without either (central without the table: accounts go by their codes)."""
    if conn is None:
        return {}
    if table is None:
        if conn.dialect.name != "sqlite":
            return {}
        table = ExpenseCategory.__table__
    rows = conn.execute(select(table.c.account_code, table.c.name))
    return {str(a): str(n) for a, n in rows}


def account_name(code: str, lang: str = "id", conn: Connection | None = None, *,
                 categories: Mapping[str, str] | None = None) -> str:
    """An account's name for people. The seeded accounts by the table above; a category the
    owner added (6-11NN) from ``expense_category`` (through ``conn``, or ``categories`` read
    once with :func:`category_names`); anything else by its code."""
    known = NAMES.get(code)
    if known is not None:
        return known[1] if lang == "en" else known[0]
    cats = categories if categories is not None else category_names(conn)
    if code in cats:
        return f"Beban {cats[code].lower()}" if lang != "en" else f"Expense: {cats[code]}"
    return code

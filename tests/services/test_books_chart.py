"""The chart as data: types from the code's first digit agree with the till's account
table, every seeded account has its names, and an owner's new category is named from
``expense_category``."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.shop import Shop
from services.books.chart import account_name, account_type, category_names, is_debit_normal
from services.errors import BadInput
from services.expenses import add_category
from services.users import Actor


def test_types_from_the_first_digit() -> None:
    assert [account_type(c) for c in ("1-1100", "2-1900", "3-3000", "4-9000", "5-1000",
                                      "6-1101")] == ["asset", "liability", "equity",
                                                     "revenue", "expense", "expense"]
    assert is_debit_normal("6-4000") and not is_debit_normal("2-1200")
    for bad in ("7-1000", "", "11000", "x-1"):
        with pytest.raises(BadInput) as err:
            account_type(bad)
        assert err.value.field == "account"


def test_the_chart_agrees_with_the_till(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        rows = uow.conn.execute(text("SELECT code, type FROM account")).all()
    assert len(rows) >= 30
    for code, kind in rows:
        assert account_type(str(code)) == kind, code
        assert account_name(str(code)) != code and account_name(str(code), "en") != code
    assert account_name("1-1400") == "Piutang kasbon"
    assert account_name("1-1400", "en") == "Store credit receivable"


def test_a_new_category_is_named_from_its_table(shop: Shop, owner: Actor) -> None:
    with shop.uow() as uow:
        view = add_category(uow, owner, code="parkir", name="Parkir")
    code = view.account_code
    assert code.startswith("6-11") and code not in ("6-1101", "6-1109")
    assert account_name(code) == code  # no connection: its code
    with shop.uow(write=False) as uow:
        assert account_name(code, "id", uow.conn) == "Beban parkir"
        assert account_name(code, "en", uow.conn) == "Expense: Parkir"
        assert category_names(uow.conn)[code] == "Parkir"

"""The bare demo (``warungin demo --empty``, app.demo.seed_demo): the owner puts opening cash
in the safe (app.demo_books.open_the_safe) before the shift's float is taken from it, so no
cash or bank account is ever negative and ``verify`` is clean."""

from __future__ import annotations

import sqlite3

from app.demo import DEMO_FLOAT
from app.demo_books import OPENING_SAFE
from app.shop import Shop
from services.books.chart import CASH_ACCOUNTS
from services.verify import verify_database

SAFE, BANK = "1-1110", "1-1200"


def _rows(shop: Shop, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(shop.folder / "warungin.db") as db:
        return db.execute(sql, params).fetchall()


def test_no_cash_or_bank_account_is_ever_negative(shop: Shop) -> None:
    """``shop`` is a copy of the bare demo (tests/conftest.py ``demo_template``)."""
    rows = _rows(shop, "SELECT e.kind, l.account_code, SUM(l.debit - l.credit) "
                       "FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id "
                       f"WHERE l.account_code IN ({', '.join('?' * len(CASH_ACCOUNTS))}) "
                       "GROUP BY e.id, l.account_code ORDER BY e.created_at, e.id",
                 *CASH_ACCOUNTS)
    running = dict.fromkeys(CASH_ACCOUNTS, 0)
    lowest: dict[str, tuple[int, str]] = {}
    for kind, account, amount in rows:
        running[str(account)] += int(str(amount))
        if running[str(account)] < 0:
            lowest.setdefault(str(account), (running[str(account)], str(kind)))
    assert lowest == {}, lowest  # was {"1-1110": (-200000, "shift.float")}
    assert running[SAFE] == OPENING_SAFE - DEMO_FLOAT
    assert running[BANK] == 0  # the capital paid in was drawn into the safe at once
    assert running["1-1100"] == DEMO_FLOAT


def test_the_safe_is_opened_once_from_the_owners_capital_before_the_float(shop: Shop) -> None:
    transfers = _rows(shop, "SELECT e.created_at, l.account_code, l.debit, l.credit "
                            "FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id "
                            "WHERE e.kind = 'cash.transfer' ORDER BY e.created_at, l.id")
    [(first_float,)] = _rows(shop, "SELECT MIN(created_at) FROM journal_entry "
                                   "WHERE kind = 'shift.float'")
    assert all(str(at) < str(first_float) for at, *_ in transfers)
    # capital into the bank (Cr 3-1000), then the bank into the safe: once each.
    assert sorted((str(a), int(str(d)), int(str(c))) for _at, a, d, c in transfers) == sorted([
        (BANK, OPENING_SAFE, 0), ("3-1000", 0, OPENING_SAFE),
        (SAFE, OPENING_SAFE, 0), (BANK, 0, OPENING_SAFE)])
    audited = _rows(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'cash.transfer'")
    assert audited == [(2,)]


def test_verify_is_clean(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        report = verify_database(uow.conn)
    assert report.ok, report.first_failure

"""Reading the books: trial balance and account balances (the writing is in local_db.store)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from local_db.models import Account, JournalLine


@dataclass(frozen=True, slots=True)
class AccountBalance:
    code: str
    name: str
    type: str
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        """Debit minus credit: positive for assets and expenses in their normal state."""
        return self.debit - self.credit


@dataclass(frozen=True, slots=True)
class TrialBalance:
    accounts: tuple[AccountBalance, ...]
    total_debit: int
    total_credit: int

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit

    def as_dict(self) -> dict[str, Any]:
        return {"balanced": self.balanced, "total_debit": self.total_debit,
                "total_credit": self.total_credit,
                "accounts": [{**asdict(a), "balance": a.balance} for a in self.accounts]}


def trial_balance(conn: Connection) -> TrialBalance:
    sums = {str(code): (int(d), int(c)) for code, d, c in conn.execute(
        select(JournalLine.account_code, func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .group_by(JournalLine.account_code))}
    accounts = tuple(
        AccountBalance(str(a.code), str(a.name), str(a.type), *sums.get(str(a.code), (0, 0)))
        for a in conn.execute(select(Account.code, Account.name, Account.type)
                              .order_by(Account.code)))
    return TrialBalance(accounts, sum(a.debit for a in accounts),
                        sum(a.credit for a in accounts))

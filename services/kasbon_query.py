"""Kasbon (store credit) balances and entries, shared by sales, refunds and repayments."""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select

from local_db.ids import uuid7
from local_db.models import KasbonEntry


def kasbon_balance(conn: Connection, customer_id: str) -> int:
    total = conn.execute(select(func.coalesce(func.sum(KasbonEntry.amount), 0))
                         .where(KasbonEntry.customer_id == customer_id)).scalar()
    return int(total or 0)


def add_kasbon_entry(conn: Connection, customer_id: str, amount: int, kind: str, ref_id: str,
                     method: str | None, shift_id: str | None, created_at: str) -> str:
    entry_id = uuid7()
    conn.execute(insert(KasbonEntry).values(
        id=entry_id, customer_id=customer_id, amount=amount, kind=kind, ref_id=ref_id,
        method=method, shift_id=shift_id, created_at=created_at))
    return entry_id

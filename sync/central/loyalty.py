"""The tenant's loyalty ledger at central (issue 15): members' balances over every till, and
the redemption conflicts (view ``central.loyalty_conflict``, migration c0008) the owner must
see: redemptions after which a member's tenant balance was below zero, i.e. two tills that
redeemed the same points while offline. Read through a connection whose row-level security
names the tenant (an owner's or a terminal's role)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


@dataclass(frozen=True, slots=True)
class LoyaltyConflict:
    customer_id: str
    entry_id: str
    terminal_id: str
    store_id: str
    points: int
    value: int
    created_at: str
    received_at: str
    balance_after: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def loyalty_conflicts(conn: Connection, *, customer_id: str | None = None
                      ) -> tuple[LoyaltyConflict, ...]:
    """The tenant's redemptions that took a member below zero, oldest first."""
    cond = "" if customer_id is None else " AND customer_id = CAST(:c AS uuid)"
    return tuple(LoyaltyConflict(str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]),
                                 int(r[5]), _iso(r[6]), _iso(r[7]), int(r[8]))
                 for r in conn.execute(text(
                     "SELECT customer_id, entry_id, terminal_id, store_id, points, value, "
                     "created_at, received_at, balance_after FROM central.loyalty_conflict "
                     "WHERE tenant_id = central.current_tenant()" + cond
                     + " ORDER BY created_at, entry_id"), {"c": customer_id}))


def tenant_balances(conn: Connection) -> dict[str, int]:
    """Every member's balance over the tenant's tills (the sum of the ledger)."""
    return {str(c): int(b) for c, b in conn.execute(text(
        "SELECT customer_id, sum(points) FROM central.loyalty_entry "
        "WHERE tenant_id = central.current_tenant() GROUP BY customer_id"))}


__all__ = ["LoyaltyConflict", "loyalty_conflicts", "tenant_balances"]

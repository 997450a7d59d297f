"""The points ledger's rows (issue 15): writing them with their outbox event, balances,
and when a lot lapses. No rule of earning lives here (see services/loyalty.py).

Every row a till writes travels to central in a ``loyalty.recorded`` event written in the
same transaction (sync/push_rows.py); the rows of the tenant's other tills come back down by
the pull, so a member's balance is the sum over every till this till has heard of.
"""

from __future__ import annotations

import uuid
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from local_db.fastpath import hot_execute, insert_sql
from local_db.ids import uuid7
from local_db.models import LoyaltyEntry
from local_db.store import append_outbox
from services.formatting import DEFAULT_TIMEZONE, parse_moment, zone

EVENT = "loyalty.recorded"
#: Expiry rows get a name made from the customer and the lapse moment, the same on every
#: till, so two tills expiring the same lot write one row at central.
_EXPIRY_NS = uuid.UUID("0b6f0c1e-6a55-4c1c-9a3b-6c6f79616c74")

COLUMNS = ("id", "customer_id", "kind", "points", "spend", "value", "sale_id", "refund_id",
           "expires_at", "lot_expiry", "terminal_id", "user_id", "approver_id", "reason",
           "created_at")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    id: str
    customer_id: str
    kind: str
    points: int
    created_at: str
    spend: int = 0
    value: int = 0
    sale_id: str | None = None
    refund_id: str | None = None
    expires_at: str | None = None
    lot_expiry: str | None = None
    terminal_id: str = ""
    user_id: str | None = None
    approver_id: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


def new_row(customer_id: str, kind: str, points: int, created_at: str, terminal_id: str,
            **extra: Any) -> LedgerRow:
    return LedgerRow(id=extra.pop("id", None) or uuid7(), customer_id=customer_id, kind=kind,
                     points=points, created_at=created_at, terminal_id=terminal_id, **extra)


def expiry_id(customer_id: str, lot_expiry: str) -> str:
    return str(uuid.uuid5(_EXPIRY_NS, f"{customer_id}|{lot_expiry}"))


def write_rows(conn: Connection, rows: Sequence[LedgerRow], *, aggregate_id: str | None,
               created_at: str) -> None:
    """Insert ``rows`` and their outbox event, in the caller's transaction."""
    if not rows:
        return
    hot_execute(conn, insert_sql(LoyaltyEntry), [r.as_dict() for r in rows])
    append_outbox(conn, EVENT, {"entries": [r.as_dict() for r in rows]},
                  aggregate_id=aggregate_id, created_at=created_at)


_BALANCE = "SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE customer_id = ?"


def balance(conn: Connection, customer_id: str) -> int:
    """The member's points as this till knows them (may be below zero after a refund)."""
    row = hot_execute(conn, _BALANCE, (customer_id,))
    return int(row[0]) if row else 0


def rows_of(conn: Connection, customer_id: str) -> list[LedgerRow]:
    """The member's ledger, oldest first (by wall-clock stamp, then id)."""
    result = conn.execute(text(
        f"SELECT {', '.join(COLUMNS)} FROM loyalty_entry WHERE customer_id = :c "
        "ORDER BY created_at, id"), {"c": customer_id})
    return [LedgerRow(**dict(zip(COLUMNS, r, strict=True))) for r in result]


def store_zone(conn: Connection) -> str:
    row = hot_execute(conn, "SELECT value FROM setting WHERE key = 'timezone'")
    return str(row[0]) if row and row[0] else DEFAULT_TIMEZONE


def lot_expiry(earned_at: str | datetime, months: int, zone_name: str) -> str | None:
    """When points earned at ``earned_at`` lapse: the first instant after the last day of
    the month ``months`` months after the earning month, on the store's wall clock, as
    UTC ISO. None when points never lapse (``months`` 0)."""
    if months <= 0:
        return None
    tz = zone(zone_name)
    local = parse_moment(earned_at).astimezone(tz)
    index = local.year * 12 + (local.month - 1) + months + 1  # the month after the last one
    year, month0 = divmod(index, 12)
    lapse = datetime(year, month0 + 1, 1, tzinfo=tz)
    # A fixed-offset or zoneinfo zone: normalise through UTC (no DST in Indonesia anyway).
    return lapse.astimezone(UTC).isoformat(timespec="microseconds")


def last_valid_day(expires_at: str, zone_name: str) -> str:
    """The store's last calendar day on which a lot is still valid (YYYY-MM-DD)."""
    local = parse_moment(expires_at).astimezone(zone(zone_name))
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}-{monthrange(year, month)[1]:02d}"


__all__ = ["COLUMNS", "EVENT", "LedgerRow", "balance", "expiry_id", "last_valid_day",
           "lot_expiry", "new_row", "rows_of", "store_zone", "write_rows"]

"""The tenant's accounting periods at central (migration c0006).

The owner closes a month for the whole tenant here (through the administrator's
connection: the owner role only reads). The row comes down to every till of the tenant
with its next pull (``sync.pull``), whose database then refuses non-sale postings into the
month. Nothing at central is ever refused for it: an entry a till booked into the month
before it heard of the close (a till that was offline) is kept and listed as a late
posting (view ``central.late_posting``: created in the period, received after its close).

A period is a month in the store's time zone (the tenant's ``timezone`` store setting,
else Asia/Jakarta); ``starts_at``/``ends_at`` are its UTC bounds, as on the tills.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, text

from services.errors import BadInput, Conflict
from sync.central.admin import _ready, _tenant_exists, admin_transaction, check_uuid

DEFAULT_TIMEZONE = "Asia/Jakarta"
STATES = ("open", "soft", "hard")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class CentralPeriod:
    tenant_id: str
    period: str
    starts_at: str
    ends_at: str
    state: str
    closed_at: str | None
    closed_by: str | None
    ppn_filed_at: str | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def month_bounds(period: str, timezone: str = DEFAULT_TIMEZONE) -> tuple[datetime, datetime]:
    """The UTC bounds of a store-local month ``YYYY-MM``."""
    m = _MONTH.match(period or "")
    if m is None:
        raise BadInput("a period is a month, YYYY-MM", field="period")
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"unknown time zone {timezone!r}", field="timezone") from None
    year, month = int(m.group(1)), int(m.group(2))
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return (datetime(year, month, 1, tzinfo=tz).astimezone(UTC),
            datetime(nxt[0], nxt[1], 1, tzinfo=tz).astimezone(UTC))


def _iso(value: Any) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def _tenant_zone(conn: Connection, tenant_id: str) -> str:
    zone = conn.execute(text(
        "SELECT value FROM central.store_setting WHERE tenant_id = :t AND key = 'timezone' "
        "AND deleted_at IS NULL ORDER BY store_id LIMIT 1"), {"t": tenant_id}).scalar()
    return str(zone) if zone else DEFAULT_TIMEZONE


_COLUMNS = ("period, starts_at, ends_at, state, closed_at, closed_by, ppn_filed_at, note")


def _view(tenant_id: str, row: Any) -> CentralPeriod:
    return CentralPeriod(tenant_id, str(row[0]), str(_iso(row[1])), str(_iso(row[2])),
                         str(row[3]), _iso(row[4]), row[5], _iso(row[6]), row[7])


def set_period_state(dsn: str, tenant_id: str, period: str, state: str, *,
                     closed_by: str | None = None, note: str | None = None,
                     ppn_filed: bool = False, timezone: str | None = None) -> CentralPeriod:
    """Close (``soft``), lock (``hard``) or reopen (``open``) a month for the tenant.

    Only a month that has ended may be closed (as on the tills). Closing stamps
    ``closed_at`` (the late-posting line: entries of the month that central receives after
    it are late); closing again keeps the first stamp; reopening clears it. Each till,
    when it pulls the close, posts its own closing entry (``sync.pull``).
    ``ppn_filed`` stamps ``ppn_filed_at`` (a hard lock once the PPN return is filed)."""
    tenant_id = check_uuid(tenant_id, "tenant")
    if state not in STATES:
        raise BadInput(f"a period's state is one of {', '.join(STATES)}", field="state")
    with admin_transaction(dsn) as conn:
        _ready(conn)
        _tenant_exists(conn, tenant_id)
        lo, hi = month_bounds(period, timezone or _tenant_zone(conn, tenant_id))
        if state != "open" and datetime.now(UTC) < hi:
            raise Conflict(f"{period} has not ended yet in the store's time zone",
                           field="period")
        row = conn.execute(text(
            "INSERT INTO central.accounting_period (tenant_id, period, starts_at, ends_at, "
            "state, closed_at, closed_by, ppn_filed_at, note) VALUES (:t, :p, :lo, :hi, :s, "
            "CASE WHEN :s = 'open' THEN NULL ELSE now() END, :by, "
            "CASE WHEN :pf THEN now() END, :n) "
            "ON CONFLICT (tenant_id, period) DO UPDATE SET state = excluded.state, "
            "closed_at = CASE WHEN excluded.state = 'open' THEN NULL "
            "  ELSE coalesce(central.accounting_period.closed_at, excluded.closed_at) END, "
            "closed_by = coalesce(excluded.closed_by, central.accounting_period.closed_by), "
            "ppn_filed_at = coalesce(central.accounting_period.ppn_filed_at, "
            "  excluded.ppn_filed_at), "
            "note = coalesce(excluded.note, central.accounting_period.note), "
            "updated_at = now() "
            f"RETURNING {_COLUMNS}"),
            {"t": tenant_id, "p": period, "lo": lo, "hi": hi, "s": state, "by": closed_by,
             "pf": ppn_filed, "n": note}).one()
    return _view(tenant_id, row)


def close_period(dsn: str, tenant_id: str, period: str, *, closed_by: str | None = None,
                 note: str | None = None, timezone: str | None = None) -> CentralPeriod:
    """Close a month for the tenant (soft): every till refuses non-sale postings into it
    once it has pulled; late sales are kept and listed."""
    return set_period_state(dsn, tenant_id, period, "soft", closed_by=closed_by, note=note,
                            timezone=timezone)


def periods(conn: Connection) -> tuple[CentralPeriod, ...]:
    """The periods of the tenant the connection reads (owner or terminal role; RLS)."""
    tenant = conn.execute(text("SELECT central.current_tenant()::text")).scalar()
    return tuple(_view(str(tenant), r) for r in conn.execute(text(
        f"SELECT {_COLUMNS} FROM central.accounting_period "
        "WHERE tenant_id = central.current_tenant() ORDER BY period")))


@dataclass(frozen=True, slots=True)
class LatePosting:
    entry_id: str
    terminal_id: str
    store_id: str
    kind: str
    memo: str
    created_at: str
    received_at: str
    period: str
    closed_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def late_postings(conn: Connection, *, period: str | None = None,
                  store_id: str | None = None, terminal_id: str | None = None
                  ) -> tuple[LatePosting, ...]:
    """Entries booked into a period closed at central that arrived after the close."""
    conds = ["tenant_id = central.current_tenant()"]
    args: dict[str, Any] = {}
    if period is not None:
        conds.append("period = :p")
        args["p"] = period
    if store_id is not None:
        conds.append("store_id = CAST(:s AS uuid)")
        args["s"] = check_uuid(store_id, "store")
    if terminal_id is not None:
        conds.append("terminal_id = CAST(:tm AS uuid)")
        args["tm"] = check_uuid(terminal_id, "terminal")
    return tuple(
        LatePosting(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(_iso(r[5])),
                    str(_iso(r[6])), str(r[7]), str(_iso(r[8])))
        for r in conn.execute(text(
            "SELECT entry_id, terminal_id, store_id, kind, memo, created_at, received_at, "
            f"period, closed_at FROM central.late_posting WHERE {' AND '.join(conds)} "
            "ORDER BY created_at, entry_id"), args))


__all__ = ["CentralPeriod", "LatePosting", "close_period", "late_postings", "month_bounds",
           "periods", "set_period_state"]

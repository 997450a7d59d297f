"""Loyalty tiers (issue 15): a member's tier follows their eligible pre-tax spend, or the
points they earned (the setting ``tier_basis``), over a rolling 12 months, read from the
points ledger (which holds the rows of every till of the tenant, so a member's spend at
another till counts once it is pulled).

The tier held is cached in ``loyalty_tier``: after each sale only a move *up* is applied
(cheap, one member; a customer is never demoted at the till in front of them), the nightly
job :func:`recalc_tiers` moves everyone up or down. :func:`customer_tiers` is the audience
filter campaigns use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from local_db.uow import UnitOfWork
from services.loyalty_settings import LoyaltySettings, fetch_all, read_loyalty_settings


def window_start(now: datetime) -> str:
    """The UTC ISO stamp 12 months before ``now`` (29 February falls back to the 28th)."""
    now = now.astimezone(UTC)
    try:
        start = now.replace(year=now.year - 1)
    except ValueError:
        start = now.replace(year=now.year - 1, day=28)
    return start.isoformat(timespec="microseconds")


def _measure_sql(basis: str, one: bool) -> str:
    # spend: eligible spend of earn rows less what refunds took back; points: earned points
    # less refund take-backs (a refund row with value > 0 gives redeemed points back and is
    # not earning).
    if basis == "spend":
        expr = "SUM(spend)"
        where = "kind IN ('earn', 'refund')"
    else:
        expr = "SUM(points)"
        where = "(kind = 'earn' OR (kind = 'refund' AND value = 0))"
    return (f"SELECT customer_id, COALESCE({expr}, 0) FROM loyalty_entry WHERE {where} "
            "AND created_at >= ?" + (" AND customer_id = ?" if one else "")
            + " GROUP BY customer_id")


def measures(conn: Connection, settings: LoyaltySettings, now: datetime,
             customer_id: str | None = None) -> dict[str, int]:
    """Spend (or points) over the last 12 months per member, from the ledger."""
    params: tuple[str, ...] = (window_start(now),) + (
        (customer_id,) if customer_id is not None else ())
    return {str(c): int(m) for c, m in fetch_all(
        conn, _measure_sql(settings.tier_basis, customer_id is not None), params)}


@dataclass(frozen=True, slots=True)
class TierChange:
    customer_id: str
    before: str | None
    after: str
    measure: int


_UPSERT = ("INSERT INTO loyalty_tier (customer_id, tier, measure, since, updated_at) "
           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET "
           "tier = excluded.tier, measure = excluded.measure, since = excluded.since, "
           "updated_at = excluded.updated_at")
_MEASURE = "UPDATE loyalty_tier SET measure = ?, updated_at = ? WHERE customer_id = ?"


def _store(conn: Connection, customer_id: str, tier: str, measure: int, stamp: str,
           changed: bool) -> None:
    if changed:
        fetch_all(conn, _UPSERT, (customer_id, tier, measure, stamp, stamp))
    else:
        fetch_all(conn, _MEASURE, (measure, stamp, customer_id))


def stored_tier(conn: Connection, customer_id: str) -> str | None:
    held = held_tier(conn, customer_id)
    return None if held is None else held[0]


def held_tier(conn: Connection, customer_id: str) -> tuple[str, int] | None:
    """(tier, measure as last stored) of a member, or None if they never earned."""
    rows = fetch_all(conn, "SELECT tier, measure FROM loyalty_tier WHERE customer_id = ?",
                     (customer_id,))
    return (str(rows[0][0]), int(rows[0][1])) if rows else None


def _rank(settings: LoyaltySettings, code: str | None) -> int:
    for i, t in enumerate(settings.tiers):
        if t.code == code:
            return i
    return -1


def refresh_tier(conn: Connection, settings: LoyaltySettings, customer_id: str,
                 now: datetime, *, gain: int | None = None,
                 held: tuple[str, int] | None | object = ...) -> TierChange | None:
    """After a sale: move the member up if the last 12 months now reach a higher tier (in
    the caller's transaction). Returns the change, or None.

    Cheap on the sale path: ``held`` (the stored tier and measure, read by the caller in
    this transaction; pass ``...`` to have it read here) and ``gain`` (what this sale added
    to the measure) give an upper bound of the new measure (the stored one only counts
    rows up to its last refresh, and the window only drops rows). Below the next tier's
    threshold nothing can move up: the bound is stored and no sum is run. Otherwise the
    exact sum decides. Rows pulled from other tills since the last exact sum are not in
    the bound: they count at the next exact sum (the nightly job stores exact measures)."""
    stamp = now.astimezone(UTC).isoformat(timespec="microseconds")
    if held is ...:
        held = held_tier(conn, customer_id)
    if isinstance(held, tuple) and gain is not None:
        code, measure = held
        rank = _rank(settings, code)
        above = [t.threshold for t in settings.tiers[rank + 1:]] if rank >= 0 else []
        if rank >= 0 and (not above or measure + gain < above[0]):
            _store(conn, customer_id, code, measure + gain, stamp, changed=False)
            return None
    old = held[0] if isinstance(held, tuple) else None
    m = measures(conn, settings, now, customer_id).get(customer_id, 0)
    new = settings.tier_for(m)
    if old is not None and _rank(settings, new.code) <= _rank(settings, old):
        _store(conn, customer_id, old, m, stamp, changed=False)
        return None
    _store(conn, customer_id, new.code, m, stamp, changed=True)
    return TierChange(customer_id, old, new.code, m)


def recalc_tiers(uow: UnitOfWork, now: datetime) -> tuple[TierChange, ...]:
    """The nightly job: every member's tier from the last 12 months, up or down. Commits.
    Running it twice changes nothing the second time."""
    conn = uow.conn
    settings = read_loyalty_settings(conn)
    got = measures(conn, settings, now)
    held = {str(c): str(t) for c, t in conn.execute(
        text("SELECT customer_id, tier FROM loyalty_tier"))}
    stamp = now.astimezone(UTC).isoformat(timespec="microseconds")
    changes: list[TierChange] = []
    for customer_id in sorted(set(got) | set(held)):
        m = got.get(customer_id, 0)
        new = settings.tier_for(m).code
        old = held.get(customer_id)
        _store(conn, customer_id, new, m, stamp, changed=new != old)
        if new != old:
            changes.append(TierChange(customer_id, old, new, m))
    uow.commit()
    return tuple(changes)


def customer_tiers(conn: Connection) -> Mapping[str, str]:
    """Customer id -> tier code for every customer not erased: the tier held, or the
    lowest tier for a customer who never earned (campaign audiences filter on this)."""
    settings = read_loyalty_settings(conn)
    base = settings.tiers[0].code
    held = {str(c): str(t) for c, t in conn.execute(
        text("SELECT customer_id, tier FROM loyalty_tier"))}
    return {str(c): held.get(str(c), base) for (c,) in conn.execute(
        text("SELECT id FROM customer WHERE erased_at IS NULL ORDER BY id"))}


__all__ = ["TierChange", "customer_tiers", "held_tier", "measures", "recalc_tiers", "refresh_tier",
           "stored_tier", "window_start"]

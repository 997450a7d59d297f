"""Engagement segments: RFM scores per customer from the real sales, fixed thresholds.

Klaviyo scores R, F and M by percentile, which needs hundreds of buying customers; a warung
has fewer, so the scores are fixed thresholds (definitions.md, Growth), each a setting:

- **R** (days since the last purchase): 3 if at most ``segments.recent_days`` (14),
  2 if at most ``segments.lapsing_days`` (45), else 1;
- **F** (purchases in the last ``segments.window_days``, 365): 3 from
  ``segments.frequent`` (6), 2 from ``segments.repeat`` (2), 1 from one;
- **M** (spend in the same window: sales' totals less their refunds): 3 from
  ``segments.big_spend`` (Rp 1.000.000), 2 from ``segments.mid_spend`` (Rp 250.000), else 1.

A score is 0 where there is nothing to score (never bought, nothing in the window). The
segment is the first rule that matches:

==================  ===================  ======================================================
code                Bahasa Indonesia     rule
==================  ===================  ======================================================
juara               Juara                R 3, F 3, M at least 2
baru                Baru                 first purchase within ``segments.new_days`` (30)
setia               Setia                R at least 2, F at least 2
perlu_perhatian     Perlu perhatian      R at least 2 (bought lately, once in the window)
berisiko            Berisiko             R 1, F at least 2 (used to come, has not lately)
hilang              Hilang               R 1, F at most 1
belum_belanja       Belum belanja        no purchase at all
==================  ===================  ======================================================

``recompute_segments(uow, now)`` is the nightly job (it rewrites the ``customer_segment``
cache and commits); the screens and ``warungin segments`` read the cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text

from local_db.models import SEGMENT_CODES, Customer, CustomerSegment
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from services.errors import BadInput, NotFound
from services.formatting import parse_moment
from services.users import Actor, authorize

#: Segment names as people read them.
SEGMENT_NAMES: dict[str, dict[str, str]] = {
    "juara": {"id": "Juara", "en": "Champions"},
    "baru": {"id": "Baru", "en": "New"},
    "setia": {"id": "Setia", "en": "Loyal"},
    "perlu_perhatian": {"id": "Perlu perhatian", "en": "Needs attention"},
    "berisiko": {"id": "Berisiko", "en": "At risk"},
    "hilang": {"id": "Hilang", "en": "Lost"},
    "belum_belanja": {"id": "Belum belanja", "en": "No purchase yet"},
}
#: setting -> default (days, counts, rupiah).
DEFAULTS: dict[str, int] = {
    "segments.recent_days": 14, "segments.lapsing_days": 45, "segments.window_days": 365,
    "segments.frequent": 6, "segments.repeat": 2, "segments.big_spend": 1_000_000,
    "segments.mid_spend": 250_000, "segments.new_days": 30,
}


@dataclass(frozen=True, slots=True)
class RfmRules:
    recent_days: int = 14
    lapsing_days: int = 45
    window_days: int = 365
    frequent: int = 6
    repeat: int = 2
    big_spend: int = 1_000_000
    mid_spend: int = 250_000
    new_days: int = 30

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> RfmRules:
        values: dict[str, int] = {}
        for key, default in DEFAULTS.items():
            raw = settings.get(key, "").strip()
            try:
                value = int(raw) if raw else default
            except ValueError:
                raise BadInput("a whole number", field=key) from None
            if value < 1:
                raise BadInput("at least 1", field=key)
            values[key.removeprefix("segments.")] = value
        rules = cls(**values)
        if rules.lapsing_days < rules.recent_days:
            raise BadInput("at least segments.recent_days", field="segments.lapsing_days")
        if rules.frequent < rules.repeat:
            raise BadInput("at least segments.repeat", field="segments.frequent")
        if rules.big_spend < rules.mid_spend:
            raise BadInput("at least segments.mid_spend", field="segments.big_spend")
        return rules


@dataclass(frozen=True, slots=True)
class Activity:
    """What the scores are made of, for one customer at one moment."""

    recency_days: int | None  # None: never bought
    purchases: int  # in the window
    spend: int  # in the window, refunds taken off
    first_purchase_days: int | None


def scores(a: Activity, rules: RfmRules) -> tuple[int, int, int]:
    """(R, F, M), each 1–3, or 0 where there is nothing to score. Pure."""
    if a.recency_days is None:
        r = 0
    elif a.recency_days <= rules.recent_days:
        r = 3
    elif a.recency_days <= rules.lapsing_days:
        r = 2
    else:
        r = 1
    f = (3 if a.purchases >= rules.frequent else 2 if a.purchases >= rules.repeat
         else 1 if a.purchases >= 1 else 0)
    if a.purchases == 0:
        m = 0
    else:
        m = 3 if a.spend >= rules.big_spend else 2 if a.spend >= rules.mid_spend else 1
    return r, f, m


def segment_of(a: Activity, rules: RfmRules) -> str:
    """The segment code of ``a`` (the module's table, first match). Pure."""
    r, f, m = scores(a, rules)
    if r == 0:
        return "belum_belanja"
    if r == 3 and f == 3 and m >= 2:
        return "juara"
    if a.first_purchase_days is not None and a.first_purchase_days <= rules.new_days:
        return "baru"
    if r >= 2 and f >= 2:
        return "setia"
    if r >= 2:
        return "perlu_perhatian"
    if f >= 2:
        return "berisiko"
    return "hilang"


def _iso(moment: datetime) -> str:
    return parse_moment(moment).astimezone(UTC).isoformat(timespec="microseconds")


_ALL_TIME = text(
    "SELECT customer_id, MIN(created_at), MAX(created_at) FROM sale "
    "WHERE customer_id IS NOT NULL AND created_at <= :now GROUP BY customer_id")
_IN_WINDOW = text(
    "SELECT customer_id, COUNT(*), COALESCE(SUM(total), 0) FROM sale "
    "WHERE customer_id IS NOT NULL AND created_at > :start AND created_at <= :now "
    "GROUP BY customer_id")
_REFUNDED = text(
    "SELECT s.customer_id, COALESCE(SUM(r.gross), 0) FROM refund r JOIN sale s "
    "ON s.id = r.sale_id WHERE s.customer_id IS NOT NULL AND s.created_at > :start "
    "AND s.created_at <= :now AND r.created_at <= :now GROUP BY s.customer_id")


def _days(now: datetime, stamp: str) -> int:
    return max(0, (now - parse_moment(stamp)).days)


def activities(conn: Connection, now: datetime, rules: RfmRules
               ) -> dict[str, tuple[Activity, str | None, str | None]]:
    """Every customer not erased: (activity, first purchase, last purchase) at ``now``."""
    moment = parse_moment(now)
    bounds = {"now": _iso(moment), "start": _iso(moment - timedelta(days=rules.window_days))}
    span = {str(c): (str(a), str(b)) for c, a, b in conn.execute(_ALL_TIME, bounds)}
    window = {str(c): (int(n), int(s)) for c, n, s in conn.execute(_IN_WINDOW, bounds)}
    refunded = {str(c): int(s) for c, s in conn.execute(_REFUNDED, bounds)}
    out: dict[str, tuple[Activity, str | None, str | None]] = {}
    for cid in conn.execute(select(Customer.id).where(Customer.erased_at.is_(None))).scalars():
        key = str(cid)
        first, last = span.get(key, (None, None))
        n, spend = window.get(key, (0, 0))
        out[key] = (Activity(None if last is None else _days(moment, last), n,
                             spend - refunded.get(key, 0),
                             None if first is None else _days(moment, first)), first, last)
    return out


@dataclass(frozen=True, slots=True)
class SegmentRun:
    computed_at: str
    customers: int
    counts: Mapping[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"computed_at": self.computed_at, "customers": self.customers,
                "counts": dict(self.counts)}


def recompute_segments(uow: UnitOfWork, now: datetime) -> SegmentRun:
    """The nightly job: score every customer at ``now`` and rewrite the segment cache, in
    one transaction, and commit. Safe to run any number of times (the same sales at the
    same ``now`` give the same rows)."""
    conn = uow.conn
    rules = RfmRules.from_settings(read_settings(conn))
    stamp = _iso(now)
    rows: list[dict[str, Any]] = []
    counts = dict.fromkeys(SEGMENT_CODES, 0)
    for cid, (a, first, last) in activities(conn, now, rules).items():
        r, f, m = scores(a, rules)
        seg = segment_of(a, rules)
        counts[seg] += 1
        rows.append({"customer_id": cid, "segment": seg, "r": r, "f": f, "m": m,
                     "recency_days": a.recency_days, "purchases": a.purchases,
                     "spend": a.spend, "first_purchase_at": first, "last_purchase_at": last,
                     "computed_at": stamp})
    conn.execute(delete(CustomerSegment))
    if rows:
        conn.execute(insert(CustomerSegment), rows)
    uow.commit()
    return SegmentRun(stamp, len(rows), counts)


@dataclass(frozen=True, slots=True)
class SegmentLine:
    code: str
    name: str
    customers: int
    spend: int  # the members' spend in the monetary window
    with_consent: int  # members a campaign may reach

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SegmentTable:
    computed_at: str | None  # None: never computed
    lines: tuple[SegmentLine, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"computed_at": self.computed_at, "segments": [x.as_dict() for x in self.lines]}


def segment_name(code: str, lang: str = "id") -> str:
    return SEGMENT_NAMES.get(code, {}).get(lang, code)


def segment_table(uow: UnitOfWork, actor: Actor, *, lang: str = "id") -> SegmentTable:
    """The segments with their member counts and spend (supervisor: it is customer data)."""
    authorize(uow, actor, "supervisor", "seeing customer segments")
    conn = uow.conn
    stats = {str(s): (int(n), int(sp or 0), int(c or 0)) for s, n, sp, c in conn.execute(text(
        "SELECT cs.segment, COUNT(*), SUM(cs.spend), SUM(c.consent_marketing) "
        "FROM customer_segment cs JOIN customer c ON c.id = cs.customer_id "
        "WHERE c.erased_at IS NULL GROUP BY cs.segment"))}
    when = conn.execute(text("SELECT MAX(computed_at) FROM customer_segment")).scalar()
    lines = tuple(SegmentLine(code, segment_name(code, lang), *stats.get(code, (0, 0, 0)))
                  for code in SEGMENT_CODES)
    return SegmentTable(None if when is None else str(when), lines)


@dataclass(frozen=True, slots=True)
class CustomerRfm:
    customer_id: str
    segment: str
    name: str
    r: int
    f: int
    m: int
    recency_days: int | None
    purchases: int
    spend: int
    last_purchase_at: str | None
    computed_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def customer_rfm(uow: UnitOfWork, customer_id: str, *, lang: str = "id") -> CustomerRfm:
    """A customer's segment and scores as last computed (shown with the customer)."""
    row = uow.conn.execute(select(CustomerSegment).where(
        CustomerSegment.customer_id == (customer_id or "").strip())).first()
    if row is None:
        raise NotFound("no segment for this customer yet (segments are computed nightly)",
                       field="customer_id")
    return CustomerRfm(row.customer_id, row.segment, segment_name(row.segment, lang), row.r,
                       row.f, row.m, row.recency_days, row.purchases, row.spend,
                       row.last_purchase_at, row.computed_at)


def segment_members(conn: Connection, codes: tuple[str, ...]) -> set[str]:
    """The customers in the given segments (the campaign audience's segment filter)."""
    unknown = [c for c in codes if c not in SEGMENT_CODES]
    if unknown:
        raise BadInput(f"unknown segment {unknown[0]} (one of {', '.join(SEGMENT_CODES)})",
                       field="audience.segments")
    return {str(c) for c in conn.execute(select(CustomerSegment.customer_id).where(
        CustomerSegment.segment.in_(codes))).scalars()}


__all__ = ["DEFAULTS", "SEGMENT_CODES", "SEGMENT_NAMES", "Activity", "CustomerRfm", "RfmRules", "SegmentLine",
           "SegmentRun", "SegmentTable", "activities", "customer_rfm", "recompute_segments",
           "scores", "segment_members", "segment_name", "segment_of", "segment_table"]

"""The loyalty programme's settings (issue 15): stored in the ``setting`` table under
``loyalty.*`` keys like the store's other settings; only an owner changes them.

- ``enabled``: the programme runs (earning and redemption); off by default.
- ``step`` (rupiah) and ``points_per_step``: a sale earns floor(eligible spend / step) ×
  points_per_step × the member's tier multiplier (rounded down).
- ``floor``: below this eligible spend a sale earns nothing.
- ``point_value``: rupiah one point pays at the till.
- ``same_sale``: whether a sale that pays with points also earns (Moka says no: default off).
- ``expiry_months``: points lapse at the end of the month N months after earning, in the
  store's time zone (0: never).
- ``tier_basis``: ``spend`` (eligible pre-tax spend) or ``points`` (earned), over a rolling
  12 months; ``tiers``: code, name, threshold, earning multiplier, lowest first (the first
  tier's threshold is 0: every member holds a tier).
- ``reward_skus``: products given as rewards; their lines earn nothing.

:func:`save_loyalty_settings` checks every field before writing any (BadInput names the
field) and audits what changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection

from local_db.store import append_audit, write_settings
from local_db.uow import UnitOfWork
from services.errors import BadInput
from services.users import Actor, authorize

PREFIX = "loyalty."
TIER_BASES = ("spend", "points")
MAX_TIERS = 8


@dataclass(frozen=True, slots=True)
class Tier:
    code: str
    name: str
    threshold: int  # rupiah (basis spend) or points (basis points) over 12 months
    multiplier: Decimal = Decimal(1)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "threshold": self.threshold,
                "multiplier": str(self.multiplier)}


DEFAULT_TIERS = (
    Tier("bronze", "Perunggu", 0, Decimal(1)),
    Tier("silver", "Perak", 1_000_000, Decimal("1.25")),
    Tier("gold", "Emas", 5_000_000, Decimal("1.5")),
)


@dataclass(frozen=True, slots=True)
class LoyaltySettings:
    enabled: bool = False
    step: int = 10_000
    points_per_step: int = 1
    floor: int = 0
    point_value: int = 100
    same_sale: bool = False
    expiry_months: int = 12
    tier_basis: str = "spend"
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    reward_skus: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["tiers"] = [t.as_dict() for t in self.tiers]
        out["reward_skus"] = list(self.reward_skus)
        return out

    def tier(self, code: str | None) -> Tier:
        for t in self.tiers:
            if t.code == code:
                return t
        return self.tiers[0]

    def tier_for(self, measure: int) -> Tier:
        """The highest tier whose threshold ``measure`` reaches."""
        best = self.tiers[0]
        for t in self.tiers:
            if measure >= t.threshold:
                best = t
        return best


_LOAD = "SELECT key, value FROM setting WHERE key LIKE 'loyalty.%'"


def fetch_all(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Every row of a statement in the caller's transaction. On the till's SQLite, through
    the connection's own cursor (the sale path runs these: SQLAlchemy's per-statement work
    cost more than SQLite's, see local_db.fastpath)."""
    if conn.dialect.name != "sqlite":
        return list(conn.exec_driver_sql(sql.replace("?", "%s"), params))
    if not conn.in_transaction():
        conn.begin()  # as conn.execute() would: the BEGIN [IMMEDIATE] listener still runs
    driver = conn.connection.driver_connection
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        return list(cursor.execute(sql, params).fetchall())
    finally:
        cursor.close()


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default


def _tiers(raw: str | None) -> tuple[Tier, ...]:
    if not raw:
        return DEFAULT_TIERS
    try:
        return tuple(Tier(str(t["code"]), str(t["name"]), int(t["threshold"]),
                          Decimal(str(t.get("multiplier", "1")))) for t in json.loads(raw))
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return DEFAULT_TIERS


def read_loyalty_settings(conn: Connection) -> LoyaltySettings:
    """What is stored now (defaults for keys never written)."""
    return _parse(tuple(sorted((str(k), str(v)) for k, v in fetch_all(conn, _LOAD))))


_LOAD_WITH_ZONE = ("SELECT key, value FROM setting WHERE key LIKE 'loyalty.%' "
                   "OR key = 'timezone'")


def read_sale_settings(conn: Connection) -> tuple[LoyaltySettings, str | None]:
    """The settings and the store's time zone name (None: not set), in one query: every
    sale to a member reads them."""
    rows = [(str(k), str(v)) for k, v in fetch_all(conn, _LOAD_WITH_ZONE)]
    zone = next((v for k, v in rows if k == "timezone"), None)
    return _parse(tuple(sorted(r for r in rows if r[0] != "timezone"))), zone or None


@lru_cache(maxsize=8)
def _parse(rows: tuple[tuple[str, str], ...]) -> LoyaltySettings:
    """The settings from their rows (cached: every sale to a member reads them)."""
    s = {k[len(PREFIX):]: v for k, v in rows}
    d = LoyaltySettings()
    skus = tuple(x for x in (s.get("reward_skus") or "").split(",") if x)
    return LoyaltySettings(
        enabled=s.get("enabled", "0") == "1",
        step=_int(s.get("step"), d.step), points_per_step=_int(s.get("points_per_step"),
                                                               d.points_per_step),
        floor=_int(s.get("floor"), d.floor), point_value=_int(s.get("point_value"),
                                                              d.point_value),
        same_sale=s.get("same_sale", "0") == "1",
        expiry_months=_int(s.get("expiry_months"), d.expiry_months),
        tier_basis=s.get("tier_basis") or d.tier_basis, tiers=_tiers(s.get("tiers")),
        reward_skus=skus)


def settings_from_values(values: Mapping[str, str]) -> LoyaltySettings:
    """The settings stored as ``values`` (``loyalty.*`` key -> text; other keys ignored,
    defaults for missing ones): how a till reads its ``setting`` rows, for stores read
    elsewhere (central's ``store_setting``)."""
    return _parse(tuple(sorted((k, v) for k, v in values.items() if k.startswith(PREFIX))))


def validate_loyalty_settings(new: LoyaltySettings) -> LoyaltySettings:
    """The settings as they will be stored, or BadInput naming the field."""
    if not 1 <= new.step <= 100_000_000:
        raise BadInput("the step is 1 to 100.000.000 rupiah", field="step")
    if not 0 <= new.points_per_step <= 1_000_000:
        raise BadInput("points per step is 0 to 1.000.000", field="points_per_step")
    if not 0 <= new.floor <= 1_000_000_000:
        raise BadInput("the floor is 0 or more rupiah", field="floor")
    if not 1 <= new.point_value <= 1_000_000:
        raise BadInput("a point is worth 1 to 1.000.000 rupiah", field="point_value")
    if not 0 <= new.expiry_months <= 120:
        raise BadInput("expiry is 0 (never) to 120 months", field="expiry_months")
    if new.tier_basis not in TIER_BASES:
        raise BadInput("tiers are by spend or points", field="tier_basis")
    tiers = tuple(new.tiers)
    if not 1 <= len(tiers) <= MAX_TIERS:
        raise BadInput(f"1 to {MAX_TIERS} tiers", field="tiers")
    codes: set[str] = set()
    for i, t in enumerate(tiers):
        code = (t.code or "").strip()
        if not code or len(code) > 24 or not code.replace("_", "").isalnum():
            raise BadInput("a tier code is 1 to 24 letters, digits or _", field=f"tiers[{i}].code")
        if code in codes:
            raise BadInput(f"tier {code} is given twice", field=f"tiers[{i}].code")
        codes.add(code)
        if not (t.name or "").strip() or len(t.name) > 40:
            raise BadInput("a tier name of 1 to 40 characters", field=f"tiers[{i}].name")
        if not Decimal(0) <= t.multiplier <= Decimal(10):
            raise BadInput("a multiplier is 0 to 10", field=f"tiers[{i}].multiplier")
        if i == 0 and t.threshold != 0:
            raise BadInput("the first tier starts at 0", field="tiers[0].threshold")
        if i and t.threshold <= tiers[i - 1].threshold:
            raise BadInput("thresholds rise from tier to tier", field=f"tiers[{i}].threshold")
    skus = tuple(sorted({s.strip() for s in new.reward_skus if s.strip()}))
    if any("," in s or len(s) > 40 for s in skus):
        raise BadInput("a SKU has no comma and at most 40 characters", field="reward_skus")
    return replace(new, tiers=tuple(replace(t, code=t.code.strip(), name=t.name.strip())
                                    for t in tiers), reward_skus=skus)


def setting_values(s: LoyaltySettings) -> dict[str, str]:
    """The ``setting`` rows that store ``s``."""
    out: dict[str, str] = {}
    for f in fields(LoyaltySettings):
        v = getattr(s, f.name)
        if f.name == "tiers":
            text = json.dumps([t.as_dict() for t in v], separators=(",", ":"))
        elif f.name == "reward_skus":
            text = ",".join(v)
        elif isinstance(v, bool):
            text = "1" if v else "0"
        else:
            text = str(v)
        out[PREFIX + f.name] = text
    return out


def parse_changes(current: LoyaltySettings, changes: dict[str, Any]) -> LoyaltySettings:
    """``current`` with ``changes`` (field -> value as typed in the CLI or a screen)."""
    known = {f.name for f in fields(LoyaltySettings)}
    out = current
    for name, value in changes.items():
        if name not in known:
            raise BadInput(f"no loyalty setting {name!r}", field=name)
        try:
            if name in ("enabled", "same_sale"):
                v: Any = value if isinstance(value, bool) else str(value).lower() in (
                    "1", "true", "yes", "on")
            elif name == "tier_basis":
                v = str(value)
            elif name == "tiers":
                raw = json.loads(value) if isinstance(value, str) else value
                v = tuple(Tier(str(t["code"]), str(t["name"]), int(t["threshold"]),
                               Decimal(str(t.get("multiplier", "1")))) for t in raw)
            elif name == "reward_skus":
                v = tuple(value.split(",")) if isinstance(value, str) else tuple(value)
            else:
                v = int(value)
        except (ValueError, TypeError, KeyError, InvalidOperation) as exc:
            raise BadInput(f"not a valid value: {exc}", field=name) from None
        out = replace(out, **{name: v})
    return out


def save_loyalty_settings(uow: UnitOfWork, actor: Actor,
                          new: LoyaltySettings) -> LoyaltySettings:
    """Validate, write the changed keys and audit the change (owner only). Commits."""
    authorize(uow, actor, "owner", "changing the loyalty settings")
    clean = validate_loyalty_settings(new)
    conn = uow.conn
    before = setting_values(read_loyalty_settings(conn))
    after = setting_values(clean)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        write_settings(conn, changed)
        append_audit(conn, "settings.change", entity="settings", entity_id=None,
                     actor_id=actor.id,
                     details={k: {"from": before.get(k), "to": v} for k, v in changed.items()})
    uow.commit()
    return clean


__all__ = ["DEFAULT_TIERS", "LoyaltySettings", "Tier", "parse_changes", "read_sale_settings",
           "setting_values",
           "read_loyalty_settings", "save_loyalty_settings", "settings_from_values",
           "validate_loyalty_settings"]

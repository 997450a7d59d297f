"""Reorder suggestions: what to order, from real sales, per supplier.

The rule (issue 15; definitions.md "Growth", the small-shop form of Odoo's orderpoints):

- **velocity** = the quantity sold over the last 28 full store days (yesterday and the 27
  before), refunds made in those days taken off, per day. The quantities are the reports'
  own (``services.reports.queries.product_sales``), so the list and the sales-by-product
  report never disagree.
- **reorder point** = velocity × lead time (days) + safety stock, rounded up to the unit's
  thousandth;
- **suggested order** = reorder point − stock on hand (a negative level counts as none),
  rounded **up** to the pack size; listed when it is above zero.

Where the terms come from (first found wins):

- lead time: the product's ``reorder_setting.lead_days``; else its supplier's
  ``supplier_terms.lead_days``; else the shop's ``reorder.lead_days`` (default 3 days).
  The supplier is the product's ``reorder_setting.supplier``, else the one of its latest
  goods received.
- safety stock: ``reorder_setting.safety_milli``, else the product's alert threshold
  (``low_stock_milli``).
- pack size: ``reorder_setting.pack_milli``, else one unit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from local_db.ids import now_iso
from local_db.models import Product, ReorderSetting, StockLevel, StockMovement, SupplierTerms
from local_db.store import append_audit, read_settings
from local_db.uow import UnitOfWork
from services.catalogue import qty_in_unit
from services.errors import BadInput, NotFound
from services.inputs import check_text
from services.reports.queries import product_sales
from services.reports.values import Period
from services.users import Actor, authorize

WINDOW_DAYS = 28
DEFAULT_LEAD_DAYS = 3
SETTING_LEAD_DAYS = "reorder.lead_days"
MAX_LEAD_DAYS = 365
UNIT = 1000  # one unit, in thousandths


@dataclass(frozen=True, slots=True)
class ReorderRow:
    product_id: str
    sku: str
    name: str
    unit: str
    supplier: str | None
    level_milli: int
    sold_milli: int  # over the window, refunds taken off
    per_day: Decimal  # units per day
    lead_days: int
    safety_milli: int
    pack_milli: int
    reorder_point_milli: int
    suggested_milli: int  # a whole number of packs

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "per_day": str(self.per_day)}


@dataclass(frozen=True, slots=True)
class ReorderList:
    as_of: date  # the store's today; the window ends the day before
    window_days: int
    rows: tuple[ReorderRow, ...]  # by supplier, then SKU

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "window_days": self.window_days,
                "rows": [r.as_dict() for r in self.rows]}


@dataclass(frozen=True, slots=True)
class ReorderTerms:
    sku: str
    supplier: str | None
    lead_days: int | None
    pack_milli: int | None
    safety_milli: int | None


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def round_to_pack(need_milli: int, pack_milli: int) -> int:
    """``need`` rounded up to a whole number of packs (0 when nothing is needed)."""
    if need_milli <= 0:
        return 0
    return -(-need_milli // pack_milli) * pack_milli


def reorder_point(sold_milli: int, window_days: int, lead_days: int, safety_milli: int
                  ) -> tuple[Decimal, int]:
    """(units per day, reorder point in thousandths)."""
    per_milli_day = Decimal(max(sold_milli, 0)) / Decimal(window_days)
    return (per_milli_day / UNIT), _ceil(per_milli_day * lead_days) + safety_milli


def _default_lead(conn: Connection) -> int:
    raw = read_settings(conn).get(SETTING_LEAD_DAYS, "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_LEAD_DAYS
    return value if 0 <= value <= MAX_LEAD_DAYS else DEFAULT_LEAD_DAYS


def _last_suppliers(conn: Connection) -> dict[str, str]:
    m = StockMovement
    latest = (select(m.product_id, func.max(m.created_at).label("at"))
              .where(m.kind == "receipt", m.supplier.is_not(None))
              .group_by(m.product_id)).subquery()
    rows = conn.execute(select(m.product_id, m.supplier).join(
        latest, (latest.c.product_id == m.product_id) & (latest.c.at == m.created_at))
        .where(m.kind == "receipt", m.supplier.is_not(None)))
    return {str(p): str(s) for p, s in rows}


def reorder_list(conn: Connection, today: date) -> ReorderList:
    """The products to order now (see the module doc for the rule)."""
    period = Period(today - timedelta(days=WINDOW_DAYS), today)
    sold = {r.product_id: r.qty_milli for r in product_sales(conn, period).rows}
    terms = {str(r[0]): r for r in conn.execute(select(
            ReorderSetting.product_id, ReorderSetting.supplier, ReorderSetting.lead_days,
            ReorderSetting.pack_milli, ReorderSetting.safety_milli))}
    leads = {str(n): int(d) for n, d in conn.execute(select(SupplierTerms.name,
                                                            SupplierTerms.lead_days))}
    last_supplier = _last_suppliers(conn)
    default_lead = _default_lead(conn)
    rows: list[ReorderRow] = []
    for pid, sku, name, unit, low, level in conn.execute(
            select(Product.id, Product.sku, Product.name, Product.unit,
                   Product.low_stock_milli, func.coalesce(StockLevel.qty_milli, 0))
            .outerjoin(StockLevel, StockLevel.product_id == Product.id)
            .where(Product.active, Product.tracks_stock)):
        pid = str(pid)
        t = terms.get(pid)
        supplier = (t[1] if t is not None and t[1] else None) or last_supplier.get(pid)
        if t is not None and t[2] is not None:
            lead = int(t[2])
        elif supplier is not None and supplier in leads:
            lead = leads[supplier]
        else:
            lead = default_lead
        safety = int(t[4]) if t is not None and t[4] is not None else int(low or 0)
        pack = int(t[3]) if t is not None and t[3] is not None else UNIT
        qty = int(sold.get(pid, 0))
        per_day, point = reorder_point(qty, WINDOW_DAYS, lead, safety)
        suggested = round_to_pack(point - max(int(level), 0), pack)
        if suggested <= 0:
            continue
        rows.append(ReorderRow(pid, str(sku), str(name), str(unit), supplier, int(level),
                               qty, per_day.quantize(Decimal("0.001")), lead, safety, pack,
                               point, suggested))
    rows.sort(key=lambda r: (r.supplier is None, r.supplier or "", r.sku))
    return ReorderList(today, WINDOW_DAYS, tuple(rows))


def reorder_for(uow: UnitOfWork, actor: Actor, today: date | None = None) -> ReorderList:
    """The reorder list as a supervisor or the owner sees it, as of the store's today
    (reads only)."""
    authorize(uow, actor, "supervisor", "the reorder list")
    if today is None:
        from services.payables import store_today
        today = store_today(uow.conn)
    return reorder_list(uow.conn, today)


# --- the terms, as an owner or supervisor types them ------------------------------------

def _lead(text: str | int | None, field: str) -> int | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = int(str(text).strip())
    except ValueError:
        raise BadInput("a whole number of days", field=field) from None
    if not 0 <= value <= MAX_LEAD_DAYS:
        raise BadInput(f"between 0 and {MAX_LEAD_DAYS} days", field=field)
    return value


def set_reorder_terms(uow: UnitOfWork, actor: Actor, code: str, *,
                      supplier: str | None = None, lead_days: str | int | None = None,
                      pack: str | None = None, safety: str | None = None) -> ReorderTerms:
    """A product's reorder terms (supervisor). Empty text clears a term back to its
    default. Quantities in the product's unit. Bad input names the field, changes nothing."""
    current = authorize(uow, actor, "supervisor", "setting reorder terms")
    conn = uow.conn
    code = (code or "").strip()
    row = conn.execute(select(Product.id, Product.sku, Product.unit).where(
        Product.sku == code)).first()
    if row is None:
        raise NotFound(f"no product with SKU '{code}'", field="sku")
    pid, sku, unit = str(row[0]), str(row[1]), str(row[2])
    sup = check_text(supplier, field="supplier", max_len=120) or None \
        if supplier is not None else None
    lead = _lead(lead_days, "lead_days")
    pack_milli = qty_in_unit(pack, unit, field="pack") if pack and pack.strip() else None
    safety_milli = (qty_in_unit(safety, unit, field="safety", allow_zero=True)
                    if safety is not None and safety.strip() else None)
    values = {"supplier": sup, "lead_days": lead, "pack_milli": pack_milli,
              "safety_milli": safety_milli, "updated_at": now_iso()}
    if conn.execute(select(ReorderSetting.product_id).where(
            ReorderSetting.product_id == pid)).first() is None:
        conn.execute(insert(ReorderSetting).values(product_id=pid, **values))
    else:
        conn.execute(update(ReorderSetting).where(ReorderSetting.product_id == pid)
                     .values(**values))
    append_audit(conn, "reorder.terms", entity="product", entity_id=pid,
                 actor_id=current.id, details={k: v for k, v in values.items()
                                               if k != "updated_at"})
    uow.commit()
    return ReorderTerms(sku, sup, lead, pack_milli, safety_milli)


def set_supplier_lead(uow: UnitOfWork, actor: Actor, supplier: str,
                      lead_days: str | int) -> tuple[str, int]:
    """A supplier's lead time in days (supervisor)."""
    current = authorize(uow, actor, "supervisor", "setting a supplier's lead time")
    name = check_text(supplier or "", field="supplier", max_len=120)
    if not name:
        raise BadInput("a supplier is needed", field="supplier")
    lead = _lead(lead_days, "lead_days")
    if lead is None:
        raise BadInput("a whole number of days", field="lead_days")
    conn = uow.conn
    stamp = now_iso()
    if conn.execute(select(SupplierTerms.name).where(SupplierTerms.name == name)).first():
        conn.execute(update(SupplierTerms).where(SupplierTerms.name == name)
                     .values(lead_days=lead, updated_at=stamp))
    else:
        conn.execute(insert(SupplierTerms).values(name=name, lead_days=lead, updated_at=stamp))
    append_audit(conn, "reorder.supplier", entity="supplier", entity_id=None,
                 actor_id=current.id, details={"supplier": name, "lead_days": lead})
    uow.commit()
    return name, lead


__all__ = ["DEFAULT_LEAD_DAYS", "ReorderList", "ReorderRow", "ReorderTerms", "WINDOW_DAYS",
           "reorder_for", "reorder_list", "reorder_point", "round_to_pack", "set_reorder_terms",
           "set_supplier_lead"]

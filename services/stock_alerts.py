"""Low-stock alerts to the owner: one alert per crossing, many crossings in one digest.

The rule (issue 15, definitions.md "Growth" — one digest, not one alert per drop):

- A product's threshold is its alert level ``product.low_stock_milli`` (the catalogue's
  "reorder point"; 0 = no alert). The level is *low* when it is at or below the threshold
  (the same test as ``services.stock.low_stock`` and the reports' stock alerts).
- An alert **fires** when the level moves to low while the product has no open alert, and
  is **re-armed** only when the level rises above the threshold again (goods received, a
  refund, a count). Ten sales sliding a product from 12 to 2 with a threshold of 10 are one
  alert; a delivery to 30 re-arms it; the next slide fires a second one.
- Where: triggers on ``stock_level`` and ``product`` (migration 0007). Every stock change
  (sale, refund, void, goods received, adjustment, count) updates that cache in its own
  transaction, so the armed/fired state changes atomically with the stock, whatever the
  path, and the sale path pays one indexed product lookup per line whose level falls (no
  query from Python, no extra round trip). A check after each commit would have needed an
  edit in every stock-changing use case and could miss one.
- Sending: :func:`send_alert_digest` gathers every open alert not yet notified into **one**
  ``low_stock`` message to the owner by ``messaging.owner_channel`` (push, WhatsApp, SMS or
  email; ``services.messaging_bulk.queue_owner_alert``), and marks them notified in the
  same transaction. The scheduler runs it once a day at ``alerts.digest_time`` (default
  07:00, store time, before the shop opens), or every ``alerts.digest_every_min`` minutes
  when the owner wants them sooner. A re-armed alert that was never sent is dropped (the
  product is no longer low). With no owner channel set up nothing is marked: the alerts
  wait, listed in the back office and ``warungin alerts``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select, update

from local_db.ids import now_iso
from local_db.models import Product, StockAlert, StockLevel
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from services.crypto import FieldCipher
from services.formatting import quantity
from services.messaging_bulk import queue_owner_alert
from services.messaging_queue import message_locale
from services.users import Actor, authorize

#: Products named in one digest's text at most (the count says how many in all).
DIGEST_ITEMS = 30
OWNER_CHANNELS = ("push", "whatsapp", "sms", "email")
_THRESHOLD_WORD = {"id": "batas", "en": "threshold"}


@dataclass(frozen=True, slots=True)
class AlertRow:
    alert_id: int
    product_id: str
    sku: str
    name: str
    unit: str
    threshold_milli: int
    level_at_fire_milli: int
    level_milli: int  # now
    fired_at: str
    rearmed_at: str | None
    notified_at: str | None
    digest_id: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Digest:
    digest_id: str | None
    alerts: int  # crossings carried by this digest
    message_ids: tuple[str, ...]
    channel: str | None  # None: no owner channel set up (nothing marked)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "message_ids": list(self.message_ids)}


def _rows(conn: Connection, where: Any, limit: int | None = None) -> tuple[AlertRow, ...]:
    q = (select(StockAlert.id, StockAlert.product_id, Product.sku, Product.name, Product.unit,
                StockAlert.threshold_milli, StockAlert.level_milli,
                func.coalesce(StockLevel.qty_milli, 0), StockAlert.fired_at,
                StockAlert.rearmed_at, StockAlert.notified_at, StockAlert.digest_id)
         .join(Product, Product.id == StockAlert.product_id)
         .outerjoin(StockLevel, StockLevel.product_id == StockAlert.product_id)
         .where(where).order_by(StockAlert.id.desc()))
    if limit is not None:
        q = q.limit(limit)
    return tuple(AlertRow(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), int(r[5]),
                          int(r[6]), int(r[7]), str(r[8]), r[9], r[10], r[11])
                 for r in conn.execute(q))


def current_alerts(conn: Connection) -> tuple[AlertRow, ...]:
    """The open alerts (products still at or below their threshold), newest first."""
    return _rows(conn, StockAlert.rearmed_at.is_(None))


def pending_alerts(conn: Connection) -> tuple[AlertRow, ...]:
    """Open alerts the owner has not been sent yet (the next digest's content)."""
    return _rows(conn, StockAlert.rearmed_at.is_(None) & StockAlert.notified_at.is_(None))


def alert_history(conn: Connection, limit: int = 200) -> tuple[AlertRow, ...]:
    return _rows(conn, StockAlert.id.is_not(None), limit)


@dataclass(frozen=True, slots=True)
class AlertsOverview:
    """What the back office shows: the open alerts (newest first), how many wait for the
    owner's digest, and its channel (None: no owner channel set up, so they wait here)."""

    alerts: tuple[AlertRow, ...]
    pending: int
    channel: str | None


def alerts_overview(uow: UnitOfWork, actor: Actor) -> AlertsOverview:
    """The open alerts as a supervisor or the owner sees them (reads only)."""
    authorize(uow, actor, "supervisor", "the stock alerts")
    conn = uow.conn
    channel = read_settings(conn).get("messaging.owner_channel", "")
    return AlertsOverview(current_alerts(conn), len(pending_alerts(conn)),
                          channel if channel in OWNER_CHANNELS else None)


def digest_due(conn: Connection) -> bool:
    """Whether :func:`send_alert_digest` has anything to send: an open, unsent alert and
    an owner channel set up (the scheduler asks first, and reads the data key only then)."""
    channel = read_settings(conn).get("messaging.owner_channel", "")
    return channel in OWNER_CHANNELS and bool(pending_alerts(conn))


def digest_text(rows: tuple[AlertRow, ...], lang: str) -> str:
    """The digest's item lines: ``- Name (SKU): 3 pcs (batas 10 pcs)``, lowest first."""
    word = _THRESHOLD_WORD.get(lang, "batas")
    ordered = sorted(rows, key=lambda r: (r.level_milli, r.sku))
    lines = [f"- {r.name} ({r.sku}): {quantity(r.level_milli, r.unit, lang)} "
             f"({word} {quantity(r.threshold_milli, r.unit, lang)})"
             for r in ordered[:DIGEST_ITEMS]]
    if len(ordered) > DIGEST_ITEMS:
        lines.append(f"+ {len(ordered) - DIGEST_ITEMS}")
    return "\n".join(lines)


def send_alert_digest(uow: UnitOfWork, cipher: FieldCipher, actor: Actor | None = None, *,
                      now: str | None = None) -> Digest:
    """Queue one ``low_stock`` digest of every open, unsent alert to the owner and mark
    them sent, in one transaction (commits). ``actor`` None: the scheduler (the shop's own
    job); a person needs supervisor rights. Running it again sends nothing new."""
    if actor is not None:
        authorize(uow, actor, "supervisor", "sending stock alerts")
    conn = uow.conn
    settings = read_settings(conn)
    rows = pending_alerts(conn)
    if not rows:
        return Digest(None, 0, (), settings.get("messaging.owner_channel") or None)
    channel = settings.get("messaging.owner_channel", "")
    if channel not in OWNER_CHANNELS:
        return Digest(None, len(rows), (), None)
    now = now or now_iso()
    ids = [r.alert_id for r in rows]
    digest_id = f"{min(ids)}-{max(ids)}-{len(ids)}"
    lang = message_locale(settings)
    store = settings.get("store_name") or settings.get("store_code", "")
    message_ids = queue_owner_alert(conn, cipher, "low_stock", {
        "store_name": store, "count": str(len(rows)), "items": digest_text(rows, lang)},
        now=now, dedupe=f"stock:{digest_id}")
    conn.execute(update(StockAlert).where(StockAlert.id.in_(ids))
                 .values(notified_at=now, digest_id=digest_id))
    uow.commit()
    return Digest(digest_id, len(rows), message_ids, channel)


__all__ = ["AlertRow", "AlertsOverview", "DIGEST_ITEMS", "Digest", "alert_history", "alerts_overview",
           "current_alerts",
           "digest_due", "digest_text", "pending_alerts", "send_alert_digest"]

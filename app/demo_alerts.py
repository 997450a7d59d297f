"""The demo history's stock alerts, reorder terms and daily summaries (issue 15).

:func:`add_demo_alerts` runs after the history's trading (``app.demo_history``): reorder
terms on a few products (a supplier, its lead time, a pack size), the low-stock crossings
the history's sales made (the triggers of migration 0007 recorded them as they happened)
sent to the owner as **one** digest, and the daily summary of each of the last days queued
at its closing time through ``services.schedule_summary`` (so the email log shows them).
Everything goes through the real use cases.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.demo import DEMO_USERS
from app.demo_messages import _id, _settle
from app.shop import Shop
from local_db.models import Product
from local_db.store import read_settings, write_settings
from services.formatting import zone
from services.message_port import Delivery
from services.reorder import set_reorder_terms, set_supplier_lead
from services.schedule_summary import run_due_summaries, scheduled_moment
from services.stock import count_stock
from services.stock_alerts import pending_alerts, send_alert_digest
from services.users import authenticate

SUPPLIERS = (("CV Sumber Rejeki", 3), ("PT Indomarco Distribusi", 5), ("Toko Grosir Jaya", 2))
SUMMARY_DAYS = 7
DEMO_OWNER_EMAIL = "pemilik@warung-demo.test"


@dataclass(frozen=True, slots=True)
class DemoAlerts:
    terms: int
    alerts: int  # crossings in the digest
    digests: int
    summaries: int


def add_demo_alerts(shop: Shop, *, seed: int, now: datetime) -> DemoAlerts:
    from app.secrets import cipher_for
    rng = random.Random(f"alerts:{seed}")
    name, _role, pin = next(u for u in DEMO_USERS if u[1] == "supervisor")
    with shop.uow() as uow:
        actor = authenticate(uow, name, pin)
        uow.commit()
    with shop.uow() as uow:
        s = read_settings(uow.conn)
        values = {"summary.time": s.get("summary.time", "21:00")}
        if not s.get("summary.recipients") and s.get("messaging.owner_channel") != "email":
            values["summary.recipients"] = DEMO_OWNER_EMAIL
        write_settings(uow.conn, values)
        uow.commit()
        skus = [str(x) for x in uow.conn.scalars(
            select(Product.sku).where(Product.tracks_stock, Product.active,
                                      Product.low_stock_milli > 0).order_by(Product.sku))]
    for supplier, days in SUPPLIERS:
        with shop.uow() as uow:
            set_supplier_lead(uow, actor, supplier, days)
    chosen = rng.sample(skus, min(8, len(skus)))
    for sku in chosen:
        supplier = rng.choice(SUPPLIERS)[0]
        with shop.uow() as uow:
            set_reorder_terms(uow, actor, sku, supplier=supplier,
                              pack=str(rng.choice((6, 12, 24, 40))),
                              safety=str(rng.choice((2, 4, 6))))
    cipher = cipher_for(shop)
    with shop.uow(write=False) as uow:
        pending = len(pending_alerts(uow.conn))
    if pending == 0:  # a history that left nothing low: a stock count finds a few short
        for sku in chosen[:3]:
            with shop.uow() as uow:
                count_stock(uow, actor, sku, 1000, "stok opname")
    # The owner's digest went at this morning's digest time (07:00 on the store's clock),
    # or an hour before ``now`` when that is earlier.
    tz_name = s.get("timezone") or "Asia/Jakarta"
    local_now = now.astimezone(zone(tz_name))
    morning = local_now.replace(hour=7, minute=0, second=0, microsecond=0)
    sent_at = (morning if morning < local_now else now - timedelta(hours=1)).astimezone(UTC)
    with shop.uow() as uow:
        digest = send_alert_digest(uow, cipher, now=sent_at.isoformat())
    with shop.uow() as uow:  # what the provider said, as the messaging demo records it
        for message_id in digest.message_ids:
            sid = _id("SM", seed, "digest", message_id)
            _settle(uow.conn, message_id, [Delivery(message_id, "sent", sid, "sent"),
                                           Delivery(message_id, "delivered", sid,
                                                    "delivered")], sent_at.isoformat())
        uow.commit()
    at = datetime.strptime(values["summary.time"], "%H:%M").time()
    today = now.astimezone(zone(tz_name)).date()
    first = scheduled_moment(today - timedelta(days=SUMMARY_DAYS), at, tz_name)
    with shop.uow() as uow:
        write_settings(uow.conn, {"schedule.since": (first - timedelta(minutes=1)).isoformat()})
        uow.commit()
    summaries = 0
    for back in range(SUMMARY_DAYS, 0, -1):
        moment = scheduled_moment(today - timedelta(days=back), at, tz_name)
        if moment > now:
            continue
        sent = moment + timedelta(minutes=rng.randint(1, 9))
        out = run_due_summaries(shop.uow, cipher, None, now=sent)
        with shop.uow() as uow:  # SendGrid accepted it (the demo goes to no network)
            for o in out:
                if o.status == "queued" and o.message_id is not None:
                    _settle(uow.conn, o.message_id, [Delivery(
                        o.message_id, "queued", _id("", seed, "summary", o.message_id)[:22],
                        "queued")], sent.astimezone(UTC).isoformat())
            uow.commit()
        summaries += sum(o.status == "queued" for o in out)
    return DemoAlerts(len(chosen), digest.alerts, 1 if digest.message_ids else 0, summaries)


__all__ = ["DemoAlerts", "add_demo_alerts"]

"""Sent receipts and owner summaries in the demo shop's history (after app.demo_history).

For the last ``days`` days of the seeded history: most sales to a regular customer got their
receipt by WhatsApp ("kirim struk" at the till a minute after the sale), a few walk-in
buyers had theirs emailed to a typed address, and the owner got the daily summary by
WhatsApp after closing. Every message is queued by the real use cases
(``services.messaging.send_receipt`` / ``queue_owner_alert``, under
``local_db.ids.seeding_clock`` so each row carries its moment); what the provider said is
then recorded as the dispatcher's handler records it (``record_deliveries``, provider ids in
Twilio's and SendGrid's shapes, the job succeeded). Nothing goes to the network. A few
WhatsApp receipts end undelivered (30003) with their job dead, so the sync panel and
``warungin messages list --status failed`` have something real to show.

Deterministic from ``seed`` like the history: the same receipts get the same outcomes.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from app.demo import DEMO_USERS
from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import seeding_clock
from local_db.jobs import set_state
from local_db.models import Sale
from local_db.store import read_settings, write_settings
from services import formatting as fmt
from services.message_port import Delivery
from services.messaging import queue_owner_alert, send_receipt
from services.messaging_outgoing import record_deliveries
from services.messaging_rows import message_row
from services.users import authenticate

DEFAULT_DAYS = 14
#: Share of sales to a regular customer whose receipt went by WhatsApp.
WHATSAPP_SHARE = 0.6
#: Walk-in sales per day whose receipt was emailed to a typed address.
EMAILS_PER_DAY = 2
UNDELIVERED_SHARE = 0.04
OWNER_PHONE = "+6281299990001"  # the demo owner's (made-up) WhatsApp


@dataclass(frozen=True, slots=True)
class DemoMessages:
    whatsapp_receipts: int
    email_receipts: int
    summaries: int
    undelivered: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _id(prefix: str, *parts: object) -> str:
    return prefix + hashlib.md5(":".join(map(str, parts)).encode(),
                                usedforsecurity=False).hexdigest()


def _settle(conn: Connection, message_id: str, steps: list[Delivery], stamp: str,
            error: str | None = None) -> None:
    """What the provider said, step by step five seconds apart, recorded as the handler
    records it; then the job is done (or dead with ``error``)."""
    for n, step in enumerate(steps, start=1):
        record_deliveries(conn, [step], _later(stamp, 5 * n))
    row = message_row(conn, message_id)
    if row is not None and row.job_id is not None:
        set_state(conn, row.job_id, from_states=("pending",),
                  state="dead" if error else "succeeded", now=_later(stamp, 5 * len(steps)),
                  last_error=error, attempts=1)


def _later(stamp: str, seconds: float) -> str:
    return (datetime.fromisoformat(stamp) + timedelta(seconds=seconds)).isoformat(
        timespec="microseconds")


def add_demo_messages(shop: Shop, *, seed: int = 1, days: int = DEFAULT_DAYS,
                      now: datetime | None = None) -> DemoMessages:
    """Add the last ``days`` days of messages to a demo shop that has its history."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(f"{seed}:messages")
    cipher = cipher_for(shop)
    name, _, pin = DEMO_USERS[2]  # the cashier sends the receipts
    with shop.uow() as uow:
        cashier = authenticate(uow, name, pin)
        write_settings(uow.conn, {"messaging.owner_channel": "whatsapp",
                                  "messaging.owner_to": OWNER_PHONE})
        settings = read_settings(uow.conn)
        uow.commit()
    zone_name = settings.get("timezone") or fmt.DEFAULT_TIMEZONE
    since = (now - timedelta(days=days)).isoformat()
    with shop.uow(write=False) as uow:
        sales = uow.conn.execute(select(Sale.id, Sale.receipt_no, Sale.customer_id,
                                        Sale.created_at, Sale.payable)
                                 .where(Sale.created_at >= since).order_by(Sale.seq)).all()
    wa = mail = undelivered = 0
    per_day: dict[date, list[int]] = defaultdict(list)
    emailed: dict[date, int] = defaultdict(int)
    for s in sales:
        day = fmt.local(str(s.created_at), zone_name).date()
        per_day[day].append(int(s.payable))
        channel, to = None, None
        if s.customer_id is not None and rng.random() < WHATSAPP_SHARE:
            channel = "whatsapp"
        elif s.customer_id is None and emailed[day] < EMAILS_PER_DAY and rng.random() < 0.02:
            channel, to = "email", f"pembeli.{s.receipt_no.lower()}@contoh.id"
            emailed[day] += 1
        if channel is None:
            continue
        at = datetime.fromisoformat(str(s.created_at)) + timedelta(seconds=rng.randint(20, 90))
        with seeding_clock(at), shop.uow() as uow:
            view = send_receipt(uow, cipher, cashier, str(s.id), channel=channel, to=to)
        stamp = at.isoformat()
        if channel == "whatsapp":
            sid = _id("SM", seed, s.receipt_no)
            if rng.random() < UNDELIVERED_SHARE:
                steps = [Delivery(view.id, "sent", sid, "sent"),
                         Delivery(view.id, "failed", sid, "undelivered",
                                  error="Twilio says undelivered (30003: unreachable handset)",
                                  error_code="30003")]
                error: str | None = "Twilio says undelivered (30003: unreachable handset)"
                undelivered += 1
            else:
                steps = [Delivery(view.id, "sent", sid, "sent"),
                         Delivery(view.id, "delivered", sid, "delivered")]
                if rng.random() < 0.5:
                    steps.append(Delivery(view.id, "read", sid, "read"))
                error = None
            wa += 1
        else:
            steps = [Delivery(view.id, "queued", _id("", seed, s.receipt_no)[:22], "queued")]
            error = None
            mail += 1
        with shop.uow() as uow:
            _settle(uow.conn, view.id, steps, stamp, error)
            uow.commit()
    summaries = 0
    days_sorted = sorted(per_day)
    store = settings.get("store_name") or settings.get("store_code", "")
    for i, day in enumerate(days_sorted):
        if day >= fmt.local(now, zone_name).date():
            continue  # today is not over
        total, before = sum(per_day[day]), sum(per_day[days_sorted[i - 1]]) if i else 0
        change = (fmt.percent_of(total - before, before) if before and total
                  else fmt.percent(0))
        at = datetime.combine(day, datetime.min.time(), fmt.zone(zone_name)) + timedelta(
            hours=22, minutes=10)
        with seeding_clock(at), shop.uow() as uow:
            ids = queue_owner_alert(uow.conn, cipher, "daily_summary", {
                "store_name": store, "day": fmt.date_text(day),
                "sales_total": fmt.money(total), "sales_count": fmt.number(len(per_day[day])),
                "change": change})
            stamp = at.astimezone(UTC).isoformat()
            for message_id in ids:
                sid = _id("SM", seed, "summary", day)
                _settle(uow.conn, message_id, [Delivery(message_id, "sent", sid, "sent"),
                                               Delivery(message_id, "read", sid, "read")],
                        stamp)
            uow.commit()
        summaries += len(ids)
    return DemoMessages(wa, mail, summaries, undelivered)


__all__ = ["DEFAULT_DAYS", "DemoMessages", "add_demo_messages"]

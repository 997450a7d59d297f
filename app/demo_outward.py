"""What a demo shop's history sent out of the shop: parcels (delivered, on the road,
returned) and messages (receipts by WhatsApp and email, the owner's daily summaries).

Run after the days of trading are seeded (app.demo_history), through the same use cases
the till and the jobs use (app.demo_shipments, app.demo_messages), so the shipments list,
the receipts' airway bills and the message log of a new demo shop are not empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.demo import DEMO_USERS
from app.demo_messages import add_demo_messages
from app.demo_shipments import add_demo_shipments
from app.secrets import cipher_for
from app.shop import Shop
from local_db.models import Sale
from services.users import authenticate

#: Parcels come from the last three weeks of sales.
SHIPPING_DAYS = 21


@dataclass(frozen=True, slots=True)
class DemoOutward:
    shipments: int
    messages: dict[str, Any]


def add_demo_outward(shop: Shop, *, seed: int, now: datetime) -> DemoOutward:
    since = (now - timedelta(days=SHIPPING_DAYS)).isoformat()
    with shop.uow(write=False) as uow:
        sales = [(str(r.id), datetime.fromisoformat(str(r.created_at))) for r in uow.conn.execute(
            select(Sale.id, Sale.created_at).where(Sale.created_at >= since)
            .order_by(Sale.seq)).all()]
    name, _, pin = DEMO_USERS[2]  # the cashier sends the parcels, as at the till
    with shop.uow() as uow:
        cashier = authenticate(uow, name, pin)
        uow.commit()
    shipped = add_demo_shipments(shop, cipher_for(shop), cashier,
                                 random.Random(f"{seed}:shipments"), sales, now=now)
    messages = add_demo_messages(shop, seed=seed, now=now)
    return DemoOutward(len(shipped), messages.as_dict())


__all__ = ["DemoOutward", "add_demo_outward"]

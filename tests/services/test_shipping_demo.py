"""The demo history's parcels (app/demo_shipments.py): delivered, on the road, returned,
each with its history, and nothing left for a courier to do."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from app.demo_shipments import add_demo_shipments
from app.shop import Shop
from services.shipping import list_shipments, shipment_detail
from services.users import Actor
from tests.services.test_shipping_support import a_sale, cipher, count


def test_demo_parcels_have_histories_and_no_pending_courier_work(shop: Shop,
                                                                 cashier: Actor) -> None:
    now = datetime.now(UTC)
    sales = [(a_sale(shop, i), now - timedelta(days=12 - i)) for i in range(12)]
    c = cipher(shop)
    ids = add_demo_shipments(shop, c, cashier, random.Random(3), sales, count=12, now=now)
    assert len(ids) == 12
    with shop.uow(write=False) as uow:
        rows = list_shipments(uow)
        details = [shipment_detail(uow, c, sid) for sid in ids]
    statuses = {r.status for r in rows}
    assert "delivered" in statuses and statuses & {"in_transit", "picked_up", "picking_up",
                                                   "allocated", "created"}
    assert statuses <= {"delivered", "returned", "returning", "in_transit", "picked_up",
                        "picking_up", "allocated", "created"}
    for d in details:
        assert d.events[0].status == "queued" and len(d.events) >= 2
        assert d.created_at < now.isoformat()
        if d.status == "delivered":
            assert d.waybill_id and d.events[-1].status == "delivered"
    assert count(shop, "provider_job", "state NOT IN ('succeeded')") == 0
    # the same again adds nothing (request keys)
    again = add_demo_shipments(shop, c, cashier, random.Random(3), sales, count=12, now=now)
    assert sorted(again) == sorted(ids) and count(shop, "shipment") == 12

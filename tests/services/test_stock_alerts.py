"""Stock alerts (one per crossing, re-armed above the threshold, one digest) and reorder
suggestions, on a real demo shop's SQLite file; messages through the real queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import seeding_clock
from local_db.store import write_settings
from services.errors import BadInput, Refused
from services.reorder import reorder_list, round_to_pack, set_reorder_terms, set_supplier_lead
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.stock import count_stock
from services.stock_alerts import current_alerts, pending_alerts, send_alert_digest
from services.users import Actor
from tests.helpers import scalar, stock_of


def alerts_of(shop: Shop, sku: str) -> list[tuple[int, str | None]]:
    with shop.uow(write=False) as uow:
        return [(int(a), b) for a, b in uow.conn.execute(text(
            "SELECT a.level_milli, a.rearmed_at FROM stock_alert a JOIN product p "
            "ON p.id = a.product_id WHERE p.sku = :s ORDER BY a.id"), {"s": sku})]


def sell(shop: Shop, actor: Actor, sku: str, qty_milli: int) -> None:
    req = SaleRequest((LineRequest(sku, qty_milli),), (PaymentRequest("cash", 1_000_000),))
    with shop.uow() as uow:
        complete_sale(uow, shop.config, actor, req)


def owner_email(shop: Shop) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"messaging.owner_channel": "email",
                                  "messaging.owner_to": "pemilik@warung.test"})
        uow.commit()


def test_one_alert_per_crossing_rearmed_above_threshold(shop: Shop, cashier: Actor,
                                                        supervisor: Actor) -> None:
    with shop.uow() as uow:
        count_stock(uow, supervisor, "MI-0001", 8000)  # threshold 5 (demo catalogue)
    assert alerts_of(shop, "MI-0001") == []
    for _ in range(3):  # 8 -> 7 -> 6 -> 5: the third sale crosses
        sell(shop, cashier, "MI-0001", 1000)
    assert alerts_of(shop, "MI-0001") == [(5000, None)]
    for _ in range(3):  # still low: no second alert however far it falls
        sell(shop, cashier, "MI-0001", 1000)
    assert len(alerts_of(shop, "MI-0001")) == 1
    assert stock_of(shop, "MI-0001")[0] == 2000
    with shop.uow() as uow:  # back to exactly the threshold: not above, not re-armed
        count_stock(uow, supervisor, "MI-0001", 5000)
    assert alerts_of(shop, "MI-0001")[0][1] is None
    with shop.uow() as uow:  # above: re-armed
        count_stock(uow, supervisor, "MI-0001", 12000)
    assert alerts_of(shop, "MI-0001")[0][1] is not None
    with shop.uow(write=False) as uow:
        assert "MI-0001" not in [a.sku for a in current_alerts(uow.conn)]
    sell(shop, cashier, "MI-0001", 7000)  # the next slide is a second crossing
    assert [a[0] for a in alerts_of(shop, "MI-0001")] == [5000, 5000]
    # The database holds the rule: a second open alert of the same product is refused.
    with shop.uow() as uow, pytest.raises(Exception, match="UNIQUE"):
        uow.conn.execute(text(
            "INSERT INTO stock_alert (product_id, threshold_milli, level_milli, fired_at) "
            "SELECT id, 1, 1, 'x' FROM product WHERE sku = 'MI-0001'"))


def test_threshold_edit_fires_and_clears(shop: Shop, supervisor: Actor) -> None:
    with shop.uow() as uow:
        count_stock(uow, supervisor, "MI-0002", 3000)
    before = len(alerts_of(shop, "MI-0002"))
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE product SET low_stock_milli = 1000 WHERE sku='MI-0002'"))
        uow.commit()
    assert alerts_of(shop, "MI-0002")[-1][1] is not None  # 3 > 1: re-armed
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE product SET low_stock_milli = 4000 WHERE sku='MI-0002'"))
        uow.commit()
    rows = alerts_of(shop, "MI-0002")
    assert len(rows) == before + 1 and rows[-1] == (3000, None)


def test_many_crossings_make_one_digest_through_the_queue(shop: Shop, cashier: Actor,
                                                          supervisor: Actor) -> None:
    owner_email(shop)
    with shop.uow() as uow:  # let migration-time alerts be known, then start clean
        uow.conn.execute(text("UPDATE stock_alert SET notified_at = 'x'"))
        uow.commit()
    skus = ["MI-0001", "MI-0002", "MI-0003"]
    for sku in skus:
        with shop.uow() as uow:
            count_stock(uow, supervisor, sku, 6000)
        sell(shop, cashier, sku, 2000)
    with shop.uow(write=False) as uow:
        assert sorted(a.sku for a in pending_alerts(uow.conn)) == skus
    messages = scalar(shop, "SELECT COUNT(*) FROM message")
    jobs = scalar(shop, "SELECT COUNT(*) FROM provider_job")
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        digest = send_alert_digest(uow, cipher)
    assert digest.alerts == 3 and len(digest.message_ids) == 1 and digest.channel == "email"
    assert scalar(shop, "SELECT COUNT(*) FROM message") == messages + 1
    assert scalar(shop, "SELECT COUNT(*) FROM provider_job") == jobs + 1
    assert scalar(shop, "SELECT template FROM message WHERE id = :i",
                  i=digest.message_ids[0]) == "low_stock"
    with shop.uow() as uow:  # nothing new: nothing sent
        again = send_alert_digest(uow, cipher)
    assert again.alerts == 0 and again.message_ids == ()
    assert scalar(shop, "SELECT COUNT(*) FROM message") == messages + 1


def test_without_an_owner_channel_alerts_wait(shop: Shop, cashier: Actor,
                                              supervisor: Actor) -> None:
    with shop.uow() as uow:
        count_stock(uow, supervisor, "MI-0003", 6000)
    sell(shop, cashier, "MI-0003", 2000)
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        digest = send_alert_digest(uow, cipher)
    assert digest.channel is None and digest.message_ids == ()
    with shop.uow(write=False) as uow:
        assert "MI-0003" in [a.sku for a in pending_alerts(uow.conn)]
    with shop.uow() as uow, pytest.raises(Refused):
        send_alert_digest(uow, cipher, cashier)


def test_reorder_from_the_last_28_days_rounded_to_the_pack(shop: Shop, cashier: Actor,
                                                          supervisor: Actor) -> None:
    with shop.uow() as uow:
        count_stock(uow, supervisor, "MI-0001", 200_000)
    # 56 sold three days ago (2 a day over 28 days), 4 refunded-free; 40 sold 40 days ago
    # (outside the window) and 10 today (the window ends yesterday).
    now = datetime.now(UTC)
    with seeding_clock(now - timedelta(days=40)):
        sell(shop, cashier, "MI-0001", 40_000)
    with seeding_clock(now - timedelta(days=3)):
        sell(shop, cashier, "MI-0001", 56_000)
    sell(shop, cashier, "MI-0001", 10_000)
    with shop.uow() as uow:
        count_stock(uow, supervisor, "MI-0001", 3000)
    with shop.uow() as uow:
        set_reorder_terms(uow, supervisor, "MI-0001", supplier="CV Sumber", lead_days="5",
                          pack="12", safety="4")
    from services.payables import store_today
    with shop.uow(write=False) as uow:
        rows = {r.sku: r for r in reorder_list(uow.conn, store_today(uow.conn)).rows}
    r = rows["MI-0001"]
    # 2/day x 5 days + 4 = 14; 14 - 3 on hand = 11, rounded up to a pack of 12.
    assert (r.sold_milli, r.lead_days, r.reorder_point_milli, r.suggested_milli) == (
        56_000, 5, 14_000, 12_000)
    assert r.supplier == "CV Sumber"
    # The supplier's lead time applies when the product has none of its own.
    with shop.uow() as uow:
        set_reorder_terms(uow, supervisor, "MI-0001", supplier="CV Sumber", pack="12",
                          safety="4")
    with shop.uow() as uow:
        set_supplier_lead(uow, supervisor, "CV Sumber", 10)
    with shop.uow(write=False) as uow:
        r = {x.sku: x for x in reorder_list(uow.conn, store_today(uow.conn)).rows}["MI-0001"]
    assert (r.lead_days, r.reorder_point_milli, r.suggested_milli) == (10, 24_000, 24_000)


def test_reorder_input_and_rounding(shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    assert round_to_pack(0, 12_000) == 0
    assert round_to_pack(1, 12_000) == 12_000
    assert round_to_pack(12_000, 12_000) == 12_000
    assert round_to_pack(12_001, 12_000) == 24_000
    for kw, field in (({"lead_days": "x"}, "lead_days"), ({"lead_days": "400"}, "lead_days"),
                      ({"pack": "0"}, "pack"), ({"pack": "1,5"}, "pack")):
        with shop.uow() as uow, pytest.raises(BadInput) as e:
            set_reorder_terms(uow, supervisor, "MI-0001", **kw)
        assert e.value.field == field
    assert scalar(shop, "SELECT COUNT(*) FROM reorder_setting") == 0
    with shop.uow() as uow, pytest.raises(Refused):
        set_reorder_terms(uow, cashier, "MI-0001", lead_days="3")

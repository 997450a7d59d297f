"""The courier job handlers (sync/courier_jobs.py) driven by the real dispatcher on a real
SQLite shop, with scripted couriers: one order per parcel whatever the courier answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection

from app.shop import Shop
from services.courier_port import CourierReply, ShipmentKeys, ShipmentOrder, TrackPoint
from services.shipping import (
    ShipmentDetail,
    cancel_shipment,
    create_shipment,
    shipment_detail,
)
from services.users import Actor
from sync.courier_jobs import courier_job_handlers
from sync.jobs.dispatcher import Dispatcher
from tests.helpers import scalar
from tests.services.test_shipping_support import (
    FakeCourier,
    TwoStepFake,
    a_sale,
    cipher,
    configure,
    job_state,
    request,
    statuses,
)


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def later(self, seconds: float = 3600) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _couriers(shop: Shop) -> None:
    configure(shop)


Hooked = list[tuple[str, str]]


def run(shop: Shop, client: FakeCourier, clock: Clock, hooked: Hooked | None = None,
        rounds: int = 1) -> None:
    def hook(conn: Connection, shipment_id: str, status: str) -> None:
        assert conn.in_transaction()
        if hooked is not None:
            hooked.append((shipment_id, status))
    handlers = courier_job_handlers(shop.db, cipher(shop), {client.name: client}, hook)
    d = Dispatcher(shop.db, handlers, clock=clock, base_delay=1.0, breaker_failures=100)
    for _ in range(rounds):
        d.run_once()
        clock.later()


def ship(shop: Shop, actor: Actor, courier: str = "jnt", **kw: object) -> str:
    c = cipher(shop)
    sale = a_sale(shop)
    company = "jne" if courier == "biteship" else courier
    with shop.uow() as uow:
        return create_shipment(uow, c, actor, request(
            sale, courier=courier, courier_company=company, **kw)).id


def detail(shop: Shop, sid: str) -> ShipmentDetail:
    c = cipher(shop)
    with shop.uow(write=False) as uow:
        return shipment_detail(uow, c, sid)


def created(waybill: str = "JT0001", price: int = 19_000, order: str | None = None,
            draft_order_id: str | None = None) -> CourierReply:
    return CourierReply("ok", status="created", provider_status="Sukses",
                        provider_order_id=order, waybill_id=waybill, price=price,
                        draft_order_id=draft_order_id)


def test_create_stores_the_courier_ids_and_arms_tracking(shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier)
    client = FakeCourier("jnt").script("create", created())
    hooked: Hooked = []
    run(shop, client, Clock(), hooked)
    d = detail(shop, sid)
    assert d.status == "created" and d.waybill_id == "JT0001"
    assert d.quoted_price == 18_000 and d.final_price == 19_000 and d.row.price_difference == 1000
    assert job_state(shop, sid, "create") == "succeeded"
    assert job_state(shop, sid, "track") == "pending" and d.next_track_at is not None
    assert hooked == [(sid, "created")]
    order, keys = client.calls[0][1]
    assert isinstance(order, ShipmentOrder) and order.reference == sid
    assert order.destination.phone == "+6281322223333" and order.origin.code == "CGK10000"


def test_a_lost_reply_is_looked_up_never_sent_again(shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier)
    client = (FakeCourier("jnt").script("create", CourierReply("unknown", message="timeout"))
              .script("find", created("JT0002")))
    run(shop, client, Clock(), rounds=3)
    assert client.made("create") == 1 and client.made("find") == 1
    assert detail(shop, sid).waybill_id == "JT0002"


def test_lookup_not_found_after_a_lost_reply_sends_once_more(shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier)
    client = (FakeCourier("jnt")
              .script("create", CourierReply("unknown", message="dropped"), created("JT3"))
              .script("find", CourierReply("not_found")))
    run(shop, client, Clock(), rounds=3)
    assert client.made("create") == 2 and detail(shop, sid).status == "created"


def test_jnt_duplicate_orderid_means_already_created(shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier)
    client = (FakeCourier("jnt")
              .script("create", CourierReply("exists", message="Orderid tidak boleh sama"))
              .script("find", created("JT0009")))
    run(shop, client, Clock(), rounds=2)
    assert client.made("create") == 1
    assert detail(shop, sid).waybill_id == "JT0009"


def test_a_refusal_fails_the_shipment_visibly(shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier)
    client = FakeCourier("jnt").script("create", CourierReply(
        "rejected", message="jnt: receiver_zip invalid", field="destination_postal_code"))
    hooked: Hooked = []
    run(shop, client, Clock(), hooked, rounds=2)
    d = detail(shop, sid)
    assert d.status == "failed" and "receiver_zip" in (d.last_error or "")
    assert job_state(shop, sid, "create") == "dead" and client.made("create") == 1
    assert hooked == [(sid, "failed")]


def test_biteship_draft_is_stored_before_it_is_confirmed(shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier, courier="biteship")
    seen: list[str | None] = []

    def confirm(draft_id: str) -> CourierReply:
        seen.append(str(scalar(shop, "SELECT draft_order_id FROM shipment WHERE id = :s",
                               s=sid)))
        return CourierReply("unknown", message="biteship: no answer after sending")

    def find(keys: ShipmentKeys) -> CourierReply:
        assert keys.draft_order_id == "D-1"
        return created("WB-1", order="O-1", draft_order_id="D-1")
    client = (TwoStepFake().script("create_draft", CourierReply("ok", draft_order_id="D-1",
                                                                status="queued"))
              .script("confirm_draft", confirm).script("find", find))
    run(shop, client, Clock(), rounds=3)
    assert seen == ["D-1"]  # committed before the confirm went out
    assert client.made("create_draft") == 1 and client.made("confirm_draft") == 1
    assert client.made("create") == 0
    d = detail(shop, sid)
    assert (d.status, d.provider_order_id, d.draft_order_id) == ("created", "O-1", "D-1")


def test_jne_cannot_be_asked_so_the_same_reference_is_sent_again(shop: Shop,
                                                                  cashier: Actor) -> None:
    sid = ship(shop, cashier, courier="jne", destination_code="BDO10000",
               destination_city="Bandung")
    refs: list[str] = []

    def create(order: ShipmentOrder, keys: ShipmentKeys) -> CourierReply:
        refs.append(order.reference)
        if len(refs) == 1:
            return CourierReply("unknown", message="jne: timeout")
        return created("0109401900003724")
    client = (FakeCourier("jne").script("create", create)
              .script("find", CourierReply("unknown", message="JNE has no look-up")))
    run(shop, client, Clock(), rounds=3)
    assert refs == [sid, sid]
    assert detail(shop, sid).waybill_id == "0109401900003724"


def _point(status: str, at: str, word: str) -> TrackPoint:
    return TrackPoint(status, word, f"note {word}", at)


def test_tracking_follows_to_delivered_with_history_and_price(shop: Shop,
                                                              cashier: Actor) -> None:
    sid = ship(shop, cashier)
    h1 = (_point("picked_up", "2099-01-01T01:00:00.000000+00:00", "picked"),)
    h2 = h1 + (_point("in_transit", "2099-01-01T05:00:00.000000+00:00", "dropping_off"),)
    h3 = h2 + (_point("delivered", "2099-01-02T03:00:00.000000+00:00", "delivered"),)
    client = (FakeCourier("jnt").script("create", created(price=18_000))
              .script("track",
                      CourierReply("ok", status="picked_up", history=h1, price=23_000),
                      CourierReply("ok", status="in_transit", history=h2),
                      CourierReply("ok", status="in_transit", history=h2),  # nothing new
                      CourierReply("ok", status="delivered", history=h3)))
    hooked: Hooked = []
    clock = Clock()
    run(shop, client, clock, hooked, rounds=1)
    for _ in range(6):
        clock.later(24 * 3600)
        run(shop, client, clock, hooked)
    d = detail(shop, sid)
    assert d.status == "delivered" and job_state(shop, sid, "track") == "succeeded"
    assert statuses(d.events) == ["queued", "created", "picked_up", "in_transit", "delivered"]
    assert (d.quoted_price, d.final_price, d.row.price_difference) == (18_000, 23_000, 5_000)
    assert [s for _, s in hooked] == ["created", "picked_up", "in_transit", "delivered"]
    assert client.made("track") == 4 and d.next_track_at is None


def test_cancel_at_the_courier_and_refused_after_pickup(shop: Shop, cashier: Actor) -> None:
    a = ship(shop, cashier)
    b = ship(shop, cashier)
    client = (FakeCourier("jnt").script("create", created("W-A"), created("W-B"))
              .script("cancel", CourierReply("ok", status="cancelled"),
                      CourierReply("rejected", message="jnt: cancel failed, GOT")))
    run(shop, client, Clock())
    for sid in (a, b):
        with shop.uow() as uow:
            cancel_shipment(uow, cashier, sid, "pembeli batal")
    run(shop, client, Clock())
    assert detail(shop, a).status == "cancelled"
    db = detail(shop, b)
    assert db.status == "created" and "refused the cancel" in (db.last_error or "")
    assert job_state(shop, b, "cancel") == "dead"


def test_cancel_while_the_create_is_unresolved_never_makes_the_order(
        shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier)
    client = (FakeCourier("jnt").script("create", CourierReply("unknown", message="timeout"))
              .script("find", CourierReply("not_found")))
    clock = Clock()
    run(shop, client, clock)
    assert job_state(shop, sid, "create") == "unknown"
    with shop.uow() as uow:
        view = cancel_shipment(uow, cashier, sid, "salah kirim")
    assert view.status == "queued" and job_state(shop, sid, "cancel") == "pending"
    run(shop, client, clock, rounds=3)
    assert detail(shop, sid).status == "cancelled"
    assert client.made("create") == 1 and client.made("cancel") == 0
    assert job_state(shop, sid, "cancel") == "succeeded"


def test_an_origin_missing_waits_instead_of_failing(shop: Shop, cashier: Actor) -> None:
    sid = ship(shop, cashier)
    configure(shop, extra={"courier.origin.phone": ""})
    client = FakeCourier("jnt").script("create", created())
    run(shop, client, Clock())
    assert client.made("create") == 0 and job_state(shop, sid, "create") == "failed"
    assert "sending address" in (detail(shop, sid).last_error or "")


Factory = Callable[[], FakeCourier]

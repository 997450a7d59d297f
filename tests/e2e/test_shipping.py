"""Shipping end to end: the shop's use cases, the courier jobs, helper A's clients and the
courier simulators on 127.0.0.1 (real HTTP). A sale's parcel followed to delivered, cancel
before pickup and refused after, COD, a price change after pickup, a J&T duplicate, a
double click."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.courier_wiring import courier_clients, courier_handlers, courier_notes
from app.secrets import secret_store_for
from app.shop import Shop
from services.courier_port import Place, RateRequest
from services.shipping import (
    cancel_shipment,
    compare_rates,
    courier_settings,
    create_shipment,
    shipment_detail,
    track_now,
)
from services.users import Actor
from sync.jobs.dispatcher import Dispatcher
from sync.simulators import biteship as bsim
from sync.simulators import jnt as jsim
from tests.services.test_shipping_support import (
    a_sale,
    cipher,
    configure,
    parcel,
    request,
    statuses,
)

STEP = 60.0  # the simulators move a parcel one status per minute of their clock


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def sims() -> Iterator[tuple[bsim.BiteshipSimulator, jsim.JntSimulator]]:
    b = bsim.BiteshipSimulator(seed=3, step_seconds=STEP)
    j = jsim.JntSimulator(seed=3, step_seconds=STEP)
    b.start()
    j.start()
    yield b, j
    b.stop()
    j.stop()


@pytest.fixture
def wired(shop: Shop, sims: tuple[bsim.BiteshipSimulator, jsim.JntSimulator]) -> Shop:
    b, j = sims
    configure(shop, enabled="biteship,jnt", extra={
        "courier.biteship.base_url": b.base_url, "courier.jnt.base_url": j.base_url,
        "courier.jnt.username": jsim.DEFAULT_USERNAME,
        "courier.jnt.eccompanyid": jsim.DEFAULT_ECCOMPANYID,
        "courier.jnt.origin_code": "JKT", "courier.timeout": "2"})
    store = secret_store_for(shop)
    store.set("biteship-api-key", bsim.DEFAULT_KEY)
    store.set("jnt-api-key", jsim.DEFAULT_API_KEY)
    store.set("jnt-sign-key", jsim.DEFAULT_SIGN_KEY)
    store.set("jnt-track-password", jsim.DEFAULT_TRACK_PASSWORD)
    return shop


Hooked = list[tuple[str, str]]


def jobs(shop: Shop, clock: Clock, hooked: Hooked | None = None, rounds: int = 1) -> None:
    """The dispatcher's rounds, as ``warungin jobs --once`` runs them; between rounds the
    dispatcher's clock moves a day on, so waiting polls come due."""
    def hook(conn: Any, sid: str, status: str) -> None:
        if hooked is not None:
            hooked.append((sid, status))
    with courier_handlers(shop, hook) as handlers:
        d = Dispatcher(shop.db, handlers, clock=clock, base_delay=0.2)
        for _ in range(rounds):
            d.run_once()
            clock.at += timedelta(days=1)


def ship(shop: Shop, actor: Actor, **kw: Any) -> str:
    c = cipher(shop)
    sale = a_sale(shop)
    with shop.uow() as uow:
        return create_shipment(uow, c, actor, request(sale, **kw)).id


def detail(shop: Shop, sid: str) -> Any:
    c = cipher(shop)
    with shop.uow(write=False) as uow:
        return shipment_detail(uow, c, sid)


def test_a_sales_parcel_goes_out_and_is_followed_to_delivered(
        wired: Shop, cashier: Actor, sims: tuple[bsim.BiteshipSimulator, Any]) -> None:
    b, _ = sims
    sid = ship(wired, cashier)
    assert detail(wired, sid).status == "queued"  # the till never waited on a courier
    clock, hooked = Clock(), []  # type: Clock, Hooked
    jobs(wired, clock, hooked)
    d = detail(wired, sid)
    assert d.status == "created" and d.provider_order_id and d.draft_order_id, d.last_error
    assert b.creates(sid) == 1
    for _ in range(8):
        b.advance(STEP)
        jobs(wired, clock, hooked)
    d = detail(wired, sid)
    assert d.status == "delivered", statuses(d.events)
    assert d.waybill_id and d.next_track_at is None
    seen = statuses(d.events)
    assert seen[0] == "queued" and seen[-1] == "delivered"
    assert {"created", "picked_up", "in_transit"} <= set(seen)
    assert len(seen) == len({(e.status, e.provider_status, e.happened_at) for e in d.events})
    assert hooked[0] == (sid, "created") and hooked[-1] == (sid, "delivered")
    assert b.creates(sid) == 1


def test_cancel_before_pickup_and_refused_after(wired: Shop, cashier: Actor,
                                                 sims: tuple[bsim.BiteshipSimulator, Any]
                                                 ) -> None:
    b, _ = sims
    early = ship(wired, cashier)
    late = ship(wired, cashier)
    clock = Clock()
    jobs(wired, clock)
    with wired.uow() as uow:
        cancel_shipment(uow, cashier, early, "pembeli membatalkan")
    jobs(wired, clock)
    d = detail(wired, early)
    assert d.status == "cancelled" and d.cancel_reason == "pembeli membatalkan"
    assert {o["status"] for o in b.orders() if o["reference"] == early} == {"cancelled"}
    # the other parcel: the simulator moves it past pickup; the shop does not know yet
    order_id = detail(wired, late).provider_order_id
    b.force_status(order_id, "picked")
    with wired.uow() as uow:
        cancel_shipment(uow, cashier, late, "terlambat")  # local status still allows it
    jobs(wired, clock)
    d = detail(wired, late)
    assert d.status != "cancelled" and "cancel" in (d.last_error or "")
    with wired.uow() as uow:
        track_now(uow, late)
    jobs(wired, clock)
    assert detail(wired, late).status == "picked_up"


def test_cod_and_a_price_change_after_pickup(wired: Shop, cashier: Actor,
                                            sims: tuple[bsim.BiteshipSimulator, Any]) -> None:
    b, _ = sims
    sid = ship(wired, cashier, cod=True, cod_amount=75_000, quoted_price=None)
    clock = Clock()
    jobs(wired, clock)
    d = detail(wired, sid)
    quoted = d.quoted_price
    assert quoted is not None and d.cod_amount == 75_000
    sim_order = b.order(d.provider_order_id)
    assert "75000" in str(sim_order)  # the COD amount reached the courier
    b.force_status(d.provider_order_id, "picked")
    b.reprice(d.provider_order_id, quoted + 7_000)
    with wired.uow() as uow:
        track_now(uow, sid)
    jobs(wired, clock)
    d = detail(wired, sid)
    assert (d.quoted_price, d.final_price, d.row.price_difference) == (
        quoted, quoted + 7_000, 7_000)


def test_jnt_duplicate_after_a_lost_reply_is_one_shipment(
        wired: Shop, cashier: Actor, sims: tuple[Any, jsim.JntSimulator]) -> None:
    _, j = sims
    sid = ship(wired, cashier, courier="jnt", courier_company="jnt", destination_code="BDO",
               service_code="EZ")
    j.set_faults(timeout_after_create=1.0, hang_seconds=3)
    clock = Clock()
    jobs(wired, clock)
    assert j.creates(sid) == 1 and detail(wired, sid).status == "queued"
    j.set_faults()
    jobs(wired, clock, rounds=3)
    d = detail(wired, sid)
    assert d.status == "created", d.last_error
    assert d.waybill_id or "airway bill" in (d.last_error or "")
    assert j.creates(sid) == 1


def test_a_double_click_is_one_shipment_at_the_courier(
        wired: Shop, cashier: Actor, sims: tuple[bsim.BiteshipSimulator, Any]) -> None:
    b, _ = sims
    first = ship(wired, cashier, request_key="kirim-1")
    second = ship(wired, cashier, request_key="kirim-1")
    assert first == second
    jobs(wired, Clock(), rounds=2)
    assert b.creates(first) == 1 and len(b.orders()) == 1


def test_rates_across_couriers_and_notes(wired: Shop) -> None:
    with wired.uow(write=False) as uow:
        settings = courier_settings(uow.conn)
    assert settings.origin is not None
    dest = Place("Pak Anton", "0813", "Jl. Kenanga", postal_code="40132",
                 area_id="IDNP9IDNC23IDND174IDZ40132", code="BDO")
    clients = courier_clients(wired)
    try:
        got = compare_rates(clients, RateRequest(settings.origin, dest, parcel(),
                                                 settings.companies),
                            origins=settings.origins)
    finally:
        for client in clients.values():
            client.close()
    assert got.rates and got.cheapest is not None and got.fastest is not None
    assert [r.price for r in got.rates] == sorted(r.price for r in got.rates)
    assert {r.courier for r in got.rates} == {"biteship", "jnt"}, got.failures
    assert courier_notes(wired) == {}
    secret_store_for(wired).delete("jnt-sign-key")
    assert "jnt-sign-key" in courier_notes(wired)["jnt"]


def test_jne_after_a_lost_reply_sends_the_same_order_id_and_gets_one_cnote(
        shop: Shop, cashier: Actor) -> None:
    from sync.couriers.jne import jne_order_id
    from sync.simulators import jne as nsim
    with nsim.JneSimulator(seed=5, step_seconds=STEP) as sim:
        configure(shop, enabled="jne", extra={
            "courier.jne.base_url": sim.base_url, "courier.jne.username":
            nsim.DEFAULT_USERNAME, "courier.jne.branch": "CGK000",
            "courier.jne.customer_id": "80000000", "courier.timeout": "1"})
        secret_store_for(shop).set("jne-api-key", nsim.DEFAULT_API_KEY)
        sid = ship(shop, cashier, courier="jne", courier_company="jne", service_code="REG",
                   destination_code="BDO10000", destination_city="Bandung")
        sim.set_faults(timeout_after_create=1.0, hang_seconds=2)
        clock = Clock()
        jobs(shop, clock)
        assert detail(shop, sid).status == "queued"
        sim.set_faults()
        jobs(shop, clock, rounds=2)
        d = detail(shop, sid)
        # Created, and perhaps already moving: the simulator's parcels advance on its clock.
        assert d.status in ("created", "allocated", "picking_up", "picked_up", "in_transit")
        assert d.waybill_id, d.last_error
        assert sim.creates(jne_order_id(sid)) == 1 and len(sim.orders()) == 1
        assert sim.generate_calls(jne_order_id(sid)) == 2  # the resend, deduplicated

"""The demo history's parcels: delivered, in-transit and returned shipments with histories.

Written by the real use cases in the past (``local_db.ids.seeding_clock``, like
``app.demo_history``): :func:`services.shipping.create_shipment` queues each parcel a few
minutes after its sale; the courier's answers are stored by the same functions the courier
job handlers call (``record_created``, ``record_track``) with the history a courier would
have told, stamped when it would have told it. Nothing goes to the network: each demo
parcel's create job is marked done (``result.demo``) and a parcel still on the road has no
tracking poll pending, so a demo shop never sends these to a courier or a simulator.

Call :func:`add_demo_shipments` after the days are seeded, outside any unit of work (it
opens its own: one short transaction per step, as the till's handlers do). If the shop has
no courier settings yet, the demo's are written (Biteship, the warung's address).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from app.shop import Shop
from local_db.ids import seeding_clock
from local_db.jobs import job_by_key, set_state
from local_db.store import read_settings, write_settings
from services.courier_port import CourierReply, Parcel, TrackPoint
from services.crypto import FieldCipher
from services.shipping import ShipmentRequest, create_shipment
from services.shipping_record import (
    CREATE,
    TRACK,
    job_key,
    record_created,
    record_track,
)
from services.users import Actor

DEMO_SETTINGS = {
    "courier.enabled": "biteship", "courier.default": "biteship:jne:reg",
    "courier.origin.name": "Warung Bu Sari", "courier.origin.phone": "0812-1111-2222",
    "courier.origin.address": "Jl. Melati No. 5, Kebayoran Baru",
    "courier.origin.postal_code": "12120",
    "courier.origin.area_id": "IDNP6IDNC148IDND836IDZ12120", "courier.origin.code": "CGK10000",
    "courier.origin.city": "Jakarta Selatan", "courier.notify": "whatsapp"}
#: Where the demo's parcels go: (district, postal code, area id).
DESTINATIONS = (("Coblong, Bandung", "40132", "IDNP9IDNC23IDND174IDZ40132"),
                ("Gondokusuman, Yogyakarta", "55221", "IDNP5IDNC501IDND6270IDZ55221"),
                ("Bekasi Timur", "17111", "IDNP9IDNC22IDND168IDZ17111"),
                ("Tangerang", "15111", "IDNP3IDNC455IDND5603IDZ15111"))
SERVICES = (("jne", "reg", 18_000), ("jnt", "ez", 17_000), ("sicepat", "reg", 16_000),
            ("pos", "kilat", 19_000))
NAMES = ("Ibu Ratna", "Pak Joko", "Mbak Dewi", "Mas Andi", "Bu Yanti", "Pak Hendra")
STREETS = ("Jl. Kenanga", "Jl. Dahlia", "Jl. Cempaka", "Jl. Anggrek", "Gg. Mawar")
GOODS = ("Kopi bubuk 1 kg", "Kerupuk udang 5 bungkus", "Sambal botol 3 pcs",
         "Teh celup 4 kotak")
#: Biteship's words on the way, with hours after the order.
FORWARD = (("allocated", "allocated", 1), ("picking_up", "picking_up", 3),
           ("picked_up", "picked", 5), ("in_transit", "dropping_off", 20),
           ("delivered", "delivered", 46))
RETURN = (("returning", "return_in_transit", 70), ("returned", "returned", 110))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _ensure_settings(shop: Shop) -> None:
    with shop.uow() as uow:
        current = read_settings(uow.conn)
        missing = {k: v for k, v in DEMO_SETTINGS.items() if not current.get(k)}
        if "biteship" not in current.get("courier.enabled", ""):
            enabled = [c for c in current.get("courier.enabled", "").split(",") if c]
            missing["courier.enabled"] = ",".join([*enabled, "biteship"])
        if missing:
            write_settings(uow.conn, missing)
            uow.commit()


def _ship_one(shop: Shop, cipher: FieldCipher, actor: Actor, rng: random.Random,
              sale_id: str, sold: datetime, now: datetime, no: int) -> str:
    place, postal, area = rng.choice(DESTINATIONS)
    company, service, price = rng.choice(SERVICES)
    weight = rng.choice((500, 900, 1200, 2500))
    req = ShipmentRequest(
        sale_id=sale_id, courier="biteship", courier_company=company, service_code=service,
        recipient_name=rng.choice(NAMES),
        recipient_phone=f"0813-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
        recipient_address=f"{rng.choice(STREETS)} No. {rng.randrange(1, 80)}, {place}",
        destination_postal_code=postal, destination_area_id=area, destination_code=None,
        parcel=Parcel(weight, 20, 15, rng.choice((8, 10, 15)), rng.randrange(5, 40) * 10_000,
                      rng.choice(GOODS)),
        cod=rng.random() < 0.25, quoted_price=price, request_key=f"demo-ship-{no}")
    created_at = sold + timedelta(minutes=rng.randint(5, 40))
    with seeding_clock(created_at):
        with shop.uow() as uow:
            view = create_shipment(uow, cipher, actor, req)
    sid = view.id
    if view.existing:  # seeded before (the same request key): nothing more to write
        return sid
    order_id = f"demo{rng.getrandbits(48):012x}"
    waybill = f"DEMO{rng.randrange(10**11, 10**12)}"
    confirmed = created_at + timedelta(minutes=1)
    with seeding_clock(confirmed):
        with shop.uow() as uow:
            record_created(uow, sid, CourierReply(
                "ok", status="created", provider_status="confirmed",
                provider_order_id=order_id, tracking_id=f"trk-{order_id}", price=price,
                history=(TrackPoint("created", "confirmed", "Order dibuat", _iso(confirmed)),)),
                hook=None)
        with shop.uow() as uow:
            _finish(uow.conn, sid, CREATE, {"demo": True, "provider_order_id": order_id})
            uow.commit()
    returned = rng.random() < 0.1
    path = FORWARD[:4] + RETURN if returned else FORWARD
    points: list[TrackPoint] = []
    for status, word, hours in path:
        at = confirmed + timedelta(hours=hours + rng.uniform(-0.5, 0.5))
        if at >= now:
            break
        points.append(TrackPoint(status, word, None, _iso(at)))
        if status in ("picked_up",) and rng.random() < 0.2:
            price += rng.choice((2_000, 4_000))  # weighed again at the hub
        with seeding_clock(at):
            with shop.uow() as uow:
                record_track(uow, sid, CourierReply(
                    "ok", status=status, provider_status=word, waybill_id=waybill,
                    price=price if status != "allocated" else None,
                    history=tuple(points)), hook=None, next_seconds=None)
    with shop.uow() as uow:  # the past has no poll pending: nothing goes to a courier
        _finish(uow.conn, sid, TRACK, {"demo": True})
        uow.commit()
    return sid


def _finish(conn: object, shipment_id: str, kind: str, result: dict[str, object]) -> None:
    from sqlalchemy import Connection, update

    from local_db.models import ProviderJob
    from local_db.store import canonical_json
    assert isinstance(conn, Connection)
    job = job_by_key(conn, "biteship", kind, job_key(shipment_id, kind))
    if job is None:
        return
    stamp = _iso(datetime.now(UTC))
    if set_state(conn, job.id, from_states=("pending", "failed", "unknown"),
                 state="succeeded", now=stamp, last_error=None):
        conn.execute(update(ProviderJob).where(ProviderJob.id == job.id)
                     .values(result=canonical_json(result)))


def add_demo_shipments(shop: Shop, cipher: FieldCipher, actor: Actor, rng: random.Random,
                       sales: Sequence[tuple[str, datetime]], *, count: int = 24,
                       now: datetime | None = None) -> list[str]:
    """Ship ``count`` of ``sales`` ((sale id, when sold), any order): parcels sold more than
    two days before ``now`` arrive (one in ten comes back returned), the newer ones are on
    the road. ``actor`` has a checked PIN (a cashier, as at the till). Returns the ids."""
    if not sales:
        return []
    now = now or datetime.now(UTC)
    _ensure_settings(shop)
    chosen = sorted(rng.sample(list(sales), min(count, len(sales))), key=lambda s: s[1])
    return [_ship_one(shop, cipher, actor, rng, sale_id, sold, now, no)
            for no, (sale_id, sold) in enumerate(chosen, start=1)]


__all__ = ["DEMO_SETTINGS", "add_demo_shipments"]

"""``warungin ship``: parcels of sales (JSON out; input JSON on stdin like ``warungin sale``).

    warungin ship rates  < {"destination": {...}, "parcel": {...}, "cod": false}
    warungin ship create --user NAME < {"sale_id" | "receipt_no", "service", "recipient",
                                        "parcel", "cod", ...}
    warungin ship batch  --user NAME < {"batch_id": "...", "items": [<create>, ...]}
    warungin ship track SHIPMENT_ID       poll the courier now (its due jobs run)
    warungin ship cancel SHIPMENT_ID --reason TEXT --user NAME
    warungin ship list [--status S] [--courier C] [--since T] [--until T] [--text Q]
    warungin ship show SHIPMENT_ID

A create only queues the parcel (the till never waits on a courier); ``warungin jobs
--once`` (or the desktop program) sends it. ``batch`` queues every item (a re-run with the
same ``batch_id`` finds what the first run wrote and creates nothing twice) and then drives
the courier jobs until each item is created, visibly failed, or the deadline passes.

Create JSON: ``service`` is ``client:company:service`` (e.g. ``biteship:jne:reg``; the
shop's ``courier.default`` when left out) or the three keys ``courier``,
``courier_company``, ``service_code``; ``recipient`` is ``{name, phone, address,
postal_code, area_id, code}``; ``parcel`` is ``{weight_g, length_cm, width_cm, height_cm,
declared_value, description}``; optional ``cod``, ``cod_amount``, ``quoted_price``,
``request_key``, ``note``. Bad input exits 2 naming the field.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from app.cli.args import int_between, read_stdin, seconds_between
from app.cli.common import acting_user, add_user_args, opened_shop, read_json
from app.cli.output import emit
from app.shop import Shop
from services.courier_port import Parcel, Place, RateRequest
from services.courier_settings import parse_default
from services.errors import BadInput
from services.shipping import (
    ShipmentRequest,
    cancel_shipment,
    compare_rates,
    courier_settings,
    create_batch,
    create_shipment,
    list_shipments,
    sale_for_shipment,
    shipment_detail,
    track_now,
)

MAX_BATCH = 5000


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ship", parents=[common], help="parcels of sales: rates, create, "
                       "track, cancel, list, batch")
    ps = p.add_subparsers(dest="ship_command", required=True)
    r = ps.add_parser("rates", parents=[common], help="compare the enabled couriers' prices "
                      "(JSON on stdin)")
    r.add_argument("--timeout", type=seconds_between(0.1, 60), default=None)
    r.set_defaults(handler=run_rates)
    c = ps.add_parser("create", parents=[common], help="queue a sale's parcel (JSON on stdin)")
    add_user_args(c)
    c.set_defaults(handler=run_create)
    b = ps.add_parser("batch", parents=[common], help="queue many parcels and send them "
                      "(JSON on stdin)")
    add_user_args(b)
    b.add_argument("--deadline", type=seconds_between(0, 3600), default=120.0,
                   help="seconds to wait for the couriers (default 120; 0: only queue)")
    b.add_argument("--workers", type=int_between(1, 16), default=4,
                   help="courier calls in flight per courier (default 4)")
    b.add_argument("--lease", type=seconds_between(0.5, 3600), default=120.0,
                   help="seconds a worker holds a job before another may resolve it")
    b.add_argument("--timeout", type=seconds_between(0.1, 60), default=None,
                   help="seconds per courier call (default: courier.timeout or 10)")
    b.set_defaults(handler=run_batch_command)
    t = ps.add_parser("track", parents=[common], help="poll the courier for a shipment now")
    t.add_argument("shipment_id")
    t.set_defaults(handler=run_track)
    x = ps.add_parser("cancel", parents=[common], help="cancel a shipment (with the reason)")
    x.add_argument("shipment_id")
    x.add_argument("--reason", required=True)
    add_user_args(x)
    x.set_defaults(handler=run_cancel)
    listing = ps.add_parser("list", parents=[common], help="shipments, newest first")
    listing.add_argument("--status")
    listing.add_argument("--courier")
    listing.add_argument("--since")
    listing.add_argument("--until")
    listing.add_argument("--text")
    listing.add_argument("--limit", type=int_between(1, 5000), default=200)
    listing.set_defaults(handler=run_list)
    s = ps.add_parser("show", parents=[common], help="one shipment with its history")
    s.add_argument("shipment_id")
    s.set_defaults(handler=run_show)


# --- reading the JSON --------------------------------------------------------------------

def _obj(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise BadInput("must be a JSON object", field=name)
    return value


def _str(d: Mapping[str, Any], key: str, name: str, *, required: bool = False) -> str | None:
    value = d.get(key)
    if value is None or value == "":
        if required:
            raise BadInput("is needed", field=name)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a postal code typed as a number
    if not isinstance(value, str):
        raise BadInput("must be text", field=name)
    return value


def _whole(d: Mapping[str, Any], key: str, name: str, default: int | None = None) -> int:
    value = d.get(key, default)
    if value is None:
        raise BadInput("is needed", field=name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("must be a whole number", field=name)
    return value


def _parcel(value: Any) -> Parcel:
    d = _obj(value, "parcel")
    return Parcel(weight_g=_whole(d, "weight_g", "weight_g"),
                  length_cm=_whole(d, "length_cm", "length_cm", 0),
                  width_cm=_whole(d, "width_cm", "width_cm", 0),
                  height_cm=_whole(d, "height_cm", "height_cm", 0),
                  declared_value=_whole(d, "declared_value", "declared_value", 0),
                  description=_str(d, "description", "description") or "Paket",
                  quantity=_whole(d, "quantity", "quantity", 1))


def _bool(d: Mapping[str, Any], key: str) -> bool:
    value = d.get(key, False)
    if not isinstance(value, bool):
        raise BadInput("must be true or false", field=key)
    return value


def _optional_int(d: Mapping[str, Any], key: str) -> int | None:
    return None if d.get(key) is None else _whole(d, key, key)


def shipment_request(shop: Shop, data: Any, *, request_key: str | None = None,
                     batch_id: str | None = None) -> ShipmentRequest:
    """A create's JSON as the use case's request (shapes checked here, rules there)."""
    d = _obj(data, "input")
    sale_id = _str(d, "sale_id", "sale_id")
    receipt = _str(d, "receipt_no", "receipt_no")
    if sale_id is None:
        if receipt is None:
            raise BadInput("give sale_id or receipt_no", field="sale_id")
        with shop.uow(write=False) as uow:
            sale_id = sale_for_shipment(uow, receipt_no=receipt).sale_id
    service = _str(d, "service", "service")
    courier = _str(d, "courier", "courier")
    if service is None and courier is None:
        with shop.uow(write=False) as uow:
            default = courier_settings(uow.conn).default
        if default is None:
            raise BadInput("say which courier (service: client:company:service); the shop "
                           "has no courier.default", field="service")
        courier, company, code = default.courier, default.courier_company, default.service_code
    elif service is not None:
        chosen = parse_default(service)
        if chosen is None:
            raise BadInput("write it client:company:service, e.g. biteship:jne:reg",
                           field="service")
        courier, company, code = chosen.courier, chosen.courier_company, chosen.service_code
    else:
        company = _str(d, "courier_company", "courier_company", required=True) or ""
        code = _str(d, "service_code", "service_code", required=True) or ""
    r = _obj(d.get("recipient"), "recipient")
    return ShipmentRequest(
        sale_id=sale_id, courier=courier or "", courier_company=company, service_code=code,
        recipient_name=_str(r, "name", "recipient_name") or "",
        recipient_phone=_str(r, "phone", "recipient_phone") or "",
        recipient_address=_str(r, "address", "recipient_address") or "",
        destination_postal_code=_str(r, "postal_code", "destination_postal_code"),
        destination_area_id=_str(r, "area_id", "destination_area_id"),
        destination_code=_str(r, "code", "destination_code"),
        destination_city=_str(r, "city", "destination_city"),
        parcel=_parcel(d.get("parcel")), cod=_bool(d, "cod"),
        quoted_price=_optional_int(d, "quoted_price"),
        request_key=_str(d, "request_key", "request_key") or request_key,
        batch_id=batch_id, note=_str(d, "note", "note"),
        cod_amount=_optional_int(d, "cod_amount"))


# --- commands ----------------------------------------------------------------------------

def _cipher(shop: Shop) -> Any:
    from app.secrets import cipher_for
    return cipher_for(shop)


def run_rates(args: argparse.Namespace) -> int:
    from app.courier_wiring import courier_clients
    d = _obj(read_json(read_stdin("input"), field="input"), "input")
    dest = _obj(d.get("destination"), "destination")
    parcel = _parcel(d.get("parcel"))
    cod = _bool(d, "cod")
    with opened_shop(args) as shop:
        with shop.uow(write=False) as uow:
            settings = courier_settings(uow.conn)
        if settings.origin is None:
            raise BadInput("the shop's sending address is not set (courier.origin.*)",
                           field="origin")
        place = Place(name=_str(dest, "name", "destination.name") or "-",
                      phone=_str(dest, "phone", "destination.phone") or "",
                      address=_str(dest, "address", "destination.address") or "",
                      postal_code=_str(dest, "postal_code", "destination.postal_code"),
                      area_id=_str(dest, "area_id", "destination.area_id"),
                      code=_str(dest, "code", "destination.code"))
        clients = courier_clients(shop, timeout=args.timeout)
        try:
            got = compare_rates(clients, RateRequest(settings.origin, place, parcel,
                                                     settings.companies, cod),
                                origins=settings.origins)
        finally:
            for client in clients.values():
                client.close()
    emit({"rates": [asdict(r) for r in got.rates],
          "cheapest": None if got.cheapest is None else asdict(got.cheapest),
          "fastest": None if got.fastest is None else asdict(got.fastest),
          "failures": dict(got.failures)})
    return 0


def run_create(args: argparse.Namespace) -> int:
    data = read_json(read_stdin("input"), field="input")
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        req = shipment_request(shop, data)
        cipher = _cipher(shop)
        with shop.uow() as uow:
            view = create_shipment(uow, cipher, actor, req)
    emit(view.as_dict() | {"existing": view.existing})
    return 0


def run_batch_command(args: argparse.Namespace) -> int:
    from app.courier_wiring import courier_handlers
    from services.errors import ShopError
    from services.shipping import BatchItem
    from sync.courier_jobs import run_batch
    d = _obj(read_json(read_stdin("input"), field="input"), "input")
    batch_id = _str(d, "batch_id", "batch_id", required=True) or ""
    items = d.get("items")
    if not isinstance(items, list) or not items:
        raise BadInput("must be a non-empty list", field="items")
    if len(items) > MAX_BATCH:
        raise BadInput(f"at most {MAX_BATCH} items in one batch", field="items")
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        cipher = _cipher(shop)
        requests: list[ShipmentRequest] = []
        bad: list[BatchItem] = []
        for no, item in enumerate(items, start=1):
            key = f"{batch_id}:{no}"
            try:
                requests.append(shipment_request(shop, item, request_key=key,
                                                 batch_id=batch_id))
            except ShopError as exc:
                bad.append(BatchItem(no, key, "refused", None, exc.field, exc.message))
        queued = create_batch(shop.uow, cipher, actor, requests, batch_id=batch_id)
        listed = {i.request_key: i for i in (*queued.items, *bad)}
        run = None
        if args.deadline > 0:
            with courier_handlers(shop, timeout=args.timeout) as handlers:
                run = run_batch(shop.db, handlers, batch_id, deadline_seconds=args.deadline,
                                workers=args.workers,
                                dispatcher_options={"lease_seconds": args.lease})
    by_key = {i.request_key: i for i in (run.items if run else ())}
    out = []
    for no in range(1, len(items) + 1):
        key = f"{batch_id}:{no}"
        queued_item = listed.get(key) or next(
            (i for i in listed.values() if i.item_no == no), None)
        if queued_item is None:
            continue
        entry: dict[str, Any] = {"item_no": no, "request_key": queued_item.request_key,
                                 "shipment_id": queued_item.shipment_id,
                                 "queued": queued_item.outcome}
        if queued_item.outcome == "refused":
            entry |= {"outcome": "refused", "field": queued_item.field,
                      "reason": queued_item.reason}
        elif (progress := by_key.get(queued_item.request_key)) is not None:
            entry |= {"outcome": progress.outcome, "status": progress.status,
                      "waybill_id": progress.waybill_id, "reason": progress.reason}
        else:
            entry |= {"outcome": "queued"}
        out.append(entry)
    tally: dict[str, int] = {}
    for entry in out:
        tally[entry["outcome"]] = tally.get(entry["outcome"], 0) + 1
    emit({"batch_id": batch_id, "done": bool(run and run.done),
          "seconds": round(run.seconds, 3) if run else 0.0, "counts": tally, "items": out})
    return 0


def run_track(args: argparse.Namespace) -> int:
    from app.courier_wiring import courier_handlers
    from sync.jobs.dispatcher import Dispatcher
    with opened_shop(args) as shop:
        cipher = _cipher(shop)
        with shop.uow(write=False) as uow:
            row = shipment_detail(uow, cipher, args.shipment_id)
        if row.status not in ("queued", "delivered", "returned", "cancelled", "failed"):
            with shop.uow() as uow:
                track_now(uow, args.shipment_id)
        with courier_handlers(shop) as handlers:
            if any(p == row.courier for p, _ in handlers):
                Dispatcher(shop.db, handlers).run_provider(row.courier)
        with shop.uow(write=False) as uow:
            detail = shipment_detail(uow, cipher, args.shipment_id)
    emit(detail.as_dict())
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = cancel_shipment(uow, actor, args.shipment_id, args.reason)
    emit(view.as_dict())
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        rows = list_shipments(uow, status=args.status, courier=args.courier,
                              since=args.since, until=args.until, text=args.text,
                              limit=args.limit)
    emit([r.as_dict() for r in rows])
    return 0


def run_show(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        cipher = _cipher(shop)
        with shop.uow(write=False) as uow:
            detail = shipment_detail(uow, cipher, args.shipment_id)
    emit(detail.as_dict())
    return 0

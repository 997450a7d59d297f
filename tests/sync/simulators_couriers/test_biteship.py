"""The Biteship simulator over real HTTP on 127.0.0.1, driven with plain httpx."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sync.simulators.biteship import DEFAULT_KEY, BiteshipSimulator

from .conftest import FakeClock

STEP = 60.0
BANDUNG_AREA = "IDNP9IDNC23IDND174IDZ40132"


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[BiteshipSimulator]:
    with BiteshipSimulator(seed=3, step_seconds=STEP, clock=clock) as s:
        yield s


@pytest.fixture
def http(sim: BiteshipSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, headers={"Authorization": DEFAULT_KEY},
                      timeout=5) as c:
        yield c


def order_body(ref: str = "ship-1", **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "origin_contact_name": "Warung Sim", "origin_contact_phone": "080000000001",
        "origin_address": "Jl. Contoh 1", "origin_postal_code": 12120,
        "destination_contact_name": "Pembeli", "destination_contact_phone": "080000000002",
        "destination_address": "Jl. Contoh 2", "destination_area_id": BANDUNG_AREA,
        "courier_company": "jne", "courier_type": "reg", "delivery_type": "now",
        "reference_id": ref,
        "items": [{"name": "Kopi", "value": 50000, "weight": 800, "quantity": 1}],
    }
    body.update(over)
    return body


def create(http: httpx.Client, ref: str = "ship-1", **over: Any) -> dict[str, Any]:
    reply = http.post("/v1/orders", json=order_body(ref, **over))
    assert reply.status_code == 200, reply.text
    return reply.json()  # type: ignore[no-any-return]


# --- auth and catalogues -----------------------------------------------------------------


def test_bare_key_and_bearer_key_are_accepted_anything_else_is_401(
        sim: BiteshipSimulator) -> None:
    url = f"{sim.base_url}/v1/couriers"
    assert httpx.get(url, headers={"Authorization": DEFAULT_KEY}).status_code == 200
    assert httpx.get(url, headers={"Authorization": f"Bearer {DEFAULT_KEY}"}).status_code == 200
    for headers in ({}, {"Authorization": "biteship_test.WRONG"}):
        reply = httpx.get(url, headers=headers)
        assert reply.status_code == 401
        body = reply.json()
        assert body["success"] is False and body["error"] and re.fullmatch(r"\d{8}",
                                                                            str(body["code"]))


def test_catalogues(http: httpx.Client) -> None:
    couriers = http.get("/v1/couriers").json()["couriers"]
    assert {"jne", "jnt", "pos", "sicepat"} <= {c["courier_code"] for c in couriers}
    areas = http.get("/v1/maps/areas", params={"countries": "ID", "input": "bandung"}).json()
    assert [a["id"] for a in areas["areas"]] == [BANDUNG_AREA]
    assert areas["areas"][0]["postal_code"] == 40132
    assert http.get("/v1/maps/areas").status_code == 400
    reasons = http.get("/v1/orders/cancellation_reasons", params={"lang": "id"}).json()
    assert {"code", "reason"} <= set(reasons["cancellation_reasons"][0])


# --- rates -------------------------------------------------------------------------------


def rates(http: httpx.Client, items: list[dict[str, Any]], **over: Any) -> httpx.Response:
    body = {"origin_postal_code": 12120, "destination_area_id": BANDUNG_AREA,
            "couriers": "jne,jnt,pos", "items": items, **over}
    return http.post("/v1/rates/couriers", json=body)


def test_rates_shape_and_chargeable_weight(http: httpx.Client) -> None:
    boxy = rates(http, [{"name": "Bantal", "value": 90000, "weight": 800, "length": 30,
                         "width": 20, "height": 20, "quantity": 1}]).json()
    heavy = rates(http, [{"name": "Bantal", "value": 90000, "weight": 2000,
                          "quantity": 1}]).json()
    light = rates(http, [{"name": "Bantal", "value": 90000, "weight": 800,
                          "quantity": 1}]).json()
    assert boxy["success"] is True and boxy["object"] == "courier_pricing"
    assert boxy["code"] == 20001003 and boxy["origin"]["postal_code"] == 12120
    entry = boxy["pricing"][0]
    for key in ("courier_name", "courier_code", "courier_service_name",
                "courier_service_code", "type", "description", "duration",
                "shipment_duration_range", "shipment_duration_unit", "price", "shipping_fee",
                "insurance_fee", "cash_on_delivery_fee", "available_for_cash_on_delivery",
                "available_collection_method"):
        assert key in entry, key
    assert all(re.fullmatch(r"\d+( - \d+)? Days", p["duration"]) for p in boxy["pricing"])

    def price(body: dict[str, Any], code: str, svc: str) -> int:
        return int(next(p["price"] for p in body["pricing"]
                        if p["courier_code"] == code and p["courier_service_code"] == svc))

    # 30x20x20 cm = 2 kg volumetric beats the 0.8 kg on the scale
    assert price(boxy, "jne", "reg") == price(heavy, "jne", "reg") == 2 * price(light, "jne",
                                                                                 "reg")
    cod = {(p["courier_code"], p["courier_service_code"]): p["available_for_cash_on_delivery"]
           for p in boxy["pricing"]}
    assert cod[("jne", "reg")] is True and cod[("pos", "reg")] is False
    assert {p["courier_code"] for p in boxy["pricing"]} == {"jne", "jnt", "pos"}


def test_rates_validation_names_the_field(http: httpx.Client) -> None:
    item = [{"name": "Kopi", "value": 1, "weight": 100, "quantity": 1}]
    missing = rates(http, item, couriers="")
    assert missing.status_code == 400 and "couriers" in missing.json()["error"]
    wrong = rates(http, item, destination_area_id="IDNP0NOWHERE")
    assert wrong.status_code == 422 and "destination_area_id" in wrong.json()["error"]
    bad_weight = rates(http, [{"name": "Kopi", "value": 1, "weight": 0, "quantity": 1}])
    assert bad_weight.status_code == 422 and "items[0].weight" in bad_weight.json()["error"]
    assert http.post("/v1/rates/couriers", content=b"not json").status_code == 400


# --- drafts and orders -------------------------------------------------------------------


def test_draft_placed_then_ready_then_confirmed_once(sim: BiteshipSimulator,
                                                     http: httpx.Client) -> None:
    body = order_body("ship-draft")
    del body["courier_company"], body["courier_type"]
    draft = http.post("/v1/draft_orders", json=body).json()
    assert draft["object"] == "draft_order" and draft["status"] == "placed"
    assert draft["reference_id"] == "ship-draft" and draft["courier"]["waybill_id"] is None
    refused = http.post(f"/v1/draft_orders/{draft['id']}/confirm")
    assert refused.status_code == 400 and "courier_company" in refused.json()["error"]
    assert sim.orders() == []
    updated = http.post(f"/v1/draft_orders/{draft['id']}",
                        json={"courier_company": "jne", "courier_type": "reg"}).json()
    assert updated["status"] == "ready" and updated["price"] > 0
    first = http.post(f"/v1/draft_orders/{draft['id']}/confirm").json()
    second = http.post(f"/v1/draft_orders/{draft['id']}/confirm").json()
    assert first["object"] == "order" and first["status"] == "confirmed"
    assert first["id"] == second["id"] and first["draft_order_id"] == draft["id"]
    assert first["reference_id"] == "ship-draft"
    assert sim.creates("ship-draft") == 1 and len(sim.orders()) == 1
    seen = http.get(f"/v1/draft_orders/{draft['id']}").json()
    assert seen["status"] == "confirmed" and seen["order_id"] == first["id"]
    assert http.post(f"/v1/draft_orders/{draft['id']}", json={}).status_code == 400
    assert http.get("/v1/draft_orders/nope").status_code == 404


def test_direct_create_shape_and_no_dedupe_by_reference(sim: BiteshipSimulator,
                                                        http: httpx.Client) -> None:
    order = create(http, "ship-dup")
    assert order["success"] is True and order["message"] == "Order successfully created"
    assert order["object"] == "order" and order["status"] == "confirmed"
    assert order["reference_id"] == "ship-dup" and order["draft_order_id"] is None
    assert order["currency"] == "IDR" and order["price"] > 0
    assert order["courier"]["tracking_id"] and order["courier"]["waybill_id"] is None
    assert order["courier"]["company"] == "jne" and order["courier"]["type"] == "reg"
    again = create(http, "ship-dup")  # the real API makes a second order: a duplicate label
    assert again["id"] != order["id"]
    assert sim.creates("ship-dup") == 2 and sim.creates("other") == 0
    assert [o["id"] for o in sim.orders()] == [order["id"], again["id"]]


def test_order_validation_names_the_field(sim: BiteshipSimulator, http: httpx.Client) -> None:
    body = order_body()
    del body["destination_contact_phone"]
    missing = http.post("/v1/orders", json=body)
    assert missing.status_code == 400
    assert missing.json()["error"].startswith("destination_contact_phone")
    wrong = http.post("/v1/orders", json=order_body(courier_type="teleport"))
    assert wrong.status_code == 422 and "courier_type" in wrong.json()["error"]
    cod_pos = http.post("/v1/orders", json=order_body(
        courier_company="pos", courier_type="reg", destination_cash_on_delivery=100000))
    assert cod_pos.status_code == 422
    assert "destination_cash_on_delivery" in cod_pos.json()["error"]
    assert sim.orders() == []


def test_cod_order(sim: BiteshipSimulator, http: httpx.Client) -> None:
    order = create(http, "ship-cod", destination_cash_on_delivery=150000,
                   destination_cash_on_delivery_type="3_days")
    cod = order["destination"]["cash_on_delivery"]
    assert cod["amount"] == 150000 and cod["type"] == "3_days" and cod["fee"] > 0
    assert cod["payment_status"] == "pending"
    sim.advance(STEP * 5)
    got = http.get(f"/v1/orders/{order['id']}").json()
    assert got["status"] == "delivered"
    assert got["destination"]["cash_on_delivery"]["payment_status"] == "paid"


def test_statuses_advance_with_history_and_waybill_at_allocated(
        sim: BiteshipSimulator, http: httpx.Client) -> None:
    order = create(http)
    oid, tid = order["id"], order["courier"]["tracking_id"]
    sim.advance(STEP - 1)
    assert http.get(f"/v1/orders/{oid}").json()["status"] == "confirmed"
    sim.advance(1)
    got = http.get(f"/v1/orders/{oid}").json()
    assert got["status"] == "allocated" and got["courier"]["waybill_id"]
    waybill = got["courier"]["waybill_id"]
    sim.advance(STEP * 2)
    tracking = http.get(f"/v1/trackings/{tid}").json()
    assert tracking["object"] == "tracking" and tracking["messsage"]  # sic, as Biteship
    assert tracking["status"] == "pickingUp" or tracking["status"] == "picked"
    sim.advance(STEP * 10)
    got = http.get(f"/v1/orders/{oid}").json()
    history = got["courier"]["history"]
    assert [h["status"] for h in history] == ["confirmed", "allocated", "picking_up", "picked",
                                              "dropping_off", "delivered"]
    assert got["status"] == "delivered"
    stamps = [h["updated_at"] for h in history]
    assert stamps == sorted(stamps) and all(s.endswith("+07:00") for s in stamps)
    assert all(h["note"] for h in history)
    tracking = http.get(f"/v1/trackings/{waybill}/couriers/jne").json()
    assert tracking["status"] == "delivered" and tracking["waybill_id"] == waybill
    assert [h["status"] for h in tracking["history"]] == [
        "confirmed", "allocated", "pickingUp", "picked", "droppingOff", "delivered"]
    assert tracking["order_id"] == oid
    assert http.get(f"/v1/trackings/{waybill}/couriers/jnt").status_code == 404
    assert http.get("/v1/orders/nope").status_code == 404


def test_cancel_before_pickup_and_refused_after(sim: BiteshipSimulator,
                                                http: httpx.Client) -> None:
    early, late = create(http, "a"), create(http, "b")
    no_reason = http.post(f"/v1/orders/{early['id']}/cancel", json={})
    assert no_reason.status_code == 400 and "cancellation_reason_code" in no_reason.text
    sim.advance(STEP * 2)  # picking_up: still cancellable
    done = http.post(f"/v1/orders/{early['id']}/cancel",
                     json={"cancellation_reason_code": "change_courier"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    sim.advance(STEP)  # the other is picked now
    refused = http.post(f"/v1/orders/{late['id']}/cancel",
                        json={"cancellation_reason_code": "others",
                              "cancellation_reason": "salah alamat"})
    assert refused.status_code == 400
    assert refused.json()["success"] is False and refused.json()["status"] == "rejected"
    sim.advance(STEP * 10)
    assert http.get(f"/v1/orders/{early['id']}").json()["status"] == "cancelled"
    assert http.get(f"/v1/orders/{late['id']}").json()["status"] == "delivered"
    again = http.post(f"/v1/orders/{early['id']}/cancel",
                      json={"cancellation_reason_code": "change_courier"})
    assert again.json()["status"] == "cancelled"


def test_return_and_reprice(sim: BiteshipSimulator, http: httpx.Client) -> None:
    order = create(http)
    with pytest.raises(ValueError):
        sim.return_parcel(order["id"])  # not picked up yet
    sim.advance(STEP * 4)  # dropping_off
    sim.reprice(order["id"], order["price"] + 9000)
    sim.return_parcel(order["id"])
    got = http.get(f"/v1/orders/{order['id']}").json()
    assert got["price"] == order["price"] + 9000 and got["status"] == "return_in_transit"
    assert any("price" in h["note"].lower() for h in got["courier"]["history"])
    sim.advance(STEP)
    got = http.get(f"/v1/orders/{order['id']}").json()
    assert got["status"] == "returned"
    tracking = http.get(f"/v1/trackings/{got['courier']['tracking_id']}").json()
    assert "returnInTransit" in [h["status"] for h in tracking["history"]]
    with pytest.raises(KeyError):
        sim.reprice("nope", 1)


def test_control_endpoints_over_http(sim: BiteshipSimulator, http: httpx.Client) -> None:
    order = create(http, "ctl")
    base = sim.base_url
    assert httpx.post(f"{base}/_sim/advance", json={"seconds": STEP * 3}).status_code == 200
    reply = httpx.post(f"{base}/_sim/reprice/{order['id']}", json={"price": 99000})
    assert reply.status_code == 200 and reply.json()["order"]["price"] == 99000
    reply = httpx.post(f"{base}/_sim/return/{order['id']}")
    assert reply.json()["order"]["status"] == "return_in_transit"
    reply = httpx.post(f"{base}/_sim/status/{order['id']}", json={"status": "on_hold"})
    assert reply.json()["order"]["status"] == "on_hold"
    listed = httpx.get(f"{base}/_sim/orders").json()["orders"]
    assert [o["reference"] for o in listed] == ["ctl"] and listed[0]["status"] == "on_hold"
    assert httpx.get(f"{base}/_sim/creates/ctl").json()["creates"] == 1
    assert httpx.post(f"{base}/_sim/faults", json={"drop": 1.0,
                                                   "apply_to": ["rates"]}).status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        rates(http, [{"name": "x", "value": 1, "weight": 1, "quantity": 1}])
    assert httpx.get(f"{base}/_sim/fault_log").json()["faults"][0]["endpoint"] == "rates"
    assert httpx.post(f"{base}/_sim/faults", json={"drop": 2}).status_code == 400
    assert httpx.post(f"{base}/_sim/return/nope").status_code == 404
    assert httpx.get(f"{base}/_sim/drafts").json() == {"drafts": []}
    assert httpx.post(f"{base}/_sim/faults", json={}).status_code == 200
    limited = httpx.post(f"{base}/_sim/rate_limit", json={"rate_limit": {"orders": 1}})
    assert limited.status_code == 200
    assert http.get(f"/v1/orders/{order['id']}").status_code == 200
    assert http.get(f"/v1/orders/{order['id']}").status_code == 429
    assert httpx.get(f"{base}/_sim/throttled").json() == {"throttled": {"orders": 1}}


# --- faults ------------------------------------------------------------------------------


def test_timeout_after_create_records_the_order(sim: BiteshipSimulator) -> None:
    sim.set_faults(timeout_after_create=1.0, hang_seconds=2.0)
    with httpx.Client(base_url=sim.base_url, headers={"Authorization": DEFAULT_KEY},
                      timeout=0.3) as c:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            c.post("/v1/orders", json=order_body("lost-reply"))
        assert time.monotonic() - started < 1.5
    assert sim.creates("lost-reply") == 1
    assert sim.fault_log() == [{"fault": "timeout_after_create", "endpoint": "order_create",
                                "reference": "lost-reply", "recorded": True}]


def test_timeout_after_confirm_then_the_draft_tells(sim: BiteshipSimulator) -> None:
    with httpx.Client(base_url=sim.base_url, headers={"Authorization": DEFAULT_KEY},
                      timeout=0.3) as c:
        draft = c.post("/v1/draft_orders", json=order_body("two-step")).json()
        sim.set_faults(timeout_after_create=1.0, hang_seconds=1.0, apply_to=("draft_confirm",))
        with pytest.raises(httpx.ReadTimeout):
            c.post(f"/v1/draft_orders/{draft['id']}/confirm")
        sim.set_faults()
        seen = c.get(f"/v1/draft_orders/{draft['id']}").json()
        assert seen["status"] == "confirmed" and seen["order_id"]
        again = c.post(f"/v1/draft_orders/{draft['id']}/confirm").json()
        assert again["id"] == seen["order_id"]
    assert sim.creates("two-step") == 1


def test_drop_before_or_after_acting_is_logged(sim: BiteshipSimulator,
                                               http: httpx.Client) -> None:
    sim.set_faults(drop=1.0)
    for i in range(12):
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/v1/orders", json=order_body(f"drop-{i}"))
    log = sim.fault_log()
    assert {e["fault"] for e in log} == {"drop"} and len(log) == 12
    recorded = [e["reference"] for e in log if e["recorded"]]
    assert 0 < len(recorded) < 12  # both kinds happened (seeded)
    assert sorted(o["reference"] for o in sim.orders()) == sorted(recorded)


def test_error_5xx_only_where_applied(sim: BiteshipSimulator, http: httpx.Client) -> None:
    sim.set_faults(error_5xx=1.0, apply_to=("rates",))
    statuses = set()
    for _ in range(8):
        reply = rates(http, [{"name": "x", "value": 1, "weight": 1, "quantity": 1}])
        statuses.add(reply.status_code)
        if reply.status_code == 500:
            assert reply.json()["success"] is False
        else:
            assert reply.headers["content-type"].startswith("text/html")
    assert statuses == {500, 502}
    create(http, "unaffected")
    assert sim.orders()[0]["reference"] == "unaffected"


def test_rate_limit_fault_answers_429_with_headers(sim: BiteshipSimulator,
                                                   http: httpx.Client) -> None:
    sim.set_faults(rate_limit=1.0)
    reply = http.post("/v1/orders", json=order_body())
    assert reply.status_code == 429
    assert reply.json() == {"success": False, "error": "Too many requests", "code": 42900000}
    for header in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                   "X-RateLimit-Reset"):
        assert header in reply.headers
    assert reply.headers["X-RateLimit-Remaining"] == "0"
    assert sim.orders() == []


def test_slow_seconds(sim: BiteshipSimulator, http: httpx.Client) -> None:
    sim.set_faults(slow_seconds=0.3, apply_to=("order_get",))
    order = create(http)
    started = time.monotonic()
    assert http.get(f"/v1/orders/{order['id']}").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_real_rate_limit_per_group(clock: FakeClock) -> None:
    with BiteshipSimulator(rate_limit=3, clock=clock) as sim, httpx.Client(
            base_url=sim.base_url, headers={"Authorization": DEFAULT_KEY}) as c:
        drafts = [c.post("/v1/draft_orders", json=order_body(f"r{i}")).json()["id"]
                  for i in range(3)]
        over = c.post("/v1/draft_orders", json=order_body("r3"))
        assert over.status_code == 429
        assert over.headers["Retry-After"] == "1" and over.headers["X-RateLimit-Limit"] == "3"
        # confirming is the "orders" group: its own window, so a two-step create pipelines
        confirms = [c.post(f"/v1/draft_orders/{d}/confirm") for d in drafts]
        assert [r.status_code for r in confirms] == [200, 200, 200]
        assert [r.headers["X-RateLimit-Remaining"] for r in confirms] == ["2", "1", "0"]
        assert c.get("/v1/orders/x").status_code == 429
        assert c.get("/v1/couriers").status_code == 200
        assert sim.throttled() == {"draft_orders": 1, "orders": 1}
        clock.tick(1.0)
        assert c.post("/v1/draft_orders", json=order_body("r3")).status_code == 200


def test_published_limits_fit_a_two_step_batch(clock: FakeClock) -> None:
    from sync.simulators.biteship import PUBLISHED_RATE_LIMITS

    with BiteshipSimulator(rate_limit=PUBLISHED_RATE_LIMITS, clock=clock) as sim, \
            httpx.Client(base_url=sim.base_url, headers={"Authorization": DEFAULT_KEY}) as c:
        for i in range(20):
            draft = c.post("/v1/draft_orders", json=order_body(f"b{i}"))
            assert draft.status_code == 200
            assert c.post(f"/v1/draft_orders/{draft.json()['id']}/confirm").status_code == 200
        assert c.post("/v1/draft_orders", json=order_body("b20")).status_code == 429
        assert len(sim.orders()) == 20

"""respx unit tests of the Biteship client: request shapes, every error shape, the draft flow."""

from __future__ import annotations

from collections.abc import Callable

import email.utils
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
import respx

from services.courier_port import RateRequest, ShipmentKeys, ShipmentOrder
from sync.couriers.biteship import BiteshipClient
from tests.sync.couriers.conftest import DEST_ADDRESS, DEST_PHONE, ORIGIN_PHONE, REFERENCE

BASE = "https://biteship.test"
KEY = "biteship_test.UNIT-KEY-123"
DRAFT = "ef18275c-02a9-4887-a56b-f374edb96ec4"
ORDER = "5dd599ebdefcd4158eb8470b"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as r:
        yield r


@pytest.fixture
def client() -> Iterator[BiteshipClient]:
    c = BiteshipClient(BASE, KEY, timeout=2.0)
    yield c
    c.close()


def order_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "success": True, "message": "Order successfully created", "object": "order",
        "id": ORDER, "draft_order_id": DRAFT,
        "courier": {"tracking_id": "trk-1", "waybill_id": "WYB-111", "company": "jne",
                    "type": "reg", "history": []},
        "reference_id": REFERENCE, "price": 48000, "currency": "IDR", "status": "confirmed"}
    body.update(over)
    return body


def draft_body(status: str = "ready", order_id: str | None = None) -> dict[str, Any]:
    return {"success": True, "object": "draft_order", "id": DRAFT, "order_id": order_id,
            "courier": {"company": "jne", "type": "reg", "waybill_id": None,
                        "tracking_id": None},
            "price": 11500, "status": status, "reference_id": REFERENCE}


def error(status: int, message: str, code: int = 40000000,
          headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"success": False, "error": message, "code": code},
                          headers=headers)


# --- rates ------------------------------------------------------------------------------


def test_rates_request_and_answer(router: respx.MockRouter, client: BiteshipClient,
                                  rate_request: RateRequest) -> None:
    route = router.post("/v1/rates/couriers").mock(return_value=httpx.Response(200, json={
        "success": True, "object": "courier_pricing", "code": 20001003, "pricing": [
            {"courier_name": "JNE", "courier_code": "jne", "courier_service_name": "Reguler",
             "courier_service_code": "reg", "duration": "2 - 3 Days",
             "shipment_duration_range": "2 - 3", "shipment_duration_unit": "days",
             "price": 18000, "available_for_cash_on_delivery": True},
            {"courier_name": "J&T", "courier_code": "jnt", "courier_service_name": "EZ",
             "courier_service_code": "ez", "shipment_duration_range": "1 - 2",
             "shipment_duration_unit": "days", "price": 15000},
            {"courier_name": "Grab", "courier_code": "grab", "courier_service_name": "Instant",
             "courier_service_code": "instant", "shipment_duration_range": "1 - 3",
             "shipment_duration_unit": "hours", "price": 40000},
            {"courier_code": "broken"},
        ]}))
    reply = client.rates(rate_request)
    request = route.calls.last.request
    assert request.headers["Authorization"] == KEY  # the bare key, no "Bearer"
    body = json.loads(request.content)
    assert body["couriers"] == "jne,jnt,pos"
    assert body["origin_area_id"] == "IDNP6IDNC148IDND836IDNZ12430"
    assert body["destination_postal_code"] == 40111  # an integer, as Biteship wants
    assert body["items"] == [{"name": "Kopi bubuk", "description": "Kopi bubuk",
                              "value": 150000, "length": 30, "width": 20, "height": 10,
                              "weight": 1200, "quantity": 1}]
    assert reply.outcome == "ok"
    assert [(r.courier_company, r.price) for r in reply.rates] == [
        ("jnt", 15000), ("jne", 18000), ("grab", 40000)]
    jne = reply.rates[1]
    assert (jne.courier, jne.service_code, jne.etd_min_days, jne.etd_max_days) == (
        "biteship", "reg", 2, 3)
    assert jne.cod_available and not reply.rates[0].cod_available
    assert (reply.rates[2].etd_min_days, reply.rates[2].etd_max_days) == (0, 0)


def test_rates_without_area_or_postal_code_is_refused_unsent(
        router: respx.MockRouter, client: BiteshipClient, rate_request: RateRequest) -> None:
    route = router.post("/v1/rates/couriers")
    req = replace(rate_request, destination=replace(rate_request.destination,
                                                    postal_code=None, area_id=None))
    reply = client.rates(req)
    assert (reply.outcome, reply.field) == ("rejected", "destination_postal_code")
    assert not route.called


def test_401_is_a_credentials_rejection(router: respx.MockRouter, client: BiteshipClient,
                                        rate_request: RateRequest) -> None:
    router.post("/v1/rates/couriers").mock(return_value=error(
        401, "Authentication failed. Please check your API key", 40101001))
    reply = client.rates(rate_request)
    assert (reply.outcome, reply.field) == ("rejected", "credentials")
    assert reply.message is not None and "40101001" in reply.message


def test_422_names_the_field_the_message_names(router: respx.MockRouter,
                                               client: BiteshipClient,
                                               order: ShipmentOrder) -> None:
    router.post("/v1/draft_orders").mock(return_value=error(
        422, "destination_contact_phone is not a valid phone number", 40002001))
    reply = client.create_draft(order)
    assert (reply.outcome, reply.field) == ("rejected", "destination_contact_phone")
    router.post("/v1/draft_orders").mock(return_value=error(422, "Something is wrong"))
    assert client.create_draft(order).field is None


def test_429_retry_after_holds_the_group(router: respx.MockRouter,
                                         rate_request: RateRequest) -> None:
    client = BiteshipClient(BASE, KEY, timeout=2.0, max_wait=0.5)
    route = router.post("/v1/rates/couriers").mock(return_value=error(
        429, "Too many requests", headers={"Retry-After": "7"}))
    reply = client.rates(rate_request)
    assert reply.outcome == "retry" and reply.retry_after == pytest.approx(7.0)
    # The whole "rates" group waits now: the next call is answered without being sent.
    again = client.rates(rate_request)
    assert again.outcome == "retry" and again.retry_after is not None
    assert 6.0 < again.retry_after <= 7.0
    assert route.call_count == 1
    # Another group is not held.
    router.get(f"/v1/orders/{ORDER}").mock(return_value=httpx.Response(200, json=order_body()))
    assert client.get_order(ORDER).outcome == "ok"
    client.close()


@pytest.mark.parametrize("make_headers, low, high", [
    # Built when the test runs, not when it is collected: a long run must not age them.
    (lambda: {"X-RateLimit-Reset": str(int(time.time()) + 30)}, 25.0, 31.0),  # epoch
    (lambda: {"RateLimit-Reset": "12"}, 11.9, 12.1),  # seconds from now
    (lambda: {"Retry-After": email.utils.formatdate(time.time() + 20, usegmt=True)},
     15.0, 21.0),
    (lambda: {}, 0.9, 1.1),  # no header: a short default hold
])
def test_429_rate_limit_headers(router: respx.MockRouter, client: BiteshipClient,
                                rate_request: RateRequest,
                                make_headers: Callable[[], dict[str, str]],
                                low: float, high: float) -> None:
    router.post("/v1/rates/couriers").mock(return_value=error(429, "slow down",
                                                              headers=make_headers()))
    reply = client.rates(rate_request)
    assert reply.outcome == "retry"
    assert reply.retry_after is not None and low <= reply.retry_after <= high


# --- transport and server failures --------------------------------------------------------


def test_5xx_on_confirm_is_unknown_but_on_a_read_is_retry(router: respx.MockRouter,
                                                          client: BiteshipClient) -> None:
    router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(return_value=error(
        502, "Bad gateway"))
    reply = client.confirm_draft(DRAFT)
    assert reply.outcome == "unknown" and reply.draft_order_id == DRAFT
    router.get(f"/v1/orders/{ORDER}").mock(return_value=httpx.Response(503))
    assert client.get_order(ORDER).outcome == "retry"


def test_timeout_on_confirm_is_unknown_and_keeps_the_draft_id(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    router.post("/v1/draft_orders").mock(return_value=httpx.Response(200, json=draft_body()))
    router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(
        side_effect=httpx.ReadTimeout("timed out"))
    reply = client.create(order, keys)
    assert reply.outcome == "unknown"
    assert reply.draft_order_id == DRAFT  # the caller stores it and resumes from it


def test_timeout_on_a_draft_is_retry_a_draft_makes_no_label(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder) -> None:
    router.post("/v1/draft_orders").mock(side_effect=httpx.ReadTimeout("timed out"))
    assert client.create_draft(order).outcome == "retry"


def test_timeout_on_a_read_is_retry(router: respx.MockRouter, client: BiteshipClient) -> None:
    router.get(f"/v1/orders/{ORDER}").mock(side_effect=httpx.ReadTimeout("timed out"))
    assert client.get_order(ORDER).outcome == "retry"


def test_dropped_reply_on_cancel_is_unknown(router: respx.MockRouter,
                                            client: BiteshipClient) -> None:
    router.post(f"/v1/orders/{ORDER}/cancel").mock(
        side_effect=httpx.RemoteProtocolError("Server disconnected"))
    keys = ShipmentKeys(reference=REFERENCE, courier_company="jne", provider_order_id=ORDER)
    assert client.cancel(keys, "buyer changed mind").outcome == "unknown"


def test_connect_error_is_retry_even_for_a_create(router: respx.MockRouter,
                                                  client: BiteshipClient,
                                                  order: ShipmentOrder) -> None:
    router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(
        side_effect=httpx.ConnectError("connection refused"))
    reply = client.confirm_draft(DRAFT)
    assert reply.outcome == "retry" and reply.draft_order_id == DRAFT


def test_success_status_without_a_json_body_on_confirm_is_unknown(
        router: respx.MockRouter, client: BiteshipClient) -> None:
    router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(
        return_value=httpx.Response(200, text="<html>ok</html>"))
    assert client.confirm_draft(DRAFT).outcome == "unknown"


# --- the two-step create --------------------------------------------------------------------


def test_create_makes_a_draft_then_confirms_it(router: respx.MockRouter,
                                               client: BiteshipClient, order: ShipmentOrder,
                                               keys: ShipmentKeys) -> None:
    draft = router.post("/v1/draft_orders").mock(
        return_value=httpx.Response(201, json=draft_body()))
    confirm = router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(
        return_value=httpx.Response(200, json=order_body()))
    reply = client.create(order, keys)
    body = json.loads(draft.calls.last.request.content)
    assert body["reference_id"] == REFERENCE
    assert (body["courier_company"], body["courier_type"]) == ("jne", "reg")
    assert body["destination_contact_phone"] == DEST_PHONE
    assert body["origin_area_id"] == "IDNP6IDNC148IDND836IDNZ12430"
    assert body["destination_postal_code"] == 40111
    assert body["order_note"] == "Fragile"
    assert "destination_cash_on_delivery" not in body
    assert confirm.call_count == 1
    assert reply.outcome == "ok"
    assert (reply.provider_order_id, reply.draft_order_id, reply.waybill_id,
            reply.tracking_id) == (ORDER, DRAFT, "WYB-111", "trk-1")
    assert (reply.status, reply.provider_status, reply.price) == ("created", "confirmed",
                                                                  48000)


def test_cod_amount_goes_to_the_draft(router: respx.MockRouter, client: BiteshipClient,
                                      order: ShipmentOrder) -> None:
    draft = router.post("/v1/draft_orders").mock(
        return_value=httpx.Response(201, json=draft_body()))
    client.create_draft(replace(order, cod_amount=175000))
    assert json.loads(draft.calls.last.request.content)["destination_cash_on_delivery"] == 175000


def test_create_with_a_confirmed_draft_never_confirms_again(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    new_draft = router.post("/v1/draft_orders")
    confirm = router.post(f"/v1/draft_orders/{DRAFT}/confirm")
    router.get(f"/v1/draft_orders/{DRAFT}").mock(return_value=httpx.Response(
        200, json=draft_body("confirmed", order_id=ORDER)))
    router.get(f"/v1/orders/{ORDER}").mock(return_value=httpx.Response(200, json=order_body()))
    reply = client.create(order, replace(keys, draft_order_id=DRAFT))
    assert reply.outcome == "ok"
    assert (reply.provider_order_id, reply.waybill_id, reply.draft_order_id) == (
        ORDER, "WYB-111", DRAFT)
    assert not confirm.called and not new_draft.called


def test_create_with_a_ready_draft_confirms_it_once(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    new_draft = router.post("/v1/draft_orders")
    router.get(f"/v1/draft_orders/{DRAFT}").mock(return_value=httpx.Response(
        200, json=draft_body("ready")))
    confirm = router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(
        return_value=httpx.Response(200, json=order_body()))
    reply = client.create(order, replace(keys, draft_order_id=DRAFT))
    assert reply.outcome == "ok" and reply.provider_order_id == ORDER
    assert confirm.call_count == 1 and not new_draft.called


def test_create_with_a_draft_biteship_lost_makes_a_new_one(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    router.get("/v1/draft_orders/gone").mock(return_value=error(404, "Draft order not found"))
    new_draft = router.post("/v1/draft_orders").mock(
        return_value=httpx.Response(201, json=draft_body()))
    router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(
        return_value=httpx.Response(200, json=order_body()))
    reply = client.create(order, replace(keys, draft_order_id="gone"))
    assert reply.outcome == "ok" and new_draft.call_count == 1


def test_create_when_the_draft_cannot_be_read_sends_nothing(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    router.get(f"/v1/draft_orders/{DRAFT}").mock(side_effect=httpx.ReadTimeout("slow"))
    confirm = router.post(f"/v1/draft_orders/{DRAFT}/confirm")
    new_draft = router.post("/v1/draft_orders")
    assert client.create(order, replace(keys, draft_order_id=DRAFT)).outcome == "retry"
    assert not confirm.called and not new_draft.called


def test_create_with_an_order_id_only_looks_it_up(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    new_draft = router.post("/v1/draft_orders")
    router.get(f"/v1/orders/{ORDER}").mock(return_value=httpx.Response(200, json=order_body()))
    reply = client.create(order, replace(keys, provider_order_id=ORDER))
    assert reply.outcome == "ok" and not new_draft.called


def test_a_refused_confirm_of_a_confirmed_draft_is_ok(router: respx.MockRouter,
                                                      client: BiteshipClient) -> None:
    router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(return_value=error(
        400, "Draft order already confirmed"))
    router.get(f"/v1/draft_orders/{DRAFT}").mock(return_value=httpx.Response(
        200, json=draft_body("confirmed", order_id=ORDER)))
    router.get(f"/v1/orders/{ORDER}").mock(return_value=httpx.Response(200, json=order_body()))
    reply = client.confirm_draft(DRAFT)
    assert reply.outcome == "ok" and reply.provider_order_id == ORDER


def test_a_refused_confirm_of_a_placed_draft_is_rejected(router: respx.MockRouter,
                                                         client: BiteshipClient) -> None:
    router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(return_value=error(
        400, "Courier is required before confirming"))
    router.get(f"/v1/draft_orders/{DRAFT}").mock(return_value=httpx.Response(
        200, json=draft_body("placed")))
    reply = client.confirm_draft(DRAFT)
    assert reply.outcome == "rejected" and reply.draft_order_id == DRAFT
    assert reply.message is not None and "Courier is required" in reply.message


# --- find, track, cancel ------------------------------------------------------------------


def test_find_by_order_id_and_not_found(router: respx.MockRouter, client: BiteshipClient,
                                        keys: ShipmentKeys) -> None:
    router.get(f"/v1/orders/{ORDER}").mock(return_value=httpx.Response(200, json=order_body(
        status="pickingUp")))
    reply = client.find(replace(keys, provider_order_id=ORDER))
    assert (reply.outcome, reply.status, reply.price) == ("ok", "picking_up", 48000)
    router.get("/v1/orders/nope").mock(return_value=error(404, "Order not found", 40400001))
    assert client.find(replace(keys, provider_order_id="nope")).outcome == "not_found"


def test_find_through_an_unconfirmed_draft_is_not_found_with_the_draft(
        router: respx.MockRouter, client: BiteshipClient, keys: ShipmentKeys) -> None:
    router.get(f"/v1/draft_orders/{DRAFT}").mock(return_value=httpx.Response(
        200, json=draft_body("placed")))
    reply = client.find(replace(keys, draft_order_id=DRAFT))
    assert (reply.outcome, reply.draft_order_id, reply.status) == ("not_found", DRAFT,
                                                                   "queued")


def test_find_with_nothing_stored_is_not_found(client: BiteshipClient,
                                               keys: ShipmentKeys) -> None:
    assert client.find(keys).outcome == "not_found"


def test_track_maps_both_spellings_and_stamps_utc(router: respx.MockRouter,
                                                  client: BiteshipClient,
                                                  keys: ShipmentKeys) -> None:
    router.get("/v1/trackings/trk-1").mock(return_value=httpx.Response(200, json={
        "success": True, "object": "tracking", "id": "trk-1", "waybill_id": "WYB-111",
        "courier": {"company": "jne"}, "order_id": ORDER, "status": "droppingOff",
        "history": [
            {"note": "confirmed", "status": "confirmed",
             "updated_at": "2021-03-16T18:17:00+07:00"},
            {"note": "on the way", "status": "pickingUp",
             "updated_at": "2021-03-16T23:12:00+07:00"},
            {"note": "picked", "status": "picked", "updated_at": "2021-03-16T23:43:00Z"},
            {"note": "on hold", "status": "on_hold", "updated_at": "2021-03-17T01:00:00Z"},
            {"note": "out", "status": "dropping_off", "updated_at": "2021-03-17T02:29:00Z"},
            {"note": "?", "status": "teleported", "updated_at": "2021-03-17T03:00:00Z"},
        ]}))
    reply = client.track(replace(keys, tracking_id="trk-1"))
    assert reply.outcome == "ok"
    assert (reply.status, reply.provider_status) == ("in_transit", "droppingOff")
    assert [p.status for p in reply.history] == ["created", "picking_up", "picked_up",
                                                 "on_hold", "in_transit"]
    assert reply.history[0].at == "2021-03-16T11:17:00.000000+00:00"
    assert reply.history[1].provider_status == "pickingUp"
    assert (reply.provider_order_id, reply.waybill_id) == (ORDER, "WYB-111")


def test_track_by_waybill_uses_public_tracking(router: respx.MockRouter,
                                               client: BiteshipClient,
                                               keys: ShipmentKeys) -> None:
    route = router.get("/v1/trackings/WYB-111/couriers/jne").mock(return_value=httpx.Response(
        200, json={"success": True, "waybill_id": "WYB-111", "status": "delivered",
                   "history": []}))
    reply = client.track(replace(keys, waybill_id="WYB-111"))
    assert route.called and reply.status == "delivered"


def test_cancel_cancelled_is_ok_rejected_and_4xx_are_rejected(
        router: respx.MockRouter, client: BiteshipClient, keys: ShipmentKeys) -> None:
    keys = replace(keys, provider_order_id=ORDER)
    route = router.post(f"/v1/orders/{ORDER}/cancel").mock(return_value=httpx.Response(
        200, json={"success": True, "id": ORDER, "status": "cancelled"}))
    reply = client.cancel(keys, "buyer changed mind")
    assert json.loads(route.calls.last.request.content) == {
        "cancellation_reason_code": "others", "cancellation_reason": "buyer changed mind"}
    assert (reply.outcome, reply.status) == ("ok", "cancelled")
    route.mock(return_value=httpx.Response(200, json={"success": True, "status": "rejected",
                                                      "message": "Courier already picked"}))
    rejected = client.cancel(keys, "late")
    assert rejected.outcome == "rejected" and rejected.message is not None
    assert "already picked" in rejected.message
    route.mock(return_value=error(400, "Order can not be cancelled", 40002019))
    refused = client.cancel(keys, "late")
    assert refused.outcome == "rejected" and "can not be cancelled" in (refused.message or "")


def test_cancel_without_an_order_is_refused_unsent(client: BiteshipClient,
                                                   keys: ShipmentKeys) -> None:
    assert client.cancel(keys, "x").outcome == "rejected"


# --- secrets and personal data -------------------------------------------------------------


def test_no_key_or_personal_data_in_logs_messages_or_repr(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    router.post("/v1/draft_orders").mock(return_value=error(
        400, f"bad key {KEY} for {DEST_PHONE}"))
    reply = client.create(order, keys)
    assert reply.outcome == "rejected"
    assert KEY not in (reply.message or "") and DEST_PHONE not in (reply.message or "")
    assert "[phone]" in (reply.message or "")
    assert caplog.records  # something was logged...
    for secret in (KEY, DEST_PHONE, ORIGIN_PHONE, DEST_ADDRESS):  # ...but none of this
        assert secret not in caplog.text
    assert KEY not in repr(client)
    assert DEST_PHONE not in repr(order)


def test_a_reused_reference_resumes_from_the_named_draft(
        router: respx.MockRouter, client: BiteshipClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    router.post("/v1/draft_orders").mock(return_value=httpx.Response(400, json={
        "success": False, "error": "reference_id already exists", "code": 40002099,
        "details": {"draft_order_id": DRAFT, "order_id": None}}))
    router.get(f"/v1/draft_orders/{DRAFT}").mock(return_value=httpx.Response(
        200, json=draft_body("ready")))
    confirm = router.post(f"/v1/draft_orders/{DRAFT}/confirm").mock(
        return_value=httpx.Response(200, json=order_body()))
    reply = client.create(order, keys)
    assert reply.outcome == "ok" and reply.provider_order_id == ORDER
    assert confirm.call_count == 1


def test_a_reused_reference_naming_nothing_is_exists(router: respx.MockRouter,
                                                     client: BiteshipClient,
                                                     order: ShipmentOrder,
                                                     keys: ShipmentKeys) -> None:
    router.post("/v1/draft_orders").mock(return_value=error(
        409, "reference_id has already been used"))
    confirm = router.post(url__regex=r".*/confirm$")
    assert client.create(order, keys).outcome == "exists"
    assert not confirm.called

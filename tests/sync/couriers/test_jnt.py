"""respx unit tests of the J&T client: the data_sign scheme, string booleans, the JSON-string
tariff content, duplicate orderid, tracking auth and statuses, cancel after pickup."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from services.courier_port import RateRequest, ShipmentKeys, ShipmentOrder
from sync.couriers.jnt import JntClient, jnt_sign, jnt_status
from tests.sync.couriers.conftest import REFERENCE

ORDER_URL = "https://jnt.test/jts-idn-ecommerce-api/api/order/create"
CANCEL_URL = "https://jnt.test/jts-idn-ecommerce-api/api/order/cancel"
TARIFF_URL = "https://jnt-tariff.test/jandt_track/inquiry.action"
TRACK_URL = "https://jnt-track.test/jandt_track/track/trackAction!tracking.action"
API_KEY = "jnt-UNIT-API-KEY"
SIGN_KEY = "jnt-UNIT-SIGN-KEY"
TRACK_PASSWORD = "jnt-UNIT-TRACK-PW"
NOW = datetime(2026, 12, 7, 3, 4, 5, tzinfo=UTC)  # 10:04:05 WIB


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as r:
        yield r


@pytest.fixture
def client() -> Iterator[JntClient]:
    c = JntClient(ORDER_URL, TARIFF_URL, TRACK_URL, CANCEL_URL, "TESTSHOP", API_KEY, SIGN_KEY,
                  "TESTSHOP-EC", TRACK_PASSWORD, timeout=2.0, now=lambda: NOW)
    yield c
    c.close()


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode(),
                                         keep_blank_values=True).items()}


def independent_sign(text: str, key: str) -> str:
    hexdigest = hashlib.md5((text + key).encode("utf-8")).hexdigest()
    return base64.b64encode(hexdigest.encode("ascii")).decode("ascii")


def envelope(*details: dict[str, Any], success: object = True,
             desc: str = "Request berhasil") -> httpx.Response:
    return httpx.Response(200, json={"success": success, "desc": desc,
                                     "detail": list(details)})


# --- the signature -----------------------------------------------------------------------------


def test_sign_worked_example() -> None:
    text = '{"detail":[{"orderid":"A1"}]}'
    # md5('{"detail":[{"orderid":"A1"}]}ACN') = 0e7b5fb7b79abcbfcdc09b356a8a8e77, and the
    # signature is base64 of those 32 hex characters, not of the 16 raw bytes.
    assert hashlib.md5((text + "ACN").encode()).hexdigest() == (
        "0e7b5fb7b79abcbfcdc09b356a8a8e77")
    assert jnt_sign(text, "ACN") == "MGU3YjVmYjdiNzlhYmNiZmNkYzA5YjM1NmE4YThlNzc="
    assert jnt_sign(text, "ACN") == independent_sign(text, "ACN")
    raw = base64.b64encode(hashlib.md5((text + "ACN").encode()).digest()).decode()
    assert jnt_sign(text, "ACN") != raw


def test_create_signs_the_exact_bytes_sent(router: respx.MockRouter, client: JntClient,
                                           order: ShipmentOrder, keys: ShipmentKeys) -> None:
    route = router.post(ORDER_URL).mock(return_value=envelope(
        {"awb_no": "JD0012345678", "orderid": REFERENCE, "desCode": "BDO", "etd": "2-3",
         "status": "Sukses"}))
    reply = client.create(order, keys)
    sent = form(route.calls.last.request)
    assert set(sent) == {"data_param", "data_sign"}
    assert sent["data_sign"] == independent_sign(sent["data_param"], SIGN_KEY)
    entry = json.loads(sent["data_param"])["detail"][0]
    assert (entry["username"], entry["api_key"], entry["orderid"]) == (
        "TESTSHOP", API_KEY, REFERENCE)
    assert (entry["origin_code"], entry["destination_code"]) == ("CGK10000", "BDO10000")
    assert (entry["weight"], entry["qty"], entry["expresstype"]) == (2, 2, "REG")
    assert entry["orderdate"] == "2026-12-07 10:04:05"  # WIB
    assert entry["sendendtime"] == "2026-12-08 10:04:05"
    assert (reply.outcome, reply.waybill_id, reply.provider_order_id, reply.status) == (
        "ok", "JD0012345678", REFERENCE, "created")


def test_a_non_ascii_name_is_signed_as_sent(router: respx.MockRouter, client: JntClient,
                                            order: ShipmentOrder, keys: ShipmentKeys) -> None:
    route = router.post(ORDER_URL).mock(return_value=envelope(
        {"awb_no": "JD1", "orderid": REFERENCE, "status": "Sukses"}))
    client.create(replace(order, destination=replace(order.destination, name="Siti Ñur")),
                  keys)
    sent = form(route.calls.last.request)
    assert sent["data_sign"] == independent_sign(sent["data_param"], SIGN_KEY)
    assert json.loads(sent["data_param"])["detail"][0]["receiver_name"] == "Siti Ñur"


@pytest.mark.parametrize("success", [True, "true"])
def test_success_as_bool_or_string(router: respx.MockRouter, client: JntClient,
                                   order: ShipmentOrder, keys: ShipmentKeys,
                                   success: object) -> None:
    router.post(ORDER_URL).mock(return_value=envelope(
        {"awb_no": "JD1", "orderid": REFERENCE, "status": "Sukses"}, success=success))
    assert client.create(order, keys).outcome == "ok"


def test_duplicate_orderid_means_exists(router: respx.MockRouter, client: JntClient,
                                        order: ShipmentOrder, keys: ShipmentKeys) -> None:
    router.post(ORDER_URL).mock(return_value=envelope(
        {"orderid": REFERENCE, "status": "Error", "reason": "Orderid tidak boleh sama"},
        success="true"))
    reply = client.create(order, keys)
    assert reply.outcome == "exists" and reply.provider_order_id == REFERENCE


@pytest.mark.parametrize("success", [False, "false"])
def test_failed_envelope_is_rejected(router: respx.MockRouter, client: JntClient,
                                     order: ShipmentOrder, keys: ShipmentKeys,
                                     success: object) -> None:
    router.post(ORDER_URL).mock(return_value=envelope(success=success,
                                                      desc="Data tidak lengkap"))
    reply = client.create(order, keys)
    assert reply.outcome == "rejected" and "Data tidak lengkap" in (reply.message or "")


def test_wrong_signature_names_credentials(router: respx.MockRouter, client: JntClient,
                                           order: ShipmentOrder, keys: ShipmentKeys) -> None:
    router.post(ORDER_URL).mock(return_value=envelope(success="false",
                                                      desc="data_sign tidak valid"))
    assert client.create(order, keys).field == "credentials"


def test_detail_error_is_rejected(router: respx.MockRouter, client: JntClient,
                                  order: ShipmentOrder, keys: ShipmentKeys) -> None:
    router.post(ORDER_URL).mock(return_value=envelope(
        {"orderid": REFERENCE, "status": "Error", "reason": "destination_code salah"}))
    reply = client.create(order, keys)
    assert reply.outcome == "rejected" and "destination_code" in (reply.message or "")


def test_create_timeout_and_5xx_unknown_connect_retry(router: respx.MockRouter,
                                                      client: JntClient, order: ShipmentOrder,
                                                      keys: ShipmentKeys) -> None:
    route = router.post(ORDER_URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    assert client.create(order, keys).outcome == "unknown"
    route.mock(return_value=httpx.Response(503))
    assert client.create(order, keys).outcome == "unknown"
    route.mock(side_effect=httpx.ConnectError("refused"))
    assert client.create(order, keys).outcome == "retry"


def test_find_without_an_awb_is_unknown(client: JntClient, keys: ShipmentKeys) -> None:
    assert client.find(keys).outcome == "unknown"


# --- tariff ---------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", [True, "true"])
def test_tariff_content_is_a_json_string(router: respx.MockRouter, client: JntClient,
                                         rate_request: RateRequest, flag: object) -> None:
    route = router.post(TARIFF_URL).mock(return_value=httpx.Response(200, json={
        "is_success": flag,
        "content": json.dumps([{"name": "EZ", "cost": "18000"},
                               {"name": "JSD", "cost": 25000}])}))
    reply = client.rates(rate_request)
    sent = form(route.calls.last.request)
    assert sent["sign"] == independent_sign(sent["data"], SIGN_KEY)
    assert json.loads(sent["data"]) == {"weight": "2", "sendSiteCode": "CGK10000",
                                        "destAreaCode": "BDO10000", "cusName": "TESTSHOP",
                                        "productType": "EZ"}
    assert reply.outcome == "ok"
    assert [(r.courier, r.service_code, r.price) for r in reply.rates] == [
        ("jnt", "EZ", 18000), ("jnt", "JSD", 25000)]


@pytest.mark.parametrize("flag", [False, "false"])
def test_tariff_failure(router: respx.MockRouter, client: JntClient,
                        rate_request: RateRequest, flag: object) -> None:
    router.post(TARIFF_URL).mock(return_value=httpx.Response(200, json={
        "is_success": flag, "content": "Area tujuan tidak terdaftar"}))
    reply = client.rates(rate_request)
    assert reply.outcome == "rejected"
    assert "Area tujuan tidak terdaftar" in (reply.message or "")


# --- tracking ---------------------------------------------------------------------------------


def test_track_basic_auth_json_and_history(router: respx.MockRouter, client: JntClient,
                                           keys: ShipmentKeys) -> None:
    route = router.post(TRACK_URL).mock(return_value=httpx.Response(200, json={
        "awb": "JD1", "orderid": REFERENCE, "detail": {"services_type": "EZ"},
        "history": [
            {"date_time": "2020-05-12 13:23:45", "city_name": "JAKARTA", "status": "Manifes",
             "status_code": 100},
            {"date_time": "2020-05-12 18:00:00", "city_name": "JAKARTA",
             "status": "Picked Up", "status_code": 101},
            {"date_time": "2020-05-13 02:00:00", "city_name": "JAKARTA",
             "status": "Departure", "status_code": 102},
            {"date_time": "2020-05-13 09:00:00", "city_name": "BANDUNG",
             "status": "On Delivery", "status_code": 104},
            {"date_time": "2020-05-13 12:00:00", "city_name": "BANDUNG",
             "status": "Delivered", "status_code": 200},
        ]}))
    reply = client.track(replace(keys, waybill_id="JD1"))
    request = route.calls.last.request
    expected = base64.b64encode(b"TESTSHOP-EC:" + TRACK_PASSWORD.encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert json.loads(request.content) == {"awb": "JD1", "eccompanyid": "TESTSHOP-EC"}
    assert (reply.outcome, reply.status, reply.provider_status) == ("ok", "delivered",
                                                                    "Delivered")
    assert [p.status for p in reply.history] == ["created", "picked_up", "in_transit",
                                                 "in_transit", "delivered"]
    assert reply.history[0].at == "2020-05-12T06:23:45.000000+00:00"


def test_track_error_shapes(router: respx.MockRouter, client: JntClient,
                            keys: ShipmentKeys) -> None:
    route = router.post(TRACK_URL).mock(return_value=httpx.Response(200, json={
        "error_id": "404", "error_message": "Data not found"}))
    assert client.track(replace(keys, waybill_id="JDX")).outcome == "not_found"
    route.mock(return_value=httpx.Response(200, json={"error_id": "500",
                                                      "error_message": "Invalid eccompanyid"}))
    assert client.track(replace(keys, waybill_id="JDX")).outcome == "rejected"
    route.mock(return_value=httpx.Response(401))
    assert client.track(replace(keys, waybill_id="JDX")).field == "credentials"


@pytest.mark.parametrize("word, ours", [
    ("Manifes", "created"), ("Pickup", "picked_up"), ("Picked Up", "picked_up"),
    ("Departure", "in_transit"), ("Arrival", "in_transit"), ("On Delivery", "in_transit"),
    ("Delivered", "delivered"), ("Return", "returning"), ("Return Delivered", "returned"),
    ("Problem", "on_hold"), ("Brand new", "in_transit"),
])
def test_jnt_status_map(word: str, ours: str) -> None:
    assert jnt_status(word) == ours


# --- cancel -------------------------------------------------------------------------------------


def test_cancel_ok_and_refused_after_pickup(router: respx.MockRouter, client: JntClient,
                                            keys: ShipmentKeys) -> None:
    route = router.post(CANCEL_URL).mock(return_value=envelope(
        {"orderid": REFERENCE, "status": "Sukses"}))
    reason = "Pembeli membatalkan pesanan karena salah alamat"
    reply = client.cancel(keys, reason)
    sent = form(route.calls.last.request)
    assert sent["data_sign"] == independent_sign(sent["data_param"], SIGN_KEY)
    entry = json.loads(sent["data_param"])["detail"][0]
    assert entry == {"username": "TESTSHOP", "api_key": API_KEY, "orderid": REFERENCE,
                     "remark": reason[:30]}
    assert (reply.outcome, reply.status) == ("ok", "cancelled")
    route.mock(return_value=envelope({"orderid": REFERENCE, "status": "Error",
                                      "reason": "Order sudah di pickup, status GOT"}))
    refused = client.cancel(keys, "late")
    assert (refused.outcome, refused.field) == ("rejected", "shipment")
    assert "picked up" in (refused.message or "")


def test_no_secret_in_messages_or_repr(router: respx.MockRouter, client: JntClient,
                                       order: ShipmentOrder, keys: ShipmentKeys) -> None:
    router.post(ORDER_URL).mock(return_value=envelope(
        success=False, desc=f"bad key {API_KEY} / {SIGN_KEY}"))
    message = client.create(order, keys).message or ""
    assert API_KEY not in message and SIGN_KEY not in message
    assert API_KEY not in repr(client) and TRACK_PASSWORD not in repr(client)


def test_duplicate_in_a_failed_envelope_is_exists_too(router: respx.MockRouter,
                                                      client: JntClient, order: ShipmentOrder,
                                                      keys: ShipmentKeys) -> None:
    router.post(ORDER_URL).mock(return_value=envelope(
        success="false", desc="Orderid tidak boleh sama"))
    reply = client.create(order, keys)
    assert (reply.outcome, reply.provider_order_id) == ("exists", REFERENCE)

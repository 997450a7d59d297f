"""respx unit tests of the JNE client: form bodies, errors in HTTP 200 bodies, CNOTE,
OLSHOP_ORDERID, address lines, tracking."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from local_db.ids import uuid7
from services.courier_port import RateRequest, ShipmentKeys, ShipmentOrder
from sync.couriers.jne import JneClient, jne_order_id, jne_status, split_address
from tests.sync.couriers.conftest import DEST_PHONE, REFERENCE

BASE = "http://jne.test:10102"
KEY = "jne-UNIT-KEY-456"
TARIFF = "/tracing/api/pricedev"
CNOTE = "/tracing/api/generatecnote"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as r:
        yield r


@pytest.fixture
def client() -> Iterator[JneClient]:
    c = JneClient(BASE, "TESTUSER", KEY, branch="CGK000", customer_id="80514305", timeout=2.0)
    yield c
    c.close()


def form(request: httpx.Request) -> dict[str, str]:
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    return {k: v[0] for k, v in parse_qs(request.content.decode(),
                                         keep_blank_values=True).items()}


# --- OLSHOP_ORDERID --------------------------------------------------------------------------

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_order_id_is_the_first_100_bits_in_base32() -> None:
    top = uuid.UUID(REFERENCE).int >> 28  # the first 100 of 128 bits
    expected = "".join(_B32[(top >> (5 * i)) & 31] for i in reversed(range(20)))
    assert jne_order_id(REFERENCE) == expected
    assert len(expected) == 20 and expected.isalnum()
    assert jne_order_id(REFERENCE) == jne_order_id(REFERENCE.upper())  # stable


def test_order_ids_of_uuid7s_made_together_differ() -> None:
    ids = {jne_order_id(uuid7()) for _ in range(2000)}  # most within the same millisecond
    assert len(ids) == 2000


def test_order_id_keeps_the_time_prefix() -> None:
    # Two UUIDs sharing their last 20 hex digits but made at different times must differ
    # (the last-20-hex scheme would give them the same id).
    a = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    b = "0193a1b2-c3d5-7e5f-8a9b-0c1d2e3f4a5b"
    assert jne_order_id(a) != jne_order_id(b)


# --- address lines -------------------------------------------------------------------------


def test_split_address_at_word_boundaries() -> None:
    assert split_address("Jl. Melati 1") == ("Jl. Melati 1", "", "")
    exact = "A" * 30
    assert split_address(exact) == (exact, "", "")
    lines = split_address("Jalan Raya Bogor Kilometer 27 Nomor 15 RT 003 RW 004 Kelurahan "
                          "Cijantung Pasar Rebo")
    assert lines is not None
    assert all(len(line) <= 30 for line in lines)
    assert " ".join(x for x in lines if x) == ("Jalan Raya Bogor Kilometer 27 Nomor 15 RT 003 "
                                               "RW 004 Kelurahan Cijantung Pasar Rebo")
    assert lines[0] == "Jalan Raya Bogor Kilometer 27"  # no word cut in two
    assert split_address("  many   spaces\n here ") == ("many spaces here", "", "")


def test_split_address_cuts_only_a_word_longer_than_a_line() -> None:
    assert split_address("X" * 45) == ("X" * 30, "X" * 15, "")


def test_split_address_refuses_what_does_not_fit() -> None:
    assert split_address("word " * 40) is None
    assert split_address("   ") is None
    assert split_address("B" * 90) == ("B" * 30,) * 3
    assert split_address("B" * 91) is None


def test_create_refuses_a_long_recipient_address_unsent(router: respx.MockRouter,
                                                        client: JneClient,
                                                        order: ShipmentOrder,
                                                        keys: ShipmentKeys) -> None:
    route = router.post(CNOTE)
    long = replace(order, destination=replace(order.destination, address="Jalan " * 20))
    reply = client.create(long, keys)
    assert (reply.outcome, reply.field) == ("rejected", "recipient_address")
    shipper = replace(order, origin=replace(order.origin, address="Gang " * 25))
    assert client.create(shipper, keys).field == "origin_address"
    assert not route.called


# --- tariff --------------------------------------------------------------------------------


def test_tariff_form_and_string_prices(router: respx.MockRouter, client: JneClient,
                                       rate_request: RateRequest) -> None:
    route = router.post(TARIFF).mock(return_value=httpx.Response(200, json={"price": [
        {"origin_name": "JAKARTA", "destination_name": "BANDUNG", "service_display": "REG",
         "service_code": "REG19", "goods_type": "Paket", "currency": "IDR", "price": "15000",
         "etd_from": "2", "etd_thru": "3", "times": "D"},
        {"service_display": "YES", "service_code": "YES19", "price": "30000",
         "etd_from": "1", "etd_thru": "1", "times": "D"},
        {"service_display": "OKE", "service_code": "OKE19", "price": "11000",
         "etd_from": "3", "etd_thru": "6", "times": "D"},
    ]}))
    reply = client.rates(rate_request)
    sent = form(route.calls.last.request)
    assert sent == {"username": "TESTUSER", "api_key": KEY, "from": "CGK10000",
                    "thru": "BDO10000", "weight": "2"}  # 1.2 kg chargeable -> 2 kg
    assert reply.outcome == "ok"
    assert [(r.service_code, r.price) for r in reply.rates] == [
        ("OKE19", 11000), ("REG19", 15000), ("YES19", 30000)]
    reg = reply.rates[1]
    assert (reg.courier, reg.courier_company, reg.service_name, reg.etd_min_days,
            reg.etd_max_days) == ("jne", "jne", "REG", 2, 3)


@pytest.mark.parametrize("flag", [False, "false", "Error", "FALSE"])
def test_errors_in_http_200_bodies_are_rejected(router: respx.MockRouter, client: JneClient,
                                                rate_request: RateRequest,
                                                flag: object) -> None:
    router.post(TARIFF).mock(return_value=httpx.Response(200, json={
        "error": "Price Not Found.", "status": flag}))
    reply = client.rates(rate_request)
    assert reply.outcome == "rejected"
    assert reply.message is not None and "Price Not Found." in reply.message


def test_credential_error_in_a_200_body_names_credentials(router: respx.MockRouter,
                                                          client: JneClient,
                                                          rate_request: RateRequest) -> None:
    router.post(TARIFF).mock(return_value=httpx.Response(200, json={
        "error": "Invalid username or api_key", "status": "false"}))
    assert client.rates(rate_request).field == "credentials"


def test_tariff_needs_area_codes(client: JneClient, rate_request: RateRequest) -> None:
    req = replace(rate_request, origin=replace(rate_request.origin, code=None))
    assert client.rates(req).field == "origin_code"


# --- create --------------------------------------------------------------------------------


def test_generate_cnote_form_and_success(router: respx.MockRouter, client: JneClient,
                                         order: ShipmentOrder, keys: ShipmentKeys) -> None:
    route = router.post(CNOTE).mock(return_value=httpx.Response(200, json={
        "detail": [{"status": "sukses", "cnote_no": "0109401900003724"}]}))
    long_address = "Jalan Raya Bogor Kilometer 27 Nomor 15 RT 003 RW 004"
    reply = client.create(replace(order, destination=replace(order.destination,
                                                             address=long_address),
                                  cod_amount=165000), keys)
    sent = form(route.calls.last.request)
    assert (sent["username"], sent["api_key"]) == ("TESTUSER", KEY)
    assert sent["OLSHOP_ORDERID"] == jne_order_id(REFERENCE)
    assert len(sent["OLSHOP_ORDERID"]) <= 20
    assert (sent["OLSHOP_BRANCH"], sent["OLSHOP_CUST"]) == ("CGK000", "80514305")
    assert (sent["OLSHOP_RECEIVER_ADDR1"], sent["OLSHOP_RECEIVER_ADDR2"],
            sent["OLSHOP_RECEIVER_ADDR3"]) == ("Jalan Raya Bogor Kilometer 27",
                                               "Nomor 15 RT 003 RW 004", "")
    assert sent["OLSHOP_SHIPPER_ADDR1"] == "Jl. Melati 1"
    assert sent["OLSHOP_RECEIVER_PHONE"] == DEST_PHONE
    assert (sent["OLSHOP_ORIG"], sent["OLSHOP_DEST"], sent["OLSHOP_SERVICE"]) == (
        "CGK10000", "BDO10000", "REG")
    assert (sent["OLSHOP_WEIGHT"], sent["OLSHOP_QTY"], sent["OLSHOP_GOODSVALUE"]) == (
        "2", "2", "150000")
    assert (sent["OLSHOP_COD_FLAG"], sent["OLSHOP_COD_AMOUNT"]) == ("YES", "165000")
    assert all(len(v) <= 30 for k, v in sent.items() if "_ADDR" in k)
    assert (reply.outcome, reply.waybill_id, reply.status) == ("ok", "0109401900003724",
                                                               "created")
    assert reply.provider_order_id == jne_order_id(REFERENCE)


@pytest.mark.parametrize("flag", [False, "false", "Error"])
def test_create_error_body_is_rejected(router: respx.MockRouter, client: JneClient,
                                       order: ShipmentOrder, keys: ShipmentKeys,
                                       flag: object) -> None:
    router.post(CNOTE).mock(return_value=httpx.Response(200, json={
        "error": "OLSHOP_RECEIVER_ADDR1 is required", "status": flag}))
    reply = client.create(order, keys)
    assert (reply.outcome, reply.field) == ("rejected", "recipient_address")


def test_create_detail_error_is_rejected_and_a_duplicate_exists(
        router: respx.MockRouter, client: JneClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    route = router.post(CNOTE).mock(return_value=httpx.Response(200, json={
        "detail": [{"status": "Error", "reason": "Service not available"}]}))
    assert client.create(order, keys).outcome == "rejected"
    route.mock(return_value=httpx.Response(200, json={
        "detail": [{"status": "Error", "reason": "Order ID already exists"}]}))
    assert client.create(order, keys).outcome == "exists"


def test_create_timeout_and_5xx_are_unknown_connect_error_is_retry(
        router: respx.MockRouter, client: JneClient, order: ShipmentOrder,
        keys: ShipmentKeys) -> None:
    route = router.post(CNOTE).mock(side_effect=httpx.ReadTimeout("timed out"))
    assert client.create(order, keys).outcome == "unknown"
    route.mock(return_value=httpx.Response(500, text="Internal Server Error"))
    assert client.create(order, keys).outcome == "unknown"
    route.mock(side_effect=httpx.ConnectError("refused"))
    assert client.create(order, keys).outcome == "retry"


def test_create_with_a_known_cnote_tracks_instead(router: respx.MockRouter,
                                                  client: JneClient, order: ShipmentOrder,
                                                  keys: ShipmentKeys) -> None:
    cnote = router.post(CNOTE)
    router.post("/tracing/api/list/v1/cnote/0109").mock(return_value=httpx.Response(
        200, json={"cnote": {"cnote_no": "0109", "pod_status": "ON PROCESS"}, "history": []}))
    reply = client.create(order, replace(keys, waybill_id="0109"))
    assert reply.outcome == "ok" and not cnote.called


# --- find, track, cancel -------------------------------------------------------------------


def test_find_without_a_cnote_is_unknown(client: JneClient, keys: ShipmentKeys) -> None:
    reply = client.find(keys)
    assert reply.outcome == "unknown" and "look-up" in (reply.message or "")


def test_track_history_statuses_and_wib_stamps(router: respx.MockRouter, client: JneClient,
                                               keys: ShipmentKeys) -> None:
    route = router.post("/tracing/api/list/v1/cnote/0109401900003724").mock(
        return_value=httpx.Response(200, json={
            "cnote": {"cnote_no": "0109401900003724", "pod_status": "DELIVERED",
                      "last_status": "DELIVERED TO [BUDI | 03-09-2019 10:00 | BANDUNG]"},
            "detail": [{"cnote_shipper_name": "X"}],
            "history": [
                {"date": "02-09-2019 23:25", "desc": "SHIPMENT RECEIVED BY JNE COUNTER"},
                {"date": "03-09-2019 01:10", "desc": "DEPARTED FROM TRANSIT [JAKARTA]"},
                {"date": "03-09-2019 08:00", "desc": "WITH DELIVERY COURIER [BANDUNG]"},
                {"date": "03-09-2019 10:00", "desc": "DELIVERED TO [BUDI]"},
            ]}))
    reply = client.find(replace(keys, waybill_id="0109401900003724"))
    assert form(route.calls.last.request) == {"username": "TESTUSER", "api_key": KEY}
    assert (reply.outcome, reply.status, reply.provider_status) == ("ok", "delivered",
                                                                    "DELIVERED")
    assert [p.status for p in reply.history] == ["picked_up", "in_transit", "in_transit",
                                                 "delivered"]
    assert reply.history[0].at == "2019-09-02T16:25:00.000000+00:00"  # WIB 23:25


def test_cnote_not_found_is_not_found(router: respx.MockRouter, client: JneClient,
                                      keys: ShipmentKeys) -> None:
    router.post("/tracing/api/list/v1/cnote/999").mock(return_value=httpx.Response(
        200, json={"error": "Cnote No. Not Found.", "status": "false"}))
    assert client.track(replace(keys, waybill_id="999")).outcome == "not_found"


@pytest.mark.parametrize("text, ours", [
    ("SHIPMENT RECEIVED BY JNE COUNTER", "picked_up"),
    ("MANIFESTED", "in_transit"),
    ("UNDELIVERED, CONSIGNEE NOT AT HOME", "on_hold"),
    ("DELIVERED TO [BUDI]", "delivered"),
    ("RETURN TO SHIPPER", "returning"),
    ("RETURNED TO SHIPPER [ANI]", "returned"),
    ("SOMETHING NEW", "in_transit"),
])
def test_jne_status_words(text: str, ours: str) -> None:
    assert jne_status(text) == ours


def test_cancel_is_refused_with_a_reason(client: JneClient, keys: ShipmentKeys) -> None:
    reply = client.cancel(replace(keys, waybill_id="1"), "x")
    assert reply.outcome == "rejected" and "cancel" in (reply.message or "")


@pytest.mark.parametrize("flag", [False, "false", "Error", "ERROR"])
def test_status_flag_alone_marks_an_error(router: respx.MockRouter, client: JneClient,
                                          rate_request: RateRequest, flag: object) -> None:
    router.post(TARIFF).mock(return_value=httpx.Response(200, json={
        "status": flag, "reason": "Origin code unknown"}))
    reply = client.rates(rate_request)
    assert reply.outcome == "rejected" and "Origin code unknown" in (reply.message or "")

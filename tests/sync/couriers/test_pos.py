"""respx unit tests of the POS Indonesia client: token cache, r_fee/r_tnt as object or
list, serviceCode 999, no creation API."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from services.courier_port import RateRequest, ShipmentKeys, ShipmentOrder
from sync.couriers.pos import PosClient, pos_status

BASE = "https://pos.test:8245"
CONSUMER_KEY = "pos-UNIT-CK"
CONSUMER_SECRET = "pos-UNIT-CS"
FEE = "/utility/1.0.0/getFee"
TNT = "/utilitas/1.0.1/getTrackAndTrace"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as r:
        yield r


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(clock: Clock) -> Iterator[PosClient]:
    c = PosClient(BASE, CONSUMER_KEY, CONSUMER_SECRET, "CUST01", timeout=2.0, clock=clock)
    yield c
    c.close()


@pytest.fixture
def token(router: respx.MockRouter) -> respx.Route:
    tokens = iter(f"tok-{n}" for n in range(1, 100))
    return router.post("/token").mock(side_effect=lambda request: httpx.Response(
        200, json={"access_token": next(tokens), "token_type": "Bearer", "expires_in": 3600}))


def fee(r_fee: Any) -> httpx.Response:
    return httpx.Response(200, json={"rs_fee": {"r_fee": r_fee}})


ENTRY = {"serviceCode": "240", "serviceName": "PAKET KILAT KHUSUS", "fee": "15000",
         "feeTax": "150", "insurance": "0", "insuranceTax": "0", "totalFee": "15150",
         "notes": "", "estimation": "2-4 HARI"}


def test_token_request_and_cache(router: respx.MockRouter, client: PosClient,
                                 token: respx.Route, rate_request: RateRequest,
                                 clock: Clock) -> None:
    route = router.post(FEE).mock(return_value=fee([ENTRY]))
    client.rates(rate_request)
    client.rates(rate_request)
    assert token.call_count == 1
    request = token.calls.last.request
    basic = base64.b64encode(f"{CONSUMER_KEY}:{CONSUMER_SECRET}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {basic}"
    assert parse_qs(request.content.decode()) == {"grant_type": ["client_credentials"]}
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-1"
    clock.now += 3600  # past expiry (less the margin): a new token
    client.rates(rate_request)
    assert token.call_count == 2
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-2"


def test_a_401_with_a_cached_token_gets_one_new_token(router: respx.MockRouter,
                                                      client: PosClient, token: respx.Route,
                                                      rate_request: RateRequest) -> None:
    route = router.post(FEE).mock(side_effect=[httpx.Response(401), fee([ENTRY])])
    reply = client.rates(rate_request)
    assert reply.outcome == "ok" and token.call_count == 2 and route.call_count == 2


def test_token_refused_is_a_credentials_rejection(router: respx.MockRouter,
                                                  client: PosClient,
                                                  rate_request: RateRequest) -> None:
    router.post("/token").mock(return_value=httpx.Response(401, json={
        "error": "invalid_client"}))
    fee_route = router.post(FEE)
    reply = client.rates(rate_request)
    assert (reply.outcome, reply.field) == ("rejected", "credentials")
    assert not fee_route.called


def test_fee_request_and_r_fee_list_skipping_999(router: respx.MockRouter, client: PosClient,
                                                 token: respx.Route,
                                                 rate_request: RateRequest) -> None:
    route = router.post(FEE).mock(return_value=fee([
        ENTRY,
        {"serviceCode": "999", "serviceName": "TIDAK ADA TARIF", "totalFee": "0"},
        {"serviceCode": "447", "serviceName": "PAKET JUMBO EKONOMI", "totalFee": "12000.0"},
    ]))
    reply = client.rates(rate_request)
    body = json.loads(route.calls.last.request.content)
    assert body == {"customerid": "CUST01", "desttypeid": "1", "itemtypeid": "1",
                    "shipperzipcode": "12430", "receiverzipcode": "40111", "weight": 1200,
                    "length": 30, "width": 20, "height": 10, "diameter": 0,
                    "valuegoods": 150000}
    assert reply.outcome == "ok"
    assert [(r.service_code, r.price) for r in reply.rates] == [("447", 12000),
                                                                ("240", 15150)]
    kilat = reply.rates[1]
    assert (kilat.courier, kilat.service_name, kilat.etd_min_days, kilat.etd_max_days) == (
        "pos", "PAKET KILAT KHUSUS", 2, 4)


def test_r_fee_as_a_single_object(router: respx.MockRouter, client: PosClient,
                                  token: respx.Route, rate_request: RateRequest) -> None:
    router.post(FEE).mock(return_value=fee(ENTRY))
    reply = client.rates(rate_request)
    assert [(r.service_code, r.price) for r in reply.rates] == [("240", 15150)]


def test_r_fee_single_999_object_is_no_rate(router: respx.MockRouter, client: PosClient,
                                            token: respx.Route,
                                            rate_request: RateRequest) -> None:
    router.post(FEE).mock(return_value=fee({"serviceCode": "999", "totalFee": "0"}))
    reply = client.rates(rate_request)
    assert reply.outcome == "ok" and reply.rates == ()


def test_fee_needs_postal_codes(client: PosClient, rate_request: RateRequest) -> None:
    req = replace(rate_request, destination=replace(rate_request.destination,
                                                    postal_code=None))
    assert client.rates(req).field == "destination_postal_code"


def test_fee_5xx_is_retry(router: respx.MockRouter, client: PosClient, token: respx.Route,
                          rate_request: RateRequest) -> None:
    router.post(FEE).mock(return_value=httpx.Response(502))
    assert client.rates(rate_request).outcome == "retry"


TNT_ENTRY = {"barcode": "P2001000001", "eventDate": "2020-01-02 10:00:00",
             "eventName": "POSTING LOKET", "officeName": "JAKARTA SELATAN",
             "description": "Diterima di loket"}


@pytest.mark.parametrize("r_tnt", [
    TNT_ENTRY,
    [TNT_ENTRY, {"barcode": "P2001000001", "eventDate": "2020-01-03 09:00:00",
                 "eventName": "SELESAI ANTAR", "description": "Diterima oleh YBS"}],
])
def test_track_r_tnt_object_or_list(router: respx.MockRouter, client: PosClient,
                                    token: respx.Route, keys: ShipmentKeys,
                                    r_tnt: Any) -> None:
    route = router.post(TNT).mock(return_value=httpx.Response(200, json={
        "rs_tnt": {"r_tnt": r_tnt}}))
    reply = client.track(replace(keys, waybill_id="P2001000001"))
    assert json.loads(route.calls.last.request.content) == {"barcode": "P2001000001"}
    assert reply.outcome == "ok"
    assert reply.history[0].status == "picked_up"
    assert reply.history[0].at == "2020-01-02T03:00:00.000000+00:00"
    assert reply.status == ("picked_up" if isinstance(r_tnt, dict) else "delivered")


def test_track_empty_is_not_found(router: respx.MockRouter, client: PosClient,
                                  token: respx.Route, keys: ShipmentKeys) -> None:
    router.post(TNT).mock(return_value=httpx.Response(200, json={"rs_tnt": {}}))
    assert client.track(replace(keys, waybill_id="P1")).outcome == "not_found"


@pytest.mark.parametrize("text, ours", [
    ("POSTING LOKET", "picked_up"), ("MANIFEST SERAH", "in_transit"),
    ("PROSES ANTAR", "in_transit"), ("GAGAL ANTAR", "on_hold"),
    ("SELESAI ANTAR", "delivered"), ("RETUR KE PENGIRIM", "returning"),
])
def test_pos_status(text: str, ours: str) -> None:
    assert pos_status(text) == ours


def test_create_and_cancel_say_to_use_biteship(router: respx.MockRouter, client: PosClient,
                                               order: ShipmentOrder,
                                               keys: ShipmentKeys) -> None:
    anything = router.route()
    for reply in (client.create(order, keys), client.cancel(keys, "x")):
        assert reply.outcome == "rejected"
        assert "POS Indonesia publishes no creation API: ship POS through Biteship " \
               "(company pos)" in (reply.message or "")
    assert not anything.called

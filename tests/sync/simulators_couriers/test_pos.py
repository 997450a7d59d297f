"""The POS Indonesia simulator over real HTTP on 127.0.0.1, driven with plain httpx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sync.simulators.pos import (
    DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
    FEE_PATH,
    TRACK_PATH,
    PosSimulator,
)

from .conftest import FakeClock

STEP = 60.0


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[PosSimulator]:
    with PosSimulator(seed=2, step_seconds=STEP, clock=clock) as s:
        yield s


@pytest.fixture
def http(sim: PosSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, timeout=5) as c:
        yield c


def token(http: httpx.Client, key: str = DEFAULT_CONSUMER_KEY,
          secret: str = DEFAULT_CONSUMER_SECRET) -> httpx.Response:
    return http.post("/token", data={"grant_type": "client_credentials"}, auth=(key, secret))


def bearer(http: httpx.Client) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(http).json()['access_token']}"}


def fee(http: httpx.Client, headers: dict[str, str], **over: Any) -> httpx.Response:
    body = {"customerid": "SIM001", "desttypeid": "1", "itemtypeid": "1",
            "shipperzipcode": "12120", "receiverzipcode": "20112", "weight": 1000,
            "length": 0, "width": 0, "height": 0, "diameter": 0, "valuegoods": 50000, **over}
    return http.post(FEE_PATH, json=body, headers=headers)


def test_token(http: httpx.Client) -> None:
    reply = token(http)
    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["access_token"]
    wrong = token(http, secret="wrong")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    no_grant = http.post("/token", data={}, auth=(DEFAULT_CONSUMER_KEY,
                                                  DEFAULT_CONSUMER_SECRET))
    assert no_grant.status_code == 400 and no_grant.json()["error"] == "unsupported_grant_type"


def test_bearer_needed_and_expires(sim: PosSimulator, http: httpx.Client) -> None:
    missing = fee(http, {})
    assert missing.status_code == 401 and missing.json()["fault"]["code"] == 900901
    headers = bearer(http)
    assert fee(http, headers).status_code == 200
    sim.advance(3599)
    assert fee(http, headers).status_code == 200
    sim.advance(1)
    expired = fee(http, headers)
    assert expired.status_code == 401 and "expired" in expired.headers["WWW-Authenticate"]
    fresh = bearer(http)
    assert fee(http, fresh).status_code == 200
    sim.expire_tokens()
    assert fee(http, fresh).status_code == 401


def test_r_fee_object_when_one_service_list_when_several(http: httpx.Client) -> None:
    headers = bearer(http)
    far = fee(http, headers).json()["rs_fee"]["r_fee"]  # Jakarta -> Medan: Reguler only
    assert isinstance(far, dict) and far["serviceCode"] == "240"
    for key in ("serviceName", "fee", "feeTax", "insurance", "insuranceTax", "totalFee"):
        assert isinstance(far[key], str), key
    assert int(far["totalFee"]) == sum(int(far[k]) for k in ("fee", "feeTax", "insurance",
                                                              "insuranceTax"))
    near = fee(http, headers, receiverzipcode="12345").json()["rs_fee"]["r_fee"]
    assert isinstance(near, list) and {r["serviceCode"] for r in near} == {"240", "447", "401"}
    jumbo = fee(http, headers, weight=40000).json()["rs_fee"]["r_fee"]
    assert isinstance(jumbo, dict) and jumbo["serviceCode"] == "3J0"
    none = fee(http, headers, receiverzipcode="70000").json()["rs_fee"]["r_fee"]
    assert isinstance(none, dict) and none["serviceCode"] == "999"
    boxy = fee(http, headers, weight=500, length=40, width=30, height=20).json()
    plain = fee(http, headers, weight=4000).json()  # 40x30x20 cm = 4 kg volumetric
    assert boxy["rs_fee"]["r_fee"]["fee"] == plain["rs_fee"]["r_fee"]["fee"]
    bad = fee(http, headers, weight=None)
    assert bad.status_code == 400 and "weight" in bad.json()["errorMessage"]


def test_track_and_trace(sim: PosSimulator, http: httpx.Client) -> None:
    headers = bearer(http)
    barcode = sim.add_parcel(reference="ship-9", receiver_name="Pembeli")
    one = http.post(TRACK_PATH, json={"barcode": barcode}, headers=headers).json()
    event = one["rs_tnt"]["r_tnt"]
    assert isinstance(event, dict) and event["eventName"] == "POSTING LOKET"
    assert event["barcode"] == barcode
    sim.advance(STEP * 4)
    many = http.post(TRACK_PATH, json={"resi": barcode}, headers=headers).json()
    events = many["rs_tnt"]["r_tnt"]
    assert isinstance(events, list) and events[-1]["eventName"] == "SELESAI ANTAR"
    assert "PEMBELI" in events[-1]["description"]
    unknown = http.post(TRACK_PATH, json={"barcode": "P000"}, headers=headers).json()
    assert unknown == {"rs_tnt": {"r_tnt": []}}
    assert sim.creates("ship-9") == 1
    other = httpx.post(f"{sim.base_url}/_sim/parcels", json={"barcode": "P123456789012"})
    assert other.json() == {"ok": True, "barcode": "P123456789012"}
    sim.advance(STEP)
    assert httpx.post(f"{sim.base_url}/_sim/return/P123456789012").status_code == 200
    assert sim.orders()[-1]["status"] == "returning"


def test_faults_and_rate_limit(clock: FakeClock) -> None:
    with PosSimulator(rate_limit={"fee": 1}, clock=clock) as sim, httpx.Client(
            base_url=sim.base_url) as c:
        headers = bearer(c)
        assert fee(c, headers).status_code == 200
        over = fee(c, headers)
        assert over.status_code == 429 and over.json()["fault"]["code"] == 900800
        assert over.headers["Retry-After"] == "1"
        clock.tick(1)
        sim.set_faults(error_5xx=1.0, apply_to=("fee",))
        assert fee(c, headers).status_code in (500, 503)
        sim.set_faults(drop=1.0, apply_to=("token",))
        with pytest.raises(httpx.RemoteProtocolError):
            token(c)
        assert [e["fault"] for e in sim.fault_log()] == ["error_5xx", "drop"]

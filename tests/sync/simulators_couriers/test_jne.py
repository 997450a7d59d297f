"""The JNE simulator over real HTTP on 127.0.0.1, driven with plain httpx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sync.simulators.jne import DEFAULT_API_KEY, DEFAULT_USERNAME, JneSimulator

from .conftest import FakeClock

STEP = 60.0
CREDS = {"username": DEFAULT_USERNAME, "api_key": DEFAULT_API_KEY}


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[JneSimulator]:
    with JneSimulator(seed=5, step_seconds=STEP, clock=clock) as s:
        yield s


@pytest.fixture
def http(sim: JneSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, timeout=5) as c:
        yield c


def cnote_form(order_id: str = "WRG-0001", **over: str) -> dict[str, str]:
    form = {
        **CREDS, "OLSHOP_BRANCH": "CGK000", "OLSHOP_CUST": "80000000",
        "OLSHOP_ORDERID": order_id,
        "OLSHOP_SHIPPER_NAME": "Warung Sim", "OLSHOP_SHIPPER_ADDR1": "Jl. Contoh 1",
        "OLSHOP_SHIPPER_ADDR2": "", "OLSHOP_SHIPPER_ADDR3": "",
        "OLSHOP_SHIPPER_CITY": "JAKARTA", "OLSHOP_SHIPPER_REGION": "DKI JAKARTA",
        "OLSHOP_SHIPPER_ZIP": "12120", "OLSHOP_SHIPPER_PHONE": "080000000001",
        "OLSHOP_RECEIVER_NAME": "Pembeli", "OLSHOP_RECEIVER_ADDR1": "Jl. Contoh 2",
        "OLSHOP_RECEIVER_ADDR2": "", "OLSHOP_RECEIVER_ADDR3": "",
        "OLSHOP_RECEIVER_CITY": "BANDUNG", "OLSHOP_RECEIVER_REGION": "JAWA BARAT",
        "OLSHOP_RECEIVER_ZIP": "40132", "OLSHOP_RECEIVER_PHONE": "080000000002",
        "OLSHOP_QTY": "1", "OLSHOP_WEIGHT": "1", "OLSHOP_GOODSDESC": "KOPI",
        "OLSHOP_GOODSVALUE": "50000", "OLSHOP_GOODSTYPE": "2", "OLSHOP_INST": "",
        "OLSHOP_INS_FLAG": "N", "OLSHOP_ORIG": "CGK10000", "OLSHOP_DEST": "BDO10000",
        "OLSHOP_SERVICE": "REG", "OLSHOP_COD_FLAG": "N", "OLSHOP_COD_AMOUNT": "0",
    }
    form.update(over)
    return form


def generate(http: httpx.Client, order_id: str = "WRG-0001", **over: str) -> dict[str, Any]:
    reply = http.post("/tracing/api/generatecnote", data=cnote_form(order_id, **over))
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def track(http: httpx.Client, awb: str, **creds: str) -> dict[str, Any]:
    reply = http.post(f"/tracing/api/list/v1/cnote/{awb}", data=creds or CREDS)
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def test_pricedev_shape_and_rounding(http: httpx.Client) -> None:
    def price(weight: str) -> dict[str, Any]:
        reply = http.post("/tracing/api/pricedev", data={**CREDS, "from": "CGK10000",
                                                         "thru": "BDO10000", "weight": weight})
        assert reply.status_code == 200
        return {p["service_display"]: p for p in reply.json()["price"]}

    one = price("1")
    assert set(one) == {"REG", "OKE", "YES"}
    reg = one["REG"]
    assert reg["service_code"] == "REG19" and reg["currency"] == "IDR"
    assert reg["origin_name"] == "JAKARTA SELATAN" and reg["destination_name"] == "BANDUNG"
    assert isinstance(reg["price"], str) and reg["price"].isdigit()
    assert isinstance(reg["etd_from"], str) and reg["times"] == "D"
    assert price("1.3")["REG"]["price"] == reg["price"]  # JNE's 0.3 kg tolerance
    assert int(price("1.31")["REG"]["price"]) == 2 * int(reg["price"])


def test_errors_are_http_200_with_a_flag_that_varies_per_endpoint(http: httpx.Client) -> None:
    bad = {"username": DEFAULT_USERNAME, "api_key": "wrong"}
    price = http.post("/tracing/api/pricedev", data={**bad, "from": "CGK10000",
                                                     "thru": "BDO10000", "weight": "1"})
    assert price.status_code == 200 and price.json()["status"] == "false"
    cnote = http.post("/tracing/api/generatecnote", data=cnote_form(**bad))
    assert cnote.status_code == 200 and cnote.json()["status"] == "Error"
    assert cnote.json()["error"]
    tracked = track(http, "0100000000000000", **bad)
    assert tracked["status"] is False
    unknown = track(http, "0100000000000000")
    assert unknown == {"error": "Cnote No. Not Found.", "status": False}
    nowhere = http.post("/tracing/api/pricedev", data={**CREDS, "from": "XXX10000",
                                                       "thru": "BDO10000", "weight": "1"})
    assert nowhere.json()["status"] == "false" and "price" not in nowhere.json()


def test_random_error_flags_draw_all_three(clock: FakeClock) -> None:
    with JneSimulator(random_error_flags=True, clock=clock, seed=1) as sim, httpx.Client(
            base_url=sim.base_url) as c:
        flags = [c.post("/tracing/api/list/v1/cnote/0",
                        data={"username": "x", "api_key": "y"}).json()["status"]
                 for _ in range(30)]
    assert {repr(f) for f in flags} == {"False", "'false'", "'Error'"}


def test_generatecnote_and_same_orderid_gives_the_same_cnote(sim: JneSimulator,
                                                              http: httpx.Client) -> None:
    first = generate(http, "WRG-0001")
    assert first["detail"][0]["status"] == "sukses"
    cnote = first["detail"][0]["cnote_no"]
    assert re.fullmatch(r"\d{16}", cnote)
    again = generate(http, "WRG-0001")
    assert again["detail"][0]["cnote_no"] == cnote
    assert sim.creates("WRG-0001") == 1 and sim.generate_calls("WRG-0001") == 2
    other = generate(http, "WRG-0002")["detail"][0]["cnote_no"]
    assert other != cnote and len(sim.orders()) == 2


def test_generatecnote_field_limits_name_the_field(sim: JneSimulator,
                                                   http: httpx.Client) -> None:
    too_long = generate(http, "W" * 21)
    assert too_long["status"] == "Error" and "OLSHOP_ORDERID" in too_long["error"]
    assert generate(http, "W" * 20)["detail"][0]["status"] == "sukses"
    address = generate(http, "WRG-A", OLSHOP_RECEIVER_ADDR2="x" * 31)
    assert "OLSHOP_RECEIVER_ADDR2" in address["error"]
    assert generate(http, "WRG-B", OLSHOP_SHIPPER_ADDR1="x" * 30)["detail"]
    missing = generate(http, "WRG-C", OLSHOP_RECEIVER_PHONE="")
    assert "OLSHOP_RECEIVER_PHONE" in missing["error"]
    service = generate(http, "WRG-D", OLSHOP_SERVICE="TELEPORT")
    assert "OLSHOP_SERVICE" in service["error"]
    cod = generate(http, "WRG-E", OLSHOP_COD_FLAG="YES", OLSHOP_COD_AMOUNT="")
    assert "OLSHOP_COD_AMOUNT" in cod["error"]
    assert [o["reference"] for o in sim.orders()] == ["W" * 20, "WRG-B"]


def test_tracking_moves_to_delivered_and_returns(sim: JneSimulator, http: httpx.Client) -> None:
    cnote = generate(http, "WRG-T")["detail"][0]["cnote_no"]
    body = track(http, cnote)
    assert body["cnote"]["cnote_no"] == cnote and body["cnote"]["pod_status"] == "ON PROCESS"
    assert body["cnote"]["reference_number"] == "WRG-T"
    assert body["detail"][0]["cnote_receiver_city"] == "BANDUNG"
    assert len(body["history"]) == 1
    assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", body["history"][0]["date"])
    sim.advance(STEP * 6)
    body = track(http, cnote, username=DEFAULT_USERNAME, key=DEFAULT_API_KEY)  # "key" too
    assert body["cnote"]["pod_status"] == "DELIVERED" and len(body["history"]) == 7
    assert body["history"][-1]["desc"].startswith("DELIVERED TO [PEMBELI")
    assert body["cnote"]["cnote_pod_receiver"] == "Pembeli"
    other = generate(http, "WRG-R")["detail"][0]["cnote_no"]
    sim.advance(STEP * 2)
    sim.return_parcel(other)
    assert track(http, other)["cnote"]["pod_status"] == "RETURN TO SHIPPER"
    sim.advance(STEP)
    assert track(http, other)["cnote"]["pod_status"] == "RETURNED"
    with pytest.raises(ValueError):
        sim.return_parcel(cnote)


def test_timeout_after_create_then_the_same_cnote(sim: JneSimulator) -> None:
    sim.set_faults(timeout_after_create=1.0, hang_seconds=1.0)
    with httpx.Client(base_url=sim.base_url, timeout=0.3) as c:
        with pytest.raises(httpx.ReadTimeout):
            c.post("/tracing/api/generatecnote", data=cnote_form("WRG-LOST"))
        sim.set_faults()
        again = c.post("/tracing/api/generatecnote", data=cnote_form("WRG-LOST")).json()
    assert again["detail"][0]["cnote_no"] == sim.orders()[0]["id"]
    assert sim.creates("WRG-LOST") == 1
    assert sim.fault_log()[0]["recorded"] is True


def test_faults_and_rate_limit(clock: FakeClock) -> None:
    with JneSimulator(rate_limit=2, clock=clock) as sim, httpx.Client(
            base_url=sim.base_url) as c:
        ok = [c.post("/tracing/api/list/v1/cnote/1", data=CREDS) for _ in range(2)]
        assert [r.headers["X-RateLimit-Remaining"] for r in ok] == ["1", "0"]
        over = c.post("/tracing/api/list/v1/cnote/1", data=CREDS)
        assert over.status_code == 429 and over.json() == {"error": "Too Many Requests",
                                                           "status": False}
        assert over.headers["Retry-After"] == "1"
        assert c.post("/tracing/api/generatecnote", data=cnote_form()).status_code == 200
        sim.set_faults(error_5xx=1.0, apply_to=("pricedev",))
        reply = c.post("/tracing/api/pricedev", data={**CREDS, "from": "CGK10000",
                                                      "thru": "BDO10000", "weight": "1"})
        assert reply.status_code in (500, 504)
        assert reply.headers["content-type"].startswith("text/html")
        sim.set_faults(drop=1.0, apply_to=("*",))
        with pytest.raises(httpx.RemoteProtocolError):
            c.post("/tracing/api/pricedev", data=CREDS)
        assert [e["fault"] for e in sim.fault_log()] == ["error_5xx", "drop"]
        assert c.get("/tracing/api/pricedev").status_code == 405

"""The J&T simulator over real HTTP on 127.0.0.1, driven with plain httpx."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sync.simulators.jnt import (
    CANCEL_PATH,
    DEFAULT_API_KEY,
    DEFAULT_ECCOMPANYID,
    DEFAULT_SIGN_KEY,
    DEFAULT_TRACK_PASSWORD,
    DEFAULT_USERNAME,
    ORDER_PATH,
    TARIFF_PATH,
    TRACK_PATH,
    JntSimulator,
)

from .conftest import FakeClock

STEP = 60.0


def jt_sign(text: str, key: str = DEFAULT_SIGN_KEY) -> str:
    """Written here from the documented scheme, not imported: base64(md5 hex(json + key))."""
    return base64.b64encode(hashlib.md5((text + key).encode()).hexdigest().encode()).decode()


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[JntSimulator]:
    with JntSimulator(seed=11, step_seconds=STEP, clock=clock) as s:
        yield s


@pytest.fixture
def http(sim: JntSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, timeout=5) as c:
        yield c


def entry(order_id: str = "WRG-1", **over: Any) -> dict[str, Any]:
    e = {
        "username": DEFAULT_USERNAME, "api_key": DEFAULT_API_KEY, "orderid": order_id,
        "shipper_name": "Warung Sim", "shipper_contact": "Warung Sim",
        "shipper_phone": "080000000001", "shipper_addr": "Jl. Contoh 1", "origin_code": "JKT",
        "receiver_name": "Pembeli", "receiver_phone": "080000000002",
        "receiver_addr": "Jl. Contoh 2", "receiver_zip": "40132", "destination_code": "BDO",
        "receiver_area": "BDO001", "qty": "1", "weight": "1", "goodsdesc": "KOPI",
        "goodsvalue": "50000", "servicetype": "1", "expresstype": "EZ", "insurance": "",
        "cod": "", "item_name": "Kopi", "orderdate": "2026-12-07 10:00:00",
        "sendstarttime": "2026-12-07 10:00:00", "sendendtime": "2026-12-07 17:00:00",
    }
    e.update(over)
    return e


def post(http: httpx.Client, path: str, detail: list[dict[str, Any]],
         sign_with: str = DEFAULT_SIGN_KEY) -> dict[str, Any]:
    data = json.dumps({"detail": detail})
    reply = http.post(path, data={"data_param": data, "data_sign": jt_sign(data, sign_with)})
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def basic(user: str = DEFAULT_ECCOMPANYID, password: str = DEFAULT_TRACK_PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def track(http: httpx.Client, awb: str) -> dict[str, Any]:
    reply = http.post(TRACK_PATH, json={"awb": awb, "eccompanyid": DEFAULT_ECCOMPANYID},
                      headers={"Authorization": basic()})
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def test_sign_scheme_is_base64_of_the_hex_digest() -> None:
    from sync.simulators.jnt import sign

    assert sign("{}", "k") == jt_sign("{}", "k")
    assert len(base64.b64decode(sign("{}", "k"))) == 32  # the hex text, not the raw digest


def test_create_verifies_the_signature(sim: JntSimulator, http: httpx.Client) -> None:
    bad = post(http, ORDER_PATH, [entry()], sign_with="wrong-key")
    assert bad["success"] is False and "sign" in bad["desc"].lower()
    assert sim.orders() == []
    data = json.dumps({"detail": [entry()]})
    tampered = http.post(ORDER_PATH, data={"data_param": data.replace("KOPI", "TEH"),
                                           "data_sign": jt_sign(data)}).json()
    assert tampered["success"] is False and sim.orders() == []
    good = post(http, ORDER_PATH, [entry()])
    assert good["success"] is True and good["desc"] == "Request berhasil"
    d = good["detail"][0]
    assert d["status"] == "Sukses" and d["orderid"] == "WRG-1"
    assert d["awb_no"].startswith("JP") and d["desCode"] and d["etd"]
    assert sim.orders()[0]["waybill"] == d["awb_no"]


def test_duplicate_orderid_is_an_error_inside_a_success(sim: JntSimulator,
                                                        http: httpx.Client) -> None:
    post(http, ORDER_PATH, [entry("WRG-D")])
    again = post(http, ORDER_PATH, [entry("WRG-D")])
    assert again == {"success": True, "desc": "Request berhasil", "detail": [
        {"orderid": "WRG-D", "status": "Error", "reason": "Orderid tidak boleh sama"}]}
    assert sim.creates("WRG-D") == 1 and sim.create_attempts("WRG-D") == 2


def test_each_entry_answers_on_its_own(sim: JntSimulator, http: httpx.Client) -> None:
    reply = post(http, ORDER_PATH, [entry("A"), entry("B", receiver_phone=""),
                                    entry("C", api_key="wrong")])
    statuses = [(d["orderid"], d["status"]) for d in reply["detail"]]
    assert statuses == [("A", "Sukses"), ("B", "Error"), ("C", "Error")]
    assert "receiver_phone" in reply["detail"][1]["reason"]
    assert "api_key" in reply["detail"][2]["reason"]
    assert [o["reference"] for o in sim.orders()] == ["A"]


def test_cancel_until_pickup_then_refused_with_got(sim: JntSimulator,
                                                   http: httpx.Client) -> None:
    post(http, ORDER_PATH, [entry("EARLY"), entry("LATE")])
    cancel = {"username": DEFAULT_USERNAME, "api_key": DEFAULT_API_KEY, "remark": "batal"}
    long_remark = post(http, CANCEL_PATH, [{**cancel, "orderid": "EARLY", "remark": "x" * 31}])
    assert "remark" in long_remark["detail"][0]["reason"]
    done = post(http, CANCEL_PATH, [{**cancel, "orderid": "EARLY"}])
    assert done["detail"][0] == {"orderid": "EARLY", "status": "Sukses"}
    sim.advance(STEP)
    late = post(http, CANCEL_PATH, [{**cancel, "orderid": "LATE"}])["detail"][0]
    assert late["status"] == "Error" and late["reason"].endswith("GOT")
    unknown = post(http, CANCEL_PATH, [{**cancel, "orderid": "NOPE"}])["detail"][0]
    assert unknown["status"] == "Error"
    states = {o["reference"]: o["status"] for o in sim.orders()}
    assert states == {"EARLY": "cancelled", "LATE": "picked_up"}
    bad = post(http, CANCEL_PATH, [{**cancel, "orderid": "LATE"}], sign_with="x")
    assert bad["success"] is False


def test_tariff_strings(http: httpx.Client) -> None:
    def tariff(data: dict[str, Any], key: str = DEFAULT_SIGN_KEY) -> dict[str, Any]:
        text = json.dumps(data)
        reply = http.post(TARIFF_PATH, data={"data": text, "sign": jt_sign(text, key)})
        assert reply.status_code == 200
        return reply.json()  # type: ignore[no-any-return]

    ask = {"weight": "1", "sendSiteCode": "JAKARTA", "destAreaCode": "COBLONG",
           "cusName": DEFAULT_USERNAME, "productType": "EZ"}
    ok = tariff(ask)
    assert ok["is_success"] == "true"  # a string, not a boolean
    assert isinstance(ok["content"], str)
    content = json.loads(ok["content"])
    assert content[0]["name"] == "EZ" and int(content[0]["cost"]) > 0
    two = json.loads(tariff({**ask, "weight": "1.5"})["content"])
    assert int(two[0]["cost"]) == 2 * int(content[0]["cost"])
    assert tariff(ask, key="wrong")["is_success"] == "false"
    nowhere = tariff({**ask, "destAreaCode": "ATLANTIS"})
    assert nowhere["is_success"] == "false" and "destAreaCode" in nowhere["message"]


def test_tracking_basic_auth_shapes_and_progress(sim: JntSimulator, http: httpx.Client) -> None:
    awb = post(http, ORDER_PATH, [entry("WRG-T")])["detail"][0]["awb_no"]
    denied = http.post(TRACK_PATH, json={"awb": awb, "eccompanyid": DEFAULT_ECCOMPANYID},
                       headers={"Authorization": basic(password="wrong")})
    assert denied.status_code == 401 and set(denied.json()) == {"error_id", "error_message"}
    unknown = track(http, "JP0000000000")
    assert set(unknown) == {"error_id", "error_message"}
    body = track(http, awb)
    assert body["awb"] == awb and body["orderid"] == "WRG-T"
    assert body["detail"]["services_code"] == "EZ"
    assert [(h["status"], h["status_code"]) for h in body["history"]] == [("Manifes", 101)]
    sim.advance(STEP * 5)
    history = track(http, awb)["history"]
    assert len(history) == 6 and history[-1]["status_code"] == 200
    times = [h["date_time"] for h in history]
    assert times == sorted(times)
    with pytest.raises(ValueError):
        sim.return_parcel(awb)


def test_faults(sim: JntSimulator, http: httpx.Client) -> None:
    sim.set_faults(timeout_after_create=1.0, hang_seconds=1.0)
    data = json.dumps({"detail": [entry("WRG-LOST")]})
    with httpx.Client(base_url=sim.base_url, timeout=0.3) as c, pytest.raises(httpx.ReadTimeout):
        c.post(ORDER_PATH, data={"data_param": data, "data_sign": jt_sign(data)})
    sim.set_faults()
    assert post(http, ORDER_PATH, [entry("WRG-LOST")])["detail"][0]["reason"] == \
        "Orderid tidak boleh sama"
    assert sim.creates("WRG-LOST") == 1
    sim.set_faults(rate_limit=1.0, apply_to=("tariff",))
    reply = http.post(TARIFF_PATH, data={"data": "{}", "sign": jt_sign("{}")})
    assert reply.status_code == 429 and "Retry-After" in reply.headers
    assert [e["fault"] for e in sim.fault_log()] == ["timeout_after_create", "rate_limit"]


def test_real_rate_limit(clock: FakeClock) -> None:
    with JntSimulator(rate_limit=1, clock=clock) as sim, httpx.Client(
            base_url=sim.base_url) as c:
        assert post(c, ORDER_PATH, [entry("A")])["success"] is True
        data = json.dumps({"detail": [entry("B")]})
        over = c.post(ORDER_PATH, data={"data_param": data, "data_sign": jt_sign(data)})
        assert over.status_code == 429 and over.json()["success"] is False
        assert over.headers["X-RateLimit-Limit"] == "1"
        clock.tick(1)
        assert post(c, ORDER_PATH, [entry("B")])["detail"][0]["status"] == "Sukses"


def test_a_separate_tariff_key(clock: FakeClock) -> None:
    with JntSimulator(tariff_key="tariff-only", clock=clock) as sim, httpx.Client(
            base_url=sim.base_url) as c:
        text = json.dumps({"weight": "1", "sendSiteCode": "BEKASI", "destAreaCode": "JKT",
                           "cusName": DEFAULT_ECCOMPANYID, "productType": "EZ"})
        with_order_key = c.post(TARIFF_PATH, data={"data": text, "sign": jt_sign(text)})
        assert with_order_key.json()["is_success"] == "false"
        ok = c.post(TARIFF_PATH, data={"data": text, "sign": jt_sign(text, "tariff-only")})
        assert ok.json()["is_success"] == "true"
        assert json.loads(ok.json()["content"])[0]["productType"] == "EZ"
        assert post(c, ORDER_PATH, [entry("K", origin_code="BKI")])["detail"][0]["status"] \
            == "Sukses"

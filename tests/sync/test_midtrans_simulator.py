"""The real Midtrans client against the real simulator on 127.0.0.1: endpoints, quirks, faults."""

from __future__ import annotations

import base64
import logging
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from sync.midtrans.client import MidtransClient, MidtransReply
from sync.midtrans.signature import verify_notification
from sync.simulators.midtrans import MidtransSimulator

KEY = "SB-Mid-server-SIM-TEST-9f8e7d"
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


@pytest.fixture
def sim() -> Iterator[MidtransSimulator]:
    with MidtransSimulator(server_key=KEY, seed=7) as s:
        yield s


@pytest.fixture
def client(sim: MidtransSimulator) -> Iterator[MidtransClient]:
    with MidtransClient(sim.base_url, KEY, timeout=0.5) as c:
        yield c


def new_id() -> str:
    return f"wrg-{uuid.uuid4()}"


def charge(client: MidtransClient, order_id: str, method: str = "qris", amount: int = 20000,
           key: str | None = None, **kw: Any) -> MidtransReply:
    return client.charge(order_id=order_id, amount=amount, method=method,
                         idempotency_key=key or str(uuid.uuid4()), **kw)


# --- charge shapes -----------------------------------------------------------------------


def test_qris_charge_shape(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid = new_id()
    reply = charge(client, oid, "qris", 20000)
    assert (reply.outcome, reply.http_status, reply.status_code) == ("ok", 200, "201")
    assert reply.transaction_status == "pending" and reply.fraud_status == "accept"
    assert reply.body["gross_amount"] == "20000.00" and reply.gross_amount == 20000
    assert reply.order_id == oid and reply.transaction_id
    assert reply.qr_string and reply.qr_string.startswith("000201")
    assert "540520000" in reply.qr_string  # EMV tag 54 (amount), length 05, "20000"
    assert reply.qr_url and reply.qr_url.startswith(sim.base_url)
    assert reply.body["acquirer"] == "gopay"
    assert TIME.fullmatch(reply.body["transaction_time"])
    assert reply.expiry_time and TIME.fullmatch(reply.expiry_time)
    assert sim.charges(oid) == 1


def test_gopay_charge_has_four_actions(client: MidtransClient) -> None:
    reply = charge(client, new_id(), "gopay")
    assert reply.message == "GoPay transaction is created"
    names = [a["name"] for a in reply.body["actions"]]
    assert names == ["generate-qr-code", "deeplink-redirect", "get-status", "cancel"]
    assert all({"name", "method", "url"} <= set(a) for a in reply.body["actions"])
    assert reply.deeplink_url and reply.qr_url


def test_shopeepay_charge(client: MidtransClient) -> None:
    reply = charge(client, new_id(), "shopeepay")
    assert reply.outcome == "ok" and reply.body["channel_response_code"] == "0"
    assert reply.deeplink_url and reply.qr_url is None


@pytest.mark.parametrize("bank", ["bca", "bni", "bri"])
def test_va_numbers(client: MidtransClient, bank: str) -> None:
    reply = charge(client, new_id(), f"va_{bank}")
    assert reply.va_bank == bank and reply.va_number and reply.va_number.isdigit()
    assert "permata_va_number" not in reply.body
    assert reply.body["va_numbers"] == [{"bank": bank, "va_number": reply.va_number}]


def test_permata_top_level_field(client: MidtransClient) -> None:
    reply = charge(client, new_id(), "va_permata")
    assert "va_numbers" not in reply.body
    assert reply.body["permata_va_number"] == reply.va_number and reply.va_bank == "permata"
    assert reply.va_number and len(reply.va_number) == 12


def test_status_transitions_and_signature(sim: MidtransSimulator,
                                          client: MidtransClient) -> None:
    oid = new_id()
    created = charge(client, oid, "qris", 15000)
    pending = client.status(oid)
    assert (pending.outcome, pending.status_code, pending.transaction_status) == (
        "ok", "201", "pending")
    assert not pending.paid and "settlement_time" not in pending.body
    sim.pay(oid)
    paid = client.status(oid)
    assert (paid.status_code, paid.transaction_status, paid.paid) == ("200", "settlement", True)
    assert TIME.fullmatch(paid.body["settlement_time"]) and paid.gross_amount == 15000
    assert verify_notification(paid.body, KEY)
    assert not verify_notification(paid.body, "SB-Mid-server-other")
    by_txid = client.status(created.transaction_id or "")
    assert by_txid.order_id == oid and by_txid.paid


def test_unknown_id_404(client: MidtransClient) -> None:
    reply = client.status(new_id())
    assert (reply.outcome, reply.http_status, reply.status_code) == ("not_found", 404, "404")


def test_wrong_key_401(sim: MidtransSimulator) -> None:
    with MidtransClient(sim.base_url, "SB-Mid-server-WRONG", timeout=0.5) as bad:
        reply = charge(bad, new_id())
    assert (reply.outcome, reply.http_status, reply.status_code) == ("rejected", 401, "401")
    assert sim.all_transactions() == []


def test_missing_auth_401(sim: MidtransSimulator) -> None:
    with httpx.Client(base_url=sim.base_url) as raw:
        response = raw.get("/v2/whatever/status")
    assert response.status_code == 401 and response.json()["status_code"] == "401"


def test_not_a_midtrans_route_is_html(sim: MidtransSimulator, client: MidtransClient) -> None:
    with httpx.Client(base_url=sim.base_url) as raw:
        response = raw.get("/v1/nothing")
    assert response.status_code == 404 and "html" in response.headers["content-type"]
    with MidtransClient(sim.base_url + "/wrong", KEY, timeout=0.5) as lost:
        assert lost.status(new_id()).outcome == "rejected"


def test_wrong_method_405(sim: MidtransSimulator) -> None:
    auth = "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    with httpx.Client(base_url=sim.base_url, headers={"Authorization": auth}) as raw:
        response = raw.get("/v2/charge")
    assert response.status_code == 405


def test_invalid_charge_is_a_400_in_http_200(sim: MidtransSimulator) -> None:
    auth = "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    with httpx.Client(base_url=sim.base_url, headers={"Authorization": auth}) as raw:
        decimal = raw.post("/v2/charge", json={"payment_type": "qris", "transaction_details": {
            "order_id": "a-1", "gross_amount": 20000.5}})
        bad_id = raw.post("/v2/charge", json={"payment_type": "qris", "transaction_details": {
            "order_id": "a/1", "gross_amount": 100}})
        garbage = raw.post("/v2/charge", content=b"{nope")
    assert decimal.status_code == 200 and decimal.json()["status_code"] == "400"
    assert bad_id.json()["status_code"] == "400"
    assert garbage.json()["status_code"] == "413"
    assert sim.all_transactions() == []


# --- duplicates, cancel, expire ----------------------------------------------------------------


def test_duplicate_order_id_406_in_http_200(sim: MidtransSimulator,
                                            client: MidtransClient) -> None:
    oid = new_id()
    first = charge(client, oid)
    again = charge(client, oid)  # a new idempotency key: a genuinely new request
    assert (again.outcome, again.http_status, again.status_code) == ("exists", 200, "406")
    sim.pay(oid)
    assert charge(client, oid).outcome == "exists"
    assert sim.charges(oid) == 1
    assert client.status(oid).transaction_id == first.transaction_id


def test_expire_is_407_and_frees_the_order_id(sim: MidtransSimulator,
                                              client: MidtransClient) -> None:
    oid = new_id()
    first = charge(client, oid, "gopay")
    expired = client.expire(oid)
    assert (expired.outcome, expired.status_code, expired.transaction_status) == (
        "ok", "407", "expire")
    assert expired.ended
    status = client.status(oid)
    assert (status.status_code, status.ended) == ("407", True)
    assert client.expire(oid).status_code == "412"  # pending only
    second = charge(client, oid, "gopay")
    assert second.outcome == "ok" and second.transaction_id != first.transaction_id
    assert sim.charges(oid) == 2 and len(sim.all_transactions()) == 2
    assert client.status(oid).transaction_status == "pending"


def test_expire_now_and_lazy_expiry(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid = new_id()
    charge(client, oid)
    sim.expire_now(oid)
    assert client.status(oid).status_code == "407"
    with pytest.raises(ValueError):
        sim.pay(oid)
    with pytest.raises(KeyError):
        sim.pay(new_id())
    timed = new_id()
    charge(client, timed, expiry_minutes=1)
    sim.advance(61)
    assert client.status(timed).transaction_status == "expire"


def test_cancel(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid = new_id()
    charge(client, oid, "va_bni")
    cancelled = client.cancel(oid)
    assert (cancelled.outcome, cancelled.transaction_status, cancelled.ended) == (
        "ok", "cancel", True)
    assert charge(client, oid, "qris").outcome == "ok"  # a cancelled order_id is reusable
    sim.pay(oid)
    refused = client.cancel(oid)
    assert (refused.outcome, refused.http_status, refused.status_code) == ("rejected", 200, "412")
    assert client.cancel(new_id()).outcome == "not_found"


# --- refunds ------------------------------------------------------------------------------


def test_refund_rules(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid = new_id()
    charge(client, oid, "qris", 30000)
    pending = client.refund(oid, refund_key="rk-early")
    assert (pending.outcome, pending.http_status, pending.status_code) == ("rejected", 200, "412")
    sim.pay(oid)
    part = client.refund(oid, refund_key="rk-1", amount=10000, reason="rusak")
    assert (part.outcome, part.transaction_status, part.refund_amount) == (
        "ok", "partial_refund", 10000)
    same = client.refund(oid, refund_key="rk-1", amount=10000, reason="rusak")
    assert same.body == part.body  # the same refund, not a second one
    clash = client.refund(oid, refund_key="rk-1", amount=5000)
    assert (clash.outcome, clash.status_code) == ("exists", "406")
    too_much = client.refund(oid, refund_key="rk-2", amount=25000)
    assert (too_much.outcome, too_much.status_code) == ("rejected", "414")
    rest = client.refund(oid, refund_key="rk-3")
    assert (rest.transaction_status, rest.refund_amount) == ("refund", 30000)
    status = client.status(oid)
    assert status.refund_amount == 30000 and len(status.body["refunds"]) == 2
    assert [r["refund_key"] for r in status.body["refunds"]] == ["rk-1", "rk-3"]
    assert client.refund(new_id(), refund_key="x").outcome == "not_found"


def test_refund_of_va_is_412(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid = new_id()
    charge(client, oid, "va_bri")
    sim.pay(oid)
    reply = client.refund(oid, refund_key="rk-va")
    assert (reply.outcome, reply.status_code) == ("rejected", "412")


def test_shopeepay_has_no_partial_refund(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid = new_id()
    charge(client, oid, "shopeepay", 8000)
    sim.pay(oid)
    assert client.refund(oid, refund_key="p", amount=1000).status_code == "414"
    assert client.refund(oid, refund_key="f").transaction_status == "refund"


# --- Idempotency-Key ------------------------------------------------------------------------


def test_idempotency_key_replays_the_stored_success(sim: MidtransSimulator,
                                                    client: MidtransClient) -> None:
    oid, key = new_id(), str(uuid.uuid4())
    first = charge(client, oid, "qris", 20000, key=key)
    # Same key, a different body: Midtrans answers with the stored response anyway.
    again = charge(client, new_id(), "gopay", 99000, key=key)
    assert again.body == first.body and sim.charges(oid) == 1
    sim.advance(301)  # the 5-minute store has lapsed: processed again, clashing on order_id
    late = charge(client, oid, "qris", 20000, key=key)
    assert late.outcome == "exists" and sim.charges(oid) == 1


def test_idempotency_stores_only_successes(sim: MidtransSimulator,
                                           client: MidtransClient) -> None:
    oid, key = new_id(), str(uuid.uuid4())
    charge(client, oid)
    assert charge(client, oid, key=key).outcome == "exists"  # a failure: not stored
    client.cancel(oid)
    assert charge(client, oid, key=key).outcome == "ok"  # so the key works again


def test_permata_ignores_idempotency_key(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid, key = new_id(), str(uuid.uuid4())
    assert charge(client, oid, "va_permata", key=key).outcome == "ok"
    assert charge(client, oid, "va_permata", key=key).outcome == "exists"


def test_repeat_key_while_running_is_http_202(sim: MidtransSimulator) -> None:
    sim.set_faults(slow_seconds=0.6)
    oid, key = new_id(), str(uuid.uuid4())
    results: list[MidtransReply] = []
    with MidtransClient(sim.base_url, KEY, timeout=3.0) as patient:
        worker = threading.Thread(target=lambda: results.append(
            charge(patient, oid, key=key)))
        worker.start()
        time.sleep(0.2)  # the first request is inside its slow window now
        sim.set_faults()  # the repeat itself is not slowed
        repeat = charge(patient, oid, key=key)
        worker.join()
    assert (repeat.outcome, repeat.http_status) == ("retry", 202)
    assert results[0].outcome == "ok" and sim.charges(oid) == 1


# --- fault modes ----------------------------------------------------------------------------


def test_timeout_after_charge(sim: MidtransSimulator, client: MidtransClient) -> None:
    sim.set_faults(timeout_after_charge=1.0, hang_seconds=1.0)
    oid, key = new_id(), str(uuid.uuid4())
    started = time.monotonic()
    reply = charge(client, oid, key=key)
    assert (reply.outcome, reply.sent) == ("unknown", True)
    assert time.monotonic() - started < 0.95  # the client's 0.5 s timeout, not the hang
    assert sim.charges(oid) == 1  # it DID happen at Midtrans
    assert sim.fault_log()[-1] == {"fault": "timeout_after_charge", "endpoint": "charge",
                                   "order_id": oid, "recorded": True}
    sim.set_faults()
    status = client.status(oid)  # the way to resolve an unknown
    assert status.outcome == "ok" and status.transaction_status == "pending"
    assert charge(client, oid, key=key).outcome == "ok"  # stored success, same key
    assert charge(client, oid).outcome == "exists"  # new key: order_id clash
    assert sim.charges(oid) == 1


def test_drop_before_or_after_recording(sim: MidtransSimulator, client: MidtransClient) -> None:
    sim.set_faults(drop=1.0)
    ids = [new_id() for _ in range(12)]
    replies = [charge(client, oid) for oid in ids]
    assert all((r.outcome, r.sent) == ("unknown", True) for r in replies)
    log = {entry["order_id"]: entry for entry in sim.fault_log()}
    assert {e["recorded"] for e in log.values()} == {True, False}  # seed 7 gives both
    sim.set_faults()
    for oid in ids:
        recorded = log[oid]["recorded"]
        assert sim.charges(oid) == (1 if recorded else 0)
        assert client.status(oid).outcome == ("ok" if recorded else "not_found")


def test_5xx_records_nothing(sim: MidtransSimulator, client: MidtransClient) -> None:
    sim.set_faults(error_5xx=1.0)
    replies = [charge(client, new_id()) for _ in range(30)]
    assert all(r.outcome == "retry" and r.sent for r in replies)
    assert {r.status_code for r in replies} == {"500", "503", "900"}  # seeded: all three
    assert {r.http_status for r in replies} <= {500, 503}
    assert sim.all_transactions() == []


def test_rate_limit(sim: MidtransSimulator, client: MidtransClient) -> None:
    sim.set_faults(rate_limit=1.0)
    replies = [charge(client, new_id()) for _ in range(12)]
    assert all((r.outcome, r.http_status, r.status_code) == ("retry", 429, "429")
               for r in replies)
    assert {r.retry_after for r in replies} == {None, 1.0}
    assert sim.all_transactions() == []


def test_slow_replies(sim: MidtransSimulator, client: MidtransClient) -> None:
    sim.set_faults(slow_seconds=0.2)
    assert charge(client, new_id()).outcome == "ok"
    sim.set_faults(slow_seconds=0.8)
    oid = new_id()
    assert charge(client, oid).outcome == "unknown"
    sim.set_faults()
    deadline = time.monotonic() + 3
    while sim.charges(oid) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # the slow request completes at the server after our timeout
    assert client.status(oid).outcome == "ok"


def test_faults_apply_to_status_only_when_asked(sim: MidtransSimulator,
                                                client: MidtransClient) -> None:
    oid = new_id()
    sim.set_faults(error_5xx=1.0, apply_to=("status",))
    assert charge(client, oid).outcome == "ok"
    assert client.status(oid).outcome == "retry"
    sim.set_faults(error_5xx=1.0)
    assert client.status(oid).outcome == "ok"


def test_set_faults_validates() -> None:
    sim = MidtransSimulator()
    with pytest.raises(ValueError):
        sim.set_faults(drop=0.7, timeout_after_charge=0.7)
    with pytest.raises(ValueError):
        sim.set_faults(apply_to=("nonsense",))


def test_same_seed_same_faults() -> None:
    def run() -> list[tuple[str | None, bool]]:
        with MidtransSimulator(server_key=KEY, seed=42) as s:
            s.set_faults(drop=0.2, error_5xx=0.2, rate_limit=0.2)
            with MidtransClient(s.base_url, KEY, timeout=0.5) as c:
                for i in range(20):
                    charge(c, f"seed-{i}")
            return [(e["order_id"], e["recorded"]) for e in s.fault_log()]
    assert run() == run()


# --- control over HTTP, and as its own process -------------------------------------------


def test_http_control(sim: MidtransSimulator, client: MidtransClient) -> None:
    oid, other = new_id(), new_id()
    charge(client, oid)
    charge(client, other)
    with httpx.Client(base_url=sim.base_url) as raw:
        assert raw.post(f"/_sim/pay/{oid}").json()["transaction"]["transaction_status"] == (
            "settlement")
        assert raw.post(f"/_sim/pay/{oid}").status_code == 409
        assert raw.post(f"/_sim/pay/{new_id()}").status_code == 404
        assert raw.post(f"/_sim/expire/{other}").status_code == 200
        assert raw.get(f"/_sim/charges/{oid}").json()["charges"] == 1
        listed = raw.get("/_sim/transactions").json()["transactions"]
        assert {t["order_id"]: t["transaction_status"] for t in listed} == {
            oid: "settlement", other: "expire"}
        assert raw.post("/_sim/faults", json={"error_5xx": 1.0,
                                              "apply_to": ["status"]}).status_code == 200
        assert raw.post("/_sim/faults", json={"drop": 2.0}).status_code == 400
        assert raw.get("/_sim/fault_log").json() == {"faults": []}
    assert client.status(oid).outcome == "retry"
    assert client.status(oid).paid is False


def test_runs_as_its_own_process() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.simulators.midtrans", "--port", "0",
         "--server-key", KEY],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        with MidtransClient(base_url, KEY, timeout=2.0) as c:
            oid = new_id()
            assert charge(c, oid).outcome == "ok"
            with httpx.Client(base_url=base_url) as raw:
                raw.post(f"/_sim/pay/{oid}")
            assert c.status(oid).paid
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()


# --- secrets, concurrency, speed, clean stop --------------------------------------------------


def test_key_never_logged(sim: MidtransSimulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # root level: httpx and httpcore log through it too
    with MidtransClient(sim.base_url, KEY, timeout=0.5) as c:
        oid = new_id()
        replies = [charge(c, oid), c.status(oid), c.cancel(oid), charge(c, oid, "va_permata")]
    assert {r.outcome for r in replies} == {"ok"}
    token = base64.b64encode(f"{KEY}:".encode()).decode()
    names = {record.name for record in caplog.records}
    assert any(n.startswith("httpcore") for n in names) and "httpx" in names
    assert "sync.midtrans.client" in names
    for text in (caplog.text, *(r.getMessage() for r in caplog.records)):
        assert KEY not in text and token not in text


def test_concurrent_duplicates_create_one_transaction(sim: MidtransSimulator) -> None:
    oid = new_id()
    with MidtransClient(sim.base_url, KEY, timeout=5.0) as c:
        with ThreadPoolExecutor(max_workers=10) as pool:
            replies = list(pool.map(lambda _: charge(c, oid), range(20)))
    assert sorted(r.outcome for r in replies) == ["exists"] * 19 + ["ok"]
    assert sim.charges(oid) == 1


def test_thousand_charges_and_statuses_quickly(sim: MidtransSimulator) -> None:
    def one(i: int) -> tuple[str, str]:
        oid = f"bulk-{i}"
        return charge(c, oid, amount=1000 + i).outcome, c.status(oid).outcome

    started = time.monotonic()
    with MidtransClient(sim.base_url, KEY, timeout=5.0) as c:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(one, range(1000)))
    elapsed = time.monotonic() - started
    assert outcomes == [("ok", "ok")] * 1000
    assert len(sim.all_transactions()) == 1000
    assert elapsed < 20, elapsed  # typically a few seconds; generous for slow CI machines


def test_stop_is_prompt_with_a_hang_and_an_idle_connection() -> None:
    sim = MidtransSimulator(server_key=KEY)
    sim.start()
    sim.set_faults(timeout_after_charge=1.0, hang_seconds=30.0)
    before = threading.active_count()
    with MidtransClient(sim.base_url, KEY, timeout=0.3) as c:
        assert charge(c, new_id()).outcome == "unknown"  # its server thread is hanging
        sim.set_faults()
        assert c.status(new_id()).outcome == "not_found"  # an idle keep-alive connection
        started = time.monotonic()
        sim.stop()
        assert time.monotonic() - started < 2.0
        assert c.status(new_id()).outcome == "retry"  # nobody listens any more
    assert threading.active_count() < before
    sim.stop()  # stopping twice is harmless

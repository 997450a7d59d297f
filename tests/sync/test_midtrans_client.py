"""respx unit tests of the Midtrans client: every response shape in providers.md section 1."""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from sync.midtrans.client import (
    METHOD_TO_CHARGE,
    MidtransClient,
    MidtransReply,
    parse_amount,
    parse_retry_after,
)

BASE = "https://api.sandbox.midtrans.com"
KEY = "SB-Mid-server-UNIT-TEST-abc123"
BASIC = "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
OID = "wrg-0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
IDEM = "5f0c1d2e-3f4a-4b5c-8d9e-0f1a2b3c4d5e"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as r:
        yield r


@pytest.fixture
def client() -> Iterator[MidtransClient]:
    c = MidtransClient(BASE, KEY, timeout=2.0)
    yield c
    c.close()


def charge(client: MidtransClient, method: str = "qris", amount: int = 20000) -> MidtransReply:
    return client.charge(order_id=OID, amount=amount, method=method, idempotency_key=IDEM)


def tx(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "status_code": "200", "status_message": "Success, transaction is found",
        "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a", "order_id": OID,
        "merchant_id": "G812785002", "gross_amount": "20000.00", "currency": "IDR",
        "payment_type": "qris", "transaction_time": "2016-06-19 15:02:22",
        "transaction_status": "settlement", "fraud_status": "accept",
    }
    base.update(fields)
    return base


# --- requests -----------------------------------------------------------------------


def test_charge_request_body_and_headers_exactly(router: respx.MockRouter,
                                                 client: MidtransClient) -> None:
    route = router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", transaction_status="pending")))
    charge(client, "va_bca", 20000)
    request = route.calls.last.request
    assert request.headers["Authorization"] == BASIC
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Idempotency-Key"] == IDEM
    body = json.loads(request.content)
    assert body == {
        "payment_type": "bank_transfer",
        "bank_transfer": {"bank": "bca"},
        "transaction_details": {"order_id": OID, "gross_amount": 20000},
    }
    assert type(body["transaction_details"]["gross_amount"]) is int
    assert b"20000.0" not in request.content  # never a decimal in a request


@pytest.mark.parametrize("method,parts", [
    ("qris", {"payment_type": "qris", "qris": {"acquirer": "gopay"}}),
    ("gopay", {"payment_type": "gopay"}),
    ("shopeepay", {"payment_type": "shopeepay"}),
    ("va_bca", {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bca"}}),
    ("va_bni", {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bni"}}),
    ("va_bri", {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bri"}}),
    ("va_permata", {"payment_type": "bank_transfer", "bank_transfer": {"bank": "permata"}}),
])
def test_method_table(router: respx.MockRouter, client: MidtransClient, method: str,
                      parts: dict[str, Any]) -> None:
    assert METHOD_TO_CHARGE[method] == parts
    route = router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", transaction_status="pending")))
    charge(client, method)
    body = json.loads(route.calls.last.request.content)
    assert {k: v for k, v in body.items() if k != "transaction_details"} == parts
    assert METHOD_TO_CHARGE[method] == parts  # the shared table was not mutated


def test_custom_expiry_in_minutes_without_a_till_clock(router: respx.MockRouter,
                                                       client: MidtransClient) -> None:
    route = router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", transaction_status="pending")))
    client.charge(order_id=OID, amount=5000, method="qris", idempotency_key=IDEM,
                  expiry_minutes=15)
    body = json.loads(route.calls.last.request.content)
    assert body["custom_expiry"] == {"expiry_duration": 15, "unit": "minute"}


@pytest.mark.parametrize("kwargs", [
    {"order_id": "x" * 51},
    {"order_id": "order/1"},
    {"order_id": "order 1"},
    {"order_id": ".."},
    {"order_id": ""},
    {"amount": 0},
    {"amount": -5},
    {"amount": True},
    {"amount": 20000.0},
    {"method": "bitcoin"},
    {"idempotency_key": "k" * 47},  # Midtrans would silently ignore it
    {"idempotency_key": ""},
    {"expiry_minutes": 0},
])
def test_bad_input_is_rejected_without_sending(router: respx.MockRouter, client: MidtransClient,
                                               kwargs: dict[str, Any]) -> None:
    route = router.route().mock(return_value=httpx.Response(200, json=tx()))
    args: dict[str, Any] = {"order_id": OID, "amount": 20000, "method": "qris",
                            "idempotency_key": IDEM}
    args.update(kwargs)
    reply = client.charge(**args)
    assert reply.outcome == "rejected" and reply.sent is False and reply.http_status is None
    assert not route.called


def test_order_id_of_fifty_allowed_symbols_is_sent(router: respx.MockRouter,
                                                   client: MidtransClient) -> None:
    oid = ("Ab9-_~." * 8)[:50]
    route = router.get(f"/v2/{oid}/status").mock(return_value=httpx.Response(200, json=tx()))
    assert client.status(oid).outcome == "ok"
    assert route.called


def test_status_is_a_get_with_auth_and_no_idempotency_key(router: respx.MockRouter,
                                                          client: MidtransClient) -> None:
    route = router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(200, json=tx()))
    client.status(OID)
    request = route.calls.last.request
    assert request.method == "GET"
    assert request.headers["Authorization"] == BASIC
    assert "Idempotency-Key" not in request.headers


def test_refund_request_body(router: respx.MockRouter, client: MidtransClient) -> None:
    route = router.post(f"/v2/{OID}/refund").mock(return_value=httpx.Response(200, json=tx(
        transaction_status="partial_refund", refund_amount="5000.00", refund_key="rk-1")))
    client.refund(OID, refund_key="rk-1", amount=5000, reason="barang rusak")
    request = route.calls.last.request
    assert json.loads(request.content) == {"refund_key": "rk-1", "amount": 5000,
                                           "reason": "barang rusak"}
    assert request.headers["Authorization"] == BASIC


@pytest.mark.parametrize("kwargs", [{"refund_key": "bad key!"}, {"refund_key": ""},
                                    {"amount": 0}])
def test_bad_refund_input_not_sent(router: respx.MockRouter, client: MidtransClient,
                                   kwargs: dict[str, Any]) -> None:
    route = router.route().mock(return_value=httpx.Response(200, json=tx()))
    args: dict[str, Any] = {"refund_key": "rk-1"}
    args.update(kwargs)
    reply = client.refund(OID, **args)
    assert (reply.outcome, reply.sent) == ("rejected", False)
    assert not route.called


# --- charge successes, one per payment type -------------------------------------------


def test_charge_bca_va(router: respx.MockRouter, client: MidtransClient) -> None:
    # The Midtrans doc example as reproduced in client tests.
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json={
        "status_code": "201", "status_message": "Success, Bank Transfer transaction is created",
        "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a", "order_id": "1466323342",
        "merchant_id": "G812785002", "gross_amount": "20000.00", "currency": "IDR",
        "payment_type": "bank_transfer", "transaction_time": "2016-06-19 15:02:22",
        "transaction_status": "pending", "va_numbers": [{"bank": "bca",
                                                          "va_number": "91019021579"}],
        "fraud_status": "accept"}))
    reply = charge(client, "va_bca")
    assert reply.outcome == "ok" and reply.sent and reply.http_status == 200
    assert reply.status_code == "201" and reply.transaction_status == "pending"
    assert (reply.va_bank, reply.va_number) == ("bca", "91019021579")
    assert reply.gross_amount == 20000 and type(reply.gross_amount) is int
    assert reply.order_id == "1466323342"
    assert reply.transaction_id == "9aed5972-5b6a-401e-894b-a32c91ed1a3a"
    assert not reply.paid and not reply.ended
    assert reply.body["va_numbers"][0]["bank"] == "bca"
    json.dumps(reply.body)  # storable on the job row as it is


@pytest.mark.parametrize("bank", ["bni", "bri"])
def test_charge_bni_bri_va(router: respx.MockRouter, client: MidtransClient, bank: str) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", transaction_status="pending", payment_type="bank_transfer",
        va_numbers=[{"bank": bank, "va_number": "8578000000111111"}])))
    reply = charge(client, f"va_{bank}")
    assert (reply.outcome, reply.va_bank, reply.va_number) == ("ok", bank, "8578000000111111")


def test_charge_permata_uses_its_own_top_level_field(router: respx.MockRouter,
                                                     client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", transaction_status="pending", payment_type="bank_transfer",
        permata_va_number="263001122334", expiry_time="2016-06-20 15:02:22")))
    reply = charge(client, "va_permata")
    assert (reply.outcome, reply.va_bank, reply.va_number) == ("ok", "permata", "263001122334")
    assert reply.expiry_time == "2016-06-20 15:02:22"


def test_charge_qris(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", status_message="QRIS transaction is created",
        transaction_status="pending", acquirer="gopay",
        qr_string="00020101021226620014COM.GO-JEK.WWW6304ABCD",
        actions=[{"name": "generate-qr-code", "method": "GET",
                  "url": "https://api.sandbox.midtrans.com/v2/qris/abc/qr-code"}])))
    reply = charge(client, "qris")
    assert reply.outcome == "ok"
    assert reply.qr_string == "00020101021226620014COM.GO-JEK.WWW6304ABCD"
    assert reply.qr_url == "https://api.sandbox.midtrans.com/v2/qris/abc/qr-code"
    assert reply.deeplink_url is None and reply.message == "QRIS transaction is created"


def test_charge_gopay_actions(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", status_message="GoPay transaction is created",
        transaction_status="pending", payment_type="gopay", actions=[
            {"name": "generate-qr-code", "method": "GET", "url": "https://x/qr"},
            {"name": "deeplink-redirect", "method": "GET", "url": "gojek://gopay/x"},
            {"name": "get-status", "method": "GET", "url": "https://x/status"},
            {"name": "cancel", "method": "POST", "url": "https://x/cancel"},
        ])))
    reply = charge(client, "gopay")
    assert (reply.qr_url, reply.deeplink_url) == ("https://x/qr", "gojek://gopay/x")
    assert reply.message == "GoPay transaction is created"


def test_charge_shopeepay(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="201", transaction_status="pending", payment_type="shopeepay",
        channel_response_code="0", channel_response_message="success",
        actions=[{"name": "deeplink-redirect", "method": "GET", "url": "https://sp/deep"}])))
    reply = charge(client, "shopeepay")
    assert reply.outcome == "ok" and reply.deeplink_url == "https://sp/deep"
    assert reply.body["channel_response_code"] == "0"


def test_charge_denied_body_202_is_a_final_answer(router: respx.MockRouter,
                                                  client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json=tx(
        status_code="202", transaction_status="deny", fraud_status="deny")))
    reply = charge(client)
    assert reply.outcome == "ok" and reply.ended and not reply.paid


# --- business errors inside HTTP 200 ----------------------------------------------------


def test_duplicate_order_id_406_in_http_200_means_exists(router: respx.MockRouter,
                                                         client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json={
        "status_code": "406", "id": "7a1b", "status_message":
        "The request could not be completed due to a conflict with the current state of the "
        "target resource, order_id has been paid and utilized, please use another order ID"}))
    reply = charge(client)
    assert reply.outcome == "exists" and reply.http_status == 200 and reply.status_code == "406"
    assert "order_id has been paid" in reply.message


def test_duplicate_order_id_406_as_http_406_too(router: respx.MockRouter,
                                                client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(406, json={
        "status_code": "406", "status_message": "order_id has been paid and utilized"}))
    assert charge(client).outcome == "exists"


@pytest.mark.parametrize("code", ["400", "401", "402", "405", "408", "411", "412", "413", "414"])
def test_rejections_in_http_200(router: respx.MockRouter, client: MidtransClient,
                                code: str) -> None:
    router.post(f"/v2/{OID}/cancel").mock(return_value=httpx.Response(200, json={
        "status_code": code, "status_message": "Merchant cannot modify the status"}))
    reply = client.cancel(OID)
    assert (reply.outcome, reply.status_code, reply.sent) == ("rejected", code, True)
    assert reply.message == "Merchant cannot modify the status"


def test_cancel_success(router: respx.MockRouter, client: MidtransClient) -> None:
    route = router.post(f"/v2/{OID}/cancel").mock(return_value=httpx.Response(200, json=tx(
        status_message="Success, transaction is canceled", transaction_status="cancel")))
    reply = client.cancel(OID)
    assert reply.outcome == "ok" and reply.ended and reply.transaction_status == "cancel"
    assert route.calls.last.request.headers["Authorization"] == BASIC


def test_expire_success_is_body_407(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post(f"/v2/{OID}/expire").mock(return_value=httpx.Response(200, json=tx(
        status_code="407", status_message="Success, transaction has expired",
        transaction_status="expire")))
    reply = client.expire(OID)
    assert (reply.outcome, reply.status_code, reply.ended) == ("ok", "407", True)


def test_http_401_bad_key(router: respx.MockRouter, client: MidtransClient) -> None:
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(401, json={
        "status_code": "401", "status_message": "Access denied due to unauthorized "
        "transaction, please check client or server key", "id": "x"}))
    reply = client.status(OID)
    assert (reply.outcome, reply.http_status, reply.status_code) == ("rejected", 401, "401")


def test_status_404(router: respx.MockRouter, client: MidtransClient) -> None:
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(404, json={
        "status_code": "404", "status_message": "Transaction doesn't exist.", "id": "x"}))
    reply = client.status(OID)
    assert (reply.outcome, reply.status_code) == ("not_found", "404")


def test_bare_404_without_midtrans_body_is_not_not_found(router: respx.MockRouter,
                                                         client: MidtransClient) -> None:
    # A wrong base URL must never read as "this order does not exist".
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(
        404, text="<html>Not Found</html>"))
    assert client.status(OID).outcome == "rejected"


# --- transient failures -------------------------------------------------------------------


def test_429_without_retry_after(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(429, json={
        "status_code": "429", "status_message": "Too many requests"}))
    reply = charge(client)
    assert (reply.outcome, reply.status_code, reply.retry_after) == ("retry", "429", None)


def test_429_with_retry_after_seconds(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(429, headers={"Retry-After": "7"},
                                                               json={"status_code": "429"}))
    reply = charge(client)
    assert (reply.outcome, reply.retry_after) == ("retry", 7.0)


def test_429_in_http_200_body_is_still_retry(router: respx.MockRouter,
                                             client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, json={"status_code": "429"}))
    assert charge(client).outcome == "retry"


def test_retry_after_http_date(router: respx.MockRouter, client: MidtransClient) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    router.post("/v2/charge").mock(return_value=httpx.Response(
        503, headers={"Retry-After": when}, json={"status_code": "503"}))
    reply = charge(client)
    assert reply.outcome == "retry"
    assert reply.retry_after is not None and 25 <= reply.retry_after <= 31


def test_parse_retry_after_edges() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("nan") is None
    past = email.utils.formatdate(1000.0, usegmt=True)
    assert parse_retry_after(past) == 0.0


@pytest.mark.parametrize("http,code", [(500, "500"), (503, "503"), (500, "900"),
                                       (200, "900"), (200, "503"), (502, "502"), (504, "504")])
def test_server_errors_retry(router: respx.MockRouter, client: MidtransClient, http: int,
                             code: str) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(http, json={
        "status_code": code, "status_message": "GENERIC_SERVICE_ERROR"}))
    reply = charge(client)
    assert (reply.outcome, reply.status_code, reply.sent) == ("retry", code, True)


def test_http_502_html_body(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(
        502, text="<html><body><h1>502 Bad Gateway</h1></body></html>",
        headers={"Content-Type": "text/html"}))
    reply = charge(client)
    assert (reply.outcome, reply.http_status, reply.status_code) == ("retry", 502, None)
    assert reply.body == {} and "502" in reply.message


def test_http_202_idempotency_in_progress(router: respx.MockRouter,
                                          client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(202, json={
        "status_message": "request is still being processed"}))
    assert charge(client).outcome == "retry"


def test_http_202_in_progress_with_a_202_body_code(router: respx.MockRouter,
                                                   client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(202, json={"status_code": "202"}))
    assert charge(client).outcome == "retry"


def test_http_202_empty_body(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(202))
    assert charge(client).outcome == "retry"


def test_garbage_200_is_unknown(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post("/v2/charge").mock(return_value=httpx.Response(200, text="{truncated"))
    reply = charge(client)
    assert (reply.outcome, reply.sent) == ("unknown", True)


# --- transport errors ---------------------------------------------------------------------


@pytest.mark.parametrize("exc", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_not_sent_errors_retry(router: respx.MockRouter, client: MidtransClient,
                               exc: type[Exception]) -> None:
    router.post("/v2/charge").mock(side_effect=exc)
    reply = charge(client)
    assert (reply.outcome, reply.sent, reply.http_status) == ("retry", False, None)


@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.WriteTimeout,
                                 httpx.RemoteProtocolError, httpx.ReadError,
                                 httpx.WriteError, httpx.DecodingError])
def test_maybe_sent_errors_are_unknown(router: respx.MockRouter, client: MidtransClient,
                                       exc: type[Exception]) -> None:
    router.post("/v2/charge").mock(side_effect=exc)
    reply = charge(client)
    assert (reply.outcome, reply.sent) == ("unknown", True)
    assert reply.message.startswith(exc.__name__)


def test_connect_error_for_status_too(router: respx.MockRouter, client: MidtransClient) -> None:
    router.get(f"/v2/{OID}/status").mock(side_effect=httpx.ConnectError("offline"))
    reply = client.status(OID)
    assert (reply.outcome, reply.sent) == ("retry", False)


def test_bad_base_url_is_a_value_not_an_exception() -> None:
    with MidtransClient("ftp://example.invalid", KEY) as c:
        reply = c.status(OID)
    assert (reply.outcome, reply.sent) == ("rejected", False)


# --- status shapes ------------------------------------------------------------------------


@pytest.mark.parametrize("fields,paid,ended", [
    ({"transaction_status": "settlement", "settlement_time": "2016-06-19 15:05:00"}, True, False),
    ({"transaction_status": "capture", "fraud_status": "accept",
      "payment_type": "credit_card"}, True, False),
    ({"transaction_status": "capture", "fraud_status": "deny"}, False, False),
    ({"transaction_status": "capture", "fraud_status": None}, False, False),
    ({"status_code": "201", "transaction_status": "pending"}, False, False),
    ({"status_code": "407", "transaction_status": "expire"}, False, True),
    ({"transaction_status": "cancel"}, False, True),
    ({"status_code": "202", "transaction_status": "deny", "fraud_status": "deny"}, False, True),
    ({"status_code": "202", "transaction_status": "failure"}, False, True),
    ({"transaction_status": "refund", "refund_amount": "20000.00"}, False, False),
    ({"transaction_status": "partial_refund", "refund_amount": "5000.00"}, False, False),
])
def test_status_shapes(router: respx.MockRouter, client: MidtransClient,
                       fields: dict[str, Any], paid: bool, ended: bool) -> None:
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(200, json=tx(**fields)))
    reply = client.status(OID)
    assert reply.outcome == "ok"
    assert (reply.paid, reply.ended) == (paid, ended)
    assert reply.transaction_status == fields["transaction_status"]
    assert reply.gross_amount == 20000


def test_status_refund_fields(router: respx.MockRouter, client: MidtransClient) -> None:
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(200, json=tx(
        transaction_status="partial_refund", refund_amount="7500.00", refunds=[
            {"refund_chargeback_id": 1, "refund_amount": "5000.00", "refund_key": "a"},
            {"refund_chargeback_id": 2, "refund_amount": "2500.00", "refund_key": "b"}])))
    reply = client.status(OID)
    assert reply.refund_amount == 7500 and len(reply.body["refunds"]) == 2


def test_status_permata(router: respx.MockRouter, client: MidtransClient) -> None:
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(200, json=tx(
        payment_type="bank_transfer", permata_va_number="263001122334")))
    reply = client.status(OID)
    assert (reply.va_bank, reply.va_number) == ("permata", "263001122334")


def test_unsafe_fraction_in_amount_is_not_trusted(router: respx.MockRouter,
                                                  client: MidtransClient) -> None:
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(200, json=tx(
        gross_amount="20000.50")))
    reply = client.status(OID)
    assert reply.outcome == "rejected" and reply.gross_amount is None


@pytest.mark.parametrize("text,value", [
    ("20000.00", 20000), ("20000", 20000), ("20000.0", 20000), ("0.00", 0), (20000, 20000),
    ("154600.00", 154600), ("20000.50", None), ("20000.001", None), ("2e4", None),
    ("-5.00", None), ("", None), (None, None), (20000.0, None), (True, None),
    ("99999999999999.00", 99999999999999),
])
def test_parse_amount(text: Any, value: int | None) -> None:
    assert parse_amount(text) == value


# --- refunds -----------------------------------------------------------------------------


def test_refund_success(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post(f"/v2/{OID}/refund").mock(return_value=httpx.Response(200, json=tx(
        status_message="Success, refund request is approved", transaction_status="refund",
        refund_chargeback_id=1, refund_amount="20000.00", refund_key="rk-9")))
    reply = client.refund(OID, refund_key="rk-9")
    assert (reply.outcome, reply.transaction_status, reply.refund_amount) == (
        "ok", "refund", 20000)


def test_refund_duplicate_key_406(router: respx.MockRouter, client: MidtransClient) -> None:
    router.post(f"/v2/{OID}/refund").mock(return_value=httpx.Response(200, json={
        "status_code": "406", "status_message": "Duplicate refund ID"}))
    reply = client.refund(OID, refund_key="rk-9", amount=100)
    assert (reply.outcome, reply.message) == ("exists", "Duplicate refund ID")


@pytest.mark.parametrize("code", ["412", "414"])
def test_refund_refused(router: respx.MockRouter, client: MidtransClient, code: str) -> None:
    router.post(f"/v2/{OID}/refund").mock(return_value=httpx.Response(200, json={
        "status_code": code, "status_message": "Transaction status cannot be updated"}))
    assert client.refund(OID, refund_key="rk-9").outcome == "rejected"


def test_direct_refund_bank_rejection_202_is_rejected(router: respx.MockRouter,
                                                      client: MidtransClient) -> None:
    router.post(f"/v2/{OID}/refund").mock(return_value=httpx.Response(200, json=tx(
        status_code="202", transaction_status="settlement", refund_amount="0.00")))
    reply = client.refund(OID, refund_key="rk-9")
    assert reply.outcome == "rejected" and reply.refund_amount == 0


# --- secrets ------------------------------------------------------------------------------


def test_key_never_in_logs_repr_or_messages(router: respx.MockRouter, client: MidtransClient,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # root: httpx's and httpcore's own loggers included
    router.post("/v2/charge").mock(side_effect=httpx.ConnectError(f"boom {KEY} {BASIC}"))
    router.get(f"/v2/{OID}/status").mock(return_value=httpx.Response(200, json=tx(
        status_message=f"echo {KEY}")))
    replies = [charge(client), client.status(OID)]
    token = BASIC.split()[1]
    text = caplog.text + repr(client) + "".join(r.message for r in replies)
    assert caplog.records  # something was logged, so the search means something
    assert KEY not in text and token not in text

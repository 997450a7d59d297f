"""respx unit tests of the Twilio client: providers.md sections 4 and 6."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from services.errors import Refused
from services.message_port import TextOut, TextSender
from sync.jobs.ratelimit import Limit, RateLimits
from sync.messaging import make_text_sender
from sync.messaging.twilio import TwilioClient

BASE = "https://tw.test"
SID = "AC" + "0" * 32
TOKEN = "unit-test-auth-token"
NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z
MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"
TO = "+6281234567890"
FROM = "+14155238886"
MSID = "SM" + "a" * 32


class Keys:
    def __init__(self, **values: str) -> None:
        self.values = values

    def get(self, name: str) -> str | None:
        return self.values.get(name)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as r:
        yield r


@pytest.fixture
def client() -> Iterator[TwilioClient]:
    c = TwilioClient(BASE, SID, TOKEN, timeout=2.0, clock=lambda: NOW)
    yield c
    c.close()


def text(**kw: Any) -> TextOut:
    fields: dict[str, Any] = {"message_id": "msg-1", "channel": "sms", "to": TO,
                              "sender": FROM, "body": "Struk Anda: Rp 20.000"}
    fields.update(kw)
    return TextOut(**fields)


def resource(**kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sid": MSID, "account_sid": SID, "messaging_service_sid": None, "from": FROM, "to": TO,
        "body": "Struk Anda: Rp 20.000", "status": "queued", "num_segments": "1",
        "num_media": "0", "direction": "outbound-api", "api_version": "2010-04-01",
        "price": None, "price_unit": "USD", "error_code": None, "error_message": None,
        "date_created": "Fri, 15 Jan 2027 08:00:05 +0000", "date_sent": None,
        "date_updated": "Fri, 15 Jan 2027 08:00:05 +0000",
        "uri": f"/2010-04-01/Accounts/{SID}/Messages/{MSID}.json",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{SID}/Messages/{MSID}/Media.json"},
    }
    body.update(kw)
    return body


def error(code: int, status: int, message: str) -> httpx.Response:
    return httpx.Response(status, json={
        "code": code, "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status})


def form_of(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


# --- send --------------------------------------------------------------------------------


def test_201_sms_request_form_and_delivery(router: respx.MockRouter,
                                           client: TwilioClient) -> None:
    route = router.post(MESSAGES).mock(return_value=httpx.Response(201, json=resource()))
    reply = client.send(text())
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(
        f"{SID}:{TOKEN}".encode()).decode()
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form_of(request) == {"To": TO, "From": FROM, "Body": "Struk Anda: Rp 20.000"}
    assert reply.outcome == "ok"
    (d,) = reply.deliveries
    assert (d.message_id, d.status, d.provider_message_id, d.provider_status) == (
        "msg-1", "queued", MSID, "queued")


def test_whatsapp_template_with_messaging_service_and_callback(
        router: respx.MockRouter, client: TwilioClient) -> None:
    route = router.post(MESSAGES).mock(return_value=httpx.Response(
        201, json=resource(status="accepted", messaging_service_sid="MG" + "1" * 32)))
    reply = client.send(text(channel="whatsapp", sender="MG" + "1" * 32, body=None,
                             content_sid="HX" + "2" * 32,
                             content_variables={"1": "Ana", "2": "R-0001"},
                             status_callback="https://hooks.test/twilio"))
    assert form_of(route.calls.last.request) == {
        "To": f"whatsapp:{TO}", "MessagingServiceSid": "MG" + "1" * 32,
        "ContentSid": "HX" + "2" * 32,
        "ContentVariables": json.dumps({"1": "Ana", "2": "R-0001"}, separators=(",", ":")),
        "StatusCallback": "https://hooks.test/twilio"}
    assert reply.outcome == "ok" and reply.deliveries[0].status == "queued"


def test_whatsapp_free_text_prefixes_both_numbers(router: respx.MockRouter,
                                                  client: TwilioClient) -> None:
    route = router.post(MESSAGES).mock(return_value=httpx.Response(201, json=resource()))
    client.send(text(channel="whatsapp"))
    form = form_of(route.calls.last.request)
    assert (form["To"], form["From"]) == (f"whatsapp:{TO}", f"whatsapp:{FROM}")


@pytest.mark.parametrize("twilio,ours", [
    ("queued", "queued"), ("accepted", "queued"), ("scheduled", "queued"),
    ("sending", "sent"), ("sent", "sent"), ("delivered", "delivered"), ("read", "read"),
    ("undelivered", "failed"), ("failed", "failed"), ("canceled", "rejected"),
    ("something-new", "unknown"),
])
def test_status_mapping(router: respx.MockRouter, client: TwilioClient, twilio: str,
                        ours: str) -> None:
    router.post(MESSAGES).mock(return_value=httpx.Response(201, json=resource(status=twilio)))
    d = client.send(text()).deliveries[0]
    assert (d.status, d.provider_status) == (ours, twilio)


@pytest.mark.parametrize("code,message", [
    (21211, f"The 'To' number {TO} is not a valid phone number."),
    (63016, "Failed to send freeform message because you are outside the allowed window."),
    (21610, "Attempt to send to unsubscribed recipient"),
])
def test_400_codes_are_rejected_with_the_code_and_no_number(
        router: respx.MockRouter, client: TwilioClient, code: int, message: str) -> None:
    router.post(MESSAGES).mock(return_value=error(code, 400, message))
    reply = client.send(text())
    assert reply.outcome == "rejected" and reply.error_code == str(code)
    assert reply.deliveries[0].status == "rejected"
    assert reply.deliveries[0].error_code == str(code)
    assert TO not in (reply.message or "") and "81234567890" not in (reply.message or "")
    assert not reply.credentials_refused


def test_401_credentials_refused(router: respx.MockRouter, client: TwilioClient) -> None:
    router.post(MESSAGES).mock(return_value=error(20003, 401, "Authenticate"))
    reply = client.send(text())
    assert reply.outcome == "rejected" and reply.credentials_refused
    assert reply.error_code == "20003"


def test_20429_is_retry_with_retry_after_and_holds_the_channel(
        router: respx.MockRouter) -> None:
    limits = RateLimits({"sms": Limit(rate=100.0), "whatsapp": Limit(rate=100.0)})
    c = TwilioClient(BASE, SID, TOKEN, clock=lambda: NOW, limits=limits, max_wait=0.2)
    route = router.post(MESSAGES).mock(side_effect=[
        httpx.Response(429, json={"code": 20429, "message": "Too Many Requests",
                                  "more_info": "", "status": 429},
                       headers={"Retry-After": "7"}),
        httpx.Response(201, json=resource())])
    reply = c.send(text())
    assert reply.outcome == "retry" and reply.error_code == "20429"
    assert reply.retry_after == 7.0
    assert c.send(text()).outcome == "retry"  # held: no request
    assert route.call_count == 1
    assert c.send(text(channel="whatsapp")).outcome == "ok"  # the other channel is free
    c.close()


def test_20429_code_on_another_status_is_still_retry(router: respx.MockRouter,
                                                     client: TwilioClient) -> None:
    router.post(MESSAGES).mock(return_value=error(20429, 400, "Too Many Requests"))
    assert client.send(text()).outcome == "retry"


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_unknown(router: respx.MockRouter, client: TwilioClient, status: int) -> None:
    router.post(MESSAGES).mock(return_value=error(20500, status, "Internal Server Error"))
    reply = client.send(text())
    assert reply.outcome == "unknown"
    assert reply.deliveries[0].status == "unknown"


def test_timeout_is_unknown_and_connect_error_retry(router: respx.MockRouter,
                                                    client: TwilioClient) -> None:
    route = router.post(MESSAGES)
    route.mock(side_effect=httpx.ReadTimeout("timed out"))
    assert client.send(text()).outcome == "unknown"
    route.mock(side_effect=httpx.ConnectError("refused"))
    assert client.send(text()).outcome == "retry"


def test_201_without_a_readable_body_is_unknown(router: respx.MockRouter,
                                                client: TwilioClient) -> None:
    router.post(MESSAGES).mock(return_value=httpx.Response(201, text="<html>"))
    assert client.send(text()).outcome == "unknown"


@pytest.mark.parametrize("to", ["+62215551234",  # a Jakarta landline
                                "081234567890",  # not E.164
                                "+62 812 3456 7890",  # not as Twilio takes it
                                "+620812345678", "halo", ""])
def test_to_must_be_an_e164_mobile_number_before_any_http(
        router: respx.MockRouter, client: TwilioClient, to: str) -> None:
    route = router.post(MESSAGES).mock(return_value=httpx.Response(201, json=resource()))
    reply = client.send(text(to=to))
    assert (reply.outcome, reply.error_code) == ("rejected", "to")
    assert route.call_count == 0


@pytest.mark.parametrize("kw,field", [({"channel": "fax"}, "channel"),
                                      ({"sender": ""}, "sender"),
                                      ({"body": None}, "body"),
                                      ({"body": "x" * 1601}, "body")])
def test_own_checks(router: respx.MockRouter, client: TwilioClient, kw: dict[str, Any],
                    field: str) -> None:
    route = router.post(MESSAGES).mock(return_value=httpx.Response(201, json=resource()))
    reply = client.send(text(**kw))
    assert (reply.outcome, reply.error_code) == ("rejected", field)
    assert route.call_count == 0


# --- fetch -------------------------------------------------------------------------------


def test_fetch_gives_the_current_status(router: respx.MockRouter, client: TwilioClient) -> None:
    router.get(f"/2010-04-01/Accounts/{SID}/Messages/{MSID}.json").mock(
        return_value=httpx.Response(200, json=resource(status="delivered")))
    reply = client.fetch(MSID)
    assert reply.outcome == "ok"
    assert (reply.deliveries[0].status, reply.deliveries[0].provider_message_id) == (
        "delivered", MSID)
    assert client.fetch(MSID, message_id="msg-1").deliveries[0].message_id == "msg-1"


def test_fetch_failures(router: respx.MockRouter, client: TwilioClient) -> None:
    route = router.get(f"/2010-04-01/Accounts/{SID}/Messages/{MSID}.json")
    route.mock(return_value=error(20404, 404, "The requested resource was not found"))
    assert (client.fetch(MSID).outcome, client.fetch(MSID).error_code) == ("rejected", "20404")
    route.mock(side_effect=httpx.ReadTimeout("timed out"))
    assert client.fetch(MSID).outcome == "retry"  # a read: safe to repeat
    route.mock(return_value=error(20500, 500, "Internal Server Error"))
    assert client.fetch(MSID).outcome == "retry"
    assert client.fetch("../x").outcome == "rejected"


# --- find_sent ---------------------------------------------------------------------------

SINCE = "2027-01-15T08:00:00.123456+00:00"


def listing(*messages: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json={"messages": list(messages), "page": 0, "page_size": 50,
                                     "next_page_uri": None})


def test_find_sent_query_and_body_match(router: respx.MockRouter, client: TwilioClient) -> None:
    route = router.get(MESSAGES).mock(return_value=listing(
        resource(sid="SM1", body="another text"),
        resource(sid="SM2", direction="inbound", to=FROM, **{"from": TO}),
        resource(sid="SM3", date_created="Fri, 15 Jan 2027 07:00:00 +0000"),  # long before
        resource(sid="SM4", status="sent"),
    ))
    reply = client.find_sent(text(), SINCE)
    params = route.calls.last.request.url.params
    assert dict(params) == {"To": TO, "From": FROM, "DateSent>": "2027-01-15",
                            "PageSize": "50"}
    assert "DateSent%3E=2027-01-15" in str(route.calls.last.request.url)
    assert reply.outcome == "ok"
    (d,) = reply.deliveries
    assert (d.message_id, d.provider_message_id, d.status) == ("msg-1", "SM4", "sent")
    assert route.call_count == 1


def test_find_sent_allows_the_tills_clock_to_run_ahead(router: respx.MockRouter) -> None:
    c = TwilioClient(BASE, SID, TOKEN, clock=lambda: NOW, clock_skew=60.0)
    router.get(MESSAGES).mock(return_value=listing(
        resource(date_created="Fri, 15 Jan 2027 07:59:30 +0000")))
    assert len(c.find_sent(text(), SINCE).deliveries) == 1
    assert c.find_sent(text(), "2027-01-15T08:01:00Z").deliveries == ()
    c.close()


def test_find_sent_reads_an_undated_page_for_a_still_queued_message(
        router: respx.MockRouter, client: TwilioClient) -> None:
    route = router.get(MESSAGES).mock(side_effect=[
        listing(), listing(resource(sid="SMQ", to=f"whatsapp:{TO}",
                                    **{"from": f"whatsapp:{FROM}"}))])
    reply = client.find_sent(text(channel="whatsapp"), SINCE)
    assert reply.deliveries[0].provider_message_id == "SMQ"
    first, second = (c.request.url.params for c in route.calls)
    assert first["To"] == f"whatsapp:{TO}" and first["From"] == f"whatsapp:{FROM}"
    assert "DateSent>" in first and "DateSent>" not in second


def test_find_sent_nothing_means_not_sent(router: respx.MockRouter,
                                          client: TwilioClient) -> None:
    router.get(MESSAGES).mock(return_value=listing(resource(body="Struk Anda: Rp 21.000")))
    reply = client.find_sent(text(), SINCE)
    assert reply.outcome == "ok" and reply.deliveries == ()


def test_find_sent_template_matches_on_its_variables_in_the_rendered_body(
        router: respx.MockRouter, client: TwilioClient) -> None:
    mg = "MG" + "1" * 32
    route = router.get(MESSAGES).mock(return_value=listing(
        resource(sid="SMA", messaging_service_sid=mg, to=f"whatsapp:{TO}",
                 body="Halo Ana, pesanan R-0002 sudah dikirim"),
        resource(sid="SMB", messaging_service_sid=mg, to=f"whatsapp:{TO}",
                 body="Halo Ana, pesanan R-0001 sudah dikirim"),
    ))
    reply = client.find_sent(text(channel="whatsapp", sender=mg, body=None,
                                  content_sid="HX" + "2" * 32,
                                  content_variables={"1": "Ana", "2": "R-0001"}), SINCE)
    assert reply.deliveries[0].provider_message_id == "SMB"
    assert "From" not in route.calls.last.request.url.params


def test_find_sent_failures(router: respx.MockRouter, client: TwilioClient) -> None:
    route = router.get(MESSAGES)
    route.mock(return_value=error(20500, 500, "Internal Server Error"))
    assert client.find_sent(text(), SINCE).outcome == "retry"
    route.mock(side_effect=httpx.ConnectError("refused"))
    assert client.find_sent(text(), SINCE).outcome == "retry"
    route.mock(return_value=error(20003, 401, "Authenticate"))
    assert client.find_sent(text(), SINCE).credentials_refused
    assert client.find_sent(text(), "yesterday").error_code == "since_iso"


# --- wiring ------------------------------------------------------------------------------


def test_is_a_text_sender_and_the_factory_reads_settings_and_secrets() -> None:
    settings = {"messaging.twilio.base_url": BASE, "messaging.twilio.account_sid": SID}
    sender: TextSender = make_text_sender(settings, Keys(**{"twilio-auth-token": TOKEN}))
    assert sender.name == "twilio" and TOKEN not in repr(sender)
    sender.close()
    with pytest.raises(Refused) as caught:
        make_text_sender({}, Keys(**{"twilio-auth-token": TOKEN}))
    assert caught.value.field == "messaging.twilio.account_sid"
    with pytest.raises(Refused) as caught:
        make_text_sender(settings, Keys())
    assert caught.value.field == "twilio-auth-token"

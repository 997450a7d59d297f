"""The Twilio simulator: the official twilio library against it, shapes, WhatsApp, faults.

The official client is pointed here the supported way, without patching it: the API domain's
own ``base_url`` attribute, ``client.api.base_url = sim.base_url`` (twilio-python builds every
Messages URL from ``Domain.base_url``; with no edge/region set ``get_hostname`` keeps it), and
the library's own ``TwilioHttpClient(timeout=...)`` as ``http_client``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.sync.simulators_messaging.shared import HTTP
import pytest
import requests
from twilio.base.exceptions import TwilioRestException  # type: ignore[import-untyped]
from twilio.http.http_client import TwilioHttpClient  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from sync.simulators.twilio import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    TwilioSimulator,
    rfc2822,
    segments,
    template_sid,
)

T0 = 1_800_000_000.0  # Fri, 15 Jan 2027 08:00:00 UTC
SHOP_SMS = "+15005550006"
SHOP_WA = "whatsapp:+14155238886"
CUSTOMER = "+6281234567890"
CUSTOMER_WA = "whatsapp:" + CUSTOMER
AUTH = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
RECEIPT = template_sid("receipt.id")


@pytest.fixture
def sim() -> Iterator[TwilioSimulator]:
    with TwilioSimulator(seed=5, clock=lambda: T0) as s:
        yield s


def official(sim: TwilioSimulator, timeout: float = 2.0) -> Client:
    client = Client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN,
                    http_client=TwilioHttpClient(timeout=timeout))
    client.api.base_url = sim.base_url  # the supported switch: the API domain's base URL
    return client


def messages_url(sim: TwilioSimulator) -> str:
    return f"{sim.base_url}/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages.json"


def create(sim: TwilioSimulator, auth: tuple[str, str] = AUTH, timeout: float = 2.0,
           **form: Any) -> httpx.Response:
    return HTTP.post(messages_url(sim), data=form, auth=auth, timeout=timeout)


def test_official_library_sms_create_fetch_list(sim: TwilioSimulator) -> None:
    client = official(sim)
    message = client.messages.create(to=CUSTOMER, from_=SHOP_SMS, body="Struk R-1: Rp 10.000")
    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.num_segments, message.direction) == (
        "queued", "1", "outbound-api")
    assert message.price is None and message.error_code is None
    assert message.date_created == datetime.fromtimestamp(T0, UTC)
    sim.advance(2.0)
    fetched = client.messages(message.sid).fetch()
    assert fetched.status == "delivered" and fetched.date_sent is not None
    assert fetched.price is not None and fetched.price_unit == "USD"
    other = client.messages.create(to="+6281298765432", from_=SHOP_SMS, body="lain")
    listed = client.messages.list(to=CUSTOMER)
    assert [m.sid for m in listed] == [message.sid]
    assert {m.sid for m in client.messages.list()} == {message.sid, other.sid}
    with pytest.raises(TwilioRestException) as missing:
        client.messages("SM" + "0" * 32).fetch()
    assert (missing.value.status, missing.value.code) == (404, 20404)


def test_official_library_whatsapp_template_and_window(sim: TwilioSimulator) -> None:
    client = official(sim)
    template = client.messages.create(
        to=CUSTOMER_WA, from_=SHOP_WA, content_sid=RECEIPT,
        content_variables=json.dumps({"1": "Toko Sejahtera", "2": "R-7", "3": "Rp 25.000"}))
    assert template.body == "Terima kasih telah berbelanja di Toko Sejahtera. Struk R-7: Rp 25.000"
    free = client.messages.create(to=CUSTOMER_WA, from_=SHOP_WA, body="Halo kak")
    assert free.status == "queued"  # accepted: the window is checked on the way out
    sim.advance(10.0)
    assert client.messages(template.sid).fetch().status in ("delivered", "read")
    failed = client.messages(free.sid).fetch()
    assert (failed.status, failed.error_code) == ("failed", 63016)
    assert failed.error_message and "outside the allowed window" in failed.error_message
    # The customer writes to the shop: free text is allowed for 24 hours.
    HTTP.post(f"{sim.base_url}/_sim/inbound", json={"from": CUSTOMER_WA, "to": SHOP_WA})
    reply = client.messages.create(to=CUSTOMER_WA, from_=SHOP_WA, body="Siap kak")
    sim.advance(3.0)
    assert client.messages(reply.sid).fetch().status in ("delivered", "read")
    sim.advance(24 * 3600.0)
    late = client.messages.create(to=CUSTOMER_WA, from_=SHOP_WA, body="Masih ada?")
    sim.advance(1.0)
    assert client.messages(late.sid).fetch().error_code == 63016
    listed = client.messages.list(to=CUSTOMER_WA, page_size=2)
    assert [m.sid for m in listed] == [late.sid, reply.sid, free.sid, template.sid]


def test_official_library_lists_by_date_sent(sim: TwilioSimulator) -> None:
    client = official(sim)
    first = client.messages.create(to=CUSTOMER, from_=SHOP_SMS, body="satu")
    sim.advance(2 * 86400.0)
    second = client.messages.create(to=CUSTOMER, from_=SHOP_SMS, body="dua")
    sim.advance(5.0)
    day_two = datetime.fromtimestamp(T0 + 2 * 86400.0, UTC).replace(hour=0, minute=0)
    after = client.messages.list(to=CUSTOMER, date_sent_after=day_two)
    assert [m.sid for m in after] == [second.sid]
    before = client.messages.list(to=CUSTOMER, date_sent_before=day_two)
    assert [m.sid for m in before] == [first.sid]
    on_day = client.messages.list(date_sent=datetime.fromtimestamp(T0, UTC).date())
    assert [m.sid for m in on_day] == [first.sid]


def test_create_shape_is_twilios(sim: TwilioSimulator) -> None:
    response = create(sim, To=CUSTOMER, From=SHOP_SMS, Body="Halo")
    assert response.status_code == 201
    body = response.json()
    sid = body["sid"]
    uri = f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages/{sid}"
    assert body == {
        "account_sid": DEFAULT_ACCOUNT_SID, "api_version": "2010-04-01", "body": "Halo",
        "date_created": rfc2822(T0), "date_sent": None, "date_updated": rfc2822(T0),
        "direction": "outbound-api", "error_code": None, "error_message": None,
        "from": SHOP_SMS, "messaging_service_sid": None, "num_media": "0",
        "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid,
        "status": "queued", "subresource_uris": {"media": f"{uri}/Media.json",
                                                 "feedback": f"{uri}/Feedback.json"},
        "to": CUSTOMER, "uri": f"{uri}.json",
    }
    assert rfc2822(T0) == "Fri, 15 Jan 2027 08:00:00 +0000"


def test_messaging_service_starts_accepted_and_picks_a_sender(sim: TwilioSimulator) -> None:
    service = "MG" + "1" * 32
    body = create(sim, To=CUSTOMER, MessagingServiceSid=service, Body="Halo").json()
    assert (body["status"], body["from"], body["messaging_service_sid"]) == (
        "accepted", None, service)
    sim.advance(0.5)
    assert sim.message(body["sid"]) == {**body, "status": "queued", "from": SHOP_SMS,
                                        "date_updated": rfc2822(T0 + 0.5)}


def test_statuses_advance_and_undeliverable_numbers_fail(sim: TwilioSimulator) -> None:
    sim.set_undeliverable("+6281111111111")
    good = create(sim, To=CUSTOMER, From=SHOP_SMS, Body="a").json()["sid"]
    bad = create(sim, To="+6281111111111", From=SHOP_SMS, Body="b").json()["sid"]
    seen = []
    for _ in range(3):
        seen.append((sim.message(good) or {})["status"])
        sim.advance(1.0)
    assert seen == ["queued", "sent", "delivered"]
    final = sim.message(bad) or {}
    assert (final["status"], final["error_code"], final["error_message"]) == (
        "undelivered", 30003, "Unreachable destination handset")
    assert [e["status"] for e in sim.outbox()] == ["delivered", "undelivered"]


@pytest.mark.parametrize(("form", "code"), [
    ({"From": SHOP_SMS, "Body": "x"}, 21604),
    ({"To": "+620812345678", "From": SHOP_SMS, "Body": "x"}, 21211),
    ({"To": "08123456789", "From": SHOP_SMS, "Body": "x"}, 21211),
    ({"To": "+622150001000", "From": SHOP_SMS, "Body": "x"}, 21614),
    ({"To": CUSTOMER, "Body": "x"}, 21603),
    ({"To": CUSTOMER, "From": "not a number!", "Body": "x"}, 21212),
    ({"To": CUSTOMER, "From": SHOP_SMS}, 21602),
    ({"To": CUSTOMER, "From": SHOP_SMS, "Body": "x" * 1601}, 21617),
    ({"To": CUSTOMER_WA, "From": SHOP_SMS, "Body": "x"}, 21910),
    ({"To": CUSTOMER_WA, "From": SHOP_WA, "ContentSid": "HX" + "0" * 32}, 21655),
    ({"To": CUSTOMER_WA, "From": SHOP_WA, "ContentSid": RECEIPT,
      "ContentVariables": "{not json"}, 21656),
    ({"To": CUSTOMER, "MessagingServiceSid": "MG123", "Body": "x"}, 21701),
])
def test_validation_codes(sim: TwilioSimulator, form: dict[str, str], code: int) -> None:
    response = HTTP.post(messages_url(sim), data=form, auth=AUTH)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["status"] == 400 and body["message"]
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert sim.outbox() == []


def test_alphanumeric_sender_and_segments(sim: TwilioSimulator) -> None:
    body = create(sim, To=CUSTOMER, From="WARUNGIN", Body="x" * 161).json()
    assert body["num_segments"] == "2"
    assert segments("é" * 160) == 1 and segments("ü" * 161) == 2  # both GSM-7
    assert segments("Rp 10.000 ✓") == 1 and segments("✓" * 71) == 2  # UCS-2
    assert segments("{" * 80) == 1 and segments("{" * 81) == 2  # extension: 2 septets


def test_owned_senders_are_enforced() -> None:
    with TwilioSimulator(senders=[SHOP_SMS]) as sim:
        assert create(sim, To=CUSTOMER, From="+15005550007", Body="x").json()["code"] == 21606
        assert create(sim, To=CUSTOMER, From=SHOP_SMS, Body="x").status_code == 201


def test_bad_credentials_are_20003(sim: TwilioSimulator) -> None:
    response = create(sim, auth=(DEFAULT_ACCOUNT_SID, "wrong"), To=CUSTOMER, From=SHOP_SMS,
                      Body="x")
    assert response.status_code == 401
    assert response.json() == {
        "code": 20003, "message": "Authenticate", "detail":
        "Your AccountSid or AuthToken was incorrect.",
        "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}
    wrong_account = HTTP.get(messages_url(sim).replace(DEFAULT_ACCOUNT_SID, "AC" + "0" * 32),
                              auth=AUTH)
    assert wrong_account.status_code == 401
    with pytest.raises(TwilioRestException) as refused:
        client = Client(DEFAULT_ACCOUNT_SID, "wrong")
        client.api.base_url = sim.base_url
        client.messages.create(to=CUSTOMER, from_=SHOP_SMS, body="x")
    assert refused.value.code == 20003


def test_list_pages_like_twilio(sim: TwilioSimulator) -> None:
    sids = [create(sim, To=CUSTOMER, From=SHOP_SMS, Body=f"n{i}").json()["sid"]
            for i in range(5)]
    page = HTTP.get(messages_url(sim), params={"To": CUSTOMER, "PageSize": 2},
                     auth=AUTH).json()
    assert set(page) == {"end", "first_page_uri", "messages", "next_page_uri", "page",
                         "page_size", "previous_page_uri", "start", "uri"}
    assert [m["sid"] for m in page["messages"]] == sids[::-1][:2]
    assert (page["page"], page["page_size"], page["start"], page["end"]) == (0, 2, 0, 1)
    assert page["previous_page_uri"] is None
    assert page["next_page_uri"].startswith(
        f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages.json?To=%2B62")
    seen = list(page["messages"])
    while page["next_page_uri"]:
        page = HTTP.get(sim.base_url + page["next_page_uri"], auth=AUTH).json()
        seen += page["messages"]
    assert [m["sid"] for m in seen] == sids[::-1]
    assert page["page"] == 2 and page["previous_page_uri"]


def test_real_rate_limit_answers_20429(sim: TwilioSimulator) -> None:
    sim.set_rate_limit(1)
    assert create(sim, To=CUSTOMER, From=SHOP_SMS, Body="a").status_code == 201
    refused = create(sim, To=CUSTOMER, From=SHOP_SMS, Body="b")
    assert refused.status_code == 429
    assert refused.json()["code"] == 20429 and refused.json()["status"] == 429
    assert HTTP.get(messages_url(sim), auth=AUTH).status_code == 200  # another group
    with pytest.raises(TwilioRestException) as limited:
        official(sim).messages.create(to=CUSTOMER, from_=SHOP_SMS, body="c")
    assert (limited.value.status, limited.value.code) == (429, 20429)
    sim.advance(1.0)
    assert create(sim, To=CUSTOMER, From=SHOP_SMS, Body="d").status_code == 201
    assert [e["body"] for e in sim.outbox()] == ["a", "d"]


def test_timeout_after_accept_with_the_official_library(sim: TwilioSimulator) -> None:
    sim.set_faults(timeout_after_accept=1.0, hang_seconds=5.0)
    with pytest.raises(requests.exceptions.Timeout):
        official(sim, timeout=0.3).messages.create(
            to=CUSTOMER, from_=SHOP_SMS, body="Struk R-9",
            status_callback="https://example.test/hooks/twilio?message_id=msg-9")
    [entry] = sim.outbox()  # sent although the client never heard back
    assert sim.accepted("msg-9") == 1 and sim.accepted(entry["sid"]) == 1
    assert sim.fault_log()[0] | {"at": 0} == {
        "fault": "timeout_after_accept", "endpoint": "create", "ref": entry["sid"],
        "recorded": True, "at": 0}
    sim.set_faults()
    # What a careful client does next: look the message up instead of sending again.
    found = official(sim).messages.list(to=CUSTOMER, date_sent_after=datetime.fromtimestamp(
        T0 - 60, UTC))
    assert [m.sid for m in found] == [entry["sid"]]


def test_5xx_and_burst_faults_record_nothing(sim: TwilioSimulator) -> None:
    sim.set_faults(error_5xx=1.0)
    response = create(sim, To=CUSTOMER, From=SHOP_SMS, Body="x")
    assert response.status_code in (500, 503)
    assert response.json()["code"] in (20500, 20503)
    sim.set_faults(rate_limit=1.0, apply_to=("fetch",))
    sid = create(sim, To=CUSTOMER, From=SHOP_SMS, Body="y").json()["sid"]
    fetched = HTTP.get(messages_url(sim).replace(".json", f"/{sid}.json"), auth=AUTH)
    assert fetched.status_code == 429 and fetched.json()["code"] == 20429
    assert [e["body"] for e in sim.outbox()] == ["y"]


def test_seeded_faults_replay() -> None:
    def run() -> list[tuple[str, bool]]:
        with TwilioSimulator(seed=11) as sim:
            sim.set_faults(drop=0.3, error_5xx=0.3)
            for i in range(12):
                try:
                    create(sim, To=CUSTOMER, From=SHOP_SMS, Body=f"m{i}", timeout=1.0)
                except httpx.TransportError:
                    pass
            return [(f["fault"], f["recorded"]) for f in sim.fault_log()]

    first = run()
    assert first == run() and len(first) >= 3


def test_control_endpoints(sim: TwilioSimulator) -> None:
    base = sim.base_url
    sid = HTTP.post(f"{base}/_sim/templates", json={"body": "Halo {{1}}", "name": "hi"}
                     ).json()["content_sid"]
    assert sid == template_sid("hi") and sid in HTTP.get(f"{base}/_sim/templates"
                                                          ).json()["templates"]
    HTTP.post(f"{base}/_sim/undeliverable", json={"to": CUSTOMER_WA})
    msg = create(sim, To=CUSTOMER_WA, From=SHOP_WA, ContentSid=sid,
                 ContentVariables='{"1": "Budi"}').json()
    HTTP.post(f"{base}/_sim/advance", json={"seconds": 5})
    shown = HTTP.get(f"{base}/_sim/messages/{msg['sid']}").json()
    assert (shown["body"], shown["status"], shown["error_code"]) == (
        "Halo Budi", "undelivered", 30003)
    assert HTTP.get(f"{base}/_sim/outbox").json()["outbox"][0]["content_variables"] == {
        "1": "Budi"}
    assert HTTP.get(f"{base}/_sim/messages/SMnope").status_code == 404
    assert HTTP.post(f"{base}/_sim/inbound", json={"from": CUSTOMER}).status_code == 400

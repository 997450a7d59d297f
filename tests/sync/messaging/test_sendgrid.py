"""respx unit tests of the SendGrid client: every reply shape of providers.md section 3."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from services.errors import Refused
from services.message_port import Attachment, EmailOut, EmailRecipient, EmailSender
from sync.jobs.ratelimit import Limit, RateLimits
from sync.messaging import make_email_sender
from sync.messaging.sendgrid import SendGridClient

BASE = "https://sg.test"
KEY = "SG.unit-test-key-abc"
NOW = 1_800_000_000.0


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
def client() -> Iterator[SendGridClient]:
    c = SendGridClient(BASE, KEY, timeout=2.0, clock=lambda: NOW)
    yield c
    c.close()


def recipients(n: int) -> tuple[EmailRecipient, ...]:
    return tuple(EmailRecipient(message_id=f"msg-{i}", email=f"user{i}@example.com")
                 for i in range(n))


def mail(n: int = 1, **kw: Any) -> EmailOut:
    fields: dict[str, Any] = {"sender_email": "toko@warung.test", "sender_name": "Toko Ana",
                                 "subject": "Struk", "text": "Terima kasih",
                                 "recipients": recipients(n)}
    fields.update(kw)
    return EmailOut(**fields)


def test_202_request_body_and_every_recipient_queued_with_x_message_id(
        router: respx.MockRouter, client: SendGridClient) -> None:
    route = router.post("/v3/mail/send").mock(return_value=httpx.Response(
        202, headers={"X-Message-Id": "sgid-123"}))
    pdf = b"%PDF-1.4 receipt"
    out = mail(recipients=(
        EmailRecipient("m1", "a@example.com", name="Ana", subject="Struk #1",
                       substitutions={"-nama-": "Ana"}),
        EmailRecipient("m2", "b@example.com")),
        html="<p>Terima kasih</p>",
        attachments=(Attachment("struk.pdf", "application/pdf", pdf),),
        categories=("receipt",))
    reply = client.send(out)
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "personalizations": [
            {"to": [{"email": "a@example.com", "name": "Ana"}],
             "custom_args": {"message_id": "m1"}, "subject": "Struk #1",
             "substitutions": {"-nama-": "Ana"}},
            {"to": [{"email": "b@example.com"}], "custom_args": {"message_id": "m2"}},
        ],
        "from": {"email": "toko@warung.test", "name": "Toko Ana"},
        "subject": "Struk",
        "content": [{"type": "text/plain", "value": "Terima kasih"},
                    {"type": "text/html", "value": "<p>Terima kasih</p>"}],
        "attachments": [{"content": base64.b64encode(pdf).decode(), "filename": "struk.pdf",
                         "type": "application/pdf", "disposition": "attachment"}],
        "categories": ["receipt"],
    }
    assert reply.outcome == "ok"
    assert [(d.message_id, d.status, d.provider_message_id) for d in reply.deliveries] == [
        ("m1", "queued", "sgid-123"), ("m2", "queued", "sgid-123")]


def test_1000_recipients_go_in_one_request(router: respx.MockRouter,
                                           client: SendGridClient) -> None:
    route = router.post("/v3/mail/send").mock(return_value=httpx.Response(
        202, headers={"X-Message-Id": "x"}))
    reply = client.send(mail(1000))
    assert reply.outcome == "ok" and len(reply.deliveries) == 1000
    assert route.call_count == 1
    assert len(json.loads(route.calls.last.request.content)["personalizations"]) == 1000


def test_1001_recipients_are_refused_before_http(router: respx.MockRouter,
                                                 client: SendGridClient) -> None:
    route = router.post("/v3/mail/send").mock(return_value=httpx.Response(202))
    reply = client.send(mail(1001))
    assert reply.outcome == "rejected"
    assert reply.error_code == "recipients"
    assert reply.message is not None and reply.message.startswith("recipients:")
    assert len(reply.deliveries) == 1001
    assert {d.status for d in reply.deliveries} == {"rejected"}
    assert route.call_count == 0


@pytest.mark.parametrize("kw,field", [
    ({"recipients": ()}, "recipients"),
    ({"sender_email": " "}, "sender_email"),
    ({"subject": ""}, "subject"),
    ({"text": "", "html": None}, "text"),
])
def test_own_checks_name_the_field(router: respx.MockRouter, client: SendGridClient,
                                   kw: dict[str, Any], field: str) -> None:
    route = router.post("/v3/mail/send").mock(return_value=httpx.Response(202))
    reply = client.send(mail(**kw))
    assert (reply.outcome, reply.error_code) == ("rejected", field)
    assert route.call_count == 0


def test_400_rejected_with_fields_and_messages_without_addresses(
        router: respx.MockRouter, client: SendGridClient) -> None:
    router.post("/v3/mail/send").mock(return_value=httpx.Response(400, json={"errors": [
        {"message": "Does not contain a valid address: user0@example.com",
         "field": "personalizations.0.to.0.email", "help": "http://sendgrid.com/x"},
        {"message": "The from address does not match a verified Sender Identity.",
         "field": "from", "help": None}]}))
    reply = client.send(mail(1))
    assert reply.outcome == "rejected" and reply.error_code == "400"
    assert reply.message is not None
    assert "personalizations.0.to.0.email: Does not contain a valid address" in reply.message
    assert "from: The from address" in reply.message
    assert "user0@example.com" not in reply.message
    assert reply.deliveries[0].status == "rejected"
    assert not reply.credentials_refused


def test_413_rejected(router: respx.MockRouter, client: SendGridClient) -> None:
    router.post("/v3/mail/send").mock(return_value=httpx.Response(
        413, json={"errors": [{"message": "payload too large", "field": None}]}))
    reply = client.send(mail(1))
    assert (reply.outcome, reply.error_code) == ("rejected", "413")
    assert reply.message == "payload too large"


@pytest.mark.parametrize("status", [401, 403])
def test_401_403_credentials_refused(router: respx.MockRouter, client: SendGridClient,
                                     status: int) -> None:
    router.post("/v3/mail/send").mock(return_value=httpx.Response(
        status, json={"errors": [{"message": "The provided authorization grant is invalid",
                                  "field": None}]}))
    reply = client.send(mail(2))
    assert reply.outcome == "rejected" and reply.credentials_refused
    assert KEY not in (reply.message or "")


def test_429_waits_until_x_ratelimit_reset_and_holds_the_bucket(
        router: respx.MockRouter) -> None:
    limits = RateLimits({"mail": Limit(rate=100.0)})
    c = SendGridClient(BASE, KEY, clock=lambda: NOW, limits=limits, max_wait=0.5)
    route = router.post("/v3/mail/send").mock(return_value=httpx.Response(
        429, json={"errors": [{"field": None, "message": "too many requests"}]},
        headers={"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0",
                 "X-RateLimit-Reset": str(int(NOW) + 30)}))
    reply = c.send(mail(1))
    assert reply.outcome == "retry"
    assert reply.retry_after == pytest.approx(30.0)
    assert reply.deliveries == ()
    # The bucket is held: the next send waits no further than max_wait and goes nowhere.
    again = c.send(mail(1))
    assert again.outcome == "retry" and again.retry_after is not None
    assert again.retry_after > 25
    assert route.call_count == 1
    c.close()


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_unknown_perhaps_accepted(router: respx.MockRouter, client: SendGridClient,
                                         status: int) -> None:
    router.post("/v3/mail/send").mock(return_value=httpx.Response(
        status, headers={"X-RateLimit-Reset": str(int(NOW) + 50)}))
    reply = client.send(mail(2))
    assert reply.outcome == "unknown"
    assert [d.status for d in reply.deliveries] == ["unknown", "unknown"]
    assert reply.retry_after is None  # a reset header on a 5xx is not a wait asked for


def test_connect_error_is_retry_and_nothing_was_sent(router: respx.MockRouter,
                                                     client: SendGridClient) -> None:
    router.post("/v3/mail/send").mock(side_effect=httpx.ConnectError("refused"))
    reply = client.send(mail(2))
    assert reply.outcome == "retry" and reply.deliveries == ()


@pytest.mark.parametrize("exc", [httpx.ReadTimeout("timed out"),
                                 httpx.RemoteProtocolError("Server disconnected")])
def test_timeout_or_drop_after_sending_is_unknown(router: respx.MockRouter,
                                                  client: SendGridClient,
                                                  exc: Exception) -> None:
    router.post("/v3/mail/send").mock(side_effect=exc)
    reply = client.send(mail(2))
    assert reply.outcome == "unknown"
    assert [d.status for d in reply.deliveries] == ["unknown", "unknown"]


def test_is_an_email_sender_and_the_factory_reads_settings_and_secrets() -> None:
    sender: EmailSender = make_email_sender({"messaging.sendgrid.base_url": BASE},
                                            Keys(**{"sendgrid-api-key": KEY}))
    assert sender.name == "sendgrid"
    assert KEY not in repr(sender)
    sender.close()
    with pytest.raises(Refused) as caught:
        make_email_sender({}, Keys())
    assert caught.value.field == "sendgrid-api-key"


def test_remaining_zero_on_a_202_stops_the_next_request_until_reset(
        router: respx.MockRouter) -> None:
    c = SendGridClient(BASE, KEY, clock=lambda: NOW, max_wait=0.2,
                       limits=RateLimits({"mail": Limit(rate=100.0)}))
    route = router.post("/v3/mail/send").mock(return_value=httpx.Response(
        202, headers={"X-Message-Id": "x", "X-RateLimit-Remaining": "0",
                      "X-RateLimit-Reset": str(int(NOW) + 20)}))
    assert c.send(mail(1)).outcome == "ok"
    reply = c.send(mail(1))
    assert reply.outcome == "retry" and reply.retry_after is not None
    assert 15 < reply.retry_after <= 20
    assert route.call_count == 1
    c.close()

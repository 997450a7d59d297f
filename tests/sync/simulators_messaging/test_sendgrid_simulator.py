"""The SendGrid simulator: the official sendgrid library against it, shapes, limits, faults.

The official client is pointed here the supported way, without patching it:
``SendGridAPIClient(api_key, host=sim.base_url)`` (``host`` is the library's base URL)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx

from tests.sync.simulators_messaging.shared import HTTP
import pytest
from python_http_client.exceptions import (  # type: ignore[import-untyped]
    BadRequestsError,
    UnauthorizedError,
)
from sendgrid import SendGridAPIClient  # type: ignore[import-untyped]
from sendgrid.helpers.mail import (  # type: ignore[import-untyped]
    Attachment,
    CustomArg,
    Mail,
    Personalization,
    To,
)

from sync.simulators.sendgrid import DEFAULT_API_KEY, SendGridSimulator

T0 = 1_800_000_000.0


@pytest.fixture
def sim() -> Iterator[SendGridSimulator]:
    with SendGridSimulator(seed=3, clock=lambda: T0) as s:
        yield s


def send(sim: SendGridSimulator, body: Any, key: str = DEFAULT_API_KEY,
         timeout: float = 2.0) -> httpx.Response:
    return HTTP.post(f"{sim.base_url}/v3/mail/send", json=body, timeout=timeout,
                      headers={"Authorization": f"Bearer {key}"})


def mail(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "personalizations": [{"to": [{"email": "budi@example.com", "name": "Budi"}],
                              "custom_args": {"message_id": "msg-1"}}],
        "from": {"email": "toko@example.com", "name": "Toko Sejahtera"},
        "subject": "Struk belanja",
        "content": [{"type": "text/plain", "value": "Terima kasih"},
                    {"type": "text/html", "value": "<p>Terima kasih</p>"}],
    }
    body.update(extra)
    return body


def test_official_library_sends_two_personalizations(sim: SendGridSimulator) -> None:
    client = SendGridAPIClient(DEFAULT_API_KEY, host=sim.base_url)
    message = Mail(from_email="toko@example.com", subject="Struk belanja",
                   plain_text_content="Terima kasih", html_content="<p>Terima kasih</p>")
    for number, email in enumerate(["ani@example.com", "budi@example.com"]):
        person = Personalization()
        person.add_to(To(email))
        person.add_custom_arg(CustomArg("message_id", f"msg-{number}"))
        message.add_personalization(person)
    message.attachment = Attachment(base64.b64encode(b"%PDF-1.4").decode(), "struk.pdf",
                                    "application/pdf")
    response = client.send(message)
    assert response.status_code == 202
    assert response.body == b""
    message_id = response.headers["X-Message-Id"]
    assert len(message_id) == 22
    outbox = sim.outbox()
    assert sorted(e["to"] for e in outbox) == ["ani@example.com", "budi@example.com"]
    assert {e["x_message_id"] for e in outbox} == {message_id}
    assert all(e["subject"] == "Struk belanja" and e["text"] == "Terima kasih"
               and e["attachments"] == ["struk.pdf"] for e in outbox)
    assert sim.accepted(message_id) == 2 and sim.accepted("msg-0") == 1
    assert sim.accepted("msg-9") == 0


def test_official_library_sees_errors(sim: SendGridSimulator) -> None:
    message = Mail(from_email="toko@example.com", to_emails="budi@example.com",
                   subject="s")  # no content
    with pytest.raises(BadRequestsError) as bad:
        SendGridAPIClient(DEFAULT_API_KEY, host=sim.base_url).send(message)
    assert b'"field": "content"' in bad.value.body
    with pytest.raises(UnauthorizedError):
        SendGridAPIClient("SG.wrong", host=sim.base_url).send(message)
    assert sim.outbox() == []


def test_rate_limit_headers_on_every_response(sim: SendGridSimulator) -> None:
    ok = send(sim, mail())
    assert ok.status_code == 202 and ok.content == b""
    assert ok.headers["X-RateLimit-Limit"] == "600"
    assert ok.headers["X-RateLimit-Remaining"] == "599"
    assert int(ok.headers["X-RateLimit-Reset"]) == int(T0) + 1
    bad = send(sim, mail(subject=None))
    assert bad.status_code == 400 and "X-RateLimit-Remaining" in bad.headers


def test_wrong_key_is_401_with_sendgrids_body(sim: SendGridSimulator) -> None:
    response = send(sim, mail(), key="SG.nope")
    assert response.status_code == 401
    assert response.json() == {"errors": [{
        "message": "The provided authorization grant is invalid, expired, or revoked",
        "field": None, "help": None}]}
    assert HTTP.post(f"{sim.base_url}/v3/mail/send", json=mail()).status_code == 401


@pytest.mark.parametrize(("change", "field"), [
    ({"personalizations": []}, "personalizations"),
    ({"personalizations": [{"to": []}]}, "personalizations.0.to"),
    ({"personalizations": [{"cc": [{"email": "a@example.com"}]}]}, "personalizations.0.to"),
    ({"personalizations": [{"to": [{"email": "not-an-email"}]}]},
     "personalizations.0.to.0.email"),
    ({"personalizations": [{"to": [{"email": "a@example.com"}],
                            "bcc": [{"email": "A@example.com"}]}]}, "personalizations.0.bcc"),
    ({"personalizations": [{"to": [{"email": "a@example.com"}]}] * 1001}, "personalizations"),
    ({"from": None}, "from"),
    ({"from": {"name": "no email"}}, "from.email"),
    ({"content": None}, "content"),
    ({"content": [{"type": "text/html", "value": "<p>x</p>"},
                  {"type": "text/plain", "value": "x"}]}, "content"),
    ({"content": [{"type": "text/plain", "value": ""}]}, "content.0.value"),
    ({"subject": None}, "subject"),
    ({"attachments": [{"content": "!!not base64!!", "filename": "a.pdf"}]},
     "attachments.0.content"),
    ({"attachments": [{"content": "aGVsbG8="}]}, "attachments.0.filename"),
    ({"send_at": int(T0) + 73 * 3600}, "send_at"),
])
def test_validation_like_sendgrid(sim: SendGridSimulator, change: dict[str, Any],
                                  field: str) -> None:
    body = {k: v for k, v in mail(**change).items() if v is not None}
    response = send(sim, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and errors[0]["message"]
    assert set(errors[0]) == {"message", "field", "help"}
    assert sim.outbox() == []


def test_template_needs_no_content_nor_subject(sim: SendGridSimulator) -> None:
    body = mail(template_id="d-0123456789abcdef", content=None, subject=None)
    body = {k: v for k, v in body.items() if v is not None}
    body["personalizations"][0]["dynamic_template_data"] = {"total": "Rp 10.000"}
    assert send(sim, body).status_code == 202
    [entry] = sim.outbox()
    assert entry["template_id"] == "d-0123456789abcdef"
    assert entry["dynamic_template_data"] == {"total": "Rp 10.000"}


def test_not_json_is_400(sim: SendGridSimulator) -> None:
    response = HTTP.post(f"{sim.base_url}/v3/mail/send", content=b"{nope",
                          headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] is None


def test_sandbox_mode_validates_without_sending(sim: SendGridSimulator) -> None:
    response = send(sim, mail(mail_settings={"sandbox_mode": {"enable": True}}))
    assert response.status_code == 200 and response.content == b""
    assert sim.outbox() == [] and sim.sandboxed() == 1
    bad = send(sim, mail(mail_settings={"sandbox_mode": {"enable": True}}, subject=None))
    assert bad.status_code == 400


def test_payload_too_large_is_413() -> None:
    with SendGridSimulator(max_bytes=2_000) as sim:
        body = mail(attachments=[{"content": base64.b64encode(b"x" * 3_000).decode(),
                                  "filename": "big.bin"}])
        assert send(sim, body).status_code == 413
        assert send(sim, mail()).status_code == 202


def test_real_rate_limit_is_a_sliding_second(sim: SendGridSimulator) -> None:
    sim.set_rate_limit(2)
    first, second, third = (send(sim, mail()) for _ in range(3))
    assert [r.status_code for r in (first, second, third)] == [202, 202, 429]
    assert second.headers["X-RateLimit-Remaining"] == "0"
    assert third.json() == {"errors": [{"field": None, "message": "too many requests"}]}
    assert third.headers["X-RateLimit-Limit"] == "2"
    assert int(third.headers["X-RateLimit-Reset"]) == int(T0) + 1
    assert len(sim.outbox()) == 2
    sim.advance(1.0)
    assert send(sim, mail()).status_code == 202
    assert [f["fault"] for f in sim.fault_log()] == ["rate_limited"]


def test_timeout_after_accept_records_then_hangs(sim: SendGridSimulator) -> None:
    sim.set_faults(timeout_after_accept=1.0, hang_seconds=5.0)
    with pytest.raises(httpx.ReadTimeout):
        send(sim, mail(), timeout=0.3)
    assert sim.accepted("msg-1") == 1  # the mail went out although the client saw nothing
    [entry] = sim.fault_log()
    assert entry["fault"] == "timeout_after_accept" and entry["recorded"] is True
    assert entry["ref"] == sim.outbox()[0]["x_message_id"]
    sim.set_faults()
    assert send(sim, mail()).status_code == 202
    assert sim.accepted("msg-1") == 2  # the retry sent it twice: what the client must avoid


def test_5xx_and_429_bursts_record_nothing(sim: SendGridSimulator) -> None:
    sim.set_faults(error_5xx=1.0)
    response = send(sim, mail())
    assert response.status_code in (500, 503) and response.json()["errors"][0]["message"]
    sim.set_faults(rate_limit=1.0)
    burst = send(sim, mail())
    assert burst.status_code == 429 and "X-RateLimit-Reset" in burst.headers
    assert sim.outbox() == []
    assert [f["fault"] for f in sim.fault_log()] == ["error_5xx", "rate_limit"]


def test_control_over_http(sim: SendGridSimulator) -> None:
    base = sim.base_url
    assert HTTP.post(f"{base}/_sim/faults", json={"drop": 1.0}).json() == {"ok": True}
    with pytest.raises(httpx.TransportError):
        send(sim, mail())
    assert HTTP.get(f"{base}/_sim/fault_log").json()["faults"][0]["fault"] == "drop"
    HTTP.post(f"{base}/_sim/faults", json={})
    send(sim, mail())
    outbox = HTTP.get(f"{base}/_sim/outbox").json()["outbox"]
    assert outbox and outbox[-1]["to"] == "budi@example.com"
    accepted = HTTP.get(f"{base}/_sim/accepted/msg-1").json()["accepted"]
    assert accepted == len(outbox)
    assert HTTP.post(f"{base}/_sim/faults", json={"drop": 2}).status_code == 400
    assert HTTP.post(f"{base}/_sim/reset").json() == {"ok": True}
    assert sim.outbox() == [] and sim.fault_log() == []

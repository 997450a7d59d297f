"""respx unit tests of the FCM HTTP v1 client: providers.md section 5.

The service account's RSA key is made here, per test session; no private key is committed.
"""

from __future__ import annotations

import email.utils
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
import respx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.errors import Refused
from services.message_port import PushOut, PushSender
from sync.messaging import make_push_sender
from sync.messaging.fcm import FcmClient, parse_service_account

BASE = "https://fcm.test"
TOKEN_URL = "https://oauth.test/token"
PROJECT = "warung-test"
SEND = f"/v1/projects/{PROJECT}/messages:send"
EMAIL = "fcm@warung-test.iam.gserviceaccount.com"
START = 1_800_000_000.0


class Clock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Keys:
    def __init__(self, **values: str) -> None:
        self.values = values

    def get(self, name: str) -> str | None:
        return self.values.get(name)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def account(key: rsa.RSAPrivateKey) -> str:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return json.dumps({"type": "service_account", "project_id": PROJECT,
                       "private_key_id": "kid-1", "private_key": pem, "client_email": EMAIL,
                       "token_uri": TOKEN_URL})


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as r:
        yield r


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(account: str, clock: Clock) -> Iterator[FcmClient]:
    c = FcmClient(BASE, TOKEN_URL, account, timeout=2.0, clock=clock)
    yield c
    c.close()


def tokens(router: respx.MockRouter, *names: str, expires_in: int = 3599) -> respx.Route:
    return router.post(TOKEN_URL).mock(side_effect=[
        httpx.Response(200, json={"access_token": n, "expires_in": expires_in,
                                  "token_type": "Bearer"}) for n in names])


def sent(name: str = "0:1") -> httpx.Response:
    return httpx.Response(200, json={"name": f"projects/{PROJECT}/messages/{name}"})


def fcm_error(status: int, canonical: str, message: str, code: str | None,
              headers: dict[str, str] | None = None, **extra: Any) -> httpx.Response:
    details: list[dict[str, Any]] = []
    if code is not None:
        details.append({"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                        "errorCode": code})
    details.extend(extra.get("details", []))
    return httpx.Response(status, headers=headers, json={"error": {
        "code": status, "message": message, "status": canonical, "details": details}})


def push(**kw: Any) -> PushOut:
    fields: dict[str, Any] = {"message_id": "msg-1", "token": "device-token-1",
                              "title": "Pesanan", "body": "Sudah dikirim",
                              "data": {"kind": "shipment", "id": "s-1"}}
    fields.update(kw)
    return PushOut(**fields)


def bearer(route: respx.Route, index: int = -1) -> str:
    return str(route.calls[index].request.headers["Authorization"])


# --- access token ------------------------------------------------------------------------


def test_token_request_is_a_signed_jwt_verified_with_the_public_key(
        router: respx.MockRouter, client: FcmClient, key: rsa.RSAPrivateKey) -> None:
    token_route = tokens(router, "at-1")
    router.post(f"{BASE}{SEND}").mock(return_value=sent())
    assert client.send(push()).outcome == "ok"
    form = {k: v[0] for k, v in parse_qs(token_route.calls.last.request.content.decode()).items()}
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assertion = form["assertion"]
    assert jwt.get_unverified_header(assertion) == {"alg": "RS256", "typ": "JWT", "kid": "kid-1"}
    claims = jwt.decode(assertion, key.public_key(), algorithms=["RS256"], audience=TOKEN_URL,
                        options={"verify_exp": False, "verify_iat": False})
    assert claims == {"iss": EMAIL, "scope": "https://www.googleapis.com/auth/firebase.messaging",
                      "aud": TOKEN_URL, "iat": int(START), "exp": int(START) + 3600}
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(assertion, other.public_key(), algorithms=["RS256"], audience=TOKEN_URL,
                   options={"verify_exp": False, "verify_iat": False})


def test_token_is_cached_and_refreshed_five_minutes_before_expiry(
        router: respx.MockRouter, client: FcmClient, clock: Clock) -> None:
    token_route = tokens(router, "at-1", "at-2")
    send_route = router.post(f"{BASE}{SEND}").mock(return_value=sent())
    client.send(push())
    clock.now = START + 3599 - 301  # 301 s before expiry: still good
    client.send(push())
    assert token_route.call_count == 1
    assert bearer(send_route) == "Bearer at-1"
    clock.now = START + 3599 - 299  # inside the last 5 minutes: fetch anew
    client.send(push())
    assert token_route.call_count == 2
    assert bearer(send_route) == "Bearer at-2"


def test_one_token_fetch_for_many_threads(router: respx.MockRouter, client: FcmClient) -> None:
    token_route = tokens(router, "at-1", "at-2", "at-3")
    router.post(f"{BASE}{SEND}").mock(return_value=sent())
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda: outcomes.append(client.send(push()).outcome))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["ok"] * 8
    assert token_route.call_count == 1


def test_invalid_grant_is_credentials_refused_and_nothing_is_sent(
        router: respx.MockRouter, client: FcmClient) -> None:
    router.post(TOKEN_URL).mock(return_value=httpx.Response(
        400, json={"error": "invalid_grant", "error_description": "Invalid JWT Signature."}))
    send_route = router.post(f"{BASE}{SEND}").mock(return_value=sent())
    reply = client.send(push())
    assert reply.outcome == "rejected" and reply.credentials_refused
    assert reply.error_code == "invalid_grant"
    assert send_route.call_count == 0


@pytest.mark.parametrize("answer", [httpx.Response(503), httpx.ConnectError("refused"),
                                    httpx.ReadTimeout("timed out")])
def test_token_endpoint_trouble_is_retry(router: respx.MockRouter, client: FcmClient,
                                         answer: httpx.Response | Exception) -> None:
    route = router.post(TOKEN_URL)
    if isinstance(answer, Exception):
        route.mock(side_effect=answer)
    else:
        route.mock(return_value=answer)
    assert client.send(push()).outcome == "retry"


# --- send --------------------------------------------------------------------------------


def test_send_body_and_name(router: respx.MockRouter, client: FcmClient) -> None:
    tokens(router, "at-1")
    route = router.post(f"{BASE}{SEND}").mock(return_value=sent("abc"))
    reply = client.send(push())
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer at-1"
    assert json.loads(request.content) == {"message": {
        "token": "device-token-1",
        "notification": {"title": "Pesanan", "body": "Sudah dikirim"},
        "data": {"kind": "shipment", "id": "s-1"},
        "android": {"collapse_key": "msg-1"},
        "apns": {"headers": {"apns-collapse-id": "msg-1"}},
    }}
    assert reply.outcome == "ok"
    (d,) = reply.deliveries
    assert (d.message_id, d.status, d.provider_message_id) == (
        "msg-1", "sent", f"projects/{PROJECT}/messages/abc")


def test_data_must_be_strings(router: respx.MockRouter, client: FcmClient) -> None:
    route = router.post(f"{BASE}{SEND}").mock(return_value=sent())
    reply = client.send(push(data={"count": 3}))
    assert (reply.outcome, reply.error_code) == ("rejected", "data")
    assert client.send(push(token=" ")).error_code == "token"
    assert route.call_count == 0


@pytest.mark.parametrize("response", [
    fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"),
    fcm_error(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH"),
    fcm_error(400, "INVALID_ARGUMENT",
              "The registration token is not a valid FCM registration token",
              "INVALID_ARGUMENT"),
    fcm_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
              "INVALID_ARGUMENT", details=[{
                  "@type": "type.googleapis.com/google.rpc.BadRequest",
                  "fieldViolations": [{"field": "message.token",
                                       "description": "Invalid registration token"}]}]),
])
def test_dead_tokens(router: respx.MockRouter, client: FcmClient,
                     response: httpx.Response) -> None:
    tokens(router, "at-1")
    router.post(f"{BASE}{SEND}").mock(return_value=response)
    reply = client.send(push())
    assert reply.outcome == "rejected" and reply.token_dead
    assert reply.deliveries[0].status == "rejected"
    assert not reply.credentials_refused


def test_other_invalid_argument_is_rejected_but_the_token_lives(
        router: respx.MockRouter, client: FcmClient) -> None:
    tokens(router, "at-1")
    router.post(f"{BASE}{SEND}").mock(return_value=fcm_error(
        400, "INVALID_ARGUMENT", "Message is too big", "INVALID_ARGUMENT"))
    reply = client.send(push())
    assert reply.outcome == "rejected" and not reply.token_dead
    assert reply.error_code == "INVALID_ARGUMENT"


def test_401_fetches_a_new_token_and_retries_once(router: respx.MockRouter,
                                                  client: FcmClient) -> None:
    token_route = tokens(router, "at-1", "at-2")
    route = router.post(f"{BASE}{SEND}").mock(side_effect=[
        fcm_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.",
                  None),
        sent()])
    reply = client.send(push())
    assert reply.outcome == "ok"
    assert token_route.call_count == 2 and route.call_count == 2
    assert (bearer(route, 0), bearer(route, 1)) == ("Bearer at-1", "Bearer at-2")


def test_401_twice_is_credentials_refused(router: respx.MockRouter, client: FcmClient) -> None:
    tokens(router, "at-1", "at-2", "at-3")
    route = router.post(f"{BASE}{SEND}").mock(return_value=fcm_error(
        401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", None))
    reply = client.send(push())
    assert reply.outcome == "rejected" and reply.credentials_refused
    assert route.call_count == 2


def test_third_party_auth_error(router: respx.MockRouter, client: FcmClient) -> None:
    tokens(router, "at-1")
    route = router.post(f"{BASE}{SEND}").mock(return_value=fcm_error(
        401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service",
        "THIRD_PARTY_AUTH_ERROR"))
    reply = client.send(push())
    assert reply.outcome == "rejected" and reply.credentials_refused
    assert route.call_count == 1  # not a token problem: no second try


def test_quota_exceeded_with_retry_after(router: respx.MockRouter, client: FcmClient) -> None:
    tokens(router, "at-1")
    route = router.post(f"{BASE}{SEND}").mock(return_value=fcm_error(
        429, "RESOURCE_EXHAUSTED", "Quota exceeded", "QUOTA_EXCEEDED",
        headers={"Retry-After": "120"}))
    reply = client.send(push())
    assert (reply.outcome, reply.error_code, reply.retry_after) == (
        "retry", "QUOTA_EXCEEDED", 120.0)
    assert client.send(push()).outcome == "retry"  # the bucket is held
    assert route.call_count == 1


def test_quota_exceeded_without_retry_after_waits_a_minute(
        router: respx.MockRouter, client: FcmClient) -> None:
    tokens(router, "at-1")
    router.post(f"{BASE}{SEND}").mock(return_value=fcm_error(
        429, "RESOURCE_EXHAUSTED", "Quota exceeded", "QUOTA_EXCEEDED"))
    assert client.send(push()).retry_after == 60.0


@pytest.mark.parametrize("status,canonical,code", [(503, "UNAVAILABLE", "UNAVAILABLE"),
                                                   (500, "INTERNAL", "INTERNAL")])
def test_unavailable_and_internal_are_retry_with_retry_after_date(
        router: respx.MockRouter, client: FcmClient, status: int, canonical: str,
        code: str) -> None:
    tokens(router, "at-1")
    when = email.utils.formatdate(START + 30, usegmt=True)
    router.post(f"{BASE}{SEND}").mock(return_value=fcm_error(
        status, canonical, "The service is currently unavailable.", code,
        headers={"Retry-After": when}))
    reply = client.send(push())
    assert reply.outcome == "retry" and reply.error_code == code
    assert reply.retry_after == pytest.approx(30.0)


def test_timeout_after_sending_is_unknown(router: respx.MockRouter, client: FcmClient) -> None:
    tokens(router, "at-1")
    router.post(f"{BASE}{SEND}").mock(side_effect=httpx.ReadTimeout("timed out"))
    reply = client.send(push())
    assert reply.outcome == "unknown" and reply.deliveries[0].status == "unknown"


# --- configuration -----------------------------------------------------------------------


@pytest.mark.parametrize("text,part", [("{", "not JSON"), ("[]", "not a JSON object"),
                                       ('{"project_id": "p", "client_email": "e"}',
                                        "private_key"),
                                       ('{"project_id": "p", "client_email": "e", '
                                        '"private_key": "nope"}', "PEM")])
def test_bad_service_account(text: str, part: str) -> None:
    with pytest.raises(ValueError, match=part):
        parse_service_account(text)


def test_is_a_push_sender_and_the_factory(router: respx.MockRouter, account: str) -> None:
    sender: PushSender = make_push_sender(
        {"messaging.fcm.base_url": BASE, "messaging.fcm.token_url": TOKEN_URL},
        Keys(**{"fcm-service-account": account}))
    assert sender.name == "fcm" and "PRIVATE" not in repr(sender)
    tokens(router, "at-1")
    route = router.post(f"{BASE}/v1/projects/other/messages:send").mock(return_value=sent())
    overridden = make_push_sender({"messaging.fcm.base_url": BASE,
                                   "messaging.fcm.token_url": TOKEN_URL,
                                   "messaging.fcm.project_id": "other"},
                                  Keys(**{"fcm-service-account": account}))
    assert overridden.send(push()).outcome == "ok" and route.call_count == 1
    sender.close()
    overridden.close()
    for keys in (Keys(), Keys(**{"fcm-service-account": "{"})):
        with pytest.raises(Refused) as caught:
            make_push_sender({}, keys)
        assert caught.value.field == "fcm-service-account"


def test_a_refused_token_still_reports_the_recipient(router: respx.MockRouter,
                                                     client: FcmClient) -> None:
    router.post(TOKEN_URL).mock(return_value=httpx.Response(
        401, json={"error": "invalid_client", "error_description": "The OAuth client was "
                   "not found."}))
    reply = client.send(push())
    assert reply.credentials_refused
    assert [(d.message_id, d.status) for d in reply.deliveries] == [("msg-1", "rejected")]

"""The FCM simulator: the service-account token flow (PyJWT-signed assertions checked with
standard-library RS256), sends, device tokens, errors and faults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from tests.sync.simulators_messaging.shared import HTTP
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sync.simulators.fcm import (
    DEFAULT_CLIENT_EMAIL,
    DEFAULT_PROJECT,
    FCM_ERROR,
    GOOGLE_TOKEN_URL,
    JWT_BEARER,
    FcmSimulator,
    rs256_verify,
    rsa_public_numbers,
)

T0 = 1_800_000_000
SCOPE = "https://www.googleapis.com/auth/firebase.messaging"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture
def sim(key: rsa.RSAPrivateKey) -> Iterator[FcmSimulator]:
    numbers = key.public_key().public_numbers()
    with FcmSimulator(seed=2, clock=lambda: float(T0),
                      public_numbers=(numbers.n, numbers.e)) as s:
        yield s


def assertion(pem: str, **claims: Any) -> str:
    body: dict[str, Any] = {"iss": DEFAULT_CLIENT_EMAIL, "scope": SCOPE,
                            "aud": GOOGLE_TOKEN_URL, "iat": T0, "exp": T0 + 3600}
    body.update(claims)
    return jwt.encode({k: v for k, v in body.items() if v is not None}, pem,
                      algorithm="RS256", headers={"kid": "sim-key-1"})


def token_call(sim: FcmSimulator, jwt_text: str, grant: str = JWT_BEARER) -> httpx.Response:
    return HTTP.post(f"{sim.base_url}/token",
                      data={"grant_type": grant, "assertion": jwt_text})


def push(sim: FcmSimulator, token: str, message: dict[str, Any], *,
         project: str = DEFAULT_PROJECT, timeout: float = 2.0, **extra: Any) -> httpx.Response:
    return HTTP.post(f"{sim.base_url}/v1/projects/{project}/messages:send",
                      headers={"Authorization": f"Bearer {token}"},
                      json={"message": message, **extra}, timeout=timeout)


def fcm_code(response: httpx.Response) -> tuple[int, str, str | None]:
    error = response.json()["error"]
    codes = [d["errorCode"] for d in error.get("details", []) if d["@type"] == FCM_ERROR]
    assert error["code"] == response.status_code and error["message"]
    return response.status_code, error["status"], codes[0] if codes else None


def test_token_flow_then_send_then_unregistered(sim: FcmSimulator, pem: str) -> None:
    reply = token_call(sim, assertion(pem))
    assert reply.status_code == 200
    body = reply.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert (body["expires_in"], body["token_type"]) == (3599, "Bearer")
    access = body["access_token"]
    device = sim.register_device()
    sent = push(sim, access, {"token": device, "notification": {"title": "Pesanan", "body":
                "Dikirim"}, "data": {"message_id": "msg-1"},
                              "android": {"collapse_key": "order-7", "priority": "high"}})
    assert sent.status_code == 200
    name = sent.json()["name"]
    assert name.startswith(f"projects/{DEFAULT_PROJECT}/messages/0:")
    [entry] = sim.outbox()
    assert (entry["token"], entry["collapse_key"], entry["name"]) == (device, "order-7", name)
    assert sim.accepted("msg-1") == 1
    sim.kill_device(device)
    dead = push(sim, access, {"token": device, "data": {"message_id": "msg-2"}})
    assert fcm_code(dead) == (404, "NOT_FOUND", "UNREGISTERED")
    assert sim.accepted("msg-2") == 0


def test_assertion_may_name_the_simulators_own_token_url(sim: FcmSimulator, pem: str) -> None:
    assert token_call(sim, assertion(pem, aud=f"{sim.base_url}/token")).status_code == 200


@pytest.mark.parametrize(("claims", "error"), [
    ({"iss": "someone@else.iam.gserviceaccount.com"}, "invalid_grant"),
    ({"aud": "https://example.com/token"}, "invalid_grant"),
    ({"exp": T0 - 1, "iat": T0 - 3601}, "invalid_grant"),
    ({"exp": T0 + 7200}, "invalid_grant"),
    ({"iat": T0 + 3600, "exp": T0 + 4000}, "invalid_grant"),
    ({"iat": None}, "invalid_grant"),
    ({"scope": "https://www.googleapis.com/auth/userinfo.email"}, "invalid_scope"),
])
def test_bad_assertions_are_refused(sim: FcmSimulator, pem: str, claims: dict[str, Any],
                                    error: str) -> None:
    reply = token_call(sim, assertion(pem, **claims))
    assert reply.status_code == 400
    assert reply.json()["error"] == error and reply.json()["error_description"]
    assert sim.tokens_issued() == 0


def test_signature_is_really_checked(sim: FcmSimulator, pem: str) -> None:
    good = assertion(pem)
    head, claims, signature = good.split(".")
    forged_claims = jwt.utils.base64url_encode(json.dumps(
        {"iss": DEFAULT_CLIENT_EMAIL, "scope": SCOPE, "aud": GOOGLE_TOKEN_URL, "iat": T0,
         "exp": T0 + 60}).encode()).decode()
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_pem = other.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    for bad in (f"{head}.{forged_claims}.{signature}", assertion(other_pem), "a.b",
                jwt.encode({"iss": DEFAULT_CLIENT_EMAIL}, "s" * 64, algorithm="HS256")):
        reply = token_call(sim, bad)
        assert reply.status_code == 400 and reply.json()["error"] == "invalid_grant", bad
    assert token_call(sim, good, grant="client_credentials").json()["error"] == (
        "unsupported_grant_type")
    assert HTTP.post(f"{sim.base_url}/token", data={"grant_type": JWT_BEARER}
                      ).json()["error"] == "invalid_request"


def test_rs256_and_pem_parsing(key: rsa.RSAPrivateKey, pem: str) -> None:
    numbers = key.public_key().public_numbers()
    expected = (numbers.n, numbers.e)
    public = key.public_key()
    for text in (pem,
                 key.private_bytes(serialization.Encoding.PEM,
                                   serialization.PrivateFormat.TraditionalOpenSSL,
                                   serialization.NoEncryption()).decode(),
                 public.public_bytes(serialization.Encoding.PEM,
                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
                 public.public_bytes(serialization.Encoding.PEM,
                                     serialization.PublicFormat.PKCS1).decode()):
        assert rsa_public_numbers(text) == expected
    with pytest.raises(ValueError):
        rsa_public_numbers("not a key")
    token = assertion(pem)
    head, claims, signature = token.split(".")
    raw = jwt.utils.base64url_decode(signature)
    assert rs256_verify(f"{head}.{claims}".encode(), raw, expected)
    assert not rs256_verify(f"{head}.{claims}x".encode(), raw, expected)
    assert not rs256_verify(f"{head}.{claims}".encode(), raw[:-1], expected)


def test_service_account_json_configures_everything(pem: str) -> None:
    info = {"type": "service_account", "project_id": "toko-lain",
            "client_email": "push@toko-lain.iam.gserviceaccount.com", "private_key": pem,
            "token_uri": GOOGLE_TOKEN_URL}
    with FcmSimulator.for_service_account(info, clock=lambda: float(T0)) as sim:
        reply = token_call(sim, assertion(pem, iss=info["client_email"]))
        assert reply.status_code == 200 and sim.project_id == "toko-lain"


def test_access_tokens_expire_on_the_simulator_clock(sim: FcmSimulator, pem: str) -> None:
    access = token_call(sim, assertion(pem)).json()["access_token"]
    device = sim.register_device()
    assert push(sim, access, {"token": device}).status_code == 200
    sim.advance(3599)
    expired = push(sim, access, {"token": device})
    assert fcm_code(expired) == (401, "UNAUTHENTICATED", None)
    assert fcm_code(push(sim, "ya29.made-up", {"token": device}))[0] == 401
    assert len(sim.outbox()) == 1


@pytest.mark.parametrize(("message", "expected"), [
    ({}, (400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")),
    ({"token": "DEVICE", "topic": "promo"}, (400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")),
    ({"token": "DEVICE", "data": {"total": 10000}}, (400, "INVALID_ARGUMENT",
                                                     "INVALID_ARGUMENT")),
    ({"token": "DEVICE", "data": {"x": "y" * 4100}}, (400, "INVALID_ARGUMENT",
                                                      "INVALID_ARGUMENT")),
    ({"token": "DEVICE", "android": {"priority": "urgent"}}, (400, "INVALID_ARGUMENT",
                                                              "INVALID_ARGUMENT")),
    ({"token": "DEVICE", "android": {"ttl": 3600}}, (400, "INVALID_ARGUMENT",
                                                     "INVALID_ARGUMENT")),
    ({"token": "garbage"}, (400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")),
    ({"token": "OTHER"}, (403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH")),
])
def test_send_refusals(sim: FcmSimulator, message: dict[str, Any],
                       expected: tuple[int, str, str]) -> None:
    device = sim.register_device()
    other = sim.register_device(project="another-project")
    message = {k: (device if v == "DEVICE" else other if v == "OTHER" else v)
               for k, v in message.items()}
    reply = push(sim, sim.issue_token(), message)
    assert fcm_code(reply) == expected
    assert sim.outbox() == []


def test_malformed_token_message_is_the_one_clients_look_for(sim: FcmSimulator) -> None:
    reply = push(sim, sim.issue_token(), {"token": "abc"})
    assert reply.json()["error"]["message"] == (
        "The registration token is not a valid FCM registration token")
    unknown = push(sim, sim.issue_token(), {"token": "x" * 22 + ":APA91b" + "y" * 40})
    assert fcm_code(unknown) == (400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")


def test_topics_validate_only_and_other_projects(sim: FcmSimulator) -> None:
    access = sim.issue_token()
    assert push(sim, access, {"topic": "promo-mingguan", "data": {"k": "v"}}).status_code == 200
    assert push(sim, access, {"topic": "bad topic!"}).status_code == 400
    checked = push(sim, access, {"token": sim.register_device()}, validate_only=True)
    assert checked.json() == {"name": f"projects/{DEFAULT_PROJECT}/messages/fake_message_id"}
    assert fcm_code(push(sim, access, {"topic": "promo"}, project="someone-else"))[:2] == (
        403, "PERMISSION_DENIED")
    assert [e["topic"] for e in sim.outbox()] == ["promo-mingguan"]


def test_accept_any_token_registers_on_first_send() -> None:
    with FcmSimulator(accept_any_token=True) as sim:
        token = "d" * 22 + ":APA91b" + "e" * 60
        assert push(sim, sim.issue_token(), {"token": token}).status_code == 200
        assert [d["token"] for d in sim.devices()] == [token]


def test_inbox_collapses_by_key(sim: FcmSimulator) -> None:
    access, device = sim.issue_token(), sim.register_device()
    for text in ("Dikemas", "Dikirim"):
        push(sim, access, {"token": device, "notification": {"body": text},
                           "android": {"collapse_key": "order-7"}})
    push(sim, access, {"token": device, "notification": {"body": "Promo"}})
    shown = [e["notification"]["body"] for e in sim.inbox(device)]
    assert shown == ["Dikirim", "Promo"] and len(sim.outbox()) == 3


def test_quota_and_unavailable_faults(sim: FcmSimulator) -> None:
    access, device = sim.issue_token(), sim.register_device()
    sim.set_faults(rate_limit=1.0)
    quota = push(sim, access, {"token": device})
    assert fcm_code(quota) == (429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")
    assert quota.headers["Retry-After"] == "60"
    sim.set_faults(error_5xx=1.0)
    down = push(sim, access, {"token": device})
    assert fcm_code(down) in ((503, "UNAVAILABLE", "UNAVAILABLE"),
                              (500, "INTERNAL", "INTERNAL"))
    sim.set_faults(error_5xx=1.0, apply_to=("token",))
    assert HTTP.post(f"{sim.base_url}/token", data={}).status_code in (500, 503)
    assert sim.outbox() == []


def test_real_rate_limit_is_quota_exceeded(sim: FcmSimulator) -> None:
    sim.set_rate_limit(2)
    access, device = sim.issue_token(), sim.register_device()
    codes = [push(sim, access, {"token": device}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    sim.advance(1.0)
    assert push(sim, access, {"token": device}).status_code == 200


def test_timeout_after_accept_delivers_then_hangs(sim: FcmSimulator) -> None:
    access, device = sim.issue_token(lifetime=10**6), sim.register_device()
    sim.set_faults(timeout_after_accept=1.0, hang_seconds=5.0)
    with pytest.raises(httpx.ReadTimeout):
        push(sim, access, {"token": device, "data": {"message_id": "msg-5"}}, timeout=0.3)
    assert sim.accepted("msg-5") == 1
    assert sim.fault_log()[0]["recorded"] is True


def test_control_over_http(sim: FcmSimulator) -> None:
    base = sim.base_url
    token = HTTP.post(f"{base}/_sim/devices", json={}).json()["token"]
    access = HTTP.post(f"{base}/_sim/token").json()["access_token"]
    assert push(sim, access, {"token": token}).status_code == 200
    assert HTTP.post(f"{base}/_sim/devices/kill", json={"token": token}).json()["ok"]
    assert push(sim, access, {"token": token}).status_code == 404
    assert HTTP.get(f"{base}/_sim/devices").json()["devices"][0]["alive"] is False
    assert len(HTTP.get(f"{base}/_sim/inbox/{token}").json()["inbox"]) == 1
    assert HTTP.post(f"{base}/_sim/devices/kill", json={"token": "nope:x"}).status_code == 404

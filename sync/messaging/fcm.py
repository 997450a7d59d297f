"""Firebase Cloud Messaging HTTP v1 as a :class:`~services.message_port.PushSender`.

Access token (the service-account flow, providers.md section 5): a JWT with header
``{"alg":"RS256","typ":"JWT","kid":<private_key_id>}`` and claims ``iss`` = client_email,
``scope`` = firebase.messaging, ``aud`` = the token URL, ``iat`` = now, ``exp`` = iat + 3600,
signed with the JSON's private key (PyJWT) and POSTed form-encoded
(``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer``, ``assertion``). The token is
cached and fetched again 5 minutes before ``expires_in`` runs out; one lock keeps two
threads from fetching at once. A token endpoint ``invalid_grant`` (or ``invalid_client``...)
is ``rejected`` + ``credentials_refused``; its 429/5xx and transport faults are ``retry``
(nothing reached FCM).

Send: ``POST /v1/projects/{project_id}/messages:send`` with the Bearer token and
``{"message": {token, notification{title, body}, data (strings only),
android{collapse_key}, apns{headers{apns-collapse-id}}}}``; the collapse key is our message
id unless the push names another, so a push sent twice shows once on the device.
``200`` -> ``ok`` with the delivery ``sent`` and ``provider_message_id`` = the ``name``
(``projects/{project}/messages/{id}``).

Errors, by ``error.details[].errorCode``:

- ``UNREGISTERED`` (404), ``SENDER_ID_MISMATCH`` (403), ``INVALID_ARGUMENT`` whose message
  says the registration token is not valid (or a ``BadRequest`` field violation on
  ``message.token``): ``rejected`` + ``token_dead`` (deactivate the token);
- other ``INVALID_ARGUMENT``: ``rejected`` (the payload is wrong);
- ``QUOTA_EXCEEDED`` (429): ``retry`` with Retry-After (60 s when none is given: Firebase's
  advice is to wait at least a minute); ``UNAVAILABLE`` (503) / ``INTERNAL`` (500) and other
  5xx: ``retry`` with any Retry-After (FCM documents them as safe to retry);
- ``THIRD_PARTY_AUTH_ERROR``: ``rejected`` + ``credentials_refused`` (APNs/web-push keys);
- HTTP 401 without an errorCode (the access token expired or was revoked): the token is
  fetched again and the send retried once within the same call; a second 401 is
  ``rejected`` + ``credentials_refused``; 403 without an errorCode (the service account may
  not send) likewise.

A timeout after sending or a dropped reply is ``unknown`` like every other provider; the
collapse key makes a repeat harmless on the device, so the messaging rule may resend.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from services.message_port import Delivery, PushOut, SendReply
from sync.jobs.ratelimit import Limit, RateLimits
from sync.messaging.base import (
    DEFAULT_MAX_WAIT,
    WallClock,
    hold,
    json_or_none,
    provider_wait,
    refused_here,
    scrub,
    take_token,
    transport_reply,
    with_deliveries,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://fcm.googleapis.com"
DEFAULT_TOKEN_URL: Final = "https://oauth2.googleapis.com/token"
SCOPE: Final = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE: Final = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME: Final = 3600
#: Fetch a new access token this long before the old one expires.
REFRESH_EARLY: Final = 300.0
GROUP: Final = "push"
#: FCM HTTP v1: 600,000 messages a minute per project.
DEFAULT_LIMITS: Final[Mapping[str, Limit]] = {GROUP: Limit(rate=10_000.0)}
QUOTA_DEFAULT_WAIT: Final = 60.0

_DEAD_TOKEN_CODES = frozenset({"UNREGISTERED", "SENDER_ID_MISMATCH"})
_RETRY_CODES = frozenset({"QUOTA_EXCEEDED", "UNAVAILABLE", "INTERNAL"})
_CREDENTIAL_GRANT_ERRORS = frozenset({"invalid_grant", "invalid_client", "unauthorized_client",
                                      "access_denied"})
_INVALID_TOKEN_TEXT = re.compile(r"registration token.*(not a valid|invalid)|"
                                 r"invalid registration", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    """The parts of a Google service-account JSON the client uses."""

    project_id: str
    client_email: str
    private_key_id: str | None
    private_key: RSAPrivateKey

    def __repr__(self) -> str:  # never the key
        return f"ServiceAccount(project_id={self.project_id!r})"


def parse_service_account(text: str) -> ServiceAccount:
    """The service-account JSON; ValueError saying which part is wrong (never its content)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("the service account is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("the service account is not a JSON object")
    fields: dict[str, str] = {}
    for name in ("project_id", "client_email", "private_key"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"the service account has no {name}")
        fields[name] = value
    kid = data.get("private_key_id")
    try:
        key = serialization.load_pem_private_key(fields["private_key"].encode(), password=None)
    except (ValueError, TypeError):
        raise ValueError("the service account's private_key is not a PEM private key") from None
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("the service account's private_key is not an RSA key")
    return ServiceAccount(fields["project_id"], fields["client_email"],
                          kid if isinstance(kid, str) and kid else None, key)


def push_payload(push: PushOut) -> dict[str, Any] | SendReply:
    """The ``messages:send`` body, or a ``rejected`` reply naming the field."""
    ids = [push.message_id]
    if not push.token.strip():
        return refused_here("token", "no device token", ids)
    if any(not isinstance(k, str) or not isinstance(v, str) for k, v in push.data.items()):
        return refused_here("data", "FCM data values must be strings", ids)
    collapse = push.collapse_key or push.message_id
    message: dict[str, Any] = {"token": push.token}
    if push.title or push.body:
        message["notification"] = {"title": push.title, "body": push.body}
    if push.data:
        message["data"] = dict(push.data)
    message["android"] = {"collapse_key": collapse}
    message["apns"] = {"headers": {"apns-collapse-id": collapse}}
    return {"message": message}


@dataclass(frozen=True, slots=True)
class _Error:
    http_status: int
    status: str | None  # Google's canonical status: NOT_FOUND, UNAUTHENTICATED...
    error_code: str | None  # the FcmError errorCode
    message: str
    token_field: bool  # a BadRequest field violation on message.token


def _error(response: httpx.Response) -> _Error:
    parsed = json_or_none(response)
    err = parsed.get("error") if isinstance(parsed, dict) else None
    if not isinstance(err, dict):
        return _Error(response.status_code, None, None, f"HTTP {response.status_code}", False)
    code: str | None = None
    token_field = False
    details = err.get("details")
    for d in details if isinstance(details, list) else ():
        if not isinstance(d, dict):
            continue
        if isinstance(d.get("errorCode"), str) and code is None:
            code = d["errorCode"]
        violations = d.get("fieldViolations")
        for v in violations if isinstance(violations, list) else ():
            if isinstance(v, dict) and v.get("field") == "message.token":
                token_field = True
    status = err.get("status")
    message = err.get("message")
    return _Error(response.status_code, status if isinstance(status, str) else None, code,
                  message if isinstance(message, str) else f"HTTP {response.status_code}",
                  token_field)


class FcmClient:
    """One Firebase project's service account at one base URL (FCM or the simulator)."""

    name = "fcm"

    def __init__(self, base_url: str, token_url: str, service_account_json: str, *,
                 timeout: float = 10.0, limits: RateLimits | None = None,
                 clock: WallClock = time.time, project_id: str | None = None,
                 max_wait: float = DEFAULT_MAX_WAIT,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.account = parse_service_account(service_account_json)
        self.project_id = project_id or self.account.project_id
        self._token_url = token_url or DEFAULT_TOKEN_URL
        self._timeout = timeout
        self._clock = clock
        self._max_wait = max_wait
        self.limits = limits if limits is not None else RateLimits(DEFAULT_LIMITS)
        self._send_path = f"/v1/projects/{quote(self.project_id, safe='')}/messages:send"
        self._lock = threading.Lock()
        self._access_token: str | None = None
        self._expires_at = 0.0
        self._http = httpx.Client(
            base_url=(base_url or DEFAULT_BASE_URL).rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"FcmClient(base_url={str(self._http.base_url)!r}, project={self.project_id!r})"

    def __enter__(self) -> FcmClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- access token ------------------------------------------------------------------

    def assertion(self, now: float) -> str:
        """The signed JWT the token endpoint takes."""
        iat = int(now)
        claims = {"iss": self.account.client_email, "scope": SCOPE, "aud": self._token_url,
                  "iat": iat, "exp": iat + ASSERTION_LIFETIME}
        headers = {"kid": self.account.private_key_id} if self.account.private_key_id else None
        return jwt.encode(claims, self.account.private_key, algorithm="RS256", headers=headers)

    def access_token(self, *, stale: str | None = None) -> str | SendReply:
        """The cached access token, fetched anew when it is within 5 minutes of expiring or
        is ``stale`` (the one FCM just refused); a non-``ok`` reply when it cannot be had."""
        with self._lock:
            now = self._clock()
            if (self._access_token is not None and self._access_token != stale
                    and now < self._expires_at - REFRESH_EARLY):
                return self._access_token
            self._access_token = None
            form = {"grant_type": GRANT_TYPE, "assertion": self.assertion(now)}
            try:
                response = self._http.post(self._token_url, data=form)
            except httpx.HTTPError as exc:
                reply = transport_reply(exc, safe_to_repeat=True, timeout=self._timeout)
                return SendReply(reply.outcome, message=f"access token: {reply.message}")
            parsed = json_or_none(response)
            body: Mapping[str, Any] = parsed if isinstance(parsed, dict) else {}
            token = body.get("access_token")
            if response.status_code == 200 and isinstance(token, str) and token:
                expires_in = body.get("expires_in")
                lifetime = (float(expires_in) if isinstance(expires_in, (int, float))
                            and not isinstance(expires_in, bool) else 3599.0)
                self._access_token = token
                self._expires_at = now + lifetime
                return token
            return self._token_refusal(response, body)

    def _token_refusal(self, response: httpx.Response, body: Mapping[str, Any]) -> SendReply:
        error = body.get("error")
        code = error if isinstance(error, str) else str(response.status_code)
        described = body.get("error_description")
        text = scrub(f"access token: {code}"
                     + (f": {described}" if isinstance(described, str) else ""))
        status = response.status_code
        if status == 429 or status >= 500:
            return SendReply("retry", message=text, error_code=code,
                             retry_after=provider_wait(response.headers, self._clock))
        if code in _CREDENTIAL_GRANT_ERRORS or status in (401, 403):
            return SendReply("rejected", message=text, error_code=code,
                             credentials_refused=True)
        return SendReply("rejected", message=text, error_code=code)

    # --- send --------------------------------------------------------------------------

    def send(self, push: PushOut) -> SendReply:
        payload = push_payload(push)
        if isinstance(payload, SendReply):
            return payload
        ids = [push.message_id]
        content = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        waited = take_token(self.limits, GROUP, self._max_wait)
        if waited is not None:
            return waited
        stale: str | None = None
        for attempt in (1, 2):
            token = self.access_token(stale=stale)
            if isinstance(token, SendReply):
                return with_deliveries(token, ids)
            try:
                response = self._http.post(
                    self._send_path, content=content,
                    headers={"Authorization": f"Bearer {token}",
                             "Content-Type": "application/json"})
            except httpx.HTTPError as exc:
                return with_deliveries(
                    transport_reply(exc, safe_to_repeat=False, timeout=self._timeout), ids)
            if response.status_code == 401 and attempt == 1:
                err = _error(response)
                if err.error_code is None:  # the access token itself: fetch anew, once
                    stale = token
                    continue
            reply = self._reply(response, push.message_id)
            log.debug("fcm send -> %s", reply.outcome)
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _reply(self, response: httpx.Response, message_id: str) -> SendReply:
        status = response.status_code
        if status == 200:
            parsed = json_or_none(response)
            name = parsed.get("name") if isinstance(parsed, dict) else None
            return SendReply("ok", deliveries=(Delivery(
                message_id, "sent", provider_message_id=name if isinstance(name, str) else None,
                provider_status="sent"),))
        err = _error(response)
        code = err.error_code or err.status or str(status)
        text = scrub(f"{code}: {err.message}")

        def rejected(**flags: bool) -> SendReply:
            return SendReply("rejected", deliveries=(Delivery(
                message_id, "rejected", error=text, error_code=code),),
                message=text, error_code=code, **flags)

        if err.error_code in _DEAD_TOKEN_CODES:
            return rejected(token_dead=True)
        if err.error_code == "INVALID_ARGUMENT" or (err.error_code is None and status == 400):
            dead = err.token_field or bool(_INVALID_TOKEN_TEXT.search(err.message))
            return rejected(token_dead=dead)
        if err.error_code == "THIRD_PARTY_AUTH_ERROR" or status in (401, 403):
            return rejected(credentials_refused=True)
        wait = provider_wait(response.headers, self._clock)
        if err.error_code == "QUOTA_EXCEEDED" or status == 429:
            if wait is not None:
                hold(self.limits, GROUP, wait)
            return SendReply("retry", message=text, error_code=code,
                             retry_after=wait if wait is not None else QUOTA_DEFAULT_WAIT)
        if err.error_code in _RETRY_CODES or status >= 500:
            return SendReply("retry", message=text, error_code=code, retry_after=wait)
        return rejected()


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_LIMITS", "DEFAULT_TOKEN_URL", "GRANT_TYPE", "GROUP",
           "SCOPE", "FcmClient", "ServiceAccount", "parse_service_account", "push_payload"]

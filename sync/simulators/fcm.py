"""A Firebase Cloud Messaging HTTP v1 simulator, with Google's OAuth token endpoint, on 127.0.0.1.

- ``POST /token`` (form ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` and
  ``assertion=<JWT>``): the service-account flow. The JWT's RS256 signature is checked with
  the service account's PUBLIC key (standard library only: ``pow()`` over the PKCS#1 v1.5
  encoding), then ``iss`` (the client_email), ``aud`` (Google's token URL or this
  simulator's), ``scope`` (firebase.messaging or cloud-platform), ``iat``/``exp`` (at most
  an hour, in a reasonable timeframe). Reply ``{"access_token","expires_in":3599,
  "token_type":"Bearer"}``; a bad grant is 400 ``{"error":"invalid_grant",
  "error_description":...}``. Tokens expire on the simulator's clock.
- ``POST /v1/projects/{project}/messages:send`` with ``Authorization: Bearer``: 401
  UNAUTHENTICATED for an expired/unknown token; exactly one of token/topic/condition; data
  values strings only; payload at most 4096 bytes; ``validate_only``. Device tokens:
  :meth:`FcmSimulator.register_device`, :meth:`FcmSimulator.kill_device` (later sends: 404
  ``UNREGISTERED``), a token of another project (403 ``SENDER_ID_MISMATCH``), an unknown or
  malformed token (400 ``INVALID_ARGUMENT`` "The registration token is not a valid FCM
  registration token"). Success: 200 ``{"name":"projects/{project}/messages/{id}"}``.
  Errors: ``{"error":{"code","message","status","details":[{"@type":
  "type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":...}]}}``; faults give
  429 ``QUOTA_EXCEEDED`` with Retry-After and 503 ``UNAVAILABLE`` (500 ``INTERNAL``).

Control over HTTP besides the common ones: ``POST /_sim/devices`` ``{"token"?, "project"?}``
(returns the token), ``POST /_sim/devices/kill`` ``{"token"}``, ``GET /_sim/devices``,
``GET /_sim/inbox/{token}`` (what the device shows: the latest per collapse key).
Run alone: ``python -m sync.simulators.fcm --port N [--service-account sa.json]``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from sync.simulators.messaging_common import (
    Clock,
    MessagingSimulator,
    Outcome,
    RateState,
    required_field,
)
from sync.simulators.server import Answer, Request, serve_in_foreground

DEFAULT_PROJECT = "warungin-sim"
DEFAULT_CLIENT_EMAIL = "firebase-adminsdk-sim@warungin-sim.iam.gserviceaccount.com"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPES = frozenset({"https://www.googleapis.com/auth/firebase.messaging",
                    "https://www.googleapis.com/auth/cloud-platform"})
TOKEN_LIFETIME = 3599
MAX_PAYLOAD = 4096
MAX_ASSERTION_LIFETIME = 3600
CLOCK_SKEW = 300  # how far in the future an ``iat`` may be
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
_SEND_PATH = re.compile(r"/v1/projects/([^/]+)/messages:send")
_DEVICE_TOKEN = re.compile(r"[A-Za-z0-9_\-]{8,}:[A-Za-z0-9_\-]{20,}")
_TOPIC = re.compile(r"(/topics/)?[a-zA-Z0-9\-_.~%]{1,900}")
_TTL = re.compile(r"\d+(\.\d{1,9})?s")
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
_RSA_OID = bytes.fromhex("2a864886f70d010101")
_BAD_TOKEN = "The registration token is not a valid FCM registration token"
_UNAUTHENTICATED = ("Request had invalid authentication credentials. Expected OAuth 2 access "
                    "token, login cookie or other valid authentication credential. See "
                    "https://developers.google.com/identity/sign-in/web/devconsole-project.")
_BAD_JWT_TIME = ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                 "reasonable timeframe. Check your iat and exp values in the JWT claim.")


# --- RS256 with the standard library --------------------------------------------------------


def rs256_verify(signing_input: bytes, signature: bytes, public_numbers: tuple[int, int]) -> bool:
    """RSASSA-PKCS1-v1_5 with SHA-256: ``signature^e mod n`` must be the exact encoding."""
    n, e = public_numbers
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    decoded = pow(s, e, n).to_bytes(size, "big")
    digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    padding = size - len(digest_info) - 3
    if padding < 8:
        return False
    expected = b"\x00\x01" + b"\xff" * padding + b"\x00" + digest_info
    return hmac.compare_digest(decoded, expected)


def _der(data: bytes, pos: int) -> tuple[int, int, int]:
    """One DER element at ``pos``: (tag, content start, content end)."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def _der_children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    while start < end:
        item = _der(data, start)
        items.append(item)
        start = item[2]
    return items


def _rsa_sequence(data: bytes, start: int, end: int, *, private: bool) -> tuple[int, int]:
    ints = [c for c in _der_children(data, start, end) if c[0] == 0x02]
    n_at, e_at = (ints[1], ints[2]) if private else (ints[0], ints[1])
    return (int.from_bytes(data[n_at[1]:n_at[2]], "big"),
            int.from_bytes(data[e_at[1]:e_at[2]], "big"))


def rsa_public_numbers(pem: str) -> tuple[int, int]:
    """(n, e) from a PEM RSA key: PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY (PKCS#8, as in a
    service-account JSON) or RSA PRIVATE KEY. Only the public half is kept."""
    match = re.search(r"-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----", pem, re.S)
    if match is None:
        raise ValueError("not a PEM key")
    kind = match.group(1)
    try:
        der = base64.b64decode("".join(match.group(2).split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("bad base64 in PEM") from None
    try:
        tag, start, end = _der(der, 0)
        if tag != 0x30:
            raise ValueError("not a DER sequence")
        if kind in ("RSA PUBLIC KEY", "RSA PRIVATE KEY"):
            return _rsa_sequence(der, start, end, private=kind == "RSA PRIVATE KEY")
        children = _der_children(der, start, end)
        if kind == "PUBLIC KEY":  # SubjectPublicKeyInfo: {algorithm, BIT STRING}
            algorithm, bits = children[0], children[1]
            if _RSA_OID not in der[algorithm[1]:algorithm[2]]:
                raise ValueError("not an RSA key")
            inner = bits[1] + 1  # skip the unused-bits byte
            _, s, e = _der(der, inner)
            return _rsa_sequence(der, s, e, private=False)
        if kind == "PRIVATE KEY":  # PKCS#8: {version, algorithm, OCTET STRING}
            algorithm, octets = children[1], children[2]
            if _RSA_OID not in der[algorithm[1]:algorithm[2]]:
                raise ValueError("not an RSA key")
            _, s, e = _der(der, octets[1])
            return _rsa_sequence(der, s, e, private=True)
    except IndexError:
        raise ValueError("malformed RSA key") from None
    raise ValueError(f"unsupported PEM type {kind}")


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- the simulator ---------------------------------------------------------------------------


class _Grant(Exception):
    """An OAuth error reply: ``{"error", "error_description"}``."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def _fcm_error(status: int, state: str, message: str, error_code: str | None = None,
               extra_details: list[dict[str, Any]] | None = None,
               headers: dict[str, str] | None = None) -> Answer:
    details: list[dict[str, Any]] = []
    if error_code is not None:
        details.append({"@type": FCM_ERROR, "errorCode": error_code})
    details.extend(extra_details or [])
    error: dict[str, Any] = {"code": status, "message": message, "status": state}
    if details:
        error["details"] = details
    return Answer(status, {"error": error}, headers=dict(headers or {}))


class FcmSimulator(MessagingSimulator):
    """Thread-safe FCM v1 send plus the OAuth token endpoint, for one project."""

    name = "fcm"
    endpoints = ("send", "token")
    default_apply_to = ("send",)

    def __init__(
        self,
        *,
        seed: int = 0,
        rate_limit: float | None = None,
        clock: Clock | None = None,
        project_id: str = DEFAULT_PROJECT,
        client_email: str = DEFAULT_CLIENT_EMAIL,
        public_numbers: tuple[int, int] | None = None,
        public_key_pem: str | None = None,
        accept_any_token: bool = False,
        token_lifetime: int = TOKEN_LIFETIME,
        retry_after: int = 60,
    ) -> None:
        """``public_numbers`` (n, e) or ``public_key_pem`` (any RSA PEM, private ones too):
        the service account's key the JWT assertions must be signed with (none: every
        assertion fails, but :meth:`issue_token` still works). ``accept_any_token``: a
        well-formed unknown device token is registered on first send (demos)."""
        super().__init__(seed=seed, rate_limit=rate_limit, clock=clock)
        self.project_id = project_id
        self.client_email = client_email
        if public_numbers is None and public_key_pem is not None:
            public_numbers = rsa_public_numbers(public_key_pem)
        self.public_numbers = public_numbers
        self.accept_any_token = accept_any_token
        self.token_lifetime = token_lifetime
        self.retry_after = retry_after
        self._access: dict[str, float] = {}  # access token -> expiry (simulator clock)
        self._devices: dict[str, dict[str, Any]] = {}
        self._outbox: list[dict[str, Any]] = []
        self._tokens_issued = 0

    @classmethod
    def for_service_account(cls, info: Mapping[str, Any], **kwargs: Any) -> FcmSimulator:
        """A simulator that accepts assertions from this service-account JSON (its
        ``project_id``, ``client_email`` and the public half of ``private_key``)."""
        return cls(project_id=str(info["project_id"]), client_email=str(info["client_email"]),
                   public_key_pem=str(info["private_key"]), **kwargs)

    # --- control ------------------------------------------------------------------------------

    def register_device(self, token: str | None = None, *, project: str | None = None) -> str:
        """A device's app registered: the token (made up when None) accepts sends for
        ``project`` (default: this simulator's). Registering again revives a killed token."""
        with self._lock:
            if token is None:
                token = (base64.urlsafe_b64encode(self._rng.randbytes(16)).decode()[:22]
                         + ":APA91b" + base64.urlsafe_b64encode(
                             self._rng.randbytes(100)).decode().rstrip("=")[:134])
            if not _DEVICE_TOKEN.fullmatch(token):
                raise ValueError("a device token looks like <instance id>:<registration>")
            self._devices[token] = {"token": token, "project": project or self.project_id,
                                    "alive": True, "registered_at": self.now()}
            return token

    def kill_device(self, token: str) -> None:
        """The app was uninstalled: later sends to this token answer 404 UNREGISTERED."""
        with self._lock:
            if token not in self._devices:
                raise KeyError(f"device token {token[:12]}…")
            self._devices[token]["alive"] = False

    def devices(self) -> list[dict[str, Any]]:
        """Every device token: ``{"token", "project", "alive", "registered_at"}``."""
        with self._lock:
            return [dict(d) for d in self._devices.values()]

    def issue_token(self, lifetime: int | None = None) -> str:
        """An access token without the JWT flow (tests of the send side, demos)."""
        with self._lock:
            token = "ya29.sim-" + base64.urlsafe_b64encode(
                self._rng.randbytes(48)).decode().rstrip("=")
            self._access[token] = self.now() + (lifetime or self.token_lifetime)
            self._tokens_issued += 1
            return token

    def tokens_issued(self) -> int:
        """How many access tokens were issued (a client caching its token issues few)."""
        with self._lock:
            return self._tokens_issued

    def outbox(self) -> list[dict[str, Any]]:
        """Every message delivered, oldest first: ``message_id``, ``name``, ``token`` /
        ``topic`` / ``condition``, ``notification``, ``data``, ``collapse_key`` (android
        ``collapse_key``, else apns ``apns-collapse-id``, else webpush ``Topic``),
        ``priority``, ``message`` (as sent), ``accepted_at``."""
        with self._lock:
            return copy.deepcopy(self._outbox)

    def inbox(self, token: str) -> list[dict[str, Any]]:
        """What the device shows: its deliveries, the newest one per collapse key."""
        with self._lock:
            shown: dict[Any, dict[str, Any]] = {}
            for index, entry in enumerate(self._outbox):
                if entry["token"] == token:
                    shown.pop(entry["collapse_key"] or index, None)
                    shown[entry["collapse_key"] or index] = entry
            return copy.deepcopy(list(shown.values()))

    def accepted(self, key: str) -> int:
        """How many deliveries match ``key``: the message id or name, or a ``data`` value
        (put the message row's id in data to see a push sent twice)."""
        with self._lock:
            return sum(1 for e in self._outbox
                       if key in (e["message_id"], e["name"]) or key in e["data"].values())

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._outbox.clear()
            self._access.clear()

    def _control_extra(self, method: str, parts: list[str], body: Any) -> Answer | None:
        if method == "POST" and parts == ["devices"]:
            args = body if isinstance(body, dict) else {}
            token = self.register_device(args.get("token"), project=args.get("project"))
            return Answer(200, {"ok": True, "token": token})
        if method == "POST" and parts == ["devices", "kill"]:
            self.kill_device(str(required_field(body, "token")))
            return Answer(200, {"ok": True})
        if method == "GET" and parts == ["devices"]:
            return Answer(200, {"devices": self.devices()})
        if method == "GET" and len(parts) == 2 and parts[0] == "inbox":
            return Answer(200, {"inbox": self.inbox(parts[1])})
        if method == "POST" and parts == ["token"]:
            return Answer(200, {"access_token": self.issue_token(), "token_type": "Bearer",
                                "expires_in": self.token_lifetime})
        return None

    # --- the API ---------------------------------------------------------------------------------

    def _api(self, request: Request) -> Answer:
        if request.path == "/token":
            if request.method != "POST":
                return Answer(405, {"error": "invalid_request",
                                    "error_description": "POST required"})
            return self._call("token", lambda: self._token(request.body))
        match = _SEND_PATH.fullmatch(request.path)
        if match is None:
            return _fcm_error(404, "NOT_FOUND", "Requested entity was not found.")
        if request.method != "POST":
            return _fcm_error(405, "INVALID_ARGUMENT", "Method not allowed.")
        if not self._token_valid(request.headers.get("authorization")):
            return _fcm_error(401, "UNAUTHENTICATED", _UNAUTHENTICATED)
        project = match.group(1)
        if project != self.project_id:
            return _fcm_error(403, "PERMISSION_DENIED",
                              f"Permission 'cloudmessaging.messages.create' denied on resource "
                              f"'//cloudresourcemanager.googleapis.com/projects/{project}' "
                              "(or it may not exist).")
        return self._call("send", lambda: self._send(request.body))

    def _too_many(self, endpoint: str, state: RateState | None) -> Answer:
        if endpoint == "token":
            return Answer(429, {"error": "rate_limit_exceeded",
                                "error_description": "Rate Limit Exceeded"})
        return _fcm_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for sending messages.",
                          "QUOTA_EXCEEDED", headers={"Retry-After": str(self.retry_after)})

    def _server_error(self, endpoint: str, status: int) -> Answer:
        if endpoint == "token":
            return Answer(status, {"error": "internal_failure",
                                   "error_description": "Backend Error"})
        if status == 503:
            return _fcm_error(503, "UNAVAILABLE", "The service is currently unavailable.",
                              "UNAVAILABLE", headers={"Retry-After": "10"})
        return _fcm_error(500, "INTERNAL", "Internal error encountered.", "INTERNAL")

    # --- token endpoint -----------------------------------------------------------------------

    def _token(self, raw: bytes) -> Outcome:
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace"),
                                             keep_blank_values=True).items()}
        try:
            self._check_grant(form)
        except _Grant as exc:
            return Outcome(Answer(400, {"error": exc.error,
                                        "error_description": exc.description}))
        token = self.issue_token()
        return Outcome(Answer(200, {"access_token": token, "expires_in": self.token_lifetime,
                                    "token_type": "Bearer"}), ref=None)

    def _check_grant(self, form: Mapping[str, str]) -> None:
        grant = form.get("grant_type")
        if grant != JWT_BEARER:
            raise _Grant("unsupported_grant_type", f"Invalid grant_type: {grant or ''}")
        assertion = form.get("assertion")
        if not assertion:
            raise _Grant("invalid_request", "Missing required parameter: assertion")
        pieces = assertion.split(".")
        if len(pieces) != 3:
            raise _Grant("invalid_grant", "Invalid JWT: not a compact JWS")
        try:
            header = json.loads(_b64url(pieces[0]))
            claims = json.loads(_b64url(pieces[1]))
            signature = _b64url(pieces[2])
        except (ValueError, binascii.Error):
            raise _Grant("invalid_grant", "Invalid JWT: cannot decode") from None
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise _Grant("invalid_grant", "Invalid JWT: cannot decode")
        if header.get("alg") != "RS256":
            raise _Grant("invalid_grant", "Invalid JWT: the algorithm must be RS256")
        if claims.get("iss") != self.client_email:
            raise _Grant("invalid_grant", "Invalid grant: account not found")
        signed = f"{pieces[0]}.{pieces[1]}".encode("ascii")
        if self.public_numbers is None or not rs256_verify(signed, signature,
                                                           self.public_numbers):
            raise _Grant("invalid_grant", "Invalid JWT Signature.")
        audiences = {GOOGLE_TOKEN_URL, f"{self.base_url}/token"}
        if claims.get("aud") not in audiences:
            raise _Grant("invalid_grant", "Invalid JWT: Failed audience check. The right "
                                          f"audience is {GOOGLE_TOKEN_URL}")
        iat, exp = claims.get("iat"), claims.get("exp")
        now = self.now()
        if (not isinstance(iat, int | float) or not isinstance(exp, int | float)
                or isinstance(iat, bool) or isinstance(exp, bool)
                or exp <= now or iat > now + CLOCK_SKEW or exp - iat > MAX_ASSERTION_LIFETIME
                or exp <= iat):
            raise _Grant("invalid_grant", _BAD_JWT_TIME)
        scopes = set(str(claims.get("scope") or "").split())
        if not scopes & SCOPES:
            raise _Grant("invalid_scope", "Invalid OAuth scope or ID token audience "
                                          "provided.")

    def _token_valid(self, header: str | None) -> bool:
        if not header or not header.startswith("Bearer "):
            return False
        with self._lock:
            expiry = self._access.get(header[7:].strip())
            return expiry is not None and self.now() < expiry

    # --- send ----------------------------------------------------------------------------------------

    def _send(self, raw: bytes) -> Outcome:
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
            return Outcome(_invalid("Invalid JSON payload received. 'message' must be an "
                                    "object."))
        message: dict[str, Any] = body["message"]
        targets = [k for k in ("token", "topic", "condition") if message.get(k)]
        if not targets:
            return Outcome(_invalid("Recipient of the message is not set."))
        if len(targets) > 1:
            return Outcome(_invalid("Invalid value at 'message' (oneof), oneof field "
                                    f"'target' is already set. Cannot set '{targets[1]}'"))
        target = targets[0]
        problem = _message_problem(message)
        if problem is not None:
            return Outcome(problem)
        limit = MAX_PAYLOAD if target != "topic" else MAX_PAYLOAD // 2
        size = len(json.dumps({k: v for k, v in message.items() if k not in targets},
                              separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        if size > limit:
            return Outcome(_invalid(f"Message is too big: {size} bytes; the limit is "
                                    f"{limit} bytes."))
        if target == "topic" and not _TOPIC.fullmatch(str(message["topic"])):
            return Outcome(_invalid("Invalid topic name."))
        if target == "token":
            refusal = self._device_refusal(message["token"])
            if refusal is not None:
                return Outcome(refusal)
        if body.get("validate_only") is True:
            return Outcome(Answer(200, {"name": f"projects/{self.project_id}/messages/"
                                                "fake_message_id"}))
        with self._lock:
            now = self.now()
            message_id = (f"0:{int(now * 1000)}%"
                          f"{self._rng.randbytes(8).hex()}")
            name = f"projects/{self.project_id}/messages/{message_id}"
            android = message.get("android") or {}
            apns_headers = (message.get("apns") or {}).get("headers") or {}
            webpush_headers = (message.get("webpush") or {}).get("headers") or {}
            self._outbox.append({
                "message_id": message_id, "name": name,
                "token": message.get("token"), "topic": message.get("topic"),
                "condition": message.get("condition"),
                "notification": copy.deepcopy(message.get("notification")),
                "data": dict(message.get("data") or {}),
                "collapse_key": (android.get("collapse_key")
                                 or apns_headers.get("apns-collapse-id")
                                 or webpush_headers.get("Topic")),
                "priority": android.get("priority"),
                "message": copy.deepcopy(message), "accepted_at": now,
            })
        return Outcome(Answer(200, {"name": name}), ref=message_id, recorded=True)

    def _device_refusal(self, token: Any) -> Answer | None:
        if not isinstance(token, str) or not _DEVICE_TOKEN.fullmatch(token):
            return _invalid(_BAD_TOKEN)
        with self._lock:
            device = self._devices.get(token)
            if device is None and self.accept_any_token:
                self.register_device(token)
                device = self._devices[token]
        if device is None:
            return _invalid(_BAD_TOKEN)
        if not device["alive"]:
            return _fcm_error(404, "NOT_FOUND", "Requested entity was not found.",
                              "UNREGISTERED")
        if device["project"] != self.project_id:
            return _fcm_error(403, "PERMISSION_DENIED", "SenderId mismatch",
                              "SENDER_ID_MISMATCH")
        return None


def _invalid(message: str, violations: list[dict[str, str]] | None = None) -> Answer:
    extra = ([{"@type": "type.googleapis.com/google.rpc.BadRequest",
               "fieldViolations": violations}] if violations else None)
    return _fcm_error(400, "INVALID_ARGUMENT", message, "INVALID_ARGUMENT", extra)


def _message_problem(message: Mapping[str, Any]) -> Answer | None:
    data = message.get("data")
    if data is not None:
        if not isinstance(data, dict):
            return _invalid("Invalid value at 'message.data' (type.googleapis.com/"
                            "google.protobuf.Map), must be an object")
        for index, (key, value) in enumerate(data.items()):
            if not isinstance(value, str):
                text = f"Invalid value at 'message.data[{index}].value' (TYPE_STRING), " + (
                    json.dumps(value))
                return _invalid(text, [{"field": f"message.data[{index}].value",
                                        "description": text}])
            if key in ("from", "notification", "message_type") or key.startswith(
                    ("google", "gcm")):
                return _invalid(f"Invalid data payload key: {key}")
    notification = message.get("notification")
    if notification is not None and not isinstance(notification, dict):
        return _invalid("Invalid value at 'message.notification', must be an object")
    android = message.get("android")
    if android is not None:
        if not isinstance(android, dict):
            return _invalid("Invalid value at 'message.android', must be an object")
        priority = android.get("priority")
        if priority is not None and str(priority).lower() not in ("normal", "high"):
            return _invalid(f"Invalid value at 'message.android.priority' "
                            f"(type.googleapis.com/google.firebase.fcm.v1."
                            f"AndroidMessagePriority), \"{priority}\"")
        ttl = android.get("ttl")
        if ttl is not None and not (isinstance(ttl, str) and _TTL.fullmatch(ttl)):
            return _invalid("Invalid value at 'message.android.ttl' (type.googleapis.com/"
                            f"google.protobuf.Duration), {json.dumps(ttl)}")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the FCM simulator in the foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--project-id", default=DEFAULT_PROJECT)
    parser.add_argument("--service-account", default=None,
                        help="a service-account JSON file whose assertions to accept")
    parser.add_argument("--accept-any-token", action="store_true",
                        help="register well-formed unknown device tokens on first send")
    parser.add_argument("--rate-limit", type=float, default=None,
                        help="requests per second per endpoint (default: unlimited)")
    args = parser.parse_args(argv)
    common: dict[str, Any] = {"seed": args.seed, "rate_limit": args.rate_limit,
                              "accept_any_token": args.accept_any_token}
    if args.service_account:
        with open(args.service_account, encoding="utf-8") as handle:
            sim = FcmSimulator.for_service_account(json.load(handle), **common)
    else:
        sim = FcmSimulator(project_id=args.project_id, **common)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())
